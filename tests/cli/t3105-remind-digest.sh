#!/bin/sh
# run-cli: long (started first, so the pool does not end on it)
test_description='docket remind: a digest past remind.digest_over cases per recipient, for a 3,000-case backlog, in text and mail'
. "$(dirname "$0")/lib.sh"
. "$TEST_DIRECTORY/lib-cases.sh"

PY=/usr/bin/python3
export DOCKET_NOW=2026-11-27T18:00:00+08:00

# backlog DIR N ASSIGNEE: N assigned cases of ASSIGNEE, received on
# working days from 2026-08-03 on, never acted upon since, written
# directly and committed in one commit (filing 3,000 takes too long)
backlog () {
	"$PY" - "$@" <<-\PYEOF
	import datetime as dt, os, sys
	store, n, who = sys.argv[1], int(sys.argv[2]), sys.argv[3]
	day = dt.date(2026, 8, 3)
	for i in range(1, n + 1):
	    while day.weekday() >= 5:
	        day += dt.timedelta(days=1)
	    cid = "2026-%06d" % i
	    d = os.path.join(store, "cases", "2026", "%03d" % (i // 1000))
	    os.makedirs(d, exist_ok=True)
	    at = "%sT09:00:00+08:00" % day
	    nxt = day + dt.timedelta(days=1)
	    with open(os.path.join(d, cid + ".yaml"), "w", encoding="utf-8") as f:
	        f.write(f"""id: {cid}
	kind: report
	status: assigned
	subject: 积压案件{i}
	channel: phone
	received_at: {at}
	received_by: zhang.wei
	complainant:
	  anonymous: true
	  count: 1
	priority: normal
	department: soil-station
	assignee: {who}
	due:
	  ack: {day}T23:59:59+08:00
	  feedback: {day + dt.timedelta(days=7)}T23:59:59+08:00
	  resolve: {day + dt.timedelta(days=21)}T23:59:59+08:00
	events:
	  - {{at: {at}, by: zhang.wei, action: file}}
	  - {{at: {day}T10:00:00+08:00, by: chen.jing, action: triage, decision: accept}}
	  - {{at: {day}T11:00:00+08:00, by: chen.jing, action: assign, to: {who}, department: soil-station}}
	""")
	    if i % 30 == 0:
	        day = nxt
	PYEOF
}

test_expect_success 'setup: 3,000 cases assigned to sun.li, 10 to zhao.lei' '
	setup_store s &&
	backlog s 3000 sun.li &&
	git -C s add cases &&
	git -C s commit -qm backlog &&
	setup_store small &&
	backlog small 10 zhao.lei &&
	git -C small add cases &&
	git -C small commit -qm ten &&
	docket -C s check >/dev/null
'

test_expect_success 'past remind.digest_over (30): counts, the 20 most overdue, the agenda command' '
	docket -C s --as chen.jing remind --dry-run >all &&
	docket -C s --as chen.jing remind --dry-run --format json >all.json &&
	n=$("$PY" -c "import json; print(len({r[\"case\"] for r in json.load(open(\"all.json\")) if \"sun.li\" in r[\"to\"]}))") &&
	test "$n" -gt 2000 &&
	sed -n "/^sun.li/,/^[a-z]/p" all >out &&
	test_grep "^  $n cases need your attention, more than remind.digest_over (30)" out &&
	test_grep "docket agenda --for sun.li" out &&
	test_grep "^  resolve  *[0-9][0-9]*" out &&
	test_grep "overdue more than 20 working days" out &&
	test_grep "The 20 most overdue" out &&
	test $(grep -c "^  2026-[0-9]*  " out) = 20 &&
	test $(wc -l <all) -lt 150 &&
	grep "^  2026-[0-9]*  " out | head -n 1 >first &&
	test_grep "2026-000001 " first
'

test_expect_success 'the counts add up to every reminder of the recipient' '
	"$PY" -c "
import json, collections
d = json.load(open(\"all.json\"))
c = collections.Counter((r[\"deadline\"], r[\"state\"]) for r in d if \"sun.li\" in r[\"to\"])
print(\"\n\".join(\"%s %s %d\" % (k[0], k[1], v) for k, v in sorted(c.items())))
" >want &&
	awk "/^  deadline/ { on = 1; next } on && NF == 3 { print \$1, \"overdue\", \$2; if (\$3 > 0) print \$1, \"due-soon\", \$3; next } on { exit }" out |
		awk "\$3 > 0" | sort >got &&
	test_cmp want got
'

test_expect_success 'at or under the limit, every case is listed as before' '
	docket -C small --as chen.jing remind --dry-run >out &&
	! grep -q "need your attention" out &&
	test $(grep -c "^  2026-" out) -ge 10
'

test_expect_success 'remind.digest_over in docket.yaml sets the limit' '
	printf "remind:\n  digest_over: 5\n" >>small/docket.yaml &&
	git -C small commit -qam limit &&
	docket -C small --as chen.jing remind --dry-run >out &&
	test_grep "10 cases need your attention, more than remind.digest_over (5)" out &&
	cp -r small bad && sed -i "s/digest_over: 5/digest_over: none/" bad/docket.yaml &&
	test_expect_code 1 docket -C bad check 2>err &&
	test_grep "digest_over" err
'

test_expect_success 'the mail is the digest too, with the count in the subject' '
	cat >sendmail <<-\EOF &&
	#!/bin/sh
	cat >>"$(dirname "$0")/mailbox"
	EOF
	chmod +x sendmail &&
	sed -i "s|^  sendmail: .*||" s/docket.yaml &&
	printf "mail:\n  from: docket@example.org\n  sendmail: %s\n" "$PWD/sendmail" >>s/docket.yaml &&
	git -C s commit -qam mail &&
	docket -C s --as chen.jing remind --mail >/dev/null &&
	test_grep "cases need your attention, more than" mailbox &&
	test_grep "docket agenda --for sun.li" mailbox &&
	test $(wc -l <mailbox) -lt 250
'

test_done
