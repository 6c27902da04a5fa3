/*
 * test_attach.c - the rules for files attached to a case: what may be
 * read, the names kept, the limits, and the paths chosen.
 */
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

#include "attach.h"
#include "unit.h"

struct fx {
	char dir[64];
	struct diag d;
	struct dcase c;
	struct attach_set a;
	struct strlist names;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (unit_tmpdir(fx->dir, sizeof(fx->dir), "test_attach")) {
		free(fx);
		return -1;
	}
	case_init(&fx->c);
	set_str(&fx->c.id, "2026-000123");
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	if (unit_rm_tree(fx->dir))
		return -1;
	attach_set_release(&fx->a);
	strlist_release(&fx->names);
	case_release(&fx->c);
	diag_release(&fx->d);
	free(fx);
	return 0;
}

/* Write a file under the fixture directory; returns its path (static). */
static const char *put(struct fx *fx, const char *name, const char *text)
{
	static char path[4][256];
	static int k;
	FILE *f;

	k = (k + 1) % 4;
	snprintf(path[k], sizeof(path[k]), "%s/%s", fx->dir, name);
	f = fopen(path[k], "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path[k];
}

static void test_attach__names_kept_and_refused(void **state)
{
	(void)state;
	assert_true(attach_name_ok("photo-1.jpg"));
	assert_true(attach_name_ok("调解协议书 签字.pdf"));
	assert_false(attach_name_ok(""));
	assert_false(attach_name_ok(".hidden"));
	assert_false(attach_name_ok("a/b"));
	assert_false(attach_name_ok("bad\nname"));
	assert_false(attach_name_ok("\xff\xfe"));
}

static void test_attach__check_names_the_kind_of_file(void **state)
{
	struct fx *fx = *state;
	char p[256];
	size_t size = 99;

	snprintf(p, sizeof(p), "%s/dir", fx->dir);
	assert_int_equal(mkdir(p, 0700), 0);
	assert_int_equal(attach_check("--attach", p, &size, &fx->d),
		ERR_INVALID);
	assert_int_equal(size, 0);
	assert_non_null(strstr(fx->d.msg[0], "--attach: '"));
	assert_non_null(strstr(fx->d.msg[0], "(a directory"));
	snprintf(p, sizeof(p), "%s/fifo", fx->dir);
	assert_int_equal(mkfifo(p, 0600), 0);
	assert_int_equal(attach_check(NULL, p, &size, &fx->d), ERR_INVALID);
	assert_non_null(strstr(fx->d.msg[1], "(a named pipe"));
	assert_int_equal(fx->d.msg[1][0], '\'');
	snprintf(p, sizeof(p), "%s/link", fx->dir);
	assert_int_equal(symlink("dir", p), 0);
	assert_int_equal(attach_check(NULL, p, &size, &fx->d), ERR_INVALID);
	assert_non_null(strstr(fx->d.msg[2], "is a symbolic link"));
	assert_int_equal(attach_check(NULL, "/dev/null", &size, &fx->d),
		ERR_INVALID);
	assert_non_null(strstr(fx->d.msg[3], "(a device)"));
	assert_int_equal(attach_check(NULL, put(fx, "ok.txt", "12345"), &size,
		&fx->d), 0);
	assert_int_equal(size, 5);
	assert_int_equal(fx->d.n, 4);
}

static void test_attach__check_refuses_a_file_over_the_limit(void **state)
{
	struct fx *fx = *state;
	const char *p = put(fx, "big.bin", "");
	size_t size;

	assert_int_equal(truncate(p, ATTACH_MAX + 1), 0);
	assert_int_equal(attach_check(NULL, p, &size, &fx->d), ERR_INVALID);
	assert_non_null(strstr(fx->d.msg[0], "larger than the limit of "
		"26214400 bytes"));
	assert_int_equal(truncate(p, ATTACH_MAX), 0);
	assert_int_equal(attach_check(NULL, p, &size, &fx->d), 0);
}

static void test_attach__files_get_paths_and_checksums(void **state)
{
	struct fx *fx = *state;
	const char *srcs[3];
	char hex[65], sub[128];

	srcs[0] = put(fx, "a.txt", "one");
	srcs[1] = put(fx, "b.txt", "two");
	snprintf(sub, sizeof(sub), "%s/sub", fx->dir);
	assert_int_equal(mkdir(sub, 0700), 0);
	srcs[2] = put(fx, "sub/a.txt", "three");
	assert_int_equal(attach_files(&fx->a, &fx->c, srcs, 3, NULL,
		"--attach", &fx->names, &fx->d), 0);
	assert_int_equal(fx->a.n, 3);
	assert_int_equal(fx->c.natt, 3);
	assert_string_equal(fx->c.att[0].path, "attachments/2026-000123/a.txt");
	assert_string_equal(fx->c.att[1].path, "attachments/2026-000123/b.txt");
	/* the same name again: numbered, never overwritten */
	assert_string_equal(fx->c.att[2].path,
		"attachments/2026-000123/2-a.txt");
	assert_string_equal(fx->a.files[2].path, fx->c.att[2].path);
	assert_int_equal(fx->a.files[2].len, 5);
	assert_memory_equal(fx->a.files[2].data, "three", 5);
	sha256_hex("two", 3, hex);
	assert_string_equal(fx->c.att[1].sha256, hex);
	assert_int_equal(fx->names.n, 3);
	assert_string_equal(fx->names.v[2], "2-a.txt");
}

static void test_attach__names_the_case_has_are_skipped(void **state)
{
	struct fx *fx = *state;
	const char *src = put(fx, "r.jpg", "x");

	fx->c.att = xcalloc(2, sizeof(*fx->c.att));
	fx->c.att[0].path = xstrdup("attachments/2026-000123/r.jpg");
	fx->c.att[0].sha256 = xstrdup("00");
	fx->c.att[1].path = xstrdup("attachments/2026-000123/2-r.jpg");
	fx->c.att[1].sha256 = xstrdup("00");
	fx->c.natt = 2;
	assert_int_equal(attach_files(&fx->a, &fx->c, &src, 1, NULL,
		"--attach", NULL, &fx->d), 0);
	assert_string_equal(fx->c.att[2].path,
		"attachments/2026-000123/3-r.jpg");
}

static void test_attach__one_bad_file_attaches_nothing(void **state)
{
	struct fx *fx = *state;
	const char *srcs[2];
	char missing[128];

	srcs[0] = put(fx, "good.txt", "good");
	snprintf(missing, sizeof(missing), "%s/missing.txt", fx->dir);
	srcs[1] = missing;
	assert_int_equal(attach_files(&fx->a, &fx->c, srcs, 2, NULL,
		"--attach", &fx->names, &fx->d), ERR_INVALID);
	assert_int_equal(fx->c.natt, 0);
	assert_int_equal(fx->a.n, 0);
	assert_int_equal(fx->names.n, 0);
	assert_non_null(strstr(fx->d.msg[0], "cannot read"));
}

static void test_attach__the_total_for_a_case_is_limited(void **state)
{
	struct fx *fx = *state;
	const char *srcs[5];
	char name[16];
	int i;

	for (i = 0; i < 5; i++) {
		snprintf(name, sizeof(name), "%d.bin", i);
		srcs[i] = xstrdup(put(fx, name, ""));
		assert_int_equal(truncate(srcs[i], 24 << 20), 0);
	}
	assert_int_equal(attach_files(&fx->a, &fx->c, srcs, 5, NULL,
		"--attach", NULL, &fx->d), ERR_INVALID);
	assert_non_null(strstr(fx->d.msg[0], "more than 100 MB"));
	assert_int_equal(fx->c.natt, 0);
	for (i = 0; i < 5; i++)
		free((char *)srcs[i]);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_attach__names_kept_and_refused),
		T(test_attach__check_names_the_kind_of_file),
		T(test_attach__check_refuses_a_file_over_the_limit),
		T(test_attach__files_get_paths_and_checksums),
		T(test_attach__names_the_case_has_are_skipped),
		T(test_attach__one_bad_file_attaches_nothing),
		T(test_attach__the_total_for_a_case_is_limited),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
