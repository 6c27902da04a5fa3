#!/bin/sh
test_description='collective complaints (集体投诉): flagged at intake from collective.threshold or --collective, representatives asked for, listed and counted'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

test_expect_success 'setup' '
	setup_store s
'

test_expect_success 'five workers (the default threshold) make a collective complaint' '
	run_at s 2026-11-02T09:00:00 zhang.wei file --channel visit \
		--name 王某等 --phone 13900000001 --count 5 \
		--respondent 某建筑公司 --subject 拖欠工资 >id 2>err &&
	test "$(cat id)" = 2026-000001 &&
	test "$(case_get s 2026-000001 collective)" = true &&
	test "$(case_get s 2026-000001 complainant.count)" = 5 &&
	test_grep "2026-000001 is a collective complaint (5 people): .*representatives, no more than 5.*docket note 2026-000001" err &&
	assert_clean s
'

test_expect_success 'four people are a group complaint but not collective' '
	run_at s 2026-11-02T10:00:00 zhang.wei file --channel visit \
		--phone 13900000002 --count 4 --subject 拖欠工资 >id 2>err &&
	! grep -q "^collective:" s/$(case_path 2026-000002) &&
	! grep -q "collective complaint" err
'

test_expect_success '--collective flags a complaint below the threshold' '
	run_at s 2026-11-02T11:00:00 zhang.wei file --channel visit \
		--phone 13900000003 --count 3 --collective --subject 车间集体反映 \
		>id 2>err &&
	test "$(case_get s 2026-000003 collective)" = true &&
	test_grep "2026-000003 is a collective complaint (3 people)" err
'

test_expect_success 'a web form may say collective in --from; a bad value is refused with its place' '
	printf "channel: phone\nsubject: 集体反映\nphone: \"13900000004\"\ncollective: true\n" >ok.yaml &&
	run_at s 2026-11-02T12:00:00 zhang.wei file --from "$PWD/ok.yaml" >id 2>err &&
	test "$(case_get s 2026-000004 collective)" = true &&
	printf "channel: phone\nsubject: x\nphone: \"13900000005\"\ncollective: maybe\n" >bad.yaml &&
	expect_refusal --code 1 s "bad.yaml:4:13: .*collective.*true or false" \
		docket --as zhang.wei file --from "$PWD/bad.yaml"
'

test_expect_success 'a higher threshold in docket.yaml decides' '
	printf "collective:\n  threshold: 10\n" >>s/docket.yaml &&
	git -C s commit -q -a -m threshold &&
	run_at s 2026-11-03T09:00:00 zhang.wei file --channel visit \
		--phone 13900000006 --count 6 --subject 拖欠工资 >id 2>err &&
	! grep -q "^collective:" s/$(case_path 2026-000005) &&
	! grep -q "collective complaint" err
'

test_expect_success 'list --collective and the report count them; check is clean' '
	run_at s 2026-11-03T10:00:00 chen.jing list --collective --format ids >ids &&
	printf "2026-000001\n2026-000002\n2026-000003\n2026-000004\n2026-000005\n" >expect &&
	test_cmp expect ids &&
	run_at s 2026-12-01T10:00:00 chen.jing report --month 2026-11 --format json >r.json &&
	/usr/bin/python3 -c "
import json,sys
r=json.load(open(\"r.json\"))
f=r[\"figures\"] if \"figures\" in r else r
print(f[\"collective\"], f[\"collective_people\"])" >fig &&
	echo "3 9" >expect &&
	test_cmp expect fig &&
	docket -C s check
'

test_done
