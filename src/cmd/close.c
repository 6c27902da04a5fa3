/*
 * close.c - `docket close ID --outcome O --summary TEXT [--notified VIA]
 * [--satisfaction S] [--late-reason TEXT]`: 结案.
 *
 * An accepted case handled on the spot, or an assigned one, closes with
 * the outcome of its handling; a complainant may withdraw a case in any
 * open status.  A close after the resolve deadline needs the reason it is
 * late, which stays in the journal for the monthly report.
 */
#include <string.h>

#include "cmd.h"
#include "deadline.h"
#include "labels.h"
#include "workflow.h"

/* Outcomes set by other commands, and where to go instead. */
static const struct {
	const char *outcome, *instead;
} elsewhere[] = {
	{ "merged", N_("a duplicate is merged with 'docket merge ID --into "
	  "OTHER'") },
	{ "rejected", N_("a case is rejected with 'docket triage ID --reject "
	  "REASON'") },
};

struct close_opts {
	const char *outcome, *summary, *notified, *satisfaction, *late;
};

/* The outcomes close sets, "resolved (已解决), ...", for a message. */
static void close_outcomes(struct sb *out, const struct config *cfg)
{
	const char *const *v;
	size_t n = 0;

	for (v = case_outcomes; *v; v++) {
		if (!strcmp(*v, "merged") || !strcmp(*v, "rejected"))
			continue;
		if (n++)
			sb_adds(out, _(", "));
		vocab_describe(out, cfg, VOC_OUTCOME, *v);
	}
}

/* --outcome as an id or a word, to the id in place. */
static int resolve_outcome(struct ctx *ctx, struct close_opts *o)
{
	struct sb words = SB_INIT;
	const char *id;
	size_t i;
	int r;

	r = vocab_lookup(&id, NULL, &ctx->cfg, VOCAB(VOC_OUTCOME), "--outcome",
		o->outcome, &ctx->d);
	if (r == ERR_NOTFOUND) {
		close_outcomes(&words, &ctx->cfg);
		fail(ctx, _("--outcome: unknown outcome '%s' (%s)"), o->outcome,
			words.buf);
		sb_release(&words);
		return EXIT_FAIL;
	}
	if (r)
		return EXIT_FAIL;
	o->outcome = id;
	for (i = 0; i < ARRAY_SIZE(elsewhere); i++)
		if (!strcmp(o->outcome, elsewhere[i].outcome))
			return fail(ctx, _("--outcome %s is not set by close: "
				"%s"), o->outcome, _(elsewhere[i].instead));
	return EXIT_OK;
}

/* Everything that does not need the case; reports every problem. */
static int check_opts(struct ctx *ctx, struct close_opts *o)
{
	int bad = 0;

	if (resolve_outcome(ctx, o))
		bad = 1;
	if (check_arg_text(ctx, "--summary", o->summary, LIM_TEXT, 1))
		bad = 1;
	if (resolve_via(ctx, &o->notified, "--notified"))
		bad = 1;
	if (resolve_option(ctx, &o->satisfaction, VOCAB(VOC_SATISFACTION),
	    "--satisfaction"))
		bad = 1;
	if (o->late &&
	    check_arg_text(ctx, "--late-reason", o->late, LIM_TEXT, 1))
		bad = 1;
	return bad ? EXIT_FAIL : EXIT_OK;
}

/*
 * The closing event.  A case closed while its clock is stopped (withdrawn
 * while on hold or waiting for information) restarts the clock as it
 * closes, so the deadlines are first brought up to now as a resume would
 * (the event is a resume while deadline_recompute() runs; closing meets
 * the deadlines, and met deadlines are not recomputed), then the event
 * becomes the close.
 */
static struct event *closing_event(struct ctx *ctx, struct dcase *c)
{
	struct event *e = case_add_event(c, ctx->now, ctx->actor, "resume");

	deadline_recompute(&ctx->cfg, c);
	set_str(&e->action, "close");
	return e;
}

/* Refuse a late close without its reason; *on_time: -1, 0 or 1. */
static int check_late(struct ctx *ctx, const struct dcase *c,
	const char *late, int *on_time)
{
	const struct calendar *cal = &ctx->cfg.cal;
	char due[TS_BUFSZ];
	int days;

	*on_time = -1;
	if (!(c->due.has & (1u << DUE_RESOLVE)))
		return EXIT_OK;
	*on_time = ts_cmp(ctx->now, c->due.at[DUE_RESOLVE]) <= 0;
	if (*on_time) {
		if (late)
			warn(ctx, _("case %s is not late; --late-reason not "
				"recorded"), c->id);
		return EXIT_OK;
	}
	if (late)
		return EXIT_OK;
	ts_format(due, c->due.at[DUE_RESOLVE]);
	days = cal_workdays_between(cal,
		cal_local_date(cal, c->due.at[DUE_RESOLVE]),
		cal_local_date(cal, ctx->now));
	if (days)
		/* TRANSLATORS: %1$s is the case id, %2$d working days, %3$s
		   the deadline. */
		return fail(ctx, Q_("case %1$s is %2$d working day past its "
			"resolve deadline %3$s; say why with --late-reason TEXT",
			"case %1$s is %2$d working days past its resolve "
			"deadline %3$s; say why with --late-reason TEXT", days),
			c->id, days, due);
	return fail(ctx, _("case %s is past its resolve deadline %s (by less "
		"than a working day); say why with --late-reason TEXT"), c->id,
		due);
}

/*
 * The complainant must be told the result (回告) before a case is done:
 * close needs --notified, unless docket.yaml's close.require_notified
 * is false, the case is a report with no one to tell, or the
 * complainant withdrew it.
 */
static int check_notified(struct ctx *ctx, const struct dcase *c,
	const struct close_opts *o, enum wf_action a)
{
	if (o->notified || !ctx->cfg.require_notified || a == WF_WITHDRAW ||
	    c->kind == KIND_REPORT)
		return EXIT_OK;
	return fail(ctx, _("case %s: say how the complainant was told the "
		"result with --notified VIA (phone, letter, visit ...); "
		"docket.yaml's close.require_notified: false lets a case "
		"close without"), c->id);
}

static void write_closure(struct ctx *ctx, struct dcase *c,
	const struct close_opts *o, int on_time)
{
	struct closure *cl = &c->closure;

	cl->present = 1;
	cl->at = ctx->now;
	set_str(&cl->by, ctx->actor);
	set_str(&cl->outcome, o->outcome);
	set_str(&cl->summary, o->summary);
	cl->notified = o->notified != NULL;
	cl->notified_at = ctx->now;
	set_str(&cl->notified_via, o->notified);
	set_str(&cl->satisfaction, o->satisfaction);
	cl->on_time = on_time;
}

static int close_case(struct ctx *ctx, const char *id,
	const struct close_opts *o)
{
	enum wf_action a = strcmp(o->outcome, "withdrawn") ? WF_CLOSE :
		WF_WITHDRAW;
	struct dcase c;
	struct event *e;
	int ret = EXIT_FAIL, on_time;

	case_init(&c);
	if (load_case_for_write(ctx, id, &c))
		goto out;
	if (wf_check(&ctx->d, &c, a))
		goto out;
	/* A case withdrawn before anyone handles it is closed by the
	 * triage desk that holds it. */
	if (!(a == WF_WITHDRAW && !c.assignee && !c.department &&
	    !require_role(ctx, ROLE_TRIAGE, C_("may not", "withdraw cases")))
	    && (diag_clear(&ctx->d), require_handler(ctx, &c,
	    C_("may not", "close"))))
		goto out;
	e = closing_event(ctx, &c);
	if (check_late(ctx, &c, o->late, &on_time) ||
	    check_notified(ctx, &c, o, a))
		goto out;
	event_set(e, "outcome", o->outcome);
	if (o->notified)
		event_set(e, "notified", o->notified);
	if (o->satisfaction)
		event_set(e, "satisfaction", o->satisfaction);
	if (o->late && on_time == 0)
		event_set(e, "late_reason", o->late);
	if (on_time >= 0)
		event_set(e, "on_time", on_time ? "true" : "false");
	write_closure(ctx, &c, o, on_time);
	c.status = wf_target(c.status, a);
	update_deadlines(ctx, &c);
	ret = save_case(ctx, &c, "close", NULL, 0);
out:
	case_release(&c);
	return ret;
}

int cmd_close(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct close_opts o = { NULL, NULL, NULL, NULL, NULL };
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ "outcome", OPT_STR, &o.outcome, N_("OUTCOME"),
		  N_("resolved, mediated, mediation-failed, referred, unfounded "
		  "or withdrawn (id or word)"), OPT_REQ },
		{ "summary", OPT_STR, &o.summary, N_("TEXT"),
		  N_("what was found and done"), OPT_REQ },
		{ "notified", OPT_STR, &o.notified, N_("VIA"),
		  N_("the complainant was told the result (phone, letter, "
		  "a channel's label ...)") },
		{ "satisfaction", OPT_STR, &o.satisfaction, N_("LEVEL"),
		  N_("satisfied, fairly-satisfied, neutral, dissatisfied or "
		  "unreachable (id or word)") },
		{ "late-reason", OPT_STR, &o.late, N_("TEXT"),
		  N_("why the case closes after its resolve deadline") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	if ((pr = parse_id_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (!o.outcome || !o.summary) {
		ret = usage_error(ctx, _("--%s is required"), !o.outcome ?
			"outcome" : "summary");
	} else if (check_opts(ctx, &o)) {
		ret = EXIT_FAIL;
	} else {
		ret = close_case(ctx, args.v[0], &o);
	}
out:
	strlist_release(&args);
	return ret;
}
