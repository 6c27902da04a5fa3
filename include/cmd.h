/*
 * cmd.h - the command layer: context, option tables, shared helpers.
 *
 * Adding a subcommand takes:
 *   1. src/cmd/NAME.c exporting `int cmd_NAME(int argc, char **argv,
 *      struct ctx *ctx)` with its option table (struct opt, operands
 *      included), returning an exit status (0, 1 or 2) and putting its
 *      error messages into ctx->d (main prints them); the usage line,
 *      --help and completion are generated from the table;
 *   2. a row in the command table in src/main.c: name, function, flags
 *      (CMD_STORE: needs a store; CMD_WRITE: takes the lock), summary;
 *   3. man/docket-NAME.1 whose SYNOPSIS equals the generated usage line
 *      (tests/lint-man.sh holds them together);
 *   4. unit tests for any new module code, and tests/cli/tNNNN-NAME.sh.
 */
#ifndef DOCKET_CMD_H
#define DOCKET_CMD_H

#include <stdio.h>

#include "calendar.h"
#include "case.h"
#include "config.h"
#include "intl.h"
#include "store.h"
#include "util.h"

enum { EXIT_OK = 0, EXIT_FAIL = 1, EXIT_USAGE = 2 };

enum opt_type {
	OPT_FLAG,	/* int *: set to 1 */
	OPT_STR,	/* const char **: last value wins */
	OPT_LIST,	/* struct strlist *: every value */
	OPT_OPERAND,	/* not an option: an operand the usage names (arg),
			 * collected in order with the others */
	OPT_END
};

/*
 * How an entry shows in the usage line generated from the table; entries
 * appear in table order.  None of these is enforced by parse_options():
 * the command checks what it requires, with a message that says why.
 */
enum {
	OPT_REQ = 1,	/* always given: no brackets */
	OPT_ALT = 2,	/* instead of the entry before: "[A | B]", "(A | B)" */
	OPT_SUB = 4,	/* goes with the entry before: "[--accept [--override]]" */
	OPT_EQ = 8,	/* shown "--name=ARG" */
	OPT_MANY = 16,	/* an operand that may be repeated: "[FILTER]..." */
	OPT_HIDE = 32	/* in --help only, not in the usage line */
};

struct opt {
	/* long name without "--"; a one-letter name ("o") is the short
	 * option "-o" instead; NULL for an operand */
	const char *name;
	enum opt_type type;
	void *value;
	const char *arg;	/* placeholder in help, e.g. "ID" */
	const char *help;
	unsigned usage;		/* OPT_REQ, OPT_ALT, ... */
};

/* What parse_options() found. */
enum opts_result {
	OPTS_OK,	/* go on: options set, operands collected */
	OPTS_HELP,	/* --help was printed (or the options listed for
			 * completion): the command is done */
	OPTS_BAD	/* a usage error, in ctx->d */
};

struct ctx {
	const char *cmd;		/* command name for messages */
	char *usage;			/* its usage line, from its options */
	const char *dir_opt;		/* -C */
	const char *as_opt;		/* --as */
	struct store *store;		/* open when the command needs it */
	struct config cfg;		/* loaded with the store */
	char *actor;			/* acting staff id */
	struct ts now;			/* DOCKET_NOW or the clock */
	struct diag d;			/* errors for main to print */
	int out_tty;
	int in_tty;
	/* Take the store lock now: only for commands flagged CMD_LATE_LOCK,
	 * right before they write; everyone else is locked by the dispatcher. */
	int (*lock)(struct ctx *ctx);
	/* Set by shell completion: parse_options() lists the command's
	 * options here ("name\targ", arg empty for a flag) and returns -1,
	 * as for --help, without printing. */
	struct strlist *opt_sink;
	/* The last year warn_calendar_year() spoke of, so a run says it
	 * once. */
	int warned_year;
};

/**
 * Parse argv against opts (GNU style: options and operands may mix,
 * "--name value" or "--name=value", "--" ends options).  Operands go into
 * `args`.  Sets ctx->usage from the table before anything can go wrong.
 */
enum opts_result parse_options(struct ctx *ctx, const struct opt *opts,
	int argc, char **argv, struct strlist *args);
/**
 * parse_options() for a command that takes exactly one case id (in
 * args->v[0]): a usage error when the id is missing or followed by
 * another argument.
 */
enum opts_result parse_id_options(struct ctx *ctx, const struct opt *opts,
	int argc, char **argv, struct strlist *args);
/** The option called name ("assignee", no dashes) in opts, or NULL. */
const struct opt *find_option(const struct opt *opts, const char *name);
/** The exit status for a parse that did not say go on: 0 after --help. */
int opts_exit(enum opts_result r);
/** "docket CMD [--x ARG] ...", generated from the table (may be NULL). */
void usage_line(struct sb *out, const char *cmd, const struct opt *opts);
/** Print usage + option help to f. */
void print_help(FILE *f, const struct ctx *ctx, const struct opt *opts);
/** Record a usage error; returns EXIT_USAGE. */
int usage_error(struct ctx *ctx, const char *fmt, ...) PRINTF(2, 3);
/** Record an error; returns EXIT_FAIL. */
int fail(struct ctx *ctx, const char *fmt, ...) PRINTF(2, 3);
/**
 * Print "docket: CMD: KINDMSG" to stderr with control characters in MSG
 * escaped (cmd may be NULL).  Every message docket prints goes here.
 */
void print_message(const char *cmd, const char *kind, const char *msg);
/** Print "docket: CMD: warning: ..." to stderr at once. */
void warn(struct ctx *ctx, const char *fmt, ...) PRINTF(2, 3);
/** Print a note "docket: CMD: ..." to stderr at once. */
void inform(struct ctx *ctx, const char *fmt, ...) PRINTF(2, 3);

/**
 * Refuse text given on the command line that is empty, not UTF-8, holds
 * control characters (line breaks allowed when multiline) or is longer
 * than limit bytes; `what` names it ("--reason").
 */
int check_arg_text(struct ctx *ctx, const char *what, const char *s,
	size_t limit, int multiline);

/**
 * Read text for `what` ("--description") from standard input: at most
 * LIM_TEXT bytes, no NUL, trailing blank lines dropped.
 */
int read_stdin_text(struct ctx *ctx, const char *what, struct sb *out);

/** Write a buffer to stdout; EXIT_FAIL if the write fails. */
int emit_stdout(struct ctx *ctx, const struct sb *sb);
/**
 * Write len bytes to a new file `path` (-o FILE), mode 0600 (what docket
 * writes out holds personal data).  An existing file is refused, never
 * overwritten; a file left half-written by a failed write is removed.
 */
int emit_file(struct ctx *ctx, const char *path, const void *data,
	size_t len);

/**
 * Read and parse the case with this id from the work tree.  A bad id,
 * missing case or invalid file is an error in ctx->d (EXIT_FAIL).
 * path (may be NULL) receives the case's relative path.
 */
int load_case(struct ctx *ctx, const char *id, struct dcase *out,
	char path[CASE_PATH_BUFSZ]);
/**
 * The seconds to wait for a lock: $DOCKET_LOCK_TIMEOUT, else
 * STORE_LOCK_TIMEOUT; EXIT_FAIL (message in ctx->d) if it is not a
 * number of seconds.
 */
int lock_timeout(struct ctx *ctx, int *out);
/**
 * Like load_case, for a command about to change the case: also refuses a
 * file that differs from HEAD (hand edit).
 */
int load_case_for_write(struct ctx *ctx, const char *id, struct dcase *out);
/**
 * Write the case and commit it as one action: subject line
 * "ACTION ID: SUBJECT", trailers Case/Action/Actor, author the actor.
 * extra files (attachments) go into the same commit.  EXIT_OK/EXIT_FAIL.
 */
int save_case(struct ctx *ctx, const struct dcase *c, const char *action,
	const struct store_file *extra, size_t nextra);
/**
 * Several cases changed by one action (merge, remind): one commit with a
 * "Case:" trailer per case; the subject names the first.
 */
int save_cases(struct ctx *ctx, const struct dcase *const *cs, size_t n,
	const char *action, const struct store_file *extra, size_t nextra);
/**
 * Refuse unless the actor is the case's assignee, a member (or head) of
 * its department, or a supervisor (or the store has no staff list).
 */
int require_handler(struct ctx *ctx, const struct dcase *c,
	const char *what);
/**
 * Warn that the calendar lists no holidays for `year` (0: nothing to say),
 * at most once per year in a run (a bulk intake files many cases).
 */
void warn_calendar_year(struct ctx *ctx, int year);
/**
 * Recompute the case's deadlines (deadline_recompute) and warn about a
 * year missing from the calendar only when a deadline this command set
 * or moved falls in it: a note on a case due next year says nothing.
 */
void update_deadlines(struct ctx *ctx, struct dcase *c);
/** Build the commit signature for the acting staff. */
void actor_signer(struct ctx *ctx, struct signer *out);

/**
 * Refuse unless the actor has one of the roles (any bit of `roles`) or the
 * store has no staff list.  `what` names the action for the message.
 */
int require_role(struct ctx *ctx, unsigned roles, const char *what);
/** Names of role bits, "triage or supervisor", in the user's language. */
void role_names(struct sb *out, unsigned roles);
/** The name of one role bit (ROLE_TRIAGE) in the user's language. */
const char *role_label(unsigned role);

/**
 * The id behind an option's value (an id, a label, a staff member's
 * name) of one of the vocabularies in mask (labels.h), put back into
 * *val; NULL stays NULL.  An ambiguous or unknown value is an error in
 * ctx->d listing the matches or the nearest values (EXIT_FAIL).
 */
int resolve_option(struct ctx *ctx, const char **val, unsigned mask,
	const char *what);
/**
 * How the complainant was reached (--notified, --contact): a channel of
 * docket.yaml by id or label (来电 -> phone), else any plain word (sms).
 */
int resolve_via(struct ctx *ctx, const char **val, const char *what);

/** Parse a time given on the command line: RFC 3339, or a local
 * "YYYY-MM-DD[ HH:MM[:SS]]" / "YYYY-MM-DDTHH:MM[:SS]" in the store's
 * zone; a bare date means that day's end (23:59:59) when end_of_day. */
int parse_when(struct ctx *ctx, const char *s, int end_of_day,
	struct ts *out);

/**
 * A deadline given on the command line (--due, --info-due): a time as
 * parse_when() takes it (a bare date is that day's end), or a duration
 * counted from now ("7d", "10wd", "4h", as in docket.yaml).  A duration
 * must be more than nothing; years are refused.  0 or ERR_INVALID.
 */
int parse_due_when(struct ctx *ctx, const char *s, struct ts *out);

/* The command table of main.c, for shell completion. */
/** The name of command i, NULL past the last. */
const char *command_name(size_t i);
/** 1 if name is a command. */
/**
 * The id prefix this store files under: its site's (git config
 * docket.site, one of docket.yaml's `sites:`), else `id.prefix`.  Fails
 * when docket.yaml names several sites and this store has none, or an
 * unknown one.  *site is set to the site or NULL.
 */
int ctx_id_prefix(struct ctx *ctx, const char **prefix,
	const struct site **site);
int command_exists(const char *name);
/** Run command name's function as main would after the store is open. */
int command_run(const char *name, int argc, char **argv, struct ctx *ctx);
/**
 * `docket --complete WORD...`: print what the shell may complete for the
 * last word (complete.c).  Returns an exit status.
 */
int complete_words(struct ctx *ctx, int argc, char **argv);

/* The subcommands. */
int cmd_init(int argc, char **argv, struct ctx *ctx);
int cmd_file(int argc, char **argv, struct ctx *ctx);
int cmd_triage(int argc, char **argv, struct ctx *ctx);
int cmd_assign(int argc, char **argv, struct ctx *ctx);
int cmd_extend(int argc, char **argv, struct ctx *ctx);
int cmd_hold(int argc, char **argv, struct ctx *ctx);
int cmd_resume(int argc, char **argv, struct ctx *ctx);
int cmd_merge(int argc, char **argv, struct ctx *ctx);
int cmd_note(int argc, char **argv, struct ctx *ctx);
int cmd_refer(int argc, char **argv, struct ctx *ctx);
int cmd_close(int argc, char **argv, struct ctx *ctx);
int cmd_feedback(int argc, char **argv, struct ctx *ctx);
int cmd_reopen(int argc, char **argv, struct ctx *ctx);
int cmd_remind(int argc, char **argv, struct ctx *ctx);
int cmd_agenda(int argc, char **argv, struct ctx *ctx);
int cmd_export(int argc, char **argv, struct ctx *ctx);
int cmd_report(int argc, char **argv, struct ctx *ctx);
int cmd_show(int argc, char **argv, struct ctx *ctx);
int cmd_list(int argc, char **argv, struct ctx *ctx);
int cmd_log(int argc, char **argv, struct ctx *ctx);
int cmd_check(int argc, char **argv, struct ctx *ctx);
int cmd_attachment(int argc, char **argv, struct ctx *ctx);
int cmd_merge_driver(int argc, char **argv, struct ctx *ctx);
int cmd_sync(int argc, char **argv, struct ctx *ctx);
int cmd_hook(int argc, char **argv, struct ctx *ctx);
int cmd_clone(int argc, char **argv, struct ctx *ctx);
int cmd_edit(int argc, char **argv, struct ctx *ctx);
int cmd_print(int argc, char **argv, struct ctx *ctx);
int cmd_gc(int argc, char **argv, struct ctx *ctx);

#endif

#ifndef DOCKET_CMD_SCAN
#define DOCKET_CMD_SCAN
#include "scan.h"
/*
 * The scan engine (scan.h) for the commands: src/cmd/scan.c.
 *
 * Call fn for every case file in the store, in path order.  A file that
 * does not parse is reported on stderr as "FILE:LINE:COL: message" and
 * skipped; *skipped (may be NULL) counts them.  fn returning non-zero
 * stops the scan and that value is returned.
 */
typedef int (*scan_fn)(struct ctx *ctx, const char *path, struct dcase *c,
	void *data);
int scan_cases(struct ctx *ctx, scan_fn fn, void *data, size_t *skipped);
/** The error after a scan skipped files: "N case files could not be read
 * (see above)" and more (may be NULL); returns EXIT_FAIL. */
int fail_skipped(struct ctx *ctx, size_t skipped, const char *more);

/**
 * A scan whose per-case work runs on every core.  map reads the case,
 * ctx (the configuration, now) and arg and nothing else — it runs on
 * several threads at once — and fills out, size bytes zeroed before.
 * fn then gets the case and out, on this thread in path order.  release
 * (may be NULL) frees what is left in out after fn (which may take it
 * over and zero it), or when fn never saw it.
 */
struct scan_map {
	size_t size;
	void (*map)(void *out, const struct ctx *ctx, const struct dcase *c,
		const void *arg);
	void (*release)(void *out);
	const void *arg;
};
typedef int (*scan_mapped_fn)(struct ctx *ctx, const char *path,
	struct dcase *c, void *out, void *data);
int scan_cases_map(struct ctx *ctx, const struct scan_map *m,
	scan_mapped_fn fn, void *data, size_t *skipped);

/* struct scan_info (scan.h): the file's blob id and why it gave no
 * case. */
typedef int (*scan_every_fn)(struct ctx *ctx, const char *path,
	struct dcase *c, const struct scan_info *info, void *data);
/**
 * As scan_cases(), for `check`: fn sees every file, c NULL for one that
 * gives no case; nothing is reported for it here.
 */
int scan_every_file(struct ctx *ctx, scan_every_fn fn, void *data);
#endif
