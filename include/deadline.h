/*
 * deadline.h - which deadlines a case has, when they fall, and whether
 * they are met (DESIGN section 6).
 *
 *   ack       counted from received_at; met by any triage decision
 *   feedback  counted from received_at; met by the first contact note or
 *             by closing
 *   resolve   counted from acceptance; met by closing
 */
#ifndef DOCKET_DEADLINE_H
#define DOCKET_DEADLINE_H

#include "calendar.h"
#include "case.h"
#include "config.h"

/**
 * The durations that apply to the case: the config defaults overridden by
 * every matching rule in order (later rules win).  *has gets DL_* bits.
 */
void deadline_durations(const struct config *cfg, const struct dcase *c,
	struct duration out[DUE__COUNT]);

/** 1 if the case's events meet deadline k (see the table above). */
int deadline_met(const struct dcase *c, enum due_kind k);
/** The instant deadline k was met, if it was (0 return), else ERR_NOTFOUND. */
int deadline_met_at(const struct dcase *c, enum due_kind k, struct ts *out);

/**
 * Set due.at[k] to the deadline counted from start for each k whose bit
 * (1 << k) is in `which`.  Returns a year the calendar lists no holidays
 * for when a deadline falls in it (to warn about), else 0.
 */
int deadline_set(const struct config *cfg, struct dcase *c, unsigned which,
	struct ts start);

/** 1 if the open case has an unmet deadline before now. */
int deadline_overdue(const struct dcase *c, struct ts now);

#endif
