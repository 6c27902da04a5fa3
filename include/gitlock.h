/*
 * gitlock.h - git's lock files ("index.lock"), taken as git takes them
 * and provably docket's own.
 *
 * git serializes its commands with NAME.lock files created O_EXCL
 * beside the file they replace (lockfile.c): the holder writes the new
 * contents into the lock and renames it over NAME; nobody else touches
 * NAME meanwhile.  docket takes the same lock the same way, so a `git
 * commit` and a `docket note` wait for each other instead of building
 * on each other's half-written state.
 *
 * A lock git or a user left behind is never deleted: docket waits for
 * it, then names it.  To tell its own leftover (a docket killed while
 * holding the lock) from anyone else's, docket creates the lock as a
 * second name of a file of its own, .git/docket-lock-NAME.PID: a lock
 * file sharing that file's inode, whose process is gone, is provably a
 * dead docket's and is removed.  Nothing else about a lock (its age,
 * its size) is taken as proof.
 */
#ifndef DOCKET_GITLOCK_H
#define DOCKET_GITLOCK_H

#include <time.h>

#include "util.h"

struct gitlock {
	char *target;		/* .git/NAME */
	char *lock;		/* .git/NAME.lock */
	char *own;		/* .git/docket-lock-NAME.PID, or NULL */
	int fd;			/* open on the lock's inode; -1: not held */
};
#define GITLOCK_INIT { NULL, NULL, NULL, -1 }

/**
 * Take gitdir/NAME.lock (name: "index"), waiting up to timeout seconds
 * (0: one try) for another holder; ERR_LOCKED naming the lock and what
 * to do when it stays.  mode: the lock file's permissions.
 */
int gitlock_take(struct gitlock *lk, const char *gitdir, const char *name,
	int timeout, unsigned mode, struct diag *d);
/** 1 while held. */
int gitlock_held(const struct gitlock *lk);
/**
 * Give the lock up (NULL and unheld are fine).  docket puts a new index
 * in place itself before it moves the branch, while the lock is still
 * held (see store.h), so the lock is never renamed into place.
 */
void gitlock_release(struct gitlock *lk);

/**
 * Remove the leftovers of dockets that died holding gitdir/NAME.lock:
 * the lock when it is provably theirs (see above), and their own
 * files.  Locks of live processes and of anyone else stay.
 */
void gitlock_clear_dead(const char *gitdir, const char *name);

/**
 * Remove the lock file at path, seen as *seen, once it is more than age
 * seconds old and still that file (same inode, time and size): git and
 * libgit2 hold their ref locks for milliseconds, so one that has stood
 * that long is a dead writer's.  For locks the caller has already shown
 * to come from a dead docket (a record, a journal).  Waits for it;
 * -1 without removing anything if deadline (0: none) comes first.
 */
struct stat;
int gitlock_remove_stale(const char *path, const struct stat *seen, int age,
	time_t deadline);

#endif
