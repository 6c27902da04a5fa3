/*
 * report.h - the statistics of DESIGN section 8 over a period [from, to).
 *
 * Every figure is computed from a case's journal as it stood at `to`:
 * events at or after `to` are ignored, the status, category, priority,
 * department and assignee are replayed from the events before it, and
 * the deadlines are those the case had then (a deadline met before `to`
 * keeps the value the file froze when it was met; any other is
 * recomputed with deadline_recompute() from the events before `to`).  So
 * a report for October gives the same numbers whenever it is run.
 *
 * Two steps, so that a store of any size is read once and never held in
 * memory: report_fact() reduces one case to what one period needs to
 * know about it (a few flags and numbers, and the values it is grouped
 * by); report_sum(), report_group() and report_build() add facts up.
 * Nothing here prints.
 */
#ifndef DOCKET_REPORT_H
#define DOCKET_REPORT_H

#include <stddef.h>
#include "calendar.h"
#include "case.h"
#include "config.h"

/** What facts are grouped by; the first eight are `--by` values. */
enum report_dim {
	RDIM_DEPARTMENT, RDIM_CATEGORY, RDIM_CHANNEL, RDIM_RESPONDENT,
	RDIM_ASSIGNEE, RDIM_KIND, RDIM_PRIORITY, RDIM_SITE, RDIM_OUTCOME,
	RDIM__COUNT
};
#define RDIM_BY_COUNT 8
/** "department", "category", ..., "priority", "site", "outcome". */
extern const char *const report_dim_names[RDIM__COUNT];
/** Parse a `--by` value (only the first RDIM_BY_COUNT); ERR_INVALID. */
int report_dim_parse(enum report_dim *out, const char *s);

/** Satisfaction levels, in the order of case_satisfactions. */
#define SAT_LEVELS 5

/* report_fact.flags */
enum {
	RF_RECEIVED = 1 << 0,	  /**< received_at in the period */
	RF_OPEN = 1 << 1,	  /**< received before `to`, open at `to` */
	RF_OVERDUE = 1 << 2,	  /**< open, a deadline before `to` unmet */
	RF_CLOSED = 1 << 3,	  /**< closed at `to`, by a closing in it */
	RF_REPEAT = 1 << 4,	  /**< received in the period, repeat_of */
	RF_DECIDED = 1 << 5,	  /**< first triage decision in the period,
				       the case having an ack deadline */
	RF_DECIDED_ON_TIME = 1 << 6,
	RF_RESOLVE = 1 << 7,	  /**< closed in the period, with resolve */
	RF_RESOLVE_ON_TIME = 1 << 8,
	RF_FEEDBACK = 1 << 9,	  /**< feedback deadline met in the period */
	RF_FEEDBACK_ON_TIME = 1 << 10,
	RF_VISIT_OWED = 1 << 11,  /**< closed in the period, not merged or
				       withdrawn: a return visit is owed */
	RF_VISITED = 1 << 12,	  /**< ... and visited (feedback) before to */
	RF_VISIT_TIMED = 1 << 13, /**< visited, with a visit deadline */
	RF_VISIT_ON_TIME = 1 << 14,
	RF_COLLECTIVE = 1 << 15	  /**< received in the period, collective */
};

/** One case as one period sees it. */
struct report_fact {
	unsigned flags;
	int accepted;		/**< triage accept events in the period */
	int rejected;		/**< triage reject events in the period */
	int reopened;		/**< reopen events in the period */
	int referred;		/**< refer events in the period */
	int ref_n;		/**< referral answers that fell due: came
				     in the period, or, missing, were due
				     in it (refer --due only) */
	int ref_on_time;	/**< ... of those, in by their due date */
	int handling_days;	/**< when RF_CLOSED */
	int satisfaction;	/**< RF_CLOSED: level index, -1 for none */
	long people;		/**< RF_COLLECTIVE: complainant.count */
	char *key[RDIM__COUNT];	/**< value per dimension at `to`, or NULL
				     (outcome only when RF_CLOSED) */
	char *keys;		/**< where they all are: one allocation */
};

/**
 * Reduce case c to its fact for the period [from, to).  Returns 1 when
 * the case counts toward any figure of the period (*out is then filled
 * and must be released), 0 when it does not (nothing to release).
 */
int report_fact(struct report_fact *out, const struct config *cfg,
	const struct dcase *c, struct ts from, struct ts to);
/**
 * Set the fact's keys to copies of key (NULL: none), all in one
 * allocation, f->keys: a report keeps a fact for every case of its two
 * months, eight keys each.  What report_fact_release() frees.
 */
void report_fact_keys(struct report_fact *out,
	const char *const key[RDIM__COUNT]);
void report_fact_release(struct report_fact *f);
void report_facts_free(struct report_fact *v, size_t n);

/** The scalar figures over a set of facts. */
struct report_stats {
	long received, accepted, rejected, closed, open_at_end,
		overdue_at_end;
	long ack_n, ack_on_time;	/**< ack_on_time_rate = on_time / n */
	long resolve_n, resolve_on_time;
	long sat[SAT_LEVELS];
	long reopened, repeats;
	long feedback_n, feedback_on_time;
	long visit_owed, visited, visit_timed, visit_on_time;
	long collective, people;	/**< collective cases received, and
					     the complainants they count */
	long referred, ref_n, ref_on_time;
	long nhandled;		/**< closed cases, their days counted */
	long median2;		/**< twice the median (exact: x or x.5) */
	long mean10;		/**< the mean in tenths, rounded half up */
	long p90;		/**< nearest rank: value at ceil(0.9 n) */
};

void report_sum(struct report_stats *out, const struct report_fact *f,
	size_t n);
/** ok / n in *out; ERR_NOTFOUND (a null rate) when n is 0. */
int report_rate(double *out, long ok, long n);
/** (satisfied + fairly-satisfied) / all levels but unreachable. */
int report_sat_rate(double *out, const struct report_stats *s);

/** The facts sharing one value of a dimension. */
struct report_group {
	char *key;		/**< NULL: cases without a value */
	struct report_stats st;
};

/**
 * Group facts by dim: one group per value present, sorted by value in
 * byte order, the group without a value last.  *out is malloc'd.
 */
size_t report_group(struct report_group **out, const struct report_fact *f,
	size_t n, enum report_dim dim);
void report_groups_free(struct report_group *g, size_t n);

/** A count per value (by_channel, top_respondents ...). */
struct report_count {
	char *key;		/**< NULL: cases without a value */
	long n;
};

/** Every figure of DESIGN section 8 for one period. */
struct report {
	struct date from, to;	/**< local days; `to` not included */
	struct report_stats st;
	/** Counts per value; channel, kind, category and outcome filled. */
	struct report_count *by[RDIM__COUNT];
	size_t nby[RDIM__COUNT];
	struct report_count *top;	/**< top respondents, at most 10 */
	size_t ntop;
	struct report_group *departments;
	size_t ndepartments;
};

#define REPORT_TOP 10

/**
 * Add up the facts of the period [from, to):
 *   by[RDIM_CHANNEL]   received per channel: every configured channel in
 *                      config order (zeros kept), then others seen;
 *   by[RDIM_KIND]      received per kind: complaint, report;
 *   by[RDIM_CATEGORY]  received per category seen (byte order, none last);
 *   by[RDIM_OUTCOME]   closed per outcome: every outcome a closing can
 *                      have (not "rejected") in case_outcomes order, then
 *                      others seen;
 *   top                the REPORT_TOP respondents with most received,
 *                      ties by name (byte order), zero counts left out;
 *   departments        every configured department in config order, then
 *                      other department ids seen (not the cases without).
 */
void report_build(struct report *out, const struct config *cfg,
	const struct report_fact *f, size_t n, struct date from,
	struct date to);
void report_release(struct report *r);

/** First day of the month of d and of the month after. */
void report_month(struct date d, struct date *from, struct date *to);
/**
 * The period of equal length just before [from, to): whole months when
 * both days are the first of a month (October -> September, a quarter ->
 * the quarter before), else the same number of days.
 */
void report_previous(struct date from, struct date to, struct date *pfrom,
	struct date *pto);

#endif
