/*
 * note.c - `docket note ID TEXT [--contact VIA] [--info-received]
 * [--attach FILE]...`: the progress, investigation (调查核实) and contact
 * log of a case, and the papers that come back after filing (a signed
 * agreement or receipt, photos from a site visit).
 *
 * A note with --contact records a contact with the complainant and so
 * meets the feedback deadline; --info-received ends the pause started by
 * `triage --need-info`: the case goes back to received and its clock runs
 * again.  Notes are allowed in every status.
 */
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "cmd.h"
#include "deadline.h"
#include "labels.h"
#include "workflow.h"

/*
 * Who may write in a case's log: its handlers (assignee, department,
 * supervisors), triage, and intake while the case still awaits triage
 * (intake staff take the calls that bring missing information).
 */
static int may_note(struct ctx *ctx, const struct dcase *c)
{
	const struct staff *st;
	unsigned roles = ROLE_TRIAGE | ROLE_SUPERVISOR;
	int intake = c->status == ST_RECEIVED || c->status == ST_PENDING_INFO;

	if (!ctx->cfg.nstaff)
		return EXIT_OK;
	if (intake)
		roles |= ROLE_INTAKE;
	st = config_staff(&ctx->cfg, ctx->actor);
	if (st && (st->roles & roles))
		return EXIT_OK;
	/* A co-handler (协办) records its part: notes, contacts, papers. */
	if (case_cohandled_by(&ctx->cfg, c, ctx->actor))
		return EXIT_OK;
	if (!require_handler(ctx, c, C_("may not", "add notes to")))
		return EXIT_OK;
	/* Say who may, all of them, not only the handlers. */
	diag_clear(&ctx->d);
	return fail(ctx, intake ? _("'%s' may not add notes to case %s: only "
		"its assignee, a member of its department or of a co-handling "
		"one, triage or a supervisor may (or intake, while it awaits "
		"triage)") :
		_("'%s' may not add notes to case %s: only its assignee, a "
		"member of its department or of a co-handling one, triage or "
		"a supervisor may"),
		ctx->actor, c->id);
}

/* --reply-from names a body the case was referred to. */
static int check_referred(struct ctx *ctx, const struct dcase *c,
	const char *body)
{
	struct referral *v = NULL;
	struct sb names = SB_INIT;
	size_t n = case_referrals(c, &v), i;
	int ret = EXIT_OK;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].to, body))
			goto out;
	for (i = 0; i < n; i++)
		sb_addf(&names, "%s%s", i ? _(", ") : "", v[i].to);
	if (n)
		ret = fail(ctx, _("--reply-from: case %s was not referred to "
			"'%s' (it was referred to: %s)"), c->id, body,
			names.buf);
	else
		ret = fail(ctx, _("--reply-from: case %s was never referred "
			"outside ('docket refer')"), c->id);
out:
	sb_release(&names);
	free(v);
	return ret;
}

/* The note's text: the operand, or standard input for "-". */
static int note_text(struct ctx *ctx, const char *arg, struct sb *buf,
	const char **out)
{
	if (strcmp(arg, "-")) {
		*out = arg;
		return EXIT_OK;
	}
	if (read_stdin_text(ctx, _("TEXT"), buf))
		return EXIT_FAIL;
	*out = buf->buf;
	return EXIT_OK;
}

int cmd_note(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT, attach = STRLIST_INIT;
	struct strlist names = STRLIST_INIT;
	struct attach_set att = ATTACH_SET_INIT;
	struct sb stdin_text = SB_INIT;
	const char *contact = NULL, *text = NULL, *reply_from = NULL;
	int info_received = 0, ret;
	enum opts_result pr;
	struct dcase c;
	struct event *e;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ NULL, OPT_OPERAND, NULL, N_("TEXT"), NULL, OPT_REQ },
		{ "contact", OPT_STR, &contact, N_("VIA"),
		  N_("a contact with the complainant (phone, visit, letter, "
		  "email, sms, wechat, a channel's label ...)") },
		{ "info-received", OPT_FLAG, &info_received, NULL,
		  N_("the information asked for has arrived (ends pending-info)") },
		{ "reply-from", OPT_STR, &reply_from, N_("BODY"),
		  N_("the answer of a body the case was referred to "
		  "('docket refer')") },
		{ "attach", OPT_LIST, &attach, N_("FILE"),
		  N_("copy a file into the case: a signed copy, a receipt, a "
		  "photo (repeatable)") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};

	case_init(&c);
	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (args.n < 2) {
		ret = usage_error(ctx, "%s", args.n ? _("what happened? give "
			"the note's text (- reads it from standard input)") :
			_("which case? give its id and the note's text"));
		goto out;
	}
	if (args.n > 2) {
		ret = usage_error(ctx, _("unexpected argument '%s'; quote the "
			"note's text"), args.v[2]);
		goto out;
	}
	ret = EXIT_FAIL;
	if (resolve_via(ctx, &contact, "--contact"))
		goto out;
	if (note_text(ctx, args.v[1], &stdin_text, &text) ||
	    check_arg_text(ctx, _("TEXT"), text, LIM_TEXT, 1))
		goto out;
	if (load_case_for_write(ctx, args.v[0], &c))
		goto out;
	if (wf_check(&ctx->d, &c, WF_NOTE) || may_note(ctx, &c))
		goto out;
	if (info_received && c.status != ST_PENDING_INFO) {
		fail(ctx, _("case %s is %s, not pending-info: --info-received "
			"ends a wait for information asked for with 'triage "
			"--need-info'"), c.id, vocab_label(&ctx->cfg, VOC_STATUS,
			case_status_name(c.status)));
		goto out;
	}
	if (reply_from && check_referred(ctx, &c, reply_from))
		goto out;
	/* Read last: the case and the actor are checked before any file. */
	if (attach_files(&att, &c, (const char *const *)attach.v, attach.n,
	    ctx->store, "--attach", &names, &ctx->d))
		goto out;
	e = case_add_event(&c, ctx->now, ctx->actor, "note");
	event_set(e, "text", text);
	/* Which files came with this note: the case's attachment list does
	 * not say when or why each was added. */
	if (names.n)
		event_set_list(e, "attach", names.v, names.n);
	if (contact)
		event_set(e, "contact", contact);
	if (reply_from)
		event_set(e, "reply_from", reply_from);
	if (info_received) {
		event_set(e, "info_received", "true");
		c.status = ST_RECEIVED;
	}
	update_deadlines(ctx, &c);
	ret = save_case(ctx, &c, "note", att.files, att.n);
out:
	attach_set_release(&att);
	strlist_release(&names);
	strlist_release(&attach);
	case_release(&c);
	sb_release(&stdin_text);
	strlist_release(&args);
	return ret;
}
