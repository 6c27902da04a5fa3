/*
 * test_workflow.c - the state table of DESIGN section 4: every (status,
 * action) pair is allowed or refused as written there, leads to the right
 * status, and a refusal names the status and the commands it allows.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "workflow.h"

#define R ST_RECEIVED
#define P ST_PENDING_INFO
#define A ST_ACCEPTED
#define G ST_ASSIGNED
#define H ST_ON_HOLD
#define C ST_CLOSED
#define J ST_REJECTED
#define NO (-1)		/* refused */
#define SAME (-2)	/* allowed, status unchanged */

/*
 * The expected table, written out from DESIGN section 4 and the header
 * comment of workflow.h: for each action, the status it leads to from
 * each status (received, pending-info, accepted, assigned, on-hold,
 * closed, rejected), NO where it is refused.
 */
static const int expect[WF__COUNT][ST__COUNT] = {
	/*                 R     P     A     G     H     C     J  */
	[WF_ACCEPT]    = { A,    A,    NO,   NO,   NO,   NO,   NO },
	[WF_NEED_INFO] = { P,    NO,   NO,   NO,   NO,   NO,   NO },
	[WF_REJECT]    = { J,    J,    J,    NO,   NO,   NO,   NO },
	[WF_CLASSIFY]  = { SAME, SAME, SAME, SAME, SAME, NO,   NO },
	[WF_ASSIGN]    = { NO,   NO,   G,    NO,   NO,   NO,   NO },
	[WF_TRANSFER]  = { NO,   NO,   NO,   G,    NO,   NO,   NO },
	[WF_RETURN]    = { NO,   NO,   NO,   A,    NO,   NO,   NO },
	[WF_HOLD]      = { NO,   NO,   NO,   H,    NO,   NO,   NO },
	[WF_RESUME]    = { NO,   NO,   NO,   NO,   G,    NO,   NO },
	[WF_EXTEND]    = { NO,   NO,   SAME, SAME, SAME, NO,   NO },
	[WF_CLOSE]     = { NO,   NO,   C,    C,    NO,   NO,   NO },
	[WF_WITHDRAW]  = { C,    C,    C,    C,    C,    NO,   NO },
	[WF_MERGE]     = { C,    C,    C,    C,    C,    NO,   NO },
	[WF_REOPEN]    = { NO,   NO,   NO,   NO,   NO,   G,    NO },
	[WF_NOTE]      = { SAME, SAME, SAME, SAME, SAME, SAME, SAME },
	[WF_FEEDBACK]  = { NO,   NO,   NO,   NO,   NO,   SAME, NO },
};

static void case_in(struct dcase *c, enum case_status st)
{
	case_init(c);
	c->id = strdup("2026-000123");
	c->status = st;
}

static void test_workflow__every_pair_follows_the_table(void **state)
{
	int a, s;

	(void)state;
	for (a = 0; a < WF__COUNT; a++) {
		for (s = 0; s < ST__COUNT; s++) {
			int want = expect[a][s];
			int got = wf_allowed((enum case_status)s,
				(enum wf_action)a);

			if (got != (want != NO))
				fail_msg("%s from %s: allowed=%d, want %d",
					wf_command((enum wf_action)a),
					case_status_name((enum case_status)s),
					got, want != NO);
			if (want == NO)
				continue;
			assert_int_equal(wf_target((enum case_status)s,
				(enum wf_action)a), want == SAME ? s : want);
		}
	}
}

static void test_workflow__check_agrees_with_allowed(void **state)
{
	struct diag d = DIAG_INIT;
	struct dcase c;
	int a, s, r;

	(void)state;
	for (s = 0; s < ST__COUNT; s++) {
		case_in(&c, (enum case_status)s);
		for (a = 0; a < WF__COUNT; a++) {
			r = wf_check(&d, &c, (enum wf_action)a);
			if (expect[a][s] == NO) {
				assert_int_equal(r, ERR_TRANSITION);
				assert_int_equal(d.n, 1);
			} else {
				assert_int_equal(r, 0);
				assert_int_equal(d.n, 0);
			}
			diag_clear(&d);
		}
		case_release(&c);
	}
	diag_release(&d);
}

/* Every refusal names the case, its status, the refused command and
 * every command the status allows (note aside, which is always allowed). */
static void test_workflow__refusal_names_status_and_allowed(void **state)
{
	struct diag d = DIAG_INIT;
	struct dcase c;
	int a, s, b;

	(void)state;
	for (s = 0; s < ST__COUNT; s++) {
		case_in(&c, (enum case_status)s);
		for (a = 0; a < WF__COUNT; a++) {
			const char *m;

			if (expect[a][s] != NO)
				continue;
			assert_int_equal(wf_check(&d, &c, (enum wf_action)a),
				ERR_TRANSITION);
			m = d.msg[0];
			assert_non_null(strstr(m, "2026-000123"));
			assert_non_null(strstr(m, case_status_name(
				(enum case_status)s)));
			assert_non_null(strstr(m, wf_command(
				(enum wf_action)a)));
			for (b = 0; b < WF__COUNT; b++)
				if (b != WF_NOTE && expect[b][s] != NO &&
				    !strstr(m, wf_command((enum wf_action)b)))
					fail_msg("'%s' does not name '%s'", m,
						wf_command((enum wf_action)b));
			diag_clear(&d);
		}
		case_release(&c);
	}
	diag_release(&d);
}

static void test_workflow__closed_refusal_message_is_exact(void **state)
{
	struct diag d = DIAG_INIT;
	struct dcase c;

	(void)state;
	case_in(&c, ST_CLOSED);
	assert_int_equal(wf_check(&d, &c, WF_ASSIGN), ERR_TRANSITION);
	assert_string_equal(d.msg[0], "case 2026-000123 is closed, which "
		"does not allow 'assign'; from closed it allows: "
		"reopen, feedback");
	diag_release(&d);
	case_release(&c);
}

static void test_workflow__rejected_allows_only_note(void **state)
{
	struct diag d = DIAG_INIT;
	struct dcase c;

	(void)state;
	case_in(&c, ST_REJECTED);
	assert_int_equal(wf_check(&d, &c, WF_REOPEN), ERR_TRANSITION);
	assert_non_null(strstr(d.msg[0], "from rejected it allows: note"));
	diag_release(&d);
	case_release(&c);
}

static void test_workflow__commands_are_named(void **state)
{
	int a;

	(void)state;
	for (a = 0; a < WF__COUNT; a++)
		assert_true(strlen(wf_command((enum wf_action)a)) > 0);
	assert_string_equal(wf_command(WF_ACCEPT), "triage --accept");
	assert_string_equal(wf_command(WF_RETURN), "assign --return");
	assert_string_equal(wf_command(WF__COUNT), "?");
	assert_false(wf_allowed(ST_RECEIVED, WF__COUNT));
}

#define T(name) cmocka_unit_test(name)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_workflow__every_pair_follows_the_table),
		T(test_workflow__check_agrees_with_allowed),
		T(test_workflow__refusal_names_status_and_allowed),
		T(test_workflow__closed_refusal_message_is_exact),
		T(test_workflow__rejected_allows_only_note),
		T(test_workflow__commands_are_named),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
