/*
 * intl.h - marking the strings people read for translation (gettext).
 *
 *   _("...")        a string translated where it is used
 *   N_("...")       a string in a static table, translated when printed
 *   Q_(one, many, n) a sentence with a count (ngettext: plural forms)
 *
 * Only the command layer and the output formats translate; ids, option
 * names, field keys and file formats never are.  Until main() binds the
 * "docket" text domain these return their argument unchanged.
 */
#ifndef DOCKET_INTL_H
#define DOCKET_INTL_H

#include <libintl.h>

#define DOCKET_DOMAIN "docket"

#define _(s) dgettext(DOCKET_DOMAIN, s)
#define N_(s) (s)
#define Q_(one, many, n) dngettext(DOCKET_DOMAIN, one, many, n)

#endif
