/*
 * report.c - `docket report`: the monthly statistics of DESIGN section 8
 * as a terminal table, CSV, JSON, Markdown or one self-contained HTML
 * page.
 *
 * The store is read once: each case is reduced to its facts for the
 * period and for the one before (report_fact), and dropped.  Only ids,
 * labels and respondents reach the output; the complainant block is
 * never looked at.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "labels.h"
#include "output.h"
#include "report.h"

#define NONE _("(none)")
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* ---- the scalar figures, in CSV column order ------------------------- */

enum ftype { FT_COUNT, FT_RATE, FT_MEDIAN, FT_MEAN, FT_P90 };

enum fid {
	V_RECEIVED, V_ACCEPTED, V_REJECTED, V_CLOSED, V_OPEN, V_OVERDUE,
	V_ACK_RATE, V_RESOLVE_RATE, V_MEDIAN, V_MEAN, V_P90, V_SAT0, V_SAT1,
	V_SAT2, V_SAT3, V_SAT4, V_SAT_RATE, V_REOPENED, V_REPEATS,
	V_FEEDBACK_RATE, V_VISIT_RATE, V_VISIT_ON_TIME, V_COLLECTIVE,
	V_PEOPLE, V_REFERRED, V_REFERRAL_RATE, V__COUNT
};

struct fig {
	const char *key;	/* JSON path and CSV column */
	const char *label;	/* table, md and html rows (N_) */
	const char *brief;	/* column head with --by (N_) */
	enum ftype type;
};

/* The labels are translated where they are shown; the keys never. */
static const struct fig figs[V__COUNT] = {
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
static const char *dim_label(enum report_dim d)
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
static const enum fid dept_figs[] = {
	V_RECEIVED, V_CLOSED, V_RESOLVE_RATE, V_MEDIAN, V_OPEN, V_OVERDUE
};

/*
 * The value of figure i in its unit (count; rate 0..1; median in half
 * days; mean in tenths; days), or ERR_NOTFOUND when it is null.
 */
static int fig_get(const struct report_stats *s, enum fid i, double *v)
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
static void fmt_units(struct sb *out, long v, long per, int sign)
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

static long per_unit(enum ftype t)
{
	return t == FT_MEDIAN ? 2 : t == FT_MEAN ? 10 : 1;
}

/* A value for CSV: plain numbers, rates as fractions, null empty. */
static void fmt_csv(struct sb *out, const struct report_stats *s, enum fid i)
{
	double v;

	if (fig_get(s, i, &v))
		return;
	if (figs[i].type == FT_RATE)
		sb_addf(out, "%.6g", v);
	else
		fmt_units(out, (long)v, per_unit(figs[i].type), 0);
}

/* A value for people: rates in per cent, null as "-". */
static void fmt_human(struct sb *out, const struct report_stats *s,
	enum fid i)
{
	double v;

	if (fig_get(s, i, &v))
		sb_adds(out, "-");
	else if (figs[i].type == FT_RATE)
		sb_addf(out, "%.1f%%", v * 100);
	else
		fmt_units(out, (long)v, per_unit(figs[i].type), 0);
}

/* The change from the previous period: counts and days by difference,
 * rates in percentage points. */
static void fmt_change(struct sb *out, const struct report_stats *cur,
	const struct report_stats *prev, enum fid i)
{
	double a, b, d;

	if (fig_get(cur, i, &a) || fig_get(prev, i, &b)) {
		sb_adds(out, "-");
		return;
	}
	if (figs[i].type == FT_RATE) {
		d = (a - b) * 100;
		/* TRANSLATORS: a change of a rate in percentage points. */
		if (d < 0.05 && d > -0.05)
			sb_addf(out, _("%.1f pp"), 0.0);
		else
			sb_addf(out, _("%+.1f pp"), d);
		return;
	}
	fmt_units(out, (long)(a - b), per_unit(figs[i].type), 1);
}

/* ---- JSON ------------------------------------------------------------ */

static json_t *fig_json(const struct report_stats *s, enum fid i)
{
	double v;

	if (fig_get(s, i, &v))
		return json_null();
	switch (figs[i].type) {
	case FT_RATE:
		return json_real(v);
	case FT_MEDIAN:
		return s->median2 % 2 ? json_real(v / 2) :
			json_integer(s->median2 / 2);
	case FT_MEAN:
		return json_real(v / 10);
	default:
		return json_integer((json_int_t)v);
	}
}

/* Set figure i in obj, nesting "a.b" as {"a": {"b": ...}}. */
static void set_fig(json_t *obj, const struct report_stats *s, enum fid i)
{
	const char *key = figs[i].key, *dot = strchr(key, '.');
	char head[32];
	json_t *sub;

	if (!dot) {
		json_object_set_new(obj, key, fig_json(s, i));
		return;
	}
	snprintf(head, sizeof(head), "%.*s", (int)(dot - key), key);
	sub = json_object_get(obj, head);
	if (!sub) {
		sub = json_object();
		json_object_set_new(obj, head, sub);
	}
	json_object_set_new(sub, dot + 1, fig_json(s, i));
}

static void stats_json(json_t *obj, const struct report_stats *s)
{
	int i;

	for (i = 0; i < V__COUNT; i++)
		set_fig(obj, s, (enum fid)i);
}

static void date_json(json_t *obj, const char *key, struct date d)
{
	char buf[DATE_BUFSZ];

	date_format(buf, d);
	json_object_set_new(obj, key, json_string(buf));
}

static json_t *counts_json(const struct report_count *v, size_t n)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < n; i++)
		json_object_set_new(o, v[i].key ? v[i].key : NONE,
			json_integer(v[i].n));
	return o;
}

static json_t *period_json(const struct report *r)
{
	json_t *o = json_object(), *a, *d, *e;
	size_t i, j;

	date_json(o, "from", r->from);
	date_json(o, "to", r->to);
	stats_json(o, &r->st);
	json_object_set_new(o, "by_channel",
		counts_json(r->by[RDIM_CHANNEL], r->nby[RDIM_CHANNEL]));
	json_object_set_new(o, "by_kind",
		counts_json(r->by[RDIM_KIND], r->nby[RDIM_KIND]));
	json_object_set_new(o, "by_category",
		counts_json(r->by[RDIM_CATEGORY], r->nby[RDIM_CATEGORY]));
	json_object_set_new(o, "by_outcome",
		counts_json(r->by[RDIM_OUTCOME], r->nby[RDIM_OUTCOME]));
	a = json_array();
	for (i = 0; i < r->ntop; i++) {
		e = json_object();
		json_object_set_new(e, "respondent",
			json_string(r->top[i].key));
		json_object_set_new(e, "received", json_integer(r->top[i].n));
		json_array_append_new(a, e);
	}
	json_object_set_new(o, "top_respondents", a);
	d = json_object();
	for (i = 0; i < r->ndepartments; i++) {
		e = json_object();
		for (j = 0; j < ARRAY_SIZE(dept_figs); j++)
			set_fig(e, &r->departments[i].st, dept_figs[j]);
		json_object_set_new(d, r->departments[i].key, e);
	}
	json_object_set_new(o, "departments", d);
	return o;
}

/* ---- what the command collects --------------------------------------- */

struct run {
	const struct config *cfg;
	struct date from, to, pfrom, pto;
	struct ts tfrom, tto, tpfrom, tpto;
	struct report_fact *cur, *prev;
	size_t ncur, nprev, acur, aprev;
	int by_set;
	enum report_dim by;
	struct report rc, rp;
	struct report_group *rows;
	size_t nrows;
	struct ts now;		/* when the report is made ("generated at") */
};

/* What one case adds to the period and to the one before: made on every
 * core by facts_of(), added up in path order by collect(). */
struct case_facts {
	struct report_fact cur, prev;
	int has_cur, has_prev;
};

static void facts_of(void *out, const struct ctx *ctx, const struct dcase *c,
	const void *arg)
{
	const struct run *r = arg;
	struct case_facts *f = out;

	f->has_cur = report_fact(&f->cur, &ctx->cfg, c, r->tfrom, r->tto);
	f->has_prev = report_fact(&f->prev, &ctx->cfg, c, r->tpfrom,
		r->tpto);
}

static void facts_release(void *out)
{
	struct case_facts *f = out;

	if (f->has_cur)
		report_fact_release(&f->cur);
	if (f->has_prev)
		report_fact_release(&f->prev);
}

static int collect(struct ctx *ctx, const char *path, struct dcase *c,
	void *out, void *data)
{
	struct case_facts *f = out;
	struct run *r = data;

	(void)ctx;
	(void)path;
	(void)c;
	if (f->has_cur) {
		GROW(r->cur, r->acur, r->ncur + 1);
		r->cur[r->ncur++] = f->cur;
		f->has_cur = 0;
	}
	if (f->has_prev) {
		GROW(r->prev, r->aprev, r->nprev + 1);
		r->prev[r->nprev++] = f->prev;
		f->has_prev = 0;
	}
	return 0;
}

/* ---- labels ---------------------------------------------------------- */

/* "label (id)" for configured values and the fixed words, the id (a
 * respondent's name) otherwise. */
static void show_key(struct sb *out, const struct config *cfg,
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
static void period_name(struct sb *out, struct date from, struct date to)
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

/* ---- grids: what table, md and html show ----------------------------- */

struct grid {
	char *title;
	size_t ncols;
	struct strlist cells;	/* head row first; ncols per row */
	unsigned right;		/* bit c: right-aligned column */
};

static struct grid *grid_new(struct grid **v, size_t *n, size_t *alloc,
	const char *title, size_t ncols)
{
	struct grid *g;

	GROW(*v, *alloc, *n + 1);
	g = &(*v)[(*n)++];
	memset(g, 0, sizeof(*g));
	g->title = xstrdup(title);
	g->ncols = ncols;
	g->right = ~1u;
	return g;
}

static void grid_cell(struct grid *g, const struct sb *sb)
{
	strlist_push(&g->cells, sb->buf);
}

static void grid_text(struct grid *g, const char *s)
{
	strlist_push(&g->cells, s ? s : "");
}

static void grids_free(struct grid *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].title);
		strlist_release(&v[i].cells);
	}
	free(v);
}

static void summary_grid(struct grid *g, const struct run *r)
{
	struct sb sb = SB_INIT;
	int i;

	grid_text(g, C_("report column", "figure"));
	period_name(&sb, r->from, r->to);
	grid_cell(g, &sb);
	sb_reset(&sb);
	period_name(&sb, r->pfrom, r->pto);
	grid_cell(g, &sb);
	grid_text(g, C_("report column", "change"));
	for (i = 0; i < V__COUNT; i++) {
		grid_text(g, _(figs[i].label));
		sb_reset(&sb);
		fmt_human(&sb, &r->rc.st, (enum fid)i);
		grid_cell(g, &sb);
		sb_reset(&sb);
		fmt_human(&sb, &r->rp.st, (enum fid)i);
		grid_cell(g, &sb);
		sb_reset(&sb);
		fmt_change(&sb, &r->rc.st, &r->rp.st, (enum fid)i);
		grid_cell(g, &sb);
	}
	sb_release(&sb);
}

static const struct report_count *find_count(const struct report_count *v,
	size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (key ? v[i].key && !strcmp(v[i].key, key) : !v[i].key)
			return &v[i];
	return NULL;
}

/* Counts per value this period and the one before: values of this
 * period first, then those only the previous period has. */
static void counts_grid(struct grid *g, const struct run *r,
	enum report_dim dim)
{
	const struct report_count *a = r->rc.by[dim], *b = r->rp.by[dim], *h;
	size_t na = r->rc.nby[dim], nb = r->rp.nby[dim], i;
	struct sb sb = SB_INIT;

	grid_text(g, dim_label(dim));
	period_name(&sb, r->from, r->to);
	grid_cell(g, &sb);
	sb_reset(&sb);
	period_name(&sb, r->pfrom, r->pto);
	grid_cell(g, &sb);
	for (i = 0; i < na + nb; i++) {
		const struct report_count *x = i < na ? &a[i] : &b[i - na];

		if (i >= na && find_count(a, na, x->key))
			continue;
		sb_reset(&sb);
		show_key(&sb, r->cfg, dim, x->key);
		grid_cell(g, &sb);
		h = i < na ? x : NULL;
		sb_reset(&sb);
		sb_addf(&sb, "%ld", h ? h->n : 0L);
		grid_cell(g, &sb);
		h = find_count(b, nb, x->key);
		sb_reset(&sb);
		sb_addf(&sb, "%ld", h ? h->n : 0L);
		grid_cell(g, &sb);
	}
	sb_release(&sb);
}

static void top_grid(struct grid *g, const struct run *r)
{
	struct sb sb = SB_INIT;
	size_t i;

	grid_text(g, "#");
	grid_text(g, C_("report column", "respondent"));
	grid_text(g, C_("report column", "received"));
	g->right = 1u | 4u;
	for (i = 0; i < r->rc.ntop; i++) {
		sb_reset(&sb);
		sb_addf(&sb, "%zu", i + 1);
		grid_cell(g, &sb);
		grid_text(g, r->rc.top[i].key);
		sb_reset(&sb);
		sb_addf(&sb, "%ld", r->rc.top[i].n);
		grid_cell(g, &sb);
	}
	sb_release(&sb);
}

static void departments_grid(struct grid *g, const struct run *r)
{
	struct sb sb = SB_INIT;
	size_t i, j;

	grid_text(g, C_("report column", "department"));
	for (j = 0; j < ARRAY_SIZE(dept_figs); j++)
		grid_text(g, _(figs[dept_figs[j]].brief));
	for (i = 0; i < r->rc.ndepartments; i++) {
		const struct report_group *d = &r->rc.departments[i];

		sb_reset(&sb);
		show_key(&sb, r->cfg, RDIM_DEPARTMENT, d->key);
		grid_cell(g, &sb);
		for (j = 0; j < ARRAY_SIZE(dept_figs); j++) {
			sb_reset(&sb);
			fmt_human(&sb, &d->st, dept_figs[j]);
			grid_cell(g, &sb);
		}
	}
	sb_release(&sb);
}

static void rows_grid(struct grid *g, const struct run *r)
{
	struct sb sb = SB_INIT;
	size_t i;
	int j;

	grid_text(g, dim_label(r->by));
	for (j = 0; j < V__COUNT; j++)
		grid_text(g, _(figs[j].brief));
	for (i = 0; i < r->nrows; i++) {
		sb_reset(&sb);
		show_key(&sb, r->cfg, r->by, r->rows[i].key);
		grid_cell(g, &sb);
		for (j = 0; j < V__COUNT; j++) {
			sb_reset(&sb);
			fmt_human(&sb, &r->rows[i].st, (enum fid)j);
			grid_cell(g, &sb);
		}
	}
	sb_release(&sb);
}

/* Every section of the report, in the order shown. */
static size_t build_grids(struct grid **out, const struct run *r)
{
	struct grid *v = NULL;
	size_t n = 0, alloc = 0;
	struct sb t = SB_INIT;

	if (r->by_set) {
		/* TRANSLATORS: a section of a report, one row per value of
		   a dimension: "by department". */
		sb_addf(&t, _("by %s"), dim_label(r->by));
		rows_grid(grid_new(&v, &n, &alloc, t.buf, V__COUNT + 1), r);
		sb_release(&t);
		*out = v;
		return n;
	}
	summary_grid(grid_new(&v, &n, &alloc, _("summary"), 4), r);
	counts_grid(grid_new(&v, &n, &alloc, _("received by channel"), 3), r,
		RDIM_CHANNEL);
	counts_grid(grid_new(&v, &n, &alloc, _("received by kind"), 3), r,
		RDIM_KIND);
	counts_grid(grid_new(&v, &n, &alloc, _("received by category"), 3),
		r, RDIM_CATEGORY);
	counts_grid(grid_new(&v, &n, &alloc, _("closed by outcome"), 3), r,
		RDIM_OUTCOME);
	top_grid(grid_new(&v, &n, &alloc, _("top respondents"), 3), r);
	departments_grid(grid_new(&v, &n, &alloc, _("departments"),
		ARRAY_SIZE(dept_figs) + 1), r);
	*out = v;
	return n;
}

/* ---- output formats -------------------------------------------------- */

static void heading(struct sb *out, const struct run *r)
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

static void emit_table(struct sb *out, const struct run *r,
	const struct grid *g, size_t ng)
{
	struct table t;
	size_t i, j;

	out_escape(out, r->cfg->organization ? r->cfg->organization : "", 0);
	sb_addc(out, '\n');
	heading(out, r);
	sb_addc(out, '\n');
	for (i = 0; i < ng; i++) {
		sb_addf(out, "\n%s\n", g[i].title);
		table_init(&t, g[i].ncols);
		t.right = g[i].right;
		for (j = 0; j + g[i].ncols <= g[i].cells.n; j += g[i].ncols)
			table_row(&t, (const char *const *)g[i].cells.v + j);
		table_render(out, &t);
		table_release(&t);
	}
}

/* Markdown: control characters made visible, then every ASCII
 * punctuation character that Markdown or a table could read escaped. */
static void md_text(struct sb *out, const char *s)
{
	struct sb e = SB_INIT;
	const char *p;

	out_escape(&e, s, 0);
	for (p = e.buf; *p; p++) {
		if (strchr("`*_[]<>|#&!~{}", *p))
			sb_addc(out, '\\');
		sb_addc(out, *p);
	}
	sb_release(&e);
}

static void emit_md(struct sb *out, const struct run *r,
	const struct grid *g, size_t ng)
{
	size_t i, j;

	sb_adds(out, "# ");
	md_text(out, r->cfg->organization ? r->cfg->organization : "docket");
	sb_adds(out, "\n\n");
	heading(out, r);
	sb_adds(out, _(".\n"));
	for (i = 0; i < ng; i++) {
		sb_addf(out, "\n## %s\n\n", g[i].title);
		for (j = 0; j < g[i].cells.n; j++) {
			size_t c = j % g[i].ncols;

			sb_adds(out, c ? " " : "| ");
			md_text(out, g[i].cells.v[j]);
			sb_adds(out, " |");
			if (c + 1 < g[i].ncols)
				continue;
			sb_addc(out, '\n');
			if (j + 1 != g[i].ncols)
				continue;
			for (c = 0; c < g[i].ncols; c++)
				sb_adds(out, g[i].right & (1u << c) ?
					"|--:" : "|---");
			sb_adds(out, "|\n");
		}
	}
}

static void csv_head(struct sb *out, const struct run *r)
{
	const char *v[V__COUNT + 3];
	size_t n = 0;
	int i;

	v[n++] = "from";
	v[n++] = "to";
	if (r->by_set)
		v[n++] = report_dim_names[r->by];
	for (i = 0; i < V__COUNT; i++)
		v[n++] = figs[i].key;
	csv_row(out, v, n);
}

static void csv_stats(struct sb *out, const struct run *r, const char *key,
	const struct report_stats *s)
{
	char a[DATE_BUFSZ], b[DATE_BUFSZ];
	struct sb cell[V__COUNT];
	const char *v[V__COUNT + 3];
	size_t n = 0;
	int i;

	date_format(a, r->from);
	date_format(b, r->to);
	v[n++] = a;
	v[n++] = b;
	if (r->by_set)
		v[n++] = key ? key : "";
	for (i = 0; i < V__COUNT; i++) {
		sb_init(&cell[i]);
		fmt_csv(&cell[i], s, (enum fid)i);
		v[n++] = cell[i].buf;
	}
	csv_row(out, v, n);
	for (i = 0; i < V__COUNT; i++)
		sb_release(&cell[i]);
}

static void emit_csv(struct sb *out, const struct run *r, int bom)
{
	size_t i;

	csv_begin(out, bom);
	csv_head(out, r);
	if (!r->by_set) {
		csv_stats(out, r, NULL, &r->rc.st);
		return;
	}
	for (i = 0; i < r->nrows; i++)
		csv_stats(out, r, r->rows[i].key, &r->rows[i].st);
}

static void emit_json(struct sb *out, const struct run *r)
{
	json_t *o, *a, *row;
	size_t i;

	if (!r->by_set) {
		o = period_json(&r->rc);
		json_object_set_new(o, "previous", period_json(&r->rp));
	} else {
		o = json_object();
		date_json(o, "from", r->from);
		date_json(o, "to", r->to);
		json_object_set_new(o, "by",
			json_string(report_dim_names[r->by]));
		a = json_array();
		for (i = 0; i < r->nrows; i++) {
			row = json_object();
			json_object_set_new(row, report_dim_names[r->by],
				r->rows[i].key ? json_string(r->rows[i].key) :
				json_null());
			stats_json(row, &r->rows[i].st);
			json_array_append_new(a, row);
		}
		json_object_set_new(o, "rows", a);
	}
	/* The organization first, as in every other format's heading. */
	a = json_object();
	json_object_set_new(a, "organization",
		json_string(r->cfg->organization ? r->cfg->organization : ""));
	json_object_update(a, o);
	json_dump_sb(out, a, 0);
	json_decref(a);
	json_decref(o);
}

/* ---- html ------------------------------------------------------------ */

/* Text for HTML: markup characters as entities, control characters made
 * visible (case files cannot hold them, but a page must stay sound). */
static void html_text(struct sb *out, const char *s)
{
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '&')
			sb_adds(out, "&amp;");
		else if (c == '<')
			sb_adds(out, "&lt;");
		else if (c == '>')
			sb_adds(out, "&gt;");
		else if (c == '"')
			sb_adds(out, "&quot;");
		else if (c == '\'')
			sb_adds(out, "&#39;");
		else if (c < 0x20 || c == 0x7f)
			sb_addf(out, "\\x%02x", c);
		else
			sb_addc(out, (char)c);
	}
}

/* At most max display columns of s, with "…" when cut. */
static void clip(struct sb *out, const char *s, size_t max)
{
	size_t len = strlen(s), i = 0, w = 0;
	unsigned cp;
	char one[8];
	int n;

	if (display_width(s) <= max) {
		sb_adds(out, s);
		return;
	}
	while (i < len) {
		n = utf8_decode(s + i, len - i, &cp);
		if (n <= 0)
			n = 1;
		memcpy(one, s + i, (size_t)n);
		one[n] = '\0';
		w += display_width(one);
		if (w + 1 > max)
			break;
		sb_add(out, s + i, (size_t)n);
		i += (size_t)n;
	}
	sb_adds(out, "…");
}

struct bar {
	char *label;
	double v, prev;		/* prev < 0: none */
	char *text;		/* shown after the bar */
};

#define BAR_LABEL_W 200
#define BAR_AREA_W 360
#define BAR_ROW_H 26

/* A horizontal bar chart: this period dark, the previous one light
 * below it.  max is the value of a full bar. */
static void svg_bars(struct sb *out, const char *title, const struct bar *b,
	size_t n, double max, int with_prev)
{
	size_t i;
	int h = (int)n * BAR_ROW_H + 10, w = BAR_LABEL_W + BAR_AREA_W + 120;

	sb_addf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\" role=\"img\" "
		"aria-label=\"", w, h, w, h);
	html_text(out, title);
	sb_adds(out, "\">\n<title>");
	html_text(out, title);
	sb_adds(out, "</title>\n");
	for (i = 0; i < n; i++) {
		int y = (int)i * BAR_ROW_H + 5;
		double len = max > 0 ? b[i].v / max * BAR_AREA_W : 0;
		struct sb l = SB_INIT;

		clip(&l, b[i].label, 28);
		sb_addf(out, "<text x=\"%d\" y=\"%d\" class=\"l\">",
			BAR_LABEL_W - 8, y + 13);
		html_text(out, l.buf);
		sb_adds(out, "</text>\n");
		sb_release(&l);
		sb_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" "
			"height=\"12\" class=\"cur\"/>\n", BAR_LABEL_W, y + 3,
			len);
		if (with_prev && b[i].prev >= 0)
			sb_addf(out, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" "
				"height=\"6\" class=\"prev\"/>\n",
				BAR_LABEL_W, y + 16, max > 0 ?
				b[i].prev / max * BAR_AREA_W : 0);
		sb_addf(out, "<text x=\"%.1f\" y=\"%d\" class=\"v\">",
			BAR_LABEL_W + len + 6, y + 13);
		html_text(out, b[i].text);
		sb_adds(out, "</text>\n");
	}
	sb_adds(out, "</svg>\n");
}

static void bars_free(struct bar *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(b[i].label);
		free(b[i].text);
	}
	free(b);
}

static void bar_push(struct bar **v, size_t *n, size_t *alloc,
	const char *label, double cur, double prev, const char *text)
{
	GROW(*v, *alloc, *n + 1);
	(*v)[*n].label = xstrdup(label);
	(*v)[*n].v = cur;
	(*v)[*n].prev = prev;
	(*v)[*n].text = xstrdup(text);
	(*n)++;
}

static void legend(struct sb *out, const struct run *r)
{
	struct sb a = SB_INIT, b = SB_INIT;

	period_name(&a, r->from, r->to);
	period_name(&b, r->pfrom, r->pto);
	sb_adds(out, "<p class=\"legend\"><span class=\"k cur\"></span>");
	html_text(out, a.buf);
	sb_adds(out, " <span class=\"k prev\"></span>");
	html_text(out, b.buf);
	sb_adds(out, "</p>\n");
	sb_release(&a);
	sb_release(&b);
}

/* A figure: its heading kept with it on one printed page. */
static void fig_begin(struct sb *out, const char *title)
{
	sb_adds(out, "<section class=\"fig\">\n<h2>");
	html_text(out, title);
	sb_adds(out, "</h2>\n");
}

/* What the figure counts, under it, and the end of the figure. */
static void fig_end(struct sb *out, const char *definition)
{
	sb_adds(out, "<p class=\"def\">");
	html_text(out, definition);
	sb_adds(out, "</p>\n</section>\n");
}

/* Cases received per value of dim, this period against the previous. */
static void chart_counts(struct sb *out, const struct run *r,
	enum report_dim dim, const char *title)
{
	const struct report_count *a = r->rc.by[dim], *b = r->rp.by[dim], *h;
	size_t na = r->rc.nby[dim], nb = r->rp.nby[dim], i, n = 0, alloc = 0;
	struct bar *v = NULL;
	struct sb l = SB_INIT, t = SB_INIT;
	double max = 0;

	for (i = 0; i < na + nb; i++) {
		const struct report_count *x = i < na ? &a[i] : &b[i - na];
		long cur = i < na ? x->n : 0, prev;

		if (i >= na && find_count(a, na, x->key))
			continue;
		h = find_count(b, nb, x->key);
		prev = h ? h->n : 0;
		sb_reset(&l);
		show_key(&l, r->cfg, dim, x->key);
		sb_reset(&t);
		/* TRANSLATORS: a bar's numbers: this period (the previous). */
		sb_addf(&t, _("%ld (%ld)"), cur, prev);
		bar_push(&v, &n, &alloc, l.buf, (double)cur, (double)prev,
			t.buf);
		if (cur > max)
			max = (double)cur;
		if (prev > max)
			max = (double)prev;
	}
	fig_begin(out, title);
	if (n) {
		svg_bars(out, title, v, n, max, 1);
	} else {
		sb_adds(out, "<p>");
		html_text(out, _("No cases."));
		sb_adds(out, "</p>\n");
	}
	fig_end(out, _("Cases received in the period, by this value; in "
		"brackets and light, the period before."));
	bars_free(v, n);
	sb_release(&l);
	sb_release(&t);
}

static void chart_change(struct sb *out, const struct run *r)
{
	static const enum fid which[] = {
		V_RECEIVED, V_ACCEPTED, V_REJECTED, V_CLOSED, V_OPEN,
		V_OVERDUE, V_REOPENED, V_REPEATS
	};
	struct bar *v = NULL;
	size_t n = 0, alloc = 0, i;
	struct sb t = SB_INIT, c = SB_INIT;
	double a, b, max = 0;

	for (i = 0; i < ARRAY_SIZE(which); i++) {
		fig_get(&r->rc.st, which[i], &a);
		fig_get(&r->rp.st, which[i], &b);
		sb_reset(&t);
		sb_reset(&c);
		fmt_change(&c, &r->rc.st, &r->rp.st, which[i]);
		/* TRANSLATORS: a bar's numbers: this period (the previous
		   one, the change). */
		sb_addf(&t, _("%.0f (%.0f, %s)"), a, b, c.buf);
		bar_push(&v, &n, &alloc, _(figs[which[i]].label), a, b, t.buf);
		max = MAX(max, MAX(a, b));
	}
	fig_begin(out, _("Change from the previous period"));
	svg_bars(out, _("change from the previous period"), v, n, max, 1);
	fig_end(out, _("Each figure of this period (dark) against the period "
		"of equal length before it (light); in brackets the previous "
		"value and the change."));
	sb_release(&c);
	bars_free(v, n);
	sb_release(&t);
}

static void chart_on_time(struct sb *out, const struct run *r)
{
	struct bar *v = NULL;
	size_t n = 0, alloc = 0, i;
	struct sb l = SB_INIT, t = SB_INIT;
	double a;

	for (i = 0; i < r->rc.ndepartments; i++) {
		const struct report_group *d = &r->rc.departments[i];

		sb_reset(&l);
		show_key(&l, r->cfg, RDIM_DEPARTMENT, d->key);
		sb_reset(&t);
		if (fig_get(&d->st, V_RESOLVE_RATE, &a)) {
			a = 0;
			sb_adds(&t, _("no closings"));
		} else {
			/* TRANSLATORS: a rate and how many cases it is of:
			   "75.0% of 4". */
			sb_addf(&t, Q_("%.1f%% of %ld", "%.1f%% of %ld",
				(unsigned long)d->st.resolve_n), a * 100,
				d->st.resolve_n);
		}
		bar_push(&v, &n, &alloc, l.buf, a, -1, t.buf);
	}
	fig_begin(out, _("Resolved on time, by department"));
	if (n) {
		svg_bars(out, _("resolved on time by department"), v, n, 1, 0);
	} else {
		sb_adds(out, "<p>");
		html_text(out, _("No departments."));
		sb_adds(out, "</p>\n");
	}
	fig_end(out, _("Of the cases closed in the period that had a resolve "
		"deadline, the share closed by it; a full bar is 100%."));
	bars_free(v, n);
	sb_release(&l);
	sb_release(&t);
}

static void chart_satisfaction(struct sb *out, const struct run *r)
{
	struct bar *v = NULL;
	size_t n = 0, alloc = 0;
	struct sb t = SB_INIT, a = SB_INIT, b = SB_INIT, c = SB_INIT;
	double max = 0;
	int i;

	for (i = 0; i < SAT_LEVELS; i++) {
		long x = r->rc.st.sat[i], y = r->rp.st.sat[i];

		sb_reset(&t);
		sb_addf(&t, _("%ld (%ld)"), x, y);
		bar_push(&v, &n, &alloc, vocab_label(r->cfg, VOC_SATISFACTION,
			case_satisfactions[i]), (double)x, (double)y, t.buf);
		max = MAX(max, (double)(x > y ? x : y));
	}
	fig_begin(out, _("Satisfaction of the cases closed"));
	sb_adds(out, "<p>");
	fmt_human(&a, &r->rc.st, V_SAT_RATE);
	fmt_human(&b, &r->rp.st, V_SAT_RATE);
	fmt_change(&c, &r->rc.st, &r->rp.st, V_SAT_RATE);
	sb_reset(&t);
	/* TRANSLATORS: this period's rate, the previous one's, the
	   change in percentage points. */
	sb_addf(&t, _("Satisfaction rate: %s (previous %s, change %s)."),
		a.buf, b.buf, c.buf);
	html_text(out, t.buf);
	sb_adds(out, "</p>\n");
	svg_bars(out, _("satisfaction"), v, n, max, 1);
	fig_end(out, _("The cases closed in the period by their latest "
		"satisfaction level (return visit, else at closing); rate = "
		"(satisfied + fairly satisfied) / all levels but unreachable."));
	bars_free(v, n);
	sb_release(&t);
	sb_release(&a);
	sb_release(&b);
	sb_release(&c);
}

/* --by pages: cases received and resolved on time, per value. */
static void chart_by(struct sb *out, const struct run *r)
{
	struct bar *v = NULL, *w = NULL;
	size_t n = 0, nw = 0, alloc = 0, walloc = 0, i;
	struct sb l = SB_INIT, t = SB_INIT;
	double max = 0, a;

	for (i = 0; i < r->nrows; i++) {
		const struct report_group *g = &r->rows[i];

		sb_reset(&l);
		show_key(&l, r->cfg, r->by, g->key);
		sb_reset(&t);
		sb_addf(&t, "%ld", g->st.received);
		bar_push(&v, &n, &alloc, l.buf, (double)g->st.received, -1,
			t.buf);
		max = MAX(max, (double)g->st.received);
		sb_reset(&t);
		if (fig_get(&g->st, V_RESOLVE_RATE, &a)) {
			a = 0;
			sb_adds(&t, _("no closings"));
		} else {
			sb_addf(&t, Q_("%.1f%% of %ld", "%.1f%% of %ld",
				(unsigned long)g->st.resolve_n), a * 100,
				g->st.resolve_n);
		}
		bar_push(&w, &nw, &walloc, l.buf, a, -1, t.buf);
	}
	fig_begin(out, _("Received"));
	if (n)
		svg_bars(out, _("received"), v, n, max, 0);
	fig_end(out, _("Cases received in the period, one bar per value."));
	fig_begin(out, _("Resolved on time"));
	if (nw)
		svg_bars(out, _("resolved on time"), w, nw, 1, 0);
	fig_end(out, _("Of the cases closed in the period that had a resolve "
		"deadline, the share closed by it; a full bar is 100%."));
	bars_free(v, n);
	bars_free(w, nw);
	sb_release(&l);
	sb_release(&t);
}

static void html_grid(struct sb *out, const struct grid *g)
{
	size_t j;

	sb_adds(out, "<h2>");
	html_text(out, g->title);
	sb_adds(out, "</h2>\n<table>\n");
	for (j = 0; j < g->cells.n; j++) {
		size_t c = j % g->ncols;
		const char *tag = j < g->ncols ? "th" : "td";

		if (!c)
			sb_adds(out, "<tr>");
		sb_addf(out, "<%s%s>", tag,
			g->right & (1u << c) ? " class=\"n\"" : "");
		html_text(out, g->cells.v[j]);
		sb_addf(out, "</%s>", tag);
		if (c + 1 == g->ncols)
			sb_adds(out, "</tr>\n");
	}
	sb_adds(out, "</table>\n");
}

static const char html_style[] =
	"body{font-family:sans-serif;margin:2em auto;max-width:60em;"
	"color:#222}\n"
	"h1{font-size:1.5em;margin-bottom:0}\n"
	"h2{font-size:1.15em;margin-top:1.8em;border-bottom:1px solid #ccc}\n"
	"table{border-collapse:collapse;margin:.5em 0}\n"
	"th,td{padding:.2em .7em;border-bottom:1px solid #e4e4e4;"
	"text-align:left}\n"
	"th{background:#f3f5f8}\n"
	".n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"svg{display:block;font-size:12px}\n"
	"svg .l{text-anchor:end;fill:#333}\n"
	"svg .v{fill:#333}\n"
	".cur{fill:#2f6db5;background:#2f6db5}\n"
	".prev{fill:#b9cde8;background:#b9cde8}\n"
	".k{display:inline-block;width:1em;height:.7em;margin:0 .3em 0 1em}\n"
	".def{font-size:.85em;color:#555;margin:.3em 0 0}\n"
	".gen{color:#555;font-size:.85em}\n"
	/* print: A4, no heading alone at the foot of a page */
	"@page{size:A4;margin:18mm 16mm 18mm 20mm}\n"
	"@media print{body{margin:0;max-width:none}"
	"h1,h2{break-after:avoid}.fig{break-inside:avoid}"
	"tr{break-inside:avoid}svg{max-width:100%;height:auto}}\n";

static void emit_html(struct sb *out, const struct run *r,
	const struct grid *g, size_t ng)
{
	const char *org = r->cfg->organization ? r->cfg->organization : "";
	struct sb h = SB_INIT;
	char when[TS_BUFSZ];
	size_t i;

	heading(&h, r);
	/* the language of the headings; labels come from docket.yaml */
	sb_addf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n"
		"<meta charset=\"utf-8\"/>\n<title>", intl_html_lang());
	html_text(out, org);
	sb_adds(out, " – ");
	html_text(out, h.buf);
	sb_addf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>",
		html_style);
	html_text(out, org);
	sb_adds(out, "</h1>\n<p>");
	html_text(out, h.buf);
	sb_adds(out, "</p>\n<p class=\"gen\">");
	ts_format(when, r->now);
	sb_reset(&h);
	/* TRANSLATORS: when the report was made. */
	sb_addf(&h, _("Generated at %s"), when);
	html_text(out, h.buf);
	sb_adds(out, "</p>\n");
	if (r->by_set) {
		chart_by(out, r);
		html_grid(out, &g[0]);
	} else {
		html_grid(out, &g[0]);
		legend(out, r);
		chart_change(out, r);
		chart_counts(out, r, RDIM_CHANNEL, _("Received by channel"));
		chart_counts(out, r, RDIM_CATEGORY, _("Received by category"));
		chart_on_time(out, r);
		chart_satisfaction(out, r);
		for (i = 1; i < ng; i++)
			html_grid(out, &g[i]);
	}
	sb_adds(out, "</body>\n</html>\n");
	sb_release(&h);
}

/* ---- the command ----------------------------------------------------- */

/* --by as the id (department), the word for it in the user's language,
 * or the Chinese word (部门), which an office types whatever its LANG:
 * the zh_CN catalog's words, in RDIM order (t7002 holds them together). */
static int parse_dim(enum report_dim *out, const char *s)
{
	static const char *const zh[RDIM_BY_COUNT] = {
		"部门", "问题类别", "渠道", "被投诉人", "承办人", "类型",
		"紧急程度", "单位"
	};
	int d;

	if (!report_dim_parse(out, s))
		return 0;
	for (d = 0; d < RDIM_BY_COUNT; d++) {
		if (strcmp(s, dim_label((enum report_dim)d)) &&
		    strcmp(s, zh[d]))
			continue;
		*out = (enum report_dim)d;
		return 0;
	}
	return ERR_INVALID;
}

/* "YYYY-MM" exactly. */
static int parse_month(struct date *out, const char *s)
{
	char buf[16];
	int i;

	if (strlen(s) != 7 || s[4] != '-')
		return ERR_INVALID;
	for (i = 0; i < 7; i++)
		if (i != 4 && (s[i] < '0' || s[i] > '9'))
			return ERR_INVALID;
	snprintf(buf, sizeof(buf), "%s-01", s);
	return date_parse(out, buf);
}

static int parse_period(struct ctx *ctx, struct run *r, const char *month,
	const char *from, const char *to)
{
	struct date d;

	if (month && (from || to))
		return usage_error(ctx, _("--month cannot be combined with "
			"--from and --to"));
	if (!from != !to)
		return usage_error(ctx, _("--from and --to go together"));
	if (month) {
		if (parse_month(&d, month))
			return usage_error(ctx, _("--month: '%s' is not a month "
				"like 2026-10"), month);
		report_month(d, &r->from, &r->to);
	} else if (from) {
		if (date_parse(&r->from, from))
			return usage_error(ctx, _("--from: '%s' is not a date "
				"like 2026-10-01"), from);
		if (date_parse(&r->to, to))
			return usage_error(ctx, _("--to: '%s' is not a date "
				"like 2026-11-01"), to);
		if (date_cmp(r->to, r->from) <= 0)
			return usage_error(ctx, _("--to '%s' must come after "
				"--from '%s'"), to, from);
	} else {
		/* The last complete month, in the store's time zone. */
		d = cal_local_date(&ctx->cfg.cal, ctx->now);
		report_month(d, &r->to, &r->from);
		report_previous(r->to, r->from, &r->from, &r->to);
	}
	report_previous(r->from, r->to, &r->pfrom, &r->pto);
	r->tfrom = cal_start_of_day(&ctx->cfg.cal, r->from);
	r->tto = cal_start_of_day(&ctx->cfg.cal, r->to);
	r->tpfrom = cal_start_of_day(&ctx->cfg.cal, r->pfrom);
	r->tpto = r->tfrom;
	return 0;
}

static int render(struct ctx *ctx, struct run *r, const char *format,
	int bom)
{
	struct grid *g = NULL;
	struct sb out = SB_INIT;
	size_t ng = 0;
	int ret;

	r->now = ctx->now;
	if (r->by_set) {
		r->nrows = report_group(&r->rows, r->cur, r->ncur, r->by);
	} else {
		report_build(&r->rc, &ctx->cfg, r->cur, r->ncur, r->from,
			r->to);
		report_build(&r->rp, &ctx->cfg, r->prev, r->nprev, r->pfrom,
			r->pto);
	}
	if (!strcmp(format, "json")) {
		emit_json(&out, r);
	} else if (!strcmp(format, "csv")) {
		emit_csv(&out, r, bom);
	} else {
		ng = build_grids(&g, r);
		if (!strcmp(format, "md"))
			emit_md(&out, r, g, ng);
		else if (!strcmp(format, "html"))
			emit_html(&out, r, g, ng);
		else
			emit_table(&out, r, g, ng);
	}
	ret = emit_stdout(ctx, &out);
	grids_free(g, ng);
	sb_release(&out);
	return ret;
}

int cmd_report(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	const char *month = NULL, *from = NULL, *to = NULL, *by = NULL;
	const char *format = "table";
	int keep_going = 0, bom = 0, ret;
	enum opts_result pr;
	size_t skipped = 0;
	struct run r;
	struct scan_map facts = { sizeof(struct case_facts), facts_of,
		facts_release, NULL };
	struct opt opts[] = {
		{ "month", OPT_STR, &month, N_("YYYY-MM"),
		  N_("report on this month (default: the last complete one)") },
		{ "from", OPT_STR, &from, N_("DATE"),
		  N_("first day of the period (with --to)"), OPT_ALT },
		{ "to", OPT_STR, &to, N_("DATE"),
		  N_("first day after the period"), OPT_SUB | OPT_REQ },
		{ "by", OPT_STR, &by, N_("DIM"),
		  N_("one row per department, category, channel, respondent, "
		  "assignee, kind, priority or site") },
		{ "format", OPT_STR, &format, N_("table|csv|json|md|html"),
		  N_("output format (default table)") },
		{ "bom", OPT_FLAG, &bom, NULL,
		  N_("start the CSV with a UTF-8 byte order mark, for Excel") },
		{ "keep-going", OPT_FLAG, &keep_going, NULL,
		  N_("exit 0 even when some case files could not be read") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};

	memset(&r, 0, sizeof(r));
	r.cfg = &ctx->cfg;
	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (args.n) {
		ret = usage_error(ctx, _("unexpected argument '%s'"), args.v[0]);
		goto out;
	}
	if (strcmp(format, "table") && strcmp(format, "csv") &&
	    strcmp(format, "json") && strcmp(format, "md") &&
	    strcmp(format, "html")) {
		ret = usage_error(ctx, _("unknown format '%s' (table, csv, json, "
			"md, html)"), format);
		goto out;
	}
	if (bom && strcmp(format, "csv")) {
		ret = usage_error(ctx, _("--bom goes with --format csv"));
		goto out;
	}
	if (by) {
		if (parse_dim(&r.by, by)) {
			ret = usage_error(ctx, _("--by: unknown dimension '%s' "
				"(department, category, channel, respondent, "
				"assignee, kind, priority, site)"), by);
			goto out;
		}
		r.by_set = 1;
	}
	if ((ret = parse_period(ctx, &r, month, from, to)))
		goto out;
	facts.arg = &r;
	if ((ret = scan_cases_map(ctx, &facts, collect, &r, &skipped)))
		goto out;
	if ((ret = render(ctx, &r, format, bom)))
		goto out;
	if (skipped && !keep_going)
		ret = fail_skipped(ctx, skipped, Q_("; the report leaves it "
			"out", "; the report leaves them out", skipped));
out:
	report_facts_free(r.cur, r.ncur);
	report_facts_free(r.prev, r.nprev);
	report_release(&r.rc);
	report_release(&r.rp);
	report_groups_free(r.rows, r.nrows);
	strlist_release(&args);
	return ret;
}
