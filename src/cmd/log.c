/*
 * log.c - `docket log ID`: the git history of one case, newest first:
 * commit, time, actor, action.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "output.h"

int cmd_log(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct log_entry *v = NULL;
	struct table t;
	struct sb out = SB_INIT;
	char path[CASE_PATH_BUFSZ], when[TS_BUFSZ], oid[12];
	const char *cells[5];
	size_t n = 0, i;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	table_init(&t, 5);
	if ((pr = parse_id_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	ret = EXIT_FAIL;
	if (!case_id_valid(args.v[0]) || case_path(path, args.v[0])) {
		fail(ctx, _("'%s' is not a case id (like 2026-000123)"), args.v[0]);
		goto out;
	}
	if (!store_exists_head(ctx->store, path)) {
		fail(ctx, _("case '%s' not found"), args.v[0]);
		goto out;
	}
	if (store_log(&v, &n, ctx->store, args.v[0], &ctx->d))
		goto out;
	for (i = 0; i < n; i++) {
		snprintf(oid, sizeof(oid), "%.10s", v[i].oid);
		ts_format(when, cal_zoned(&ctx->cfg.cal, v[i].when.t));
		cells[0] = oid;
		cells[1] = when;
		cells[2] = v[i].actor ? v[i].actor : v[i].author;
		cells[3] = v[i].action ? v[i].action : "";
		cells[4] = v[i].subject;
		table_row(&t, cells);
	}
	table_render(&out, &t);
	ret = emit_stdout(ctx, &out);
out:
	log_entries_free(v, n);
	table_release(&t);
	sb_release(&out);
	strlist_release(&args);
	return ret;
}
