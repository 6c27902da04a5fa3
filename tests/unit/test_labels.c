/*
 * test_labels.c - ids and labels: what people type resolves to the id
 * (an id, a label, a staff name, a category's path of labels, a fixed
 * word in Chinese), an ambiguous label lists the ids it fits, an unknown
 * value lists the nearest ones; and the Chinese words accepted in every
 * language are those of the zh_CN catalog.
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intl.h"
#include "labels.h"

static const char yaml[] =
	"docket: 1\n"
	"channels:\n"
	"  - {id: visit, label: 来访}\n"
	"  - {id: phone, label: 来电}\n"
	"departments:\n"
	"  - {id: soil-station, label: 土肥站}\n"
	"  - {id: enforcement, label: 执法大队}\n"
	"categories:\n"
	"  - id: fertilizer\n"
	"    label: 肥料\n"
	"    children:\n"
	"      - {id: fake, label: 假冒伪劣}\n"
	"      - {id: other, label: 其他}\n"
	"  - id: seeds\n"
	"    label: 种子\n"
	"    children:\n"
	"      - {id: other, label: 其他}\n"
	"staff:\n"
	"  - {id: qian.hao, name: 钱浩, email: q@example.org, roles: [handler]}\n"
	"  - {id: wang.fang, name: 王芳, email: w1@example.org, roles: [handler]}\n"
	"  - {id: wang.fang2, name: 王芳, email: w2@example.org, roles: [handler]}\n";

static int setup(void **state)
{
	struct config *cfg = calloc(1, sizeof(*cfg));
	struct diag d = DIAG_INIT;

	assert_non_null(cfg);
	assert_int_equal(config_parse(cfg, yaml, strlen(yaml), "t.yaml", &d),
		0);
	diag_release(&d);
	*state = cfg;
	return 0;
}

static int teardown(void **state)
{
	config_release(*state);
	free(*state);
	return 0;
}

/* The id input resolves to in mask; NULL on failure, message in *msg. */
static const char *resolve(const struct config *cfg, unsigned mask,
	const char *input, char **msg)
{
	struct diag d = DIAG_INIT;
	const char *id = NULL;
	int r = vocab_resolve(&id, NULL, cfg, mask, "--x", input, &d);

	*msg = d.n ? strdup(d.msg[0]) : NULL;
	diag_release(&d);
	return r ? NULL : id;
}

static void test_labels__ids_labels_and_names(void **state)
{
	const struct config *cfg = *state;
	char *msg;

	assert_string_equal(resolve(cfg, VOCAB(VOC_CHANNEL), "phone", &msg),
		"phone");
	assert_string_equal(resolve(cfg, VOCAB(VOC_CHANNEL), "来电", &msg),
		"phone");
	assert_string_equal(resolve(cfg, VOCAB(VOC_STAFF), "钱浩", &msg),
		"qian.hao");
	assert_string_equal(resolve(cfg, VOCAB(VOC_STAFF) |
		VOCAB(VOC_DEPARTMENT), "执法大队", &msg), "enforcement");
	assert_string_equal(resolve(cfg, VOCAB(VOC_CATEGORY), "假冒伪劣",
		&msg), "fertilizer/fake");
	assert_string_equal(resolve(cfg, VOCAB(VOC_CATEGORY), "种子/其他",
		&msg), "seeds/other");
	assert_null(msg);
}

static void test_labels__fixed_words_in_chinese_whatever_the_language(
	void **state)
{
	const struct config *cfg = *state;
	char *msg;

	assert_string_equal(resolve(cfg, VOCAB(VOC_SATISFACTION), "较满意",
		&msg), "fairly-satisfied");
	assert_string_equal(resolve(cfg, VOCAB(VOC_OUTCOME), "已解决", &msg),
		"resolved");
	assert_string_equal(resolve(cfg, VOCAB(VOC_STATUS), "已交办", &msg),
		"assigned");
	assert_string_equal(resolve(cfg, VOCAB(VOC_STATUS), "closed", &msg),
		"closed");
}

static void test_labels__ambiguous_lists_the_ids(void **state)
{
	const struct config *cfg = *state;
	char *msg = NULL;

	assert_null(resolve(cfg, VOCAB(VOC_STAFF), "王芳", &msg));
	assert_non_null(msg);
	assert_non_null(strstr(msg, "could be wang.fang (王芳), "
		"wang.fang2 (王芳)"));
	free(msg);
	assert_null(resolve(cfg, VOCAB(VOC_CATEGORY), "其他", &msg));
	assert_non_null(strstr(msg, "fertilizer/other (肥料/其他), "
		"seeds/other (种子/其他)"));
	free(msg);
}

static void test_labels__unknown_lists_the_nearest(void **state)
{
	const struct config *cfg = *state;
	char *msg = NULL;

	assert_null(resolve(cfg, VOCAB(VOC_STAFF), "钱豪", &msg));
	assert_string_equal(msg, "--x: unknown staff member '钱豪'; the "
		"nearest: qian.hao (钱浩)");
	free(msg);
	assert_null(resolve(cfg, VOCAB(VOC_DEPARTMENT), "财务科", &msg));
	assert_string_equal(msg, "--x: unknown department '财务科'; it is "
		"one of: soil-station (土肥站), enforcement (执法大队)");
	free(msg);
	assert_null(resolve(cfg, VOCAB(VOC_CHANNEL), "phon", &msg));
	assert_non_null(strstr(msg, "the nearest: phone (来电)"));
	free(msg);
}

static void test_labels__labels_for_people(void **state)
{
	const struct config *cfg = *state;
	struct sb sb = SB_INIT;

	assert_string_equal(vocab_label(cfg, VOC_STAFF, "qian.hao"), "钱浩");
	assert_string_equal(vocab_label(cfg, VOC_CATEGORY, "fertilizer/fake"),
		"肥料/假冒伪劣");
	/* an id docket.yaml does not know is shown as it is */
	assert_string_equal(vocab_label(cfg, VOC_DEPARTMENT, "gone"), "gone");
	assert_null(vocab_label(cfg, VOC_STAFF, NULL));
	vocab_show(&sb, cfg, VOC_DEPARTMENT, "enforcement");
	assert_string_equal(sb.buf, "执法大队 (enforcement)");
	sb_release(&sb);
}

/*
 * The Chinese words of labels.c are the zh_CN catalog's: read the
 * catalog the build made (locale/, from the top of the tree, where the
 * tests run) and compare every one.
 */
static void test_labels__chinese_words_are_the_catalogs(void **state)
{
	const struct vocab_word *w;

	(void)state;
	if (!bindtextdomain(DOCKET_DOMAIN, "locale"))
		fail_msg("cannot bind the catalog in locale/");
	bind_textdomain_codeset(DOCKET_DOMAIN, "UTF-8");
	intl_use("zh");
	assert_string_equal(intl_html_lang(), "zh-CN");
	for (w = vocab_zh_words; w->id; w++)
		if (strcmp(vocab_label(NULL, w->v, w->id), w->zh))
			fail_msg("%s: labels.c says %s, the catalog %s", w->id,
				w->zh, vocab_label(NULL, w->v, w->id));
	intl_use("en");
	assert_string_equal(vocab_label(NULL, VOC_STATUS, "assigned"),
		"assigned");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels__ids_labels_and_names),
		cmocka_unit_test(
			test_labels__fixed_words_in_chinese_whatever_the_language),
		cmocka_unit_test(test_labels__ambiguous_lists_the_ids),
		cmocka_unit_test(test_labels__unknown_lists_the_nearest),
		cmocka_unit_test(test_labels__labels_for_people),
		cmocka_unit_test(test_labels__chinese_words_are_the_catalogs),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
