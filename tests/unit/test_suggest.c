/*
 * test_suggest.c - "did you mean": edit distances in code points, and
 * which candidates are kept as the nearest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "suggest.h"

static void test_suggest__distance(void **state)
{
	(void)state;
	assert_int_equal(edit_distance("list", "list"), 0);
	assert_int_equal(edit_distance("lsit", "list"), 1);	/* a swap */
	assert_int_equal(edit_distance("asign", "assign"), 1);
	assert_int_equal(edit_distance("", "log"), 3);
	assert_int_equal(edit_distance("LIST", "list"), 0);
	/* Chinese counts characters, not bytes */
	assert_int_equal(edit_distance("钱豪", "钱浩"), 1);
	assert_int_equal(edit_distance("执法队", "执法大队"), 1);
}

static void test_suggest__did_you_mean_keeps_only_the_best(void **state)
{
	static const char *const cmds[] = {
		"init", "file", "triage", "assign", "list", "log", "show",
		"check", "report", "remind"
	};
	struct suggest s;
	size_t i;

	(void)state;
	suggest_init(&s, "lsit");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		suggest_add(&s, cmds[i], NULL);
	suggest_close_only(&s);
	assert_int_equal(s.n, 1);
	assert_string_equal(s.word[0], "list");
	suggest_init(&s, "zzzzzz");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		suggest_add(&s, cmds[i], NULL);
	assert_true(s.n > 0);
	suggest_close_only(&s);
	assert_int_equal(s.n, 0);
}

static void test_suggest__one_item_once_at_its_nearest(void **state)
{
	int a, b;
	struct suggest s;

	(void)state;
	suggest_init(&s, "钱");
	suggest_add(&s, "qian.hao", &a);
	suggest_add(&s, "钱浩", &a);	/* contains the input: near */
	suggest_add(&s, "zhang.wei", &b);
	assert_int_equal(s.n, 2);
	assert_ptr_equal(s.item[0], &a);
	assert_string_equal(s.word[0], "钱浩");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suggest__distance),
		cmocka_unit_test(test_suggest__did_you_mean_keeps_only_the_best),
		cmocka_unit_test(test_suggest__one_item_once_at_its_nearest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
