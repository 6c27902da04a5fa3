/*
 * case.c - the case model: enums, ids, paths, events.
 */
#include <assert.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "ytree.h"

const char *const case_field_names[F__COUNT] = {
	"id", "kind", "status", "subject", "channel", "ref", "received_at",
	"received_by", "complainant", "collective", "respondent", "location", "occurred_on",
	"description", "request", "category", "priority", "department",
	"co_departments", "assignee", "due", "related", "attachments",
	"closure", "events"
};

const char *const due_names[DUE__COUNT] = {
	"ack", "feedback", "resolve", "visit", "decide"
};

const char *const case_kinds[] = { "complaint", "report", NULL };

const char *const case_statuses[] = {
	"received", "pending-info", "accepted", "assigned", "on-hold",
	"closed", "rejected", NULL
};

const char *const case_outcomes[] = {
	"resolved", "mediated", "mediation-failed", "referred", "unfounded",
	"withdrawn", "merged", "rejected", NULL
};

const char *const case_satisfactions[] = {
	"satisfied", "fairly-satisfied", "neutral", "dissatisfied",
	"unreachable", NULL
};

void case_init(struct dcase *c)
{
	memset(c, 0, sizeof(*c));
	c->who.count = 1;
	c->closure.on_time = -1;
}

static void extras_free(struct extra *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(x[i].key);
		ynode_free(x[i].val);
	}
	free(x);
}

static void event_release(struct event *e)
{
	size_t i;

	for (i = 0; i < e->nf; i++) {
		free(e->f[i].key);
		free(e->f[i].val);
		free_strv(e->f[i].list, e->f[i].nlist);
	}
	free(e->f);
	free(e->by);
	free(e->action);
}

void case_release(struct dcase *c)
{
	size_t i;

	if (!c)
		return;
	if (c->arena) {
		arena_free(c->arena);
		case_init(c);
		return;
	}
	free(c->id);
	free(c->subject);
	free(c->channel);
	free(c->received_by);
	free(c->ref);
	free(c->who.name);
	free(c->who.phone);
	free(c->who.email);
	free(c->who.address);
	extras_free(c->who.extra, c->who.nextra);
	free(c->respondent);
	free(c->location);
	free(c->description);
	free(c->request);
	free(c->category);
	free(c->priority);
	free(c->department);
	free_strv(c->co_departments, c->nco);
	free(c->assignee);
	free_strv(c->related, c->nrelated);
	for (i = 0; i < c->natt; i++) {
		free(c->att[i].path);
		free(c->att[i].sha256);
	}
	free(c->att);
	free(c->closure.by);
	free(c->closure.outcome);
	free(c->closure.summary);
	free(c->closure.notified_via);
	free(c->closure.satisfaction);
	extras_free(c->closure.extra, c->closure.nextra);
	for (i = 0; i < c->nevents; i++)
		event_release(&c->events[i]);
	free(c->events);
	extras_free(c->extra, c->nextra);
	case_init(c);
}

/* ---- a read-only case made editable --------------------------------- */

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Arrays get the room APPEND() assumes for n elements. */
static void *dup_array(const void *v, size_t n, size_t size)
{
	void *copy;

	if (!n)
		return NULL;
	copy = xcalloc(append_cap(n), size);
	memcpy(copy, v, n * size);
	return copy;
}

static char **dup_strv(char *const *v, size_t n)
{
	char **copy = dup_array(v, n, sizeof(*v));
	size_t i;

	for (i = 0; i < n; i++)
		copy[i] = xstrdup(v[i]);
	return copy;
}

static struct extra *dup_extras(const struct extra *x, size_t n)
{
	struct extra *copy = dup_array(x, n, sizeof(*x));
	size_t i;

	for (i = 0; i < n; i++) {
		copy[i].key = xstrdup(x[i].key);
		copy[i].val = ynode_dup(x[i].val);
	}
	return copy;
}

static void dup_event(struct event *e)
{
	size_t i;

	e->by = xstrdup(e->by);
	e->action = xstrdup(e->action);
	e->f = dup_array(e->f, e->nf, sizeof(*e->f));
	for (i = 0; i < e->nf; i++) {
		e->f[i].key = xstrdup(e->f[i].key);
		e->f[i].val = dup_or_null(e->f[i].val);
		e->f[i].list = dup_strv(e->f[i].list, e->f[i].nlist);
	}
}

/* Every pointer of dst, a bitwise copy, replaced by a copy of its own. */
void case_copy(struct dcase *dst, const struct dcase *src)
{
	struct closure *cl = &dst->closure;
	char **own[] = {
		&dst->id, &dst->subject, &dst->channel, &dst->ref,
		&dst->received_by, &dst->who.name, &dst->who.phone,
		&dst->who.email, &dst->who.address, &dst->respondent,
		&dst->location, &dst->description, &dst->request,
		&dst->category, &dst->priority, &dst->department,
		&dst->assignee, &cl->by, &cl->outcome, &cl->summary,
		&cl->notified_via, &cl->satisfaction
	};
	size_t i;

	*dst = *src;
	dst->arena = NULL;
	for (i = 0; i < ARRAY_SIZE(own); i++)
		*own[i] = dup_or_null(*own[i]);
	dst->who.extra = dup_extras(src->who.extra, src->who.nextra);
	dst->co_departments = dup_strv(src->co_departments, src->nco);
	dst->related = dup_strv(src->related, src->nrelated);
	dst->att = dup_array(src->att, src->natt, sizeof(*src->att));
	for (i = 0; i < dst->natt; i++) {
		dst->att[i].path = dup_or_null(dst->att[i].path);
		dst->att[i].sha256 = dup_or_null(dst->att[i].sha256);
	}
	cl->extra = dup_extras(src->closure.extra, src->closure.nextra);
	dst->events = dup_array(src->events, src->nevents,
		sizeof(*src->events));
	for (i = 0; i < dst->nevents; i++)
		dup_event(&dst->events[i]);
	dst->extra = dup_extras(src->extra, src->nextra);
}

int str_in(const char *s, const char *const *list)
{
	if (!s)
		return 0;
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

const char *case_kind_name(enum case_kind k)
{
	return case_kinds[k == KIND_REPORT];
}

const char *case_extra_scalar(const struct dcase *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->nextra; i++)
		if (!strcmp(c->extra[i].key, key) && c->extra[i].val &&
		    c->extra[i].val->type == YT_SCALAR)
			return c->extra[i].val->str;
	return NULL;
}

int case_is_collective(const struct dcase *c, long threshold)
{
	return c->collective || c->who.count >= threshold;
}

int case_kind_parse(enum case_kind *out, const char *s)
{
	if (!strcmp(s, "complaint"))
		*out = KIND_COMPLAINT;
	else if (!strcmp(s, "report"))
		*out = KIND_REPORT;
	else
		return ERR_INVALID;
	return 0;
}

const char *case_status_name(enum case_status s)
{
	return (unsigned)s < ST__COUNT ? case_statuses[s] : "?";
}

int case_status_parse(enum case_status *out, const char *s)
{
	int i;

	for (i = 0; i < ST__COUNT; i++) {
		if (!strcmp(s, case_statuses[i])) {
			*out = (enum case_status)i;
			return 0;
		}
	}
	return ERR_INVALID;
}

int case_status_open(enum case_status s)
{
	return s != ST_CLOSED && s != ST_REJECTED;
}

int case_id_split(const char *id, char prefix[16], int *year, long *seq)
{
	const char *p = id;
	size_t len = strlen(id), plen = 0;
	long y, n;

	if (len > LIM_ID)
		return ERR_INVALID;
	if (len > 12 && id[len - 12] == '-') {
		plen = len - 12;
		if (plen > 8)
			return ERR_INVALID;
		for (size_t i = 0; i < plen; i++)
			if (!(isupper((unsigned char)id[i]) ||
			      isdigit((unsigned char)id[i])))
				return ERR_INVALID;
		p = id + plen + 1;
	} else if (len != 11) {
		return ERR_INVALID;
	}
	/* every scan splits every case's id: no strtol() */
	if (strlen(p) != 11 || p[4] != '-' || read_decimal(p, 4, &y) ||
	    read_decimal(p + 5, 6, &n))
		return ERR_INVALID;
	if (prefix) {
		memcpy(prefix, id, plen);
		prefix[plen] = '\0';
	}
	if (year)
		*year = (int)y;
	if (seq)
		*seq = n;
	if (y < 1970)
		return ERR_INVALID;
	return 0;
}

int case_id_valid(const char *id)
{
	return id && case_id_split(id, NULL, NULL, NULL) == 0;
}

int case_id_make(char out[CASE_ID_BUFSZ], const char *prefix, int year,
	long seq)
{
	int n;

	if (seq < 0 || seq > 999999 || year < 1970 || year > 9999)
		return ERR_INVALID;
	if (prefix && *prefix)
		n = snprintf(out, CASE_ID_BUFSZ, "%s-%04d-%06ld", prefix, year,
			seq);
	else
		n = snprintf(out, CASE_ID_BUFSZ, "%04d-%06ld", year, seq);
	if (n < 0 || n >= CASE_ID_BUFSZ || !case_id_valid(out))
		return ERR_INVALID;
	return 0;
}

int case_dir(char out[CASE_PATH_BUFSZ], const char *id)
{
	int year, n;
	long seq;

	if (!id || case_id_split(id, NULL, &year, &seq))
		return ERR_INVALID;
	if (year < 0 || year > 9999 || seq < 0 || seq / 1000 > 999) {
		n = snprintf(out, CASE_PATH_BUFSZ, "cases/%04d/%03ld", year,
			seq / 1000);
		return n < 0 || n >= CASE_PATH_BUFSZ ? ERR_INVALID : 0;
	}
	/* by hand: every scan names every case's path */
	memcpy(out, "cases/", 6);
	put_decimal(out + 6, (unsigned)year, 4);
	out[10] = '/';
	put_decimal(out + 11, (unsigned)(seq / 1000), 3);
	out[14] = '\0';
	return 0;
}

int case_file_name(const char *name)
{
	size_t n = strlen(name);

	return name[0] != '.' && n > 5 && !strcmp(name + n - 5, ".yaml");
}

int case_file_path(const char *path)
{
	const char *p = path, *slash;
	int parts = 0;

	if (strncmp(p, "cases/", 6))
		return 0;
	p += 6;
	while ((slash = strchr(p, '/'))) {
		if (slash == p)
			return 0;
		p = slash + 1;
		parts++;
	}
	return parts == 2 && case_file_name(p);
}

int case_path(char out[CASE_PATH_BUFSZ], const char *id)
{
	char dir[CASE_PATH_BUFSZ];
	size_t dl, il;

	if (case_dir(dir, id))
		return ERR_INVALID;
	dl = strlen(dir);
	il = strlen(id);
	if (dl + 1 + il + 5 >= CASE_PATH_BUFSZ)
		return ERR_INVALID;
	memcpy(out, dir, dl);
	out[dl] = '/';
	memcpy(out + dl + 1, id, il);
	memcpy(out + dl + 1 + il, ".yaml", 6);
	return 0;
}

int plain_id_valid(const char *s)
{
	const char *p;

	if (!s || !*s || strlen(s) > 64)
		return 0;
	if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s)))
		return 0;
	for (p = s + 1; *p; p++)
		if (!(islower((unsigned char)*p) || isdigit((unsigned char)*p) ||
		      *p == '.' || *p == '_' || *p == '-'))
			return 0;
	return 1;
}

struct event *case_add_event(struct dcase *c, struct ts at, const char *by,
	const char *action)
{
	struct event *e;

	assert(!c->arena);	/* a scanned case is read-only */
	APPEND(c->events, c->nevents);
	e = &c->events[c->nevents++];
	memset(e, 0, sizeof(*e));
	e->at = at;
	e->by = xstrdup(by);
	e->action = xstrdup(action);
	return e;
}

static struct event_field *field_slot(struct event *e, const char *key)
{
	struct event_field *f;
	size_t i;

	for (i = 0; i < e->nf; i++) {
		f = &e->f[i];
		if (!strcmp(f->key, key)) {
			free(f->val);
			free_strv(f->list, f->nlist);
			f->val = NULL;
			f->list = NULL;
			f->nlist = 0;
			return f;
		}
	}
	APPEND(e->f, e->nf);
	f = &e->f[e->nf++];
	memset(f, 0, sizeof(*f));
	f->key = xstrdup(key);
	return f;
}

void event_set(struct event *e, const char *key, const char *val)
{
	struct event_field *f = field_slot(e, key);

	f->is_list = 0;
	f->val = xstrdup(val);
}

void event_set_list(struct event *e, const char *key, char *const *v,
	size_t n)
{
	struct event_field *f = field_slot(e, key);
	size_t i;

	f->is_list = 1;
	f->list = xcalloc(n ? n : 1, sizeof(*f->list));
	for (i = 0; i < n; i++)
		f->list[i] = xstrdup(v[i]);
	f->nlist = n;
}

const struct event_field *event_field(const struct event *e,
	const char *key)
{
	size_t i;

	for (i = 0; i < e->nf; i++)
		if (str_is(e->f[i].key, key))
			return &e->f[i];
	return NULL;
}

const char *event_get(const struct event *e, const char *key)
{
	const struct event_field *f = event_field(e, key);

	return f && !f->is_list ? f->val : NULL;
}

void set_str(char **slot, const char *s)
{
	char *copy = s ? xstrdup(s) : NULL;

	free(*slot);
	*slot = copy;
}

void strv_add_unique(char ***v, size_t *n, const char *s)
{
	if (strv_has(*v, *n, s))
		return;
	APPEND(*v, *n);
	(*v)[(*n)++] = xstrdup(s);
}

int phone_usable(const char *s)
{
	size_t digits = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" +-()", *s))
			return 0;
	}
	return digits >= 7 && digits <= 20;
}
