/*
 * fuzz_folders.c - libFuzzer target: .git/docket-folders, the folder
 * listings a scan keeps, read as a scan reads it.
 *
 * The first byte picks how the rest is put in place: as the whole file
 * (odd), or as the body of a sound file (even: docket's frame and sum
 * around it, so the parser behind the sum is reached).  folders_open()
 * then reads it and folders_list() looks folders up in it, as
 * store_scan() does; whatever the bytes, nothing may crash, leak or read
 * out of bounds, and the file is written again when it changed.
 */
#include <sys/stat.h>
#include <sys/time.h>

#include "folders.h"
#include "fuzz_store.h"

static char dir[PATH_MAX + 16];		/* a folder of two case files */
static unsigned char head[CACHEFILE_HDR];

/* A folder listed by docket, so that it writes the file once. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct timeval old[2] = { { 1700000000, 0 }, { 1700000000, 0 } };
	struct strlist names = STRLIST_INIT;
	struct folders *f;

	(void)argc;
	(void)argv;
	fz_make_store("fuzz_folders", NULL);
	snprintf(dir, sizeof(dir), "%s/cases", fz_root);
	mkdir(dir, 0700);
	fz_put("../cases/2026-000001.yaml", "id: 2026-000001\n", 16);
	fz_put("../cases/2026-000002.yaml", "id: 2026-000002\n", 16);
	if (utimes(dir, old))
		fz_die("fuzz_folders", "cannot date the folder");
	f = folders_open(fz_gitdir, 0);
	folders_list(f, dir, NULL, &names);
	folders_close(f);
	strlist_release(&names);
	fz_head("fuzz_folders", FOLDERS_FILE, head);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strlist names = STRLIST_INIT;
	struct sb file = SB_INIT;
	struct folders *f;

	if (!size)
		return 0;
	if (data[0] & 1)
		fz_put(FOLDERS_FILE, data + 1, size - 1);
	else {
		fz_frame(&file, head, data + 1, size - 1);
		fz_put(FOLDERS_FILE, file.buf, file.len);
	}
	f = folders_open(fz_gitdir, 0);
	folders_list(f, dir, NULL, &names);
	folders_list(f, fz_root, "cases/2026/000/", &names);
	folders_list(f, "/nonexistent", NULL, &names);
	folders_close(f);
	strlist_release(&names);
	sb_release(&file);
	return 0;
}
