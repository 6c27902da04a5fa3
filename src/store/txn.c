/*
 * txn.c - one commit per action, in the order store.h gives, and many
 * in a row for bulk intake.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2/sys/repository.h>

#include "intl.h"
#include "store-int.h"


struct txn *txn_new(struct store *s)
{
	struct txn *t = xcalloc(1, sizeof(*t));

	t->s = s;
	return t;
}

void txn_put(struct txn *t, const char *path, const void *data, size_t len)
{
	struct txn_file *f = NULL;
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->files[i].path, path))
			f = &t->files[i];
	if (!f) {
		GROW(t->files, t->alloc, t->n + 1);
		f = &t->files[t->n++];
		memset(f, 0, sizeof(*f));
		f->path = xstrdup(path);
	}
	free(f->data);
	f->data = xmalloc(len ? len : 1);
	if (len)
		memcpy(f->data, data, len);
	f->len = len;
}

void txn_target(struct txn *t, const git_oid *commit, const git_oid *parent)
{
	t->has_target = 1;
	git_oid_cpy(&t->target, commit);
	git_oid_cpy(&t->expect, parent);
}

void txn_case(struct txn *t, const char *id)
{
	if (!strlist_has(&t->cases, id))
		strlist_push(&t->cases, id);
}

void txn_trailer(struct txn *t, const char *key, const char *value)
{
	struct sb line = SB_INIT;

	sb_addf(&line, "%s: %s", key, value);
	strlist_push(&t->trailers, line.buf);
	sb_release(&line);
}

void txn_free(struct txn *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n; i++) {
		free(t->files[i].path);
		free(t->files[i].data);
	}
	free(t->files);
	strlist_release(&t->cases);
	strlist_release(&t->trailers);
	free(t);
}

static int cmp_file(const void *a, const void *b)
{
	const struct txn_file *const *x = a, *const *y = b;

	return strcmp((*x)->path, (*y)->path);
}

/*
 * Write the tree that is `base` (NULL: empty) with the n files (sorted,
 * paths relative to this tree after skipping `skip` bytes) put in.  Only
 * the directories along the changed paths are rebuilt; every other entry
 * is copied from base by id, so the cost does not grow with the store.
 */
static int build_tree(git_oid *out, git_repository *repo, const git_tree *base,
	struct txn_file **f, size_t n, size_t skip, struct diag *d)
{
	git_treebuilder *tb = NULL;
	git_tree *sub = NULL;
	const git_tree_entry *e;
	const char *name, *slash;
	char *dir = NULL;
	git_oid sub_oid;
	size_t i = 0, j, len;
	int ret = 0;

	if (git_treebuilder_new(&tb, repo, base) < 0) {
		ret = git_fail(d, _("cannot build a tree"));
		goto out;
	}
	while (i < n) {
		name = f[i]->path + skip;
		slash = strchr(name, '/');
		if (!slash) {
			if (git_treebuilder_insert(NULL, tb, name, &f[i]->oid,
			    GIT_FILEMODE_BLOB) < 0) {
				ret = git_fail(d, _("cannot build a tree"));
				goto out;
			}
			i++;
			continue;
		}
		len = (size_t)(slash - name);
		for (j = i + 1; j < n; j++)
			if (strncmp(f[j]->path + skip, name, len + 1))
				break;
		dir = xstrndup(name, len);
		e = base ? git_tree_entry_byname(base, dir) : NULL;
		if (e && git_tree_entry_type(e) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&sub, repo, git_tree_entry_id(e)) < 0) {
			ret = git_fail(d, _("cannot read the last commit"));
			goto out;
		}
		ret = build_tree(&sub_oid, repo, sub, f + i, j - i,
			skip + len + 1, d);
		if (ret)
			goto out;
		if (git_treebuilder_insert(NULL, tb, dir, &sub_oid,
		    GIT_FILEMODE_TREE) < 0) {
			ret = git_fail(d, _("cannot build a tree"));
			goto out;
		}
		git_tree_free(sub);
		sub = NULL;
		free(dir);
		dir = NULL;
		i = j;
	}
	if (git_treebuilder_write(out, tb) < 0)
		ret = git_fail(d, _("cannot write a tree"));
out:
	free(dir);
	git_tree_free(sub);
	git_treebuilder_free(tb);
	return ret;
}

/* 1 if s is one line (a commit trailer value must not break lines). */
static int line_ok(const char *s)
{
	return s && !strchr(s, '\n') && !strchr(s, '\r');
}

static int txn_check(struct txn *t, const char *action, const char *actor,
	struct diag *d)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!path_ok(t->files[i].path))
			return diag_add(d, ERR_INVALID, _("invalid store path "
				"'%s'"), t->files[i].path);
	for (i = 0; i < t->cases.n; i++)
		if (!line_ok(t->cases.v[i]) || !*t->cases.v[i])
			return diag_add(d, ERR_INVALID, _("invalid case id "
				"'%s' for a commit trailer"), t->cases.v[i]);
	for (i = 0; i < t->trailers.n; i++)
		if (!line_ok(t->trailers.v[i]))
			return diag_add(d, ERR_INVALID, _("a commit trailer "
				"must be one line"));
	if (!line_ok(action) || !line_ok(actor))
		return diag_add(d, ERR_INVALID, _("action and actor must be "
			"one line each"));
	return 0;
}

/* The commit message: subject/body, blank line, trailers (DESIGN 9). */
static void txn_message(struct sb *msg, struct txn *t, const char *action,
	const char *actor, const char *subject)
{
	size_t i;

	sb_adds(msg, subject ? subject : "");
	sb_rtrim(msg);
	sb_adds(msg, "\n\n");
	for (i = 0; i < t->cases.n; i++)
		sb_addf(msg, "Case: %s\n", t->cases.v[i]);
	for (i = 0; i < t->trailers.n; i++)
		sb_addf(msg, "%s\n", t->trailers.v[i]);
	sb_addf(msg, "Action: %s\nActor: %s\n", action, actor);
}

/*
 * The branch HEAD points at, its current commit (NULL when unborn) and
 * that commit's tree.
 */
static int txn_parent(char **branch, git_commit **parent, git_tree **base,
	struct store *s, struct diag *d)
{
	git_reference *head = NULL;
	git_oid old;
	int err, ret = 0;

	if (git_reference_lookup(&head, s->repo, "HEAD") < 0) {
		ret = git_fail(d, _("cannot read HEAD"));
		goto out;
	}
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		ret = diag_add(d, ERR_CONFLICT, _("HEAD is detached; check out "
			"the store's branch with git first"));
		goto out;
	}
	*branch = xstrdup(git_reference_symbolic_target(head));
	err = git_reference_name_to_id(&old, s->repo, *branch);
	if (err == GIT_ENOTFOUND)
		goto out;
	if (err < 0 || git_commit_lookup(parent, s->repo, &old) < 0 ||
	    git_commit_tree(base, *parent) < 0)
		ret = git_fail(d, _("cannot read the last commit"));
out:
	git_reference_free(head);
	return ret;
}

/*
 * What each file replaces: its blob in the parent commit.  The file
 * must hold just that in git's index and in the work tree (or be absent
 * from all three for a new one): nothing staged, edited or made by hand
 * is written over.
 */
static int txn_prepare(struct txn *t, const git_tree *base, struct diag *d)
{
	git_tree_entry *e = NULL;
	struct txn_file *f;
	size_t i;
	int err, ret = 0;

	for (i = 0; i < t->n && !ret; i++) {
		f = &t->files[i];
		if (f->restored)	/* store_mend() looked at it */
			continue;
		err = base ? git_tree_entry_bypath(&e, base, f->path) :
			GIT_ENOTFOUND;
		if (err == 0 && git_tree_entry_type(e) == GIT_OBJECT_BLOB) {
			git_oid_cpy(&f->old, git_tree_entry_id(e));
			f->had_old = 1;
		} else if (err == 0) {
			ret = diag_add(d, ERR_CONFLICT, _("'%s' is a folder in "
				"the last commit"), f->path);
		} else if (err != GIT_ENOTFOUND) {
			ret = git_fail(d, _("cannot read the last commit"));
		}
		git_tree_entry_free(e);
		e = NULL;
		if (!ret)
			ret = store_clean_against(t->s, f->path, f->had_old ?
				&f->old : NULL, d);
	}
	return ret;
}

/* The new blobs. */
static int txn_blobs(struct txn *t, struct diag *d)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (git_blob_create_from_buffer(&t->files[i].oid, t->s->repo,
		    t->files[i].data, t->files[i].len) < 0)
			return git_fail(d, _("cannot store a file"));
	return 0;
}

/* The new blobs, the trees on their paths, and the commit object. */
static int txn_objects(git_oid *out, struct txn *t, const git_commit *parent,
	const git_tree *base, const struct signer *author, const char *msg,
	struct diag *d)
{
	git_repository *repo = t->s->repo;
	struct txn_file **sorted = NULL;
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	git_oid tree_oid;
	size_t i;
	int ret = 0;

	ret = txn_blobs(t, d);
	if (ret)
		return ret;
	sorted = xcalloc(t->n ? t->n : 1, sizeof(*sorted));
	for (i = 0; i < t->n; i++)
		sorted[i] = &t->files[i];
	xqsort(sorted, t->n, sizeof(*sorted), cmp_file);
	ret = build_tree(&tree_oid, repo, base, sorted, t->n, 0, d);
	if (ret)
		goto out;
	if (git_tree_lookup(&tree, repo, &tree_oid) < 0) {
		ret = git_fail(d, _("cannot read the new tree"));
		goto out;
	}
	if (git_signature_new(&sig, author->name, author->email,
	    author->when.t, author->when.off) < 0) {
		ret = git_fail(d, _("invalid commit author"));
		goto out;
	}
	if (git_commit_create(out, repo, NULL, sig, sig, NULL, msg, tree,
	    parent ? 1 : 0, parent ? &parent : NULL) < 0)
		ret = git_fail(d, _("cannot create the commit"));
out:
	git_tree_free(tree);
	git_signature_free(sig);
	free(sorted);
	return ret;
}

/* Put every file back as it was (a commit that did not happen). */
static void txn_undo_files(struct txn *t)
{
	struct diag quiet = DIAG_INIT;
	git_blob *blob = NULL;
	struct txn_file *f;
	struct sb abs = SB_INIT;
	git_oid work;
	size_t i;
	int exists;

	for (i = 0; i < t->n; i++) {
		f = &t->files[i];
		if (!f->made)
			continue;
		f->made = 0;
		/* only while it still holds what this commit wrote */
		if (work_blob_id(&work, &exists, t->s, f->path, &quiet) ||
		    !exists || !git_oid_equal(&work, &f->oid))
			continue;
		sb_reset(&abs);
		sb_addf(&abs, "%s/%s", t->s->root, f->path);
		if (!f->had_old) {
			unlink(abs.buf);
			prune_dirs(t->s, f->path);
		} else if (git_blob_lookup(&blob, t->s->repo, &f->old) == 0) {
			(void)write_file_atomic(abs.buf,
				git_blob_rawcontent(blob),
				(size_t)git_blob_rawsize(blob),
				store_file_mode(t->s), AW_SYNC, &quiet);
			git_blob_free(blob);
			blob = NULL;
		}
	}
	sb_release(&abs);
	diag_release(&quiet);
}

/* The work-tree files, each new one only where no file is. */
static int txn_files(struct txn *t, struct diag *d)
{
	struct txn_file *f;
	size_t i;
	int ret;

	for (i = 0; i < t->n; i++) {
		f = &t->files[i];
		if (f->restored)	/* the work tree holds it */
			continue;
		ret = work_write(t->s, f->path, f->data, f->len, !f->had_old,
			d);
		if (ret)
			return ret;
		f->made = 1;
		fault_at("commit-worktree", i + 1);
	}
	return 0;
}

/* The index edits of the files just written, with their stat data. */
static int txn_index(struct txn *t, struct diag *d)
{
	struct gix_edit e;
	struct sb abs = SB_INIT;
	size_t i;
	int ret = 0;

	for (i = 0; i < t->n && !ret; i++) {
		memset(&e, 0, sizeof(e));
		memcpy(e.oid, t->files[i].oid.id, GIX_OIDLEN);
		sb_reset(&abs);
		sb_addf(&abs, "%s/%s", t->s->root, t->files[i].path);
		if (lstat(abs.buf, &e.st) < 0)
			ret = diag_add(d, ERR_IO, _("cannot stat '%s': %s"),
				abs.buf, strerror(errno));
		else
			session_put(t->s, t->files[i].path, &e);
	}
	sb_release(&abs);
	return ret;
}

/* The index back as it was for the files of a commit that did not
 * happen (their work-tree files are back already). */
static int txn_undo_index(struct txn *t, struct diag *d)
{
	struct gix_edit e;
	struct sb abs = SB_INIT;
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (t->files[i].was_staged)
			continue;
		memset(&e, 0, sizeof(e));
		e.remove = !t->files[i].had_old;
		memcpy(e.oid, t->files[i].old.id, GIX_OIDLEN);
		sb_reset(&abs);
		sb_addf(&abs, "%s/%s", t->s->root, t->files[i].path);
		if (!e.remove && lstat(abs.buf, &e.st) < 0)
			e.smudge = 1;
		session_put(t->s, t->files[i].path, &e);
	}
	sb_release(&abs);
	return session_install(t->s, d);
}

static double since(const struct timespec *t)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) +
		(double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/*
 * Move the branch to the new commit, only from the parent: a lock
 * another program holds on it is waited for; a branch someone moved
 * meanwhile refuses the commit.
 */
static int txn_move_ref(struct txn *t, const char *branch,
	const git_commit *parent, const git_oid *oid,
	const struct signer *author, const char *subject, struct diag *d)
{
	struct timespec start, nap = { 0, 5000000L };
	git_reference *ref = NULL;
	struct sb log = SB_INIT;
	const char *nl;
	int err;

	/* the reflog names the signer, not whatever git config says */
	git_repository_set_ident(t->s->repo, author->name, author->email);
	nl = subject ? strchr(subject, '\n') : NULL;
	sb_addf(&log, "commit: %.*s", nl ? (int)(nl - subject) :
		(int)strlen(subject ? subject : ""), subject ? subject : "");
	clock_gettime(CLOCK_MONOTONIC, &start);
	for (;;) {
		if (parent)
			err = git_reference_create_matching(&ref, t->s->repo,
				branch, oid, 1, git_commit_id(parent), log.buf);
		else
			err = git_reference_create(&ref, t->s->repo, branch,
				oid, 0, log.buf);
		git_reference_free(ref);
		ref = NULL;
		if (err != GIT_ELOCKED || since(&start) >= t->s->timeout)
			break;
		nanosleep(&nap, NULL);
	}
	git_repository_set_ident(t->s->repo, NULL, NULL);
	sb_release(&log);
	if (err == GIT_ELOCKED)
		return diag_add(d, ERR_LOCKED, _("'%s/%s.lock' exists: another "
			"git command is moving the branch (waited %d s); "
			"nothing was changed"), t->s->gitdir, branch,
			t->s->timeout);
	if (err == GIT_EMODIFIED || err == GIT_EEXISTS)
		return diag_add(d, ERR_CONFLICT, _("the branch %s moved while "
			"docket worked (another program committed); nothing "
			"was changed, try again"), branch);
	if (err < 0)
		return git_fail(d, _("cannot record the commit"));
	return 0;
}

static void after_record(struct store *s, int ret, struct diag *d)
{
	size_t i;

	/* recorded: what went wrong since is for the next command */
	if (ret) {
		for (i = 0; i < d->n; i++)
			diag_add(&s->warnings, ERR_IO, "%s", d->msg[i]);
		diag_clear(d);
		diag_add(&s->warnings, ERR_IO, _("the action is recorded; the "
			"next docket command tidies up after it"));
	}
}

/*
 * txn_objects(), again if need be: a `git gc` beside us may remove an
 * empty object folder between libgit2's mkdir and its rename into it.
 * The objects are named by their contents, so writing them again (up to
 * three times) is safe.
 */
static int txn_objects_again(git_oid *out, struct txn *t,
	const git_commit *parent, const git_tree *base,
	const struct signer *author, const char *msg, struct diag *d)
{
	struct diag od = DIAG_INIT;
	size_t k;
	int ret = 0, tries;

	for (tries = 0; tries < 3; tries++) {
		diag_clear(&od);
		ret = txn_objects(out, t, parent, base, author, msg, &od);
		if (!ret)
			break;
	}
	for (k = 0; ret && k < od.n; k++)
		diag_add(d, ERR_IO, "%s", od.msg[k]);
	diag_release(&od);
	return ret;
}

int txn_commit(struct txn *t, const struct signer *author,
	const char *action, const char *actor, const char *subject,
	char out_oid[41], struct diag *d)
{
	struct store *s = t->s;
	git_commit *parent = NULL;
	git_tree *base = NULL;
	struct jput *puts = NULL;
	struct sb msg = SB_INIT;
	struct diag late = DIAG_INIT;
	char *branch = NULL;
	int ret, installed = 0;
	git_oid oid;
	size_t i, nputs;

	out_oid[0] = '\0';
	ret = txn_check(t, action, actor, d);
	if (!ret)
		ret = session_begin(s, s->timeout, d);
	if (!ret)
		ret = store_state_ok(s, d);
	if (!ret)
		ret = txn_parent(&branch, &parent, &base, s, d);
	if (!ret)
		ret = store_mend(t, parent, base, d);
	/* nothing to record: index mends wait for store_unlock() */
	if (!ret && t->mend_only && !t->n)
		goto out;
	if (!ret)
		ret = txn_prepare(t, base, d);
	if (ret)
		goto out;
	if (t->has_target) {
		if (!parent || !git_oid_equal(git_commit_id(parent),
		    &t->expect)) {
			ret = diag_add(d, ERR_CONFLICT, _("the branch %s moved "
				"while docket worked (another program "
				"committed); nothing was changed, try again"),
				branch);
			goto out;
		}
		git_oid_cpy(&oid, &t->target);
		ret = txn_blobs(t, d);
	} else {
		txn_message(&msg, t, action, actor, subject);
		ret = txn_objects_again(&oid, t, parent, base, author,
			msg.buf, d);
	}
	if (ret)
		goto out;
	fault_at("commit-objects", 0);

	/* a restored file is not the journal's: undoing it would remove
	 * a file that was there before */
	puts = xcalloc(t->n ? t->n : 1, sizeof(*puts));
	for (i = nputs = 0; i < t->n; i++) {
		if (t->files[i].restored)
			continue;
		puts[nputs].path = t->files[i].path;
		puts[nputs].old = t->files[i].had_old ? &t->files[i].old :
			NULL;
		puts[nputs++].new = &t->files[i].oid;
	}
	ret = journal_commit(s, &oid, puts, nputs, d);
	if (ret)
		goto out;
	fault_at("commit-pending", 0);
	ret = txn_files(t, d);
	if (!ret)
		ret = txn_index(t, d);
	if (!ret)
		ret = session_install(s, d);
	installed = !ret;
	if (!ret && s->batch && syncfs(s->jfd) < 0)
		ret = diag_add(d, ERR_IO, _("cannot sync the store: %s"),
			strerror(errno));
	if (!ret)
		fault_at("commit-index", 0);
	if (!ret)
		ret = txn_move_ref(t, branch, parent, &oid, author, subject, d);
	if (ret) {
		/* nothing is recorded: nothing of it stays; if the index
		 * cannot be put back, the journal stays for recovery */
		txn_undo_files(t);
		if ((!installed || !txn_undo_index(t, &late)) && !s->batch)
			(void)journal_end(s, &late);
		if (!s->batch)
			session_end(s);
		goto out;
	}
	git_oid_tostr(out_oid, 41, &oid);
	fault_at("commit-ref", 0);

	if (!s->batch) {
		/* recorded: what goes wrong now is the next command's */
		session_end(s);
		after_record(s, journal_end(s, &late), &late);
		store_gc_auto(s);
	}
	fault_at("commit-done", 0);
out:
	diag_release(&late);
	free(puts);
	free(branch);
	git_tree_free(base);
	git_commit_free(parent);
	sb_release(&msg);
	return ret;
}

/*
 * `check --repair`: what store_mend() finds, now.  Case files a plain
 * commit deleted are recorded in one commit; index entries are put back
 * when the store lock is given up.  Called under store_lock().
 */
int store_mend_record(struct store *s, const struct signer *author,
	const char *actor, size_t *restored, struct diag *d)
{
	struct txn *t;
	char oid[41];
	int ret;

	*restored = 0;
	if (s->lock_fd < 0)
		return diag_add(d, ERR_GENERIC, _("mending needs the store "
			"lock"));
	t = txn_new(s);
	t->mend_only = 1;
	ret = txn_commit(t, author, "repair", actor, "repair: record again "
		"case files a plain git commit deleted", oid, d);
	if (!ret)
		*restored = t->n;
	txn_free(t);
	return ret;
}

/* ---- bulk intake ----------------------------------------------------- */

/*
 * libgit2's fsync of every object and ref is off in a batch: one
 * syncfs() per commit, before its branch moves, makes the objects, the
 * journal and the work-tree files durable together.
 */
static void set_fsync(struct store *s, int on)
{
	git_refdb *db = NULL;

	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, on);
	/* the ref database reads the setting when it opens */
	if (git_refdb_open(&db, s->repo) == 0)
		git_repository_set_refdb(s->repo, db);
	git_refdb_free(db);
}

int store_batch_begin(struct store *s, struct diag *d)
{
	char *branch = NULL;
	git_oid head;
	int err, ret;

	if (s->lock_fd < 0)
		return diag_add(d, ERR_GENERIC, _("cannot start a batch "
			"without the store lock"));
	if (s->batch)
		return 0;
	ret = session_begin(s, s->timeout, d);
	if (ret)
		return ret;
	branch = head_branch(s);
	if (!branch) {
		ret = store_state_ok(s, d);
		goto out;
	}
	err = git_reference_name_to_id(&head, s->repo, branch);
	if (err < 0 && err != GIT_ENOTFOUND) {
		ret = git_fail(d, _("cannot read HEAD"));
		goto out;
	}
	ret = journal_begin(s, err ? NULL : &head, branch, d);
	if (ret)
		goto out;
	s->batch = 1;
	set_fsync(s, 0);
out:
	free(branch);
	return ret;
}

int store_batch_end(struct store *s, struct diag *d)
{
	int ret;

	if (!s->batch)
		return 0;
	set_fsync(s, 1);
	fault_at("batch-end", 0);
	/* every commit of the batch put its index in place before its
	 * branch moved: the journal goes, then git's lock */
	ret = journal_end(s, d);
	s->batch = 0;
	session_end(s);
	if (!ret)
		store_gc_auto(s);
	return ret;
}
