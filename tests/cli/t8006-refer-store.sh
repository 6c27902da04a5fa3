#!/bin/sh
test_description='docket refer --to-store: a case filed in another office'"'"'s store, and its closing back as the answer at the next sync'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# The city centre (s, staff of lib-cases) sends cases to the county
# bureau, which keeps a store of its own (county, shared through
# county.git); the centre also shares its own store through hub.git.
test_expect_success 'setup: the centre and the county bureau, each with a store' '
	setup_store s &&
	git clone -q --bare s hub.git &&
	git -C s remote add origin ../hub.git &&
	setup_store county &&
	sed -i "s/^organization: .*/organization: 县农业农村局/" county/docket.yaml &&
	printf "  - {id: referral, label: 上级转办}\n" >chan &&
	sed -i "/^  - {id: phone, label: 来电}/r chan" county/docket.yaml &&
	git -C county commit -q -a -m "the county bureau" &&
	git clone -q --bare county county.git &&
	git -C county remote add origin ../county.git &&
	git -C s remote add county ../county.git &&
	new_case s 2026-11-02 assigned >id
'

test_expect_success 'an unknown remote is named; nothing is recorded' '
	n=$(commit_count s) &&
	export DOCKET_NOW=2026-11-02T14:00:00+08:00 &&
	expect_refusal s "nosuch" docket --as chen.jing refer 2026-000001 \
		--to-store nosuch --reason 转办 &&
	test "$(commit_count s)" = "$n"
'

test_expect_success 'refer --to-store files the case in the county store and records where' '
	run_at s 2026-11-02T14:00:00 chen.jing refer 2026-000001 \
		--to-store county --due 5wd --reason 属县局职责 >out &&
	echo 2026-000001 >expect &&
	test_cmp expect out &&
	last_event s 2026-000001 >ev &&
	test_grep "\"store\": \"county\"" ev &&
	test_grep "\"case\": \"2026-000001\"" ev &&
	test_grep "\"to\": \"县农业农村局\"" ev &&
	test_grep "\"due\": \"2026-11-09T23:59:59+08:00\"" ev &&
	git -C county pull -q origin "$(git -C county symbolic-ref --short HEAD)" &&
	test "$(case_get county 2026-000001 ref)" = 2026-000001 &&
	test "$(case_get county 2026-000001 channel)" = referral &&
	test "$(case_get county 2026-000001 status)" = received &&
	test "$(case_get county 2026-000001 events.0.referred_from)" = 2026-000001 &&
	test "$(case_get county 2026-000001 events.0.from)" = 某县农业局 &&
	test "$(case_get county 2026-000001 events.0.answer_due)" = 2026-11-09T23:59:59+08:00 &&
	test "$(case_get county 2026-000001 complainant.phone)" = "$(case_get s 2026-000001 complainant.phone)" &&
	git -C county log -1 --format=%B >msg &&
	test_grep "^Action: file" msg &&
	! grep -q "$(case_get s 2026-000001 complainant.phone)" msg &&
	docket -C county check &&
	assert_clean s
'

test_expect_success 'a second case gets the next number there' '
	new_case s 2026-11-03 assigned >id2 &&
	run_at s 2026-11-03T14:00:00 chen.jing refer 2026-000002 \
		--to-store county --to 县农业农村局执法大队 --reason 转办 >out &&
	echo 2026-000002 >expect &&
	test_cmp expect out
'

test_expect_success 'until the county closes it, sync brings no answer' '
	run_at s 2026-11-04T09:00:00 chen.jing sync >out &&
	! grep -q "answer of" out &&
	run_at s 2026-11-04T09:00:00 chen.jing show 2026-000001 --format text >show &&
	test_grep "awaiting answer" show
'

test_expect_success 'the county closes it; the next sync records the answer here and pushes it' '
	git -C county pull -q origin "$(git -C county symbolic-ref --short HEAD)" &&
	run_at county 2026-11-05T10:00:00 chen.jing triage 2026-000001 --accept \
		--category fertilizer 2>/dev/null &&
	run_at county 2026-11-05T11:00:00 chen.jing close 2026-000001 \
		--outcome resolved --summary 已立案查处 --notified phone &&
	git -C county push -q origin HEAD &&
	run_at s 2026-11-06T09:00:00 chen.jing sync >out &&
	test_grep "case 2026-000001: the answer of 县农业农村局 is in" out &&
	last_event s 2026-000001 >ev &&
	test_grep "\"reply_from\": \"县农业农村局\"" ev &&
	test_grep "县农业农村局 closed its case 2026-000001 (resolved): 已立案查处" ev &&
	run_at s 2026-11-06T09:00:00 chen.jing show 2026-000001 --format text >show &&
	test_grep "answer due 2026-11-09T23:59:59+08:00 (answered)" show &&
	git -C hub.git log -1 --format=%B >msg &&
	test_grep "Case: 2026-000001" msg &&
	docket -C s check
'

test_expect_success 'the answer is recorded once; the open referral of case 2 still waits' '
	n=$(commit_count s) &&
	run_at s 2026-11-07T09:00:00 chen.jing sync >out &&
	! grep -q "answer of" out &&
	test "$(case_get s 2026-000001 status)" = assigned &&
	run_at s 2026-11-07T09:00:00 chen.jing show 2026-000002 --format text >show &&
	test_grep "awaiting answer" show
'

test_expect_success 'an office without a shared remote of its own gets its answers too' '
	git -C s remote remove origin &&
	run_at county 2026-11-09T10:00:00 chen.jing triage 2026-000002 \
		--reject out-of-scope 2>/dev/null &&
	git -C county push -q origin HEAD &&
	run_at s 2026-11-10T09:00:00 chen.jing sync >out &&
	test_grep "no remote .origin." out &&
	test_grep "case 2026-000002: the answer of 县农业农村局执法大队 is in" out &&
	last_event s 2026-000002 >ev &&
	test_grep "did not accept its case 2026-000002" ev
'

test_done
