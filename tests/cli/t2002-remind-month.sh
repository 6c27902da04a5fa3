#!/bin/sh
test_description='docket remind: a month of morning cron runs over National Day'
. "$(dirname "$0")/lib.sh"

# Nine cases filed on Monday 28 September 2026, in every status, then
# `docket remind --mail` every morning at 07:30 from 29 September to 28
# October, while the office works the cases at 10:00 on some days.  The
# calendar is China's 2026 (DESIGN section 5): 1-7 October are holidays,
# Saturday 10 October is a make-up working day.  remind: within 1wd,
# repeat 1wd, escalate_after 2wd.
#
#   1 received      ack 09-29, feedback 10-08; rejected on 10-12
#   2 pending-info  clock stopped all month: never reminded
#   3 accepted      nobody assigned: the triage staff (chen.jing);
#                   feedback met 09-29; resolve 10-23
#   4 assigned      sun.li of soil-station (head zhao.lei); feedback 10-08
#                   met on 10-09; resolve 10-23
#   5 on-hold       clock stopped all month: never reminded
#   6 closed        never reminded
#   7 rejected      never reminded
#   8 assigned      zhao.lei, assign --due 10-09, extended on 10-12 to
#                   10-16 (a moved deadline reminds afresh); closed 10-23
#   9 assigned      urgent (resolve 3wd: 10-08) to the enforcement
#                   department: its head qian.hao; overdue all month
#
# Two mornings the mail fails: on 10-13 for liu.yang only, on 10-15 for
# everyone; each time the cron job is run again at 12:00 and sends
# exactly what was missed.  The expected reminders below were worked out
# by hand: a reminder sent on day D is not repeated before the end of
# the working day after D, a new level or a new due time reminds afresh.

PATH=$TEST_DATA:$PATH
FAKE_SENDMAIL_SPOOL=$TRASH_DIRECTORY/spool
export PATH FAKE_SENDMAIL_SPOOL

# as STAFF TIME docket ARGS...: run docket in store s as STAFF at TIME.
as () {
	as_who_=$1
	as_when_=$2
	shift 2
	(cd s && DOCKET_USER=$as_who_ DOCKET_NOW=$as_when_ "$@")
}

# run_remind DAY HH:MM: the cron job; keeps stdout, stderr and the exit
# status in runs/DAYTHH:MM.{out,err} and runs.log.
run_remind () {
	run_at_=$1T$2
	run_code_=0
	(cd s && DOCKET_USER=chen.jing DOCKET_NOW=$run_at_:00+08:00 \
		docket remind --mail) >runs/$run_at_.out 2>runs/$run_at_.err ||
		run_code_=$?
	echo "$run_at_ $run_code_ $(wc -l <runs/$run_at_.out)" >>runs.log
}

# The office's work on a day, at 10:00.
work () {
	t=$1T10:00:00+08:00
	case $1 in
	2026-09-29)
		as chen.jing $t docket note 2026-000003 电话告知已受理 \
			--contact phone &&
		as zhao.lei $t docket note 2026-000008 电话告知已受理 \
			--contact phone &&
		as qian.hao $t docket note 2026-000009 电话告知已受理 \
			--contact phone
		;;
	2026-10-09)
		as sun.li $t docket note 2026-000004 电话联系投诉人 \
			--contact phone
		;;
	2026-10-12)
		as chen.jing $t docket triage 2026-000001 \
			--reject out-of-scope &&
		as chen.jing $t docket extend 2026-000008 --to 2026-10-16 \
			--reason 等待抽检结果
		;;
	2026-10-23)
		as zhao.lei $t docket close 2026-000008 --outcome resolved \
			--summary 已责令停售并下架 --late-reason 抽检延误 \
			--notified phone
		;;
	esac
}

test_expect_success 'setup: nine cases in every status on Monday 28 September' '
	docket_init_store s &&
	sed "s|^  sendmail: .*|  sendmail: fake-sendmail -t -oi|" \
		"$TEST_DATA/remind-docket.yaml" >s/docket.yaml &&
	git -C s commit -q -m "docket.yaml for the remind tests" docket.yaml &&
	t=2026-09-28T09:00:00+08:00 &&
	n=0 &&
	for subject in 化肥结块 农药包装无标签 种子发芽率低 复合肥质量差 \
		有机肥待检测 化肥缺斤少两 邻里纠纷 假冒复合肥 假农药致减产; do
		n=$((n + 1)) &&
		as zhang.wei $t docket file --channel phone --name 李某$n \
			--phone 1380000000$n --subject $subject >/dev/null ||
		return 1
	done &&
	t=2026-09-28T10:00:00+08:00 &&
	as chen.jing $t docket triage 2026-000002 --need-info 购买凭证 &&
	for id in 2026-000003 2026-000004 2026-000005 2026-000006; do
		as chen.jing $t docket triage $id --accept \
			--category fertilizer 2>/dev/null || return 1
	done &&
	as chen.jing $t docket assign 2026-000004 --to sun.li &&
	as chen.jing $t docket assign 2026-000005 --to qian.hao &&
	as chen.jing $t docket assign 2026-000006 --to zhao.lei &&
	as chen.jing $t docket triage 2026-000007 --reject out-of-scope &&
	as chen.jing $t docket triage 2026-000008 --accept --category fake \
		2>/dev/null &&
	as chen.jing $t docket assign 2026-000008 --to zhao.lei \
		--due 2026-10-09 &&
	as chen.jing $t docket triage 2026-000009 --accept --category fake \
		--priority urgent 2>/dev/null &&
	as chen.jing $t docket assign 2026-000009 --to enforcement &&
	t=2026-09-28T11:00:00+08:00 &&
	as qian.hao $t docket hold 2026-000005 --reason 等待检测结果 &&
	as zhao.lei $t docket close 2026-000006 --outcome resolved \
		--summary 已责令补足 --notified phone &&
	for id in 1 2 3 4 5 6 7 8 9; do
		f=s/$(case_path 2026-00000$id) &&
		echo "$id $(yaml_get $f status)" || return 1
	done >actual &&
	cat >expect <<-\EOF &&
	1 received
	2 pending-info
	3 accepted
	4 assigned
	5 on-hold
	6 closed
	7 rejected
	8 assigned
	9 assigned
	EOF
	test_cmp expect actual &&
	test "$(yaml_get s/$(case_path 2026-000009) due.resolve)" = \
		2026-10-08T23:59:59+08:00 &&
	test "$(yaml_get s/$(case_path 2026-000004) due.resolve)" = \
		2026-10-23T23:59:59+08:00 &&
	assert_clean s
'

test_expect_success 'a month of mornings, 29 September to 28 October' '
	mkdir runs &&
	i=0 &&
	while [ $i -lt 30 ]; do
		day=$(date -u -d "2026-09-29 $i days" +%F) &&
		case $day in
		2026-10-13) FAKE_SENDMAIL_FAIL=liu.yang@example.org ;;
		2026-10-15) FAKE_SENDMAIL_FAIL="*" ;;
		*) FAKE_SENDMAIL_FAIL= ;;
		esac &&
		export FAKE_SENDMAIL_FAIL &&
		run_remind $day 07:30 &&
		FAKE_SENDMAIL_FAIL= &&
		work $day &&
		case $day in
		2026-10-13|2026-10-15) run_remind $day 12:00 ;;
		esac &&
		i=$((i + 1)) || return 1
	done &&
	test_line_count = 32 runs.log &&
	assert_clean s
'

# Every remind event of the month: "AT CASE DEADLINE DUE LEVEL TO".
cat >expect-events <<\EOF
2026-09-29T07:30 2026-000001 ack 09-29 1 chen.jing
2026-09-30T07:30 2026-000001 feedback 10-08 1 chen.jing
2026-09-30T07:30 2026-000004 feedback 10-08 1 sun.li
2026-09-30T07:30 2026-000009 resolve 10-08 1 qian.hao
2026-10-01T07:30 2026-000001 ack 09-29 1 chen.jing
2026-10-08T07:30 2026-000008 resolve 10-09 1 zhao.lei
2026-10-09T07:30 2026-000001 ack 09-29 2 chen.jing,liu.yang
2026-10-09T07:30 2026-000001 feedback 10-08 1 chen.jing
2026-10-09T07:30 2026-000004 feedback 10-08 1 sun.li
2026-10-09T07:30 2026-000009 resolve 10-08 1 qian.hao
2026-10-10T07:30 2026-000008 resolve 10-09 1 zhao.lei
2026-10-11T07:30 2026-000001 ack 09-29 2 chen.jing,liu.yang
2026-10-11T07:30 2026-000001 feedback 10-08 2 chen.jing,liu.yang
2026-10-11T07:30 2026-000009 resolve 10-08 2 qian.hao,chen.jing,liu.yang
2026-10-13T07:30 2026-000009 resolve 10-08 2 qian.hao,chen.jing
2026-10-13T12:00 2026-000009 resolve 10-08 2 liu.yang
2026-10-15T12:00 2026-000008 resolve 10-16 1 zhao.lei
2026-10-15T12:00 2026-000009 resolve 10-08 2 qian.hao,chen.jing,liu.yang
2026-10-17T07:30 2026-000008 resolve 10-16 1 zhao.lei
2026-10-17T07:30 2026-000009 resolve 10-08 2 qian.hao,chen.jing,liu.yang
2026-10-20T07:30 2026-000008 resolve 10-16 1 zhao.lei
2026-10-20T07:30 2026-000009 resolve 10-08 2 qian.hao,chen.jing,liu.yang
2026-10-21T07:30 2026-000008 resolve 10-16 2 zhao.lei,chen.jing,liu.yang
2026-10-22T07:30 2026-000003 resolve 10-23 1 chen.jing
2026-10-22T07:30 2026-000004 resolve 10-23 1 sun.li
2026-10-22T07:30 2026-000009 resolve 10-08 2 qian.hao,chen.jing,liu.yang
2026-10-23T07:30 2026-000008 resolve 10-16 2 zhao.lei,chen.jing,liu.yang
2026-10-24T07:30 2026-000003 resolve 10-23 1 chen.jing
2026-10-24T07:30 2026-000004 resolve 10-23 1 sun.li
2026-10-24T07:30 2026-000009 resolve 10-08 2 qian.hao,chen.jing,liu.yang
2026-10-27T07:30 2026-000003 resolve 10-23 1 chen.jing
2026-10-27T07:30 2026-000004 resolve 10-23 1 sun.li
2026-10-27T07:30 2026-000009 resolve 10-08 2 qian.hao,chen.jing,liu.yang
2026-10-28T07:30 2026-000003 resolve 10-23 2 chen.jing,liu.yang
2026-10-28T07:30 2026-000004 resolve 10-23 2 sun.li,zhao.lei,chen.jing,liu.yang
EOF

test_expect_success 'each reminder was recorded exactly once per repeat window' '
	/usr/bin/python3 - s >actual <<-\EOF &&
	import glob, sys, yaml
	rows = []
	for path in sorted(glob.glob(sys.argv[1] + "/cases/*/*/*.yaml")):
	    with open(path, encoding="utf-8") as f:
	        case = yaml.load(f, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
	    for e in case["events"]:
	        if e["action"] == "remind":
	            rows.append((e["at"][:16], case["id"], e["deadline"],
	                         e["due"][5:10], e["level"], ",".join(e["to"])))
	for r in sorted(rows, key=lambda r: (r[0], r[1])):
	    print(*r)
	EOF
	test_cmp expect-events actual
'

test_expect_success 'escalation came on the third working day after the deadline' '
	grep " 2 " expect-events >level2 &&
	grep -m1 "2026-000001 ack" level2 >first &&
	grep "^2026-10-09T07:30 " first &&
	grep -m1 "2026-000009 resolve" level2 >first &&
	grep "^2026-10-11T07:30 " first &&
	grep -m1 "2026-000008 resolve" level2 >first &&
	grep "^2026-10-21T07:30 " first
'

test_expect_success 'each recipient got each reminder by mail exactly once' '
	while read at id deadline due level to; do
		for who in $(echo $to | tr , " "); do
			echo "$at $who@example.org $id $deadline $level"
		done
	done <expect-events | sort >expect &&
	mail-summary --lines spool/*.eml | sort >actual &&
	test_cmp expect actual &&
	ls spool/*.eml >mails &&
	cut -d" " -f1,2 expect | sort -u >messages &&
	test_line_count = $(wc -l <messages) mails
'

test_expect_success 'the stopped, closed and rejected cases were never mentioned' '
	! grep -e 2026-000002 -e 2026-000005 -e 2026-000006 -e 2026-000007 \
		runs/*.out
'

test_expect_success 'a morning with nothing to remind is silent and exits 0' '
	cut -d" " -f1 expect-events | sort -u >reminded &&
	echo 2026-10-15T07:30 >>reminded &&
	while read at code lines; do
		if grep -qx "$at" reminded; then
			test $lines -gt 0 || return 1
		else
			test $lines = 0 && test $code = 0 &&
			test_must_be_empty runs/$at.err || return 1
		fi
	done <runs.log &&
	awk "\$3 == 0 { print \$1 }" runs.log >silent &&
	cat >expect <<-\EOF &&
	2026-10-02T07:30
	2026-10-03T07:30
	2026-10-04T07:30
	2026-10-05T07:30
	2026-10-06T07:30
	2026-10-07T07:30
	2026-10-12T07:30
	2026-10-14T07:30
	2026-10-16T07:30
	2026-10-18T07:30
	2026-10-19T07:30
	2026-10-25T07:30
	2026-10-26T07:30
	EOF
	test_cmp expect silent
'

test_expect_success 'only the two mornings the mail failed exited 1' '
	awk "\$2 != 0 { print \$1, \$2 }" runs.log >failed &&
	printf "%s\n" "2026-10-13T07:30 1" "2026-10-15T07:30 1" >expect &&
	test_cmp expect failed &&
	grep "mail to .liu.yang. failed: .fake-sendmail. exited with status 75" \
		runs/2026-10-13T07:30.err &&
	grep "^docket: " runs/2026-10-13T07:30.err >failures &&
	test_line_count = 1 failures &&
	grep "^docket: remind: mail to .* failed: " runs/2026-10-15T07:30.err \
		>failures &&
	test_line_count = 4 failures
'

test_expect_success 'the failed morning still listed everything; the retry only what was missed' '
	cat >expect <<-\EOF &&
	chen.jing (陈静)
	  2026-000009  假农药致减产  resolve  overdue by 4 working days  level 2

	liu.yang (刘洋)
	  2026-000009  假农药致减产  resolve  overdue by 4 working days  level 2

	qian.hao (钱浩)
	  2026-000009  假农药致减产  resolve  overdue by 4 working days  level 2
	EOF
	test_cmp expect runs/2026-10-13T07:30.out &&
	cat >expect <<-\EOF &&
	liu.yang (刘洋)
	  2026-000009  假农药致减产  resolve  overdue by 4 working days  level 2
	EOF
	test_cmp expect runs/2026-10-13T12:00.out &&
	test_cmp runs/2026-10-15T07:30.out runs/2026-10-15T12:00.out
'

test_expect_success 'one commit per run that reminded, naming the cases it touched' '
	cut -d" " -f1,2 expect-events | uniq >expect &&
	git -C s log --reverse --grep="^Action: remind$" \
		--format="%aI%n%(trailers:key=Case,valueonly)" >log &&
	awk "/^2026-..-..T/ { at = substr(\$0, 1, 16); next }
	     NF { print at, \$0 }" log >actual &&
	test_cmp expect actual
'

test_done
