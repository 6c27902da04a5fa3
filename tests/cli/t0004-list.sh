#!/bin/sh
test_description='docket list: filters and the table, json, csv and ids formats'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER

# list_ids ARGS...: the ids `docket list ARGS --format ids` prints, sorted,
# into the file actual (run inside the store s).
list_ids () {
	(cd s && docket list "$@" --format ids >../ids.out 2>../err) &&
	test_must_be_empty err &&
	sort ids.out >actual
}

# expect_ids ID...: the file expect, one id a line
expect_ids () {
	if [ $# -eq 0 ]; then
		: >expect
	else
		printf '%s\n' "$@" >expect
	fi
}

test_expect_success 'list in an empty store prints nothing and succeeds' '
	docket_init_store empty &&
	(cd empty && docket list --format ids >../out 2>../err) &&
	test_must_be_empty out &&
	test_must_be_empty err
'

test_expect_success 'list --format json in an empty store is an empty array' '
	(cd empty && docket list --format json >../out.json) &&
	test "$(jq -c . out.json)" = "[]"
'

# 2026-000001 closed (received 2026-10-09), by hand
# 2026-000002 assigned to li.na, quality, service-quality/delay (11-02),
#             resolve due 2026-11-23: overdue, by hand
# 2026-000003 received 11-28, safety, a subject with a comma and quotes
# 2026-000004 received 11-20, fees/refund, ack due 11-23: overdue
# 2026-000005 received 11-28, anonymous report, no category
test_expect_success 'setup: five cases in different states' '
	docket_init_store s &&
	mkdir -p s/cases/2026/000 &&
	cp "$TEST_DATA/closed-case.yaml" s/cases/2026/000/2026-000001.yaml &&
	cp "$TEST_DATA/assigned-case.yaml" s/cases/2026/000/2026-000002.yaml &&
	git -C s add cases &&
	git -C s commit -q -m "two cases added by hand" &&
	(cd s &&
	 docket file --channel phone --phone 13800000003 --category safety \
		--subject "电梯,故障 \"急\"" >../id3 &&
	 docket file --channel letter --address 幸福路1号 --subject 退费 \
		--category fees/refund \
		--received-at 2026-11-20T10:00:00+08:00 >../id4 &&
	 docket file --channel web --anonymous --subject 匿名举报 >../id5) &&
	echo 2026-000005 >expect && test_cmp expect id5 &&
	store_state s >state
'

test_expect_success 'list --format ids prints every case, one id a line' '
	list_ids &&
	expect_ids 2026-000001 2026-000002 2026-000003 2026-000004 2026-000005 &&
	test_cmp expect actual
'

test_expect_success 'list --status received' '
	list_ids --status received &&
	expect_ids 2026-000003 2026-000004 2026-000005 &&
	test_cmp expect actual
'

test_expect_success 'list --status closed' '
	list_ids --status closed &&
	expect_ids 2026-000001 &&
	test_cmp expect actual
'

test_expect_success 'list --status open lists every open case' '
	list_ids --status open &&
	expect_ids 2026-000002 2026-000003 2026-000004 2026-000005 &&
	test_cmp expect actual
'

test_expect_success 'list --assignee' '
	list_ids --assignee li.na &&
	expect_ids 2026-000002 &&
	test_cmp expect actual
'

test_expect_success 'list --department' '
	list_ids --department quality &&
	expect_ids 2026-000002 &&
	test_cmp expect actual
'

test_expect_success 'list --category includes the categories below it' '
	list_ids --category service-quality &&
	expect_ids 2026-000002 &&
	test_cmp expect actual &&
	list_ids --category fees &&
	expect_ids 2026-000004 &&
	test_cmp expect actual &&
	list_ids --category fees/refund &&
	test_cmp expect actual
'

test_expect_success 'list --category does not match a sibling' '
	list_ids --category fees/overcharge &&
	expect_ids &&
	test_cmp expect actual
'

test_expect_success 'list --since DATE keeps cases received on or after it' '
	list_ids --since 2026-11-20 &&
	expect_ids 2026-000003 2026-000004 2026-000005 &&
	test_cmp expect actual
'

test_expect_success 'list --overdue: open cases past a deadline not yet met' '
	list_ids --overdue &&
	expect_ids 2026-000002 2026-000004 &&
	test_cmp expect actual
'

test_expect_success 'list --overdue follows DOCKET_NOW' '
	(cd s && DOCKET_NOW=2026-11-20T12:00:00+08:00 &&
	 export DOCKET_NOW &&
	 docket list --overdue --format ids >../ids.out) &&
	sort ids.out >actual &&
	expect_ids 2026-000002 &&
	test_cmp expect actual
'

test_expect_success 'filters combine' '
	list_ids --status received --category fees &&
	expect_ids 2026-000004 &&
	test_cmp expect actual &&
	list_ids --status open --since 2026-11-21 --category safety &&
	expect_ids 2026-000003 &&
	test_cmp expect actual
'

test_expect_success 'list --format json is an array with one object per case' '
	(cd s && docket list --format json >../out.json) &&
	test "$(jq -r "type" out.json)" = array &&
	test "$(jq -r "length" out.json)" = 5 &&
	jq -r ".[].id" out.json | sort >actual &&
	expect_ids 2026-000001 2026-000002 2026-000003 2026-000004 2026-000005 &&
	test_cmp expect actual
'

test_expect_success 'list --format json carries the status, assignee and subject' '
	test "$(jq -r ".[] | select(.id == \"2026-000002\") | .status" out.json)" = assigned &&
	test "$(jq -r ".[] | select(.id == \"2026-000002\") | .assignee" out.json)" = li.na &&
	test "$(jq -r ".[] | select(.id == \"2026-000003\") | .subject" out.json)" = "电梯,故障 \"急\""
'

test_expect_success 'list --format json with a filter' '
	(cd s && docket list --status closed --format json >../out.json) &&
	test "$(jq -r "length" out.json)" = 1 &&
	test "$(jq -r ".[0].id" out.json)" = 2026-000001
'

test_expect_success 'list --format csv has a header row and one row per case' '
	(cd s && docket list --format csv >../out.csv) &&
	head -n 1 out.csv >header &&
	test_grep "^id," header &&
	test_grep "status" header &&
	test_grep "subject" header &&
	test_line_count = 6 out.csv
'

test_expect_success 'list --format csv quotes a comma and quotes (RFC 4180)' '
	/usr/bin/python3 -c "
import csv, sys
rows = list(csv.DictReader(open(\"out.csv\", encoding=\"utf-8\", newline=\"\")))
ids = sorted(r[\"id\"] for r in rows)
assert ids == [\"2026-00000%d\" % i for i in range(1, 6)], ids
subj = [r[\"subject\"] for r in rows if r[\"id\"] == \"2026-000003\"]
assert subj == [\"电梯,故障 \\\"急\\\"\"], subj
"
'

test_expect_success 'list (table) has a header and one line per case with its subject' '
	(cd s && docket list >../out.txt 2>../err) &&
	test_must_be_empty err &&
	test_line_count = 6 out.txt &&
	test_grep 办事拖延 out.txt &&
	test_grep 匿名举报 out.txt &&
	test_grep 2026-000004 out.txt
'

test_expect_success 'list changes nothing in the store' '
	store_state s >after &&
	test_cmp state after
'

test_expect_success 'list --status with an unknown status is a usage error' '
	expect_refusal --code 2 s "nonsense" docket list --status nonsense &&
	test_grep "^usage: docket list" err
'

test_expect_success 'list --format with an unknown format is a usage error' '
	expect_refusal --code 2 s "xml" docket list --format xml
'

test_expect_success 'list --since with a malformed date fails' '
	expect_refusal s "2026-02-30" docket list --since 2026-02-30
'

test_expect_success 'list names a broken case file, still lists the others, exits 1' '
	printf "id: 2026-000005\nstatus: [broken\n" \
		>s/cases/2026/000/2026-000005.yaml &&
	git -C s commit -q -a -m "break a case by hand" &&
	(cd s && test_must_fail docket list --format ids >../ids.out 2>../err) &&
	test_grep "cases/2026/000/2026-000005.yaml:[0-9]*:[0-9]*" err &&
	sort ids.out >actual &&
	expect_ids 2026-000001 2026-000002 2026-000003 2026-000004 &&
	test_cmp expect actual
'

test_done
