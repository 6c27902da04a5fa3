/*
 * fuzz_from.c - libFuzzer target: the `docket file --from` intake, as
 * the product runs it (src/intake.c).
 *
 * The input is parsed as `file --from` parses it (intake_parse: one
 * document, or a stream of them for bulk intake) and each document goes
 * through the product's checks: intake_read, intake_build and
 * intake_check_attach (no --attach-dir: a document naming a file is
 * refused, nothing is read), against the built-in configuration.  What
 * is refused must say why.  What passes is given an id and its file
 * event, emitted and parsed back: what `file` accepts the codec must
 * read, or a filed case could never be opened again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "config.h"
#include "intake.h"
#include "ytree.h"

#define FUZZ_NOW 1795000000	/* 2026-11-18, a fixed clock */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fail_with(const char *what, const struct sb *a,
	const struct sb *b, const struct diag *d)
{
	size_t i;

	fprintf(stderr, "fuzz_from: %s\n--- case ---\n%s--- end ---\n",
		what, a->buf);
	if (b)
		fprintf(stderr, "--- read back ---\n%s--- end ---\n", b->buf);
	for (i = 0; d && i < d->n; i++)
		fprintf(stderr, "%s\n", d->msg[i]);
	abort();
}

/* What `file` would write must read back as the same case. */
static void file_and_reread(struct dcase *c, const struct intake_env *env)
{
	struct sb first = SB_INIT, second = SB_INIT;
	struct diag d = DIAG_INIT;
	struct dcase again;

	set_str(&c->id, "2026-000001");
	case_add_event(c, env->now, env->actor, "file");
	case_emit(&first, c);
	if (case_parse(&again, first.buf, first.len, "filed.yaml", &d))
		fail_with("`file` would write a case the codec refuses",
			&first, NULL, &d);
	case_emit(&second, &again);
	if (first.len != second.len ||
	    memcmp(first.buf, second.buf, first.len))
		fail_with("the filed case reads back different", &first,
			&second, NULL);
	case_release(&again);
	diag_release(&d);
	sb_release(&second);
	sb_release(&first);
}

/* One document of the stream, as `file --from` takes it. */
static void one_document(const struct ynode *root, const struct config *cfg,
	size_t docno)
{
	struct diag d = DIAG_INIT;
	struct intake_env env = { cfg, cal_zoned(&cfg->cal, FUZZ_NOW),
		"intake.fuzz", &d };
	struct intake in;
	struct dcase c;

	intake_init(&in);
	in.from_file = "form.yaml";
	in.docno = docno;
	case_init(&c);
	intake_read(&env, &in, root);
	intake_build(&env, &in, &c);
	if (!in.bad)
		intake_check_attach(&env, &in);
	if (in.bad && !d.n)
		abort();	/* refused without a message */
	if (!in.bad)
		file_and_reread(&c, &env);
	case_release(&c);
	intake_release(&in);
	diag_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = DIAG_INIT;
	struct ynode **docs = NULL;
	struct config cfg;
	char *buf = NULL;
	size_t ndocs = 0, i;

	buf = xmalloc(size ? size : 1);
	if (size)
		memcpy(buf, data, size);
	config_init(&cfg);
	if (intake_parse(&docs, &ndocs, buf, size, "form.yaml", &d)) {
		if (!d.n)
			abort();	/* refused without a message */
		goto out;
	}
	for (i = 0; i < ndocs; i++)
		one_document(docs[i], &cfg, ndocs > 1 ? i + 1 : 0);
out:
	for (i = 0; i < ndocs; i++)
		ynode_free(docs[i]);
	free(docs);
	config_release(&cfg);
	diag_release(&d);
	free(buf);
	return 0;
}
