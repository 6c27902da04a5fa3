/*
 * forms.h - written documents (文书, DESIGN 13): templates in the store's
 * forms/ folder filled from a case.
 *
 * A form is an HTML page that an office edits with any editor.  Its
 * placeholders are small and few, so that a clerk can read them:
 *
 *   {{subject}}                   a field's value, HTML-escaped
 *   {{#if refer_to}}…{{/if}}      the part only when the field has a value
 *   {{#copies 申请人|被申请人|存档}}…{{copy}}…{{/copies}}
 *                                 the part once per name (copies of an
 *                                 agreement, each on its own page)
 *   {{tick channel=来电}}          ☑ when the field's value is that, else □
 *
 * The names are those of form_fields[] (case fields, labels from
 * docket.yaml, the office, dates written 2026年12月2日, the document
 * number).  A name the engine does not know is an error naming the
 * template file, line and column, whether or not that part is printed:
 * a form with a typo never goes out half-filled.
 */
#ifndef DOCKET_FORMS_H
#define DOCKET_FORMS_H

#include <stddef.h>
#include "calendar.h"
#include "case.h"
#include "config.h"
#include "util.h"

#define FORMS_DIR "forms"
#define FORM_EXT ".html"
/* A template is a page or two of HTML; anything this big is not one. */
#define FORM_MAX_SIZE (5u << 20)
#define FORM_MAX_DEPTH 8	/* nested {{#if}}/{{#copies}} */

/**
 * Append the raw (unescaped) value of placeholder `name` to out:
 * 0, or ERR_NOTFOUND for a name that is not a field.
 */
typedef int (*form_lookup_fn)(struct sb *out, const char *name, void *data);

/**
 * Fill template tpl (len bytes; `file` names it in messages) into out.
 * Values are HTML-escaped.  ERR_INVALID with "FILE:LINE:COLUMN: ..." in
 * d for an unknown field, a malformed or unclosed placeholder, a
 * template over FORM_MAX_SIZE or not UTF-8; out is then unspecified.
 */
int form_render(struct sb *out, const char *tpl, size_t len,
	const char *file, form_lookup_fn fn, void *data, struct diag *d);

/**
 * The same content as plain text: tags dropped, blocks and table rows
 * on lines of their own, cells apart, entities decoded, <head>, <style>
 * and comments left out, and a form feed where a page break is asked
 * for (a class "page" element after the first, or break-before: page).
 */
void form_to_text(struct sb *out, const char *html, size_t len);

/** Append the HTML-escaped s (&, <, >, ", '). */
void html_escape(struct sb *out, const char *s);

/** "2026年12月2日": a date as Chinese documents write it. */
void date_chinese(struct sb *out, struct date d);

/** What a form's values are drawn from. */
struct form_data {
	const struct config *cfg;
	const struct dcase *c;	/**< NULL: a blank form, every field empty */
	struct ts now;		/**< the date the document bears */
	const char *actor;	/**< staff id of who prints it */
	const char *docno;	/**< document number, NULL when not issued */
};

/** The field names a form may use, NULL-terminated, with what each is. */
struct form_field {
	const char *name;
	const char *help;	/**< N_() text */
};
extern const struct form_field form_fields[];

/** form_lookup_fn over a struct form_data (pass it as data). */
int form_case_value(struct sb *out, const char *name, void *data);

/**
 * The title a template names in its first comment ("<!-- 受理告知书:
 * fields ... -->" gives "受理告知书"), or "" when it has none.
 */
void form_title(struct sb *out, const char *tpl, size_t len);

/** 1 if name is a form name: no '/', no leading '.', UTF-8, short. */
int form_name_valid(const char *name);

#endif
