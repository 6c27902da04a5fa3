/*
 * util.c - string builder, checked allocation, error lists, UTF-8.
 */
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <unistr.h>

#include "intl.h"
#include "util.h"

char sb_empty[1];

static void die_oom(size_t n)
{
	fprintf(stderr, "docket: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		die_oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);

	if (!p)
		die_oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		die_oom(n);
	return q;
}

void xqsort(void *base, size_t n, size_t size,
	int (*cmp)(const void *, const void *))
{
	if (n > 1)
		qsort(base, n, size, cmp);
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void xgrow(void **p, size_t *alloc, size_t n, size_t sz)
{
	size_t want;

	if (n <= *alloc)
		return;
	want = *alloc ? *alloc : 8;
	while (want < n)
		want *= 2;
	if (want > SIZE_MAX / sz)
		die_oom(SIZE_MAX);
	*p = xrealloc(*p, want * sz);
	*alloc = want;
}

size_t append_cap(size_t n)
{
	size_t c = 1;

	while (c < n)
		c *= 2;
	return c;
}

void *xappend(void *p, size_t n, size_t sz)
{
	/* Full exactly when n is 0 or a power of two. */
	if (n && (n & (n - 1)))
		return p;
	if (n > SIZE_MAX / 2 / sz)
		die_oom(SIZE_MAX);
	return xrealloc(p, (n ? 2 * n : 1) * sz);
}

void sb_init(struct sb *sb)
{
	sb->buf = sb_empty;
	sb->len = 0;
	sb->alloc = 0;
}

void sb_release(struct sb *sb)
{
	if (sb->alloc)
		free(sb->buf);
	sb_init(sb);
}

void sb_reset(struct sb *sb)
{
	sb->len = 0;
	if (sb->alloc)
		sb->buf[0] = '\0';
}

void sb_grow(struct sb *sb, size_t extra)
{
	size_t want = sb->len + extra + 1, a;

	if (want <= sb->alloc)
		return;
	a = sb->alloc ? sb->alloc : 64;
	while (a < want)
		a *= 2;
	/* The initial buffer is the shared empty string: never realloc it. */
	sb->buf = xrealloc(sb->alloc ? sb->buf : NULL, a);
	if (!sb->alloc)
		sb->buf[0] = '\0';
	sb->alloc = a;
}

void sb_add(struct sb *sb, const void *data, size_t len)
{
	if (!len)
		return;
	sb_grow(sb, len);
	memcpy(sb->buf + sb->len, data, len);
	sb->len += len;
	sb->buf[sb->len] = '\0';
}

void sb_adds(struct sb *sb, const char *s)
{
	sb_add(sb, s, strlen(s));
}

void sb_addc(struct sb *sb, int c)
{
	sb_grow(sb, 1);
	sb->buf[sb->len++] = (char)c;
	sb->buf[sb->len] = '\0';
}

void sb_vaddf(struct sb *sb, const char *fmt, va_list ap)
{
	va_list cp;
	char probe[1];
	int n;

	if (!fmt)
		return;
	va_copy(cp, ap);
	n = vsnprintf(probe, sizeof(probe), fmt, cp);
	va_end(cp);
	if (n < 0)
		return;
	sb_grow(sb, (size_t)n);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	sb->len += (size_t)n;
}

void sb_addf(struct sb *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(sb, fmt, ap);
	va_end(ap);
}

char *sb_detach(struct sb *sb, size_t *len)
{
	char *p;

	if (len)
		*len = sb->len;
	p = sb->alloc ? sb->buf : xstrdup("");
	sb_init(sb);
	return p;
}

int text_blank(const char *s)
{
	while (*s) {
		if (strchr(" \t\r\n\v\f", *s))
			s++;
		else if (!strncmp(s, "\xe3\x80\x80", 3))
			s += 3;
		else
			return 0;
	}
	return 1;
}

void sb_rtrim(struct sb *sb)
{
	while (sb->len && strchr(" \t\r\n", sb->buf[sb->len - 1]))
		sb->len--;
	if (sb->alloc)
		sb->buf[sb->len] = '\0';
}

static int diag_vadd(struct diag *d, int code, const char *prefix,
	const char *fmt, va_list ap)
{
	struct sb sb = SB_INIT;

	if (prefix)
		sb_adds(&sb, prefix);
	sb_vaddf(&sb, fmt, ap);
	GROW(d->msg, d->alloc, d->n + 1);
	d->msg[d->n++] = sb_detach(&sb, NULL);
	if (!d->code)
		d->code = code;
	return code;
}

int diag_add(struct diag *d, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd(d, code, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int diag_at(struct diag *d, int code, const char *file, int line, int col,
	const char *fmt, ...)
{
	struct sb pre = SB_INIT;
	va_list ap;

	if (file) {
		sb_adds(&pre, file);
		if (line > 0)
			sb_addf(&pre, ":%d", line);
		if (line > 0 && col > 0)
			sb_addf(&pre, ":%d", col);
		sb_adds(&pre, ": ");
	}
	va_start(ap, fmt);
	diag_vadd(d, code, pre.buf, fmt, ap);
	va_end(ap);
	sb_release(&pre);
	return code;
}

void diag_clear(struct diag *d)
{
	free_strv(d->msg, d->n);
	d->msg = NULL;
	d->n = d->alloc = 0;
	d->code = 0;
}

void diag_release(struct diag *d)
{
	diag_clear(d);
}

/* Read all of fd into out (at most max bytes); path names it. */
static int read_fd(struct sb *out, int fd, const char *path, size_t max,
	struct diag *d)
{
	char buf[65536];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return diag_add(d, ERR_IO, _("cannot read '%s': %s"), path,
				strerror(errno));
		}
		if (out->len + (size_t)n > max)
			return diag_add(d, ERR_INVALID,
				_("'%s' is larger than the limit of %zu bytes"),
				path, max);
		sb_add(out, buf, (size_t)n);
	}
	return 0;
}

int read_file(struct sb *out, const char *path, size_t max, struct diag *d)
{
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return diag_add(d, errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
			_("cannot open '%s': %s"), path, strerror(errno));
	ret = read_fd(out, fd, path, max, d);
	close(fd);
	return ret;
}

int read_regular(struct sb *out, const char *path, size_t max,
	struct diag *d)
{
	struct stat st;
	int fd, ret;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0 && errno == ELOOP)
		return diag_add(d, ERR_INVALID, _("'%s' is a symbolic link, "
			"not a regular file"), path);
	if (fd < 0)
		return diag_add(d, errno == ENOENT ? ERR_NOTFOUND : ERR_IO,
			_("cannot open '%s': %s"), path, strerror(errno));
	if (fstat(fd, &st) < 0) {
		ret = diag_add(d, ERR_IO, _("cannot read '%s': %s"), path,
			strerror(errno));
	} else if (S_ISFIFO(st.st_mode)) {
		ret = diag_add(d, ERR_INVALID, _("'%s' is not a regular file "
			"but a FIFO"), path);
	} else if (S_ISDIR(st.st_mode)) {
		ret = diag_add(d, ERR_INVALID, _("'%s' is not a regular file "
			"but a folder"), path);
	} else if (!S_ISREG(st.st_mode)) {
		ret = diag_add(d, ERR_INVALID, _("'%s' is not a regular file "
			"but a device or socket"), path);
	} else if ((uint64_t)st.st_size > max) {
		ret = diag_add(d, ERR_INVALID, _("'%s' is larger than the "
			"limit of %zu bytes"), path, max);
	} else {
		ret = read_fd(out, fd, path, max, d);
	}
	close(fd);
	return ret;
}

/* libunistring's decoder refuses overlongs, surrogates and > U+10FFFF. */
int utf8_decode(const char *s, size_t len, unsigned *cp)
{
	ucs4_t uc;
	int n;

	if (!len)
		return 0;
	n = u8_mbtoucr(&uc, (const uint8_t *)s, len);
	if (n <= 0)
		return 0;	/* invalid (-1) or cut short (-2) */
	*cp = uc;
	return n;
}

int utf8_valid(const char *s, size_t len)
{
	return u8_check((const uint8_t *)s, len) == NULL;
}

size_t utf8_len(const char *s, size_t len)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
	size_t i = 0, follow = 0;
	uint64_t w;

	/* eight bytes at a time: a byte 10xxxxxx follows a lead byte, and
	 * has bit 7 set where (w << 1) brings its bit 6, clear, into it;
	 * those bits moved to bit 0 of each byte are summed by a multiply */
	for (; len - i >= 8; i += 8) {
		memcpy(&w, s + i, 8);
		follow += (size_t)((((w & ~(w << 1) & high) >> 7) * ones) >> 56);
	}
	for (; i < len; i++)
		follow += ((unsigned char)s[i] & 0xc0) == 0x80;
	return len - follow;
}

static int is_control(unsigned cp, int allow_newline)
{
	if (cp == '\n' || cp == '\t')
		return !allow_newline;
	if (cp < 0x20 || cp == 0x7f || (cp >= 0x80 && cp < 0xa0))
		return 1;
	if ((cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 1;
	return 0;
}

int has_control(const char *s, size_t len, int allow_newline)
{
	unsigned cp;
	size_t i = 0;
	int n;

	while (i < len) {
		/* printable ASCII and CJK at once: none is a control */
		if ((n = utf8_plain_char((const unsigned char *)s + i,
		    len - i))) {
			i += (size_t)n;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (!n)
			return 1;
		if (is_control(cp, allow_newline))
			return 1;
		i += (size_t)n;
	}
	return 0;
}

void strlist_push(struct strlist *l, const char *s)
{
	strlist_push_nodup(l, xstrdup(s));
}

void strlist_push_nodup(struct strlist *l, char *s)
{
	GROW(l->v, l->alloc, l->n + 1);
	l->v[l->n++] = s;
}

void strlist_release(struct strlist *l)
{
	free_strv(l->v, l->n);
	l->v = NULL;
	l->n = l->alloc = 0;
}

int strlist_has(const struct strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return 1;
	return 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void strlist_sort(struct strlist *l)
{
	if (l->n > 1)
		qsort(l->v, l->n, sizeof(*l->v), cmp_str);
}

/* 1 if l is sorted with no repeats. */
static int strlist_strict(const struct strlist *l)
{
	size_t i;

	for (i = 1; i < l->n; i++)
		if (strcmp(l->v[i - 1], l->v[i]) >= 0)
			return 0;
	return 1;
}

static void strlist_uniq(struct strlist *l)
{
	size_t i, n = 0;

	for (i = 0; i < l->n; i++) {
		if (n && !strcmp(l->v[n - 1], l->v[i]))
			free(l->v[i]);
		else
			l->v[n++] = l->v[i];
	}
	l->n = n;
}

void strlist_union(struct strlist *out, struct strlist *a, struct strlist *b)
{
	size_t i = 0, j = 0;
	int c;

	if (!strlist_strict(a) || !strlist_strict(b)) {
		strlist_sort(a);
		strlist_sort(b);
	}
	while (i < a->n || j < b->n) {
		c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i], b->v[j]);
		if (c <= 0)
			strlist_push_nodup(out, a->v[i++]);
		if (c == 0)
			free(b->v[j++]);
		else if (c > 0)
			strlist_push_nodup(out, b->v[j++]);
	}
	a->n = b->n = 0;
	strlist_uniq(out);
}

void free_strv(char **v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

int strv_has(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return 1;
	return 0;
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0, i;

	EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
	for (i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
	out[64] = '\0';
}

/* ---- writing files whole ------------------------------------------- */

int write_in_full(int fd, const void *data, size_t len)
{
	const char *p = data;
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

static int sync_dir_of(const char *path)
{
	struct sb dir = SB_INIT;
	const char *slash = strrchr(path, '/');
	int fd, ret = 0;

	sb_add(&dir, path, slash ? (size_t)(slash - path) : 0);
	if (!dir.len)
		sb_adds(&dir, slash ? "/" : ".");
	fd = open(dir.buf, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || fsync(fd) < 0)
		ret = -1;
	if (fd >= 0)
		close(fd);
	sb_release(&dir);
	return ret;
}

int write_file_atomic(const char *path, const void *data, size_t len,
	unsigned mode, unsigned flags, struct diag *d)
{
	struct sb tmp = SB_INIT;
	int fd = -1, ret = 0;

	sb_addf(&tmp, "%s" TMP_INFIX "%ld", path, (long)getpid());
	unlink(tmp.buf);	/* a dead process of our pid left it */
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		O_NOFOLLOW, mode);
	if (fd < 0) {
		ret = diag_add(d, ERR_IO, _("cannot create '%s': %s"), tmp.buf,
			strerror(errno));
		goto out;
	}
	if (fchmod(fd, mode) < 0 || write_in_full(fd, data, len) < 0 ||
	    ((flags & AW_SYNC) && fsync(fd) < 0)) {
		ret = diag_add(d, ERR_IO, _("cannot write '%s': %s"), tmp.buf,
			strerror(errno));
		goto out;
	}
	if (close(fd) < 0) {
		fd = -1;
		ret = diag_add(d, ERR_IO, _("cannot write '%s': %s"), tmp.buf,
			strerror(errno));
		goto out;
	}
	fd = -1;
	/* a new file is linked into place: link() never replaces */
	if (flags & AW_CREATE) {
		if (link(tmp.buf, path) < 0)
			ret = diag_add(d, errno == EEXIST ? ERR_CONFLICT :
				ERR_IO, _("cannot create '%s': %s"), path,
				strerror(errno));
	} else if (rename(tmp.buf, path) < 0) {
		ret = diag_add(d, ERR_IO, _("cannot rename '%s' to '%s': %s"),
			tmp.buf, path, strerror(errno));
	}
	if (!ret && (flags & AW_SYNC) && sync_dir_of(path) < 0)
		ret = diag_add(d, ERR_IO, _("cannot sync the folder of '%s': %s"),
			path, strerror(errno));
out:
	if (fd >= 0)
		close(fd);
	unlink(tmp.buf);
	sb_release(&tmp);
	return ret;
}

uint64_t fnv1a(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* ---- arenas --------------------------------------------------------- */

struct arena {
	struct arena *next;	/* the blocks after this one */
	struct arena *last;	/* in the first block: where to allocate */
	size_t used, cap;
	max_align_t data[];
};

static struct arena *arena_block(size_t cap)
{
	struct arena *a = xmalloc(sizeof(*a) + cap);

	a->next = a->last = NULL;
	a->used = 0;
	a->cap = cap;
	return a;
}

struct arena *arena_new(size_t hint)
{
	struct arena *a = arena_block(hint < 256 ? 256 : hint);

	a->last = a;
	return a;
}

void *arena_calloc(struct arena *a, size_t n, size_t size)
{
	struct arena *b = a->last;
	size_t len, at, align = _Alignof(max_align_t);
	void *p;

	if (size && n > (SIZE_MAX / 2) / size)
		die_oom(SIZE_MAX);
	len = (n * size + align - 1) & ~(align - 1);
	if (!len)
		len = align;
	/* after unaligned strings (arena_strndup) */
	at = (b->used + align - 1) & ~(align - 1);
	if (at > b->cap || len > b->cap - at) {
		b = arena_block(len > b->cap * 2 ? len : b->cap * 2);
		a->last->next = b;
		a->last = b;
		at = 0;
	}
	p = (char *)b->data + at;
	b->used = at + len;
	memset(p, 0, len);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	struct arena *b = a->last;
	char *p;

	/* strings need no alignment: packed, they take half the room */
	if (n + 1 > b->cap - b->used)
		return memcpy(arena_calloc(a, n + 1, 1), s, n);
	p = (char *)b->data + b->used;
	b->used += n + 1;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *arena_grow(struct arena *a, void *arr, size_t *alloc, size_t n,
	size_t size)
{
	void *bigger;

	if (n < *alloc)
		return arr;
	*alloc = *alloc ? *alloc * 2 : 8;
	bigger = arena_calloc(a, *alloc, size);
	if (n)
		memcpy(bigger, arr, n * size);
	return bigger;
}

struct arena *arena_reuse(struct arena *a, size_t hint)
{
	if (!a || a->cap < hint) {
		arena_free(a);
		/* room for most cases: not a new block for each larger one */
		return arena_new(hint < 2048 ? 2048 : hint);
	}
	arena_free(a->next);
	a->next = NULL;
	a->last = a;
	a->used = 0;
	return a;
}

void arena_free(struct arena *a)
{
	struct arena *next;

	for (; a; a = next) {
		next = a->next;
		free(a);
	}
}

char *put_decimal(char *p, unsigned v, int n)
{
	int i;

	for (i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + n;
}

int read_decimal(const char *s, int n, long *out)
{
	long v = 0;
	int i;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return 0;
}
