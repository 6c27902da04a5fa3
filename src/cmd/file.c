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
#include "intake.h"
#include "labels.h"
#include "output.h"
#include "repeats.h"
#include "ytree.h"

#define REPEAT_DAYS 30
#define BULK_MAX (256 << 20)	/* bytes of a --from stream */

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
		/* intake_check_attach() refused this before; never the
		 * cwd */
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
		!strcmp(c->who.phone, old->who.phone) ? _("same phone") :
		_("same name and respondent"), case_status_name(old->status));
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

/* The intake module's view of the command: its configuration, clock,
 * actor and messages. */
static void intake_env_of(struct intake_env *env, struct ctx *ctx)
{
	env->cfg = &ctx->cfg;
	env->now = ctx->now;
	env->actor = ctx->actor;
	env->d = &ctx->d;
}

/* File a case intake_build() made from the intake: id, attachments,
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

static int file_case(struct ctx *ctx, struct intake *in)
{
	struct intake_env env;
	struct dcase c;
	int ret = EXIT_FAIL;

	intake_env_of(&env, ctx);
	case_init(&c);
	intake_build(&env, in, &c);
	if (!in->bad)
		intake_check_attach(&env, in);
	/* the locks only now: a clerk at a prompt keeps nobody waiting */
	if (!in->bad && !ctx->lock(ctx))
		ret = file_built(ctx, in, &c, NULL);
	case_release(&c);
	return ret;
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
	fputc('\r', stderr);
	/* TRANSLATORS: progress of a bulk intake: cases filed / in all */
	fprintf(stderr, _("filed %zu/%zu"), done, n);
	if (last)
		fputc('\n', stderr);
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
	const struct strlist *attach, int attach_dir,
	struct intake_errs *errs)
{
	struct intake *in = NULL;
	struct dcase *cs = NULL;
	struct intake_env env;
	struct bulk bulk;
	size_t i, bad = 0, done = 0;
	int ret = EXIT_FAIL;

	intake_env_of(&env, ctx);
	memset(&bulk, 0, sizeof(bulk));
	in = xcalloc(n, sizeof(*in));
	cs = xcalloc(n, sizeof(*cs));
	for (i = 0; i < n; i++) {
		intake_init(&in[i]);
		in[i].from_file = from_file;
		in[i].errs = errs;
		in[i].docno = i + 1;
		in[i].attach_dir = attach_dir;
		case_init(&cs[i]);
		intake_read(&env, &in[i], docs[i]);
		intake_take_cli(&in[i], cli, flags, attach);
		intake_build(&env, &in[i], &cs[i]);
		if (!in[i].bad)
			intake_check_attach(&env, &in[i]);
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
		intake_release(&in[i]);
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
static int errors_json(struct ctx *ctx, const struct intake_errs *errs,
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
	struct intake_env env;
	struct sb buf = SB_INIT;
	int ret;

	intake_env_of(&env, ctx);
	in->from_file = strcmp(from, "-") ? from : "<stdin>";
	ret = read_file(&buf, strcmp(from, "-") ? from : "/dev/stdin",
		BULK_MAX, &ctx->d);
	if (!ret)
		ret = intake_parse(docs, ndocs, buf.buf, buf.len,
			in->from_file, &ctx->d);
	if (!ret && *ndocs == 1)
		intake_read(&env, in, (*docs)[0]);
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
	struct intake_errs errs = { NULL, 0, 0 };
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

	intake_init(&in);
	in.errs = &errs;
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
	if (require_role(ctx, ROLE_INTAKE, C_("may not", "file cases")) ||
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
	intake_take_cli(&in, cli, flags, &attach);
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
	if (in.attach_dir >= 0)
		close(in.attach_dir);
	intake_release(&in);
	strlist_release(&attach);
	strlist_release(&args);
	return ret;
}
