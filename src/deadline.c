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
	}
}

static int meets(const struct event *e, enum due_kind k)
{
	const char *a = e->action;

	switch (k) {
	case DUE_ACK:
		return !strcmp(a, "triage") && event_get(e, "decision");
	case DUE_FEEDBACK:
		/* a written notice to the complainant (print --issue) is
		 * a contact too */
		return (!strcmp(a, "note") && event_get(e, "contact")) ||
			(!strcmp(a, "issue") && event_get(e, "notified")) ||
			!strcmp(a, "close");
	case DUE_RESOLVE:
		return !strcmp(a, "close");
	default:
		return 0;
	}
}

int deadline_met_at(const struct dcase *c, enum due_kind k, struct ts *out)
{
	size_t i;

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
		if (!(which & (1u << k)))
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

int deadline_overdue(const struct dcase *c, struct ts now)
{
	int k;

	if (!case_status_open(c->status))
		return 0;
	for (k = 0; k < DUE__COUNT; k++)
		if ((c->due.has & (1u << k)) && ts_cmp(c->due.at[k], now) < 0 &&
		    !deadline_met(c, (enum due_kind)k))
			return 1;
	return 0;
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

/* The resolve deadline's base: fixed date or duration from its start. */
static int resolve_base(const struct config *cfg, const struct dcase *c,
	struct duration dur, struct ts *due, struct ts *since)
{
	const struct event *start = NULL, *fixed = NULL;
	size_t i;

	for (i = 0; i < c->nevents; i++) {
		const struct event *e = &c->events[i];

		if (is_action(e, "triage", "accept") ||
		    is_action(e, "reopen", NULL)) {
			start = e;
			fixed = NULL;
		} else if (start && (is_action(e, "assign", NULL) ||
		    is_action(e, "extend", NULL)) && event_get(e, "due")) {
			fixed = e;
		}
	}
	if (!start)
		return ERR_NOTFOUND;
	if (fixed && !ts_parse(due, event_get(fixed, "due"))) {
		*since = fixed->at;
		return 0;
	}
	*due = cal_add(&cfg->cal, start->at, dur);
	*since = start->at;
	return 0;
}

int deadline_recompute(const struct config *cfg, struct dcase *c)
{
	struct duration dur[DUE__COUNT];
	struct stop *stops = NULL;
	struct ts due, since;
	size_t n;
	int k, unknown = 0;

	deadline_durations(cfg, c, dur);
	n = case_stops(c, &stops);
	for (k = 0; k < DUE__COUNT; k++) {
		if ((c->due.has & (1u << k)) && deadline_met(c, (enum due_kind)k))
			continue;
		if (k == DUE_RESOLVE) {
			if (resolve_base(cfg, c, dur[k], &due, &since)) {
				c->due.has &= ~(1u << k);
				continue;
			}
		} else {
			since = c->received_at;
			due = cal_add(&cfg->cal, since, dur[k]);
		}
		due = apply_stops(cfg, due, since, stops, n,
			dur[k].unit == DUR_HOURS);
		c->due.at[k] = due;
		c->due.has |= 1u << k;
		if (dur[k].unit != DUR_HOURS && year_unknown(cfg, due))
			unknown = year_unknown(cfg, due);
	}
	free(stops);
	return unknown;
}
