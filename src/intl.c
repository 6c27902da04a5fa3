/*
 * intl.c - which language docket speaks, and where its catalogs are.
 *
 * glibc's gettext answers in English whenever the LC_MESSAGES locale is
 * "C", and setlocale() falls back to "C" when the locale the user asks
 * for (zh_CN.UTF-8) is not generated on the machine -- the usual case on
 * a fresh Debian server or a container, where `locale -a` shows only C
 * and C.UTF-8.  So docket never depends on the user's locale being
 * installed: it runs under C.UTF-8, which glibc always has (built in
 * since 2.35, shipped by Debian's libc-bin before that), and names the
 * language in GNU's LANGUAGE variable, which gettext honours under any
 * locale but "C".  The catalogs are bound to UTF-8, the encoding of
 * everything docket reads and writes.  docket formats dates, numbers and
 * widths itself, so no other locale category matters to it.
 */
#include <limits.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "intl.h"

#ifndef DOCKET_LOCALEDIR
#define DOCKET_LOCALEDIR "/usr/local/share/locale"
#endif

static char localedir[PATH_MAX];

/* The locale the environment names for messages, POSIX's order. */
static const char *env_locale(void)
{
	static const char *const vars[] = { "LC_ALL", "LC_MESSAGES", "LANG" };
	const char *v;
	size_t i;

	for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++)
		if ((v = getenv(vars[i])) != NULL && *v)
			return v;
	return NULL;
}

static int is_c_locale(const char *name)
{
	return !name || !*name || !strcmp(name, "C") ||
		!strcmp(name, "POSIX") || !strncmp(name, "C.", 2);
}

static int is_file(const char *path)
{
	struct stat st;

	return !stat(path, &st) && S_ISREG(st.st_mode);
}

/* localedir = dir + sub when dir + sub + probe is a file. */
static int try_localedir(const char *dir, const char *sub, const char *probe)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s%s%s", dir, sub, probe) >=
	    sizeof(path) || !is_file(path))
		return 0;
	snprintf(localedir, sizeof(localedir), "%s%s", dir, sub);
	return 1;
}

/*
 * Where the catalogs are: the build tree's when this executable sits in
 * a source tree (po/ beside it: the tests, or a build tried before it is
 * installed); the installed ones beside it (BINDIR/../share/locale), so
 * that `make install PREFIX=...` works whatever PREFIX the build had;
 * else the LOCALEDIR it was built for.
 */
static void find_localedir(void)
{
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	strcpy(localedir, DOCKET_LOCALEDIR);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash)
		return;
	*slash = '\0';
	if (try_localedir(exe, "/locale", "/../po/zh_CN.po"))
		return;
	try_localedir(exe, "/../share/locale",
		"/zh_CN/LC_MESSAGES/" DOCKET_DOMAIN ".mo");
}

/*
 * Messages in `list` (a LANGUAGE value, "zh_CN" or "zh_CN:en"): run
 * under C.UTF-8 so that gettext reads LANGUAGE, then tell gettext the
 * catalogs may have changed (textdomain() does, as the manual advises).
 */
static void speak(const char *list)
{
	setenv("LANGUAGE", list, 1);
	if (!setlocale(LC_ALL, "C.UTF-8"))
		setlocale(LC_ALL, "C.utf8");
	textdomain(DOCKET_DOMAIN);
}

/* "zh_CN.UTF-8@x" -> "zh_CN" into out (at least 32 bytes). */
static void strip_locale(char *out, size_t size, const char *name)
{
	size_t n = strcspn(name, ".@");

	if (n >= size)
		n = size - 1;
	memcpy(out, name, n);
	out[n] = '\0';
}

void intl_init(void)
{
	const char *loc = env_locale(), *language = getenv("LANGUAGE");
	char lang[64];

	find_localedir();
	bindtextdomain(DOCKET_DOMAIN, localedir);
	bind_textdomain_codeset(DOCKET_DOMAIN, "UTF-8");
	/* As gettext itself: LANGUAGE counts unless the locale is C. */
	if (language && *language && loc && strcmp(loc, "C") &&
	    strcmp(loc, "POSIX")) {
		speak(language);
	} else if (is_c_locale(loc)) {
		speak("en");
	} else {
		strip_locale(lang, sizeof(lang), loc);
		speak(lang);
	}
}

int intl_tag_valid(const char *lang)
{
	size_t n = 0;

	while (lang[n] >= 'a' && lang[n] <= 'z')
		n++;
	if (n < 2 || n > 3)
		return 0;
	if (!lang[n])
		return 1;
	if (lang[n] != '_' && lang[n] != '-')
		return 0;
	lang += n + 1;
	for (n = 0; (lang[n] >= 'A' && lang[n] <= 'Z') ||
	     (lang[n] >= 'a' && lang[n] <= 'z'); n++)
		;
	return n >= 2 && n <= 4 && !lang[n];
}

void intl_use(const char *lang)
{
	char tag[16];
	size_t i;

	if (!lang || !*lang || !intl_tag_valid(lang))
		return;
	/* Chinese without a region is the mainland's simplified script. */
	if (!strcmp(lang, "zh") || !strcmp(lang, "zh-Hans") ||
	    !strcmp(lang, "zh_Hans")) {
		speak("zh_CN");
		return;
	}
	strip_locale(tag, sizeof(tag), lang);
	for (i = 0; tag[i]; i++)
		if (tag[i] == '-')
			tag[i] = '_';
	speak(tag);
}

const char *intl_html_lang(void)
{
	/* TRANSLATORS: the language of this translation as an HTML lang
	   tag (BCP 47), e.g. zh-CN. */
	return C_("language tag", "en");
}

const char *intl_localedir(void)
{
	return localedir;
}
