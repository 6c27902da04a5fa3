/*
 * ewah.c - git's EWAH bitmaps for the split index (see ewah.h).
 */
#include <stdlib.h>
#include <string.h>

#include "byteorder.h"
#include "ewah.h"

#define RUN_MAX 0xffffffffull		/* 32 bits of run length */
#define LIT_MAX 0x7fffffffull		/* 31 bits of literal count */

static void put32(struct sb *sb, uint32_t v)
{
	unsigned char b[4];

	put_be32(b, v);
	sb_add(sb, b, 4);
}

static void put64(struct sb *sb, uint64_t v)
{
	unsigned char b[8];

	put_be64(b, v);
	sb_add(sb, b, 8);
}

void bits_grow(struct bits *b, size_t k)
{
	size_t need = k / 64 + 1;

	if (need > b->nwords) {
		b->w = xrealloc(b->w, need * sizeof(*b->w));
		memset(b->w + b->nwords, 0, (need - b->nwords) *
			sizeof(*b->w));
		b->nwords = need;
	}
}

void bits_reserve(struct bits *b, size_t nbits)
{
	if (nbits)
		bits_grow(b, nbits - 1);
}

void bits_release(struct bits *b)
{
	free(b->w);
	b->w = NULL;
	b->nwords = 0;
}

int ewah_read(struct bits *out, const unsigned char *p, size_t len,
	size_t max, size_t *used)
{
	const unsigned char *words;
	uint64_t rlw, run, lit, k;
	size_t nbits, nbuf, i = 0, at = 0, maxwords = max / 64 + 1;

	memset(out, 0, sizeof(*out));
	if (len < 8)
		return -1;
	nbits = get_be32(p);
	nbuf = get_be32(p + 4);
	if (nbits > max || nbuf > (len - 8) / 8 || len - 8 - nbuf * 8 < 4)
		return -1;
	words = p + 8;
	out->nwords = (nbits + 63) / 64;
	out->w = xcalloc(out->nwords ? out->nwords : 1, sizeof(*out->w));
	while (i < nbuf) {
		rlw = get_be64(words + 8 * i++);
		run = rlw >> 1 & RUN_MAX;
		lit = rlw >> 33;
		if (run > maxwords || lit > nbuf - i || at + run > maxwords)
			goto bad;
		for (k = 0; k < run; k++, at++)
			if (rlw & 1) {
				if (at >= out->nwords)
					goto bad;
				out->w[at] = ~(uint64_t)0;
			}
		for (k = 0; k < lit; k++, at++, i++) {
			uint64_t w = get_be64(words + 8 * i);

			if (at >= out->nwords) {
				if (w)
					goto bad;
				continue;
			}
			out->w[at] = w;
		}
	}
	/* no set bit past the count the header gives */
	if (nbits % 64 && out->nwords &&
	    out->w[out->nwords - 1] >> (nbits % 64))
		goto bad;
	*used = 8 + nbuf * 8 + 4;
	return 0;
bad:
	bits_release(out);
	return -1;
}

void ewah_write(struct sb *out, const struct bits *b)
{
	struct sb words = SB_INIT;
	size_t n = b->nwords, i = 0, start, nwords = 0, last = 0;
	uint64_t run, lit;

	/* trailing zero words carry nothing */
	while (n && !b->w[n - 1])
		n--;
	do {
		run = 0;
		while (i < n && !b->w[i] && run < RUN_MAX) {
			run++;
			i++;
		}
		start = i;
		lit = 0;
		while (i < n && b->w[i] && lit < LIT_MAX) {
			lit++;
			i++;
		}
		last = nwords;
		put64(&words, run << 1 | lit << 33);
		nwords++;
		for (; start < i; start++, nwords++)
			put64(&words, b->w[start]);
	} while (i < n);
	/* the bit count: one past the highest set bit */
	run = n ? (uint64_t)(n - 1) * 64 + 64 : 0;
	while (run && !bits_get(b, (size_t)run - 1))
		run--;
	put32(out, (uint32_t)run);
	put32(out, (uint32_t)nwords);
	sb_add(out, words.buf, words.len);
	put32(out, (uint32_t)last);
	sb_release(&words);
}
