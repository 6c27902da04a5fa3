/*
 * html.c - a report as one self-contained HTML page: its own style, SVG
 * bar charts drawn here (no script, nothing fetched), the grids as
 * tables; for the screen and for A4.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "figures.h"
#include "labels.h"
#include "output.h"

#define MAX(a, b) ((a) > (b) ? (a) : (b))

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

static void legend(struct sb *out, const struct report_view *r)
{
	struct sb a = SB_INIT, b = SB_INIT;

	report_period_name(&a, r->from, r->to);
	report_period_name(&b, r->pfrom, r->pto);
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
static void chart_counts(struct sb *out, const struct report_view *r,
	enum report_dim dim, const char *title)
{
	const struct report_count *a = r->rc->by[dim], *b = r->rp->by[dim], *h;
	size_t na = r->rc->nby[dim], nb = r->rp->nby[dim], i, n = 0, alloc = 0;
	struct bar *v = NULL;
	struct sb l = SB_INIT, t = SB_INIT;
	double max = 0;

	for (i = 0; i < na + nb; i++) {
		const struct report_count *x = i < na ? &a[i] : &b[i - na];
		long cur = i < na ? x->n : 0, prev;

		if (i >= na && report_find_count(a, na, x->key))
			continue;
		h = report_find_count(b, nb, x->key);
		prev = h ? h->n : 0;
		sb_reset(&l);
		report_show_key(&l, r->cfg, dim, x->key);
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

static void chart_change(struct sb *out, const struct report_view *r)
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
		rfig_get(&r->rc->st, which[i], &a);
		rfig_get(&r->rp->st, which[i], &b);
		sb_reset(&t);
		sb_reset(&c);
		rfmt_change(&c, &r->rc->st, &r->rp->st, which[i]);
		/* TRANSLATORS: a bar's numbers: this period (the previous
		   one, the change). */
		sb_addf(&t, _("%.0f (%.0f, %s)"), a, b, c.buf);
		bar_push(&v, &n, &alloc, _(report_figs[which[i]].label), a, b,
			t.buf);
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

static void chart_on_time(struct sb *out, const struct report_view *r)
{
	struct bar *v = NULL;
	size_t n = 0, alloc = 0, i;
	struct sb l = SB_INIT, t = SB_INIT;
	double a;

	for (i = 0; i < r->rc->ndepartments; i++) {
		const struct report_group *d = &r->rc->departments[i];

		sb_reset(&l);
		report_show_key(&l, r->cfg, RDIM_DEPARTMENT, d->key);
		sb_reset(&t);
		if (rfig_get(&d->st, V_RESOLVE_RATE, &a)) {
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

static void chart_satisfaction(struct sb *out, const struct report_view *r)
{
	struct bar *v = NULL;
	size_t n = 0, alloc = 0;
	struct sb t = SB_INIT, a = SB_INIT, b = SB_INIT, c = SB_INIT;
	double max = 0;
	int i;

	for (i = 0; i < SAT_LEVELS; i++) {
		long x = r->rc->st.sat[i], y = r->rp->st.sat[i];

		sb_reset(&t);
		sb_addf(&t, _("%ld (%ld)"), x, y);
		bar_push(&v, &n, &alloc, vocab_label(r->cfg, VOC_SATISFACTION,
			case_satisfactions[i]), (double)x, (double)y, t.buf);
		max = MAX(max, (double)(x > y ? x : y));
	}
	fig_begin(out, _("Satisfaction of the cases closed"));
	sb_adds(out, "<p>");
	rfmt_human(&a, &r->rc->st, V_SAT_RATE);
	rfmt_human(&b, &r->rp->st, V_SAT_RATE);
	rfmt_change(&c, &r->rc->st, &r->rp->st, V_SAT_RATE);
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
static void chart_by(struct sb *out, const struct report_view *r)
{
	struct bar *v = NULL, *w = NULL;
	size_t n = 0, nw = 0, alloc = 0, walloc = 0, i;
	struct sb l = SB_INIT, t = SB_INIT;
	double max = 0, a;

	for (i = 0; i < r->nrows; i++) {
		const struct report_group *g = &r->rows[i];

		sb_reset(&l);
		report_show_key(&l, r->cfg, r->by, g->key);
		sb_reset(&t);
		sb_addf(&t, "%ld", g->st.received);
		bar_push(&v, &n, &alloc, l.buf, (double)g->st.received, -1,
			t.buf);
		max = MAX(max, (double)g->st.received);
		sb_reset(&t);
		if (rfig_get(&g->st, V_RESOLVE_RATE, &a)) {
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

static void emit_html(struct sb *out, const struct report_view *r,
	const struct grid *g, size_t ng)
{
	const char *org = r->cfg->organization ? r->cfg->organization : "";
	struct sb h = SB_INIT;
	char when[TS_BUFSZ];
	size_t i;

	report_heading(&h, r);
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

void report_format_html(struct sb *out, const struct report_view *v)
{
	struct grid *g = NULL;
	size_t ng = report_grids_build(&g, v);

	emit_html(out, v, g, ng);
	report_grids_free(g, ng);
}
