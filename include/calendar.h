/*
 * calendar.h - timestamps, dates, durations and working days.
 *
 * Pure functions over a `struct calendar` (time zone, working weekdays,
 * holidays, make-up working days).  Nothing here reads the environment
 * except the time-zone conversion, which needs the system tz database.
 *
 * Deadline rules (DESIGN section 6):
 *   Nh   clock hours from the start instant
 *   Nd   calendar days, the start day not counted, ending 23:59:59 local on
 *        the last day; a last day that is not a working day moves to the end
 *        of the next working day
 *   Nwd  working days, the start day not counted, ending 23:59:59 local
 *   Ny   calendar years (limits.look_back only)
 */
#ifndef DOCKET_CALENDAR_H
#define DOCKET_CALENDAR_H

#include <stdint.h>
#include <stddef.h>

/** An instant with the UTC offset it is shown in. */
struct ts {
	int64_t t;	/**< seconds since the epoch, UTC */
	int off;	/**< UTC offset in minutes, e.g. 480 for +08:00 */
};

/** A calendar date. */
struct date {
	int y, m, d;
};

#define TS_BUFSZ 32
#define DATE_BUFSZ 16

/**
 * Parse RFC 3339 "YYYY-MM-DDTHH:MM:SS" followed by "Z" or "+HH:MM"/"-HH:MM".
 * The offset is required; fractions of seconds are refused; the date must
 * exist (2026-02-30 is refused).  Returns 0 or ERR_INVALID.
 */
int ts_parse(struct ts *out, const char *s);
/** Format as "2026-11-28T09:14:00+08:00" (offset always numeric). */
void ts_format(char out[TS_BUFSZ], struct ts ts);
/** Compare two instants (offset ignored): <0, 0, >0. */
int ts_cmp(struct ts a, struct ts b);

/** Parse "YYYY-MM-DD" (a real date); 0 or ERR_INVALID. */
int date_parse(struct date *out, const char *s);
void date_format(char out[DATE_BUFSZ], struct date d);
int date_cmp(struct date a, struct date b);
struct date date_add_days(struct date d, int n);
/** 0 = Sunday .. 6 = Saturday. */
int date_weekday(struct date d);
/** Days since 1970-01-01 (may be negative) and back. */
int64_t date_to_days(struct date d);
struct date date_from_days(int64_t days);
int date_valid(struct date d);

enum dur_unit { DUR_HOURS, DUR_DAYS, DUR_WORKDAYS, DUR_YEARS };

struct duration {
	int n;			/**< 0 .. 100000 */
	enum dur_unit unit;
};

/** Parse "8h", "5d", "15wd", "2y"; 0 or ERR_INVALID. */
int duration_parse(struct duration *out, const char *s);
void duration_format(char out[16], struct duration d);

struct calendar {
	char *tz;		/**< IANA name, e.g. "Asia/Shanghai" */
	unsigned workdays;	/**< bit w set: weekday w (0 = Sunday) works */
	struct date *holidays;	/**< single days, sorted, no duplicates */
	size_t nholidays;
	struct date *extra;	/**< make-up working days, sorted */
	size_t nextra;
};

/** Mon-Fri, no holidays, tz "UTC". Caller owns and must release. */
void cal_init(struct calendar *cal);
void cal_release(struct calendar *cal);
/** Set the zone; ERR_INVALID if the tz database does not know it. */
int cal_set_tz(struct calendar *cal, const char *tz);
/** Add a holiday range [from, to] inclusive / a make-up working day. */
void cal_add_holidays(struct calendar *cal, struct date from, struct date to);
void cal_add_extra(struct calendar *cal, struct date d);
/** Sort and de-duplicate after the adds. */
void cal_finish(struct calendar *cal);

int cal_is_workday(const struct calendar *cal, struct date d);
/** 1 if the calendar lists any holiday or make-up day in that year. */
int cal_year_known(const struct calendar *cal, int year);

/** The instant t shown in the calendar's zone (offset of that instant). */
struct ts cal_zoned(const struct calendar *cal, int64_t t);
/**
 * Set the process time zone (TZ) to the calendar's.  Every conversion
 * does this itself; call it once before running conversions on several
 * threads, so that none of them has to change TZ.
 */
void cal_use_zone(const struct calendar *cal);
/** Local date of an instant in the calendar's zone. */
struct date cal_local_date(const struct calendar *cal, struct ts ts);
/** 23:59:59 local time on day d, with the zone's offset for that time. */
struct ts cal_end_of_day(const struct calendar *cal, struct date d);
/** 00:00:00 local time on day d. */
struct ts cal_start_of_day(const struct calendar *cal, struct date d);
/**
 * A time as people give it: RFC 3339, or a local "YYYY-MM-DD[ HH:MM[:SS]]"
 * / "YYYY-MM-DDTHH:MM[:SS]" in the calendar's zone; a bare date means that
 * day's end (23:59:59) when end_of_day, else its start.  0 or ERR_INVALID.
 */
int cal_parse_when(const struct calendar *cal, const char *s,
	int end_of_day, struct ts *out);

/**
 * The deadline `dur` after `start` (see the rules at the top).  For DUR_YEARS
 * the same local date `n` years later at 23:59:59 (Feb 29 -> Feb 28).
 */
struct ts cal_add(const struct calendar *cal, struct ts start,
	struct duration dur);
/** Working days in the half-open day range (a, b]; 0 if b <= a. */
int cal_workdays_between(const struct calendar *cal, struct date a,
	struct date b);
/**
 * Move a deadline later by the working days in (stop day, restart day]
 * (both local dates of the instants), keeping its local time of day; for
 * an hours-based deadline (hours != 0) move it by restart - stop seconds.
 */
struct ts cal_shift(const struct calendar *cal, struct ts deadline,
	struct ts stop, struct ts restart, int hours);
/** Add n working days to local day d (n >= 0): the nth working day after d. */
struct date cal_add_workdays(const struct calendar *cal, struct date d, int n);

#endif
