#!/bin/sh
test_description='docket clone and docket sync through a shared bare repository'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-sites.sh"

test_expect_success 'the head office publishes its store as a bare repository' '
	docket init hq --template net --site hq >out &&
	git clone -q --bare hq hub.git &&
	git -C hq remote add origin ../hub.git &&
	docket -C hq --as "$sup" sync >out &&
	test_grep "origin" out
'

test_expect_success 'clone --site gives a branch a ready store' '
	docket clone hub.git gz --site gz >out &&
	test_grep "gz" out &&
	test "$(git -C gz config docket.site)" = gz &&
	test "$(git -C gz config merge.docket.driver)" = \
		"docket merge-driver %O %A %B %P" &&
	file_case gz 分公司受理 >id &&
	echo GZ-2026-000001 >expect &&
	test_cmp expect id &&
	docket -C gz check &&
	find gz -path gz/.git -prune -o -perm /007 -print >leaks &&
	test_must_be_empty leaks
'

test_expect_success 'clone without --site of a store of several sites changes nothing' '
	test_must_fail docket clone hub.git nosite >out 2>err &&
	test_grep "\-\-site" err &&
	! test -e nosite
'

test_expect_success 'clone with a site the store does not have changes nothing' '
	test_must_fail docket clone hub.git bj --site bj >out 2>err &&
	test_grep "bj" err &&
	! test -e bj
'

test_expect_success 'clone of a repository that is no store changes nothing' '
	git init -q plain && git -C plain commit -q --allow-empty -m x &&
	test_must_fail docket clone plain notstore >out 2>err &&
	test_grep "docket.yaml" err &&
	! test -e notstore
'

test_expect_success 'clone into an existing folder is refused' '
	mkdir taken &&
	test_must_fail docket clone hub.git taken --site gz >out 2>err &&
	test_grep "taken" err
'

test_expect_success 'offices file apart and converge after syncing' '
	docket clone hub.git sz --site sz >out &&
	file_case hq 总公司受理 >hid &&
	file_case sz 深圳受理 >sid &&
	docket -C gz --as "$intake" sync >out &&
	docket -C hq --as "$intake" sync >out &&
	docket -C sz --as "$intake" sync >out &&
	docket -C gz --as "$intake" sync >out &&
	docket -C hq --as "$intake" sync >out &&
	for s in hq gz sz; do
		docket -C $s list --format ids | sort >ids.$s || return 1
		docket -C $s check >/dev/null || return 1
		assert_clean $s || return 1
	done &&
	printf "GZ-2026-000001\nHQ-2026-000001\nSZ-2026-000001\n" >expect &&
	test_cmp expect ids.hq &&
	test_cmp expect ids.gz &&
	test_cmp expect ids.sz &&
	test "$(git -C hq rev-parse HEAD^{tree})" = \
		"$(git -C gz rev-parse HEAD^{tree})"
'

test_expect_success 'the head office reports over every site: --by site (单位), a row each' '
	docket -C hq report --from 2026-01-01 --to 2027-01-01 --by site \
		--format json >r.json &&
	/usr/bin/python3 -c "
import json
r = json.load(open(\"r.json\"))
print(r[\"by\"], \" \".join(\"%s=%d\" % (x[\"site\"], x[\"received\"]) for x in r[\"rows\"]))" >actual &&
	echo "site gz=1 hq=1 sz=1" >expect &&
	test_cmp expect actual &&
	docket -C hq report --from 2026-01-01 --to 2027-01-01 --by 单位 >out &&
	test_grep "^广州分公司 (gz) " out
'

test_expect_success 'one case worked at two sites: one sync commit merges it' '
	docket -C hq --as "$sup" note GZ-2026-000001 总公司督办 &&
	docket -C gz --as "$sup" note GZ-2026-000001 分公司回复 &&
	docket -C gz --as "$intake" sync >out &&
	docket -C hq --as "$intake" sync >out &&
	test_grep "1 case" out &&
	git -C hq log -1 --format=%B >msg &&
	test_grep "^Action: sync" msg &&
	test_grep "^Case: GZ-2026-000001" msg &&
	docket -C hq show GZ-2026-000001 >show &&
	test_grep 总公司督办 show &&
	test_grep 分公司回复 show &&
	docket -C hq check >/dev/null &&
	assert_clean hq &&
	docket -C hq log GZ-2026-000001 >log &&
	test_grep sync log
'

test_expect_success 'plain git pull with the merge driver gives the tree sync gives' '
	docket -C gz --as "$intake" sync >out &&
	docket -C hq --as "$sup" note HQ-2026-000001 总公司补记 &&
	docket -C gz --as "$sup" note HQ-2026-000001 分公司补记 &&
	docket -C hq --as "$intake" sync >out &&
	cp -a gz gzgit &&
	git -C gzgit pull -q --no-rebase --no-edit origin main &&
	docket -C gz --as "$intake" sync --no-push >out &&
	test "$(git -C gz rev-parse HEAD^{tree})" = \
		"$(git -C gzgit rev-parse HEAD^{tree})"
'

test_expect_success 'a store whose history has no .gitattributes: clone still makes git pull merge case files' '
	/usr/bin/python3 "$DOCKET_ROOT/tests/report/gen_store.py" old \
		--cases 20 --start 2026-01-01 --months 2 \
		--now 2026-11-27T18:00:00+08:00 >/dev/null &&
	! git -C old cat-file -e HEAD:.gitattributes 2>/dev/null &&
	git clone -q --bare old old.git &&
	docket clone old.git o1 >/dev/null &&
	docket clone old.git o2 >/dev/null &&
	test_grep "cases/\*\* -text merge=docket" o1/.git/info/attributes &&
	export DOCKET_NOW=2026-11-30T10:00:00+08:00 &&
	docket -C o1 --as chen.jing note 2026-000003 总公司记录 2>/dev/null &&
	git -C o1 push -q origin HEAD &&
	docket -C o2 --as chen.jing note 2026-000003 分公司记录 2>/dev/null &&
	git -C o2 pull -q --no-rebase --no-edit origin \
		"$(git -C o2 symbolic-ref --short HEAD)" &&
	test_grep 总公司记录 "o2/$(case_path 2026-000003)" &&
	test_grep 分公司记录 "o2/$(case_path 2026-000003)" &&
	! grep -q "^<<<<<<<" "o2/$(case_path 2026-000003)" &&
	docket -C o2 check >/dev/null
'

test_expect_success 'sync --no-push leaves the shared repository as it was' '
	before=$(git -C hub.git rev-parse main) &&
	file_case gz 未上传 >id &&
	docket -C gz --as "$intake" sync --no-push >out &&
	test "$(git -C hub.git rev-parse main)" = "$before"
'

test_expect_success 'docket.yaml edited at two sites: sync changes nothing and says so' '
	docket -C gz --as "$intake" sync >out &&
	docket -C hq --as "$intake" sync >out &&
	sed -i "s/^organization:.*/organization: 总公司改名/" hq/docket.yaml &&
	git -C hq commit -q -am "config at hq" &&
	sed -i "s/^organization:.*/organization: 分公司改名/" gz/docket.yaml &&
	git -C gz commit -q -am "config at gz" &&
	docket -C hq --as "$intake" sync >out &&
	head=$(git -C gz rev-parse HEAD) &&
	test_must_fail docket -C gz --as "$intake" sync >out 2>err &&
	test_grep "docket.yaml" err &&
	test "$(git -C gz rev-parse HEAD)" = "$head" &&
	assert_clean gz &&
	file_case gz 仍可登记 >id
'

test_expect_success 'an unknown remote is named with the command to add it' '
	test_must_fail docket -C sz --as "$intake" sync upstream >out 2>err &&
	test_grep "git remote add upstream" err
'

test_expect_success 'an unreachable remote is named; nothing changes' '
	git -C sz remote add gone /nonexistent/hub.git &&
	head=$(git -C sz rev-parse HEAD) &&
	test_must_fail docket -C sz --as "$intake" sync gone >out 2>err &&
	test_grep "gone\|nonexistent" err &&
	test "$(git -C sz rev-parse HEAD)" = "$head"
'

test_expect_success 'clone and sync follow git url.BASE.insteadOf rules' '
	git config --global url."$PWD/".insteadOf "hub:" &&
	docket clone hub:hub.git short --site sz >out &&
	test "$(git -C short config remote.origin.url)" = hub:hub.git &&
	docket -C short --as "$intake" sync >out &&
	test_grep "in step with origin" out &&
	git config --global --unset url."$PWD/".insteadOf
'

test_done
