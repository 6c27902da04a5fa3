#!/bin/sh
test_description='make bench keeps working: tests/bench.sh on a 200-case store, with its rows for the searches (issue 15)'
. "$(dirname "$0")/lib.sh"

test_expect_success 'the benchmark runs at 200 cases and prints its table' '
	BENCH_SIZES=200 BENCH_REPS=1 BENCH_COLD_REPS=1 \
		sh "$DOCKET_ROOT/tests/bench.sh" >out 2>err &&
	grep -E "^command +cases +median ms +max ms +cpu ms +rss MB" out &&
	for c in file triage assign note close list report remind check \
		"git add\\+commit" "floor \\(libgit2\\)"; do
		grep -E "^$c +200 +[0-9]+\\.[0-9] " out || return 1
	done &&
	for c in list report remind check; do
		grep -E "^$c \\(cold\\) +200 +[0-9]+\\.[0-9] " out || return 1
	done &&
	for c in "list --phone" "list --name" "list --text" "list @view" \
		agenda; do
		grep -E "^$c +200 +[0-9]+\\.[0-9] " out || return 1
	done &&
	grep -E "store of 200 cases after git gc: .* bytes per case" out &&
	grep -E "^file: 100 runs in [0-9]+ ms" out &&
	! grep "docket report:" out
'

test_done
