#!/bin/sh
test_description='report: first answer on time, return visits, collective complaints, --by priority and --by kind, against hand-worked October figures'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# Six cases received Mon 2026-10-12 09:00; feedback 3wd is Thu 10-15,
# deadlines.visit 3wd after closing.  By hand, for October:
#   1  6 complainants (collective), open, no answer yet
#   2  contact 10-13 (answer on time); closed 10-14; visit due 10-19
#      (10-15, 10-16, 10-19), visited 10-16: on time
#   3  closed 10-20 (its first answer, late); visit due 10-23 (10-21,
#      10-22, 10-23), visited 10-27: late
#   4  urgent; closed 10-13 (answer on time); not visited by 10-31
#   5  anonymous report, open
#   6  closed withdrawn 10-13 (answer on time); owes no visit
# feedback_on_time_rate 3/4, visit_rate 2/3 (2, 3 of 2, 3, 4),
# visit_on_time_rate 1/2, collective 1 with 6 people.
test_expect_success 'setup: the six cases' '
	setup_store s &&
	sed -i "s/^  resolve: 15wd$/  resolve: 15wd\n  visit: 3wd/" s/docket.yaml &&
	git -C s commit -q -a -m visits &&
	run_at s 2026-10-12T09:00:00 zhang.wei file --channel visit \
		--phone 13900000101 --count 6 --subject 集体反映化肥质量 \
		--respondent 某农资公司 >id1 &&
	new_case s 2026-10-12 assigned >id2 &&
	new_case s 2026-10-12 assigned >id3 &&
	new_case s 2026-10-12 assigned >id4 &&
	run_at s 2026-10-12T09:00:00 zhang.wei file --channel phone \
		--anonymous --subject 举报销售假农药 --respondent 某门店 >id5 &&
	new_case s 2026-10-12 assigned >id6 &&
	run_at s 2026-10-12T12:00:00 chen.jing triage 2026-000004 --priority urgent &&
	run_at s 2026-10-13T10:00:00 sun.li note 2026-000002 已电话答复 --contact phone &&
	run_at s 2026-10-14T15:00:00 sun.li close 2026-000002 --outcome resolved \
		--summary 已退货 --notified phone &&
	run_at s 2026-10-16T10:00:00 chen.jing feedback 2026-000002 --satisfaction satisfied &&
	run_at s 2026-10-20T15:00:00 sun.li close 2026-000003 --outcome resolved \
		--summary 已调换 --notified phone &&
	run_at s 2026-10-27T10:00:00 chen.jing feedback 2026-000003 --satisfaction neutral &&
	run_at s 2026-10-13T15:00:00 sun.li close 2026-000004 --outcome resolved \
		--summary 已处理 --notified phone &&
	run_at s 2026-10-13T16:00:00 sun.li close 2026-000006 --outcome withdrawn \
		--summary 投诉人撤回
'

test_expect_success 'JSON: the new figures are the hand-worked ones' '
	run_at s 2026-11-02T09:00:00 chen.jing report --month 2026-10 --format json >r.json &&
	/usr/bin/python3 - <<-\EOF
	import json
	r = json.load(open("r.json"))
	want = {"received": 6, "feedback_on_time_rate": 0.75,
	        "visit_rate": 2 / 3, "visit_on_time_rate": 0.5,
	        "collective": 1, "collective_people": 6}
	for k, v in want.items():
	    assert abs(r[k] - v) < 1e-9, (k, r[k], v)
	p = r["previous"]
	assert p["collective"] == 0 and p["feedback_on_time_rate"] is None, p
	assert p["visit_rate"] is None and p["visit_on_time_rate"] is None, p
	EOF
'

test_expect_success 'CSV: the same figures under their documented columns' '
	run_at s 2026-11-02T09:00:00 chen.jing report --month 2026-10 --format csv >r.csv &&
	/usr/bin/python3 - <<-\EOF
	import csv
	rows = list(csv.DictReader(open("r.csv", newline="", encoding="utf-8")))
	r = rows[0]
	assert r["feedback_on_time_rate"] == "0.75", r
	assert r["visit_rate"] == "0.666667", r
	assert r["visit_on_time_rate"] == "0.5", r
	assert r["collective"] == "1" and r["collective_people"] == "6", r
	EOF
'

test_expect_success '--by priority: urgent 1 case (closed, answered on time, not visited), normal 5' '
	run_at s 2026-11-02T09:00:00 chen.jing report --month 2026-10 --by priority --format json >p.json &&
	/usr/bin/python3 - <<-\EOF
	import json
	rows = {x["priority"]: x for x in json.load(open("p.json"))["rows"]}
	assert sorted(rows) == ["normal", "urgent"], rows.keys()
	u, n = rows["urgent"], rows["normal"]
	assert (u["received"], u["closed"], u["visit_rate"]) == (1, 1, 0.0), u
	assert u["feedback_on_time_rate"] == 1.0, u
	assert (n["received"], n["closed"], n["collective"]) == (5, 3, 1), n
	assert abs(n["feedback_on_time_rate"] - 2 / 3) < 1e-9, n
	EOF
'

test_expect_success '--by kind (and 类型, 紧急程度 in Chinese): complaint 5, report 1' '
	run_at s 2026-11-02T09:00:00 chen.jing report --month 2026-10 --by kind --format json >k.json &&
	/usr/bin/python3 -c "import json,sys; r={x[\"kind\"]: x[\"received\"] for x in json.load(open(\"k.json\"))[\"rows\"]}; sys.exit(r != {\"complaint\": 5, \"report\": 1})" &&
	run_at s 2026-11-02T09:00:00 chen.jing report --month 2026-10 --by 类型 --format json >k2.json &&
	test_cmp k.json k2.json &&
	run_at s 2026-11-02T09:00:00 chen.jing report --month 2026-10 --by 紧急程度 --format json >p2.json &&
	test_cmp p.json p2.json
'

test_expect_success 'collective.threshold: decided at intake; 7 leaves a later 6-person case out; a bad value is named' '
	printf "collective:\n  threshold: 7\n" >>s/docket.yaml &&
	git -C s commit -q -a -m "threshold 7" &&
	test "$(case_get s 2026-000001 collective)" = true &&
	run_at s 2026-11-02T09:00:00 chen.jing report --month 2026-10 --format json >t.json &&
	/usr/bin/python3 -c "import json,sys; r=json.load(open(\"t.json\")); sys.exit(r[\"collective\"] != 1)" &&
	run_at s 2026-11-03T09:00:00 zhang.wei file --channel visit \
		--phone 13900000107 --count 6 --subject 集体反映种子质量 >id7 &&
	! grep -q "^collective:" "s/$(case_path "$(cat id7)")" &&
	run_at s 2026-12-01T09:00:00 chen.jing report --month 2026-11 --format json >t.json &&
	/usr/bin/python3 -c "import json,sys; r=json.load(open(\"t.json\")); sys.exit(r[\"received\"] != 1 or r[\"collective\"] != 0)" &&
	sed -i "s/threshold: 7/threshold: 1/" s/docket.yaml &&
	(cd s && test_must_fail docket check) 2>err &&
	test_grep "collective.threshold" err
'

test_done
