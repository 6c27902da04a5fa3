/*
 * test_csv.c - the one CSV writer of `list` and `report`: RFC 4180
 * quoting, OWASP's rule against formula injection, the byte order mark.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "output.h"
#include "util.h"

/* Assert that csv_field(in) appends want. */
static void check_field(const char *in, const char *want)
{
	struct sb out = SB_INIT;

	csv_field(&out, in);
	assert_string_equal(out.buf, want);
	sb_release(&out);
}

static void test_csv__formula_cells_get_a_quote_and_quotes(void **state)
{
	(void)state;
	check_field("=1+1", "\"'=1+1\"");
	check_field("+8613800000000", "\"'+8613800000000\"");
	check_field("-2+3", "\"'-2+3\"");
	check_field("@SUM(A1:A9)", "\"'@SUM(A1:A9)\"");
	check_field("\tcmd", "\"'\tcmd\"");
	check_field("\r=1", "\"'\r=1\"");
	/* quotes inside are doubled as in any quoted cell */
	check_field("=HYPERLINK(\"http://x\",\"点\")",
		"\"'=HYPERLINK(\"\"http://x\"\",\"\"点\"\")\"");
}

static void test_csv__other_cells_are_as_before(void **state)
{
	(void)state;
	check_field("2026-000001", "2026-000001");
	check_field("电梯故障", "电梯故障");
	check_field("a=b", "a=b");
	check_field(" =1", " =1");
	check_field("a,b", "\"a,b\"");
	check_field("0.5", "0.5");
	check_field("", "");
	check_field(NULL, "");
}

static void test_csv__a_row_neutralises_each_cell(void **state)
{
	static const char *const f[] = { "2026-000001", "=1", "ok", "-", NULL };
	struct sb out = SB_INIT;

	(void)state;
	csv_row(&out, f, ARRAY_SIZE(f));
	assert_string_equal(out.buf, "2026-000001,\"'=1\",ok,\"'-\",\r\n");
	sb_release(&out);
}

static void test_csv__bom_only_when_asked(void **state)
{
	struct sb out = SB_INIT;

	(void)state;
	csv_begin(&out, 0);
	assert_int_equal(out.len, 0);
	csv_begin(&out, 1);
	assert_int_equal(out.len, 3);
	assert_memory_equal(out.buf, "\xEF\xBB\xBF", 3);
	sb_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv__formula_cells_get_a_quote_and_quotes),
		cmocka_unit_test(test_csv__other_cells_are_as_before),
		cmocka_unit_test(test_csv__a_row_neutralises_each_cell),
		cmocka_unit_test(test_csv__bom_only_when_asked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
