/*
 * fuzz_yfast.c - libFuzzer target: yfast.c against libyaml.
 *
 * The promise of yfast_parse(): whatever it reads, libyaml reads to the
 * same tree (nodes, text, styles, lines and columns); whatever else it
 * leaves alone.  Any input it accepts is parsed again by libyaml
 * (ytree_parse_stream, which never takes the fast way) and the two trees
 * compared.  The input is copied to a buffer of exactly its length, so a
 * reader that looks past its end trips AddressSanitizer.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../src/ytree-int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what, const char *buf, size_t size,
	const struct diag *d)
{
	fprintf(stderr, "fuzz_yfast: %s\n--- input ---\n%.*s--- end ---\n%s\n",
		what, (int)size, buf, d && d->n ? d->msg[0] : "");
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = DIAG_INIT;
	struct ynode *fast = NULL, **docs = NULL;
	size_t n = 0, i;
	char *buf;

	buf = xmalloc(size ? size : 1);
	if (size)
		memcpy(buf, data, size);
	if (!yfast_parse(&fast, buf, size, NULL)) {
		if (ytree_parse_stream(&docs, &n, buf, size, "fuzz.yaml", &d))
			broken("libyaml refuses what yfast read", buf, size, &d);
		if (n != 1)
			broken("libyaml reads other than one document", buf,
				size, NULL);
		if (!ynode_same(fast, docs[0]))
			broken("libyaml reads another tree", buf, size, NULL);
	}
	ynode_free(fast);
	for (i = 0; i < n; i++)
		ynode_free(docs[i]);
	free(docs);
	diag_release(&d);
	free(buf);
	return 0;
}
