/*
 * journal.c - what a write is about to do, kept in .git/docket-pending
 * so that a crash at any point can be finished or undone.
 *
 *   docket-journal 1
 *   base OID|-             the branch's commit when the write began
 *   branch refs/heads/main
 *   commit OID             a commit about to be recorded
 *   put OLD|- NEW PATH     a file it changes: the blob before and after
 *   commit OID ...         bulk intake: one block per commit
 *
 * A block is written (and fsync'd) after the commit's objects and before
 * any work-tree file or the branch changes.  Recovery, under both locks
 * (a writing command's store_lock(), or `check --repair`), asks the
 * branch which of the commits it has recorded, then brings each listed
 * path to its last recorded contents (or back to what it was) in the
 * work tree and in git's index.  A work-tree file that holds neither
 * the old nor any new contents was changed by someone after the crash:
 * it is left alone and named.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gitlock.h"
#include "intl.h"
#include "store-int.h"

#define JOURNAL_MAGIC "docket-journal 1"
#define JOURNAL_MAX (64 << 20)

static void journal_path(struct sb *p, const struct store *s)
{
	sb_addf(p, "%s/%s", s->gitdir, JOURNAL_FILE);
}

int journal_exists(const struct store *s)
{
	struct sb p = SB_INIT;
	struct stat st;
	int found;

	journal_path(&p, s);
	found = lstat(p.buf, &st) == 0;
	sb_release(&p);
	return found;
}

static void put_block(struct sb *b, const git_oid *commit,
	const struct jput *puts, size_t n)
{
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;

	sb_addf(b, "commit %s\n", git_oid_tostr(hex, sizeof(hex), commit));
	for (i = 0; i < n; i++) {
		if (puts[i].old)
			sb_addf(b, "put %s ", git_oid_tostr(hex, sizeof(hex),
				puts[i].old));
		else
			sb_adds(b, "put - ");
		sb_addf(b, "%s %s\n", git_oid_tostr(hex, sizeof(hex),
			puts[i].new), puts[i].path);
	}
}

static void put_head(struct sb *b, const git_oid *base, const char *branch)
{
	char hex[GIT_OID_HEXSZ + 1];

	sb_addf(b, JOURNAL_MAGIC "\nbase %s\nbranch %s\n", base ?
		git_oid_tostr(hex, sizeof(hex), base) : "-", branch);
}

int journal_begin(struct store *s, const git_oid *base, const char *branch,
	struct diag *d)
{
	struct sb b = SB_INIT, p = SB_INIT;
	int ret;

	put_head(&b, base, branch);
	journal_path(&p, s);
	ret = write_file_atomic(p.buf, b.buf, b.len, store_file_mode(s),
		AW_SYNC, d);
	if (!ret) {
		s->jfd = open(p.buf, O_WRONLY | O_APPEND | O_CLOEXEC |
			O_NOFOLLOW);
		if (s->jfd < 0)
			ret = diag_add(d, ERR_IO, _("cannot open '%s': %s"),
				p.buf, strerror(errno));
	}
	sb_release(&p);
	sb_release(&b);
	return ret;
}

/*
 * Record a commit about to be made: appended to the open journal of a
 * batch (made durable with the batch's syncfs), or the whole journal of
 * a single commit, written and fsync'd.
 */
int journal_commit(struct store *s, const git_oid *commit,
	const struct jput *puts, size_t n, struct diag *d)
{
	struct sb b = SB_INIT, p = SB_INIT;
	git_commit *c = NULL;
	char *branch = NULL;
	int ret = 0;

	journal_path(&p, s);
	if (s->jfd >= 0) {
		put_block(&b, commit, puts, n);
		if (write_in_full(s->jfd, b.buf, b.len) < 0)
			ret = diag_add(d, ERR_IO, _("cannot write '%s': %s"),
				p.buf, strerror(errno));
		goto out;
	}
	branch = head_branch(s);
	if (!branch) {
		ret = diag_add(d, ERR_CONFLICT, _("HEAD is not on a branch"));
		goto out;
	}
	if (git_commit_lookup(&c, s->repo, commit) < 0) {
		ret = git_fail(d, _("cannot read the new commit"));
		goto out;
	}
	put_head(&b, git_commit_parentcount(c) ?
		git_commit_parent_id(c, 0) : NULL, branch);
	put_block(&b, commit, puts, n);
	ret = write_file_atomic(p.buf, b.buf, b.len, store_file_mode(s),
		AW_SYNC, d);
out:
	git_commit_free(c);
	free(branch);
	sb_release(&p);
	sb_release(&b);
	return ret;
}

int journal_end(struct store *s, struct diag *d)
{
	struct sb p = SB_INIT;
	int ret = 0;

	if (s->jfd >= 0) {
		close(s->jfd);
		s->jfd = -1;
	}
	journal_path(&p, s);
	if (unlink(p.buf) < 0 && errno != ENOENT)
		ret = diag_add(d, ERR_IO, _("cannot remove '%s': %s"), p.buf,
			strerror(errno));
	sb_release(&p);
	return ret;
}

/*
 * Remove the temporary files write_file_atomic() leaves when it is killed
 * before its rename: "NAME.tmp.PID" beside dir/NAME.  Only regular files
 * whose suffix is all digits, so nothing a user named goes.
 */
static void remove_tmps(const char *dir, const char *name)
{
	struct sb pre = SB_INIT, p = SB_INIT;
	struct dirent *de;
	const char *pid;
	struct stat st;
	DIR *dp;

	dp = opendir(dir);
	if (!dp)
		return;
	sb_addf(&pre, "%s" TMP_INFIX, name);
	while ((de = readdir(dp))) {
		if (strncmp(de->d_name, pre.buf, pre.len))
			continue;
		pid = de->d_name + pre.len;
		if (!*pid || strspn(pid, "0123456789") != strlen(pid))
			continue;
		sb_reset(&p);
		sb_addf(&p, "%s/%s", dir, de->d_name);
		if (lstat(p.buf, &st) == 0 && S_ISREG(st.st_mode))
			unlink(p.buf);
	}
	closedir(dp);
	sb_release(&p);
	sb_release(&pre);
}

/* remove_tmps() for a path relative to the work tree. */
void remove_work_tmps(struct store *s, const char *rel)
{
	struct sb dir = SB_INIT;
	const char *slash = strrchr(rel, '/');

	if (slash)
		sb_addf(&dir, "%s/%.*s", s->root, (int)(slash - rel), rel);
	else
		sb_adds(&dir, s->root);
	remove_tmps(dir.buf, slash ? slash + 1 : rel);
	sb_release(&dir);
}

void journal_tidy(struct store *s)
{
	remove_tmps(s->gitdir, JOURNAL_FILE);
	remove_tmps(s->gitdir, "index");
}

/* Remove the folders above rel that are empty now (made for a file
 * that is gone again); rmdir() leaves any that hold something. */
void prune_dirs(struct store *s, const char *rel)
{
	struct sb dir = SB_INIT;
	char *slash;

	sb_addf(&dir, "%s/%s", s->root, rel);
	while ((slash = strrchr(dir.buf, '/')) &&
	    (size_t)(slash - dir.buf) > strlen(s->root)) {
		*slash = '\0';
		if (rmdir(dir.buf) < 0)
			break;
	}
	sb_release(&dir);
}

/* ---- recovery ---------------------------------------------------------- */

struct jput_rec {
	char *path;
	git_oid old, new;
	int has_old;
};

struct jblock {
	git_oid commit;
	size_t first, n;	/* its puts */
	int recorded;
};

struct journal {
	git_oid base;
	int has_base;
	char *branch;
	struct jblock *blocks;
	size_t nblocks, ablocks;
	struct jput_rec *puts;
	size_t nputs, aputs;
	int legacy;		/* an older docket's list of paths */
};

static void journal_release(struct journal *j)
{
	size_t i;

	for (i = 0; i < j->nputs; i++)
		free(j->puts[i].path);
	free(j->puts);
	free(j->blocks);
	free(j->branch);
}

static int parse_put(struct journal *j, char *line)
{
	struct jput_rec *r;
	char *sp1, *sp2;

	sp1 = strchr(line, ' ');
	sp2 = sp1 ? strchr(sp1 + 1, ' ') : NULL;
	if (!j->nblocks || !sp2 || !path_ok(sp2 + 1))
		return -1;
	*sp1 = *sp2 = '\0';
	GROW(j->puts, j->aputs, j->nputs + 1);
	r = &j->puts[j->nputs];
	memset(r, 0, sizeof(*r));
	r->has_old = strcmp(line, "-") != 0;
	if ((r->has_old && git_oid_fromstr(&r->old, line) < 0) ||
	    git_oid_fromstr(&r->new, sp1 + 1) < 0)
		return -1;
	r->path = xstrdup(sp2 + 1);
	j->nputs++;
	j->blocks[j->nblocks - 1].n++;
	return 0;
}

static int parse_line(struct journal *j, char *line)
{
	if (!strncmp(line, "base ", 5)) {
		if (!strcmp(line + 5, "-"))
			return 0;
		j->has_base = 1;
		return git_oid_fromstr(&j->base, line + 5) < 0 ? -1 : 0;
	}
	if (!strncmp(line, "branch ", 7)) {
		free(j->branch);
		j->branch = xstrdup(line + 7);
		return strncmp(j->branch, "refs/heads/", 11) ||
			!path_ok(j->branch) ? -1 : 0;
	}
	if (!strncmp(line, "commit ", 7)) {
		GROW(j->blocks, j->ablocks, j->nblocks + 1);
		memset(&j->blocks[j->nblocks], 0, sizeof(*j->blocks));
		j->blocks[j->nblocks].first = j->nputs;
		if (git_oid_fromstr(&j->blocks[j->nblocks].commit,
		    line + 7) < 0)
			return -1;
		j->nblocks++;
		return 0;
	}
	if (!strncmp(line, "put ", 4))
		return parse_put(j, line + 4);
	return -1;
}

/*
 * An older docket's list: "commit OID" (maybe) and then paths, to be
 * made to match HEAD if that commit is recorded.
 */
static int parse_legacy(struct journal *j, char *list)
{
	char *line, *next;

	j->legacy = 1;
	for (line = list; *line; line = next) {
		next = strchrnul(line, '\n');
		if (*next)
			*next++ = '\0';
		if (line == list && !strncmp(line, "commit ", 7)) {
			GROW(j->blocks, j->ablocks, 1);
			memset(j->blocks, 0, sizeof(*j->blocks));
			if (git_oid_fromstr(&j->blocks[0].commit, line + 7) < 0)
				return -1;
			j->nblocks = 1;
			continue;
		}
		if (!path_ok(line))
			continue;
		GROW(j->puts, j->aputs, j->nputs + 1);
		memset(&j->puts[j->nputs], 0, sizeof(*j->puts));
		j->puts[j->nputs++].path = xstrdup(line);
	}
	return 0;
}

static int journal_read(struct journal *j, struct store *s, struct diag *d)
{
	struct sb p = SB_INIT, buf = SB_INIT;
	char *line, *next;
	size_t len = strlen(JOURNAL_MAGIC);
	int ret;

	memset(j, 0, sizeof(*j));
	journal_path(&p, s);
	ret = read_regular(&buf, p.buf, JOURNAL_MAX, d);
	if (ret)
		goto out;
	if (strncmp(buf.buf, JOURNAL_MAGIC "\n", len + 1)) {
		ret = parse_legacy(j, buf.buf) ? ERR_INVALID : 0;
		goto bad;
	}
	for (line = buf.buf + len + 1; *line; line = next) {
		next = strchrnul(line, '\n');
		/* a line the crash cut short is the end of what counts */
		if (!*next)
			break;
		*next++ = '\0';
		if (parse_line(j, line) < 0) {
			ret = ERR_INVALID;
			break;
		}
	}
	if (!ret && !j->branch)
		ret = ERR_INVALID;
bad:
	if (ret)
		ret = diag_add(d, ERR_INVALID, _("'%s' is damaged; compare the "
			"files it names with `git status`, then remove it"),
			p.buf);
out:
	sb_release(&buf);
	sb_release(&p);
	return ret;
}

/*
 * Which commits of the journal the branch has recorded: those on its
 * first-parent line back to where the write began.  A commit never
 * written, or one the branch did not take, is not recorded.
 */
static int mark_recorded(struct journal *j, struct store *s, struct diag *d)
{
	git_commit *c = NULL;
	git_oid id;
	size_t steps, k;
	int err;

	err = git_reference_name_to_id(&id, s->repo, j->branch ? j->branch :
		"HEAD");
	if (err == GIT_ENOTFOUND || err == GIT_EUNBORNBRANCH)
		return 0;
	if (err < 0)
		return git_fail(d, _("cannot read the branch"));
	for (steps = 0; steps < j->nblocks + 64; steps++) {
		if (j->has_base && git_oid_equal(&id, &j->base))
			break;
		for (k = 0; k < j->nblocks; k++)
			if (git_oid_equal(&id, &j->blocks[k].commit))
				j->blocks[k].recorded = 1;
		if (git_commit_lookup(&c, s->repo, &id) < 0)
			break;
		if (!git_commit_parentcount(c)) {
			git_commit_free(c);
			break;
		}
		git_oid_cpy(&id, git_commit_parent_id(c, 0));
		git_commit_free(c);
		c = NULL;
	}
	return 0;
}

/* What path should hold after recovery; *known lists every blob the
 * journal gives it (the contents docket itself wrote or replaced). */
struct target {
	git_oid final;
	int has_final;
	git_oid *known;
	size_t nknown, aknown;
};

static void know(struct target *t, const git_oid *oid)
{
	GROW(t->known, t->aknown, t->nknown + 1);
	git_oid_cpy(&t->known[t->nknown++], oid);
}

static int is_known(const struct target *t, const git_oid *oid)
{
	size_t i;

	for (i = 0; i < t->nknown; i++)
		if (git_oid_equal(&t->known[i], oid))
			return 1;
	return 0;
}

/* The last recorded contents of path, or what it held before the first
 * unrecorded commit touched it. */
static void target_of(struct target *t, const struct journal *j,
	const char *path)
{
	const struct jput_rec *r;
	int seen = 0;
	size_t b, i;

	memset(t, 0, sizeof(*t));
	for (b = 0; b < j->nblocks; b++) {
		for (i = j->blocks[b].first; i < j->blocks[b].first +
		    j->blocks[b].n; i++) {
			r = &j->puts[i];
			if (strcmp(r->path, path))
				continue;
			if (r->has_old)
				know(t, &r->old);
			know(t, &r->new);
			if (j->blocks[b].recorded) {
				git_oid_cpy(&t->final, &r->new);
				t->has_final = 1;
			} else if (!seen && !t->has_final) {
				if (r->has_old)
					git_oid_cpy(&t->final, &r->old);
				t->has_final = r->has_old;
			}
			seen = 1;
		}
	}
}

/* An older docket's list: the path is to match HEAD when recorded. */
static int legacy_target(struct target *t, const struct journal *j,
	struct store *s, const char *path, struct diag *d)
{
	git_blob *blob = NULL;
	int ret;

	memset(t, 0, sizeof(*t));
	if (j->nblocks && !j->blocks[0].recorded)
		return 0;
	ret = head_blob(&blob, s, path, d);
	if (ret == ERR_NOTFOUND)
		return 0;
	if (ret)
		return ret;
	git_oid_cpy(&t->final, git_blob_id(blob));
	t->has_final = 1;
	know(t, &t->final);
	git_blob_free(blob);
	return 0;
}

static int left_alone(struct store *s, const char *path)
{
	return diag_add(&s->warnings, ERR_CONFLICT, _("'%s' was changed after "
		"an interrupted docket action; it is left as it is (`git "
		"status` shows it, `git diff` what changed)"), path);
}

/* Bring one path to its target in the work tree and git's index. */
static int recover_path(struct store *s, const char *path,
	const struct target *t, struct diag *d)
{
	struct gix_edit e;
	struct sb abs = SB_INIT;
	git_blob *blob = NULL;
	git_oid work;
	int exists, ret;

	remove_work_tmps(s, path);
	ret = work_blob_id(&work, &exists, s, path, d);
	if (ret)
		goto out;
	memset(&e, 0, sizeof(e));
	sb_addf(&abs, "%s/%s", s->root, path);
	if (!t->has_final) {
		if (exists && !is_known(t, &work)) {
			left_alone(s, path);
			goto out;
		}
		if (exists && unlink(abs.buf) < 0) {
			ret = diag_add(d, ERR_IO, _("cannot remove '%s': %s"),
				abs.buf, strerror(errno));
			goto out;
		}
		prune_dirs(s, path);
		if (session_edit(s, path) || gix_find(s->index, path) >= 0) {
			e.remove = 1;
			session_put(s, path, &e);
		}
		goto out;
	}
	memcpy(e.oid, t->final.id, GIX_OIDLEN);
	if (exists && !git_oid_equal(&work, &t->final) &&
	    !is_known(t, &work)) {
		left_alone(s, path);
		e.smudge = 1;
		session_put(s, path, &e);
		goto out;
	}
	if (!exists || !git_oid_equal(&work, &t->final)) {
		if (git_blob_lookup(&blob, s->repo, &t->final) < 0) {
			ret = git_fail(d, _("cannot read a recorded file"));
			goto out;
		}
		if (exists && unlink(abs.buf) < 0) {
			ret = diag_add(d, ERR_IO, _("cannot replace '%s': %s"),
				abs.buf, strerror(errno));
			goto out;
		}
		ret = work_write(s, path, git_blob_rawcontent(blob),
			(size_t)git_blob_rawsize(blob), 1, d);
		if (ret)
			goto out;
	}
	if (lstat(abs.buf, &e.st) < 0) {
		ret = diag_add(d, ERR_IO, _("cannot stat '%s': %s"), abs.buf,
			strerror(errno));
		goto out;
	}
	session_put(s, path, &e);
out:
	git_blob_free(blob);
	sb_release(&abs);
	return ret;
}

/* How long an empty BRANCH.lock must have stood before it is taken for
 * a dead docket's: git and libgit2 write the new id into it the moment
 * they create it. */
#define EMPTY_LOCK_AGE 2	/* seconds */

/*
 * An empty BRANCH.lock made after the journal was written (killed between
 * libgit2 creating it and writing the commit into it): removed when it is
 * still empty, and the same file, EMPTY_LOCK_AGE seconds on.
 */
static void clear_empty_lock(struct store *s, const char *lock)
{
	struct sb jpath = SB_INIT;
	struct stat js, ls;

	journal_path(&jpath, s);
	if (stat(jpath.buf, &js) == 0 && lstat(lock, &ls) == 0 &&
	    S_ISREG(ls.st_mode) && !ls.st_size && ls.st_mtime >= js.st_mtime)
		(void)gitlock_remove_stale(lock, &ls, EMPTY_LOCK_AGE, 0);
	sb_release(&jpath);
}

/* libgit2 leaves BRANCH.lock if killed while moving the branch: ours
 * when it holds a commit only the journal knows, or nothing yet. */
static void clear_ref_lock(struct store *s, const struct journal *j)
{
	struct sb p = SB_INIT, buf = SB_INIT;
	struct diag quiet = DIAG_INIT;
	git_oid oid;
	size_t k;

	if (!j->branch)
		return;
	sb_addf(&p, "%s/%s.lock", s->gitdir, j->branch);
	if (read_regular(&buf, p.buf, 128, &quiet) == 0) {
		sb_rtrim(&buf);
		if (!buf.len)
			clear_empty_lock(s, p.buf);
		for (k = 0; buf.len && k < j->nblocks; k++)
			if (git_oid_fromstr(&oid, buf.buf) == 0 &&
			    git_oid_equal(&oid, &j->blocks[k].commit))
				unlink(p.buf);
	}
	diag_release(&quiet);
	sb_release(&buf);
	sb_release(&p);
}

/* Each path once, in the journal's order. */
static void journal_paths(struct strlist *out, const struct journal *j)
{
	size_t i;

	for (i = 0; i < j->nputs; i++)
		if (!strlist_has(out, j->puts[i].path))
			strlist_push(out, j->puts[i].path);
}

int store_recover(struct store *s, struct diag *d)
{
	struct strlist paths = STRLIST_INIT;
	struct journal j;
	struct target t;
	size_t i;
	int ret;

	ret = journal_read(&j, s, d);
	if (!ret)
		ret = mark_recorded(&j, s, d);
	if (!ret)
		ret = session_index(s, d);
	if (ret)
		goto out;
	clear_ref_lock(s, &j);
	journal_paths(&paths, &j);
	for (i = 0; i < paths.n; i++) {
		ret = j.legacy ? legacy_target(&t, &j, s, paths.v[i], d) : 0;
		if (!j.legacy)
			target_of(&t, &j, paths.v[i]);
		if (!ret)
			ret = recover_path(s, paths.v[i], &t, d);
		free(t.known);
		if (ret)
			goto out;
		fault_at("recover-worktree", i + 1);
	}
	ret = session_install(s, d);
	if (ret)
		goto out;
	fault_at("recover-index", 0);
	ret = journal_end(s, d);
	if (!ret)
		fault_at("recover-done", 0);
out:
	strlist_release(&paths);
	journal_release(&j);
	return ret;
}
