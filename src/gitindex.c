/*
 * gitindex.c - git's index file, read and written (see gitindex.h and
 * gitformat-index(5); git's read-cache.c is the reference).
 *
 * Reading maps the file and walks it once, keeping for each entry a
 * pointer to its fixed part and its path: nothing is copied but the
 * prefix-compressed paths of a version 4 index.  Writing a v2/v3 index
 * copies the runs of entries that did not change straight from the old
 * file and resumes the SHA-1 from the marks of the last write (idxsum),
 * so one changed case costs the same in a 100,000-entry index as in a
 * small one; a v4 index is encoded anew.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gitindex.h"
#include "idxsum.h"
#include "intl.h"

#define HDR_LEN 12
#define FIXED 62		/* stat data 40, oid 20, flags 2 */
#define XFIXED 64		/* with the extended flags of v3 */
#define OID_AT 40
#define FLAGS_AT 60
#define MAX_ENTRIES (1u << 26)

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

static uint16_t be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

uint32_t gix_st(const struct gix_ent *e, int f)
{
	return be32(e->raw + 4 * f);
}

const unsigned char *gix_oid(const struct gix_ent *e)
{
	return e->raw + OID_AT;
}

void gix_stat(uint32_t out[GIX__STAT], const struct stat *st)
{
	out[GIX_CTIME] = (uint32_t)st->st_ctim.tv_sec;
	out[GIX_CTIME_NS] = (uint32_t)st->st_ctim.tv_nsec;
	out[GIX_MTIME] = (uint32_t)st->st_mtim.tv_sec;
	out[GIX_MTIME_NS] = (uint32_t)st->st_mtim.tv_nsec;
	out[GIX_DEV] = (uint32_t)st->st_dev;
	out[GIX_INO] = (uint32_t)st->st_ino;
	out[GIX_MODE] = S_ISLNK(st->st_mode) ? 0120000 :
		(st->st_mode & 0111) ? 0100755 : 0100644;
	out[GIX_UID] = (uint32_t)st->st_uid;
	out[GIX_GID] = (uint32_t)st->st_gid;
	out[GIX_SIZE] = (uint32_t)st->st_size;
}

/* 1 if the entry changed at or after the index was written: its stat
 * data cannot tell a later change in the same tick (racy git). */
static int is_racy(const struct gix *ix, const struct gix_ent *e)
{
	uint32_t s = gix_st(e, GIX_MTIME), ns = gix_st(e, GIX_MTIME_NS);

	if (!ix->mtime.tv_sec)
		return 0;
	return s > (uint32_t)ix->mtime.tv_sec ||
		(s == (uint32_t)ix->mtime.tv_sec &&
		ns >= (uint32_t)ix->mtime.tv_nsec);
}

int gix_stat_matches(const struct gix *ix, const struct gix_ent *e,
	const struct stat *st)
{
	uint32_t now[GIX__STAT];

	if (e->flags & (GIX_VALID | GIX_STAGEMASK) ||
	    e->xflags & (GIX_SKIP_WORKTREE | GIX_INTENT_TO_ADD))
		return 0;
	gix_stat(now, st);
	return now[GIX_MODE] == gix_st(e, GIX_MODE) &&
		now[GIX_MTIME] == gix_st(e, GIX_MTIME) &&
		now[GIX_MTIME_NS] == gix_st(e, GIX_MTIME_NS) &&
		now[GIX_CTIME] == gix_st(e, GIX_CTIME) &&
		now[GIX_CTIME_NS] == gix_st(e, GIX_CTIME_NS) &&
		now[GIX_INO] == gix_st(e, GIX_INO) &&
		now[GIX_SIZE] == gix_st(e, GIX_SIZE) &&
		!is_racy(ix, e);
}

/* ---- reading ----------------------------------------------------------- */

/*
 * git's varint for the v4 path prefix (varint.c): 7 bits a byte, most
 * significant first, each continuation adding one.  0 on overflow or
 * running past end.
 */
static int get_varint(uint64_t *out, const unsigned char **p,
	const unsigned char *end)
{
	const unsigned char *b = *p;
	uint64_t v;
	unsigned char c;

	if (b >= end)
		return 0;
	c = *b++;
	v = c & 127;
	while (c & 128) {
		v += 1;
		if (!v || (v >> 57) || b >= end)
			return 0;
		c = *b++;
		v = (v << 7) + (c & 127);
	}
	*p = b;
	*out = v;
	return 1;
}

static int bad(struct diag *d, const char *name, const char *what)
{
	/* TRANSLATORS: the second %s says what is wrong ("too short") */
	return diag_add(d, ERR_INVALID, _("git's index '%s' is damaged (%s); "
		"nothing was changed: if `git status` fails too, `rm "
		".git/index && git reset` makes a new one from the last "
		"commit (changes staged with git add are lost)"), name, what);
}

/* The path of a v4 entry: the previous path cut by a varint, then a
 * NUL-ended suffix. */
static int v4_path(struct gix *ix, struct gix_ent *e, const char *prev,
	size_t prevlen, const unsigned char **p, const unsigned char *end)
{
	const unsigned char *nul;
	uint64_t strip;
	size_t keep, tail;
	char *path;

	if (!get_varint(&strip, p, end) || strip > prevlen)
		return -1;
	nul = memchr(*p, 0, (size_t)(end - *p));
	if (!nul)
		return -1;
	keep = prevlen - (size_t)strip;
	tail = (size_t)(nul - *p);
	path = arena_calloc(ix->mem, keep + tail + 1, 1);
	memcpy(path, prev, keep);
	memcpy(path + keep, *p, tail);
	e->path = path;
	e->pathlen = (uint32_t)(keep + tail);
	*p = nul + 1;
	return 0;
}

/* The entries; -1 with *why when the file is not an index. */
static int parse_entries(struct gix *ix, uint32_t count, const char **why,
	int *disorder)
{
	const unsigned char *b = ix->map, *p = b + HDR_LEN;
	const unsigned char *end = b + ix->len - GIX_OIDLEN;
	const char *prev = "";
	size_t fixed, n, prevlen = 0;
	struct gix_ent *e;
	uint32_t i;

	if (count > MAX_ENTRIES || count > ix->len / FIXED) {
		*why = _("too many entries for its size");
		return -1;
	}
	ix->e = xcalloc(count ? count : 1, sizeof(*ix->e));
	for (i = 0; i < count; i++) {
		e = &ix->e[i];
		if ((size_t)(end - p) < FIXED + 1) {
			*why = _("an entry runs past the end");
			return -1;
		}
		e->raw = p;
		e->flags = be16(p + FLAGS_AT);
		fixed = FIXED;
		if (e->flags & GIX_EXTENDED) {
			if (ix->version < 3 || (size_t)(end - p) < XFIXED + 1) {
				*why = _("extended flags in a version 2 index");
				return -1;
			}
			e->xflags = be16(p + FIXED);
			fixed = XFIXED;
		}
		if (ix->version == 4) {
			p += fixed;
			if (v4_path(ix, e, prev, prevlen, &p, end) < 0) {
				*why = _("a compressed path is damaged");
				return -1;
			}
		} else {
			e->path = (const char *)p + fixed;
			n = strnlen(e->path, (size_t)(end - p) - fixed);
			if (fixed + n >= (size_t)(end - p) ||
			    ((e->flags & GIX_NAMEMASK) != GIX_NAMEMASK &&
			    n != (e->flags & GIX_NAMEMASK))) {
				*why = _("an entry's path is damaged");
				return -1;
			}
			e->pathlen = (uint32_t)n;
			e->rawlen = (uint32_t)((fixed + n + 8) & ~(size_t)7);
			if (e->rawlen > (size_t)(end - p)) {
				*why = _("an entry runs past the end");
				return -1;
			}
			p += e->rawlen;
		}
		/* a split index's own entries may be nameless and out of
		 * order: judged once the extensions are known */
		if (!e->pathlen || (i && strcmp(prev, e->path) > 0))
			*disorder = 1;
		if (e->flags & GIX_STAGEMASK)
			ix->conflicts++;
		prev = e->path;
		prevlen = e->pathlen;
		ix->n++;
	}
	ix->ext_off = (size_t)(p - b);
	return 0;
}

/* Walk the extensions: note those that keep docket from writing. */
static int parse_extensions(struct gix *ix, const char **why)
{
	const unsigned char *b = ix->map;
	size_t pos = ix->ext_off, end = ix->len - GIX_OIDLEN, size;

	while (pos < end) {
		if (end - pos < 8) {
			*why = _("a truncated extension");
			return -1;
		}
		size = be32(b + pos + 4);
		if (size > end - pos - 8) {
			*why = _("an extension runs past the end");
			return -1;
		}
		if (!memcmp(b + pos, "link", 4)) {
			ix->unwritable = _("git's index is split "
				"(core.splitIndex)");
			ix->partial = 1;
		} else if (!memcmp(b + pos, "sdir", 4)) {
			ix->unwritable = _("git's index is sparse "
				"(index.sparse)");
			ix->partial = 1;
		} else if (b[pos] < 'A' || b[pos] > 'Z') {
			ix->unwritable = _("git's index has an extension "
				"docket does not know");
		}
		pos += 8 + size;
	}
	return 0;
}

static int verify_sum(const struct gix *ix)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (ix->skip_hash)
		return 0;
	if (!EVP_Digest(ix->map, ix->len - GIX_OIDLEN, md, &n, EVP_sha1(),
	    NULL) || n != GIX_OIDLEN)
		return -1;
	return memcmp(md, ix->map + ix->len - GIX_OIDLEN, GIX_OIDLEN) ? -1 : 0;
}

static int parse(struct gix *ix, unsigned flags, const char *name,
	struct diag *d)
{
	static const unsigned char zero[GIX_OIDLEN];
	const char *why = NULL;
	int disorder = 0;

	if (ix->len < HDR_LEN + GIX_OIDLEN || memcmp(ix->map, "DIRC", 4))
		return bad(d, name, _("no index signature"));
	ix->version = be32(ix->map + 4);
	if (ix->version < 2 || ix->version > 4)
		return diag_add(d, ERR_INVALID, _("git's index '%s' is "
			"version %u, which docket does not know"), name,
			(unsigned)ix->version);
	ix->skip_hash = !memcmp(ix->map + ix->len - GIX_OIDLEN, zero,
		GIX_OIDLEN);
	ix->mem = arena_new(ix->version == 4 ? ix->len * 2 : 64);
	if (parse_entries(ix, be32(ix->map + 8), &why, &disorder) < 0 ||
	    parse_extensions(ix, &why) < 0)
		return bad(d, name, why);
	if (disorder && !ix->partial)
		return bad(d, name, _("entries out of order"));
	if ((flags & GIX_VERIFY) && verify_sum(ix) < 0)
		return bad(d, name, _("its checksum does not match"));
	return 0;
}

int gix_parse(struct gix **out, const void *buf, size_t len, unsigned flags,
	const char *name, struct diag *d)
{
	struct gix *ix = xcalloc(1, sizeof(*ix));
	int ret;

	ix->map = xmalloc(len ? len : 1);
	memcpy(ix->map, buf, len);
	ix->len = len;
	ret = parse(ix, flags, name, d);
	if (ret) {
		gix_free(ix);
		ix = NULL;
	}
	*out = ix;
	return ret;
}

struct gix *gix_empty(void)
{
	struct gix *ix = xcalloc(1, sizeof(*ix));

	ix->version = 2;
	ix->mem = arena_new(64);
	return ix;
}

int gix_read(struct gix **out, const char *path, unsigned flags,
	struct diag *d)
{
	struct gix *ix = NULL;
	struct stat st;
	void *map;
	int fd, ret = 0;

	*out = NULL;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT) {
		*out = gix_empty();
		return 0;
	}
	if (fd < 0)
		return diag_add(d, ERR_IO, _("cannot open git's index '%s': %s"),
			path, strerror(errno));
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ret = diag_add(d, ERR_INVALID, _("git's index '%s' is not a "
			"regular file"), path);
		goto out;
	}
	ix = xcalloc(1, sizeof(*ix));
	ix->mtime = st.st_mtim;
	ix->len = (size_t)st.st_size;
	if (ix->len < HDR_LEN + GIX_OIDLEN) {
		ret = bad(d, path, _("too short"));
		goto out;
	}
	map = mmap(NULL, ix->len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		ret = diag_add(d, ERR_IO, _("cannot read git's index '%s': %s"),
			path, strerror(errno));
		goto out;
	}
	ix->map = map;
	ix->mapped = 1;
	ret = parse(ix, flags, path, d);
out:
	close(fd);
	if (ret) {
		gix_free(ix);
		ix = NULL;
	}
	*out = ix;
	return ret;
}

void gix_free(struct gix *ix)
{
	if (!ix)
		return;
	if (ix->mapped)
		munmap(ix->map, ix->len);
	else
		free(ix->map);
	free(ix->e);
	arena_free(ix->mem);
	free(ix);
}

long gix_find(const struct gix *ix, const char *path)
{
	size_t lo = 0, hi = ix->n, mid;
	int c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(ix->e[mid].path, path);
		if (!c) {
			/* stages sort after stage 0: back to the first */
			while (mid > 0 && !strcmp(ix->e[mid - 1].path, path))
				mid--;
			return (ix->e[mid].flags & GIX_STAGEMASK) ? -1 :
				(long)mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

const char *gix_writable(const struct gix *ix)
{
	return ix->unwritable;
}

/* ---- writing ----------------------------------------------------------- */

/*
 * The new file as pieces: runs of the old file between entries made
 * anew in `made`, so a v2/v3 write copies nothing large.
 */
struct piece {
	int made;		/* 0: offset into the old file; 1: into made */
	size_t off, len;
};

struct out {
	struct piece *v;
	size_t n, alloc;
	struct sb made;
	uint32_t count;
	const char *prev;	/* v4: the last path written */
	size_t prevlen;
};

static void piece_add(struct out *o, int made, size_t off, size_t len)
{
	struct piece *last = o->n ? &o->v[o->n - 1] : NULL;

	if (!len)
		return;
	if (last && last->made == made && last->off + last->len == off) {
		last->len += len;
		return;
	}
	GROW(o->v, o->alloc, o->n + 1);
	o->v[o->n].made = made;
	o->v[o->n].off = off;
	o->v[o->n++].len = len;
}

/* git's varint, for v4 paths (varint.c's encode_varint). */
static void put_varint(struct sb *sb, uint64_t v)
{
	unsigned char buf[16];
	size_t pos = sizeof(buf) - 1;

	buf[pos] = v & 127;
	while (v >>= 7)
		buf[--pos] = (unsigned char)(128 | (--v & 127));
	sb_add(sb, buf + pos, sizeof(buf) - pos);
}

/*
 * Append one entry to o->made in the file's version: fixed part (stat
 * data, oid, flags with the path length), extended flags, the path.
 */
static void emit(struct out *o, const struct gix *ix, const uint32_t *st,
	const unsigned char *oid, uint16_t flags, uint16_t xflags,
	const char *path, size_t pathlen)
{
	unsigned char fixed[XFIXED];
	size_t start = o->made.len, common = 0, fl;
	int i;

	for (i = 0; i < GIX__STAT; i++)
		put32(fixed + 4 * i, st[i]);
	memcpy(fixed + OID_AT, oid, GIX_OIDLEN);
	if (ix->version < 3 || !xflags)
		flags &= (uint16_t)~GIX_EXTENDED;
	else
		flags |= GIX_EXTENDED;
	flags = (uint16_t)((flags & ~GIX_NAMEMASK) | (pathlen < GIX_NAMEMASK ?
		pathlen : GIX_NAMEMASK));
	fixed[FLAGS_AT] = (unsigned char)(flags >> 8);
	fixed[FLAGS_AT + 1] = (unsigned char)flags;
	fixed[FIXED] = (unsigned char)(xflags >> 8);
	fixed[FIXED + 1] = (unsigned char)xflags;
	fl = (flags & GIX_EXTENDED) ? XFIXED : FIXED;
	sb_add(&o->made, fixed, fl);
	if (ix->version == 4) {
		while (common < o->prevlen && common < pathlen &&
		    o->prev[common] == path[common])
			common++;
		put_varint(&o->made, o->prevlen - common);
		sb_add(&o->made, path + common, pathlen - common);
		sb_addc(&o->made, '\0');
		o->prev = path;
		o->prevlen = pathlen;
	} else {
		char pad[8] = { 0 };
		size_t total = (fl + pathlen + 8) & ~(size_t)7;

		sb_add(&o->made, path, pathlen);
		sb_add(&o->made, pad, total - fl - pathlen);
	}
	piece_add(o, 1, start, o->made.len - start);
	o->count++;
}

/* SHA-1 of git's blob object for the file at path; -1 if unreadable. */
static int hash_file(unsigned char oid[GIX_OIDLEN], const char *path)
{
	struct diag quiet = DIAG_INIT;
	struct sb data = SB_INIT;
	EVP_MD_CTX *ctx = NULL;
	char hdr[32];
	unsigned int n = 0;
	int len, ret = -1;

	if (read_regular(&data, path, SIZE_MAX, &quiet))
		goto out;
	len = snprintf(hdr, sizeof(hdr), "blob %zu", data.len);
	ctx = EVP_MD_CTX_new();
	if (ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) &&
	    EVP_DigestUpdate(ctx, hdr, (size_t)len + 1) &&
	    EVP_DigestUpdate(ctx, data.buf, data.len) &&
	    EVP_DigestFinal_ex(ctx, oid, &n) && n == GIX_OIDLEN)
		ret = 0;
out:
	EVP_MD_CTX_free(ctx);
	diag_release(&quiet);
	sb_release(&data);
	return ret;
}

/*
 * git's ce_smudge_racily_clean_entry(): a racily clean entry whose file
 * now differs gets size 0, so the newer index written now cannot make
 * it look clean.
 */
static int needs_smudge(const struct gix *ix, const struct gix_ent *e,
	const char *worktree)
{
	unsigned char oid[GIX_OIDLEN];
	struct sb path = SB_INIT;
	int ret;

	if (!worktree || !is_racy(ix, e) || !gix_st(e, GIX_SIZE) ||
	    (e->flags & GIX_STAGEMASK) || (gix_st(e, GIX_MODE) & 0170000) !=
	    0100000)
		return 0;
	sb_addf(&path, "%s/%s", worktree, e->path);
	ret = hash_file(oid, path.buf) < 0 ||
		memcmp(oid, gix_oid(e), GIX_OIDLEN) != 0;
	sb_release(&path);
	return ret;
}

/* Keep entry e: copied as it is where the format allows. */
static void keep(struct out *o, const struct gix *ix, const struct gix_ent *e,
	const char *worktree)
{
	uint32_t st[GIX__STAT];
	int i, smudge = needs_smudge(ix, e, worktree);

	if (e->rawlen && !smudge) {
		piece_add(o, 0, (size_t)(e->raw - ix->map), e->rawlen);
		o->count++;
		return;
	}
	for (i = 0; i < GIX__STAT; i++)
		st[i] = gix_st(e, i);
	if (smudge)
		st[GIX_SIZE] = 0;
	emit(o, ix, st, gix_oid(e), e->flags, e->xflags, e->path, e->pathlen);
}

static void put_edit(struct out *o, const struct gix *ix,
	const struct gix_edit *ed)
{
	uint32_t st[GIX__STAT];

	if (ed->remove)
		return;
	if (ed->smudge) {
		memset(st, 0, sizeof(st));
		st[GIX_MODE] = ed->mode ? ed->mode : 0100644;
	} else {
		gix_stat(st, &ed->st);
	}
	emit(o, ix, st, ed->oid, 0, 0, ed->path, strlen(ed->path));
}

/* The entries of the new file: ix's merged with the edits. */
static void merge_entries(struct out *o, const struct gix *ix,
	const struct gix_edit *ed, size_t n, const char *worktree)
{
	size_t i = 0, j = 0;
	int c;

	while (i < ix->n || j < n) {
		c = i == ix->n ? 1 : j == n ? -1 :
			strcmp(ix->e[i].path, ed[j].path);
		if (c < 0) {
			keep(o, ix, &ix->e[i++], worktree);
			continue;
		}
		put_edit(o, ix, &ed[j]);
		/* every stage of the path goes, as `git add` resolves */
		while (c == 0 && i < ix->n && !strcmp(ix->e[i].path,
		    ed[j].path))
			i++;
		j++;
	}
}

/* The extensions kept: REUC (resolve-undo) as it is; the caches git
 * rebuilds (TREE, UNTR, FSMN, EOIE, IEOT, any optional one) dropped. */
static void keep_extensions(struct out *o, const struct gix *ix)
{
	size_t pos = ix->ext_off, end = ix->len ? ix->len - GIX_OIDLEN : 0;
	size_t size;

	while (pos + 8 <= end) {
		size = be32(ix->map + pos + 4);
		if (!memcmp(ix->map + pos, "REUC", 4))
			piece_add(o, 0, pos, 8 + size);
		pos += 8 + size;
	}
}

/* How many leading bytes the new file shares with the old (checksum
 * excluded): where hashing has to start again. */
static size_t same_prefix(const struct out *o, const struct gix *ix)
{
	size_t pos = 0, i, j, len, oldlen;
	const unsigned char *p;

	if (!ix->map)
		return 0;
	oldlen = ix->len - GIX_OIDLEN;
	for (i = 0; i < o->n; i++) {
		len = o->v[i].len;
		if (!o->v[i].made && o->v[i].off == pos) {
			pos += len;
			continue;
		}
		p = o->v[i].made ? (const unsigned char *)o->made.buf +
			o->v[i].off : ix->map + o->v[i].off;
		for (j = 0; j < len && pos + j < oldlen &&
		    p[j] == ix->map[pos + j]; j++)
			;
		if (j < len)
			return pos + j;
		pos += len;
	}
	return pos;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Write the pieces and the checksum (resumed; zeros for skip-hash). */
static int write_pieces(int fd, const struct out *o, const struct gix *ix,
	const struct gix_write_opts *opt)
{
	static const unsigned char zero[GIX_OIDLEN];
	unsigned char sum[IDXSUM_LEN];
	struct idxsum *h = NULL;
	const void *p;
	size_t i;
	int ret = -1;

	if (!ix->skip_hash)
		h = idxsum_begin(opt->marks, ix->map, ix->len,
			same_prefix(o, ix));
	for (i = 0; i < o->n; i++) {
		p = o->v[i].made ? (const void *)(o->made.buf + o->v[i].off) :
			(const void *)(ix->map + o->v[i].off);
		if (h)
			idxsum_update(h, p, o->v[i].len);
		if (write_all(fd, p, o->v[i].len) < 0)
			goto out;
	}
	if (h)
		idxsum_final(h, sum);
	if (write_all(fd, h ? sum : zero, GIX_OIDLEN) < 0)
		goto out;
	if (h && opt->marks)
		idxsum_save(h, opt->shared);
	ret = 0;
out:
	idxsum_free(h);
	return ret;
}

int gix_write(const struct gix *ix, const struct gix_edit *ed, size_t n,
	int fd, const struct gix_write_opts *opt, struct diag *d)
{
	static const struct gix_write_opts none;
	struct out o;
	unsigned char hdr[HDR_LEN];
	size_t i;
	int ret = 0;

	if (!opt)
		opt = &none;
	if (ix->unwritable)
		return diag_add(d, ERR_CONFLICT, _("%s, which docket does not "
			"write; nothing was changed: `git update-index "
			"--no-split-index` or `git sparse-checkout disable` makes "
			"it plain"), ix->unwritable);
	for (i = 1; i < n; i++)
		if (strcmp(ed[i - 1].path, ed[i].path) >= 0)
			return diag_add(d, ERR_GENERIC, _("index edits out of "
				"order at '%s'"), ed[i].path);
	memset(&o, 0, sizeof(o));
	sb_init(&o.made);
	memcpy(hdr, "DIRC", 4);
	put32(hdr + 4, ix->version);
	sb_add(&o.made, hdr, HDR_LEN);
	piece_add(&o, 1, 0, HDR_LEN);
	merge_entries(&o, ix, ed, n, opt->worktree);
	keep_extensions(&o, ix);
	put32((unsigned char *)o.made.buf + 8, o.count);
	if (write_pieces(fd, &o, ix, opt) < 0)
		ret = diag_add(d, ERR_IO, _("cannot write git's index: %s"),
			strerror(errno));
	free(o.v);
	sb_release(&o.made);
	return ret;
}
