/*
 * casemerge.c - three-way merge of a case file, field by field.
 *
 * Each side is parsed, written back in canonical form and read as a YAML
 * tree, so that two files holding the same case compare equal whatever
 * their spelling.  A field's value is compared as the canonical text of
 * its node.  See casemerge.h for the rules.
 */
#include <stdlib.h>
#include <string.h>

#include "casemerge.h"
#include "case.h"
#include "codec.h"
#include "intl.h"
#include "ytree.h"

/* One side of the merge: the case, its canonical text and its tree, and
 * each event's canonical text (the event's identity). */
struct side {
	int present;
	struct dcase c;
	struct sb text;
	struct ynode *root;
	const struct ynode *events;	/* the `events` list, or NULL */
	char **ev;			/* canonical text of each event */
	size_t nev;
	struct ts newest;		/* newest event not in base */
	int has_new;
	int decisions;			/* decisions not in base */
};

static void side_init(struct side *s)
{
	memset(s, 0, sizeof(*s));
	case_init(&s->c);
}

static void side_release(struct side *s)
{
	size_t i;

	case_release(&s->c);
	sb_release(&s->text);
	ynode_free(s->root);
	for (i = 0; i < s->nev; i++)
		free(s->ev[i]);
	free(s->ev);
}

static char *node_text(const struct ynode *n)
{
	struct sb sb = SB_INIT;
	size_t skip = 0;
	char *s;

	if (!n)
		return NULL;
	yemit_node(&sb, n, 0);
	sb_rtrim(&sb);
	/* the emitter writes a value as it follows "key:" */
	while (skip < sb.len && (sb.buf[skip] == ' ' || sb.buf[skip] == '\n'))
		skip++;
	s = xstrdup(sb.buf + skip);
	sb_release(&sb);
	return s;
}

static int side_load(struct side *s, const char *buf, size_t len,
	const char *path, struct diag *d)
{
	size_t i;

	if (!buf)
		return 0;
	s->present = 1;
	if (case_parse(&s->c, buf, len, path, d))
		return ERR_INVALID;
	case_emit(&s->text, &s->c);
	if (ytree_parse(&s->root, s->text.buf, s->text.len, path, d) ||
	    s->root->type != YT_MAP)
		return ERR_INVALID;
	s->events = ynode_get(s->root, "events");
	if (s->events && s->events->type != YT_SEQ)
		s->events = NULL;
	if (!s->events)
		return 0;
	/* the codec writes one list item per event, in the same order */
	if (s->events->n != s->c.nevents)
		return ERR_INVALID;
	s->ev = xcalloc(s->events->n + 1, sizeof(*s->ev));
	for (i = 0; i < s->events->n; i++)
		s->ev[s->nev++] = node_text(s->events->items[i]);
	return 0;
}

static int has_event(const struct side *s, const char *ev)
{
	size_t i;

	for (i = 0; i < s->nev; i++)
		if (!strcmp(s->ev[i], ev))
			return 1;
	return 0;
}

/* A decision: what sets where a case stands, as opposed to work on it. */
static int is_decision(const struct event *e)
{
	const char *dec;

	if (!strcmp(e->action, "close") || !strcmp(e->action, "reopen") ||
	    !strcmp(e->action, "merge"))
		return 1;
	if (strcmp(e->action, "triage"))
		return 0;
	dec = event_get(e, "decision");
	return dec && (!strcmp(dec, "accept") || !strcmp(dec, "reject"));
}

/* What each side did since the base: its newest event, its decisions. */
static void side_news(struct side *s, const struct side *base)
{
	size_t i;

	for (i = 0; i < s->nev; i++) {
		const struct event *e = &s->c.events[i];

		if (base->present && has_event(base, s->ev[i]))
			continue;
		if (!s->has_new || ts_cmp(e->at, s->newest) > 0)
			s->newest = e->at;
		s->has_new = 1;
		s->decisions += is_decision(e);
	}
}

/* 1 if side a wins over side b where both changed a field.  Symmetric:
 * wins(a, b) == !wins(b, a) unless the two are the same text. */
static int wins(const struct side *a, const struct side *b)
{
	if (a->has_new != b->has_new)
		return a->has_new;
	if (a->has_new && ts_cmp(a->newest, b->newest))
		return ts_cmp(a->newest, b->newest) > 0;
	return strcmp(a->text.buf, b->text.buf) >= 0;
}

static int same(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The merged events: kept by both, or new on either; one of each. */
struct evref {
	const struct ynode *node;
	const char *text;
	struct ts at;
};

/* Take the next event of two lists in time order; at the same time
 * a's first when a_first (the base's events were there before anything
 * added to them: a note made the second a case was filed goes after
 * the filing), else the smaller text first, so that either side merging
 * gives one order. */
static int take_first(const struct evref *a, const struct evref *b,
	int a_first)
{
	int c = ts_cmp(a->at, b->at);

	if (c)
		return c < 0;
	return a_first || strcmp(a->text, b->text) < 0;
}

static size_t merge_two(struct evref *out, const struct evref *a, size_t na,
	const struct evref *b, size_t nb, int a_first)
{
	size_t i = 0, j = 0, n = 0;

	while (i < na || j < nb) {
		if (j == nb || (i < na && take_first(&a[i], &b[j], a_first)))
			out[n++] = a[i++];
		else
			out[n++] = b[j++];
	}
	return n;
}

static void evref_push(struct evref *v, size_t *n, const struct side *s,
	size_t i)
{
	v[*n].node = s->events->items[i];
	v[*n].text = s->ev[i];
	v[*n].at = s->c.events[i].at;
	(*n)++;
}

/*
 * The merged events: those of the base both sides kept (a base event one
 * side took away, by a git revert, goes), then what each side added, one
 * of each, each side's in its own order, the two woven by time.
 */
static size_t merge_events(struct evref **out, const struct side *base,
	const struct side *o, const struct side *t)
{
	size_t cap = o->nev + t->nev + 1;
	struct evref *kept = xcalloc(cap, sizeof(*kept));
	struct evref *on = xcalloc(cap, sizeof(*on));
	struct evref *tn = xcalloc(cap, sizeof(*tn));
	struct evref *news = xcalloc(cap, sizeof(*news));
	struct evref *v = xcalloc(cap, sizeof(*v));
	size_t nk = 0, non = 0, ntn = 0, nnews, n, i;

	for (i = 0; i < o->nev; i++) {
		if (!base->present || !has_event(base, o->ev[i]))
			evref_push(on, &non, o, i);
		else if (has_event(t, o->ev[i]))
			evref_push(kept, &nk, o, i);
	}
	for (i = 0; i < t->nev; i++)
		if ((!base->present || !has_event(base, t->ev[i])) &&
		    !has_event(o, t->ev[i]))
			evref_push(tn, &ntn, t, i);
	/* an event both added is in `on` only; drop it from neither list */
	nnews = merge_two(news, on, non, tn, ntn, 0);
	n = merge_two(v, kept, nk, news, nnews, 1);
	free(kept);
	free(on);
	free(tn);
	free(news);
	*out = v;
	return n;
}

/* What both sides changed differently: the field and the losing value. */
struct lost {
	struct strlist keys;
	struct strlist vals;
};

/* Merge one top-level field into text; record a field both changed. */
static void merge_field(struct sb *text, const char *key,
	const struct side *base, const struct side *w, const struct side *l,
	struct lost *lost)
{
	const struct ynode *wn = ynode_get(w->root, key);
	const struct ynode *ln = l->present ? ynode_get(l->root, key) : NULL;
	char *b = base->present ? node_text(ynode_get(base->root, key)) : NULL;
	char *ws = node_text(wn), *ls = node_text(ln);
	const struct ynode *pick = wn;

	if (same(ws, ls) || same(ls, b)) {
		pick = wn;
	} else if (same(ws, b)) {
		pick = ln;
	} else {
		strlist_push(&lost->keys, key);
		strlist_push(&lost->vals, ls ? ls : "");
	}
	if (pick) {
		sb_addf(text, "%s:", key);
		yemit_node(text, pick, 0);
	}
	free(b);
	free(ws);
	free(ls);
}

static void merge_fields(struct sb *text, const struct side *base,
	const struct side *w, const struct side *l, struct lost *lost)
{
	size_t i;

	for (i = 0; i < w->root->n; i++) {
		const char *key = w->root->pairs[i].key->str;

		if (strcmp(key, "events"))
			merge_field(text, key, base, w, l, lost);
	}
	for (i = 0; i < l->root->n; i++) {
		const char *key = l->root->pairs[i].key->str;

		if (strcmp(key, "events") && !ynode_get(w->root, key))
			merge_field(text, key, base, w, l, lost);
	}
}

static void emit_events(struct sb *text, const struct evref *ev, size_t n)
{
	struct ynode seq;
	size_t i;

	if (!n)
		return;
	memset(&seq, 0, sizeof(seq));
	seq.type = YT_SEQ;
	seq.n = n;
	seq.items = xcalloc(n, sizeof(*seq.items));
	for (i = 0; i < n; i++)
		seq.items[i] = (struct ynode *)ev[i].node;
	sb_adds(text, "events:");
	yemit_node(text, &seq, 0);
	free(seq.items);
}

/* The record of what the merge decided, for a supervisor to read. */
static void add_sync_event(struct dcase *c, struct ts at,
	const struct lost *lost, int decided_twice)
{
	struct event *e = case_add_event(c, at, "sync", "sync");
	struct sb key = SB_INIT;
	size_t i;

	if (lost->keys.n)
		event_set_list(e, "fields", lost->keys.v, lost->keys.n);
	for (i = 0; i < lost->keys.n; i++) {
		sb_reset(&key);
		sb_addf(&key, "other_%s", lost->keys.v[i]);
		event_set(e, key.buf, lost->vals.v[i]);
	}
	if (decided_twice)
		event_set(e, "decided_twice", "yes");
	sb_release(&key);
}

/* Two files under one id with no ancestor and different first events
 * are two complaints, not two versions of one. */
static int different_cases(const struct side *o, const struct side *t)
{
	if (!o->nev || !t->nev)
		return strcmp(o->text.buf, t->text.buf) != 0;
	return strcmp(o->ev[0], t->ev[0]) != 0;
}

int case_merge3(struct sb *out, const char *base, size_t blen,
	const char *ours, size_t olen, const char *theirs, size_t tlen,
	const char *path, struct casemerge_info *info, struct diag *d)
{
	struct side b, o, t;
	const struct side *w, *l;
	struct lost lost = { STRLIST_INIT, STRLIST_INIT };
	struct evref *ev = NULL;
	struct dcase m;
	struct sb text = SB_INIT;
	size_t nev;
	int ret;

	memset(info, 0, sizeof(*info));
	case_init(&m);
	side_init(&b);
	side_init(&o);
	side_init(&t);
	ret = side_load(&b, base, blen, path, d);
	ret = ret ? ret : side_load(&o, ours, olen, path, d);
	ret = ret ? ret : side_load(&t, theirs, tlen, path, d);
	if (ret)
		goto out;
	if (!b.present && different_cases(&o, &t)) {
		ret = diag_add(d, ERR_CONFLICT, _("%s: two different cases "
			"were filed under one id; keep one and file the other "
			"again"), path);
		goto out;
	}
	side_news(&o, &b);
	side_news(&t, &b);
	w = wins(&o, &t) ? &o : &t;
	l = w == &o ? &t : &o;
	merge_fields(&text, &b, w, l, &lost);
	nev = merge_events(&ev, &b, &o, &t);
	emit_events(&text, ev, nev);
	ret = case_parse(&m, text.buf, text.len, path, d);
	if (ret)
		goto out;
	info->changed_both = (int)lost.keys.n;
	info->decided_twice = o.decisions > 0 && t.decisions > 0;
	if (lost.keys.n || info->decided_twice)
		add_sync_event(&m, nev ? ev[nev - 1].at : m.received_at,
			&lost, info->decided_twice);
	sb_reset(out);
	case_emit(out, &m);
out:
	free(ev);
	case_release(&m);
	sb_release(&text);
	strlist_release(&lost.keys);
	strlist_release(&lost.vals);
	side_release(&b);
	side_release(&o);
	side_release(&t);
	return ret;
}
