/*
 * hold.c - `docket hold ID --reason TEXT` and `docket resume ID`: stop
 * and restart a case's clock while it waits on something outside the
 * office's control (testing, appraisal, a hearing).
 *
 * The events carry the stop: deadline_recompute() moves every deadline
 * not yet met by the working days between hold and resume (DESIGN 6).
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "deadline.h"
#include "workflow.h"

/* Free text from the command line: valid UTF-8, no control characters
 * (line breaks allowed), not empty, within the limit. */
static void recompute(struct ctx *ctx, struct dcase *c)
{
	update_deadlines(ctx, c);
}

int cmd_hold(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	const char *reason = NULL;
	struct dcase c;
	struct event *e;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ "reason", OPT_STR, &reason, N_("TEXT"),
		  N_("what the case waits for (testing, appraisal, a hearing)"), OPT_REQ },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	case_init(&c);
	if ((pr = parse_id_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (!reason) {
		ret = usage_error(ctx, _("--reason is required: say what the "
			"case waits for"));
		goto out;
	}
	ret = EXIT_FAIL;
	if (check_arg_text(ctx, "--reason", reason, LIM_TEXT, 1) ||
	    load_case_for_write(ctx, args.v[0], &c))
		goto out;
	if (wf_check(&ctx->d, &c, WF_HOLD) ||
	    require_handler(ctx, &c, C_("may not", "put on hold")))
		goto out;
	e = case_add_event(&c, ctx->now, ctx->actor, "hold");
	event_set(e, "reason", reason);
	c.status = wf_target(c.status, WF_HOLD);
	recompute(ctx, &c);
	ret = save_case(ctx, &c, "hold", NULL, 0);
out:
	case_release(&c);
	strlist_release(&args);
	return ret;
}

/* How many working days the stop that just ended held the clock. */
static int held_days(struct ctx *ctx, const struct dcase *c)
{
	struct stop *stops = NULL;
	size_t n = case_stops(c, &stops);
	int days = 0;

	if (n && !stops[n - 1].open)
		days = cal_workdays_between(&ctx->cfg.cal,
			cal_local_date(&ctx->cfg.cal, stops[n - 1].from),
			cal_local_date(&ctx->cfg.cal, stops[n - 1].to));
	free(stops);
	return days;
}

int cmd_resume(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct dcase c;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret, days;

	case_init(&c);
	if ((pr = parse_id_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	ret = EXIT_FAIL;
	if (load_case_for_write(ctx, args.v[0], &c))
		goto out;
	if (wf_check(&ctx->d, &c, WF_RESUME) ||
	    require_handler(ctx, &c, C_("may not", "resume")))
		goto out;
	case_add_event(&c, ctx->now, ctx->actor, "resume");
	c.status = wf_target(c.status, WF_RESUME);
	recompute(ctx, &c);
	days = held_days(ctx, &c);
	ret = save_case(ctx, &c, "resume", NULL, 0);
	if (!ret && days)
		inform(ctx, Q_("case %s was held %d working day; open "
			"deadlines moved by as much", "case %s was held %d "
			"working days; open deadlines moved by as much", days),
			c.id, days);
out:
	case_release(&c);
	strlist_release(&args);
	return ret;
}
