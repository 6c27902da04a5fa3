/*
 * attachment.c - `docket attachment ID N [-o FILE]`: write one of a
 * case's attachments out of the store, as it was recorded.
 *
 * N is the number `docket show ID --format text` gives the attachment
 * (1 for the first), or its file name.  The contents come from the last
 * commit, not the work tree, and must still have the SHA-256 the case
 * recorded: what is handed out is the evidence as it was filed.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "intl.h"

/* The attachment that N names: a number from 1, or a file name. */
static int pick(struct ctx *ctx, const struct dcase *c, const char *n,
	size_t *out)
{
	char *end;
	unsigned long k;
	size_t i, found = 0;
	const char *base;

	if (!c->natt)
		return fail(ctx, _("case %s has no attachments"), c->id);
	errno = 0;
	k = strtoul(n, &end, 10);
	if (*n >= '1' && *n <= '9' && !*end && !errno) {
		if (k > c->natt)
			return fail(ctx, Q_("case %s has %zu attachment; there "
				"is no number %s", "case %s has %zu "
				"attachments; there is no number %s", c->natt),
				c->id, c->natt, n);
		*out = k - 1;
		return EXIT_OK;
	}
	for (i = 0; i < c->natt; i++) {
		base = strrchr(c->att[i].path, '/');
		base = base ? base + 1 : c->att[i].path;
		if (!strcmp(base, n)) {
			*out = i;
			found++;
		}
	}
	if (found == 1)
		return EXIT_OK;
	return fail(ctx, _("case %s has no attachment '%s'; give its number "
		"from 'docket show %s --format text'"), c->id, n, c->id);
}

/* 1 if the bytes would upset a terminal: binary, or control characters. */
static int not_for_terminal(const struct sb *b)
{
	return memchr(b->buf, '\0', b->len) || !utf8_valid(b->buf, b->len) ||
		has_control(b->buf, b->len, 1);
}

int cmd_attachment(int argc, char **argv, struct ctx *ctx)
{
	struct strlist args = STRLIST_INIT;
	struct sb data = SB_INIT;
	const char *output = NULL;
	char hex[65];
	struct dcase c;
	size_t k = 0;
	enum opts_result pr;
	int ret;
	struct opt opts[] = {
		{ NULL, OPT_OPERAND, NULL, N_("ID"), NULL, OPT_REQ },
		{ NULL, OPT_OPERAND, NULL, N_("N"), NULL, OPT_REQ },
		{ "o", OPT_STR, &output, N_("FILE"),
		  N_("write it to FILE (which must not exist yet) instead "
		  "of standard output") },
		{ NULL, OPT_END, NULL, NULL, NULL }
	};

	case_init(&c);
	if ((pr = parse_options(ctx, opts, argc, argv, &args)) != OPTS_OK) {
		ret = opts_exit(pr);
		goto out;
	}
	if (args.n < 2) {
		ret = usage_error(ctx, _("give the case id and the "
			"attachment's number"));
		goto out;
	}
	if (args.n > 2) {
		ret = usage_error(ctx, _("unexpected argument '%s'"),
			args.v[2]);
		goto out;
	}
	ret = EXIT_FAIL;
	if (load_case(ctx, args.v[0], &c, NULL) ||
	    pick(ctx, &c, args.v[1], &k))
		goto out;
	if (store_read_head(&data, ctx->store, c.att[k].path, &ctx->d)) {
		diag_clear(&ctx->d);
		fail(ctx, _("attachment %zu of case %s (%s) is not in the last "
			"commit; 'docket check' says more"), k + 1, c.id,
			c.att[k].path);
		goto out;
	}
	sha256_hex(data.buf, data.len, hex);
	if (strcmp(hex, c.att[k].sha256)) {
		fail(ctx, _("attachment %zu of case %s (%s) does not match the "
			"sha256 recorded when it was attached; it is not "
			"written out"), k + 1, c.id, c.att[k].path);
		goto out;
	}
	if (output) {
		ret = emit_file(ctx, output, data.buf, data.len);
		goto out;
	}
	if (ctx->out_tty && not_for_terminal(&data)) {
		fail(ctx, _("%s is not text; write it to a file with -o FILE"),
			c.att[k].path);
		goto out;
	}
	ret = emit_stdout(ctx, &data);
out:
	sb_release(&data);
	case_release(&c);
	strlist_release(&args);
	return ret;
}
