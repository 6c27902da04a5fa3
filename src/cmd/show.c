/*
 * show.c - `docket show ID [--format yaml|json|text]`: one case.
 */
#include <stdio.h>
#include <string.h>

#include "attach.h"
#include "cmd.h"
#include "codec.h"
#include "deadline.h"
#include "intl.h"
#include "output.h"

static void line(struct sb *out, const char *label, const char *val)
{
	if (!val || !*val)
		return;
	sb_addf(out, "%-14s", label);
	out_escape(out, val, 0);
	sb_addc(out, '\n');
}

static void block(struct sb *out, const char *label, const char *text)
{
	const char *p, *nl;

	if (!text)
		return;
	sb_addf(out, "\n%s:\n", label);
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

static void show_due(struct sb *out, const struct dcase *c)
{
	char buf[TS_BUFSZ];
	int k, first = 1;

	for (k = 0; k < DUE__COUNT; k++) {
		if (!(c->due.has & (1u << k)))
			continue;
		ts_format(buf, c->due.at[k]);
		sb_addf(out, "%-14s%-9s %s%s\n", first ? "Due:" : "",
			due_names[k], buf,
			deadline_met(c, (enum due_kind)k) ? " (met)" : "");
		first = 0;
	}
}

static void show_events(struct sb *out, const struct dcase *c)
{
	char buf[TS_BUFSZ];
	size_t i, j, k;

	sb_adds(out, "\nEvents:\n");
	for (i = 0; i < c->nevents; i++) {
		const struct event *e = &c->events[i];

		ts_format(buf, e->at);
		sb_addf(out, "  %s  ", buf);
		out_escape(out, e->by, 0);
		sb_adds(out, "  ");
		out_escape(out, e->action, 0);
		for (j = 0; j < e->nf; j++) {
			sb_addf(out, "  %s=", e->f[j].key);
			if (!e->f[j].is_list) {
				out_escape(out, e->f[j].val, 0);
				continue;
			}
			for (k = 0; k < e->f[j].nlist; k++) {
				if (k)
					sb_addc(out, ',');
				out_escape(out, e->f[j].list[k], 0);
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

static void show_text(struct sb *out, const struct ctx *ctx,
	const struct dcase *c)
{
	const struct labelled *ch = config_channel(&ctx->cfg, c->channel);
	char buf[TS_BUFSZ], count[32];
	struct sb tmp = SB_INIT;
	size_t i;

	sb_addf(out, "%s  %s  %s\n", c->id, case_kind_name(c->kind),
		case_status_name(c->status));
	line(out, "Subject:", c->subject);
	sb_addf(&tmp, "%s%s%s%s", c->channel, ch ? " (" : "",
		ch ? ch->label : "", ch ? ")" : "");
	line(out, "Channel:", tmp.buf);
	ts_format(buf, c->received_at);
	sb_reset(&tmp);
	sb_addf(&tmp, "%s by %s", buf, c->received_by);
	line(out, "Received:", tmp.buf);
	line(out, "Name:", c->who.anonymous ? "(anonymous)" : c->who.name);
	line(out, "Phone:", c->who.phone);
	line(out, "Email:", c->who.email);
	line(out, "Address:", c->who.address);
	if (c->who.count > 1) {
		snprintf(count, sizeof(count), "%ld people", c->who.count);
		line(out, "Group:", count);
	}
	line(out, "Respondent:", c->respondent);
	line(out, "Location:", c->location);
	if (c->has_occurred) {
		date_format(buf, c->occurred_on);
		line(out, "Occurred:", buf);
	}
	line(out, "Category:", c->category);
	line(out, "Priority:", c->priority);
	line(out, "Department:", c->department);
	for (i = 0; i < c->nco; i++)
		line(out, i ? "" : "Co-handling:", c->co_departments[i]);
	line(out, "Assignee:", c->assignee);
	show_due(out, c);
	for (i = 0; i < c->nrelated; i++)
		line(out, i ? "" : "Related:", c->related[i]);
	show_attachments(out, ctx, c);
	if (c->closure.present) {
		ts_format(buf, c->closure.at);
		sb_reset(&tmp);
		sb_addf(&tmp, "%s, %s by %s", c->closure.outcome, buf,
			c->closure.by);
		line(out, "Closed:", tmp.buf);
		line(out, "Satisfaction:", c->closure.satisfaction);
	}
	block(out, "Description", c->description);
	block(out, "Request", c->request);
	if (c->closure.present)
		block(out, "Outcome", c->closure.summary);
	show_events(out, c);
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
		{ "format", OPT_STR, &format, "yaml|json|text",
		  "output format (default yaml, the case file)" },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	int ret;

	case_init(&c);
	ret = parse_id_options(ctx, opts, argc, argv, &args);
	if (ret) {
		ret = ret < 0 ? EXIT_OK : ret;
		goto out;
	}
	if (strcmp(format, "yaml") && strcmp(format, "json") &&
	    strcmp(format, "text")) {
		ret = usage_error(ctx, "unknown format '%s' (yaml, json, text)",
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
