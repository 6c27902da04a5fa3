#!/bin/sh
test_description='docket assign: route (交办), transfer (转办) and return (退单)'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-triage.sh"

C1=$(case_path 2026-000001)
C2=$(case_path 2026-000002)

test_expect_success 'setup: two accepted cases and one just received' '
	docket_init_store s &&
	write_config s &&
	DOCKET_NOW=2026-11-02T09:00:00+08:00 docket -C s --as zhang.wei file \
		--channel phone --phone 13800000000 --subject 复合肥没有效果 >id &&
	DOCKET_NOW=2026-11-02T09:10:00+08:00 docket -C s --as zhang.wei file \
		--channel visit --phone 13900000000 --subject 假冒复合肥 >>id &&
	DOCKET_NOW=2026-11-02T09:20:00+08:00 docket -C s --as zhang.wei file \
		--channel letter --address 某村 --subject 种子不发芽 >>id &&
	DOCKET_NOW=2026-11-02T10:00:00+08:00 docket -C s --as chen.jing \
		triage 2026-000001 --accept --category fertilizer 2>err &&
	DOCKET_NOW=2026-11-02T10:05:00+08:00 docket -C s --as chen.jing \
		triage 2026-000002 --accept --category fertilizer/fake 2>err &&
	test "$(yaml_get s/$C1 due.resolve)" = 2026-11-23T23:59:59+08:00 &&
	assert_clean s
'

test_expect_success 'assign to a person: department from membership, co-handlers' '
	n=$(commit_count s) &&
	DOCKET_NOW=2026-11-02T11:00:00+08:00 docket -C s --as li.na assign \
		2026-000001 --to sun.li --co enforcement >out 2>err &&
	test_must_be_empty out &&
	test "$(commit_count s)" = $((n + 1)) &&
	test "$(last_action)" = assign &&
	assert_clean s &&
	test "$(yaml_get s/$C1 status)" = assigned &&
	test "$(yaml_get s/$C1 assignee)" = sun.li &&
	test "$(yaml_get s/$C1 department)" = soil-station &&
	test "$(yaml_get s/$C1 co_departments)" = enforcement &&
	test "$(yaml_get s/$C1 due.resolve)" = 2026-11-23T23:59:59+08:00 &&
	test "$(yaml_get s/$C1 events.2.action)" = assign &&
	test "$(yaml_get s/$C1 events.2.by)" = li.na &&
	test "$(yaml_get s/$C1 events.2.at)" = 2026-11-02T11:00:00+08:00 &&
	test "$(yaml_get s/$C1 events.2.to)" = sun.li &&
	test "$(yaml_get s/$C1 events.2.department)" = soil-station &&
	test "$(yaml_get s/$C1 events.2.co)" = enforcement &&
	! yaml_get s/$C1 events.2.transfer 2>/dev/null
'

test_expect_success 'a handler may not assign' '
	expect_refusal --code 1 s "zhao.lei.*needs the triage or supervisor role" \
		docket --as zhao.lei assign 2026-000002 --to zhao.lei
'

test_expect_success 'a received case cannot be assigned before triage' '
	expect_refusal --code 1 s \
		"case 2026-000003 is received, which does not allow .assign.*triage --accept" \
		docket --as chen.jing assign 2026-000003 --to sun.li
'

test_expect_success 'unknown staff or department is refused, saying where ids are' '
	expect_refusal --code 1 s \
		"--to: unknown department or staff member .nobody.; the nearest: " \
		docket --as chen.jing assign 2026-000002 --to nobody &&
	expect_refusal --code 1 s "--co: unknown department or staff member .nowhere." \
		docket --as chen.jing assign 2026-000002 --to qian.hao \
		--co nowhere
'

test_expect_success '--due must be a time in the future' '
	expect_refusal --code 1 s "--due: .2020-10-30. is not in the future" \
		docket --as chen.jing assign 2026-000002 --to qian.hao \
		--due 2020-10-30 &&
	expect_refusal --code 2 s "--due: .soon. is not a time" \
		docket --as chen.jing assign 2026-000002 --to qian.hao \
		--due soon
'

test_expect_success 'a second assign is a transfer and needs --reason' '
	expect_refusal --code 1 s \
		"case 2026-000001 is already assigned .to sun.li.*transfer.*--reason" \
		docket --as chen.jing assign 2026-000001 --to enforcement
'

test_expect_success 'transfer to a department clears the assignee' '
	n=$(commit_count s) &&
	DOCKET_NOW=2026-11-03T09:00:00+08:00 docket -C s --as liu.yang assign \
		2026-000001 --to enforcement --reason 涉嫌假冒，转执法大队 \
		>out 2>err &&
	test_must_be_empty out &&
	test "$(commit_count s)" = $((n + 1)) &&
	test "$(last_action)" = assign &&
	assert_clean s &&
	test "$(yaml_get s/$C1 status)" = assigned &&
	! yaml_get s/$C1 assignee 2>/dev/null &&
	test "$(yaml_get s/$C1 department)" = enforcement &&
	! yaml_get s/$C1 co_departments 2>/dev/null &&
	test "$(yaml_get s/$C1 events.3.department)" = enforcement &&
	test "$(yaml_get s/$C1 events.3.reason)" = 涉嫌假冒，转执法大队 &&
	test "$(yaml_get s/$C1 events.3.transfer)" = true &&
	! yaml_get s/$C1 events.3.to 2>/dev/null
'

test_expect_success 'transfer to a person with --due fixes the resolve deadline' '
	DOCKET_NOW=2026-11-03T10:00:00+08:00 docket -C s --as chen.jing assign \
		2026-000001 --to qian.hao --due 2026-11-30 --reason 指定承办人 \
		>out 2>err &&
	test_must_be_empty out &&
	test "$(yaml_get s/$C1 assignee)" = qian.hao &&
	test "$(yaml_get s/$C1 department)" = enforcement &&
	test "$(yaml_get s/$C1 due.resolve)" = 2026-11-30T23:59:59+08:00 &&
	test "$(yaml_get s/$C1 events.4.due)" = 2026-11-30T23:59:59+08:00 &&
	test "$(yaml_get s/$C1 events.4.transfer)" = true
'

test_expect_success 'the fixed deadline survives reclassification' '
	DOCKET_NOW=2026-11-03T11:00:00+08:00 docket -C s --as chen.jing \
		triage 2026-000001 --priority urgent 2>err &&
	test "$(yaml_get s/$C1 due.resolve)" = 2026-11-30T23:59:59+08:00
'

test_expect_success 'a transfer to where the case already is changes nothing' '
	expect_refusal --code 1 s "already assigned to qian.hao; nothing" \
		docket --as chen.jing assign 2026-000001 --to qian.hao \
		--reason 再次
'

test_expect_success '--return needs --reason and takes no --to' '
	expect_refusal --code 2 s "--return needs --reason" \
		docket --as qian.hao assign 2026-000001 --return &&
	expect_refusal --code 2 s "takes no --to" \
		docket --as qian.hao assign 2026-000001 --return --to sun.li \
		--reason x &&
	expect_refusal --code 2 s "--to STAFF\|DEPT is required" \
		docket --as chen.jing assign 2026-000001
'

test_expect_success 'staff outside the case may not return it' '
	expect_refusal --code 1 s "zhao.lei. may not return case 2026-000001" \
		docket --as zhao.lei assign 2026-000001 --return --reason 不归我们
'

test_expect_success 'the department returns a misrouted case (退单)' '
	n=$(commit_count s) &&
	DOCKET_NOW=2026-11-04T09:00:00+08:00 docket -C s --as qian.hao assign \
		2026-000001 --return --reason 经查非假冒，退回重新分派 \
		>out 2>err &&
	test_must_be_empty out &&
	test "$(commit_count s)" = $((n + 1)) &&
	test "$(last_action)" = return &&
	assert_clean s &&
	test "$(yaml_get s/$C1 status)" = accepted &&
	! yaml_get s/$C1 assignee 2>/dev/null &&
	! yaml_get s/$C1 department 2>/dev/null &&
	test "$(yaml_get s/$C1 events.6.action)" = return &&
	test "$(yaml_get s/$C1 events.6.by)" = qian.hao &&
	test "$(yaml_get s/$C1 events.6.reason)" = 经查非假冒，退回重新分派
'

test_expect_success 'an accepted case cannot be returned' '
	expect_refusal --code 1 s "is accepted, which does not allow .assign --return" \
		docket --as chen.jing assign 2026-000001 --return --reason x
'

test_expect_success 'after a return the case is assigned afresh, no reason needed' '
	DOCKET_NOW=2026-11-04T10:00:00+08:00 docket -C s --as chen.jing assign \
		2026-000001 --to zhao.lei >out 2>err &&
	test "$(yaml_get s/$C1 status)" = assigned &&
	test "$(yaml_get s/$C1 department)" = soil-station &&
	! yaml_get s/$C1 events.7.transfer 2>/dev/null
'

test_expect_success 'assign to a department by a supervisor' '
	DOCKET_NOW=2026-11-04T11:00:00+08:00 docket -C s --as liu.yang assign \
		2026-000002 --to enforcement >out 2>err &&
	test_must_be_empty out &&
	test "$(yaml_get s/$C2 status)" = assigned &&
	test "$(yaml_get s/$C2 department)" = enforcement &&
	! yaml_get s/$C2 assignee 2>/dev/null &&
	assert_clean s
'

test_done
