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

/**
 * How the case's resolve deadline runs: its start, ceiling and
 * extensions, from the config's defaults and every matching rule.
 */
void deadline_policy(const struct config *cfg, const struct dcase *c,
	struct resolve_policy *out);

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

/** Where a deadline stands at an instant. */
enum dl_state {
	DLS_NONE,	/**< the case has no such deadline */
	DLS_PENDING,	/**< not met, not yet due (or the case is final) */
	DLS_MET,	/**< met by its due time */
	DLS_LATE,	/**< met, but after its due time */
	DLS_OVERDUE,	/**< not met, past due, the clock running */
	DLS_STOPPED	/**< not met, past due, but the clock is stopped
			     (pending-info, on-hold): never overdue */
};

/**
 * The one judge of "overdue" for remind, list, show and report: deadline
 * k of case c (its status and events as they stand at now) at now.  A
 * case whose clock is stopped is never overdue; its restart moves the
 * deadline anyway.
 */
enum dl_state deadline_state(const struct dcase *c, enum due_kind k,
	struct ts now);
/** 1 if the case's clock is stopped (pending-info, on-hold). */
int case_clock_stopped(const struct dcase *c);

/** 1 if any deadline of the case, or the answer of a body it was
 * referred to, is DLS_OVERDUE at now. */
int deadline_overdue(const struct dcase *c, struct ts now);

#endif

#ifndef DOCKET_DEADLINE_STOPS
#define DOCKET_DEADLINE_STOPS
/**
 * A period the case's clock was stopped: pending-info (triage --need-info
 * until accept, reject or note --info-received) or on-hold (hold until
 * resume).  `open` is set for a stop still running; `to` is then unset.
 */
struct stop {
	struct ts from, to;
	int open;
};

/**
 * The ceiling of the resolve deadline: received_at + the rules'
 * resolve.max, moved by the stops like any deadline.  ERR_NOTFOUND when
 * the rules give none, or when a reopening started a new period.
 */
int deadline_ceiling(const struct config *cfg, const struct dcase *c,
	struct ts *out);
/** Extensions (extend events) since the latest acceptance or reopening;
 * *overridden (if not NULL) gets how many were --override. */
size_t case_extensions(const struct dcase *c, size_t *overridden);

/** The case's stops in order; *out is malloc'd (free it). */
size_t case_stops(const struct dcase *c, struct stop **out);

/**
 * Recompute every deadline not yet met from the events, as DESIGN §6
 * says: ack and feedback from received_at, resolve from the latest
 * acceptance or reopening, or from the latest fixed date (assign --due,
 * extend) when there is one; then each later finished stop moves it.
 * Deadlines already met keep their value.  Returns a year missing from
 * the calendar that a deadline falls in, or 0.
 */
int deadline_recompute(const struct config *cfg, struct dcase *c);

/**
 * A co-handler (协办) of a case: a department or a person added with
 * `assign --co` (or by the category's `co:` in docket.yaml), since the
 * last `assign --return`.  Each owes the lead a reply: its deadline is
 * deadlines.co_reply from the assignment that added it, moved by the
 * stops after it, and it is met by the first note a co-handler writes
 * (a note, a contact, an attachment).
 */
struct cohandler {
	const char *id;		/**< department or staff id (the case's) */
	int staff;		/**< 1: a person, 0: a department */
	struct ts since;	/**< the assignment that added it */
	struct ts due;		/**< its reply deadline */
	int met;
	struct ts met_at;
};

/** The case's co-handlers in the order they were added; *out malloc'd. */
size_t case_cohandlers(const struct config *cfg, const struct dcase *c,
	struct cohandler **out);
/** 1 if staff `who` acts for co-handler h (is it, or in its department). */
int cohandler_has(const struct config *cfg, const struct cohandler *h,
	const char *who);
/** 1 if staff `who` acts for any co-handler of the case. */
int case_cohandled_by(const struct config *cfg, const struct dcase *c,
	const char *who);
/** Where a co-handler's reply stands at now, as deadline_state(). */
enum dl_state cohandler_state(const struct dcase *c,
	const struct cohandler *h, struct ts now);
#endif

#ifndef DOCKET_DEADLINE_REFERRALS
#define DOCKET_DEADLINE_REFERRALS
/**
 * A referral to a body outside the office (`docket refer`): 转办 to
 * another authority, escalation to the township or city, a 12345 work
 * order sent back.  Its answer is the first `note --reply-from BODY`
 * after it; `due` (from --due) is when that answer is expected.  The
 * case stays open: only closing ends it.
 */
struct referral {
	const char *to;		/**< the body, as given (the event's) */
	struct ts at;		/**< when it was referred */
	int has_due;
	struct ts due;
	int answered;
	struct ts answered_at;
	const char *store;	/**< refer --to-store: the git remote, */
	const char *their;	/**< and the case's id there; else NULL */
};

/** The case's referrals in order; *out malloc'd (free it). */
size_t case_referrals(const struct dcase *c, struct referral **out);
/** Where a referral's answer stands at now, as deadline_state(). */
enum dl_state referral_state(const struct dcase *c, const struct referral *r,
	struct ts now);
#endif
