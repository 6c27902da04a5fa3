/*
 * grid.c - the sections of a report as grids of cells, head row first:
 * what the table, Markdown and HTML formats show, so that the three
 * always hold the same rows.
 */
#include <string.h>

#include "figures.h"

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

void report_grids_free(struct grid *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].title);
		strlist_release(&v[i].cells);
	}
	free(v);
}

static void summary_grid(struct grid *g, const struct report_view *r)
{
	struct sb sb = SB_INIT;
	int i;

	grid_text(g, C_("report column", "figure"));
	report_period_name(&sb, r->from, r->to);
	grid_cell(g, &sb);
	sb_reset(&sb);
	report_period_name(&sb, r->pfrom, r->pto);
	grid_cell(g, &sb);
	grid_text(g, C_("report column", "change"));
	for (i = 0; i < V__COUNT; i++) {
		grid_text(g, _(report_figs[i].label));
		sb_reset(&sb);
		rfmt_human(&sb, &r->rc->st, (enum fid)i);
		grid_cell(g, &sb);
		sb_reset(&sb);
		rfmt_human(&sb, &r->rp->st, (enum fid)i);
		grid_cell(g, &sb);
		sb_reset(&sb);
		rfmt_change(&sb, &r->rc->st, &r->rp->st, (enum fid)i);
		grid_cell(g, &sb);
	}
	sb_release(&sb);
}

const struct report_count *report_find_count(const struct report_count *v,
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
static void counts_grid(struct grid *g, const struct report_view *r,
	enum report_dim dim)
{
	const struct report_count *a = r->rc->by[dim], *b = r->rp->by[dim], *h;
	size_t na = r->rc->nby[dim], nb = r->rp->nby[dim], i;
	struct sb sb = SB_INIT;

	grid_text(g, report_dim_label(dim));
	report_period_name(&sb, r->from, r->to);
	grid_cell(g, &sb);
	sb_reset(&sb);
	report_period_name(&sb, r->pfrom, r->pto);
	grid_cell(g, &sb);
	for (i = 0; i < na + nb; i++) {
		const struct report_count *x = i < na ? &a[i] : &b[i - na];

		if (i >= na && report_find_count(a, na, x->key))
			continue;
		sb_reset(&sb);
		report_show_key(&sb, r->cfg, dim, x->key);
		grid_cell(g, &sb);
		h = i < na ? x : NULL;
		sb_reset(&sb);
		sb_addf(&sb, "%ld", h ? h->n : 0L);
		grid_cell(g, &sb);
		h = report_find_count(b, nb, x->key);
		sb_reset(&sb);
		sb_addf(&sb, "%ld", h ? h->n : 0L);
		grid_cell(g, &sb);
	}
	sb_release(&sb);
}

static void top_grid(struct grid *g, const struct report_view *r)
{
	struct sb sb = SB_INIT;
	size_t i;

	grid_text(g, "#");
	grid_text(g, C_("report column", "respondent"));
	grid_text(g, C_("report column", "received"));
	g->right = 1u | 4u;
	for (i = 0; i < r->rc->ntop; i++) {
		sb_reset(&sb);
		sb_addf(&sb, "%zu", i + 1);
		grid_cell(g, &sb);
		grid_text(g, r->rc->top[i].key);
		sb_reset(&sb);
		sb_addf(&sb, "%ld", r->rc->top[i].n);
		grid_cell(g, &sb);
	}
	sb_release(&sb);
}

static void departments_grid(struct grid *g, const struct report_view *r)
{
	struct sb sb = SB_INIT;
	size_t i, j;

	grid_text(g, C_("report column", "department"));
	for (j = 0; j < ARRAY_SIZE(report_dept_figs); j++)
		grid_text(g, _(report_figs[report_dept_figs[j]].brief));
	for (i = 0; i < r->rc->ndepartments; i++) {
		const struct report_group *d = &r->rc->departments[i];

		sb_reset(&sb);
		report_show_key(&sb, r->cfg, RDIM_DEPARTMENT, d->key);
		grid_cell(g, &sb);
		for (j = 0; j < ARRAY_SIZE(report_dept_figs); j++) {
			sb_reset(&sb);
			rfmt_human(&sb, &d->st, report_dept_figs[j]);
			grid_cell(g, &sb);
		}
	}
	sb_release(&sb);
}

static void rows_grid(struct grid *g, const struct report_view *r)
{
	struct sb sb = SB_INIT;
	size_t i;
	int j;

	grid_text(g, report_dim_label(r->by));
	for (j = 0; j < V__COUNT; j++)
		grid_text(g, _(report_figs[j].brief));
	for (i = 0; i < r->nrows; i++) {
		sb_reset(&sb);
		report_show_key(&sb, r->cfg, r->by, r->rows[i].key);
		grid_cell(g, &sb);
		for (j = 0; j < V__COUNT; j++) {
			sb_reset(&sb);
			rfmt_human(&sb, &r->rows[i].st, (enum fid)j);
			grid_cell(g, &sb);
		}
	}
	sb_release(&sb);
}

/* Every section of the report, in the order shown. */
size_t report_grids_build(struct grid **out, const struct report_view *r)
{
	struct grid *v = NULL;
	size_t n = 0, alloc = 0;
	struct sb t = SB_INIT;

	if (r->by_set) {
		/* TRANSLATORS: a section of a report, one row per value of
		   a dimension: "by department". */
		sb_addf(&t, _("by %s"), report_dim_label(r->by));
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
		ARRAY_SIZE(report_dept_figs) + 1), r);
	*out = v;
	return n;
}
