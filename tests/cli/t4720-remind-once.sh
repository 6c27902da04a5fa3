#!/bin/sh
# run-cli: alone (it measures time or races processes on purpose)
test_description='docket remind --mail mails each reminder once: two
overlapping runs, a run that cannot lock the store, a run killed after
mailing, a sendmail that hangs (mail.timeout)'
. "$(dirname "$0")/lib.sh"

PATH=$TEST_DATA:$PATH
export PATH

# mailer: keeps each message as spool/msg.*; with MAILER_SLEEP it takes
# that long first, with MAILER_HOOK it runs that script after keeping
# the message (the hooks below stop docket or take its lock).
cat >mailer <<EOF
#!/bin/sh
f=\$(mktemp "$TRASH_DIRECTORY/spool/msg.XXXXXX") || exit 1
cat >"\$f"
[ -z "\$MAILER_SLEEP" ] || sleep "\$MAILER_SLEEP"
[ -z "\$MAILER_HOOK" ] || . "\$MAILER_HOOK"
exit 0
EOF
chmod +x mailer

# store NAME: the remind tests' office, two cases with deadlines passed
# by 2026-10-10, mailing through ./mailer.
store () {
	docket_init_store "$1" &&
	sed "s|^  sendmail: .*|  sendmail: $TRASH_DIRECTORY/mailer|" \
		"$TEST_DATA/remind-docket.yaml" >"$1/docket.yaml" &&
	git -C "$1" commit -q -m "mail through the test mailer" docket.yaml &&
	(cd "$1" &&
	 export DOCKET_NOW=2026-09-28T09:00:00+08:00 &&
	 DOCKET_USER=zhang.wei docket file --channel phone --name 李某 \
		--phone 13800000001 --subject 化肥结块严重 >/dev/null &&
	 DOCKET_USER=zhang.wei docket file --channel phone --name 王某 \
		--phone 13800000002 --subject 复合肥质量差 >/dev/null &&
	 DOCKET_USER=chen.jing docket triage 2026-000002 --accept \
		--category fertilizer 2>/dev/null &&
	 DOCKET_USER=chen.jing docket assign 2026-000002 --to sun.li)
}

# remind STORE [ENV=VALUE...]: the morning run of 2026-10-10 with --mail;
# stdout in out.STORE, stderr in err.STORE, the exit status in
# code.STORE.
remind () {
	remind_s_=$1
	shift
	remind_c_=0
	(cd "$remind_s_" && env DOCKET_USER=chen.jing \
		DOCKET_NOW=2026-10-10T07:30:00+08:00 "$@" docket remind --mail) \
		>"out.$remind_s_" 2>"err.$remind_s_" || remind_c_=$?
	echo $remind_c_ >"code.$remind_s_"
}

# mailed: "ADDRESS CASE DEADLINE LEVEL", one line per reminder in every
# message kept, sorted.
mailed () {
	for m in spool/msg.*; do
		[ -f "$m" ] || continue
		mail-summary --lines "$m" | cut -d" " -f2-
	done | sort
}

# What the morning of 2026-10-10 has to mail, once.
cat >expect.once <<\EOF
chen.jing@example.org 2026-000001 ack 2
chen.jing@example.org 2026-000001 feedback 1
liu.yang@example.org 2026-000001 ack 2
sun.li@example.org 2026-000002 feedback 1
EOF

# events STORE: its remind events, "CASE DEADLINE LEVEL TO...", sorted.
events () {
	for f in "$1"/cases/2026/000/*.yaml; do
		sed -n "s/.*action: remind, deadline: \([a-z]*\), due: [^,]*, level: \"\([12]\)\", to: \[\(.*\)\]}.*/$(basename "$f" .yaml) \1 \2 \3/p" "$f"
	done | sort
}

cat >expect.events <<\EOF
2026-000001 ack 2 chen.jing, liu.yang
2026-000001 feedback 1 chen.jing
2026-000002 feedback 1 sun.li
EOF

test_expect_success 'setup' '
	mkdir spool &&
	store s &&
	assert_clean s
'

test_expect_success 'two overlapping runs: each reminder is mailed once,
recorded once' '
	rm -f spool/msg.* code.two &&
	store two &&
	{ remind two MAILER_SLEEP=1 & } &&
	# the second starts while the first is mailing
	i=0 &&
	until ls spool/msg.* >/dev/null 2>&1 || [ $i -ge 200 ]; do
		sleep 0.05; i=$((i + 1))
	done &&
	(cd two && DOCKET_USER=chen.jing DOCKET_NOW=2026-10-10T07:30:00+08:00 \
		DOCKET_LOCK_TIMEOUT=30 docket remind --mail >../out.second \
		2>../err.second) &&
	wait &&
	test "$(cat code.two)" = 0 &&
	test_must_be_empty err.two &&
	test_must_be_empty out.second &&
	test_must_be_empty err.second &&
	mailed >actual &&
	test_cmp expect.once actual &&
	events two >actual &&
	test_cmp expect.events actual &&
	test "$(git -C two log --format=%s | grep -c "^remind ")" = 1 &&
	! test -e two/.git/docket-remind &&
	assert_clean two
'

test_expect_success 'a run that cannot lock the store mails nothing and
says so' '
	rm -f spool/msg.* &&
	store busy &&
	store_state busy >before &&
	{ flock busy/.git/docket.lock sleep 3 & } &&
	sleep 0.5 &&
	remind busy DOCKET_LOCK_TIMEOUT=1 &&
	test "$(cat code.busy)" = 1 &&
	test_grep "store is locked" err.busy &&
	test_grep "nothing was mailed or recorded" err.busy &&
	test_must_be_empty out.busy &&
	mailed >actual &&
	test_must_be_empty actual &&
	store_state busy >after &&
	test_cmp before after &&
	wait &&
	remind busy &&
	test "$(cat code.busy)" = 0 &&
	mailed >actual &&
	test_cmp expect.once actual
'

test_expect_success 'the lock lost while mailing: the journal keeps what was
mailed, the next run records it and mails nothing again' '
	rm -f spool/msg.* hook.done &&
	store late &&
	# the first message has the store lock taken for 3 seconds
	cat >hook.lock <<-EOF &&
	[ -e "$TRASH_DIRECTORY/hook.done" ] && return 0
	touch "$TRASH_DIRECTORY/hook.done"
	flock "$TRASH_DIRECTORY/late/.git/docket.lock" sleep 3 \
		</dev/null >/dev/null 2>&1 &
	echo \$! >"$TRASH_DIRECTORY/hook.pid"
	sleep 0.5
	EOF
	remind late DOCKET_LOCK_TIMEOUT=1 \
		MAILER_HOOK=$TRASH_DIRECTORY/hook.lock &&
	test "$(cat code.late)" = 1 &&
	test_grep "the reminders mailed are not recorded yet" err.late &&
	test_grep "docket-remind" err.late &&
	test -f late/.git/docket-remind &&
	mailed >actual &&
	test_cmp expect.once actual &&
	events late >actual &&
	test_must_be_empty actual &&
	while kill -0 $(cat hook.pid) 2>/dev/null; do sleep 0.1; done &&
	remind late &&
	test "$(cat code.late)" = 0 &&
	test_grep "recorded the reminders an earlier run mailed" err.late &&
	test_must_be_empty out.late &&
	mailed >actual &&
	test_cmp expect.once actual &&
	events late >actual &&
	test_cmp expect.events actual &&
	! test -e late/.git/docket-remind &&
	assert_clean late
'

test_expect_success 'a run killed after mailing, before recording: nothing is
mailed twice' '
	rm -f spool/msg.* &&
	store killed &&
	# the mailer stops docket (its parent) once it has the third message
	cat >hook.kill <<-\EOF &&
	n=$(ls "$(dirname "$f")" | wc -l)
	[ "$n" -lt 3 ] || kill -9 $PPID
	EOF
	remind killed MAILER_HOOK=$TRASH_DIRECTORY/hook.kill &&
	test "$(cat code.killed)" = 137 &&
	test -f killed/.git/docket-remind &&
	mailed | cut -d" " -f1 | sort -u >actual &&
	test_line_count = 3 actual &&
	remind killed &&
	test "$(cat code.killed)" = 0 &&
	# the one in the hands of sendmail when docket died is recorded
	# (it may have gone out), not mailed again
	test_grep "stopped while mailing .sun.li." err.killed &&
	mailed >actual &&
	test_cmp expect.once actual &&
	events killed >actual &&
	test_cmp expect.events actual &&
	! test -e killed/.git/docket-remind &&
	assert_clean killed
'

test_expect_success 'a run killed while sendmail had the first message: that
one counts as sent (at most once), the others are mailed by the next run' '
	rm -f spool/msg.* &&
	store early &&
	cat >hook.early <<-\EOF &&
	rm -f "$f"
	kill -9 $PPID
	EOF
	remind early MAILER_HOOK=$TRASH_DIRECTORY/hook.early &&
	test "$(cat code.early)" = 137 &&
	mailed >actual &&
	test_must_be_empty actual &&
	remind early &&
	test "$(cat code.early)" = 0 &&
	mailed >actual &&
	grep -v "^chen.jing" expect.once >expect &&
	test_cmp expect actual
'

test_expect_success 'mail.timeout stops a hung sendmail and its children,
names the recipient and nothing personal' '
	rm -f spool/msg.* &&
	store hung &&
	cat >hung-mailer <<-EOF &&
	#!/bin/sh
	cat >/dev/null
	(sleep 3; touch "$TRASH_DIRECTORY/hung-child-lived") &
	sleep 60
	EOF
	chmod +x hung-mailer &&
	sed -i "s|^  sendmail: .*|  sendmail: $TRASH_DIRECTORY/hung-mailer\n  timeout: 1s|" \
		hung/docket.yaml &&
	git -C hung commit -q -m "a mail server that hangs" docket.yaml &&
	start=$(date +%s) &&
	remind hung &&
	end=$(date +%s) &&
	test "$(cat code.hung)" = 1 &&
	test $((end - start)) -lt 15 &&
	test_grep "mail to .chen.jing. failed: .*hung-mailer. did not finish within 1 s and was stopped (mail.timeout)" err.hung &&
	test "$(grep -c "did not finish within 1 s" err.hung)" = 3 &&
	! grep -e 李某 -e 王某 -e 1380000000 -e "@example" err.hung &&
	events hung >actual &&
	test_must_be_empty actual &&
	sleep 3 &&
	! test -e hung-child-lived &&
	! test -e hung/.git/docket-remind &&
	assert_clean hung
'

test_expect_success 'mail.timeout takes s, m or h and nothing else' '
	store cfg &&
	for v in 10d 0s 25h 1wd x 60; do
		sed -i "/^  timeout:/d; s|^\(  sendmail: .*\)|\1\n  timeout: $v|" \
			cfg/docket.yaml &&
		test_must_fail docket -C cfg check 2>err &&
		test_grep "docket.yaml:[0-9]*:[0-9]*: invalid time .$v. in .mail.timeout." err ||
		return 1
	done &&
	for v in 90s 2m 1h; do
		sed -i "/^  timeout:/d; s|^\(  sendmail: .*\)|\1\n  timeout: $v|" \
			cfg/docket.yaml &&
		docket -C cfg remind --dry-run >/dev/null || return 1
	done
'

test_expect_success 'on a detached HEAD remind --mail mails nothing' '
	rm -f spool/msg.* &&
	store detached &&
	git -C detached checkout -q --detach &&
	remind detached &&
	test "$(cat code.detached)" = 1 &&
	test_grep "detached" err.detached &&
	mailed >actual &&
	test_must_be_empty actual
'

test_expect_success 'a FIFO or folder at .git/docket-remind is named, never
waited on, and nothing is mailed' '
	rm -f spool/msg.* &&
	store fifo &&
	mkfifo fifo/.git/docket-remind &&
	remind fifo &&
	test "$(cat code.fifo)" = 1 &&
	test_grep "docket-remind. is not a regular file but a FIFO" err.fifo &&
	test_grep "nothing was mailed" err.fifo &&
	rm fifo/.git/docket-remind &&
	mkdir fifo/.git/docket-remind &&
	remind fifo &&
	test "$(cat code.fifo)" = 1 &&
	test_grep "docket-remind. is not a regular file but a folder" err.fifo &&
	mailed >actual &&
	test_must_be_empty actual
'

test_expect_success 'a journal docket cannot read is named and nothing is
mailed' '
	rm -f spool/msg.* &&
	store junk &&
	printf "docket-remind 1\nat 2026-10-10T07:30:00+08:00\nby chen.jing\nhello\n" \
		>junk/.git/docket-remind &&
	remind junk &&
	test "$(cat code.junk)" = 1 &&
	test_grep "docket-remind:4: not a line of docket.s remind journal" err.junk &&
	mailed >actual &&
	test_must_be_empty actual
'

test_done
