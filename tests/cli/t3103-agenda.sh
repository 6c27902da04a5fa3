#!/bin/sh
test_description='docket agenda: overdue and due soon now, by person and deadline, whatever was reminded; remind --dry-run --format json gives [] when empty'
. "$(dirname "$0")/lib.sh"

GEN="$DOCKET_ROOT/tests/report/gen_store.py"
PY=/usr/bin/python3
export DOCKET_NOW=2026-11-27T18:00:00+08:00

dk () {
	docket -C "$TRASH_DIRECTORY/store" --as chen.jing "$@"
}

# flat FILE: agenda JSON as sorted "person case deadline state" lines
flat () {
	"$PY" -c '
import json, sys
for p in json.load(open(sys.argv[1])):
    for k, items in p["deadlines"].items():
        for i in items:
            print(p["staff"], i["case"], k, i["state"], i["working_days"], i["level"])
' "$1" | sort
}

# flat_remind FILE: remind JSON the same way (one line per recipient)
flat_remind () {
	"$PY" -c '
import json, sys
for r in json.load(open(sys.argv[1])):
    for who in r["to"]:
        print(who, r["case"], r["deadline"], r["state"], r["working_days"], r["level"])
' "$1" | sort
}

test_expect_success 'setup: a generated store' '
	"$PY" "$GEN" store >/dev/null
'

test_expect_success 'before any reminder, the agenda is what remind would send' '
	dk agenda --format json >agenda.json &&
	dk remind --dry-run --format json >remind.json &&
	flat agenda.json >a && flat_remind remind.json >r &&
	test_cmp r a &&
	test -s a
'

test_expect_success 'after remind ran, remind is silent but the agenda is not' '
	dk remind >sent &&
	test -s sent &&
	dk remind --dry-run --format json >again.json &&
	test "$(cat again.json)" = "[]" &&
	dk remind >silent &&
	test_must_be_empty silent &&
	dk agenda --format json >after.json &&
	flat after.json >b &&
	test_cmp a b
'

test_expect_success 'grouped by person, then deadline, the most overdue first' '
	"$PY" -c "
import json
d = json.load(open(\"after.json\"))
names = [p[\"staff\"] for p in d]
assert names == sorted(names), names
for p in d:
    assert list(p[\"deadlines\"]) == [k for k in (\"ack\", \"feedback\", \"resolve\") if k in p[\"deadlines\"]]
    n = sum(len(v) for v in p[\"deadlines\"].values())
    assert n == p[\"overdue\"] + p[\"due_soon\"], p
    for items in p[\"deadlines\"].values():
        over = [i for i in items if i[\"state\"] == \"overdue\"]
        assert items[:len(over)] == over
        assert [i[\"due\"] for i in over] == sorted(i[\"due\"] for i in over)
" &&
	dk agenda >text &&
	test_grep "^何军 (he.jun): [0-9]* overdue, [0-9]* due soon" text &&
	test_grep "^  resolve" text &&
	test_grep "^    2026-[0-9]*  overdue by [0-9]* working days" text
'

test_expect_success '--for a person: only their deadlines; by name or id' '
	dk agenda --for he.jun --format json >mine.json &&
	dk agenda --for 何军 --format json >mine2.json &&
	test_cmp mine.json mine2.json &&
	flat mine.json >m &&
	grep "^he.jun " b >expect &&
	test_cmp expect m &&
	docket -C store --as he.jun agenda --for @me --format json >me.json &&
	test_cmp mine.json me.json
'

test_expect_success '--for a department: only its cases' '
	dk agenda --for enforcement --format json >dept.json &&
	dk agenda --for 执法大队 --format json >dept2.json &&
	test_cmp dept.json dept2.json &&
	"$PY" -c "
import json
d = json.load(open(\"dept.json\"))
assert d
for p in d:
    for items in p[\"deadlines\"].values():
        for i in items:
            assert i[\"department\"] == \"enforcement\", i
"
'

test_expect_success '--within widens what is due soon' '
	dk agenda --format json --within 1h >narrow.json &&
	dk agenda --format json --within 30d >wide.json &&
	n=$("$PY" -c "import json; print(sum(p[\"due_soon\"] for p in json.load(open(\"narrow.json\"))))") &&
	w=$("$PY" -c "import json; print(sum(p[\"due_soon\"] for p in json.load(open(\"wide.json\"))))") &&
	test "$w" -gt "$n"
'

test_expect_success 'unknown --for, bad --within, bad --format are usage errors' '
	test_expect_code 2 dk agenda --for 何君 2>err &&
	test_grep "he.jun" err &&
	test_expect_code 2 dk agenda --within soon 2>err &&
	test_expect_code 2 dk agenda --format csv 2>err
'

test_expect_success 'an empty agenda: [] in JSON, a sentence in text; remind --dry-run JSON is []' '
	docket init empty >/dev/null &&
	docket -C empty agenda --format json >out &&
	test "$(cat out)" = "[]" &&
	docket -C empty agenda >out &&
	test_grep "Nothing is overdue or due within 1wd" out &&
	docket -C empty remind --dry-run --format json >out &&
	test "$(cat out)" = "[]" &&
	docket -C empty remind --dry-run >out &&
	test_must_be_empty out
'

test_expect_success 'in Chinese' '
	LC_ALL=zh_CN.UTF-8 dk agenda --for he.jun >zh &&
	test_grep "逾期" zh &&
	test_grep "办结期限" zh
'

test_done
