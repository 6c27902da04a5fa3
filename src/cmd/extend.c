/*
 * extend.c - `docket extend`: move the resolve deadline later with a
 * supervisor's approval (延期), e.g. the labour inspectorate's 60 working
 * days + 30.  The approving supervisor is the actor of the event, which
 * records the new deadline (due), the one it replaces (previous), the
 * duration given (extend_by) and the reason.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "deadline.h"
#include "workflow.h"

struct extend_opts {
	const char *by;
	const char *to;
	const char *reason;
	int override;
};

/* The new resolve deadline from --by or --to, or from the rules'
 * extend.by when neither is given; later than the current. */
static int new_due(struct ctx *ctx, const struct dcase *c,
	const struct extend_opts *o, const struct duration *by,
	struct ts *out)
{
	struct ts cur = c->due.at[DUE_RESOLVE];
	char buf[TS_BUFSZ];

	if (!o->to) {
		*out = cal_add(&ctx->cfg.cal, cur, *by);
		return 0;
	}
	if (parse_when(ctx, o->to, 1, out))
		return usage_error(ctx, _("--to: '%s' is not a time like "
			"2027-01-29 or \"2027-01-29 17:00\""), o->to);
	if (ts_cmp(*out, cur) <= 0) {
		ts_format(buf, cur);
		return fail(ctx, _("--to: '%s' is not later than the current "
			"resolve deadline of case %s (%s)"), o->to, c->id, buf);
	}
	return 0;
}

/*
 * The rules' limits (resolve.extend and resolve.max): how many
 * extensions, how long each, and the ceiling.  A default extension (no
 * --by, no --to) stops at the ceiling; one asked for past a limit is
 * refused unless a supervisor overrides it.  Sets *over when a limit is
 * overridden.
 */
static int check_limits(struct ctx *ctx, const struct dcase *c,
	const struct extend_opts *o, const struct resolve_policy *pol,
	struct ts *due, int *over)
{
	char buf[TS_BUFSZ], dur[16];
	struct ts ceiling, most;
	size_t n = case_extensions(c, NULL);

	*over = 0;
	if (pol->ext_max >= 0 && n >= (size_t)pol->ext_max) {
		if (!o->override)
			return fail(ctx, Q_("case %s has been extended %zu time; "
				"its rules allow %d (a supervisor may go past "
				"them with --override and the reason)",
				"case %s has been extended %zu times; its rules "
				"allow %d (a supervisor may go past them with "
				"--override and the reason)", n), c->id, n,
				pol->ext_max);
		*over = 1;
	}
	if (pol->ext_by.n >= 0 && (o->by || o->to)) {
		most = cal_add(&ctx->cfg.cal, c->due.at[DUE_RESOLVE],
			pol->ext_by);
		if (ts_cmp(*due, most) > 0) {
			duration_format(dur, pol->ext_by);
			if (!o->override)
				return fail(ctx, _("case %s: an extension may "
					"add at most %s under its rules (to %s "
					"at the latest); a supervisor may go "
					"past them with --override"), c->id,
					dur, (ts_format(buf, most), buf));
			*over = 1;
		}
	}
	if (deadline_ceiling(&ctx->cfg, c, &ceiling) ||
	    ts_cmp(*due, ceiling) <= 0)
		return 0;
	ts_format(buf, ceiling);
	if (!o->by && !o->to && !o->override) {
		if (ts_cmp(c->due.at[DUE_RESOLVE], ceiling) >= 0)
			return fail(ctx, _("case %s: the resolve deadline is "
				"already at its ceiling (%s, counted from "
				"receipt); a supervisor may go past it with "
				"--override"), c->id, buf);
		*due = ceiling;
		return 0;
	}
	if (!o->override)
		return fail(ctx, _("case %s: the new deadline is past the "
			"ceiling %s its rules set (counted from receipt); "
			"extend to it with --to %.10s, or a supervisor may go "
			"past it with --override"), c->id, buf, buf);
	*over = 1;
	return 0;
}

static int extend(struct ctx *ctx, const char *id,
	const struct extend_opts *o, struct duration *by)
{
	char buf[TS_BUFSZ], dur[16];
	struct resolve_policy pol;
	struct event *e;
	struct dcase c;
	struct ts due, want;
	int ret = EXIT_FAIL, over = 0;

	case_init(&c);
	if (require_role(ctx, ROLE_SUPERVISOR, C_("may not",
	    "extend deadlines")) ||
	    check_arg_text(ctx, "--reason", o->reason, LIM_TEXT, 1))
		goto out;
	if (load_case_for_write(ctx, id, &c))
		goto out;
	if (wf_check(&ctx->d, &c, WF_EXTEND))
		goto out;
	if (!(c.due.has & (1u << DUE_RESOLVE))) {
		fail(ctx, _("case %s has no resolve deadline to extend"), c.id);
		goto out;
	}
	deadline_policy(&ctx->cfg, &c, &pol);
	if (!o->by && !o->to) {
		if (pol.ext_by.n < 0) {
			ret = usage_error(ctx, _("give one of --by DURATION "
				"and --to WHEN (the rules of case %s set no "
				"extension length)"), c.id);
			goto out;
		}
		*by = pol.ext_by;
	}
	if ((ret = new_due(ctx, &c, o, by, &due)))
		goto out;
	ret = EXIT_FAIL;
	want = due;
	if (check_limits(ctx, &c, o, &pol, &due, &over))
		goto out;
	e = case_add_event(&c, ctx->now, ctx->actor, "extend");
	ts_format(buf, due);
	event_set(e, "due", buf);
	/* the deadline it replaces, for the audit trail */
	ts_format(buf, c.due.at[DUE_RESOLVE]);
	event_set(e, "previous", buf);
	/* a default extension cut at the ceiling is not by its length */
	if (!o->to && !ts_cmp(want, due)) {
		duration_format(dur, *by);
		event_set(e, "extend_by", dur);
	}
	/* past the rules' count, length or ceiling on a supervisor's word */
	if (over)
		event_set(e, "override", "true");
	event_set(e, "reason", o->reason);
	update_deadlines(ctx, &c);
	if (save_case(ctx, &c, "extend", NULL, 0))
		goto out;
	ret = EXIT_OK;
out:
	case_release(&c);
	return ret;
}

int cmd_extend(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct extend_opts o = { NULL, NULL, NULL, 0 };
	struct duration by = { 0, DUR_WORKDAYS };
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ "by", OPT_STR, &o.by, N_("DURATION"),
		  N_("move the resolve deadline later by this much (30wd); "
		     "without --by and --to, by the rules' extend.by") },
		{ "to", OPT_STR, &o.to, N_("WHEN"),
		  N_("set the resolve deadline to this date or time"), OPT_ALT },
		{ "override", OPT_FLAG, &o.override, NULL,
		  N_("go past the rules' number of extensions, their length "
		     "or the ceiling (recorded as an override)") },
		{ "reason", OPT_STR, &o.reason, N_("TEXT"),
		  N_("why the extension was approved (required)"), OPT_REQ },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret = EXIT_OK;

	if ((pr = parse_id_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (o.by && o.to)
		ret = usage_error(ctx, _("give one of --by DURATION and --to "
			"WHEN"));
	else if (!o.reason)
		ret = usage_error(ctx, _("--reason TEXT is required: why the "
			"extension was approved"));
	else if (o.by && (duration_parse(&by, o.by) || by.n <= 0 ||
	    by.unit == DUR_YEARS))
		ret = usage_error(ctx, _("--by: '%s' is not a duration like "
			"30wd, 10d or 48h"), o.by);
	if (ret)
		goto out;
	ret = extend(ctx, args.v[0], &o, &by);
out:
	strlist_release(&args);
	return ret;
}
