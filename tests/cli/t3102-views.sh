#!/bin/sh
test_description='docket list @VIEW / --view NAME: saved views of docket.yaml, the views every template ships, bad views'
. "$(dirname "$0")/lib.sh"

GEN="$DOCKET_ROOT/tests/report/gen_store.py"
ORACLE="$DOCKET_ROOT/tests/find/oracle.py"
PY=/usr/bin/python3
NOW=2026-11-27T18:00:00+08:00
export DOCKET_NOW=$NOW

list () {
	docket -C "$TRASH_DIRECTORY/store" --as he.jun list "$@"
}

test_expect_success 'setup: a generated store with views' '
	"$PY" "$GEN" store --record rec.json >/dev/null &&
	cat >>store/docket.yaml <<-\EOF &&
	views:
	  我的待办: --assignee @me --status open --sort due
	  本周到期: [--due-within, 7d, --sort, due]
	  逾期: --overdue --sort due
	  待回访: --awaiting-feedback --sort received
	  quoted: --text "品种 不纯" --format ids
	EOF
	git -C store commit -qam views &&
	docket -C store check
'

test_expect_success '@NAME and --view NAME give the options of the view' '
	list --overdue --sort due --format ids >expect &&
	list @逾期 --format ids >a &&
	list --view 逾期 --format ids >b &&
	list --view=逾期 --format ids >c &&
	test_cmp expect a && test_cmp expect b && test_cmp expect c &&
	test -s expect
'

test_expect_success 'a view written as a list, and one that quotes words' '
	list --due-within 7d --sort due --format ids >expect &&
	list @本周到期 --format ids >a &&
	test_cmp expect a &&
	list --text "品种 不纯" --format ids >expect &&
	list @quoted >a &&
	test_cmp expect a && test -s a
'

test_expect_success '@me in a view is the acting staff member, not a view' '
	list --assignee he.jun --status open --sort due --format ids >expect &&
	list @我的待办 --format ids >a &&
	test_cmp expect a && test -s a &&
	list --assignee @me --status open --sort due --format ids >b &&
	test_cmp expect b
'

test_expect_success 'filters after a view narrow it (AND)' '
	list @逾期 --department enforcement --format ids >a &&
	list --overdue --department enforcement --sort due --format ids >expect &&
	test_cmp expect a &&
	test $(wc -l <a) -lt $(list @逾期 --format ids | wc -l)
'

test_expect_success '待回访: closed cases with no return visit, as the oracle says' '
	"$PY" "$ORACLE" store rec.json "$NOW" --awaiting-feedback \
		--sort received >expect &&
	list @待回访 --format ids >a &&
	test_cmp expect a && test -s a
'

test_expect_success 'completion offers the views after @ and --view' '
	docket --complete -C store list @逾 >out &&
	echo @逾期 >expect &&
	test_cmp expect out &&
	docket --complete -C store list --view 待 >out &&
	echo 待回访 >expect &&
	test_cmp expect out
'

test_expect_success 'an unknown view is a usage error naming the nearest' '
	test_expect_code 2 list @逾期案件 >out 2>err &&
	test_must_be_empty out &&
	test_grep "@逾期" err &&
	test_expect_code 2 list --view nothing 2>err &&
	test_grep "nothing" err
'

test_expect_success 'bad views in docket.yaml are named with line and column' '
	cp -r store bad &&
	cat >>bad/docket.yaml <<-\EOF &&
	  "@x": --overdue
	  y: --text "unbalanced
	  z: {a: b}
	EOF
	test_expect_code 1 docket -C bad check >out 2>err &&
	test_grep "docket.yaml:[0-9]*:[0-9]*:.*@x" err &&
	test_grep "docket.yaml:[0-9]*:[0-9]*:.*y" err &&
	test_grep "docket.yaml:[0-9]*:[0-9]*:.*views" err
'

test_expect_success 'every template ships the five views, and each runs' '
	for t in "$DOCKET_ROOT"/examples/*/docket.yaml; do
		name=$(basename "$(dirname "$t")") &&
		docket init "s-$name" --template "$name" >/dev/null &&
		who=$("$PY" -c "import sys, yaml; print(yaml.safe_load(open(sys.argv[1]))[\"staff\"][0][\"id\"])" "$t") &&
		for v in 我的待办 本周到期 逾期 待回访 待补正; do
			docket -C "s-$name" --as "$who" list "@$v" >out 2>err ||
				{ echo "$name: @$v failed"; cat err; exit 1; }
			test_must_be_empty err
		done || exit 1
	done
'

test_done
