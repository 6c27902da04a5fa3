/*
 * config-rules.c - docket.yaml: categories and the rules that run a case
 * (limits, deadlines, closing, collective complaints, reminders, mail)
 * and the saved views of docket list.
 */
#include "config-int.h"

/* The flattened category list being built. */
struct catlist {
	struct category *v;
	size_t n;
	size_t alloc;
};

CFG_ID_FIRST(struct category);

static void category_clear(void *item)
{
	struct category *c = item;

	free(c->id);
	free(c->label);
	free(c->label_path);
	free(c->department);
	free_strv(c->co, c->nco);
	free_strv(c->keywords, c->nkeywords);
	memset(c, 0, sizeof(*c));
}

void cfg_free_categories(struct category *v, size_t n)
{
	cfg_free_items(v, n, sizeof(*v), category_clear);
}

const struct category *cfg_find_category(const struct category *v,
	size_t n, const char *id)
{
	return cfg_find_id(v, n, sizeof(*v), id);
}

static void parse_keywords(struct parser *p, const struct ynode *seq,
	struct category *c)
{
	struct strlist l = STRLIST_INIT;
	size_t i;

	if (!cfg_want(p, seq, YT_SEQ, "keywords"))
		return;
	for (i = 0; i < seq->n; i++) {
		char *kw = NULL;

		if (cfg_get_text(p, seq->items[i], "keywords", LIM_NAME, &kw) < 0)
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

	if (!cfg_want(p, seq, YT_SEQ, "co"))
		return;
	for (i = 0; i < seq->n; i++) {
		char *id = NULL;

		if (cfg_get_id(p, seq->items[i], "co", &id) < 0)
			continue;
		if (!config_department(p->cfg, id))
			cfg_perr(p, seq->items[i], _("unknown department '%s' in "
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
	if (!cfg_want(p, it, YT_MAP, "categories"))
		return;
	cfg_check_keys(p, it, keys, "categories");
	if (!(n = ynode_get(it, "label")))
		cfg_perr(p, it, _("missing 'label' in 'categories' entry"));
	else
		cfg_get_text(p, n, "label", LIM_NAME, &c.label);
	if ((n = ynode_get(it, "department")) != NULL &&
		!cfg_get_id(p, n, "department", &c.department) &&
		!config_department(p->cfg, c.department)) {
		cfg_perr(p, n, _("unknown department '%s' in 'categories'"),
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
		cfg_perr(p, it, _("missing 'id' in 'categories' entry"));
		goto bad;
	}
	if (cfg_get_id(p, idn, "categories", &id) < 0)
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
		cfg_perr(p, idn, _("category id '%s' is too long (%d bytes at "
			"most)"), c.id, LIM_NAME);
		goto bad;
	}
	if (cfg_find_category(cl->v, cl->n, c.id)) {
		cfg_perr(p, idn, _("duplicate category '%s'"), c.id);
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

	if (!cfg_want(p, seq, YT_SEQ, parent < 0 ? "categories" : "children"))
		return;
	for (i = 0; i < seq->n; i++)
		parse_one_category(p, cl, seq->items[i], parent);
}

void cfg_parse_categories(struct parser *p, const struct ynode *seq)
{
	struct config *cfg = p->cfg;
	struct catlist cl = { NULL, 0, 0 };

	parse_category_list(p, &cl, seq, -1);
	cfg_free_categories(cfg->categories, cfg->ncategories);
	cfg->categories = cl.v;
	cfg->ncategories = cl.n;
}

/* ---- limits, deadlines, remind, mail ---- */

void cfg_parse_limits(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = {
		"look_back", "same_respondent", NULL
	};
	const struct ynode *n;

	if (!cfg_want(p, map, YT_MAP, "limits"))
		return;
	cfg_check_keys(p, map, keys, "limits");
	if ((n = ynode_get(map, "look_back")) != NULL)
		cfg_get_duration(p, n, "limits.look_back", 1,
			&p->cfg->look_back);
	if ((n = ynode_get(map, "same_respondent")) != NULL)
		cfg_get_duration(p, n, "limits.same_respondent", 0,
			&p->cfg->same_respondent);
}

static void rule_clear(void *item)
{
	struct dl_rule *r = item;

	free(r->kind);
	free(r->priority);
	free(r->category);
	memset(r, 0, sizeof(*r));
}

void cfg_free_rules(struct dl_rule *v, size_t n)
{
	cfg_free_items(v, n, sizeof(*v), rule_clear);
}

/* `when` of a rule: each value must name something that exists. */
static void parse_when(struct parser *p, const struct ynode *map,
	struct dl_rule *r)
{
	static const char *const keys[] = {
		"kind", "priority", "category", NULL
	};
	const struct ynode *n;

	if (!cfg_want(p, map, YT_MAP, "when"))
		return;
	cfg_check_keys(p, map, keys, "when");
	if ((n = ynode_get(map, "kind")) != NULL &&
		cfg_want(p, n, YT_SCALAR, "when.kind")) {
		if (cfg_index_in(n->str, cfg_kind_names) < 0)
			cfg_perr(p, n, _("unknown kind '%s' in 'when' (expected "
				"complaint or report)"), n->str);
		else
			r->kind = xstrdup(n->str);
	}
	if ((n = ynode_get(map, "priority")) != NULL &&
		cfg_want(p, n, YT_SCALAR, "when.priority")) {
		if (!config_priority(p->cfg, n->str))
			cfg_perr(p, n, _("unknown priority '%s' in 'when'"), n->str);
		else
			r->priority = xstrdup(n->str);
	}
	if ((n = ynode_get(map, "category")) != NULL &&
		cfg_want(p, n, YT_SCALAR, "when.category")) {
		if (!config_category(p->cfg, n->str))
			cfg_perr(p, n, _("unknown category '%s' in 'when'"), n->str);
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

	if (!cfg_want(p, map, YT_MAP, what))
		return;
	cfg_check_keys(p, map, keys, what);
	if ((n = ynode_get(map, "max")) != NULL && cfg_want(p, n, YT_SCALAR,
	    what)) {
		v = strtol(n->str, &end, 10);
		if (!*n->str || *end || v < 0 || v > 100)
			cfg_perr(p, n, _("'%s.max' must be a number of extensions "
				"from 0 to 100, not '%s'"), what, n->str);
		else {
			pol->ext_max = (int)v;
			*has |= DL_EXT_MAX;
		}
	}
	if ((n = ynode_get(map, "by")) != NULL) {
		cfg_get_duration(p, n, what, 0, &pol->ext_by);
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
		cfg_get_duration(p, n, what, 0, dur);
		*has |= DL_RESOLVE;
		return;
	}
	cfg_check_keys(p, n, keys, what);
	if ((v = ynode_get(n, "within")) != NULL) {
		sb_addf(&w, "%s.within", what);
		cfg_get_duration(p, v, w.buf, 0, dur);
		*has |= DL_RESOLVE;
	}
	if ((v = ynode_get(n, "from")) != NULL && cfg_want(p, v, YT_SCALAR,
	    what)) {
		if ((i = cfg_index_in(v->str, from_names)) < 0)
			cfg_perr(p, v, _("unknown start '%s' in '%s.from' "
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
		cfg_get_duration(p, v, w.buf, 0, &pol->max);
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

	if (!cfg_want(p, it, YT_MAP, "rules"))
		return;
	cfg_check_keys(p, it, keys, "rules");
	if ((n = ynode_get(it, "when")) != NULL)
		parse_when(p, n, r);
	if ((n = ynode_get(it, "ack")) != NULL) {
		r->has |= DL_ACK;
		cfg_get_duration(p, n, "rules.ack", 0, &r->ack);
	}
	if ((n = ynode_get(it, "feedback")) != NULL) {
		r->has |= DL_FEEDBACK;
		cfg_get_duration(p, n, "rules.feedback", 0, &r->feedback);
	}
	if ((n = ynode_get(it, "resolve")) != NULL)
		parse_resolve(p, n, "rules.resolve", &r->resolve, &r->has,
			&r->policy);
	if ((n = ynode_get(it, "visit")) != NULL) {
		r->has |= DL_VISIT;
		cfg_get_duration(p, n, "rules.visit", 0, &r->visit);
	}
	if (!r->has)
		cfg_perr(p, it, _("rule sets no deadline (give ack, feedback, "
			"resolve or visit)"));
}

static void parse_rules(struct parser *p, const struct ynode *seq)
{
	struct config *cfg = p->cfg;
	struct dl_rule *v = NULL;
	size_t i;

	if (!cfg_want(p, seq, YT_SEQ, "deadlines.rules"))
		return;
	if (seq->n)
		v = xcalloc(seq->n, sizeof(*v));
	for (i = 0; i < seq->n; i++)
		parse_rule(p, seq->items[i], &v[i]);
	cfg_free_rules(cfg->rules, cfg->nrules);
	cfg->rules = v;
	cfg->nrules = seq->n;
}

void cfg_parse_deadlines(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = {
		"ack", "feedback", "resolve", "co_reply", "visit", "decide",
		"rules", NULL
	};
	struct config *cfg = p->cfg;
	const struct ynode *n;

	if (!cfg_want(p, map, YT_MAP, "deadlines"))
		return;
	cfg_check_keys(p, map, keys, "deadlines");
	if ((n = ynode_get(map, "ack")) != NULL)
		cfg_get_duration(p, n, "deadlines.ack", 0, &cfg->ack);
	if ((n = ynode_get(map, "feedback")) != NULL)
		cfg_get_duration(p, n, "deadlines.feedback", 0, &cfg->feedback);
	if ((n = ynode_get(map, "resolve")) != NULL) {
		unsigned has = 0;

		parse_resolve(p, n, "deadlines.resolve", &cfg->resolve, &has,
			&cfg->policy);
	}
	if ((n = ynode_get(map, "co_reply")) != NULL)
		cfg_get_duration(p, n, "deadlines.co_reply", 0, &cfg->co_reply);
	if ((n = ynode_get(map, "visit")) != NULL)
		cfg_get_duration(p, n, "deadlines.visit", 0, &cfg->visit);
	if ((n = ynode_get(map, "decide")) != NULL)
		cfg_get_duration(p, n, "deadlines.decide", 0, &cfg->decide);
	if ((n = ynode_get(map, "rules")) != NULL)
		parse_rules(p, n);
}

/* remind.digest_over: a whole number of cases, at least 1. */
static void parse_digest_over(struct parser *p, const struct ynode *n)
{
	char *end;
	long v;

	if (!cfg_want(p, n, YT_SCALAR, "remind.digest_over"))
		return;
	v = strtol(n->str, &end, 10);
	if (!*n->str || *end || v < 1 || v > 1000000) {
		cfg_perr(p, n, _("'remind.digest_over' must be a number of cases "
			"from 1 up, not '%s'"), n->str);
		return;
	}
	p->cfg->digest_over = v;
}

/* Every store may reject a case whose material never came (triage
 * --reject info-not-provided, once --info-due has passed). */
void cfg_add_info_not_provided(struct config *cfg)
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
void cfg_parse_close(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = { "require_notified", NULL };
	const struct ynode *n;

	if (!cfg_want(p, map, YT_MAP, "close"))
		return;
	cfg_check_keys(p, map, keys, "close");
	n = ynode_get(map, "require_notified");
	if (!n || !cfg_want(p, n, YT_SCALAR, "close.require_notified"))
		return;
	if (!strcmp(n->str, "true"))
		p->cfg->require_notified = 1;
	else if (!strcmp(n->str, "false"))
		p->cfg->require_notified = 0;
	else
		cfg_perr(p, n, _("'close.require_notified' must be true or false, "
			"not '%s'"), n->str);
}

/* collective: when a complaint counts as collective (集体投诉). */
void cfg_parse_collective(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = { "threshold", NULL };
	const struct ynode *n;
	char *end;
	long v;

	if (!cfg_want(p, map, YT_MAP, "collective"))
		return;
	cfg_check_keys(p, map, keys, "collective");
	n = ynode_get(map, "threshold");
	if (!n || !cfg_want(p, n, YT_SCALAR, "collective.threshold"))
		return;
	v = strtol(n->str, &end, 10);
	if (!*n->str || *end || v < 2 || v > 1000000)
		cfg_perr(p, n, _("'collective.threshold' must be a number of "
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
		cfg_get_duration(p, n, "remind.escalate_after", 0,
			&cfg->escalate_after);
		return;
	}
	for (i = 0; i < n->n; i++) {
		const char *key = n->pairs[i].key->str;
		const struct ynode *v = n->pairs[i].val;

		sb_reset(&what);
		sb_addf(&what, "remind.escalate_after.%s", key);
		if (!strcmp(key, "default")) {
			cfg_get_duration(p, v, what.buf, 0, &cfg->escalate_after);
			continue;
		}
		if (!config_priority(cfg, key)) {
			cfg_perr(p, n->pairs[i].key, _("unknown priority '%s' in "
				"'remind.escalate_after' (give 'default' or a "
				"priority id)"), key);
			continue;
		}
		GROW(cfg->escalate_by, cfg->nescalate_by_alloc,
			cfg->nescalate_by + 1);
		e = &cfg->escalate_by[cfg->nescalate_by++];
		e->priority = xstrdup(key);
		e->after = cfg->escalate_after;
		cfg_get_duration(p, v, what.buf, 0, &e->after);
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

void cfg_parse_remind(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = {
		"within", "repeat", "escalate_after", "digest_over", NULL
	};
	struct config *cfg = p->cfg;
	const struct ynode *n;

	if (!cfg_want(p, map, YT_MAP, "remind"))
		return;
	cfg_check_keys(p, map, keys, "remind");
	if ((n = ynode_get(map, "within")) != NULL)
		cfg_get_duration(p, n, "remind.within", 0, &cfg->remind_within);
	if ((n = ynode_get(map, "repeat")) != NULL)
		cfg_get_duration(p, n, "remind.repeat", 0, &cfg->remind_repeat);
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
		cfg_perr(p, n, _("unbalanced '\"' in view '%s'"), v->name);
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
		cfg_perr(p, kv->key, _("invalid view name '%s' (a word that "
			"does not start with '@' or '-')"), kv->key->str);
		return;
	}
	if (config_view(cfg, kv->key->str)) {
		cfg_perr(p, kv->key, _("duplicate view '%s'"), kv->key->str);
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
	if (!cfg_want(p, n, YT_SEQ, "views"))
		return;
	for (i = 0; i < n->n; i++) {
		if (!cfg_want(p, n->items[i], YT_SCALAR, "views"))
			continue;
		alloc = v->nargs;
		GROW(v->args, alloc, v->nargs + 1);
		v->args[v->nargs++] = xstrdup(n->items[i]->str);
	}
}

void cfg_parse_views(struct parser *p, const struct ynode *map)
{
	size_t i;

	if (!cfg_want(p, map, YT_MAP, "views"))
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

	if (!cfg_want(p, n, YT_SCALAR, what))
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
	cfg_perr(p, n, _("invalid time '%s' in '%s' (e.g. 60s, 5m or 1h; at "
		"least 1s, at most 24h)"), n->str, what);
}

void cfg_parse_mail(struct parser *p, const struct ynode *map)
{
	static const char *const keys[] = {
		"from", "sendmail", "timeout", NULL
	};
	struct config *cfg = p->cfg;
	const struct ynode *n;
	char *s = NULL;

	if (!cfg_want(p, map, YT_MAP, "mail"))
		return;
	cfg_check_keys(p, map, keys, "mail");
	if ((n = ynode_get(map, "from")) != NULL &&
		!cfg_get_text(p, n, "mail.from", LIM_NAME, &s)) {
		if (!cfg_email_valid(s)) {
			cfg_perr(p, n, _("invalid email address '%s' in "
				"'mail.from'"), s);
			free(s);
		} else {
			free(cfg->mail_from);
			cfg->mail_from = s;
		}
		s = NULL;
	}
	if ((n = ynode_get(map, "sendmail")) != NULL &&
		!cfg_get_text(p, n, "mail.sendmail", 4096, &s)) {
		if (!s[strspn(s, " \t")]) {
			cfg_perr(p, n, _("empty 'mail.sendmail'"));
			free(s);
		} else {
			free(cfg->sendmail);
			cfg->sendmail = s;
		}
	}
	if ((n = ynode_get(map, "timeout")) != NULL)
		get_seconds(p, n, "mail.timeout", &cfg->mail_timeout);
}
