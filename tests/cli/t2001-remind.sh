#!/bin/sh
test_description='docket remind: overdue and due-soon deadlines, grouped by recipient, recorded once, mailed'
. "$(dirname "$0")/lib.sh"

# The stand-in sendmail programs are found in PATH; each message it takes
# is kept in the spool.
PATH=$TEST_DATA:$PATH
FAKE_SENDMAIL_SPOOL=$TRASH_DIRECTORY/spool
export PATH FAKE_SENDMAIL_SPOOL

# remind_store DIR [SENDMAIL]: a store with the remind tests' docket.yaml.
remind_store () {
	docket_init_store "$1" &&
	sed "s|^  sendmail: .*|  sendmail: ${2:-fake-sendmail -t -oi}|" \
		"$TEST_DATA/remind-docket.yaml" >"$1/docket.yaml" &&
	git -C "$1" commit -q -m "docket.yaml for the remind tests" docket.yaml
}

# test_must_be_empty_dir_ DIR: DIR is missing or empty
test_must_be_empty_dir_ () {
	! [ -d "$1" ] || [ -z "$(ls -A "$1")" ]
}

# as STAFF TIME docket ARGS...: run docket in store s as STAFF at TIME.
as () {
	as_who_=$1
	as_when_=$2
	shift 2
	(cd s && DOCKET_USER=$as_who_ DOCKET_NOW=$as_when_ "$@")
}

# remind TIME ARGS...: the morning run in store s, by chen.jing; stdout
# in out, stderr in err, the exit status in code.
remind () {
	remind_when_=$1
	shift
	remind_code_=0
	(cd s && DOCKET_USER=chen.jing DOCKET_NOW=$remind_when_ \
		docket remind "$@") >out 2>err || remind_code_=$?
	echo $remind_code_ >code
}

# remind_events ID: the case's remind events, one line each:
# "AT DEADLINE DUE LEVEL TO,TO".
remind_events () {
	/usr/bin/python3 - "s/$(case_path "$1")" <<-\EOF
	import sys, yaml
	with open(sys.argv[1], encoding="utf-8") as f:
	    case = yaml.load(f, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
	for e in case["events"]:
	    if e["action"] == "remind":
	        print(e["at"], e["deadline"], e["due"], e["level"],
	              ",".join(e["to"]))
	EOF
}

test_expect_success 'setup: four cases filed on Monday 28 September' '
	remind_store s &&
	t=2026-09-28T09:00:00+08:00 &&
	as zhang.wei $t docket file --channel phone --name 李某 \
		--phone 13800000001 --subject 化肥结块严重 >/dev/null &&
	as zhang.wei $t docket file --channel phone --name 王某 \
		--phone 13800000002 --subject 复合肥质量差 >/dev/null &&
	as zhang.wei $t docket file --channel phone --name 赵某 \
		--phone 13800000003 --subject 农药残留超标 >/dev/null &&
	as zhang.wei $t docket file --channel phone --name 钱某 \
		--phone 13800000004 --subject 假种子 >/dev/null &&
	t=2026-09-28T10:00:00+08:00 &&
	as chen.jing $t docket triage 2026-000002 --accept \
		--category fertilizer 2>/dev/null &&
	as chen.jing $t docket assign 2026-000002 --to sun.li &&
	as chen.jing $t docket triage 2026-000003 --need-info 购买凭证 &&
	as chen.jing $t docket triage 2026-000004 --accept --category fake \
		2>/dev/null &&
	as chen.jing $t docket assign 2026-000004 --to qian.hao &&
	as qian.hao $t docket close 2026-000004 --outcome resolved \
		--summary 已查处 --notified phone &&
	git -C s rev-parse HEAD >head-setup &&
	assert_clean s
'

test_expect_success 'nothing to remind: no output at all, exit 0, no commit' '
	remind 2026-09-28T10:30:00+08:00 --within 0h &&
	test "$(cat code)" = 0 &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	git -C s rev-parse HEAD >head &&
	test_cmp head-setup head
'

test_expect_success 'an empty store is silent too' '
	docket_init_store empty &&
	(cd empty && DOCKET_NOW=2026-09-30T07:30:00+08:00 \
		docket remind --mail >../out 2>../err) &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	test "$(commit_count empty)" = 1
'

cat >expect-0930 <<\EOF
chen.jing (陈静)
  2026-000001  化肥结块严重  ack       overdue by 1 working day  level 1
  2026-000001  化肥结块严重  feedback  due in 1 working day      level 1

sun.li (孙丽)
  2026-000002  复合肥质量差  feedback  due in 1 working day  level 1
EOF

test_expect_success '--dry-run lists the reminders by recipient and changes nothing' '
	store_state s >before &&
	remind 2026-09-30T07:30:00+08:00 --dry-run &&
	test "$(cat code)" = 0 &&
	test_cmp expect-0930 out &&
	test_must_be_empty err &&
	store_state s >after &&
	test_cmp before after &&
	test_must_be_empty_dir_ spool
'

test_expect_success '--dry-run needs no staff identity; recording does' '
	(cd s && DOCKET_USER=visitor DOCKET_NOW=2026-09-30T07:30:00+08:00 \
		docket remind --dry-run) >out 2>err &&
	test_cmp expect-0930 out &&
	(cd s && DOCKET_USER=visitor DOCKET_NOW=2026-09-30T07:30:00+08:00 \
		test_expect_code 1 docket remind) >out 2>err &&
	test_grep "visitor.*not in the staff list" err
'

test_expect_success '--format json gives one object per reminder' '
	cat >expect <<-\EOF &&
	[
	  {
	    "case": "2026-000001",
	    "subject": "化肥结块严重",
	    "deadline": "ack",
	    "due": "2026-09-29T23:59:59+08:00",
	    "state": "overdue",
	    "working_days": 1,
	    "level": 1,
	    "to": [
	      "chen.jing"
	    ]
	  },
	  {
	    "case": "2026-000001",
	    "subject": "化肥结块严重",
	    "deadline": "feedback",
	    "due": "2026-10-08T23:59:59+08:00",
	    "state": "due-soon",
	    "working_days": 1,
	    "level": 1,
	    "to": [
	      "chen.jing"
	    ]
	  },
	  {
	    "case": "2026-000002",
	    "subject": "复合肥质量差",
	    "deadline": "feedback",
	    "due": "2026-10-08T23:59:59+08:00",
	    "state": "due-soon",
	    "working_days": 1,
	    "level": 1,
	    "to": [
	      "sun.li"
	    ]
	  }
	]
	EOF
	remind 2026-09-30T07:30:00+08:00 --dry-run --format json &&
	test_cmp expect out &&
	jq -e "length == 3" out >/dev/null
'

test_expect_success 'the pending-info and closed cases are never listed' '
	remind 2026-10-20T07:30:00+08:00 --dry-run &&
	! grep -e 2026-000003 -e 2026-000004 out &&
	grep 2026-000001 out
'

test_expect_success 'a run records one remind event per reminder in one commit' '
	remind 2026-09-30T07:30:00+08:00 &&
	test "$(cat code)" = 0 &&
	test_cmp expect-0930 out &&
	test_must_be_empty err &&
	cat >expect <<-\EOF &&
	2026-09-30T07:30:00+08:00 ack 2026-09-29T23:59:59+08:00 1 chen.jing
	2026-09-30T07:30:00+08:00 feedback 2026-10-08T23:59:59+08:00 1 chen.jing
	EOF
	remind_events 2026-000001 >actual &&
	test_cmp expect actual &&
	echo "2026-09-30T07:30:00+08:00 feedback 2026-10-08T23:59:59+08:00 1 sun.li" >expect &&
	remind_events 2026-000002 >actual &&
	test_cmp expect actual &&
	test "$(git -C s rev-list --count $(cat head-setup)..HEAD)" = 1 &&
	assert_clean s
'

test_expect_success 'the commit has a Case trailer per case and Action remind' '
	cat >expect <<-\EOF &&
	remind 2026-000001: 化肥结块严重

	Case: 2026-000001
	Case: 2026-000002
	Action: remind
	Actor: chen.jing
	EOF
	git -C s cat-file commit HEAD >commit &&
	sed "1,/^\$/d" commit >actual &&
	test_cmp expect actual &&
	git -C s show --name-only --format= HEAD >files &&
	test_line_count = 2 files
'

test_expect_success 'the same reminder is not repeated within remind.repeat' '
	git -C s rev-parse HEAD >head-before &&
	remind 2026-09-30T16:00:00+08:00 &&
	test "$(cat code)" = 0 &&
	test_must_be_empty out &&
	remind 2026-10-08T07:30:00+08:00 &&
	test_must_be_empty out &&
	git -C s rev-parse HEAD >head &&
	test_cmp head-before head
'

test_expect_success 'after remind.repeat, overdue by more than escalate_after: level 2 to the supervisors' '
	cat >expect <<-\EOF &&
	chen.jing (陈静)
	  2026-000001  化肥结块严重  ack       overdue by 4 working days  level 2
	  2026-000001  化肥结块严重  feedback  overdue by 2 working days  level 1

	liu.yang (刘洋)
	  2026-000001  化肥结块严重  ack  overdue by 4 working days  level 2

	sun.li (孙丽)
	  2026-000002  复合肥质量差  feedback  overdue by 2 working days  level 1
	EOF
	remind 2026-10-10T07:30:00+08:00 --dry-run &&
	test_cmp expect out
'

test_expect_success 'usage errors change nothing and exit 2' '
	DOCKET_USER=chen.jing &&
	export DOCKET_USER &&
	expect_refusal --code 2 s "unknown format .xml." \
		docket remind --format xml &&
	expect_refusal --code 2 s "--within: .3x. is not a duration" \
		docket remind --within 3x &&
	expect_refusal --code 2 s "unexpected argument .2026-000001." \
		docket remind 2026-000001 &&
	grep "^usage: docket remind \[--within DURATION\]" err
'

test_expect_success '--help prints the usage on stdout' '
	docket remind --help >out &&
	grep "^usage: docket remind \[--within DURATION\] \[--mail\] \[--dry-run\] \[--format text|json\]$" out &&
	grep -e "--dry-run" out
'

test_expect_success '--mail: a failed recipient is not recorded, the others are' '
	git -C s rev-parse HEAD >head-before &&
	FAKE_SENDMAIL_FAIL=liu.yang@example.org &&
	export FAKE_SENDMAIL_FAIL &&
	remind 2026-10-10T07:30:00+08:00 --mail &&
	test "$(cat code)" = 1 &&
	grep "^docket: remind: mail to .liu.yang. failed: .fake-sendmail. exited with status 75" err &&
	grep "fake-sendmail: cannot deliver to <liu.yang@example.org>" err &&
	test "$(grep -c "^liu.yang (刘洋)$" out)" = 1 &&
	ls spool/*.eml >mails &&
	test_line_count = 2 mails &&
	cat >expect <<-\EOF &&
	2026-09-30T07:30:00+08:00 ack 2026-09-29T23:59:59+08:00 1 chen.jing
	2026-09-30T07:30:00+08:00 feedback 2026-10-08T23:59:59+08:00 1 chen.jing
	2026-10-10T07:30:00+08:00 ack 2026-09-29T23:59:59+08:00 2 chen.jing
	2026-10-10T07:30:00+08:00 feedback 2026-10-08T23:59:59+08:00 1 chen.jing
	EOF
	remind_events 2026-000001 >actual &&
	test_cmp expect actual &&
	test "$(git -C s rev-list --count $(cat head-before)..HEAD)" = 1 &&
	assert_clean s
'

test_expect_success 'each message: To the staff email, the subject RFC 2047-encoded, the cases listed' '
	cat >expect <<-\EOF &&
	Date: Sat, 10 Oct 2026 07:30:00 +0800
	From: 某县农业局 <docket@example.org>
	To: 陈静 <chen.jing@example.org>
	Subject: docket: 1 case needs attention (某县农业局)
	Content-Type: text/plain; charset=UTF-8

	chen.jing (陈静)
	  2026-000001  化肥结块严重  ack       overdue by 4 working days  level 2
	  2026-000001  化肥结块严重  feedback  overdue by 2 working days  level 1

	Level 2: overdue by more than 2wd (remind.escalate_after); the department head and the supervisors hear of it too.
	Run '"'"'docket show ID'"'"' for the details of a case.

	Date: Sat, 10 Oct 2026 07:30:00 +0800
	From: 某县农业局 <docket@example.org>
	To: 孙丽 <sun.li@example.org>
	Subject: docket: 1 case needs attention (某县农业局)
	Content-Type: text/plain; charset=UTF-8

	sun.li (孙丽)
	  2026-000002  复合肥质量差  feedback  overdue by 2 working days  level 1

	Run '"'"'docket show ID'"'"' for the details of a case.
	EOF
	mail-summary spool/001.eml spool/002.eml >actual &&
	test_cmp expect actual &&
	grep "^Subject: =?UTF-8?B?" spool/001.eml &&
	printf "%s\n" -t -oi >expect &&
	test_cmp expect spool/001.args
'

test_expect_success 'messages carry no complainant name, phone or email' '
	! grep -e 1380000000 -e 李某 -e 王某 spool/*.eml &&
	for f in spool/*.eml; do
		mail-summary "$f" >decoded &&
		! grep -e 1380000000 -e 李某 -e 王某 decoded || return 1
	done
'

test_expect_success 'the next run mails exactly the missed recipient' '
	unset FAKE_SENDMAIL_FAIL &&
	remind 2026-10-10T08:00:00+08:00 --mail &&
	test "$(cat code)" = 0 &&
	test_must_be_empty err &&
	cat >expect <<-\EOF &&
	liu.yang (刘洋)
	  2026-000001  化肥结块严重  ack  overdue by 4 working days  level 2
	EOF
	test_cmp expect out &&
	ls spool/*.eml >mails &&
	test_line_count = 3 mails &&
	mail-summary --lines spool/003.eml >actual &&
	echo "2026-10-10T08:00 liu.yang@example.org 2026-000001 ack 2" >expect &&
	test_cmp expect actual &&
	remind_events 2026-000001 >actual &&
	tail -n 1 actual >last &&
	echo "2026-10-10T08:00:00+08:00 ack 2026-09-29T23:59:59+08:00 2 liu.yang" >expect &&
	test_cmp expect last &&
	remind 2026-10-10T08:30:00+08:00 --mail &&
	test_must_be_empty out &&
	test_line_count = 3 mails
'

test_expect_success 'a sendmail that fails for everyone: exit 1, nothing recorded, all listed' '
	sed -i "s|^  sendmail: .*|  sendmail: failing-sendmail -t -oi|" \
		s/docket.yaml &&
	git -C s commit -q -m "mail server down" docket.yaml &&
	store_state s >before &&
	remind 2026-10-13T07:30:00+08:00 --mail &&
	test "$(cat code)" = 1 &&
	store_state s >after &&
	test_cmp before after &&
	for who in chen.jing liu.yang sun.li zhao.lei; do
		grep "^docket: remind: mail to .$who. failed: .failing-sendmail. exited with status 69" err ||
		return 1
	done &&
	grep -c "^[a-z.]* (.*)$" out >groups &&
	echo 4 >expect &&
	test_cmp expect groups
'

test_expect_success 'with the server back, the next run sends and records them all' '
	sed -i "s|^  sendmail: .*|  sendmail: fake-sendmail -t -oi|" \
		s/docket.yaml &&
	git -C s commit -q -m "mail server back" docket.yaml &&
	remind 2026-10-13T09:00:00+08:00 --mail &&
	test "$(cat code)" = 0 &&
	ls spool/*.eml >mails &&
	test_line_count = 7 mails &&
	mail-summary --lines spool/004.eml spool/005.eml spool/006.eml \
		spool/007.eml | sort >actual &&
	cat >expect <<-\EOF &&
	2026-10-13T09:00 chen.jing@example.org 2026-000001 ack 2
	2026-10-13T09:00 chen.jing@example.org 2026-000001 feedback 2
	2026-10-13T09:00 chen.jing@example.org 2026-000002 feedback 2
	2026-10-13T09:00 liu.yang@example.org 2026-000001 ack 2
	2026-10-13T09:00 liu.yang@example.org 2026-000001 feedback 2
	2026-10-13T09:00 liu.yang@example.org 2026-000002 feedback 2
	2026-10-13T09:00 sun.li@example.org 2026-000002 feedback 2
	2026-10-13T09:00 zhao.lei@example.org 2026-000002 feedback 2
	EOF
	test_cmp expect actual &&
	remind_events 2026-000002 >actual &&
	tail -n 1 actual >last &&
	echo "2026-10-13T09:00:00+08:00 feedback 2026-10-08T23:59:59+08:00 2 sun.li,zhao.lei,chen.jing,liu.yang" >expect &&
	test_cmp expect last &&
	mail-summary spool/004.eml >decoded &&
	grep "^Subject: docket: 2 cases need attention (某县农业局)$" decoded
'

test_expect_success 'a recipient without an email is reported and not recorded' '
	remind_store noemail &&
	sed -i "s/, email: sun.li@example.org//" noemail/docket.yaml &&
	git -C noemail commit -q -m "sun.li has no mail" docket.yaml &&
	(cd noemail &&
	 DOCKET_USER=zhang.wei DOCKET_NOW=2026-09-28T09:00:00+08:00 \
		docket file --channel phone --phone 13800000009 \
		--subject 肥料 >/dev/null &&
	 DOCKET_USER=chen.jing DOCKET_NOW=2026-09-28T10:00:00+08:00 \
		docket triage 2026-000001 --accept --category fertilizer \
		2>/dev/null &&
	 DOCKET_USER=chen.jing DOCKET_NOW=2026-09-28T10:00:00+08:00 \
		docket assign 2026-000001 --to sun.li) &&
	code=0 &&
	(cd noemail && DOCKET_USER=chen.jing \
		DOCKET_NOW=2026-10-13T07:30:00+08:00 \
		docket remind --mail >../out 2>../err) || code=$? &&
	test $code = 1 &&
	grep "^docket: remind: no mail address for .sun.li. in docket.yaml" err &&
	grep "^sun.li (孙丽)$" out &&
	f=noemail/$(case_path 2026-000001) &&
	grep "action: remind" $f >events &&
	! grep "sun.li" events &&
	grep "to: \[zhao.lei, chen.jing, liu.yang\]" events
'

test_expect_success 'a hand-edited case is reminded but not recorded' '
	f=s/$(case_path 2026-000001) &&
	cp $f saved &&
	echo "# 手工修改" >>$f &&
	git -C s rev-parse HEAD >head-before &&
	remind 2026-10-16T07:30:00+08:00 &&
	test "$(cat code)" = 1 &&
	grep 2026-000001 out &&
	grep "^docket: remind: .cases/2026/000/2026-000001.yaml. differs from the last commit.*its reminders were not recorded and will be sent again$" err &&
	git -C s show HEAD:$(case_path 2026-000001) >committed &&
	! grep "2026-10-16T07:30" committed &&
	git -C s show --name-only --format= HEAD >files &&
	case_path 2026-000002 >expect &&
	test_cmp expect files &&
	cp saved $f &&
	assert_clean s
'

test_expect_success 'an unreadable case file is reported; the others are still reminded' '
	printf "id: [broken\n" >s/cases/2026/000/2026-000099.yaml &&
	remind 2026-10-16T07:30:00+08:00 --dry-run &&
	rm s/cases/2026/000/2026-000099.yaml &&
	test "$(cat code)" = 1 &&
	grep "2026-000099.yaml" err &&
	grep "^docket: remind: 1 case file could not be read" err &&
	grep "^  2026-000001 " out &&
	assert_clean s
'

# mail.sendmail is split into words as a shell would (wordexp(3)), but
# nothing in it may run a command: docket starts the program itself.
test_expect_success 'a mail.sendmail that would run a command is refused, naming the key' '
	remind_store subst &&
	(cd subst &&
	 DOCKET_USER=zhang.wei DOCKET_NOW=2026-09-28T09:00:00+08:00 \
		docket file --channel phone --phone 13800000009 \
		--subject 肥料 >/dev/null) &&
	for v in "fake-sendmail -t \$(touch pwned)" \
		"fake-sendmail -t \"\$(touch pwned)\"" \
		"fake-sendmail -t \`touch pwned\`"; do
		sed -i "s|^  sendmail: .*|  sendmail: $v|" subst/docket.yaml &&
		git -C subst commit -q -m "sendmail: $v" docket.yaml &&
		head=$(git -C subst rev-parse HEAD) &&
		code=0 &&
		(cd subst && FAKE_SENDMAIL_SPOOL=$TRASH_DIRECTORY/spool-subst \
			DOCKET_USER=chen.jing \
			DOCKET_NOW=2026-10-13T07:30:00+08:00 \
			docket remind --mail >../out 2>../err) || code=$? &&
		test $code = 1 &&
		grep "^docket: remind: mail.sendmail .fake-sendmail -t .* is refused: it would run a command" err &&
		test_line_count = 1 err &&
		! test -e subst/pwned && ! test -e pwned &&
		! test -e spool-subst &&
		test "$(git -C subst rev-parse HEAD)" = "$head" &&
		assert_clean subst || exit 1
	done
'

test_expect_success 'a quoted argument with blanks reaches sendmail as one argument' '
	remind_store quoted \
		"fake-sendmail -t -oi -F '"'"'Docket Office'"'"' -f \"bounce@example.org\"" &&
	(cd quoted &&
	 DOCKET_USER=zhang.wei DOCKET_NOW=2026-09-28T09:00:00+08:00 \
		docket file --channel phone --phone 13800000009 \
		--subject 肥料 >/dev/null) &&
	code=0 &&
	(cd quoted && FAKE_SENDMAIL_SPOOL=$TRASH_DIRECTORY/spool-quoted \
		DOCKET_USER=chen.jing DOCKET_NOW=2026-10-13T07:30:00+08:00 \
		docket remind --mail >../out 2>../err) || code=$? &&
	test $code = 0 &&
	ls spool-quoted/*.args >sent &&
	test -s sent &&
	printf "%s\n" -t -oi -F "Docket Office" -f bounce@example.org >expect &&
	for f in $(cat sent); do
		test_cmp expect $f || exit 1
	done
'

test_done
