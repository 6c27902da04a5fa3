/*
 * idxsum.h - the trailing SHA-1 of git's index file, resumed between
 * writes.
 *
 * git's index ends with the SHA-1 of everything before it, so recording
 * one changed case in the index of a 100,000-case store meant hashing
 * 10 MB again.  After each write the hash state at every MiB is kept in
 * .git/docket-index-marks together with the checksum it led to; the next
 * write of an index that begins like the one on disk resumes at the
 * last mark before the first changed byte.  The marks are used only
 * when the index on disk ends with that very checksum, so an index
 * written by git or anyone else is simply hashed whole.
 */
#ifndef DOCKET_IDXSUM_H
#define DOCKET_IDXSUM_H

#include <stddef.h>

#define IDXSUM_LEN 20
#define IDXSUM_FILE "docket-index-marks"	/* inside .git */

struct idxsum;

/**
 * Start the checksum of a new index file that shares its first `same`
 * bytes with old (the index now on disk, oldlen bytes with its
 * checksum).  marks is the path of the marks file.
 */
struct idxsum *idxsum_begin(const char *marks, const unsigned char *old,
	size_t oldlen, size_t same);
/** Feed the new file's bytes, all of them, in order. */
void idxsum_update(struct idxsum *h, const void *p, size_t len);
/** The checksum to end the file with. */
void idxsum_final(struct idxsum *h, unsigned char out[IDXSUM_LEN]);
/** Keep the marks for the next write, once the file is in place. */
void idxsum_save(struct idxsum *h, int shared);
void idxsum_free(struct idxsum *h);
/**
 * 1 if old (the index on disk) is the very file whose marks are kept:
 * docket wrote it and computed its checksum, so reading it again need
 * not verify that checksum.  marks NULL: no marks, 0.
 */
int idxsum_known(const char *marks, const unsigned char *old, size_t oldlen);

#endif
