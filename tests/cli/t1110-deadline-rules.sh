#!/bin/sh
test_description='deadline rules name their start and ceiling: resolve {within, from, max, extend}; extend past the count, the length or the ceiling is refused unless --override; the insurer, eldercare and labour templates'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# The 2026 calendar of the templates: Sep 25-27 and Oct 1-7 holidays,
# Sun Sep 20 and Sat Oct 10 make-up working days; Jun 19-21 holidays.
test_expect_success 'config: a wrong start or extension count is named with its place' '
	setup_store bad &&
	sed -i "s/^  resolve: 15wd$/  resolve: {within: 15wd, from: filed, extend: {max: x}}/" bad/docket.yaml &&
	(cd bad && test_must_fail docket check) 2>err &&
	test_grep "docket.yaml:[0-9]*:[0-9]*: .*unknown start .filed. in .deadlines.resolve.from." err &&
	test_grep "docket.yaml:[0-9]*:[0-9]*: .*deadlines.resolve.extend.max. must be a number" err
'

test_expect_success 'insurer: received Fri 09-18, accepted Mon 09-21 as complex: 30 days from receipt end Sun 10-18, so Mon 10-19' '
	docket init ins --template insurance >/dev/null &&
	run_at ins 2026-09-18T09:00:00 lin.hui file --channel hotline \
		--phone 13900000001 --subject 理赔拖延 --respondent 理赔部 >id &&
	run_at ins 2026-09-21T10:00:00 guo.yan triage 2026-000001 --accept \
		--category claims --priority complex 2>/dev/null &&
	test "$(case_get ins 2026-000001 due.resolve)" = 2026-10-19T23:59:59+08:00
'

test_expect_success 'insurer: extend --by 30d would end 11-18, past the 60-day ceiling 11-17: refused, nothing changes' '
	export DOCKET_NOW=2026-10-12T10:00:00+08:00 &&
	expect_refusal ins "past the ceiling 2026-11-17T23:59:59\+08:00.*--to 2026-11-17" \
		docket --as shao.gang extend 2026-000001 --by 30d --reason 情况特别复杂 &&
	expect_refusal ins "at its ceiling|ceiling" \
		docket --as guo.yan assign 2026-000001 --to mo.jun --due 2026-11-20
'

test_expect_success 'insurer: extend without --by takes the rule (30d) and stops at the ceiling 11-17' '
	run_at ins 2026-10-12T10:00:00 shao.gang extend 2026-000001 \
		--reason 情况特别复杂 &&
	test "$(case_get ins 2026-000001 due.resolve)" = 2026-11-17T23:59:59+08:00 &&
	last_event ins 2026-000001 >ev &&
	test_grep "\"previous\": \"2026-10-19T23:59:59+08:00\"" ev &&
	! test_grep extend_by ev &&
	! test_grep override ev &&
	run_at ins 2026-10-12T11:00:00 guo.yan show 2026-000001 --format text >out &&
	test_grep "^Ceiling: *2026-11-17T23:59:59+08:00$" out &&
	test_grep "^Extended: *1 of 1$" out
'

test_expect_success 'insurer: a second extension is refused and changes nothing, even to a date within the ceiling' '
	export DOCKET_NOW=2026-10-13T10:00:00+08:00 &&
	expect_refusal ins "extended 1 time; its rules allow 1.*--override" \
		docket --as shao.gang extend 2026-000001 --by 1d --reason 再延 &&
	expect_refusal ins "may not extend" \
		docket --as guo.yan extend 2026-000001 --by 1d --override --reason 再延
'

test_expect_success 'insurer: a supervisor overrides with the reason; the event says so and show counts it' '
	run_at ins 2026-10-13T10:00:00 shao.gang extend 2026-000001 --by 3d \
		--override --reason 监管部门同意延期 &&
	test "$(case_get ins 2026-000001 due.resolve)" = 2026-11-20T23:59:59+08:00 &&
	last_event ins 2026-000001 >ev &&
	test_grep "\"override\": \"true\"" ev &&
	test_grep "\"reason\": \"监管部门同意延期\"" ev &&
	run_at ins 2026-10-13T11:00:00 guo.yan show 2026-000001 --format text >out &&
	test_grep "^Extended: *2 of 1 (1 override)$" out
'

test_expect_success 'eldercare: a Friday phone complaint (09-11) accepted Monday (09-14) is due within a week of the complaint: Fri 09-18' '
	docket init eld --template eldercare >/dev/null &&
	run_at eld 2026-09-11T16:00:00 ye.qing file --channel phone \
		--phone 13900000002 --subject 夜间护理不到位 --respondent 护理部 >id &&
	run_at eld 2026-09-14T09:00:00 ye.qing triage 2026-000001 --accept \
		--category care 2>/dev/null &&
	test "$(case_get eld 2026-000001 due.resolve)" = 2026-09-18T23:59:59+08:00
'

test_expect_success 'labour: accepted Tue 05-12, 60 working days (Jun 19 a holiday) end Wed 08-05; the one extension of 30wd ends Wed 09-16' '
	docket init lab --template labour-inspection >/dev/null &&
	run_at lab 2026-05-11T09:00:00 liu.fang file --channel visit \
		--phone 13900000003 --subject 拖欠工资 --respondent 某建筑公司 >id &&
	run_at lab 2026-05-12T09:00:00 yang.zhi triage 2026-000001 --accept \
		--category wages 2>/dev/null &&
	test "$(case_get lab 2026-000001 due.resolve)" = 2026-08-05T23:59:59+08:00 &&
	export DOCKET_NOW=2026-07-20T09:00:00+08:00 &&
	expect_refusal lab "at most 30wd.*2026-09-16" \
		docket --as han.xue extend 2026-000001 --by 40wd --reason 案情复杂 &&
	run_at lab 2026-07-20T09:00:00 han.xue extend 2026-000001 --reason 案情复杂 &&
	test "$(case_get lab 2026-000001 due.resolve)" = 2026-09-16T23:59:59+08:00 &&
	last_event lab 2026-000001 >ev &&
	test_grep "\"extend_by\": \"30wd\"" ev
'

test_expect_success 'labour: the single extension cannot be repeated' '
	export DOCKET_NOW=2026-09-01T09:00:00+08:00 &&
	expect_refusal lab "extended 1 time; its rules allow 1" \
		docket --as han.xue extend 2026-000001 --by 30wd --reason 仍需调查
'

test_expect_success 'from: assigned counts from the routing: accepted Mon 09-28, assigned Wed 09-30, 15wd end Tue 10-27 (not Fri 10-23)' '
	setup_store asg &&
	sed -i "s/^  resolve: 15wd$/  resolve: {within: 15wd, from: assigned}/" asg/docket.yaml &&
	git -C asg commit -q -a -m "from assigned" &&
	new_case asg 2026-09-28 accepted >id &&
	test "$(case_get asg 2026-000001 due.resolve)" = 2026-10-23T23:59:59+08:00 &&
	run_at asg 2026-09-30T10:00:00 chen.jing assign 2026-000001 --to sun.li &&
	test "$(case_get asg 2026-000001 due.resolve)" = 2026-10-27T23:59:59+08:00
'

test_expect_success 'a store without limits extends as before: any number, --by required' '
	setup_store old &&
	new_case old 2026-09-28 assigned >id &&
	export DOCKET_NOW=2026-09-29T09:00:00+08:00 &&
	expect_refusal --code 2 old "give one of --by" \
		docket --as chen.jing extend 2026-000001 --reason 复杂 &&
	run_at old 2026-09-29T09:00:00 chen.jing extend 2026-000001 --by 5wd --reason 复杂 &&
	run_at old 2026-09-29T10:00:00 chen.jing extend 2026-000001 --by 5wd --reason 复杂 &&
	run_at old 2026-09-29T11:00:00 chen.jing show 2026-000001 --format text >out &&
	test_grep "^Extended: *2$" out &&
	! test_grep "^Ceiling:" out
'

test_done
