#!/bin/sh
test_description='ref: an outside body'"'"'s number (12345 work order, transfer number) at intake, on show, list and export'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

test_expect_success 'file --ref records it as the case field ref' '
	setup_store s &&
	run_at s 2026-10-12T09:00:00 zhang.wei file --channel phone \
		--phone 13900000201 --subject 化肥结块 --respondent 某农资店 \
		--ref GD-2026-1012-0001 >id &&
	test "$(case_get s 2026-000001 ref)" = GD-2026-1012-0001 &&
	sed -n "5,7p" s/$(case_path 2026-000001) >head &&
	test_grep "^ref: GD-2026-1012-0001$" head
'

test_expect_success 'a --from document may carry ref too' '
	printf "channel: phone\nphone: \"13900000202\"\nsubject: 假农药\nrespondent: 某门店\nref: 市局转〔2026〕15号\n" >in.yaml &&
	run_at s 2026-10-12T10:00:00 zhang.wei file --from "$TRASH_DIRECTORY/in.yaml" >id2 &&
	test "$(case_get s 2026-000002 ref)" = "市局转〔2026〕15号"
'

test_expect_success 'show prints it; list --ref finds it (any case) and CSV/JSON carry it' '
	run_at s 2026-10-12T11:00:00 chen.jing show 2026-000001 --format text >out &&
	test_grep "^Ref: *GD-2026-1012-0001$" out &&
	run_at s 2026-10-12T11:00:00 chen.jing list --ref gd-2026-1012-0001 --format ids >ids &&
	echo 2026-000001 >expect &&
	test_cmp expect ids &&
	run_at s 2026-10-12T11:00:00 chen.jing list --format csv >l.csv &&
	tr -d "\r" <l.csv >l.txt &&
	head -n 1 l.txt >h &&
	test_grep ",subject,ref$" h &&
	test_grep ",GD-2026-1012-0001$" l.txt &&
	run_at s 2026-10-12T11:00:00 chen.jing list --format json >l.json &&
	/usr/bin/python3 -c "import json,sys; r={x[\"id\"]: x[\"ref\"] for x in json.load(open(\"l.json\"))}; sys.exit(r != {\"2026-000001\": \"GD-2026-1012-0001\", \"2026-000002\": \"市局转〔2026〕15号\"})" &&
	run_at s 2026-10-12T11:00:00 chen.jing export --since 2026-10-01 --format csv >x.csv &&
	/usr/bin/python3 -c "import csv,sys; r=list(csv.DictReader(open(\"x.csv\", encoding=\"utf-8-sig\"))); sys.exit(r[0][\"ref\"] != \"GD-2026-1012-0001\")"
'

test_expect_success 'a ref with a control character is refused and changes nothing' '
	export DOCKET_NOW=2026-10-12T12:00:00+08:00 &&
	expect_refusal s "ref" docket --as zhang.wei file --channel phone \
		--phone 13900000203 --subject 化肥 --ref "$(printf "GD\001")"
'

test_done
