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

test_expect_success 'docket with no command lists the commands, one a line' '
	docket >out 2>err &&
	test_must_be_empty err &&
	test_grep "^usage: docket" out &&
	while read -r cmd; do
		test_grep -E "^  $cmd +[^ ]" out || exit 1
	done <commands &&
	docket --help >help &&
	test_cmp help out
'

test_expect_success 'docket help and docket help CMD' '
	docket help >out &&
	docket --help >help &&
	test_cmp help out &&
	docket help assign >out &&
	docket assign --help >help &&
	test_cmp help out &&
	test_expect_code 2 docket help asign >out 2>err &&
	test_must_be_empty out &&
	test_grep "did you mean .assign.?" err
'

test_expect_success 'a mistyped command or global option: did you mean' '
	test_expect_code 2 docket lsit >out 2>err &&
	test_must_be_empty out &&
	test_grep "^docket: .lsit. is not a docket command; did you mean .list.?" err &&
	test_expect_code 2 docket --verison >out 2>err &&
	test_grep "did you mean .--version.?" err &&
	test_expect_code 2 docket zzzzzzzz 2>err &&
	test_grep "is not a docket command; .docket help. lists them" err
'

test_expect_success 'a mistyped option of a command: did you mean' '
	docket_init_store s0 &&
	test_expect_code 2 docket -C s0 list --asignee qian.hao >out 2>err &&
	test_must_be_empty out &&
	test_grep "unknown option .--asignee.; did you mean .--assignee.?" err &&
	test_grep "^usage: docket list" err
'

test_expect_success 'an option given twice is refused, not the last one taken' '
	test_expect_code 2 docket -C s0 list --format csv --format json \
		>out 2>err &&
	test_must_be_empty out &&
	test_grep "option .--format. is given twice (.csv., then .json.)" err &&
	test_expect_code 2 docket -C s0 -C s0 list >out 2>err &&
	test_grep "option .-C. is given twice" err
'

test_expect_success '--version: the release, and git describe from a checkout' '
	docket --version >out &&
	test_line_count = 1 out &&
	release=$(sed -n "s/^VERSION = //p" "$DOCKET_ROOT/Makefile") &&
	test -n "$release" &&
	test_grep "^docket $release\( (.*)\)\?\$" out
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

test_expect_success 'the usage after a usage error is the one --help prints' '
	while read -r cmd; do
		docket "$cmd" --help | head -n 1 >expect &&
		(cd s && test_expect_code 2 docket "$cmd" --no-such-option \
			2>../err) &&
		tail -n 1 err >actual &&
		test_cmp expect actual || exit 1
	done <commands
'

test_expect_success 'the usage shows what is required, what goes together and the choices' '
	cat >expect <<-\EOF &&
	usage: docket assign ID (--to STAFF|DEPT [--co DEPT|STAFF]... [--due WHEN] | --return) [--reason TEXT]
	usage: docket print (ID FORM [--issue] | --blank FORM | --list | --fields) [--format html|pdf|text] [-o FILE]
	usage: docket report [--month YYYY-MM | --from DATE --to DATE] [--by DIM] [--format table|csv|json|md|html] [--bom] [--keep-going]
	usage: docket log ID
	usage: docket gc
	EOF
	for cmd in assign print report log gc; do
		docket $cmd --help | head -n 1 || exit 1
	done >actual &&
	test_cmp expect actual
'

test_expect_success 'the usage is in Chinese where the placeholders are' '
	LC_ALL=zh_CN.UTF-8 LANGUAGE=zh_CN docket edit --help >out &&
	head -n 1 out >actual &&
	echo "用法：docket edit 编号 --set 字段=值... --reason 文字" >expect &&
	test_cmp expect actual
'

test_done
