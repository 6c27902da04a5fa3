/*
 * clone.c - `docket clone URL [DIR] [--site ID]`: a branch office's copy
 * of the shared store, ready to work: the merge driver configured and
 * the office's site set, so its cases get its own id prefix.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "remote.h"

struct accept_arg {
	struct ctx *ctx;
	const char *site;
};

static void list_sites(struct sb *out, const struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nsites; i++)
		sb_addf(out, "%s%s (%s)", i ? _(", ") : "", cfg->sites[i].id,
			cfg->sites[i].label);
}

/* Is the clone a store, and is the site one of its sites? */
static int accept_clone(const char *dir, void *p, struct diag *d)
{
	struct accept_arg *a = p;
	struct config cfg;
	struct sb path = SB_INIT, names = SB_INIT;
	int ret = ERR_INVALID;

	memset(&cfg, 0, sizeof(cfg));
	sb_addf(&path, "%s/%s", dir, CONFIG_FILE);
	if (config_load(&cfg, path.buf, d)) {
		diag_add(d, ERR_INVALID, _("the repository holds no valid "
			"docket store (%s)"), CONFIG_FILE);
		goto out;
	}
	list_sites(&names, &cfg);
	if (a->site && !config_site(&cfg, a->site)) {
		diag_add(d, ERR_INVALID, cfg.nsites ? _("site '%s' is not "
			"among the store's sites: %s") : _("site '%s' given, "
			"but docket.yaml names no sites%s"), a->site,
			names.buf);
		goto out;
	}
	if (!a->site && cfg.nsites > 1) {
		diag_add(d, ERR_INVALID, _("the store is shared by several "
			"sites; say which this office is with --site (%s)"),
			names.buf);
		goto out;
	}
	ret = store_configure(dir, a->site, d);
out:
	config_release(&cfg);
	sb_release(&path);
	sb_release(&names);
	return ret;
}

/* "host:path/hq.git" -> "hq", as git names a clone's folder. */
static char *default_dir(const char *url)
{
	size_t n = strlen(url);
	const char *start;
	char *dir;

	while (n > 1 && url[n - 1] == '/')
		n--;
	start = url + n;
	while (start > url && start[-1] != '/' && start[-1] != ':')
		start--;
	dir = xstrndup(start, (size_t)(url + n - start));
	n = strlen(dir);
	if (n > 4 && !strcmp(dir + n - 4, ".git"))
		dir[n - 4] = '\0';
	return dir;
}

int cmd_clone(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct accept_arg a = { ctx, NULL };
	char *dir = NULL, *abs = NULL;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("URL"), NULL, OPT_REQ },
		{ NULL, OPT_OPERAND, NULL, N_("DIR"), NULL },
		{ "site", OPT_STR, &a.site, N_("ID"),
		  N_("this office's id among docket.yaml's sites") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (args.n < 1 || args.n > 2) {
		ret = usage_error(ctx, args.n ? _("too many arguments") :
			_("missing the URL of the shared store"));
		goto out;
	}
	dir = args.n == 2 ? xstrdup(args.v[1]) : default_dir(args.v[0]);
	ret = EXIT_FAIL;
	if (!*dir) {
		fail(ctx, _("cannot tell a folder name from '%s'; give DIR"),
			args.v[0]);
		goto out;
	}
	if (remote_clone(args.v[0], dir, isatty(2) ? REMOTE_PROGRESS :
	    REMOTE_QUIET, accept_clone, &a, &ctx->d))
		goto out;
	abs = realpath(dir, NULL);
	if (a.site)
		printf(_("Cloned docket store into %s (site %s)\n"),
			abs ? abs : dir, a.site);
	else
		printf(_("Cloned docket store into %s\n"), abs ? abs : dir);
	ret = EXIT_OK;
out:
	free(abs);
	free(dir);
	strlist_release(&args);
	return ret;
}
