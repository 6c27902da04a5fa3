/*
 * remind.c - planning reminders: which deadline of a case to remind whom
 * of, at which level, and whether it was already done (DESIGN section 7).
 */
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
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

/* 1 if e is a remind event for this deadline, due time and level. */
static int same_reminder(const struct event *e, enum due_kind kind,
	struct ts due, int level)
{
	const char *k = event_get(e, "deadline");
	const char *t = event_get(e, "due");
	const char *l = event_get(e, "level");
	struct ts et;

	if (strcmp(e->action, "remind") || !k || !t || !l)
		return 0;
	if (strcmp(k, due_names[kind]) || atoi(l) != level)
		return 0;
	return !ts_parse(&et, t) && ts_cmp(et, due) == 0;
}

int remind_recent(const struct config *cfg, const struct dcase *c,
	enum due_kind kind, struct ts due, int level, const char *who,
	struct ts now)
{
	size_t i;

	for (i = c->nevents; i-- > 0;) {
		const struct event *e = &c->events[i];

		if (!same_reminder(e, kind, due, level) ||
		    !list_has(event_field(e, "to"), who))
			continue;
		if (ts_cmp(cal_add(&cfg->cal, e->at, cfg->remind_repeat),
		    now) > 0)
			return 1;
	}
	return 0;
}

/* Fill r for deadline k if it is overdue or due soon; 0 if it is. */
static int classify(struct reminder *r, const struct config *cfg,
	const struct dcase *c, enum due_kind k, struct ts now,
	struct ts soon)
{
	struct ts due = c->due.at[k];
	struct date today = cal_local_date(&cfg->cal, now);
	struct date day = cal_local_date(&cfg->cal, due);

	if (deadline_state(c, k, now) == DLS_OVERDUE) {
		r->state = REMIND_OVERDUE;
		r->days = cal_workdays_between(&cfg->cal, day, today);
		r->hours = (int)((now.t - due.t + 3599) / 3600);
		r->level = ts_cmp(now, cal_add(&cfg->cal, due,
			cfg->escalate_after)) > 0 ? 2 : 1;
	} else if (ts_cmp(due, soon) <= 0) {
		r->state = REMIND_DUE_SOON;
		r->days = cal_workdays_between(&cfg->cal, today, day);
		r->level = 1;
	} else {
		return ERR_NOTFOUND;
	}
	r->kind = k;
	r->due = due;
	return 0;
}

/* The reminders the case needs; every: whatever was reminded before. */
static size_t plan(struct reminder **out, const struct config *cfg,
	const struct dcase *c, struct ts now, struct duration within, int every)
{
	struct reminder *v = NULL, r;
	struct strlist all = STRLIST_INIT;
	struct ts soon;
	size_t n = 0, alloc = 0, i;
	int k;

	*out = NULL;
	/* Closed cases need nothing; a stopped clock waits for its restart,
	 * which moves the deadlines anyway. */
	if (!case_status_open(c->status) || case_clock_stopped(c))
		return 0;
	soon = cal_add(&cfg->cal, now, within);
	for (k = 0; k < DUE__COUNT; k++) {
		if (!(c->due.has & (1u << k)) ||
		    deadline_met(c, (enum due_kind)k))
			continue;
		memset(&r, 0, sizeof(r));
		if (classify(&r, cfg, c, (enum due_kind)k, now, soon))
			continue;
		remind_recipients(&all, cfg, c, r.level);
		for (i = 0; i < all.n; i++)
			if (every || !remind_recent(cfg, c, r.kind, r.due,
			    r.level, all.v[i], now))
				strlist_push(&r.to, all.v[i]);
		strlist_release(&all);
		if (!r.to.n)
			continue;
		GROW(v, alloc, n + 1);
		v[n++] = r;
	}
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

	for (i = 0; v && i < n; i++)
		strlist_release(&v[i].to);
	free(v);
}

struct event *remind_record(struct dcase *c, const struct reminder *r,
	struct ts now, const char *actor, char *const *to, size_t nto)
{
	char due[TS_BUFSZ];
	struct event *e;

	ts_format(due, r->due);
	e = case_add_event(c, now, actor, "remind");
	event_set(e, "deadline", due_names[r->kind]);
	event_set(e, "due", due);
	event_set(e, "level", r->level == 2 ? "2" : "1");
	event_set_list(e, "to", to, nto);
	return e;
}
