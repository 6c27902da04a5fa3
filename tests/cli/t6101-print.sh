#!/bin/sh
# run-cli: long (started first, so the pool does not end on it)
test_description='print: written documents of a case from the forms in the store'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

FORMS="不予受理告知书 受理告知书 处理结果告知书 延期告知书 整改通知书 登记表 补充材料告知书 调解协议书 转办单"

test_expect_success 'setup: a rejected case whose text holds markup' '
	setup_store s &&
	(cd s && DOCKET_NOW=2026-11-28T09:14:00+08:00 docket --as zhang.wei \
		file --channel phone --phone 13900000001 --name "李某" \
		--subject "电梯<script>alert(1)</script>故障" \
		--description "a & b <img src=x>" --respondent 某农资店 >../id) &&
	test "$(cat id)" = 2026-000001 &&
	run_at s 2026-11-30T10:00:00 chen.jing triage 2026-000001 \
		--reject out-of-scope --refer-to 县市场监督管理局
'

test_expect_success 'print --list names the forms the store ships' '
	(cd s && docket print --list >../out) &&
	cut -d" " -f1 out >names &&
	for f in $FORMS; do echo "$f"; done >expect &&
	LC_ALL=C sort expect >expect.sorted &&
	test_cmp expect.sorted names &&
	test_grep "^登记表  投诉举报登记表$" out
'

test_expect_success 'a notice holds the office, the dates in Chinese form and the reason' '
	before=$(commit_count s) &&
	(cd s && DOCKET_NOW=2026-12-02T09:00:00+08:00 docket --as chen.jing \
		print 2026-000001 不予受理告知书 >../out.html 2>../err) &&
	test_must_be_empty err &&
	test_grep "某县农业局" out.html &&
	test_grep "你于2026年11月28日以来电方式反映" out.html &&
	test_grep "因<span class=\"fill\">不属于本机关职权范围</span>" out.html &&
	test_grep "建议向县市场监督管理局反映" out.html &&
	test_grep "2026年12月2日" out.html &&
	test_grep "联系人：陈静" out.html &&
	test_grep "@page { size: A4" out.html &&
	test "$(commit_count s)" = "$before" &&
	assert_clean s
'

test_expect_success 'case text is HTML-escaped, never markup' '
	test_grep "电梯&lt;script&gt;alert(1)&lt;/script&gt;故障" out.html &&
	! grep -q "<script" out.html &&
	(cd s && docket print 2026-000001 登记表 >../reg.html) &&
	test_grep "a &amp; b &lt;img src=x&gt;" reg.html &&
	! grep -q "<img" reg.html
'

test_expect_success '--format text: the same content without tags' '
	(cd s && DOCKET_NOW=2026-12-02T09:00:00+08:00 docket --as chen.jing \
		print 2026-000001 不予受理告知书.html --format text >../out.txt) &&
	test_grep "^投诉不予受理告知书$" out.txt &&
	test_grep "^李某：$" out.txt &&
	test_grep "电梯<script>alert(1)</script>故障" out.txt &&
	test_grep "^2026年12月2日$" out.txt &&
	! grep -q "<p\|<span\|&amp;\|@page" out.txt
'

test_expect_success '--blank gives the form with empty fields but the letterhead' '
	(cd s && docket print --blank 登记表 --format text >../blank.txt) &&
	test_grep "^某县农业局$" blank.txt &&
	test_grep "^编号：$" blank.txt &&
	test_grep "^投诉人  *联系电话$" blank.txt &&
	! grep -q "李某\|电梯\|2026" blank.txt
'

test_expect_success '调解协议书: three copies, each on its own page and marked for whom' '
	(cd s && docket print 2026-000001 调解协议书 --format text >../m.txt) &&
	test "$(grep -c "^调解协议书$" m.txt)" = 3 &&
	test "$(tr -cd "\f" <m.txt | wc -c)" = 2 &&
	test_grep "^（申请人收执）$" m.txt &&
	test_grep "^（被申请人收执）$" m.txt &&
	test_grep "^（本机关存档）$" m.txt &&
	(cd s && docket print 2026-000001 调解协议书 >../m.html) &&
	test "$(grep -c "<section class=\"page\">" m.html)" = 3 &&
	test_grep "\.page + \.page { break-before: page; }" m.html
'

test_expect_success 'every shipped form renders for the case, as html and text' '
	for f in $FORMS; do
		(cd s && docket print 2026-000001 "$f" >"../f-$f.html" &&
			docket print 2026-000001 "$f" --format text \
				>"../f-$f.txt" &&
			docket print --blank "$f" >"../b-$f.html") ||
		{ echo "form $f failed"; exit 1; }
	done
'

test_expect_success '-o writes a new file and never overwrites one' '
	(cd s && docket print 2026-000001 受理告知书 -o ../notice.html) &&
	test_grep "投诉受理告知书" notice.html &&
	echo keep >keep.html &&
	expect_refusal s "already exists" docket print 2026-000001 受理告知书 \
		-o ../keep.html &&
	echo keep >expect && test_cmp expect keep.html
'

test_expect_success 'a form that names an unknown field is refused at its line and column' '
	sed "s/{{subject}}/{{subjet}}/" s/forms/受理告知书.html >t &&
	cat t >s/forms/受理告知书.html &&
	line=$(grep -n "{{subjet}}" t | cut -d: -f1) &&
	expect_refusal s "forms/受理告知书.html:$line:[0-9]+: unknown field .subjet." \
		docket print 2026-000001 受理告知书 &&
	git -C s checkout -q forms
'

test_expect_success 'an unknown field in a part not printed is refused too' '
	printf "<p>{{#if refer_to}}\n{{offfice}}{{/if}}</p>\n" >s/forms/x.html &&
	expect_refusal s "forms/x.html:2:1: unknown field .offfice." \
		docket print --blank x &&
	rm s/forms/x.html
'

test_expect_success 'a 5 MB template is refused with a clear error' '
	head -c 6000000 /dev/zero | tr "\0" a >s/forms/big.html &&
	expect_refusal s "forms/big.html.*larger than the limit of 5242880 bytes" \
		docket print --blank big &&
	rm s/forms/big.html
'

test_expect_success 'a template that is a symlink, a FIFO or a folder is refused' '
	ln -s ../docket.yaml s/forms/link.html &&
	expect_refusal s "symbolic link" docket print --blank link &&
	rm s/forms/link.html &&
	mkfifo s/forms/fifo.html &&
	expect_refusal s "FIFO" docket print --blank fifo &&
	rm s/forms/fifo.html &&
	mkdir s/forms/dir.html &&
	expect_refusal s "folder" docket print --blank dir &&
	rmdir s/forms/dir.html
'

test_expect_success 'an unknown form, a form name that is a path, bad usage' '
	expect_refusal s "no form forms/告知.html.*print --list" \
		docket print 2026-000001 告知 &&
	expect_refusal s "not a form name" docket print --blank ../docket &&
	expect_refusal --code 2 s "give the case id and the form" \
		docket print 2026-000001 &&
	expect_refusal --code 2 s "unknown format .pdfx." \
		docket print 2026-000001 受理告知书 --format pdfx &&
	expect_refusal s "not found" docket print 2026-000009 受理告知书
'

test_expect_success 'print --fields names every field a form may use' '
	(cd s && docket print --fields >../fields) &&
	test_grep "^office  *" fields &&
	test_grep "^docno  *" fields &&
	test_grep "^due_resolve  *" fields
'

test_expect_success 'every template ships forms that render for each of its example cases' '
	for dir in "$DOCKET_ROOT"/examples/*/; do
		test -f "$dir/docket.yaml" || continue
		name=$(basename "$dir") &&
		docket init "t-$name" --template "$name" >/dev/null &&
		for c in "$dir"cases/*.yaml; do
			id=$(basename "$c" .yaml) &&
			p=$(case_path "$id") &&
			mkdir -p "t-$name/${p%/*}" &&
			cp "$c" "t-$name/$p" || exit 1
		done &&
		git -C "t-$name" add -A && git -C "t-$name" commit -q -m cases &&
		for c in "$dir"cases/*.yaml; do
			id=$(basename "$c" .yaml) &&
			subject=$(yaml_get "$c" subject) &&
			for f in $FORMS; do
				docket -C "t-$name" print "$id" "$f" \
					--format text >out 2>err ||
				{ echo "$name $id $f:"; cat err; exit 1; }
			done &&
			docket -C "t-$name" print "$id" 受理告知书 >out &&
			grep -qF "$(yaml_get "t-$name/docket.yaml" organization)" out ||
			{ echo "$name $id: no office"; exit 1; }
		done || exit 1
	done
'

test_expect_success 'completion offers the forms after the case id and after --blank' '
	(cd s && docket --complete print 2026-000001 "" >../c1 &&
		docket --complete print --blank 调 >../c2) &&
	test "$(wc -l <c1)" = 9 &&
	test_grep "^受理告知书$" c1 &&
	echo 调解协议书 >expect && test_cmp expect c2
'

test_done
