/*
 * edit.c - `docket edit ID --set FIELD=VALUE... --reason TEXT`: the
 * audited correction of a case's registered facts (更正), e.g. the
 * employer's name a complainant supplies with 补充材料.
 *
 * One event records every field set, its new and its old value, who and
 * why; one commit.  The commit message names the fields and, for facts
 * that are not personal data, the old and new value; a complainant's
 * name, phone, email or address never goes into a commit message (it
 * stays in the case file, which holds them anyway).
 *
 * Changing the category or priority recomputes the deadlines not yet
 * met, as triage does; changing the contact details decides the kind
 * again (no usable contact: a report, 举报).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "codec.h"
#include "deadline.h"
#include "labels.h"

enum efield {
	EF_NAME, EF_PHONE, EF_EMAIL, EF_ADDRESS, EF_RESPONDENT, EF_SUBJECT,
	EF_DESCRIPTION, EF_REQUEST, EF_LOCATION, EF_OCCURRED, EF_COUNT,
	EF_CATEGORY, EF_PRIORITY, EF__COUNT
};

static const struct {
	const char *name;	/* as --set names it and the event records it */
	const char *alias;	/* another name for it, or NULL */
	size_t limit;
	unsigned personal:1;	/* complainant data: never in a commit */
	unsigned required:1;	/* may not be cleared */
	unsigned multiline:1;
} efields[EF__COUNT] = {
	{ "complainant.name", "name", LIM_NAME, 1, 0, 0 },
	{ "complainant.phone", "phone", 64, 1, 0, 0 },
	{ "complainant.email", "email", LIM_NAME, 1, 0, 0 },
	{ "complainant.address", "address", LIM_SUBJECT, 1, 0, 0 },
	{ "respondent", NULL, LIM_NAME, 0, 0, 0 },
	{ "subject", NULL, LIM_SUBJECT, 0, 1, 0 },
	{ "description", NULL, LIM_TEXT, 0, 0, 1 },
	{ "request", NULL, LIM_TEXT, 0, 0, 1 },
	{ "location", NULL, LIM_SUBJECT, 0, 0, 0 },
	{ "occurred", NULL, 16, 0, 0, 0 },
	{ "complainant.count", "count", 16, 0, 1, 0 },
	{ "category", NULL, LIM_NAME, 0, 0, 0 },
	{ "priority", NULL, LIM_NAME, 0, 1, 0 },
};

/* One --set: the field and its new value ("" clears it). */
struct change {
	enum efield f;
	const char *val;
	char *old;		/* the value before, "" for none (owned) */
};

static int field_parse(const char *name, size_t len, enum efield *out)
{
	int f;

	for (f = 0; f < EF__COUNT; f++) {
		if ((strlen(efields[f].name) == len &&
		     !strncmp(efields[f].name, name, len)) ||
		    (efields[f].alias && strlen(efields[f].alias) == len &&
		     !strncmp(efields[f].alias, name, len))) {
			*out = (enum efield)f;
			return 0;
		}
	}
	return ERR_NOTFOUND;
}

/* The string slot of a text field, NULL for the others. */
static char **text_slot(struct dcase *c, enum efield f)
{
	switch (f) {
	case EF_NAME: return &c->who.name;
	case EF_PHONE: return &c->who.phone;
	case EF_EMAIL: return &c->who.email;
	case EF_ADDRESS: return &c->who.address;
	case EF_RESPONDENT: return &c->respondent;
	case EF_SUBJECT: return &c->subject;
	case EF_DESCRIPTION: return &c->description;
	case EF_REQUEST: return &c->request;
	case EF_LOCATION: return &c->location;
	case EF_CATEGORY: return &c->category;
	case EF_PRIORITY: return &c->priority;
	default: return NULL;
	}
}

/* The field's current value as text ("" for none); malloc'd. */
static char *current(struct dcase *c, enum efield f)
{
	char buf[DATE_BUFSZ + 16];
	char **slot = text_slot(c, f);

	if (slot)
		return xstrdup(*slot ? *slot : "");
	if (f == EF_OCCURRED) {
		if (!c->has_occurred)
			return xstrdup("");
		date_format(buf, c->occurred_on);
		return xstrdup(buf);
	}
	snprintf(buf, sizeof(buf), "%ld", c->who.count > 0 ? c->who.count : 1);
	return xstrdup(buf);
}

/* Check a new value as intake checks it; ids of category and priority
 * resolved (labels taken) into *val. */
static int check_value(struct ctx *ctx, struct change *ch)
{
	const char *what = efields[ch->f].name;
	struct date d;
	char *end;
	long n;

	if (!*ch->val) {
		if (efields[ch->f].required)
			return fail(ctx, _("--set %s: may not be empty"), what);
		return EXIT_OK;
	}
	if (check_arg_text(ctx, what, ch->val, efields[ch->f].limit,
	    efields[ch->f].multiline))
		return EXIT_FAIL;
	switch (ch->f) {
	case EF_PHONE:
		if (!phone_usable(ch->val))
			return fail(ctx, _("--set %s: '%s' is not a phone "
				"number to call back (7 to 20 digits)"), what,
				ch->val);
		break;
	case EF_EMAIL:
		if (!strchr(ch->val, '@') || strchr(ch->val, ' '))
			return fail(ctx, _("--set %s: '%s' is not an email "
				"address"), what, ch->val);
		break;
	case EF_OCCURRED:
		if (date_parse(&d, ch->val))
			return fail(ctx, _("--set %s: '%s' is not a date like "
				"2026-11-20"), what, ch->val);
		if (date_cmp(d, cal_local_date(&ctx->cfg.cal, ctx->now)) > 0)
			return fail(ctx, _("--set %s: '%s' is in the future"),
				what, ch->val);
		break;
	case EF_COUNT:
		errno = 0;
		n = strtol(ch->val, &end, 10);
		if (errno || *end || n < 1 || n > 100000)
			return fail(ctx, _("--set %s: '%s' is not a number of "
				"people from 1 to 100000"), what, ch->val);
		break;
	case EF_CATEGORY:
		return resolve_option(ctx, &ch->val, VOCAB(VOC_CATEGORY),
			"--set category");
	case EF_PRIORITY:
		return resolve_option(ctx, &ch->val, VOCAB(VOC_PRIORITY),
			"--set priority");
	default:
		break;
	}
	return EXIT_OK;
}

/* Parse every --set FIELD=VALUE; each field at most once. */
static int parse_sets(struct ctx *ctx, const struct strlist *sets,
	struct change *out, size_t *n)
{
	const char *eq;
	size_t i, j;
	enum efield f;

	*n = 0;
	for (i = 0; i < sets->n; i++) {
		eq = strchr(sets->v[i], '=');
		if (!eq || field_parse(sets->v[i], (size_t)(eq - sets->v[i]),
		    &f))
			return usage_error(ctx, _("--set '%s': give FIELD=VALUE, "
				"FIELD one of complainant.name, "
				"complainant.phone, complainant.email, "
				"complainant.address, complainant.count, "
				"respondent, subject, description, request, "
				"location, occurred, category, priority"),
				sets->v[i]);
		for (j = 0; j < *n; j++)
			if (out[j].f == f)
				return usage_error(ctx, _("--set %s: given "
					"twice"), efields[f].name);
		out[*n].f = f;
		out[*n].val = eq + 1;
		out[*n].old = NULL;
		(*n)++;
	}
	return 0;
}

/* Who may correct a case: triage and supervisors, its handlers, intake
 * while it awaits triage; a closed or rejected case only a supervisor. */
static int may_edit(struct ctx *ctx, const struct dcase *c)
{
	const struct staff *st;
	unsigned roles = ROLE_TRIAGE | ROLE_SUPERVISOR;

	if (!ctx->cfg.nstaff)
		return EXIT_OK;
	st = config_staff(&ctx->cfg, ctx->actor);
	if (!case_status_open(c->status)) {
		if (st && (st->roles & ROLE_SUPERVISOR))
			return EXIT_OK;
		return fail(ctx, _("case %s is %s: only a supervisor may "
			"correct it now"), c->id, vocab_label(&ctx->cfg,
			VOC_STATUS, case_status_name(c->status)));
	}
	if (c->status == ST_RECEIVED || c->status == ST_PENDING_INFO)
		roles |= ROLE_INTAKE;
	if (st && (st->roles & roles))
		return EXIT_OK;
	if (!require_handler(ctx, c, C_("may not", "correct")))
		return EXIT_OK;
	return EXIT_FAIL;
}

static void apply(struct dcase *c, const struct change *ch)
{
	char **slot = text_slot(c, ch->f);

	if (slot) {
		set_str(slot, *ch->val ? ch->val : NULL);
	} else if (ch->f == EF_OCCURRED) {
		c->has_occurred = *ch->val != '\0';
		if (c->has_occurred)
			date_parse(&c->occurred_on, ch->val);
	} else if (ch->f == EF_COUNT) {
		c->who.count = strtol(ch->val, NULL, 10);
	}
}

/* The commit message: what changed; the old and new value only of what
 * is not the complainant's personal data. */
static void commit_body(struct sb *out, const struct dcase *c,
	const struct change *ch, size_t n)
{
	size_t i;

	sb_addf(out, "edit %s: %s\n\n", c->id, c->subject);
	for (i = 0; i < n; i++) {
		const char *name = efields[ch[i].f].name;

		if (efields[ch[i].f].personal || efields[ch[i].f].multiline)
			sb_addf(out, "Changed %s\n", name);
		else
			sb_addf(out, "Changed %s: \"%s\" -> \"%s\"\n", name,
				ch[i].old, ch[i].val);
	}
}

static int save_edit(struct ctx *ctx, const struct dcase *c,
	const struct change *ch, size_t n)
{
	char path[CASE_PATH_BUFSZ], oid[41];
	struct sb text = SB_INIT, msg = SB_INIT;
	struct signer sig;
	struct txn *t;
	int ret = EXIT_FAIL;

	if (case_path(path, c->id))
		return fail(ctx, _("'%s' is not a case id"), c->id);
	t = txn_new(ctx->store);
	case_emit(&text, c);
	txn_put(t, path, text.buf, text.len);
	txn_case(t, c->id);
	commit_body(&msg, c, ch, n);
	sb_rtrim(&msg);
	actor_signer(ctx, &sig);
	if (!txn_commit(t, &sig, "edit", ctx->actor, msg.buf, oid, &ctx->d))
		ret = EXIT_OK;
	txn_free(t);
	sb_release(&msg);
	sb_release(&text);
	return ret;
}

static int do_edit(struct ctx *ctx, const char *id, struct change *ch,
	size_t n, const char *reason)
{
	enum case_kind kind;
	struct sb key = SB_INIT;
	struct event *e;
	struct dcase c;
	size_t i;
	int ret = EXIT_FAIL;

	case_init(&c);
	for (i = 0; i < n; i++)
		if (check_value(ctx, &ch[i]))
			goto out;
	if (load_case_for_write(ctx, id, &c) || may_edit(ctx, &c))
		goto out;
	for (i = 0; i < n; i++) {
		ch[i].old = current(&c, ch[i].f);
		if (!strcmp(ch[i].old, ch[i].val)) {
			fail(ctx, _("case %s: %s is already '%s'; nothing to "
				"correct"), c.id, efields[ch[i].f].name,
				ch[i].val);
			goto out;
		}
	}
	e = case_add_event(&c, ctx->now, ctx->actor, "edit");
	for (i = 0; i < n; i++) {
		apply(&c, &ch[i]);
		sb_reset(&key);
		sb_addf(&key, "%s.old", efields[ch[i].f].name);
		event_set(e, efields[ch[i].f].name, ch[i].val);
		event_set(e, key.buf, ch[i].old);
	}
	if (c.who.anonymous || (!c.who.phone && !c.who.email &&
	    !c.who.address))
		kind = KIND_REPORT;
	else
		kind = KIND_COMPLAINT;
	if (kind != c.kind) {
		event_set(e, "kind", case_kind_name(kind));
		c.kind = kind;
	}
	event_set(e, "reason", reason);
	update_deadlines(ctx, &c);
	ret = save_edit(ctx, &c, ch, n);
out:
	sb_release(&key);
	case_release(&c);
	return ret;
}

int cmd_edit(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT, sets = STRLIST_INIT;
	struct change ch[EF__COUNT];
	const char *reason = NULL;
	size_t n = 0, i;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ "set", OPT_LIST, &sets, N_("FIELD=VALUE"),
		  N_("the corrected value of a field (repeatable); an empty "
		     "VALUE clears it"), OPT_REQ },
		{ "reason", OPT_STR, &reason, N_("TEXT"),
		  N_("why it is corrected (required)"), OPT_REQ },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	memset(ch, 0, sizeof(ch));
	if ((pr = parse_id_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (!sets.n) {
		ret = usage_error(ctx, _("--set FIELD=VALUE is required: what "
			"to correct"));
		goto out;
	}
	if (sets.n > EF__COUNT) {
		ret = usage_error(ctx, _("too many --set options"));
		goto out;
	}
	if (!reason) {
		ret = usage_error(ctx, _("--reason TEXT is required: why the "
			"case is corrected"));
		goto out;
	}
	if ((ret = parse_sets(ctx, &sets, ch, &n)))
		goto out;
	ret = EXIT_FAIL;
	if (check_arg_text(ctx, "--reason", reason, LIM_TEXT, 1))
		goto out;
	ret = do_edit(ctx, args.v[0], ch, n, reason);
out:
	for (i = 0; i < n; i++)
		free(ch[i].old);
	strlist_release(&sets);
	strlist_release(&args);
	return ret;
}
