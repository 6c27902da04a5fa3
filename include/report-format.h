/*
 * report-format.h - a report (report.h) written out: a terminal table,
 * Markdown, CSV, JSON, or one self-contained HTML page with SVG charts.
 *
 * Each format is its own module under src/report/; they share the list
 * of figures, how a figure is written for people, and the grids of rows
 * that the table, Markdown and HTML show (src/report/figures.c,
 * grid.c).  Only ids, labels and respondents reach the output.  Labels
 * come from docket.yaml; the headings are translated.  Nothing here
 * prints: each writes into a buffer.
 */
#ifndef DOCKET_REPORT_FORMAT_H
#define DOCKET_REPORT_FORMAT_H

#include "calendar.h"
#include "config.h"
#include "report.h"
#include "util.h"

/** What a format shows: a period beside the one before, or rows. */
struct report_view {
	const struct config *cfg;	/* labels, organization */
	struct date from, to;		/* the period; `to` not included */
	struct date pfrom, pto;		/* the period before */
	int by_set;			/* one row per value of `by` */
	enum report_dim by;
	const struct report *rc, *rp;	/* !by_set: the period, the one
					   before */
	const struct report_group *rows;	/* by_set */
	size_t nrows;
	struct ts now;			/* "generated at" (html) */
};

/** A dimension's name for people ("部门" in zh_CN); ids stay in CSV and
 * JSON. */
const char *report_dim_label(enum report_dim d);

/** Columns aligned for a terminal, the organization and period first. */
void report_format_table(struct sb *out, const struct report_view *v);
/** Markdown: a heading, then one table per section. */
void report_format_md(struct sb *out, const struct report_view *v);
/**
 * CSV (RFC 4180, cells that a spreadsheet would run as formulas made
 * inert): a head row of figure keys, then the period's row or one row
 * per value; rates as fractions, null figures empty.  bom: start with a
 * UTF-8 byte order mark, for Excel.
 */
void report_format_csv(struct sb *out, const struct report_view *v,
	int bom);
/** JSON: the organization, the figures (nested as their keys say), the
 * previous period or the rows. */
void report_format_json(struct sb *out, const struct report_view *v);
/** One HTML page with its own style and SVG bar charts, for the screen
 * and A4. */
void report_format_html(struct sb *out, const struct report_view *v);

#endif
