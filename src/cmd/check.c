/*
 * check.c - `docket check [--repair]`: validate docket.yaml and every
 * case; check that each file, its history and git agree.  Every problem
 * is reported (FILE:LINE:COLUMN where there is one); exit 1 if any.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "codec.h"
#include "deadline.h"

struct checker {
	size_t cases;
	size_t problems;
	int repair;
	size_t restored;
	struct case_actions actions;	/* the history's, by id and action */
	struct strlist years;	/* deadline years missing from the calendar */
	struct head_cases *head;	/* the last commit's case files */
	size_t next_head;	/* HEAD's files up to here are checked */
	struct strlist ids;	/* "ID\tPATH" of every case read */
};

static void problem(struct ctx *ctx, struct checker *k, const char *msg)
{
	diag_add(&ctx->d, ERR_INVALID, "%s", msg);
	k->problems++;
}

/* The file name and folder must be the ones derived from the id. */
static void check_path(struct ctx *ctx, struct checker *k, const char *path,
	const struct dcase *c)
{
	char want[CASE_PATH_BUFSZ];
	struct sb msg = SB_INIT;

	if (case_path(want, c->id) || strcmp(want, path)) {
		sb_addf(&msg, _("%s: holds case '%s', whose file should be "
			"%s"), path, c->id, want);
		problem(ctx, k, msg.buf);
	}
	sb_release(&msg);
}

/* The history's (action, count) pairs of one id: [*first, *first + n). */
static size_t actions_of(const struct checker *k, const char *id,
	size_t *first)
{
	const struct case_action *v = k->actions.v;
	size_t lo = 0, hi = k->actions.n, mid, n = 0;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(v[mid].id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*first = lo;
	while (lo + n < k->actions.n && !strcmp(v[lo + n].id, id))
		n++;
	return n;
}

/*
 * Each action is one commit with a "Case:" trailer and one event (remind
 * runs may add several events in one commit, so they are not counted).
 */
static void check_history(struct ctx *ctx, struct checker *k,
	const char *path, const struct dcase *c)
{
	struct sb msg = SB_INIT;
	size_t first = 0, n, i, j, commits, events;
	const char *fmt;
	int imported;

	/* Only actions docket committed are held against the events: cases
	 * imported or edited with plain git have events without trailers. */
	n = actions_of(k, c->id, &first);
	for (i = 0, imported = 1; i < n; i++)
		if (!strcmp(k->actions.v[first + i].action, "file"))
			imported = 0;
	for (i = 0; i < n; i++) {
		const char *a = k->actions.v[first + i].action;

		/* remind and sync commits may touch many cases at once */
		if (!strcmp(a, "remind") || !strcmp(a, "sync"))
			continue;
		commits = k->actions.v[first + i].count;
		for (events = 0, j = 0; j < c->nevents; j++)
			events += !strcmp(c->events[j].action, a);
		/* a case docket did not file (imported with its events by
		 * one plain commit) had events before its first action */
		if (commits == events || (imported && commits < events))
			continue;
		/* TRANSLATORS: two counts, so two pairs of sentences: the
		   first pair for one commit, the second for several; each
		   pair's forms follow the number of events. */
		if (commits == 1)
			fmt = Q_("%s: history has %zu '%s' commit but the "
				"file has %zu '%s' event",
				"%s: history has %zu '%s' commit but the "
				"file has %zu '%s' events", events);
		else
			fmt = Q_("%s: history has %zu '%s' commits but the "
				"file has %zu '%s' event",
				"%s: history has %zu '%s' commits but the "
				"file has %zu '%s' events", events);
		sb_reset(&msg);
		sb_addf(&msg, fmt, path, commits, a, events, a);
		problem(ctx, k, msg.buf);
	}
	for (j = 0; j < c->nevents; j++)
		if (!strcmp(c->events[j].action, "sync") &&
		    event_get(&c->events[j], "decided_twice"))
			warn(ctx, _("%s: case %s was decided at two sites "
				"before they synced; a supervisor should confirm "
				"its outcome"), path, c->id);
	if (c->nevents && strcmp(c->events[0].action, "file")) {
		sb_reset(&msg);
		sb_addf(&msg, _("%s: the first event is '%s', not 'file'"),
			path, c->events[0].action);
		problem(ctx, k, msg.buf);
	}
	sb_release(&msg);
}

/*
 * The status the events lead to, replayed as the commands set it: what
 * a hand edit of `status:` that the events do not back contradicts
 * (closed set back to assigned, say).  *either: a reopen, after which
 * both accepted and assigned are right.  Actions docket does not know
 * leave the status as it is.
 */
static enum case_status replay_status(const struct dcase *c, int *either)
{
	enum case_status st = ST_RECEIVED;
	const char *v;
	size_t i;

	*either = 0;
	for (i = 0; i < c->nevents; i++) {
		const struct event *e = &c->events[i];
		enum case_status was = st;

		if (!strcmp(e->action, "triage") &&
		    (v = event_get(e, "decision")) != NULL)
			st = !strcmp(v, "accept") ? ST_ACCEPTED :
				!strcmp(v, "reject") ? ST_REJECTED :
				!strcmp(v, "need-info") ? ST_PENDING_INFO : st;
		else if (!strcmp(e->action, "assign") ||
		    !strcmp(e->action, "resume"))
			st = ST_ASSIGNED;
		else if (!strcmp(e->action, "return"))
			st = ST_ACCEPTED;
		else if (!strcmp(e->action, "hold"))
			st = ST_ON_HOLD;
		else if (!strcmp(e->action, "close") ||
		    (!strcmp(e->action, "merge") && event_get(e, "into")))
			st = ST_CLOSED;
		else if (!strcmp(e->action, "reopen"))
			st = ST_ASSIGNED;
		else if (!strcmp(e->action, "note") &&
		    event_get(e, "info_received"))
			st = ST_RECEIVED;
		if (st != was)
			*either = !strcmp(e->action, "reopen");
	}
	return st;
}

/* The satisfaction the events give a closed case: the last close's, or
 * a later feedback's.  0 when they say nothing (reopened, never closed). */
static int replay_satisfaction(const struct dcase *c, const char **out)
{
	int known = 0;
	size_t i;

	*out = NULL;
	for (i = 0; i < c->nevents; i++) {
		const struct event *e = &c->events[i];

		if (!strcmp(e->action, "close") ||
		    !strcmp(e->action, "feedback")) {
			*out = event_get(e, "satisfaction");
			known = 1;
		} else if (!strcmp(e->action, "reopen")) {
			*out = NULL;
			known = 0;
		}
	}
	return known;
}

/*
 * The file against its own events, as the history recorded them: the
 * status and satisfaction they lead to, and their order in time.  A
 * committed hand edit that contradicts them is a problem, named.
 */
static void check_replay(struct ctx *ctx, struct checker *k,
	const char *path, const struct dcase *c)
{
	struct sb msg = SB_INIT;
	enum case_status want;
	const char *sat;
	char a[TS_BUFSZ], b[TS_BUFSZ];
	size_t i;
	int either;

	if (!c->nevents || strcmp(c->events[0].action, "file"))
		return;
	want = replay_status(c, &either);
	if (c->status != want && !(either && c->status == ST_ACCEPTED)) {
		sb_addf(&msg, _("%s: status is '%s' but its events lead to "
			"'%s': changed by hand?"), path,
			case_statuses[c->status], case_statuses[want]);
		problem(ctx, k, msg.buf);
	}
	if (c->status == ST_CLOSED && replay_satisfaction(c, &sat) &&
	    (!sat != !c->closure.satisfaction ||
	    (sat && strcmp(sat, c->closure.satisfaction)))) {
		sb_reset(&msg);
		sb_addf(&msg, _("%s: satisfaction is '%s' but its last close "
			"or feedback event says '%s': changed by hand?"), path,
			c->closure.satisfaction ? c->closure.satisfaction :
			"", sat ? sat : "");
		problem(ctx, k, msg.buf);
	}
	for (i = 1; i < c->nevents; i++) {
		if (c->events[i].at.t >= c->events[i - 1].at.t)
			continue;
		ts_format(a, c->events[i].at);
		ts_format(b, c->events[i - 1].at);
		sb_reset(&msg);
		/* TRANSLATORS: event %zu ('ACTION' at TIME) is earlier than
		   the event before it (TIME) */
		sb_addf(&msg, _("%s: event %zu ('%s' at %s) is earlier than "
			"the event before it (%s): events out of time order"),
			path, i + 1, c->events[i].action, a, b);
		problem(ctx, k, msg.buf);
	}
	sb_release(&msg);
}

/* Every case id once: a case copied into a second folder (or into a
 * second name) is two files for one case, which `list` counts once. */
static void check_duplicates(struct ctx *ctx, struct checker *k)
{
	struct sb msg = SB_INIT;
	size_t i, len;
	const char *p, *q;

	strlist_sort(&k->ids);
	for (i = 1; i < k->ids.n; i++) {
		p = k->ids.v[i - 1];
		q = k->ids.v[i];
		len = strcspn(p, "\t");
		if (strncmp(p, q, len) || q[len] != '\t')
			continue;
		sb_reset(&msg);
		sb_addf(&msg, _("case %.*s is in more than one file: %s and "
			"%s"), (int)len, p, p + len + 1, q + len + 1);
		problem(ctx, k, msg.buf);
	}
	sb_release(&msg);
}

/*
 * git's index against the last commit: an interrupted action (a bulk
 * intake killed half-way) or staged changes to case files that `git
 * commit -a` would commit are problems, not "0 problems".
 */
static void check_index(struct ctx *ctx, struct checker *k)
{
	struct diag d = DIAG_INIT;
	size_t i;

	if (store_check_index(ctx->store, &d))
		for (i = 0; i < d.n; i++)
			problem(ctx, k, d.msg[i]);
	diag_release(&d);
}

/* With --repair, put back a file that HEAD has and the work tree lost. */
static int try_restore(struct ctx *ctx, struct checker *k, const char *path)
{
	struct diag d = DIAG_INIT;
	int ret;

	if (!k->repair || !store_exists_head(ctx->store, path))
		return ERR_NOTFOUND;
	ret = store_restore(ctx->store, path, &d);
	if (!ret) {
		inform(ctx, _("restored %s from the last commit"), path);
		k->restored++;
	}
	diag_release(&d);
	return ret;
}

/* Read a store file, putting it back first when --repair may. */
static int read_restoring(struct ctx *ctx, struct checker *k, struct sb *buf,
	const char *path)
{
	struct diag d = DIAG_INIT;
	int r;

	r = store_read(buf, ctx->store, path, 1u << 30, &d);
	if (r == ERR_NOTFOUND && !try_restore(ctx, k, path)) {
		diag_clear(&d);
		r = store_read(buf, ctx->store, path, 1u << 30, &d);
	}
	diag_release(&d);
	return r;
}

/* Each attached file is there and still has the checksum recorded. */
static void check_attachments(struct ctx *ctx, struct checker *k,
	const char *path, const struct dcase *c)
{
	struct sb buf = SB_INIT, msg = SB_INIT;
	char hex[65];
	size_t i;

	for (i = 0; i < c->natt; i++) {
		sb_reset(&buf);
		sb_reset(&msg);
		if (read_restoring(ctx, k, &buf, c->att[i].path)) {
			sb_addf(&msg, _("%s: attachment %s is missing"), path,
				c->att[i].path);
			problem(ctx, k, msg.buf);
			continue;
		}
		sha256_hex(buf.buf, buf.len, hex);
		if (strcmp(hex, c->att[i].sha256)) {
			sb_addf(&msg, _("%s: attachment %s does not match its "
				"recorded sha256 (changed since it was filed)"),
				path, c->att[i].path);
			problem(ctx, k, msg.buf);
		}
	}
	sb_release(&msg);
	sb_release(&buf);
}

static void check_years(struct ctx *ctx, struct checker *k,
	const struct dcase *c)
{
	char y[16];
	int i;

	if (!case_status_open(c->status))
		return;
	for (i = 0; i < DUE__COUNT; i++) {
		struct date d;

		if (!(c->due.has & (1u << i)))
			continue;
		d = cal_local_date(&ctx->cfg.cal, c->due.at[i]);
		snprintf(y, sizeof(y), "%d", d.y);
		if (!cal_year_known(&ctx->cfg.cal, d.y) &&
		    !strlist_has(&k->years, y))
			strlist_push(&k->years, y);
	}
}

/* The checks of a case that parsed. */
static void check_case(struct ctx *ctx, struct checker *k, const char *path,
	const struct dcase *c, struct diag *d)
{
	struct sb idpath = SB_INIT;

	sb_addf(&idpath, "%s\t%s", c->id, path);
	strlist_push_nodup(&k->ids, sb_detach(&idpath, NULL));
	check_path(ctx, k, path, c);
	case_check_config(c, &ctx->cfg, path, d);
	check_history(ctx, k, path, c);
	check_replay(ctx, k, path, c);
	check_attachments(ctx, k, path, c);
	check_years(ctx, k, c);
}

static void report_problems(struct ctx *ctx, struct checker *k,
	struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		problem(ctx, k, d->msg[i]);
}

/* A case file git does not track: often one a plain commit deleted
 * while the file stayed (mend.c), which --repair records again. */
static void not_committed(struct diag *d, const char *path)
{
	diag_add(d, ERR_CONFLICT, _("%s: not committed; if a plain git "
		"commit deleted it while the file stayed, `docket check "
		"--repair` records it again, else `git add` and commit it"),
		path);
}

/* A file the scan could not read: missing (restored with --repair) or
 * unreadable; read it the plain way for the messages. */
static void check_unread(struct ctx *ctx, struct checker *k, const char *path)
{
	struct diag d = DIAG_INIT;
	struct sb buf = SB_INIT;
	struct dcase c;
	int r;

	k->cases++;
	r = store_read(&buf, ctx->store, path, LIM_CASEFILE + 1, &d);
	if (r == ERR_NOTFOUND) {
		diag_clear(&d);
		if (!try_restore(ctx, k, path))
			r = store_read(&buf, ctx->store, path,
				LIM_CASEFILE + 1, &d);
	}
	if (!r && !head_cases_has(k->head, path))
		not_committed(&d, path);
	else if (!r || r == ERR_NOTFOUND)
		store_check_clean(ctx->store, path, &d);
	if (!r && !case_parse(&c, buf.buf, buf.len, path, &d)) {
		check_case(ctx, k, path, &c, &d);
		case_release(&c);
	}
	report_problems(ctx, k, &d);
	diag_release(&d);
	sb_release(&buf);
}

/* HEAD's case files before path that the scan did not list (removed
 * from git's index and the work tree): missing files. */
static void check_head_before(struct ctx *ctx, struct checker *k,
	const char *path)
{
	const struct strlist *hp = head_cases_paths(k->head);
	int c;

	while (k->next_head < hp->n) {
		c = path ? strcmp(hp->v[k->next_head], path) : -1;
		if (c > 0)
			break;
		if (c < 0)
			check_unread(ctx, k, hp->v[k->next_head]);
		k->next_head++;
	}
}

/* scan_every_file callback: one case file, in path order. */
static int check_one(struct ctx *ctx, const char *path, struct dcase *c,
	const struct scan_info *info, void *data)
{
	struct checker *k = data;
	struct diag d = DIAG_INIT;
	size_t i;

	check_head_before(ctx, k, path);
	if (!info->oid) {
		check_unread(ctx, k, path);
		return 0;
	}
	k->cases++;
	if (!head_cases_has(k->head, path))
		not_committed(&d, path);
	else
		store_check_clean_id(k->head, path, info->oid, &d);
	if (c)
		check_case(ctx, k, path, c, &d);
	for (i = 0; !c && i < info->bad->n; i++)
		diag_add(&d, ERR_INVALID, "%s", info->bad->msg[i]);
	report_problems(ctx, k, &d);
	diag_release(&d);
	return 0;
}

/* --repair: case files a plain git commit deleted while their files
 * stayed are recorded again, index entries a git command lost staged
 * again (as every docket write does), before anything is checked. */
static int mend(struct ctx *ctx, struct checker *k)
{
	struct signer sig;
	size_t n;

	actor_signer(ctx, &sig);
	if (store_mend_record(ctx->store, &sig, ctx->actor, &n, &ctx->d))
		return -1;
	k->restored += n;
	return 0;
}

int cmd_check(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct checker k;
	size_t i;
	struct opt opts[] = {
		{ "repair", OPT_FLAG, &k.repair, NULL,
		  N_("finish an interrupted action and restore missing files "
		  "from the last commit") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};
	enum opts_result pr;
	int ret;

	memset(&k, 0, sizeof(k));
	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (args.n) {
		ret = usage_error(ctx, _("unexpected argument '%s'"), args.v[0]);
		goto out;
	}
	/* With --repair the dispatcher has taken the lock, which also
	 * finishes an action a crash interrupted. */
	ret = EXIT_FAIL;
	if (k.repair && mend(ctx, &k))
		goto out;
	if (store_head_cases(&k.head, ctx->store, &ctx->d) ||
	    store_case_actions(&k.actions, ctx->store, &ctx->d))
		goto out;
	if (scan_every_file(ctx, check_one, &k))
		goto out;
	check_head_before(ctx, &k, NULL);
	check_duplicates(ctx, &k);
	check_index(ctx, &k);
	for (i = 0; i < k.years.n; i++)
		warn(ctx, _("deadlines fall in %s, for which docket.yaml lists "
			"no holidays or make-up days; add them to 'calendar'"),
			k.years.v[i]);
	printf(Q_("checked %zu case", "checked %zu cases", k.cases), k.cases);
	printf(Q_(": %zu problem", ": %zu problems", k.problems), k.problems);
	if (k.restored)
		printf(Q_(", %zu file restored", ", %zu files restored",
			k.restored), k.restored);
	printf("\n");
	ret = k.problems ? EXIT_FAIL : EXIT_OK;
out:
	case_actions_release(&k.actions);
	strlist_release(&k.years);
	strlist_release(&k.ids);
	head_cases_free(k.head);
	strlist_release(&args);
	return ret;
}
