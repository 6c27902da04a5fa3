/*
 * forms.c - the template engine of `docket print` and the values a
 * case gives its forms (include/forms.h says what a template may hold).
 *
 * The engine is a small recursive scanner, not a general template
 * language: offices edit these files by hand, so every placeholder is
 * checked (even in a part not printed) and every mistake is reported
 * at its line and column.
 */
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>
#include <string.h>

#include "forms.h"
#include "intl.h"
#include "labels.h"

/* ---- the engine ---- */

struct engine {
	const char *tpl;
	size_t len;
	const char *file;
	form_lookup_fn fn;
	void *data;
	struct diag *d;
	const char *copy;	/* the current name inside {{#copies}} */
	struct sb tmp;
};

/* Line and column (in characters, from 1) of byte offset off. */
static void position(const struct engine *e, size_t off, int *line,
	int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < e->len; i++) {
		unsigned char ch = (unsigned char)e->tpl[i];

		if (ch == '\n') {
			++*line;
			*col = 1;
		} else if ((ch & 0xc0) != 0x80) {
			++*col;
		}
	}
}

static int PRINTF(3, 4) engine_err(struct engine *e, size_t off,
	const char *fmt, ...)
{
	struct sb msg = SB_INIT;
	va_list ap;
	int line, col;

	va_start(ap, fmt);
	sb_vaddf(&msg, fmt, ap);
	va_end(ap);
	position(e, off, &line, &col);
	diag_at(e->d, ERR_INVALID, e->file, line, col, "%s", msg.buf);
	sb_release(&msg);
	return ERR_INVALID;
}

void html_escape(struct sb *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			sb_adds(out, "&amp;");
			break;
		case '<':
			sb_adds(out, "&lt;");
			break;
		case '>':
			sb_adds(out, "&gt;");
			break;
		case '"':
			sb_adds(out, "&quot;");
			break;
		case '\'':
			sb_adds(out, "&#39;");
			break;
		default:
			sb_addc(out, *s);
		}
	}
}

static int name_valid(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
		    *s == '_' || *s == '.'))
			return 0;
	return 1;
}

/* The value of field `name` at offset off into e->tmp (reset first). */
static int value(struct engine *e, const char *name, size_t off)
{
	sb_reset(&e->tmp);
	if (!strcmp(name, "copy")) {
		if (!e->copy)
			return engine_err(e, off, _("{{copy}} is only known "
				"inside {{#copies ...}}"));
		sb_adds(&e->tmp, e->copy);
		return 0;
	}
	if (!name_valid(name) || e->fn(&e->tmp, name, e->data))
		return engine_err(e, off, _("unknown field '%s' (see 'docket "
			"print --fields')"), name);
	return 0;
}

static int render(struct engine *e, size_t *pos, const char *end_tag,
	size_t open_at, int depth, int emit, struct sb *out);

/* {{#if NAME}}: the part up to {{/if}} only when NAME has a value. */
static int do_if(struct engine *e, const char *arg, size_t at, size_t *pos,
	int depth, int emit, struct sb *out)
{
	int cond;

	if (value(e, arg, at))
		return ERR_INVALID;
	cond = e->tmp.len > 0;
	return render(e, pos, "/if", at, depth + 1, emit && cond, out);
}

/* {{#copies A|B|C}}: the part once per name, {{copy}} naming it. */
static int do_copies(struct engine *e, char *arg, size_t at, size_t *pos,
	int depth, int emit, struct sb *out)
{
	const char *saved = e->copy;
	size_t start = *pos, p;
	char *name, *next;
	int ret;

	if (!*arg)
		return engine_err(e, at, _("{{#copies}} needs the names of "
			"the copies, as {{#copies 申请人|被申请人|存档}}"));
	/* check the part once, and find where it ends */
	e->copy = "";
	ret = render(e, pos, "/copies", at, depth + 1, 0, out);
	e->copy = saved;
	if (ret || !emit)
		return ret;
	for (name = arg; name; name = next) {
		next = strchr(name, '|');
		if (next)
			*next++ = '\0';
		e->copy = name;
		p = start;
		ret = render(e, &p, "/copies", at, depth + 1, 1, out);
		if (ret)
			break;
	}
	e->copy = saved;
	return ret;
}

/* {{tick FIELD=VALUE}}: ☑ when the field holds VALUE, else □. */
static int do_tick(struct engine *e, char *arg, size_t at, int emit,
	struct sb *out)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg || !eq[1])
		return engine_err(e, at, _("{{tick}} needs FIELD=VALUE, as "
			"{{tick channel=来电}}"));
	*eq = '\0';
	if (value(e, arg, at))
		return ERR_INVALID;
	if (emit)
		sb_adds(out, strcmp(e->tmp.buf, eq + 1) ? "\u25a1" :
			"\u2611");
	return 0;
}

static char *trimmed(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return xstrndup(s, n);
}

/* One placeholder whose text (between the braces) is `in`, at offset at. */
static int placeholder(struct engine *e, char *in, size_t at, size_t *pos,
	const char *end_tag, int depth, int emit, struct sb *out, int *ended)
{
	char *sp;

	*ended = 0;
	if (in[0] == '/') {
		if (end_tag && !strcmp(in, end_tag)) {
			*ended = 1;
			return 0;
		}
		return engine_err(e, at, _("{{%s}} closes nothing that is "
			"open here"), in);
	}
	if (in[0] == '#') {
		if (depth >= FORM_MAX_DEPTH)
			return engine_err(e, at, _("more than %d "
				"{{#...}} parts inside one another"),
				FORM_MAX_DEPTH);
		sp = strchr(in, ' ');
		if (sp)
			*sp++ = '\0';
		if (!strcmp(in, "#if") && sp)
			return do_if(e, sp, at, pos, depth, emit, out);
		if (!strcmp(in, "#copies"))
			return do_copies(e, sp ? sp : (char *)"", at, pos,
				depth, emit, out);
		return engine_err(e, at, _("unknown part '{{%s}}' (known: "
			"{{#if FIELD}}, {{#copies A|B}})"), in);
	}
	if (!strncmp(in, "tick ", 5))
		return do_tick(e, in + 5, at, emit, out);
	if (value(e, in, at))
		return ERR_INVALID;
	if (emit)
		html_escape(out, e->tmp.buf);
	return 0;
}

/*
 * Copy the template from *pos to out (when emit), filling placeholders,
 * until {{END_TAG}} (NULL: the end of the template); *pos ends after it.
 */
static int render(struct engine *e, size_t *pos, const char *end_tag,
	size_t open_at, int depth, int emit, struct sb *out)
{
	const char *s, *close;
	size_t at;
	char *in;
	int ret, ended;

	while (*pos < e->len) {
		s = memmem(e->tpl + *pos, e->len - *pos, "{{", 2);
		if (!s) {
			if (emit)
				sb_add(out, e->tpl + *pos, e->len - *pos);
			*pos = e->len;
			break;
		}
		at = (size_t)(s - e->tpl);
		if (emit)
			sb_add(out, e->tpl + *pos, at - *pos);
		close = memmem(s + 2, e->len - at - 2, "}}", 2);
		if (!close || memchr(s + 2, '\n', (size_t)(close - s - 2)))
			return engine_err(e, at, _("'{{' is not closed by "
				"'}}' on the same line"));
		in = trimmed(s + 2, (size_t)(close - s - 2));
		*pos = (size_t)(close - e->tpl) + 2;
		ret = placeholder(e, in, at, pos, end_tag, depth, emit, out,
			&ended);
		free(in);
		if (ret)
			return ret;
		if (ended)
			return 0;
	}
	if (end_tag)
		return engine_err(e, open_at, _("this part is not closed by "
			"{{%s}}"), end_tag);
	return 0;
}

int form_render(struct sb *out, const char *tpl, size_t len,
	const char *file, form_lookup_fn fn, void *data, struct diag *d)
{
	struct engine e = { tpl, len, file, fn, data, d, NULL, SB_INIT };
	size_t pos = 0;
	int ret;

	if (len > FORM_MAX_SIZE)
		return diag_at(d, ERR_INVALID, file, 0, 0, _("the template is "
			"%zu bytes; a form may have at most %u (is this file "
			"a form?)"), len, FORM_MAX_SIZE);
	if (!utf8_valid(tpl, len) || memchr(tpl, '\0', len))
		return diag_at(d, ERR_INVALID, file, 0, 0, _("the template is "
			"not UTF-8 text"));
	ret = render(&e, &pos, NULL, 0, 0, 1, out);
	sb_release(&e.tmp);
	return ret;
}

void form_title(struct sb *out, const char *tpl, size_t len)
{
	const char *s = memmem(tpl, len, "<!--", 4), *end, *stop;

	if (!s)
		return;
	s += 4;
	end = memmem(s, len - (size_t)(s - tpl), "-->", 3);
	if (!end)
		return;
	while (s < end && (*s == ' ' || *s == '\n' || *s == '\t'))
		s++;
	for (stop = s; stop < end && *stop != '\n' && *stop != ':' &&
	    strncmp(stop, "\xef\xbc\x9a", 3); stop++)
		;
	while (stop > s && (stop[-1] == ' ' || stop[-1] == '\t'))
		stop--;
	sb_add(out, s, (size_t)(stop - s));
}

int form_name_valid(const char *name)
{
	size_t n = strlen(name);

	return n && n <= 100 && name[0] != '.' && !strchr(name, '/') &&
		!strchr(name, '\\') && utf8_valid(name, n) &&
		!has_control(name, n, 0);
}

/* ---- plain text ---- */

struct text {
	struct sb *out;
	int pages;		/* class "page" elements seen */
	int cells;		/* cells in the current row */
	int space;		/* whitespace pending */
};

static int at_line_start(const struct sb *o)
{
	return !o->len || o->buf[o->len - 1] == '\n';
}

static void newline(struct text *t)
{
	t->space = 0;
	sb_rtrim(t->out);
	if (t->out->len)
		sb_addc(t->out, '\n');
}

static void put(struct text *t, const char *s, size_t n)
{
	if (t->space && !at_line_start(t->out))
		sb_addc(t->out, ' ');
	t->space = 0;
	sb_add(t->out, s, n);
}

/* An entity at s (after '&'); returns the bytes used, 0 if none. */
static size_t entity(struct text *t, const char *s, size_t n)
{
	static const struct {
		const char *name, *text;
	} named[] = {
		{ "amp;", "&" }, { "lt;", "<" }, { "gt;", ">" },
		{ "quot;", "\"" }, { "#39;", "'" }, { "apos;", "'" },
		{ "nbsp;", " " }
	};
	size_t i, k;
	char buf[8];
	unsigned long cp;
	char *end;

	for (i = 0; i < ARRAY_SIZE(named); i++) {
		k = strlen(named[i].name);
		if (n >= k && !memcmp(s, named[i].name, k)) {
			put(t, named[i].text, strlen(named[i].text));
			return k;
		}
	}
	if (n < 3 || s[0] != '#')
		return 0;
	cp = (s[1] == 'x' || s[1] == 'X') ? strtoul(s + 2, &end, 16) :
		strtoul(s + 1, &end, 10);
	if ((size_t)(end - s) >= n || *end != ';' || !cp || cp > 0x10ffff ||
	    (cp >= 0xd800 && cp <= 0xdfff) || cp < 0x20)
		return 0;
	if (cp < 0x80) {
		buf[0] = (char)cp;
		k = 1;
	} else if (cp < 0x800) {
		buf[0] = (char)(0xc0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3f));
		k = 2;
	} else if (cp < 0x10000) {
		buf[0] = (char)(0xe0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (cp & 0x3f));
		k = 3;
	} else {
		buf[0] = (char)(0xf0 | (cp >> 18));
		buf[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		buf[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		buf[3] = (char)(0x80 | (cp & 0x3f));
		k = 4;
	}
	put(t, buf, k);
	return (size_t)(end - s) + 1;
}

/* The tag's name, lowercased, into name (at most 15 bytes). */
static void tag_name(const char *s, size_t n, char name[16])
{
	size_t i = 0;

	if (n && *s == '/') {
		s++;
		n--;
	}
	while (i < 15 && i < n && ((s[i] >= 'a' && s[i] <= 'z') ||
	    (s[i] >= 'A' && s[i] <= 'Z') || (s[i] >= '0' && s[i] <= '9'))) {
		name[i] = (char)(s[i] | 0x20);
		i++;
	}
	name[i] = '\0';
}

/* 1 if the tag (its text between < and >) starts a new printed page. */
static int starts_page(const char *s, size_t n)
{
	const char *c = memmem(s, n, "class=\"", 7), *q, *p;

	if (memmem(s, n, "break-before: page", 18) ||
	    memmem(s, n, "break-before:page", 17))
		return 1;
	if (!c)
		return 0;
	c += 7;
	q = memchr(c, '"', n - (size_t)(c - s));
	if (!q)
		return 0;
	for (p = c; p + 4 <= q; p++)
		if (!memcmp(p, "page", 4) && (p == c || p[-1] == ' ') &&
		    (p + 4 == q || p[4] == ' '))
			return 1;
	return 0;
}

static int in_set(const char *name, const char *const *set)
{
	for (; *set; set++)
		if (!strcmp(name, *set))
			return 1;
	return 0;
}

/* One tag (text between < and >): lay out what it means. */
static void tag(struct text *t, const char *s, size_t n)
{
	static const char *const blocks[] = {
		"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "li",
		"table", "br", "section", "header", "footer", "ol", "ul",
		"hr", "caption", "article", "address", "blockquote", "dt",
		"dd", "dl", "figure", "figcaption", NULL
	};
	char name[16];
	int closing = n && *s == '/';

	tag_name(s, n, name);
	if (!closing && starts_page(s, n) && t->pages++) {
		newline(t);
		sb_adds(t->out, "\f\n");
	}
	if (!strcmp(name, "tr"))
		t->cells = 0;
	if (!closing && (!strcmp(name, "td") || !strcmp(name, "th"))) {
		if (t->cells++)
			sb_adds(t->out, "  ");
		t->space = 0;
		return;
	}
	if (in_set(name, blocks))
		newline(t);
}

/* Skip from s to the end of the element `name` (<style>, <head>...). */
static const char *skip_element(const char *s, const char *end,
	const char *name)
{
	char close[24];
	const char *p;
	size_t k;

	k = (size_t)snprintf(close, sizeof(close), "</%s", name);
	for (p = s; p + k <= end; p++)
		if (!strncasecmp(p, close, k)) {
			p = memchr(p, '>', (size_t)(end - p));
			return p ? p + 1 : end;
		}
	return end;
}

void form_to_text(struct sb *out, const char *html, size_t len)
{
	struct text t = { out, 0, 0, 0 };
	const char *s = html, *end = html + len, *gt;
	char name[16];
	size_t k;

	while (s < end) {
		if (!strncmp(s, "<!--", end - s < 4 ? (size_t)(end - s) : 4)) {
			gt = memmem(s, (size_t)(end - s), "-->", 3);
			s = gt ? gt + 3 : end;
			continue;
		}
		if (*s == '<') {
			gt = memchr(s, '>', (size_t)(end - s));
			if (!gt)
				break;
			tag_name(s + 1, (size_t)(gt - s - 1), name);
			if (s[1] != '/' && (!strcmp(name, "head") ||
			    !strcmp(name, "style") || !strcmp(name, "script") ||
			    !strcmp(name, "title"))) {
				s = skip_element(gt + 1, end, name);
				continue;
			}
			tag(&t, s + 1, (size_t)(gt - s - 1));
			s = gt + 1;
			continue;
		}
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			t.space = 1;
			s++;
			continue;
		}
		if (*s == '&' && (k = entity(&t, s + 1,
		    (size_t)(end - s - 1))) > 0) {
			s += k + 1;
			continue;
		}
		put(&t, s, 1);
		s++;
	}
	sb_rtrim(out);
	sb_addc(out, '\n');
}

/* ---- the values a case gives ---- */

void date_chinese(struct sb *out, struct date d)
{
	sb_addf(out, "%d年%d月%d日", d.y, d.m, d.d);
}

const struct form_field form_fields[] = {
	{ "office", N_("the office's name (organization in docket.yaml)") },
	{ "today", N_("the date the document bears") },
	{ "docno", N_("the document number, when issued (--issue)") },
	{ "actor", N_("the name of the staff member who prints it") },
	{ "id", N_("the case id") },
	{ "kind", N_("complaint or report") },
	{ "status", N_("the case's status") },
	{ "subject", N_("the subject") },
	{ "channel", N_("how the complaint arrived (label)") },
	{ "received", N_("the date it was received") },
	{ "received_by", N_("who received it") },
	{ "name", N_("the complainant's name") },
	{ "phone", N_("the complainant's telephone") },
	{ "email", N_("the complainant's email") },
	{ "address", N_("the complainant's address") },
	{ "count", N_("how many complainants (group complaints)") },
	{ "respondent", N_("the party complained about") },
	{ "location", N_("where it happened") },
	{ "occurred", N_("the date it happened") },
	{ "description", N_("what the complainant says") },
	{ "request", N_("what the complainant asks for") },
	{ "category", N_("the category (labels)") },
	{ "priority", N_("the priority (label)") },
	{ "department", N_("the handling department (label)") },
	{ "co_departments", N_("co-handling departments (labels)") },
	{ "assignee", N_("the handler's name") },
	{ "due_ack", N_("the acceptance deadline (date)") },
	{ "due_feedback", N_("the first-contact deadline (date)") },
	{ "due_resolve", N_("the resolve deadline (date)") },
	{ "due_visit", N_("the return-visit deadline (date)") },
	{ "due_decide", N_("the deadline to decide once the materials "
	  "came (date)") },
	{ "accepted", N_("the date it was accepted") },
	{ "reject_reason", N_("the reason for not accepting (label)") },
	{ "refer_to", N_("where a rejected complaint should go") },
	{ "info", N_("the materials asked for") },
	{ "info_due", N_("by when the materials are due (date)") },
	{ "assigned", N_("the date of the last assignment") },
	{ "assign_reason", N_("the reason given with the last assignment") },
	{ "extend_reason", N_("the reason for the last extension") },
	{ "extend_previous", N_("the resolve deadline before the extension") },
	{ "outcome", N_("the outcome (label)") },
	{ "summary", N_("the outcome in words") },
	{ "closed", N_("the date it was closed") },
	{ "satisfaction", N_("the satisfaction level (label)") },
	{ NULL, NULL }
};

/* The Chinese word of a fixed vocabulary's id: forms are Chinese. */
static const char *zh_word(const struct config *cfg, enum vocab v,
	const char *id)
{
	size_t i;

	for (i = 0; vocab_zh_words[i].v != VOC__COUNT; i++)
		if (vocab_zh_words[i].v == v && !strcmp(vocab_zh_words[i].id,
		    id))
			return vocab_zh_words[i].zh;
	return vocab_label(cfg, v, id);
}

/* The last event of the action (and decision, if given), or NULL. */
static const struct event *last_event(const struct dcase *c,
	const char *action, const char *decision)
{
	size_t i;
	const char *dv;

	for (i = c->nevents; i-- > 0;) {
		if (strcmp(c->events[i].action, action))
			continue;
		dv = event_get(&c->events[i], "decision");
		if (decision && (!dv || strcmp(dv, decision)))
			continue;
		return &c->events[i];
	}
	return NULL;
}

static void add_date(struct sb *out, const struct config *cfg, struct ts t)
{
	date_chinese(out, cal_local_date(&cfg->cal, t));
}

/* A time stored as text in an event (RFC 3339, or a date). */
static void add_date_text(struct sb *out, const struct config *cfg,
	const char *s)
{
	struct ts t;
	struct date d;

	if (!s)
		return;
	if (!ts_parse(&t, s))
		add_date(out, cfg, t);
	else if (!date_parse(&d, s))
		date_chinese(out, d);
	else
		sb_adds(out, s);
}

static void add_event_field(struct sb *out, const struct dcase *c,
	const char *action, const char *decision, const char *key)
{
	const struct event *e = last_event(c, action, decision);
	const char *v = e ? event_get(e, key) : NULL;

	if (v)
		sb_adds(out, v);
}

static void add_label(struct sb *out, const struct config *cfg,
	enum vocab v, const char *id)
{
	if (id)
		sb_adds(out, vocab_label(cfg, v, id));
}

/* Fields of the office and the document rather than the case. */
static int office_value(struct sb *out, const char *name,
	const struct form_data *fd)
{
	/* a blank form keeps the letterhead and leaves the rest to the pen */
	if (!fd->c && strcmp(name, "office"))
		return strcmp(name, "today") && strcmp(name, "docno") &&
			strcmp(name, "actor") ? ERR_NOTFOUND : 0;
	if (!strcmp(name, "office"))
		sb_adds(out, fd->cfg->organization ? fd->cfg->organization :
			"");
	else if (!strcmp(name, "today"))
		add_date(out, fd->cfg, fd->now);
	else if (!strcmp(name, "docno"))
		sb_adds(out, fd->docno ? fd->docno : "");
	else if (!strcmp(name, "actor"))
		add_label(out, fd->cfg, VOC_STAFF, fd->actor);
	else
		return ERR_NOTFOUND;
	return 0;
}

/* Fields read from the case's top-level state. */
static int state_value(struct sb *out, const char *name,
	const struct config *cfg, const struct dcase *c)
{
	static const char *const due_fields[DUE__COUNT] = {
		"due_ack", "due_feedback", "due_resolve", "due_visit",
		"due_decide"
	};
	const char *text = NULL;
	size_t i;
	int k;

	for (k = 0; k < DUE__COUNT; k++)
		if (!strcmp(name, due_fields[k])) {
			if (c->due.has & (1u << k))
				add_date(out, cfg, c->due.at[k]);
			return 0;
		}
	if (!strcmp(name, "id"))
		text = c->id;
	else if (!strcmp(name, "kind"))
		text = zh_word(cfg, VOC_KIND, case_kind_name(c->kind));
	else if (!strcmp(name, "status"))
		text = zh_word(cfg, VOC_STATUS, case_status_name(c->status));
	else if (!strcmp(name, "subject"))
		text = c->subject;
	else if (!strcmp(name, "channel"))
		add_label(out, cfg, VOC_CHANNEL, c->channel);
	else if (!strcmp(name, "received"))
		add_date(out, cfg, c->received_at);
	else if (!strcmp(name, "received_by"))
		add_label(out, cfg, VOC_STAFF, c->received_by);
	else if (!strcmp(name, "name"))
		text = c->who.anonymous ? "" : c->who.name;
	else if (!strcmp(name, "phone"))
		text = c->who.phone;
	else if (!strcmp(name, "email"))
		text = c->who.email;
	else if (!strcmp(name, "address"))
		text = c->who.address;
	else if (!strcmp(name, "count"))
		sb_addf(out, "%ld", c->who.count > 0 ? c->who.count : 1);
	else if (!strcmp(name, "respondent"))
		text = c->respondent;
	else if (!strcmp(name, "location"))
		text = c->location;
	else if (!strcmp(name, "occurred")) {
		if (c->has_occurred)
			date_chinese(out, c->occurred_on);
	} else if (!strcmp(name, "description"))
		text = c->description;
	else if (!strcmp(name, "request"))
		text = c->request;
	else if (!strcmp(name, "category"))
		add_label(out, cfg, VOC_CATEGORY, c->category);
	else if (!strcmp(name, "priority"))
		add_label(out, cfg, VOC_PRIORITY, c->priority);
	else if (!strcmp(name, "department"))
		add_label(out, cfg, VOC_DEPARTMENT, c->department);
	else if (!strcmp(name, "co_departments")) {
		for (i = 0; i < c->nco; i++) {
			if (i)
				sb_adds(out, "、");
			add_label(out, cfg, VOC_DEPARTMENT,
				c->co_departments[i]);
		}
	} else if (!strcmp(name, "assignee"))
		add_label(out, cfg, VOC_STAFF, c->assignee);
	else
		return ERR_NOTFOUND;
	if (text)
		sb_adds(out, text);
	return 0;
}

/* Fields read from the events and the closure. */
static int history_value(struct sb *out, const char *name,
	const struct config *cfg, const struct dcase *c)
{
	const struct event *e;
	struct sb id = SB_INIT;

	if (!strcmp(name, "accepted")) {
		if ((e = last_event(c, "triage", "accept")) != NULL)
			add_date(out, cfg, e->at);
	} else if (!strcmp(name, "reject_reason")) {
		add_event_field(&id, c, "triage", "reject", "reason");
		if (id.len)
			sb_adds(out, config_reject_reason(cfg, id.buf) ?
				vocab_label(cfg, VOC_REJECT_REASON, id.buf) :
				id.buf);
	} else if (!strcmp(name, "refer_to")) {
		add_event_field(out, c, "triage", "reject", "refer_to");
	} else if (!strcmp(name, "info")) {
		add_event_field(out, c, "triage", "need-info", "info");
	} else if (!strcmp(name, "info_due")) {
		add_event_field(&id, c, "triage", "need-info", "info_due");
		add_date_text(out, cfg, id.len ? id.buf : NULL);
	} else if (!strcmp(name, "assigned")) {
		if ((e = last_event(c, "assign", NULL)) != NULL)
			add_date(out, cfg, e->at);
	} else if (!strcmp(name, "assign_reason")) {
		add_event_field(out, c, "assign", NULL, "reason");
	} else if (!strcmp(name, "extend_reason")) {
		add_event_field(out, c, "extend", NULL, "reason");
	} else if (!strcmp(name, "extend_previous")) {
		add_event_field(&id, c, "extend", NULL, "previous");
		add_date_text(out, cfg, id.len ? id.buf : NULL);
	} else if (!strcmp(name, "outcome")) {
		if (c->closure.present && c->closure.outcome)
			sb_adds(out, zh_word(cfg, VOC_OUTCOME,
				c->closure.outcome));
	} else if (!strcmp(name, "summary")) {
		if (c->closure.present && c->closure.summary)
			sb_adds(out, c->closure.summary);
	} else if (!strcmp(name, "closed")) {
		if (c->closure.present)
			add_date(out, cfg, c->closure.at);
	} else if (!strcmp(name, "satisfaction")) {
		if (c->closure.present && c->closure.satisfaction)
			sb_adds(out, zh_word(cfg, VOC_SATISFACTION,
				c->closure.satisfaction));
	} else {
		sb_release(&id);
		return ERR_NOTFOUND;
	}
	sb_release(&id);
	return 0;
}

static int known(const char *name)
{
	size_t i;

	for (i = 0; form_fields[i].name; i++)
		if (!strcmp(form_fields[i].name, name))
			return 1;
	return 0;
}

int form_case_value(struct sb *out, const char *name, void *data)
{
	const struct form_data *fd = data;

	if (!known(name))
		return ERR_NOTFOUND;
	if (!office_value(out, name, fd))
		return 0;
	if (!fd->c)
		return 0;	/* a blank form: every case field empty */
	if (!state_value(out, name, fd->cfg, fd->c))
		return 0;
	history_value(out, name, fd->cfg, fd->c);
	return 0;
}
