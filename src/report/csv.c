/*
 * csv.c - a report as CSV: figure keys as the head row, one row for the
 * period or one per value of --by; rates as fractions, null empty.
 * Quoting and formula-looking cells are output.c's (csv_row).
 */
#include "figures.h"
#include "output.h"

static void csv_head(struct sb *out, const struct report_view *r)
{
	const char *v[V__COUNT + 3];
	size_t n = 0;
	int i;

	v[n++] = "from";
	v[n++] = "to";
	if (r->by_set)
		v[n++] = report_dim_names[r->by];
	for (i = 0; i < V__COUNT; i++)
		v[n++] = report_figs[i].key;
	csv_row(out, v, n);
}

static void csv_stats(struct sb *out, const struct report_view *r,
	const char *key, const struct report_stats *s)
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
		rfmt_csv(&cell[i], s, (enum fid)i);
		v[n++] = cell[i].buf;
	}
	csv_row(out, v, n);
	for (i = 0; i < V__COUNT; i++)
		sb_release(&cell[i]);
}

void report_format_csv(struct sb *out, const struct report_view *r,
	int bom)
{
	size_t i;

	csv_begin(out, bom);
	csv_head(out, r);
	if (!r->by_set) {
		csv_stats(out, r, NULL, &r->rc->st);
		return;
	}
	for (i = 0; i < r->nrows; i++)
		csv_stats(out, r, r->rows[i].key, &r->rows[i].st);
}
