#!/bin/sh
test_description='the cache of parsed cases (.git/docket-cache): same output with and without it, never stale, rebuilt when lost or damaged'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER

cache=s/.git/docket-cache

# list_all: the table and the json listing of store s into out
list_all () {
	(cd s && docket list >../out 2>../err &&
	 docket list --format json >>../out 2>>../err) &&
	test_must_be_empty err
}

test_expect_success 'setup: cases filed, one by hand' '
	docket_init_store s &&
	mkdir -p s/cases/2026/000 &&
	cp "$TEST_DATA/closed-case.yaml" s/cases/2026/000/2026-000001.yaml &&
	cp "$TEST_DATA/assigned-case.yaml" s/cases/2026/000/2026-000002.yaml &&
	git -C s add cases &&
	git -C s commit -q -m "two cases added by hand" &&
	(cd s &&
	 docket file --channel phone --phone 13800000003 --subject 电梯故障 \
		>/dev/null &&
	 docket file --channel web --anonymous --subject 匿名举报 >/dev/null)
'

test_expect_success 'a listing writes the cache, private to the owner' '
	rm -f $cache &&
	list_all && mv out first &&
	test -s $cache &&
	test "$(stat -c %a $cache)" = 600
'

test_expect_success 'list from the cache equals list without it' '
	list_all && test_cmp first out &&
	rm -f $cache &&
	list_all && test_cmp first out
'

test_expect_success 'report and remind read the same with and without it' '
	(cd s && docket report --month 2026-11 >../r1 &&
	 docket remind --dry-run >../m1) &&
	rm -f $cache &&
	(cd s && docket report --month 2026-11 >../r2 &&
	 docket remind --dry-run >../m2) &&
	test_cmp r1 r2 && test_cmp m1 m2
'

test_expect_success 'a hand edit shows at once, never the cached case' '
	list_all &&
	f=s/cases/2026/000/2026-000003.yaml &&
	sed "s/^subject: 电梯故障\$/subject: 电梯坏了/" $f >tmp && cat tmp >$f &&
	(cd s && docket list --format ids --status received >/dev/null) &&
	(cd s && docket list) >out &&
	test_grep "^2026-000003 .*电梯坏了\$" out
'

test_expect_success 'an edit of the same size within the same second shows' '
	f=s/cases/2026/000/2026-000003.yaml &&
	list_all &&
	sed "s/^subject: 电梯坏了\$/subject: 电梯修了/" $f >tmp && cat tmp >$f &&
	(cd s && docket list) >out &&
	test_grep "^2026-000003 .*电梯修了\$" out &&
	git -C s checkout -q -- cases
'

test_expect_success 'a deleted cache is rebuilt' '
	list_all && cp out before &&
	rm -f $cache &&
	list_all && test_cmp before out &&
	test -s $cache
'

test_expect_success 'a truncated cache is ignored, still correct, and rebuilt' '
	size=$(stat -c %s $cache) &&
	truncate -s $((size / 2)) $cache &&
	list_all && test_cmp before out &&
	test "$(stat -c %s $cache)" = "$size" &&
	list_all && test_cmp before out
'

test_expect_success 'a corrupt cache is ignored, still correct, and rebuilt' '
	printf "DKTCACHE garbage" | dd of=$cache bs=1 seek=40 conv=notrunc \
		2>/dev/null &&
	list_all && test_cmp before out &&
	: >$cache &&
	list_all && test_cmp before out &&
	test -s $cache
'

test_expect_success 'a case that does not parse is skipped every time' '
	printf "id: [\n" >s/cases/2026/000/2026-000009.yaml &&
	(cd s && test_must_fail docket list --format ids) >out 2>err &&
	test_grep "2026-000009.yaml" err &&
	(cd s && test_must_fail docket list --format ids) >out 2>err &&
	test_grep "2026-000009.yaml" err &&
	rm s/cases/2026/000/2026-000009.yaml
'

# The folder listings (.git/docket-folders) are kept only for folders
# not changed in the last seconds: age the folder to have one kept.
folders=s/.git/docket-folders
old_folder () {
	touch -d "1 hour ago" s/cases/2026/000
}

test_expect_success 'a folder not changed lately has its listing kept' '
	rm -f $folders &&
	old_folder &&
	(cd s && docket list --format ids >../ids1) &&
	test -s $folders &&
	grep -a -q "2026-000003.yaml" $folders &&
	(cd s && docket list --format ids >../ids2) &&
	test_cmp ids1 ids2
'

test_expect_success 'a file made by hand in a kept folder is listed at once' '
	old_folder &&
	(cd s && docket list --format ids >/dev/null) &&
	cp s/cases/2026/000/2026-000003.yaml s/cases/2026/000/2026-000005.yaml &&
	sed -i "s/^id: 2026-000003\$/id: 2026-000005/" \
		s/cases/2026/000/2026-000005.yaml &&
	(cd s && docket list --format ids >../ids) &&
	grep -qx 2026-000005 ids
'

test_expect_success '... also when the folder time is set back as it was' '
	old_folder &&
	(cd s && docket list --format ids >/dev/null) &&
	rm s/cases/2026/000/2026-000005.yaml &&
	old_folder &&
	(cd s && docket list --format ids >../ids) &&
	! grep -qx 2026-000005 ids
'

test_expect_success 'a damaged folder listing file is ignored and rebuilt' '
	old_folder &&
	(cd s && docket list --format ids >../ids1) &&
	printf "DKTFOLD\\000junk" >$folders &&
	(cd s && docket list --format ids >../ids2) &&
	test_cmp ids1 ids2 &&
	grep -a -q "2026-000003.yaml" $folders
'

test_expect_success 'the cache leaves git status clean' '
	assert_clean s
'

test_done
