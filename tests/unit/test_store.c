/*
 * test_store.c - the git-backed store: init, discovery, lock, commits,
 * crash recovery, id allocation and history, checked through libgit2.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <git2.h>

#include "store.h"
#include "unit.h"

#define CFG "timezone: Asia/Shanghai\n"
#define CASE1 "cases/2026/000/2026-000001.yaml"
#define CASE2 "cases/2026/000/2026-000002.yaml"
#define PBUF (2 * PATH_MAX)	/* room for a root plus a store path */

struct fx {
	char base[PATH_MAX];
	char root[PATH_MAX + 16];
	struct store *s;
};

static struct signer signer_at(int64_t t)
{
	struct signer sg = { "Chen Jing", "chen.jing@example.org",
		{ t, 480 } };

	return sg;
}

static void write_text(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path)
{
	struct sb sb = SB_INIT;
	struct diag d = DIAG_INIT;

	if (read_file(&sb, path, 1 << 20, &d)) {
		diag_release(&d);
		sb_release(&sb);
		return NULL;
	}
	return sb_detach(&sb, NULL);
}

/* A fresh store in a mkdtemp directory, opened. */
static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	struct signer sg = signer_at(1764292440);
	struct store_file extra[] = {
		{ "templates/ack.txt", "received\n", 9 },
	};
	struct diag d = DIAG_INIT;

	assert_int_equal(unit_tmpdir(fx->base, sizeof(fx->base), "test_store"), 0);
	snprintf(fx->root, sizeof(fx->root), "%s/store", fx->base);
	assert_int_equal(store_init(fx->root, CFG, extra, 1, 0, &sg, "init",
		&d), 0);
	assert_int_equal(store_open(&fx->s, fx->root, &d), 0);
	diag_release(&d);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	store_free(fx->s);
	unit_rm_tree(fx->base);
	free(fx);
	return 0;
}

/* Commit one file with one case trailer; returns the commit id. */
static void commit_file(struct fx *fx, const char *path, const char *text,
	const char *id, int64_t t, char oid[41])
{
	struct signer sg = signer_at(t);
	struct diag d = DIAG_INIT;
	struct txn *tx = txn_new(fx->s);

	txn_put(tx, path, text, strlen(text));
	txn_case(tx, id);
	assert_int_equal(txn_commit(tx, &sg, "file", "chen.jing",
		"file case", oid, &d), 0);
	txn_free(tx);
	diag_release(&d);
}

/* Number of paths git status reports (untracked included). */
static size_t status_count(const char *root)
{
	git_status_options opts;
	git_repository *repo = NULL;
	git_status_list *list = NULL;
	size_t n;

	git_status_options_init(&opts, GIT_STATUS_OPTIONS_VERSION);
	opts.flags = GIT_STATUS_OPT_INCLUDE_UNTRACKED |
		GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS;
	assert_int_equal(git_repository_open(&repo, root), 0);
	assert_int_equal(git_status_list_new(&list, repo, &opts), 0);
	n = git_status_list_entrycount(list);
	git_status_list_free(list);
	git_repository_free(repo);
	return n;
}

static git_commit *head_commit(git_repository *repo)
{
	git_object *obj = NULL;

	assert_int_equal(git_revparse_single(&obj, repo, "HEAD"), 0);
	return (git_commit *)obj;
}

static void test_store__init_makes_clean_private_repo(void **state)
{
	struct fx *fx = *state;
	git_repository *repo = NULL;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_reference *head = NULL;
	struct stat st;

	assert_int_equal(stat(fx->root, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(status_count(fx->root), 0);

	assert_int_equal(git_repository_open(&repo, fx->root), 0);
	assert_int_equal(git_reference_lookup(&head, repo, "HEAD"), 0);
	assert_string_equal(git_reference_symbolic_target(head),
		"refs/heads/main");
	c = head_commit(repo);
	assert_int_equal(git_commit_parentcount(c), 0);
	assert_string_equal(git_commit_message(c), "init\n");
	assert_string_equal(git_commit_author(c)->email,
		"chen.jing@example.org");
	assert_int_equal(git_commit_tree(&tree, c), 0);
	assert_non_null(git_tree_entry_byname(tree, "docket.yaml"));
	assert_non_null(git_tree_entry_byname(tree, "templates"));

	git_tree_free(tree);
	git_commit_free(c);
	git_reference_free(head);
	git_repository_free(repo);
}

static void test_store__init_refuses_existing_store(void **state)
{
	struct fx *fx = *state;
	struct signer sg = signer_at(1764292440);
	struct diag d = DIAG_INIT;
	char p[PBUF], *cfg;

	assert_int_equal(store_init(fx->root, "other: 1\n", NULL, 0, 0, &sg,
		"init", &d), ERR_CONFLICT);
	assert_non_null(strstr(d.msg[0], "already holds a docket store"));
	snprintf(p, sizeof(p), "%s/docket.yaml", fx->root);
	cfg = slurp(p);
	assert_string_equal(cfg, CFG);
	free(cfg);
	diag_release(&d);
}

static void test_store__init_shared_group_is_group_writable(void **state)
{
	struct fx *fx = *state;
	struct signer sg = signer_at(1764292440);
	struct diag d = DIAG_INIT;
	char dir[PATH_MAX + 16], cfg[PBUF];
	git_repository *repo = NULL;
	git_config *gc = NULL;
	const char *v = NULL;
	struct stat st;
	mode_t old = umask(022);

	snprintf(dir, sizeof(dir), "%s/shared", fx->base);
	assert_int_equal(store_init(dir, CFG, NULL, 0, 1, &sg, "init", &d),
		0);
	umask(old);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0770);
	snprintf(cfg, sizeof(cfg), "%s/docket.yaml", dir);
	assert_int_equal(stat(cfg, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0660);
	assert_int_equal(git_repository_open(&repo, dir), 0);
	assert_int_equal(git_repository_config_snapshot(&gc, repo), 0);
	assert_int_equal(git_config_get_string(&v, gc,
		"core.sharedrepository"), 0);
	/* a mode, not "group": the git CLI then leaves others out too */
	assert_string_equal(v, "0660");
	git_config_free(gc);
	git_repository_free(repo);
	diag_release(&d);
}

/* git-config(1)'s values of core.sharedRepository, one answer each. */
static void test_store__shared_repository_values(void **state)
{
	static const char *priv[] = { "umask", "false", "FALSE", "no", "off",
		"0", "00", "0600", "0700", "", "bogus", "-1", "0x60" };
	static const char *group[] = { "group", "Group", "true", "yes", "on",
		"1", "01", "all", "world", "everybody", "2", "0660", "0640",
		"0604", "0664", "0666", "0770", "2770" };
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(priv) / sizeof(*priv); i++)
		if (store_shared_value(priv[i]) != 0)
			fail_msg("'%s' read as shared", priv[i]);
	for (i = 0; i < sizeof(group) / sizeof(*group); i++)
		if (store_shared_value(group[i]) != 1)
			fail_msg("'%s' read as private", group[i]);
	assert_int_equal(store_shared_value(NULL), 1);
}

/* The value as written in .git/config, read by store_shared_config(). */
static int shared_as_configured(const char *dir, const char *line)
{
	git_repository *repo = NULL;
	char p[PATH_MAX + 32];
	FILE *f;
	int shared;

	snprintf(p, sizeof(p), "%s/.git/config", dir);
	assert_non_null(f = fopen(p, "a"));
	fprintf(f, "[core]\n\t%s\n", line);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(git_repository_open(&repo, dir), 0);
	shared = store_shared_config(repo);
	git_repository_free(repo);
	return shared;
}

static void test_store__shared_repository_config(void **state)
{
	struct fx *fx = *state;
	struct signer sg = signer_at(1764292440);
	struct diag d = DIAG_INIT;
	char dir[PATH_MAX + 16];

	snprintf(dir, sizeof(dir), "%s/cfg", fx->base);
	assert_int_equal(store_init(dir, CFG, NULL, 0, 0, &sg, "init", &d),
		0);
	/* init writes 0600: private; a later line wins, as in git */
	assert_int_equal(shared_as_configured(dir, "bare = false"), 0);
	assert_int_equal(shared_as_configured(dir,
		"sharedRepository = group"), 1);
	assert_int_equal(shared_as_configured(dir,
		"sharedRepository = 0600"), 0);
	assert_int_equal(shared_as_configured(dir,
		"sharedRepository = 0640"), 1);
	assert_int_equal(shared_as_configured(dir,
		"sharedRepository = umask"), 0);
	assert_int_equal(shared_as_configured(dir, "sharedRepository"), 1);
	diag_release(&d);
}

static void test_store__init_failure_leaves_nothing(void **state)
{
	struct fx *fx = *state;
	struct signer sg = signer_at(1764292440);
	/* "notes" is written as a file, then needed as a directory: the
	 * failure comes after the repository and files exist */
	struct store_file bad[] = {
		{ "notes", "x", 1 },
		{ "notes/a.txt", "y", 1 },
	};
	struct store_file escape[] = { { "../escape.txt", "x", 1 } };
	struct diag d = DIAG_INIT;
	char dir[PATH_MAX + 16], p[PBUF];
	struct stat st;

	snprintf(dir, sizeof(dir), "%s/fresh", fx->base);
	assert_int_equal(store_init(dir, CFG, bad, 2, 0, &sg, "init", &d),
		ERR_IO);
	assert_int_equal(stat(dir, &st), -1);
	assert_int_equal(store_init(dir, CFG, escape, 1, 0, &sg, "init", &d),
		ERR_INVALID);
	assert_int_equal(stat(dir, &st), -1);

	/* an existing directory keeps what it had, and nothing more */
	assert_int_equal(mkdir(dir, 0755), 0);
	/* stores set a private umask: the mode is given outright */
	assert_int_equal(chmod(dir, 0755), 0);
	snprintf(p, sizeof(p), "%s/mine.txt", dir);
	write_text(p, "keep\n");
	assert_int_equal(store_init(dir, CFG, bad, 2, 0, &sg, "init", &d),
		ERR_IO);
	assert_int_equal(stat(p, &st), 0);
	snprintf(p, sizeof(p), "%s/.git", dir);
	assert_int_equal(stat(p, &st), -1);
	snprintf(p, sizeof(p), "%s/notes", dir);
	assert_int_equal(stat(p, &st), -1);
	snprintf(p, sizeof(p), "%s/docket.yaml", dir);
	assert_int_equal(stat(p, &st), -1);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0755);
	diag_release(&d);
}

static void test_store__find_by_env_and_parent_walk(void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	char sub[PBUF], *found = NULL, *cwd = getcwd(NULL, 0);

	setenv("DOCKET_DIR", fx->root, 1);
	assert_int_equal(store_find(&found, NULL, &d), 0);
	assert_string_equal(found, fx->root);
	free(found);
	unsetenv("DOCKET_DIR");

	snprintf(sub, sizeof(sub), "%s/templates", fx->root);
	assert_int_equal(chdir(sub), 0);
	assert_int_equal(store_find(&found, NULL, &d), 0);
	assert_string_equal(found, fx->root);
	free(found);
	found = NULL;

	assert_int_equal(chdir(fx->base), 0);
	assert_int_equal(store_find(&found, NULL, &d), ERR_NOTFOUND);
	assert_null(found);
	assert_string_equal(d.msg[0], "not in a docket store (no docket.yaml "
		"here or in any parent; use -C DIR or set DOCKET_DIR)");
	assert_int_equal(store_find(&found, fx->base, &d), ERR_NOTFOUND);
	assert_int_equal(store_find(&found, sub, &d), ERR_NOTFOUND);

	assert_int_equal(chdir(cwd), 0);
	free(cwd);
	diag_release(&d);
}

/* Fork a child that holds the lock; returns its pid once it does. */
static pid_t hold_lock_in_child(const char *root)
{
	struct diag d = DIAG_INIT;
	struct store *s = NULL;
	int fds[2];
	char c;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		if (store_open(&s, root, &d) ||
		    store_lock(s, 1, "docket file", &d))
			_exit(1);
		if (write(fds[1], "x", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	close(fds[0]);
	return pid;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void test_store__lock_excludes_second_process(void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	char want[96];
	double t0;
	pid_t pid;

	pid = hold_lock_in_child(fx->root);
	t0 = now_s();
	assert_int_equal(store_lock(fx->s, 1, "docket test", &d), ERR_LOCKED);
	assert_true(now_s() - t0 >= 0.9);
	assert_true(now_s() - t0 < 3);
	snprintf(want, sizeof(want), "store is locked by pid %ld (docket "
		"file); waited 1 s", (long)pid);
	assert_string_equal(d.msg[0], want);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	diag_release(&d);
}

static void test_store__lock_of_killed_holder_does_not_block(void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	double t0;
	pid_t pid;

	pid = hold_lock_in_child(fx->root);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	t0 = now_s();
	assert_int_equal(store_lock(fx->s, 5, "docket test", &d), 0);
	assert_true(now_s() - t0 < 1);
	store_unlock(fx->s);
	diag_release(&d);
}

static void test_store__commit_writes_file_and_trailers(void **state)
{
	struct fx *fx = *state;
	struct signer sg = signer_at(1764292500);
	struct diag d = DIAG_INIT;
	git_repository *repo = NULL;
	git_commit *c = NULL, *first = NULL;
	struct txn *tx = NULL;
	char oid[41], hex[41], path[PBUF], *text;
	struct sb head = SB_INIT;
	const git_signature *a;

	assert_int_equal(git_repository_open(&repo, fx->root), 0);
	first = head_commit(repo);
	assert_int_equal(store_lock(fx->s, 1, "docket assign", &d), 0);
	tx = txn_new(fx->s);
	txn_put(tx, "cases/2026/000/2026-000123.yaml", "id: 2026-000123\n",
		16);
	txn_case(tx, "2026-000123");
	assert_int_equal(txn_commit(tx, &sg, "assign", "chen.jing",
		"assign 2026-000123: 小区电梯长期故障无人维修", oid, &d), 0);
	txn_free(tx);

	snprintf(path, sizeof(path), "%s/cases/2026/000/2026-000123.yaml",
		fx->root);
	text = slurp(path);
	assert_string_equal(text, "id: 2026-000123\n");
	free(text);

	c = head_commit(repo);
	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	assert_string_equal(oid, hex);
	assert_string_equal(git_commit_message(c),
		"assign 2026-000123: 小区电梯长期故障无人维修\n\n"
		"Case: 2026-000123\nAction: assign\nActor: chen.jing\n");
	a = git_commit_author(c);
	assert_string_equal(a->name, "Chen Jing");
	assert_string_equal(a->email, "chen.jing@example.org");
	assert_int_equal(a->when.time, 1764292500);
	assert_int_equal(a->when.offset, 480);
	assert_string_equal(git_commit_committer(c)->name, "Chen Jing");
	assert_int_equal(git_commit_parentcount(c), 1);
	assert_true(git_oid_equal(git_commit_parent_id(c, 0),
		git_commit_id(first)));
	assert_int_equal(status_count(fx->root), 0);

	assert_int_equal(store_read_head(&head, fx->s,
		"cases/2026/000/2026-000123.yaml", &d), 0);
	assert_string_equal(head.buf, "id: 2026-000123\n");
	assert_true(store_exists_head(fx->s,
		"cases/2026/000/2026-000123.yaml"));
	assert_false(store_exists_head(fx->s, CASE2));
	/* the earlier files are kept in the rebuilt tree */
	assert_true(store_exists_head(fx->s, "templates/ack.txt"));
	assert_true(store_exists_head(fx->s, "docket.yaml"));

	sb_release(&head);
	git_commit_free(c);
	git_commit_free(first);
	git_repository_free(repo);
	diag_release(&d);
}

static void test_store__commits_link_to_parents(void **state)
{
	struct fx *fx = *state;
	git_repository *repo = NULL;
	git_commit *c = NULL;
	char one[41], two[41], hex[41];

	commit_file(fx, CASE1, "a: 1\n", "2026-000001", 1764300000, one);
	commit_file(fx, CASE2, "a: 2\n", "2026-000002", 1764300060, two);
	assert_string_not_equal(one, two);
	assert_int_equal(git_repository_open(&repo, fx->root), 0);
	c = head_commit(repo);
	git_oid_tostr(hex, sizeof(hex), git_commit_id(c));
	assert_string_equal(hex, two);
	git_oid_tostr(hex, sizeof(hex), git_commit_parent_id(c, 0));
	assert_string_equal(hex, one);
	assert_true(store_exists_head(fx->s, CASE1));
	assert_int_equal(status_count(fx->root), 0);
	git_commit_free(c);
	git_repository_free(repo);
}

static void test_store__commit_refuses_escaping_path(void **state)
{
	struct fx *fx = *state;
	struct signer sg = signer_at(1764300000);
	struct diag d = DIAG_INIT;
	struct txn *tx = txn_new(fx->s);
	char oid[41], path[PBUF];
	struct stat st;

	txn_put(tx, "cases/../../evil.yaml", "x\n", 2);
	txn_case(tx, "2026-000001");
	assert_int_equal(txn_commit(tx, &sg, "file", "chen.jing", "file",
		oid, &d), ERR_INVALID);
	snprintf(path, sizeof(path), "%s/evil.yaml", fx->base);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(status_count(fx->root), 0);
	txn_free(tx);
	diag_release(&d);
}

static void test_store__check_clean_detects_hand_edit(void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	char oid[41], path[PBUF];

	commit_file(fx, CASE1, "a: 1\n", "2026-000001", 1764300000, oid);
	assert_int_equal(store_check_clean(fx->s, CASE1, &d), 0);
	assert_int_equal(store_check_clean(fx->s, CASE2, &d), 0);

	snprintf(path, sizeof(path), "%s/%s", fx->root, CASE1);
	write_text(path, "a: 2\n");
	assert_int_equal(store_check_clean(fx->s, CASE1, &d), ERR_CONFLICT);
	assert_string_equal(d.msg[0], "'" CASE1 "' differs from the last "
		"commit (edited by hand?); commit or restore it with git "
		"first");
	unlink(path);
	assert_int_equal(store_check_clean(fx->s, CASE1, &d), ERR_CONFLICT);
	assert_int_equal(d.n, 2);
	diag_release(&d);
}

static void test_store__next_seq_never_reuses_a_recorded_id(void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	char oid[41], path[PBUF];
	long seq = -1;

	assert_int_equal(store_next_seq(&seq, fx->s, NULL, 2026, &d), 0);
	assert_int_equal(seq, 1);
	commit_file(fx, "cases/2026/000/2026-000999.yaml", "a\n",
		"2026-000999", 1764300000, oid);
	commit_file(fx, "cases/2026/000/HZ-2026-000007.yaml", "a\n",
		"HZ-2026-000007", 1764300001, oid);
	assert_int_equal(store_next_seq(&seq, fx->s, "", 2026, &d), 0);
	assert_int_equal(seq, 1000);
	commit_file(fx, "cases/2026/001/2026-001000.yaml", "a\n",
		"2026-001000", 1764300002, oid);
	commit_file(fx, "cases/2026/001/2026-001002.yaml", "a\n",
		"2026-001002", 1764300003, oid);
	assert_int_equal(store_next_seq(&seq, fx->s, NULL, 2026, &d), 0);
	assert_int_equal(seq, 1003);
	assert_int_equal(store_next_seq(&seq, fx->s, "HZ", 2026, &d), 0);
	assert_int_equal(seq, 8);
	assert_int_equal(store_next_seq(&seq, fx->s, "SH", 2026, &d), 0);
	assert_int_equal(seq, 1);
	assert_int_equal(store_next_seq(&seq, fx->s, NULL, 2025, &d), 0);
	assert_int_equal(seq, 1);
	/* a case named in a commit's trailer, its file moved elsewhere */
	commit_file(fx, "cases/2026/000/misplaced.yaml", "a\n",
		"2026-002000", 1764300004, oid);
	assert_int_equal(store_next_seq(&seq, fx->s, NULL, 2026, &d), 0);
	assert_int_equal(seq, 2001);
	/* a file someone made at the next path is stepped over */
	snprintf(path, sizeof(path), "%s/cases/2026/002", fx->root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/cases/2026/002/2026-002001.yaml",
		fx->root);
	write_text(path, "mine\n");
	assert_int_equal(store_next_seq(&seq, fx->s, NULL, 2026, &d), 0);
	assert_int_equal(seq, 2002);
	diag_release(&d);
}

static int file_present(const char *root, const char *rel)
{
	char path[PBUF];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	return lstat(path, &st) == 0;
}

/* The blob id of text, as git would store it. */
static void blob_hex(const char *text, char hex[41])
{
	git_oid oid;

	assert_int_equal(git_odb_hash(&oid, text, strlen(text),
		GIT_OBJECT_BLOB), 0);
	git_oid_tostr(hex, 41, &oid);
}

/* Take path out of git's index, as a crash before the new index was
 * renamed into place leaves it (git rm --cached). */
static void unstage(struct fx *fx, const char *path)
{
	git_repository *repo = NULL;
	git_index *idx = NULL;

	assert_int_equal(git_repository_open(&repo, fx->root), 0);
	assert_int_equal(git_repository_index(&idx, repo), 0);
	assert_int_equal(git_index_remove_bypath(idx, path), 0);
	assert_int_equal(git_index_write(idx), 0);
	git_index_free(idx);
	git_repository_free(repo);
}

static void test_store__lock_finishes_interrupted_commit(void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	char oid[41], head[41], b1[41], b2[41], path[PBUF], j[1024];
	char *text;

	commit_file(fx, CASE1, "a: 1\n", "2026-000001", 1764300000, oid);
	commit_file(fx, CASE2, "b: 1\n", "2026-000002", 1764300001, head);
	/* killed after the branch moved, before the index was in place:
	 * git's index lacks the new file; the other file was changed by
	 * hand since (neither its old nor its new contents) */
	unstage(fx, CASE2);
	blob_hex("a: 1\n", b1);
	blob_hex("b: 1\n", b2);
	snprintf(path, sizeof(path), "%s/%s", fx->root, CASE1);
	write_text(path, "a: mine\n");
	snprintf(j, sizeof(j), "docket-journal 1\nbase %s\nbranch "
		"refs/heads/main\ncommit %s\nput - %s " CASE2 "\nput %s %s "
		CASE1 "\n", oid, head, b2, b1, b1);
	snprintf(path, sizeof(path), "%s/.git/docket-pending", fx->root);
	write_text(path, j);
	assert_int_not_equal(status_count(fx->root), 0);

	assert_int_equal(store_lock(fx->s, 1, "docket test", &d), 0);
	assert_false(file_present(fx->root, ".git/docket-pending"));
	snprintf(path, sizeof(path), "%s/%s", fx->root, CASE1);
	text = slurp(path);
	assert_string_equal(text, "a: mine\n");
	free(text);
	assert_int_equal(store_warnings(fx->s)->n, 1);
	assert_non_null(strstr(store_warnings(fx->s)->msg[0], CASE1));
	store_unlock(fx->s);
	/* only the hand edit is left for git status to show */
	assert_int_equal(status_count(fx->root), 1);
	diag_release(&d);
}

static void test_store__case_paths_merge_head_and_work_tree(void **state)
{
	struct fx *fx = *state;
	struct strlist l = STRLIST_INIT;
	struct diag d = DIAG_INIT;
	char oid[41], path[PBUF];

	commit_file(fx, CASE2, "a\n", "2026-000002", 1764300000, oid);
	commit_file(fx, "cases/2025/000/2025-000009.yaml", "a\n",
		"2025-000009", 1764300001, oid);
	snprintf(path, sizeof(path), "%s/%s", fx->root, CASE1);
	write_text(path, "new\n");
	snprintf(path, sizeof(path), "%s/cases/2026/000/notes.txt",
		fx->root);
	write_text(path, "x\n");
	assert_int_equal(store_case_paths(&l, fx->s, &d), 0);
	assert_int_equal(l.n, 3);
	assert_string_equal(l.v[0], "cases/2025/000/2025-000009.yaml");
	assert_string_equal(l.v[1], CASE1);
	assert_string_equal(l.v[2], CASE2);
	strlist_release(&l);
	diag_release(&d);
}

static void test_store__log_selects_commits_by_trailer(void **state)
{
	struct fx *fx = *state;
	struct signer sg = signer_at(1764300100);
	struct diag d = DIAG_INIT;
	struct log_entry *v = NULL;
	struct txn *tx = NULL;
	char oid[41], both[41];
	size_t n = 0;

	commit_file(fx, CASE1, "a: 1\n", "2026-000001", 1764300000, oid);
	tx = txn_new(fx->s);
	txn_put(tx, CASE1, "a: 2\n", 5);
	txn_put(tx, CASE2, "b: 1\n", 5);
	txn_case(tx, "2026-000001");
	txn_case(tx, "2026-000002");
	assert_int_equal(txn_commit(tx, &sg, "remind", "system",
		"remind: 2 cases due", both, &d), 0);
	txn_free(tx);
	commit_file(fx, CASE2, "b: 2\n", "2026-000002", 1764300200, oid);

	assert_int_equal(store_log(&v, &n, fx->s, "2026-000001", &d), 0);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].oid, both);
	assert_string_equal(v[0].subject, "remind: 2 cases due");
	assert_string_equal(v[0].action, "remind");
	assert_string_equal(v[0].actor, "system");
	assert_string_equal(v[0].author, "Chen Jing");
	assert_int_equal(v[0].when.t, 1764300100);
	assert_int_equal(v[0].when.off, 480);
	assert_string_equal(v[1].action, "file");
	assert_int_equal(v[1].when.t, 1764300000);
	log_entries_free(v, n);

	assert_int_equal(store_log(&v, &n, fx->s, "2026-00000", &d), 0);
	assert_int_equal(n, 0);
	log_entries_free(v, n);
	diag_release(&d);
}

static void test_store__git_email_from_repo_config(void **state)
{
	struct fx *fx = *state;
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	char *email;

	assert_int_equal(git_repository_open(&repo, fx->root), 0);
	assert_int_equal(git_repository_config(&cfg, repo), 0);
	assert_int_equal(git_config_set_string(cfg, "user.email",
		"intake@example.org"), 0);
	git_config_free(cfg);
	git_repository_free(repo);
	email = store_git_email(fx->s);
	assert_string_equal(email, "intake@example.org");
	free(email);
}

/* The hex id of HEAD's commit. */
static void head_hex(const char *root, char hex[41])
{
	git_repository *repo = NULL;
	git_commit *c = NULL;

	assert_int_equal(git_repository_open(&repo, root), 0);
	c = head_commit(repo);
	git_oid_tostr(hex, 41, git_commit_id(c));
	git_commit_free(c);
	git_repository_free(repo);
}


static void test_store__recovery_leaves_work_tree_if_ref_did_not_move(
	void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	char oid[41], b1[41], bx[41], path[PBUF], j[1024], *text;

	commit_file(fx, CASE1, "a: 1\n", "2026-000001", 1764300000, oid);
	/* killed before the branch moved: the journal names a commit the
	 * branch never reached; CASE1 already holds its new contents, a
	 * temporary file of the kill lies beside it, and the user made a
	 * file at the other new path */
	blob_hex("a: 1\n", b1);
	blob_hex("a: 2\n", bx);
	snprintf(j, sizeof(j), "docket-journal 1\nbase %s\nbranch "
		"refs/heads/main\ncommit 0123456789abcdef0123456789abcdef"
		"01234567\nput %s %s " CASE1 "\nput - %s " CASE2 "\n",
		oid, b1, bx, bx);
	snprintf(path, sizeof(path), "%s/.git/docket-pending", fx->root);
	write_text(path, j);
	snprintf(path, sizeof(path), "%s/%s", fx->root, CASE1);
	write_text(path, "a: 2\n");
	snprintf(path, sizeof(path), "%s/%s.tmp.4242", fx->root, CASE1);
	write_text(path, "a: half");
	snprintf(path, sizeof(path), "%s/%s", fx->root, CASE2);
	write_text(path, "mine\n");

	assert_int_equal(store_lock(fx->s, 1, "docket test", &d), 0);
	assert_false(file_present(fx->root, CASE1 ".tmp.4242"));
	assert_false(file_present(fx->root, ".git/docket-pending"));
	snprintf(path, sizeof(path), "%s/%s", fx->root, CASE2);
	text = slurp(path);
	assert_string_equal(text, "mine\n");
	free(text);
	snprintf(path, sizeof(path), "%s/%s", fx->root, CASE1);
	text = slurp(path);
	assert_string_equal(text, "a: 1\n");
	free(text);
	store_unlock(fx->s);
	diag_release(&d);
}

static void test_store__recovery_finishes_commit_named_in_list(void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	char base[41], oid[41], b1[41], b2[41], path[PBUF], j[1024], *text;

	commit_file(fx, CASE1, "a: 1\n", "2026-000001", 1764300000, base);
	commit_file(fx, CASE1, "a: 2\n", "2026-000001", 1764300060, oid);
	/* an older state: the work tree behind, a temporary file, and the
	 * journal naming HEAD's commit */
	blob_hex("a: 1\n", b1);
	blob_hex("a: 2\n", b2);
	snprintf(path, sizeof(path), "%s/%s", fx->root, CASE1);
	write_text(path, "a: 1\n");
	snprintf(path, sizeof(path), "%s/%s.tmp.77", fx->root, CASE1);
	write_text(path, "a: ");
	snprintf(j, sizeof(j), "docket-journal 1\nbase %s\nbranch "
		"refs/heads/main\ncommit %s\nput %s %s " CASE1 "\n", base, oid,
		b1, b2);
	snprintf(path, sizeof(path), "%s/.git/docket-pending", fx->root);
	write_text(path, j);
	assert_int_not_equal(status_count(fx->root), 0);

	assert_true(store_interrupted(fx->s));
	assert_int_equal(store_lock(fx->s, 1, "docket test", &d), 0);
	assert_false(store_interrupted(fx->s));
	snprintf(path, sizeof(path), "%s/%s", fx->root, CASE1);
	text = slurp(path);
	assert_string_equal(text, "a: 2\n");
	free(text);
	assert_false(file_present(fx->root, CASE1 ".tmp.77"));
	assert_false(file_present(fx->root, ".git/docket-pending"));
	store_unlock(fx->s);
	assert_int_equal(status_count(fx->root), 0);
	diag_release(&d);
}

/*
 * Fork a child that takes the lock, makes git lock files as a crash in
 * libgit2's index and ref writes would, and is killed.
 */
static void crash_holding_git_locks(struct fx *fx)
{
	struct diag d = DIAG_INIT;
	struct store *s = NULL;
	int status;
	pid_t pid;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		if (store_open(&s, fx->root, &d) ||
		    store_lock(s, 1, "docket note", &d))
			_exit(1);
		raise(SIGKILL);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
}

static void test_store__lock_takes_over_index_lock_of_crashed_holder(
	void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	char oid[41], path[PBUF];

	crash_holding_git_locks(fx);
	assert_true(file_present(fx->root, ".git/index.lock"));
	/* a lock made by hand is nobody's docket's: it stays */
	snprintf(path, sizeof(path), "%s/.git/refs/heads/main.lock",
		fx->root);
	close(open(path, O_WRONLY | O_CREAT, 0644));
	assert_int_equal(store_lock(fx->s, 1, "docket test", &d), 0);
	assert_true(file_present(fx->root, ".git/index.lock"));
	assert_true(file_present(fx->root, ".git/refs/heads/main.lock"));
	store_unlock(fx->s);
	assert_false(file_present(fx->root, ".git/index.lock"));
	unlink(path);
	commit_file(fx, CASE1, "a: 1\n", "2026-000001", 1764300000, oid);
	assert_int_equal(status_count(fx->root), 0);
	diag_release(&d);
}

static void test_store__lock_waits_for_git_then_names_its_lock(void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	char before[41], after[41], path[PBUF];

	/* an index.lock and no crashed docket: a running git's */
	snprintf(path, sizeof(path), "%s/.git/index.lock", fx->root);
	close(open(path, O_WRONLY | O_CREAT, 0644));
	head_hex(fx->root, before);
	assert_int_equal(store_lock(fx->s, 1, "docket test", &d), ERR_LOCKED);
	assert_non_null(strstr(d.msg[0], "index.lock' exists: another git "
		"command is working in the store"));
	assert_true(file_present(fx->root, ".git/index.lock"));
	head_hex(fx->root, after);
	assert_string_equal(before, after);
	assert_false(file_present(fx->root, ".git/docket-pending"));
	unlink(path);
	diag_release(&d);
}

static void test_store__restore_brings_back_deleted_file(void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	char oid[41], path[PBUF], *text;

	commit_file(fx, CASE1, "a: 1\n", "2026-000001", 1764300000, oid);
	snprintf(path, sizeof(path), "%s/%s", fx->root, CASE1);
	unlink(path);
	assert_int_equal(store_restore(fx->s, CASE1, &d), ERR_GENERIC);
	assert_false(file_present(fx->root, CASE1));

	assert_int_equal(store_lock(fx->s, 1, "docket check", &d), 0);
	diag_release(&d);
	assert_int_equal(store_restore(fx->s, CASE1, &d), 0);
	text = slurp(path);
	assert_string_equal(text, "a: 1\n");
	free(text);
	assert_int_equal(status_count(fx->root), 0);
	assert_false(file_present(fx->root, ".git/docket-pending"));
	/* an equal file is left as it is */
	assert_int_equal(store_restore(fx->s, CASE1, &d), 0);
	assert_int_equal(d.n, 0);
	store_unlock(fx->s);
	diag_release(&d);
}

static void test_store__restore_never_overwrites_hand_edit(void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	char oid[41], path[PBUF], *text;

	commit_file(fx, CASE1, "a: 1\n", "2026-000001", 1764300000, oid);
	snprintf(path, sizeof(path), "%s/%s", fx->root, CASE1);
	write_text(path, "a: mine\n");
	assert_int_equal(store_lock(fx->s, 1, "docket check", &d), 0);
	assert_int_equal(store_restore(fx->s, CASE1, &d), ERR_CONFLICT);
	assert_string_equal(d.msg[0], "'" CASE1 "' differs from the last "
		"commit (edited by hand?); commit or restore it with git "
		"first");
	text = slurp(path);
	assert_string_equal(text, "a: mine\n");
	free(text);
	assert_int_equal(store_restore(fx->s, CASE2, &d), ERR_NOTFOUND);
	assert_string_equal(d.msg[1], "'" CASE2 "' is not in the last "
		"commit");
	assert_int_equal(store_restore(fx->s, "../x", &d), ERR_INVALID);
	store_unlock(fx->s);
	diag_release(&d);
}

static void test_store__read_only_regular_files(void **state)
{
	struct fx *fx = *state;
	struct diag d = DIAG_INIT;
	struct sb buf = SB_INIT;
	char oid[41], path[PBUF];

	commit_file(fx, CASE1, "a: 1\n", "2026-000001", 1764300000, oid);
	assert_int_equal(store_read(&buf, fx->s, CASE1, 3, &d), ERR_INVALID);
	snprintf(path, sizeof(path), "%s/%s", fx->root, CASE1);
	unlink(path);
	/* deleted by hand: missing */
	sb_reset(&buf);
	assert_int_equal(store_read(&buf, fx->s, CASE1, 100, &d),
		ERR_NOTFOUND);
	/* a FIFO is named, never waited on */
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_int_equal(store_read(&buf, fx->s, CASE1, 100, &d),
		ERR_INVALID);
	assert_non_null(strstr(d.msg[d.n - 1], "not a regular file"));
	unlink(path);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	assert_int_equal(store_read(&buf, fx->s, CASE1, 100, &d),
		ERR_INVALID);
	assert_non_null(strstr(d.msg[d.n - 1], "symbolic link"));
	unlink(path);
	sb_release(&buf);
	diag_release(&d);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_store__init_makes_clean_private_repo),
		T(test_store__init_refuses_existing_store),
		T(test_store__init_shared_group_is_group_writable),
		T(test_store__shared_repository_values),
		T(test_store__shared_repository_config),
		T(test_store__init_failure_leaves_nothing),
		T(test_store__find_by_env_and_parent_walk),
		T(test_store__lock_excludes_second_process),
		T(test_store__lock_of_killed_holder_does_not_block),
		T(test_store__commit_writes_file_and_trailers),
		T(test_store__commits_link_to_parents),
		T(test_store__commit_refuses_escaping_path),
		T(test_store__check_clean_detects_hand_edit),
		T(test_store__next_seq_never_reuses_a_recorded_id),
		T(test_store__lock_finishes_interrupted_commit),
		T(test_store__case_paths_merge_head_and_work_tree),
		T(test_store__log_selects_commits_by_trailer),
		T(test_store__git_email_from_repo_config),
		T(test_store__recovery_leaves_work_tree_if_ref_did_not_move),
		T(test_store__recovery_finishes_commit_named_in_list),
		T(test_store__lock_takes_over_index_lock_of_crashed_holder),
		T(test_store__lock_waits_for_git_then_names_its_lock),
		T(test_store__restore_brings_back_deleted_file),
		T(test_store__restore_never_overwrites_hand_edit),
		T(test_store__read_only_regular_files),
	};
	int ret;

	git_libgit2_init();
	ret = cmocka_run_group_tests(tests, NULL, NULL);
	git_libgit2_shutdown();
	return ret;
}
