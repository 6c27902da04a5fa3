#!/bin/sh
test_description='co-handlers (协办): the agriculture routing table, notes by co-handlers, their reply deadlines in show and remind'
. "$(dirname "$0")/lib.sh"

# The agriculture template; the 2026 calendar: Oct 1-7 holidays, Sat
# Oct 10 a make-up working day.
at () {
	when=$1 who=$2
	shift 2
	(cd s && DOCKET_NOW=${when}+08:00 docket --as "$who" "$@")
}

test_expect_success 'setup: a 药害 complaint filed and accepted Tue 2026-09-29' '
	docket init s --template agriculture >/dev/null &&
	at 2026-09-29T09:00:00 zhang.wei file --channel phone --name 赵某 \
		--phone 13700000003 --respondent 某家庭农场 \
		--subject 邻田喷洒除草剂飘移致烟叶药害 >id &&
	at 2026-09-29T10:00:00 chen.jing triage 2026-000001 --accept \
		--category pesticide/damage 2>err &&
	test_grep "township-extension" err
'

test_expect_success 'assign: the category adds 植保站 as co-handler (配合), never as lead; --co takes a person' '
	at 2026-09-29T11:00:00 chen.jing assign 2026-000001 --to feng.yan \
		--co 周敏 &&
	sed -n "s/^department: //p" s/cases/2026/000/2026-000001.yaml >dep &&
	echo cash-crops >expect &&
	test_cmp expect dep &&
	grep "^co_departments: \[plant-protection\]$" s/cases/2026/000/2026-000001.yaml &&
	tail -n 1 s/cases/2026/000/2026-000001.yaml >ev &&
	test_grep "co: \[plant-protection\]" ev &&
	test_grep "co_staff: \[zhou.min\]" ev
'

test_expect_success 'show lists each co-handler with its reply deadline: 3wd from Tue 09-29 is Fri 10-09' '
	at 2026-09-30T09:00:00 feng.yan show 2026-000001 --format text >out &&
	test_grep "^Co-handling: *植保站 (plant-protection), reply due 2026-10-09T23:59:59+08:00$" out &&
	test_grep "^ *周敏 (zhou.min), reply due 2026-10-09T23:59:59+08:00$" out
'

test_expect_success 'remind on 10-08: both replies due soon, each to its own co-handler' '
	at 2026-10-08T09:00:00 chen.jing remind --dry-run --format json >r.json &&
	/usr/bin/python3 - r.json <<-\EOF
	import json, sys
	rs = [r for r in json.load(open(sys.argv[1])) if r["deadline"] == "co_reply"]
	got = sorted((r["co"], r["state"], r["due"], tuple(r["to"])) for r in rs)
	want = [("plant-protection", "due-soon", "2026-10-09T23:59:59+08:00", ("wang.qiang",)),
	        ("zhou.min", "due-soon", "2026-10-09T23:59:59+08:00", ("zhou.min",))]
	sys.exit(0 if got == want else "got %r" % (got,))
	EOF
'

test_expect_success 'a co-handling station notes and attaches its part; that meets its reply' '
	echo 鉴定意见 >opinion.txt &&
	at 2026-10-08T15:00:00 wang.qiang note 2026-000001 \
		"现场鉴定：符合除草剂飘移药害" --attach ../opinion.txt &&
	at 2026-10-08T16:00:00 feng.yan show 2026-000001 --format text >out &&
	test_grep "植保站 (plant-protection), reply due 2026-10-09T23:59:59+08:00 (met)$" out
'

test_expect_success 'a department that neither leads nor co-handles may not note; nothing changes' '
	expect_refusal s "he.jun" docket --as he.jun note 2026-000001 看过了
'

test_expect_success 'remind on Mon 10-12: the person who has not replied is overdue (10-10 make-up Sat, 10-12: 2 working days)' '
	at 2026-10-12T09:00:00 chen.jing remind --dry-run --format json >r.json &&
	/usr/bin/python3 - r.json <<-\EOF
	import json, sys
	rs = [r for r in json.load(open(sys.argv[1])) if r["deadline"] == "co_reply"]
	got = sorted((r["co"], r["state"], r["working_days"], tuple(r["to"])) for r in rs)
	want = [("zhou.min", "overdue", 2, ("zhou.min",))]
	sys.exit(0 if got == want else "got %r" % (got,))
	EOF
'

test_expect_success 'remind records the co_reply reminder with its co-handler and does not repeat it the same day' '
	at 2026-10-12T09:00:00 chen.jing remind >out &&
	test_grep "co_reply" out &&
	tail -n 1 s/cases/2026/000/2026-000001.yaml >ev &&
	test_grep "deadline: co_reply" ev &&
	test_grep "co: zhou.min" ev &&
	at 2026-10-12T10:00:00 chen.jing remind --dry-run --format json >r.json &&
	! test_grep co_reply r.json
'

test_expect_success 'the co-handling person logs a contact: his reply is met (late), the lead sees it' '
	at 2026-10-12T11:00:00 zhou.min note 2026-000001 已电话告知投诉人鉴定进展 \
		--contact phone &&
	at 2026-10-12T12:00:00 feng.yan show 2026-000001 --format text >out &&
	test_grep "周敏 (zhou.min), reply due 2026-10-09T23:59:59+08:00 (met late)$" out
'

test_expect_success 'assign --return clears the co-handlers; the template check passes' '
	at 2026-10-12T13:00:00 feng.yan assign 2026-000001 --return --reason 非本站职责 &&
	at 2026-10-12T14:00:00 chen.jing show 2026-000001 --format text >out &&
	! test_grep "Co-handling" out &&
	(cd s && docket check) >out
'

test_done
