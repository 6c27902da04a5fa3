/*
 * codec.c - case files: YAML text <-> struct dcase.
 *
 * Parsing goes through ytree (libyaml) so every value keeps its line and
 * column; the checks here are the structural ones of DESIGN section 3.
 * The case is built in the tree's arena: its strings are the tree's, its
 * arrays are allocated there, and the arena becomes the case's
 * (case_parse_shared()); case_parse() copies that into a case of its own.
 * A scan reads 100,000 files this way without a malloc per string.
 * Emitting writes the canonical form by hand (see ytree.h for why).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "intl.h"
#include "codec.h"
#include "config.h"
#include "ytree.h"

struct cparse {
	const char *file;
	struct diag *d;
	int bad;
	struct arena *mem;	/* the tree's, where the case is built */
};

/* Room for n elements in the case's arena (n: known from the tree). */
static void *room(struct cparse *p, size_t n, size_t size)
{
	return n ? arena_calloc(p->mem, n, size) : NULL;
}

static int bad(struct cparse *p, const struct ynode *n, const char *fmt, ...)
	PRINTF(3, 4);

static int bad(struct cparse *p, const struct ynode *n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ynode_vdiag(p->d, p->file, n, fmt, ap);
	va_end(ap);
	p->bad = 1;
	return ERR_INVALID;
}

/* A text value: a scalar within limit bytes, on one line unless multiline. */
static int get_text(struct cparse *p, const struct ynode *n, const char *what,
	size_t limit, int multiline, char **out)
{
	if (n->type != YT_SCALAR)
		return bad(p, n, _("'%s' must be text, not %s"), what,
			ynode_kind(n));
	if (ynode_is_null(n)) {
		*out = NULL;
		return 0;
	}
	if (n->len > limit)
		return bad(p, n, _("'%s' is %zu bytes long; the limit is %zu"),
			what, n->len, limit);
	if (has_control(n->str, n->len, multiline))
		return bad(p, n, multiline ?
			_("'%s' contains a control character") :
			_("'%s' contains a line break or control character"),
			what);
	*out = n->str;
	return 0;
}

static int get_id(struct cparse *p, const struct ynode *n, const char *what,
	char **out)
{
	if (get_text(p, n, what, LIM_NAME, 0, out))
		return ERR_INVALID;
	if (*out && !plain_id_valid(*out))
		return bad(p, n, _("'%s' must be an id of lowercase letters, "
			"digits, '.', '_' or '-', not '%s'"), what, *out);
	return 0;
}

/* Category ids are paths of plain ids: "fertilizer/fake". */
static int category_valid(const char *s)
{
	char *copy = xstrdup(s), *seg, *save = NULL;
	int ok = 1;

	if (!*s || s[strlen(s) - 1] == '/')
		ok = 0;
	for (seg = strtok_r(copy, "/", &save); ok && seg;
	     seg = strtok_r(NULL, "/", &save))
		ok = plain_id_valid(seg);
	if (strstr(s, "//") || s[0] == '/')
		ok = 0;
	free(copy);
	return ok;
}

static int get_ts(struct cparse *p, const struct ynode *n, const char *what,
	struct ts *out)
{
	if (n->type != YT_SCALAR || ts_parse(out, n->str))
		return bad(p, n, _("'%s' must be a time like "
			"2026-11-28T09:14:00+08:00 (with its UTC offset)"), what);
	return 0;
}

static int get_bool(struct cparse *p, const struct ynode *n, const char *what,
	int *out)
{
	if (n->type == YT_SCALAR && n->style == YT_PLAIN) {
		if (!strcmp(n->str, "true")) {
			*out = 1;
			return 0;
		}
		if (!strcmp(n->str, "false")) {
			*out = 0;
			return 0;
		}
	}
	return bad(p, n, _("'%s' must be true or false"), what);
}

static int get_enum(struct cparse *p, const struct ynode *n, const char *what,
	const char *const *allowed, char **out)
{
	struct sb list = SB_INIT;
	const char *const *a;

	if (get_text(p, n, what, LIM_NAME, 0, out))
		return ERR_INVALID;
	if (*out && str_in(*out, allowed))
		return 0;
	for (a = allowed; *a; a++)
		sb_addf(&list, "%s%s", a == allowed ? "" : ", ", *a);
	bad(p, n, _("'%s' must be one of %s, not '%s'"), what, list.buf,
		*out ? *out : "");
	sb_release(&list);
	return ERR_INVALID;
}

static int need_map(struct cparse *p, const struct ynode *n, const char *what)
{
	if (n->type != YT_MAP)
		return bad(p, n, _("'%s' must be a mapping, not %s"), what,
			ynode_kind(n));
	return 0;
}

static int need_seq(struct cparse *p, const struct ynode *n, const char *what)
{
	if (n->type != YT_SEQ)
		return bad(p, n, _("'%s' must be a list, not %s"), what,
			ynode_kind(n));
	if (n->n > LIM_LIST && strcmp(what, "events"))
		return bad(p, n, _("'%s' has %zu entries; the limit is %d"), what,
			n->n, LIM_LIST);
	return 0;
}

/* An unknown key of map, kept as it is: *v has room for map->n. */
static void add_extra(struct cparse *p, struct extra **v, size_t *n,
	const struct ynode *map, const struct ypair *pr)
{
	if (!*v)
		*v = room(p, map->n, sizeof(**v));
	(*v)[*n].key = pr->key->str;
	(*v)[*n].val = pr->val;
	(*v)[*n].line = pr->key->line;
	(*v)[*n].col = pr->key->col;
	(*n)++;
}

static void parse_complainant(struct cparse *p, const struct ynode *m,
	struct complainant *w)
{
	size_t i;

	if (need_map(p, m, "complainant"))
		return;
	for (i = 0; i < m->n; i++) {
		const char *k = m->pairs[i].key->str;
		const struct ynode *v = m->pairs[i].val;

		if (!strcmp(k, "name"))
			get_text(p, v, "complainant.name", LIM_NAME, 0, &w->name);
		else if (!strcmp(k, "phone"))
			get_text(p, v, "complainant.phone", 64, 0, &w->phone);
		else if (!strcmp(k, "email"))
			get_text(p, v, "complainant.email", LIM_NAME, 0,
				&w->email);
		else if (!strcmp(k, "address"))
			get_text(p, v, "complainant.address", LIM_SUBJECT, 0,
				&w->address);
		else if (!strcmp(k, "anonymous"))
			get_bool(p, v, "complainant.anonymous", &w->anonymous);
		else if (!strcmp(k, "count")) {
			char *end;
			long c = v->type == YT_SCALAR ?
				strtol(v->str, &end, 10) : 0;

			if (v->type != YT_SCALAR || v->style != YT_PLAIN ||
			    !*v->str || *end || c < 1 || c > 100000)
				bad(p, v, _("'complainant.count' must be a whole "
					"number from 1 to 100000"));
			else
				w->count = c;
		} else {
			add_extra(p, &w->extra, &w->nextra, m, &m->pairs[i]);
		}
	}
}

static void parse_due(struct cparse *p, const struct ynode *m, struct due *due)
{
	size_t i;
	int k;

	if (need_map(p, m, "due"))
		return;
	for (i = 0; i < m->n; i++) {
		const char *key = m->pairs[i].key->str;

		for (k = 0; k < DUE__COUNT; k++)
			if (!strcmp(key, due_names[k]))
				break;
		if (k == DUE__COUNT) {
			bad(p, m->pairs[i].key, _("unknown deadline '%s' in 'due' "
				"(ack, feedback or resolve)"), key);
			continue;
		}
		if (!get_ts(p, m->pairs[i].val, key, &due->at[k]))
			due->has |= 1u << k;
	}
}

static void parse_idlist(struct cparse *p, const struct ynode *s,
	const char *what, int case_ids, char ***out, size_t *n)
{
	size_t i;

	if (need_seq(p, s, what))
		return;
	*out = room(p, s->n, sizeof(**out));
	for (i = 0; i < s->n; i++) {
		const struct ynode *v = s->items[i];
		char *id = NULL;

		if (get_text(p, v, what, LIM_NAME, 0, &id) || !id) {
			if (!id && !p->bad)
				bad(p, v, _("empty entry in '%s'"), what);
			continue;
		}
		if (case_ids ? !case_id_valid(id) : !plain_id_valid(id))
			bad(p, v, case_ids ? _("'%s' is not a valid case id") :
				_("'%s' is not a valid id"), id);
		else if (!strv_has(*out, *n, id))
			(*out)[(*n)++] = id;
	}
}

/* attachments/ID/NAME with NAME a single safe path component. */
static int attachment_path_ok(const char *path, const char *id)
{
	const char *rest, *name;

	if (strncmp(path, "attachments/", 12))
		return 0;
	rest = path + 12;
	name = strchr(rest, '/');
	if (!name || name == rest)
		return 0;
	if (id && ((size_t)(name - rest) != strlen(id) ||
	    strncmp(rest, id, strlen(id))))
		return 0;
	name++;
	return *name && name[0] != '.' && !strchr(name, '/');
}

static void parse_attachments(struct cparse *p, const struct ynode *s,
	struct dcase *c)
{
	size_t i, j;

	if (need_seq(p, s, "attachments"))
		return;
	c->att = room(p, s->n, sizeof(*c->att));
	for (i = 0; i < s->n; i++) {
		const struct ynode *m = s->items[i], *pv, *hv;
		struct attachment *a = &c->att[c->natt];

		if (need_map(p, m, "attachments"))
			continue;
		pv = ynode_get(m, "path");
		hv = ynode_get(m, "sha256");
		if (!pv || !hv || m->n != 2) {
			bad(p, m, _("an attachment has exactly 'path' and "
				"'sha256'"));
			continue;
		}
		if (!get_text(p, pv, "attachments.path", 512, 0, &a->path) &&
		    !a->path)
			bad(p, pv, _("'attachments.path' has no value"));
		if (!get_text(p, hv, "attachments.sha256", 64, 0, &a->sha256) &&
		    !a->sha256)
			bad(p, hv, _("'attachments.sha256' has no value"));
		if (a->path && !attachment_path_ok(a->path, c->id))
			bad(p, pv, _("attachment path '%s' must be "
				"attachments/<case id>/<file name>"), a->path);
		if (a->sha256 && (strlen(a->sha256) != 64 ||
		    strspn(a->sha256, "0123456789abcdef") != 64))
			bad(p, hv, _("'sha256' must be 64 lowercase hex digits"));
		for (j = 0; j < c->natt && a->path; j++)
			if (c->att[j].path && !strcmp(c->att[j].path, a->path))
				bad(p, pv, _("attachment '%s' is listed twice"),
					a->path);
		c->natt++;
	}
}

static void parse_closure(struct cparse *p, const struct ynode *m,
	struct closure *cl)
{
	size_t i;

	if (need_map(p, m, "closure"))
		return;
	cl->present = 1;
	for (i = 0; i < m->n; i++) {
		const char *k = m->pairs[i].key->str;
		const struct ynode *v = m->pairs[i].val;

		if (!strcmp(k, "at"))
			get_ts(p, v, "closure.at", &cl->at);
		else if (!strcmp(k, "by"))
			get_id(p, v, "closure.by", &cl->by);
		else if (!strcmp(k, "outcome"))
			get_enum(p, v, "closure.outcome", case_outcomes,
				&cl->outcome);
		else if (!strcmp(k, "summary"))
			get_text(p, v, "closure.summary", LIM_TEXT, 1,
				&cl->summary);
		else if (!strcmp(k, "satisfaction")) {
			if (!ynode_is_null(v))
				get_enum(p, v, "closure.satisfaction",
					case_satisfactions, &cl->satisfaction);
		} else if (!strcmp(k, "on_time"))
			get_bool(p, v, "closure.on_time", &cl->on_time);
		else if (!strcmp(k, "notified")) {
			const struct ynode *at, *via;

			if (need_map(p, v, "closure.notified"))
				continue;
			at = ynode_get(v, "at");
			via = ynode_get(v, "via");
			if (!at || !via || v->n != 2) {
				bad(p, v, _("'closure.notified' has exactly 'at' "
					"and 'via'"));
				continue;
			}
			if (get_ts(p, at, "closure.notified.at",
			    &cl->notified_at) ||
			    get_id(p, via, "closure.notified.via",
			    &cl->notified_via))
				continue;
			if (!cl->notified_via)
				bad(p, via, _("'closure.notified.via' has no value"));
			else
				cl->notified = 1;
		} else {
			add_extra(p, &cl->extra, &cl->nextra, m, &m->pairs[i]);
		}
	}
	if (!cl->by || !cl->outcome || !cl->at.t)
		bad(p, m, _("'closure' needs 'at', 'by' and 'outcome'"));
}

/* What a null value of an event field reads as (never written to: the
 * case is read-only until copied). */
static char no_text[] = "";

/* A field after at, by and action: e->f has room for all of them. */
static void parse_event_field(struct cparse *p, struct event *e,
	const struct ypair *pr)
{
	const struct ynode *v = pr->val;
	char *k = pr->key->str, *s = NULL;
	struct event_field *f = &e->f[e->nf];
	size_t i;

	if (!plain_id_valid(k) && strspn(k, "abcdefghijklmnopqrstuvwxyz_") !=
	    strlen(k)) {
		bad(p, pr->key, _("event field name '%s' is not a valid key"), k);
		return;
	}
	if (v->type == YT_SEQ) {
		f->list = room(p, v->n, sizeof(*f->list));
		for (i = 0; i < v->n; i++) {
			if (get_text(p, v->items[i], k, LIM_TEXT, 1, &s))
				continue;
			/* a null item reads as empty text */
			f->list[f->nlist++] = s ? s : no_text;
		}
		f->is_list = 1;
	} else if (get_text(p, v, k, LIM_TEXT, 1, &s)) {
		return;
	} else {
		f->val = s ? s : no_text;
	}
	f->key = k;
	e->nf++;
}

enum { EV_AT, EV_BY, EV_ACTION, EV__HEAD };

/* Which of an event's first three keys k is, or EV__HEAD for a field
 * after them. */
static int event_head(const char *k)
{
	if (!strcmp(k, "at"))
		return EV_AT;
	if (!strcmp(k, "by"))
		return EV_BY;
	return strcmp(k, "action") ? EV__HEAD : EV_ACTION;
}

static void parse_events(struct cparse *p, const struct ynode *s,
	struct dcase *c)
{
	size_t i, j;

	if (need_seq(p, s, "events"))
		return;
	if (s->n > LIM_EVENTS) {
		bad(p, s, _("more than %d events"), LIM_EVENTS);
		return;
	}
	c->events = room(p, s->n, sizeof(*c->events));
	for (i = 0; i < s->n; i++) {
		/* at, by, action, and (unused) the last further field */
		const struct ynode *m = s->items[i], *head[EV__HEAD + 1];
		char *bys = NULL, *acts = NULL;
		struct ts ts;
		struct event *e;

		if (need_map(p, m, "events"))
			continue;
		memset(head, 0, sizeof(head));
		for (j = 0; j < m->n; j++)
			head[event_head(m->pairs[j].key->str)] = m->pairs[j].val;
		if (!head[EV_AT] || !head[EV_BY] || !head[EV_ACTION]) {
			bad(p, m, _("an event needs 'at', 'by' and 'action'"));
			continue;
		}
		if (get_ts(p, head[EV_AT], "at", &ts) ||
		    get_id(p, head[EV_BY], "by", &bys) ||
		    get_id(p, head[EV_ACTION], "action", &acts) || !bys || !acts)
			continue;
		e = &c->events[c->nevents++];
		e->at = ts;
		e->by = bys;
		e->action = acts;
		e->f = room(p, m->n, sizeof(*e->f));
		for (j = 0; j < m->n; j++)
			if (event_head(m->pairs[j].key->str) == EV__HEAD)
				parse_event_field(p, e, &m->pairs[j]);
	}
}

static int field_index(const char *key)
{
	int i;

	/* the first letter spares most calls (a case has thirty-odd keys) */
	for (i = 0; i < F__COUNT; i++)
		if (*key == *case_field_names[i] &&
		    !strcmp(key, case_field_names[i]))
			return i;
	return -1;
}

static void parse_field(struct cparse *p, struct dcase *c, int f,
	const struct ynode *v)
{
	char *s = NULL;

	switch (f) {
	case F_ID:
		if (!get_text(p, v, "id", LIM_ID, 0, &c->id) &&
		    (!c->id || !case_id_valid(c->id)))
			bad(p, v, _("'id' must look like 2026-000123 or "
				"HZ-2026-000123"));
		break;
	case F_KIND:
		if (!get_text(p, v, "kind", LIM_NAME, 0, &s) &&
		    (!s || case_kind_parse(&c->kind, s)))
			bad(p, v, _("'kind' must be complaint or report"));
		break;
	case F_STATUS:
		if (!get_text(p, v, "status", LIM_NAME, 0, &s) &&
		    (!s || case_status_parse(&c->status, s)))
			bad(p, v, _("'status' must be one of received, "
				"pending-info, accepted, assigned, on-hold, "
				"closed, rejected"));
		break;
	case F_SUBJECT:
		get_text(p, v, "subject", LIM_SUBJECT, 0, &c->subject);
		break;
	case F_CHANNEL:
		get_id(p, v, "channel", &c->channel);
		break;
	case F_RECEIVED_AT:
		get_ts(p, v, "received_at", &c->received_at);
		break;
	case F_RECEIVED_BY:
		get_id(p, v, "received_by", &c->received_by);
		break;
	case F_COMPLAINANT:
		parse_complainant(p, v, &c->who);
		break;
	case F_COLLECTIVE:
		if (v->type != YT_SCALAR || (strcmp(v->str, "true") &&
		    strcmp(v->str, "false")))
			bad(p, v, _("'collective' must be true or false"));
		else
			c->collective = !strcmp(v->str, "true");
		break;
	case F_RESPONDENT:
		get_text(p, v, "respondent", LIM_NAME, 0, &c->respondent);
		break;
	case F_REF:
		get_text(p, v, "ref", LIM_NAME, 0, &c->ref);
		break;
	case F_LOCATION:
		get_text(p, v, "location", LIM_SUBJECT, 0, &c->location);
		break;
	case F_OCCURRED_ON:
		if (v->type != YT_SCALAR || date_parse(&c->occurred_on, v->str))
			bad(p, v, _("'occurred_on' must be a date like "
				"2026-11-20"));
		else
			c->has_occurred = 1;
		break;
	case F_DESCRIPTION:
		get_text(p, v, "description", LIM_TEXT, 1, &c->description);
		break;
	case F_REQUEST:
		get_text(p, v, "request", LIM_TEXT, 1, &c->request);
		break;
	case F_CATEGORY:
		if (!get_text(p, v, "category", LIM_NAME, 0, &c->category) &&
		    c->category && !category_valid(c->category))
			bad(p, v, _("'category' must be ids joined by '/', not "
				"'%s'"), c->category);
		break;
	case F_PRIORITY:
		get_id(p, v, "priority", &c->priority);
		break;
	case F_DEPARTMENT:
		get_id(p, v, "department", &c->department);
		break;
	case F_CO_DEPARTMENTS:
		parse_idlist(p, v, "co_departments", 0, &c->co_departments,
			&c->nco);
		break;
	case F_ASSIGNEE:
		get_id(p, v, "assignee", &c->assignee);
		break;
	case F_DUE:
		parse_due(p, v, &c->due);
		break;
	case F_RELATED:
		parse_idlist(p, v, "related", 1, &c->related, &c->nrelated);
		break;
	case F_ATTACHMENTS:
		parse_attachments(p, v, c);
		break;
	case F_CLOSURE:
		parse_closure(p, v, &c->closure);
		break;
	case F_EVENTS:
		parse_events(p, v, c);
		break;
	}
}

/* val: the value of each key the model knows, NULL when absent. */
static void check_required(struct cparse *p, const struct dcase *c,
	const struct ynode *root, const struct ynode *const *val)
{
	static const int req[] = {
		F_ID, F_KIND, F_STATUS, F_SUBJECT, F_CHANNEL, F_RECEIVED_AT,
		F_RECEIVED_BY, F_EVENTS
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(req); i++) {
		const struct ynode *v = val[req[i]];

		if (!v)
			bad(p, root, _("required key '%s' is missing"),
				case_field_names[req[i]]);
		else if (ynode_is_null(v) ||
		    (v->type == YT_SCALAR && !*v->str))
			bad(p, v, _("required key '%s' has no value"),
				case_field_names[req[i]]);
	}
	if (c->mark[F_EVENTS].line && !c->nevents && !p->bad)
		bad(p, root, _("'events' is empty; every case starts with a "
			"'file' event"));
	if (!case_status_open(c->status) && !c->closure.present && !p->bad)
		/* TRANSLATORS: %s is a status id (closed, rejected). */
		bad(p, root, _("a %s case needs a 'closure'"),
			case_status_name(c->status));
}

int case_parse_shared(struct dcase *out, const char *buf, size_t len,
	const char *file, struct diag *d)
{
	return case_parse_in(NULL, out, buf, len, file, d);
}

int case_parse_in(struct arena *mem, struct dcase *out, const char *buf,
	size_t len, const char *file, struct diag *d)
{
	struct cparse p = { file, d, 0, NULL };
	const struct ynode *val[F__COUNT] = { NULL };
	struct ynode *root = NULL;
	signed char *field;	/* of each key: its field, or -1 */
	size_t i;
	int ret, f;

	case_init(out);
	if (len > LIM_CASEFILE) {
		arena_free(mem);
		return diag_at(d, ERR_INVALID, file, 0, 0,
			_("case file is %zu bytes; the limit is %d"), len,
			LIM_CASEFILE);
	}
	ret = ytree_parse_in(mem, &root, buf, len, file, d);
	if (ret)
		return ret;
	p.mem = root->mem;
	if (root->type != YT_MAP) {
		bad(&p, root, _("a case file must be a mapping of keys to values"));
		goto out;
	}
	/* each key looked up once (a key appears once: ytree refuses
	 * duplicates) */
	field = room(&p, root->n, sizeof(*field));
	for (i = 0; i < root->n; i++) {
		const struct ynode *k = root->pairs[i].key;

		field[i] = (signed char)(f = field_index(k->str));
		if (f < 0) {
			add_extra(&p, &out->extra, &out->nextra, root,
				&root->pairs[i]);
			continue;
		}
		val[f] = root->pairs[i].val;
		out->mark[f].line = k->line;
		out->mark[f].col = k->col;
	}
	/* id first, so attachment paths can be checked against it. */
	if (val[F_ID])
		parse_field(&p, out, F_ID, val[F_ID]);
	for (i = 0; i < root->n; i++)
		if (field[i] > F_ID)
			parse_field(&p, out, field[i], root->pairs[i].val);
	check_required(&p, out, root, val);
out:
	if (p.bad) {
		ynode_free(root);
		case_init(out);
		return ERR_INVALID;
	}
	/* the tree and the case in it are the case's now */
	out->arena = root->mem;
	root->mem = NULL;
	return 0;
}

int case_parse(struct dcase *out, const char *buf, size_t len,
	const char *file, struct diag *d)
{
	struct dcase shared;
	int ret;

	ret = case_parse_shared(&shared, buf, len, file, d);
	case_init(out);
	if (!ret)
		case_copy(out, &shared);
	case_release(&shared);
	return ret;
}

/*
 * Emitting the canonical form.
 */

static void emit_key(struct sb *out, int indent, const char *key)
{
	sb_addf(out, "%*s%s:", indent, "", key);
}

static void emit_text(struct sb *out, int indent, const char *key,
	const char *val)
{
	if (!val)
		return;
	emit_key(out, indent, key);
	sb_addc(out, ' ');
	yemit_scalar(out, val, YE_BLOCK, indent, 1);
	sb_addc(out, '\n');
}

static void emit_plain(struct sb *out, int indent, const char *key,
	const char *val)
{
	emit_key(out, indent, key);
	sb_addc(out, ' ');
	yemit_scalar(out, val, YE_BLOCK, indent, 0);
	sb_addc(out, '\n');
}

static void emit_ts(struct sb *out, int indent, const char *key, struct ts ts)
{
	char buf[TS_BUFSZ];

	ts_format(buf, ts);
	emit_plain(out, indent, key, buf);
}

static void emit_flow_list(struct sb *out, char *const *v, size_t n)
{
	size_t i;

	sb_addc(out, '[');
	for (i = 0; i < n; i++) {
		if (i)
			sb_adds(out, ", ");
		yemit_scalar(out, v[i], YE_FLOW, 0, 1);
	}
	sb_addc(out, ']');
}

static void emit_list_field(struct sb *out, const char *key, char *const *v,
	size_t n)
{
	if (!n)
		return;
	emit_key(out, 0, key);
	sb_addc(out, ' ');
	emit_flow_list(out, v, n);
	sb_addc(out, '\n');
}

static void emit_extras(struct sb *out, int indent, const struct extra *x,
	size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		sb_addf(out, "%*s", indent, "");
		yemit_scalar(out, x[i].key, YE_BLOCK, indent, 1);
		sb_addc(out, ':');
		yemit_node(out, x[i].val, indent);
	}
}

static void emit_complainant(struct sb *out, const struct complainant *w)
{
	char buf[32];

	sb_adds(out, "complainant:\n");
	emit_text(out, 2, "name", w->name);
	emit_text(out, 2, "phone", w->phone);
	emit_text(out, 2, "email", w->email);
	emit_text(out, 2, "address", w->address);
	emit_plain(out, 2, "anonymous", w->anonymous ? "true" : "false");
	snprintf(buf, sizeof(buf), "%ld", w->count);
	emit_plain(out, 2, "count", buf);
	emit_extras(out, 2, w->extra, w->nextra);
}

static void emit_closure(struct sb *out, const struct closure *cl)
{
	char buf[TS_BUFSZ];

	sb_adds(out, "closure:\n");
	emit_ts(out, 2, "at", cl->at);
	emit_text(out, 2, "by", cl->by);
	emit_text(out, 2, "outcome", cl->outcome);
	emit_text(out, 2, "summary", cl->summary);
	if (cl->notified) {
		ts_format(buf, cl->notified_at);
		sb_addf(out, "  notified: {at: %s, via: ", buf);
		yemit_scalar(out, cl->notified_via, YE_FLOW, 0, 1);
		sb_adds(out, "}\n");
	}
	emit_text(out, 2, "satisfaction", cl->satisfaction);
	if (cl->on_time >= 0)
		emit_plain(out, 2, "on_time", cl->on_time ? "true" : "false");
	emit_extras(out, 2, cl->extra, cl->nextra);
}

static void emit_event(struct sb *out, const struct event *e)
{
	char buf[TS_BUFSZ];
	size_t i;

	ts_format(buf, e->at);
	sb_addf(out, "  - {at: %s, by: ", buf);
	yemit_scalar(out, e->by, YE_FLOW, 0, 1);
	sb_adds(out, ", action: ");
	yemit_scalar(out, e->action, YE_FLOW, 0, 1);
	for (i = 0; i < e->nf; i++) {
		sb_adds(out, ", ");
		yemit_scalar(out, e->f[i].key, YE_FLOW, 0, 1);
		sb_adds(out, ": ");
		if (e->f[i].is_list)
			emit_flow_list(out, e->f[i].list, e->f[i].nlist);
		else
			yemit_scalar(out, e->f[i].val, YE_FLOW, 0, 1);
	}
	sb_adds(out, "}\n");
}

void case_emit(struct sb *out, const struct dcase *c)
{
	char buf[DATE_BUFSZ];
	size_t i;
	int k;

	emit_plain(out, 0, "id", c->id);
	emit_plain(out, 0, "kind", case_kind_name(c->kind));
	emit_plain(out, 0, "status", case_status_name(c->status));
	emit_text(out, 0, "subject", c->subject);
	emit_text(out, 0, "channel", c->channel);
	emit_text(out, 0, "ref", c->ref);
	emit_ts(out, 0, "received_at", c->received_at);
	emit_text(out, 0, "received_by", c->received_by);
	emit_complainant(out, &c->who);
	if (c->collective)
		emit_plain(out, 0, "collective", "true");
	emit_text(out, 0, "respondent", c->respondent);
	emit_text(out, 0, "location", c->location);
	if (c->has_occurred) {
		date_format(buf, c->occurred_on);
		emit_plain(out, 0, "occurred_on", buf);
	}
	emit_text(out, 0, "description", c->description);
	emit_text(out, 0, "request", c->request);
	emit_text(out, 0, "category", c->category);
	emit_text(out, 0, "priority", c->priority);
	emit_text(out, 0, "department", c->department);
	emit_list_field(out, "co_departments", c->co_departments, c->nco);
	emit_text(out, 0, "assignee", c->assignee);
	if (c->due.has) {
		sb_adds(out, "due:\n");
		for (k = 0; k < DUE__COUNT; k++)
			if (c->due.has & (1u << k))
				emit_ts(out, 2, due_names[k], c->due.at[k]);
	}
	emit_list_field(out, "related", c->related, c->nrelated);
	if (c->natt) {
		sb_adds(out, "attachments:\n");
		for (i = 0; i < c->natt; i++) {
			sb_adds(out, "  - path: ");
			yemit_scalar(out, c->att[i].path, YE_BLOCK, 4, 1);
			sb_adds(out, "\n    sha256: ");
			yemit_scalar(out, c->att[i].sha256, YE_BLOCK, 4, 1);
			sb_addc(out, '\n');
		}
	}
	if (c->closure.present)
		emit_closure(out, &c->closure);
	sb_adds(out, "events:\n");
	for (i = 0; i < c->nevents; i++)
		emit_event(out, &c->events[i]);
	emit_extras(out, 0, c->extra, c->nextra);
}

/*
 * Checks against the configuration.
 */

static void cfg_bad(struct diag *d, const char *file, struct mark m,
	const char *fmt, const char *val)
{
	diag_at(d, ERR_INVALID, file, m.line, m.col, fmt, val);
}

/* fmt: the whole message, "%s" the staff id. */
static void check_staff(const struct config *cfg, const char *file,
	struct mark m, const char *fmt, const char *id, struct diag *d)
{
	if (!id || !cfg->nstaff || config_staff(cfg, id))
		return;
	cfg_bad(d, file, m, fmt, id);
}

int case_check_config(const struct dcase *c, const struct config *cfg,
	const char *file, struct diag *d)
{
	size_t before = d->n, i;

	if (c->channel && !config_channel(cfg, c->channel))
		cfg_bad(d, file, c->mark[F_CHANNEL],
			_("channel '%s' is not configured in docket.yaml"),
			c->channel);
	if (c->category && !config_category(cfg, c->category))
		cfg_bad(d, file, c->mark[F_CATEGORY],
			_("category '%s' is not configured in docket.yaml"),
			c->category);
	if (c->priority && !config_priority(cfg, c->priority))
		cfg_bad(d, file, c->mark[F_PRIORITY],
			_("priority '%s' is not configured in docket.yaml"),
			c->priority);
	if (c->department && !config_department(cfg, c->department))
		cfg_bad(d, file, c->mark[F_DEPARTMENT],
			_("department '%s' is not configured in docket.yaml"),
			c->department);
	for (i = 0; i < c->nco; i++)
		if (!config_department(cfg, c->co_departments[i]))
			cfg_bad(d, file, c->mark[F_CO_DEPARTMENTS],
				_("department '%s' is not configured in "
				"docket.yaml"), c->co_departments[i]);
	check_staff(cfg, file, c->mark[F_ASSIGNEE], _("assignee '%s' is not in "
		"the staff list of docket.yaml"), c->assignee, d);
	for (i = 0; i < c->nextra; i++)
		diag_at(d, ERR_INVALID, file, c->extra[i].line, c->extra[i].col,
			_("unknown key '%s' (kept as it is)"), c->extra[i].key);
	for (i = 0; i < c->who.nextra; i++)
		diag_at(d, ERR_INVALID, file, c->who.extra[i].line,
			c->who.extra[i].col,
			_("unknown key 'complainant.%s' (kept as it is)"),
			c->who.extra[i].key);
	for (i = 0; i < c->closure.nextra; i++)
		diag_at(d, ERR_INVALID, file, c->closure.extra[i].line,
			c->closure.extra[i].col,
			_("unknown key 'closure.%s' (kept as it is)"),
			c->closure.extra[i].key);
	return d->n > before ? ERR_INVALID : 0;
}
