/*
 * store.c - the git-backed case store: discovery, init, the store lock,
 * atomic file writes and one commit per action, all through libgit2.
 *
 * store.h gives the order of a commit that makes a crash at any point
 * recoverable; txn_commit() follows it and store_lock() finishes what a
 * crashed commit left (the paths named in .git/docket-pending).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/repository.h>

#include "case.h"
#include "folders.h"
#include "idxsum.h"
#include "store.h"

#ifdef DOCKET_FAULTS
#include <signal.h>
#endif

#define PENDING_FILE "docket-pending"
#define PENDING_COMMIT "commit "	/* first line: the commit it finishes */
#define TMP_INFIX ".tmp."		/* write_atomic's "PATH.tmp.PID" */
#define STALE_INDEX_LOCK 5		/* seconds */
#define LOCK_POLL_MS 2		/* 2-10 ms between flock attempts */

/*
 * Fault injection for the crash tests (tests/cli/t4001-crash.sh), only in
 * the docket-faults build (-DDOCKET_FAULTS): when $DOCKET_FAULT names the
 * point just passed, the process kills itself with SIGKILL, exactly as a
 * kill -9 at that moment would.  A numbered point (one per work-tree file)
 * is "NAME-N", N counting from 1.  The points:
 *
 *   commit-objects  commit-pending  commit-ref  commit-worktree-N
 *   commit-index  commit-done  recover-worktree-N  recover-index
 *   recover-done  batch-index
 */
#ifdef DOCKET_FAULTS
static void fault_at(const char *name, size_t n)
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
#else
#define fault_at(name, n) ((void)0)
#endif

struct store {
	char *root;		/* absolute work tree, no trailing '/' */
	char *gitdir;		/* absolute .git path, no trailing '/' */
	git_repository *repo;
	int lock_fd;		/* -1 when not locked */
	int shared;		/* group-shared store: 0770/0660 */
	/* an open batch (store_batch_begin): the index, written once at
	 * its end; the pending list, appended to; 1 once a commit of the
	 * batch was left unfinished */
	git_index *batch_idx;
	int batch_fd;
	int batch_broken;
	int index_rebuilt;	/* index_open() had to rebuild git's index */
};

struct txn_file {
	char *path;
	char *data;
	size_t len;
	git_oid oid;
};

struct txn {
	struct store *s;
	struct txn_file *files;
	size_t n;
	size_t alloc;
	struct strlist cases;
};

/* ---- small helpers ---------------------------------------------------- */

/* Report the last libgit2 error as "WHAT: MESSAGE". */
static int git_fail(struct diag *d, const char *what)
{
	const git_error *e = git_error_last();

	return diag_add(d, ERR_GIT, "%s: %s", what,
		e && e->message ? e->message : "unknown libgit2 error");
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

/*
 * 1 if rel is a plain relative path inside the work tree: no leading '/',
 * no empty, "." or ".." component, nothing inside .git.
 */
static int path_ok(const char *rel)
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

/* 1 if s is one line (a commit trailer value must not break lines). */
static int line_ok(const char *s)
{
	return s && !strchr(s, '\n') && !strchr(s, '\r');
}

static int fsync_dir(const char *dir)
{
	int fd, ret;

	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

/*
 * Create the missing parent directories of rel below base (which exists),
 * with an exact mode whatever the umask.  Created directories are pushed
 * to `made` (when given) so a failed init can remove them.
 */
static int make_parents(const char *base, const char *rel, int shared,
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
				ret = diag_add(d, ERR_IO, "cannot chmod "
					"'%s': %s", dir.buf, strerror(errno));
				goto out;
			}
		} else if (errno != EEXIST || lstat(dir.buf, &st) < 0 ||
		    !S_ISDIR(st.st_mode)) {
			ret = diag_add(d, ERR_IO, "cannot create directory "
				"'%s': %s", dir.buf, strerror(errno == EEXIST ?
				ENOTDIR : errno));
			goto out;
		}
	}
out:
	sb_release(&dir);
	return ret;
}

static int write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * 0 while a batch runs: its work-tree files are made durable together by
 * one syncfs() per commit (batch_sync) instead of two fsyncs each.
 */
static int sync_each = 1;
static void set_fsync(struct store *s, int on);

/*
 * Replace base/rel with data so that a crash leaves either the old or the
 * new contents: write "PATH.tmp.<pid>" in the same directory, fsync it,
 * rename it over PATH, fsync the directory.
 */
static int write_atomic(const char *base, const char *rel, const void *data,
	size_t len, int shared, struct strlist *made, struct diag *d)
{
	struct sb path = SB_INIT, tmp = SB_INIT;
	char *slash;
	int fd = -1, ret;

	ret = make_parents(base, rel, shared, made, d);
	if (ret)
		goto out;
	sb_addf(&path, "%s/%s", base, rel);
	sb_addf(&tmp, "%s" TMP_INFIX "%ld", path.buf, (long)getpid());
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC |
		O_NOFOLLOW, file_mode(shared));
	if (fd < 0) {
		ret = diag_add(d, ERR_IO, "cannot create '%s': %s", tmp.buf,
			strerror(errno));
		goto out;
	}
	if (fchmod(fd, file_mode(shared)) < 0 ||
	    write_all(fd, data, len) < 0 || (sync_each && fsync(fd) < 0)) {
		ret = diag_add(d, ERR_IO, "cannot write '%s': %s", tmp.buf,
			strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		ret = diag_add(d, ERR_IO, "cannot write '%s': %s", tmp.buf,
			strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp.buf, path.buf) < 0) {
		ret = diag_add(d, ERR_IO, "cannot rename '%s' to '%s': %s",
			tmp.buf, path.buf, strerror(errno));
		goto out;
	}
	slash = strrchr(path.buf, '/');
	*slash = '\0';
	if (sync_each && fsync_dir(path.buf) < 0)
		ret = diag_add(d, ERR_IO, "cannot sync directory '%s': %s",
			path.buf, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	if (ret && tmp.len)
		unlink(tmp.buf);
	sb_release(&tmp);
	sb_release(&path);
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
static void remove_tree(const char *path)
{
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static int file_exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* The tree of HEAD's commit, or NULL (and 0) on an unborn branch. */
static int head_tree(git_tree **out, struct store *s, struct diag *d)
{
	git_reference *head = NULL;
	git_object *obj = NULL;
	int err;

	*out = NULL;
	err = git_repository_head(&head, s->repo);
	if (err == GIT_EUNBORNBRANCH || err == GIT_ENOTFOUND)
		return 0;
	if (err < 0)
		return git_fail(d, "cannot read HEAD");
	err = git_reference_peel(&obj, head, GIT_OBJECT_TREE);
	git_reference_free(head);
	if (err < 0)
		return git_fail(d, "cannot read HEAD's tree");
	*out = (git_tree *)obj;
	return 0;
}

/*
 * Point the index entry for rel at oid with the stat data of the file just
 * written, so git sees the work tree as clean without re-hashing it.
 */
static int index_update(struct store *s, git_index *idx, const char *rel,
	const git_oid *oid, struct diag *d)
{
	struct sb path = SB_INIT;
	git_index_entry e;
	struct stat st;
	int ret = 0;

	sb_addf(&path, "%s/%s", s->root, rel);
	if (lstat(path.buf, &st) < 0) {
		ret = diag_add(d, ERR_IO, "cannot stat '%s': %s", path.buf,
			strerror(errno));
		goto out;
	}
	memset(&e, 0, sizeof(e));
	e.ctime.seconds = (int32_t)st.st_ctim.tv_sec;
	e.ctime.nanoseconds = (uint32_t)st.st_ctim.tv_nsec;
	e.mtime.seconds = (int32_t)st.st_mtim.tv_sec;
	e.mtime.nanoseconds = (uint32_t)st.st_mtim.tv_nsec;
	e.dev = (uint32_t)st.st_dev;
	e.ino = (uint32_t)st.st_ino;
	e.mode = GIT_FILEMODE_BLOB;
	e.uid = (uint32_t)st.st_uid;
	e.gid = (uint32_t)st.st_gid;
	e.file_size = (uint32_t)st.st_size;
	git_oid_cpy(&e.id, oid);
	e.path = rel;
	if (git_index_add(idx, &e) < 0)
		ret = git_fail(d, "cannot update the index");
out:
	sb_release(&path);
	return ret;
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
		ret = diag_add(d, ERR_NOTFOUND, "cannot use store '%s': %s",
			dir, strerror(errno));
		goto out;
	}
	sb_addf(&cfg, "%s/docket.yaml", strcmp(abs, "/") ? abs : "");
	if (!file_exists(cfg.buf)) {
		ret = diag_add(d, ERR_NOTFOUND, "'%s' is not a docket store "
			"(no docket.yaml)", dir);
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
		ret = diag_add(d, ERR_IO, "cannot get the working directory: "
			"%s", strerror(errno));
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
	ret = diag_add(d, ERR_NOTFOUND, "not in a docket store (no "
		"docket.yaml here or in any parent; use -C DIR or set "
		"DOCKET_DIR)");
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
		ret = diag_add(d, ERR_CONFLICT, "'%s' already holds a docket "
			"store", dir);
		goto out;
	}
	sb_reset(&p);
	sb_addf(&p, "%s/.git", dir);
	if (file_exists(p.buf)) {
		ret = diag_add(d, ERR_CONFLICT, "'%s' is already a git "
			"repository", dir);
		goto out;
	}
	for (i = 0; i < nfiles; i++) {
		if (!path_ok(files[i].path) ||
		    !strcmp(files[i].path, "docket.yaml")) {
			ret = diag_add(d, ERR_INVALID, "invalid store path "
				"'%s'", files[i].path);
			goto out;
		}
		sb_reset(&p);
		sb_addf(&p, "%s/%s", dir, files[i].path);
		if (file_exists(p.buf)) {
			ret = diag_add(d, ERR_CONFLICT, "'%s' already exists",
				p.buf);
			goto out;
		}
	}
out:
	sb_release(&p);
	return ret;
}

/* Stage every file written by init and make the first commit. */
static int init_commit(git_repository *repo, const struct store_file *files,
	size_t nfiles, const struct signer *author, const char *message,
	struct diag *d)
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
		ret = git_fail(d, "cannot stage docket.yaml");
		goto out;
	}
	for (i = 0; i < nfiles; i++) {
		if (git_index_add_bypath(idx, files[i].path) < 0) {
			ret = git_fail(d, "cannot stage a file");
			goto out;
		}
	}
	if (git_index_write(idx) < 0 ||
	    git_index_write_tree(&tree_oid, idx) < 0 ||
	    git_tree_lookup(&tree, repo, &tree_oid) < 0) {
		ret = git_fail(d, "cannot write the index");
		goto out;
	}
	if (git_signature_new(&sig, author->name, author->email,
	    author->when.t, author->when.off) < 0) {
		ret = git_fail(d, "invalid author");
		goto out;
	}
	sb_adds(&msg, message && *message ? message : "init");
	sb_rtrim(&msg);
	sb_addc(&msg, '\n');
	if (git_commit_create(&oid, repo, "HEAD", sig, sig, NULL, msg.buf,
	    tree, 0, NULL) < 0)
		ret = git_fail(d, "cannot make the first commit");
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
	size_t i;

	git_libgit2_init();
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1);
	ret = init_check(dir, files, nfiles, d);
	if (ret)
		goto out;
	if (shared) {
		/* let the group write what libgit2 creates (git's
		 * adjust_shared_perm does this file by file) */
		mode_t m = umask(0);
		umask(m & ~(mode_t)0070);
	}
	if (mkdir(dir, 0700) == 0) {
		made_dir = 1;
	} else if (errno != EEXIST || stat(dir, &st) < 0 ||
	    !S_ISDIR(st.st_mode)) {
		ret = diag_add(d, ERR_IO, "cannot create '%s': %s", dir,
			strerror(errno == EEXIST ? ENOTDIR : errno));
		goto out;
	} else {
		old_mode = st.st_mode;
	}
	if (chmod(dir, dir_mode(shared)) < 0 || !(root = realpath(dir, NULL))) {
		ret = diag_add(d, ERR_IO, "cannot set up '%s': %s", dir,
			strerror(errno));
		goto out;
	}

	git_repository_init_options_init(&opts,
		GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	opts.flags = GIT_REPOSITORY_INIT_NO_REINIT;
	opts.mode = shared ? GIT_REPOSITORY_INIT_SHARED_GROUP :
		GIT_REPOSITORY_INIT_SHARED_UMASK;
	opts.initial_head = "main";
	made_git = 1;
	if (git_repository_init_ext(&repo, root, &opts) < 0) {
		ret = git_fail(d, "cannot create the repository");
		goto out;
	}

	ret = write_atomic(root, "docket.yaml", config_text,
		config_text ? strlen(config_text) : 0, shared, &made, d);
	if (ret)
		goto out;
	sb_addf(&p, "%s/docket.yaml", root);
	strlist_push(&made, p.buf);
	for (i = 0; i < nfiles; i++) {
		ret = write_atomic(root, files[i].path, files[i].data,
			files[i].len, shared, &made, d);
		if (ret)
			goto out;
		sb_reset(&p);
		sb_addf(&p, "%s/%s", root, files[i].path);
		strlist_push(&made, p.buf);
	}
	ret = init_commit(repo, files, nfiles, author, message, d);
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

/* ---- open, free ------------------------------------------------------- */

/* 1 if core.sharedRepository asks for group access. */
static int config_shared(git_repository *repo)
{
	git_config *cfg = NULL;
	const char *v = NULL;
	int shared = 0;

	if (git_repository_config_snapshot(&cfg, repo) < 0)
		return 0;
	if (git_config_get_string(&v, cfg, "core.sharedrepository") == 0) {
		if (!strcasecmp(v, "group") || !strcasecmp(v, "true") ||
		    !strcasecmp(v, "all") || !strcasecmp(v, "world") ||
		    !strcasecmp(v, "everybody"))
			shared = 1;
		else if (*v >= '0' && *v <= '9') {
			/* "1"/"2" are group/all, "0660" a permission mode */
			long m = strtol(v, NULL, 8);

			shared = m == 1 || m == 2 || (m & 0060) == 0060;
		}
	}
	git_config_free(cfg);
	return shared;
}

int store_open(struct store **out, const char *root, struct diag *d)
{
	struct store *s = NULL;
	size_t len;
	int err, ret = 0;

	*out = NULL;
	s = xcalloc(1, sizeof(*s));
	s->lock_fd = -1;
	s->batch_fd = -1;
	git_libgit2_init();
	/* the commit order in store.h only holds if each step is durable */
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
		ret = diag_add(d, ERR_GIT, "store '%s' belongs to another "
			"user; add it to git's safe.directory", s->root);
		goto out;
	}
	if (err < 0) {
		ret = git_fail(d, "cannot open the store's repository");
		goto out;
	}
	if (git_repository_is_bare(s->repo)) {
		ret = diag_add(d, ERR_GIT, "store '%s' is a bare repository",
			s->root);
		goto out;
	}
	s->gitdir = xstrdup(git_repository_path(s->repo));
	len = strlen(s->gitdir);
	while (len > 1 && s->gitdir[len - 1] == '/')
		s->gitdir[--len] = '\0';
	s->shared = config_shared(s->repo);
	if (s->shared) {
		mode_t m = umask(0);
		umask(m & ~(mode_t)0070);
	}
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
	/* an unfinished batch leaves its pending list to store_lock() */
	if (s->batch_idx)
		set_fsync(s, 1);
	git_index_free(s->batch_idx);
	if (s->batch_fd >= 0)
		close(s->batch_fd);
	store_unlock(s);
	git_repository_free(s->repo);
	free(s->root);
	free(s->gitdir);
	free(s);
	git_libgit2_shutdown();
}

int store_index_rebuilt(const struct store *s)
{
	return s->index_rebuilt;
}

const char *store_root(const struct store *s)
{
	return s->root;
}

/* ---- lock and recovery ------------------------------------------------ */

/* ERR_LOCKED naming the holder recorded in the lock file, if readable. */
static int locked_error(int fd, int timeout, struct diag *d)
{
	char buf[256], *sp, *p;
	ssize_t n;
	long pid;

	n = pread(fd, buf, sizeof(buf) - 1, 0);
	if (n < 0)
		n = 0;
	buf[n] = '\0';
	for (p = buf; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = *p == '\n' ? '\0' : '?';
	pid = strtol(buf, &sp, 10);
	if (pid > 0 && *sp == ' ' && sp[1])
		return diag_add(d, ERR_LOCKED, "store is locked by pid %ld "
			"(%s); waited %d s", pid, sp + 1, timeout);
	if (pid > 0)
		return diag_add(d, ERR_LOCKED, "store is locked by pid %ld; "
			"waited %d s", pid, timeout);
	return diag_add(d, ERR_LOCKED, "store is locked by another "
		"process; waited %d s", timeout);
}

static double elapsed_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
		(double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

/*
 * Remove the temporary files write_atomic() leaves when it is killed
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
static void remove_work_tmps(struct store *s, const char *rel)
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

/* 1 if the work-tree file rel exists and holds exactly the blob id. */
static int work_matches(struct store *s, const char *rel, const git_oid *id)
{
	struct sb path = SB_INIT, data = SB_INIT;
	struct diag quiet = DIAG_INIT;
	git_oid oid;
	int same = 0;

	sb_addf(&path, "%s/%s", s->root, rel);
	if (!read_file(&data, path.buf, SIZE_MAX, &quiet) &&
	    !git_odb_hash(&oid, data.buf, data.len, GIT_OBJECT_BLOB))
		same = git_oid_equal(&oid, id);
	diag_release(&quiet);
	sb_release(&data);
	sb_release(&path);
	return same;
}

/*
 * Make the work tree and index match HEAD for one path of a commit whose
 * ref moved: write HEAD's blob (unless the file already holds it) and
 * point the index entry at it.  A path HEAD lacks is left alone, except
 * for an old pending list that does not name its commit (`legacy`): its
 * file is removed, as before.
 */
static int restore_path(struct store *s, git_index *idx, git_tree *tree,
	const char *rel, int legacy, struct diag *d)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	struct sb path = SB_INIT;
	int err, ret = 0;

	err = tree ? git_tree_entry_bypath(&e, tree, rel) : GIT_ENOTFOUND;
	if (err == GIT_ENOTFOUND ||
	    (!err && git_tree_entry_type(e) != GIT_OBJECT_BLOB)) {
		if (!legacy)
			goto out;
		sb_addf(&path, "%s/%s", s->root, rel);
		if (unlink(path.buf) < 0 && errno != ENOENT) {
			ret = diag_add(d, ERR_IO, "cannot remove '%s': %s",
				path.buf, strerror(errno));
			goto out;
		}
		if (git_index_remove_bypath(idx, rel) < 0)
			ret = git_fail(d, "cannot update the index");
		goto out;
	}
	if (err < 0) {
		ret = git_fail(d, "cannot read the last commit");
		goto out;
	}
	if (!work_matches(s, rel, git_tree_entry_id(e))) {
		if (git_blob_lookup(&blob, s->repo,
		    git_tree_entry_id(e)) < 0) {
			ret = git_fail(d, "cannot read the last commit");
			goto out;
		}
		ret = write_atomic(s->root, rel, git_blob_rawcontent(blob),
			(size_t)git_blob_rawsize(blob), s->shared, NULL, d);
	}
	if (!ret)
		ret = index_update(s, idx, rel, git_tree_entry_id(e), d);
out:
	git_blob_free(blob);
	git_tree_entry_free(e);
	sb_release(&path);
	return ret;
}

/*
 * 1 in *out if the commit a pending list names is recorded: it is HEAD
 * or an ancestor of HEAD (a user may have committed on top since).
 */
static int commit_recorded(int *out, struct store *s, const git_oid *oid,
	struct diag *d)
{
	git_commit *c = NULL;
	git_oid head;
	int err;

	*out = 0;
	err = git_reference_name_to_id(&head, s->repo, "HEAD");
	if (err == GIT_ENOTFOUND || err == GIT_EUNBORNBRANCH)
		return 0;
	if (err < 0)
		return git_fail(d, "cannot read HEAD");
	if (git_oid_equal(&head, oid)) {
		*out = 1;
		return 0;
	}
	/* never written (or pruned since): not recorded */
	err = git_commit_lookup(&c, s->repo, oid);
	git_commit_free(c);
	if (err == GIT_ENOTFOUND)
		return 0;
	if (err < 0)
		return git_fail(d, "cannot read the history");
	err = git_graph_descendant_of(s->repo, &head, oid);
	if (err < 0)
		return git_fail(d, "cannot read the history");
	*out = err;
	return 0;
}

/*
 * Read .git/docket-pending: "commit OID" then one path per line (a list
 * from an older docket has only the paths).  *found is 0 if there is
 * none.
 */
static int pending_read(struct strlist *paths, git_oid *commit,
	int *has_commit, int *found, struct store *s, struct diag *d)
{
	struct sb path = SB_INIT, list = SB_INIT;
	struct diag quiet = DIAG_INIT;
	char *line, *next;
	int ret;

	*found = *has_commit = 0;
	sb_addf(&path, "%s/%s", s->gitdir, PENDING_FILE);
	ret = read_file(&list, path.buf, 1 << 24, &quiet);
	if (ret == ERR_NOTFOUND) {
		ret = 0;
		goto out;
	}
	if (ret) {
		ret = diag_add(d, ret, "%s", quiet.msg[0]);
		goto out;
	}
	*found = 1;
	for (line = list.buf; *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		else
			next = line + strlen(line);
		if (line == list.buf && !strncmp(line, PENDING_COMMIT,
		    strlen(PENDING_COMMIT))) {
			*has_commit = !git_oid_fromstr(commit,
				line + strlen(PENDING_COMMIT));
			if (!*has_commit) {
				ret = diag_add(d, ERR_INVALID, "'%s' is damaged "
					"(no valid commit on its first line); "
					"compare the files it lists with git, "
					"then remove it", path.buf);
				goto out;
			}
			continue;
		}
		/* only our own list, but never trust a path to stay inside */
		if (path_ok(line))
			strlist_push(paths, line);
	}
out:
	diag_release(&quiet);
	sb_release(&list);
	sb_release(&path);
	return ret;
}

/* Write .git/docket-pending for a commit (fsync'd; store.h step 2). */
static int pending_write(struct store *s, const git_oid *commit,
	const char *const *paths, size_t n, struct diag *d)
{
	struct sb list = SB_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i;
	int ret;

	git_oid_tostr(hex, sizeof(hex), commit);
	sb_addf(&list, PENDING_COMMIT "%s\n", hex);
	for (i = 0; i < n; i++)
		sb_addf(&list, "%s\n", paths[i]);
	ret = write_atomic(s->gitdir, PENDING_FILE, list.buf, list.len,
		s->shared, NULL, d);
	sb_release(&list);
	return ret;
}

/*
 * git's index, read.  An index that cannot be read is rebuilt from HEAD,
 * as `git reset` would: docket, like git, does not fsync the index (it
 * can always be made again from the last commit), so a power cut may
 * leave it torn.  The rebuilt index has no stat data; git and docket
 * hash the files once to refill it.
 */
static int index_open(git_index **out, struct store *s, struct diag *d)
{
	struct sb path = SB_INIT;
	git_tree *tree = NULL;
	int ret = 0;

	*out = NULL;
	if (git_repository_index(out, s->repo) == 0 &&
	    git_index_read(*out, 0) == 0)
		return 0;
	git_index_free(*out);
	*out = NULL;
	ret = head_tree(&tree, s, d);
	if (ret)
		goto out;
	sb_addf(&path, "%s/index", s->gitdir);
	if (unlink(path.buf) < 0 && errno != ENOENT) {
		ret = diag_add(d, ERR_IO, "cannot remove the damaged index "
			"'%s': %s", path.buf, strerror(errno));
		goto out;
	}
	if (git_repository_index(out, s->repo) < 0 ||
	    git_index_read(*out, 1) < 0 ||
	    (tree && git_index_read_tree(*out, tree) < 0) ||
	    git_index_write(*out) < 0) {
		ret = git_fail(d, "cannot rebuild the index from the last "
			"commit");
		goto out;
	}
	s->index_rebuilt = 1;
out:
	if (ret) {
		git_index_free(*out);
		*out = NULL;
	}
	git_tree_free(tree);
	sb_release(&path);
	return ret;
}

/* Make the listed paths match HEAD in the work tree and the index. */
static int restore_paths(struct store *s, const struct strlist *paths,
	int legacy, struct diag *d)
{
	git_index *idx = NULL;
	git_tree *tree = NULL;
	size_t i;
	int ret;

	ret = index_open(&idx, s, d);
	if (ret)
		goto out;
	ret = head_tree(&tree, s, d);
	if (ret)
		goto out;
	for (i = 0; i < paths->n; i++) {
		ret = restore_path(s, idx, tree, paths->v[i], legacy, d);
		if (ret)
			goto out;
		fault_at("recover-worktree", i + 1);
	}
	if (git_index_write(idx) < 0) {
		ret = git_fail(d, "cannot write the index");
		goto out;
	}
	fault_at("recover-index", 0);
out:
	git_tree_free(tree);
	git_index_free(idx);
	return ret;
}

/*
 * Finish what a crash interrupted, as told by .git/docket-pending.  If
 * the ref moved (the commit is recorded), every listed path is made to
 * match HEAD in the work tree and the index; if not, nothing of the
 * action reached them.  Either way the temporary files of a killed write
 * go, then the list.  A crash in here leaves the list for the next try.
 */
static int recover(struct store *s, struct diag *d)
{
	struct strlist paths = STRLIST_INIT;
	struct sb pending = SB_INIT;
	git_oid commit;
	int found, has_commit, recorded = 1, ret;
	size_t i;

	sb_addf(&pending, "%s/%s", s->gitdir, PENDING_FILE);
	ret = pending_read(&paths, &commit, &has_commit, &found, s, d);
	if (ret || !found)
		goto out;
	for (i = 0; i < paths.n; i++)
		remove_work_tmps(s, paths.v[i]);
	if (has_commit)
		ret = commit_recorded(&recorded, s, &commit, d);
	if (!ret && recorded)
		ret = restore_paths(s, &paths, !has_commit, d);
	if (ret)
		goto out;
	if (unlink(pending.buf) < 0 && errno != ENOENT) {
		ret = diag_add(d, ERR_IO, "cannot remove '%s': %s",
			pending.buf, strerror(errno));
		goto out;
	}
	fsync_dir(s->gitdir);
	fault_at("recover-done", 0);
out:
	sb_release(&pending);
	strlist_release(&paths);
	return ret;
}

static int ts_before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec ||
		(a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/*
 * Remove a git lock file ("index.lock", "refs/heads/main.lock", ...) that
 * a crash left in .git; it would fail every later commit.  We hold
 * docket.lock, so no docket process is writing one now.  A lock file
 * made while a docket that died holding docket.lock held it (crashed:
 * that docket's start) is that docket's and goes at once; any other goes
 * once it is a few seconds old, which leaves alone the fresh lock of a
 * git command a user runs at this very moment.
 */
static void clear_git_lock(struct store *s, const char *name,
	const struct timespec *crashed)
{
	struct sb path = SB_INIT;
	struct stat st;

	sb_addf(&path, "%s/%s.lock", s->gitdir, name);
	if (lstat(path.buf, &st) == 0 && S_ISREG(st.st_mode) &&
	    ((crashed && !ts_before(&st.st_mtim, crashed)) ||
	    time(NULL) - st.st_mtime > STALE_INDEX_LOCK))
		unlink(path.buf);
	sb_release(&path);
}

/* The branch HEAD points at ("refs/heads/main"), or NULL. */
static char *head_branch(struct store *s)
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

/*
 * Clear what a crashed writer leaves besides the pending list: git's lock
 * files (clear_git_lock) and a half-written pending list.
 */
static void clear_crash_leftovers(struct store *s,
	const struct timespec *crashed)
{
	char *branch = head_branch(s);

	clear_git_lock(s, "index", crashed);
	clear_git_lock(s, "HEAD", crashed);
	clear_git_lock(s, "packed-refs", crashed);
	if (branch)
		clear_git_lock(s, branch, crashed);
	remove_tmps(s->gitdir, PENDING_FILE);
	free(branch);
}

/* Record "pid who" in the lock file (control characters dropped). */
static void lock_note(int fd, const char *who)
{
	struct sb info = SB_INIT;
	const char *p;

	sb_addf(&info, "%ld ", (long)getpid());
	for (p = who && *who ? who : "docket"; *p; p++)
		sb_addc(&info, (unsigned char)*p < 0x20 ? ' ' : *p);
	sb_addc(&info, '\n');
	if (ftruncate(fd, 0) == 0 &&
	    pwrite(fd, info.buf, info.len, 0) != (ssize_t)info.len) {
		/* the note only improves a message; the lock is held */
	}
	sb_release(&info);
}

int store_lock(struct store *s, int timeout, const char *who,
	struct diag *d)
{
	struct timespec start, nap = { 0, 0 }, since;
	struct sb path = SB_INIT;
	struct stat st;
	unsigned tries = 0;
	int fd = -1, crashed, ret = 0;

	if (s->lock_fd >= 0)
		return 0;
	sb_addf(&path, "%s/%s", s->gitdir, STORE_LOCK_FILE);
	fd = open(path.buf, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW,
		file_mode(s->shared));
	if (fd < 0) {
		ret = diag_add(d, ERR_IO, "cannot open lock file '%s': %s",
			path.buf, strerror(errno));
		goto out;
	}
	if (s->shared)
		fchmod(fd, file_mode(1));	/* fails if not ours: fine */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			ret = diag_add(d, ERR_IO, "cannot lock '%s': %s",
				path.buf, strerror(errno));
			goto out;
		}
		if (elapsed_since(&start) >= timeout) {
			ret = locked_error(fd, timeout, d);
			goto out;
		}
		/* short naps, varied per process and try, so the lock
		 * passes on quickly and no waiter keeps missing it */
		nap.tv_nsec = (LOCK_POLL_MS + ((unsigned)getpid() + tries++ *
			7) % 9) * 1000000L;
		nanosleep(&nap, NULL);
	}
	/* store_unlock() empties the note: one still there is a crash's,
	 * written when that process took the lock */
	crashed = fstat(fd, &st) == 0 && st.st_size > 0;
	since = st.st_mtim;
	lock_note(fd, who);
	s->lock_fd = fd;
	fd = -1;
	clear_crash_leftovers(s, crashed ? &since : NULL);
	ret = recover(s, d);
	if (ret)
		store_unlock(s);
out:
	if (fd >= 0)
		close(fd);
	sb_release(&path);
	return ret;
}

void store_unlock(struct store *s)
{
	if (!s || s->lock_fd < 0)
		return;
	/* an empty note: nobody reads a stale pid as the holder */
	if (ftruncate(s->lock_fd, 0) < 0) {
		/* harmless: the note is only informative */
	}
	close(s->lock_fd);
	s->lock_fd = -1;
}

/* ---- reading ---------------------------------------------------------- */

static int head_blob(git_blob **out, struct store *s, const char *path,
	struct diag *d);
static int pending_exists(struct store *s);

int store_read(struct sb *out, struct store *s, const char *path,
	size_t max, struct diag *d)
{
	struct diag quiet = DIAG_INIT;
	struct sb abs = SB_INIT;
	git_blob *blob = NULL;
	size_t i;
	int ret;

	if (!path_ok(path))
		return diag_add(d, ERR_INVALID, "invalid store path '%s'",
			path);
	sb_addf(&abs, "%s/%s", s->root, path);
	ret = read_file(out, abs.buf, max, &quiet);
	/*
	 * In HEAD but not yet in the work tree: a commit is between moving
	 * its ref and writing its files (another process's, as a reader
	 * takes no lock, or one a crash interrupted).  Read what is
	 * recorded rather than report a case missing.
	 */
	if (ret == ERR_NOTFOUND && pending_exists(s) &&
	    head_blob(&blob, s, path, &quiet) == 0) {
		if ((size_t)git_blob_rawsize(blob) > max) {
			ret = diag_add(d, ERR_INVALID, "'%s' is larger than "
				"the limit of %zu bytes", abs.buf, max);
		} else {
			sb_add(out, git_blob_rawcontent(blob),
				(size_t)git_blob_rawsize(blob));
			ret = 0;
		}
		goto out;
	}
	for (i = 0; i < quiet.n; i++)
		diag_add(d, ret, "%s", quiet.msg[i]);
out:
	git_blob_free(blob);
	diag_release(&quiet);
	sb_release(&abs);
	return ret;
}

/* HEAD's blob at path; ERR_NOTFOUND (no message) when not there. */
static int head_blob(git_blob **out, struct store *s, const char *path,
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
		ret = git_fail(d, "cannot read the last commit");
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
		return diag_add(d, ERR_NOTFOUND, "'%s' is not in the last "
			"commit", path);
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

/* The refusals of a file that does not match HEAD, one wording for all. */
static int not_clean(struct diag *d, const char *path, int in_head,
	int in_work)
{
	if (!in_work)
		return diag_add(d, ERR_CONFLICT, "'%s' is missing from the "
			"work tree but in the last commit (deleted by hand?); "
			"restore it with git first", path);
	if (!in_head)
		return diag_add(d, ERR_CONFLICT, "'%s' exists but is not in "
			"the last commit (made by hand?); commit or remove it "
			"with git first", path);
	return diag_add(d, ERR_CONFLICT, "'%s' differs from the last commit "
		"(edited by hand?); commit or restore it with git first",
		path);
}

int store_check_clean(struct store *s, const char *path, struct diag *d)
{
	struct sb abs = SB_INIT, data = SB_INIT;
	struct diag quiet = DIAG_INIT;
	git_blob *blob = NULL;
	git_oid oid;
	int ret, in_head, rd;

	if (!path_ok(path))
		return diag_add(d, ERR_INVALID, "invalid store path '%s'",
			path);
	ret = head_blob(&blob, s, path, d);
	if (ret && ret != ERR_NOTFOUND)
		goto out;
	in_head = ret == 0;
	sb_addf(&abs, "%s/%s", s->root, path);
	rd = read_file(&data, abs.buf, SIZE_MAX, &quiet);
	ret = 0;
	if (rd && rd != ERR_NOTFOUND) {
		ret = diag_add(d, rd, "%s", quiet.msg[0]);
	} else if (rd == ERR_NOTFOUND) {
		if (in_head)
			ret = not_clean(d, path, 1, 0);
	} else if (!in_head) {
		ret = not_clean(d, path, 0, 1);
	} else if (git_odb_hash(&oid, data.buf, data.len,
	    GIT_OBJECT_BLOB) < 0) {
		ret = git_fail(d, "cannot hash a file");
	} else if (!git_oid_equal(&oid, git_blob_id(blob))) {
		ret = not_clean(d, path, 1, 1);
	}
out:
	git_blob_free(blob);
	diag_release(&quiet);
	sb_release(&data);
	sb_release(&abs);
	return ret;
}

/* ---- ids and case paths ----------------------------------------------- */

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Highest NNNNNN among "<pat>NNNNNN.yaml" blobs in one folder, or 0. */
static long folder_max(const git_tree *folder, const char *pat)
{
	size_t i, n = git_tree_entrycount(folder), plen = strlen(pat);
	const git_tree_entry *e;
	const char *name;
	long seq, best = 0;

	for (i = 0; i < n; i++) {
		e = git_tree_entry_byindex(folder, i);
		name = git_tree_entry_name(e);
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
		    strncmp(name, pat, plen) || !all_digits(name + plen, 6) ||
		    strcmp(name + plen + 6, ".yaml"))
			continue;
		seq = strtol(name + plen, NULL, 10);
		if (seq > best)
			best = seq;
	}
	return best;
}

/*
 * Folders hold 1000 sequence numbers each, so the highest id is in the
 * last folder that has any id of this prefix: scan folders from the last
 * backwards (ids of other prefixes may share them) and stop at the first
 * hit.  One folder read per call in the usual single-prefix store.
 */
int store_last_seq(long *out, struct store *s, const char *prefix, int year,
	struct diag *d)
{
	git_tree *root = NULL, *ytree = NULL, *folder = NULL;
	git_tree_entry *ye = NULL;
	const git_tree_entry *e;
	struct sb pat = SB_INIT;
	char ypath[32];
	size_t i;
	int err, ret;

	*out = 0;
	if (year < 0 || year > 9999)
		return diag_add(d, ERR_INVALID, "invalid year %d", year);
	ret = head_tree(&root, s, d);
	if (ret || !root)
		goto out;
	snprintf(ypath, sizeof(ypath), "cases/%04d", year);
	err = git_tree_entry_bypath(&ye, root, ypath);
	if (err == GIT_ENOTFOUND || (!err &&
	    git_tree_entry_type(ye) != GIT_OBJECT_TREE))
		goto out;
	if (err < 0 || git_tree_lookup(&ytree, s->repo,
	    git_tree_entry_id(ye)) < 0) {
		ret = git_fail(d, "cannot read the last commit");
		goto out;
	}
	if (prefix && *prefix)
		sb_addf(&pat, "%s-", prefix);
	sb_addf(&pat, "%04d-", year);
	for (i = git_tree_entrycount(ytree); i-- > 0 && !*out;) {
		e = git_tree_entry_byindex(ytree, i);
		if (git_tree_entry_type(e) != GIT_OBJECT_TREE ||
		    strlen(git_tree_entry_name(e)) != 3 ||
		    !all_digits(git_tree_entry_name(e), 3))
			continue;
		if (git_tree_lookup(&folder, s->repo,
		    git_tree_entry_id(e)) < 0) {
			ret = git_fail(d, "cannot read the last commit");
			goto out;
		}
		*out = folder_max(folder, pat.buf);
		git_tree_free(folder);
		folder = NULL;
	}
out:
	sb_release(&pat);
	git_tree_free(ytree);
	git_tree_entry_free(ye);
	git_tree_free(root);
	return ret;
}

/* Look up a subtree of tree by entry; NULL if the entry is not a tree. */
static int subtree(git_tree **out, git_repository *repo,
	const git_tree_entry *e, struct diag *d)
{
	*out = NULL;
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return 0;
	if (git_tree_lookup(out, repo, git_tree_entry_id(e)) < 0)
		return git_fail(d, "cannot read the last commit");
	return 0;
}

/* Push cases/Y/F/NAME.yaml for every case blob in HEAD's tree, and its
 * blob id when ids is given. */
static int head_case_paths(struct strlist *out, git_oid **ids,
	struct store *s, struct diag *d)
{
	git_tree *root = NULL, *cases = NULL, *year = NULL, *folder = NULL;
	git_tree_entry *ce = NULL;
	const git_tree_entry *ye, *fe, *e;
	struct sb p = SB_INIT;
	size_t i, j, k, alloc = 0;
	int err, ret;

	ret = head_tree(&root, s, d);
	if (ret || !root)
		goto out;
	err = git_tree_entry_bypath(&ce, root, "cases");
	if (err == GIT_ENOTFOUND)
		goto out;
	if (err < 0) {
		ret = git_fail(d, "cannot read the last commit");
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
			ret = diag_add(d, ERR_GIT, "the last commit lists "
				"case files out of order");
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
	struct strlist names = STRLIST_INIT;
	struct sb p = SB_INIT, y = SB_INIT, f = SB_INIT;
	struct folders *kept = folders_open(s->gitdir, s->shared);
	size_t i, j, k;

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
			folders_list(kept, p.buf, &names);
			for (k = 0; k < names.n; k++) {
				join3(&p, NULL, f.buf, names.v[k]);
				strlist_push(out, p.buf);
			}
			strlist_release(&names);
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

/* ---- transactions ----------------------------------------------------- */

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

void txn_case(struct txn *t, const char *id)
{
	if (!strlist_has(&t->cases, id))
		strlist_push(&t->cases, id);
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
		ret = git_fail(d, "cannot build a tree");
		goto out;
	}
	while (i < n) {
		name = f[i]->path + skip;
		slash = strchr(name, '/');
		if (!slash) {
			if (git_treebuilder_insert(NULL, tb, name, &f[i]->oid,
			    GIT_FILEMODE_BLOB) < 0) {
				ret = git_fail(d, "cannot build a tree");
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
			ret = git_fail(d, "cannot read the last commit");
			goto out;
		}
		ret = build_tree(&sub_oid, repo, sub, f + i, j - i,
			skip + len + 1, d);
		if (ret)
			goto out;
		if (git_treebuilder_insert(NULL, tb, dir, &sub_oid,
		    GIT_FILEMODE_TREE) < 0) {
			ret = git_fail(d, "cannot build a tree");
			goto out;
		}
		git_tree_free(sub);
		sub = NULL;
		free(dir);
		dir = NULL;
		i = j;
	}
	if (git_treebuilder_write(out, tb) < 0)
		ret = git_fail(d, "cannot write a tree");
out:
	free(dir);
	git_tree_free(sub);
	git_treebuilder_free(tb);
	return ret;
}

/* Refuse paths and trailer values that could escape or break the commit. */
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
			ret = diag_add(d, ERR_CONFLICT, "'%.*s' is a symbolic "
				"link; docket does not write through links "
				"(remove it with git first)", p ?
				(int)(p - rel) : (int)strlen(rel), rel);
			break;
		}
		if (!p++)
			break;
	}
	sb_release(&part);
	return ret;
}

static int txn_check(struct txn *t, const char *action, const char *actor,
	struct diag *d)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		if (!path_ok(t->files[i].path))
			return diag_add(d, ERR_INVALID, "invalid store path "
				"'%s'", t->files[i].path);
		if (no_links(t->s->root, t->files[i].path, d))
			return ERR_CONFLICT;
	}
	for (i = 0; i < t->cases.n; i++)
		if (!line_ok(t->cases.v[i]) || !*t->cases.v[i])
			return diag_add(d, ERR_INVALID, "invalid case id "
				"'%s' for a commit trailer", t->cases.v[i]);
	if (!line_ok(action) || !line_ok(actor))
		return diag_add(d, ERR_INVALID, "action and actor must be "
			"one line each");
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
		ret = git_fail(d, "cannot read HEAD");
		goto out;
	}
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		ret = diag_add(d, ERR_CONFLICT, "HEAD is detached; check out "
			"the store's branch with git first");
		goto out;
	}
	*branch = xstrdup(git_reference_symbolic_target(head));
	err = git_reference_name_to_id(&old, s->repo, *branch);
	if (err == GIT_ENOTFOUND)
		goto out;
	if (err < 0 || git_commit_lookup(parent, s->repo, &old) < 0 ||
	    git_commit_tree(base, *parent) < 0)
		ret = git_fail(d, "cannot read the last commit");
out:
	git_reference_free(head);
	return ret;
}

/* Steps 1-3 of store.h: blobs, trees and the commit object. */
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

	sorted = xcalloc(t->n ? t->n : 1, sizeof(*sorted));
	for (i = 0; i < t->n; i++) {
		if (git_blob_create_from_buffer(&t->files[i].oid, repo,
		    t->files[i].data, t->files[i].len) < 0) {
			ret = git_fail(d, "cannot store a file");
			goto out;
		}
		sorted[i] = &t->files[i];
	}
	qsort(sorted, t->n, sizeof(*sorted), cmp_file);
	ret = build_tree(&tree_oid, repo, base, sorted, t->n, 0, d);
	if (ret)
		goto out;
	if (git_tree_lookup(&tree, repo, &tree_oid) < 0) {
		ret = git_fail(d, "cannot read the new tree");
		goto out;
	}
	if (git_signature_new(&sig, author->name, author->email,
	    author->when.t, author->when.off) < 0) {
		ret = git_fail(d, "invalid commit author");
		goto out;
	}
	if (git_commit_create(out, repo, NULL, sig, sig, NULL, msg, tree,
	    parent ? 1 : 0, parent ? &parent : NULL) < 0)
		ret = git_fail(d, "cannot create the commit");
out:
	git_tree_free(tree);
	git_signature_free(sig);
	free(sorted);
	return ret;
}

/* Step 3 of store.h: move the branch, only if nobody else moved it. */
static int txn_move_ref(struct txn *t, const char *branch,
	const git_commit *parent, const git_oid *oid,
	const struct signer *author, const char *subject, struct diag *d)
{
	git_reference *ref = NULL;
	struct sb log = SB_INIT;
	const char *nl;
	int err;

	/* the reflog names the signer, not whatever git config says */
	git_repository_set_ident(t->s->repo, author->name, author->email);
	nl = subject ? strchr(subject, '\n') : NULL;
	sb_addf(&log, "commit: %.*s", nl ? (int)(nl - subject) :
		(int)strlen(subject ? subject : ""), subject ? subject : "");
	if (parent)
		err = git_reference_create_matching(&ref, t->s->repo, branch,
			oid, 1, git_commit_id(parent), log.buf);
	else
		err = git_reference_create(&ref, t->s->repo, branch, oid, 0,
			log.buf);
	git_repository_set_ident(t->s->repo, NULL, NULL);
	git_reference_free(ref);
	sb_release(&log);
	if (err < 0)
		return git_fail(d, "cannot record the commit");
	return 0;
}

/* ---- patching git's index file ----------------------------------------- */

/*
 * libgit2 reads and parses the whole index (~130 ms at 100,000 entries)
 * and writes it back (~65 ms) to change one entry.  index_patch() does
 * what git itself must do, no more: one pass over the file's bytes that
 * replaces or inserts the changed entries, the optional extensions (caches
 * git rebuilds: TREE, UNTR, ...) dropped, a new checksum, index.lock
 * renamed over the index.  Versions 2 and 3 only; anything else (version
 * 4, a required extension such as a split index, a conflicted path, no
 * index yet) is left to libgit2 (INDEX_PATCH_NO).
 */
#define INDEX_PATCH_NO 1
#define IE_FIXED 62		/* stat data, mode, ids, size, oid, flags */

static uint32_t get32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static void put32(struct sb *b, uint32_t v)
{
	char c[4] = { (char)(v >> 24), (char)(v >> 16), (char)(v >> 8),
		(char)v };

	sb_add(b, c, 4);
}

/* Append the index entry of a file just written (stat it for git). */
static int entry_put(struct sb *out, struct store *s, const struct txn_file *f,
	struct diag *d)
{
	struct sb path = SB_INIT;
	size_t len = strlen(f->path), total;
	char flags[2], pad[8] = { 0 };
	struct stat st;

	sb_addf(&path, "%s/%s", s->root, f->path);
	if (lstat(path.buf, &st) < 0) {
		diag_add(d, ERR_IO, "cannot stat '%s': %s", path.buf,
			strerror(errno));
		sb_release(&path);
		return ERR_IO;
	}
	sb_release(&path);
	put32(out, (uint32_t)st.st_ctim.tv_sec);
	put32(out, (uint32_t)st.st_ctim.tv_nsec);
	put32(out, (uint32_t)st.st_mtim.tv_sec);
	put32(out, (uint32_t)st.st_mtim.tv_nsec);
	put32(out, (uint32_t)st.st_dev);
	put32(out, (uint32_t)st.st_ino);
	put32(out, GIT_FILEMODE_BLOB);
	put32(out, (uint32_t)st.st_uid);
	put32(out, (uint32_t)st.st_gid);
	put32(out, (uint32_t)st.st_size);
	sb_add(out, (const char *)f->oid.id, GIT_OID_RAWSZ);
	flags[0] = (char)((len < 0xfff ? len : 0xfff) >> 8);
	flags[1] = (char)(len < 0xfff ? len : 0xfff);
	sb_add(out, flags, 2);
	sb_add(out, f->path, len);
	total = (IE_FIXED + len + 8) & ~(size_t)7;
	sb_add(out, pad, total - IE_FIXED - len);
	return 0;
}

/* Compare an index entry's path (p, n bytes) with a NUL-ended path. */
static int path_cmp(const char *p, size_t n, const char *q)
{
	size_t m = strlen(q);
	int c = memcmp(p, q, n < m ? n : m);

	return c ? c : (n > m) - (n < m);
}

/*
 * The new index as pieces: runs of the old file (mapped) between the
 * entries made anew (in `made`), so nothing large is copied.
 */
struct piece {
	int made;		/* 0: offset into the old index; 1: into made */
	size_t off, len;
};

struct pieces {
	struct piece *v;
	size_t n, alloc;
	struct sb made;
};

static void piece_add(struct pieces *ps, int made, size_t off, size_t len)
{
	if (!len)
		return;
	if (ps->n && ps->v[ps->n - 1].made == made &&
	    ps->v[ps->n - 1].off + ps->v[ps->n - 1].len == off) {
		ps->v[ps->n - 1].len += len;
		return;
	}
	GROW(ps->v, ps->alloc, ps->n + 1);
	ps->v[ps->n].made = made;
	ps->v[ps->n].off = off;
	ps->v[ps->n++].len = len;
}

/* A new entry for f, as a piece. */
static int piece_entry(struct pieces *ps, struct store *s,
	const struct txn_file *f, struct diag *d)
{
	size_t off = ps->made.len;
	int ret = entry_put(&ps->made, s, f, d);

	if (!ret)
		piece_add(ps, 1, off, ps->made.len - off);
	return ret;
}

/* The pieces of the new index for sorted files f[0..n) (the header is
 * ps->made's first 12 bytes), or INDEX_PATCH_NO. */
static int index_merge(struct pieces *ps, struct store *s,
	const unsigned char *b, size_t blen, struct txn_file **f, size_t n,
	struct diag *d)
{
	size_t pos = 12, end, count, i, j = 0, len, size, added = 0;
	uint32_t version, flags;
	int c, ret;

	if (blen < 12 + GIT_OID_RAWSZ || memcmp(b, "DIRC", 4))
		return INDEX_PATCH_NO;
	version = get32(b + 4);
	if (version != 2 && version != 3)
		return INDEX_PATCH_NO;
	count = get32(b + 8);
	end = blen - GIT_OID_RAWSZ;
	sb_add(&ps->made, (const char *)b, 12);
	piece_add(ps, 1, 0, 12);
	for (i = 0; i < count; i++) {
		if (pos + IE_FIXED + 1 > end)
			return INDEX_PATCH_NO;
		flags = (uint32_t)b[pos + 60] << 8 | b[pos + 61];
		if (flags & 0x4000)	/* extended flags: git's own */
			return INDEX_PATCH_NO;
		len = flags & 0xfff;
		if (len == 0xfff) {
			const void *nul = memchr(b + pos + IE_FIXED, 0,
				end - pos - IE_FIXED);

			if (!nul)
				return INDEX_PATCH_NO;
			len = (size_t)((const unsigned char *)nul - b - pos -
				IE_FIXED);
		}
		size = (IE_FIXED + len + 8) & ~(size_t)7;
		if (pos + size > end)
			return INDEX_PATCH_NO;
		c = 1;
		while (j < n && (c = path_cmp((const char *)b + pos + IE_FIXED,
		    len, f[j]->path)) > 0) {
			ret = piece_entry(ps, s, f[j++], d);
			if (ret)
				return ret;
			added++;
		}
		if (c == 0) {
			if (flags & 0x3000)	/* a conflict: git's to solve */
				return INDEX_PATCH_NO;
			ret = piece_entry(ps, s, f[j++], d);
			if (ret)
				return ret;
		} else {
			piece_add(ps, 0, pos, size);
		}
		pos += size;
	}
	for (; j < n; j++, added++) {
		ret = piece_entry(ps, s, f[j], d);
		if (ret)
			return ret;
	}
	/* extensions: a required one (lower-case name) is not ours to
	 * drop; the optional ones are caches git rebuilds */
	while (pos + 8 <= end) {
		if (b[pos] >= 'a' && b[pos] <= 'z')
			return INDEX_PATCH_NO;
		size = get32(b + pos + 4);
		if (size > end - pos - 8)
			return INDEX_PATCH_NO;
		pos += 8 + size;
	}
	ps->made.buf[8] = (char)((count + added) >> 24);
	ps->made.buf[9] = (char)((count + added) >> 16);
	ps->made.buf[10] = (char)((count + added) >> 8);
	ps->made.buf[11] = (char)(count + added);
	return 0;
}

/* How many leading bytes the new index shares with old (its checksum
 * excluded): where hashing has to start again. */
static size_t pieces_same(const struct pieces *ps, const unsigned char *old,
	size_t oldlen)
{
	size_t pos = 0, i, j, len;
	const char *p;

	oldlen -= IDXSUM_LEN;
	for (i = 0; i < ps->n; i++) {
		len = ps->v[i].len;
		if (!ps->v[i].made && ps->v[i].off == pos) {
			pos += len;
			continue;
		}
		p = ps->v[i].made ? ps->made.buf + ps->v[i].off :
			(const char *)old + ps->v[i].off;
		for (j = 0; j < len && pos + j < oldlen &&
		    (unsigned char)p[j] == old[pos + j]; j++)
			;
		if (j < len)
			return pos + j;
		pos += len;
	}
	return pos;
}

/* Write the pieces and their SHA-1 to fd; sum is resumed from the marks
 * of the index they replace. */
static int pieces_write(int fd, const struct pieces *ps,
	const unsigned char *old, struct idxsum *sum)
{
	unsigned char out[IDXSUM_LEN];
	const char *p;
	size_t i;

	for (i = 0; i < ps->n; i++) {
		p = ps->v[i].made ? ps->made.buf + ps->v[i].off :
			(const char *)old + ps->v[i].off;
		idxsum_update(sum, p, ps->v[i].len);
		if (write_all(fd, p, ps->v[i].len) < 0)
			return -1;
	}
	idxsum_final(sum, out);
	return write_all(fd, (const char *)out, IDXSUM_LEN) < 0 ? -1 : 0;
}

static int index_patch(struct store *s, struct txn *t, struct diag *d)
{
	struct sb path = SB_INIT, lock = SB_INIT, marks = SB_INIT;
	struct pieces ps = { NULL, 0, 0, SB_INIT };
	struct idxsum *sum = NULL;
	struct txn_file **sorted = NULL;
	unsigned char *old = MAP_FAILED;
	struct stat st;
	size_t i;
	int fd = -1, ret = INDEX_PATCH_NO;

	sb_addf(&path, "%s/index", s->gitdir);
	sb_addf(&lock, "%s/index.lock", s->gitdir);
	fd = open(path.buf, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < 32)
		goto out;
	old = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
		fd, 0);
	close(fd);
	fd = -1;
	if (old == MAP_FAILED)
		goto out;
	sorted = xcalloc(t->n ? t->n : 1, sizeof(*sorted));
	for (i = 0; i < t->n; i++)
		sorted[i] = &t->files[i];
	qsort(sorted, t->n, sizeof(*sorted), cmp_file);
	ret = index_merge(&ps, s, old, (size_t)st.st_size, sorted, t->n, d);
	if (ret)
		goto out;
	fd = open(lock.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
		st.st_mode & 0777);
	if (fd < 0) {
		ret = diag_add(d, ERR_LOCKED, "cannot create '%s': %s",
			lock.buf, strerror(errno));
		goto out;
	}
	sb_addf(&marks, "%s/%s", s->gitdir, IDXSUM_FILE);
	sum = idxsum_begin(marks.buf, old, (size_t)st.st_size,
		pieces_same(&ps, old, (size_t)st.st_size));
	/* not fsync'd, as git does not: index_open() rebuilds a torn one */
	if (pieces_write(fd, &ps, old, sum) < 0 || close(fd) < 0) {
		fd = -1;
		unlink(lock.buf);
		ret = diag_add(d, ERR_IO, "cannot write '%s': %s", lock.buf,
			strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(lock.buf, path.buf) < 0) {
		unlink(lock.buf);
		ret = diag_add(d, ERR_IO, "cannot rename '%s': %s", lock.buf,
			strerror(errno));
	} else {
		idxsum_save(sum, s->shared);
	}
out:
	if (fd >= 0)
		close(fd);
	if (old != MAP_FAILED)
		munmap(old, (size_t)st.st_size);
	idxsum_free(sum);
	free(sorted);
	free(ps.v);
	sb_release(&ps.made);
	sb_release(&marks);
	sb_release(&lock);
	sb_release(&path);
	return ret;
}

/* Step 4 of store.h: the work-tree files and their index entries. */
static int txn_worktree(struct txn *t, struct diag *d)
{
	struct store *s = t->s;
	git_index *own = NULL, *idx = s->batch_idx;
	size_t i;
	int ret = 0;

	for (i = 0; i < t->n; i++) {
		ret = write_atomic(s->root, t->files[i].path, t->files[i].data,
			t->files[i].len, s->shared, NULL, d);
		if (ret)
			goto out;
		fault_at("commit-worktree", i + 1);
	}
	/* one commit: patch git's index file; a batch keeps the index in
	 * memory and writes it once, at its end */
	if (!idx) {
		ret = index_patch(s, t, d);
		if (ret != INDEX_PATCH_NO)
			goto done;
		ret = index_open(&own, s, d);
		if (ret)
			goto out;
		idx = own;
	}
	for (i = 0; i < t->n; i++) {
		ret = index_update(s, idx, t->files[i].path,
			&t->files[i].oid, d);
		if (ret)
			goto out;
	}
	if (own && git_index_write(own) < 0) {
		ret = git_fail(d, "cannot write the index");
		goto out;
	}
done:
	if (!ret)
		fault_at("commit-index", 0);
out:
	git_index_free(own);
	return ret;
}

/*
 * Refuse to start a commit while a git command holds one of the locks it
 * needs (the stale ones of a crash went in store_lock()): failing now
 * records nothing, failing after the ref moved would leave the work tree
 * behind.
 */
static int txn_git_locks_free(struct store *s, const char *branch,
	struct diag *d)
{
	const char *names[] = { "index", branch };
	struct sb path = SB_INIT;
	struct stat st;
	size_t i;
	int ret = 0;

	for (i = 0; i < ARRAY_SIZE(names) && !ret; i++) {
		sb_reset(&path);
		sb_addf(&path, "%s/%s.lock", s->gitdir, names[i]);
		if (lstat(path.buf, &st) == 0)
			ret = diag_add(d, ERR_LOCKED, "'%s' exists: a git "
				"command is working in the store; try again "
				"when it ends (remove the file if no git "
				"command is running)", path.buf);
	}
	sb_release(&path);
	return ret;
}

/* 1 if .git/docket-pending exists. */
static int pending_exists(struct store *s)
{
	struct sb path = SB_INIT;
	int found;

	sb_addf(&path, "%s/%s", s->gitdir, PENDING_FILE);
	found = file_exists(path.buf);
	sb_release(&path);
	return found;
}

/*
 * A batch's pending list: "commit BASE" (HEAD when the batch began, so
 * always recorded) and every path the batch's commits touch, appended
 * before each commit moves the ref.  Recovery makes each path HEAD has
 * match HEAD and leaves the rest (new files of a commit that never got
 * recorded) alone, which is right for every commit of the batch.
 */
static int pending_append(struct store *s, const char *const *paths,
	size_t n, struct diag *d)
{
	struct sb list = SB_INIT;
	size_t i;
	int ret = 0;

	for (i = 0; i < n; i++)
		sb_addf(&list, "%s\n", paths[i]);
	if (write_all(s->batch_fd, list.buf, list.len) < 0)
		ret = diag_add(d, ERR_IO, "cannot write '%s/%s': %s",
			s->gitdir, PENDING_FILE, strerror(errno));
	sb_release(&list);
	return ret;
}

/*
 * Make everything written so far durable with one syncfs() of the store's
 * file system: a batch's objects and pending list before its ref moves,
 * the ref and work-tree files before its id is told.  libgit2's fsync of
 * every object, ref and reflog (two each, with the directory) is off.
 */
static void set_fsync(struct store *s, int on)
{
	git_refdb *db = NULL;

	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, on);
	sync_each = on;
	/* the ref database reads the setting when it opens */
	if (git_refdb_open(&db, s->repo) == 0)
		git_repository_set_refdb(s->repo, db);
	git_refdb_free(db);
}

static int batch_sync(struct store *s, struct diag *d)
{
	if (syncfs(s->batch_fd) < 0)
		return diag_add(d, ERR_IO, "cannot sync the store: %s",
			strerror(errno));
	return 0;
}

int store_batch_begin(struct store *s, struct diag *d)
{
	struct sb path = SB_INIT;
	git_oid head;
	int ret = 0;

	if (s->lock_fd < 0)
		return diag_add(d, ERR_GENERIC, "cannot start a batch without "
			"the store lock");
	if (s->batch_idx)
		return 0;
	if (pending_exists(s)) {
		ret = recover(s, d);
		if (ret)
			goto out;
	}
	if (git_reference_name_to_id(&head, s->repo, "HEAD") < 0) {
		ret = git_fail(d, "cannot read HEAD");
		goto out;
	}
	ret = index_open(&s->batch_idx, s, d);
	if (ret)
		goto out;
	ret = pending_write(s, &head, NULL, 0, d);
	if (ret)
		goto out;
	sb_addf(&path, "%s/%s", s->gitdir, PENDING_FILE);
	s->batch_fd = open(path.buf, O_WRONLY | O_APPEND | O_CLOEXEC |
		O_NOFOLLOW);
	if (s->batch_fd < 0) {
		ret = diag_add(d, ERR_IO, "cannot open '%s': %s", path.buf,
			strerror(errno));
		unlink(path.buf);
	}
	s->batch_broken = 0;
	if (!ret)
		set_fsync(s, 0);
out:
	if (ret) {
		git_index_free(s->batch_idx);
		s->batch_idx = NULL;
	}
	sb_release(&path);
	return ret;
}

int store_batch_end(struct store *s, struct diag *d)
{
	struct sb path = SB_INIT;
	int ret = 0;

	if (!s->batch_idx)
		return 0;
	set_fsync(s, 1);
	if (s->batch_broken) {
		/* the pending list stays for the next store_lock() */
		ret = diag_add(d, ERR_IO, "the batch left a commit unfinished; "
			"the next docket command finishes it");
		goto out;
	}
	if (git_index_write(s->batch_idx) < 0) {
		ret = git_fail(d, "cannot write the index");
		goto out;
	}
	fault_at("batch-index", 0);
	/* the index and every work-tree file before the list goes */
	ret = batch_sync(s, d);
	if (ret)
		goto out;
	sb_addf(&path, "%s/%s", s->gitdir, PENDING_FILE);
	if (unlink(path.buf) < 0)
		ret = diag_add(d, ERR_IO, "cannot remove '%s': %s", path.buf,
			strerror(errno));
out:
	close(s->batch_fd);
	s->batch_fd = -1;
	git_index_free(s->batch_idx);
	s->batch_idx = NULL;
	sb_release(&path);
	return ret;
}

int txn_commit(struct txn *t, const struct signer *author,
	const char *action, const char *actor, const char *subject,
	char out_oid[41], struct diag *d)
{
	struct store *s = t->s;
	git_commit *parent = NULL;
	git_tree *base = NULL;
	struct sb msg = SB_INIT, pending = SB_INIT;
	const char **paths = NULL;
	char *branch = NULL;
	git_oid oid;
	size_t i;
	int ret;

	out_oid[0] = '\0';
	ret = txn_check(t, action, actor, d);
	if (ret)
		goto out;
	/* an earlier commit of this process left its work unfinished:
	 * finish it first, as the next store_lock() would, so the pending
	 * list below never hides its paths */
	if (!s->batch_idx && pending_exists(s)) {
		ret = recover(s, d);
		if (ret)
			goto out;
	}
	ret = txn_parent(&branch, &parent, &base, s, d);
	if (ret)
		goto out;
	ret = txn_git_locks_free(s, branch, d);
	if (ret)
		goto out;
	txn_message(&msg, t, action, actor, subject);
	ret = txn_objects(&oid, t, parent, base, author, msg.buf, d);
	if (ret)
		goto out;
	fault_at("commit-objects", 0);

	paths = xcalloc(t->n ? t->n : 1, sizeof(*paths));
	for (i = 0; i < t->n; i++)
		paths[i] = t->files[i].path;
	if (s->batch_idx) {
		ret = pending_append(s, paths, t->n, d);
		if (!ret)
			ret = batch_sync(s, d);
	} else {
		ret = pending_write(s, &oid, paths, t->n, d);
	}
	if (ret)
		goto out;
	fault_at("commit-pending", 0);
	sb_addf(&pending, "%s/%s", s->gitdir, PENDING_FILE);
	ret = txn_move_ref(t, branch, parent, &oid, author, subject, d);
	if (ret) {
		/* nothing is recorded, so nothing is left to redo (a
		 * batch's list names only recorded commits and new paths
		 * HEAD lacks, which recovery leaves alone) */
		if (!s->batch_idx)
			unlink(pending.buf);
		goto out;
	}
	git_oid_tostr(out_oid, 41, &oid);
	fault_at("commit-ref", 0);

	ret = txn_worktree(t, d);
	if (!ret && s->batch_idx)
		ret = batch_sync(s, d);
	if (ret)
		s->batch_broken = 1;
	if (ret) {
		/* the action is recorded; docket-pending stays for the
		 * next store_lock() to finish */
		diag_add(d, ret, "commit %.7s is recorded but the work tree "
			"was not updated; the next docket command finishes it",
			out_oid);
		goto out;
	}
	if (!s->batch_idx && unlink(pending.buf) < 0) {
		ret = diag_add(d, ERR_IO, "cannot remove '%s': %s",
			pending.buf, strerror(errno));
		goto out;
	}
	fault_at("commit-done", 0);
out:
	free(paths);
	free(branch);
	git_tree_free(base);
	git_commit_free(parent);
	sb_release(&pending);
	sb_release(&msg);
	return ret;
}

/* ---- log -------------------------------------------------------------- */

/*
 * Fill e from a commit if its message has the line "Case: ID"; returns 1
 * if it does.
 */
static int log_match(struct log_entry *e, const git_commit *c,
	const char *id)
{
	const char *msg = git_commit_message(c), *p, *end;
	const git_signature *sig = git_commit_author(c);
	size_t idlen = strlen(id), len;
	int match = 0;

	memset(e, 0, sizeof(*e));
	for (p = msg; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		len = (size_t)(end - p);
		if (p == msg)
			e->subject = xstrndup(p, len);
		if (len == 6 + idlen && !strncmp(p, "Case: ", 6) &&
		    !strncmp(p + 6, id, idlen))
			match = 1;
		if (len >= 8 && !strncmp(p, "Action: ", 8)) {
			free(e->action);
			e->action = xstrndup(p + 8, len - 8);
		}
		if (len >= 7 && !strncmp(p, "Actor: ", 7)) {
			free(e->actor);
			e->actor = xstrndup(p + 7, len - 7);
		}
	}
	if (!match) {
		free(e->subject);
		free(e->action);
		free(e->actor);
		memset(e, 0, sizeof(*e));
		return 0;
	}
	git_oid_tostr(e->oid, sizeof(e->oid), git_commit_id(c));
	e->when.t = sig->when.time;
	e->when.off = sig->when.offset;
	e->author = xstrdup(sig->name ? sig->name : "");
	if (!e->subject)
		e->subject = xstrdup("");
	if (!e->action)
		e->action = xstrdup("");
	if (!e->actor)
		e->actor = xstrdup("");
	return 1;
}

/*
 * Call fn for every commit reachable from HEAD, newest first (parents
 * after children even when their times are equal).
 */
/* Call fn for each commit of HEAD's history not in hide's (NULL: all),
 * newest first when sorted (else in whatever order is cheapest: a
 * sorted walk reads every commit before it yields the first). */
static int walk_history(struct store *s, void (*fn)(const git_commit *c,
	void *data), void *data, const git_oid *hide, int sorted,
	struct diag *d)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid oid;
	int err, ret = 0;

	if (git_revwalk_new(&walk, s->repo) < 0 ||
	    git_revwalk_sorting(walk, sorted ? GIT_SORT_TOPOLOGICAL |
	    GIT_SORT_TIME : GIT_SORT_NONE) < 0) {
		ret = git_fail(d, "cannot read the history");
		goto out;
	}
	err = git_revwalk_push_head(walk);
	if (err == GIT_EUNBORNBRANCH || err == GIT_ENOTFOUND)
		goto out;
	if (err < 0 || (hide && git_revwalk_hide(walk, hide) < 0)) {
		ret = git_fail(d, "cannot read the history");
		goto out;
	}
	while ((err = git_revwalk_next(&oid, walk)) == 0) {
		if (git_commit_lookup(&c, s->repo, &oid) < 0) {
			ret = git_fail(d, "cannot read the history");
			goto out;
		}
		fn(c, data);
		git_commit_free(c);
		c = NULL;
	}
	if (err != GIT_ITEROVER)
		ret = git_fail(d, "cannot read the history");
out:
	git_commit_free(c);
	git_revwalk_free(walk);
	return ret;
}

struct log_walk {
	const char *id;
	struct log_entry *v;
	size_t n, alloc;
};

static void log_one(const git_commit *c, void *data)
{
	struct log_walk *w = data;

	GROW(w->v, w->alloc, w->n + 1);
	if (log_match(&w->v[w->n], c, w->id))
		w->n++;
}

int store_log(struct log_entry **out, size_t *n, struct store *s,
	const char *id, struct diag *d)
{
	struct log_walk w = { id, NULL, 0, 0 };
	int ret;

	*out = NULL;
	*n = 0;
	ret = walk_history(s, log_one, &w, NULL, 1, d);
	if (ret) {
		log_entries_free(w.v, w.n);
		return ret;
	}
	*out = w.v;
	*n = w.n;
	return 0;
}

/*
 * The history's (case, action) counts for `check`.  Walking 500,000
 * commits takes seconds, so the counts are kept in .git/docket-actions
 * with the commit they were counted up to; a later check walks only the
 * commits since, when that commit is still in HEAD's history (else it
 * counts again from the start).  Layout, native byte order:
 *   "DKTACTS" NUL | u32 version | u32 count | commit id[20] | u32 0
 *   count x { u32 n | u16 idlen | u16 actionlen | id NUL | action NUL }
 *   u64 sum64() of everything before it
 */
#define ACTIONS_FILE "docket-actions"
#define ACTIONS_MAGIC "DKTACTS"
#define ACTIONS_VERSION 1u
#define ACTIONS_HDR 40
#define ACTIONS_MAX (1u << 30)

static int cmp_case_action(const void *a, const void *b)
{
	const struct case_action *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : strcmp(x->action, y->action);
}

static void actions_push(struct case_actions *out, size_t *alloc,
	const char *id, const char *action, size_t count)
{
	GROW(out->v, *alloc, out->n + 1);
	out->v[out->n].id = id;
	out->v[out->n].action = action;
	out->v[out->n++].count = count;
}

struct pair_walk {
	struct case_actions *out;
	size_t alloc;
};

/* One pair per "Case:" trailer, with the commit's "Action:". */
static void pairs_one(const git_commit *c, void *data)
{
	struct pair_walk *w = data;
	struct case_actions *o = w->out;
	const char *msg = git_commit_message(c), *p, *end, *action = "";
	size_t first = o->n, len, i;

	for (p = msg; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		len = (size_t)(end - p);
		if (len > 6 && !strncmp(p, "Case: ", 6))
			actions_push(o, &w->alloc,
				arena_strndup(o->mem, p + 6, len - 6), NULL, 1);
		else if (len >= 8 && !strncmp(p, "Action: ", 8))
			action = arena_strndup(o->mem, p + 8, len - 8);
	}
	for (i = first; i < o->n; i++)
		o->v[i].action = action;
}

/* Sort and add up equal pairs. */
static void actions_fold(struct case_actions *a)
{
	size_t i, n = 0;

	if (a->n > 1)
		qsort(a->v, a->n, sizeof(*a->v), cmp_case_action);
	for (i = 0; i < a->n; i++) {
		if (n && !cmp_case_action(&a->v[n - 1], &a->v[i]))
			a->v[n - 1].count += a->v[i].count;
		else
			a->v[n++] = a->v[i];
	}
	a->n = n;
}

/* The counts in .git/docket-actions into *out (strings in out->buf): 0
 * and the commit they go up to, or -1 if the file is missing or unsound. */
static int actions_load(struct case_actions *out, const char *file,
	git_oid *upto)
{
	const char *p, *end;
	uint32_t count, n, i;
	uint16_t il, al;
	size_t alloc = 0;
	int ret = -1;

	if (sealed_read(&out->buf, file, ACTIONS_MAGIC, ACTIONS_VERSION,
	    ACTIONS_MAX) || out->buf.len < ACTIONS_HDR)
		goto out;
	p = out->buf.buf;
	end = p + out->buf.len;
	memcpy(&count, p + 12, 4);
	memcpy(upto->id, p + 16, GIT_OID_RAWSZ);
	for (p += ACTIONS_HDR, i = 0; i < count; i++) {
		if (end - p < 8)
			goto out;
		memcpy(&n, p, 4);
		memcpy(&il, p + 4, 2);
		memcpy(&al, p + 6, 2);
		p += 8;
		if ((size_t)(end - p) < (size_t)il + al + 2 || p[il] ||
		    p[il + 1 + al] || strlen(p) != il ||
		    strlen(p + il + 1) != al)
			goto out;
		actions_push(out, &alloc, p, p + il + 1, n);
		p += il + al + 2;
	}
	ret = p == end ? 0 : -1;
out:
	if (ret)
		out->n = 0;
	return ret;
}

/* Best effort: without the file the next check walks more. */
static void actions_save(const struct case_actions *a, const char *file,
	const git_oid *upto, int shared)
{
	struct sb out = SB_INIT;
	uint32_t count = 0, zero = 0, n;
	uint16_t il, al;
	size_t i;

	sealed_begin(&out, ACTIONS_MAGIC, ACTIONS_VERSION);
	sb_add(&out, &count, 4);
	sb_add(&out, upto->id, GIT_OID_RAWSZ);
	sb_add(&out, &zero, 4);
	for (i = 0; i < a->n; i++) {
		if (strlen(a->v[i].id) > UINT16_MAX ||
		    strlen(a->v[i].action) > UINT16_MAX ||
		    a->v[i].count > UINT32_MAX)
			goto out;
		n = (uint32_t)a->v[i].count;
		il = (uint16_t)strlen(a->v[i].id);
		al = (uint16_t)strlen(a->v[i].action);
		sb_add(&out, &n, 4);
		sb_add(&out, &il, 2);
		sb_add(&out, &al, 2);
		sb_add(&out, a->v[i].id, il + 1u);
		sb_add(&out, a->v[i].action, al + 1u);
		count++;
	}
	memcpy(out.buf + 12, &count, 4);
	(void)sealed_write(&out, file, ACTIONS_VERSION, shared);
out:
	sb_release(&out);
}

/* Merge the counts of b into a (both folded); b is left empty. */
static void actions_merge(struct case_actions *a, struct case_actions *b)
{
	struct case_action *v;
	size_t i = 0, j = 0, n = 0;
	int c;

	if (!b->n)
		return;
	v = xcalloc(a->n + b->n, sizeof(*v));
	while (i < a->n || j < b->n) {
		c = i == a->n ? 1 : j == b->n ? -1 :
			cmp_case_action(&a->v[i], &b->v[j]);
		if (c <= 0)
			v[n] = a->v[i++];
		else
			v[n] = b->v[j++];
		if (c == 0)
			v[n].count += b->v[j++].count;
		n++;
	}
	free(a->v);
	a->v = v;
	a->n = n;
	b->n = 0;
}

/*
 * Call fn for the commits from HEAD down its first parents to stop (not
 * included; NULL: to the root).  docket's histories are linear, and this
 * holds one commit at a time where libgit2's revwalk keeps every commit
 * it has seen (90 MB at 500,000).  1 when a merge commit is met: the
 * caller then walks the whole graph.
 */
static int walk_linear(struct store *s, void (*fn)(const git_commit *c,
	void *data), void *data, const git_oid *stop, struct diag *d)
{
	git_commit *c = NULL;
	git_oid id;
	unsigned n;
	int err;

	err = git_reference_name_to_id(&id, s->repo, "HEAD");
	if (err == GIT_ENOTFOUND || err == GIT_EUNBORNBRANCH)
		return 0;
	if (err < 0)
		return git_fail(d, "cannot read the history");
	while (!stop || !git_oid_equal(&id, stop)) {
		if (git_commit_lookup(&c, s->repo, &id) < 0)
			return git_fail(d, "cannot read the history");
		n = git_commit_parentcount(c);
		if (n > 1) {
			git_commit_free(c);
			return 1;
		}
		fn(c, data);
		if (n)
			git_oid_cpy(&id, git_commit_parent_id(c, 0));
		git_commit_free(c);
		if (!n)
			break;
	}
	return 0;
}

/*
 * The counting walk, by first parents unless there is a merge.  Commits
 * are read once, so libgit2 is told not to cache them (that held 500 MB
 * at 500,000 commits) and to map the pack in small windows; its settings
 * are put back after.
 */
static int count_walk(struct store *s, struct pair_walk *w,
	const git_oid *hide, struct diag *d)
{
	size_t window = 0, mapped = 0;
	int ret;

	git_libgit2_opts(GIT_OPT_GET_MWINDOW_SIZE, &window);
	git_libgit2_opts(GIT_OPT_GET_MWINDOW_MAPPED_LIMIT, &mapped);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT,
		(size_t)0);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)(8 << 20));
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT,
		(size_t)(32 << 20));
	ret = walk_linear(s, pairs_one, w, hide, d);
	if (ret == 1) {
		w->out->n = 0;
		ret = walk_history(s, pairs_one, w, hide, 0, d);
	}
	/* 4096 bytes: libgit2's default for commits, which has no getter */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT,
		(size_t)4096);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, window);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, mapped);
	return ret;
}

int store_case_actions(struct case_actions *out, struct store *s,
	struct diag *d)
{
	struct case_actions fresh;
	struct pair_walk w;
	struct sb file = SB_INIT;
	git_oid head, upto;
	int ret = 0, from_file, err;

	memset(out, 0, sizeof(*out));
	memset(&fresh, 0, sizeof(fresh));
	sb_init(&out->buf);
	out->mem = arena_new(1 << 16);
	fresh.mem = out->mem;
	err = git_reference_name_to_id(&head, s->repo, "HEAD");
	if (err == GIT_ENOTFOUND || err == GIT_EUNBORNBRANCH)
		goto out;
	if (err < 0) {
		ret = git_fail(d, "cannot read the history");
		goto out;
	}
	sb_addf(&file, "%s/%s", s->gitdir, ACTIONS_FILE);
	from_file = !actions_load(out, file.buf, &upto);
	if (from_file && git_oid_equal(&upto, &head))
		goto out;
	/* counts up to a commit HEAD no longer has are of another history */
	if (from_file && git_graph_descendant_of(s->repo, &head, &upto) != 1) {
		out->n = 0;
		from_file = 0;
	}
	w.out = &fresh;
	w.alloc = 0;
	ret = count_walk(s, &w, from_file ? &upto : NULL, d);
	if (ret)
		goto out;
	actions_fold(&fresh);
	actions_merge(out, &fresh);
	actions_save(out, file.buf, &head, s->shared);
out:
	free(fresh.v);
	sb_release(&file);
	if (ret)
		case_actions_release(out);
	return ret;
}

void case_actions_release(struct case_actions *a)
{
	free(a->v);
	arena_free(a->mem);
	sb_release(&a->buf);
	memset(a, 0, sizeof(*a));
}

void log_entries_free(struct log_entry *v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].author);
		free(v[i].action);
		free(v[i].actor);
		free(v[i].subject);
	}
	free(v);
}

char *store_git_email(struct store *s)
{
	git_config *cfg = NULL;
	const char *v = NULL;
	char *email = NULL;

	if (git_repository_config_snapshot(&cfg, s->repo) < 0)
		return NULL;
	if (git_config_get_string(&v, cfg, "user.email") == 0 && *v)
		email = xstrdup(v);
	git_config_free(cfg);
	return email;
}

/* ---- repair ----------------------------------------------------------- */

int store_restore(struct store *s, const char *path, struct diag *d)
{
	struct sb abs = SB_INIT, data = SB_INIT;
	struct diag quiet = DIAG_INIT;
	const char *paths[1];
	git_blob *blob = NULL;
	git_oid head, oid;
	int ret, rd;

	if (s->lock_fd < 0)
		return diag_add(d, ERR_GENERIC, "cannot restore '%s' without "
			"the store lock", path);
	if (!path_ok(path))
		return diag_add(d, ERR_INVALID, "invalid store path '%s'",
			path);
	ret = head_blob(&blob, s, path, d);
	if (ret == ERR_NOTFOUND) {
		ret = diag_add(d, ERR_NOTFOUND, "'%s' is not in the last "
			"commit", path);
		goto out;
	}
	if (ret)
		goto out;
	sb_addf(&abs, "%s/%s", s->root, path);
	rd = read_file(&data, abs.buf, SIZE_MAX, &quiet);
	if (rd && rd != ERR_NOTFOUND) {
		ret = diag_add(d, rd, "%s", quiet.msg[0]);
		goto out;
	}
	if (!rd && (git_odb_hash(&oid, data.buf, data.len,
	    GIT_OBJECT_BLOB) < 0 || !git_oid_equal(&oid, git_blob_id(blob)))) {
		ret = diag_add(d, ERR_CONFLICT, "'%s' differs from the last "
			"commit (edited by hand?); commit or restore it with "
			"git first", path);
		goto out;
	}
	if (git_reference_name_to_id(&head, s->repo, "HEAD") < 0) {
		ret = git_fail(d, "cannot read HEAD");
		goto out;
	}
	/* the same path as a crashed commit: a crash here is finished by
	 * the next store_lock() */
	paths[0] = path;
	ret = pending_write(s, &head, paths, 1, d);
	if (!ret)
		ret = recover(s, d);
out:
	git_blob_free(blob);
	diag_release(&quiet);
	sb_release(&data);
	sb_release(&abs);
	return ret;
}

int store_interrupted(struct store *s)
{
	return pending_exists(s);
}
