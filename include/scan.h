/*
 * scan.h - every case of a store, in path order, read on every core
 * through .git/docket-cache.
 *
 * The engine under list, report, remind, agenda, triage's queue, file's
 * repeat search and check.  It reads the store and its configuration and
 * nothing of the command that runs it: it prints nothing; what a command
 * says about a file that gives no case, or about a copied case, it says
 * from the callbacks here.
 */
#ifndef DOCKET_SCAN_H
#define DOCKET_SCAN_H

#include <stddef.h>

#include "case.h"
#include "config.h"
#include "store.h"
#include "util.h"

/** At most this many threads read cases. */
#define SCAN_MAX_THREADS 4

/** What a scan reads. */
struct scan_src {
	struct store *store;
	/** its configuration: its zone is set for the whole process
	 * (cal_use_zone), so the threads never change TZ */
	const struct config *cfg;
	/** at most this many threads; 0: one per core, up to
	 * SCAN_MAX_THREADS */
	unsigned threads;
};

/**
 * What a scan does with each case.  map (may be NULL) runs on several
 * threads at once: it reads the case and arg and nothing else, and fills
 * out, size bytes zeroed before; it runs while fn, skip and duplicate
 * run for earlier cases, so they must not change what it reads of arg.
 * fn then gets the case and out (NULL without a map) on the calling
 * thread, in path order; a non-zero return stops the scan, and the scan
 * returns it.  release (may be NULL) frees what is left in out after fn
 * (which may take it over and zero it), or when fn never saw it.
 */
struct scan_each {
	size_t size;
	void (*map)(void *out, const struct dcase *c, const void *arg);
	void (*release)(void *out);
	const void *arg;
	int (*fn)(void *data, const char *path, struct dcase *c, void *out);
	/** A file that gives no case, skipped: bad holds why, as
	 * "FILE:LINE:COL: message" (may be NULL). */
	void (*skip)(void *data, const char *path, const struct diag *bad);
	/** path holds a copy of case id whose own file, want, is in the
	 * scan too: the case comes once, from want (may be NULL). */
	void (*duplicate)(void *data, const char *path, const char *id,
		const char *want);
	void *data;
};

/**
 * Call each->fn for every case of the store.  *skipped (may be NULL)
 * counts the files skipped.  Returns 0, fn's non-zero value, or a
 * negative ERR_* when the store's files cannot be listed (message in d).
 */
int scan_store(const struct scan_src *src, const struct scan_each *each,
	size_t *skipped, struct diag *d);

/**
 * What a scan found of a file besides its case: its blob id (NULL when
 * the file could not be read, missing or not) and, when it gave no
 * case, why (bad: FILE:LINE:COL messages).
 */
struct scan_info {
	const unsigned char *oid;
	const struct diag *bad;
};
typedef int (*scan_file_fn)(void *data, const char *path, struct dcase *c,
	const struct scan_info *info);
/**
 * As scan_store(), for `check`: fn sees every file, c NULL for one that
 * gives no case, and copies are not told apart.  The same returns.
 */
int scan_store_every(const struct scan_src *src, scan_file_fn fn,
	void *data, struct diag *d);

#endif
