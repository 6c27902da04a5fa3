/*
 * lock.c - the store lock and the write session.
 *
 * .git/docket.lock (flock) keeps two dockets apart; a crash releases it.
 * git's .git/index.lock keeps docket and git apart: it is taken after
 * the store lock, before HEAD and the index are read for a write, and
 * held until the new index is in place (gitlock.c).  While it is held
 * the index read under it is the index: nobody else may change it, so
 * the changes of a write are kept as edits and written in one go.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "idxsum.h"
#include "intl.h"
#include "store-int.h"

#define LOCK_POLL_MS 2		/* 2-10 ms between flock attempts */

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
		return diag_add(d, ERR_LOCKED, _("store is locked by pid %ld "
			"(%s); waited %d s"), pid, sp + 1, timeout);
	if (pid > 0)
		return diag_add(d, ERR_LOCKED, _("store is locked by pid %ld; "
			"waited %d s"), pid, timeout);
	return diag_add(d, ERR_LOCKED, _("store is locked by another "
		"process; waited %d s"), timeout);
}

static double elapsed_since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
		(double)(now.tv_nsec - start->tv_nsec) / 1e9;
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

/* The flock on .git/FILE, waited for up to timeout seconds: *out is
 * its descriptor. */
static int take_flock(int *out, struct store *s, const char *file,
	int timeout, const char *who, struct diag *d)
{
	struct timespec start, nap = { 0, 0 };
	struct sb path = SB_INIT;
	struct stat st;
	unsigned tries = 0;
	int fd = -1, ret = 0;

	sb_addf(&path, "%s/%s", s->gitdir, file);
	fd = open(path.buf, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW |
		O_NONBLOCK, store_file_mode(s));
	if (fd < 0) {
		ret = diag_add(d, ERR_IO, _("cannot open lock file '%s': %s"),
			path.buf, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ret = diag_add(d, ERR_IO, _("lock file '%s' is not a regular "
			"file; remove it"), path.buf);
		goto out;
	}
	if (s->shared)
		fchmod(fd, 0660);	/* fails if not ours: fine */
	clock_gettime(CLOCK_MONOTONIC, &start);
	while (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			ret = diag_add(d, ERR_IO, _("cannot lock '%s': %s"),
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
	lock_note(fd, who);
	*out = fd;
	fd = -1;
out:
	if (fd >= 0)
		close(fd);
	sb_release(&path);
	return ret;
}

int store_flock(int *out, struct store *s, const char *file, int timeout,
	const char *who, struct diag *d)
{
	*out = -1;
	return take_flock(out, s, file, timeout, who, d);
}

void store_funlock(int fd)
{
	if (fd < 0)
		return;
	if (ftruncate(fd, 0) < 0) {
		/* harmless: the note is only informative */
	}
	close(fd);
}

/* ---- the index of a write ---------------------------------------------- */

/* Refuse an index docket cannot write without losing what it holds. */
static int index_ok(struct store *s, struct diag *d)
{
	const char *why = gix_writable(s->index);

	if (why)
		return diag_add(d, ERR_CONFLICT, _("%s, which docket does not "
			"write; nothing was changed: `git update-index "
			"--no-split-index` or `git sparse-checkout disable` "
			"makes it plain"), why);
	if (s->index->conflicts)
		return diag_add(d, ERR_CONFLICT, _("git's index has unresolved "
			"conflicts; nothing was changed: resolve them with git "
			"first (git status shows them)"));
	return 0;
}

/* An index file is missing (a clone with --no-checkout, deleted by
 * hand): take HEAD's files as entries git will hash, as `git
 * read-tree HEAD` does, so a write never stages HEAD's files away. */
static int seed_from_head(struct store *s, struct diag *d);

int session_index(struct store *s, struct diag *d)
{
	struct sb path = SB_INIT, marks = SB_INIT;
	int ret;

	if (s->index)
		return 0;
	sb_addf(&path, "%s/index", s->gitdir);
	sb_addf(&marks, "%s/%s", s->gitdir, IDXSUM_FILE);
	ret = gix_read(&s->index, path.buf, 0, d);
	s->index_digest_set = 0;
	s->index_ours = !ret && s->index->map && idxsum_known(marks.buf,
		s->index->map, s->index->len);
	/* like git, check the checksum of an index someone else wrote */
	if (!ret && s->index->map && !s->index_ours) {
		struct gix *again = NULL;

		ret = gix_parse(&again, s->index->map, s->index->len,
			GIX_VERIFY, path.buf, d);
		gix_free(again);
	}
	if (!ret && !s->index->map)
		ret = seed_from_head(s, d);
	if (ret) {
		gix_free(s->index);
		s->index = NULL;
	}
	sb_release(&marks);
	sb_release(&path);
	return ret;
}

static int edit_find(const struct store *s, const char *path, size_t *at)
{
	size_t lo = 0, hi = s->nedits, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(s->edits[mid].path, path);
		if (!c) {
			*at = mid;
			return 1;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*at = lo;
	return 0;
}

const struct gix_edit *session_edit(const struct store *s, const char *path)
{
	size_t at;

	return edit_find(s, path, &at) ? &s->edits[at].e : NULL;
}

void session_put(struct store *s, const char *path, const struct gix_edit *e)
{
	size_t at;

	if (!edit_find(s, path, &at)) {
		GROW(s->edits, s->aedits, s->nedits + 1);
		memmove(&s->edits[at + 1], &s->edits[at],
			(s->nedits - at) * sizeof(*s->edits));
		s->nedits++;
		s->edits[at].path = xstrdup(path);
	}
	s->edits[at].e = *e;
	s->edits[at].e.path = s->edits[at].path;
}

void session_unput(struct store *s, const char *path)
{
	size_t at;

	if (!edit_find(s, path, &at))
		return;
	free(s->edits[at].path);
	memmove(&s->edits[at], &s->edits[at + 1],
		(s->nedits - at - 1) * sizeof(*s->edits));
	s->nedits--;
}

static void edits_clear(struct store *s)
{
	size_t i;

	for (i = 0; i < s->nedits; i++)
		free(s->edits[i].path);
	free(s->edits);
	s->edits = NULL;
	s->nedits = s->aedits = 0;
}

static int tree_entry_cb(const char *root, const git_tree_entry *e,
	void *data)
{
	struct store *s = data;
	struct gix_edit ed;
	struct sb path = SB_INIT;
	git_filemode_t mode = git_tree_entry_filemode(e);

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	memset(&ed, 0, sizeof(ed));
	sb_addf(&path, "%s%s", root, git_tree_entry_name(e));
	memcpy(ed.oid, git_tree_entry_id(e)->id, GIX_OIDLEN);
	ed.smudge = 1;
	ed.mode = (uint32_t)mode;
	session_put(s, path.buf, &ed);
	sb_release(&path);
	return 0;
}

static int seed_from_head(struct store *s, struct diag *d)
{
	git_tree *tree = NULL;
	int ret;

	ret = head_tree(&tree, s, d);
	if (!ret && tree && git_tree_walk(tree, GIT_TREEWALK_PRE,
	    tree_entry_cb, s) < 0)
		ret = git_fail(d, _("cannot read the last commit"));
	git_tree_free(tree);
	return ret;
}

/* core.splitIndex (unset: the index stays as it is) and
 * splitIndex.maxPercentChange, as git reads them. */
static void split_config(struct gix_write_opts *o, struct store *s)
{
	git_config *cfg = NULL;
	int on = 0;
	int32_t max = -1;

	o->split = -1;
	o->max_change = -1;
	o->gitdir = s->gitdir;
	o->mode = (unsigned)store_file_mode(s);
	if (git_repository_config_snapshot(&cfg, s->repo) < 0)
		return;
	if (git_config_get_bool(&on, cfg, "core.splitIndex") == 0)
		o->split = on;
	if (git_config_get_int32(&max, cfg, "splitIndex.maxPercentChange") == 0)
		o->max_change = max;
	git_config_free(cfg);
}

/*
 * Put the index with the edits in place while index.lock stays held:
 * written to .git/index.tmp.PID and renamed over .git/index.  This comes
 * before the branch moves, so whatever git reads without its lock (as
 * `git commit` reads HEAD, then the index, then locks) the index holds
 * at least what HEAD holds; a git that read the branch before it moved
 * is refused by the branch check of its own commit.  The index is read
 * again when a batch goes on (the next write patches the file now on
 * disk), else when something asks for it: at 100,000 entries reading
 * it costs as much as the rest of a write.
 */
int session_install(struct store *s, struct diag *d)
{
	struct gix_write_opts o;
	struct gix_edit *ed = NULL;
	struct sb marks = SB_INIT, tmp = SB_INIT, path = SB_INIT;
	unsigned char sum[GIX_OIDLEN];
	uint64_t digest;
	size_t i;
	int fd = -1, ret;

	ret = session_index(s, d);
	if (ret || !s->nedits)
		return ret;
	sb_addf(&path, "%s/index", s->gitdir);
	sb_addf(&tmp, "%s" TMP_INFIX "%ld", path.buf, (long)getpid());
	sb_addf(&marks, "%s/%s", s->gitdir, IDXSUM_FILE);
	unlink(tmp.buf);
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		O_NOFOLLOW, store_file_mode(s));
	if (fd < 0) {
		ret = diag_add(d, ERR_IO, _("cannot create '%s': %s"), tmp.buf,
			strerror(errno));
		goto out;
	}
	ed = xcalloc(s->nedits, sizeof(*ed));
	for (i = 0; i < s->nedits; i++)
		ed[i] = s->edits[i].e;
	memset(&o, 0, sizeof(o));
	o.worktree = s->root;
	o.marks = marks.buf;
	o.shared = s->shared;
	o.sum = sum;
	split_config(&o, s);
	ret = gix_write(s->index, ed, s->nedits, fd, &o, d);
	if (!ret && close(fd) < 0)
		ret = diag_add(d, ERR_IO, _("cannot write '%s': %s"), tmp.buf,
			strerror(errno));
	fd = -1;
	/* not fsync'd, as git does not: recovery rewrites it if need be */
	if (!ret && rename(tmp.buf, path.buf) < 0)
		ret = diag_add(d, ERR_IO, _("cannot rename '%s' to '%s': %s"),
			tmp.buf, path.buf, strerror(errno));
	if (ret)
		goto out;
	digest = mend_digest_step(s, ed, s->nedits);
	mend_digest_save(s, digest, sum);
	gix_free(s->index);
	s->index = NULL;
	s->index_digest_set = 0;
	edits_clear(s);
	if (s->batch)
		ret = session_index(s, d);
out:
	if (fd >= 0)
		close(fd);
	unlink(tmp.buf);
	free(ed);
	sb_release(&path);
	sb_release(&tmp);
	sb_release(&marks);
	return ret;
}

/* Take index.lock (and recover what a crashed docket left under it). */
int session_begin(struct store *s, int timeout, struct diag *d)
{
	int ret;

	if (gitlock_held(&s->ilock))
		return session_index(s, d);
	ret = gitlock_take(&s->ilock, s->gitdir, "index", timeout,
		store_file_mode(s), d);
	if (ret)
		return ret;
	/* a journal not of our own batch is a crashed docket's */
	if (!s->batch && journal_exists(s))
		ret = store_recover(s, d);
	if (!ret)
		ret = session_index(s, d);
	if (!ret)
		ret = index_ok(s, d);
	if (ret)
		session_end(s);
	return ret;
}

/* Put in place what the session holds, if anything; give the lock up. */
int session_flush(struct store *s, struct diag *d)
{
	int ret = 0;

	if (!gitlock_held(&s->ilock))
		return 0;
	ret = session_install(s, d);
	session_end(s);
	return ret;
}

void session_end(struct store *s)
{
	gitlock_release(&s->ilock);
	gix_free(s->index);
	s->index = NULL;
	edits_clear(s);
}

/* ---- store_lock ---------------------------------------------------------- */

static void block_signals(struct store *s)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	if (!s->blocked && sigprocmask(SIG_BLOCK, &set, &s->oldmask) == 0)
		s->blocked = 1;
}

/*
 * The action is whole by now: a signal held meanwhile asked to stop,
 * and stopping is what the command does next.  It is taken, so it does
 * not kill the process before it has said what it recorded.
 */
static void unblock_signals(struct store *s)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;

	if (!s->blocked)
		return;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigaddset(&set, SIGQUIT);
	while (sigtimedwait(&set, NULL, &zero) > 0)
		;
	sigprocmask(SIG_SETMASK, &s->oldmask, NULL);
	s->blocked = 0;
}

int store_signalled(struct store *s)
{
	sigset_t pending;

	if (!s->blocked || sigpending(&pending) < 0)
		return 0;
	return sigismember(&pending, SIGINT) == 1 ||
		sigismember(&pending, SIGTERM) == 1 ||
		sigismember(&pending, SIGHUP) == 1;
}

int store_lock(struct store *s, int timeout, const char *who,
	struct diag *d)
{
	int ret;

	if (s->lock_fd >= 0)
		return 0;
	s->timeout = timeout;
	ret = take_flock(&s->lock_fd, s, STORE_LOCK_FILE, timeout, who, d);
	if (ret)
		return ret;
	journal_tidy(s);
	ret = session_begin(s, timeout, d);
	if (!ret)
		ret = store_state_ok(s, d);
	if (ret) {
		store_unlock(s);
		return ret;
	}
	block_signals(s);
	return 0;
}

void store_unlock(struct store *s)
{
	struct diag d = DIAG_INIT;
	size_t i;

	if (!s)
		return;
	if (s->batch && store_batch_end(s, &d))
		for (i = 0; i < d.n; i++)
			diag_add(&s->warnings, ERR_IO, "%s", d.msg[i]);
	diag_clear(&d);
	/* index edits without a commit (store_restore) are written now */
	if (session_flush(s, &d))
		for (i = 0; i < d.n; i++)
			diag_add(&s->warnings, ERR_IO, "%s", d.msg[i]);
	diag_release(&d);
	if (s->lock_fd >= 0) {
		/* an empty note: nobody reads a stale pid as the holder */
		if (ftruncate(s->lock_fd, 0) < 0) {
			/* harmless: the note is only informative */
		}
		close(s->lock_fd);
		s->lock_fd = -1;
	}
	unblock_signals(s);
}
