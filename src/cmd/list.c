/*
 * list.c - `docket list`: cases, one line each, filtered.
 *
 * No complainant data is listed: the line names the case, not the person.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "deadline.h"
#include "labels.h"
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

/* The column names of CSV and JSON (stable, for scripts)... */
static const char *const columns[] = {
	"id", "status", "kind", "received_at", "channel", "category",
	"department", "assignee", "next_due", "subject"
};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

/* ...and the table's headings, for people. */
static void headings(const char *out[NCOLS])
{
	out[0] = C_("list column", "id");
	out[1] = C_("list column", "status");
	out[2] = C_("list column", "kind");
	out[3] = C_("list column", "received_at");
	out[4] = C_("list column", "channel");
	out[5] = C_("list column", "category");
	out[6] = C_("list column", "department");
	out[7] = C_("list column", "assignee");
	out[8] = C_("list column", "next_due");
	out[9] = C_("list column", "subject");
}

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

/* A case's cells: ids for scripts, or (labels set) what people read. */
static void cells_of(const char *cells[NCOLS], const struct config *cfg,
	const struct dcase *c, const struct line *ln, int labels)
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
	if (!labels)
		return;
	cells[1] = vocab_label(cfg, VOC_STATUS, cells[1]);
	cells[2] = vocab_label(cfg, VOC_KIND, cells[2]);
	cells[4] = vocab_label(cfg, VOC_CHANNEL, cells[4]);
	cells[5] = vocab_label(cfg, VOC_CATEGORY, cells[5]);
	cells[6] = vocab_label(cfg, VOC_DEPARTMENT, cells[6]);
	cells[7] = vocab_label(cfg, VOC_STAFF, cells[7]);
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
		cells_of(cells, &ctx->cfg, c, ln, 1);
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

	(void)path;
	if (!ln->keep)
		return 0;
	cells_of(cells, &ctx->cfg, c, ln, 0);
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

/* One filter's value, an id or a label, resolved to the id in place;
 * unknown values are refused rather than listing nothing. */
static int resolve_filter(struct ctx *ctx, const char **val, enum vocab v,
	const char *what)
{
	const char *id;

	if (!*val)
		return 0;
	/* A store without a staff list has no names to check against. */
	if (v == VOC_STAFF && !ctx->cfg.nstaff && plain_id_valid(*val))
		return 0;
	if (vocab_resolve(&id, NULL, &ctx->cfg, VOCAB(v), what, *val,
	    &ctx->d))
		return EXIT_USAGE;
	*val = id;
	return 0;
}

static int parse_filter(struct ctx *ctx, struct filter *f, const char *since)
{
	int ret;

	/* "open", its word in the user's language, or the Chinese one */
	if (f->status && (!strcmp(f->status, "open") ||
	    !strcmp(f->status, C_("status filter", "open")) ||
	    !strcmp(f->status, "未办结")))
		f->status = "open";
	else if ((ret = resolve_filter(ctx, &f->status, VOC_STATUS,
	    "--status")))
		return ret;
	if ((ret = resolve_filter(ctx, &f->assignee, VOC_STAFF,
	    "--assignee")) ||
	    (ret = resolve_filter(ctx, &f->department, VOC_DEPARTMENT,
	    "--department")) ||
	    (ret = resolve_filter(ctx, &f->category, VOC_CATEGORY,
	    "--category")))
		return ret;
	if (since) {
		if (parse_when(ctx, since, 0, &f->since))
			return usage_error(ctx, _("--since: '%s' is not a date "
				"like 2026-11-01"), since);
		f->has_since = 1;
	}
	return 0;
}

int cmd_list(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct listing l;
	const char *since = NULL, *heads[NCOLS];
	size_t skipped = 0;
	struct scan_map lines = { sizeof(struct line), line_of, line_release,
		&l };
	struct opt opts[] = {
		{ "status", OPT_STR, &l.f.status, N_("STATUS"),
		  N_("only cases in this status, id or word (or 'open')") },
		{ "assignee", OPT_STR, &l.f.assignee, N_("STAFF"),
		  N_("only cases assigned to this staff member, id or name") },
		{ "department", OPT_STR, &l.f.department, N_("DEPT"),
		  N_("only cases routed to this department, id or label") },
		{ "category", OPT_STR, &l.f.category, N_("ID"),
		  N_("only this category (id or label) and those below it") },
		{ "overdue", OPT_FLAG, &l.f.overdue, NULL,
		  N_("only open cases past a deadline not yet met") },
		{ "since", OPT_STR, &since, N_("DATE"),
		  N_("only cases received on or after DATE") },
		{ "format", OPT_STR, &l.format, N_("table|json|csv|ids"),
		  N_("output format (default table)") },
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
		ret = usage_error(ctx, _("unexpected argument '%s'"), args.v[0]);
		goto out;
	}
	if (strcmp(l.format, "table") && strcmp(l.format, "json") &&
	    strcmp(l.format, "csv") && strcmp(l.format, "ids")) {
		ret = usage_error(ctx, _("unknown format '%s' (table, json, csv, "
			"ids)"), l.format);
		goto out;
	}
	if ((ret = parse_filter(ctx, &l.f, since)))
		goto out;
	l.arr = json_array();
	headings(heads);
	table_row(&l.table, heads);
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
