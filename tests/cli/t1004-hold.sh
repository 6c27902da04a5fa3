#!/bin/sh
test_description='docket hold and resume: stopping the clock while a case waits'
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

test_expect_success 'setup: an assigned case (accepted Mon 2026-09-28)' '
	setup_store s &&
	new_case s 2026-09-28 assigned >id &&
	echo 2026-000001 >expect &&
	test_cmp expect id &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-23T23:59:59+08:00 &&
	test "$(case_get s 2026-000001 due.feedback)" = 2026-10-08T23:59:59+08:00
'

test_expect_success 'hold puts the case on hold in one commit' '
	before=$(commit_count s) &&
	run_at s 2026-09-29T15:00:00 sun.li hold 2026-000001 \
		--reason "样品送检，等待检测报告" >out 2>err &&
	test_must_be_empty out &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	test "$(case_get s 2026-000001 status)" = on-hold &&
	cat >expect <<-\EOT &&
	{"action": "hold", "at": "2026-09-29T15:00:00+08:00", "by": "sun.li", "reason": "样品送检，等待检测报告"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	last_commit s >msg &&
	test_grep "^hold 2026-000001: 复合肥结块$" msg &&
	test_grep "^Case: 2026-000001$" msg &&
	test_grep "^Action: hold$" msg &&
	test_grep "^Actor: sun.li$" msg
'

test_expect_success 'while on hold the deadlines stay as they were' '
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-23T23:59:59+08:00 &&
	test "$(case_get s 2026-000001 due.feedback)" = 2026-10-08T23:59:59+08:00
'

test_expect_success 'hold on a case already on hold is refused' '
	expect_refusal --code 1 s "case 2026-000001 is on-hold, which does not allow .hold.; from on-hold it allows: .*resume" \
		docket --as sun.li hold 2026-000001 --reason again
'

test_expect_success 'resume moves unmet deadlines by the held working days' '
	# Held Tue 09-29 to Fri 10-09: (09-29, 10-09] holds 09-30, 10-08
	# and 10-09 as working days (10-01..07 are the National Day holidays).
	before=$(commit_count s) &&
	run_at s 2026-10-09T10:00:00 sun.li resume 2026-000001 >out 2>err &&
	test_must_be_empty out &&
	test_grep "held 3 working days" err &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-28T23:59:59+08:00 &&
	test "$(case_get s 2026-000001 due.feedback)" = 2026-10-12T23:59:59+08:00 &&
	test "$(case_get s 2026-000001 due.ack)" = 2026-09-29T23:59:59+08:00 &&
	cat >expect <<-\EOT &&
	{"action": "resume", "at": "2026-10-09T10:00:00+08:00", "by": "sun.li"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	last_commit s >msg &&
	test_grep "^Action: resume$" msg
'

test_expect_success 'resume on a case that is not on hold is refused' '
	expect_refusal --code 1 s "case 2026-000001 is assigned, which does not allow .resume.; from assigned it allows: .*hold" \
		docket --as sun.li resume 2026-000001
'

test_expect_success 'a second hold adds to the first' '
	# Held Mon 10-12 to Wed 10-14: 10-13 and 10-14, two more days.
	run_at s 2026-10-12T09:00:00 zhao.lei hold 2026-000001 \
		--reason 等待听证 &&
	run_at s 2026-10-14T17:00:00 zhao.lei resume 2026-000001 2>err &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-30T23:59:59+08:00 &&
	assert_clean s
'

test_expect_success 'a hold that ends the day it began moves nothing' '
	run_at s 2026-10-15T09:00:00 sun.li hold 2026-000001 --reason 鉴定 &&
	run_at s 2026-10-15T16:00:00 sun.li resume 2026-000001 2>err &&
	test_must_be_empty err &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-30T23:59:59+08:00
'

test_expect_success 'a met deadline does not move' '
	new_case s 2026-09-28 assigned >id &&
	id=$(cat id) &&
	run_at s 2026-09-28T14:00:00 sun.li note "$id" 已电话联系 --contact phone &&
	run_at s 2026-09-29T15:00:00 sun.li hold "$id" --reason 送检 &&
	run_at s 2026-10-09T10:00:00 sun.li resume "$id" 2>err &&
	test "$(case_get s "$id" due.feedback)" = 2026-10-08T23:59:59+08:00 &&
	test "$(case_get s "$id" due.resolve)" = 2026-10-28T23:59:59+08:00
'

test_expect_success 'hold needs an assigned case: accepted is refused' '
	new_case s 2026-09-28 accepted >id &&
	expect_refusal --code 1 s "is accepted, which does not allow .hold.; from accepted it allows: " \
		docket --as chen.jing hold "$(cat id)" --reason 送检
'

test_expect_success 'hold on a received case is refused, naming its status' '
	new_case s 2026-09-28 >id &&
	expect_refusal --code 1 s "case $(cat id) is received, which does not allow .hold." \
		docket --as chen.jing hold "$(cat id)" --reason 送检
'

test_expect_success 'hold without --reason is a usage error' '
	expect_refusal --code 2 s "--reason is required" \
		docket --as sun.li hold 2026-000001 &&
	test_grep "^usage: docket hold ID --reason TEXT$" err
'

test_expect_success 'hold with an empty reason is refused' '
	expect_refusal --code 1 s "--reason: must not be empty" \
		docket --as sun.li hold 2026-000001 --reason ""
'

test_expect_success 'hold by someone outside the case is refused' '
	expect_refusal --code 1 s "qian.hao. may not put on hold case 2026-000001" \
		docket --as qian.hao hold 2026-000001 --reason 送检 &&
	expect_refusal --code 1 s "zhang.wei. may not put on hold case 2026-000001" \
		docket --as zhang.wei hold 2026-000001 --reason 送检 &&
	expect_refusal --code 1 s "li.na. may not put on hold case 2026-000001" \
		docket --as li.na hold 2026-000001 --reason 送检
'

test_expect_success 'the department head and a supervisor may hold and resume' '
	run_at s 2026-10-16T09:00:00 zhao.lei hold 2026-000001 --reason 送检 &&
	run_at s 2026-10-16T10:00:00 chen.jing resume 2026-000001 &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	assert_clean s
'

test_expect_success 'resume by someone outside the case is refused' '
	run_at s 2026-10-19T09:00:00 sun.li hold 2026-000001 --reason 送检 &&
	expect_refusal --code 1 s "qian.hao. may not resume case 2026-000001" \
		docket --as qian.hao resume 2026-000001 &&
	run_at s 2026-10-19T10:00:00 sun.li resume 2026-000001
'

test_expect_success 'hold on a case that does not exist is refused' '
	expect_refusal --code 1 s "case .2026-000999. not found" \
		docket --as chen.jing hold 2026-000999 --reason 送检 &&
	expect_refusal --code 1 s "not a case id" \
		docket --as chen.jing hold ../../etc --reason 送检
'

test_expect_success 'resume with an extra argument is a usage error' '
	expect_refusal --code 2 s "unexpected argument" \
		docket --as sun.li resume 2026-000001 now
'

test_expect_success 'hold refuses a hand-edited case file' '
	echo "# edited" >>s/$(case_path 2026-000001) &&
	expect_refusal --code 1 s "$(case_path 2026-000001)" \
		docket --as sun.li hold 2026-000001 --reason 送检 &&
	git -C s checkout -- "$(case_path 2026-000001)" &&
	assert_clean s
'

test_done
