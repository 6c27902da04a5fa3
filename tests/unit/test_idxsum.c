/*
 * test_idxsum.c - the index checksum resumed from saved SHA-1 states
 * must always be the SHA-1 of the whole new file, whether the marks fit,
 * are stale, damaged or missing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <openssl/evp.h>

#include "idxsum.h"
#include "util.h"

#define MiB (1u << 20)

struct fx {
	char dir[64];
	char marks[96];
	unsigned char *a;	/* an "index" and its checksum */
	size_t len;
};

static void sha1(const unsigned char *p, size_t n, unsigned char out[20])
{
	unsigned int len = 0;

	assert_int_equal(EVP_Digest(p, n, out, &len, EVP_sha1(), NULL), 1);
	assert_int_equal(len, 20);
}

/* Bytes that differ everywhere, and their checksum appended. */
static unsigned char *make(size_t n, unsigned seed)
{
	unsigned char *p = malloc(n + IDXSUM_LEN);
	size_t i;

	assert_non_null(p);
	for (i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		p[i] = (unsigned char)(seed >> 16);
	}
	sha1(p, n, p + n);
	return p;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_non_null(fx);
	snprintf(fx->dir, sizeof(fx->dir), "/tmp/test_idxsum.XXXXXX");
	assert_non_null(mkdtemp(fx->dir));
	snprintf(fx->marks, sizeof(fx->marks), "%s/marks", fx->dir);
	fx->len = 5 * MiB + 12345;
	fx->a = make(fx->len, 7);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	unlink(fx->marks);
	rmdir(fx->dir);
	free(fx->a);
	free(fx);
	return 0;
}

/* Checksum of new[0..n) written over old (with its checksum), sharing
 * `same` bytes; feeds in uneven pieces; saves the marks. */
static void resume(const struct fx *fx, const unsigned char *old,
	size_t oldlen, const unsigned char *new, size_t n, size_t same,
	unsigned char out[20])
{
	struct idxsum *h = idxsum_begin(fx->marks, old, oldlen, same);
	size_t pos = 0, step = 7777;

	while (pos < n) {
		size_t k = n - pos < step ? n - pos : step;

		idxsum_update(h, new + pos, k);
		pos += k;
		step = step * 3 % 300007 + 1;
	}
	idxsum_final(h, out);
	idxsum_save(h, 0);
	idxsum_free(h);
}

static void test_idxsum__resumed_equals_whole(void **state)
{
	struct fx *fx = *state;
	unsigned char got[20], want[20], *b;
	size_t at[] = { 0, 11, MiB - 1, MiB, MiB + 1, 3 * MiB + 500,
		5 * MiB, fx->len - 1 };
	size_t i;

	unlink(fx->marks);
	/* first write: no marks, everything hashed */
	resume(fx, fx->a, fx->len + IDXSUM_LEN, fx->a, fx->len, fx->len, got);
	assert_memory_equal(got, fx->a + fx->len, 20);
	for (i = 0; i < ARRAY_SIZE(at); i++) {
		/* the index on disk is a, with its marks; change one byte */
		resume(fx, fx->a, fx->len + IDXSUM_LEN, fx->a, fx->len,
			fx->len, got);
		b = malloc(fx->len);
		memcpy(b, fx->a, fx->len);
		b[at[i]] ^= 0x5a;
		sha1(b, fx->len, want);
		resume(fx, fx->a, fx->len + IDXSUM_LEN, b, fx->len, at[i],
			got);
		assert_memory_equal(got, want, 20);
		free(b);
	}
}

static void test_idxsum__longer_and_shorter_files(void **state)
{
	struct fx *fx = *state;
	unsigned char got[20], want[20], *b;

	resume(fx, fx->a, fx->len + IDXSUM_LEN, fx->a, fx->len, fx->len, got);
	/* an entry added near the end: longer */
	b = malloc(fx->len + 100);
	memcpy(b, fx->a, fx->len - 50);
	memset(b + fx->len - 50, 'x', 100);
	memcpy(b + fx->len + 50, fx->a + fx->len - 50, 50);
	sha1(b, fx->len + 100, want);
	resume(fx, fx->a, fx->len + IDXSUM_LEN, b, fx->len + 100,
		fx->len - 50, got);
	assert_memory_equal(got, want, 20);
	/* then cut back to 2.5 MiB over that one */
	sha1(b, 5 * MiB / 2, want);
	{
		unsigned char *old = malloc(fx->len + 100 + IDXSUM_LEN);

		memcpy(old, b, fx->len + 100);
		memcpy(old + fx->len + 100, got, 20);
		resume(fx, old, fx->len + 100 + IDXSUM_LEN, b, 5 * MiB / 2,
			5 * MiB / 2, got);
		free(old);
	}
	assert_memory_equal(got, want, 20);
	free(b);
}

/* Marks of another index (written by git, say): not used. */
static void test_idxsum__marks_of_another_index_ignored(void **state)
{
	struct fx *fx = *state;
	unsigned char got[20], *c;

	resume(fx, fx->a, fx->len + IDXSUM_LEN, fx->a, fx->len, fx->len, got);
	c = make(fx->len, 99);	/* same size, other bytes and checksum */
	/* claims the first 4 MiB are shared with c; the marks are a's */
	resume(fx, c, fx->len + IDXSUM_LEN, c, fx->len, 4 * MiB, got);
	assert_memory_equal(got, c + fx->len, 20);
	free(c);
}

static void test_idxsum__damaged_marks_ignored(void **state)
{
	struct fx *fx = *state;
	unsigned char got[20];
	long size, i;
	FILE *f;

	resume(fx, fx->a, fx->len + IDXSUM_LEN, fx->a, fx->len, fx->len, got);
	f = fopen(fx->marks, "r+");
	assert_non_null(f);
	/* every saved state, between the 56-byte header and the sum */
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	size = ftell(f);
	assert_true(size > 64);
	assert_int_equal(fseek(f, 56, SEEK_SET), 0);
	for (i = 56; i < size - 8; i++)
		fputc('x', f);
	fclose(f);
	/* a damaged state, the header intact: the file's own checksum
	 * refuses it, so nothing is resumed from it */
	resume(fx, fx->a, fx->len + IDXSUM_LEN, fx->a, fx->len, fx->len, got);
	assert_memory_equal(got, fx->a + fx->len, 20);
	/* truncated file: refused by its size */
	assert_int_equal(truncate(fx->marks, 60), 0);
	resume(fx, fx->a, fx->len + IDXSUM_LEN, fx->a, fx->len, fx->len, got);
	assert_memory_equal(got, fx->a + fx->len, 20);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_idxsum__resumed_equals_whole),
		cmocka_unit_test(test_idxsum__longer_and_shorter_files),
		cmocka_unit_test(test_idxsum__marks_of_another_index_ignored),
		cmocka_unit_test(test_idxsum__damaged_marks_ignored),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
