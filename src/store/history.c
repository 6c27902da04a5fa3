/*
 * history.c - what the branch's history says: one case's log, the
 * (case, action) counts `check` holds the files against, and every case
 * id ever recorded, so none is handed out twice.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cachefile.h"
#include "case.h"
#include "intl.h"
#include "store-int.h"

/*
 * Fill e from a commit if its message has the line "Case: ID"; returns 1
 * if it does.
 */
static int log_match(struct log_entry *e, const git_commit *c,
	const char *id)
{
	const char *msg = git_commit_message(c), *p, *end;
	const git_signature *sig = git_commit_author(c);
	size_t idlen = strlen(id), len;
	int match = 0;

	memset(e, 0, sizeof(*e));
	for (p = msg; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		len = (size_t)(end - p);
		if (p == msg)
			e->subject = xstrndup(p, len);
		if (len == 6 + idlen && !strncmp(p, "Case: ", 6) &&
		    !strncmp(p + 6, id, idlen))
			match = 1;
		if (len >= 8 && !strncmp(p, "Action: ", 8)) {
			free(e->action);
			e->action = xstrndup(p + 8, len - 8);
		}
		if (len >= 7 && !strncmp(p, "Actor: ", 7)) {
			free(e->actor);
			e->actor = xstrndup(p + 7, len - 7);
		}
	}
	if (!match) {
		free(e->subject);
		free(e->action);
		free(e->actor);
		memset(e, 0, sizeof(*e));
		return 0;
	}
	git_oid_tostr(e->oid, sizeof(e->oid), git_commit_id(c));
	e->when.t = sig->when.time;
	e->when.off = sig->when.offset;
	e->author = xstrdup(sig->name ? sig->name : "");
	if (!e->subject)
		e->subject = xstrdup("");
	if (!e->action)
		e->action = xstrdup("");
	if (!e->actor)
		e->actor = xstrdup("");
	return 1;
}

/* Call fn for each commit of HEAD's history not in hide's (NULL: all),
 * newest first when sorted (else in whatever order is cheapest: a
 * sorted walk reads every commit before it yields the first). */
static int walk_history(struct store *s, void (*fn)(const git_commit *c,
	void *data), void *data, const git_oid *hide, int sorted,
	struct diag *d)
{
	git_revwalk *walk = NULL;
	git_commit *c = NULL;
	git_oid oid;
	int err, ret = 0;

	if (git_revwalk_new(&walk, s->repo) < 0 ||
	    git_revwalk_sorting(walk, sorted ? GIT_SORT_TOPOLOGICAL |
	    GIT_SORT_TIME : GIT_SORT_NONE) < 0) {
		ret = git_fail(d, _("cannot read the history"));
		goto out;
	}
	err = git_revwalk_push_head(walk);
	if (err == GIT_EUNBORNBRANCH || err == GIT_ENOTFOUND)
		goto out;
	if (err < 0 || (hide && git_revwalk_hide(walk, hide) < 0)) {
		ret = git_fail(d, _("cannot read the history"));
		goto out;
	}
	while ((err = git_revwalk_next(&oid, walk)) == 0) {
		if (git_commit_lookup(&c, s->repo, &oid) < 0) {
			ret = git_fail(d, _("cannot read the history"));
			goto out;
		}
		fn(c, data);
		git_commit_free(c);
		c = NULL;
	}
	if (err != GIT_ITEROVER)
		ret = git_fail(d, _("cannot read the history"));
out:
	git_commit_free(c);
	git_revwalk_free(walk);
	return ret;
}

struct log_walk {
	const char *id;
	struct log_entry *v;
	size_t n, alloc;
};

static void log_one(const git_commit *c, void *data)
{
	struct log_walk *w = data;

	GROW(w->v, w->alloc, w->n + 1);
	if (log_match(&w->v[w->n], c, w->id))
		w->n++;
}

int store_log(struct log_entry **out, size_t *n, struct store *s,
	const char *id, struct diag *d)
{
	struct log_walk w = { id, NULL, 0, 0 };
	int ret;

	*out = NULL;
	*n = 0;
	ret = walk_history(s, log_one, &w, NULL, 1, d);
	if (ret) {
		log_entries_free(w.v, w.n);
		return ret;
	}
	*out = w.v;
	*n = w.n;
	return 0;
}

/*
 * The history's (case, action) counts for `check`.  Walking 500,000
 * commits takes seconds, so the counts are kept in .git/docket-actions
 * with the commit they were counted up to; a later check walks only the
 * commits since, when that commit is still in HEAD's history (else it
 * counts again from the start).  Layout (cachefile.h's frame, little
 * endian; version 2 was native, with a home-made sum):
 *   "DKTACTS" NUL | u32 version | u32 count | commit id[20] | u32 0
 *   count x { i32 n | u16 idlen | u16 actionlen | id NUL | action NUL }
 *   u64 cachefile_sum() of everything before it
 */
#define ACTIONS_FILE "docket-actions"
#define ACTIONS_MAGIC "DKTACTS"
#define ACTIONS_VERSION 3u
#define ACTIONS_HDR 40
#define ACTIONS_MAX (1u << 30)

static int cmp_case_action(const void *a, const void *b)
{
	const struct case_action *x = a, *y = b;
	int c = strcmp(x->id, y->id);

	return c ? c : strcmp(x->action, y->action);
}

static void actions_push(struct case_actions *out, size_t *alloc,
	const char *id, const char *action, long count)
{
	GROW(out->v, *alloc, out->n + 1);
	out->v[out->n].id = id;
	out->v[out->n].action = action;
	out->v[out->n++].count = count;
}

struct pair_walk {
	struct case_actions *out;
	size_t alloc;
};

#define REVERT_LINE "This reverts commit "
#define REVERT_DEPTH 8

/*
 * Push the (case, action) pairs of commit c with count sign: one per
 * "Case:" trailer, with the commit's "Action:".  A commit with none
 * that says "This reverts commit X." (git revert) takes X's pairs back:
 * its own are X's, negated (a revert of a revert gives them again).
 */
static void commit_pairs(struct pair_walk *w, const git_commit *c, long sign,
	int depth)
{
	struct case_actions *o = w->out;
	const char *msg = git_commit_message(c), *p, *end, *action = "";
	const char *reverts = NULL;
	git_commit *rc = NULL;
	git_oid rid;
	size_t first = o->n, len, i;

	for (p = msg; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		len = (size_t)(end - p);
		if (len > 6 && !strncmp(p, "Case: ", 6))
			actions_push(o, &w->alloc,
				arena_strndup(o->mem, p + 6, len - 6), NULL,
				sign);
		else if (len >= 8 && !strncmp(p, "Action: ", 8))
			action = arena_strndup(o->mem, p + 8, len - 8);
		else if (len >= strlen(REVERT_LINE) + GIT_OID_HEXSZ &&
		    !strncmp(p, REVERT_LINE, strlen(REVERT_LINE)))
			reverts = p + strlen(REVERT_LINE);
	}
	for (i = first; i < o->n; i++)
		o->v[i].action = action;
	if (o->n > first || !reverts || depth >= REVERT_DEPTH)
		return;
	if (git_oid_fromstrn(&rid, reverts, GIT_OID_HEXSZ) == 0 &&
	    git_commit_lookup(&rc, git_commit_owner(c), &rid) == 0)
		commit_pairs(w, rc, -sign, depth + 1);
	git_commit_free(rc);
}

static void pairs_one(const git_commit *c, void *data)
{
	commit_pairs(data, c, 1, 0);
}

/* Sort and add up equal pairs. */
static void actions_fold(struct case_actions *a)
{
	size_t i, n = 0;

	if (a->n > 1)
		xqsort(a->v, a->n, sizeof(*a->v), cmp_case_action);
	for (i = 0; i < a->n; i++) {
		if (n && !cmp_case_action(&a->v[n - 1], &a->v[i]))
			a->v[n - 1].count += a->v[i].count;
		else
			a->v[n++] = a->v[i];
	}
	a->n = n;
}

/* The counts in .git/docket-actions into *out (strings in out->buf): 0
 * and the commit they go up to, or -1 if the file is missing or unsound. */
static int actions_load(struct case_actions *out, const char *file,
	git_oid *upto)
{
	const char *p, *end;
	const unsigned char *u;
	uint32_t count, i;
	int32_t n;
	uint16_t il, al;
	size_t alloc = 0;
	int ret = -1;

	if (cachefile_read(&out->buf, file, ACTIONS_MAGIC, ACTIONS_VERSION,
	    ACTIONS_MAX) || out->buf.len < ACTIONS_HDR)
		goto out;
	p = out->buf.buf;
	end = p + out->buf.len;
	count = get_le32((const unsigned char *)p + CACHEFILE_HDR);
	memcpy(upto->id, p + 16, GIT_OID_RAWSZ);
	for (p += ACTIONS_HDR, i = 0; i < count; i++) {
		if (end - p < 8)
			goto out;
		u = (const unsigned char *)p;
		n = (int32_t)get_le32(u);
		il = get_le16(u + 4);
		al = get_le16(u + 6);
		p += 8;
		if ((size_t)(end - p) < (size_t)il + al + 2 || p[il] ||
		    p[il + 1 + al] || strlen(p) != il ||
		    strlen(p + il + 1) != al)
			goto out;
		actions_push(out, &alloc, p, p + il + 1, n);
		p += il + al + 2;
	}
	ret = p == end ? 0 : -1;
out:
	if (ret)
		out->n = 0;
	return ret;
}

/* Best effort: without the file the next check walks more. */
static void actions_save(const struct case_actions *a, const char *file,
	const git_oid *upto, int shared)
{
	struct sb out = SB_INIT;
	uint32_t count = 0;
	int32_t n;
	uint16_t il, al;
	size_t i;

	cachefile_begin(&out, ACTIONS_MAGIC, ACTIONS_VERSION);
	sb_add_le32(&out, count);	/* counted below */
	sb_add(&out, upto->id, GIT_OID_RAWSZ);
	sb_add_le32(&out, 0);
	for (i = 0; i < a->n; i++) {
		if (strlen(a->v[i].id) > UINT16_MAX ||
		    strlen(a->v[i].action) > UINT16_MAX ||
		    a->v[i].count > INT32_MAX || a->v[i].count < INT32_MIN)
			goto out;
		n = (int32_t)a->v[i].count;
		il = (uint16_t)strlen(a->v[i].id);
		al = (uint16_t)strlen(a->v[i].action);
		sb_add_le32(&out, (uint32_t)n);
		sb_add_le16(&out, il);
		sb_add_le16(&out, al);
		sb_add(&out, a->v[i].id, il + 1u);
		sb_add(&out, a->v[i].action, al + 1u);
		count++;
	}
	put_le32((unsigned char *)out.buf + CACHEFILE_HDR, count);
	(void)cachefile_seal(&out, file, ACTIONS_VERSION, shared);
out:
	sb_release(&out);
}

/* Merge the counts of b into a (both folded); b is left empty. */
static void actions_merge(struct case_actions *a, struct case_actions *b)
{
	struct case_action *v;
	size_t i = 0, j = 0, n = 0;
	int c;

	if (!b->n)
		return;
	v = xcalloc(a->n + b->n, sizeof(*v));
	while (i < a->n || j < b->n) {
		c = i == a->n ? 1 : j == b->n ? -1 :
			cmp_case_action(&a->v[i], &b->v[j]);
		if (c <= 0)
			v[n] = a->v[i++];
		else
			v[n] = b->v[j++];
		if (c == 0)
			v[n].count += b->v[j++].count;
		n++;
	}
	free(a->v);
	a->v = v;
	a->n = n;
	b->n = 0;
}

/*
 * 1 if head is upto or descends from it.  Most often upto is a few first
 * parents back, found by reading those commits; libgit2's
 * git_graph_descendant_of() walks for merge bases instead, 70% of a
 * `file` in a history of 500,000 commits.  It still answers the rest.
 */
#define NEAR_PARENTS 256

static int descends_from(git_repository *repo, const git_oid *head,
	const git_oid *upto)
{
	git_commit *c = NULL;
	git_oid id;
	unsigned n;
	int i;

	git_oid_cpy(&id, head);
	for (i = 0; i < NEAR_PARENTS; i++) {
		if (git_oid_equal(&id, upto))
			return 1;
		if (git_commit_lookup(&c, repo, &id) < 0)
			break;
		n = git_commit_parentcount(c);
		if (n == 1)
			git_oid_cpy(&id, git_commit_parent_id(c, 0));
		git_commit_free(c);
		if (n != 1)
			break;
	}
	return git_graph_descendant_of(repo, head, upto) == 1;
}

/*
 * Call fn for the commits from HEAD down its first parents to stop (not
 * included; NULL: to the root).  docket's histories are linear, and this
 * holds one commit at a time where libgit2's revwalk keeps every commit
 * it has seen (90 MB at 500,000).  1 when a merge commit is met: the
 * caller then walks the whole graph.
 */
static int walk_linear(struct store *s, void (*fn)(const git_commit *c,
	void *data), void *data, const git_oid *stop, struct diag *d)
{
	git_commit *c = NULL;
	git_oid id;
	unsigned n;
	int err;

	err = git_reference_name_to_id(&id, s->repo, "HEAD");
	if (err == GIT_ENOTFOUND || err == GIT_EUNBORNBRANCH)
		return 0;
	if (err < 0)
		return git_fail(d, _("cannot read the history"));
	while (!stop || !git_oid_equal(&id, stop)) {
		if (git_commit_lookup(&c, s->repo, &id) < 0)
			return git_fail(d, _("cannot read the history"));
		n = git_commit_parentcount(c);
		if (n > 1) {
			git_commit_free(c);
			return 1;
		}
		fn(c, data);
		if (n)
			git_oid_cpy(&id, git_commit_parent_id(c, 0));
		git_commit_free(c);
		if (!n)
			break;
	}
	return 0;
}

/*
 * The counting walk, by first parents unless there is a merge.  Commits
 * are read once, so libgit2 is told not to cache them (that held 500 MB
 * at 500,000 commits) and to map the pack in small windows; its settings
 * are put back after.
 */
static int count_walk(struct store *s, struct pair_walk *w,
	const git_oid *hide, struct diag *d)
{
	size_t window = 0, mapped = 0;
	int ret;

	git_libgit2_opts(GIT_OPT_GET_MWINDOW_SIZE, &window);
	git_libgit2_opts(GIT_OPT_GET_MWINDOW_MAPPED_LIMIT, &mapped);
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT,
		(size_t)0);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, (size_t)(8 << 20));
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT,
		(size_t)(32 << 20));
	ret = walk_linear(s, pairs_one, w, hide, d);
	if (ret == 1) {
		w->out->n = 0;
		ret = walk_history(s, pairs_one, w, hide, 0, d);
	}
	/* 4096 bytes: libgit2's default for commits, which has no getter */
	git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_COMMIT,
		(size_t)4096);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_SIZE, window);
	git_libgit2_opts(GIT_OPT_SET_MWINDOW_MAPPED_LIMIT, mapped);
	return ret;
}

int store_case_actions(struct case_actions *out, struct store *s,
	struct diag *d)
{
	struct case_actions fresh;
	struct pair_walk w;
	struct sb file = SB_INIT;
	git_oid head, upto;
	int ret = 0, from_file, err;

	memset(out, 0, sizeof(*out));
	memset(&fresh, 0, sizeof(fresh));
	sb_init(&out->buf);
	out->mem = arena_new(1 << 16);
	fresh.mem = out->mem;
	err = git_reference_name_to_id(&head, s->repo, "HEAD");
	if (err == GIT_ENOTFOUND || err == GIT_EUNBORNBRANCH)
		goto out;
	if (err < 0) {
		ret = git_fail(d, _("cannot read the history"));
		goto out;
	}
	sb_addf(&file, "%s/%s", s->gitdir, ACTIONS_FILE);
	from_file = !actions_load(out, file.buf, &upto);
	if (from_file && git_oid_equal(&upto, &head))
		goto out;
	/* counts up to a commit HEAD no longer has are of another history */
	if (from_file && !descends_from(s->repo, &head, &upto)) {
		out->n = 0;
		from_file = 0;
	}
	w.out = &fresh;
	w.alloc = 0;
	ret = count_walk(s, &w, from_file ? &upto : NULL, d);
	if (ret)
		goto out;
	actions_fold(&fresh);
	actions_merge(out, &fresh);
	actions_save(out, file.buf, &head, s->shared);
out:
	free(fresh.v);
	sb_release(&file);
	if (ret)
		case_actions_release(out);
	return ret;
}

void case_actions_release(struct case_actions *a)
{
	free(a->v);
	arena_free(a->mem);
	sb_release(&a->buf);
	memset(a, 0, sizeof(*a));
}

void log_entries_free(struct log_entry *v, size_t n)
{
	size_t i;

	if (!v)
		return;
	for (i = 0; i < n; i++) {
		free(v[i].author);
		free(v[i].action);
		free(v[i].actor);
		free(v[i].subject);
	}
	free(v);
}


/* ---- ids ever recorded -------------------------------------------------- */

/*
 * The highest sequence number the history ever gave each id series
 * ("2026", "HZ-2026"): every "Case:" trailer of docket's commits and
 * every case file a plain git commit added.  A case moved to another
 * folder, removed with `git rm` or taken back with `git revert` keeps
 * its id used.  Kept in .git/docket-ids with the commit counted up to:
 *   "DKTIDS" NUL NUL | u32 version | commit id[20] | u32 count |
 *   count x { u16 keylen | key | u32 max }  | u64 cachefile_sum()
 * in cachefile.h's frame, little endian.
 */
#define IDS_FILE "docket-ids"
#define IDS_MAGIC "DKTIDS\0"
/* version 3: little endian, summed with XXH3 (cachefile.h); version 2:
 * document numbers too ("Document:" trailers), so a count
 * made by a docket that did not read them is made again */
#define IDS_VERSION 3u
#define IDS_MAX (1u << 24)

struct id_max {
	char *key;
	long max;
};

struct id_walk {
	struct store *s;
	struct id_max *v;
	size_t n, alloc;
};

static void id_note(struct id_walk *w, const char *key, size_t keylen,
	long seq)
{
	size_t i;

	for (i = 0; i < w->n; i++) {
		if (strlen(w->v[i].key) == keylen &&
		    !memcmp(w->v[i].key, key, keylen)) {
			if (seq > w->v[i].max)
				w->v[i].max = seq;
			return;
		}
	}
	GROW(w->v, w->alloc, w->n + 1);
	w->v[w->n].key = xstrndup(key, keylen);
	w->v[w->n++].max = seq;
}

/* "[PREFIX-]YYYY-NNNNNN" (len bytes): its series and number. */
static void id_seen(struct id_walk *w, const char *id, size_t len)
{
	const char *dash;
	long seq = 0;
	size_t i;

	if (len < 11 || len > 64)
		return;
	dash = id + len - 7;
	if (*dash != '-' || (dash - id > 4 && dash[-5] != '-'))
		return;
	for (i = 1; i <= 6; i++) {
		if (dash[i] < '0' || dash[i] > '9')
			return;
		seq = seq * 10 + (dash[i] - '0');
	}
	for (i = 1; i <= 4; i++)
		if (dash[-(long)i] < '0' || dash[-(long)i] > '9')
			return;
	id_note(w, id, (size_t)(dash - id), seq);
}

/*
 * A "Document: YEAR SEQ FORM" trailer (len bytes): its series
 * "doc YEAR FORM" (no case series has a blank) and number.
 */
static void doc_seen(struct id_walk *w, const char *v, size_t len)
{
	struct sb key = SB_INIT;
	const char *p = v, *end = v + len;
	long year = 0, seq = 0;

	while (p < end && *p >= '0' && *p <= '9' && year < 100000)
		year = year * 10 + (*p++ - '0');
	if (p == v || p >= end || *p++ != ' ')
		return;
	v = p;
	while (p < end && *p >= '0' && *p <= '9' && seq < 100000000)
		seq = seq * 10 + (*p++ - '0');
	if (p == v || p >= end || *p++ != ' ' || p >= end)
		return;
	sb_addf(&key, "doc %ld ", year);
	sb_add(&key, p, (size_t)(end - p));
	id_note(w, key.buf, key.len, seq);
	sb_release(&key);
}

static int all_digits(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Highest NNNNNN among "<pat>NNNNNN.yaml" blobs in one folder, or 0. */
static long folder_max(const git_tree *folder, const char *pat)
{
	size_t i, n = git_tree_entrycount(folder), plen = strlen(pat);
	const git_tree_entry *e;
	const char *name;
	long seq, best = 0;

	for (i = 0; i < n; i++) {
		e = git_tree_entry_byindex(folder, i);
		name = git_tree_entry_name(e);
		if (git_tree_entry_type(e) != GIT_OBJECT_BLOB ||
		    strncmp(name, pat, plen) || !all_digits(name + plen, 6) ||
		    strcmp(name + plen + 6, ".yaml"))
			continue;
		seq = strtol(name + plen, NULL, 10);
		if (seq > best)
			best = seq;
	}
	return best;
}

/*
 * The highest id the last commit holds.  Folders hold 1000 sequence
 * numbers each, so the highest id is in the last folder that has any id
 * of this prefix: scan folders from the last
 * backwards (ids of other prefixes may share them) and stop at the first
 * hit.  One folder read per call in the usual single-prefix store.
 */
static int head_last_seq(long *out, struct store *s, const char *prefix,
	int year, struct diag *d)
{
	git_tree *root = NULL, *ytree = NULL, *folder = NULL;
	git_tree_entry *ye = NULL;
	const git_tree_entry *e;
	struct sb pat = SB_INIT;
	char ypath[32];
	size_t i;
	int err, ret;

	*out = 0;
	if (year < 0 || year > 9999)
		return diag_add(d, ERR_INVALID, _("invalid year %d"), year);
	ret = head_tree(&root, s, d);
	if (ret || !root)
		goto out;
	snprintf(ypath, sizeof(ypath), "cases/%04d", year);
	err = git_tree_entry_bypath(&ye, root, ypath);
	if (err == GIT_ENOTFOUND || (!err &&
	    git_tree_entry_type(ye) != GIT_OBJECT_TREE))
		goto out;
	if (err < 0 || git_tree_lookup(&ytree, s->repo,
	    git_tree_entry_id(ye)) < 0) {
		ret = git_fail(d, _("cannot read the last commit"));
		goto out;
	}
	if (prefix && *prefix)
		sb_addf(&pat, "%s-", prefix);
	sb_addf(&pat, "%04d-", year);
	for (i = git_tree_entrycount(ytree); i-- > 0 && !*out;) {
		e = git_tree_entry_byindex(ytree, i);
		if (git_tree_entry_type(e) != GIT_OBJECT_TREE ||
		    strlen(git_tree_entry_name(e)) != 3 ||
		    !all_digits(git_tree_entry_name(e), 3))
			continue;
		if (git_tree_lookup(&folder, s->repo,
		    git_tree_entry_id(e)) < 0) {
			ret = git_fail(d, _("cannot read the last commit"));
			goto out;
		}
		*out = folder_max(folder, pat.buf);
		git_tree_free(folder);
		folder = NULL;
	}
out:
	sb_release(&pat);
	git_tree_free(ytree);
	git_tree_entry_free(ye);
	git_tree_free(root);
	return ret;
}

/* Case files in b's tree of cases/ that a's lacks or has otherwise
 * (depth: year, folder, file). */
static void ids_added(struct id_walk *w, const git_tree *a, const git_tree *b,
	int depth)
{
	git_repository *repo = w->s->repo;
	const git_tree_entry *be, *ae;
	git_tree *as = NULL, *bs = NULL;
	const char *name;
	size_t i, len;

	for (i = 0; i < git_tree_entrycount(b); i++) {
		be = git_tree_entry_byindex(b, i);
		name = git_tree_entry_name(be);
		ae = a ? git_tree_entry_byname(a, name) : NULL;
		if (ae && git_oid_equal(git_tree_entry_id(ae),
		    git_tree_entry_id(be)))
			continue;
		if (depth == 2) {
			len = strlen(name);
			if (git_tree_entry_type(be) == GIT_OBJECT_BLOB &&
			    case_file_name(name))
				id_seen(w, name, len - 5);
			continue;
		}
		if (git_tree_entry_type(be) != GIT_OBJECT_TREE ||
		    git_tree_lookup(&bs, repo, git_tree_entry_id(be)) < 0)
			continue;
		if (ae && git_tree_entry_type(ae) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&as, repo, git_tree_entry_id(ae)) < 0)
			as = NULL;
		ids_added(w, as, bs, depth + 1);
		git_tree_free(as);
		git_tree_free(bs);
		as = bs = NULL;
	}
}

/* The tree of commit c's cases/ folder, or NULL. */
static git_tree *cases_tree(git_repository *repo, const git_commit *c)
{
	git_tree *root = NULL, *cases = NULL;
	git_tree_entry *e = NULL;

	if (git_commit_tree(&root, c) == 0 &&
	    git_tree_entry_bypath(&e, root, "cases") == 0 &&
	    git_tree_entry_type(e) == GIT_OBJECT_TREE &&
	    git_tree_lookup(&cases, repo, git_tree_entry_id(e)) < 0)
		cases = NULL;
	git_tree_entry_free(e);
	git_tree_free(root);
	return cases;
}

/* The ids one commit records: its trailers; a commit not docket's (no
 * "Action:") also by the case files it adds against each parent. */
static void ids_one(const git_commit *c, void *data)
{
	struct id_walk *w = data;
	const char *msg = git_commit_message(c), *p, *end;
	git_commit *parent = NULL;
	git_tree *mine = NULL, *theirs = NULL;
	unsigned i, n;
	int ours = 0;

	for (p = msg; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, '\n');
		if (end - p > 6 && !strncmp(p, "Case: ", 6))
			id_seen(w, p + 6, (size_t)(end - p - 6));
		else if (end - p > 10 && !strncmp(p, "Document: ", 10))
			doc_seen(w, p + 10, (size_t)(end - p - 10));
		else if (end - p >= 8 && !strncmp(p, "Action: ", 8))
			ours = 1;
	}
	if (ours)
		return;
	mine = cases_tree(w->s->repo, c);
	n = git_commit_parentcount(c);
	for (i = 0; mine && i < (n ? n : 1); i++) {
		if (n && git_commit_parent(&parent, c, i) == 0)
			theirs = cases_tree(w->s->repo, parent);
		ids_added(w, theirs, mine, 0);
		git_tree_free(theirs);
		git_commit_free(parent);
		theirs = NULL;
		parent = NULL;
	}
	git_tree_free(mine);
}

static void ids_release(struct id_walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free(w->v[i].key);
	free(w->v);
}

static int ids_load(struct id_walk *w, const char *file, git_oid *upto)
{
	struct sb buf = SB_INIT;
	const unsigned char *p, *end;
	uint32_t count, i, max;
	uint16_t kl;
	int ret = -1;

	if (cachefile_read(&buf, file, IDS_MAGIC, IDS_VERSION, IDS_MAX) ||
	    buf.len < CACHEFILE_HDR + GIT_OID_RAWSZ + 4)
		goto out;
	p = (const unsigned char *)buf.buf + CACHEFILE_HDR;
	end = (const unsigned char *)buf.buf + buf.len;
	memcpy(upto->id, p, GIT_OID_RAWSZ);
	count = get_le32(p + GIT_OID_RAWSZ);
	p += GIT_OID_RAWSZ + 4;
	for (i = 0; i < count; i++) {
		if (end - p < 2)
			goto out;
		kl = get_le16(p);
		if ((size_t)(end - p) < 2u + kl + 4u)
			goto out;
		max = get_le32(p + 2 + kl);
		id_note(w, (const char *)p + 2, kl, (long)max);
		p += 2 + kl + 4;
	}
	ret = p == end ? 0 : -1;
out:
	if (ret) {
		ids_release(w);
		w->v = NULL;
		w->n = w->alloc = 0;
	}
	sb_release(&buf);
	return ret;
}

static void ids_save(const struct id_walk *w, const char *file,
	const git_oid *upto, int shared)
{
	struct sb out = SB_INIT;
	uint32_t count = (uint32_t)w->n, max;
	uint16_t kl;
	size_t i;

	cachefile_begin(&out, IDS_MAGIC, IDS_VERSION);
	sb_add(&out, upto->id, GIT_OID_RAWSZ);
	sb_add_le32(&out, count);
	for (i = 0; i < w->n; i++) {
		kl = (uint16_t)strlen(w->v[i].key);
		max = (uint32_t)w->v[i].max;
		sb_add_le16(&out, kl);
		sb_add(&out, w->v[i].key, kl);
		sb_add_le32(&out, max);
	}
	(void)cachefile_seal(&out, file, IDS_VERSION, shared);
	sb_release(&out);
}

/* Every id series' highest number in HEAD's history, brought up to date
 * from the commits since the kept ones were counted. */
static int ids_update(struct id_walk *w, struct store *s, struct diag *d)
{
	struct sb file = SB_INIT;
	git_oid head, upto;
	int err, from_file, ret = 0;

	w->s = s;
	err = git_reference_name_to_id(&head, s->repo, "HEAD");
	if (err == GIT_ENOTFOUND || err == GIT_EUNBORNBRANCH)
		goto out;
	if (err < 0) {
		ret = git_fail(d, _("cannot read the history"));
		goto out;
	}
	sb_addf(&file, "%s/%s", s->gitdir, IDS_FILE);
	from_file = !ids_load(w, file.buf, &upto);
	if (from_file && git_oid_equal(&upto, &head))
		goto out;
	/* counted up to a commit HEAD no longer has: count them all */
	if (from_file && !descends_from(s->repo, &head, &upto)) {
		ids_release(w);
		w->v = NULL;
		w->n = w->alloc = 0;
		from_file = 0;
	}
	ret = walk_linear(s, ids_one, w, from_file ? &upto : NULL, d);
	if (ret == 1)
		ret = walk_history(s, ids_one, w, from_file ? &upto : NULL, 0,
			d);
	if (!ret)
		ids_save(w, file.buf, &head, s->shared);
out:
	sb_release(&file);
	return ret;
}

/* 1 if the id's file is in the work tree or git's index. */
static int id_taken(struct store *s, const char *id)
{
	char rel[CASE_PATH_BUFSZ];
	struct sb abs = SB_INIT;
	struct stat st;
	int taken;

	if (case_path(rel, id))
		return 1;
	sb_addf(&abs, "%s/%s", s->root, rel);
	taken = lstat(abs.buf, &st) == 0 ||
		(s->index && (session_edit(s, rel) ||
		gix_find(s->index, rel) >= 0));
	sb_release(&abs);
	return taken;
}

int store_next_seq(long *out, struct store *s, const char *prefix, int year,
	struct diag *d)
{
	struct id_walk w = { NULL, NULL, 0, 0 };
	char key[CASE_ID_BUFSZ], id[CASE_ID_BUFSZ];
	long seq = 0, head = 0;
	size_t i;
	int ret;

	*out = 0;
	if (year < 0 || year > 9999)
		return diag_add(d, ERR_INVALID, _("invalid year %d"), year);
	snprintf(key, sizeof(key), "%s%s%04d", prefix ? prefix : "",
		prefix && *prefix ? "-" : "", year);
	ret = ids_update(&w, s, d);
	if (!ret)
		ret = head_last_seq(&head, s, prefix, year, d);
	if (ret)
		goto out;
	for (i = 0; i < w.n; i++)
		if (!strcmp(w.v[i].key, key))
			seq = w.v[i].max;
	if (head > seq)
		seq = head;
	for (seq++; seq <= 999999; seq++)
		if (case_id_make(id, prefix, year, seq) || !id_taken(s, id))
			break;
	*out = seq;
out:
	ids_release(&w);
	return ret;
}

int store_next_docno(long *out, struct store *s, const char *form, int year,
	struct diag *d)
{
	struct id_walk w = { NULL, NULL, 0, 0 };
	struct sb key = SB_INIT;
	long seq = 0;
	size_t i;
	int ret;

	*out = 0;
	if (year < 0 || year > 9999)
		return diag_add(d, ERR_INVALID, _("invalid year %d"), year);
	sb_addf(&key, "doc %d %s", year, form);
	ret = ids_update(&w, s, d);
	if (!ret)
		for (i = 0; i < w.n; i++)
			if (!strcmp(w.v[i].key, key.buf))
				seq = w.v[i].max;
	*out = seq + 1;
	ids_release(&w);
	sb_release(&key);
	return ret;
}
