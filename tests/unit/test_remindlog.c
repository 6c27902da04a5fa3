/*
 * test_remindlog.c - the journal of a `remind --mail` run: what a run
 * writes reads back the same, progress lines set each recipient's state,
 * a torn last line is ignored and anything else is refused by line.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "remindlog.h"

static struct ts at(const char *s)
{
	struct ts t;

	assert_int_equal(ts_parse(&t, s), 0);
	return t;
}

/* The plan of a run: two reminders of one case, one of another. */
static void plan(struct remindlog *l)
{
	remindlog_init(l, at("2026-10-10T07:30:00+08:00"), "chen.jing");
	remindlog_add(l, "2026-000001", DUE_ACK,
		at("2026-09-29T23:59:59+08:00"), 2, "chen.jing");
	remindlog_add(l, "2026-000001", DUE_ACK,
		at("2026-09-29T23:59:59+08:00"), 2, "liu.yang");
	remindlog_add(l, "2026-000002", DUE_FEEDBACK,
		at("2026-10-09T23:59:59+08:00"), 1, "sun.li");
}

static void test_remindlog__plan_reads_back(void **state)
{
	struct remindlog l, back;
	struct sb text = SB_INIT;
	struct diag d = DIAG_INIT;

	(void)state;
	plan(&l);
	remindlog_format(&text, &l);
	assert_string_equal(text.buf,
		"docket-remind 1\n"
		"at 2026-10-10T07:30:00+08:00\n"
		"by chen.jing\n"
		"remind 2026-000001 ack 2026-09-29T23:59:59+08:00 2 chen.jing\n"
		"remind 2026-000001 ack 2026-09-29T23:59:59+08:00 2 liu.yang\n"
		"remind 2026-000002 feedback 2026-10-09T23:59:59+08:00 1 "
		"sun.li\n");
	assert_int_equal(remindlog_parse(&back, text.buf, text.len, "j", &d),
		0);
	assert_int_equal(back.n, 3);
	assert_string_equal(back.actor, "chen.jing");
	assert_int_equal(ts_cmp(back.at, l.at), 0);
	assert_string_equal(back.v[2].id, "2026-000002");
	assert_int_equal(back.v[2].kind, DUE_FEEDBACK);
	assert_int_equal(back.v[2].level, 1);
	assert_int_equal(back.v[0].state, RL_PLANNED);
	remindlog_release(&back);
	remindlog_release(&l);
	sb_release(&text);
	diag_release(&d);
}

static void test_remindlog__progress_sets_states(void **state)
{
	struct remindlog l, back;
	struct sb text = SB_INIT;
	struct diag d = DIAG_INIT;

	(void)state;
	plan(&l);
	remindlog_format(&text, &l);
	remindlog_progress(&text, "chen.jing", RL_TRYING);
	remindlog_progress(&text, "chen.jing", RL_SENT);
	remindlog_progress(&text, "liu.yang", RL_TRYING);
	remindlog_progress(&text, "liu.yang", RL_FAILED);
	remindlog_progress(&text, "sun.li", RL_TRYING);
	/* the run died writing this line: it does not count */
	sb_adds(&text, "sent sun");
	assert_int_equal(remindlog_parse(&back, text.buf, text.len, "j", &d),
		0);
	assert_int_equal(back.v[0].state, RL_SENT);
	assert_int_equal(back.v[1].state, RL_FAILED);
	assert_int_equal(back.v[2].state, RL_TRYING);
	assert_true(remindlog_mailed(&back.v[0]));
	assert_false(remindlog_mailed(&back.v[1]));
	assert_true(remindlog_mailed(&back.v[2]));
	remindlog_release(&back);
	remindlog_release(&l);
	sb_release(&text);
	diag_release(&d);
}

static void test_remindlog__garbage_is_refused_by_line(void **state)
{
	static const char *const bad[] = {
		"docket-remind 2\nat 2026-10-10T07:30:00+08:00\nby x\n",
		"docket-remind 1\nat yesterday\nby x\n",
		"docket-remind 1\nat 2026-10-10T07:30:00+08:00\nby x\n"
		"remind 2026-000001 nope 2026-09-29T23:59:59+08:00 2 a\n",
		"docket-remind 1\nat 2026-10-10T07:30:00+08:00\nby x\n"
		"remind 2026-000001 ack 2026-09-29T23:59:59+08:00 3 a\n",
		"docket-remind 1\nat 2026-10-10T07:30:00+08:00\nby x\n"
		"remind 2026-000001 ack 2026-09-29T23:59:59+08:00 2 a b\n",
		"docket-remind 1\nat 2026-10-10T07:30:00+08:00\nby x\n"
		"sent\n",
		"docket-remind 1\nat 2026-10-10T07:30:00+08:00\n",
		"",
	};
	struct remindlog l;
	struct diag d = DIAG_INIT;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		diag_clear(&d);
		assert_int_equal(remindlog_parse(&l, bad[i], strlen(bad[i]),
			".git/docket-remind", &d), ERR_INVALID);
		assert_int_equal(d.n, 1);
		assert_non_null(strstr(d.msg[0], ".git/docket-remind"));
		remindlog_release(&l);
	}
	diag_release(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_remindlog__plan_reads_back),
		cmocka_unit_test(test_remindlog__progress_sets_states),
		cmocka_unit_test(test_remindlog__garbage_is_refused_by_line),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
