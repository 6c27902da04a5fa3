/*
 * test_case.c - the case model: ids and the paths built from them, staff
 * ids, statuses and kinds, events and their fields.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "case.h"

static const char *const good_ids[] = {
	"2026-000123", "2026-000000", "2026-999999", "1970-000001",
	"9999-000001", "HZ-2026-000123", "A-2026-000001", "X1-2026-000001",
	"ABCDEFGH-2026-000001", "12345678-2026-000001",
};

static const char *const bad_ids[] = {
	"", "../../etc/passwd", "../2026-000123", "2026-000123/../x",
	"cases/2026/000/2026-000123", "2026-12345", "2026-0001234",
	"hz-2026-000001", "Hz-2026-000001", "1969-000001", "0000-000001",
	"26-000123", "20261-000123", "2026_000123", "2026000123",
	"2026-00012a", "2026-000123 ", " 2026-000123", "2026-000123\n",
	"2026-000123.yaml", "-2026-000123", "HZ--2026-000123",
	"HZ_2026-000123", "H.Z-2026-000123", "ABCDEFGHI-2026-000001",
	"HZ-2026-", "HZ-", "2026-", "-000123", "２０２６-000123",
	"李-2026-000123", "HZ/2026-000123", "2026-+00123", "2026- 00123",
};

static void test_case__id_valid_accepts_the_documented_forms(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good_ids); i++) {
		if (!case_id_valid(good_ids[i]))
			print_message("refused '%s'\n", good_ids[i]);
		assert_true(case_id_valid(good_ids[i]));
	}
}

static void test_case__id_valid_refuses_everything_else(void **state)
{
	char longid[200];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_ids); i++) {
		if (case_id_valid(bad_ids[i]))
			print_message("accepted '%s'\n", bad_ids[i]);
		assert_false(case_id_valid(bad_ids[i]));
	}
	assert_false(case_id_valid(NULL));
	memset(longid, 'A', sizeof(longid));
	strcpy(longid + sizeof(longid) - 13, "-2026-000001");
	assert_false(case_id_valid(longid));
	memset(longid, '1', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	assert_false(case_id_valid(longid));
}

static void test_case__id_split_gives_prefix_year_and_sequence(void **state)
{
	char prefix[16];
	int year = 0;
	long seq = 0;

	(void)state;
	assert_int_equal(case_id_split("2026-000123", prefix, &year, &seq), 0);
	assert_string_equal(prefix, "");
	assert_int_equal(year, 2026);
	assert_int_equal(seq, 123);
	assert_int_equal(case_id_split("HZ-2027-001234", prefix, &year, &seq),
		0);
	assert_string_equal(prefix, "HZ");
	assert_int_equal(year, 2027);
	assert_int_equal(seq, 1234);
	assert_int_equal(case_id_split("ABCDEFGH-1970-999999", prefix, &year,
		&seq), 0);
	assert_string_equal(prefix, "ABCDEFGH");
	assert_int_equal(year, 1970);
	assert_int_equal(seq, 999999);
	/* the outputs are optional */
	assert_int_equal(case_id_split("2026-000001", NULL, NULL, NULL), 0);
	assert_int_equal(case_id_split("../../etc/passwd", prefix, &year,
		&seq), ERR_INVALID);
	assert_int_equal(case_id_split("1969-000001", prefix, &year, &seq),
		ERR_INVALID);
	assert_int_equal(case_id_split("hz-2026-000001", prefix, &year, &seq),
		ERR_INVALID);
}

static void test_case__id_make_builds_valid_ids_only(void **state)
{
	char id[CASE_ID_BUFSZ];

	(void)state;
	assert_int_equal(case_id_make(id, "", 2026, 123), 0);
	assert_string_equal(id, "2026-000123");
	assert_int_equal(case_id_make(id, NULL, 2026, 1), 0);
	assert_string_equal(id, "2026-000001");
	assert_int_equal(case_id_make(id, "HZ", 2026, 123), 0);
	assert_string_equal(id, "HZ-2026-000123");
	assert_int_equal(case_id_make(id, "", 2026, 999999), 0);
	assert_string_equal(id, "2026-999999");
	assert_int_equal(case_id_make(id, "", 2026, 1000000), ERR_INVALID);
	assert_int_equal(case_id_make(id, "", 2026, -1), ERR_INVALID);
	assert_int_equal(case_id_make(id, "", 1969, 1), ERR_INVALID);
	assert_int_equal(case_id_make(id, "", 10000, 1), ERR_INVALID);
	assert_int_equal(case_id_make(id, "hz", 2026, 1), ERR_INVALID);
	assert_int_equal(case_id_make(id, "../..", 2026, 1), ERR_INVALID);
	assert_int_equal(case_id_make(id, "ABCDEFGHI", 2026, 1), ERR_INVALID);
	assert_int_equal(case_id_make(id, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
		"AAAAAAAAAAAAAAAAAAAA", 2026, 1), ERR_INVALID);
	/* what it makes, split gives back */
	{
		char prefix[16];
		int year;
		long seq;

		assert_int_equal(case_id_make(id, "Z9", 2031, 4567), 0);
		assert_int_equal(case_id_split(id, prefix, &year, &seq), 0);
		assert_string_equal(prefix, "Z9");
		assert_int_equal(year, 2031);
		assert_int_equal(seq, 4567);
	}
}

static void test_case__path_puts_a_thousand_cases_per_folder(void **state)
{
	static const struct {
		const char *id, *dir, *path;
	} table[] = {
		{ "2026-000123", "cases/2026/000",
		  "cases/2026/000/2026-000123.yaml" },
		{ "2026-000999", "cases/2026/000",
		  "cases/2026/000/2026-000999.yaml" },
		{ "2026-001000", "cases/2026/001",
		  "cases/2026/001/2026-001000.yaml" },
		{ "2026-001234", "cases/2026/001",
		  "cases/2026/001/2026-001234.yaml" },
		{ "2027-999999", "cases/2027/999",
		  "cases/2027/999/2027-999999.yaml" },
		{ "HZ-2026-000123", "cases/2026/000",
		  "cases/2026/000/HZ-2026-000123.yaml" },
		{ "ABCDEFGH-9999-123456", "cases/9999/123",
		  "cases/9999/123/ABCDEFGH-9999-123456.yaml" },
	};
	char buf[CASE_PATH_BUFSZ];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(table); i++) {
		assert_int_equal(case_path(buf, table[i].id), 0);
		assert_string_equal(buf, table[i].path);
		assert_int_equal(case_dir(buf, table[i].id), 0);
		assert_string_equal(buf, table[i].dir);
	}
}

static void test_case__path_refuses_ids_that_could_escape(void **state)
{
	char buf[CASE_PATH_BUFSZ];
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(bad_ids); i++) {
		assert_int_equal(case_path(buf, bad_ids[i]), ERR_INVALID);
		assert_int_equal(case_dir(buf, bad_ids[i]), ERR_INVALID);
	}
	assert_int_equal(case_path(buf, NULL), ERR_INVALID);
	assert_int_equal(case_dir(buf, NULL), ERR_INVALID);
}

/* Where scans, the index and the mend of dropped files look for cases. */
static void test_case__file_path_is_year_folder_name(void **state)
{
	(void)state;
	assert_true(case_file_path("cases/2026/000/2026-000001.yaml"));
	assert_true(case_file_path("cases/2026/001/HZ-2026-001234.yaml"));
	assert_false(case_file_path("cases/2026/2026-000001.yaml"));
	assert_false(case_file_path("cases/2026/000/x/2026-000001.yaml"));
	assert_false(case_file_path("cases/2026//2026-000001.yaml"));
	assert_false(case_file_path("cases/2026/000/.hidden.yaml"));
	assert_false(case_file_path("cases/2026/000/notes.txt"));
	assert_false(case_file_path("attachments/2026/000/a.yaml"));
}

static void test_case__plain_id_valid(void **state)
{
	static const char *const good[] = {
		"zhang.wei", "property-office", "phone", "a", "0", "x_1",
		"soil-station", "wang.fang2", "2nd-office", "a.b_c-d",
	};
	static const char *const bad[] = {
		"", "Zhang", "zhang wei", ".hidden", "-x", "_x", "a/b",
		"../x", "李某", "a\n", "a\tb", "a:b", "a@b", "ZHANG", "x y",
		"café",
	};
	size_t i;

	(void)state;
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		if (!plain_id_valid(good[i]))
			print_message("refused '%s'\n", good[i]);
		assert_true(plain_id_valid(good[i]));
	}
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		if (plain_id_valid(bad[i]))
			print_message("accepted '%s'\n", bad[i]);
		assert_false(plain_id_valid(bad[i]));
	}
	assert_false(plain_id_valid(NULL));
}

static struct ts ts_at(int64_t t)
{
	struct ts ts = { t, 480 };

	return ts;
}

static void test_case__event_fields_are_set_replaced_and_read(void **state)
{
	char *const who[] = { "wang.fang", "li.na" };
	char *const one[] = { "x" };
	struct dcase c;
	struct event *e;
	const struct event_field *f;

	(void)state;
	case_init(&c);
	e = case_add_event(&c, ts_at(1000), "zhang.wei", "file");
	assert_int_equal(c.nevents, 1);
	assert_string_equal(e->by, "zhang.wei");
	assert_string_equal(e->action, "file");
	assert_int_equal(e->at.t, 1000);
	assert_int_equal(e->nf, 0);
	assert_null(event_get(e, "decision"));
	assert_null(event_field(e, "decision"));

	e = case_add_event(&c, ts_at(2000), "chen.jing", "triage");
	event_set(e, "decision", "accept");
	event_set(e, "category", "property/elevator");
	event_set(e, "decision", "reject");	/* replaces, keeps its place */
	assert_int_equal(e->nf, 2);
	assert_string_equal(e->f[0].key, "decision");
	assert_string_equal(e->f[1].key, "category");
	assert_string_equal(event_get(e, "decision"), "reject");
	assert_string_equal(event_get(e, "category"), "property/elevator");

	/* a list replaces a scalar of the same key, and back */
	event_set_list(e, "decision", who, 2);
	assert_int_equal(e->nf, 2);
	assert_null(event_get(e, "decision"));
	f = event_field(e, "decision");
	assert_non_null(f);
	assert_true(f->is_list);
	assert_int_equal(f->nlist, 2);
	assert_string_equal(f->list[0], "wang.fang");
	assert_string_equal(f->list[1], "li.na");
	assert_ptr_not_equal(f->list[0], who[0]);	/* copied */
	event_set_list(e, "decision", one, 1);
	assert_int_equal(event_field(e, "decision")->nlist, 1);
	event_set(e, "decision", "accept");
	assert_string_equal(event_get(e, "decision"), "accept");
	assert_false(event_field(e, "decision")->is_list);
	/* an empty list is still a list */
	event_set_list(e, "files", NULL, 0);
	assert_int_equal(e->nf, 3);
	assert_true(event_field(e, "files")->is_list);
	assert_int_equal(event_field(e, "files")->nlist, 0);
	assert_null(event_get(e, "files"));

	/* earlier events are kept as they were */
	assert_int_equal(c.nevents, 2);
	assert_string_equal(c.events[0].action, "file");
	assert_int_equal(c.events[0].nf, 0);
	assert_int_equal(c.events[1].at.t, 2000);
	case_release(&c);
	assert_int_equal(c.nevents, 0);
	assert_null(c.events);
	case_release(&c);	/* twice is harmless */
	case_release(NULL);
}

static void test_case__statuses_and_kinds_parse_their_names(void **state)
{
	static const char *const names[] = {
		"received", "pending-info", "accepted", "assigned", "on-hold",
		"closed", "rejected",
	};
	enum case_status st = ST_RECEIVED;
	enum case_kind k = KIND_COMPLAINT;
	int i;

	(void)state;
	assert_int_equal(ARRAY_SIZE(names), ST__COUNT);
	for (i = 0; i < ST__COUNT; i++) {
		assert_string_equal(case_status_name((enum case_status)i),
			names[i]);
		assert_int_equal(case_status_parse(&st, names[i]), 0);
		assert_int_equal(st, i);
	}
	assert_null(case_statuses[ST__COUNT]);
	assert_int_equal(case_status_parse(&st, "Closed"), ERR_INVALID);
	assert_int_equal(case_status_parse(&st, "open"), ERR_INVALID);
	assert_int_equal(case_status_parse(&st, "closed "), ERR_INVALID);
	assert_int_equal(case_status_parse(&st, "pending_info"), ERR_INVALID);
	assert_int_equal(case_status_parse(&st, ""), ERR_INVALID);
	assert_int_equal(st, ST_REJECTED);	/* untouched on failure */

	assert_int_equal(case_kind_parse(&k, "report"), 0);
	assert_int_equal(k, KIND_REPORT);
	assert_string_equal(case_kind_name(k), "report");
	assert_int_equal(case_kind_parse(&k, "complaint"), 0);
	assert_int_equal(k, KIND_COMPLAINT);
	assert_string_equal(case_kind_name(k), "complaint");
	assert_int_equal(case_kind_parse(&k, "Complaint"), ERR_INVALID);
	assert_int_equal(case_kind_parse(&k, "petition"), ERR_INVALID);
	assert_int_equal(case_kind_parse(&k, ""), ERR_INVALID);
	assert_true(str_in("merged", case_outcomes));
	assert_true(str_in("mediation-failed", case_outcomes));
	assert_false(str_in("fixed", case_outcomes));
	assert_true(str_in("unreachable", case_satisfactions));
	assert_false(str_in(NULL, case_satisfactions));
}

static void test_case__only_closed_and_rejected_are_not_open(void **state)
{
	(void)state;
	assert_true(case_status_open(ST_RECEIVED));
	assert_true(case_status_open(ST_PENDING_INFO));
	assert_true(case_status_open(ST_ACCEPTED));
	assert_true(case_status_open(ST_ASSIGNED));
	assert_true(case_status_open(ST_ON_HOLD));
	assert_false(case_status_open(ST_CLOSED));
	assert_false(case_status_open(ST_REJECTED));
}

static void test_case__field_names_follow_the_canonical_order(void **state)
{
	static const char *const order[] = {
		"id", "kind", "status", "subject", "channel", "ref", "received_at",
		"received_by", "complainant", "collective", "respondent",
		"location",
		"occurred_on", "description", "request", "category",
		"priority", "department", "co_departments", "assignee", "due",
		"related", "attachments", "closure", "events",
	};
	size_t i;

	(void)state;
	assert_int_equal(ARRAY_SIZE(order), F__COUNT);
	for (i = 0; i < F__COUNT; i++)
		assert_string_equal(case_field_names[i], order[i]);
	assert_string_equal(due_names[DUE_ACK], "ack");
	assert_string_equal(due_names[DUE_FEEDBACK], "feedback");
	assert_string_equal(due_names[DUE_RESOLVE], "resolve");
}

static void test_case__string_helpers(void **state)
{
	struct dcase c;

	(void)state;
	case_init(&c);
	assert_int_equal(c.who.count, 1);
	assert_int_equal(c.closure.on_time, -1);
	set_str(&c.subject, "路灯不亮");
	assert_string_equal(c.subject, "路灯不亮");
	set_str(&c.subject, c.subject);	/* copying onto itself is safe */
	assert_string_equal(c.subject, "路灯不亮");
	set_str(&c.subject, NULL);
	assert_null(c.subject);
	strv_add_unique(&c.related, &c.nrelated, "2026-000001");
	strv_add_unique(&c.related, &c.nrelated, "2026-000002");
	strv_add_unique(&c.related, &c.nrelated, "2026-000001");
	assert_int_equal(c.nrelated, 2);
	assert_string_equal(c.related[1], "2026-000002");
	case_release(&c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_case__id_valid_accepts_the_documented_forms),
		cmocka_unit_test(test_case__id_valid_refuses_everything_else),
		cmocka_unit_test(test_case__id_split_gives_prefix_year_and_sequence),
		cmocka_unit_test(test_case__id_make_builds_valid_ids_only),
		cmocka_unit_test(test_case__path_puts_a_thousand_cases_per_folder),
		cmocka_unit_test(test_case__path_refuses_ids_that_could_escape),
		cmocka_unit_test(test_case__file_path_is_year_folder_name),
		cmocka_unit_test(test_case__plain_id_valid),
		cmocka_unit_test(test_case__event_fields_are_set_replaced_and_read),
		cmocka_unit_test(test_case__statuses_and_kinds_parse_their_names),
		cmocka_unit_test(test_case__only_closed_and_rejected_are_not_open),
		cmocka_unit_test(test_case__field_names_follow_the_canonical_order),
		cmocka_unit_test(test_case__string_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
