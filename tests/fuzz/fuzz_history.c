/*
 * fuzz_history.c - libFuzzer target: .git/docket-ids and
 * .git/docket-actions, the counts kept from the history, read as
 * `docket file` (store_next_seq) and `docket check`
 * (store_case_actions) read them.
 *
 * The first byte picks the file (bit 1) and how the rest is put in
 * place (bit 0): as the whole file, or as the body of a sound file
 * (docket's frame and sum around it, to reach the parser behind the
 * sum).  Then the product's function reads it against the store's
 * history; whatever the bytes, nothing may crash, leak or read out of
 * bounds, and the next sequence number is never below the history's.
 */
#include "fuzz_store.h"

static struct store *s;
static unsigned char ids_head[CACHEFILE_HDR];
static unsigned char acts_head[CACHEFILE_HDR];
static long seq_before;		/* the next number, as the history says */

/* The case files of the history: the next number is 3 at least. */
static const char *const files[] = {
	"cases/2026/000/2026-000001.yaml", "id: 2026-000001\n",
	"cases/2026/000/2026-000002.yaml", "id: 2026-000002\n",
	NULL
};

static void run(void)
{
	struct case_actions a;
	struct diag d = DIAG_INIT;
	long seq = 0;

	if (!store_next_seq(&seq, s, "", 2026, &d) && seq < seq_before)
		fz_die("fuzz_history", "a number the history used is given again");
	if (!store_case_actions(&a, s, &d))
		case_actions_release(&a);
	diag_release(&d);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct diag d = DIAG_INIT;

	(void)argc;
	(void)argv;
	fz_make_store("fuzz_history", files);
	if (store_open(&s, fz_root, &d))
		fz_die("fuzz_history", d.n ? d.msg[0] : "cannot open the store");
	if (store_next_seq(&seq_before, s, "", 2026, &d))
		fz_die("fuzz_history", "no next number");
	run();
	fz_head("fuzz_history", "docket-ids", ids_head);
	fz_head("fuzz_history", "docket-actions", acts_head);
	diag_release(&d);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sb file = SB_INIT;
	const char *name;

	if (!size)
		return 0;
	name = data[0] & 2 ? "docket-actions" : "docket-ids";
	if (data[0] & 1) {
		fz_put(name, data + 1, size - 1);
	} else {
		fz_frame(&file, data[0] & 2 ? acts_head : ids_head, data + 1,
			size - 1);
		fz_put(name, file.buf, file.len);
	}
	run();
	sb_release(&file);
	return 0;
}
