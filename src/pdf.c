/*
 * pdf.c - HTML to PDF with headless Chromium (include/pdf.h says why).
 *
 * The child runs in its own process group with a throw-away profile in
 * the temporary folder, stdin from /dev/null and its chatter in a log
 * file there; it is killed, group and all, when the time limit passes.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "intl.h"
#include "pdf.h"

static int missing(struct diag *d, const char *what)
{
	return diag_add(d, ERR_NOTFOUND, _("--format pdf needs %s: install "
		"it with 'apt-get install %s' (--format html works without "
		"it)"), what, PDF_PACKAGES);
}

/* name found as an executable on $PATH: its path, malloc'd, or NULL */
static char *on_path(const char *name)
{
	const char *path = getenv("PATH"), *p, *end;
	struct sb f = SB_INIT;

	for (p = path ? path : "/usr/bin:/bin"; *p; p = *end ? end + 1 : end) {
		end = strchrnul(p, ':');
		sb_reset(&f);
		sb_add(&f, p, (size_t)(end - p));
		sb_addf(&f, "/%s", name);
		if (end > p && !access(f.buf, X_OK))
			return sb_detach(&f, NULL);
	}
	sb_release(&f);
	return NULL;
}

int pdf_engine(char **out, struct diag *d)
{
	static const char *const names[] = {
		"chromium", "chromium-browser", "google-chrome", NULL
	};
	const char *env = getenv("DOCKET_CHROMIUM");
	size_t i;

	*out = NULL;
	if (env && *env) {
		if (access(env, X_OK))
			return diag_add(d, ERR_NOTFOUND, _("$DOCKET_CHROMIUM "
				"names '%s', which is not a program"), env);
		*out = xstrdup(env);
		return 0;
	}
	for (i = 0; names[i] && !*out; i++)
		*out = on_path(names[i]);
	return *out ? 0 : missing(d, _("headless Chromium"));
}

static int cjk_seen;

static int font_one(const char *path, const struct stat *st, int flag,
	struct FTW *ftw)
{
	const char *base = path + ftw->base;

	(void)st;
	if (flag == FTW_F && (strstr(base, "CJK") || strstr(base, "wqy") ||
	    strstr(base, "SourceHan") || strstr(base, "uming") ||
	    strstr(base, "ukai") || strstr(base, "LXGW") ||
	    strstr(base, "FangSong") || strstr(base, "simsun"))) {
		cjk_seen = 1;
		return 1;
	}
	return 0;
}

int pdf_cjk_font(struct diag *d)
{
	static const char *const dirs[] = {
		"/usr/share/fonts", "/usr/local/share/fonts", NULL
	};
	struct sb home = SB_INIT;
	const char *h = getenv("HOME");
	size_t i;

	cjk_seen = 0;
	for (i = 0; dirs[i] && !cjk_seen; i++)
		nftw(dirs[i], font_one, 16, FTW_PHYS);
	if (!cjk_seen && h && *h) {
		sb_addf(&home, "%s/.local/share/fonts", h);
		nftw(home.buf, font_one, 16, FTW_PHYS);
	}
	sb_release(&home);
	return cjk_seen ? 0 : missing(d, _("a Chinese (CJK) font"));
}

static int rm_one(const char *path, const struct stat *st, int flag,
	struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

/* The time limit: $DOCKET_PDF_TIMEOUT seconds (1..3600), else 60. */
static int time_limit(void)
{
	const char *env = getenv("DOCKET_PDF_TIMEOUT");
	long v = env ? strtol(env, NULL, 10) : 0;

	return v >= 1 && v <= 3600 ? (int)v : PDF_TIMEOUT;
}

/* Start Chromium on dir/page.html, printing to dir/page.pdf. */
static pid_t start(const char *engine, const char *dir)
{
	struct sb pdf = SB_INIT, url = SB_INIT, prof = SB_INIT, log = SB_INIT;
	pid_t pid;
	int fd;

	sb_addf(&pdf, "--print-to-pdf=%s/page.pdf", dir);
	sb_addf(&url, "file://%s/page.html", dir);
	sb_addf(&prof, "--user-data-dir=%s/profile", dir);
	sb_addf(&log, "%s/chromium.log", dir);
	pid = fork();
	if (pid == 0) {
		char *argv[] = {
			(char *)engine, "--headless", "--no-sandbox",
			"--disable-gpu", "--disable-dev-shm-usage",
			"--no-first-run", "--no-default-browser-check",
			"--disable-extensions", "--disable-background-networking",
			"--no-pdf-header-footer", "--print-to-pdf-no-header",
			"--run-all-compositor-stages-before-draw",
			prof.buf, pdf.buf, url.buf, NULL
		};

		sigset_t none;

		/* the store holds some signals while it writes: not here */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		setpgid(0, 0);
		fd = open("/dev/null", O_RDONLY);
		if (fd >= 0)
			dup2(fd, 0);
		fd = open(log.buf, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		setenv("HOME", dir, 1);
		execv(engine, argv);
		_exit(127);
	}
	sb_release(&log);
	sb_release(&prof);
	sb_release(&url);
	sb_release(&pdf);
	return pid;
}

/* Wait for pid up to limit seconds; kill its group after.  Its exit
 * status, or -1 when it was killed for taking too long. */
static int wait_limited(pid_t pid, int limit)
{
	struct timespec step = { 0, 50 * 1000 * 1000 };
	int status = 0, ticks = limit * 20;
	pid_t r;

	while ((r = waitpid(pid, &status, WNOHANG)) == 0 && ticks-- > 0)
		nanosleep(&step, NULL);
	if (r == pid) {
		kill(-pid, SIGKILL);	/* helpers it left behind */
		return WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
			WTERMSIG(status);
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	return -1;
}

/* The last line of Chromium's log that says ERROR, for the message. */
static void last_words(struct sb *out, const char *dir)
{
	struct sb log = SB_INIT, path = SB_INIT;
	struct diag d = DIAG_INIT;
	char *p, *line = NULL;

	sb_addf(&path, "%s/chromium.log", dir);
	if (!read_file(&log, path.buf, 1 << 20, &d)) {
		for (p = strtok(log.buf, "\n"); p; p = strtok(NULL, "\n"))
			if (strstr(p, "ERROR") || !line)
				line = p;
		if (line)
			sb_addf(out, ": %.300s", line);
	}
	diag_release(&d);
	sb_release(&path);
	sb_release(&log);
}

int pdf_render(struct sb *out, const char *html, size_t len,
	struct diag *d)
{
	const char *tmp = getenv("TMPDIR");
	struct sb dir = SB_INIT, page = SB_INIT, why = SB_INIT;
	char *engine = NULL;
	pid_t pid;
	int ret, code, limit = time_limit();

	ret = pdf_engine(&engine, d);
	if (!ret)
		ret = pdf_cjk_font(d);
	if (ret)
		goto out;
	sb_addf(&dir, "%s/docket-pdf.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir.buf)) {
		ret = diag_add(d, ERR_IO, _("cannot make a temporary folder "
			"for the PDF: %s"), strerror(errno));
		sb_reset(&dir);
		goto out;
	}
	sb_addf(&page, "%s/page.html", dir.buf);
	ret = write_file_atomic(page.buf, html, len, 0600, 0, d);
	if (ret)
		goto out;
	pid = start(engine, dir.buf);
	if (pid < 0) {
		ret = diag_add(d, ERR_IO, _("cannot start %s: %s"), engine,
			strerror(errno));
		goto out;
	}
	code = wait_limited(pid, limit);
	sb_reset(&page);
	sb_addf(&page, "%s/page.pdf", dir.buf);
	if (code == -1) {
		ret = diag_add(d, ERR_IO, _("%s did not finish the PDF within "
			"%d seconds ($DOCKET_PDF_TIMEOUT)"), engine, limit);
		goto out;
	}
	if (code || read_regular(out, page.buf, PDF_MAX_SIZE, d) ||
	    out->len < 5 || memcmp(out->buf, "%PDF-", 5)) {
		diag_clear(d);
		last_words(&why, dir.buf);
		ret = diag_add(d, ERR_IO, _("%s could not make the PDF (exit "
			"status %d)%s"), engine, code, why.buf);
	}
out:
	if (dir.len)
		nftw(dir.buf, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(engine);
	sb_release(&why);
	sb_release(&page);
	sb_release(&dir);
	return ret;
}
