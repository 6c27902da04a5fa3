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

int attach_check(const char *what, const char *src, size_t *size,
	struct diag *d)
{
	struct stat st;

	*size = 0;
	if (lstat(src, &st))
		return refuse(d, ERR_INVALID, what, _("cannot read '%s': %s"),
			src, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return refuse(d, ERR_INVALID, what, _("'%s' is a symbolic "
			"link; attach the file it points to"), src);
	if (!S_ISREG(st.st_mode))
		return refuse(d, ERR_INVALID, what, _("'%s' is not a regular "
			"file (%s)"), src, file_kind(st.st_mode));
	if (!attach_name_ok(base_name(src)))
		return refuse(d, ERR_INVALID, what, _("file name '%s' cannot "
			"be kept (no leading dot, control characters or over "
			"%d bytes); rename it first"), base_name(src),
			ATTACH_NAME_MAX);
	if (st.st_size > ATTACH_MAX)
		return refuse(d, ERR_INVALID, what, _("'%s' is larger than "
			"the limit of %d bytes (%d MB) for one attached "
			"file"), src, ATTACH_MAX, ATTACH_MAX >> 20);
	*size = (size_t)st.st_size;
	return 0;
}

/*
 * Read a file attach_check() accepted.  It is opened without following
 * a link and without blocking, and must still be the same regular file:
 * swapping in a FIFO or a link after the check gains nothing.
 */
static int read_checked(struct sb *out, const char *what, const char *src,
	struct diag *d)
{
	struct stat before, st;
	char buf[65536];
	ssize_t r;
	int fd, ret = 0;

	if (lstat(src, &before))
		return refuse(d, ERR_INVALID, what, _("cannot read '%s': %s"),
			src, strerror(errno));
	fd = open(src, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return refuse(d, ERR_INVALID, what, _("cannot read '%s': %s"),
			src, strerror(errno));
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
	close(fd);
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

int attach_files(struct attach_set *out, struct dcase *c,
	const char *const *srcs, size_t n, struct store *s, const char *what,
	struct strlist *names, struct diag *d)
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
		if ((ret = attach_check(what, srcs[i], &size, d)))
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
		if ((ret = read_checked(&out->data[i], what, srcs[i], d)))
			goto fail;
		out->paths[i] = free_path(c, out, s, base_name(srcs[i]),
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
