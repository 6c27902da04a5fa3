/*
 * test_codec.c - case files: the canonical corpus round-trips byte for
 * byte, every broken file of the corpus is refused at the right place,
 * several problems are reported at once, and case_check_config() names
 * what docket.yaml does not know.
 *
 * Run from the repository root (as `make check` does): the corpus is
 * read from tests/corpus/.
 */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "codec.h"
#include "config.h"
#include "ytree.h"

#define VALID_DIR "tests/corpus/valid"
#define INVALID_DIR "tests/corpus/invalid"
#define CASE_FILE "case.yaml"

/* The example of DESIGN section 3, verbatim, comments and all. */
static const char design_example[] =
	"id: 2026-000123\n"
	"kind: complaint            # complaint | report (举报: anonymous or no usable contact)\n"
	"status: assigned           # received | pending-info | accepted | assigned | on-hold | closed | rejected\n"
	"subject: 小区电梯长期故障无人维修\n"
	"channel: phone             # one of config channels\n"
	"received_at: 2026-11-28T09:14:00+08:00\n"
	"received_by: zhang.wei\n"
	"complainant:\n"
	"  name: 李某\n"
	"  phone: \"13800000000\"\n"
	"  anonymous: false\n"
	"  count: 1                 # >1: group complaint (集体投诉)\n"
	"respondent: 某某物业服务有限公司   # the party complained about\n"
	"location: 幸福小区3号楼\n"
	"occurred_on: 2026-11-20\n"
	"description: |\n"
	"  3号楼电梯自11月20日起停运，物业一直未安排维修。\n"
	"request: 尽快修复电梯并说明原因      # what the complainant asks for (诉求)\n"
	"category: property/elevator\n"
	"priority: normal           # config priorities, e.g. urgent | normal\n"
	"department: property-office\n"
	"assignee: wang.fang\n"
	"due:                       # computed deadlines (section 6)\n"
	"  ack: 2026-11-30T23:59:59+08:00\n"
	"  feedback: 2026-12-02T23:59:59+08:00\n"
	"  resolve: 2026-12-18T23:59:59+08:00\n"
	"related: [2026-000099]\n"
	"attachments:\n"
	"  - path: attachments/2026-000123/photo-1.jpg\n"
	"    sha256: 5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef\n"
	"closure:                   # present once closed or rejected\n"
	"  at: 2026-12-10T16:00:00+08:00\n"
	"  by: wang.fang\n"
	"  outcome: resolved        # resolved | mediated | mediation-failed | referred | unfounded | withdrawn | merged | rejected\n"
	"  summary: 物业已更换电梯控制板，12月9日恢复运行。\n"
	"  notified: {at: 2026-12-10T16:20:00+08:00, via: phone}\n"
	"  satisfaction: satisfied  # satisfied | fairly-satisfied | neutral | dissatisfied | unreachable\n"
	"  on_time: true\n"
	"events:                    # append-only journal; one entry per action\n"
	"  - {at: 2026-11-28T09:14:00+08:00, by: zhang.wei, action: file}\n"
	"  - {at: 2026-11-28T10:02:11+08:00, by: chen.jing, action: triage, decision: accept, category: property/elevator, priority: normal}\n"
	"  - {at: 2026-11-28T10:05:40+08:00, by: chen.jing, action: assign, to: wang.fang, department: property-office}\n";

static void dump(const struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		print_message("  %s\n", d->msg[i]);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml files of a corpus folder, as "DIR/NAME", sorted. */
static void corpus(struct strlist *out, const char *dir)
{
	struct dirent *de;
	DIR *dp = opendir(dir);
	struct sb path = SB_INIT;
	size_t len;

	if (!dp)
		fail_msg("cannot open %s: run the tests from the repository "
			"root", dir);
	while ((de = readdir(dp))) {
		len = strlen(de->d_name);
		if (len < 6 || strcmp(de->d_name + len - 5, ".yaml"))
			continue;
		sb_reset(&path);
		sb_addf(&path, "%s/%s", dir, de->d_name);
		strlist_push(out, path.buf);
	}
	closedir(dp);
	sb_release(&path);
	qsort(out->v, out->n, sizeof(*out->v), by_name);
}

static void slurp(struct sb *out, const char *path)
{
	struct diag d = DIAG_INIT;

	if (read_file(out, path, LIM_CASEFILE + 1, &d)) {
		dump(&d);
		fail_msg("cannot read %s", path);
	}
	diag_release(&d);
}

static void parse_ok(struct dcase *c, const char *buf, size_t len,
	const char *file)
{
	struct diag d = DIAG_INIT;
	int ret = case_parse(c, buf, len, file, &d);

	if (ret || d.n) {
		print_message("%s does not parse:\n", file);
		dump(&d);
	}
	assert_int_equal(ret, 0);
	assert_int_equal(d.n, 0);
	diag_release(&d);
}

/* Print the first line where two texts differ. */
static void show_difference(const char *file, const char *want,
	const char *got)
{
	int line = 1;
	const char *w = want, *g = got, *we, *ge;

	while (*w && *g && *w == *g) {
		if (*w == '\n')
			line++;
		w++;
		g++;
	}
	while (w > want && w[-1] != '\n') {
		w--;
		g--;
	}
	we = strchr(w, '\n');
	ge = strchr(g, '\n');
	print_message("%s:%d: file and emitted text differ\n  file:    %.*s\n"
		"  emitted: %.*s\n", file, line,
		(int)(we ? we - w : (long)strlen(w)), w,
		(int)(ge ? ge - g : (long)strlen(g)), g);
}

/*
 * The corpus.
 */

static void test_codec__valid_corpus_round_trips_byte_identical(void **state)
{
	struct strlist files = STRLIST_INIT;
	struct sb in = SB_INIT, out = SB_INIT;
	struct diag d = DIAG_INIT;
	struct dcase c;
	size_t i, bad = 0;

	(void)state;
	corpus(&files, VALID_DIR);
	assert_true(files.n >= 8);
	for (i = 0; i < files.n; i++) {
		sb_reset(&in);
		sb_reset(&out);
		diag_clear(&d);
		slurp(&in, files.v[i]);
		if (case_parse(&c, in.buf, in.len, files.v[i], &d)) {
			print_message("%s is refused:\n", files.v[i]);
			dump(&d);
			bad++;
			continue;
		}
		case_emit(&out, &c);
		case_release(&c);
		if (out.len != in.len || memcmp(out.buf, in.buf, in.len)) {
			show_difference(files.v[i], in.buf, out.buf);
			bad++;
		}
	}
	sb_release(&in);
	sb_release(&out);
	diag_release(&d);
	strlist_release(&files);
	assert_int_equal(bad, 0);
}

/* Whatever the emitter writes, it reads back and writes again unchanged. */
/*
 * A scan reads each file into one arena (case_parse_shared()); a command
 * that changes the case gets its own copy (case_parse()).  Both must be
 * the file's case, and the copy must take every change a command makes,
 * however many entries its lists already hold.
 */
static void test_codec__shared_parse_and_its_copy_are_the_file(void **state)
{
	struct strlist files = STRLIST_INIT;
	struct sb in = SB_INIT, shared = SB_INIT, copied = SB_INIT;
	struct diag d = DIAG_INIT;
	struct dcase s, c;
	struct event *e;
	size_t i;
	int k;

	(void)state;
	corpus(&files, VALID_DIR);
	for (i = 0; i < files.n; i++) {
		sb_reset(&in);
		sb_reset(&shared);
		sb_reset(&copied);
		slurp(&in, files.v[i]);
		assert_int_equal(case_parse_shared(&s, in.buf, in.len,
			files.v[i], &d), 0);
		assert_non_null(s.arena);
		case_emit(&shared, &s);
		assert_string_equal(shared.buf, in.buf);
		case_copy(&c, &s);
		case_release(&s);	/* the copy owns all it points to */
		assert_null(c.arena);
		case_emit(&copied, &c);
		assert_string_equal(copied.buf, in.buf);
		/* lists grown one past every size a file gives them */
		for (k = 0; k < 9; k++) {
			e = case_add_event(&c, c.received_at, "chen.jing",
				"note");
			event_set(e, "text", "再次来电催办");
			event_set(e, "text", "已电话回复");
			strv_add_unique(&c.co_departments, &c.nco,
				k % 2 ? "market-office" : "finance-office");
			strv_add_unique(&c.related, &c.nrelated,
				"2026-000001");
		}
		set_str(&c.department, "property-office");
		set_str(&c.closure.summary, NULL);
		assert_string_equal(event_get(&c.events[c.nevents - 1],
			"text"), "已电话回复");
		case_release(&c);
	}
	sb_release(&in);
	sb_release(&shared);
	sb_release(&copied);
	diag_release(&d);
	strlist_release(&files);
}

static void test_codec__emitted_text_is_stable(void **state)
{
	struct strlist files = STRLIST_INIT;
	struct sb in = SB_INIT, once = SB_INIT, twice = SB_INIT;
	struct dcase c, again;
	size_t i;

	(void)state;
	corpus(&files, VALID_DIR);
	for (i = 0; i < files.n; i++) {
		sb_reset(&in);
		sb_reset(&once);
		sb_reset(&twice);
		slurp(&in, files.v[i]);
		parse_ok(&c, in.buf, in.len, files.v[i]);
		case_emit(&once, &c);
		parse_ok(&again, once.buf, once.len, "emitted");
		case_emit(&twice, &again);
		assert_string_equal(once.buf, twice.buf);
		case_release(&c);
		case_release(&again);
	}
	sb_release(&in);
	sb_release(&once);
	sb_release(&twice);
	strlist_release(&files);
}

/*
 * An invalid corpus file starts with "# expect: LINE:COL text": the first
 * message must be "FILE:LINE:COL: ..." and contain the text.
 */
static int check_invalid(const char *file, const struct sb *in)
{
	struct diag d = DIAG_INIT;
	struct dcase c;
	char *expect = NULL, *text, *prefix = NULL;
	const char *nl = strchr(in->buf, '\n');
	int ret, ok = 0;

	if (strncmp(in->buf, "# expect: ", 10) || !nl) {
		print_message("%s: no '# expect: LINE:COL text' first line\n",
			file);
		return 0;
	}
	expect = xstrndup(in->buf + 10, (size_t)(nl - in->buf - 10));
	text = strchr(expect, ' ');
	if (!text) {
		print_message("%s: '# expect:' needs LINE:COL and a text\n",
			file);
		goto out;
	}
	*text++ = '\0';
	prefix = xmalloc(strlen(file) + strlen(expect) + 4);
	sprintf(prefix, "%s:%s: ", file, expect);
	ret = case_parse(&c, in->buf, in->len, file, &d);
	if (!ret) {
		case_release(&c);
		print_message("%s is accepted; want %s%s\n", file, prefix,
			text);
		goto out;
	}
	ok = ret == ERR_INVALID && d.n >= 1 &&
		!strncmp(d.msg[0], prefix, strlen(prefix)) &&
		strstr(d.msg[0], text);
	if (!ok) {
		print_message("%s: want %s...%s..., got:\n", file, prefix,
			text);
		dump(&d);
	}
	/* a failed parse leaves nothing to free */
	assert_null(c.id);
	assert_null(c.events);
out:
	free(prefix);
	free(expect);
	diag_release(&d);
	return ok;
}

static void test_codec__invalid_corpus_fails_at_the_expected_place(
	void **state)
{
	struct strlist files = STRLIST_INIT;
	struct sb in = SB_INIT;
	size_t i, bad = 0;

	(void)state;
	corpus(&files, INVALID_DIR);
	assert_true(files.n >= 20);
	for (i = 0; i < files.n; i++) {
		sb_reset(&in);
		slurp(&in, files.v[i]);
		bad += !check_invalid(files.v[i], &in);
	}
	sb_release(&in);
	strlist_release(&files);
	assert_int_equal(bad, 0);
}

/*
 * Reading into the model.
 */

static void test_codec__design_example_reads_into_the_model(void **state)
{
	struct sb in = SB_INIT;
	struct dcase c;
	char buf[TS_BUFSZ];
	const struct event *e;

	(void)state;
	slurp(&in, VALID_DIR "/design-example.yaml");
	parse_ok(&c, in.buf, in.len, "design-example.yaml");
	assert_string_equal(c.id, "2026-000123");
	assert_int_equal(c.kind, KIND_COMPLAINT);
	assert_int_equal(c.status, ST_ASSIGNED);
	assert_string_equal(c.subject, "小区电梯长期故障无人维修");
	assert_string_equal(c.channel, "phone");
	ts_format(buf, c.received_at);
	assert_string_equal(buf, "2026-11-28T09:14:00+08:00");
	assert_string_equal(c.received_by, "zhang.wei");
	assert_string_equal(c.who.name, "李某");
	assert_string_equal(c.who.phone, "13800000000");
	assert_null(c.who.email);
	assert_int_equal(c.who.anonymous, 0);
	assert_int_equal(c.who.count, 1);
	assert_string_equal(c.respondent, "某某物业服务有限公司");
	assert_true(c.has_occurred);
	assert_int_equal(c.occurred_on.y, 2026);
	assert_int_equal(c.occurred_on.m, 11);
	assert_int_equal(c.occurred_on.d, 20);
	assert_string_equal(c.description,
		"3号楼电梯自11月20日起停运，物业一直未安排维修。\n");
	assert_string_equal(c.category, "property/elevator");
	assert_string_equal(c.department, "property-office");
	assert_int_equal(c.nco, 0);
	assert_string_equal(c.assignee, "wang.fang");
	assert_int_equal(c.due.has, 7);
	ts_format(buf, c.due.at[DUE_FEEDBACK]);
	assert_string_equal(buf, "2026-12-02T23:59:59+08:00");
	assert_int_equal(c.nrelated, 1);
	assert_string_equal(c.related[0], "2026-000099");
	assert_int_equal(c.natt, 1);
	assert_string_equal(c.att[0].path,
		"attachments/2026-000123/photo-1.jpg");
	assert_true(c.closure.present);
	assert_string_equal(c.closure.outcome, "resolved");
	assert_true(c.closure.notified);
	assert_string_equal(c.closure.notified_via, "phone");
	assert_string_equal(c.closure.satisfaction, "satisfied");
	assert_int_equal(c.closure.on_time, 1);
	assert_int_equal(c.nevents, 3);
	e = &c.events[1];
	assert_string_equal(e->by, "chen.jing");
	assert_string_equal(e->action, "triage");
	assert_int_equal(e->nf, 3);
	assert_string_equal(event_get(e, "decision"), "accept");
	assert_string_equal(e->f[2].key, "priority");
	assert_string_equal(event_get(&c.events[2], "to"), "wang.fang");
	assert_int_equal(c.nextra, 0);
	/* where each key was found, for messages from `check` */
	assert_int_equal(c.mark[F_ID].line, 1);
	assert_int_equal(c.mark[F_STATUS].line, 3);
	assert_int_equal(c.mark[F_STATUS].col, 1);
	assert_int_equal(c.mark[F_EVENTS].line, 39);
	assert_int_equal(c.mark[F_RESPONDENT].line, 13);
	assert_int_equal(c.mark[F_CO_DEPARTMENTS].line, 0);
	case_release(&c);
	sb_release(&in);
}

/* Comments and alignment go; what is left is the corpus file. */
static void test_codec__design_example_emits_in_canonical_form(void **state)
{
	struct sb want = SB_INIT, out = SB_INIT;
	struct dcase c;

	(void)state;
	slurp(&want, VALID_DIR "/design-example.yaml");
	parse_ok(&c, design_example, strlen(design_example), "DESIGN.md");
	case_emit(&out, &c);
	if (strcmp(out.buf, want.buf))
		show_difference("design-example.yaml", want.buf, out.buf);
	assert_string_equal(out.buf, want.buf);
	case_release(&c);
	sb_release(&want);
	sb_release(&out);
}

static void test_codec__unknown_keys_are_kept_everywhere(void **state)
{
	struct sb in = SB_INIT;
	struct dcase c;

	(void)state;
	slurp(&in, VALID_DIR "/unknown-keys.yaml");
	parse_ok(&c, in.buf, in.len, "unknown-keys.yaml");
	assert_int_equal(c.nextra, 6);
	assert_string_equal(c.extra[0].key, "legacy_ref");
	assert_string_equal(c.extra[0].val->str, "OA-2019-0042");
	assert_string_equal(c.extra[5].key, "migration");
	assert_int_equal(c.extra[5].val->type, YT_MAP);
	assert_int_equal(c.who.nextra, 3);
	assert_string_equal(c.who.extra[0].key, "wechat_id");
	assert_string_equal(c.who.extra[2].key, "languages");
	assert_int_equal(c.closure.nextra, 2);
	assert_string_equal(c.closure.extra[1].key, "review");
	case_release(&c);
	sb_release(&in);
}

static void test_codec__reports_several_problems_in_one_go(void **state)
{
	static const char yaml[] =
		"id: 2026-000123\n"
		"kind: complaint\n"
		"status: open\n"				/* 1 */
		"subject: [not, text]\n"			/* 2 */
		"channel: phone\n"
		"received_at: 2026-11-28 09:14\n"		/* 3 */
		"received_by: zhang.wei\n"
		"complainant:\n"
		"  anonymous: maybe\n"				/* 4 */
		"  count: 0\n"					/* 5 */
		"occurred_on: 2026-02-30\n"			/* 6 */
		"events:\n"
		"  - {at: 2026-11-28T09:14:00+08:00, by: zhang.wei, action: file}\n"
		"  - {at: 2026-11-28T09:15:00+08:00, by: zhang.wei}\n";	/* 7 */
	static const char *const want[] = {
		CASE_FILE ":3:9: ", CASE_FILE ":4:10: ", CASE_FILE ":6:14: ",
		CASE_FILE ":9:14: ", CASE_FILE ":10:10: ",
		CASE_FILE ":11:14: ", CASE_FILE ":14:5: ",
	};
	struct diag d = DIAG_INIT;
	struct dcase c;
	size_t i, j, found;

	(void)state;
	assert_int_equal(case_parse(&c, yaml, strlen(yaml), CASE_FILE, &d),
		ERR_INVALID);
	assert_true(d.n >= 3);
	for (i = 0; i < ARRAY_SIZE(want); i++) {
		found = 0;
		for (j = 0; j < d.n; j++)
			found += !strncmp(d.msg[j], want[i], strlen(want[i]));
		if (found != 1) {
			print_message("want one message at %s, got:\n", want[i]);
			dump(&d);
		}
		assert_int_equal(found, 1);
	}
	assert_int_equal(d.code, ERR_INVALID);
	diag_release(&d);
}

/* A hand-written file comes out in the canonical form. */
static void test_codec__writes_hand_edited_files_in_canonical_form(
	void **state)
{
	static const char hand[] =
		"# typed by hand, keys out of order\n"
		"events:\n"
		"  - at: 2026-11-02T00:30:00Z\n"
		"    by: zhang.wei\n"
		"    action: file\n"
		"  - {at: '2026-11-02T09:00:00+08:00', by: chen.jing, "
		"action: note, n: 2, ok: true, list: [1, b]}\n"
		"status: received   # a comment\n"
		"legacy: {a: 1}\n"
		"kind: report\n"
		"id: '2026-000123'\n"
		"complainant: {count: 05, anonymous: true, name: \"匿名\"}\n"
		"subject: 'It''s broken'\n"
		"channel: phone\n"
		"related:\n"
		"  - 2026-000001\n"
		"  - 2026-000001\n"
		"  - HZ-2026-000002\n"
		"received_at: 2026-11-02T00:30:00Z\n"
		"received_by: zhang.wei\n"
		"description: >\n"
		"  folded\n"
		"  text\n";
	static const char canonical[] =
		"id: 2026-000123\n"
		"kind: report\n"
		"status: received\n"
		"subject: It's broken\n"
		"channel: phone\n"
		"received_at: 2026-11-02T00:30:00+00:00\n"
		"received_by: zhang.wei\n"
		"complainant:\n"
		"  name: 匿名\n"
		"  anonymous: true\n"
		"  count: 5\n"
		"description: |\n"
		"  folded text\n"
		"related: [2026-000001, HZ-2026-000002]\n"
		"events:\n"
		"  - {at: 2026-11-02T00:30:00+00:00, by: zhang.wei, action: file}\n"
		"  - {at: 2026-11-02T09:00:00+08:00, by: chen.jing, "
		"action: note, \"n\": \"2\", ok: \"true\", list: [\"1\", b]}\n"
		"legacy: {a: 1}\n";
	struct sb out = SB_INIT;
	struct dcase c;

	(void)state;
	parse_ok(&c, hand, strlen(hand), CASE_FILE);
	case_emit(&out, &c);
	assert_string_equal(out.buf, canonical);
	case_release(&c);
	sb_release(&out);
}

/* What commands build in memory is written so that it reads back. */
static void test_codec__case_built_in_memory_reads_back(void **state)
{
	char *const names[] = { "李某", "a, b", "x: y", "2" };
	struct dcase c, back;
	struct sb out = SB_INIT, again = SB_INIT;
	struct event *e;
	struct ts ts;

	(void)state;
	case_init(&c);
	set_str(&c.id, "HZ-2026-000007");
	c.kind = KIND_COMPLAINT;
	c.status = ST_CLOSED;
	set_str(&c.subject, "yes");
	set_str(&c.channel, "phone");
	assert_int_equal(ts_parse(&c.received_at,
		"2026-11-28T09:14:00+08:00"), 0);
	set_str(&c.received_by, "zhang.wei");
	c.who.count = 3;
	set_str(&c.who.phone, "010-12345678");
	set_str(&c.description, "第一行\n\n第三行，末尾两个换行\n\n");
	set_str(&c.request, "  leading blanks\nsecond line");
	strv_add_unique(&c.co_departments, &c.nco, "police");
	c.closure.present = 1;
	assert_int_equal(ts_parse(&c.closure.at, "2026-12-01T10:00:00+08:00"),
		0);
	set_str(&c.closure.by, "wang.fang");
	set_str(&c.closure.outcome, "referred");
	set_str(&c.closure.summary, "转交派出所。\n");
	c.closure.on_time = 0;
	assert_int_equal(ts_parse(&ts, "2026-11-28T09:14:00+08:00"), 0);
	case_add_event(&c, ts, "zhang.wei", "file");
	ts.t += 60;
	e = case_add_event(&c, ts, "wang.fang", "note");
	event_set(e, "text", "visited: twice, no answer #2");
	event_set(e, "count", "2");
	event_set(e, "empty", "");
	event_set_list(e, "names", names, ARRAY_SIZE(names));
	event_set_list(e, "none", NULL, 0);
	case_emit(&out, &c);

	parse_ok(&back, out.buf, out.len, "emitted");
	assert_string_equal(back.id, "HZ-2026-000007");
	assert_string_equal(back.subject, "yes");
	assert_string_equal(back.who.phone, "010-12345678");
	assert_int_equal(back.who.count, 3);
	assert_string_equal(back.description, c.description);
	assert_string_equal(back.request, c.request);
	assert_string_equal(back.closure.summary, "转交派出所。\n");
	assert_int_equal(back.closure.on_time, 0);
	assert_int_equal(back.nevents, 2);
	e = &back.events[1];
	assert_string_equal(event_get(e, "text"), "visited: twice, no answer #2");
	assert_string_equal(event_get(e, "count"), "2");
	assert_string_equal(event_get(e, "empty"), "");
	assert_int_equal(event_field(e, "names")->nlist, 4);
	assert_string_equal(event_field(e, "names")->list[1], "a, b");
	assert_string_equal(event_field(e, "names")->list[2], "x: y");
	assert_string_equal(event_field(e, "names")->list[3], "2");
	assert_true(event_field(e, "none")->is_list);
	assert_int_equal(event_field(e, "none")->nlist, 0);
	case_emit(&again, &back);
	assert_string_equal(out.buf, again.buf);
	case_release(&c);
	case_release(&back);
	sb_release(&out);
	sb_release(&again);
}

/*
 * A key that is present but empty must not pass for a value: the
 * emitter leaves the key out and the file it writes no longer reads.
 */
static void test_codec__required_keys_refuse_empty_values(void **state)
{
	static const char *const keys[] = {
		"subject", "channel", "received_by",
	};
	struct sb yaml = SB_INIT, out = SB_INIT;
	struct diag d = DIAG_INIT;
	struct dcase c;
	size_t i, bad = 0;
	int ret;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		sb_reset(&yaml);
		sb_adds(&yaml, "id: 2026-000123\nkind: complaint\n"
			"status: received\n");
		sb_addf(&yaml, "subject: %s\n", i == 0 ? "" : "x");
		sb_addf(&yaml, "channel: %s\n", i == 1 ? "~" : "phone");
		sb_adds(&yaml, "received_at: 2026-11-28T09:14:00+08:00\n");
		sb_addf(&yaml, "received_by: %s\n", i == 2 ? "null" :
			"zhang.wei");
		sb_adds(&yaml, "events:\n  - {at: 2026-11-28T09:14:00+08:00, "
			"by: zhang.wei, action: file}\n");
		diag_clear(&d);
		ret = case_parse(&c, yaml.buf, yaml.len, CASE_FILE, &d);
		if (!ret) {
			sb_reset(&out);
			case_emit(&out, &c);
			case_release(&c);
			print_message("empty '%s' accepted; emitted:\n%s",
				keys[i], out.buf);
			bad++;
		} else if (!d.n || !strstr(d.msg[0], keys[i])) {
			print_message("empty '%s' refused, but:\n", keys[i]);
			dump(&d);
			bad++;
		}
	}
	sb_release(&yaml);
	sb_release(&out);
	diag_release(&d);
	assert_int_equal(bad, 0);
}

static void test_codec__refuses_oversized_files_before_reading(void **state)
{
	struct diag d = DIAG_INIT;
	struct dcase c;
	char *big = xmalloc(LIM_CASEFILE + 2);

	(void)state;
	memset(big, '#', LIM_CASEFILE + 1);
	big[LIM_CASEFILE + 1] = '\0';
	assert_int_equal(case_parse(&c, big, LIM_CASEFILE + 1, CASE_FILE, &d),
		ERR_INVALID);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.msg[0], "the limit is"));
	assert_non_null(strstr(d.msg[0], CASE_FILE));
	free(big);
	diag_release(&d);
}

/*
 * Checks against docket.yaml.
 */

static const char config_yaml[] =
	"docket: 1\n"
	"channels:\n"
	"  - {id: phone, label: 来电}\n"
	"  - {id: visit, label: 来访}\n"
	"priorities:\n"
	"  - {id: normal, label: 一般}\n"
	"default_priority: normal\n"
	"departments:\n"
	"  - {id: property-office, label: 物业科, members: [wang.fang]}\n"
	"  - {id: police, label: 派出所}\n"
	"categories:\n"
	"  - id: property\n"
	"    label: 物业\n"
	"    children:\n"
	"      - {id: elevator, label: 电梯}\n"
	"staff:\n"
	"  - {id: zhang.wei, name: 张伟, roles: [intake]}\n"
	"  - {id: wang.fang, name: 王芳, roles: [handler]}\n"
	"  - {id: chen.jing, name: 陈静, roles: [triage]}\n";

static void load_config(struct config *cfg, const char *yaml)
{
	struct diag d = DIAG_INIT;
	int ret = config_parse(cfg, yaml, strlen(yaml), "docket.yaml", &d);

	if (ret)
		dump(&d);
	assert_int_equal(ret, 0);
	diag_release(&d);
}

/* n messages, each starting with one of want[] in that order. */
static void assert_messages(const struct diag *d, const char *const *want,
	size_t n)
{
	size_t i;
	int ok = d->n == n;

	for (i = 0; ok && i < n; i++)
		ok = strstr(d->msg[i], want[i]) == d->msg[i];
	if (!ok) {
		print_message("got:\n");
		dump(d);
		print_message("want:\n");
		for (i = 0; i < n; i++)
			print_message("  %s...\n", want[i]);
	}
	assert_true(ok);
}

static void test_codec__check_config_accepts_what_it_knows(void **state)
{
	static const char yaml[] =
		"id: 2026-000123\n"
		"kind: complaint\n"
		"status: assigned\n"
		"subject: 电梯故障\n"
		"channel: phone\n"
		"received_at: 2026-11-28T09:14:00+08:00\n"
		"received_by: zhang.wei\n"
		"complainant:\n"
		"  anonymous: false\n"
		"  count: 1\n"
		"category: property/elevator\n"
		"priority: normal\n"
		"department: property-office\n"
		"co_departments: [police]\n"
		"assignee: wang.fang\n"
		"events:\n"
		"  - {at: 2026-11-28T09:14:00+08:00, by: zhang.wei, action: file}\n";
	struct config cfg;
	struct diag d = DIAG_INIT;
	struct dcase c;

	(void)state;
	load_config(&cfg, config_yaml);
	parse_ok(&c, yaml, strlen(yaml), CASE_FILE);
	assert_int_equal(case_check_config(&c, &cfg, CASE_FILE, &d), 0);
	assert_int_equal(d.n, 0);
	case_release(&c);
	config_release(&cfg);
	diag_release(&d);
}

static void test_codec__check_config_names_unknown_values_by_line(
	void **state)
{
	static const char yaml[] =
		"id: 2026-000123\n"
		"kind: complaint\n"
		"status: assigned\n"
		"subject: 电梯故障\n"
		"channel: fax\n"
		"received_at: 2026-11-28T09:14:00+08:00\n"
		"received_by: zhang.wei\n"
		"complainant:\n"
		"  anonymous: false\n"
		"  count: 1\n"
		"  wechat: abc\n"
		"category: property/lift\n"
		"priority: high\n"
		"department: housing\n"
		"co_departments: [police, roads]\n"
		"assignee: nobody\n"
		"events:\n"
		"  - {at: 2026-11-28T09:14:00+08:00, by: zhang.wei, action: file}\n"
		"legacy_ref: OA-1\n";
	static const char *const want[] = {
		CASE_FILE ":5:1: channel 'fax' is not configured in docket.yaml",
		CASE_FILE ":12:1: category 'property/lift' is not configured",
		CASE_FILE ":13:1: priority 'high' is not configured",
		CASE_FILE ":14:1: department 'housing' is not configured",
		CASE_FILE ":15:1: department 'roads' is not configured",
		CASE_FILE ":16:1: assignee 'nobody' is not in the staff list",
		CASE_FILE ":19:1: unknown key 'legacy_ref'",
		CASE_FILE ":11:3: unknown key 'complainant.wechat'",
	};
	struct config cfg;
	struct diag d = DIAG_INIT;
	struct dcase c;

	(void)state;
	load_config(&cfg, config_yaml);
	parse_ok(&c, yaml, strlen(yaml), CASE_FILE);
	assert_int_equal(case_check_config(&c, &cfg, CASE_FILE, &d),
		ERR_INVALID);
	assert_messages(&d, want, ARRAY_SIZE(want));
	case_release(&c);
	config_release(&cfg);
	diag_release(&d);
}

static void test_codec__check_config_skips_staff_without_a_staff_list(
	void **state)
{
	static const char yaml[] =
		"id: 2026-000123\n"
		"kind: complaint\n"
		"status: assigned\n"
		"subject: 电梯故障\n"
		"channel: phone\n"
		"received_at: 2026-11-28T09:14:00+08:00\n"
		"received_by: anyone\n"
		"complainant:\n"
		"  anonymous: false\n"
		"  count: 1\n"
		"assignee: somebody\n"
		"events:\n"
		"  - {at: 2026-11-28T09:14:00+08:00, by: anyone, action: file}\n";
	struct config cfg;
	struct diag d = DIAG_INIT;
	struct dcase c;

	(void)state;
	load_config(&cfg, "docket: 1\n");
	parse_ok(&c, yaml, strlen(yaml), CASE_FILE);
	assert_int_equal(case_check_config(&c, &cfg, CASE_FILE, &d), 0);
	assert_int_equal(d.n, 0);
	case_release(&c);
	config_release(&cfg);
	diag_release(&d);
}

/* codec.h: "staff ids (when the config has staff)" - not only assignee. */
static void test_codec__check_config_checks_assignee_not_history(void **state)
{
	static const char yaml[] =
		"id: 2026-000123\n"
		"kind: complaint\n"
		"status: closed\n"
		"subject: 电梯故障\n"
		"channel: phone\n"
		"received_at: 2026-11-28T09:14:00+08:00\n"
		"received_by: ghost\n"
		"complainant:\n"
		"  anonymous: false\n"
		"  count: 1\n"
		"assignee: nobody\n"
		"closure:\n"
		"  at: 2026-11-29T09:14:00+08:00\n"
		"  by: phantom\n"
		"  outcome: resolved\n"
		"events:\n"
		"  - {at: 2026-11-28T09:14:00+08:00, by: zhang.wei, action: file}\n";
	struct config cfg;
	struct diag d = DIAG_INIT;
	struct dcase c;
	size_t i, ghost = 0, phantom = 0, nobody = 0;

	/* Ids in the journal are history: a person who has left the staff
	 * list still filed and closed cases.  The assignee is current. */
	(void)state;
	load_config(&cfg, config_yaml);
	parse_ok(&c, yaml, strlen(yaml), CASE_FILE);
	case_check_config(&c, &cfg, CASE_FILE, &d);
	for (i = 0; i < d.n; i++) {
		ghost += !!strstr(d.msg[i], "'ghost'");
		phantom += !!strstr(d.msg[i], "'phantom'");
		nobody += !!strstr(d.msg[i], "'nobody'");
	}
	if (ghost || phantom || nobody != 1)
		dump(&d);
	case_release(&c);
	config_release(&cfg);
	diag_release(&d);
	assert_int_equal(ghost, 0);
	assert_int_equal(phantom, 0);
	assert_int_equal(nobody, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_codec__valid_corpus_round_trips_byte_identical),
		cmocka_unit_test(test_codec__shared_parse_and_its_copy_are_the_file),
		cmocka_unit_test(test_codec__emitted_text_is_stable),
		cmocka_unit_test(test_codec__invalid_corpus_fails_at_the_expected_place),
		cmocka_unit_test(test_codec__design_example_reads_into_the_model),
		cmocka_unit_test(test_codec__design_example_emits_in_canonical_form),
		cmocka_unit_test(test_codec__unknown_keys_are_kept_everywhere),
		cmocka_unit_test(test_codec__reports_several_problems_in_one_go),
		cmocka_unit_test(test_codec__writes_hand_edited_files_in_canonical_form),
		cmocka_unit_test(test_codec__case_built_in_memory_reads_back),
		cmocka_unit_test(test_codec__required_keys_refuse_empty_values),
		cmocka_unit_test(test_codec__refuses_oversized_files_before_reading),
		cmocka_unit_test(test_codec__check_config_accepts_what_it_knows),
		cmocka_unit_test(test_codec__check_config_names_unknown_values_by_line),
		cmocka_unit_test(test_codec__check_config_skips_staff_without_a_staff_list),
		cmocka_unit_test(test_codec__check_config_checks_assignee_not_history),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
