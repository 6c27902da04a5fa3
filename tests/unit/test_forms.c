/*
 * test_forms.c - the template engine of `docket print`: fields filled
 * and HTML-escaped, {{#if}}, {{#copies}} and {{tick}}, every mistake
 * reported at its file, line and column (even in a part not printed),
 * a template too big refused, the plain-text layout, and the values a
 * case gives (Chinese dates, labels, blank forms).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "forms.h"

/* A lookup over a few fixed values. */
static int lookup(struct sb *out, const char *name, void *data)
{
	(void)data;
	if (!strcmp(name, "subject"))
		sb_adds(out, "电梯<b>故障</b> & \"x\"");
	else if (!strcmp(name, "name"))
		sb_adds(out, "李某");
	else if (!strcmp(name, "empty") || !strcmp(name, "refer_to"))
		;
	else if (!strcmp(name, "channel"))
		sb_adds(out, "来电");
	else
		return ERR_NOTFOUND;
	return 0;
}

static int render(struct sb *out, const char *tpl, struct diag *d)
{
	return form_render(out, tpl, strlen(tpl), "forms/x.html", lookup,
		NULL, d);
}

static void expect(const char *tpl, const char *want)
{
	struct sb out = SB_INIT;
	struct diag d = DIAG_INIT;

	assert_int_equal(render(&out, tpl, &d), 0);
	assert_string_equal(out.buf, want);
	assert_int_equal(d.n, 0);
	sb_release(&out);
	diag_release(&d);
}

static void expect_error(const char *tpl, const char *msg)
{
	struct sb out = SB_INIT;
	struct diag d = DIAG_INIT;

	assert_int_equal(render(&out, tpl, &d), ERR_INVALID);
	assert_int_equal(d.n, 1);
	assert_string_equal(d.msg[0], msg);
	sb_release(&out);
	diag_release(&d);
}

static void test_forms__fields_are_escaped(void **state)
{
	(void)state;
	expect("<p>{{name}}：{{ subject }}</p>",
		"<p>李某：电梯&lt;b&gt;故障&lt;/b&gt; &amp; &quot;x&quot;</p>");
	expect("no placeholders", "no placeholders");
	expect("", "");
}

static void test_forms__if_copies_tick(void **state)
{
	(void)state;
	expect("a{{#if name}}[{{name}}]{{/if}}b{{#if empty}}X{{/if}}c",
		"a[李某]bc");
	expect("{{#copies 甲|乙|存档}}<p>（{{copy}}）{{name}}</p>{{/copies}}",
		"<p>（甲）李某</p><p>（乙）李某</p><p>（存档）李某</p>");
	expect("{{tick channel=来电}}来电{{tick channel=来访}}来访",
		"\u2611来电\u25a1来访");
	expect("{{#if name}}{{#copies A|B}}{{copy}}{{/copies}}{{/if}}",
		"AB");
}

static void test_forms__errors_name_line_and_column(void **state)
{
	(void)state;
	expect_error("<p>\n  甲乙{{nmae}}</p>",
		"forms/x.html:2:5: unknown field 'nmae' (see 'docket print "
		"--fields')");
	/* a part that is not printed is checked all the same */
	expect_error("{{#if empty}}\n{{typo}}{{/if}}",
		"forms/x.html:2:1: unknown field 'typo' (see 'docket print "
		"--fields')");
	expect_error("x {{name", "forms/x.html:1:3: '{{' is not closed by "
		"'}}' on the same line");
	expect_error("{{#if name}}open", "forms/x.html:1:1: this part is not "
		"closed by {{/if}}");
	expect_error("{{/if}}", "forms/x.html:1:1: {{/if}} closes nothing "
		"that is open here");
	expect_error("{{copy}}", "forms/x.html:1:1: {{copy}} is only known "
		"inside {{#copies ...}}");
	expect_error("{{tick channel}}", "forms/x.html:1:1: {{tick}} needs "
		"FIELD=VALUE, as {{tick channel=来电}}");
	expect_error("{{#each x}}", "forms/x.html:1:1: unknown part "
		"'{{#each}}' (known: {{#if FIELD}}, {{#copies A|B}})");
	expect_error("{{../../etc}}", "forms/x.html:1:1: unknown field "
		"'../../etc' (see 'docket print --fields')");
}

static void test_forms__too_big_or_not_text(void **state)
{
	struct sb out = SB_INIT;
	struct diag d = DIAG_INIT;
	size_t n = FORM_MAX_SIZE + 1;
	char *big = malloc(n);

	(void)state;
	assert_non_null(big);
	memset(big, 'a', n);
	assert_int_equal(form_render(&out, big, n, "forms/big.html", lookup,
		NULL, &d), ERR_INVALID);
	assert_non_null(strstr(d.msg[0], "forms/big.html: the template is "
		"5242881 bytes"));
	diag_clear(&d);
	assert_int_equal(form_render(&out, "\xff\xfe", 2, "f", lookup, NULL,
		&d), ERR_INVALID);
	free(big);
	sb_release(&out);
	diag_release(&d);
}

static void test_forms__plain_text(void **state)
{
	static const char html[] =
		"<!-- 表: fields x -->\n<html><head><style>p{x:1}</style>"
		"<title>t</title></head><body>\n"
		"<section class=\"page\"><h1>标题</h1>\n<p>第一段\n  续 &amp; "
		"&lt;b&gt; &#x2611;</p>"
		"<table><tr><th>甲</th><td>1</td></tr><tr><th>乙</th><td>2"
		"</td></tr></table></section>\n"
		"<section class=\"page\"><p>第二页</p></section></body></html>";
	struct sb out = SB_INIT;

	(void)state;
	form_to_text(&out, html, strlen(html));
	assert_string_equal(out.buf, "标题\n第一段 续 & <b> \u2611\n甲  1\n"
		"乙  2\n\f\n第二页\n");
	sb_release(&out);
}

static void test_forms__title_and_names(void **state)
{
	struct sb t = SB_INIT;
	const char *tpl = "<!-- 投诉受理告知书: fields office -->\n<html>";

	(void)state;
	form_title(&t, tpl, strlen(tpl));
	assert_string_equal(t.buf, "投诉受理告知书");
	sb_release(&t);
	assert_true(form_name_valid("受理告知书"));
	assert_false(form_name_valid("../docket"));
	assert_false(form_name_valid(".hidden"));
	assert_false(form_name_valid(""));
}

static void test_forms__case_values(void **state)
{
	static const char yaml[] =
		"docket: 1\norganization: 某县农业局\n"
		"timezone: Asia/Shanghai\n"
		"channels:\n  - {id: phone, label: 来电}\n"
		"reject_reasons:\n  - {id: out-of-scope, label: 不属于本机关职权范围}\n";
	struct config cfg;
	struct diag d = DIAG_INIT;
	struct dcase c;
	struct form_data fd;
	struct sb out = SB_INIT;
	struct event *e;
	const char *tpl = "{{office}}|{{today}}|{{received}}|{{channel}}|"
		"{{reject_reason}}|{{refer_to}}|{{docno}}|{{name}}|{{kind}}";

	(void)state;
	assert_int_equal(config_parse(&cfg, yaml, strlen(yaml), "d.yaml",
		&d), 0);
	case_init(&c);
	c.id = strdup("2026-000001");
	c.subject = strdup("s");
	c.channel = strdup("phone");
	c.who.name = strdup("李某");
	ts_parse(&c.received_at, "2026-11-28T09:14:00+08:00");
	e = case_add_event(&c, c.received_at, "x", "triage");
	event_set(e, "decision", "reject");
	event_set(e, "reason", "out-of-scope");
	event_set(e, "refer_to", "市场监管局");
	fd.cfg = &cfg;
	fd.c = &c;
	ts_parse(&fd.now, "2026-12-02T01:00:00Z");
	fd.actor = "x";
	fd.docno = "农投〔2026〕12号";
	assert_int_equal(form_render(&out, tpl, strlen(tpl), "t",
		form_case_value, &fd, &d), 0);
	assert_string_equal(out.buf, "某县农业局|2026年12月2日|2026年11月28日|"
		"来电|不属于本机关职权范围|市场监管局|农投〔2026〕12号|李某|投诉");
	/* blank: the letterhead only */
	sb_reset(&out);
	fd.c = NULL;
	fd.docno = NULL;
	assert_int_equal(form_render(&out, tpl, strlen(tpl), "t",
		form_case_value, &fd, &d), 0);
	assert_string_equal(out.buf, "某县农业局||||||||");
	sb_release(&out);
	case_release(&c);
	config_release(&cfg);
	diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_forms__fields_are_escaped),
		cmocka_unit_test(test_forms__if_copies_tick),
		cmocka_unit_test(test_forms__errors_name_line_and_column),
		cmocka_unit_test(test_forms__too_big_or_not_text),
		cmocka_unit_test(test_forms__plain_text),
		cmocka_unit_test(test_forms__title_and_names),
		cmocka_unit_test(test_forms__case_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
