/*
 * intl.h - marking the strings people read for translation (gettext).
 *
 *   _("...")          a string translated where it is used
 *   N_("...")         a string in a static table, translated when printed
 *   Q_(one, many, n)  a sentence with a count (ngettext: plural forms)
 *   C_("ctx", "...")  a word that means different things in different
 *                     places ("closed" a status, "closed" a figure):
 *                     pgettext, the context tells the translator which
 *
 * Any module may mark the messages it puts into a `struct diag`: they are
 * read by people, and gettext is a lookup that prints nothing.  Ids,
 * option names, field keys and file formats are never translated; labels
 * come from docket.yaml, not from the catalog.  Until intl_init() binds
 * the "docket" text domain these return their argument unchanged.
 *
 * po/README.md says how a string gets its translation.
 */
#ifndef DOCKET_INTL_H
#define DOCKET_INTL_H

#include <libintl.h>

#define DOCKET_DOMAIN "docket"

#define _(s) dgettext(DOCKET_DOMAIN, s)
#define N_(s) (s)
#define Q_(one, many, n) dngettext(DOCKET_DOMAIN, one, many, n)
#define C_(c, s) intl_pgettext(c "\004" s, s)

/** pgettext: the translation of key ("CONTEXT\004MSGID"), else msgid. */
static inline const char *intl_pgettext(const char *key, const char *msgid)
{
	const char *t = dgettext(DOCKET_DOMAIN, key);

	return t == key ? msgid : t;
}

/**
 * Bind the text domain to docket's catalogs and take the language from
 * the environment: GNU's LANGUAGE list unless the locale is C or POSIX,
 * else the first of LC_ALL, LC_MESSAGES and LANG that is set.  Works
 * whether or not the system has the locale generated (see intl.c).
 * Catalogs are taken from `locale/` beside the executable when it runs
 * in its build tree (po/ beside it), else from the LOCALEDIR it was built
 * for.
 */
void intl_init(void);
/**
 * Speak `lang` from now on ("zh", "zh_CN", "zh-CN", "en"...): the
 * `language:` of docket.yaml, which wins over the environment.  NULL or
 * "" leaves the language as it is.
 */
void intl_use(const char *lang);
/** 1 if lang is a language tag docket.yaml may name ("zh", "zh_CN"). */
int intl_tag_valid(const char *lang);
/** The language of the messages now, as an HTML lang tag ("zh-CN"). */
const char *intl_html_lang(void);
/** The folder the catalogs are read from (for `docket --version`). */
const char *intl_localedir(void);

#endif
