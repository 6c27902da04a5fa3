/*
 * folders.h - listing the work tree's case folders.
 *
 * A scan lists every folder of cases/ to find files git does not track
 * yet; at 100,000 cases reading 100 folders of 1,000 names cost 50 ms.
 * The names of each folder are kept in .git/docket-folders with the
 * folder's stat data, as git's untracked cache does: a folder whose
 * modification time, change time, inode and size are those recorded has
 * the names recorded, since adding, removing or renaming a file changes
 * them.  A folder changed in the last few seconds is not recorded (its
 * time could be shared by a change still to come), nor trusted.
 */
#ifndef DOCKET_FOLDERS_H
#define DOCKET_FOLDERS_H

#include "util.h"

#define FOLDERS_FILE "docket-folders"	/* inside .git */

struct folders;

/** The kept listings of the store whose git directory is gitdir. */
struct folders *folders_open(const char *gitdir, int shared);
/** Push the sorted .yaml file names of folder dir (absolute path), each
 * after prefix (NULL: none), "cases/2026/000/" for a path in the store. */
void folders_list(struct folders *f, const char *dir, const char *prefix,
	struct strlist *out);
/** Write the listings if they changed, and free f. */
void folders_close(struct folders *f);

/**
 * The visible subfolders (want_dirs) or the case file names of dir
 * that are not folders (regular or not: readers name the odd ones),
 * unsorted, read from the file system.
 */
void dir_names(struct strlist *out, const char *dir, int want_dirs);

#endif
