/*
 * store.h - the git-backed case store: discovery, init, lock, atomic
 * writes and commits (libgit2; never a git subprocess).
 *
 * A write is a transaction: the command stages the new contents of a few
 * files, then store_commit() makes them one commit.  The order makes a
 * crash at any point recoverable:
 *
 *   1. blobs, trees and the commit object go into the object database
 *      (unreferenced objects are harmless);
 *   2. the paths are listed in .git/docket-pending (fsync'd);
 *   3. HEAD's branch ref moves to the new commit: the action is recorded;
 *   4. the work-tree files are written (temp file, fsync, rename) and
 *      their index entries updated, so `git status` stays clean (the
 *      index is not fsync'd, as git does not: one a power cut left torn
 *      is rebuilt from HEAD when next needed);
 *   5. .git/docket-pending is removed.
 *
 * store_lock() replays a pending list left by a crash (making the work
 * tree and index match HEAD for those paths) before any command runs.
 * Trees are built from the parent commit's tree with treebuilders on the
 * changed paths only, so a commit costs the same at 100 or 100,000 cases.
 */
#ifndef DOCKET_STORE_H
#define DOCKET_STORE_H

#include <stddef.h>
#include "calendar.h"
#include "util.h"

#define STORE_LOCK_FILE "docket.lock"	/* inside .git */
#define STORE_LOCK_TIMEOUT 10		/* seconds */

struct store;

/** Author of a commit: staff name and email (or id and a made-up email). */
struct signer {
	const char *name;
	const char *email;
	struct ts when;
};

/**
 * Find the store: dir_opt (-C) if given, else $DOCKET_DIR, else the
 * nearest parent of the working directory holding docket.yaml.
 * *out is a malloc'd absolute path.
 */
int store_find(char **out, const char *dir_opt, struct diag *d);

/**
 * Create a store at dir (created if missing; must not already hold a
 * docket.yaml or a .git): git init, write docket.yaml with config_text,
 * optional extra files (paths relative to dir, contents), first commit
 * "init" by author.  Mode 0700/0600 unless shared_group (0770/0660 and
 * core.sharedRepository=group).
 */
struct store_file {
	const char *path;
	const char *data;
	size_t len;
};
int store_init(const char *dir, const char *config_text,
	const struct store_file *files, size_t nfiles, int shared_group,
	const struct signer *author, const char *message, struct diag *d);

int store_open(struct store **out, const char *root, struct diag *d);
void store_free(struct store *s);
const char *store_root(const struct store *s);
/**
 * 1 if git's index could not be read and was rebuilt from HEAD (a power
 * cut can tear it: it is not fsync'd); the command should say so.
 */
int store_index_rebuilt(const struct store *s);

/**
 * Take the exclusive store lock (flock on .git/docket.lock), waiting up
 * to timeout seconds; on timeout ERR_LOCKED with the holder's pid and
 * command if known.  Then recover from an interrupted commit, if any.
 * `who` is recorded in the lock file ("pid command").
 */
int store_lock(struct store *s, int timeout, const char *who,
	struct diag *d);
void store_unlock(struct store *s);

/** Read a work-tree file (relative path), at most max bytes. */
int store_read(struct sb *out, struct store *s, const char *path,
	size_t max, struct diag *d);
/** Read a file as committed at HEAD; ERR_NOTFOUND if not there. */
int store_read_head(struct sb *out, struct store *s, const char *path,
	struct diag *d);
/** 1 if the path exists at HEAD. */
int store_exists_head(struct store *s, const char *path);
/**
 * Refuse (ERR_CONFLICT, naming the file) if the work-tree file differs
 * from HEAD or is missing while HEAD has it.
 */
int store_check_clean(struct store *s, const char *path, struct diag *d);

/**
 * HEAD's case files with their blob ids, read in one walk: to check a
 * whole store against the last commit without a lookup from the root
 * tree per file.
 */
struct head_cases;
int store_head_cases(struct head_cases **out, struct store *s,
	struct diag *d);
void head_cases_free(struct head_cases *h);
/** Their paths, sorted. */
const struct strlist *head_cases_paths(const struct head_cases *h);
/** 1 if the last commit has this case file. */
int head_cases_has(const struct head_cases *h, const char *path);
/**
 * store_check_clean() for a work file whose blob id is known: id is its
 * 20-byte blob id, NULL when the file is not in the work tree.
 */
int store_check_clean_id(const struct head_cases *h, const char *path,
	const unsigned char *id, struct diag *d);

/**
 * Highest sequence number used by any id "PREFIX-YEAR-NNNNNN" / "YEAR-NNNNNN"
 * at HEAD (0 if none); looks only at the last folder, not every case.
 */
int store_last_seq(long *out, struct store *s, const char *prefix, int year,
	struct diag *d);

/**
 * All case files at HEAD plus any in the work tree ("cases/Y/NNN/ID.yaml"),
 * sorted by path.
 */
int store_case_paths(struct strlist *out, struct store *s, struct diag *d);
/** The case files in the work tree alone, sorted by path. */
void store_work_case_paths(struct strlist *out, struct store *s);

/** Staged changes for one commit. */
struct txn;
struct txn *txn_new(struct store *s);
/** Stage new contents for a path (copied). */
void txn_put(struct txn *t, const char *path, const void *data, size_t len);
/** Add a "Case: ID" trailer. */
void txn_case(struct txn *t, const char *id);
/**
 * Commit: message subject/body given in full (trailers are appended after
 * a blank line from the txn_case() calls plus "Action:" and "Actor:").
 */
int txn_commit(struct txn *t, const struct signer *author,
	const char *action, const char *actor, const char *subject,
	char out_oid[41], struct diag *d);
void txn_free(struct txn *t);

/** One commit that touched a case, newest first. */
struct log_entry {
	char oid[41];
	struct ts when;
	char *author;
	char *action;		/**< "Action:" trailer */
	char *actor;		/**< "Actor:" trailer */
	char *subject;
};
/** Commits whose message has a "Case: ID" trailer, newest first. */
int store_log(struct log_entry **out, size_t *n, struct store *s,
	const char *id, struct diag *d);
void log_entries_free(struct log_entry *v, size_t n);

/** A "Case:" trailer of a commit and the commit's "Action:". */
struct case_action {
	const char *id;
	const char *action;
	size_t count;		/**< commits with this pair */
};
struct case_actions {
	struct case_action *v;	/**< sorted by id, then action */
	size_t n;
	struct arena *mem;	/* the strings: of new commits, */
	struct sb buf;		/* of .git/docket-actions */
};
/**
 * How many commits of the history name each (case, action) pair in
 * their "Case:" and "Action:" trailers: for `check`.  Kept in
 * .git/docket-actions with the commit counted up to, so only the
 * commits since are read.
 */
int store_case_actions(struct case_actions *out, struct store *s,
	struct diag *d);
void case_actions_release(struct case_actions *a);


/** git's user.email from the repository's config chain, or NULL. */
char *store_git_email(struct store *s);

/**
 * Make a file that HEAD has match HEAD again in the work tree and the
 * index: write it when it is missing (deleted by hand, or by a crash),
 * refresh its index entry when it is already equal.  A file that differs
 * from HEAD is refused (ERR_CONFLICT): hand edits are never overwritten.
 * ERR_NOTFOUND if HEAD lacks the path.  Needs the store lock; crash-safe
 * like a commit (store_lock() finishes an interrupted restore).
 */
int store_restore(struct store *s, const char *path, struct diag *d);

/**
 * 1 if an action was interrupted (a crash left .git/docket-pending) and
 * is not finished yet: the next store_lock() (any writing command, or
 * `docket check --repair`) finishes it.  Readers may say so.
 */
int store_interrupted(struct store *s);

/**
 * Many commits in one run (bulk intake), under the store lock: from
 * store_batch_begin() to store_batch_end() every txn_commit() is still
 * one commit, crash-safe on its own, but the index is kept in memory and
 * written once at the end, and the pending list grows instead of being
 * rewritten.  store_batch_end() writes the index and removes the list;
 * after a commit failed half-way it leaves the list for the next
 * store_lock() (an error).  store_free() of a store in a batch leaves it
 * to store_lock() likewise.
 */
int store_batch_begin(struct store *s, struct diag *d);
int store_batch_end(struct store *s, struct diag *d);

#endif
