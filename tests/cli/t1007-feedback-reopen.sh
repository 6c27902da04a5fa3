#!/bin/sh
test_description='docket feedback and reopen: the return visit and the review'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# --- tests -----------------------------------------------------------------

test_expect_success 'setup: a case assigned 2026-09-28 and closed 10-20' '
	setup_store s &&
	new_case s 2026-09-28 assigned >id &&
	run_at s 2026-10-20T16:00:00 sun.li close 2026-000001 \
		--outcome resolved --summary 商家已退货 --notified phone \
		--satisfaction satisfied &&
	test "$(case_get s 2026-000001 status)" = closed
'

test_expect_success 'feedback sets the satisfaction in one commit' '
	before=$(commit_count s) &&
	run_at s 2026-10-22T10:00:00 li.na feedback 2026-000001 \
		--satisfaction dissatisfied --comment "赔偿金额不足" >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	test "$(case_get s 2026-000001 status)" = closed &&
	test "$(case_get s 2026-000001 closure.satisfaction)" = dissatisfied &&
	test "$(case_get s 2026-000001 closure.outcome)" = resolved &&
	cat >expect <<-\EOT &&
	{"action": "feedback", "at": "2026-10-22T10:00:00+08:00", "by": "li.na", "comment": "赔偿金额不足", "satisfaction": "dissatisfied"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	last_commit s >msg &&
	test_grep "^feedback 2026-000001: 复合肥结块$" msg &&
	test_grep "^Action: feedback$" msg &&
	test_grep "^Actor: li.na$" msg
'

test_expect_success 'the latest feedback wins; the assignee may record it' '
	run_at s 2026-10-23T10:00:00 sun.li feedback 2026-000001 \
		--satisfaction neutral &&
	test "$(case_get s 2026-000001 closure.satisfaction)" = neutral &&
	cat >expect <<-\EOT &&
	{"action": "feedback", "at": "2026-10-23T10:00:00+08:00", "by": "sun.li", "satisfaction": "neutral"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	assert_clean s
'

test_expect_success 'feedback by intake or another department is refused' '
	expect_refusal --code 1 s "zhang.wei. may not record feedback on case 2026-000001: only triage, a supervisor, its assignee or a member of its department may" \
		docket --as zhang.wei feedback 2026-000001 --satisfaction satisfied &&
	expect_refusal --code 1 s "qian.hao. may not record feedback" \
		docket --as qian.hao feedback 2026-000001 --satisfaction satisfied
'

test_expect_success 'feedback wants a known level' '
	expect_refusal --code 1 s "unknown satisfaction level .ok.; it is one of: satisfied \(满意\), fairly-satisfied \(较满意\), neutral \(一般\), dissatisfied \(不满意\), unreachable \(无法联系\)" \
		docket --as li.na feedback 2026-000001 --satisfaction ok &&
	expect_refusal --code 2 s "--satisfaction is required" \
		docket --as li.na feedback 2026-000001 --comment 好 &&
	test_grep "^usage: docket feedback ID --satisfaction LEVEL \[--comment TEXT\]$" err &&
	expect_refusal --code 1 s "--comment: must not be empty" \
		docket --as li.na feedback 2026-000001 --satisfaction satisfied \
		--comment ""
'

test_expect_success 'feedback on an open case is refused, naming its status' '
	new_case s 2026-10-12 assigned >open-id &&
	expect_refusal --code 1 s "case $(cat open-id) is assigned, which does not allow .feedback." \
		docket --as li.na feedback "$(cat open-id)" --satisfaction satisfied
'

test_expect_success 'feedback on a rejected case is refused' '
	new_case s 2026-10-12 >id &&
	run_at s 2026-10-12T10:00:00 chen.jing triage "$(cat id)" \
		--reject out-of-scope &&
	cp id rejected-id &&
	expect_refusal --code 1 s "case $(cat id) is rejected, which does not allow .feedback." \
		docket --as li.na feedback "$(cat id)" --satisfaction satisfied
'

test_expect_success 'reopen sends the case back to its handlers' '
	# Reopened Mon 10-26: resolve is 15 working days from then, 11-16.
	before=$(commit_count s) &&
	run_at s 2026-10-26T09:00:00 chen.jing reopen 2026-000001 \
		--reason "投诉人不满意，申请复核" >out 2>err &&
	test_must_be_empty out &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	test "$(case_get s 2026-000001 assignee)" = sun.li &&
	test "$(case_get s 2026-000001 department)" = soil-station &&
	! case_get s 2026-000001 closure 2>/dev/null &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-11-16T23:59:59+08:00 &&
	test "$(case_get s 2026-000001 due.feedback)" = 2026-10-08T23:59:59+08:00 &&
	cat >expect <<-\EOT &&
	{"action": "reopen", "at": "2026-10-26T09:00:00+08:00", "by": "chen.jing", "reason": "投诉人不满意，申请复核"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	test "$(case_get s 2026-000001 events.3.action)" = close &&
	last_commit s >msg &&
	test_grep "^reopen 2026-000001: 复合肥结块$" msg &&
	test_grep "^Action: reopen$" msg
'

test_expect_success 'feedback on the reopened case is refused until it closes again' '
	expect_refusal --code 1 s "case 2026-000001 is assigned, which does not allow .feedback." \
		docket --as li.na feedback 2026-000001 --satisfaction satisfied
'

test_expect_success 'the reopened case is on its new deadline: a hold moves it' '
	run_at s 2026-10-27T09:00:00 sun.li hold 2026-000001 --reason 复检 &&
	run_at s 2026-10-29T09:00:00 sun.li resume 2026-000001 2>err &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-11-18T23:59:59+08:00
'

test_expect_success 'the reopened case closes again with a fresh closure' '
	run_at s 2026-11-10T15:00:00 sun.li close 2026-000001 \
		--outcome mediated --summary 追加赔偿，双方和解 --notified phone &&
	cat >expect <<-\EOT &&
	{"at": "2026-11-10T15:00:00+08:00", "by": "sun.li", "notified": {"at": "2026-11-10T15:00:00+08:00", "via": "phone"}, "on_time": "true", "outcome": "mediated", "summary": "追加赔偿，双方和解"}
	EOT
	case_get s 2026-000001 closure >actual &&
	test_cmp expect actual &&
	run_at s 2026-11-12T10:00:00 li.na feedback 2026-000001 \
		--satisfaction fairly-satisfied &&
	test "$(case_get s 2026-000001 closure.satisfaction)" = fairly-satisfied &&
	assert_clean s
'

test_expect_success 'a reopened case closed late needs --late-reason against the new deadline' '
	new_case s 2026-09-28 assigned >id &&
	run_at s 2026-10-09T10:00:00 sun.li close "$(cat id)" --outcome resolved \
		--summary 已处理 --notified phone &&
	run_at s 2026-10-12T10:00:00 li.na reopen "$(cat id)" --reason 复核 &&
	test "$(case_get s "$(cat id)" due.resolve)" = 2026-11-02T23:59:59+08:00 &&
	export DOCKET_NOW=2026-11-03T10:00:00+08:00 &&
	expect_refusal --code 1 s "1 working day past its resolve deadline 2026-11-02T23:59:59\+08:00" \
		docket --as sun.li close "$(cat id)" --outcome resolved --summary 已处理
'

test_expect_success 'reopen needs the triage or supervisor role' '
	run_at s 2026-11-12T11:00:00 sun.li close "$(cat open-id)" \
		--outcome resolved --summary 已处理 --late-reason 积压 \
		--notified phone 2>err &&
	expect_refusal --code 1 s "sun.li. may not reopen cases: that needs the triage or supervisor role" \
		docket --as sun.li reopen "$(cat open-id)" --reason 复核 &&
	expect_refusal --code 1 s "zhang.wei. may not reopen cases" \
		docket --as zhang.wei reopen "$(cat open-id)" --reason 复核
'

test_expect_success 'reopen of an open or rejected case is refused, naming its status' '
	new_case s 2026-11-12 assigned >id &&
	expect_refusal --code 1 s "case $(cat id) is assigned, which does not allow .reopen." \
		docket --as chen.jing reopen "$(cat id)" --reason 复核 &&
	expect_refusal --code 1 s "case $(cat rejected-id) is rejected, which does not allow .reopen." \
		docket --as chen.jing reopen "$(cat rejected-id)" --reason 复核
'

test_expect_success 'reopen of a merged duplicate points to the case it went into' '
	new_case s 2026-11-12 >id &&
	run_at s 2026-11-12T10:00:00 chen.jing merge "$(cat id)" --into 2026-000001 &&
	expect_refusal --code 1 s "case $(cat id) is closed as merged into 2026-000001; reopen 2026-000001 instead" \
		docket --as chen.jing reopen "$(cat id)" --reason 复核
'

test_expect_success 'reopen without --reason is a usage error' '
	expect_refusal --code 2 s "--reason is required" \
		docket --as chen.jing reopen 2026-000001 &&
	test_grep "^usage: docket reopen ID --reason TEXT$" err &&
	expect_refusal --code 1 s "--reason: must not be empty" \
		docket --as chen.jing reopen 2026-000001 --reason ""
'

test_expect_success 'reopen of a case that does not exist is refused' '
	expect_refusal --code 1 s "case .2026-000999. not found" \
		docket --as chen.jing reopen 2026-000999 --reason 复核
'

test_done
