#!/bin/sh
test_description='issue 14 bugs: deadline marks in show, assign --due DUR, 0d on a holiday, hours late, blank subject, short phone, unknown template, the holidays warning'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# Hand-worked on the 2026 calendar of DESIGN 5: Sep 25-27 and Oct 1-7
# are holidays, Sat Oct 10 a make-up working day.

test_expect_success 'setup: a case accepted and assigned Mon 2026-09-28 (resolve 10-23)' '
	setup_store s &&
	new_case s 2026-09-28 assigned >id &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-23T23:59:59+08:00
'

test_expect_success 'show --format text: a resolve deadline missed while open is (overdue)' '
	run_at s 2026-10-26T09:00:00 sun.li show 2026-000001 --format text >out &&
	test_grep "resolve.*2026-10-23T23:59:59+08:00 (overdue)" out &&
	! test_grep "2026-10-23T23:59:59+08:00 (met" out
'

test_expect_success 'show --format text: closed after it, the resolve deadline is (met late), never (met)' '
	run_at s 2026-10-26T10:00:00 sun.li close 2026-000001 \
		--outcome resolved --summary 已退货 --notified phone \
		--late-reason 等待检测结果 &&
	run_at s 2026-10-27T09:00:00 sun.li show 2026-000001 --format text >out &&
	test_grep "2026-10-23T23:59:59+08:00 (met late)" out &&
	! test_grep "2026-10-23T23:59:59+08:00 (met)" out &&
	test_grep "2026-09-29T23:59:59+08:00 (met)" out
'

test_expect_success 'show --format text: on hold past its deadline the clock is stopped, not overdue' '
	new_case s 2026-09-28 assigned >id2 &&
	run_at s 2026-10-09T09:00:00 sun.li hold 2026-000002 --reason 送检 &&
	run_at s 2026-10-09T10:00:00 sun.li show 2026-000002 --format text >out &&
	test_grep "(clock stopped)" out &&
	! test_grep "(overdue)" out
'

test_expect_success 'assign --due 7d: seven calendar days from assignment, off a holiday (Mon 09-28 -> 10-05 holiday -> 10-08)' '
	new_case s 2026-09-28 accepted >id3 &&
	run_at s 2026-09-28T11:00:00 chen.jing assign 2026-000003 --to sun.li \
		--due 7d 2>err &&
	test_must_be_empty err &&
	test "$(case_get s 2026-000003 due.resolve)" = 2026-10-08T23:59:59+08:00 &&
	last_event s 2026-000003 >ev &&
	test_grep "\"due\": \"2026-10-08T23:59:59+08:00\"" ev
'

test_expect_success 'assign --due 10wd counts working days (09-29, 09-30, 10-08..10 make-up Sat, 10-12..16); a bad duration is refused and changes nothing' '
	new_case s 2026-09-28 accepted >id4 2>/dev/null &&
	expect_refusal s "due: " docket --as chen.jing assign 2026-000004 \
		--to sun.li --due 7x &&
	expect_refusal s "due: " docket --as chen.jing assign 2026-000004 \
		--to sun.li --due 0d &&
	run_at s 2026-09-28T11:00:00 chen.jing assign 2026-000004 --to sun.li \
		--due 10wd &&
	test "$(case_get s 2026-000004 due.resolve)" = 2026-10-16T23:59:59+08:00
'

test_expect_success 'setup: a store whose ack is 0d and feedback 4h' '
	setup_store z &&
	sed -e "s/^  ack: 1wd/  ack: 0d/" -e "s/^  feedback: 3wd/  feedback: 4h/" \
		z/docket.yaml >z.yaml &&
	mv z.yaml z/docket.yaml &&
	git -C z commit -q -a -m "0d and 4h" &&
	test_grep "ack: 0d" z/docket.yaml
'

test_expect_success '0d received on a holiday (Thu 10-01) falls due on the next working day, 10-08' '
	run_at z 2026-10-01T09:00:00 zhang.wei file --channel phone \
		--phone 13900000001 --subject 化肥结块 >id &&
	test "$(case_get z 2026-000001 due.ack)" = 2026-10-08T23:59:59+08:00
'

test_expect_success '0d on the make-up Saturday 10-10 stays on it; on Sat 11-28 moves to Mon 11-30' '
	run_at z 2026-10-10T09:00:00 zhang.wei file --channel phone \
		--phone 13900000002 --subject 化肥结块 >id &&
	test "$(case_get z 2026-000002 due.ack)" = 2026-10-10T23:59:59+08:00 &&
	run_at z 2026-11-28T09:00:00 zhang.wei file --channel phone \
		--phone 13900000003 --subject 化肥结块 >id &&
	test "$(case_get z 2026-000003 due.ack)" = 2026-11-30T23:59:59+08:00
'

test_expect_success 'remind: a 4-hour deadline missed the same day is overdue by hours, not 0 working days' '
	run_at z 2026-11-30T09:00:00 zhang.wei file --channel phone \
		--phone 13900000004 --subject 化肥结块 >id &&
	test "$(case_get z 2026-000004 due.feedback)" = 2026-11-30T13:00:00+08:00 &&
	run_at z 2026-11-30T15:30:00 chen.jing remind --dry-run >out &&
	test_grep "2026-000004.*feedback.*overdue by 3 hours" out &&
	! test_grep "0 working days" out
'

test_expect_success 'agenda says the same: overdue by hours, not 0 working days' '
	run_at z 2026-11-30T15:30:00 chen.jing agenda >out &&
	test_grep "2026-000004.*overdue by 3 hours" out &&
	! test_grep "0 working days" out
'

test_expect_success 'remind on a holiday after the due day: overdue by hours (Wed 09-30 -> Fri 10-02 10:00: 35 h)' '
	setup_store h &&
	new_case h 2026-09-29 >id &&
	test "$(case_get h 2026-000001 due.ack)" = 2026-09-30T23:59:59+08:00 &&
	run_at h 2026-10-02T10:00:00 chen.jing remind --dry-run >out &&
	test_grep "2026-000001.*ack.*overdue by 35 hours" out &&
	! test_grep "0 working days" out &&
	run_at h 2026-10-08T10:00:00 chen.jing remind --dry-run >out &&
	test_grep "2026-000001.*ack.*overdue by 1 working day " out
'

test_expect_success 'a blank subject is refused (spaces, an ideographic space) and nothing is filed' '
	expect_refusal s "subject" docket --as zhang.wei file --channel phone \
		--phone 13900000009 --subject "   " &&
	expect_refusal s "subject" docket --as zhang.wei file --channel phone \
		--phone 13900000009 --subject "　" &&
	expect_refusal s "reason" docket --as chen.jing assign 2026-000002 \
		--to qian.hao --reason " "
'

test_expect_success 'a 3-digit phone is no way to call back: refused; 7 digits file a complaint' '
	expect_refusal s "phone" docket --as zhang.wei file --channel phone \
		--phone 110 --subject 化肥结块 &&
	expect_refusal s "phone" docket --as zhang.wei file --channel phone \
		--phone 123456 --subject 化肥结块 &&
	run_at s 2026-11-02T09:00:00 zhang.wei file --channel phone \
		--phone 5551234 --subject 化肥结块 >id &&
	test "$(case_get s "$(cat id)" kind)" = complaint
'

test_expect_success 'an unknown --template lists the templates there are' '
	test_must_fail docket init t1 --template no-such-office 2>err &&
	test_grep "no-such-office" err &&
	test_grep "agriculture" err &&
	test_grep "eldercare" err &&
	test_grep "insurance" err &&
	! test -e t1
'

test_expect_success 'the missing-holidays warning: once when a deadline is set in 2027, not on a later note' '
	new_case s 2026-12-21 >id5 &&
	run_at s 2026-12-21T10:00:00 chen.jing triage "$(cat id5)" --accept \
		--category fertilizer 2>err &&
	grep -c "no holidays for 2027" err >n &&
	test "$(cat n)" = 1 &&
	run_at s 2026-12-22T10:00:00 chen.jing note "$(cat id5)" 已电话核实 2>err &&
	test_must_be_empty err
'

test_expect_success 'a bulk intake across into 2027 warns once' '
	cat >bulk.yaml <<-\EOF &&
	{channel: phone, phone: "13900000101", subject: 种子不发芽, received-at: "2026-12-30 09:00"}
	---
	{channel: phone, phone: "13900000102", subject: 种子不发芽, received-at: "2026-12-30 09:10"}
	---
	{channel: phone, phone: "13900000103", subject: 种子不发芽, received-at: "2026-12-31 09:10"}
	EOF
	run_at s 2026-12-31T10:00:00 zhang.wei file --from ../bulk.yaml >ids 2>err &&
	test_line_count = 3 ids &&
	grep -c "no holidays for 2027" err >n &&
	test "$(cat n)" = 1
'

test_done
