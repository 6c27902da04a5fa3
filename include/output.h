/*
 * output.h - what docket prints: terminal-safe text, aligned tables
 * (CJK display width), CSV (RFC 4180) and JSON (jansson).
 *
 * Functions build into a `struct sb`; the command layer writes it out.
 */
#ifndef DOCKET_OUTPUT_H
#define DOCKET_OUTPUT_H

#include <jansson.h>
#include <stddef.h>
#include "util.h"

struct dcase;

/**
 * Append s with control characters made visible: C0 and DEL as \xNN
 * (newline as "\n" unless keep_newlines, tab as "\t"), C1 and the bidi
 * controls U+202A..202E / U+2066..2069 as \u{NNNN}, a backslash as "\\",
 * invalid UTF-8 bytes as \xNN.  Used for all case text shown on a terminal.
 */
void out_escape(struct sb *out, const char *s, int keep_newlines);

/** Columns a UTF-8 string takes on a terminal (East Asian Wide and
 * Fullwidth 2, combining marks 0; libunistring's u8_width). */
size_t display_width(const char *s);

/** An aligned text table. */
struct table_line {
	const char *text;	/**< ncols escaped cells, each NUL-ended */
	const size_t *width;	/**< display width of each */
};
struct table {
	size_t ncols;
	size_t nrows;
	unsigned right;		/**< bit c: right-align column c */
	/* one entry per row, not per cell: table_row()'s text and widths
	 * copied into mem, table_row_escaped()'s where the caller keeps
	 * them (a list of 100,000 cases is a million cells) */
	struct arena *mem;
	struct table_line *line;
	size_t alloc;
};
void table_init(struct table *t, size_t ncols);
void table_release(struct table *t);
/** Add one row of ncols strings (NULL prints as empty); text is escaped. */
void table_row(struct table *t, const char *const *cells);
/**
 * table_row() in two halves, the first of which may run on other
 * threads: escape ncols cells into text, each NUL-ended, with their
 * display widths; then add such a row.
 */
void table_cells_escape(struct sb *text, size_t *width,
	const char *const *cells, size_t ncols);
/* text and width are the caller's, and must last until the table is
 * rendered. */
void table_row_escaped(struct table *t, const char *text,
	const size_t *width);
/**
 * Render with columns separated by two spaces, each padded to its
 * widest cell by display width; no trailing blanks.
 */
void table_render(struct sb *out, const struct table *t);
/**
 * table_render() a part at a time, for a table too large to hold
 * rendered whole: the widest cell of each column into width (ncols),
 * then rows [from, to) appended to out.
 */
void table_widths(const struct table *t, size_t *width);
void table_render_rows(struct sb *out, const struct table *t,
	const size_t *width, size_t from, size_t to);

/**
 * Append one CSV field, quoted when it holds , " CR or LF.  Every cell
 * that starts with = + - @ TAB or CR, whoever wrote it, is neutralised
 * by OWASP's rule for CSV injection: a single quote before it, and the
 * whole cell quoted ("'=1+1").  (docket's own figures are counts,
 * durations and rates, never negative, so none of them is changed.)
 */
void csv_field(struct sb *out, const char *s);
/** Start a CSV text: the UTF-8 byte order mark when bom is set, which
 * Excel in a Chinese locale needs to read UTF-8 instead of GBK. */
void csv_begin(struct sb *out, int bom);
/** Append a record of n fields followed by CRLF. */
void csv_row(struct sb *out, const char *const *fields, size_t n);

/** The whole case as a JSON object (keys as in the YAML file). */
json_t *case_to_json(const struct dcase *c);
/** Dump with two-space indent, keys in insertion order, UTF-8 kept. */
void json_dump_sb(struct sb *out, const json_t *j, int compact);

#endif
