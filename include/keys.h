/*
 * keys.h - keyed hashes of personal data (phone numbers, names), for the
 * likely-repeat keys in .git/docket-keys and for searches by phone.
 *
 * A phone number has so few possibilities (about 10^11 in China) that
 * any unkeyed hash of it is reversed in minutes; the keys file held FNV
 * hashes, one reversed in about 80 s on one core.  Every key is now an
 * HMAC-SHA256 under a secret of 32 random bytes that each store keeps in
 * .git/docket-secret, created on first need with mode 0600 (0640 in a
 * store shared with a group: the group reads it, never others, whatever
 * the umask).  The secret never leaves the machine, is never committed,
 * and without it the keys file tells nothing.  Losing it costs nothing
 * but a rebuild of the keys file under a new one.
 */
#ifndef DOCKET_KEYS_H
#define DOCKET_KEYS_H

#include <stdint.h>
#include "util.h"

#define KEYS_SECRET_FILE "docket-secret"	/* inside .git */
#define KEYS_SECRET_LEN 32

struct keys;

/**
 * The keys of the store whose git directory is gitdir (".../.git"):
 * its secret read, or created when there is none (mode 0600, 0640 when
 * shared is set).  ERR_IO or ERR_INVALID (a secret file that is not a
 * regular file of KEYS_SECRET_LEN bytes), named in d, when it cannot be
 * had; never a secret of fewer random bytes.
 */
int keys_open(struct keys **out, const char *gitdir, int shared,
	struct diag *d);
void keys_close(struct keys *k);

/**
 * The key of a phone number: the first 64 bits of the HMAC of its digits
 * alone, so "138 0000-0001" and "13800000001" have one key.  0 when phone
 * is NULL or has no digit; never 0 otherwise.  For `file` (likely
 * repeats) and searches by phone alike.
 */
uint64_t keys_hash_phone(const struct keys *k, const char *phone);
/** The key of a name with a respondent (a likely repeat); 0 for none. */
uint64_t keys_hash_who(const struct keys *k, const char *name,
	const char *respondent);
/** The key of a name alone, as typed; 0 when name is NULL or empty. */
uint64_t keys_hash_name(const struct keys *k, const char *name);
/** The key of a respondent alone (filings against one employer); 0 when
 * respondent is NULL or empty. */
uint64_t keys_hash_respondent(const struct keys *k, const char *respondent);
/**
 * 64 bits that name the secret without giving it away: a keys file
 * records it, and one made under another secret is rebuilt.
 */
uint64_t keys_id(const struct keys *k);

#endif
