/*
 * suggest.c - the nearest known words to a mistyped one.
 */
#include <string.h>

#include "suggest.h"
#include "util.h"

#define MAX_CP 128	/* longer words are cut: a typo is not that long */

/* Code points of s, ASCII lowercased; returns how many (at most MAX_CP). */
static size_t code_points(unsigned *out, const char *s)
{
	size_t n = 0, len = strlen(s);
	unsigned cp;
	int k;

	while (*s && n < MAX_CP) {
		k = utf8_decode(s, len, &cp);
		if (k <= 0) {
			cp = (unsigned char)*s;
			k = 1;
		}
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		out[n++] = cp;
		s += k;
		len -= (size_t)k;
	}
	return n;
}

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

size_t edit_distance(const char *a, const char *b)
{
	unsigned x[MAX_CP], y[MAX_CP];
	/* three rows of the table: two back (for swaps), one back, this */
	size_t r0[MAX_CP + 1], r1[MAX_CP + 1], r2[MAX_CP + 1];
	size_t *pp = r0, *p = r1, *c = r2, *t;
	size_t n = code_points(x, a), m = code_points(y, b), i, j;

	for (j = 0; j <= m; j++)
		p[j] = j;
	for (i = 1; i <= n; i++) {
		c[0] = i;
		for (j = 1; j <= m; j++) {
			size_t cost = x[i - 1] != y[j - 1];

			c[j] = min3(p[j] + 1, c[j - 1] + 1, p[j - 1] + cost);
			if (i > 1 && j > 1 && x[i - 1] == y[j - 2] &&
			    x[i - 2] == y[j - 1] && pp[j - 2] + 1 < c[j])
				c[j] = pp[j - 2] + 1;
		}
		t = pp;
		pp = p;
		p = c;
		c = t;
	}
	return p[m];
}

void suggest_init(struct suggest *s, const char *input)
{
	memset(s, 0, sizeof(*s));
	s->input = input;
}

/* 1 if one of a and b contains the other, ASCII case-blind. */
static int contains(const char *a, const char *b)
{
	return (*a && strcasestr(b, a)) || (*b && strcasestr(a, b));
}

void suggest_add(struct suggest *s, const char *word, const void *item)
{
	size_t d, i, at;

	if (!word || !*word)
		return;
	d = contains(s->input, word) ? 1 : edit_distance(s->input, word);
	for (i = 0; i < s->n; i++) {
		if ((item && s->item[i] == item) || !strcmp(s->word[i], word)) {
			if (d >= s->dist[i])
				return;
			/* nearer by another word: take that one's place */
			memmove(&s->word[i], &s->word[i + 1],
				(s->n - i - 1) * sizeof(s->word[0]));
			memmove(&s->item[i], &s->item[i + 1],
				(s->n - i - 1) * sizeof(s->item[0]));
			memmove(&s->dist[i], &s->dist[i + 1],
				(s->n - i - 1) * sizeof(s->dist[0]));
			s->n--;
			break;
		}
	}
	for (at = 0; at < s->n && s->dist[at] <= d; at++)
		;
	if (at == SUGGEST_MAX)
		return;
	if (s->n == SUGGEST_MAX)
		s->n--;
	memmove(&s->word[at + 1], &s->word[at],
		(s->n - at) * sizeof(s->word[0]));
	memmove(&s->item[at + 1], &s->item[at],
		(s->n - at) * sizeof(s->item[0]));
	memmove(&s->dist[at + 1], &s->dist[at],
		(s->n - at) * sizeof(s->dist[0]));
	s->word[at] = word;
	s->item[at] = item;
	s->dist[at] = d;
	s->n++;
}

void suggest_close_only(struct suggest *s)
{
	unsigned cps[MAX_CP];
	size_t limit = code_points(cps, s->input) / 3;

	if (limit < 1)
		limit = 1;
	if (limit > 3)
		limit = 3;
	while (s->n && (s->dist[s->n - 1] > limit ||
	    s->dist[s->n - 1] > s->dist[0]))
		s->n--;
}
