/*
 * figures.c - the figures of a report, in CSV column order, and how each
 * is written for people and for CSV; labels of values; the period's name
 * and heading.  Shared by every format (src/report/figures.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "labels.h"

const char *report_none(void)
{
	return _("(none)");
}

/* The labels are translated where they are shown; the keys never. */
const struct fig report_figs[V__COUNT] = {
	{ "received", N_("received"), N_("received"), FT_COUNT },
	{ "accepted", N_("accepted"), N_("accepted"), FT_COUNT },
	{ "rejected", N_("rejected"), N_("rejected"), FT_COUNT },
	{ "closed", N_("closed"), N_("closed"), FT_COUNT },
	{ "open_at_end", N_("open at end"), N_("open"), FT_COUNT },
	{ "overdue_at_end", N_("overdue at end"), N_("overdue"), FT_COUNT },
	{ "ack_on_time_rate", N_("acknowledged on time"), N_("ack"),
	  FT_RATE },
	{ "resolve_on_time_rate", N_("resolved on time"), N_("on time"),
	  FT_RATE },
	{ "handling_days.median", N_("handling days, median"), N_("median"),
	  FT_MEDIAN },
	{ "handling_days.mean", N_("handling days, mean"), N_("mean"),
	  FT_MEAN },
	{ "handling_days.p90", N_("handling days, 90th percentile"),
	  N_("p90"), FT_P90 },
	{ "satisfaction.satisfied", N_("satisfied"), N_("sat"), FT_COUNT },
	{ "satisfaction.fairly-satisfied", N_("fairly satisfied"),
	  N_("fairly"), FT_COUNT },
	{ "satisfaction.neutral", N_("neutral"), N_("neutral"), FT_COUNT },
	{ "satisfaction.dissatisfied", N_("dissatisfied"), N_("dissat"),
	  FT_COUNT },
	{ "satisfaction.unreachable", N_("unreachable"), N_("unreach"),
	  FT_COUNT },
	{ "satisfaction.rate", N_("satisfaction rate"), N_("sat rate"),
	  FT_RATE },
	{ "reopened", N_("reopened"), N_("reopened"), FT_COUNT },
	{ "repeats", N_("likely repeats"), N_("repeats"), FT_COUNT },
	{ "feedback_on_time_rate", N_("first answer on time"),
	  N_("answer"), FT_RATE },
	{ "visit_rate", N_("return visits done"), N_("visited"), FT_RATE },
	{ "visit_on_time_rate", N_("return visits on time"),
	  N_("visit on time"), FT_RATE },
	{ "collective", N_("collective complaints"), N_("collective"),
	  FT_COUNT },
	{ "collective_people", N_("people in collective complaints"),
	  N_("people"), FT_COUNT },
	{ "referred", N_("referred to outside bodies"), N_("referred"),
	  FT_COUNT },
	{ "referral_answer_on_time_rate",
	  N_("outside bodies' answers on time"), N_("answers"), FT_RATE },
};

/* A dimension's name for people ("部门"); the id stays in CSV/JSON. */
const char *report_dim_label(enum report_dim d)
{
	switch (d) {
	case RDIM_DEPARTMENT:
		return C_("dimension", "department");
	case RDIM_CATEGORY:
		return C_("dimension", "category");
	case RDIM_CHANNEL:
		return C_("dimension", "channel");
	case RDIM_RESPONDENT:
		return C_("dimension", "respondent");
	case RDIM_ASSIGNEE:
		return C_("dimension", "assignee");
	case RDIM_KIND:
		return C_("dimension", "kind");
	case RDIM_PRIORITY:
		return C_("dimension", "priority");
	case RDIM_SITE:
		return C_("dimension", "site");
	case RDIM_OUTCOME:
		return C_("dimension", "outcome");
	default:
		return "?";
	}
}

/* The figures kept per department (DESIGN section 8). */
const enum fid report_dept_figs[REPORT_DEPT_FIGS] = {
	V_RECEIVED, V_CLOSED, V_RESOLVE_RATE, V_MEDIAN, V_OPEN, V_OVERDUE
};

/*
 * The value of figure i in its unit (count; rate 0..1; median in half
 * days; mean in tenths; days), or ERR_NOTFOUND when it is null.
 */
int rfig_get(const struct report_stats *s, enum fid i, double *v)
{
	*v = 0;
	switch (i) {
	case V_RECEIVED: *v = (double)s->received; return 0;
	case V_ACCEPTED: *v = (double)s->accepted; return 0;
	case V_REJECTED: *v = (double)s->rejected; return 0;
	case V_CLOSED: *v = (double)s->closed; return 0;
	case V_OPEN: *v = (double)s->open_at_end; return 0;
	case V_OVERDUE: *v = (double)s->overdue_at_end; return 0;
	case V_ACK_RATE: return report_rate(v, s->ack_on_time, s->ack_n);
	case V_RESOLVE_RATE:
		return report_rate(v, s->resolve_on_time, s->resolve_n);
	case V_MEDIAN: *v = (double)s->median2; break;
	case V_MEAN: *v = (double)s->mean10; break;
	case V_P90: *v = (double)s->p90; break;
	case V_SAT0: case V_SAT1: case V_SAT2: case V_SAT3: case V_SAT4:
		*v = (double)s->sat[i - V_SAT0];
		return 0;
	case V_SAT_RATE: return report_sat_rate(v, s);
	case V_REOPENED: *v = (double)s->reopened; return 0;
	case V_REPEATS: *v = (double)s->repeats; return 0;
	case V_FEEDBACK_RATE:
		return report_rate(v, s->feedback_on_time, s->feedback_n);
	case V_VISIT_RATE: return report_rate(v, s->visited, s->visit_owed);
	case V_VISIT_ON_TIME:
		return report_rate(v, s->visit_on_time, s->visit_timed);
	case V_COLLECTIVE: *v = (double)s->collective; return 0;
	case V_PEOPLE: *v = (double)s->people; return 0;
	case V_REFERRED: *v = (double)s->referred; return 0;
	case V_REFERRAL_RATE:
		return report_rate(v, s->ref_on_time, s->ref_n);
	default: return ERR_NOTFOUND;
	}
	return s->nhandled ? 0 : ERR_NOTFOUND;
}

/* Half days as "7" or "7.5", tenths as "7.3", with a sign if asked. */
void rfmt_units(struct sb *out, long v, long per, int sign)
{
	const char *s = v < 0 ? "-" : sign && v > 0 ? "+" : "";
	long a = labs(v);

	if (per == 2)
		sb_addf(out, "%s%ld%s", s, a / 2, a % 2 ? ".5" : "");
	else if (per == 10)
		sb_addf(out, "%s%ld.%ld", s, a / 10, a % 10);
	else
		sb_addf(out, "%s%ld", s, a);
}

long rper_unit(enum ftype t)
{
	return t == FT_MEDIAN ? 2 : t == FT_MEAN ? 10 : 1;
}

/* A value for CSV: plain numbers, rates as fractions, null empty. */
void rfmt_csv(struct sb *out, const struct report_stats *s, enum fid i)
{
	double v;

	if (rfig_get(s, i, &v))
		return;
	if (report_figs[i].type == FT_RATE)
		sb_addf(out, "%.6g", v);
	else
		rfmt_units(out, (long)v, rper_unit(report_figs[i].type), 0);
}

/* A value for people: rates in per cent, null as "-". */
void rfmt_human(struct sb *out, const struct report_stats *s,
	enum fid i)
{
	double v;

	if (rfig_get(s, i, &v))
		sb_adds(out, "-");
	else if (report_figs[i].type == FT_RATE)
		sb_addf(out, "%.1f%%", v * 100);
	else
		rfmt_units(out, (long)v, rper_unit(report_figs[i].type), 0);
}

/* The change from the previous period: counts and days by difference,
 * rates in percentage points. */
void rfmt_change(struct sb *out, const struct report_stats *cur,
	const struct report_stats *prev, enum fid i)
{
	double a, b, d;

	if (rfig_get(cur, i, &a) || rfig_get(prev, i, &b)) {
		sb_adds(out, "-");
		return;
	}
	if (report_figs[i].type == FT_RATE) {
		d = (a - b) * 100;
		/* TRANSLATORS: a change of a rate in percentage points. */
		if (d < 0.05 && d > -0.05)
			sb_addf(out, _("%.1f pp"), 0.0);
		else
			sb_addf(out, _("%+.1f pp"), d);
		return;
	}
	rfmt_units(out, (long)(a - b), rper_unit(report_figs[i].type), 1);
}

/* "label (id)" for configured values and the fixed words, the id (a
 * respondent's name) otherwise. */
void report_show_key(struct sb *out, const struct config *cfg,
	enum report_dim dim, const char *key)
{
	static const int vocab[RDIM__COUNT] = {
		[RDIM_DEPARTMENT] = VOC_DEPARTMENT,
		[RDIM_CATEGORY] = VOC_CATEGORY,
		[RDIM_CHANNEL] = VOC_CHANNEL,
		[RDIM_RESPONDENT] = -1,
		[RDIM_ASSIGNEE] = VOC_STAFF,
		[RDIM_KIND] = VOC_KIND,
		[RDIM_PRIORITY] = VOC_PRIORITY,
		[RDIM_SITE] = -1,
		[RDIM_OUTCOME] = VOC_OUTCOME,
	};
	const struct site *site;

	if (!key) {
		sb_adds(out, NONE);
		return;
	}
	if (dim == RDIM_SITE && (site = config_site(cfg, key)) &&
	    site->label && *site->label)
		/* TRANSLATORS: a label and its id: "广州分公司 (gz)". */
		sb_addf(out, _("%s (%s)"), site->label, key);
	else if (vocab[dim] < 0)
		sb_adds(out, key);
	else
		vocab_show(out, cfg, (enum vocab)vocab[dim], key);
}

/* "2026-10" for a whole month, else "2026-10-01..2026-10-15" (the last
 * day included). */
void report_period_name(struct sb *out, struct date from, struct date to)
{
	char a[DATE_BUFSZ], b[DATE_BUFSZ];
	struct date mf, mt;

	report_month(from, &mf, &mt);
	if (!date_cmp(from, mf) && !date_cmp(to, mt)) {
		sb_addf(out, "%04d-%02d", from.y, from.m);
		return;
	}
	date_format(a, from);
	date_format(b, date_add_days(to, -1));
	sb_addf(out, "%s..%s", a, b);
}

/* The first and last day of the period (and of the one before): the
 * line under the organization in every format for people. */
void report_heading(struct sb *out, const struct report_view *r)
{
	char a[DATE_BUFSZ], b[DATE_BUFSZ], c[DATE_BUFSZ], d[DATE_BUFSZ];

	date_format(a, r->from);
	date_format(b, date_add_days(r->to, -1));
	date_format(c, r->pfrom);
	date_format(d, date_add_days(r->pto, -1));
	if (r->by_set)
		/* TRANSLATORS: the first and the last day of the report. */
		sb_addf(out, _("report %s to %s"), a, b);
	else
		/* TRANSLATORS: the first and last day of the report, then
		   of the period before it. */
		sb_addf(out, _("report %1$s to %2$s, compared with %3$s to "
			"%4$s"), a, b, c, d);
}
