/*
 * casemerge.h - three-way merge of one case file, field by field
 * (DESIGN section 14).  Used by `docket sync` and by `docket
 * merge-driver`, which git runs for case files on a plain `git merge`.
 *
 * Events are united (an event is the same on both sides when all its
 * fields are), ordered by time.  Every other top-level field is merged
 * three ways: the side that changed it wins; when both changed it to
 * different values, the side whose newest event is later wins (ties go
 * to the greater text, so both offices reach the same bytes) and a
 * `sync` event keeps the other value.  Two decisions made since the
 * common ancestor (close, reopen, merge, an acceptance or rejection) are
 * flagged `decided_twice` for a supervisor (`docket check` names them).
 * The merge is symmetric: merging (base, A, B) and (base, B, A) gives
 * the same file, which is what lets several offices converge.
 */
#ifndef DOCKET_CASEMERGE_H
#define DOCKET_CASEMERGE_H

#include <stddef.h>
#include "util.h"

struct casemerge_info {
	int changed_both;	/**< fields both sides changed differently */
	int decided_twice;	/**< decisions on both sides */
};

/**
 * Merge `ours` and `theirs` with their common ancestor `base` (NULL when
 * both sides added the file) into *out, in canonical form.  `path` names
 * the file in messages.  Returns 0, or ERR_INVALID when a side is not a
 * valid case file, or ERR_CONFLICT when the two are different cases
 * under one id (no ancestor and different first events): then *out is
 * untouched and the caller must leave the file to a person.
 */
int case_merge3(struct sb *out, const char *base, size_t blen,
	const char *ours, size_t olen, const char *theirs, size_t tlen,
	const char *path, struct casemerge_info *info, struct diag *d);

#endif
