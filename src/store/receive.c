/*
 * receive.c - what the central repository accepts from an office
 * (`docket hook pre-receive`, DESIGN section 14): no branch deleted or
 * rewritten, no case file removed or made invalid, and, when the pusher
 * is known to belong to a site, no new case under another site's prefix.
 *
 * git runs the hook in the bare repository with the pushed objects in a
 * quarantine folder (GIT_OBJECT_DIRECTORY); libgit2 does not read that
 * variable, so the folder is added to the object database here.
 */
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "codec.h"
#include "config.h"
#include "intl.h"
#include "remote.h"
#include "store-int.h"

static int open_bare(git_repository **repo, const char *gitdir,
	struct diag *d)
{
	const char *quarantine = getenv("GIT_OBJECT_DIRECTORY");
	git_odb *odb = NULL;
	int ret = 0;

	if (git_repository_open_bare(repo, gitdir) < 0)
		return git_fail(d, _("cannot open the repository"));
	if (quarantine && *quarantine &&
	    (git_repository_odb(&odb, *repo) < 0 ||
	    git_odb_add_disk_alternate(odb, quarantine) < 0))
		ret = git_fail(d, _("cannot read the pushed objects"));
	git_odb_free(odb);
	return ret;
}

static int tree_of(git_tree **out, git_repository *repo, const git_oid *id,
	struct diag *d)
{
	git_commit *c = NULL;
	int ret = 0;

	if (git_commit_lookup(&c, repo, id) < 0 || git_commit_tree(out, c) < 0)
		ret = git_fail(d, _("cannot read the pushed commit"));
	git_commit_free(c);
	return ret;
}

static int blob_text(struct sb *out, git_repository *repo,
	const git_oid *id)
{
	git_blob *b = NULL;

	sb_reset(out);
	if (git_blob_lookup(&b, repo, id) < 0)
		return -1;
	sb_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	git_blob_free(b);
	return 0;
}

struct push_check {
	git_repository *repo;
	const struct config *cfg;
	const struct site *site;	/* the pusher's, or NULL */
	struct diag *d;
	int bad;
};

/* One file the push changes: a case file must stay, be valid, and a
 * new one must carry the pusher's own prefix. */
static void check_delta(struct push_check *k, const git_diff_delta *dd)
{
	const char *path = dd->new_file.path;
	const char *name = strrchr(path, '/');
	struct sb text = SB_INIT;
	struct dcase c;
	const struct site *owner;

	if (strncmp(path, "cases/", 6) || !name || !case_file_name(name + 1))
		return;
	if (dd->status == GIT_DELTA_DELETED) {
		diag_add(k->d, ERR_CONFLICT, _("%s: a case file may not be "
			"removed from the shared history"), path);
		k->bad = 1;
		return;
	}
	case_init(&c);
	if (blob_text(&text, k->repo, &dd->new_file.id) ||
	    case_parse(&c, text.buf, text.len, path, k->d)) {
		k->bad = 1;
		goto out;
	}
	if (dd->status == GIT_DELTA_ADDED && k->site &&
	    (owner = config_site_of_id(k->cfg, c.id)) != k->site) {
		diag_add(k->d, ERR_PERM, _("%s: site %s may file only cases "
			"under its own prefix %s"), path, k->site->id,
			k->site->prefix);
		k->bad = 1;
	}
out:
	case_release(&c);
	sb_release(&text);
}

static int check_trees(struct push_check *k, git_tree *old, git_tree *new)
{
	git_diff *diff = NULL;
	size_t i, n;

	if (git_diff_tree_to_tree(&diff, k->repo, old, new, NULL) < 0)
		return git_fail(k->d, _("cannot compare the pushed commit"));
	n = git_diff_num_deltas(diff);
	for (i = 0; i < n; i++)
		check_delta(k, git_diff_get_delta(diff, i));
	git_diff_free(diff);
	return k->bad ? ERR_CONFLICT : 0;
}

/* docket.yaml as the push leaves it: the sites to hold pushers to. */
static int load_config(struct config *cfg, git_repository *repo,
	git_tree *tree, struct diag *d)
{
	git_tree_entry *e = NULL;
	struct sb text = SB_INIT;
	int ret = 0;

	if (git_tree_entry_bypath(&e, tree, CONFIG_FILE) < 0 ||
	    blob_text(&text, repo, git_tree_entry_id(e)))
		ret = diag_add(d, ERR_INVALID, _("the push has no %s"),
			CONFIG_FILE);
	else
		ret = config_parse(cfg, text.buf, text.len, CONFIG_FILE, d);
	git_tree_entry_free(e);
	sb_release(&text);
	return ret;
}

int store_check_push(const char *gitdir, const char *oldhex,
	const char *newhex, const char *ref, const char *pusher_site,
	struct diag *d)
{
	struct push_check k;
	git_repository *repo = NULL;
	git_tree *old = NULL, *new = NULL;
	struct config cfg;
	git_oid o, n;
	int ret;

	memset(&k, 0, sizeof(k));
	memset(&cfg, 0, sizeof(cfg));
	git_libgit2_init();
	if (git_oid_fromstr(&o, oldhex) < 0 || git_oid_fromstr(&n, newhex) < 0) {
		ret = diag_add(d, ERR_INVALID, _("bad input from git: %s %s "
			"%s"), oldhex, newhex, ref);
		goto out;
	}
	if (git_oid_is_zero(&n)) {
		ret = diag_add(d, ERR_CONFLICT, _("%s: the shared history may "
			"not be deleted"), ref);
		goto out;
	}
	ret = open_bare(&repo, gitdir, d);
	if (ret)
		goto out;
	if (!git_oid_is_zero(&o) && !git_oid_equal(&o, &n) &&
	    git_graph_descendant_of(repo, &n, &o) != 1) {
		ret = diag_add(d, ERR_CONFLICT, _("%s: the push rewrites the "
			"shared history (not a fast-forward); run 'docket "
			"sync' instead of forcing a push"), ref);
		goto out;
	}
	ret = tree_of(&new, repo, &n, d);
	if (!ret && !git_oid_is_zero(&o))
		ret = tree_of(&old, repo, &o, d);
	if (!ret)
		ret = load_config(&cfg, repo, new, d);
	if (ret)
		goto out;
	k.repo = repo;
	k.cfg = &cfg;
	k.d = d;
	k.site = pusher_site ? config_site(&cfg, pusher_site) : NULL;
	ret = check_trees(&k, old, new);
out:
	config_release(&cfg);
	git_tree_free(old);
	git_tree_free(new);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}

char *store_pusher_site(const char *gitdir, const char *name)
{
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	struct sb key = SB_INIT;
	const char *v = NULL;
	char *site = NULL;

	if (!name || !*name)
		return NULL;
	git_libgit2_init();
	sb_addf(&key, "docket.pusher.%s", name);
	if (git_repository_open_bare(&repo, gitdir) == 0 &&
	    git_repository_config_snapshot(&cfg, repo) == 0 &&
	    git_config_get_string(&v, cfg, key.buf) == 0 && *v)
		site = xstrdup(v);
	if (!site)
		site = xstrdup(name);
	git_config_free(cfg);
	git_repository_free(repo);
	sb_release(&key);
	git_libgit2_shutdown();
	return site;
}
