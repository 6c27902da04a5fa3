#!/bin/sh
# run-cli: alone (it measures time or races processes on purpose)
test_description='three offices work offline and sync in random orders, some
syncs killed: a short run of tests/reliability/converge.sh'
. "$(dirname "$0")/lib.sh"

test_expect_success 'file, accept, assign, note, close and reopen at three
sites, sync in random orders with kill -9: one history, nothing lost' '
	sh "$DOCKET_ROOT/tests/reliability/converge.sh" 4 7 >out 2>err ||
		{ cat out err >&4; exit 1; } &&
	test_grep " 0 lost$" out &&
	test_grep "([1-9][0-9]* killed)" out
'

test_expect_success 'a sync killed mid-fetch leaves nothing in the way' '
	docket init hq >/dev/null &&
	git clone -q --bare hq hub.git &&
	git -C hq remote add origin ../hub.git &&
	docket -C hq sync >out &&
	: >hq/.git/refs/docket/sync/origin/main.lock &&
	docket -C hq sync >out &&
	test_grep "in step with origin" out &&
	git -C hq rev-parse --verify -q refs/remotes/origin/main >/dev/null
'

test_expect_success 'a push killed in a shared folder: the next docket push clears its lock' '
	docket -C hq --as tester file --channel phone --phone 13800000001 \
		--subject 共享目录 >/dev/null 2>&1 &&
	printf "ref refs/heads/main\n" >hub.git/docket-push.lock &&
	touch -d "-2 minutes" hub.git/docket-push.lock &&
	: >hub.git/refs/heads/main.lock &&
	touch -d "-1 minute" hub.git/refs/heads/main.lock &&
	docket -C hq sync >out &&
	test_grep "in step with origin" out &&
	! test -e hub.git/refs/heads/main.lock &&
	test_must_be_empty hub.git/docket-push.lock &&
	test "$(git -C hub.git rev-parse main)" = "$(git -C hq rev-parse HEAD)"
'

test_expect_success 'a push right after one killed in a shared folder waits for its lock to be provably dead' '
	docket -C hq --as tester file --channel phone --phone 13800000003 \
		--subject 刚中断的推送 >/dev/null 2>&1 &&
	printf "ref refs/heads/main\n" >hub.git/docket-push.lock &&
	: >hub.git/refs/heads/main.lock &&
	docket -C hq sync >out &&
	test_grep "in step with origin" out &&
	! test -e hub.git/refs/heads/main.lock &&
	test "$(git -C hub.git rev-parse main)" = "$(git -C hq rev-parse HEAD)"
'

test_expect_success 'with no time to wait, the record of the dead push is kept for the next' '
	docket -C hq --as tester file --channel phone --phone 13800000004 \
		--subject 超时 >/dev/null 2>&1 &&
	printf "ref refs/heads/main\n" >hub.git/docket-push.lock &&
	: >hub.git/refs/heads/main.lock &&
	test_expect_code 1 env DOCKET_LOCK_TIMEOUT=1 docket -C hq sync \
		>out 2>err &&
	test_grep "ref refs/heads/main" hub.git/docket-push.lock &&
	docket -C hq sync >out &&
	! test -e hub.git/refs/heads/main.lock &&
	test "$(git -C hub.git rev-parse main)" = "$(git -C hq rev-parse HEAD)"
'

test_expect_success 'a lock no docket push left is not docket'"'"'s to remove' '
	docket -C hq --as tester file --channel phone --phone 13800000002 \
		--subject 别人的锁 >/dev/null 2>&1 &&
	: >hub.git/refs/heads/main.lock &&
	touch -d "-1 minute" hub.git/refs/heads/main.lock &&
	test_expect_code 1 docket -C hq sync >out 2>err &&
	test_grep "main.lock" err &&
	test -e hub.git/refs/heads/main.lock &&
	rm hub.git/refs/heads/main.lock
'

test_done
