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
#include "forms.h"

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
		xqsort(out->v, out->n, sizeof(*out->v), cmp_str);
	sb_release(&path);
}

/*
 * Where templates live: $DOCKET_TEMPLATES, the examples/ folder beside the
 * binary (running from a build tree), and the installed data directory.
 * dirs must hold 4; the strings live in bufs.
 */
struct places {
	const char *dirs[4];
	size_t n;
	int exe_known;
	char exe[PATH_MAX], local[PATH_MAX + 16], share[PATH_MAX + 32];
};

static void template_places(struct places *pl)
{
	const char *env = getenv("DOCKET_TEMPLATES");
	char *slash;
	ssize_t n;

	pl->n = 0;
	pl->exe_known = 0;
	if (env && *env)
		pl->dirs[pl->n++] = env;
	n = readlink("/proc/self/exe", pl->exe, sizeof(pl->exe) - 1);
	if (n > 0) {
		pl->exe[n] = '\0';
		slash = strrchr(pl->exe, '/');
		if (slash) {
			/* Installed under any prefix: PREFIX/bin/docket finds
			 * PREFIX/share/docket/examples. */
			*slash = '\0';
			snprintf(pl->share, sizeof(pl->share),
				"%s/../share/docket/examples", pl->exe);
			snprintf(pl->local, sizeof(pl->local), "%s/examples",
				pl->exe);
			pl->dirs[pl->n++] = pl->local;
			pl->dirs[pl->n++] = pl->share;
			pl->exe_known = 1;
		}
	}
	pl->dirs[pl->n++] = DOCKET_DATADIR "/examples";
}

/* The first place holding `rel` (a file or folder), or NULL. */
static const char *place_of(const struct places *pl, const char *rel)
{
	struct sb path = SB_INIT;
	const char *found = NULL;
	size_t i;

	for (i = 0; i < pl->n && !found; i++) {
		sb_reset(&path);
		sb_addf(&path, "%s/%s", pl->dirs[i], rel);
		if (!access(path.buf, R_OK))
			found = pl->dirs[i];
	}
	sb_release(&path);
	return found;
}

static int find_template(struct ctx *ctx, const struct places *pl,
	const char *name, struct sb *out)
{
	const char *env = getenv("DOCKET_TEMPLATES");
	struct sb path = SB_INIT, names = SB_INIT;
	struct strlist found = STRLIST_INIT;
	const char *dir;
	size_t i;
	int ret = EXIT_FAIL;

	if (!plain_id_valid(name))
		return fail(ctx, _("template name '%s' is not valid"), name);
	sb_addf(&path, "%s/docket.yaml", name);
	dir = place_of(pl, path.buf);
	if (dir) {
		sb_reset(&path);
		sb_addf(&path, "%s/%s/docket.yaml", dir, name);
		if (!read_file(out, path.buf, 1 << 20, &ctx->d))
			ret = EXIT_OK;
		goto out;
	}
	sb_reset(&path);
	if (env && *env)
		sb_addf(&path, "$DOCKET_TEMPLATES%s", _(", "));
	if (pl->exe_known)
		sb_addf(&path, _("examples/ beside docket, "));
	sb_addf(&path, "%s/examples", DOCKET_DATADIR);
	list_templates(&found, pl->dirs, pl->n);
	for (i = 0; i < found.n; i++)
		sb_addf(&names, "%s%s", i ? _(", ") : "", found.v[i]);
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

/*
 * The forms a new store ships (DESIGN 13): the common set in
 * examples/forms, each replaced by the template's own of that name in
 * examples/NAME/forms.  Only regular *.html files are taken.
 */
struct forms {
	struct strlist names;	/* "forms/X.html" */
	struct strlist data;	/* their contents, NUL-ended */
	size_t *len;
};

static int add_forms_from(struct ctx *ctx, const char *dir, struct forms *f)
{
	struct sb path = SB_INIT, text = SB_INIT;
	struct dirent *de;
	size_t i, n, ext = strlen(FORM_EXT);
	DIR *dp = opendir(dir);
	int ret = EXIT_OK;

	if (!dp)
		return EXIT_OK;
	while (!ret && (de = readdir(dp)) != NULL) {
		n = strlen(de->d_name);
		if (n <= ext || strcmp(de->d_name + n - ext, FORM_EXT) ||
		    !form_name_valid(de->d_name))
			continue;
		sb_reset(&path);
		sb_reset(&text);
		sb_addf(&path, "%s/%s", dir, de->d_name);
		if (read_regular(&text, path.buf, FORM_MAX_SIZE, &ctx->d)) {
			ret = EXIT_FAIL;
			break;
		}
		sb_reset(&path);
		sb_addf(&path, "%s/%s", FORMS_DIR, de->d_name);
		for (i = 0; i < f->names.n; i++)
			if (!strcmp(f->names.v[i], path.buf))
				break;
		if (i == f->names.n) {
			strlist_push(&f->names, path.buf);
			strlist_push(&f->data, "");
			f->len = xrealloc(f->len, f->names.n *
				sizeof(*f->len));
		}
		free(f->data.v[i]);
		f->len[i] = text.len;
		f->data.v[i] = sb_detach(&text, NULL);
	}
	closedir(dp);
	sb_release(&text);
	sb_release(&path);
	return ret;
}

static int gather_forms(struct ctx *ctx, const struct places *pl,
	const char *template, struct forms *f)
{
	struct sb path = SB_INIT;
	const char *dir;
	int ret = EXIT_OK;

	dir = place_of(pl, FORMS_DIR);
	if (dir) {
		sb_addf(&path, "%s/%s", dir, FORMS_DIR);
		ret = add_forms_from(ctx, path.buf, f);
	}
	if (!ret && template) {
		sb_reset(&path);
		sb_addf(&path, "%s/%s", template, FORMS_DIR);
		dir = place_of(pl, path.buf);
		sb_reset(&path);
		if (dir) {
			sb_addf(&path, "%s/%s/%s", dir, template, FORMS_DIR);
			ret = add_forms_from(ctx, path.buf, f);
		}
	}
	if (!ret && !f->names.n)
		warn(ctx, _("no forms found to copy into the store; "
			"'docket print' needs them in %s/"), FORMS_DIR);
	sb_release(&path);
	return ret;
}

static void forms_release(struct forms *f)
{
	strlist_release(&f->names);
	strlist_release(&f->data);
	free(f->len);
}

int cmd_init(int argc, char **argv, struct ctx *ctx)
{
	const char *template = NULL, *shared = NULL, *site = NULL;
	const char *dir = ".";
	struct strlist args = STRLIST_INIT;
	struct sb text = SB_INIT, msg = SB_INIT;
	struct config check;
	struct signer sig;
	struct places pl;
	struct forms forms = { STRLIST_INIT, STRLIST_INIT, NULL };
	struct store_file *files = NULL;
	size_t i;
	char *abs = NULL;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("DIR"), NULL },
		{ "template", OPT_STR, &template, N_("NAME"),
		  N_("start from examples/NAME (agriculture, hospital, ...)") },
		{ "shared", OPT_STR, &shared, N_("group"),
		  N_("let the owner's group read and write the store"), OPT_EQ },
		{ "site", OPT_STR, &site, N_("ID"),
		  N_("this store is the office ID of docket.yaml's sites") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	memset(&check, 0, sizeof(check));
	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
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
	template_places(&pl);
	if (template) {
		if (find_template(ctx, &pl, template, &text))
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
	if (gather_forms(ctx, &pl, template, &forms))
		goto out;
	files = xcalloc(forms.names.n + 1, sizeof(*files));
	for (i = 0; i < forms.names.n; i++) {
		files[i].path = forms.names.v[i];
		files[i].data = forms.data.v[i];
		files[i].len = forms.len[i];
	}
	sig.name = ctx->actor;
	sig.email = "docket@localhost";
	sig.when = ctx->now;
	sb_addf(&msg, "init: new docket store\n\nAction: init\nActor: %s\n",
		ctx->actor);
	if (store_init(dir, text.buf, files, forms.names.n, shared != NULL,
	    &sig, msg.buf, &ctx->d) || store_configure(dir, site, &ctx->d))
		goto out;
	abs = realpath(dir, NULL);
	printf(_("Initialized docket store in %s\n"), abs ? abs : dir);
	ret = EXIT_OK;
out:
	free(files);
	forms_release(&forms);
	free(abs);
	config_release(&check);
	sb_release(&msg);
	sb_release(&text);
	strlist_release(&args);
	return ret;
}
