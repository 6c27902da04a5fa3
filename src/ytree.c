/*
 * ytree.c - YAML documents as node trees (libyaml), and canonical emitting.
 *
 * A document in the form docket writes is read by yfast.c first, without
 * libyaml, to the same tree; anything else, and every mistake, is read
 * here.
 */
#include <ctype.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "intl.h"
#include "ytree-int.h"

struct yparse {
	yaml_parser_t parser;
	const char *buf;
	size_t len;
	const char *file;
	struct diag *d;
	size_t nodes;
	struct arena *mem;	/* the document's nodes, strings and arrays */
	int line0;		/* lines before buf in the whole input */
	int col0;		/* columns before buf on its first line */
};

/* 1-based column of a mark in the whole input. */
static int mark_col(const struct yparse *p, const yaml_mark_t *m)
{
	return (int)m->column + 1 + (m->line == 0 ? p->col0 : 0);
}

/* A parsed document lives in one arena its root owns: a case file's
 * fifty-odd nodes, strings and arrays cost one allocation, not a hundred
 * (malloc and free were a third of reading a store without its cache). */
static struct ynode *node_new(const struct yparse *p, enum yt_type type,
	const yaml_mark_t *m)
{
	struct ynode *n = arena_calloc(p->mem, 1, sizeof(*n));

	n->type = type;
	n->line = (int)m->line + 1 + p->line0;
	n->col = mark_col(p, m);
	return n;
}

void ynode_free(struct ynode *n)
{
	size_t i;

	if (!n)
		return;
	if (n->mem) {
		/* a parsed document's root: everything is in its arena */
		arena_free(n->mem);
		return;
	}
	if (n->type == YT_SEQ) {
		for (i = 0; i < n->n; i++)
			ynode_free(n->items[i]);
		free(n->items);
	} else if (n->type == YT_MAP) {
		for (i = 0; i < n->n; i++) {
			ynode_free(n->pairs[i].key);
			ynode_free(n->pairs[i].val);
		}
		free(n->pairs);
	}
	free(n->str);
	free(n);
}

struct ynode *ynode_dup(const struct ynode *n)
{
	struct ynode *c;
	size_t i;

	if (!n)
		return NULL;
	c = xcalloc(1, sizeof(*c));
	*c = *n;
	c->mem = NULL;		/* a copy on the heap, node by node */
	c->str = n->str ? xstrndup(n->str, n->len) : NULL;
	c->items = NULL;
	c->pairs = NULL;
	if (n->type == YT_SEQ) {
		c->items = xcalloc(n->n, sizeof(*c->items));
		for (i = 0; i < n->n; i++)
			c->items[i] = ynode_dup(n->items[i]);
	} else if (n->type == YT_MAP) {
		c->pairs = xcalloc(n->n, sizeof(*c->pairs));
		for (i = 0; i < n->n; i++) {
			c->pairs[i].key = ynode_dup(n->pairs[i].key);
			c->pairs[i].val = ynode_dup(n->pairs[i].val);
		}
	}
	return c;
}

/* Line and column of a byte offset, for reader errors that carry no mark. */
static void offset_pos(const char *buf, size_t len, size_t off, int *line,
	int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			(*col)++;
		}
	}
}

/*
 * libyaml's own words for what went wrong, translated when the catalog
 * has them (the list below names those a hand-edited file meets), else
 * as libyaml says them; dflt when it says nothing.
 */
static const char *const libyaml_words[] = {
	N_("did not find expected key"),
	N_("did not find expected node content"),
	N_("did not find expected ',' or ']'"),
	N_("did not find expected ',' or '}'"),
	N_("did not find expected '-' indicator"),
	N_("did not find expected <document start>"),
	N_("mapping values are not allowed in this context"),
	N_("found character that cannot start any token"),
	N_("found unexpected end of stream"),
	N_("found undefined tag handle"),
	N_("found a tab character that violates indentation"),
	N_("found unknown escape character"),
	N_("found unexpected document indicator"),
	N_("could not find expected ':'"),
	N_("did not find URI escaped octet"),
	N_("block sequence entries are not allowed in this context"),
	N_("control characters are not allowed"),
	N_("invalid leading UTF-8 octet"),
	N_("invalid trailing UTF-8 octet"),
	N_("incomplete UTF-8 octet sequence"),
	N_("invalid Unicode character"),
	N_("while parsing a block mapping"),
	N_("while parsing a block collection"),
	N_("while parsing a flow mapping"),
	N_("while parsing a flow sequence"),
	N_("while parsing a flow node"),
	N_("while parsing a block node"),
	N_("while scanning a simple key"),
	N_("while scanning a quoted scalar"),
	N_("while scanning a plain scalar"),
	N_("while scanning a block scalar"),
	N_("while scanning an anchor"),
	N_("while scanning an alias"),
	N_("while scanning a tag"),
	N_("while scanning a directive"),
	N_("while parsing a node"),
	N_("found a tab character where an indentation space is expected"),
	N_("found undefined alias"),
	N_("found unexpected ':'"),
	N_("mapping keys are not allowed in this context"),
	N_("did not find expected whitespace or line break"),
	N_("did not find expected comment or line break"),
	N_("invalid length of a UTF-8 sequence"),
	N_("found duplicate anchor; first occurrence"),
	NULL
};

static const char *yaml_words(const char *s, const char *dflt)
{
	size_t i;

	if (!s)
		return *dflt ? _(dflt) : dflt;
	for (i = 0; libyaml_words[i]; i++)
		if (!strcmp(s, libyaml_words[i]))
			return _(s);
	return s;
}

static int parser_error(struct yparse *p)
{
	yaml_parser_t *y = &p->parser;
	int line, col;

	if (y->error == YAML_READER_ERROR) {
		offset_pos(p->buf, p->len, y->problem_offset, &line, &col);
		line += p->line0;
		if (y->problem_value != -1)
			return diag_at(p->d, ERR_INVALID, p->file, line, col,
				_("%s (byte 0x%02x); the file must be UTF-8 text "
				"without control characters"),
				yaml_words(y->problem, ""),
				(unsigned)y->problem_value & 0xff);
		return diag_at(p->d, ERR_INVALID, p->file, line, col,
			"%s", yaml_words(y->problem, N_("cannot read input")));
	}
	if (y->error == YAML_MEMORY_ERROR)
		return diag_at(p->d, ERR_INVALID, p->file, 0, 0,
			_("out of memory while parsing"));
	line = (int)y->problem_mark.line + 1 + p->line0;
	col = mark_col(p, &y->problem_mark);
	if (y->context)
		/* TRANSLATORS: libyaml's account of a syntax error: what
		   is wrong, then where it was ("while parsing a block
		   mapping"). */
		return diag_at(p->d, ERR_INVALID, p->file, line, col,
			_("%s %s"), yaml_words(y->problem,
			N_("syntax error")), yaml_words(y->context, ""));
	return diag_at(p->d, ERR_INVALID, p->file, line, col, "%s",
		yaml_words(y->problem, N_("syntax error")));
}

static int next_event(struct yparse *p, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&p->parser, ev))
		return parser_error(p);
	return 0;
}

static int refuse_props(struct yparse *p, const yaml_event_t *ev,
	const yaml_char_t *anchor, const yaml_char_t *tag, int implicit)
{
	int line = (int)ev->start_mark.line + 1 + p->line0;
	int col = mark_col(p, &ev->start_mark);

	if (anchor)
		return diag_at(p->d, ERR_INVALID, p->file, line, col,
			_("anchors and aliases are not allowed"));
	if (tag && !implicit)
		return diag_at(p->d, ERR_INVALID, p->file, line, col,
			_("tags are not allowed ('%s')"), (const char *)tag);
	return 0;
}

static int parse_node(struct yparse *p, yaml_event_t *ev, int depth,
	struct ynode **out);

size_t ytree_text_bad(const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned cp;
	size_t i = 0;
	int k;

	while (i < len) {
		if ((k = utf8_plain_char(u + i, len - i))) {
			i += (size_t)k;
			continue;
		}
		k = utf8_decode(s + i, len - i, &cp);
		if (!k || has_control(s + i, (size_t)k, 1))
			return i;
		i += (size_t)k;
	}
	return len;
}

static int check_scalar(struct yparse *p, struct ynode *n)
{
	unsigned cp;
	size_t i;

	if (n->len > YT_MAX_SCALAR)
		return diag_at(p->d, ERR_INVALID, p->file, n->line, n->col,
			_("value is %zu bytes, over the limit of %d"), n->len,
			YT_MAX_SCALAR);
	if ((i = ytree_text_bad(n->str, n->len)) == n->len)
		return 0;
	if (!utf8_decode(n->str + i, n->len - i, &cp))
		return diag_at(p->d, ERR_INVALID, p->file, n->line, n->col,
			_("value is not valid UTF-8"));
	return diag_at(p->d, ERR_INVALID, p->file, n->line, n->col,
		_("value contains a control character (U+%04X)"), cp);
}

static int parse_scalar(struct yparse *p, yaml_event_t *ev,
	struct ynode **out)
{
	struct ynode *n;
	int ret;

	ret = refuse_props(p, ev, ev->data.scalar.anchor, ev->data.scalar.tag,
		ev->data.scalar.plain_implicit || ev->data.scalar.quoted_implicit);
	if (ret)
		return ret;
	n = node_new(p, YT_SCALAR, &ev->start_mark);
	n->len = ev->data.scalar.length;
	n->str = arena_strndup(p->mem, (const char *)ev->data.scalar.value,
		n->len);
	switch (ev->data.scalar.style) {
	case YAML_PLAIN_SCALAR_STYLE:
		n->style = YT_PLAIN;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE:
		n->style = YT_BLOCK;
		break;
	default:
		n->style = YT_QUOTED;
	}
	if (strlen(n->str) != n->len) {
		ret = diag_at(p->d, ERR_INVALID, p->file, n->line, n->col,
			_("value contains a NUL character"));
	} else {
		ret = check_scalar(p, n);
	}
	if (ret)
		return ret;	/* n goes with the arena */
	*out = n;
	return 0;
}

static int parse_seq(struct yparse *p, yaml_event_t *ev, int depth,
	struct ynode **out)
{
	struct ynode *n = NULL, *item;
	size_t alloc = 0;
	int ret;

	ret = refuse_props(p, ev, ev->data.sequence_start.anchor,
		ev->data.sequence_start.tag, ev->data.sequence_start.implicit);
	if (ret)
		return ret;
	n = node_new(p, YT_SEQ, &ev->start_mark);
	n->flow = ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
	for (;;) {
		yaml_event_t child;

		if ((ret = next_event(p, &child)))
			return ret;
		if (child.type == YAML_SEQUENCE_END_EVENT) {
			yaml_event_delete(&child);
			break;
		}
		item = NULL;
		ret = parse_node(p, &child, depth + 1, &item);
		yaml_event_delete(&child);
		if (ret)
			return ret;
		n->items = arena_grow(p->mem, n->items, &alloc, n->n,
			sizeof(*n->items));
		n->items[n->n++] = item;
	}
	*out = n;
	return 0;
}

/*
 * Duplicate-key detection: a linear scan for the small mappings a case
 * file has, a hash table once a mapping grows (a hostile file with 100,000
 * keys must not cost 10^10 comparisons).
 */
#define KEYSET_MIN 16

struct keyset {
	size_t *slot;		/* pair index + 1; 0 = empty */
	size_t cap;		/* power of two, or 0 while scanning */
};

static void keyset_put(struct keyset *ks, const struct ynode *map, size_t i)
{
	size_t h = (size_t)fnv1a(FNV_INIT, map->pairs[i].key->str) &
		(ks->cap - 1);

	while (ks->slot[h])
		h = (h + 1) & (ks->cap - 1);
	ks->slot[h] = i + 1;
}

static void keyset_add(struct keyset *ks, const struct ynode *map, size_t i)
{
	size_t j;

	if (map->n < KEYSET_MIN)
		return;
	if (map->n * 2 > ks->cap) {
		free(ks->slot);
		ks->cap = ks->cap ? ks->cap * 4 : KEYSET_MIN * 4;
		ks->slot = xcalloc(ks->cap, sizeof(*ks->slot));
		for (j = 0; j < map->n; j++)
			keyset_put(ks, map, j);
		return;
	}
	keyset_put(ks, map, i);
}

/* Index of the pair with this key, or map->n. */
static size_t keyset_find(const struct keyset *ks, const struct ynode *map,
	const char *key)
{
	size_t i, h;

	if (!ks->cap) {
		for (i = 0; i < map->n; i++)
			if (!strcmp(map->pairs[i].key->str, key))
				return i;
		return map->n;
	}
	for (h = (size_t)fnv1a(FNV_INIT, key) & (ks->cap - 1); ks->slot[h];
	     h = (h + 1) & (ks->cap - 1))
		if (!strcmp(map->pairs[ks->slot[h] - 1].key->str, key))
			return ks->slot[h] - 1;
	return map->n;
}

static void keyset_release(struct keyset *ks)
{
	free(ks->slot);
}

static int parse_map(struct yparse *p, yaml_event_t *ev, int depth,
	struct ynode **out)
{
	struct ynode *n = NULL, *key = NULL, *val = NULL;
	struct keyset ks = { NULL, 0 };
	size_t alloc = 0, i;
	int ret;

	ret = refuse_props(p, ev, ev->data.mapping_start.anchor,
		ev->data.mapping_start.tag, ev->data.mapping_start.implicit);
	if (ret)
		return ret;
	n = node_new(p, YT_MAP, &ev->start_mark);
	n->flow = ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE;
	for (;;) {
		yaml_event_t child;

		if ((ret = next_event(p, &child)))
			goto out;
		if (child.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&child);
			break;
		}
		ret = parse_node(p, &child, depth + 1, &key);
		yaml_event_delete(&child);
		if (ret)
			goto out;
		if (key->type != YT_SCALAR) {
			ret = diag_at(p->d, ERR_INVALID, p->file, key->line,
				key->col, _("a key must be plain text"));
			goto out;
		}
		i = keyset_find(&ks, n, key->str);
		if (i < n->n) {
			ret = diag_at(p->d, ERR_INVALID, p->file, key->line,
				key->col, _("duplicate key '%s' (first at line %d)"),
				key->str, n->pairs[i].key->line);
			goto out;
		}
		if ((ret = next_event(p, &child)))
			goto out;
		ret = parse_node(p, &child, depth + 1, &val);
		yaml_event_delete(&child);
		if (ret)
			goto out;
		n->pairs = arena_grow(p->mem, n->pairs, &alloc, n->n,
			sizeof(*n->pairs));
		n->pairs[n->n].key = key;
		n->pairs[n->n].val = val;
		n->n++;
		keyset_add(&ks, n, n->n - 1);
		key = val = NULL;
	}
	*out = n;
	keyset_release(&ks);
	return 0;
out:
	/* the nodes go with the arena */
	keyset_release(&ks);
	return ret;
}

/* Build the node that starts with event ev (owned by the caller). */
static int parse_node(struct yparse *p, yaml_event_t *ev, int depth,
	struct ynode **out)
{
	int line = (int)ev->start_mark.line + 1 + p->line0;
	int col = mark_col(p, &ev->start_mark);

	*out = NULL;
	if (depth > YT_MAX_DEPTH)
		return diag_at(p->d, ERR_INVALID, p->file, line, col,
			_("nesting deeper than %d levels"), YT_MAX_DEPTH);
	if (++p->nodes > YT_MAX_NODES)
		return diag_at(p->d, ERR_INVALID, p->file, line, col,
			_("more than %d values in one document"), YT_MAX_NODES);
	switch (ev->type) {
	case YAML_SCALAR_EVENT:
		return parse_scalar(p, ev, out);
	case YAML_SEQUENCE_START_EVENT:
		return parse_seq(p, ev, depth, out);
	case YAML_MAPPING_START_EVENT:
		return parse_map(p, ev, depth, out);
	case YAML_ALIAS_EVENT:
		return diag_at(p->d, ERR_INVALID, p->file, line, col,
			_("anchors and aliases are not allowed"));
	default:
		return diag_at(p->d, ERR_INVALID, p->file, line, col,
			_("unexpected YAML structure"));
	}
}

static int parse_segment(struct ynode ***out, size_t *nout, const char *buf,
	size_t len, int line0, int col0, const char *file, struct diag *d)
{
	struct yparse p;
	struct ynode **docs = NULL, *root;
	size_t n = 0, alloc = 0, i;
	yaml_event_t ev;
	int ret = 0, done = 0;

	memset(&p, 0, sizeof(p));
	p.buf = buf;
	p.len = len;
	p.file = file;
	p.d = d;
	p.line0 = line0;
	p.col0 = col0;
	*out = NULL;
	*nout = 0;
	if (!utf8_valid(buf, len)) {
		size_t off = 0;
		unsigned cp;
		int k, line, col;

		while (off < len && (k = utf8_decode(buf + off, len - off, &cp)))
			off += (size_t)k;
		offset_pos(buf, len, off, &line, &col);
		return diag_at(d, ERR_INVALID, file, line + line0, col,
			_("invalid UTF-8 (byte 0x%02x)"),
			(unsigned char)buf[off]);
	}
	if (!yaml_parser_initialize(&p.parser))
		return diag_add(d, ERR_GENERIC, _("cannot start the YAML parser"));
	yaml_parser_set_input_string(&p.parser, (const unsigned char *)buf,
		len);
	yaml_parser_set_encoding(&p.parser, YAML_UTF8_ENCODING);
	while (!done) {
		if ((ret = next_event(&p, &ev)))
			goto out;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_STREAM_START_EVENT:
		case YAML_DOCUMENT_END_EVENT:
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (ev.data.document_start.version_directive ||
			    ev.data.document_start.tag_directives.start !=
			    ev.data.document_start.tag_directives.end) {
				ret = diag_at(d, ERR_INVALID, file,
					(int)ev.start_mark.line + 1 + line0,
					(int)ev.start_mark.column + 1,
					_("YAML directives are not allowed"));
				yaml_event_delete(&ev);
				goto out;
			}
			break;
		default:
			if (n >= YT_MAX_DOCS) {
				ret = diag_at(d, ERR_INVALID, file,
					(int)ev.start_mark.line + 1 + line0,
					mark_col(&p, &ev.start_mark),
					_("more than %d documents in one stream; "
					"split the file"), YT_MAX_DOCS);
				yaml_event_delete(&ev);
				goto out;
			}
			root = NULL;
			p.nodes = 0;
			/* a case file fits the first block; a larger
			 * input may be a stream of 200,000 small documents,
			 * each with its own arena: start small, it grows */
			p.mem = arena_new(len < 16384 ? len * 4 + 1024 : 1024);
			ret = parse_node(&p, &ev, 0, &root);
			if (ret) {
				arena_free(p.mem);
				yaml_event_delete(&ev);
				goto out;
			}
			root->mem = p.mem;
			GROW(docs, alloc, n + 1);
			docs[n++] = root;
		}
		yaml_event_delete(&ev);
	}
	*out = docs;
	*nout = n;
	docs = NULL;
	n = 0;
out:
	for (i = 0; i < n; i++)
		ynode_free(docs[i]);
	free(docs);
	yaml_parser_delete(&p.parser);
	return ret;
}

/*
 * Length of the JSON value starting at buf (an object or array), found by
 * matching brackets outside strings; 0 if it does not end.
 */
static size_t json_value_len(const char *buf, size_t len)
{
	size_t i, depth = 0;
	int in_str = 0, in_sq = 0;

	/* Single-quoted strings are YAML flow, not JSON, but a flow mapping
	 * document may use them: a '}' inside one does not end the value
	 * (a doubled '' toggles twice and stays inside). */
	for (i = 0; i < len; i++) {
		char c = buf[i];

		if (in_str) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_str = 0;
		} else if (in_sq) {
			if (c == '\'')
				in_sq = 0;
		} else if (c == '"') {
			in_str = 1;
		} else if (c == '\'') {
			in_sq = 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if ((c == '}' || c == ']') && depth && !--depth) {
			return i + 1;
		}
	}
	return 0;
}

static int count_lines(const char *buf, size_t len)
{
	int n = 0;
	size_t i;

	for (i = 0; i < len; i++)
		n += buf[i] == '\n';
	return n;
}

/* Characters before pos on its line. */
static int line_col(const char *buf, size_t pos)
{
	size_t i = pos;
	int n = 0;

	while (i > 0 && buf[i - 1] != '\n') {
		i--;
		n += ((unsigned char)buf[i] & 0xc0) != 0x80;
	}
	return n;
}

/*
 * JSON values one after another ("{..}\n{..}", JSON lines) are not a
 * YAML stream: parse each value on its own, keeping line numbers.
 */
static int parse_json_seq(struct ynode ***out, size_t *nout, const char *buf,
	size_t len, const char *file, struct diag *d)
{
	struct ynode **all = NULL, **one;
	size_t n = 0, alloc = 0, pos = 0, vlen, k, i;
	int ret = 0;

	while (pos < len) {
		while (pos < len && strchr(" \t\r\n", buf[pos]))
			pos++;
		if (pos >= len)
			break;
		vlen = (buf[pos] == '{' || buf[pos] == '[') ?
			json_value_len(buf + pos, len - pos) : 0;
		if (!vlen)
			vlen = len - pos;	/* let the parser say what is wrong */
		ret = parse_segment(&one, &k, buf + pos, vlen,
			count_lines(buf, pos), line_col(buf, pos), file, d);
		if (ret)
			break;
		if (n + k > YT_MAX_DOCS) {
			ret = diag_at(d, ERR_INVALID, file,
				count_lines(buf, pos) + 1, line_col(buf, pos) + 1,
				_("more than %d documents in one stream; split the "
				"file"), YT_MAX_DOCS);
			for (i = 0; i < k; i++)
				ynode_free(one[i]);
			free(one);
			break;
		}
		for (i = 0; i < k; i++) {
			GROW(all, alloc, n + 1);
			all[n++] = one[i];
		}
		free(one);
		pos += vlen;
	}
	if (ret) {
		for (i = 0; i < n; i++)
			ynode_free(all[i]);
		free(all);
		return ret;
	}
	*out = all;
	*nout = n;
	return 0;
}

int ytree_parse_stream(struct ynode ***out, size_t *nout, const char *buf,
	size_t len, const char *file, struct diag *d)
{
	size_t i = 0;

	while (i < len && strchr(" \t\r\n", buf[i]))
		i++;
	if (i < len && (buf[i] == '{' || buf[i] == '[') &&
	    json_value_len(buf + i, len - i) &&
	    json_value_len(buf + i, len - i) + i < len)
		return parse_json_seq(out, nout, buf, len, file, d);
	return parse_segment(out, nout, buf, len, 0, 0, file, d);
}

int ytree_parse(struct ynode **out, const char *buf, size_t len,
	const char *file, struct diag *d)
{
	return ytree_parse_in(NULL, out, buf, len, file, d);
}

int ytree_parse_in(struct arena *mem, struct ynode **out, const char *buf,
	size_t len, const char *file, struct diag *d)
{
	struct ynode **docs = NULL;
	size_t n = 0, i;
	int ret;

	*out = NULL;
	if (!yfast_parse(out, buf, len, mem))
		return 0;
	ret = ytree_parse_stream(&docs, &n, buf, len, file, d);
	if (ret)
		return ret;
	if (n == 1) {
		*out = docs[0];
	} else if (n == 0) {
		ret = diag_at(d, ERR_INVALID, file, 1, 1, _("the file is empty"));
	} else {
		ret = diag_at(d, ERR_INVALID, file, docs[1]->line, docs[1]->col,
			_("more than one YAML document"));
		for (i = 0; i < n; i++)
			ynode_free(docs[i]);
	}
	free(docs);
	return ret;
}

int ynode_same(const struct ynode *a, const struct ynode *b)
{
	size_t i;

	if (a->type != b->type || a->line != b->line || a->col != b->col ||
	    a->flow != b->flow || a->n != b->n)
		return 0;
	if (a->type == YT_SCALAR)
		return a->style == b->style && a->len == b->len &&
			!memcmp(a->str, b->str, a->len);
	for (i = 0; i < a->n; i++)
		if (a->type == YT_SEQ ? !ynode_same(a->items[i], b->items[i]) :
		    !ynode_same(a->pairs[i].key, b->pairs[i].key) ||
		    !ynode_same(a->pairs[i].val, b->pairs[i].val))
			return 0;
	return 1;
}

struct ynode *ynode_get(const struct ynode *map, const char *key)
{
	size_t i;

	if (!map || map->type != YT_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (!strcmp(map->pairs[i].key->str, key))
			return map->pairs[i].val;
	return NULL;
}

int ynode_is_null(const struct ynode *n)
{
	if (!n || n->type != YT_SCALAR || n->style != YT_PLAIN ||
	    (*n->str && !strchr("~nN", *n->str)))
		return 0;
	return !*n->str || !strcmp(n->str, "~") || !strcmp(n->str, "null") ||
		!strcmp(n->str, "Null") || !strcmp(n->str, "NULL");
}

const char *ynode_kind(const struct ynode *n)
{
	/* TRANSLATORS: what a YAML value is, in messages like "'channels'
	   must be a list, not text". */
	if (!n)
		return C_("yaml value", "nothing");
	switch (n->type) {
	case YT_MAP:
		return C_("yaml value", "a mapping");
	case YT_SEQ:
		return C_("yaml value", "a list");
	default:
		return C_("yaml value", "text");
	}
}

/*
 * Emitting.
 */

static int word_in(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (!strcmp(s, *words))
			return 1;
	return 0;
}

/*
 * Patterns of plain scalars that YAML 1.1 or 1.2 readers turn into
 * numbers or dates: ints (decimal, octal, hex, binary, sexagesimal),
 * floats, and dates or timestamps.
 */
static const char *const typed_patterns[] = {
	"^[-+]?[0-9][0-9_]*$",
	"^[-+]?0o[0-7_]+$",
	"^[-+]?0x[0-9a-fA-F_]+$",
	"^[-+]?0b[01_]+$",
	"^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\\.[0-9_]*)?$",
	"^[-+]?([0-9][0-9_]*)?\\.[0-9_]*([eE][-+]?[0-9]+)?$",
	"^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$",
	"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([Tt ].*)?$",
};

/* 1 if a plain scalar s would read back as something other than a string
 * under YAML 1.1 or 1.2 rules (number, bool, null, date). */
static int looks_typed(const char *s)
{
	static const char *const words[] = {
		"~", "null", "Null", "NULL", "true", "True", "TRUE", "false",
		"False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on",
		"On", "ON", "off", "Off", "OFF", "y", "Y", "n", "N", ".inf",
		".Inf", ".INF", "-.inf", "-.Inf", "-.INF", "+.inf", "+.Inf",
		"+.INF", ".nan", ".NaN", ".NAN", "=", "<<", NULL
	};
	static regex_t re[ARRAY_SIZE(typed_patterns)];
	static int compiled;
	size_t i;

	if (word_in(s, words))
		return 1;
	if (!strpbrk(s, "0123456789"))
		return 0;
	if (!compiled) {
		for (i = 0; i < ARRAY_SIZE(typed_patterns); i++)
			if (regcomp(&re[i], typed_patterns[i],
			    REG_EXTENDED | REG_NOSUB))
				return 1;	/* cannot tell: quote */
		compiled = 1;
	}
	for (i = 0; i < ARRAY_SIZE(typed_patterns); i++)
		if (!regexec(&re[i], s, 0, NULL, 0))
			return 1;
	return 0;
}

/* Characters YAML reads as line breaks or a byte order mark: only a
 * double-quoted escape carries them. */
static int has_special_break(const char *s)
{
	return strstr(s, "\xe2\x80\xa8") || strstr(s, "\xe2\x80\xa9") ||
		strstr(s, "\xef\xbb\xbf") || strstr(s, "\xc2\x85");
}

static int plain_ok(const char *s, enum yemit_ctx ctx)
{
	size_t len = strlen(s);
	const char *p;

	if (!len || has_special_break(s) || isspace((unsigned char)s[0]) ||
	    isspace((unsigned char)s[len - 1]))
		return 0;
	if (strchr("-?:,[]{}#&*!|>'\"%@`", s[0]))
		return 0;
	if (s[len - 1] == ':')
		return 0;
	for (p = s; *p; p++) {
		if (*p == '\n' || *p == '\t' || *p == '\r')
			return 0;
		if (*p == ':' && (p[1] == ' ' || p[1] == ','))
			return 0;
		if (*p == ' ' && p[1] == '#')
			return 0;
		if (ctx == YE_FLOW && strchr(",[]{}", *p))
			return 0;
	}
	if (!strcmp(s, "---") || !strcmp(s, "..."))
		return 0;
	return 1;
}

static void emit_double(struct sb *out, const char *s)
{
	sb_addc(out, '"');
	for (; *s; s++) {
		switch (*s) {
		case '"':
			sb_adds(out, "\\\"");
			break;
		case '\\':
			sb_adds(out, "\\\\");
			break;
		case '\n':
			sb_adds(out, "\\n");
			break;
		case '\t':
			sb_adds(out, "\\t");
			break;
		case '\r':
			sb_adds(out, "\\r");
			break;
		case '\xe2':
			if (s[1] == '\x80' && (s[2] == '\xa8' || s[2] == '\xa9')) {
				sb_adds(out, s[2] == '\xa8' ? "\\L" : "\\P");
				s += 2;
				break;
			}
			sb_addc(out, *s);
			break;
		case '\xef':
			if (s[1] == '\xbb' && s[2] == '\xbf') {
				sb_adds(out, "\\uFEFF");
				s += 2;
				break;
			}
			sb_addc(out, *s);
			break;
		case '\xc2':
			if (s[1] == '\x85') {
				sb_adds(out, "\\N");
				s++;
				break;
			}
			sb_addc(out, *s);
			break;
		default:
			if ((unsigned char)*s < 0x20)
				sb_addf(out, "\\x%02x", (unsigned char)*s);
			else
				sb_addc(out, *s);
		}
	}
	sb_addc(out, '"');
}

/* A `|` block can carry s unless its first line starts with a blank
 * (that needs an indentation indicator) or it holds a CR. */
static int literal_ok(const char *s)
{
	return !has_special_break(s) && s[0] != ' ' && s[0] != '\t' &&
		s[0] != '\n' && !strchr(s, '\r');
}

static void emit_literal(struct sb *out, const char *s, int indent)
{
	size_t len = strlen(s), end = len, trail = 0;
	const char *p, *nl;

	while (end && s[end - 1] == '\n') {
		end--;
		trail++;
	}
	sb_adds(out, trail == 0 ? "|-" : trail == 1 ? "|" : "|+");
	for (p = s; p < s + len;) {
		nl = memchr(p, '\n', (size_t)(s + len - p));
		if (!nl)
			nl = s + len;
		if (p >= s + end && nl == s + len)
			break;
		sb_addc(out, '\n');
		if (nl > p) {
			sb_addf(out, "%*s", indent + 2, "");
			sb_add(out, p, (size_t)(nl - p));
		}
		p = nl + 1;
	}
}

void yemit_scalar(struct sb *out, const char *s, enum yemit_ctx ctx,
	int indent, int is_string)
{
	if (!s)
		s = "";		/* never reached from a valid case; stay safe */
	if (!is_string && *s && plain_ok(s, ctx)) {
		sb_adds(out, s);
		return;
	}
	if (strchr(s, '\n') && ctx == YE_BLOCK && literal_ok(s)) {
		emit_literal(out, s, indent);
		return;
	}
	if (plain_ok(s, ctx) && !looks_typed(s)) {
		sb_adds(out, s);
		return;
	}
	emit_double(out, s);
}

static void emit_flow(struct sb *out, const struct ynode *n)
{
	size_t i;

	switch (n->type) {
	case YT_SCALAR:
		yemit_scalar(out, n->str, YE_FLOW, 0, n->style != YT_PLAIN);
		break;
	case YT_SEQ:
		sb_addc(out, '[');
		for (i = 0; i < n->n; i++) {
			if (i)
				sb_adds(out, ", ");
			emit_flow(out, n->items[i]);
		}
		sb_addc(out, ']');
		break;
	case YT_MAP:
		sb_addc(out, '{');
		for (i = 0; i < n->n; i++) {
			if (i)
				sb_adds(out, ", ");
			yemit_scalar(out, n->pairs[i].key->str, YE_FLOW, 0, 1);
			sb_adds(out, ": ");
			emit_flow(out, n->pairs[i].val);
		}
		sb_addc(out, '}');
		break;
	}
}

static void emit_block_map(struct sb *out, const struct ynode *n, int indent,
	int first_inline);

static void emit_seq_item(struct sb *out, const struct ynode *it, int indent)
{
	sb_addf(out, "%*s- ", indent, "");
	if (it->type == YT_MAP && !it->flow && it->n) {
		emit_block_map(out, it, indent + 2, 1);
	} else if (it->type == YT_SEQ && !it->flow && it->n) {
		/* A nested block list is written in flow style: rare enough
		 * in unknown keys that a one-line form is clearer. */
		emit_flow(out, it);
		sb_addc(out, '\n');
	} else if (it->type == YT_SCALAR) {
		yemit_scalar(out, it->str, YE_BLOCK, indent, it->style != YT_PLAIN);
		sb_addc(out, '\n');
	} else {
		emit_flow(out, it);
		sb_addc(out, '\n');
	}
}

static void emit_block_map(struct sb *out, const struct ynode *n, int indent,
	int first_inline)
{
	size_t i;

	for (i = 0; i < n->n; i++) {
		if (!(first_inline && i == 0))
			sb_addf(out, "%*s", indent, "");
		yemit_scalar(out, n->pairs[i].key->str, YE_BLOCK, indent, 1);
		sb_addc(out, ':');
		yemit_node(out, n->pairs[i].val, indent);
	}
}

void yemit_node(struct sb *out, const struct ynode *n, int indent)
{
	size_t i;

	if (n->type == YT_SCALAR) {
		if (ynode_is_null(n) && !*n->str) {
			sb_addc(out, '\n');
			return;
		}
		sb_addc(out, ' ');
		yemit_scalar(out, n->str, YE_BLOCK, indent, n->style != YT_PLAIN);
		sb_addc(out, '\n');
		return;
	}
	if (n->flow || !n->n) {
		sb_addc(out, ' ');
		emit_flow(out, n);
		sb_addc(out, '\n');
		return;
	}
	sb_addc(out, '\n');
	if (n->type == YT_MAP) {
		emit_block_map(out, n, indent + 2, 0);
		return;
	}
	for (i = 0; i < n->n; i++)
		emit_seq_item(out, n->items[i], indent + 2);
}

int ynode_vdiag(struct diag *d, const char *file, const struct ynode *n,
	const char *fmt, va_list ap)
{
	struct sb msg = SB_INIT;

	sb_vaddf(&msg, fmt, ap);
	diag_at(d, ERR_INVALID, file, n ? n->line : 0, n ? n->col : 0,
		"%s", msg.buf);
	sb_release(&msg);
	return ERR_INVALID;
}
