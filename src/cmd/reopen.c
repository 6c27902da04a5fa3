/*
 * reopen.c - `docket reopen ID --reason TEXT`: a closed case goes back to
 * its handlers (复核: the complainant is not satisfied, or a review finds
 * the handling wanting).
 *
 * The closure block goes (the close event stays in the journal), the
 * case is assigned again and its resolve deadline counts afresh from the
 * reopening.  A merged duplicate is not reopened: its complaint lives on
 * in the case it was merged into.
 */
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "deadline.h"
#include "workflow.h"
#include "ytree.h"

static void closure_clear(struct closure *cl)
{
	size_t i;

	free(cl->by);
	free(cl->outcome);
	free(cl->summary);
	free(cl->notified_via);
	free(cl->satisfaction);
	for (i = 0; i < cl->nextra; i++) {
		free(cl->extra[i].key);
		ynode_free(cl->extra[i].val);
	}
	free(cl->extra);
	memset(cl, 0, sizeof(*cl));
	cl->on_time = -1;
}

/* The case a merged duplicate went into: the latest merge event's. */
static const char *merged_into(const struct dcase *c)
{
	size_t i;

	for (i = c->nevents; i-- > 0;)
		if (!strcmp(c->events[i].action, "merge") &&
		    event_get(&c->events[i], "into"))
			return event_get(&c->events[i], "into");
	return NULL;
}

int cmd_reopen(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	const char *reason = NULL, *into;
	struct dcase c;
	struct event *e;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ "reason", OPT_STR, &reason, N_("TEXT"),
		  N_("why: the complainant is not satisfied, a review ..."), OPT_REQ },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret = EXIT_OK;

	case_init(&c);
	if ((pr = parse_id_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (!reason)
		ret = usage_error(ctx, _("--reason is required: say why the "
			"case is reopened"));
	if (ret)
		goto out;
	ret = EXIT_FAIL;
	if (check_arg_text(ctx, "--reason", reason, LIM_TEXT, 1) ||
	    load_case_for_write(ctx, args.v[0], &c))
		goto out;
	if (wf_check(&ctx->d, &c, WF_REOPEN) ||
	    require_role(ctx, ROLE_TRIAGE | ROLE_SUPERVISOR,
	    C_("may not", "reopen cases")))
		goto out;
	if (c.closure.outcome && !strcmp(c.closure.outcome, "merged")) {
		into = merged_into(&c);
		if (into)
			fail(ctx, _("case %s is closed as merged into %s; reopen "
				"%s instead"), c.id, into, into);
		else
			fail(ctx, _("case %s is closed as merged; reopen the case "
				"it was merged into instead"), c.id);
		goto out;
	}
	e = case_add_event(&c, ctx->now, ctx->actor, "reopen");
	event_set(e, "reason", reason);
	closure_clear(&c.closure);
	c.status = wf_target(c.status, WF_REOPEN);
	/* Closed on the spot, never routed: back to the triage desk. */
	if (!c.assignee && !c.department)
		c.status = ST_ACCEPTED;
	update_deadlines(ctx, &c);
	ret = save_case(ctx, &c, "reopen", NULL, 0);
out:
	case_release(&c);
	strlist_release(&args);
	return ret;
}
