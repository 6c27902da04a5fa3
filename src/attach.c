/*
 * attach.c - evidence files copied into the store, one set of rules for
 * `file --attach` and `note --attach` (see attach.h).
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "intl.h"

void attach_set_release(struct attach_set *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		sb_release(&a->data[i]);
		free(a->paths[i]);
	}
	free(a->data);
	free(a->paths);
	free(a->files);
	memset(a, 0, sizeof(*a));
}

int attach_name_ok(const char *name)
{
	size_t len = strlen(name);

	return len && name[0] != '.' && !strchr(name, '/') &&
		len <= ATTACH_NAME_MAX && utf8_valid(name, len) &&
		!has_control(name, len, 0);
}

static const char *base_name(const char *src)
{
	const char *slash = strrchr(src, '/');

	return slash ? slash + 1 : src;
}

/* What a file that is not a regular one is, for the message. */
static const char *file_kind(mode_t m)
{
	if (S_ISDIR(m))
		return _("a directory: attach the files in it one by one");
	if (S_ISFIFO(m))
		return _("a named pipe (FIFO)");
	if (S_ISSOCK(m))
		return _("a socket");
	if (S_ISCHR(m) || S_ISBLK(m))
		return _("a device");
	return _("neither a file nor a directory");
}

/* The message with "WHAT: " before it when what is given. */
static int refuse(struct diag *d, int code, const char *what,
	const char *fmt, ...) PRINTF(4, 5);

static int refuse(struct diag *d, int code, const char *what,
	const char *fmt, ...)
{
	struct sb msg = SB_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	if (what)
		diag_add(d, code, "%s: %s", what, msg.buf);
	else
		diag_add(d, code, "%s", msg.buf);
	sb_release(&msg);
	return code;
}

/*
 * Where src is: its directory (AT_FDCWD for a path from the command line,
 * else an open directory the caller closes when it is not dirfd) and its
 * last part.  A name inside an --attach-dir directory is walked one
 * directory at a time without following a link, so that neither "..",
 * an absolute path nor a symbolic link (to /etc, to ~/.ssh) can lead out.
 */
static int locate(int *parent, const char **base, int dirfd,
	const char *what, const char *src, struct diag *d)
{
	const char *p = src, *slash;
	char part[ATTACH_NAME_MAX + 1];
	size_t len;
	int fd = dirfd, next;

	*parent = dirfd;
	*base = src;
	if (dirfd == AT_FDCWD)
		return 0;
	if (!attach_dir_name_ok(src))
		return refuse(d, ERR_INVALID, what, _("'%s' is not a name "
			"inside the --attach-dir directory (no leading '/', "
			"no '.' or '..' parts, no empty parts)"), src);
	while ((slash = strchr(p, '/'))) {
		len = (size_t)(slash - p);
		if (len > ATTACH_NAME_MAX) {
			errno = ENAMETOOLONG;
			goto bad;
		}
		memcpy(part, p, len);
		part[len] = '\0';
		next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
			O_NONBLOCK | O_CLOEXEC);
		if (next < 0)
			goto bad;
		if (fd != dirfd)
			close(fd);
		fd = next;
		p = slash + 1;
	}
	*parent = fd;
	*base = p;
	return 0;
bad:
	if (fd != dirfd)
		close(fd);
	if (errno == ELOOP || errno == ENOTDIR)
		return refuse(d, ERR_INVALID, what, _("'%s' goes through a "
			"symbolic link or something that is not a directory; "
			"only plain directories inside --attach-dir are "
			"followed"), src);
	return refuse(d, ERR_INVALID, what, _("cannot read '%s': %s"), src,
		strerror(errno));
}

static void unlocate(int parent, int dirfd)
{
	if (parent != dirfd)
		close(parent);
}

int attach_dir_name_ok(const char *name)
{
	const char *p = name, *end;
	size_t len = strlen(name);

	if (!len || name[0] == '/' || !utf8_valid(name, len) ||
	    has_control(name, len, 0))
		return 0;
	for (; ; p = end + 1) {
		end = strchr(p, '/');
		len = end ? (size_t)(end - p) : strlen(p);
		if (!len || (len == 1 && p[0] == '.') ||
		    (len == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (!end)
			return 1;
	}
}

static int check_at(int dirfd, const char *what, const char *src,
	size_t *size, struct diag *d)
{
	struct stat st;
	const char *base;
	int parent, ret;

	*size = 0;
	if ((ret = locate(&parent, &base, dirfd, what, src, d)))
		return ret;
	if (fstatat(parent, base, &st, AT_SYMLINK_NOFOLLOW))
		ret = refuse(d, ERR_INVALID, what, _("cannot read '%s': %s"),
			src, strerror(errno));
	else if (S_ISLNK(st.st_mode))
		ret = refuse(d, ERR_INVALID, what, _("'%s' is a symbolic "
			"link; attach the file it points to"), src);
	else if (!S_ISREG(st.st_mode))
		ret = refuse(d, ERR_INVALID, what, _("'%s' is not a regular "
			"file (%s)"), src, file_kind(st.st_mode));
	else if (!attach_name_ok(base_name(src)))
		ret = refuse(d, ERR_INVALID, what, _("file name '%s' cannot "
			"be kept (no leading dot, control characters or over "
			"%d bytes); rename it first"), base_name(src),
			ATTACH_NAME_MAX);
	else if (st.st_size > ATTACH_MAX)
		ret = refuse(d, ERR_INVALID, what, _("'%s' is larger than "
			"the limit of %d bytes (%d MB) for one attached "
			"file"), src, ATTACH_MAX, ATTACH_MAX >> 20);
	else
		*size = (size_t)st.st_size;
	unlocate(parent, dirfd);
	return ret;
}

int attach_check(const char *what, const char *src, size_t *size,
	struct diag *d)
{
	return check_at(AT_FDCWD, what, src, size, d);
}

int attach_check_in(int dirfd, const char *what, const char *name,
	size_t *size, struct diag *d)
{
	return check_at(dirfd, what, name, size, d);
}

/*
 * Read a file attach_check() accepted.  It is opened without following
 * a link and without blocking, and must still be the same regular file:
 * swapping in a FIFO or a link after the check gains nothing.
 */
static int read_checked(struct sb *out, int dirfd, const char *what,
	const char *src, struct diag *d)
{
	struct stat before, st;
	const char *base;
	char buf[65536];
	ssize_t r;
	int fd = -1, parent, ret;

	if ((ret = locate(&parent, &base, dirfd, what, src, d)))
		return ret;
	if (fstatat(parent, base, &before, AT_SYMLINK_NOFOLLOW)) {
		ret = refuse(d, ERR_INVALID, what, _("cannot read '%s': %s"),
			src, strerror(errno));
		goto out;
	}
	fd = openat(parent, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
		O_CLOEXEC);
	if (fd < 0) {
		ret = refuse(d, ERR_INVALID, what, _("cannot read '%s': %s"),
			src, strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    st.st_ino != before.st_ino || st.st_dev != before.st_dev) {
		ret = refuse(d, ERR_INVALID, what, _("'%s' changed while it "
			"was read; try again"), src);
		goto out;
	}
	while ((r = read(fd, buf, sizeof(buf))) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			ret = refuse(d, ERR_IO, what, _("cannot read '%s': %s"),
				src, strerror(errno));
			goto out;
		}
		if (out->len + (size_t)r > ATTACH_MAX) {
			ret = refuse(d, ERR_INVALID, what, _("'%s' is larger "
				"than the limit of %d bytes (%d MB) for one "
				"attached file"), src, ATTACH_MAX,
				ATTACH_MAX >> 20);
			goto out;
		}
		sb_add(out, buf, (size_t)r);
	}
out:
	if (fd >= 0)
		close(fd);
	unlocate(parent, dirfd);
	return ret;
}

long long attach_size(struct store *s, const char *path)
{
	struct sb full = SB_INIT;
	struct stat st;
	long long ret = -1;

	sb_addf(&full, "%s/%s", store_root(s), path);
	if (!lstat(full.buf, &st) && S_ISREG(st.st_mode))
		ret = (long long)st.st_size;
	sb_release(&full);
	return ret;
}

/* 1 if path is taken: by the case, an earlier file of this call, the last
 * commit or anything in the work tree (an untracked file is someone's). */
static int path_taken(const struct dcase *c, const struct attach_set *a,
	struct store *s, const char *path)
{
	struct sb full = SB_INIT;
	struct stat st;
	size_t i;
	int taken = 0;

	for (i = 0; i < c->natt && !taken; i++)
		taken = !strcmp(c->att[i].path, path);
	for (i = 0; i < a->n && !taken; i++)
		taken = a->paths[i] && !strcmp(a->paths[i], path);
	if (!taken && s) {
		sb_addf(&full, "%s/%s", store_root(s), path);
		taken = !lstat(full.buf, &st) || store_exists_head(s, path);
	}
	sb_release(&full);
	return taken;
}

/* attachments/ID/NAME, else the first free attachments/ID/K-NAME. */
static char *free_path(const struct dcase *c, const struct attach_set *a,
	struct store *s, const char *name, char **chosen)
{
	struct sb path = SB_INIT, nm = SB_INIT;
	unsigned k;

	sb_adds(&nm, name);
	sb_addf(&path, "attachments/%s/%s", c->id, name);
	for (k = 2; path_taken(c, a, s, path.buf); k++) {
		sb_reset(&nm);
		sb_addf(&nm, "%u-%s", k, name);
		sb_reset(&path);
		sb_addf(&path, "attachments/%s/%s", c->id, nm.buf);
	}
	*chosen = sb_detach(&nm, NULL);
	return sb_detach(&path, NULL);
}

/* Bytes the case's earlier attachments take in the store. */
static size_t earlier_total(const struct dcase *c, struct store *s)
{
	size_t i, total = 0;
	long long n;

	for (i = 0; s && i < c->natt; i++) {
		n = attach_size(s, c->att[i].path);
		if (n > 0)
			total += (size_t)n;
	}
	return total;
}

int attach_files_src(struct attach_set *out, struct dcase *c,
	const struct attach_src *srcs, size_t n, struct store *s,
	const char *what, struct strlist *names, struct diag *d)
{
	size_t i, size, total, natt = c->natt, nnames = names ? names->n : 0;
	char hex[65], *chosen = NULL;
	int ret = 0;

	if (!n)
		return 0;
	total = earlier_total(c, s);
	/* Every file is checked before any is read: a missing third file
	 * should not cost reading two large ones first. */
	for (i = 0; i < n; i++) {
		if ((ret = check_at(srcs[i].dirfd, what, srcs[i].name,
		    &size, d)))
			return ret;
		total += size;
		if (total > ATTACH_TOTAL)
			return refuse(d, ERR_INVALID, what, _("the files "
				"attached to case %s would come to more than "
				"%d MB; attach fewer or smaller files"),
				c->id, ATTACH_TOTAL >> 20);
	}
	if (c->natt + n > LIM_LIST)
		return refuse(d, ERR_INVALID, what, _("case %s would have more "
			"than %d attachments"), c->id, LIM_LIST);
	out->data = xcalloc(n, sizeof(*out->data));
	out->paths = xcalloc(n, sizeof(*out->paths));
	out->files = xcalloc(n, sizeof(*out->files));
	c->att = xrealloc(c->att, (c->natt + n) * sizeof(*c->att));
	for (i = 0; i < n; i++) {
		sb_init(&out->data[i]);
		out->n++;
		if ((ret = read_checked(&out->data[i], srcs[i].dirfd,
		    what, srcs[i].name, d)))
			goto fail;
		out->paths[i] = free_path(c, out, s, base_name(srcs[i].name),
			&chosen);
		if (names)
			strlist_push(names, chosen);
		free(chosen);
		chosen = NULL;
		out->files[i].path = out->paths[i];
		out->files[i].data = out->data[i].buf;
		out->files[i].len = out->data[i].len;
		sha256_hex(out->data[i].buf, out->data[i].len, hex);
		c->att[c->natt].path = xstrdup(out->paths[i]);
		c->att[c->natt].sha256 = xstrdup(hex);
		c->natt++;
	}
	return 0;
fail:
	while (c->natt > natt) {
		c->natt--;
		free(c->att[c->natt].path);
		free(c->att[c->natt].sha256);
	}
	while (names && names->n > nnames)
		free(names->v[--names->n]);
	attach_set_release(out);
	return ret;
}

int attach_files(struct attach_set *out, struct dcase *c,
	const char *const *srcs, size_t n, struct store *s, const char *what,
	struct strlist *names, struct diag *d)
{
	struct attach_src *src = xcalloc(n ? n : 1, sizeof(*src));
	size_t i;
	int ret;

	for (i = 0; i < n; i++) {
		src[i].dirfd = AT_FDCWD;
		src[i].name = srcs[i];
	}
	ret = attach_files_src(out, c, src, n, s, what, names, d);
	free(src);
	return ret;
}
