#!/bin/sh
test_description='remind chases the answers of outside bodies (refer --due) and escalates by priority (remind.escalate_after per priority)'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

# reminders FILE: "case deadline level body" lines of remind's JSON
reminders () {
	/usr/bin/python3 -c '
import json, sys
for r in json.load(open(sys.argv[1])):
    print(r["case"], r["deadline"], r["level"], r.get("body", "-"))' "$1"
}

test_expect_success 'setup: a case assigned Mon 11-02, referred to the county bureau at 14:00, answer due in 2wd (Wed 11-04)' '
	setup_store s &&
	cat >>s/docket.yaml <<-\EOF &&
	remind:
	  within: 0h
	  escalate_after: {default: 2wd, urgent: 4h}
	EOF
	git -C s commit -q -a -m "escalate urgent cases after 4 hours" &&
	new_case s 2026-11-02 assigned >id &&
	run_at s 2026-11-02T14:00:00 chen.jing refer 2026-000001 \
		--to "县 市场监管局" --due 2wd --reason 属市场监管职责 &&
	test "$(case_get s 2026-000001 events.3.due)" = 2026-11-04T23:59:59+08:00
'

test_expect_success 'the day after, remind names the body whose answer is late' '
	run_at s 2026-11-05T10:00:00 chen.jing remind --dry-run --format json >r.json &&
	reminders r.json >actual &&
	echo "2026-000001 referral 1 县 市场监管局" >expect &&
	test_cmp expect actual &&
	run_at s 2026-11-05T10:00:00 chen.jing remind --dry-run >out &&
	test_grep "referral" out
'

test_expect_success 'remind records it once, with the body; the journal keeps a body with a blank as one word' '
	run_at s 2026-11-05T10:00:00 chen.jing remind >out 2>err &&
	last_event s 2026-000001 >ev &&
	test_grep "\"deadline\": \"referral\"" ev &&
	test_grep "\"body\": \"县 市场监管局\"" ev &&
	test_grep "\"to\": \\[\"sun.li\"\\]" ev &&
	run_at s 2026-11-05T11:00:00 chen.jing remind --dry-run --format json >r.json &&
	reminders r.json >actual &&
	test_must_be_empty actual &&
	docket -C s check
'

test_expect_success 'the agenda lists it under the answers of outside bodies' '
	run_at s 2026-11-05T11:00:00 chen.jing agenda --format json >a.json &&
	/usr/bin/python3 -c "
import json
a = json.load(open(\"a.json\"))
print(a[0][\"staff\"], a[0][\"deadlines\"][\"referral\"][0][\"case\"], a[0][\"deadlines\"][\"referral\"][0][\"body\"])" >actual &&
	echo "sun.li 2026-000001 县 市场监管局" >expect &&
	test_cmp expect actual &&
	run_at s 2026-11-05T11:00:00 chen.jing agenda >out &&
	test_grep "^  referral$" out
'

test_expect_success 'once the answer is in (note --reply-from) nothing is chased' '
	run_at s 2026-11-05T15:00:00 sun.li note 2026-000001 已回函 \
		--reply-from "县 市场监管局" &&
	run_at s 2026-11-09T10:00:00 chen.jing remind --dry-run --format json >r.json &&
	reminders r.json >actual &&
	! grep -q referral actual
'

# November's referrals of case 1, worked by hand: 县 市场监管局 due 11-04,
# answered 11-05 (late); 市委群众工作办公室 on 11-09 due 5wd = 11-16,
# answered 11-10 (on time); 县公安局 on 11-10 due 1wd = 11-11, never
# answered (late, counted in the month it fell due); 镇政府 on 11-10
# with no due date (no answer owed by a date).  referred 4, answers on
# time 1 of 3.
test_expect_success 'report: referred and referral_answer_on_time_rate against a hand-worked November' '
	run_at s 2026-11-09T09:00:00 chen.jing refer 2026-000001 \
		--to 市委群众工作办公室 --due 5wd --reason 上报 &&
	run_at s 2026-11-10T09:00:00 sun.li note 2026-000001 已答复 \
		--reply-from 市委群众工作办公室 &&
	run_at s 2026-11-10T10:00:00 chen.jing refer 2026-000001 \
		--to 县公安局 --due 1wd --reason 涉嫌犯罪 &&
	run_at s 2026-11-10T11:00:00 chen.jing refer 2026-000001 \
		--to 镇政府 --reason 属地处理 &&
	run_at s 2026-12-01T09:00:00 chen.jing report --month 2026-11 \
		--format json >nov.json &&
	run_at s 2026-12-01T09:00:00 chen.jing report --month 2026-10 \
		--format json >oct.json &&
	/usr/bin/python3 -c "
import json
n = json.load(open(\"nov.json\"))
o = json.load(open(\"oct.json\"))
print(n[\"referred\"], round(n[\"referral_answer_on_time_rate\"], 4),
      o[\"referred\"], o[\"referral_answer_on_time_rate\"])" >actual &&
	echo "4 0.3333 0 None" >expect &&
	test_cmp expect actual &&
	run_at s 2026-12-01T09:00:00 chen.jing report --month 2026-11 \
		--format csv >nov.csv &&
	/usr/bin/python3 -c "
import csv
r = list(csv.DictReader(open(\"nov.csv\", encoding=\"utf-8\")))[0]
print(r[\"referred\"], r[\"referral_answer_on_time_rate\"][:6])" >actual &&
	echo "4 0.3333" >expect &&
	test_cmp expect actual
'

# Filed Mon 11-02 09:00, not triaged: ack due 1wd, Tue 11-03 23:59:59.
test_expect_success 'overdue by 10 hours: the urgent case escalates (4h), the normal one does not (2wd)' '
	run_at s 2026-11-02T09:00:00 zhang.wei file --channel phone \
		--phone 13800000011 --subject 农药中毒 --priority urgent >/dev/null &&
	run_at s 2026-11-02T09:05:00 zhang.wei file --channel phone \
		--phone 13800000012 --subject 种子问题 >/dev/null &&
	run_at s 2026-11-04T10:00:00 chen.jing remind --dry-run --format json >r.json &&
	reminders r.json | grep -v 2026-000001 | sort -u >actual &&
	cat >expect <<-\EOF &&
	2026-000002 ack 2 -
	2026-000003 ack 1 -
	EOF
	test_cmp expect actual
'

test_expect_success 'an unknown priority in remind.escalate_after is refused with its place' '
	sed -i "s/urgent: 4h}/urgnet: 4h}/" s/docket.yaml &&
	test_expect_code 1 docket -C s --as chen.jing list 2>err &&
	test_grep "docket.yaml:[0-9]*:[0-9]*: .*unknown priority .urgnet. in .remind.escalate_after" err
'

test_done
