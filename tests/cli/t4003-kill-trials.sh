#!/bin/sh
# run-cli: alone (it measures time or races processes on purpose)
test_description='200 randomized kill -9 trials: no case lost, no action half recorded'
. "$(dirname "$0")/lib.sh"

# tests/reliability/kill-trials.sh kills file, triage, assign, note and
# close with SIGKILL after a random 0-40 ms, repairs with `docket check
# --repair` and verifies the store after each trial; `make stress` runs
# 1000 of them.
test_expect_success '200 writing commands killed at random moments' '
	code=0 &&
	sh "$DOCKET_ROOT/tests/reliability/kill-trials.sh" 200 >trials 2>&1 ||
		code=$? &&
	cat trials &&
	test $code = 0 &&
	test_grep -x "200 trials, [0-9]* interrupted, 0 lost" trials &&
	test_grep -x "200 passed, 0 failed" trials
'

test_expect_success 'enough of the kills landed while a command ran' '
	k=$(sed -n "s/^200 trials, \([0-9]*\) interrupted, .*/\1/p" trials) &&
	echo "$k of 200 interrupted" &&
	test "$k" -ge 20
'

test_done
