/*
 * main.c - docket: global options and the command table.
 *
 * The dispatcher opens the store, loads docket.yaml, takes the lock for
 * writing commands and releases everything afterwards; commands never do
 * that themselves.  Only main() exits.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "intl.h"
#include "labels.h"
#include "output.h"
#include "suggest.h"
#include "version.h"

/*
 * CMD_LATE_LOCK: a writer that works long before it writes (remind mails
 * first) gets the lock from ctx->lock() just before it records, so staff
 * are not kept waiting while it talks to a mail server.
 */
/* CMD_DRY_READS: with --dry-run the command only reads (remind), so it
 * needs no staff identity and no lock. */
enum { CMD_STORE = 1, CMD_WRITE = 2, CMD_LATE_LOCK = 4, CMD_DRY_READS = 8 };

#define MAX_MESSAGES 200

struct command {
	const char *name;
	int (*fn)(int, char **, struct ctx *);
	unsigned flags;
	const char *summary;
	const char *write_opt;	/* option that makes a reader write */
};

static const struct command commands[] = {
	{ "init", cmd_init, 0,
	  N_("create a new case store"), NULL },
	{ "file", cmd_file, CMD_STORE | CMD_WRITE | CMD_LATE_LOCK,
	  N_("register a complaint or report"), NULL },
	{ "triage", cmd_triage, CMD_STORE | CMD_WRITE,
	  N_("accept, reject or classify; the queue without an ID"), NULL },
	{ "assign", cmd_assign, CMD_STORE | CMD_WRITE,
	  N_("route a case to staff or a department"), NULL },
	{ "extend", cmd_extend, CMD_STORE | CMD_WRITE,
	  N_("extend the resolve deadline (supervisor)"), NULL },
	{ "refer", cmd_refer, CMD_STORE | CMD_WRITE,
	  N_("send a case to a body outside the office; it stays open"),
	  NULL },
	{ "hold", cmd_hold, CMD_STORE | CMD_WRITE,
	  N_("stop a case's clock while it waits on others"), NULL },
	{ "resume", cmd_resume, CMD_STORE | CMD_WRITE,
	  N_("restart the clock of a case on hold"), NULL },
	{ "merge", cmd_merge, CMD_STORE | CMD_WRITE,
	  N_("close a duplicate into the case it repeats"), NULL },
	{ "note", cmd_note, CMD_STORE | CMD_WRITE,
	  N_("log progress or a contact with the complainant"), NULL },
	{ "close", cmd_close, CMD_STORE | CMD_WRITE,
	  N_("close a case with its outcome"), NULL },
	{ "feedback", cmd_feedback, CMD_STORE | CMD_WRITE,
	  N_("record the return visit after closing"), NULL },
	{ "reopen", cmd_reopen, CMD_STORE | CMD_WRITE,
	  N_("send a closed case back to its handlers"), NULL },
	{ "agenda", cmd_agenda, CMD_STORE,
	  N_("what is overdue and due soon now, by person"), NULL },
	{ "export", cmd_export, CMD_STORE,
	  N_("every field and event of the cases of a period"), NULL },
	{ "remind", cmd_remind,
	  CMD_STORE | CMD_WRITE | CMD_LATE_LOCK | CMD_DRY_READS,
	  N_("remind staff of deadlines overdue or due soon"), NULL },
	{ "report", cmd_report, CMD_STORE,
	  N_("statistics of a month or period"), NULL },
	{ "show", cmd_show, CMD_STORE,
	  N_("show one case"), NULL },
	{ "list", cmd_list, CMD_STORE,
	  N_("list cases, one line each"), NULL },
	{ "edit", cmd_edit, CMD_STORE | CMD_WRITE,
	  N_("correct a case's registered facts, with the reason"), NULL },
	{ "log", cmd_log, CMD_STORE,
	  N_("show the history of one case"), NULL },
	{ "attachment", cmd_attachment, CMD_STORE,
	  N_("write out one of a case's attachments"), NULL },
	{ "print", cmd_print, CMD_STORE,
	  N_("print a written document (notice, form) of a case"),
	  "--issue" },
	{ "check", cmd_check, CMD_STORE,
	  N_("validate the configuration and every case"), "--repair" },
	{ "gc", cmd_gc, CMD_STORE | CMD_WRITE,
	  N_("pack the store's loose git objects now"), NULL },
	{ "clone", cmd_clone, 0,
	  N_("copy a shared store to this office, ready to work"), NULL },
	{ "sync", cmd_sync, CMD_STORE | CMD_WRITE | CMD_LATE_LOCK,
	  N_("join this office's work with the others' (fetch, merge, "
	     "push)"), NULL },
	{ "hook", cmd_hook, 0,
	  N_("guard a central bare repository against bad pushes"), NULL },
	{ "merge-driver", cmd_merge_driver, 0,
	  N_("merge a case file for git, field by field"), NULL },
};

static const char main_usage[] =
	N_("docket [-C DIR] [--as STAFF] COMMAND [ARGS]");

/* Pad to `width` terminal columns (names and labels may be Chinese). */
static void print_padded(FILE *f, const char *s, size_t width)
{
	size_t w = display_width(s);

	fputs(s, f);
	while (w++ < width)
		fputc(' ', f);
}

/*
 * What bare `docket`, `docket help` and `docket --help` print: the
 * commands one a line, in the user's language.
 */
static void print_main_help(FILE *f)
{
	size_t i;

	fprintf(f, _("usage: %s\n"), _(main_usage));
	fputc('\n', f);
	fputs(_("Keep complaint and report cases in a git repository.\n"), f);
	fputc('\n', f);
	fputs(_("Commands:\n"), f);
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		fputs("  ", f);
		print_padded(f, commands[i].name, 10);
		fprintf(f, " %s\n", _(commands[i].summary));
	}
	fputs("  ", f);
	print_padded(f, "help", 10);
	fprintf(f, " %s\n", _("the help of docket or of one command"));
	fputc('\n', f);
	fputs(_("Global options:\n"
		"  -C DIR        use the store in DIR\n"
		"  --as STAFF    act as this staff id or name (default "
		"$DOCKET_USER)\n"
		"  -h, --help    show this help\n"
		"  --version     show the version\n"), f);
	fputc('\n', f);
	fputs(_("Run 'docket help COMMAND' for one command, 'man docket' for "
		"the manual.\n"), f);
}

/* ", 'list', 'log'": the suggestions, for "did you mean". */
static void join_words(struct sb *out, const char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sb_addf(out, i ? _(", '%s'") : _("'%s'"), v[i]);
}

/* A usage error before any command runs: message, then the usage line. */
static void main_error(const char *fmt, ...) PRINTF(1, 2);

static void main_error(const char *fmt, ...)
{
	struct sb msg = SB_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	print_message(NULL, "", msg.buf);
	fprintf(stderr, _("usage: %s\n"), _(main_usage));
	sb_release(&msg);
}

static const struct command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

const char *command_name(size_t i)
{
	return i < ARRAY_SIZE(commands) ? commands[i].name : NULL;
}

int command_exists(const char *name)
{
	return find_command(name) != NULL;
}

int command_run(const char *name, int argc, char **argv, struct ctx *ctx)
{
	const struct command *c = find_command(name);

	return c ? c->fn(argc, argv, ctx) : EXIT_USAGE;
}

/* "'lsit' is not a docket command", with the commands it may mean. */
static void unknown_command(const char *name)
{
	struct suggest sg;
	struct sb words = SB_INIT;
	size_t i;

	suggest_init(&sg, name);
	for (i = 0; i < ARRAY_SIZE(commands); i++)
		suggest_add(&sg, commands[i].name, NULL);
	suggest_add(&sg, "help", NULL);
	suggest_close_only(&sg);
	if (sg.n) {
		join_words(&words, sg.word, sg.n);
		main_error(_("'%s' is not a docket command; did you mean %s?"),
			name, words.buf);
	} else {
		main_error(_("'%s' is not a docket command; 'docket help' "
			"lists them"), name);
	}
	sb_release(&words);
}

/* Global options a mistyped one may mean. */
static const char *const global_opts[] = {
	"-C", "--as", "--help", "--version"
};

static void unknown_option(const char *opt)
{
	struct suggest sg;
	struct sb words = SB_INIT;
	size_t i;

	suggest_init(&sg, opt);
	for (i = 0; i < ARRAY_SIZE(global_opts); i++)
		suggest_add(&sg, global_opts[i], NULL);
	suggest_close_only(&sg);
	if (sg.n) {
		join_words(&words, sg.word, sg.n);
		main_error(_("unknown option '%s'; did you mean %s?"), opt,
			words.buf);
	} else {
		main_error(_("unknown option '%s'"), opt);
	}
	sb_release(&words);
}

static void print_version(void)
{
	if (*DOCKET_GIT)
		printf("docket %s (%s)\n", DOCKET_VERSION, DOCKET_GIT);
	else
		printf("docket %s\n", DOCKET_VERSION);
}

/* "now": DOCKET_NOW (for tests and demos) or the clock, in the store's zone. */
static int set_now(struct ctx *ctx)
{
	const char *env = getenv("DOCKET_NOW");

	if (env && *env) {
		if (ts_parse(&ctx->now, env))
			return fail(ctx, _("DOCKET_NOW='%s' is not a time like "
				"2026-11-28T09:00:00+08:00"), env);
		return 0;
	}
	ctx->now = cal_zoned(&ctx->cfg.cal, (int64_t)time(NULL));
	return 0;
}

/* The acting staff: --as, $DOCKET_USER, the staff entry whose email is
 * git's user.email, $USER. */
static int set_actor(struct ctx *ctx, unsigned flags)
{
	const char *a = ctx->as_opt;
	char *email = NULL;

	if (!a || !*a)
		a = getenv("DOCKET_USER");
	if ((!a || !*a) && ctx->store && ctx->cfg.nstaff) {
		const struct staff *st;

		email = store_git_email(ctx->store);
		st = email ? config_staff_by_email(&ctx->cfg, email) : NULL;
		if (st)
			a = st->id;
	}
	if (!a || !*a)
		a = getenv("USER");
	if (!a || !*a)
		a = "unknown";
	/* A name from the staff list stands for its id (--as 陈静). */
	if (ctx->store && ctx->cfg.nstaff && !config_staff(&ctx->cfg, a)) {
		const char *id;
		int r = vocab_lookup(&id, NULL, &ctx->cfg, VOCAB(VOC_STAFF),
			"--as", a, &ctx->d);

		if (!r)
			a = id;
		else if (r != ERR_NOTFOUND)
			r = EXIT_USAGE;
		else if (!plain_id_valid(a))
			r = vocab_resolve(&id, NULL, &ctx->cfg,
				VOCAB(VOC_STAFF), "--as", a, &ctx->d) ?
				EXIT_USAGE : 0;
		else
			r = 0;
		if (r) {
			free(email);
			return EXIT_USAGE;
		}
	}
	ctx->actor = xstrdup(a);
	free(email);
	if (!plain_id_valid(ctx->actor))
		return usage_error(ctx, _("acting staff id '%s' is not valid "
			"(lowercase letters, digits, '.', '_', '-'); use --as"),
			ctx->actor);
	/* Reading needs no identity; every write is signed by staff. */
	if ((flags & CMD_WRITE) && ctx->store && ctx->cfg.nstaff &&
	    !config_staff(&ctx->cfg, ctx->actor))
		return fail(ctx, _("'%s' is not in the staff list of docket.yaml; "
			"use --as STAFF or set DOCKET_USER"), ctx->actor);
	return 0;
}

/* 1 if argv holds the option (before any "--"). */
static int has_option(int argc, char **argv, const char *opt)
{
	int i;

	for (i = 1; opt && i < argc && strcmp(argv[i], "--"); i++)
		if (!strcmp(argv[i], opt))
			return 1;
	return 0;
}

/* The store lock, for the dispatcher and, through ctx->lock, for
 * CMD_LATE_LOCK commands. */
static int lock_store(struct ctx *ctx)
{
	struct sb who = SB_INIT;
	int ret = 0, timeout;

	if (lock_timeout(ctx, &timeout))
		return EXIT_FAIL;
	sb_addf(&who, "docket %s", ctx->cmd);
	if (store_lock(ctx->store, timeout, who.buf, &ctx->d))
		ret = EXIT_FAIL;
	sb_release(&who);
	return ret;
}

static int open_store(struct ctx *ctx, unsigned flags)
{
	char *root = NULL, path[4096];
	int ret = EXIT_FAIL;

	if (store_find(&root, ctx->dir_opt, &ctx->d) ||
	    store_open(&ctx->store, root, &ctx->d))
		goto out;
	if (snprintf(path, sizeof(path), "%s/%s", root, CONFIG_FILE) >=
	    (int)sizeof(path)) {
		fail(ctx, _("store path too long"));
		goto out;
	}
	/* a merge or rebase in progress may leave conflict markers in
	 * docket.yaml: say that first, not that the file does not parse */
	if ((flags & CMD_WRITE) && store_check_state(ctx->store, &ctx->d))
		goto out;
	/* config_load starts from the defaults itself. */
	config_release(&ctx->cfg);
	if (config_load(&ctx->cfg, path, &ctx->d))
		goto out;
	/* The office's language wins over each clerk's LANG. */
	intl_use(ctx->cfg.language);
	if ((flags & CMD_WRITE) && !(flags & CMD_LATE_LOCK) && lock_store(ctx))
		goto out;
	ret = 0;
out:
	free(root);
	return ret;
}

/*
 * Help in the language of the store that a command would use, when there
 * is one and its docket.yaml names a language; help never fails for want
 * of a store, so anything amiss here is passed over in silence.
 */
static void use_store_language(const struct ctx *ctx)
{
	struct diag d = DIAG_INIT;
	struct config cfg;
	char *root = NULL, path[4096];

	if (store_find(&root, ctx->dir_opt, &d) ||
	    snprintf(path, sizeof(path), "%s/%s", root, CONFIG_FILE) >=
	    (int)sizeof(path))
		goto out;
	/* config_load starts from the defaults itself. */
	if (!config_load(&cfg, path, &d))
		intl_use(cfg.language);
	config_release(&cfg);
out:
	diag_release(&d);
	free(root);
}

static int run(const struct command *c, int argc, char **argv,
	struct ctx *ctx)
{
	unsigned flags = c->flags;
	int ret;

	ctx->cmd = c->name;
	ctx->lock = lock_store;
	if (has_option(argc, argv, c->write_opt))
		flags |= CMD_WRITE;
	if ((flags & CMD_DRY_READS) && has_option(argc, argv, "--dry-run"))
		flags &= ~(unsigned)CMD_WRITE;
	if ((flags & CMD_STORE) && open_store(ctx, flags))
		return EXIT_FAIL;
	if ((ret = set_now(ctx)))
		return ret;
	if ((ret = set_actor(ctx, flags)))
		return ret;
	return c->fn(argc, argv, ctx);
}

static int wants_help(int argc, char **argv)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			return 0;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
	}
	return 0;
}

/* Remember a global option's value; a second one is a usage error. */
static int set_global(const struct ctx *ctx, const char **slot,
	const char *opt, const char *val)
{
	if (*slot) {
		use_store_language(ctx);
		main_error(_("option '%s' is given twice ('%s', then '%s'); "
			"give it once"), opt, *slot, val);
		return EXIT_USAGE;
	}
	*slot = val;
	return 0;
}

/*
 * The global options before the command; *ai ends at the command.
 * Returns -1 to go on, else the exit status (--help, --version, errors).
 */
static int parse_globals(struct ctx *ctx, int argc, char **argv, int *ai)
{
	size_t i;

	while (*ai < argc && argv[*ai][0] == '-') {
		const char *a = argv[*ai];
		int r = 0;

		if (!strcmp(a, "-C") && *ai + 1 < argc) {
			r = set_global(ctx, &ctx->dir_opt, "-C", argv[*ai + 1]);
			*ai += 2;
		} else if (!strncmp(a, "-C", 2) && a[2]) {
			r = set_global(ctx, &ctx->dir_opt, "-C", a + 2);
			(*ai)++;
		} else if (!strcmp(a, "--as") && *ai + 1 < argc) {
			r = set_global(ctx, &ctx->as_opt, "--as", argv[*ai + 1]);
			*ai += 2;
		} else if (!strncmp(a, "--as=", 5)) {
			r = set_global(ctx, &ctx->as_opt, "--as", a + 5);
			(*ai)++;
		} else if (!strcmp(a, "-C") || !strcmp(a, "--as")) {
			use_store_language(ctx);
			main_error(_("option '%s' needs a value"), a);
			return EXIT_USAGE;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			use_store_language(ctx);
			print_main_help(stdout);
			return EXIT_OK;
		} else if (!strcmp(a, "--commands")) {
			for (i = 0; i < ARRAY_SIZE(commands); i++)
				printf("%s\n", commands[i].name);
			return EXIT_OK;
		} else if (!strcmp(a, "--version")) {
			print_version();
			return EXIT_OK;
		} else {
			use_store_language(ctx);
			unknown_option(a);
			return EXIT_USAGE;
		}
		if (r)
			return r;
	}
	return -1;
}

/*
 * `docket help [COMMAND]`: the overview, or the command's own --help.
 * Sets *c to the command whose help is wanted, NULL for the overview;
 * returns -1 to go on, else the exit status.
 */
static int help_command(struct ctx *ctx, int argc, char **argv,
	const struct command **c)
{
	use_store_language(ctx);
	*c = NULL;
	if (argc > 2) {
		main_error(_("'docket help' takes one command, not '%s'"),
			argv[2]);
		return EXIT_USAGE;
	}
	if (argc < 2 || !strcmp(argv[1], "help")) {
		print_main_help(stdout);
		return EXIT_OK;
	}
	*c = find_command(argv[1]);
	if (!*c) {
		unknown_command(argv[1]);
		return EXIT_USAGE;
	}
	return -1;
}

int main(int argc, char **argv)
{
	static char *help_argv[] = { NULL, "--help", NULL };
	struct ctx ctx;
	const struct command *c;
	size_t i;
	int ret, ai = 1;

	intl_init();
	memset(&ctx, 0, sizeof(ctx));
	ctx.cmd = "docket";
	ctx.out_tty = isatty(STDOUT_FILENO);
	ctx.in_tty = isatty(STDIN_FILENO);
	/* Shell completion: the words after "docket", nothing else. */
	if (argc >= 2 && !strcmp(argv[1], "--complete")) {
		config_init(&ctx.cfg);
		ret = complete_words(&ctx, argc - 2, argv + 2);
		store_free(ctx.store);
		config_release(&ctx.cfg);
		return ret;
	}
	if ((ret = parse_globals(&ctx, argc, argv, &ai)) >= 0)
		return fflush(stdout) ? EXIT_FAIL : ret;
	/* Bare `docket`: what it can do, one command a line. */
	if (ai >= argc) {
		use_store_language(&ctx);
		print_main_help(stdout);
		return fflush(stdout) ? EXIT_FAIL : EXIT_OK;
	}
	if (!strcmp(argv[ai], "help")) {
		if ((ret = help_command(&ctx, argc - ai, argv + ai, &c)) >= 0)
			return fflush(stdout) ? EXIT_FAIL : ret;
		help_argv[0] = (char *)c->name;
		argv = help_argv;
		argc = 2;
		ai = 0;
	}
	c = find_command(argv[ai]);
	if (!c) {
		use_store_language(&ctx);
		unknown_command(argv[ai]);
		return EXIT_USAGE;
	}
	config_init(&ctx.cfg);
	if (wants_help(argc - ai, argv + ai)) {
		/* Help needs no store: print it before looking for one. */
		use_store_language(&ctx);
		ctx.cmd = c->name;
		ret = c->fn(argc - ai, argv + ai, &ctx);
	} else {
		ret = run(c, argc - ai, argv + ai, &ctx);
	}
	/* Every problem is reported, up to a screenful: a hostile file can
	 * hold a hundred thousand. */
	for (i = 0; i < ctx.d.n && i < MAX_MESSAGES; i++)
		print_message(ctx.cmd, "", ctx.d.msg[i]);
	if (ctx.d.n > MAX_MESSAGES) {
		struct sb more = SB_INIT;

		sb_addf(&more, Q_("%zu more problem not shown",
			"%zu more problems not shown",
			ctx.d.n - MAX_MESSAGES), ctx.d.n - MAX_MESSAGES);
		print_message(ctx.cmd, "", more.buf);
		sb_release(&more);
	}
	if (ret == EXIT_USAGE && ctx.usage)
		fprintf(stderr, _("usage: %s\n"), ctx.usage);
	if (ret == EXIT_OK && ctx.d.n)
		ret = EXIT_FAIL;
	/* what the store says after the action is done: not a failure */
	if (ctx.store) {
		const struct diag *w;

		store_unlock(ctx.store);
		w = store_warnings(ctx.store);
		for (i = 0; i < w->n && i < MAX_MESSAGES; i++)
			print_message(ctx.cmd, _("warning: "), w->msg[i]);
	}
	store_free(ctx.store);
	config_release(&ctx.cfg);
	diag_release(&ctx.d);
	free(ctx.usage);
	free(ctx.actor);
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, _("docket: %s: cannot write output: %s\n"),
			ctx.cmd, strerror(errno));
		return EXIT_FAIL;
	}
	return ret;
}
