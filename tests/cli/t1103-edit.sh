#!/bin/sh
test_description='docket edit: audited corrections of a case, one event and one commit, shown by log and show; refusals change nothing'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

test_expect_success 'setup: a case assigned Mon 2026-09-28 (resolve 15wd: 10-23)' '
	setup_store s &&
	new_case s 2026-09-28 assigned >id &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-23T23:59:59+08:00
'

test_expect_success 'edit sets the respondent after 补充材料: one event with old and new, one commit' '
	before=$(commit_count s) &&
	run_at s 2026-10-09T10:00:00 sun.li edit 2026-000001 \
		--set respondent=某某农资有限公司 --reason 申请人补充材料 >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	test "$(case_get s 2026-000001 respondent)" = 某某农资有限公司 &&
	cat >expect <<-\EOT &&
	{"action": "edit", "at": "2026-10-09T10:00:00+08:00", "by": "sun.li", "reason": "申请人补充材料", "respondent": "某某农资有限公司", "respondent.old": "某农资店"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	last_commit s >msg &&
	test_grep "^edit 2026-000001: 复合肥结块$" msg &&
	test_grep "^Changed respondent: \"某农资店\" -> \"某某农资有限公司\"$" msg &&
	test_grep "^Action: edit$" msg &&
	test_grep "^Actor: sun.li$" msg
'

test_expect_success 'log and show list the correction' '
	run_at s 2026-10-09T11:00:00 sun.li log 2026-000001 >out &&
	test_grep "edit" out &&
	run_at s 2026-10-09T11:00:00 sun.li show 2026-000001 --format text >out &&
	test_grep "申请人补充材料" out &&
	test_grep "某某农资有限公司" out
'

test_expect_success 'a phone correction: in the file and event, never in the commit message' '
	run_at s 2026-10-09T12:00:00 chen.jing edit 2026-000001 \
		--set phone=13912345678 --set name=李四 --reason 回访核实 &&
	test "$(case_get s 2026-000001 complainant.phone)" = 13912345678 &&
	test "$(case_get s 2026-000001 complainant.name)" = 李四 &&
	last_event s 2026-000001 >ev &&
	test_grep "\"complainant.phone\": \"13912345678\"" ev &&
	test_grep "\"complainant.phone.old\": \"13900000000\"" ev &&
	git -C s log -1 --format=%B >msg &&
	test_grep "^Changed complainant.phone$" msg &&
	test_grep "^Changed complainant.name$" msg &&
	! test_grep "1391234\|1390000\|李四" msg
'

test_expect_success 'priority urgent recomputes the resolve deadline (3wd from acceptance 09-28: 10-08)' '
	cat >>s/docket.yaml <<-\EOF &&
	EOF
	sed -i "s/^  resolve: 15wd$/  resolve: 15wd\n  rules:\n    - when: {priority: urgent}\n      resolve: 3wd/" s/docket.yaml &&
	git -C s commit -q -a -m "urgent rule" &&
	new_case s 2026-09-28 assigned >id2 &&
	run_at s 2026-09-28T15:00:00 chen.jing edit 2026-000002 \
		--set priority=紧急 --reason 涉及人身安全 &&
	test "$(case_get s 2026-000002 priority)" = urgent &&
	test "$(case_get s 2026-000002 due.resolve)" = 2026-10-08T23:59:59+08:00
'

test_expect_success 'removing every contact makes the case a report (kind recorded in the event)' '
	run_at s 2026-10-09T13:00:00 chen.jing edit 2026-000002 \
		--set phone= --reason 号码为空号 &&
	test "$(case_get s 2026-000002 kind)" = report &&
	last_event s 2026-000002 >ev &&
	test_grep "\"kind\": \"report\"" ev
'

test_expect_success 'refusals change nothing: no reason, unknown field, twice, same value, bad values, blank subject' '
	expect_refusal --code 2 s "reason" docket --as chen.jing edit 2026-000001 \
		--set subject=新标题 &&
	expect_refusal --code 2 s "FIELD=VALUE" docket --as chen.jing edit 2026-000001 \
		--set colour=red --reason x &&
	expect_refusal --code 2 s "twice" docket --as chen.jing edit 2026-000001 \
		--set subject=a --set subject=b --reason x &&
	expect_refusal s "already" docket --as chen.jing edit 2026-000001 \
		--set respondent=某某农资有限公司 --reason x &&
	expect_refusal s "phone" docket --as chen.jing edit 2026-000001 \
		--set phone=110 --reason x &&
	expect_refusal s "occurred" docket --as chen.jing edit 2026-000001 \
		--set occurred=2026-13-01 --reason x &&
	expect_refusal s "count" docket --as chen.jing edit 2026-000001 \
		--set count=0 --reason x &&
	expect_refusal s "subject" docket --as chen.jing edit 2026-000001 \
		--set "subject= " --reason x &&
	expect_refusal s "category" docket --as chen.jing edit 2026-000001 \
		--set category=nonsense --reason x &&
	expect_refusal s "2026-000009" docket --as chen.jing edit 2026-000009 \
		--set subject=x --reason x
'

test_expect_success 'who may: not a handler of another department; a closed case only a supervisor' '
	expect_refusal s "qian.hao" docket --as qian.hao edit 2026-000001 \
		--set subject=新标题 --reason x &&
	run_at s 2026-10-12T10:00:00 sun.li close 2026-000001 --outcome resolved \
		--summary 已处理 --notified phone &&
	expect_refusal s "supervisor" docket --as sun.li edit 2026-000001 \
		--set subject=新标题 --reason x &&
	run_at s 2026-10-12T11:00:00 chen.jing edit 2026-000001 \
		--set subject=复合肥结块板结 --reason 规范标题 &&
	test "$(case_get s 2026-000001 subject)" = 复合肥结块板结
'

test_expect_success 'check accepts a store with corrections' '
	(cd s && docket --as chen.jing check) >out 2>err
'

test_expect_success 'completion offers the fields of --set' '
	(cd s && docket --complete edit 2026-000001 --set comp) >out &&
	test_grep "^complainant.phone=$" out &&
	(cd s && docket --complete ed) >out &&
	test_grep "^edit$" out
'

test_expect_success 'show in Chinese labels the corrected field and its old value' '
	(cd s && LC_ALL=zh_CN.UTF-8 docket --as chen.jing show 2026-000001 --format text) >out &&
	test_grep "主题（原）=复合肥结块" out
'

test_done
