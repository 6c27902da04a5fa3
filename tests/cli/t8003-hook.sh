#!/bin/sh
test_description='docket hook pre-receive: the central repository refuses bad pushes'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-sites.sh"

test_expect_success 'a bare repository guarded by the hook takes docket sync' '
	docket init hq --template net --site hq >out &&
	git clone -q --bare hq hub.git &&
	printf "#!/bin/sh\nexec docket hook pre-receive\n" \
		>hub.git/hooks/pre-receive &&
	chmod +x hub.git/hooks/pre-receive &&
	git -C hq remote add origin ../hub.git &&
	docket clone hub.git gz --site gz >out &&
	file_case gz 分公司受理 >id &&
	DOCKET_PUSHER=gz docket -C gz --as "$intake" sync >out 2>err &&
	git -C hub.git cat-file -e main:cases/2026/000/GZ-2026-000001.yaml
'

test_expect_success 'a forced push that rewrites history is refused, with the reason' '
	head=$(git -C hub.git rev-parse main) &&
	git -C gz commit -q --amend -m rewritten &&
	! git -C gz push -q --force origin main 2>err &&
	test_grep "rewrites" err &&
	test "$(git -C hub.git rev-parse main)" = "$head" &&
	git -C gz reset -q --hard origin/main
'

test_expect_success 'an invalid case file is refused, named with its line' '
	head=$(git -C hub.git rev-parse main) &&
	f=gz/cases/2026/000/GZ-2026-000001.yaml &&
	sed -i "s/^status: .*/status: lost/" $f &&
	git -C gz commit -q -am "hand edit" &&
	! git -C gz push -q origin main 2>err &&
	test_grep "GZ-2026-000001.yaml:[0-9]*:[0-9]*" err &&
	test "$(git -C hub.git rev-parse main)" = "$head" &&
	git -C gz reset -q --hard origin/main
'

test_expect_success 'removing a case file is refused' '
	git -C gz rm -q cases/2026/000/GZ-2026-000001.yaml &&
	git -C gz commit -q -m "remove" &&
	! git -C gz push -q origin main 2>err &&
	test_grep "removed" err &&
	git -C gz reset -q --hard origin/main
'

test_expect_success 'deleting the shared branch is refused' '
	! git -C gz push -q origin :main 2>err &&
	test_grep "deleted" err &&
	git -C hub.git rev-parse --verify -q main
'

test_expect_success 'a site may not push a new case under another site prefix' '
	git -C gz config docket.site hq &&
	file_case gz 冒用总公司编号 >id &&
	git -C gz config docket.site gz &&
	! env DOCKET_PUSHER=gz git -C gz push -q origin main 2>err &&
	test_grep "GZ" err &&
	git -C gz reset -q --hard origin/main
'

test_expect_success 'a pusher mapped to its site by the server config' '
	git -C hub.git config docket.pusher.guangzhou-office gz &&
	git -C gz config docket.site hq &&
	file_case gz 冒用总公司编号 >id &&
	git -C gz config docket.site gz &&
	! env DOCKET_PUSHER=guangzhou-office \
		git -C gz push -q origin main 2>err &&
	test_grep "only cases under its own prefix" err &&
	git -C gz reset -q --hard origin/main
'

test_done
