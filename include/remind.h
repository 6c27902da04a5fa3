/*
 * remind.h - which reminders a case needs now (DESIGN section 7).
 *
 * Pure functions over a case, the configuration and "now": nothing here
 * reads the store, prints or sends.  For an open case whose clock runs
 * (not pending-info, not on-hold), each deadline in `due` not yet met is
 *
 *   overdue   when due < now, and
 *   due soon  when now <= due <= cal_add(now, within).
 *
 * Level 2 (escalation) when now > cal_add(due, remind.escalate_after).
 * Recipients: the assignee, else the department head, else the staff
 * with the triage role (with no staff list: the department id, else
 * "triage"); level 2 adds the department head and every supervisor.
 *
 * A recipient already reminded of the same deadline, due time and level
 * less than remind.repeat ago (a `remind` event whose `to` names them,
 * cal_add(event.at, repeat) > now) is left out; a reminder nobody is left
 * for is dropped.  A moved deadline (other due time) or a new level
 * reminds afresh.
 */
#ifndef DOCKET_REMIND_H
#define DOCKET_REMIND_H

#include <stddef.h>
#include "calendar.h"
#include "case.h"
#include "config.h"
#include "util.h"

enum remind_state { REMIND_DUE_SOON, REMIND_OVERDUE };

struct reminder {
	enum due_kind kind;		/**< which deadline */
	struct ts due;			/**< when it falls */
	enum remind_state state;
	int days;			/**< working days late, or left */
	int hours;			/**< overdue: clock hours late,
					     rounded up (for days == 0) */
	int level;			/**< 1, or 2 when escalated */
	struct strlist to;		/**< staff ids to remind now */
	char *co;			/**< a co-handler's reply (deadline
					     "co_reply"): its id; else NULL */
	int info;			/**< the material asked for with
					     triage --info-due (deadline
					     "info") */
	int referral;			/**< an outside body's answer to
					     `docket refer` (deadline
					     "referral"): co names the body */
};

/** The deadline's name: a due_names[] one, "co_reply", "info" or
 * "referral". */
const char *reminder_deadline(const struct reminder *r);
/** Every reminder_deadline() name in the order agendas and digests list
 * them: the case's own deadlines, then info, co_reply, referral. */
#define REMIND_NGROUPS (DUE__COUNT + 3)
extern const char *const remind_groups[REMIND_NGROUPS];
/** r's index in remind_groups. */
size_t reminder_group(const struct reminder *r);
/** The same for people (受理期限, 协办回复期限, 转办答复期限 ...). */
const char *reminder_label(const struct reminder *r);
/**
 * How late or how near, for people: "overdue by 3 working days",
 * "overdue by 5 hours" (no working day has passed since: a missed
 * 4-hour deadline, or a holiday after the due day), "due in 1 working
 * day", "due today".  Used by remind, its digests and agenda alike.
 */
void reminder_when(struct sb *out, const struct reminder *r);

/**
 * The reminders the case needs at `now`, in deadline order (ack,
 * feedback, resolve); *out is malloc'd, free it with reminders_free().
 */
size_t remind_plan(struct reminder **out, const struct config *cfg,
	const struct dcase *c, struct ts now, struct duration within);
void reminders_free(struct reminder *v, size_t n);
/**
 * What is overdue and due soon now, whatever was reminded before:
 * remind_plan() with every recipient in each reminder (docket agenda).
 */
size_t remind_due(struct reminder **out, const struct config *cfg,
	const struct dcase *c, struct ts now, struct duration within);

/** Everyone a reminder of this level about the case goes to, in order. */
void remind_recipients(struct strlist *out, const struct config *cfg,
	const struct dcase *c, int level);

/**
 * 1 if `who` was reminded of this deadline, due time and level less than
 * remind.repeat before now.
 */
int remind_recent(const struct config *cfg, const struct dcase *c,
	enum due_kind kind, struct ts due, int level, const char *who,
	struct ts now);

/**
 * Append the journal entry for a reminder sent to `to`:
 * {action: remind, deadline, due, level, to: [...]}.
 */
struct event *remind_record(struct dcase *c, const struct reminder *r,
	struct ts now, const char *actor, char *const *to, size_t nto);

#endif
