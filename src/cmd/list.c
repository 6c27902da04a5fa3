/*
 * list.c - `docket list`: cases, one line each, filtered.
 *
 * No complainant data is listed: the line names the case, not the person.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "deadline.h"
#include "output.h"

struct filter {
	const char *status;
	const char *assignee;
	const char *department;
	const char *category;
	int overdue;
	int has_since;
	struct ts since;
};

struct listing {
	struct filter f;
	const char *format;
	struct table table;
	struct sb out;
	json_t *arr;
};

static const char *const columns[] = {
	"id", "status", "kind", "received_at", "channel", "category",
	"department", "assignee", "next_due", "subject"
};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

static int keep(const struct filter *f, const struct dcase *c,
	struct ts now)
{
	if (f->status && strcmp(f->status, case_status_name(c->status)) &&
	    !(!strcmp(f->status, "open") && case_status_open(c->status)))
		return 0;
	if (f->assignee && (!c->assignee || strcmp(f->assignee, c->assignee)))
		return 0;
	if (f->department && (!c->department ||
	    strcmp(f->department, c->department)))
		return 0;
	if (f->category && (!c->category ||
	    !category_under(c->category, f->category)))
		return 0;
	if (f->overdue && !deadline_overdue(c, now))
		return 0;
	if (f->has_since && ts_cmp(c->received_at, f->since) < 0)
		return 0;
	return 1;
}

/* The earliest deadline not yet met, for the "next_due" column. */
static void next_due(const struct dcase *c, char buf[TS_BUFSZ])
{
	int k, best = -1;

	buf[0] = '\0';
	if (!case_status_open(c->status))
		return;
	for (k = 0; k < DUE__COUNT; k++) {
		if (!(c->due.has & (1u << k)) ||
		    deadline_met(c, (enum due_kind)k))
			continue;
		if (best < 0 || ts_cmp(c->due.at[k], c->due.at[best]) < 0)
			best = k;
	}
	if (best >= 0)
		ts_format(buf, c->due.at[best]);
}

/* One case's line, made on every core by line_of(). */
struct line {
	int keep;
	char recv[TS_BUFSZ], due[TS_BUFSZ];
	struct sb text;		/* table: the escaped cells, NUL-ended */
	size_t width[NCOLS];
};

static void cells_of(const char *cells[NCOLS], const struct dcase *c,
	const struct line *ln)
{
	cells[0] = c->id;
	cells[1] = case_status_name(c->status);
	cells[2] = case_kind_name(c->kind);
	cells[3] = ln->recv;
	cells[4] = c->channel;
	cells[5] = c->category;
	cells[6] = c->department;
	cells[7] = c->assignee;
	cells[8] = ln->due;
	cells[9] = c->subject;
}

static void line_of(void *out, const struct ctx *ctx, const struct dcase *c,
	const void *arg)
{
	const struct listing *l = arg;
	struct line *ln = out;
	const char *cells[NCOLS];

	if (!keep(&l->f, c, ctx->now))
		return;
	ln->keep = 1;
	ts_format(ln->recv, c->received_at);
	next_due(c, ln->due);
	if (!strcmp(l->format, "table")) {
		cells_of(cells, c, ln);
		sb_init(&ln->text);
		table_cells_escape(&ln->text, ln->width, cells, NCOLS);
	}
}

static void line_release(void *out)
{
	struct line *ln = out;

	sb_release(&ln->text);
}

/* In path order: the line of a kept case. */
static int add_case(struct ctx *ctx, const char *path, struct dcase *c,
	void *out, void *data)
{
	struct listing *l = data;
	struct line *ln = out;
	const char *cells[NCOLS];
	size_t i;

	(void)ctx;
	(void)path;
	if (!ln->keep)
		return 0;
	cells_of(cells, c, ln);
	if (!strcmp(l->format, "ids")) {
		sb_adds(&l->out, c->id);
		sb_addc(&l->out, '\n');
	} else if (!strcmp(l->format, "csv")) {
		csv_row(&l->out, cells, NCOLS);
	} else if (!strcmp(l->format, "json")) {
		json_t *o = json_object();

		for (i = 0; i < NCOLS; i++)
			json_object_set_new(o, columns[i], cells[i] &&
				*cells[i] ? json_string(cells[i]) : json_null());
		json_array_append_new(l->arr, o);
	} else {
		table_row_escaped(&l->table, ln->text.buf, ln->width);
	}
	return 0;
}

static int parse_filter(struct ctx *ctx, struct filter *f, const char *since)
{
	if (f->status && strcmp(f->status, "open")) {
		enum case_status st;

		if (case_status_parse(&st, f->status))
			return usage_error(ctx, "unknown status '%s' (received, "
				"pending-info, accepted, assigned, on-hold, "
				"closed, rejected, or open)", f->status);
	}
	if (since) {
		if (parse_when(ctx, since, 0, &f->since))
			return usage_error(ctx, "--since: '%s' is not a date "
				"like 2026-11-01", since);
		f->has_since = 1;
	}
	return 0;
}

int cmd_list(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct listing l;
	const char *since = NULL;
	size_t skipped = 0;
	struct scan_map lines = { sizeof(struct line), line_of, line_release,
		&l };
	struct opt opts[] = {
		{ "status", OPT_STR, &l.f.status, "STATUS",
		  "only cases in this status (or 'open')" },
		{ "assignee", OPT_STR, &l.f.assignee, "STAFF",
		  "only cases assigned to this staff id" },
		{ "department", OPT_STR, &l.f.department, "DEPT",
		  "only cases routed to this department" },
		{ "category", OPT_STR, &l.f.category, "ID",
		  "only this category and those below it" },
		{ "overdue", OPT_FLAG, &l.f.overdue, NULL,
		  "only open cases past a deadline not yet met" },
		{ "since", OPT_STR, &since, "DATE",
		  "only cases received on or after DATE" },
		{ "format", OPT_STR, &l.format, "table|json|csv|ids",
		  "output format (default table)" },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	int ret;

	memset(&l, 0, sizeof(l));
	l.format = "table";
	sb_init(&l.out);
	table_init(&l.table, NCOLS);
	ret = parse_options(ctx, opts, argc, argv, &args);
	if (ret) {
		ret = ret < 0 ? EXIT_OK : ret;
		goto out;
	}
	if (args.n) {
		ret = usage_error(ctx, "unexpected argument '%s'", args.v[0]);
		goto out;
	}
	if (strcmp(l.format, "table") && strcmp(l.format, "json") &&
	    strcmp(l.format, "csv") && strcmp(l.format, "ids")) {
		ret = usage_error(ctx, "unknown format '%s' (table, json, csv, "
			"ids)", l.format);
		goto out;
	}
	if ((ret = parse_filter(ctx, &l.f, since)))
		goto out;
	l.arr = json_array();
	table_row(&l.table, columns);
	if (!strcmp(l.format, "csv"))
		csv_row(&l.out, columns, NCOLS);
	ret = scan_cases_map(ctx, &lines, add_case, &l, &skipped);
	if (ret)
		goto out;
	if (!strcmp(l.format, "json"))
		json_dump_sb(&l.out, l.arr, 0);
	else if (!strcmp(l.format, "table") && l.table.nrows > 1)
		table_render(&l.out, &l.table);
	ret = emit_stdout(ctx, &l.out);
	if (!ret && skipped)
		ret = fail_skipped(ctx, skipped, NULL);
out:
	json_decref(l.arr);
	table_release(&l.table);
	sb_release(&l.out);
	strlist_release(&args);
	return ret;
}
