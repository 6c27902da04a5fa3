/*
 * hook.c - `docket hook pre-receive`: the central bare repository's
 * guard (DESIGN section 14).  git runs it with one line per ref on
 * standard input ("OLD NEW REF"); a non-zero exit refuses the whole
 * push, and what it prints reaches the pusher's terminal ("remote: ").
 *
 * Installed on a plain bare repository as hooks/pre-receive:
 *   #!/bin/sh
 *   exec docket hook pre-receive
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "remote.h"

/* Who pushes: docket's own variable, else what the server says. */
static const char *pusher(void)
{
	static const char *const vars[] = { "DOCKET_PUSHER", "GL_USERNAME",
		"GITEA_PUSHER_NAME", "REMOTE_USER", NULL };
	const char *v;
	size_t i;

	for (i = 0; vars[i]; i++)
		if ((v = getenv(vars[i])) && *v)
			return v;
	return NULL;
}

static int pre_receive(struct ctx *ctx)
{
	const char *gitdir = getenv("GIT_DIR");
	char line[1024], old[64], new[64], ref[800];
	char *site;
	int ret = EXIT_OK;

	if (!gitdir || !*gitdir)
		gitdir = ".";
	site = store_pusher_site(gitdir, pusher());
	while (fgets(line, sizeof(line), stdin)) {
		if (sscanf(line, "%63s %63s %799s", old, new, ref) != 3)
			continue;
		if (store_check_push(gitdir, old, new, ref, site, &ctx->d))
			ret = EXIT_FAIL;
	}
	free(site);
	return ret;
}

int cmd_hook(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, "pre-receive", NULL, OPT_REQ },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (args.n != 1 || strcmp(args.v[0], "pre-receive")) {
		ret = usage_error(ctx, _("the only hook is 'pre-receive'"));
		goto out;
	}
	ret = pre_receive(ctx);
out:
	strlist_release(&args);
	return ret;
}
