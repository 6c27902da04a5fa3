/*
 * fuzz_store.h - what the cache-file fuzzers share: a throw-away store
 * made once per process, and the bytes of a cache file put in place.
 *
 * Those fuzzers run each decoder as docket runs it: the input is
 * written where docket keeps the file, under the store's .git, and the
 * product's own function reads it.  A sum over random bytes never
 * holds, so each target also seals the input (gives it the frame and
 * sums a sound file would have) to reach the code behind the sums; the
 * magic and version are taken from a file docket itself wrote, so that
 * a version bump does not silently leave a target knocking on the door.
 */
#ifndef FUZZ_STORE_H
#define FUZZ_STORE_H

#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cachefile.h"
#include "store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static char fz_base[PATH_MAX];	/* the mkdtemp folder */
static char fz_root[PATH_MAX + 16];	/* the store in it */
static char fz_gitdir[PATH_MAX + 32];

static inline void fz_die(const char *target, const char *what)
{
	fprintf(stderr, "%s: %s\n", target, what);
	abort();
}

static inline int fz_rm_one(const char *path, const struct stat *st, int flag,
	struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static inline void fz_cleanup(void)
{
	if (fz_base[0])
		nftw(fz_base, fz_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * A store at fz_root committed with files (path, text; NULL-ended), and
 * fz_gitdir its .git.  Aborts if it cannot be made: nothing to fuzz.
 */
static inline void fz_make_store(const char *target, const char *const *files)
{
	struct signer sg = { "Fuzz", "fuzz@example.org", { 1764292440, 480 } };
	struct store_file extra[8];
	struct diag d = DIAG_INIT;
	char tmpl[] = "/tmp/docket-fuzz.XXXXXX";
	size_t n = 0;

	if (!mkdtemp(tmpl) || !realpath(tmpl, fz_base))
		fz_die(target, "cannot make a temporary folder");
	atexit(fz_cleanup);
	snprintf(fz_root, sizeof(fz_root), "%s/store", fz_base);
	snprintf(fz_gitdir, sizeof(fz_gitdir), "%s/.git", fz_root);
	for (; files && files[2 * n] && n < ARRAY_SIZE(extra); n++) {
		extra[n].path = files[2 * n];
		extra[n].data = files[2 * n + 1];
		extra[n].len = strlen(files[2 * n + 1]);
	}
	if (store_init(fz_root, "timezone: Asia/Shanghai\n", extra, n, 0,
	    &sg, "init", &d))
		fz_die(target, d.n ? d.msg[0] : "cannot make a store");
	diag_release(&d);
}

/* Put len bytes at .git/NAME, as a crash or a disk may have left them. */
static inline void fz_put(const char *name, const void *data, size_t len)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", fz_gitdir, name);
	f = fopen(path, "wb");
	if (!f)
		return;
	if (len)
		fwrite(data, 1, len, f);
	fclose(f);
}

/* The first 12 bytes (magic and version) of the file docket wrote at
 * .git/NAME; aborts if there is none. */
static inline void fz_head(const char *target, const char *name,
	unsigned char head[CACHEFILE_HDR])
{
	char path[PATH_MAX + 64];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "%s/%s", fz_gitdir, name);
	f = fopen(path, "rb");
	n = f ? fread(head, 1, CACHEFILE_HDR, f) : 0;
	if (f)
		fclose(f);
	if (n != CACHEFILE_HDR)
		fz_die(target, "docket wrote no file to take the version from");
}

/* A sound file in cachefile.h's frame around body: head, body, sum. */
static inline void fz_frame(struct sb *out, const unsigned char head[CACHEFILE_HDR],
	const void *body, size_t len)
{
	sb_reset(out);
	sb_add(out, head, CACHEFILE_HDR);
	sb_add(out, body, len);
	sb_add_le64(out, cachefile_sum(out->buf, out->len, get_le32(head + 8)));
}

#endif
