#!/bin/sh
test_description='one case through its whole life: file, triage, assign, note, hold/resume, close, feedback, reopen, close'
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

# step N: the store has N commits and a clean work tree
step () {
	test "$(commit_count s)" = "$1" &&
	assert_clean s &&
	last_commit s >"$TRASH_DIRECTORY/msg" &&
	test_grep "^Action: $2$" "$TRASH_DIRECTORY/msg" &&
	test_grep "^Case: 2026-000001$" "$TRASH_DIRECTORY/msg"
}

# due KIND: the case's deadline
due () {
	case_get s 2026-000001 "due.$1"
}

# --- tests -----------------------------------------------------------------

test_expect_success 'setup: a store with staff and the 2026 calendar' '
	setup_store s &&
	test "$(commit_count s)" = 2
'

test_expect_success 'file (Mon 2026-09-28 09:00): received, ack and feedback set' '
	run_at s 2026-09-28T09:00:00 zhang.wei file --channel visit \
		--name 王某 --phone 13912345678 --respondent 某农资店 \
		--subject 复合肥结块 --request 退货赔偿 >id &&
	echo 2026-000001 >expect &&
	test_cmp expect id &&
	step 3 file &&
	test "$(case_get s 2026-000001 status)" = received &&
	test "$(due ack)" = 2026-09-29T23:59:59+08:00 &&
	test "$(due feedback)" = 2026-10-08T23:59:59+08:00 &&
	! due resolve 2>/dev/null
'

test_expect_success 'triage --accept (10:00): accepted, resolve in 15 working days' '
	run_at s 2026-09-28T10:00:00 chen.jing triage 2026-000001 --accept \
		--category fertilizer 2>err &&
	step 4 triage &&
	test "$(case_get s 2026-000001 status)" = accepted &&
	test "$(due resolve)" = 2026-10-23T23:59:59+08:00
'

test_expect_success 'assign (11:00): assigned to sun.li of soil-station' '
	run_at s 2026-09-28T11:00:00 chen.jing assign 2026-000001 --to sun.li &&
	step 5 assign &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	test "$(case_get s 2026-000001 assignee)" = sun.li &&
	test "$(case_get s 2026-000001 department)" = soil-station
'

test_expect_success 'note --contact (15:00): the feedback deadline is met' '
	run_at s 2026-09-28T15:00:00 sun.li note 2026-000001 \
		"电话联系投诉人，约定现场查看" --contact phone &&
	step 6 note &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	docket -C s --as chen.jing show 2026-000001 --format text >show &&
	test_grep "ack       2026-09-29T23:59:59+08:00 (met)" show &&
	test_grep "feedback  2026-10-08T23:59:59+08:00 (met)" show &&
	! grep -q "resolve .*(met)" show
'

test_expect_success 'hold (Tue 09-29): on-hold, deadlines unchanged' '
	run_at s 2026-09-29T09:00:00 sun.li hold 2026-000001 \
		--reason "样品送农产品检测站检测" &&
	step 7 hold &&
	test "$(case_get s 2026-000001 status)" = on-hold &&
	test "$(due resolve)" = 2026-10-23T23:59:59+08:00
'

test_expect_success 'resume (Fri 10-09): resolve moves by 3 working days' '
	run_at s 2026-10-09T09:00:00 sun.li resume 2026-000001 2>err &&
	step 8 resume &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	test "$(due resolve)" = 2026-10-28T23:59:59+08:00 &&
	test "$(due feedback)" = 2026-10-08T23:59:59+08:00 &&
	test "$(due ack)" = 2026-09-29T23:59:59+08:00
'

test_expect_success 'close (Tue 10-27): closed on time' '
	run_at s 2026-10-27T16:00:00 sun.li close 2026-000001 \
		--outcome resolved --summary "检测不合格，商家退货并赔偿" \
		--notified phone --satisfaction fairly-satisfied &&
	step 9 close &&
	test "$(case_get s 2026-000001 status)" = closed &&
	test "$(case_get s 2026-000001 closure.outcome)" = resolved &&
	test "$(case_get s 2026-000001 closure.on_time)" = true &&
	test "$(case_get s 2026-000001 closure.notified.at)" = 2026-10-27T16:00:00+08:00 &&
	test "$(case_get s 2026-000001 closure.satisfaction)" = fairly-satisfied
'

test_expect_success 'feedback (Thu 10-29): the return visit finds the complainant dissatisfied' '
	run_at s 2026-10-29T10:00:00 li.na feedback 2026-000001 \
		--satisfaction dissatisfied --comment "赔偿未到账" &&
	step 10 feedback &&
	test "$(case_get s 2026-000001 status)" = closed &&
	test "$(case_get s 2026-000001 closure.satisfaction)" = dissatisfied
'

test_expect_success 'reopen (Mon 11-02): assigned again, resolve from the reopening' '
	run_at s 2026-11-02T09:00:00 chen.jing reopen 2026-000001 \
		--reason "回访不满意，复核" &&
	step 11 reopen &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	test "$(case_get s 2026-000001 assignee)" = sun.li &&
	! case_get s 2026-000001 closure 2>/dev/null &&
	test "$(due resolve)" = 2026-11-23T23:59:59+08:00
'

test_expect_success 'close again (Fri 11-20): a fresh closure, on time' '
	run_at s 2026-11-20T16:00:00 sun.li close 2026-000001 \
		--outcome mediated --summary "赔偿已到账，双方和解" --notified phone &&
	step 12 close &&
	cat >expect <<-\EOT &&
	{"at": "2026-11-20T16:00:00+08:00", "by": "sun.li", "notified": {"at": "2026-11-20T16:00:00+08:00", "via": "phone"}, "on_time": "true", "outcome": "mediated", "summary": "赔偿已到账，双方和解"}
	EOT
	case_get s 2026-000001 closure >actual &&
	test_cmp expect actual &&
	test "$(due resolve)" = 2026-11-23T23:59:59+08:00
'

test_expect_success 'the journal holds every step, each with its commit' '
	case_get s 2026-000001 events >events &&
	/usr/bin/python3 -c "import json,sys; [print(e[\"action\"], e[\"at\"], e[\"by\"]) for e in json.load(sys.stdin)]" <events >actual &&
	cat >expect <<-\EOT &&
	file 2026-09-28T09:00:00+08:00 zhang.wei
	triage 2026-09-28T10:00:00+08:00 chen.jing
	assign 2026-09-28T11:00:00+08:00 chen.jing
	note 2026-09-28T15:00:00+08:00 sun.li
	hold 2026-09-29T09:00:00+08:00 sun.li
	resume 2026-10-09T09:00:00+08:00 sun.li
	close 2026-10-27T16:00:00+08:00 sun.li
	feedback 2026-10-29T10:00:00+08:00 li.na
	reopen 2026-11-02T09:00:00+08:00 chen.jing
	close 2026-11-20T16:00:00+08:00 sun.li
	EOT
	test_cmp expect actual &&
	git -C s log --reverse --format="%(trailers:key=Action,valueonly)" \
		-- "$(case_path 2026-000001)" >log &&
	sed "/^$/d" log >actual &&
	cut -d" " -f1 expect >expect-actions &&
	test_cmp expect-actions actual
'

test_expect_success 'check finds nothing wrong with the store' '
	docket -C s --as chen.jing check >out 2>err &&
	test_must_be_empty err
'

test_done
