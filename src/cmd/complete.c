/*
 * complete.c - `docket --complete WORD...`: what the shell may complete.
 *
 * The bash and zsh completion scripts (completion/) hand over the words
 * of the command line after "docket", the last one being the word under
 * the cursor (possibly empty), and print what this prints: candidates
 * one a line, or "@files" / "@dirs" to let the shell complete a path.
 * Keeping the knowledge here, in the binary, means the scripts never go
 * stale: commands, their options (from their own option tables), and
 * the store's case ids, staff, departments, categories and labels.
 *
 * It never fails loudly: a shell completion that prints errors in the
 * middle of a command line is worse than none.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "forms.h"
#include "labels.h"

/* What an option's value is, by the option's name. */
struct value_kind {
	const char *opt;
	unsigned vocab;		/* VOCAB() bits, 0: none */
	int special;		/* 0, or one of the S_* below */
};

enum { S_NONE, S_CASE, S_FILES, S_DIRS, S_ARG, S_DIM, S_OPEN, S_VIEW, S_SET };

static const struct value_kind kinds[] = {
	{ "channel", VOCAB(VOC_CHANNEL), S_NONE },
	{ "contact", VOCAB(VOC_CHANNEL), S_NONE },
	{ "notified", VOCAB(VOC_CHANNEL), S_NONE },
	{ "category", VOCAB(VOC_CATEGORY), S_NONE },
	{ "priority", VOCAB(VOC_PRIORITY), S_NONE },
	{ "to", VOCAB(VOC_STAFF) | VOCAB(VOC_DEPARTMENT), S_NONE },
	{ "co", VOCAB(VOC_DEPARTMENT), S_NONE },
	{ "department", VOCAB(VOC_DEPARTMENT), S_NONE },
	{ "assignee", VOCAB(VOC_STAFF), S_NONE },
	{ "as", VOCAB(VOC_STAFF), S_NONE },
	{ "status", VOCAB(VOC_STATUS), S_OPEN },
	{ "kind", VOCAB(VOC_KIND), S_NONE },
	{ "for", VOCAB(VOC_STAFF) | VOCAB(VOC_DEPARTMENT), S_NONE },
	{ "view", 0, S_VIEW },
	{ "id-from", 0, S_CASE },
	{ "id-to", 0, S_CASE },
	{ "outcome", VOCAB(VOC_OUTCOME), S_NONE },
	{ "satisfaction", VOCAB(VOC_SATISFACTION), S_NONE },
	{ "reject", VOCAB(VOC_REJECT_REASON), S_NONE },
	{ "into", 0, S_CASE },
	{ "attach", 0, S_FILES },
	{ "from", 0, S_FILES },
	{ "attach-dir", 0, S_DIRS },
	{ "o", 0, S_FILES },		/* attachment -o FILE */
	{ "format", 0, S_ARG },
	{ "by", 0, S_DIM },
	{ "set", 0, S_SET },		/* edit --set FIELD=VALUE */
};

/* Commands whose operand is not a case id. */
static const char *const no_case_operand[] = {
	"init", "file", "list", "report", "remind", "check", "agenda",
	"export", NULL
};

struct out {
	const char *prefix;
	struct strlist seen;
};

static void emit(struct out *o, const char *word)
{
	if (!word || !*word || strncmp(word, o->prefix, strlen(o->prefix)) ||
	    strlist_has(&o->seen, word))
		return;
	strlist_push(&o->seen, word);
	printf("%s\n", word);
}

/* The ids and labels of the vocabularies in mask. */
static void emit_vocab(struct out *o, const struct config *cfg,
	unsigned mask)
{
	const char *const *v;
	size_t i;

	if (mask & VOCAB(VOC_CHANNEL))
		for (i = 0; i < cfg->nchannels; i++) {
			emit(o, cfg->channels[i].id);
			emit(o, cfg->channels[i].label);
		}
	if (mask & VOCAB(VOC_PRIORITY))
		for (i = 0; i < cfg->npriorities; i++) {
			emit(o, cfg->priorities[i].id);
			emit(o, cfg->priorities[i].label);
		}
	if (mask & VOCAB(VOC_REJECT_REASON))
		for (i = 0; i < cfg->nreject_reasons; i++) {
			emit(o, cfg->reject_reasons[i].id);
			emit(o, cfg->reject_reasons[i].label);
		}
	if (mask & VOCAB(VOC_DEPARTMENT))
		for (i = 0; i < cfg->ndepartments; i++) {
			emit(o, cfg->departments[i].id);
			emit(o, cfg->departments[i].label);
		}
	if (mask & VOCAB(VOC_CATEGORY))
		for (i = 0; i < cfg->ncategories; i++) {
			emit(o, cfg->categories[i].id);
			emit(o, cfg->categories[i].label_path);
		}
	if (mask & VOCAB(VOC_STAFF))
		for (i = 0; i < cfg->nstaff; i++) {
			emit(o, cfg->staff[i].id);
			emit(o, cfg->staff[i].name);
		}
	if (mask & VOCAB(VOC_OUTCOME))
		for (v = case_outcomes; *v; v++) {
			emit(o, *v);
			emit(o, vocab_label(cfg, VOC_OUTCOME, *v));
		}
	if (mask & VOCAB(VOC_SATISFACTION))
		for (v = case_satisfactions; *v; v++) {
			emit(o, *v);
			emit(o, vocab_label(cfg, VOC_SATISFACTION, *v));
		}
	if (mask & VOCAB(VOC_STATUS))
		for (i = 0; i < ST__COUNT; i++) {
			emit(o, case_statuses[i]);
			emit(o, vocab_label(cfg, VOC_STATUS, case_statuses[i]));
		}
}

/* The case ids of the store, from the names of its case files. */
static void emit_cases(struct out *o, struct ctx *ctx)
{
	struct strlist paths = STRLIST_INIT;
	struct diag d = DIAG_INIT;
	char id[CASE_ID_BUFSZ];
	size_t i, n;

	if (!ctx->store || store_case_paths(&paths, ctx->store, &d))
		goto out;
	for (i = 0; i < paths.n; i++) {
		const char *base = strrchr(paths.v[i], '/');

		base = base ? base + 1 : paths.v[i];
		n = strcspn(base, ".");
		if (n >= sizeof(id))
			continue;
		memcpy(id, base, n);
		id[n] = '\0';
		if (case_id_valid(id))
			emit(o, id);
	}
out:
	diag_release(&d);
	strlist_release(&paths);
}

/* The forms of the store (forms/NAME.html gives NAME). */
static void emit_forms(struct out *o, struct ctx *ctx)
{
	struct sb dir = SB_INIT, name = SB_INIT;
	struct dirent *de;
	size_t n, ext = strlen(FORM_EXT);
	DIR *dp;

	if (!ctx->store)
		return;
	sb_addf(&dir, "%s/%s", store_root(ctx->store), FORMS_DIR);
	dp = opendir(dir.buf);
	while (dp && (de = readdir(dp)) != NULL) {
		n = strlen(de->d_name);
		if (n <= ext || strcmp(de->d_name + n - ext, FORM_EXT) ||
		    de->d_name[0] == '.')
			continue;
		sb_reset(&name);
		sb_add(&name, de->d_name, n - ext);
		emit(o, name.buf);
	}
	if (dp)
		closedir(dp);
	sb_release(&name);
	sb_release(&dir);
}

/* print: a form after --blank or after the case id, else a case id. */
static void complete_print(struct out *o, struct ctx *ctx, int argc,
	char **argv)
{
	int i, operands = 0, blank = 0;

	for (i = 1; i < argc - 1; i++) {
		if (!strcmp(argv[i], "--blank"))
			blank = 1;
		else if (argv[i][0] != '-' && !(i > 1 &&
		    (!strcmp(argv[i - 1], "--format") ||
		    !strcmp(argv[i - 1], "-o"))))
			operands++;
	}
	if (blank || operands == 1)
		emit_forms(o, ctx);
	else if (!operands)
		emit_cases(o, ctx);
}

/* "table|json|csv" of an option's placeholder, one value each. */
static void emit_choices(struct out *o, const char *arg)
{
	char buf[128];
	char *p, *save = NULL;

	if (!arg || strlen(arg) >= sizeof(buf) || !strchr(arg, '|'))
		return;
	strcpy(buf, arg);
	for (p = strtok_r(buf, "|", &save); p; p = strtok_r(NULL, "|", &save))
		if (*p >= 'a' && *p <= 'z')
			emit(o, p);
}

static const struct value_kind *kind_of(const char *opt)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(kinds); i++)
		if (!strcmp(kinds[i].opt, opt))
			return &kinds[i];
	return NULL;
}

/* The value of option opt ("format"), whose placeholder is arg. */
static void emit_value(struct out *o, struct ctx *ctx, const char *opt,
	const char *arg)
{
	const struct value_kind *k = kind_of(opt);
	const char *const dims[] = {
		"department", "category", "channel", "respondent", "assignee"
	};
	const char *const fields[] = {
		"complainant.name=", "complainant.phone=",
		"complainant.email=", "complainant.address=",
		"complainant.count=", "respondent=", "subject=",
		"description=", "request=", "location=", "occurred=",
		"category=", "priority="
	};
	size_t i;

	if (!k)
		return;
	switch (k->special) {
	case S_CASE:
		emit_cases(o, ctx);
		return;
	case S_FILES:
		printf("@files\n");
		return;
	case S_DIRS:
		printf("@dirs\n");
		return;
	case S_ARG:
		emit_choices(o, arg);
		return;
	case S_DIM:
		for (i = 0; i < ARRAY_SIZE(dims); i++)
			emit(o, dims[i]);
		return;
	case S_VIEW:
		for (i = 0; i < ctx->cfg.nviews; i++)
			emit(o, ctx->cfg.views[i].name);
		return;
	case S_SET:
		for (i = 0; i < ARRAY_SIZE(fields); i++)
			emit(o, fields[i]);
		return;
	case S_OPEN:
		emit(o, "open");
		emit(o, C_("status filter", "open"));
		break;
	default:
		break;
	}
	emit_vocab(o, &ctx->cfg, k->vocab);
}

/* list's operand: a view of docket.yaml as @NAME. */
static void emit_views(struct out *o, struct ctx *ctx)
{
	struct sb w = SB_INIT;
	size_t i;

	for (i = 0; i < ctx->cfg.nviews; i++) {
		sb_reset(&w);
		sb_addc(&w, '@');
		sb_adds(&w, ctx->cfg.views[i].name);
		emit(o, w.buf);
	}
	sb_release(&w);
}

/* Open the store quietly (its config for labels, its case ids). */
static void open_quietly(struct ctx *ctx)
{
	struct diag d = DIAG_INIT;
	char *root = NULL, path[4096];

	if (store_find(&root, ctx->dir_opt, &d) ||
	    store_open(&ctx->store, root, &d) ||
	    snprintf(path, sizeof(path), "%s/%s", root, CONFIG_FILE) >=
	    (int)sizeof(path))
		goto out;
	config_release(&ctx->cfg);
	if (config_load(&ctx->cfg, path, &d))
		config_init(&ctx->cfg);
	intl_use(ctx->cfg.language);
out:
	diag_release(&d);
	free(root);
}

/* The options of command c: "name\targ" (arg empty for a flag). */
static void command_options(struct ctx *ctx, const char *c,
	struct strlist *out)
{
	char *argv[] = { (char *)c, "--help", NULL };
	struct ctx sub;

	memset(&sub, 0, sizeof(sub));
	sub.cmd = c;
	sub.opt_sink = out;
	sub.cfg = ctx->cfg;	/* borrowed, not released here */
	command_run(c, 2, argv, &sub);
	diag_release(&sub.d);
	free(sub.usage);
}

/* The arg of option name among opts ("name\targ" each), or NULL; *found
 * set when the option exists. */
static const char *option_arg(const struct strlist *opts, const char *name,
	int *found)
{
	size_t i, n = strlen(name);

	*found = 0;
	for (i = 0; i < opts->n; i++) {
		if (strncmp(opts->v[i], name, n) || opts->v[i][n] != '\t')
			continue;
		*found = 1;
		return opts->v[i][n + 1] ? opts->v[i] + n + 1 : NULL;
	}
	return NULL;
}

static void complete_command(struct out *o, struct ctx *ctx, int argc,
	char **argv)
{
	struct strlist opts = STRLIST_INIT;
	const char *cmd = argv[0], *cur = argv[argc - 1], *prev, *arg;
	int i, takes, found, only_args = 0;
	size_t k;

	if (!strcmp(cmd, "help")) {
		if (argc == 2)
			for (k = 0; command_name(k); k++)
				emit(o, command_name(k));
		return;
	}
	command_options(ctx, cmd, &opts);
	for (i = 1; i < argc - 1; i++)
		if (!strcmp(argv[i], "--"))
			only_args = 1;
	prev = argc >= 2 ? argv[argc - 2] : "";
	if (!only_args && prev[0] == '-' && !strchr(prev, '=') && argc >= 3) {
		/* "--name", or "-o" for a one-letter alias */
		const char *name = prev[1] == '-' ? prev + 2 : prev + 1;

		arg = option_arg(&opts, name, &found);
		takes = found && arg;
		if (takes) {
			emit_value(o, ctx, name, arg);
			goto out;
		}
	}
	if (!only_args && cur[0] == '-') {
		struct sb name = SB_INIT;

		for (k = 0; k < opts.n; k++) {
			size_t n = strcspn(opts.v[k], "\t");

			sb_reset(&name);
			sb_adds(&name, n == 1 ? "-" : "--");
			sb_add(&name, opts.v[k], n);
			emit(o, name.buf);
		}
		emit(o, "--help");
		sb_release(&name);
		goto out;
	}
	if (!strcmp(cmd, "print")) {
		complete_print(o, ctx, argc, argv);
		goto out;
	}
	if (str_in(cmd, no_case_operand)) {
		if (!strcmp(cmd, "init"))
			printf("@dirs\n");
		if (!strcmp(cmd, "list"))
			emit_views(o, ctx);
		goto out;
	}
	emit_cases(o, ctx);
out:
	strlist_release(&opts);
}

int complete_words(struct ctx *ctx, int argc, char **argv)
{
	static const char *const globals[] = {
		"-C", "--as", "--help", "--version", NULL
	};
	struct out o = { "", STRLIST_INIT };
	const char *const *g;
	int i = 0;

	if (argc < 1)
		return EXIT_OK;
	o.prefix = argv[argc - 1];
	/* the global options before the command */
	while (i < argc - 1 && argv[i][0] == '-') {
		if ((!strcmp(argv[i], "-C") || !strcmp(argv[i], "--as")) &&
		    i + 1 < argc - 1) {
			if (!strcmp(argv[i], "-C"))
				ctx->dir_opt = argv[i + 1];
			i += 2;
		} else if (!strcmp(argv[i], "-C") && i + 1 == argc - 1) {
			printf("@dirs\n");
			return EXIT_OK;
		} else {
			if (!strncmp(argv[i], "-C", 2) && argv[i][2])
				ctx->dir_opt = argv[i] + 2;
			i++;
		}
	}
	open_quietly(ctx);
	if (i == argc - 1) {
		if (i > 0 && !strcmp(argv[i - 1], "--as")) {
			emit_vocab(&o, &ctx->cfg, VOCAB(VOC_STAFF));
		} else if (argv[i][0] == '-') {
			for (g = globals; *g; g++)
				emit(&o, *g);
		} else {
			size_t k;

			for (k = 0; command_name(k); k++)
				emit(&o, command_name(k));
			emit(&o, "help");
		}
	} else if (command_exists(argv[i]) || !strcmp(argv[i], "help")) {
		complete_command(&o, ctx, argc - i, argv + i);
	}
	strlist_release(&o.seen);
	return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
}
