/*
 * test_casemerge.c - the field-level merge of a case file: events united
 * and ordered, fields merged three ways, the same bytes whichever side
 * merges, decisions on both sides flagged, two cases under one id refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "casemerge.h"

#define HEAD \
	"id: 2026-000001\n" \
	"kind: complaint\n"
#define BODY(subject) \
	"subject: " subject "\n" \
	"channel: phone\n" \
	"received_at: 2026-12-02T09:00:00+08:00\n" \
	"received_by: zhang.wei\n" \
	"complainant:\n" \
	"  phone: \"13800138000\"\n" \
	"  anonymous: false\n" \
	"  count: 1\n" \
	"description: x\n" \
	"priority: normal\n"
#define FILED \
	"events:\n" \
	"  - {at: 2026-12-02T09:00:00+08:00, by: zhang.wei, action: file}\n"
#define NOTE(t, who, text) \
	"  - {at: 2026-12-02T" t "+08:00, by: " who ", action: note, " \
	"text: " text "}\n"
#define CLOSE(t, outcome) \
	"  - {at: 2026-12-02T" t "+08:00, by: chen.jing, action: close, " \
	"outcome: " outcome "}\n"

static const char base[] = HEAD "status: received\n" BODY("化肥假冒") FILED;

static char *merge(const char *b, const char *o, const char *t,
	struct casemerge_info *info, int *ret)
{
	struct sb out = SB_INIT;
	struct diag d = DIAG_INIT;

	*ret = case_merge3(&out, b, b ? strlen(b) : 0, o, strlen(o), t,
		strlen(t), "cases/2026/000/2026-000001.yaml", info, &d);
	diag_release(&d);
	return sb_detach(&out, NULL);
}

/* Merge both ways round; the two results must be the same bytes. */
static char *merge_both(const char *b, const char *o, const char *t,
	struct casemerge_info *info)
{
	struct casemerge_info i2;
	char *one, *two;
	int r1, r2;

	one = merge(b, o, t, info, &r1);
	two = merge(b, t, o, &i2, &r2);
	assert_int_equal(r1, 0);
	assert_int_equal(r2, 0);
	assert_string_equal(one, two);
	assert_int_equal(info->changed_both, i2.changed_both);
	assert_int_equal(info->decided_twice, i2.decided_twice);
	free(two);
	return one;
}

static void test_notes_on_both_sides_are_united_in_time_order(void **st)
{
	const char *o = HEAD "status: received\n" BODY("化肥假冒") FILED
		NOTE("11:00:00", "li.na", "A站");
	const char *t = HEAD "status: received\n" BODY("化肥假冒") FILED
		NOTE("10:00:00", "wang.fang", "B站");
	struct casemerge_info info;
	char *m = merge_both(base, o, t, &info);
	char *a = strstr(m, "B站"), *b = strstr(m, "A站");

	(void)st;
	assert_non_null(a);
	assert_non_null(b);
	assert_true(a < b);
	assert_int_equal(info.changed_both, 0);
	assert_null(strstr(m, "action: sync"));
	free(m);
}

/* Notes made the very second the case was filed (two sites, one clock
 * second) stay after the filing, whatever their text sorts like. */
static void test_a_note_of_the_filing_second_stays_after_it(void **st)
{
	const char *o = HEAD "status: received\n" BODY("化肥假冒") FILED
		NOTE("09:00:00", "a.early", "A站");
	const char *t = HEAD "status: received\n" BODY("化肥假冒") FILED
		NOTE("09:00:00", "aa.early", "B站");
	struct casemerge_info info;
	char *m = merge_both(base, o, t, &info);
	char *file = strstr(m, "action: file");
	char *a = strstr(m, "A站"), *b = strstr(m, "B站");

	(void)st;
	assert_non_null(file);
	assert_non_null(a);
	assert_non_null(b);
	assert_true(file < a);
	assert_true(file < b);
	free(m);
}

static void test_a_field_changed_on_one_side_is_taken(void **st)
{
	const char *o = HEAD "status: received\n" BODY("假冒化肥坑农") FILED;
	const char *t = HEAD "status: received\n" BODY("化肥假冒") FILED
		NOTE("10:00:00", "wang.fang", "B站");
	struct casemerge_info info;
	char *m = merge_both(base, o, t, &info);

	(void)st;
	assert_non_null(strstr(m, "subject: 假冒化肥坑农\n"));
	assert_non_null(strstr(m, "B站"));
	assert_int_equal(info.changed_both, 0);
	free(m);
}

static void test_both_changed_later_wins_and_the_other_is_kept(void **st)
{
	const char *o = HEAD "status: received\n" BODY("甲说法") FILED
		NOTE("10:00:00", "li.na", "改标题");
	const char *t = HEAD "status: received\n" BODY("乙说法") FILED
		NOTE("11:00:00", "wang.fang", "也改标题");
	struct casemerge_info info;
	char *m = merge_both(base, o, t, &info);

	(void)st;
	assert_non_null(strstr(m, "subject: 乙说法\n"));
	assert_non_null(strstr(m, "action: sync"));
	assert_non_null(strstr(m, "other_subject: 甲说法"));
	assert_int_equal(info.changed_both, 1);
	free(m);
}

static void test_two_decisions_are_flagged(void **st)
{
	const char *o = HEAD "status: received\n" BODY("化肥假冒") FILED
		CLOSE("10:00:00", "withdrawn");
	const char *t = HEAD "status: received\n" BODY("化肥假冒") FILED
		CLOSE("11:00:00", "withdrawn");
	struct casemerge_info info;
	char *m = merge_both(base, o, t, &info);

	(void)st;
	assert_int_equal(info.decided_twice, 1);
	assert_non_null(strstr(m, "decided_twice: "));
	free(m);
}

static void test_merging_again_changes_nothing(void **st)
{
	const char *o = HEAD "status: received\n" BODY("甲说法") FILED
		NOTE("10:00:00", "li.na", "改标题");
	const char *t = HEAD "status: received\n" BODY("乙说法") FILED
		NOTE("11:00:00", "wang.fang", "也改标题");
	struct casemerge_info info;
	char *m = merge_both(base, o, t, &info);
	char *again = merge_both(o, m, m, &info);

	(void)st;
	assert_string_equal(m, again);
	free(again);
	free(m);
}

static void test_two_cases_under_one_id_are_refused(void **st)
{
	const char *o = HEAD "status: received\n" BODY("甲") FILED;
	const char *t = HEAD "status: received\n" BODY("乙")
		"events:\n"
		"  - {at: 2026-12-02T09:30:00+08:00, by: wang.fang, "
		"action: file}\n";
	struct casemerge_info info;
	int ret;
	char *m = merge(NULL, o, t, &info, &ret);

	(void)st;
	assert_int_equal(ret, ERR_CONFLICT);
	free(m);
}

static void test_an_invalid_side_is_refused(void **st)
{
	struct casemerge_info info;
	int ret;
	char *m = merge(base, base, "id: [\n", &info, &ret);

	(void)st;
	assert_int_equal(ret, ERR_INVALID);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			test_notes_on_both_sides_are_united_in_time_order),
		cmocka_unit_test(
			test_a_note_of_the_filing_second_stays_after_it),
		cmocka_unit_test(test_a_field_changed_on_one_side_is_taken),
		cmocka_unit_test(
			test_both_changed_later_wins_and_the_other_is_kept),
		cmocka_unit_test(test_two_decisions_are_flagged),
		cmocka_unit_test(test_merging_again_changes_nothing),
		cmocka_unit_test(test_two_cases_under_one_id_are_refused),
		cmocka_unit_test(test_an_invalid_side_is_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
