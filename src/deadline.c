/*
 * deadline.c - deadlines of a case from the configuration and its events.
 */
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
		return (!strcmp(a, "note") && event_get(e, "contact")) ||
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
