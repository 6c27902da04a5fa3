#!/bin/sh
# run-cli: alone (it measures time or races processes on purpose)
test_description='concurrent writers: 8 x 50 file racing triage, assign, note and remind'
. "$(dirname "$0")/lib.sh"

# Writers wait for the store lock up to 10 s (STORE_LOCK_TIMEOUT); one that
# gives up must say so and exit 1, never lose its action quietly.  The
# counts go to the test log (sh tests/run-cli.sh -v t4002).

DOCKET_USER=tester
export DOCKET_USER

WRITERS=8
EACH=50
OLD=10		# cases filed before the race, for triage, assign and note

test_expect_success 'setup: a store with ten cases filed ten days ago' '
	docket_init_store s &&
	for i in $(seq 1 $OLD); do
		DOCKET_NOW=2026-11-20T10:00:00+08:00 docket -C s file \
			--channel phone --phone 138000000$(printf %02d $i) \
			--subject "旧案$i" >/dev/null || exit 1
	done &&
	test "$(commit_count s)" = $((OLD + 1))
'

DOCKET_NOW=2026-11-30T10:00:00+08:00
export DOCKET_NOW

# writer N: EACH files, one line "RC ID MS" per file in w.N (MS: the
# milliseconds it took, lock wait included)
writer () {
	: >w.$1
	for j in $(seq 1 $EACH); do
		rc=0
		t0=$(date +%s%N)
		docket -C s file --channel web --subject "并发$1-$j" \
			>id.$1 2>>err.w.$1 || rc=$?
		t1=$(date +%s%N)
		echo "$rc $(cat id.$1) $(( (t1 - t0) / 1000000 ))" >>w.$1
	done
}

# racer: triage then assign each old case, a note on each old case
# between, one line "RC ACTION ID TEXT" per command in r.log
racer () {
	: >r.log
	for i in $(seq 1 $OLD); do
		id=2026-0000$(printf %02d $i)
		rc=0
		docket -C s triage $id --accept --category safety \
			>/dev/null 2>>err.r || rc=$?
		echo "$rc triage $id" >>r.log
		rc=0
		docket -C s note $id "回访$i-a" >/dev/null 2>>err.r || rc=$?
		echo "$rc note $id 回访$i-a" >>r.log
		rc=0
		docket -C s assign $id --to facilities >/dev/null 2>>err.r ||
			rc=$?
		echo "$rc assign $id" >>r.log
		rc=0
		docket -C s note $id "回访$i-b" --contact phone >/dev/null \
			2>>err.r || rc=$?
		echo "$rc note $id 回访$i-b" >>r.log
	done
}

# noter: more notes on the old cases, interleaved with the racer's
noter () {
	: >n.log
	for k in $(seq 1 30); do
		id=2026-0000$(printf %02d $((k % OLD + 1)))
		rc=0
		docket -C s note $id "记录$k" >/dev/null 2>>err.n || rc=$?
		echo "$rc note $id 记录$k" >>n.log
	done
}

# reminder: remind runs while the cases come in
reminder () {
	: >m.log
	for k in 1 2 3 4 5; do
		rc=0
		docket -C s remind >/dev/null 2>>err.m || rc=$?
		echo "$rc" >>m.log
		sleep 0.5
	done
}

# lister: a reader (no lock) listing every case while they come in
lister () {
	: >l.log
	for k in $(seq 1 20); do
		rc=0
		docket -C s list --format ids >list.out 2>>err.l || rc=$?
		echo "$rc $(wc -l <list.out)" >>l.log
		sleep 0.2
	done
}

test_expect_success "$WRITERS writers x $EACH file race assign, note, remind" '
	git -C s log --format=%H >commits.before &&
	start=$(date +%s)
	for w in $(seq 1 $WRITERS); do
		writer $w &
	done
	racer &
	noter &
	reminder &
	lister &
	wait
	echo "$(( $(date +%s) - start )) s for the race" &&
	cat w.* >writes &&
	test_line_count = $((WRITERS * EACH)) writes &&
	sort -n -k3 writes | awk "{ ms[NR] = \$3 } END {
		printf \"file: median %d ms, slowest %d ms (lock wait included)\\n\",
			ms[int((NR + 1) / 2)], ms[NR] }"
'

test_expect_success 'no writer timed out or failed; a failure would say why' '
	timeouts=$(cat err.[wrnm]* | grep -c "store is locked" || :) &&
	failures=$(cat w.* r.log n.log | grep -vc "^0 " || :) &&
	rfail=$(grep -vc "^0$" m.log || :) &&
	echo "lock timeouts: $timeouts, failed commands: $failures," \
		"failed remind runs: $rfail" &&
	cat err.[wrnm]* &&
	test "$timeouts" = 0 &&
	test "$failures" = 0 &&
	test "$rfail" = 0
'

test_expect_success "$((WRITERS * EACH)) new cases with dense unique ids" '
	awk "\$1 == 0 { print \$2 }" writes | sort >ids &&
	test_line_count = $((WRITERS * EACH)) ids &&
	sort -u ids >uniq &&
	test_cmp ids uniq &&
	for n in $(seq $((OLD + 1)) $((OLD + WRITERS * EACH))); do
		printf "2026-%06d\n" $n
	done >expect &&
	test_cmp expect ids &&
	git -C s ls-tree -r --name-only HEAD cases >paths &&
	test_line_count = $((OLD + WRITERS * EACH)) paths
'

ACTION="%(trailers:key=Action,valueonly,separator=%x2C)"
CASES="%(trailers:key=Case,valueonly,separator=%x2C)"

# actions ACTION: the number of commits whose Action trailer is ACTION
actions () {
	git -C s log --format="$ACTION" |
		grep -cx "$1" || :
}

test_expect_success 'exactly one commit per successful action' '
	files=$(actions file) &&
	test "$files" = $((OLD + WRITERS * EACH)) &&
	for a in triage assign note; do
		ok=$(cat r.log n.log | awk -v a=$a "\$1 == 0 && \$2 == a" |
			wc -l) &&
		have=$(actions $a) &&
		echo "$a: $ok succeeded, $have commits" &&
		test "$have" = "$ok" || exit 1
	done &&
	reminds=$(actions remind) &&
	echo "remind: $(wc -l <m.log) runs, $reminds commits" &&
	test "$reminds" -ge 1 &&
	test "$reminds" -le "$(wc -l <m.log)" &&
	total=$(commit_count s) &&
	test "$total" = $((1 + files + $(actions triage) + $(actions assign) +
		$(actions note) + reminds))
'

test_expect_success 'a reader listing meanwhile never failed nor missed a file' '
	cat l.log &&
	test_line_count = 20 l.log &&
	! grep -v "^0 " l.log &&
	test_must_be_empty err.l
'

test_expect_success 'each case has one file commit, each file commit one case' '
	git -C s log --format="$ACTION%x09$CASES" |
		awk -F "\t" "\$1 == \"file\" { print \$2 }" | sort >filed &&
	sort -u filed >uniq &&
	test_cmp filed uniq &&
	sed "s|.*/||; s|\.yaml\$||" paths | sort >all &&
	test_cmp all filed
'

test_expect_success 'no lost update: every note that exited 0 is in its case' '
	cat r.log n.log | awk "\$1 == 0 && \$2 == \"note\"" >notes &&
	test_line_count = $((2 * OLD + 30)) notes &&
	while read -r rc a id text; do
		test_grep -F "$text" "s/$(case_path $id)" || exit 1
	done <notes
'

test_expect_success 'check passes and git status is clean' '
	docket -C s check >out &&
	cat out &&
	assert_clean s &&
	! test -e s/.git/docket-pending
'

test_done
