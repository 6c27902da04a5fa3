#!/bin/sh
test_description='several offices, one history: site ids, and case files merged field by field by plain git'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-sites.sh"

test_expect_success 'init --site files under the site prefix, dense per site' '
	docket init hq --template net --site hq >out &&
	test "$(git -C hq config docket.site)" = hq &&
	file_case hq 车险理赔慢 >id1 &&
	file_case hq 退保难 >id2 &&
	printf "HQ-2026-000001\nHQ-2026-000002\n" >expect &&
	cat id1 id2 >actual &&
	test_cmp expect actual &&
	docket -C hq check >out 2>err &&
	assert_clean hq
'

test_expect_success 'a store of several sites refuses to file without its site' '
	docket init nosite --template net >out &&
	test_must_fail docket -C nosite --as "$intake" file --channel hotline \
		--phone 13800000000 --subject 无站点 >out 2>err &&
	test_grep "docket.site" err &&
	test "$(commit_count nosite)" = 1
'

test_expect_success 'init --site refuses a site docket.yaml does not name' '
	test_must_fail docket init bad --template net --site bj >out 2>err &&
	test_grep "bj" err &&
	! test -e bad
'

test_expect_success 'duplicate prefixes in sites are a configuration error' '
	mkdir -p tpl/dup &&
	sed "s/prefix: GZ/prefix: HQ/" tpl/net/docket.yaml >tpl/dup/docket.yaml &&
	test_must_fail docket init dup --template dup >out 2>err &&
	test_grep "HQ" err
'

test_expect_success 'a clone at the branch files GZ ids; both histories join' '
	git clone -q hq gz &&
	git -C gz config docket.site gz &&
	git -C gz config merge.docket.driver "docket merge-driver %O %A %B %P" &&
	git -C hq config merge.docket.driver "docket merge-driver %O %A %B %P" &&
	file_case gz 分公司受理 >gid &&
	echo GZ-2026-000001 >expect &&
	test_cmp expect gid &&
	git -C hq pull -q --no-rebase --no-edit ../gz main &&
	docket -C hq list --format ids >ids &&
	printf "GZ-2026-000001\nHQ-2026-000001\nHQ-2026-000002\n" >expect &&
	sort ids >actual &&
	test_cmp expect actual &&
	docket -C hq check
'

test_expect_success 'one case worked at both sites: plain git pull merges it by field' '
	git -C gz pull -q --no-rebase --no-edit ../hq main &&
	docket -C hq --as "$sup" note HQ-2026-000001 总公司电话回复 &&
	docket -C gz --as "$sup" note HQ-2026-000001 分公司上门核实 &&
	git -C hq pull -q --no-rebase --no-edit ../gz main 2>err &&
	! grep -q "<<<<<<<" "hq/$(case_path HQ-2026-000001)" &&
	docket -C hq show HQ-2026-000001 >show &&
	test_grep 总公司电话回复 show &&
	test_grep 分公司上门核实 show &&
	docket -C hq check &&
	assert_clean hq
'

test_expect_success 'both sites reach the same tree whichever pulls first' '
	docket -C hq --as "$sup" note HQ-2026-000002 总公司跟进 &&
	docket -C gz --as "$sup" note HQ-2026-000002 分公司跟进 &&
	git clone -q hq hq2 &&
	git -C hq2 config merge.docket.driver "docket merge-driver %O %A %B %P" &&
	git -C hq pull -q --no-rebase --no-edit ../gz main &&
	git -C gz pull -q --no-rebase --no-edit ../hq2 main &&
	test "$(git -C hq rev-parse HEAD^{tree})" = \
		"$(git -C gz rev-parse HEAD^{tree})"
'

test_expect_success 'a case closed at both sites is decided twice, named by check' '
	git -C gz pull -q --no-rebase --no-edit ../hq main &&
	DOCKET_NOW=2026-12-31T10:00:00+08:00 docket -C hq --as "$sup" \
		close HQ-2026-000002 --outcome withdrawn --summary 总公司撤回 &&
	DOCKET_NOW=2026-12-31T11:00:00+08:00 docket -C gz --as "$sup" \
		close HQ-2026-000002 --outcome withdrawn --summary 分公司撤回 &&
	git -C hq pull -q --no-rebase --no-edit ../gz main 2>err &&
	test_grep "HQ-2026-000002" err &&
	docket -C hq check >out 2>err &&
	test_grep "HQ-2026-000002.*decided at two sites" err &&
	docket -C hq show HQ-2026-000002 --format yaml >show &&
	test_grep "summary: 分公司撤回" show &&
	test_grep "other_closure:.*总公司撤回" show
'

test_done
