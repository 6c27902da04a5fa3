/*
 * config-calendar.c - docket.yaml: the working-day calendar (workdays,
 * holidays and 调休 make-up days) and the numbering of documents.
 */
#include "config-int.h"

static void parse_workdays(struct parser *p, const struct ynode *seq)
{
	unsigned days = 0;
	size_t i;

	if (!cfg_want(p, seq, YT_SEQ, "calendar.workdays"))
		return;
	if (seq->n == 0) {
		cfg_perr(p, seq, _("'calendar.workdays' needs at least one day"));
		return;
	}
	for (i = 0; i < seq->n; i++) {
		const struct ynode *n = seq->items[i];
		int k;

		if (!cfg_want(p, n, YT_SCALAR, "calendar.workdays"))
			continue;
		k = cfg_index_in(n->str, cfg_day_names);
		if (k < 0)
			cfg_perr(p, n, _("unknown weekday '%s' (expected mon, tue, "
				"wed, thu, fri, sat or sun)"), n->str);
		else if (days & (1u << k))
			cfg_perr(p, n, _("duplicate weekday '%s'"), n->str);
		else
			days |= 1u << k;
	}
	if (days)
		p->cfg->cal.workdays = days;
}

/* Parse "YYYY-MM-DD" or a range "A..B" into [*a, *b]; 0 or -1. */
static int holiday_range(const char *s, struct date *a, struct date *b)
{
	const char *dots = strstr(s, "..");
	char first[DATE_BUFSZ];
	size_t len;

	if (!dots) {
		if (date_parse(a, s) < 0)
			return -1;
		*b = *a;
		return 0;
	}
	len = (size_t)(dots - s);
	if (len >= sizeof(first))
		return -1;
	memcpy(first, s, len);
	first[len] = '\0';
	if (date_parse(a, first) < 0 || date_parse(b, dots + 2) < 0)
		return -1;
	return 0;
}

/* A holiday: "YYYY-MM-DD" or a range "A..B" with A <= B. */
static void parse_holiday(struct parser *p, const struct ynode *n)
{
	struct date a, b;

	if (!cfg_want(p, n, YT_SCALAR, "calendar.holidays"))
		return;
	if (holiday_range(n->str, &a, &b) < 0) {
		cfg_perr(p, n, _("invalid holiday '%s' (expected YYYY-MM-DD or "
			"YYYY-MM-DD..YYYY-MM-DD)"), n->str);
		return;
	}
	if (date_cmp(a, b) > 0) {
		cfg_perr(p, n, _("holiday range '%s' ends before it starts"),
			n->str);
		return;
	}
	if (date_to_days(b) - date_to_days(a) >= MAX_HOLIDAY_RANGE) {
		cfg_perr(p, n, _("holiday range '%s' is longer than a year"), n->str);
		return;
	}
	cal_add_holidays(&p->cfg->cal, a, b);
}

static int is_holiday(const struct calendar *cal, struct date d)
{
	size_t i;

	for (i = 0; i < cal->nholidays; i++)
		if (!date_cmp(cal->holidays[i], d))
			return 1;
	return 0;
}

/*
 * Holidays and make-up days given in the file replace the defaults.  A
 * day listed as both is refused: one of the two is a typo.
 */
void cfg_parse_calendar(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = {
		"workdays", "holidays", "extra_workdays", NULL
	};
	struct calendar *cal = &p->cfg->cal;
	const struct ynode *n;
	size_t i;

	if (!cfg_want(p, map, YT_MAP, "calendar"))
		return;
	cfg_check_keys(p, map, keys, "calendar");
	if ((n = ynode_get(map, "workdays")) != NULL)
		parse_workdays(p, n);
	if ((n = ynode_get(map, "holidays")) != NULL &&
		cfg_want(p, n, YT_SEQ, "calendar.holidays")) {
		free(cal->holidays);
		cal->holidays = NULL;
		cal->nholidays = 0;
		for (i = 0; i < n->n; i++)
			parse_holiday(p, n->items[i]);
	}
	cal_finish(cal);
	if (!(n = ynode_get(map, "extra_workdays")) ||
		!cfg_want(p, n, YT_SEQ, "calendar.extra_workdays"))
		return;
	free(cal->extra);
	cal->extra = NULL;
	cal->nextra = 0;
	for (i = 0; i < n->n; i++) {
		const struct ynode *it = n->items[i];
		struct date d;

		if (!cfg_want(p, it, YT_SCALAR, "calendar.extra_workdays"))
			continue;
		if (date_parse(&d, it->str) < 0)
			cfg_perr(p, it, _("invalid date '%s' in "
				"'calendar.extra_workdays' (expected "
				"YYYY-MM-DD)"), it->str);
		else if (is_holiday(cal, d))
			cfg_perr(p, it, _("'%s' is both a holiday and an extra "
				"working day"), it->str);
		else
			cal_add_extra(cal, d);
	}
	cal_finish(cal);
}

/* ---- numbering (document numbers of `docket print --issue`) ---- */

/*
 * A pattern names {year} once and {seq} once and nothing else in
 * braces: "农投〔{year}〕{seq}号".  Without {year} the numbers of two
 * years would meet; without {seq} every number would be the same.
 */
static int pattern_ok(const char *s)
{
	int year = 0, seq = 0, close = 0;
	const char *p;

	for (p = s; (p = strchr(p, '}')) != NULL; p++)
		close++;
	for (p = s; (p = strchr(p, '{')) != NULL; p++) {
		if (!strncmp(p, "{year}", 6))
			year++;
		else if (!strncmp(p, "{seq}", 5))
			seq++;
		else
			return 0;
	}
	return year == 1 && seq == 1 && close == 2;
}

void cfg_parse_numbering(struct parser *p, const struct ynode *map)
{
	struct config *cfg = p->cfg;
	const struct ynode *k, *v;
	char *pat = NULL;
	size_t i;

	if (!cfg_want(p, map, YT_MAP, "numbering"))
		return;
	for (i = 0; i < map->n; i++) {
		k = map->pairs[i].key;
		v = map->pairs[i].val;
		if (!form_name_valid(k->str)) {
			cfg_perr(p, k, _("'%s' in 'numbering' is not a form name"),
				k->str);
			continue;
		}
		if (cfg_get_text(p, v, "numbering", LIM_NAME, &pat))
			continue;
		if (!pattern_ok(pat)) {
			cfg_perr(p, v, _("the number pattern '%s' of form '%s' must "
				"hold {year} and {seq} once each, as "
				"\"农投〔{year}〕{seq}号\""), pat, k->str);
			free(pat);
			pat = NULL;
			continue;
		}
		cfg->numbering = xrealloc(cfg->numbering,
			(cfg->nnumbering + 1) * sizeof(*cfg->numbering));
		cfg->numbering[cfg->nnumbering].id = xstrdup(k->str);
		cfg->numbering[cfg->nnumbering++].label = pat;
		pat = NULL;
	}
}
