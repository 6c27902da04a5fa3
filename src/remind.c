/*
 * remind.c - planning reminders: which deadline of a case to remind whom
 * of, at which level, and whether it was already done (DESIGN section 7).
 */
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "intl.h"
#include "labels.h"
#include "remind.h"

static void add_unique(struct strlist *l, const char *s)
{
	if (s && *s && !strlist_has(l, s))
		strlist_push(l, s);
}

static void add_role(struct strlist *l, const struct config *cfg,
	unsigned role)
{
	size_t i;

	for (i = 0; i < cfg->nstaff; i++)
		if (cfg->staff[i].roles & role)
			add_unique(l, cfg->staff[i].id);
}

static const char *dept_head(const struct config *cfg, const struct dcase *c)
{
	const struct department *dep;

	dep = c->department ? config_department(cfg, c->department) : NULL;
	return dep && dep->head && *dep->head ? dep->head : NULL;
}

void remind_recipients(struct strlist *out, const struct config *cfg,
	const struct dcase *c, int level)
{
	const char *head = dept_head(cfg, c);

	if (c->assignee && *c->assignee) {
		add_unique(out, c->assignee);
	} else if (head) {
		add_unique(out, head);
	} else if (cfg->nstaff) {
		add_role(out, cfg, ROLE_TRIAGE);
		/* A staff list without triage: whoever supervises. */
		if (!out->n)
			add_role(out, cfg, ROLE_SUPERVISOR);
	} else {
		/* No staff list: name the department, or the role. */
		add_unique(out, c->department ? c->department : "triage");
	}
	if (level < 2)
		return;
	add_unique(out, head);
	if (cfg->nstaff)
		add_role(out, cfg, ROLE_SUPERVISOR);
	else
		add_unique(out, "supervisor");
}

static int list_has(const struct event_field *f, const char *who)
{
	size_t i;

	if (!f || !f->is_list)
		return 0;
	for (i = 0; i < f->nlist; i++)
		if (!strcmp(f->list[i], who))
			return 1;
	return 0;
}

const char *reminder_deadline(const struct reminder *r)
{
	if (r->info)
		return "info";
	if (r->referral)
		return "referral";
	return r->co ? "co_reply" : due_names[r->kind];
}

const char *const remind_groups[REMIND_NGROUPS] = {
	"ack", "feedback", "resolve", "visit", "decide", "info", "co_reply",
	"referral"
};

size_t reminder_group(const struct reminder *r)
{
	if (r->info)
		return DUE__COUNT;
	if (r->referral)
		return DUE__COUNT + 2;
	return r->co ? DUE__COUNT + 1 : (size_t)r->kind;
}

const char *reminder_label(const struct reminder *r)
{
	if (r->info)
		return C_("deadline", "info");
	if (r->referral)
		return C_("deadline", "referral");
	if (r->co)
		return C_("deadline", "co_reply");
	return due_label(r->kind);
}

void reminder_when(struct sb *out, const struct reminder *r)
{
	if (r->state == REMIND_OVERDUE && !r->days)
		sb_addf(out, Q_("overdue by %d hour", "overdue by %d hours",
			r->hours), r->hours);
	else if (r->state == REMIND_OVERDUE)
		sb_addf(out, Q_("overdue by %d working day",
			"overdue by %d working days", r->days), r->days);
	else if (r->days)
		sb_addf(out, Q_("due in %d working day",
			"due in %d working days", r->days), r->days);
	else
		sb_adds(out, _("due today"));
}

/* The event field naming whose answer a reminder is about: the outside
 * body of a referral, the co-handler of a co_reply. */
static const char *other_field(const char *deadline)
{
	return !strcmp(deadline, "referral") ? "body" : "co";
}

/* 1 if e is a remind event for this deadline (of this co-handler, or
 * NULL), due time and level. */
static int same_reminder(const struct event *e, const char *name,
	const char *co, struct ts due, int level)
{
	const char *k = event_get(e, "deadline");
	const char *t = event_get(e, "due");
	const char *l = event_get(e, "level");
	const char *eco;
	struct ts et;

	if (strcmp(e->action, "remind") || !k || !t || !l)
		return 0;
	eco = event_get(e, other_field(k));
	if (strcmp(k, name) || atoi(l) != level)
		return 0;
	if ((co || eco) && (!co || !eco || strcmp(co, eco)))
		return 0;
	return !ts_parse(&et, t) && ts_cmp(et, due) == 0;
}

static int recent(const struct config *cfg, const struct dcase *c,
	const char *name, const char *co, struct ts due, int level,
	const char *who, struct ts now)
{
	size_t i;

	for (i = c->nevents; i-- > 0;) {
		const struct event *e = &c->events[i];

		if (!same_reminder(e, name, co, due, level) ||
		    !list_has(event_field(e, "to"), who))
			continue;
		if (ts_cmp(cal_add(&cfg->cal, e->at, cfg->remind_repeat),
		    now) > 0)
			return 1;
	}
	return 0;
}

int remind_recent(const struct config *cfg, const struct dcase *c,
	enum due_kind kind, struct ts due, int level, const char *who,
	struct ts now)
{
	return recent(cfg, c, due_names[kind], NULL, due, level, who, now);
}

/* Fill r for a deadline at `due` in state st if it is overdue or due
 * soon; 0 if it is. */
static int classify(struct reminder *r, const struct config *cfg,
	const struct dcase *c, struct ts due, enum dl_state st, struct ts now,
	struct ts soon)
{
	struct date today = cal_local_date(&cfg->cal, now);
	struct date day = cal_local_date(&cfg->cal, due);

	if (st != DLS_OVERDUE && st != DLS_PENDING)
		return ERR_NOTFOUND;
	if (st == DLS_OVERDUE) {
		r->state = REMIND_OVERDUE;
		r->days = cal_workdays_between(&cfg->cal, day, today);
		r->hours = (int)((now.t - due.t + 3599) / 3600);
		r->level = ts_cmp(now, cal_add(&cfg->cal, due,
			config_escalate_after(cfg, c->priority))) > 0 ? 2 : 1;
	} else if (ts_cmp(due, now) >= 0 && ts_cmp(due, soon) <= 0) {
		r->state = REMIND_DUE_SOON;
		r->days = cal_workdays_between(&cfg->cal, today, day);
		r->level = 1;
	} else {
		return ERR_NOTFOUND;
	}
	r->due = due;
	return 0;
}

/* The due time of the material the latest triage --need-info asked
 * for, if it gave one: 1 and *out, else 0. */
static int info_due(const struct dcase *c, struct ts *out)
{
	const char *v;
	size_t i;

	for (i = c->nevents; i-- > 0;) {
		const struct event *e = &c->events[i];

		if (strcmp(e->action, "triage") || !event_get(e, "decision"))
			continue;
		if (strcmp(event_get(e, "decision"), "need-info"))
			return 0;
		v = event_get(e, "info_due");
		return v && !ts_parse(out, v);
	}
	return 0;
}

/* A co-handler's reminders go to it (a person, or its department's
 * head, else its members); escalated, to the lead and supervisors. */
static void co_recipients(struct strlist *out, const struct config *cfg,
	const struct dcase *c, const struct cohandler *h, int level)
{
	const struct department *d;
	size_t i;

	if (h->staff) {
		add_unique(out, h->id);
	} else if ((d = config_department(cfg, h->id)) != NULL) {
		if (d->head && *d->head)
			add_unique(out, d->head);
		else
			for (i = 0; i < d->nmembers; i++)
				add_unique(out, d->members[i]);
	}
	if (!out->n)
		add_unique(out, h->id);
	if (level < 2)
		return;
	add_unique(out, c->assignee);
	add_unique(out, dept_head(cfg, c));
	add_role(out, cfg, ROLE_SUPERVISOR);
}

/* Keep r, with the recipients not reminded of it lately. */
static void keep(struct reminder **v, size_t *n, size_t *alloc,
	struct reminder *r, const struct config *cfg, const struct dcase *c,
	struct strlist *all, struct ts now, int every)
{
	size_t i;

	for (i = 0; i < all->n; i++)
		if (every || !recent(cfg, c, reminder_deadline(r), r->co, r->due,
		    r->level, all->v[i], now))
			strlist_push(&r->to, all->v[i]);
	strlist_release(all);
	if (!r->to.n) {
		free(r->co);
		return;
	}
	GROW(*v, *alloc, *n + 1);
	(*v)[(*n)++] = *r;
}

/* The answers of outside bodies (`docket refer --due`) not yet in: the
 * office chases the body it sent the case to (转办 answers, 12345). */
static void plan_referrals(struct reminder **v, size_t *n, size_t *alloc,
	const struct config *cfg, const struct dcase *c, struct ts now,
	struct ts soon, int every)
{
	struct strlist all = STRLIST_INIT;
	struct referral *ref = NULL;
	struct reminder r;
	size_t nref, i;

	nref = case_referrals(c, &ref);
	for (i = 0; i < nref; i++) {
		if (ref[i].answered || !ref[i].has_due)
			continue;
		memset(&r, 0, sizeof(r));
		if (classify(&r, cfg, c, ref[i].due, referral_state(c, &ref[i],
		    now), now, soon))
			continue;
		r.referral = 1;
		r.co = xstrdup(ref[i].to);
		remind_recipients(&all, cfg, c, r.level);
		keep(v, n, alloc, &r, cfg, c, &all, now, every);
	}
	free(ref);
}

/* The reminders the case needs; every: whatever was reminded before. */
static size_t plan(struct reminder **out, const struct config *cfg,
	const struct dcase *c, struct ts now, struct duration within, int every)
{
	struct reminder *v = NULL, r;
	struct strlist all = STRLIST_INIT;
	struct cohandler *co = NULL;
	struct ts soon, due;
	size_t n = 0, alloc = 0, nco, i;
	int k;

	*out = NULL;
	/* Closed cases need nothing; a stopped clock waits for its restart,
	 * which moves the deadlines anyway. */
	soon = cal_add(&cfg->cal, now, within);
	/* Waiting for material: chase the complainant's --info-due (call
	 * or write to them); the office's own clock is stopped. */
	if (c->status == ST_PENDING_INFO) {
		memset(&r, 0, sizeof(r));
		if (info_due(c, &due) && !classify(&r, cfg, c, due,
		    ts_cmp(due, now) < 0 ? DLS_OVERDUE : DLS_PENDING, now,
		    soon)) {
			r.info = 1;
			remind_recipients(&all, cfg, c, r.level);
			keep(&v, &n, &alloc, &r, cfg, c, &all, now, every);
		}
		*out = v;
		return n;
	}
	/* a closed case owes only its return visit (回访) */
	if ((!case_status_open(c->status) && c->status != ST_CLOSED) ||
	    case_clock_stopped(c))
		return 0;
	for (k = 0; k < DUE__COUNT; k++) {
		if (!(c->due.has & (1u << k)) ||
		    deadline_met(c, (enum due_kind)k))
			continue;
		memset(&r, 0, sizeof(r));
		if (classify(&r, cfg, c, c->due.at[k], deadline_state(c,
		    (enum due_kind)k, now), now, soon))
			continue;
		r.kind = (enum due_kind)k;
		remind_recipients(&all, cfg, c, r.level);
		keep(&v, &n, &alloc, &r, cfg, c, &all, now, every);
	}
	/* Each co-handler's reply to the lead (协办回复). */
	nco = case_cohandlers(cfg, c, &co);
	for (i = 0; i < nco; i++) {
		if (co[i].met)
			continue;
		memset(&r, 0, sizeof(r));
		if (classify(&r, cfg, c, co[i].due, cohandler_state(c, &co[i],
		    now), now, soon))
			continue;
		r.co = xstrdup(co[i].id);
		co_recipients(&all, cfg, c, &co[i], r.level);
		keep(&v, &n, &alloc, &r, cfg, c, &all, now, every);
	}
	free(co);
	if (c->status != ST_CLOSED)
		plan_referrals(&v, &n, &alloc, cfg, c, now, soon, every);
	*out = v;
	return n;
}

size_t remind_plan(struct reminder **out, const struct config *cfg,
	const struct dcase *c, struct ts now, struct duration within)
{
	return plan(out, cfg, c, now, within, 0);
}

size_t remind_due(struct reminder **out, const struct config *cfg,
	const struct dcase *c, struct ts now, struct duration within)
{
	return plan(out, cfg, c, now, within, 1);
}

void reminders_free(struct reminder *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++) {
		strlist_release(&v[i].to);
		free(v[i].co);
	}
	free(v);
}

struct event *remind_record(struct dcase *c, const struct reminder *r,
	struct ts now, const char *actor, char *const *to, size_t nto)
{
	char due[TS_BUFSZ];
	struct event *e;

	ts_format(due, r->due);
	e = case_add_event(c, now, actor, "remind");
	event_set(e, "deadline", reminder_deadline(r));
	if (r->co)
		event_set(e, other_field(reminder_deadline(r)), r->co);
	event_set(e, "due", due);
	event_set(e, "level", r->level == 2 ? "2" : "1");
	event_set_list(e, "to", to, nto);
	return e;
}
