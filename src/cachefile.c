/*
 * cachefile.c - frame, checksum, byte order and replacement of the
 * cache files docket keeps under .git (cachefile.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "cachefile.h"

void sb_add_le16(struct sb *out, uint16_t v)
{
	unsigned char b[2];

	put_le16(b, v);
	sb_add(out, b, sizeof(b));
}

void sb_add_le32(struct sb *out, uint32_t v)
{
	unsigned char b[4];

	put_le32(b, v);
	sb_add(out, b, sizeof(b));
}

void sb_add_le64(struct sb *out, uint64_t v)
{
	unsigned char b[8];

	put_le64(b, v);
	sb_add(out, b, sizeof(b));
}

uint64_t cachefile_sum(const void *data, size_t n, uint64_t seed)
{
	/* XXH3 reads nothing when n is 0, but wants a pointer */
	return XXH3_64bits_withSeed(n ? data : "", n, seed);
}

unsigned cachefile_mode(int shared)
{
	return shared ? 0660 : 0600;
}

/* ---- replacing -------------------------------------------------------- */

static void out_release(struct cachefile_out *out)
{
	if (out->f)
		fclose(out->f);
	free(out->path);
	free(out->tmp);
	out->f = NULL;
	out->path = out->tmp = NULL;
	out->failed = 0;
}

int cachefile_create(struct cachefile_out *out, const char *path,
	int shared)
{
	struct sb tmp = SB_INIT;
	unsigned mode = cachefile_mode(shared);
	int fd;

	sb_addf(&tmp, "%s" TMP_INFIX "%ld", path, (long)getpid());
	unlink(tmp.buf);	/* a dead process of our pid left it */
	fd = open(tmp.buf, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC |
		O_NOFOLLOW, mode);
	/* the umask must not take the group's access from a shared store */
	if (fd >= 0 && fchmod(fd, mode) < 0) {
		close(fd);
		unlink(tmp.buf);
		fd = -1;
	}
	if (fd < 0) {
		sb_release(&tmp);
		return -1;
	}
	out->f = fdopen(fd, "wb");
	if (!out->f) {
		close(fd);
		unlink(tmp.buf);
		sb_release(&tmp);
		return -1;
	}
	out->path = xstrdup(path);
	out->tmp = sb_detach(&tmp, NULL);
	out->failed = 0;
	return 0;
}

void cachefile_put(struct cachefile_out *out, const void *data, size_t len)
{
	if (len && !out->failed && fwrite(data, 1, len, out->f) != len)
		out->failed = 1;
}

int cachefile_commit(struct cachefile_out *out)
{
	int ret = 0;

	if (!out->f)
		return -1;
	if (fclose(out->f) || out->failed || rename(out->tmp, out->path)) {
		unlink(out->tmp);
		ret = -1;
	}
	out->f = NULL;
	out_release(out);
	return ret;
}

void cachefile_abort(struct cachefile_out *out)
{
	if (!out)
		return;
	if (out->f) {
		fclose(out->f);
		out->f = NULL;
		unlink(out->tmp);
	}
	out_release(out);
}

int cachefile_replace(const char *path, const void *data, size_t len,
	int shared)
{
	struct cachefile_out out = CACHEFILE_OUT_INIT;

	if (cachefile_create(&out, path, shared))
		return -1;
	cachefile_put(&out, data, len);
	return cachefile_commit(&out);
}

/* ---- the sealed frame ------------------------------------------------- */

void cachefile_begin(struct sb *out, const char magic[8], uint32_t version)
{
	sb_add(out, magic, 8);
	sb_add_le32(out, version);
}

int cachefile_seal(struct sb *out, const char *path, uint32_t version,
	int shared)
{
	sb_add_le64(out, cachefile_sum(out->buf, out->len, version));
	return cachefile_replace(path, out->buf, out->len, shared);
}

int cachefile_check(const void *buf, size_t len, const char magic[8],
	uint32_t version)
{
	const unsigned char *p = buf;

	if (len < CACHEFILE_HDR + CACHEFILE_TRAILER || memcmp(p, magic, 8) ||
	    get_le32(p + 8) != version)
		return -1;
	len -= CACHEFILE_TRAILER;
	return get_le64(p + len) == cachefile_sum(p, len, version) ? 0 : -1;
}

int cachefile_read(struct sb *out, const char *path, const char magic[8],
	uint32_t version, size_t max)
{
	struct diag quiet = DIAG_INIT;
	int ret = -1;

	if (!read_regular(out, path, max, &quiet) &&
	    !cachefile_check(out->buf, out->len, magic, version)) {
		out->len -= CACHEFILE_TRAILER;
		ret = 0;
	}
	diag_release(&quiet);
	return ret;
}
