/*
 * deadline.c - deadlines of a case from the configuration and its events.
 */
#include <stdlib.h>
#include <string.h>

#include "deadline.h"

static int rule_matches(const struct dl_rule *r, const struct dcase *c)
{
	if (r->kind && strcmp(r->kind, case_kind_name(c->kind)))
		return 0;
	if (r->priority && (!c->priority || strcmp(r->priority, c->priority)))
		return 0;
	if (r->category && (!c->category ||
	    !category_under(c->category, r->category)))
		return 0;
	return 1;
}

void deadline_durations(const struct config *cfg, const struct dcase *c,
	struct duration out[DUE__COUNT])
{
	size_t i;

	out[DUE_ACK] = cfg->ack;
	out[DUE_FEEDBACK] = cfg->feedback;
	out[DUE_RESOLVE] = cfg->resolve;
	out[DUE_VISIT] = cfg->visit;
	out[DUE_DECIDE] = cfg->decide;
	for (i = 0; i < cfg->nrules; i++) {
		const struct dl_rule *r = &cfg->rules[i];

		if (!rule_matches(r, c))
			continue;
		if (r->has & DL_ACK)
			out[DUE_ACK] = r->ack;
		if (r->has & DL_FEEDBACK)
			out[DUE_FEEDBACK] = r->feedback;
		if (r->has & DL_RESOLVE)
			out[DUE_RESOLVE] = r->resolve;
		if (r->has & DL_VISIT)
			out[DUE_VISIT] = r->visit;
	}
}

void deadline_policy(const struct config *cfg, const struct dcase *c,
	struct resolve_policy *out)
{
	size_t i;

	*out = cfg->policy;
	for (i = 0; i < cfg->nrules; i++) {
		const struct dl_rule *r = &cfg->rules[i];

		if (!rule_matches(r, c))
			continue;
		if (r->has & DL_FROM)
			out->from = r->policy.from;
		if (r->has & DL_MAX)
			out->max = r->policy.max;
		if (r->has & DL_EXT_MAX)
			out->ext_max = r->policy.ext_max;
		if (r->has & DL_EXT_BY)
			out->ext_by = r->policy.ext_by;
	}
}

static int meets(const struct event *e, enum due_kind k)
{
	const char *a = e->action;

	switch (k) {
	case DUE_ACK:
		return str_is(a, "triage") && event_get(e, "decision");
	case DUE_FEEDBACK:
		/* a written notice to the complainant (print --issue) is
		 * a contact too */
		return (str_is(a, "note") && event_get(e, "contact")) ||
			(str_is(a, "issue") && event_get(e, "notified")) ||
			str_is(a, "close");
	case DUE_RESOLVE:
		return str_is(a, "close");
	case DUE_VISIT:
		return str_is(a, "feedback");
	case DUE_DECIDE:
		return str_is(a, "triage") && event_get(e, "decision") &&
			strcmp(event_get(e, "decision"), "need-info");
	default:
		return 0;
	}
}

/* The closing that stands (a close not followed by a reopen), or -1. */
static long standing_close(const struct dcase *c)
{
	size_t i;

	for (i = c->nevents; i-- > 0;) {
		if (str_is(c->events[i].action, "reopen"))
			return -1;
		if (str_is(c->events[i].action, "close"))
			return (long)i;
	}
	return -1;
}

/* The latest note that ended a wait for material (--info-received)
 * with no triage decision since, or -1: the decision it awaits. */
static long info_received_at(const struct dcase *c)
{
	size_t i;

	for (i = c->nevents; i-- > 0;) {
		const struct event *e = &c->events[i];

		if (str_is(e->action, "note") && event_get(e, "info_received"))
			return (long)i;
	}
	return -1;
}

int deadline_met_at(const struct dcase *c, enum due_kind k, struct ts *out)
{
	size_t i;
	long cl;

	/* the decision after the material arrived */
	if (k == DUE_DECIDE) {
		if ((cl = info_received_at(c)) < 0)
			return ERR_NOTFOUND;
		for (i = (size_t)cl + 1; i < c->nevents; i++) {
			if (meets(&c->events[i], k)) {
				*out = c->events[i].at;
				return 0;
			}
		}
		return ERR_NOTFOUND;
	}
	/* the return visit after the closing that stands */
	if (k == DUE_VISIT) {
		if ((cl = standing_close(c)) < 0)
			return ERR_NOTFOUND;
		for (i = (size_t)cl + 1; i < c->nevents; i++) {
			if (meets(&c->events[i], k)) {
				*out = c->events[i].at;
				return 0;
			}
		}
		return ERR_NOTFOUND;
	}
	/* resolve is met by the closing that still stands: after a reopen
	 * the case must be closed again. */
	if (k == DUE_RESOLVE) {
		for (i = c->nevents; i-- > 0;) {
			if (!strcmp(c->events[i].action, "reopen"))
				return ERR_NOTFOUND;
			if (meets(&c->events[i], k)) {
				*out = c->events[i].at;
				return 0;
			}
		}
		return ERR_NOTFOUND;
	}
	for (i = 0; i < c->nevents; i++) {
		if (meets(&c->events[i], k)) {
			*out = c->events[i].at;
			return 0;
		}
	}
	return ERR_NOTFOUND;
}

int deadline_met(const struct dcase *c, enum due_kind k)
{
	struct ts t;

	return deadline_met_at(c, k, &t) == 0;
}

int deadline_set(const struct config *cfg, struct dcase *c, unsigned which,
	struct ts start)
{
	struct duration dur[DUE__COUNT];
	struct date day;
	int k, unknown = 0;

	deadline_durations(cfg, c, dur);
	for (k = 0; k < DUE__COUNT; k++) {
		if (!(which & (1u << k)) || dur[k].n < 0)
			continue;
		c->due.at[k] = cal_add(&cfg->cal, start, dur[k]);
		c->due.has |= 1u << k;
		day = cal_local_date(&cfg->cal, c->due.at[k]);
		if (dur[k].unit != DUR_HOURS &&
		    !cal_year_known(&cfg->cal, day.y))
			unknown = day.y;
	}
	return unknown;
}

int case_clock_stopped(const struct dcase *c)
{
	return c->status == ST_PENDING_INFO || c->status == ST_ON_HOLD;
}

enum dl_state deadline_state(const struct dcase *c, enum due_kind k,
	struct ts now)
{
	struct ts met;

	if (!(c->due.has & (1u << k)))
		return DLS_NONE;
	if (!deadline_met_at(c, k, &met))
		return ts_cmp(met, c->due.at[k]) <= 0 ? DLS_MET : DLS_LATE;
	/* the return visit is owed by a closed case */
	if (k == DUE_VISIT)
		return c->status == ST_CLOSED && ts_cmp(c->due.at[k], now) < 0 ?
			DLS_OVERDUE : DLS_PENDING;
	if (!case_status_open(c->status) || ts_cmp(c->due.at[k], now) >= 0)
		return DLS_PENDING;
	return case_clock_stopped(c) ? DLS_STOPPED : DLS_OVERDUE;
}

int deadline_overdue(const struct dcase *c, struct ts now)
{
	struct referral *v = NULL;
	size_t n, i;
	int k, late = 0;

	for (k = 0; k < DUE__COUNT; k++)
		if (deadline_state(c, (enum due_kind)k, now) == DLS_OVERDUE)
			return 1;
	/* an outside body's answer past its due date (docket refer) */
	n = case_referrals(c, &v);
	for (i = 0; i < n && !late; i++)
		late = referral_state(c, &v[i], now) == DLS_OVERDUE;
	free(v);
	return late;
}

static int is_action(const struct event *e, const char *action,
	const char *decision)
{
	const char *d;

	if (strcmp(e->action, action))
		return 0;
	if (!decision)
		return 1;
	d = event_get(e, "decision");
	return d && !strcmp(d, decision);
}

static int starts_stop(const struct event *e)
{
	return is_action(e, "triage", "need-info") || is_action(e, "hold", NULL);
}

static int ends_stop(const struct event *e)
{
	return is_action(e, "resume", NULL) ||
		is_action(e, "triage", "accept") ||
		is_action(e, "triage", "reject") ||
		(is_action(e, "note", NULL) && event_get(e, "info_received")) ||
		is_action(e, "close", NULL) ||
		(is_action(e, "merge", NULL) && event_get(e, "into"));
}

size_t case_stops(const struct dcase *c, struct stop **out)
{
	struct stop *v = NULL;
	size_t n = 0, alloc = 0, i;

	for (i = 0; i < c->nevents; i++) {
		const struct event *e = &c->events[i];

		if (n && v[n - 1].open && ends_stop(e)) {
			v[n - 1].to = e->at;
			v[n - 1].open = 0;
		} else if ((!n || !v[n - 1].open) && starts_stop(e)) {
			GROW(v, alloc, n + 1);
			v[n].from = e->at;
			v[n].open = 1;
			n++;
		}
	}
	*out = v;
	return n;
}

/* Move a deadline computed at `since` by the stopped time after it. */
static struct ts apply_stops(const struct config *cfg, struct ts due,
	struct ts since, const struct stop *stops, size_t n, int hours)
{
	size_t i;

	/* A stop running when the deadline was set (extend during a hold)
	 * counts from then on. */
	for (i = 0; i < n; i++) {
		struct ts from = stops[i].from;

		if (stops[i].open || ts_cmp(stops[i].to, since) <= 0)
			continue;
		if (ts_cmp(from, since) < 0)
			from = since;
		due = cal_shift(&cfg->cal, due, from, stops[i].to, hours);
	}
	return due;
}

static int year_unknown(const struct config *cfg, struct ts t)
{
	struct date d = cal_local_date(&cfg->cal, t);

	return cal_year_known(&cfg->cal, d.y) ? 0 : d.y;
}

/* The event that starts the current resolve period: the latest
 * acceptance or reopening, or -1. */
static long resolve_start(const struct dcase *c)
{
	size_t i;

	for (i = c->nevents; i-- > 0;)
		if (is_action(&c->events[i], "triage", "accept") ||
		    is_action(&c->events[i], "reopen", NULL))
			return (long)i;
	return -1;
}

/* When the period's length runs from: `from` of the rules.  A reopening
 * starts a new period from itself whatever `from` says; `assigned` is the
 * latest routing since the start (the start itself before any). */
static struct ts resolve_from(const struct dcase *c, long start,
	enum dl_from from)
{
	const struct event *s = &c->events[start];
	size_t i;

	if (is_action(s, "reopen", NULL) || from == FROM_ACCEPTED)
		return s->at;
	if (from == FROM_RECEIVED)
		return c->received_at;
	for (i = c->nevents; i-- > (size_t)start + 1;) {
		const struct event *e = &c->events[i];

		if (is_action(e, "assign", NULL) && (event_get(e, "to") ||
		    event_get(e, "department")))
			return e->at;
	}
	return s->at;
}

size_t case_extensions(const struct dcase *c, size_t *overridden)
{
	long start = resolve_start(c);
	size_t i, n = 0, o = 0;

	for (i = start < 0 ? 0 : (size_t)start; i < c->nevents; i++) {
		if (!is_action(&c->events[i], "extend", NULL))
			continue;
		n++;
		if (event_get(&c->events[i], "override"))
			o++;
	}
	if (overridden)
		*overridden = o;
	return n;
}

int deadline_ceiling(const struct config *cfg, const struct dcase *c,
	struct ts *out)
{
	struct resolve_policy pol;
	struct stop *stops = NULL;
	long start = resolve_start(c);
	size_t n;

	deadline_policy(cfg, c, &pol);
	/* a reopened case runs a new period: the receipt's ceiling is past */
	if (pol.max.n < 0 || (start >= 0 &&
	    is_action(&c->events[start], "reopen", NULL)))
		return ERR_NOTFOUND;
	n = case_stops(c, &stops);
	*out = apply_stops(cfg, cal_add(&cfg->cal, c->received_at, pol.max),
		c->received_at, stops, n, pol.max.unit == DUR_HOURS);
	free(stops);
	return 0;
}

/* The resolve deadline's base: fixed date or duration from its start,
 * the latter never past the ceiling (rules' resolve.max). */
static int resolve_base(const struct config *cfg, const struct dcase *c,
	struct duration dur, struct ts *due, struct ts *since, int *capped)
{
	const struct event *fixed = NULL;
	struct resolve_policy pol;
	long start = resolve_start(c);
	size_t i;

	*capped = 0;
	if (start < 0)
		return ERR_NOTFOUND;
	for (i = (size_t)start + 1; i < c->nevents; i++) {
		const struct event *e = &c->events[i];

		if ((is_action(e, "assign", NULL) ||
		    is_action(e, "extend", NULL)) && event_get(e, "due"))
			fixed = e;
	}
	if (fixed && !ts_parse(due, event_get(fixed, "due"))) {
		*since = fixed->at;
		return 0;
	}
	deadline_policy(cfg, c, &pol);
	*since = resolve_from(c, start, pol.from);
	*due = cal_add(&cfg->cal, *since, dur);
	*capped = pol.max.n >= 0;
	return 0;
}

int deadline_recompute(const struct config *cfg, struct dcase *c)
{
	struct duration dur[DUE__COUNT];
	struct stop *stops = NULL;
	struct ts due, since, ceiling;
	size_t n;
	int k, unknown = 0, capped = 0;

	deadline_durations(cfg, c, dur);
	n = case_stops(c, &stops);
	for (k = 0; k < DUE__COUNT; k++) {
		if ((c->due.has & (1u << k)) && deadline_met(c, (enum due_kind)k))
			continue;
		if (k == DUE_DECIDE) {
			long ir = info_received_at(c);

			if (ir < 0) {
				c->due.has &= ~(1u << k);
				continue;
			}
			since = c->events[ir].at;
			due = cal_add(&cfg->cal, since, dur[k]);
		} else if (k == DUE_VISIT) {
			long cl = standing_close(c);

			/* from the closing that stands; none without one, or
			 * without deadlines.visit */
			if (cl < 0 || dur[k].n < 0) {
				c->due.has &= ~(1u << k);
				continue;
			}
			since = c->events[cl].at;
			due = cal_add(&cfg->cal, since, dur[k]);
		} else if (k == DUE_RESOLVE) {
			if (resolve_base(cfg, c, dur[k], &due, &since,
			    &capped)) {
				c->due.has &= ~(1u << k);
				continue;
			}
		} else {
			since = c->received_at;
			due = cal_add(&cfg->cal, since, dur[k]);
		}
		due = apply_stops(cfg, due, since, stops, n,
			dur[k].unit == DUR_HOURS);
		/* a length past the ceiling ends at the ceiling; a fixed
		 * date (assign --due, extend) was checked when it was set */
		if (k == DUE_RESOLVE && capped &&
		    !deadline_ceiling(cfg, c, &ceiling) &&
		    ts_cmp(due, ceiling) > 0)
			due = ceiling;
		c->due.at[k] = due;
		c->due.has |= 1u << k;
		if (dur[k].unit != DUR_HOURS && year_unknown(cfg, due))
			unknown = year_unknown(cfg, due);
	}
	free(stops);
	return unknown;
}

/* ---- co-handlers ----------------------------------------------------- */

static int dept_has_staff(const struct department *d, const char *who)
{
	size_t i;

	if (d->head && !strcmp(d->head, who))
		return 1;
	for (i = 0; i < d->nmembers; i++)
		if (!strcmp(d->members[i], who))
			return 1;
	return 0;
}

int cohandler_has(const struct config *cfg, const struct cohandler *h,
	const char *who)
{
	const struct department *d;

	if (h->staff)
		return !strcmp(h->id, who);
	d = config_department(cfg, h->id);
	return d && dept_has_staff(d, who);
}

static void co_add(struct cohandler **v, size_t *n, size_t *alloc,
	const char *id, int staff, struct ts at)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if ((*v)[i].staff == staff && !strcmp((*v)[i].id, id))
			return;
	GROW(*v, *alloc, *n + 1);
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].id = id;
	(*v)[*n].staff = staff;
	(*v)[*n].since = at;
	(*n)++;
}

/* The lead is not its own co-handler: drop a department that leads. */
static void co_drop(struct cohandler *v, size_t *n, const char *dept)
{
	size_t i;

	for (i = 0; dept && i < *n; i++) {
		if (v[i].staff || strcmp(v[i].id, dept))
			continue;
		memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
		(*n)--;
		return;
	}
}

static void co_list(struct cohandler **v, size_t *n, size_t *alloc,
	const struct event *e, const char *key, int staff)
{
	const struct event_field *f = event_field(e, key);
	size_t i;

	if (!f)
		return;
	if (!f->is_list) {
		if (f->val && *f->val)
			co_add(v, n, alloc, f->val, staff, e->at);
		return;
	}
	for (i = 0; i < f->nlist; i++)
		co_add(v, n, alloc, f->list[i], staff, e->at);
}

size_t case_cohandlers(const struct config *cfg, const struct dcase *c,
	struct cohandler **out)
{
	struct cohandler *v = NULL;
	struct stop *stops = NULL;
	size_t n = 0, alloc = 0, nstops, i, k;

	for (i = 0; i < c->nevents; i++) {
		const struct event *e = &c->events[i];

		if (is_action(e, "return", NULL)) {
			n = 0;
		} else if (is_action(e, "assign", NULL)) {
			co_list(&v, &n, &alloc, e, "co", 0);
			co_list(&v, &n, &alloc, e, "co_staff", 1);
			co_drop(v, &n, event_get(e, "department"));
		} else if (is_action(e, "note", NULL)) {
			for (k = 0; k < n; k++)
				if (!v[k].met && ts_cmp(e->at, v[k].since) >= 0 &&
				    cohandler_has(cfg, &v[k], e->by)) {
					v[k].met = 1;
					v[k].met_at = e->at;
				}
		}
	}
	nstops = case_stops(c, &stops);
	for (k = 0; k < n; k++) {
		v[k].due = cal_add(&cfg->cal, v[k].since, cfg->co_reply);
		v[k].due = apply_stops(cfg, v[k].due, v[k].since, stops,
			nstops, cfg->co_reply.unit == DUR_HOURS);
	}
	free(stops);
	*out = v;
	return n;
}

int case_cohandled_by(const struct config *cfg, const struct dcase *c,
	const char *who)
{
	struct cohandler *v = NULL;
	size_t n = case_cohandlers(cfg, c, &v), i;
	int found = 0;

	for (i = 0; i < n && !found; i++)
		found = cohandler_has(cfg, &v[i], who);
	free(v);
	return found;
}

enum dl_state cohandler_state(const struct dcase *c,
	const struct cohandler *h, struct ts now)
{
	if (h->met)
		return ts_cmp(h->met_at, h->due) <= 0 ? DLS_MET : DLS_LATE;
	if (!case_status_open(c->status) || ts_cmp(h->due, now) >= 0)
		return DLS_PENDING;
	return case_clock_stopped(c) ? DLS_STOPPED : DLS_OVERDUE;
}

/* ---- referrals outside ----------------------------------------------- */

size_t case_referrals(const struct dcase *c, struct referral **out)
{
	struct referral *v = NULL;
	size_t n = 0, alloc = 0, i, k;
	const char *to, *from;

	for (i = 0; i < c->nevents; i++) {
		const struct event *e = &c->events[i];

		if (is_action(e, "refer", NULL) && (to = event_get(e, "to"))) {
			GROW(v, alloc, n + 1);
			memset(&v[n], 0, sizeof(v[n]));
			v[n].to = to;
			v[n].at = e->at;
			v[n].has_due = event_get(e, "due") &&
				!ts_parse(&v[n].due, event_get(e, "due"));
			v[n].store = event_get(e, "store");
			v[n].their = event_get(e, "case");
			n++;
		} else if (is_action(e, "note", NULL) &&
		    (from = event_get(e, "reply_from"))) {
			/* the oldest unanswered referral to that body */
			for (k = 0; k < n; k++) {
				if (v[k].answered || strcmp(v[k].to, from))
					continue;
				v[k].answered = 1;
				v[k].answered_at = e->at;
				break;
			}
		}
	}
	*out = v;
	return n;
}

enum dl_state referral_state(const struct dcase *c, const struct referral *r,
	struct ts now)
{
	if (r->answered)
		return !r->has_due || ts_cmp(r->answered_at, r->due) <= 0 ?
			DLS_MET : DLS_LATE;
	if (!r->has_due || !case_status_open(c->status) ||
	    ts_cmp(r->due, now) >= 0)
		return DLS_PENDING;
	return case_clock_stopped(c) ? DLS_STOPPED : DLS_OVERDUE;
}
