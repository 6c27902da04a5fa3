/*
 * config-org.c - docket.yaml: staff, departments and sites, the people
 * and places cases are routed to.
 */
#include "config-int.h"

CFG_ID_FIRST(struct staff);
CFG_ID_FIRST(struct department);
CFG_ID_FIRST(struct site);

static void staff_clear(void *item)
{
	struct staff *st = item;

	free(st->id);
	free(st->name);
	free(st->email);
	memset(st, 0, sizeof(*st));
}

void cfg_free_staff(struct staff *v, size_t n)
{
	cfg_free_items(v, n, sizeof(*v), staff_clear);
}

const struct staff *cfg_find_staff(const struct staff *v, size_t n,
	const char *id)
{
	return cfg_find_id(v, n, sizeof(*v), id);
}

/* Email addresses compare without case (domains have none; in practice
 * nor do local parts). */
const struct staff *cfg_find_staff_email(const struct staff *v, size_t n,
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
int cfg_email_valid(const char *s)
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

	if (!cfg_want(p, seq, YT_SEQ, "roles"))
		return 0;
	for (i = 0; i < seq->n; i++) {
		const struct ynode *r = seq->items[i];
		int k;

		if (!cfg_want(p, r, YT_SCALAR, "roles"))
			continue;
		k = cfg_index_in(r->str, cfg_role_names);
		if (k < 0)
			cfg_perr(p, r, _("unknown role '%s' (expected intake, "
				"triage, supervisor or handler)"), r->str);
		else if (roles & (1u << k))
			cfg_perr(p, r, _("duplicate role '%s'"), r->str);
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

	if (!cfg_want(p, it, YT_MAP, "staff"))
		return -1;
	cfg_check_keys(p, it, keys, "staff");
	if (!(n = ynode_get(it, "name")))
		cfg_perr(p, it, _("missing 'name' in 'staff' entry"));
	else
		cfg_get_text(p, n, "name", LIM_NAME, &st->name);
	if ((n = ynode_get(it, "email")) != NULL &&
		!cfg_get_text(p, n, "email", LIM_NAME, &st->email) &&
		!cfg_email_valid(st->email)) {
		cfg_perr(p, n, _("invalid email address '%s'"), st->email);
		free(st->email);
		st->email = NULL;
	}
	if ((n = ynode_get(it, "roles")) != NULL)
		st->roles = parse_roles(p, n);
	if (!(n = ynode_get(it, "id"))) {
		cfg_perr(p, it, _("missing 'id' in 'staff' entry"));
		return -1;
	}
	return cfg_get_id(p, n, "staff", &st->id);
}

void cfg_parse_staff(struct parser *p, const struct ynode *seq)
{
	struct config *cfg = p->cfg;
	struct staff *v = NULL;
	size_t n = 0, alloc = 0, i;

	if (!cfg_want(p, seq, YT_SEQ, "staff"))
		return;
	for (i = 0; i < seq->n; i++) {
		const struct ynode *it = seq->items[i];
		const struct staff *other;
		struct staff st = { NULL, NULL, NULL, 0 };

		if (parse_one_staff(p, it, &st) < 0) {
			staff_clear(&st);
			continue;
		}
		if (cfg_find_staff(v, n, st.id)) {
			cfg_perr(p, ynode_get(it, "id"),
				_("duplicate id '%s' in 'staff'"), st.id);
			staff_clear(&st);
			continue;
		}
		other = cfg_find_staff_email(v, n, st.email);
		if (other)
			cfg_perr(p, ynode_get(it, "email"), _("email address '%s' "
				"is already used by staff '%s'"), st.email,
				other->id);
		if (!st.name)
			st.name = xstrdup(st.id);
		GROW(v, alloc, n + 1);
		v[n++] = st;
	}
	cfg_free_staff(cfg->staff, cfg->nstaff);
	cfg->staff = v;
	cfg->nstaff = n;
}

/* ---- departments ---- */

static void department_clear(void *item)
{
	struct department *dep = item;

	free(dep->id);
	free(dep->label);
	free(dep->head);
	free_strv(dep->members, dep->nmembers);
	memset(dep, 0, sizeof(*dep));
}

void cfg_free_departments(struct department *v, size_t n)
{
	cfg_free_items(v, n, sizeof(*v), department_clear);
}

const struct department *cfg_find_department(const struct department *v,
	size_t n, const char *id)
{
	return cfg_find_id(v, n, sizeof(*v), id);
}

/* A staff id; once a staff list exists it must name one of them. */
static int get_staff_ref(struct parser *p, const struct ynode *n,
	const char *what, char **out)
{
	if (cfg_get_id(p, n, what, out) < 0)
		return -1;
	if (p->cfg->nstaff > 0 && !config_staff(p->cfg, *out)) {
		cfg_perr(p, n, _("unknown staff '%s' in '%s'"), *out, what);
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

	if (!cfg_want(p, seq, YT_SEQ, "members"))
		return;
	for (i = 0; i < seq->n; i++) {
		char *id = NULL;

		if (get_staff_ref(p, seq->items[i], "members", &id) < 0)
			continue;
		if (strlist_has(&l, id)) {
			cfg_perr(p, seq->items[i],
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

	if (!cfg_want(p, it, YT_MAP, "departments"))
		return -1;
	cfg_check_keys(p, it, keys, "departments");
	if (!(n = ynode_get(it, "label")))
		cfg_perr(p, it, _("missing 'label' in 'departments' entry"));
	else
		cfg_get_text(p, n, "label", LIM_NAME, &dep->label);
	if ((n = ynode_get(it, "head")) != NULL && !ynode_is_null(n))
		get_staff_ref(p, n, "head", &dep->head);
	if ((n = ynode_get(it, "members")) != NULL)
		parse_members(p, n, dep);
	if (!(n = ynode_get(it, "id"))) {
		cfg_perr(p, it, _("missing 'id' in 'departments' entry"));
		return -1;
	}
	return cfg_get_id(p, n, "departments", &dep->id);
}

void cfg_parse_departments(struct parser *p, const struct ynode *seq)
{
	struct config *cfg = p->cfg;
	struct department *v = NULL;
	size_t n = 0, alloc = 0, i;

	if (!cfg_want(p, seq, YT_SEQ, "departments"))
		return;
	for (i = 0; i < seq->n; i++) {
		const struct ynode *it = seq->items[i];
		struct department dep;
		int bad;

		memset(&dep, 0, sizeof(dep));
		bad = parse_one_department(p, it, &dep) < 0;
		if (!bad && cfg_find_department(v, n, dep.id)) {
			cfg_perr(p, ynode_get(it, "id"),
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
	cfg_free_departments(cfg->departments, cfg->ndepartments);
	cfg->departments = v;
	cfg->ndepartments = n;
}

/* ---- sites ---- */

static void site_clear(void *item)
{
	struct site *st = item;

	free(st->id);
	free(st->label);
	free(st->prefix);
	free_strv(st->departments, st->ndepartments);
	memset(st, 0, sizeof(*st));
}

void cfg_free_sites(struct site *v, size_t n)
{
	cfg_free_items(v, n, sizeof(*v), site_clear);
}

static void parse_site_departments(struct parser *p, const struct ynode *seq,
	struct site *st)
{
	struct strlist l = STRLIST_INIT;
	size_t i;

	if (!cfg_want(p, seq, YT_SEQ, "sites.departments"))
		return;
	for (i = 0; i < seq->n; i++) {
		char *id = NULL;

		if (cfg_get_id(p, seq->items[i], "sites.departments", &id) < 0)
			continue;
		if (!config_department(p->cfg, id))
			cfg_perr(p, seq->items[i], _("unknown department '%s' in "
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

	if (!cfg_want(p, it, YT_MAP, "sites"))
		return -1;
	cfg_check_keys(p, it, keys, "sites");
	if ((n = ynode_get(it, "label")) != NULL)
		cfg_get_text(p, n, "label", LIM_NAME, &st->label);
	if ((n = ynode_get(it, "departments")) != NULL)
		parse_site_departments(p, n, st);
	if (!(n = ynode_get(it, "prefix")) || ynode_is_null(n) ||
	    !cfg_want(p, n, YT_SCALAR, "sites.prefix")) {
		cfg_perr(p, it, _("missing 'prefix' in 'sites' entry"));
		return -1;
	}
	if (!*n->str || !cfg_prefix_valid(n->str)) {
		cfg_perr(p, n, _("invalid site prefix '%s' (1 to 8 of A-Z and "
			"0-9)"), n->str);
		return -1;
	}
	st->prefix = xstrdup(n->str);
	if (!(n = ynode_get(it, "id"))) {
		cfg_perr(p, it, _("missing 'id' in 'sites' entry"));
		return -1;
	}
	return cfg_get_id(p, n, "sites", &st->id);
}

void cfg_parse_sites(struct parser *p, const struct ynode *seq)
{
	struct config *cfg = p->cfg;
	struct site *v = NULL;
	size_t n = 0, alloc = 0, i, j;

	if (!cfg_want(p, seq, YT_SEQ, "sites"))
		return;
	for (i = 0; i < seq->n; i++) {
		const struct ynode *it = seq->items[i];
		struct site st;
		int bad;

		memset(&st, 0, sizeof(st));
		bad = parse_one_site(p, it, &st) < 0;
		for (j = 0; !bad && j < n; j++) {
			if (!strcmp(v[j].id, st.id)) {
				cfg_perr(p, ynode_get(it, "id"),
					_("duplicate id '%s' in 'sites'"),
					st.id);
				bad = 1;
			} else if (!strcmp(v[j].prefix, st.prefix)) {
				cfg_perr(p, ynode_get(it, "prefix"),
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
	cfg_free_sites(cfg->sites, cfg->nsites);
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
