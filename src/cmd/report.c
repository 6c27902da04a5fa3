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
#include "report.h"
#include "report-format.h"

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
		if (strcmp(s, report_dim_label((enum report_dim)d)) &&
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

/* What the formats are shown of the run. */
static void view_of(struct report_view *v, const struct run *r)
{
	memset(v, 0, sizeof(*v));
	v->cfg = r->cfg;
	v->from = r->from;
	v->to = r->to;
	v->pfrom = r->pfrom;
	v->pto = r->pto;
	v->by_set = r->by_set;
	v->by = r->by;
	v->rc = &r->rc;
	v->rp = &r->rp;
	v->rows = r->rows;
	v->nrows = r->nrows;
	v->now = r->now;
}

static int render(struct ctx *ctx, struct run *r, const char *format,
	int bom)
{
	struct report_view v;
	struct sb out = SB_INIT;
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
	view_of(&v, r);
	if (!strcmp(format, "json"))
		report_format_json(&out, &v);
	else if (!strcmp(format, "csv"))
		report_format_csv(&out, &v, bom);
	else if (!strcmp(format, "md"))
		report_format_md(&out, &v);
	else if (!strcmp(format, "html"))
		report_format_html(&out, &v);
	else
		report_format_table(&out, &v);
	ret = emit_stdout(ctx, &out);
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
