/*
 * test_intake.c - the checks of a new case (src/intake.c): a good form
 * becomes the case `file` would write; each kind of bad input is
 * refused with a message at the option, or at FILE:LINE:COLUMN of the
 * --from document, every problem at once; values that may be a phone or
 * an ID number are never quoted back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "intake.h"

#define NOW 1795000000		/* 2026-11-18 */

struct fx {
	struct config cfg;
	struct diag d;
	struct intake_errs errs;
	struct intake in;
	struct dcase c;
	struct ynode **docs;
	size_t ndocs;
	struct intake_env env;
};

static int setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	config_init(&fx->cfg);
	intake_init(&fx->in);
	fx->in.errs = &fx->errs;
	fx->in.from_file = "form.yaml";
	case_init(&fx->c);
	fx->env.cfg = &fx->cfg;
	fx->env.now = cal_zoned(&fx->cfg.cal, NOW);
	fx->env.actor = "wang.fang";
	fx->env.d = &fx->d;
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	struct fx *fx = *state;
	size_t i;

	for (i = 0; i < fx->ndocs; i++)
		ynode_free(fx->docs[i]);
	free(fx->docs);
	case_release(&fx->c);
	intake_release(&fx->in);
	free(fx->errs.v);
	diag_release(&fx->d);
	config_release(&fx->cfg);
	free(fx);
	return 0;
}

/* Read and check the one document of text, as `file --from` does. */
static void file_from(struct fx *fx, const char *text)
{
	assert_int_equal(intake_parse(&fx->docs, &fx->ndocs, text,
		strlen(text), "form.yaml", &fx->d), 0);
	assert_int_equal(fx->ndocs, 1);
	intake_read(&fx->env, &fx->in, fx->docs[0]);
	intake_build(&fx->env, &fx->in, &fx->c);
	if (!fx->in.bad)
		intake_check_attach(&fx->env, &fx->in);
}

/* The message starting with want, or a failure listing them all. */
static void assert_message(const struct fx *fx, const char *want)
{
	size_t i;

	for (i = 0; i < fx->d.n; i++)
		if (!strncmp(fx->d.msg[i], want, strlen(want)))
			return;
	for (i = 0; i < fx->d.n; i++)
		print_error("  %s\n", fx->d.msg[i]);
	fail_msg("no message starting \"%s\"", want);
}

static void test_intake__good_form_becomes_the_case(void **state)
{
	struct fx *fx = *state;

	file_from(fx, "channel: phone\n"
		"received-at: 2026-11-17T09:14:00+08:00\n"
		"name: 李某\n"
		"phone: \"138 0000 0001\"\n"
		"respondent: 某某餐厅\n"
		"subject: 餐厅卫生问题\n"
		"description: |\n  两行\n  文字\n"
		"occurred: 2026-11-16\n"
		"count: 3\n"
		"ref: WO-1\n");
	assert_int_equal(fx->d.n, 0);
	assert_false(fx->in.bad);
	assert_string_equal(fx->c.channel, "phone");
	assert_string_equal(fx->c.subject, "餐厅卫生问题");
	assert_string_equal(fx->c.who.name, "李某");
	assert_string_equal(fx->c.who.phone, "138 0000 0001");
	assert_string_equal(fx->c.respondent, "某某餐厅");
	assert_string_equal(fx->c.description, "两行\n文字\n");
	assert_string_equal(fx->c.ref, "WO-1");
	assert_string_equal(fx->c.received_by, "wang.fang");
	assert_int_equal(fx->c.who.count, 3);
	assert_true(fx->c.has_occurred);
	assert_int_equal(fx->c.occurred_on.d, 16);
	assert_int_equal(fx->c.kind, KIND_COMPLAINT);
	assert_int_equal(fx->c.status, ST_RECEIVED);
	assert_int_equal(fx->c.received_at.t, 1794878040);
}

static void test_intake__no_contact_or_anonymous_is_a_report(void **state)
{
	struct fx *fx = *state;

	file_from(fx, "channel: web\nsubject: x\nphone: \"13800000001\"\n"
		"anonymous: true\n");
	assert_int_equal(fx->d.n, 0);
	assert_true(fx->c.who.anonymous);
	assert_int_equal(fx->c.kind, KIND_REPORT);
	/* received now when the form does not say */
	assert_int_equal(fx->c.received_at.t, NOW);
}

/* The document of tests/cli/t3104-intake.sh: every problem, each where
 * it is. */
static void test_intake__every_problem_at_its_line_and_column(void **state)
{
	struct fx *fx = *state;

	file_from(fx, "channel: telegraph\n"
		"received_at: 2099-01-01\n"
		"complainant:\n"
		"  name: 李某\n"
		"  phone: \"x\"\n"
		"  shoe: 42\n"
		"subject: \"\"\n"
		"count: zero\n"
		"colour: red\n"
		"received-at: 2026-11-01\n");
	assert_true(fx->in.bad);
	assert_int_equal(fx->d.n, 8);
	assert_message(fx, "form.yaml:1:10: 'channel': unknown channel");
	assert_message(fx, "form.yaml:2:14: 'received-at': is in the future");
	assert_message(fx, "form.yaml:5:10: 'phone': is not a phone number");
	assert_message(fx, "form.yaml:6:3: unknown field 'complainant.shoe'");
	assert_message(fx, "form.yaml:7:10: 'subject': is required");
	assert_message(fx, "form.yaml:8:8: 'count': is not a number of "
		"people from 1 to 100000");
	assert_message(fx, "form.yaml:9:1: unknown field 'colour'");
	assert_message(fx, "form.yaml:10:1: 'received-at' is given twice");
	/* --errors json: each message knows its field */
	assert_int_equal(fx->errs.n, 8);
	assert_string_equal(fx->errs.v[0].field, "complainant");
}

static void test_intake__wrong_types(void **state)
{
	struct fx *fx = *state;

	file_from(fx, "channel: web\n"
		"subject: [a, b]\n"
		"anonymous: maybe\n"
		"complainant: 李某\n"
		"attach: [{a: b}]\n"
		"attachments: []\n");
	assert_message(fx, "form.yaml:2:10: 'subject': must be text, not ");
	assert_message(fx, "form.yaml:3:12: 'anonymous': must be true or "
		"false");
	assert_message(fx, "form.yaml:4:14: 'complainant' must be a mapping");
	assert_message(fx, "form.yaml:5:9: 'attach': must list file names");
	assert_message(fx, "form.yaml:6:1: 'attachments' of a case file "
		"cannot be filed again");
}

static void test_intake__not_a_mapping(void **state)
{
	struct fx *fx = *state;

	file_from(fx, "- channel: web\n");
	assert_true(fx->in.bad);
	assert_int_equal(fx->d.n, 3);
	assert_message(fx, "form.yaml:1:1: expected a mapping of field names "
		"to values, found ");
}

static void test_intake__bad_text(void **state)
{
	struct fx *fx = *state;
	struct sb long_name = SB_INIT;
	struct sb text = SB_INIT;
	size_t i;

	for (i = 0; i <= LIM_NAME; i++)
		sb_addc(&long_name, 'x');
	sb_addf(&text, "channel: web\n"
		"subject: \"a\\tb\"\n"
		"respondent: %s\n", long_name.buf);
	file_from(fx, text.buf);
	assert_int_equal(fx->d.n, 2);
	assert_message(fx, "form.yaml:2:10: 'subject': contains a line break "
		"or control character");
	assert_message(fx, "form.yaml:3:13: 'respondent': is too long (the "
		"limit is 200 bytes)");
	sb_release(&text);
	sb_release(&long_name);
}

/* What YAML cannot carry, the command line can. */
static void test_intake__bad_text_on_the_command_line(void **state)
{
	struct fx *fx = *state;
	struct strlist attach = STRLIST_INIT;
	const char *cli[I__COUNT] = { 0 };

	cli[I_CHANNEL] = "web";
	cli[I_SUBJECT] = "x";
	cli[I_LOCATION] = "\xff";
	cli[I_DESCRIPTION] = "one\ntwo\a";
	cli[I_NAME] = "two\nlines";
	fx->in.from_file = NULL;
	intake_take_cli(&fx->in, cli, 0, &attach);
	intake_build(&fx->env, &fx->in, &fx->c);
	assert_int_equal(fx->d.n, 3);
	assert_message(fx, "--location: is not valid UTF-8 text");
	assert_message(fx, "--description: contains a control character");
	assert_message(fx, "--name: contains a line break or control "
		"character");
}

static void test_intake__attach_needs_a_directory(void **state)
{
	struct fx *fx = *state;

	file_from(fx, "channel: web\nsubject: x\nattach: /etc/passwd\n");
	assert_true(fx->in.bad);
	assert_message(fx, "form.yaml:3:9: 'attach': '/etc/passwd': a --from "
		"document cannot name a local file");
}

/* Options: the option is named; a missing channel or subject too. */
static void test_intake__command_line_values(void **state)
{
	struct fx *fx = *state;
	struct strlist attach = STRLIST_INIT;
	const char *cli[I__COUNT] = { 0 };

	cli[I_PHONE] = "12";
	cli[I_EMAIL] = "nobody";
	cli[I_OCCURRED] = "2099-01-01";
	cli[I_RECEIVED_AT] = "yesterday";
	fx->in.from_file = NULL;
	intake_take_cli(&fx->in, cli, 0, &attach);
	intake_build(&fx->env, &fx->in, &fx->c);
	assert_message(fx, "--channel: is required: how the case arrived "
		"(e.g. --channel phone)");
	assert_message(fx, "--subject: is required: one line saying what the "
		"case is about");
	assert_message(fx, "--phone: is not a phone number to call back");
	assert_message(fx, "--email: is not an email address");
	assert_message(fx, "--occurred: is in the future");
	assert_message(fx, "--received-at: is not a time like");
	assert_int_equal(fx->d.n, 6);
}

/* A phone number typed into the channel box is not repeated. */
static void test_intake__digits_never_quoted(void **state)
{
	struct fx *fx = *state;

	file_from(fx, "channel: \"13800000001\"\nsubject: x\n");
	assert_int_equal(fx->d.n, 1);
	assert_null(strstr(fx->d.msg[0], "13800000001"));
	assert_message(fx, "form.yaml:1:10: 'channel': ");
}

/* A case as show or export gives it is filed again: its derived keys
 * are ignored, its spellings of the fields taken. */
static void test_intake__whole_case_files_again(void **state)
{
	struct fx *fx = *state;

	file_from(fx, "id: 2026-000001\n"
		"kind: report\n"
		"status: closed\n"
		"subject: again\n"
		"channel: phone\n"
		"received_at: 2026-11-17T09:14:00+08:00\n"
		"received_by: zhang.wei\n"
		"complainant: {name: 李某, phone: \"13800000001\"}\n"
		"events:\n"
		"  - {at: 2026-11-17T09:14:00+08:00, by: zhang.wei, "
		"action: file}\n");
	assert_int_equal(fx->d.n, 0);
	assert_int_equal(fx->c.status, ST_RECEIVED);
	assert_string_equal(fx->c.received_by, "wang.fang");
	assert_int_equal(fx->c.kind, KIND_COMPLAINT);
}

static void test_intake__status_refused_in_a_form(void **state)
{
	struct fx *fx = *state;

	file_from(fx, "channel: web\nstatus: closed\nsubject: x\n");
	assert_message(fx, "form.yaml:2:1: unknown field 'status'");
}

static void test_intake__parse_streams_and_empty_input(void **state)
{
	struct fx *fx = *state;
	const char *two = "channel: web\nsubject: a\n---\nchannel: web\n"
		"subject: b\n";
	struct ynode **none = NULL;
	size_t nnone = 0;

	assert_int_equal(intake_parse(&fx->docs, &fx->ndocs, two,
		strlen(two), "form.yaml", &fx->d), 0);
	assert_int_equal(fx->ndocs, 2);
	assert_int_equal(fx->d.n, 0);
	/* nothing to file: refused, saying why */
	assert_int_equal(intake_parse(&none, &nnone, "", 0, "empty.yaml",
		&fx->d), ERR_INVALID);
	assert_int_equal(nnone, 0);
	assert_int_equal(fx->d.n, 1);
	free(none);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)
		T(test_intake__good_form_becomes_the_case),
		T(test_intake__no_contact_or_anonymous_is_a_report),
		T(test_intake__every_problem_at_its_line_and_column),
		T(test_intake__wrong_types),
		T(test_intake__not_a_mapping),
		T(test_intake__bad_text),
		T(test_intake__bad_text_on_the_command_line),
		T(test_intake__attach_needs_a_directory),
		T(test_intake__command_line_values),
		T(test_intake__digits_never_quoted),
		T(test_intake__whole_case_files_again),
		T(test_intake__status_refused_in_a_form),
		T(test_intake__parse_streams_and_empty_input),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
