/*
 * gc.c - `docket gc`: pack the store's loose objects now (what every
 * writing command does on its own past git's gc.auto, see
 * src/store/gc.c), under the store lock, and say what was done.
 */
#include <stdio.h>

#include "cmd.h"

int cmd_gc(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct gc_result res;
	enum opts_result pr;
	int ret;

	if ((pr = parse_options(ctx, NULL, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (args.n) {
		ret = usage_error(ctx, _("unexpected argument '%s'; gc takes "
			"none"), args.v[0]);
		goto out;
	}
	if (store_gc(ctx->store, &res, &ctx->d)) {
		ret = EXIT_FAIL;
		goto out;
	}
	if (!res.packed)
		inform(ctx, _("no loose objects to pack"));
	else
		/* TRANSLATORS: after `docket gc`: how many git objects went
		   into the new pack, and how many loose files were removed. */
		inform(ctx, _("packed %zu objects; removed %zu loose files"),
			res.packed, res.removed);
	if (res.skipped)
		warn(ctx, _("%zu loose objects could not be read and were "
			"left as they are; 'git fsck' names them"), res.skipped);
	ret = EXIT_OK;
out:
	strlist_release(&args);
	return ret;
}
