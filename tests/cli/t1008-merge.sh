#!/bin/sh
test_description='docket merge: a duplicate closed into the case it repeats (并单)'
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

test_expect_success 'setup: an assigned case and a new duplicate' '
	setup_store s &&
	new_case s 2026-09-28 assigned >other &&
	new_case s 2026-09-29 >dup &&
	echo 2026-000002 >expect &&
	test_cmp expect dup
'

test_expect_success 'merge closes the duplicate and links both in one commit' '
	before=$(commit_count s) &&
	run_at s 2026-09-29T10:00:00 li.na merge 2026-000002 \
		--into 2026-000001 >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	test "$(case_get s 2026-000002 status)" = closed &&
	cat >expect <<-\EOT &&
	{"at": "2026-09-29T10:00:00+08:00", "by": "li.na", "outcome": "merged", "summary": "merged into 2026-000001"}
	EOT
	case_get s 2026-000002 closure >actual &&
	test_cmp expect actual &&
	test "$(case_get s 2026-000002 related)" = 2026-000001 &&
	cat >expect <<-\EOT &&
	{"action": "merge", "at": "2026-09-29T10:00:00+08:00", "by": "li.na", "into": "2026-000001"}
	EOT
	last_event s 2026-000002 >actual &&
	test_cmp expect actual
'

test_expect_success 'the case merged into keeps its status and deadlines' '
	test "$(case_get s 2026-000001 status)" = assigned &&
	test "$(case_get s 2026-000001 related)" = 2026-000002 &&
	test "$(case_get s 2026-000001 due.resolve)" = 2026-10-23T23:59:59+08:00 &&
	cat >expect <<-\EOT &&
	{"action": "merge", "at": "2026-09-29T10:00:00+08:00", "by": "li.na", "merged": "2026-000002"}
	EOT
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	! case_get s 2026-000001 closure 2>/dev/null
'

test_expect_success 'the merge commit carries both cases' '
	last_commit s >msg &&
	test_grep "^merge 2026-000002: 复合肥结块$" msg &&
	test_grep "^Case: 2026-000002$" msg &&
	test_grep "^Case: 2026-000001$" msg &&
	test_grep "^Action: merge$" msg &&
	test_grep "^Actor: li.na$" msg &&
	git -C s show --name-only --format= HEAD >files &&
	cat >expect <<-EOT &&
	$(case_path 2026-000001)
	$(case_path 2026-000002)
	EOT
	test_cmp expect files
'

test_expect_success 'a duplicate already linked as a repeat is not linked twice' '
	(cd s && DOCKET_NOW=2026-09-30T09:00:00+08:00 docket --as zhang.wei \
		file --channel phone --phone 13900000000 --subject 复合肥结块 \
		>../id 2>../err) &&
	test_grep "likely repeat of case 2026-000001" err &&
	run_at s 2026-09-30T10:00:00 chen.jing merge "$(cat id)" \
		--into 2026-000001 &&
	test "$(case_get s "$(cat id)" related)" = 2026-000001 &&
	printf "2026-000002\n%s\n" "$(cat id)" >expect &&
	case_get s 2026-000001 related >actual &&
	test_cmp expect actual
'

test_expect_success 'a case on hold merges into a closed case' '
	new_case s 2026-09-28 assigned >closed-id &&
	run_at s 2026-10-09T10:00:00 sun.li close "$(cat closed-id)" \
		--outcome resolved --summary 已处理 &&
	new_case s 2026-09-28 assigned >held &&
	run_at s 2026-09-29T09:00:00 sun.li hold "$(cat held)" --reason 送检 &&
	run_at s 2026-10-12T09:00:00 chen.jing merge "$(cat held)" \
		--into "$(cat closed-id)" &&
	test "$(case_get s "$(cat held)" status)" = closed &&
	test "$(case_get s "$(cat held)" closure.outcome)" = merged &&
	test "$(case_get s "$(cat closed-id)" status)" = closed &&
	test "$(case_get s "$(cat closed-id)" closure.outcome)" = resolved &&
	test "$(case_get s "$(cat closed-id)" related)" = "$(cat held)" &&
	assert_clean s
'

test_expect_success 'merging into a case on hold does not end its hold' '
	# Held Tue 09-29 .. Fri 10-09 (3 working days) with a merge in
	# between: the resolve deadline still moves from 10-23 to 10-28.
	new_case s 2026-09-28 assigned >target &&
	run_at s 2026-09-29T09:00:00 sun.li hold "$(cat target)" --reason 送检 &&
	new_case s 2026-10-08 >dup2 &&
	run_at s 2026-10-08T10:00:00 chen.jing merge "$(cat dup2)" \
		--into "$(cat target)" &&
	test "$(case_get s "$(cat target)" status)" = on-hold &&
	run_at s 2026-10-09T10:00:00 sun.li resume "$(cat target)" 2>err &&
	test "$(case_get s "$(cat target)" due.resolve)" = 2026-10-28T23:59:59+08:00
'

test_expect_success 'a pending-info case merges too' '
	new_case s 2026-10-12 need-info >id &&
	run_at s 2026-10-12T11:00:00 chen.jing merge "$(cat id)" \
		--into 2026-000001 &&
	test "$(case_get s "$(cat id)" status)" = closed &&
	assert_clean s
'

test_expect_success 'merge into itself is refused, naming the status' '
	new_case s 2026-10-12 >self &&
	expect_refusal --code 1 s "case $(cat self) \(received\) cannot be merged into itself" \
		docket --as chen.jing merge "$(cat self)" --into "$(cat self)"
'

test_expect_success 'merge into a case that does not exist is refused' '
	expect_refusal --code 1 s "case .2026-000999. not found" \
		docket --as chen.jing merge "$(cat self)" --into 2026-000999 &&
	expect_refusal --code 1 s "not a case id" \
		docket --as chen.jing merge "$(cat self)" --into ../../x &&
	expect_refusal --code 1 s "case .2026-000999. not found" \
		docket --as chen.jing merge 2026-000999 --into 2026-000001
'

test_expect_success 'a closed case cannot be merged again' '
	expect_refusal --code 1 s "case 2026-000002 is closed, which does not allow .merge." \
		docket --as chen.jing merge 2026-000002 --into "$(cat self)"
'

test_expect_success 'merge into a merged duplicate points to where it went' '
	expect_refusal --code 1 s "case 2026-000002 is closed as merged into 2026-000001; merge into that case instead" \
		docket --as chen.jing merge "$(cat self)" --into 2026-000002
'

test_expect_success 'merge into a rejected case is refused' '
	new_case s 2026-10-12 >rejected &&
	run_at s 2026-10-12T10:00:00 chen.jing triage "$(cat rejected)" \
		--reject out-of-scope &&
	expect_refusal --code 1 s "case $(cat rejected) is rejected and cannot take a duplicate" \
		docket --as chen.jing merge "$(cat self)" --into "$(cat rejected)"
'

test_expect_success 'merge needs the triage or supervisor role' '
	expect_refusal --code 1 s "sun.li. may not merge cases: that needs the triage or supervisor role" \
		docket --as sun.li merge "$(cat self)" --into 2026-000001 &&
	expect_refusal --code 1 s "zhang.wei. may not merge cases" \
		docket --as zhang.wei merge "$(cat self)" --into 2026-000001
'

test_expect_success 'merge without --into is a usage error' '
	expect_refusal --code 2 s "--into is required" \
		docket --as chen.jing merge "$(cat self)" &&
	test_grep "^usage: docket merge ID --into OTHER$" err
'

test_expect_success 'merge refuses when the other case was edited by hand' '
	echo "# edited" >>s/$(case_path 2026-000001) &&
	expect_refusal --code 1 s "$(case_path 2026-000001)" \
		docket --as chen.jing merge "$(cat self)" --into 2026-000001 &&
	git -C s checkout -- "$(case_path 2026-000001)" &&
	assert_clean s
'

test_done
