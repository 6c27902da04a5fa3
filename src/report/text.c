/*
 * text.c - a report for people in plain text: columns aligned for a
 * terminal, or Markdown; the same grids as the HTML page.
 */
#include <string.h>

#include "figures.h"
#include "output.h"

static void emit_table(struct sb *out, const struct report_view *r,
	const struct grid *g, size_t ng)
{
	struct table t;
	size_t i, j;

	out_escape(out, r->cfg->organization ? r->cfg->organization : "", 0);
	sb_addc(out, '\n');
	report_heading(out, r);
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

static void emit_md(struct sb *out, const struct report_view *r,
	const struct grid *g, size_t ng)
{
	size_t i, j;

	sb_adds(out, "# ");
	md_text(out, r->cfg->organization ? r->cfg->organization : "docket");
	sb_adds(out, "\n\n");
	report_heading(out, r);
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

void report_format_table(struct sb *out, const struct report_view *v)
{
	struct grid *g = NULL;
	size_t ng = report_grids_build(&g, v);

	emit_table(out, v, g, ng);
	report_grids_free(g, ng);
}

void report_format_md(struct sb *out, const struct report_view *v)
{
	struct grid *g = NULL;
	size_t ng = report_grids_build(&g, v);

	emit_md(out, v, g, ng);
	report_grids_free(g, ng);
}
