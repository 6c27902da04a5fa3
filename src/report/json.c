/*
 * json.c - a report as JSON: figures nested as their keys say
 * ("handling_days.median"), rates as fractions, null figures null.
 */
#include <stdio.h>
#include <string.h>

#include "figures.h"
#include "output.h"

static json_t *fig_json(const struct report_stats *s, enum fid i)
{
	double v;

	if (rfig_get(s, i, &v))
		return json_null();
	switch (report_figs[i].type) {
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
	const char *key = report_figs[i].key, *dot = strchr(key, '.');
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
		for (j = 0; j < ARRAY_SIZE(report_dept_figs); j++)
			set_fig(e, &r->departments[i].st, report_dept_figs[j]);
		json_object_set_new(d, r->departments[i].key, e);
	}
	json_object_set_new(o, "departments", d);
	return o;
}

void report_format_json(struct sb *out, const struct report_view *r)
{
	json_t *o, *a, *row;
	size_t i;

	if (!r->by_set) {
		o = period_json(r->rc);
		json_object_set_new(o, "previous", period_json(r->rp));
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
