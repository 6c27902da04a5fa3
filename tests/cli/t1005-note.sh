#!/bin/sh
test_description='docket note: the progress and contact log, and the end of a wait for information'
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
	test_cmp expect id
'

test_expect_success 'note records the text in one commit and keeps the status' '
	before=$(commit_count s) &&
	run_at s 2026-09-28T14:00:00 sun.li note 2026-000001 \
		"到店查看，复合肥确有结块" >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	cat >expect <<-\EOT &&
	{"action": "note", "at": "2026-09-28T14:00:00+08:00", "by": "sun.li", "text": "到店查看，复合肥确有结块"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	last_commit s >msg &&
	test_grep "^note 2026-000001: 复合肥结块$" msg &&
	test_grep "^Action: note$" msg &&
	test_grep "^Actor: sun.li$" msg
'

test_expect_success 'a note without contact leaves the feedback deadline open' '
	# A hold from Tue 09-29 to Fri 10-09 (3 working days) moves it.
	run_at s 2026-09-29T09:00:00 sun.li hold 2026-000001 --reason 送检 &&
	run_at s 2026-10-09T09:00:00 sun.li resume 2026-000001 2>err &&
	test "$(case_get s 2026-000001 due.feedback)" = 2026-10-12T23:59:59+08:00
'

test_expect_success 'note --contact records the contact and meets the feedback deadline' '
	before=$(commit_count s) &&
	run_at s 2026-10-09T14:00:00 sun.li note 2026-000001 "电话告知调查进展" \
		--contact phone &&
	test "$(commit_count s)" = $((before + 1)) &&
	cat >expect <<-\EOT &&
	{"action": "note", "at": "2026-10-09T14:00:00+08:00", "by": "sun.li", "contact": "phone", "text": "电话告知调查进展"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	docket -C s --as chen.jing show 2026-000001 --format text >show &&
	test_grep "feedback  2026-10-12T23:59:59+08:00 (met)" show &&
	# a later stop no longer moves it; resolve still moves (10-13, 10-14)
	run_at s 2026-10-12T09:00:00 sun.li hold 2026-000001 --reason 听证 &&
	run_at s 2026-10-14T09:00:00 sun.li resume 2026-000001 2>err &&
	test "$(case_get s 2026-000001 due.feedback)" = 2026-10-12T23:59:59+08:00 &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-30T23:59:59+08:00
'

test_expect_success 'note - reads the text from standard input' '
	printf "第一行\n第二行\n\n" >text &&
	(cd s && DOCKET_NOW=2026-10-15T09:00:00+08:00 docket --as zhao.lei \
		note 2026-000001 - <../text) &&
	test "$(case_get s 2026-000001 events.9.text)" = "$(printf "第一行\n第二行")" &&
	assert_clean s
'

test_expect_success 'note works on an accepted, a closed and a rejected case' '
	new_case s 2026-10-15 accepted >id &&
	run_at s 2026-10-15T14:00:00 li.na note "$(cat id)" 现场答复 &&
	run_at s 2026-10-15T15:00:00 chen.jing close "$(cat id)" \
		--outcome resolved --summary 当场解决 &&
	run_at s 2026-10-16T09:00:00 chen.jing note "$(cat id)" 回访未接通 \
		--contact phone &&
	test "$(case_get s "$(cat id)" status)" = closed &&
	new_case s 2026-10-15 >id2 &&
	run_at s 2026-10-15T10:00:00 chen.jing triage "$(cat id2)" \
		--reject out-of-scope &&
	# intake may note only while the case awaits triage
	expect_refusal --code 1 s "zhang.wei. may not add notes" \
		docket --as zhang.wei note "$(cat id2)" 已告知投诉人 &&
	run_at s 2026-10-15T11:00:00 li.na note "$(cat id2)" 已告知投诉人 \
		--contact visit &&
	test "$(case_get s "$(cat id2)" status)" = rejected &&
	assert_clean s
'

test_expect_success 'note --info-received ends a wait for information' '
	# Filed and asked for material Mon 09-28; the material arrives Fri
	# 10-09: (09-28, 10-09] holds 4 working days, so feedback 10-08
	# moves to Tue 10-13 (10-09, Sat 10-10 make-up day, 10-12, 10-13).
	new_case s 2026-09-28 need-info >id &&
	id=$(cat id) &&
	test "$(case_get s "$id" status)" = pending-info &&
	test "$(case_get s "$id" due.feedback)" = 2026-10-08T23:59:59+08:00 &&
	before=$(commit_count s) &&
	run_at s 2026-10-09T10:00:00 zhang.wei note "$id" 投诉人补交购买凭证 \
		--info-received &&
	test "$(commit_count s)" = $((before + 1)) &&
	test "$(case_get s "$id" status)" = received &&
	test "$(case_get s "$id" due.feedback)" = 2026-10-13T23:59:59+08:00 &&
	test "$(case_get s "$id" due.ack)" = 2026-09-29T23:59:59+08:00 &&
	cat >expect <<-EOT &&
	{"action": "note", "at": "2026-10-09T10:00:00+08:00", "by": "zhang.wei", "info_received": "true", "text": "投诉人补交购买凭证"}
	EOT
	last_event s "$id" >actual &&
	test_cmp expect actual &&
	assert_clean s &&
	run_at s 2026-10-09T11:00:00 chen.jing triage "$id" --accept \
		--category fertilizer 2>err &&
	test "$(case_get s "$id" status)" = accepted
'

test_expect_success 'note --info-received on a case not waiting is refused' '
	expect_refusal --code 1 s "case 2026-000001 is assigned, not pending-info" \
		docket --as sun.li note 2026-000001 到了 --info-received &&
	new_case s 2026-10-16 >id &&
	expect_refusal --code 1 s "case $(cat id) is received, not pending-info" \
		docket --as zhang.wei note "$(cat id)" 到了 --info-received
'

test_expect_success 'intake may note a case awaiting triage, not an assigned one' '
	new_case s 2026-10-16 need-info >id &&
	run_at s 2026-10-16T15:00:00 zhang.wei note "$(cat id)" 投诉人来电询问 \
		--contact phone &&
	expect_refusal --code 1 s "zhang.wei. may not add notes to case 2026-000001: only its assignee, a member of its department, triage or a supervisor may" \
		docket --as zhang.wei note 2026-000001 投诉人来电询问
'

test_expect_success 'note by a handler of another department is refused' '
	expect_refusal --code 1 s "qian.hao. may not add notes to case 2026-000001" \
		docket --as qian.hao note 2026-000001 看过了
'

test_expect_success 'note --contact wants a plain word' '
	expect_refusal --code 1 s "--contact: .Phone Call. is not a plain word" \
		docket --as sun.li note 2026-000001 联系 --contact "Phone Call"
'

test_expect_success 'an empty note or one with control characters is refused' '
	expect_refusal --code 1 s "TEXT: must not be empty" \
		docket --as sun.li note 2026-000001 "" &&
	expect_refusal --code 1 s "control character" \
		docket --as sun.li note 2026-000001 "$(printf "bell\007")"
'

test_expect_success 'note without text or with two texts is a usage error' '
	expect_refusal --code 2 s "give the note.s text" \
		docket --as sun.li note 2026-000001 &&
	test_grep "^usage: docket note ID TEXT \[--contact VIA\] \[--info-received\]$" err &&
	expect_refusal --code 2 s "unexpected argument .b.; quote" \
		docket --as sun.li note 2026-000001 a b &&
	expect_refusal --code 2 s "which case" docket --as sun.li note
'

test_expect_success 'note on a case that does not exist is refused' '
	expect_refusal --code 1 s "case .2026-000999. not found" \
		docket --as sun.li note 2026-000999 看过了
'

test_done
