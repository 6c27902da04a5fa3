#!/bin/sh
# run-cli: alone (it measures time or races processes on purpose)
test_description='the store lock: concurrent writers, a held lock, stale git locks'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER

# hold_lock STORE SECONDS: take the store lock (flock on .git/docket.lock)
# in a background process for SECONDS; its pid goes to the file holder.
hold_lock () {
	rm -f ready &&
	/usr/bin/python3 -c '
import fcntl, sys, time
f = open(sys.argv[1] + "/.git/docket.lock", "a")
fcntl.flock(f, fcntl.LOCK_EX)
open("ready", "w").close()
time.sleep(float(sys.argv[2]))
' "$1" "$2" &
	echo $! >holder &&
	test_tries_=0 &&
	while ! test -f ready; do
		test_tries_=$((test_tries_ + 1)) &&
		test $test_tries_ -le 100 &&
		sleep 0.1 || return 1
	done
}

release_lock () {
	kill "$(cat holder)" 2>/dev/null
	wait "$(cat holder)" 2>/dev/null
	return 0
}

test_expect_success 'setup: a store' '
	docket_init_store s
'

test_expect_success 'eight files at once get eight different dense ids' '
	for i in 1 2 3 4 5 6 7 8; do
		(cd s && docket file --channel phone --phone 1380000000$i \
			--subject "同时登记$i" >../id.$i 2>../err.$i
		 echo $? >../rc.$i) &
	done &&
	wait &&
	cat rc.* | sort -u >actual &&
	echo 0 >expect && test_cmp expect actual &&
	cat id.* | sort >actual &&
	printf "2026-00000%d\n" 1 2 3 4 5 6 7 8 >expect &&
	test_cmp expect actual
'

test_expect_success 'and one commit each, a clean tree and a store that checks' '
	test "$(commit_count s)" = 9 &&
	assert_clean s &&
	(cd s && docket check >../out)
'

test_expect_success 'file waits for a lock held briefly, then registers' '
	hold_lock s 2 &&
	(cd s && docket file --channel web --subject 等锁 >../id) &&
	release_lock &&
	echo 2026-000009 >expect && test_cmp expect id &&
	assert_clean s
'

test_expect_success 'file gives up after about 10 s on a held lock, saying so' '
	hold_lock s 30 &&
	start=$(date +%s) &&
	expect_refusal --code 1 s "lock" docket file --channel web \
		--subject 锁住了 ||
	{ release_lock; exit 1; }
	elapsed=$(( $(date +%s) - start )) &&
	release_lock &&
	echo "waited $elapsed s" &&
	test $elapsed -ge 9 && test $elapsed -le 20
'

test_expect_success 'reading commands do not wait for the lock' '
	hold_lock s 30 &&
	start=$(date +%s) &&
	(cd s && docket list --format ids >../out &&
	 docket show 2026-000001 >../out2 &&
	 docket log 2026-000001 >../out3) ||
	{ release_lock; exit 1; }
	elapsed=$(( $(date +%s) - start )) &&
	release_lock &&
	test $elapsed -lt 5 &&
	test_line_count = 9 out
'

test_expect_success 'an index.lock docket cannot prove its own is never removed' '
	: >s/.git/index.lock &&
	touch -d "1 minute ago" s/.git/index.lock &&
	DOCKET_LOCK_TIMEOUT=1 && export DOCKET_LOCK_TIMEOUT &&
	expect_refusal --code 1 s "index\.lock.*exists" \
		docket file --channel web --subject 崩溃之后 &&
	test -e s/.git/index.lock &&
	rm s/.git/index.lock &&
	(cd s && docket file --channel web --subject 崩溃之后 >../id) &&
	echo 2026-000010 >expect && test_cmp expect id &&
	assert_clean s
'

test_done
