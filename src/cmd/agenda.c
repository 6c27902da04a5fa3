/*
 * agenda.c - `docket agenda`: what is overdue and due soon now, for a
 * supervisor's morning screen.
 *
 * The same deadlines `remind` reminds of (remind.h: open cases whose
 * clock runs, each deadline not yet met that is past or falls within
 * --within), to the same people, but whatever was reminded before:
 * remind stays quiet for remind.repeat after each run, the agenda never
 * does.  Grouped by person, then by deadline kind, the most overdue
 * first.  Nothing is recorded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "labels.h"
#include "output.h"
#include "remind.h"

/* One deadline of one case on the agenda. */
struct entry {
	char *id;
	char *subject;		/* may be NULL */
	char *department;	/* may be NULL */
	struct reminder r;
};

struct agenda {
	struct duration within;
	const char *who;	/* --for a staff id, or NULL */
	const char *dept;	/* --for a department id, or NULL */
	struct entry *v;
	size_t n, alloc;
	struct strlist people;	/* everyone on it, sorted */
};

/* The reminders of one case, planned on every core. */
struct planned {
	struct reminder *r;
	size_t nr;
};

static void plan_of(void *out, const struct ctx *ctx, const struct dcase *c,
	const void *arg)
{
	const struct agenda *a = arg;
	struct planned *p = out;

	if (a->dept && (!c->department || strcmp(c->department, a->dept)))
		return;
	p->nr = remind_due(&p->r, &ctx->cfg, c, ctx->now, a->within);
}

static void planned_release(void *out)
{
	struct planned *p = out;

	if (p->nr)
		reminders_free(p->r, p->nr);
}

/* In path order: each reminder of the case becomes an entry. */
static int add_case(struct ctx *ctx, const char *path, struct dcase *c,
	void *out, void *data)
{
	struct planned *p = out;
	struct agenda *a = data;
	struct entry *e;
	size_t i, j;

	(void)ctx;
	(void)path;
	for (i = 0; i < p->nr; i++) {
		if (a->who && !strlist_has(&p->r[i].to, a->who))
			continue;
		GROW(a->v, a->alloc, a->n + 1);
		e = &a->v[a->n++];
		e->id = xstrdup(c->id);
		e->subject = c->subject ? xstrdup(c->subject) : NULL;
		e->department = c->department ? xstrdup(c->department) : NULL;
		e->r = p->r[i];	/* takes its list and co */
		memset(&p->r[i].to, 0, sizeof(p->r[i].to));
		p->r[i].co = NULL;
		for (j = 0; j < e->r.to.n; j++)
			if (!strlist_has(&a->people, e->r.to.v[j]) &&
			    (!a->who || !strcmp(a->who, e->r.to.v[j])))
				strlist_push(&a->people, e->r.to.v[j]);
	}
	return 0;
}

static void agenda_release(struct agenda *a)
{
	size_t i;

	for (i = 0; i < a->n; i++) {
		free(a->v[i].id);
		free(a->v[i].subject);
		free(a->v[i].department);
		strlist_release(&a->v[i].r.to);
		free(a->v[i].r.co);
	}
	free(a->v);
	strlist_release(&a->people);
}

/* Overdue before due soon; the most overdue, then the soonest, first. */
static int cmp_entry(const void *pa, const void *pb)
{
	const struct entry *a = pa, *b = pb;
	int c;

	if (a->r.state != b->r.state)
		return a->r.state == REMIND_OVERDUE ? -1 : 1;
	if ((c = ts_cmp(a->r.due, b->r.due)))
		return c;
	return strcmp(a->id, b->id);
}

static void count_person(const struct agenda *a, const char *who,
	size_t *over, size_t *soon)
{
	size_t i;

	*over = *soon = 0;
	for (i = 0; i < a->n; i++)
		if (strlist_has(&a->v[i].r.to, who))
			(*(a->v[i].r.state == REMIND_OVERDUE ? over : soon))++;
}

/* One person's deadlines of one group (remind_groups) as an indented
 * table. */
static void kind_table(struct sb *out, const struct config *cfg,
	const struct agenda *a, const char *who, size_t group)
{
	const char *label = NULL;
	struct table t;
	struct sb what = SB_INIT, text = SB_INIT;
	char due[TS_BUFSZ];
	const char *cells[4];
	size_t i;

	table_init(&t, 4);
	for (i = 0; i < a->n; i++) {
		const struct entry *e = &a->v[i];

		if (reminder_group(&e->r) != group ||
		    !strlist_has(&e->r.to, who))
			continue;
		label = reminder_label(&e->r);
		sb_reset(&what);
		reminder_when(&what, &e->r);
		ts_format(due, e->r.due);
		cells[0] = e->id;
		cells[1] = what.buf;
		cells[2] = due;
		cells[3] = e->r.co && e->r.referral ? e->r.co : e->subject;
		table_row(&t, cells);
	}
	if (t.nrows) {
		sb_adds(out, "  ");
		sb_adds(out, label);
		sb_addc(out, '\n');
		table_render(&text, &t);
		/* indent every line of the table under its heading */
		for (i = 0; i < text.len; i++) {
			if (!i || text.buf[i - 1] == '\n')
				sb_adds(out, "    ");
			sb_addc(out, text.buf[i]);
		}
	}
	(void)cfg;
	table_release(&t);
	sb_release(&what);
	sb_release(&text);
}

static void render_text(struct sb *out, const struct ctx *ctx,
	const struct agenda *a)
{
	char within[16];
	size_t i, over, soon;
	size_t k;

	if (!a->n) {
		duration_format(within, a->within);
		sb_addf(out, _("Nothing is overdue or due within %s.\n"),
			within);
		return;
	}
	for (i = 0; i < a->people.n; i++) {
		const char *who = a->people.v[i];

		count_person(a, who, &over, &soon);
		if (i)
			sb_addc(out, '\n');
		vocab_show(out, &ctx->cfg, VOC_STAFF, who);
		sb_adds(out, ": ");
		/* TRANSLATORS: one person's line of the agenda, e.g.
		   "3 overdue, 2 due soon". */
		sb_addf(out, _("%zu overdue, %zu due soon"), over, soon);
		sb_addc(out, '\n');
		for (k = 0; k < REMIND_NGROUPS; k++)
			kind_table(out, &ctx->cfg, a, who, k);
	}
}

/* [{staff, name, overdue, due_soon, deadlines: {ack: [...], ...}}] */
static void render_json(struct sb *out, const struct ctx *ctx,
	const struct agenda *a)
{
	json_t *arr = json_array(), *p, *kinds, *list, *o;
	const struct staff *st;
	char due[TS_BUFSZ];
	size_t i, j, over, soon;
	size_t k;

	for (i = 0; i < a->people.n; i++) {
		const char *who = a->people.v[i];

		count_person(a, who, &over, &soon);
		st = config_staff(&ctx->cfg, who);
		p = json_object();
		json_object_set_new(p, "staff", json_string(who));
		json_object_set_new(p, "name", st && st->name ?
			json_string(st->name) : json_null());
		json_object_set_new(p, "overdue", json_integer((json_int_t)over));
		json_object_set_new(p, "due_soon",
			json_integer((json_int_t)soon));
		kinds = json_object();
		for (k = 0; k < REMIND_NGROUPS; k++) {
			list = json_array();
			for (j = 0; j < a->n; j++) {
				const struct entry *e = &a->v[j];

				if (reminder_group(&e->r) != k ||
				    !strlist_has(&e->r.to, who))
					continue;
				ts_format(due, e->r.due);
				o = json_object();
				json_object_set_new(o, "case",
					json_string(e->id));
				json_object_set_new(o, "subject", e->subject ?
					json_string(e->subject) : json_null());
				json_object_set_new(o, "department",
					e->department ?
					json_string(e->department) :
					json_null());
				json_object_set_new(o, "due", json_string(due));
				json_object_set_new(o, "state", json_string(
					e->r.state == REMIND_OVERDUE ?
					"overdue" : "due-soon"));
				json_object_set_new(o, "working_days",
					json_integer(e->r.days));
				json_object_set_new(o, "level",
					json_integer(e->r.level));
				if (e->r.co)
					json_object_set_new(o, e->r.referral ?
						"body" : "co",
						json_string(e->r.co));
				json_array_append_new(list, o);
			}
			if (json_array_size(list))
				json_object_set_new(kinds, remind_groups[k],
					list);
			else
				json_decref(list);
		}
		json_object_set_new(p, "deadlines", kinds);
		json_array_append_new(arr, p);
	}
	json_dump_sb(out, arr, 0);
	json_decref(arr);
}

static int parse_for(struct ctx *ctx, struct agenda *a, const char *whom)
{
	const char *id;
	enum vocab v;

	if (!whom)
		return 0;
	if (!strcmp(whom, "@me")) {
		a->who = ctx->actor;
		return 0;
	}
	/* without a staff list, a plain word is a staff id */
	if (!ctx->cfg.nstaff && plain_id_valid(whom) &&
	    !config_department(&ctx->cfg, whom)) {
		a->who = whom;
		return 0;
	}
	if (vocab_resolve(&id, &v, &ctx->cfg, VOCAB(VOC_STAFF) |
	    VOCAB(VOC_DEPARTMENT), "--for", whom, &ctx->d))
		return EXIT_USAGE;
	if (v == VOC_STAFF)
		a->who = id;
	else
		a->dept = id;
	return 0;
}

int cmd_agenda(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct agenda a;
	struct sb out = SB_INIT;
	const char *within = NULL, *format = "text", *whom = NULL;
	size_t skipped = 0;
	struct scan_map plan = { sizeof(struct planned), plan_of,
		planned_release, &a };
	struct opt opts[] = {
		{ "for", OPT_STR, &whom, N_("STAFF|DEPT"),
		  N_("only this staff member's deadlines (id, name or @me), "
		     "or a department's cases") },
		{ "within", OPT_STR, &within, N_("DURATION"),
		  N_("due soon: within this long (default remind.within)") },
		{ "format", OPT_STR, &format, N_("text|json"),
		  N_("output format (default text)") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	memset(&a, 0, sizeof(a));
	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (args.n) {
		ret = usage_error(ctx, _("unexpected argument '%s'"), args.v[0]);
		goto out;
	}
	if (strcmp(format, "text") && strcmp(format, "json")) {
		ret = usage_error(ctx, _("unknown format '%s' (text, json)"),
			format);
		goto out;
	}
	a.within = ctx->cfg.remind_within;
	if (within && duration_parse(&a.within, within)) {
		ret = usage_error(ctx, _("%1$s: '%2$s' is not a duration like "
			"1wd, 2d or 8h"), "--within", within);
		goto out;
	}
	if ((ret = parse_for(ctx, &a, whom)) ||
	    (ret = scan_cases_map(ctx, &plan, add_case, &a, &skipped)))
		goto out;
	xqsort(a.v, a.n, sizeof(*a.v), cmp_entry);
	strlist_sort(&a.people);
	if (!strcmp(format, "json"))
		render_json(&out, ctx, &a);
	else
		render_text(&out, ctx, &a);
	ret = emit_stdout(ctx, &out);
	if (!ret && skipped)
		ret = fail_skipped(ctx, skipped, NULL);
out:
	sb_release(&out);
	agenda_release(&a);
	strlist_release(&args);
	return ret;
}
