/*
 * gc.c - packing the loose objects every commit leaves, as git's
 * `gc --auto` does (git repack -d -l: the loose objects go into one new
 * pack, then the loose copies the pack holds are removed).
 *
 * libgit2 never packs: each docket action leaves about six loose objects
 * (a blob, the trees on its path, the commit), so a year of 100,000
 * actions is some 600,000 small files under .git/objects, slow to read
 * cold and to walk.  After an action, under the store lock, docket counts
 * the loose objects as git does (those in objects/17, times 256) and
 * packs them when there are more than gc.auto (git's setting, default
 * 6700; 0 turns it off); `docket gc` packs at once.
 *
 * Crash safety: the pack and its index are made durable (fsync of both
 * and of objects/pack) before any loose object goes, and a loose object
 * goes only once the new pack, opened on its own, is found to hold it:
 * killed at any point, every object is still in one place or the other.
 * Objects written beside docket by git itself are packed or left alone,
 * never lost; unreachable objects are packed too (docket prunes nothing).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2/sys/odb_backend.h>

#include "intl.h"
#include "store-int.h"

#define GC_AUTO_DEFAULT 6700	/* git's gc.auto */

/* 1 if name is a loose object's file name: 38 lowercase hex digits. */
static int loose_name(const char *name)
{
	size_t i;

	for (i = 0; name[i]; i++)
		if (!((name[i] >= '0' && name[i] <= '9') ||
		    (name[i] >= 'a' && name[i] <= 'f')))
			return 0;
	return i == GIT_OID_HEXSZ - 2;
}

/* The loose objects in objects/XX (hex "xx"), appended to *v. */
static void loose_in(const char *objdir, const char *xx, git_oid **v,
	size_t *n, size_t *alloc)
{
	struct sb path = SB_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	struct dirent *de;
	DIR *dir;

	sb_addf(&path, "%s/%s", objdir, xx);
	dir = opendir(path.buf);
	while (dir && (de = readdir(dir)) != NULL) {
		if (!loose_name(de->d_name))
			continue;
		memcpy(hex, xx, 2);
		memcpy(hex + 2, de->d_name, GIT_OID_HEXSZ - 2);
		hex[GIT_OID_HEXSZ] = '\0';
		GROW(*v, *alloc, *n + 1);
		if (git_oid_fromstr(&(*v)[*n], hex) == 0)
			(*n)++;
	}
	if (dir)
		closedir(dir);
	sb_release(&path);
}

static void objects_dir(struct sb *out, const struct store *s)
{
	sb_addf(out, "%s/objects", s->gitdir);
}

/* Every loose object of the store, appended to *v. */
static void loose_all(const char *objdir, git_oid **v, size_t *n,
	size_t *alloc)
{
	char xx[3];
	unsigned i;

	for (i = 0; i < 256; i++) {
		snprintf(xx, sizeof(xx), "%02x", i);
		loose_in(objdir, xx, v, n, alloc);
	}
}

long store_gc_estimate(const struct store *s, long limit)
{
	struct sb dir = SB_INIT;
	git_oid *v = NULL;
	size_t n = 0, alloc = 0;
	long est;

	objects_dir(&dir, s);
	if (limit > 256) {
		/* git's estimate: one folder of 256, the ids uniform */
		loose_in(dir.buf, "17", &v, &n, &alloc);
		est = (long)n * 256;
	} else {
		/* a threshold that small is counted, not sampled */
		loose_all(dir.buf, &v, &n, &alloc);
		est = (long)n;
	}
	free(v);
	sb_release(&dir);
	return est;
}

/* gc.auto from git's configuration; GC_AUTO_DEFAULT when unset. */
static long gc_auto(struct store *s)
{
	git_config *cfg = NULL;
	int32_t v = GC_AUTO_DEFAULT;

	if (git_repository_config_snapshot(&cfg, s->repo) == 0 &&
	    git_config_get_int32(&v, cfg, "gc.auto") < 0)
		v = GC_AUTO_DEFAULT;
	git_config_free(cfg);
	return v;
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC), ret;

	if (fd < 0)
		return -1;
	ret = fsync(fd);
	close(fd);
	return ret;
}

/* Make the new pack, its index and their folder durable. */
static int sync_pack(const char *packdir, const char *name, struct diag *d)
{
	static const char *const ext[] = { "pack", "idx" };
	struct sb p = SB_INIT;
	size_t i;
	int ret = 0;

	for (i = 0; i < 2 && !ret; i++) {
		sb_reset(&p);
		sb_addf(&p, "%s/pack-%s.%s", packdir, name, ext[i]);
		if (fsync_path(p.buf, O_RDONLY) < 0)
			ret = diag_add(d, ERR_IO, _("cannot sync '%s': %s"),
				p.buf, strerror(errno));
	}
	if (!ret && fsync_path(packdir, O_RDONLY | O_DIRECTORY) < 0)
		ret = diag_add(d, ERR_IO, _("cannot sync '%s': %s"), packdir,
			strerror(errno));
	sb_release(&p);
	return ret;
}

/* Remove the loose copies of what the pack (opened on its own) holds. */
static size_t prune_packed(const char *objdir, const char *idx,
	const git_oid *v, size_t n)
{
	git_odb *odb = NULL;
	git_odb_backend *pack = NULL;
	struct sb path = SB_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i, removed = 0;

	if (git_odb_new(&odb) < 0 || git_odb_backend_one_pack(&pack, idx) < 0)
		goto out;
	if (git_odb_add_backend(odb, pack, 1) < 0) {
		pack->free(pack);
		goto out;
	}
	for (i = 0; i < n; i++) {
		if (!git_odb_exists(odb, &v[i]))
			continue;
		git_oid_tostr(hex, sizeof(hex), &v[i]);
		sb_reset(&path);
		sb_addf(&path, "%s/%.2s/%s", objdir, hex, hex + 2);
		if (unlink(path.buf) == 0)
			removed++;
		/* the folder goes when it is empty, as git's prune-packed */
		sb_reset(&path);
		sb_addf(&path, "%s/%.2s", objdir, hex);
		(void)rmdir(path.buf);
	}
out:
	git_odb_free(odb);
	sb_release(&path);
	return removed;
}

int store_gc(struct store *s, struct gc_result *res, struct diag *d)
{
	struct sb objdir = SB_INIT, packdir = SB_INIT, idx = SB_INIT;
	git_packbuilder *pb = NULL;
	git_odb *odb = NULL;
	git_oid *v = NULL;
	size_t n = 0, alloc = 0, i;
	int ret = 0;

	memset(res, 0, sizeof(*res));
	objects_dir(&objdir, s);
	loose_all(objdir.buf, &v, &n, &alloc);
	if (!n)
		goto out;
	sb_addf(&packdir, "%s/pack", objdir.buf);
	if (git_packbuilder_new(&pb, s->repo) < 0) {
		ret = git_fail(d, _("cannot start a pack"));
		goto out;
	}
	/* the delta search is the cost: every core (0 asks for them all) */
	git_packbuilder_set_threads(pb, 0);
	for (i = 0; i < n; i++)
		/* a damaged loose object stays loose, for `git fsck` */
		if (git_packbuilder_insert(pb, &v[i], NULL) < 0)
			res->skipped++;
	res->packed = git_packbuilder_object_count(pb);
	if (!res->packed)
		goto out;
	if (git_packbuilder_write(pb, packdir.buf, s->shared ? 0440 : 0400,
	    NULL, NULL) < 0) {
		ret = git_fail(d, _("cannot write a pack of the loose objects"));
		goto out;
	}
	if ((ret = sync_pack(packdir.buf, git_packbuilder_name(pb), d)))
		goto out;
	sb_addf(&idx, "%s/pack-%s.idx", packdir.buf, git_packbuilder_name(pb));
	res->removed = prune_packed(objdir.buf, idx.buf, v, n);
	/* let this process's object database see the new pack */
	if (git_repository_odb(&odb, s->repo) == 0)
		(void)git_odb_refresh(odb);
	git_odb_free(odb);
out:
	git_packbuilder_free(pb);
	free(v);
	sb_release(&idx);
	sb_release(&packdir);
	sb_release(&objdir);
	return ret;
}

void store_gc_auto(struct store *s)
{
	struct gc_result res;
	struct diag d = DIAG_INIT;
	long limit = gc_auto(s);

	if (limit <= 0 || store_gc_estimate(s, limit) <= limit)
		return;
	/* recorded already: a pack that cannot be made is for later */
	if (store_gc(s, &res, &d)) {
		diag_add(&s->warnings, ERR_IO, "%s", d.n ? d.msg[0] : "?");
		diag_add(&s->warnings, ERR_IO, _("the loose objects were not "
			"packed; 'docket gc' tries again"));
	}
	diag_release(&d);
}
