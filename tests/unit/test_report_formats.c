/*
 * test_report_formats.c - each report format (src/report/) rendering a
 * small report built in memory: the numbers where each format puts them,
 * HTML escaping of labels, CSV quoting and formula cells, JSON that
 * jansson reads back, the byte order mark, the --by rows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "report-format.h"

/* A label that HTML, Markdown and CSV must each escape their own way. */
#define NASTY "A<B & \"C\", x"

static const char cfg_text[] =
	"docket: 1\n"
	"organization: \"Bureau <&> \\\"East\\\"\"\n"
	"timezone: Asia/Shanghai\n"
	"channels:\n"
	"  - {id: phone, label: 来电}\n"
	"  - {id: web, label: 网站}\n"
	"departments:\n"
	"  - {id: d1, label: 一科}\n";

struct fx {
	struct config cfg;
	struct report rc, rp;
	struct report_count chan[2], pchan[2], top[2];
	struct report_group dept[1], rows[3];
	struct report_view v;
	struct sb out;
};

/* October 2026: 4 received, 3 accepted, 1 rejected, 2 closed, ack 2 of
 * 3 on time, resolve 1 of 2, handling days median 7.5, mean 7.3, p90 9. */
static void october(struct report_stats *s)
{
	memset(s, 0, sizeof(*s));
	s->received = 4;
	s->accepted = 3;
	s->rejected = 1;
	s->closed = 2;
	s->open_at_end = 2;
	s->overdue_at_end = 1;
	s->ack_n = 3;
	s->ack_on_time = 2;
	s->resolve_n = 2;
	s->resolve_on_time = 1;
	s->nhandled = 2;
	s->median2 = 15;
	s->mean10 = 73;
	s->p90 = 9;
	s->sat[0] = 1;
	s->sat[1] = 1;
}

static struct report_count count(const char *key, long n)
{
	struct report_count c = { (char *)key, n };

	return c;
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct diag d = DIAG_INIT;

	assert_int_equal(config_parse(&fx->cfg, cfg_text, strlen(cfg_text),
		"docket.yaml", &d), 0);
	diag_release(&d);
	october(&fx->rc.st);
	fx->rp.st.received = 1;
	fx->chan[0] = count("phone", 3);
	fx->chan[1] = count("web", 1);
	fx->pchan[0] = count("phone", 1);
	fx->pchan[1] = count("web", 0);
	fx->rc.by[RDIM_CHANNEL] = fx->chan;
	fx->rc.nby[RDIM_CHANNEL] = 2;
	fx->rp.by[RDIM_CHANNEL] = fx->pchan;
	fx->rp.nby[RDIM_CHANNEL] = 2;
	fx->top[0] = count(NASTY, 2);
	fx->top[1] = count("=SUM(A1)", 1);
	fx->rc.top = fx->top;
	fx->rc.ntop = 2;
	fx->dept[0].key = (char *)"d1";
	october(&fx->dept[0].st);
	fx->rc.departments = fx->dept;
	fx->rc.ndepartments = 1;
	fx->rows[0].key = (char *)NASTY;
	october(&fx->rows[0].st);
	fx->rows[1].key = (char *)"=SUM(A1)";
	fx->rows[1].st.received = 1;
	fx->rows[2].key = NULL;
	fx->v.cfg = &fx->cfg;
	assert_int_equal(date_parse(&fx->v.from, "2026-10-01"), 0);
	assert_int_equal(date_parse(&fx->v.to, "2026-11-01"), 0);
	assert_int_equal(date_parse(&fx->v.pfrom, "2026-09-01"), 0);
	assert_int_equal(date_parse(&fx->v.pto, "2026-10-01"), 0);
	fx->rc.from = fx->v.from;
	fx->rc.to = fx->v.to;
	fx->rp.from = fx->v.pfrom;
	fx->rp.to = fx->v.pto;
	fx->v.rc = &fx->rc;
	fx->v.rp = &fx->rp;
	fx->v.now = cal_zoned(&fx->cfg.cal, 1795000000);
	sb_init(&fx->out);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	sb_release(&fx->out);
	config_release(&fx->cfg);
	free(fx);
	return 0;
}

/* The report as rows, one per value of --by (respondent). */
static void by_respondent(struct fx *fx)
{
	fx->v.by_set = 1;
	fx->v.by = RDIM_RESPONDENT;
	fx->v.rows = fx->rows;
	fx->v.nrows = 3;
}

static void assert_has(const struct sb *out, const char *want)
{
	if (!strstr(out->buf, want))
		fail_msg("\"%s\" not in:\n%s", want, out->buf);
}

static void test_report_formats__csv_figures_in_column_order(void **state)
{
	struct fx *fx = *state;

	report_format_csv(&fx->out, &fx->v, 0);
	assert_int_equal(strncmp(fx->out.buf, "from,to,received,accepted,"
		"rejected,closed,open_at_end,overdue_at_end,ack_on_time_rate,"
		"resolve_on_time_rate,handling_days.median,"
		"handling_days.mean,handling_days.p90,", 129), 0);
	/* rates as fractions, half and tenth days, nulls empty */
	assert_has(&fx->out, "\r\n2026-10-01,2026-11-01,4,3,1,2,2,1,"
		"0.666667,0.5,7.5,7.3,9,1,1,0,0,0,1,0,0,,,,0,0,0,\r\n");
	assert_int_equal((unsigned char)fx->out.buf[0], 'f');
}

static void test_report_formats__csv_bom_only_when_asked(void **state)
{
	struct fx *fx = *state;

	report_format_csv(&fx->out, &fx->v, 1);
	assert_memory_equal(fx->out.buf, "\xEF\xBB\xBF" "from,to,", 11);
	sb_reset(&fx->out);
	report_format_csv(&fx->out, &fx->v, 0);
	assert_memory_equal(fx->out.buf, "from,to,", 8);
}

static void test_report_formats__csv_rows_quoted(void **state)
{
	struct fx *fx = *state;

	by_respondent(fx);
	report_format_csv(&fx->out, &fx->v, 0);
	assert_has(&fx->out, "from,to,respondent,received,");
	assert_has(&fx->out, "\r\n2026-10-01,2026-11-01,\"A<B & \"\"C\"\", "
		"x\",4,3,1,");
	/* a spreadsheet must not run a respondent as a formula */
	assert_null(strstr(fx->out.buf, ",=SUM(A1)"));
	assert_has(&fx->out, "SUM(A1)");
	/* the row without a value: an empty cell */
	assert_has(&fx->out, "\r\n2026-10-01,2026-11-01,,0,");
}

static void test_report_formats__json_reads_back(void **state)
{
	struct fx *fx = *state;
	json_error_t err;
	json_t *o, *top;

	report_format_json(&fx->out, &fx->v);
	o = json_loads(fx->out.buf, 0, &err);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o,
		"organization")), "Bureau <&> \"East\"");
	assert_string_equal(json_string_value(json_object_get(o, "from")),
		"2026-10-01");
	assert_int_equal(json_integer_value(json_object_get(o, "received")),
		4);
	assert_true(json_real_value(json_object_get(o, "resolve_on_time_rate"))
		== 0.5);
	assert_true(json_real_value(json_object_get(json_object_get(o,
		"handling_days"), "median")) == 7.5);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		o, "by_channel"), "phone")), 3);
	assert_true(json_is_null(json_object_get(o, "feedback_on_time_rate")));
	top = json_array_get(json_object_get(o, "top_respondents"), 0);
	assert_string_equal(json_string_value(json_object_get(top,
		"respondent")), NASTY);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		json_object_get(o, "departments"), "d1"), "received")), 4);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(
		o, "previous"), "received")), 1);
	assert_string_equal(json_string_value(json_object_get(json_object_get(
		o, "previous"), "from")), "2026-09-01");
	json_decref(o);
}

static void test_report_formats__json_rows(void **state)
{
	struct fx *fx = *state;
	json_error_t err;
	json_t *o, *rows;

	by_respondent(fx);
	report_format_json(&fx->out, &fx->v);
	o = json_loads(fx->out.buf, 0, &err);
	assert_non_null(o);
	assert_string_equal(json_string_value(json_object_get(o, "by")),
		"respondent");
	rows = json_object_get(o, "rows");
	assert_int_equal(json_array_size(rows), 3);
	assert_string_equal(json_string_value(json_object_get(
		json_array_get(rows, 0), "respondent")), NASTY);
	assert_true(json_is_null(json_object_get(json_array_get(rows, 2),
		"respondent")));
	json_decref(o);
}

static void test_report_formats__html_escapes_labels(void **state)
{
	struct fx *fx = *state;

	report_format_html(&fx->out, &fx->v);
	assert_int_equal(strncmp(fx->out.buf, "<!DOCTYPE html>\n", 16), 0);
	assert_has(&fx->out, "<h1>Bureau &lt;&amp;&gt; &quot;East&quot;"
		"</h1>");
	assert_has(&fx->out, "<td>A&lt;B &amp; &quot;C&quot;, x</td>");
	assert_null(strstr(fx->out.buf, "A<B"));
	assert_null(strstr(fx->out.buf, "<&>"));
	assert_has(&fx->out, "<svg");
	assert_has(&fx->out, "<td class=\"n\">7.5</td>");
	assert_has(&fx->out, "<td class=\"n\">66.7%</td>");
	assert_string_equal(fx->out.buf + fx->out.len - 16,
		"</body>\n</html>\n");
}

static void test_report_formats__html_rows_chart(void **state)
{
	struct fx *fx = *state;

	by_respondent(fx);
	report_format_html(&fx->out, &fx->v);
	assert_has(&fx->out, "<svg");
	assert_has(&fx->out, "A&lt;B &amp; &quot;C&quot;, x");
	assert_null(strstr(fx->out.buf, "A<B"));
}

static void test_report_formats__table_columns(void **state)
{
	struct fx *fx = *state;

	report_format_table(&fx->out, &fx->v);
	assert_int_equal(strncmp(fx->out.buf, "Bureau <&> \"East\"\n"
		"report 2026-10-01 to 2026-10-31, compared with 2026-09-01 to "
		"2026-09-30\n", 90), 0);
	assert_has(&fx->out, "\nsummary\n");
	assert_has(&fx->out, "2026-10");
	assert_has(&fx->out, "+3");		/* received: 4 against 1 */
	assert_has(&fx->out, "66.7%");
	assert_has(&fx->out, "\ntop respondents\n");
	assert_has(&fx->out, NASTY);
	assert_has(&fx->out, "来电 (phone)");
}

static void test_report_formats__md_escapes(void **state)
{
	struct fx *fx = *state;

	report_format_md(&fx->out, &fx->v);
	assert_has(&fx->out, "# Bureau \\<\\&\\> \"East\"\n\n");
	assert_has(&fx->out, "\n## top respondents\n\n");
	assert_has(&fx->out, "| 1 | A\\<B \\& \"C\", x | 2 |\n");
	assert_has(&fx->out, "|--:|---|--:|\n");
}

static void test_report_formats__rows_for_people(void **state)
{
	struct fx *fx = *state;

	by_respondent(fx);
	report_format_table(&fx->out, &fx->v);
	assert_has(&fx->out, "report 2026-10-01 to 2026-10-31\n");
	assert_has(&fx->out, "\nby respondent\n");
	assert_has(&fx->out, "(none)");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_report_formats__csv_figures_in_column_order),
		T(test_report_formats__csv_bom_only_when_asked),
		T(test_report_formats__csv_rows_quoted),
		T(test_report_formats__json_reads_back),
		T(test_report_formats__json_rows),
		T(test_report_formats__html_escapes_labels),
		T(test_report_formats__html_rows_chart),
		T(test_report_formats__table_columns),
		T(test_report_formats__md_escapes),
		T(test_report_formats__rows_for_people),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
