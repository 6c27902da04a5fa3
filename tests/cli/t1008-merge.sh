#!/bin/sh
test_description='docket merge: a duplicate closed into the case it repeats (并单)'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

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
	{"action": "merge", "at": "2026-09-29T10:00:00+08:00", "by": "li.na", "merged": "2026-000002", "merged_phone": "13900000001"}
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
		--outcome resolved --summary 已处理 --notified phone &&
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
