/*
 * merge-driver.c - `docket merge-driver BASE OURS THEIRS [PATH]`: the
 * merge driver git runs for case files (.gitattributes: `cases/...
 * merge=docket`; .git/config: merge.docket.driver, set by init and
 * clone), so a plain `git merge` or `git pull` merges cases field by
 * field exactly as `docket sync` does.  Git's contract: the result goes
 * into OURS; exit 0 for a clean merge, non-zero to leave the file
 * conflicted (then OURS is left as it was: never conflict markers).
 */
#include <stdio.h>

#include "casemerge.h"
#include "cmd.h"

static int read_side(struct ctx *ctx, const char *path, struct sb *out)
{
	return read_regular(out, path, LIM_CASEFILE + 1, &ctx->d) ?
		EXIT_FAIL : EXIT_OK;
}

int cmd_merge_driver(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct sb b = SB_INIT, o = SB_INIT, t = SB_INIT, out = SB_INIT;
	struct casemerge_info info;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("BASE"), NULL, OPT_REQ },
		{ NULL, OPT_OPERAND, NULL, N_("OURS"), NULL, OPT_REQ },
		{ NULL, OPT_OPERAND, NULL, N_("THEIRS"), NULL, OPT_REQ },
		{ NULL, OPT_OPERAND, NULL, N_("PATH"), NULL },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	const char *name;
	enum opts_result pr;
	int ret;

	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (args.n < 3 || args.n > 4) {
		ret = usage_error(ctx, _("needs the files BASE OURS THEIRS "
			"(git's %%O %%A %%B) and optionally PATH (%%P)"));
		goto out;
	}
	name = args.n == 4 ? args.v[3] : args.v[1];
	ret = EXIT_FAIL;
	if (read_side(ctx, args.v[0], &b) || read_side(ctx, args.v[1], &o) ||
	    read_side(ctx, args.v[2], &t))
		goto out;
	/* git hands an empty ancestor when both sides added the file */
	if (case_merge3(&out, b.len ? b.buf : NULL, b.len, o.buf, o.len,
	    t.buf, t.len, name, &info, &ctx->d))
		goto out;
	if (write_file_atomic(args.v[1], out.buf, out.len, 0600, AW_SYNC,
	    &ctx->d))
		goto out;
	if (info.decided_twice)
		warn(ctx, _("%s: decided at both sites; a supervisor should "
			"look at it (docket check names it)"), name);
	ret = EXIT_OK;
out:
	sb_release(&b);
	sb_release(&o);
	sb_release(&t);
	sb_release(&out);
	strlist_release(&args);
	return ret;
}
