/*
 * config-int.h - what the parts of the docket.yaml parser share (src/config*.c);
 * nothing outside them includes it.
 */
#ifndef DOCKET_CONFIG_INT_H
#define DOCKET_CONFIG_INT_H

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config.h"
#include "forms.h"
#include "intl.h"
#include "case.h"
#include "ytree.h"

#define CONFIG_MAX_SIZE (1 << 20)
#define MAX_HOLIDAY_RANGE 366	/* days in one "A..B" entry */

struct parser {
	struct config *cfg;
	const char *file;
	struct diag *d;
	int nerr;
};

/* config.c: the names of roles, weekdays and kinds */
extern const char *const cfg_role_names[];
extern const char *const cfg_day_names[];
extern const char *const cfg_kind_names[];
int cfg_prefix_valid(const char *s);

/* config-check.c: node checks; each problem goes to p->d with its
 * line and column and parsing goes on */
void cfg_perr(struct parser *p, const struct ynode *n,
	const char *fmt, ...) PRINTF(3, 4);
int cfg_index_in(const char *s, const char *const *set);
void cfg_check_keys(struct parser *p, const struct ynode *map,
	const char *const *allowed, const char *where);
int cfg_want(struct parser *p, const struct ynode *n, enum yt_type t,
	const char *what);
int cfg_get_text(struct parser *p, const struct ynode *n,
	const char *what, size_t max, char **out);
int cfg_get_id(struct parser *p, const struct ynode *n, const char *what,
	char **out);
void cfg_get_duration(struct parser *p, const struct ynode *n,
	const char *what, int years_ok, struct duration *out);
/*
 * The lists of docket.yaml (staff, departments, sites, categories,
 * {id, label} lists) are arrays of structs whose first member is their
 * char *id: one look-up by id, one release (clear empties one item),
 * each typed function a wrapper.
 */
const void *cfg_find_id(const void *v, size_t n, size_t size, const char *id);
void cfg_free_items(void *v, size_t n, size_t size, void (*clear)(void *));
#define CFG_ID_FIRST(type) \
	_Static_assert(offsetof(type, id) == 0, #type "'s id comes first")

void cfg_free_labelled(struct labelled *v, size_t n);
const struct labelled *cfg_find_labelled(const struct labelled *v,
	size_t n, const char *id);
void cfg_copy_labelled(struct labelled **out, size_t *nout,
	const struct labelled *src, size_t n);
void cfg_parse_labelled(struct parser *p, const struct ynode *seq,
	const char *what, int need_one, struct labelled **v, size_t *nv);

/* config-org.c */
void cfg_free_staff(struct staff *v, size_t n);
const struct staff *cfg_find_staff(const struct staff *v, size_t n,
	const char *id);
const struct staff *cfg_find_staff_email(const struct staff *v, size_t n,
	const char *email);
int cfg_email_valid(const char *s);
void cfg_parse_staff(struct parser *p, const struct ynode *seq);
void cfg_free_departments(struct department *v, size_t n);
const struct department *cfg_find_department(const struct department *v,
	size_t n, const char *id);
void cfg_parse_departments(struct parser *p, const struct ynode *seq);
void cfg_free_sites(struct site *v, size_t n);
void cfg_parse_sites(struct parser *p, const struct ynode *seq);

/* config-rules.c */
void cfg_free_categories(struct category *v, size_t n);
const struct category *cfg_find_category(const struct category *v,
	size_t n, const char *id);
void cfg_parse_categories(struct parser *p, const struct ynode *seq);
void cfg_parse_limits(struct parser *p, const struct ynode *map);
void cfg_free_rules(struct dl_rule *v, size_t n);
void cfg_parse_deadlines(struct parser *p, const struct ynode *map);
void cfg_add_info_not_provided(struct config *cfg);
void cfg_parse_close(struct parser *p, const struct ynode *map);
void cfg_parse_collective(struct parser *p, const struct ynode *map);
void cfg_parse_remind(struct parser *p, const struct ynode *map);
void cfg_parse_views(struct parser *p, const struct ynode *map);
void cfg_parse_mail(struct parser *p, const struct ynode *map);

/* config-calendar.c */
void cfg_parse_calendar(struct parser *p, const struct ynode *map);
void cfg_parse_numbering(struct parser *p, const struct ynode *map);

#endif
