/*
 * idxsum.c - the index checksum, resumed from saved SHA-1 states.
 *
 * Marks file layout (cachefile.h's frame; integers little endian, but
 * the states are the C library's own struct, kept as they are in
 * memory, so a file from another build or machine fails the header
 * check):
 *   "DKTMARK" NUL | u32 version | u32 sizeof(SHA_CTX) | u64 library
 *   version | u64 size of the index | its checksum[20] | u32 count |
 *   count x SHA_CTX (the state after MARK_STEP, 2 x MARK_STEP, ... bytes)
 *   u64 cachefile_sum() of everything before it: a damaged state would
 *   make a wrong checksum, and git would refuse the index
 * Version 1 had native integers and a home-made sum.
 */
/* The low-level SHA1_* calls are the ones whose state is a plain struct
 * that can be kept in a file; OpenSSL 3 marks them deprecated. */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cachefile.h"
#include "idxsum.h"
#include "util.h"

#define MARKS_MAGIC "DKTMARK"
#define MARKS_VERSION 2u
#define MARK_STEP ((size_t)1 << 20)
#define MARKS_HDR (8 + 4 + 4 + 8 + 8 + IDXSUM_LEN + 4)
#define MARKS_MAX 4096		/* 4 GiB of index */

struct idxsum {
	char *file;
	SHA_CTX ctx;
	size_t start;		/* bytes the resumed state covers */
	size_t pos;		/* bytes fed so far */
	SHA_CTX *marks;		/* state after (i + 1) * MARK_STEP bytes */
	size_t nmarks, alloc;
	unsigned char sum[IDXSUM_LEN];
	int fits;		/* the marks file is of the index read */
};

/* The marks that fit old (its size and checksum), into h; their count. */
static size_t load_marks(struct idxsum *h, const unsigned char *old,
	size_t oldlen)
{
	struct sb buf = SB_INIT;
	uint32_t ctxlen, count;
	uint64_t lib, size;
	const unsigned char *p;
	size_t n = 0;

	if (oldlen < IDXSUM_LEN ||
	    cachefile_read(&buf, h->file, MARKS_MAGIC, MARKS_VERSION,
	    MARKS_HDR + MARKS_MAX * sizeof(SHA_CTX) + CACHEFILE_TRAILER) ||
	    buf.len < MARKS_HDR)
		goto out;
	p = (const unsigned char *)buf.buf;
	ctxlen = get_le32(p + 12);
	lib = get_le64(p + 16);
	size = get_le64(p + 24);
	count = get_le32(p + 32 + IDXSUM_LEN);
	if (ctxlen != sizeof(SHA_CTX) || lib != OpenSSL_version_num() ||
	    size != oldlen ||
	    memcmp(p + 32, old + oldlen - IDXSUM_LEN, IDXSUM_LEN) ||
	    count > MARKS_MAX ||
	    buf.len != MARKS_HDR + count * sizeof(SHA_CTX))
		goto out;
	n = count;
	h->fits = 1;
	h->marks = xcalloc(n ? n : 1, sizeof(SHA_CTX));
	h->alloc = n;
	memcpy(h->marks, p + MARKS_HDR, n * sizeof(SHA_CTX));
out:
	sb_release(&buf);
	return n;
}

struct idxsum *idxsum_begin(const char *marks, const unsigned char *old,
	size_t oldlen, size_t same)
{
	struct idxsum *h = xcalloc(1, sizeof(*h));
	size_t n, k;

	h->file = marks ? xstrdup(marks) : NULL;
	n = marks && old ? load_marks(h, old, oldlen) : 0;
	k = same / MARK_STEP;
	if (k > n)
		k = n;
	if (k) {
		h->ctx = h->marks[k - 1];
		h->start = k * MARK_STEP;
	} else {
		SHA1_Init(&h->ctx);
	}
	h->nmarks = k;
	return h;
}

void idxsum_update(struct idxsum *h, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t skip, room;

	if (h->pos < h->start) {
		skip = h->start - h->pos < len ? h->start - h->pos : len;
		h->pos += skip;
		p += skip;
		len -= skip;
	}
	while (len) {
		/* up to the next mark */
		room = MARK_STEP - h->pos % MARK_STEP;
		if (room > len)
			room = len;
		SHA1_Update(&h->ctx, p, room);
		h->pos += room;
		p += room;
		len -= room;
		if (h->pos % MARK_STEP == 0 && h->nmarks < MARKS_MAX) {
			GROW(h->marks, h->alloc, h->nmarks + 1);
			h->marks[h->nmarks++] = h->ctx;
		}
	}
}

void idxsum_final(struct idxsum *h, unsigned char out[IDXSUM_LEN])
{
	SHA1_Final(h->sum, &h->ctx);
	memcpy(out, h->sum, IDXSUM_LEN);
}

/* Best effort: without the marks the next write hashes it all. */
void idxsum_save(struct idxsum *h, int shared)
{
	struct sb out = SB_INIT;
	uint32_t ctxlen = sizeof(SHA_CTX), count = (uint32_t)h->nmarks;
	uint64_t lib = OpenSSL_version_num(), size = h->pos + IDXSUM_LEN;

	if (!h->file)
		return;
	cachefile_begin(&out, MARKS_MAGIC, MARKS_VERSION);
	sb_add_le32(&out, ctxlen);
	sb_add_le64(&out, lib);
	sb_add_le64(&out, size);
	sb_add(&out, h->sum, IDXSUM_LEN);
	sb_add_le32(&out, count);
	sb_add(&out, h->marks, h->nmarks * sizeof(SHA_CTX));
	(void)cachefile_seal(&out, h->file, MARKS_VERSION, shared);
	sb_release(&out);
}

int idxsum_known(const char *marks, const unsigned char *old, size_t oldlen)
{
	struct idxsum h;
	if (!marks || !old)
		return 0;
	memset(&h, 0, sizeof(h));
	h.file = (char *)marks;
	(void)load_marks(&h, old, oldlen);
	free(h.marks);
	/* load_marks() checked the size and the checksum (an index under
	 * 1 MiB has them, and no marks) */
	return h.fits;
}

void idxsum_free(struct idxsum *h)
{
	if (!h)
		return;
	free(h->file);
	free(h->marks);
	free(h);
}
