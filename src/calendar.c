/*
 * calendar.c - timestamps, dates, durations and working days.
 *
 * Dates are pure integer arithmetic (Howard Hinnant's days-from-civil), so
 * they never depend on the process time zone.  Only the conversions
 * between an instant and a local date or time of day go through the C
 * library and the system tz database: TZ is set to the calendar's zone and
 * tzset() is called only when the zone differs from the one last set
 * (nothing is restored).  The UTC offsets the library gives are kept per
 * day, per thread, for the days whose two ends agree: glibc parses the zone's rule string again
 * for every conversion after its last transition, which made time zones
 * a sixth of a report.  Once cal_use_zone() ran on one thread, the
 * conversions may run on several.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "calendar.h"
#include "util.h"

#define SECS_PER_DAY 86400
#define DUR_MAX 100000
#define TZ_NAME_MAX 128
#define ZONEINFO_DIR "/usr/share/zoneinfo"

/* Floor division and modulo for a positive divisor. */
static int64_t floor_div(int64_t a, int64_t b)
{
	int64_t q = a / b;

	if ((a % b) != 0 && (a < 0))
		q--;
	return q;
}

static int64_t floor_mod(int64_t a, int64_t b)
{
	return a - floor_div(a, b) * b;
}

/* ---- dates ---------------------------------------------------------- */

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int days[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};

	if (m == 2 && is_leap(y))
		return 29;
	return days[m - 1];
}

int date_valid(struct date d)
{
	if (d.y < 0 || d.y > 9999 || d.m < 1 || d.m > 12)
		return 0;
	return d.d >= 1 && d.d <= month_days(d.y, d.m);
}

int64_t date_to_days(struct date d)
{
	int64_t y = (int64_t)d.y - (d.m <= 2);
	int64_t era = floor_div(y, 400);
	int64_t yoe = y - era * 400;
	int64_t mp = d.m > 2 ? d.m - 3 : d.m + 9;
	int64_t doy = (153 * mp + 2) / 5 + d.d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

struct date date_from_days(int64_t days)
{
	int64_t z = days + 719468;
	int64_t era = floor_div(z, 146097);
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	struct date d;

	d.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	d.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	d.y = (int)(yoe + era * 400 + (d.m <= 2));
	return d;
}

int date_weekday(struct date d)
{
	/* 1970-01-01 was a Thursday (4). */
	return (int)floor_mod(date_to_days(d) + 4, 7);
}

struct date date_add_days(struct date d, int n)
{
	return date_from_days(date_to_days(d) + n);
}

int date_cmp(struct date a, struct date b)
{
	if (a.y != b.y)
		return a.y < b.y ? -1 : 1;
	if (a.m != b.m)
		return a.m < b.m ? -1 : 1;
	if (a.d != b.d)
		return a.d < b.d ? -1 : 1;
	return 0;
}

/* By hand, not snprintf: a `list` of 100,000 cases formats a few
 * hundred thousand dates, and printf's machinery was a tenth of it. */
void date_format(char out[DATE_BUFSZ], struct date d)
{
	char *p = out;

	if (d.y < 0 || d.y > 9999 || d.m < 0 || d.m > 99 || d.d < 0 ||
	    d.d > 99) {
		snprintf(out, DATE_BUFSZ, "%04d-%02d-%02d", d.y, d.m, d.d);
		return;
	}
	p = put_decimal(p, (unsigned)d.y, 4);
	*p++ = '-';
	p = put_decimal(p, (unsigned)d.m, 2);
	*p++ = '-';
	p = put_decimal(p, (unsigned)d.d, 2);
	*p = '\0';
}

/*
 * Read exactly n decimal digits at *s into *out and advance; 0 on success.
 * Signs, spaces and short fields are refused, unlike strtol.
 */
static int get_digits(const char **s, int n, int *out)
{
	long v;

	if (read_decimal(*s, n, &v))
		return -1;
	*s += n;
	*out = (int)v;
	return 0;
}

/* Expect the character c at *s and advance past it; 0 on success. */
static int get_char(const char **s, char c)
{
	if (**s != c)
		return -1;
	(*s)++;
	return 0;
}

/* Parse "YYYY-MM-DD" at *s (not necessarily the end of the string). */
static int get_date(const char **s, struct date *out)
{
	struct date d;

	if (get_digits(s, 4, &d.y) || get_char(s, '-') ||
	    get_digits(s, 2, &d.m) || get_char(s, '-') ||
	    get_digits(s, 2, &d.d))
		return -1;
	if (!date_valid(d))
		return -1;
	*out = d;
	return 0;
}

int date_parse(struct date *out, const char *s)
{
	struct date d;

	if (!s || get_date(&s, &d) || *s)
		return ERR_INVALID;
	*out = d;
	return 0;
}

/* ---- timestamps ----------------------------------------------------- */

/* Parse "Z" or "+HH:MM" / "-HH:MM" into minutes east of UTC. */
static int get_offset(const char **s, int *out)
{
	int sign, h, m;

	if (**s == 'Z') {
		(*s)++;
		*out = 0;
		return 0;
	}
	if (**s != '+' && **s != '-')
		return -1;
	sign = **s == '-' ? -1 : 1;
	(*s)++;
	if (get_digits(s, 2, &h) || get_char(s, ':') || get_digits(s, 2, &m))
		return -1;
	if (h > 23 || m > 59)
		return -1;
	*out = sign * (h * 60 + m);
	return 0;
}

int ts_parse(struct ts *out, const char *s)
{
	struct date d;
	int h, mi, sec, off;

	if (!s || get_date(&s, &d) || get_char(&s, 'T') ||
	    get_digits(&s, 2, &h) || get_char(&s, ':') ||
	    get_digits(&s, 2, &mi) || get_char(&s, ':') ||
	    get_digits(&s, 2, &sec) || get_offset(&s, &off) || *s)
		return ERR_INVALID;
	if (h > 23 || mi > 59 || sec > 59)
		return ERR_INVALID;
	out->t = date_to_days(d) * SECS_PER_DAY + h * 3600 + mi * 60 + sec -
		(int64_t)off * 60;
	out->off = off;
	return 0;
}

void ts_format(char out[TS_BUFSZ], struct ts ts)
{
	int64_t local = ts.t + (int64_t)ts.off * 60;
	int64_t days = floor_div(local, SECS_PER_DAY);
	unsigned secs = (unsigned)(local - days * SECS_PER_DAY);
	unsigned off = (unsigned)(ts.off < 0 ? -ts.off : ts.off);
	char date[DATE_BUFSZ];

	char *p;
	size_t n;

	date_format(date, date_from_days(days));
	n = strlen(date);
	memcpy(out, date, n);
	p = out + n;
	*p++ = 'T';
	p = put_decimal(p, secs / 3600 % 24, 2);
	*p++ = ':';
	p = put_decimal(p, secs / 60 % 60, 2);
	*p++ = ':';
	p = put_decimal(p, secs % 60, 2);
	*p++ = ts.off < 0 ? '-' : '+';
	p = put_decimal(p, off / 60 % 100, 2);
	*p++ = ':';
	p = put_decimal(p, off % 60, 2);
	*p = '\0';
}

int ts_cmp(struct ts a, struct ts b)
{
	if (a.t != b.t)
		return a.t < b.t ? -1 : 1;
	return 0;
}

/* ---- durations ------------------------------------------------------ */

int duration_parse(struct duration *out, const char *s)
{
	static const struct {
		const char *suffix;
		enum dur_unit unit;
	} units[] = {
		{ "h", DUR_HOURS }, { "d", DUR_DAYS },
		{ "wd", DUR_WORKDAYS }, { "y", DUR_YEARS }
	};
	int n = 0;
	const char *p = s;

	if (!s || *p < '0' || *p > '9')
		return ERR_INVALID;
	for (; *p >= '0' && *p <= '9'; p++) {
		n = n * 10 + (*p - '0');
		if (n > DUR_MAX)
			return ERR_INVALID;
	}
	for (size_t i = 0; i < ARRAY_SIZE(units); i++) {
		if (!strcmp(p, units[i].suffix)) {
			out->n = n;
			out->unit = units[i].unit;
			return 0;
		}
	}
	return ERR_INVALID;
}

void duration_format(char out[16], struct duration d)
{
	static const char *const suffix[] = { "h", "d", "wd", "y" };
	unsigned u = (unsigned)d.unit;

	snprintf(out, 16, "%d%s", d.n,
		u < ARRAY_SIZE(suffix) ? suffix[u] : "?");
}

/* ---- the calendar --------------------------------------------------- */

void cal_init(struct calendar *cal)
{
	cal->tz = xstrdup("UTC");
	/* Monday (bit 1) to Friday (bit 5). */
	cal->workdays = 0x3e;
	cal->holidays = NULL;
	cal->nholidays = 0;
	cal->extra = NULL;
	cal->nextra = 0;
}

void cal_release(struct calendar *cal)
{
	if (!cal)
		return;
	free(cal->tz);
	free(cal->holidays);
	free(cal->extra);
	cal->tz = NULL;
	cal->holidays = NULL;
	cal->extra = NULL;
	cal->nholidays = 0;
	cal->nextra = 0;
}

/*
 * 1 if name is safe to look up under the tz directory: relative, made of
 * the characters IANA names use, and without "." or ".." components.
 */
static int tz_name_ok(const char *name)
{
	size_t len = strlen(name);

	if (len == 0 || len >= TZ_NAME_MAX || name[0] == '/' ||
	    name[len - 1] == '/' || strstr(name, "//"))
		return 0;
	for (const char *p = name; *p; p++) {
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') ||
		      (*p >= '0' && *p <= '9') || strchr("/_+-.", *p)))
			return 0;
	}
	for (const char *p = name; *p; p = strchr(p, '/') + 1) {
		size_t clen = strcspn(p, "/");

		if (p[0] == '.')
			return 0;	/* ".", "..", hidden files */
		if (!p[clen])
			break;
	}
	return 1;
}

/* 1 if the tz database holds a TZif file for name. */
static int tz_known(const char *name)
{
	const char *dir = getenv("TZDIR");
	char path[512];
	char magic[4];
	struct stat st;
	FILE *f = NULL;
	int ok = 0;
	int n;

	if (!dir || !*dir)
		dir = ZONEINFO_DIR;
	n = snprintf(path, sizeof(path), "%s/%s", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return 0;
	if (stat(path, &st) || !S_ISREG(st.st_mode))
		goto out;
	f = fopen(path, "rb");
	if (!f)
		goto out;
	ok = fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
		!memcmp(magic, "TZif", 4);
out:
	if (f)
		fclose(f);
	return ok;
}

int cal_set_tz(struct calendar *cal, const char *tz)
{
	if (!tz || !tz_name_ok(tz))
		return ERR_INVALID;
	/* A system without tzdata still knows UTC (TZ=UTC is a POSIX rule). */
	if (strcmp(tz, "UTC") != 0 && !tz_known(tz))
		return ERR_INVALID;
	free(cal->tz);
	cal->tz = xstrdup(tz);
	return 0;
}

/*
 * Binary search for d in the sorted array v[0..n): returns its index if
 * found (and sets *found), else the index where it would be inserted.
 */
static size_t date_search(const struct date *v, size_t n, struct date d,
	int *found)
{
	size_t lo = 0, hi = n;

	*found = 0;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = date_cmp(v[mid], d);

		if (c == 0) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/*
 * Insert d into the sorted, duplicate-free array *v of *n dates, keeping
 * it so; the array grows by one (days arrive in order, so appends are the
 * common case and cost no move).
 */
static void date_insert(struct date **v, size_t *n, struct date d)
{
	int found;
	size_t i = date_search(*v, *n, d, &found);

	if (found)
		return;
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	memmove(*v + i + 1, *v + i, (*n - i) * sizeof(**v));
	(*v)[i] = d;
	(*n)++;
}

void cal_add_holidays(struct calendar *cal, struct date from, struct date to)
{
	int64_t a = date_to_days(from), b = date_to_days(to);

	for (int64_t day = a; day <= b; day++)
		date_insert(&cal->holidays, &cal->nholidays,
			date_from_days(day));
}

void cal_add_extra(struct calendar *cal, struct date d)
{
	date_insert(&cal->extra, &cal->nextra, d);
}

static int date_qcmp(const void *a, const void *b)
{
	return date_cmp(*(const struct date *)a, *(const struct date *)b);
}

/* Sort and de-duplicate an array of dates in place. */
static void dates_normalize(struct date *v, size_t *n)
{
	size_t out = 0;

	if (*n == 0)
		return;
	xqsort(v, *n, sizeof(*v), date_qcmp);
	for (size_t i = 1; i < *n; i++)
		if (date_cmp(v[i], v[out]) != 0)
			v[++out] = v[i];
	*n = out + 1;
}

void cal_finish(struct calendar *cal)
{
	/* The adds keep both arrays sorted already; this also covers arrays
	 * a caller filled in directly. */
	dates_normalize(cal->holidays, &cal->nholidays);
	dates_normalize(cal->extra, &cal->nextra);
}

int cal_is_workday(const struct calendar *cal, struct date d)
{
	int found;

	date_search(cal->extra, cal->nextra, d, &found);
	if (found)
		return 1;
	date_search(cal->holidays, cal->nholidays, d, &found);
	if (found)
		return 0;
	return (cal->workdays >> date_weekday(d)) & 1;
}

int cal_year_known(const struct calendar *cal, int year)
{
	for (size_t i = 0; i < cal->nholidays; i++)
		if (cal->holidays[i].y == year)
			return 1;
	for (size_t i = 0; i < cal->nextra; i++)
		if (cal->extra[i].y == year)
			return 1;
	return 0;
}

/*
 * The first working day on or after d.  A calendar with no working
 * weekday has no working day after its last make-up day; rather than
 * search forever, such days count as working.
 */
static struct date next_workday(const struct calendar *cal, struct date d)
{
	if (!(cal->workdays & 0x7f) &&
	    (cal->nextra == 0 || date_cmp(d, cal->extra[cal->nextra - 1]) > 0))
		return d;
	while (!cal_is_workday(cal, d))
		d = date_add_days(d, 1);
	return d;
}

/* The day number of v[i], or past every day when i is past the end. */
static int64_t day_of(const struct date *v, size_t n, size_t i)
{
	return i < n ? date_to_days(v[i]) : INT64_MAX;
}

/*
 * The n-th working day after d, a day at a time, as cal_is_workday()
 * says (a make-up day works, else a holiday does not, else its
 * weekday): the holidays and make-up days ahead followed along in
 * their sorted lists, not searched for each day.
 */
static struct date add_workdays_walking(const struct calendar *cal,
	struct date d, int n)
{
	int64_t day = date_to_days(d), hday, xday;
	struct date next;
	size_t h, x;
	int found, works;

	if (!(cal->workdays & 0x7f)) {
		/* next_workday()'s rule for a week without working days */
		for (int i = 0; i < n; i++)
			d = next_workday(cal, date_add_days(d, 1));
		return d;
	}
	next = date_from_days(day + 1);
	h = date_search(cal->holidays, cal->nholidays, next, &found);
	x = date_search(cal->extra, cal->nextra, next, &found);
	hday = day_of(cal->holidays, cal->nholidays, h);
	xday = day_of(cal->extra, cal->nextra, x);
	while (n > 0) {
		day++;
		if (hday < day)
			hday = day_of(cal->holidays, cal->nholidays, ++h);
		if (xday < day)
			xday = day_of(cal->extra, cal->nextra, ++x);
		works = xday == day || (hday != day &&
			((cal->workdays >> floor_mod(day + 4, 7)) & 1));
		n -= works;
	}
	return date_from_days(day);
}

/*
 * The n-th working day after d.  A report recomputes every case's
 * deadlines, each a walk over its working days (a third of a report of
 * 100,000 cases).  Whole weeks are jumped, counted as
 * cal_workdays_between() counts, and only the last days walked: two
 * weeks short of the estimate, so that holidays never put the jump past
 * the answer; where make-up days might (more working days than the
 * weeks say), the whole way walked.
 */
struct date cal_add_workdays(const struct calendar *cal, struct date d, int n)
{
	int per_week = __builtin_popcount(cal->workdays & 0x7f);
	int weeks, done;
	struct date at;

	if (n <= 0 || !per_week || (weeks = n / per_week - 2) <= 0)
		return add_workdays_walking(cal, d, n);
	at = date_add_days(d, weeks * 7);
	done = cal_workdays_between(cal, d, at);
	if (done >= n)
		return add_workdays_walking(cal, d, n);
	return add_workdays_walking(cal, at, n - done);
}

/* Days in (from, to] (day numbers) whose weekday works. */
static int64_t weekdays_between(unsigned mask, int64_t from, int64_t to)
{
	int64_t n = 0, weeks = (to - from) / 7, day;

	n = weeks * __builtin_popcount(mask & 0x7f);
	for (day = from + weeks * 7 + 1; day <= to; day++)
		n += (mask >> floor_mod(day + 4, 7)) & 1;
	return n;
}

/*
 * Working days after a up to and including b, without walking them (a
 * deadline a year overdue is counted in every reminder and report): the
 * working weekdays, less the holidays on them, plus the make-up days on
 * the others; a make-up day that is also a holiday works.
 */
int cal_workdays_between(const struct calendar *cal, struct date a,
	struct date b)
{
	int64_t from = date_to_days(a), to = date_to_days(b), n;
	size_t i;
	int found, works;

	if (to <= from)
		return 0;
	n = weekdays_between(cal->workdays, from, to);
	i = date_search(cal->holidays, cal->nholidays, date_add_days(a, 1),
		&found);
	for (; i < cal->nholidays &&
	    date_to_days(cal->holidays[i]) <= to; i++) {
		works = (cal->workdays >> date_weekday(cal->holidays[i])) & 1;
		date_search(cal->extra, cal->nextra, cal->holidays[i], &found);
		n -= works && !found;
	}
	i = date_search(cal->extra, cal->nextra, date_add_days(a, 1), &found);
	for (; i < cal->nextra && date_to_days(cal->extra[i]) <= to; i++)
		n += !((cal->workdays >> date_weekday(cal->extra[i])) & 1);
	return n > INT_MAX ? INT_MAX : (int)n;
}

/* ---- time-zone conversion ------------------------------------------- */

static unsigned zone_gen = 1;	/* bumped when TZ changes */

/*
 * Make the C library convert in the calendar's zone.  tzset() is costly,
 * so it runs only when TZ is not already the zone last set.
 */
void cal_use_zone(const struct calendar *cal)
{
	static char current[TZ_NAME_MAX];
	static int set;
	const char *tz = cal->tz ? cal->tz : "UTC";

	/* asked before every conversion, on every thread of a scan: only
	 * the zone this function set is compared (nothing else in docket
	 * sets TZ), not the environment walked (getenv() was 7 % of a
	 * report of 100,000 cases) */
	if (set && !strcmp(current, tz))
		return;
	set = 1;
	setenv("TZ", tz, 1);
	tzset();
	snprintf(current, sizeof(current), "%s", tz);
	__atomic_add_fetch(&zone_gen, 1, __ATOMIC_RELEASE);
}

#define MEMO_SLOTS 2048		/* days: more than the cases of a scan span */
#define MEMO_SPAN 86400

struct offset_memo {
	int64_t span;		/* t / MEMO_SPAN */
	unsigned gen;		/* zone_gen it was taken under; 0: empty */
	long gmtoff;
};

static __thread struct offset_memo memo[MEMO_SLOTS];

/* The zone's UTC offset at t in seconds; 0 or -1 if the library cannot
 * say.  A day (in UTC) is remembered only when its two ends agree: no
 * zone has changed its offset and back within one day. */
static int utc_offset(int64_t t, long *off)
{
	unsigned gen = __atomic_load_n(&zone_gen, __ATOMIC_ACQUIRE);
	int64_t span = floor_div(t, MEMO_SPAN);
	struct offset_memo *m = &memo[(uint64_t)span % MEMO_SLOTS];
	time_t a = (time_t)t, b;
	struct tm tm;

	if (m->gen == gen && m->span == span) {
		*off = m->gmtoff;
		return 0;
	}
	if (!localtime_r(&a, &tm))
		return -1;
	*off = tm.tm_gmtoff;
	a = (time_t)(span * MEMO_SPAN);
	b = a + MEMO_SPAN - 1;
	if (!localtime_r(&a, &tm) || tm.tm_gmtoff != *off ||
	    !localtime_r(&b, &tm) || tm.tm_gmtoff != *off)
		return 0;
	m->span = span;
	m->gmtoff = *off;
	m->gen = gen;
	return 0;
}

/* Local broken-down time of t (date, time of day, offset); 0 or -1 if
 * the C library cannot say. */
static int local_tm(const struct calendar *cal, int64_t t, struct tm *out)
{
	int64_t local, secs;
	struct date d;
	long off;

	cal_use_zone(cal);
	if (utc_offset(t, &off))
		return -1;
	local = t + off;
	d = date_from_days(floor_div(local, SECS_PER_DAY));
	secs = local - floor_div(local, SECS_PER_DAY) * SECS_PER_DAY;
	memset(out, 0, sizeof(*out));
	out->tm_year = d.y - 1900;
	out->tm_mon = d.m - 1;
	out->tm_mday = d.d;
	out->tm_hour = (int)(secs / 3600);
	out->tm_min = (int)(secs / 60 % 60);
	out->tm_sec = (int)(secs % 60);
	out->tm_gmtoff = off;
	return 0;
}

struct ts cal_zoned(const struct calendar *cal, int64_t t)
{
	struct ts ts = { t, 0 };
	struct tm tm;

	if (local_tm(cal, t, &tm) == 0)
		ts.off = (int)(tm.tm_gmtoff / 60);
	return ts;
}

struct date cal_local_date(const struct calendar *cal, struct ts ts)
{
	struct tm tm;
	struct date d;

	if (local_tm(cal, ts.t, &tm) != 0)
		return date_from_days(floor_div(ts.t, SECS_PER_DAY));
	d.y = tm.tm_year + 1900;
	d.m = tm.tm_mon + 1;
	d.d = tm.tm_mday;
	return d;
}

/* The instant of local time h:m:s on day d in the calendar's zone. */
static struct ts local_instant(const struct calendar *cal, struct date d,
	int h, int m, int s)
{
	int64_t wall = date_to_days(d) * SECS_PER_DAY + h * 3600 + m * 60 + s;
	long lo, hi;
	struct tm tm;
	time_t t;

	/* One offset from 14 hours before to 14 hours after (every offset
	 * there is lies within): the wall time is that far from UTC.  Near
	 * a change, mktime() decides gaps and repeats as it always has. */
	cal_use_zone(cal);
	if (!utc_offset(wall - 14 * 3600, &lo) &&
	    !utc_offset(wall + 14 * 3600, &hi) && lo == hi)
		return (struct ts){ wall - lo, (int)(lo / 60) };
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = d.y - 1900;
	tm.tm_mon = d.m - 1;
	tm.tm_mday = d.d;
	tm.tm_hour = h;
	tm.tm_min = m;
	tm.tm_sec = s;
	tm.tm_isdst = -1;
	errno = 0;
	t = mktime(&tm);
	if (t == (time_t)-1 && errno) {
		/* Out of the C library's range: treat the zone as UTC. */
		t = (time_t)wall;
	}
	return cal_zoned(cal, (int64_t)t);
}

struct ts cal_end_of_day(const struct calendar *cal, struct date d)
{
	return local_instant(cal, d, 23, 59, 59);
}

struct ts cal_start_of_day(const struct calendar *cal, struct date d)
{
	return local_instant(cal, d, 0, 0, 0);
}

int cal_parse_when(const struct calendar *cal, const char *s,
	int end_of_day, struct ts *out)
{
	struct date d;
	char datepart[11];
	int hh = 0, mm = 0, ss = 0, n = 0;
	struct ts day;

	if (!ts_parse(out, s))
		return 0;
	if (strlen(s) < 10)
		return ERR_INVALID;
	memcpy(datepart, s, 10);
	datepart[10] = '\0';
	if (date_parse(&d, datepart))
		return ERR_INVALID;
	if (!s[10]) {
		*out = end_of_day ? cal_end_of_day(cal, d) :
			cal_start_of_day(cal, d);
		return 0;
	}
	if ((s[10] != ' ' && s[10] != 'T') ||
	    (sscanf(s + 11, "%2d:%2d%n:%2d%n", &hh, &mm, &n, &ss, &n) < 2) ||
	    s[11 + n] || hh > 23 || mm > 59 || ss > 59)
		return ERR_INVALID;
	day = cal_start_of_day(cal, d);
	*out = cal_zoned(cal, day.t + hh * 3600 + mm * 60 + ss);
	return 0;
}

/* ---- deadlines ------------------------------------------------------ */

/* Same month and day n years on; Feb 29 becomes Feb 28 off leap years. */
static struct date add_years(struct date d, int n)
{
	d.y += n;
	if (d.m == 2 && d.d == 29 && !is_leap(d.y))
		d.d = 28;
	return d;
}

struct ts cal_add(const struct calendar *cal, struct ts start,
	struct duration dur)
{
	struct date day;

	if (dur.unit == DUR_HOURS)
		return cal_zoned(cal, start.t + (int64_t)dur.n * 3600);
	day = cal_local_date(cal, start);
	switch (dur.unit) {
	case DUR_DAYS:
		/* Art. 203: a last day off work moves to the next working
		 * day, 0d ("the same day") included, as 1d and 3d do. */
		day = next_workday(cal, date_add_days(day, dur.n));
		break;
	case DUR_WORKDAYS:
		day = dur.n > 0 ? cal_add_workdays(cal, day, dur.n) :
			next_workday(cal, day);
		break;
	case DUR_YEARS:
		day = add_years(day, dur.n);
		break;
	default:
		break;
	}
	return cal_end_of_day(cal, day);
}

struct ts cal_shift(const struct calendar *cal, struct ts deadline,
	struct ts stop, struct ts restart, int hours)
{
	struct tm tm;
	struct date day;
	int n;

	if (hours)
		return cal_zoned(cal, deadline.t + (restart.t - stop.t));
	n = cal_workdays_between(cal, cal_local_date(cal, stop),
		cal_local_date(cal, restart));
	if (n <= 0 || local_tm(cal, deadline.t, &tm) != 0)
		return deadline;
	day.y = tm.tm_year + 1900;
	day.m = tm.tm_mon + 1;
	day.d = tm.tm_mday;
	day = cal_add_workdays(cal, day, n);
	return local_instant(cal, day, tm.tm_hour, tm.tm_min, tm.tm_sec);
}
