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
 * An entry holds every field of the case except closure.summary, which
 * no scan reads (NULL in a case that comes from the cache); description
 * and request are kept for `list --text`.  Only files that parse are
 * cached.
 */
#ifndef DOCKET_CACHE_H
#define DOCKET_CACHE_H

#include <stddef.h>
#include <sys/stat.h>

#include "case.h"
#include "util.h"

#define CACHE_FILE "docket-cache"	/* inside .git */
#define CACHE_OID_LEN 20

struct case_cache;

/** Append the compact form of c (without the long texts). */
void cache_encode(struct sb *out, const struct dcase *c);
/** Drop from c what cache_encode() leaves out (the closure's summary),
 * so c is the case its cache entry gives back. */
void cache_trim(struct dcase *c);
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
/** cache_open() with the store's repository (the store owns it). */
struct store;
struct case_cache *cache_open_store(struct store *s);
/**
 * The blob id of the work-tree file path (relative to root) when git's
 * index vouches for it (stat data match, entry not racily clean); 0 if
 * known, -1 if the caller must read and hash the file.
 */
int cache_blob_id(struct case_cache *cc, const char *path,
	unsigned char oid[CACHE_OID_LEN]);
/** 1 if there is an entry for oid. */
int cache_has(const struct case_cache *cc,
	const unsigned char oid[CACHE_OID_LEN]);
/** Fill *out (read-only) from the entry for oid: 1 on a hit, 0 on a miss. */
int cache_get(struct case_cache *cc, const unsigned char oid[CACHE_OID_LEN],
	struct dcase *out);

/*
 * The same in pieces, for scans that look files up on several threads:
 * the functions taking a const cache may run concurrently, each thread
 * with its own cache_dir; cache_mark_used(), cache_put() and
 * cache_save() belong to one thread.
 */

/** A folder handle for cache_tracked_blob(): stat relative to it. */
struct cache_dir {
	char *name;
	int fd;
};
#define CACHE_DIR_INIT { NULL, -1 }
void cache_dir_release(struct cache_dir *dir);

/**
 * 1 if git converts case files on their way in (core.autocrlf, eol
 * attributes): a file's blob id is then that of its bytes with CRLF
 * made LF (cache_hash_filtered()).
 */
int cache_filters(const struct case_cache *cc);
struct git_repository;
int cache_filters_cases(struct git_repository *repo);
/** cache_hash() of the bytes as git's eol conversion stores them. */
void cache_hash_filtered(const void *buf, size_t len,
	unsigned char oid[CACHE_OID_LEN]);
/** 1 if git's index was read and can vouch for work-tree files. */
int cache_vouches(const struct case_cache *cc);
/** The case files git's index tracks (cases/Y/F/NAME.yaml), by path. */
size_t cache_tracked_count(const struct case_cache *cc);
const char *cache_tracked_path(const struct case_cache *cc, size_t k);
/**
 * cache_blob_id() of tracked file k; *st gets the file's stat data
 * (st_mode 0 when there is no file), taken before any reading, for
 * store_refresh_index().
 */
int cache_tracked_blob(const struct case_cache *cc, size_t k,
	struct cache_dir *dir, unsigned char oid[CACHE_OID_LEN],
	struct stat *st);
/**
 * Read the file at path, which cache_tracked_blob() just found with *st
 * through dir: one open beside it and one read of its st_size bytes.
 * -1 when that does not give them all (changed since, gone, larger than
 * max, or not a file): read it the plain way, which says why.
 */
int cache_read_tracked(const struct cache_dir *dir, const char *path,
	const struct stat *st, size_t max, struct sb *out);
/** The blob id git's index gives tracked file k. */
const unsigned char *cache_tracked_oid(const struct case_cache *cc, size_t k);
/** The entry for oid, or -1. */
long cache_find(const struct case_cache *cc,
	const unsigned char oid[CACHE_OID_LEN]);
/**
 * Decode entry slot into *out as a read-only case (see struct dcase):
 * its arrays in mem (arena_reuse()d; NULL: a new arena), its strings in
 * the cache file, which must outlive it.  A scan decodes every case of
 * the store, and a malloc and copy per string cost more than the rest
 * of it.  The case owns mem from then on, and frees it on failure.
 */
int cache_decode_entry(const struct case_cache *cc, long slot,
	struct dcase *out, struct arena *mem);
/** Keep entry slot when the cache is written (it was used). */
void cache_mark_used(struct case_cache *cc, long slot);

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
void cache_free(struct case_cache *cc);

#endif
