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

#include "byteorder.h"
#include "ewah.h"
#include "gitindex.h"
#include "idxsum.h"
#include "intl.h"

#define HDR_LEN 12
#define FIXED 62		/* stat data 40, oid 20, flags 2 */
#define XFIXED 64		/* with the extended flags of v3 */
#define OID_AT 40
#define FLAGS_AT 60
#define MAX_ENTRIES (1u << 26)

uint32_t gix_st(const struct gix_ent *e, int f)
{
	return get_be32(e->raw + 4 * f);
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

/*
 * The entry arrays: a large one (3.2 MB at 100,000 entries) is mapped
 * with its pages populated in one call; taken one by one, its page
 * faults were a third of reading a large index on a virtual machine.
 */
#define ENTS_MAPPED_FROM (1u << 20)

static struct gix_ent *ents_alloc(size_t n, size_t *mapped)
{
	size_t len = (n ? n : 1) * sizeof(struct gix_ent);
	void *p;

	*mapped = 0;
	if (len >= ENTS_MAPPED_FROM) {
		p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE |
			MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
		if (p != MAP_FAILED) {
			*mapped = len;
			return p;	/* zeroed, as calloc's */
		}
	}
	return xcalloc(n ? n : 1, sizeof(struct gix_ent));
}

static void ents_free(struct gix_ent *e, size_t mapped)
{
	if (mapped)
		munmap(e, mapped);
	else
		free(e);
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
	/* e_lead slots before the entries: a split index's merge writes
	 * there (merge_split) */
	ix->e = ents_alloc(count + ix->e_lead, &ix->e_mapped) + ix->e_lead;
	for (i = 0; i < count; i++) {
		e = &ix->e[i];
		if ((size_t)(end - p) < FIXED + 1) {
			*why = _("an entry runs past the end");
			return -1;
		}
		e->raw = p;
		e->base = -1;
		e->flags = get_be16(p + FLAGS_AT);
		fixed = FIXED;
		if (e->flags & GIX_EXTENDED) {
			if (ix->version < 3 || (size_t)(end - p) < XFIXED + 1) {
				*why = _("extended flags in a version 2 index");
				return -1;
			}
			e->xflags = get_be16(p + FIXED);
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
		size = get_be32(b + pos + 4);
		if (size > end - pos - 8) {
			*why = _("an extension runs past the end");
			return -1;
		}
		if (!memcmp(b + pos, "link", 4)) {
			ix->link_off = pos + 8;
			ix->link_len = size;
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

static const char *split_unread = N_("git's index is split "
	"(core.splitIndex) and its shared index was not read");

static int parse(struct gix *ix, unsigned flags, const char *name,
	struct diag *d)
{
	static const unsigned char zero[GIX_OIDLEN];
	const char *why = NULL;
	int disorder = 0;

	if (ix->len < HDR_LEN + GIX_OIDLEN || memcmp(ix->map, "DIRC", 4))
		return bad(d, name, _("no index signature"));
	ix->version = get_be32(ix->map + 4);
	if (ix->version < 2 || ix->version > 4)
		return diag_add(d, ERR_INVALID, _("git's index '%s' is "
			"version %u, which docket does not know"), name,
			(unsigned)ix->version);
	ix->skip_hash = !memcmp(ix->map + ix->len - GIX_OIDLEN, zero,
		GIX_OIDLEN);
	ix->mem = arena_new(ix->version == 4 ? ix->len * 2 : 64);
	if (parse_entries(ix, get_be32(ix->map + 8), &why, &disorder) < 0 ||
	    parse_extensions(ix, &why) < 0)
		return bad(d, name, why);
	/* until its shared index is merged in (gix_read) */
	if (ix->link_off && !ix->unwritable)
		ix->unwritable = split_unread;
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

/* ---- the split index ----------------------------------------------- */

static size_t popcount(const struct bits *b)
{
	size_t i, n = 0;

	for (i = 0; i < b->nwords; i++)
		n += (size_t)__builtin_popcountll(b->w[i]);
	return n;
}

static int read_index_file(struct gix **out, const char *path, unsigned flags,
	size_t lead, struct diag *d);

/* The shared index a split index names: .git/sharedindex.HEX, which
 * must end with that very checksum and not be split itself; lead: slots
 * to keep before its entries (merge_split). */
static int read_shared(struct gix **out, const char *path,
	const unsigned char *oid, size_t lead, struct diag *d)
{
	static const char digits[] = "0123456789abcdef";
	struct sb shared = SB_INIT;
	const char *slash = strrchr(path, '/');
	struct gix *base = NULL;
	int i, ret;

	sb_addf(&shared, "%.*s/sharedindex.", slash ? (int)(slash - path) :
		1, slash ? path : ".");
	for (i = 0; i < GIX_OIDLEN; i++) {
		sb_addc(&shared, digits[oid[i] >> 4]);
		sb_addc(&shared, digits[oid[i] & 15]);
	}
	ret = read_index_file(&base, shared.buf, 0, lead, d);
	if (!ret && !base->map)
		ret = bad(d, path, _("the shared index it names is missing"));
	else if (!ret && (base->link_off || memcmp(base->map + base->len -
	    GIX_OIDLEN, oid, GIX_OIDLEN)))
		ret = bad(d, path, _("its shared index does not match"));
	if (ret)
		gix_free(base);
	else
		*out = base;
	sb_release(&shared);
	return ret;
}

/* Entry k of the shared index as the merged index has it: itself, or
 * the split index's next replacement, which is nameless (git's
 * replace_entry() refuses a named one) and takes its name. */
static int merged_base(struct gix_ent *out, const struct gix *ix,
	const struct gix *base, const struct bits *rep, size_t k, size_t *r)
{
	/* copied first: out may be this very entry's slot */
	struct gix_ent b = base->e[k];

	*out = b;
	if (bits_get(rep, k)) {
		if (ix->e[*r].pathlen)
			return -1;
		*out = ix->e[(*r)++];
		out->path = b.path;
		out->pathlen = b.pathlen;
	}
	out->base = (int32_t)k;
	out->rawlen = 0;	/* not a run of this file to copy */
	return 0;
}

/* The first entry of the shared index from `from` on whose path sorts
 * after path: where an added entry goes. */
static size_t base_after(const struct gix *base, size_t from,
	const char *path)
{
	size_t lo = from, hi = base->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(base->e[mid].path, path) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * The merged entries: the shared index's in its order (sorted, as its
 * parse checked), the deleted left out, each added one where a binary
 * search puts it, so a 100,000-entry index costs no comparison per
 * entry.  The added ones must be sorted among themselves.
 *
 * out is the shared index's own array, base->e minus its ix->n lead
 * slots: the merge runs in place.  Entry n goes where at most k
 * shared entries and fewer than ix->n added ones went before it, so
 * it never lands past slot lead + k, the next shared entry to read,
 * nor on the entries a binary search still looks at.
 */
static const char *merge_base(struct gix_ent *out, size_t *nout,
	const struct gix *ix, const struct gix *base, const struct bits *del,
	const struct bits *rep, size_t nrep)
{
	size_t k = 0, r = 0, a, n = 0, upto;

	for (a = nrep; a <= ix->n; a++) {
		if (a < ix->n && !ix->e[a].pathlen)
			return _("a nameless entry that replaces nothing");
		if (a < ix->n && a > nrep &&
		    strcmp(ix->e[a - 1].path, ix->e[a].path) > 0)
			return _("entries out of order");
		upto = a < ix->n ? base_after(base, k, ix->e[a].path) : base->n;
		for (; k < upto; k++) {
			if (bits_get(del, k))
				continue;
			if (merged_base(&out[n++], ix, base, rep, k, &r) < 0)
				return _("a replacement with a name");
		}
		if (a < ix->n)
			out[n++] = ix->e[a];
	}
	*nout = n;
	return NULL;
}

/* An index whose every entry is its own (a link naming no shared
 * index): sorted and named, as a whole index must be. */
static const char *check_whole(const struct gix *ix)
{
	size_t i;

	for (i = 0; i < ix->n; i++) {
		if (!ix->e[i].pathlen)
			return _("a nameless entry");
		if (i && strcmp(ix->e[i - 1].path, ix->e[i].path) > 0)
			return _("entries out of order");
	}
	return NULL;
}

/*
 * A split index: the shared index's entries with the deleted ones left
 * out and the replaced ones taken from this file, then this file's
 * other entries merged in by path (git's merge_base_index()).
 */
static int merge_split(struct gix *ix, const char *path, struct diag *d)
{
	static const unsigned char zero[GIX_OIDLEN];
	const unsigned char *p = ix->map + ix->link_off;
	struct bits del, rep;
	struct gix *base = NULL;
	struct gix_ent *out;
	const char *why = NULL;
	size_t used, used2, nrep, n = 0, i;
	int ret = 0;

	memset(&del, 0, sizeof(del));
	memset(&rep, 0, sizeof(rep));
	if (ix->link_len < GIX_OIDLEN)
		return bad(d, path, _("a damaged link extension"));
	if (!memcmp(p, zero, GIX_OIDLEN)) {
		/* no shared index: every entry is here */
		if ((why = check_whole(ix)))
			return bad(d, path, why);
		goto merged;
	}
	ret = read_shared(&base, path, p, ix->n, d);
	if (ret)
		return ret;
	if (ewah_read(&del, p + GIX_OIDLEN, ix->link_len - GIX_OIDLEN,
	    base->n, &used) < 0 ||
	    ewah_read(&rep, p + GIX_OIDLEN + used, ix->link_len -
	    GIX_OIDLEN - used, base->n, &used2) < 0 ||
	    GIX_OIDLEN + used + used2 != ix->link_len) {
		ret = bad(d, path, _("a damaged link extension"));
		goto out;
	}
	for (i = 0; i < del.nwords && i < rep.nwords; i++)
		if (del.w[i] & rep.w[i]) {
			ret = bad(d, path, _("an entry both replaced and deleted"));
			goto out;
		}
	nrep = popcount(&rep);
	if (nrep > ix->n) {
		ret = bad(d, path, _("more replacements than entries"));
		goto out;
	}
	out = base->e - base->e_lead;
	why = merge_base(out, &n, ix, base, &del, &rep, nrep);
	if (why) {
		ret = bad(d, path, why);
		goto out;
	}
	/* the array is the merged index's now; base keeps its map */
	ents_free(ix->e - ix->e_lead, ix->e_mapped);
	ix->e = out;
	ix->e_mapped = base->e_mapped;
	ix->e_lead = 0;
	ix->n = n;
	base->e = NULL;
	base->e_mapped = base->e_lead = 0;
	ix->base = base;
	base = NULL;
merged:
	ix->conflicts = 0;
	for (i = 0; i < ix->n; i++)
		ix->conflicts += (ix->e[i].flags & GIX_STAGEMASK) != 0;
	ix->partial = 0;
	if (ix->unwritable == split_unread)
		ix->unwritable = NULL;
out:
	gix_free(base);
	bits_release(&del);
	bits_release(&rep);
	return ret;
}

int gix_read(struct gix **out, const char *path, unsigned flags,
	struct diag *d)
{
	return read_index_file(out, path, flags, 0, d);
}

static int read_index_file(struct gix **out, const char *path, unsigned flags,
	size_t lead, struct diag *d)
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
	ix->e_lead = lead;
	ix->mtime = st.st_mtim;
	ix->len = (size_t)st.st_size;
	if (ix->len < HDR_LEN + GIX_OIDLEN) {
		ret = bad(d, path, _("too short"));
		goto out;
	}
	/* every page is read: mapped in one call, not fault by fault */
	map = mmap(NULL, ix->len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (map == MAP_FAILED) {
		ret = diag_add(d, ERR_IO, _("cannot read git's index '%s': %s"),
			path, strerror(errno));
		goto out;
	}
	ix->map = map;
	ix->mapped = 1;
	ret = parse(ix, flags, path, d);
	if (!ret && ix->link_off)
		ret = merge_split(ix, path, d);
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
	if (ix->e)
		ents_free(ix->e - ix->e_lead, ix->e_mapped);
	arena_free(ix->mem);
	gix_free(ix->base);
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
	return ix->unwritable == split_unread ? _(split_unread) :
		ix->unwritable;
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
		put_be32(fixed + 4 * i, st[i]);
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
static int racy_changed(const struct gix_ent *e, const char *worktree)
{
	unsigned char oid[GIX_OIDLEN];
	struct sb path = SB_INIT;
	int ret;

	if (!gix_st(e, GIX_SIZE) || (e->flags & GIX_STAGEMASK) ||
	    (gix_st(e, GIX_MODE) & 0170000) != 0100000)
		return 0;
	sb_addf(&path, "%s/%s", worktree, e->path);
	ret = hash_file(oid, path.buf) < 0 ||
		memcmp(oid, gix_oid(e), GIX_OIDLEN) != 0;
	sb_release(&path);
	return ret;
}

/* Inline: a split write asks it of every entry, and few are racy. */
static inline int needs_smudge(const struct gix *ix, const struct gix_ent *e,
	const char *worktree)
{
	return worktree && is_racy(ix, e) && racy_changed(e, worktree);
}

/* Keep entry e under the name path (a split index's replacements
 * are nameless): copied as it is where the format allows. */
static void keep_as(struct out *o, const struct gix *ix,
	const struct gix_ent *e, const char *worktree, const char *path,
	size_t pathlen)
{
	uint32_t st[GIX__STAT];
	int i, smudge = needs_smudge(ix, e, worktree);

	if (e->rawlen && !smudge && path == e->path) {
		piece_add(o, 0, (size_t)(e->raw - ix->map), e->rawlen);
		o->count++;
		return;
	}
	for (i = 0; i < GIX__STAT; i++)
		st[i] = gix_st(e, i);
	if (smudge)
		st[GIX_SIZE] = 0;
	emit(o, ix, st, gix_oid(e), e->flags, e->xflags, path, pathlen);
}

static void keep(struct out *o, const struct gix *ix, const struct gix_ent *e,
	const char *worktree)
{
	keep_as(o, ix, e, worktree, e->path, e->pathlen);
}

static void put_edit_as(struct out *o, const struct gix *ix,
	const struct gix_edit *ed, const char *path, size_t pathlen)
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
	emit(o, ix, st, ed->oid, 0, 0, path, pathlen);
}

static void put_edit(struct out *o, const struct gix *ix,
	const struct gix_edit *ed)
{
	if (!ed->remove)
		put_edit_as(o, ix, ed, ed->path, strlen(ed->path));
}

/*
 * Walk ix merged with the edits, by path: fn(e, NULL) for an entry
 * kept, fn(e or NULL, edit) for each edit, over the entry of its path
 * if there is one.  Every other stage of an edited path goes, as `git
 * add` resolves a conflict: fn(e, a removal) for each.  skip_shared:
 * no fn(e, NULL) for an entry of the shared index (a split index).
 */
typedef void merge_fn(void *arg, const struct gix_ent *e,
	const struct gix_edit *ed);

/* The first entry from `from` on whose path does not sort before
 * path (the entries are sorted: their reading checked it). */
static size_t entry_from(const struct gix *ix, size_t from, const char *path)
{
	size_t lo = from, hi = ix->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(ix->e[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The edits are few and the entries many: each edit's place is found
 * by a binary search, and the entries between go by uncompared. */
static void merge_walk(const struct gix *ix, const struct gix_edit *ed,
	size_t n, merge_fn *fn, void *arg, int skip_shared)
{
	static const struct gix_edit gone = { .path = "", .remove = 1 };
	size_t i = 0, j, upto;

	for (j = 0; j <= n; j++) {
		upto = j < n ? entry_from(ix, i, ed[j].path) : ix->n;
		for (; i < upto; i++)
			if (!skip_shared || ix->e[i].base < 0)
				fn(arg, &ix->e[i], NULL);
		if (j == n)
			break;
		if (i == ix->n || strcmp(ix->e[i].path, ed[j].path)) {
			fn(arg, NULL, &ed[j]);
			continue;
		}
		fn(arg, &ix->e[i++], &ed[j]);
		while (i < ix->n && !strcmp(ix->e[i].path, ed[j].path))
			fn(arg, &ix->e[i++], &gone);
	}
}

struct step {
	struct out *o;
	const struct gix *ix;
	const char *worktree;
	/* a split index: the shared index's entries deleted, replaced,
	 * and those the merged index still has */
	struct bits del, rep, seen;
	size_t changed;
};

/* Every entry, in full: a plain index. */
static void plain_step(void *arg, const struct gix_ent *e,
	const struct gix_edit *ed)
{
	struct step *s = arg;

	if (ed)
		put_edit(s->o, s->ix, ed);
	else
		keep(s->o, s->ix, e, s->worktree);
}

/* The entries of the new file: ix's merged with the edits. */
static void merge_entries(struct out *o, const struct gix *ix,
	const struct gix_edit *ed, size_t n, const char *worktree)
{
	struct step s;

	memset(&s, 0, sizeof(s));
	s.o = o;
	s.ix = ix;
	s.worktree = worktree;
	merge_walk(ix, ed, n, plain_step, &s, 0);
}

/* The extensions kept: REUC (resolve-undo) as it is; the caches git
 * rebuilds (TREE, UNTR, FSMN, EOIE, IEOT, any optional one) dropped. */
static void keep_extensions(struct out *o, const struct gix *ix)
{
	size_t pos = ix->ext_off, end = ix->len ? ix->len - GIX_OIDLEN : 0;
	size_t size;

	while (pos + 8 <= end) {
		size = get_be32(ix->map + pos + 4);
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

/* Write the pieces and the checksum (resumed from the marks file;
 * zeros for skip-hash), which goes to sum too if it is not NULL. */
static int write_pieces(int fd, const struct out *o, const struct gix *ix,
	const char *marks, int shared, unsigned char *sum_out)
{
	static const unsigned char zero[GIX_OIDLEN];
	unsigned char sum[IDXSUM_LEN];
	struct idxsum *h = NULL;
	const void *p;
	size_t i;
	int ret = -1;

	if (!ix->skip_hash)
		h = idxsum_begin(marks, ix->map, ix->len,
			marks ? same_prefix(o, ix) : 0);
	for (i = 0; i < o->n; i++) {
		p = o->v[i].made ? (const void *)(o->made.buf + o->v[i].off) :
			(const void *)(ix->map + o->v[i].off);
		if (h)
			idxsum_update(h, p, o->v[i].len);
		if (write_in_full(fd, p, o->v[i].len) < 0)
			goto out;
	}
	if (h)
		idxsum_final(h, sum);
	if (write_in_full(fd, h ? sum : zero, GIX_OIDLEN) < 0)
		goto out;
	if (sum_out)
		memcpy(sum_out, h ? sum : zero, GIX_OIDLEN);
	if (h && marks)
		idxsum_save(h, shared);
	ret = 0;
out:
	idxsum_free(h);
	return ret;
}

/* ---- writing a split index -------------------------------------------- */

/* 1 if e is the shared index's own entry, as it is there. */
static int pristine(const struct gix *ix, const struct gix_ent *e)
{
	return ix->base && e->raw >= ix->base->map &&
		e->raw < ix->base->map + ix->base->len;
}

/* First pass: the shared index's entries that change, deleted or
 * replaced (written nameless, in the shared index's order). */
static void replace_step(void *arg, const struct gix_ent *e,
	const struct gix_edit *ed)
{
	struct step *s = arg;

	if (!e || e->base < 0)
		return;
	bits_set(&s->seen, (size_t)e->base);
	if (ed && ed->remove) {
		bits_set(&s->del, (size_t)e->base);
	} else if (ed) {
		put_edit_as(s->o, s->ix, ed, "", 0);
		bits_set(&s->rep, (size_t)e->base);
	} else if (!pristine(s->ix, e) ||
	    needs_smudge(s->ix, e, s->worktree)) {
		keep_as(s->o, s->ix, e, s->worktree, "", 0);
		bits_set(&s->rep, (size_t)e->base);
	} else {
		return;		/* as the shared index has it */
	}
	s->changed++;
}

/* Second pass: the entries the shared index does not have, by path. */
static void add_step(void *arg, const struct gix_ent *e,
	const struct gix_edit *ed)
{
	struct step *s = arg;

	if (e && e->base >= 0)
		return;
	if (ed && ed->remove)
		return;
	s->changed++;
	if (ed)
		put_edit(s->o, s->ix, ed);
	else
		keep(s->o, s->ix, e, s->worktree);
}

static void out_begin(struct out *o, uint32_t version)
{
	unsigned char hdr[HDR_LEN];

	memset(o, 0, sizeof(*o));
	sb_init(&o->made);
	memcpy(hdr, "DIRC", 4);
	put_be32(hdr + 4, version);
	put_be32(hdr + 8, 0);
	sb_add(&o->made, hdr, HDR_LEN);
	piece_add(o, 1, 0, HDR_LEN);
}

static void out_release(struct out *o)
{
	free(o->v);
	sb_release(&o->made);
	memset(o, 0, sizeof(*o));
}

static void hex_of(char out[2 * GIX_OIDLEN + 1], const unsigned char *oid)
{
	static const char digits[] = "0123456789abcdef";
	int i;

	for (i = 0; i < GIX_OIDLEN; i++) {
		out[2 * i] = digits[oid[i] >> 4];
		out[2 * i + 1] = digits[oid[i] & 15];
	}
	out[2 * GIX_OIDLEN] = '\0';
}

/*
 * A new shared index: every entry, written to .git/sharedindex.HEX (HEX
 * its own checksum, as git names it) and made durable before any index
 * names it.
 */
static int write_shared(unsigned char oid[GIX_OIDLEN], const struct gix *ix,
	const struct gix_edit *ed, size_t n, const struct gix_write_opts *opt,
	struct diag *d)
{
	struct out o;
	struct sb tmp = SB_INIT, path = SB_INIT;
	char hex[2 * GIX_OIDLEN + 1];
	int fd, ret = 0;

	out_begin(&o, ix->version);
	merge_entries(&o, ix, ed, n, opt->worktree);
	put_be32((unsigned char *)o.made.buf + 8, o.count);
	sb_addf(&tmp, "%s/sharedindex.docket-%ld", opt->gitdir,
		(long)getpid());
	unlink(tmp.buf);
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		O_NOFOLLOW, opt->mode ? opt->mode : 0644);
	if (fd < 0 || write_pieces(fd, &o, ix, NULL, 0, oid) < 0 ||
	    fsync(fd) < 0)
		ret = diag_add(d, ERR_IO, _("cannot write '%s': %s"), tmp.buf,
			strerror(errno));
	if (fd >= 0 && close(fd) < 0 && !ret)
		ret = diag_add(d, ERR_IO, _("cannot write '%s': %s"), tmp.buf,
			strerror(errno));
	hex_of(hex, oid);
	sb_addf(&path, "%s/sharedindex.%s", opt->gitdir, hex);
	if (!ret && rename(tmp.buf, path.buf) < 0)
		ret = diag_add(d, ERR_IO, _("cannot rename '%s' to '%s': %s"),
			tmp.buf, path.buf, strerror(errno));
	if (ret)
		unlink(tmp.buf);
	out_release(&o);
	sb_release(&tmp);
	sb_release(&path);
	return ret;
}

/* The shared index in use is touched, as git's freshen_shared_index()
 * does, so that git's splitIndex.sharedIndexExpire keeps it. */
static void freshen_shared(const unsigned char *oid, const char *gitdir)
{
	struct sb path = SB_INIT;
	char hex[2 * GIX_OIDLEN + 1];

	hex_of(hex, oid);
	sb_addf(&path, "%s/sharedindex.%s", gitdir, hex);
	(void)utimensat(AT_FDCWD, path.buf, NULL, 0);
	sb_release(&path);
}

/* The shared index's entries the merged index no longer has were
 * deleted before and stay deleted: set in del, counted.  Word by word:
 * both arrays hold nbits (bits_reserve). */
static size_t still_deleted(struct bits *del, const struct bits *seen,
	size_t nbits)
{
	size_t i, n = 0, words = (nbits + 63) / 64;
	uint64_t gone;

	for (i = 0; i < words; i++) {
		gone = ~seen->w[i] & ~del->w[i];
		if (i == words - 1 && nbits % 64)
			gone &= ((uint64_t)1 << (nbits % 64)) - 1;
		del->w[i] |= gone;
		n += (size_t)__builtin_popcountll(gone);
	}
	return n;
}

/* git's too_many_not_shared_entries(), counting every change. */
static int too_many_changes(size_t changed, size_t total, int max)
{
	if (max < 0 || max > 100)
		max = 20;
	if (max == 0)
		return 1;
	if (max == 100)
		return 0;
	return (uint64_t)changed * 100 > (uint64_t)total * (uint64_t)max;
}

/*
 * A split index: the entries that differ from the shared index (the
 * replaced ones nameless, in its order, then the added ones by path)
 * and a "link" extension naming it, with the deleted and replaced ones
 * as EWAH bitmaps.  A new shared index first when there is none yet or
 * too much differs.
 */
static int write_split(const struct gix *ix, const struct gix_edit *ed,
	size_t n, int fd, const struct gix_write_opts *opt, struct diag *d)
{
	struct out o;
	struct step s;
	struct sb link = SB_INIT;
	unsigned char oid[GIX_OIDLEN], len[4];
	int ret = 0;

	memset(&s, 0, sizeof(s));
	out_begin(&o, ix->version);
	s.o = &o;
	s.ix = ix;
	s.worktree = opt->worktree;
	if (ix->base) {
		bits_reserve(&s.seen, ix->base->n);
		bits_reserve(&s.del, ix->base->n);
		bits_reserve(&s.rep, ix->base->n);
		merge_walk(ix, ed, n, replace_step, &s, 0);
		/* the shared index's unedited entries add nothing */
		merge_walk(ix, ed, n, add_step, &s, 1);
		s.changed += still_deleted(&s.del, &s.seen, ix->base->n);
	}
	if (!ix->base || too_many_changes(s.changed, ix->n + n,
	    opt->max_change)) {
		out_release(&o);
		out_begin(&o, ix->version);
		bits_release(&s.del);
		bits_release(&s.rep);
		ret = write_shared(oid, ix, ed, n, opt, d);
		if (ret)
			goto out;
	} else {
		memcpy(oid, ix->base->map + ix->base->len - GIX_OIDLEN,
			GIX_OIDLEN);
		freshen_shared(oid, opt->gitdir);
	}
	sb_add(&link, oid, GIX_OIDLEN);
	ewah_write(&link, &s.del);
	ewah_write(&link, &s.rep);
	put_be32(len, (uint32_t)link.len);
	piece_add(&o, 1, o.made.len, 4);
	sb_add(&o.made, "link", 4);
	piece_add(&o, 1, o.made.len, 4);
	sb_add(&o.made, len, 4);
	piece_add(&o, 1, o.made.len, link.len);
	sb_add(&o.made, link.buf, link.len);
	keep_extensions(&o, ix);
	put_be32((unsigned char *)o.made.buf + 8, o.count);
	if (write_pieces(fd, &o, ix, opt->marks, opt->shared, opt->sum) < 0)
		ret = diag_add(d, ERR_IO, _("cannot write git's index: %s"),
			strerror(errno));
out:
	out_release(&o);
	bits_release(&s.del);
	bits_release(&s.rep);
	bits_release(&s.seen);
	sb_release(&link);
	return ret;
}

/* Split or not: core.splitIndex if set; unset, as the index is, and
 * split from GIX_SPLIT_FROM entries on, where rewriting the whole file
 * is most of a write.  Never a version 4 or skip-hash index (their
 * nameless entries and checksums are not what docket writes). */
static int want_split(const struct gix *ix, const struct gix_write_opts *o)
{
	int split = o->split >= 0 ? o->split :
		ix->base != NULL || ix->n >= GIX_SPLIT_FROM;

	return split && o->gitdir && ix->version < 4 && !ix->skip_hash;
}

int gix_write(const struct gix *ix, const struct gix_edit *ed, size_t n,
	int fd, const struct gix_write_opts *opt, struct diag *d)
{
	static const struct gix_write_opts none = { .split = -1 };
	struct out o;
	size_t i;
	int ret = 0;

	if (!opt)
		opt = &none;
	if (ix->unwritable)
		return diag_add(d, ERR_CONFLICT, _("%s, which docket does not "
			"write; nothing was changed: `git update-index "
			"--no-split-index` or `git sparse-checkout disable` makes "
			"it plain"), gix_writable(ix));
	for (i = 1; i < n; i++)
		if (strcmp(ed[i - 1].path, ed[i].path) >= 0)
			return diag_add(d, ERR_GENERIC, _("index edits out of "
				"order at '%s'"), ed[i].path);
	if (want_split(ix, opt))
		return write_split(ix, ed, n, fd, opt, d);
	out_begin(&o, ix->version);
	merge_entries(&o, ix, ed, n, opt->worktree);
	keep_extensions(&o, ix);
	put_be32((unsigned char *)o.made.buf + 8, o.count);
	if (write_pieces(fd, &o, ix, opt->marks, opt->shared, opt->sum) < 0)
		ret = diag_add(d, ERR_IO, _("cannot write git's index: %s"),
			strerror(errno));
	free(o.v);
	sb_release(&o.made);
	return ret;
}
