/*
 * labels.c - ids for files and scripts, labels for people: show one,
 * and find the id behind what a person typed.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "case.h"
#include "intl.h"
#include "labels.h"
#include "suggest.h"

/* One value of a vocabulary: its id and up to two labels people use. */
struct entry {
	enum vocab v;
	const char *id;
	const char *label;	/* docket.yaml's label, a name, a word */
	const char *alt;	/* a category's path of labels, the Chinese
				 * word of a fixed id, or NULL */
};

/*
 * The words a Chinese office uses for the fixed vocabularies, taken as
 * input whatever language docket speaks (a clerk types 较满意 in a shell
 * whose LANG is C).  They are the zh_CN catalog's words for these ids;
 * tests/unit/test_labels.c holds the two together.
 */
const struct vocab_word vocab_zh_words[] = {
	{ VOC_STATUS, "received", "已登记" },
	{ VOC_STATUS, "pending-info", "待补充材料" },
	{ VOC_STATUS, "accepted", "已受理" },
	{ VOC_STATUS, "assigned", "已交办" },
	{ VOC_STATUS, "on-hold", "已中止" },
	{ VOC_STATUS, "closed", "已办结" },
	{ VOC_STATUS, "rejected", "不予受理" },
	{ VOC_OUTCOME, "resolved", "已解决" },
	{ VOC_OUTCOME, "mediated", "调解成功" },
	{ VOC_OUTCOME, "mediation-failed", "调解不成" },
	{ VOC_OUTCOME, "referred", "已移送有权机关" },
	{ VOC_OUTCOME, "unfounded", "反映不实" },
	{ VOC_OUTCOME, "withdrawn", "投诉人撤回" },
	{ VOC_OUTCOME, "merged", "已并单" },
	{ VOC_OUTCOME, "rejected", "不予受理" },
	{ VOC_SATISFACTION, "satisfied", "满意" },
	{ VOC_SATISFACTION, "fairly-satisfied", "较满意" },
	{ VOC_SATISFACTION, "neutral", "一般" },
	{ VOC_SATISFACTION, "dissatisfied", "不满意" },
	{ VOC_SATISFACTION, "unreachable", "无法联系" },
	{ VOC_KIND, "complaint", "投诉" },
	{ VOC_KIND, "report", "举报" },
	{ VOC__COUNT, NULL, NULL }
};

static const char *zh_word(enum vocab v, const char *id)
{
	const struct vocab_word *w;

	for (w = vocab_zh_words; w->id; w++)
		if (w->v == v && !strcmp(w->id, id))
			return w->zh;
	return NULL;
}

/* The fixed vocabularies: one lookup per call (a list of 100,000 cases
 * asks for every row), the id when the catalog has no word for it. */
static const char *status_word(const char *id)
{
	if (!strcmp(id, "received"))
		return C_("status", "received");
	if (!strcmp(id, "pending-info"))
		return C_("status", "pending-info");
	if (!strcmp(id, "accepted"))
		return C_("status", "accepted");
	if (!strcmp(id, "assigned"))
		return C_("status", "assigned");
	if (!strcmp(id, "on-hold"))
		return C_("status", "on-hold");
	if (!strcmp(id, "closed"))
		return C_("status", "closed");
	if (!strcmp(id, "rejected"))
		return C_("status", "rejected");
	return id;
}

static const char *outcome_word(const char *id)
{
	if (!strcmp(id, "resolved"))
		return C_("outcome", "resolved");
	if (!strcmp(id, "mediated"))
		return C_("outcome", "mediated");
	if (!strcmp(id, "mediation-failed"))
		return C_("outcome", "mediation-failed");
	if (!strcmp(id, "referred"))
		return C_("outcome", "referred");
	if (!strcmp(id, "unfounded"))
		return C_("outcome", "unfounded");
	if (!strcmp(id, "withdrawn"))
		return C_("outcome", "withdrawn");
	if (!strcmp(id, "merged"))
		return C_("outcome", "merged");
	if (!strcmp(id, "rejected"))
		return C_("outcome", "rejected");
	return id;
}

static const char *satisfaction_word(const char *id)
{
	if (!strcmp(id, "satisfied"))
		return C_("satisfaction", "satisfied");
	if (!strcmp(id, "fairly-satisfied"))
		return C_("satisfaction", "fairly-satisfied");
	if (!strcmp(id, "neutral"))
		return C_("satisfaction", "neutral");
	if (!strcmp(id, "dissatisfied"))
		return C_("satisfaction", "dissatisfied");
	if (!strcmp(id, "unreachable"))
		return C_("satisfaction", "unreachable");
	return id;
}

static const char *kind_word(const char *id)
{
	if (!strcmp(id, "complaint"))
		return C_("kind", "complaint");
	if (!strcmp(id, "report"))
		return C_("kind", "report");
	return id;
}

static const char *labelled_label(const struct labelled *v, size_t n,
	const char *id)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i].id, id))
			return v[i].label ? v[i].label : id;
	return id;
}

const char *vocab_label(const struct config *cfg, enum vocab v,
	const char *id)
{
	const struct department *d;
	const struct category *c;
	const struct staff *st;

	if (!id)
		return NULL;
	switch (v) {
	case VOC_CHANNEL:
		return labelled_label(cfg->channels, cfg->nchannels, id);
	case VOC_PRIORITY:
		return labelled_label(cfg->priorities, cfg->npriorities, id);
	case VOC_REJECT_REASON:
		return labelled_label(cfg->reject_reasons,
			cfg->nreject_reasons, id);
	case VOC_DEPARTMENT:
		d = config_department(cfg, id);
		return d && d->label ? d->label : id;
	case VOC_CATEGORY:
		c = config_category(cfg, id);
		return c && c->label_path ? c->label_path : id;
	case VOC_STAFF:
		st = config_staff(cfg, id);
		return st && st->name ? st->name : id;
	case VOC_OUTCOME:
		return outcome_word(id);
	case VOC_SATISFACTION:
		return satisfaction_word(id);
	case VOC_STATUS:
		return status_word(id);
	case VOC_KIND:
		return kind_word(id);
	default:
		return id;
	}
}

const char *vocab_noun(enum vocab v)
{
	switch (v) {
	case VOC_CHANNEL:
		return _("channel");
	case VOC_PRIORITY:
		return _("priority");
	case VOC_DEPARTMENT:
		return _("department");
	case VOC_CATEGORY:
		return _("category");
	case VOC_STAFF:
		return _("staff member");
	case VOC_REJECT_REASON:
		return _("reject reason");
	case VOC_OUTCOME:
		return _("outcome");
	case VOC_SATISFACTION:
		return _("satisfaction level");
	case VOC_STATUS:
		return _("status");
	case VOC_KIND:
		return _("kind");
	default:
		return "?";
	}
}

void vocab_describe(struct sb *out, const struct config *cfg, enum vocab v,
	const char *id)
{
	const char *label = vocab_label(cfg, v, id);

	if (!label || !strcmp(label, id))
		sb_adds(out, id);
	else
		/* TRANSLATORS: an id and its label: "qian.hao (钱浩)". */
		sb_addf(out, _("%s (%s)"), id, label);
}

void vocab_show(struct sb *out, const struct config *cfg, enum vocab v,
	const char *id)
{
	const char *label = vocab_label(cfg, v, id);

	if (!label || !strcmp(label, id))
		sb_adds(out, id);
	else
		/* TRANSLATORS: a label and its id, for people who also type
		   the id: "钱浩 (qian.hao)". */
		sb_addf(out, _("%s (%s)"), label, id);
}

const char *due_label(enum due_kind k)
{
	switch (k) {
	case DUE_ACK:
		return C_("deadline", "ack");
	case DUE_FEEDBACK:
		return C_("deadline", "feedback");
	case DUE_RESOLVE:
		return C_("deadline", "resolve");
	case DUE_VISIT:
		return C_("deadline", "visit");
	case DUE_DECIDE:
		return C_("deadline", "decide");
	default:
		return "?";
	}
}

/* ---- the values of the vocabularies in a mask ---- */

struct entries {
	struct entry *v;
	size_t n, alloc;
};

static void push(struct entries *e, enum vocab v, const char *id,
	const char *label, const char *alt)
{
	GROW(e->v, e->alloc, e->n + 1);
	e->v[e->n].v = v;
	e->v[e->n].id = id;
	e->v[e->n].label = label;
	e->v[e->n].alt = alt;
	e->n++;
}

static void push_labelled(struct entries *e, enum vocab v,
	const struct labelled *l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		push(e, v, l[i].id, l[i].label, NULL);
}

static void push_fixed(struct entries *e, const struct config *cfg,
	enum vocab v, const char *const *ids, size_t n)
{
	size_t i;

	for (i = 0; (n ? i < n : ids[i] != NULL); i++)
		push(e, v, ids[i], vocab_label(cfg, v, ids[i]),
			zh_word(v, ids[i]));
}

static void collect(struct entries *e, const struct config *cfg,
	unsigned mask)
{
	size_t i;

	if (mask & VOCAB(VOC_CHANNEL))
		push_labelled(e, VOC_CHANNEL, cfg->channels, cfg->nchannels);
	if (mask & VOCAB(VOC_PRIORITY))
		push_labelled(e, VOC_PRIORITY, cfg->priorities,
			cfg->npriorities);
	if (mask & VOCAB(VOC_REJECT_REASON))
		push_labelled(e, VOC_REJECT_REASON, cfg->reject_reasons,
			cfg->nreject_reasons);
	if (mask & VOCAB(VOC_STAFF))
		for (i = 0; i < cfg->nstaff; i++)
			push(e, VOC_STAFF, cfg->staff[i].id,
				cfg->staff[i].name, NULL);
	if (mask & VOCAB(VOC_DEPARTMENT))
		for (i = 0; i < cfg->ndepartments; i++)
			push(e, VOC_DEPARTMENT, cfg->departments[i].id,
				cfg->departments[i].label, NULL);
	if (mask & VOCAB(VOC_CATEGORY))
		for (i = 0; i < cfg->ncategories; i++)
			push(e, VOC_CATEGORY, cfg->categories[i].id,
				cfg->categories[i].label,
				cfg->categories[i].label_path);
	if (mask & VOCAB(VOC_OUTCOME))
		push_fixed(e, cfg, VOC_OUTCOME, case_outcomes, 0);
	if (mask & VOCAB(VOC_SATISFACTION))
		push_fixed(e, cfg, VOC_SATISFACTION, case_satisfactions, 0);
	if (mask & VOCAB(VOC_STATUS))
		push_fixed(e, cfg, VOC_STATUS, case_statuses, ST__COUNT);
	if (mask & VOCAB(VOC_KIND))
		push_fixed(e, cfg, VOC_KIND, case_kinds, 0);
}

static int same(const char *a, const char *b)
{
	return a && (!strcmp(a, b) || !strcasecmp(a, b));
}

/* Indices of the entries whose id (pass 0) or label (pass 1) is input. */
static size_t matches(size_t *out, const struct entries *e,
	const char *input, int pass)
{
	size_t i, n = 0;

	for (i = 0; i < e->n; i++) {
		const struct entry *x = &e->v[i];

		if (pass == 0 ? same(x->id, input) :
		    same(x->label, input) || same(x->alt, input))
			out[n++] = i;
	}
	return n;
}

/* "staff member or department" for the vocabularies in mask. */
static void nouns(struct sb *out, unsigned mask)
{
	int v, n = 0;

	for (v = 0; v < VOC__COUNT; v++) {
		if (!(mask & VOCAB(v)))
			continue;
		/* TRANSLATORS: between two kinds of value: "staff member
		   or department". */
		sb_addf(out, "%s%s", n++ ? _(" or ") : "",
			vocab_noun((enum vocab)v));
	}
}

static void describe_entry(struct sb *out, const struct entry *x)
{
	/* a category by its path of labels, a fixed id by the word of
	 * the language spoken */
	const char *label = x->v == VOC_CATEGORY && x->alt ? x->alt : x->label;

	if ((!label || !strcmp(label, x->id)) && x->alt)
		label = x->alt;

	if (!label || !strcmp(label, x->id))
		sb_adds(out, x->id);
	else
		sb_addf(out, _("%s (%s)"), x->id, label);
}

static void join_entries(struct sb *out, const struct entries *e,
	const size_t *idx, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		/* TRANSLATORS: between the items of a list. */
		if (i)
			sb_adds(out, _(", "));
		describe_entry(out, &e->v[idx[i]]);
	}
}

static int ambiguous(const struct entries *e, const size_t *idx, size_t n,
	const char *what, const char *input, struct diag *d)
{
	struct sb list = SB_INIT;
	int ret;

	join_entries(&list, e, idx, n);
	/* TRANSLATORS: %1$s is an option ("--to"), %2$s what was typed,
	   %3$s the values it fits: "zhao.lei (赵磊), zhao.lei2 (赵磊)". */
	ret = diag_add(d, ERR_INVALID, _("%1$s: '%2$s' could be %3$s; give "
		"the id"), what, input, list.buf);
	sb_release(&list);
	return ret;
}

/* Few enough values to list them all when none is near. */
#define LIST_ALL 8

/*
 * An unknown value: the values close enough to be what was meant, else
 * all of them when they are few, else the nearest few -- never nothing
 * to go on.
 */
static int unknown(const struct entries *e, unsigned mask, const char *what,
	const char *input, struct diag *d)
{
	struct sb list = SB_INIT, kinds = SB_INIT;
	struct suggest sg, close;
	size_t i, n, idx[LIST_ALL > SUGGEST_MAX ? LIST_ALL : SUGGEST_MAX];
	int ret;

	nouns(&kinds, mask);
	suggest_init(&sg, input);
	for (i = 0; i < e->n; i++) {
		suggest_add(&sg, e->v[i].id, &e->v[i]);
		suggest_add(&sg, e->v[i].label, &e->v[i]);
		suggest_add(&sg, e->v[i].alt, &e->v[i]);
	}
	close = sg;
	suggest_close_only(&close);
	if (!close.n && e->n <= LIST_ALL) {
		for (i = 0; i < e->n; i++)
			idx[i] = i;
		join_entries(&list, e, idx, e->n);
		/* TRANSLATORS: %1$s is an option ("--outcome"), %2$s a kind
		   of value ("outcome"), %3$s what was typed, %4$s every
		   value there is. */
		ret = diag_add(d, ERR_NOTFOUND, e->n ? _("%1$s: unknown %2$s "
			"'%3$s'; it is one of: %4$s") : _("%1$s: unknown %2$s "
			"'%3$s'; docket.yaml lists none%4$s"), what, kinds.buf,
			input, list.buf);
		goto out;
	}
	if (close.n)
		sg = close;
	for (n = 0; n < sg.n; n++)
		idx[n] = (size_t)((const struct entry *)sg.item[n] - e->v);
	join_entries(&list, e, idx, n);
	/* TRANSLATORS: %1$s is an option ("--assignee"), %2$s a kind of
	   value ("staff member"), %3$s what was typed, %4$s the values
	   nearest to it. */
	ret = diag_add(d, ERR_NOTFOUND, _("%1$s: unknown %2$s '%3$s'; the "
		"nearest: %4$s"), what, kinds.buf, input, list.buf);
out:
	sb_release(&kinds);
	sb_release(&list);
	return ret;
}

/*
 * The id behind input: ids first (an id is what scripts give, and never
 * changes meaning when someone adds a label), then labels.
 */
static int resolve(const char **out, enum vocab *out_v,
	const struct config *cfg, unsigned mask, const char *what,
	const char *input, int quiet, struct diag *d)
{
	struct entries e = { NULL, 0, 0 };
	size_t *idx = NULL, n = 0;
	int pass, ret = ERR_NOTFOUND;

	collect(&e, cfg, mask);
	idx = xcalloc(e.n + 1, sizeof(*idx));
	for (pass = 0; pass < 2 && !n; pass++)
		n = matches(idx, &e, input, pass);
	if (n == 1) {
		*out = e.v[idx[0]].id;
		if (out_v)
			*out_v = e.v[idx[0]].v;
		ret = 0;
	} else if (n > 1) {
		ret = ambiguous(&e, idx, n, what, input, d);
	} else if (!quiet) {
		ret = unknown(&e, mask, what, input, d);
	}
	free(idx);
	free(e.v);
	return ret;
}

int vocab_resolve(const char **out, enum vocab *out_v,
	const struct config *cfg, unsigned mask, const char *what,
	const char *input, struct diag *d)
{
	return resolve(out, out_v, cfg, mask, what, input, 0, d);
}

int vocab_lookup(const char **out, enum vocab *out_v,
	const struct config *cfg, unsigned mask, const char *what,
	const char *input, struct diag *d)
{
	return resolve(out, out_v, cfg, mask, what, input, 1, d);
}
