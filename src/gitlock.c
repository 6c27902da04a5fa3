/*
 * gitlock.c - git's lock files, taken as git does and provably ours
 * (see gitlock.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gitlock.h"
#include "intl.h"

#define OWN_PREFIX "docket-lock-"
#define POLL_MS 5

static char *own_name(const char *gitdir, const char *name, long pid)
{
	struct sb p = SB_INIT;

	sb_addf(&p, "%s/" OWN_PREFIX "%s.%ld", gitdir, name, pid);
	return sb_detach(&p, NULL);
}

/* 1 if process pid may still be running (0 when it is surely gone). */
static int pid_alive(long pid)
{
	if (pid <= 0)
		return 0;
	if (pid == (long)getpid())
		return 1;
	return kill((pid_t)pid, 0) == 0 || errno == EPERM;
}

/* 1 if a and b are the same file. */
static int same_file(const char *a, const char *b)
{
	struct stat sa, sb;

	return lstat(a, &sa) == 0 && lstat(b, &sb) == 0 &&
		sa.st_dev == sb.st_dev && sa.st_ino == sb.st_ino;
}

void gitlock_clear_dead(const char *gitdir, const char *name)
{
	struct sb pre = SB_INIT, own = SB_INIT, lock = SB_INIT;
	struct dirent *de;
	const char *pid;
	char *end;
	long n;
	DIR *dp;

	dp = opendir(gitdir);
	if (!dp)
		return;
	sb_addf(&pre, OWN_PREFIX "%s.", name);
	sb_addf(&lock, "%s/%s.lock", gitdir, name);
	while ((de = readdir(dp))) {
		if (strncmp(de->d_name, pre.buf, pre.len))
			continue;
		pid = de->d_name + pre.len;
		n = strtol(pid, &end, 10);
		if (!*pid || *end || pid_alive(n))
			continue;
		sb_reset(&own);
		sb_addf(&own, "%s/%s", gitdir, de->d_name);
		/* the lock is a second name of this file: it is ours */
		if (same_file(own.buf, lock.buf))
			unlink(lock.buf);
		unlink(own.buf);
	}
	closedir(dp);
	sb_release(&lock);
	sb_release(&own);
	sb_release(&pre);
}

/*
 * Take over the lock a dead docket holds: its own file becomes ours by
 * a rename, so index.lock is never free for a moment in which a git
 * command could commit from the index that docket left unfinished.
 * 1 if taken over.
 */
static int take_over(struct gitlock *lk, const char *gitdir, const char *name)
{
	struct sb pre = SB_INIT, own = SB_INIT;
	struct dirent *de;
	const char *pid;
	char *end;
	long n;
	int fd, done = 0;
	DIR *dp;

	if (!lk->own)
		return 0;
	dp = opendir(gitdir);
	if (!dp)
		return 0;
	sb_addf(&pre, OWN_PREFIX "%s.", name);
	while (!done && (de = readdir(dp))) {
		if (strncmp(de->d_name, pre.buf, pre.len))
			continue;
		pid = de->d_name + pre.len;
		n = strtol(pid, &end, 10);
		if (!*pid || *end || pid_alive(n))
			continue;
		sb_reset(&own);
		sb_addf(&own, "%s/%s", gitdir, de->d_name);
		if (!same_file(own.buf, lk->lock) ||
		    rename(own.buf, lk->own) < 0)
			continue;
		fd = open(lk->own, O_RDWR | O_CLOEXEC | O_NOFOLLOW);
		if (fd >= 0 && same_file(lk->own, lk->lock)) {
			close(lk->fd);
			lk->fd = fd;
			done = 1;
		} else if (fd >= 0) {
			close(fd);
		}
	}
	closedir(dp);
	sb_release(&own);
	sb_release(&pre);
	return done;
}

/* Our own file, made afresh (one a dead process of our pid left goes). */
static int make_own(struct gitlock *lk, unsigned mode, struct diag *d)
{
	int fd;

	unlink(lk->own);
	fd = open(lk->own, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW,
		mode);
	if (fd < 0)
		return diag_add(d, ERR_IO, _("cannot create '%s': %s"), lk->own,
			strerror(errno));
	(void)fchmod(fd, mode);
	lk->fd = fd;
	return 0;
}

/*
 * One try at the lock: 1 taken, 0 someone else holds it, <0 error.
 * Where hard links are not to be had the lock is created plainly, as
 * git does, and is not provably ours after a crash.
 */
static int try_take(struct gitlock *lk, unsigned mode, struct diag *d)
{
	int fd;

	if (lk->own) {
		if (link(lk->own, lk->lock) == 0)
			return 1;
		if (errno == EEXIST)
			return 0;
		if (errno != EPERM && errno != ENOTSUP && errno != EMLINK &&
		    errno != EXDEV)
			return diag_add(d, ERR_IO, _("cannot create '%s': %s"),
				lk->lock, strerror(errno));
		unlink(lk->own);
		free(lk->own);
		lk->own = NULL;
		close(lk->fd);
		lk->fd = -1;
	}
	fd = open(lk->lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC |
		O_NOFOLLOW, mode);
	if (fd < 0 && errno == EEXIST)
		return 0;
	if (fd < 0)
		return diag_add(d, ERR_IO, _("cannot create '%s': %s"),
			lk->lock, strerror(errno));
	(void)fchmod(fd, mode);
	lk->fd = fd;
	return 1;
}

static double since(const struct timespec *start)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - start->tv_sec) +
		(double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int gitlock_take(struct gitlock *lk, const char *gitdir, const char *name,
	int timeout, unsigned mode, struct diag *d)
{
	struct timespec start, nap = { 0, POLL_MS * 1000000L };
	struct sb p = SB_INIT;
	int ret, cleared = 0;

	gitlock_release(lk);
	sb_addf(&p, "%s/%s", gitdir, name);
	lk->target = xstrdup(p.buf);
	sb_adds(&p, ".lock");
	lk->lock = sb_detach(&p, NULL);
	lk->own = own_name(gitdir, name, (long)getpid());
	ret = make_own(lk, mode, d);
	if (ret)
		goto out;
	clock_gettime(CLOCK_MONOTONIC, &start);
	while ((ret = try_take(lk, mode, d)) == 0) {
		/* a dead docket's lock is no reason to wait */
		if (take_over(lk, gitdir, name)) {
			ret = 1;
			break;
		}
		if (!cleared) {
			gitlock_clear_dead(gitdir, name);
			cleared = 1;
			continue;
		}
		if (since(&start) >= timeout) {
			ret = diag_add(d, ERR_LOCKED, _("'%s' exists: another "
				"git command is working in the store (waited "
				"%d s); try again when it ends, or remove the "
				"file if no git command is running"), lk->lock,
				timeout);
			goto out;
		}
		nanosleep(&nap, NULL);
	}
	ret = ret < 0 ? ret : 0;
out:
	if (ret)
		gitlock_release(lk);
	sb_release(&p);
	return ret;
}

int gitlock_held(const struct gitlock *lk)
{
	return lk && lk->fd >= 0;
}

void gitlock_release(struct gitlock *lk)
{
	if (!lk)
		return;
	if (lk->fd >= 0) {
		/* the lock goes only while it is still our file */
		if (lk->own ? same_file(lk->own, lk->lock) : 1)
			unlink(lk->lock);
		if (lk->fd >= 0)
			close(lk->fd);
	}
	if (lk->own)
		unlink(lk->own);
	free(lk->own);
	free(lk->lock);
	free(lk->target);
	lk->own = lk->lock = lk->target = NULL;
	lk->fd = -1;
}

int gitlock_remove_stale(const char *path, const struct stat *seen, int age,
	time_t deadline)
{
	struct stat now;

	while (time(NULL) - seen->st_mtime <= age) {
		if (deadline && time(NULL) > deadline)
			return -1;
		usleep(200000);
	}
	if (lstat(path, &now) == 0 && now.st_ino == seen->st_ino &&
	    now.st_mtime == seen->st_mtime && now.st_size == seen->st_size)
		(void)unlink(path);
	return 0;
}
