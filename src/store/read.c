/*
 * read.c - reading the store: work-tree files (regular files only),
 * the last commit's files, and whether a file may be written over.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "case.h"
#include "folders.h"
#include "intl.h"
#include "store-int.h"

int store_read(struct sb *out, struct store *s, const char *path,
	size_t max, struct diag *d)
{
	struct sb abs = SB_INIT;
	int ret;

	if (!path_ok(path))
		return diag_add(d, ERR_INVALID, _("invalid store path '%s'"),
			path);
	sb_addf(&abs, "%s/%s", s->root, path);
	ret = read_regular(out, abs.buf, max, d);
	sb_release(&abs);
	return ret;
}

/* HEAD's blob at path; ERR_NOTFOUND (no message) when not there. */
int head_blob(git_blob **out, struct store *s, const char *path,
	struct diag *d)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int err, ret;

	*out = NULL;
	ret = head_tree(&tree, s, d);
	if (ret)
		goto out;
	err = tree ? git_tree_entry_bypath(&e, tree, path) : GIT_ENOTFOUND;
	if (err == GIT_ENOTFOUND ||
	    (!err && git_tree_entry_type(e) != GIT_OBJECT_BLOB)) {
		ret = ERR_NOTFOUND;
		goto out;
	}
	if (err < 0 || git_blob_lookup(out, s->repo,
	    git_tree_entry_id(e)) < 0)
		ret = git_fail(d, _("cannot read the last commit"));
out:
	git_tree_entry_free(e);
	git_tree_free(tree);
	return ret;
}

int store_read_head(struct sb *out, struct store *s, const char *path,
	struct diag *d)
{
	git_blob *blob = NULL;
	int ret;

	ret = head_blob(&blob, s, path, d);
	if (ret == ERR_NOTFOUND)
		return diag_add(d, ERR_NOTFOUND, _("'%s' is not in the last "
			"commit"), path);
	if (ret)
		return ret;
	sb_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

int store_exists_head(struct store *s, const char *path)
{
	struct diag quiet = DIAG_INIT;
	git_blob *blob = NULL;
	int ret;

	ret = head_blob(&blob, s, path, &quiet);
	git_blob_free(blob);
	diag_release(&quiet);
	return ret == 0;
}

/*
 * The blob id the work-tree file rel would have if added to git, with
 * git's filters (core.autocrlf, eol attributes) applied as git applies
 * them; *exists 0 when there is no file.  Anything but a regular file is
 * an error: docket never writes over it.
 */
int work_blob_id(git_oid *out, int *exists, struct store *s,
	const char *rel, struct diag *d)
{
	struct sb abs = SB_INIT;
	struct stat st;
	int ret = 0;

	*exists = 0;
	sb_addf(&abs, "%s/%s", s->root, rel);
	if (lstat(abs.buf, &st) < 0) {
		if (errno != ENOENT && errno != ENOTDIR)
			ret = diag_add(d, ERR_IO, _("cannot read '%s': %s"),
				abs.buf, strerror(errno));
		goto out;
	}
	*exists = 1;
	if (!S_ISREG(st.st_mode)) {
		ret = diag_add(d, ERR_CONFLICT, _("'%s' is not a regular file; "
			"docket does not write over it (remove it with git "
			"first)"), rel);
		goto out;
	}
	if (git_repository_hashfile(out, s->repo, abs.buf, GIT_OBJECT_BLOB,
	    rel) < 0)
		ret = git_fail(d, _("cannot hash a work-tree file"));
out:
	sb_release(&abs);
	return ret;
}

/*
 * Refuse a path any part of which is a symbolic link in the work tree: a
 * link committed by hand (attachments/ID -> /somewhere) must not lead a
 * write out of the store.
 */
static int no_links(const char *base, const char *rel, struct diag *d)
{
	struct sb part = SB_INIT;
	const char *p = rel;
	struct stat st;
	int ret = 0;

	for (;;) {
		p = strchr(p, '/');
		sb_reset(&part);
		sb_addf(&part, "%s/%.*s", base, p ? (int)(p - rel) :
			(int)strlen(rel), rel);
		if (lstat(part.buf, &st) == 0 && S_ISLNK(st.st_mode)) {
			ret = diag_add(d, ERR_CONFLICT, _("'%.*s' is a "
				"symbolic link; docket does not write through "
				"links (remove it with git first)"), p ?
				(int)(p - rel) : (int)strlen(rel), rel);
			break;
		}
		if (!p++)
			break;
	}
	sb_release(&part);
	return ret;
}

/*
 * Put data at the work-tree path rel: a new file (create) only where
 * none is, never through a symbolic link; fsync'd unless a batch syncs
 * the whole file system once per commit.
 */
int work_write(struct store *s, const char *rel, const void *data,
	size_t len, int create, struct diag *d)
{
	struct sb abs = SB_INIT;
	int ret;

	ret = no_links(s->root, rel, d);
	if (!ret)
		ret = make_parents(s->root, rel, s->shared, NULL, d);
	if (!ret) {
		sb_addf(&abs, "%s/%s", s->root, rel);
		ret = write_file_atomic(abs.buf, data, len, store_file_mode(s),
			(s->batch ? 0 : AW_SYNC) | (create ? AW_CREATE : 0), d);
	}
	if (ret == ERR_CONFLICT)
		ret = diag_add(d, ERR_CONFLICT, _("'%s' appeared in the work "
			"tree meanwhile; nothing was changed (commit or remove "
			"it with git first)"), rel);
	sb_release(&abs);
	return ret;
}

/* The refusals of a file that does not match HEAD, one wording for all. */
static int not_clean(struct diag *d, const char *path, int in_head,
	int in_work)
{
	if (!in_work)
		return diag_add(d, ERR_CONFLICT, _("'%s' is missing from the "
			"work tree but in the last commit (deleted by hand?); "
			"restore it with git first"), path);
	if (!in_head)
		return diag_add(d, ERR_CONFLICT, _("'%s' exists but is not in "
			"the last commit (made by hand?); commit or remove it "
			"with git first"), path);
	return diag_add(d, ERR_CONFLICT, _("'%s' differs from the last "
		"commit (edited by hand?); commit or restore it with git "
		"first"), path);
}

static int staged(struct diag *d, const char *path)
{
	return diag_add(d, ERR_CONFLICT, _("'%s' has a change staged in "
		"git's index that is not committed (git add?); commit it, or "
		"unstage it with `git restore --staged`, first"), path);
}

/* The blob git's index holds for path under the write session, the
 * pending edits first: 1 found, 0 no entry, -1 no index to ask. */
int index_blob(git_oid *out, struct store *s, const char *path)
{
	const struct gix_edit *e;
	long i;

	if (!s->index)
		return -1;
	e = session_edit(s, path);
	if (e) {
		if (e->remove)
			return 0;
		memcpy(out->id, e->oid, GIX_OIDLEN);
		return 1;
	}
	i = gix_find(s->index, path);
	if (i < 0)
		return 0;
	memcpy(out->id, gix_oid(&s->index->e[i]), GIX_OIDLEN);
	return 1;
}

int store_clean_against(struct store *s, const char *path,
	const git_oid *old, struct diag *d)
{
	git_oid work, idx;
	int ret, in_work, in_index, in_head = old != NULL;

	ret = work_blob_id(&work, &in_work, s, path, d);
	if (ret)
		return ret;
	if (in_head != in_work || (in_head && !git_oid_equal(&work, old)))
		return not_clean(d, path, in_head, in_work);
	in_index = index_blob(&idx, s, path);
	if (in_index >= 0 && (in_index != in_head || (in_head &&
	    !git_oid_equal(&idx, old))))
		return staged(d, path);
	return 0;
}

int store_check_clean(struct store *s, const char *path, struct diag *d)
{
	git_blob *blob = NULL;
	int ret;

	if (!path_ok(path))
		return diag_add(d, ERR_INVALID, _("invalid store path '%s'"),
			path);
	ret = head_blob(&blob, s, path, d);
	if (ret && ret != ERR_NOTFOUND)
		return ret;
	ret = store_clean_against(s, path, ret ? NULL : git_blob_id(blob), d);
	git_blob_free(blob);
	return ret;
}

/* ---- ids and case paths ----------------------------------------------- */

/* Look up a subtree of tree by entry; NULL if the entry is not a tree. */
static int subtree(git_tree **out, git_repository *repo,
	const git_tree_entry *e, struct diag *d)
{
	*out = NULL;
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return 0;
	if (git_tree_lookup(out, repo, git_tree_entry_id(e)) < 0)
		return git_fail(d, _("cannot read the last commit"));
	return 0;
}

/* Push cases/Y/F/NAME.yaml for every case blob in the commit tree root
 * (NULL: none), and its blob id when ids is given. */
int tree_case_paths(struct strlist *out, git_oid **ids, struct store *s,
	const git_tree *root, struct diag *d)
{
	git_tree *cases = NULL, *year = NULL, *folder = NULL;
	git_tree_entry *ce = NULL;
	const git_tree_entry *ye, *fe, *e;
	struct sb p = SB_INIT;
	size_t i, j, k, alloc = 0;
	int err, ret = 0;

	if (!root)
		goto out;
	err = git_tree_entry_bypath(&ce, root, "cases");
	if (err == GIT_ENOTFOUND)
		goto out;
	if (err < 0) {
		ret = git_fail(d, _("cannot read the last commit"));
		goto out;
	}
	ret = subtree(&cases, s->repo, ce, d);
	for (i = 0; !ret && cases && i < git_tree_entrycount(cases); i++) {
		ye = git_tree_entry_byindex(cases, i);
		ret = subtree(&year, s->repo, ye, d);
		for (j = 0; !ret && year && j < git_tree_entrycount(year);
		    j++) {
			fe = git_tree_entry_byindex(year, j);
			ret = subtree(&folder, s->repo, fe, d);
			for (k = 0; !ret && folder &&
			    k < git_tree_entrycount(folder); k++) {
				e = git_tree_entry_byindex(folder, k);
				if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
				    !case_file_name(git_tree_entry_name(e)))
					continue;
				sb_reset(&p);
				sb_addf(&p, "cases/%s/%s/%s",
					git_tree_entry_name(ye),
					git_tree_entry_name(fe),
					git_tree_entry_name(e));
				if (ids) {
					GROW(*ids, alloc, out->n + 1);
					git_oid_cpy(&(*ids)[out->n],
						git_tree_entry_id(e));
				}
				strlist_push(out, p.buf);
			}
			git_tree_free(folder);
			folder = NULL;
		}
		git_tree_free(year);
		year = NULL;
	}
out:
	sb_release(&p);
	git_tree_free(cases);
	git_tree_entry_free(ce);
	return ret;
}

static int head_case_paths(struct strlist *out, git_oid **ids,
	struct store *s, struct diag *d)
{
	git_tree *root = NULL;
	int ret;

	ret = head_tree(&root, s, d);
	if (!ret)
		ret = tree_case_paths(out, ids, s, root, d);
	git_tree_free(root);
	return ret;
}

struct head_cases {
	struct strlist paths;	/* sorted */
	git_oid *ids;		/* ids[i] is the blob of paths.v[i] */
};

int store_head_cases(struct head_cases **out, struct store *s,
	struct diag *d)
{
	struct head_cases *h = xcalloc(1, sizeof(*h));
	size_t i;
	int ret;

	*out = NULL;
	ret = head_case_paths(&h->paths, &h->ids, s, d);
	for (i = 1; !ret && i < h->paths.n; i++)
		if (strcmp(h->paths.v[i - 1], h->paths.v[i]) >= 0)
			ret = diag_add(d, ERR_GIT, _("the last commit lists "
				"case files out of order"));
	if (ret) {
		head_cases_free(h);
		return ret;
	}
	*out = h;
	return 0;
}

void head_cases_free(struct head_cases *h)
{
	if (!h)
		return;
	strlist_release(&h->paths);
	free(h->ids);
	free(h);
}

/* The index of path in h, or -1. */
static long head_find(const struct head_cases *h, const char *path)
{
	size_t lo = 0, hi = h->paths.n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(h->paths.v[mid], path);
		if (!c)
			return (long)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const struct strlist *head_cases_paths(const struct head_cases *h)
{
	return &h->paths;
}

int head_cases_has(const struct head_cases *h, const char *path)
{
	return head_find(h, path) >= 0;
}

int store_check_clean_id(const struct head_cases *h, const char *path,
	const unsigned char *id, struct diag *d)
{
	long i = head_find(h, path);

	if (i < 0)
		return id ? not_clean(d, path, 0, 1) : 0;
	if (!id)
		return not_clean(d, path, 1, 0);
	if (memcmp(h->ids[i].id, id, GIT_OID_RAWSZ))
		return not_clean(d, path, 1, 1);
	return 0;
}


/* root/rel/name into p; without root/ when root is NULL, without /name
 * when name is NULL. */
static void join3(struct sb *p, const char *root, const char *rel,
	const char *name)
{
	sb_reset(p);
	if (root) {
		sb_adds(p, root);
		sb_addc(p, '/');
	}
	sb_adds(p, rel);
	if (name) {
		sb_addc(p, '/');
		sb_adds(p, name);
	}
}

void store_work_case_paths(struct strlist *out, struct store *s)
{
	struct strlist years = STRLIST_INIT, folders = STRLIST_INIT;
	struct sb p = SB_INIT, y = SB_INIT, f = SB_INIT;
	struct folders *kept = folders_open(s->gitdir, s->shared);
	size_t i, j;

	join3(&p, s->root, "cases", "");
	dir_names(&years, p.buf, 1);
	strlist_sort(&years);
	for (i = 0; i < years.n; i++) {
		join3(&y, NULL, "cases", years.v[i]);
		join3(&p, s->root, y.buf, "");
		dir_names(&folders, p.buf, 1);
		strlist_sort(&folders);
		for (j = 0; j < folders.n; j++) {
			join3(&f, NULL, y.buf, folders.v[j]);
			join3(&p, s->root, f.buf, NULL);
			sb_addc(&f, '/');
			folders_list(kept, p.buf, f.buf, out);
		}
		strlist_release(&folders);
	}
	strlist_release(&years);
	folders_close(kept);
	sb_release(&f);
	sb_release(&y);
	sb_release(&p);
}

int store_case_paths(struct strlist *out, struct store *s, struct diag *d)
{
	struct strlist head = STRLIST_INIT, work = STRLIST_INIT;
	int ret;

	ret = head_case_paths(&head, NULL, s, d);
	if (!ret) {
		store_work_case_paths(&work, s);
		strlist_union(out, &head, &work);
	}
	strlist_release(&head);
	strlist_release(&work);
	return ret;
}

/* ---- repair and the index -------------------------------------------- */

int store_restore(struct store *s, const char *path, struct diag *d)
{
	struct gix_edit e;
	struct sb abs = SB_INIT;
	git_blob *blob = NULL;
	git_oid work;
	int ret, exists;

	if (!gitlock_held(&s->ilock))
		return diag_add(d, ERR_GENERIC, _("cannot restore '%s' "
			"without the store lock"), path);
	if (!path_ok(path))
		return diag_add(d, ERR_INVALID, _("invalid store path '%s'"),
			path);
	ret = head_blob(&blob, s, path, d);
	if (ret == ERR_NOTFOUND) {
		ret = diag_add(d, ERR_NOTFOUND, _("'%s' is not in the last "
			"commit"), path);
		goto out;
	}
	if (ret)
		goto out;
	remove_work_tmps(s, path);
	ret = work_blob_id(&work, &exists, s, path, d);
	if (ret)
		goto out;
	if (exists && !git_oid_equal(&work, git_blob_id(blob))) {
		ret = not_clean(d, path, 1, 1);
		goto out;
	}
	if (!exists)
		ret = work_write(s, path, git_blob_rawcontent(blob),
			(size_t)git_blob_rawsize(blob), 1, d);
	sb_addf(&abs, "%s/%s", s->root, path);
	memset(&e, 0, sizeof(e));
	memcpy(e.oid, git_blob_id(blob)->id, GIX_OIDLEN);
	if (!ret && lstat(abs.buf, &e.st) < 0)
		ret = diag_add(d, ERR_IO, _("cannot stat '%s': %s"), abs.buf,
			strerror(errno));
	if (!ret)
		session_put(s, path, &e);
out:
	sb_release(&abs);
	git_blob_free(blob);
	return ret;
}

int store_interrupted(struct store *s)
{
	return journal_exists(s);
}

int store_check_index(struct store *s, struct diag *d)
{
	struct head_cases *h = NULL;
	struct gix *ix = NULL;
	struct sb path = SB_INIT;
	const struct strlist *hp;
	size_t i, j, bad = 0;
	int ret, c;

	if (journal_exists(s))
		return diag_add(d, ERR_CONFLICT, _("a docket action was "
			"interrupted (.git/docket-pending): the next writing "
			"command or `docket check --repair` finishes it"));
	/* under the lock (check --repair), what it restored goes in first */
	if (gitlock_held(&s->ilock)) {
		ret = session_install(s, d);
		if (!ret)
			ret = session_index(s, d);
		ix = s->index;
	} else {
		sb_addf(&path, "%s/index", s->gitdir);
		ret = gix_read(&ix, path.buf, 0, d);
	}
	if (!ret)
		ret = store_head_cases(&h, s, d);
	if (ret)
		goto out;
	if (ix->partial)
		goto out;
	hp = head_cases_paths(h);
	/* both sorted: walk them together over the case files */
	for (i = j = 0; i < hp->n || j < ix->n;) {
		if (j < ix->n && strncmp(ix->e[j].path, "cases/", 6)) {
			j++;
			continue;
		}
		c = i == hp->n ? 1 : j == ix->n ? -1 :
			strcmp(hp->v[i], ix->e[j].path);
		if (c == 0 && !memcmp(gix_oid(&ix->e[j]), h->ids[i].id,
		    GIX_OIDLEN) && !(ix->e[j].flags & GIX_STAGEMASK)) {
			i++;
			j++;
			continue;
		}
		if (bad++ < 20)
			diag_add(d, ERR_CONFLICT, _("'%s': git's index does not "
				"hold what the last commit holds (a staged "
				"change or deletion; `git status` shows it, "
				"`git restore --staged` undoes it)"),
				c <= 0 ? hp->v[i] : ix->e[j].path);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	if (bad > 20)
		diag_add(d, ERR_CONFLICT, _("%zu more case files differ "
			"between git's index and the last commit"), bad - 20);
	ret = bad ? ERR_CONFLICT : 0;
out:
	head_cases_free(h);
	if (ix != s->index)
		gix_free(ix);
	sb_release(&path);
	return ret;
}

void store_refresh_index(struct store *s, const struct stale_entry *v,
	size_t n)
{
	struct diag quiet = DIAG_INIT;
	struct gix_edit e;
	size_t i, kept = 0;
	int writing = gitlock_held(&s->ilock);
	long at;

	/* a writer's session takes them with its own changes; a reader
	 * takes git's lock only if it is free at once, as `git status` */
	if (!n || (!writing && gitlock_take(&s->ilock, s->gitdir, "index", 0,
	    store_file_mode(s), &quiet)))
		goto out;
	if (session_index(s, &quiet) || gix_writable(s->index) ||
	    s->index->conflicts)
		goto done;
	for (i = 0; i < n; i++) {
		at = gix_find(s->index, v[i].path);
		if (at < 0 || session_edit(s, v[i].path) ||
		    memcmp(gix_oid(&s->index->e[at]), v[i].oid, GIX_OIDLEN))
			continue;
		memset(&e, 0, sizeof(e));
		memcpy(e.oid, v[i].oid, GIX_OIDLEN);
		e.st = v[i].st;
		session_put(s, v[i].path, &e);
		kept++;
	}
	if (kept && !writing)
		(void)session_flush(s, &quiet);
done:
	if (!writing)
		session_end(s);
out:
	diag_release(&quiet);
}
