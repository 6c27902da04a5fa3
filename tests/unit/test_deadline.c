/*
 * test_deadline.c - deadlines recomputed from a case's events (DESIGN
 * section 6) over hand-built cases and the 2026 calendar of section 5.
 * Every expected instant was worked out by hand on that calendar:
 * National Day holidays Oct 1-7, make-up working Saturday Oct 10.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "deadline.h"

static const char config_yaml[] =
	"docket: 1\n"
	"timezone: Asia/Shanghai\n"
	"priorities:\n"
	"  - {id: urgent, label: 紧急}\n"
	"  - {id: normal, label: 一般}\n"
	"default_priority: normal\n"
	"categories:\n"
	"  - id: fertilizer\n"
	"    label: 肥料\n"
	"    children:\n"
	"      - {id: fake, label: 假冒伪劣}\n"
	"  - {id: seeds, label: 种子}\n"
	"deadlines:\n"
	"  ack: 1wd\n"
	"  feedback: 3wd\n"
	"  resolve: 15wd\n"
	"  rules:\n"
	"    - when: {priority: urgent}\n"
	"      resolve: 3wd\n"
	"    - when: {category: fertilizer}\n"
	"      feedback: 1wd\n"
	"    - when: {kind: report}\n"
	"      feedback: 24h\n"
	"calendar:\n"
	"  workdays: [mon, tue, wed, thu, fri]\n"
	"  holidays: [2026-01-01..2026-01-03, 2026-02-15..2026-02-23,\n"
	"             2026-04-04..2026-04-06, 2026-05-01..2026-05-05,\n"
	"             2026-06-19..2026-06-21, 2026-09-25..2026-09-27,\n"
	"             2026-10-01..2026-10-07]\n"
	"  extra_workdays: [2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09,\n"
	"                   2026-09-20, 2026-10-10]\n";

struct fx {
	struct config cfg;
	struct dcase c;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct diag d = DIAG_INIT;

	if (!fx)
		return -1;
	if (config_parse(&fx->cfg, config_yaml, strlen(config_yaml),
	    "docket.yaml", &d)) {
		size_t i;

		for (i = 0; i < d.n; i++)
			print_error("%s\n", d.msg[i]);
		diag_release(&d);
		config_release(&fx->cfg);
		free(fx);
		return -1;
	}
	case_init(&fx->c);
	set_str(&fx->c.id, "2026-000123");
	set_str(&fx->c.priority, "normal");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	case_release(&fx->c);
	config_release(&fx->cfg);
	free(fx);
	return 0;
}

static struct ts at(const char *s)
{
	struct ts t;

	if (ts_parse(&t, s))
		fail_msg("bad time in test: %s", s);
	return t;
}

/* A case received at `when`, with its file event. */
static void receive(struct fx *fx, const char *when)
{
	fx->c.received_at = at(when);
	case_add_event(&fx->c, fx->c.received_at, "zhang.wei", "file");
}

static struct event *ev(struct fx *fx, const char *when, const char *action)
{
	return case_add_event(&fx->c, at(when), "chen.jing", action);
}

static void triage(struct fx *fx, const char *when, const char *decision)
{
	struct event *e = ev(fx, when, "triage");

	if (decision)
		event_set(e, "decision", decision);
}

static void expect_due(const struct dcase *c, enum due_kind k,
	const char *want)
{
	char buf[TS_BUFSZ];

	if (!(c->due.has & (1u << k)))
		fail_msg("no %s deadline, want %s", due_names[k], want);
	ts_format(buf, c->due.at[k]);
	if (strcmp(buf, want))
		fail_msg("%s: %s, want %s", due_names[k], buf, want);
}

static void expect_no_due(const struct dcase *c, enum due_kind k)
{
	if (c->due.has & (1u << k))
		fail_msg("unexpected %s deadline", due_names[k]);
}

/* Wed 30 Sep 10:00: Oct 1-7 are holidays, Oct 10 a make-up Saturday. */
static void test_deadline__received_counts_ack_and_feedback_only(void **state)
{
	struct fx *fx = *state;

	receive(fx, "2026-09-30T10:00:00+08:00");
	assert_int_equal(deadline_recompute(&fx->cfg, &fx->c), 0);
	expect_due(&fx->c, DUE_ACK, "2026-10-08T23:59:59+08:00");
	expect_due(&fx->c, DUE_FEEDBACK, "2026-10-10T23:59:59+08:00");
	expect_no_due(&fx->c, DUE_RESOLVE);
}

/* 15wd from the acceptance, not from receipt: Oct 8, 9, 10 (make-up),
 * 12-16, 19-23, 26, 27. */
static void test_deadline__accept_sets_resolve_15wd_from_accept(void **state)
{
	struct fx *fx = *state;

	receive(fx, "2026-09-28T10:00:00+08:00");
	triage(fx, "2026-09-30T11:00:00+08:00", "accept");
	assert_int_equal(deadline_recompute(&fx->cfg, &fx->c), 0);
	expect_due(&fx->c, DUE_RESOLVE, "2026-10-27T23:59:59+08:00");
}

static void test_deadline__start_day_not_counted_even_late(void **state)
{
	struct fx *fx = *state;

	/* Mon 2 Nov 23:30: Nov 3-6, 9-13, 16-20, 23 */
	receive(fx, "2026-11-02T09:00:00+08:00");
	triage(fx, "2026-11-02T23:30:00+08:00", "accept");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_RESOLVE, "2026-11-23T23:59:59+08:00");
}

static void test_deadline__urgent_rule_gives_3wd(void **state)
{
	struct fx *fx = *state;

	set_str(&fx->c.priority, "urgent");
	receive(fx, "2026-09-30T10:00:00+08:00");
	triage(fx, "2026-09-30T11:00:00+08:00", "accept");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_RESOLVE, "2026-10-10T23:59:59+08:00");
	/* the rule touches resolve only */
	expect_due(&fx->c, DUE_FEEDBACK, "2026-10-10T23:59:59+08:00");
}

/* A category rule matches the category's children too. */
static void test_deadline__category_rule_matches_children(void **state)
{
	struct fx *fx = *state;

	set_str(&fx->c.category, "fertilizer/fake");
	receive(fx, "2026-11-02T09:00:00+08:00");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_FEEDBACK, "2026-11-03T23:59:59+08:00");
	set_str(&fx->c.category, "seeds");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_FEEDBACK, "2026-11-05T23:59:59+08:00");
}

/*
 * Tue 29 Sep received; need-info the same afternoon; the material comes
 * with the acceptance on Fri 9 Oct.  Working days stopped in (Sep 29,
 * Oct 9]: Sep 30, Oct 8, Oct 9.  Feedback (3wd: Sep 30, Oct 8, 9) moves
 * by 3 to Oct 10 (make-up), 12, 13.  Ack was met by need-info and
 * stays; resolve counts from the acceptance (Oct 10, 12-16, 19-23, 26-29).
 */
static void test_deadline__need_info_across_national_day(void **state)
{
	struct fx *fx = *state;

	receive(fx, "2026-09-29T10:00:00+08:00");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_FEEDBACK, "2026-10-09T23:59:59+08:00");
	triage(fx, "2026-09-29T15:00:00+08:00", "need-info");
	deadline_recompute(&fx->cfg, &fx->c);
	/* still stopped: nothing moves yet */
	expect_due(&fx->c, DUE_FEEDBACK, "2026-10-09T23:59:59+08:00");
	triage(fx, "2026-10-09T10:00:00+08:00", "accept");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_ACK, "2026-09-30T23:59:59+08:00");
	expect_due(&fx->c, DUE_FEEDBACK, "2026-10-13T23:59:59+08:00");
	expect_due(&fx->c, DUE_RESOLVE, "2026-10-29T23:59:59+08:00");
}

/* The clock restarts with a note --info-received as well. */
static void test_deadline__info_received_note_ends_stop(void **state)
{
	struct fx *fx = *state;
	struct event *e;

	receive(fx, "2026-09-29T10:00:00+08:00");
	triage(fx, "2026-09-29T15:00:00+08:00", "need-info");
	e = ev(fx, "2026-10-08T09:00:00+08:00", "note");
	event_set(e, "text", "发票已补交");
	event_set(e, "info_received", "true");
	deadline_recompute(&fx->cfg, &fx->c);
	/* stopped: Sep 30, Oct 8 -> Oct 9 + 2wd = Oct 10, 12 */
	expect_due(&fx->c, DUE_FEEDBACK, "2026-10-12T23:59:59+08:00");
}

static void test_deadline__same_day_stop_moves_nothing(void **state)
{
	struct fx *fx = *state;
	struct event *e;

	receive(fx, "2026-11-02T09:00:00+08:00");
	triage(fx, "2026-11-02T10:00:00+08:00", "need-info");
	e = ev(fx, "2026-11-02T16:00:00+08:00", "note");
	event_set(e, "info_received", "true");
	triage(fx, "2026-11-02T17:00:00+08:00", "accept");
	ev(fx, "2026-11-03T09:00:00+08:00", "assign");
	ev(fx, "2026-11-04T09:00:00+08:00", "hold");
	ev(fx, "2026-11-04T18:00:00+08:00", "resume");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_FEEDBACK, "2026-11-05T23:59:59+08:00");
	/* Nov 3-6, 9-13, 16-20, 23 */
	expect_due(&fx->c, DUE_RESOLVE, "2026-11-23T23:59:59+08:00");
}

/* Hold Thu 5 Nov, resume Tue 10 Nov: Nov 6, 9, 10 stopped. */
static void test_deadline__hold_moves_resolve_by_held_workdays(void **state)
{
	struct fx *fx = *state;

	receive(fx, "2026-11-02T09:00:00+08:00");
	triage(fx, "2026-11-02T10:00:00+08:00", "accept");
	ev(fx, "2026-11-03T09:00:00+08:00", "assign");
	ev(fx, "2026-11-05T09:00:00+08:00", "hold");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_RESOLVE, "2026-11-23T23:59:59+08:00");
	ev(fx, "2026-11-10T09:00:00+08:00", "resume");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_RESOLVE, "2026-11-26T23:59:59+08:00");
}

/* An Nh deadline moves by the stopped clock time, not by days. */
static void test_deadline__hours_deadline_moves_by_stopped_hours(void **state)
{
	struct fx *fx = *state;
	struct event *e;

	fx->c.kind = KIND_REPORT;
	receive(fx, "2026-11-02T09:00:00+08:00");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_FEEDBACK, "2026-11-03T09:00:00+08:00");
	triage(fx, "2026-11-02T10:00:00+08:00", "need-info");
	e = ev(fx, "2026-11-02T16:30:00+08:00", "note");
	event_set(e, "info_received", "true");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_FEEDBACK, "2026-11-03T15:30:00+08:00");
}

static void test_deadline__reclassify_recomputes_unmet(void **state)
{
	struct fx *fx = *state;

	receive(fx, "2026-11-02T09:00:00+08:00");
	triage(fx, "2026-11-02T10:00:00+08:00", "accept");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_RESOLVE, "2026-11-23T23:59:59+08:00");
	set_str(&fx->c.priority, "urgent");
	triage(fx, "2026-11-03T10:00:00+08:00", NULL);
	deadline_recompute(&fx->cfg, &fx->c);
	/* 3wd from the acceptance, not from the reclassification */
	expect_due(&fx->c, DUE_RESOLVE, "2026-11-05T23:59:59+08:00");
}

static void test_deadline__assign_due_survives_reclassify(void **state)
{
	struct fx *fx = *state;
	struct event *e;

	receive(fx, "2026-11-02T09:00:00+08:00");
	triage(fx, "2026-11-02T10:00:00+08:00", "accept");
	e = ev(fx, "2026-11-02T11:00:00+08:00", "assign");
	event_set(e, "department", "soil-station");
	event_set(e, "due", "2026-11-30T23:59:59+08:00");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_RESOLVE, "2026-11-30T23:59:59+08:00");
	set_str(&fx->c.priority, "urgent");
	triage(fx, "2026-11-03T10:00:00+08:00", NULL);
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_RESOLVE, "2026-11-30T23:59:59+08:00");
	/* a transfer without --due keeps it too */
	e = ev(fx, "2026-11-04T10:00:00+08:00", "assign");
	event_set(e, "transfer", "true");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_RESOLVE, "2026-11-30T23:59:59+08:00");
}

/* extend fixes resolve; a later hold still moves it. */
static void test_deadline__extend_sets_resolve(void **state)
{
	struct fx *fx = *state;
	struct event *e;

	receive(fx, "2026-11-02T09:00:00+08:00");
	triage(fx, "2026-11-02T10:00:00+08:00", "accept");
	ev(fx, "2026-11-02T11:00:00+08:00", "assign");
	e = ev(fx, "2026-11-20T10:00:00+08:00", "extend");
	event_set(e, "due", "2026-12-21T23:59:59+08:00");
	event_set(e, "extend_by", "20wd");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_RESOLVE, "2026-12-21T23:59:59+08:00");
	ev(fx, "2026-12-01T10:00:00+08:00", "hold");
	ev(fx, "2026-12-03T10:00:00+08:00", "resume");
	deadline_recompute(&fx->cfg, &fx->c);
	/* Dec 2, 3 stopped */
	expect_due(&fx->c, DUE_RESOLVE, "2026-12-23T23:59:59+08:00");
}

/* A reopening counts resolve afresh and drops an earlier fixed date. */
static void test_deadline__reopen_restarts_resolve(void **state)
{
	struct fx *fx = *state;
	struct event *e;

	receive(fx, "2026-11-02T09:00:00+08:00");
	triage(fx, "2026-11-02T10:00:00+08:00", "accept");
	e = ev(fx, "2026-11-02T11:00:00+08:00", "assign");
	event_set(e, "due", "2026-11-13T23:59:59+08:00");
	ev(fx, "2026-11-10T16:00:00+08:00", "close");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_RESOLVE, "2026-11-13T23:59:59+08:00");
	assert_true(deadline_met(&fx->c, DUE_RESOLVE));
	ev(fx, "2026-11-20T10:00:00+08:00", "reopen");
	assert_false(deadline_met(&fx->c, DUE_RESOLVE));
	deadline_recompute(&fx->cfg, &fx->c);
	/* Nov 23-27, Nov 30-Dec 4, Dec 7-11 */
	expect_due(&fx->c, DUE_RESOLVE, "2026-12-11T23:59:59+08:00");
}

/* Met deadlines keep the value they had, whatever changes later. */
static void test_deadline__met_deadlines_keep_their_value(void **state)
{
	struct fx *fx = *state;
	struct event *e;

	receive(fx, "2026-11-02T09:00:00+08:00");
	deadline_recompute(&fx->cfg, &fx->c);
	triage(fx, "2026-11-02T10:00:00+08:00", "accept");
	e = ev(fx, "2026-11-03T10:00:00+08:00", "note");
	event_set(e, "contact", "phone");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_FEEDBACK, "2026-11-05T23:59:59+08:00");
	/* fertilizer would make feedback 1wd (Nov 3): it was met already */
	set_str(&fx->c.category, "fertilizer");
	triage(fx, "2026-11-04T10:00:00+08:00", NULL);
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_FEEDBACK, "2026-11-05T23:59:59+08:00");
	expect_due(&fx->c, DUE_ACK, "2026-11-03T23:59:59+08:00");
	/* and the received time itself no longer matters for them */
	fx->c.received_at = at("2026-11-01T09:00:00+08:00");
	deadline_recompute(&fx->cfg, &fx->c);
	expect_due(&fx->c, DUE_ACK, "2026-11-03T23:59:59+08:00");
}

static void test_deadline__met_by_each_kind(void **state)
{
	struct fx *fx = *state;
	struct event *e;
	struct ts t;

	receive(fx, "2026-11-02T09:00:00+08:00");
	assert_false(deadline_met(&fx->c, DUE_ACK));
	assert_false(deadline_met(&fx->c, DUE_FEEDBACK));
	assert_false(deadline_met(&fx->c, DUE_RESOLVE));
	/* reclassifying is no decision */
	triage(fx, "2026-11-02T09:30:00+08:00", NULL);
	assert_false(deadline_met(&fx->c, DUE_ACK));
	triage(fx, "2026-11-02T10:00:00+08:00", "accept");
	assert_true(deadline_met(&fx->c, DUE_ACK));
	assert_int_equal(deadline_met_at(&fx->c, DUE_ACK, &t), 0);
	assert_int_equal(ts_cmp(t, at("2026-11-02T10:00:00+08:00")), 0);
	/* a note without contact is no feedback */
	e = ev(fx, "2026-11-03T09:00:00+08:00", "note");
	event_set(e, "text", "查看现场");
	assert_false(deadline_met(&fx->c, DUE_FEEDBACK));
	e = ev(fx, "2026-11-03T11:00:00+08:00", "note");
	event_set(e, "contact", "phone");
	assert_true(deadline_met(&fx->c, DUE_FEEDBACK));
	assert_int_equal(deadline_met_at(&fx->c, DUE_FEEDBACK, &t), 0);
	assert_int_equal(ts_cmp(t, at("2026-11-03T11:00:00+08:00")), 0);
	assert_false(deadline_met(&fx->c, DUE_RESOLVE));
	assert_int_equal(deadline_met_at(&fx->c, DUE_RESOLVE, &t),
		ERR_NOTFOUND);
	ev(fx, "2026-11-10T16:00:00+08:00", "close");
	assert_true(deadline_met(&fx->c, DUE_RESOLVE));
}

static void test_deadline__reject_and_need_info_meet_ack(void **state)
{
	struct fx *fx = *state;

	receive(fx, "2026-11-02T09:00:00+08:00");
	triage(fx, "2026-11-02T10:00:00+08:00", "need-info");
	assert_true(deadline_met(&fx->c, DUE_ACK));
	case_release(&fx->c);
	case_init(&fx->c);
	receive(fx, "2026-11-02T09:00:00+08:00");
	triage(fx, "2026-11-02T10:00:00+08:00", "reject");
	assert_true(deadline_met(&fx->c, DUE_ACK));
	/* a rejection closes nothing: no feedback or resolve met */
	assert_false(deadline_met(&fx->c, DUE_FEEDBACK));
	assert_false(deadline_met(&fx->c, DUE_RESOLVE));
}

/* Closing meets feedback when no contact note came first. */
static void test_deadline__close_meets_feedback(void **state)
{
	struct fx *fx = *state;

	receive(fx, "2026-11-02T09:00:00+08:00");
	triage(fx, "2026-11-02T10:00:00+08:00", "accept");
	ev(fx, "2026-11-02T15:00:00+08:00", "close");
	assert_true(deadline_met(&fx->c, DUE_FEEDBACK));
	assert_true(deadline_met(&fx->c, DUE_RESOLVE));
}

/* A deadline in a year the calendar does not know is computed and the
 * year returned to warn about. */
static void test_deadline__unknown_year_is_reported(void **state)
{
	struct fx *fx = *state;

	receive(fx, "2026-12-21T09:00:00+08:00");
	triage(fx, "2026-12-21T10:00:00+08:00", "accept");
	assert_int_equal(deadline_recompute(&fx->cfg, &fx->c), 2027);
	/* Dec 22-25, 28-31, then 2027 weekdays only: Jan 1, 4-8, 11 */
	expect_due(&fx->c, DUE_RESOLVE, "2027-01-11T23:59:59+08:00");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_deadline__received_counts_ack_and_feedback_only),
		T(test_deadline__accept_sets_resolve_15wd_from_accept),
		T(test_deadline__start_day_not_counted_even_late),
		T(test_deadline__urgent_rule_gives_3wd),
		T(test_deadline__category_rule_matches_children),
		T(test_deadline__need_info_across_national_day),
		T(test_deadline__info_received_note_ends_stop),
		T(test_deadline__same_day_stop_moves_nothing),
		T(test_deadline__hold_moves_resolve_by_held_workdays),
		T(test_deadline__hours_deadline_moves_by_stopped_hours),
		T(test_deadline__reclassify_recomputes_unmet),
		T(test_deadline__assign_due_survives_reclassify),
		T(test_deadline__extend_sets_resolve),
		T(test_deadline__reopen_restarts_resolve),
		T(test_deadline__met_deadlines_keep_their_value),
		T(test_deadline__met_by_each_kind),
		T(test_deadline__reject_and_need_info_meet_ack),
		T(test_deadline__close_meets_feedback),
		T(test_deadline__unknown_year_is_reported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
