#!/bin/sh
test_description='labels as input: every option that takes an id also takes its label or the staff name; ambiguous and unknown values'
. "$(dirname "$0")/lib.sh"

# A store whose docket.yaml has two staff called 王芳 and two categories
# labelled 其他, the cases' ambiguity a real office meets.
write_config () {
	cat <<-\EOF
	docket: 1
	organization: 某县农业局
	timezone: Asia/Shanghai
	channels:
	  - {id: visit, label: 来访}
	  - {id: phone, label: 来电}
	  - {id: letter, label: 来信}
	priorities:
	  - {id: urgent, label: 紧急}
	  - {id: normal, label: 一般}
	default_priority: normal
	departments:
	  - {id: soil-station, label: 土肥站, head: zhao.lei, members: [zhao.lei, wang.fang]}
	  - {id: enforcement, label: 执法大队, head: qian.hao, members: [qian.hao, wang.fang2]}
	categories:
	  - id: fertilizer
	    label: 肥料
	    department: soil-station
	    children:
	      - {id: fake, label: 假冒伪劣, department: enforcement}
	      - {id: other, label: 其他}
	  - id: seeds
	    label: 种子
	    department: soil-station
	    children:
	      - {id: other, label: 其他}
	staff:
	  - {id: zhang.wei, name: 张伟, email: zhang.wei@example.org, roles: [intake]}
	  - {id: chen.jing, name: 陈静, email: chen.jing@example.org, roles: [triage, supervisor]}
	  - {id: zhao.lei, name: 赵磊, email: zhao.lei@example.org, roles: [handler]}
	  - {id: qian.hao, name: 钱浩, email: qian.hao@example.org, roles: [handler]}
	  - {id: wang.fang, name: 王芳, email: wang.fang@example.org, roles: [handler]}
	  - {id: wang.fang2, name: 王芳, email: wang.fang2@example.org, roles: [handler]}
	reject_reasons:
	  - {id: out-of-scope, label: 不属于本机关职权范围}
	  - {id: time-barred, label: 超过时效}
	deadlines:
	  ack: 1wd
	  feedback: 3wd
	  resolve: 15wd
	EOF
}

DOCKET_NOW=2026-11-02T09:00:00+08:00
export DOCKET_NOW

test_expect_success 'setup' '
	docket init s >/dev/null &&
	write_config >s/docket.yaml &&
	git -C s commit -q -a -m "docket.yaml for the labels" &&
	docket -C s check
'

test_expect_success 'file: --channel, --category and --priority by label' '
	docket -C s --as zhang.wei file --channel 来电 --subject 复合肥结块 \
		--phone 13900000000 --category 肥料/假冒伪劣 --priority 紧急 \
		>id &&
	test "$(cat id)" = 2026-000001 &&
	test "$(yaml_get s/$(case_path 2026-000001) channel)" = phone &&
	test "$(yaml_get s/$(case_path 2026-000001) category)" = fertilizer/fake &&
	test "$(yaml_get s/$(case_path 2026-000001) priority)" = urgent
'

test_expect_success '--as takes the staff name' '
	docket -C s --as 张伟 file --channel 来信 --subject 种子不发芽 \
		--phone 13900000001 >id &&
	test "$(yaml_get s/$(case_path 2026-000002) received_by)" = zhang.wei
'

test_expect_success 'triage: --category, --priority and --reject by label' '
	docket -C s --as 陈静 triage 2026-000002 --accept --category 种子 \
		--priority 一般 &&
	test "$(yaml_get s/$(case_path 2026-000002) category)" = seeds &&
	docket -C s --as zhang.wei file --channel visit --subject 无关事项 \
		--phone 13900000002 >id &&
	docket -C s --as chen.jing triage 2026-000003 --reject 超过时效 &&
	test "$(yaml_get s/$(case_path 2026-000003) events.1.reason)" = time-barred
'

test_expect_success 'assign: --to a staff name or a department label, --co a label' '
	docket -C s --as chen.jing triage 2026-000001 --accept &&
	docket -C s --as chen.jing assign 2026-000001 --to 钱浩 --co 土肥站 &&
	test "$(yaml_get s/$(case_path 2026-000001) assignee)" = qian.hao &&
	test "$(yaml_get s/$(case_path 2026-000001) department)" = enforcement &&
	test "$(yaml_get s/$(case_path 2026-000001) co_departments)" = soil-station &&
	docket -C s --as chen.jing assign 2026-000002 --to 土肥站 &&
	test "$(yaml_get s/$(case_path 2026-000002) department)" = soil-station
'

test_expect_success 'list: --assignee, --department, --category and --status by label' '
	docket -C s list --assignee 钱浩 --format ids >out &&
	echo 2026-000001 >expect &&
	test_cmp expect out &&
	docket -C s list --department 土肥站 --format ids >out &&
	echo 2026-000002 >expect &&
	test_cmp expect out &&
	docket -C s list --category 肥料 --format ids >out &&
	echo 2026-000001 >expect &&
	test_cmp expect out &&
	docket -C s list --status 不予受理 --format ids >out &&
	echo 2026-000003 >expect &&
	test_cmp expect out &&
	docket -C s list --status 未办结 --format ids >out &&
	printf "2026-000001\n2026-000002\n" >expect &&
	test_cmp expect out
'

test_expect_success 'note --contact and close --notified take a channel label' '
	docket -C s --as qian.hao note 2026-000001 已电话联系 --contact 来电 &&
	test "$(yaml_get s/$(case_path 2026-000001) events.3.contact)" = phone &&
	docket -C s --as qian.hao note 2026-000001 短信告知 --contact sms &&
	test "$(yaml_get s/$(case_path 2026-000001) events.4.contact)" = sms
'

test_expect_success 'close: --outcome and --satisfaction by their words; feedback too' '
	docket -C s --as qian.hao close 2026-000001 --outcome 已解决 \
		--summary 已查处 --notified 来电 --satisfaction 较满意 &&
	f=s/$(case_path 2026-000001) &&
	test "$(yaml_get $f closure.outcome)" = resolved &&
	test "$(yaml_get $f closure.satisfaction)" = fairly-satisfied &&
	test "$(yaml_get $f closure.notified.via)" = phone &&
	docket -C s --as chen.jing feedback 2026-000001 --satisfaction 满意 &&
	test "$(yaml_get $f closure.satisfaction)" = satisfied
'

test_expect_success 'report --by takes the dimension in Chinese, in either language' '
	docket -C s report --from 2026-11-01 --to 2026-12-01 --by department \
		--format csv >by-id &&
	for dim in 部门 问题类别 渠道 被投诉人 承办人; do
		docket -C s report --from 2026-11-01 --to 2026-12-01 \
			--by $dim --format csv >by-label || exit 1
		(LC_ALL=zh_CN.UTF-8 && export LC_ALL &&
		 docket -C s report --from 2026-11-01 --to 2026-12-01 \
			--by $dim --format csv) >by-label-zh || exit 1
		test_cmp by-label by-label-zh || exit 1
	done &&
	docket -C s report --from 2026-11-01 --to 2026-12-01 --by 部门 \
		--format csv >by-label &&
	test_cmp by-id by-label
'

test_expect_success 'a name two staff share is refused, listing both' '
	expect_refusal --code 2 s \
		"--assignee: .王芳. could be wang.fang \(王芳\), wang.fang2 \(王芳\); give the id" \
		docket list --assignee 王芳 &&
	expect_refusal --code 1 s \
		"--to: .王芳. could be wang.fang \(王芳\), wang.fang2 \(王芳\)" \
		docket --as chen.jing assign 2026-000002 --to 王芳 --reason 转办 &&
	expect_refusal s "--as: .王芳. could be" \
		docket --as 王芳 note 2026-000002 记录
'

test_expect_success 'a label two categories share is refused; its path is not' '
	expect_refusal --code 2 s \
		"--category: .其他. could be fertilizer/other \(肥料/其他\), seeds/other \(种子/其他\)" \
		docket list --category 其他 &&
	docket -C s list --category 种子/其他 --format ids >out &&
	test_must_be_empty out
'

test_expect_success 'an unknown value is refused with the nearest ones, never an empty list' '
	expect_refusal --code 2 s \
		"--assignee: unknown staff member .钱豪.; the nearest: qian.hao \(钱浩\)" \
		docket list --assignee 钱豪 &&
	expect_refusal --code 2 s \
		"--department: unknown department .执法队.; the nearest: enforcement \(执法大队\)\$" \
		docket list --department 执法队 &&
	expect_refusal --code 2 s "--status: unknown status .已结案.; it is one of: received \(已登记\), pending-info \(待补充材料\), accepted \(已受理\), assigned \(已交办\), on-hold \(已中止\), closed \(已办结\), rejected \(不予受理\)" \
		docket list --status 已结案 &&
	expect_refusal --code 2 s "--department: unknown department .财务科.; it is one of: soil-station \(土肥站\), enforcement \(执法大队\)" \
		docket list --department 财务科 &&
	expect_refusal --code 1 s "--channel: unknown channel .来点.; the nearest: visit \(来访\), phone \(来电\), letter \(来信\)\$" \
		docket --as zhang.wei file --channel 来点 --subject x &&
	expect_refusal --code 1 s "--satisfaction: unknown satisfaction level .比较满意." \
		docket --as chen.jing feedback 2026-000001 --satisfaction 比较满意 &&
	expect_refusal --code 1 s "--outcome: unknown outcome .解决了." \
		docket --as zhao.lei close 2026-000002 --outcome 解决了 --summary x &&
	expect_refusal --code 1 s "--reject: unknown reject reason .过期." \
		docket --as chen.jing triage 2026-000002 --reject 过期 &&
	expect_refusal --code 1 s "--priority: unknown priority .特急." \
		docket --as chen.jing triage 2026-000002 --priority 特急 &&
	expect_refusal --code 1 s "--co: unknown department or staff member .土肥." \
		docket --as chen.jing assign 2026-000002 --to zhao.lei --co 土肥 &&
	expect_refusal s "--as: unknown staff member .张卫.; the nearest: zhang.wei \(张伟\)" \
		docket --as 张卫 note 2026-000002 记录
'

test_expect_success 'the same refusal in Chinese' '
	(cd s && LC_ALL=zh_CN.UTF-8 && export LC_ALL &&
	 test_expect_code 2 docket list --assignee 钱豪) >out 2>err &&
	test_must_be_empty out &&
	test_grep "^docket: list: --assignee：没有“钱豪”这个工作人员；最接近的有：qian.hao（钱浩）" err
'

test_expect_success 'ids keep working, and win over a label that looks like one' '
	docket -C s list --assignee qian.hao --format ids >out &&
	echo 2026-000001 >expect &&
	test_cmp expect out &&
	docket -C s list --status closed --format ids >out &&
	test_cmp expect out
'

test_done
