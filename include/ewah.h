/*
 * ewah.h - git's EWAH-compressed bitmaps (gitformat-index(5), the split
 * index's "link" extension), read into plain bit arrays and written back.
 *
 * On disk, big endian: u32 bit count | u32 word count | that many u64
 * words | u32 position of the last run-length word.  A run-length word
 * holds, from bit 0: the running bit, 32 bits of run length (words all
 * equal to the running bit), 31 bits of literal word count (the words
 * that follow it, as they are).  Bit k is bit k % 64 of word k / 64.
 */
#ifndef DOCKET_EWAH_H
#define DOCKET_EWAH_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

struct bits {
	uint64_t *w;
	size_t nwords;		/* words allocated, all meaningful */
};

/**
 * Decode the bitmap at p (len bytes available) into out (which it
 * allocates); *used is its size on disk.  -1 if it is damaged or would
 * hold more than max bits.
 */
int ewah_read(struct bits *out, const unsigned char *p, size_t len,
	size_t max, size_t *used);
/** Append bitmap b, EWAH-encoded, to out. */
void ewah_write(struct sb *out, const struct bits *b);

/** Make room for bits 0 .. nbits - 1 (all clear), so setting them
 * does not grow the array one word at a time. */
void bits_reserve(struct bits *b, size_t nbits);
void bits_grow(struct bits *b, size_t k);

/** 1 if bit k is set.  Inline: a split index asks once per entry. */
static inline int bits_get(const struct bits *b, size_t k)
{
	return k / 64 < b->nwords && (b->w[k / 64] >> (k % 64) & 1);
}

/** Set bit k, growing the array. */
static inline void bits_set(struct bits *b, size_t k)
{
	if (k / 64 >= b->nwords)
		bits_grow(b, k);
	b->w[k / 64] |= (uint64_t)1 << (k % 64);
}
void bits_release(struct bits *b);

#endif
