/*
 * report.c - the figures of DESIGN section 8 for a period [from, to),
 * from case journals as they stood at `to`.
 *
 * A case is first replayed up to `to` (report_fact), which is the only
 * place that looks at events; everything after works on the small facts
 * that replay leaves, so a store is read once and a report over 100,000
 * cases holds only the few thousand facts that matter to the period.
 */
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "report.h"

const char *const report_dim_names[RDIM__COUNT] = {
	"department", "category", "channel", "respondent", "assignee",
	"kind", "priority", "site", "outcome"
};

int report_dim_parse(enum report_dim *out, const char *s)
{
	int i;

	for (i = 0; i < RDIM_BY_COUNT; i++) {
		if (!strcmp(s, report_dim_names[i])) {
			*out = (enum report_dim)i;
			return 0;
		}
	}
	return ERR_INVALID;
}

/* ---- a case as it stood at an instant -------------------------------- */

static int is_decision(const struct event *e, const char *decision)
{
	const char *d;

	if (!str_is(e->action, "triage"))
		return 0;
	d = event_get(e, "decision");
	return d && (!decision || !strcmp(d, decision));
}

/* A closing: close, or merge on the duplicate (the one merged `into`
 * another); the merge recorded on the other case closes nothing. */
static int is_closing(const struct event *e)
{
	return str_is(e->action, "close") ||
		(str_is(e->action, "merge") && event_get(e, "into"));
}

static int is_action(const struct event *e, const char *action)
{
	return str_is(e->action, action);
}

/* What replaying a case's first n events gives. */
struct state {
	enum case_status status;
	const char *category;
	const char *priority;
	const char *department;
	const char *assignee;
	long closing;		/* the closing that stands, or -1 */
};

static enum case_status next_status(enum case_status st,
	const struct event *e)
{
	if (is_action(e, "file"))
		return ST_RECEIVED;
	if (is_decision(e, "accept") || is_action(e, "return"))
		return ST_ACCEPTED;
	if (is_decision(e, "need-info"))
		return ST_PENDING_INFO;
	if (is_decision(e, "reject"))
		return ST_REJECTED;
	if (is_action(e, "assign") || is_action(e, "resume") ||
	    is_action(e, "reopen"))
		return ST_ASSIGNED;
	if (is_action(e, "hold"))
		return ST_ON_HOLD;
	if (is_closing(e))
		return ST_CLOSED;
	if (st == ST_PENDING_INFO && is_action(e, "note") &&
	    event_get(e, "info_received"))
		return ST_RECEIVED;
	return st;
}

/*
 * Replay the first n events.  A value no event ever set (a category given
 * at filing, a department written by hand) is the file's; a value that
 * events set, but only after the first n, was not known yet (NULL, or the
 * default priority).
 */
static void replay(struct state *st, const struct config *cfg,
	const struct dcase *c, size_t n)
{
	int cat = 0, prio = 0, route = 0;
	const char *v;
	size_t i;

	for (i = 0; i < c->nevents; i++) {
		const struct event *e = &c->events[i];

		if (is_action(e, "triage")) {
			cat |= event_get(e, "category") != NULL;
			prio |= event_get(e, "priority") != NULL;
		}
		route |= is_action(e, "assign") || is_action(e, "return");
	}
	st->status = ST_RECEIVED;
	st->category = cat ? NULL : c->category;
	st->priority = prio ? cfg->default_priority : c->priority;
	st->department = route ? NULL : c->department;
	st->assignee = route ? NULL : c->assignee;
	st->closing = -1;
	for (i = 0; i < n; i++) {
		const struct event *e = &c->events[i];

		st->status = next_status(st->status, e);
		if (is_action(e, "triage")) {
			if ((v = event_get(e, "category")))
				st->category = v;
			if ((v = event_get(e, "priority")))
				st->priority = v;
		} else if (is_action(e, "assign")) {
			if ((v = event_get(e, "department")))
				st->department = v;
			st->assignee = event_get(e, "to");
		} else if (is_action(e, "return")) {
			st->department = NULL;
			st->assignee = NULL;
		}
		if (is_closing(e))
			st->closing = (long)i;
		else if (is_action(e, "reopen"))
			st->closing = -1;
	}
}

/* c as it stood after its first n events, sharing c's memory: only the
 * event count, the replayed fields and the recomputed deadlines differ.
 * Never released. */
static void view_at(struct dcase *v, const struct config *cfg,
	const struct dcase *c, size_t n, const struct state *st)
{
	*v = *c;
	v->nevents = n;
	v->status = st->status;
	v->category = (char *)st->category;
	v->priority = (char *)st->priority;
	v->department = (char *)st->department;
	v->assignee = (char *)st->assignee;
	memset(&v->due, 0, sizeof(v->due));
	deadline_recompute(cfg, v);
}

/*
 * The deadlines after the first n events.  One met by then keeps the
 * value the file froze when it was met, if the file's journal still has
 * it met by the same event; otherwise (the case was reopened later, or
 * the file has no value) it is recomputed from the events before the one
 * that met it.  One not met is recomputed from the n events.
 */
static void due_at(struct due *out, struct dcase *vn,
	const struct config *cfg, const struct dcase *c, size_t n,
	const struct state *st)
{
	struct dcase v;
	struct state sm;
	struct ts tn, tall;
	size_t m;
	int k;

	view_at(vn, cfg, c, n, st);
	*out = vn->due;
	for (k = 0; k < DUE__COUNT; k++) {
		unsigned bit = 1u << k;

		if (deadline_met_at(vn, (enum due_kind)k, &tn))
			continue;
		if ((c->due.has & bit) &&
		    !deadline_met_at(c, (enum due_kind)k, &tall) &&
		    !ts_cmp(tn, tall)) {
			out->at[k] = c->due.at[k];
			out->has |= bit;
			continue;
		}
		for (m = 0; m < n && ts_cmp(c->events[m].at, tn) < 0; m++)
			;
		replay(&sm, cfg, c, m);
		view_at(&v, cfg, c, m, &sm);
		out->at[k] = v.due.at[k];
		out->has = (out->has & ~bit) | (v.due.has & bit);
	}
	vn->due = *out;
}

static int sat_index(const char *s)
{
	int i;

	for (i = 0; s && case_satisfactions[i]; i++)
		if (!strcmp(s, case_satisfactions[i]))
			return i;
	return -1;
}

/* Working days in (received day, closed day] less the stopped ones. */
static int handling_days(const struct config *cfg, const struct dcase *v,
	struct ts closed)
{
	const struct calendar *cal = &cfg->cal;
	struct stop *stops = NULL;
	size_t n, i;
	int days;

	days = cal_workdays_between(cal, cal_local_date(cal, v->received_at),
		cal_local_date(cal, closed));
	n = case_stops(v, &stops);
	for (i = 0; i < n; i++)
		if (!stops[i].open)
			days -= cal_workdays_between(cal,
				cal_local_date(cal, stops[i].from),
				cal_local_date(cal, stops[i].to));
	free(stops);
	return days < 0 ? 0 : days;
}

/* The level of a closed case: its closing's, then each later return
 * visit's (feedback before a reopening belongs to the old closing). */
static int closing_satisfaction(const struct dcase *c, size_t n, long closing)
{
	const char *s = event_get(&c->events[closing], "satisfaction");
	const char *f;
	size_t i;

	for (i = (size_t)closing + 1; i < n; i++)
		if (is_action(&c->events[i], "feedback") &&
		    (f = event_get(&c->events[i], "satisfaction")))
			s = f;
	return sat_index(s);
}

static int has_repeat_of(const struct dcase *c, size_t n)
{
	const struct event_field *f;
	size_t i;

	for (i = 0; i < n; i++) {
		if (!is_action(&c->events[i], "file"))
			continue;
		f = event_field(&c->events[i], "repeat_of");
		return f && (f->is_list ? f->nlist > 0 : f->val && *f->val);
	}
	return 0;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void report_fact_keys(struct report_fact *out,
	const char *const key[RDIM__COUNT])
{
	size_t len = 1, n;
	char *p;
	int d;

	for (d = 0; d < RDIM__COUNT; d++)
		if (key[d])
			len += strlen(key[d]) + 1;
	p = out->keys = xmalloc(len);
	for (d = 0; d < RDIM__COUNT; d++) {
		out->key[d] = NULL;
		if (!key[d])
			continue;
		n = strlen(key[d]) + 1;
		out->key[d] = memcpy(p, key[d], n);
		p += n;
	}
}

/* The first answer (feedback) met in the period, and on time. */
static void feedback_flags(struct report_fact *out, const struct dcase *vn,
	const struct due *due, struct ts from)
{
	struct ts t;

	if (!(due->has & (1u << DUE_FEEDBACK)) ||
	    deadline_met_at(vn, DUE_FEEDBACK, &t) || ts_cmp(t, from) < 0)
		return;
	out->flags |= RF_FEEDBACK;
	if (ts_cmp(t, due->at[DUE_FEEDBACK]) <= 0)
		out->flags |= RF_FEEDBACK_ON_TIME;
}

/* The return visit (回访) a case closed in the period owes: done before
 * `to`, and by its deadline when it has one.  A merged duplicate is
 * visited with the case it went into; a withdrawn one owes none. */
static void visit_flags(struct report_fact *out, const struct dcase *vn,
	const struct due *due, const struct event *closing)
{
	const char *oc = event_get(closing, "outcome");
	struct ts t;

	if (!(out->flags & RF_CLOSED) || !strcmp(closing->action, "merge") ||
	    (oc && !strcmp(oc, "withdrawn")))
		return;
	out->flags |= RF_VISIT_OWED;
	if (deadline_met_at(vn, DUE_VISIT, &t))
		return;
	out->flags |= RF_VISITED;
	if (!(due->has & (1u << DUE_VISIT)))
		return;
	out->flags |= RF_VISIT_TIMED;
	if (ts_cmp(t, due->at[DUE_VISIT]) <= 0)
		out->flags |= RF_VISIT_ON_TIME;
}

/*
 * The answers of outside bodies (refer --due) that fell due in the
 * period: an answer that came in it counts, on time when by its due date;
 * one still missing counts, late, in the period its due date fell in.
 * Only the first n events (those before `to`) are looked at.
 */
static void referral_counts(struct report_fact *out, const struct dcase *c,
	size_t n, struct ts from, struct ts to)
{
	struct dcase before = *c;
	struct referral *v = NULL;
	size_t nref, i;

	before.nevents = n;
	nref = case_referrals(&before, &v);
	for (i = 0; i < nref; i++) {
		if (!v[i].has_due)
			continue;
		if (v[i].answered) {
			if (ts_cmp(v[i].answered_at, from) < 0)
				continue;
			out->ref_n++;
			out->ref_on_time += ts_cmp(v[i].answered_at,
				v[i].due) <= 0;
		} else if (ts_cmp(v[i].due, from) >= 0 &&
		    ts_cmp(v[i].due, to) < 0) {
			out->ref_n++;
		}
	}
	free(v);
}

/* The deadline figures: ack decision, resolve, overdue. */
static void deadline_flags(struct report_fact *out, const struct dcase *vn,
	const struct due *due, struct ts from, struct ts to, long closing)
{
	struct ts t;

	if (!deadline_met_at(vn, DUE_ACK, &t) && ts_cmp(t, from) >= 0 &&
	    (due->has & (1u << DUE_ACK))) {
		out->flags |= RF_DECIDED;
		if (ts_cmp(t, due->at[DUE_ACK]) <= 0)
			out->flags |= RF_DECIDED_ON_TIME;
	}
	if ((out->flags & RF_CLOSED) && (due->has & (1u << DUE_RESOLVE))) {
		out->flags |= RF_RESOLVE;
		if (ts_cmp(vn->events[closing].at, due->at[DUE_RESOLVE]) <= 0)
			out->flags |= RF_RESOLVE_ON_TIME;
	}
	/* vn holds these deadlines and the status at `to`: a stopped
	 * clock is not overdue, as remind and list --overdue agree. */
	if ((out->flags & RF_OPEN) && deadline_overdue(vn, to))
		out->flags |= RF_OVERDUE;
}

/*
 * 1 if c was received and had every event before from, the last that
 * sets its status closing or rejecting it: such a case adds nothing to a
 * period that starts at from (what report_fact() would find after a
 * replay), and most cases of a store kept for years are such.
 */
static int settled_before(const struct dcase *c, struct ts from)
{
	const struct event *e;
	size_t i;

	if (!c->nevents || ts_cmp(c->received_at, from) >= 0)
		return 0;
	for (i = 0; i < c->nevents; i++)
		if (ts_cmp(c->events[i].at, from) >= 0)
			return 0;
	for (i = c->nevents; i-- > 0;) {
		e = &c->events[i];
		/* the actions that leave the status as it is */
		if (is_action(e, "feedback") || is_action(e, "remind"))
			continue;
		return is_closing(e) || is_decision(e, "reject");
	}
	return 0;
}

int report_fact(struct report_fact *out, const struct config *cfg,
	const struct dcase *c, struct ts from, struct ts to)
{
	const char *key[RDIM__COUNT];
	const struct site *site;
	struct state st;
	struct dcase vn;
	struct due due;
	size_t n = 0, i;
	int decided = 0, first = 1;

	memset(out, 0, sizeof(*out));
	out->satisfaction = -1;
	/* Not in the store yet at `to`: received or registered after it. */
	if (ts_cmp(c->received_at, to) >= 0 || settled_before(c, from))
		return 0;
	while (n < c->nevents && ts_cmp(c->events[n].at, to) < 0)
		n++;
	if (c->nevents && !n)
		return 0;
	replay(&st, cfg, c, n);
	if (ts_cmp(c->received_at, from) >= 0)
		out->flags |= RF_RECEIVED;
	if (case_status_open(st.status))
		out->flags |= RF_OPEN;
	if (st.status == ST_CLOSED && st.closing >= 0 &&
	    ts_cmp(c->events[st.closing].at, from) >= 0)
		out->flags |= RF_CLOSED;
	for (i = 0; i < n; i++) {
		const struct event *e = &c->events[i];
		int in = ts_cmp(e->at, from) >= 0;

		if (is_decision(e, NULL) && first) {
			decided = in;
			first = 0;
		}
		if (!in)
			continue;
		out->accepted += is_decision(e, "accept");
		out->rejected += is_decision(e, "reject");
		out->reopened += is_action(e, "reopen");
		out->referred += is_action(e, "refer");
	}
	referral_counts(out, c, n, from, to);
	if (!out->flags && !decided && !out->accepted && !out->rejected &&
	    !out->reopened && !out->referred && !out->ref_n)
		return 0;

	due_at(&due, &vn, cfg, c, n, &st);
	deadline_flags(out, &vn, &due, from, to, st.closing);
	feedback_flags(out, &vn, &due, from);
	if (st.closing >= 0)
		visit_flags(out, &vn, &due, &c->events[st.closing]);
	if ((out->flags & RF_RECEIVED) &&
	    case_is_collective(c, cfg->collective_threshold)) {
		out->flags |= RF_COLLECTIVE;
		out->people = c->who.count;
	}
	if ((out->flags & RF_RECEIVED) && has_repeat_of(c, n))
		out->flags |= RF_REPEAT;
	memset(key, 0, sizeof(key));
	if (out->flags & RF_CLOSED) {
		const struct event *e = &c->events[st.closing];

		out->handling_days = handling_days(cfg, &vn, e->at);
		out->satisfaction = closing_satisfaction(c, n, st.closing);
		key[RDIM_OUTCOME] = is_action(e, "merge") ? "merged" :
			event_get(e, "outcome");
		if (key[RDIM_OUTCOME] && !*key[RDIM_OUTCOME])
			key[RDIM_OUTCOME] = NULL;
	}
	key[RDIM_DEPARTMENT] = st.department;
	key[RDIM_CATEGORY] = st.category;
	key[RDIM_CHANNEL] = c->channel;
	key[RDIM_RESPONDENT] = c->respondent;
	key[RDIM_ASSIGNEE] = st.assignee;
	key[RDIM_KIND] = case_kind_name(c->kind);
	key[RDIM_PRIORITY] = st.priority;
	/* the office that filed it: the site whose prefix its id carries */
	site = config_site_of_id(cfg, c->id);
	key[RDIM_SITE] = site ? site->id : NULL;
	report_fact_keys(out, key);
	return 1;
}

void report_fact_release(struct report_fact *f)
{
	int i;

	if (!f)
		return;
	for (i = 0; i < RDIM__COUNT; i++)
		f->key[i] = NULL;
	free(f->keys);
	f->keys = NULL;
}

void report_facts_free(struct report_fact *v, size_t n)
{
	size_t i;

	for (i = 0; v && i < n; i++)
		report_fact_release(&v[i]);
	free(v);
}

/* ---- adding facts up ------------------------------------------------- */

struct acc {
	struct report_stats st;
	int *days;
	size_t ndays;
	size_t alloc;
};

static void acc_add(struct acc *a, const struct report_fact *f)
{
	struct report_stats *s = &a->st;
	unsigned fl = f->flags;

	s->received += !!(fl & RF_RECEIVED);
	s->accepted += f->accepted;
	s->rejected += f->rejected;
	s->reopened += f->reopened;
	s->open_at_end += !!(fl & RF_OPEN);
	s->overdue_at_end += !!(fl & RF_OVERDUE);
	s->repeats += !!(fl & RF_REPEAT);
	s->ack_n += !!(fl & RF_DECIDED);
	s->ack_on_time += !!(fl & RF_DECIDED_ON_TIME);
	s->resolve_n += !!(fl & RF_RESOLVE);
	s->resolve_on_time += !!(fl & RF_RESOLVE_ON_TIME);
	s->feedback_n += !!(fl & RF_FEEDBACK);
	s->feedback_on_time += !!(fl & RF_FEEDBACK_ON_TIME);
	s->visit_owed += !!(fl & RF_VISIT_OWED);
	s->visited += !!(fl & RF_VISITED);
	s->visit_timed += !!(fl & RF_VISIT_TIMED);
	s->visit_on_time += !!(fl & RF_VISIT_ON_TIME);
	s->referred += f->referred;
	s->ref_n += f->ref_n;
	s->ref_on_time += f->ref_on_time;
	if (fl & RF_COLLECTIVE) {
		s->collective++;
		s->people += f->people;
	}
	if (!(fl & RF_CLOSED))
		return;
	s->closed++;
	if (f->satisfaction >= 0 && f->satisfaction < SAT_LEVELS)
		s->sat[f->satisfaction]++;
	GROW(a->days, a->alloc, a->ndays + 1);
	a->days[a->ndays++] = f->handling_days;
}

static int cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/* median, mean and p90 of the handling days; frees the list. */
static void acc_finish(struct acc *a, struct report_stats *out)
{
	long n = (long)a->ndays, sum = 0, i;

	if (n) {
		xqsort(a->days, a->ndays, sizeof(*a->days), cmp_int);
		for (i = 0; i < n; i++)
			sum += a->days[i];
		a->st.median2 = n % 2 ? 2L * a->days[n / 2] :
			(long)a->days[n / 2 - 1] + a->days[n / 2];
		a->st.mean10 = (sum * 20 + n) / (2 * n);
		a->st.p90 = a->days[(9 * n + 9) / 10 - 1];
	}
	a->st.nhandled = n;
	*out = a->st;
	free(a->days);
	memset(a, 0, sizeof(*a));
}

void report_sum(struct report_stats *out, const struct report_fact *f,
	size_t n)
{
	struct acc a;
	size_t i;

	memset(&a, 0, sizeof(a));
	for (i = 0; i < n; i++)
		acc_add(&a, &f[i]);
	acc_finish(&a, out);
}

int report_rate(double *out, long ok, long n)
{
	*out = 0;
	if (n <= 0)
		return ERR_NOTFOUND;
	*out = (double)ok / (double)n;
	return 0;
}

int report_sat_rate(double *out, const struct report_stats *s)
{
	return report_rate(out, s->sat[0] + s->sat[1],
		s->sat[0] + s->sat[1] + s->sat[2] + s->sat[3]);
}

/* Byte order, NULL last. */
static int cmp_key(const char *a, const char *b)
{
	if (!a || !b)
		return !a - !b;
	return strcmp(a, b);
}

/* One group being added up: its key and its accumulator. */
struct pending_group {
	const char *key;
	struct acc a;
};

static int cmp_pending(const void *pa, const void *pb)
{
	const struct pending_group *a = pa, *b = pb;

	return cmp_key(a->key, b->key);
}

/*
 * Facts added up per key, the groups in key order.  Keys are found in a
 * hash table as the facts come (a report groups 100,000 facts five ways;
 * sorting them each time was a fifth of the report).
 */
size_t report_group(struct report_group **out, const struct report_fact *f,
	size_t n, enum report_dim dim)
{
	struct pending_group *pg = NULL;
	struct report_group *g = NULL;
	size_t *slot, size = 16, mask, ng = 0, alloc = 0, i, k;
	const char *key;

	while (size < 2 * n + 16)
		size <<= 1;
	mask = size - 1;
	slot = xcalloc(size, sizeof(*slot));	/* group + 1, 0 empty */
	for (i = 0; i < n; i++) {
		key = f[i].key[dim];
		k = (key ? fnv1a(FNV_INIT, key) : 0) & mask;
		while (slot[k] && cmp_key(pg[slot[k] - 1].key, key))
			k = (k + 1) & mask;
		if (!slot[k]) {
			GROW(pg, alloc, ng + 1);
			memset(&pg[ng], 0, sizeof(pg[ng]));
			pg[ng].key = key;
			slot[k] = ++ng;
		}
		acc_add(&pg[slot[k] - 1].a, &f[i]);
	}
	if (ng)
		xqsort(pg, ng, sizeof(*pg), cmp_pending);
	g = ng ? xcalloc(ng, sizeof(*g)) : NULL;
	for (i = 0; i < ng; i++) {
		g[i].key = dup_or_null(pg[i].key);
		acc_finish(&pg[i].a, &g[i].st);
	}
	free(pg);
	free(slot);
	*out = g;
	return ng;
}

void report_groups_free(struct report_group *g, size_t n)
{
	size_t i;

	for (i = 0; g && i < n; i++)
		free(g[i].key);
	free(g);
}

/* ---- the whole report ------------------------------------------------ */

static const struct report_group *find_group(const struct report_group *g,
	size_t n, const char *key)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!cmp_key(g[i].key, key))
			return &g[i];
	return NULL;
}

static void count_push(struct report_count **v, size_t *n, size_t *alloc,
	const char *key, long count)
{
	GROW(*v, *alloc, *n + 1);
	(*v)[*n].key = dup_or_null(key);
	(*v)[*n].n = count;
	(*n)++;
}

static long group_count(const struct report_group *g, enum report_dim dim)
{
	return dim == RDIM_OUTCOME ? g->st.closed : g->st.received;
}

/*
 * Counts per value of dim: the values in `known` first (zeros kept),
 * then every other value with a count, in group order.
 */
static void counts(struct report *r, enum report_dim dim,
	const struct report_fact *f, size_t n, const char *const *known,
	size_t nknown)
{
	struct report_group *g = NULL;
	const struct report_group *hit;
	size_t ng, i, j, alloc = 0;

	ng = report_group(&g, f, n, dim);
	for (i = 0; i < nknown; i++) {
		hit = find_group(g, ng, known[i]);
		count_push(&r->by[dim], &r->nby[dim], &alloc, known[i],
			hit ? group_count(hit, dim) : 0);
	}
	for (i = 0; i < ng; i++) {
		for (j = 0; j < nknown && cmp_key(g[i].key, known[j]); j++)
			;
		if (j == nknown && group_count(&g[i], dim) > 0)
			count_push(&r->by[dim], &r->nby[dim], &alloc,
				g[i].key, group_count(&g[i], dim));
	}
	report_groups_free(g, ng);
}

static int cmp_top(const void *pa, const void *pb)
{
	const struct report_count *a = pa, *b = pb;

	if (a->n != b->n)
		return a->n > b->n ? -1 : 1;
	return cmp_key(a->key, b->key);
}

static void top_respondents(struct report *r, const struct report_fact *f,
	size_t n)
{
	struct report_group *g = NULL;
	struct report_count *v = NULL;
	size_t ng, nv = 0, alloc = 0, i;

	ng = report_group(&g, f, n, RDIM_RESPONDENT);
	for (i = 0; i < ng; i++)
		if (g[i].key && g[i].st.received > 0)
			count_push(&v, &nv, &alloc, g[i].key, g[i].st.received);
	report_groups_free(g, ng);
	if (nv)
		xqsort(v, nv, sizeof(*v), cmp_top);
	for (i = REPORT_TOP; i < nv; i++)
		free(v[i].key);
	r->top = v;
	r->ntop = nv < REPORT_TOP ? nv : REPORT_TOP;
}

static void departments(struct report *r, const struct config *cfg,
	const struct report_fact *f, size_t n)
{
	struct report_group *g = NULL;
	const struct report_group *hit;
	size_t ng, i, alloc = 0;

	ng = report_group(&g, f, n, RDIM_DEPARTMENT);
	for (i = 0; i < cfg->ndepartments; i++) {
		const char *id = cfg->departments[i].id;

		GROW(r->departments, alloc, r->ndepartments + 1);
		memset(&r->departments[r->ndepartments], 0,
			sizeof(*r->departments));
		r->departments[r->ndepartments].key = xstrdup(id);
		if ((hit = find_group(g, ng, id)))
			r->departments[r->ndepartments].st = hit->st;
		r->ndepartments++;
	}
	for (i = 0; i < ng; i++) {
		if (!g[i].key || config_department(cfg, g[i].key))
			continue;
		GROW(r->departments, alloc, r->ndepartments + 1);
		r->departments[r->ndepartments] = g[i];
		g[i].key = NULL;	/* moved */
		r->ndepartments++;
	}
	report_groups_free(g, ng);
}

void report_build(struct report *out, const struct config *cfg,
	const struct report_fact *f, size_t n, struct date from,
	struct date to)
{
	const char **known = NULL;
	size_t i, nk = 0;

	memset(out, 0, sizeof(*out));
	out->from = from;
	out->to = to;
	report_sum(&out->st, f, n);

	known = xcalloc(cfg->nchannels + 8, sizeof(*known));
	for (i = 0; i < cfg->nchannels; i++)
		known[i] = cfg->channels[i].id;
	counts(out, RDIM_CHANNEL, f, n, known, cfg->nchannels);
	counts(out, RDIM_KIND, f, n, case_kinds, 2);
	counts(out, RDIM_CATEGORY, f, n, NULL, 0);
	for (i = 0; case_outcomes[i]; i++)
		if (strcmp(case_outcomes[i], "rejected"))
			known[nk++] = case_outcomes[i];
	counts(out, RDIM_OUTCOME, f, n, known, nk);
	free(known);
	top_respondents(out, f, n);
	departments(out, cfg, f, n);
}

void report_release(struct report *r)
{
	size_t i;
	int d;

	if (!r)
		return;
	for (d = 0; d < RDIM__COUNT; d++) {
		for (i = 0; i < r->nby[d]; i++)
			free(r->by[d][i].key);
		free(r->by[d]);
	}
	for (i = 0; i < r->ntop; i++)
		free(r->top[i].key);
	free(r->top);
	report_groups_free(r->departments, r->ndepartments);
	memset(r, 0, sizeof(*r));
}

/* ---- periods --------------------------------------------------------- */

static struct date month_add(struct date d, int months)
{
	int m = d.y * 12 + (d.m - 1) + months;

	d.y = m / 12;
	d.m = m % 12 + 1;
	d.d = 1;
	return d;
}

void report_month(struct date d, struct date *from, struct date *to)
{
	d.d = 1;
	*from = d;
	*to = month_add(d, 1);
}

void report_previous(struct date from, struct date to, struct date *pfrom,
	struct date *pto)
{
	int64_t days;
	int months;

	*pto = from;
	if (from.d == 1 && to.d == 1) {
		months = (to.y * 12 + to.m) - (from.y * 12 + from.m);
		*pfrom = month_add(from, -months);
		return;
	}
	days = date_to_days(to) - date_to_days(from);
	*pfrom = date_add_days(from, -(int)days);
}
