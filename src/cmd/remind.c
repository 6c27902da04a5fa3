/*
 * remind.c - `docket remind`: the morning cron job (DESIGN section 7).
 *
 * A run mails each reminder at most once per (case, deadline, due time,
 * level, recipient), even when two runs overlap or one is killed
 * (DESIGN section 11):
 *
 *   1. .git/docket-remind.lock (flock) keeps a second run waiting, so it
 *      plans from what the first recorded;
 *   2. under the store lock: record what a killed run left in its
 *      journal (.git/docket-remind), plan from every case (remind_plan),
 *      and print the list; a run that cannot get the lock mails nothing
 *      (without --mail the list is planned without the store lock, which
 *      is taken to record);
 *   3. with --mail: write the plan to the journal (fsync'd), give the
 *      store lock up so that staff can file while the mail goes out, mail
 *      each recipient with "try" and "sent"/"failed" lines appended;
 *   4. take the store lock again and record a remind event per reminder
 *      naming the recipients it reached, one commit for all cases; then
 *      remove the journal.  If the lock cannot be had back, the journal
 *      keeps what was mailed for the next run to record.
 *
 * A recipient whose mail failed is left out of the events, so the next
 * run reminds them again; one whose message was in the hands of sendmail
 * when the run was killed counts as reminded (at most once, not at
 * least once).  --dry-run only prints, without a lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "labels.h"
#include "mail.h"
#include "output.h"
#include "remind.h"
#include "remindlog.h"

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
	size_t count[REMIND_NGROUPS][2] = { { 0 } };
	size_t age[ARRAY_SIZE(digest_ages)] = { 0 }, soon = 0, i, a;
	char num[2][24];
	const char *cells[3];
	struct table t;
	int k;

	for (i = 0; i < n; i++) {
		int over = v[i].r->state == REMIND_OVERDUE;

		count[reminder_group(v[i].r)][over ? 0 : 1]++;
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
	for (k = 0; k < REMIND_NGROUPS; k++) {
		if (!count[k][0] && !count[k][1])
			continue;
		snprintf(num[0], sizeof(num[0]), "%zu", count[k][0]);
		snprintf(num[1], sizeof(num[1]), "%zu", count[k][1]);
		cells[0] = remind_groups[k];
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

	xqsort(v, n, sizeof(*v), cmp_most_overdue);
	if (n > DIGEST_TOP)
		n = DIGEST_TOP;
	sb_addc(out, '\n');
	sb_addf(out, Q_("  The most overdue:\n", "  The %zu most overdue:\n",
		n), n);
	table_init(&t, 5);
	for (i = 0; i < n; i++) {
		sb_reset(&what);
		sb_reset(&level);
		reminder_when(&what, v[i].r);
		sb_addf(&level, _("level %d"), v[i].r->level);
		cells[0] = v[i].it->id;
		cells[1] = v[i].it->subject;
		cells[2] = reminder_label(v[i].r);
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
			reminder_when(&what, &it->r[j]);
			sb_addf(&level, _("level %d"), it->r[j].level);
			cells[0] = it->id;
			cells[1] = it->subject;
			cells[2] = reminder_label(&it->r[j]);
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
				json_object_set_new(o, r->referral ? "body" :
					"co", json_string(r->co));
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
		fail(ctx, _("no mail address for '%s' in docket.yaml: their "
			"reminders were not sent and will be again"), who);
		goto out;
	}
	person_line(&body, &ctx->cfg, who);
	person_table(&body, run, who, &ncases);
	sb_adds(&body, "\n");
	if (has_level2(run, who)) {
		duration_format(grace, ctx->cfg.escalate_after);
		sb_addf(&body, _("Level 2: overdue by more than %s "
			"(remind.escalate_after); the department head and the "
			"supervisors hear of it too.\n"), grace);
	}
	sb_adds(&body, _("Run 'docket show ID' for the details of a "
		"case.\n"));
	if (org && *org)
		/* TRANSLATORS: %2$s is the organization, from docket.yaml */
		sb_addf(&subject, Q_("docket: %1$zu case needs attention "
			"(%2$s)", "docket: %1$zu cases need attention (%2$s)",
			ncases), ncases, org);
	else
		sb_addf(&subject, Q_("docket: %zu case needs attention",
			"docket: %zu cases need attention", ncases), ncases);
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
	    mail_send(ctx->cfg.sendmail, msg.buf, msg.len,
	    ctx->cfg.mail_timeout, &d)) {
		for (i = 0; i < d.n; i++)
			fail(ctx, _("mail to '%s' failed: %s (their "
				"reminders were not recorded and will be sent "
				"again)"), who, d.msg[i]);
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

/* ---- the journal of the run (remindlog.h) ------------------------------ */

static void journal_path(struct sb *out, struct ctx *ctx)
{
	sb_addf(out, "%s/%s", store_gitdir(ctx->store), REMINDLOG_FILE);
}

/* The plan as journal entries: one per reminder and recipient. */
static void plan_to_log(struct remindlog *l, const struct run *run)
{
	size_t i, j, k;

	for (i = 0; i < run->n; i++)
		for (j = 0; j < run->items[i].nr; j++) {
			const struct reminder *r = &run->items[i].r[j];

			for (k = 0; k < r->to.n; k++) {
				remindlog_add(l, run->items[i].id, r->kind,
					r->due, r->level, r->to.v[k]);
				if (r->info || r->co)
					remindlog_set_other(l, r->info,
						r->referral, r->co);
			}
		}
}

/* Append a progress line and fsync it: it must be on disk before the
 * message goes out (try) or the run goes on (sent, failed). */
static int journal_append(struct ctx *ctx, const char *to, enum rl_state st)
{
	struct sb path = SB_INIT, line = SB_INIT;
	struct stat sbuf;
	int fd, ret = 0;

	journal_path(&path, ctx);
	remindlog_progress(&line, to, st);
	fd = open(path.buf, O_WRONLY | O_APPEND | O_CLOEXEC | O_NOFOLLOW |
		O_NONBLOCK);
	if (fd < 0 || fstat(fd, &sbuf) < 0 || !S_ISREG(sbuf.st_mode) ||
	    write(fd, line.buf, line.len) != (ssize_t)line.len ||
	    fsync(fd) < 0)
		ret = fail(ctx, _("cannot write '%s': %s"), path.buf,
			strerror(errno ? errno : EIO));
	if (fd >= 0)
		close(fd);
	sb_release(&line);
	sb_release(&path);
	return ret;
}

/*
 * Mail each recipient, the journal saying before and after whom: a
 * run killed while mailing leaves what it sent for the next run to
 * record.  A recipient's failure is reported and the others go on.
 */
static int mail_all(struct ctx *ctx, struct run *run, struct remindlog *l)
{
	size_t i;
	int ret = 0;

	for (i = 0; i < run->people.n; i++) {
		const char *who = run->people.v[i];

		if (journal_append(ctx, who, RL_TRYING))
			return EXIT_FAIL;
		remindlog_mark(l, who, RL_TRYING);
		if (mail_person(ctx, run, who)) {
			ret = EXIT_FAIL;
			remindlog_mark(l, who, RL_FAILED);
			if (journal_append(ctx, who, RL_FAILED))
				return EXIT_FAIL;
			continue;
		}
		remindlog_mark(l, who, RL_SENT);
		if (journal_append(ctx, who, RL_SENT))
			return EXIT_FAIL;
	}
	return ret;
}

/* 1 if the case already has this reminder to `who` recorded at or after
 * `at` (the run that mailed it recorded it, then died before it removed
 * its journal). */
static int already_recorded(const struct dcase *c, const struct rl_entry *e,
	struct ts at)
{
	char due[TS_BUFSZ], lvl[4];
	size_t i, j;

	ts_format(due, e->due);
	snprintf(lvl, sizeof(lvl), "%d", e->level);
	for (i = 0; i < c->nevents; i++) {
		const struct event *ev = &c->events[i];
		const struct event_field *to = event_field(ev, "to");
		const char *k = event_get(ev, "deadline");
		const char *d = event_get(ev, "due");
		const char *l = event_get(ev, "level");
		const char *co = event_get(ev, e->referral ? "body" : "co");

		if (strcmp(ev->action, "remind") || ts_cmp(ev->at, at) < 0 ||
		    !k || !d || !l || strcmp(k, remindlog_deadline(e)) ||
		    !co != !e->co || (co && strcmp(co, e->co)) ||
		    strcmp(d, due) || strcmp(l, lvl) || !to || !to->is_list)
			continue;
		for (j = 0; j < to->nlist; j++)
			if (!strcmp(to->list[j], e->to))
				return 1;
	}
	return 0;
}

/*
 * When to date a remind event: when the run mailed, or, if someone added
 * an event to the case while the mail went out, that event's time, so
 * the events stay in time order (`docket check` holds them to it).
 */
static struct ts event_time(const struct dcase *c, struct ts at)
{
	if (c->nevents && ts_cmp(c->events[c->nevents - 1].at, at) > 0)
		return c->events[c->nevents - 1].at;
	return at;
}

/* Entries a and b are the same reminder (deadline, due time, level). */
static int same_reminder(const struct rl_entry *a, const struct rl_entry *b)
{
	return !strcmp(remindlog_deadline(a), remindlog_deadline(b)) &&
		!a->co == !b->co && (!a->co || !strcmp(a->co, b->co)) &&
		a->level == b->level &&
		!ts_cmp(a->due, b->due);
}

/* 1 if the entry is to be recorded on c: mailed, and not there yet. */
static int to_record(const struct dcase *c, const struct remindlog *l,
	size_t i)
{
	return remindlog_mailed(&l->v[i]) &&
		!already_recorded(c, &l->v[i], l->at);
}

/* The events of one case (entries [first, end)): a remind event per
 * deadline, due time and level, naming the recipients it was mailed to.
 * 1 if any was added. */
static int add_events(struct dcase *c, const struct remindlog *l,
	size_t first, size_t end)
{
	struct strlist to = STRLIST_INIT;
	struct reminder r;
	size_t i, j;
	int changed = 0;

	for (i = first; i < end; i++) {
		if (!to_record(c, l, i))
			continue;
		for (j = first; j < i; j++)
			if (same_reminder(&l->v[j], &l->v[i]) &&
			    to_record(c, l, j))
				break;
		if (j < i)
			continue;	/* its event is made already */
		strlist_release(&to);
		for (j = i; j < end; j++)
			if (same_reminder(&l->v[j], &l->v[i]) &&
			    to_record(c, l, j))
				strlist_push(&to, l->v[j].to);
		memset(&r, 0, sizeof(r));
		r.kind = l->v[i].kind;
		r.info = l->v[i].info;
		r.referral = l->v[i].referral;
		r.co = l->v[i].co;	/* borrowed: remind_record copies it */
		r.due = l->v[i].due;
		r.level = l->v[i].level;
		remind_record(c, &r, event_time(c, l->at), l->actor, to.v,
			to.n);
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
		sb_addf(&msg, _("%s; its reminders were not recorded and will "
			"be sent again"), ctx->d.msg[i]);
		free(ctx->d.msg[i]);
		ctx->d.msg[i] = sb_detach(&msg, NULL);
	}
	sb_release(&msg);
}

/*
 * Append the remind events of what the journal says was mailed, one
 * commit for all cases, under the store lock.  Each case is read again
 * now, so a note or close made while the mail went out is kept.  A case
 * that cannot be read (edited by hand) is reported: its reminders go out
 * again.  *lost: 1 when nothing could be committed (the journal stays).
 */
static int record(struct ctx *ctx, const struct remindlog *l, int *lost)
{
	struct dcase *fresh = NULL;
	const struct dcase **save = NULL;
	size_t nsave = 0, i, end, ncases = 0;
	int ret = EXIT_OK;

	*lost = 0;
	for (i = 0; i < l->n; i++)
		ncases += !i || strcmp(l->v[i].id, l->v[i - 1].id);
	fresh = xcalloc(ncases ? ncases : 1, sizeof(*fresh));
	save = xcalloc(ncases ? ncases : 1, sizeof(*save));
	for (i = 0; i < l->n; i = end) {
		struct dcase *c = &fresh[nsave];
		size_t before = ctx->d.n, j;
		int any = 0;

		for (end = i; end < l->n && !strcmp(l->v[end].id, l->v[i].id);
		     end++)
			;
		for (j = i; j < end; j++)
			any |= remindlog_mailed(&l->v[j]);
		if (!any)
			continue;
		if (load_case_for_write(ctx, l->v[i].id, c)) {
			not_recorded(ctx, before);
			ret = EXIT_FAIL;
			continue;
		}
		if (add_events(c, l, i, end))
			save[nsave++] = c;
		else
			case_release(c);
	}
	if (nsave && save_cases(ctx, save, nsave, "remind", NULL, 0)) {
		ret = EXIT_FAIL;
		*lost = 1;
	}
	for (i = 0; i < nsave; i++)
		case_release(&fresh[i]);
	free(save);
	free(fresh);
	return ret;
}

/* 1 if entry i is the first addressed to its recipient. */
static int first_to(const struct remindlog *l, size_t i)
{
	size_t j;

	for (j = 0; j < i; j++)
		if (!strcmp(l->v[j].to, l->v[i].to))
			return 0;
	return 1;
}

/*
 * A journal left by a run that was killed, or could not record what it
 * mailed: record it now, before planning, so that nothing it mailed is
 * mailed again.  0 when there is none or it is recorded.
 */
static int recover(struct ctx *ctx)
{
	struct sb path = SB_INIT, buf = SB_INIT;
	struct diag d = DIAG_INIT;
	struct remindlog l;
	size_t i;
	int ret = 0, lost = 0, r;

	memset(&l, 0, sizeof(l));
	journal_path(&path, ctx);
	r = read_regular(&buf, path.buf, 1u << 24, &d);
	if (r == ERR_NOTFOUND)
		goto out;
	if (r || remindlog_parse(&l, buf.buf, buf.len, path.buf, &d)) {
		for (i = 0; i < d.n; i++)
			fail(ctx, "%s", d.msg[i]);
		ret = fail(ctx, _("an earlier run left '%s', which cannot be "
			"read; nothing was mailed: see which reminders went "
			"out, then remove it"), path.buf);
		goto out;
	}
	for (i = 0; i < l.n; i++)
		if (l.v[i].state == RL_TRYING && first_to(&l, i))
			warn(ctx, _("an earlier run stopped while mailing '%s': "
				"that message may not have arrived; it is "
				"recorded as sent, not sent twice"), l.v[i].to);
	ret = record(ctx, &l, &lost);
	if (!lost && unlink(path.buf) < 0 && errno != ENOENT)
		ret = fail(ctx, _("cannot remove '%s': %s"), path.buf,
			strerror(errno));
	if (!ret)
		inform(ctx, _("recorded the reminders an earlier run mailed "
			"without recording them"));
out:
	remindlog_release(&l);
	diag_release(&d);
	sb_release(&buf);
	sb_release(&path);
	return ret;
}

/*
 * Mail with the journal: write the plan, give the store lock up while
 * the messages go out (staff keep filing meanwhile), take it again and
 * record what reached whom.  If the lock cannot be had back, the journal
 * keeps what was mailed for the next run to record.
 */
static int mail_and_record(struct ctx *ctx, struct run *run)
{
	struct sb path = SB_INIT, text = SB_INIT;
	struct remindlog l;
	const char *why;
	size_t i, mailed = 0;
	int ret, mail_failed, lost = 0;

	remindlog_init(&l, ctx->now, ctx->actor);
	plan_to_log(&l, run);
	journal_path(&path, ctx);
	remindlog_format(&text, &l);
	/* A refused mail.sendmail fails every recipient alike: said once,
	 * before anything is planned to go out. */
	if ((why = mail_command_check(ctx->cfg.sendmail)) != NULL) {
		ret = fail(ctx, _("mail.sendmail '%s' is refused: %s"),
			ctx->cfg.sendmail, why);
		goto out;
	}
	if (store_signalled(ctx->store)) {
		ret = fail(ctx, _("stopped by a signal; nothing was mailed"));
		goto out;
	}
	if (write_file_atomic(path.buf, text.buf, text.len, 0600,
	    AW_SYNC | AW_CREATE, &ctx->d)) {
		ret = fail(ctx, _("nothing was mailed"));
		goto out;
	}
	store_unlock(ctx->store);
	mail_failed = mail_all(ctx, run, &l);
	for (i = 0; i < l.n; i++)
		mailed += remindlog_mailed(&l.v[i]);
	if (ctx->lock(ctx)) {
		/* TRANSLATORS: %s is the journal file under .git */
		ret = fail(ctx, _("the reminders mailed are not recorded yet: "
			"'%s' keeps them, and the next 'docket remind' records "
			"them without mailing them again"), path.buf);
		goto out;
	}
	ret = mailed ? record(ctx, &l, &lost) : EXIT_OK;
	if (!lost && unlink(path.buf) < 0 && errno != ENOENT)
		ret = fail(ctx, _("cannot remove '%s': %s"), path.buf,
			strerror(errno));
	if (!ret)
		ret = mail_failed;
out:
	remindlog_release(&l);
	sb_release(&text);
	sb_release(&path);
	return ret;
}

/* Without --mail the printed list is the delivery: record all of it. */
static int record_printed(struct ctx *ctx, struct run *run)
{
	struct remindlog l;
	int ret, lost;

	remindlog_init(&l, ctx->now, ctx->actor);
	plan_to_log(&l, run);
	for (size_t i = 0; i < l.n; i++)
		l.v[i].state = RL_SENT;
	ret = record(ctx, &l, &lost);
	remindlog_release(&l);
	return ret;
}

/*
 * Plan, print, mail and record, with another run kept out by the remind
 * lock and writers kept out by the store lock except while the mail
 * goes out.  A run that cannot get either lock mails nothing.  Printing
 * comes before mailing: without --mail the printed list is the delivery
 * (cron mails it), so if it cannot be written nothing is recorded.
 */
static int remind_run(struct ctx *ctx, struct run *run, struct scan_map *plan,
	struct sb *out, const char *format, int mail, size_t *skipped)
{
	struct sb path = SB_INIT;
	struct stat st;
	int ret, leftover;

	journal_path(&path, ctx);
	leftover = lstat(path.buf, &st) == 0 || errno != ENOENT;
	sb_release(&path);
	/* Mail goes out only from a plan made under the lock.  A printed
	 * list is planned without it (writers are not kept waiting by a
	 * scan), unless a killed run's journal is to be recorded first; the
	 * remind lock keeps other runs out either way. */
	if ((mail || leftover) && ctx->lock(ctx))
		return fail(ctx, _("nothing was mailed or recorded; the next "
			"run tries again"));
	if (leftover && (ret = recover(ctx)))
		return ret;
	if ((ret = scan_cases_map(ctx, plan, plan_case, run, skipped)))
		return ret;
	strlist_sort(&run->people);
	if (!strcmp(format, "json") && run->n)
		render_json(out, run);
	else
		render_text(out, ctx, run);
	if ((ret = emit_stdout(ctx, out)))
		return ret;
	if (fflush(stdout))
		return fail(ctx, _("cannot write output"));
	if (!run->n)
		return EXIT_OK;
	if (mail)
		return mail_and_record(ctx, run);
	return ctx->lock(ctx) ? EXIT_FAIL : record_printed(ctx, run);
}

/* --dry-run: no lock, nothing recorded, nothing sent. */
static int dry_run(struct ctx *ctx, struct run *run, struct scan_map *plan,
	struct sb *out, const char *format, size_t *skipped)
{
	int ret;

	if ((ret = scan_cases_map(ctx, plan, plan_case, run, skipped)))
		return ret;
	strlist_sort(&run->people);
	/* a script asking what would be sent gets an empty array, not
	 * nothing; a real run keeps cron's silence */
	if (!strcmp(format, "json"))
		render_json(out, run);
	else
		render_text(out, ctx, run);
	if ((ret = emit_stdout(ctx, out)))
		return ret;
	return fflush(stdout) ? fail(ctx, _("cannot write output")) : 0;
}

static int check_options(struct ctx *ctx, struct run *run,
	const char *within, const char *format)
{
	if (strcmp(format, "text") && strcmp(format, "json"))
		return usage_error(ctx, _("unknown format '%s' (text, json)"),
			format);
	run->within = ctx->cfg.remind_within;
	run->digest_over = ctx->cfg.digest_over;
	if (within && duration_parse(&run->within, within))
		return usage_error(ctx, _("%1$s: '%2$s' is not a duration "
			"like 1wd, 2d or 8h"), "--within", within);
	return 0;
}

int cmd_remind(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct run run;
	struct sb out = SB_INIT;
	const char *within = NULL, *format = "text";
	int mail = 0, dry = 0, ret, timeout, rfd = -1;
	enum opts_result pr;
	size_t skipped = 0;
	struct scan_map plan = { sizeof(struct planned), plan_of,
		planned_release, &run };
	struct opt opts[] = {
		{ "within", OPT_STR, &within, N_("DURATION"),
		  N_("due soon: within this long (default remind.within)") },
		{ "mail", OPT_FLAG, &mail, NULL,
		  N_("mail each recipient their reminders") },
		{ "dry-run", OPT_FLAG, &dry, NULL,
		  N_("print only: record nothing, send nothing") },
		{ "format", OPT_STR, &format, N_("text|json"),
		  N_("output format (default text)") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};

	memset(&run, 0, sizeof(run));
	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (args.n) {
		ret = usage_error(ctx, _("unexpected argument '%s'"),
			args.v[0]);
		goto out;
	}
	if ((ret = check_options(ctx, &run, within, format)))
		goto out;
	if (dry) {
		ret = dry_run(ctx, &run, &plan, &out, format, &skipped);
	} else if (!(ret = lock_timeout(ctx, &timeout)) &&
		   store_flock(&rfd, ctx->store, REMINDLOG_LOCK, timeout,
		   "docket remind", &ctx->d)) {
		ret = fail(ctx, _("another 'docket remind' is still running; "
			"nothing was mailed or recorded"));
	} else if (!ret) {
		ret = remind_run(ctx, &run, &plan, &out, format, mail,
			&skipped);
	}
	if (skipped)
		ret = fail_skipped(ctx, skipped, NULL);
out:
	store_funlock(rfd);
	sb_release(&out);
	run_release(&run);
	strlist_release(&args);
	return ret;
}
