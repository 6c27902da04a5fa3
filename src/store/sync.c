/*
 * sync.c - merge what another office pushed into this store's branch.
 *
 * libgit2 merges the trees; every case file both sides changed is then
 * merged again by casemerge (field by field, never conflict markers),
 * and the result goes through the ordinary transaction (journal, work
 * tree, index, ref), so a sync killed half-way is finished or undone by
 * the next command like any other action.
 */
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "casemerge.h"
#include "intl.h"
#include "remote.h"
#include "store-int.h"

struct merge_ctx {
	git_repository *repo;
	git_tree *base, *ours, *theirs;
	git_index *idx;
	struct strlist cases;	/* ids merged field by field */
	struct sync_stats *st;
};

/* A blob's bytes at path in tree, or absent (*present = 0). */
static int blob_at(struct sb *out, int *present, git_repository *repo,
	git_tree *tree, const char *path, struct diag *d)
{
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	int err;

	sb_reset(out);
	*present = 0;
	if (!tree)
		return 0;
	err = git_tree_entry_bypath(&e, tree, path);
	if (err == GIT_ENOTFOUND)
		return 0;
	if (err < 0 || git_blob_lookup(&b, repo, git_tree_entry_id(e)) < 0) {
		git_tree_entry_free(e);
		return git_fail(d, _("cannot read the history"));
	}
	sb_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	*present = 1;
	git_blob_free(b);
	git_tree_entry_free(e);
	return 0;
}

static void id_of_path(char *out, size_t cap, const char *path)
{
	const char *slash = strrchr(path, '/');
	size_t n;

	slash = slash ? slash + 1 : path;
	n = strlen(slash) - 5;
	if (n >= cap)
		n = cap - 1;
	memcpy(out, slash, n);
	out[n] = '\0';
}

/* Merge one case file both sides changed into the merged index. */
static int merge_case(struct merge_ctx *m, const char *path, struct diag *d)
{
	struct sb b = SB_INIT, o = SB_INIT, t = SB_INIT, out = SB_INIT;
	struct casemerge_info info;
	git_index_entry e;
	int hb, ho, ht, ret;
	char id[CASE_ID_BUFSZ];

	ret = blob_at(&b, &hb, m->repo, m->base, path, d);
	ret = ret ? ret : blob_at(&o, &ho, m->repo, m->ours, path, d);
	ret = ret ? ret : blob_at(&t, &ht, m->repo, m->theirs, path, d);
	if (ret)
		goto out;
	if (!ho || !ht) {
		ret = diag_add(d, ERR_CONFLICT, _("%s was removed at one site "
			"and changed at the other; merge with git by hand "
			"(git pull), then run docket check"), path);
		goto out;
	}
	ret = case_merge3(&out, hb ? b.buf : NULL, b.len, o.buf, o.len,
		t.buf, t.len, path, &info, d);
	if (ret)
		goto out;
	memset(&e, 0, sizeof(e));
	e.mode = GIT_FILEMODE_BLOB;
	e.path = path;
	if (git_blob_create_from_buffer(&e.id, m->repo, out.buf, out.len) < 0
	    || git_index_conflict_remove(m->idx, path) < 0 ||
	    git_index_add(m->idx, &e) < 0) {
		ret = git_fail(d, _("cannot merge a case file"));
		goto out;
	}
	id_of_path(id, sizeof(id), path);
	strlist_push(&m->cases, id);
	m->st->merged++;
	m->st->decided_twice += info.decided_twice != 0;
out:
	sb_release(&b);
	sb_release(&o);
	sb_release(&t);
	sb_release(&out);
	return ret;
}

/* The paths a diff between two trees touches. */
static int changed_paths(struct strlist *out, git_repository *repo,
	git_tree *a, git_tree *b, struct diag *d)
{
	git_diff *diff = NULL;
	size_t i, n;

	if (git_diff_tree_to_tree(&diff, repo, a, b, NULL) < 0)
		return git_fail(d, _("cannot compare the two histories"));
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++) {
		const git_diff_delta *dd = git_diff_get_delta(diff, i);

		strlist_push(out, dd->new_file.path);
		if (strcmp(dd->old_file.path, dd->new_file.path))
			strlist_push(out, dd->old_file.path);
	}
	git_diff_free(diff);
	return 0;
}

/* Every case file both sides changed, merged by field; anything else
 * left in conflict is the user's (docket.yaml edited at both sites). */
static int merge_cases(struct merge_ctx *m, struct diag *d)
{
	struct strlist mine = STRLIST_INIT, theirs = STRLIST_INIT;
	const git_index_entry *anc, *our, *their;
	git_index_conflict_iterator *it = NULL;
	size_t i;
	int ret;

	ret = changed_paths(&mine, m->repo, m->base, m->ours, d);
	ret = ret ? ret : changed_paths(&theirs, m->repo, m->base, m->theirs,
		d);
	for (i = 0; !ret && i < mine.n; i++)
		if (case_file_path(mine.v[i]) &&
		    strlist_has(&theirs, mine.v[i]))
			ret = merge_case(m, mine.v[i], d);
	if (ret)
		goto out;
	if (git_index_conflict_iterator_new(&it, m->idx) < 0) {
		ret = git_fail(d, _("cannot read the merge"));
		goto out;
	}
	if (git_index_conflict_next(&anc, &our, &their, it) == 0) {
		const char *p = our ? our->path : their ? their->path :
			anc->path;

		ret = diag_add(d, ERR_CONFLICT, _("%s was changed at both "
			"sites; merge it with git by hand (git pull, edit, git "
			"commit), then sync again; nothing was changed"), p);
	}
out:
	git_index_conflict_iterator_free(it);
	strlist_release(&mine);
	strlist_release(&theirs);
	return ret;
}

/* The merge commit: both parents, a trailer per case merged. */
static int merge_commit(git_oid *out, struct merge_ctx *m,
	git_commit *local, git_commit *remote, const char *remote_name,
	const struct signer *author, const char *actor, struct diag *d)
{
	const git_commit *parents[2] = { local, remote };
	git_signature *sig = NULL;
	git_tree *tree = NULL;
	struct sb msg = SB_INIT;
	git_oid tree_oid;
	size_t i;
	int ret = 0;

	if (git_index_write_tree_to(&tree_oid, m->idx, m->repo) < 0 ||
	    git_tree_lookup(&tree, m->repo, &tree_oid) < 0) {
		ret = git_fail(d, _("cannot write the merged tree"));
		goto out;
	}
	sb_addf(&msg, "sync: merged with %s", remote_name);
	if (m->cases.n)
		sb_addf(&msg, ", %zu case%s merged field by field",
			m->cases.n, m->cases.n == 1 ? "" : "s");
	sb_adds(&msg, "\n\n");
	for (i = 0; i < m->cases.n; i++)
		sb_addf(&msg, "Case: %s\n", m->cases.v[i]);
	sb_addf(&msg, "Action: sync\nActor: %s\n", actor);
	if (git_signature_new(&sig, author->name, author->email,
	    author->when.t, author->when.off) < 0 ||
	    git_commit_create(out, m->repo, NULL, sig, sig, NULL, msg.buf,
	    tree, 2, parents) < 0)
		ret = git_fail(d, _("cannot create the merge commit"));
out:
	git_signature_free(sig);
	git_tree_free(tree);
	sb_release(&msg);
	return ret;
}

/* Move the branch from local to target through a transaction that
 * writes every file in which their trees differ. */
static int apply(struct store *s, git_commit *local, const git_oid *target,
	const struct signer *sig, const char *actor, struct sync_stats *st,
	struct diag *d)
{
	struct strlist paths = STRLIST_INIT;
	git_commit *tc = NULL;
	git_tree *from = NULL, *to = NULL;
	struct txn *t = txn_new(s);
	char oid[41];
	struct sb data = SB_INIT;
	size_t i;
	int ret, present;

	if (git_commit_lookup(&tc, s->repo, target) < 0 ||
	    git_commit_tree(&to, tc) < 0 || git_commit_tree(&from, local) < 0) {
		ret = git_fail(d, _("cannot read the history"));
		goto out;
	}
	ret = changed_paths(&paths, s->repo, from, to, d);
	for (i = 0; !ret && i < paths.n; i++) {
		ret = blob_at(&data, &present, s->repo, to, paths.v[i], d);
		if (!ret && !present)
			ret = diag_add(d, ERR_CONFLICT, _("the other site "
				"removed %s; docket does not remove what was "
				"filed: merge with git by hand (git pull)"),
				paths.v[i]);
		if (!ret)
			txn_put(t, paths.v[i], data.buf, data.len);
	}
	if (ret)
		goto out;
	txn_target(t, target, git_commit_id(local));
	ret = txn_commit(t, sig, "sync", actor, "sync", oid, d);
	if (!ret)
		st->files = paths.n;
out:
	sb_release(&data);
	txn_free(t);
	strlist_release(&paths);
	git_tree_free(from);
	git_tree_free(to);
	git_commit_free(tc);
	return ret;
}

static int lookup_commits(git_commit **local, git_commit **remote,
	struct store *s, const char *remote_name, const char *branch,
	struct diag *d)
{
	struct sb ref = SB_INIT, head = SB_INIT;
	git_oid lo, ro;
	int err, ret = 0;

	sb_addf(&ref, REMOTE_SYNC_REFS "/%s/%s", remote_name, branch);
	sb_addf(&head, "refs/heads/%s", branch);
	err = git_reference_name_to_id(&ro, s->repo, ref.buf);
	if (err == GIT_ENOTFOUND)
		goto out;	/* an empty remote: nothing to merge */
	if (err < 0 || git_reference_name_to_id(&lo, s->repo, head.buf) < 0 ||
	    git_commit_lookup(local, s->repo, &lo) < 0 ||
	    git_commit_lookup(remote, s->repo, &ro) < 0)
		ret = git_fail(d, _("cannot read the branches to merge"));
out:
	sb_release(&ref);
	sb_release(&head);
	return ret;
}

int store_sync_merge(struct store *s, const char *remote_name,
	const char *branch, const struct signer *author, const char *actor,
	struct sync_stats *st, struct diag *d)
{
	git_merge_options mopts;
	struct merge_ctx m;
	git_commit *local = NULL, *remote = NULL, *basec = NULL;
	git_oid base, merged;
	int ret;

	memset(st, 0, sizeof(*st));
	memset(&m, 0, sizeof(m));
	git_merge_options_init(&mopts, GIT_MERGE_OPTIONS_VERSION);
	m.repo = s->repo;
	m.st = st;
	ret = lookup_commits(&local, &remote, s, remote_name, branch, d);
	if (ret || !remote || !local) {
		st->up_to_date = 1;
		goto out;
	}
	if (git_oid_equal(git_commit_id(local), git_commit_id(remote)) ||
	    git_graph_descendant_of(s->repo, git_commit_id(local),
	    git_commit_id(remote)) == 1) {
		st->up_to_date = 1;
		goto out;
	}
	if (git_graph_descendant_of(s->repo, git_commit_id(remote),
	    git_commit_id(local)) == 1) {
		st->fast_forward = 1;
		ret = apply(s, local, git_commit_id(remote), author, actor,
			st, d);
		goto out;
	}
	if (git_merge_base(&base, s->repo, git_commit_id(local),
	    git_commit_id(remote)) < 0 ||
	    git_commit_lookup(&basec, s->repo, &base) < 0 ||
	    git_commit_tree(&m.base, basec) < 0 ||
	    git_commit_tree(&m.ours, local) < 0 ||
	    git_commit_tree(&m.theirs, remote) < 0) {
		ret = diag_add(d, ERR_CONFLICT, _("this store and %s share no "
			"history; a store can only sync with its own clones"),
			remote_name);
		goto out;
	}
	if (git_merge_trees(&m.idx, s->repo, m.base, m.ours, m.theirs,
	    &mopts) < 0) {
		ret = git_fail(d, _("cannot merge the two histories"));
		goto out;
	}
	ret = merge_cases(&m, d);
	if (!ret)
		ret = merge_commit(&merged, &m, local, remote, remote_name,
			author, actor, d);
	if (!ret)
		ret = apply(s, local, &merged, author, actor, st, d);
out:
	git_index_free(m.idx);
	git_tree_free(m.base);
	git_tree_free(m.ours);
	git_tree_free(m.theirs);
	git_commit_free(basec);
	git_commit_free(local);
	git_commit_free(remote);
	strlist_release(&m.cases);
	return ret;
}
