#!/bin/sh
test_description='the hospital template end to end: several departments (multi-dept, 10wd from receipt), co-departments report in 3wd, return visit in 5wd; deadlines worked by hand on the 2026 calendar'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# reminders FILE: "case deadline co who..." lines of remind's JSON
reminders () {
	/usr/bin/python3 -c '
import json, sys
for r in json.load(open(sys.argv[1])):
    print(r["case"], r["deadline"], r.get("co", "-"), " ".join(r["to"]))' "$1"
}

# Filed Mon 11-02 09:00.  Feedback 10wd from receipt (multi-dept):
# 11-03..06 (4), 11-09..13 (9), 11-16 (10).  Resolve 15wd from the
# acceptance: ... 11-20 (14), 11-23 (15).  co_reply 3wd from the
# assignment: 11-03, 04, 05.
test_expect_success 'a complaint across departments: accepted as multi-dept, 10 working days from receipt' '
	docket init h --template hospital >/dev/null &&
	run_at h 2026-11-02T09:00:00 he.ping file --channel visit \
		--phone 13900000001 --subject 转科推诿 \
		--description 患者在内科和外科之间多次转科，各科室互相推诿 >id &&
	test "$(case_get h 2026-000001 due.feedback)" = 2026-11-09T23:59:59+08:00 &&
	run_at h 2026-11-02T10:00:00 jiang.li triage 2026-000001 --accept \
		--category multi-dept 2>/dev/null &&
	test "$(case_get h 2026-000001 due.feedback)" = 2026-11-16T23:59:59+08:00 &&
	test "$(case_get h 2026-000001 due.resolve)" = 2026-11-23T23:59:59+08:00
'

test_expect_success 'the office keeps the lead; two co-departments each report within 3 working days' '
	run_at h 2026-11-02T11:00:00 jiang.li assign 2026-000001 --to jiang.li \
		--co medical-affairs --co outpatient 2>/dev/null &&
	run_at h 2026-11-02T12:00:00 jiang.li show 2026-000001 --format json >show.json &&
	/usr/bin/python3 -c "
import json
c = json.load(open(\"show.json\"))
print(\" \".join(sorted(c[\"co_departments\"])))" >actual &&
	echo "medical-affairs outpatient" >expect &&
	test_cmp expect actual &&
	run_at h 2026-11-02T12:00:00 jiang.li show 2026-000001 --format text >out &&
	test_grep "2026-11-05T23:59:59+08:00" out
'

test_expect_success 'medical affairs reports on 11-04; on 11-06 only outpatient is chased, its head reminded' '
	run_at h 2026-11-04T15:00:00 lu.feng note 2026-000001 医务科已调查：会诊流程延误 &&
	run_at h 2026-11-06T09:00:00 jiang.li remind --dry-run --within 0h --format json >r.json &&
	reminders r.json >actual &&
	echo "2026-000001 co_reply outpatient yu.lan" >expect &&
	test_cmp expect actual
'

test_expect_success 'outpatient reports; the office calls back on 11-09 (answer on time) and closes on 11-12' '
	run_at h 2026-11-06T10:00:00 yu.lan note 2026-000001 门诊部已核实 &&
	run_at h 2026-11-09T10:00:00 jiang.li note 2026-000001 已电话告知调查进展 \
		--contact phone &&
	run_at h 2026-11-12T10:00:00 jiang.li close 2026-000001 --outcome resolved \
		--summary 已协调会诊并向患者致歉 --notified phone &&
	test "$(case_get h 2026-000001 status)" = closed &&
	test "$(case_get h 2026-000001 due.visit)" = 2026-11-19T23:59:59+08:00
'

test_expect_success 'the return visit is chased once it is late, and the visit meets it' '
	run_at h 2026-11-20T09:00:00 jiang.li remind --dry-run --within 0h --format json >r.json &&
	reminders r.json >actual &&
	echo "2026-000001 visit - jiang.li" >expect &&
	test_cmp expect actual &&
	run_at h 2026-11-20T10:00:00 jiang.li feedback 2026-000001 --satisfaction satisfied &&
	run_at h 2026-11-20T11:00:00 jiang.li remind --dry-run --within 0h --format json >r.json &&
	reminders r.json >actual &&
	test_must_be_empty actual
'

test_expect_success 'November: answer on time 1/1, visited 1/1, visited on time 0/1' '
	run_at h 2026-12-01T09:00:00 jiang.li report --month 2026-11 --format json >nov.json &&
	/usr/bin/python3 -c "
import json
r = json.load(open(\"nov.json\"))
print(r[\"received\"], r[\"closed\"], r[\"feedback_on_time_rate\"], r[\"visit_rate\"], r[\"visit_on_time_rate\"])" >actual &&
	echo "1 1 1.0 1.0 0.0" >expect &&
	test_cmp expect actual &&
	docket -C h check
'

test_done
