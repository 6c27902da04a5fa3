#!/bin/sh
test_description='docket feedback and reopen: the return visit and the review'
. "$(dirname "$0")/lib.sh"

# --- a store to work cases in (shared by t1004..t1009) ---------------------

# write_config: docket.yaml with staff in every role, two departments and
# the 2026 calendar of DESIGN 5 (Oct 1-7 holidays, Sat Oct 10 a make-up
# working day); resolve 15wd, feedback 3wd, ack 1wd.
write_config () {
	cat <<-\EOF
	docket: 1
	organization: 某县农业局
	timezone: Asia/Shanghai
	channels:
	  - {id: visit, label: 来访}
	  - {id: phone, label: 来电}
	priorities:
	  - {id: urgent, label: 紧急}
	  - {id: normal, label: 一般}
	default_priority: normal
	departments:
	  - {id: soil-station, label: 土肥站, head: zhao.lei, members: [zhao.lei, sun.li]}
	  - {id: enforcement, label: 执法大队, head: qian.hao, members: [qian.hao]}
	categories:
	  - id: fertilizer
	    label: 肥料
	    department: soil-station
	    keywords: [化肥, 肥料]
	    children:
	      - {id: fake, label: 假冒伪劣, department: enforcement, keywords: [假冒]}
	staff:
	  - {id: zhang.wei, name: 张伟, email: zhang.wei@example.org, roles: [intake]}
	  - {id: chen.jing, name: 陈静, email: chen.jing@example.org, roles: [triage, supervisor]}
	  - {id: li.na, name: 李娜, email: li.na@example.org, roles: [triage]}
	  - {id: zhao.lei, name: 赵磊, email: zhao.lei@example.org, roles: [handler]}
	  - {id: sun.li, name: 孙丽, email: sun.li@example.org, roles: [handler]}
	  - {id: qian.hao, name: 钱浩, email: qian.hao@example.org, roles: [handler]}
	reject_reasons:
	  - {id: out-of-scope, label: 不属于本机关职权范围}
	  - {id: duplicate, label: 重复投诉}
	limits:
	  look_back: 2y
	deadlines:
	  ack: 1wd
	  feedback: 3wd
	  resolve: 15wd
	calendar:
	  workdays: [mon, tue, wed, thu, fri]
	  holidays: [2026-01-01..2026-01-03, 2026-02-15..2026-02-23, 2026-04-04..2026-04-06,
	             2026-05-01..2026-05-05, 2026-06-19..2026-06-21, 2026-09-25..2026-09-27,
	             2026-10-01..2026-10-07]
	  extra_workdays: [2026-01-04, 2026-02-14, 2026-02-28, 2026-05-09, 2026-09-20, 2026-10-10]
	EOF
}

# setup_store DIR: a new store with that configuration (2 commits)
setup_store () {
	docket init "$1" >/dev/null &&
	write_config >"$1/docket.yaml" &&
	git -C "$1" commit -q -a -m "docket.yaml: staff and calendar"
}

# new_case DIR DATE [accepted|assigned|need-info]: file a case at DATE
# 09:00 (a fresh phone number each, so no two cases look like repeats),
# then with the real commands triage --accept at 10:00 and assign it to
# sun.li (soil-station) at 11:00, or ask for information at 10:00.
# Prints the id.
new_case () {
	(
		cd "$1" &&
		n=$(find . -path ./.git -prune -o -name '*-*.yaml' -print |
			wc -l) &&
		id=$(DOCKET_NOW=${2}T09:00:00+08:00 docket --as zhang.wei \
			file --channel phone --phone "$(printf '139%08d' "$n")" \
			--subject 复合肥结块 --respondent 某农资店) &&
		case ${3:-} in
		accepted|assigned)
			DOCKET_NOW=${2}T10:00:00+08:00 docket --as chen.jing \
				triage "$id" --accept --category fertilizer ;;
		need-info)
			DOCKET_NOW=${2}T10:00:00+08:00 docket --as chen.jing \
				triage "$id" --need-info 购买凭证 ;;
		esac &&
		case ${3:-} in
		assigned)
			DOCKET_NOW=${2}T11:00:00+08:00 docket --as chen.jing \
				assign "$id" --to sun.li ;;
		esac &&
		echo "$id"
	)
}

# run_at DIR WHEN STAFF ARGS...: run docket in the store as STAFF at the
# local time WHEN (2026-09-29T15:00:00)
run_at () {
	run_dir_=$1 run_when_=$2 run_who_=$3
	shift 3
	(cd "$run_dir_" &&
	DOCKET_NOW=$run_when_+08:00 docket --as "$run_who_" "$@")
}

# case_get DIR ID KEY: a value of the case file (see yaml_get)
case_get () {
	yaml_get "$1/$(case_path "$2")" "$3"
}

# last_event DIR ID: the case's latest event as sorted JSON
last_event () {
	case_get "$1" "$2" events >"$TRASH_DIRECTORY/.events" &&
	/usr/bin/python3 -c 'import json,sys; print(json.dumps(json.load(sys.stdin)[-1], ensure_ascii=False, sort_keys=True))' <"$TRASH_DIRECTORY/.events"
}

# last_commit DIR: subject and trailers of HEAD
last_commit () {
	git -C "$1" log -1 --format=%B
}

# --- tests -----------------------------------------------------------------

test_expect_success 'setup: a case assigned 2026-09-28 and closed 10-20' '
	setup_store s &&
	new_case s 2026-09-28 assigned >id &&
	run_at s 2026-10-20T16:00:00 sun.li close 2026-000001 \
		--outcome resolved --summary 商家已退货 --notified phone \
		--satisfaction satisfied &&
	test "$(case_get s 2026-000001 status)" = closed
'

test_expect_success 'feedback sets the satisfaction in one commit' '
	before=$(commit_count s) &&
	run_at s 2026-10-22T10:00:00 li.na feedback 2026-000001 \
		--satisfaction dissatisfied --comment "赔偿金额不足" >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	test "$(case_get s 2026-000001 status)" = closed &&
	test "$(case_get s 2026-000001 closure.satisfaction)" = dissatisfied &&
	test "$(case_get s 2026-000001 closure.outcome)" = resolved &&
	cat >expect <<-\EOT &&
	{"action": "feedback", "at": "2026-10-22T10:00:00+08:00", "by": "li.na", "comment": "赔偿金额不足", "satisfaction": "dissatisfied"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	last_commit s >msg &&
	test_grep "^feedback 2026-000001: 复合肥结块$" msg &&
	test_grep "^Action: feedback$" msg &&
	test_grep "^Actor: li.na$" msg
'

test_expect_success 'the latest feedback wins; the assignee may record it' '
	run_at s 2026-10-23T10:00:00 sun.li feedback 2026-000001 \
		--satisfaction neutral &&
	test "$(case_get s 2026-000001 closure.satisfaction)" = neutral &&
	cat >expect <<-\EOT &&
	{"action": "feedback", "at": "2026-10-23T10:00:00+08:00", "by": "sun.li", "satisfaction": "neutral"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	assert_clean s
'

test_expect_success 'feedback by intake or another department is refused' '
	expect_refusal --code 1 s "zhang.wei. may not record feedback on case 2026-000001: only triage, a supervisor, its assignee or a member of its department may" \
		docket --as zhang.wei feedback 2026-000001 --satisfaction satisfied &&
	expect_refusal --code 1 s "qian.hao. may not record feedback" \
		docket --as qian.hao feedback 2026-000001 --satisfaction satisfied
'

test_expect_success 'feedback wants a known level' '
	expect_refusal --code 1 s "unknown level .ok. \(satisfied, fairly-satisfied, neutral, dissatisfied, unreachable\)" \
		docket --as li.na feedback 2026-000001 --satisfaction ok &&
	expect_refusal --code 2 s "--satisfaction is required" \
		docket --as li.na feedback 2026-000001 --comment 好 &&
	test_grep "^usage: docket feedback ID --satisfaction LEVEL \[--comment TEXT\]$" err &&
	expect_refusal --code 1 s "--comment: must not be empty" \
		docket --as li.na feedback 2026-000001 --satisfaction satisfied \
		--comment ""
'

test_expect_success 'feedback on an open case is refused, naming its status' '
	new_case s 2026-10-12 assigned >open-id &&
	expect_refusal --code 1 s "case $(cat open-id) is assigned, which does not allow .feedback." \
		docket --as li.na feedback "$(cat open-id)" --satisfaction satisfied
'

test_expect_success 'feedback on a rejected case is refused' '
	new_case s 2026-10-12 >id &&
	run_at s 2026-10-12T10:00:00 chen.jing triage "$(cat id)" \
		--reject out-of-scope &&
	cp id rejected-id &&
	expect_refusal --code 1 s "case $(cat id) is rejected, which does not allow .feedback." \
		docket --as li.na feedback "$(cat id)" --satisfaction satisfied
'

test_expect_success 'reopen sends the case back to its handlers' '
	# Reopened Mon 10-26: resolve is 15 working days from then, 11-16.
	before=$(commit_count s) &&
	run_at s 2026-10-26T09:00:00 chen.jing reopen 2026-000001 \
		--reason "投诉人不满意，申请复核" >out 2>err &&
	test_must_be_empty out &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	test "$(case_get s 2026-000001 assignee)" = sun.li &&
	test "$(case_get s 2026-000001 department)" = soil-station &&
	! case_get s 2026-000001 closure 2>/dev/null &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-11-16T23:59:59+08:00 &&
	test "$(case_get s 2026-000001 due.feedback)" = 2026-10-08T23:59:59+08:00 &&
	cat >expect <<-\EOT &&
	{"action": "reopen", "at": "2026-10-26T09:00:00+08:00", "by": "chen.jing", "reason": "投诉人不满意，申请复核"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	test "$(case_get s 2026-000001 events.3.action)" = close &&
	last_commit s >msg &&
	test_grep "^reopen 2026-000001: 复合肥结块$" msg &&
	test_grep "^Action: reopen$" msg
'

test_expect_success 'feedback on the reopened case is refused until it closes again' '
	expect_refusal --code 1 s "case 2026-000001 is assigned, which does not allow .feedback." \
		docket --as li.na feedback 2026-000001 --satisfaction satisfied
'

test_expect_success 'the reopened case is on its new deadline: a hold moves it' '
	run_at s 2026-10-27T09:00:00 sun.li hold 2026-000001 --reason 复检 &&
	run_at s 2026-10-29T09:00:00 sun.li resume 2026-000001 2>err &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-11-18T23:59:59+08:00
'

test_expect_success 'the reopened case closes again with a fresh closure' '
	run_at s 2026-11-10T15:00:00 sun.li close 2026-000001 \
		--outcome mediated --summary 追加赔偿，双方和解 &&
	cat >expect <<-\EOT &&
	{"at": "2026-11-10T15:00:00+08:00", "by": "sun.li", "on_time": "true", "outcome": "mediated", "summary": "追加赔偿，双方和解"}
	EOT
	case_get s 2026-000001 closure >actual &&
	test_cmp expect actual &&
	run_at s 2026-11-12T10:00:00 li.na feedback 2026-000001 \
		--satisfaction fairly-satisfied &&
	test "$(case_get s 2026-000001 closure.satisfaction)" = fairly-satisfied &&
	assert_clean s
'

test_expect_success 'a reopened case closed late needs --late-reason against the new deadline' '
	new_case s 2026-09-28 assigned >id &&
	run_at s 2026-10-09T10:00:00 sun.li close "$(cat id)" --outcome resolved \
		--summary 已处理 &&
	run_at s 2026-10-12T10:00:00 li.na reopen "$(cat id)" --reason 复核 &&
	test "$(case_get s "$(cat id)" due.resolve)" = 2026-11-02T23:59:59+08:00 &&
	export DOCKET_NOW=2026-11-03T10:00:00+08:00 &&
	expect_refusal --code 1 s "1 working day past its resolve deadline 2026-11-02T23:59:59\+08:00" \
		docket --as sun.li close "$(cat id)" --outcome resolved --summary 已处理
'

test_expect_success 'reopen needs the triage or supervisor role' '
	run_at s 2026-11-12T11:00:00 sun.li close "$(cat open-id)" \
		--outcome resolved --summary 已处理 --late-reason 积压 2>err &&
	expect_refusal --code 1 s "sun.li. may not reopen cases: that needs the triage or supervisor role" \
		docket --as sun.li reopen "$(cat open-id)" --reason 复核 &&
	expect_refusal --code 1 s "zhang.wei. may not reopen cases" \
		docket --as zhang.wei reopen "$(cat open-id)" --reason 复核
'

test_expect_success 'reopen of an open or rejected case is refused, naming its status' '
	new_case s 2026-11-12 assigned >id &&
	expect_refusal --code 1 s "case $(cat id) is assigned, which does not allow .reopen." \
		docket --as chen.jing reopen "$(cat id)" --reason 复核 &&
	expect_refusal --code 1 s "case $(cat rejected-id) is rejected, which does not allow .reopen." \
		docket --as chen.jing reopen "$(cat rejected-id)" --reason 复核
'

test_expect_success 'reopen of a merged duplicate points to the case it went into' '
	new_case s 2026-11-12 >id &&
	run_at s 2026-11-12T10:00:00 chen.jing merge "$(cat id)" --into 2026-000001 &&
	expect_refusal --code 1 s "case $(cat id) is closed as merged into 2026-000001; reopen 2026-000001 instead" \
		docket --as chen.jing reopen "$(cat id)" --reason 复核
'

test_expect_success 'reopen without --reason is a usage error' '
	expect_refusal --code 2 s "--reason is required" \
		docket --as chen.jing reopen 2026-000001 &&
	test_grep "^usage: docket reopen ID --reason TEXT$" err &&
	expect_refusal --code 1 s "--reason: must not be empty" \
		docket --as chen.jing reopen 2026-000001 --reason ""
'

test_expect_success 'reopen of a case that does not exist is refused' '
	expect_refusal --code 1 s "case .2026-000999. not found" \
		docket --as chen.jing reopen 2026-000999 --reason 复核
'

test_done
