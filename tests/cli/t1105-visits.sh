#!/bin/sh
test_description='return visits (回访): deadlines.visit after closing, chased by remind, met by feedback; close needs --notified; merged complainants are visited with the surviving case'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# The 2026 calendar of DESIGN 5: Oct 1-7 holidays, Sat Oct 10 a make-up
# working day.
test_expect_success 'setup: deadlines.visit 3wd, 1wd for urgent cases' '
	setup_store s &&
	sed -i "s/^  resolve: 15wd$/  resolve: 15wd\n  visit: 3wd\n  rules:\n    - when: {priority: urgent}\n      visit: 1wd/" s/docket.yaml &&
	git -C s commit -q -a -m "return visits" &&
	(cd s && docket check) &&
	new_case s 2026-09-28 assigned >id1 &&
	new_case s 2026-09-28 assigned >id2 &&
	new_case s 2026-09-28 assigned >id3
'

test_expect_success 'close without --notified is refused and changes nothing' '
	export DOCKET_NOW=2026-09-29T14:00:00+08:00 &&
	expect_refusal s "notified" docket --as sun.li close 2026-000001 \
		--outcome resolved --summary 已退货
'

test_expect_success 'close on Tue 09-29 sets the visit deadline: 3wd is 09-30, 10-08, 10-09' '
	run_at s 2026-09-29T15:00:00 sun.li close 2026-000001 --outcome resolved \
		--summary 已退货 --notified phone &&
	test "$(case_get s 2026-000001 due.visit)" = 2026-10-09T23:59:59+08:00 &&
	run_at s 2026-09-30T09:00:00 chen.jing show 2026-000001 --format text >out &&
	test_grep "visit *2026-10-09T23:59:59+08:00$" out
'

test_expect_success 'remind chases the visit: due soon on 10-08, overdue on Mon 10-12 by 2 working days' '
	run_at s 2026-10-08T09:00:00 chen.jing remind --dry-run --format json >r.json &&
	/usr/bin/python3 -c "import json,sys; r=[x for x in json.load(open(\"r.json\")) if x[\"case\"]==\"2026-000001\"]; sys.exit(not (len(r)==1 and r[0][\"deadline\"]==\"visit\" and r[0][\"state\"]==\"due-soon\" and r[0][\"to\"]==[\"sun.li\"]))" &&
	run_at s 2026-10-12T09:00:00 chen.jing remind --dry-run --format json >r.json &&
	/usr/bin/python3 -c "import json,sys; r=[x for x in json.load(open(\"r.json\")) if x[\"case\"]==\"2026-000001\"]; sys.exit(not (len(r)==1 and r[0][\"deadline\"]==\"visit\" and r[0][\"state\"]==\"overdue\" and r[0][\"working_days\"]==2))" &&
	run_at s 2026-10-12T09:00:00 chen.jing list --overdue --format ids >out &&
	test_grep "^2026-000001$" out
'

test_expect_success 'feedback meets it (late): show says so, remind is silent' '
	run_at s 2026-10-12T10:00:00 chen.jing feedback 2026-000001 \
		--satisfaction satisfied &&
	run_at s 2026-10-12T11:00:00 chen.jing show 2026-000001 --format text >out &&
	test_grep "visit *2026-10-09T23:59:59+08:00 (met late)$" out &&
	run_at s 2026-10-12T11:00:00 chen.jing remind --dry-run --format json >r.json &&
	! test_grep "\"2026-000001\"" r.json
'

test_expect_success 'reopen drops the visit; the next close sets a new one (urgent: 1wd)' '
	run_at s 2026-10-13T09:00:00 chen.jing reopen 2026-000001 --reason 投诉人不满意 &&
	! case_get s 2026-000001 due.visit &&
	run_at s 2026-10-13T10:00:00 chen.jing triage 2026-000001 --priority urgent &&
	run_at s 2026-10-14T16:00:00 sun.li close 2026-000001 --outcome resolved \
		--summary 已重新处理 --notified visit &&
	test "$(case_get s 2026-000001 due.visit)" = 2026-10-15T23:59:59+08:00
'

test_expect_success 'withdrawn needs no --notified; a store may waive it (close.require_notified: false)' '
	run_at s 2026-10-08T09:00:00 sun.li close 2026-000002 --outcome withdrawn \
		--summary 投诉人撤回 &&
	setup_store w &&
	printf "close:\n  require_notified: false\n" >>w/docket.yaml &&
	git -C w commit -q -a -m waive &&
	new_case w 2026-09-28 assigned >idw &&
	run_at w 2026-09-29T15:00:00 sun.li close 2026-000001 --outcome resolved \
		--summary 已处理 &&
	test "$(case_get w 2026-000001 status)" = closed
'

test_expect_success 'merge keeps the duplicate complainant on the surviving case; feedback on the duplicate is refused' '
	run_at s 2026-10-08T09:00:00 chen.jing merge 2026-000003 --into 2026-000002 &&
	run_at s 2026-10-08T10:00:00 chen.jing show 2026-000002 --format text >out &&
	test_grep "^Also notify: *2026-000003: 13900000002$" out &&
	git -C s log -1 --format=%B >msg &&
	! test_grep 13900000002 msg &&
	export DOCKET_NOW=2026-10-09T14:00:00+08:00 &&
	expect_refusal s "merged into 2026-000002" docket --as chen.jing \
		feedback 2026-000003 --satisfaction satisfied
'

test_done
