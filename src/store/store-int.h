/*
 * store-int.h - what the store's own modules share; nothing outside
 * src/store/ includes it (include/store.h is the way in).
 *
 *   open.c     finding, creating and opening a store; the repository
 *   lock.c     the store lock, git's index.lock, the write session
 *   journal.c  docket's journal of a write, and recovery from a crash
 *   read.c     reading files from the work tree and the last commit
 *   txn.c      one commit per action (and many, for bulk intake)
 *   history.c  the log, the history's (case, action) counts, used ids
 *   gc.c       packing the loose objects, as git's gc --auto
 */
#ifndef DOCKET_STORE_INT_H
#define DOCKET_STORE_INT_H

#include <signal.h>
#include <git2.h>
#include <git2/sys/repository.h>

#include "gitindex.h"
#include "gitlock.h"
#include "store.h"

#define JOURNAL_FILE "docket-pending"	/* inside .git */
#define TMP_INFIX ".tmp."		/* a work-tree file being written */

/*
 * Fault injection for the crash tests (tests/cli/t4001-crash.sh), only in
 * the docket-faults build: when $DOCKET_FAULT names the point just
 * passed, the process kills itself with SIGKILL.  A numbered point (one
 * per work-tree file) is "NAME-N", N counting from 1.
 */
#ifdef DOCKET_FAULTS
void fault_at(const char *name, size_t n);
#else
#define fault_at(name, n) ((void)0)
#endif

/* An index change of the write in progress (see gix_edit). */
struct wedit {
	char *path;
	struct gix_edit e;
};

struct store {
	char *root;		/* absolute work tree, no trailing '/' */
	char *gitdir;		/* absolute .git path, no trailing '/' */
	git_repository *repo;
	int shared;		/* group-shared store: 0770/0660 */
	int lock_fd;		/* .git/docket.lock, flock'd; -1 if not */
	int timeout;		/* seconds to wait for a lock (store_lock) */
	struct diag warnings;	/* for the command to print, not failures */

	/* the write session: from store_lock() (or the first commit) on,
	 * git's index.lock is held and the index read under it */
	struct gitlock ilock;
	struct gix *index;
	int index_ours;		/* the index file is the one docket wrote */
	/* the digest of index's case entries, once computed (mend.c) */
	uint64_t index_digest;
	int index_digest_set;
	struct wedit *edits;	/* changes not yet in the index file */
	size_t nedits, aedits;
	sigset_t oldmask;	/* signals as they were before blocking */
	int blocked;

	/* bulk intake (store_batch_begin): the journal stays open and
	 * grows, and index.lock stays held from commit to commit */
	int batch;
	int jfd;
	int interrupted;	/* store_recover() could not finish */
};

struct txn_file {
	char *path;
	char *data;
	size_t len;
	git_oid oid;		/* the new blob */
	git_oid old;		/* the blob it replaces */
	int had_old;
	int made;		/* written to the work tree */
	/* store_mend(): a case file a commit not docket's deleted while
	 * the work tree kept it; its file is not written, only recorded */
	int restored;
	int was_staged;		/* git's index held it already */
};

struct txn {
	struct store *s;
	struct txn_file *files;
	size_t n, alloc;
	struct strlist cases;
	/* txn_target(): move the branch to this existing commit (a merge
	 * made by sync, or the remote's commit), from this parent only */
	int has_target;
	git_oid target, expect;
	struct strlist trailers;	/* "Key: value" after the Case ones */
	int mend_only;		/* store_mend_record(): no commit if no mend */
};

/* open.c */
int git_fail(struct diag *d, const char *what);
int path_ok(const char *rel);
mode_t store_file_mode(const struct store *s);
int make_parents(const char *base, const char *rel, int shared,
	struct strlist *made, struct diag *d);
int head_tree(git_tree **out, struct store *s, struct diag *d);
char *head_branch(struct store *s);
int store_state_ok(struct store *s, struct diag *d);
/* remove a folder docket made and everything in it */
void remove_tree(const char *path);

/* lock.c: the write session (index.lock held, the index read) */
int session_begin(struct store *s, int timeout, struct diag *d);
int session_index(struct store *s, struct diag *d);
/* the pending index change for path, or NULL */
const struct gix_edit *session_edit(const struct store *s, const char *path);
void session_put(struct store *s, const char *path, const struct gix_edit *e);
void session_unput(struct store *s, const char *path);
/* the index with the edits put in place, index.lock still held; the
 * edits are spent and the index read again */
int session_install(struct store *s, struct diag *d);
/* session_install() and give index.lock up */
int session_flush(struct store *s, struct diag *d);
void session_end(struct store *s);

/* journal.c */
struct jput {
	const char *path;
	const git_oid *old;	/* NULL: the path was new */
	const git_oid *new;
};
int journal_begin(struct store *s, const git_oid *base, const char *branch,
	struct diag *d);
int journal_commit(struct store *s, const git_oid *commit,
	const struct jput *puts, size_t n, struct diag *d);
int journal_end(struct store *s, struct diag *d);
int journal_exists(const struct store *s);
int store_recover(struct store *s, struct diag *d);
void remove_work_tmps(struct store *s, const char *rel);
void journal_tidy(struct store *s);
void prune_dirs(struct store *s, const char *rel);

/* read.c */
int head_blob(git_blob **out, struct store *s, const char *path,
	struct diag *d);
int work_blob_id(git_oid *out, int *exists, struct store *s,
	const char *rel, struct diag *d);
int work_write(struct store *s, const char *rel, const void *data,
	size_t len, int create, struct diag *d);
/* store_check_clean() against a known blob (old NULL: a new file) */
int store_clean_against(struct store *s, const char *path,
	const git_oid *old, struct diag *d);
/* the blob git's index holds for path, the session's edits first: 1
 * found, 0 no entry, -1 no index read */
int index_blob(git_oid *out, struct store *s, const char *path);
/* every case file of the commit tree root (NULL: none), sorted */
int tree_case_paths(struct strlist *out, git_oid **ids, struct store *s,
	const git_tree *root, struct diag *d);

/* mend.c: case files a plain git command dropped, put back (txn_commit) */
int store_mend(struct txn *t, const git_commit *head, const git_tree *base,
	struct diag *d);
/* the digest of the case entries of s->index with the edits: from the
 * one kept for s->index, else counted from it */
uint64_t mend_digest_step(struct store *s, const struct gix_edit *ed,
	size_t n);
/* keep the digest of the index just written, whose checksum is sum */
void mend_digest_save(const struct store *s, uint64_t digest,
	const unsigned char *sum);

#endif
