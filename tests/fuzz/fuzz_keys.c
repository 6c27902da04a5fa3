/*
 * fuzz_keys.c - libFuzzer target: .git/docket-keys, the likely-repeat
 * keys, looked up as `docket file` and `docket list --phone` look them
 * up: piece by piece, each piece checked by its own sum.
 *
 * The first byte picks how the rest is put in place: as the whole file
 * (odd), or resealed (even): the header made to be of this store (its
 * magic, version, tree and secret's id, as in the file docket wrote at
 * start) and every sum made to hold (header, buckets, rows, file), so
 * that the lookups behind the sums are reached.  Then repeats_open()
 * opens it (rebuilding it when it is not sound) and repeats_find() looks
 * up keys named in the file and the store's own phone; nothing may
 * crash, leak or read out of bounds.
 */
#include "fuzz_store.h"
#include "repeats.h"

#define HDR_LEN 80		/* repeats.c's layout, for resealing */
#define DIR_LEN 16
#define ENT_LEN 12
#define ROW_LEN 42
#define NTAB 4
#define BITS_MAX 20

static unsigned char head[HDR_LEN];	/* of the file docket wrote */

static const char *const files[] = {
	"cases/2026/000/2026-000001.yaml",
	"id: 2026-000001\n"
	"kind: complaint\n"
	"status: received\n"
	"subject: 电梯故障\n"
	"channel: phone\n"
	"received_at: 2026-09-09T09:09:09+08:00\n"
	"received_by: li.na\n"
	"complainant:\n"
	"  name: 王某某\n"
	"  phone: '13800000001'\n"
	"respondent: 某某物业\n"
	"events:\n"
	"  - {at: 2026-09-09T09:09:09+08:00, by: li.na, action: file}\n",
	NULL
};

/* The seeds repeats.c sums buckets and rows with. */
static uint64_t bucket_seed(uint32_t v, int t, uint64_t b)
{
	return ((uint64_t)v << 56) ^ ((uint64_t)(t + 1) << 40) ^ b;
}

static uint64_t row_seed(uint32_t v, uint64_t i)
{
	return ((uint64_t)v << 56) ^ i;
}

/* Each bucket's sum, for those whose entries lie inside the file;
 * returns where the table of offsets starts. */
static uint64_t reseal_buckets(unsigned char *f, size_t len, uint32_t v,
	uint32_t bits)
{
	uint64_t tab[NTAB], at = HDR_LEN + ((uint64_t)NTAB << bits) * DIR_LEN;
	uint64_t b, d, first, n;
	int t;

	for (t = 0; t < NTAB; t++) {
		tab[t] = at;
		at += (uint64_t)get_le32(f + 48 + 4 * t) * ENT_LEN;
	}
	for (t = 0; t < NTAB; t++)
		for (b = 0; b < ((uint64_t)1 << bits); b++) {
			d = HDR_LEN + (((uint64_t)t << bits) + b) * DIR_LEN;
			if (d + DIR_LEN > len)
				return at;
			first = get_le32(f + d);
			n = get_le32(f + d + 4);
			if (tab[t] + (first + n) * ENT_LEN <= len)
				put_le64(f + d + 8, cachefile_sum(f + tab[t] +
					first * ENT_LEN, n * ENT_LEN,
					bucket_seed(v, t, b)));
		}
	return at;
}

/* Each row's sum, for the rows inside the file. */
static void reseal_rows(unsigned char *f, size_t len, uint32_t v,
	uint64_t offs)
{
	uint64_t count = get_le32(f + 12), rows = offs + 4 * count, i, o, l;

	for (i = 0; i < count && offs + 4 * i + 4 <= len; i++) {
		o = rows + get_le32(f + offs + 4 * i);
		if (o + ROW_LEN > len)
			continue;
		l = get_le16(f + o + ROW_LEN - 2);
		if (o + ROW_LEN + l <= len)
			put_le64(f + o, cachefile_sum(f + o + 8,
				ROW_LEN - 8 + l, row_seed(v, i)));
	}
}

static void reseal(unsigned char *f, size_t len)
{
	uint32_t v = get_le32(head + 8), bits;

	if (len < HDR_LEN + 8)
		return;
	memcpy(f, head, CACHEFILE_HDR);
	memcpy(f + 16, head + 16, 20);		/* the tree */
	memcpy(f + 40, head + 40, 8);		/* the secret's id */
	put_le64(f + 64, len);
	put_le64(f + 72, cachefile_sum(f, 72, v));
	bits = get_le32(f + 36);
	if (bits <= BITS_MAX)
		reseal_rows(f, len, v, reseal_buckets(f, len, v, bits));
	put_le64(f + len - 8, cachefile_sum(f, len - 8, v));
}

static void lookups(const unsigned char *f, size_t len)
{
	static const enum repeats_key kinds[] = { RK_PHONE, RK_NAME,
		RK_RESPONDENT };
	struct strlist paths = STRLIST_INIT;
	struct repeats *r = repeats_open(fz_root);
	size_t at, k;

	if (!r)
		return;
	for (k = 0; k < ARRAY_SIZE(kinds); k++)
		(void)repeats_find(r, kinds[k], repeats_hash(r, kinds[k],
			k ? "王某某" : "13800000001"), &paths);
	/* keys the file itself holds, the first few (a damaged bucket
	 * makes each lookup rebuild the file) */
	for (at = HDR_LEN; at + 8 <= len && at < HDR_LEN + 256; at += 4)
		(void)repeats_find(r, kinds[at % 3], get_le64(f + at), &paths);
	strlist_release(&paths);
	repeats_close(r);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char path[PATH_MAX + 64];
	FILE *f;
	size_t n;

	(void)argc;
	(void)argv;
	fz_make_store("fuzz_keys", files);
	repeats_close(repeats_open(fz_root));	/* writes the file */
	snprintf(path, sizeof(path), "%s/%s", fz_gitdir, REPEATS_FILE);
	f = fopen(path, "rb");
	n = f ? fread(head, 1, HDR_LEN, f) : 0;
	if (f)
		fclose(f);
	if (n != HDR_LEN || get_le32(head + 12) != 1)
		fz_die("fuzz_keys", "docket wrote no keys file of one case");
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned char *f;
	size_t len;

	if (!size)
		return 0;
	len = size - 1;
	f = xmalloc(len);
	memcpy(f, data + 1, len);
	if (!(data[0] & 1))
		reseal(f, len);
	fz_put(REPEATS_FILE, f, len);
	lookups(f, len);
	free(f);
	return 0;
}
