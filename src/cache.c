/*
 * cache.c - parsed cases kept between runs, keyed by blob id.
 *
 * File layout (little endian, sums cachefile_sum(): cachefile.h):
 *   header  "DKTCACHE" | u32 version | u32 count | u64 data_len | u64 sum
 *   table   count x { oid[20] | u32 len | u64 off | u64 sum }, by oid
 *   data    the encoded cases, in table order
 * The header's sum is of the table, seeded with the sum of the header
 * before it; each entry's, of its bytes, checked when the entry is
 * decoded: opening a 70 MB cache then reads only its table, and the
 * entries are checked on every core.  Version 7 summed with a home-made
 * hash, and the header's fields were not summed.
 *
 * Bump CACHE_VERSION whenever the encoding or what case_parse() makes
 * of a file changes: entries written by another version are not used.
 */
#include <errno.h>
#include <fcntl.h>
#include <git2.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "cachefile.h"
#include "gitindex.h"
#include "store.h"
#include "ytree.h"

#define CACHE_MAGIC "DKTCACHE"
#define CACHE_VERSION 8u
#define HDR_LEN 32
#define ENT_LEN 40
#define MAX_NODE_DEPTH (YT_MAX_DEPTH + 2)

struct centry {
	unsigned char oid[CACHE_OID_LEN];
	uint32_t len;
	uint64_t off;
	uint64_t sum;
	const unsigned char *data;	/* in the old file or the new buffer */
};

/* An entry of git's index for a case file (see open_index()). */
struct ient {
	const struct gix_ent *e;
	const char *path;
};

struct case_cache {
	char *root;
	char *file;		/* .git/docket-cache */
	int shared;		/* core.sharedRepository: group access */
	git_repository *repo;
	int own_repo;		/* opened here (cache_open), not the store's */
	int filters;		/* git converts case files (eol): no vouching */
	struct gix *idx;	/* git's index; NULL: no vouching */
	struct ient *ents;	/* its stage-0 case files, in path order */
	size_t nents;
	struct cache_dir dir;	/* for cache_blob_id() */
	unsigned char *old;	/* the file, mapped */
	size_t oldlen;
	size_t nold;
	uint32_t *slots;	/* hash of oid -> entry + 1 */
	size_t mask;
	const unsigned char *table;
	const unsigned char *data;
	unsigned char *used;	/* per old entry */
	size_t nused;
	struct sb fresh;	/* new entries' bytes */
	struct centry *add;	/* new entries (data offsets into fresh) */
	size_t nadd, aadd;
};

/* ---- encoding ---------------------------------------------------------- */

static void put_uv(struct sb *out, uint64_t v)
{
	unsigned char b[10];
	size_t n = 0;

	/* most numbers of a case take one byte: put in place, not through
	 * sb_add() (a case's entry is some two hundred of them) */
	if (v < 0x80 && out->len + 1 < out->alloc) {
		out->buf[out->len++] = (char)v;
		out->buf[out->len] = '\0';
		return;
	}
	while (v >= 0x80) {
		b[n++] = (unsigned char)(v | 0x80);
		v >>= 7;
	}
	b[n++] = (unsigned char)v;
	sb_add(out, b, n);
}

static void put_sv(struct sb *out, int64_t v)
{
	put_uv(out, v < 0 ? ((~(uint64_t)v) << 1) | 1 : (uint64_t)v << 1);
}

/* 0 for NULL, else length + 1 and the bytes. */
static void put_str(struct sb *out, const char *s)
{
	size_t n;

	if (!s) {
		put_uv(out, 0);
		return;
	}
	n = strlen(s);
	put_uv(out, (uint64_t)n + 1);
	/* with its NUL: a read-only decode points at it in place */
	sb_add(out, s, n + 1);
}

static void put_ts(struct sb *out, struct ts t)
{
	put_sv(out, t.t);
	put_sv(out, t.off);
}

static void put_strv(struct sb *out, char *const *v, size_t n)
{
	size_t i;

	put_uv(out, n);
	for (i = 0; i < n; i++)
		put_str(out, v[i]);
}

static void put_node(struct sb *out, const struct ynode *n)
{
	size_t i;

	put_uv(out, (uint64_t)n->type);
	put_uv(out, (uint64_t)n->style);
	put_uv(out, (uint64_t)!!n->flow);
	put_sv(out, n->line);
	put_sv(out, n->col);
	put_str(out, n->str);
	if (n->type == YT_SCALAR)
		return;
	put_uv(out, n->n);
	for (i = 0; i < n->n; i++) {
		if (n->type == YT_SEQ) {
			put_node(out, n->items[i]);
		} else {
			put_node(out, n->pairs[i].key);
			put_node(out, n->pairs[i].val);
		}
	}
}

static void put_extras(struct sb *out, const struct extra *x, size_t n)
{
	size_t i;

	put_uv(out, n);
	for (i = 0; i < n; i++) {
		put_str(out, x[i].key);
		put_sv(out, x[i].line);
		put_sv(out, x[i].col);
		put_node(out, x[i].val);
	}
}

static void put_events(struct sb *out, const struct dcase *c)
{
	size_t i, j;

	put_uv(out, c->nevents);
	for (i = 0; i < c->nevents; i++) {
		const struct event *e = &c->events[i];

		put_ts(out, e->at);
		put_str(out, e->by);
		put_str(out, e->action);
		put_uv(out, e->nf);
		for (j = 0; j < e->nf; j++) {
			put_str(out, e->f[j].key);
			put_uv(out, (uint64_t)!!e->f[j].is_list);
			if (e->f[j].is_list)
				put_strv(out, e->f[j].list, e->f[j].nlist);
			else
				put_str(out, e->f[j].val);
		}
	}
}

void cache_trim(struct dcase *c)
{
	/* the one text an entry does not keep: nothing reads it from a
	 * scan, and it is the longest a closed case has (a read-only
	 * case's is in its arena) */
	if (c->arena)
		c->closure.summary = NULL;
	else
		set_str(&c->closure.summary, NULL);
}

void cache_encode(struct sb *out, const struct dcase *c)
{
	const struct closure *cl = &c->closure;
	size_t i;

	put_str(out, c->id);
	put_uv(out, (uint64_t)c->kind);
	put_uv(out, (uint64_t)c->status);
	put_str(out, c->subject);
	put_str(out, c->channel);
	put_ts(out, c->received_at);
	put_str(out, c->received_by);
	put_str(out, c->who.name);
	put_str(out, c->who.phone);
	put_str(out, c->who.email);
	put_str(out, c->who.address);
	put_sv(out, c->who.anonymous);
	put_sv(out, c->who.count);
	put_extras(out, c->who.extra, c->who.nextra);
	put_sv(out, c->collective);
	put_str(out, c->respondent);
	put_str(out, c->ref);
	put_str(out, c->location);
	/* `list --text` searches them on every core */
	put_str(out, c->description);
	put_str(out, c->request);
	put_sv(out, c->has_occurred);
	put_sv(out, c->occurred_on.y);
	put_sv(out, c->occurred_on.m);
	put_sv(out, c->occurred_on.d);
	put_str(out, c->category);
	put_str(out, c->priority);
	put_str(out, c->department);
	put_strv(out, c->co_departments, c->nco);
	put_str(out, c->assignee);
	put_uv(out, c->due.has);
	for (i = 0; i < DUE__COUNT; i++)
		put_ts(out, c->due.at[i]);
	put_strv(out, c->related, c->nrelated);
	put_uv(out, c->natt);
	for (i = 0; i < c->natt; i++) {
		put_str(out, c->att[i].path);
		put_str(out, c->att[i].sha256);
	}
	put_sv(out, cl->present);
	put_ts(out, cl->at);
	put_str(out, cl->by);
	put_str(out, cl->outcome);
	put_sv(out, cl->notified);
	put_ts(out, cl->notified_at);
	put_str(out, cl->notified_via);
	put_str(out, cl->satisfaction);
	put_sv(out, cl->on_time);
	put_extras(out, cl->extra, cl->nextra);
	put_events(out, c);
	put_extras(out, c->extra, c->nextra);
	for (i = 0; i < F__COUNT; i++) {
		put_sv(out, c->mark[i].line);
		put_sv(out, c->mark[i].col);
	}
}

/* ---- decoding ---------------------------------------------------------- */

struct rd {
	const unsigned char *p, *end;
	int bad;
	struct arena *arena;	/* NULL: each piece its own allocation */
};

static void *rd_alloc(struct rd *r, size_t n, size_t size)
{
	return r->arena ? arena_calloc(r->arena, n, size) : xcalloc(n, size);
}

static uint64_t get_uv_long(struct rd *r)
{
	uint64_t v = 0;
	int shift = 0;

	while (r->p < r->end && shift < 64) {
		unsigned char b = *r->p++;

		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
		shift += 7;
	}
	r->bad = 1;
	return 0;
}

/* Most numbers of an entry are below 128, one byte: read in place (a
 * case is some 150 numbers, the largest part of decoding it). */
static inline uint64_t get_uv(struct rd *r)
{
	if (r->p < r->end && *r->p < 0x80)
		return *r->p++;
	return get_uv_long(r);
}

static inline int64_t get_sv(struct rd *r)
{
	uint64_t u = get_uv(r);

	return u & 1 ? (int64_t)~(u >> 1) : (int64_t)(u >> 1);
}

static inline int get_int(struct rd *r)
{
	int64_t v = get_sv(r);

	if (v < -2147483647 || v > 2147483647)
		r->bad = 1;
	return r->bad ? 0 : (int)v;
}

/* A count of items that each take at least one byte. */
static size_t get_count(struct rd *r)
{
	uint64_t n = get_uv(r);

	if (n > (uint64_t)(r->end - r->p)) {
		r->bad = 1;
		return 0;
	}
	return (size_t)n;
}

static inline char *get_str(struct rd *r)
{
	uint64_t n = get_uv(r);
	char *s;

	if (!n || r->bad)
		return NULL;
	n--;
	/* the NUL that ends it must be there; one inside (only a damaged
	 * entry whose sum still holds could have it) would cut the string
	 * short, nothing worse: not looked for on every string */
	if (n >= (uint64_t)(r->end - r->p) || r->p[n]) {
		r->bad = 1;
		return NULL;
	}
	if (r->arena) {
		/* read-only case: the string where it lies */
		s = (char *)r->p;
	} else {
		s = xmalloc((size_t)n + 1);
		memcpy(s, r->p, (size_t)n + 1);
	}
	r->p += n + 1;
	return s;
}

static inline struct ts get_ts(struct rd *r)
{
	struct ts t;

	t.t = get_sv(r);
	t.off = get_int(r);
	return t;
}

static char **get_strv(struct rd *r, size_t *n)
{
	char **v;
	size_t i;

	*n = get_count(r);
	if (!*n)
		return NULL;
	v = rd_alloc(r, append_cap(*n), sizeof(*v));
	for (i = 0; i < *n; i++)
		if (!(v[i] = get_str(r)))
			r->bad = 1;
	return v;
}

static struct ynode *get_node(struct rd *r, int depth)
{
	struct ynode *n;
	uint64_t type, style;
	size_t i;

	type = get_uv(r);
	style = get_uv(r);
	if (r->bad || depth > MAX_NODE_DEPTH || type > YT_SEQ ||
	    style > YT_BLOCK) {
		r->bad = 1;
		return NULL;
	}
	n = rd_alloc(r, 1, sizeof(*n));
	n->type = (enum yt_type)type;
	n->style = (enum yt_style)style;
	n->flow = (int)get_uv(r);
	n->line = get_int(r);
	n->col = get_int(r);
	n->str = get_str(r);
	n->len = n->str ? strlen(n->str) : 0;
	if (type == YT_SCALAR) {
		if (!n->str)
			r->bad = 1;
		return n;
	}
	n->n = get_count(r);
	if (!n->n)
		return n;
	if (type == YT_SEQ) {
		n->items = rd_alloc(r, n->n, sizeof(*n->items));
		for (i = 0; i < n->n && !r->bad; i++)
			n->items[i] = get_node(r, depth + 1);
	} else {
		n->pairs = rd_alloc(r, n->n, sizeof(*n->pairs));
		for (i = 0; i < n->n && !r->bad; i++) {
			n->pairs[i].key = get_node(r, depth + 1);
			if (!r->bad)
				n->pairs[i].val = get_node(r, depth + 1);
		}
	}
	if (r->bad) {
		/* ynode_free() expects every slot filled */
		for (i = 0; i < n->n; i++) {
			if (type == YT_SEQ && !n->items[i])
				n->items[i] = rd_alloc(r, 1,
					sizeof(struct ynode));
			if (type == YT_MAP && !n->pairs[i].key)
				n->pairs[i].key = rd_alloc(r, 1,
					sizeof(struct ynode));
			if (type == YT_MAP && !n->pairs[i].val)
				n->pairs[i].val = rd_alloc(r, 1,
					sizeof(struct ynode));
		}
	}
	return n;
}

static struct extra *get_extras(struct rd *r, size_t *n)
{
	struct extra *x;
	size_t i;

	*n = get_count(r);
	if (!*n)
		return NULL;
	x = rd_alloc(r, append_cap(*n), sizeof(*x));
	for (i = 0; i < *n && !r->bad; i++) {
		x[i].key = get_str(r);
		x[i].line = get_int(r);
		x[i].col = get_int(r);
		x[i].val = get_node(r, 0);
		if (!x[i].key || !x[i].val)
			r->bad = 1;
	}
	return x;
}

static void get_event(struct rd *r, struct event *e)
{
	size_t j;

	e->at = get_ts(r);
	e->by = get_str(r);
	e->action = get_str(r);
	e->nf = get_count(r);
	if (!e->by || !e->action)
		r->bad = 1;
	if (!e->nf)
		return;
	e->f = rd_alloc(r, append_cap(e->nf), sizeof(*e->f));
	for (j = 0; j < e->nf && !r->bad; j++) {
		struct event_field *f = &e->f[j];

		f->key = get_str(r);
		f->is_list = (int)get_uv(r);
		if (f->is_list)
			f->list = get_strv(r, &f->nlist);
		else
			f->val = get_str(r);
		if (!f->key || f->is_list > 1 || (!f->is_list && !f->val))
			r->bad = 1;
	}
}

static void get_events(struct rd *r, struct dcase *c)
{
	size_t i;

	c->nevents = get_count(r);
	if (!c->nevents)
		return;
	c->events = rd_alloc(r, append_cap(c->nevents), sizeof(*c->events));
	for (i = 0; i < c->nevents && !r->bad; i++)
		get_event(r, &c->events[i]);
}

static void get_case(struct rd *r, struct dcase *c)
{
	struct closure *cl = &c->closure;
	uint64_t kind, status;
	size_t i;

	c->id = get_str(r);
	kind = get_uv(r);
	status = get_uv(r);
	if (kind > KIND_REPORT || status >= ST__COUNT)
		r->bad = 1;
	c->kind = r->bad ? KIND_COMPLAINT : (enum case_kind)kind;
	c->status = r->bad ? ST_RECEIVED : (enum case_status)status;
	c->subject = get_str(r);
	c->channel = get_str(r);
	c->received_at = get_ts(r);
	c->received_by = get_str(r);
	c->who.name = get_str(r);
	c->who.phone = get_str(r);
	c->who.email = get_str(r);
	c->who.address = get_str(r);
	c->who.anonymous = get_int(r);
	c->who.count = (long)get_sv(r);
	c->who.extra = get_extras(r, &c->who.nextra);
	c->collective = get_int(r);
	c->respondent = get_str(r);
	c->ref = get_str(r);
	c->location = get_str(r);
	c->description = get_str(r);
	c->request = get_str(r);
	c->has_occurred = get_int(r);
	c->occurred_on.y = get_int(r);
	c->occurred_on.m = get_int(r);
	c->occurred_on.d = get_int(r);
	c->category = get_str(r);
	c->priority = get_str(r);
	c->department = get_str(r);
	c->co_departments = get_strv(r, &c->nco);
	c->assignee = get_str(r);
	c->due.has = (unsigned)get_uv(r);
	for (i = 0; i < DUE__COUNT; i++)
		c->due.at[i] = get_ts(r);
	c->related = get_strv(r, &c->nrelated);
	c->natt = get_count(r);
	if (c->natt) {
		c->att = rd_alloc(r, c->natt, sizeof(*c->att));
		for (i = 0; i < c->natt && !r->bad; i++) {
			c->att[i].path = get_str(r);
			c->att[i].sha256 = get_str(r);
		}
	}
	cl->present = get_int(r);
	cl->at = get_ts(r);
	cl->by = get_str(r);
	cl->outcome = get_str(r);
	cl->notified = get_int(r);
	cl->notified_at = get_ts(r);
	cl->notified_via = get_str(r);
	cl->satisfaction = get_str(r);
	cl->on_time = get_int(r);
	cl->extra = get_extras(r, &cl->nextra);
	get_events(r, c);
	c->extra = get_extras(r, &c->nextra);
	for (i = 0; i < F__COUNT; i++) {
		c->mark[i].line = get_int(r);
		c->mark[i].col = get_int(r);
	}
	if (!c->id)
		r->bad = 1;
}

static int decode(struct dcase *out, const void *buf, size_t len,
	int shared, struct arena *mem)
{
	struct rd r;

	r.p = buf;
	r.end = r.p + len;
	r.bad = 0;
	/* only the arrays go in the arena: they take less than the
	 * encoding's bytes, mostly */
	r.arena = shared ? arena_reuse(mem, len + 512) : NULL;
	case_init(out);
	out->arena = r.arena;
	get_case(&r, out);
	if (r.bad || r.p != r.end) {
		case_release(out);
		return ERR_INVALID;
	}
	return 0;
}

int cache_decode(struct dcase *out, const void *buf, size_t len)
{
	return decode(out, buf, len, 0, NULL);
}

void cache_hash(const void *buf, size_t len, unsigned char oid[CACHE_OID_LEN])
{
	git_oid id;

	git_odb_hash(&id, buf, len, GIT_OBJECT_BLOB);
	memcpy(oid, id.id, CACHE_OID_LEN);
}

void cache_hash_filtered(const void *buf, size_t len,
	unsigned char oid[CACHE_OID_LEN])
{
	const char *p = buf;
	struct sb lf = SB_INIT;
	size_t i;

	if (!memchr(buf, '\r', len)) {
		cache_hash(buf, len, oid);
		return;
	}
	/* git's clean conversion of a text file: each CRLF becomes LF */
	sb_grow(&lf, len);
	for (i = 0; i < len; i++)
		if (!(p[i] == '\r' && i + 1 < len && p[i + 1] == '\n'))
			sb_addc(&lf, p[i]);
	cache_hash(lf.buf, lf.len, oid);
	sb_release(&lf);
}

/* ---- the file ---------------------------------------------------------- */

/* The header's sum: of the count entries of table, seeded with the sum
 * of the header's fields, so that a count or a length damaged fails it
 * too. */
static uint64_t table_sum(const unsigned char *hdr,
	const unsigned char *table, uint64_t count)
{
	return cachefile_sum(table, (size_t)count * ENT_LEN,
		cachefile_sum(hdr, HDR_LEN - 8, CACHE_VERSION));
}

/* 0 if buf holds a sound cache file: header, table and the places of
 * the entries (their bytes are checked when decoded). */
static int verify(const unsigned char *buf, size_t len)
{
	uint64_t count, dlen, off = 0;
	const unsigned char *t, *prev = NULL;
	size_t i;

	if (len < HDR_LEN || memcmp(buf, CACHE_MAGIC, 8) ||
	    get_le32(buf + 8) != CACHE_VERSION)
		return -1;
	count = get_le32(buf + 12);
	dlen = get_le64(buf + 16);
	if (count > (len - HDR_LEN) / ENT_LEN ||
	    dlen != len - HDR_LEN - count * ENT_LEN)
		return -1;
	t = buf + HDR_LEN;
	if (table_sum(buf, t, count) != get_le64(buf + 24))
		return -1;
	for (i = 0; i < count; i++, t += ENT_LEN) {
		uint32_t n = get_le32(t + CACHE_OID_LEN);

		if (get_le64(t + CACHE_OID_LEN + 4) != off || n > dlen - off ||
		    (prev && memcmp(prev, t, CACHE_OID_LEN) >= 0))
			return -1;
		off += n;
		prev = t;
	}
	return off == dlen ? 0 : -1;
}

static uint32_t oid_hash(const unsigned char *oid)
{
	return get_le32(oid);
}

/* Open-addressing table over the old entries. */
static void build_slots(struct case_cache *cc)
{
	size_t size = 16, i, k;

	while (size < cc->nold * 2)
		size <<= 1;
	cc->mask = size - 1;
	cc->slots = xcalloc(size, sizeof(*cc->slots));
	for (i = 0; i < cc->nold; i++) {
		k = oid_hash(cc->table + i * ENT_LEN) & cc->mask;
		while (cc->slots[k])
			k = (k + 1) & cc->mask;
		cc->slots[k] = (uint32_t)i + 1;
	}
}

static void load(struct case_cache *cc)
{
	void *map = MAP_FAILED;
	struct stat st;
	size_t len;
	int fd;

	/* a FIFO or a symbolic link put there is never waited on or
	 * followed: the cache is rebuilt over it */
	fd = open(cc->file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size < HDR_LEN ||
	    (uint64_t)st.st_size > SIZE_MAX / 2)
		goto out;
	len = (size_t)st.st_size;
	map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED)
		goto out;
	if (verify(map, len)) {
		munmap(map, len);
		goto out;
	}
	cc->old = map;
	cc->oldlen = len;
	cc->nold = get_le32(cc->old + 12);
	cc->table = cc->old + HDR_LEN;
	cc->data = cc->table + cc->nold * ENT_LEN;
	cc->used = xcalloc(cc->nold ? cc->nold : 1, 1);
	build_slots(cc);
out:
	close(fd);
}

/* 1 if git may turn work-tree bytes into other blob bytes (filters). */
/*
 * 1 if git would filter case files on their way into the repository
 * (core.autocrlf, an eol or filter attribute): their blob ids are then
 * not the hash of their bytes.  libgit2 is asked about a case path, so
 * the "-text" rule `docket init` writes for cases keeps the fast way.
 */
int cache_filters_cases(git_repository *repo)
{
	git_filter_list *fl = NULL;
	int ret;

	if (!repo)
		return 0;
	ret = git_filter_list_load(&fl, repo, NULL,
		"cases/2026/000/2026-000001.yaml", GIT_FILTER_TO_ODB, 0);
	git_filter_list_free(fl);
	return ret < 0 || fl != NULL;
}

/*
 * git's index (gitindex.c, without its checksum: like git we do not
 * verify it on every read).  An entry vouches for a file only when its
 * stat data matches, so a damaged entry makes us hash the file, never
 * trust it.  An index that holds only part of its entries (split,
 * sparse) or one unreadable vouches for nothing.
 */
static void open_index(struct case_cache *cc)
{
	struct diag quiet = DIAG_INIT;
	struct sb p = SB_INIT;
	size_t i, alloc = 0;

	cc->filters = cache_filters_cases(cc->repo);
	if (cc->filters)
		goto out;
	sb_addf(&p, "%sindex", git_repository_path(cc->repo));
	if (gix_read(&cc->idx, p.buf, 0, &quiet))
		goto out;
	if (!cc->idx->map || cc->idx->partial) {
		gix_free(cc->idx);
		cc->idx = NULL;
		goto out;
	}
	for (i = 0; i < cc->idx->n; i++) {
		const struct gix_ent *e = &cc->idx->e[i];

		if ((e->flags & GIX_STAGEMASK) || !case_file_path(e->path))
			continue;
		GROW(cc->ents, alloc, cc->nents + 1);
		cc->ents[cc->nents].e = e;
		cc->ents[cc->nents++].path = e->path;
	}
out:
	diag_release(&quiet);
	sb_release(&p);
}

static struct case_cache *cache_start(git_repository *repo, const char *root,
	int shared)
{
	struct case_cache *cc = xcalloc(1, sizeof(*cc));
	struct sb p = SB_INIT;

	cc->root = xstrdup(root);
	cc->dir.fd = -1;
	sb_init(&cc->fresh);
	cc->repo = repo;
	if (!repo)
		return cc;
	sb_addf(&p, "%s%s", git_repository_path(cc->repo), CACHE_FILE);
	cc->file = sb_detach(&p, NULL);
	cc->shared = shared;
	open_index(cc);
	load(cc);
	return cc;
}

struct case_cache *cache_open_store(struct store *s)
{
	return cache_start(store_repo(s), store_root(s), store_shared(s));
}

struct case_cache *cache_open(const char *root)
{
	struct case_cache *cc;
	git_repository *repo = NULL;

	git_libgit2_init();
	if (git_repository_open(&repo, root) < 0)
		repo = NULL;
	cc = cache_start(repo, root, repo ? store_shared_config(repo) : 0);
	cc->own_repo = 1;
	return cc;
}

void cache_free(struct case_cache *cc)
{
	if (!cc)
		return;
	gix_free(cc->idx);
	free(cc->ents);
	cache_dir_release(&cc->dir);
	if (cc->own_repo) {
		git_repository_free(cc->repo);
		git_libgit2_shutdown();
	}
	free(cc->root);
	free(cc->file);
	if (cc->old)
		munmap(cc->old, cc->oldlen);
	free(cc->slots);
	free(cc->used);
	free(cc->add);
	sb_release(&cc->fresh);
	free(cc);
}

void cache_dir_release(struct cache_dir *dir)
{
	if (dir->fd >= 0)
		close(dir->fd);
	free(dir->name);
	dir->name = NULL;
	dir->fd = -1;
}

/* lstat() of root/path through a descriptor on its folder. */
static int stat_in_dir(const char *root, struct cache_dir *dir,
	const char *path, struct stat *st)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	struct sb abs = SB_INIT;

	if (!dir->name || strlen(dir->name) != dlen ||
	    strncmp(dir->name, path, dlen)) {
		cache_dir_release(dir);
		dir->name = xstrndup(path, dlen);
		sb_adds(&abs, root);
		sb_addc(&abs, '/');
		sb_adds(&abs, dir->name);
		dir->fd = open(abs.buf, O_PATH | O_DIRECTORY | O_CLOEXEC |
			O_NOFOLLOW);
		sb_release(&abs);
	}
	if (dir->fd < 0)
		return -1;
	return fstatat(dir->fd, slash ? slash + 1 : path, st,
		AT_SYMLINK_NOFOLLOW);
}

size_t cache_tracked_count(const struct case_cache *cc)
{
	return cc->nents;
}

int cache_filters(const struct case_cache *cc)
{
	return cc->filters;
}

int cache_vouches(const struct case_cache *cc)
{
	return cc->idx != NULL;
}

const char *cache_tracked_path(const struct case_cache *cc, size_t k)
{
	return cc->ents[k].path;
}

int cache_tracked_blob(const struct case_cache *cc, size_t k,
	struct cache_dir *dir, unsigned char oid[CACHE_OID_LEN],
	struct stat *st)
{
	const struct ient *ie = &cc->ents[k];

	st->st_mode = 0;
	if (stat_in_dir(cc->root, dir, ie->path, st) < 0) {
		st->st_mode = 0;
		return -1;
	}
	if (!S_ISREG(st->st_mode) || !gix_stat_matches(cc->idx, ie->e, st))
		return -1;
	memcpy(oid, gix_oid(ie->e), CACHE_OID_LEN);
	return 0;
}

int cache_read_tracked(const struct cache_dir *dir, const char *path,
	const struct stat *st, size_t max, struct sb *out)
{
	const char *name = strrchr(path, '/');
	size_t want = (size_t)st->st_size;
	ssize_t n;
	int fd;

	if (dir->fd < 0 || !S_ISREG(st->st_mode) || st->st_size < 0 ||
	    want > max)
		return -1;
	/* O_NONBLOCK: a FIFO put in its place since must not block */
	fd = openat(dir->fd, name ? name + 1 : path, O_RDONLY | O_CLOEXEC |
		O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0)
		return -1;
	sb_grow(out, want + 1);
	/* one byte more than it had: a file that grew is not taken */
	n = read(fd, out->buf + out->len, want + 1);
	close(fd);
	if (n < 0 || (size_t)n != want)
		return -1;
	out->len += want;
	out->buf[out->len] = '\0';
	return 0;
}

const unsigned char *cache_tracked_oid(const struct case_cache *cc, size_t k)
{
	return gix_oid(cc->ents[k].e);
}

int cache_blob_id(struct case_cache *cc, const char *path,
	unsigned char oid[CACHE_OID_LEN])
{
	size_t lo = 0, hi = cc->nents, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(cc->ents[mid].path, path);
		if (!c) {
			struct stat st;

			return cache_tracked_blob(cc, mid, &cc->dir, oid, &st);
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

long cache_find(const struct case_cache *cc,
	const unsigned char oid[CACHE_OID_LEN])
{
	size_t k;
	uint32_t v;

	if (!cc->slots)
		return -1;
	k = oid_hash(oid) & cc->mask;
	while ((v = cc->slots[k])) {
		if (!memcmp(cc->table + (size_t)(v - 1) * ENT_LEN, oid,
		    CACHE_OID_LEN))
			return (long)v - 1;
		k = (k + 1) & cc->mask;
	}
	return -1;
}

int cache_decode_entry(const struct case_cache *cc, long slot,
	struct dcase *out, struct arena *mem)
{
	const unsigned char *t = cc->table + (size_t)slot * ENT_LEN;
	const unsigned char *p = cc->data + get_le64(t + CACHE_OID_LEN + 4);
	uint32_t n = get_le32(t + CACHE_OID_LEN);

	if (cachefile_sum(p, n, CACHE_VERSION) !=
	    get_le64(t + CACHE_OID_LEN + 12)) {
		arena_free(mem);
		case_init(out);
		return ERR_INVALID;
	}
	return decode(out, p, n, 1, mem);
}

void cache_mark_used(struct case_cache *cc, long slot)
{
	if (!cc->used[slot]) {
		cc->used[slot] = 1;
		cc->nused++;
	}
}

int cache_has(const struct case_cache *cc,
	const unsigned char oid[CACHE_OID_LEN])
{
	return cache_find(cc, oid) >= 0;
}

int cache_get(struct case_cache *cc, const unsigned char oid[CACHE_OID_LEN],
	struct dcase *out)
{
	long i = cache_find(cc, oid);

	if (i < 0 || cache_decode_entry(cc, i, out, NULL))
		return 0;
	cache_mark_used(cc, i);
	return 1;
}

void cache_put(struct case_cache *cc, const unsigned char oid[CACHE_OID_LEN],
	const void *enc, size_t len)
{
	struct centry *e;

	if (!cc->file || len > UINT32_MAX)
		return;
	GROW(cc->add, cc->aadd, cc->nadd + 1);
	e = &cc->add[cc->nadd++];
	memcpy(e->oid, oid, CACHE_OID_LEN);
	e->len = (uint32_t)len;
	e->off = cc->fresh.len;
	e->sum = cachefile_sum(enc, len, CACHE_VERSION);
	e->data = NULL;
	sb_add(&cc->fresh, enc, len);
}

static int cmp_entry(const void *a, const void *b)
{
	return memcmp(((const struct centry *)a)->oid,
		((const struct centry *)b)->oid, CACHE_OID_LEN);
}

/* The entries of the new file, sorted, without duplicates. */
static struct centry *gather(struct case_cache *cc, int complete, size_t *n)
{
	struct centry *v;
	size_t i, k = 0, m = 0;

	v = xcalloc(cc->nold + cc->nadd + 1, sizeof(*v));
	for (i = 0; i < cc->nold; i++) {
		const unsigned char *t = cc->table + i * ENT_LEN;

		if (!cc->used[i] && complete)
			continue;
		memcpy(v[k].oid, t, CACHE_OID_LEN);
		v[k].len = get_le32(t + CACHE_OID_LEN);
		v[k].data = cc->data + get_le64(t + CACHE_OID_LEN + 4);
		v[k].sum = get_le64(t + CACHE_OID_LEN + 12);
		k++;
	}
	for (i = 0; i < cc->nadd; i++) {
		v[k] = cc->add[i];
		v[k].data = (const unsigned char *)cc->fresh.buf + v[k].off;
		k++;
	}
	xqsort(v, k, sizeof(*v), cmp_entry);
	for (i = 0; i < k; i++)
		if (!m || memcmp(v[m - 1].oid, v[i].oid, CACHE_OID_LEN))
			v[m++] = v[i];
	*n = m;
	return v;
}

/* The file of the n entries v into out. */
static void write_entries(struct cachefile_out *out, const struct centry *v,
	size_t n)
{
	unsigned char hdr[HDR_LEN], *table;
	uint64_t off = 0;
	size_t i;

	table = xcalloc(n ? n : 1, ENT_LEN);
	for (i = 0; i < n; i++) {
		memcpy(table + i * ENT_LEN, v[i].oid, CACHE_OID_LEN);
		put_le32(table + i * ENT_LEN + CACHE_OID_LEN, v[i].len);
		put_le64(table + i * ENT_LEN + CACHE_OID_LEN + 4, off);
		put_le64(table + i * ENT_LEN + CACHE_OID_LEN + 12, v[i].sum);
		off += v[i].len;
	}
	memcpy(hdr, CACHE_MAGIC, 8);
	put_le32(hdr + 8, CACHE_VERSION);
	put_le32(hdr + 12, (uint32_t)n);
	put_le64(hdr + 16, off);
	put_le64(hdr + 24, table_sum(hdr, table, n));
	cachefile_put(out, hdr, HDR_LEN);
	cachefile_put(out, table, n * ENT_LEN);
	for (i = 0; i < n; i++)
		cachefile_put(out, v[i].data, v[i].len);
	free(table);
}

/* Written piece by piece, not built in memory: the file of a large
 * store is tens of megabytes, most of it the old file's mapped bytes. */
void cache_save(struct case_cache *cc, int complete)
{
	struct cachefile_out out = CACHEFILE_OUT_INIT;
	struct centry *v = NULL;
	size_t n = 0;

	if (!cc->file || (!cc->nadd && (!complete || cc->nused == cc->nold)))
		return;
	if (cc->nold + cc->nadd > UINT32_MAX ||
	    cachefile_create(&out, cc->file, cc->shared))
		return;
	v = gather(cc, complete, &n);
	write_entries(&out, v, n);
	(void)cachefile_commit(&out);
	free(v);
}
