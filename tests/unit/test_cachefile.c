/*
 * test_cachefile.c - the cache files' frame: what is written reads back,
 * and whatever damage a crash or a disk does (cut short, a byte changed,
 * another format or version) is refused, never read; the bytes are the
 * same on every machine; modes are private or the group's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "cachefile.h"

#define MAGIC "DKTTEST"		/* and its NUL */

struct fx {
	char dir[32];
	char path[64];
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	strcpy(fx->dir, "/tmp/test_cachefile.XXXXXX");
	if (!mkdtemp(fx->dir))
		return -1;
	snprintf(fx->path, sizeof(fx->path), "%s/cache", fx->dir);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	unlink(fx->path);
	/* fails if anything else, a temporary file, was left behind */
	assert_int_equal(rmdir(fx->dir), 0);
	free(fx);
	return 0;
}

/* A sealed file of body, in memory (the frame and its sum). */
static void sealed(struct sb *out, const char *body, size_t len,
	uint32_t version)
{
	cachefile_begin(out, MAGIC, version);
	sb_add(out, body, len);
	sb_add_le64(out, cachefile_sum(out->buf, out->len, version));
}

static void test_cachefile__round_trip(void **state)
{
	struct fx *fx = *state;
	struct sb out = SB_INIT, in = SB_INIT;
	struct stat st;

	cachefile_begin(&out, MAGIC, 3);
	sb_adds(&out, "电梯故障 body");
	assert_int_equal(cachefile_seal(&out, fx->path, 3, 0), 0);
	assert_int_equal(cachefile_read(&in, fx->path, MAGIC, 3, 1 << 20), 0);
	assert_int_equal(in.len, CACHEFILE_HDR + strlen("电梯故障 body"));
	assert_memory_equal(in.buf + CACHEFILE_HDR, "电梯故障 body",
		strlen("电梯故障 body"));
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_size, in.len + CACHEFILE_TRAILER);
	/* an empty body is a file too */
	sb_reset(&out);
	sb_reset(&in);
	cachefile_begin(&out, MAGIC, 3);
	assert_int_equal(cachefile_seal(&out, fx->path, 3, 0), 0);
	assert_int_equal(cachefile_read(&in, fx->path, MAGIC, 3, 100), 0);
	assert_int_equal(in.len, CACHEFILE_HDR);
	/* larger than max: refused, not read */
	sb_reset(&in);
	assert_int_equal(cachefile_read(&in, fx->path, MAGIC, 3, 19), -1);
	sb_release(&out);
	sb_release(&in);
}

/* Cut short at every length, the file is refused (a torn write). */
static void test_cachefile__truncated_at_every_length(void **state)
{
	struct sb f = SB_INIT;
	size_t n;

	(void)state;
	sealed(&f, "some body of forty bytes, give or take..", 40, 1);
	assert_int_equal(cachefile_check(f.buf, f.len, MAGIC, 1), 0);
	for (n = 0; n < f.len; n++)
		if (cachefile_check(f.buf, n, MAGIC, 1) != -1)
			fail_msg("cut to %zu bytes of %zu: read", n, f.len);
	sb_release(&f);
}

/* Any byte changed, in the frame, the body or the sum: refused. */
static void test_cachefile__each_byte_flipped(void **state)
{
	static const unsigned char flips[] = { 0x01, 0x80, 0xff };
	struct sb f = SB_INIT;
	size_t i, k;

	(void)state;
	sealed(&f, "0123456789abcdefghijklmnopqrstuvwxyz-_", 38, 7);
	for (i = 0; i < f.len; i++)
		for (k = 0; k < sizeof(flips); k++) {
			f.buf[i] ^= (char)flips[k];
			if (cachefile_check(f.buf, f.len, MAGIC, 7) != -1)
				fail_msg("byte %zu ^ %#x: read", i, flips[k]);
			f.buf[i] ^= (char)flips[k];
		}
	assert_int_equal(cachefile_check(f.buf, f.len, MAGIC, 7), 0);
	sb_release(&f);
}

/* Another format's file, or an older version's, even a sound one. */
static void test_cachefile__wrong_magic_or_version(void **state)
{
	struct fx *fx = *state;
	struct sb f = SB_INIT, in = SB_INIT;

	sealed(&f, "body", 4, 2);
	assert_int_equal(cachefile_check(f.buf, f.len, MAGIC, 2), 0);
	assert_int_equal(cachefile_check(f.buf, f.len, "DKTOTHR", 2), -1);
	assert_int_equal(cachefile_check(f.buf, f.len, MAGIC, 1), -1);
	assert_int_equal(cachefile_check(f.buf, f.len, MAGIC, 3), -1);
	/* the version's place holds another, summed as it: still refused */
	put_le32((unsigned char *)f.buf + 8, 3);
	assert_int_equal(cachefile_check(f.buf, f.len, MAGIC, 3), -1);
	assert_int_equal(cachefile_replace(fx->path, f.buf, f.len, 0), 0);
	assert_int_equal(cachefile_read(&in, fx->path, MAGIC, 2, 100), -1);
	assert_int_equal(cachefile_read(&in, fx->path, MAGIC, 3, 100), -1);
	unlink(fx->path);
	sb_reset(&in);
	assert_int_equal(cachefile_read(&in, fx->path, MAGIC, 2, 100), -1);
	sb_release(&f);
	sb_release(&in);
}

/* The bytes of a file do not depend on the machine: pinned here. */
static void test_cachefile__same_bytes_everywhere(void **state)
{
	static const unsigned char want[] = {
		'D', 'K', 'T', 'T', 'E', 'S', 'T', 0, 5, 0, 0, 0,
		'a', 'b', 'c' };
	struct sb f = SB_INIT;

	(void)state;
	sealed(&f, "abc", 3, 5);
	assert_int_equal(f.len, sizeof(want) + 8);
	assert_memory_equal(f.buf, want, sizeof(want));
	/* XXH3-64 of those 15 bytes, seeded 5 (as Python's ctypes gets it
	 * from libxxhash), little endian */
	assert_memory_equal(f.buf + sizeof(want),
		"\xec\x25\x65\x5d\x5f\xec\x26\xba", 8);
	/* XXH3's own test vector: the empty input, seed 0 */
	assert_true(cachefile_sum("", 0, 0) == 0x2D06800538D394C2ull);
	assert_true(cachefile_sum(NULL, 0, 0) == 0x2D06800538D394C2ull);
	assert_true(cachefile_sum("abc", 3, 1) != cachefile_sum("abc", 3, 2));
	sb_release(&f);
}

static void test_cachefile__little_endian_helpers(void **state)
{
	unsigned char b[8];
	struct sb s = SB_INIT;

	(void)state;
	put_le16(b, 0x1234);
	assert_memory_equal(b, "\x34\x12", 2);
	assert_int_equal(get_le16(b), 0x1234);
	put_le32(b, 0x89abcdefu);
	assert_memory_equal(b, "\xef\xcd\xab\x89", 4);
	assert_true(get_le32(b) == 0x89abcdefu);
	put_le64(b, 0x0123456789abcdefull);
	assert_memory_equal(b, "\xef\xcd\xab\x89\x67\x45\x23\x01", 8);
	assert_true(get_le64(b) == 0x0123456789abcdefull);
	put_le64(b, UINT64_MAX);
	assert_true(get_le64(b) == UINT64_MAX);
	sb_add_le16(&s, 0xfffe);
	sb_add_le32(&s, 1);
	sb_add_le64(&s, (uint64_t)-2);
	assert_int_equal(s.len, 14);
	assert_memory_equal(s.buf, "\xfe\xff\x01\0\0\0\xfe\xff\xff\xff\xff"
		"\xff\xff\xff", 14);
	sb_release(&s);
}

/* 0600, or 0660 in a shared store, whatever the umask. */
static void test_cachefile__mode_private_or_group(void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	struct sb got = SB_INIT;
	struct stat st;
	mode_t old = umask(077);

	assert_int_equal(cachefile_mode(0), 0600);
	assert_int_equal(cachefile_mode(1), 0660);
	assert_int_equal(cachefile_replace(fx->path, "one", 3, 0), 0);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_int_equal(cachefile_replace(fx->path, "two!", 4, 1), 0);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0660);
	umask(0);
	assert_int_equal(cachefile_replace(fx->path, "three", 5, 0), 0);
	assert_int_equal(stat(fx->path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	umask(old);
	assert_int_equal(read_file(&got, fx->path, 100, &d), 0);
	assert_int_equal(got.len, 5);
	assert_memory_equal(got.buf, "three", 5);
	sb_release(&got);
	diag_release(&d);
}

/* A replacement that cannot happen leaves the old file, and no
 * temporary file (teardown checks the folder is empty). */
static void test_cachefile__failure_leaves_nothing(void **state)
{
	struct fx *fx = *state;
	struct cachefile_out out = CACHEFILE_OUT_INIT;
	struct sb in = SB_INIT;

	assert_int_equal(mkdir(fx->path, 0700), 0);
	assert_int_equal(cachefile_replace(fx->path, "x", 1, 0), -1);
	assert_int_equal(rmdir(fx->path), 0);
	/* given up half-way: nothing in place */
	assert_int_equal(cachefile_create(&out, fx->path, 0), 0);
	cachefile_put(&out, "half", 4);
	cachefile_abort(&out);
	cachefile_abort(NULL);
	assert_int_equal(access(fx->path, F_OK), -1);
	/* a symbolic link in the file's place is never followed */
	assert_int_equal(symlink("/etc/passwd", fx->path), 0);
	assert_int_equal(cachefile_read(&in, fx->path, MAGIC, 1, 1 << 20), -1);
	sb_release(&in);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_cachefile__round_trip),
		T(test_cachefile__truncated_at_every_length),
		T(test_cachefile__each_byte_flipped),
		T(test_cachefile__wrong_magic_or_version),
		T(test_cachefile__same_bytes_everywhere),
		T(test_cachefile__little_endian_helpers),
		T(test_cachefile__mode_private_or_group),
		T(test_cachefile__failure_leaves_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
