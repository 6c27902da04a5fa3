/*
 * init.c - `docket init [DIR] [--template NAME] [--shared=group]
 *   [--site ID]`:
 * a new store with a working docket.yaml and a first commit.
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The templates in the folders searched (a folder with a docket.yaml),
 * sorted, each once. */
static void list_templates(struct strlist *out, const char *const *dirs,
	size_t nd)
{
	struct sb path = SB_INIT;
	struct dirent *de;
	size_t i;
	DIR *dh;

	for (i = 0; i < nd; i++) {
		dh = opendir(dirs[i]);
		if (!dh)
			continue;
		while ((de = readdir(dh))) {
			if (!plain_id_valid(de->d_name) ||
			    strlist_has(out, de->d_name))
				continue;
			sb_reset(&path);
			sb_addf(&path, "%s/%s/docket.yaml", dirs[i],
				de->d_name);
			if (!access(path.buf, R_OK))
				strlist_push(out, de->d_name);
		}
		closedir(dh);
	}
	if (out->n)
		qsort(out->v, out->n, sizeof(*out->v), cmp_str);
	sb_release(&path);
}

/*
 * Where templates live: $DOCKET_TEMPLATES, the examples/ folder beside the
 * binary (running from a build tree), and the installed data directory.
 */
static int find_template(struct ctx *ctx, const char *name, struct sb *out)
{
	const char *env = getenv("DOCKET_TEMPLATES");
	char exe[PATH_MAX], local[PATH_MAX + 16], share[PATH_MAX + 32];
	char *slash;
	struct sb path = SB_INIT, names = SB_INIT;
	struct strlist found = STRLIST_INIT;
	const char *dirs[4];
	ssize_t n;
	size_t i, nd = 0;
	int ret = EXIT_FAIL;

	if (!plain_id_valid(name))
		return fail(ctx, _("template name '%s' is not valid"), name);
	if (env && *env)
		dirs[nd++] = env;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			/* Installed under any prefix: PREFIX/bin/docket finds
			 * PREFIX/share/docket/examples. */
			*slash = '\0';
			snprintf(share, sizeof(share),
				"%s/../share/docket/examples", exe);
			snprintf(local, sizeof(local), "%s/examples", exe);
			dirs[nd++] = local;
			dirs[nd++] = share;
		}
	}
	dirs[nd++] = DOCKET_DATADIR "/examples";
	for (i = 0; i < nd; i++) {
		sb_reset(&path);
		sb_addf(&path, "%s/%s/docket.yaml", dirs[i], name);
		if (access(path.buf, R_OK))
			continue;
		if (!read_file(out, path.buf, 1 << 20, &ctx->d))
			ret = EXIT_OK;
		goto out;
	}
	sb_reset(&path);
	if (env && *env)
		sb_adds(&path, "$DOCKET_TEMPLATES, ");
	if (n > 0)
		sb_addf(&path, _("examples/ beside docket, "));
	sb_addf(&path, "%s/examples", DOCKET_DATADIR);
	list_templates(&found, dirs, nd);
	for (i = 0; i < found.n; i++)
		sb_addf(&names, "%s%s", i ? ", " : "", found.v[i]);
	if (found.n)
		fail(ctx, _("template '%s' not found; the templates are: %s "
			"(looked in %s)"), name, names.buf, path.buf);
	else
		fail(ctx, _("template '%s' not found (looked in %s)"), name,
			path.buf);
out:
	strlist_release(&found);
	sb_release(&names);
	sb_release(&path);
	return ret;
}

int cmd_init(int argc, char **argv, struct ctx *ctx)
{
	const char *template = NULL, *shared = NULL, *site = NULL;
	const char *dir = ".";
	struct strlist args = STRLIST_INIT;
	struct sb text = SB_INIT, msg = SB_INIT;
	struct config check;
	struct signer sig;
	char *abs = NULL;
	struct opt opts[] = {
		{ "template", OPT_STR, &template, N_("NAME"),
		  N_("start from examples/NAME (agriculture, hospital, ...)") },
		{ "shared", OPT_STR, &shared, N_("group"),
		  N_("let the owner's group read and write the store") },
		{ "site", OPT_STR, &site, N_("ID"),
		  N_("this store is the office ID of docket.yaml's sites") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	int ret;

	memset(&check, 0, sizeof(check));
	ret = parse_options(ctx, opts, argc, argv, &args);
	if (ret) {
		ret = ret < 0 ? EXIT_OK : ret;
		goto out;
	}
	ret = EXIT_USAGE;
	if (args.n > 1) {
		usage_error(ctx, _("too many arguments"));
		goto out;
	}
	if (shared && strcmp(shared, "group")) {
		usage_error(ctx, _("--shared takes only 'group'"));
		goto out;
	}
	if (args.n)
		dir = args.v[0];
	ret = EXIT_FAIL;
	if (template) {
		if (find_template(ctx, template, &text))
			goto out;
	} else {
		sb_adds(&text, config_default_yaml);
	}
	/* Never create a store whose configuration does not load. */
	if (config_parse(&check, text.buf, text.len, template ? template :
	    CONFIG_FILE, &ctx->d))
		goto out;
	if (site && !config_site(&check, site)) {
		fail(ctx, check.nsites ? _("site '%s' is not among the sites "
			"in docket.yaml") : _("site '%s' given, but docket.yaml "
			"names no sites"), site);
		goto out;
	}
	sig.name = ctx->actor;
	sig.email = "docket@localhost";
	sig.when = ctx->now;
	sb_addf(&msg, "init: new docket store\n\nAction: init\nActor: %s\n",
		ctx->actor);
	if (store_init(dir, text.buf, NULL, 0, shared != NULL, &sig, msg.buf,
	    &ctx->d) || store_configure(dir, site, &ctx->d))
		goto out;
	abs = realpath(dir, NULL);
	printf(_("Initialized docket store in %s\n"), abs ? abs : dir);
	ret = EXIT_OK;
out:
	free(abs);
	config_release(&check);
	sb_release(&msg);
	sb_release(&text);
	strlist_release(&args);
	return ret;
}
