#!/bin/sh
test_description='docket init: a new store, its permissions and templates'
. "$(dirname "$0")/lib.sh"

test_expect_success 'init DIR commits docket.yaml, .gitattributes and the forms' '
	docket init s1 >out 2>err &&
	test -f s1/docket.yaml &&
	test -d s1/.git &&
	test -f s1/forms/受理告知书.html &&
	test "$(commit_count s1)" = 1 &&
	printf "%s\n" .gitattributes docket.yaml forms >expect &&
	git -C s1 ls-tree --name-only HEAD >actual &&
	test_cmp expect actual &&
	assert_clean s1
'

test_expect_success 'the default docket.yaml is commented and passes check' '
	docket_init_store s2 &&
	grep -q "^# " s2/docket.yaml &&
	docket -C s2 check >out 2>err &&
	test_must_be_empty err
'

test_expect_success 'init writes examples/docket.yaml, the file installed with the templates' '
	test_cmp "$DOCKET_ROOT/examples/docket.yaml" s1/docket.yaml
'

test_expect_success 'the default docket.yaml works as it is for file' '
	docket_init_store s3 &&
	docket -C s3 --as tester file --channel phone --phone 13800000000 \
		--subject 电梯故障 >id &&
	echo 2026-000001 >expect &&
	test_cmp expect id
'

test_expect_success 'init with no DIR makes the current directory a store' '
	mkdir here &&
	(cd here && docket init >../out) &&
	test -f here/docket.yaml &&
	test "$(commit_count here)" = 1 &&
	assert_clean here
'

test_expect_success 'the store is readable by its owner only (0700)' '
	docket_init_store s5 &&
	test "$(stat -c %a s5)" = 700 &&
	perm=$(stat -c %a s5/docket.yaml) &&
	case $perm in ?00) ;; *) echo "docket.yaml mode $perm"; false ;; esac
'

test_expect_success 'files written later in a private store stay private' '
	docket_init_store s6 &&
	docket -C s6 --as tester file --channel phone --phone 13800000000 \
		--subject 电梯故障 --attach "$TEST_DATA/photo.jpg" >id &&
	find s6 -path s6/.git -prune -o -perm /077 -print >leaks &&
	test_must_be_empty leaks
'

test_expect_success 'init --shared=group lets the group read and write' '
	docket init --shared=group s7 >out &&
	mode=$(stat -c %A s7) &&
	case $mode in d???rw?---) ;; *) echo "store mode $mode"; false ;; esac &&
	mode=$(stat -c %A s7/docket.yaml) &&
	case $mode in -rw-rw----) ;; *) echo "docket.yaml $mode"; false ;; esac &&
	docket -C s7 --as tester file --channel phone --phone 13800000000 \
		--subject 电梯故障 >id &&
	mode=$(stat -c %A s7/cases/2026/000/2026-000001.yaml) &&
	case $mode in -rw-rw----) ;; *) echo "case file $mode"; false ;; esac &&
	assert_clean s7
'

test_expect_success 'init --shared with anything but group is a usage error' '
	test_expect_code 2 docket init --shared=world s8 2>err &&
	test_grep "shared" err &&
	test_grep "^usage: docket init" err &&
	! test -e s8
'

test_expect_success 'init --template agriculture starts from examples/agriculture' '
	docket init s9 --template agriculture >out &&
	test_cmp "$DOCKET_ROOT/examples/agriculture/docket.yaml" s9/docket.yaml &&
	test "$(commit_count s9)" = 1 &&
	assert_clean s9
'

test_expect_success 'every template in examples/ makes a store that check accepts' '
	for dir in "$DOCKET_ROOT"/examples/*/; do
		test -f "$dir/docket.yaml" || continue
		name=$(basename "$dir") &&
		docket init "s-$name" --template "$name" >out &&
		staff=$(yaml_get "s-$name/docket.yaml" staff.0.id) &&
		docket -C "s-$name" --as "$staff" check >out 2>err ||
		{ echo "template $name:"; cat err; exit 1; }
	done
'

test_expect_success 'an unknown template fails, naming it, and creates nothing' '
	test_must_fail docket init s11 --template no-such-office 2>err &&
	test_grep "no-such-office" err &&
	! test -e s11
'

test_expect_success 'a template name that is a path is refused' '
	test_must_fail docket init s12 --template ../examples/agriculture 2>err &&
	test_grep "^docket: init: " err &&
	! test -e s12
'

test_expect_success 'init into an existing store fails and changes nothing' '
	docket_init_store s13 &&
	store_state s13 >before &&
	test_must_fail docket init s13 2>err &&
	test_grep "^docket: init: " err &&
	store_state s13 >after &&
	test_cmp before after
'

test_expect_success 'init --template into an existing store fails too' '
	docket_init_store s14 &&
	store_state s14 >before &&
	test_must_fail docket init s14 --template agriculture 2>err &&
	store_state s14 >after &&
	test_cmp before after
'

test_expect_success 'init with an unknown option is a usage error' '
	test_expect_code 2 docket init --bogus s15 2>err &&
	test_grep "bogus" err &&
	test_grep "^usage: docket init" err &&
	! test -e s15
'

test_expect_success 'the default docket.yaml and every template validate against config.schema.json' '
	(cd "$DOCKET_ROOT" && sh tests/validate-schemas.sh) >out 2>&1 ||
	{ cat out; false; }
'

test_done
