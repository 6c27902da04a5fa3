/*
 * refer.c - `docket refer ID --to BODY [--due WHEN] --reason TEXT`: send
 * a case to a body outside the office (转办 to another authority, an
 * escalation to the township or the city, a 12345 work order sent back),
 * with the date its answer is expected.  The case stays open: the answer
 * comes back as `note --reply-from BODY`, and only `close` ends it.
 *
 * With --to-store REMOTE the body keeps its own docket store, reached as
 * a git remote of this one: the case is filed there too (one commit on
 * top of its branch, pushed; its `ref` is this case's id, its file event
 * names the case it came from and the answer's due date), and `docket
 * sync` brings its closing back as the answer (sync.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "codec.h"
#include "deadline.h"
#include "labels.h"
#include "remote.h"

#define REFER_TRIES 3

struct refer_opts {
	const char *to;
	const char *store;
	const char *due;
	const char *reason;
};

/* What a case filed in another store became: its id, and the body. */
struct sent {
	char id[CASE_ID_BUFSZ];
	char *body;
};

/* The channel it arrives by there: "referral" when that store has one,
 * else the channel it came by here, else that store's first. */
static const char *their_channel(const struct config *them,
	const struct dcase *c)
{
	if (config_channel(them, "referral"))
		return "referral";
	if (c->channel && config_channel(them, c->channel))
		return c->channel;
	return them->nchannels ? them->channels[0].id : c->channel;
}

/* The case as the other store files it: what was complained of and by
 * whom, received now, deadlines by that store's rules. */
static void build_sent(struct ctx *ctx, struct dcase *n,
	const struct config *them, const struct dcase *c, const char *id,
	const struct ts *due)
{
	char buf[TS_BUFSZ];
	struct event *e;

	set_str(&n->id, id);
	n->kind = c->kind;
	n->status = ST_RECEIVED;
	set_str(&n->subject, c->subject);
	set_str(&n->channel, their_channel(them, c));
	set_str(&n->ref, c->id);
	n->received_at = ctx->now;
	set_str(&n->received_by, ctx->actor);
	set_str(&n->who.name, c->who.name);
	set_str(&n->who.phone, c->who.phone);
	set_str(&n->who.email, c->who.email);
	set_str(&n->who.address, c->who.address);
	n->who.anonymous = c->who.anonymous;
	n->who.count = c->who.count;
	n->collective = c->collective;
	set_str(&n->respondent, c->respondent);
	set_str(&n->location, c->location);
	n->has_occurred = c->has_occurred;
	n->occurred_on = c->occurred_on;
	set_str(&n->description, c->description);
	set_str(&n->request, c->request);
	if (them->default_priority)
		set_str(&n->priority, them->default_priority);
	deadline_set(them, n, 1u << DUE_ACK | 1u << DUE_FEEDBACK,
		n->received_at);
	e = case_add_event(n, ctx->now, ctx->actor, "file");
	event_set(e, "referred_from", c->id);
	if (ctx->cfg.organization)
		event_set(e, "from", ctx->cfg.organization);
	if (due) {
		ts_format(buf, *due);
		event_set(e, "answer_due", buf);
	}
}

/* The id the case gets there: that store's prefix (its first site's, if
 * it has sites), the year of now there, the next free number. */
static int their_id(struct ctx *ctx, const struct config *them,
	const char *remote, const char *branch, char id[CASE_ID_BUFSZ])
{
	const char *prefix = them->nsites ? them->sites[0].prefix :
		them->id_prefix;
	int year = cal_local_date(&them->cal, ctx->now).y;
	long seq;

	if (remote_next_seq(&seq, ctx->store, remote, branch, prefix, year,
	    &ctx->d))
		return EXIT_FAIL;
	if (seq > 999999 || case_id_make(id, prefix, year, seq))
		return fail(ctx, _("%s has no case numbers left for %d"),
			remote, year);
	return EXIT_OK;
}

/* One try: fetch, file the case on top of what came, push. */
static int send_once(struct ctx *ctx, const char *remote, const char *branch,
	const struct dcase *c, const struct ts *due, struct sent *out,
	int *rejected)
{
	struct config them;
	struct dcase n;
	struct sb text = SB_INIT, yaml = SB_INIT, msg = SB_INIT;
	struct signer sig;
	char path[CASE_PATH_BUFSZ];
	git_oid tip;
	int ret = EXIT_FAIL, progress;

	progress = isatty(STDERR_FILENO) ? REMOTE_PROGRESS : REMOTE_QUIET;
	config_init(&them);
	case_init(&n);
	if (remote_fetch(ctx->store, remote, branch, progress, &ctx->d))
		goto out;
	if (remote_read(&text, &tip, ctx->store, remote, branch,
	    "docket.yaml", &ctx->d)) {
		fail(ctx, _("%s has no docket.yaml on its branch %s: it is "
			"not a docket store"), remote, branch);
		goto out;
	}
	config_release(&them);
	if (config_parse(&them, text.buf, text.len, "docket.yaml", &ctx->d)) {
		fail(ctx, _("the docket.yaml of %s cannot be read; nothing "
			"was sent"), remote);
		goto out;
	}
	if (their_id(ctx, &them, remote, branch, out->id))
		goto out;
	build_sent(ctx, &n, &them, c, out->id, due);
	case_emit(&yaml, &n);
	if (case_path(path, out->id))
		goto out;
	sb_addf(&msg, "file %s: referred from %s\n\nCase: %s\nAction: file\n"
		"Actor: %s\n", out->id, c->id, out->id, ctx->actor);
	actor_signer(ctx, &sig);
	if (remote_add_file(ctx->store, &tip, path, yaml.buf, yaml.len,
	    msg.buf, &sig, &ctx->d) ||
	    remote_push_ref(ctx->store, remote, REMOTE_REFER_REF, branch,
	    rejected, progress, &ctx->d))
		goto out;
	if (!out->body)
		out->body = xstrdup(them.organization && *them.organization ?
			them.organization : remote);
	ret = EXIT_OK;
out:
	case_release(&n);
	config_release(&them);
	sb_release(&msg);
	sb_release(&yaml);
	sb_release(&text);
	return ret;
}

/* File c in the store behind git remote `remote`, retrying when another
 * office pushed there first. */
static int send_to_store(struct ctx *ctx, const char *remote,
	const struct dcase *c, const struct ts *due, struct sent *out)
{
	char *branch = store_branch(ctx->store);
	int sfd = -1, timeout, rejected = 1, tries, ret = EXIT_FAIL;

	if (!branch) {
		fail(ctx, _("HEAD is detached; check out the store's branch "
			"with git first"));
		goto out;
	}
	if (lock_timeout(ctx, &timeout) ||
	    store_flock(&sfd, ctx->store, REMOTE_SYNC_LOCK, timeout,
	    "docket refer", &ctx->d))
		goto out;
	for (tries = 0; tries < REFER_TRIES && rejected; tries++)
		if (send_once(ctx, remote, branch, c, due, out, &rejected))
			goto out;
	if (rejected) {
		fail(ctx, _("%s kept moving (%d tries); nothing was sent, run "
			"the command again"), remote, REFER_TRIES);
		goto out;
	}
	/* docket sync looks for answers only in a store that sent cases:
	 * reading every case at each sync would cost the others */
	if (store_set_git_config(ctx->store, REFER_CONFIG, "true", &ctx->d))
		warn(ctx, _("docket sync will not look for the answer until "
			"'git config %s true' is set"), REFER_CONFIG);
	diag_clear(&ctx->d);
	ret = EXIT_OK;
out:
	store_delete_ref(ctx->store, REMOTE_REFER_REF);
	store_funlock(sfd);
	free(branch);
	return ret;
}

static int refer(struct ctx *ctx, const char *id, const struct refer_opts *o)
{
	char buf[TS_BUFSZ];
	struct event *e;
	struct sent sent = { "", NULL };
	struct dcase c;
	struct ts due;
	int ret = EXIT_FAIL;

	case_init(&c);
	if (require_role(ctx, ROLE_TRIAGE | ROLE_SUPERVISOR,
	    C_("may not", "refer cases outside")) ||
	    (o->to && check_arg_text(ctx, "--to", o->to, LIM_NAME, 1)) ||
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
	if (o->store && send_to_store(ctx, o->store, &c, o->due ? &due : NULL,
	    &sent))
		goto out;
	e = case_add_event(&c, ctx->now, ctx->actor, "refer");
	event_set(e, "to", o->to ? o->to : sent.body);
	if (o->store) {
		/* recorded once it is there: the other store has the case */
		event_set(e, "store", o->store);
		event_set(e, "case", sent.id);
	}
	if (o->due) {
		ts_format(buf, due);
		event_set(e, "due", buf);
	}
	event_set(e, "reason", o->reason);
	if (save_case(ctx, &c, "refer", NULL, 0))
		goto out;
	if (o->store)
		printf("%s\n", sent.id);
	ret = EXIT_OK;
out:
	free(sent.body);
	case_release(&c);
	return ret;
}

int cmd_refer(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct refer_opts o = { NULL, NULL, NULL, NULL };
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ "to-store", OPT_STR, &o.store, N_("REMOTE"),
		  N_("the body keeps a docket store, this store's git remote "
		  "REMOTE: file the case there too") },
		{ "to", OPT_STR, &o.to, N_("BODY"),
		  N_("the body outside the office: another authority, the "
		  "township, the city's 12345 centre") },
		{ "due", OPT_STR, &o.due, N_("WHEN"),
		  N_("when its answer is expected (a date, or 10wd from now)") },
		{ "reason", OPT_STR, &o.reason, N_("TEXT"),
		  N_("why it goes there (required)"), OPT_REQ },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret = EXIT_OK;

	if ((pr = parse_id_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (!o.to && !o.store)
		ret = usage_error(ctx, _("--to BODY or --to-store REMOTE is "
			"required: where the case goes"));
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
