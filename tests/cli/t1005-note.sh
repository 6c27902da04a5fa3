#!/bin/sh
test_description='docket note: the progress and contact log, and the end of a wait for information'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# --- tests -----------------------------------------------------------------

test_expect_success 'setup: an assigned case (accepted Mon 2026-09-28)' '
	setup_store s &&
	new_case s 2026-09-28 assigned >id &&
	echo 2026-000001 >expect &&
	test_cmp expect id
'

test_expect_success 'note records the text in one commit and keeps the status' '
	before=$(commit_count s) &&
	run_at s 2026-09-28T14:00:00 sun.li note 2026-000001 \
		"到店查看，复合肥确有结块" >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	cat >expect <<-\EOT &&
	{"action": "note", "at": "2026-09-28T14:00:00+08:00", "by": "sun.li", "text": "到店查看，复合肥确有结块"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	last_commit s >msg &&
	test_grep "^note 2026-000001: 复合肥结块$" msg &&
	test_grep "^Action: note$" msg &&
	test_grep "^Actor: sun.li$" msg
'

test_expect_success 'a note without contact leaves the feedback deadline open' '
	# A hold from Tue 09-29 to Fri 10-09 (3 working days) moves it.
	run_at s 2026-09-29T09:00:00 sun.li hold 2026-000001 --reason 送检 &&
	run_at s 2026-10-09T09:00:00 sun.li resume 2026-000001 2>err &&
	test "$(case_get s 2026-000001 due.feedback)" = 2026-10-12T23:59:59+08:00
'

test_expect_success 'note --contact records the contact and meets the feedback deadline' '
	before=$(commit_count s) &&
	run_at s 2026-10-09T14:00:00 sun.li note 2026-000001 "电话告知调查进展" \
		--contact phone &&
	test "$(commit_count s)" = $((before + 1)) &&
	cat >expect <<-\EOT &&
	{"action": "note", "at": "2026-10-09T14:00:00+08:00", "by": "sun.li", "contact": "phone", "text": "电话告知调查进展"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	docket -C s --as chen.jing show 2026-000001 --format text >show &&
	test_grep "feedback  2026-10-12T23:59:59+08:00 (met)" show &&
	# a later stop no longer moves it; resolve still moves (10-13, 10-14)
	run_at s 2026-10-12T09:00:00 sun.li hold 2026-000001 --reason 听证 &&
	run_at s 2026-10-14T09:00:00 sun.li resume 2026-000001 2>err &&
	test "$(case_get s 2026-000001 due.feedback)" = 2026-10-12T23:59:59+08:00 &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-30T23:59:59+08:00
'

test_expect_success 'note - reads the text from standard input' '
	printf "第一行\n第二行\n\n" >text &&
	(cd s && DOCKET_NOW=2026-10-15T09:00:00+08:00 docket --as zhao.lei \
		note 2026-000001 - <../text) &&
	test "$(case_get s 2026-000001 events.9.text)" = "$(printf "第一行\n第二行")" &&
	assert_clean s
'

test_expect_success 'note works on an accepted, a closed and a rejected case' '
	new_case s 2026-10-15 accepted >id &&
	run_at s 2026-10-15T14:00:00 li.na note "$(cat id)" 现场答复 &&
	run_at s 2026-10-15T15:00:00 chen.jing close "$(cat id)" \
		--outcome resolved --summary 当场解决 --notified visit &&
	run_at s 2026-10-16T09:00:00 chen.jing note "$(cat id)" 回访未接通 \
		--contact phone &&
	test "$(case_get s "$(cat id)" status)" = closed &&
	new_case s 2026-10-15 >id2 &&
	run_at s 2026-10-15T10:00:00 chen.jing triage "$(cat id2)" \
		--reject out-of-scope &&
	# intake may note only while the case awaits triage
	expect_refusal --code 1 s "zhang.wei. may not add notes" \
		docket --as zhang.wei note "$(cat id2)" 已告知投诉人 &&
	run_at s 2026-10-15T11:00:00 li.na note "$(cat id2)" 已告知投诉人 \
		--contact visit &&
	test "$(case_get s "$(cat id2)" status)" = rejected &&
	assert_clean s
'

test_expect_success 'note --info-received ends a wait for information' '
	# Filed and asked for material Mon 09-28; the material arrives Fri
	# 10-09: (09-28, 10-09] holds 4 working days, so feedback 10-08
	# moves to Tue 10-13 (10-09, Sat 10-10 make-up day, 10-12, 10-13).
	new_case s 2026-09-28 need-info >id &&
	id=$(cat id) &&
	test "$(case_get s "$id" status)" = pending-info &&
	test "$(case_get s "$id" due.feedback)" = 2026-10-08T23:59:59+08:00 &&
	before=$(commit_count s) &&
	run_at s 2026-10-09T10:00:00 zhang.wei note "$id" 投诉人补交购买凭证 \
		--info-received &&
	test "$(commit_count s)" = $((before + 1)) &&
	test "$(case_get s "$id" status)" = received &&
	test "$(case_get s "$id" due.feedback)" = 2026-10-13T23:59:59+08:00 &&
	test "$(case_get s "$id" due.ack)" = 2026-09-29T23:59:59+08:00 &&
	cat >expect <<-EOT &&
	{"action": "note", "at": "2026-10-09T10:00:00+08:00", "by": "zhang.wei", "info_received": "true", "text": "投诉人补交购买凭证"}
	EOT
	last_event s "$id" >actual &&
	test_cmp expect actual &&
	assert_clean s &&
	run_at s 2026-10-09T11:00:00 chen.jing triage "$id" --accept \
		--category fertilizer 2>err &&
	test "$(case_get s "$id" status)" = accepted
'

test_expect_success 'note --info-received on a case not waiting is refused' '
	expect_refusal --code 1 s "case 2026-000001 is assigned, not pending-info" \
		docket --as sun.li note 2026-000001 到了 --info-received &&
	new_case s 2026-10-16 >id &&
	expect_refusal --code 1 s "case $(cat id) is received, not pending-info" \
		docket --as zhang.wei note "$(cat id)" 到了 --info-received
'

test_expect_success 'intake may note a case awaiting triage, not an assigned one' '
	new_case s 2026-10-16 need-info >id &&
	run_at s 2026-10-16T15:00:00 zhang.wei note "$(cat id)" 投诉人来电询问 \
		--contact phone &&
	expect_refusal --code 1 s "zhang.wei. may not add notes to case 2026-000001: only its assignee, a member of its department or of a co-handling one, triage or a supervisor may" \
		docket --as zhang.wei note 2026-000001 投诉人来电询问
'

test_expect_success 'note by a handler of another department is refused' '
	expect_refusal --code 1 s "qian.hao. may not add notes to case 2026-000001" \
		docket --as qian.hao note 2026-000001 看过了
'

test_expect_success 'note --contact wants a plain word' '
	expect_refusal --code 1 s "--contact: .Phone Call. is neither a channel of docket.yaml nor a plain word" \
		docket --as sun.li note 2026-000001 联系 --contact "Phone Call"
'

test_expect_success 'an empty note or one with control characters is refused' '
	expect_refusal --code 1 s "TEXT: must not be empty" \
		docket --as sun.li note 2026-000001 "" &&
	expect_refusal --code 1 s "control character" \
		docket --as sun.li note 2026-000001 "$(printf "bell\007")"
'

test_expect_success 'note without text or with two texts is a usage error' '
	expect_refusal --code 2 s "give the note.s text" \
		docket --as sun.li note 2026-000001 &&
	test_grep "^usage: docket note ID TEXT \[--contact VIA\] \[--info-received\] \[--reply-from BODY\] \[--attach FILE\]\.\.\.$" err &&
	expect_refusal --code 2 s "unexpected argument .b.; quote" \
		docket --as sun.li note 2026-000001 a b &&
	expect_refusal --code 2 s "which case" docket --as sun.li note
'

test_expect_success 'note on a case that does not exist is refused' '
	expect_refusal --code 1 s "case .2026-000999. not found" \
		docket --as sun.li note 2026-000999 看过了
'

test_done
