/*
 * test_config.c - docket.yaml: defaults, the DESIGN example, every kind of
 * mistake with its position, look-ups.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "config.h"

/* The example of DESIGN section 5, verbatim. */
static const char design_example[] =
	"docket: 1                          # format version\n"
	"organization: 某县农业局\n"
	"timezone: Asia/Shanghai            # IANA name; all times shown in it\n"
	"id:\n"
	"  prefix: \"\"                       # e.g. \"HZ\" → HZ-2026-000123\n"
	"channels:                          # how a complaint arrived\n"
	"  - {id: visit, label: 来访}\n"
	"  - {id: phone, label: 来电}\n"
	"  - {id: letter, label: 来信}\n"
	"  - {id: email, label: 电子邮件}\n"
	"  - {id: web, label: 网站}\n"
	"  - {id: wechat, label: 微信}\n"
	"  - {id: referral, label: 上级转办}\n"
	"priorities:\n"
	"  - {id: urgent, label: 紧急}\n"
	"  - {id: normal, label: 一般}\n"
	"default_priority: normal\n"
	"departments:\n"
	"  - {id: soil-station, label: 土肥站, head: zhao.lei, members: [zhao.lei, sun.li]}\n"
	"  - {id: enforcement, label: 执法大队, head: qian.hao, members: [qian.hao]}\n"
	"categories:                        # a tree; ids joined with \"/\" (fertilizer/fake)\n"
	"  - id: fertilizer\n"
	"    label: 肥料\n"
	"    department: soil-station\n"
	"    keywords: [化肥, 肥料, 复合肥]\n"
	"    children:\n"
	"      - {id: fake, label: 假冒伪劣, department: enforcement, keywords: [假冒, 伪劣]}\n"
	"staff:\n"
	"  - {id: zhang.wei, name: 张伟, email: zhang.wei@example.org, roles: [intake]}\n"
	"  - {id: chen.jing, name: 陈静, email: chen.jing@example.org, roles: [triage, supervisor]}\n"
	"  - {id: zhao.lei, name: 赵磊, email: zhao.lei@example.org, roles: [handler]}\n"
	"  - {id: sun.li, name: 孙丽, email: sun.li@example.org, roles: [handler]}\n"
	"  - {id: qian.hao, name: 钱浩, email: qian.hao@example.org, roles: [handler]}\n"
	"reject_reasons:                    # 不予受理 reasons\n"
	"  - {id: out-of-scope, label: 不属于本机关职权范围}\n"
	"  - {id: time-barred, label: 超过时效}\n"
	"  - {id: no-contact, label: 匿名且无法联系}\n"
	"  - {id: duplicate, label: 重复投诉}\n"
	"limits:\n"
	"  look_back: 2y                    # older events are time-barred (triage warns)\n"
	"deadlines:                         # section 6\n"
	"  ack: 1wd\n"
	"  feedback: 3wd\n"
	"  resolve: 15wd\n"
	"  rules:\n"
	"    - when: {priority: urgent}\n"
	"      resolve: 3wd\n"
	"calendar:                          # China's 2026 public holidays and make-up days (调休)\n"
	"  workdays: [mon, tue, wed, thu, fri]\n"
	"  holidays: [2026-01-01..2026-01-03, 2026-02-15..2026-02-23, 2026-04-04..2026-04-06,\n"
	"             2026-05-01..2026-05-05, 2026-06-19..2026-06-21, 2026-09-25..2026-09-27,\n"
	"             2026-10-01..2026-10-07]\n"
	"  extra_workdays: [2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10]\n"
	"remind:\n"
	"  within: 1wd                      # \"due soon\" window\n"
	"  repeat: 1wd                      # do not repeat the same reminder sooner\n"
	"  escalate_after: 2wd              # overdue this long → department head + supervisors\n"
	"mail:\n"
	"  from: docket@example.org\n"
	"  sendmail: /usr/sbin/sendmail -t -oi\n";

static int parse(struct config *cfg, const char *yaml, struct diag *d)
{
	return config_parse(cfg, yaml, strlen(yaml), CONFIG_FILE, d);
}

static void dump(const struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		print_message("  %s\n", d->msg[i]);
}

static int dur_is(struct duration d, int n, enum dur_unit unit)
{
	return d.n == n && d.unit == unit;
}

static struct date day(int y, int m, int d)
{
	struct date r = { y, m, d };

	return r;
}

static void assert_parses(struct config *cfg, const char *yaml)
{
	struct diag d = DIAG_INIT;
	int ret = parse(cfg, yaml, &d);

	if (ret || d.n)
		dump(&d);
	assert_int_equal(ret, 0);
	assert_int_equal(d.n, 0);
	diag_release(&d);
}

/* Values every config without the key in question must have. */
static void assert_defaults(const struct config *cfg)
{
	assert_int_equal(cfg->version, 1);
	assert_string_equal(cfg->id_prefix, "");
	assert_int_equal(cfg->nchannels, 7);
	assert_string_equal(cfg->channels[0].id, "visit");
	assert_string_equal(cfg->channels[6].id, "referral");
	assert_string_equal(cfg->channels[6].label, "上级转办");
	assert_int_equal(cfg->npriorities, 2);
	assert_string_equal(cfg->priorities[0].id, "urgent");
	assert_string_equal(cfg->default_priority, "normal");
	assert_int_equal(cfg->nstaff, 0);
	assert_true(dur_is(cfg->ack, 1, DUR_WORKDAYS));
	assert_true(dur_is(cfg->feedback, 3, DUR_WORKDAYS));
	assert_true(dur_is(cfg->resolve, 15, DUR_WORKDAYS));
	assert_true(dur_is(cfg->look_back, 2, DUR_YEARS));
	assert_true(dur_is(cfg->remind_within, 1, DUR_WORKDAYS));
	assert_true(dur_is(cfg->remind_repeat, 1, DUR_WORKDAYS));
	assert_true(dur_is(cfg->escalate_after, 2, DUR_WORKDAYS));
	assert_string_equal(cfg->mail_from, "docket@localhost");
	assert_string_equal(cfg->sendmail, "/usr/sbin/sendmail -t -oi");
	assert_string_equal(cfg->cal.tz, "Asia/Shanghai");
}

static void test_config__init_gives_the_documented_defaults(void **state)
{
	struct config cfg;

	(void)state;
	config_init(&cfg);
	assert_defaults(&cfg);
	assert_int_equal(cfg.ncategories, 0);
	assert_int_equal(cfg.nrules, 0);
	assert_non_null(config_reject_reason(&cfg, "out-of-scope"));
	assert_true(cal_is_workday(&cfg.cal, day(2026, 11, 30)));
	assert_false(cal_is_workday(&cfg.cal, day(2026, 11, 29)));
	config_release(&cfg);
	config_release(&cfg);	/* twice is harmless */
}

static void test_config__minimal_file_keeps_every_default(void **state)
{
	struct config cfg;

	(void)state;
	assert_parses(&cfg, "docket: 1\n");
	assert_defaults(&cfg);
	config_release(&cfg);
}

static void test_config__absent_keys_of_a_section_keep_defaults(void **state)
{
	struct config cfg;

	(void)state;
	assert_parses(&cfg, "docket: 1\ndeadlines:\n  resolve: 10wd\n"
		"remind:\n  within: 8h\n");
	assert_true(dur_is(cfg.resolve, 10, DUR_WORKDAYS));
	assert_true(dur_is(cfg.ack, 1, DUR_WORKDAYS));
	assert_true(dur_is(cfg.remind_within, 8, DUR_HOURS));
	assert_true(dur_is(cfg.remind_repeat, 1, DUR_WORKDAYS));
	config_release(&cfg);
}

static void test_config__views_and_digest_over(void **state)
{
	struct config cfg;
	const struct view *v;
	struct diag d = DIAG_INIT;

	(void)state;
	assert_parses(&cfg, "docket: 1\nremind:\n  digest_over: 12\n"
		"views:\n  逾期: --overdue --sort due\n"
		"  q: --text \"a b\"  --format ids\n"
		"  l: [--status, open]\n");
	assert_int_equal(cfg.digest_over, 12);
	assert_int_equal(cfg.nviews, 3);
	v = config_view(&cfg, "逾期");
	assert_non_null(v);
	assert_int_equal(v->nargs, 3);
	assert_string_equal(v->args[0], "--overdue");
	assert_string_equal(v->args[2], "due");
	v = config_view(&cfg, "q");
	assert_int_equal(v->nargs, 4);
	assert_string_equal(v->args[1], "a b");
	v = config_view(&cfg, "l");
	assert_int_equal(v->nargs, 2);
	assert_string_equal(v->args[1], "open");
	assert_null(config_view(&cfg, "none"));
	config_release(&cfg);
	config_release(&cfg);
	config_init(&cfg);
	assert_int_equal(cfg.digest_over, 30);
	config_release(&cfg);
	assert_int_not_equal(parse(&cfg, "docket: 1\nviews:\n  '@x': --a\n"
		"  y: --text \"open\n  z: {a: b}\nremind:\n  digest_over: 0\n",
		&d), 0);
	assert_int_equal(d.n, 4);
	config_release(&cfg);
	diag_release(&d);
}

static void test_config__default_yaml_parses_cleanly(void **state)
{
	struct config cfg;
	const struct category *c;
	size_t i;

	(void)state;
	assert_parses(&cfg, config_default_yaml);
	assert_defaults(&cfg);
	assert_string_equal(cfg.organization, "投诉受理办公室");
	assert_string_equal(config_channel(&cfg, "visit")->label, "来访");
	assert_string_equal(config_channel(&cfg, "phone")->label, "来电");
	assert_string_equal(config_channel(&cfg, "letter")->label, "来信");
	assert_non_null(config_channel(&cfg, "wechat"));
	assert_true(cfg.ndepartments >= 2);
	/* the four of DESIGN 5 and info-not-provided (issue 14) */
	assert_int_equal(cfg.nreject_reasons, 5);
	assert_string_equal(config_reject_reason(&cfg, "time-barred")->label,
		"超过时效");
	/* a child without a department inherits its parent's */
	c = config_category(&cfg, "service-quality/attitude");
	assert_non_null(c);
	assert_string_equal(c->department, "quality");
	assert_string_equal(cfg.categories[c->parent].id, "service-quality");
	for (i = 0; i < cfg.ncategories; i++) {
		assert_true(cfg.categories[i].parent < (int)i);
		assert_non_null(config_department(&cfg,
			cfg.categories[i].department));
	}
	assert_non_null(config_category(&cfg, "other"));
	assert_true(config_category(&cfg, "environment")->nkeywords > 0);
	assert_int_equal(cfg.nrules, 1);
	assert_string_equal(cfg.rules[0].priority, "urgent");
	assert_int_equal(cfg.rules[0].has, DL_RESOLVE);
	assert_true(dur_is(cfg.rules[0].resolve, 3, DUR_WORKDAYS));
	assert_int_equal(cfg.cal.nholidays, 33);
	assert_int_equal(cfg.cal.nextra, 6);
	assert_false(cal_is_workday(&cfg.cal, day(2026, 10, 1)));
	assert_true(cal_is_workday(&cfg.cal, day(2026, 10, 10)));
	config_release(&cfg);
}

static void test_config__design_example_parses(void **state)
{
	struct config cfg;
	const struct department *dep;
	const struct staff *st;

	(void)state;
	assert_parses(&cfg, design_example);
	assert_string_equal(cfg.organization, "某县农业局");
	assert_int_equal(cfg.ncategories, 2);
	assert_string_equal(cfg.categories[0].id, "fertilizer");
	assert_string_equal(cfg.categories[0].department, "soil-station");
	assert_int_equal(cfg.categories[0].parent, -1);
	assert_int_equal(cfg.categories[0].nkeywords, 3);
	assert_string_equal(cfg.categories[0].keywords[2], "复合肥");
	assert_string_equal(cfg.categories[1].id, "fertilizer/fake");
	assert_string_equal(cfg.categories[1].label, "假冒伪劣");
	assert_string_equal(cfg.categories[1].department, "enforcement");
	assert_int_equal(cfg.categories[1].parent, 0);
	dep = config_department(&cfg, "soil-station");
	assert_non_null(dep);
	assert_string_equal(dep->head, "zhao.lei");
	assert_int_equal(dep->nmembers, 2);
	assert_string_equal(dep->members[1], "sun.li");
	assert_int_equal(cfg.nstaff, 5);
	st = config_staff(&cfg, "chen.jing");
	assert_non_null(st);
	assert_string_equal(st->name, "陈静");
	assert_int_equal(st->roles, ROLE_TRIAGE | ROLE_SUPERVISOR);
	assert_int_equal(config_staff(&cfg, "zhang.wei")->roles, ROLE_INTAKE);
	assert_int_equal(cfg.nrules, 1);
	assert_int_equal(cfg.cal.nholidays, 33);
	assert_int_equal(cfg.cal.nextra, 6);
	assert_int_equal(cfg.cal.workdays, 0x3e);
	assert_string_equal(cfg.mail_from, "docket@example.org");
	config_release(&cfg);
}

static void test_config__category_department_is_inherited(void **state)
{
	struct config cfg;

	(void)state;
	assert_parses(&cfg, "docket: 1\n"
		"departments: [{id: d1, label: D1}, {id: d2, label: D2}]\n"
		"categories:\n"
		"  - id: a\n"
		"    label: A\n"
		"    department: d1\n"
		"    children:\n"
		"      - id: b\n"
		"        label: B\n"
		"        children: [{id: c, label: C}]\n"
		"      - {id: x, label: X, department: d2}\n"
		"  - {id: z, label: Z}\n");
	assert_int_equal(cfg.ncategories, 5);
	assert_string_equal(cfg.categories[2].id, "a/b/c");
	assert_int_equal(cfg.categories[2].parent, 1);
	assert_string_equal(cfg.categories[2].department, "d1");
	assert_string_equal(cfg.categories[3].id, "a/x");
	assert_string_equal(cfg.categories[3].department, "d2");
	assert_string_equal(cfg.categories[4].id, "z");
	assert_null(cfg.categories[4].department);
	config_release(&cfg);
}

struct bad {
	const char *yaml;
	const char *where;	/* "docket.yaml:L:C: " */
	const char *text;
};

static const struct bad bad_configs[] = {
	{ "organization: x\n",
	  "docket.yaml:1:1: ", "missing 'docket: 1'" },
	{ "docket: 2\n",
	  "docket.yaml:1:9: ", "unsupported format version '2'" },
	{ "- docket\n",
	  "docket.yaml:1:1: ", "the top level must be a mapping, not a list" },
	{ "docket: 1\nchannels: 5\n",
	  "docket.yaml:2:11: ", "'channels' must be a list, not text" },
	{ "docket: 1\ncategories: {id: x}\n",
	  "docket.yaml:2:13: ", "'categories' must be a list, not a mapping" },
	{ "docket: 1\nfoo: bar\n",
	  "docket.yaml:2:1: ", "unknown key 'foo'" },
	{ "docket: 1\ndeadlines:\n  ak: 1wd\n",
	  "docket.yaml:3:3: ", "unknown key 'ak' in 'deadlines'" },
	{ "docket: 1\ndeadlines:\n  ack: 1x\n",
	  "docket.yaml:3:8: ", "invalid duration '1x' in 'deadlines.ack'" },
	{ "docket: 1\ndeadlines:\n  resolve: 2y\n",
	  "docket.yaml:3:12: ", "years are not allowed in 'deadlines.resolve'" },
	{ "docket: 1\nlimits:\n  look_back: ever\n",
	  "docket.yaml:3:14: ", "invalid duration 'ever' in 'limits.look_back'" },
	{ "docket: 1\ntimezone: Mars/Base\n",
	  "docket.yaml:2:11: ", "unknown time zone 'Mars/Base'" },
	{ "docket: 1\nid:\n  prefix: hz\n",
	  "docket.yaml:3:11: ", "invalid id prefix 'hz'" },
	{ "docket: 1\nid:\n  prefix: ABCDEFGHI\n",
	  "docket.yaml:3:11: ", "invalid id prefix 'ABCDEFGHI'" },
	{ "docket: 1\nchannels:\n  - {id: Visit, label: 来访}\n",
	  "docket.yaml:3:10: ", "invalid id 'Visit' in 'channels'" },
	{ "docket: 1\nchannels:\n  - {id: visit, label: 来访}\n"
	  "  - {id: visit, label: 又来访}\n",
	  "docket.yaml:4:10: ", "duplicate id 'visit' in 'channels'" },
	{ "docket: 1\nchannels:\n  - {id: visit}\n",
	  "docket.yaml:3:5: ", "missing 'label' in 'channels' entry" },
	{ "docket: 1\nchannels: []\n",
	  "docket.yaml:2:11: ", "'channels' needs at least one entry" },
	{ "docket: 1\ndefault_priority: high\n",
	  "docket.yaml:2:19: ", "unknown priority 'high' in 'default_priority'" },
	{ "docket: 1\npriorities:\n  - {id: low, label: 低}\n",
	  "docket.yaml:3:3: ", "default priority 'normal' is not among" },
	{ "docket: 1\nstaff:\n  - {id: a, name: A, roles: [boss]}\n",
	  "docket.yaml:3:30: ", "unknown role 'boss'" },
	{ "docket: 1\nstaff:\n  - {id: a, name: A}\n  - {id: a, name: B}\n",
	  "docket.yaml:4:10: ", "duplicate id 'a' in 'staff'" },
	{ "docket: 1\nstaff:\n  - {id: a, name: A, email: nobody}\n",
	  "docket.yaml:3:29: ", "invalid email address 'nobody'" },
	{ "docket: 1\nstaff:\n  - {id: a, name: A}\ndepartments:\n"
	  "  - {id: d, label: D, head: b}\n",
	  "docket.yaml:5:29: ", "unknown staff 'b' in 'head'" },
	{ "docket: 1\ncategories:\n  - {id: a, label: A, department: x}\n",
	  "docket.yaml:3:35: ", "unknown department 'x' in 'categories'" },
	{ "docket: 1\ncategories:\n  - id: a\n    label: A\n    children:\n"
	  "      - {id: b, label: B}\n      - {id: b, label: B2}\n",
	  "docket.yaml:7:14: ", "duplicate category 'a/b'" },
	{ "docket: 1\ncategories:\n  - {id: a, label: A, colour: red}\n",
	  "docket.yaml:3:23: ", "unknown key 'colour' in 'categories'" },
	{ "docket: 1\ndeadlines:\n  rules:\n    - when: {kind: petition}\n"
	  "      ack: 2wd\n",
	  "docket.yaml:4:20: ", "unknown kind 'petition'" },
	{ "docket: 1\ndeadlines:\n  rules:\n    - when: {category: nope}\n"
	  "      ack: 2wd\n",
	  "docket.yaml:4:24: ", "unknown category 'nope' in 'when'" },
	{ "docket: 1\ndeadlines:\n  rules:\n    - when: {priority: urgent}\n",
	  "docket.yaml:4:7: ", "rule sets no deadline" },
	{ "docket: 1\ncalendar:\n  workdays: [mon, funday]\n",
	  "docket.yaml:3:19: ", "unknown weekday 'funday'" },
	{ "docket: 1\ncalendar:\n  workdays: []\n",
	  "docket.yaml:3:13: ", "needs at least one day" },
	{ "docket: 1\ncalendar:\n  holidays: [2026-02-10..2026-02-01]\n",
	  "docket.yaml:3:14: ", "ends before it starts" },
	{ "docket: 1\ncalendar:\n  holidays: [2026-02-30]\n",
	  "docket.yaml:3:14: ", "invalid holiday '2026-02-30'" },
	{ "docket: 1\ncalendar:\n  holidays: [2026-10-01..2026-10-07]\n"
	  "  extra_workdays: [2026-10-03]\n",
	  "docket.yaml:4:20: ", "'2026-10-03' is both a holiday" },
	{ "docket: 1\nremind:\n  within: soon\n",
	  "docket.yaml:3:11: ", "invalid duration 'soon' in 'remind.within'" },
	{ "docket: 1\nmail:\n  from: not an address\n",
	  "docket.yaml:3:9: ", "invalid email address 'not an address'" },
	{ "docket: 1\nmail:\n  sendmail: [a, b]\n",
	  "docket.yaml:3:13: ", "'mail.sendmail' must be text, not a list" },
	{ "docket: 1\nreject_reasons:\n  - {id: dup, label: \"\"}\n",
	  "docket.yaml:3:22: ", "empty 'label'" },
	{ "docket: 1\nreject_reasons:\n  - {id: dup, label: \"x\\ty\"}\n",
	  "docket.yaml:3:22: ", "control character in 'label'" },
	{ "docket: 1\ncalendar:\n",
	  "docket.yaml:2:10: ", "'calendar' must be a mapping, not empty" },
	{ "docket: 1\nstaff:\n  - {id: a, name: A, email: a@x}\n"
	  "  - {id: b, name: B, email: A@X}\n",
	  "docket.yaml:4:29: ", "email address 'A@X' is already used by staff 'a'" },
	{ "docket: 1\ncategories:\n  - {id: a, label: A}\n  - {id: a.b, label: \""
	  "ABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNO"
	  "PQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCD"
	  "EFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRSTUVWXYZABCDEFGHIJKLMNOPQRS"
	  "\"}\n",
	  "docket.yaml:4:22: ", "'label' is too long (200 bytes at most)" },
};

static void test_config__invalid_configs_name_line_and_column(void **state)
{
	size_t i, failed = 0;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_configs); i++) {
		const struct bad *b = &bad_configs[i];
		struct diag d = DIAG_INIT;
		struct config cfg;
		int ret = parse(&cfg, b->yaml, &d);

		/* exactly one message: no follow-on noise */
		if (ret != ERR_INVALID || d.n != 1 ||
			strncmp(d.msg[0], b->where, strlen(b->where)) ||
			!strstr(d.msg[0], b->text)) {
			print_error("case %zu: want %s...%s\n", i, b->where,
				b->text);
			dump(&d);
			failed++;
		}
		/* a failed parse leaves the defaults, safe to release */
		assert_defaults(&cfg);
		config_release(&cfg);
		diag_release(&d);
	}
	assert_int_equal(failed, 0);
}

static void test_config__reports_every_error_then_fails(void **state)
{
	struct config cfg;
	struct diag d = DIAG_INIT;

	(void)state;
	assert_int_equal(parse(&cfg, "docket: 1\n"
		"channels: 5\n"
		"deadlines:\n"
		"  ack: 1x\n"
		"  resolve: 15wd\n"
		"mail:\n"
		"  form: a@b\n", &d), ERR_INVALID);
	assert_int_equal(d.n, 3);
	assert_non_null(strstr(d.msg[0], "docket.yaml:2:11: "));
	assert_non_null(strstr(d.msg[1], "docket.yaml:4:8: "));
	assert_non_null(strstr(d.msg[2], "docket.yaml:7:3: unknown key 'form'"));
	diag_release(&d);
	config_release(&cfg);
}

static void test_config__staff_refs_unchecked_without_staff(void **state)
{
	struct config cfg;
	struct diag d = DIAG_INIT;

	(void)state;
	assert_parses(&cfg, "docket: 1\n"
		"departments: [{id: d, label: D, head: li.na, members: [li.na]}]\n");
	assert_string_equal(cfg.departments[0].head, "li.na");
	config_release(&cfg);
	/* members are still ids, and still unique */
	assert_int_equal(parse(&cfg, "docket: 1\n"
		"departments: [{id: d, label: D, members: [li.na, li.na]}]\n",
		&d), ERR_INVALID);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.msg[0], "duplicate id 'li.na' in 'members'"));
	diag_release(&d);
	config_release(&cfg);
}

static void test_config__lookups(void **state)
{
	struct config cfg;

	(void)state;
	assert_parses(&cfg, design_example);
	assert_string_equal(config_channel(&cfg, "referral")->label,
		"上级转办");
	assert_null(config_channel(&cfg, "fax"));
	assert_null(config_channel(&cfg, NULL));
	assert_string_equal(config_priority(&cfg, "urgent")->label, "紧急");
	assert_null(config_priority(&cfg, "high"));
	assert_string_equal(config_department(&cfg, "enforcement")->label,
		"执法大队");
	assert_null(config_department(&cfg, "police"));
	assert_string_equal(config_category(&cfg, "fertilizer/fake")->label,
		"假冒伪劣");
	assert_null(config_category(&cfg, "fake"));
	assert_string_equal(config_staff(&cfg, "sun.li")->email,
		"sun.li@example.org");
	assert_null(config_staff(&cfg, "nobody"));
	assert_string_equal(config_staff_by_email(&cfg,
		"Qian.Hao@Example.org")->id, "qian.hao");
	assert_null(config_staff_by_email(&cfg, "qian.hao@example.com"));
	assert_string_equal(config_reject_reason(&cfg, "duplicate")->label,
		"重复投诉");
	assert_null(config_reject_reason(&cfg, "bored"));
	config_release(&cfg);
}

static void test_config__category_under(void **state)
{
	(void)state;
	assert_true(category_under("a/b", "a"));
	assert_true(category_under("a", "a"));
	assert_true(category_under("a/b/c", "a/b"));
	assert_false(category_under("ab", "a"));
	assert_false(category_under("a/bc", "a/b"));
	assert_false(category_under("a", "a/b"));
	assert_false(category_under("b/a", "a"));
	assert_false(category_under(NULL, "a"));
	assert_false(category_under("a", NULL));
}

/* A temporary directory holding docket.yaml with the given text. */
static char *write_fixture(char dir[], const char *text, size_t len)
{
	char *path = NULL;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	assert_true(asprintf(&path, "%s/%s", dir, CONFIG_FILE) > 0);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(text, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
	return path;
}

static void test_config__load_reads_a_file(void **state)
{
	char dir[] = "/tmp/test_config.XXXXXX";
	struct config cfg;
	struct diag d = DIAG_INIT;
	static const char text[] = "docket: 1\norganization: 测试办\n"
		"mail:\n  from: x@y\n  sendmail: 7\n  bcc: z@y\n";
	char *path;

	(void)state;
	path = write_fixture(dir, text, strlen(text));
	assert_int_equal(config_load(&cfg, path, &d), ERR_INVALID);
	assert_int_equal(d.n, 1);
	/* messages name the file as given */
	assert_non_null(strstr(d.msg[0], "/docket.yaml:6:3: unknown key 'bcc'"));
	assert_int_equal(strncmp(d.msg[0], dir, strlen(dir)), 0);
	config_release(&cfg);
	diag_release(&d);
	/* without the unknown key it loads */
	assert_int_equal(truncate(path, (off_t)(strlen(text) -
		strlen("  bcc: z@y\n"))), 0);
	assert_int_equal(config_load(&cfg, path, &d), 0);
	assert_string_equal(cfg.organization, "测试办");
	assert_string_equal(cfg.mail_from, "x@y");
	assert_string_equal(cfg.sendmail, "7");
	config_release(&cfg);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(config_load(&cfg, path, &d), ERR_NOTFOUND);
	assert_defaults(&cfg);
	config_release(&cfg);
	diag_release(&d);
	assert_int_equal(rmdir(dir), 0);
	free(path);
}

static void test_config__load_refuses_huge_files(void **state)
{
	char dir[] = "/tmp/test_config.XXXXXX";
	size_t len = (1 << 20) + 2;
	char *text = malloc(len), *path;
	struct config cfg;
	struct diag d = DIAG_INIT;

	(void)state;
	assert_non_null(text);
	memset(text, '#', len);
	memcpy(text, "docket: 1\n", 10);
	path = write_fixture(dir, text, len);
	assert_int_equal(config_load(&cfg, path, &d), ERR_INVALID);
	assert_true(d.n >= 1);
	config_release(&cfg);
	diag_release(&d);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	free(path);
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_config__init_gives_the_documented_defaults),
		cmocka_unit_test(test_config__minimal_file_keeps_every_default),
		cmocka_unit_test(test_config__absent_keys_of_a_section_keep_defaults),
		cmocka_unit_test(test_config__default_yaml_parses_cleanly),
		cmocka_unit_test(test_config__views_and_digest_over),
		cmocka_unit_test(test_config__design_example_parses),
		cmocka_unit_test(test_config__category_department_is_inherited),
		cmocka_unit_test(test_config__invalid_configs_name_line_and_column),
		cmocka_unit_test(test_config__reports_every_error_then_fails),
		cmocka_unit_test(test_config__staff_refs_unchecked_without_staff),
		cmocka_unit_test(test_config__lookups),
		cmocka_unit_test(test_config__category_under),
		cmocka_unit_test(test_config__load_reads_a_file),
		cmocka_unit_test(test_config__load_refuses_huge_files),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
