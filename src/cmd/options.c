/*
 * options.c - a command's option table: parsing argv against it, and the
 * usage line and --help generated from it.
 *
 * The table is the one description of a command's command line: the
 * usage printed by --help and after a usage error, the option list of
 * --help, shell completion and the check of the manual pages
 * (tests/lint-man.sh) all come from it, so none can drift from another.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "intl.h"
#include "output.h"
#include "suggest.h"

/* The most options a table may have (given[] in parse_options()). */
#define MAX_OPTS 64

static int is_option(const struct opt *o)
{
	return o->type != OPT_OPERAND;
}

static int repeats(const struct opt *o)
{
	return o->type == OPT_LIST || (o->usage & OPT_MANY);
}

/* "--" before a long option's name, "-" before a one-letter alias. */
static const char *dashes(const struct opt *o)
{
	return o->name[1] ? "--" : "-";
}

static const char *placeholder(const struct opt *o)
{
	return o->arg ? _(o->arg) : _("VALUE");
}

/* One entry as the usage shows it, unbracketed: "--to STAFF|DEPT", "ID". */
static void usage_entry(struct sb *out, const struct opt *o)
{
	if (!is_option(o)) {
		sb_adds(out, placeholder(o));
		return;
	}
	sb_addf(out, "%s%s", dashes(o), o->name);
	if (o->type != OPT_FLAG)
		sb_addf(out, (o->usage & OPT_EQ) ? "=%s" : " %s",
			placeholder(o));
}

/* An entry that goes with the one before: "[--override]", "--to DATE". */
static void usage_sub(struct sb *out, const struct opt *o)
{
	int req = o->usage & OPT_REQ;

	sb_adds(out, req ? "" : "[");
	usage_entry(out, o);
	sb_adds(out, req ? "" : "]");
	if (repeats(o))
		sb_adds(out, "...");
}

/* An entry with the entries that go with it; returns the next one. */
static const struct opt *usage_element(struct sb *out, const struct opt *o)
{
	usage_entry(out, o);
	for (o++; o->type != OPT_END && (o->usage & OPT_SUB); o++) {
		sb_addc(out, ' ');
		usage_sub(out, o);
	}
	return o;
}

/*
 * An element and its alternatives: "[A | B]" when the whole may be left
 * out, "(A | B)" when one of them is required, "A" or "[A]" alone, "..."
 * after what may be repeated.  Returns the entry after the group.
 */
static const struct opt *usage_group(struct sb *out, const struct opt *o)
{
	struct sb body = SB_INIT;
	int req = o->usage & OPT_REQ, many = repeats(o), alts = 0;
	const struct opt *next = usage_element(&body, o);

	while (next->type != OPT_END && (next->usage & OPT_ALT)) {
		sb_adds(&body, " | ");
		next = usage_element(&body, next);
		alts = 1;
	}
	if (!req)
		sb_addf(out, "[%s]", body.buf);
	else if (alts)
		sb_addf(out, "(%s)", body.buf);
	else
		sb_adds(out, body.buf);
	if (many)
		sb_adds(out, "...");
	sb_release(&body);
	return next;
}

void usage_line(struct sb *out, const char *cmd, const struct opt *opts)
{
	static const struct opt none = { NULL, OPT_END, NULL, NULL, NULL, 0 };
	const struct opt *o = opts ? opts : &none;

	sb_addf(out, "docket %s", cmd);
	while (o->type != OPT_END) {
		if (o->usage & (OPT_HIDE | OPT_SUB | OPT_ALT)) {
			/* hidden, or an entry without one to go with */
			o++;
			continue;
		}
		sb_addc(out, ' ');
		o = usage_group(out, o);
	}
}

/* The generated usage, kept in ctx for the usage error main prints. */
static void set_usage(struct ctx *ctx, const struct opt *opts)
{
	struct sb line = SB_INIT;

	usage_line(&line, ctx->cmd, opts);
	free(ctx->usage);
	ctx->usage = sb_detach(&line, NULL);
}

void print_help(FILE *f, const struct ctx *ctx, const struct opt *opts)
{
	const struct opt *o;
	struct sb left = SB_INIT;
	size_t w;

	fprintf(f, _("usage: %s\n"), ctx->usage ? ctx->usage : ctx->cmd);
	fputc('\n', f);
	for (o = opts; o && o->type != OPT_END; o++) {
		if (!is_option(o))
			continue;
		sb_reset(&left);
		usage_entry(&left, o);
		/* placeholders may be Chinese: pad by terminal columns */
		w = display_width(left.buf);
		if (w < 24)
			fprintf(f, "  %s%*s %s\n", left.buf, (int)(24 - w), "",
				_(o->help));
		else
			fprintf(f, "  %s\n  %-24s %s\n", left.buf, "",
				_(o->help));
	}
	fprintf(f, "  %-24s %s\n", "-h, --help", _("show this help"));
	fputc('\n', f);
	fprintf(f, _("See 'man docket-%s' for details and examples.\n"),
		ctx->cmd);
	sb_release(&left);
}

static const struct opt *find_opt(const struct opt *opts, const char *name,
	size_t len)
{
	const struct opt *o;

	for (o = opts; o && o->type != OPT_END; o++)
		if (is_option(o) && strlen(o->name) == len &&
		    !strncmp(o->name, name, len))
			return o;
	return NULL;
}

const struct opt *find_option(const struct opt *opts, const char *name)
{
	return find_opt(opts, name, strlen(name));
}

static const struct opt *find_short(const struct opt *opts, char c)
{
	const struct opt *o;

	for (o = opts; o && o->type != OPT_END; o++)
		if (is_option(o) && o->name[0] == c && !o->name[1])
			return o;
	return NULL;
}

static void set_opt(const struct opt *o, const char *val)
{
	switch (o->type) {
	case OPT_FLAG:
		*(int *)o->value = 1;
		break;
	case OPT_STR:
		*(const char **)o->value = val;
		break;
	case OPT_LIST:
		strlist_push((struct strlist *)o->value, val);
		break;
	default:
		break;
	}
}

/* "unknown option '--asignee'", with the options it may mean. */
static enum opts_result unknown_option(struct ctx *ctx,
	const struct opt *opts, const char *a, size_t len)
{
	struct sb opt = SB_INIT, names = SB_INIT, words = SB_INIT;
	struct suggest sg;
	const struct opt *o;
	size_t i, *at = NULL, n = 0;

	sb_add(&opt, a, len);
	for (o = opts; o && o->type != OPT_END; o++)
		n++;
	/* the names as "--name", NUL-separated, one string each */
	at = xcalloc(n + 1, sizeof(*at));
	for (o = opts, i = 0; o && o->type != OPT_END; o++) {
		if (!is_option(o))
			continue;
		at[i++] = names.len;
		sb_addf(&names, "%s%s", dashes(o), o->name);
		sb_addc(&names, '\0');
	}
	n = i;
	at[n] = names.len;
	sb_adds(&names, "--help");
	suggest_init(&sg, opt.buf);
	for (i = 0; i <= n; i++)
		suggest_add(&sg, names.buf + at[i], NULL);
	suggest_close_only(&sg);
	for (i = 0; i < sg.n; i++)
		sb_addf(&words, i ? _(", '%s'") : _("'%s'"), sg.word[i]);
	if (sg.n)
		usage_error(ctx, _("unknown option '%s'; did you mean %s?"),
			opt.buf, words.buf);
	else
		usage_error(ctx, _("unknown option '%s'"), opt.buf);
	free(at);
	sb_release(&words);
	sb_release(&names);
	sb_release(&opt);
	return OPTS_BAD;
}

/* For shell completion: every option as "name\targ", arg empty for a
 * flag. */
static void list_options(struct ctx *ctx, const struct opt *opts)
{
	const struct opt *o;
	struct sb line = SB_INIT;

	for (o = opts; o && o->type != OPT_END; o++) {
		if (!is_option(o))
			continue;
		sb_reset(&line);
		sb_addf(&line, "%s\t%s", o->name, o->type == OPT_FLAG ? "" :
			o->arg ? o->arg : "VALUE");
		strlist_push(ctx->opt_sink, line.buf);
	}
	sb_release(&line);
}

/*
 * One option at argv[*i] (its value may be the next word, which *i then
 * passes); given[] holds the value each single-valued option had.
 */
static enum opts_result take_option(struct ctx *ctx, const struct opt *opts,
	int argc, char **argv, int *i, const char **given)
{
	const char *a = argv[*i], *eq, *val, *inline_val;
	const struct opt *o;
	size_t len, k;

	if (a[1] != '-') {
		/* "-o FILE" or "-oFILE": the one-letter aliases */
		o = find_short(opts, a[1]);
		if (!o || (o->type == OPT_FLAG && a[2]))
			return unknown_option(ctx, opts, a, strlen(a));
		inline_val = o->type != OPT_FLAG && a[2] ? a + 2 : NULL;
	} else {
		eq = strchr(a + 2, '=');
		len = eq ? (size_t)(eq - a - 2) : strlen(a + 2);
		o = find_opt(opts, a + 2, len);
		if (!o)
			return unknown_option(ctx, opts, a, len + 2);
		if (o->type == OPT_FLAG && eq) {
			usage_error(ctx, _("option '%s%s' takes no value"),
				dashes(o), o->name);
			return OPTS_BAD;
		}
		inline_val = eq ? eq + 1 : NULL;
	}
	if (o->type == OPT_FLAG) {
		set_opt(o, NULL);
		return OPTS_OK;
	}
	if (inline_val) {
		val = inline_val;
	} else if (*i + 1 < argc) {
		val = argv[++*i];
	} else {
		usage_error(ctx, _("option '%s%s' needs a value (%s)"),
			dashes(o), o->name, placeholder(o));
		return OPTS_BAD;
	}
	/* Last-one-wins would let a script's second --to silently undo its
	 * first. */
	k = (size_t)(o - opts);
	if (o->type == OPT_STR && k < MAX_OPTS && given[k]) {
		usage_error(ctx, _("option '%s%s' is given twice ('%s', then "
			"'%s'); give it once"), dashes(o), o->name, given[k],
			val);
		return OPTS_BAD;
	}
	if (k < MAX_OPTS)
		given[k] = val;
	set_opt(o, val);
	return OPTS_OK;
}

enum opts_result parse_options(struct ctx *ctx, const struct opt *opts,
	int argc, char **argv, struct strlist *args)
{
	const char *given[MAX_OPTS] = { NULL };
	enum opts_result r;
	int i, only_args = 0;

	if (ctx->opt_sink) {
		list_options(ctx, opts);
		return OPTS_HELP;
	}
	set_usage(ctx, opts);
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (only_args || a[0] != '-' || !strcmp(a, "-")) {
			strlist_push(args, a);
		} else if (!strcmp(a, "--")) {
			only_args = 1;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			print_help(stdout, ctx, opts);
			return OPTS_HELP;
		} else if ((r = take_option(ctx, opts, argc, argv, &i,
		    given)) != OPTS_OK) {
			return r;
		}
	}
	return OPTS_OK;
}

enum opts_result parse_id_options(struct ctx *ctx, const struct opt *opts,
	int argc, char **argv, struct strlist *args)
{
	enum opts_result r = parse_options(ctx, opts, argc, argv, args);

	if (r != OPTS_OK)
		return r;
	if (!args->n) {
		usage_error(ctx, _("which case? give its id"));
		return OPTS_BAD;
	}
	if (args->n > 1) {
		usage_error(ctx, _("unexpected argument '%s'; %s takes one "
			"case id"), args->v[1], ctx->cmd);
		return OPTS_BAD;
	}
	return OPTS_OK;
}

int opts_exit(enum opts_result r)
{
	return r == OPTS_BAD ? EXIT_USAGE : EXIT_OK;
}
