#!/bin/sh
test_description='every index format the git CLI writes: docket handles it
(staged changes survive, git reads the result) or refuses it by name'
. "$(dirname "$0")/lib.sh"

DOCKET_USER=tester
DOCKET_NOW=2026-11-20T10:00:00+08:00
export DOCKET_USER DOCKET_NOW

test_expect_success 'setup: a store with cases and a tracked notes file' '
	docket_init_store tmpl &&
	for i in 1 2 3; do
		docket -C tmpl file --channel phone --phone 1380000000$i \
			--subject "电梯故障$i" >>ids || exit 1
	done &&
	echo "notes" >tmpl/notes.txt &&
	git -C tmpl add notes.txt &&
	git -C tmpl commit -q -m notes &&
	assert_clean tmpl
'

# version DIR: the index file's version number
version () {
	od -An -tu1 -j7 -N1 "$1/.git/index" | tr -d " "
}

# write_in FORMAT: a fresh store with git's index in FORMAT and a change
# to notes.txt staged with git add
write_in () {
	rm -rf s && cp -a tmpl s &&
	case $1 in
	v2)	;;
	v3)	git -C s update-index --skip-worktree docket.yaml ;;
	v4)	git -C s update-index --index-version 4 ;;
	manyfiles)
		git -C s config feature.manyFiles true &&
		git -C s update-index --index-version 4 &&
		git -C s status >/dev/null ;;
	untracked)
		git -C s config core.untrackedCache true &&
		git -C s update-index --untracked-cache &&
		git -C s status >/dev/null ;;
	fsmonitor)
		printf "#!/bin/sh\nprintf \"tok\\\\0\"\n" >s/.git/fsmon &&
		chmod +x s/.git/fsmon &&
		git -C s config core.fsmonitor .git/fsmon &&
		git -C s config core.fsmonitorHookVersion 2 &&
		git -C s update-index --fsmonitor &&
		git -C s status >/dev/null ;;
	offsets)
		git -C s config index.recordEndOfIndexEntries true &&
		git -C s config index.recordOffsetTable true &&
		git -C s config index.threads 2 &&
		git -C s update-index --force-write-index ;;
	tree)	git -C s read-tree HEAD ;;
	esac &&
	echo "staged by the admin" >>s/notes.txt &&
	git -C s add notes.txt
}

# after_write FORMAT: the docket write went in, the staged change is still
# staged, nothing else is off, and git reads the index
after_write () {
	git -C s diff --cached --name-only >staged &&
	echo notes.txt >expect && test_cmp expect staged &&
	git -C s status --porcelain >st &&
	echo "M  notes.txt" >expect && test_cmp expect st &&
	git -C s ls-files >/dev/null &&
	git -C s fsck --no-dangling --strict --cache 2>fsck &&
	test_must_be_empty fsck &&
	docket -C s check >out 2>err
}

for format in v2 v3 v4 manyfiles untracked fsmonitor offsets tree; do
	test_expect_success "index $format: a write keeps what git staged" '
		write_in $format &&
		v=$(version s) &&
		docket -C s note 2026-000002 "处理中" >out 2>err &&
		docket -C s file --channel web --subject 新来的 >id 2>err &&
		echo 2026-000004 >expect && test_cmp expect id &&
		test "$(version s)" = "$v" &&
		after_write &&
		git -C s commit -q -m "the admin commits" &&
		assert_clean s &&
		git -C s show HEAD:notes.txt >n && test_grep "admin" n &&
		git -C s show HEAD:$(case_path 2026-000002) >c &&
		test_grep "处理中" c
	'
done

test_expect_success 'index v3: skip-worktree and the other flags are kept' '
	write_in v3 &&
	docket -C s note 2026-000002 "处理中" >out 2>err &&
	git -C s ls-files -v docket.yaml >v &&
	test_grep "^S docket.yaml" v
'

# split DIR: 1 if git's index in DIR is split (has a "link" extension)
is_split () {
	grep -q "link" "$1/.git/index"
}

# own_entries DIR: the entries the index file itself holds
own_entries () {
	od -An -tu4 --endian=big -j8 -N4 "$1/.git/index" | tr -d " "
}

test_expect_success 'a split index git made (update-index --split-index):
a write keeps it split and keeps what git staged' '
	write_in v2 &&
	git -C s update-index --split-index &&
	echo "staged too" >>s/notes.txt && git -C s add notes.txt &&
	docket -C s note 2026-000002 "处理中" >out 2>err &&
	docket -C s file --channel web --subject 新来的 >id 2>err &&
	echo 2026-000004 >expect && test_cmp expect id &&
	is_split s &&
	after_write &&
	git -C s ls-files >files &&
	test_grep "$(case_path 2026-000004)" files &&
	git -C s commit -q -m "the admin commits" &&
	assert_clean s &&
	git -C s show HEAD:$(case_path 2026-000002) >c &&
	test_grep "处理中" c
'

test_expect_success 'core.splitIndex=true: docket writes the index split,
git reads and writes it, nothing is lost over many writes' '
	write_in v2 &&
	git -C s config core.splitIndex true &&
	git -C s config splitIndex.maxPercentChange 50 &&
	docket -C s note 2026-000001 "第一次" >out 2>err &&
	is_split s &&
	ls s/.git/sharedindex.* >shared &&
	test_line_count = 1 shared &&
	after_write &&
	for i in 1 2 3 4 5 6 7 8; do
		docket -C s file --channel web --subject "第$i件" >>ids 2>err ||
			exit 1
		echo "edit $i" >>s/notes.txt && git -C s add notes.txt || exit 1
	done &&
	is_split s &&
	ls s/.git/sharedindex.* >shared &&
	test $(wc -l <shared) -ge 2 &&
	git -C s status --porcelain >st &&
	echo "M  notes.txt" >expect && test_cmp expect st &&
	git -C s commit -q -m "the admin commits" &&
	assert_clean s &&
	git -C s ls-files cases >files &&
	test_line_count = 11 files &&
	git -C s fsck --no-dangling --strict --cache &&
	docket -C s check >out
'

test_expect_success 'a write to a split index holds only what differs from
its shared index' '
	write_in v2 &&
	git -C s commit -q -m "notes" &&
	git -C s config core.splitIndex true &&
	docket -C s note 2026-000001 "第一次" >out 2>err &&
	n=$(own_entries s) &&
	docket -C s note 2026-000002 "第二次" >out 2>err &&
	test $(own_entries s) -le $((n + 1)) &&
	git -C s ls-files >all &&
	test $(wc -l <all) -gt $(own_entries s) &&
	assert_clean s
'

test_expect_success 'core.splitIndex=false: docket writes the index plain' '
	write_in v2 &&
	git -C s update-index --split-index &&
	git -C s config core.splitIndex false &&
	docket -C s note 2026-000002 "处理中" >out 2>err &&
	! is_split s &&
	after_write
'

test_expect_success 'a split index whose shared index is gone is refused
by name, nothing changed' '
	write_in v2 &&
	git -C s update-index --split-index &&
	mv s/.git/sharedindex.* . &&
	expect_refusal --code 1 s "shared index" \
		docket note 2026-000002 "处理中" &&
	mv sharedindex.* s/.git/ &&
	docket -C s note 2026-000002 "处理中" >out 2>err &&
	after_write
'

test_expect_success 'reading commands work on a split index' '
	write_in v2 &&
	git -C s update-index --split-index &&
	docket -C s list >out 2>err &&
	test_line_count = 4 out &&
	docket -C s show 2026-000001 >out
'

test_expect_success 'a sparse index is refused by name' '
	write_in v2 &&
	git -C s config index.sparse true &&
	git -C s sparse-checkout init --cone 2>/dev/null &&
	git -C s sparse-checkout set cases 2>/dev/null &&
	git -C s status >/dev/null &&
	if grep -q sdir s/.git/index; then
		expect_refusal --code 1 s "sparse" \
			docket note 2026-000002 "处理中"
	else
		docket -C s note 2026-000002 "处理中" >out 2>err
	fi
'

test_expect_success 'no index at all (deleted): HEAD is kept, nothing staged away' '
	rm -rf s && cp -a tmpl s &&
	rm s/.git/index &&
	docket -C s note 2026-000002 "处理中" >out 2>err &&
	git -C s diff --cached --name-only >staged &&
	test_must_be_empty staged &&
	assert_clean s
'

test_done
