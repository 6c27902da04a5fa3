/*
 * test_calendar.c - timestamps, dates, durations, working days, deadlines.
 *
 * The deadline tables were worked out by hand against the calendar of
 * DESIGN section 5: Asia/Shanghai, Monday to Friday, China's 2026
 * holidays and make-up days.  Weekdays used below: 2026-01-01 Thu,
 * 02-13 Fri, 02-14 Sat (make-up), 02-15..23 Sun..Mon (Spring Festival),
 * 02-28 Sat (make-up), 05-01..05 Fri..Tue, 05-09 Sat (make-up), 06-19
 * Fri, 09-20 Sun (make-up), 09-30 Wed, 10-01..07 Thu..Wed, 10-10 Sat
 * (make-up), 11-28 Sat, 12-31 Thu, 2027-01-01 Fri, 2028-02-29 Tue.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "calendar.h"
#include "util.h"

static struct date D(int y, int m, int d)
{
	struct date r = { y, m, d };

	return r;
}

/* The calendar block of DESIGN section 5. */
static void china_2026(struct calendar *cal)
{
	static const char *const ranges[][2] = {
		{ "2026-01-01", "2026-01-03" }, { "2026-02-15", "2026-02-23" },
		{ "2026-04-04", "2026-04-06" }, { "2026-05-01", "2026-05-05" },
		{ "2026-06-19", "2026-06-21" }, { "2026-09-25", "2026-09-27" },
		{ "2026-10-01", "2026-10-07" }
	};
	static const char *const extra[] = {
		"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09",
		"2026-09-20", "2026-10-10"
	};
	struct date a, b;

	cal_init(cal);
	assert_int_equal(cal_set_tz(cal, "Asia/Shanghai"), 0);
	for (size_t i = 0; i < ARRAY_SIZE(ranges); i++) {
		assert_int_equal(date_parse(&a, ranges[i][0]), 0);
		assert_int_equal(date_parse(&b, ranges[i][1]), 0);
		cal_add_holidays(cal, a, b);
	}
	for (size_t i = 0; i < ARRAY_SIZE(extra); i++) {
		assert_int_equal(date_parse(&a, extra[i]), 0);
		cal_add_extra(cal, a);
	}
	cal_finish(cal);
}

static int setup(void **state)
{
	struct calendar *cal = xcalloc(1, sizeof(*cal));

	china_2026(cal);
	*state = cal;
	return 0;
}

static int teardown(void **state)
{
	cal_release(*state);
	free(*state);
	return 0;
}

/* Format ts for comparison; the string shows both instant and offset. */
static const char *fmt(char buf[TS_BUFSZ], struct ts ts)
{
	ts_format(buf, ts);
	return buf;
}

static struct ts parse_ts(const char *s)
{
	struct ts ts;

	if (ts_parse(&ts, s) != 0)
		fail_msg("cannot parse timestamp '%s'", s);
	return ts;
}

/* Timestamps and dates are formatted by hand: every field, both signs
 * of the offset, the first and last of a day, a year out of range. */
static void test_calendar__format_by_hand(void **state)
{
	char buf[TS_BUFSZ], d[DATE_BUFSZ];
	struct ts ts;

	(void)state;
	ts = parse_ts("2026-01-05T09:07:03+08:00");
	assert_string_equal(fmt(buf, ts), "2026-01-05T09:07:03+08:00");
	ts = parse_ts("2026-12-31T23:59:59-05:30");
	assert_string_equal(fmt(buf, ts), "2026-12-31T23:59:59-05:30");
	ts = parse_ts("0001-01-01T00:00:00+00:00");
	assert_string_equal(fmt(buf, ts), "0001-01-01T00:00:00+00:00");
	date_format(d, (struct date){ 12345, 6, 7 });
	assert_string_equal(d, "12345-06-07");
	date_format(d, (struct date){ 7, 10, 1 });
	assert_string_equal(d, "0007-10-01");
}

struct deadline_case {
	const char *start;
	const char *dur;
	const char *want;
};

/* Run a table of cal_add cases; report every wrong row, then fail once. */
static void run_deadlines(const struct calendar *cal,
	const struct deadline_case *cases, size_t n)
{
	char buf[TS_BUFSZ];
	int bad = 0;

	for (size_t i = 0; i < n; i++) {
		struct duration dur;
		struct ts got;

		if (duration_parse(&dur, cases[i].dur) != 0)
			fail_msg("cannot parse duration '%s'", cases[i].dur);
		got = cal_add(cal, parse_ts(cases[i].start), dur);
		if (strcmp(fmt(buf, got), cases[i].want) != 0) {
			print_error("%s + %s: got %s, want %s\n",
				cases[i].start, cases[i].dur, buf,
				cases[i].want);
			bad++;
		}
	}
	assert_int_equal(bad, 0);
}

/* start, duration, deadline under the calendar of DESIGN section 5 */
static const struct deadline_case china_cases[] = {
	/* DESIGN section 6, exactly. */
	{ "2026-09-30T10:00:00+08:00", "1wd", "2026-10-08T23:59:59+08:00" },
	{ "2026-09-30T10:00:00+08:00", "3wd", "2026-10-10T23:59:59+08:00" },
	{ "2026-09-30T10:00:00+08:00", "5d", "2026-10-08T23:59:59+08:00" },
	/* Oct 8, 9, 10 (make-up), 12..16, 19..23, 26, 27. */
	{ "2026-09-30T10:00:00+08:00", "15wd", "2026-10-27T23:59:59+08:00" },
	{ "2026-09-30T10:00:00+08:00", "0wd", "2026-09-30T23:59:59+08:00" },
	{ "2026-09-30T10:00:00+08:00", "0d", "2026-09-30T23:59:59+08:00" },
	/* Received on a holiday: 0wd is the next working day. */
	{ "2026-10-01T09:00:00+08:00", "0wd", "2026-10-08T23:59:59+08:00" },
	/* ... and so is 0d, as 1d and 3d move (Art. 203). */
	{ "2026-10-01T09:00:00+08:00", "0d", "2026-10-08T23:59:59+08:00" },
	{ "2026-10-03T09:00:00+08:00", "1d", "2026-10-08T23:59:59+08:00" },
	/* A make-up Saturday is a working day: 0d stays on it. */
	{ "2026-10-10T09:00:00+08:00", "0d", "2026-10-10T23:59:59+08:00" },
	/* Sat 2026-11-28: 0d moves to Mon 11-30. */
	{ "2026-11-28T09:00:00+08:00", "0d", "2026-11-30T23:59:59+08:00" },
	{ "2026-10-01T09:00:00+08:00", "8h", "2026-10-01T17:00:00+08:00" },
	{ "2026-10-01T09:00:00+08:00", "2wd", "2026-10-09T23:59:59+08:00" },
	/* Spring Festival: make-up Saturday 02-14, holidays to 02-23. */
	{ "2026-02-13T09:00:00+08:00", "1wd", "2026-02-14T23:59:59+08:00" },
	{ "2026-02-13T09:00:00+08:00", "2wd", "2026-02-24T23:59:59+08:00" },
	{ "2026-02-13T09:00:00+08:00", "3wd", "2026-02-25T23:59:59+08:00" },
	{ "2026-02-13T09:00:00+08:00", "1d", "2026-02-14T23:59:59+08:00" },
	{ "2026-02-13T09:00:00+08:00", "3d", "2026-02-24T23:59:59+08:00" },
	{ "2026-02-20T10:00:00+08:00", "1wd", "2026-02-24T23:59:59+08:00" },
	{ "2026-02-27T10:00:00+08:00", "1wd", "2026-02-28T23:59:59+08:00" },
	{ "2026-02-27T10:00:00+08:00", "2wd", "2026-03-02T23:59:59+08:00" },
	/* Feb 11..14, 24..28, Mar 2..6, 9. */
	{ "2026-02-10T10:00:00+08:00", "15wd", "2026-03-09T23:59:59+08:00" },
	/* May Day 05-01..05, make-up Saturday 05-09. */
	{ "2026-04-30T10:00:00+08:00", "1wd", "2026-05-06T23:59:59+08:00" },
	{ "2026-04-30T10:00:00+08:00", "4wd", "2026-05-09T23:59:59+08:00" },
	{ "2026-04-30T10:00:00+08:00", "5wd", "2026-05-11T23:59:59+08:00" },
	{ "2026-04-30T10:00:00+08:00", "5d", "2026-05-06T23:59:59+08:00" },
	{ "2026-05-08T10:00:00+08:00", "1d", "2026-05-09T23:59:59+08:00" },
	{ "2026-05-09T10:00:00+08:00", "1d", "2026-05-11T23:59:59+08:00" },
	/* Qingming, Dragon Boat, Mid-Autumn with make-up Sunday 09-20. */
	{ "2026-04-02T10:00:00+08:00", "2wd", "2026-04-07T23:59:59+08:00" },
	{ "2026-06-16T10:00:00+08:00", "3d", "2026-06-22T23:59:59+08:00" },
	{ "2026-09-18T10:00:00+08:00", "1wd", "2026-09-20T23:59:59+08:00" },
	{ "2026-09-24T10:00:00+08:00", "1wd", "2026-09-28T23:59:59+08:00" },
	/* Month and year ends; 2027 lists nothing: Monday to Friday. */
	{ "2026-01-30T10:00:00+08:00", "1wd", "2026-02-02T23:59:59+08:00" },
	{ "2026-12-31T10:00:00+08:00", "1wd", "2027-01-01T23:59:59+08:00" },
	{ "2026-12-31T10:00:00+08:00", "2wd", "2027-01-04T23:59:59+08:00" },
	{ "2026-12-30T10:00:00+08:00", "2d", "2027-01-01T23:59:59+08:00" },
	{ "2025-12-31T10:00:00+08:00", "1wd", "2026-01-04T23:59:59+08:00" },
	/* Leap days; years keep month and day, Feb 29 -> Feb 28. */
	{ "2028-02-28T10:00:00+08:00", "1d", "2028-02-29T23:59:59+08:00" },
	{ "2028-02-29T12:00:00+08:00", "1y", "2029-02-28T23:59:59+08:00" },
	{ "2028-02-29T12:00:00+08:00", "4y", "2032-02-29T23:59:59+08:00" },
	{ "2027-02-28T12:00:00+08:00", "1y", "2028-02-28T23:59:59+08:00" },
	{ "2026-05-20T10:00:00+08:00", "2y", "2028-05-20T23:59:59+08:00" },
	/* Hours across midnight and the UTC date line. */
	{ "2026-11-28T23:30:00+08:00", "2h", "2026-11-29T01:30:00+08:00" },
	{ "2026-11-28T07:30:00+08:00", "1h", "2026-11-28T08:30:00+08:00" },
	{ "2026-11-28T23:30:00Z", "2h", "2026-11-29T09:30:00+08:00" },
	{ "2026-11-28T23:30:00-05:00", "2h", "2026-11-29T14:30:00+08:00" },
	{ "2026-10-10T12:00:00+08:00", "24h", "2026-10-11T12:00:00+08:00" },
	/* Starts in another offset count from the Shanghai date:
	 * 02-13T20:00Z is Saturday 02-14 04:00 in Shanghai. */
	{ "2026-02-13T20:00:00Z", "1wd", "2026-02-24T23:59:59+08:00" },
	{ "2026-09-29T16:30:00Z", "1wd", "2026-10-08T23:59:59+08:00" },
	{ "2026-12-31T20:00:00-05:00", "1wd", "2027-01-04T23:59:59+08:00" },
	{ "2026-02-13T15:59:59Z", "1wd", "2026-02-14T23:59:59+08:00" },
};

static void test_calendar__deadlines_follow_china_2026(void **state)
{
	run_deadlines(*state, china_cases, ARRAY_SIZE(china_cases));
}

/*
 * New York, Monday to Friday, no holidays: a zone with daylight saving,
 * where the offset shown follows the deadline's instant, not the start.
 */
static const struct deadline_case dst_cases[] = {
	/* 2026-03-08 (Sunday) New York springs forward. */
	{ "2026-03-07T12:00:00-05:00", "24h", "2026-03-08T13:00:00-04:00" },
	{ "2026-03-07T12:00:00-05:00", "1d", "2026-03-09T23:59:59-04:00" },
	{ "2026-03-06T12:00:00-05:00", "1wd", "2026-03-09T23:59:59-04:00" },
	{ "2026-11-01T00:30:00-04:00", "2h", "2026-11-01T01:30:00-05:00" },
};

static void test_calendar__deadlines_follow_dst(void **state)
{
	struct calendar cal;

	(void)state;
	cal_init(&cal);
	assert_int_equal(cal_set_tz(&cal, "America/New_York"), 0);
	run_deadlines(&cal, dst_cases, ARRAY_SIZE(dst_cases));
	cal_release(&cal);
}

static void test_calendar__workdays_between_national_day(void **state)
{
	static const struct {
		struct date a, b;
		int want;
	} cases[] = {
		{ { 2026, 9, 30 }, { 2026, 10, 7 }, 0 },
		{ { 2026, 9, 30 }, { 2026, 10, 8 }, 1 },
		{ { 2026, 9, 30 }, { 2026, 10, 10 }, 3 },
		{ { 2026, 9, 30 }, { 2026, 10, 11 }, 3 },
		/* Sep 28, 29, 30, Oct 8, 9, 10, 12. */
		{ { 2026, 9, 25 }, { 2026, 10, 12 }, 7 },
		{ { 2026, 9, 19 }, { 2026, 9, 20 }, 1 },
		{ { 2026, 10, 8 }, { 2026, 10, 8 }, 0 },
		{ { 2026, 10, 12 }, { 2026, 9, 30 }, 0 },
		/* All of 2026: 261 Mon-Fri, 19 of them holidays, 6 make-up. */
		{ { 2025, 12, 31 }, { 2026, 12, 31 }, 248 },
	};
	const struct calendar *cal = *state;

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++)
		assert_int_equal(cal_workdays_between(cal, cases[i].a,
			cases[i].b), cases[i].want);
}

/* Counting without walking the days gives what walking them gives, on
 * the 2026 calendar and on one with six-day weeks, a make-up day on a
 * holiday and holidays on days off. */
static void test_calendar__workdays_between_equals_walking(void **state)
{
	const struct calendar *china = *state;
	struct calendar odd;
	const struct calendar *cals[2];
	struct date a, b;
	int64_t from, to, day;
	int n, k;

	cal_init(&odd);
	odd.workdays = 0x7e;	/* Monday to Saturday */
	cal_add_holidays(&odd, D(2026, 3, 1), D(2026, 3, 10));
	cal_add_holidays(&odd, D(2026, 12, 20), D(2027, 1, 3));
	cal_add_extra(&odd, D(2026, 3, 8));	/* a Sunday, in a holiday */
	cal_add_extra(&odd, D(2026, 3, 4));	/* a Wednesday, in a holiday */
	cal_add_extra(&odd, D(2026, 6, 7));	/* a Sunday */
	cal_finish(&odd);
	cals[0] = china;
	cals[1] = &odd;
	for (k = 0; k < 2; k++) {
		for (from = date_to_days(D(2025, 12, 1));
		    from < date_to_days(D(2027, 1, 31)); from += 11) {
			for (to = from - 3; to < from + 400; to += 17) {
				a = date_from_days(from);
				b = date_from_days(to);
				n = 0;
				for (day = from + 1; day <= to; day++)
					n += cal_is_workday(cals[k],
						date_from_days(day));
				assert_int_equal(cal_workdays_between(cals[k],
					a, b), n);
			}
		}
	}
	cal_release(&odd);
}

/*
 * cal_add_workdays() jumps whole weeks: the same day as walking for
 * every start from December 2025 to January 2027 and every length up to
 * 250 working days, across the Spring Festival and National Day with
 * their make-up Saturdays and Sundays, and in a six-day calendar whose
 * make-up days fall in its holidays and on a Sunday.
 */
static void test_calendar__add_workdays_equals_walking(void **state)
{
	const struct calendar *china = *state;
	struct calendar odd;
	const struct calendar *cals[2];
	char want[DATE_BUFSZ], got[DATE_BUFSZ];
	struct date d;
	int64_t from, day;
	int n, k, wrong = 0;

	cal_init(&odd);
	odd.workdays = 0x7e;	/* Monday to Saturday */
	cal_add_holidays(&odd, D(2026, 3, 1), D(2026, 3, 10));
	cal_add_holidays(&odd, D(2026, 12, 20), D(2027, 1, 3));
	cal_add_extra(&odd, D(2026, 3, 8));
	cal_add_extra(&odd, D(2026, 3, 4));
	cal_add_extra(&odd, D(2026, 6, 7));
	cal_finish(&odd);
	cals[0] = china;
	cals[1] = &odd;
	for (k = 0; k < 2; k++) {
		for (from = date_to_days(D(2025, 12, 1));
		    from < date_to_days(D(2027, 1, 31)); from++) {
			d = date_from_days(from);
			/* walked once: day is the n-th working day after d */
			for (n = 1, day = from; n <= 250; n++) {
				while (!cal_is_workday(cals[k],
				    date_from_days(++day)))
					;
				date_format(want, date_from_days(day));
				date_format(got, cal_add_workdays(cals[k], d,
					n));
				if (strcmp(want, got) && wrong++ < 5)
					print_error("calendar %d, %d working "
						"days after day %lld: %s, not "
						"%s\n", k, n, (long long)from,
						got, want);
			}
		}
	}
	cal_release(&odd);
	assert_int_equal(wrong, 0);
}

static void test_calendar__workday_extra_beats_weekday_and_holiday(
	void **state)
{
	const struct calendar *cal = *state;
	struct calendar both;

	assert_true(cal_is_workday(cal, D(2026, 2, 14)));	/* Sat */
	assert_true(cal_is_workday(cal, D(2026, 9, 20)));	/* Sun */
	assert_false(cal_is_workday(cal, D(2026, 2, 16)));	/* Mon */
	assert_false(cal_is_workday(cal, D(2026, 10, 11)));	/* Sun */
	assert_true(cal_is_workday(cal, D(2026, 10, 9)));	/* Fri */

	cal_init(&both);
	cal_add_holidays(&both, D(2026, 3, 2), D(2026, 3, 2));
	cal_add_extra(&both, D(2026, 3, 2));
	cal_finish(&both);
	assert_true(cal_is_workday(&both, D(2026, 3, 2)));
	cal_release(&both);
}

static void test_calendar__finish_sorts_and_dedups(void **state)
{
	struct calendar cal;

	(void)state;
	cal_init(&cal);
	cal_add_holidays(&cal, D(2026, 10, 1), D(2026, 10, 7));
	cal_add_holidays(&cal, D(2026, 1, 1), D(2026, 1, 3));
	cal_add_holidays(&cal, D(2026, 10, 5), D(2026, 10, 9));
	cal_add_holidays(&cal, D(2026, 3, 3), D(2026, 3, 1));	/* empty */
	cal_add_extra(&cal, D(2026, 10, 10));
	cal_add_extra(&cal, D(2026, 1, 4));
	cal_add_extra(&cal, D(2026, 10, 10));
	cal_finish(&cal);
	assert_int_equal(cal.nholidays, 12);
	for (size_t i = 1; i < cal.nholidays; i++)
		assert_true(date_cmp(cal.holidays[i - 1], cal.holidays[i]) < 0);
	assert_int_equal(cal.nextra, 2);
	assert_int_equal(date_cmp(cal.extra[0], D(2026, 1, 4)), 0);
	assert_false(cal_is_workday(&cal, D(2026, 10, 9)));
	cal_release(&cal);
	cal_release(NULL);
}

static void test_calendar__year_known_for_listed_years(void **state)
{
	const struct calendar *cal = *state;
	struct calendar plain;

	assert_true(cal_year_known(cal, 2026));
	assert_false(cal_year_known(cal, 2025));
	assert_false(cal_year_known(cal, 2027));

	cal_init(&plain);
	cal_add_extra(&plain, D(2030, 6, 1));
	cal_finish(&plain);
	assert_true(cal_year_known(&plain, 2030));
	assert_false(cal_year_known(&plain, 2026));
	cal_release(&plain);
}

struct shift_case {
	const char *deadline, *stop, *restart;
	int hours;
	const char *want;
};

static void test_calendar__shift_by_stopped_workdays(void **state)
{
	static const struct shift_case cases[] = {
		/* Stopped and restarted on the same day: nothing moves. */
		{ "2026-10-27T23:59:59+08:00", "2026-10-12T09:00:00+08:00",
		  "2026-10-12T17:00:00+08:00", 0, "2026-10-27T23:59:59+08:00" },
		/* (Oct 12, Oct 14] = Oct 13, 14. */
		{ "2026-10-27T23:59:59+08:00", "2026-10-12T09:00:00+08:00",
		  "2026-10-14T09:00:00+08:00", 0, "2026-10-29T23:59:59+08:00" },
		/* Across National Day: (Sep 30, Oct 9] = Oct 8, 9. */
		{ "2026-10-27T23:59:59+08:00", "2026-09-30T10:00:00+08:00",
		  "2026-10-09T10:00:00+08:00", 0, "2026-10-29T23:59:59+08:00" },
		/* Stopped over the holidays only: nothing moves. */
		{ "2026-10-27T23:59:59+08:00", "2026-09-30T10:00:00+08:00",
		  "2026-10-07T18:00:00+08:00", 0, "2026-10-27T23:59:59+08:00" },
		/* Moves into Spring Festival and lands on the make-up day,
		 * keeping an explicit time of day. */
		{ "2026-02-13T17:00:00+08:00", "2026-02-12T09:00:00+08:00",
		  "2026-02-13T09:00:00+08:00", 0, "2026-02-14T17:00:00+08:00" },
		{ "2026-02-13T23:59:59+08:00", "2026-02-11T09:00:00+08:00",
		  "2026-02-13T09:00:00+08:00", 0, "2026-02-24T23:59:59+08:00" },
		/* Stop given in UTC is Oct 12 in Shanghai: same local day. */
		{ "2026-10-27T23:59:59+08:00", "2026-10-11T16:30:00Z",
		  "2026-10-12T10:00:00+08:00", 0, "2026-10-27T23:59:59+08:00" },
		/* Hours deadlines move by the stopped clock time. */
		{ "2026-10-01T18:00:00+08:00", "2026-10-01T10:00:00+08:00",
		  "2026-10-01T13:30:00+08:00", 8, "2026-10-01T21:30:00+08:00" },
		{ "2026-11-28T22:00:00+08:00", "2026-11-28T10:00:00Z",
		  "2026-11-28T12:00:00Z", 24, "2026-11-29T00:00:00+08:00" },
	};
	const struct calendar *cal = *state;
	char buf[TS_BUFSZ];

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		struct ts got = cal_shift(cal, parse_ts(cases[i].deadline),
			parse_ts(cases[i].stop), parse_ts(cases[i].restart),
			cases[i].hours);

		assert_string_equal(fmt(buf, got), cases[i].want);
	}
}

static void test_calendar__add_workdays_skips_start(void **state)
{
	const struct calendar *cal = *state;
	char buf[DATE_BUFSZ];

	date_format(buf, cal_add_workdays(cal, D(2026, 9, 30), 0));
	assert_string_equal(buf, "2026-09-30");
	date_format(buf, cal_add_workdays(cal, D(2026, 9, 30), 3));
	assert_string_equal(buf, "2026-10-10");
	date_format(buf, cal_add_workdays(cal, D(2026, 10, 3), 1));
	assert_string_equal(buf, "2026-10-08");
}

static void test_calendar__day_bounds_in_zone(void **state)
{
	const struct calendar *cal = *state;
	char buf[TS_BUFSZ];
	char dbuf[DATE_BUFSZ];

	assert_string_equal(fmt(buf, cal_start_of_day(cal, D(2026, 10, 1))),
		"2026-10-01T00:00:00+08:00");
	assert_string_equal(fmt(buf, cal_end_of_day(cal, D(2026, 10, 1))),
		"2026-10-01T23:59:59+08:00");
	assert_string_equal(fmt(buf, cal_zoned(cal, 0)),
		"1970-01-01T08:00:00+08:00");
	date_format(dbuf, cal_local_date(cal,
		parse_ts("2026-09-30T16:00:00Z")));
	assert_string_equal(dbuf, "2026-10-01");
	date_format(dbuf, cal_local_date(cal,
		parse_ts("2026-09-30T15:59:59Z")));
	assert_string_equal(dbuf, "2026-09-30");
}

/* Two calendars used in turn each convert in their own zone. */
static void test_calendar__zones_do_not_leak_between_calendars(void **state)
{
	const struct calendar *sh = *state;
	struct calendar utc;
	struct ts t = parse_ts("2026-09-30T20:00:00+00:00");
	char buf[TS_BUFSZ];

	cal_init(&utc);
	for (int i = 0; i < 3; i++) {
		assert_string_equal(fmt(buf, cal_zoned(&utc, t.t)),
			"2026-09-30T20:00:00+00:00");
		assert_string_equal(fmt(buf, cal_zoned(sh, t.t)),
			"2026-10-01T04:00:00+08:00");
	}
	assert_int_equal(cal_set_tz(&utc, "UTC"), 0);
	assert_string_equal(fmt(buf, cal_end_of_day(&utc, D(2026, 9, 30))),
		"2026-09-30T23:59:59+00:00");
	cal_release(&utc);
}

/*
 * The conversions remember offsets per quarter hour and compute local
 * dates themselves; they must agree with the C library everywhere,
 * across daylight-saving changes (at 2:00, at midnight, by half an hour)
 * and in zones with quarter-hour offsets.
 */
static void test_calendar__conversions_agree_with_libc(void **state)
{
	static const char *const zones[] = {
		"Asia/Shanghai", "America/New_York", "Europe/London",
		"America/Santiago", "Australia/Lord_Howe", "Asia/Kathmandu",
		"America/Havana", "Pacific/Chatham", "UTC",
	};
	struct calendar cal;
	struct tm tm;
	struct date d;
	struct ts ts;
	time_t tt;
	int64_t t;
	size_t z;

	(void)state;
	for (z = 0; z < ARRAY_SIZE(zones); z++) {
		cal_init(&cal);
		assert_int_equal(cal_set_tz(&cal, zones[z]), 0);
		/* 2000 to 2032 in steps that fall on every time of day */
		for (t = 946684800; t < 1956528000; t += 3 * 3600 + 7 * 60 + 11) {
			ts = cal_zoned(&cal, t);
			tt = (time_t)t;
			assert_non_null(localtime_r(&tt, &tm));
			assert_int_equal(ts.off * 60, tm.tm_gmtoff);
			d = cal_local_date(&cal, ts);
			assert_int_equal(d.y, tm.tm_year + 1900);
			assert_int_equal(d.m, tm.tm_mon + 1);
			assert_int_equal(d.d, tm.tm_mday);
			/* start of that local day, as mktime() finds it */
			tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
			tm.tm_isdst = -1;
			tt = mktime(&tm);
			assert_int_equal(cal_start_of_day(&cal, d).t, (int64_t)tt);
			tm.tm_hour = 23;
			tm.tm_min = tm.tm_sec = 59;
			tm.tm_isdst = -1;
			tt = mktime(&tm);
			assert_int_equal(cal_end_of_day(&cal, d).t, (int64_t)tt);
		}
		cal_release(&cal);
	}
}

static void test_calendar__set_tz_refuses_unknown_zones(void **state)
{
	static const char *const bad[] = {
		"Mars/Olympus", "../etc", "../../etc/passwd", "",
		"/etc/localtime",
		"Asia/../Asia/Shanghai", "Asia", "Asia/", "zone.tab",
		"Asia//Shanghai", "Asia/Shanghai ", "./UTC"
	};
	struct calendar cal;

	(void)state;
	cal_init(&cal);
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (cal_set_tz(&cal, bad[i]) != ERR_INVALID)
			fail_msg("zone '%s' accepted", bad[i]);
		assert_string_equal(cal.tz, "UTC");
	}
	assert_int_equal(cal_set_tz(&cal, "Asia/Shanghai"), 0);
	assert_string_equal(cal.tz, "Asia/Shanghai");
	assert_int_equal(cal_set_tz(&cal, "UTC"), 0);
	assert_string_equal(cal.tz, "UTC");
	cal_release(&cal);
}

static void test_calendar__ts_parse_refuses_bad_input(void **state)
{
	static const char *const bad[] = {
		"2026-02-30T10:00:00+08:00",	/* no such date */
		"2027-02-29T10:00:00Z",		/* not a leap year */
		"2026-09-30T10:00:00",		/* offset missing */
		"2026-09-30T10:00:00.5+08:00",	/* fraction */
		"2026-09-30T24:00:00+08:00",
		"2026-09-30T10:60:00Z",
		"2026-09-30T10:00:60Z",		/* no leap seconds */
		"2026-13-01T10:00:00Z",
		"2026-00-10T10:00:00Z",
		"2026-09-00T10:00:00Z",
		"2026-09-30t10:00:00Z",
		"2026-09-30 10:00:00Z",
		"2026-09-30T10:00:00z",
		"2026-09-30T10:00:00+0800",
		"2026-09-30T10:00:00+8:00",
		"2026-09-30T10:00:00+24:00",
		"2026-09-30T10:00:00+08:60",
		"2026-9-30T10:00:00Z",
		"2026-09-30T10:00Z",
		"2026-09-30T10:00:00Z ",
		" 2026-09-30T10:00:00Z",
		"2026-09-30T10:00:00+08:00x",
		"+2026-09-30T10:00:00Z",
		"2026-09-30",
		"garbage",
		"",
	};
	struct ts ts;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (ts_parse(&ts, bad[i]) != ERR_INVALID)
			fail_msg("'%s' accepted", bad[i]);
}

static void test_calendar__ts_round_trips(void **state)
{
	static const struct {
		const char *in, *out;
		int64_t t;
	} cases[] = {
		{ "1970-01-01T08:00:00+08:00", "1970-01-01T08:00:00+08:00", 0 },
		{ "1970-01-01T00:00:00Z", "1970-01-01T00:00:00+00:00", 0 },
		{ "1969-12-31T23:59:59-03:30", "1969-12-31T23:59:59-03:30",
		  12599 },
		{ "1969-12-31T23:59:59Z", "1969-12-31T23:59:59+00:00", -1 },
		{ "2026-11-28T09:14:00+08:00", "2026-11-28T09:14:00+08:00",
		  1795828440 },
		{ "2028-02-29T00:00:00Z", "2028-02-29T00:00:00+00:00",
		  1835395200 },
		{ "2026-09-30T10:00:00-00:00", "2026-09-30T10:00:00+00:00",
		  1790762400 },
		{ "2026-06-01T05:45:00+05:45", "2026-06-01T05:45:00+05:45",
		  1780272000 },
	};
	char buf[TS_BUFSZ];
	struct ts a, b;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		assert_int_equal(ts_parse(&a, cases[i].in), 0);
		assert_int_equal(a.t, cases[i].t);
		ts_format(buf, a);
		assert_string_equal(buf, cases[i].out);
		assert_int_equal(ts_parse(&b, buf), 0);
		assert_int_equal(ts_cmp(a, b), 0);
	}
	/* The same instant in two offsets compares equal. */
	assert_int_equal(ts_cmp(parse_ts("2026-10-01T08:00:00+08:00"),
		parse_ts("2026-10-01T00:00:00Z")), 0);
	assert_true(ts_cmp(parse_ts("2026-10-01T08:00:00+08:00"),
		parse_ts("2026-10-01T00:00:01Z")) < 0);
}

static void test_calendar__dates_round_trip(void **state)
{
	static const char *const bad[] = {
		"2026-02-29", "2026-1-01", "2026-01-01x", "2026/01/01",
		"2026-04-31", "", "20260101"
	};
	struct date d, e;
	char buf[DATE_BUFSZ];
	int w;

	(void)state;
	assert_int_equal(date_to_days(D(1970, 1, 1)), 0);
	assert_int_equal(date_to_days(D(2000, 3, 1)), 11017);
	assert_int_equal(date_to_days(D(1969, 12, 31)), -1);
	assert_int_equal(date_weekday(D(2026, 9, 30)), 3);
	assert_int_equal(date_weekday(D(1969, 12, 28)), 0);
	date_format(buf, date_add_days(D(2028, 2, 28), 1));
	assert_string_equal(buf, "2028-02-29");
	date_format(buf, date_add_days(D(2026, 1, 1), -1));
	assert_string_equal(buf, "2025-12-31");
	date_format(buf, date_add_days(D(2100, 2, 28), 1));
	assert_string_equal(buf, "2100-03-01");

	/* Every day from 1899 to 2101 survives days and text and back,
	 * and weekdays advance by one (1899-01-01 was a Sunday). */
	w = date_weekday(D(1899, 1, 1));
	assert_int_equal(w, 0);
	for (int64_t n = date_to_days(D(1899, 1, 1));
	     n < date_to_days(D(2101, 1, 1)); n++) {
		e = date_from_days(n);
		assert_true(date_valid(e));
		assert_int_equal(date_to_days(e), n);
		assert_int_equal(date_weekday(e), w);
		w = (w + 1) % 7;
		date_format(buf, e);
		assert_int_equal(date_parse(&d, buf), 0);
		assert_int_equal(date_cmp(d, e), 0);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (date_parse(&d, bad[i]) != ERR_INVALID)
			fail_msg("'%s' accepted", bad[i]);
}

static void test_calendar__duration_parse(void **state)
{
	static const struct {
		const char *in;
		int n;
		enum dur_unit unit;
	} good[] = {
		{ "15wd", 15, DUR_WORKDAYS }, { "3d", 3, DUR_DAYS },
		{ "8h", 8, DUR_HOURS }, { "2y", 2, DUR_YEARS },
		{ "0d", 0, DUR_DAYS }, { "100000d", 100000, DUR_DAYS },
	};
	static const char *const bad[] = {
		"0x", "-1d", "1w", "", "999999999d", "100001d", "d", "wd",
		" 3d", "3d ", "3D", "+3d", "3dd", "1.5d", "3 d",
		"99999999999999999999wd"
	};
	struct duration dur;
	char buf[16];

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(good); i++) {
		assert_int_equal(duration_parse(&dur, good[i].in), 0);
		assert_int_equal(dur.n, good[i].n);
		assert_int_equal(dur.unit, good[i].unit);
		duration_format(buf, dur);
		assert_string_equal(buf, good[i].in);
	}
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++)
		if (duration_parse(&dur, bad[i]) != ERR_INVALID)
			fail_msg("'%s' accepted", bad[i]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_calendar__format_by_hand),
		cmocka_unit_test(test_calendar__deadlines_follow_china_2026),
		cmocka_unit_test(test_calendar__deadlines_follow_dst),
		cmocka_unit_test(test_calendar__workdays_between_national_day),
		cmocka_unit_test(
			test_calendar__workday_extra_beats_weekday_and_holiday),
		cmocka_unit_test(test_calendar__finish_sorts_and_dedups),
		cmocka_unit_test(test_calendar__year_known_for_listed_years),
		cmocka_unit_test(test_calendar__shift_by_stopped_workdays),
		cmocka_unit_test(test_calendar__add_workdays_skips_start),
		cmocka_unit_test(test_calendar__day_bounds_in_zone),
		cmocka_unit_test(
			test_calendar__zones_do_not_leak_between_calendars),
		cmocka_unit_test(test_calendar__set_tz_refuses_unknown_zones),
		cmocka_unit_test(test_calendar__conversions_agree_with_libc),
		cmocka_unit_test(test_calendar__workdays_between_equals_walking),
		cmocka_unit_test(test_calendar__add_workdays_equals_walking),
		cmocka_unit_test(test_calendar__ts_parse_refuses_bad_input),
		cmocka_unit_test(test_calendar__ts_round_trips),
		cmocka_unit_test(test_calendar__dates_round_trip),
		cmocka_unit_test(test_calendar__duration_parse),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
