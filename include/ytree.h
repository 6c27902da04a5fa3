/*
 * ytree.h - YAML documents as trees of nodes with positions (libyaml).
 *
 * The parser refuses what a complaint store never needs and an attacker
 * might send: aliases and anchors, tags, non-scalar or duplicate keys,
 * nesting deeper than YT_MAX_DEPTH, more than YT_MAX_NODES nodes, invalid
 * UTF-8 and raw control characters (libyaml checks the stream; scalars are
 * checked again after escapes are decoded).  Errors name FILE:LINE:COLUMN.
 *
 * JSON documents parse too (JSON is YAML flow syntax).
 */
#ifndef DOCKET_YTREE_H
#define DOCKET_YTREE_H

#include <stdarg.h>
#include <stddef.h>
#include "util.h"

#define YT_MAX_DEPTH 32
#define YT_MAX_NODES 200000
#define YT_MAX_SCALAR (1 << 20)	/* bytes; fields have smaller limits */
#define YT_MAX_DOCS 200000	/* documents in one stream (bulk intake) */

enum yt_type { YT_SCALAR, YT_MAP, YT_SEQ };

/** How a scalar was written; plain scalars may be numbers, bools, null. */
enum yt_style { YT_PLAIN, YT_QUOTED, YT_BLOCK };

struct ynode;

struct ypair {
	struct ynode *key;	/**< always a scalar */
	struct ynode *val;
};

struct ynode {
	enum yt_type type;
	enum yt_style style;	/**< scalars only */
	int flow;		/**< collections written as [..] / {..} */
	int line, col;		/**< 1-based start position */
	char *str;		/**< scalar text, NUL-terminated */
	size_t len;
	struct ynode **items;	/**< YT_SEQ */
	struct ypair *pairs;	/**< YT_MAP, in document order */
	size_t n;		/**< items or pairs */
	/** A parsed document's root: the arena its whole tree lives in,
	 * freed with it; NULL in every other node (and in copies). */
	struct arena *mem;
};

/**
 * Parse exactly one document (an empty input is an error).  *out is a
 * mapping, sequence or scalar tree the caller frees with ynode_free().
 */
int ytree_parse(struct ynode **out, const char *buf, size_t len,
	const char *file, struct diag *d);
/**
 * ytree_parse() into mem, an arena the tree takes (arena_reuse()d when
 * the file is read the fast way, freed otherwise; NULL: a new one): a
 * scan parses file after file into its last case's arena.
 */
int ytree_parse_in(struct arena *mem, struct ynode **out, const char *buf,
	size_t len, const char *file, struct diag *d);
/**
 * Parse a stream of zero or more documents ("---" separated YAML, or JSON
 * values one after another).  *out gets an array of *n trees.
 */
int ytree_parse_stream(struct ynode ***out, size_t *n, const char *buf,
	size_t len, const char *file, struct diag *d);
void ynode_free(struct ynode *n);
/** A deep copy. */
struct ynode *ynode_dup(const struct ynode *n);

/** 1 if a and b are the same tree: nodes, text, styles and positions. */
int ynode_same(const struct ynode *a, const struct ynode *b);
/** The value for key in a mapping, or NULL. */
struct ynode *ynode_get(const struct ynode *map, const char *key);
/** 1 if a plain scalar reads as YAML null ("", "~", "null"). */
int ynode_is_null(const struct ynode *n);
/** Name of the node's type for messages: "a mapping", "a list", "text". */
const char *ynode_kind(const struct ynode *n);
/**
 * A problem found at node n of file, "FILE:LINE:COLUMN: message" (no
 * position when n is NULL), as docket.yaml's and a case file's checks
 * both report them.  Returns ERR_INVALID.
 */
int ynode_vdiag(struct diag *d, const char *file, const struct ynode *n,
	const char *fmt, va_list ap);

/*
 * Canonical emitting.  docket writes its own YAML (libyaml's emitter
 * quotes every timestamp inside a flow mapping, which the canonical
 * form of DESIGN section 3 does not).  Output is re-read by libyaml in
 * the tests, so what we write is always what we read.
 */

/** Context a scalar is written in: block value, or inside [..]/{..}. */
enum yemit_ctx { YE_BLOCK, YE_FLOW };

/**
 * Append a scalar: plain when YAML reads it back as the same string,
 * double-quoted otherwise (text that looks like a number, bool, null or
 * date is quoted so it stays a string).  Multi-line text in block
 * context becomes a `|` literal block indented by `indent` + 2 spaces.
 * `is_string` false means the caller knows the value is a number, bool,
 * date or timestamp and wants it plain.
 */
void yemit_scalar(struct sb *out, const char *s, enum yemit_ctx ctx,
	int indent, int is_string);
/**
 * Append an arbitrary node as a value (after "key:" has been written,
 * without the space): scalars and flow collections go on the same line,
 * block collections on the following lines at indent + 2.  Used for
 * unknown keys, which are kept as they were.
 */
void yemit_node(struct sb *out, const struct ynode *n, int indent);

#endif
