/*
 * export.c - `docket export`: every field and event of the cases received
 * in a period, for a statistician (CSV for a spreadsheet, JSON for a
 * program).
 *
 * The complainant's name, phone, email and address are left out unless
 * --with-personal-data is given: a file on a statistician's laptop is
 * not a place for them.  The cases are picked by a scan (received_at),
 * then each is read in full, since the scan's cache leaves the closing
 * summary out.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "codec.h"
#include "output.h"

struct export {
	struct ts since, until;
	int has_until;
	int personal;
	const char *format;
	struct strlist paths;	/* the cases in the period, in path order */
};

static int pick(struct ctx *ctx, const char *path, struct dcase *c,
	void *data)
{
	struct export *x = data;

	(void)ctx;
	if (ts_cmp(c->received_at, x->since) >= 0 &&
	    (!x->has_until || ts_cmp(c->received_at, x->until) <= 0))
		strlist_push(&x->paths, path);
	return 0;
}

/* The CSV columns, one row per case (stable names, for scripts). */
static const char *const columns[] = {
	"id", "kind", "status", "subject", "channel", "received_at",
	"received_by", "name", "phone", "email", "address", "anonymous",
	"count", "respondent", "location", "occurred_on", "description",
	"request", "category", "priority", "department", "co_departments",
	"assignee", "due_ack", "due_feedback", "due_resolve", "due_visit",
	"due_decide", "related",
	"attachments", "closed_at", "closed_by", "outcome", "summary",
	"notified_at", "notified_via", "satisfaction", "on_time", "events",
	"ref"
};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))
#define PERSONAL_FIRST 7	/* name, phone, email, address */
#define PERSONAL_LAST 10

/* Leave the complainant's personal data out of a case's JSON. */
static void drop_personal(json_t *j)
{
	json_t *who = json_object_get(j, "complainant");
	const char *key;
	json_t *v;
	void *tmp;

	if (!who)
		return;
	json_object_foreach_safe(who, tmp, key, v) {
		if (strcmp(key, "anonymous") && strcmp(key, "count"))
			json_object_del(who, key);
	}
}

static char *joined(char *const *v, size_t n)
{
	struct sb s = SB_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			sb_addc(&s, ';');
		sb_adds(&s, v[i]);
	}
	return sb_detach(&s, NULL);
}

/* One case as a CSV row: every top-level field, events as JSON. */
static void csv_case(struct sb *out, const struct dcase *c, int personal)
{
	const struct closure *cl = &c->closure;
	/* received, each deadline (enum due order), closed, notified */
	char ts[3 + DUE__COUNT][TS_BUFSZ], num[2][24], day[16];
	char *co = joined(c->co_departments, c->nco);
	char *rel = joined(c->related, c->nrelated);
	struct sb ev = SB_INIT;
	json_t *j = case_to_json(c), *events = json_object_get(j, "events");
	const char *cells[NCOLS];
	size_t n = 0;
	int k;

	memset(ts, 0, sizeof(ts));
	ts_format(ts[0], c->received_at);
	for (k = 0; k < DUE__COUNT; k++)
		if (c->due.has & (1u << k))
			ts_format(ts[1 + k], c->due.at[k]);
	if (cl->present)
		ts_format(ts[1 + DUE__COUNT], cl->at);
	if (cl->present && cl->notified)
		ts_format(ts[2 + DUE__COUNT], cl->notified_at);
	snprintf(num[0], sizeof(num[0]), "%ld", c->who.count);
	snprintf(num[1], sizeof(num[1]), "%zu", c->natt);
	day[0] = '\0';
	if (c->has_occurred)
		snprintf(day, sizeof(day), "%04d-%02d-%02d", c->occurred_on.y,
			c->occurred_on.m, c->occurred_on.d);
	if (events)
		json_dump_sb(&ev, events, 1);
	if (ev.len && ev.buf[ev.len - 1] == '\n')
		ev.buf[--ev.len] = '\0';
	cells[n++] = c->id;
	cells[n++] = case_kind_name(c->kind);
	cells[n++] = case_status_name(c->status);
	cells[n++] = c->subject;
	cells[n++] = c->channel;
	cells[n++] = ts[0];
	cells[n++] = c->received_by;
	cells[n++] = personal ? c->who.name : NULL;
	cells[n++] = personal ? c->who.phone : NULL;
	cells[n++] = personal ? c->who.email : NULL;
	cells[n++] = personal ? c->who.address : NULL;
	cells[n++] = c->who.anonymous ? "true" : "false";
	cells[n++] = num[0];
	cells[n++] = c->respondent;
	cells[n++] = c->location;
	cells[n++] = day;
	cells[n++] = c->description;
	cells[n++] = c->request;
	cells[n++] = c->category;
	cells[n++] = c->priority;
	cells[n++] = c->department;
	cells[n++] = co;
	cells[n++] = c->assignee;
	for (k = 0; k < DUE__COUNT; k++)
		cells[n++] = ts[1 + k];
	cells[n++] = rel;
	cells[n++] = num[1];
	cells[n++] = ts[1 + DUE__COUNT];
	cells[n++] = cl->present ? cl->by : NULL;
	cells[n++] = cl->present ? cl->outcome : NULL;
	cells[n++] = cl->present ? cl->summary : NULL;
	cells[n++] = ts[2 + DUE__COUNT];
	cells[n++] = cl->present && cl->notified ? cl->notified_via : NULL;
	cells[n++] = cl->present ? cl->satisfaction : NULL;
	cells[n++] = !cl->present || cl->on_time < 0 ? NULL :
		cl->on_time ? "true" : "false";
	cells[n++] = ev.buf;
	cells[n++] = c->ref;
	/* a column added to one list and not the other */
	assert(n == NCOLS);
	csv_row(out, cells, NCOLS);
	json_decref(j);
	sb_release(&ev);
	free(co);
	free(rel);
}

/* Each case of the period, read in full, into out. */
static int export_cases(struct ctx *ctx, struct export *x, struct sb *out)
{
	struct sb buf = SB_INIT;
	json_t *arr = json_array(), *j;
	struct dcase c;
	size_t i;
	int ret = 0;

	if (!strcmp(x->format, "csv")) {
		const char *heads[NCOLS];

		memcpy(heads, columns, sizeof(heads));
		csv_row(out, heads, NCOLS);
	}
	for (i = 0; i < x->paths.n && !ret; i++) {
		case_init(&c);
		sb_reset(&buf);
		if (store_read(&buf, ctx->store, x->paths.v[i],
		    LIM_CASEFILE + 1, &ctx->d) ||
		    case_parse_shared(&c, buf.buf, buf.len, x->paths.v[i],
		    &ctx->d)) {
			ret = EXIT_FAIL;
		} else if (!strcmp(x->format, "csv")) {
			csv_case(out, &c, x->personal);
		} else {
			j = case_to_json(&c);
			if (!x->personal)
				drop_personal(j);
			json_array_append_new(arr, j);
		}
		case_release(&c);
	}
	if (!ret && !strcmp(x->format, "json"))
		json_dump_sb(out, arr, 0);
	json_decref(arr);
	sb_release(&buf);
	return ret;
}

int cmd_export(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct export x;
	struct sb out = SB_INIT;
	const char *since = NULL, *until = NULL;
	size_t skipped = 0;
	struct opt opts[] = {
		{ "since", OPT_STR, &since, N_("DATE"),
		  N_("cases received on or after DATE (required)"), OPT_REQ },
		{ "until", OPT_STR, &until, N_("DATE"),
		  N_("cases received on or before DATE") },
		{ "format", OPT_STR, &x.format, N_("csv|json"),
		  N_("output format (default csv)") },
		{ "with-personal-data", OPT_FLAG, &x.personal, NULL,
		  N_("include the complainant's name, phone, email and "
		     "address") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	memset(&x, 0, sizeof(x));
	x.format = "csv";
	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (args.n) {
		ret = usage_error(ctx, _("unexpected argument '%s'"), args.v[0]);
		goto out;
	}
	if (strcmp(x.format, "csv") && strcmp(x.format, "json")) {
		ret = usage_error(ctx, _("unknown format '%s' (csv, json)"),
			x.format);
		goto out;
	}
	if (!since) {
		ret = usage_error(ctx, _("--since DATE is required: the "
			"period whose cases to export"));
		goto out;
	}
	if (parse_when(ctx, since, 0, &x.since)) {
		ret = usage_error(ctx, _("%1$s: '%2$s' is not a date like "
			"2026-11-01"), "--since", since);
		goto out;
	}
	if (until && parse_when(ctx, until, 1, &x.until)) {
		ret = usage_error(ctx, _("%1$s: '%2$s' is not a date like "
			"2026-11-01"), "--until", until);
		goto out;
	}
	x.has_until = until != NULL;
	if ((ret = scan_cases(ctx, pick, &x, &skipped)) ||
	    (ret = export_cases(ctx, &x, &out)))
		goto out;
	ret = emit_stdout(ctx, &out);
	if (!ret && skipped)
		ret = fail_skipped(ctx, skipped, NULL);
out:
	sb_release(&out);
	strlist_release(&x.paths);
	strlist_release(&args);
	return ret;
}
