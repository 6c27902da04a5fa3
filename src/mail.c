/*
 * mail.c - RFC 5322 messages with RFC 2047 headers, sent through the
 * sendmail interface (words split by wordexp, run by posix_spawn, no
 * shell).
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <wordexp.h>

#include <openssl/evp.h>

#include "intl.h"
#include "mail.h"

extern char **environ;

/* "=?UTF-8?B?" + "?=" around the base64 text of an encoded-word. */
#define WORD_OPEN "=?UTF-8?B?"
#define WORD_CLOSE "?="
#define WORD_OVERHEAD (sizeof(WORD_OPEN) - 1 + sizeof(WORD_CLOSE) - 1)
/* Longest body line sent as 8bit (RFC 5322: 998 octets without CRLF). */
#define BODY_LINE_MAX 998

/* Bytes given to EVP_EncodeBlock at a time: it takes an int, and pieces
 * of a multiple of 3 bytes join without padding between them. */
#define BASE64_PIECE (3 * 1024 * 1024)

static size_t base64_len(size_t n)
{
	return (n + 2) / 3 * 4;
}

/* Append n bytes as base64 (RFC 4648 alphabet, '=' padding, one line):
 * OpenSSL's encoder, which docket links anyway for its hashes. */
static void base64_add(struct sb *out, const unsigned char *p, size_t n)
{
	size_t take;

	while (n) {
		take = n < BASE64_PIECE ? n : BASE64_PIECE;
		sb_grow(out, base64_len(take));	/* and the NUL it writes */
		EVP_EncodeBlock((unsigned char *)out->buf + out->len, p,
			(int)take);
		out->len += base64_len(take);
		p += take;
		n -= take;
	}
}

/* 1 if s can stand in a header as it is: printable ASCII and spaces, and
 * nothing a reader could take for an encoded-word. */
static int header_plain(const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return 0;
	return !strstr(s, "=?");
}

/* Bytes of the UTF-8 character starting at s (1 for a stray byte). */
static size_t char_len(const char *s)
{
	unsigned cp;
	int n = utf8_decode(s, strlen(s), &cp);

	return n > 0 ? (size_t)n : 1;
}

/*
 * Append s as encoded-words, each after a blank, starting at column *col:
 * every word is at most 75 characters, holds whole characters and ends a
 * line of at most 78; a word that does not fit goes on a new line.
 */
static void add_words(struct sb *out, size_t *col, const char *s)
{
	size_t room, take, c;

	while (*s) {
		room = *col + 1 < MAIL_LINE_MAX ? MAIL_LINE_MAX - *col - 1 : 0;
		if (room > MAIL_WORD_MAX)
			room = MAIL_WORD_MAX;
		/* One character of up to 4 bytes needs 8 base64 digits. */
		if (room < WORD_OVERHEAD + 8) {
			sb_addc(out, '\n');
			*col = 0;
			continue;
		}
		for (take = 0; s[take]; take += c) {
			c = char_len(s + take);
			if (WORD_OVERHEAD + base64_len(take + c) > room)
				break;
		}
		sb_addc(out, ' ');
		sb_adds(out, WORD_OPEN);
		base64_add(out, (const unsigned char *)s, take);
		sb_adds(out, WORD_CLOSE);
		*col += 1 + WORD_OVERHEAD + base64_len(take);
		s += take;
	}
}

/* Append printable ASCII s at *col, each word after a blank, folding
 * before a word that would pass column 78. */
static void add_plain(struct sb *out, size_t *col, const char *s)
{
	size_t n;

	for (;;) {
		n = strcspn(s, " ");
		if (*col && *col + 1 + n > MAIL_LINE_MAX) {
			sb_addc(out, '\n');
			*col = 0;
		}
		sb_addc(out, ' ');
		sb_add(out, s, n);
		*col += 1 + n;
		s += n;
		if (!*s)
			break;
		s++;
	}
}

void mail_header(struct sb *out, const char *name, const char *value)
{
	size_t col;

	sb_addf(out, "%s:", name);
	col = strlen(name) + 1;
	if (header_plain(value))
		add_plain(out, &col, value);
	else
		add_words(out, &col, value);
	sb_addc(out, '\n');
}

/* 1 if every byte of the phrase is allowed unquoted (RFC 5322 atext and
 * spaces). */
static int phrase_atoms(const char *s)
{
	for (; *s; s++)
		if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') ||
		    ('0' <= *s && *s <= '9') || strchr(" !#$%&'*+-/=?^_`{|}~",
		    *s)))
			return 0;
	return 1;
}

void mail_mailbox(struct sb *out, size_t used, const char *name,
	const char *addr)
{
	size_t col = used, alen = strlen(addr) + 2;
	struct sb q = SB_INIT;
	const char *p;

	if (!name || !*name) {
		sb_addf(out, " %s", addr);
		return;
	}
	if (!header_plain(name)) {
		add_words(out, &col, name);
	} else if (phrase_atoms(name)) {
		add_plain(out, &col, name);
	} else {
		sb_addc(&q, '"');
		for (p = name; *p; p++) {
			if (*p == '"' || *p == '\\')
				sb_addc(&q, '\\');
			sb_addc(&q, *p);
		}
		sb_addc(&q, '"');
		sb_addc(out, ' ');
		sb_add(out, q.buf, q.len);
		col += 1 + q.len;
	}
	if (col + 1 + alen > MAIL_LINE_MAX)
		sb_adds(out, "\n");
	sb_addf(out, " <%s>", addr);
	sb_release(&q);
}

void mail_date(char out[MAIL_DATE_BUFSZ], struct ts ts)
{
	static const char *const days[] = {
		"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
	};
	static const char *const months[] = {
		"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
		"Oct", "Nov", "Dec"
	};
	time_t t = (time_t)(ts.t + (int64_t)ts.off * 60);
	int off = ts.off < 0 ? -ts.off : ts.off;
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, MAIL_DATE_BUFSZ, "%s, %02d %s %04d %02d:%02d:%02d %c%02d%02d",
		days[tm.tm_wday], tm.tm_mday, months[tm.tm_mon],
		tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
		ts.off < 0 ? '-' : '+', off / 60, off % 60);
}

/* A bare address we can put in a header: ASCII, no blanks, no controls,
 * no brackets, quotes or commas, one '@' with text on both sides. */
static int addr_valid(const char *a)
{
	const char *at = strchr(a, '@');
	const unsigned char *p;

	if (!at || at == a || !at[1] || strchr(at + 1, '@'))
		return 0;
	for (p = (const unsigned char *)a; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>()[]\",;:\\", *p))
			return 0;
	return 1;
}

/* The left part of a Message-ID: RFC 5322 atext and dots. */
static int msgid_valid(const char *s)
{
	if (!*s)
		return 0;
	for (; *s; s++)
		if (!(('a' <= *s && *s <= 'z') || ('A' <= *s && *s <= 'Z') ||
		    ('0' <= *s && *s <= '9') || strchr(".!#$%&'*+-/=?^_`{|}~",
		    *s)))
			return 0;
	return 1;
}

/*
 * Split "Name <addr>" (the name may be quoted) or a bare "addr" into
 * malloc'd parts; *name is NULL when there is none.
 */
static int split_from(char **name, char **addr, const char *from)
{
	const char *lt = strchr(from, '<'), *gt;
	const char *b, *e;

	*name = *addr = NULL;
	if (!lt) {
		*addr = xstrdup(from);
		return 0;
	}
	gt = strchr(lt, '>');
	if (!gt || gt[1])
		return ERR_INVALID;
	*addr = xstrndup(lt + 1, (size_t)(gt - lt - 1));
	for (b = from; *b == ' '; b++)
		;
	for (e = lt; e > b && e[-1] == ' '; e--)
		;
	if (e - b >= 2 && *b == '"' && e[-1] == '"') {
		b++;
		e--;
	}
	if (e > b)
		*name = xstrndup(b, (size_t)(e - b));
	return 0;
}

/* The parts of a message text_ok() checks, each with its two refusals
 * as whole sentences. */
enum mail_part { MP_SENDER, MP_RECIPIENT, MP_SUBJECT, MP_BODY };

static const struct {
	const char *not_utf8, *control;
} part_msgs[] = {
	[MP_SENDER] = { N_("mail sender name is not valid UTF-8"),
		N_("mail sender name holds a control character") },
	[MP_RECIPIENT] = { N_("mail recipient name is not valid UTF-8"),
		N_("mail recipient name holds a control character") },
	[MP_SUBJECT] = { N_("mail subject is not valid UTF-8"),
		N_("mail subject holds a control character") },
	[MP_BODY] = { N_("mail body is not valid UTF-8"),
		N_("mail body holds a control character") },
};

static int text_ok(enum mail_part part, const char *s, int allow_newline,
	struct diag *d)
{
	size_t n = strlen(s);

	if (!utf8_valid(s, n))
		return diag_add(d, ERR_INVALID, "%s",
			_(part_msgs[part].not_utf8));
	if (has_control(s, n, allow_newline))
		return diag_add(d, ERR_INVALID, "%s",
			_(part_msgs[part].control));
	return 0;
}

/* 1 if the body can go as 8bit: no CR or NUL, no line over 998 bytes. */
static int body_8bit(const char *s)
{
	size_t line = 0;

	for (; *s; s++) {
		if (*s == '\r')
			return 0;
		line = *s == '\n' ? 0 : line + 1;
		if (line > BODY_LINE_MAX)
			return 0;
	}
	return 1;
}

static void add_body(struct sb *out, const char *body)
{
	size_t n = strlen(body), i;
	struct sb enc = SB_INIT;

	if (body_8bit(body)) {
		sb_adds(out, "Content-Transfer-Encoding: 8bit\n\n");
		sb_adds(out, body);
		if (n && body[n - 1] != '\n')
			sb_addc(out, '\n');
		return;
	}
	sb_adds(out, "Content-Transfer-Encoding: base64\n\n");
	base64_add(&enc, (const unsigned char *)body, n);
	for (i = 0; i < enc.len; i += 76) {
		sb_add(out, enc.buf + i, enc.len - i < 76 ? enc.len - i : 76);
		sb_addc(out, '\n');
	}
	sb_release(&enc);
}

int mail_build(struct sb *out, const struct mail *m, struct diag *d)
{
	char *from_name = NULL, *from_addr = NULL;
	char date[MAIL_DATE_BUFSZ];
	const char *domain;
	int ret = ERR_INVALID;

	if (!m->from || split_from(&from_name, &from_addr, m->from) ||
	    !addr_valid(from_addr)) {
		diag_add(d, ERR_INVALID, _("mail.from '%s' is not an address "
			"like docket@example.org or \"Name <docket@example."
			"org>\""), m->from ? m->from : "");
		goto out;
	}
	if (!m->to_addr || !addr_valid(m->to_addr)) {
		diag_add(d, ERR_INVALID, _("'%s' is not a mail address"),
			m->to_addr ? m->to_addr : "");
		goto out;
	}
	if (!from_name && m->from_name && *m->from_name)
		from_name = xstrdup(m->from_name);
	if ((from_name && text_ok(MP_SENDER, from_name, 0, d)) ||
	    (m->to_name && text_ok(MP_RECIPIENT, m->to_name, 0, d)) ||
	    text_ok(MP_SUBJECT, m->subject, 0, d) ||
	    text_ok(MP_BODY, m->body, 1, d))
		goto out;
	if (m->msgid && !msgid_valid(m->msgid)) {
		diag_add(d, ERR_INVALID, _("'%s' cannot start a Message-ID"),
			m->msgid);
		goto out;
	}
	mail_date(date, m->date);
	sb_addf(out, "Date: %s\n", date);
	sb_adds(out, "From:");
	mail_mailbox(out, 5, from_name, from_addr);
	sb_adds(out, "\nTo:");
	mail_mailbox(out, 3, m->to_name, m->to_addr);
	sb_addc(out, '\n');
	mail_header(out, "Subject", m->subject);
	domain = strchr(from_addr, '@') + 1;
	if (m->msgid)
		sb_addf(out, "Message-ID: <%s@%s>\n", m->msgid, domain);
	sb_adds(out, "Auto-Submitted: auto-generated\n"
		"MIME-Version: 1.0\n"
		"Content-Type: text/plain; charset=UTF-8\n");
	add_body(out, m->body);
	ret = 0;
out:
	free(from_name);
	free(from_addr);
	return ret;
}

/* Why wordexp(3) refused a mail.sendmail value, for the message. */
static const char *refusal(int err)
{
	switch (err) {
	case WRDE_CMDSUB:
		return _("it would run a command ($(...) or `...`), and docket "
			"starts the program itself, without a shell");
	case WRDE_BADCHAR:
		return _("it holds one of | & ; < > ( ) { } or a line break, "
			"which only a shell acts on (quote it in an argument)");
	case WRDE_BADVAL:
		return _("it uses an environment variable that is not set");
	case WRDE_SYNTAX:
		return _("a quote is not closed, or another shell syntax "
			"error");
	}
	return strerror(ENOMEM);
}

/*
 * The words of a mail.sendmail value as a shell reads them (quotes,
 * backslashes, $VAR, ~), so that -F "Docket Office" stays one argument;
 * WRDE_NOCMD refuses $(...) and backticks, since the value names one
 * program that posix_spawn starts, never a shell.  NULL, or why the
 * value is refused (we then holds no words).
 */
static const char *split_command(wordexp_t *we, const char *cmd,
	int flags)
{
	int err;

	memset(we, 0, sizeof(*we));
	err = wordexp(cmd, we, WRDE_NOCMD | flags);
	if (!err)
		return NULL;
	/* only WRDE_NOSPACE leaves words behind (glibc frees the rest) */
	if (err == WRDE_NOSPACE)
		wordfree(we);
	memset(we, 0, sizeof(*we));
	return refusal(err);
}

const char *mail_command_check(const char *command)
{
	wordexp_t we;
	const char *why = split_command(&we, command, WRDE_UNDEF);

	wordfree(&we);
	return why;
}

/* Milliseconds left until the deadline (0 when it has passed). */
static long ms_left(const struct timespec *deadline)
{
	struct timespec now;
	long ms;

	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (long)(deadline->tv_sec - now.tv_sec) * 1000 +
		(deadline->tv_nsec - now.tv_nsec) / 1000000;
	return ms > 0 ? ms : 0;
}

/*
 * Write all of buf to the (non-blocking) fd before the deadline, with
 * SIGPIPE held off, so that a program that exits early gives EPIPE
 * rather than killing us.  0, ETIMEDOUT, or an errno.
 */
static int write_all(int fd, const char *buf, size_t len,
	const struct timespec *deadline)
{
	sigset_t pipe_set, old;
	struct timespec zero = { 0, 0 };
	struct pollfd pfd = { fd, POLLOUT, 0 };
	ssize_t w;
	long left;
	int err = 0;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	sigprocmask(SIG_BLOCK, &pipe_set, &old);
	while (len) {
		w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN) {
			/* a program that does not read: wait, but not
			 * past mail.timeout */
			if (!(left = ms_left(deadline))) {
				err = ETIMEDOUT;
				break;
			}
			poll(&pfd, 1, left > 1000 ? 1000 : (int)left);
			continue;
		}
		if (w < 0) {
			err = errno;
			break;
		}
		buf += w;
		len -= (size_t)w;
	}
	/* Take the SIGPIPE our write raised before unblocking it. */
	if (err == EPIPE && !sigismember(&old, SIGPIPE))
		while (sigtimedwait(&pipe_set, NULL, &zero) < 0 &&
		       errno == EINTR)
			;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return err;
}

/*
 * Wait for the program until the deadline; past it, kill its whole
 * process group (an MTA that hangs may have started children of its
 * own) and reap it.  0 with *status, ETIMEDOUT, or an errno.
 */
static int wait_until(pid_t pid, int *status, const struct timespec *deadline)
{
	struct timespec nap = { 0, 2000000L };
	pid_t r;

	for (;;) {
		r = waitpid(pid, status, WNOHANG);
		if (r == pid)
			return 0;
		if (r < 0 && errno != EINTR)
			return errno;
		if (!ms_left(deadline))
			break;
		nanosleep(&nap, NULL);
		/* 2 ms at first, then up to 50 ms between looks */
		if (nap.tv_nsec < 50000000L)
			nap.tv_nsec *= 2;
	}
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return ETIMEDOUT;
}

static int spawn(pid_t *pid, char **argv, int in_fd)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t def;
	int err;

	posix_spawn_file_actions_init(&fa);
	posix_spawnattr_init(&attr);
	posix_spawn_file_actions_adddup2(&fa, in_fd, STDIN_FILENO);
	/* Whatever the program prints must not mix with our stdout. */
	posix_spawn_file_actions_adddup2(&fa, STDERR_FILENO, STDOUT_FILENO);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	posix_spawnattr_setsigdefault(&attr, &def);
	/* its own process group, so that a hung one is killed whole */
	posix_spawnattr_setpgroup(&attr, 0);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF |
		POSIX_SPAWN_SETPGROUP);
	err = posix_spawnp(pid, argv[0], &fa, &attr, argv, environ);
	posix_spawnattr_destroy(&attr);
	posix_spawn_file_actions_destroy(&fa);
	return err;
}

int mail_send(const char *command, const char *msg, size_t len,
	int timeout, struct diag *d)
{
	struct timespec deadline;
	wordexp_t we;
	const char *why;
	char **argv;
	int fds[2] = { -1, -1 }, err, werr, status = 0, ret = ERR_IO;
	pid_t pid;

	if (timeout <= 0)
		timeout = MAIL_TIMEOUT_DEFAULT_S;
	/* An unset variable is refused too: it would drop a word. */
	why = split_command(&we, command ? command : "", WRDE_UNDEF);
	if (why) {
		/* TRANSLATORS: %s: the value of mail.sendmail, then why */
		ret = diag_add(d, ERR_INVALID, _("mail.sendmail '%s' is "
			"refused: %s"), command, why);
		goto out;
	}
	if (!we.we_wordc) {
		ret = diag_add(d, ERR_INVALID, _("mail.sendmail is empty"));
		goto out;
	}
	argv = we.we_wordv;
	if (pipe2(fds, O_CLOEXEC)) {
		diag_add(d, ERR_IO, _("cannot run '%s': %s"), argv[0],
			strerror(errno));
		goto out;
	}
	err = spawn(&pid, argv, fds[0]);
	close(fds[0]);
	fds[0] = -1;
	if (err) {
		diag_add(d, ERR_IO, _("cannot run '%s': %s"), argv[0],
			strerror(err));
		goto out;
	}
	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout;
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	werr = write_all(fds[1], msg, len, &deadline);
	close(fds[1]);
	fds[1] = -1;
	err = wait_until(pid, &status, &deadline);
	if (werr == ETIMEDOUT || err == ETIMEDOUT) {
		/* TRANSLATORS: %d is mail.timeout in seconds */
		diag_add(d, ERR_IO, _("'%s' did not finish within %d s and "
			"was stopped (mail.timeout)"), argv[0], timeout);
	} else if (err) {
		diag_add(d, ERR_IO, _("cannot wait for '%s': %s"), argv[0],
			strerror(err));
	} else if (WIFSIGNALED(status)) {
		diag_add(d, ERR_IO, _("'%s' was killed by signal %d"), argv[0],
			WTERMSIG(status));
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		/* Some posix_spawn implementations (and valgrind) report a
		 * failed exec only as the child's exit status 127. */
		diag_add(d, ERR_IO, _("cannot run '%s' (exit status 127: not "
			"found or not executable)"), argv[0]);
	} else if (WIFEXITED(status) && WEXITSTATUS(status)) {
		diag_add(d, ERR_IO, _("'%s' exited with status %d"), argv[0],
			WEXITSTATUS(status));
	} else if (werr) {
		diag_add(d, ERR_IO, _("cannot write the message to '%s': %s"),
			argv[0], strerror(werr));
	} else {
		ret = 0;
	}
out:
	if (fds[0] >= 0)
		close(fds[0]);
	if (fds[1] >= 0)
		close(fds[1]);
	wordfree(&we);
	return ret;
}
