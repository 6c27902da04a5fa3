/*
 * test_scan.c - the scan engine: every case of a store in path order,
 * committed or only in the work tree; a damaged file skipped, counted
 * and explained; a file changed after the cache was written read again;
 * the same cases whatever the number of threads.
 */
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

#include "scan.h"
#include "unit.h"

#define CFG "timezone: Asia/Shanghai\n"

struct fx {
	char base[PATH_MAX];
	char root[PATH_MAX + 16];
	struct store *s;
	struct config cfg;
};

/* What a scan handed out: "PATH ID SUBJECT [MAPPED]" a line. */
struct seen {
	struct sb lines;
	struct sb skipped;	/* the skip callback's messages */
	struct sb dups;		/* "PATH ID WANT" a line */
};

static void case_text(struct sb *out, long seq, const char *subject)
{
	sb_addf(out, "id: 2026-%06ld\n"
		"kind: report\n"
		"status: received\n"
		"subject: %s\n"
		"channel: phone\n"
		"received_at: 2026-11-28T09:14:00+08:00\n"
		"received_by: zhang.wei\n"
		"events:\n"
		"  - {at: 2026-11-28T09:14:00+08:00, by: zhang.wei, "
		"action: file}\n", seq, subject);
}

/* Write text at the store path rel, its folders made as needed. */
static void put_file(struct fx *fx, const char *rel, const char *text)
{
	char path[2 * PATH_MAX];
	char *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fx->root, rel);
	for (slash = strchr(path + strlen(fx->root) + 1, '/'); slash;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		mkdir(path, 0700);
		*slash = '/';
	}
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* Case seq in its own file: in the work tree only, or committed. */
static void put_case(struct fx *fx, long seq, const char *subject,
	int commit)
{
	struct signer sg = { "Chen Jing", "chen.jing@example.org",
		{ 1764292440, 480 } };
	char rel[CASE_PATH_BUFSZ], id[CASE_ID_BUFSZ], oid[41];
	struct sb text = SB_INIT;
	struct diag d = DIAG_INIT;
	struct txn *tx;

	case_text(&text, seq, subject);
	snprintf(id, sizeof(id), "2026-%06ld", seq);
	assert_int_equal(case_path(rel, id), 0);
	if (!commit) {
		put_file(fx, rel, text.buf);
	} else {
		tx = txn_new(fx->s);
		txn_put(tx, rel, text.buf, text.len);
		txn_case(tx, id);
		assert_int_equal(txn_commit(tx, &sg, "file", "chen.jing",
			"file case", oid, &d), 0);
		txn_free(tx);
	}
	diag_release(&d);
	sb_release(&text);
}

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct signer sg = { "Chen Jing", "chen.jing@example.org",
		{ 1764292440, 480 } };
	struct diag d = DIAG_INIT;

	assert_int_equal(unit_tmpdir(fx->base, sizeof(fx->base), "test_scan"), 0);
	snprintf(fx->root, sizeof(fx->root), "%s/store", fx->base);
	assert_int_equal(store_init(fx->root, CFG, NULL, 0, 0, &sg, "init",
		&d), 0);
	assert_int_equal(store_open(&fx->s, fx->root, &d), 0);
	config_init(&fx->cfg);	/* the built-in one: what a scan reads */
	diag_release(&d);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	config_release(&fx->cfg);
	store_free(fx->s);
	unit_rm_tree(fx->base);
	free(fx);
	return 0;
}

/* Any thread: the subject's length, to see the map's result arrive. */
static void subject_len(void *out, const struct dcase *c, const void *arg)
{
	(void)arg;
	*(size_t *)out = strlen(c->subject);
}

static int note_case(void *data, const char *path, struct dcase *c,
	void *out)
{
	struct seen *s = data;

	sb_addf(&s->lines, "%s %s %s", path, c->id, c->subject);
	if (out)
		sb_addf(&s->lines, " %zu", *(size_t *)out);
	sb_addc(&s->lines, '\n');
	return 0;
}

static void note_skip(void *data, const char *path, const struct diag *bad)
{
	struct seen *s = data;
	size_t i;

	(void)path;
	for (i = 0; i < bad->n; i++)
		sb_addf(&s->skipped, "%s\n", bad->msg[i]);
}

static void note_dup(void *data, const char *path, const char *id,
	const char *want)
{
	struct seen *s = data;

	sb_addf(&s->dups, "%s %s %s\n", path, id, want);
}

static void seen_init(struct seen *s)
{
	sb_init(&s->lines);
	sb_init(&s->skipped);
	sb_init(&s->dups);
}

static void seen_release(struct seen *s)
{
	sb_release(&s->lines);
	sb_release(&s->skipped);
	sb_release(&s->dups);
}

/* Scan fx's store on `threads` threads, with the map when mapped. */
static int scan_with(struct fx *fx, unsigned threads, int mapped,
	struct seen *s, size_t *skipped)
{
	struct scan_src src = { fx->s, &fx->cfg, threads };
	struct scan_each each;
	struct diag d = DIAG_INIT;
	int ret;

	memset(&each, 0, sizeof(each));
	if (mapped) {
		each.size = sizeof(size_t);
		each.map = subject_len;
	}
	each.fn = note_case;
	each.skip = note_skip;
	each.duplicate = note_dup;
	each.data = s;
	ret = scan_store(&src, &each, skipped, &d);
	assert_int_equal(d.n, 0);
	diag_release(&d);
	return ret;
}

static void test_scan__every_case_in_path_order(void **state)
{
	struct fx *fx = *state;
	struct seen s;
	size_t skipped = 99;

	seen_init(&s);
	put_case(fx, 3, "third", 0);
	put_case(fx, 1, "first", 1);
	put_case(fx, 2, "second", 1);
	put_case(fx, 1000, "in the next folder", 0);
	assert_int_equal(scan_with(fx, 0, 1, &s, &skipped), 0);
	assert_string_equal(s.lines.buf,
		"cases/2026/000/2026-000001.yaml 2026-000001 first 5\n"
		"cases/2026/000/2026-000002.yaml 2026-000002 second 6\n"
		"cases/2026/000/2026-000003.yaml 2026-000003 third 5\n"
		"cases/2026/001/2026-001000.yaml 2026-001000 "
		"in the next folder 18\n");
	assert_int_equal(skipped, 0);
	assert_string_equal(s.skipped.buf, "");
	seen_release(&s);
}

static void test_scan__damaged_file_skipped_and_counted(void **state)
{
	struct fx *fx = *state;
	struct seen s;
	size_t skipped = 0;

	seen_init(&s);
	put_case(fx, 1, "first", 1);
	put_file(fx, "cases/2026/000/2026-000002.yaml",
		"id: 2026-000002\nsubject: [unclosed\n");
	put_case(fx, 3, "third", 0);
	assert_int_equal(scan_with(fx, 1, 0, &s, &skipped), 0);
	assert_int_equal(skipped, 1);
	assert_string_equal(s.lines.buf,
		"cases/2026/000/2026-000001.yaml 2026-000001 first\n"
		"cases/2026/000/2026-000003.yaml 2026-000003 third\n");
	/* FILE:LINE:COL: message, for the command to print */
	assert_non_null(strstr(s.skipped.buf,
		"cases/2026/000/2026-000002.yaml:"));
	seen_release(&s);
}

static void test_scan__file_changed_after_cache_read_fresh(void **state)
{
	struct fx *fx = *state;
	struct seen s;
	char cache[2 * PATH_MAX];
	struct stat st;

	seen_init(&s);
	put_case(fx, 1, "committed", 1);
	put_case(fx, 2, "untracked", 0);
	assert_int_equal(scan_with(fx, 0, 0, &s, NULL), 0);
	snprintf(cache, sizeof(cache), "%s/.git/docket-cache", fx->root);
	assert_int_equal(stat(cache, &st), 0);
	/* same size, same second: only the content tells them apart */
	put_case(fx, 1, "COMMITTED", 0);
	put_case(fx, 2, "UNTRACKED", 0);
	sb_reset(&s.lines);
	assert_int_equal(scan_with(fx, 0, 0, &s, NULL), 0);
	assert_string_equal(s.lines.buf,
		"cases/2026/000/2026-000001.yaml 2026-000001 COMMITTED\n"
		"cases/2026/000/2026-000002.yaml 2026-000002 UNTRACKED\n");
	seen_release(&s);
}

static void test_scan__threads_give_the_same_cases(void **state)
{
	struct fx *fx = *state;
	struct seen one, four;
	char subject[32];
	size_t skipped1 = 0, skipped4 = 0;
	long i;

	seen_init(&one);
	seen_init(&four);
	/* enough for every thread to get a share (64 each at least) */
	for (i = 1; i <= 300; i++) {
		snprintf(subject, sizeof(subject), "case %ld%s", i,
			i % 7 ? "" : " with a longer subject");
		put_case(fx, i, subject, 0);
	}
	put_file(fx, "cases/2026/000/2026-000150.yaml", "id: [\n");
	assert_int_equal(scan_with(fx, 1, 1, &one, &skipped1), 0);
	assert_int_equal(scan_with(fx, 4, 1, &four, &skipped4), 0);
	assert_string_equal(one.lines.buf, four.lines.buf);
	assert_string_equal(one.skipped.buf, four.skipped.buf);
	assert_int_equal(skipped1, 1);
	assert_int_equal(skipped4, 1);
	/* and again from the cache the first scans wrote */
	sb_reset(&four.lines);
	assert_int_equal(scan_with(fx, 4, 1, &four, &skipped4), 0);
	assert_string_equal(one.lines.buf, four.lines.buf);
	assert_non_null(strstr(one.lines.buf,
		"cases/2026/000/2026-000299.yaml 2026-000299 case 299 8\n"));
	seen_release(&one);
	seen_release(&four);
}

static void test_scan__copy_in_wrong_folder_counted_once(void **state)
{
	struct fx *fx = *state;
	struct seen s;
	struct sb text = SB_INIT;

	seen_init(&s);
	put_case(fx, 1, "first", 1);
	case_text(&text, 1, "first");
	put_file(fx, "cases/2026/001/2026-000001.yaml", text.buf);
	assert_int_equal(scan_with(fx, 0, 0, &s, NULL), 0);
	assert_string_equal(s.lines.buf,
		"cases/2026/000/2026-000001.yaml 2026-000001 first\n");
	assert_string_equal(s.dups.buf, "cases/2026/001/2026-000001.yaml "
		"2026-000001 cases/2026/000/2026-000001.yaml\n");
	sb_release(&text);
	seen_release(&s);
}

/* scan_store_every: every file, the bad one with no case and why. */
static int note_every(void *data, const char *path, struct dcase *c,
	const struct scan_info *info)
{
	struct seen *s = data;

	sb_addf(&s->lines, "%s %s %s\n", path, c ? c->id : "-",
		info->oid ? "oid" : "no-oid");
	if (!c && info->bad->n)
		sb_addf(&s->skipped, "%s\n", info->bad->msg[0]);
	return 0;
}

static void test_scan__every_file_sees_the_bad_ones(void **state)
{
	struct fx *fx = *state;
	struct scan_src src = { fx->s, &fx->cfg, 0 };
	struct diag d = DIAG_INIT;
	struct seen s;

	seen_init(&s);
	put_case(fx, 1, "first", 1);
	put_file(fx, "cases/2026/000/2026-000002.yaml", "id: [\n");
	assert_int_equal(scan_store_every(&src, note_every, &s, &d), 0);
	assert_string_equal(s.lines.buf,
		"cases/2026/000/2026-000001.yaml 2026-000001 oid\n"
		"cases/2026/000/2026-000002.yaml - oid\n");
	assert_non_null(strstr(s.skipped.buf,
		"cases/2026/000/2026-000002.yaml:"));
	diag_release(&d);
	seen_release(&s);
}

/* A callback's non-zero return stops the scan and is returned. */
static int stop_at_second(void *data, const char *path, struct dcase *c,
	void *out)
{
	int *n = data;

	(void)path;
	(void)c;
	(void)out;
	return ++*n == 2 ? 7 : 0;
}

static void test_scan__callback_stops_the_scan(void **state)
{
	struct fx *fx = *state;
	struct scan_src src = { fx->s, &fx->cfg, 0 };
	struct scan_each each;
	struct diag d = DIAG_INIT;
	int n = 0;

	memset(&each, 0, sizeof(each));
	each.fn = stop_at_second;
	each.data = &n;
	put_case(fx, 1, "first", 0);
	put_case(fx, 2, "second", 0);
	put_case(fx, 3, "third", 0);
	assert_int_equal(scan_store(&src, &each, NULL, &d), 7);
	assert_int_equal(n, 2);
	diag_release(&d);
}

/* A scan of thousands: each case with its own map result, in order. */
struct tally {
	char last[CASE_PATH_BUFSZ];
	long n, stop_at;
	int wrong;		/* a case out of order, or another's result */
};

static int tally_case(void *data, const char *path, struct dcase *c,
	void *out)
{
	struct tally *t = data;

	if (strcmp(path, t->last) <= 0 || !out ||
	    *(size_t *)out != strlen(c->subject))
		t->wrong++;
	snprintf(t->last, sizeof(t->last), "%s", path);
	return ++t->n == t->stop_at ? 7 : 0;
}

static int scan_tally(struct fx *fx, unsigned threads, struct tally *t,
	size_t *skipped)
{
	struct scan_src src = { fx->s, &fx->cfg, threads };
	struct scan_each each;
	struct diag d = DIAG_INIT;
	int ret;

	memset(&each, 0, sizeof(each));
	each.size = sizeof(size_t);
	each.map = subject_len;
	each.fn = tally_case;
	each.data = t;
	ret = scan_store(&src, &each, skipped, &d);
	diag_release(&d);
	return ret;
}

/*
 * A store of several chunks: the threads fill one chunk while this
 * thread hands out the one before, and each case must come with its own
 * map result, in path order, and a stop must stop at once, the chunk
 * being filled then thrown away.
 */
static void test_scan__many_chunks_in_order_and_stopped(void **state)
{
	struct fx *fx = *state;
	struct tally t;
	char subject[48];
	size_t skipped = 0;
	unsigned threads;
	long i;

	for (i = 1; i <= 5000; i++) {
		snprintf(subject, sizeof(subject), "case %ld%.*s", i,
			(int)(i % 23), "............................");
		put_case(fx, i, subject, 0);
	}
	put_file(fx, "cases/2026/002/2026-002500.yaml", "id: [\n");
	for (threads = 1; threads <= 4; threads += 3) {
		/* read, then again from the cache the first scan wrote */
		for (i = 0; i < 2; i++) {
			memset(&t, 0, sizeof(t));
			assert_int_equal(scan_tally(fx, threads, &t,
				&skipped), 0);
			assert_int_equal(t.n, 4999);
			assert_int_equal(skipped, 1);
			assert_int_equal(t.wrong, 0);
		}
		memset(&t, 0, sizeof(t));
		t.stop_at = 3000;
		assert_int_equal(scan_tally(fx, threads, &t, NULL), 7);
		assert_int_equal(t.n, 3000);
		assert_int_equal(t.wrong, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(
			test_scan__every_case_in_path_order, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_scan__damaged_file_skipped_and_counted, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_scan__file_changed_after_cache_read_fresh, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_scan__threads_give_the_same_cases, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_scan__copy_in_wrong_folder_counted_once, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_scan__every_file_sees_the_bad_ones, setup,
			teardown),
		cmocka_unit_test_setup_teardown(
			test_scan__callback_stops_the_scan, setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_scan__many_chunks_in_order_and_stopped, setup,
			teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
