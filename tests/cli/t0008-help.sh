#!/bin/sh
test_description='--help and -h for docket and every command'
. "$(dirname "$0")/lib.sh"

test_expect_success 'docket --commands lists the commands, one a line' '
	docket --commands >commands 2>err &&
	test_must_be_empty err &&
	for cmd in init file show list log check; do
		test_grep -x "$cmd" commands || exit 1
	done
'

test_expect_success 'docket --help prints the usage on stdout and exits 0' '
	docket --help >out 2>err &&
	test_must_be_empty err &&
	test_grep "^usage: docket " out
'

test_expect_success 'docket -h is the same as docket --help' '
	docket -h >out-h &&
	docket --help >out-help &&
	test_cmp out-help out-h
'

test_expect_success 'docket --help lists every command' '
	docket --help >out &&
	while read -r cmd; do
		test_grep -E "^ +$cmd( |\$)" out || exit 1
	done <commands
'

test_expect_success 'docket with no command is a usage error' '
	test_expect_code 2 docket >out 2>err &&
	test_grep "^usage: docket" err
'

test_expect_success 'every command accepts --help: exit 0, "usage: docket CMD" on stdout' '
	while read -r cmd; do
		docket "$cmd" --help >out 2>err ||
		{ echo "docket $cmd --help failed"; cat err; exit 1; }
		test_must_be_empty err &&
		test_grep "^usage: docket $cmd\\b" out || exit 1
	done <commands
'

test_expect_success 'every command accepts -h the same way' '
	while read -r cmd; do
		docket "$cmd" -h >out-h &&
		docket "$cmd" --help >out-help &&
		test_cmp out-help out-h || exit 1
	done <commands
'

test_expect_success '--help works outside any store and creates nothing' '
	mkdir nowhere &&
	(cd nowhere &&
	 while read -r cmd; do
		docket "$cmd" --help >../out || exit 1
	 done <../commands) &&
	test -z "$(ls -A nowhere)"
'

test_expect_success '--help wins over other arguments and changes nothing' '
	docket_init_store s &&
	store_state s >before &&
	(cd s &&
	 docket file --channel phone --subject x --help >../out &&
	 docket init --help >../out2) &&
	test_grep "^usage: docket file" out &&
	test_grep "^usage: docket init" out2 &&
	store_state s >after &&
	test_cmp before after
'

test_expect_success 'in a store, an unknown option of any command is a usage error' '
	while read -r cmd; do
		(cd s && test_expect_code 2 docket "$cmd" --no-such-option \
			>../out 2>../err) &&
		test_must_be_empty out &&
		test_grep "^usage: docket $cmd\\b" err || exit 1
	done <commands &&
	store_state s >after &&
	test_cmp before after
'

test_done
