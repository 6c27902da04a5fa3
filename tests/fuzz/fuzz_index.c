/*
 * fuzz_index.c - libFuzzer target: git's index file, read and written.
 *
 * Any index gix_parse() accepts is looked up entry by entry; if docket
 * may write it, it is written with one entry added and one replaced,
 * and what was written must parse again, hold the same paths plus the
 * new one, and keep its version.  A split index's "link" extension has
 * its two EWAH bitmaps decoded as the merge with the shared index does,
 * and each one decoded must encode and decode to the same bits.  The
 * input is copied to a buffer of exactly its length, so a parser that
 * reads past it trips ASan.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ewah.h"
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

/* One bitmap at p: decoded, encoded again, decoded to the same bits. */
static size_t bitmap(const unsigned char *p, size_t len)
{
	struct bits b, back;
	struct sb out = SB_INIT;
	size_t used = 0, used2, k;

	if (ewah_read(&b, p, len, 1u << 20, &used) < 0)
		return 0;
	ewah_write(&out, &b);
	if (ewah_read(&back, (const unsigned char *)out.buf, out.len,
	    1u << 20, &used2) < 0)
		broken("an EWAH bitmap written does not read");
	for (k = 0; k < b.nwords * 64 || k < back.nwords * 64; k++)
		if (bits_get(&b, k) != bits_get(&back, k))
			broken("an EWAH bitmap changed on the way");
	bits_release(&b);
	bits_release(&back);
	sb_release(&out);
	return used;
}

static void link_bitmaps(const struct gix *ix)
{
	const unsigned char *p = ix->map + ix->link_off;
	size_t used;

	if (ix->link_len < 20)
		return;
	used = bitmap(p + 20, ix->link_len - 20);
	if (used)
		(void)bitmap(p + 20 + used, ix->link_len - 20 - used);
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
		if (ix->link_off)
			link_bitmaps(ix);
		if (!gix_writable(ix) && !ix->conflicts)
			round_trip(ix);
	}
	gix_free(ix);
	diag_release(&d);
	return 0;
}
