#!/bin/sh
test_description='one case through its whole life: file, triage, assign, note, hold/resume, close, feedback, reopen, close'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# step N: the store has N commits and a clean work tree
step () {
	test "$(commit_count s)" = "$1" &&
	assert_clean s &&
	last_commit s >"$TRASH_DIRECTORY/msg" &&
	test_grep "^Action: $2$" "$TRASH_DIRECTORY/msg" &&
	test_grep "^Case: 2026-000001$" "$TRASH_DIRECTORY/msg"
}

# due KIND: the case's deadline
due () {
	case_get s 2026-000001 "due.$1"
}

# --- tests -----------------------------------------------------------------

test_expect_success 'setup: a store with staff and the 2026 calendar' '
	setup_store s &&
	test "$(commit_count s)" = 2
'

test_expect_success 'file (Mon 2026-09-28 09:00): received, ack and feedback set' '
	run_at s 2026-09-28T09:00:00 zhang.wei file --channel visit \
		--name 王某 --phone 13912345678 --respondent 某农资店 \
		--subject 复合肥结块 --request 退货赔偿 >id &&
	echo 2026-000001 >expect &&
	test_cmp expect id &&
	step 3 file &&
	test "$(case_get s 2026-000001 status)" = received &&
	test "$(due ack)" = 2026-09-29T23:59:59+08:00 &&
	test "$(due feedback)" = 2026-10-08T23:59:59+08:00 &&
	! due resolve 2>/dev/null
'

test_expect_success 'triage --accept (10:00): accepted, resolve in 15 working days' '
	run_at s 2026-09-28T10:00:00 chen.jing triage 2026-000001 --accept \
		--category fertilizer 2>err &&
	step 4 triage &&
	test "$(case_get s 2026-000001 status)" = accepted &&
	test "$(due resolve)" = 2026-10-23T23:59:59+08:00
'

test_expect_success 'assign (11:00): assigned to sun.li of soil-station' '
	run_at s 2026-09-28T11:00:00 chen.jing assign 2026-000001 --to sun.li &&
	step 5 assign &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	test "$(case_get s 2026-000001 assignee)" = sun.li &&
	test "$(case_get s 2026-000001 department)" = soil-station
'

test_expect_success 'note --contact (15:00): the feedback deadline is met' '
	run_at s 2026-09-28T15:00:00 sun.li note 2026-000001 \
		"电话联系投诉人，约定现场查看" --contact phone &&
	step 6 note &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	docket -C s --as chen.jing show 2026-000001 --format text >show &&
	test_grep "ack       2026-09-29T23:59:59+08:00 (met)" show &&
	test_grep "feedback  2026-10-08T23:59:59+08:00 (met)" show &&
	! grep -q "resolve .*(met)" show
'

test_expect_success 'hold (Tue 09-29): on-hold, deadlines unchanged' '
	run_at s 2026-09-29T09:00:00 sun.li hold 2026-000001 \
		--reason "样品送农产品检测站检测" &&
	step 7 hold &&
	test "$(case_get s 2026-000001 status)" = on-hold &&
	test "$(due resolve)" = 2026-10-23T23:59:59+08:00
'

test_expect_success 'resume (Fri 10-09): resolve moves by 3 working days' '
	run_at s 2026-10-09T09:00:00 sun.li resume 2026-000001 2>err &&
	step 8 resume &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	test "$(due resolve)" = 2026-10-28T23:59:59+08:00 &&
	test "$(due feedback)" = 2026-10-08T23:59:59+08:00 &&
	test "$(due ack)" = 2026-09-29T23:59:59+08:00
'

test_expect_success 'close (Tue 10-27): closed on time' '
	run_at s 2026-10-27T16:00:00 sun.li close 2026-000001 \
		--outcome resolved --summary "检测不合格，商家退货并赔偿" \
		--notified phone --satisfaction fairly-satisfied &&
	step 9 close &&
	test "$(case_get s 2026-000001 status)" = closed &&
	test "$(case_get s 2026-000001 closure.outcome)" = resolved &&
	test "$(case_get s 2026-000001 closure.on_time)" = true &&
	test "$(case_get s 2026-000001 closure.notified.at)" = 2026-10-27T16:00:00+08:00 &&
	test "$(case_get s 2026-000001 closure.satisfaction)" = fairly-satisfied
'

test_expect_success 'feedback (Thu 10-29): the return visit finds the complainant dissatisfied' '
	run_at s 2026-10-29T10:00:00 li.na feedback 2026-000001 \
		--satisfaction dissatisfied --comment "赔偿未到账" &&
	step 10 feedback &&
	test "$(case_get s 2026-000001 status)" = closed &&
	test "$(case_get s 2026-000001 closure.satisfaction)" = dissatisfied
'

test_expect_success 'reopen (Mon 11-02): assigned again, resolve from the reopening' '
	run_at s 2026-11-02T09:00:00 chen.jing reopen 2026-000001 \
		--reason "回访不满意，复核" &&
	step 11 reopen &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	test "$(case_get s 2026-000001 assignee)" = sun.li &&
	! case_get s 2026-000001 closure 2>/dev/null &&
	test "$(due resolve)" = 2026-11-23T23:59:59+08:00
'

test_expect_success 'close again (Fri 11-20): a fresh closure, on time' '
	run_at s 2026-11-20T16:00:00 sun.li close 2026-000001 \
		--outcome mediated --summary "赔偿已到账，双方和解" --notified phone &&
	step 12 close &&
	cat >expect <<-\EOT &&
	{"at": "2026-11-20T16:00:00+08:00", "by": "sun.li", "notified": {"at": "2026-11-20T16:00:00+08:00", "via": "phone"}, "on_time": "true", "outcome": "mediated", "summary": "赔偿已到账，双方和解"}
	EOT
	case_get s 2026-000001 closure >actual &&
	test_cmp expect actual &&
	test "$(due resolve)" = 2026-11-23T23:59:59+08:00
'

test_expect_success 'the journal holds every step, each with its commit' '
	case_get s 2026-000001 events >events &&
	/usr/bin/python3 -c "import json,sys; [print(e[\"action\"], e[\"at\"], e[\"by\"]) for e in json.load(sys.stdin)]" <events >actual &&
	cat >expect <<-\EOT &&
	file 2026-09-28T09:00:00+08:00 zhang.wei
	triage 2026-09-28T10:00:00+08:00 chen.jing
	assign 2026-09-28T11:00:00+08:00 chen.jing
	note 2026-09-28T15:00:00+08:00 sun.li
	hold 2026-09-29T09:00:00+08:00 sun.li
	resume 2026-10-09T09:00:00+08:00 sun.li
	close 2026-10-27T16:00:00+08:00 sun.li
	feedback 2026-10-29T10:00:00+08:00 li.na
	reopen 2026-11-02T09:00:00+08:00 chen.jing
	close 2026-11-20T16:00:00+08:00 sun.li
	EOT
	test_cmp expect actual &&
	git -C s log --reverse --format="%(trailers:key=Action,valueonly)" \
		-- "$(case_path 2026-000001)" >log &&
	sed "/^$/d" log >actual &&
	cut -d" " -f1 expect >expect-actions &&
	test_cmp expect-actions actual
'

test_expect_success 'check finds nothing wrong with the store' '
	docket -C s --as chen.jing check >out 2>err &&
	test_must_be_empty err
'

test_done
