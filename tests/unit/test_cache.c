/*
 * test_cache.c - the cache of parsed cases: every valid corpus and example
 * case comes back from its cache entry as parsed (less the long texts); a
 * truncated or corrupt cache file is ignored and rebuilt; a file changed
 * after it was indexed is never given its old blob id.
 *
 * Run from the repository root (as `make check` does).
 */
#include <dirent.h>
#include <fcntl.h>
#include <git2.h>
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

#include "cache.h"
#include "codec.h"
#include "ytree.h"
#include "unit.h"

static const char extras_case[] =
	"id: 2026-000007\n"
	"kind: report\n"
	"status: received\n"
	"subject: 测试\n"
	"channel: phone\n"
	"received_at: 2026-11-28T09:14:00+08:00\n"
	"received_by: zhang.wei\n"
	"complainant:\n"
	"  name: 李某\n"
	"  wechat: li-mou\n"
	"description: |\n"
	"  两行\n"
	"  文字\n"
	"x-note: {a: [1, \"two\", {b: ~}], c: 'q'}\n"
	"x-block:\n"
	"  c: |\n"
	"    block\n"
	"x-list:\n"
	"  - one\n"
	"  - k: v\n"
	"events:\n"
	"  - {at: 2026-11-28T09:14:00+08:00, by: zhang.wei, action: file, "
	"tags: [a, b], text: 你好}\n";

/* The case as a cache entry gives it: no closure summary (description
 * and request are kept for `list --text`). */
static void strip_texts(struct dcase *c)
{
	set_str(&c->closure.summary, NULL);
}

static void assert_same_case(const struct dcase *a, const struct dcase *b)
{
	struct sb x = SB_INIT, y = SB_INIT;
	size_t i;

	case_emit(&x, a);
	case_emit(&y, b);
	assert_string_equal(x.buf, y.buf);
	assert_memory_equal(a->mark, b->mark, sizeof(a->mark));
	assert_int_equal(a->nextra, b->nextra);
	for (i = 0; i < a->nextra; i++) {
		assert_int_equal(a->extra[i].line, b->extra[i].line);
		assert_int_equal(a->extra[i].col, b->extra[i].col);
		assert_int_equal(a->extra[i].val->line, b->extra[i].val->line);
	}
	sb_release(&x);
	sb_release(&y);
}

static void round_trip(const char *buf, size_t len, const char *name)
{
	struct diag d = DIAG_INIT;
	struct dcase c, back;
	struct sb enc = SB_INIT;

	if (case_parse(&c, buf, len, name, &d))
		fail_msg("%s does not parse: %s", name, d.n ? d.msg[0] : "");
	cache_encode(&enc, &c);
	assert_int_equal(cache_decode(&back, enc.buf, enc.len), 0);
	strip_texts(&c);
	assert_same_case(&c, &back);
	case_release(&back);
	/* every shorter entry is refused, never misread */
	assert_int_not_equal(cache_decode(&back, enc.buf, enc.len - 1), 0);
	case_release(&c);
	sb_release(&enc);
	diag_release(&d);
}

static void round_trip_file(const char *path)
{
	struct diag d = DIAG_INIT;
	struct sb buf = SB_INIT;

	if (read_file(&buf, path, LIM_CASEFILE, &d))
		fail_msg("cannot read %s", path);
	round_trip(buf.buf, buf.len, path);
	sb_release(&buf);
	diag_release(&d);
}

/* Every *.yaml below dir (recursively); returns how many. */
static size_t round_trip_dir(const char *dir)
{
	struct dirent *de;
	struct sb p = SB_INIT;
	struct stat st;
	size_t n = 0, len;
	DIR *dp = opendir(dir);

	if (!dp)
		return 0;
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		sb_reset(&p);
		sb_addf(&p, "%s/%s", dir, de->d_name);
		if (stat(p.buf, &st))
			continue;
		len = strlen(de->d_name);
		if (S_ISDIR(st.st_mode)) {
			n += round_trip_dir(p.buf);
		} else if (len > 5 && !strcmp(de->d_name + len - 5, ".yaml")) {
			round_trip_file(p.buf);
			n++;
		}
	}
	closedir(dp);
	sb_release(&p);
	return n;
}

/* The cases of every example store: examples/NAME/cases. */
static size_t round_trip_examples(void)
{
	struct dirent *de;
	struct sb p = SB_INIT;
	size_t n = 0;
	DIR *dp = opendir("examples");

	assert_non_null(dp);
	while ((de = readdir(dp))) {
		if (de->d_name[0] == '.')
			continue;
		sb_reset(&p);
		sb_addf(&p, "examples/%s/cases", de->d_name);
		n += round_trip_dir(p.buf);
	}
	closedir(dp);
	sb_release(&p);
	return n;
}

static void test_cache__round_trip_equals_parse(void **state)
{
	size_t n;

	(void)state;
	n = round_trip_dir("tests/corpus/valid");
	assert_true(n > 0);
	n = round_trip_examples();
	assert_true(n > 10);
	round_trip(extras_case, strlen(extras_case), "extras.yaml");
}

static void test_cache__garbage_entry_refused(void **state)
{
	struct dcase c;
	unsigned char junk[64];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)(0x80 | i);
	assert_int_not_equal(cache_decode(&c, junk, sizeof(junk)), 0);
	assert_int_not_equal(cache_decode(&c, "", 0), 0);
}

/* A store-like fixture: a git repository with one case file, indexed. */
struct fix {
	char dir[64];
	char cache[128];
	struct sb text;
};

static void write_text(const char *path, const char *s)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(s, f);
	assert_int_equal(fclose(f), 0);
}

static void fix_setup(struct fix *fx)
{
	git_repository *repo = NULL;
	git_index *idx = NULL;
	struct sb p = SB_INIT;

	assert_int_equal(unit_tmpdir(fx->dir, sizeof(fx->dir), "test_cache"), 0);
	snprintf(fx->cache, sizeof(fx->cache), "%s/.git/%s", fx->dir,
		CACHE_FILE);
	git_libgit2_init();
	assert_int_equal(git_repository_init(&repo, fx->dir, 0), 0);
	sb_reset(&p);
	sb_addf(&p, "%s/cases", fx->dir);
	mkdir(p.buf, 0700);
	sb_adds(&p, "/2026");
	mkdir(p.buf, 0700);
	sb_adds(&p, "/000");
	mkdir(p.buf, 0700);
	sb_adds(&p, "/2026-000007.yaml");
	sb_init(&fx->text);
	sb_adds(&fx->text, extras_case);
	write_text(p.buf, fx->text.buf);
	/* index it a second later, so the entry is not racily clean */
	sleep(1);
	assert_int_equal(git_repository_index(&idx, repo), 0);
	assert_int_equal(git_index_add_bypath(idx,
		"cases/2026/000/2026-000007.yaml"), 0);
	assert_int_equal(git_index_write(idx), 0);
	git_index_free(idx);
	git_repository_free(repo);
	sb_release(&p);
}

static void fix_teardown(struct fix *fx)
{
	unit_rm_tree(fx->dir);
	sb_release(&fx->text);
	git_libgit2_shutdown();
}

/* Open the cache, add the fixture's case if missing, save. */
static int fill(struct fix *fx)
{
	unsigned char oid[CACHE_OID_LEN], want[CACHE_OID_LEN];
	struct case_cache *cc = cache_open(fx->dir);
	struct diag d = DIAG_INIT;
	struct sb enc = SB_INIT;
	struct dcase c;
	int had;

	assert_int_equal(cache_blob_id(cc, "cases/2026/000/2026-000007.yaml",
		oid), 0);
	cache_hash(fx->text.buf, fx->text.len, want);
	assert_memory_equal(oid, want, CACHE_OID_LEN);
	/* a damaged entry is found by cache_has() but refused by
	 * cache_get(), which checks its bytes */
	had = cache_get(cc, oid, &c);
	if (had) {
		assert_true(cache_has(cc, oid));
		assert_string_equal(c.id, "2026-000007");
		assert_non_null(c.description);
		assert_null(c.closure.summary);
		assert_string_equal(c.who.name, "李某");
		case_release(&c);
	} else {
		assert_int_equal(case_parse(&c, fx->text.buf, fx->text.len,
			"x", &d), 0);
		cache_encode(&enc, &c);
		cache_put(cc, oid, enc.buf, enc.len);
		case_release(&c);
	}
	cache_save(cc, 1);
	cache_free(cc);
	sb_release(&enc);
	diag_release(&d);
	return had;
}

static void test_cache__corrupt_or_truncated_is_rebuilt(void **state)
{
	struct fix fx;
	struct stat st;
	int fd;

	(void)state;
	fix_setup(&fx);
	assert_int_equal(fill(&fx), 0);		/* no cache yet */
	assert_int_equal(stat(fx.cache, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(fill(&fx), 1);		/* served from it */
	/* truncated: ignored, then written whole again */
	assert_int_equal(truncate(fx.cache, st.st_size - 3), 0);
	assert_int_equal(fill(&fx), 0);
	assert_int_equal(fill(&fx), 1);
	/* one byte changed in the data: the entry's checksum refuses it */
	fd = open(fx.cache, O_RDWR);
	assert_true(fd >= 0);
	assert_int_equal(pwrite(fd, "\xff", 1, st.st_size - 10), 1);
	close(fd);
	assert_int_equal(fill(&fx), 0);
	assert_int_equal(fill(&fx), 1);
	/* an empty file and garbage are no cache either */
	write_text(fx.cache, "");
	assert_int_equal(fill(&fx), 0);
	write_text(fx.cache, "DKTCACHE and then nonsense of some length");
	assert_int_equal(fill(&fx), 0);
	assert_int_equal(fill(&fx), 1);
	fix_teardown(&fx);
}

static void test_cache__changed_file_never_gets_old_id(void **state)
{
	unsigned char oid[CACHE_OID_LEN], old[CACHE_OID_LEN];
	struct case_cache *cc;
	struct sb p = SB_INIT;
	struct fix fx;
	char *edit;

	(void)state;
	fix_setup(&fx);
	cc = cache_open(fx.dir);
	assert_int_equal(cache_blob_id(cc, "cases/2026/000/2026-000007.yaml",
		old), 0);
	cache_free(cc);
	/* same size, other bytes, written at once (same second) */
	edit = xstrdup(fx.text.buf);
	*strstr(edit, "测试") = 'X';
	sb_addf(&p, "%s/cases/2026/000/2026-000007.yaml", fx.dir);
	write_text(p.buf, edit);
	cc = cache_open(fx.dir);
	if (!cache_blob_id(cc, "cases/2026/000/2026-000007.yaml", oid))
		assert_memory_not_equal(oid, old, CACHE_OID_LEN);
	/* a file the index does not know has no id from it */
	assert_int_not_equal(cache_blob_id(cc,
		"cases/2026/000/2026-000008.yaml", oid), 0);
	cache_free(cc);
	free(edit);
	sb_release(&p);
	fix_teardown(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cache__round_trip_equals_parse),
		cmocka_unit_test(test_cache__garbage_entry_refused),
		cmocka_unit_test(test_cache__corrupt_or_truncated_is_rebuilt),
		cmocka_unit_test(test_cache__changed_file_never_gets_old_id),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
