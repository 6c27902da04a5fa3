/*
 * test_util.c - the small pieces the caches are built from: arenas and
 * merged path lists (the cache files themselves: test_cachefile.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

static void test_util__arena_zeroed_and_aligned(void **state)
{
	struct arena *a = arena_new(64);
	unsigned char *p;
	char *s;
	int i, k;

	(void)state;
	for (i = 0; i < 1000; i++) {
		/* an odd-length string, then an aligned block after it */
		s = arena_strndup(a, "电梯故障xyz", 13 + (size_t)(i % 3));
		assert_int_equal(s[13 + i % 3], '\0');
		p = arena_calloc(a, (size_t)(i % 50) + 1, 8);
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
		for (k = 0; k < (i % 50 + 1) * 8; k++)
			assert_int_equal(p[k], 0);
		memset(p, 0xab, (size_t)(i % 50 + 1) * 8);
	}
	/* larger than any block so far */
	p = arena_calloc(a, 1 << 20, 1);
	assert_int_equal(p[(1 << 20) - 1], 0);
	s = arena_strndup(a, "abcdef", 3);
	assert_string_equal(s, "abc");
	arena_free(a);
}

/* A scan's slot decodes case after case into one arena: what it gets
 * back is empty and zeroed, in the same first block while that holds
 * what is asked; a larger case gets a new arena. */
static void test_util__arena_reused_empty(void **state)
{
	struct arena *a = arena_reuse(NULL, 100), *b;
	unsigned char *p, *q;
	int k;

	(void)state;
	p = arena_calloc(a, 1000, 1);
	memset(p, 0xab, 1000);
	memset(arena_calloc(a, 1 << 16, 1), 0xcd, 1 << 16);	/* 2nd block */
	b = arena_reuse(a, 1500);
	assert_ptr_equal(b, a);
	q = arena_calloc(b, 1000, 1);
	assert_ptr_equal(q, p);		/* from the start again */
	for (k = 0; k < 1000; k++)
		assert_int_equal(q[k], 0);
	/* more than its first block holds: a new one (ASan: the old freed) */
	b = arena_reuse(b, 1 << 20);
	q = arena_calloc(b, 1 << 20, 1);
	assert_int_equal(q[(1 << 20) - 1], 0);
	arena_free(b);
}

/* Characters in the first n bytes of s, counted one byte at a time. */
static size_t chars_slowly(const char *s, size_t n)
{
	size_t i, k = 0;

	for (i = 0; i < n; i++)
		k += ((unsigned char)s[i] & 0xc0) != 0x80;
	return k;
}

/* utf8_len() counts eight bytes at a time: every length and start of a
 * text mixing ASCII, Chinese, a 4-byte emoji and a 2-byte letter. */
static void test_util__utf8_len_counts_characters(void **state)
{
	const char *s = "投诉 2026-000123：电梯故障😀, é 已受理 abcdefgh 交办";
	size_t len = strlen(s), i, n;

	(void)state;
	assert_int_equal(utf8_len("电梯故障", 12), 4);
	assert_int_equal(utf8_len("", 0), 0);
	for (i = 0; i < len; i++)
		for (n = 0; i + n <= len; n++)
			assert_int_equal(utf8_len(s + i, n),
				chars_slowly(s + i, n));
}

/* What may not be stored: the fast path for ASCII and CJK text must not
 * let a control, a bidi override or a bad byte through. */
static void test_util__has_control_after_plain_text(void **state)
{
	(void)state;
	assert_false(has_control("电梯故障, call 12345", 23, 0));
	assert_true(has_control("电梯\n故障", 13, 0));
	assert_false(has_control("电梯\n故障", 13, 1));
	assert_true(has_control("电梯\x7f", 7, 1));
	assert_true(has_control("电梯\xe2\x80\xae故障", 15, 1));	/* U+202E */
	assert_true(has_control("电梯\xe2\x81\xa6", 9, 1));		/* U+2066 */
	assert_true(has_control("abc\xc2\x85", 5, 1));		/* U+0085 */
	assert_true(has_control("电\xe6\xa2", 5, 1));		/* cut short */
	assert_false(has_control("é😀", 6, 0));
}

static void push_all(struct strlist *l, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		strlist_push(l, v[i]);
}

static void test_util__union_merges_sorted_lists(void **state)
{
	static const char *const a[] = { "cases/2026/000/a", "cases/2026/000/c",
		"cases/2026/001/a" };
	static const char *const b[] = { "cases/2026/000/b", "cases/2026/000/c",
		"cases/2026/002/a" };
	static const char *const want[] = { "cases/2026/000/a",
		"cases/2026/000/b", "cases/2026/000/c", "cases/2026/001/a",
		"cases/2026/002/a" };
	struct strlist x = STRLIST_INIT, y = STRLIST_INIT, out = STRLIST_INIT;
	size_t i;

	(void)state;
	push_all(&x, a, ARRAY_SIZE(a));
	push_all(&y, b, ARRAY_SIZE(b));
	strlist_union(&out, &x, &y);
	assert_int_equal(out.n, ARRAY_SIZE(want));
	for (i = 0; i < out.n; i++)
		assert_string_equal(out.v[i], want[i]);
	assert_int_equal(x.n, 0);
	assert_int_equal(y.n, 0);
	strlist_release(&x);
	strlist_release(&y);
	strlist_release(&out);
}

/* Folder by folder order is not path order when a name sorts below '/';
 * the union must still come out sorted, each path once. */
static void test_util__union_sorts_unsorted_input(void **state)
{
	static const char *const a[] = { "cases/2026/000/x.yaml",
		"cases/2026/000-old/x.yaml", "cases/2026/000/x.yaml" };
	static const char *const b[] = { "cases/2026/000-old/x.yaml",
		"cases/2025/999/z.yaml" };
	struct strlist x = STRLIST_INIT, y = STRLIST_INIT, out = STRLIST_INIT;
	size_t i;

	(void)state;
	push_all(&x, a, ARRAY_SIZE(a));
	push_all(&y, b, ARRAY_SIZE(b));
	strlist_union(&out, &x, &y);
	assert_int_equal(out.n, 3);
	for (i = 1; i < out.n; i++)
		assert_true(strcmp(out.v[i - 1], out.v[i]) < 0);
	strlist_release(&x);
	strlist_release(&y);
	strlist_release(&out);
}

/* put_decimal() and read_decimal(): a field written is read back, and
 * a sign, a blank or the end of the text is no digit. */
static void test_util__decimal_fields_round_trip(void **state)
{
	char buf[8];
	long v = -1;

	(void)state;
	*put_decimal(buf, 2026, 4) = '\0';
	assert_string_equal(buf, "2026");
	assert_int_equal(read_decimal(buf, 4, &v), 0);
	assert_int_equal(v, 2026);
	assert_int_equal(read_decimal("009488", 6, &v), 0);
	assert_int_equal(v, 9488);
	v = -1;
	assert_int_equal(read_decimal("+123", 4, &v), -1);
	assert_int_equal(read_decimal(" 123", 4, &v), -1);
	assert_int_equal(read_decimal("12", 4, &v), -1);
	assert_int_equal(v, -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_util__arena_zeroed_and_aligned),
		cmocka_unit_test(test_util__arena_reused_empty),
		cmocka_unit_test(test_util__utf8_len_counts_characters),
		cmocka_unit_test(test_util__has_control_after_plain_text),
		cmocka_unit_test(test_util__union_merges_sorted_lists),
		cmocka_unit_test(test_util__union_sorts_unsorted_input),
		cmocka_unit_test(test_util__decimal_fields_round_trip),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
