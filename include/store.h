/*
 * store.h - the git-backed case store: discovery, init, the locks, and
 * one commit per action (libgit2; never a git subprocess).
 *
 * docket keeps git's own rules (DESIGN 11), so git commands run beside
 * it serialize with it as two git commands do:
 *
 *   - a writing command holds .git/docket.lock (flock: docket against
 *     docket) and git's own .git/index.lock, taken before HEAD and the
 *     index are read and held until the new index is in place; a lock
 *     another program holds is waited for, then named, never deleted;
 *   - writes are refused during a merge, rebase, cherry-pick, revert or
 *     bisect, on a detached HEAD and with conflicts in the index;
 *   - a commit checks every file it changes against the last commit,
 *     git's index and the work tree (nothing staged, edited or made by
 *     hand is overwritten), writes the objects, lists what it does in
 *     .git/docket-pending (the journal, fsync'd), writes the work-tree
 *     files, writes the new index into index.lock, moves the branch
 *     under its lock, and renames index.lock into place;
 *   - once the branch has moved, the action has happened: a crash after
 *     that is finished by the next writing command (or `check
 *     --repair`), one before it is undone, from the journal; a file
 *     that differs from both the old and the new contents is left as
 *     it is.
 *
 * Trees are built from the parent commit's tree with treebuilders on the
 * changed paths only, and git's index is patched, not rebuilt, so a
 * commit costs about the same at 100 or 100,000 cases.
 */
#ifndef DOCKET_STORE_H
#define DOCKET_STORE_H

#include <stddef.h>
#include <sys/stat.h>
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

/**
 * Set up the store's .git/config: the case-file merge driver, and
 * docket.site when site is not NULL.
 */
int store_configure(const char *root, const char *site, struct diag *d);

int store_open(struct store **out, const char *root, struct diag *d);
void store_free(struct store *s);
const char *store_root(const struct store *s);
const char *store_gitdir(const struct store *s);
/** The store's repository: the store is its one owner. */
struct git_repository;
struct git_repository *store_repo(struct store *s);
/** 1 if core.sharedRepository gives a group of staff the store. */
int store_shared(const struct store *s);
/**
 * core.sharedRepository of a repository, as store_shared() reads it:
 * the one reading of it in docket (the store, its lock, its caches and
 * its secret all take their modes from this answer).
 */
int store_shared_config(struct git_repository *repo);
/**
 * 1 if the value v of core.sharedRepository (NULL: the key without a
 * value) gives the group access, as git-config(1) reads it: "group",
 * "true", "1", "all", "world", "everybody", "2", or an octal mode
 * granting the group or others anything; else 0 ("umask", "false",
 * "0", "0600").
 */
int store_shared_value(const char *v);
/**
 * What the store has to tell the user that is not a failure (a file
 * left alone by recovery, a finished action whose index could not be
 * written): the command prints these as warnings.
 */
const struct diag *store_warnings(const struct store *s);

/**
 * Start writing: take the store lock (flock on .git/docket.lock) and
 * then git's .git/index.lock, each waited for up to timeout seconds
 * (ERR_LOCKED naming the holder), finish or undo what a crashed docket
 * left (the journal), refuse git's in-progress states (ERR_CONFLICT,
 * saying what to do) and read the index.  SIGINT, SIGTERM, SIGHUP and
 * SIGQUIT are held until store_unlock(), so an action is never cut in
 * half by them (store_signalled() tells a long command to stop).
 * `who` is recorded in the lock file ("pid command").
 */
int store_lock(struct store *s, int timeout, const char *who,
	struct diag *d);
/**
 * ERR_CONFLICT, saying what to do, while git is in a state in which
 * docket must not write (a merge, rebase, cherry-pick, revert or
 * bisect in progress, a detached HEAD); store_lock() checks it too.
 */
int store_check_state(struct store *s, struct diag *d);
/** End writing: release both locks (a signal held meanwhile is taken:
 * the command has finished what it was doing). */
void store_unlock(struct store *s);
/**
 * A lock of docket's own beside the store lock: flock on .git/FILE,
 * waited for up to timeout seconds (ERR_LOCKED naming the holder), *out
 * its descriptor; store_funlock() gives it up (so does a crash).  `docket
 * remind` keeps two runs apart with it without keeping writers waiting.
 */
int store_flock(int *out, struct store *s, const char *file, int timeout,
	const char *who, struct diag *d);
void store_funlock(int fd);
/** 1 if SIGINT or SIGTERM arrived while the store was locked. */
int store_signalled(struct store *s);

/** Read a work-tree file (relative path, a regular file), at most max
 * bytes. */
int store_read(struct sb *out, struct store *s, const char *path,
	size_t max, struct diag *d);
/** Read a file as committed at HEAD; ERR_NOTFOUND if not there. */
int store_read_head(struct sb *out, struct store *s, const char *path,
	struct diag *d);
/** 1 if the path exists at HEAD. */
int store_exists_head(struct store *s, const char *path);
/**
 * Refuse (ERR_CONFLICT, naming the file) if the work-tree file differs
 * from HEAD or is missing while HEAD has it, or git's index holds
 * something else for it (a staged change).
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
 * The next free sequence number for ids "PREFIX-YEAR-NNNNNN" (prefix ""
 * for "YEAR-NNNNNN"): above every id the branch's history ever
 * recorded (in a "Case:" trailer or as a case file, wherever it sits
 * now), and not one whose path holds a file in the work tree or an
 * entry in git's index.  The ids of the history are counted once in
 * .git/docket-ids and then only in the commits since.
 */
int store_next_seq(long *out, struct store *s, const char *prefix, int year,
	struct diag *d);

/**
 * The next document number (DESIGN 13) of form `form` in `year`: one
 * above the highest that a "Document: YEAR SEQ FORM" trailer of the
 * branch's history ever recorded, so numbers are dense per form and
 * year and never given twice, whatever became of the case files since.
 * Counted with the case ids in .git/docket-ids.
 */
int store_next_docno(long *out, struct store *s, const char *form, int year,
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
/**
 * Instead of making a commit, move the branch to `commit`, which exists
 * already (sync's merge, or the other office's commit to fast-forward
 * to), and only if the branch is at `parent`.  The txn's files must be
 * those in which the two commits' trees differ, with the new contents;
 * they are written as any commit's are (journal, work tree, index).
 */
struct git_oid;
void txn_target(struct txn *t, const struct git_oid *commit,
	const struct git_oid *parent);
/** Add a "Case: ID" trailer. */
void txn_case(struct txn *t, const char *id);
/** Add a trailer "KEY: VALUE" (one line each), after the Case ones. */
void txn_trailer(struct txn *t, const char *key, const char *value);
/**
 * Commit: message subject/body given in full (trailers are appended after
 * a blank line from the txn_case() calls plus "Action:" and "Actor:").
 */
int txn_commit(struct txn *t, const struct signer *author,
	const char *action, const char *actor, const char *subject,
	char out_oid[41], struct diag *d);

/*
 * What `check --repair` mends (every write does it too, see mend.c): a
 * case file a commit docket did not make deleted while its file stayed
 * in the work tree is recorded again, in one commit; an index entry a
 * git command lost is staged again.  *restored counts the files
 * recorded.  Under store_lock().
 */
int store_mend_record(struct store *s, const struct signer *author,
	const char *actor, size_t *restored, struct diag *d);
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
	long count;		/**< commits with this pair, net of reverts */
};
struct case_actions {
	struct case_action *v;	/**< sorted by id, then action */
	size_t n;
	struct arena *mem;	/* the strings: of new commits, */
	struct sb buf;		/* of .git/docket-actions */
};
/**
 * How many commits of the history name each (case, action) pair in
 * their "Case:" and "Action:" trailers: for `check`.  A `git revert` of
 * such a commit ("This reverts commit X.") takes its pairs away again:
 * a revert is history, not a loss.  Kept in .git/docket-actions with
 * the commit counted up to, so only the commits since are read.
 */
int store_case_actions(struct case_actions *out, struct store *s,
	struct diag *d);
void case_actions_release(struct case_actions *a);


/** git's user.email from the repository's config chain, or NULL. */
char *store_git_email(struct store *s);
/** A string from the repository's git config ("docket.site"), or NULL
 * when unset or empty; the caller frees it. */
char *store_git_config(struct store *s, const char *key);
/** Set a value of the repository's own .git/config. */
int store_set_git_config(struct store *s, const char *key,
	const char *value, struct diag *d);

/**
 * Make a file that HEAD has match HEAD again in the work tree and the
 * index: write it when it is missing (deleted by hand), refresh its
 * index entry when it is already equal.  A file that differs from HEAD
 * is refused (ERR_CONFLICT): hand edits are never overwritten.
 * ERR_NOTFOUND if HEAD lacks the path.  Needs the store lock.
 */
int store_restore(struct store *s, const char *path, struct diag *d);

/**
 * 1 if an action was interrupted (a crash left .git/docket-pending) and
 * is not finished yet: the next store_lock() (any writing command, or
 * `docket check --repair`) finishes it.  Readers say so.
 */
int store_interrupted(struct store *s);

/**
 * git's index against the last commit and the work tree, for `check`:
 * ERR_CONFLICT naming what is off (an unfinished action, index entries
 * of case files that do not match HEAD although the files do, which
 * `git commit -a` would commit), 0 when they agree.
 */
int store_check_index(struct store *s, struct diag *d);

/**
 * A file found unchanged by hashing although its stat data did not
 * match its index entry: its path, blob id and the stat data taken
 * before it was read.
 */
struct stale_entry {
	char *path;
	unsigned char oid[20];
	struct stat st;
};
/**
 * Refresh the stat data of such entries (a store restored with tar or
 * cp -a has new inodes and times for every file) as `git status` does,
 * so the next command need not hash them again: only if git's
 * index.lock is free at once, and only entries that still hold that
 * blob; best effort and silent.  v: sorted by path.
 */
void store_refresh_index(struct store *s, const struct stale_entry *v,
	size_t n);

/**
 * Many commits in one run (bulk intake), inside store_lock(): from
 * store_batch_begin() to store_batch_end() every txn_commit() is still
 * one commit, recorded and crash-safe on its own, while git's index is
 * written every second or so and at the end (git waits meanwhile: the
 * index.lock stays held) and the journal grows instead of being
 * rewritten.  store_unlock() ends an open batch.
 */
int store_batch_begin(struct store *s, struct diag *d);

/* ---- packing (gc.c) --------------------------------------------------- */

struct gc_result {
	size_t packed;		/**< objects put into the new pack */
	size_t removed;		/**< loose copies removed */
	size_t skipped;		/**< loose objects that could not be read */
};

/** Loose objects as git estimates them against a gc.auto of limit:
 * objects/17 times 256; counted exactly for a limit up to 256. */
long store_gc_estimate(const struct store *s, long limit);
/**
 * Pack every loose object into one new pack, durable before the loose
 * copies it holds are removed (git repack -d -l).  Under the store lock.
 */
int store_gc(struct store *s, struct gc_result *res, struct diag *d);
/** store_gc() when the estimate passes git's gc.auto (default 6700; 0:
 * never); a failure is a warning: the action before it is recorded. */
void store_gc_auto(struct store *s);
int store_batch_end(struct store *s, struct diag *d);

#endif
