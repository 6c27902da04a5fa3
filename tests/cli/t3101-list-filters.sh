#!/bin/sh
# run-cli: long (started first, so the pool does not end on it)
test_description='docket list: every filter alone and combined against a generated store, checked by an independent script; labels, sort, limit, count, phone and name through the keys'
. "$(dirname "$0")/lib.sh"

GEN="$DOCKET_ROOT/tests/report/gen_store.py"
ORACLE="$DOCKET_ROOT/tests/find/oracle.py"
PY=/usr/bin/python3
NOW=2026-11-27T18:00:00+08:00
export DOCKET_NOW=$NOW

list () {
	docket -C "$TRASH_DIRECTORY/store" --as chen.jing list "$@"
}

# same OPTIONS...: docket lists exactly the ids the oracle computes
same () {
	"$PY" "$ORACLE" "$TRASH_DIRECTORY/store" "$TRASH_DIRECTORY/rec.json" \
		"$NOW" "$@" >"$TRASH_DIRECTORY/expect" &&
	list "$@" --format ids >"$TRASH_DIRECTORY/actual" \
		2>"$TRASH_DIRECTORY/err" &&
	test_must_be_empty "$TRASH_DIRECTORY/err" &&
	test_cmp "$TRASH_DIRECTORY/expect" "$TRASH_DIRECTORY/actual"
}

test_expect_success 'setup: a generated store, one caller twice, a group complaint, an outside reference' '
	"$PY" "$GEN" store --record rec.json >/dev/null &&
	"$PY" - <<-\PYEOF &&
	import re
	def edit(path, f):
	    s = open(path, encoding="utf-8").read()
	    open(path, "w", encoding="utf-8").write(f(s))
	# 000040 gets the phone of 000002 (a caller who rang again)
	p = "store/cases/2026/000/2026-000040.yaml"
	edit(p, lambda s: re.sub(r"phone: \"[0-9]+\"", "phone: \"13600640964\"", s)
	     if "phone:" in s else s.replace("complainant:\n", "complainant:\n  name: 张某\n  phone: \"13600640964\"\n", 1))
	for cid in ("000050", "000060"):
	    edit("store/cases/2026/000/2026-%s.yaml" % cid,
	         lambda s: s.replace("  count: 1\n", "  count: 6\n", 1))
	edit("store/cases/2026/000/2026-000070.yaml",
	     lambda s: s + "ref: GD-2026-0815\n")
	PYEOF
	git -C store commit -qam "hand edits for the list tests" &&
	grep -q 13600640964 store/cases/2026/000/2026-000040.yaml
'

test_expect_success 'each filter alone lists what the oracle lists' '
	for o in "--status received" "--status open" "--kind report" \
		"--channel phone" "--priority urgent" "--category fertilizer" \
		"--department enforcement" "--assignee he.jun" \
		"--since 2026-10-01" "--until 2026-08-31" \
		"--closed-since 2026-10-01" "--closed-until 2026-09-15" \
		"--id-from 2026-000100" "--id-to 2026-000020" \
		--overdue "--due-within 300h" --stopped --collective \
		"--ref GD-2026-0815" "--ref gd-2026-0815" "--respondent 惠农" \
		"--text 品种" "--phone 13600640964" \
		"--name 慕容雨桐"
	do
		same $o || { echo "differs: $o"; exit 1; }
	done &&
	same --text "农药 登记" &&
	same --text "农药　登记"
'

test_expect_success 'a repeated option is OR: --status received --status assigned lists both' '
	same --status received --status assigned &&
	list --status received --format ids >r &&
	list --status assigned --format ids >a &&
	list --status received --status assigned --count >n &&
	test "$(cat n)" = $(( $(wc -l <r) + $(wc -l <a) )) &&
	test -s r && test -s a &&
	same --channel phone --channel web --channel visit &&
	same --text 品种 --text 价格虚高 &&
	same --category fertilizer --category seeds
'

test_expect_success 'different options are AND' '
	for o in "--status open --overdue --department enforcement" \
		"--category fertilizer --since 2026-09-01 --until 2026-10-15" \
		"--closed-since 2026-10-01 --closed-until 2026-10-31 --channel phone --channel web" \
		"--respondent 丰收 --status closed --kind complaint" \
		"--text 化肥 --priority normal --id-from 2026-000050 --id-to 2026-000250" \
		"--name 慕容雨桐 --status closed" "--phone 13600640964 --kind complaint" \
		"--assignee he.jun --status open --due-within 300h"
	do
		same $o || { echo "differs: $o"; exit 1; }
	done
'

test_expect_success 'sort, limit and count' '
	for o in "--sort received" "--sort -received" "--sort due" \
		"--sort -due" "--sort status,-received" "--sort -id --limit 7" \
		"--status open --sort due --limit 10" "--overdue --count" \
		"--count --limit 5" "--sort -status,due,id"
	do
		same $o || { echo "differs: $o"; exit 1; }
	done
'

test_expect_success 'labels and names are the same filters as ids' '
	list --channel phone --format ids >id &&
	list --channel 来电 --format ids >label && test_cmp id label &&
	list --department enforcement --format ids >id &&
	list --department 执法大队 --format ids >label && test_cmp id label &&
	list --assignee he.jun --format ids >id &&
	list --assignee 何军 --format ids >label && test_cmp id label &&
	list --status assigned --status closed --format ids >id &&
	list --status 已交办 --status 已办结 --format ids >label &&
	test_cmp id label &&
	list --status open --format ids >id &&
	list --status 未办结 --format ids >label && test_cmp id label &&
	list --kind report --format ids >id &&
	list --kind 举报 --format ids >label && test_cmp id label &&
	list --priority urgent --format ids >id &&
	list --priority 紧急 --format ids >label && test_cmp id label &&
	test -s id
'

test_expect_success '--assignee @me is the acting staff member' '
	docket -C store --as he.jun list --assignee @me --format ids >me &&
	list --assignee he.jun --format ids >id &&
	test_cmp id me
'

test_expect_success 'an unknown value is a usage error naming the nearest ones' '
	test_expect_code 2 list --channel 来店 >out 2>err &&
	test_must_be_empty out &&
	test_grep "来电" err &&
	test_expect_code 2 list --status closd --status received >out 2>err &&
	test_must_be_empty out &&
	test_grep "closed" err &&
	test_expect_code 2 list --assignee nobody.here >out 2>err &&
	test_must_be_empty out
'

test_expect_success 'malformed dates, ids, durations, sorts and limits are usage errors' '
	test_expect_code 2 list --until 2026-13-01 2>err &&
	test_grep -- "--until" err &&
	test_expect_code 2 list --closed-since yesterday 2>err &&
	test_expect_code 2 list --id-from 26-1 2>err &&
	test_grep -- "--id-from" err &&
	test_expect_code 2 list --due-within soon 2>err &&
	test_expect_code 2 list --sort subject 2>err &&
	test_grep "received" err &&
	test_expect_code 2 list --limit 0 2>err &&
	test_expect_code 2 list --limit 5x 2>err
'

test_expect_success 'a phone is found however it is written, and only its cases are listed' '
	list --phone 13600640964 --format ids >a &&
	printf "2026-000002\n2026-000040\n" >expect &&
	test_cmp expect a &&
	list --phone "136-0064-0964" --format ids >b &&
	test_cmp expect b &&
	list --phone "136 0064 0964" --format ids >c &&
	test_cmp expect c
'

test_expect_success 'a search by phone or name says nothing of other cases' '
	list --phone 13900000000 >out 2>err &&
	test_must_be_empty out && test_must_be_empty err &&
	list --phone 13900000000 --format json >out &&
	test "$(cat out)" = "[]" &&
	list --name 慕容雨桐 --format csv >out 2>err &&
	test_must_be_empty err &&
	! grep -q "慕容\|1[0-9]\{10\}\|@" out &&
	list --phone 13600640964 --format json >out &&
	! grep -q "13600640964\|\"name\"\|\"phone\":" out
'

test_expect_success 'the search by phone reads the keys, kept up to date with new commits' '
	list --phone 13600640964 --count >n && test "$(cat n)" = 2 &&
	test -f store/.git/docket-keys &&
	sed -i "s/phone: \"[0-9]*\"/phone: \"13600640964\"/" \
		store/cases/2026/000/2026-000005.yaml &&
	git -C store commit -qam "another call from the same phone" &&
	list --phone 13600640964 --format ids >a &&
	test_grep 2026-000005 a &&
	test_line_count = 3 a
'

test_expect_success 'JSON and CSV of a sorted, limited list' '
	list --sort -received --limit 3 --format json >j &&
	"$PY" -c "import json,sys; d=json.load(open(\"j\")); assert len(d)==3, d; assert d[0][\"received_at\"] >= d[1][\"received_at\"] >= d[2][\"received_at\"]" &&
	list --sort -received --limit 3 --format csv >c &&
	test_line_count = 4 c &&
	head -n 1 c | grep -q "^id,status,kind,received_at"
'

test_done
