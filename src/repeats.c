/*
 * repeats.c - the likely-repeat keys of every case in HEAD, kept in
 * .git/docket-keys and brought up to date by diffing trees.
 *
 * File layout (native byte order: the file never leaves the machine, and
 * one written elsewhere fails the checksum and is rebuilt):
 *   header  "DKTKEYS" NUL | u32 version | u32 count | tree id[20] | u32 0 |
 *           u64 keys_id() of the secret the keys are made with
 *   rows    count x { u64 phone | u64 who | u64 name | u16 len | path,
 *           NUL-ended }
 * The keys are HMACs under the store's secret (keys.h).  Versions 1 and
 * 2 held unkeyed FNV-1a hashes, reversible by trying every phone number:
 * such a file fails the version check and is rebuilt, never read; so is
 * one made under another secret.
 *   sum     u64 sum64() of everything before it
 * Paths are relative to the `cases` tree (2026/000/2026-000123.yaml).
 */
#include <git2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cache.h"
#include "codec.h"
#include "keys.h"
#include "repeats.h"

#define KEYS_MAGIC "DKTKEYS"	/* and its NUL: 8 bytes */
#define KEYS_VERSION 3u
#define HDR_LEN 48
#define ROW_LEN 26		/* the fixed part of a row */
#define KEYS_MAX (1u << 30)
/* More changed entries than this since the file's tree: rebuild, as
 * dropping each old row costs a pass over all of them. */
#define DIFF_MAX 256
/* Write the file when this many entries changed since its tree: writing
 * 4 MB (100,000 cases) on every intake cost more than diffing a few
 * more cases on the next. */
#define SAVE_AFTER 32

struct key {
	uint64_t phone, who, name;
	const char *path;	/* into buf or own */
	int dead;
};

struct repeats {
	char *file;		/* .git/docket-keys */
	int shared;		/* group-shared store: group may read */
	struct keys *keys;	/* the store's secret */
	git_oid tree;		/* the cases tree the keys are of */
	struct key *v;
	size_t n, alloc;
	struct sb buf;		/* the file as read */
	struct strlist own;	/* paths added since */
};

uint64_t repeats_phone_key(const struct repeats *r, const struct dcase *c)
{
	return keys_hash_phone(r->keys, c->who.phone);
}

uint64_t repeats_who_key(const struct repeats *r, const struct dcase *c)
{
	return keys_hash_who(r->keys, c->who.name, c->respondent);
}

uint64_t repeats_name_key(const struct repeats *r, const struct dcase *c)
{
	return keys_hash_name(r->keys, c->who.name);
}

uint64_t repeats_hash(const struct repeats *r, enum repeats_key which,
	const char *s)
{
	return which == RK_PHONE ? keys_hash_phone(r->keys, s) :
		keys_hash_name(r->keys, s);
}

static void push_key(struct repeats *r, uint64_t phone, uint64_t who,
	uint64_t name, const char *path)
{
	struct key *k;

	GROW(r->v, r->alloc, r->n + 1);
	k = &r->v[r->n++];
	k->phone = phone;
	k->who = who;
	k->name = name;
	k->path = path;
	k->dead = 0;
}

static void add_case(struct repeats *r, const char *path,
	const struct dcase *c)
{
	uint64_t phone = repeats_phone_key(r, c), who = repeats_who_key(r, c);
	uint64_t name = repeats_name_key(r, c);

	if (!phone && !who && !name)
		return;
	strlist_push(&r->own, path);
	push_key(r, phone, who, name, r->own.v[r->own.n - 1]);
}

static void drop_path(struct repeats *r, const char *path)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (!r->v[i].dead && !strcmp(r->v[i].path, path))
			r->v[i].dead = 1;
}

/* ---- the file ----------------------------------------------------------- */

/* 0 and the rows when the file is sound and of this version. */
static int load(struct repeats *r)
{
	const char *p, *end;
	uint32_t count, i;
	uint16_t len;
	uint64_t id;
	int ret = -1;

	if (sealed_read(&r->buf, r->file, KEYS_MAGIC, KEYS_VERSION,
	    KEYS_MAX) || r->buf.len < HDR_LEN)
		goto out;
	p = r->buf.buf;
	end = p + r->buf.len;
	memcpy(&count, p + 12, 4);
	memcpy(r->tree.id, p + 16, GIT_OID_RAWSZ);
	memcpy(&id, p + 40, 8);
	/* keys made under another secret match nothing: rebuild */
	if (id != keys_id(r->keys))
		goto out;
	for (p += HDR_LEN, i = 0; i < count; i++) {
		uint64_t phone, who, name;

		if ((size_t)(end - p) < ROW_LEN)
			goto out;
		memcpy(&phone, p, 8);
		memcpy(&who, p + 8, 8);
		memcpy(&name, p + 16, 8);
		memcpy(&len, p + 24, 2);
		p += ROW_LEN;
		if (len < 2 || (size_t)(end - p) < len || p[len - 1] ||
		    strlen(p) != (size_t)len - 1)
			goto out;
		push_key(r, phone, who, name, p);
		p += len;
	}
	ret = p == end ? 0 : -1;
out:
	if (ret) {
		r->n = 0;
		memset(&r->tree, 0, sizeof(r->tree));
	}
	return ret;
}

static void put_row(struct sb *out, const struct key *k)
{
	size_t n = strlen(k->path) + 1;
	uint16_t len = (uint16_t)n;

	sb_add(out, &k->phone, 8);
	sb_add(out, &k->who, 8);
	sb_add(out, &k->name, 8);
	sb_add(out, &len, 2);
	sb_add(out, k->path, n);
}

/* Best effort, like the parsed-case cache: without it the next run
 * reads more, nothing else. */
static void save(struct repeats *r)
{
	struct sb out = SB_INIT;
	uint32_t count = 0, zero = 0;
	uint64_t id = keys_id(r->keys);
	size_t i;

	sealed_begin(&out, KEYS_MAGIC, KEYS_VERSION);
	sb_add(&out, &count, 4);
	sb_add(&out, r->tree.id, GIT_OID_RAWSZ);
	sb_add(&out, &zero, 4);
	sb_add(&out, &id, 8);
	for (i = 0; i < r->n; i++) {
		if (r->v[i].dead || strlen(r->v[i].path) >= UINT16_MAX)
			continue;
		put_row(&out, &r->v[i]);
		count++;
	}
	memcpy(out.buf + 12, &count, 4);
	(void)sealed_write(&out, r->file, KEYS_VERSION, r->shared);
	sb_release(&out);
}

/* ---- from the repository -------------------------------------------- */

static int is_case_name(const char *path)
{
	const char *base = strrchr(path, '/');

	return case_file_name(base ? base + 1 : path);
}

/* HEAD's `cases` tree; *out NULL when there is none yet. */
static int cases_tree(git_tree **out, git_repository *repo)
{
	git_commit *head = NULL;
	git_tree *root = NULL;
	git_tree_entry *e = NULL;
	git_oid id;
	int ret = -1, err;

	*out = NULL;
	if (git_reference_name_to_id(&id, repo, "HEAD") < 0 ||
	    git_commit_lookup(&head, repo, &id) < 0 ||
	    git_commit_tree(&root, head) < 0)
		goto out;
	err = git_tree_entry_bypath(&e, root, "cases");
	if (err == GIT_ENOTFOUND) {
		ret = 0;
		goto out;
	}
	if (err < 0 || git_tree_entry_type(e) != GIT_OBJECT_TREE)
		goto out;
	ret = git_tree_lookup(out, repo, git_tree_entry_id(e)) < 0 ? -1 : 0;
out:
	git_tree_entry_free(e);
	git_tree_free(root);
	git_commit_free(head);
	return ret;
}

struct reader {
	struct repeats *r;
	git_repository *repo;
	struct case_cache *cc;
	struct sb path;
	size_t changes;		/* entries that differ, in update() */
};

/* Add the keys of the case in blob id, at path (relative to cases/).
 * A file that does not parse has no keys: `check` reports it. */
static void add_blob(struct reader *rd, const git_oid *id, const char *path)
{
	struct diag d = DIAG_INIT;
	struct dcase c;
	git_blob *b = NULL;
	struct sb enc = SB_INIT;

	case_init(&c);
	if (!rd->cc || !cache_get(rd->cc, id->id, &c)) {
		if (git_blob_lookup(&b, rd->repo, id) < 0)
			goto out;
		sb_reset(&rd->path);
		sb_addf(&rd->path, "cases/%s", path);
		if (case_parse(&c, git_blob_rawcontent(b),
		    (size_t)git_blob_rawsize(b), rd->path.buf, &d))
			goto out;
		/* the next scan of the store finds it parsed */
		if (rd->cc) {
			cache_encode(&enc, &c);
			cache_put(rd->cc, id->id, enc.buf, enc.len);
		}
	}
	add_case(rd->r, path, &c);
out:
	sb_release(&enc);
	git_blob_free(b);
	case_release(&c);
	diag_release(&d);
}

static int walk_one(const char *root, const git_tree_entry *e, void *data)
{
	struct reader *rd = data;
	struct sb path = SB_INIT;

	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return 0;
	sb_addf(&path, "%s%s", root, git_tree_entry_name(e));
	if (is_case_name(path.buf))
		add_blob(rd, git_tree_entry_id(e), path.buf);
	sb_release(&path);
	return 0;
}

static int rebuild(struct reader *rd, git_tree *now)
{
	rd->r->n = 0;
	if (!now)
		return 0;
	return git_tree_walk(now, GIT_TREEWALK_PRE, walk_one, rd) < 0 ? -1 : 0;
}

/* Mark the rows under prefix ("2026/000/") gone. */
static void drop_prefix(struct repeats *r, const char *prefix)
{
	size_t i, n = strlen(prefix);

	for (i = 0; i < r->n; i++)
		if (!r->v[i].dead && !strncmp(r->v[i].path, prefix, n))
			r->v[i].dead = 1;
}

static int diff_trees(struct reader *rd, const git_tree *a,
	const git_tree *b, const char *prefix, int depth);

/* One entry present in a (old) or b (new) or both, at prefix. */
static int diff_entry(struct reader *rd, const git_tree_entry *ea,
	const git_tree_entry *eb, const char *prefix, int depth)
{
	git_tree *ta = NULL, *tb = NULL;
	struct sb path = SB_INIT;
	int ret = 0;

	if (ea && eb && git_oid_equal(git_tree_entry_id(ea),
	    git_tree_entry_id(eb)))
		return 0;
	if (++rd->changes > DIFF_MAX || depth > 8)
		return -1;
	sb_addf(&path, "%s%s", prefix,
		git_tree_entry_name(ea ? ea : eb));
	if (ea && git_tree_entry_type(ea) == GIT_OBJECT_BLOB)
		drop_path(rd->r, path.buf);
	if (ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE &&
	    (!eb || git_tree_entry_type(eb) != GIT_OBJECT_TREE)) {
		sb_addc(&path, '/');
		drop_prefix(rd->r, path.buf);
		goto out;
	}
	if (eb && git_tree_entry_type(eb) == GIT_OBJECT_BLOB) {
		if (is_case_name(path.buf))
			add_blob(rd, git_tree_entry_id(eb), path.buf);
	} else if (eb && git_tree_entry_type(eb) == GIT_OBJECT_TREE) {
		if ((ea && git_tree_entry_type(ea) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&ta, rd->repo, git_tree_entry_id(ea)) < 0) ||
		    git_tree_lookup(&tb, rd->repo, git_tree_entry_id(eb)) < 0) {
			ret = -1;
			goto out;
		}
		sb_addc(&path, '/');
		ret = diff_trees(rd, ta, tb, path.buf, depth + 1);
	}
out:
	git_tree_free(ta);
	git_tree_free(tb);
	sb_release(&path);
	return ret;
}

/*
 * Apply what changed from tree a to tree b (either may be NULL), going
 * down only into subtrees whose ids differ: a commit touches one folder,
 * so this reads a handful of trees however large the store is.
 */
static int diff_trees(struct reader *rd, const git_tree *a,
	const git_tree *b, const char *prefix, int depth)
{
	size_t i = 0, j = 0, na, nb;
	const git_tree_entry *ea, *eb;
	int c, ret = 0;

	na = a ? git_tree_entrycount(a) : 0;
	nb = b ? git_tree_entrycount(b) : 0;
	while (!ret && (i < na || j < nb)) {
		ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		c = !ea ? 1 : !eb ? -1 : strcmp(git_tree_entry_name(ea),
			git_tree_entry_name(eb));
		if (c < 0)
			eb = NULL;
		else if (c > 0)
			ea = NULL;
		i += ea != NULL;
		j += eb != NULL;
		ret = diff_entry(rd, ea, eb, prefix, depth);
	}
	return ret;
}

/* Apply what changed between the file's tree and now; -1 to rebuild. */
static int update(struct reader *rd, git_tree *now)
{
	git_tree *old = NULL;
	int ret = -1;

	if (git_tree_lookup(&old, rd->repo, &rd->r->tree) == 0)
		ret = diff_trees(rd, old, now, "", 0);
	git_tree_free(old);
	return ret;
}

struct repeats *repeats_open(const char *root)
{
	struct repeats *r = xcalloc(1, sizeof(*r));
	struct reader rd = { r, NULL, NULL, SB_INIT, 0 };
	git_tree *now = NULL;
	struct sb p = SB_INIT;
	struct diag quiet = DIAG_INIT;
	int ok = 0, rebuilt = 0;

	git_libgit2_init();
	sb_init(&r->buf);
	if (git_repository_open(&rd.repo, root) < 0 ||
	    cases_tree(&now, rd.repo) < 0)
		goto out;
	sb_addf(&p, "%s%s", git_repository_path(rd.repo), REPEATS_FILE);
	r->file = sb_detach(&p, NULL);
	r->shared = cache_repo_shared(rd.repo);
	/* no secret (a read-only store): no keys; the caller reads every
	 * case instead, which finds the same repeats */
	if (keys_open(&r->keys, git_repository_path(rd.repo), r->shared,
	    &quiet))
		goto out;
	if (!load(r) && (now ? git_oid_equal(&r->tree, git_tree_id(now)) :
	    git_oid_is_zero(&r->tree))) {
		ok = 1;
		goto out;
	}
	/* A few changed cases are parsed faster than the parsed-case cache
	 * (all of the store) is opened; a rebuild reads them all. */
	if (now && !git_oid_is_zero(&r->tree) && !update(&rd, now)) {
		ok = 1;
	} else {
		rd.cc = cache_open(root);
		ok = rebuilt = !rebuild(&rd, now);
		cache_save(rd.cc, 0);
	}
	if (!ok || (!rebuilt && rd.changes < SAVE_AFTER))
		goto out;
	if (now)
		git_oid_cpy(&r->tree, git_tree_id(now));
	else
		memset(&r->tree, 0, sizeof(r->tree));
	save(r);
out:
	cache_free(rd.cc);
	sb_release(&rd.path);
	git_tree_free(now);
	git_repository_free(rd.repo);
	git_libgit2_shutdown();
	diag_release(&quiet);
	if (!ok) {
		repeats_close(r);
		return NULL;
	}
	return r;
}

void repeats_candidates(const struct repeats *r, const struct dcase *c,
	struct strlist *paths)
{
	uint64_t phone = repeats_phone_key(r, c), who = repeats_who_key(r, c);
	struct sb p = SB_INIT;
	size_t i;

	for (i = 0; i < r->n; i++) {
		const struct key *k = &r->v[i];

		if (k->dead || !((phone && k->phone == phone) ||
		    (who && k->who == who)))
			continue;
		sb_reset(&p);
		sb_addf(&p, "cases/%s", k->path);
		if (!strlist_has(paths, p.buf))
			strlist_push(paths, p.buf);
	}
	sb_release(&p);
}

void repeats_find(const struct repeats *r, enum repeats_key which,
	uint64_t key, struct strlist *paths)
{
	struct sb p = SB_INIT;
	uint64_t v;
	size_t i;

	for (i = 0; key && i < r->n; i++) {
		const struct key *k = &r->v[i];

		v = which == RK_PHONE ? k->phone : k->name;
		if (k->dead || v != key)
			continue;
		sb_reset(&p);
		sb_addf(&p, "cases/%s", k->path);
		if (!strlist_has(paths, p.buf))
			strlist_push(paths, p.buf);
	}
	sb_release(&p);
}

void repeats_add(struct repeats *r, const char *path, const struct dcase *c)
{
	if (!strncmp(path, "cases/", 6))
		path += 6;
	drop_path(r, path);
	add_case(r, path, c);
}

void repeats_close(struct repeats *r)
{
	if (!r)
		return;
	free(r->file);
	keys_close(r->keys);
	free(r->v);
	sb_release(&r->buf);
	strlist_release(&r->own);
	free(r);
}
