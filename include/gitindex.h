/*
 * gitindex.h - git's index file (gitformat-index(5)): read, and written
 * anew with a few entries changed, as git itself would write it.
 *
 * One parser for every reader in docket (the scans that let the index
 * vouch for work-tree files, the commit that patches it) and one
 * writer.  Versions 2, 3 and 4 are read and written; skip-hash indexes
 * (index.skipHash, a zeroed checksum) stay skip-hash.  Of the
 * extensions, the caches git rebuilds by itself (TREE, UNTR, FSMN, EOIE,
 * IEOT) are dropped on write, REUC is kept.  A split index ("link", git's
 * core.splitIndex) is read with its shared index merged in, as git does,
 * and written split again: only the entries that differ from the shared
 * index, so a write to a 100,000-entry index writes a few hundred bytes
 * (a new shared index when more than splitIndex.maxPercentChange of the
 * entries differ).  A sparse index ("sdir") or any other extension git
 * calls required is read only as far as it goes and never written:
 * gix_writable() says why, naming the format, so a write is refused
 * instead of losing what the index holds.
 *
 * Racily clean entries (a file changed within the timestamp granule of
 * the last index write) are smudged on write as git does, so a change
 * of the same size never hides behind a newer index.
 */
#ifndef DOCKET_GITINDEX_H
#define DOCKET_GITINDEX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "util.h"

#define GIX_OIDLEN 20

/* Entry flags (the 16-bit field after the object id). */
#define GIX_VALID 0x8000	/* assume-valid */
#define GIX_EXTENDED 0x4000
#define GIX_STAGEMASK 0x3000
#define GIX_NAMEMASK 0x0fff
/* Extended flags (version 3 and later). */
#define GIX_SKIP_WORKTREE 0x4000
#define GIX_INTENT_TO_ADD 0x2000

/** The stat data git keeps per entry, in its order. */
enum {
	GIX_CTIME, GIX_CTIME_NS, GIX_MTIME, GIX_MTIME_NS, GIX_DEV, GIX_INO,
	GIX_MODE, GIX_UID, GIX_GID, GIX_SIZE, GIX__STAT
};

/*
 * An entry.  Its fixed part (stat data, object id, flags) is read in
 * place with gix_st() and gix_oid(): a 100,000-entry index is parsed
 * without copying it.
 */
struct gix_ent {
	const unsigned char *raw;	/* the fixed part: 62 bytes */
	const char *path;		/* NUL-ended */
	uint32_t pathlen;
	uint32_t rawlen;	/* the whole entry in a v2/v3 file, else 0 */
	int32_t base;		/* its position in the shared index, or -1 */
	uint16_t flags;
	uint16_t xflags;
};

/** Stat field f (GIX_CTIME ... GIX_SIZE) of an entry. */
uint32_t gix_st(const struct gix_ent *e, int f);
/** The entry's object id (GIX_OIDLEN bytes). */
const unsigned char *gix_oid(const struct gix_ent *e);

struct gix {
	unsigned char *map;	/* the file (mapped or read); NULL if built */
	size_t len;
	int mapped;
	uint32_t version;
	struct gix_ent *e;	/* in file order: by path, then stage */
	size_t e_mapped;	/* bytes of e's array mapped, 0 if allocated */
	size_t e_lead;		/* slots of that array before e */
	size_t n;
	size_t ext_off;		/* first byte after the entries */
	struct timespec mtime;	/* the file's, when read: racy-git limit */
	int skip_hash;		/* trailing checksum is all zeros */
	size_t conflicts;	/* entries with a stage other than 0 */
	const char *unwritable;	/* why docket must not write it, or NULL */
	int partial;		/* entries live elsewhere too (split index) */
	struct arena *mem;	/* v4 paths; entries built from a tree */
	struct gix *base;	/* split: the shared index, merged in */
	size_t link_off, link_len;	/* split: the "link" extension */
};

/** Flags of gix_read(). */
enum {
	GIX_VERIFY = 1		/* check the trailing SHA-1 */
};

/**
 * Read the index file at path.  A missing file gives an empty index with
 * map NULL (ERR_NOTFOUND is not an error here: git treats it so).  A
 * file that is not an index git could have written (bad signature,
 * version, truncated entries, wrong checksum with GIX_VERIFY) is
 * ERR_INVALID, the message naming the file and the fault.
 */
int gix_read(struct gix **out, const char *path, unsigned flags,
	struct diag *d);
/** The same from bytes in memory (copied): for tests and the fuzzer. */
int gix_parse(struct gix **out, const void *buf, size_t len, unsigned flags,
	const char *name, struct diag *d);
void gix_free(struct gix *ix);

/** Index of the stage-0 entry for path, or -1. */
long gix_find(const struct gix *ix, const char *path);
/** NULL if docket may write this index; else the reason, naming it. */
const char *gix_writable(const struct gix *ix);
/** An empty index (version 2), as git has before the first `git add`. */
struct gix *gix_empty(void);

/**
 * One change for gix_write(): path gets oid with the stat data st, or
 * goes (remove).  `smudge`: no stat data but the mode (an entry git
 * will hash the file for, as after `git read-tree`).
 */
struct gix_edit {
	const char *path;
	unsigned char oid[GIX_OIDLEN];
	struct stat st;
	uint32_t mode;		/* with smudge: 0100644, 0100755, 0120000 */
	int remove;
	int smudge;
};

/* Entries from which an index is written split when core.splitIndex is
 * unset: about 2 MB of index, which a write would otherwise rewrite. */
#define GIX_SPLIT_FROM 20000

struct gix_write_opts {
	const char *worktree;	/* for the racy-git check of kept entries */
	const char *marks;	/* idxsum marks file, or NULL */
	int shared;		/* marks file mode */
	/* core.splitIndex: 1 split, 0 plain, -1 (unset) as the index is;
	 * splitIndex.maxPercentChange (git's default 20); the git
	 * directory the shared index is written to, in this file mode */
	int split;
	int max_change;
	const char *gitdir;
	unsigned mode;
	/* if not NULL: gets the checksum of the index written
	 * (GIX_OIDLEN bytes; zeros for a skip-hash index) */
	unsigned char *sum;
};

/**
 * Write to fd the index that is ix with the edits (sorted by path, each
 * path once) applied: kept entries byte for byte where the format
 * allows, racily clean ones smudged, the extensions git rebuilds
 * dropped, the checksum resumed from the marks of the file ix was read
 * from.  ERR_CONFLICT if gix_writable() refuses.  An empty ix (no
 * file) with every entry of a tree as smudged edits is `git read-tree`.
 */
int gix_write(const struct gix *ix, const struct gix_edit *ed, size_t n,
	int fd, const struct gix_write_opts *o, struct diag *d);

/** The stat data of st as git records it (fields truncated to 32 bits). */
void gix_stat(uint32_t out[GIX__STAT], const struct stat *st);
/**
 * 1 if the entry's stat data says the file with stat st is unchanged:
 * times, inode, size and mode as git's ie_match_stat() compares them
 * (with core.checkStat=default and trustctime), and the entry is not
 * racily clean against the index's own time.
 */
int gix_stat_matches(const struct gix *ix, const struct gix_ent *e,
	const struct stat *st);

#endif
