/*
 * repeats.c - the likely-repeat keys of every case in HEAD, kept in
 * .git/docket-keys and brought up to date by diffing trees.
 *
 * A search looks up one key, so the file is laid out to be read in a few
 * small pieces rather than whole: reading all of it (4.6 MB at 100,000
 * cases), checking its sum and copying out every row was most of what
 * `list --phone` cost beyond starting docket, more when the file was
 * behind HEAD (each changed path compared with every row).  Each
 * piece read carries its own sum, so a torn or damaged file is still
 * found out, by the lookup that reads the damage, which then rebuilds
 * the file rather than answer from it.
 *
 * File layout, version 6 (little endian; the sums are cachefile_sum(),
 * cachefile.h):
 *   header  "DKTKEYS" NUL | u32 version | u32 count | tree id[20] |
 *           u32 bits | u64 keys_id() of the secret the keys are made with |
 *           u32 entries[4] | u64 size of the file |
 *           u64 sum of the header before it
 *   dir     4 x 2^bits x { u32 first | u32 n | u64 sum of the bucket },
 *           the bucket's sum seeded with its table and number (a bucket
 *           read for another fails)
 *   tables  4 x { u64 key | u32 row } sorted by key, for the phone, the
 *           name with respondent, the name alone and the respondent
 *           alone; bucket b of a table holds the keys whose top bits are
 *           b (keys are HMACs: evenly spread), from entry first on
 *   offs    count x u32: where each row starts, from the first row
 *   rows    count x { u64 sum | u64 phone | u64 who | u64 name |
 *           u64 respondent | u16 len | path, NUL-ended }, sum the sum
 *           of the rest of the row, seeded with the row's number (a row
 *           read for another fails)
 *   sum     u64 sum of everything before it: checked only when the
 *           file is read whole, to be written again
 * The keys are HMACs under the store's secret (keys.h).  Versions 1 and
 * 2 held unkeyed FNV-1a hashes, reversible by trying every phone number;
 * version 3 had to be read whole; version 4 had no respondent table;
 * version 5 was in native byte order, summed with a home-made hash: a
 * file of another version is rebuilt,
 * never read; so is one made under another secret.
 * Paths are relative to the `cases` tree (2026/000/2026-000123.yaml).
 */
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "cachefile.h"
#include "codec.h"
#include "keys.h"
#include "repeats.h"
#include "store.h"

#define KEYS_MAGIC "DKTKEYS"	/* and its NUL: 8 bytes */
#define KEYS_VERSION 6u
#define HDR_LEN 80
#define DIR_LEN 16		/* a bucket's entry in dir */
#define ENT_LEN 12		/* a key and its row */
#define ROW_LEN 42		/* the fixed part of a row */
#define KEYS_MAX (1u << 30)
/* A bucket holds about this many keys of a table: one short read. */
#define BUCKET_KEYS 64
#define BITS_MAX 20
/* More changed entries than this since the file's tree: rebuild, as
 * the diff is held in memory beside the file. */
#define DIFF_MAX 256
/* Write the file when this many entries changed since its tree: writing
 * it on every intake cost more than diffing a few more cases on the
 * next. */
#define SAVE_AFTER 32

enum { T_PHONE, T_WHO, T_NAME, T_RESP, NTAB };

struct key {
	uint64_t k[NTAB];	/* phone, who, name, respondent */
	const char *path;	/* into the image or own */
	int dead;		/* replaced by a later row of its path */
	int bulk;		/* from repeats_add(), not from the diff */
};

/* Where the file's pieces are, from its header. */
struct layout {
	uint32_t count, bits, nent[NTAB];
	uint64_t size, tab[NTAB], offs, rows;
};

struct repeats {
	char *root;		/* the store, to rebuild from */
	char *file;		/* .git/docket-keys */
	int shared;		/* group-shared store: group may read */
	struct keys *keys;	/* the store's secret */
	git_oid tree;		/* the cases tree the image is of */
	/* the image: the file, read piece by piece through fd, or (mem
	 * set) held whole in mem, as built or read to be written again */
	int fd, mem, have;
	struct sb img;
	struct layout lay;
	/* what changed since tree: the image's rows of paths in gone
	 * (sorted) or under gone_dirs no longer hold, and those of v do;
	 * paths filed in this run (repeats_add) are in readded */
	struct strlist gone, gone_dirs, readded;
	struct key *v;
	size_t n, alloc;
	struct strlist own;	/* paths of v */
};

uint64_t repeats_phone_key(const struct repeats *r, const struct dcase *c)
{
	return keys_hash_phone(r->keys, c->who.phone);
}

uint64_t repeats_who_key(const struct repeats *r, const struct dcase *c)
{
	return keys_hash_who(r->keys, c->who.name, c->respondent);
}

uint64_t repeats_name_key(const struct repeats *r, const struct dcase *c)
{
	return keys_hash_name(r->keys, c->who.name);
}

uint64_t repeats_respondent_key(const struct repeats *r,
	const struct dcase *c)
{
	return keys_hash_respondent(r->keys, c->respondent);
}

uint64_t repeats_hash(const struct repeats *r, enum repeats_key which,
	const char *s)
{
	switch (which) {
	case RK_PHONE:
		return keys_hash_phone(r->keys, s);
	case RK_RESPONDENT:
		return keys_hash_respondent(r->keys, s);
	default:
		return keys_hash_name(r->keys, s);
	}
}

static void push_key(struct repeats *r, const uint64_t k[NTAB],
	const char *path, int bulk)
{
	struct key *e;

	GROW(r->v, r->alloc, r->n + 1);
	e = &r->v[r->n++];
	memcpy(e->k, k, sizeof(e->k));
	e->path = path;
	e->dead = 0;
	e->bulk = bulk;
}

static void add_case(struct repeats *r, const char *path,
	const struct dcase *c, int bulk)
{
	uint64_t k[NTAB];

	k[T_PHONE] = repeats_phone_key(r, c);
	k[T_WHO] = repeats_who_key(r, c);
	k[T_NAME] = repeats_name_key(r, c);
	k[T_RESP] = repeats_respondent_key(r, c);
	if (!k[T_PHONE] && !k[T_WHO] && !k[T_NAME] && !k[T_RESP])
		return;
	strlist_push(&r->own, path);
	push_key(r, k, r->own.v[r->own.n - 1], bulk);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* 1 if the sorted list l holds s. */
static int sorted_has(const struct strlist *l, const char *s)
{
	return l->n && bsearch(&s, l->v, l->n, sizeof(*l->v), cmp_str);
}

/* 1 if the image's row of path still holds: not changed since. */
static int image_row_holds(const struct repeats *r, const char *path)
{
	size_t i;

	if (sorted_has(&r->gone, path) || strlist_has(&r->readded, path))
		return 0;
	for (i = 0; i < r->gone_dirs.n; i++)
		if (!strncmp(path, r->gone_dirs.v[i],
		    strlen(r->gone_dirs.v[i])))
			return 0;
	return 1;
}

/* The diff found path changed or removed: its rows no longer hold. */
static void drop_path(struct repeats *r, const char *path)
{
	size_t i;

	strlist_push(&r->gone, path);
	for (i = 0; i < r->n; i++)
		if (!r->v[i].dead && !strcmp(r->v[i].path, path))
			r->v[i].dead = 1;
}

/* Nor those under prefix ("2026/000/"). */
static void drop_prefix(struct repeats *r, const char *prefix)
{
	size_t i, n = strlen(prefix);

	strlist_push(&r->gone_dirs, prefix);
	for (i = 0; i < r->n; i++)
		if (!r->v[i].dead && !strncmp(r->v[i].path, prefix, n))
			r->v[i].dead = 1;
}

/* Forget the image and the diff (not the cases of repeats_add()). */
static void forget_image(struct repeats *r)
{
	size_t i, j = 0;

	if (r->fd >= 0)
		close(r->fd);
	r->fd = -1;
	r->mem = r->have = 0;
	sb_reset(&r->img);
	memset(&r->lay, 0, sizeof(r->lay));
	memset(&r->tree, 0, sizeof(r->tree));
	strlist_release(&r->gone);
	strlist_release(&r->gone_dirs);
	for (i = 0; i < r->n; i++)
		if (r->v[i].bulk)
			r->v[j++] = r->v[i];
	r->n = j;
}
/* ---- the file ----------------------------------------------------------- */

/* The seeds of the sums: a bucket or row read in place of another has
 * another seed, so its sum fails. */
static uint64_t bucket_seed(int t, uint64_t b)
{
	return ((uint64_t)KEYS_VERSION << 56) ^ ((uint64_t)(t + 1) << 40) ^ b;
}

static uint64_t row_seed(uint64_t i)
{
	return ((uint64_t)KEYS_VERSION << 56) ^ i;
}

/*
 * The len bytes of the image at off: *out points into the image held in
 * memory, or into tmp, read from the file.  -1 when they are not all
 * there: the file is torn.
 */
static int span(const struct repeats *r, uint64_t off, size_t len,
	struct sb *tmp, const unsigned char **out)
{
	size_t got = 0;
	ssize_t n;

	if (off > r->lay.size || len > r->lay.size - off)
		return -1;
	if (r->mem) {
		*out = (const unsigned char *)r->img.buf + off;
		return 0;
	}
	sb_reset(tmp);
	sb_grow(tmp, len);
	while (got < len) {
		n = pread(r->fd, tmp->buf + got, len - got, (off_t)(off + got));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		got += (size_t)n;
	}
	if (len) {
		tmp->len = len;
		tmp->buf[len] = '\0';
	}
	*out = (const unsigned char *)tmp->buf;
	return 0;
}

/* 0 and the layout when h is the header of a sound image of
 * size bytes made under this store's secret. */
static int parse_header(struct repeats *r, const unsigned char *h,
	uint64_t size)
{
	struct layout *l = &r->lay;
	uint64_t at, len;
	int t;

	if (memcmp(h, KEYS_MAGIC, 8) || get_le32(h + 8) != KEYS_VERSION ||
	    get_le64(h + 72) != cachefile_sum(h, 72, KEYS_VERSION) ||
	    get_le64(h + 64) != size || get_le64(h + 40) != keys_id(r->keys))
		return -1;
	l->size = size;
	l->count = get_le32(h + 12);
	l->bits = get_le32(h + 36);
	if (l->bits > BITS_MAX || l->count > KEYS_MAX / ROW_LEN)
		return -1;
	at = HDR_LEN + ((uint64_t)NTAB << l->bits) * DIR_LEN;
	for (t = 0; t < NTAB; t++) {
		l->nent[t] = get_le32(h + 48 + 4 * t);
		l->tab[t] = at;
		at += (uint64_t)l->nent[t] * ENT_LEN;
	}
	l->offs = at;
	l->rows = at + (uint64_t)l->count * 4;
	len = (uint64_t)l->count * (ROW_LEN + 2) + 8;
	if (l->rows > size || size - l->rows < len)
		return -1;
	memcpy(r->tree.id, h + 16, GIT_OID_RAWSZ);
	return 0;
}

/* Open the file and read its header: 0 when it is one to look keys up
 * in (its tree still to be compared with HEAD's). */
static int open_file(struct repeats *r)
{
	unsigned char h[HDR_LEN];
	struct stat st;

	/* O_NONBLOCK: a FIFO put there must not make docket wait */
	r->fd = open(r->file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (r->fd < 0)
		return -1;
	if (fstat(r->fd, &st) < 0 || !S_ISREG(st.st_mode) ||
	    st.st_size < HDR_LEN || (uint64_t)st.st_size > KEYS_MAX ||
	    pread(r->fd, h, HDR_LEN, 0) != HDR_LEN ||
	    parse_header(r, h, (uint64_t)st.st_size)) {
		forget_image(r);
		return -1;
	}
	r->have = 1;
	return 0;
}

/* Row i of the image: its keys and path, checked against its sum.  The
 * path points into tmp (or the image): valid until tmp is reused. */
static int image_row(const struct repeats *r, uint32_t i, struct sb *tmp,
	struct key *out)
{
	const unsigned char *p;
	uint64_t off;
	uint16_t len;

	if (i >= r->lay.count || span(r, r->lay.offs + 4 * (uint64_t)i, 4,
	    tmp, &p))
		return -1;
	off = r->lay.rows + get_le32(p);
	if (span(r, off, ROW_LEN, tmp, &p))
		return -1;
	len = get_le16(p + ROW_LEN - 2);
	if (len < 2 || span(r, off, ROW_LEN + (size_t)len, tmp, &p) ||
	    p[ROW_LEN + len - 1] || strlen((const char *)p + ROW_LEN) !=
	    (size_t)len - 1 || get_le64(p) != cachefile_sum(p + 8,
	    ROW_LEN - 8 + len, row_seed(i)))
		return -1;
	out->k[T_PHONE] = get_le64(p + 8);
	out->k[T_WHO] = get_le64(p + 16);
	out->k[T_NAME] = get_le64(p + 24);
	out->k[T_RESP] = get_le64(p + 32);
	out->path = (const char *)p + ROW_LEN;
	out->dead = out->bulk = 0;
	return 0;
}

/* Push "cases/PATH" onto paths, once. */
static void push_path(struct strlist *paths, const char *path)
{
	struct sb p = SB_INIT;

	sb_addf(&p, "cases/%s", path);
	if (!strlist_has(paths, p.buf))
		strlist_push(paths, p.buf);
	sb_release(&p);
}

/*
 * Push the paths of the image's rows whose key of table t is key, and
 * that still hold.  -1 when a piece read is damaged: the answer would
 * be wrong, and the file is to be rebuilt.
 */
static int image_find(const struct repeats *r, int t, uint64_t key,
	struct strlist *paths)
{
	struct sb tmp = SB_INIT, rtmp = SB_INIT;
	const unsigned char *d, *e;
	uint64_t b = r->lay.bits ? key >> (64 - r->lay.bits) : 0, sum;
	uint32_t first, n, j;
	struct key row;
	int ret = -1;

	if (span(r, HDR_LEN + (((uint64_t)t << r->lay.bits) + b) * DIR_LEN,
	    DIR_LEN, &tmp, &d))
		goto out;
	first = get_le32(d);
	n = get_le32(d + 4);
	sum = get_le64(d + 8);
	if (first > r->lay.nent[t] || n > r->lay.nent[t] - first ||
	    span(r, r->lay.tab[t] + (uint64_t)first * ENT_LEN,
	    (size_t)n * ENT_LEN, &tmp, &e) ||
	    sum != cachefile_sum(e, (size_t)n * ENT_LEN, bucket_seed(t, b)))
		goto out;
	/* the bucket's sum holds for the bytes read: its keys are sound */
	for (j = 0; j < n; j++) {
		if (get_le64(e + (size_t)j * ENT_LEN) != key)
			continue;
		if (image_row(r, get_le32(e + (size_t)j * ENT_LEN + 8), &rtmp,
		    &row) || row.k[t] != key)
			goto out;
		if (image_row_holds(r, row.path))
			push_path(paths, row.path);
	}
	ret = 0;
out:
	sb_release(&tmp);
	sb_release(&rtmp);
	return ret;
}

/* Read the whole file into memory, to write it again: 0 when its sum
 * holds throughout, so that no damage is carried into the new file. */
static int load_whole(struct repeats *r)
{
	const unsigned char *p;
	struct sb tmp = SB_INIT;
	int ret = -1;

	if (r->mem)
		return 0;
	if (!span(r, 0, r->lay.size, &tmp, &p) &&
	    get_le64(p + r->lay.size - 8) == cachefile_sum(p,
	    r->lay.size - 8, KEYS_VERSION)) {
		sb_release(&r->img);
		r->img = tmp;
		sb_init(&tmp);
		r->mem = 1;
		close(r->fd);
		r->fd = -1;
		ret = 0;
	}
	sb_release(&tmp);
	return ret;
}

/* ---- writing ------------------------------------------------------------ */

struct ent {
	uint64_t key;
	uint32_t row;
};

static int cmp_ent(const void *pa, const void *pb)
{
	const struct ent *a = pa, *b = pb;

	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->row > b->row) - (a->row < b->row);
}

/* Table t of rows (keys of 0 left out), bucketed on the top bits of the
 * keys and sorted, its buckets' entries into dir and itself into tab;
 * how many keys it holds. */
static uint32_t put_table(struct sb *dir, struct sb *tab, int t,
	const struct key *rows, uint32_t count, uint32_t bits)
{
	size_t nb = (size_t)1 << bits, i, j;
	size_t *at = xcalloc(nb + 1, sizeof(*at));
	size_t *next = xcalloc(nb, sizeof(*next));
	struct ent *e = NULL;
	uint32_t first, n;
	uint64_t b, sum;

	for (i = 0; i < count; i++)
		if (rows[i].k[t])
			at[(bits ? rows[i].k[t] >> (64 - bits) : 0) + 1]++;
	for (i = 0; i < nb; i++) {
		at[i + 1] += at[i];
		next[i] = at[i];
	}
	e = xcalloc(at[nb] + 1, sizeof(*e));
	for (i = 0; i < count; i++) {
		if (!rows[i].k[t])
			continue;
		b = bits ? rows[i].k[t] >> (64 - bits) : 0;
		e[next[b]].key = rows[i].k[t];
		e[next[b]++].row = (uint32_t)i;
	}
	for (i = 0; i < nb; i++) {
		size_t from = tab->len;

		first = (uint32_t)at[i];
		n = (uint32_t)(at[i + 1] - at[i]);
		xqsort(e + first, n, sizeof(*e), cmp_ent);
		for (j = first; j < at[i + 1]; j++) {
			sb_add_le64(tab, e[j].key);
			sb_add_le32(tab, e[j].row);
		}
		sum = cachefile_sum(tab->buf + from, tab->len - from,
			bucket_seed(t, i));
		sb_add_le32(dir, first);
		sb_add_le32(dir, n);
		sb_add_le64(dir, sum);
	}
	n = (uint32_t)at[nb];
	free(e);
	free(next);
	free(at);
	return n;
}

/* The rows, each with its sum, and where each starts into offs. */
static void put_rows(struct sb *offs, struct sb *out, const struct key *rows,
	uint32_t count)
{
	uint32_t i, off;
	uint16_t len;
	int t;

	for (i = 0; i < count; i++) {
		len = (uint16_t)(strlen(rows[i].path) + 1);
		off = (uint32_t)out->len;
		sb_add_le32(offs, off);
		sb_add_le64(out, 0);	/* the sum, once the row is out */
		for (t = 0; t < NTAB; t++)
			sb_add_le64(out, rows[i].k[t]);
		sb_add_le16(out, len);
		sb_add(out, rows[i].path, len);
		put_le64((unsigned char *)out->buf + off,
			cachefile_sum(out->buf + off + 8, ROW_LEN - 8 + len,
			row_seed(i)));
	}
}

/* The image of rows for tree, whole (its sum included), into out. */
static void build(struct sb *out, const struct repeats *r,
	const struct key *rows, uint32_t count)
{
	struct sb dir = SB_INIT, tab = SB_INIT, offs = SB_INIT, body = SB_INIT;
	uint32_t bits = 0, nent[NTAB];
	uint64_t size;
	int t;

	while (bits < BITS_MAX && (count >> bits) > BUCKET_KEYS)
		bits++;
	for (t = 0; t < NTAB; t++)
		nent[t] = put_table(&dir, &tab, t, rows, count, bits);
	put_rows(&offs, &body, rows, count);
	cachefile_begin(out, KEYS_MAGIC, KEYS_VERSION);
	sb_add_le32(out, count);
	sb_add(out, r->tree.id, GIT_OID_RAWSZ);
	sb_add_le32(out, bits);
	sb_add_le64(out, keys_id(r->keys));
	for (t = 0; t < NTAB; t++)
		sb_add_le32(out, nent[t]);
	size = HDR_LEN + dir.len + tab.len + offs.len + body.len + 8;
	sb_add_le64(out, size);
	sb_add_le64(out, cachefile_sum(out->buf, out->len, KEYS_VERSION));
	sb_add(out, dir.buf, dir.len);
	sb_add(out, tab.buf, tab.len);
	sb_add(out, offs.buf, offs.len);
	sb_add(out, body.buf, body.len);
	sb_add_le64(out, cachefile_sum(out->buf, out->len, KEYS_VERSION));
	sb_release(&dir);
	sb_release(&tab);
	sb_release(&offs);
	sb_release(&body);
}

/*
 * Make the image of tree from the file's rows that still hold and the
 * diff's, and write it (best effort, like the parsed-case cache: without
 * it the next run reads more, nothing else).  -1, nothing changed, when
 * the file turns out damaged: the caller rebuilds.
 */
static int save(struct repeats *r, const git_oid *tree)
{
	struct key *rows = NULL, row;
	size_t n = 0, alloc = 0, i;
	struct sb out = SB_INIT, tmp = SB_INIT;
	int ret = -1;

	if (r->have && load_whole(r))
		goto out;
	strlist_sort(&r->gone);
	for (i = 0; r->have && i < r->lay.count; i++) {
		if (image_row(r, (uint32_t)i, &tmp, &row))
			goto out;
		if (!image_row_holds(r, row.path))
			continue;
		GROW(rows, alloc, n + 1);
		rows[n++] = row;
	}
	/* the cases of repeats_add() are not of tree: not written */
	for (i = 0; i < r->n; i++) {
		if (r->v[i].dead || r->v[i].bulk ||
		    strlen(r->v[i].path) >= UINT16_MAX)
			continue;
		GROW(rows, alloc, n + 1);
		rows[n++] = r->v[i];
	}
	if (tree)
		git_oid_cpy(&r->tree, tree);
	else
		memset(&r->tree, 0, sizeof(r->tree));
	build(&out, r, rows, (uint32_t)n);
	(void)cachefile_replace(r->file, out.buf, out.len, r->shared);
	/* from now on the new image answers, the diff is in it */
	sb_release(&r->img);
	r->img = out;
	sb_init(&out);
	r->mem = r->have = 1;
	ret = parse_header(r, (const unsigned char *)r->img.buf, r->img.len);
	strlist_release(&r->gone);
	strlist_release(&r->gone_dirs);
	for (i = n = 0; i < r->n; i++)
		if (r->v[i].bulk)
			r->v[n++] = r->v[i];
	r->n = n;
out:
	sb_release(&tmp);
	sb_release(&out);
	free(rows);
	return ret;
}
/* ---- from the repository -------------------------------------------- */

static int is_case_name(const char *path)
{
	const char *base = strrchr(path, '/');

	return case_file_name(base ? base + 1 : path);
}

/* HEAD's `cases` tree; *out NULL when there is none yet. */
static int cases_tree(git_tree **out, git_repository *repo)
{
	git_commit *head = NULL;
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	git_oid id;
	int ret = -1, err;

	*out = NULL;
	if (git_reference_name_to_id(&id, repo, "HEAD") < 0 ||
	    git_commit_lookup(&head, repo, &id) < 0 ||
	    git_commit_tree(&root, head) < 0)
		goto out;
	err = git_tree_entry_bypath(&e, root, "cases");
	if (err == GIT_ENOTFOUND) {
		ret = 0;
		goto out;
	}
	if (err < 0 || git_tree_entry_type(e) != GIT_OBJECT_TREE)
		goto out;
	ret = git_tree_lookup(out, repo, git_tree_entry_id(e)) < 0 ? -1 : 0;
out:
	git_tree_entry_free(e);
	git_tree_free(root);
	git_commit_free(head);
	return ret;
}

struct reader {
	struct repeats *r;
	git_repository *repo;
	struct case_cache *cc;
	struct sb path;
	size_t changes;		/* entries that differ, in update() */
};

/* Add the keys of the case in blob id, at path (relative to cases/).
 * A file that does not parse has no keys: `check` reports it. */
static void add_blob(struct reader *rd, const git_oid *id, const char *path)
{
	struct diag d = DIAG_INIT;
	struct dcase c;
	git_blob *b = NULL;
	struct sb enc = SB_INIT;

	case_init(&c);
	if (!rd->cc || !cache_get(rd->cc, id->id, &c)) {
		if (git_blob_lookup(&b, rd->repo, id) < 0)
			goto out;
		sb_reset(&rd->path);
		sb_addf(&rd->path, "cases/%s", path);
		if (case_parse_shared(&c, git_blob_rawcontent(b),
		    (size_t)git_blob_rawsize(b), rd->path.buf, &d))
			goto out;
		/* the next scan of the store finds it parsed */
		if (rd->cc) {
			cache_encode(&enc, &c);
			cache_put(rd->cc, id->id, enc.buf, enc.len);
		}
	}
	add_case(rd->r, path, &c, 0);
out:
	sb_release(&enc);
	git_blob_free(b);
	case_release(&c);
	diag_release(&d);
}

static int walk_one(const char *root, const git_tree_entry *e, void *data)
{
	struct reader *rd = data;
	struct sb path = SB_INIT;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	sb_addf(&path, "%s%s", root, git_tree_entry_name(e));
	if (is_case_name(path.buf))
		add_blob(rd, git_tree_entry_id(e), path.buf);
	sb_release(&path);
	return 0;
}

/* Read the keys of every case of now (the image already forgotten). */
static int rebuild(struct reader *rd, git_tree *now)
{
	if (!now)
		return 0;
	return git_tree_walk(now, GIT_TREEWALK_PRE, walk_one, rd) < 0 ? -1 : 0;
}

static int diff_trees(struct reader *rd, const git_tree *a,
	const git_tree *b, const char *prefix, int depth);

/* One entry present in a (old) or b (new) or both, at prefix. */
static int diff_entry(struct reader *rd, const git_tree_entry *ea,
	const git_tree_entry *eb, const char *prefix, int depth)
{
	git_tree *ta = NULL, *tb = NULL;
	struct sb path = SB_INIT;
	int ret = 0;

	if (ea && eb && git_oid_equal(git_tree_entry_id(ea),
	    git_tree_entry_id(eb)))
		return 0;
	if (++rd->changes > DIFF_MAX || depth > 8)
		return -1;
	sb_addf(&path, "%s%s", prefix,
		git_tree_entry_name(ea ? ea : eb));
	if (ea && git_tree_entry_type(ea) == GIT_OBJECT_BLOB)
		drop_path(rd->r, path.buf);
	if (ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE &&
	    (!eb || git_tree_entry_type(eb) != GIT_OBJECT_TREE)) {
		sb_addc(&path, '/');
		drop_prefix(rd->r, path.buf);
		goto out;
	}
	if (eb && git_tree_entry_type(eb) == GIT_OBJECT_BLOB) {
		if (is_case_name(path.buf))
			add_blob(rd, git_tree_entry_id(eb), path.buf);
	} else if (eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE) {
		if ((ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&ta, rd->repo, git_tree_entry_id(ea)) < 0) ||
		    git_tree_lookup(&tb, rd->repo, git_tree_entry_id(eb)) < 0) {
			ret = -1;
			goto out;
		}
		sb_addc(&path, '/');
		ret = diff_trees(rd, ta, tb, path.buf, depth + 1);
	}
out:
	git_tree_free(ta);
	git_tree_free(tb);
	sb_release(&path);
	return ret;
}

/*
 * Apply what changed from tree a to tree b (either may be NULL), going
 * down only into subtrees whose ids differ: a commit touches one folder,
 * so this reads a handful of trees however large the store is.
 */
static int diff_trees(struct reader *rd, const git_tree *a,
	const git_tree *b, const char *prefix, int depth)
{
	size_t i = 0, j = 0, na, nb;
	const git_tree_entry *ea, *eb;
	int c, ret = 0;

	na = a ? git_tree_entrycount(a) : 0;
	nb = b ? git_tree_entrycount(b) : 0;
	while (!ret && (i < na || j < nb)) {
		ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		c = !ea ? 1 : !eb ? -1 : strcmp(git_tree_entry_name(ea),
			git_tree_entry_name(eb));
		if (c < 0)
			eb = NULL;
		else if (c > 0)
			ea = NULL;
		i += ea != NULL;
		j += eb != NULL;
		ret = diff_entry(rd, ea, eb, prefix, depth);
	}
	return ret;
}

/* Apply what changed between the file's tree and now; -1 to rebuild. */
static int update(struct reader *rd, git_tree *now)
{
	git_tree *old = NULL;
	int ret = -1;

	if (git_tree_lookup(&old, rd->repo, &rd->r->tree) == 0)
		ret = diff_trees(rd, old, now, "", 0);
	git_tree_free(old);
	strlist_sort(&rd->r->gone);
	return ret;
}

/* ---- opening ------------------------------------------------------------ */

/* Read every case of now, forgetting the image, and write the file. */
static int rebuild_all(struct reader *rd, git_tree *now)
{
	int ret;

	forget_image(rd->r);
	rd->cc = cache_open(rd->r->root);
	ret = rebuild(rd, now);
	cache_save(rd->cc, 0);
	if (!ret)
		ret = save(rd->r, now ? git_tree_id(now) : NULL);
	return ret;
}

/*
 * Bring the image up to date with HEAD: as it is when its tree is
 * HEAD's, else the diff from its tree held beside it (written into a
 * new file once SAVE_AFTER entries changed), else every case read again
 * (no file, a damaged one, one of another version or secret).
 * fresh: do not trust the file, read every case.
 */
static int refresh(struct repeats *r, int fresh)
{
	struct reader rd = { r, NULL, NULL, SB_INIT, 0 };
	git_tree *now = NULL;
	int ret = -1;

	if (git_repository_open(&rd.repo, r->root) < 0 ||
	    cases_tree(&now, rd.repo) < 0)
		goto out;
	if (fresh)
		forget_image(r);
	else if (!r->have)
		(void)open_file(r);
	if (r->have && (now ? git_oid_equal(&r->tree, git_tree_id(now)) :
	    git_oid_is_zero(&r->tree))) {
		ret = 0;
		goto out;
	}
	/* A few changed cases are parsed faster than the parsed-case cache
	 * (all of the store) is opened; a rebuild reads them all. */
	if (r->have && now && !git_oid_is_zero(&r->tree) && !update(&rd, now) &&
	    (rd.changes < SAVE_AFTER || !save(r, git_tree_id(now)))) {
		ret = 0;
		goto out;
	}
	ret = rebuild_all(&rd, now);
out:
	cache_free(rd.cc);
	sb_release(&rd.path);
	git_tree_free(now);
	git_repository_free(rd.repo);
	return ret;
}

struct repeats *repeats_open(const char *root)
{
	struct repeats *r = xcalloc(1, sizeof(*r));
	git_repository *repo = NULL;
	struct sb p = SB_INIT;
	struct diag quiet = DIAG_INIT;
	int ok = 0;

	git_libgit2_init();
	r->fd = -1;
	sb_init(&r->img);
	r->root = xstrdup(root);
	if (git_repository_open(&repo, root) < 0)
		goto out;
	sb_addf(&p, "%s%s", git_repository_path(repo), REPEATS_FILE);
	r->file = sb_detach(&p, NULL);
	r->shared = store_shared_config(repo);
	/* no secret (a read-only store): no keys; the caller reads every
	 * case instead, which finds the same repeats */
	if (keys_open(&r->keys, git_repository_path(repo), r->shared,
	    &quiet))
		goto out;
	ok = !refresh(r, 0);
out:
	git_repository_free(repo);
	git_libgit2_shutdown();
	diag_release(&quiet);
	if (!ok) {
		repeats_close(r);
		return NULL;
	}
	return r;
}

/*
 * The image's rows whose key of table t is key, then the diff's and
 * those added since: once, sorted.  A damaged piece of the file makes
 * it rebuilt, and the question asked again of the new image; -1 when
 * even that fails.
 */
static int find(struct repeats *r, int t, uint64_t key,
	struct strlist *paths)
{
	struct strlist found = STRLIST_INIT;
	size_t i;
	int ret = 0;

	if (!key)
		return 0;
	if (r->have && image_find(r, t, key, &found)) {
		strlist_release(&found);
		git_libgit2_init();
		ret = refresh(r, 1);
		git_libgit2_shutdown();
		if (ret || (r->have && image_find(r, t, key, &found)))
			ret = -1;
	}
	for (i = 0; !ret && i < r->n; i++)
		if (!r->v[i].dead && r->v[i].k[t] == key)
			push_path(&found, r->v[i].path);
	strlist_sort(&found);
	for (i = 0; !ret && i < found.n; i++)
		if (!strlist_has(paths, found.v[i]))
			strlist_push(paths, found.v[i]);
	strlist_release(&found);
	return ret;
}

int repeats_candidates(struct repeats *r, const struct dcase *c,
	struct strlist *paths)
{
	struct strlist found = STRLIST_INIT;
	size_t i;
	int ret;

	/* in path order, the phone's and the name's mixed, as a scan */
	if (!(ret = find(r, T_PHONE, repeats_phone_key(r, c), &found)) &&
	    !(ret = find(r, T_WHO, repeats_who_key(r, c), &found))) {
		strlist_sort(&found);
		for (i = 0; i < found.n; i++)
			if (!strlist_has(paths, found.v[i]))
				strlist_push(paths, found.v[i]);
	}
	strlist_release(&found);
	return ret;
}

int repeats_find(struct repeats *r, enum repeats_key which, uint64_t key,
	struct strlist *paths)
{
	return find(r, which == RK_PHONE ? T_PHONE : which == RK_RESPONDENT ?
		T_RESP : T_NAME, key, paths);
}

void repeats_add(struct repeats *r, const char *path, const struct dcase *c)
{
	size_t i;

	if (!strncmp(path, "cases/", 6))
		path += 6;
	strlist_push(&r->readded, path);
	for (i = 0; i < r->n; i++)
		if (!r->v[i].dead && !strcmp(r->v[i].path, path))
			r->v[i].dead = 1;
	add_case(r, path, c, 1);
}

void repeats_close(struct repeats *r)
{
	if (!r)
		return;
	forget_image(r);
	free(r->root);
	free(r->file);
	keys_close(r->keys);
	free(r->v);
	sb_release(&r->img);
	strlist_release(&r->readded);
	strlist_release(&r->own);
	free(r);
}
