/*
 * refer.c - another office's store as a fetch of it left it
 * (refs/docket/sync/REMOTE/BRANCH): read its files, number a case in it,
 * and make the commit that adds a case sent there (docket refer
 * --to-store).  The commit is made in this repository, on top of the
 * fetched tip, and pushed from REMOTE_REFER_REF; nothing here touches
 * this store's own branch, index or work tree.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "intl.h"
#include "remote.h"
#include "store-int.h"

static int remote_tree(git_tree **out, git_oid *tip, struct store *s,
	const char *remote, const char *branch, struct diag *d)
{
	struct sb ref = SB_INIT;
	git_commit *c = NULL;
	int ret = 0;

	*out = NULL;
	sb_addf(&ref, REMOTE_SYNC_REFS "/%s/%s", remote, branch);
	if (git_reference_name_to_id(tip, s->repo, ref.buf) < 0 ||
	    git_commit_lookup(&c, s->repo, tip) < 0 ||
	    git_commit_tree(out, c) < 0)
		ret = diag_add(d, ERR_GIT, _("cannot read what was fetched "
			"from %s (%s)"), remote, ref.buf);
	git_commit_free(c);
	sb_release(&ref);
	return ret;
}

int remote_read(struct sb *out, git_oid *tip, struct store *s,
	const char *remote, const char *branch, const char *path,
	struct diag *d)
{
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	int ret;

	sb_reset(out);
	ret = remote_tree(&tree, tip, s, remote, branch, d);
	if (ret)
		return ret;
	if (git_tree_entry_bypath(&e, tree, path) < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		ret = ERR_NOTFOUND;
		goto out;
	}
	if (git_blob_lookup(&b, s->repo, git_tree_entry_id(e)) < 0) {
		ret = git_fail(d, _("cannot read a file of the other store"));
		goto out;
	}
	sb_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
out:
	git_blob_free(b);
	git_tree_entry_free(e);
	git_tree_free(tree);
	return ret;
}

/* The highest number of prefix and year among the names of one folder
 * of case files (cases/YEAR/NNN). */
static long folder_max(git_repository *repo, const git_tree_entry *dir,
	const char *prefix, int year)
{
	char pfx[CASE_ID_BUFSZ], name[CASE_ID_BUFSZ];
	git_tree *t = NULL;
	size_t i, n;
	long max = 0, seq;
	int y;

	if (git_tree_entry_type(dir) != GIT_OBJECT_TREE ||
	    git_tree_lookup(&t, repo, git_tree_entry_id(dir)) < 0)
		return 0;
	n = git_tree_entrycount(t);
	for (i = 0; i < n; i++) {
		const char *f = git_tree_entry_name(git_tree_entry_byindex(t, i));
		size_t len = strlen(f);

		if (len < 6 || len - 5 >= sizeof(name) ||
		    strcmp(f + len - 5, ".yaml"))
			continue;
		memcpy(name, f, len - 5);
		name[len - 5] = '\0';
		if (!case_id_split(name, pfx, &y, &seq) && y == year &&
		    !strcmp(pfx, prefix ? prefix : "") && seq > max)
			max = seq;
	}
	git_tree_free(t);
	return max;
}

int remote_next_seq(long *out, struct store *s, const char *remote,
	const char *branch, const char *prefix, int year, struct diag *d)
{
	git_tree *tree = NULL, *yt = NULL;
	git_tree_entry *e = NULL;
	char path[32];
	git_oid tip;
	size_t i, n;
	long max = 0, m;
	int ret;

	*out = 0;
	ret = remote_tree(&tree, &tip, s, remote, branch, d);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "cases/%04d", year);
	if (git_tree_entry_bypath(&e, tree, path) == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE &&
	    git_tree_lookup(&yt, s->repo, git_tree_entry_id(e)) == 0) {
		n = git_tree_entrycount(yt);
		for (i = 0; i < n; i++) {
			m = folder_max(s->repo, git_tree_entry_byindex(yt, i),
				prefix, year);
			if (m > max)
				max = m;
		}
	}
	*out = max + 1;
	git_tree_free(yt);
	git_tree_entry_free(e);
	git_tree_free(tree);
	return ret;
}

int remote_add_file(struct store *s, const git_oid *tip, const char *path,
	const char *data, size_t len, const char *message,
	const struct signer *author, struct diag *d)
{
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_index *idx = NULL;
	git_signature *sig = NULL;
	git_reference *ref = NULL;
	git_index_entry ent;
	git_oid tree_oid, commit;
	int ret = 0;

	memset(&ent, 0, sizeof(ent));
	ent.mode = GIT_FILEMODE_BLOB;
	ent.path = path;
	if (git_commit_lookup(&parent, s->repo, tip) < 0 ||
	    git_commit_tree(&base, parent) < 0 ||
	    git_index_new(&idx) < 0 || git_index_read_tree(idx, base) < 0 ||
	    git_blob_create_from_buffer(&ent.id, s->repo, data, len) < 0 ||
	    git_index_add(idx, &ent) < 0 ||
	    git_index_write_tree_to(&tree_oid, idx, s->repo) < 0 ||
	    git_tree_lookup(&tree, s->repo, &tree_oid) < 0) {
		ret = git_fail(d, _("cannot build the other store's tree"));
		goto out;
	}
	if (git_signature_new(&sig, author->name, author->email,
	    author->when.t, author->when.off) < 0 ||
	    git_commit_create(&commit, s->repo, NULL, sig, sig, NULL, message,
	    tree, 1, (const git_commit **)&parent) < 0 ||
	    git_reference_create(&ref, s->repo, REMOTE_REFER_REF, &commit, 1,
	    "docket refer --to-store") < 0)
		ret = git_fail(d, _("cannot make the commit for the other "
			"store"));
out:
	git_reference_free(ref);
	git_signature_free(sig);
	git_index_free(idx);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	return ret;
}

void store_delete_ref(struct store *s, const char *ref)
{
	/* best effort: a ref left behind only names a commit already sent */
	(void)git_reference_remove(s->repo, ref);
}
