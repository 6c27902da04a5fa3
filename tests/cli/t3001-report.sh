#!/bin/sh
test_description='docket report: every figure of a generated store against an independent computation, every format, privacy, bad files'
. "$(dirname "$0")/lib.sh"

GEN="$DOCKET_ROOT/tests/report/gen_store.py"
EXPECTED="$DOCKET_ROOT/tests/report/expected.py"
PY=/usr/bin/python3

# The generated store has a staff list: act as its supervisor.
report () {
	docket -C "$TRASH_DIRECTORY/store" --as chen.jing report "$@"
}

# check_json FROM TO [DIM] FILE: FILE is what expected.py computes from
# the generator's record, key by key.
check_json () {
	if [ $# -eq 4 ]; then
		"$PY" "$EXPECTED" "$TRASH_DIRECTORY/rec.json" --from "$1" \
			--to "$2" --by "$3" --compare "$4"
	else
		"$PY" "$EXPECTED" "$TRASH_DIRECTORY/rec.json" --from "$1" \
			--to "$2" --compare "$3"
	fi
}

test_expect_success 'setup: a generated store of three months with a record of every event' '
	"$PY" "$GEN" store --record rec.json &&
	test -f store/docket.yaml &&
	test "$(commit_count store)" = 1 &&
	"$PY" "$EXPECTED" rec.json --coverage
'

test_expect_success 'October as JSON matches the independent computation on every key' '
	report --month 2026-10 --format json >oct.json 2>err &&
	test_must_be_empty err &&
	check_json 2026-10-01 2026-11-01 oct.json
'

test_expect_success 'September and August match too (previous is August, then July)' '
	report --month 2026-09 --format json >sep.json &&
	check_json 2026-09-01 2026-10-01 sep.json &&
	report --month 2026-08 --format json >aug.json &&
	check_json 2026-08-01 2026-09-01 aug.json
'

test_expect_success 'a quarter and a span of days across the holidays match' '
	report --from 2026-08-01 --to 2026-11-01 --format json >q.json &&
	check_json 2026-08-01 2026-11-01 q.json &&
	report --from 2026-09-29 --to 2026-10-12 --format json >days.json &&
	check_json 2026-09-29 2026-10-12 days.json &&
	"$PY" -c "import json,sys; d=json.load(open(\"days.json\"))[\"previous\"]; sys.exit(d[\"from\"] != \"2026-09-16\" or d[\"to\"] != \"2026-09-29\")"
'

for dim in department category channel respondent assignee kind priority; do
	test_expect_success "--by $dim matches for October, one row per value" "
		report --month 2026-10 --by $dim --format json >by-$dim.json &&
		check_json 2026-10-01 2026-11-01 $dim by-$dim.json
	"
done

test_expect_success 'without a period: the last complete month in the store time zone' '
	DOCKET_NOW=2026-11-05T10:00:00+08:00 report --format json >d1.json &&
	test_cmp oct.json d1.json &&
	DOCKET_NOW=2026-11-01T00:30:00+08:00 report --format json >d2.json &&
	test_cmp oct.json d2.json &&
	DOCKET_NOW=2026-10-31T17:00:00Z report --format json >d3.json &&
	test_cmp oct.json d3.json &&
	DOCKET_NOW=2026-10-31T23:59:00+08:00 report --format json >d4.json &&
	test_cmp sep.json d4.json
'

test_expect_success 'the October report stays the same after December reopenings, visits and holds' '
	cp -R store later &&
	"$PY" - rec.json >ids <<-\EOF &&
	import json, sys
	r = json.load(open(sys.argv[1]))
	done = [c["id"] for c in r["cases"] if c["snaps"][-1]["at"] < "2026-11"
	        and c["snaps"][-1]["status"] == "closed"
	        and c["snaps"][-1]["closed_at"] >= "2026-10"]
	busy = [c["id"] for c in r["cases"] if c["file_at"] < "2026-10"
	        and c["snaps"][-1]["status"] == "assigned"]
	print(done[0], done[1], busy[0])
	EOF
	read closed1 closed2 open1 <ids &&
	export DOCKET_NOW=2026-12-03T10:00:00+08:00 &&
	docket -C later --as chen.jing reopen $closed1 --reason 复查 &&
	docket -C later --as chen.jing feedback $closed2 --satisfaction dissatisfied &&
	docket -C later --as chen.jing hold $open1 --reason 鉴定 &&
	DOCKET_NOW=2026-12-04T10:00:00+08:00 docket -C later --as chen.jing \
		close $closed1 --outcome unfounded --summary 复查无误 \
		--notified phone &&
	test "$(commit_count later)" = 5 &&
	docket -C later --as chen.jing report --month 2026-10 --format json >oct-later.json &&
	test_cmp oct.json oct-later.json
'

test_expect_success 'CSV: one header row with the documented columns, values as in JSON' '
	report --month 2026-10 --format csv >oct.csv &&
	"$PY" - <<-\EOF
	import csv, json
	cols = ("from,to,received,accepted,rejected,closed,open_at_end,"
	        "overdue_at_end,ack_on_time_rate,resolve_on_time_rate,"
	        "handling_days.median,handling_days.mean,handling_days.p90,"
	        "satisfaction.satisfied,satisfaction.fairly-satisfied,"
	        "satisfaction.neutral,satisfaction.dissatisfied,"
	        "satisfaction.unreachable,satisfaction.rate,reopened,"
	        "repeats,feedback_on_time_rate,visit_rate,visit_on_time_rate,"
	        "collective,collective_people,referred,"
	        "referral_answer_on_time_rate").split(",")
	with open("oct.csv", newline="", encoding="utf-8") as f:
	    rows = list(csv.reader(f))
	assert rows[0] == cols, rows[0]
	assert len(rows) == 2, rows
	j = json.load(open("oct.json"))
	for k, v in zip(cols, rows[1]):
	    want = j
	    for part in k.split("."):
	        want = want[part]
	    if want is None:
	        assert v == "", (k, v)
	    elif isinstance(want, str):
	        assert v == want, (k, v, want)
	    else:
	        assert abs(float(v) - want) < 1e-5, (k, v, want)
	EOF
'

test_expect_success 'CSV --by: the dimension column after to, one row per JSON row' '
	report --month 2026-10 --by respondent --format csv >resp.csv &&
	"$PY" - <<-\EOF
	import csv, json
	with open("resp.csv", newline="", encoding="utf-8") as f:
	    rows = list(csv.reader(f))
	assert rows[0][:4] == ["from", "to", "respondent", "received"], rows[0]
	j = json.load(open("by-respondent.json"))["rows"]
	assert len(rows) == len(j) + 1
	for row, want in zip(rows[1:], j):
	    assert row[2] == (want["respondent"] or ""), (row, want)
	    assert int(row[3]) == want["received"]
	# the respondent with quotes, comma, ampersand and angle brackets
	assert any("\"诚信\"" in r[2] and ", " in r[2] for r in rows[1:])
	EOF
'

test_expect_success 'HTML: one well-formed page, no scripts, nothing loaded from outside' '
	report --month 2026-10 --format html >oct.html &&
	xmllint --noout oct.html &&
	xmllint --html --noout oct.html 2>lint &&
	{ grep -v "Tag [a-z]* invalid" lint | grep "error" >bad || true; } &&
	test_must_be_empty bad &&
	test_grep "<svg" oct.html &&
	test "$(grep -c "<svg" oct.html)" -ge 5 &&
	! grep -i -E "<script|<img|<link|<iframe|src=|href=|url\(|@import" oct.html &&
	test "$(grep -o "http[s]*://[^\"]*" oct.html | sort -u)" = "http://www.w3.org/2000/svg" &&
	test_grep "某县农业局" oct.html
'

test_expect_success 'HTML with --by is well-formed too' '
	report --month 2026-10 --by respondent --format html >resp.html &&
	xmllint --noout resp.html &&
	test_grep -F "某&quot;诚信&quot;农资店 &amp; &lt;分店&gt;, 二号|三号" resp.html
'

test_expect_success 'table: the organization first, columns aligned by display width' '
	report --month 2026-10 >oct.txt &&
	head -n 1 oct.txt >first &&
	echo 某县农业局 >expect &&
	test_cmp expect first &&
	"$PY" - <<-\EOF
	import unicodedata
	def width(s):
	    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1
	               for ch in s)
	blocks = open("oct.txt", encoding="utf-8").read().split("\n\n")[1:]
	assert len(blocks) >= 7, len(blocks)
	for b in blocks:
	    lines = b.strip("\n").split("\n")[1:]    # after the title
	    widths = {width(l) for l in lines}
	    # the last column is right-aligned: every row ends at one column
	    assert len(widths) == 1, (lines, widths)
	EOF
'

test_expect_success 'md: a heading, then tables with a separator row' '
	report --month 2026-10 --format md >oct.md &&
	head -n 1 oct.md >first &&
	echo "# 某县农业局" >expect &&
	test_cmp expect first &&
	test_grep "^| figure | 2026-10 | 2026-09 | change |$" oct.md &&
	test_grep "^|---|--:|--:|--:|$" oct.md &&
	report --month 2026-10 --by respondent --format md >resp.md &&
	test_grep -F "| 某\"诚信\"农资店 \\& \\<分店\\>, 二号\\|三号 |" resp.md
'

test_expect_success 'no format ever shows a complainant name, phone, email or address' '
	"$PY" - rec.json >pii <<-\EOF &&
	import json, sys
	for c in json.load(open(sys.argv[1]))["cases"]:
	    for v in (c["pii"] or {}).values():
	        print(v)
	EOF
	test "$(wc -l <pii)" -gt 100 &&
	for f in table csv json md html; do
		report --month 2026-10 --format $f >out.$f &&
		report --from 2026-08-01 --to 2026-12-01 --format $f >>out.$f &&
		for dim in respondent assignee department; do
			report --month 2026-10 --by $dim --format $f >>out.$f ||
			exit 1
		done
	done &&
	! grep -F -f pii out.table out.csv out.json out.md out.html
'

test_expect_success 'a case file that cannot be read is named; exit 1 unless --keep-going' '
	cp -R store broken &&
	f=$(cd broken && ls cases/2026/000/*.yaml | head -n 1) &&
	printf "id: [unclosed\n" >broken/$f &&
	test_expect_code 1 docket -C broken --as chen.jing report --month 2026-10 \
		--format json >out 2>err &&
	test_grep "$f:[0-9]" err &&
	"$PY" -c "import json; json.load(open(\"out\"))" &&
	docket -C broken --as chen.jing report --month 2026-10 --format json \
		--keep-going >out2 2>err2 &&
	test_grep "$f:[0-9]" err2 &&
	test_cmp out out2
'

test_expect_success 'usage errors exit 2' '
	test_expect_code 2 report --month 2026-13 2>err &&
	test_grep "2026-13" err &&
	test_expect_code 2 report --month 2026-1 &&
	test_expect_code 2 report --from 2026-10-01 &&
	test_expect_code 2 report --from 2026-10-01 --to 2026-10-01 &&
	test_expect_code 2 report --from 2026-10-01 --to 2026-09-01 &&
	test_expect_code 2 report --month 2026-10 --from 2026-10-01 --to 2026-11-01 &&
	test_expect_code 2 report --by outcome &&
	test_expect_code 2 report --format xml &&
	test_expect_code 2 report extra
'

test_expect_success 'an empty store reports zeros and null rates' '
	docket init empty >/dev/null &&
	docket -C empty --as tester report --month 2026-10 --format json >e.json &&
	"$PY" - <<-\EOF
	import json
	j = json.load(open("e.json"))
	assert j["received"] == 0 and j["closed"] == 0
	assert j["ack_on_time_rate"] is None
	assert j["handling_days"] == {"median": None, "mean": None, "p90": None}
	assert j["satisfaction"]["rate"] is None
	assert j["top_respondents"] == []
	EOF
'

test_done
