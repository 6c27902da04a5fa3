/*
 * fuzz_scancache.c - libFuzzer target: .git/docket-cache, the parsed
 * cases a scan keeps, read as a scan reads it.
 *
 * The first byte picks how the rest is put in place:
 *   0  as the whole file, as a crash or a disk may leave it;
 *   1  the same with the sums made to hold (the header's, each entry's
 *      that lies inside the file), to reach the checks behind them;
 *   2  as one encoded case, put with cache_put() and written by
 *      cache_save(), so the decoder runs on a file docket wrote.
 * Then cache_open_store() loads it and cache_get() looks up every id the
 * file's table names, decoding what it finds; cache_save() writes the
 * entries used.  Nothing may crash, leak or read out of bounds, and a
 * case decoded from bytes, encoded again, must decode and encode to the
 * same bytes.
 */
#include "cache.h"
#include "case.h"
#include "fuzz_store.h"

#define HDR_LEN 32		/* cache.c's layout, for mode 1 */
#define ENT_LEN 40

static unsigned char head[CACHEFILE_HDR];
static struct store *s;		/* opened once: its repository is reused */

static const char *const files[] = {
	"cases/2026/000/2026-000001.yaml", "id: 2026-000001\n",
	NULL
};

/* A case and one more encoding of it: the same bytes both times. */
static void check_stable(const void *buf, size_t len)
{
	struct dcase c, c2;
	struct sb e1 = SB_INIT, e2 = SB_INIT;

	if (cache_decode(&c, buf, len))
		return;
	cache_encode(&e1, &c);
	if (cache_decode(&c2, e1.buf, e1.len))
		fz_die("fuzz_scancache", "an encoded case does not decode");
	cache_encode(&e2, &c2);
	if (e1.len != e2.len || memcmp(e1.buf, e2.buf, e1.len))
		fz_die("fuzz_scancache", "encoding is not stable");
	case_release(&c);
	case_release(&c2);
	sb_release(&e1);
	sb_release(&e2);
}

/* Mode 1: docket's magic and version, and every sum made to hold. */
static void reseal(unsigned char *f, size_t len)
{
	uint32_t version = get_le32(head + 8), count, i, n;
	uint64_t dlen, off;
	unsigned char *t;

	if (len < HDR_LEN)
		return;
	memcpy(f, head, CACHEFILE_HDR);
	count = get_le32(f + 12);
	if (count > (len - HDR_LEN) / ENT_LEN)
		return;
	dlen = len - HDR_LEN - (uint64_t)count * ENT_LEN;
	for (i = 0, t = f + HDR_LEN; i < count; i++, t += ENT_LEN) {
		n = get_le32(t + CACHE_OID_LEN);
		off = get_le64(t + CACHE_OID_LEN + 4);
		if (off <= dlen && n <= dlen - off)
			put_le64(t + CACHE_OID_LEN + 12, cachefile_sum(f +
				HDR_LEN + (size_t)count * ENT_LEN + off, n,
				version));
	}
	put_le64(f + 24, cachefile_sum(f + HDR_LEN, (size_t)count * ENT_LEN,
		cachefile_sum(f, HDR_LEN - 8, version)));
}

/* Look up n ids, stride bytes apart, as a scan would (a file's table
 * names its ids every ENT_LEN bytes from HDR_LEN). */
static void scan(const unsigned char *ids, size_t n, size_t stride)
{
	struct case_cache *cc = cache_open_store(s);
	unsigned char zero[CACHE_OID_LEN] = { 0 };
	struct dcase c;
	size_t i;

	for (i = 0; i < n; i++)
		if (cache_get(cc, ids + i * stride, &c))
			case_release(&c);
	if (cache_get(cc, zero, &c))
		case_release(&c);
	cache_save(cc, 0);
	cache_free(cc);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct case_cache *cc;
	unsigned char oid[CACHE_OID_LEN];
	struct diag d = DIAG_INIT;

	(void)argc;
	(void)argv;
	fz_make_store("fuzz_scancache", files);
	if (store_open(&s, fz_root, &d))
		fz_die("fuzz_scancache", "cannot open the store");
	diag_release(&d);
	cc = cache_open_store(s);
	cache_hash("x", 1, oid);
	cache_put(cc, oid, "x", 1);
	cache_save(cc, 0);
	cache_free(cc);
	fz_head("fuzz_scancache", "docket-cache", head);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *f, oid[CACHE_OID_LEN];
	struct case_cache *cc;
	size_t len;

	if (!size)
		return 0;
	len = size - 1;
	f = xmalloc(len);
	memcpy(f, data + 1, len);
	switch (data[0] % 3) {
	case 1:
		reseal(f, len);
		/* fall through */
	case 0:
		fz_put("docket-cache", f, len);
		if (len >= HDR_LEN)
			scan(f + HDR_LEN, (len - HDR_LEN) / ENT_LEN, ENT_LEN);
		break;
	default:
		cc = cache_open_store(s);
		cache_hash(f, len, oid);
		cache_put(cc, oid, f, len);
		cache_save(cc, 1);	/* complete: this entry alone */
		cache_free(cc);
		scan(oid, 1, 0);
		check_stable(f, len);
		break;
	}
	free(f);
	return 0;
}
