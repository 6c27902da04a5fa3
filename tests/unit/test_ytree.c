/*
 * test_ytree.c - YAML trees: positions, everything the parser refuses
 * (aliases, tags, duplicate keys, deep nesting, bad UTF-8, control
 * characters), and the canonical scalar emitter, whose every output must
 * read back as the string it was given.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "../../src/ytree-int.h"

#define FILE_NAME "t.yaml"

static void dump(const struct diag *d)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		print_message("  %s\n", d->msg[i]);
}

static struct ynode *parse_ok(const char *yaml)
{
	struct diag d = DIAG_INIT;
	struct ynode *root = NULL;
	int ret = ytree_parse(&root, yaml, strlen(yaml), FILE_NAME, &d);

	if (ret)
		dump(&d);
	assert_int_equal(ret, 0);
	assert_int_equal(d.n, 0);
	assert_non_null(root);
	diag_release(&d);
	return root;
}

/*
 * Parse len bytes that must be refused: the first message names
 * t.yaml:POS (e.g. "2:7") and contains want.
 */
static void refused_len(const char *yaml, size_t len, const char *pos,
	const char *want)
{
	struct diag d = DIAG_INIT;
	struct ynode *root = NULL;
	char prefix[64];
	int ret, ok;

	ret = ytree_parse(&root, yaml, len, FILE_NAME, &d);
	snprintf(prefix, sizeof(prefix), "%s:%s: ", FILE_NAME, pos);
	ok = ret == ERR_INVALID && root == NULL && d.n >= 1 &&
		!strncmp(d.msg[0], prefix, strlen(prefix)) &&
		strstr(d.msg[0], want);
	if (!ok) {
		print_message("input: %.60s\nwant:  %s%s\nret %d, got:\n",
			yaml, prefix, want, ret);
		dump(&d);
	}
	ynode_free(root);
	diag_release(&d);
	assert_true(ok);
}

static void refused(const char *yaml, const char *pos, const char *want)
{
	refused_len(yaml, strlen(yaml), pos, want);
}

/* Same shape and text, ignoring positions and styles. */
static int tree_equal(const struct ynode *a, const struct ynode *b)
{
	size_t i;

	if (a->type != b->type || a->n != b->n)
		return 0;
	if (a->type == YT_SCALAR)
		return a->len == b->len && !memcmp(a->str, b->str, a->len);
	for (i = 0; i < a->n; i++) {
		if (a->type == YT_SEQ && !tree_equal(a->items[i], b->items[i]))
			return 0;
		if (a->type == YT_MAP &&
		    (!tree_equal(a->pairs[i].key, b->pairs[i].key) ||
		     !tree_equal(a->pairs[i].val, b->pairs[i].val)))
			return 0;
	}
	return 1;
}

static void assert_at(const struct ynode *n, int line, int col)
{
	assert_non_null(n);
	assert_int_equal(n->line, line);
	assert_int_equal(n->col, col);
}

/*
 * Parsing.
 */

static void test_ytree__parses_mappings_lists_and_scalars_with_positions(
	void **state)
{
	static const char yaml[] =
		"id: 2026-000123\n"
		"complainant:\n"
		"  name: 李某\n"
		"  phone: \"13800000000\"\n"
		"list:\n"
		"  - plain\n"
		"  - 'single'\n"
		"flow: [1, {k: 小区}]\n"
		"text: |\n"
		"  line one\n"
		"  line two\n"
		"empty:\n"
		"last: end\n";
	struct ynode *root = NULL, *who, *list, *flow;

	(void)state;
	root = parse_ok(yaml);
	assert_int_equal(root->type, YT_MAP);
	assert_int_equal(root->n, 7);
	assert_at(root, 1, 1);
	/* keys in document order, with their own positions */
	assert_string_equal(root->pairs[0].key->str, "id");
	assert_string_equal(root->pairs[6].key->str, "last");
	assert_at(root->pairs[6].key, 13, 1);
	assert_string_equal(ynode_get(root, "id")->str, "2026-000123");
	assert_at(ynode_get(root, "id"), 1, 5);

	who = ynode_get(root, "complainant");
	assert_int_equal(who->type, YT_MAP);
	assert_false(who->flow);
	assert_at(who->pairs[1].key, 4, 3);
	/* columns count characters, not bytes */
	assert_string_equal(ynode_get(who, "name")->str, "李某");
	assert_at(ynode_get(who, "name"), 3, 9);
	assert_int_equal(ynode_get(who, "name")->len, strlen("李某"));
	assert_int_equal(ynode_get(who, "name")->style, YT_PLAIN);
	assert_string_equal(ynode_get(who, "phone")->str, "13800000000");
	assert_int_equal(ynode_get(who, "phone")->style, YT_QUOTED);
	assert_at(ynode_get(who, "phone"), 4, 10);

	list = ynode_get(root, "list");
	assert_int_equal(list->type, YT_SEQ);
	assert_int_equal(list->n, 2);
	assert_false(list->flow);
	assert_string_equal(list->items[0]->str, "plain");
	assert_at(list->items[0], 6, 5);
	assert_string_equal(list->items[1]->str, "single");
	assert_int_equal(list->items[1]->style, YT_QUOTED);
	assert_at(list->items[1], 7, 5);

	flow = ynode_get(root, "flow");
	assert_int_equal(flow->type, YT_SEQ);
	assert_true(flow->flow);
	assert_at(flow, 8, 7);
	assert_string_equal(flow->items[0]->str, "1");
	assert_int_equal(flow->items[1]->type, YT_MAP);
	assert_true(flow->items[1]->flow);
	assert_string_equal(ynode_get(flow->items[1], "k")->str, "小区");
	assert_at(ynode_get(flow->items[1], "k"), 8, 15);

	assert_string_equal(ynode_get(root, "text")->str,
		"line one\nline two\n");
	assert_int_equal(ynode_get(root, "text")->style, YT_BLOCK);
	assert_at(ynode_get(root, "text"), 9, 7);
	assert_true(ynode_is_null(ynode_get(root, "empty")));
	assert_null(ynode_get(root, "missing"));
	assert_null(ynode_get(ynode_get(root, "id"), "id"));
	ynode_free(root);
}

static void test_ytree__null_and_kind_helpers(void **state)
{
	struct ynode *root = NULL;

	(void)state;
	root = parse_ok("a:\nb: ~\nc: null\nd: \"null\"\ne: ''\nf: x\n"
		"g: [x]\nh: {x: y}\n");
	assert_true(ynode_is_null(ynode_get(root, "a")));
	assert_true(ynode_is_null(ynode_get(root, "b")));
	assert_true(ynode_is_null(ynode_get(root, "c")));
	/* quoted text is text, even when it reads "null" or is empty */
	assert_false(ynode_is_null(ynode_get(root, "d")));
	assert_false(ynode_is_null(ynode_get(root, "e")));
	assert_false(ynode_is_null(ynode_get(root, "f")));
	assert_false(ynode_is_null(ynode_get(root, "g")));
	assert_string_equal(ynode_kind(ynode_get(root, "f")), "text");
	assert_string_equal(ynode_kind(ynode_get(root, "g")), "a list");
	assert_string_equal(ynode_kind(ynode_get(root, "h")), "a mapping");
	ynode_free(root);
}

static void test_ytree__dup_is_deep(void **state)
{
	struct ynode *root = NULL, *copy = NULL, *again = NULL;

	(void)state;
	root = parse_ok("a: [1, {b: \"2\"}]\nc:\n  d: |\n    x\n");
	copy = ynode_dup(root);
	again = parse_ok("a: [1, {b: \"2\"}]\nc:\n  d: |\n    x\n");
	ynode_free(root);	/* the copy must not share anything */
	assert_true(tree_equal(copy, again));
	assert_int_equal(ynode_get(ynode_get(copy, "c"), "d")->style,
		YT_BLOCK);
	assert_at(ynode_get(ynode_get(copy, "c"), "d"), 3, 6);
	assert_null(ynode_dup(NULL));
	ynode_free(copy);
	ynode_free(again);
	ynode_free(NULL);
}

static void test_ytree__refuses_anchors_and_aliases(void **state)
{
	(void)state;
	refused("a: &x [1, 2]\nb: *x\n", "1:4",
		"anchors and aliases are not allowed");
	refused("a: x\nb: *x\n", "2:4", "anchors and aliases are not allowed");
	refused("a: &x scalar\n", "1:4", "anchors and aliases");
	refused("base: &b {k: v}\nother:\n  <<: *b\n", "1:7",
		"anchors and aliases");
	refused("- &a x\n", "1:3", "anchors and aliases");
}

static void test_ytree__billion_laughs_fails_fast(void **state)
{
	static const char bomb[] =
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
		"lol: *i\n";
	clock_t start = clock();

	(void)state;
	refused(bomb, "1:4", "anchors and aliases are not allowed");
	/* a billion expansions would take minutes and gigabytes */
	assert_true(clock() - start < CLOCKS_PER_SEC / 2);
}

static void test_ytree__refuses_tags(void **state)
{
	(void)state;
	refused("a: !!str 1\n", "1:4", "tags are not allowed");
	refused("a: !custom x\n", "1:4", "tags are not allowed ('!custom')");
	refused("a: !!map {b: c}\n", "1:4", "tags are not allowed");
	refused("a: !!seq [b]\n", "1:4", "tags are not allowed");
	refused("a: !!binary aGVsbG8=\n", "1:4", "tags are not allowed");
	refused("%TAG ! tag:example.org,2026:\n---\na: !x 1\n", "1:1",
		"directives are not allowed");
	refused("%YAML 1.1\n---\na: 1\n", "1:1", "directives are not allowed");
}

static void test_ytree__refuses_duplicate_keys_naming_the_first(void **state)
{
	(void)state;
	refused("a: 1\nb: 2\na: 3\n", "3:1",
		"duplicate key 'a' (first at line 1)");
	refused("top:\n  x: 1\n  y:\n    z: 1\n  x: 2\n", "5:3",
		"duplicate key 'x' (first at line 2)");
	refused("- {k: 1, j: 2, k: 3}\n", "1:16",
		"duplicate key 'k' (first at line 1)");
	refused("{\"a\": 1, \"a\": 2}", "1:10", "duplicate key 'a'");
	/* keys compare as text: a quoted and a plain spelling collide */
	refused("\"a\": 1\na: 2\n", "2:1", "duplicate key 'a' (first at line 1)");
}

static void test_ytree__refuses_keys_that_are_not_text(void **state)
{
	(void)state;
	refused("? [a, b]\n: 1\n", "1:3", "a key must be plain text");
	refused("{[a]: 1}\n", "1:2", "a key must be plain text");
	refused("ok: 1\n? {a: b}\n: 2\n", "2:3", "a key must be plain text");
}

/* n nested flow lists around one scalar: "[[[x]]]" for n = 3. */
static char *nested_lists(int n)
{
	char *s = xmalloc((size_t)n * 2 + 2);
	int i;

	for (i = 0; i < n; i++)
		s[i] = '[';
	s[n] = 'x';
	for (i = 0; i < n; i++)
		s[n + 1 + i] = ']';
	s[2 * n + 1] = '\0';
	return s;
}

static void test_ytree__refuses_nesting_deeper_than_the_limit(void **state)
{
	struct ynode *root = NULL;
	struct sb deep = SB_INIT;
	char *ok = nested_lists(YT_MAX_DEPTH);
	char *bad = nested_lists(YT_MAX_DEPTH + 1);
	char pos[32];
	int i;

	(void)state;
	root = parse_ok(ok);
	ynode_free(root);
	snprintf(pos, sizeof(pos), "1:%d", YT_MAX_DEPTH + 2);
	refused(bad, pos, "nesting deeper than 32 levels");
	/* far deeper than the limit (each level would cost stack) */
	free(bad);
	bad = nested_lists(100000);
	refused(bad, "1:34", "nesting deeper than");
	/* block mappings count too, and the message names the line */
	for (i = 0; i < 40; i++)
		sb_addf(&deep, "%*sk%d:\n", i * 2, "", i);
	refused(deep.buf, "33:65", "nesting deeper than");
	sb_release(&deep);
	free(ok);
	free(bad);
}

static void test_ytree__refuses_more_values_than_the_limit(void **state)
{
	struct sb big = SB_INIT;
	struct ynode *root = NULL;
	size_t i;

	(void)state;
	sb_addc(&big, '[');
	for (i = 0; i < YT_MAX_NODES - 1; i++)
		sb_adds(&big, i ? ",0" : "0");
	sb_adds(&big, "]\n");
	root = parse_ok(big.buf);	/* the list and its items: exactly max */
	assert_int_equal(root->n, YT_MAX_NODES - 1);
	ynode_free(root);
	sb_rtrim(&big);
	big.buf[big.len - 1] = ',';
	sb_adds(&big, "0]\n");
	refused(big.buf, "1:400000", "more than 200000 values");
	sb_release(&big);
}

static void test_ytree__refuses_invalid_utf8_naming_line_and_column(
	void **state)
{
	(void)state;
	/* overlong encoding of NUL */
	refused("name: 李某\nbad: 李\xc0\x80\n", "2:7",
		"invalid UTF-8 (byte 0xc0)");
	/* a continuation byte with nothing before it */
	refused("a: x\xe6\x9d\x8e\x80y\n", "1:6", "invalid UTF-8 (byte 0x80)");
	/* UTF-16 surrogate U+D800 encoded in UTF-8 */
	refused("ok: 1\ns: \xed\xa0\x80\n", "2:4", "invalid UTF-8 (byte 0xed)");
	/* beyond U+10FFFF */
	refused("s: \xf4\x90\x80\x80\n", "1:4", "invalid UTF-8 (byte 0xf4)");
	/* a sequence cut short by the end of the input */
	refused("s: x\xe6\x9d", "1:5", "invalid UTF-8 (byte 0xe6)");
	/* Latin-1 text is not UTF-8 */
	refused("city: M\xfcnchen\n", "1:8", "invalid UTF-8 (byte 0xfc)");
}

static void test_ytree__refuses_control_characters(void **state)
{
	struct ynode *root = NULL;

	(void)state;
	/* escapes decode to characters the stream check never saw */
	refused("a: \"x\\x1by\"\n", "1:4",
		"value contains a control character (U+001B)");
	refused("a: \"\\e[31mred\"\n", "1:4", "control character (U+001B)");
	refused("a: \"invoice\\u202eexe.txt\"\n", "1:4",
		"control character (U+202E)");
	refused("a: \"\\u2066x\"\n", "1:4", "control character (U+2066)");
	refused("a: \"x\\x7f\"\n", "1:4", "control character (U+007F)");
	refused("a: \"x\\x85\"\n", "1:4", "control character (U+0085)");
	refused("a: \"x\\u0000y\"\n", "1:4", "NUL character");
	refused("a: \"x\\0y\"\n", "1:4", "NUL character");
	refused("a: ok\nb: [1, \"\\x01\"]\n", "2:8", "control character");
	refused("\"\\x1b\": key\n", "1:1", "control character (U+001B)");
	/* raw bytes are caught while reading, with their position */
	refused("a: ok\nb: x\x07y\n", "2:5", "control characters are not allowed");
	refused_len("a: x\0y\n", 7, "1:5", "control characters are not allowed");
	/* tab and line feed are ordinary text */
	root = parse_ok("a: \"x\\ty\\nz\"\n");
	assert_string_equal(ynode_get(root, "a")->str, "x\ty\nz");
	ynode_free(root);
}

static void test_ytree__empty_input_is_an_error(void **state)
{
	struct diag d = DIAG_INIT;
	struct ynode **docs = NULL;
	size_t n = 99;

	(void)state;
	refused("", "1:1", "the file is empty");
	refused("# only a comment\n", "1:1", "the file is empty");
	refused("\n\n", "1:1", "the file is empty");
	/* an empty stream is simply no documents */
	assert_int_equal(ytree_parse_stream(&docs, &n, "", 0, FILE_NAME, &d), 0);
	assert_int_equal(n, 0);
	assert_int_equal(d.n, 0);
	free(docs);
	diag_release(&d);
}

static void test_ytree__one_document_for_parse_many_for_stream(void **state)
{
	static const char two[] = "a: 1\n---\nb: [2]\n";
	struct diag d = DIAG_INIT;
	struct ynode **docs = NULL;
	size_t n = 0, i;

	(void)state;
	refused(two, "3:1", "more than one YAML document");
	refused("---\na: 1\n---\na: 2\n---\na: 3\n", "4:1",
		"more than one YAML document");
	assert_int_equal(ytree_parse_stream(&docs, &n, two, strlen(two),
		FILE_NAME, &d), 0);
	assert_int_equal(d.n, 0);
	assert_int_equal(n, 2);
	assert_string_equal(ynode_get(docs[0], "a")->str, "1");
	assert_at(docs[1], 3, 1);
	assert_string_equal(ynode_get(docs[1], "b")->items[0]->str, "2");
	for (i = 0; i < n; i++)
		ynode_free(docs[i]);
	free(docs);
	/* an error in the second document names its line */
	n = 0;
	docs = NULL;
	assert_int_equal(ytree_parse_stream(&docs, &n, "a: 1\n---\nb: *x\n",
		15, FILE_NAME, &d), ERR_INVALID);
	assert_null(docs);
	assert_int_equal(n, 0);
	assert_int_equal(d.n, 1);
	assert_non_null(strstr(d.msg[0], "t.yaml:3:4: "));
	diag_release(&d);
}

static void test_ytree__parses_json(void **state)
{
	struct ynode *root = NULL, *c;

	(void)state;
	root = parse_ok("{\"a\":\"b\",\"c\":[1,2]}");
	assert_int_equal(root->type, YT_MAP);
	assert_true(root->flow);
	assert_int_equal(root->n, 2);
	assert_string_equal(ynode_get(root, "a")->str, "b");
	assert_int_equal(ynode_get(root, "a")->style, YT_QUOTED);
	c = ynode_get(root, "c");
	assert_int_equal(c->type, YT_SEQ);
	assert_int_equal(c->n, 2);
	assert_string_equal(c->items[0]->str, "1");
	assert_int_equal(c->items[1]->style, YT_PLAIN);
	assert_at(c->items[1], 1, 17);
	ynode_free(root);
	root = parse_ok("[\n  {\"id\": \"x\", \"n\": null, \"t\": true},\n"
		"  \"\\u674e\\u67d0\"\n]\n");
	assert_true(ynode_is_null(ynode_get(root->items[0], "n")));
	assert_string_equal(root->items[1]->str, "李某");
	assert_at(root->items[1], 3, 3);
	ynode_free(root);
}

/* The header promises JSON values one after another in a stream. */
static void test_ytree__stream_reads_json_values_one_after_another(
	void **state)
{
	static const char lines[] = "{\"a\": 1}\n{\"b\": 2}\n";
	struct diag d = DIAG_INIT;
	struct ynode **docs = NULL;
	size_t n = 0, i;
	int ret;

	(void)state;
	ret = ytree_parse_stream(&docs, &n, lines, strlen(lines), FILE_NAME,
		&d);
	if (ret)
		dump(&d);
	for (i = 0; i < n; i++)
		ynode_free(docs[i]);
	free(docs);
	diag_release(&d);
	assert_int_equal(ret, 0);
	assert_int_equal(n, 2);
}

/*
 * Emitting.
 */

static char *emit(const char *s, enum yemit_ctx ctx, int indent,
	int is_string)
{
	struct sb out = SB_INIT;

	yemit_scalar(&out, s, ctx, indent, is_string);
	return sb_detach(&out, NULL);
}

struct qcase {
	const char *in;
	const char *block;	/* expected in block context */
	const char *flow;	/* expected inside [..] */
};

static void test_ytree__emit_scalar_quotes_only_where_yaml_needs_it(
	void **state)
{
	static const struct qcase table[] = {
		{ "hello", "hello", "hello" },
		{ "zhang.wei", "zhang.wei", "zhang.wei" },
		{ "小区电梯长期故障无人维修", "小区电梯长期故障无人维修",
		  "小区电梯长期故障无人维修" },
		{ "物业已更换电梯控制板，12月9日恢复运行。",
		  "物业已更换电梯控制板，12月9日恢复运行。",
		  "物业已更换电梯控制板，12月9日恢复运行。" },
		{ "2026-000123", "2026-000123", "2026-000123" },
		{ "HZ-2026-000123", "HZ-2026-000123", "HZ-2026-000123" },
		{ "property/elevator", "property/elevator",
		  "property/elevator" },
		{ "13800000000", "\"13800000000\"", "\"13800000000\"" },
		{ "2", "\"2\"", "\"2\"" },
		{ "true", "\"true\"", "\"true\"" },
		{ "no", "\"no\"", "\"no\"" },
		{ "Yes", "\"Yes\"", "\"Yes\"" },
		{ "null", "\"null\"", "\"null\"" },
		{ "~", "\"~\"", "\"~\"" },
		{ "1.5", "\"1.5\"", "\"1.5\"" },
		{ "0x1f", "\"0x1f\"", "\"0x1f\"" },
		{ "1e3", "\"1e3\"", "\"1e3\"" },
		{ ".inf", "\".inf\"", "\".inf\"" },
		{ "2026-11-20", "\"2026-11-20\"", "\"2026-11-20\"" },
		{ "12:30", "\"12:30\"", "\"12:30\"" },
		{ "-x", "\"-x\"", "\"-x\"" },
		{ "- item", "\"- item\"", "\"- item\"" },
		{ "a: b", "\"a: b\"", "\"a: b\"" },
		{ "a:", "\"a:\"", "\"a:\"" },
		{ "a #b", "\"a #b\"", "\"a #b\"" },
		{ "#tag", "\"#tag\"", "\"#tag\"" },
		{ "&ref", "\"&ref\"", "\"&ref\"" },
		{ "*ref", "\"*ref\"", "\"*ref\"" },
		{ "!bang", "\"!bang\"", "\"!bang\"" },
		{ "'q'", "\"'q'\"", "\"'q'\"" },
		{ "@home", "\"@home\"", "\"@home\"" },
		{ "---", "\"---\"", "\"---\"" },
		{ " lead", "\" lead\"", "\" lead\"" },
		{ "trail ", "\"trail \"", "\"trail \"" },
		{ "", "\"\"", "\"\"" },
		{ "tab\there", "\"tab\\there\"", "\"tab\\there\"" },
		{ "\"quoted\"", "\"\\\"quoted\\\"\"", "\"\\\"quoted\\\"\"" },
		{ "a\\b", "a\\b", "a\\b" },
		{ "O'Brien", "O'Brien", "O'Brien" },
		{ "a:b", "a:b", "a:b" },
		{ "a#b", "a#b", "a#b" },
		{ "a, b", "a, b", "\"a, b\"" },
		{ "x]", "x]", "\"x]\"" },
		{ "a{b}", "a{b}", "\"a{b}\"" },
		{ "[x]", "\"[x]\"", "\"[x]\"" },
		{ "{y}", "\"{y}\"", "\"{y}\"" },
		{ "2026-11-28T09:14:00+08:00", "\"2026-11-28T09:14:00+08:00\"",
		  "\"2026-11-28T09:14:00+08:00\"" },
		{ "5f70bf18a0", "5f70bf18a0", "5f70bf18a0" },
		{ "9-17", "9-17", "9-17" },
		{ "two\nlines", "|-\n  two\n  lines", "\"two\\nlines\"" },
	};
	size_t i;
	char *b = NULL, *f = NULL;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		b = emit(table[i].in, YE_BLOCK, 0, 1);
		f = emit(table[i].in, YE_FLOW, 0, 1);
		if (strcmp(b, table[i].block) || strcmp(f, table[i].flow))
			print_message("[%s]: block <%s> want <%s>, flow <%s> "
				"want <%s>\n", table[i].in, b, table[i].block,
				f, table[i].flow);
		assert_string_equal(b, table[i].block);
		assert_string_equal(f, table[i].flow);
		free(b);
		free(f);
	}
}

static void test_ytree__emit_scalar_plain_when_not_a_string(void **state)
{
	static const char *const typed[] = {
		"2026-11-28T09:14:00+08:00", "2026-11-20", "true", "false",
		"12", "1.5"
	};
	char *s = NULL;
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(typed); i++) {
		s = emit(typed[i], YE_BLOCK, 0, 0);
		assert_string_equal(s, typed[i]);
		free(s);
		s = emit(typed[i], YE_FLOW, 0, 0);
		assert_string_equal(s, typed[i]);
		free(s);
	}
	/* not being a string never makes unsafe text plain */
	s = emit("a: b", YE_BLOCK, 0, 0);
	assert_string_equal(s, "\"a: b\"");
	free(s);
	s = emit("", YE_BLOCK, 0, 0);
	assert_string_equal(s, "\"\"");
	free(s);
}

static void test_ytree__emit_scalar_writes_literal_blocks(void **state)
{
	static const struct {
		const char *in;
		int indent;
		const char *want;
	} table[] = {
		{ "a\nb", 0, "|-\n  a\n  b" },
		{ "a\nb\n", 0, "|\n  a\n  b" },
		{ "a\nb\n\n", 0, "|+\n  a\n  b\n" },
		{ "a\n\nb\n", 0, "|\n  a\n\n  b" },
		{ "第一段。\n\n第二段。\n", 0, "|\n  第一段。\n\n  第二段。" },
		{ "a\n  indented\nb", 0, "|-\n  a\n    indented\n  b" },
		{ "a\nb\n", 2, "|\n    a\n    b" },
		{ "key: value\n- item\n", 2, "|\n    key: value\n    - item" },
		/* a first line that starts with a blank cannot be a plain
		 * `|` block (it would need an indentation indicator) */
		{ " a\nb\n", 0, "\" a\\nb\\n\"" },
		{ "\nb\n", 0, "\"\\nb\\n\"" },
	};
	size_t i;
	char *s = NULL;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		s = emit(table[i].in, YE_BLOCK, table[i].indent, 1);
		if (strcmp(s, table[i].want))
			print_message("emitted <%s>, want <%s>\n", s,
				table[i].want);
		assert_string_equal(s, table[i].want);
		free(s);
	}
}

/* Emit s in ctx, embed it in a document, read it back; 1 if unchanged. */
static int reads_back(const char *s, enum yemit_ctx ctx, int indent,
	int in_map)
{
	struct sb doc = SB_INIT;
	struct diag d = DIAG_INIT;
	struct ynode *root = NULL, *v = NULL, *end = NULL;
	char *e = emit(s, ctx, indent, 1);
	const char *pad = indent ? "  " : "";
	int ok = 0;

	if (indent)
		sb_adds(&doc, "p:\n");
	if (ctx == YE_BLOCK)
		sb_addf(&doc, "%sk: %s\n%sz: end\n", pad, e, pad);
	else if (in_map)
		sb_addf(&doc, "%sk: {v: %s, z: end}\n", pad, e);
	else
		sb_addf(&doc, "%sk: [%s, end]\n", pad, e);
	if (ytree_parse(&root, doc.buf, doc.len, FILE_NAME, &d))
		goto out;
	v = ynode_get(indent ? ynode_get(root, "p") : root, "k");
	if (!v)
		goto out;
	if (ctx == YE_BLOCK) {
		end = ynode_get(indent ? ynode_get(root, "p") : root, "z");
	} else if (in_map) {
		end = ynode_get(v, "z");
		v = ynode_get(v, "v");
	} else if (v->type == YT_SEQ && v->n == 2) {
		end = v->items[1];
		v = v->items[0];
	}
	ok = v && end && v->type == YT_SCALAR && v->len == strlen(s) &&
		!strcmp(v->str, s) && end->type == YT_SCALAR &&
		!strcmp(end->str, "end") &&
		(*s || v->style != YT_PLAIN || !ynode_is_null(v));
out:
	if (!ok) {
		print_message("[%s] emitted as <%s> does not read back from:\n"
			"%s", s, e, doc.buf);
		dump(&d);
	}
	ynode_free(root);
	diag_release(&d);
	sb_release(&doc);
	free(e);
	return ok;
}

static void test_ytree__emitted_scalars_read_back_unchanged(void **state)
{
	static const char *const tricky[] = {
		"hello", "李某", "小区电梯长期故障无人维修", "2026-000123",
		"HZ-2026-000123", "13800000000", "+8613800000000", "007",
		"true", "False", "yes", "NO", "on", "y", "null", "Null", "~",
		"1.5", "-1", "+1", ".5", "1e3", "1_000", "0x1f", "0o17",
		"12:30:00", ".inf", "-.inf", ".NaN", "2026-11-20",
		"2026-11-28T09:14:00+08:00", "5f70bf18a086007016e948b04aed3b82"
		"103a36bea41755b6cddfaf10ace3c6ef", "30d", "15wd", "8h",
		"-", "--", "---", "...", "- x", "-x", "?", "? x", ":", ":x",
		"x:", "a: b", "a:b", "a :b", "a #b", "a#b", "#", "# x", "&a",
		"*a", "!a", "%a", "@a", "`a", "|", "|-", ">", "'", "\"", "''",
		"\"\"", "a'b", "a\"b", "\\", "a\\nb", "=", "<<", "[", "]", "{",
		"}", ",", "a,b", "a, b", "[a, b]", "{a: b}", "x]", "a{b}", " ",
		"  ", " a", "a ", "\t", "a\tb", "", "\n", "\n\n", "a\n", "a\nb",
		"a\nb\n", "a\nb\n\n", "a\nb\n\n\n", "a\n\nb", "a\n\n\nb\n",
		"\na", " a\nb", "\ta\nb", "a\n b", "a\n\tb", "a \nb", "a\n ",
		"a\n  \nb", "a\n- b\n", "key: v\nk2: v2", "---\nx", "...\nx",
		"x\n---\ny", "#c\nx", "|\nx", "第一段。\n\n第二段。\n",
		"é", "\xc2\xa0x", "x\xc2\xa0", "a\xe2\x80\x8b" "b",
		"a\xef\xbb\xbf" "b", "😀 emoji", "ｆｕｌｌ：ｗｉｄｔｈ",
		"中文：冒号", "http://example.org/a?b=c#d", "C:\\path\\x",
		"line1\nline2\n  indented\nline4", "x\\", "a\\\"b",
	};
	size_t i, bad = 0;

	(void)state;
	assert_true(ARRAY_SIZE(tricky) >= 40);
	for (i = 0; i < ARRAY_SIZE(tricky); i++) {
		bad += !reads_back(tricky[i], YE_BLOCK, 0, 0);
		bad += !reads_back(tricky[i], YE_BLOCK, 2, 0);
		bad += !reads_back(tricky[i], YE_FLOW, 0, 0);
		bad += !reads_back(tricky[i], YE_FLOW, 2, 1);
	}
	assert_int_equal(bad, 0);
}

/*
 * U+2028 and U+2029 pass the control-character check, but YAML readers
 * take them as line breaks: written plain they split or vanish.
 */
static void test_ytree__emitted_line_separators_read_back(void **state)
{
	static const char *const seps[] = {
		"a\xe2\x80\xa8" "b", "a\xe2\x80\xa9" "b", "x\xe2\x80\xa8",
		"\xe2\x80\xa8",
	};
	size_t i, bad = 0;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(seps); i++) {
		bad += !reads_back(seps[i], YE_BLOCK, 0, 0);
		bad += !reads_back(seps[i], YE_FLOW, 0, 0);
	}
	assert_int_equal(bad, 0);
}

/*
 * No YAML reader takes a hex digest or a duration such as "30d" for a
 * number, so the canonical form (DESIGN section 3: the sha256 of the
 * example is plain) leaves them unquoted.
 */
static void test_ytree__emit_scalar_leaves_hex_words_plain(void **state)
{
	static const char *const words[] = {
		"5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef",
		"30d", "5d", "2026abc",
	};
	size_t i, bad = 0;
	char *s = NULL;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(words); i++) {
		s = emit(words[i], YE_BLOCK, 0, 1);
		if (strcmp(s, words[i])) {
			print_message("<%s> emitted as <%s>\n", words[i], s);
			bad++;
		}
		free(s);
	}
	assert_int_equal(bad, 0);
}

static void test_ytree__emit_node_keeps_unknown_structures(void **state)
{
	static const char yaml[] =
		"x:\n"
		"  plain: word\n"
		"  quoted: \"2\"\n"
		"  null_value:\n"
		"  tilde: ~\n"
		"  text: |\n"
		"    one\n"
		"    two\n"
		"  flow: [1, {a: b}, \"c, d\"]\n"
		"  empty_list: []\n"
		"  empty_map: {}\n"
		"  block_list:\n"
		"    - a\n"
		"    - {b: c}\n"
		"    - k: v\n"
		"      k2: [x]\n"
		"      k3:\n"
		"        deep: |-\n"
		"          l1\n"
		"          l2\n"
		"    - - nested\n"
		"      - list\n"
		"    - |\n"
		"      in a list\n"
		"  \"key: odd\": 1\n";
	struct ynode *root = NULL, *again = NULL;
	struct sb out = SB_INIT;
	struct diag d = DIAG_INIT;

	(void)state;
	root = parse_ok(yaml);
	sb_adds(&out, "x:");
	yemit_node(&out, ynode_get(root, "x"), 0);
	assert_int_equal(ytree_parse(&again, out.buf, out.len, FILE_NAME, &d),
		0);
	if (!tree_equal(root, again))
		print_message("emitted:\n%s", out.buf);
	assert_true(tree_equal(root, again));
	/* quoted stays quoted, null stays null */
	assert_int_equal(ynode_get(ynode_get(again, "x"), "quoted")->style,
		YT_QUOTED);
	assert_true(ynode_is_null(ynode_get(ynode_get(again, "x"),
		"null_value")));
	assert_true(ynode_is_null(ynode_get(ynode_get(again, "x"), "tilde")));
	ynode_free(root);
	ynode_free(again);
	sb_release(&out);
	diag_release(&d);
}

/*
 * The fast reader (yfast.c): docket's own form read without libyaml, to
 * the tree libyaml gives; every other form, and every mistake, left to
 * libyaml.
 */

/* libyaml's reading of yaml: the one document, or NULL and its message. */
static struct ynode *libyaml_tree(const char *yaml, size_t len,
	struct diag *d)
{
	struct ynode **docs = NULL, *one = NULL;
	size_t n = 0, i;

	if (!ytree_parse_stream(&docs, &n, yaml, len, FILE_NAME, d) && n == 1)
		one = docs[0];
	else
		for (i = 0; i < n; i++)
			ynode_free(docs[i]);
	free(docs);
	return one;
}

/* yfast reads yaml, to the very tree libyaml reads. */
static struct ynode *fast_as_libyaml(const char *yaml)
{
	struct diag d = DIAG_INIT;
	struct ynode *fast = NULL, *slow;

	if (yfast_parse(&fast, yaml, strlen(yaml), NULL))
		print_message("yfast left this to libyaml:\n%s", yaml);
	assert_non_null(fast);
	slow = libyaml_tree(yaml, strlen(yaml), &d);
	if (!slow)
		dump(&d);
	assert_non_null(slow);
	assert_true(ynode_same(fast, slow));
	ynode_free(slow);
	diag_release(&d);
	return fast;
}

static void test_ytree__yfast_reads_what_docket_writes_as_libyaml_does(
	void **state)
{
	static const char yaml[] =
		"id: 2026-000123\n"
		"subject: 电梯故障[紧急]，见 http://example.org/a#b\n"
		"complainant:\n"
		"  name: 李某\n"
		"  phone: \"13800000000\"\n"
		"  address: |-\n"
		"    某市某区\n"
		"    某路1号\n"
		"  extra:\n"
		"description: |\n"
		"  第一行\n"
		"    缩进的一行\n"
		"\n"
		"  空行之后\n"
		"\n"
		"request: |+\n"
		"  留下末尾的空行\n"
		"\n"
		"quoted: \"引号\\\"与\\\\，\\x41\\u4e2d\\U0001F600\\L\\_\\t\\n\"\n"
		"related: [2026-000100, \"2026\"]\n"
		"attachments:\n"
		"  - path: attachments/2026-000123/照片.jpg\n"
		"    sha256: 00ff\n"
		"events:\n"
		"  - {at: 2026-10-01T09:00:00+08:00, by: 王某, action: note, "
		"text: 已电话联系：明日上门, list: [a, [b], {c: d}], e: {}}\n"
		"  - 文字\n"
		"  - |\n"
		"    块\n"
		"tail: []\n";
	struct ynode *root, *ev, *n;

	(void)state;
	root = fast_as_libyaml(yaml);
	assert_string_equal(ynode_get(root, "description")->str,
		"第一行\n  缩进的一行\n\n空行之后\n");
	assert_string_equal(ynode_get(root, "request")->str,
		"留下末尾的空行\n\n");
	assert_string_equal(ynode_get(ynode_get(root, "complainant"),
		"address")->str, "某市某区\n某路1号");
	assert_true(ynode_is_null(ynode_get(ynode_get(root, "complainant"),
		"extra")));
	/* columns count characters, as libyaml's do */
	ev = ynode_get(root, "events")->items[0];
	n = ynode_get(ev, "text");
	assert_at(n, 25, 65);
	assert_string_equal(n->str, "已电话联系：明日上门");
	assert_at(ynode_get(ev, "list"), 25, 83);
	assert_at(ynode_get(ynode_get(root, "complainant"), "extra"), 9, 9);
	ynode_free(root);
}

/* Forms docket does not write, and mistakes: yfast leaves each alone,
 * and ytree_parse gives what libyaml gives, tree or message. */
static void test_ytree__yfast_leaves_other_forms_to_libyaml(void **state)
{
	static const char *const other[] = {
		"# comment\nid: x\n",
		"id: x\n\nsubject: y\n",
		"id: x # comment\n",
		"id: x\nsubject:\ty\n",
		"id: x\r\nsubject: y\r\n",
		"id: x",
		"id: x\nmap:\n    deep: four spaces\n",
		"id: x\nlist:\n- indentless\n",
		"id: x \n",
		"id: x\nsubject: two\n  lines\n",
		"id: &a x\nre: *a\n",
		"id: !!str x\n",
		"id: x\nid: y\n",
		"id: x\nctl: \"\\x01\"\n",
		"id: x\nnel: \"\\N\"\n",
		"id: \"\\0\"\n",
		"my key: x\n",
		"id: a: b\n",
		"id: 'single'\n",
		"id: |2\n   x\n",
		"id: |\n  x\n   \n  y\n",
		"id: [a,b]\n",
		"id: {a: 1, a: 2}\n",
		"id: [a, b\n",
		"id: \"unterminated\n",
		"id: \"a\\\n  b\"\n",
		"---\nid: x\n",
		"\xef\xbb\xbfid: x\n",
		"id: x\xe2\x80\xa8y\n",
		"id: -1\n",
		"id: x\n events: y\n",
		"{id: x}\n",
		"id: x\nsubject:\n",
	};
	struct diag fd = DIAG_INIT, sd = DIAG_INIT;
	struct sb big = SB_INIT;
	struct ynode *fast, *slow;
	size_t i, len;
	int fret;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(other); i++) {
		len = strlen(other[i]);
		fast = NULL;
		if (!yfast_parse(&fast, other[i], len, NULL) && i + 1 < ARRAY_SIZE(other))
			print_message("yfast read: %s", other[i]);
		/* the last is docket's form (an empty value at the end) */
		assert_true(i + 1 == ARRAY_SIZE(other) ? fast != NULL :
			fast == NULL);
		ynode_free(fast);
		fast = NULL;
		fret = ytree_parse(&fast, other[i], len, FILE_NAME, &fd);
		slow = libyaml_tree(other[i], len, &sd);
		assert_int_equal(fret == 0, slow != NULL);
		if (slow)
			assert_true(ynode_same(fast, slow));
		else
			assert_string_equal(fd.msg[0], sd.msg[0]);
		ynode_free(fast);
		ynode_free(slow);
		diag_release(&fd);
		diag_release(&sd);
	}
	/* a mapping larger than a case's: libyaml looks up its keys */
	for (i = 0; i < 100; i++)
		sb_addf(&big, "k%zu: v\n", i);
	fast = NULL;
	assert_int_not_equal(yfast_parse(&fast, big.buf, big.len, NULL), 0);
	fast = parse_ok(big.buf);
	assert_int_equal(fast->n, 100);
	ynode_free(fast);
	sb_release(&big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ytree__parses_mappings_lists_and_scalars_with_positions),
		cmocka_unit_test(test_ytree__null_and_kind_helpers),
		cmocka_unit_test(test_ytree__dup_is_deep),
		cmocka_unit_test(test_ytree__refuses_anchors_and_aliases),
		cmocka_unit_test(test_ytree__billion_laughs_fails_fast),
		cmocka_unit_test(test_ytree__refuses_tags),
		cmocka_unit_test(test_ytree__refuses_duplicate_keys_naming_the_first),
		cmocka_unit_test(test_ytree__refuses_keys_that_are_not_text),
		cmocka_unit_test(test_ytree__refuses_nesting_deeper_than_the_limit),
		cmocka_unit_test(test_ytree__refuses_more_values_than_the_limit),
		cmocka_unit_test(test_ytree__refuses_invalid_utf8_naming_line_and_column),
		cmocka_unit_test(test_ytree__refuses_control_characters),
		cmocka_unit_test(test_ytree__empty_input_is_an_error),
		cmocka_unit_test(test_ytree__one_document_for_parse_many_for_stream),
		cmocka_unit_test(test_ytree__parses_json),
		cmocka_unit_test(test_ytree__stream_reads_json_values_one_after_another),
		cmocka_unit_test(test_ytree__emit_scalar_quotes_only_where_yaml_needs_it),
		cmocka_unit_test(test_ytree__emit_scalar_plain_when_not_a_string),
		cmocka_unit_test(test_ytree__emit_scalar_writes_literal_blocks),
		cmocka_unit_test(test_ytree__emitted_scalars_read_back_unchanged),
		cmocka_unit_test(test_ytree__emitted_line_separators_read_back),
		cmocka_unit_test(test_ytree__emit_scalar_leaves_hex_words_plain),
		cmocka_unit_test(test_ytree__emit_node_keeps_unknown_structures),
		cmocka_unit_test(test_ytree__yfast_reads_what_docket_writes_as_libyaml_does),
		cmocka_unit_test(test_ytree__yfast_leaves_other_forms_to_libyaml),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
