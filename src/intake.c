/*
 * intake.c - every check of a new case, and the case built from it
 * (include/intake.h).
 *
 * `docket file` and tests/fuzz/fuzz_from.c both come here: what the
 * fuzzer finds is what a web form posting to `file --from` would find.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attach.h"
#include "intake.h"
#include "intl.h"
#include "labels.h"

/* Each field's option name (and --from key), its limit in bytes, and
 * whether it may hold line breaks. */
static const struct {
	const char *name;
	size_t limit;
	int multiline;
} fields[I__COUNT] = {
	{ "channel", LIM_NAME, 0 },
	{ "received-at", 64, 0 },
	{ "name", LIM_NAME, 0 },
	{ "phone", 64, 0 },
	{ "email", LIM_NAME, 0 },
	{ "address", LIM_SUBJECT, 0 },
	{ "anonymous", 8, 0 },
	{ "count", 16, 0 },
	{ "respondent", LIM_NAME, 0 },
	{ "subject", LIM_SUBJECT, 0 },
	{ "description", LIM_TEXT, 1 },
	{ "request", LIM_TEXT, 1 },
	{ "location", LIM_SUBJECT, 0 },
	{ "occurred", 16, 0 },
	{ "attach", 4096, 0 },
	{ "category", LIM_NAME, 0 },
	{ "priority", LIM_NAME, 0 },
	{ "ref", LIM_NAME, 0 },
	{ "collective", 8, 0 },
};

/* The next message of env->d is about field (for --errors json). */
static void note_field(const struct intake_env *env, struct intake *in,
	const char *field)
{
	struct intake_errs *e = in->errs;

	if (!e)
		return;
	GROW(e->v, e->alloc, e->n + 1);
	e->v[e->n].at = env->d->n;
	e->v[e->n].field = field;
	e->v[e->n++].doc = in->docno;
}

/* A field error: FILE:LINE:COL for --from values, the option otherwise. */
static void field_bad(const struct intake_env *env, struct intake *in,
	enum fld f, const char *fmt, const char *detail)
{
	struct sb msg = SB_INIT;
	/* a field the document lacks: where the document starts */
	const struct ynode *n = in->node[f] ? in->node[f] :
		!in->val[f] ? in->doc : NULL;

	sb_addf(&msg, fmt, detail ? detail : "");
	note_field(env, in, fields[f].name);
	in->fbad[f] = 1;
	if (n)
		diag_at(env->d, ERR_INVALID, in->from_file, n->line, n->col,
			_("'%s': %s"), fields[f].name, msg.buf);
	else
		diag_add(env->d, ERR_INVALID, _("--%s: %s"), fields[f].name,
			msg.buf);
	sb_release(&msg);
	in->bad = 1;
}

static void att_push(struct intake *in, const char *name,
	const struct ynode *node)
{
	in->att = xrealloc(in->att, (in->natt + 1) * sizeof(*in->att));
	in->att[in->natt].name = name;
	in->att[in->natt].node = node;
	in->natt++;
}

static int from_scalar(const struct intake_env *env, struct intake *in,
	enum fld f, const struct ynode *v)
{
	in->node[f] = v;
	if (v->type != YT_SCALAR) {
		field_bad(env, in, f, _("must be text, not %s"), ynode_kind(v));
		return -1;
	}
	if (!ynode_is_null(v))
		in->val[f] = v->str;
	return 0;
}

/* The case file's spellings of intake fields, so that a case shown or
 * exported as YAML or JSON can be filed again as it is. */
static const struct {
	const char *key;
	enum fld f;
} case_keys[] = {
	{ "received_at", I_RECEIVED_AT },
	{ "occurred_on", I_OCCURRED },
};

/* Keys of a case file that a new filing works out afresh: ignored in a
 * document that is a whole case (a valid id and events), refused in any
 * other, so that a web form cannot slip a status in unnoticed. */
static const char *const derived_keys[] = {
	"id", "kind", "status", "received_by", "due", "related", "department",
	"co_departments", "assignee", "closure", "events", NULL
};

/* complainant: {name, phone, email, address, anonymous, count} */
static const enum fld who_fields[] = {
	I_NAME, I_PHONE, I_EMAIL, I_ADDRESS, I_ANONYMOUS, I_COUNT
};

static int field_of(const char *key)
{
	size_t i;

	for (i = 0; i < I__COUNT; i++)
		if (!strcmp(key, fields[i].name))
			return (int)i;
	for (i = 0; i < ARRAY_SIZE(case_keys); i++)
		if (!strcmp(key, case_keys[i].key))
			return (int)case_keys[i].f;
	return -1;
}

static void doc_bad(const struct intake_env *env, struct intake *in,
	const struct ynode *n, const char *field, const char *fmt,
	const char *arg)
{
	note_field(env, in, field);
	diag_at(env->d, ERR_INVALID, in->from_file, n->line, n->col, fmt,
		arg);
	in->bad = 1;
}

/* One field's value from the document, under key k. */
static void take(const struct intake_env *env, struct intake *in,
	enum fld f, const struct ynode *k, const struct ynode *v)
{
	size_t j;

	if (in->node[f]) {
		doc_bad(env, in, k, fields[f].name, _("'%s' is given twice "
			"(once as the case file spells it)"), fields[f].name);
		return;
	}
	if (f == I_ATTACH && v->type == YT_SEQ) {
		in->node[f] = v;
		for (j = 0; j < v->n; j++) {
			if (v->items[j]->type != YT_SCALAR) {
				field_bad(env, in, I_ATTACH, _("must list "
					"file names%s"), NULL);
				break;
			}
			att_push(in, v->items[j]->str, v->items[j]);
		}
		return;
	}
	if (from_scalar(env, in, f, v))
		return;
	if (f == I_ANONYMOUS || f == I_COLLECTIVE) {
		if (v->style == YT_PLAIN && !strcmp(v->str, "true"))
			in->flags |= f == I_ANONYMOUS ? IN_ANONYMOUS :
				IN_COLLECTIVE;
		else if (v->style != YT_PLAIN || strcmp(v->str, "false"))
			field_bad(env, in, f, _("must be true or false%s"),
				NULL);
		in->val[f] = NULL;
	} else if (f == I_ATTACH && in->val[f]) {
		att_push(in, in->val[f], v);
	}
}

/* complainant: the case file's nested form of the person's fields. */
static void take_complainant(const struct intake_env *env, struct intake *in,
	const struct ynode *v)
{
	size_t i, j;

	if (v->type != YT_MAP) {
		doc_bad(env, in, v, "complainant", _("'complainant' must be a "
			"mapping of name, phone, email, address, anonymous and "
			"count, not %s"), ynode_kind(v));
		return;
	}
	for (i = 0; i < v->n; i++) {
		const struct ynode *k = v->pairs[i].key;

		for (j = 0; j < ARRAY_SIZE(who_fields); j++)
			if (!strcmp(k->str, fields[who_fields[j]].name))
				break;
		if (j == ARRAY_SIZE(who_fields))
			doc_bad(env, in, k, "complainant", _("unknown field "
				"'complainant.%s'"), k->str);
		else
			take(env, in, who_fields[j], k, v->pairs[i].val);
	}
}

/* A case as show or export gives it: a valid case id and its events. */
static int is_whole_case(const struct ynode *root)
{
	const struct ynode *id = ynode_get(root, "id");

	return id && id->type == YT_SCALAR && case_id_valid(id->str) &&
		ynode_get(root, "events");
}

/* Fill the intake from a --from mapping: the option names without the
 * dashes, or the case file's keys; every problem is reported. */
void intake_read(const struct intake_env *env, struct intake *in,
	const struct ynode *root)
{
	size_t i;
	int f, whole;

	in->doc = root;
	if (root->type != YT_MAP) {
		doc_bad(env, in, root, "", _("expected a mapping of field "
			"names to values, found %s"), ynode_kind(root));
		return;
	}
	whole = is_whole_case(root);
	for (i = 0; i < root->n; i++) {
		const struct ynode *k = root->pairs[i].key;
		const struct ynode *v = root->pairs[i].val;

		if (!strcmp(k->str, "complainant")) {
			take_complainant(env, in, v);
			continue;
		}
		if (whole && str_in(k->str, derived_keys))
			continue;
		if (!strcmp(k->str, "attachments")) {
			doc_bad(env, in, k, "attachments", _("'%s' of a case "
				"file cannot be filed again: give the files as "
				"'attach'"), k->str);
			continue;
		}
		if ((f = field_of(k->str)) < 0) {
			doc_bad(env, in, k, k->str, _("unknown field '%s'"),
				k->str);
			continue;
		}
		take(env, in, (enum fld)f, k, v);
	}
}

/* Check text for encoding, control characters and size. */
static int check_text(const struct intake_env *env, struct intake *in,
	enum fld f)
{
	const char *s = in->val[f];
	size_t len;
	char lim[32];

	if (!s)
		return 0;
	len = strlen(s);
	if (!utf8_valid(s, len))
		field_bad(env, in, f, _("is not valid UTF-8 text%s"), NULL);
	else if (has_control(s, len, fields[f].multiline))
		field_bad(env, in, f, fields[f].multiline ?
			_("contains a control character%s") :
			_("contains a line break or control character%s"), NULL);
	else if (len > fields[f].limit) {
		snprintf(lim, sizeof(lim), "%zu", fields[f].limit);
		field_bad(env, in, f, _("is too long (the limit is %s bytes)"),
			lim);
	} else
		return 0;
	return -1;
}

/* A value given and not found bad so far. */
static int usable(const struct intake *in, enum fld f)
{
	return in->val[f] && !in->fbad[f];
}

static void set_text(struct intake *in, enum fld f, char **slot)
{
	if (in->val[f] && *in->val[f])
		set_str(slot, in->val[f]);
}

/*
 * msg without the value it quotes ('VALUE' or “VALUE”): what was typed
 * into a field may be a phone number or a name put in the wrong place.
 */
static void without_value(struct sb *out, const char *msg, const char *value)
{
	static const char *const quotes[][2] = {
		{ "'", "'" }, { "\u201c", "\u201d" },
	};
	const char *p = msg, *hit, *best;
	size_t i, k = 0, qlen = 0;
	struct sb q = SB_INIT;

	for (;;) {
		best = NULL;
		for (i = 0; i < ARRAY_SIZE(quotes); i++) {
			sb_reset(&q);
			sb_addf(&q, "%s%s%s", quotes[i][0], value, quotes[i][1]);
			hit = strstr(p, q.buf);
			if (hit && (!best || hit < best)) {
				best = hit;
				k = i;
				qlen = q.len;
			}
		}
		if (!best)
			break;
		sb_add(out, p, (size_t)(best - p));
		sb_addf(out, "%s\u2026%s", quotes[k][0], quotes[k][1]);
		p = best + qlen;
	}
	sb_adds(out, p);
	sb_release(&q);
}

/* Digits in s: seven or more may be a phone or an ID number. */
static size_t digits_in(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s >= '0' && *s <= '9';
	return n;
}

/*
 * A channel, category or priority given as an id or a label: the id
 * replaces it; an unknown or ambiguous one is reported where it was
 * given (the option, or FILE:LINE:COL of --from), quoting the value
 * unless it may be a phone or an ID number typed into the wrong field.
 */
static void resolve_field(const struct intake_env *env, struct intake *in,
	enum fld f, enum vocab v)
{
	struct diag d = DIAG_INIT;
	struct sb what = SB_INIT, msg = SB_INIT;
	const char *id;
	const struct ynode *n = in->node[f];

	if (!usable(in, f))
		return;
	if (n)
		sb_addf(&what, "'%s'", fields[f].name);
	else
		sb_addf(&what, "--%s", fields[f].name);
	if (!vocab_resolve(&id, NULL, env->cfg, VOCAB(v), what.buf,
	    in->val[f], &d)) {
		in->val[f] = id;
	} else {
		note_field(env, in, fields[f].name);
		in->fbad[f] = 1;
		if (digits_in(in->val[f]) >= 7)
			without_value(&msg, d.msg[0], in->val[f]);
		else
			sb_adds(&msg, d.msg[0]);
		if (n)
			diag_at(env->d, ERR_INVALID, in->from_file, n->line,
				n->col, _("%s"), msg.buf);
		else
			diag_add(env->d, ERR_INVALID, _("%s"), msg.buf);
		in->bad = 1;
	}
	diag_release(&d);
	sb_release(&msg);
	sb_release(&what);
}

/* Turn the intake into a new case (without id, deadlines or events). */
void intake_build(const struct intake_env *env, struct intake *in,
	struct dcase *c)
{
	const struct config *cfg = env->cfg;
	struct date d;
	char *end;
	int f;

	/* every problem is reported: a field found bad is not checked
	 * further, the others are */
	for (f = 0; f < I__COUNT; f++)
		if (f != I_ATTACH && !in->fbad[f])
			check_text(env, in, (enum fld)f);
	if (!in->val[I_CHANNEL] && !in->fbad[I_CHANNEL])
		field_bad(env, in, I_CHANNEL, _("is required: how the case "
			"arrived (e.g. --channel phone)%s"), NULL);
	else
		resolve_field(env, in, I_CHANNEL, VOC_CHANNEL);
	if (!in->val[I_SUBJECT] || text_blank(in->val[I_SUBJECT]))
		field_bad(env, in, I_SUBJECT, _("is required: one line saying "
			"what the case is about%s"), NULL);
	/* The values are never repeated in these messages: a phone, a
	 * name or an ID number typed into the wrong box (or a web form's
	 * wrong field) must not reach a terminal, a log or a cron mail.
	 * The option, or FILE:LINE:COLUMN, says where it is. */
	c->received_at = env->now;
	if (usable(in, I_RECEIVED_AT)) {
		if (cal_parse_when(&cfg->cal, in->val[I_RECEIVED_AT], 0,
		    &c->received_at))
			field_bad(env, in, I_RECEIVED_AT, _("is not a time like "
				"2026-11-28T09:14:00+08:00 or "
				"\"2026-11-28 09:14\"%s"), NULL);
		else if (ts_cmp(c->received_at, env->now) > 0)
			field_bad(env, in, I_RECEIVED_AT, _("is in the "
				"future%s"), NULL);
	}
	if (usable(in, I_PHONE) && !phone_usable(in->val[I_PHONE]))
		field_bad(env, in, I_PHONE, _("is not a phone number to call "
			"back: 7 to 20 digits, with spaces, +, -, ( and ) "
			"allowed%s"), NULL);
	if (usable(in, I_EMAIL) && (!strchr(in->val[I_EMAIL], '@') ||
	    strchr(in->val[I_EMAIL], ' ')))
		field_bad(env, in, I_EMAIL, _("is not an email address (one "
			"with an @ and no spaces)%s"), NULL);
	if (usable(in, I_COUNT)) {
		errno = 0;
		c->who.count = strtol(in->val[I_COUNT], &end, 10);
		if (errno || *end || end == in->val[I_COUNT] ||
		    c->who.count < 1 || c->who.count > 100000)
			field_bad(env, in, I_COUNT, _("is not a number of "
				"people from 1 to 100000%s"), NULL);
	}
	if (usable(in, I_OCCURRED)) {
		if (date_parse(&d, in->val[I_OCCURRED]))
			field_bad(env, in, I_OCCURRED, _("is not a date like "
				"2026-11-20%s"), NULL);
		else if (date_cmp(d, cal_local_date(&cfg->cal, env->now)) > 0)
			field_bad(env, in, I_OCCURRED, _("is in the future%s"),
				NULL);
		c->occurred_on = d;
		c->has_occurred = 1;
	}
	resolve_field(env, in, I_CATEGORY, VOC_CATEGORY);
	resolve_field(env, in, I_PRIORITY, VOC_PRIORITY);
	set_text(in, I_SUBJECT, &c->subject);
	set_text(in, I_CHANNEL, &c->channel);
	set_text(in, I_NAME, &c->who.name);
	set_text(in, I_PHONE, &c->who.phone);
	set_text(in, I_EMAIL, &c->who.email);
	set_text(in, I_ADDRESS, &c->who.address);
	set_text(in, I_RESPONDENT, &c->respondent);
	set_text(in, I_LOCATION, &c->location);
	set_text(in, I_DESCRIPTION, &c->description);
	set_text(in, I_REQUEST, &c->request);
	set_text(in, I_CATEGORY, &c->category);
	set_text(in, I_PRIORITY, &c->priority);
	set_text(in, I_REF, &c->ref);
	if (!c->priority && cfg->default_priority)
		set_str(&c->priority, cfg->default_priority);
	c->who.anonymous = !!(in->flags & IN_ANONYMOUS);
	/* 集体投诉: the office's threshold decides, or the clerk does */
	c->collective = (in->flags & IN_COLLECTIVE) ||
		c->who.count >= cfg->collective_threshold;
	/* No way to reach the person: a report (举报), as the labour
	 * inspectorate's procedure treats anonymous complaints. */
	c->kind = c->who.anonymous || (!c->who.phone && !c->who.email &&
		!c->who.address) ? KIND_REPORT : KIND_COMPLAINT;
	set_str(&c->received_by, env->actor);
	c->status = ST_RECEIVED;
}

/*
 * Refuse, before filing anything, the files a --from document names that
 * cannot be attached, each at its FILE:LINE:COLUMN.  The document comes
 * from a web form, so it is untrusted: it names files only inside the
 * directory given with --attach-dir, never /etc/passwd or ~/.ssh/id_rsa.
 * (--attach files on the command line were checked in cmd_file.)
 */
void intake_check_attach(const struct intake_env *env, struct intake *in)
{
	struct diag d = DIAG_INIT;
	const struct ynode *n;
	size_t i, size;

	for (i = 0; i < in->natt; i++) {
		n = in->att[i].node;
		if (!n || (in->attach_dir >= 0 && !attach_check_in(
		    in->attach_dir, NULL, in->att[i].name, &size, &d)))
			continue;
		note_field(env, in, "attach");
		if (in->attach_dir < 0)
			diag_at(env->d, ERR_INVALID, in->from_file, n->line,
				n->col, _("'attach': '%s': a --from document "
				"cannot name a local file; put the files in a "
				"directory and give it with --attach-dir DIR "
				"(the names are looked up inside it), or give "
				"them with --attach FILE"), in->att[i].name);
		else
			diag_at(env->d, ERR_INVALID, in->from_file, n->line,
				n->col, _("'attach': %s"), d.msg[d.n - 1]);
		in->bad = 1;
	}
	diag_release(&d);
}

/* Options given on the command line win over --from. */
void intake_take_cli(struct intake *in, const char *const *cli,
	unsigned flags, const struct strlist *attach)
{
	size_t i;
	int f;

	for (f = 0; f < I__COUNT; f++) {
		if (cli[f]) {
			in->val[f] = cli[f];
			in->node[f] = NULL;
		}
	}
	in->flags |= flags;
	for (i = 0; i < attach->n; i++)
		att_push(in, attach->v[i], NULL);
}

void intake_init(struct intake *in)
{
	memset(in, 0, sizeof(*in));
	in->attach_dir = -1;
	sb_init(&in->stdin_text);
}

void intake_release(struct intake *in)
{
	sb_release(&in->stdin_text);
	strlist_release(&in->owned);
	free(in->att);
	in->att = NULL;
	in->natt = 0;
}

int intake_parse(struct ynode ***docs, size_t *ndocs, const char *buf,
	size_t len, const char *name, struct diag *d)
{
	struct ynode *one = NULL;
	int ret;

	ret = ytree_parse_stream(docs, ndocs, buf, len, name, d);
	if (!ret && *ndocs == 0) {
		/* ytree_parse says what is wrong with an empty input */
		ret = ytree_parse(&one, buf, len, name, d);
		ynode_free(one);
		if (!ret)
			diag_add(d, ERR_GENERIC, _("'%s' holds no document"),
				name);
		ret = ERR_INVALID;
	}
	return ret ? ERR_INVALID : 0;
}
