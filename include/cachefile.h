/*
 * cachefile.h - the private files docket keeps under .git to go faster
 * (docket-cache, docket-keys, docket-folders, docket-index-marks,
 * docket-index-cases, docket-actions, docket-ids): their frame, their
 * checksum, their byte order and how they are replaced.
 *
 * Readers take these files without a lock, so a reader may meet one torn
 * by a crash, cut short, damaged on disk, or of another version: it must
 * find that out and rebuild the file, never answer from it.  Hence every
 * file (or, for the two read in pieces, every piece) carries a checksum,
 * and every writer replaces the file whole by a rename.
 *
 * Integers are little endian whatever the machine, so that a file reads
 * the same everywhere (a store copied to another machine keeps its
 * caches); the sums are xxHash's XXH3, a kept and well-tested hash.
 */
#ifndef DOCKET_CACHEFILE_H
#define DOCKET_CACHEFILE_H

#include <stddef.h>
#include <stdint.h>

#include "byteorder.h"
#include "util.h"

/* ---- little-endian integers (byteorder.h) ----------------------------- */

/** Append v to out, little endian. */
void sb_add_le16(struct sb *out, uint16_t v);
void sb_add_le32(struct sb *out, uint32_t v);
void sb_add_le64(struct sb *out, uint64_t v);

/* ---- sums ------------------------------------------------------------- */

/**
 * The checksum of n bytes (XXH3, 64 bits), seeded: a piece summed with
 * its place (a bucket's number, a row's) in the seed fails when read in
 * place of another.  Not cryptographic: it finds damage, not forgery.
 */
uint64_t cachefile_sum(const void *data, size_t n, uint64_t seed);

/* ---- replacing -------------------------------------------------------- */

/** The mode of a cache file: 0600, or 0660 in a store shared with a
 * group (store_shared_config()). */
unsigned cachefile_mode(int shared);

/**
 * A cache file being written: "PATH.tmp.PID" beside it, renamed over
 * PATH by cachefile_commit().  Not fsync'd: a cache lost in a crash is
 * rebuilt, and the rename never leaves a mix of old and new.
 */
struct cachefile_out {
	char *path;
	char *tmp;
	void *f;		/* FILE *, buffered */
	int failed;		/* a write failed: commit removes tmp */
};
#define CACHEFILE_OUT_INIT { NULL, NULL, NULL, 0 }

/** Create the temporary file of path with cachefile_mode(shared): 0, or
 * -1 with nothing created. */
int cachefile_create(struct cachefile_out *out, const char *path,
	int shared);
/** Write len bytes; a failure is remembered for cachefile_commit(). */
void cachefile_put(struct cachefile_out *out, const void *data, size_t len);
/** Rename the file into place: 0, or -1 with the temporary file removed
 * and the old file left; out is released either way. */
int cachefile_commit(struct cachefile_out *out);
/** Give up: remove the temporary file and release out (NULL-safe). */
void cachefile_abort(struct cachefile_out *out);

/** The three above at once, for a file built in memory. */
int cachefile_replace(const char *path, const void *data, size_t len,
	int shared);

/* ---- the sealed frame ------------------------------------------------- */

/*
 * The frame of the cache files read whole: 8 bytes of magic (NUL
 * included), a u32 version, the body, and a u64 cachefile_sum() of
 * everything before it, seeded with the version.
 */
#define CACHEFILE_HDR 12
#define CACHEFILE_TRAILER 8

/** Start a file: magic and version into out (the body follows). */
void cachefile_begin(struct sb *out, const char magic[8], uint32_t version);
/** Append the sum to out and replace path with it. */
int cachefile_seal(struct sb *out, const char *path, uint32_t version,
	int shared);
/**
 * 0 when buf holds a sound file of this magic and version: its frame and
 * its sum hold.  Its body is then buf[CACHEFILE_HDR .. len - 8).
 */
int cachefile_check(const void *buf, size_t len, const char magic[8],
	uint32_t version);
/**
 * Read path (a regular file of at most max bytes, never through a link
 * or a FIFO) into out: 0 when cachefile_check() holds, with out->len cut
 * before the sum; -1 otherwise (missing, unreadable, unsound).
 */
int cachefile_read(struct sb *out, const char *path, const char magic[8],
	uint32_t version, size_t max);

#endif
