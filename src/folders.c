/*
 * folders.c - folder listings kept between scans (.git/docket-folders).
 *
 * File layout (cachefile.h's frame, little endian):
 *   "DKTFOLD" NUL | u32 version | u32 count
 *   count x { u32 pathlen | u32 nnames | i64 mtime s, ns | i64 ctime s,
 *             ns | u64 inode | u64 size | path NUL | names, each NUL }
 *   u64 cachefile_sum() of everything before it
 * Version 1 was in native byte order, summed with a home-made hash.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cachefile.h"
#include "case.h"
#include "folders.h"

#define FOLD_MAGIC "DKTFOLD"
#define FOLD_VERSION 2u
#define FOLD_MAX (1u << 28)
#define FOLD_FIXED (4 + 4 + 6 * 8)
#define RACY_SECONDS 2

/* The stat data that changes when a folder's entries do. */
struct fstamp {
	int64_t mtime, mtime_ns, ctime, ctime_ns;
	uint64_t ino, size;
};

struct folder {
	const char *path;	/* in the file read, or NULL: in fresh */
	const char *names;	/* nnames NUL-ended names, back to back */
	size_t path_off, names_off;	/* in fresh, when path is NULL */
	struct fstamp stamp;
	uint32_t nnames;
	size_t len;		/* bytes of names */
	int keep;		/* write it out again */
};

struct folders {
	char *file;
	int shared;
	struct sb buf;		/* the file as read */
	struct sb fresh;	/* paths and names read anew */
	struct folder *v;
	size_t n, alloc;
	int changed;
};

void dir_names(struct strlist *out, const char *dir, int want_dirs)
{
	struct sb p = SB_INIT;
	struct dirent *de;
	struct stat st;
	DIR *dp;

	dp = opendir(dir);
	if (!dp)
		return;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		if (!want_dirs && !case_file_name(de->d_name))
			continue;
		/* the type readdir gives saves a stat per case file; a
		 * case name that is not a folder is listed whatever it
		 * is, so the reader names a FIFO or a link and skips it */
		if (de->d_type != DT_UNKNOWN) {
			if (want_dirs ? de->d_type == DT_DIR :
			    de->d_type != DT_DIR)
				strlist_push(out, de->d_name);
			continue;
		}
		sb_reset(&p);
		sb_addf(&p, "%s/%s", dir, de->d_name);
		if (lstat(p.buf, &st) < 0)
			continue;
		if (want_dirs ? S_ISDIR(st.st_mode) : !S_ISDIR(st.st_mode))
			strlist_push(out, de->d_name);
	}
	closedir(dp);
	sb_release(&p);
}

static void load(struct folders *f)
{
	const char *p, *end, *q;
	const unsigned char *u;
	uint32_t count, plen, i, k;
	struct folder *fo;

	if (cachefile_read(&f->buf, f->file, FOLD_MAGIC, FOLD_VERSION,
	    FOLD_MAX) || f->buf.len < CACHEFILE_HDR + 4)
		goto bad;
	p = f->buf.buf;
	end = p + f->buf.len;
	count = get_le32((const unsigned char *)p + CACHEFILE_HDR);
	for (p += CACHEFILE_HDR + 4, i = 0; i < count; i++) {
		if (end - p < FOLD_FIXED)
			goto bad;
		GROW(f->v, f->alloc, f->n + 1);
		fo = &f->v[f->n++];
		memset(fo, 0, sizeof(*fo));
		u = (const unsigned char *)p;
		plen = get_le32(u);
		fo->nnames = get_le32(u + 4);
		fo->stamp.mtime = (int64_t)get_le64(u + 8);
		fo->stamp.mtime_ns = (int64_t)get_le64(u + 16);
		fo->stamp.ctime = (int64_t)get_le64(u + 24);
		fo->stamp.ctime_ns = (int64_t)get_le64(u + 32);
		fo->stamp.ino = get_le64(u + 40);
		fo->stamp.size = get_le64(u + 48);
		p += FOLD_FIXED;
		if ((size_t)(end - p) <= plen || p[plen] ||
		    strlen(p) != plen)
			goto bad;
		fo->path = p;
		p += plen + 1;
		fo->names = p;
		for (q = p, k = 0; k < fo->nnames; k++) {
			const char *nul = memchr(q, '\0', (size_t)(end - q));

			if (!nul || nul == q)
				goto bad;
			q = nul + 1;
		}
		fo->len = (size_t)(q - p);
		p = q;
	}
	if (p == end)
		return;
bad:
	f->n = 0;
}

struct folders *folders_open(const char *gitdir, int shared)
{
	struct folders *f = xcalloc(1, sizeof(*f));
	struct sb p = SB_INIT;

	sb_init(&f->buf);
	sb_init(&f->fresh);
	sb_addf(&p, "%s/%s", gitdir, FOLDERS_FILE);
	f->file = sb_detach(&p, NULL);
	f->shared = shared;
	load(f);
	return f;
}

static void stamp_of(struct fstamp *s, const struct stat *st)
{
	s->mtime = st->st_mtim.tv_sec;
	s->mtime_ns = st->st_mtim.tv_nsec;
	s->ctime = st->st_ctim.tv_sec;
	s->ctime_ns = st->st_ctim.tv_nsec;
	s->ino = st->st_ino;
	s->size = (uint64_t)st->st_size;
}

/* prefix and name, one string (a store lists each of its 100,000 case
 * files so: one allocation each, not a name and then its path). */
static void push_name(struct strlist *out, const char *prefix,
	const char *name)
{
	size_t pl, nl;
	char *s;

	if (!prefix) {
		strlist_push(out, name);
		return;
	}
	pl = strlen(prefix);
	nl = strlen(name);
	s = xmalloc(pl + nl + 1);
	memcpy(s, prefix, pl);
	memcpy(s + pl, name, nl + 1);
	strlist_push_nodup(out, s);
}

static void push_names(struct strlist *out, const char *prefix,
	const char *names, uint32_t n)
{
	uint32_t k;

	for (k = 0; k < n; k++) {
		push_name(out, prefix, names);
		names += strlen(names) + 1;
	}
}

void folders_list(struct folders *f, const char *dir, const char *prefix,
	struct strlist *out)
{
	struct strlist names = STRLIST_INIT;
	struct fstamp now;
	struct folder *fo = NULL;
	struct stat st;
	size_t i;

	if (lstat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return;
	stamp_of(&now, &st);
	for (i = 0; i < f->n && !fo; i++)
		if (f->v[i].path && !strcmp(f->v[i].path, dir))
			fo = &f->v[i];
	if (fo && !memcmp(&fo->stamp, &now, sizeof(now)) &&
	    now.mtime < time(NULL) - RACY_SECONDS) {
		fo->keep = 1;
		push_names(out, prefix, fo->names, fo->nnames);
		return;
	}
	dir_names(&names, dir, 0);
	strlist_sort(&names);
	for (i = 0; i < names.n; i++)
		push_name(out, prefix, names.v[i]);
	f->changed = 1;
	if (fo)
		fo->keep = 0;
	/* a folder changed just now may change again within its time */
	if (now.mtime >= time(NULL) - RACY_SECONDS || names.n > UINT32_MAX)
		goto out;
	GROW(f->v, f->alloc, f->n + 1);
	fo = &f->v[f->n++];
	memset(fo, 0, sizeof(*fo));
	fo->stamp = now;
	fo->nnames = (uint32_t)names.n;
	fo->keep = 1;
	/* offsets: fresh moves as it grows */
	fo->path_off = f->fresh.len;
	sb_add(&f->fresh, dir, strlen(dir) + 1);
	fo->names_off = f->fresh.len;
	for (i = 0; i < names.n; i++)
		sb_add(&f->fresh, names.v[i], strlen(names.v[i]) + 1);
	fo->len = f->fresh.len - fo->names_off;
out:
	strlist_release(&names);
}

static void put_folder(struct sb *out, const struct folders *f,
	const struct folder *fo)
{
	const char *path = fo->path ? fo->path : f->fresh.buf + fo->path_off;
	const char *names = fo->path ? fo->names :
		f->fresh.buf + fo->names_off;
	uint32_t plen = (uint32_t)strlen(path);

	sb_add_le32(out, plen);
	sb_add_le32(out, fo->nnames);
	sb_add_le64(out, (uint64_t)fo->stamp.mtime);
	sb_add_le64(out, (uint64_t)fo->stamp.mtime_ns);
	sb_add_le64(out, (uint64_t)fo->stamp.ctime);
	sb_add_le64(out, (uint64_t)fo->stamp.ctime_ns);
	sb_add_le64(out, fo->stamp.ino);
	sb_add_le64(out, fo->stamp.size);
	sb_add(out, path, plen + 1);
	sb_add(out, names, fo->len);
}

/* Best effort: without the file the next scan reads every folder. */
static void save(struct folders *f)
{
	struct sb out = SB_INIT;
	uint32_t count = 0;
	size_t i;

	cachefile_begin(&out, FOLD_MAGIC, FOLD_VERSION);
	sb_add_le32(&out, count);	/* counted below */
	for (i = 0; i < f->n; i++) {
		if (!f->v[i].keep)
			continue;
		put_folder(&out, f, &f->v[i]);
		count++;
	}
	put_le32((unsigned char *)out.buf + CACHEFILE_HDR, count);
	(void)cachefile_seal(&out, f->file, FOLD_VERSION, f->shared);
	sb_release(&out);
}

void folders_close(struct folders *f)
{
	if (!f)
		return;
	if (f->changed)
		save(f);
	free(f->file);
	free(f->v);
	sb_release(&f->buf);
	sb_release(&f->fresh);
	free(f);
}
