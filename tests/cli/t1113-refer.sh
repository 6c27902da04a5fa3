#!/bin/sh
test_description='refer: a case sent outside (转办, escalation, 12345 return) with a due date for the answer; note --reply-from records it; the case stays open'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

test_expect_success 'setup: a case assigned Mon 2026-10-12, the complainant called back (no deadline of its own runs late before 11-02)' '
	setup_store s &&
	new_case s 2026-10-12 assigned >id &&
	run_at s 2026-10-12T14:00:00 sun.li note 2026-000001 已电话联系 --contact phone &&
	run_at s 2026-10-19T09:00:00 chen.jing list --overdue --format ids >ids &&
	test_must_be_empty ids
'

test_expect_success 'refer needs --to and --reason; a handler may not refer; nothing changes' '
	export DOCKET_NOW=2026-10-13T09:00:00+08:00 &&
	expect_refusal --code 2 s "--reason" docket --as chen.jing refer 2026-000001 --to 县市场监管局 &&
	expect_refusal --code 2 s "--to" docket --as chen.jing refer 2026-000001 --reason 职责 &&
	expect_refusal s "may not" docket --as sun.li refer 2026-000001 \
		--to 县市场监管局 --reason 属市场监管职责
'

test_expect_success 'refer to the county bureau, answer due in 5wd: Tue 10-20; the case stays assigned' '
	run_at s 2026-10-13T09:00:00 chen.jing refer 2026-000001 --to 县市场监管局 \
		--due 5wd --reason 涉及农资经营许可，属市场监管职责 &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	last_event s 2026-000001 >ev &&
	test_grep "\"action\": \"refer\"" ev &&
	test_grep "\"due\": \"2026-10-20T23:59:59+08:00\"" ev &&
	test_grep "\"to\": \"县市场监管局\"" ev &&
	run_at s 2026-10-14T09:00:00 chen.jing show 2026-000001 --format text >out &&
	test_grep "^Referred: *县市场监管局 on 2026-10-13, answer due 2026-10-20T23:59:59+08:00 (awaiting answer)$" out
'

test_expect_success 'past its due date the answer is overdue: list --overdue lists the case' '
	run_at s 2026-10-21T09:00:00 chen.jing show 2026-000001 --format text >out &&
	test_grep "answer due 2026-10-20T23:59:59+08:00 (overdue)$" out &&
	run_at s 2026-10-21T09:00:00 chen.jing list --overdue --format ids >ids &&
	test_grep "^2026-000001$" ids
'

test_expect_success 'note --reply-from a body the case never went to is refused and changes nothing' '
	export DOCKET_NOW=2026-10-21T10:00:00+08:00 &&
	expect_refusal s "not referred to .县公安局.*县市场监管局" docket --as sun.li \
		note 2026-000001 已回复 --reply-from 县公安局 &&
	new_case s 2026-10-12 assigned >id2 &&
	expect_refusal s "never referred" docket --as sun.li \
		note 2026-000002 已回复 --reply-from 县市场监管局
'

test_expect_success 'the answer arrives (late): show says so; the case is still open until closed' '
	run_at s 2026-10-21T11:00:00 sun.li note 2026-000001 "县市场监管局回函：已立案查处" \
		--reply-from 县市场监管局 &&
	last_event s 2026-000001 >ev &&
	test_grep "\"reply_from\": \"县市场监管局\"" ev &&
	run_at s 2026-10-21T12:00:00 chen.jing show 2026-000001 --format text >out &&
	test_grep "answer due 2026-10-20T23:59:59+08:00 (answered late)$" out &&
	test "$(case_get s 2026-000001 status)" = assigned
'

test_expect_success 'a closed case cannot be referred; nothing changes' '
	run_at s 2026-10-22T09:00:00 sun.li close 2026-000002 --outcome resolved \
		--summary 已处理 --notified phone &&
	export DOCKET_NOW=2026-10-22T10:00:00+08:00 &&
	expect_refusal s "only an open case" docket --as chen.jing refer 2026-000002 \
		--to 市委群众工作办公室 --reason 上报
'

test_done
