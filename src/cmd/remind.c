/*
 * remind.c - `docket remind`: the morning cron job (DESIGN section 7).
 *
 * The run has three steps, in this order, so that a failure at any point
 * loses no reminder and sends none twice in a repeat window:
 *
 *   1. plan: every case file is read and remind_plan() says which of its
 *      deadlines to remind whom of (the store is not touched);
 *   2. deliver: the list is printed (grouped by recipient, or as JSON),
 *      and with --mail each recipient gets one message;
 *   3. record: a remind event per reminder, naming the recipients it
 *      reached, and one commit for all cases.
 *
 * A recipient whose mail failed is left out of the events, so the next
 * run reminds them again.  --dry-run stops after printing.  The
 * dispatcher holds the store lock for the whole run (CMD_WRITE), so the
 * cases recorded are the ones planned from.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "mail.h"
#include "output.h"
#include "remind.h"

/* A case with something to remind: what the reminder shows of it. */
struct item {
	char *id;
	char *subject;		/* may be NULL */
	struct reminder *r;
	size_t nr;
};

struct run {
	struct duration within;
	long digest_over;	/* remind.digest_over: past it, a digest */
	struct item *items;
	size_t n, alloc;
	struct strlist people;	/* every recipient, sorted */
	struct strlist reached;	/* recipients the reminders got to */
};

static void run_release(struct run *run)
{
	size_t i;

	for (i = 0; i < run->n; i++) {
		free(run->items[i].id);
		free(run->items[i].subject);
		reminders_free(run->items[i].r, run->items[i].nr);
	}
	free(run->items);
	strlist_release(&run->people);
	strlist_release(&run->reached);
}

/* The reminders one case needs: planned on every core. */
struct planned {
	struct reminder *r;
	size_t nr;
};

static void plan_of(void *out, const struct ctx *ctx, const struct dcase *c,
	const void *arg)
{
	const struct run *run = arg;
	struct planned *p = out;

	p->nr = remind_plan(&p->r, &ctx->cfg, c, ctx->now, run->within);
}

static void planned_release(void *out)
{
	struct planned *p = out;

	if (p->nr)
		reminders_free(p->r, p->nr);
}

/* In path order: keep the case if it needs reminding. */
static int plan_case(struct ctx *ctx, const char *path, struct dcase *c,
	void *out, void *data)
{
	struct planned *p = out;
	struct run *run = data;
	struct item *it;
	size_t i, j;

	(void)ctx;
	(void)path;
	if (!p->nr)
		return 0;
	GROW(run->items, run->alloc, run->n + 1);
	it = &run->items[run->n++];
	memset(it, 0, sizeof(*it));
	/* Keep what the reminder shows and take the reminders over; the
	 * case is read again when the run is recorded. */
	it->id = xstrdup(c->id);
	it->subject = c->subject ? xstrdup(c->subject) : NULL;
	it->r = p->r;
	it->nr = p->nr;
	p->r = NULL;
	p->nr = 0;
	for (i = 0; i < it->nr; i++)
		for (j = 0; j < it->r[i].to.n; j++)
			if (!strlist_has(&run->people, it->r[i].to.v[j]))
				strlist_push(&run->people, it->r[i].to.v[j]);
	return 0;
}

/* "overdue by 3 working days", "overdue by 5 hours" (no working day
 * has passed since: a missed 4-hour deadline, or a holiday after the
 * due day), "due in 1 working day", "due today". */
static void describe(struct sb *out, const struct reminder *r)
{
	const char *s = r->days == 1 ? "" : "s";

	if (r->state == REMIND_OVERDUE && !r->days)
		sb_addf(out, "overdue by %d hour%s", r->hours,
			r->hours == 1 ? "" : "s");
	else if (r->state == REMIND_OVERDUE)
		sb_addf(out, "overdue by %d working day%s", r->days, s);
	else if (r->days)
		sb_addf(out, "due in %d working day%s", r->days, s);
	else
		sb_adds(out, "due today");
}

/* The header line of a recipient: "chen.jing (陈静)". */
static void person_line(struct sb *out, const struct config *cfg,
	const char *who)
{
	const struct staff *st = config_staff(cfg, who);

	out_escape(out, who, 0);
	if (st && st->name && *st->name) {
		sb_adds(out, " (");
		out_escape(out, st->name, 0);
		sb_addc(out, ')');
	}
	sb_addc(out, '\n');
}

/* ---- digests ------------------------------------------------------- */

/* A backlog of thousands mailed one person thousands of lines: past
 * remind.digest_over cases, a recipient gets counts by deadline and by
 * age, the DIGEST_TOP most overdue, and the command that lists them all. */
#define DIGEST_TOP 20

/* How long overdue, for the digest's counts (working days, inclusive). */
static const struct {
	int upto;
	const char *label;
} digest_ages[] = {
	{ 2, N_("overdue up to 2 working days") },
	{ 5, N_("overdue 3 to 5 working days") },
	{ 10, N_("overdue 6 to 10 working days") },
	{ 20, N_("overdue 11 to 20 working days") },
	{ INT_MAX, N_("overdue more than 20 working days") },
};

struct dline {
	const struct item *it;
	const struct reminder *r;
};

/* Overdue first, the longest overdue first, then by case id. */
static int cmp_most_overdue(const void *pa, const void *pb)
{
	const struct dline *a = pa, *b = pb;
	int ao = a->r->state == REMIND_OVERDUE, bo = b->r->state ==
		REMIND_OVERDUE;

	if (ao != bo)
		return ao ? -1 : 1;
	if (a->r->days != b->r->days)
		return (a->r->days > b->r->days) == ao ? -1 : 1;
	return strcmp(a->it->id, b->it->id);
}

/* A table rendered with every line indented by two spaces. */
static void indented(struct sb *out, const struct table *t)
{
	struct sb text = SB_INIT;
	char *line, *nl;

	table_render(&text, t);
	for (line = text.buf; line && *line; line = nl) {
		nl = strchr(line, '\n');
		nl = nl ? nl + 1 : line + strlen(line);
		sb_adds(out, "  ");
		sb_add(out, line, (size_t)(nl - line));
	}
	sb_release(&text);
}

/* The reminders of who, and how many cases they are about. */
static size_t digest_lines(const struct run *run, const char *who,
	struct dline **out, size_t *n)
{
	size_t i, j, cases = 0, alloc = 0;
	int listed;

	*out = NULL;
	*n = 0;
	for (i = 0; i < run->n; i++) {
		listed = 0;
		for (j = 0; j < run->items[i].nr; j++) {
			if (!strlist_has(&run->items[i].r[j].to, who))
				continue;
			GROW(*out, alloc, *n + 1);
			(*out)[*n].it = &run->items[i];
			(*out)[(*n)++].r = &run->items[i].r[j];
			listed = 1;
		}
		cases += listed;
	}
	return cases;
}

/* Counts by deadline (overdue, due soon) and by age. */
static void digest_counts(struct sb *out, const struct dline *v, size_t n)
{
	size_t count[DUE__COUNT][2] = { { 0 } };
	size_t age[ARRAY_SIZE(digest_ages)] = { 0 }, soon = 0, i, a;
	char num[2][24];
	const char *cells[3];
	struct table t;
	int k;

	for (i = 0; i < n; i++) {
		int over = v[i].r->state == REMIND_OVERDUE;

		count[v[i].r->kind][over ? 0 : 1]++;
		if (!over) {
			soon++;
			continue;
		}
		for (a = 0; v[i].r->days > digest_ages[a].upto; a++)
			;
		age[a]++;
	}
	table_init(&t, 3);
	t.right = 6;
	cells[0] = _("deadline");
	cells[1] = _("overdue");
	cells[2] = _("due soon");
	table_row(&t, cells);
	for (k = 0; k < DUE__COUNT; k++) {
		if (!count[k][0] && !count[k][1])
			continue;
		snprintf(num[0], sizeof(num[0]), "%zu", count[k][0]);
		snprintf(num[1], sizeof(num[1]), "%zu", count[k][1]);
		cells[0] = due_names[k];
		cells[1] = num[0];
		cells[2] = num[1];
		table_row(&t, cells);
	}
	indented(out, &t);
	table_release(&t);
	sb_addc(out, '\n');
	table_init(&t, 2);
	t.right = 2;
	for (a = 0; a < ARRAY_SIZE(digest_ages); a++) {
		if (!age[a])
			continue;
		snprintf(num[0], sizeof(num[0]), "%zu", age[a]);
		cells[0] = _(digest_ages[a].label);
		cells[1] = num[0];
		table_row(&t, cells);
	}
	if (soon) {
		snprintf(num[0], sizeof(num[0]), "%zu", soon);
		cells[0] = _("due soon");
		cells[1] = num[0];
		table_row(&t, cells);
	}
	indented(out, &t);
	table_release(&t);
}

/* The DIGEST_TOP most overdue, one line each. */
static void digest_top(struct sb *out, struct dline *v, size_t n)
{
	struct sb what = SB_INIT, level = SB_INIT;
	const char *cells[5];
	struct table t;
	size_t i;

	qsort(v, n, sizeof(*v), cmp_most_overdue);
	if (n > DIGEST_TOP)
		n = DIGEST_TOP;
	sb_addc(out, '\n');
	sb_addf(out, Q_("  The most overdue:\n", "  The %zu most overdue:\n",
		n), n);
	table_init(&t, 5);
	for (i = 0; i < n; i++) {
		sb_reset(&what);
		sb_reset(&level);
		describe(&what, v[i].r);
		sb_addf(&level, "level %d", v[i].r->level);
		cells[0] = v[i].it->id;
		cells[1] = v[i].it->subject;
		cells[2] = due_names[v[i].r->kind];
		cells[3] = what.buf;
		cells[4] = level.buf;
		table_row(&t, cells);
	}
	indented(out, &t);
	table_release(&t);
	sb_release(&what);
	sb_release(&level);
}

/* One recipient's digest, if they have more than remind.digest_over
 * cases: 1 and *ncases set, else 0 (the full table is due). */
static int digest(struct sb *out, const struct run *run, const char *who,
	size_t *ncases)
{
	struct dline *v;
	size_t n, cases;

	cases = digest_lines(run, who, &v, &n);
	if (run->digest_over <= 0 || cases <= (size_t)run->digest_over) {
		free(v);
		return 0;
	}
	/* TRANSLATORS: a digest of reminders; %1$zu cases, %2$ld the
	   limit of remind.digest_over. */
	sb_addf(out, _("  %1$zu cases need your attention, more than "
		"remind.digest_over (%2$ld); in short:\n\n"), cases,
		run->digest_over);
	digest_counts(out, v, n);
	digest_top(out, v, n);
	sb_addc(out, '\n');
	sb_addf(out, _("  To see them all: docket agenda --for %s\n"), who);
	if (ncases)
		*ncases = cases;
	free(v);
	return 1;
}

/*
 * One recipient's reminders as an indented table, one line each; *ncases
 * (may be NULL) gets the number of cases listed.  Past
 * remind.digest_over cases, a digest instead (digest.inc).
 */
static void person_table(struct sb *out, const struct run *run,
	const char *who, size_t *ncases)
{
	struct table t;
	struct sb what = SB_INIT, level = SB_INIT, text = SB_INIT;
	const char *cells[5];
	size_t i, j, cases = 0;
	char *line, *nl;
	int listed;

	if (digest(out, run, who, ncases))
		return;
	table_init(&t, 5);
	for (i = 0; i < run->n; i++) {
		const struct item *it = &run->items[i];

		listed = 0;
		for (j = 0; j < it->nr; j++) {
			if (!strlist_has(&it->r[j].to, who))
				continue;
			sb_reset(&what);
			sb_reset(&level);
			describe(&what, &it->r[j]);
			sb_addf(&level, "level %d", it->r[j].level);
			cells[0] = it->id;
			cells[1] = it->subject;
			cells[2] = reminder_deadline(&it->r[j]);
			cells[3] = what.buf;
			cells[4] = level.buf;
			table_row(&t, cells);
			listed = 1;
		}
		cases += listed;
	}
	table_render(&text, &t);
	for (line = text.buf; *line; line = nl) {
		nl = strchr(line, '\n');
		nl = nl ? nl + 1 : line + strlen(line);
		sb_adds(out, "  ");
		sb_add(out, line, (size_t)(nl - line));
	}
	if (ncases)
		*ncases = cases;
	sb_release(&text);
	sb_release(&level);
	sb_release(&what);
	table_release(&t);
}

static void render_text(struct sb *out, const struct ctx *ctx,
	const struct run *run)
{
	size_t i;

	for (i = 0; i < run->people.n; i++) {
		if (i)
			sb_addc(out, '\n');
		person_line(out, &ctx->cfg, run->people.v[i]);
		person_table(out, run, run->people.v[i], NULL);
	}
}

static void render_json(struct sb *out, const struct run *run)
{
	json_t *arr = json_array(), *o, *to;
	char due[TS_BUFSZ];
	size_t i, j, k;

	for (i = 0; i < run->n; i++) {
		const struct item *it = &run->items[i];

		for (j = 0; j < it->nr; j++) {
			const struct reminder *r = &it->r[j];

			ts_format(due, r->due);
			o = json_object();
			to = json_array();
			for (k = 0; k < r->to.n; k++)
				json_array_append_new(to,
					json_string(r->to.v[k]));
			json_object_set_new(o, "case", json_string(it->id));
			json_object_set_new(o, "subject", it->subject ?
				json_string(it->subject) : json_null());
			json_object_set_new(o, "deadline",
				json_string(reminder_deadline(r)));
			if (r->co)
				json_object_set_new(o, "co",
					json_string(r->co));
			json_object_set_new(o, "due", json_string(due));
			json_object_set_new(o, "state", json_string(
				r->state == REMIND_OVERDUE ? "overdue" :
				"due-soon"));
			json_object_set_new(o, "working_days",
				json_integer(r->days));
			json_object_set_new(o, "level",
				json_integer(r->level));
			json_object_set_new(o, "to", to);
			json_array_append_new(arr, o);
		}
	}
	json_dump_sb(out, arr, 0);
	json_decref(arr);
}

/* 1 if any of the recipient's reminders is escalated. */
static int has_level2(const struct run *run, const char *who)
{
	size_t i, j;

	for (i = 0; i < run->n; i++)
		for (j = 0; j < run->items[i].nr; j++)
			if (run->items[i].r[j].level == 2 &&
			    strlist_has(&run->items[i].r[j].to, who))
				return 1;
	return 0;
}

/* Build and send one recipient's message; 0 or EXIT_FAIL (in ctx->d). */
static int mail_person(struct ctx *ctx, const struct run *run,
	const char *who)
{
	const struct staff *st = config_staff(&ctx->cfg, who);
	const char *org = ctx->cfg.organization;
	struct sb subject = SB_INIT, body = SB_INIT, msg = SB_INIT;
	struct sb msgid = SB_INIT;
	struct mail m;
	struct diag d = DIAG_INIT;
	char stamp[TS_BUFSZ], grace[16];
	size_t ncases = 0, i;
	int ret = EXIT_FAIL;

	if (!st || !st->email || !*st->email) {
		fail(ctx, "no mail address for '%s' in docket.yaml: their "
			"reminders were not sent and will be again", who);
		goto out;
	}
	person_line(&body, &ctx->cfg, who);
	person_table(&body, run, who, &ncases);
	sb_adds(&body, "\n");
	if (has_level2(run, who)) {
		duration_format(grace, ctx->cfg.escalate_after);
		sb_addf(&body, "Level 2: overdue by more than %s "
			"(remind.escalate_after); the department head and the "
			"supervisors hear of it too.\n", grace);
	}
	sb_adds(&body, "Run 'docket show ID' for the details of a case.\n");
	sb_addf(&subject, "docket: %zu case%s need%s attention", ncases,
		ncases == 1 ? "" : "s", ncases == 1 ? "s" : "");
	if (org && *org)
		sb_addf(&subject, " (%s)", org);
	ts_format(stamp, ctx->now);
	sb_adds(&msgid, "docket-remind.");
	for (i = 0; stamp[i] && i < 19; i++)
		if (stamp[i] != '-' && stamp[i] != ':')
			sb_addc(&msgid, stamp[i]);
	sb_addf(&msgid, ".%ld.%s", (long)getpid(), who);
	memset(&m, 0, sizeof(m));
	m.from = ctx->cfg.mail_from;
	m.from_name = org;
	m.to_name = st->name;
	m.to_addr = st->email;
	m.subject = subject.buf;
	m.body = body.buf;
	m.date = ctx->now;
	m.msgid = msgid.buf;
	if (mail_build(&msg, &m, &d) ||
	    mail_send(ctx->cfg.sendmail, msg.buf, msg.len, &d)) {
		for (i = 0; i < d.n; i++)
			fail(ctx, "mail to '%s' failed: %s (their reminders "
				"were not recorded and will be sent again)",
				who, d.msg[i]);
		goto out;
	}
	ret = 0;
out:
	diag_release(&d);
	sb_release(&msgid);
	sb_release(&msg);
	sb_release(&body);
	sb_release(&subject);
	return ret;
}

static int mail_all(struct ctx *ctx, struct run *run)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < run->people.n; i++) {
		if (mail_person(ctx, run, run->people.v[i])) {
			ret = EXIT_FAIL;
			continue;
		}
		strlist_push(&run->reached, run->people.v[i]);
	}
	return ret;
}

/* The reminders of one item addressed to recipients that were reached. */
static int add_reached(struct ctx *ctx, struct run *run, const struct item *it,
	struct dcase *c)
{
	struct strlist to = STRLIST_INIT;
	size_t j, k;
	int changed = 0;

	for (j = 0; j < it->nr; j++) {
		strlist_release(&to);
		for (k = 0; k < it->r[j].to.n; k++)
			if (strlist_has(&run->reached, it->r[j].to.v[k]))
				strlist_push(&to, it->r[j].to.v[k]);
		if (!to.n)
			continue;
		remind_record(c, &it->r[j], ctx->now, ctx->actor, to.v, to.n);
		changed = 1;
	}
	strlist_release(&to);
	return changed;
}

/* Say that the errors since `before` cost a case its record. */
static void not_recorded(struct ctx *ctx, size_t before)
{
	struct sb msg = SB_INIT;
	size_t i;

	for (i = before; i < ctx->d.n; i++) {
		sb_reset(&msg);
		sb_addf(&msg, "%s; its reminders were not recorded and will "
			"be sent again", ctx->d.msg[i]);
		free(ctx->d.msg[i]);
		ctx->d.msg[i] = sb_detach(&msg, NULL);
	}
	sb_release(&msg);
}

/*
 * Append a remind event to each case for each reminder, naming the
 * recipients it reached, and commit them all at once.  The lock is taken
 * only now, and each case is read again under it, so a note or close
 * made while the mail went out is kept.
 */
static int record(struct ctx *ctx, struct run *run)
{
	struct dcase *fresh = NULL;
	const struct dcase **save = NULL;
	size_t nsave = 0, i;
	int ret = EXIT_OK;

	if (ctx->lock(ctx))
		return EXIT_FAIL;
	fresh = xcalloc(run->n ? run->n : 1, sizeof(*fresh));
	save = xcalloc(run->n ? run->n : 1, sizeof(*save));
	for (i = 0; i < run->n; i++) {
		struct item *it = &run->items[i];
		struct dcase *c = &fresh[nsave];
		size_t before = ctx->d.n;

		/* A case edited by hand is refused here, under the lock:
		 * its reminders were sent and go out again next time. */
		if (load_case_for_write(ctx, it->id, c)) {
			not_recorded(ctx, before);
			ret = EXIT_FAIL;
			continue;
		}
		if (add_reached(ctx, run, it, c))
			save[nsave++] = c;
		else
			case_release(c);
	}
	/* Record what was sent even if one case could not be read again:
	 * its reminders go out once more next time, the others do not. */
	if (nsave && save_cases(ctx, save, nsave, "remind", NULL, 0))
		ret = EXIT_FAIL;
	for (i = 0; i < nsave; i++)
		case_release(&fresh[i]);
	free(save);
	free(fresh);
	return ret;
}

/*
 * Print the reminders, mail them, record what reached whom.  Printing
 * comes first: without --mail the printed list is the delivery (cron mails
 * it), so if it cannot be written nothing is recorded.
 */
static int deliver(struct ctx *ctx, struct run *run, const struct sb *out,
	int mail, int dry)
{
	int ret, mail_failed = 0;
	size_t i;

	if ((ret = emit_stdout(ctx, out)))
		return ret;
	if (fflush(stdout))
		return fail(ctx, "cannot write output");
	if (dry)
		return EXIT_OK;
	if (mail)
		mail_failed = mail_all(ctx, run);
	else
		for (i = 0; i < run->people.n; i++)
			strlist_push(&run->reached, run->people.v[i]);
	ret = record(ctx, run);
	return ret ? ret : mail_failed;
}

static int check_options(struct ctx *ctx, struct run *run,
	const char *within, const char *format)
{
	if (strcmp(format, "text") && strcmp(format, "json"))
		return usage_error(ctx, "unknown format '%s' (text, json)",
			format);
	run->within = ctx->cfg.remind_within;
	run->digest_over = ctx->cfg.digest_over;
	if (within && duration_parse(&run->within, within))
		return usage_error(ctx, "--within: '%s' is not a duration "
			"like 1wd, 2d or 8h", within);
	return 0;
}

int cmd_remind(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct run run;
	struct sb out = SB_INIT;
	const char *within = NULL, *format = "text";
	int mail = 0, dry = 0, ret;
	size_t skipped = 0;
	struct scan_map plan = { sizeof(struct planned), plan_of,
		planned_release, &run };
	struct opt opts[] = {
		{ "within", OPT_STR, &within, "DURATION",
		  "due soon: within this long (default remind.within)" },
		{ "mail", OPT_FLAG, &mail, NULL,
		  "mail each recipient their reminders" },
		{ "dry-run", OPT_FLAG, &dry, NULL,
		  "print only: record nothing, send nothing" },
		{ "format", OPT_STR, &format, "text|json",
		  "output format (default text)" },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};

	memset(&run, 0, sizeof(run));
	ret = parse_options(ctx, opts, argc, argv, &args);
	if (ret) {
		ret = ret < 0 ? EXIT_OK : ret;
		goto out;
	}
	if (args.n) {
		ret = usage_error(ctx, "unexpected argument '%s'", args.v[0]);
		goto out;
	}
	if ((ret = check_options(ctx, &run, within, format)))
		goto out;
	if ((ret = scan_cases_map(ctx, &plan, plan_case, &run, &skipped)))
		goto out;
	strlist_sort(&run.people);
	/* a script asking what would be sent gets an empty array, not
	 * nothing; a real run keeps cron's silence */
	if (!strcmp(format, "json") && (run.n || dry))
		render_json(&out, &run);
	else
		render_text(&out, ctx, &run);
	ret = deliver(ctx, &run, &out, mail, dry);
	if (skipped)
		ret = fail_skipped(ctx, skipped, NULL);
out:
	sb_release(&out);
	run_release(&run);
	strlist_release(&args);
	return ret;
}
