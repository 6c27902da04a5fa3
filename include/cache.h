/*
 * cache.h - parsed cases kept between runs in .git/docket-cache.
 *
 * Entries are keyed by the git blob id of the case file, so an entry can
 * never be stale: a changed file has another id and is parsed again.  The
 * blob id of a work-tree file comes from git's index when the file's stat
 * data matches its index entry (as git decides it), else from hashing the
 * file.  The file has a versioned header and a checksum; a missing,
 * truncated, corrupt or older file counts as empty and is rebuilt.  It is
 * replaced atomically (temp file + rename), so readers need no lock.
 *
 * An entry holds every field of the case except the long texts no scan
 * reads: description, request and closure.summary are NULL in a case
 * that comes from the cache.  Only files that parse are cached.
 */
#ifndef DOCKET_CACHE_H
#define DOCKET_CACHE_H

#include <stddef.h>
#include "case.h"
#include "util.h"

#define CACHE_FILE "docket-cache"	/* inside .git */
#define CACHE_OID_LEN 20

struct case_cache;

/** Append the compact form of c (without the long texts). */
void cache_encode(struct sb *out, const struct dcase *c);
/** Rebuild a case from cache_encode() output; ERR_INVALID if malformed. */
int cache_decode(struct dcase *out, const void *buf, size_t len);

/** git's blob id of these bytes. */
void cache_hash(const void *buf, size_t len, unsigned char oid[CACHE_OID_LEN]);

/**
 * Open the cache of the store at root: load .git/docket-cache (if it is
 * sound) and git's index.  Never fails: without a repository or a cache
 * file every lookup misses and cache_save() does nothing.
 */
struct case_cache *cache_open(const char *root);
/**
 * The blob id of the work-tree file path (relative to root) when git's
 * index vouches for it (stat data match, entry not racily clean); 0 if
 * known, -1 if the caller must read and hash the file.
 */
int cache_blob_id(struct case_cache *cc, const char *path,
	unsigned char oid[CACHE_OID_LEN]);
/**
 * Push the case files git's index tracks (cases/Y/F/NAME.yaml), sorted;
 * -1 when there is no index to vouch for files (see cache_blob_id()).
 */
int cache_index_paths(struct case_cache *cc, struct strlist *out);
/** 1 if there is an entry for oid (safe to call from several threads). */
int cache_has(const struct case_cache *cc,
	const unsigned char oid[CACHE_OID_LEN]);
/** Fill *out from the entry for oid: 1 on a hit, 0 on a miss. */
int cache_get(struct case_cache *cc, const unsigned char oid[CACHE_OID_LEN],
	struct dcase *out);
/** Add an entry (an encoded case, see cache_encode()). */
void cache_put(struct case_cache *cc, const unsigned char oid[CACHE_OID_LEN],
	const void *enc, size_t len);
/**
 * Write the cache if it changed: the entries used since cache_open()
 * plus the new ones; with complete == 0 (a scan that stopped early) the
 * unused old entries are kept too.  Best effort: a store whose .git is
 * not writable simply gets no cache.
 */
void cache_save(struct case_cache *cc, int complete);
/**
 * 1 if core.sharedRepository lets a group of staff use the store: files
 * docket keeps under .git are then readable and writable by the group.
 */
struct git_repository;
int cache_repo_shared(struct git_repository *repo);
void cache_free(struct case_cache *cc);

#endif
