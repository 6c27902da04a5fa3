/*
 * suggest.h - "did you mean": the known words nearest to what was typed.
 *
 * For mistyped commands and options, and for values (labels, staff
 * names) that match nothing: an error that lists the nearest ones lets a
 * clerk correct the command at once instead of guessing.
 */
#ifndef DOCKET_SUGGEST_H
#define DOCKET_SUGGEST_H

#include <stddef.h>

#define SUGGEST_MAX 5

/**
 * The edit distance between two UTF-8 strings in code points: inserts,
 * deletes, substitutions and swaps of two neighbours each cost 1
 * (optimal string alignment).  ASCII letters compare case-blind.
 */
size_t edit_distance(const char *a, const char *b);

/** The nearest candidates seen so far, nearest first. */
struct suggest {
	const char *input;
	const char *word[SUGGEST_MAX];	/**< the candidates as given */
	const void *item[SUGGEST_MAX];	/**< what the caller tied to each */
	size_t dist[SUGGEST_MAX];
	size_t n;
};

void suggest_init(struct suggest *s, const char *input);
/**
 * Weigh one candidate word (with an item of the caller's, may be NULL).
 * Words that contain the input, or that it contains, count as near as
 * one edit.  An item already kept is not kept twice.
 */
void suggest_add(struct suggest *s, const char *word, const void *item);
/**
 * Keep only the best guesses at a typo: the nearest candidates, if they
 * are no more than a third of the input's length (at least 1, at most 3)
 * away.  For "did you mean"; a list of "the nearest values" keeps all.
 */
void suggest_close_only(struct suggest *s);

#endif
