#!/bin/sh
test_description='print --issue: document numbers per form and year, one commit, never reused, crash-safe'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

DF=$DOCKET_ROOT/docket-faults

test_expect_success 'setup: numbering in docket.yaml, three cases' '
	setup_store s &&
	cat >>s/docket.yaml <<-\EOF &&
	numbering:
	  受理告知书: "农受〔{year}〕{seq}号"
	  补充材料告知书: "农补〔{year}〕{seq}号"
	EOF
	git -C s commit -q -a -m numbering &&
	new_case s 2026-11-20 accepted >id1 &&
	new_case s 2026-11-20 accepted >id2 &&
	new_case s 2026-11-20 need-info >id3 &&
	test "$(cat id1 id2 id3 | tr "\n" " ")" = "2026-000001 2026-000002 2026-000003 "
'

test_expect_success 'issue: the next number, in the document, the case and one commit' '
	before=$(commit_count s) &&
	run_at s 2026-11-23T09:00:00 chen.jing print 2026-000001 受理告知书 \
		--issue >doc.html 2>err &&
	test_grep "issued 受理告知书 农受〔2026〕1号 for case 2026-000001" err &&
	test_grep "<p class=\"docno\">农受〔2026〕1号</p>" doc.html &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	cat >expect <<-\EOF &&
	{"action": "issue", "at": "2026-11-23T09:00:00+08:00", "by": "chen.jing", "form": "受理告知书", "notified": "letter", "number": "农受〔2026〕1号"}
	EOF
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	last_commit s >msg &&
	test_grep -x "issue 2026-000001: 受理告知书 农受〔2026〕1号" msg &&
	test_grep -x "Case: 2026-000001" msg &&
	test_grep -x "Document: 2026 1 受理告知书" msg &&
	test_grep -x "Action: issue" msg &&
	docket -C s check
'

test_expect_success 'show and log list what was issued' '
	docket -C s show 2026-000001 --format text >show &&
	test_grep "^Issued: *受理告知书 农受〔2026〕1号, 2026-11-23T09:00:00+08:00 by 陈静$" show &&
	docket -C s log 2026-000001 >log &&
	test_grep "chen.jing  issue  *issue 2026-000001: 受理告知书 农受〔2026〕1号" log
'

test_expect_success 'a written notice meets the feedback deadline as a contact does' '
	docket -C s show 2026-000001 --format text >show &&
	test_grep "feedback.*(met)" show
'

test_expect_success 'numbers are dense per form and year' '
	run_at s 2026-11-23T10:00:00 chen.jing print 2026-000002 受理告知书 \
		--issue -o ../n2.html 2>err &&
	test_grep "农受〔2026〕2号" n2.html &&
	run_at s 2026-11-23T10:00:00 chen.jing print 2026-000003 补充材料告知书 \
		--issue --format text >n3.txt 2>err &&
	test_grep "^农补〔2026〕1号$" n3.txt &&
	run_at s 2026-11-23T11:00:00 chen.jing print 2026-000002 转办单 \
		--issue >n4.html 2>err &&
	test_grep "〔2026〕1号" n4.html &&
	run_at s 2027-01-04T09:00:00 chen.jing print 2026-000002 受理告知书 \
		--issue >n5.html 2>err &&
	test_grep "农受〔2027〕1号" n5.html
'

test_expect_success 'a plain print records nothing and shows the number it was issued with' '
	before=$(commit_count s) &&
	docket -C s print 2026-000001 受理告知书 --format text >again &&
	test_grep "^农受〔2026〕1号$" again &&
	docket -C s print 2026-000003 受理告知书 --format text >none &&
	! grep -q "〔" none &&
	test "$(commit_count s)" = "$before"
'

test_expect_success 'a number is never given twice, even after git rm and without the cache' '
	git -C s rm -q "$(case_path 2026-000002)" &&
	git -C s commit -q -m "remove a case by hand" &&
	rm -f s/.git/docket-ids &&
	run_at s 2026-11-24T09:00:00 chen.jing print 2026-000001 受理告知书 \
		--issue >n6.html 2>err &&
	test_grep "农受〔2026〕3号" n6.html &&
	git -C s revert --no-edit HEAD >/dev/null &&
	run_at s 2026-11-24T10:00:00 chen.jing print 2026-000001 受理告知书 \
		--issue >n7.html 2>err &&
	test_grep "农受〔2026〕4号" n7.html
'

test_expect_success 'the result notice records that the closed case was notified' '
	run_at s 2026-11-25T09:00:00 chen.jing close 2026-000003 --outcome \
		withdrawn --summary 投诉人撤回 &&
	run_at s 2026-11-25T10:00:00 chen.jing print 2026-000003 处理结果告知书 \
		--issue >r.html 2>err &&
	test "$(case_get s 2026-000003 closure.notified)" = \
		"{\"at\": \"2026-11-25T10:00:00+08:00\", \"via\": \"letter\"}" &&
	docket -C s check
'

test_expect_success 'refusals change nothing' '
	expect_refusal --code 2 s "--issue issues the document of a case" \
		docket --as chen.jing print --blank 登记表 --issue &&
	echo keep >s/../keep.html &&
	expect_refusal s "already exists" docket --as chen.jing print \
		2026-000001 受理告知书 --issue -o ../keep.html &&
	expect_refusal s "may not issue documents of case 2026-000001" \
		docket --as zhang.wei print 2026-000001 受理告知书 --issue &&
	printf "<p>{{docno}} {{nosuch}}</p>\n" >s/forms/bad.html &&
	git -C s add forms/bad.html && git -C s commit -q -m bad &&
	expect_refusal s "forms/bad.html:1:14: unknown field .nosuch." \
		docket --as chen.jing print 2026-000001 bad --issue
'

test_expect_success 'a pattern without {year} or {seq} is refused at its line' '
	cp s/docket.yaml saved.yaml &&
	sed "s/农补〔{year}〕{seq}号/农补{seq}号/" saved.yaml >s/docket.yaml &&
	line=$(grep -n "农补{seq}号" s/docket.yaml | cut -d: -f1) &&
	test_must_fail docket -C s print 2026-000001 受理告知书 2>err &&
	test_grep "docket.yaml:$line:[0-9]*: the number pattern .农补{seq}号. of form .补充材料告知书. must hold {year} and {seq} once each" err &&
	cp saved.yaml s/docket.yaml
'

# Crash safety: docket-faults killed at each step of the commit; after
# the next command the issue is wholly recorded or wholly absent, and
# the numbers stay dense.
POINTS='commit-objects commit-pending commit-worktree-1 commit-index
	commit-ref commit-done'
RECORDED=' commit-ref commit-done '

test_expect_success 'setup: a store to crash' '
	setup_store tmpl &&
	new_case tmpl 2026-11-20 accepted >/dev/null &&
	run_at tmpl 2026-11-23T09:00:00 chen.jing print 2026-000001 受理告知书 \
		--issue >/dev/null 2>&1
'

for point in $POINTS; do
	test_expect_success "issue killed at $point: recorded whole or not at all, numbers dense" '
		rm -rf c && cp -a tmpl c &&
		before=$(commit_count c) &&
		code=0 &&
		(cd c && DOCKET_FAULT='"$point"' DOCKET_NOW=2026-11-24T09:00:00+08:00 \
			"$DF" --as chen.jing print 2026-000001 受理告知书 --issue \
			>/dev/null 2>&1) || code=$? &&
		test $code = 137 &&
		docket -C c --as chen.jing check --repair >out 2>err &&
		assert_clean c &&
		case "$RECORDED" in
		*" '"$point"' "*) want=$((before + 1)) next=3 ;;
		*) want=$before next=2 ;;
		esac &&
		test "$(commit_count c)" = $want &&
		run_at c 2026-11-24T10:00:00 chen.jing print 2026-000001 受理告知书 \
			--issue --format text >doc 2>err &&
		test_grep "^〔2026〕${next}号$" doc &&
		git -C c log --format=%B | grep "^Document: " >docs &&
		test_line_count = $((next)) docs &&
		docket -C c --as chen.jing check
	'
done

test_done
