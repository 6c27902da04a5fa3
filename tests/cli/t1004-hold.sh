#!/bin/sh
test_description='docket hold and resume: stopping the clock while a case waits'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# --- tests -----------------------------------------------------------------

test_expect_success 'setup: an assigned case (accepted Mon 2026-09-28)' '
	setup_store s &&
	new_case s 2026-09-28 assigned >id &&
	echo 2026-000001 >expect &&
	test_cmp expect id &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-23T23:59:59+08:00 &&
	test "$(case_get s 2026-000001 due.feedback)" = 2026-10-08T23:59:59+08:00
'

test_expect_success 'hold puts the case on hold in one commit' '
	before=$(commit_count s) &&
	run_at s 2026-09-29T15:00:00 sun.li hold 2026-000001 \
		--reason "样品送检，等待检测报告" >out 2>err &&
	test_must_be_empty out &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	test "$(case_get s 2026-000001 status)" = on-hold &&
	cat >expect <<-\EOT &&
	{"action": "hold", "at": "2026-09-29T15:00:00+08:00", "by": "sun.li", "reason": "样品送检，等待检测报告"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	last_commit s >msg &&
	test_grep "^hold 2026-000001: 复合肥结块$" msg &&
	test_grep "^Case: 2026-000001$" msg &&
	test_grep "^Action: hold$" msg &&
	test_grep "^Actor: sun.li$" msg
'

test_expect_success 'while on hold the deadlines stay as they were' '
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-23T23:59:59+08:00 &&
	test "$(case_get s 2026-000001 due.feedback)" = 2026-10-08T23:59:59+08:00
'

test_expect_success 'hold on a case already on hold is refused' '
	expect_refusal --code 1 s "case 2026-000001 is on-hold, which does not allow .hold.; from on-hold it allows: .*resume" \
		docket --as sun.li hold 2026-000001 --reason again
'

test_expect_success 'resume moves unmet deadlines by the held working days' '
	# Held Tue 09-29 to Fri 10-09: (09-29, 10-09] holds 09-30, 10-08
	# and 10-09 as working days (10-01..07 are the National Day holidays).
	before=$(commit_count s) &&
	run_at s 2026-10-09T10:00:00 sun.li resume 2026-000001 >out 2>err &&
	test_must_be_empty out &&
	test_grep "held 3 working days" err &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-28T23:59:59+08:00 &&
	test "$(case_get s 2026-000001 due.feedback)" = 2026-10-12T23:59:59+08:00 &&
	test "$(case_get s 2026-000001 due.ack)" = 2026-09-29T23:59:59+08:00 &&
	cat >expect <<-\EOT &&
	{"action": "resume", "at": "2026-10-09T10:00:00+08:00", "by": "sun.li"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	last_commit s >msg &&
	test_grep "^Action: resume$" msg
'

test_expect_success 'resume on a case that is not on hold is refused' '
	expect_refusal --code 1 s "case 2026-000001 is assigned, which does not allow .resume.; from assigned it allows: .*hold" \
		docket --as sun.li resume 2026-000001
'

test_expect_success 'a second hold adds to the first' '
	# Held Mon 10-12 to Wed 10-14: 10-13 and 10-14, two more days.
	run_at s 2026-10-12T09:00:00 zhao.lei hold 2026-000001 \
		--reason 等待听证 &&
	run_at s 2026-10-14T17:00:00 zhao.lei resume 2026-000001 2>err &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-30T23:59:59+08:00 &&
	assert_clean s
'

test_expect_success 'a hold that ends the day it began moves nothing' '
	run_at s 2026-10-15T09:00:00 sun.li hold 2026-000001 --reason 鉴定 &&
	run_at s 2026-10-15T16:00:00 sun.li resume 2026-000001 2>err &&
	test_must_be_empty err &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-30T23:59:59+08:00
'

test_expect_success 'a met deadline does not move' '
	new_case s 2026-09-28 assigned >id &&
	id=$(cat id) &&
	run_at s 2026-09-28T14:00:00 sun.li note "$id" 已电话联系 --contact phone &&
	run_at s 2026-09-29T15:00:00 sun.li hold "$id" --reason 送检 &&
	run_at s 2026-10-09T10:00:00 sun.li resume "$id" 2>err &&
	test "$(case_get s "$id" due.feedback)" = 2026-10-08T23:59:59+08:00 &&
	test "$(case_get s "$id" due.resolve)" = 2026-10-28T23:59:59+08:00
'

test_expect_success 'hold needs an assigned case: accepted is refused' '
	new_case s 2026-09-28 accepted >id &&
	expect_refusal --code 1 s "is accepted, which does not allow .hold.; from accepted it allows: " \
		docket --as chen.jing hold "$(cat id)" --reason 送检
'

test_expect_success 'hold on a received case is refused, naming its status' '
	new_case s 2026-09-28 >id &&
	expect_refusal --code 1 s "case $(cat id) is received, which does not allow .hold." \
		docket --as chen.jing hold "$(cat id)" --reason 送检
'

test_expect_success 'hold without --reason is a usage error' '
	expect_refusal --code 2 s "--reason is required" \
		docket --as sun.li hold 2026-000001 &&
	test_grep "^usage: docket hold ID --reason TEXT$" err
'

test_expect_success 'hold with an empty reason is refused' '
	expect_refusal --code 1 s "--reason: must not be empty" \
		docket --as sun.li hold 2026-000001 --reason ""
'

test_expect_success 'hold by someone outside the case is refused' '
	expect_refusal --code 1 s "qian.hao. may not put on hold case 2026-000001" \
		docket --as qian.hao hold 2026-000001 --reason 送检 &&
	expect_refusal --code 1 s "zhang.wei. may not put on hold case 2026-000001" \
		docket --as zhang.wei hold 2026-000001 --reason 送检 &&
	expect_refusal --code 1 s "li.na. may not put on hold case 2026-000001" \
		docket --as li.na hold 2026-000001 --reason 送检
'

test_expect_success 'the department head and a supervisor may hold and resume' '
	run_at s 2026-10-16T09:00:00 zhao.lei hold 2026-000001 --reason 送检 &&
	run_at s 2026-10-16T10:00:00 chen.jing resume 2026-000001 &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	assert_clean s
'

test_expect_success 'resume by someone outside the case is refused' '
	run_at s 2026-10-19T09:00:00 sun.li hold 2026-000001 --reason 送检 &&
	expect_refusal --code 1 s "qian.hao. may not resume case 2026-000001" \
		docket --as qian.hao resume 2026-000001 &&
	run_at s 2026-10-19T10:00:00 sun.li resume 2026-000001
'

test_expect_success 'hold on a case that does not exist is refused' '
	expect_refusal --code 1 s "case .2026-000999. not found" \
		docket --as chen.jing hold 2026-000999 --reason 送检 &&
	expect_refusal --code 1 s "not a case id" \
		docket --as chen.jing hold ../../etc --reason 送检
'

test_expect_success 'resume with an extra argument is a usage error' '
	expect_refusal --code 2 s "unexpected argument" \
		docket --as sun.li resume 2026-000001 now
'

test_expect_success 'hold refuses a hand-edited case file' '
	echo "# edited" >>s/$(case_path 2026-000001) &&
	expect_refusal --code 1 s "$(case_path 2026-000001)" \
		docket --as sun.li hold 2026-000001 --reason 送检 &&
	git -C s checkout -- "$(case_path 2026-000001)" &&
	assert_clean s
'

test_done
