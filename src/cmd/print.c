/*
 * print.c - `docket print ID FORM`, `--blank FORM`, `--list`, `--fields`:
 * a written document (文书, DESIGN 13) of a case from the store's
 * forms/FORM.html (the engine is src/forms.c).
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cmd.h"
#include "forms.h"
#include "output.h"

struct print_opts {
	int blank, list, fields;
	const char *format;
	const char *output;
};

/* "forms/NAME.html" for the FORM argument (with or without .html). */
static int form_path(struct ctx *ctx, const char *arg, struct sb *out)
{
	size_t n = strlen(arg), ext = strlen(FORM_EXT);
	struct sb name = SB_INIT;
	int ret = EXIT_OK;

	if (n > ext && !strcmp(arg + n - ext, FORM_EXT))
		n -= ext;
	sb_add(&name, arg, n);
	if (!form_name_valid(name.buf))
		ret = fail(ctx, _("'%s' is not a form name (see 'docket print "
			"--list')"), arg);
	else
		sb_addf(out, "%s/%s%s", FORMS_DIR, name.buf, FORM_EXT);
	sb_release(&name);
	return ret;
}

/* The template's text; a missing one points at --list. */
static int read_form(struct ctx *ctx, const char *path, struct sb *out)
{
	int err = store_read(out, ctx->store, path, FORM_MAX_SIZE, &ctx->d);

	if (err == ERR_NOTFOUND) {
		diag_clear(&ctx->d);
		return fail(ctx, _("there is no form %s in this store; "
			"'docket print --list' names the forms"), path);
	}
	if (err)
		return fail(ctx, _("%s cannot be used as a form (a form is a regular file of "
			"at most 5 MB)"), path);
	return EXIT_OK;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* --list: every forms/NAME.html, with the title its comment gives. */
static int list_forms(struct ctx *ctx)
{
	struct strlist names = STRLIST_INIT;
	struct sb dir = SB_INIT, out = SB_INIT, path = SB_INIT,
		text = SB_INIT;
	struct dirent *de;
	struct stat st;
	DIR *dp;
	size_t i, n, ext = strlen(FORM_EXT);
	int ret = EXIT_FAIL;

	sb_addf(&dir, "%s/%s", store_root(ctx->store), FORMS_DIR);
	dp = opendir(dir.buf);
	if (!dp) {
		fail(ctx, _("this store has no %s/ folder; copy the forms of "
			"a template there (see docket-print(1))"), FORMS_DIR);
		goto out;
	}
	while ((de = readdir(dp)) != NULL) {
		n = strlen(de->d_name);
		if (n <= ext || strcmp(de->d_name + n - ext, FORM_EXT) ||
		    de->d_name[0] == '.')
			continue;
		sb_reset(&path);
		sb_addf(&path, "%s/%s", dir.buf, de->d_name);
		if (lstat(path.buf, &st) || !S_ISREG(st.st_mode))
			continue;
		strlist_push(&names, de->d_name);
	}
	closedir(dp);
	qsort(names.v, names.n, sizeof(*names.v), cmp_str);
	for (i = 0; i < names.n; i++) {
		n = strlen(names.v[i]) - ext;
		sb_reset(&path);
		sb_reset(&text);
		sb_addf(&path, "%s/%s", FORMS_DIR, names.v[i]);
		if (!store_read(&text, ctx->store, path.buf, FORM_MAX_SIZE,
		    &ctx->d)) {
			struct sb title = SB_INIT;

			form_title(&title, text.buf, text.len);
			sb_add(&out, names.v[i], n);
			if (title.len && strncmp(title.buf, names.v[i], n)) {
				sb_adds(&out, "  ");
				out_escape(&out, title.buf, 0);
			}
			sb_addc(&out, '\n');
			sb_release(&title);
		}
		diag_clear(&ctx->d);
	}
	ret = emit_stdout(ctx, &out);
out:
	sb_release(&text);
	sb_release(&path);
	sb_release(&out);
	sb_release(&dir);
	strlist_release(&names);
	return ret;
}

/* --fields: the names a form may use, and what each holds. */
static int list_fields(struct ctx *ctx)
{
	struct sb out = SB_INIT;
	size_t i;
	int ret;

	for (i = 0; form_fields[i].name; i++)
		sb_addf(&out, "%-16s %s\n", form_fields[i].name,
			_(form_fields[i].help));
	sb_adds(&out, _("{{copy}}          inside {{#copies A|B}}: the copy's "
		"name\n"));
	ret = emit_stdout(ctx, &out);
	sb_release(&out);
	return ret;
}

/* Render form `path` for case c (NULL: blank) in the format asked. */
static int render(struct ctx *ctx, const struct print_opts *o,
	const char *path, const struct dcase *c, const char *docno,
	struct sb *out)
{
	struct sb tpl = SB_INIT, html = SB_INIT;
	struct form_data fd;
	int ret = EXIT_FAIL;

	fd.cfg = &ctx->cfg;
	fd.c = c;
	fd.now = ctx->now;
	fd.actor = ctx->actor;
	fd.docno = docno;
	if (read_form(ctx, path, &tpl))
		goto out;
	if (form_render(&html, tpl.buf, tpl.len, path, form_case_value, &fd,
	    &ctx->d))
		goto out;
	if (!strcmp(o->format, "text"))
		form_to_text(out, html.buf, html.len);
	else
		sb_add(out, html.buf, html.len);
	ret = EXIT_OK;
out:
	sb_release(&html);
	sb_release(&tpl);
	return ret;
}

static int write_out(struct ctx *ctx, const struct print_opts *o,
	const struct sb *doc)
{
	struct sb esc = SB_INIT;
	int ret;

	if (o->output)
		return emit_file(ctx, o->output, doc->buf, doc->len);
	if (!ctx->out_tty)
		return emit_stdout(ctx, doc);
	out_escape(&esc, doc->buf, 1);
	ret = emit_stdout(ctx, &esc);
	sb_release(&esc);
	return ret;
}

static int check_args(struct ctx *ctx, const struct print_opts *o,
	const struct strlist *args)
{
	size_t want = o->list || o->fields ? 0 : o->blank ? 1 : 2;

	if (o->list + o->fields + o->blank > 1)
		return usage_error(ctx, _("--list, --fields and --blank go "
			"alone"));
	if (strcmp(o->format, "html") && strcmp(o->format, "text"))
		return usage_error(ctx, _("unknown format '%s' (html, text)"),
			o->format);
	if (args->n < want)
		return usage_error(ctx, o->blank ? _("give the form's name") :
			_("give the case id and the form's name"));
	if (args->n > want)
		return usage_error(ctx, _("unexpected argument '%s'"),
			args->v[want]);
	return EXIT_OK;
}

int cmd_print(int argc, char **argv, struct ctx *ctx)
{
	struct print_opts o = { 0, 0, 0, "html", NULL };
	struct strlist args = STRLIST_INIT;
	struct sb path = SB_INIT, doc = SB_INIT;
	struct dcase c;
	int ret;
	struct opt opts[] = {
		{ "blank", OPT_FLAG, &o.blank, NULL,
		  N_("an empty form to fill in by hand") },
		{ "list", OPT_FLAG, &o.list, NULL,
		  N_("name the forms of this store") },
		{ "fields", OPT_FLAG, &o.fields, NULL,
		  N_("name the fields a form may use") },
		{ "format", OPT_STR, &o.format, N_("html|text"),
		  N_("html (default, to print from a browser) or plain text") },
		{ "o", OPT_STR, &o.output, "FILE",
		  N_("write it to FILE (which must not exist yet) instead "
		  "of standard output") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};

	case_init(&c);
	ret = parse_options(ctx, opts, argc, argv, &args);
	if (ret) {
		ret = ret < 0 ? EXIT_OK : ret;
		goto out;
	}
	if ((ret = check_args(ctx, &o, &args)) != EXIT_OK)
		goto out;
	if (o.list) {
		ret = list_forms(ctx);
		goto out;
	}
	if (o.fields) {
		ret = list_fields(ctx);
		goto out;
	}
	ret = EXIT_FAIL;
	if (form_path(ctx, args.v[o.blank ? 0 : 1], &path))
		goto out;
	if (!o.blank && load_case(ctx, args.v[0], &c, NULL))
		goto out;
	if (render(ctx, &o, path.buf, o.blank ? NULL : &c, NULL, &doc))
		goto out;
	ret = write_out(ctx, &o, &doc);
out:
	sb_release(&doc);
	sb_release(&path);
	case_release(&c);
	strlist_release(&args);
	return ret;
}
