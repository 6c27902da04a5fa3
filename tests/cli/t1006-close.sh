#!/bin/sh
test_description='docket close: outcome, closure block, late closing and withdrawal'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# --- tests -----------------------------------------------------------------

test_expect_success 'setup: cases accepted and assigned Mon 2026-09-28' '
	setup_store s &&
	new_case s 2026-09-28 assigned >id1 &&
	new_case s 2026-09-28 assigned >id2 &&
	echo 2026-000002 >expect &&
	test_cmp expect id2 &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-23T23:59:59+08:00
'

test_expect_success 'close writes the closure block and one commit' '
	before=$(commit_count s) &&
	run_at s 2026-10-20T16:00:00 sun.li close 2026-000001 \
		--outcome resolved --summary "商家已退货并赔偿" --notified phone \
		--satisfaction satisfied >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	test "$(case_get s 2026-000001 status)" = closed &&
	cat >expect <<-\EOT &&
	{"at": "2026-10-20T16:00:00+08:00", "by": "sun.li", "notified": {"at": "2026-10-20T16:00:00+08:00", "via": "phone"}, "on_time": "true", "outcome": "resolved", "satisfaction": "satisfied", "summary": "商家已退货并赔偿"}
	EOT
	case_get s 2026-000001 closure >actual &&
	test_cmp expect actual &&
	cat >expect <<-\EOT &&
	{"action": "close", "at": "2026-10-20T16:00:00+08:00", "by": "sun.li", "notified": "phone", "on_time": "true", "outcome": "resolved", "satisfaction": "satisfied"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	last_commit s >msg &&
	test_grep "^close 2026-000001: 复合肥结块$" msg &&
	test_grep "^Action: close$" msg &&
	test_grep "^Actor: sun.li$" msg
'

test_expect_success 'close keeps the deadlines and meets them (feedback late: no contact before 10-20)' '
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-23T23:59:59+08:00 &&
	test "$(case_get s 2026-000001 due.feedback)" = 2026-10-08T23:59:59+08:00 &&
	docket -C s --as chen.jing show 2026-000001 --format text >show &&
	test_grep "resolve   2026-10-23T23:59:59+08:00 (met)" show &&
	test_grep "feedback  2026-10-08T23:59:59+08:00 (met late)" show
'

test_expect_success 'a close after the resolve deadline needs --late-reason' '
	export DOCKET_NOW=2026-10-27T10:00:00+08:00 &&
	expect_refusal --code 1 s "case 2026-000002 is 2 working days past its resolve deadline 2026-10-23T23:59:59\+08:00; say why with --late-reason TEXT" \
		docket --as sun.li \
		close 2026-000002 --outcome resolved --summary 已处理
'

test_expect_success 'late by a weekend only is still late' '
	export DOCKET_NOW=2026-10-24T10:00:00+08:00 &&
	expect_refusal --code 1 s "past its resolve deadline 2026-10-23T23:59:59\+08:00 \(by less than a working day\)" \
		docket --as sun.li \
		close 2026-000002 --outcome resolved --summary 已处理
'

test_expect_success 'a late close with its reason records on_time false' '
	before=$(commit_count s) &&
	run_at s 2026-10-27T10:00:00 sun.li close 2026-000002 \
		--outcome mediated --summary 双方达成调解协议 \
		--late-reason "检测机构出具报告延迟" --notified phone &&
	test "$(commit_count s)" = $((before + 1)) &&
	test "$(case_get s 2026-000002 closure.on_time)" = false &&
	test "$(case_get s 2026-000002 closure.outcome)" = mediated &&
	test "$(case_get s 2026-000002 closure.notified.via)" = phone &&
	! case_get s 2026-000002 closure.satisfaction 2>/dev/null &&
	cat >expect <<-\EOT &&
	{"action": "close", "at": "2026-10-27T10:00:00+08:00", "by": "sun.li", "late_reason": "检测机构出具报告延迟", "notified": "phone", "on_time": "false", "outcome": "mediated"}
	EOT
	last_event s 2026-000002 >actual &&
	test_cmp expect actual &&
	assert_clean s
'

test_expect_success 'an on-time close ignores --late-reason with a warning' '
	new_case s 2026-09-28 assigned >id &&
	run_at s 2026-10-12T10:00:00 zhao.lei close "$(cat id)" \
		--outcome unfounded --summary 经查不属实 --late-reason 无 \
		--notified letter 2>err &&
	test_grep "warning: case $(cat id) is not late" err &&
	test "$(case_get s "$(cat id)" closure.on_time)" = true &&
	last_event s "$(cat id)" >actual &&
	! grep -q late_reason actual
'

test_expect_success 'an accepted case handled on the spot closes too' '
	new_case s 2026-10-12 accepted >id &&
	run_at s 2026-10-12T10:30:00 chen.jing close "$(cat id)" \
		--outcome resolved --summary 当场答复 --notified visit &&
	test "$(case_get s "$(cat id)" status)" = closed &&
	test "$(case_get s "$(cat id)" closure.on_time)" = true &&
	test "$(case_get s "$(cat id)" closure.notified.via)" = visit &&
	assert_clean s
'

test_expect_success 'withdrawn closes a received case, without on_time' '
	new_case s 2026-10-12 >id &&
	run_at s 2026-10-12T11:00:00 chen.jing close "$(cat id)" \
		--outcome withdrawn --summary 投诉人撤回投诉 &&
	test "$(case_get s "$(cat id)" status)" = closed &&
	test "$(case_get s "$(cat id)" closure.outcome)" = withdrawn &&
	! case_get s "$(cat id)" closure.on_time 2>/dev/null &&
	cat >expect <<-\EOT &&
	{"action": "close", "at": "2026-10-12T11:00:00+08:00", "by": "chen.jing", "outcome": "withdrawn"}
	EOT
	last_event s "$(cat id)" >actual &&
	test_cmp expect actual
'

test_expect_success 'withdrawn closes a pending-info case' '
	new_case s 2026-10-12 need-info >id &&
	run_at s 2026-10-13T11:00:00 chen.jing close "$(cat id)" \
		--outcome withdrawn --summary 投诉人不再补充材料 &&
	test "$(case_get s "$(cat id)" status)" = closed &&
	assert_clean s
'

test_expect_success 'withdrawn on hold counts the held days before judging lateness' '
	# Held from Tue 09-29; withdrawn Tue 10-27, after the 10-23 deadline
	# but the clock stood still for the 16 working days in (09-29, 10-27],
	# so resolve moves to Mon 11-16 and the close is on time.
	new_case s 2026-09-28 assigned >id &&
	run_at s 2026-09-29T09:00:00 sun.li hold "$(cat id)" --reason 送检 &&
	run_at s 2026-10-27T10:00:00 sun.li close "$(cat id)" \
		--outcome withdrawn --summary 投诉人撤回 &&
	test "$(case_get s "$(cat id)" status)" = closed &&
	test "$(case_get s "$(cat id)" due.resolve)" = 2026-11-16T23:59:59+08:00 &&
	test "$(case_get s "$(cat id)" closure.on_time)" = true
'

test_expect_success 'close --outcome merged or rejected points to the right command' '
	new_case s 2026-10-12 assigned >id &&
	echo "$(cat id)" >open-id &&
	expect_refusal --code 1 s "--outcome merged is not set by close: .*docket merge ID --into OTHER" \
		docket --as sun.li close "$(cat id)" --outcome merged --summary x &&
	expect_refusal --code 1 s "--outcome rejected is not set by close: .*docket triage ID --reject REASON" \
		docket --as sun.li close "$(cat id)" --outcome rejected --summary x
'

test_expect_success 'an unknown outcome is refused with the list' '
	expect_refusal --code 1 s "unknown outcome .fixed. \(resolved, mediated, mediation-failed, referred, unfounded, withdrawn\)" \
		docket --as sun.li close "$(cat open-id)" --outcome fixed --summary x
'

test_expect_success 'a bad --satisfaction or --notified is refused' '
	expect_refusal --code 1 s "unknown satisfaction level .happy." \
		docket --as sun.li close "$(cat open-id)" --outcome resolved \
		--summary x --satisfaction happy &&
	expect_refusal --code 1 s "--notified: .by phone. is neither a channel of docket.yaml nor a plain word" \
		docket --as sun.li close "$(cat open-id)" --outcome resolved \
		--summary x --notified "by phone"
'

test_expect_success 'close without --outcome or --summary is a usage error' '
	expect_refusal --code 2 s "--outcome is required" \
		docket --as sun.li close "$(cat open-id)" --summary x &&
	test_grep "^usage: docket close ID --outcome OUTCOME --summary TEXT" err &&
	expect_refusal --code 2 s "--summary is required" \
		docket --as sun.li close "$(cat open-id)" --outcome resolved &&
	expect_refusal --code 1 s "--summary: must not be empty" \
		docket --as sun.li close "$(cat open-id)" --outcome resolved \
		--summary ""
'

test_expect_success 'close of a received case is refused, naming its status' '
	new_case s 2026-10-12 >id &&
	expect_refusal --code 1 s "case $(cat id) is received, which does not allow .close.; from received it allows: .*close --outcome withdrawn" \
		docket --as chen.jing close "$(cat id)" --outcome resolved --summary x
'

test_expect_success 'close of a case on hold is refused, naming on-hold' '
	run_at s 2026-10-13T09:00:00 sun.li hold "$(cat open-id)" --reason 送检 &&
	expect_refusal --code 1 s "is on-hold, which does not allow .close.; from on-hold it allows: .*resume" \
		docket --as sun.li close "$(cat open-id)" --outcome resolved --summary x
'

test_expect_success 'close of a closed or rejected case is refused' '
	expect_refusal --code 1 s "case 2026-000001 is closed, which does not allow .close --outcome withdrawn." \
		docket --as sun.li close 2026-000001 --outcome withdrawn --summary x &&
	new_case s 2026-10-12 >id &&
	run_at s 2026-10-12T10:00:00 chen.jing triage "$(cat id)" \
		--reject out-of-scope &&
	expect_refusal --code 1 s "is rejected, which does not allow .close." \
		docket --as chen.jing close "$(cat id)" --outcome resolved --summary x
'

test_expect_success 'close by someone outside the case is refused' '
	run_at s 2026-10-14T09:00:00 sun.li resume "$(cat open-id)" 2>err &&
	expect_refusal --code 1 s "qian.hao. may not close case $(cat open-id)" \
		docket --as qian.hao close "$(cat open-id)" --outcome resolved --summary x &&
	expect_refusal --code 1 s "zhang.wei. may not close case" \
		docket --as zhang.wei close "$(cat open-id)" --outcome resolved --summary x &&
	expect_refusal --code 1 s "li.na. may not close case" \
		docket --as li.na close "$(cat open-id)" --outcome resolved --summary x
'

test_expect_success 'close of a case that does not exist is refused' '
	expect_refusal --code 1 s "case .2026-000999. not found" \
		docket --as chen.jing close 2026-000999 --outcome resolved --summary x
'

test_done
