/*
 * config.c - docket.yaml: defaults, parsing, validation and look-ups.
 *
 * config_parse() starts from the built-in defaults (config_init) and
 * replaces what the file gives.  Every section of DESIGN section 5 is
 * checked; each problem becomes one "FILE:LINE:COLUMN: message" in the
 * diag and parsing goes on, so that an office fixing its file sees every
 * mistake at once.  Sections are read in dependency order (priorities and
 * staff before departments, departments before categories, all of them
 * before the deadline rules), not in the order the file lists them.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "forms.h"
#include "intl.h"
#include "case.h"
#include "ytree.h"

#define CONFIG_MAX_SIZE (1 << 20)
#define MAX_HOLIDAY_RANGE 366	/* days in one "A..B" entry */

struct parser {
	struct config *cfg;
	const char *file;
	struct diag *d;
	int nerr;
};

static const char *const top_keys[] = {
	"docket", "organization", "language", "timezone", "id", "channels",
	"priorities",
	"default_priority", "departments", "categories", "staff",
	"reject_reasons", "limits", "deadlines", "close", "calendar", "remind",
	"mail", "sites", "views", "numbering", "collective", NULL
};

/* Index i is the bit 1 << i of enum role. */
static const char *const role_names[] = {
	"intake", "triage", "supervisor", "handler", NULL
};

/* Index = weekday number (0 = Sunday), as struct calendar counts. */
static const char *const day_names[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL
};

static const char *const kind_names[] = { "complaint", "report", NULL };

static const struct labelled default_channels[] = {
	{ "visit", "来访" }, { "phone", "来电" }, { "letter", "来信" },
	{ "email", "电子邮件" }, { "web", "网站" }, { "wechat", "微信" },
	{ "referral", "上级转办" }
};

static const struct labelled default_priorities[] = {
	{ "urgent", "紧急" }, { "normal", "一般" }
};

static const struct labelled default_reject_reasons[] = {
	{ "out-of-scope", "不属于本机关职权范围" },
	{ "time-barred", "超过时效" },
	{ "no-contact", "匿名且无法联系" },
	{ "duplicate", "重复投诉" },
	{ "info-not-provided", "逾期未补充材料" }
};

/* ---- messages and node checks ---- */

/* Report one problem at node n (no position when n is NULL). */
static void PRINTF(3, 4) perr(struct parser *p, const struct ynode *n,
	const char *fmt, ...)
{
	struct sb msg = SB_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	diag_at(p->d, ERR_INVALID, p->file, n ? n->line : 0, n ? n->col : 0,
		_("%s"), msg.buf);
	sb_release(&msg);
	p->nerr++;
}

static int index_in(const char *s, const char *const *set)
{
	size_t i;

	for (i = 0; set[i]; i++)
		if (!strcmp(s, set[i]))
			return (int)i;
	return -1;
}

/* Refuse the keys of `map` that are not in `allowed` (typos must not
 * silently fall back to a default). */
static void check_keys(struct parser *p, const struct ynode *map,
	const char *const *allowed, const char *where)
{
	size_t i;

	for (i = 0; i < map->n; i++) {
		const struct ynode *k = map->pairs[i].key;

		if (index_in(k->str, allowed) >= 0)
			continue;
		if (where)
			perr(p, k, _("unknown key '%s' in '%s'"), k->str, where);
		else
			perr(p, k, _("unknown key '%s'"), k->str);
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
static int want(struct parser *p, const struct ynode *n, enum yt_type t,
	const char *what)
{
	if (n->type == t)
		return 1;
	perr(p, n, _("'%s' must be %s, not %s"), what, type_name(t),
		ynode_is_null(n) ? C_("yaml value", "empty") : ynode_kind(n));
	return 0;
}

/*
 * A text value of at most max bytes: a scalar, not null or empty, with
 * no control characters.  *out is replaced only on success.
 */
static int get_text(struct parser *p, const struct ynode *n,
	const char *what, size_t max, char **out)
{
	if (!want(p, n, YT_SCALAR, what))
		return -1;
	if (ynode_is_null(n) || n->len == 0) {
		perr(p, n, _("empty '%s'"), what);
		return -1;
	}
	if (has_control(n->str, n->len, 0)) {
		perr(p, n, _("control character in '%s'"), what);
		return -1;
	}
	if (n->len > max) {
		perr(p, n, _("'%s' is too long (%zu bytes at most)"), what, max);
		return -1;
	}
	free(*out);
	*out = xstrdup(n->str);
	return 0;
}

/* An id: [a-z0-9][a-z0-9._-]*, at most LIM_ID bytes. */
static int get_id(struct parser *p, const struct ynode *n, const char *what,
	char **out)
{
	if (!want(p, n, YT_SCALAR, what))
		return -1;
	if (ynode_is_null(n) || n->len == 0) {
		perr(p, n, _("empty id in '%s'"), what);
		return -1;
	}
	if (n->len > LIM_ID || !plain_id_valid(n->str)) {
		perr(p, n, _("invalid id '%s' in '%s' (use a-z, 0-9, '.', '_' "
			"and '-', starting with a letter or digit, at most %d "
			"characters)"), n->str, what, LIM_ID);
		return -1;
	}
	free(*out);
	*out = xstrdup(n->str);
	return 0;
}

/* A duration; Ny only where years make sense (limits.look_back). */
static void get_duration(struct parser *p, const struct ynode *n,
	const char *what, int years_ok, struct duration *out)
{
	struct duration dur;

	if (!want(p, n, YT_SCALAR, what))
		return;
	if (duration_parse(&dur, n->str) < 0) {
		perr(p, n, _("invalid duration '%s' in '%s' (e.g. 8h, 5d, "
			"15wd%s)"), n->str, what, years_ok ? ", 2y" : "");
		return;
	}
	if (dur.unit == DUR_YEARS && !years_ok) {
		perr(p, n, _("years are not allowed in '%s' (use h, d or wd)"),
			what);
		return;
	}
	*out = dur;
}

/* ---- lists of {id, label} ---- */

static void free_labelled(struct labelled *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].label);
	}
	free(v);
}

static const struct labelled *find_labelled(const struct labelled *v,
	size_t n, const char *id)
{
	size_t i;

	if (!id)
		return NULL;
	for (i = 0; i < n; i++)
		if (!strcmp(v[i].id, id))
			return &v[i];
	return NULL;
}

static void copy_labelled(struct labelled **out, size_t *nout,
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

	if (!want(p, it, YT_MAP, what))
		return -1;
	check_keys(p, it, keys, what);
	if (!(n = ynode_get(it, "label")))
		perr(p, it, _("missing 'label' in '%s' entry"), what);
	else
		get_text(p, n, "label", LIM_NAME, &out->label);
	if (!(n = ynode_get(it, "id"))) {
		perr(p, it, _("missing 'id' in '%s' entry"), what);
		return -1;
	}
	return get_id(p, n, what, &out->id);
}

/* Replace *v with the list in `seq`; need_one: refuse an empty list. */
static void parse_labelled(struct parser *p, const struct ynode *seq,
	const char *what, int need_one, struct labelled **v, size_t *nv)
{
	struct labelled *out = NULL;
	size_t n = 0, alloc = 0, i;

	if (!want(p, seq, YT_SEQ, what))
		return;
	if (need_one && seq->n == 0)
		perr(p, seq, _("'%s' needs at least one entry"), what);
	for (i = 0; i < seq->n; i++) {
		struct labelled it = { NULL, NULL };
		int bad = parse_one_labelled(p, seq->items[i], what, &it) < 0;

		if (!bad && find_labelled(out, n, it.id)) {
			perr(p, ynode_get(seq->items[i], "id"),
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
	free_labelled(*v, *nv);
	*v = out;
	*nv = n;
}

/* ---- top-level scalars ---- */

static void parse_version(struct parser *p, const struct ynode *root)
{
	const struct ynode *n = ynode_get(root, "docket");

	if (!n) {
		perr(p, root, _("missing 'docket: 1' (the format version)"));
		return;
	}
	if (n->type != YT_SCALAR || strcmp(n->str, "1")) {
		perr(p, n, _("unsupported format version '%s' in 'docket' "
			"(expected 1)"), n->type == YT_SCALAR ? n->str :
			ynode_kind(n));
		return;
	}
	p->cfg->version = 1;
}

/* The language of every clerk's messages and of cron's (intl_use()). */
static void parse_language(struct parser *p, const struct ynode *n)
{
	char *lang = NULL;

	if (get_text(p, n, "language", LIM_ID, &lang) < 0)
		return;
	if (!intl_tag_valid(lang)) {
		perr(p, n, _("unknown language '%s' (use a tag such as zh or "
			"en)"), lang);
		free(lang);
		return;
	}
	free(p->cfg->language);
	p->cfg->language = lang;
}

static void parse_timezone(struct parser *p, const struct ynode *n)
{
	char *tz = NULL;

	if (get_text(p, n, "timezone", LIM_NAME, &tz) < 0)
		return;
	if (cal_set_tz(&p->cfg->cal, tz) < 0)
		perr(p, n, _("unknown time zone '%s' (use an IANA name such as "
			"Asia/Shanghai)"), tz);
	free(tz);
}

static int prefix_valid(const char *s)
{
	size_t i, len = strlen(s);

	if (len > 8)
		return 0;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
			(s[i] >= '0' && s[i] <= '9')))
			return 0;
	return 1;
}

static void parse_id_section(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = { "prefix", NULL };
	const struct ynode *n;
	const char *s;

	if (!want(p, map, YT_MAP, "id"))
		return;
	check_keys(p, map, keys, "id");
	n = ynode_get(map, "prefix");
	if (!n || !want(p, n, YT_SCALAR, "id.prefix"))
		return;
	s = ynode_is_null(n) ? "" : n->str;
	if (!prefix_valid(s)) {
		perr(p, n, _("invalid id prefix '%s' (\"\" or 1 to 8 of A-Z "
			"and 0-9)"), s);
		return;
	}
	free(p->cfg->id_prefix);
	p->cfg->id_prefix = xstrdup(s);
}

static void parse_default_priority(struct parser *p, const struct ynode *root)
{
	const struct ynode *n = ynode_get(root, "default_priority");
	struct config *cfg = p->cfg;
	char *id = NULL;

	if (!n) {
		if (cfg->npriorities > 0 &&
			!config_priority(cfg, cfg->default_priority))
			perr(p, ynode_get(root, "priorities"),
				_("default priority '%s' is not among the "
				"priorities (set 'default_priority')"),
				cfg->default_priority);
		return;
	}
	if (get_id(p, n, "default_priority", &id) < 0)
		return;
	if (!config_priority(cfg, id)) {
		perr(p, n, _("unknown priority '%s' in 'default_priority'"), id);
		free(id);
		return;
	}
	free(cfg->default_priority);
	cfg->default_priority = id;
}

/* ---- staff ---- */

static void staff_clear(struct staff *st)
{
	free(st->id);
	free(st->name);
	free(st->email);
	memset(st, 0, sizeof(*st));
}

static void free_staff(struct staff *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		staff_clear(&v[i]);
	free(v);
}

static const struct staff *find_staff(const struct staff *v, size_t n,
	const char *id)
{
	size_t i;

	if (!id)
		return NULL;
	for (i = 0; i < n; i++)
		if (!strcmp(v[i].id, id))
			return &v[i];
	return NULL;
}

/* Email addresses compare without case (domains have none; in practice
 * nor do local parts). */
static const struct staff *find_staff_email(const struct staff *v, size_t n,
	const char *email)
{
	size_t i;

	if (!email)
		return NULL;
	for (i = 0; i < n; i++)
		if (v[i].email && !strcasecmp(v[i].email, email))
			return &v[i];
	return NULL;
}

/* A bare address "local@domain": it goes into mail headers as it is. */
static int email_valid(const char *s)
{
	const char *at = strchr(s, '@');

	if (!at || at == s || !at[1] || strchr(at + 1, '@'))
		return 0;
	return !strpbrk(s, " \t<>,;:\"()[]\\");
}

static unsigned parse_roles(struct parser *p, const struct ynode *seq)
{
	unsigned roles = 0;
	size_t i;

	if (!want(p, seq, YT_SEQ, "roles"))
		return 0;
	for (i = 0; i < seq->n; i++) {
		const struct ynode *r = seq->items[i];
		int k;

		if (!want(p, r, YT_SCALAR, "roles"))
			continue;
		k = index_in(r->str, role_names);
		if (k < 0)
			perr(p, r, _("unknown role '%s' (expected intake, "
				"triage, supervisor or handler)"), r->str);
		else if (roles & (1u << k))
			perr(p, r, _("duplicate role '%s'"), r->str);
		else
			roles |= 1u << k;
	}
	return roles;
}

/* One staff entry; returns 0 when it has a usable id. */
static int parse_one_staff(struct parser *p, const struct ynode *it,
	struct staff *st)
{
	static const char *const keys[] = {
		"id", "name", "email", "roles", NULL
	};
	const struct ynode *n;

	if (!want(p, it, YT_MAP, "staff"))
		return -1;
	check_keys(p, it, keys, "staff");
	if (!(n = ynode_get(it, "name")))
		perr(p, it, _("missing 'name' in 'staff' entry"));
	else
		get_text(p, n, "name", LIM_NAME, &st->name);
	if ((n = ynode_get(it, "email")) != NULL &&
		!get_text(p, n, "email", LIM_NAME, &st->email) &&
		!email_valid(st->email)) {
		perr(p, n, _("invalid email address '%s'"), st->email);
		free(st->email);
		st->email = NULL;
	}
	if ((n = ynode_get(it, "roles")) != NULL)
		st->roles = parse_roles(p, n);
	if (!(n = ynode_get(it, "id"))) {
		perr(p, it, _("missing 'id' in 'staff' entry"));
		return -1;
	}
	return get_id(p, n, "staff", &st->id);
}

static void parse_staff(struct parser *p, const struct ynode *seq)
{
	struct config *cfg = p->cfg;
	struct staff *v = NULL;
	size_t n = 0, alloc = 0, i;

	if (!want(p, seq, YT_SEQ, "staff"))
		return;
	for (i = 0; i < seq->n; i++) {
		const struct ynode *it = seq->items[i];
		const struct staff *other;
		struct staff st = { NULL, NULL, NULL, 0 };

		if (parse_one_staff(p, it, &st) < 0) {
			staff_clear(&st);
			continue;
		}
		if (find_staff(v, n, st.id)) {
			perr(p, ynode_get(it, "id"),
				_("duplicate id '%s' in 'staff'"), st.id);
			staff_clear(&st);
			continue;
		}
		other = find_staff_email(v, n, st.email);
		if (other)
			perr(p, ynode_get(it, "email"), _("email address '%s' "
				"is already used by staff '%s'"), st.email,
				other->id);
		if (!st.name)
			st.name = xstrdup(st.id);
		GROW(v, alloc, n + 1);
		v[n++] = st;
	}
	free_staff(cfg->staff, cfg->nstaff);
	cfg->staff = v;
	cfg->nstaff = n;
}

/* ---- departments ---- */

static void department_clear(struct department *dep)
{
	free(dep->id);
	free(dep->label);
	free(dep->head);
	free_strv(dep->members, dep->nmembers);
	memset(dep, 0, sizeof(*dep));
}

static void free_departments(struct department *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		department_clear(&v[i]);
	free(v);
}

static const struct department *find_department(const struct department *v,
	size_t n, const char *id)
{
	size_t i;

	if (!id)
		return NULL;
	for (i = 0; i < n; i++)
		if (!strcmp(v[i].id, id))
			return &v[i];
	return NULL;
}

/* A staff id; once a staff list exists it must name one of them. */
static int get_staff_ref(struct parser *p, const struct ynode *n,
	const char *what, char **out)
{
	if (get_id(p, n, what, out) < 0)
		return -1;
	if (p->cfg->nstaff > 0 && !config_staff(p->cfg, *out)) {
		perr(p, n, _("unknown staff '%s' in '%s'"), *out, what);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

static void parse_members(struct parser *p, const struct ynode *seq,
	struct department *dep)
{
	struct strlist l = STRLIST_INIT;
	size_t i;

	if (!want(p, seq, YT_SEQ, "members"))
		return;
	for (i = 0; i < seq->n; i++) {
		char *id = NULL;

		if (get_staff_ref(p, seq->items[i], "members", &id) < 0)
			continue;
		if (strlist_has(&l, id)) {
			perr(p, seq->items[i],
				_("duplicate id '%s' in 'members'"), id);
			free(id);
			continue;
		}
		strlist_push_nodup(&l, id);
	}
	dep->members = l.v;
	dep->nmembers = l.n;
}

/* One department entry; returns 0 when it has a usable id. */
static int parse_one_department(struct parser *p, const struct ynode *it,
	struct department *dep)
{
	static const char *const keys[] = {
		"id", "label", "head", "members", NULL
	};
	const struct ynode *n;

	if (!want(p, it, YT_MAP, "departments"))
		return -1;
	check_keys(p, it, keys, "departments");
	if (!(n = ynode_get(it, "label")))
		perr(p, it, _("missing 'label' in 'departments' entry"));
	else
		get_text(p, n, "label", LIM_NAME, &dep->label);
	if ((n = ynode_get(it, "head")) != NULL && !ynode_is_null(n))
		get_staff_ref(p, n, "head", &dep->head);
	if ((n = ynode_get(it, "members")) != NULL)
		parse_members(p, n, dep);
	if (!(n = ynode_get(it, "id"))) {
		perr(p, it, _("missing 'id' in 'departments' entry"));
		return -1;
	}
	return get_id(p, n, "departments", &dep->id);
}

static void parse_departments(struct parser *p, const struct ynode *seq)
{
	struct config *cfg = p->cfg;
	struct department *v = NULL;
	size_t n = 0, alloc = 0, i;

	if (!want(p, seq, YT_SEQ, "departments"))
		return;
	for (i = 0; i < seq->n; i++) {
		const struct ynode *it = seq->items[i];
		struct department dep;
		int bad;

		memset(&dep, 0, sizeof(dep));
		bad = parse_one_department(p, it, &dep) < 0;
		if (!bad && find_department(v, n, dep.id)) {
			perr(p, ynode_get(it, "id"),
				_("duplicate id '%s' in 'departments'"), dep.id);
			bad = 1;
		}
		if (bad) {
			department_clear(&dep);
			continue;
		}
		if (!dep.label)
			dep.label = xstrdup(dep.id);
		GROW(v, alloc, n + 1);
		v[n++] = dep;
	}
	free_departments(cfg->departments, cfg->ndepartments);
	cfg->departments = v;
	cfg->ndepartments = n;
}

/* ---- sites ---- */

static void site_clear(struct site *st)
{
	free(st->id);
	free(st->label);
	free(st->prefix);
	free_strv(st->departments, st->ndepartments);
	memset(st, 0, sizeof(*st));
}

static void free_sites(struct site *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		site_clear(&v[i]);
	free(v);
}

static void parse_site_departments(struct parser *p, const struct ynode *seq,
	struct site *st)
{
	struct strlist l = STRLIST_INIT;
	size_t i;

	if (!want(p, seq, YT_SEQ, "sites.departments"))
		return;
	for (i = 0; i < seq->n; i++) {
		char *id = NULL;

		if (get_id(p, seq->items[i], "sites.departments", &id) < 0)
			continue;
		if (!config_department(p->cfg, id))
			perr(p, seq->items[i], _("unknown department '%s' in "
				"'sites'"), id);
		if (strlist_has(&l, id)) {
			free(id);
			continue;
		}
		strlist_push_nodup(&l, id);
	}
	st->departments = l.v;
	st->ndepartments = l.n;
}

/* One `sites:` entry; returns 0 when it has a usable id and prefix. */
static int parse_one_site(struct parser *p, const struct ynode *it,
	struct site *st)
{
	static const char *const keys[] = {
		"id", "label", "prefix", "departments", NULL
	};
	const struct ynode *n;

	if (!want(p, it, YT_MAP, "sites"))
		return -1;
	check_keys(p, it, keys, "sites");
	if ((n = ynode_get(it, "label")) != NULL)
		get_text(p, n, "label", LIM_NAME, &st->label);
	if ((n = ynode_get(it, "departments")) != NULL)
		parse_site_departments(p, n, st);
	if (!(n = ynode_get(it, "prefix")) || ynode_is_null(n) ||
	    !want(p, n, YT_SCALAR, "sites.prefix")) {
		perr(p, it, _("missing 'prefix' in 'sites' entry"));
		return -1;
	}
	if (!*n->str || !prefix_valid(n->str)) {
		perr(p, n, _("invalid site prefix '%s' (1 to 8 of A-Z and "
			"0-9)"), n->str);
		return -1;
	}
	st->prefix = xstrdup(n->str);
	if (!(n = ynode_get(it, "id"))) {
		perr(p, it, _("missing 'id' in 'sites' entry"));
		return -1;
	}
	return get_id(p, n, "sites", &st->id);
}

static void parse_sites(struct parser *p, const struct ynode *seq)
{
	struct config *cfg = p->cfg;
	struct site *v = NULL;
	size_t n = 0, alloc = 0, i, j;

	if (!want(p, seq, YT_SEQ, "sites"))
		return;
	for (i = 0; i < seq->n; i++) {
		const struct ynode *it = seq->items[i];
		struct site st;
		int bad;

		memset(&st, 0, sizeof(st));
		bad = parse_one_site(p, it, &st) < 0;
		for (j = 0; !bad && j < n; j++) {
			if (!strcmp(v[j].id, st.id)) {
				perr(p, ynode_get(it, "id"),
					_("duplicate id '%s' in 'sites'"),
					st.id);
				bad = 1;
			} else if (!strcmp(v[j].prefix, st.prefix)) {
				perr(p, ynode_get(it, "prefix"),
					_("sites '%s' and '%s' share the id "
					"prefix '%s'"), v[j].id, st.id,
					st.prefix);
				bad = 1;
			}
		}
		if (bad) {
			site_clear(&st);
			continue;
		}
		if (!st.label)
			st.label = xstrdup(st.id);
		GROW(v, alloc, n + 1);
		v[n++] = st;
	}
	free_sites(cfg->sites, cfg->nsites);
	cfg->sites = v;
	cfg->nsites = n;
}

const struct site *config_site(const struct config *cfg, const char *id)
{
	size_t i;

	for (i = 0; id && i < cfg->nsites; i++)
		if (!strcmp(cfg->sites[i].id, id))
			return &cfg->sites[i];
	return NULL;
}

const struct site *config_site_of_id(const struct config *cfg,
	const char *case_id)
{
	char prefix[16];
	int year;
	long seq;
	size_t i;

	if (!case_id || !cfg->nsites ||
	    case_id_split(case_id, prefix, &year, &seq))
		return NULL;
	for (i = 0; i < cfg->nsites; i++)
		if (!strcmp(cfg->sites[i].prefix, prefix))
			return &cfg->sites[i];
	return NULL;
}

/* ---- categories ---- */

/* The flattened category list being built. */
struct catlist {
	struct category *v;
	size_t n;
	size_t alloc;
};

static void category_clear(struct category *c)
{
	free(c->id);
	free(c->label);
	free(c->label_path);
	free(c->department);
	free_strv(c->co, c->nco);
	free_strv(c->keywords, c->nkeywords);
	memset(c, 0, sizeof(*c));
}

static void free_categories(struct category *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		category_clear(&v[i]);
	free(v);
}

static const struct category *find_category(const struct category *v,
	size_t n, const char *id)
{
	size_t i;

	if (!id)
		return NULL;
	for (i = 0; i < n; i++)
		if (!strcmp(v[i].id, id))
			return &v[i];
	return NULL;
}

static void parse_keywords(struct parser *p, const struct ynode *seq,
	struct category *c)
{
	struct strlist l = STRLIST_INIT;
	size_t i;

	if (!want(p, seq, YT_SEQ, "keywords"))
		return;
	for (i = 0; i < seq->n; i++) {
		char *kw = NULL;

		if (get_text(p, seq->items[i], "keywords", LIM_NAME, &kw) < 0)
			continue;
		strlist_push_nodup(&l, kw);
	}
	c->keywords = l.v;
	c->nkeywords = l.n;
}

static void parse_category_list(struct parser *p, struct catlist *cl,
	const struct ynode *seq, int parent);

/* A category's co-handling departments (配合): ids of departments. */
static void parse_category_co(struct parser *p, const struct ynode *seq,
	struct category *c)
{
	size_t i;

	if (!want(p, seq, YT_SEQ, "co"))
		return;
	for (i = 0; i < seq->n; i++) {
		char *id = NULL;

		if (get_id(p, seq->items[i], "co", &id) < 0)
			continue;
		if (!config_department(p->cfg, id))
			perr(p, seq->items[i], _("unknown department '%s' in "
				"'categories'"), id);
		else
			strv_add_unique(&c->co, &c->nco, id);
		free(id);
	}
}

/*
 * One category and, after it, its children: parents come first in the
 * flattened list.  The full id is the parent's id, "/", own id.
 */
static void parse_one_category(struct parser *p, struct catlist *cl,
	const struct ynode *it, int parent)
{
	static const char *const keys[] = {
		"id", "label", "department", "co", "keywords", "children",
		NULL
	};
	const struct category *par = parent >= 0 ? &cl->v[parent] : NULL;
	struct category c;
	const struct ynode *n, *idn;
	char *id = NULL;

	memset(&c, 0, sizeof(c));
	c.parent = parent;
	if (!want(p, it, YT_MAP, "categories"))
		return;
	check_keys(p, it, keys, "categories");
	if (!(n = ynode_get(it, "label")))
		perr(p, it, _("missing 'label' in 'categories' entry"));
	else
		get_text(p, n, "label", LIM_NAME, &c.label);
	if ((n = ynode_get(it, "department")) != NULL &&
		!get_id(p, n, "department", &c.department) &&
		!config_department(p->cfg, c.department)) {
		perr(p, n, _("unknown department '%s' in 'categories'"),
			c.department);
		free(c.department);
		c.department = NULL;
	}
	if (!n && par && par->department)
		c.department = xstrdup(par->department);
	if ((n = ynode_get(it, "co")) != NULL)
		parse_category_co(p, n, &c);
	else if (par)
		for (size_t i = 0; i < par->nco; i++)
			strv_add_unique(&c.co, &c.nco, par->co[i]);
	if ((n = ynode_get(it, "keywords")) != NULL)
		parse_keywords(p, n, &c);
	if (!(idn = ynode_get(it, "id"))) {
		perr(p, it, _("missing 'id' in 'categories' entry"));
		goto bad;
	}
	if (get_id(p, idn, "categories", &id) < 0)
		goto bad;
	if (par) {
		struct sb full = SB_INIT;

		sb_addf(&full, "%s/%s", par->id, id);
		c.id = sb_detach(&full, NULL);
		free(id);
	} else {
		c.id = id;
	}
	if (strlen(c.id) > LIM_NAME) {
		perr(p, idn, _("category id '%s' is too long (%d bytes at "
			"most)"), c.id, LIM_NAME);
		goto bad;
	}
	if (find_category(cl->v, cl->n, c.id)) {
		perr(p, idn, _("duplicate category '%s'"), c.id);
		goto bad;
	}
	if (!c.label)
		c.label = xstrdup(c.id);
	if (par) {
		struct sb path = SB_INIT;

		sb_addf(&path, "%s/%s", par->label_path, c.label);
		c.label_path = sb_detach(&path, NULL);
	} else {
		c.label_path = xstrdup(c.label);
	}
	GROW(cl->v, cl->alloc, cl->n + 1);
	cl->v[cl->n++] = c;
	if ((n = ynode_get(it, "children")) != NULL)
		parse_category_list(p, cl, n, (int)(cl->n - 1));
	return;
bad:
	category_clear(&c);
}

static void parse_category_list(struct parser *p, struct catlist *cl,
	const struct ynode *seq, int parent)
{
	size_t i;

	if (!want(p, seq, YT_SEQ, parent < 0 ? "categories" : "children"))
		return;
	for (i = 0; i < seq->n; i++)
		parse_one_category(p, cl, seq->items[i], parent);
}

static void parse_categories(struct parser *p, const struct ynode *seq)
{
	struct config *cfg = p->cfg;
	struct catlist cl = { NULL, 0, 0 };

	parse_category_list(p, &cl, seq, -1);
	free_categories(cfg->categories, cfg->ncategories);
	cfg->categories = cl.v;
	cfg->ncategories = cl.n;
}

/* ---- limits, deadlines, remind, mail ---- */

static void parse_limits(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = {
		"look_back", "same_respondent", NULL
	};
	const struct ynode *n;

	if (!want(p, map, YT_MAP, "limits"))
		return;
	check_keys(p, map, keys, "limits");
	if ((n = ynode_get(map, "look_back")) != NULL)
		get_duration(p, n, "limits.look_back", 1,
			&p->cfg->look_back);
	if ((n = ynode_get(map, "same_respondent")) != NULL)
		get_duration(p, n, "limits.same_respondent", 0,
			&p->cfg->same_respondent);
}

static void rule_clear(struct dl_rule *r)
{
	free(r->kind);
	free(r->priority);
	free(r->category);
	memset(r, 0, sizeof(*r));
}

static void free_rules(struct dl_rule *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		rule_clear(&v[i]);
	free(v);
}

/* `when` of a rule: each value must name something that exists. */
static void parse_when(struct parser *p, const struct ynode *map,
	struct dl_rule *r)
{
	static const char *const keys[] = {
		"kind", "priority", "category", NULL
	};
	const struct ynode *n;

	if (!want(p, map, YT_MAP, "when"))
		return;
	check_keys(p, map, keys, "when");
	if ((n = ynode_get(map, "kind")) != NULL &&
		want(p, n, YT_SCALAR, "when.kind")) {
		if (index_in(n->str, kind_names) < 0)
			perr(p, n, _("unknown kind '%s' in 'when' (expected "
				"complaint or report)"), n->str);
		else
			r->kind = xstrdup(n->str);
	}
	if ((n = ynode_get(map, "priority")) != NULL &&
		want(p, n, YT_SCALAR, "when.priority")) {
		if (!config_priority(p->cfg, n->str))
			perr(p, n, _("unknown priority '%s' in 'when'"), n->str);
		else
			r->priority = xstrdup(n->str);
	}
	if ((n = ynode_get(map, "category")) != NULL &&
		want(p, n, YT_SCALAR, "when.category")) {
		if (!config_category(p->cfg, n->str))
			perr(p, n, _("unknown category '%s' in 'when'"), n->str);
		else
			r->category = xstrdup(n->str);
	}
}

static const char *const from_names[] = {
	"accepted", "received", "assigned", NULL
};

/* extend: {max: N, by: DURATION} of a resolve deadline. */
static void parse_extend(struct parser *p, const struct ynode *map,
	const char *what, unsigned *has, struct resolve_policy *pol)
{
	static const char *const keys[] = { "max", "by", NULL };
	const struct ynode *n;
	char *end;
	long v;

	if (!want(p, map, YT_MAP, what))
		return;
	check_keys(p, map, keys, what);
	if ((n = ynode_get(map, "max")) != NULL && want(p, n, YT_SCALAR,
	    what)) {
		v = strtol(n->str, &end, 10);
		if (!*n->str || *end || v < 0 || v > 100)
			perr(p, n, _("'%s.max' must be a number of extensions "
				"from 0 to 100, not '%s'"), what, n->str);
		else {
			pol->ext_max = (int)v;
			*has |= DL_EXT_MAX;
		}
	}
	if ((n = ynode_get(map, "by")) != NULL) {
		get_duration(p, n, what, 0, &pol->ext_by);
		*has |= DL_EXT_BY;
	}
}

/*
 * A resolve deadline: a duration (15wd), or a mapping naming its length
 * (within), its start (from), its ceiling counted from receipt (max) and
 * its extensions (extend: {max, by}).  Each part given sets its DL_ bit.
 */
static void parse_resolve(struct parser *p, const struct ynode *n,
	const char *what, struct duration *dur, unsigned *has,
	struct resolve_policy *pol)
{
	static const char *const keys[] = {
		"within", "from", "max", "extend", NULL
	};
	struct sb w = SB_INIT;
	const struct ynode *v;
	int i;

	if (n->type != YT_MAP) {
		get_duration(p, n, what, 0, dur);
		*has |= DL_RESOLVE;
		return;
	}
	check_keys(p, n, keys, what);
	if ((v = ynode_get(n, "within")) != NULL) {
		sb_addf(&w, "%s.within", what);
		get_duration(p, v, w.buf, 0, dur);
		*has |= DL_RESOLVE;
	}
	if ((v = ynode_get(n, "from")) != NULL && want(p, v, YT_SCALAR,
	    what)) {
		if ((i = index_in(v->str, from_names)) < 0)
			perr(p, v, _("unknown start '%s' in '%s.from' "
				"(expected received, accepted or assigned)"),
				v->str, what);
		else {
			pol->from = (enum dl_from)i;
			*has |= DL_FROM;
		}
	}
	if ((v = ynode_get(n, "max")) != NULL) {
		sb_reset(&w);
		sb_addf(&w, "%s.max", what);
		get_duration(p, v, w.buf, 0, &pol->max);
		*has |= DL_MAX;
	}
	if ((v = ynode_get(n, "extend")) != NULL) {
		sb_reset(&w);
		sb_addf(&w, "%s.extend", what);
		parse_extend(p, v, w.buf, has, pol);
	}
	sb_release(&w);
}

static void parse_rule(struct parser *p, const struct ynode *it,
	struct dl_rule *r)
{
	static const char *const keys[] = {
		"when", "ack", "feedback", "resolve", "visit", NULL
	};
	const struct ynode *n;

	if (!want(p, it, YT_MAP, "rules"))
		return;
	check_keys(p, it, keys, "rules");
	if ((n = ynode_get(it, "when")) != NULL)
		parse_when(p, n, r);
	if ((n = ynode_get(it, "ack")) != NULL) {
		r->has |= DL_ACK;
		get_duration(p, n, "rules.ack", 0, &r->ack);
	}
	if ((n = ynode_get(it, "feedback")) != NULL) {
		r->has |= DL_FEEDBACK;
		get_duration(p, n, "rules.feedback", 0, &r->feedback);
	}
	if ((n = ynode_get(it, "resolve")) != NULL)
		parse_resolve(p, n, "rules.resolve", &r->resolve, &r->has,
			&r->policy);
	if ((n = ynode_get(it, "visit")) != NULL) {
		r->has |= DL_VISIT;
		get_duration(p, n, "rules.visit", 0, &r->visit);
	}
	if (!r->has)
		perr(p, it, _("rule sets no deadline (give ack, feedback, "
			"resolve or visit)"));
}

static void parse_rules(struct parser *p, const struct ynode *seq)
{
	struct config *cfg = p->cfg;
	struct dl_rule *v = NULL;
	size_t i;

	if (!want(p, seq, YT_SEQ, "deadlines.rules"))
		return;
	if (seq->n)
		v = xcalloc(seq->n, sizeof(*v));
	for (i = 0; i < seq->n; i++)
		parse_rule(p, seq->items[i], &v[i]);
	free_rules(cfg->rules, cfg->nrules);
	cfg->rules = v;
	cfg->nrules = seq->n;
}

static void parse_deadlines(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = {
		"ack", "feedback", "resolve", "co_reply", "visit", "decide",
		"rules", NULL
	};
	struct config *cfg = p->cfg;
	const struct ynode *n;

	if (!want(p, map, YT_MAP, "deadlines"))
		return;
	check_keys(p, map, keys, "deadlines");
	if ((n = ynode_get(map, "ack")) != NULL)
		get_duration(p, n, "deadlines.ack", 0, &cfg->ack);
	if ((n = ynode_get(map, "feedback")) != NULL)
		get_duration(p, n, "deadlines.feedback", 0, &cfg->feedback);
	if ((n = ynode_get(map, "resolve")) != NULL) {
		unsigned has = 0;

		parse_resolve(p, n, "deadlines.resolve", &cfg->resolve, &has,
			&cfg->policy);
	}
	if ((n = ynode_get(map, "co_reply")) != NULL)
		get_duration(p, n, "deadlines.co_reply", 0, &cfg->co_reply);
	if ((n = ynode_get(map, "visit")) != NULL)
		get_duration(p, n, "deadlines.visit", 0, &cfg->visit);
	if ((n = ynode_get(map, "decide")) != NULL)
		get_duration(p, n, "deadlines.decide", 0, &cfg->decide);
	if ((n = ynode_get(map, "rules")) != NULL)
		parse_rules(p, n);
}

/* remind.digest_over: a whole number of cases, at least 1. */
static void parse_digest_over(struct parser *p, const struct ynode *n)
{
	char *end;
	long v;

	if (!want(p, n, YT_SCALAR, "remind.digest_over"))
		return;
	v = strtol(n->str, &end, 10);
	if (!*n->str || *end || v < 1 || v > 1000000) {
		perr(p, n, _("'remind.digest_over' must be a number of cases "
			"from 1 up, not '%s'"), n->str);
		return;
	}
	p->cfg->digest_over = v;
}

/* Every store may reject a case whose material never came (triage
 * --reject info-not-provided, once --info-due has passed). */
static void add_info_not_provided(struct config *cfg)
{
	size_t i;

	for (i = 0; i < cfg->nreject_reasons; i++)
		if (!strcmp(cfg->reject_reasons[i].id, "info-not-provided"))
			return;
	cfg->reject_reasons = xrealloc(cfg->reject_reasons,
		(cfg->nreject_reasons + 1) * sizeof(*cfg->reject_reasons));
	cfg->reject_reasons[cfg->nreject_reasons].id =
		xstrdup("info-not-provided");
	cfg->reject_reasons[cfg->nreject_reasons].label =
		xstrdup("逾期未补充材料");
	cfg->nreject_reasons++;
}

/* close: what closing needs. */
static void parse_close(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = { "require_notified", NULL };
	const struct ynode *n;

	if (!want(p, map, YT_MAP, "close"))
		return;
	check_keys(p, map, keys, "close");
	n = ynode_get(map, "require_notified");
	if (!n || !want(p, n, YT_SCALAR, "close.require_notified"))
		return;
	if (!strcmp(n->str, "true"))
		p->cfg->require_notified = 1;
	else if (!strcmp(n->str, "false"))
		p->cfg->require_notified = 0;
	else
		perr(p, n, _("'close.require_notified' must be true or false, "
			"not '%s'"), n->str);
}

/* collective: when a complaint counts as collective (集体投诉). */
static void parse_collective(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = { "threshold", NULL };
	const struct ynode *n;
	char *end;
	long v;

	if (!want(p, map, YT_MAP, "collective"))
		return;
	check_keys(p, map, keys, "collective");
	n = ynode_get(map, "threshold");
	if (!n || !want(p, n, YT_SCALAR, "collective.threshold"))
		return;
	v = strtol(n->str, &end, 10);
	if (!*n->str || *end || v < 2 || v > 1000000)
		perr(p, n, _("'collective.threshold' must be a number of "
			"people from 2 up, not '%s'"), n->str);
	else
		p->cfg->collective_threshold = v;
}

/*
 * remind.escalate_after: one duration, or one per priority, so that a
 * missed 4-hour urgent case reaches the head within hours, not after the
 * 2 working days an ordinary one waits:
 *   escalate_after: {default: 2wd, urgent: 4h}
 */
static void parse_escalate_after(struct parser *p, const struct ynode *n)
{
	struct config *cfg = p->cfg;
	struct sb what = SB_INIT;
	struct escalation *e;
	size_t i;

	if (n->type != YT_MAP) {
		get_duration(p, n, "remind.escalate_after", 0,
			&cfg->escalate_after);
		return;
	}
	for (i = 0; i < n->n; i++) {
		const char *key = n->pairs[i].key->str;
		const struct ynode *v = n->pairs[i].val;

		sb_reset(&what);
		sb_addf(&what, "remind.escalate_after.%s", key);
		if (!strcmp(key, "default")) {
			get_duration(p, v, what.buf, 0, &cfg->escalate_after);
			continue;
		}
		if (!config_priority(cfg, key)) {
			perr(p, n->pairs[i].key, _("unknown priority '%s' in "
				"'remind.escalate_after' (give 'default' or a "
				"priority id)"), key);
			continue;
		}
		GROW(cfg->escalate_by, cfg->nescalate_by_alloc,
			cfg->nescalate_by + 1);
		e = &cfg->escalate_by[cfg->nescalate_by++];
		e->priority = xstrdup(key);
		e->after = cfg->escalate_after;
		get_duration(p, v, what.buf, 0, &e->after);
	}
	sb_release(&what);
}

struct duration config_escalate_after(const struct config *cfg,
	const char *priority)
{
	size_t i;

	for (i = 0; priority && i < cfg->nescalate_by; i++)
		if (!strcmp(cfg->escalate_by[i].priority, priority))
			return cfg->escalate_by[i].after;
	return cfg->escalate_after;
}

static void parse_remind(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = {
		"within", "repeat", "escalate_after", "digest_over", NULL
	};
	struct config *cfg = p->cfg;
	const struct ynode *n;

	if (!want(p, map, YT_MAP, "remind"))
		return;
	check_keys(p, map, keys, "remind");
	if ((n = ynode_get(map, "within")) != NULL)
		get_duration(p, n, "remind.within", 0, &cfg->remind_within);
	if ((n = ynode_get(map, "repeat")) != NULL)
		get_duration(p, n, "remind.repeat", 0, &cfg->remind_repeat);
	if ((n = ynode_get(map, "escalate_after")) != NULL)
		parse_escalate_after(p, n);
	if ((n = ynode_get(map, "digest_over")) != NULL)
		parse_digest_over(p, n);
}

/* ---- views ---- */

/*
 * A view's options as words: a YAML list of them, or one string split
 * at blanks, where "double quotes" keep blanks inside one word
 * ("--text \"化肥 假冒\"").
 */
static int split_words(struct parser *p, const struct ynode *n,
	struct view *v)
{
	struct sb w = SB_INIT;
	const char *s = n->str;
	int quoted = 0, any = 0;

	for (;; s++) {
		if (*s == '"') {
			quoted = !quoted;
			any = 1;
			continue;
		}
		if (*s && (quoted || (*s != ' ' && *s != '\t'))) {
			sb_addc(&w, *s);
			any = 1;
			continue;
		}
		if (any) {
			size_t alloc = v->nargs;

			GROW(v->args, alloc, v->nargs + 1);
			v->args[v->nargs++] = sb_detach(&w, NULL);
			sb_init(&w);
			any = 0;
		}
		if (!*s)
			break;
	}
	sb_release(&w);
	if (quoted) {
		perr(p, n, _("unbalanced '\"' in view '%s'"), v->name);
		return -1;
	}
	return 0;
}

static void parse_one_view(struct parser *p, const struct ypair *kv)
{
	struct config *cfg = p->cfg;
	const struct ynode *n = kv->val;
	struct view *v;
	size_t i, alloc;

	if (!kv->key->len || kv->key->str[0] == '@' ||
	    kv->key->str[0] == '-') {
		perr(p, kv->key, _("invalid view name '%s' (a word that "
			"does not start with '@' or '-')"), kv->key->str);
		return;
	}
	if (config_view(cfg, kv->key->str)) {
		perr(p, kv->key, _("duplicate view '%s'"), kv->key->str);
		return;
	}
	alloc = cfg->nviews;
	GROW(cfg->views, alloc, cfg->nviews + 1);
	v = &cfg->views[cfg->nviews++];
	memset(v, 0, sizeof(*v));
	v->name = xstrdup(kv->key->str);
	v->line = kv->key->line;
	v->col = kv->key->col;
	if (n->type == YT_SCALAR) {
		split_words(p, n, v);
		return;
	}
	if (!want(p, n, YT_SEQ, "views"))
		return;
	for (i = 0; i < n->n; i++) {
		if (!want(p, n->items[i], YT_SCALAR, "views"))
			continue;
		alloc = v->nargs;
		GROW(v->args, alloc, v->nargs + 1);
		v->args[v->nargs++] = xstrdup(n->items[i]->str);
	}
}

static void parse_views(struct parser *p, const struct ynode *map)
{
	size_t i;

	if (!want(p, map, YT_MAP, "views"))
		return;
	for (i = 0; i < map->n; i++)
		parse_one_view(p, &map->pairs[i]);
}

const struct view *config_view(const struct config *cfg, const char *name)
{
	size_t i;

	for (i = 0; i < cfg->nviews; i++)
		if (!strcmp(cfg->views[i].name, name))
			return &cfg->views[i];
	return NULL;
}

/*
 * mail.timeout: a wall-clock time, so only the clock units: "90s",
 * "2m", "1h" (calendar units make no sense for a program that hangs).
 */
static void get_seconds(struct parser *p, const struct ynode *n,
	const char *what, int *out)
{
	static const struct {
		const char *suffix;
		long scale;
	} units[] = { { "s", 1 }, { "m", 60 }, { "h", 3600 } };
	const char *s;
	long v = 0;
	size_t i;

	if (!want(p, n, YT_SCALAR, what))
		return;
	for (s = n->str; *s >= '0' && *s <= '9' && v <= MAIL_TIMEOUT_MAX;
	     s++)
		v = v * 10 + (*s - '0');
	for (i = 0; s != n->str && i < ARRAY_SIZE(units); i++) {
		if (strcmp(s, units[i].suffix))
			continue;
		v *= units[i].scale;
		if (v < 1 || v > MAIL_TIMEOUT_MAX)
			break;
		*out = (int)v;
		return;
	}
	perr(p, n, _("invalid time '%s' in '%s' (e.g. 60s, 5m or 1h; at "
		"least 1s, at most 24h)"), n->str, what);
}

static void parse_mail(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = {
		"from", "sendmail", "timeout", NULL
	};
	struct config *cfg = p->cfg;
	const struct ynode *n;
	char *s = NULL;

	if (!want(p, map, YT_MAP, "mail"))
		return;
	check_keys(p, map, keys, "mail");
	if ((n = ynode_get(map, "from")) != NULL &&
		!get_text(p, n, "mail.from", LIM_NAME, &s)) {
		if (!email_valid(s)) {
			perr(p, n, _("invalid email address '%s' in "
				"'mail.from'"), s);
			free(s);
		} else {
			free(cfg->mail_from);
			cfg->mail_from = s;
		}
		s = NULL;
	}
	if ((n = ynode_get(map, "sendmail")) != NULL &&
		!get_text(p, n, "mail.sendmail", 4096, &s)) {
		if (!s[strspn(s, " \t")]) {
			perr(p, n, _("empty 'mail.sendmail'"));
			free(s);
		} else {
			free(cfg->sendmail);
			cfg->sendmail = s;
		}
	}
	if ((n = ynode_get(map, "timeout")) != NULL)
		get_seconds(p, n, "mail.timeout", &cfg->mail_timeout);
}

/* ---- calendar ---- */

static void parse_workdays(struct parser *p, const struct ynode *seq)
{
	unsigned days = 0;
	size_t i;

	if (!want(p, seq, YT_SEQ, "calendar.workdays"))
		return;
	if (seq->n == 0) {
		perr(p, seq, _("'calendar.workdays' needs at least one day"));
		return;
	}
	for (i = 0; i < seq->n; i++) {
		const struct ynode *n = seq->items[i];
		int k;

		if (!want(p, n, YT_SCALAR, "calendar.workdays"))
			continue;
		k = index_in(n->str, day_names);
		if (k < 0)
			perr(p, n, _("unknown weekday '%s' (expected mon, tue, "
				"wed, thu, fri, sat or sun)"), n->str);
		else if (days & (1u << k))
			perr(p, n, _("duplicate weekday '%s'"), n->str);
		else
			days |= 1u << k;
	}
	if (days)
		p->cfg->cal.workdays = days;
}

/* Parse "YYYY-MM-DD" or a range "A..B" into [*a, *b]; 0 or -1. */
static int holiday_range(const char *s, struct date *a, struct date *b)
{
	const char *dots = strstr(s, "..");
	char first[DATE_BUFSZ];
	size_t len;

	if (!dots) {
		if (date_parse(a, s) < 0)
			return -1;
		*b = *a;
		return 0;
	}
	len = (size_t)(dots - s);
	if (len >= sizeof(first))
		return -1;
	memcpy(first, s, len);
	first[len] = '\0';
	if (date_parse(a, first) < 0 || date_parse(b, dots + 2) < 0)
		return -1;
	return 0;
}

/* A holiday: "YYYY-MM-DD" or a range "A..B" with A <= B. */
static void parse_holiday(struct parser *p, const struct ynode *n)
{
	struct date a, b;

	if (!want(p, n, YT_SCALAR, "calendar.holidays"))
		return;
	if (holiday_range(n->str, &a, &b) < 0) {
		perr(p, n, _("invalid holiday '%s' (expected YYYY-MM-DD or "
			"YYYY-MM-DD..YYYY-MM-DD)"), n->str);
		return;
	}
	if (date_cmp(a, b) > 0) {
		perr(p, n, _("holiday range '%s' ends before it starts"),
			n->str);
		return;
	}
	if (date_to_days(b) - date_to_days(a) >= MAX_HOLIDAY_RANGE) {
		perr(p, n, _("holiday range '%s' is longer than a year"), n->str);
		return;
	}
	cal_add_holidays(&p->cfg->cal, a, b);
}

static int is_holiday(const struct calendar *cal, struct date d)
{
	size_t i;

	for (i = 0; i < cal->nholidays; i++)
		if (!date_cmp(cal->holidays[i], d))
			return 1;
	return 0;
}

/*
 * Holidays and make-up days given in the file replace the defaults.  A
 * day listed as both is refused: one of the two is a typo.
 */
static void parse_calendar(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = {
		"workdays", "holidays", "extra_workdays", NULL
	};
	struct calendar *cal = &p->cfg->cal;
	const struct ynode *n;
	size_t i;

	if (!want(p, map, YT_MAP, "calendar"))
		return;
	check_keys(p, map, keys, "calendar");
	if ((n = ynode_get(map, "workdays")) != NULL)
		parse_workdays(p, n);
	if ((n = ynode_get(map, "holidays")) != NULL &&
		want(p, n, YT_SEQ, "calendar.holidays")) {
		free(cal->holidays);
		cal->holidays = NULL;
		cal->nholidays = 0;
		for (i = 0; i < n->n; i++)
			parse_holiday(p, n->items[i]);
	}
	cal_finish(cal);
	if (!(n = ynode_get(map, "extra_workdays")) ||
		!want(p, n, YT_SEQ, "calendar.extra_workdays"))
		return;
	free(cal->extra);
	cal->extra = NULL;
	cal->nextra = 0;
	for (i = 0; i < n->n; i++) {
		const struct ynode *it = n->items[i];
		struct date d;

		if (!want(p, it, YT_SCALAR, "calendar.extra_workdays"))
			continue;
		if (date_parse(&d, it->str) < 0)
			perr(p, it, _("invalid date '%s' in "
				"'calendar.extra_workdays' (expected "
				"YYYY-MM-DD)"), it->str);
		else if (is_holiday(cal, d))
			perr(p, it, _("'%s' is both a holiday and an extra "
				"working day"), it->str);
		else
			cal_add_extra(cal, d);
	}
	cal_finish(cal);
}

/* ---- numbering (document numbers of `docket print --issue`) ---- */

/*
 * A pattern names {year} once and {seq} once and nothing else in
 * braces: "农投〔{year}〕{seq}号".  Without {year} the numbers of two
 * years would meet; without {seq} every number would be the same.
 */
static int pattern_ok(const char *s)
{
	int year = 0, seq = 0, close = 0;
	const char *p;

	for (p = s; (p = strchr(p, '}')) != NULL; p++)
		close++;
	for (p = s; (p = strchr(p, '{')) != NULL; p++) {
		if (!strncmp(p, "{year}", 6))
			year++;
		else if (!strncmp(p, "{seq}", 5))
			seq++;
		else
			return 0;
	}
	return year == 1 && seq == 1 && close == 2;
}

static void parse_numbering(struct parser *p, const struct ynode *map)
{
	struct config *cfg = p->cfg;
	const struct ynode *k, *v;
	char *pat = NULL;
	size_t i;

	if (!want(p, map, YT_MAP, "numbering"))
		return;
	for (i = 0; i < map->n; i++) {
		k = map->pairs[i].key;
		v = map->pairs[i].val;
		if (!form_name_valid(k->str)) {
			perr(p, k, _("'%s' in 'numbering' is not a form name"),
				k->str);
			continue;
		}
		if (get_text(p, v, "numbering", LIM_NAME, &pat))
			continue;
		if (!pattern_ok(pat)) {
			perr(p, v, _("the number pattern '%s' of form '%s' must "
				"hold {year} and {seq} once each, as "
				"\"农投〔{year}〕{seq}号\""), pat, k->str);
			free(pat);
			pat = NULL;
			continue;
		}
		cfg->numbering = xrealloc(cfg->numbering,
			(cfg->nnumbering + 1) * sizeof(*cfg->numbering));
		cfg->numbering[cfg->nnumbering].id = xstrdup(k->str);
		cfg->numbering[cfg->nnumbering++].label = pat;
		pat = NULL;
	}
}

/* ---- the whole file ---- */

/* Each section in dependency order; absent ones keep their default. */
static void parse_root(struct parser *p, const struct ynode *root)
{
	struct config *cfg = p->cfg;
	const struct ynode *n;

	check_keys(p, root, top_keys, NULL);
	parse_version(p, root);
	if ((n = ynode_get(root, "organization")) != NULL)
		get_text(p, n, "organization", LIM_NAME, &cfg->organization);
	if ((n = ynode_get(root, "language")) != NULL)
		parse_language(p, n);
	if ((n = ynode_get(root, "timezone")) != NULL)
		parse_timezone(p, n);
	if ((n = ynode_get(root, "id")) != NULL)
		parse_id_section(p, n);
	if ((n = ynode_get(root, "channels")) != NULL)
		parse_labelled(p, n, "channels", 1, &cfg->channels,
			&cfg->nchannels);
	if ((n = ynode_get(root, "priorities")) != NULL)
		parse_labelled(p, n, "priorities", 1, &cfg->priorities,
			&cfg->npriorities);
	parse_default_priority(p, root);
	if ((n = ynode_get(root, "staff")) != NULL)
		parse_staff(p, n);
	if ((n = ynode_get(root, "departments")) != NULL)
		parse_departments(p, n);
	if ((n = ynode_get(root, "categories")) != NULL)
		parse_categories(p, n);
	if ((n = ynode_get(root, "sites")) != NULL)
		parse_sites(p, n);
	if ((n = ynode_get(root, "reject_reasons")) != NULL) {
		parse_labelled(p, n, "reject_reasons", 0,
			&cfg->reject_reasons, &cfg->nreject_reasons);
		add_info_not_provided(cfg);
	}
	if ((n = ynode_get(root, "limits")) != NULL)
		parse_limits(p, n);
	if ((n = ynode_get(root, "deadlines")) != NULL)
		parse_deadlines(p, n);
	if ((n = ynode_get(root, "close")) != NULL)
		parse_close(p, n);
	if ((n = ynode_get(root, "collective")) != NULL)
		parse_collective(p, n);
	if ((n = ynode_get(root, "calendar")) != NULL)
		parse_calendar(p, n);
	if ((n = ynode_get(root, "remind")) != NULL)
		parse_remind(p, n);
	if ((n = ynode_get(root, "mail")) != NULL)
		parse_mail(p, n);
	if ((n = ynode_get(root, "views")) != NULL)
		parse_views(p, n);
	if ((n = ynode_get(root, "numbering")) != NULL)
		parse_numbering(p, n);
}

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->version = 1;
	cfg->organization = xstrdup("");
	cfg->id_prefix = xstrdup("");
	copy_labelled(&cfg->channels, &cfg->nchannels, default_channels,
		ARRAY_SIZE(default_channels));
	copy_labelled(&cfg->priorities, &cfg->npriorities,
		default_priorities, ARRAY_SIZE(default_priorities));
	cfg->default_priority = xstrdup("normal");
	copy_labelled(&cfg->reject_reasons, &cfg->nreject_reasons,
		default_reject_reasons, ARRAY_SIZE(default_reject_reasons));
	cfg->look_back = (struct duration){ 2, DUR_YEARS };
	cfg->ack = (struct duration){ 1, DUR_WORKDAYS };
	cfg->feedback = (struct duration){ 3, DUR_WORKDAYS };
	cfg->resolve = (struct duration){ 15, DUR_WORKDAYS };
	cfg->co_reply = (struct duration){ 3, DUR_WORKDAYS };
	cfg->visit = DUR_NONE;
	cfg->policy.from = FROM_ACCEPTED;
	cfg->policy.max = DUR_NONE;
	cfg->policy.ext_max = -1;
	cfg->policy.ext_by = DUR_NONE;
	cfg->decide = (struct duration){ 1, DUR_WORKDAYS };
	cfg->require_notified = 1;
	cfg->collective_threshold = 5;
	cal_init(&cfg->cal);
	/* Without a tz database the zone stays UTC; a file naming the
	 * zone then reports the problem. */
	cal_set_tz(&cfg->cal, "Asia/Shanghai");
	cfg->remind_within = (struct duration){ 1, DUR_WORKDAYS };
	cfg->remind_repeat = (struct duration){ 1, DUR_WORKDAYS };
	cfg->digest_over = 30;
	cfg->escalate_after = (struct duration){ 2, DUR_WORKDAYS };
	cfg->mail_from = xstrdup("docket@localhost");
	cfg->sendmail = xstrdup("/usr/sbin/sendmail -t -oi");
	cfg->mail_timeout = MAIL_TIMEOUT_DEFAULT;
}

void config_release(struct config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < cfg->nviews; i++) {
		free(cfg->views[i].name);
		for (size_t j = 0; j < cfg->views[i].nargs; j++)
			free(cfg->views[i].args[j]);
		free(cfg->views[i].args);
	}
	free(cfg->views);
	for (size_t i = 0; i < cfg->nescalate_by; i++)
		free(cfg->escalate_by[i].priority);
	free(cfg->escalate_by);
	free(cfg->organization);
	free(cfg->language);
	free(cfg->id_prefix);
	free_labelled(cfg->channels, cfg->nchannels);
	free_labelled(cfg->priorities, cfg->npriorities);
	free(cfg->default_priority);
	free_departments(cfg->departments, cfg->ndepartments);
	free_sites(cfg->sites, cfg->nsites);
	free_categories(cfg->categories, cfg->ncategories);
	free_staff(cfg->staff, cfg->nstaff);
	free_labelled(cfg->reject_reasons, cfg->nreject_reasons);
	free_labelled(cfg->numbering, cfg->nnumbering);
	free_rules(cfg->rules, cfg->nrules);
	cal_release(&cfg->cal);
	free(cfg->mail_from);
	free(cfg->sendmail);
	memset(cfg, 0, sizeof(*cfg));
}

/*
 * cfg is an output: it is set to the defaults first, so the caller need
 * not (and must not) config_init() it beforehand.  On failure it holds
 * the defaults again; config_release() it either way.
 */
int config_parse(struct config *cfg, const char *buf, size_t len,
	const char *file, struct diag *d)
{
	struct parser p = { cfg, file, d, 0 };
	struct ynode *root = NULL;
	int ret;

	config_init(cfg);
	ret = ytree_parse(&root, buf, len, file, d);
	if (ret < 0)
		goto out;
	if (root->type != YT_MAP)
		perr(&p, root, _("the top level must be a mapping, not %s"),
			ynode_kind(root));
	else
		parse_root(&p, root);
	ret = p.nerr ? ERR_INVALID : 0;
out:
	ynode_free(root);
	if (ret < 0) {
		config_release(cfg);
		config_init(cfg);
	}
	return ret;
}

int config_load(struct config *cfg, const char *path, struct diag *d)
{
	struct sb buf = SB_INIT;
	int ret;

	ret = read_regular(&buf, path, CONFIG_MAX_SIZE, d);
	if (ret < 0)
		config_init(cfg);
	else
		ret = config_parse(cfg, buf.buf, buf.len, path, d);
	sb_release(&buf);
	return ret;
}

/* ---- look-ups ---- */

const struct labelled *config_channel(const struct config *cfg,
	const char *id)
{
	return find_labelled(cfg->channels, cfg->nchannels, id);
}

const struct labelled *config_priority(const struct config *cfg,
	const char *id)
{
	return find_labelled(cfg->priorities, cfg->npriorities, id);
}

const struct labelled *config_reject_reason(const struct config *cfg,
	const char *id)
{
	return find_labelled(cfg->reject_reasons, cfg->nreject_reasons, id);
}

const char *config_numbering(const struct config *cfg, const char *form)
{
	const struct labelled *l = find_labelled(cfg->numbering,
		cfg->nnumbering, form);

	return l ? l->label : CONFIG_DEFAULT_NUMBERING;
}

const struct department *config_department(const struct config *cfg,
	const char *id)
{
	return find_department(cfg->departments, cfg->ndepartments, id);
}

const struct category *config_category(const struct config *cfg,
	const char *id)
{
	return find_category(cfg->categories, cfg->ncategories, id);
}

const struct staff *config_staff(const struct config *cfg, const char *id)
{
	return find_staff(cfg->staff, cfg->nstaff, id);
}

const struct staff *config_staff_by_email(const struct config *cfg,
	const char *email)
{
	return find_staff_email(cfg->staff, cfg->nstaff, email);
}

int category_under(const char *cat, const char *anc)
{
	size_t n;

	if (!cat || !anc)
		return 0;
	n = strlen(anc);
	return !strncmp(cat, anc, n) && (cat[n] == '\0' || cat[n] == '/');
}
