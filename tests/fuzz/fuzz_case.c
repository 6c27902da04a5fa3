/*
 * fuzz_case.c - libFuzzer target: case_parse() and case_emit().
 *
 * The promise of codec.h: any file case_parse() accepts, emitted, parses
 * again, and the emitted (canonical) form emits to the same bytes.  The
 * input is copied to a buffer of exactly its length, with no NUL after
 * it, so a parser that reads past `len` trips AddressSanitizer.  Every
 * accepted case is also checked against the built-in configuration.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Print what broke the round trip and stop: libFuzzer keeps the input. */
static void broken(const char *what, const struct sb *text,
	const struct diag *d)
{
	size_t i;

	fprintf(stderr, "fuzz_case: %s\n--- emitted ---\n%s--- end ---\n",
		what, text ? text->buf : "");
	for (i = 0; d && i < d->n; i++)
		fprintf(stderr, "%s\n", d->msg[i]);
	abort();
}

/* Emit c, parse the result, emit again: both emits must agree. */
static void round_trip(const struct dcase *c)
{
	struct sb first = SB_INIT, second = SB_INIT;
	struct diag d = DIAG_INIT;
	struct dcase again;

	case_emit(&first, c);
	if (case_parse(&again, first.buf, first.len, "emitted.yaml", &d))
		broken("the emitted case does not parse", &first, &d);
	case_emit(&second, &again);
	if (first.len != second.len ||
	    memcmp(first.buf, second.buf, first.len))
		broken("emitting the emitted case changes it", &second, NULL);
	case_release(&again);
	diag_release(&d);
	sb_release(&second);
	sb_release(&first);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = DIAG_INIT;
	struct config cfg;
	struct dcase c;
	char *buf = NULL;

	buf = xmalloc(size ? size : 1);
	if (size)
		memcpy(buf, data, size);
	if (!case_parse(&c, buf, size, "fuzz.yaml", &d)) {
		if (!c.id || !c.nevents)
			broken("an accepted case lacks its id or events", NULL,
				NULL);
		round_trip(&c);
		config_init(&cfg);
		case_check_config(&c, &cfg, "fuzz.yaml", &d);
		config_release(&cfg);
		case_release(&c);
	} else if (!d.n) {
		broken("a refused case has no message", NULL, NULL);
	}
	diag_release(&d);
	free(buf);
	return 0;
}
