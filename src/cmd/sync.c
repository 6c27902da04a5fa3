/*
 * sync.c - `docket sync [REMOTE] [--no-push]`: join this office's work
 * with the others' through a shared git repository (DESIGN section 14).
 *
 * Fetch and push run without the store lock (a slow network must not
 * stop the intake desk); the merge runs under it, as one action.  The
 * whole sync holds .git/docket-sync.lock, so two syncs of one store
 * take turns and a sync killed mid-fetch leaves nothing in the way.  A push
 * the remote refuses because another office pushed first is retried by
 * fetching and merging again, a few times.
 *
 * Before that, the answers of other offices' stores come in: a case sent
 * to one with `docket refer --to-store` and not yet answered is looked up
 * there (a fetch of that remote), and once that office has closed or
 * rejected it, a note with --reply-from its body records the outcome
 * here, so the push that follows carries it.  Only the store that sent
 * them looks (docket.referrals in its .git/config): reading every case
 * at each sync would slow the others for nothing.
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

#define SYNC_TRIES 5

static int merge_once(struct ctx *ctx, const char *remote,
	const char *branch, struct sync_stats *st)
{
	struct signer sig;
	int ret;

	if (ctx->lock(ctx))
		return EXIT_FAIL;
	actor_signer(ctx, &sig);
	ret = store_sync_merge(ctx->store, remote, branch, &sig, ctx->actor,
		st, &ctx->d) ? EXIT_FAIL : EXIT_OK;
	store_unlock(ctx->store);
	return ret;
}

/* A case sent to another store, still waiting for its answer. */
struct pending {
	char *id;		/* here */
	char *remote, *their, *body;
};

struct pendings {
	struct pending *v;
	size_t n, alloc;
};

/* scan_cases: the open cases' --to-store referrals not yet answered. */
static int find_pending(struct ctx *ctx, const char *path, struct dcase *c,
	void *data)
{
	struct pendings *p = data;
	struct referral *v = NULL;
	size_t i, n;

	(void)ctx;
	(void)path;
	if (!case_status_open(c->status))
		return 0;
	n = case_referrals(c, &v);
	for (i = 0; i < n; i++) {
		if (v[i].answered || !v[i].store || !v[i].their)
			continue;
		GROW(p->v, p->alloc, p->n + 1);
		p->v[p->n].id = xstrdup(c->id);
		p->v[p->n].remote = xstrdup(v[i].store);
		p->v[p->n].their = xstrdup(v[i].their);
		p->v[p->n].body = xstrdup(v[i].to);
		p->n++;
	}
	free(v);
	return 0;
}

static void pendings_release(struct pendings *p)
{
	size_t i;

	for (i = 0; i < p->n; i++) {
		free(p->v[i].id);
		free(p->v[i].remote);
		free(p->v[i].their);
		free(p->v[i].body);
	}
	free(p->v);
}

/* Their case, if that office has decided it: the note's text. */
static int their_answer(struct ctx *ctx, const struct pending *p,
	const char *branch, struct sb *text)
{
	char path[CASE_PATH_BUFSZ];
	struct sb buf = SB_INIT;
	struct diag d = DIAG_INIT;
	struct dcase c;
	git_oid tip;
	int found = 0;

	case_init(&c);
	if (case_path(path, p->their) ||
	    remote_read(&buf, &tip, ctx->store, p->remote, branch, path, &d) ||
	    case_parse(&c, buf.buf, buf.len, path, &d))
		goto out;
	if (c.status == ST_CLOSED && c.closure.present) {
		/* TRANSLATORS: the answer of another office's store, as a
		   note: "县市场监管局 closed its case 2026-000031
		   (resolved): 已立案查处". */
		sb_addf(text, _("%s closed its case %s (%s): %s"), p->body,
			p->their, vocab_label(&ctx->cfg, VOC_OUTCOME,
			c.closure.outcome ? c.closure.outcome : ""),
			c.closure.summary ? c.closure.summary : "");
		found = 1;
	} else if (c.status == ST_REJECTED) {
		sb_addf(text, _("%s did not accept its case %s: %s"), p->body,
			p->their, c.closure.summary ? c.closure.summary : "");
		found = 1;
	}
out:
	case_release(&c);
	diag_release(&d);
	sb_release(&buf);
	return found;
}

/* Record one answer as a note on the case here. */
static int record_answer(struct ctx *ctx, const struct pending *p,
	const char *text)
{
	struct dcase c;
	struct event *e;
	int ret = EXIT_FAIL;

	case_init(&c);
	if (load_case_for_write(ctx, p->id, &c))
		goto out;
	e = case_add_event(&c, ctx->now, ctx->actor, "note");
	event_set(e, "text", text);
	event_set(e, "reply_from", p->body);
	if (!save_case(ctx, &c, "note", NULL, 0)) {
		printf(_("case %s: the answer of %s is in\n"), p->id, p->body);
		ret = EXIT_OK;
	}
out:
	case_release(&c);
	return ret;
}

/*
 * The answers of other offices' stores to cases sent there: each remote
 * named by a waiting referral is fetched once; a remote that cannot be
 * reached is named and the sync goes on (the answer comes next time).
 */
static int answers_from_stores(struct ctx *ctx, const char *branch,
	int progress)
{
	struct pendings p = { NULL, 0, 0 };
	struct strlist fetched = STRLIST_INIT, failed = STRLIST_INIT;
	struct sb text = SB_INIT;
	char *on = store_git_config(ctx->store, REFER_CONFIG);
	size_t i, skipped = 0;
	int ret = EXIT_OK, locked = 0;

	/* only a store that sent cases to others reads them all for it */
	if (!on || strcmp(on, "true") ||
	    scan_cases(ctx, find_pending, &p, &skipped) || !p.n)
		goto out;
	for (i = 0; i < p.n && !ret; i++) {
		const char *r = p.v[i].remote;

		if (strlist_has(&failed, r))
			continue;
		if (!strlist_has(&fetched, r)) {
			if (remote_fetch(ctx->store, r, branch, progress,
			    &ctx->d)) {
				warn(ctx, _("the answers of %s were not "
					"fetched; the next sync tries again"),
					r);
				diag_clear(&ctx->d);
				strlist_push(&failed, r);
				continue;
			}
			strlist_push(&fetched, r);
		}
		sb_reset(&text);
		if (!their_answer(ctx, &p.v[i], branch, &text))
			continue;
		if (!locked && ctx->lock(ctx)) {
			ret = EXIT_FAIL;
			break;
		}
		locked = 1;
		ret = record_answer(ctx, &p.v[i], text.buf);
	}
	if (locked)
		store_unlock(ctx->store);
out:
	free(on);
	pendings_release(&p);
	strlist_release(&fetched);
	strlist_release(&failed);
	sb_release(&text);
	return ret;
}

/* 1 if git knows the remote (remote.NAME.url). */
static int has_remote(struct ctx *ctx, const char *name)
{
	struct sb key = SB_INIT;
	char *url;

	sb_addf(&key, "remote.%s.url", name);
	url = store_git_config(ctx->store, key.buf);
	sb_release(&key);
	free(url);
	return url != NULL;
}

static void say_merged(const char *remote, const struct sync_stats *st)
{
	if (st->up_to_date)
		return;
	if (st->fast_forward)
		printf(_("took %zu changed file(s) from %s\n"), st->files,
			remote);
	else
		printf(_("merged with %s: %zu file(s) changed, %zu case(s) "
			"merged field by field\n"), remote, st->files,
			st->merged);
	if (st->decided_twice)
		printf(_("%zu case(s) were decided at both sites; 'docket "
			"check' names them for a supervisor\n"),
			st->decided_twice);
}

int cmd_sync(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct sync_stats st;
	const char *remote = "origin";
	char *branch = NULL;
	int no_push = 0, rejected = 1, tries, progress, timeout, ret;
	enum opts_result pr;
	int sfd = -1;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("REMOTE"), NULL },
		{ "no-push", OPT_FLAG, &no_push, NULL,
		  N_("fetch and merge only; send nothing") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};

	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (args.n > 1) {
		ret = usage_error(ctx, _("too many arguments"));
		goto out;
	}
	if (args.n)
		remote = args.v[0];
	ret = EXIT_FAIL;
	branch = store_branch(ctx->store);
	if (!branch) {
		fail(ctx, _("HEAD is detached; check out the store's branch "
			"with git first"));
		goto out;
	}
	if (lock_timeout(ctx, &timeout))
		goto out;
	if (store_flock(&sfd, ctx->store, REMOTE_SYNC_LOCK, timeout,
	    "docket sync", &ctx->d)) {
		fail(ctx, _("another 'docket sync' of this store is still "
			"running; nothing was changed"));
		goto out;
	}
	progress = isatty(STDERR_FILENO) ? REMOTE_PROGRESS : REMOTE_QUIET;
	if (answers_from_stores(ctx, branch, progress))
		goto out;
	if (!args.n && !has_remote(ctx, remote)) {
		/* an office of its own that only sends cases to others */
		printf(_("no remote 'origin' to sync with; the answers of "
			"other stores are in\n"));
		ret = EXIT_OK;
		goto out;
	}
	for (tries = 0; tries < SYNC_TRIES && rejected; tries++) {
		if (remote_fetch(ctx->store, remote, branch, progress,
		    &ctx->d))
			goto out;
		remote_track(ctx->store, remote, branch);
		if (merge_once(ctx, remote, branch, &st))
			goto out;
		say_merged(remote, &st);
		if (no_push)
			break;
		if (remote_push(ctx->store, remote, branch, &rejected,
		    progress, &ctx->d))
			goto out;
	}
	if (!no_push && rejected) {
		fail(ctx, _("%s kept moving while this store synced (%d "
			"tries); run 'docket sync' again"), remote, SYNC_TRIES);
		goto out;
	}
	printf(no_push ? _("in step with what %s had\n") :
		_("in step with %s\n"), remote);
	ret = EXIT_OK;
out:
	store_funlock(sfd);
	free(branch);
	strlist_release(&args);
	return ret;
}
