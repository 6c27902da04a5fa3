/*
 * show.c - `docket show ID [--format yaml|json|text]`: one case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "cmd.h"
#include "codec.h"
#include "deadline.h"
#include "labels.h"
#include "output.h"

#define LABEL_COLS 14	/* the width of the labels' column */

/* "Label:  value", the label padded to LABEL_COLS terminal columns
 * (Chinese labels are two columns a character). */
static void line(struct sb *out, const char *label, const char *val)
{
	size_t w = display_width(label);

	if (!val || !*val)
		return;
	sb_adds(out, label);
	do
		sb_addc(out, ' ');
	while (++w < LABEL_COLS);
	out_escape(out, val, 0);
	sb_addc(out, '\n');
}

/* What follows a deadline's time in `show`: where it stands, " (met)",
 * " (overdue)"; an answer asked of another body (answer 1) is
 * "answered" rather than "met".  "" when there is nothing to say. */
static const char *state_words(enum dl_state st, int answer)
{
	switch (st) {
	case DLS_MET:
		return answer ? _(" (answered)") : _(" (met)");
	case DLS_LATE:
		return answer ? _(" (answered late)") : _(" (met late)");
	case DLS_OVERDUE:
		return _(" (overdue)");
	case DLS_STOPPED:
		return _(" (clock stopped)");
	default:
		return "";
	}
}

/* A line whose value is an id people know by its label. */
static void line_vocab(struct sb *out, const struct ctx *ctx,
	const char *label, enum vocab v, const char *id)
{
	struct sb val = SB_INIT;

	if (!id)
		return;
	vocab_show(&val, &ctx->cfg, v, id);
	line(out, label, val.buf);
	sb_release(&val);
}

static void block(struct sb *out, const char *label, const char *text)
{
	const char *p, *nl;

	if (!text)
		return;
	sb_addc(out, '\n');
	sb_adds(out, label);
	sb_addc(out, '\n');
	for (p = text; *p; p = nl + 1) {
		struct sb ln = SB_INIT;

		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p);
		sb_add(&ln, p, (size_t)(nl - p));
		sb_adds(out, "  ");
		out_escape(out, ln.buf, 0);
		sb_addc(out, '\n');
		sb_release(&ln);
		if (!*nl)
			break;
	}
}

static void show_due(struct sb *out, const struct dcase *c, struct ts now)
{
	struct sb val = SB_INIT;
	char buf[TS_BUFSZ];
	size_t w;
	int k, first = 1;

	for (k = 0; k < DUE__COUNT; k++) {
		if (!(c->due.has & (1u << k)))
			continue;
		ts_format(buf, c->due.at[k]);
		sb_reset(&val);
		/* the name padded to 9 columns, so the times line up */
		sb_adds(&val, due_label((enum due_kind)k));
		for (w = display_width(val.buf); w < 9; w++)
			sb_addc(&val, ' ');
		sb_addf(&val, " %s", buf);
		sb_adds(&val, state_words(deadline_state(c, (enum due_kind)k,
			now), 0));
		line(out, first ? _("Due:") : "", val.buf);
		first = 0;
	}
	sb_release(&val);
}

/* The resolve deadline's limits from the rules: the ceiling counted from
 * receipt and the extensions used of those allowed. */
static void show_limits(struct sb *out, const struct ctx *ctx,
	const struct dcase *c)
{
	struct resolve_policy pol;
	struct sb val = SB_INIT;
	char buf[TS_BUFSZ];
	struct ts ceiling;
	size_t n, over;

	if (!(c->due.has & (1u << DUE_RESOLVE)))
		return;
	if (!deadline_ceiling(&ctx->cfg, c, &ceiling)) {
		ts_format(buf, ceiling);
		line(out, _("Ceiling:"), buf);
	}
	deadline_policy(&ctx->cfg, c, &pol);
	n = case_extensions(c, &over);
	if (!n && pol.ext_max < 0)
		return;
	if (pol.ext_max >= 0)
		sb_addf(&val, _("%zu of %d"), n, pol.ext_max);
	else
		sb_addf(&val, "%zu", n);
	if (over)
		sb_addf(&val, Q_(" (%zu override)", " (%zu overrides)", over),
			over);
	line(out, _("Extended:"), val.buf);
	sb_release(&val);
}

/* The bodies outside the case was referred to, each with the date its
 * answer is due and where that stands (转办, 上报). */
static void show_referrals(struct sb *out, const struct ctx *ctx,
	const struct dcase *c)
{
	struct referral *v = NULL;
	struct sb val = SB_INIT;
	char buf[TS_BUFSZ];
	const char *words;
	size_t n = case_referrals(c, &v), i;

	for (i = 0; i < n; i++) {
		sb_reset(&val);
		ts_format(buf, v[i].at);
		sb_addf(&val, _("%s on %.10s"), v[i].to, buf);
		if (v[i].has_due) {
			ts_format(buf, v[i].due);
			sb_addf(&val, _(", answer due %s"), buf);
		}
		words = state_words(referral_state(c, &v[i], ctx->now), 1);
		if (!*words && !v[i].answered)
			words = _(" (awaiting answer)");
		sb_adds(&val, words);
		line(out, i ? "" : _("Referred:"), val.buf);
	}
	sb_release(&val);
	free(v);
}

/* The co-handlers, each with its reply deadline and where it stands:
 * what the lead waits for (协办). */
static void show_cohandlers(struct sb *out, const struct ctx *ctx,
	const struct dcase *c)
{
	struct cohandler *v = NULL;
	struct sb val = SB_INIT;
	char buf[TS_BUFSZ];
	size_t n = case_cohandlers(&ctx->cfg, c, &v), i;

	for (i = 0; i < n; i++) {
		sb_reset(&val);
		vocab_show(&val, &ctx->cfg, v[i].staff ? VOC_STAFF :
			VOC_DEPARTMENT, v[i].id);
		ts_format(buf, v[i].due);
		sb_addf(&val, _(", reply due %s"), buf);
		sb_adds(&val, state_words(cohandler_state(c, &v[i], ctx->now),
			0));
		line(out, i ? "" : _("Co-handling:"), val.buf);
	}
	/* co_departments written by hand, without an assign event */
	for (i = 0; !n && i < c->nco; i++)
		line_vocab(out, ctx, i ? "" : _("Co-handling:"),
			VOC_DEPARTMENT, c->co_departments[i]);
	sb_release(&val);
	free(v);
}

/* The complainants of the duplicates merged into this case: they are
 * told the result and visited with it (并单). */
static void show_merged(struct sb *out, const struct dcase *c)
{
	static const char *const keys[] = {
		"merged_name", "merged_phone", "merged_email", "merged_address"
	};
	struct sb val = SB_INIT;
	const char *v;
	size_t i, k;
	int first = 1;

	for (i = 0; i < c->nevents; i++) {
		const struct event *e = &c->events[i];

		if (strcmp(e->action, "merge") || !event_get(e, "merged"))
			continue;
		sb_reset(&val);
		sb_adds(&val, event_get(e, "merged"));
		sb_adds(&val, ":");
		for (k = 0; k < ARRAY_SIZE(keys); k++)
			if ((v = event_get(e, keys[k])) != NULL)
				sb_addf(&val, " %s", v);
		line(out, first ? _("Also notify:") : "", val.buf);
		first = 0;
	}
	sb_release(&val);
}

/* An event's action for people ("交办"); an unknown one as it is. */
static const char *action_label(const char *a)
{
	static const char *const ids[] = {
		"file", "triage", "assign", "return", "extend", "hold",
		"resume", "merge", "note", "close", "feedback", "reopen",
		"remind", "edit", "refer", "issue"
	};
	const char *words[] = {
		C_("action", "file"), C_("action", "triage"),
		C_("action", "assign"), C_("action", "return"),
		C_("action", "extend"), C_("action", "hold"),
		C_("action", "resume"), C_("action", "merge"),
		C_("action", "note"), C_("action", "close"),
		C_("action", "feedback"), C_("action", "reopen"),
		C_("action", "remind"), C_("action", "edit"),
		C_("action", "refer"), C_("action", "issue")
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ids); i++)
		if (!strcmp(a, ids[i]))
			return words[i];
	return a;
}

/* An event field's name for people, and the vocabulary of its value
 * (-1: shown as it is). */
static const char *field_label(const char *key, int *vocab)
{
	static const struct {
		const char *key;
		int vocab;
	} keys[] = {
		{ "decision", -1 }, { "category", VOC_CATEGORY },
		{ "priority", VOC_PRIORITY }, { "reason", -1 },
		{ "refer_to", -1 }, { "info", -1 }, { "info_due", -1 },
		{ "to", VOC_STAFF }, { "department", VOC_DEPARTMENT },
		{ "co", VOC_DEPARTMENT }, { "due", -1 }, { "transfer", -1 },
		{ "text", -1 }, { "contact", VOC_CHANNEL },
		{ "info_received", -1 }, { "outcome", VOC_OUTCOME },
		{ "notified", VOC_CHANNEL },
		{ "satisfaction", VOC_SATISFACTION }, { "late_reason", -1 },
		{ "on_time", -1 }, { "comment", -1 }, { "into", -1 },
		{ "from", -1 }, { "by", -1 }, { "approved_by", -1 },
		{ "level", -1 }, { "deadline", -1 }, { "attach", -1 },
		{ "previous", -1 }, { "extend_by", -1 }, { "merged", -1 },
		{ "repeat_of", -1 }, { "respondent", -1 }, { "subject", -1 },
		{ "description", -1 }, { "request", -1 }, { "location", -1 },
		{ "occurred", -1 }, { "complainant.name", -1 },
		{ "complainant.phone", -1 }, { "complainant.email", -1 },
		{ "complainant.address", -1 }, { "complainant.count", -1 },
		{ "kind", -1 },
		{ "form", -1 }, { "number", -1 }
	};
	const char *words[] = {
		C_("event field", "decision"), C_("event field", "category"),
		C_("event field", "priority"), C_("event field", "reason"),
		C_("event field", "refer_to"), C_("event field", "info"),
		C_("event field", "info_due"), C_("event field", "to"),
		C_("event field", "department"), C_("event field", "co"),
		C_("event field", "due"), C_("event field", "transfer"),
		C_("event field", "text"), C_("event field", "contact"),
		C_("event field", "info_received"),
		C_("event field", "outcome"), C_("event field", "notified"),
		C_("event field", "satisfaction"),
		C_("event field", "late_reason"), C_("event field", "on_time"),
		C_("event field", "comment"), C_("event field", "into"),
		C_("event field", "from"), C_("event field", "by"),
		C_("event field", "approved_by"), C_("event field", "level"),
		C_("event field", "deadline"), C_("event field", "attach"),
		C_("event field", "previous"), C_("event field", "extend_by"),
		C_("event field", "merged"), C_("event field", "repeat_of"),
		C_("event field", "respondent"), C_("event field", "subject"),
		C_("event field", "description"),
		C_("event field", "request"), C_("event field", "location"),
		C_("event field", "occurred"),
		C_("event field", "complainant.name"),
		C_("event field", "complainant.phone"),
		C_("event field", "complainant.email"),
		C_("event field", "complainant.address"),
		C_("event field", "complainant.count"),
		C_("event field", "kind"),
		C_("event field", "form"), C_("event field", "number")
	};
	size_t i;

	*vocab = -1;
	for (i = 0; i < ARRAY_SIZE(keys); i++) {
		if (strcmp(key, keys[i].key))
			continue;
		*vocab = keys[i].vocab;
		return words[i];
	}
	return key;
}

/* A scalar value of an event field, as people read it. */
static const char *field_value(const struct ctx *ctx, const char *key,
	int vocab, const char *val)
{
	if (vocab >= 0)
		return vocab_label(&ctx->cfg, (enum vocab)vocab, val);
	if (!strcmp(key, "decision")) {
		if (!strcmp(val, "accept"))
			return C_("decision", "accept");
		if (!strcmp(val, "reject"))
			return C_("decision", "reject");
		if (!strcmp(val, "need-info"))
			return C_("decision", "need-info");
	}
	if (!strcmp(key, "deadline")) {
		int k;

		for (k = 0; k < DUE__COUNT; k++)
			if (!strcmp(val, due_names[k]))
				return due_label((enum due_kind)k);
	}
	if (!strcmp(key, "reason") &&
	    config_reject_reason(&ctx->cfg, val))
		return vocab_label(&ctx->cfg, VOC_REJECT_REASON, val);
	if (!strcmp(val, "true"))
		return C_("yes or no", "yes");
	if (!strcmp(val, "false"))
		return C_("yes or no", "no");
	return val;
}

static void show_events(struct sb *out, const struct ctx *ctx,
	const struct dcase *c)
{
	char buf[TS_BUFSZ];
	size_t i, j, k;
	int v;

	sb_addc(out, '\n');
	sb_adds(out, _("Events:"));
	sb_addc(out, '\n');
	for (i = 0; i < c->nevents; i++) {
		const struct event *e = &c->events[i];

		ts_format(buf, e->at);
		sb_addf(out, "  %s  ", buf);
		out_escape(out, vocab_label(&ctx->cfg, VOC_STAFF, e->by), 0);
		sb_adds(out, "  ");
		out_escape(out, action_label(e->action), 0);
		for (j = 0; j < e->nf; j++) {
			const char *key = e->f[j].key;
			size_t len = strlen(key);
			/* edit's "subject.old": the old value of subject */
			int was = len > 4 && !strcmp(key + len - 4, ".old");
			struct sb base = SB_INIT;

			sb_add(&base, key, was ? len - 4 : len);
			sb_adds(out, "  ");
			out_escape(out, field_label(base.buf, &v), 0);
			if (was)
				sb_adds(out, C_("event field", " (was)"));
			sb_release(&base);
			sb_addc(out, '=');
			if (!e->f[j].is_list) {
				out_escape(out, field_value(ctx, e->f[j].key,
					v, e->f[j].val), 0);
				continue;
			}
			for (k = 0; k < e->f[j].nlist; k++) {
				if (k)
					sb_addc(out, ',');
				out_escape(out, v >= 0 ? vocab_label(&ctx->cfg,
					(enum vocab)v, e->f[j].list[k]) :
					e->f[j].list[k], 0);
			}
		}
		sb_addc(out, '\n');
	}
}

/* "12 KB": how big a file is, for people. */
static void human_size(struct sb *out, long long n)
{
	if (n < 1024)
		sb_addf(out, Q_("%lld byte", "%lld bytes", (unsigned long)n), n);
	else if (n < 1024 * 1024)
		sb_addf(out, _("%.1f KB"), (double)n / 1024);
	else
		sb_addf(out, _("%.1f MB"), (double)n / (1024 * 1024));
}

/*
 * The attachments, numbered as `docket attachment ID N` takes them, with
 * their size in the work tree (or that the file is missing there).
 */
static void show_attachments(struct sb *out, const struct ctx *ctx,
	const struct dcase *c)
{
	struct sb tmp = SB_INIT;
	long long size;
	size_t i;

	for (i = 0; i < c->natt; i++) {
		sb_reset(&tmp);
		sb_addf(&tmp, "%zu  %s  (", i + 1, c->att[i].path);
		size = attach_size(ctx->store, c->att[i].path);
		if (size < 0)
			sb_adds(&tmp, _("missing; 'docket check --repair' "
				"restores it"));
		else
			human_size(&tmp, size);
		sb_adds(&tmp, ")");
		line(out, i ? "" : _("Attachments:"), tmp.buf);
	}
	sb_release(&tmp);
}

/* The documents issued (docket print --issue): form, number, when, who. */
static void show_documents(struct sb *out, const struct ctx *ctx,
	const struct dcase *c)
{
	struct sb tmp = SB_INIT;
	char buf[TS_BUFSZ];
	const char *form, *num;
	size_t i;
	int first = 1;

	for (i = 0; i < c->nevents; i++) {
		if (strcmp(c->events[i].action, "issue"))
			continue;
		form = event_get(&c->events[i], "form");
		num = event_get(&c->events[i], "number");
		sb_reset(&tmp);
		ts_format(buf, c->events[i].at);
		/* TRANSLATORS: a document issued: %1$s the form, %2$s its
		   number, %3$s when, %4$s who issued it. */
		sb_addf(&tmp, _("%1$s %2$s, %3$s by %4$s"), form ? form : "?",
			num ? num : "?", buf, vocab_label(&ctx->cfg, VOC_STAFF,
			c->events[i].by));
		line(out, first ? _("Issued:") : "", tmp.buf);
		first = 0;
	}
	sb_release(&tmp);
}

static void show_text(struct sb *out, const struct ctx *ctx,
	const struct dcase *c)
{
	const struct config *cfg = &ctx->cfg;
	char buf[TS_BUFSZ];
	struct sb tmp = SB_INIT, who = SB_INIT;
	size_t i;

	sb_addf(out, "%s  %s  %s\n", c->id,
		vocab_label(cfg, VOC_KIND, case_kind_name(c->kind)),
		vocab_label(cfg, VOC_STATUS, case_status_name(c->status)));
	line(out, _("Subject:"), c->subject);
	line_vocab(out, ctx, _("Channel:"), VOC_CHANNEL, c->channel);
	line(out, _("Ref:"), c->ref);
	ts_format(buf, c->received_at);
	vocab_show(&who, cfg, VOC_STAFF, c->received_by);
	/* TRANSLATORS: when a case was received, and by whom. */
	sb_addf(&tmp, _("%s by %s"), buf, who.buf);
	line(out, _("Received:"), tmp.buf);
	line(out, _("Name:"), c->who.anonymous ? _("(anonymous)") :
		c->who.name);
	line(out, _("Phone:"), c->who.phone);
	line(out, _("Email:"), c->who.email);
	line(out, _("Address:"), c->who.address);
	if (c->who.count > 1) {
		sb_reset(&tmp);
		sb_addf(&tmp, Q_("%ld person", "%ld people",
			(unsigned long)c->who.count), c->who.count);
		line(out, _("Group:"), tmp.buf);
	}
	line(out, _("Respondent:"), c->respondent);
	line(out, _("Location:"), c->location);
	if (c->has_occurred) {
		date_format(buf, c->occurred_on);
		line(out, _("Occurred:"), buf);
	}
	line_vocab(out, ctx, _("Category:"), VOC_CATEGORY, c->category);
	line_vocab(out, ctx, _("Priority:"), VOC_PRIORITY, c->priority);
	line_vocab(out, ctx, _("Department:"), VOC_DEPARTMENT, c->department);
	show_cohandlers(out, ctx, c);
	line_vocab(out, ctx, _("Assignee:"), VOC_STAFF, c->assignee);
	show_due(out, c, ctx->now);
	show_limits(out, ctx, c);
	show_referrals(out, ctx, c);
	for (i = 0; i < c->nrelated; i++)
		line(out, i ? "" : _("Related:"), c->related[i]);
	show_merged(out, c);
	show_attachments(out, ctx, c);
	show_documents(out, ctx, c);
	if (c->closure.present) {
		ts_format(buf, c->closure.at);
		sb_reset(&tmp);
		sb_reset(&who);
		vocab_show(&who, cfg, VOC_STAFF, c->closure.by);
		/* TRANSLATORS: %1$s is the outcome ("resolved"), %2$s when,
		   %3$s who closed the case. */
		sb_addf(&tmp, _("%1$s, %2$s by %3$s"), vocab_label(cfg,
			VOC_OUTCOME, c->closure.outcome), buf, who.buf);
		line(out, _("Closed:"), tmp.buf);
		line(out, _("Satisfaction:"), vocab_label(cfg,
			VOC_SATISFACTION, c->closure.satisfaction));
	}
	block(out, _("Description:"), c->description);
	block(out, _("Request:"), c->request);
	if (c->closure.present)
		block(out, _("Outcome:"), c->closure.summary);
	show_events(out, ctx, c);
	sb_release(&who);
	sb_release(&tmp);
}

int cmd_show(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	const char *format = "yaml";
	struct sb out = SB_INIT;
	struct dcase c;
	json_t *j = NULL;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ "format", OPT_STR, &format, N_("yaml|json|text"),
		  N_("output format (default yaml, the case file; text for "
		  "people)") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	case_init(&c);
	if ((pr = parse_id_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (strcmp(format, "yaml") && strcmp(format, "json") &&
	    strcmp(format, "text")) {
		ret = usage_error(ctx, _("unknown format '%s' (yaml, json, text)"),
			format);
		goto out;
	}
	ret = load_case(ctx, args.v[0], &c, NULL);
	if (ret)
		goto out;
	if (!strcmp(format, "yaml")) {
		case_emit(&out, &c);
	} else if (!strcmp(format, "json")) {
		j = case_to_json(&c);
		json_dump_sb(&out, j, 0);
	} else {
		show_text(&out, ctx, &c);
	}
	ret = emit_stdout(ctx, &out);
out:
	json_decref(j);
	case_release(&c);
	sb_release(&out);
	strlist_release(&args);
	return ret;
}
