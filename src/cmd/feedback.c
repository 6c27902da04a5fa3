/*
 * feedback.c - `docket feedback ID --satisfaction LEVEL [--comment TEXT]`:
 * the return visit (回访) after a case is closed.
 *
 * The complainant's verdict on the handling becomes the case's
 * satisfaction (the latest visit wins); every visit stays in the journal.
 * A dissatisfied complainant is what `docket reopen` is for.
 */
#include <string.h>

#include "cmd.h"
#include "labels.h"
#include "workflow.h"

/* Triage and supervisors make return visits, and so do the handlers. */
static int may_visit(struct ctx *ctx, const struct dcase *c)
{
	const struct staff *st;

	if (!ctx->cfg.nstaff)
		return EXIT_OK;
	st = config_staff(&ctx->cfg, ctx->actor);
	if (st && (st->roles & (ROLE_TRIAGE | ROLE_SUPERVISOR)))
		return EXIT_OK;
	if (!require_handler(ctx, c, C_("may not", "record feedback on")))
		return EXIT_OK;
	diag_clear(&ctx->d);
	return fail(ctx, _("'%s' may not record feedback on case %s: only "
		"triage, a supervisor, its assignee or a member of its "
		"department may"), ctx->actor, c->id);
}

/* The case c was merged into, or NULL. */
static const char *merged_into(const struct dcase *c)
{
	size_t i;

	for (i = c->nevents; i-- > 0;) {
		if (!strcmp(c->events[i].action, "reopen"))
			return NULL;
		if (!strcmp(c->events[i].action, "merge") &&
		    event_get(&c->events[i], "into"))
			return event_get(&c->events[i], "into");
	}
	return NULL;
}

int cmd_feedback(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	const char *level = NULL, *comment = NULL;
	struct dcase c;
	struct event *e;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ "satisfaction", OPT_STR, &level, N_("LEVEL"),
		  N_("satisfied, fairly-satisfied, neutral, dissatisfied or "
		  "unreachable (id or word)"), OPT_REQ },
		{ "comment", OPT_STR, &comment, N_("TEXT"),
		  N_("what the complainant said") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret = EXIT_OK;

	case_init(&c);
	if ((pr = parse_id_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (!level)
		ret = usage_error(ctx, _("--satisfaction is required"));
	if (ret)
		goto out;
	ret = EXIT_FAIL;
	if (resolve_option(ctx, &level, VOCAB(VOC_SATISFACTION),
	    "--satisfaction") ||
	    (comment && check_arg_text(ctx, "--comment", comment,
	    LIM_TEXT, 1)))
		goto out;
	if (load_case_for_write(ctx, args.v[0], &c))
		goto out;
	if (wf_check(&ctx->d, &c, WF_FEEDBACK) || may_visit(ctx, &c))
		goto out;
	if (merged_into(&c)) {
		/* its complainant is visited with the case it went into, and
		 * counted there once */
		fail(ctx, _("case %s was merged into %s: record the return "
			"visit on %s"), c.id, merged_into(&c), merged_into(&c));
		goto out;
	}
	e = case_add_event(&c, ctx->now, ctx->actor, "feedback");
	event_set(e, "satisfaction", level);
	if (comment)
		event_set(e, "comment", comment);
	set_str(&c.closure.satisfaction, level);
	ret = save_case(ctx, &c, "feedback", NULL, 0);
out:
	case_release(&c);
	strlist_release(&args);
	return ret;
}
