#!/bin/sh
test_description='docket extend: a supervisor moves the resolve deadline (延期)'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-triage.sh"

C1=$(case_path 2026-000001)

# Accepted Tue 1 Sep: 15wd are Sep 2-4, 7-11, 14-18, the make-up Sunday
# Sep 20 and Mon Sep 21.
test_expect_success 'setup: an assigned case and a received one' '
	docket_init_store s &&
	write_config s &&
	DOCKET_NOW=2026-09-01T09:00:00+08:00 docket -C s --as zhang.wei file \
		--channel phone --phone 13800000000 --subject 种子不发芽 >id &&
	DOCKET_NOW=2026-09-01T09:30:00+08:00 docket -C s --as zhang.wei file \
		--channel phone --phone 13900000000 --subject 化肥结块 >>id &&
	DOCKET_NOW=2026-09-01T10:00:00+08:00 docket -C s --as chen.jing \
		triage 2026-000001 --accept --category seeds 2>err &&
	DOCKET_NOW=2026-09-01T11:00:00+08:00 docket -C s --as chen.jing \
		assign 2026-000001 --to zhao.lei &&
	test "$(yaml_get s/$C1 due.resolve)" = 2026-09-21T23:59:59+08:00 &&
	assert_clean s
'

test_expect_success 'only a supervisor may extend' '
	expect_refusal --code 1 s "li.na. may not extend deadlines.*supervisor" \
		docket --as li.na extend 2026-000001 --by 10wd --reason 需要检测 &&
	expect_refusal --code 1 s "zhao.lei. may not extend deadlines.*supervisor" \
		docket --as zhao.lei extend 2026-000001 --by 10wd --reason 需要检测
'

test_expect_success 'usage: one of --by and --to, and a reason' '
	expect_refusal --code 2 s "one of --by DURATION and --to WHEN" \
		docket --as liu.yang extend 2026-000001 --reason 需要检测 &&
	expect_refusal --code 2 s "one of --by DURATION and --to WHEN" \
		docket --as liu.yang extend 2026-000001 --by 5wd \
		--to 2026-12-01 --reason 需要检测 &&
	expect_refusal --code 2 s "--reason TEXT is required" \
		docket --as liu.yang extend 2026-000001 --by 5wd &&
	expect_refusal --code 2 s "--by: .ten days. is not a duration" \
		docket --as liu.yang extend 2026-000001 --by "ten days" \
		--reason 需要检测
'

test_expect_success 'a case without a resolve deadline cannot be extended' '
	expect_refusal --code 1 s \
		"case 2026-000002 is received, which does not allow .extend." \
		docket --as liu.yang extend 2026-000002 --by 5wd --reason x
'

# From Mon Sep 21: Sep 22-24, (25-27 and Oct 1-7 holidays) Sep 28-30,
# Oct 8, 9, the make-up Saturday Oct 10 and Mon Oct 12.
test_expect_success 'extend --by adds working days to the current deadline' '
	n=$(commit_count s) &&
	DOCKET_NOW=2026-09-18T15:00:00+08:00 docket -C s --as liu.yang extend \
		2026-000001 --by 10wd --reason 需送检，等待检测报告 >out 2>err &&
	test_must_be_empty out &&
	test "$(commit_count s)" = $((n + 1)) &&
	test "$(last_action)" = extend &&
	assert_clean s &&
	test "$(yaml_get s/$C1 status)" = assigned &&
	test "$(yaml_get s/$C1 due.resolve)" = 2026-10-12T23:59:59+08:00 &&
	test "$(yaml_get s/$C1 events.3.action)" = extend &&
	test "$(yaml_get s/$C1 events.3.by)" = liu.yang &&
	test "$(yaml_get s/$C1 events.3.at)" = 2026-09-18T15:00:00+08:00 &&
	test "$(yaml_get s/$C1 events.3.due)" = 2026-10-12T23:59:59+08:00 &&
	test "$(yaml_get s/$C1 events.3.extend_by)" = 10wd &&
	test "$(yaml_get s/$C1 events.3.previous)" = 2026-09-21T23:59:59+08:00 &&
	test "$(yaml_get s/$C1 events.3.reason)" = 需送检，等待检测报告
'

test_expect_success 'the commit is authored by the approving supervisor' '
	git -C s log -1 --format="%an <%ae>" >actual &&
	echo "刘洋 <liu.yang@example.org>" >expect &&
	test_cmp expect actual
'

test_expect_success 'extend --to must be later than the current deadline' '
	expect_refusal --code 1 s \
		"--to: .2026-10-09. is not later than the current resolve deadline of case 2026-000001 .2026-10-12T23:59:59\+08:00." \
		docket --as liu.yang extend 2026-000001 --to 2026-10-09 \
		--reason 需要检测 &&
	expect_refusal --code 2 s "--to: .next week. is not a time" \
		docket --as liu.yang extend 2026-000001 --to "next week" \
		--reason 需要检测
'

test_expect_success 'extend --to sets the deadline; it survives reclassification' '
	DOCKET_NOW=2026-10-09T10:00:00+08:00 docket -C s --as chen.jing extend \
		2026-000001 --to 2026-10-30 --reason 案情复杂，批准延期 \
		>out 2>err &&
	test_must_be_empty out &&
	test "$(last_action)" = extend &&
	test "$(yaml_get s/$C1 due.resolve)" = 2026-10-30T23:59:59+08:00 &&
	test "$(yaml_get s/$C1 events.4.due)" = 2026-10-30T23:59:59+08:00 &&
	test "$(yaml_get s/$C1 events.4.by)" = chen.jing &&
	test "$(yaml_get s/$C1 events.4.previous)" = 2026-10-12T23:59:59+08:00 &&
	! yaml_get s/$C1 events.4.extend_by 2>/dev/null &&
	DOCKET_NOW=2026-10-09T11:00:00+08:00 docket -C s --as chen.jing \
		triage 2026-000001 --priority urgent 2>err &&
	test "$(yaml_get s/$C1 due.resolve)" = 2026-10-30T23:59:59+08:00 &&
	assert_clean s
'

test_expect_success 'an unknown case is refused' '
	expect_refusal --code 1 s "case .2026-000042. not found" \
		docket --as liu.yang extend 2026-000042 --by 5wd --reason x
'

test_done
