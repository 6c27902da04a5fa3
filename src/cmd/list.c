/*
 * list.c - `docket list`: cases, one line each, filtered, sorted.
 *
 * No complainant data is listed: the line names the case, not the person.
 * Filters combine: every option given must hold (AND), and an option given
 * several times holds when one of its values does (OR).  A search by phone
 * or name reads only the cases the keys of .git/docket-keys name
 * (repeats.h), not the whole store; nothing is said about the others.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "codec.h"
#include "deadline.h"
#include "labels.h"
#include "output.h"
#include "repeats.h"
#include "suggest.h"
#include "ytree.h"

/* The column names of CSV and JSON (stable, for scripts)... */
static const char *const columns[] = {
	"id", "status", "kind", "received_at", "channel", "category",
	"department", "assignee", "next_due", "subject", "ref"
};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))
/* The table leaves out the outside body's number (ref): few cases have
 * one, and `show` prints it. */
#define TABLE_COLS (NCOLS - 1)

/* ...and the table's headings, for people. */
static void headings(const char *out[NCOLS])
{
	out[0] = C_("list column", "id");
	out[1] = C_("list column", "status");
	out[2] = C_("list column", "kind");
	out[3] = C_("list column", "received_at");
	out[4] = C_("list column", "channel");
	out[5] = C_("list column", "category");
	out[6] = C_("list column", "department");
	out[7] = C_("list column", "assignee");
	out[8] = C_("list column", "next_due");
	out[9] = C_("list column", "subject");
}

/* What the filter options ask; each list holds ids once parsed. */
struct filter {
	struct strlist status, kind, channel, priority, category, department,
		assignee, phone, name, respondent, text, ref;
	int open;			/* --status open */
	struct strlist *words;		/* per --text value, its words */
	size_t nwords;
	const char *id_from, *id_to;
	int has_since, has_until, has_csince, has_cuntil, has_within;
	struct ts since, until, csince, cuntil, soon;
	int overdue, stopped, collective, awaiting_feedback;
};

/* The options given as text, parsed by filter_parse(). */
struct filter_args {
	const char *since, *until, *closed_since, *closed_until, *due_within;
};

/* ---- matching ------------------------------------------------------- */

/* 1 when the list is empty (no such option) or holds s. */
static int any_of(const struct strlist *l, const char *s)
{
	return !l->n || (s && strlist_has(l, s));
}

/* A phone as digits (and a leading +): "138-0000 0000" finds 13800000000. */
static void phone_norm(char *out, size_t size, const char *s)
{
	size_t n = 0;

	for (; s && *s && n + 1 < size; s++)
		if (isdigit((unsigned char)*s) || (*s == '+' && !n))
			out[n++] = *s;
	out[n] = '\0';
}

static int phone_match(const struct strlist *want, const char *phone)
{
	char a[80], b[80];
	size_t i;

	if (!want->n)
		return 1;
	if (!phone)
		return 0;
	phone_norm(b, sizeof(b), phone);
	for (i = 0; i < want->n; i++) {
		phone_norm(a, sizeof(a), want->v[i]);
		if (*a && !strcmp(a, b))
			return 1;
	}
	return 0;
}

static int contains(const char *hay, const char *needle)
{
	return hay && strcasestr(hay, needle);
}

/* 1 if word is in the subject, description, request or a note. */
static int text_has(const struct dcase *c, const char *word)
{
	size_t i;

	if (contains(c->subject, word) || contains(c->description, word) ||
	    contains(c->request, word))
		return 1;
	for (i = 0; i < c->nevents; i++)
		if (!strcmp(c->events[i].action, "note") &&
		    contains(event_get(&c->events[i], "text"), word))
			return 1;
	return 0;
}

/* Each --text value is words separated by blanks, all of which must
 * appear; one of the values must match. */
static int text_match(const struct filter *f, const struct dcase *c)
{
	size_t i, j;

	if (!f->nwords)
		return 1;
	for (i = 0; i < f->nwords; i++) {
		for (j = 0; j < f->words[i].n; j++)
			if (!text_has(c, f->words[i].v[j]))
				break;
		if (j == f->words[i].n)
			return 1;
	}
	return 0;
}

static int respondent_match(const struct strlist *want, const char *r)
{
	size_t i;

	if (!want->n)
		return 1;
	for (i = 0; i < want->n; i++)
		if (contains(r, want->v[i]))
			return 1;
	return 0;
}

static int status_match(const struct filter *f, const struct dcase *c)
{
	if (!f->status.n)
		return 1;
	if (f->open && case_status_open(c->status))
		return 1;
	return strlist_has(&f->status, case_status_name(c->status));
}

static int category_match(const struct strlist *want, const char *cat)
{
	size_t i;

	if (!want->n)
		return 1;
	for (i = 0; cat && i < want->n; i++)
		if (category_under(cat, want->v[i]))
			return 1;
	return 0;
}

/* A key docket does not model yet, as a scalar ("ref", "collective"). */
static const char *extra_scalar(const struct dcase *c, const char *key)
{
	size_t i;

	for (i = 0; i < c->nextra; i++)
		if (!strcmp(c->extra[i].key, key) && c->extra[i].val &&
		    c->extra[i].val->type == YT_SCALAR)
			return c->extra[i].val->str;
	return NULL;
}

/* A group complaint: several complainants, or flagged collective. */
static int case_collective(const struct dcase *c)
{
	return c->who.count > 1 || c->collective;
}

static int ref_match(const struct strlist *want, const struct dcase *c)
{
	const char *ref;
	size_t i;

	if (!want->n)
		return 1;
	/* the field; a file written before docket knew it may still carry
	 * the key as an unknown one */
	if (!(ref = c->ref) && !(ref = extra_scalar(c, "ref")))
		return 0;
	for (i = 0; i < want->n; i++)
		if (!strcasecmp(ref, want->v[i]))
			return 1;
	return 0;
}

/* Closed (not merged into another case) with no return visit yet. */
static int awaiting_feedback(const struct dcase *c)
{
	size_t i;

	if (c->status != ST_CLOSED || (c->closure.outcome &&
	    !strcmp(c->closure.outcome, "merged")))
		return 0;
	for (i = 0; i < c->nevents; i++)
		if (!strcmp(c->events[i].action, "feedback"))
			return 0;
	return 1;
}

static int in_period(struct ts t, int has_from, struct ts from, int has_to,
	struct ts to)
{
	return (!has_from || ts_cmp(t, from) >= 0) &&
		(!has_to || ts_cmp(t, to) <= 0);
}

/* An open case whose clock runs with a deadline not yet met that falls
 * between now and soon. */
static int due_within(const struct dcase *c, struct ts now, struct ts soon)
{
	int k;

	if (!case_status_open(c->status) || c->status == ST_PENDING_INFO ||
	    c->status == ST_ON_HOLD)
		return 0;
	for (k = 0; k < DUE__COUNT; k++)
		if ((c->due.has & (1u << k)) &&
		    !deadline_met(c, (enum due_kind)k) &&
		    ts_cmp(c->due.at[k], now) >= 0 &&
		    ts_cmp(c->due.at[k], soon) <= 0)
			return 1;
	return 0;
}

static int filter_keep(const struct filter *f, const struct dcase *c, struct ts now)
{
	if (!status_match(f, c) ||
	    !any_of(&f->kind, case_kind_name(c->kind)) ||
	    !any_of(&f->channel, c->channel) ||
	    !any_of(&f->priority, c->priority) ||
	    !category_match(&f->category, c->category) ||
	    !any_of(&f->department, c->department) ||
	    !any_of(&f->assignee, c->assignee))
		return 0;
	if ((f->id_from && strcmp(c->id, f->id_from) < 0) ||
	    (f->id_to && strcmp(c->id, f->id_to) > 0))
		return 0;
	if (!in_period(c->received_at, f->has_since, f->since, f->has_until,
	    f->until))
		return 0;
	if ((f->has_csince || f->has_cuntil) && (!c->closure.present ||
	    !in_period(c->closure.at, f->has_csince, f->csince,
	    f->has_cuntil, f->cuntil)))
		return 0;
	if (f->overdue && !deadline_overdue(c, now))
		return 0;
	if (f->has_within && !due_within(c, now, f->soon))
		return 0;
	if (f->stopped && c->status != ST_PENDING_INFO &&
	    c->status != ST_ON_HOLD)
		return 0;
	if (f->collective && !case_collective(c))
		return 0;
	if (f->awaiting_feedback && !awaiting_feedback(c))
		return 0;
	if (!ref_match(&f->ref, c) || !phone_match(&f->phone, c->who.phone) ||
	    (f->name.n && !(c->who.name && strlist_has(&f->name,
	    c->who.name))) || !respondent_match(&f->respondent, c->respondent))
		return 0;
	return text_match(f, c);
}

/* ---- parsing the options ---------------------------------------------- */

/* Each value of a repeated option, an id or a label, resolved to the id
 * in place; an unknown value is refused (with the nearest ones) rather
 * than listing nothing. */
static int resolve_all(struct ctx *ctx, struct strlist *l, enum vocab v,
	const char *what)
{
	const char *id;
	size_t i;

	for (i = 0; i < l->n; i++) {
		/* a store without a staff list has no names to check */
		if (v == VOC_STAFF && !ctx->cfg.nstaff &&
		    plain_id_valid(l->v[i]))
			continue;
		if (vocab_resolve(&id, NULL, &ctx->cfg, VOCAB(v), what,
		    l->v[i], &ctx->d))
			return EXIT_USAGE;
		if (strcmp(id, l->v[i])) {
			free(l->v[i]);
			l->v[i] = xstrdup(id);
		}
	}
	return 0;
}

/* --status: ids or words, and "open" (未办结) for every open status. */
static int resolve_status(struct ctx *ctx, struct filter *f)
{
	struct strlist ids = STRLIST_INIT;
	size_t i;
	int ret = 0;

	for (i = 0; i < f->status.n; i++) {
		const char *s = f->status.v[i];

		if (!strcmp(s, "open") || !strcmp(s, "未办结") ||
		    !strcmp(s, C_("status filter", "open")))
			f->open = 1;
		else
			strlist_push(&ids, s);
	}
	if (!(ret = resolve_all(ctx, &ids, VOC_STATUS, "--status"))) {
		if (f->open)
			strlist_push(&ids, "open");
		strlist_release(&f->status);
		f->status = ids;
	} else {
		strlist_release(&ids);
	}
	return ret;
}

/* --assignee @me: the acting staff member. */
static void assignee_me(struct ctx *ctx, struct strlist *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], "@me") && ctx->actor) {
			free(l->v[i]);
			l->v[i] = xstrdup(ctx->actor);
		}
}

static int parse_time(struct ctx *ctx, const char *s, const char *what,
	int end_of_day, int *has, struct ts *out)
{
	if (!s)
		return 0;
	if (parse_when(ctx, s, end_of_day, out))
		/* TRANSLATORS: %1$s is an option (--since), %2$s what was
		   typed. */
		return usage_error(ctx, _("%1$s: '%2$s' is not a date like "
			"2026-11-01"), what, s);
	*has = 1;
	return 0;
}

static int parse_id(struct ctx *ctx, const char *s, const char *what)
{
	if (!s || case_id_valid(s))
		return 0;
	/* TRANSLATORS: %1$s is an option (--id-from), %2$s what was typed. */
	return usage_error(ctx, _("%1$s: '%2$s' is not a case id like "
		"2026-000123"), what, s);
}

/* Split each --text value into its words (blanks, also the ideographic
 * space U+3000, separate them). */
static int split_text(struct ctx *ctx, struct filter *f)
{
	size_t i;

	f->words = xcalloc(f->text.n + 1, sizeof(*f->words));
	for (i = 0; i < f->text.n; i++) {
		struct sb w = SB_INIT;
		const char *p = f->text.v[i];

		if (check_arg_text(ctx, "--text", p, LIM_SUBJECT, 0))
			return EXIT_USAGE;
		while (1) {
			int blank = *p == ' ' || *p == '\t' ||
				!strncmp(p, "\xe3\x80\x80", 3);

			if ((!*p || blank) && w.len) {
				strlist_push(&f->words[f->nwords], w.buf);
				sb_reset(&w);
			}
			if (!*p)
				break;
			if (blank)
				p += *p == ' ' || *p == '\t' ? 1 : 3;
			else
				sb_addc(&w, *p++);
		}
		sb_release(&w);
		if (f->words[f->nwords].n)
			f->nwords++;
	}
	return 0;
}

static int filter_parse(struct ctx *ctx, struct filter *f,
	const struct filter_args *a)
{
	struct duration d;
	int ret;

	assignee_me(ctx, &f->assignee);
	if ((ret = resolve_status(ctx, f)) ||
	    (ret = resolve_all(ctx, &f->kind, VOC_KIND, "--kind")) ||
	    (ret = resolve_all(ctx, &f->channel, VOC_CHANNEL, "--channel")) ||
	    (ret = resolve_all(ctx, &f->priority, VOC_PRIORITY,
	    "--priority")) ||
	    (ret = resolve_all(ctx, &f->category, VOC_CATEGORY,
	    "--category")) ||
	    (ret = resolve_all(ctx, &f->department, VOC_DEPARTMENT,
	    "--department")) ||
	    (ret = resolve_all(ctx, &f->assignee, VOC_STAFF, "--assignee")))
		return ret;
	if ((ret = parse_time(ctx, a->since, "--since", 0, &f->has_since,
	    &f->since)) ||
	    (ret = parse_time(ctx, a->until, "--until", 1, &f->has_until,
	    &f->until)) ||
	    (ret = parse_time(ctx, a->closed_since, "--closed-since", 0,
	    &f->has_csince, &f->csince)) ||
	    (ret = parse_time(ctx, a->closed_until, "--closed-until", 1,
	    &f->has_cuntil, &f->cuntil)) ||
	    (ret = parse_id(ctx, f->id_from, "--id-from")) ||
	    (ret = parse_id(ctx, f->id_to, "--id-to")))
		return ret;
	if (a->due_within) {
		if (duration_parse(&d, a->due_within))
			return usage_error(ctx, _("%1$s: '%2$s' is not a "
				"duration like 1wd, 2d or 8h"), "--due-within",
				a->due_within);
		f->has_within = 1;
		f->soon = cal_add(&ctx->cfg.cal, ctx->now, d);
	}
	return split_text(ctx, f);
}

static void filter_release(struct filter *f)
{
	size_t i;

	strlist_release(&f->status);
	strlist_release(&f->kind);
	strlist_release(&f->channel);
	strlist_release(&f->priority);
	strlist_release(&f->category);
	strlist_release(&f->department);
	strlist_release(&f->assignee);
	strlist_release(&f->phone);
	strlist_release(&f->name);
	strlist_release(&f->respondent);
	strlist_release(&f->text);
	strlist_release(&f->ref);
	for (i = 0; f->words && f->words[i].n; i++)
		strlist_release(&f->words[i]);
	free(f->words);
	memset(f, 0, sizeof(*f));
}

/* ---- the listing -------------------------------------------------------- */

enum sort_key { SK_RECEIVED, SK_DUE, SK_STATUS, SK_ID };

struct sort_by {
	enum sort_key key;
	int desc;
};

/* One kept case, held until every case was seen (to sort and limit). */
struct row {
	char id[CASE_ID_BUFSZ];
	struct ts recv, due;
	int has_due;
	int status;
	char *text;		/* table: escaped cells; csv/ids: the line */
	size_t width[NCOLS];
	json_t *obj;
};

struct listing {
	struct filter f;
	const char *format;
	struct sort_by sort[4];
	size_t nsort;
	long limit;		/* 0: no limit */
	int count;
	int bom;		/* --bom: csv starts with a byte order mark */
	struct row *rows;
	size_t nrows, arows;
	/* the words of each status and kind, translated once: asked for
	 * on every row, the catalog's look-up was a tenth of a listing */
	const char *status_word[ST__COUNT];
	const char *kind_word[KIND_REPORT + 1];
};

/* The earliest deadline not yet met, for the "next_due" column. */
static int next_due(const struct dcase *c, struct ts *out)
{
	int k, best = -1;

	if (!case_status_open(c->status))
		return 0;
	for (k = 0; k < DUE__COUNT; k++) {
		if (!(c->due.has & (1u << k)) ||
		    deadline_met(c, (enum due_kind)k))
			continue;
		if (best < 0 || ts_cmp(c->due.at[k], c->due.at[best]) < 0)
			best = k;
	}
	if (best >= 0)
		*out = c->due.at[best];
	return best >= 0;
}

/* One case's line, made on every core by line_of(). */
struct line {
	int keep;
	char id[CASE_ID_BUFSZ];	/* copied here, on every core */
	char recv[TS_BUFSZ], due[TS_BUFSZ];
	struct ts due_at;
	int has_due;
	struct sb text;		/* table: the escaped cells, NUL-ended */
	size_t width[NCOLS];
};

/* A case's cells: ids for scripts, or (labels set) what people read. */
static void cells_of(const char *cells[NCOLS], const struct config *cfg,
	const struct dcase *c, const struct line *ln,
	const struct listing *labels)
{
	cells[0] = c->id;
	cells[1] = case_status_name(c->status);
	cells[2] = case_kind_name(c->kind);
	cells[3] = ln->recv;
	cells[4] = c->channel;
	cells[5] = c->category;
	cells[6] = c->department;
	cells[7] = c->assignee;
	cells[8] = ln->due;
	cells[9] = c->subject;
	cells[10] = c->ref;
	if (!labels)
		return;
	cells[1] = labels->status_word[c->status];
	cells[2] = labels->kind_word[c->kind];
	cells[4] = vocab_label(cfg, VOC_CHANNEL, cells[4]);
	cells[5] = vocab_label(cfg, VOC_CATEGORY, cells[5]);
	cells[6] = vocab_label(cfg, VOC_DEPARTMENT, cells[6]);
	cells[7] = vocab_label(cfg, VOC_STAFF, cells[7]);
}

static void line_of(void *out, const struct ctx *ctx, const struct dcase *c,
	const void *arg)
{
	const struct listing *l = arg;
	struct line *ln = out;
	const char *cells[NCOLS];

	if (!filter_keep(&l->f, c, ctx->now))
		return;
	ln->keep = 1;
	/* a case's id is at most LIM_ID bytes (case_parse()) */
	memcpy(ln->id, c->id, strnlen(c->id, sizeof(ln->id) - 1));
	ts_format(ln->recv, c->received_at);
	ln->due[0] = '\0';
	if ((ln->has_due = next_due(c, &ln->due_at)))
		ts_format(ln->due, ln->due_at);
	if (!l->count && !strcmp(l->format, "table")) {
		cells_of(cells, &ctx->cfg, c, ln, l);
		sb_init(&ln->text);
		/* 255 bytes at once, room for most rows' eleven cells
		 * (sb_grow() would start at 64 and double) */
		sb_grow(&ln->text, 160);
		table_cells_escape(&ln->text, ln->width, cells, TABLE_COLS);
	}
}

static void line_release(void *out)
{
	struct line *ln = out;

	sb_release(&ln->text);
}

/* In path order: the row of a kept case. */
static int add_case(struct ctx *ctx, const char *path, struct dcase *c,
	void *out, void *data)
{
	struct listing *l = data;
	struct line *ln = out;
	const char *cells[NCOLS];
	struct row *r;
	struct sb s = SB_INIT;
	size_t i;

	(void)path;
	if (!ln->keep)
		return 0;
	GROW(l->rows, l->arows, l->nrows + 1);
	r = &l->rows[l->nrows++];
	memset(r, 0, sizeof(*r));
	memcpy(r->id, ln->id, sizeof(r->id));
	r->recv = c->received_at;
	r->due = ln->due_at;
	r->has_due = ln->has_due;
	r->status = (int)c->status;
	if (l->count)
		return 0;
	cells_of(cells, &ctx->cfg, c, ln, NULL);
	if (!strcmp(l->format, "ids")) {
		sb_adds(&s, c->id);
		sb_addc(&s, '\n');
	} else if (!strcmp(l->format, "csv")) {
		csv_row(&s, cells, NCOLS);
	} else if (!strcmp(l->format, "json")) {
		r->obj = json_object();
		for (i = 0; i < NCOLS; i++)
			json_object_set_new(r->obj, columns[i], cells[i] &&
				*cells[i] ? json_string(cells[i]) : json_null());
	} else {
		memcpy(r->width, ln->width, sizeof(r->width));
		r->text = sb_detach(&ln->text, NULL);
		return 0;
	}
	r->text = sb_detach(&s, NULL);
	return 0;
}

static void rows_release(struct listing *l)
{
	size_t i;

	for (i = 0; i < l->nrows; i++) {
		free(l->rows[i].text);
		json_decref(l->rows[i].obj);
	}
	free(l->rows);
	l->rows = NULL;
	l->nrows = l->arows = 0;
}

/* xqsort() has no context argument: the keys of the one sort running. */
static const struct listing *sorting;

static int cmp_key(const struct row *a, const struct row *b,
	enum sort_key k)
{
	switch (k) {
	case SK_RECEIVED:
		return ts_cmp(a->recv, b->recv);
	case SK_DUE:
		return a->has_due && b->has_due ? ts_cmp(a->due, b->due) : 0;
	case SK_STATUS:
		return (a->status > b->status) - (a->status < b->status);
	default:
		return strcmp(a->id, b->id);
	}
}

static int cmp_rows(const void *pa, const void *pb)
{
	const struct row *a = pa, *b = pb;
	size_t i;
	int c;

	for (i = 0; i < sorting->nsort; i++) {
		/* nothing due: last, in either direction */
		if (sorting->sort[i].key == SK_DUE &&
		    a->has_due != b->has_due)
			return a->has_due ? -1 : 1;
		c = cmp_key(a, b, sorting->sort[i].key);
		if (c)
			return sorting->sort[i].desc ? -c : c;
	}
	/* equal keys keep the store's order, ids ascending */
	return strcmp(a->id, b->id);
}

static int parse_sort(struct ctx *ctx, struct listing *l, const char *spec)
{
	static const char *const names[] = { "received", "due", "status",
		"id", NULL };
	char *copy, *tok, *save = NULL;
	size_t k;
	int ret = 0;

	if (!spec)
		return 0;
	copy = xstrdup(spec);
	for (tok = strtok_r(copy, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		int desc = *tok == '-';

		tok += desc || *tok == '+';
		for (k = 0; names[k] && strcmp(names[k], tok); k++)
			;
		if (!names[k] || l->nsort == 4) {
			ret = usage_error(ctx, _("--sort: unknown field '%s' "
				"(received, due, status, id; '-' before one "
				"sorts it descending)"), tok);
			break;
		}
		l->sort[l->nsort].key = (enum sort_key)k;
		l->sort[l->nsort++].desc = desc;
	}
	free(copy);
	return ret;
}

/* What a search by phone or name reads: the cases .git/docket-keys names
 * for the phones (else the names) asked for, sorted; -1 without keys
 * that can tell (the caller reads every case). */
static int indexed_paths(struct ctx *ctx, const struct filter *f,
	struct strlist *paths)
{
	struct repeats *r = repeats_open(store_root(ctx->store));
	const struct strlist *want = f->phone.n ? &f->phone : &f->name;
	enum repeats_key which = f->phone.n ? RK_PHONE : RK_NAME;
	char norm[80];
	size_t i;
	int ret = r ? 0 : -1;

	for (i = 0; !ret && i < want->n; i++) {
		ret = repeats_find(r, which, repeats_hash(r, which,
			want->v[i]), paths);
		if (ret || which != RK_PHONE)
			continue;
		phone_norm(norm, sizeof(norm), want->v[i]);
		if (*norm && strcmp(norm, want->v[i]))
			ret = repeats_find(r, which, repeats_hash(r, which,
				norm), paths);
	}
	repeats_close(r);
	strlist_sort(paths);
	return ret;
}

/* The cases of the keys, each read and filtered as a scan would. */
static int scan_paths(struct ctx *ctx, struct listing *l,
	const struct strlist *paths, size_t *skipped)
{
	struct sb buf = SB_INIT;
	struct diag bad = DIAG_INIT;
	struct dcase c;
	struct line ln;
	size_t i, j;
	int ret = 0;

	for (i = 0; i < paths->n && !ret; i++) {
		case_init(&c);
		sb_reset(&buf);
		if (store_read(&buf, ctx->store, paths->v[i], LIM_CASEFILE + 1,
		    &bad) == ERR_NOTFOUND) {
			/* removed from the work tree since: not a case */
			diag_release(&bad);
			continue;
		}
		if (bad.n || case_parse_shared(&c, buf.buf, buf.len,
		    paths->v[i], &bad)) {
			for (j = 0; j < bad.n; j++)
				inform(ctx, _("skipped %s"), bad.msg[j]);
			diag_release(&bad);
			(*skipped)++;
			case_release(&c);
			continue;
		}
		memset(&ln, 0, sizeof(ln));
		line_of(&ln, ctx, &c, l);
		ret = add_case(ctx, paths->v[i], &c, &ln, l);
		line_release(&ln);
		case_release(&c);
	}
	sb_release(&buf);
	return ret;
}

/* Rows of a table rendered per block and written at once: a list of
 * 100,000 cases is 19 MB of text, never held whole. */
#define EMIT_BLOCK 2048

static int emit_table(struct ctx *ctx, struct listing *l, size_t n,
	struct sb *out)
{
	const char *heads[NCOLS];
	size_t width[NCOLS], i;
	struct table table;
	int ret = 0;

	if (!n)
		return 0;
	table_init(&table, TABLE_COLS);
	headings(heads);
	table_row(&table, heads);
	for (i = 0; i < n; i++)
		table_row_escaped(&table, l->rows[i].text, l->rows[i].width);
	table_widths(&table, width);
	for (i = 0; i <= n && !ret; i += EMIT_BLOCK) {
		table_render_rows(out, &table, width, i, i + EMIT_BLOCK);
		ret = emit_stdout(ctx, out);
		sb_reset(out);
	}
	table_release(&table);
	return ret;
}

static int emit_rows(struct ctx *ctx, struct listing *l, struct sb *out)
{
	json_t *arr;
	size_t i, n = l->nrows;

	if (l->limit > 0 && (size_t)l->limit < n)
		n = (size_t)l->limit;
	if (l->count) {
		sb_addf(out, "%zu\n", n);
	} else if (!strcmp(l->format, "json")) {
		arr = json_array();
		for (i = 0; i < n; i++) {
			json_array_append(arr, l->rows[i].obj);
		}
		json_dump_sb(out, arr, 0);
		json_decref(arr);
	} else if (!strcmp(l->format, "table")) {
		return emit_table(ctx, l, n, out);
	} else {
		if (!strcmp(l->format, "csv")) {
			csv_begin(out, l->bom);
			csv_row(out, columns, NCOLS);
		}
		for (i = 0; i < n; i++)
			sb_adds(out, l->rows[i].text);
	}
	return emit_stdout(ctx, out);
}

static int run_listing(struct ctx *ctx, struct listing *l, size_t *skipped)
{
	struct scan_map lines = { sizeof(struct line), line_of, line_release,
		l };
	struct strlist paths = STRLIST_INIT;
	int ret, i;

	for (i = 0; i < ST__COUNT; i++)
		l->status_word[i] = vocab_label(&ctx->cfg, VOC_STATUS,
			case_status_name((enum case_status)i));
	for (i = 0; i <= KIND_REPORT; i++)
		l->kind_word[i] = vocab_label(&ctx->cfg, VOC_KIND,
			case_kind_name((enum case_kind)i));
	if ((l->f.phone.n || l->f.name.n) &&
	    !indexed_paths(ctx, &l->f, &paths))
		ret = scan_paths(ctx, l, &paths, skipped);
	else
		ret = scan_cases_map(ctx, &lines, add_case, l, skipped);
	strlist_release(&paths);
	if (!ret && l->nsort) {
		sorting = l;
		xqsort(l->rows, l->nrows, sizeof(*l->rows), cmp_rows);
		sorting = NULL;
	}
	return ret;
}

/* "no view 'X' in docket.yaml", with the nearest views. */
static int unknown_view(struct ctx *ctx, const char *name)
{
	struct suggest sg;
	struct sb near = SB_INIT;
	size_t i;
	int ret;

	suggest_init(&sg, name);
	for (i = 0; i < ctx->cfg.nviews; i++)
		suggest_add(&sg, ctx->cfg.views[i].name, NULL);
	for (i = 0; i < sg.n; i++) {
		sb_adds(&near, i ? ", @" : "@");
		sb_adds(&near, sg.word[i]);
	}
	if (sg.n)
		/* TRANSLATORS: %1$s is the view asked for, %2$s the views
		   nearest to it, "@逾期, @我的待办". */
		ret = usage_error(ctx, _("no view '%1$s' in 'views' of "
			"docket.yaml; the nearest: %2$s"), name, near.buf);
	else
		ret = usage_error(ctx, _("no view '%s': docket.yaml has no "
			"'views'"), name);
	sb_release(&near);
	return ret;
}

/*
 * `list @NAME` or `list --view NAME`: the view's options from docket.yaml
 * first, then the rest of the command line, which may add filters.
 * *out gets the command line to parse.
 */
/* 1 if a is "--NAME" of an option that takes a value ("--assignee"). */
static int takes_value(const struct opt *opts, const char *a)
{
	const struct opt *o;

	if (strncmp(a, "--", 2) || strchr(a, '='))
		return 0;
	o = find_option(opts, a + 2);
	return o && o->type != OPT_FLAG;
}

static int expand_view(struct ctx *ctx, const struct opt *opts, int argc,
	char **argv, struct strlist *out)
{
	const struct view *v;
	const char *name = NULL;
	int i, at = argc, skip = 0;
	size_t j;

	for (i = 1; i < argc && !name; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		if (argv[i][0] == '@' && argv[i][1] &&
		    !takes_value(opts, argv[i - 1]))
			name = argv[i] + 1, skip = 1;
		else if (!strcmp(argv[i], "--view") && i + 1 < argc)
			name = argv[i + 1], skip = 2;
		else if (!strncmp(argv[i], "--view=", 7))
			name = argv[i] + 7, skip = 1;
		at = i;
	}
	strlist_push(out, argv[0]);
	if (name) {
		if (!(v = config_view(&ctx->cfg, name)))
			return unknown_view(ctx, name);
		for (j = 0; j < v->nargs; j++)
			strlist_push(out, v->args[j]);
	}
	for (i = 1; i < argc; i++)
		if (!name || i < at || i >= at + skip)
			strlist_push(out, argv[i]);
	return 0;
}

int cmd_list(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct listing l;
	struct filter_args fa;
	struct sb out = SB_INIT;
	const char *sort = NULL, *limit = NULL, *view = NULL;
	struct strlist line = STRLIST_INIT;
	size_t skipped = 0;
	char *end;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("@VIEW"), NULL },
		{ NULL, OPT_OPERAND, NULL, N_("FILTER"), NULL, OPT_MANY },
		{ "view", OPT_STR, &view, N_("NAME"),
		  N_("the options of this view of docket.yaml (also @NAME)"), OPT_HIDE },
		{ "status", OPT_LIST, &l.f.status, N_("STATUS"),
		  N_("only cases in this status, id or word (or 'open')"), OPT_HIDE },
		{ "kind", OPT_LIST, &l.f.kind, N_("KIND"),
		  N_("only complaints or reports"), OPT_HIDE },
		{ "channel", OPT_LIST, &l.f.channel, N_("CHANNEL"),
		  N_("only cases that came this way, id or label"), OPT_HIDE },
		{ "priority", OPT_LIST, &l.f.priority, N_("PRIORITY"),
		  N_("only cases of this priority, id or label"), OPT_HIDE },
		{ "category", OPT_LIST, &l.f.category, N_("ID"),
		  N_("only this category (id or label) and those below it"), OPT_HIDE },
		{ "department", OPT_LIST, &l.f.department, N_("DEPT"),
		  N_("only cases routed to this department, id or label"), OPT_HIDE },
		{ "assignee", OPT_LIST, &l.f.assignee, N_("STAFF"),
		  N_("only cases assigned to this staff member, id or name "
		     "(@me: you)"), OPT_HIDE },
		{ "phone", OPT_LIST, &l.f.phone, N_("PHONE"),
		  N_("only cases of a complainant with this phone"), OPT_HIDE },
		{ "name", OPT_LIST, &l.f.name, N_("NAME"),
		  N_("only cases of a complainant of this name"), OPT_HIDE },
		{ "respondent", OPT_LIST, &l.f.respondent, N_("TEXT"),
		  N_("only cases against a party whose name contains TEXT"), OPT_HIDE },
		{ "text", OPT_LIST, &l.f.text, N_("WORDS"),
		  N_("only cases whose subject, description, request or notes "
		     "contain every word"), OPT_HIDE },
		{ "ref", OPT_LIST, &l.f.ref, N_("REF"),
		  N_("only cases with this outside work-order number"), OPT_HIDE },
		{ "id-from", OPT_STR, &l.f.id_from, N_("ID"),
		  N_("only cases with this id or a later one"), OPT_HIDE },
		{ "id-to", OPT_STR, &l.f.id_to, N_("ID"),
		  N_("only cases with this id or an earlier one"), OPT_HIDE },
		{ "since", OPT_STR, &fa.since, N_("DATE"),
		  N_("only cases received on or after DATE"), OPT_HIDE },
		{ "until", OPT_STR, &fa.until, N_("DATE"),
		  N_("only cases received on or before DATE"), OPT_HIDE },
		{ "closed-since", OPT_STR, &fa.closed_since, N_("DATE"),
		  N_("only cases closed or rejected on or after DATE"), OPT_HIDE },
		{ "closed-until", OPT_STR, &fa.closed_until, N_("DATE"),
		  N_("only cases closed or rejected on or before DATE"), OPT_HIDE },
		{ "overdue", OPT_FLAG, &l.f.overdue, NULL,
		  N_("only open cases past a deadline not yet met"), OPT_HIDE },
		{ "due-within", OPT_STR, &fa.due_within, N_("DURATION"),
		  N_("only open cases with a deadline not yet met within "
		     "DURATION from now (1wd, 5d, 8h)"), OPT_HIDE },
		{ "stopped", OPT_FLAG, &l.f.stopped, NULL,
		  N_("only cases whose clock is stopped (pending-info, "
		     "on-hold)"), OPT_HIDE },
		{ "collective", OPT_FLAG, &l.f.collective, NULL,
		  N_("only group complaints"), OPT_HIDE },
		{ "awaiting-feedback", OPT_FLAG, &l.f.awaiting_feedback, NULL,
		  N_("only closed cases with no return visit recorded yet"), OPT_HIDE },
		{ "sort", OPT_STR, &sort, N_("FIELD[,FIELD]"),
		  N_("order by received, due, status or id ('-' before a "
		     "field: descending)") },
		{ "limit", OPT_STR, &limit, N_("NUMBER"),
		  N_("only the first NUMBER cases") },
		{ "count", OPT_FLAG, &l.count, NULL,
		  N_("print only how many cases match") },
		{ "format", OPT_STR, &l.format, N_("table|json|csv|ids"),
		  N_("output format (default table)") },
		{ "bom", OPT_FLAG, &l.bom, NULL,
		  N_("start the CSV with a UTF-8 byte order mark, for Excel") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	memset(&l, 0, sizeof(l));
	memset(&fa, 0, sizeof(fa));
	l.format = "table";
	if ((ret = expand_view(ctx, opts, argc, argv, &line)))
		goto out;
	if ((pr = parse_options(ctx, opts, (int)line.n, line.v, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (args.n) {
		ret = usage_error(ctx, _("unexpected argument '%s'"), args.v[0]);
		goto out;
	}
	if (strcmp(l.format, "table") && strcmp(l.format, "json") &&
	    strcmp(l.format, "csv") && strcmp(l.format, "ids")) {
		ret = usage_error(ctx, _("unknown format '%s' (table, json, csv, "
			"ids)"), l.format);
		goto out;
	}
	if (l.bom && strcmp(l.format, "csv")) {
		ret = usage_error(ctx, _("--bom goes with --format csv"));
		goto out;
	}
	if (limit && ((l.limit = strtol(limit, &end, 10)) <= 0 || *end)) {
		ret = usage_error(ctx, _("--limit: '%s' is not a number of "
			"cases"), limit);
		goto out;
	}
	if ((ret = parse_sort(ctx, &l, sort)) ||
	    (ret = filter_parse(ctx, &l.f, &fa)) ||
	    (ret = run_listing(ctx, &l, &skipped)))
		goto out;
	ret = emit_rows(ctx, &l, &out);
	if (!ret && skipped)
		ret = fail_skipped(ctx, skipped, NULL);
out:
	rows_release(&l);
	filter_release(&l.f);
	sb_release(&out);
	strlist_release(&args);
	strlist_release(&line);
	return ret;
}
