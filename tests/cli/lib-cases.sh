# lib-cases.sh - a store to work cases in, for the workflow tests
# (t1004..t1009); source it after lib.sh.

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

