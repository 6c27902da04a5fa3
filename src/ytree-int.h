/*
 * ytree-int.h - between ytree.c (libyaml) and yfast.c (docket's own
 * form read without it); not for the rest of the library.
 */
#ifndef DOCKET_YTREE_INT_H
#define DOCKET_YTREE_INT_H

#include <stddef.h>

#include "ytree.h"

/**
 * Where s stops being a scalar's text ytree takes: the offset of its
 * first byte that is not UTF-8 or starts a control character (newline
 * and tab allowed), or len when there is none.
 */
size_t ytree_text_bad(const char *s, size_t len);

/**
 * Read buf when it is written as docket writes a case file (codec.c's
 * case_emit over ytree.c's yemit_*): the tree libyaml's parse of it
 * gives, node for node, with the same text, styles, lines and columns.
 * Returns 0 with *out set (freed with ynode_free), or 1 when buf is not
 * in that form or may hold any mistake at all: then *out is untouched,
 * nothing is said, and libyaml reads buf and says what is wrong.
 * The tree is built in mem (arena_reuse()d; NULL: a new arena), which
 * it owns from then on; mem is freed when buf is not taken.
 */
int yfast_parse(struct ynode **out, const char *buf, size_t len,
	struct arena *mem);

#endif
