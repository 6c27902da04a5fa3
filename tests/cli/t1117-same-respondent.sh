#!/bin/sh
test_description='filings against one respondent (workers of one employer) are linked within limits.same_respondent'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# file_worker WHEN PHONE [RESPONDENT]: a worker's wage complaint
file_worker () {
	run_at lab "$1" liu.fang file --channel visit --phone "$2" \
		--subject 拖欠工资 --respondent "${3:-某建筑公司}"
}

test_expect_success 'setup: the labour inspectorate (same_respondent: 30d)' '
	docket init lab --template labour-inspection >/dev/null &&
	grep -q "same_respondent: 30d" lab/docket.yaml
'

test_expect_success 'the first filing links nothing' '
	file_worker 2026-05-04T09:00:00 13900000001 >id 2>err &&
	! grep -q "same respondent" err &&
	! grep -q "^related:" "lab/$(case_path 2026-000001)"
'

test_expect_success 'a second worker of the same employer: linked, the respondent not named' '
	file_worker 2026-05-06T09:00:00 13900000002 >id 2>err &&
	test_grep "filed against the same respondent as 1 case received within 30d (2026-000001): linked as related" err &&
	! grep -q 某建筑公司 err &&
	test "$(case_get lab 2026-000002 related)" = 2026-000001 &&
	test "$(case_get lab 2026-000002 events.0.same_respondent)" = 2026-000001 &&
	! grep -q "repeat_of" "lab/$(case_path 2026-000002)"
'

test_expect_success 'another employer is not linked' '
	file_worker 2026-05-07T09:00:00 13900000003 某物流公司 >id 2>err &&
	! grep -q "same respondent" err
'

test_expect_success 'the third worker links both earlier filings' '
	file_worker 2026-05-20T09:00:00 13900000004 >id 2>err &&
	test_grep "as 2 cases received within 30d (2026-000001, 2026-000002)" err &&
	printf "2026-000001\n2026-000002\n" >expect &&
	case_get lab 2026-000004 related >actual &&
	test_cmp expect actual
'

test_expect_success 'past the window only the recent ones are linked' '
	file_worker 2026-06-10T09:00:00 13900000005 >id 2>err &&
	test_grep "as 1 case received within 30d (2026-000004)" err
'

test_expect_success 'a likely repeat (same phone) stays a repeat, not counted twice' '
	file_worker 2026-06-11T09:00:00 13900000005 >id 2>err &&
	test_grep "likely repeat of case 2026-000005" err &&
	test_grep "same respondent as 1 case .*(2026-000004)" err &&
	test "$(case_get lab 2026-000006 events.0.repeat_of)" = 2026-000005 &&
	test "$(case_get lab 2026-000006 events.0.same_respondent)" = 2026-000004
'

test_expect_success 'a bulk intake links within the stream too' '
	printf "channel: visit\nsubject: 拖欠工资\nphone: \"13900000011\"\nrespondent: 某装修公司\n---\nchannel: visit\nsubject: 拖欠工资\nphone: \"13900000012\"\nrespondent: 某装修公司\n" >two.yaml &&
	run_at lab 2026-06-12T09:00:00 liu.fang file --from "$PWD/two.yaml" >ids 2>err &&
	test "$(case_get lab 2026-000008 related)" = 2026-000007 &&
	docket -C lab check
'

test_expect_success 'without limits.same_respondent nothing is linked' '
	setup_store s &&
	new_case s 2026-10-12 >/dev/null 2>err1 &&
	new_case s 2026-10-13 >/dev/null 2>err2 &&
	! grep -q "same respondent" err2 &&
	! grep -q "^related:" "s/$(case_path 2026-000002)"
'

test_done
