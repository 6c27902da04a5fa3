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
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cmd.h"
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
	int sfd = -1;
	struct opt opts[] = {
		{ "no-push", OPT_FLAG, &no_push, NULL,
		  N_("fetch and merge only; send nothing") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};

	ret = parse_options(ctx, opts, argc, argv, &args);
	if (ret) {
		ret = ret < 0 ? EXIT_OK : ret;
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
