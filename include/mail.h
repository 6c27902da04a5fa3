/*
 * mail.h - build RFC 5322 messages with UTF-8 text and hand them to a
 * sendmail program.
 *
 * Headers that hold non-ASCII text are RFC 2047 encoded ("B" encoding,
 * UTF-8), split into encoded-words of at most 75 characters on character
 * boundaries and folded so that no header line exceeds 78 characters.
 * The body is UTF-8 text/plain, sent as 8bit when every line is short
 * enough, else base64.  Lines end in LF, as the sendmail interface
 * expects; the mail transfer agent turns them into CRLF.
 *
 * mail_send() starts the program of mail.sendmail (split into words as
 * a shell would by wordexp(3), but never running a command) with
 * posix_spawn, writes the message to its standard input and
 * waits for it: a program that cannot start, is killed or exits non-zero
 * is a failure whose message names the program and its status.  A
 * program that takes longer than the timeout (mail.timeout) is killed
 * with its whole process group (it runs in a group of its own).
 */
#ifndef DOCKET_MAIL_H
#define DOCKET_MAIL_H

#include <stddef.h>
#include "calendar.h"
#include "util.h"

/** Longest encoded-word (RFC 2047 section 2). */
#define MAIL_WORD_MAX 75
/** Longest header line we write (RFC 5322 section 2.1.1 "SHOULD"). */
#define MAIL_LINE_MAX 78
/** Room for mail_date(): "Sat, 28 Nov 2026 09:00:00 +0800". */
#define MAIL_DATE_BUFSZ 40

struct mail {
	const char *from;	/**< "addr" or "Name <addr>" (mail.from) */
	const char *from_name;	/**< display name for a bare `from`, or NULL */
	const char *to_name;	/**< display name of the recipient or NULL */
	const char *to_addr;	/**< the recipient's address */
	const char *subject;	/**< UTF-8 */
	const char *body;	/**< UTF-8 text, lines ending in LF */
	struct ts date;		/**< the Date: header, in its own offset */
	const char *msgid;	/**< unique left part of Message-ID, or NULL */
};

/**
 * Append "Name: value" and LF to out, folded; a value holding anything
 * but printable ASCII and blanks is written as RFC 2047 encoded-words.
 */
void mail_header(struct sb *out, const char *name, const char *value);

/**
 * Append a mailbox: `addr` alone, or "phrase <addr>" where a non-ASCII
 * phrase is RFC 2047 encoded and an ASCII one quoted when it needs it.
 * `used` is the number of characters already on the line (for folding).
 */
void mail_mailbox(struct sb *out, size_t used, const char *name,
	const char *addr);

/** Format an instant as an RFC 5322 date in the instant's own offset. */
void mail_date(char out[MAIL_DATE_BUFSZ], struct ts ts);

/**
 * Build the whole message.  ERR_INVALID (message in d) when a field
 * cannot go into a header: an address with blanks, controls or no '@',
 * text that is not UTF-8, a header value with line breaks.
 */
int mail_build(struct sb *out, const struct mail *m, struct diag *d);

/**
 * NULL if `command` can be mail.sendmail, else why not (translated):
 * it holds $(...) or backticks, an unquoted | & ; < > ( ) { } or line
 * break, an unclosed quote, or a variable that is not set.  Not checked
 * when docket.yaml is read: wordexp also expands file name patterns,
 * and every command reads the config.
 */
const char *mail_command_check(const char *command);

/**
 * Run `command` (program and arguments: words as a POSIX shell splits
 * them, with quotes, backslashes, $VAR and ~, by wordexp(3) with
 * WRDE_NOCMD | WRDE_UNDEF; the program is looked up in PATH unless it
 * holds a '/') with the message on its
 * standard input and its standard output sent to standard error, and wait
 * for it.  0, or ERR_INVALID for an empty or refused command (see
 * mail_command_check()), ERR_IO when the
 * program cannot start, is killed or exits non-zero ("'PROG' exited with
 * status N"), or after `timeout` seconds (<= 0: MAIL_TIMEOUT_DEFAULT_S)
 * ERR_IO saying it was stopped.
 */
#define MAIL_TIMEOUT_DEFAULT_S 60
int mail_send(const char *command, const char *msg, size_t len,
	int timeout, struct diag *d);

#endif
