/*
 * merge.c - `docket merge ID --into OTHER`: ID is a duplicate of OTHER
 * (并单).
 *
 * The duplicate is closed with outcome merged and both cases link each
 * other under `related`; each gets a merge event ({into: OTHER} on the
 * duplicate, {merged: ID} on OTHER) and both files go into one commit,
 * so the history never shows one side without the other.  OTHER may be
 * open or closed (a complaint repeated after its case was closed), but
 * not rejected or itself merged away.
 */
#include <string.h>

#include "cmd.h"
#include "labels.h"
#include "deadline.h"
#include "workflow.h"

static void recompute(struct ctx *ctx, struct dcase *c)
{
	update_deadlines(ctx, c);
}

/* The case OTHER went into, when it was merged itself. */
static const char *merged_into(const struct dcase *c)
{
	size_t i;

	for (i = c->nevents; i-- > 0;)
		if (!strcmp(c->events[i].action, "merge") &&
		    event_get(&c->events[i], "into"))
			return event_get(&c->events[i], "into");
	return _("another case");
}

/* Refuse a target that cannot take the duplicate. */
static int check_target(struct ctx *ctx, const struct dcase *dup,
	const struct dcase *o)
{
	if (o->status == ST_REJECTED)
		return fail(ctx, _("case %s is rejected and cannot take a "
			"duplicate; reject case %s too (docket triage %s "
			"--reject REASON)"), o->id, dup->id, dup->id);
	if (o->status == ST_CLOSED && o->closure.outcome &&
	    !strcmp(o->closure.outcome, "merged"))
		return fail(ctx, _("case %s is closed as merged into %s; merge "
			"into that case instead"), o->id, merged_into(o));
	return EXIT_OK;
}

static int merge(struct ctx *ctx, const char *id, const char *other)
{
	struct dcase c, o;
	const struct dcase *both[2] = { &c, &o };
	struct sb summary = SB_INIT;
	struct event *e;
	int ret = EXIT_FAIL;

	case_init(&c);
	case_init(&o);
	if (load_case_for_write(ctx, id, &c))
		goto out;
	if (!strcmp(c.id, other)) {
		fail(ctx, _("case %s (%s) cannot be merged into itself; --into "
			"names the case it duplicates"), c.id,
			vocab_label(&ctx->cfg, VOC_STATUS,
			case_status_name(c.status)));
		goto out;
	}
	if (wf_check(&ctx->d, &c, WF_MERGE) ||
	    require_role(ctx, ROLE_TRIAGE | ROLE_SUPERVISOR,
	    C_("may not", "merge cases")))
		goto out;
	if (load_case_for_write(ctx, other, &o) || check_target(ctx, &c, &o))
		goto out;

	e = case_add_event(&c, ctx->now, ctx->actor, "merge");
	event_set(e, "into", o.id);
	strv_add_unique(&c.related, &c.nrelated, o.id);
	/* TRANSLATORS: the closing summary of a duplicate, written into
	   its case file. */
	sb_addf(&summary, _("merged into %s"), o.id);
	c.closure.present = 1;
	c.closure.at = ctx->now;
	set_str(&c.closure.by, ctx->actor);
	set_str(&c.closure.outcome, "merged");
	set_str(&c.closure.summary, summary.buf);
	c.status = wf_target(c.status, WF_MERGE);
	recompute(ctx, &c);

	e = case_add_event(&o, ctx->now, ctx->actor, "merge");
	event_set(e, "merged", c.id);
	/* The duplicate's complainant is told the result and visited with
	 * this case: keep how to reach them here (never in the commit
	 * message). */
	if (c.who.name)
		event_set(e, "merged_name", c.who.name);
	if (c.who.phone)
		event_set(e, "merged_phone", c.who.phone);
	if (c.who.email)
		event_set(e, "merged_email", c.who.email);
	if (c.who.address)
		event_set(e, "merged_address", c.who.address);
	strv_add_unique(&o.related, &o.nrelated, c.id);

	ret = save_cases(ctx, both, 2, "merge", NULL, 0);
out:
	sb_release(&summary);
	case_release(&o);
	case_release(&c);
	return ret;
}

int cmd_merge(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	const char *into = NULL;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ "into", OPT_STR, &into, N_("OTHER"),
		  N_("the case this one duplicates"), OPT_REQ },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (!args.n)
		ret = usage_error(ctx, _("which case? give the duplicate's id"));
	else if (args.n > 1)
		ret = usage_error(ctx, _("unexpected argument '%s'"), args.v[1]);
	else if (!into)
		ret = usage_error(ctx, _("--into is required: the case this one "
			"duplicates"));
	else
		ret = merge(ctx, args.v[0], into);
out:
	strlist_release(&args);
	return ret;
}
