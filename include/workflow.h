/*
 * workflow.h - the state machine of DESIGN section 4.
 *
 *   received               triage --accept      accepted
 *   received               triage --need-info   pending-info (clock stopped)
 *   received, pending-info triage --reject      rejected
 *   pending-info           triage --accept      accepted
 *   accepted               assign               assigned
 *   assigned               assign (transfer)    assigned
 *   assigned               assign --return      accepted
 *   assigned               hold                 on-hold (clock stopped)
 *   on-hold                resume               assigned
 *   accepted, assigned     close                closed
 *   closed                 reopen               assigned
 *   any open status        close --outcome withdrawn, merge   closed
 *
 * `note` works in every status, `feedback` on closed cases, `extend` on
 * accepted, assigned and on-hold cases, and reclassifying (triage with
 * only --category/--priority) on every open case.
 */
#ifndef DOCKET_WORKFLOW_H
#define DOCKET_WORKFLOW_H

#include "case.h"
#include "util.h"

enum wf_action {
	WF_ACCEPT, WF_NEED_INFO, WF_REJECT, WF_CLASSIFY, WF_ASSIGN,
	WF_TRANSFER, WF_RETURN, WF_HOLD, WF_RESUME, WF_EXTEND, WF_CLOSE,
	WF_WITHDRAW, WF_MERGE, WF_REOPEN, WF_NOTE, WF_FEEDBACK, WF__COUNT
};

/** 1 if the action is allowed from that status. */
int wf_allowed(enum case_status from, enum wf_action a);
/** The status after the action (from itself when it changes none). */
enum case_status wf_target(enum case_status from, enum wf_action a);
/** The command line that does the action, e.g. "triage --accept". */
const char *wf_command(enum wf_action a);
/**
 * If the action is not allowed, add a message naming the case's status
 * and what it allows, and return ERR_TRANSITION; else 0.
 */
int wf_check(struct diag *d, const struct dcase *c, enum wf_action a);

#endif
