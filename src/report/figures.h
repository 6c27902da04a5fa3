/*
 * figures.h - what the report formats under src/report/ share, and
 * nothing else includes: the figures in CSV column order, how a figure
 * is written, labels of values, the grids of the formats for people.
 * The way in for everyone else is include/report-format.h.
 */
#ifndef DOCKET_REPORT_FIGURES_H
#define DOCKET_REPORT_FIGURES_H

#include <jansson.h>

#include "intl.h"
#include "report-format.h"

/* What a value missing is shown as: in figures.c, where xgettext (which
 * reads only the .c files) finds it. */
const char *report_none(void);
#define NONE report_none()

enum ftype { FT_COUNT, FT_RATE, FT_MEDIAN, FT_MEAN, FT_P90 };

/* The scalar figures, in CSV column order. */
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

extern const struct fig report_figs[V__COUNT];

/* The figures kept per department (DESIGN section 8). */
#define REPORT_DEPT_FIGS 6
extern const enum fid report_dept_figs[REPORT_DEPT_FIGS];

/* Figure i in its unit, or ERR_NOTFOUND when it is null. */
int rfig_get(const struct report_stats *s, enum fid i, double *v);
/* Half days (per 2) or tenths (per 10) written as days. */
void rfmt_units(struct sb *out, long v, long per, int sign);
long rper_unit(enum ftype t);
/* For CSV: plain numbers, rates as fractions, null empty. */
void rfmt_csv(struct sb *out, const struct report_stats *s, enum fid i);
/* For people: rates in per cent, null as "-". */
void rfmt_human(struct sb *out, const struct report_stats *s, enum fid i);
/* The change from the previous period, rates in percentage points. */
void rfmt_change(struct sb *out, const struct report_stats *cur,
	const struct report_stats *prev, enum fid i);

/* "label (id)" of a value, "(none)" for NULL. */
void report_show_key(struct sb *out, const struct config *cfg,
	enum report_dim dim, const char *key);
/* "2026-10" for a whole month, else "2026-10-01..2026-10-15". */
void report_period_name(struct sb *out, struct date from, struct date to);
/* "report 2026-10-01 to 2026-10-31, compared with ..." */
void report_heading(struct sb *out, const struct report_view *r);

/* One section of a report: a title and rows of ncols cells. */
struct grid {
	char *title;
	size_t ncols;
	struct strlist cells;	/* head row first; ncols per row */
	unsigned right;		/* bit c: right-aligned column */
};

/* The count of value key (NULL: none) in v, or NULL. */
const struct report_count *report_find_count(const struct report_count *v,
	size_t n, const char *key);

/* Every section of the report, in the order shown; *out is malloc'd. */
size_t report_grids_build(struct grid **out, const struct report_view *r);
void report_grids_free(struct grid *v, size_t n);

#endif
