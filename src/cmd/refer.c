/*
 * refer.c - `docket refer ID --to BODY [--due WHEN] --reason TEXT`: send
 * a case to a body outside the office (转办 to another authority, an
 * escalation to the township or the city, a 12345 work order sent back),
 * with the date its answer is expected.  The case stays open: the answer
 * comes back as `note --reply-from BODY`, and only `close` ends it.
 */
#include <string.h>

#include "cmd.h"
#include "deadline.h"
#include "labels.h"

struct refer_opts {
	const char *to;
	const char *due;
	const char *reason;
};

static int refer(struct ctx *ctx, const char *id, const struct refer_opts *o)
{
	char buf[TS_BUFSZ];
	struct event *e;
	struct dcase c;
	struct ts due;
	int ret = EXIT_FAIL;

	case_init(&c);
	if (require_role(ctx, ROLE_TRIAGE | ROLE_SUPERVISOR,
	    C_("may not", "refer cases outside")) ||
	    check_arg_text(ctx, "--to", o->to, LIM_NAME, 1) ||
	    check_arg_text(ctx, "--reason", o->reason, LIM_TEXT, 1))
		goto out;
	if (o->due) {
		if (parse_due_when(ctx, o->due, &due)) {
			ret = usage_error(ctx, _("--due: '%s' is not a time "
				"like 2026-12-18 or \"2026-12-18 17:00\", nor "
				"a time from now like 7d, 10wd or 4h"), o->due);
			goto out;
		}
		if (ts_cmp(due, ctx->now) <= 0) {
			fail(ctx, _("--due: '%s' is not in the future"), o->due);
			goto out;
		}
	}
	if (load_case_for_write(ctx, id, &c))
		goto out;
	if (!case_status_open(c.status)) {
		fail(ctx, _("case %s is %s: only an open case can be referred "
			"(reopen it first)"), c.id, vocab_label(&ctx->cfg,
			VOC_STATUS, case_status_name(c.status)));
		goto out;
	}
	e = case_add_event(&c, ctx->now, ctx->actor, "refer");
	event_set(e, "to", o->to);
	if (o->due) {
		ts_format(buf, due);
		event_set(e, "due", buf);
	}
	event_set(e, "reason", o->reason);
	if (save_case(ctx, &c, "refer", NULL, 0))
		goto out;
	ret = EXIT_OK;
out:
	case_release(&c);
	return ret;
}

int cmd_refer(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct refer_opts o = { NULL, NULL, NULL };
	struct opt opts[] = {
		{ "to", OPT_STR, &o.to, N_("BODY"),
		  N_("the body outside the office: another authority, the "
		  "township, the city's 12345 centre") },
		{ "due", OPT_STR, &o.due, N_("WHEN"),
		  N_("when its answer is expected (a date, or 10wd from now)") },
		{ "reason", OPT_STR, &o.reason, N_("TEXT"),
		  N_("why it goes there (required)") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	int ret;

	ret = parse_id_options(ctx, opts, argc, argv, &args);
	if (ret) {
		ret = ret < 0 ? EXIT_OK : ret;
		goto out;
	}
	if (!o.to)
		ret = usage_error(ctx, _("--to BODY is required: where the "
			"case goes"));
	else if (!o.reason)
		ret = usage_error(ctx, _("--reason TEXT is required: why the "
			"case goes there"));
	if (ret)
		goto out;
	ret = refer(ctx, args.v[0], &o);
out:
	strlist_release(&args);
	return ret;
}
