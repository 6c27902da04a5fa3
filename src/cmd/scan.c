/*
 * scan.c - the scan engine (src/scan.c) for the commands: their
 * callbacks take the command's context, and what the engine finds
 * wrong with a file is said here, on standard error, in path order.
 */
#include <string.h>

#include "cmd.h"
#include "scan.h"

/* One scan of a command: its callbacks and the context they get. */
struct cmd_scan {
	struct ctx *ctx;
	scan_fn fn;
	scan_mapped_fn mapped;
	scan_every_fn every;
	const struct scan_map *m;
	void *data;
};

static void source_of(struct scan_src *src, struct ctx *ctx)
{
	src->store = ctx->store;
	src->cfg = &ctx->cfg;
	src->threads = 0;
}

/* A file that gives no case: each message, then on with the scan. */
static void say_skipped(void *data, const char *path, const struct diag *bad)
{
	struct cmd_scan *cs = data;
	size_t j;

	(void)path;
	for (j = 0; j < bad->n; j++)
		inform(cs->ctx, _("skipped %s"), bad->msg[j]);
}

static void say_duplicate(void *data, const char *path, const char *id,
	const char *want)
{
	struct cmd_scan *cs = data;

	warn(cs->ctx, _("%s holds case %s, which is already in %s: counted "
		"once; 'docket check' names them"), path, id, want);
}

static int call_fn(void *data, const char *path, struct dcase *c, void *out)
{
	struct cmd_scan *cs = data;

	if (cs->mapped)
		return cs->mapped(cs->ctx, path, c, out, cs->data);
	return cs->fn(cs->ctx, path, c, cs->data);
}

/* Any thread: the command's map, with the context it reads. */
static void call_map(void *out, const struct dcase *c, const void *arg)
{
	const struct cmd_scan *cs = arg;

	cs->m->map(out, cs->ctx, c, cs->m->arg);
}

static int call_every(void *data, const char *path, struct dcase *c,
	const struct scan_info *info)
{
	struct cmd_scan *cs = data;

	return cs->every(cs->ctx, path, c, info, cs->data);
}

/* The engine's own failure is in ctx->d; a callback's status stays. */
static int run(struct cmd_scan *cs, size_t *skipped)
{
	struct scan_each each;
	struct scan_src src;
	int ret;

	memset(&each, 0, sizeof(each));
	if (cs->m) {
		each.size = cs->m->size;
		each.map = call_map;
		each.release = cs->m->release;
		each.arg = cs;
	}
	each.fn = call_fn;
	each.skip = say_skipped;
	each.duplicate = say_duplicate;
	each.data = cs;
	source_of(&src, cs->ctx);
	ret = scan_store(&src, &each, skipped, &cs->ctx->d);
	return ret < 0 ? EXIT_FAIL : ret;
}

int scan_cases(struct ctx *ctx, scan_fn fn, void *data, size_t *skipped)
{
	struct cmd_scan cs = { ctx, fn, NULL, NULL, NULL, data };

	return run(&cs, skipped);
}

int scan_cases_map(struct ctx *ctx, const struct scan_map *m,
	scan_mapped_fn fn, void *data, size_t *skipped)
{
	struct cmd_scan cs = { ctx, NULL, fn, NULL, m, data };

	return run(&cs, skipped);
}

int scan_every_file(struct ctx *ctx, scan_every_fn fn, void *data)
{
	struct cmd_scan cs = { ctx, NULL, NULL, fn, NULL, data };
	struct scan_src src;
	int ret;

	source_of(&src, ctx);
	ret = scan_store_every(&src, call_every, &cs, &ctx->d);
	return ret < 0 ? EXIT_FAIL : ret;
}
