/*
 * yfast.c - the one YAML form docket writes, read without libyaml.
 *
 * Every case file docket writes has the same shape (codec.c's
 * case_emit() over ytree.c's yemit_*): block mappings indented by two,
 * lists of events indented by two, flow lists and mappings on one line,
 * plain, double-quoted and `|` scalars.  Reading a store without its
 * cache spent two thirds of its time in libyaml's scanner and parser on
 * that shape.  This reader takes it in one pass and gives the tree
 * libyaml's parse gives: the same nodes, text, styles, lines and
 * columns (counted in characters, as libyaml counts them).
 *
 * It knows only that shape, and says so whenever it is not sure:
 * comments, blank lines, tabs, carriage returns, anchors, tags, quotes
 * it would have to fold, a plain scalar on two lines, an indentation
 * other than docket's, a key that needs quoting, a duplicate key, a
 * limit reached -- each returns YF_NOT, and ytree_parse() hands the file
 * to libyaml, which reads it whole and names what is wrong.  So it never
 * refuses a file, and never says anything libyaml would not.  The
 * fuzz_yfast target holds the two readers to the same tree.
 */
#include <stdint.h>
#include <string.h>
#include <unistr.h>

#include "util.h"
#include "ytree-int.h"

#define YF_NOT 1		/* not docket's form: libyaml reads it */
#define YF_MAX_DEPTH 16		/* docket nests four deep */
#define YF_MAX_KEY 128		/* libyaml's simple keys stop at 1024 */
#define YF_MAX_KEYS 64		/* in one mapping; a case has thirty-odd */

struct yf {
	const char *p;		/* where reading is */
	const char *end;	/* the input ends with '\n' before it */
	const char *bol;	/* the start of p's line */
	int line;		/* p's line, 1-based */
	const char *cpos;	/* a place on p's line whose column ... */
	int col;		/* ... is this: an event's line has eight */
	size_t nodes;
	struct arena *mem;
};

/*
 * The characters libyaml's reader takes as they are, less those this
 * reader leaves to it: YAML's other line breaks (U+0085, U+2028,
 * U+2029), the byte order mark, and every control ytree_text_bad()
 * refuses (tab and CR included).
 */
static int printable(unsigned cp)
{
	/* nor the bidirectional controls ytree refuses in any text: so
	 * no text read as it stands needs checking again */
	if ((cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069))
		return 0;
	if (cp >= 0xa0 && cp <= 0xd7ff)
		return 1;
	if (cp >= 0xe000 && cp <= 0xfffd)
		return cp != 0xfeff;
	return cp >= 0x10000 && cp <= 0x10ffff;
}

/* 1 if the eight bytes at s are all printable ASCII (0x20..0x7e),
 * tested at once: no high bit; each plus 0x60 reaches 0x80 (so is 0x20
 * or more); none plus 1 does (so none is 0x7f).  No byte carries into
 * the next, each being below 0x80. */
static int ascii8(const unsigned char *s)
{
	const uint64_t ones = 0x0101010101010101ull, high = ones * 0x80;
	uint64_t w;

	memcpy(&w, s, 8);
	return !(w & high) && ((w + ones * 0x60) & high) == high &&
		!((w + ones) & high);
}

/* 1 if buf (whose last line ends with '\n') holds only characters
 * printable() or printable ASCII takes. */
static int text_ok(const char *buf, size_t len)
{
	const unsigned char *s = (const unsigned char *)buf;
	size_t i = 0;
	unsigned cp;
	int k;

	while (i < len) {
		if (len - i >= 8 && ascii8(s + i)) {
			i += 8;
			continue;
		}
		if (s[i] == '\n') {
			i++;
			continue;
		}
		if ((k = utf8_plain_char(s + i, len - i))) {
			i += (size_t)k;
			continue;
		}
		if (s[i] < 0x80)
			return 0;
		k = utf8_decode(buf + i, len - i, &cp);
		if (!k || !printable(cp))
			return 0;
		i += (size_t)k;
	}
	return 1;
}

/* libyaml's column of at, on p's line: characters before it, plus one
 * (counted on from the last node's, as nodes come left to right). */
static int col_at(struct yf *y, const char *at)
{
	if (y->cpos < y->bol || y->cpos > at) {
		y->cpos = y->bol;
		y->col = 1;
	}
	y->col += (int)utf8_len(y->cpos, (size_t)(at - y->cpos));
	y->cpos = at;
	return y->col;
}

static struct ynode *node_at(struct yf *y, enum yt_type type, const char *at)
{
	struct ynode *n;

	if (++y->nodes > YT_MAX_NODES)
		return NULL;
	n = arena_calloc(y->mem, 1, sizeof(*n));
	n->type = type;
	n->line = y->line;
	n->col = col_at(y, at);
	return n;
}

/* A scalar starting at at, of str (already in the arena), len bytes;
 * NULL when ytree would refuse it (libyaml's reading says why).  Text
 * read as it stands passed text_ok(); decoded escapes are checked. */
static struct ynode *scalar_at(struct yf *y, const char *at, char *str,
	size_t len, enum yt_style style)
{
	struct ynode *n;

	if (len > YT_MAX_SCALAR || (style == YT_QUOTED &&
	    ytree_text_bad(str, len) != len))
		return NULL;
	if (!(n = node_at(y, YT_SCALAR, at)))
		return NULL;
	n->style = style;
	n->str = str;
	n->len = len;
	return n;
}

static void next_line(struct yf *y)
{
	y->p++;			/* over the '\n' */
	y->line++;
	y->bol = y->p;
}

/* Spaces at the start of the line y->p starts. */
static int indent_of(const struct yf *y)
{
	const char *s = y->p;

	while (*s == ' ')
		s++;		/* stops at the last '\n' at the latest */
	return (int)(s - y->p);
}

/* A letter, digit or '_': what keys docket writes plain are made of. */
static int key_char(unsigned c)
{
	return (c | 0x20) - 'a' < 26 || c - '0' < 10 || c == '_';
}

/*
 * What a byte means to a plain scalar, one look-up instead of a strchr()
 * per byte: CH_NOT_FIRST cannot start one here (an indicator, a blank,
 * a line's end); CH_FLOW ends one in a flow collection; CH_AFTER_COLON
 * after ':' makes that ':' an indicator.  (NUL never gets here:
 * text_ok() refuses it.)
 */
enum { CH_NOT_FIRST = 1, CH_FLOW = 2, CH_AFTER_COLON = 4 };

#define NF CH_NOT_FIRST
#define FL (CH_NOT_FIRST | CH_FLOW | CH_AFTER_COLON)
#define BL (CH_NOT_FIRST | CH_AFTER_COLON)

static const unsigned char ch[256] = {
	['-'] = NF, [':'] = NF, ['#'] = NF, ['&'] = NF, ['*'] = NF,
	['!'] = NF, ['|'] = NF, ['>'] = NF, ['\''] = NF, ['"'] = NF,
	['%'] = NF, ['@'] = NF, ['`'] = NF,
	['?'] = BL, [' '] = BL, ['\n'] = BL,
	[','] = FL, ['['] = FL, [']'] = FL, ['{'] = FL, ['}'] = FL,
};

#undef NF
#undef FL
#undef BL

/* Length of a key docket writes plain (letters, digits, '_') at s, when
 * ':' and a blank or the line's end follow it; 0 otherwise. */
static size_t key_len(const char *s)
{
	const char *e = s;

	while (key_char((unsigned char)*e))
		e++;
	if (e == s || e - s > YF_MAX_KEY || *e != ':' ||
	    (e[1] != ' ' && e[1] != '\n'))
		return 0;
	return (size_t)(e - s);
}

/* The key at y->p, y->p then after its ':'. */
static struct ynode *key_node(struct yf *y)
{
	size_t len = key_len(y->p);
	struct ynode *k;

	if (!len)
		return NULL;
	k = scalar_at(y, y->p, arena_strndup(y->mem, y->p, len), len,
		YT_PLAIN);
	y->p += len + 1;
	return k;
}

/* A mapping being read: its room, and a bit for each key's hash. */
struct keys {
	size_t alloc;
	uint64_t seen;
};

static int add_pair(struct yf *y, struct ynode *map, struct keys *k,
	struct ynode *key, struct ynode *val)
{
	const unsigned char *s = (const unsigned char *)key->str;
	uint64_t bit = 1ull << ((key->len * 7 + s[0] * 3u +
		s[key->len - 1]) & 63);
	size_t i;

	/* a duplicate is an error: libyaml's reading names both lines;
	 * looked for key by key in the thirty-odd keys of a case (only
	 * when the key's bit was seen before), while a larger mapping (a
	 * hostile file's 100,000 keys) goes to libyaml's reading, which
	 * looks them up in a table */
	if (map->n >= YF_MAX_KEYS)
		return YF_NOT;
	for (i = 0; (k->seen & bit) && i < map->n; i++)
		if (map->pairs[i].key->len == key->len &&
		    !memcmp(map->pairs[i].key->str, key->str, key->len))
			return YF_NOT;
	k->seen |= bit;
	map->pairs = arena_grow(y->mem, map->pairs, &k->alloc, map->n,
		sizeof(*map->pairs));
	map->pairs[map->n].key = key;
	map->pairs[map->n++].val = val;
	return 0;
}

static void add_item(struct yf *y, struct ynode *seq, size_t *alloc,
	struct ynode *item)
{
	seq->items = arena_grow(y->mem, seq->items, alloc, seq->n,
		sizeof(*seq->items));
	seq->items[seq->n++] = item;
}

/* What ends or spoils a plain scalar: bit 1 in a block, bit 2 in flow. */
static const unsigned char plain_stop[256] = {
	['\n'] = 3, [':'] = 3, [' '] = 3,
	[','] = 2, ['['] = 2, [']'] = 2, ['{'] = 2, ['}'] = 2,
};

/*
 * A plain scalar on one line, up to its end (block) or up to the next
 * ',', ']' or '}' (flow).  Whatever could make YAML read it otherwise
 * is left to libyaml: an indicator first, ": " or " #" inside, a ':'
 * before a flow indicator, blanks at its end.
 */
static int plain(struct yf *y, struct ynode **out, int flow)
{
	const unsigned char *s = (const unsigned char *)y->p, *e = s;
	unsigned char stop = flow ? 2 : 1;
	size_t len;

	if (ch[*s] & CH_NOT_FIRST)
		return YF_NOT;
	for (;; e++) {
		while (!(plain_stop[*e] & stop))
			e++;
		if (*e == '\n' || (flow && (ch[*e] & CH_FLOW)))
			break;
		if (*e == ':' && (ch[e[1]] & CH_AFTER_COLON))
			return YF_NOT;
		if (*e == ' ' && e[1] == '#')
			return YF_NOT;
	}
	if ((flow && (*e == '[' || *e == '{')) || e[-1] == ' ')
		return YF_NOT;
	len = (size_t)(e - s);
	*out = scalar_at(y, y->p, arena_strndup(y->mem, y->p, len), len,
		YT_PLAIN);
	y->p = (const char *)e;
	return *out ? 0 : YF_NOT;
}

static int hex_value(const char *s, int digits, unsigned *v)
{
	int i;

	*v = 0;
	for (i = 0; i < digits; i++) {
		unsigned c = (unsigned char)s[i];

		if (c >= '0' && c <= '9')
			c -= '0';
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			c = (c | 0x20) - 'a' + 10;
		else
			return -1;
		*v = *v << 4 | c;
	}
	return 0;
}

/* One escape after a '\\' at s (in a line, so s[0] is there): the
 * character it stands for, *used the bytes after the '\\'; -1 for an
 * escape left to libyaml. */
static long escape(const char *s, int *used)
{
	static const char simple[] = "\\\\\"\"//  n\nt\tr\r";
	const char *m;
	unsigned v;
	int digits;

	*used = 1;
	for (m = simple; *m; m += 2)
		if (*m == *s)
			return (unsigned char)m[1];
	switch (*s) {
	case 'N': return 0x85;
	case '_': return 0xa0;
	case 'L': return 0x2028;
	case 'P': return 0x2029;
	case 'x': digits = 2; break;
	case 'u': digits = 4; break;
	case 'U': digits = 8; break;
	default: return -1;
	}
	/* the digits stop at the line's '\n' when they are short */
	if (memchr(s + 1, '\n', (size_t)digits) ||
	    hex_value(s + 1, digits, &v) || (v >= 0xd800 && v <= 0xdfff) ||
	    v > 0x10ffff)
		return -1;
	*used = 1 + digits;
	return (long)v;
}

/* A double-quoted scalar ending on its line, escapes decoded. */
static int dquoted(struct yf *y, struct ynode **out)
{
	const char *s = y->p + 1, *at = y->p;
	char *str, *o;
	size_t room;
	long cp;
	int used, k;

	while (*s != '"') {
		if (*s == '\n')
			return YF_NOT;	/* folded over lines */
		s += 1 + (*s == '\\' && s[1] != '\n');
	}
	/* an escape of two bytes gives four at most (\L: three) */
	room = (size_t)(s - at) * 2 + 1;
	str = o = arena_calloc(y->mem, room, 1);
	for (s = at + 1; *s != '"'; s++) {
		if (*s != '\\') {
			*o++ = *s;
			continue;
		}
		if ((cp = escape(s + 1, &used)) < 0)
			return YF_NOT;
		if ((k = u8_uctomb((uint8_t *)o, (ucs4_t)cp, 4)) < 1)
			return YF_NOT;
		o += k;
		s += used;
	}
	*out = scalar_at(y, at, str, (size_t)(o - str), YT_QUOTED);
	y->p = s + 1;
	return *out ? 0 : YF_NOT;
}

static int flow_node(struct yf *y, struct ynode **out, int depth);

/* ", " before the next entry of a flow collection, or its closer. */
static int flow_next(struct yf *y, char closer, int *done)
{
	if (*y->p == closer) {
		y->p++;
		*done = 1;
		return 0;
	}
	if (y->p[0] != ',' || y->p[1] != ' ')
		return YF_NOT;
	y->p += 2;
	*done = 0;
	return 0;
}

/* The '[' or '{' at y->p: its collection's node, y->p after it, and
 * after its closer too when it closes at once (*done). */
static struct ynode *flow_open(struct yf *y, enum yt_type type, char closer,
	int *done)
{
	struct ynode *n = node_at(y, type, y->p);

	if (!n)
		return NULL;
	n->flow = 1;
	y->p++;
	*done = *y->p == closer;
	y->p += *done;
	return n;
}

static int flow_seq(struct yf *y, struct ynode **out, int depth)
{
	struct ynode *n, *item;
	size_t alloc = 0;
	int done;

	if (!(n = flow_open(y, YT_SEQ, ']', &done)))
		return YF_NOT;
	while (!done) {
		if (flow_node(y, &item, depth + 1))
			return YF_NOT;
		add_item(y, n, &alloc, item);
		if (flow_next(y, ']', &done))
			return YF_NOT;
	}
	*out = n;
	return 0;
}

static int flow_map(struct yf *y, struct ynode **out, int depth)
{
	struct ynode *n, *key, *val;
	struct keys keys = { 0, 0 };
	int done;

	if (!(n = flow_open(y, YT_MAP, '}', &done)))
		return YF_NOT;
	while (!done) {
		if (!(key = key_node(y)) || *y->p != ' ')
			return YF_NOT;
		y->p++;
		if (flow_node(y, &val, depth + 1) ||
		    add_pair(y, n, &keys, key, val))
			return YF_NOT;
		if (flow_next(y, '}', &done))
			return YF_NOT;
	}
	*out = n;
	return 0;
}

static int flow_node(struct yf *y, struct ynode **out, int depth)
{
	if (depth > YF_MAX_DEPTH)
		return YF_NOT;
	switch (*y->p) {
	case '[':
		return flow_seq(y, out, depth);
	case '{':
		return flow_map(y, out, depth);
	case '"':
		return dquoted(y, out);
	default:
		return plain(y, out, 1);
	}
}

/*
 * The lines of a `|` block whose first line is at y->p, indented by
 * want, up to the last line of text: their text into str (NULL: only
 * measured), where the block ends, how many lines it takes and how many
 * of them, at its end, are empty.  Returns the bytes of text, or -1 for
 * a line of blanks alone (libyaml's to read).
 */
static long literal_lines(const struct yf *y, int want, char *str,
	const char **stop, int *lines, long *trail)
{
	const char *s = y->p, *from, *nl;
	long len = 0, empty = 0;
	int sp;

	for (*lines = 0; s < y->end; s = nl + 1, (*lines)++) {
		for (sp = 0; s[sp] == ' '; sp++)
			;
		nl = s + sp;
		if (*nl == '\n' && sp)
			return -1;
		if (*nl == '\n') {
			empty++;
			continue;
		}
		if (sp < want)
			break;
		from = s + want;
		nl = memchr(from, '\n', (size_t)(y->end - from));
		if (str) {
			memset(str + len, '\n', (size_t)empty);
			memcpy(str + len + empty, from, (size_t)(nl + 1 - from));
		}
		len += empty + (nl + 1 - from);
		empty = 0;
	}
	*stop = s;
	*trail = empty;
	return len;
}

/*
 * A `|` block scalar (clip, `|-` strip or `|+` keep) whose text starts
 * on the next line, more indented than its block (indent): the first
 * line sets the indentation, as libyaml finds it.  y->p at the '|'; the
 * block read, y->p at the start of the line after it.
 */
static int literal(struct yf *y, struct ynode **out, int indent)
{
	const char *at = y->p, *stop;
	char chomp = y->p[1], *str;
	long len, trail;
	int want, lines;

	if (chomp == '-' || chomp == '+')
		y->p++;
	if (y->p[1] != '\n')
		return YF_NOT;
	y->p++;
	if (!(*out = node_at(y, YT_SCALAR, at)))
		return YF_NOT;
	next_line(y);
	if (y->p == y->end)
		return YF_NOT;
	want = indent_of(y);
	if (want <= indent || y->p[want] == '\n')
		return YF_NOT;
	if ((len = literal_lines(y, want, NULL, &stop, &lines, &trail)) < 0)
		return YF_NOT;
	str = arena_calloc(y->mem, (size_t)(len + trail) + 1, 1);
	literal_lines(y, want, str, &stop, &lines, &trail);
	if (chomp == '+') {
		/* kept: the empty lines at its end are text too */
		memset(str + len, '\n', (size_t)trail);
		len += trail;
	} else if (chomp == '-') {
		str[--len] = '\0';	/* stripped of its last '\n' */
	}
	if (len > YT_MAX_SCALAR)
		return YF_NOT;
	(*out)->style = YT_BLOCK;
	(*out)->str = str;
	(*out)->len = (size_t)len;
	y->p = y->bol = stop;
	y->line += lines;
	return 0;
}

/* A value on the rest of the line (after "key: " or "- "), in a block
 * at indent; y->p then at the start of the next line. */
static int block_value(struct yf *y, struct ynode **out, int indent,
	int depth)
{
	int ret;

	switch (*y->p) {
	case '|':
		return literal(y, out, indent);
	case '"':
		ret = dquoted(y, out);
		break;
	case '[':
	case '{':
		ret = flow_node(y, out, depth);
		break;
	default:
		ret = plain(y, out, 0);
	}
	if (ret || *y->p != '\n')
		return YF_NOT;
	next_line(y);
	return 0;
}

/* Where a block at indent goes on: 0 with y->p on the next entry's
 * first character, 1 when the block ends (y->p at the line's start),
 * YF_NOT (as -1) when the next line is indented otherwise. */
static int block_goes_on(struct yf *y, int indent, int seq)
{
	int sp;

	if (y->p == y->end)
		return 1;
	sp = indent_of(y);
	if (sp < indent)
		return 1;
	if (sp > indent || (seq && (y->p[sp] != '-' || y->p[sp + 1] != ' ')))
		return -1;
	y->p += sp;
	return 0;
}

static int block_seq(struct yf *y, struct ynode **out, int indent,
	int depth);
static int block_map(struct yf *y, struct ynode **out, int indent,
	int depth);

/*
 * What follows "key:" at the end of a line, in a block at indent: a
 * block two spaces further in, or nothing (an empty plain scalar, which
 * libyaml places just after the ':').  y->p at the '\n'.
 */
static int block_under(struct yf *y, struct ynode **out, int indent,
	int depth)
{
	struct ynode *none = node_at(y, YT_SCALAR, y->p);
	int sp;

	if (!none)
		return YF_NOT;
	none->str = arena_strndup(y->mem, "", 0);
	next_line(y);
	if (y->p == y->end || (sp = indent_of(y)) <= indent) {
		*out = none;
		return 0;
	}
	if (sp != indent + 2)
		return YF_NOT;
	y->p += sp;
	if (y->p[0] == '-' && y->p[1] == ' ')
		return block_seq(y, out, sp, depth);
	return block_map(y, out, sp, depth);
}

static int block_map(struct yf *y, struct ynode **out, int indent,
	int depth)
{
	struct ynode *n = node_at(y, YT_MAP, y->p), *key, *val;
	struct keys keys = { 0, 0 };
	int on = 0;

	if (!n || depth > YF_MAX_DEPTH)
		return YF_NOT;
	while (!on) {
		if (!(key = key_node(y)))
			return YF_NOT;
		if (*y->p == ' ') {
			y->p++;
			if (block_value(y, &val, indent, depth + 1))
				return YF_NOT;
		} else if (block_under(y, &val, indent, depth + 1)) {
			return YF_NOT;
		}
		if (add_pair(y, n, &keys, key, val) ||
		    (on = block_goes_on(y, indent, 0)) < 0)
			return YF_NOT;
	}
	*out = n;
	return 0;
}

/* A list of "- " entries at indent: flow collections and scalars, or
 * block mappings whose first key follows the "- ". */
static int block_seq(struct yf *y, struct ynode **out, int indent,
	int depth)
{
	struct ynode *n = node_at(y, YT_SEQ, y->p), *item;
	size_t alloc = 0;
	int on = 0;

	if (!n || depth > YF_MAX_DEPTH)
		return YF_NOT;
	while (!on) {
		y->p += 2;	/* "- " */
		if ((key_len(y->p) ? block_map(y, &item, indent + 2, depth + 1) :
		    block_value(y, &item, indent, depth + 1)))
			return YF_NOT;
		add_item(y, n, &alloc, item);
		if ((on = block_goes_on(y, indent, 1)) < 0)
			return YF_NOT;
	}
	*out = n;
	return 0;
}

int yfast_parse(struct ynode **out, const char *buf, size_t len,
	struct arena *mem)
{
	struct ynode *root = NULL;
	struct yf y;

	/* the cheap refusals first: docket.yaml opens with a comment,
	 * --from input with "---" or "{" */
	if (!len || buf[len - 1] != '\n' || !key_len(buf) ||
	    !text_ok(buf, len)) {
		arena_free(mem);
		return YF_NOT;
	}
	memset(&y, 0, sizeof(y));
	y.p = y.bol = y.cpos = buf;
	y.col = 1;
	y.end = buf + len;
	y.line = 1;
	y.mem = arena_reuse(mem, len * 4 + 1024);
	if (block_map(&y, &root, 0, 0) || y.p != y.end) {
		arena_free(y.mem);
		return YF_NOT;
	}
	root->mem = y.mem;
	*out = root;
	return 0;
}
