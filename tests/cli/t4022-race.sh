#!/bin/sh
# run-cli: alone (it measures time or races processes on purpose)
test_description='docket writers against plain git at the same time: a
short run of tests/reliability/race.sh (make stress runs it longer)'
. "$(dirname "$0")/lib.sh"

test_expect_success 'file, note, close, bulk intake and two remind --mail loops
beside git commit -a, git add, git status, git stash and git gc: nothing
lost, each reminder mailed once' '
	RACE_REMIND=1 sh "$DOCKET_ROOT/tests/reliability/race.sh" 8 >out 2>err ||
		{ cat out err >&4; exit 1; } &&
	test_grep " 0 lost$" out &&
	test_grep "remind runs mailed [1-9][0-9]* reminders, none twice" out
'

test_expect_success 'the same with git'"'"'s index split (core.splitIndex):
nothing lost' '
	RACE_SPLIT=1 sh "$DOCKET_ROOT/tests/reliability/race.sh" 6 >out 2>err ||
		{ cat out err >&4; exit 1; } &&
	test_grep " 0 lost$" out
'

test_done
