/*
 * file.c - `docket file`: register a complaint or report (登记).
 *
 * Fields come from options, from a YAML/JSON mapping (--from, for web
 * forms and scripts), or from prompts when a person is at the terminal.
 * A case with no usable contact (phone, email or postal address) or
 * marked anonymous is a report (举报), not a complaint.
 */
#include <errno.h>
#include <stdint.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "cmd.h"
#include "intl.h"
#include "codec.h"
#include "deadline.h"
#include "labels.h"
#include "output.h"
#include "repeats.h"
#include "ytree.h"

#define REPEAT_DAYS 30
#define BULK_MAX (256 << 20)	/* bytes of a --from stream */

/* The intake fields, in the order of the usage line. */
enum fld {
	I_CHANNEL, I_RECEIVED_AT, I_NAME, I_PHONE, I_EMAIL, I_ADDRESS,
	I_ANONYMOUS, I_COUNT, I_RESPONDENT, I_SUBJECT, I_DESCRIPTION,
	I_REQUEST, I_LOCATION, I_OCCURRED, I_ATTACH, I_CATEGORY, I_PRIORITY,
	I_REF, I_COLLECTIVE, I__COUNT
};

/* The yes/no intake fields (--anonymous, --collective). */
enum { IN_ANONYMOUS = 1u << 0, IN_COLLECTIVE = 1u << 1 };

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

/* Which field each message of ctx->d is about, for --errors json. */
struct errs {
	struct errfield {
		size_t at;		/* index into ctx->d */
		const char *field;	/* an option name, or a key */
		size_t doc;		/* 1-based document of a stream */
	} *v;
	size_t n, alloc;
};

/* A file to attach, as named on the command line or in --from. */
struct att_name {
	const char *name;		/* borrowed: argv or the --from tree */
	const struct ynode *node;	/* NULL: --attach on the command line */
};

struct intake {
	const char *val[I__COUNT];	/* borrowed: argv or the --from tree */
	unsigned char fbad[I__COUNT];	/* the field was found invalid */
	struct errs *errs;		/* may be NULL */
	size_t docno;			/* 1-based in a stream, else 0 */
	const struct ynode *node[I__COUNT];	/* where --from gave it */
	unsigned flags;			/* IN_* */
	struct att_name *att;		/* owned array */
	size_t natt;
	int attach_dir;			/* --attach-dir, open; or -1 */
	const char *from_file;		/* name for messages */
	const struct ynode *doc;	/* the --from document */
	struct sb stdin_text;		/* --description - */
	struct strlist owned;		/* prompted answers */
	int bad;
};

/* The next message of ctx->d is about field (for --errors json). */
static void note_field(struct ctx *ctx, struct intake *in, const char *field)
{
	struct errs *e = in->errs;

	if (!e)
		return;
	GROW(e->v, e->alloc, e->n + 1);
	e->v[e->n].at = ctx->d.n;
	e->v[e->n].field = field;
	e->v[e->n++].doc = in->docno;
}

/* A field error: FILE:LINE:COL for --from values, the option otherwise. */
static void field_bad(struct ctx *ctx, struct intake *in, enum fld f,
	const char *fmt, const char *detail)
{
	struct sb msg = SB_INIT;
	/* a field the document lacks: where the document starts */
	const struct ynode *n = in->node[f] ? in->node[f] :
		!in->val[f] ? in->doc : NULL;

	sb_addf(&msg, fmt, detail ? detail : "");
	note_field(ctx, in, fields[f].name);
	in->fbad[f] = 1;
	if (n)
		diag_at(&ctx->d, ERR_INVALID, in->from_file, n->line, n->col,
			_("'%s': %s"), fields[f].name, msg.buf);
	else
		diag_add(&ctx->d, ERR_INVALID, _("--%s: %s"), fields[f].name,
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

static int from_scalar(struct ctx *ctx, struct intake *in, enum fld f,
	const struct ynode *v)
{
	in->node[f] = v;
	if (v->type != YT_SCALAR) {
		field_bad(ctx, in, f, _("must be text, not %s"), ynode_kind(v));
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

static void doc_bad(struct ctx *ctx, struct intake *in, const struct ynode *n,
	const char *field, const char *fmt, const char *arg)
{
	note_field(ctx, in, field);
	diag_at(&ctx->d, ERR_INVALID, in->from_file, n->line, n->col, fmt,
		arg);
	in->bad = 1;
}

/* One field's value from the document, under key k. */
static void take(struct ctx *ctx, struct intake *in, enum fld f,
	const struct ynode *k, const struct ynode *v)
{
	size_t j;

	if (in->node[f]) {
		doc_bad(ctx, in, k, fields[f].name, _("'%s' is given twice "
			"(once as the case file spells it)"), fields[f].name);
		return;
	}
	if (f == I_ATTACH && v->type == YT_SEQ) {
		in->node[f] = v;
		for (j = 0; j < v->n; j++) {
			if (v->items[j]->type != YT_SCALAR) {
				field_bad(ctx, in, I_ATTACH, _("must list "
					"file names%s"), NULL);
				break;
			}
			att_push(in, v->items[j]->str, v->items[j]);
		}
		return;
	}
	if (from_scalar(ctx, in, f, v))
		return;
	if (f == I_ANONYMOUS || f == I_COLLECTIVE) {
		if (v->style == YT_PLAIN && !strcmp(v->str, "true"))
			in->flags |= f == I_ANONYMOUS ? IN_ANONYMOUS :
				IN_COLLECTIVE;
		else if (v->style != YT_PLAIN || strcmp(v->str, "false"))
			field_bad(ctx, in, f, _("must be true or false%s"),
				NULL);
		in->val[f] = NULL;
	} else if (f == I_ATTACH && in->val[f]) {
		att_push(in, in->val[f], v);
	}
}

/* complainant: the case file's nested form of the person's fields. */
static void take_complainant(struct ctx *ctx, struct intake *in,
	const struct ynode *v)
{
	size_t i, j;

	if (v->type != YT_MAP) {
		doc_bad(ctx, in, v, "complainant", _("'complainant' must be a "
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
			doc_bad(ctx, in, k, "complainant", _("unknown field "
				"'complainant.%s'"), k->str);
		else
			take(ctx, in, who_fields[j], k, v->pairs[i].val);
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
static void read_from(struct ctx *ctx, struct intake *in,
	const struct ynode *root)
{
	size_t i;
	int f, whole;

	in->doc = root;
	if (root->type != YT_MAP) {
		doc_bad(ctx, in, root, "", _("expected a mapping of field "
			"names to values, found %s"), ynode_kind(root));
		return;
	}
	whole = is_whole_case(root);
	for (i = 0; i < root->n; i++) {
		const struct ynode *k = root->pairs[i].key;
		const struct ynode *v = root->pairs[i].val;

		if (!strcmp(k->str, "complainant")) {
			take_complainant(ctx, in, v);
			continue;
		}
		if (whole && str_in(k->str, derived_keys))
			continue;
		if (!strcmp(k->str, "attachments")) {
			doc_bad(ctx, in, k, "attachments", _("'%s' of a case "
				"file cannot be filed again: give the files as "
				"'attach'"), k->str);
			continue;
		}
		if ((f = field_of(k->str)) < 0) {
			doc_bad(ctx, in, k, k->str, _("unknown field '%s'"),
				k->str);
			continue;
		}
		take(ctx, in, (enum fld)f, k, v);
	}
}

/* Ask for a missing field on the terminal. */
static void prompt(struct ctx *ctx, struct intake *in, enum fld f,
	const char *question)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;

	if (in->val[f] || !ctx->in_tty)
		return;
	/* TRANSLATORS: a prompt on the terminal: the question, then
	   where the answer is typed. */
	fprintf(stderr, _("%s: "), question);
	fflush(stderr);
	n = getline(&line, &cap, stdin);
	if (n > 0) {
		while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n) {
			strlist_push(&in->owned, line);
			in->val[f] = in->owned.v[in->owned.n - 1];
		}
	}
	free(line);
}

static void prompt_missing(struct ctx *ctx, struct intake *in)
{
	struct sb q = SB_INIT, list = SB_INIT;
	size_t i;

	/* The channels as people say them (来电), ids alongside. */
	for (i = 0; i < ctx->cfg.nchannels; i++) {
		if (i)
			sb_adds(&list, _(", "));
		vocab_describe(&list, &ctx->cfg, VOC_CHANNEL,
			ctx->cfg.channels[i].id);
	}
	/* TRANSLATORS: a prompt; %s lists the channels "phone (来电), ...". */
	sb_addf(&q, _("Channel (%s)"), list.buf);
	prompt(ctx, in, I_CHANNEL, q.buf);
	prompt(ctx, in, I_SUBJECT, _("Subject (one line)"));
	prompt(ctx, in, I_DESCRIPTION, _("Description (one line; use "
		"--description - for more)"));
	sb_release(&list);
	sb_release(&q);
}

/* Check text for encoding, control characters and size. */
static int check_text(struct ctx *ctx, struct intake *in, enum fld f)
{
	const char *s = in->val[f];
	size_t len;
	char lim[32];

	if (!s)
		return 0;
	len = strlen(s);
	if (!utf8_valid(s, len))
		field_bad(ctx, in, f, _("is not valid UTF-8 text%s"), NULL);
	else if (has_control(s, len, fields[f].multiline))
		field_bad(ctx, in, f, fields[f].multiline ?
			_("contains a control character%s") :
			_("contains a line break or control character%s"), NULL);
	else if (len > fields[f].limit) {
		snprintf(lim, sizeof(lim), "%zu", fields[f].limit);
		field_bad(ctx, in, f, _("is too long (the limit is %s bytes)"),
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
static void resolve_field(struct ctx *ctx, struct intake *in, enum fld f,
	enum vocab v)
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
	if (!vocab_resolve(&id, NULL, &ctx->cfg, VOCAB(v), what.buf,
	    in->val[f], &d)) {
		in->val[f] = id;
	} else {
		note_field(ctx, in, fields[f].name);
		in->fbad[f] = 1;
		if (digits_in(in->val[f]) >= 7)
			without_value(&msg, d.msg[0], in->val[f]);
		else
			sb_adds(&msg, d.msg[0]);
		if (n)
			diag_at(&ctx->d, ERR_INVALID, in->from_file, n->line,
				n->col, _("%s"), msg.buf);
		else
			diag_add(&ctx->d, ERR_INVALID, _("%s"), msg.buf);
		in->bad = 1;
	}
	diag_release(&d);
	sb_release(&msg);
	sb_release(&what);
}

/* Turn the intake into a new case (without id, deadlines or events). */
static void build_case(struct ctx *ctx, struct intake *in, struct dcase *c)
{
	const struct config *cfg = &ctx->cfg;
	struct date d;
	char *end;
	int f;

	/* every problem is reported: a field found bad is not checked
	 * further, the others are */
	for (f = 0; f < I__COUNT; f++)
		if (f != I_ATTACH && !in->fbad[f])
			check_text(ctx, in, (enum fld)f);
	if (!in->val[I_CHANNEL] && !in->fbad[I_CHANNEL])
		field_bad(ctx, in, I_CHANNEL, _("is required: how the case "
			"arrived (e.g. --channel phone)%s"), NULL);
	else
		resolve_field(ctx, in, I_CHANNEL, VOC_CHANNEL);
	if (!in->val[I_SUBJECT] || text_blank(in->val[I_SUBJECT]))
		field_bad(ctx, in, I_SUBJECT, _("is required: one line saying "
			"what the case is about%s"), NULL);
	/* The values are never repeated in these messages: a phone, a
	 * name or an ID number typed into the wrong box (or a web form's
	 * wrong field) must not reach a terminal, a log or a cron mail.
	 * The option, or FILE:LINE:COLUMN, says where it is. */
	c->received_at = ctx->now;
	if (usable(in, I_RECEIVED_AT)) {
		if (parse_when(ctx, in->val[I_RECEIVED_AT], 0, &c->received_at))
			field_bad(ctx, in, I_RECEIVED_AT, _("is not a time like "
				"2026-11-28T09:14:00+08:00 or "
				"\"2026-11-28 09:14\"%s"), NULL);
		else if (ts_cmp(c->received_at, ctx->now) > 0)
			field_bad(ctx, in, I_RECEIVED_AT, _("is in the "
				"future%s"), NULL);
	}
	if (usable(in, I_PHONE) && !phone_usable(in->val[I_PHONE]))
		field_bad(ctx, in, I_PHONE, _("is not a phone number to call "
			"back: 7 to 20 digits, with spaces, +, -, ( and ) "
			"allowed%s"), NULL);
	if (usable(in, I_EMAIL) && (!strchr(in->val[I_EMAIL], '@') ||
	    strchr(in->val[I_EMAIL], ' ')))
		field_bad(ctx, in, I_EMAIL, _("is not an email address (one "
			"with an @ and no spaces)%s"), NULL);
	if (usable(in, I_COUNT)) {
		errno = 0;
		c->who.count = strtol(in->val[I_COUNT], &end, 10);
		if (errno || *end || end == in->val[I_COUNT] ||
		    c->who.count < 1 || c->who.count > 100000)
			field_bad(ctx, in, I_COUNT, _("is not a number of "
				"people from 1 to 100000%s"), NULL);
	}
	if (usable(in, I_OCCURRED)) {
		if (date_parse(&d, in->val[I_OCCURRED]))
			field_bad(ctx, in, I_OCCURRED, _("is not a date like "
				"2026-11-20%s"), NULL);
		else if (date_cmp(d, cal_local_date(&cfg->cal, ctx->now)) > 0)
			field_bad(ctx, in, I_OCCURRED, _("is in the future%s"),
				NULL);
		c->occurred_on = d;
		c->has_occurred = 1;
	}
	resolve_field(ctx, in, I_CATEGORY, VOC_CATEGORY);
	resolve_field(ctx, in, I_PRIORITY, VOC_PRIORITY);
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
	set_str(&c->received_by, ctx->actor);
	c->status = ST_RECEIVED;
}

/* The files to attach, by the rules every command that attaches keeps:
 * --attach paths as given, --from names inside --attach-dir only. */
static int read_attachments(struct ctx *ctx, struct intake *in,
	struct dcase *c, struct attach_set *a)
{
	struct attach_src *src = NULL;
	size_t i;
	int ret = EXIT_OK;

	if (!in->natt)
		return EXIT_OK;
	src = xcalloc(in->natt, sizeof(*src));
	for (i = 0; i < in->natt; i++) {
		src[i].name = in->att[i].name;
		src[i].dirfd = in->att[i].node ? in->attach_dir : AT_FDCWD;
		/* check_attach() refused this before; never the cwd */
		if (in->att[i].node && in->attach_dir < 0)
			ret = fail(ctx, _("a --from document cannot name a local "
				"file"));
	}
	if (!ret && attach_files_src(a, c, src, in->natt, ctx->store, NULL,
	    NULL, &ctx->d))
		ret = EXIT_FAIL;
	free(src);
	return ret;
}

/* Same phone, or same name and respondent, on a case still open or closed
 * within REPEAT_DAYS: likely the same person coming back. */
static int is_repeat(struct ctx *ctx, const struct dcase *new,
	const struct dcase *old)
{
	int64_t window = (int64_t)REPEAT_DAYS * 86400;

	(void)ctx;
	if (case_status_open(old->status)) {
		/* open: always a candidate */
	} else if (!old->closure.present ||
	    new->received_at.t - old->closure.at.t > window) {
		return 0;
	}
	if (new->who.phone && old->who.phone &&
	    !strcmp(new->who.phone, old->who.phone))
		return 1;
	return new->who.name && old->who.name && new->respondent &&
		old->respondent && !strcmp(new->who.name, old->who.name) &&
		!strcmp(new->respondent, old->respondent);
}

/* scan_cases callback: link the new case to each likely earlier one. */
static int repeat_of(struct ctx *ctx, const char *path, struct dcase *old,
	void *data)
{
	struct dcase *c = data;

	(void)path;
	if (!is_repeat(ctx, c, old))
		return 0;
	strv_add_unique(&c->related, &c->nrelated, old->id);
	warn(ctx, _("likely repeat of case %s (%s, %s); linked as related"),
		old->id, c->who.phone && old->who.phone &&
		!strcmp(c->who.phone, old->who.phone) ? "same phone" :
		"same name and respondent", case_status_name(old->status));
	return 0;
}

/* The cases the keys named, read from the store and handed to fn as a
 * scan would; one unreadable or invalid is no candidate (`check`
 * reports it). */
static void read_candidates(struct ctx *ctx, const struct strlist *paths,
	scan_fn fn, void *data)
{
	struct diag d = DIAG_INIT;
	struct sb buf = SB_INIT;
	struct dcase old;
	size_t i;

	for (i = 0; i < paths->n; i++) {
		sb_reset(&buf);
		case_init(&old);
		if (!store_read(&buf, ctx->store, paths->v[i], LIM_CASEFILE + 1,
		    &d) && !case_parse(&old, buf.buf, buf.len, paths->v[i],
		    &d))
			fn(ctx, paths->v[i], &old, data);
		case_release(&old);
		diag_clear(&d);
	}
	diag_release(&d);
	sb_release(&buf);
}

/* Link c to its likely repeats: the candidates the keys in rep name, or
 * every case when there are no keys or they cannot tell. */
static void find_repeats(struct ctx *ctx, struct dcase *c,
	struct repeats *rep)
{
	struct strlist paths = STRLIST_INIT;

	if (!c->who.phone && !(c->who.name && c->respondent))
		return;
	if (!rep || repeats_candidates(rep, c, &paths))
		scan_cases(ctx, repeat_of, c, NULL);
	else
		read_candidates(ctx, &paths, repeat_of, c);
	strlist_release(&paths);
}

/* At most this many earlier cases against one respondent are linked: a
 * large company may have hundreds in the window. */
#define SAME_RESPONDENT_MAX 20

/* 1 if old names the same respondent as c and was received within the
 * window (limits.same_respondent) before it. */
static int same_respondent(const struct config *cfg, const struct dcase *c,
	const struct dcase *old)
{
	return old->respondent && !strcmp(old->respondent, c->respondent) &&
		strcmp(old->id, c->id ? c->id : "") &&
		ts_cmp(old->received_at, c->received_at) <= 0 &&
		ts_cmp(cal_add(&cfg->cal, old->received_at,
		cfg->same_respondent), c->received_at) >= 0;
}

struct respondent_scan {
	const struct dcase *c;
	struct strlist ids;
};

static int respondent_of(struct ctx *ctx, const char *path,
	struct dcase *old, void *data)
{
	struct respondent_scan *rs = data;

	(void)path;
	if (same_respondent(&ctx->cfg, rs->c, old))
		strlist_push(&rs->ids, old->id);
	return 0;
}

/*
 * Separate filings against one respondent (workers of one employer, the
 * customers of one shop) within limits.same_respondent are linked as
 * related, the latest SAME_RESPONDENT_MAX, so that the handler sees them
 * together; the file event lists them as same_respondent.
 */
static void find_same_respondent(struct ctx *ctx, struct dcase *c,
	struct repeats *rep, struct strlist *linked)
{
	struct respondent_scan rs = { c, STRLIST_INIT };
	struct strlist paths = STRLIST_INIT;
	struct sb list = SB_INIT;
	char win[16];
	size_t i;

	if (!ctx->cfg.same_respondent.n || !c->respondent || !*c->respondent)
		return;
	if (!rep || repeats_find(rep, RK_RESPONDENT,
	    repeats_respondent_key(rep, c), &paths) < 0)
		scan_cases(ctx, respondent_of, &rs, NULL);
	else
		read_candidates(ctx, &paths, respondent_of, &rs);
	strlist_sort(&rs.ids);
	i = rs.ids.n > SAME_RESPONDENT_MAX ? rs.ids.n - SAME_RESPONDENT_MAX : 0;
	for (; i < rs.ids.n; i++) {
		size_t before = c->nrelated;

		/* a likely repeat is linked already, as that */
		strv_add_unique(&c->related, &c->nrelated, rs.ids.v[i]);
		if (c->nrelated == before)
			continue;
		strlist_push(linked, rs.ids.v[i]);
		sb_addf(&list, "%s%s", list.len ? _(", ") : "", rs.ids.v[i]);
	}
	if (linked->n) {
		duration_format(win, ctx->cfg.same_respondent);
		/* the respondent is not named: it may be a person */
		inform(ctx, Q_("filed against the same respondent as %zu case "
			"received within %s (%s): linked as related",
			"filed against the same respondent as %zu cases "
			"received within %s (%s): linked as related",
			linked->n), linked->n, win, list.buf);
	}
	strlist_release(&paths);
	strlist_release(&rs.ids);
	sb_release(&list);
}

static int allocate_id(struct ctx *ctx, struct dcase *c)
{
	struct date day = cal_local_date(&ctx->cfg.cal, c->received_at);
	char id[CASE_ID_BUFSZ];
	const struct site *site;
	const char *prefix;
	long seq = 0;

	if (ctx_id_prefix(ctx, &prefix, &site) ||
	    store_next_seq(&seq, ctx->store, prefix, day.y, &ctx->d))
		return EXIT_FAIL;
	if (seq > 999999 || case_id_make(id, prefix, day.y, seq))
		return fail(ctx, _("no case numbers left for %d"), day.y);
	set_str(&c->id, id);
	return EXIT_OK;
}

/* What the bulk run carries from case to case. */
struct bulk {
	struct repeats *rep;	/* NULL: scan the store for each case */
};

/* File a case build_case() made from the intake: id, attachments,
 * deadlines, likely repeats, the commit; prints the id. */
static int file_built(struct ctx *ctx, struct intake *in, struct dcase *c,
	struct bulk *bulk)
{
	struct attach_set att = ATTACH_SET_INIT;
	struct strlist same = STRLIST_INIT;
	struct event *e;
	int ret = EXIT_FAIL, year;

	if (allocate_id(ctx, c) || read_attachments(ctx, in, c, &att))
		goto out;
	year = deadline_set(&ctx->cfg, c, 1u << DUE_ACK | 1u << DUE_FEEDBACK,
		c->received_at);
	warn_calendar_year(ctx, year);
	if (bulk) {
		find_repeats(ctx, c, bulk->rep);
		find_same_respondent(ctx, c, bulk->rep, &same);
	} else {
		struct repeats *rep = repeats_open(store_root(ctx->store));

		find_repeats(ctx, c, rep);
		find_same_respondent(ctx, c, rep, &same);
		repeats_close(rep);
	}
	e = case_add_event(c, ctx->now, ctx->actor, "file");
	/* Recorded so reports can tell the classification as it was at any
	 * time, before a later triage changes it. */
	if (c->category)
		event_set(e, "category", c->category);
	if (c->priority)
		event_set(e, "priority", c->priority);
	if (c->nrelated > same.n)
		event_set_list(e, "repeat_of", c->related, c->nrelated - same.n);
	if (same.n)
		event_set_list(e, "same_respondent", same.v, same.n);
	if (save_case(ctx, c, "file", att.files, att.n))
		goto out;
	printf("%s\n", c->id);
	if (c->collective)
		/* 信访工作条例: several people with one matter choose
		 * representatives, no more than five. */
		inform(ctx, _("case %s is a collective complaint (%ld people): "
			"ask them to choose representatives, no more than 5, "
			"and record them with 'docket note %s'"), c->id,
			c->who.count, c->id);
	if (bulk && bulk->rep) {
		char path[CASE_PATH_BUFSZ];

		if (!case_path(path, c->id))
			repeats_add(bulk->rep, path, c);
	}
	ret = EXIT_OK;
out:
	strlist_release(&same);
	attach_set_release(&att);
	return ret;
}

static void check_attach(struct ctx *ctx, struct intake *in);

static int file_case(struct ctx *ctx, struct intake *in)
{
	struct dcase c;
	int ret = EXIT_FAIL;

	case_init(&c);
	build_case(ctx, in, &c);
	if (!in->bad)
		check_attach(ctx, in);
	/* the locks only now: a clerk at a prompt keeps nobody waiting */
	if (!in->bad && !ctx->lock(ctx))
		ret = file_built(ctx, in, &c, NULL);
	case_release(&c);
	return ret;
}

/*
 * Refuse, before filing anything, the files a --from document names that
 * cannot be attached, each at its FILE:LINE:COLUMN.  The document comes
 * from a web form, so it is untrusted: it names files only inside the
 * directory given with --attach-dir, never /etc/passwd or ~/.ssh/id_rsa.
 * (--attach files on the command line were checked in cmd_file.)
 */
static void check_attach(struct ctx *ctx, struct intake *in)
{
	struct diag d = DIAG_INIT;
	const struct ynode *n;
	size_t i, size;

	for (i = 0; i < in->natt; i++) {
		n = in->att[i].node;
		if (!n || (in->attach_dir >= 0 && !attach_check_in(
		    in->attach_dir, NULL, in->att[i].name, &size, &d)))
			continue;
		note_field(ctx, in, "attach");
		if (in->attach_dir < 0)
			diag_at(&ctx->d, ERR_INVALID, in->from_file, n->line,
				n->col, _("'attach': '%s': a --from document "
				"cannot name a local file; put the files in a "
				"directory and give it with --attach-dir DIR "
				"(the names are looked up inside it), or give "
				"them with --attach FILE"), in->att[i].name);
		else
			diag_at(&ctx->d, ERR_INVALID, in->from_file, n->line,
				n->col, _("'attach': %s"), d.msg[d.n - 1]);
		in->bad = 1;
	}
	diag_release(&d);
}

/* The --attach files of the command line, checked once before any
 * document is read or anything locked. */
static int check_cli_attach(struct ctx *ctx, const struct strlist *attach)
{
	size_t i, size;
	int bad = 0;

	for (i = 0; i < attach->n; i++)
		bad |= attach_check("--attach", attach->v[i], &size,
			&ctx->d) != 0;
	return bad ? EXIT_FAIL : EXIT_OK;
}

/* Options given on the command line win over --from. */
static void intake_cli(struct intake *in, const char *const *cli,
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

static void progress(struct ctx *ctx, size_t done, size_t n, int last)
{
	static struct timespec shown;
	struct timespec now;

	if (!isatty(STDERR_FILENO))
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!last && done > 1 && now.tv_sec * 10 + now.tv_nsec / 100000000 ==
	    shown.tv_sec * 10 + shown.tv_nsec / 100000000)
		return;
	shown = now;
	(void)ctx;
	fprintf(stderr, "\rfiled %zu/%zu%s", done, n, last ? "\n" : "");
	fflush(stderr);
}

/*
 * Bulk intake: every document of the stream is checked first and the
 * whole stream refused if any is invalid (every problem reported); then
 * each is filed as its own commit, its id printed as soon as it is
 * recorded, the lock held throughout.
 */
static int file_bulk(struct ctx *ctx, struct ynode **docs, size_t n,
	const char *from_file, const char *const *cli, unsigned flags,
	const struct strlist *attach, int attach_dir, struct errs *errs)
{
	struct intake *in = NULL;
	struct dcase *cs = NULL;
	struct bulk bulk;
	size_t i, bad = 0, done = 0;
	int ret = EXIT_FAIL;

	memset(&bulk, 0, sizeof(bulk));
	in = xcalloc(n, sizeof(*in));
	cs = xcalloc(n, sizeof(*cs));
	for (i = 0; i < n; i++) {
		in[i].from_file = from_file;
		in[i].errs = errs;
		in[i].docno = i + 1;
		in[i].attach_dir = attach_dir;
		sb_init(&in[i].stdin_text);
		case_init(&cs[i]);
		read_from(ctx, &in[i], docs[i]);
		intake_cli(&in[i], cli, flags, attach);
		build_case(ctx, &in[i], &cs[i]);
		if (!in[i].bad)
			check_attach(ctx, &in[i]);
		bad += in[i].bad != 0;
	}
	if (bad) {
		fail(ctx, _("%zu of the %zu documents in '%s' are invalid; "
			"nothing was filed"), bad, n, from_file);
		goto out;
	}
	if (ctx->lock(ctx) || store_batch_begin(ctx->store, &ctx->d))
		goto out;
	bulk.rep = repeats_open(store_root(ctx->store));
	for (i = 0; i < n; i++) {
		/* Ctrl-C or a kill: the case in hand is finished, then stop */
		if (store_signalled(ctx->store))
			break;
		if (file_built(ctx, &in[i], &cs[i], &bulk))
			break;
		fflush(stdout);
		progress(ctx, ++done, n, 0);
	}
	if (done)
		progress(ctx, done, n, 1);
	if (store_batch_end(ctx->store, &ctx->d) == 0 && done == n)
		ret = EXIT_OK;
	else if (done < n && i < n && store_signalled(ctx->store))
		fail(ctx, _("stopped by a signal: filed %zu of the %zu cases "
			"in '%s' (their ids are printed); the rest were not "
			"filed"), done, n, from_file);
	else if (done < n)
		fail(ctx, _("filed %zu of the %zu cases in '%s'; the rest were "
			"not filed"), done, n, from_file);
out:
	for (i = 0; i < n; i++) {
		case_release(&cs[i]);
		sb_release(&in[i].stdin_text);
		strlist_release(&in[i].owned);
		free(in[i].att);
	}
	free(cs);
	free(in);
	repeats_close(bulk.rep);
	return ret;
}

/* "FILE:LINE:COL: message" split, when msg starts with file. */
static void split_at(json_t *o, const char *msg, const char *file)
{
	size_t n = file ? strlen(file) : 0;
	long line = 0, col = 0;
	char *end;
	const char *p = msg;

	if (n && !strncmp(msg, file, n) && msg[n] == ':') {
		line = strtol(msg + n + 1, &end, 10);
		if (*end == ':' && line > 0) {
			p = end + 1;
			col = strtol(p, &end, 10);
			if (*end == ':' && col > 0)
				p = end + 1;
			else
				col = 0;
			p = *p == ':' ? p + 1 : p;
			while (*p == ' ')
				p++;
		} else {
			line = 0;
		}
	}
	json_object_set_new(o, "file", n && line ? json_string(file) :
		json_null());
	json_object_set_new(o, "line", line ? json_integer(line) : json_null());
	json_object_set_new(o, "column", col ? json_integer(col) :
		json_null());
	json_object_set_new(o, "message", json_string(line ? p : msg));
}

/*
 * --errors json: every problem, as a JSON array on standard output, for
 * a web form to show beside its fields: {document, field, file, line,
 * column, message}.  Nothing goes to standard error; the exit status
 * stays what it was.
 */
static int errors_json(struct ctx *ctx, const struct errs *errs,
	const char *file, int ret)
{
	json_t *arr = json_array(), *o;
	struct sb out = SB_INIT;
	const struct errfield *ef;
	size_t i, k;

	for (i = 0; i < ctx->d.n; i++) {
		ef = NULL;
		for (k = 0; k < errs->n; k++)
			if (errs->v[k].at == i)
				ef = &errs->v[k];
		o = json_object();
		json_object_set_new(o, "document", ef && ef->doc ?
			json_integer((json_int_t)ef->doc) : json_null());
		json_object_set_new(o, "field", ef && *ef->field ?
			json_string(ef->field) : json_null());
		split_at(o, ctx->d.msg[i], file);
		json_array_append_new(arr, o);
	}
	json_dump_sb(&out, arr, 0);
	json_decref(arr);
	if (emit_stdout(ctx, &out))
		ret = EXIT_FAIL;
	else
		diag_clear(&ctx->d);
	sb_release(&out);
	return ret;
}

/*
 * Read --from: one document fills the intake; several are bulk intake
 * (*ndocs > 1).  Streams may be larger than one case file.
 */
static int load_from(struct ctx *ctx, struct intake *in, const char *from,
	struct ynode ***docs, size_t *ndocs)
{
	struct sb buf = SB_INIT;
	struct ynode *one = NULL;
	int ret;

	in->from_file = strcmp(from, "-") ? from : "<stdin>";
	ret = read_file(&buf, strcmp(from, "-") ? from : "/dev/stdin",
		BULK_MAX, &ctx->d);
	if (!ret)
		ret = ytree_parse_stream(docs, ndocs, buf.buf, buf.len,
			in->from_file, &ctx->d);
	if (!ret && *ndocs == 0) {
		/* ytree_parse says what is wrong with an empty input */
		ret = ytree_parse(&one, buf.buf, buf.len, in->from_file,
			&ctx->d);
		ynode_free(one);
		if (!ret)
			ret = fail(ctx, _("'%s' holds no document"),
				in->from_file);
	}
	if (!ret && *ndocs == 1)
		read_from(ctx, in, (*docs)[0]);
	sb_release(&buf);
	/* problems of the document itself are reported with the rest */
	return ret ? EXIT_FAIL : EXIT_OK;
}

int cmd_file(int argc, char **argv, struct ctx *ctx)
{
	struct intake in;
	struct strlist args = STRLIST_INIT, attach = STRLIST_INIT;
	struct ynode **docs = NULL;
	size_t ndocs = 0, i;
	const char *cli[I__COUNT] = { 0 }, *from = NULL, *errors = NULL;
	const char *attach_dir = NULL;
	struct errs errs = { NULL, 0, 0 };
	int anonymous = 0, collective = 0, ret;
	unsigned flags;
	enum opts_result pr;
	struct opt opts[] = {
		{ "channel", OPT_STR, &cli[I_CHANNEL], N_("ID"),
		  N_("how it arrived: visit, phone, letter, email, web, ...") },
		{ "received-at", OPT_STR, &cli[I_RECEIVED_AT], N_("TIME"),
		  N_("when it arrived, if not now (\"2026-11-28 09:14\")") },
		{ "name", OPT_STR, &cli[I_NAME], N_("NAME"), N_("complainant's name") },
		{ "phone", OPT_STR, &cli[I_PHONE], N_("PHONE"), N_("contact phone") },
		{ "email", OPT_STR, &cli[I_EMAIL], N_("EMAIL"), N_("contact email") },
		{ "address", OPT_STR, &cli[I_ADDRESS], N_("ADDRESS"),
		  N_("postal address for the reply") },
		{ "anonymous", OPT_FLAG, &anonymous, NULL,
		  N_("the person withholds their identity (a report)") },
		{ "count", OPT_STR, &cli[I_COUNT], N_("N"),
		  N_("number of complainants (group complaint when > 1)") },
		{ "collective", OPT_FLAG, &collective, NULL,
		  N_("a collective complaint (集体投诉) even below "
		  "collective.threshold people") },
		{ "respondent", OPT_STR, &cli[I_RESPONDENT], N_("NAME"),
		  N_("the party complained about") },
		{ "subject", OPT_STR, &cli[I_SUBJECT], N_("TEXT"),
		  N_("one line saying what it is about") },
		{ "description", OPT_STR, &cli[I_DESCRIPTION], N_("TEXT|-"),
		  N_("the full account; - reads it from standard input") },
		{ "request", OPT_STR, &cli[I_REQUEST], N_("TEXT"),
		  N_("what the complainant asks for") },
		{ "location", OPT_STR, &cli[I_LOCATION], N_("PLACE"),
		  N_("where it happened") },
		{ "occurred", OPT_STR, &cli[I_OCCURRED], N_("DATE"),
		  N_("when it happened (2026-11-20)") },
		{ "attach", OPT_LIST, &attach, N_("FILE"),
		  N_("copy evidence into the store (repeatable)") },
		{ "category", OPT_STR, &cli[I_CATEGORY], N_("ID"),
		  N_("category, if already known") },
		{ "priority", OPT_STR, &cli[I_PRIORITY], N_("ID"),
		  N_("priority (default from docket.yaml)") },
		{ "ref", OPT_STR, &cli[I_REF], N_("REF"),
		  N_("an outside body's number for it: 12345 work order, "
		  "transfer number") },
		{ "from", OPT_STR, &from, N_("FILE|-"),
		  N_("read the fields from a YAML or JSON mapping; a stream "
		  "of several files one case each") },
		{ "attach-dir", OPT_STR, &attach_dir, N_("DIR"),
		  N_("where the attach names of --from documents are looked "
		  "up (nothing outside it is read)") },
		{ "errors", OPT_STR, &errors, N_("text|json"),
		  N_("how to report problems: text on standard error "
		  "(default), or a JSON array on standard output"), OPT_HIDE },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};

	memset(&in, 0, sizeof(in));
	in.errs = &errs;
	in.attach_dir = -1;
	sb_init(&in.stdin_text);
	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	flags = (anonymous ? IN_ANONYMOUS : 0) | (collective ? IN_COLLECTIVE : 0);
	if (errors && strcmp(errors, "text") && strcmp(errors, "json")) {
		ret = usage_error(ctx, _("--errors: unknown format '%s' (text, "
			"json)"), errors);
		errors = NULL;
		goto out;
	}
	if (args.n) {
		ret = usage_error(ctx, _("unexpected argument '%s'; give fields "
			"as options, e.g. --subject TEXT"), args.v[0]);
		goto out;
	}
	ret = EXIT_USAGE;
	if (from && !strcmp(from, "-") && cli[I_DESCRIPTION] &&
	    !strcmp(cli[I_DESCRIPTION], "-")) {
		usage_error(ctx, _("--from - and --description - both want "
			"standard input"));
		goto out;
	}
	if (attach_dir && !from) {
		usage_error(ctx, _("--attach-dir goes with --from: it is where "
			"the attach names of the documents are looked up"));
		goto out;
	}
	ret = EXIT_FAIL;
	if (require_role(ctx, ROLE_INTAKE, "file cases") ||
	    check_cli_attach(ctx, &attach))
		goto out;
	if (attach_dir) {
		in.attach_dir = open(attach_dir, O_RDONLY | O_DIRECTORY |
			O_NONBLOCK | O_CLOEXEC);
		if (in.attach_dir < 0) {
			fail(ctx, _("--attach-dir: cannot open the directory "
				"'%s': %s"), attach_dir, strerror(errno));
			goto out;
		}
	}
	if (from && load_from(ctx, &in, from, &docs, &ndocs))
		goto out;
	if (ndocs > 1) {
		if (cli[I_DESCRIPTION] && !strcmp(cli[I_DESCRIPTION], "-")) {
			ret = usage_error(ctx, _("--description - cannot go "
				"with a --from stream of several cases"));
			goto out;
		}
		ret = file_bulk(ctx, docs, ndocs, in.from_file, cli,
			flags, &attach, in.attach_dir, &errs);
		goto out;
	}
	intake_cli(&in, cli, flags, &attach);
	if (in.val[I_DESCRIPTION] && !strcmp(in.val[I_DESCRIPTION], "-")) {
		if (read_stdin_text(ctx, "--description", &in.stdin_text))
			goto out;
		in.val[I_DESCRIPTION] = in.stdin_text.buf;
	}
	if (!in.bad)
		prompt_missing(ctx, &in);
	ret = file_case(ctx, &in);
out:
	if (ret && errors && !strcmp(errors, "json"))
		ret = errors_json(ctx, &errs, in.from_file, ret);
	free(errs.v);
	for (i = 0; i < ndocs; i++)
		ynode_free(docs[i]);
	free(docs);
	sb_release(&in.stdin_text);
	strlist_release(&in.owned);
	if (in.attach_dir >= 0)
		close(in.attach_dir);
	free(in.att);
	strlist_release(&attach);
	strlist_release(&args);
	return ret;
}
