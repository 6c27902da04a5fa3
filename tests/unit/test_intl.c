/*
 * test_intl.c - language tags docket.yaml may name, and the language the
 * environment asks for, with or without the locale generated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intl.h"

static void test_intl__tags(void **state)
{
	(void)state;
	assert_true(intl_tag_valid("zh"));
	assert_true(intl_tag_valid("zh_CN"));
	assert_true(intl_tag_valid("zh-CN"));
	assert_true(intl_tag_valid("en"));
	assert_true(intl_tag_valid("zh-Hans"));
	assert_false(intl_tag_valid(""));
	assert_false(intl_tag_valid("z"));
	assert_false(intl_tag_valid("中文"));
	assert_false(intl_tag_valid("zh_"));
	assert_false(intl_tag_valid("zh_CN.UTF-8"));
	assert_false(intl_tag_valid("../x"));
}

/* The language intl_init() takes from these variables (others unset). */
static const char *init_with(const char *lc_all, const char *lang,
	const char *language)
{
	unsetenv("LC_ALL");
	unsetenv("LC_MESSAGES");
	unsetenv("LANG");
	unsetenv("LANGUAGE");
	if (lc_all)
		setenv("LC_ALL", lc_all, 1);
	if (lang)
		setenv("LANG", lang, 1);
	if (language)
		setenv("LANGUAGE", language, 1);
	intl_init();
	return getenv("LANGUAGE");
}

static void test_intl__language_from_the_environment(void **state)
{
	(void)state;
	assert_string_equal(init_with(NULL, "zh_CN.UTF-8", NULL), "zh_CN");
	assert_string_equal(init_with("C", "zh_CN.UTF-8", NULL), "en");
	assert_string_equal(init_with(NULL, NULL, NULL), "en");
	assert_string_equal(init_with("C.UTF-8", NULL, NULL), "en");
	/* GNU's LANGUAGE, except under the C locale, as gettext itself */
	assert_string_equal(init_with("en_US.UTF-8", NULL, "zh_CN:en"),
		"zh_CN:en");
	assert_string_equal(init_with("C", NULL, "zh_CN"), "en");
	/* docket.yaml's language wins */
	init_with(NULL, "en_US.UTF-8", NULL);
	intl_use("zh");
	assert_string_equal(getenv("LANGUAGE"), "zh_CN");
	intl_use("zh-CN");
	assert_string_equal(getenv("LANGUAGE"), "zh_CN");
	intl_use(NULL);
	assert_string_equal(getenv("LANGUAGE"), "zh_CN");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_intl__tags),
		cmocka_unit_test(test_intl__language_from_the_environment),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
