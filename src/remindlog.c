/*
 * remindlog.c - the journal of a `docket remind --mail` run (see
 * remindlog.h for the format and why it exists).
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "intl.h"
#include "remindlog.h"

#define REMINDLOG_MAGIC "docket-remind 1"

static const char *const state_words[] = {
	[RL_PLANNED] = "plan", [RL_TRYING] = "try", [RL_SENT] = "sent",
	[RL_FAILED] = "failed"
};

void remindlog_init(struct remindlog *l, struct ts at, const char *actor)
{
	memset(l, 0, sizeof(*l));
	l->at = at;
	l->actor = xstrdup(actor ? actor : "docket");
}

void remindlog_release(struct remindlog *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].id);
		free(l->v[i].to);
		free(l->v[i].co);
	}
	free(l->v);
	free(l->actor);
	memset(l, 0, sizeof(*l));
}

void remindlog_add(struct remindlog *l, const char *id, enum due_kind kind,
	struct ts due, int level, const char *to)
{
	struct rl_entry *e;

	GROW(l->v, l->alloc, l->n + 1);
	e = &l->v[l->n++];
	e->id = xstrdup(id);
	e->kind = kind;
	e->due = due;
	e->level = level;
	e->to = xstrdup(to);
	e->info = 0;
	e->referral = 0;
	e->co = NULL;
	e->state = RL_PLANNED;
}

void remindlog_set_other(struct remindlog *l, int info, int referral,
	const char *co)
{
	struct rl_entry *e = &l->v[l->n - 1];

	e->info = info && !co;
	e->referral = referral && co;
	free(e->co);
	e->co = co ? xstrdup(co) : NULL;
}

const char *remindlog_deadline(const struct rl_entry *e)
{
	if (e->info)
		return "info";
	if (e->referral)
		return "referral";
	return e->co ? "co_reply" : due_names[e->kind];
}

void remindlog_mark(struct remindlog *l, const char *to, enum rl_state st)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i].to, to))
			l->v[i].state = st;
}

int remindlog_mailed(const struct rl_entry *e)
{
	return e->state == RL_SENT || e->state == RL_TRYING;
}

/* The name of an outside body may hold blanks: in the journal, a blank,
 * a control byte and '%' are written %XX, so it stays one word. */
static void put_word(struct sb *out, const char *s)
{
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch <= 0x20 || ch == 0x7f || ch == '%')
			sb_addf(out, "%%%02X", ch);
		else
			sb_addc(out, *s);
	}
}

/* put_word() undone in place; ERR_INVALID for a bad %XX or a NUL. */
static int get_word(char *s)
{
	char *o = s, hex[3] = { 0 };
	unsigned long v;

	for (; *s; s++) {
		if (*s != '%') {
			*o++ = *s;
			continue;
		}
		if (!isxdigit((unsigned char)s[1]) ||
		    !isxdigit((unsigned char)s[2]))
			return ERR_INVALID;
		hex[0] = s[1];
		hex[1] = s[2];
		v = strtoul(hex, NULL, 16);
		if (!v)
			return ERR_INVALID;
		*o++ = (char)v;
		s += 2;
	}
	*o = '\0';
	return 0;
}

void remindlog_format(struct sb *out, const struct remindlog *l)
{
	char at[TS_BUFSZ];
	size_t i;

	ts_format(at, l->at);
	sb_addf(out, REMINDLOG_MAGIC "\nat %s\nby %s\n", at, l->actor);
	for (i = 0; i < l->n; i++) {
		const struct rl_entry *e = &l->v[i];

		ts_format(at, e->due);
		sb_addf(out, "remind %s %s %s %d %s", e->id,
			remindlog_deadline(e), at, e->level, e->to);
		if (e->co) {
			sb_addc(out, ' ');
			put_word(out, e->co);
		}
		sb_addc(out, '\n');
	}
}

void remindlog_progress(struct sb *out, const char *to, enum rl_state st)
{
	sb_addf(out, "%s %s\n", state_words[st], to);
}

/* A word of the journal: no blanks, no controls, not empty. */
static int word_ok(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || *s == 0x7f)
			return 0;
	return 1;
}

static int parse_kind(enum due_kind *out, const char *s)
{
	int k;

	for (k = 0; k < DUE__COUNT; k++)
		if (!strcmp(s, due_names[k])) {
			*out = (enum due_kind)k;
			return 0;
		}
	return ERR_INVALID;
}

/* "remind ID DEADLINE DUE LEVEL TO [CO]" split into w[1..6]; CO comes
 * with DEADLINE co_reply and only with it. */
static int parse_remind(struct remindlog *l, char **w, size_t n)
{
	enum due_kind kind = DUE_ACK;
	int info = !strcmp(w[2], "info"), referral = !strcmp(w[2], "referral");
	int co = referral || !strcmp(w[2], "co_reply");
	struct ts due;

	if (!word_ok(w[1]) || !word_ok(w[5]) || (co != (n == 7)) ||
	    (n == 7 && (!word_ok(w[6]) || get_word(w[6]) || !*w[6])) ||
	    (!info && !co && parse_kind(&kind, w[2])) ||
	    ts_parse(&due, w[3]) || (strcmp(w[4], "1") && strcmp(w[4], "2")))
		return ERR_INVALID;
	remindlog_add(l, w[1], kind, due, atoi(w[4]), w[5]);
	if (info || co)
		remindlog_set_other(l, info, referral, co ? w[6] : NULL);
	return 0;
}

/* One line, split at single blanks into at most 7 words (an 8th: bad). */
static int parse_line(struct remindlog *l, char *line, size_t lineno,
	int *seen_at, int *seen_by)
{
	char *w[8] = { NULL };
	size_t n = 0, i;

	w[n++] = line;
	while (n < 8 && (line = strchr(line, ' '))) {
		*line++ = '\0';
		w[n++] = line;
	}
	if (lineno == 1)
		return strcmp(w[0], "docket-remind") || n != 2 ||
			strcmp(w[1], "1") ? ERR_INVALID : 0;
	if (!strcmp(w[0], "at") && n == 2 && !*seen_at) {
		*seen_at = 1;
		return ts_parse(&l->at, w[1]) ? ERR_INVALID : 0;
	}
	if (!strcmp(w[0], "by") && n == 2 && !*seen_by && word_ok(w[1])) {
		*seen_by = 1;
		free(l->actor);
		l->actor = xstrdup(w[1]);
		return 0;
	}
	if (!strcmp(w[0], "remind") && (n == 6 || n == 7))
		return parse_remind(l, w, n);
	for (i = RL_TRYING; n == 2 && i < ARRAY_SIZE(state_words); i++)
		if (!strcmp(w[0], state_words[i]) && word_ok(w[1])) {
			remindlog_mark(l, w[1], (enum rl_state)i);
			return 0;
		}
	return ERR_INVALID;
}

int remindlog_parse(struct remindlog *l, const char *buf, size_t len,
	const char *file, struct diag *d)
{
	struct sb line = SB_INIT;
	const char *p = buf, *end = buf + len, *nl;
	size_t lineno = 0;
	int seen_at = 0, seen_by = 0, ret = 0;

	remindlog_init(l, (struct ts){ 0, 0 }, NULL);
	while (p < end && (nl = memchr(p, '\n', (size_t)(end - p)))) {
		lineno++;
		sb_reset(&line);
		sb_add(&line, p, (size_t)(nl - p));
		p = nl + 1;
		if (memchr(line.buf, '\0', line.len) ||
		    parse_line(l, line.buf, lineno, &seen_at, &seen_by)) {
			ret = diag_at(d, ERR_INVALID, file, (int)lineno, 0,
				_("not a line of docket's remind journal"));
			break;
		}
	}
	if (!ret && (!seen_at || !seen_by))
		ret = diag_at(d, ERR_INVALID, file, 0, 0, _("docket's remind "
			"journal is incomplete (no 'at' or 'by' line)"));
	sb_release(&line);
	return ret;
}
