/*
 * config.c - docket.yaml: the defaults, the whole file and its top-level
 * scalars.  The sections are read by config-org.c (staff, departments,
 * sites), config-rules.c (categories, deadlines, reminders, views) and
 * config-calendar.c, with the checks of config-check.c; look-ups are in
 * config-lookup.c.
 *
 * config_parse() starts from the built-in defaults (config_init) and
 * replaces what the file gives.  Every section of DESIGN section 5 is
 * checked; each problem becomes one "FILE:LINE:COLUMN: message" in the
 * diag and parsing goes on, so that an office fixing its file sees every
 * mistake at once.  Sections are read in dependency order (priorities and
 * staff before departments, departments before categories, all of them
 * before the deadline rules), not in the order the file lists them.
 */
#include "config-int.h"

static const char *const top_keys[] = {
	"docket", "organization", "language", "timezone", "id", "channels",
	"priorities",
	"default_priority", "departments", "categories", "staff",
	"reject_reasons", "limits", "deadlines", "close", "calendar", "remind",
	"mail", "sites", "views", "numbering", "collective", NULL
};

/* Index i is the bit 1 << i of enum role. */
const char *const cfg_role_names[] = {
	"intake", "triage", "supervisor", "handler", NULL
};

/* Index = weekday number (0 = Sunday), as struct calendar counts. */
const char *const cfg_day_names[] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat", NULL
};

const char *const cfg_kind_names[] = { "complaint", "report", NULL };

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

/* ---- top-level scalars ---- */

static void parse_version(struct parser *p, const struct ynode *root)
{
	const struct ynode *n = ynode_get(root, "docket");

	if (!n) {
		cfg_perr(p, root, _("missing 'docket: 1' (the format version)"));
		return;
	}
	if (n->type != YT_SCALAR || strcmp(n->str, "1")) {
		cfg_perr(p, n, _("unsupported format version '%s' in 'docket' "
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

	if (cfg_get_text(p, n, "language", LIM_ID, &lang) < 0)
		return;
	if (!intl_tag_valid(lang)) {
		cfg_perr(p, n, _("unknown language '%s' (use a tag such as zh or "
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

	if (cfg_get_text(p, n, "timezone", LIM_NAME, &tz) < 0)
		return;
	if (cal_set_tz(&p->cfg->cal, tz) < 0)
		cfg_perr(p, n, _("unknown time zone '%s' (use an IANA name such as "
			"Asia/Shanghai)"), tz);
	free(tz);
}

int cfg_prefix_valid(const char *s)
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

	if (!cfg_want(p, map, YT_MAP, "id"))
		return;
	cfg_check_keys(p, map, keys, "id");
	n = ynode_get(map, "prefix");
	if (!n || !cfg_want(p, n, YT_SCALAR, "id.prefix"))
		return;
	s = ynode_is_null(n) ? "" : n->str;
	if (!cfg_prefix_valid(s)) {
		cfg_perr(p, n, _("invalid id prefix '%s' (\"\" or 1 to 8 of A-Z "
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
			cfg_perr(p, ynode_get(root, "priorities"),
				_("default priority '%s' is not among the "
				"priorities (set 'default_priority')"),
				cfg->default_priority);
		return;
	}
	if (cfg_get_id(p, n, "default_priority", &id) < 0)
		return;
	if (!config_priority(cfg, id)) {
		cfg_perr(p, n, _("unknown priority '%s' in 'default_priority'"), id);
		free(id);
		return;
	}
	free(cfg->default_priority);
	cfg->default_priority = id;
}

/* ---- the whole file ---- */

/* Each section in dependency order; absent ones keep their default. */
static void parse_root(struct parser *p, const struct ynode *root)
{
	struct config *cfg = p->cfg;
	const struct ynode *n;

	cfg_check_keys(p, root, top_keys, NULL);
	parse_version(p, root);
	if ((n = ynode_get(root, "organization")) != NULL)
		cfg_get_text(p, n, "organization", LIM_NAME, &cfg->organization);
	if ((n = ynode_get(root, "language")) != NULL)
		parse_language(p, n);
	if ((n = ynode_get(root, "timezone")) != NULL)
		parse_timezone(p, n);
	if ((n = ynode_get(root, "id")) != NULL)
		parse_id_section(p, n);
	if ((n = ynode_get(root, "channels")) != NULL)
		cfg_parse_labelled(p, n, "channels", 1, &cfg->channels,
			&cfg->nchannels);
	if ((n = ynode_get(root, "priorities")) != NULL)
		cfg_parse_labelled(p, n, "priorities", 1, &cfg->priorities,
			&cfg->npriorities);
	parse_default_priority(p, root);
	if ((n = ynode_get(root, "staff")) != NULL)
		cfg_parse_staff(p, n);
	if ((n = ynode_get(root, "departments")) != NULL)
		cfg_parse_departments(p, n);
	if ((n = ynode_get(root, "categories")) != NULL)
		cfg_parse_categories(p, n);
	if ((n = ynode_get(root, "sites")) != NULL)
		cfg_parse_sites(p, n);
	if ((n = ynode_get(root, "reject_reasons")) != NULL) {
		cfg_parse_labelled(p, n, "reject_reasons", 0,
			&cfg->reject_reasons, &cfg->nreject_reasons);
		cfg_add_info_not_provided(cfg);
	}
	if ((n = ynode_get(root, "limits")) != NULL)
		cfg_parse_limits(p, n);
	if ((n = ynode_get(root, "deadlines")) != NULL)
		cfg_parse_deadlines(p, n);
	if ((n = ynode_get(root, "close")) != NULL)
		cfg_parse_close(p, n);
	if ((n = ynode_get(root, "collective")) != NULL)
		cfg_parse_collective(p, n);
	if ((n = ynode_get(root, "calendar")) != NULL)
		cfg_parse_calendar(p, n);
	if ((n = ynode_get(root, "remind")) != NULL)
		cfg_parse_remind(p, n);
	if ((n = ynode_get(root, "mail")) != NULL)
		cfg_parse_mail(p, n);
	if ((n = ynode_get(root, "views")) != NULL)
		cfg_parse_views(p, n);
	if ((n = ynode_get(root, "numbering")) != NULL)
		cfg_parse_numbering(p, n);
}

void config_init(struct config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->version = 1;
	cfg->organization = xstrdup("");
	cfg->id_prefix = xstrdup("");
	cfg_copy_labelled(&cfg->channels, &cfg->nchannels, default_channels,
		ARRAY_SIZE(default_channels));
	cfg_copy_labelled(&cfg->priorities, &cfg->npriorities,
		default_priorities, ARRAY_SIZE(default_priorities));
	cfg->default_priority = xstrdup("normal");
	cfg_copy_labelled(&cfg->reject_reasons, &cfg->nreject_reasons,
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
	cfg_free_labelled(cfg->channels, cfg->nchannels);
	cfg_free_labelled(cfg->priorities, cfg->npriorities);
	free(cfg->default_priority);
	cfg_free_departments(cfg->departments, cfg->ndepartments);
	cfg_free_sites(cfg->sites, cfg->nsites);
	cfg_free_categories(cfg->categories, cfg->ncategories);
	cfg_free_staff(cfg->staff, cfg->nstaff);
	cfg_free_labelled(cfg->reject_reasons, cfg->nreject_reasons);
	cfg_free_labelled(cfg->numbering, cfg->nnumbering);
	cfg_free_rules(cfg->rules, cfg->nrules);
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
		cfg_perr(&p, root, _("the top level must be a mapping, not %s"),
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
