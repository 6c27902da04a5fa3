/*
 * remote.h - several offices, one history (DESIGN section 14): fetch,
 * merge and push a store through libgit2, over SSH (keys from ssh-agent
 * or ~/.ssh, the host checked against ~/.ssh/known_hosts), HTTPS (user
 * and password from DOCKET_SYNC_USER / DOCKET_SYNC_PASSWORD) and local
 * paths.  No server of docket's own: any bare git repository will do.
 */
#ifndef DOCKET_REMOTE_H
#define DOCKET_REMOTE_H

#include <git2/oid.h>

#include "store.h"
#include "util.h"

/** Progress on standard error while objects come or go (a terminal). */
enum { REMOTE_QUIET = 0, REMOTE_PROGRESS = 1 };

/**
 * `git clone URL DIR` with docket's transport rules; DIR must not exist.
 * `accept` then looks at the clone (is it a store? is the site one of
 * its sites?) and sets it up; when it fails, the clone is removed again.
 */
typedef int (*clone_accept_fn)(const char *dir, void *arg, struct diag *d);
int remote_clone(const char *url, const char *dir, int progress,
	clone_accept_fn accept, void *arg, struct diag *d);
/** docket's own refs: what each remote's branch was at the last sync. */
#define REMOTE_SYNC_REFS "refs/docket/sync"
/** A sync holds this flock (under .git/) from its fetch to its push. */
#define REMOTE_SYNC_LOCK "docket-sync.lock"

/**
 * Fetch the remote's branch into refs/docket/sync/REMOTE/BRANCH (and no
 * other ref: not FETCH_HEAD, not refs/remotes/).  The caller holds
 * REMOTE_SYNC_LOCK, so a lock left there by a killed sync is removed.
 */
int remote_fetch(struct store *s, const char *remote, const char *branch,
	int progress, struct diag *d);
/** refs/remotes/REMOTE/BRANCH as docket last saw the remote, for git
 * status; best effort (a git fetch holding its lock wins). */
void remote_track(struct store *s, const char *remote, const char *branch);
/**
 * Push the branch to the remote's branch of the same name.  *rejected
 * is set (and 0 returned) when the remote refused it because it moved
 * on: fetch and merge again.
 */
int remote_push(struct store *s, const char *remote, const char *branch,
	int *rejected, int progress, struct diag *d);
/** Push the local ref (a full name) to the remote's branch: a commit made
 * on top of what remote_fetch() brought (docket refer --to-store). */
int remote_push_ref(struct store *s, const char *remote, const char *ref,
	const char *branch, int *rejected, int progress, struct diag *d);

/**
 * Another office's store, as the last remote_fetch() of it brought it
 * (refs/docket/sync/REMOTE/BRANCH): read a file of its last commit into
 * out (ERR_NOTFOUND when there is none), and its tip into *tip.
 */
int remote_read(struct sb *out, git_oid *tip, struct store *s,
	const char *remote, const char *branch, const char *path,
	struct diag *d);
/** The next free case number of prefix and year in that store. */
int remote_next_seq(long *out, struct store *s, const char *remote,
	const char *branch, const char *prefix, int year, struct diag *d);
/**
 * A commit on top of that store's tip adding one new file (a case sent
 * there) with docket's trailers, under the local ref REMOTE_REFER_REF,
 * for remote_push_ref().
 */
#define REMOTE_REFER_REF "refs/docket/refer/out"
/** Set (true) in .git/config by refer --to-store: sync looks for answers. */
#define REFER_CONFIG "docket.referrals"
int remote_add_file(struct store *s, const git_oid *tip, const char *path,
	const char *data, size_t len, const char *message,
	const struct signer *author, struct diag *d);
/** Remove a ref of docket's own (best effort). */
void store_delete_ref(struct store *s, const char *ref);

/** What a merge with the remote did. */
struct sync_stats {
	int up_to_date;		/**< nothing new from the remote */
	int fast_forward;	/**< took the remote's commits as they are */
	size_t files;		/**< files changed in the work tree */
	size_t merged;		/**< case files both sides had changed */
	size_t decided_twice;	/**< of them, decided at both sites */
};

/**
 * Merge refs/docket/sync/REMOTE/BRANCH into the branch (the store locked):
 * nothing when the branch has it already, a fast-forward when the
 * branch is behind, else one merge commit ("Action: sync", a "Case:"
 * trailer per case merged) whose case files are merged field by field
 * (casemerge.h).  A conflict outside the case files (docket.yaml edited
 * at both sites), a case file that cannot be merged, or a file the
 * remote deleted changes nothing and names the file.
 */
int store_sync_merge(struct store *s, const char *remote, const char *branch,
	const struct signer *author, const char *actor,
	struct sync_stats *st, struct diag *d);

/**
 * For `docket hook pre-receive` in the central bare repository gitdir:
 * may ref move from oldhex to newhex (40 hex digits; zeros for none)?
 * Refused, with the reason in d: deleting or rewriting the branch, a
 * case file removed or invalid, and, when pusher_site names one of
 * docket.yaml's sites, a new case under another site's prefix.
 */
int store_check_push(const char *gitdir, const char *oldhex,
	const char *newhex, const char *ref, const char *pusher_site,
	struct diag *d);
/** The site a pusher belongs to: git config docket.pusher.NAME in
 * gitdir, else NAME itself; the caller frees it.  NULL for none. */
char *store_pusher_site(const char *gitdir, const char *name);

/** The branch HEAD names ("main"); NULL on a detached HEAD. */
char *store_branch(struct store *s);

#endif
