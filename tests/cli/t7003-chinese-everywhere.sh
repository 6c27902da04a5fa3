#!/bin/sh
test_description='a clerk who reads no English: help, common errors, show, list and every report format in Chinese, under LANG=zh_CN.UTF-8 and under language: zh with LANG=C'
. "$(dirname "$0")/lib.sh"

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
	  - {id: soil-station, label: 土肥站, head: zhao.lei, members: [zhao.lei, sun.li]}
	  - {id: enforcement, label: 执法大队, head: qian.hao, members: [qian.hao]}
	categories:
	  - id: fertilizer
	    label: 肥料
	    department: soil-station
	    keywords: [化肥, 肥料, 复合肥]
	    children:
	      - {id: fake, label: 假冒伪劣, department: enforcement, keywords: [假冒]}
	staff:
	  - {id: zhang.wei, name: 张伟, email: zhang.wei@example.org, roles: [intake]}
	  - {id: chen.jing, name: 陈静, email: chen.jing@example.org, roles: [triage, supervisor]}
	  - {id: zhao.lei, name: 赵磊, email: zhao.lei@example.org, roles: [handler]}
	  - {id: sun.li, name: 孙丽, email: sun.li@example.org, roles: [handler]}
	  - {id: qian.hao, name: 钱浩, email: qian.hao@example.org, roles: [handler]}
	reject_reasons:
	  - {id: out-of-scope, label: 不属于本机关职权范围}
	  - {id: time-barred, label: 超过时效}
	deadlines:
	  ack: 1wd
	  feedback: 3wd
	  resolve: 15wd
	calendar:
	  workdays: [mon, tue, wed, thu, fri]
	  holidays: [2026-10-01..2026-10-07]
	  extra_workdays: [2026-10-10]
	EOF
}

test_expect_success 'setup: a month of cases, every step of the procedure' '
	docket init s >/dev/null &&
	write_config >s/docket.yaml &&
	git -C s commit -q -a -m config &&
	T=2026-11-02T09:00:00+08:00 &&
	DOCKET_NOW=$T docket -C s --as zhang.wei file --channel phone \
		--name 李某 --phone 13800000000 --respondent 某农资店 \
		--subject 复合肥疑似假冒 --description "施用后无效果" \
		--request 查处并赔偿 --location 某镇 --occurred 2026-10-20 \
		--count 3 >/dev/null &&
	DOCKET_NOW=$T docket -C s --as zhang.wei file --channel letter \
		--anonymous --subject 种子发芽率低 >/dev/null &&
	DOCKET_NOW=$T docket -C s --as zhang.wei file --channel visit \
		--name 王某 --phone 13900000000 --subject 邻居占地 >/dev/null &&
	DOCKET_NOW=$T docket -C s --as zhang.wei file --channel phone \
		--name 李某 --phone 13800000000 --respondent 某农资店 \
		--subject 复合肥问题再次反映 >/dev/null &&
	DOCKET_NOW=2026-11-02T10:00:00+08:00 docket -C s --as chen.jing \
		triage 2026-000001 --accept --category fertilizer/fake \
		--priority urgent >/dev/null 2>&1 &&
	DOCKET_NOW=2026-11-02T10:05:00+08:00 docket -C s --as chen.jing \
		assign 2026-000001 --to qian.hao --co soil-station \
		>/dev/null 2>&1 &&
	DOCKET_NOW=2026-11-02T11:00:00+08:00 docket -C s --as chen.jing \
		triage 2026-000003 --reject out-of-scope --refer-to 市场监管局 &&
	DOCKET_NOW=2026-11-02T11:10:00+08:00 docket -C s --as chen.jing \
		triage 2026-000002 --need-info "请提供购买凭证" \
		--info-due 2026-11-20 &&
	DOCKET_NOW=2026-11-03T09:00:00+08:00 docket -C s --as qian.hao \
		note 2026-000001 已电话联系投诉人 --contact phone &&
	DOCKET_NOW=2026-11-04T09:00:00+08:00 docket -C s --as qian.hao \
		hold 2026-000001 --reason 样品送检 &&
	DOCKET_NOW=2026-11-06T09:00:00+08:00 docket -C s --as qian.hao \
		resume 2026-000001 2>/dev/null &&
	DOCKET_NOW=2026-11-06T10:00:00+08:00 docket -C s --as chen.jing \
		extend 2026-000001 --by 5wd --reason 需补充检测 &&
	# what a command writes into a case (a merge'"'"'s summary) is in
	# the language of the office that ran it
	(LC_ALL=zh_CN.UTF-8 && export LC_ALL &&
	 DOCKET_NOW=2026-11-06T11:00:00+08:00 docket -C s --as chen.jing \
		merge 2026-000004 --into 2026-000001) &&
	DOCKET_NOW=2026-11-20T16:00:00+08:00 docket -C s --as qian.hao \
		close 2026-000001 --outcome resolved --summary 已立案查处 \
		--notified phone --satisfaction satisfied &&
	DOCKET_NOW=2026-11-23T09:00:00+08:00 docket -C s --as chen.jing \
		feedback 2026-000001 --satisfaction fairly-satisfied \
		--comment 基本满意 &&
	docket -C s check &&
	# the same store, its docket.yaml saying language: zh
	git clone -q s t &&
	sed -i "s/^timezone:/language: zh\ntimezone:/" t/docket.yaml &&
	git -C t commit -q -a -m "language: zh" &&
	docket -C t check
'

# Outputs left out of the English check, by name (none now: check's and
# remind's help are translated).
PENDING=""

# run MODE NAME ARGS...: docket in the store of MODE, output of both
# streams in out/MODE/NAME; the exit status does not matter here.
#   zh: store s, LANG=zh_CN.UTF-8 (no such locale on the machine)
#   yaml: store t (language: zh), LANG=C
run () {
	run_mode_=$1
	run_name_=$2
	shift 2
	mkdir -p "out/$run_mode_"
	(
		unset LC_ALL LANGUAGE LC_MESSAGES
		if [ "$run_mode_" = zh ]; then
			LANG=zh_CN.UTF-8
			cd s
		else
			LANG=C
			cd t
		fi
		export LANG
		DOCKET_NOW=2026-12-01T09:00:00+08:00 docket "$@"
	) >"out/$run_mode_/$run_name_" 2>&1 || :
}

# Everything a clerk sees, in one mode.
run_all () {
	run "$1" bare &&
	run "$1" help help &&
	while read -r cmd; do
		run "$1" "help-$cmd" "$cmd" --help || return 1
	done <commands &&
	run "$1" show show 2026-000001 --format text &&
	run "$1" show-rejected show 2026-000003 --format text &&
	run "$1" show-merged show 2026-000004 --format text &&
	run "$1" list list &&
	run "$1" list-open list --status open &&
	run "$1" triage-queue --as chen.jing triage &&
	run "$1" suggest --as chen.jing triage 2026-000002 --suggest &&
	for f in table md html csv json; do
		run "$1" "report.$f" report --month 2026-11 --format $f ||
			return 1
	done &&
	for by in department category channel respondent assignee kind priority site; do
		run "$1" "report-by-$by" report --month 2026-11 --by $by ||
			return 1
	done &&
	run "$1" err-command lsit &&
	run "$1" err-global --verison &&
	run "$1" err-option list --asignee qian.hao &&
	run "$1" err-twice list --format csv --format json &&
	run "$1" err-value list --format xml &&
	run "$1" err-noid show &&
	run "$1" err-badid show 12345 &&
	run "$1" err-notfound show 2026-009999 &&
	run "$1" err-label list --assignee 钱豪 &&
	run "$1" err-ambiguous list --category 假 &&
	run "$1" err-status --as chen.jing assign 2026-000003 --to qian.hao &&
	run "$1" err-role --as zhang.wei triage 2026-000002 --accept &&
	run "$1" err-month report --month 2026-13 &&
	run "$1" err-required --as zhang.wei file --subject x &&
	run "$1" err-channel --as zhang.wei file --channel 来点 --subject x &&
	run "$1" err-late --as qian.hao close 2026-000002 --outcome 已解决 \
		--summary x &&
	run "$1" err-merged --as qian.hao close 2026-000001 --outcome merged \
		--summary x &&
	run "$1" err-text --as qian.hao note 2026-000001 "" &&
	run "$1" err-when --as chen.jing extend 2026-000001 --to 明天 \
		--reason x &&
	run "$1" err-reopen --as chen.jing reopen 2026-000004 --reason x
}

# The words a clerk reads as they are: the store's ids, the case
# model's ids, command, format and program names.
test_expect_success 'setup: the words that are ids, not English' '
	docket --commands >commands &&
	{
		cat commands
		echo help; echo docket; echo git; echo man
		sed -n "s/.*id: \([a-z0-9._-]*\).*/\1/p" s/docket.yaml
		printf "%s\n" received pending-info accepted assigned on-hold \
			closed rejected open complaint report resolved mediated \
			mediation-failed referred unfounded withdrawn merged \
			satisfied fairly-satisfied neutral dissatisfied \
			unreachable ack feedback resolve table json csv ids yaml \
			text md html group department category channel \
			respondent assignee kind priority site sms wechat email visit phone letter \
			web intake triage supervisor handler mon tue wed thu fri \
			sat sun categories staff label sha256 true false \
			examples agriculture hospital null pdf chromium
	} >allow
'

test_expect_success 'every output, under LANG=zh_CN.UTF-8 (locale not generated)' '
	run_all zh
'

test_expect_success 'every output, under language: zh in docket.yaml and LANG=C' '
	run_all yaml
'

# The keys of the JSON and CSV reports are ids for scripts: allowed in
# those two files only, so that a key never hides English elsewhere.
test_expect_success 'the JSON and CSV keys, allowed in those files' '
	cp allow allow-keys &&
	for f in out/*/report.json; do
		python3 -c "import json,sys
def keys(v):
    if isinstance(v, dict):
        for k, x in v.items():
            print(k); keys(x)
    elif isinstance(v, list):
        for x in v: keys(x)
keys(json.load(open(sys.argv[1])))" "$f" || exit 1
	done | tr "._-" "\n\n\n" >>allow-keys &&
	for f in out/*/report.csv; do
		head -n 1 "$f" | tr ",._-" "\n\n\n\n" || exit 1
	done >>allow-keys
'

# all_chinese LIST: every file named in LIST (one a line) is UTF-8 and
# holds a CJK ideograph.  One interpreter for all of them, not one each.
all_chinese () {
	python3 -c "import re,sys
bad = 0
for f in open(sys.argv[1], encoding=\"utf-8\").read().splitlines():
    text = open(f, encoding=\"utf-8\").read()
    if not re.search(\"[\u4e00-\u9fff]\", text):
        print(\"no Chinese in %s:\" % f); print(text); bad = 1
sys.exit(bad)" "$1"
}

test_expect_success 'each output holds Chinese (the command really ran)' '
	for f in out/*/*; do
		case $f in */report.csv|*/report.json) continue ;; esac
		echo "$f"
	done >outputs &&
	test_line_count -gt 10 outputs &&
	all_chinese outputs &&
	printf "English only\n" >english && cp outputs with-english &&
	echo english >>with-english &&
	! all_chinese with-english >found &&
	test_grep "no Chinese in english" found
'

# out/MODE/* but the pending outputs and the JSON and CSV reports
checked () {
	for f in out/$1/*; do
		case " $PENDING " in *" ${f##*/} "*) continue ;; esac
		case $f in */report.json|*/report.csv) continue ;; esac
		echo "$f"
	done
}

test_expect_success 'no English in what a clerk reads under LANG=zh_CN.UTF-8' '
	python3 "$TEST_DIRECTORY/ascii-words.py" allow $(checked zh) &&
	python3 "$TEST_DIRECTORY/ascii-words.py" allow-keys out/zh/report.json \
		out/zh/report.csv
'

test_expect_success 'no English under language: zh with LANG=C' '
	python3 "$TEST_DIRECTORY/ascii-words.py" allow $(checked yaml) &&
	python3 "$TEST_DIRECTORY/ascii-words.py" allow-keys \
		out/yaml/report.json out/yaml/report.csv
'

test_expect_success 'both ways give the same words' '
	for f in out/zh/*; do
		test_cmp "$f" "out/yaml/${f##*/}" || exit 1
	done
'

test_expect_success 'the HTML report says it is Chinese' '
	test_grep "<html lang=\"zh-CN\">" out/zh/report.html &&
	test_grep "<html lang=\"zh-CN\">" out/yaml/report.html &&
	(unset LC_ALL; LANG=C; export LANG;
	 docket -C s report --month 2026-11 --format html) >en.html &&
	test_grep "<html lang=\"en\">" en.html
'

# clerk MODE DIR ARGS...: docket in store DIR as a clerk runs it, in the
# language of MODE (zh: LANG=zh_CN.UTF-8; yaml: LANG=C, DIR's docket.yaml
# says language: zh); the exit status is docket's.
clerk () {
	clerk_mode_=$1
	clerk_dir_=$2
	shift 2
	(
		unset LC_ALL LANGUAGE LC_MESSAGES
		if [ "$clerk_mode_" = zh ]; then
			LANG=zh_CN.UTF-8
		else
			LANG=C
		fi
		export LANG
		DOCKET_NOW=2026-12-01T09:00:00+08:00 docket -C "$clerk_dir_" "$@"
	)
}

test_expect_success 'check names a history that disagrees with its file in Chinese' '
	git clone -q s hist &&
	git -C hist commit -q --allow-empty -m "file 2026-000001" \
		-m "Case: 2026-000001
Action: file" &&
	test_expect_code 1 clerk zh hist check >said 2>err &&
	test_grep "^已检查 4 件，发现问题 1 处$" said &&
	test_grep "$(case_path 2026-000001)：提交历史中有 2 次“file”提交，但文件中有 1 条“file”事件" err &&
	! grep "history has\|commits\|problem" said err &&
	python3 "$TEST_DIRECTORY/ascii-words.py" allow said err
'

test_expect_success 'check names a case file at the wrong path in Chinese, under language: zh' '
	git clone -q t moved &&
	mkdir -p moved/cases/2025/000 &&
	git -C moved mv $(case_path 2026-000002) \
		cases/2025/000/2026-000002.yaml &&
	git -C moved commit -q -m "moved by hand" &&
	test_expect_code 1 clerk yaml moved check >said 2>err &&
	test_grep "^已检查 4 件，发现问题 1 处$" said &&
	test_grep "cases/2025/000/2026-000002.yaml：存放的是案件“2026-000002”，该案件的文件应为 $(case_path 2026-000002)" err &&
	! grep "whose file should be\|problem" said err &&
	python3 "$TEST_DIRECTORY/ascii-words.py" allow said err
'

test_expect_success 'remind says its usage errors in Chinese' '
	for mode in zh yaml; do
		if [ $mode = zh ]; then dir=s; else dir=t; fi &&
		test_expect_code 2 clerk $mode $dir --as chen.jing remind --format bogus \
			>/dev/null 2>err &&
		test_grep "没有“bogus”这种格式（可用 text、json）" err &&
		test_grep "^用法：docket remind" err &&
		! grep "unknown format" err &&
		test_expect_code 2 clerk $mode $dir --as chen.jing remind --within 3x \
			>/dev/null 2>err &&
		test_grep "“3x”不是时长，应写成 1wd、2d 或 8h 这样" err &&
		! grep "is not a duration" err &&
		python3 "$TEST_DIRECTORY/ascii-words.py" allow err || return 1
	done
'

test_expect_success 'the checker itself finds English (it can fail)' '
	printf "办结 closed 2026-000001 --outcome\n未解决 the case\n" >probe &&
	test_must_fail_py_ () { ! python3 "$TEST_DIRECTORY/ascii-words.py" allow probe >found; } &&
	test_must_fail_py_ &&
	test_grep "English word .the." found &&
	! grep -q "closed" found
'

test_done
