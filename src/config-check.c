/*
 * config-check.c - docket.yaml: the checks every section shares (a value
 * of the right type, text, an id, a duration, the keys a mapping may
 * have) and lists of {id, label}.
 */
#include "config-int.h"

/* Report one problem at node n (no position when n is NULL). */
void PRINTF(3, 4) cfg_perr(struct parser *p, const struct ynode *n,
	const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ynode_vdiag(p->d, p->file, n, fmt, ap);
	va_end(ap);
	p->nerr++;
}

int cfg_index_in(const char *s, const char *const *set)
{
	size_t i;

	for (i = 0; set[i]; i++)
		if (!strcmp(s, set[i]))
			return (int)i;
	return -1;
}

/* Refuse the keys of `map` that are not in `allowed` (typos must not
 * silently fall back to a default). */
void cfg_check_keys(struct parser *p, const struct ynode *map,
	const char *const *allowed, const char *where)
{
	size_t i;

	for (i = 0; i < map->n; i++) {
		const struct ynode *k = map->pairs[i].key;

		if (cfg_index_in(k->str, allowed) >= 0)
			continue;
		if (where)
			cfg_perr(p, k, _("unknown key '%s' in '%s'"), k->str, where);
		else
			cfg_perr(p, k, _("unknown key '%s'"), k->str);
	}
}

static const char *type_name(enum yt_type t)
{
	switch (t) {
	case YT_MAP:
		return C_("yaml value", "a mapping");
	case YT_SEQ:
		return C_("yaml value", "a list");
	default:
		return C_("yaml value", "text");
	}
}

/* 1 if n has type t; otherwise report it and return 0. */
int cfg_want(struct parser *p, const struct ynode *n, enum yt_type t,
	const char *what)
{
	if (n->type == t)
		return 1;
	cfg_perr(p, n, _("'%s' must be %s, not %s"), what, type_name(t),
		ynode_is_null(n) ? C_("yaml value", "empty") : ynode_kind(n));
	return 0;
}

/*
 * A text value of at most max bytes: a scalar, not null or empty, with
 * no control characters.  *out is replaced only on success.
 */
int cfg_get_text(struct parser *p, const struct ynode *n,
	const char *what, size_t max, char **out)
{
	if (!cfg_want(p, n, YT_SCALAR, what))
		return -1;
	if (ynode_is_null(n) || n->len == 0) {
		cfg_perr(p, n, _("empty '%s'"), what);
		return -1;
	}
	if (has_control(n->str, n->len, 0)) {
		cfg_perr(p, n, _("control character in '%s'"), what);
		return -1;
	}
	if (n->len > max) {
		cfg_perr(p, n, _("'%s' is too long (%zu bytes at most)"), what, max);
		return -1;
	}
	free(*out);
	*out = xstrdup(n->str);
	return 0;
}

/* An id: [a-z0-9][a-z0-9._-]*, at most LIM_ID bytes. */
int cfg_get_id(struct parser *p, const struct ynode *n, const char *what,
	char **out)
{
	if (!cfg_want(p, n, YT_SCALAR, what))
		return -1;
	if (ynode_is_null(n) || n->len == 0) {
		cfg_perr(p, n, _("empty id in '%s'"), what);
		return -1;
	}
	if (n->len > LIM_ID || !plain_id_valid(n->str)) {
		cfg_perr(p, n, _("invalid id '%s' in '%s' (use a-z, 0-9, '.', '_' "
			"and '-', starting with a letter or digit, at most %d "
			"characters)"), n->str, what, LIM_ID);
		return -1;
	}
	free(*out);
	*out = xstrdup(n->str);
	return 0;
}

/* A duration; Ny only where years make sense (limits.look_back). */
void cfg_get_duration(struct parser *p, const struct ynode *n,
	const char *what, int years_ok, struct duration *out)
{
	struct duration dur;

	if (!cfg_want(p, n, YT_SCALAR, what))
		return;
	if (duration_parse(&dur, n->str) < 0) {
		cfg_perr(p, n, _("invalid duration '%s' in '%s' (e.g. 8h, 5d, "
			"15wd%s)"), n->str, what, years_ok ? ", 2y" : "");
		return;
	}
	if (dur.unit == DUR_YEARS && !years_ok) {
		cfg_perr(p, n, _("years are not allowed in '%s' (use h, d or wd)"),
			what);
		return;
	}
	*out = dur;
}

/* ---- lists of items with an id ---- */

const void *cfg_find_id(const void *v, size_t n, size_t size, const char *id)
{
	const char *item = v;
	size_t i;

	if (!id)
		return NULL;
	for (i = 0; i < n; i++, item += size)
		if (!strcmp(*(char *const *)item, id))
			return item;
	return NULL;
}

void cfg_free_items(void *v, size_t n, size_t size, void (*clear)(void *))
{
	char *item = v;
	size_t i;

	for (i = 0; i < n; i++, item += size)
		clear(item);
	free(v);
}

/* ---- lists of {id, label} ---- */

CFG_ID_FIRST(struct labelled);

static void labelled_clear(void *item)
{
	struct labelled *l = item;

	free(l->id);
	free(l->label);
}

void cfg_free_labelled(struct labelled *v, size_t n)
{
	cfg_free_items(v, n, sizeof(*v), labelled_clear);
}

const struct labelled *cfg_find_labelled(const struct labelled *v,
	size_t n, const char *id)
{
	return cfg_find_id(v, n, sizeof(*v), id);
}

void cfg_copy_labelled(struct labelled **out, size_t *nout,
	const struct labelled *src, size_t n)
{
	size_t i;

	*out = xcalloc(n, sizeof(**out));
	for (i = 0; i < n; i++) {
		(*out)[i].id = xstrdup(src[i].id);
		(*out)[i].label = xstrdup(src[i].label);
	}
	*nout = n;
}

/*
 * One {id, label} entry.  Returns 0 when it has a usable id: such an
 * entry is kept even if its label is wrong, so that one mistake does not
 * cause "unknown priority" errors further down.
 */
static int parse_one_labelled(struct parser *p, const struct ynode *it,
	const char *what, struct labelled *out)
{
	static const char *const keys[] = { "id", "label", NULL };
	const struct ynode *n;

	if (!cfg_want(p, it, YT_MAP, what))
		return -1;
	cfg_check_keys(p, it, keys, what);
	if (!(n = ynode_get(it, "label")))
		cfg_perr(p, it, _("missing 'label' in '%s' entry"), what);
	else
		cfg_get_text(p, n, "label", LIM_NAME, &out->label);
	if (!(n = ynode_get(it, "id"))) {
		cfg_perr(p, it, _("missing 'id' in '%s' entry"), what);
		return -1;
	}
	return cfg_get_id(p, n, what, &out->id);
}

/* Replace *v with the list in `seq`; need_one: refuse an empty list. */
void cfg_parse_labelled(struct parser *p, const struct ynode *seq,
	const char *what, int need_one, struct labelled **v, size_t *nv)
{
	struct labelled *out = NULL;
	size_t n = 0, alloc = 0, i;

	if (!cfg_want(p, seq, YT_SEQ, what))
		return;
	if (need_one && seq->n == 0)
		cfg_perr(p, seq, _("'%s' needs at least one entry"), what);
	for (i = 0; i < seq->n; i++) {
		struct labelled it = { NULL, NULL };
		int bad = parse_one_labelled(p, seq->items[i], what, &it) < 0;

		if (!bad && cfg_find_labelled(out, n, it.id)) {
			cfg_perr(p, ynode_get(seq->items[i], "id"),
				_("duplicate id '%s' in '%s'"), it.id, what);
			bad = 1;
		}
		if (bad) {
			free(it.id);
			free(it.label);
			continue;
		}
		if (!it.label)
			it.label = xstrdup(it.id);
		GROW(out, alloc, n + 1);
		out[n++] = it;
	}
	cfg_free_labelled(*v, *nv);
	*v = out;
	*nv = n;
}
