#!/bin/sh
test_description='docket check holds each case file against its events:
a committed hand edit of status or satisfaction, events out of time
order, one case in two files, a case in the wrong folder; list and
report count a duplicated case once; a git revert is history'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-cases.sh"

# fresh DIR: a copy of the template store
fresh () {
	rm -rf "$1" && cp -a tmpl "$1"
}

# hand_edit DIR ID SED: edit a case file by hand and commit it with git
hand_edit () {
	sed -i "$3" "$1/$(case_path "$2")" &&
	git -C "$1" commit -q -a -m "hand edit of $2"
}

test_expect_success 'setup: one closed case (satisfied), one assigned' '
	setup_store tmpl &&
	git -C tmpl config user.name Admin &&
	git -C tmpl config user.email admin@example.org &&
	new_case tmpl 2026-11-02 assigned >id1 &&
	new_case tmpl 2026-11-03 assigned >id2 &&
	run_at tmpl 2026-11-05T10:00:00 sun.li close "$(cat id1)" \
		--outcome resolved --summary 已更换 --notified phone \
		--satisfaction satisfied &&
	docket -C tmpl check >out &&
	test_grep "0 problems" out &&
	assert_clean tmpl
'

test_expect_success 'a closed case set back to assigned by a committed hand
edit is named' '
	fresh s &&
	hand_edit s 2026-000001 "s/^status: closed/status: assigned/" &&
	test_must_fail docket -C s check >out 2>err &&
	test_grep "$(case_path 2026-000001): status is .assigned. but its events lead to .closed." err
'

test_expect_success 'a flipped satisfaction is named' '
	fresh s &&
	hand_edit s 2026-000001 "s/^  satisfaction: satisfied/  satisfaction: dissatisfied/" &&
	test_must_fail docket -C s check >out 2>err &&
	test_grep "$(case_path 2026-000001): satisfaction is .dissatisfied. but its last close or feedback event says .satisfied." err
'

test_expect_success 'events out of time order are named' '
	fresh s &&
	hand_edit s 2026-000002 "s/at: 2026-11-03T11:00:00+08:00/at: 2026-11-01T11:00:00+08:00/" &&
	test_must_fail docket -C s check >out 2>err &&
	test_grep "$(case_path 2026-000002): event 3 (.assign. at 2026-11-01T11:00:00+08:00) is earlier than the event before it" err
'

test_expect_success 'one case in two folders: check names both, list and
report count it once' '
	fresh s &&
	mkdir -p s/cases/2026/001 &&
	cp s/$(case_path 2026-000002) s/cases/2026/001/2026-000002.yaml &&
	git -C s add cases &&
	git -C s commit -q -m "a copy by hand" &&
	test_must_fail docket -C s check >out 2>err &&
	test_grep "case 2026-000002 is in more than one file: $(case_path 2026-000002) and cases/2026/001/2026-000002.yaml" err &&
	test_grep "cases/2026/001/2026-000002.yaml: holds case .2026-000002., whose file should be $(case_path 2026-000002)" err &&
	docket -C s list --format csv >out 2>err &&
	test "$(grep -c "^2026-000002," out)" = 1 &&
	test_grep "warning: cases/2026/001/2026-000002.yaml holds case 2026-000002, which is already in $(case_path 2026-000002): counted once" err &&
	docket -C s report --from 2026-11-01 --to 2026-12-01 --format json \
		>out 2>err &&
	test_grep "\"received\": 2," out
'

test_expect_success 'a case moved into a folder that does not match its id
is named' '
	fresh s &&
	mkdir -p s/cases/2025/000 &&
	git -C s mv $(case_path 2026-000002) cases/2025/000/2026-000002.yaml &&
	git -C s commit -q -m "moved by hand" &&
	test_must_fail docket -C s check >out 2>err &&
	test_grep "cases/2025/000/2026-000002.yaml: holds case .2026-000002., whose file should be $(case_path 2026-000002)" err &&
	docket -C s list >out 2>/dev/null &&
	test_line_count = 3 out
'

test_expect_success 'a git revert of a docket commit is history; so is the
revert of that revert' '
	fresh s &&
	run_at s 2026-11-06T10:00:00 sun.li note 2026-000002 已联系 &&
	git -C s revert --no-edit HEAD >/dev/null &&
	docket -C s check >out 2>err &&
	test_grep "0 problems" out &&
	git -C s revert --no-edit HEAD >/dev/null &&
	docket -C s check >out 2>err &&
	test_grep "0 problems" out &&
	# the close of the other case, reverted: it is assigned again
	git -C s revert --no-edit HEAD~3 >/dev/null &&
	test_grep "^status: assigned" s/$(case_path 2026-000001) &&
	docket -C s check >out 2>err &&
	test_grep "0 problems" out &&
	run_at s 2026-11-07T10:00:00 sun.li note 2026-000001 再次核实 &&
	docket -C s check >out 2>err &&
	test_grep "0 problems" out
'

test_expect_success 'a hand edit that the events back passes: a corrected
subject' '
	fresh s &&
	hand_edit s 2026-000002 "s/^subject: .*/subject: 复合肥结块（更正）/" &&
	docket -C s check >out 2>err &&
	test_grep "0 problems" out
'

test_done
