/*
 * intake.h - a new case from what `docket file` is given: options, a
 * YAML/JSON --from document (a web form's), or a stream of them.
 *
 * Every check a new case passes is here, so that the command and the
 * fuzzer (tests/fuzz/fuzz_from.c) run the same code: field names and
 * types of the document, UTF-8, control characters, limits, required
 * fields, times, phone, email, count, the vocabularies, the files a
 * document may attach.  Every problem is reported, each at the option or
 * at FILE:LINE:COLUMN of the document, and never quoting a value that may
 * be a phone or an ID number typed into the wrong field.  Nothing here
 * prints, prompts, locks or writes.
 */
#ifndef DOCKET_INTAKE_H
#define DOCKET_INTAKE_H

#include <stddef.h>

#include "calendar.h"
#include "case.h"
#include "config.h"
#include "util.h"
#include "ytree.h"

/*
 * The intake fields, in the order of the usage line.  The short names
 * are the ones `file`'s option table has always used.
 */
enum fld {
	I_CHANNEL, I_RECEIVED_AT, I_NAME, I_PHONE, I_EMAIL, I_ADDRESS,
	I_ANONYMOUS, I_COUNT, I_RESPONDENT, I_SUBJECT, I_DESCRIPTION,
	I_REQUEST, I_LOCATION, I_OCCURRED, I_ATTACH, I_CATEGORY, I_PRIORITY,
	I_REF, I_COLLECTIVE, I__COUNT
};

/** The yes/no intake fields (--anonymous, --collective). */
enum { IN_ANONYMOUS = 1u << 0, IN_COLLECTIVE = 1u << 1 };

/** Which field each message of the diag is about, for --errors json. */
struct intake_errs {
	struct errfield {
		size_t at;		/* index into the diag */
		const char *field;	/* an option name, or a key */
		size_t doc;		/* 1-based document of a stream */
	} *v;
	size_t n, alloc;
};

/** A file to attach, as named on the command line or in --from. */
struct att_name {
	const char *name;		/* borrowed: argv or the --from tree */
	const struct ynode *node;	/* NULL: --attach on the command line */
};

/**
 * One new case's fields as given.  Values are borrowed (argv, the
 * --from tree) unless they are in stdin_text or owned.
 */
struct intake {
	const char *val[I__COUNT];	/* borrowed: argv or the --from tree */
	unsigned char fbad[I__COUNT];	/* the field was found invalid */
	struct intake_errs *errs;	/* may be NULL */
	size_t docno;			/* 1-based in a stream, else 0 */
	const struct ynode *node[I__COUNT];	/* where --from gave it */
	unsigned flags;			/* IN_* */
	struct att_name *att;		/* owned array */
	size_t natt;
	int attach_dir;			/* --attach-dir, open; or -1 */
	const char *from_file;		/* name for messages */
	const struct ynode *doc;	/* the --from document */
	struct sb stdin_text;		/* --description - */
	struct strlist owned;		/* prompted answers */
	int bad;			/* a problem was reported */
};

/** What the checks read besides the intake, and where they report. */
struct intake_env {
	const struct config *cfg;
	struct ts now;			/* "in the future" is after this */
	const char *actor;		/* the new case's received_by */
	struct diag *d;			/* every problem, appended */
};

/** An empty intake: no attach directory (-1), nothing owned. */
void intake_init(struct intake *in);
/** Free what the intake owns (not attach_dir, which its opener closes). */
void intake_release(struct intake *in);

/**
 * Parse a --from input named `name` into its documents: one, or a stream
 * of several for bulk intake.  An input with no document is refused with
 * what is wrong with it.  0 or ERR_INVALID (messages in d); free each
 * document with ynode_free() and the array with free().
 */
int intake_parse(struct ynode ***docs, size_t *ndocs, const char *buf,
	size_t len, const char *name, struct diag *d);

/**
 * Fill the intake from one --from document: a mapping of the option
 * names without the dashes, or of a case file's keys (a whole case as
 * show or export gives it files again).  Problems go to env->d, each at
 * FILE:LINE:COL, and set in->bad.
 */
void intake_read(const struct intake_env *env, struct intake *in,
	const struct ynode *root);

/**
 * The command line's values (cli[I_*], NULL where not given), flags
 * (IN_*) and --attach files: they win over the document's.
 */
void intake_take_cli(struct intake *in, const char *const *cli,
	unsigned flags, const struct strlist *attach);

/**
 * Check the intake and turn it into a new case (without id, deadlines,
 * events or attachments), c initialised by the caller.  Every problem
 * goes to env->d and sets in->bad; c is not to be filed then.
 */
void intake_build(const struct intake_env *env, struct intake *in,
	struct dcase *c);

/**
 * Refuse the files a --from document names that cannot be attached:
 * any, without an attach directory (a web form's document never names a
 * local file), else those not a regular file inside it.  --attach files
 * of the command line are not looked at.  Sets in->bad.
 */
void intake_check_attach(const struct intake_env *env, struct intake *in);

#endif
