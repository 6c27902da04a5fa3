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
#include "codec.h"
#include "forms.h"
#include "output.h"
#include "pdf.h"

struct print_opts {
	int blank, list, fields, issue;
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
	xqsort(names.v, names.n, sizeof(*names.v), cmp_str);
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
	else if (!strcmp(o->format, "pdf")) {
		if (pdf_render(out, html.buf, html.len, &ctx->d))
			goto out;
	} else
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
	if (o->issue && (o->list || o->fields || o->blank))
		return usage_error(ctx, _("--issue issues the document of a "
			"case: give the case id and the form, without --blank"));
	if (strcmp(o->format, "html") && strcmp(o->format, "text") &&
	    strcmp(o->format, "pdf"))
		return usage_error(ctx, _("unknown format '%s' (html, pdf, "
			"text)"), o->format);
	if (!strcmp(o->format, "pdf") && !o->output && ctx->out_tty)
		return usage_error(ctx, _("a PDF is not for a terminal: give "
			"-o FILE or redirect standard output"));
	if (args->n < want)
		return usage_error(ctx, o->blank ? _("give the form's name") :
			_("give the case id and the form's name"));
	if (args->n > want)
		return usage_error(ctx, _("unexpected argument '%s'"),
			args->v[want]);
	return EXIT_OK;
}

/* ---- --issue ---- */

/* The notices addressed to the complainant: issuing one notifies them
 * in writing (the event's `notified`, which meets the feedback
 * deadline as a contact does). */
static const char *const notices[] = {
	"受理告知书", "不予受理告知书", "补充材料告知书", "延期告知书",
	"处理结果告知书", NULL
};
#define NOTIFIED_VIA "letter"

/* The form's name alone: "forms/受理告知书.html" gives "受理告知书". */
static void form_name_of(struct sb *out, const char *path)
{
	const char *base = path + strlen(FORMS_DIR) + 1;

	sb_add(out, base, strlen(base) - strlen(FORM_EXT));
}

/* The number of the last issue of this form to the case, or NULL: a
 * document printed again carries the number it was issued with. */
static const char *issued_number(const struct dcase *c, const char *form)
{
	const char *f;
	size_t i;

	for (i = c->nevents; i-- > 0;) {
		if (strcmp(c->events[i].action, "issue"))
			continue;
		f = event_get(&c->events[i], "form");
		if (f && !strcmp(f, form))
			return event_get(&c->events[i], "number");
	}
	return NULL;
}

/* "农投〔{year}〕{seq}号" with the year and number put in. */
static void make_docno(struct sb *out, const char *pattern, int year,
	long seq)
{
	const char *p;

	for (p = pattern; *p; p++) {
		if (!strncmp(p, "{year}", 6)) {
			sb_addf(out, "%d", year);
			p += 5;
		} else if (!strncmp(p, "{seq}", 5)) {
			sb_addf(out, "%ld", seq);
			p += 4;
		} else {
			sb_addc(out, *p);
		}
	}
}

/* Who may issue: the triage desk and supervisors, and those who may
 * handle the case. */
static int may_issue(struct ctx *ctx, const struct dcase *c)
{
	const struct staff *st = config_staff(&ctx->cfg, ctx->actor);

	if (st && (st->roles & (ROLE_TRIAGE | ROLE_SUPERVISOR)))
		return EXIT_OK;
	return require_handler(ctx, c, C_("may not", "issue documents of"));
}

/* The issue event, and what it notifies. */
static void record_issue(struct ctx *ctx, struct dcase *c, const char *form,
	const char *docno)
{
	struct event *e = case_add_event(c, ctx->now, ctx->actor, "issue");

	event_set(e, "form", form);
	event_set(e, "number", docno);
	if (!str_in(form, notices))
		return;
	event_set(e, "notified", NOTIFIED_VIA);
	if (!strcmp(form, "处理结果告知书") && c->closure.present &&
	    !c->closure.notified) {
		c->closure.notified = 1;
		c->closure.notified_at = ctx->now;
		set_str(&c->closure.notified_via, NOTIFIED_VIA);
	}
}

/* One commit: the case with its issue event, "Document:" trailer. */
static int commit_issue(struct ctx *ctx, const struct dcase *c,
	const char *form, const char *docno, int year, long seq)
{
	char path[CASE_PATH_BUFSZ], oid[41];
	struct sb text = SB_INIT, subject = SB_INIT, trailer = SB_INIT;
	struct signer sig;
	struct txn *t = txn_new(ctx->store);
	int ret = EXIT_FAIL;

	if (case_path(path, c->id))
		goto out;
	case_emit(&text, c);
	txn_put(t, path, text.buf, text.len);
	txn_case(t, c->id);
	sb_addf(&trailer, "%d %ld %s", year, seq, form);
	txn_trailer(t, "Document", trailer.buf);
	/* the form and its number, never the complainant's data */
	sb_addf(&subject, "issue %s: %s %s", c->id, form, docno);
	actor_signer(ctx, &sig);
	if (!txn_commit(t, &sig, "issue", ctx->actor, subject.buf, oid,
	    &ctx->d))
		ret = EXIT_OK;
out:
	txn_free(t);
	sb_release(&trailer);
	sb_release(&subject);
	sb_release(&text);
	return ret;
}

/*
 * --issue: number the document (dense per form and year, never given
 * twice), fill it, record the issue in one commit, then hand it out.
 * Everything that can fail is done before the commit.
 */
static int issue(struct ctx *ctx, const struct print_opts *o,
	const char *path, struct dcase *c, struct sb *doc)
{
	struct sb form = SB_INIT, docno = SB_INIT;
	struct stat st;
	long seq = 0;
	int year, ret = EXIT_FAIL;

	form_name_of(&form, path);
	if (may_issue(ctx, c))
		goto out;
	if (o->output && !lstat(o->output, &st)) {
		fail(ctx, _("'%s' already exists; remove it or choose "
			"another file name"), o->output);
		goto out;
	}
	year = cal_local_date(&ctx->cfg.cal, ctx->now).y;
	if (store_next_docno(&seq, ctx->store, form.buf, year, &ctx->d))
		goto out;
	make_docno(&docno, config_numbering(&ctx->cfg, form.buf), year, seq);
	if (render(ctx, o, path, c, docno.buf, doc))
		goto out;
	record_issue(ctx, c, form.buf, docno.buf);
	if (commit_issue(ctx, c, form.buf, docno.buf, year, seq))
		goto out;
	/* TRANSLATORS: %1$s is a form (受理告知书), %2$s its document
	   number, %3$s the case id. */
	inform(ctx, _("issued %1$s %2$s for case %3$s"), form.buf, docno.buf,
		c->id);
	ret = EXIT_OK;
out:
	sb_release(&docno);
	sb_release(&form);
	return ret;
}

int cmd_print(int argc, char **argv, struct ctx *ctx)
{
	struct print_opts o = { 0, 0, 0, 0, "html", NULL };
	struct sb form = SB_INIT;
	struct strlist args = STRLIST_INIT;
	struct sb path = SB_INIT, doc = SB_INIT;
	struct dcase c;
	enum opts_result pr;
	int ret;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ NULL, OPT_OPERAND, NULL, N_("FORM"), NULL, OPT_SUB | OPT_REQ },
		{ "issue", OPT_FLAG, &o.issue, NULL,
		  N_("issue it: give it the next document number and record "
		  "that in the case (one commit)"), OPT_SUB },
		{ "blank", OPT_FLAG, &o.blank, NULL,
		  N_("an empty form to fill in by hand"), OPT_ALT },
		{ NULL, OPT_OPERAND, NULL, N_("FORM"), NULL, OPT_SUB | OPT_REQ },
		{ "list", OPT_FLAG, &o.list, NULL,
		  N_("name the forms of this store"), OPT_ALT },
		{ "fields", OPT_FLAG, &o.fields, NULL,
		  N_("name the fields a form may use"), OPT_ALT },
		{ "format", OPT_STR, &o.format, N_("html|pdf|text"),
		  N_("html (default, to print from a browser), pdf (A4, "
		  "through headless Chromium) or plain text") },
		{ "o", OPT_STR, &o.output, N_("FILE"),
		  N_("write it to FILE (which must not exist yet) instead "
		  "of standard output") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};

	case_init(&c);
	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
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
	if (o.issue) {
		if (load_case_for_write(ctx, args.v[0], &c) ||
		    issue(ctx, &o, path.buf, &c, &doc))
			goto out;
		/* recorded: the action has happened, whatever the output */
		if (write_out(ctx, &o, &doc))
			warn(ctx, _("the document was issued but not written "
				"out; 'docket print %s %s' prints it again with "
				"its number"), c.id, args.v[1]);
		ret = EXIT_OK;
		goto out;
	}
	if (!o.blank && load_case(ctx, args.v[0], &c, NULL))
		goto out;
	if (!o.blank)
		form_name_of(&form, path.buf);
	if (render(ctx, &o, path.buf, o.blank ? NULL : &c, o.blank ? NULL :
	    issued_number(&c, form.buf), &doc))
		goto out;
	ret = write_out(ctx, &o, &doc);
out:
	sb_release(&form);
	sb_release(&doc);
	sb_release(&path);
	case_release(&c);
	strlist_release(&args);
	return ret;
}
