/*
 * fuzz_index.c - libFuzzer target: git's index file, read and written.
 *
 * Any index gix_parse() accepts is looked up entry by entry; if docket
 * may write it, it is written with one entry added and one replaced,
 * and what was written must parse again, hold the same paths plus the
 * new one, and keep its version.  The input is copied to a buffer of
 * exactly its length, so a parser that reads past it trips ASan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gitindex.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void broken(const char *what)
{
	fprintf(stderr, "fuzz_index: %s\n", what);
	abort();
}

/* Write ix with two edits into memory and read it back. */
static void round_trip(const struct gix *ix)
{
	struct gix_edit ed[2];
	struct diag d = DIAG_INIT;
	struct gix *again = NULL;
	struct sb out = SB_INIT;
	char buf[4096];
	ssize_t n;
	size_t i, k = 0;
	int fd;

	memset(ed, 0, sizeof(ed));
	if (ix->n && !(ix->e[0].flags & GIX_STAGEMASK))
		ed[k++].path = ix->e[0].path;
	ed[k].path = "zzzz/new-entry.yaml";
	if (k && strcmp(ed[0].path, ed[1].path) >= 0)
		k = 0, ed[0].path = "zzzz/new-entry.yaml";
	ed[0].oid[0] = 1;
	ed[k].oid[0] = 2;
	fd = memfd_create("index", 0);
	if (fd < 0)
		return;
	if (gix_write(ix, ed, k + 1, fd, NULL, &d))
		broken("a writable index could not be written");
	lseek(fd, 0, SEEK_SET);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sb_add(&out, buf, (size_t)n);
	close(fd);
	if (gix_parse(&again, out.buf, out.len, GIX_VERIFY, "written", &d))
		broken("what docket wrote does not parse");
	if (again->version != ix->version)
		broken("the version changed");
	for (i = 0; i < ix->n; i++)
		if (!(ix->e[i].flags & GIX_STAGEMASK) &&
		    gix_find(again, ix->e[i].path) < 0)
			broken("an entry was lost");
	if (gix_find(again, "zzzz/new-entry.yaml") < 0)
		broken("the new entry is missing");
	gix_free(again);
	sb_release(&out);
	diag_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = DIAG_INIT;
	struct gix *ix = NULL;
	size_t i;
	int sorted = 1;

	if (!gix_parse(&ix, data, size, 0, "fuzz", &d)) {
		for (i = 0; i < ix->n; i++) {
			if (i && strcmp(ix->e[i - 1].path, ix->e[i].path) > 0)
				sorted = 0;
			(void)gix_find(ix, ix->e[i].path);
			(void)gix_st(&ix->e[i], GIX_MTIME);
		}
		if (!sorted && !ix->partial)
			broken("accepted entries out of order");
		if (!gix_writable(ix) && !ix->conflicts)
			round_trip(ix);
	}
	gix_free(ix);
	diag_release(&d);
	return 0;
}
