/*
 * remindlog.h - the journal of a `docket remind --mail` run
 * (.git/docket-remind): which reminders it is mailing to whom, and how
 * far it got, so that a run that is killed, or cannot record what it
 * mailed, never has those reminders mailed again (DESIGN section 11:
 * at most once per case, deadline, due time, level and recipient).
 *
 * The run writes the whole plan at once (a new file, fsync'd) before the
 * first message goes out, then appends a line per recipient before and
 * after handing the message to sendmail:
 *
 *   docket-remind 1
 *   at 2026-10-10T07:30:00+08:00
 *   by chen.jing
 *   remind 2026-000001 ack 2026-09-29T23:59:59+08:00 2 chen.jing
 *   remind 2026-000001 ack 2026-09-29T23:59:59+08:00 2 liu.yang
 *   remind 2026-000002 referral 2026-10-20T23:59:59+08:00 1 sun.li 县市场监管局
 *   try chen.jing
 *   sent chen.jing
 *   try liu.yang
 *
 * Staff ids and case ids only: no personal data of a complainant.  What
 * was sent (and what was in the hands of sendmail when the run died: it
 * may have gone out) is recorded by the next run before it plans;
 * what failed or was never tried is left to be mailed again.
 */
#ifndef DOCKET_REMINDLOG_H
#define DOCKET_REMINDLOG_H

#include <stddef.h>
#include "calendar.h"
#include "case.h"
#include "util.h"

#define REMINDLOG_FILE "docket-remind"		/* inside .git */
#define REMINDLOG_LOCK "docket-remind.lock"	/* inside .git */

enum rl_state {
	RL_PLANNED,	/* not handed to sendmail (yet) */
	RL_TRYING,	/* in sendmail's hands when the run stopped */
	RL_SENT,
	RL_FAILED
};

struct rl_entry {
	char *id;		/* the case */
	enum due_kind kind;	/* which deadline, unless info or co */
	int info;		/* the material asked for (deadline "info") */
	int referral;		/* an outside body's answer ("referral") */
	char *co;		/* the co-handler ("co_reply") or the body
				   ("referral"), or NULL */
	struct ts due;
	int level;
	char *to;		/* one staff id */
	enum rl_state state;
};

struct remindlog {
	struct ts at;		/* when the run mailed */
	char *actor;
	struct rl_entry *v;
	size_t n, alloc;
};

void remindlog_init(struct remindlog *l, struct ts at, const char *actor);
void remindlog_release(struct remindlog *l);
void remindlog_add(struct remindlog *l, const char *id, enum due_kind kind,
	struct ts due, int level, const char *to);
/** The last entry added is the material (info), a co-handler's reply
 * (co) or an outside body's answer (referral, co the body). */
void remindlog_set_other(struct remindlog *l, int info, int referral,
	const char *co);
/** The entry's deadline as remind events name it ("ack", "co_reply" ...). */
const char *remindlog_deadline(const struct rl_entry *e);
/** Set the state of every entry addressed to `to`. */
void remindlog_mark(struct remindlog *l, const char *to, enum rl_state st);
/** 1 if the entry counts as mailed: sent, or maybe sent (RL_TRYING). */
int remindlog_mailed(const struct rl_entry *e);

/** The file's text: header and plan, no progress lines. */
void remindlog_format(struct sb *out, const struct remindlog *l);
/** The progress line for a recipient ("try ID\n", "sent ID\n" ...). */
void remindlog_progress(struct sb *out, const char *to, enum rl_state st);
/**
 * Parse the file's text (file names it in messages): 0, or ERR_INVALID
 * with "FILE:LINE: ..." in d.  A last line without its newline (the run
 * died writing it) is ignored.
 */
int remindlog_parse(struct remindlog *l, const char *buf, size_t len,
	const char *file, struct diag *d);

#endif
