/*
 * workflow.c - which action may follow which status.
 */
#include "intl.h"
#include "labels.h"
#include "workflow.h"

#define S(x) (1u << (x))
#define OPEN (S(ST_RECEIVED) | S(ST_PENDING_INFO) | S(ST_ACCEPTED) | \
	S(ST_ASSIGNED) | S(ST_ON_HOLD))
#define ALL (OPEN | S(ST_CLOSED) | S(ST_REJECTED))
#define SAME (-1)

static const struct {
	const char *command;
	unsigned from;		/* statuses that allow it */
	int to;			/* resulting status or SAME */
} table[WF__COUNT] = {
	[WF_ACCEPT] = { "triage --accept", S(ST_RECEIVED) | S(ST_PENDING_INFO),
		ST_ACCEPTED },
	[WF_NEED_INFO] = { "triage --need-info", S(ST_RECEIVED),
		ST_PENDING_INFO },
	/* from accepted: a supervisor withdraws the acceptance (triage.c) */
	[WF_REJECT] = { "triage --reject", S(ST_RECEIVED) | S(ST_PENDING_INFO) |
		S(ST_ACCEPTED), ST_REJECTED },
	[WF_CLASSIFY] = { "triage --category/--priority", OPEN, SAME },
	[WF_ASSIGN] = { "assign", S(ST_ACCEPTED), ST_ASSIGNED },
	/* TRANSLATORS: a command as it is typed; only the word in
	   parentheses is English */
	[WF_TRANSFER] = { N_("assign --reason (transfer)"), S(ST_ASSIGNED),
		ST_ASSIGNED },
	[WF_RETURN] = { "assign --return", S(ST_ASSIGNED), ST_ACCEPTED },
	[WF_HOLD] = { "hold", S(ST_ASSIGNED), ST_ON_HOLD },
	[WF_RESUME] = { "resume", S(ST_ON_HOLD), ST_ASSIGNED },
	[WF_EXTEND] = { "extend", S(ST_ACCEPTED) | S(ST_ASSIGNED) |
		S(ST_ON_HOLD), SAME },
	[WF_CLOSE] = { "close", S(ST_ACCEPTED) | S(ST_ASSIGNED), ST_CLOSED },
	[WF_WITHDRAW] = { "close --outcome withdrawn", OPEN, ST_CLOSED },
	[WF_MERGE] = { "merge", OPEN, ST_CLOSED },
	[WF_REOPEN] = { "reopen", S(ST_CLOSED), ST_ASSIGNED },
	[WF_NOTE] = { "note", ALL, SAME },
	[WF_FEEDBACK] = { "feedback", S(ST_CLOSED), SAME },
};

int wf_allowed(enum case_status from, enum wf_action a)
{
	return (unsigned)a < WF__COUNT && (table[a].from & S(from));
}

enum case_status wf_target(enum case_status from, enum wf_action a)
{
	if ((unsigned)a >= WF__COUNT || table[a].to == SAME)
		return from;
	return (enum case_status)table[a].to;
}

const char *wf_command(enum wf_action a)
{
	if ((unsigned)a >= WF__COUNT)
		return "?";
	/* commands are as typed; the transfer's says in words what it is
	 * (the others are not looked up: a bare "close" is no message) */
	return a == WF_TRANSFER ? _(table[a].command) : table[a].command;
}

int wf_check(struct diag *d, const struct dcase *c, enum wf_action a)
{
	struct sb allowed = SB_INIT;
	int i, n = 0;

	if (wf_allowed(c->status, a))
		return 0;
	for (i = 0; i < WF__COUNT; i++) {
		if (i == WF_NOTE || !wf_allowed(c->status, (enum wf_action)i))
			continue;
		sb_addf(&allowed, "%s%s", n++ ? _(", ") : "",
			wf_command((enum wf_action)i));
	}
	diag_add(d, ERR_TRANSITION, _("case %s is %s, which does not allow "
		"'%s'; from %s it allows: %s"), c->id,
		vocab_label(NULL, VOC_STATUS, case_status_name(c->status)),
		wf_command(a), vocab_label(NULL, VOC_STATUS,
		case_status_name(c->status)), n ? allowed.buf : "note");
	sb_release(&allowed);
	return ERR_TRANSITION;
}
