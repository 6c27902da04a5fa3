/*
 * test_gitindex.c - git's index file: parsing, writing with edits,
 * version 4 paths, racy entries, extensions kept and dropped, formats
 * refused.  (The formats the git CLI writes are held against a real git
 * in tests/cli/t4021-index-formats.sh.)
 */
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include <openssl/evp.h>

#include "ewah.h"
#include "gitindex.h"
#include "unit.h"

struct fx {
	char dir[PATH_MAX];
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	assert_int_equal(unit_tmpdir(fx->dir, sizeof(fx->dir), "test_gitindex"), 0);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	unit_rm_tree(fx->dir);
	free(fx);
	return 0;
}

/* An edit giving path a blob id made of one repeated byte. */
static struct gix_edit edit(const char *path, int byte)
{
	struct gix_edit e;

	memset(&e, 0, sizeof(e));
	e.path = path;
	memset(e.oid, byte, GIX_OIDLEN);
	e.st.st_mode = S_IFREG | 0644;
	e.st.st_size = 10;
	e.st.st_mtim.tv_sec = 1000;
	e.st.st_ino = (ino_t)byte;
	return e;
}

/* Write ix with the edits into a buffer. */
static void write_to(struct sb *out, const struct gix *ix,
	const struct gix_edit *ed, size_t n)
{
	struct diag d = DIAG_INIT;
	char path[] = "/tmp/test_gitindex.out.XXXXXX";
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(gix_write(ix, ed, n, fd, NULL, &d), 0);
	close(fd);
	assert_int_equal(read_file(out, path, 1 << 24, &d), 0);
	unlink(path);
	diag_release(&d);
}

static struct gix *parse_ok(const struct sb *b, unsigned flags)
{
	struct diag d = DIAG_INIT;
	struct gix *ix = NULL;

	assert_int_equal(gix_parse(&ix, b->buf, b->len, flags, "index", &d),
		0);
	diag_release(&d);
	return ix;
}

/* Append an extension and a fresh checksum to b (checksum dropped). */
static void add_extension(struct sb *b, const char sig[4], const char *body,
	size_t len)
{
	unsigned char md[EVP_MAX_MD_SIZE], hdr[8];
	unsigned int n = 0;

	b->len -= GIX_OIDLEN;
	memcpy(hdr, sig, 4);
	hdr[4] = (unsigned char)(len >> 24);
	hdr[5] = (unsigned char)(len >> 16);
	hdr[6] = (unsigned char)(len >> 8);
	hdr[7] = (unsigned char)len;
	sb_add(b, hdr, 8);
	sb_add(b, body, len);
	EVP_Digest(b->buf, b->len, md, &n, EVP_sha1(), NULL);
	sb_add(b, md, n);
}

static void test_gitindex__write_then_read(void **state)
{
	struct gix_edit ed[] = {
		edit("cases/2026/000/2026-000001.yaml", 1),
		edit("cases/2026/000/2026-000002.yaml", 2),
		edit("docket.yaml", 3),
	};
	struct sb b = SB_INIT;
	struct gix *empty = gix_empty(), *ix;

	(void)state;
	write_to(&b, empty, ed, 3);
	ix = parse_ok(&b, GIX_VERIFY);
	assert_int_equal(ix->version, 2);
	assert_int_equal(ix->n, 3);
	assert_int_equal(gix_find(ix, "docket.yaml"), 2);
	assert_int_equal(gix_find(ix, "nothing"), -1);
	assert_int_equal(gix_oid(&ix->e[1])[0], 2);
	assert_int_equal(gix_st(&ix->e[0], GIX_SIZE), 10);
	assert_int_equal(gix_st(&ix->e[0], GIX_MODE), 0100644);
	assert_null(gix_writable(ix));
	gix_free(ix);
	gix_free(empty);
	sb_release(&b);
}

static void test_gitindex__edits_replace_insert_remove(void **state)
{
	struct gix_edit first[] = { edit("a", 1), edit("c", 3), edit("e", 5) };
	struct gix_edit second[] = { edit("b", 2), edit("c", 9),
		edit("e", 0) };
	struct sb b = SB_INIT, b2 = SB_INIT;
	struct gix *empty = gix_empty(), *ix, *ix2;

	(void)state;
	write_to(&b, empty, first, 3);
	ix = parse_ok(&b, GIX_VERIFY);
	second[2].remove = 1;
	write_to(&b2, ix, second, 3);
	ix2 = parse_ok(&b2, GIX_VERIFY);
	assert_int_equal(ix2->n, 3);
	assert_string_equal(ix2->e[0].path, "a");
	assert_string_equal(ix2->e[1].path, "b");
	assert_string_equal(ix2->e[2].path, "c");
	assert_int_equal(gix_oid(&ix2->e[2])[0], 9);
	assert_int_equal(gix_oid(&ix2->e[0])[0], 1);
	gix_free(ix2);
	gix_free(ix);
	gix_free(empty);
	sb_release(&b2);
	sb_release(&b);
}

static void test_gitindex__unchanged_write_is_byte_identical(void **state)
{
	struct gix_edit ed[] = { edit("a/b", 1), edit("a/c", 2) };
	struct sb b = SB_INIT, b2 = SB_INIT;
	struct gix *empty = gix_empty(), *ix;

	(void)state;
	write_to(&b, empty, ed, 2);
	ix = parse_ok(&b, 0);
	write_to(&b2, ix, NULL, 0);
	assert_int_equal(b.len, b2.len);
	assert_memory_equal(b.buf, b2.buf, b.len);
	gix_free(ix);
	gix_free(empty);
	sb_release(&b2);
	sb_release(&b);
}

static void test_gitindex__version4_paths_round_trip(void **state)
{
	struct gix_edit ed[] = {
		edit("cases/2026/000/2026-000001.yaml", 1),
		edit("cases/2026/000/2026-000002.yaml", 2),
		edit("cases/2026/001/2026-001000.yaml", 3),
		edit("docket.yaml", 4),
	};
	struct gix_edit more[] = { edit("cases/2026/000/2026-000003.yaml",
		5) };
	struct sb b = SB_INIT, b2 = SB_INIT;
	struct gix *v4 = gix_empty(), *ix, *ix2;
	size_t i;

	(void)state;
	v4->version = 4;
	write_to(&b, v4, ed, 4);
	ix = parse_ok(&b, GIX_VERIFY);
	assert_int_equal(ix->version, 4);
	for (i = 0; i < 4; i++)
		assert_string_equal(ix->e[i].path, ed[i].path);
	/* compressed: smaller than the same entries in version 2 */
	assert_true(b.len < 12 + 4 * 70 + 4 * 31 + 20);
	write_to(&b2, ix, more, 1);
	ix2 = parse_ok(&b2, GIX_VERIFY);
	assert_int_equal(ix2->n, 5);
	assert_string_equal(ix2->e[2].path, "cases/2026/000/2026-000003.yaml");
	assert_string_equal(ix2->e[3].path, "cases/2026/001/2026-001000.yaml");
	gix_free(ix2);
	gix_free(ix);
	gix_free(v4);
	sb_release(&b2);
	sb_release(&b);
}

static void test_gitindex__racy_entry_smudged_when_changed(void **state)
{
	struct fx *fx = *state;
	struct gix_edit ed[] = { edit("f", 1), edit("g", 2) };
	struct gix_write_opts o = { fx->dir, NULL, 0 };
	struct diag d = DIAG_INIT;
	struct sb b = SB_INIT, b2 = SB_INIT, p = SB_INIT;
	struct gix *empty = gix_empty(), *ix, *ix2;
	char out[] = "/tmp/test_gitindex.racy.XXXXXX";
	int fd;

	/* both entries as new as the index itself: racily clean; f's file
	 * now holds something else, g's file is gone */
	ed[0].st.st_mtim.tv_sec = ed[1].st.st_mtim.tv_sec = 2000;
	write_to(&b, empty, ed, 2);
	ix = parse_ok(&b, 0);
	ix->mtime.tv_sec = 2000;
	sb_addf(&p, "%s/f", fx->dir);
	fd = open(p.buf, O_WRONLY | O_CREAT, 0600);
	assert_int_equal(write(fd, "changed!!!", 10), 10);
	close(fd);
	fd = mkstemp(out);
	assert_int_equal(gix_write(ix, NULL, 0, fd, &o, &d), 0);
	close(fd);
	assert_int_equal(read_file(&b2, out, 1 << 20, &d), 0);
	unlink(out);
	ix2 = parse_ok(&b2, GIX_VERIFY);
	assert_int_equal(gix_st(&ix2->e[0], GIX_SIZE), 0);
	assert_int_equal(gix_st(&ix2->e[1], GIX_SIZE), 0);
	/* an entry older than the index is kept as it is */
	ix->mtime.tv_sec = 3000;
	sb_reset(&b2);
	fd = mkstemp(strcpy(out, "/tmp/test_gitindex.racy.XXXXXX"));
	assert_int_equal(gix_write(ix, NULL, 0, fd, &o, &d), 0);
	close(fd);
	assert_int_equal(read_file(&b2, out, 1 << 20, &d), 0);
	unlink(out);
	assert_memory_equal(b.buf, b2.buf, b.len);
	gix_free(ix2);
	gix_free(ix);
	gix_free(empty);
	sb_release(&p);
	sb_release(&b2);
	sb_release(&b);
	diag_release(&d);
}

static void test_gitindex__stat_match_and_racy(void **state)
{
	struct gix_edit ed[] = { edit("f", 1) };
	struct sb b = SB_INIT;
	struct gix *empty = gix_empty(), *ix;
	struct stat st = ed[0].st;

	(void)state;
	write_to(&b, empty, ed, 1);
	ix = parse_ok(&b, 0);
	ix->mtime.tv_sec = 5000;
	assert_true(gix_stat_matches(ix, &ix->e[0], &st));
	st.st_size = 11;
	assert_false(gix_stat_matches(ix, &ix->e[0], &st));
	st = ed[0].st;
	ix->mtime.tv_sec = 1000;	/* as old as the file: racy */
	assert_false(gix_stat_matches(ix, &ix->e[0], &st));
	gix_free(ix);
	gix_free(empty);
	sb_release(&b);
}

static void test_gitindex__extensions_kept_and_dropped(void **state)
{
	struct gix_edit ed[] = { edit("a", 1) }, more[] = { edit("b", 2) };
	struct sb b = SB_INIT, b2 = SB_INIT;
	struct gix *empty = gix_empty(), *ix, *ix2;

	(void)state;
	write_to(&b, empty, ed, 1);
	add_extension(&b, "TREE", "\0" "1 0\n", 5);
	/* resolve-undo: path, three modes, an id for the one not 0 */
	add_extension(&b, "REUC", "a\0" "100644\0" "0\0" "0\0"
		"01234567890123456789", 33);
	add_extension(&b, "UNTR", "x", 1);
	ix = parse_ok(&b, GIX_VERIFY);
	assert_null(gix_writable(ix));
	write_to(&b2, ix, more, 1);
	ix2 = parse_ok(&b2, GIX_VERIFY);
	assert_int_equal(ix2->n, 2);
	assert_non_null(memmem(b2.buf, b2.len, "REUC", 4));
	assert_null(memmem(b2.buf, b2.len, "TREE", 4));
	assert_null(memmem(b2.buf, b2.len, "UNTR", 4));
	gix_free(ix2);
	gix_free(ix);
	gix_free(empty);
	sb_release(&b2);
	sb_release(&b);
}

static void test_gitindex__split_and_unknown_required_refused(void **state)
{
	struct gix_edit ed[] = { edit("a", 1) };
	struct diag d = DIAG_INIT;
	struct sb b = SB_INIT, link = SB_INIT;
	struct gix *empty = gix_empty(), *ix;

	(void)state;
	write_to(&b, empty, ed, 1);
	sb_add(&link, "01234567890123456789", 20);
	add_extension(&b, "link", link.buf, link.len);
	ix = parse_ok(&b, GIX_VERIFY);
	assert_non_null(strstr(gix_writable(ix), "split"));
	assert_true(ix->partial);
	assert_int_equal(gix_write(ix, NULL, 0, -1, NULL, &d), ERR_CONFLICT);
	gix_free(ix);
	sb_reset(&b);
	write_to(&b, empty, ed, 1);
	add_extension(&b, "zzzz", "x", 1);
	ix = parse_ok(&b, 0);
	assert_non_null(strstr(gix_writable(ix), "does not know"));
	gix_free(ix);
	gix_free(empty);
	sb_release(&link);
	sb_release(&b);
	diag_release(&d);
}

static void test_gitindex__skip_hash_stays_skip_hash(void **state)
{
	static const unsigned char zero[GIX_OIDLEN];
	struct gix_edit ed[] = { edit("a", 1) }, more[] = { edit("b", 2) };
	struct sb b = SB_INIT, b2 = SB_INIT;
	struct gix *empty = gix_empty(), *ix;

	(void)state;
	write_to(&b, empty, ed, 1);
	memset(b.buf + b.len - GIX_OIDLEN, 0, GIX_OIDLEN);
	ix = parse_ok(&b, GIX_VERIFY);
	assert_true(ix->skip_hash);
	write_to(&b2, ix, more, 1);
	assert_memory_equal(b2.buf + b2.len - GIX_OIDLEN, zero, GIX_OIDLEN);
	gix_free(ix);
	gix_free(empty);
	sb_release(&b2);
	sb_release(&b);
}

static void test_gitindex__damage_is_named(void **state)
{
	struct gix_edit ed[] = { edit("a", 1), edit("b", 2) };
	struct diag d = DIAG_INIT;
	struct sb b = SB_INIT;
	struct gix *empty = gix_empty(), *ix = NULL;

	(void)state;
	write_to(&b, empty, ed, 2);
	b.buf[b.len - 1] ^= 1;
	assert_int_equal(gix_parse(&ix, b.buf, b.len, GIX_VERIFY, "idx", &d),
		ERR_INVALID);
	assert_non_null(strstr(d.msg[0], "checksum"));
	assert_int_equal(gix_parse(&ix, b.buf, 40, 0, "idx", &d),
		ERR_INVALID);
	assert_int_equal(gix_parse(&ix, "DIRC\0\0\0\x09\0\0\0\0"
		"01234567890123456789", 32, 0, "idx", &d), ERR_INVALID);
	assert_non_null(strstr(d.msg[2], "version 9"));
	assert_null(ix);
	gix_free(empty);
	sb_release(&b);
	diag_release(&d);
}


/* ---- the split index --------------------------------------------------- */

/* Write ix with the edits to DIR/index through a temporary file, as the
 * store does, with these split options. */
static void install(const char *dir, const struct gix *ix,
	const struct gix_edit *ed, size_t n, int split, int max_change)
{
	struct gix_write_opts o;
	struct diag d = DIAG_INIT;
	char tmp[PATH_MAX + 16], path[PATH_MAX + 16];
	int fd;

	memset(&o, 0, sizeof(o));
	o.split = split;
	o.max_change = max_change;
	o.gitdir = dir;
	o.mode = 0644;
	snprintf(tmp, sizeof(tmp), "%s/index.tmp", dir);
	snprintf(path, sizeof(path), "%s/index", dir);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(gix_write(ix, ed, n, fd, &o, &d), 0);
	close(fd);
	assert_int_equal(rename(tmp, path), 0);
	diag_release(&d);
}

static struct gix *read_index(const char *dir)
{
	struct diag d = DIAG_INIT;
	struct gix *ix = NULL;
	char path[PATH_MAX + 16];

	snprintf(path, sizeof(path), "%s/index", dir);
	assert_int_equal(gix_read(&ix, path, GIX_VERIFY, &d), 0);
	diag_release(&d);
	return ix;
}

/* The number of entries the file DIR/index itself holds (its header). */
static unsigned own_entries(const char *dir)
{
	struct diag d = DIAG_INIT;
	struct sb b = SB_INIT;
	char path[PATH_MAX + 16];
	unsigned n;

	snprintf(path, sizeof(path), "%s/index", dir);
	assert_int_equal(read_file(&b, path, 1 << 24, &d), 0);
	n = (unsigned)(unsigned char)b.buf[8] << 24 |
		(unsigned)(unsigned char)b.buf[9] << 16 |
		(unsigned)(unsigned char)b.buf[10] << 8 |
		(unsigned char)b.buf[11];
	sb_release(&b);
	diag_release(&d);
	return n;
}

static int shared_files(const char *dir)
{
	char cmd[PATH_MAX + 64];
	FILE *p;
	int n = -1;

	snprintf(cmd, sizeof(cmd), "ls %s | grep -c '^sharedindex\\.'", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_int_equal(fscanf(p, "%d", &n), 1);
	pclose(p);
	return n;
}

static void assert_sorted(const struct gix *ix)
{
	size_t i;

	for (i = 1; i < ix->n; i++)
		assert_true(strcmp(ix->e[i - 1].path, ix->e[i].path) < 0);
}

static void test_gitindex__split_written_and_read(void **state)
{
	struct fx *fx = *state;
	char names[30][16];
	struct gix_edit ed[30], ch[3];
	struct gix *empty = gix_empty(), *ix, *again;
	int i;

	for (i = 0; i < 30; i++) {
		snprintf(names[i], sizeof(names[i]), "f/%02d", i);
		ed[i] = edit(names[i], i + 1);
	}
	install(fx->dir, empty, ed, 30, 0, -1);
	ix = read_index(fx->dir);
	assert_null(ix->base);
	assert_int_equal(shared_files(fx->dir), 0);
	/* split: everything goes to a shared index, nothing here */
	install(fx->dir, ix, NULL, 0, 1, 100);
	gix_free(ix);
	ix = read_index(fx->dir);
	assert_non_null(ix->base);
	assert_int_equal(ix->n, 30);
	assert_int_equal(own_entries(fx->dir), 0);
	assert_int_equal(shared_files(fx->dir), 1);
	assert_null(gix_writable(ix));
	/* one replaced, one removed, one added: two entries here */
	ch[0] = edit("f/04", 0x44);
	ch[1] = edit("f/06", 0);
	ch[1].remove = 1;
	ch[2] = edit("g/new", 0x77);
	install(fx->dir, ix, ch, 3, -1, 100);
	again = read_index(fx->dir);
	assert_non_null(again->base);
	assert_int_equal(own_entries(fx->dir), 2);
	assert_int_equal(shared_files(fx->dir), 1);
	assert_int_equal(again->n, 30);
	assert_sorted(again);
	assert_int_equal(gix_oid(&again->e[gix_find(again, "f/04")])[0], 0x44);
	assert_int_equal(gix_find(again, "f/06"), -1);
	assert_int_equal(gix_oid(&again->e[gix_find(again, "g/new")])[0], 0x77);
	assert_int_equal(gix_oid(&again->e[gix_find(again, "f/29")])[0], 30);
	gix_free(ix);
	/* written again unchanged: the replacement stays here */
	install(fx->dir, again, NULL, 0, -1, 100);
	gix_free(again);
	again = read_index(fx->dir);
	assert_int_equal(own_entries(fx->dir), 2);
	assert_int_equal(again->n, 30);
	assert_int_equal(gix_find(again, "f/06"), -1);
	assert_int_equal(gix_oid(&again->e[gix_find(again, "f/04")])[0], 0x44);
	/* over splitIndex.maxPercentChange: a new shared index */
	install(fx->dir, again, NULL, 0, -1, 0);
	gix_free(again);
	again = read_index(fx->dir);
	assert_int_equal(own_entries(fx->dir), 0);
	assert_int_equal(shared_files(fx->dir), 2);
	assert_int_equal(again->n, 30);
	assert_int_equal(gix_oid(&again->e[gix_find(again, "f/04")])[0], 0x44);
	/* core.splitIndex=false: plain again, every entry here */
	install(fx->dir, again, NULL, 0, 0, -1);
	gix_free(again);
	again = read_index(fx->dir);
	assert_null(again->base);
	assert_int_equal(own_entries(fx->dir), 30);
	assert_int_equal(gix_find(again, "f/06"), -1);
	assert_sorted(again);
	gix_free(again);
	gix_free(empty);
}

/* ch applied to ix and written split: the index read back, holding own
 * entries of its own beside the shared index. */
static struct gix *install_split(struct fx *fx, const struct gix *ix,
	const struct gix_edit *ch, size_t n, unsigned own)
{
	struct gix *split;

	install(fx->dir, ix, ch, n, 1, 100);
	split = read_index(fx->dir);
	assert_non_null(split->base);
	assert_int_equal(own_entries(fx->dir), own);
	return split;
}

/* Entries added to a split index land where their paths sort, among
 * the shared index's (placed by binary search): before the first, between
 * any two, after the last, over a deleted path; the merged index is the
 * one a plain write of the same edits gives. */
static void test_gitindex__split_additions_anywhere(void **state)
{
	struct fx *fx = *state;
	char names[40][16];
	struct gix_edit ed[40], ch[6];
	struct gix *empty = gix_empty(), *ix, *split, *plain;
	size_t i;

	for (i = 0; i < 40; i++) {
		snprintf(names[i], sizeof(names[i]), "m/%02zu", i * 2);
		ed[i] = edit(names[i], (int)i + 1);
	}
	install(fx->dir, empty, ed, 40, 1, 100);
	ix = read_index(fx->dir);
	assert_non_null(ix->base);
	ch[0] = edit("a/first", 0xa1);
	ch[1] = edit("m/01", 0xa2);
	ch[2] = edit("m/40", 0);
	ch[2].remove = 1;
	ch[3] = edit("m/41", 0xa3);
	ch[4] = edit("m/77", 0xa4);
	ch[5] = edit("z/last", 0xa5);
	split = install_split(fx, ix, ch, 6, 5);
	install(fx->dir, ix, ch, 6, 0, -1);
	plain = read_index(fx->dir);
	assert_null(plain->base);
	assert_int_equal(split->n, 44);
	assert_int_equal(plain->n, split->n);
	for (i = 0; i < plain->n; i++) {
		assert_string_equal(split->e[i].path, plain->e[i].path);
		assert_memory_equal(gix_oid(&split->e[i]), gix_oid(&plain->e[i]),
			GIX_OIDLEN);
	}
	assert_sorted(split);
	assert_int_equal(gix_find(split, "m/40"), -1);
	assert_int_equal(gix_oid(&split->e[gix_find(split, "m/41")])[0], 0xa3);
	gix_free(split);
	gix_free(plain);
	/* only additions, all before the shared entries: the merge in
	 * place copies every shared entry onto its own slot */
	ch[0] = edit("a/1", 0xb1);
	ch[1] = edit("a/2", 0xb2);
	split = install_split(fx, ix, ch, 2, 2);
	assert_int_equal(split->n, 42);
	assert_string_equal(split->e[0].path, "a/1");
	assert_string_equal(split->e[1].path, "a/2");
	for (i = 0; i < 40; i++) {
		assert_string_equal(split->e[i + 2].path, names[i]);
		assert_int_equal(gix_oid(&split->e[i + 2])[0], (int)i + 1);
	}
	gix_free(split);
	gix_free(ix);
	gix_free(empty);
}

/* A replacement must be nameless (git's replace_entry() dies on a named
 * one): a split index whose replacement carries a name is damaged. */
static void test_gitindex__split_named_replacement_refused(void **state)
{
	struct fx *fx = *state;
	struct gix_edit ed[] = { edit("a", 1), edit("b", 2) }, ch;
	struct gix *empty = gix_empty(), *ix = NULL;
	struct diag d = DIAG_INIT;
	struct sb b = SB_INIT, named = SB_INIT;
	char path[PATH_MAX + 16];
	FILE *f;

	install(fx->dir, empty, ed, 2, 1, 100);
	ix = read_index(fx->dir);
	ch = edit("b", 0x22);
	install(fx->dir, ix, &ch, 1, 1, 100);
	gix_free(ix);
	ix = NULL;
	snprintf(path, sizeof(path), "%s/index", fx->dir);
	assert_int_equal(read_file(&b, path, 1 << 20, &d), 0);
	/* the one entry here (12 + 64 bytes, nameless) named "b": a name
	 * of one byte fits in the same 64 */
	assert_int_equal(b.buf[12 + 61] & 0xff, 0);
	sb_add(&named, b.buf, b.len);
	named.buf[12 + 61] = 1;
	named.buf[12 + 62] = 'b';
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(named.buf, 1, named.len, f), named.len);
	fclose(f);
	assert_int_equal(gix_read(&ix, path, 0, &d), ERR_INVALID);
	assert_null(ix);
	assert_non_null(strstr(d.msg[0], "replacement with a name"));
	sb_release(&b);
	sb_release(&named);
	diag_release(&d);
	gix_free(empty);
}

static void test_gitindex__split_missing_shared_is_named(void **state)
{
	struct fx *fx = *state;
	struct gix_edit ed[] = { edit("a", 1), edit("b", 2) };
	struct gix *empty = gix_empty(), *ix = NULL;
	struct diag d = DIAG_INIT;
	char cmd[PATH_MAX + 32], path[PATH_MAX + 16];

	install(fx->dir, empty, ed, 2, 1, -1);
	snprintf(cmd, sizeof(cmd), "rm %s/sharedindex.*", fx->dir);
	assert_int_equal(system(cmd), 0);
	snprintf(path, sizeof(path), "%s/index", fx->dir);
	assert_int_equal(gix_read(&ix, path, 0, &d), ERR_INVALID);
	assert_null(ix);
	assert_non_null(strstr(d.msg[0], "shared index"));
	gix_free(empty);
	diag_release(&d);
}

static void ewah_round_trip(const struct bits *b)
{
	struct sb out = SB_INIT;
	struct bits back;
	size_t used, k;

	ewah_write(&out, b);
	assert_int_equal(ewah_read(&back, (const unsigned char *)out.buf,
		out.len, b->nwords * 64, &used), 0);
	assert_int_equal(used, out.len);
	for (k = 0; k < b->nwords * 64; k++)
		assert_int_equal(bits_get(&back, k), bits_get(b, k));
	bits_release(&back);
	sb_release(&out);
}

static void test_gitindex__ewah_round_trip_and_damage(void **state)
{
	struct bits b, bad;
	struct sb out = SB_INIT;
	size_t k, used;

	(void)state;
	memset(&b, 0, sizeof(b));
	ewah_round_trip(&b);
	bits_set(&b, 0);
	ewah_round_trip(&b);
	bits_set(&b, 63);
	bits_set(&b, 64);
	bits_set(&b, 100000);
	ewah_round_trip(&b);
	for (k = 200; k < 200 + 64 * 70; k++)
		bits_set(&b, k);	/* a long run of ones */
	for (k = 9000; k < 20000; k += 7)
		bits_set(&b, k);
	ewah_round_trip(&b);
	ewah_write(&out, &b);
	/* a bit past what the shared index holds; a cut-off bitmap */
	assert_int_equal(ewah_read(&bad, (const unsigned char *)out.buf,
		out.len, 1000, &used), -1);
	assert_int_equal(ewah_read(&bad, (const unsigned char *)out.buf,
		out.len - 5, 200000, &used), -1);
	bits_release(&b);
	sb_release(&out);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_gitindex__write_then_read),
		T(test_gitindex__edits_replace_insert_remove),
		T(test_gitindex__unchanged_write_is_byte_identical),
		T(test_gitindex__version4_paths_round_trip),
		T(test_gitindex__racy_entry_smudged_when_changed),
		T(test_gitindex__stat_match_and_racy),
		T(test_gitindex__extensions_kept_and_dropped),
		T(test_gitindex__split_and_unknown_required_refused),
		T(test_gitindex__skip_hash_stays_skip_hash),
		T(test_gitindex__damage_is_named),
		T(test_gitindex__split_written_and_read),
		T(test_gitindex__split_missing_shared_is_named),
		T(test_gitindex__split_additions_anywhere),
		T(test_gitindex__split_named_replacement_refused),
		T(test_gitindex__ewah_round_trip_and_damage),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
