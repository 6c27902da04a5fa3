#!/bin/sh
test_description='a stopped clock is never overdue: show, list --overdue, remind and report agree'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# Cases filed Mon 2026-09-28: ack 09-29, feedback 10-08, resolve 10-23.
test_expect_success 'setup: one case running, one on hold, one waiting for material, all past a deadline on 10-26' '
	setup_store s &&
	new_case s 2026-09-28 assigned >id1 &&
	new_case s 2026-09-28 assigned >id2 &&
	new_case s 2026-09-28 need-info >id3 &&
	run_at s 2026-10-20T09:00:00 sun.li hold 2026-000002 --reason 送检 &&
	test "$(case_get s 2026-000002 status)" = on-hold &&
	test "$(case_get s 2026-000003 status)" = pending-info
'

test_expect_success 'list --overdue shows only the running case' '
	run_at s 2026-10-26T09:00:00 chen.jing list --overdue --format ids >out &&
	echo 2026-000001 >expect &&
	test_cmp expect out
'

test_expect_success 'remind reminds only the running case' '
	run_at s 2026-10-26T09:00:00 chen.jing remind --dry-run --format json >out &&
	test_grep 2026-000001 out &&
	! test_grep 2026-000002 out &&
	! test_grep 2026-000003 out
'

test_expect_success 'show marks the held case (clock stopped), the running one (overdue)' '
	run_at s 2026-10-26T09:00:00 chen.jing show 2026-000002 --format text >out &&
	test_grep "(clock stopped)" out &&
	! test_grep "(overdue)" out &&
	run_at s 2026-10-26T09:00:00 chen.jing show 2026-000001 --format text >out &&
	test_grep "resolve.*(overdue)" out
'

test_expect_success 'report: overdue_at_end counts only the running case (October, to 11-01)' '
	run_at s 2026-11-02T09:00:00 chen.jing report --month 2026-10 --format json >r.json &&
	/usr/bin/python3 -c "import json,sys; d=json.load(open(\"r.json\")); sys.exit(not (d[\"overdue_at_end\"] == 1 and d[\"open_at_end\"] == 3))"
'

test_expect_success 'after resume the held case runs again: resolve 10-23 moved 5 working days to 10-30' '
	run_at s 2026-10-27T09:00:00 sun.li resume 2026-000002 2>err &&
	test "$(case_get s 2026-000002 due.resolve)" = 2026-10-30T23:59:59+08:00 &&
	run_at s 2026-10-27T10:00:00 chen.jing show 2026-000002 --format text >out &&
	test_grep "resolve.*2026-10-30T23:59:59+08:00$" out &&
	run_at s 2026-11-02T10:00:00 chen.jing show 2026-000002 --format text >out &&
	test_grep "resolve.*2026-10-30T23:59:59+08:00 (overdue)" out
'

test_done
