/*
 * common.c - what every command shares: options, messages, loading and
 * saving a case as one commit, roles, times given on the command line.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cache.h"
#include "cmd.h"
#include "codec.h"
#include "deadline.h"
#include "intl.h"
#include "labels.h"
#include "output.h"
#include "suggest.h"

int usage_error(struct ctx *ctx, const char *fmt, ...)
{
	struct sb sb = SB_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	diag_add(&ctx->d, ERR_USAGE, _("%s"), sb.buf);
	sb_release(&sb);
	return EXIT_USAGE;
}

int fail(struct ctx *ctx, const char *fmt, ...)
{
	struct sb sb = SB_INIT;
	va_list ap;

	va_start(ap, fmt);
	sb_vaddf(&sb, fmt, ap);
	va_end(ap);
	diag_add(&ctx->d, ERR_GENERIC, _("%s"), sb.buf);
	sb_release(&sb);
	return EXIT_FAIL;
}

void print_message(const char *cmd, const char *kind, const char *msg)
{
	struct sb sb = SB_INIT;

	sb_adds(&sb, "docket: ");
	if (cmd)
		sb_addf(&sb, "%s: ", cmd);
	sb_adds(&sb, kind);
	/* Messages quote what the user or a file gave: never let it drive
	 * the terminal. */
	out_escape(&sb, msg, 0);
	sb_addc(&sb, '\n');
	fflush(stdout);
	fputs(sb.buf, stderr);
	sb_release(&sb);
}

static void vnote(struct ctx *ctx, const char *kind, const char *fmt,
	va_list ap)
{
	struct sb sb = SB_INIT;

	sb_vaddf(&sb, fmt, ap);
	print_message(ctx->cmd, kind, sb.buf);
	sb_release(&sb);
}

void warn(struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(ctx, _("warning: "), fmt, ap);
	va_end(ap);
}

void inform(struct ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnote(ctx, "", fmt, ap);
	va_end(ap);
}

int emit_stdout(struct ctx *ctx, const struct sb *sb)
{
	if (sb->len && fwrite(sb->buf, 1, sb->len, stdout) != sb->len)
		return fail(ctx, _("cannot write output: %s"), strerror(errno));
	return EXIT_OK;
}

int emit_file(struct ctx *ctx, const char *path, const void *data,
	size_t len)
{
	const char *p = data;
	size_t done = 0;
	ssize_t n;
	int fd, ok, err;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
		0600);
	if (fd < 0 && errno == EEXIST)
		return fail(ctx, _("'%s' already exists; remove it or choose "
			"another file name"), path);
	if (fd < 0)
		return fail(ctx, _("cannot create '%s': %s"), path,
			strerror(errno));
	while (done < len) {
		n = write(fd, p + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	ok = done == len && !fsync(fd);
	err = errno;
	if (close(fd) && ok) {
		ok = 0;
		err = errno;
	}
	if (!ok) {
		/* created above with O_EXCL: the half-written file is ours */
		unlink(path);
		return fail(ctx, _("cannot write '%s': %s"), path,
			strerror(err ? err : EIO));
	}
	return EXIT_OK;
}

int load_case(struct ctx *ctx, const char *id, struct dcase *out,
	char path[CASE_PATH_BUFSZ])
{
	char p[CASE_PATH_BUFSZ];
	struct sb buf = SB_INIT;
	int ret = EXIT_FAIL, r;

	case_init(out);
	if (!case_id_valid(id) || case_path(p, id)) {
		fail(ctx, _("'%s' is not a case id (like 2026-000123)"), id);
		goto out;
	}
	r = store_read(&buf, ctx->store, p, LIM_CASEFILE + 1, &ctx->d);
	if (r == ERR_NOTFOUND) {
		diag_clear(&ctx->d);
		fail(ctx, _("case '%s' not found"), id);
		goto out;
	}
	if (r || case_parse(out, buf.buf, buf.len, p, &ctx->d))
		goto out;
	if (strcmp(out->id, id)) {
		fail(ctx, _("%s: holds case '%s', not '%s'"), p, out->id, id);
		case_release(out);
		goto out;
	}
	if (path)
		memcpy(path, p, sizeof(p));
	ret = EXIT_OK;
out:
	sb_release(&buf);
	return ret;
}

int lock_timeout(struct ctx *ctx, int *out)
{
	const char *env = getenv("DOCKET_LOCK_TIMEOUT");
	char *end;
	long v;

	*out = STORE_LOCK_TIMEOUT;
	/* scripts and tests may wait less (or more) for a lock */
	if (!env || !*env)
		return 0;
	v = strtol(env, &end, 10);
	if (*end || v < 0 || v > 3600)
		return fail(ctx, _("DOCKET_LOCK_TIMEOUT='%s' is not a number "
			"of seconds (0-3600)"), env);
	*out = (int)v;
	return 0;
}

int load_case_for_write(struct ctx *ctx, const char *id, struct dcase *out)
{
	char path[CASE_PATH_BUFSZ];

	if (load_case(ctx, id, out, path))
		return EXIT_FAIL;
	if (store_check_clean(ctx->store, path, &ctx->d)) {
		case_release(out);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

void warn_calendar_year(struct ctx *ctx, int year)
{
	if (!year || year == ctx->warned_year)
		return;
	ctx->warned_year = year;
	warn(ctx, _("the calendar in docket.yaml lists no holidays for "
		"%d; deadlines count only weekends until they are "
		"added"), year);
}

void update_deadlines(struct ctx *ctx, struct dcase *c)
{
	struct duration dur[DUE__COUNT];
	struct due before = c->due;
	struct date day;
	int k;

	deadline_recompute(&ctx->cfg, c);
	deadline_durations(&ctx->cfg, c, dur);
	for (k = 0; k < DUE__COUNT; k++) {
		unsigned bit = 1u << k;

		if (!(c->due.has & bit) || dur[k].unit == DUR_HOURS)
			continue;
		if ((before.has & bit) &&
		    !ts_cmp(before.at[k], c->due.at[k]))
			continue;
		day = cal_local_date(&ctx->cfg.cal, c->due.at[k]);
		if (!cal_year_known(&ctx->cfg.cal, day.y)) {
			warn_calendar_year(ctx, day.y);
			return;
		}
	}
}

void actor_signer(struct ctx *ctx, struct signer *out)
{
	const struct staff *st = config_staff(&ctx->cfg, ctx->actor);

	out->name = st && st->name ? st->name : ctx->actor;
	out->email = st && st->email ? st->email : "docket@localhost";
	out->when = ctx->now;
}

/* A file this large may hold more values than the YAML reader takes in
 * one document (ytree.c): such a file is read back before it is written.
 * A smaller one cannot, and reading every case back would slow bulk
 * intake for nothing. */
#define READ_BACK_FROM (512 << 10)

/*
 * Refuse to write a case file that docket could not read again: one over
 * the read limit (LIM_CASEFILE) or, when large, one the parser refuses.
 * Such a case could never again be shown, noted, closed or reported.
 */
static int case_fits(struct ctx *ctx, const struct dcase *c,
	const struct sb *text, const char *path)
{
	struct diag d = DIAG_INIT;
	struct dcase back;
	int ret = EXIT_OK;

	if (text->len > LIM_CASEFILE)
		return fail(ctx, _("case %1$s would be %2$zu bytes, over the "
			"limit of %3$d MiB that docket reads; nothing was "
			"written.  Put long text in a file and attach it, "
			"e.g. docket note %1$s \"see attachment\" --attach "
			"FILE"), c->id, text->len, LIM_CASEFILE >> 20);
	if (text->len < READ_BACK_FROM)
		return EXIT_OK;
	case_init(&back);
	if (case_parse(&back, text->buf, text->len, path, &d))
		ret = fail(ctx, _("case %s would not be readable after this "
			"change (%s); nothing was written.  Put long text in a "
			"file and attach it with --attach FILE"), c->id,
			d.n ? d.msg[0] : "");
	case_release(&back);
	diag_release(&d);
	return ret;
}

int save_cases(struct ctx *ctx, const struct dcase *const *cs, size_t n,
	const char *action, const struct store_file *extra, size_t nextra)
{
	char path[CASE_PATH_BUFSZ], oid[41];
	struct sb text = SB_INIT, subject = SB_INIT;
	struct signer sig;
	struct txn *t = NULL;
	size_t i;
	int ret = EXIT_FAIL;

	t = txn_new(ctx->store);
	for (i = 0; i < n; i++) {
		if (case_path(path, cs[i]->id)) {
			fail(ctx, _("'%s' is not a case id"), cs[i]->id);
			goto out;
		}
		sb_reset(&text);
		case_emit(&text, cs[i]);
		if (case_fits(ctx, cs[i], &text, path))
			goto out;
		txn_put(t, path, text.buf, text.len);
		txn_case(t, cs[i]->id);
	}
	for (i = 0; i < nextra; i++)
		txn_put(t, extra[i].path, extra[i].data, extra[i].len);
	/* The subject names the first case; complainant data never goes
	 * into a commit message. */
	sb_addf(&subject, "%s %s: %s", action, cs[0]->id, cs[0]->subject);
	actor_signer(ctx, &sig);
	if (txn_commit(t, &sig, action, ctx->actor, subject.buf, oid, &ctx->d))
		goto out;
	ret = EXIT_OK;
out:
	txn_free(t);
	sb_release(&subject);
	sb_release(&text);
	return ret;
}

int save_case(struct ctx *ctx, const struct dcase *c, const char *action,
	const struct store_file *extra, size_t nextra)
{
	return save_cases(ctx, &c, 1, action, extra, nextra);
}

int require_handler(struct ctx *ctx, const struct dcase *c, const char *what)
{
	const struct department *dep;
	const struct staff *st;
	size_t i;

	if (!ctx->cfg.nstaff)
		return EXIT_OK;
	st = config_staff(&ctx->cfg, ctx->actor);
	if (st && (st->roles & ROLE_SUPERVISOR))
		return EXIT_OK;
	if (c->assignee && !strcmp(c->assignee, ctx->actor))
		return EXIT_OK;
	dep = c->department ? config_department(&ctx->cfg, c->department) :
		NULL;
	for (i = 0; dep && i < dep->nmembers; i++)
		if (!strcmp(dep->members[i], ctx->actor))
			return EXIT_OK;
	if (dep && dep->head && !strcmp(dep->head, ctx->actor))
		return EXIT_OK;
	/* TRANSLATORS: '%1$s' is a staff id, %2$s what they tried ("close",
	   "add notes to"), %3$s the case id. */
	return fail(ctx, _("'%1$s' may not %2$s case %3$s: only its assignee, "
		"a member of its department or a supervisor may"), ctx->actor,
		what, c->id);
}

const char *role_label(unsigned role)
{
	switch (role) {
	case ROLE_INTAKE:
		return C_("role", "intake");
	case ROLE_TRIAGE:
		return C_("role", "triage");
	case ROLE_SUPERVISOR:
		return C_("role", "supervisor");
	case ROLE_HANDLER:
		return C_("role", "handler");
	default:
		return "?";
	}
}

void role_names(struct sb *out, unsigned roles)
{
	unsigned bit;
	size_t n = 0;

	for (bit = ROLE_INTAKE; bit <= ROLE_HANDLER; bit <<= 1) {
		if (!(roles & bit))
			continue;
		/* TRANSLATORS: between two roles: "triage or supervisor". */
		sb_addf(out, "%s%s", n ? _(" or ") : "", role_label(bit));
		n++;
	}
}

int require_role(struct ctx *ctx, unsigned roles, const char *what)
{
	const struct staff *st;
	struct sb names = SB_INIT;

	if (!ctx->cfg.nstaff)
		return EXIT_OK;
	st = config_staff(&ctx->cfg, ctx->actor);
	if (st && (st->roles & roles))
		return EXIT_OK;
	role_names(&names, roles);
	/* TRANSLATORS: '%1$s' is a staff id, %2$s what they tried ("assign
	   cases"), %3$s the roles ("triage or supervisor"). */
	fail(ctx, _("'%1$s' may not %2$s: that needs the %3$s role"),
		ctx->actor, what, names.buf);
	sb_release(&names);
	return EXIT_FAIL;
}

int parse_when(struct ctx *ctx, const char *s, int end_of_day,
	struct ts *out)
{
	return cal_parse_when(&ctx->cfg.cal, s, end_of_day, out);
}

int parse_due_when(struct ctx *ctx, const char *s, struct ts *out)
{
	struct duration dur;

	if (!parse_when(ctx, s, 1, out))
		return 0;
	if (duration_parse(&dur, s) || dur.n <= 0 || dur.unit == DUR_YEARS)
		return ERR_INVALID;
	*out = cal_add(&ctx->cfg.cal, ctx->now, dur);
	return 0;
}

int fail_skipped(struct ctx *ctx, size_t skipped, const char *more)
{
	/* TRANSLATORS: the second %s is empty or adds a clause such as
	   "; the report leaves them out". */
	return fail(ctx, Q_("%zu case file could not be read (see above)%s",
		"%zu case files could not be read (see above)%s", skipped),
		skipped, more ? more : "");
}

int check_arg_text(struct ctx *ctx, const char *what, const char *s,
	size_t limit, int multiline)
{
	size_t len = strlen(s);

	if (!len || text_blank(s))
		return fail(ctx, _("%s: must not be empty"), what);
	if (!utf8_valid(s, len))
		return fail(ctx, _("%s: is not valid UTF-8 text"), what);
	if (has_control(s, len, multiline))
		return fail(ctx, multiline ?
			_("%s: contains a control character") :
			_("%s: contains a line break or control character"),
			what);
	if (len > limit)
		return fail(ctx, _("%s: is too long (the limit is %zu bytes)"),
			what, limit);
	return EXIT_OK;
}

int read_stdin_text(struct ctx *ctx, const char *what, struct sb *out)
{
	struct diag d = DIAG_INIT;
	int r;

	r = read_file(out, "/dev/stdin", LIM_TEXT, &d);
	diag_release(&d);
	if (r == ERR_INVALID)
		return fail(ctx, _("%s: the text on standard input is longer "
			"than the limit of %d bytes"), what, LIM_TEXT);
	if (r)
		return fail(ctx, _("%s: cannot read standard input"), what);
	if (memchr(out->buf, '\0', out->len))
		return fail(ctx, _("%s: the text on standard input contains a "
			"NUL character"), what);
	sb_rtrim(out);
	return EXIT_OK;
}

int resolve_option(struct ctx *ctx, const char **val, unsigned mask,
	const char *what)
{
	const char *id;

	if (!*val)
		return EXIT_OK;
	if (vocab_resolve(&id, NULL, &ctx->cfg, mask, what, *val, &ctx->d))
		return EXIT_FAIL;
	*val = id;
	return EXIT_OK;
}

int resolve_via(struct ctx *ctx, const char **val, const char *what)
{
	const char *id;
	int r;

	if (!*val)
		return EXIT_OK;
	r = vocab_lookup(&id, NULL, &ctx->cfg, VOCAB(VOC_CHANNEL), what, *val,
		&ctx->d);
	if (!r) {
		*val = id;
		return EXIT_OK;
	}
	if (r != ERR_NOTFOUND)
		return EXIT_FAIL;
	if (plain_id_valid(*val) && strlen(*val) <= LIM_NAME)
		return EXIT_OK;
	/* TRANSLATORS: %1$s is an option (--notified), %2$s what was
	   typed. */
	return fail(ctx, _("%1$s: '%2$s' is neither a channel of docket.yaml "
		"nor a plain word like phone, letter or visit (lowercase "
		"letters, digits, '.', '_', '-')"), what, *val);
}

int ctx_id_prefix(struct ctx *ctx, const char **prefix,
	const struct site **site)
{
	char *id = store_git_config(ctx->store, "docket.site");
	const struct site *st = config_site(&ctx->cfg, id);
	int ret = EXIT_OK;

	*prefix = ctx->cfg.id_prefix;
	*site = NULL;
	if (id && !st) {
		ret = fail(ctx, _("this store's site '%s' (git config "
			"docket.site) is not among the sites in docket.yaml"),
			id);
	} else if (st) {
		*prefix = st->prefix;
		*site = st;
	} else if (ctx->cfg.nsites > 1) {
		ret = fail(ctx, _("docket.yaml names several sites: say which "
			"this store is with 'git config docket.site ID'"));
	}
	free(id);
	return ret;
}
