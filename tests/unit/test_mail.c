/*
 * test_mail.c - RFC 5322 messages with RFC 2047 headers, and the
 * sendmail interface.  Expected base64 was computed by hand (and checked
 * with base64(1)): "投诉" = 5oqV6K+J, "陈静" = 6ZmI6Z2Z,
 * "某县农业局" = 5p+Q5Y6/5Yac5Lia5bGA.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <time.h>

#include <cmocka.h>

#include "mail.h"
#include "unit.h"

struct fx {
	char dir[64];
	struct sb out;
	struct diag d;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx)
		return -1;
	if (unit_tmpdir(fx->dir, sizeof(fx->dir), "test_mail")) {
		free(fx);
		return -1;
	}
	sb_init(&fx->out);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;

	if (unit_rm_tree(fx->dir))
		return -1;
	sb_release(&fx->out);
	diag_release(&fx->d);
	free(fx);
	return 0;
}

static int b64val(int c)
{
	const char *a =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = c ? strchr(a, c) : NULL;

	return p ? (int)(p - a) : -1;
}

/* Decode base64 text of n characters onto out. */
static void unbase64(struct sb *out, const char *s, size_t n)
{
	uint32_t v = 0;
	int bits = 0, x;
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '=' || s[i] == '\n')
			continue;
		x = b64val(s[i]);
		assert_true(x >= 0);
		v = v << 6 | (uint32_t)x;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			sb_addc(out, (int)(v >> bits & 0xff));
		}
	}
}

/*
 * Check a header block the way a mail reader would: every line at most
 * 78 characters, continuation lines start with a blank, every encoded
 * word at most 75 characters and holding whole UTF-8 characters; return
 * the unfolded, decoded value of the first header (malloc'd).
 */
static char *decode_header(const char *h)
{
	struct sb val = SB_INIT, word = SB_INIT;
	const char *line, *nl, *p, *e;
	int first = 1;

	for (line = h; *line; line = nl + 1) {
		nl = strchr(line, '\n');
		assert_non_null(nl);
		assert_true(nl - line <= MAIL_LINE_MAX);
		if (!first && *line != ' ')
			break;
		p = first ? strchr(line, ':') + 1 : line;
		first = 0;
		while (p < nl) {
			while (p < nl && *p == ' ')
				p++;
			if (p >= nl)
				break;
			e = memchr(p, ' ', (size_t)(nl - p));
			e = e ? e : nl;
			if (!strncmp(p, "=?UTF-8?B?", 10)) {
				assert_true(e - p <= MAIL_WORD_MAX);
				assert_memory_equal(e - 2, "?=", 2);
				sb_reset(&word);
				unbase64(&word, p + 10, (size_t)(e - p - 12));
				assert_true(utf8_valid(word.buf, word.len));
				sb_add(&val, word.buf, word.len);
			} else {
				if (val.len)
					sb_addc(&val, ' ');
				sb_add(&val, p, (size_t)(e - p));
			}
			p = e;
		}
		if (!nl[1])
			break;
	}
	sb_release(&word);
	return sb_detach(&val, NULL);
}

static void test_mail__chinese_subject_is_one_encoded_word(void **state)
{
	struct fx *fx = *state;

	mail_header(&fx->out, "Subject", "投诉");
	assert_string_equal(fx->out.buf, "Subject: =?UTF-8?B?5oqV6K+J?=\n");
}

static void test_mail__subject_with_organization_decodes_back(void **state)
{
	struct fx *fx = *state;
	const char *s = "docket: 3 cases need attention (某县农业局)";
	char *back;

	mail_header(&fx->out, "Subject", s);
	/* The first word takes whole characters up to 69 columns; the
	 * rest of the organization goes on a continuation line. */
	assert_string_equal(fx->out.buf,
		"Subject: =?UTF-8?B?ZG9ja2V0OiAzIGNhc2VzIG5lZWQgYXR0ZW50aW9uICj"
		"mn5Dljr/lhpw=?=\n"
		" =?UTF-8?B?5Lia5bGAKQ==?=\n");
	back = decode_header(fx->out.buf);
	assert_string_equal(back, s);
	free(back);
}

static void test_mail__long_subject_folds_within_limits(void **state)
{
	struct fx *fx = *state;
	struct sb s = SB_INIT;
	char *back;
	int i;

	/* 3- and 4-byte characters and ASCII mixed, so words must end on
	 * character boundaries at every possible offset. */
	for (i = 0; i < 40; i++)
		sb_adds(&s, i % 3 ? "小区电梯𠀋故障" : "a ");
	mail_header(&fx->out, "Subject", s.buf);
	back = decode_header(fx->out.buf);
	assert_string_equal(back, s.buf);
	assert_true(strchr(fx->out.buf, '\n') < fx->out.buf + fx->out.len - 1);
	free(back);
	sb_release(&s);
}

static void test_mail__long_header_name_starts_on_the_next_line(void **state)
{
	struct fx *fx = *state;
	char name[80];
	char *back;

	memset(name, 'X', 70);
	name[70] = '\0';
	mail_header(&fx->out, name, "投诉");
	back = decode_header(fx->out.buf);
	assert_string_equal(back, "投诉");
	free(back);
}

static void test_mail__ascii_subject_stays_readable(void **state)
{
	struct fx *fx = *state;
	char *back;
	const char *s = "docket: 12 cases need attention, of which several "
		"have been overdue for more than two working days";

	mail_header(&fx->out, "Subject", "docket: 1 case needs attention");
	assert_string_equal(fx->out.buf,
		"Subject: docket: 1 case needs attention\n");
	sb_reset(&fx->out);
	mail_header(&fx->out, "Subject", s);
	assert_non_null(strstr(fx->out.buf, "\n "));
	back = decode_header(fx->out.buf);
	assert_string_equal(back, s);
	free(back);
	/* Text that looks like an encoded word is encoded itself. */
	sb_reset(&fx->out);
	mail_header(&fx->out, "Subject", "=?UTF-8?B?5oqV6K+J?=");
	assert_null(strstr(fx->out.buf, " =?UTF-8?B?5oqV6K+J?="));
}

static void test_mail__mailbox_encodes_a_chinese_name(void **state)
{
	struct fx *fx = *state;

	mail_mailbox(&fx->out, 3, "陈静", "chen.jing@example.org");
	assert_string_equal(fx->out.buf,
		" =?UTF-8?B?6ZmI6Z2Z?= <chen.jing@example.org>");
	sb_reset(&fx->out);
	mail_mailbox(&fx->out, 3, "Chen, Jing", "chen.jing@example.org");
	assert_string_equal(fx->out.buf,
		" \"Chen, Jing\" <chen.jing@example.org>");
	sb_reset(&fx->out);
	mail_mailbox(&fx->out, 3, NULL, "chen.jing@example.org");
	assert_string_equal(fx->out.buf, " chen.jing@example.org");
}

static void test_mail__date_is_rfc5322(void **state)
{
	char buf[MAIL_DATE_BUFSZ];
	struct ts t;

	(void)state;
	assert_int_equal(ts_parse(&t, "2026-11-28T09:00:00+08:00"), 0);
	mail_date(buf, t);
	assert_string_equal(buf, "Sat, 28 Nov 2026 09:00:00 +0800");
	assert_int_equal(ts_parse(&t, "2026-01-04T23:05:09-05:30"), 0);
	mail_date(buf, t);
	assert_string_equal(buf, "Sun, 04 Jan 2026 23:05:09 -0530");
}

static void fill(struct mail *m, const char *body)
{
	memset(m, 0, sizeof(*m));
	m->from = "某县农业局 <docket@example.org>";
	m->to_name = "陈静";
	m->to_addr = "chen.jing@example.org";
	m->subject = "docket: 1 case needs attention (某县农业局)";
	m->body = body;
	ts_parse(&m->date, "2026-10-10T07:30:00+08:00");
	m->msgid = "docket-remind.20261010T073000.42.chen.jing";
}

static void test_mail__message_headers_and_8bit_body(void **state)
{
	struct fx *fx = *state;
	struct mail m;
	const char *body = "chen.jing (陈静)\n  2026-000001  化肥结块\n";
	char *p, *back;

	fill(&m, body);
	assert_int_equal(mail_build(&fx->out, &m, &fx->d), 0);
	p = fx->out.buf;
	assert_non_null(strstr(p, "Date: Sat, 10 Oct 2026 07:30:00 +0800\n"));
	assert_non_null(strstr(p, "\nFrom: =?UTF-8?B?5p+Q5Y6/5Yac5Lia5bGA?= "
		"<docket@example.org>\n"));
	assert_non_null(strstr(p, "\nTo: =?UTF-8?B?6ZmI6Z2Z?= "
		"<chen.jing@example.org>\n"));
	assert_non_null(strstr(p, "\nMessage-ID: <docket-remind.20261010T073000"
		".42.chen.jing@example.org>\n"));
	assert_non_null(strstr(p, "\nMIME-Version: 1.0\n"));
	assert_non_null(strstr(p, "\nContent-Type: text/plain; "
		"charset=UTF-8\n"));
	assert_non_null(strstr(p, "\nContent-Transfer-Encoding: 8bit\n\n"));
	back = decode_header(strstr(p, "\nSubject:") + 1);
	assert_string_equal(back, m.subject);
	free(back);
	/* The body follows the blank line unchanged. */
	assert_string_equal(strstr(p, "\n\n") + 2, body);
	/* No header line is longer than 78 characters. */
	for (; p < strstr(fx->out.buf, "\n\n"); p = strchr(p, '\n') + 1)
		assert_true(strchr(p, '\n') - p <= MAIL_LINE_MAX);
	/* mail.from is a bare address: the name comes separately. */
	sb_reset(&fx->out);
	m.from = "docket@example.org";
	m.from_name = "某县农业局";
	assert_int_equal(mail_build(&fx->out, &m, &fx->d), 0);
	assert_non_null(strstr(fx->out.buf, "\nFrom: =?UTF-8?B?5p+Q5Y6/5Yac5Lia"
		"5bGA?= <docket@example.org>\n"));
}

static void test_mail__long_lines_go_base64(void **state)
{
	struct fx *fx = *state;
	struct sb body = SB_INIT, back = SB_INIT;
	struct mail m;
	const char *p;
	int i;

	for (i = 0; i < 400; i++)
		sb_adds(&body, "投诉");
	sb_addc(&body, '\n');
	fill(&m, body.buf);
	assert_int_equal(mail_build(&fx->out, &m, &fx->d), 0);
	assert_non_null(strstr(fx->out.buf,
		"\nContent-Transfer-Encoding: base64\n\n"));
	p = strstr(fx->out.buf, "\n\n") + 2;
	unbase64(&back, p, strlen(p));
	assert_string_equal(back.buf, body.buf);
	for (; *p; p = strchr(p, '\n') + 1)
		assert_true(strchr(p, '\n') - p <= 76);
	sb_release(&back);
	sb_release(&body);
}

/* Padding as RFC 4648 has it, for bodies of each length modulo 3. */
static void test_mail__base64_body_is_padded(void **state)
{
	/* by the length modulo 3: whole, 1 byte over, 2 bytes over */
	static const char *const tail[] = { "\n", "==\n", "=\n" };
	struct fx *fx = *state;
	struct sb body = SB_INIT, enc = SB_INIT, back = SB_INIT;
	struct mail m;
	const char *p, *q;
	size_t n;

	for (n = 1001; n <= 1003; n++) {
		sb_reset(&body);
		sb_reset(&fx->out);
		sb_reset(&enc);
		sb_reset(&back);
		while (body.len < n - 1)
			sb_adds(&body, "x");
		sb_addc(&body, '\n');
		fill(&m, body.buf);
		assert_int_equal(mail_build(&fx->out, &m, &fx->d), 0);
		p = strstr(fx->out.buf, "\n\n") + 2;
		for (q = p; *q; q++)
			if (*q != '\n')
				sb_addc(&enc, *q);
		assert_int_equal(enc.len, (n + 2) / 3 * 4);
		q = fx->out.buf + fx->out.len - strlen(tail[n % 3]);
		assert_string_equal(q, tail[n % 3]);
		assert_true(q[-1] != '=');
		unbase64(&back, p, strlen(p));
		assert_string_equal(back.buf, body.buf);
	}
	sb_release(&body);
	sb_release(&enc);
	sb_release(&back);
}

static void test_mail__bad_fields_are_refused(void **state)
{
	struct fx *fx = *state;
	struct mail m;

	fill(&m, "x\n");
	m.to_addr = "chen jing@example.org";
	assert_int_equal(mail_build(&fx->out, &m, &fx->d), ERR_INVALID);
	assert_non_null(strstr(fx->d.msg[0], "'chen jing@example.org' is not "
		"a mail address"));
	fill(&m, "x\n");
	m.from = "docket";
	assert_int_equal(mail_build(&fx->out, &m, &fx->d), ERR_INVALID);
	fill(&m, "x\n");
	m.subject = "two\nlines";
	assert_int_equal(mail_build(&fx->out, &m, &fx->d), ERR_INVALID);
	fill(&m, "\xff\n");
	assert_int_equal(mail_build(&fx->out, &m, &fx->d), ERR_INVALID);
	assert_int_equal(fx->d.n, 4);
}

/* Write an executable script into the fixture directory. */
static void script(struct fx *fx, const char *name, const char *text,
	char path[128])
{
	FILE *f;

	snprintf(path, 128, "%s/%s", fx->dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(chmod(path, 0755), 0);
}

static void slurp(struct sb *out, const char *path)
{
	struct diag d = DIAG_INIT;

	assert_int_equal(read_file(out, path, 1 << 20, &d), 0);
	diag_release(&d);
}

static void test_mail__send_pipes_the_message_without_a_shell(void **state)
{
	struct fx *fx = *state;
	char prog[128], cmd[512], path[160];
	struct sb got = SB_INIT;
	const char *msg = "To: a@example.org\n\n投诉 $(touch pwned) `x`\n";
	int saved, fd, ret;

	script(fx, "record", "#!/bin/sh\n"
		"d=$(dirname \"$0\")\n"
		"printf '%s\\n' \"$@\" >\"$d/args\"\n"
		"cat >\"$d/msg\"\n"
		"echo 'a word on stdout'\n", prog);
	/* Blanks of any run split the words, quotes and backslashes keep
	 * them together, as in a shell; no command runs. */
	snprintf(cmd, sizeof(cmd), "  %s -t\t -oi  'a;b' -F \"Docket "
		"Office\" x\\ y  ", prog);
	/* What the program prints goes to our stderr, never stdout. */
	snprintf(path, sizeof(path), "%s/stderr", fx->dir);
	fflush(stderr);
	saved = dup(STDERR_FILENO);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	assert_true(saved >= 0 && fd >= 0);
	dup2(fd, STDERR_FILENO);
	close(fd);
	ret = mail_send(cmd, msg, strlen(msg), 0, &fx->d);
	dup2(saved, STDERR_FILENO);
	close(saved);
	assert_int_equal(ret, 0);
	slurp(&got, path);
	assert_string_equal(got.buf, "a word on stdout\n");
	sb_reset(&got);
	snprintf(path, sizeof(path), "%s/msg", fx->dir);
	slurp(&got, path);
	assert_string_equal(got.buf, msg);
	sb_reset(&got);
	snprintf(path, sizeof(path), "%s/args", fx->dir);
	slurp(&got, path);
	assert_string_equal(got.buf, "-t\n-oi\na;b\n-F\nDocket Office\nx y\n");
	snprintf(path, sizeof(path), "%s/pwned", fx->dir);
	assert_int_not_equal(access(path, F_OK), 0);
	sb_release(&got);
}

/* What only a shell would act on is refused, naming mail.sendmail, and
 * nothing is started. */
static void test_mail__send_refuses_what_needs_a_shell(void **state)
{
	static const struct {
		const char *tail, *why;
	} bad[] = {
		{ " -t $(touch pwned)", "it would run a command" },
		{ " -t `touch pwned`", "it would run a command" },
		{ " -t \"$(touch pwned)\"", "it would run a command" },
		{ " -t; touch pwned", "it holds one of" },
		{ " -t | touch pwned", "it holds one of" },
		{ " -t >pwned", "it holds one of" },
		{ " -F 'Docket", "a quote is not closed" },
		{ " -f $DOCKET_TEST_SURELY_UNSET", "variable that is not set" },
	};
	struct fx *fx = *state;
	char prog[128], cmd[512], path[160];
	size_t i;

	script(fx, "record", "#!/bin/sh\ncat >/dev/null\n"
		"touch \"$(dirname \"$0\")/ran\"\n", prog);
	unsetenv("DOCKET_TEST_SURELY_UNSET");
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(cmd, sizeof(cmd), "%s%s", prog, bad[i].tail);
		diag_release(&fx->d);
		assert_int_equal(mail_send(cmd, "x\n", 2, 0, &fx->d),
			ERR_INVALID);
		assert_int_equal(fx->d.n, 1);
		assert_non_null(strstr(fx->d.msg[0], "mail.sendmail '"));
		assert_non_null(strstr(fx->d.msg[0], bad[i].why));
		assert_non_null(strstr(mail_command_check(cmd), bad[i].why));
	}
	snprintf(path, sizeof(path), "%s/ran", fx->dir);
	assert_int_not_equal(access(path, F_OK), 0);
	snprintf(path, sizeof(path), "%s/pwned", fx->dir);
	assert_int_not_equal(access(path, F_OK), 0);
	/* $HOME is set: a variable is a word like any other */
	snprintf(cmd, sizeof(cmd), "%s -f \"$HOME\"", prog);
	assert_null(mail_command_check(cmd));
	assert_int_equal(mail_send(cmd, "x\n", 2, 0, &fx->d), 0);
}

static void test_mail__failing_program_is_named_with_status(void **state)
{
	struct fx *fx = *state;
	char prog[128];
	const char *msg = "To: a@example.org\n\nx\n";

	script(fx, "tempfail", "#!/bin/sh\ncat >/dev/null\nexit 75\n", prog);
	assert_int_equal(mail_send(prog, msg, strlen(msg), 0, &fx->d), ERR_IO);
	assert_int_equal(fx->d.n, 1);
	assert_non_null(strstr(fx->d.msg[0], prog));
	assert_non_null(strstr(fx->d.msg[0], "exited with status 75"));
}

static void test_mail__missing_program_is_named(void **state)
{
	struct fx *fx = *state;
	char cmd[160];

	snprintf(cmd, sizeof(cmd), "%s/no-such-sendmail -t", fx->dir);
	assert_int_equal(mail_send(cmd, "x\n", 2, 0, &fx->d), ERR_IO);
	assert_non_null(strstr(fx->d.msg[0], "cannot run '"));
	assert_non_null(strstr(fx->d.msg[0], "/no-such-sendmail'"));
	assert_int_equal(mail_send(" \t ", "x\n", 2, 0, &fx->d), ERR_INVALID);
}

static void test_mail__program_that_stops_reading_fails(void **state)
{
	struct fx *fx = *state;
	char prog[128];
	struct sb big = SB_INIT;
	int i;

	/* Exits at once with status 0 without reading a message larger
	 * than any pipe buffer: we must see EPIPE, not die of SIGPIPE. */
	script(fx, "deaf", "#!/bin/sh\nexit 0\n", prog);
	for (i = 0; i < 200000; i++)
		sb_adds(&big, "0123456789\n");
	assert_int_equal(mail_send(prog, big.buf, big.len, 0, &fx->d), ERR_IO);
	assert_non_null(strstr(fx->d.msg[0], "cannot write the message to"));
	sb_release(&big);
}

static void test_mail__killed_program_is_a_failure(void **state)
{
	struct fx *fx = *state;
	char prog[128];

	script(fx, "killed", "#!/bin/sh\ncat >/dev/null\nkill -TERM $$\n",
		prog);
	assert_int_equal(mail_send(prog, "x\n", 2, 0, &fx->d), ERR_IO);
	assert_non_null(strstr(fx->d.msg[0], "killed by signal 15"));
}

static void test_mail__hung_program_is_stopped_with_its_group(void **state)
{
	struct fx *fx = *state;
	char prog[128], path[160];
	struct timespec t0, t1;

	/* An MTA that hangs and has started a child of its own: both are
	 * gone after the timeout, and the message says so. */
	snprintf(path, sizeof(path), "%s/child-alive", fx->dir);
	script(fx, "hung", "#!/bin/sh\ncat >/dev/null\n"
		"(sleep 2; touch \"$(dirname \"$0\")/child-alive\") &\n"
		"sleep 30\n", prog);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(mail_send(prog, "x\n", 2, 1, &fx->d), ERR_IO);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	assert_true(t1.tv_sec - t0.tv_sec < 3);
	assert_non_null(strstr(fx->d.msg[0], "did not finish within 1 s"));
	sleep(3);
	assert_int_not_equal(access(path, F_OK), 0);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_mail__chinese_subject_is_one_encoded_word),
		T(test_mail__subject_with_organization_decodes_back),
		T(test_mail__long_subject_folds_within_limits),
		T(test_mail__long_header_name_starts_on_the_next_line),
		T(test_mail__ascii_subject_stays_readable),
		T(test_mail__mailbox_encodes_a_chinese_name),
		T(test_mail__date_is_rfc5322),
		T(test_mail__message_headers_and_8bit_body),
		T(test_mail__long_lines_go_base64),
		T(test_mail__base64_body_is_padded),
		T(test_mail__bad_fields_are_refused),
		T(test_mail__send_pipes_the_message_without_a_shell),
		T(test_mail__send_refuses_what_needs_a_shell),
		T(test_mail__failing_program_is_named_with_status),
		T(test_mail__missing_program_is_named),
		T(test_mail__program_that_stops_reading_fails),
		T(test_mail__killed_program_is_a_failure),
		T(test_mail__hung_program_is_stopped_with_its_group),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
