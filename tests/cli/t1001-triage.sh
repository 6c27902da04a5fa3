#!/bin/sh
test_description='docket triage: the queue, accept, reject, need-info, reclassify, suggest'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-triage.sh"

C1=$(case_path 2026-000001)
C2=$(case_path 2026-000002)
C3=$(case_path 2026-000003)

test_expect_success 'an empty queue prints nothing' '
	docket_init_store s &&
	write_config s &&
	docket -C s --as chen.jing triage >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err
'

test_expect_success 'file three cases (the second received earlier)' '
	DOCKET_NOW=2026-09-30T10:00:00+08:00 docket -C s --as zhang.wei file \
		--channel phone --name 李某 --phone 13800000000 \
		--subject 复合肥疑似假冒 --description 买的复合肥没有效果，怀疑假冒 \
		--occurred 2024-01-10 >id1 &&
	DOCKET_NOW=2026-09-30T10:05:00+08:00 docket -C s --as zhang.wei file \
		--channel visit --phone 13900000000 --subject 种子不发芽 \
		--received-at "2026-09-29 09:00" >id2 &&
	DOCKET_NOW=2026-09-30T10:10:00+08:00 docket -C s --as zhang.wei file \
		--channel letter --address 某村 --subject 邻居占用耕地 >id3 &&
	printf "2026-000001\n2026-000002\n2026-000003\n" >expect &&
	cat id1 id2 id3 >actual &&
	test_cmp expect actual
'

test_expect_success 'the queue lists cases awaiting triage, oldest first' '
	docket -C s --as zhao.lei triage >out 2>err &&
	cat >expect <<-\EOF &&
	id           status    received_at                channel  kind       ack_due                    subject
2026-000002  received  2026-09-29T09:00:00+08:00  来访     complaint  2026-09-30T23:59:59+08:00  种子不发芽
2026-000001  received  2026-09-30T10:00:00+08:00  来电     complaint  2026-10-08T23:59:59+08:00  复合肥疑似假冒
2026-000003  received  2026-09-30T10:10:00+08:00  来信     complaint  2026-10-08T23:59:59+08:00  邻居占用耕地
	EOF
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success '--suggest ranks categories by keywords, changes nothing' '
	store_state s >before &&
	docket -C s --as zhao.lei triage 2026-000001 --suggest >out 2>err &&
	store_state s >after &&
	test_cmp before after &&
	cat >expect <<-\EOF &&
	category         label     department              score  matched
	fertilizer/fake  假冒伪劣  enforcement (执法大队)  2      假冒, 复合肥
	fertilizer       肥料      soil-station (土肥站)   1      复合肥
	EOF
	test_cmp expect out
'

test_expect_success '--suggest with nothing matching prints nothing' '
	docket -C s --as chen.jing triage 2026-000003 --suggest >out 2>err &&
	test_must_be_empty out &&
	test_grep "no category keywords" err
'

test_expect_success '--suggest goes with an id only' '
	test_expect_code 2 docket -C s --as chen.jing triage --suggest 2>err &&
	test_grep "which case" err &&
	test_expect_code 2 docket -C s --as chen.jing triage 2026-000001 \
		--suggest --accept 2>err &&
	test_grep "changes nothing" err
'

test_expect_success 'accepting needs a category' '
	expect_refusal --code 1 s "no category.*--category" \
		docket --as chen.jing triage 2026-000001 --accept
'

test_expect_success 'an intake clerk may not triage' '
	expect_refusal --code 1 s "zhang.wei.*needs the triage role" \
		docket --as zhang.wei triage 2026-000001 --accept \
		--category fertilizer/fake
'

test_expect_success 'unknown category and priority are refused with the valid ids' '
	expect_refusal --code 1 s \
		"unknown category .pesticide.; it is one of: fertilizer \(肥料\), fertilizer/fake \(肥料/假冒伪劣\), seeds \(种子\)" \
		docket --as chen.jing triage 2026-000001 --accept \
		--category pesticide &&
	expect_refusal --code 1 s "unknown priority .high.; it is one of: urgent \(紧急\), normal \(一般\)" \
		docket --as chen.jing triage 2026-000001 --priority high
'

test_expect_success 'two decisions at once are a usage error' '
	expect_refusal --code 2 s "at most one of" \
		docket --as chen.jing triage 2026-000001 --accept \
		--need-info 发票 &&
	expect_refusal --code 2 s "nothing to do" \
		docket --as chen.jing triage 2026-000001
'

test_expect_success 'accepting a time-barred case is refused, naming the rule' '
	expect_refusal --code 1 s \
		"case 2026-000001 is time-barred: .*2024-01-10.*limits.look_back.*--reject time-barred.*--override --reason" \
		docket --as li.na triage 2026-000001 --accept \
		--category fertilizer/fake
'

test_expect_success 'only a supervisor overrides look_back, and with a reason' '
	expect_refusal --code 1 s "li.na.*may not accept a time-barred case.*supervisor" \
		docket --as li.na triage 2026-000001 --accept \
		--category fertilizer/fake --override --reason 持续违法 &&
	expect_refusal --code 2 s "--override needs --reason" \
		docket --as chen.jing triage 2026-000001 --accept \
		--category fertilizer/fake --override &&
	expect_refusal --code 2 s "--override goes with --accept" \
		docket --as chen.jing triage 2026-000001 --override \
		--reason x --priority urgent
'

test_expect_success 'accept: status, category, deadlines, one commit' '
	n=$(commit_count s) &&
	DOCKET_NOW=2026-09-30T11:00:00+08:00 docket -C s --as chen.jing triage \
		2026-000001 --accept --category fertilizer/fake \
		--override --reason "假冒复合肥仍在销售，违法行为持续" >out 2>err &&
	test_must_be_empty out &&
	test "$(commit_count s)" = $((n + 1)) &&
	test "$(last_action)" = triage &&
	assert_clean s &&
	test "$(yaml_get s/$C1 status)" = accepted &&
	test "$(yaml_get s/$C1 category)" = fertilizer/fake &&
	test "$(yaml_get s/$C1 due.ack)" = 2026-10-08T23:59:59+08:00 &&
	test "$(yaml_get s/$C1 due.feedback)" = 2026-10-10T23:59:59+08:00 &&
	test "$(yaml_get s/$C1 due.resolve)" = 2026-10-27T23:59:59+08:00 &&
	test "$(yaml_get s/$C1 events.1.action)" = triage &&
	test "$(yaml_get s/$C1 events.1.by)" = chen.jing &&
	test "$(yaml_get s/$C1 events.1.at)" = 2026-09-30T11:00:00+08:00 &&
	test "$(yaml_get s/$C1 events.1.decision)" = accept &&
	test "$(yaml_get s/$C1 events.1.category)" = fertilizer/fake &&
	test "$(yaml_get s/$C1 events.1.priority)" = normal &&
	test "$(yaml_get s/$C1 events.1.override)" = true &&
	test "$(yaml_get s/$C1 events.1.note)" = "假冒复合肥仍在销售，违法行为持续" &&
	test_grep "routes to department enforcement" err
'

test_expect_success 'the queue warns of a time-barred case before its decision' '
	docket_init_store tb &&
	write_config tb &&
	DOCKET_NOW=2026-09-30T10:00:00+08:00 docket -C tb --as zhang.wei file \
		--channel phone --phone 13800000000 --subject 工资拖欠 \
		--occurred 2024-01-10 >/dev/null &&
	docket -C tb --as li.na triage 2026-000001 --priority urgent 2>err &&
	test_grep "warning: case 2026-000001: .*2024-01-10.*--reject time-barred" err
'

test_expect_success 'accept twice is refused, naming the status' '
	expect_refusal --code 1 s \
		"case 2026-000001 is accepted.*triage --accept.*allows: .*assign" \
		docket --as chen.jing triage 2026-000001 --accept
'

test_expect_success 'reclassify to urgent recomputes resolve from the acceptance' '
	n=$(commit_count s) &&
	DOCKET_NOW=2026-10-08T09:00:00+08:00 docket -C s --as chen.jing \
		triage 2026-000001 --priority urgent >out 2>err &&
	test_must_be_empty out &&
	test "$(commit_count s)" = $((n + 1)) &&
	test "$(last_action)" = triage &&
	assert_clean s &&
	test "$(yaml_get s/$C1 status)" = accepted &&
	test "$(yaml_get s/$C1 priority)" = urgent &&
	test "$(yaml_get s/$C1 due.resolve)" = 2026-10-10T23:59:59+08:00 &&
	test "$(yaml_get s/$C1 events.2.priority)" = urgent &&
	! yaml_get s/$C1 events.2.decision 2>/dev/null &&
	! yaml_get s/$C1 events.2.category 2>/dev/null
'

test_expect_success 'reclassifying to the same values is refused' '
	expect_refusal --code 1 s "nothing to change" \
		docket --as chen.jing triage 2026-000001 --priority urgent
'

test_expect_success 'need-info stops the clock; info-due is recorded' '
	n=$(commit_count s) &&
	DOCKET_NOW=2026-09-29T15:00:00+08:00 docket -C s --as chen.jing \
		triage 2026-000002 --need-info 种子购买凭证 --info-due 2026-10-09 \
		>out 2>err &&
	test_must_be_empty out &&
	test "$(commit_count s)" = $((n + 1)) &&
	test "$(last_action)" = triage &&
	assert_clean s &&
	test "$(yaml_get s/$C2 status)" = pending-info &&
	test "$(yaml_get s/$C2 events.1.decision)" = need-info &&
	test "$(yaml_get s/$C2 events.1.info)" = 种子购买凭证 &&
	test "$(yaml_get s/$C2 events.1.info_due)" = 2026-10-09T23:59:59+08:00 &&
	test "$(yaml_get s/$C2 due.feedback)" = 2026-10-09T23:59:59+08:00
'

test_expect_success 'the queue shows pending-info cases without an ack due' '
	docket -C s --as chen.jing triage >out &&
	cat >expect <<-\EOF &&
	id           status        received_at                channel  kind       ack_due                    subject
2026-000002  pending-info  2026-09-29T09:00:00+08:00  来访     complaint                             种子不发芽
2026-000003  received      2026-09-30T10:10:00+08:00  来信     complaint  2026-10-08T23:59:59+08:00  邻居占用耕地
	EOF
	test_cmp expect out
'

test_expect_success 'need-info is refused on a pending-info case' '
	expect_refusal --code 1 s "is pending-info.*triage --need-info" \
		docket --as chen.jing triage 2026-000002 --need-info 再补
'

# Stopped Sep 29 15:00 .. Oct 9 10:00: Sep 30, Oct 8, Oct 9 (Oct 1-7 are
# holidays), so feedback moves from Oct 9 to Oct 13 (Oct 10 is a make-up
# Saturday); resolve is 15wd from the acceptance.
test_expect_success 'accept after need-info across National Day moves feedback' '
	DOCKET_NOW=2026-10-09T10:00:00+08:00 docket -C s --as chen.jing \
		triage 2026-000002 --accept --category seeds >out 2>err &&
	test_must_be_empty out &&
	test "$(yaml_get s/$C2 status)" = accepted &&
	test "$(yaml_get s/$C2 due.ack)" = 2026-09-30T23:59:59+08:00 &&
	test "$(yaml_get s/$C2 due.feedback)" = 2026-10-13T23:59:59+08:00 &&
	test "$(yaml_get s/$C2 due.resolve)" = 2026-10-29T23:59:59+08:00
'

test_expect_success 'an unknown reject reason is refused, listing the reasons' '
	expect_refusal --code 1 s \
		"unknown reject reason .spam.; it is one of: out-of-scope \(不属于本机关职权范围\), time-barred \(超过时效\), no-contact \(匿名且无法联系\), duplicate \(重复投诉\)" \
		docket --as chen.jing triage 2026-000003 --reject spam
'

test_expect_success '--refer-to goes with --reject only' '
	expect_refusal --code 2 s "refer-to" \
		docket --as chen.jing triage 2026-000003 --accept \
		--category seeds --refer-to 国土所
'

test_expect_success 'reject closes the case with the reason and referral' '
	n=$(commit_count s) &&
	DOCKET_NOW=2026-10-08T16:00:00+08:00 docket -C s --as li.na triage \
		2026-000003 --reject out-of-scope --refer-to 县自然资源局 \
		>out 2>err &&
	test_must_be_empty out &&
	test "$(commit_count s)" = $((n + 1)) &&
	test "$(last_action)" = triage &&
	assert_clean s &&
	test "$(yaml_get s/$C3 status)" = rejected &&
	test "$(yaml_get s/$C3 closure.outcome)" = rejected &&
	test "$(yaml_get s/$C3 closure.by)" = li.na &&
	test "$(yaml_get s/$C3 closure.at)" = 2026-10-08T16:00:00+08:00 &&
	test "$(yaml_get s/$C3 closure.summary)" = \
		"不属于本机关职权范围; referred to 县自然资源局" &&
	test "$(yaml_get s/$C3 events.1.decision)" = reject &&
	test "$(yaml_get s/$C3 events.1.reason)" = out-of-scope &&
	test "$(yaml_get s/$C3 events.1.refer_to)" = 县自然资源局
'

test_expect_success 'a rejected case allows no triage and leaves the queue' '
	expect_refusal --code 1 s "is rejected" \
		docket --as chen.jing triage 2026-000003 --accept \
		--category seeds &&
	expect_refusal --code 1 s "is rejected" \
		docket --as chen.jing triage 2026-000003 --priority urgent &&
	docket -C s --as chen.jing triage >out &&
	test_must_be_empty out
'

test_expect_success 'an unknown case is refused' '
	expect_refusal --code 1 s "case .2026-000099. not found" \
		docket --as chen.jing triage 2026-000099 --accept
'

# 受理 withdrawn: case 2 was accepted on Oct 9 and not yet routed.
test_expect_success 'rejecting an accepted case needs a supervisor' '
	expect_refusal --code 1 s "li.na.*may not reject a case already accepted.*supervisor" \
		docket --as li.na triage 2026-000002 --reject out-of-scope
'

test_expect_success 'a supervisor rejects an accepted case, with the reason' '
	n=$(commit_count s) &&
	DOCKET_NOW=2026-10-12T09:00:00+08:00 docket -C s --as chen.jing \
		triage 2026-000002 --reject out-of-scope \
		--reason "系种子质量纠纷，属市场监管部门职责" >out 2>err &&
	test "$(commit_count s)" = $((n + 1)) &&
	assert_clean s &&
	test "$(yaml_get s/$C2 status)" = rejected &&
	test "$(yaml_get s/$C2 events.3.decision)" = reject &&
	test "$(yaml_get s/$C2 events.3.previous)" = accepted &&
	test "$(yaml_get s/$C2 events.3.reason)" = out-of-scope &&
	test "$(yaml_get s/$C2 events.3.note)" = "系种子质量纠纷，属市场监管部门职责" &&
	test "$(yaml_get s/$C2 closure.outcome)" = rejected &&
	docket -C s --as chen.jing list --status rejected --format ids >ids &&
	test_grep "^2026-000002$" ids
'

test_expect_success 'an assigned case cannot be rejected' '
	docket -C s --as chen.jing assign 2026-000001 --to enforcement \
		>/dev/null 2>&1 &&
	expect_refusal --code 1 s "is assigned.*triage --reject" \
		docket --as chen.jing triage 2026-000001 --reject out-of-scope
'

test_done
