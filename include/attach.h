/*
 * attach.h - evidence files copied into the store: signed agreements,
 * receipts, photos (`file --attach`, `note --attach`).
 *
 * One set of rules for every command that attaches: only a regular file
 * is read (a symbolic link, directory, pipe or device is refused before
 * anything is opened that could block), its name must be one the store
 * can keep, each file and the files of one case have a size limit, and
 * each gets a path attachments/ID/NAME that nothing in the case, the
 * last commit or the work tree already uses.
 */
#ifndef DOCKET_ATTACH_H
#define DOCKET_ATTACH_H

#include <stddef.h>
#include "case.h"
#include "store.h"
#include "util.h"

#define ATTACH_MAX (25 << 20)		/* bytes per attached file */
#define ATTACH_TOTAL (100 << 20)	/* bytes attached to one case */
#define ATTACH_NAME_MAX 200		/* bytes of a file name */

/** Files read for one commit: store_file rows pointing into owned data. */
struct attach_set {
	struct store_file *files;	/**< path, data, len: for txn_put */
	size_t n;
	struct sb *data;		/* owned contents */
	char **paths;			/* owned paths */
};
#define ATTACH_SET_INIT { NULL, 0, NULL, NULL }

void attach_set_release(struct attach_set *a);

/**
 * 1 if name (the last part of a path) can be kept under attachments/ID/:
 * not empty, no leading dot, no '/', printable UTF-8, at most
 * ATTACH_NAME_MAX bytes.
 */
int attach_name_ok(const char *name);

/**
 * Check one file given to attach without opening it: ERR_INVALID with a
 * message naming `what` (the option, "--attach"; NULL for none) and the
 * file when it is missing, a symbolic link, a directory or any other
 * non-regular file, has a name that cannot be kept, or is larger than
 * ATTACH_MAX.  *size gets its size.
 */
int attach_check(const char *what, const char *src, size_t *size,
	struct diag *d);

/**
 * 1 if name can be looked up inside an --attach-dir directory: relative,
 * parts separated by single '/', none empty, "." or "..", printable
 * UTF-8.  (Links are refused while it is looked up: see attach_check_in.)
 */
int attach_dir_name_ok(const char *name);

/**
 * attach_check() for a name inside the directory open as dirfd (from
 * `file --attach-dir`): the name must pass attach_dir_name_ok(), and each
 * directory on the way and the file itself is opened without following a
 * symbolic link, so that nothing outside the directory can be reached.
 * dirfd AT_FDCWD is attach_check() itself.
 */
int attach_check_in(int dirfd, const char *what, const char *name,
	size_t *size, struct diag *d);

/** A file to attach: a path given on the command line (dirfd AT_FDCWD) or
 * a name inside a directory (dirfd open on it, see attach_check_in). */
struct attach_src {
	int dirfd;
	const char *name;
};

/** attach_files() for files from several places (struct attach_src). */
int attach_files_src(struct attach_set *out, struct dcase *c,
	const struct attach_src *srcs, size_t n, struct store *s,
	const char *what, struct strlist *names, struct diag *d);

/**
 * Read the files srcs[0..n) and attach them to case c: each checked as
 * attach_check() does, the sizes of c's earlier attachments (as the store
 * has them) and the new ones together at most ATTACH_TOTAL; each gets the
 * path attachments/ID/NAME, or K-NAME (K = 2, 3, ...) when the case, the
 * last commit, the work tree or an earlier file of this call already has
 * that name.  The path and sha256 are appended to c->att and the names
 * chosen (NAME or K-NAME) to *names when names is not NULL.  s may be NULL
 * for a case that has no files yet.  On failure c->att is as it was.
 */
int attach_files(struct attach_set *out, struct dcase *c,
	const char *const *srcs, size_t n, struct store *s, const char *what,
	struct strlist *names, struct diag *d);

/**
 * The size of an attachment as the work tree has it, or -1 when the file
 * is missing or not a regular file.
 */
long long attach_size(struct store *s, const char *path);

#endif
