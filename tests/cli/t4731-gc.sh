#!/bin/sh
test_description='packing: docket gc, and the automatic packing past git gc.auto; no object is ever lost'
. "$(dirname "$0")/lib.sh"

# loose DIR: how many loose objects git counts
loose () {
	git -C "$1" count-objects -v | sed -n "s/^count: //p"
}

# file_some DIR FIRST LAST: that many cases filed, one commit each
file_some () {
	i=$2
	while [ "$i" -le "$3" ]; do
		docket -C "$1" --as tester file --channel phone \
			--phone "1380000$(printf %04d "$i")" --subject "第${i}件" \
			>/dev/null 2>&1 || return 1
		i=$((i + 1))
	done
}

test_expect_success 'setup: a store with ten actions, all loose' '
	docket init s >/dev/null 2>&1 &&
	git -C s config gc.auto 0 &&
	file_some s 1 10 &&
	test "$(loose s)" -gt 50 &&
	docket -C s list --format ids >before &&
	test_line_count = 10 before
'

test_expect_success 'docket gc packs every loose object; git and docket read all of it' '
	cp -a s/.git/objects objects.before &&
	docket -C s --as tester gc 2>err &&
	test_grep "packed [0-9]* objects; removed [0-9]* loose files" err &&
	test "$(loose s)" = 0 &&
	test "$(git -C s count-objects -v | sed -n "s/^packs: //p")" = 1 &&
	git -C s fsck --strict --no-dangling 2>fsck &&
	test_must_be_empty fsck &&
	docket -C s list --format ids >after &&
	test_cmp before after &&
	docket -C s check >out &&
	assert_clean s
'

test_expect_success 'the pack is as private as the store' '
	find s/.git/objects/pack -type f -perm /077 >leaks &&
	test_must_be_empty leaks
'

test_expect_success 'nothing loose: gc says so and changes nothing' '
	docket -C s --as tester gc 2>err &&
	test_grep "no loose objects to pack" err &&
	test "$(git -C s count-objects -v | sed -n "s/^packs: //p")" = 1
'

test_expect_success 'a loose copy left beside the pack (killed before removing it) goes at the next gc' '
	obj=$(cd objects.before && find ?? -type f | head -n 1) &&
	mkdir -p "s/.git/objects/${obj%/*}" &&
	cp "objects.before/$obj" "s/.git/objects/$obj" &&
	test "$(loose s)" = 1 &&
	docket -C s --as tester gc 2>err &&
	test "$(loose s)" = 0 &&
	git -C s fsck --no-dangling
'

test_expect_success 'an object git wrote beside docket is packed, never lost' '
	blob=$(echo 未跟踪的对象 | git -C s hash-object -w --stdin) &&
	docket -C s --as tester gc 2>err &&
	test "$(git -C s cat-file -p "$blob")" = 未跟踪的对象 &&
	test "$(loose s)" = 0
'

test_expect_success 'past gc.auto a writing command packs on its own, and reports only its own output' '
	git -C s config gc.auto 20 &&
	docket -C s --as tester file --channel phone --phone 13811110001 \
		--subject 第一件 >id 2>err &&
	test_must_be_empty err &&
	file_some s 11 14 &&
	test "$(loose s)" -le 20 &&
	test "$(git -C s count-objects -v | sed -n "s/^packs: //p")" -ge 2 &&
	git -C s fsck --no-dangling &&
	docket -C s list --format ids >ids &&
	test_line_count = 15 ids &&
	assert_clean s
'

test_expect_success 'gc.auto 0 never packs' '
	git -C s config gc.auto 0 &&
	file_some s 15 20 &&
	test "$(loose s)" -gt 20
'

test_expect_success 'gc takes no arguments; it needs the store lock like any write' '
	expect_refusal --code 2 s "gc takes none" docket --as tester gc now
'

test_done
