/*
 * test_report.c - the figures of DESIGN section 8 on hand-built cases:
 * each figure, the period's boundaries, reproducibility (nothing after
 * `to` changes a period's figures), handling days without stopped time,
 * nearest-rank p90, null rates, grouping and the previous period.
 *
 * Cases are built as the commands build them: an event, then
 * deadline_recompute(), so the file's `due` holds what it would hold.
 * Calendar: Mon-Fri, October 1-7 2026 holidays, Saturday October 10 a
 * make-up working day; ack 1wd, feedback 3wd, resolve 15wd, urgent 3wd.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "config.h"
#include "deadline.h"
#include "report.h"

static const char cfg_text[] =
	"docket: 1\n"
	"organization: 测试局\n"
	"timezone: Asia/Shanghai\n"
	"channels:\n"
	"  - {id: phone, label: 来电}\n"
	"  - {id: web, label: 网站}\n"
	"priorities:\n"
	"  - {id: urgent, label: 紧急}\n"
	"  - {id: normal, label: 一般}\n"
	"default_priority: normal\n"
	"departments:\n"
	"  - {id: d1, label: 一科}\n"
	"  - {id: d2, label: 二科}\n"
	"categories:\n"
	"  - {id: c1, label: 类一, department: d1}\n"
	"  - {id: c2, label: 类二, department: d2}\n"
	"deadlines:\n"
	"  ack: 1wd\n"
	"  feedback: 3wd\n"
	"  resolve: 15wd\n"
	"  rules:\n"
	"    - when: {priority: urgent}\n"
	"      resolve: 3wd\n"
	"calendar:\n"
	"  workdays: [mon, tue, wed, thu, fri]\n"
	"  holidays: [2026-10-01..2026-10-07]\n"
	"  extra_workdays: [2026-10-10]\n";

static struct config cfg;

static int setup(void **state)
{
	struct diag d = DIAG_INIT;
	int r;

	(void)state;
	r = config_parse(&cfg, cfg_text, strlen(cfg_text), "docket.yaml", &d);
	if (r)
		fprintf(stderr, "%s\n", d.n ? d.msg[0] : "config");
	diag_release(&d);
	return r;
}

static int teardown(void **state)
{
	(void)state;
	config_release(&cfg);
	return 0;
}

/* "2026-10-12 09:00" in Shanghai time. */
static struct ts T(const char *s)
{
	char buf[64];
	struct ts t;

	snprintf(buf, sizeof(buf), "%.10sT%s:00+08:00", s, s + 11);
	assert_int_equal(ts_parse(&t, buf), 0);
	return t;
}

static struct ts day(const char *s)
{
	struct date d;

	assert_int_equal(date_parse(&d, s), 0);
	return cal_start_of_day(&cfg.cal, d);
}

/* An event as a command records it: append, set the category and
 * priority it gives, recompute the deadlines. */
static struct event *ev(struct dcase *c, const char *at, const char *action,
	...)
{
	struct event *e = case_add_event(c, T(at), "tester", action);
	const char *k, *v;
	va_list ap;

	va_start(ap, action);
	while ((k = va_arg(ap, const char *))) {
		v = va_arg(ap, const char *);
		event_set(e, k, v);
	}
	va_end(ap);
	/* What the command changes besides the journal, as far as the
	 * deadlines depend on it. */
	if (!strcmp(action, "triage") && (v = event_get(e, "category")))
		set_str(&c->category, v);
	if (!strcmp(action, "triage") && (v = event_get(e, "priority")))
		set_str(&c->priority, v);
	deadline_recompute(&cfg, c);
	return e;
}

/* A complaint filed at `at` by phone about `resp`. */
static void mk(struct dcase *c, const char *at, const char *resp)
{
	case_init(c);
	set_str(&c->id, "2026-000001");
	c->kind = KIND_COMPLAINT;
	set_str(&c->channel, "phone");
	set_str(&c->respondent, resp);
	set_str(&c->priority, "normal");
	c->received_at = T(at);
	ev(c, at, "file", NULL);
}

/* A case accepted at `acc` into c1 and assigned to d1 / staff a. */
static void mk_assigned(struct dcase *c, const char *at, const char *acc,
	const char *prio)
{
	mk(c, at, "某公司");
	ev(c, acc, "triage", "decision", "accept", "category", "c1",
		"priority", prio, NULL);
	ev(c, acc, "assign", "department", "d1", "to", "a", NULL);
}

static int fact(struct report_fact *f, const struct dcase *c,
	const char *from, const char *to)
{
	return report_fact(f, &cfg, c, day(from), day(to));
}

#define OCT "2026-10-01", "2026-11-01"

static void test_report__received_counts_from_inclusive_to_exclusive(
	void **state)
{
	static const struct {
		const char *at;
		int in;
	} v[] = {
		{ "2026-09-30 23:59", 0 },
		{ "2026-10-01 00:00", 1 },
		{ "2026-10-31 23:59", 1 },
	};
	struct report_fact f;
	struct dcase c;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(v); i++) {
		mk(&c, v[i].at, "某公司");
		assert_int_equal(fact(&f, &c, OCT), 1);
		assert_int_equal(!!(f.flags & RF_RECEIVED), v[i].in);
		assert_true(f.flags & RF_OPEN);
		report_fact_release(&f);
		case_release(&c);
	}
	/* Received at `to` exactly: not in the store yet at the end. */
	mk(&c, "2026-11-01 00:00", "某公司");
	assert_int_equal(fact(&f, &c, OCT), 0);
	case_release(&c);
}

static void test_report__case_registered_after_to_is_left_out(void **state)
{
	struct report_fact f;
	struct dcase c;

	(void)state;
	/* A letter of October 30 registered on November 2 (--received-at):
	 * the October report made on November 1 did not have it, and a
	 * report rerun later must not either. */
	case_init(&c);
	set_str(&c.channel, "letter");
	set_str(&c.respondent, "某公司");
	c.received_at = T("2026-10-30 10:00");
	ev(&c, "2026-11-02 09:00", "file", NULL);
	assert_int_equal(fact(&f, &c, OCT), 0);
	assert_int_equal(fact(&f, &c, "2026-11-01", "2026-12-01"), 1);
	assert_false(f.flags & RF_RECEIVED);
	assert_true(f.flags & RF_OPEN);
	report_fact_release(&f);
	case_release(&c);
}

static void test_report__closed_counts_the_closing_that_stands(void **state)
{
	struct report_fact f;
	struct dcase c;

	(void)state;
	mk_assigned(&c, "2026-10-12 09:00", "2026-10-12 10:00", "normal");
	ev(&c, "2026-10-14 10:00", "close", "outcome", "resolved", NULL);
	ev(&c, "2026-10-15 10:00", "reopen", "reason", "不满意", NULL);
	ev(&c, "2026-10-20 10:00", "close", "outcome", "mediated", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_true(f.flags & RF_CLOSED);
	assert_false(f.flags & RF_OPEN);
	assert_int_equal(f.reopened, 1);
	assert_int_equal(f.accepted, 1);
	assert_string_equal(f.key[RDIM_OUTCOME], "mediated");
	report_fact_release(&f);

	/* Reopened and still open at the end: not closed in the period. */
	ev(&c, "2026-10-28 10:00", "reopen", "reason", "复查", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_false(f.flags & RF_CLOSED);
	assert_true(f.flags & RF_OPEN);
	assert_int_equal(f.reopened, 2);
	assert_null(f.key[RDIM_OUTCOME]);
	report_fact_release(&f);
	case_release(&c);
}

static void test_report__rejection_counts_as_rejected_only(void **state)
{
	struct report_stats s;
	struct report_fact f;
	struct dcase c;

	(void)state;
	mk(&c, "2026-10-12 09:00", "某公司");
	ev(&c, "2026-10-12 11:00", "triage", "decision", "reject",
		"reason", "out-of-scope", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	report_sum(&s, &f, 1);
	assert_int_equal(s.rejected, 1);
	assert_int_equal(s.closed, 0);
	assert_int_equal(s.open_at_end, 0);
	assert_int_equal(s.ack_n, 1);
	assert_int_equal(s.ack_on_time, 1);
	report_fact_release(&f);
	case_release(&c);
}

static void test_report__merge_closes_the_duplicate_only(void **state)
{
	struct report_fact f;
	struct dcase dup, other;

	(void)state;
	mk_assigned(&dup, "2026-10-12 09:00", "2026-10-12 10:00", "normal");
	mk_assigned(&other, "2026-10-09 09:00", "2026-10-09 10:00", "normal");
	ev(&dup, "2026-10-13 09:00", "merge", "into", "2026-000002", NULL);
	ev(&other, "2026-10-13 09:00", "merge", "merged", "2026-000001",
		NULL);
	assert_int_equal(fact(&f, &dup, OCT), 1);
	assert_true(f.flags & RF_CLOSED);
	assert_string_equal(f.key[RDIM_OUTCOME], "merged");
	report_fact_release(&f);
	assert_int_equal(fact(&f, &other, OCT), 1);
	assert_false(f.flags & RF_CLOSED);
	assert_true(f.flags & RF_OPEN);
	report_fact_release(&f);
	case_release(&dup);
	case_release(&other);
}

static void test_report__handling_days_leave_out_stopped_days(void **state)
{
	struct report_fact f;
	struct dcase c;

	(void)state;
	/* Mon 12th to Mon 19th: 13, 14, 15, 16, 19 = 5 working days; on hold
	 * Tue 13th to Thu 15th stops (13th, 15th] = 14, 15. */
	mk_assigned(&c, "2026-10-12 09:00", "2026-10-12 10:00", "normal");
	ev(&c, "2026-10-13 10:00", "hold", "reason", "检测", NULL);
	ev(&c, "2026-10-15 10:00", "resume", NULL);
	ev(&c, "2026-10-19 15:00", "close", "outcome", "resolved", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_int_equal(f.handling_days, 3);
	report_fact_release(&f);
	case_release(&c);

	/* Over the National Day holidays and the make-up Saturday: received
	 * Wed Sep 30, closed Mon Oct 12: Oct 8, 9, 10 (Sat), 12. */
	mk_assigned(&c, "2026-09-30 16:00", "2026-09-30 17:00", "normal");
	ev(&c, "2026-10-12 15:00", "close", "outcome", "resolved", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_int_equal(f.handling_days, 4);
	report_fact_release(&f);

	/* Pending-info stops the clock too: need-info on Thu 8th, accepted
	 * on Mon 12th stops (8th, 12th] = 9, 10, 12. */
	case_release(&c);
	mk(&c, "2026-10-08 09:00", "某公司");
	ev(&c, "2026-10-08 10:00", "triage", "decision", "need-info",
		"info", "合同", NULL);
	ev(&c, "2026-10-12 09:00", "triage", "decision", "accept", NULL);
	ev(&c, "2026-10-14 09:00", "close", "outcome", "resolved", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	/* (8th, 14th] = 9, 10, 12, 13, 14 = 5, less 3. */
	assert_int_equal(f.handling_days, 2);
	report_fact_release(&f);
	case_release(&c);
}

static void test_report__ack_on_time_is_decided_by_the_deadline(void **state)
{
	struct report_fact f;
	struct dcase c;

	(void)state;
	/* Received Fri 16th: ack by Mon 19th 23:59:59. */
	mk(&c, "2026-10-16 09:00", "某公司");
	ev(&c, "2026-10-19 23:59", "triage", "decision", "accept", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_true(f.flags & RF_DECIDED);
	assert_true(f.flags & RF_DECIDED_ON_TIME);
	report_fact_release(&f);
	case_release(&c);

	mk(&c, "2026-10-16 09:00", "某公司");
	ev(&c, "2026-10-20 08:00", "triage", "decision", "need-info",
		"info", "证据", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_true(f.flags & RF_DECIDED);
	assert_false(f.flags & RF_DECIDED_ON_TIME);
	report_fact_release(&f);

	/* Decided in September: not a decision of October. */
	case_release(&c);
	mk(&c, "2026-09-28 09:00", "某公司");
	ev(&c, "2026-09-29 09:00", "triage", "decision", "accept", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_false(f.flags & RF_DECIDED);
	report_fact_release(&f);
	case_release(&c);
}

/*
 * Build the October history of a case that is later reopened: accepted
 * urgent on Mon 12th (resolve 3wd: Thu 15th), closed late on the 20th
 * dissatisfied, return visit "neutral" on the 26th.
 */
static void october_case(struct dcase *c)
{
	mk_assigned(c, "2026-10-12 09:00", "2026-10-12 10:00", "urgent");
	ev(c, "2026-10-20 10:00", "close", "outcome", "resolved",
		"satisfaction", "dissatisfied", NULL);
	ev(c, "2026-10-26 10:00", "feedback", "satisfaction", "neutral", NULL);
}

static void assert_same_fact(const struct report_fact *a,
	const struct report_fact *b)
{
	int i;

	assert_int_equal(a->flags, b->flags);
	assert_int_equal(a->accepted, b->accepted);
	assert_int_equal(a->rejected, b->rejected);
	assert_int_equal(a->reopened, b->reopened);
	assert_int_equal(a->handling_days, b->handling_days);
	assert_int_equal(a->satisfaction, b->satisfaction);
	for (i = 0; i < RDIM__COUNT; i++) {
		if (!a->key[i] || !b->key[i])
			assert_ptr_equal(a->key[i], b->key[i]);
		else
			assert_string_equal(a->key[i], b->key[i]);
	}
}

static void test_report__events_after_to_change_nothing(void **state)
{
	struct report_fact before, after;
	struct dcase c;

	(void)state;
	october_case(&c);
	assert_int_equal(fact(&before, &c, OCT), 1);
	assert_true(before.flags & RF_CLOSED);
	assert_true(before.flags & RF_RESOLVE);
	assert_false(before.flags & RF_RESOLVE_ON_TIME);
	assert_int_equal(before.satisfaction, 2);	/* neutral */

	/* November: another return visit, a reopening that recomputes the
	 * resolve deadline, reclassification, a transfer, a hold, a close
	 * on time. */
	ev(&c, "2026-11-02 09:00", "feedback", "satisfaction", "satisfied",
		NULL);
	ev(&c, "2026-11-03 09:00", "reopen", "reason", "复查", NULL);
	ev(&c, "2026-11-03 10:00", "triage", "category", "c2", "priority",
		"normal", NULL);
	ev(&c, "2026-11-03 11:00", "assign", "department", "d2", "to", "b",
		"transfer", "true", "reason", "转办", NULL);
	ev(&c, "2026-11-04 09:00", "hold", "reason", "鉴定", NULL);
	ev(&c, "2026-11-05 09:00", "resume", NULL);
	ev(&c, "2026-11-06 09:00", "close", "outcome", "mediated",
		"satisfaction", "satisfied", NULL);
	assert_true(ts_cmp(c.due.at[DUE_RESOLVE], T("2026-11-20 00:00")) > 0);
	assert_int_equal(fact(&after, &c, OCT), 1);
	assert_same_fact(&before, &after);
	assert_string_equal(after.key[RDIM_DEPARTMENT], "d1");
	assert_string_equal(after.key[RDIM_CATEGORY], "c1");
	assert_string_equal(after.key[RDIM_ASSIGNEE], "a");
	report_fact_release(&before);
	report_fact_release(&after);
	case_release(&c);
}

static void test_report__satisfaction_is_the_latest_after_closing(
	void **state)
{
	struct report_fact f;
	struct dcase c;

	(void)state;
	mk_assigned(&c, "2026-10-12 09:00", "2026-10-12 10:00", "normal");
	ev(&c, "2026-10-13 10:00", "close", "outcome", "resolved",
		"satisfaction", "dissatisfied", NULL);
	ev(&c, "2026-10-14 10:00", "feedback", "satisfaction", "unreachable",
		NULL);
	ev(&c, "2026-10-15 10:00", "reopen", "reason", "复查", NULL);
	/* The second closing has no level: the old visit does not count. */
	ev(&c, "2026-10-16 10:00", "close", "outcome", "resolved", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_int_equal(f.satisfaction, -1);
	report_fact_release(&f);
	ev(&c, "2026-10-19 10:00", "feedback", "satisfaction",
		"fairly-satisfied", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_int_equal(f.satisfaction, 1);
	report_fact_release(&f);
	case_release(&c);
}

static void test_report__overdue_at_end_as_it_stood(void **state)
{
	struct report_fact f;
	struct dcase c;

	(void)state;
	/* Received Mon 26th, not triaged: ack (27th) passed by the end. */
	mk(&c, "2026-10-26 09:00", "某公司");
	ev(&c, "2026-11-02 09:00", "triage", "decision", "accept", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_true(f.flags & RF_OPEN);
	assert_true(f.flags & RF_OVERDUE);
	report_fact_release(&f);
	case_release(&c);

	/* Received Fri 30th: ack Mon Nov 2nd, not yet passed at the end. */
	mk(&c, "2026-10-30 09:00", "某公司");
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_true(f.flags & RF_OPEN);
	assert_false(f.flags & RF_OVERDUE);
	report_fact_release(&f);
	case_release(&c);

	/* A hold moves the resolve deadline: accepted urgent Mon 12th
	 * (resolve Thu 15th), feedback met by a contact, held Tue 13th to
	 * Mon 19th (14, 15, 16, 19 = 4 days): resolve Wed 21st; so overdue
	 * at the end of October, not at the end of the 20th. */
	mk_assigned(&c, "2026-10-12 09:00", "2026-10-12 10:00", "urgent");
	ev(&c, "2026-10-12 11:00", "note", "text", "已联系", "contact",
		"phone", NULL);
	ev(&c, "2026-10-13 10:00", "hold", "reason", "检测", NULL);
	ev(&c, "2026-10-19 10:00", "resume", NULL);
	assert_int_equal(fact(&f, &c, "2026-10-01", "2026-10-21"), 1);
	assert_false(f.flags & RF_OVERDUE);
	report_fact_release(&f);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_true(f.flags & RF_OVERDUE);
	report_fact_release(&f);
	case_release(&c);
}

static void test_report__replays_department_and_category(void **state)
{
	struct report_fact f;
	struct dcase c;

	(void)state;
	mk_assigned(&c, "2026-10-12 09:00", "2026-10-12 10:00", "normal");
	ev(&c, "2026-10-14 09:00", "return", "reason", "非本科职责", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_null(f.key[RDIM_DEPARTMENT]);
	assert_null(f.key[RDIM_ASSIGNEE]);
	assert_string_equal(f.key[RDIM_CATEGORY], "c1");
	report_fact_release(&f);
	/* Up to the 13th it was still with d1. */
	assert_int_equal(fact(&f, &c, "2026-10-01", "2026-10-13"), 1);
	assert_string_equal(f.key[RDIM_DEPARTMENT], "d1");
	assert_string_equal(f.key[RDIM_ASSIGNEE], "a");
	report_fact_release(&f);
	case_release(&c);

	/* A category given at filing, never changed by an event, counts. */
	mk(&c, "2026-10-12 09:00", "某公司");
	set_str(&c.category, "c2");
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_string_equal(f.key[RDIM_CATEGORY], "c2");
	assert_string_equal(f.key[RDIM_CHANNEL], "phone");
	assert_string_equal(f.key[RDIM_KIND], "complaint");
	report_fact_release(&f);
	case_release(&c);
}

static void test_report__repeat_of_marks_a_repeat(void **state)
{
	char *ids[] = { "2026-000001" };
	struct report_fact f;
	struct dcase c;

	(void)state;
	mk(&c, "2026-10-12 09:00", "某公司");
	event_set_list(&c.events[0], "repeat_of", ids, 1);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_true(f.flags & RF_REPEAT);
	report_fact_release(&f);
	/* Not received in November: not a repeat of November. */
	assert_int_equal(fact(&f, &c, "2026-11-01", "2026-12-01"), 1);
	assert_false(f.flags & RF_REPEAT);
	report_fact_release(&f);
	case_release(&c);
}

static void test_report__case_closed_before_the_period_is_not_counted(
	void **state)
{
	struct report_fact f;
	struct dcase c;

	(void)state;
	mk_assigned(&c, "2026-09-01 09:00", "2026-09-01 10:00", "normal");
	ev(&c, "2026-09-10 09:00", "close", "outcome", "resolved", NULL);
	assert_int_equal(fact(&f, &c, OCT), 0);
	case_release(&c);
}

/* Cases settled before the period are passed over without a replay;
 * the ones whose last status-setting event opens them are not. */
static void test_report__settled_before_the_period_and_not(void **state)
{
	struct report_fact f;
	struct dcase c;

	(void)state;
	/* closed, then a feedback call: still nothing in October */
	mk_assigned(&c, "2026-09-01 09:00", "2026-09-01 10:00", "normal");
	ev(&c, "2026-09-10 09:00", "close", "outcome", "resolved", NULL);
	ev(&c, "2026-09-20 09:00", "feedback", "satisfaction", "satisfied",
		NULL);
	assert_int_equal(fact(&f, &c, OCT), 0);
	/* reopened in September: open at the end of October */
	ev(&c, "2026-09-25 09:00", "reopen", "reason", "不满意", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_true(f.flags & RF_OPEN);
	report_fact_release(&f);
	case_release(&c);
	/* rejected in September: nothing; a note after it is replayed and
	 * gives nothing either */
	mk(&c, "2026-09-02 09:00", "某公司");
	ev(&c, "2026-09-02 10:00", "triage", "decision", "reject", NULL);
	assert_int_equal(fact(&f, &c, OCT), 0);
	ev(&c, "2026-09-03 10:00", "note", "text", "已告知", NULL);
	assert_int_equal(fact(&f, &c, OCT), 0);
	case_release(&c);
	/* closed in September with an event in October: counted as it was */
	mk_assigned(&c, "2026-09-01 09:00", "2026-09-01 10:00", "normal");
	ev(&c, "2026-09-10 09:00", "close", "outcome", "resolved", NULL);
	ev(&c, "2026-10-08 09:00", "reopen", "reason", "又坏了", NULL);
	assert_int_equal(fact(&f, &c, OCT), 1);
	assert_int_equal(f.reopened, 1);
	report_fact_release(&f);
	case_release(&c);
}

/* Facts closed with the given handling days. */
static struct report_fact *closed_facts(const int *days, size_t n)
{
	struct report_fact *v = calloc(n, sizeof(*v));
	size_t i;

	assert_non_null(v);
	for (i = 0; i < n; i++) {
		v[i].flags = RF_CLOSED;
		v[i].handling_days = days[i];
		v[i].satisfaction = -1;
	}
	return v;
}

static void test_report__median_mean_and_nearest_rank_p90(void **state)
{
	static const int ten[] = { 7, 1, 10, 3, 2, 9, 4, 6, 5, 8 };
	static const int three[] = { 4, 1, 2 };
	int twenty[20], i;
	struct report_fact *v;
	struct report_stats s;

	(void)state;
	v = closed_facts(ten, 10);
	report_sum(&s, v, 10);
	assert_int_equal(s.nhandled, 10);
	assert_int_equal(s.median2, 11);	/* 5.5 */
	assert_int_equal(s.mean10, 55);
	assert_int_equal(s.p90, 9);		/* rank ceil(9) = 9 */
	report_facts_free(v, 10);

	v = closed_facts(three, 3);
	report_sum(&s, v, 3);
	assert_int_equal(s.median2, 4);		/* 2 */
	assert_int_equal(s.mean10, 23);		/* 2.33 -> 2.3 */
	assert_int_equal(s.p90, 4);		/* rank ceil(2.7) = 3 */
	report_facts_free(v, 3);

	/* 1..20: rank ceil(18) = 18; the mean 10.5 stays 10.5. */
	for (i = 0; i < 20; i++)
		twenty[i] = 20 - i;
	v = closed_facts(twenty, 20);
	report_sum(&s, v, 20);
	assert_int_equal(s.p90, 18);
	assert_int_equal(s.mean10, 105);
	report_facts_free(v, 20);
	{
		int two[] = { 1, 2 };

		v = closed_facts(two, 2);
		report_sum(&s, v, 2);
		assert_int_equal(s.mean10, 15);
		assert_int_equal(s.p90, 2);
		report_facts_free(v, 2);
	}
}

static void test_report__rates_are_null_when_nothing_is_counted(
	void **state)
{
	struct report_fact *v;
	struct report_stats s;
	double r;

	(void)state;
	report_sum(&s, NULL, 0);
	assert_int_equal(report_rate(&r, s.ack_on_time, s.ack_n),
		ERR_NOTFOUND);
	assert_int_equal(report_rate(&r, s.resolve_on_time, s.resolve_n),
		ERR_NOTFOUND);
	assert_int_equal(report_sat_rate(&r, &s), ERR_NOTFOUND);
	assert_int_equal(s.nhandled, 0);

	/* Only unreachable complainants: still no satisfaction rate. */
	v = closed_facts((const int[]){ 1, 2 }, 2);
	v[0].satisfaction = 4;
	v[1].satisfaction = 4;
	report_sum(&s, v, 2);
	assert_int_equal(s.sat[4], 2);
	assert_int_equal(report_sat_rate(&r, &s), ERR_NOTFOUND);
	/* One satisfied, one dissatisfied, the unreachable left out. */
	v[0].satisfaction = 0;
	v[1].satisfaction = 3;
	report_sum(&s, v, 2);
	assert_int_equal(report_sat_rate(&r, &s), 0);
	assert_true(r > 0.49 && r < 0.51);
	report_facts_free(v, 2);
}

static struct report_fact received_by(const char *resp, const char *dept)
{
	const char *key[RDIM__COUNT] = { NULL };
	struct report_fact f;

	memset(&f, 0, sizeof(f));
	f.flags = RF_RECEIVED | RF_OPEN;
	f.satisfaction = -1;
	key[RDIM_RESPONDENT] = resp;
	key[RDIM_DEPARTMENT] = dept;
	key[RDIM_CHANNEL] = "phone";
	key[RDIM_KIND] = "complaint";
	report_fact_keys(&f, key);
	return f;
}

static void test_report__top_respondents_most_first_ties_by_name(
	void **state)
{
	static const char *names[] = {
		"k", "b", "a", "l", "c", "d", "e", "f", "g", "h", "i", "j"
	};
	struct report_fact v[40];
	struct date from, to;
	struct report r;
	size_t n = 0, i;

	(void)state;
	/* "k" three cases, "l" two, the rest one each; one without. */
	for (i = 0; i < ARRAY_SIZE(names); i++)
		v[n++] = received_by(names[i], NULL);
	v[n++] = received_by("k", NULL);
	v[n++] = received_by("k", NULL);
	v[n++] = received_by("l", NULL);
	v[n++] = received_by(NULL, NULL);
	date_parse(&from, "2026-10-01");
	date_parse(&to, "2026-11-01");
	report_build(&r, &cfg, v, n, from, to);
	assert_int_equal(r.ntop, REPORT_TOP);
	assert_string_equal(r.top[0].key, "k");
	assert_int_equal(r.top[0].n, 3);
	assert_string_equal(r.top[1].key, "l");
	assert_string_equal(r.top[2].key, "a");
	assert_string_equal(r.top[3].key, "b");
	assert_string_equal(r.top[9].key, "h");
	assert_int_equal(r.st.received, 16);
	report_release(&r);
	for (i = 0; i < n; i++)
		report_fact_release(&v[i]);
}

static void test_report__breakdowns_keep_configured_values(void **state)
{
	struct report_fact v[3];
	struct date from, to;
	struct report r;
	size_t i;

	(void)state;
	v[0] = received_by("x", "d2");
	v[1] = received_by("x", "zz");
	v[2] = received_by("x", NULL);
	date_parse(&from, "2026-10-01");
	date_parse(&to, "2026-11-01");
	report_build(&r, &cfg, v, 3, from, to);
	/* Departments: d1 (nothing), d2, then zz not configured; the case
	 * with no department only in the totals. */
	assert_int_equal(r.ndepartments, 3);
	assert_string_equal(r.departments[0].key, "d1");
	assert_int_equal(r.departments[0].st.received, 0);
	assert_string_equal(r.departments[1].key, "d2");
	assert_int_equal(r.departments[1].st.received, 1);
	assert_int_equal(r.departments[1].st.open_at_end, 1);
	assert_string_equal(r.departments[2].key, "zz");
	/* Channels: both configured, zeros kept. */
	assert_int_equal(r.nby[RDIM_CHANNEL], 2);
	assert_string_equal(r.by[RDIM_CHANNEL][1].key, "web");
	assert_int_equal(r.by[RDIM_CHANNEL][0].n, 3);
	assert_int_equal(r.by[RDIM_CHANNEL][1].n, 0);
	/* Outcomes: every outcome a closing can have, not "rejected". */
	assert_int_equal(r.nby[RDIM_OUTCOME], 7);
	for (i = 0; i < r.nby[RDIM_OUTCOME]; i++)
		assert_string_not_equal(r.by[RDIM_OUTCOME][i].key, "rejected");
	/* Category: the cases without one counted under NULL. */
	assert_int_equal(r.nby[RDIM_CATEGORY], 1);
	assert_null(r.by[RDIM_CATEGORY][0].key);
	assert_int_equal(r.by[RDIM_CATEGORY][0].n, 3);
	report_release(&r);
	for (i = 0; i < 3; i++)
		report_fact_release(&v[i]);
}

static void test_report__group_sorts_by_value_none_last(void **state)
{
	struct report_fact v[4];
	struct report_group *g = NULL;
	size_t n, i;

	(void)state;
	v[0] = received_by("b", NULL);
	v[1] = received_by(NULL, NULL);
	v[2] = received_by("a", NULL);
	v[3] = received_by("b", NULL);
	n = report_group(&g, v, 4, RDIM_RESPONDENT);
	assert_int_equal(n, 3);
	assert_string_equal(g[0].key, "a");
	assert_string_equal(g[1].key, "b");
	assert_int_equal(g[1].st.received, 2);
	assert_null(g[2].key);
	report_groups_free(g, n);
	for (i = 0; i < 4; i++)
		report_fact_release(&v[i]);
}

static void test_report__previous_period_has_equal_length(void **state)
{
	struct date a, b, pa, pb;
	char s1[DATE_BUFSZ], s2[DATE_BUFSZ];

	(void)state;
	date_parse(&a, "2026-10-01");
	date_parse(&b, "2026-11-01");
	report_previous(a, b, &pa, &pb);
	date_format(s1, pa);
	date_format(s2, pb);
	assert_string_equal(s1, "2026-09-01");
	assert_string_equal(s2, "2026-10-01");

	date_parse(&a, "2026-01-01");
	date_parse(&b, "2026-04-01");
	report_previous(a, b, &pa, &pb);
	date_format(s1, pa);
	assert_string_equal(s1, "2025-10-01");

	date_parse(&a, "2026-10-10");
	date_parse(&b, "2026-10-20");
	report_previous(a, b, &pa, &pb);
	date_format(s1, pa);
	date_format(s2, pb);
	assert_string_equal(s1, "2026-09-30");
	assert_string_equal(s2, "2026-10-10");

	date_parse(&a, "2026-12-15");
	report_month(a, &pa, &pb);
	date_format(s1, pa);
	date_format(s2, pb);
	assert_string_equal(s1, "2026-12-01");
	assert_string_equal(s2, "2027-01-01");
}

static void test_report__dim_names_parse(void **state)
{
	enum report_dim d;

	(void)state;
	assert_int_equal(report_dim_parse(&d, "assignee"), 0);
	assert_int_equal(d, RDIM_ASSIGNEE);
	assert_int_equal(report_dim_parse(&d, "outcome"), ERR_INVALID);
	assert_int_equal(report_dim_parse(&d, "Department"), ERR_INVALID);
}

static int cmp_days(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * The median, mean and p90 of handling days over few closed cases and
 * over many (counted day by day then), close together and spread far
 * apart: what sorting the days gives.
 */
static void test_report__handling_days_median_and_p90(void **state)
{
	static const size_t sizes[] = { 1, 2, 31, 32, 33, 500, 4001 };
	struct report_fact *f;
	struct report_stats st;
	int days[4001], spread;
	long sum, n, want_median2, want_p90;
	size_t k, i;

	(void)state;
	for (spread = 0; spread < 2; spread++) {
		for (k = 0; k < ARRAY_SIZE(sizes); k++) {
			n = (long)sizes[k];
			f = calloc((size_t)n, sizeof(*f));
			assert_non_null(f);
			sum = 0;
			for (i = 0; i < (size_t)n; i++) {
				f[i].flags = RF_CLOSED;
				f[i].satisfaction = -1;
				f[i].handling_days = spread ?
					(int)(i * 7919 % 100003) :
					(int)(i * 37 % 61);
				days[i] = f[i].handling_days;
				sum += days[i];
			}
			qsort(days, (size_t)n, sizeof(*days), cmp_days);
			want_median2 = n % 2 ? 2L * days[n / 2] :
				(long)days[n / 2 - 1] + days[n / 2];
			want_p90 = days[(9 * n + 9) / 10 - 1];
			report_sum(&st, f, (size_t)n);
			assert_int_equal(st.nhandled, n);
			assert_int_equal(st.median2, want_median2);
			assert_int_equal(st.p90, want_p90);
			assert_int_equal(st.mean10, (sum * 20 + n) / (2 * n));
			free(f);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
		  test_report__received_counts_from_inclusive_to_exclusive),
		cmocka_unit_test(
		  test_report__case_registered_after_to_is_left_out),
		cmocka_unit_test(
		  test_report__closed_counts_the_closing_that_stands),
		cmocka_unit_test(
		  test_report__rejection_counts_as_rejected_only),
		cmocka_unit_test(test_report__merge_closes_the_duplicate_only),
		cmocka_unit_test(
			test_report__settled_before_the_period_and_not),
		cmocka_unit_test(
		  test_report__handling_days_leave_out_stopped_days),
		cmocka_unit_test(
		  test_report__ack_on_time_is_decided_by_the_deadline),
		cmocka_unit_test(test_report__events_after_to_change_nothing),
		cmocka_unit_test(
		  test_report__satisfaction_is_the_latest_after_closing),
		cmocka_unit_test(test_report__overdue_at_end_as_it_stood),
		cmocka_unit_test(
		  test_report__replays_department_and_category),
		cmocka_unit_test(test_report__repeat_of_marks_a_repeat),
		cmocka_unit_test(
		  test_report__case_closed_before_the_period_is_not_counted),
		cmocka_unit_test(
		  test_report__median_mean_and_nearest_rank_p90),
		cmocka_unit_test(
		  test_report__rates_are_null_when_nothing_is_counted),
		cmocka_unit_test(
		  test_report__top_respondents_most_first_ties_by_name),
		cmocka_unit_test(
		  test_report__breakdowns_keep_configured_values),
		cmocka_unit_test(test_report__group_sorts_by_value_none_last),
		cmocka_unit_test(
		  test_report__previous_period_has_equal_length),
		cmocka_unit_test(test_report__dim_names_parse),
		cmocka_unit_test(test_report__handling_days_median_and_p90),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
