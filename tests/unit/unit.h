/*
 * unit.h - what several unit tests share: a scratch directory under
 * /tmp, made with mkdtemp() and removed with everything in it by nftw()
 * (no shell, symbolic links not followed).  Each is static inline: a
 * test includes this and uses what it needs.
 */
#ifndef DOCKET_TESTS_UNIT_H
#define DOCKET_TESTS_UNIT_H

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>

static inline int unit_rm_one(const char *path, const struct stat *st,
	int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Remove dir and all below it; 0, or -1 when something stayed. */
static inline int unit_rm_tree(const char *dir)
{
	return nftw(dir, unit_rm_one, 16, FTW_DEPTH | FTW_PHYS) ? -1 : 0;
}

/* A new directory /tmp/NAME.XXXXXX, its real path into out (size
 * bytes); -1 when it cannot be made or its path is longer. */
static inline int unit_tmpdir(char *out, size_t size, const char *name)
{
	char tmpl[PATH_MAX], real[PATH_MAX];

	snprintf(tmpl, sizeof(tmpl), "/tmp/%s.XXXXXX", name);
	if (!mkdtemp(tmpl) || !realpath(tmpl, real) ||
	    (size_t)snprintf(out, size, "%s", real) >= size)
		return -1;
	return 0;
}

#endif
