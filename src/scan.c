/*
 * scan.c - every case of the store, in path order, for the commands
 * that read them all (list, report, remind, triage's queue, file, check).
 *
 * A case comes from .git/docket-cache when git's index vouches for its
 * file's blob id (or hashing the file gives one) and the cache has an
 * entry for it; other files are read and parsed, each into a new entry.
 * The cases are looked up and decoded a chunk at a time on every core,
 * with the caller's per-case work when it gives some (scan_cases_map()),
 * and the callback runs on this thread, in order, for the chunk before
 * while the other threads fill the next: two chunks bound the memory,
 * whatever the size of the store.  A file the fast way cannot
 * read goes the plain way (store_read), so messages are the same as
 * without a cache.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cache.h"
#include "calendar.h"
#include "codec.h"
#include "scan.h"

#define SCAN_CHUNK 1024
#define SCAN_MIN_PER_THREAD 64

enum scan_state {
	SC_TODO,	/* not looked at */
	SC_READY,	/* c holds the case */
	SC_BAD,		/* does not parse: messages in bad */
	SC_SLOW		/* read it with store_read */
};

/* A case file to scan: its path and its entry in git's index (or -1). */
struct scan_file {
	const char *path;
	long tracked;
};

/* What the threads make of one file of the chunk. */
struct scan_slot {
	enum scan_state state;
	long entry;			/* cache entry used, or -1 */
	unsigned char oid[CACHE_OID_LEN];
	const char *enc;		/* a new cache entry (in encbuf), or NULL */
	size_t len;
	struct sb encbuf;		/* kept from file to file, as spare */
	struct dcase c;
	struct diag bad;
	int mapped;			/* out holds the map's result */
	void *out;			/* the map's result, in job->outs */
	int stale;			/* unchanged, but its stat data is not */
	struct stat st;			/* ... taken before it was read */
	int elsewhere;			/* the case's id names another path */
	struct arena *spare;		/* the last case's, for the next */
};

struct scan_job {
	const char *root;
	const struct case_cache *cc;
	const struct scan_each *m;	/* NULL, or one with a map */
	const struct scan_file *files;	/* the chunk's */
	struct scan_slot *slots;
	size_t n;
	size_t next;			/* the first file no thread took */
};

/* The slot's spare arena, for a case to take. */
static struct arena *spare(struct scan_slot *sl)
{
	struct arena *a = sl->spare;

	sl->spare = NULL;
	return a;
}

/* A file read here: parsed, and encoded for the cache.  The callback
 * gets the parsed case trimmed to what its cache entry will give next
 * time (test_cache holds the two the same), not the entry decoded
 * again. */
static int parse_file(struct scan_slot *sl, const char *path,
	const struct sb *buf)
{
	if (case_parse_in(spare(sl), &sl->c, buf->buf, buf->len, path,
	    &sl->bad)) {
		sl->state = SC_BAD;
		return -1;
	}
	/* an entry is about the size of its file; cache_put() copies it */
	sb_reset(&sl->encbuf);
	sb_grow(&sl->encbuf, buf->len);
	cache_encode(&sl->encbuf, &sl->c);
	sl->enc = sl->encbuf.buf;
	sl->len = sl->encbuf.len;
	cache_trim(&sl->c);
	sl->state = SC_READY;
	return 0;
}

static void slot_release(struct scan_slot *sl, const struct scan_each *m);

/* Run the caller's per-case work on a case now in the slot. */
static void map_slot(const struct scan_job *job, struct scan_slot *sl)
{
	if (!job->m || sl->state != SC_READY || sl->mapped)
		return;
	memset(sl->out, 0, job->m->size);
	job->m->map(sl->out, &sl->c, job->m->arg);
	sl->mapped = 1;
}

/* Any thread: the case of one file, from the cache if it can be; buf
 * is the thread's, for the file's bytes (the case keeps none of them). */
static void find_one(const struct scan_job *job, const struct scan_file *f,
	struct scan_slot *sl, struct cache_dir *dir, struct sb *buf)
{
	struct diag quiet = DIAG_INIT;
	struct sb abs = SB_INIT;
	int known;

	sl->st.st_mode = 0;
	known = f->tracked >= 0 && !cache_tracked_blob(job->cc,
		(size_t)f->tracked, dir, sl->oid, &sl->st);
	if (known && (sl->entry = cache_find(job->cc, sl->oid)) >= 0 &&
	    !cache_decode_entry(job->cc, sl->entry, &sl->c, spare(sl))) {
		sl->state = SC_READY;
		return;
	}
	sl->entry = -1;
	sb_reset(buf);
	/* a tracked file was just found through dir: read it there, or
	 * (changed since, or no file) the plain way, which says why */
	if (cache_read_tracked(dir, f->path, &sl->st, LIM_CASEFILE, buf)) {
		sb_reset(buf);
		sb_adds(&abs, job->root);
		sb_addc(&abs, '/');
		sb_adds(&abs, f->path);
		if (read_regular(buf, abs.buf, LIM_CASEFILE + 1, &quiet)) {
			sl->state = SC_SLOW;
			goto out;
		}
	}
	if (!known) {
		if (cache_filters(job->cc))
			cache_hash_filtered(buf->buf, buf->len, sl->oid);
		else
			cache_hash(buf->buf, buf->len, sl->oid);
		/* the index's blob after all: only its stat data is old
		 * (a store restored from a backup); refreshed at the end */
		sl->stale = f->tracked >= 0 && S_ISREG(sl->st.st_mode) &&
			!memcmp(sl->oid, cache_tracked_oid(job->cc,
			(size_t)f->tracked), CACHE_OID_LEN);
		sl->entry = cache_find(job->cc, sl->oid);
		if (sl->entry >= 0 && !cache_decode_entry(job->cc, sl->entry,
		    &sl->c, spare(sl))) {
			sl->state = SC_READY;
			goto out;
		}
		sl->entry = -1;
	}
	parse_file(sl, f->path, buf);
out:
	diag_release(&quiet);
	sb_release(&abs);
}

/* Whether the case's own path is another file's (a copy in the wrong
 * folder): asked here, on every core, of every case. */
static void where_it_belongs(struct scan_slot *sl, const char *path)
{
	char want[CASE_PATH_BUFSZ];

	sl->elsewhere = sl->state == SC_READY && !case_path(want, sl->c.id) &&
		strcmp(want, path) != 0;
}

/*
 * The threads of a scan, started once and handed every chunk.  Each
 * takes the next SCAN_BATCH files of the chunk until none is left: with
 * a fixed half each, a core stood idle a quarter of the time (the
 * thread started for the chunk finished well after this one).  A batch
 * is files next to each other, mostly of one folder (dir).
 */
#define SCAN_BATCH 16

struct scan_pool;

struct scan_hand {
	struct scan_pool *pool;
	struct cache_dir dir;		/* the folder last looked in */
	struct sb buf;			/* the bytes of a file read */
};

struct scan_pool {
	pthread_mutex_t mu;
	pthread_cond_t go, done;
	struct scan_job *job;		/* the chunk of this round */
	unsigned long round;
	size_t running;			/* threads not done with the round */
	int quit;
	size_t nthreads;		/* started, besides this one */
	pthread_t tid[SCAN_MAX_THREADS];
	struct scan_hand hand[SCAN_MAX_THREADS];	/* [0]: this thread's */
};

/* Any thread: batches of the chunk until it is all taken. */
static void work(struct scan_pool *p, struct scan_job *job,
	struct scan_hand *h)
{
	size_t i, from, to;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		from = job->next;
		to = job->n - from > SCAN_BATCH ? from + SCAN_BATCH : job->n;
		job->next = to;
		pthread_mutex_unlock(&p->mu);
		if (from == to)
			return;
		for (i = from; i < to; i++) {
			slot_release(&job->slots[i], job->m);
			find_one(job, &job->files[i], &job->slots[i], &h->dir,
				&h->buf);
			where_it_belongs(&job->slots[i], job->files[i].path);
			map_slot(job, &job->slots[i]);
		}
	}
}

static void *pool_thread(void *arg)
{
	struct scan_hand *h = arg;
	struct scan_pool *p = h->pool;
	struct scan_job *job;
	unsigned long seen = 0;

	for (;;) {
		pthread_mutex_lock(&p->mu);
		while (!p->quit && p->round == seen)
			pthread_cond_wait(&p->go, &p->mu);
		if (p->quit) {
			pthread_mutex_unlock(&p->mu);
			return NULL;
		}
		seen = p->round;
		job = p->job;
		pthread_mutex_unlock(&p->mu);
		work(p, job, h);
		pthread_mutex_lock(&p->mu);
		if (!--p->running)
			pthread_cond_signal(&p->done);
		pthread_mutex_unlock(&p->mu);
	}
}

/* Up to want - 1 threads besides this one; fewer if the system will
 * not start them (this thread alone does all the work then). */
static void pool_start(struct scan_pool *p, size_t want)
{
	size_t k;

	memset(p, 0, sizeof(*p));
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->go, NULL);
	pthread_cond_init(&p->done, NULL);
	for (k = 0; k < SCAN_MAX_THREADS; k++) {
		p->hand[k].pool = p;
		p->hand[k].dir.fd = -1;
		sb_init(&p->hand[k].buf);
	}
	for (k = 1; k < want && k < SCAN_MAX_THREADS; k++) {
		if (pthread_create(&p->tid[p->nthreads], NULL, pool_thread,
		    &p->hand[k]))
			break;
		p->nthreads++;
	}
}

static void pool_stop(struct scan_pool *p)
{
	size_t k;

	pthread_mutex_lock(&p->mu);
	p->quit = 1;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
	for (k = 0; k < p->nthreads; k++)
		pthread_join(p->tid[k], NULL);
	for (k = 0; k < SCAN_MAX_THREADS; k++) {
		cache_dir_release(&p->hand[k].dir);
		sb_release(&p->hand[k].buf);
	}
	pthread_cond_destroy(&p->done);
	pthread_cond_destroy(&p->go);
	pthread_mutex_destroy(&p->mu);
}

/* Hand the chunk to the pool's threads, which start on it at once. */
static void chunk_begin(struct scan_pool *p, struct scan_job *job)
{
	pthread_mutex_lock(&p->mu);
	job->next = 0;
	p->job = job;
	p->running = p->nthreads;
	p->round++;
	pthread_cond_broadcast(&p->go);
	pthread_mutex_unlock(&p->mu);
}

/* Take part in the chunk with this thread, and wait until it is done. */
static void chunk_end(struct scan_pool *p, struct scan_job *job)
{
	work(p, job, &p->hand[0]);
	pthread_mutex_lock(&p->mu);
	while (p->running)
		pthread_cond_wait(&p->done, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

/* The plain way for one file: store_read, parse, messages. */
static int scan_slow(struct store *store, const char *path, struct dcase *c,
	struct diag *bad)
{
	struct sb buf = SB_INIT;
	int ret;

	ret = store_read(&buf, store, path, LIM_CASEFILE + 1, bad);
	if (!ret)
		ret = case_parse_shared(c, buf.buf, buf.len, path, bad);
	sb_release(&buf);
	return ret;
}

/* What to call for each file: each, or every. */
struct scan_call {
	struct store *store;
	const struct scan_each *each;
	scan_file_fn every;
	void *data;			/* every's */
	size_t *skipped;
	struct stale_entry *stale;	/* for store_refresh_index() */
	size_t nstale, astale;
	const struct scan_file *all;	/* every file of the scan, sorted */
	size_t nall;
};

/* The case of a slot goes to the callback: its cache entry is kept, or
 * the new one added. */
static void keep_in_cache(struct case_cache *cc, const struct scan_slot *sl)
{
	if (sl->entry >= 0)
		cache_mark_used(cc, sl->entry);
	if (sl->enc)
		cache_put(cc, sl->oid, sl->enc, sl->len);
}

/* scan_every_file(): every file to fn, with or without a case. */
static int deliver_every(struct case_cache *cc, const struct scan_file *f,
	struct scan_slot *sl, const struct scan_call *call)
{
	struct scan_info info = { NULL, &sl->bad };

	if (sl->state == SC_SLOW)
		return call->every(call->data, f->path, NULL, &info);
	info.oid = sl->oid;
	if (sl->state != SC_READY)
		return call->every(call->data, f->path, NULL, &info);
	keep_in_cache(cc, sl);
	return call->every(call->data, f->path, &sl->c, &info);
}

/* 1 if the scan lists a file at path (the files are sorted by path). */
static int scan_has(const struct scan_call *call, const char *path)
{
	size_t lo = 0, hi = call->nall, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(call->all[mid].path, path);
		if (!c)
			return 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * A copy of a case in a folder that does not match its id, while the
 * file of its id is there too (copied by hand, `git mv` undone halfway):
 * one case, counted once, from its own file; `docket check` names both.
 */
static int duplicate_copy(const struct scan_call *call, const char *path,
	const struct scan_slot *sl)
{
	const struct scan_each *each = call->each;
	const struct dcase *c = &sl->c;
	char want[CASE_PATH_BUFSZ];

	if (!sl->elsewhere || case_path(want, c->id) || !scan_has(call, want))
		return 0;
	if (each->duplicate)
		each->duplicate(each->data, path, c->id, want);
	return 1;
}

/* This thread, in order: hand the case of a slot to fn, or say why
 * there is none. */
static int deliver(struct case_cache *cc, const struct scan_job *job,
	const struct scan_file *f, struct scan_slot *sl,
	struct scan_call *call)
{
	const struct scan_each *each = call->each;

	if (sl->stale) {
		GROW(call->stale, call->astale, call->nstale + 1);
		call->stale[call->nstale].path = xstrdup(f->path);
		memcpy(call->stale[call->nstale].oid, sl->oid, CACHE_OID_LEN);
		call->stale[call->nstale++].st = sl->st;
	}
	if (call->every)
		return deliver_every(cc, f, sl, call);
	if (sl->state == SC_SLOW &&
	    !scan_slow(call->store, f->path, &sl->c, &sl->bad)) {
		sl->state = SC_READY;
		where_it_belongs(sl, f->path);
	}
	if (sl->state != SC_READY) {
		if (each->skip)
			each->skip(each->data, f->path, &sl->bad);
		if (call->skipped)
			(*call->skipped)++;
		return 0;
	}
	keep_in_cache(cc, sl);
	if (duplicate_copy(call, f->path, sl))
		return 0;
	if (!job->m)
		return each->fn(each->data, f->path, &sl->c, NULL);
	map_slot(job, sl);
	return each->fn(each->data, f->path, &sl->c, sl->out);
}

/* The slot emptied for its next file; the arena of a case read-only
 * (all of it in there) and the buffer of its cache entry are kept for
 * the next case. */
static void slot_release(struct scan_slot *sl, const struct scan_each *m)
{
	struct arena *keep = sl->spare;
	struct sb encbuf = sl->encbuf;
	void *out = sl->out;

	if (sl->mapped && m->release)
		m->release(out);
	if (sl->state == SC_READY && sl->c.arena) {
		arena_free(keep);
		keep = sl->c.arena;
	} else if (sl->state == SC_READY) {
		case_release(&sl->c);
	}
	diag_release(&sl->bad);
	memset(sl, 0, sizeof(*sl));
	sl->out = out;
	sl->spare = keep;
	sl->encbuf = encbuf;
}

/*
 * The files to scan: those git's index tracks (HEAD's, in a clean store)
 * merged with those in the work tree, each with its index entry.  Paths
 * point into the index or into *own.  Without an index to vouch for
 * files: HEAD's and the work tree's, from the store.
 */
static int scan_files(struct scan_file **out, size_t *n, struct store *store,
	const struct case_cache *cc, struct strlist *own, struct diag *d)
{
	struct strlist listed = STRLIST_INIT, none = STRLIST_INIT;
	size_t i = 0, j = 0, nt, k = 0;
	const char *tp;
	int c, ret;

	if (!cache_vouches(cc)) {
		if ((ret = store_case_paths(own, store, d)))
			return ret < 0 ? ret : ERR_GENERIC;
		*out = xcalloc(own->n + 1, sizeof(**out));
		for (i = 0; i < own->n; i++) {
			(*out)[i].path = own->v[i];
			(*out)[i].tracked = -1;
		}
		*n = own->n;
		return 0;
	}
	/* names sorted folder by folder are sorted as paths unless a name
	 * holds a character below '/': strlist_union() sorts those */
	store_work_case_paths(&listed, store);
	strlist_union(own, &listed, &none);
	strlist_release(&listed);
	nt = cache_tracked_count(cc);
	*out = xcalloc(nt + own->n + 1, sizeof(**out));
	while (i < nt || j < own->n) {
		tp = i < nt ? cache_tracked_path(cc, i) : NULL;
		c = !tp ? 1 : j == own->n ? -1 : strcmp(tp, own->v[j]);
		(*out)[k].path = c <= 0 ? tp : own->v[j];
		(*out)[k++].tracked = c <= 0 ? (long)i : -1;
		i += c <= 0;
		j += c >= 0;
	}
	*n = k;
	return 0;
}

/* What a scan found unchanged but with old stat data: refreshed in
 * git's index, so the next scan need not hash those files again. */
static void refresh_stale(struct scan_call *call, int ok)
{
	size_t i;

	if (ok)
		store_refresh_index(call->store, call->stale, call->nstale);
	for (i = 0; i < call->nstale; i++)
		free(call->stale[i].path);
	free(call->stale);
	call->stale = NULL;
	call->nstale = call->astale = 0;
}

/* How many threads read a chunk: src->threads, else one per core;
 * never more than SCAN_MAX_THREADS. */
static size_t scan_threads(const struct scan_src *src)
{
	long ncpu;

	if (src->threads)
		return src->threads < SCAN_MAX_THREADS ? src->threads :
			SCAN_MAX_THREADS;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	if (ncpu < 1)
		return 1;
	return ncpu < SCAN_MAX_THREADS ? (size_t)ncpu : SCAN_MAX_THREADS;
}

/* This thread, in order: every case of a chunk the threads filled. */
static int deliver_chunk(struct case_cache *cc, const struct scan_job *job,
	struct scan_call *call)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < job->n && !ret; i++)
		ret = deliver(cc, job, &job->files[i], &job->slots[i], call);
	return ret;
}

/* The slots of a scan: two chunks' (one filled while the other is
 * delivered), each with the map's result when there is a map. */
static struct scan_slot *slots_new(const struct scan_each *m,
	unsigned char **outs)
{
	struct scan_slot *slots = xcalloc(2 * SCAN_CHUNK, sizeof(*slots));
	size_t i;

	*outs = NULL;
	for (i = 0; i < 2 * SCAN_CHUNK; i++)
		sb_init(&slots[i].encbuf);
	if (!m)
		return slots;
	*outs = xcalloc(2 * SCAN_CHUNK, m->size ? m->size : 1);
	for (i = 0; i < 2 * SCAN_CHUNK; i++)
		slots[i].out = *outs + i * m->size;
	return slots;
}

static void slots_free(struct scan_slot *slots, const struct scan_each *m,
	unsigned char *outs)
{
	size_t i;

	for (i = 0; i < 2 * SCAN_CHUNK; i++) {
		slot_release(&slots[i], m);
		arena_free(slots[i].spare);
		sb_release(&slots[i].encbuf);
	}
	free(outs);
	free(slots);
}

/*
 * Chunk after chunk: while the pool's threads fill one, this thread
 * delivers the one before, then helps with the rest.  map runs for a
 * chunk while fn runs for the chunk before it (scan.h).  What delivering
 * changes in the cache (the new entries, the marks of those used) the
 * threads never read: they look up and decode the entries it was
 * loaded with.
 */
static int scan_chunks(struct scan_pool *pool, struct case_cache *cc,
	struct scan_job job[2], size_t n, struct scan_call *call)
{
	struct scan_job *cur, *prev = NULL;
	size_t start, k = 0;
	int ret = 0;

	for (start = 0; start < n && !ret; start += cur->n, prev = cur) {
		cur = &job[k++ & 1];
		cur->files = call->all + start;
		cur->n = n - start < SCAN_CHUNK ? n - start : SCAN_CHUNK;
		chunk_begin(pool, cur);
		if (prev)
			ret = deliver_chunk(cc, prev, call);
		chunk_end(pool, cur);
	}
	if (!ret && prev)
		ret = deliver_chunk(cc, prev, call);
	return ret;
}

/* m: the scan's map, NULL when it has none (or sees every file). */
static int scan(const struct scan_src *src, const struct scan_each *m,
	struct scan_call *call, struct diag *d)
{
	struct strlist own = STRLIST_INIT;
	struct scan_file *files = NULL;
	struct scan_pool pool;
	struct scan_slot *slots;
	struct case_cache *cc;
	struct scan_job job[2];
	unsigned char *outs;
	size_t n = 0, k, want = scan_threads(src);
	int ret = 0;

	if (call->skipped)
		*call->skipped = 0;
	/* the map converts times on several threads: none may change TZ */
	cal_use_zone(&src->cfg->cal);
	cc = cache_open_store(src->store);
	slots = slots_new(m, &outs);
	if ((ret = scan_files(&files, &n, src->store, cc, &own, d)))
		goto out;
	call->all = files;
	call->nall = n;
	/* a store of a few cases is read on this thread alone */
	if (want > n / SCAN_MIN_PER_THREAD + 1)
		want = n / SCAN_MIN_PER_THREAD + 1;
	for (k = 0; k < 2; k++) {
		job[k].root = store_root(src->store);
		job[k].cc = cc;
		job[k].m = m;
		job[k].slots = slots + k * SCAN_CHUNK;
	}
	pool_start(&pool, want);
	ret = scan_chunks(&pool, cc, job, n, call);
	pool_stop(&pool);
	cache_save(cc, !ret);
	refresh_stale(call, !ret);
out:
	slots_free(slots, m, outs);
	free(files);
	strlist_release(&own);
	cache_free(cc);
	return ret;
}

int scan_store(const struct scan_src *src, const struct scan_each *each,
	size_t *skipped, struct diag *d)
{
	struct scan_call call;

	memset(&call, 0, sizeof(call));
	call.store = src->store;
	call.each = each;
	call.skipped = skipped;
	return scan(src, each->map ? each : NULL, &call, d);
}

int scan_store_every(const struct scan_src *src, scan_file_fn fn,
	void *data, struct diag *d)
{
	struct scan_call call;

	memset(&call, 0, sizeof(call));
	call.store = src->store;
	call.every = fn;
	call.data = data;
	return scan(src, NULL, &call, d);
}
