/*
 * repeats.h - the keys `docket file` looks up to find a likely repeat,
 * and `docket list --phone/--name` to find a caller's cases.
 *
 * A likely repeat is an earlier case with the same phone, or the same
 * name and respondent.  Reading every case to find one costs a scan of
 * the store per intake (0.6 s at 100,000 cases); instead the keys of
 * every case in HEAD are kept in .git/docket-keys as 64-bit keyed hashes
 * (HMAC under the store's secret, keys.h: no name or phone in clear, and
 * none to be found by trying every phone number) with the path of their
 * case, together with the
 * id of the `cases` tree they were taken from, sorted so that a lookup
 * reads a few hundred bytes of the file rather than all of it.  Opening
 * brings the keys up to date with HEAD by diffing that tree against
 * HEAD's, so only cases changed since are read (the file is written
 * again once a few dozen have); a missing, corrupt or older file is
 * rebuilt from HEAD (through the parsed-case cache), and so is one
 * found damaged by a lookup.  A hash match only names a candidate: the
 * caller reads the case and decides.
 */
#ifndef DOCKET_REPEATS_H
#define DOCKET_REPEATS_H

#include "case.h"
#include "util.h"

#define REPEATS_FILE "docket-keys"	/* inside .git */

struct repeats;

/**
 * The keys of the store at root, up to date with HEAD; NULL when they
 * cannot be had (no repository, an unreadable HEAD): the caller then
 * reads every case instead.
 */
struct repeats *repeats_open(const char *root);
/**
 * Push the paths (relative to the store, "cases/…") of the cases whose
 * phone, or name and respondent, hash like c's, in path order.  -1 when
 * the keys cannot tell (their file damaged and not to be rebuilt): the
 * caller reads every case instead.
 */
int repeats_candidates(struct repeats *r, const struct dcase *c,
	struct strlist *paths);
/**
 * Add c, just filed as path, for the rest of this run (bulk intake);
 * not written to the file, which holds exactly the keys of its tree.
 */
void repeats_add(struct repeats *r, const char *path, const struct dcase *c);
/** Free r (opening wrote the file when it brought it up to date). */
void repeats_close(struct repeats *r);

/** The keys of c in r: phone, name with respondent, name; 0 for none. */
uint64_t repeats_phone_key(const struct repeats *r, const struct dcase *c);
uint64_t repeats_who_key(const struct repeats *r, const struct dcase *c);
uint64_t repeats_name_key(const struct repeats *r, const struct dcase *c);
uint64_t repeats_respondent_key(const struct repeats *r,
	const struct dcase *c);

enum repeats_key { RK_PHONE, RK_NAME, RK_RESPONDENT };
/** The key of a phone or name typed for a search, as the keys above. */
uint64_t repeats_hash(const struct repeats *r, enum repeats_key which,
	const char *s);
/**
 * Push the paths ("cases/…") of the cases whose phone (RK_PHONE) or
 * name (RK_NAME) hashes to key: `list --phone/--name` reads only those
 * instead of every case.  A match only names a candidate.  -1 as for
 * repeats_candidates().
 */
int repeats_find(struct repeats *r, enum repeats_key which, uint64_t key,
	struct strlist *paths);

#endif
