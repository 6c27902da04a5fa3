/*
 * mend.c - case files a plain git command dropped, put back.
 *
 * A git command that reads the index before it takes index.lock and
 * writes it afterwards (`git stash pop` does: it reads the index, then
 * refreshes and writes it, and merges onto a tree made from what it
 * read) writes back an index older than a docket commit made in
 * between.  The case that commit added is then gone from the index
 * while HEAD and the work tree hold it, and the next `git commit -a`
 * commits its deletion; a case the commit changed is staged back to
 * its old contents.  Nobody chose either, and git's history holds every
 * blob involved, so each docket write, under index.lock, puts back:
 *
 *   - an index entry for a case file of HEAD that is missing, or holds
 *     a blob the file had in one of the last MEND_DEPTH commits, while
 *     the work-tree file is HEAD's blob;
 *   - a case file deleted by a commit docket did not make (one of those
 *     since docket's last commit) while the work tree kept the very
 *     blob deleted and HEAD and the index still lack it: the write
 *     records it again, with a "Restored: PATH" trailer.
 *
 * A case removed with `git rm` (the file goes too) or changed by hand
 * is not touched.  Each mend is a warning the command prints.
 *
 * Comparing every case file of HEAD with the index costs 100 ms at
 * 100,000 cases, and `git status` rewrites the index after most docket
 * writes (refreshing stat data only).  So each index docket writes
 * leaves .git/docket-index-cases: a digest of its case entries (path and
 * blob, XOR of one XXH3 each, so a write updates it from its own edits)
 * and the index's checksum.  An index someone else wrote whose digest is
 * still that one holds the same case entries: nothing was lost.
 *
 *   "DKTICAS" NUL | u32 version | u64 digest | checksum[20] | u64 sum
 */
#include <string.h>
#include <sys/stat.h>

#include "cachefile.h"
#include "case.h"
#include "intl.h"
#include "store-int.h"

#define CASESUM_FILE "docket-index-cases"
#define CASESUM_MAGIC "DKTICAS"
#define CASESUM_VERSION 1u

#define MEND_DEPTH 100		/* commits an older blob is looked for in */
#define MEND_WALK 1000		/* commits not docket's looked through */

/* 1 if docket made commit c: its message has the Action trailer. */
static int docket_made(const git_commit *c)
{
	const char *msg = git_commit_message(c);

	return msg && strstr(msg, "\nAction: ") && strstr(msg, "\nActor: ");
}

/* 1 if the work-tree file at path is a regular file holding blob. */
static int work_holds(struct store *s, const char *path, const git_oid *blob)
{
	struct diag quiet = DIAG_INIT;
	git_oid work;
	int exists, ret;

	ret = work_blob_id(&work, &exists, s, path, &quiet);
	diag_release(&quiet);
	return !ret && exists && git_oid_equal(&work, blob);
}

/* c's first parent (NULL at the root or if it cannot be read); c is
 * freed. */
static git_commit *first_parent(git_commit *c)
{
	git_commit *next = NULL;

	if (git_commit_parentcount(c) == 0 ||
	    git_commit_parent(&next, c, 0) < 0)
		next = NULL;
	git_commit_free(c);
	return next;
}

/* 1 if path held blob in head or one of its MEND_DEPTH first parents. */
static int blob_in_history(const git_commit *head,
	const char *path, const git_oid *blob)
{
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	int depth, found = 0;

	if (git_commit_dup(&c, (git_commit *)head) < 0)
		return 0;
	for (depth = 0; c && !found && depth < MEND_DEPTH; depth++) {
		if (git_commit_tree(&tree, c) == 0 &&
		    git_tree_entry_bypath(&e, tree, path) == 0)
			found = git_oid_equal(git_tree_entry_id(e), blob);
		git_tree_entry_free(e);
		e = NULL;
		git_tree_free(tree);
		tree = NULL;
		c = first_parent(c);
	}
	git_commit_free(c);
	return found;
}

/* The index entry of a case file HEAD has as blob, put back if a git
 * command lost it (see the top). */
static void mend_entry(struct store *s, const git_commit *head,
	const char *path, const git_oid *blob)
{
	struct gix_edit e;
	struct sb abs = SB_INIT;
	git_oid idx;
	int in_index = index_blob(&idx, s, path);

	if (in_index < 0 || (in_index && git_oid_equal(&idx, blob)))
		return;
	if (!work_holds(s, path, blob))
		return;
	if (in_index && !blob_in_history(head, path, &idx))
		return;
	memset(&e, 0, sizeof(e));
	memcpy(e.oid, blob->id, GIX_OIDLEN);
	sb_addf(&abs, "%s/%s", s->root, path);
	if (lstat(abs.buf, &e.st) == 0) {
		session_put(s, path, &e);
		diag_add(&s->warnings, ERR_CONFLICT, _("git's index had lost "
			"'%s' as the last commit has it (a git command such as "
			"`git stash pop` wrote back an index it had read "
			"earlier); docket staged it again"), path);
	}
	sb_release(&abs);
}

/* ---- the digest of an index's case entries ----------------------------- */

static int case_entry(const struct gix_ent *e)
{
	return !(e->flags & GIX_STAGEMASK) && !strncmp(e->path, "cases/", 6);
}

static uint64_t entry_hash(const char *path, size_t len,
	const unsigned char *oid)
{
	return cachefile_sum(oid, GIX_OIDLEN, cachefile_sum(path, len, 0));
}

static uint64_t index_digest(const struct gix *ix)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < ix->n; i++)
		if (case_entry(&ix->e[i]))
			h ^= entry_hash(ix->e[i].path, ix->e[i].pathlen,
				gix_oid(&ix->e[i]));
	return h;
}

/* The index file's own checksum (zeros if none was read). */
static void index_sum(unsigned char out[GIX_OIDLEN], const struct gix *ix)
{
	memset(out, 0, GIX_OIDLEN);
	if (ix && ix->map && ix->len >= GIX_OIDLEN)
		memcpy(out, ix->map + ix->len - GIX_OIDLEN, GIX_OIDLEN);
}

static void casesum_path(struct sb *p, const struct store *s)
{
	sb_addf(p, "%s/%s", s->gitdir, CASESUM_FILE);
}

/* The digest kept with the checksum of the index it was made for. */
static int casesum_load(uint64_t *digest, unsigned char sum[GIX_OIDLEN],
	const struct store *s)
{
	struct sb path = SB_INIT, buf = SB_INIT;
	int ret = -1;

	casesum_path(&path, s);
	if (!cachefile_read(&buf, path.buf, CASESUM_MAGIC, CASESUM_VERSION,
	    CACHEFILE_HDR + 8 + GIX_OIDLEN + CACHEFILE_TRAILER) &&
	    buf.len == CACHEFILE_HDR + 8 + GIX_OIDLEN) {
		*digest = get_le64((const unsigned char *)buf.buf +
			CACHEFILE_HDR);
		memcpy(sum, buf.buf + CACHEFILE_HDR + 8, GIX_OIDLEN);
		ret = 0;
	}
	sb_release(&buf);
	sb_release(&path);
	return ret;
}

static void casesum_save(uint64_t digest, const unsigned char *sum,
	const struct store *s)
{
	struct sb path = SB_INIT, out = SB_INIT;

	casesum_path(&path, s);
	cachefile_begin(&out, CASESUM_MAGIC, CASESUM_VERSION);
	sb_add_le64(&out, digest);
	sb_add(&out, sum, GIX_OIDLEN);
	(void)cachefile_seal(&out, path.buf, CASESUM_VERSION, s->shared);
	sb_release(&out);
	sb_release(&path);
}

/* The digest of s->index's case entries: the one kept for it, counted
 * already, or counted now (once per index read). */
static uint64_t digest_of_index(struct store *s)
{
	unsigned char kept[GIX_OIDLEN], now[GIX_OIDLEN];
	uint64_t h;

	if (s->index_digest_set)
		return s->index_digest;
	index_sum(now, s->index);
	if (casesum_load(&h, kept, s) || memcmp(kept, now, GIX_OIDLEN) ||
	    !memcmp(now, (unsigned char[GIX_OIDLEN]){ 0 }, GIX_OIDLEN))
		h = index_digest(s->index);
	s->index_digest = h;
	s->index_digest_set = 1;
	return h;
}

uint64_t mend_digest_step(struct store *s, const struct gix_edit *ed,
	size_t n)
{
	const struct gix *old = s->index;
	uint64_t h = digest_of_index(s);
	size_t i;
	long at;

	for (i = 0; i < n; i++) {
		if (strncmp(ed[i].path, "cases/", 6))
			continue;
		at = gix_find(old, ed[i].path);
		if (at >= 0)
			h ^= entry_hash(old->e[at].path, old->e[at].pathlen,
				gix_oid(&old->e[at]));
		if (!ed[i].remove)
			h ^= entry_hash(ed[i].path, strlen(ed[i].path),
				ed[i].oid);
	}
	return h;
}

void mend_digest_save(const struct store *s, uint64_t digest,
	const unsigned char *sum)
{
	casesum_save(digest, sum, s);
}

/* 1 if the index's case entries are those of the last index docket
 * wrote. */
static int cases_as_written(struct store *s)
{
	unsigned char kept[GIX_OIDLEN];
	uint64_t h;

	if (casesum_load(&h, kept, s))
		return 0;
	/* counted once: the write's own step starts from it */
	if (!s->index_digest_set) {
		s->index_digest = index_digest(s->index);
		s->index_digest_set = 1;
	}
	return h == s->index_digest;
}

/* Every case file of HEAD against the index, when someone else wrote
 * the index (one docket wrote holds what its commits hold) and changed
 * its case entries. */
static int mend_index(struct store *s, const git_commit *head,
	const git_tree *base, struct diag *d)
{
	struct strlist paths = STRLIST_INIT;
	git_oid *ids = NULL;
	size_t i;
	int ret;

	if (!s->index || !s->index->map || s->index_ours ||
	    cases_as_written(s))
		return 0;
	ret = tree_case_paths(&paths, &ids, s, base, d);
	for (i = 0; !ret && i < paths.n; i++)
		mend_entry(s, head, paths.v[i], &ids[i]);
	strlist_release(&paths);
	free(ids);
	return ret;
}

static int in_txn(const struct txn *t, const char *path)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (!strcmp(t->files[i].path, path))
			return 1;
	return 0;
}

/* Record path again in this commit, as blob, which its file holds. */
static void restore(struct txn *t, const git_commit *by, const char *path,
	const git_oid *blob, int staged)
{
	struct txn_file *f;
	git_blob *b = NULL;
	struct sb trailer = SB_INIT;
	char hex[GIT_OID_HEXSZ + 1];

	if (git_blob_lookup(&b, t->s->repo, blob) < 0)
		return;
	txn_put(t, path, git_blob_rawcontent(b),
		(size_t)git_blob_rawsize(b));
	git_blob_free(b);
	f = &t->files[t->n - 1];
	f->restored = 1;
	f->was_staged = staged;
	sb_addf(&trailer, "Restored: %s", path);
	strlist_push(&t->trailers, trailer.buf);
	sb_release(&trailer);
	git_oid_tostr(hex, sizeof(hex), git_commit_id(by));
	diag_add(&t->s->warnings, ERR_CONFLICT, _("'%s' was deleted by commit "
		"%.7s, which docket did not make, while its file stayed in the "
		"work tree; this commit records it again (to remove a case, "
		"use `git rm`, which removes its file too)"), path, hex);
}

/* The case files commit c deleted from its first parent's tree that
 * are still in the work tree as they were, HEAD and the index lacking
 * them: restored in t. */
static int mend_deleted(struct txn *t, const git_commit *c,
	const git_tree *base, struct diag *d)
{
	git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
	char *spec[] = { "cases/" };
	git_commit *parent = NULL;
	git_tree *old = NULL, *new = NULL;
	git_tree_entry *e = NULL;
	git_diff *diff = NULL;
	const git_diff_delta *dd;
	git_oid idx;
	size_t i;
	int ret = 0, staged, err;

	if (git_commit_parentcount(c) == 0)
		return 0;
	if (git_commit_parent(&parent, c, 0) < 0 ||
	    git_commit_tree(&old, parent) < 0 ||
	    git_commit_tree(&new, c) < 0) {
		ret = git_fail(d, _("cannot read the last commit"));
		goto out;
	}
	opts.pathspec.strings = spec;
	opts.pathspec.count = 1;
	if (git_diff_tree_to_tree(&diff, t->s->repo, old, new, &opts) < 0) {
		ret = git_fail(d, _("cannot read the last commit"));
		goto out;
	}
	for (i = 0; i < git_diff_num_deltas(diff); i++) {
		dd = git_diff_get_delta(diff, i);
		if (dd->status != GIT_DELTA_DELETED ||
		    !case_file_path(dd->old_file.path) ||
		    in_txn(t, dd->old_file.path))
			continue;
		err = git_tree_entry_bypath(&e, base, dd->old_file.path);
		git_tree_entry_free(e);
		e = NULL;
		if (err != GIT_ENOTFOUND)
			continue;
		staged = index_blob(&idx, t->s, dd->old_file.path);
		if (staged < 0 || (staged &&
		    !git_oid_equal(&idx, &dd->old_file.id)))
			continue;
		if (work_holds(t->s, dd->old_file.path, &dd->old_file.id))
			restore(t, c, dd->old_file.path, &dd->old_file.id,
				staged);
	}
out:
	git_diff_free(diff);
	git_tree_free(new);
	git_tree_free(old);
	git_commit_free(parent);
	return ret;
}

/* The commits since docket's last one (first parents, newest first). */
static int mend_commits(struct txn *t, const git_commit *head,
	const git_tree *base, struct diag *d)
{
	git_commit *c = NULL;
	int n, ret = 0;

	if (git_commit_dup(&c, (git_commit *)head) < 0)
		return git_fail(d, _("cannot read the last commit"));
	for (n = 0; !ret && c && !docket_made(c) && n < MEND_WALK; n++) {
		ret = mend_deleted(t, c, base, d);
		c = first_parent(c);
	}
	git_commit_free(c);
	return ret;
}

int store_mend(struct txn *t, const git_commit *head, const git_tree *base,
	struct diag *d)
{
	int ret;

	if (!head || !base || t->has_target)
		return 0;
	ret = mend_index(t->s, head, base, d);
	if (!ret && !docket_made(head))
		ret = mend_commits(t, head, base, d);
	return ret;
}
