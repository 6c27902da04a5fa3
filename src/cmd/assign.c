/*
 * assign.c - `docket assign`: route an accepted case to a person or a
 * department (交办), move it elsewhere (转办, needs a reason), or hand a
 * misrouted case back for re-routing (退单, --return).
 *
 * --to names a staff id or a department id.  For a person the case's
 * department becomes one the person belongs to; for a department the
 * assignee is cleared and the department's head sees it in reminders.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "deadline.h"
#include "labels.h"
#include "workflow.h"

struct assign_opts {
	const char *to;
	struct strlist co;		/* --co: departments, after resolve_co */
	struct strlist co_staff;	/* --co: people */
	const char *due;
	const char *reason;
	int ret_flag;
};

/* Where the case goes: a person (staff set) and/or a department. */
struct target {
	const char *staff;
	const char *department;
};

static int dept_has(const struct department *d, const char *staff)
{
	size_t i;

	if (d->head && !strcmp(d->head, staff))
		return 1;
	for (i = 0; i < d->nmembers; i++)
		if (!strcmp(d->members[i], staff))
			return 1;
	return 0;
}

/* The department a person handles the case in: the case's own if they
 * belong to it, then the category's, then the first that lists them;
 * else the case keeps its department (or takes the category's). */
static const char *staff_department(const struct config *cfg,
	const struct dcase *c, const char *staff)
{
	const struct category *cat;
	const struct department *d;
	const char *catdep = NULL;
	size_t i;

	cat = c->category ? config_category(cfg, c->category) : NULL;
	if (cat)
		catdep = cat->department;
	d = c->department ? config_department(cfg, c->department) : NULL;
	if (d && dept_has(d, staff))
		return d->id;
	d = catdep ? config_department(cfg, catdep) : NULL;
	if (d && dept_has(d, staff))
		return d->id;
	for (i = 0; i < cfg->ndepartments; i++)
		if (dept_has(&cfg->departments[i], staff))
			return cfg->departments[i].id;
	return c->department ? c->department : catdep;
}

/* Resolve --to against docket.yaml: a staff id or name, a department id
 * or label. */
static int resolve_to(struct ctx *ctx, const struct dcase *c, const char *to,
	struct target *out)
{
	const struct config *cfg = &ctx->cfg;
	const char *id = NULL;
	enum vocab v;
	int r;

	r = vocab_lookup(&id, &v, cfg, VOCAB(VOC_STAFF) |
		VOCAB(VOC_DEPARTMENT), "--to", to, &ctx->d);
	if (!r && v == VOC_STAFF) {
		out->staff = id;
		out->department = staff_department(cfg, c, id);
		return 0;
	}
	if (!r) {
		out->staff = NULL;
		out->department = id;
		return 0;
	}
	if (r != ERR_NOTFOUND)
		return EXIT_FAIL;
	/* A store without a staff list has no names to check against. */
	if (!cfg->nstaff && plain_id_valid(to)) {
		out->staff = to;
		out->department = staff_department(cfg, c, to);
		return 0;
	}
	vocab_resolve(&id, &v, cfg, VOCAB(VOC_STAFF) | VOCAB(VOC_DEPARTMENT),
		"--to", to, &ctx->d);
	return EXIT_FAIL;
}

/* --co departments or people, ids, labels or names: the departments
 * resolved to ids in place, the people moved to *staff. */
static int resolve_co(struct ctx *ctx, struct strlist *co,
	struct strlist *staff)
{
	struct strlist depts = STRLIST_INIT;
	const char *id;
	enum vocab v;
	size_t i;

	for (i = 0; i < co->n; i++) {
		if (vocab_resolve(&id, &v, &ctx->cfg, VOCAB(VOC_DEPARTMENT) |
		    VOCAB(VOC_STAFF), "--co", co->v[i], &ctx->d)) {
			strlist_release(&depts);
			return EXIT_FAIL;
		}
		if (v == VOC_STAFF) {
			if (!strlist_has(staff, id))
				strlist_push(staff, id);
		} else if (!strlist_has(&depts, id)) {
			strlist_push(&depts, id);
		}
	}
	strlist_release(co);
	*co = depts;
	return 0;
}

/* The category's co-handling departments (配合, docket.yaml) join the
 * routing to a department of its own, as the office's table says. */
static void category_co(const struct config *cfg, const struct dcase *c,
	struct strlist *co)
{
	const struct category *cat;
	size_t i;

	cat = c->category ? config_category(cfg, c->category) : NULL;
	for (i = 0; cat && i < cat->nco; i++)
		if (!strlist_has(co, cat->co[i]) &&
		    !strv_has(c->co_departments, c->nco, cat->co[i]))
			strlist_push(co, cat->co[i]);
}

static void remove_str(char **v, size_t *n, const char *s)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		if (strcmp(v[i], s))
			continue;
		free(v[i]);
		memmove(&v[i], &v[i + 1], (*n - i - 1) * sizeof(*v));
		(*n)--;
		return;
	}
}

static int same(const char *a, const char *b)
{
	return a && b ? !strcmp(a, b) : a == b;
}

/* Route the case: assignee, department, co-handling departments and the
 * event that records it. */
static void route(struct ctx *ctx, struct dcase *c, const struct target *t,
	const struct assign_opts *o, const struct ts *due, int transfer)
{
	struct event *e;
	char buf[TS_BUFSZ];
	size_t i;

	set_str(&c->assignee, t->staff);
	set_str(&c->department, t->department);
	for (i = 0; i < o->co.n; i++)
		strv_add_unique(&c->co_departments, &c->nco, o->co.v[i]);
	if (c->department)
		remove_str(c->co_departments, &c->nco, c->department);
	e = case_add_event(c, ctx->now, ctx->actor, "assign");
	if (c->department)
		event_set(e, "department", c->department);
	if (c->assignee)
		event_set(e, "to", c->assignee);
	if (o->co.n)
		event_set_list(e, "co", o->co.v, o->co.n);
	if (o->co_staff.n)
		event_set_list(e, "co_staff", o->co_staff.v, o->co_staff.n);
	if (due) {
		ts_format(buf, *due);
		event_set(e, "due", buf);
	}
	if (o->reason)
		event_set(e, "reason", o->reason);
	if (transfer)
		event_set(e, "transfer", "true");
	c->status = wf_target(c->status, transfer ? WF_TRANSFER : WF_ASSIGN);
}

static int parse_due(struct ctx *ctx, const char *s, struct ts *out)
{
	if (parse_due_when(ctx, s, out))
		return usage_error(ctx, _("--due: '%s' is not a time like "
			"2026-12-18 or \"2026-12-18 17:00\", nor a time "
			"from now like 7d, 10wd or 4h"), s);
	if (ts_cmp(*out, ctx->now) <= 0)
		return fail(ctx, _("--due: '%s' is not in the future"), s);
	return 0;
}

/* A date given with --due stays within the ceiling of the rules
 * (resolve.max); only `extend --override` goes past it. */
static int check_ceiling(struct ctx *ctx, const struct dcase *c,
	const struct ts *due)
{
	char buf[TS_BUFSZ];
	struct ts ceiling;

	if (deadline_ceiling(&ctx->cfg, c, &ceiling) ||
	    ts_cmp(*due, ceiling) <= 0)
		return 0;
	ts_format(buf, ceiling);
	return fail(ctx, _("--due: case %s may not be due later than its "
		"ceiling %s (counted from receipt); a supervisor may go past "
		"it with 'docket extend --override'"), c->id, buf);
}

/* Who holds the case now, for messages: "qian.hao (钱浩)". */
static void holder(struct sb *out, const struct config *cfg,
	const struct dcase *c)
{
	if (c->assignee)
		vocab_describe(out, cfg, VOC_STAFF, c->assignee);
	else if (c->department)
		vocab_describe(out, cfg, VOC_DEPARTMENT, c->department);
	else
		sb_adds(out, _("nobody"));
}

static int do_assign(struct ctx *ctx, const char *id, struct assign_opts *o)
{
	struct target t = { NULL, NULL };
	struct sb who = SB_INIT;
	struct ts due;
	struct dcase c;
	int ret = EXIT_FAIL, transfer;

	case_init(&c);
	if (require_role(ctx, ROLE_TRIAGE | ROLE_SUPERVISOR,
	    C_("may not", "assign cases")))
		goto out;
	if ((o->reason && check_arg_text(ctx, "--reason", o->reason,
	    LIM_TEXT, 1)) ||
	    resolve_co(ctx, &o->co, &o->co_staff))
		goto out;
	if (o->due && (ret = parse_due(ctx, o->due, &due)))
		goto out;
	ret = EXIT_FAIL;
	if (load_case_for_write(ctx, id, &c))
		goto out;
	transfer = c.status == ST_ASSIGNED;
	if (wf_check(&ctx->d, &c, transfer ? WF_TRANSFER : WF_ASSIGN))
		goto out;
	if (transfer && !o->reason) {
		holder(&who, &ctx->cfg, &c);
		fail(ctx, _("case %s is already assigned (to %s); moving it "
			"elsewhere is a transfer (转办) and needs --reason TEXT"),
			c.id, who.buf);
		goto out;
	}
	if (o->due && check_ceiling(ctx, &c, &due))
		goto out;
	if (resolve_to(ctx, &c, o->to, &t))
		goto out;
	if (transfer && same(t.staff, c.assignee) &&
	    same(t.department, c.department) && !o->co.n &&
	    !o->co_staff.n && !o->due) {
		fail(ctx, _("case %s is already assigned to %s; nothing to "
			"transfer"), c.id, o->to);
		goto out;
	}
	if (!transfer)
		category_co(&ctx->cfg, &c, &o->co);
	route(ctx, &c, &t, o, o->due ? &due : NULL, transfer);
	update_deadlines(ctx, &c);
	if (save_case(ctx, &c, "assign", NULL, 0))
		goto out;
	ret = EXIT_OK;
out:
	sb_release(&who);
	case_release(&c);
	return ret;
}

/* 退单: the triage desk, a supervisor or the receiving department itself
 * (its assignee, head or members) may hand a misrouted case back. */
static int may_return(struct ctx *ctx, const struct dcase *c)
{
	const struct department *d;
	const struct staff *st;

	if (!ctx->cfg.nstaff)
		return 0;
	st = config_staff(&ctx->cfg, ctx->actor);
	if (st && (st->roles & (ROLE_TRIAGE | ROLE_SUPERVISOR)))
		return 0;
	if (same(c->assignee, ctx->actor))
		return 0;
	d = c->department ? config_department(&ctx->cfg, c->department) :
		NULL;
	if (d && dept_has(d, ctx->actor))
		return 0;
	return fail(ctx, _("'%s' may not return case %s: that needs the triage "
		"or supervisor role, or being its assignee or a member of its "
		"department"), ctx->actor, c->id);
}

static int do_return(struct ctx *ctx, const char *id, const char *reason)
{
	struct event *e;
	struct dcase c;
	int ret = EXIT_FAIL;

	case_init(&c);
	if (check_arg_text(ctx, "--reason", reason, LIM_TEXT, 1))
		goto out;
	if (load_case_for_write(ctx, id, &c))
		goto out;
	if (may_return(ctx, &c) || wf_check(&ctx->d, &c, WF_RETURN))
		goto out;
	set_str(&c.assignee, NULL);
	set_str(&c.department, NULL);
	free_strv(c.co_departments, c.nco);
	c.co_departments = NULL;
	c.nco = 0;
	e = case_add_event(&c, ctx->now, ctx->actor, "return");
	event_set(e, "reason", reason);
	c.status = wf_target(c.status, WF_RETURN);
	update_deadlines(ctx, &c);
	if (save_case(ctx, &c, "return", NULL, 0))
		goto out;
	ret = EXIT_OK;
out:
	case_release(&c);
	return ret;
}

static int check_usage(struct ctx *ctx, const struct assign_opts *o,
	const struct strlist *args)
{
	if (!args->n)
		return usage_error(ctx, _("which case? give its id"));
	if (args->n > 1)
		return usage_error(ctx, _("unexpected argument '%s'; assign "
			"takes one case id"), args->v[1]);
	if (o->ret_flag) {
		if (o->to || o->co.n || o->due)
			return usage_error(ctx, _("--return hands the case back; "
				"it takes no --to, --co or --due"));
		if (!o->reason)
			return usage_error(ctx, _("--return needs --reason TEXT: "
				"why the case is handed back"));
		return 0;
	}
	if (!o->to)
		return usage_error(ctx, _("--to STAFF|DEPT is required: who "
			"handles the case"));
	return 0;
}

int cmd_assign(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct assign_opts o;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ "to", OPT_STR, &o.to, N_("STAFF|DEPT"),
		  N_("who handles it: a staff id or name, a department id "
		     "or label"), OPT_REQ },
		{ "co", OPT_LIST, &o.co, N_("DEPT|STAFF"),
		  N_("a co-handler (协办): a department id or label, or a "
		     "staff id or name (repeatable)"), OPT_SUB },
		{ "due", OPT_STR, &o.due, N_("WHEN"),
		  N_("set the resolve deadline (限期办理): a date, e.g. "
		     "2026-12-18, or a time from now, e.g. 7d or 10wd"), OPT_SUB },
		{ "return", OPT_FLAG, &o.ret_flag, NULL,
		  N_("hand a misrouted case back for re-routing (退单)"), OPT_ALT },
		{ "reason", OPT_STR, &o.reason, N_("TEXT"),
		  N_("why: required for a transfer (转办) and --return") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	memset(&o, 0, sizeof(o));
	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if ((ret = check_usage(ctx, &o, &args)))
		goto out;
	if (o.ret_flag)
		ret = do_return(ctx, args.v[0], o.reason);
	else
		ret = do_assign(ctx, args.v[0], &o);
out:
	strlist_release(&o.co);
	strlist_release(&o.co_staff);
	strlist_release(&args);
	return ret;
}
