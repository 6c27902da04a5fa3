/*
 * triage.c - `docket triage`: the acceptance decision (受理 / 不予受理 /
 * 补充材料) and classification (分类).
 *
 * Without an id it prints the queue of cases awaiting a decision, oldest
 * first.  With an id it accepts, rejects or asks for more information,
 * and/or sets the category and priority; deadlines are recomputed from
 * the events.  --suggest proposes categories from the config's keywords
 * and changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "deadline.h"
#include "labels.h"
#include "output.h"
#include "workflow.h"

#define PROPOSE_MAX 3

struct triage_opts {
	const char *category;
	const char *priority;
	int accept;
	const char *reject;
	const char *refer_to;
	const char *need_info;
	const char *info_due;
	const char *reason;
	int override;
	int suggest;
};

/* ---- the queue ---------------------------------------------------- */

struct queue_row {
	struct ts received;
	char *cells[7];
};

struct queue {
	struct queue_row *rows;
	size_t n, alloc;
};

static int queue_add(struct ctx *ctx, const char *path, struct dcase *c,
	void *data)
{
	struct queue *q = data;
	struct queue_row *r;
	char recv[TS_BUFSZ], due[TS_BUFSZ];

	(void)path;
	if (c->status != ST_RECEIVED && c->status != ST_PENDING_INFO)
		return 0;
	ts_format(recv, c->received_at);
	due[0] = '\0';
	if ((c->due.has & (1u << DUE_ACK)) && !deadline_met(c, DUE_ACK))
		ts_format(due, c->due.at[DUE_ACK]);
	GROW(q->rows, q->alloc, q->n + 1);
	r = &q->rows[q->n++];
	r->received = c->received_at;
	r->cells[0] = xstrdup(c->id);
	r->cells[1] = xstrdup(vocab_label(&ctx->cfg, VOC_STATUS,
		case_status_name(c->status)));
	r->cells[2] = xstrdup(recv);
	r->cells[3] = xstrdup(c->channel ? vocab_label(&ctx->cfg, VOC_CHANNEL,
		c->channel) : "");
	r->cells[4] = xstrdup(vocab_label(&ctx->cfg, VOC_KIND,
		case_kind_name(c->kind)));
	r->cells[5] = xstrdup(due);
	r->cells[6] = xstrdup(c->subject ? c->subject : "");
	return 0;
}

/* Oldest first; the id breaks ties so the order is stable. */
static int row_cmp(const void *a, const void *b)
{
	const struct queue_row *x = a, *y = b;
	int r = ts_cmp(x->received, y->received);

	return r ? r : strcmp(x->cells[0], y->cells[0]);
}

static int show_queue(struct ctx *ctx)
{
	const char *const head[7] = {
		C_("list column", "id"), C_("list column", "status"),
		C_("list column", "received_at"), C_("list column", "channel"),
		C_("list column", "kind"), C_("list column", "ack_due"),
		C_("list column", "subject")
	};
	struct queue q = { NULL, 0, 0 };
	struct table t;
	struct sb out = SB_INIT;
	size_t i, j, skipped = 0;
	int ret;

	table_init(&t, ARRAY_SIZE(head));
	ret = scan_cases(ctx, queue_add, &q, &skipped);
	if (ret)
		goto out;
	if (q.n) {
		xqsort(q.rows, q.n, sizeof(*q.rows), row_cmp);
		table_row(&t, head);
		for (i = 0; i < q.n; i++)
			table_row(&t, (const char *const *)q.rows[i].cells);
		table_render(&out, &t);
	}
	ret = emit_stdout(ctx, &out);
	if (!ret && skipped)
		ret = fail_skipped(ctx, skipped, NULL);
out:
	for (i = 0; i < q.n; i++)
		for (j = 0; j < ARRAY_SIZE(q.rows[i].cells); j++)
			free(q.rows[i].cells[j]);
	free(q.rows);
	table_release(&t);
	sb_release(&out);
	return ret;
}

/* ---- --suggest ---------------------------------------------------- */

struct score {
	size_t cat;		/* index into cfg->categories */
	size_t hits;		/* keywords found */
	size_t bytes;		/* total length: longer is more specific */
	struct sb words;
};

static int found_in(const struct dcase *c, const char *word)
{
	return (c->subject && strstr(c->subject, word)) ||
		(c->description && strstr(c->description, word)) ||
		(c->request && strstr(c->request, word));
}

/* More keywords first, then longer ones, then config order. */
static int score_cmp(const void *a, const void *b)
{
	const struct score *x = a, *y = b;

	if (x->hits != y->hits)
		return x->hits < y->hits ? 1 : -1;
	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return x->cat < y->cat ? -1 : x->cat > y->cat;
}

static void dept_cell(struct sb *out, const struct config *cfg,
	const char *id)
{
	if (id)
		vocab_describe(out, cfg, VOC_DEPARTMENT, id);
}

/* The category's own keywords found in the case. */
static void own_score(struct score *sc, const struct category *cat,
	const struct dcase *c)
{
	size_t k;

	for (k = 0; k < cat->nkeywords; k++) {
		if (!*cat->keywords[k] || !found_in(c, cat->keywords[k]))
			continue;
		sb_addf(&sc->words, "%s%s", sc->hits ? _(", ") : "",
			cat->keywords[k]);
		sc->hits++;
		sc->bytes += strlen(cat->keywords[k]);
	}
}

/*
 * A category is proposed when one of its own keywords occurs; its score
 * adds its parents' matches, since a child refines its parent ("假冒" in
 * a complaint about "复合肥" is fertilizer/fake rather than fertilizer).
 */
static int suggest(struct ctx *ctx, const struct dcase *c)
{
	const char *const head[5] = {
		C_("suggest column", "category"), C_("suggest column", "label"),
		C_("suggest column", "department"),
		C_("suggest column", "score"), C_("suggest column", "matched")
	};
	const struct config *cfg = &ctx->cfg;
	struct score *own = NULL, *s = NULL;
	struct table t;
	struct sb out = SB_INIT, dep = SB_INIT, num = SB_INIT;
	size_t i, n = 0;
	int ret, p;

	own = xcalloc(cfg->ncategories + 1, sizeof(*own));
	s = xcalloc(cfg->ncategories + 1, sizeof(*s));
	for (i = 0; i < cfg->ncategories; i++) {
		sb_init(&own[i].words);
		own_score(&own[i], &cfg->categories[i], c);
	}
	for (i = 0; i < cfg->ncategories; i++) {
		if (!own[i].hits)
			continue;
		s[n].cat = i;
		sb_init(&s[n].words);
		for (p = (int)i; p >= 0; p = cfg->categories[p].parent) {
			if (!own[p].hits)
				continue;
			sb_addf(&s[n].words, "%s%s", s[n].hits ? _(", ") : "",
				own[p].words.buf);
			s[n].hits += own[p].hits;
			s[n].bytes += own[p].bytes;
		}
		n++;
	}
	table_init(&t, ARRAY_SIZE(head));
	if (!n) {
		inform(ctx, _("no category keywords found in case %s; see "
			"'categories' in docket.yaml"), c->id);
		ret = EXIT_OK;
		goto out;
	}
	xqsort(s, n, sizeof(*s), score_cmp);
	table_row(&t, head);
	for (i = 0; i < n && i < PROPOSE_MAX; i++) {
		const struct category *cat = &cfg->categories[s[i].cat];
		const char *cells[5];

		sb_reset(&dep);
		sb_reset(&num);
		dept_cell(&dep, cfg, cat->department);
		sb_addf(&num, "%zu", s[i].hits);
		cells[0] = cat->id;
		cells[1] = cat->label;
		cells[2] = dep.buf;
		cells[3] = num.buf;
		cells[4] = s[i].words.buf;
		table_row(&t, cells);
	}
	table_render(&out, &t);
	ret = emit_stdout(ctx, &out);
out:
	for (i = 0; i < n; i++)
		sb_release(&s[i].words);
	for (i = 0; i < cfg->ncategories; i++)
		sb_release(&own[i].words);
	free(s);
	free(own);
	table_release(&t);
	sb_release(&num);
	sb_release(&dep);
	sb_release(&out);
	return ret;
}

/* ---- decisions ---------------------------------------------------- */

/* --category, --priority and --reject (when docket.yaml lists reasons)
 * as ids or labels, resolved to ids in place. */
static int resolve_config_ids(struct ctx *ctx, struct triage_opts *o)
{
	if (resolve_option(ctx, &o->category, VOCAB(VOC_CATEGORY),
	    "--category") ||
	    resolve_option(ctx, &o->priority, VOCAB(VOC_PRIORITY),
	    "--priority"))
		return EXIT_FAIL;
	if (ctx->cfg.nreject_reasons && resolve_option(ctx, &o->reject,
	    VOCAB(VOC_REJECT_REASON), "--reject"))
		return EXIT_FAIL;
	return 0;
}

static int check_texts(struct ctx *ctx, const struct triage_opts *o)
{
	if (o->reject && check_arg_text(ctx, "--reject", o->reject, LIM_TEXT, 0))
		return EXIT_FAIL;
	if (o->refer_to && check_arg_text(ctx, "--refer-to", o->refer_to,
	    LIM_SUBJECT, 0))
		return EXIT_FAIL;
	if (o->need_info && check_arg_text(ctx, "--need-info", o->need_info,
	    LIM_TEXT, 1))
		return EXIT_FAIL;
	if (o->reason && check_arg_text(ctx, "--reason", o->reason, LIM_TEXT,
	    1))
		return EXIT_FAIL;
	return 0;
}

/* Whether what happened is older than limits.look_back before the case
 * arrived (the labour inspectorate's 2-year rule); *day gets its date. */
static int time_barred(const struct config *cfg, const struct dcase *c,
	char day[DATE_BUFSZ])
{
	struct ts limit;

	if (!c->has_occurred || !cfg->look_back.n)
		return 0;
	limit = cal_add(&cfg->cal, cal_start_of_day(&cfg->cal, c->occurred_on),
		cfg->look_back);
	date_format(day, c->occurred_on);
	return ts_cmp(c->received_at, limit) > 0;
}

/* Warn about a time-barred case still waiting for its decision. */
static void warn_look_back(struct ctx *ctx, const struct dcase *c)
{
	const struct config *cfg = &ctx->cfg;
	char dur[16], day[DATE_BUFSZ];

	if (!time_barred(cfg, c, day))
		return;
	duration_format(dur, cfg->look_back);
	warn(ctx, _("case %s: what it complains about happened on %s, more "
		"than %s (limits.look_back) before it was received; if it is "
		"time-barred, reject it with 'docket triage %s --reject %s'"),
		c->id, day, dur, c->id,
		config_reject_reason(cfg, "time-barred") ? "time-barred" :
		_("REASON"));
}

/*
 * Accepting a time-barred case (超过时效) is refused: the rule decides,
 * not the clerk.  A supervisor may accept it all the same with
 * --override and --reason (a continuing violation, say); the triage
 * event records the override.  Sets *over when it is used.
 */
static int check_look_back(struct ctx *ctx, const struct dcase *c,
	const struct triage_opts *o, int *over)
{
	const struct config *cfg = &ctx->cfg;
	char dur[16], day[DATE_BUFSZ];

	*over = 0;
	if (!time_barred(cfg, c, day))
		return EXIT_OK;
	duration_format(dur, cfg->look_back);
	if (!o->override)
		return fail(ctx, _("case %1$s is time-barred: what it "
			"complains about happened on %2$s, more than %3$s "
			"(limits.look_back) before it was received; reject it "
			"with 'docket triage %1$s --reject %4$s', or a "
			"supervisor may accept it with --override --reason "
			"TEXT"), c->id, day, dur,
			config_reject_reason(cfg, "time-barred") ?
			"time-barred" : _("REASON"));
	if (require_role(ctx, ROLE_SUPERVISOR, C_("may not",
	    "accept a time-barred case")))
		return EXIT_FAIL;
	*over = 1;
	return EXIT_OK;
}

/*
 * 不予受理 after 受理: an accepted case (not yet routed, or returned by
 * its department) found to be outside the office's remit.  Only a
 * supervisor withdraws an acceptance.
 */
static int check_reject_accepted(struct ctx *ctx, const struct dcase *c)
{
	if (c->status != ST_ACCEPTED)
		return EXIT_OK;
	return require_role(ctx, ROLE_SUPERVISOR, C_("may not",
		"reject a case already accepted"));
}

static enum wf_action decision_action(const struct triage_opts *o)
{
	if (o->accept)
		return WF_ACCEPT;
	if (o->reject)
		return WF_REJECT;
	if (o->need_info)
		return WF_NEED_INFO;
	return WF_CLASSIFY;
}

/* Fill the closure of a rejected case: the reason's label, and where
 * the complainant was referred. */
static void close_rejected(struct ctx *ctx, struct dcase *c,
	const struct triage_opts *o)
{
	const struct labelled *r = config_reject_reason(&ctx->cfg, o->reject);
	struct sb sum = SB_INIT;

	sb_adds(&sum, r && r->label ? r->label : o->reject);
	if (o->refer_to)
		/* TRANSLATORS: written into a rejected case's closing
		   summary after the reason: where the complainant was sent. */
		sb_addf(&sum, _("; referred to %s"), o->refer_to);
	c->closure.present = 1;
	c->closure.at = ctx->now;
	set_str(&c->closure.by, ctx->actor);
	set_str(&c->closure.outcome, "rejected");
	set_str(&c->closure.summary, sum.buf);
	sb_release(&sum);
}

static int same(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/*
 * 不予受理 because the material never came: only for a case waiting for
 * it, once the date it was asked for by (--info-due) has passed.
 */
static int check_info_lapsed(struct ctx *ctx, const struct dcase *c,
	const char *reason)
{
	char buf[TS_BUFSZ];
	const char *v = NULL;
	struct ts due;
	size_t i;

	if (strcmp(reason, "info-not-provided"))
		return EXIT_OK;
	if (c->status != ST_PENDING_INFO)
		return fail(ctx, _("case %s is not waiting for material; "
			"'info-not-provided' rejects a case whose material did "
			"not come"), c->id);
	for (i = c->nevents; i-- > 0 && !v;)
		if (!strcmp(c->events[i].action, "triage"))
			v = event_get(&c->events[i], "info_due");
	if (!v || ts_parse(&due, v) || ts_cmp(due, ctx->now) < 0)
		return EXIT_OK;
	ts_format(buf, due);
	return fail(ctx, _("case %s: the material was asked for by %s; until "
		"then it cannot be rejected as not provided"), c->id, buf);
}

/* Apply the decision and classification to the case and record them. */
static int apply(struct ctx *ctx, struct dcase *c, const struct triage_opts *o,
	enum wf_action a, const struct ts *info_due, int over)
{
	struct event *e;
	char buf[TS_BUFSZ];
	int cat_changed = o->category && !same(o->category, c->category);
	int pri_changed = o->priority && !same(o->priority, c->priority);

	if (a == WF_CLASSIFY && !cat_changed && !pri_changed)
		return fail(ctx, _("case %s already has that classification; "
			"nothing to change"), c->id);
	if (o->category)
		set_str(&c->category, o->category);
	if (o->priority)
		set_str(&c->priority, o->priority);
	e = case_add_event(c, ctx->now, ctx->actor, "triage");
	switch (a) {
	case WF_ACCEPT:
		event_set(e, "decision", "accept");
		break;
	case WF_REJECT:
		event_set(e, "decision", "reject");
		break;
	case WF_NEED_INFO:
		event_set(e, "decision", "need-info");
		break;
	default:
		break;
	}
	/* An acceptance records the classification it was made under. */
	if (c->category && (cat_changed || a == WF_ACCEPT))
		event_set(e, "category", c->category);
	if (c->priority && (pri_changed || a == WF_ACCEPT))
		event_set(e, "priority", c->priority);
	if (a == WF_REJECT) {
		event_set(e, "reason", o->reject);
		if (o->refer_to)
			event_set(e, "refer_to", o->refer_to);
		close_rejected(ctx, c, o);
	}
	/* accepted past limits.look_back on a supervisor's word; a reject
	 * of an accepted case names the acceptance it undoes */
	if (over)
		event_set(e, "override", "true");
	if (a == WF_REJECT && c->status == ST_ACCEPTED)
		event_set(e, "previous", "accepted");
	if (o->reason)
		event_set(e, "note", o->reason);
	if (a == WF_NEED_INFO) {
		event_set(e, "info", o->need_info);
		if (info_due) {
			ts_format(buf, *info_due);
			event_set(e, "info_due", buf);
		}
	}
	c->status = wf_target(c->status, a);
	return 0;
}

/* Tell where the category routes, for the assign that follows. */
static void inform_route(struct ctx *ctx, const struct dcase *c)
{
	const struct category *cat;
	struct sb dep = SB_INIT;

	cat = c->category ? config_category(&ctx->cfg, c->category) : NULL;
	if (!cat || !cat->department || c->department)
		return;
	dept_cell(&dep, &ctx->cfg, cat->department);
	/* TRANSLATORS: %1$s is a category ("fertilizer/fake (肥料/假冒伪劣)"),
	   %2$s a department, %3$s the case id, %4$s the department id. */
	inform(ctx, _("category %1$s routes to department %2$s; 'docket "
		"assign %3$s --to %4$s' sends it there"), cat->label_path,
		dep.buf, c->id, cat->department);
	sb_release(&dep);
}

static int decide(struct ctx *ctx, const char *id, struct triage_opts *o)
{
	enum wf_action a = decision_action(o);
	struct ts due, *info_due = NULL;
	struct dcase c;
	int ret = EXIT_FAIL, over = 0;

	case_init(&c);
	if (require_role(ctx, ROLE_TRIAGE, C_("may not", "triage cases")) ||
	    resolve_config_ids(ctx, o) || check_texts(ctx, o))
		goto out;
	if (o->info_due) {
		if (parse_due_when(ctx, o->info_due, &due)) {
			ret = usage_error(ctx, _("--info-due: '%s' is not a time "
				"like 2026-12-01 or \"2026-12-01 17:00\", nor a "
				"time from now like 15d or 5wd"), o->info_due);
			goto out;
		}
		if (ts_cmp(due, ctx->now) <= 0) {
			fail(ctx, _("--info-due: '%s' is not in the future"),
				o->info_due);
			goto out;
		}
		info_due = &due;
	}
	if (load_case_for_write(ctx, id, &c))
		goto out;
	if (wf_check(&ctx->d, &c, a))
		goto out;
	if (a == WF_ACCEPT && ctx->cfg.ncategories && !o->category &&
	    !c.category) {
		fail(ctx, _("case %s has no category: accepting needs one, so "
			"that reports can count it; give --category ID "
			"('docket triage %s --suggest' proposes one)"), c.id,
			c.id);
		goto out;
	}
	if (a == WF_REJECT && (check_info_lapsed(ctx, &c, o->reject) ||
	    check_reject_accepted(ctx, &c)))
		goto out;
	if (a == WF_ACCEPT && check_look_back(ctx, &c, o, &over))
		goto out;
	if (apply(ctx, &c, o, a, info_due, over))
		goto out;
	update_deadlines(ctx, &c);
	if (c.status == ST_RECEIVED || c.status == ST_PENDING_INFO)
		warn_look_back(ctx, &c);
	if (save_case(ctx, &c, "triage", NULL, 0))
		goto out;
	if (a != WF_REJECT)
		inform_route(ctx, &c);
	ret = EXIT_OK;
out:
	case_release(&c);
	return ret;
}

static int run_suggest(struct ctx *ctx, const char *id)
{
	struct dcase c;
	int ret;

	if (load_case(ctx, id, &c, NULL))
		return EXIT_FAIL;
	warn_look_back(ctx, &c);
	ret = suggest(ctx, &c);
	case_release(&c);
	return ret;
}

/* Usage checks that need no store. */
static int check_usage(struct ctx *ctx, const struct triage_opts *o,
	const struct strlist *args)
{
	int decisions = !!o->accept + !!o->reject + !!o->need_info;
	int classify = o->category || o->priority;

	if (args->n > 1)
		return usage_error(ctx, _("unexpected argument '%s'; triage "
			"takes one case id"), args->v[1]);
	if (decisions > 1)
		return usage_error(ctx, _("give at most one of --accept, "
			"--reject and --need-info"));
	if (o->refer_to && !o->reject)
		return usage_error(ctx, _("--refer-to goes with --reject"));
	if (o->info_due && !o->need_info)
		return usage_error(ctx, _("--info-due goes with --need-info"));
	if (o->override && !o->accept)
		return usage_error(ctx, _("--override goes with --accept (to "
			"accept a time-barred case)"));
	if (o->override && !o->reason)
		return usage_error(ctx, _("--override needs --reason TEXT: why "
			"the case is accepted all the same"));
	if (o->suggest && (decisions || classify))
		return usage_error(ctx, _("--suggest changes nothing; give it "
			"with a case id only"));
	if (!args->n && (decisions || classify || o->suggest))
		return usage_error(ctx, _("which case? give its id, e.g. "
			"'docket triage 2026-000123 --accept'"));
	if (args->n && !decisions && !classify && !o->suggest)
		return usage_error(ctx, _("nothing to do: give --accept, "
			"--reject REASON, --need-info WHAT, --category ID, "
			"--priority ID or --suggest"));
	return 0;
}

int cmd_triage(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct triage_opts o;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL },
		{ "category", OPT_STR, &o.category, N_("ID"),
		  N_("classify the case (an id or label from docket.yaml)") },
		{ "priority", OPT_STR, &o.priority, N_("ID"),
		  N_("set its priority, id or label (e.g. urgent)") },
		{ "accept", OPT_FLAG, &o.accept, NULL,
		  N_("accept the case (受理); needs a category") },
		{ "override", OPT_FLAG, &o.override, NULL,
		  N_("with --accept: a supervisor accepts a case past "
		     "limits.look_back (recorded as an override)"), OPT_SUB },
		{ "reject", OPT_STR, &o.reject, N_("REASON"),
		  N_("do not accept it (不予受理): a reject_reasons id or "
		  "label"), OPT_ALT },
		{ "refer-to", OPT_STR, &o.refer_to, N_("WHO"),
		  N_("with --reject: where the complainant was referred"), OPT_SUB },
		{ "need-info", OPT_STR, &o.need_info, N_("WHAT"),
		  N_("ask for more material (补充材料); stops the clock"), OPT_ALT },
		{ "info-due", OPT_STR, &o.info_due, N_("WHEN"),
		  N_("with --need-info: by when it is wanted"), OPT_SUB },
		{ "reason", OPT_STR, &o.reason, N_("TEXT"),
		  N_("why: needed with --override, recorded with any "
		     "decision") },
		{ "suggest", OPT_FLAG, &o.suggest, NULL,
		  N_("propose categories from keywords; changes nothing") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	memset(&o, 0, sizeof(o));
	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if ((ret = check_usage(ctx, &o, &args)))
		goto out;
	if (!args.n)
		ret = show_queue(ctx);
	else if (o.suggest)
		ret = run_suggest(ctx, args.v[0]);
	else
		ret = decide(ctx, args.v[0], &o);
out:
	strlist_release(&args);
	return ret;
}
