/*
 * floor.c - the floor a docket write is measured against in `make
 * bench`: one file committed with libgit2 and nothing else (no index,
 * no work-tree file, no lock but the branch's, no config, no caches).
 *
 *   floor STORE PATH FILE   commit FILE's bytes as PATH on HEAD's branch
 *
 * The blob is made from the bytes read, not with git_blob_create_from_disk(),
 * which reads .gitattributes through git's index (and libgit2 cannot
 * read a split one).
 */
#include <stdio.h>
#include <stdlib.h>
#include <git2.h>

/* The whole file at path, malloc'd; NULL if it cannot be read. */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = malloc((size_t)n + 1)) &&
	    fread(buf, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int fail(const char *what)
{
	const git_error *e = git_error_last();

	fprintf(stderr, "floor: %s: %s\n", what, e ? e->message : "?");
	return 1;
}

int main(int argc, char **argv)
{
	git_repository *repo = NULL;
	git_commit *parent = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_signature *sig = NULL;
	git_tree_update up;
	git_oid blob, tree_oid, head, commit;
	char *data = NULL;
	size_t len = 0;
	int ret = 1;

	if (argc != 4) {
		fprintf(stderr, "usage: floor STORE PATH FILE\n");
		return 2;
	}
	git_libgit2_init();
	if (git_repository_open(&repo, argv[1]) < 0)
		return fail("open");
	if (git_reference_name_to_id(&head, repo, "HEAD") < 0 ||
	    git_commit_lookup(&parent, repo, &head) < 0 ||
	    git_commit_tree(&base, parent) < 0)
		goto out;
	data = slurp(argv[3], &len);
	if (!data || git_blob_create_from_buffer(&blob, repo, data, len) < 0)
		goto out;
	up.action = GIT_TREE_UPDATE_UPSERT;
	up.id = blob;
	up.filemode = GIT_FILEMODE_BLOB;
	up.path = argv[2];
	if (git_tree_create_updated(&tree_oid, repo, base, 1, &up) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_oid) < 0 ||
	    git_signature_now(&sig, "Bench", "bench@example.org") < 0 ||
	    git_commit_create(&commit, repo, "HEAD", sig, sig, NULL,
	    "floor\n", tree, 1, (const git_commit **)&parent) < 0)
		goto out;
	ret = 0;
out:
	if (ret)
		fail("commit");
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(parent);
	git_repository_free(repo);
	git_libgit2_shutdown();
	free(data);
	return ret;
}
