/*
 * util.h - string builder, checked allocation and error lists.
 *
 * Every module below the commands reports failure by returning a negative
 * ERR_* code and appending a message to a `struct diag`; only the command
 * layer prints those messages and only main() exits.
 */
#ifndef DOCKET_UTIL_H
#define DOCKET_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PRINTF(f, a) __attribute__((format(printf, f, a)))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/** Error codes returned (negated) by library functions. */
enum {
	ERR_OK = 0,
	ERR_GENERIC = -1,	/**< anything not named below */
	ERR_NOTFOUND = -2,	/**< case, file, staff or key does not exist */
	ERR_INVALID = -3,	/**< bad input: syntax, type, value, limit */
	ERR_CONFLICT = -4,	/**< work tree differs from HEAD, id taken */
	ERR_LOCKED = -5,	/**< store lock not obtained in time */
	ERR_GIT = -6,		/**< libgit2 reported an error */
	ERR_IO = -7,		/**< read, write, fsync, rename failed */
	ERR_TRANSITION = -8,	/**< transition not allowed from this status */
	ERR_PERM = -9,		/**< acting staff lacks the role */
	ERR_USAGE = -10		/**< command line misuse (exit 2) */
};

/**
 * A growable string whose buffer is never NULL (git's strbuf).
 * Always NUL-terminated; may also hold binary data (len counts bytes).
 */
struct sb {
	char *buf;
	size_t len;
	size_t alloc;
};
extern char sb_empty[];
#define SB_INIT { sb_empty, 0, 0 }

void sb_init(struct sb *sb);
void sb_release(struct sb *sb);
void sb_reset(struct sb *sb);
void sb_grow(struct sb *sb, size_t extra);
void sb_add(struct sb *sb, const void *data, size_t len);
void sb_adds(struct sb *sb, const char *s);
void sb_addc(struct sb *sb, int c);
void sb_addf(struct sb *sb, const char *fmt, ...) PRINTF(2, 3);
void sb_vaddf(struct sb *sb, const char *fmt, va_list ap);
/** Hand the buffer to the caller (malloc'd, NUL-terminated); sb is reset. */
char *sb_detach(struct sb *sb, size_t *len);
/**
 * 1 if s holds nothing but white space (ASCII, or the ideographic space
 * U+3000 a Chinese input method types): text that says nothing.
 */
int text_blank(const char *s);
/** Remove trailing whitespace. */
void sb_rtrim(struct sb *sb);

/* Allocation failure is not recoverable in a short-lived CLI: these abort
 * with a message rather than return NULL (as git's xmalloc does). */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/** qsort(), but nothing to sort may be NULL (qsort's base must not be,
 * even for zero elements: UBSan stops on it). */
void xqsort(void *base, size_t n, size_t size,
	int (*cmp)(const void *, const void *));
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/** Grow *p (of *alloc elements of size sz) to hold at least n elements. */
void xgrow(void **p, size_t *alloc, size_t n, size_t sz);
#define GROW(p, alloc, n) xgrow((void **)&(p), &(alloc), (n), sizeof(*(p)))
/**
 * Make room for element n (0-based) of an array that has no capacity
 * field: the capacity is taken to be the next power of two, so appending
 * one at a time costs amortized O(1) (realloc may copy every time).
 */
void *xappend(void *p, size_t n, size_t sz);
/** The capacity xappend() assumes for n elements (allocate this many). */
size_t append_cap(size_t n);
#define APPEND(p, n) ((p) = xappend((p), (n), sizeof(*(p))))

/** A list of error messages; a validator adds every problem, then fails. */
struct diag {
	char **msg;
	size_t n;
	size_t alloc;
	int code;	/**< first negative code added, 0 if none */
};
#define DIAG_INIT { NULL, 0, 0, 0 }

/** Append a message; returns code (negative) so callers can `return err(...)`. */
int diag_add(struct diag *d, int code, const char *fmt, ...) PRINTF(3, 4);
/** Same, prefixed "FILE:LINE:COLUMN: " (line/col omitted when 0). */
int diag_at(struct diag *d, int code, const char *file, int line, int col,
	const char *fmt, ...) PRINTF(6, 7);
void diag_release(struct diag *d);
void diag_clear(struct diag *d);

/** Read a whole file (at most max bytes; ERR_INVALID beyond). */
int read_file(struct sb *out, const char *path, size_t max, struct diag *d);
/**
 * read_file() for the files docket keeps (cases, docket.yaml, caches):
 * only a regular file, never through a symbolic link; anything else
 * (a FIFO, a device, a folder) is ERR_INVALID, named, and never waited
 * on.
 */
int read_regular(struct sb *out, const char *path, size_t max,
	struct diag *d);

/* Flags of write_file_atomic(). */
#define TMP_INFIX ".tmp."	/* its temporary file: "PATH.tmp.PID" */
enum {
	AW_SYNC = 1,		/* fsync the file and its folder */
	AW_CREATE = 2		/* a new file: ERR_CONFLICT if path exists */
};
/**
 * Put data at path so that a crash leaves the old contents or the new,
 * never a mix: "PATH.tmp.PID" is written beside it, then renamed over
 * it (AW_CREATE: linked to it, which never replaces a file someone put
 * there meanwhile).  The one routine for every file docket replaces.
 */
int write_file_atomic(const char *path, const void *data, size_t len,
	unsigned mode, unsigned flags, struct diag *d);

/** 1 if s is valid UTF-8 (no overlongs, surrogates or > U+10FFFF). */
int utf8_valid(const char *s, size_t len);
/** Decode one code point at s (len bytes left); returns bytes used, 0 on error. */
int utf8_decode(const char *s, size_t len, unsigned *cp);
/** Number of code points in a valid UTF-8 string. */
size_t utf8_len(const char *s, size_t len);
/**
 * Bytes of the character at s (left bytes there) when it is known good
 * without decoding it: printable ASCII (1), or CJK text U+3000..U+CFFF,
 * three bytes led by 0xe3..0xec, valid UTF-8 and no control among them
 * (3); 0 for anything else, which the caller decodes.  Most of what a
 * Chinese office's case files hold; on the path of every scalar read.
 */
static inline int utf8_plain_char(const unsigned char *s, size_t left)
{
	if (*s >= 0x20 && *s < 0x7f)
		return 1;
	if (*s >= 0xe3 && *s <= 0xec && left >= 3 && (s[1] & 0xc0) == 0x80 &&
	    (s[2] & 0xc0) == 0x80)
		return 3;
	return 0;
}
/**
 * 1 if the text holds a control character that must not be stored:
 * C0 except (when allow_newline) LF and TAB, DEL, C1, and the bidi
 * overrides/isolates U+202A..U+202E, U+2066..U+2069.
 */
int has_control(const char *s, size_t len, int allow_newline);

/**
 * 1 if s is the string lit: for the actions and keys of events, compared
 * by the million in a report, where the first byte settles most of them
 * without a call.
 */
static inline int str_is(const char *s, const char *lit)
{
	return s[0] == lit[0] && (!s[0] || !strcmp(s + 1, lit + 1));
}

/** Dynamic array of strings. */
struct strlist {
	char **v;
	size_t n;
	size_t alloc;
};
#define STRLIST_INIT { NULL, 0, 0 }
void strlist_push(struct strlist *l, const char *s);
void strlist_push_nodup(struct strlist *l, char *s);
void strlist_release(struct strlist *l);
int strlist_has(const struct strlist *l, const char *s);
void strlist_sort(struct strlist *l);
/**
 * Move the strings of a and b into out, sorted, each once: a merge when
 * both are sorted (the usual case), else a sort.  a and b are left empty.
 */
void strlist_union(struct strlist *out, struct strlist *a, struct strlist *b);

/** SHA-256 of data as 64 lowercase hex digits (libcrypto). */
void sha256_hex(const void *data, size_t len, char out[65]);

/** FNV-1a of string s, continuing from h (FNV_INIT to start). */
#define FNV_INIT 14695981039346656037ULL
uint64_t fnv1a(uint64_t h, const char *s);

/*
 * An arena: many small zeroed allocations freed at once.  For cases that
 * scans decode by the hundred thousand, where one malloc and free per
 * string cost more than the rest of the scan.
 */
struct arena;
/** A new arena whose first block holds about hint bytes. */
struct arena *arena_new(size_t hint);
/** n zeroed objects of size bytes, aligned for any type. */
void *arena_calloc(struct arena *a, size_t n, size_t size);
/** A copy of the n bytes at s, NUL-ended, unaligned. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
/**
 * GROW for an array in the arena: arr (n items of size bytes, room for
 * *alloc) as it is while it has room for one more, else copied into one
 * twice as large (the old one stays in the arena until it is freed).
 */
void *arena_grow(struct arena *a, void *arr, size_t *alloc, size_t n,
	size_t size);
void arena_free(struct arena *a);
/**
 * a emptied for new use when its first block holds hint bytes (its other
 * blocks freed), else a new arena and a freed; a may be NULL.  A scan
 * decodes case after case into the arena of the case before: a malloc
 * and fresh pages per case cost a tenth of a warm scan.
 */
struct arena *arena_reuse(struct arena *a, size_t hint);

/** write() all len bytes, again after EINTR and short writes; -1 on
 * an error (errno says which). */
int write_in_full(int fd, const void *data, size_t len);

/** Free an array of n strings and the array itself. */
void free_strv(char **v, size_t n);
/** 1 if one of the n strings of v is s. */
int strv_has(char *const *v, size_t n, const char *s);

/* v in exactly n decimal digits at p, zero-padded (v < 10^n); the end.
 * For formats printed a hundred thousand times (dates, case paths). */
char *put_decimal(char *p, unsigned v, int n);
/* Its reverse: the value of exactly n decimal digits at s into *out; -1
 * when one of them is not a digit (a sign, a blank, the end).  For the
 * fields of dates, times and case ids, read the same everywhere. */
int read_decimal(const char *s, int n, long *out);

#endif
