/*
 * test_remind.c - planning reminders (DESIGN section 7) over hand-built
 * cases and the 2026 calendar of section 5: Asia/Shanghai, Monday to
 * Friday, National Day holidays Oct 1-7 (Thu..Wed), make-up working
 * Saturday Oct 10.  Weekdays used below: 09-28 Mon, 09-29 Tue, 09-30 Wed,
 * 10-08 Thu, 10-09 Fri, 10-10 Sat (works), 10-11 Sun, 10-12 Mon.
 * remind: within 1wd, repeat 1wd, escalate_after 2wd.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "remind.h"

static const char config_yaml[] =
	"docket: 1\n"
	"organization: 某县农业局\n"
	"timezone: Asia/Shanghai\n"
	"departments:\n"
	"  - {id: soil-station, label: 土肥站, head: zhao.lei,"
	" members: [zhao.lei, sun.li]}\n"
	"  - {id: enforcement, label: 执法大队, members: [qian.hao]}\n"
	"staff:\n"
	"  - {id: zhang.wei, name: 张伟, email: zhang.wei@example.org,"
	" roles: [intake]}\n"
	"  - {id: chen.jing, name: 陈静, email: chen.jing@example.org,"
	" roles: [triage, supervisor]}\n"
	"  - {id: liu.yang, name: 刘洋, email: liu.yang@example.org,"
	" roles: [supervisor]}\n"
	"  - {id: ma.li, name: 马丽, email: ma.li@example.org,"
	" roles: [triage]}\n"
	"  - {id: zhao.lei, name: 赵磊, email: zhao.lei@example.org,"
	" roles: [handler]}\n"
	"  - {id: sun.li, name: 孙丽, email: sun.li@example.org,"
	" roles: [handler]}\n"
	"  - {id: qian.hao, name: 钱浩, email: qian.hao@example.org,"
	" roles: [handler]}\n"
	"calendar:\n"
	"  workdays: [mon, tue, wed, thu, fri]\n"
	"  holidays: [2026-01-01..2026-01-03, 2026-02-15..2026-02-23,\n"
	"             2026-04-04..2026-04-06, 2026-05-01..2026-05-05,\n"
	"             2026-06-19..2026-06-21, 2026-09-25..2026-09-27,\n"
	"             2026-10-01..2026-10-07]\n"
	"  extra_workdays: [2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09,\n"
	"                   2026-09-20, 2026-10-10]\n"
	"remind:\n"
	"  within: 1wd\n"
	"  repeat: 1wd\n"
	"  escalate_after: 2wd\n";

struct fx {
	struct config cfg;
	struct dcase c;
	struct reminder *r;
	size_t n;
	struct strlist to;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct diag d = DIAG_INIT;
	size_t i;

	if (!fx)
		return -1;
	if (config_parse(&fx->cfg, config_yaml, strlen(config_yaml),
	    "docket.yaml", &d)) {
		for (i = 0; i < d.n; i++)
			print_error("%s\n", d.msg[i]);
		diag_release(&d);
		config_release(&fx->cfg);
		free(fx);
		return -1;
	}
	/* An assigned case of the soil station, received Mon 09-28. */
	case_init(&fx->c);
	set_str(&fx->c.id, "2026-000123");
	set_str(&fx->c.subject, "化肥结块");
	set_str(&fx->c.department, "soil-station");
	set_str(&fx->c.assignee, "sun.li");
	fx->c.status = ST_ASSIGNED;
	ts_parse(&fx->c.received_at, "2026-09-28T09:00:00+08:00");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	reminders_free(fx->r, fx->n);
	strlist_release(&fx->to);
	case_release(&fx->c);
	config_release(&fx->cfg);
	free(fx);
	return 0;
}

static struct ts TS(const char *s)
{
	struct ts t;

	assert_int_equal(ts_parse(&t, s), 0);
	return t;
}

static void set_due(struct dcase *c, enum due_kind k, const char *s)
{
	c->due.at[k] = TS(s);
	c->due.has |= 1u << k;
}

/* Plan at `now` with the configured window; returns the count. */
static size_t plan(struct fx *fx, const char *now)
{
	reminders_free(fx->r, fx->n);
	fx->r = NULL;
	fx->n = remind_plan(&fx->r, &fx->cfg, &fx->c, TS(now),
		fx->cfg.remind_within);
	return fx->n;
}

/* The recipients of reminder i joined with ",". */
static const char *to_of(struct fx *fx, size_t i)
{
	static char buf[256];
	size_t j;

	buf[0] = '\0';
	for (j = 0; j < fx->r[i].to.n; j++) {
		if (j)
			strcat(buf, ",");
		strcat(buf, fx->r[i].to.v[j]);
	}
	return buf;
}

/* A remind event as `docket remind` writes it. */
static void reminded(struct dcase *c, const char *at, const char *kind,
	const char *due, const char *level, const char *to)
{
	struct event *e = case_add_event(c, TS(at), "chen.jing", "remind");
	char *v[4], buf[128], *p, *save = NULL;
	size_t n = 0;

	event_set(e, "deadline", kind);
	event_set(e, "due", due);
	event_set(e, "level", level);
	snprintf(buf, sizeof(buf), "%s", to);
	for (p = strtok_r(buf, ",", &save); p && n < 4;
	     p = strtok_r(NULL, ",", &save))
		v[n++] = p;
	event_set_list(e, "to", v, n);
}

static void test_remind__due_soon_before_the_holidays(void **state)
{
	struct fx *fx = *state;

	set_due(&fx->c, DUE_RESOLVE, "2026-09-30T23:59:59+08:00");
	/* Mon 09-28: the window of 1wd ends Tue 09-29, before the due day. */
	assert_int_equal(plan(fx, "2026-09-28T08:00:00+08:00"), 0);
	/* Tue 09-29: within one working day. */
	assert_int_equal(plan(fx, "2026-09-29T08:00:00+08:00"), 1);
	assert_int_equal(fx->r[0].kind, DUE_RESOLVE);
	assert_int_equal(fx->r[0].state, REMIND_DUE_SOON);
	assert_int_equal(fx->r[0].days, 1);
	assert_int_equal(fx->r[0].level, 1);
	assert_string_equal(to_of(fx, 0), "sun.li");
	/* Wed 09-30 the last second: still due soon, due today. */
	assert_int_equal(plan(fx, "2026-09-30T23:59:59+08:00"), 1);
	assert_int_equal(fx->r[0].state, REMIND_DUE_SOON);
	assert_int_equal(fx->r[0].days, 0);
}

static void test_remind__due_soon_across_the_holidays(void **state)
{
	struct fx *fx = *state;

	/* Due on the first working day after National Day. */
	set_due(&fx->c, DUE_RESOLVE, "2026-10-08T23:59:59+08:00");
	/* Tue 09-29: 1wd ends 09-30; Oct 8 is two working days away. */
	assert_int_equal(plan(fx, "2026-09-29T08:00:00+08:00"), 0);
	/* Wed 09-30: the next working day is Oct 8. */
	assert_int_equal(plan(fx, "2026-09-30T08:00:00+08:00"), 1);
	assert_int_equal(fx->r[0].state, REMIND_DUE_SOON);
	assert_int_equal(fx->r[0].days, 1);
	/* During the holidays it is one working day away too. */
	assert_int_equal(plan(fx, "2026-10-03T08:00:00+08:00"), 1);
	assert_int_equal(fx->r[0].days, 1);
}

static void test_remind__overdue_counts_working_days(void **state)
{
	struct fx *fx = *state;

	set_due(&fx->c, DUE_RESOLVE, "2026-09-30T23:59:59+08:00");
	/* One second late. */
	assert_int_equal(plan(fx, "2026-10-01T00:00:00+08:00"), 1);
	assert_int_equal(fx->r[0].state, REMIND_OVERDUE);
	assert_int_equal(fx->r[0].days, 0);
	/* The holidays do not count. */
	assert_int_equal(plan(fx, "2026-10-07T12:00:00+08:00"), 1);
	assert_int_equal(fx->r[0].days, 0);
	assert_int_equal(plan(fx, "2026-10-08T08:00:00+08:00"), 1);
	assert_int_equal(fx->r[0].state, REMIND_OVERDUE);
	assert_int_equal(fx->r[0].days, 1);
	/* Sunday 10-11 is off; the make-up Saturday before it counts. */
	assert_int_equal(plan(fx, "2026-10-11T08:00:00+08:00"), 1);
	assert_int_equal(fx->r[0].days, 3);
}

static void test_remind__escalates_on_the_right_working_day(void **state)
{
	struct fx *fx = *state;

	set_due(&fx->c, DUE_RESOLVE, "2026-09-30T23:59:59+08:00");
	/* Two working days of grace: Oct 8 and 9. */
	assert_int_equal(plan(fx, "2026-10-08T08:00:00+08:00"), 1);
	assert_int_equal(fx->r[0].level, 1);
	assert_int_equal(plan(fx, "2026-10-09T23:59:59+08:00"), 1);
	assert_int_equal(fx->r[0].level, 1);
	assert_string_equal(to_of(fx, 0), "sun.li");
	/* The make-up Saturday is the third working day: level 2, to the
	 * department head and every supervisor as well. */
	assert_int_equal(plan(fx, "2026-10-10T00:00:00+08:00"), 1);
	assert_int_equal(fx->r[0].level, 2);
	assert_int_equal(fx->r[0].days, 3);
	assert_string_equal(to_of(fx, 0), "sun.li,zhao.lei,chen.jing,"
		"liu.yang");
}

static void test_remind__escalation_without_a_head(void **state)
{
	struct fx *fx = *state;

	set_str(&fx->c.department, "enforcement");
	set_str(&fx->c.assignee, "qian.hao");
	set_due(&fx->c, DUE_FEEDBACK, "2026-09-28T23:59:59+08:00");
	assert_int_equal(plan(fx, "2026-10-08T08:00:00+08:00"), 1);
	assert_int_equal(fx->r[0].level, 2);
	assert_string_equal(to_of(fx, 0), "qian.hao,chen.jing,liu.yang");
}

static void test_remind__recipients_fall_back(void **state)
{
	struct fx *fx = *state;

	set_due(&fx->c, DUE_ACK, "2026-09-29T23:59:59+08:00");
	/* No assignee: the department head. */
	set_str(&fx->c.assignee, NULL);
	assert_int_equal(plan(fx, "2026-09-29T08:00:00+08:00"), 1);
	assert_string_equal(to_of(fx, 0), "zhao.lei");
	/* A department without a head, or none: the triage staff. */
	set_str(&fx->c.department, "enforcement");
	assert_int_equal(plan(fx, "2026-09-29T08:00:00+08:00"), 1);
	assert_string_equal(to_of(fx, 0), "chen.jing,ma.li");
	set_str(&fx->c.department, NULL);
	fx->c.status = ST_RECEIVED;
	assert_int_equal(plan(fx, "2026-09-29T08:00:00+08:00"), 1);
	assert_string_equal(to_of(fx, 0), "chen.jing,ma.li");
	/* Level 2 of a case nobody has: triage and supervisors, once each. */
	assert_int_equal(plan(fx, "2026-10-09T08:00:00+08:00"), 1);
	assert_int_equal(fx->r[0].level, 2);
	assert_string_equal(to_of(fx, 0), "chen.jing,ma.li,liu.yang");
}

static void test_remind__recipients_without_a_staff_list(void **state)
{
	struct fx *fx = *state;
	struct staff *staff = fx->cfg.staff;
	size_t nstaff = fx->cfg.nstaff;

	fx->cfg.nstaff = 0;
	remind_recipients(&fx->to, &fx->cfg, &fx->c, 1);
	assert_int_equal(fx->to.n, 1);
	assert_string_equal(fx->to.v[0], "sun.li");
	strlist_release(&fx->to);
	set_str(&fx->c.assignee, NULL);
	set_str(&fx->c.department, "enforcement");
	remind_recipients(&fx->to, &fx->cfg, &fx->c, 1);
	assert_int_equal(fx->to.n, 1);
	assert_string_equal(fx->to.v[0], "enforcement");
	strlist_release(&fx->to);
	set_str(&fx->c.department, NULL);
	remind_recipients(&fx->to, &fx->cfg, &fx->c, 2);
	assert_int_equal(fx->to.n, 2);
	assert_string_equal(fx->to.v[0], "triage");
	assert_string_equal(fx->to.v[1], "supervisor");
	fx->cfg.nstaff = nstaff;
	fx->cfg.staff = staff;
}

static void test_remind__not_repeated_within_repeat(void **state)
{
	struct fx *fx = *state;
	const char *due = "2026-09-30T23:59:59+08:00";

	fx->cfg.escalate_after.n = 20;
	set_due(&fx->c, DUE_RESOLVE, due);
	reminded(&fx->c, "2026-10-08T07:30:00+08:00", "resolve", due, "1",
		"sun.li");
	/* 1wd after Thu 07:30 ends Fri 23:59:59. */
	assert_int_equal(plan(fx, "2026-10-09T07:30:00+08:00"), 0);
	assert_int_equal(plan(fx, "2026-10-09T23:59:58+08:00"), 0);
	assert_int_equal(plan(fx, "2026-10-10T07:30:00+08:00"), 1);
	assert_string_equal(to_of(fx, 0), "sun.li");
	/* Sent on Friday: the make-up Saturday is the working day after,
	 * so Saturday's run leaves it out. */
	reminded(&fx->c, "2026-10-09T07:30:00+08:00", "resolve", due, "1",
		"sun.li");
	assert_int_equal(plan(fx, "2026-10-10T07:30:00+08:00"), 0);
}

static void test_remind__repeat_counts_only_the_same_recipient(void **state)
{
	struct fx *fx = *state;
	const char *due = "2026-09-30T23:59:59+08:00";

	set_due(&fx->c, DUE_RESOLVE, due);
	/* The level-2 mail to the head failed: only the others were
	 * recorded, so only the head is reminded again. */
	reminded(&fx->c, "2026-10-10T07:30:00+08:00", "resolve", due, "2",
		"sun.li,chen.jing,liu.yang");
	assert_int_equal(plan(fx, "2026-10-10T08:00:00+08:00"), 1);
	assert_int_equal(fx->r[0].level, 2);
	assert_string_equal(to_of(fx, 0), "zhao.lei");
	reminded(&fx->c, "2026-10-10T08:00:00+08:00", "resolve", due, "2",
		"zhao.lei");
	assert_int_equal(plan(fx, "2026-10-10T09:00:00+08:00"), 0);
	/* A new assignee hears of it at once, and only they do. */
	set_str(&fx->c.assignee, "qian.hao");
	assert_int_equal(plan(fx, "2026-10-10T09:00:00+08:00"), 1);
	assert_string_equal(to_of(fx, 0), "qian.hao");
}

static void test_remind__a_moved_deadline_reminds_afresh(void **state)
{
	struct fx *fx = *state;

	set_due(&fx->c, DUE_RESOLVE, "2026-10-09T23:59:59+08:00");
	reminded(&fx->c, "2026-10-08T07:30:00+08:00", "resolve",
		"2026-10-09T23:59:59+08:00", "1", "sun.li");
	assert_int_equal(plan(fx, "2026-10-09T07:30:00+08:00"), 0);
	/* Extended by a day: a new due time, reminded at once. */
	set_due(&fx->c, DUE_RESOLVE, "2026-10-10T23:59:59+08:00");
	assert_int_equal(plan(fx, "2026-10-09T07:30:00+08:00"), 1);
	assert_int_equal(fx->r[0].state, REMIND_DUE_SOON);
	assert_int_equal(fx->r[0].days, 1);
	/* Another deadline's reminder does not count either. */
	reminded(&fx->c, "2026-10-09T07:30:00+08:00", "feedback",
		"2026-10-10T23:59:59+08:00", "1", "sun.li");
	assert_int_equal(plan(fx, "2026-10-09T08:00:00+08:00"), 1);
}

static void test_remind__a_new_level_reminds_afresh(void **state)
{
	struct fx *fx = *state;
	const char *due = "2026-09-30T23:59:59+08:00";

	set_due(&fx->c, DUE_RESOLVE, due);
	reminded(&fx->c, "2026-10-09T07:30:00+08:00", "resolve", due, "1",
		"sun.li");
	assert_int_equal(plan(fx, "2026-10-09T23:00:00+08:00"), 0);
	/* Saturday 10-10: level 2 although level 1 went out yesterday. */
	assert_int_equal(plan(fx, "2026-10-10T07:30:00+08:00"), 1);
	assert_int_equal(fx->r[0].level, 2);
	assert_string_equal(to_of(fx, 0), "sun.li,zhao.lei,chen.jing,"
		"liu.yang");
}

static void test_remind__stopped_clock_is_skipped(void **state)
{
	struct fx *fx = *state;

	set_due(&fx->c, DUE_RESOLVE, "2026-09-30T23:59:59+08:00");
	fx->c.status = ST_ON_HOLD;
	assert_int_equal(plan(fx, "2026-10-12T08:00:00+08:00"), 0);
	fx->c.status = ST_PENDING_INFO;
	assert_int_equal(plan(fx, "2026-10-12T08:00:00+08:00"), 0);
	fx->c.status = ST_ACCEPTED;
	assert_int_equal(plan(fx, "2026-10-12T08:00:00+08:00"), 1);
}

static void test_remind__final_cases_are_skipped(void **state)
{
	struct fx *fx = *state;

	set_due(&fx->c, DUE_ACK, "2026-09-29T23:59:59+08:00");
	fx->c.status = ST_CLOSED;
	assert_int_equal(plan(fx, "2026-10-12T08:00:00+08:00"), 0);
	fx->c.status = ST_REJECTED;
	assert_int_equal(plan(fx, "2026-10-12T08:00:00+08:00"), 0);
}

static void test_remind__met_deadlines_are_skipped(void **state)
{
	struct fx *fx = *state;
	struct event *e;

	set_due(&fx->c, DUE_ACK, "2026-09-29T23:59:59+08:00");
	set_due(&fx->c, DUE_FEEDBACK, "2026-10-09T23:59:59+08:00");
	set_due(&fx->c, DUE_RESOLVE, "2026-10-12T23:59:59+08:00");
	assert_int_equal(plan(fx, "2026-10-10T08:00:00+08:00"), 3);
	assert_int_equal(fx->r[0].kind, DUE_ACK);
	assert_int_equal(fx->r[1].kind, DUE_FEEDBACK);
	assert_int_equal(fx->r[2].kind, DUE_RESOLVE);
	e = case_add_event(&fx->c, TS("2026-09-29T10:00:00+08:00"),
		"chen.jing", "triage");
	event_set(e, "decision", "accept");
	assert_int_equal(plan(fx, "2026-10-10T08:00:00+08:00"), 2);
	assert_int_equal(fx->r[0].kind, DUE_FEEDBACK);
	/* A note without contact does not meet feedback; one with does. */
	e = case_add_event(&fx->c, TS("2026-10-08T10:00:00+08:00"), "sun.li",
		"note");
	event_set(e, "text", "去现场看了");
	assert_int_equal(plan(fx, "2026-10-10T08:00:00+08:00"), 2);
	event_set(e, "contact", "phone");
	assert_int_equal(plan(fx, "2026-10-10T08:00:00+08:00"), 1);
	assert_int_equal(fx->r[0].kind, DUE_RESOLVE);
	assert_int_equal(fx->r[0].state, REMIND_DUE_SOON);
}

static void test_remind__within_other_units(void **state)
{
	struct fx *fx = *state;
	struct duration d;

	set_due(&fx->c, DUE_RESOLVE, "2026-10-08T23:59:59+08:00");
	/* 2 calendar days from Tue 09-29 end Thu 10-01, a holiday: moved
	 * to the next working day, Oct 8. */
	assert_int_equal(duration_parse(&d, "2d"), 0);
	fx->n = remind_plan(&fx->r, &fx->cfg, &fx->c,
		TS("2026-09-29T08:00:00+08:00"), d);
	assert_int_equal(fx->n, 1);
	reminders_free(fx->r, fx->n);
	/* 8 hours before the last second. */
	assert_int_equal(duration_parse(&d, "8h"), 0);
	fx->n = remind_plan(&fx->r, &fx->cfg, &fx->c,
		TS("2026-10-08T15:59:58+08:00"), d);
	assert_int_equal(fx->n, 0);
	fx->n = remind_plan(&fx->r, &fx->cfg, &fx->c,
		TS("2026-10-08T15:59:59+08:00"), d);
	assert_int_equal(fx->n, 1);
}

static void test_remind__record_writes_the_event(void **state)
{
	struct fx *fx = *state;
	const struct event_field *f;
	struct event *e;
	char *to[] = { "sun.li", "zhao.lei" };

	set_due(&fx->c, DUE_RESOLVE, "2026-09-30T23:59:59+08:00");
	assert_int_equal(plan(fx, "2026-10-10T07:30:00+08:00"), 1);
	e = remind_record(&fx->c, &fx->r[0], TS("2026-10-10T07:30:00+08:00"),
		"chen.jing", to, 2);
	assert_string_equal(e->action, "remind");
	assert_string_equal(e->by, "chen.jing");
	assert_string_equal(event_get(e, "deadline"), "resolve");
	assert_string_equal(event_get(e, "due"), "2026-09-30T23:59:59+08:00");
	assert_string_equal(event_get(e, "level"), "2");
	f = event_field(e, "to");
	assert_non_null(f);
	assert_true(f->is_list);
	assert_int_equal(f->nlist, 2);
	assert_string_equal(f->list[1], "zhao.lei");
	/* What was recorded is what the next run leaves out. */
	assert_int_equal(plan(fx, "2026-10-10T08:00:00+08:00"), 1);
	assert_string_equal(to_of(fx, 0), "chen.jing,liu.yang");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_remind__due_soon_before_the_holidays),
		T(test_remind__due_soon_across_the_holidays),
		T(test_remind__overdue_counts_working_days),
		T(test_remind__escalates_on_the_right_working_day),
		T(test_remind__escalation_without_a_head),
		T(test_remind__recipients_fall_back),
		T(test_remind__recipients_without_a_staff_list),
		T(test_remind__not_repeated_within_repeat),
		T(test_remind__repeat_counts_only_the_same_recipient),
		T(test_remind__a_moved_deadline_reminds_afresh),
		T(test_remind__a_new_level_reminds_afresh),
		T(test_remind__stopped_clock_is_skipped),
		T(test_remind__final_cases_are_skipped),
		T(test_remind__met_deadlines_are_skipped),
		T(test_remind__within_other_units),
		T(test_remind__record_writes_the_event),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
