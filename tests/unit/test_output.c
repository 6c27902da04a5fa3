/*
 * test_output.c - terminal escaping, display width, tables, CSV, JSON.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <unistr.h>
#include <uniwidth.h>

#include "case.h"
#include "output.h"
#include "util.h"
#include "ytree.h"

/* Assert that out_escape(in, keep) gives want. */
static void check_escape(const char *in, int keep, const char *want)
{
	struct sb out = SB_INIT;

	out_escape(&out, in, keep);
	assert_string_equal(out.buf, want);
	sb_release(&out);
}

static void test_output__escape_makes_controls_visible(void **state)
{
	static const struct {
		const char *in;
		int keep;
		const char *want;
	} cases[] = {
		{ "plain text", 0, "plain text" },
		{ "小区电梯长期故障无人维修。", 0, "小区电梯长期故障无人维修。" },
		{ "\x1b[31mred\x1b[0m", 0, "\\x1b[31mred\\x1b[0m" },
		{ "bell\a", 0, "bell\\x07" },
		{ "del\x7f", 0, "del\\x7f" },
		{ "cr\rlf", 0, "cr\\x0dlf" },
		{ "a\tb", 1, "a\\tb" },
		{ "line1\nline2", 0, "line1\\nline2" },
		{ "line1\nline2", 1, "line1\nline2" },
		{ "C:\\temp", 0, "C:\\\\temp" },
		{ "evil\xe2\x80\xaetxt.exe", 0, "evil\\u{202E}txt.exe" },
		{ "iso\xe2\x81\xa6x\xe2\x81\xa9", 0, "iso\\u{2066}x\\u{2069}" },
		{ "nel\xc2\x85", 0, "nel\\u{0085}" },
		{ "raw\x85", 0, "raw\\x85" },
		{ "bad\xff\xfe", 0, "bad\\xff\\xfe" },
		{ "cut\xe7\x94", 0, "cut\\xe7\\x94" },
		{ "中文\xe7\x94", 0, "中文\\xe7\\x94" },
		{ "中\xe4\xb8z", 0, "中\\xe4\\xb8z" },
		{ "投诉\x1b\xe2\x80\xae举报\n", 0,
			"投诉\\x1b\\u{202E}举报\\n" },
		{ "over\xc0\xaf", 0, "over\\xc0\\xaf" },
		{ "emoji \xf0\x9f\x98\x80", 0, "emoji \xf0\x9f\x98\x80" },
		{ "", 0, "" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		check_escape(cases[i].in, cases[i].keep, cases[i].want);
}

static void test_output__display_width_counts_wide_as_two(void **state)
{
	(void)state;
	assert_int_equal(display_width(""), 0);
	assert_int_equal(display_width("abc"), 3);
	assert_int_equal(display_width("电梯"), 4);
	assert_int_equal(display_width("\xef\xbd\xb1"), 1);	/* ｱ U+FF71 */
	assert_int_equal(display_width("\xef\xbc\xa1"), 2);	/* Ａ U+FF21 */
	assert_int_equal(display_width("3号楼elevator"), 13);
	assert_int_equal(display_width("「投诉」"), 8);
	assert_int_equal(display_width("ひらがなカタカナ"), 16);
	assert_int_equal(display_width("한국"), 4);
	assert_int_equal(display_width("e\xcc\x81"), 1);	/* e + U+0301 */
	assert_int_equal(display_width("\xf0\x9f\x98\x80!"), 3);
	assert_int_equal(display_width("\xf0\xa0\x80\x80"), 2);	/* U+20000 */
	assert_int_equal(display_width("caf\xc3\xa9"), 4);
}

/* What the table once kept in output.c missed or had wrong. */
static void test_output__display_width_follows_east_asian_width(void **state)
{
	(void)state;
	assert_int_equal(display_width("\xe2\x9c\x85"), 2);	/* ✅ U+2705 */
	assert_int_equal(display_width("\xe2\xad\x90"), 2);	/* ⭐ U+2B50 */
	assert_int_equal(display_width("\xe2\x8c\xa9"), 2);	/* 〈 U+2329 */
	assert_int_equal(display_width("\xf0\x9f\x80\x84"), 2);	/* 🀄 U+1F004 */
	assert_int_equal(display_width("\xf0\x97\x80\x80"), 2);	/* Tangut U+17000 */
	assert_int_equal(display_width("\xf0\x9f\xa9\xb0"), 2);	/* U+1FA70 */
	/* Ambiguous: narrow in UTF-8 */
	assert_int_equal(display_width("\xe3\x89\x88"), 1);	/* U+3248 */
	/* नमस्ते: virama U+094D and vowel sign U+0947 are marks */
	assert_int_equal(display_width("\xe0\xa4\xa8\xe0\xa4\xae\xe0\xa4\xb8"
		"\xe0\xa5\x8d\xe0\xa4\xa4\xe0\xa5\x87"), 4);
	assert_int_equal(display_width("a\xe2\x80\x8b" "b"), 2);	/* ZWSP */
	assert_int_equal(display_width("a\x01" "b"), 2);	/* a control: 0 */
	assert_int_equal(display_width(NULL), 0);
}

/* display_width() answers the most common characters itself: every
 * character of the BMP and the first supplementary planes, alone and
 * after ASCII and an ideograph, as libunistring's u8_width() counts it. */
static void test_output__display_width_is_u8_width_for_every_char(void **state)
{
	uint8_t buf[16];
	unsigned cp;
	size_t n;
	int k;

	(void)state;
	for (cp = 1; cp < 0x30000; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		buf[0] = 'a';
		memcpy(buf + 1, "\xe4\xb8\xad", 3);	/* 中 */
		k = u8_uctomb(buf + 4, cp, 8);
		assert_true(k > 0);
		n = (size_t)k + 4;
		buf[n] = '\0';
		if (display_width((const char *)buf + 4) !=
		    (size_t)u8_width(buf + 4, (size_t)k, "UTF-8"))
			fail_msg("U+%04X: display_width %zu, u8_width %d", cp,
				display_width((const char *)buf + 4),
				u8_width(buf + 4, (size_t)k, "UTF-8"));
		assert_int_equal(display_width((const char *)buf),
			(size_t)u8_width(buf, n, "UTF-8"));
	}
}

static void test_output__utf8_checks_refuse_what_is_not_utf8(void **state)
{
	static const struct {
		const char *s;
		int valid;
	} cases[] = {
		{ "", 1 }, { "abc", 1 }, { "\xe7\x94\xb5\xe6\xa2\xaf", 1 },
		{ "\xf0\xa0\x80\x80", 1 }, { "\xf4\x8f\xbf\xbf", 1 },
		{ "\xc0\xaf", 0 },		/* overlong '/' */
		{ "\xe0\x80\xaf", 0 },	/* overlong '/' */
		{ "\xed\xa0\x80", 0 },	/* surrogate U+D800 */
		{ "\xf4\x90\x80\x80", 0 },	/* U+110000 */
		{ "\xe7\x94", 0 },		/* cut short */
		{ "\x80", 0 }, { "\xff", 0 },
	};
	unsigned cp = 0;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(utf8_valid(cases[i].s, strlen(cases[i].s)),
			cases[i].valid);
	assert_int_equal(utf8_decode("\xe7\x94\xb5x", 4, &cp), 3);
	assert_int_equal(cp, 0x7535);
	assert_int_equal(utf8_decode("\xe7\x94\xb5", 2, &cp), 0);
	assert_int_equal(utf8_decode("\xed\xa0\x80", 3, &cp), 0);
	assert_int_equal(utf8_decode("", 0, &cp), 0);
}

static void test_output__table_aligns_cjk_columns(void **state)
{
	static const char *const rows[][3] = {
		{ "id", "主题", "n" },
		{ "2026-000123", "电梯故障", "12" },
		{ "2026-000124", "noise", "3" },
	};
	struct table t;
	struct sb out = SB_INIT;
	size_t i;

	(void)state;
	table_init(&t, 3);
	t.right = 1u << 2;
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		table_row(&t, rows[i]);
	table_render(&out, &t);
	assert_string_equal(out.buf,
		"id           主题       n\n"
		"2026-000123  电梯故障  12\n"
		"2026-000124  noise      3\n");
	sb_release(&out);
	table_release(&t);
}

static void test_output__table_has_no_trailing_blanks(void **state)
{
	static const char *const r1[] = { "a", "长长", NULL };
	static const char *const r2[] = { "bb", "x", "" };
	struct table t;
	struct sb out = SB_INIT;

	(void)state;
	table_init(&t, 3);
	table_row(&t, r1);
	table_row(&t, r2);
	table_render(&out, &t);
	assert_string_equal(out.buf, "a   长长\nbb  x\n");
	sb_release(&out);
	table_release(&t);
}

static void test_output__table_escapes_cells(void **state)
{
	static const char *const r1[] = { "a\x1b[2Jb", "1" };
	static const char *const r2[] = { "two\nlines", "2" };
	struct table t;
	struct sb out = SB_INIT;

	(void)state;
	table_init(&t, 2);
	table_row(&t, r1);
	table_row(&t, r2);
	table_render(&out, &t);
	assert_string_equal(out.buf,
		"a\\x1b[2Jb   1\n"
		"two\\nlines  2\n");
	sb_release(&out);
	table_release(&t);
}

/* `list` renders 100,000 rows a block at a time, its cells escaped on
 * other threads: the blocks put together are the table rendered whole,
 * a row's widths taken from every row, not only its block's. */
static void test_output__table_in_parts_is_the_table_whole(void **state)
{
	static const char *const heads[] = { "id", "主题", "n" };
	static const char *const rows[][3] = {
		{ "2026-000123", "电梯故障", "12" },
		{ "2026-000124", "noise\tthere", "3" },
		{ "2026-000125", NULL, "1234" },
		{ "x", "楼道堆放杂物严重影响通行", "" },
	};
	struct sb text[ARRAY_SIZE(rows)], whole = SB_INIT, parts = SB_INIT;
	size_t width[ARRAY_SIZE(rows)][3], colw[3], i, step, from;
	struct table t;

	(void)state;
	table_init(&t, 3);
	t.right = 1u << 2;
	table_row(&t, heads);
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		sb_init(&text[i]);
		table_cells_escape(&text[i], width[i], rows[i], 3);
		table_row_escaped(&t, text[i].buf, width[i]);
	}
	table_render(&whole, &t);
	assert_string_equal(whole.buf,
		"id           主题                         n\n"
		"2026-000123  电梯故障                    12\n"
		"2026-000124  noise\\tthere                 3\n"
		"2026-000125                            1234\n"
		"x            楼道堆放杂物严重影响通行\n");
	table_widths(&t, colw);
	for (step = 1; step <= t.nrows + 1; step++) {
		sb_reset(&parts);
		for (from = 0; from < t.nrows; from += step)
			table_render_rows(&parts, &t, colw, from, from + step);
		assert_string_equal(parts.buf, whole.buf);
	}
	for (i = 0; i < ARRAY_SIZE(rows); i++)
		sb_release(&text[i]);
	sb_release(&parts);
	sb_release(&whole);
	table_release(&t);
}

/* A table's cells, copied as they are when plain: what out_escape() and
 * display_width() make of each, plain or not. */
static void test_output__cells_escape_as_out_escape(void **state)
{
	static const char *const cells[] = {
		"", "2026-000123", "电梯故障，（紧急）", "ＡＢＣ！", "a\\b",
		"tab\there", "\x1b[2J", "\xe2\x80\xae\xe5\x8f\x8d",
		"\xc2\x85nel", "caf\xc3\xa9", "e\xcc\x81", "\xf0\x9f\x98\x80",
		"\xea\xb0\x80\xea\xb0\x81", "\xe3\x80\xbf", "\xff\xfe",
		"\xe4\xb8", "ｶﾀｶﾅ", "\xe3\x80\x80全角空格", "~\x7f"
	};
	struct sb got = SB_INIT, want = SB_INIT;
	size_t w, ww, i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(cells); i++) {
		sb_reset(&got);
		sb_reset(&want);
		table_cells_escape(&got, &w, &cells[i], 1);
		out_escape(&want, cells[i], 0);
		ww = display_width(want.buf);
		assert_string_equal(got.buf, want.buf);
		assert_int_equal(got.len, want.len + 1);
		assert_int_equal(w, ww);
	}
	sb_release(&got);
	sb_release(&want);
}

static void test_output__csv_quotes_and_ends_with_crlf(void **state)
{
	static const char *const f[] = {
		"plain", "a,b", "say \"hi\"", "two\nlines", "cr\r", NULL,
		"电梯", "",
	};
	struct sb out = SB_INIT;

	(void)state;
	csv_row(&out, f, ARRAY_SIZE(f));
	csv_row(&out, f, 1);
	assert_string_equal(out.buf,
		"plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\"cr\r\",,"
		"电梯,\r\n"
		"plain\r\n");
	sb_release(&out);
}

/* 2026-11-28T09:14:00+08:00 and later instants, all at +08:00. */
static struct ts at8(int64_t t)
{
	struct ts ts = { t, 480 };

	return ts;
}

/* A closed case touching every kind of field. */
static void build_case(struct dcase *c)
{
	static char *const copy[] = { "a", "b" };
	struct diag d = DIAG_INIT;
	struct ynode *x = NULL;
	struct event *e;
	static const char yaml[] = "{a: 1, b: [x, y], c: {d: true}}";

	case_init(c);
	set_str(&c->id, "2026-000123");
	c->kind = KIND_COMPLAINT;
	c->status = ST_CLOSED;
	set_str(&c->subject, "小区电梯长期故障无人维修");
	set_str(&c->channel, "phone");
	c->received_at = at8(1795828440);
	set_str(&c->received_by, "zhang.wei");
	set_str(&c->who.name, "李某");
	set_str(&c->who.phone, "13800000000");
	c->who.anonymous = 0;
	c->who.count = 3;
	set_str(&c->respondent, "某某物业");
	c->has_occurred = 1;
	c->occurred_on.y = 2026;
	c->occurred_on.m = 11;
	c->occurred_on.d = 20;
	set_str(&c->department, "property-office");
	strv_add_unique(&c->co_departments, &c->nco, "housing");
	set_str(&c->assignee, "wang.fang");
	c->due.has = (1u << DUE_ACK) | (1u << DUE_RESOLVE);
	c->due.at[DUE_ACK] = at8(1796054399);
	c->due.at[DUE_RESOLVE] = at8(1797609599);
	strv_add_unique(&c->related, &c->nrelated, "2026-000099");
	c->att = xcalloc(1, sizeof(*c->att));
	c->natt = 1;
	c->att[0].path = xstrdup("attachments/2026-000123/photo-1.jpg");
	c->att[0].sha256 = xstrdup("5f70bf18a086007016e948b04aed3b82"
		"103a36bea41755b6cddfaf10ace3c6ef");
	c->closure.present = 1;
	c->closure.at = at8(1796889600);
	set_str(&c->closure.by, "wang.fang");
	set_str(&c->closure.outcome, "resolved");
	c->closure.notified = 1;
	c->closure.notified_at = at8(1796890800);
	set_str(&c->closure.notified_via, "phone");
	c->closure.on_time = 1;
	case_add_event(c, at8(1795828440), "zhang.wei", "file");
	e = case_add_event(c, at8(1795831331), "chen.jing", "triage");
	event_set(e, "decision", "accept");
	event_set_list(e, "copy", copy, 2);
	assert_int_equal(ytree_parse(&x, yaml, strlen(yaml), "t", &d), 0);
	c->extra = xcalloc(1, sizeof(*c->extra));
	c->nextra = 1;
	c->extra[0].key = xstrdup("x-note");
	c->extra[0].val = x;
	diag_release(&d);
}

static void test_output__case_json_keeps_file_key_order(void **state)
{
	struct dcase c;
	struct sb out = SB_INIT;
	json_t *j = NULL;

	(void)state;
	build_case(&c);
	j = case_to_json(&c);
	json_dump_sb(&out, j, 1);
	assert_string_equal(out.buf,
		"{\"id\":\"2026-000123\",\"kind\":\"complaint\","
		"\"status\":\"closed\","
		"\"subject\":\"小区电梯长期故障无人维修\",\"channel\":\"phone\","
		"\"received_at\":\"2026-11-28T09:14:00+08:00\","
		"\"received_by\":\"zhang.wei\","
		"\"complainant\":{\"name\":\"李某\",\"phone\":\"13800000000\","
		"\"anonymous\":false,\"count\":3},"
		"\"respondent\":\"某某物业\",\"occurred_on\":\"2026-11-20\","
		"\"department\":\"property-office\","
		"\"co_departments\":[\"housing\"],\"assignee\":\"wang.fang\","
		"\"due\":{\"ack\":\"2026-11-30T23:59:59+08:00\","
		"\"resolve\":\"2026-12-18T23:59:59+08:00\"},"
		"\"related\":[\"2026-000099\"],"
		"\"attachments\":[{\"path\":"
		"\"attachments/2026-000123/photo-1.jpg\",\"sha256\":"
		"\"5f70bf18a086007016e948b04aed3b82"
		"103a36bea41755b6cddfaf10ace3c6ef\"}],"
		"\"closure\":{\"at\":\"2026-12-10T16:00:00+08:00\","
		"\"by\":\"wang.fang\",\"outcome\":\"resolved\","
		"\"notified\":{\"at\":\"2026-12-10T16:20:00+08:00\","
		"\"via\":\"phone\"},\"on_time\":true},"
		"\"events\":["
		"{\"at\":\"2026-11-28T09:14:00+08:00\",\"by\":\"zhang.wei\","
		"\"action\":\"file\"},"
		"{\"at\":\"2026-11-28T10:02:11+08:00\",\"by\":\"chen.jing\","
		"\"action\":\"triage\",\"decision\":\"accept\","
		"\"copy\":[\"a\",\"b\"]}],"
		"\"x-note\":{\"a\":\"1\",\"b\":[\"x\",\"y\"],"
		"\"c\":{\"d\":\"true\"}}}\n");
	json_decref(j);
	sb_release(&out);
	case_release(&c);
}

static void test_output__case_json_types_and_round_trip(void **state)
{
	struct dcase c;
	struct sb out = SB_INIT;
	json_error_t err;
	json_t *j = NULL, *back = NULL, *who, *cl;

	(void)state;
	build_case(&c);
	j = case_to_json(&c);
	who = json_object_get(j, "complainant");
	assert_true(json_is_false(json_object_get(who, "anonymous")));
	assert_true(json_is_integer(json_object_get(who, "count")));
	assert_int_equal(json_integer_value(json_object_get(who, "count")), 3);
	cl = json_object_get(j, "closure");
	assert_true(json_is_true(json_object_get(cl, "on_time")));
	assert_true(json_is_array(json_object_get(j, "events")));
	assert_null(json_object_get(j, "description"));

	json_dump_sb(&out, j, 0);
	assert_true(out.len > 0 && out.buf[out.len - 1] == '\n');
	assert_non_null(strstr(out.buf, "\n  \"kind\": \"complaint\",\n"));
	back = json_loads(out.buf, 0, &err);
	assert_non_null(back);
	assert_true(json_equal(j, back));
	json_decref(back);
	json_decref(j);
	sb_release(&out);
	case_release(&c);
}

static void test_output__case_json_omits_absent_fields(void **state)
{
	struct dcase c;
	struct sb out = SB_INIT;
	json_t *j = NULL;

	(void)state;
	case_init(&c);
	set_str(&c.id, "2026-000001");
	c.kind = KIND_REPORT;
	c.status = ST_RECEIVED;
	set_str(&c.subject, "bad\xff byte");
	c.who.anonymous = 1;
	c.who.count = 1;
	c.closure.present = 0;
	j = case_to_json(&c);
	json_dump_sb(&out, j, 1);
	assert_string_equal(out.buf,
		"{\"id\":\"2026-000001\",\"kind\":\"report\","
		"\"status\":\"received\",\"subject\":\"bad\\\\xff byte\","
		"\"complainant\":{\"anonymous\":true,\"count\":1}}\n");
	json_decref(j);
	sb_release(&out);
	case_release(&c);
}

static void test_output__json_dump_keeps_utf8(void **state)
{
	struct sb out = SB_INIT;
	json_t *j = json_object();

	(void)state;
	json_object_set_new(j, "主题", json_string("电梯"));
	json_object_set_new(j, "rate", json_real(0.1));
	json_dump_sb(&out, j, 0);
	assert_string_equal(out.buf,
		"{\n  \"主题\": \"电梯\",\n  \"rate\": 0.1\n}\n");
	json_decref(j);
	sb_release(&out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_output__escape_makes_controls_visible),
		cmocka_unit_test(test_output__display_width_counts_wide_as_two),
		cmocka_unit_test(test_output__display_width_follows_east_asian_width),
		cmocka_unit_test(test_output__display_width_is_u8_width_for_every_char),
		cmocka_unit_test(test_output__utf8_checks_refuse_what_is_not_utf8),
		cmocka_unit_test(test_output__table_aligns_cjk_columns),
		cmocka_unit_test(test_output__table_has_no_trailing_blanks),
		cmocka_unit_test(test_output__table_escapes_cells),
		cmocka_unit_test(test_output__table_in_parts_is_the_table_whole),
		cmocka_unit_test(test_output__cells_escape_as_out_escape),
		cmocka_unit_test(test_output__csv_quotes_and_ends_with_crlf),
		cmocka_unit_test(test_output__case_json_keeps_file_key_order),
		cmocka_unit_test(test_output__case_json_types_and_round_trip),
		cmocka_unit_test(test_output__case_json_omits_absent_fields),
		cmocka_unit_test(test_output__json_dump_keeps_utf8),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
