/*
 * output.c - what docket prints: terminal-safe text, aligned tables,
 * CSV and JSON.
 *
 * Nothing here writes to a stream: every function appends to a struct sb
 * and the command layer decides where it goes.  Case text may come from
 * anyone who files a complaint, so out_escape() makes every control
 * character visible before it reaches a terminal, and the table code
 * only ever holds escaped text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uniwidth.h>

#include "calendar.h"
#include "case.h"
#include "output.h"
#include "util.h"
#include "ytree.h"

/* ---- escaping ---------------------------------------------------------- */

/* 1 for the bidi embeddings/overrides and isolates that reorder text. */
static int is_bidi_control(unsigned cp)
{
	return (cp >= 0x202a && cp <= 0x202e) ||
		(cp >= 0x2066 && cp <= 0x2069);
}

/* Escape one C0 control or DEL byte. */
static void escape_c0(struct sb *out, unsigned char c, int keep_newlines)
{
	if (c == '\n' && keep_newlines)
		sb_addc(out, '\n');
	else if (c == '\n')
		sb_adds(out, "\\n");
	else if (c == '\t')
		sb_adds(out, "\\t");
	else
		sb_addf(out, "\\x%02x", c);
}

void out_escape(struct sb *out, const char *s, int keep_newlines)
{
	size_t len, i = 0;
	unsigned cp;
	int n;

	if (!s)
		return;
	len = strlen(s);
	sb_grow(out, len);
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		size_t run;

		/* plain ASCII and CJK text (three bytes led by 0xe3..0xec,
		 * U+3000..U+CFFF, no control among them) go out as they
		 * are, a run at a time */
		for (run = i; run < len && s[run] != '\\' && (n =
		    utf8_plain_char((const unsigned char *)s + run,
		    len - run)); run += (size_t)n)
			;
		if (run > i) {
			sb_add(out, s + i, run - i);
			i = run;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			escape_c0(out, c, keep_newlines);
			i++;
			continue;
		}
		if (c == '\\') {
			sb_adds(out, "\\\\");
			i++;
			continue;
		}
		n = utf8_decode(s + i, len - i, &cp);
		if (!n) {
			sb_addf(out, "\\x%02x", c);
			i++;
			continue;
		}
		if ((cp >= 0x80 && cp <= 0x9f) || is_bidi_control(cp))
			sb_addf(out, "\\u{%04X}", cp);
		else
			sb_add(out, s + i, (size_t)n);
		i += (size_t)n;
	}
}

/* ---- display width ----------------------------------------------------- */

/*
 * The characters most of a Chinese office's table holds, without a
 * look-up: printable ASCII (1 byte, 1 column), and three-byte CJK
 * ideographs U+4E00..U+9FFF, CJK punctuation U+3000..U+3029 and
 * fullwidth forms U+FF01..U+FF60, all East Asian Wide or Fullwidth with
 * no mark among them (2 columns).  Returns the columns: 1 (one byte)
 * or 2 (three bytes); 0 for anything else.
 * test_output holds it against u8_width() for every character.
 */
static int fast_width(const unsigned char *p)
{
	unsigned cp;

	if (*p >= 0x20 && *p < 0x7f)
		return 1;
	if ((*p & 0xf0) != 0xe0 || (p[1] & 0xc0) != 0x80 ||
	    (p[2] & 0xc0) != 0x80)
		return 0;
	cp = (unsigned)(p[0] & 0x0f) << 12 | (unsigned)(p[1] & 0x3f) << 6 |
		(unsigned)(p[2] & 0x3f);
	if ((cp >= 0x4e00 && cp <= 0x9fff) || (cp >= 0x3000 && cp <= 0x3029) ||
	    (cp >= 0xff01 && cp <= 0xff60))
		return 2;
	return 0;
}

/*
 * libunistring's width data is the Unicode East Asian Width and
 * combining-mark tables of its release (emoji, Tangut, every script's
 * marks), where a table kept here went stale and missed whole blocks.
 * "UTF-8" (no CJK legacy encoding) counts Ambiguous characters narrow,
 * as a UTF-8 terminal does.  Controls count 0; an invalid sequence 1,
 * the replacement mark a terminal shows.
 */
size_t display_width(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	int k;

	if (!s)
		return 0;
	/* what a listing's cells are made of, answered here; from the
	 * first other character on, libunistring */
	while ((k = fast_width(p)) > 0) {
		w += (size_t)k;
		p += k == 1 ? 1 : 3;
	}
	if (*p)
		w += (size_t)u8_width(p, strlen((const char *)p), "UTF-8");
	return w;
}

/* ---- tables ------------------------------------------------------------ */

void table_init(struct table *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
}

void table_release(struct table *t)
{
	if (!t)
		return;
	arena_free(t->mem);
	free(t->line);
	memset(t, 0, sizeof(*t));
}

/*
 * A cell of printable ASCII (no backslash) and of the characters
 * fast_width() knows, as most cells are: out_escape() would give it
 * back as it is, so it is copied, its width counted on the way (a list
 * of 100,000 cases escapes and measures a million cells).  0 for any
 * other cell, nothing added.
 */
static int plain_cell(struct sb *text, const char *s, size_t *width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	int k;

	for (; *p; p += k == 1 ? 1 : 3) {
		if (*p == '\\' || !(k = fast_width(p)))
			return 0;
		w += (size_t)k;
	}
	sb_add(text, s, (size_t)(p - (const unsigned char *)s));
	*width = w;
	return 1;
}

void table_cells_escape(struct sb *text, size_t *width,
	const char *const *cells, size_t ncols)
{
	size_t c, start;
	const char *s;

	for (c = 0; c < ncols; c++) {
		s = cells[c] ? cells[c] : "";
		start = text->len;
		if (!plain_cell(text, s, &width[c])) {
			out_escape(text, s, 0);
			width[c] = display_width(text->buf + start);
		}
		sb_addc(text, '\0');
	}
}

void table_row_escaped(struct table *t, const char *text,
	const size_t *width)
{
	GROW(t->line, t->alloc, t->nrows + 1);
	t->line[t->nrows].text = text;
	t->line[t->nrows++].width = width;
}

void table_row(struct table *t, const char *const *cells)
{
	struct sb text = SB_INIT;
	size_t *width;
	char *copy;

	if (!t->mem)
		t->mem = arena_new(4096);
	width = arena_calloc(t->mem, t->ncols ? t->ncols : 1,
		sizeof(*width));
	table_cells_escape(&text, width, cells, t->ncols);
	copy = arena_calloc(t->mem, text.len + 1, 1);
	if (text.len)
		memcpy(copy, text.buf, text.len);
	table_row_escaped(t, copy, width);
	sb_release(&text);
}

static int col_right(const struct table *t, size_t c)
{
	return c < sizeof(t->right) * 8 && (t->right >> c) & 1;
}

/* One row into out, which has room for it (table_render_rows() made
 * it): the cells copied and padded in place, not appended piece by
 * piece (a list of 100,000 cases is a million cells). */
static void render_row(struct sb *out, const struct table *t,
	const struct table_line *ln, const size_t *width)
{
	const char *cell = ln->text;
	size_t c, len, pad;
	char *p = out->buf + out->len;

	for (c = 0; c < t->ncols; c++) {
		len = strlen(cell);
		pad = width[c] - ln->width[c];
		if (c) {
			memset(p, ' ', 2);
			p += 2;
		}
		if (col_right(t, c)) {
			memset(p, ' ', pad);
			p += pad;
		}
		memcpy(p, cell, len);
		p += len;
		cell += len + 1;
		if (!col_right(t, c)) {
			memset(p, ' ', pad);
			p += pad;
		}
	}
	/* no blanks at the end of a line */
	while (p > out->buf + out->len && p[-1] == ' ')
		p--;
	*p++ = '\n';
	*p = '\0';
	out->len = (size_t)(p - out->buf);
}

void table_widths(const struct table *t, size_t *width)
{
	size_t r, c;

	memset(width, 0, t->ncols * sizeof(*width));
	for (r = 0; r < t->nrows; r++)
		for (c = 0; c < t->ncols; c++)
			if (t->line[r].width[c] > width[c])
				width[c] = t->line[r].width[c];
}

/* The bytes of a row's cells, NULs included. */
static size_t row_bytes(const struct table *t, const struct table_line *ln)
{
	const char *p = ln->text;
	size_t c;

	for (c = 0; c < t->ncols; c++)
		p += strlen(p) + 1;
	return (size_t)(p - ln->text);
}

void table_render_rows(struct sb *out, const struct table *t,
	const size_t *width, size_t from, size_t to)
{
	size_t r, c, line = 1, text = 0;

	if (to > t->nrows)
		to = t->nrows;
	/* each row: its text, and the blanks that pad it to the widths */
	for (c = 0; c < t->ncols; c++)
		line += width[c] + 2;
	for (r = from; r < to; r++)
		text += row_bytes(t, &t->line[r]);
	sb_grow(out, text + (to > from ? to - from : 0) * line);
	for (r = from; r < to; r++)
		render_row(out, t, &t->line[r], width);
}

void table_render(struct sb *out, const struct table *t)
{
	size_t *width;

	if (!t->ncols)
		return;
	width = xcalloc(t->ncols, sizeof(*width));
	table_widths(t, width);
	table_render_rows(out, t, width, 0, t->nrows);
	free(width);
}

/* ---- CSV --------------------------------------------------------------- */

/*
 * A cell that a spreadsheet (Excel, WPS, LibreOffice) would run as a
 * formula: OWASP's "CSV Injection" list, = + - @ TAB CR as the first
 * byte.  Subjects, names and respondents are typed by the public, and
 * "=HYPERLINK(...)" in a subject must stay text on the clerk's screen.
 */
static int csv_formula(const char *s)
{
	return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

void csv_field(struct sb *out, const char *s)
{
	const char *p;
	int formula;

	if (!s)
		return;
	formula = csv_formula(s);
	if (!formula && !s[strcspn(s, ",\"\r\n")]) {
		sb_adds(out, s);
		return;
	}
	/* OWASP: prefix a single quote and quote the whole cell */
	sb_addc(out, '"');
	if (formula)
		sb_addc(out, '\'');
	for (p = s; *p; p++) {
		if (*p == '"')
			sb_addc(out, '"');
		sb_addc(out, *p);
	}
	sb_addc(out, '"');
}

void csv_begin(struct sb *out, int bom)
{
	if (bom)
		sb_adds(out, "\xEF\xBB\xBF");
}

void csv_row(struct sb *out, const char *const *fields, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (i)
			sb_addc(out, ',');
		csv_field(out, fields[i]);
	}
	sb_adds(out, "\r\n");
}

/* ---- JSON -------------------------------------------------------------- */

/*
 * A JSON string for s.  jansson refuses invalid UTF-8; a case that was
 * parsed never holds any, but a bad byte must not make a whole document
 * vanish, so such text is shown escaped instead.
 */
static json_t *jstr(const char *s)
{
	struct sb e = SB_INIT;
	json_t *j;

	j = json_string(s);
	if (j)
		return j;
	out_escape(&e, s, 1);
	j = json_string(e.buf);
	sb_release(&e);
	return j;
}

/* Set key to v (taking v), escaping a key that is not valid UTF-8. */
static void jset(json_t *obj, const char *key, json_t *v)
{
	struct sb e = SB_INIT;

	if (!v)
		return;
	if (utf8_valid(key, strlen(key))) {
		json_object_set_new(obj, key, v);
		return;
	}
	out_escape(&e, key, 0);
	json_object_set_new(obj, e.buf, v);
	sb_release(&e);
}

/* Set key to the string s unless s is NULL (absent). */
static void jset_str(json_t *obj, const char *key, const char *s)
{
	if (s)
		jset(obj, key, jstr(s));
}

static void jset_ts(json_t *obj, const char *key, struct ts ts)
{
	char buf[TS_BUFSZ];

	ts_format(buf, ts);
	jset(obj, key, json_string(buf));
}

static json_t *jstrv(char *const *v, size_t n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(a, jstr(v[i] ? v[i] : ""));
	return a;
}

/* Set key to a string array unless the list is empty (absent). */
static void jset_strv(json_t *obj, const char *key, char *const *v,
	size_t n)
{
	if (n)
		jset(obj, key, jstrv(v, n));
}

/* A YAML tree as JSON: scalars as strings, maps and sequences as such. */
static json_t *ynode_to_json(const struct ynode *n)
{
	json_t *j;
	size_t i;

	if (!n)
		return json_null();
	switch (n->type) {
	case YT_MAP:
		j = json_object();
		for (i = 0; i < n->n; i++) {
			const char *k = n->pairs[i].key->str;

			jset(j, k ? k : "", ynode_to_json(n->pairs[i].val));
		}
		return j;
	case YT_SEQ:
		j = json_array();
		for (i = 0; i < n->n; i++)
			json_array_append_new(j, ynode_to_json(n->items[i]));
		return j;
	default:
		return jstr(n->str ? n->str : "");
	}
}

static void jset_extra(json_t *obj, const struct extra *x, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (x[i].key)
			jset(obj, x[i].key, ynode_to_json(x[i].val));
}

static int complainant_present(const struct complainant *w)
{
	return w->name || w->phone || w->email || w->address ||
		w->anonymous || w->count > 0 || w->nextra;
}

static json_t *complainant_json(const struct complainant *w)
{
	json_t *j = json_object();

	jset_str(j, "name", w->name);
	jset_str(j, "phone", w->phone);
	jset_str(j, "email", w->email);
	jset_str(j, "address", w->address);
	jset(j, "anonymous", json_boolean(w->anonymous));
	if (w->count > 0)
		jset(j, "count", json_integer(w->count));
	jset_extra(j, w->extra, w->nextra);
	return j;
}

static json_t *due_json(const struct due *due)
{
	json_t *j = json_object();
	int k;

	for (k = 0; k < DUE__COUNT; k++)
		if (due->has & (1u << k))
			jset_ts(j, due_names[k], due->at[k]);
	return j;
}

static json_t *attachments_json(const struct attachment *a, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++) {
		json_t *o = json_object();

		jset_str(o, "path", a[i].path);
		jset_str(o, "sha256", a[i].sha256);
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *closure_json(const struct closure *cl)
{
	json_t *j = json_object();

	jset_ts(j, "at", cl->at);
	jset_str(j, "by", cl->by);
	jset_str(j, "outcome", cl->outcome);
	jset_str(j, "summary", cl->summary);
	if (cl->notified) {
		json_t *n = json_object();

		jset_ts(n, "at", cl->notified_at);
		jset_str(n, "via", cl->notified_via);
		jset(j, "notified", n);
	}
	jset_str(j, "satisfaction", cl->satisfaction);
	if (cl->on_time >= 0)
		jset(j, "on_time", json_boolean(cl->on_time));
	jset_extra(j, cl->extra, cl->nextra);
	return j;
}

static json_t *event_json(const struct event *e)
{
	json_t *j = json_object();
	size_t i;

	jset_ts(j, "at", e->at);
	jset_str(j, "by", e->by);
	jset_str(j, "action", e->action);
	for (i = 0; i < e->nf; i++) {
		const struct event_field *f = &e->f[i];

		if (!f->key)
			continue;
		if (f->is_list)
			jset(j, f->key, jstrv(f->list, f->nlist));
		else
			jset_str(j, f->key, f->val);
	}
	return j;
}

static json_t *events_json(const struct event *e, size_t n)
{
	json_t *arr = json_array();
	size_t i;

	for (i = 0; i < n; i++)
		json_array_append_new(arr, event_json(&e[i]));
	return arr;
}

/* The keys from id to co_departments, in file order. */
static void case_head_json(json_t *j, const struct dcase *c)
{
	jset_str(j, "id", c->id);
	jset_str(j, "kind", case_kind_name(c->kind));
	jset_str(j, "status", case_status_name(c->status));
	jset_str(j, "subject", c->subject);
	jset_str(j, "channel", c->channel);
	jset_str(j, "ref", c->ref);
	/* case_init leaves the epoch: a case never received then */
	if (c->received_at.t || c->received_at.off)
		jset_ts(j, "received_at", c->received_at);
	jset_str(j, "received_by", c->received_by);
	if (complainant_present(&c->who))
		jset(j, "complainant", complainant_json(&c->who));
	jset_str(j, "respondent", c->respondent);
	jset_str(j, "location", c->location);
	if (c->has_occurred) {
		char buf[DATE_BUFSZ];

		date_format(buf, c->occurred_on);
		jset(j, "occurred_on", json_string(buf));
	}
	jset_str(j, "description", c->description);
	jset_str(j, "request", c->request);
	jset_str(j, "category", c->category);
	jset_str(j, "priority", c->priority);
	jset_str(j, "department", c->department);
	jset_strv(j, "co_departments", c->co_departments, c->nco);
}

json_t *case_to_json(const struct dcase *c)
{
	json_t *j = json_object();

	case_head_json(j, c);
	jset_str(j, "assignee", c->assignee);
	if (c->due.has)
		jset(j, "due", due_json(&c->due));
	jset_strv(j, "related", c->related, c->nrelated);
	if (c->natt)
		jset(j, "attachments", attachments_json(c->att, c->natt));
	if (c->closure.present)
		jset(j, "closure", closure_json(&c->closure));
	if (c->nevents)
		jset(j, "events", events_json(c->events, c->nevents));
	jset_extra(j, c->extra, c->nextra);
	return j;
}

void json_dump_sb(struct sb *out, const json_t *j, int compact)
{
	size_t flags = JSON_PRESERVE_ORDER | JSON_ENCODE_ANY |
		JSON_REAL_PRECISION(15);
	char *s = NULL;

	flags |= compact ? JSON_COMPACT : JSON_INDENT(2);
	s = json_dumps(j, flags);
	if (s)
		sb_adds(out, s);
	sb_addc(out, '\n');
	free(s);
}
