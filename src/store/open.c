/*
 * open.c - finding, creating and opening a store; the one owner of its
 * libgit2 repository; the states of git in which docket must not write.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intl.h"
#include "store-int.h"

#ifdef DOCKET_FAULTS
void fault_at(const char *name, size_t n)
{
	const char *want = getenv("DOCKET_FAULT");
	char point[64];

	if (!want || !*want)
		return;
	if (n)
		snprintf(point, sizeof(point), "%s-%zu", name, n);
	else
		snprintf(point, sizeof(point), "%s", name);
	if (!strcmp(want, point))
		raise(SIGKILL);
}
#endif

/* ---- small helpers ---------------------------------------------------- */

/* Report the last libgit2 error as "WHAT: MESSAGE". */
int git_fail(struct diag *d, const char *what)
{
	const git_error *e = git_error_last();

	return diag_add(d, ERR_GIT, "%s: %s", what,
		e && e->message ? e->message : _("unknown libgit2 error"));
}

static mode_t dir_mode(int shared)
{
	/* setgid keeps the group on everything created below */
	return shared ? 02770 : 0700;
}

static mode_t file_mode(int shared)
{
	return shared ? 0660 : 0600;
}

mode_t store_file_mode(const struct store *s)
{
	return file_mode(s->shared);
}

/*
 * 1 if rel is a plain relative path inside the work tree: no leading '/',
 * no empty, "." or ".." component, nothing inside .git.
 */
int path_ok(const char *rel)
{
	const char *p = rel, *end;
	size_t n;

	if (!*rel || *rel == '/')
		return 0;
	for (;;) {
		end = strchr(p, '/');
		n = end ? (size_t)(end - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.') ||
		    (n == 4 && !strncasecmp(p, ".git", 4)))
			return 0;
		if (!end)
			return 1;
		p = end + 1;
	}
}

/*
 * Create the missing parent directories of rel below base (which exists),
 * with an exact mode whatever the umask.  Created directories are pushed
 * to `made` (when given) so a failed init can remove them.
 */
int make_parents(const char *base, const char *rel, int shared,
	struct strlist *made, struct diag *d)
{
	struct sb dir = SB_INIT;
	const char *slash;
	struct stat st;
	int ret = 0;

	for (slash = strchr(rel, '/'); slash; slash = strchr(slash + 1, '/')) {
		sb_reset(&dir);
		sb_addf(&dir, "%s/%.*s", base, (int)(slash - rel), rel);
		if (mkdir(dir.buf, 0700) == 0) {
			if (made)
				strlist_push(made, dir.buf);
			if (chmod(dir.buf, dir_mode(shared)) < 0) {
				ret = diag_add(d, ERR_IO, _("cannot chmod "
					"'%s': %s"), dir.buf, strerror(errno));
				goto out;
			}
		} else if (errno != EEXIST || lstat(dir.buf, &st) < 0 ||
		    !S_ISDIR(st.st_mode)) {
			ret = diag_add(d, ERR_IO, _("cannot create folder "
				"'%s': %s"), dir.buf, strerror(errno == EEXIST ?
				ENOTDIR : errno));
			goto out;
		}
	}
out:
	sb_release(&dir);
	return ret;
}

static int rm_one(const char *path, const struct stat *st, int flag,
	struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path) < 0 ? -1 : 0;
}

/* rm -rf, for undoing a failed init. */
void remove_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int file_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* The tree of HEAD's commit, or NULL (and 0) on an unborn branch. */
int head_tree(git_tree **out, struct store *s, struct diag *d)
{
	git_reference *head = NULL;
	git_object *obj = NULL;
	int err;

	*out = NULL;
	err = git_repository_head(&head, s->repo);
	if (err == GIT_EUNBORNBRANCH || err == GIT_ENOTFOUND)
		return 0;
	if (err < 0)
		return git_fail(d, _("cannot read HEAD"));
	err = git_reference_peel(&obj, head, GIT_OBJECT_TREE);
	git_reference_free(head);
	if (err < 0)
		return git_fail(d, _("cannot read the last commit's tree"));
	*out = (git_tree *)obj;
	return 0;
}

/* The branch HEAD points at ("refs/heads/main"), or NULL if detached. */
char *head_branch(struct store *s)
{
	git_reference *head = NULL;
	char *branch = NULL;

	if (git_reference_lookup(&head, s->repo, "HEAD") == 0 &&
	    git_reference_type(head) == GIT_REFERENCE_SYMBOLIC &&
	    !strncmp(git_reference_symbolic_target(head), "refs/heads/", 11)
	    && path_ok(git_reference_symbolic_target(head)))
		branch = xstrdup(git_reference_symbolic_target(head));
	git_reference_free(head);
	return branch;
}

/* ---- finding the store ------------------------------------------------ */

/* The store named by -C or $DOCKET_DIR: must exist and hold docket.yaml. */
static int root_at(char **out, const char *dir, struct diag *d)
{
	struct sb cfg = SB_INIT;
	char *abs = NULL;
	int ret = 0;

	abs = realpath(dir, NULL);
	if (!abs) {
		ret = diag_add(d, ERR_NOTFOUND, _("cannot use store '%s': %s"),
			dir, strerror(errno));
		goto out;
	}
	sb_addf(&cfg, "%s/docket.yaml", strcmp(abs, "/") ? abs : "");
	if (!file_exists(cfg.buf)) {
		ret = diag_add(d, ERR_NOTFOUND, _("'%s' is not a docket store "
			"(no docket.yaml)"), dir);
		goto out;
	}
	*out = abs;
	abs = NULL;
out:
	free(abs);
	sb_release(&cfg);
	return ret;
}

/* The nearest directory from the working directory up holding docket.yaml. */
static int walk_up(char **out, struct diag *d)
{
	struct sb cfg = SB_INIT;
	char *cwd = NULL, *slash;
	int ret = 0;

	cwd = getcwd(NULL, 0);
	if (!cwd) {
		ret = diag_add(d, ERR_IO, _("cannot get the working directory: "
			"%s"), strerror(errno));
		goto out;
	}
	for (;;) {
		sb_reset(&cfg);
		sb_addf(&cfg, "%s/docket.yaml", strcmp(cwd, "/") ? cwd : "");
		if (file_exists(cfg.buf)) {
			*out = xstrdup(cwd);
			goto out;
		}
		slash = strrchr(cwd, '/');
		if (!slash || !strcmp(cwd, "/"))
			break;
		if (slash == cwd)
			slash[1] = '\0';
		else
			*slash = '\0';
	}
	ret = diag_add(d, ERR_NOTFOUND, _("not in a docket store (no "
		"docket.yaml here or in any parent; use -C DIR or set "
		"DOCKET_DIR)"));
out:
	free(cwd);
	sb_release(&cfg);
	return ret;
}

int store_find(char **out, const char *dir_opt, struct diag *d)
{
	const char *env = getenv("DOCKET_DIR");

	*out = NULL;
	if (dir_opt)
		return root_at(out, dir_opt, d);
	if (env && *env)
		return root_at(out, env, d);
	return walk_up(out, d);
}

/* ---- init ------------------------------------------------------------- */

/*
 * What every store needs from git's attributes: case files, attachments
 * and the configuration stay byte for byte in the work tree, so that
 * core.autocrlf or an eol rule never makes a case look edited by hand.
 */
static const char gitattributes[] =
	"# docket: these files are kept byte for byte (no end-of-line\n"
	"# conversion), whatever core.autocrlf or another rule says;\n"
	"# case files merge field by field (docket merge-driver).\n"
	"docket.yaml -text\n"
	"cases/** -text merge=docket\n"
	"attachments/** -text\n"
	"forms/** -text\n";

/* Write a new file of init below root (never over one that is there). */
static int init_put(const char *root, const char *rel, const char *data,
	size_t len, int shared, struct strlist *made, struct diag *d)
{
	struct sb path = SB_INIT;
	int ret;

	ret = make_parents(root, rel, shared, made, d);
	if (!ret) {
		sb_addf(&path, "%s/%s", root, rel);
		ret = write_file_atomic(path.buf, data, len, file_mode(shared),
			AW_SYNC | AW_CREATE, d);
		if (!ret)
			strlist_push(made, path.buf);
	}
	sb_release(&path);
	return ret;
}

/* Refuse a directory that already holds a store, a repository, or files
 * init would overwrite (so a failed init can remove all it wrote). */
static int init_check(const char *dir, const struct store_file *files,
	size_t nfiles, struct diag *d)
{
	struct sb p = SB_INIT;
	size_t i;
	int ret = 0;

	sb_addf(&p, "%s/docket.yaml", dir);
	if (file_exists(p.buf)) {
		ret = diag_add(d, ERR_CONFLICT, _("'%s' already holds a docket "
			"store"), dir);
		goto out;
	}
	sb_reset(&p);
	sb_addf(&p, "%s/.git", dir);
	if (file_exists(p.buf)) {
		ret = diag_add(d, ERR_CONFLICT, _("'%s' is already a git "
			"repository"), dir);
		goto out;
	}
	for (i = 0; i < nfiles; i++) {
		if (!path_ok(files[i].path) ||
		    !strcmp(files[i].path, "docket.yaml")) {
			ret = diag_add(d, ERR_INVALID, _("invalid store path "
				"'%s'"), files[i].path);
			goto out;
		}
		sb_reset(&p);
		sb_addf(&p, "%s/%s", dir, files[i].path);
		if (file_exists(p.buf)) {
			ret = diag_add(d, ERR_CONFLICT,
				_("'%s' already exists"), p.buf);
			goto out;
		}
	}
out:
	sb_release(&p);
	return ret;
}

/* Stage every file written by init and make the first commit. */
static int init_commit(git_repository *repo, const struct store_file *files,
	size_t nfiles, int attributes, const struct signer *author,
	const char *message, struct diag *d)
{
	git_index *idx = NULL;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	struct sb msg = SB_INIT;
	git_oid tree_oid, oid;
	size_t i;
	int ret = 0;

	if (git_repository_index(&idx, repo) < 0 ||
	    git_index_add_bypath(idx, "docket.yaml") < 0) {
		ret = git_fail(d, _("cannot stage docket.yaml"));
		goto out;
	}
	if (attributes && git_index_add_bypath(idx, ".gitattributes") < 0) {
		ret = git_fail(d, _("cannot stage .gitattributes"));
		goto out;
	}
	for (i = 0; i < nfiles; i++) {
		if (git_index_add_bypath(idx, files[i].path) < 0) {
			ret = git_fail(d, _("cannot stage a file"));
			goto out;
		}
	}
	if (git_index_write(idx) < 0 ||
	    git_index_write_tree(&tree_oid, idx) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_oid) < 0) {
		ret = git_fail(d, _("cannot write the index"));
		goto out;
	}
	if (git_signature_new(&sig, author->name, author->email,
	    author->when.t, author->when.off) < 0) {
		ret = git_fail(d, _("invalid author"));
		goto out;
	}
	sb_adds(&msg, message && *message ? message : "init");
	sb_rtrim(&msg);
	sb_addc(&msg, '\n');
	if (git_commit_create(&oid, repo, "HEAD", sig, sig, NULL, msg.buf,
	    tree, 0, NULL) < 0)
		ret = git_fail(d, _("cannot make the first commit"));
out:
	sb_release(&msg);
	git_signature_free(sig);
	git_tree_free(tree);
	git_index_free(idx);
	return ret;
}

/* Undo a failed init: remove everything it created, restore the mode. */
static void init_undo(const char *dir, int made_dir, int made_git,
	struct strlist *made, mode_t old_mode)
{
	struct sb p = SB_INIT;
	size_t i;

	if (made_dir) {
		remove_tree(dir);
		return;
	}
	for (i = made->n; i-- > 0;)
		remove(made->v[i]);
	if (made_git) {
		sb_addf(&p, "%s/.git", dir);
		remove_tree(p.buf);
		sb_release(&p);
	}
	chmod(dir, old_mode & 07777);
}

/*
 * The git CLI beside docket creates files under the user's umask: under
 * umask 000 a `git status` left .git/index, refs and logs writable by
 * everyone.  core.sharedRepository set to a mode (git-config(1): "0xxx
 * ... will override user's umask value") makes git create every file with
 * that mode: the owner's alone (0600), or the owner's and the group's in a
 * shared store (0660), never others'.  docket itself sets its umask on
 * opening the store (store_open); libgit2 ignores the setting.
 */
static int init_private(git_repository *repo, int shared, struct diag *d)
{
	git_config *cfg = NULL;
	int ret = 0;

	if (git_repository_config(&cfg, repo) < 0 ||
	    git_config_set_string(cfg, "core.sharedRepository", shared ?
	    "0660" : "0600") < 0 || (shared && git_config_set_bool(cfg,
	    "receive.denyNonFastforwards", 1) < 0))
		ret = git_fail(d, _("cannot set up the repository's config"));
	git_config_free(cfg);
	return ret;
}

int store_init(const char *dir, const char *config_text,
	const struct store_file *files, size_t nfiles, int shared_group,
	const struct signer *author, const char *message, struct diag *d)
{
	git_repository_init_options opts;
	git_repository *repo = NULL;
	struct strlist made = STRLIST_INIT;
	struct sb p = SB_INIT;
	char *root = NULL;
	struct stat st;
	mode_t old_mode = 0;
	int made_dir = 0, made_git = 0, shared = !!shared_group, ret;
	int has_attributes = 0;
	size_t i;

	for (i = 0; i < nfiles; i++)
		if (!strcmp(files[i].path, ".gitattributes"))
			has_attributes = 1;
	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
	ret = init_check(dir, files, nfiles, d);
	if (ret)
		goto out;
	/* private whatever the umask; a shared store lets the group write
	 * what libgit2 creates (git's adjust_shared_perm, file by file) */
	umask(shared ? 007 : 077);
	if (mkdir(dir, 0700) == 0) {
		made_dir = 1;
	} else if (errno != EEXIST || stat(dir, &st) < 0 ||
	    !S_ISDIR(st.st_mode)) {
		ret = diag_add(d, ERR_IO, _("cannot create '%s': %s"), dir,
			strerror(errno == EEXIST ? ENOTDIR : errno));
		goto out;
	} else {
		old_mode = st.st_mode;
	}
	if (chmod(dir, dir_mode(shared)) < 0 || !(root = realpath(dir, NULL))) {
		ret = diag_add(d, ERR_IO, _("cannot set up '%s': %s"), dir,
			strerror(errno));
		goto out;
	}

	git_repository_init_options_init(&opts,
		GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_NO_REINIT;
	/* libgit2's SHARED_GROUP makes directories 02775, open to others */
	opts.mode = shared ? dir_mode(1) : GIT_REPOSITORY_INIT_SHARED_UMASK;
	opts.initial_head = "main";
	made_git = 1;
	if (git_repository_init_ext(&repo, root, &opts) < 0) {
		ret = git_fail(d, _("cannot create the repository"));
		goto out;
	}
	if ((ret = init_private(repo, shared, d)))
		goto out;

	ret = init_put(root, "docket.yaml", config_text,
		config_text ? strlen(config_text) : 0, shared, &made, d);
	for (i = 0; !ret && i < nfiles; i++)
		ret = init_put(root, files[i].path, files[i].data,
			files[i].len, shared, &made, d);
	if (!ret && !has_attributes)
		ret = init_put(root, ".gitattributes", gitattributes,
			strlen(gitattributes), shared, &made, d);
	if (!ret)
		ret = init_commit(repo, files, nfiles, !has_attributes,
			author, message, d);
out:
	git_repository_free(repo);
	if (ret && (made_dir || old_mode))
		init_undo(root ? root : dir, made_dir, made_git, &made,
			old_mode);
	free(root);
	sb_release(&p);
	strlist_release(&made);
	git_libgit2_shutdown();
	return ret;
}

/*
 * What a store's own .git/config needs beside docket.yaml: the merge
 * driver that .gitattributes names for case files (so a plain `git
 * merge` or `git pull` merges them field by field, as `docket sync`
 * does) and, for a store shared by several offices, which site it is.
 */
/*
 * A store whose history has no .gitattributes (made before docket wrote
 * one, or by another tool) must merge case files with the driver in a
 * plain `git pull` too: git also reads .git/info/attributes.  Written
 * only when there is none, never over an administrator's own.
 */
static int info_attributes(git_repository *repo, struct diag *d)
{
	struct sb path = SB_INIT;
	int shared = store_shared_config(repo), ret = 0;

	sb_addf(&path, "%sinfo", git_repository_path(repo));
	if (mkdir(path.buf, shared ? 0770 : 0700) < 0 && errno != EEXIST) {
		ret = diag_add(d, ERR_IO, _("cannot create '%s': %s"),
			path.buf, strerror(errno));
		goto out;
	}
	sb_adds(&path, "/attributes");
	if (!file_exists(path.buf))
		ret = write_file_atomic(path.buf, gitattributes,
			strlen(gitattributes), file_mode(shared),
			AW_SYNC | AW_CREATE, d);
out:
	sb_release(&path);
	return ret;
}

int store_configure(const char *root, const char *site, struct diag *d)
{
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	git_config_entry *shared = NULL;
	int ret = 0, err;

	git_libgit2_init();
	if (git_repository_open(&repo, root) < 0 ||
	    git_repository_config(&cfg, repo) < 0) {
		ret = git_fail(d, _("cannot open the store's repository"));
		goto out;
	}
	/* a clone is private, as init makes a store (init_private) */
	err = git_config_get_entry(&shared, cfg, "core.sharedRepository");
	git_config_entry_free(shared);
	if (err == GIT_ENOTFOUND && git_config_set_string(cfg,
	    "core.sharedRepository", "0600") < 0)
		ret = git_fail(d, _("cannot write the store's git config"));
	else if (git_config_set_string(cfg, "merge.docket.name",
	    "docket case files, field by field") < 0 ||
	    git_config_set_string(cfg, "merge.docket.driver",
	    "docket merge-driver %O %A %B %P") < 0 ||
	    (site && git_config_set_string(cfg, "docket.site", site) < 0))
		ret = git_fail(d, _("cannot write the store's git config"));
	if (!ret)
		ret = info_attributes(repo, d);
out:
	git_config_free(cfg);
	git_repository_free(repo);
	git_libgit2_shutdown();
	return ret;
}

/* ---- open, free ------------------------------------------------------- */

/*
 * git's reading of core.sharedRepository (git_config_perm() in git's
 * setup.c): "umask", "false", "0" and the other false words keep the
 * store private; "group", "true", "1", "all", "world", "everybody" and
 * "2" share it; an octal mode (0xxx) shares it when it grants the group
 * or others any access.  docket shares with the group only, never with
 * others, so "shared" is all it needs to know.
 */
int store_shared_value(const char *v)
{
	char *end;
	long m;

	if (!v)			/* "sharedRepository" with no value: true */
		return 1;
	if (!strcasecmp(v, "group") || !strcasecmp(v, "all") ||
	    !strcasecmp(v, "world") || !strcasecmp(v, "everybody") ||
	    !strcasecmp(v, "true") || !strcasecmp(v, "yes") ||
	    !strcasecmp(v, "on"))
		return 1;
	errno = 0;
	m = strtol(v, &end, 8);
	if (end == v || *end || errno)
		return 0;	/* umask, false, no, off, or nonsense */
	if (m == 1 || m == 2)
		return 1;
	return m > 2 && (m & 0077) != 0;
}

int store_shared_config(git_repository *repo)
{
	git_config *cfg = NULL;
	git_config_entry *e = NULL;
	int shared = 0;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return 0;
	if (git_config_get_entry(&e, cfg, "core.sharedrepository") == 0)
		shared = store_shared_value(e->value);
	git_config_entry_free(e);
	git_config_free(cfg);
	return shared;
}

/*
 * libgit2 loads the repository's whole index whenever it looks up
 * attributes (to hash or filter a file) or checks a path: at 100k cases
 * that is parsing megabytes twice per write, for nothing, since docket
 * reads and writes git's index itself (gitindex.c) under index.lock.  An
 * empty in-memory index of its own keeps libgit2 away from .git/index;
 * attributes then come from the work tree's .gitattributes, which is what
 * git checks first as well.
 */
static int give_empty_index(git_repository *repo)
{
	git_index *idx = NULL;

	int ret;

	if (git_index_new(&idx) < 0)
		return -1;
	ret = git_repository_set_index(repo, idx);
	git_index_free(idx);
	return ret;
}

/*
 * docket's caches under .git: anything but a regular file there (a FIFO,
 * a folder, a symbolic link) is never read, followed or waited on, and
 * the cache is rebuilt instead; say so, so that someone removes it.
 */
static void check_own_files(struct store *s)
{
	static const char *const own[] = {
		"docket-actions", "docket-cache", "docket-folders",
		"docket-ids", "docket-index-marks", "docket-keys", NULL
	};
	struct sb path = SB_INIT;
	struct stat st;
	size_t i;

	for (i = 0; own[i]; i++) {
		sb_reset(&path);
		sb_addf(&path, "%s/%s", s->gitdir, own[i]);
		if (lstat(path.buf, &st) < 0 || S_ISREG(st.st_mode))
			continue;
		if (S_ISFIFO(st.st_mode))
			diag_add(&s->warnings, ERR_INVALID, _("'%s' is a FIFO, "
				"not docket's file: it is not read; remove "
				"it"), path.buf);
		else if (S_ISDIR(st.st_mode))
			diag_add(&s->warnings, ERR_INVALID, _("'%s' is a "
				"folder, not docket's file: it is not read; "
				"remove it"), path.buf);
		else if (S_ISLNK(st.st_mode))
			diag_add(&s->warnings, ERR_INVALID, _("'%s' is a "
				"symbolic link, not docket's file: it is not "
				"followed; remove it"), path.buf);
		else
			diag_add(&s->warnings, ERR_INVALID, _("'%s' is not a "
				"regular file: it is not read; remove it"),
				path.buf);
	}
	sb_release(&path);
}

int store_open(struct store **out, const char *root, struct diag *d)
{
	struct store *s = NULL;
	size_t len;
	int err, ret = 0;

	*out = NULL;
	s = xcalloc(1, sizeof(*s));
	s->lock_fd = -1;
	s->timeout = STORE_LOCK_TIMEOUT;
	s->jfd = -1;
	s->ilock.fd = -1;
	git_libgit2_init();
	/* each step of a commit is durable before the next (store.h) */
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
	/* Like git, trust the object database rather than hash every object
	 * read again (a fifth of a history walk); `git fsck` verifies it. */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	s->root = xstrdup(root);
	len = strlen(s->root);
	while (len > 1 && s->root[len - 1] == '/')
		s->root[--len] = '\0';
	err = git_repository_open(&s->repo, s->root);
	if (err == GIT_EOWNER) {
		ret = diag_add(d, ERR_GIT, _("store '%s' belongs to another "
			"user; add it to git's safe.directory"), s->root);
		goto out;
	}
	if (err < 0) {
		ret = git_fail(d, _("cannot open the store's repository"));
		goto out;
	}
	if (git_repository_is_bare(s->repo)) {
		ret = diag_add(d, ERR_GIT, _("store '%s' is a bare repository"),
			s->root);
		goto out;
	}
	if (give_empty_index(s->repo) < 0) {
		ret = git_fail(d, _("cannot open the store's repository"));
		goto out;
	}
	s->gitdir = xstrdup(git_repository_path(s->repo));
	len = strlen(s->gitdir);
	while (len > 1 && s->gitdir[len - 1] == '/')
		s->gitdir[--len] = '\0';
	s->shared = store_shared_config(s->repo);
	/* Store files hold personal data: whatever the umask, what docket
	 * and libgit2 create is the owner's, or the group's in a shared
	 * store, never everyone's. */
	umask(s->shared ? 007 : 077);
	check_own_files(s);
	*out = s;
	s = NULL;
out:
	store_free(s);
	return ret;
}

void store_free(struct store *s)
{
	if (!s)
		return;
	store_unlock(s);
	git_repository_free(s->repo);
	diag_release(&s->warnings);
	free(s->root);
	free(s->gitdir);
	free(s);
	git_libgit2_shutdown();
}

const char *store_root(const struct store *s)
{
	return s->root;
}

const char *store_gitdir(const struct store *s)
{
	return s->gitdir;
}

git_repository *store_repo(struct store *s)
{
	return s->repo;
}

int store_shared(const struct store *s)
{
	return s->shared;
}

const struct diag *store_warnings(const struct store *s)
{
	return &s->warnings;
}

char *store_git_config(struct store *s, const char *key)
{
	git_config *cfg = NULL;
	const char *v = NULL;
	char *val = NULL;

	if (git_repository_config_snapshot(&cfg, s->repo) < 0)
		return NULL;
	if (git_config_get_string(&v, cfg, key) == 0 && *v)
		val = xstrdup(v);
	git_config_free(cfg);
	return val;
}

int store_set_git_config(struct store *s, const char *key,
	const char *value, struct diag *d)
{
	git_config *cfg = NULL;
	int ret = 0;

	if (git_repository_config(&cfg, s->repo) < 0 ||
	    git_config_set_string(cfg, key, value) < 0)
		ret = git_fail(d, _("cannot write the store's git config"));
	git_config_free(cfg);
	return ret;
}

char *store_git_email(struct store *s)
{
	return store_git_config(s, "user.email");
}

/* ---- git's states ----------------------------------------------------- */

/*
 * Refuse to write while git is in the middle of something that is the
 * user's to finish (a merge, rebase, cherry-pick, revert, bisect), on a
 * detached HEAD, or with conflicts in the index (checked by the caller
 * once it has read the index): a commit now would be built on a state
 * the user has not decided.
 */
int store_check_state(struct store *s, struct diag *d)
{
	return store_state_ok(s, d);
}

int store_state_ok(struct store *s, struct diag *d)
{
	const char *msg = NULL;
	char *branch = NULL;
	int ret = 0;

	switch (git_repository_state(s->repo)) {
	case GIT_REPOSITORY_STATE_NONE:
		break;
	case GIT_REPOSITORY_STATE_MERGE:
		msg = _("a merge is in progress in the store; nothing was "
			"changed: finish it first (git merge --continue, or git "
			"merge --abort)");
		break;
	case GIT_REPOSITORY_STATE_REVERT:
	case GIT_REPOSITORY_STATE_REVERT_SEQUENCE:
		msg = _("a revert is in progress in the store; nothing was "
			"changed: finish it first (git revert --continue, or git "
			"revert --abort)");
		break;
	case GIT_REPOSITORY_STATE_CHERRYPICK:
	case GIT_REPOSITORY_STATE_CHERRYPICK_SEQUENCE:
		msg = _("a cherry-pick is in progress in the store; nothing "
			"was changed: finish it first (git cherry-pick "
			"--continue, or git cherry-pick --abort)");
		break;
	case GIT_REPOSITORY_STATE_BISECT:
		msg = _("a bisect is in progress in the store; nothing was "
			"changed: end it first (git bisect reset)");
		break;
	case GIT_REPOSITORY_STATE_REBASE:
	case GIT_REPOSITORY_STATE_REBASE_INTERACTIVE:
	case GIT_REPOSITORY_STATE_REBASE_MERGE:
	case GIT_REPOSITORY_STATE_APPLY_MAILBOX:
	case GIT_REPOSITORY_STATE_APPLY_MAILBOX_OR_REBASE:
		msg = _("a rebase is in progress in the store; nothing was "
			"changed: finish it first (git rebase --continue, or git "
			"rebase --abort)");
		break;
	default:
		msg = _("a git operation is in progress in the store; nothing "
			"was changed: finish it first (git status says which)");
		break;
	}
	if (msg)
		return diag_add(d, ERR_CONFLICT, "%s", msg);
	branch = head_branch(s);
	if (!branch)
		ret = diag_add(d, ERR_CONFLICT, _("HEAD is detached (not on a "
			"branch); nothing was changed: check out the store's "
			"branch first (git switch main)"));
	free(branch);
	return ret;
}
