#!/bin/sh
test_description='requests for material (补充材料): remind chases --info-due, a decision deadline after it arrives, rejecting or withdrawing when it never comes'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# The 2026 calendar: Oct 1-7 holidays, Sat Oct 10 a make-up working day.
test_expect_success 'setup: three cases filed Mon 2026-09-28, material asked for at 10:00' '
	setup_store s &&
	new_case s 2026-09-28 >id1 &&
	new_case s 2026-09-28 >id2 &&
	new_case s 2026-09-28 >id3 &&
	run_at s 2026-09-28T10:00:00 chen.jing triage 2026-000001 \
		--need-info 购买凭证 --info-due 2026-10-09 &&
	run_at s 2026-09-28T10:00:00 chen.jing triage 2026-000002 \
		--need-info 购买凭证 --info-due 5d &&
	run_at s 2026-09-28T10:00:00 chen.jing triage 2026-000003 \
		--need-info 身份证明 --info-due 2026-10-09 &&
	last_event s 2026-000002 >ev &&
	test_grep "\"info_due\": \"2026-10-08T23:59:59+08:00\"" ev
'

test_expect_success 'remind chases the material: due soon on 10-08 to the triage desk, overdue on 10-12' '
	run_at s 2026-10-08T09:00:00 chen.jing remind --dry-run --format json >r.json &&
	/usr/bin/python3 - r.json <<-\EOF
	import json, sys
	r = [(x["case"], x["deadline"], x["state"], x["due"], tuple(x["to"]))
	     for x in json.load(open(sys.argv[1]))]
	want = ("2026-000001", "info", "due-soon", "2026-10-09T23:59:59+08:00",
	        ("chen.jing", "li.na"))
	sys.exit(0 if want in r else "got %r" % (r,))
	EOF
	run_at s 2026-10-12T09:00:00 chen.jing remind --dry-run --format json >r.json &&
	/usr/bin/python3 - r.json <<-\EOF
	import json, sys
	r = [(x["case"], x["deadline"], x["state"], x["working_days"])
	     for x in json.load(open(sys.argv[1]))]
	sys.exit(0 if ("2026-000001", "info", "overdue", 2) in r else "got %r" % (r,))
	EOF
'

test_expect_success 'a case waiting for material is still not overdue for the office' '
	run_at s 2026-10-12T09:00:00 chen.jing list --overdue --format ids >out &&
	! test_grep 2026-000001 out
'

test_expect_success 'the material arrives Fri 10-09: a decision is due in 1wd, the make-up Saturday 10-10' '
	run_at s 2026-10-09T14:00:00 zhang.wei note 2026-000002 已收到购买凭证 \
		--info-received &&
	test "$(case_get s 2026-000002 due.decide)" = 2026-10-10T23:59:59+08:00 &&
	run_at s 2026-10-12T09:00:00 chen.jing list --overdue --format ids >out &&
	test_grep "^2026-000002$" out &&
	run_at s 2026-10-12T09:00:00 chen.jing remind --dry-run --format json >r.json &&
	test_grep "\"deadline\": \"decide\"" r.json
'

test_expect_success 'accepting meets it (late, shown so)' '
	run_at s 2026-10-12T10:00:00 chen.jing triage 2026-000002 --accept \
		--category fertilizer 2>/dev/null &&
	run_at s 2026-10-12T11:00:00 chen.jing show 2026-000002 --format text >out &&
	test_grep "decide *2026-10-10T23:59:59+08:00 (met late)$" out
'

test_expect_success 'rejecting as info-not-provided: refused before the date asked for, allowed after' '
	export DOCKET_NOW=2026-10-09T10:00:00+08:00 &&
	expect_refusal s "2026-10-09T23:59:59" docket --as chen.jing triage \
		2026-000001 --reject info-not-provided &&
	run_at s 2026-10-12T10:00:00 chen.jing triage 2026-000001 \
		--reject info-not-provided &&
	test "$(case_get s 2026-000001 status)" = rejected &&
	test "$(case_get s 2026-000001 closure.outcome)" = rejected
'

test_expect_success 'info-not-provided is only for a case waiting for material' '
	export DOCKET_NOW=2026-10-12T10:00:00+08:00 &&
	new_case s 2026-10-12 >id4 &&
	expect_refusal s "not waiting for material" docket --as chen.jing \
		triage "$(cat id4)" --reject info-not-provided
'

test_expect_success 'or the complainant withdraws: close --outcome withdrawn from pending-info' '
	run_at s 2026-10-12T11:00:00 chen.jing close 2026-000003 \
		--outcome withdrawn --summary 投诉人表示不再提供材料，撤回投诉 &&
	test "$(case_get s 2026-000003 status)" = closed
'

test_done
