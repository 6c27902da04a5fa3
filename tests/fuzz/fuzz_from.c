/*
 * fuzz_from.c - libFuzzer target: the `docket file --from` reader.
 *
 * The input goes through ytree_parse_stream() (one document, or a stream
 * of them for bulk intake) and each document is walked as src/cmd/file.c
 * walks it (read_from and build_case are static there, so their checks
 * are repeated here: field names, text types, UTF-8, control characters,
 * limits, anonymous, count, dates, channel/category/priority against the
 * built-in configuration).  When every field passes, the case `file`
 * would write is built, emitted and parsed back: what `file` accepts the
 * codec must read, or a filed case could never be opened again.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "codec.h"
#include "config.h"
#include "ytree.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum fld {
	I_CHANNEL, I_RECEIVED_AT, I_NAME, I_PHONE, I_EMAIL, I_ADDRESS,
	I_ANONYMOUS, I_COUNT, I_RESPONDENT, I_SUBJECT, I_DESCRIPTION,
	I_REQUEST, I_LOCATION, I_OCCURRED, I_ATTACH, I_CATEGORY, I_PRIORITY,
	I__COUNT
};

/* As in file.c: name, byte limit, multi-line. */
static const struct {
	const char *name;
	size_t limit;
	int multiline;
} fields[I__COUNT] = {
	{ "channel", LIM_NAME, 0 },
	{ "received-at", 64, 0 },
	{ "name", LIM_NAME, 0 },
	{ "phone", 64, 0 },
	{ "email", LIM_NAME, 0 },
	{ "address", LIM_SUBJECT, 0 },
	{ "anonymous", 8, 0 },
	{ "count", 16, 0 },
	{ "respondent", LIM_NAME, 0 },
	{ "subject", LIM_SUBJECT, 0 },
	{ "description", LIM_TEXT, 1 },
	{ "request", LIM_TEXT, 1 },
	{ "location", LIM_SUBJECT, 0 },
	{ "occurred", 16, 0 },
	{ "attach", 4096, 0 },
	{ "category", LIM_NAME, 0 },
	{ "priority", LIM_NAME, 0 },
};

struct intake {
	const char *val[I__COUNT];	/* borrowed from the tree */
	int anonymous;
	long count;
	struct ts received_at;
	struct date occurred;
	int has_received_at, has_occurred;
	int bad;
};

static int field_index(const char *name)
{
	int f;

	for (f = 0; f < I__COUNT; f++)
		if (!strcmp(name, fields[f].name))
			return f;
	return -1;
}

/* One key and its value, as read_from() takes them. */
static void read_pair(struct intake *in, const struct ynode *k,
	const struct ynode *v)
{
	int f = field_index(k->str);
	size_t j;

	if (f < 0) {
		in->bad = 1;
		return;
	}
	if (f == I_ATTACH && v->type == YT_SEQ) {
		for (j = 0; j < v->n; j++)
			if (v->items[j]->type != YT_SCALAR)
				in->bad = 1;
		return;
	}
	if (v->type != YT_SCALAR) {
		in->bad = 1;
		return;
	}
	if (f == I_ANONYMOUS) {
		if (v->style == YT_PLAIN && !strcmp(v->str, "true"))
			in->anonymous = 1;
		else if (v->style != YT_PLAIN || strcmp(v->str, "false"))
			in->bad = 1;
		return;
	}
	if (!ynode_is_null(v))
		in->val[f] = v->str;
}

static int text_ok(const struct intake *in, int f)
{
	const char *s = in->val[f];
	size_t len;

	if (!s)
		return 1;
	len = strlen(s);
	return utf8_valid(s, len) &&
		!has_control(s, len, fields[f].multiline) &&
		len <= fields[f].limit;
}

static int phone_ok(const char *s)
{
	size_t digits = 0;

	for (; *s; s++) {
		if (*s >= '0' && *s <= '9')
			digits++;
		else if (!strchr(" +-()", *s))
			return 0;
	}
	return digits >= 3 && digits <= 20;
}

/* The value checks of build_case(); 0 when `file` would go on. */
static int check_values(struct intake *in, const struct config *cfg)
{
	const char **v = in->val;
	char *end = NULL;
	int f;

	for (f = 0; f < I__COUNT; f++)
		if (f != I_ATTACH && !text_ok(in, f))
			return -1;
	if (!v[I_CHANNEL] || !config_channel(cfg, v[I_CHANNEL]) ||
	    !v[I_SUBJECT] || !*v[I_SUBJECT])
		return -1;
	if (v[I_RECEIVED_AT]) {
		if (ts_parse(&in->received_at, v[I_RECEIVED_AT]))
			return -1;
		in->has_received_at = 1;
	}
	if (v[I_PHONE] && !phone_ok(v[I_PHONE]))
		return -1;
	if (v[I_EMAIL] && (!strchr(v[I_EMAIL], '@') ||
	    strchr(v[I_EMAIL], ' ')))
		return -1;
	in->count = 1;
	if (v[I_COUNT]) {
		errno = 0;
		in->count = strtol(v[I_COUNT], &end, 10);
		if (errno || *end || end == v[I_COUNT] || in->count < 1 ||
		    in->count > 100000)
			return -1;
	}
	if (v[I_OCCURRED]) {
		if (date_parse(&in->occurred, v[I_OCCURRED]))
			return -1;
		in->has_occurred = 1;
	}
	if ((v[I_CATEGORY] && !config_category(cfg, v[I_CATEGORY])) ||
	    (v[I_PRIORITY] && !config_priority(cfg, v[I_PRIORITY])))
		return -1;
	return 0;
}

static void set_text(const struct intake *in, int f, char **slot)
{
	if (in->val[f] && *in->val[f])
		set_str(slot, in->val[f]);
}

/* The case file_case() would save (without deadlines or attachments). */
static void build(struct dcase *c, const struct intake *in,
	const struct config *cfg)
{
	struct ts now = cal_zoned(&cfg->cal, 1795000000);

	set_str(&c->id, "2026-000001");
	c->received_at = in->has_received_at ? in->received_at : now;
	set_text(in, I_SUBJECT, &c->subject);
	set_text(in, I_CHANNEL, &c->channel);
	set_text(in, I_NAME, &c->who.name);
	set_text(in, I_PHONE, &c->who.phone);
	set_text(in, I_EMAIL, &c->who.email);
	set_text(in, I_ADDRESS, &c->who.address);
	set_text(in, I_RESPONDENT, &c->respondent);
	set_text(in, I_LOCATION, &c->location);
	set_text(in, I_DESCRIPTION, &c->description);
	set_text(in, I_REQUEST, &c->request);
	set_text(in, I_CATEGORY, &c->category);
	set_text(in, I_PRIORITY, &c->priority);
	if (!c->priority && cfg->default_priority)
		set_str(&c->priority, cfg->default_priority);
	c->occurred_on = in->occurred;
	c->has_occurred = in->has_occurred;
	c->who.anonymous = in->anonymous;
	c->who.count = in->count;
	c->kind = in->anonymous || (!c->who.phone && !c->who.email &&
		!c->who.address) ? KIND_REPORT : KIND_COMPLAINT;
	set_str(&c->received_by, "intake.fuzz");
	c->status = ST_RECEIVED;
	case_add_event(c, now, "intake.fuzz", "file");
}

/* What `file` would write must read back as the same case. */
static void file_and_reread(const struct intake *in,
	const struct config *cfg)
{
	struct sb first = SB_INIT, second = SB_INIT;
	struct diag d = DIAG_INIT;
	struct dcase c, again;
	size_t i;

	case_init(&c);
	build(&c, in, cfg);
	case_emit(&first, &c);
	if (case_parse(&again, first.buf, first.len, "filed.yaml", &d)) {
		fprintf(stderr, "fuzz_from: `file` would write a case the "
			"codec refuses\n--- case ---\n%s--- end ---\n",
			first.buf);
		for (i = 0; i < d.n; i++)
			fprintf(stderr, "%s\n", d.msg[i]);
		abort();
	}
	case_emit(&second, &again);
	if (first.len != second.len ||
	    memcmp(first.buf, second.buf, first.len)) {
		fprintf(stderr, "fuzz_from: the filed case reads back "
			"different\n--- written ---\n%s--- read back ---\n%s",
			first.buf, second.buf);
		abort();
	}
	case_release(&again);
	case_release(&c);
	diag_release(&d);
	sb_release(&second);
	sb_release(&first);
}

/* One document of the stream: walk it; file it when `file` would. */
static void one_document(const struct ynode *root, const struct config *cfg)
{
	struct intake in;
	size_t i;

	memset(&in, 0, sizeof(in));
	if (root->type != YT_MAP)
		return;
	for (i = 0; i < root->n; i++)
		read_pair(&in, root->pairs[i].key, root->pairs[i].val);
	if (!in.bad && !check_values(&in, cfg))
		file_and_reread(&in, cfg);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct diag d = DIAG_INIT;
	struct ynode **docs = NULL;
	struct config cfg;
	char *buf = NULL;
	size_t ndocs = 0, i;

	buf = xmalloc(size ? size : 1);
	if (size)
		memcpy(buf, data, size);
	config_init(&cfg);
	if (ytree_parse_stream(&docs, &ndocs, buf, size, "form.yaml", &d)) {
		if (!d.n)
			abort();	/* refused without a message */
		goto out;
	}
	for (i = 0; i < ndocs; i++)
		one_document(docs[i], &cfg);
out:
	for (i = 0; i < ndocs; i++)
		ynode_free(docs[i]);
	free(docs);
	config_release(&cfg);
	diag_release(&d);
	free(buf);
	return 0;
}
