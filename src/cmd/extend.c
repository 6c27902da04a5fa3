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
};

/* The new resolve deadline from --by or --to; later than the current. */
static int new_due(struct ctx *ctx, const struct dcase *c,
	const struct extend_opts *o, struct duration *by, struct ts *out)
{
	struct ts cur = c->due.at[DUE_RESOLVE];
	char buf[TS_BUFSZ];

	if (o->by) {
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

static int extend(struct ctx *ctx, const char *id,
	const struct extend_opts *o, struct duration *by)
{
	char buf[TS_BUFSZ], dur[16];
	struct event *e;
	struct dcase c;
	struct ts due;
	int ret = EXIT_FAIL;

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
	if ((ret = new_due(ctx, &c, o, by, &due)))
		goto out;
	ret = EXIT_FAIL;
	e = case_add_event(&c, ctx->now, ctx->actor, "extend");
	ts_format(buf, due);
	event_set(e, "due", buf);
	/* the deadline it replaces, for the audit trail */
	ts_format(buf, c.due.at[DUE_RESOLVE]);
	event_set(e, "previous", buf);
	if (o->by) {
		duration_format(dur, *by);
		event_set(e, "extend_by", dur);
	}
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
	struct extend_opts o = { NULL, NULL, NULL };
	struct duration by = { 0, DUR_WORKDAYS };
	struct opt opts[] = {
		{ "by", OPT_STR, &o.by, N_("DURATION"),
		  N_("move the resolve deadline later by this much (30wd)") },
		{ "to", OPT_STR, &o.to, N_("WHEN"),
		  N_("set the resolve deadline to this date or time") },
		{ "reason", OPT_STR, &o.reason, N_("TEXT"),
		  N_("why the extension was approved (required)") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	int ret;

	ret = parse_id_options(ctx, opts, argc, argv, &args);
	if (ret) {
		ret = ret < 0 ? EXIT_OK : ret;
		goto out;
	}
	if (!o.by == !o.to)
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
