#!/bin/sh
test_description='plain git beside docket: nothing staged, edited, made or
recorded by anyone is lost, overwritten or handed out twice (DESIGN 11)'
. "$(dirname "$0")/lib.sh"

DOCKET_USER=tester
DOCKET_NOW=2026-11-20T10:00:00+08:00
export DOCKET_USER DOCKET_NOW

DF=$DOCKET_ROOT/docket-faults

# fresh DIR: a copy of the template store (cases 1-3, one a note)
fresh () {
	rm -rf "$1" && cp -a tmpl "$1"
}

test_expect_success 'setup: a store with three cases' '
	docket_init_store tmpl &&
	for i in 1 2 3; do
		docket -C tmpl file --channel phone --phone 1380000000$i \
			--subject "电梯故障$i" >>ids || exit 1
	done &&
	git -C tmpl config user.name Admin &&
	git -C tmpl config user.email admin@example.org &&
	assert_clean tmpl
'

test_expect_success 'an untracked file at the next id is never written over' '
	fresh s &&
	mkdir -p s/cases/2026/000 &&
	echo "mine" >s/$(case_path 2026-000004) &&
	docket -C s file --channel web --subject 下一件 >id 2>err &&
	echo 2026-000005 >expect && test_cmp expect id &&
	echo mine >expect && test_cmp expect s/$(case_path 2026-000004) &&
	git -C s status --porcelain >st &&
	echo "?? $(case_path 2026-000004)" >expect && test_cmp expect st
'

test_expect_success 'a file staged at the next id (git add) is never written over' '
	fresh s &&
	mkdir -p s/cases/2026/000 &&
	echo "staged" >s/$(case_path 2026-000004) &&
	git -C s add $(case_path 2026-000004) &&
	docket -C s file --channel web --subject 下一件 >id 2>err &&
	echo 2026-000005 >expect && test_cmp expect id &&
	git -C s diff --cached --name-only >staged &&
	case_path 2026-000004 >expect && test_cmp expect staged
'

test_expect_success 'after git mv of a case into a later folder no id is given twice' '
	fresh s &&
	mkdir -p s/cases/2026/001 &&
	git -C s mv $(case_path 2026-000002) cases/2026/001/2026-000002.yaml &&
	git -C s commit -q -m "moved by hand" &&
	docket -C s file --channel web --subject 下一件 >id 2>err &&
	echo 2026-000004 >expect && test_cmp expect id &&
	git -C s ls-tree -r --name-only HEAD cases >paths &&
	test_line_count = 4 paths &&
	test_grep "电梯故障3" s/$(case_path 2026-000003)
'

test_expect_success 'after git rm of the newest case its id is not handed out again' '
	fresh s &&
	git -C s rm -q $(case_path 2026-000003) &&
	git -C s commit -q -m "removed by hand" &&
	docket -C s file --channel web --subject 另一位投诉人 >id 2>err &&
	echo 2026-000004 >expect && test_cmp expect id &&
	docket -C s log 2026-000004 >log &&
	test_line_count = 1 log
'

test_expect_success 'a case added by a plain git commit keeps its id used too' '
	fresh s &&
	sed "s/2026-000003/2026-000007/" s/$(case_path 2026-000003) \
		>s/$(case_path 2026-000007) &&
	git -C s add . && git -C s commit -q -m "imported by hand" &&
	git -C s rm -q $(case_path 2026-000007) &&
	git -C s commit -q -m "and removed" &&
	docket -C s file --channel web --subject 下一件 >id 2>err &&
	echo 2026-000008 >expect && test_cmp expect id
'

test_expect_success 'git revert of a docket commit is history: check passes' '
	fresh s &&
	docket -C s note 2026-000001 "已联系" >out 2>err &&
	git -C s revert --no-edit HEAD >out &&
	docket -C s check >out 2>err &&
	! grep -q "已联系" s/$(case_path 2026-000001) &&
	docket -C s note 2026-000001 "再次联系" >out 2>err &&
	docket -C s check >out 2>err
'

test_expect_success 'git revert of a file commit: check passes, its id stays used' '
	fresh s &&
	docket -C s file --channel web --subject 撤回的 >id 2>err &&
	git -C s revert --no-edit HEAD >out &&
	docket -C s check >out 2>err &&
	docket -C s file --channel web --subject 下一件 >id 2>err &&
	echo 2026-000005 >expect && test_cmp expect id &&
	docket -C s check >out 2>err
'

test_expect_success 'a change staged by git add is still staged after a docket write' '
	fresh s &&
	echo "# 管理员的修改" >>s/docket.yaml &&
	git -C s add docket.yaml &&
	docket -C s note 2026-000002 "处理中" >out 2>err &&
	git -C s diff --cached --name-only >staged &&
	echo docket.yaml >expect && test_cmp expect staged &&
	git -C s commit -q -m "config by hand" &&
	assert_clean s &&
	git -C s show HEAD:docket.yaml >cfg &&
	test_grep "管理员的修改" cfg &&
	test_grep "处理中" s/$(case_path 2026-000002)
'

test_expect_success 'a staged change to the case itself refuses the write' '
	fresh s &&
	sed -i "s/电梯故障2/电梯故障二/" s/$(case_path 2026-000002) &&
	git -C s add $(case_path 2026-000002) &&
	git -C s show HEAD:$(case_path 2026-000002) \
		>s/$(case_path 2026-000002) &&
	expect_refusal --code 1 s "staged" docket note 2026-000002 "处理中" &&
	git -C s diff --cached --name-only >staged &&
	case_path 2026-000002 >expect && test_cmp expect staged
'

test_expect_success 'writes are refused during a merge, with what to do' '
	fresh s &&
	git -C s checkout -q -b other &&
	echo "# other" >>s/docket.yaml && git -C s commit -q -a -m other &&
	git -C s checkout -q main &&
	echo "# main" >>s/docket.yaml && git -C s commit -q -a -m main &&
	# docket.yaml has conflict markers now: the merge is named first
	! git -C s merge -q other >out 2>&1 &&
	expect_refusal --code 1 s "merge is in progress.*git merge --abort" \
		docket note 2026-000001 x &&
	expect_refusal --code 1 s "merge is in progress" \
		docket file --channel web --subject 不该登记 &&
	git -C s merge --abort &&
	docket -C s note 2026-000001 x >out 2>err
'

test_expect_success 'writes are refused during a rebase, a cherry-pick, a revert, a bisect' '
	fresh s &&
	echo base >s/notes.txt && git -C s add notes.txt &&
	git -C s commit -q -m notes &&
	git -C s checkout -q -b side &&
	echo side >s/notes.txt && git -C s commit -q -a -m side &&
	git -C s checkout -q main &&
	echo main >s/notes.txt && git -C s commit -q -a -m main2 &&
	! git -C s cherry-pick side >out 2>&1 &&
	expect_refusal --code 1 s "cherry-pick is in progress" \
		docket note 2026-000001 x &&
	git -C s cherry-pick --abort &&
	! git -C s revert --no-edit HEAD~1 >out 2>&1 || true &&
	git -C s revert --abort 2>/dev/null || true &&
	git -C s checkout -q side &&
	! git -C s rebase -q main >out 2>&1 &&
	expect_refusal --code 1 s "rebase is in progress" \
		docket note 2026-000001 x &&
	git -C s rebase --abort &&
	git -C s checkout -q main &&
	git -C s bisect start >out &&
	expect_refusal --code 1 s "bisect is in progress.*git bisect reset" \
		docket note 2026-000001 x &&
	git -C s bisect reset >out 2>&1 &&
	docket -C s note 2026-000001 x >out 2>err
'

test_expect_success 'writes are refused on a detached HEAD' '
	fresh s &&
	git -C s checkout -q --detach &&
	expect_refusal --code 1 s "detached" docket note 2026-000001 x &&
	git -C s checkout -q main &&
	docket -C s note 2026-000001 x >out 2>err
'

test_expect_success 'writes are refused with conflicts in the index' '
	fresh s &&
	echo base >s/notes.txt && git -C s add notes.txt &&
	git -C s commit -q -m notes &&
	git -C s checkout -q -b c1 &&
	echo c1 >s/notes.txt && git -C s commit -q -a -m c1 &&
	git -C s checkout -q main &&
	echo c2 >s/notes.txt && git -C s commit -q -a -m c2 &&
	! git -C s merge -q c1 >out 2>&1 &&
	rm -f s/.git/MERGE_HEAD s/.git/MERGE_MSG s/.git/MERGE_MODE &&
	expect_refusal --code 1 s "conflicts" docket note 2026-000001 x
'

test_expect_success 'killed as the branch lock was made, still empty: the next command removes it' '
	fresh s &&
	code=0 &&
	DOCKET_FAULT=commit-index "$DF" -C s note 2026-000002 "崩溃前" \
		>out 2>err || code=$? &&
	test $code = 137 &&
	: >s/.git/refs/heads/main.lock &&
	DOCKET_LOCK_TIMEOUT=1 docket -C s note 2026-000001 "下一位" >out 2>err &&
	! test -e s/.git/refs/heads/main.lock &&
	git -C s log -1 --format=%s >subject &&
	test_grep "2026-000001" subject &&
	assert_clean s
'

test_expect_success 'an empty branch lock older than the dead command is not docket'"'"'s' '
	fresh s &&
	: >s/.git/refs/heads/main.lock &&
	touch -d "-1 minute" s/.git/refs/heads/main.lock &&
	code=0 &&
	DOCKET_FAULT=commit-index "$DF" -C s note 2026-000002 "崩溃前" \
		>out 2>err || code=$? &&
	test $code = 137 &&
	test_expect_code 1 env DOCKET_LOCK_TIMEOUT=1 docket -C s note \
		2026-000001 "下一位" >out 2>err &&
	test -e s/.git/refs/heads/main.lock &&
	test_grep "main.lock" err &&
	rm s/.git/refs/heads/main.lock
'

test_expect_success 'recovery never writes over a file edited after the crash' '
	fresh s &&
	code=0 &&
	DOCKET_FAULT=commit-ref "$DF" -C s note 2026-000002 "崩溃前" \
		>out 2>err || code=$? &&
	test $code = 137 &&
	echo "管理员之后的修改" >s/$(case_path 2026-000002) &&
	docket -C s note 2026-000001 "下一位" >out 2>err &&
	test_grep "warning: .*2026-000002.*left as it is" err &&
	echo "管理员之后的修改" >expect &&
	test_cmp expect s/$(case_path 2026-000002) &&
	git -C s show HEAD~1:$(case_path 2026-000002) >head2 &&
	test_grep "崩溃前" head2 &&
	git -C s status --porcelain >st &&
	echo " M $(case_path 2026-000002)" >expect && test_cmp expect st
'

test_expect_success 'check --repair leaves a file edited after the crash alone too' '
	fresh s &&
	code=0 &&
	DOCKET_FAULT=commit-ref "$DF" -C s note 2026-000002 "崩溃前" \
		>out 2>err || code=$? &&
	test $code = 137 &&
	echo "改过了" >s/$(case_path 2026-000002) &&
	docket -C s check --repair >out 2>err || true &&
	echo "改过了" >expect &&
	test_cmp expect s/$(case_path 2026-000002) &&
	test_grep "left as it is" err
'

test_expect_success 'a racily clean hand edit is not hidden by the next index write' '
	fresh s &&
	git -C s config core.trustctime false &&
	git -C s config core.checkStat minimal &&
	f=$(case_path 2026-000003) &&
	git -C s update-index --refresh >/dev/null &&
	mtime=$(stat -c %Y s/$f) &&
	sed -i "s/电梯故障3/电梯故障X/" s/$f &&
	touch -d "@$mtime" s/$f &&
	touch -d "@$mtime" s/.git/index &&
	# (git diff-files sees it and, unlike git status, writes nothing)
	! git -C s diff-files --quiet &&
	docket -C s note 2026-000001 "下一条" >out 2>err &&
	git -C s status --porcelain >after &&
	test_grep "^ M $f" after
'

test_expect_success 'with core.autocrlf or an eol rule, checked-out cases stay writable' '
	fresh s &&
	git -C s rm -q --cached .gitattributes &&
	rm s/.gitattributes &&
	git -C s commit -q -m "no attributes" &&
	git -C s config core.autocrlf true &&
	echo "*.yaml text eol=crlf" >s/.git/info/attributes &&
	rm -r s/cases &&
	git -C s checkout -- . &&
	test_grep "$(printf "\r")" s/$(case_path 2026-000001) &&
	docket -C s check >out 2>err &&
	docket -C s list >out 2>err &&
	test_line_count = 4 out &&
	docket -C s note 2026-000001 "换行符不同" >out 2>err &&
	docket -C s check >out 2>err
'

test_expect_success 'init makes case files immune to eol rules (.gitattributes)' '
	test_grep "^cases/\*\* -text" tmpl/.gitattributes &&
	test_grep "^docket.yaml -text" tmpl/.gitattributes
'

test_expect_success 'a FIFO at a case path is named and skipped, never waited on' '
	fresh s &&
	rm s/$(case_path 2026-000002) &&
	mkfifo s/$(case_path 2026-000002) &&
	code=0 && timeout 20 docket -C s list >out 2>err || code=$? &&
	test $code = 1 &&
	test_grep "not a regular file" err &&
	test_line_count = 3 out &&
	code=0 && timeout 20 docket -C s check >out 2>err || code=$? &&
	test $code = 1 &&
	test_grep "2026-000002" err &&
	code=0 && timeout 20 docket -C s report --month 2026-11 >out 2>err ||
		code=$? &&
	test $code = 1 && test_grep "not a regular file" err &&
	code=0 && timeout 20 docket -C s remind --dry-run >out 2>err ||
		code=$? &&
	test $code -le 1 && test_grep "not a regular file" err &&
	code=0 && timeout 20 docket -C s show 2026-000002 >out 2>err ||
		code=$? &&
	test $code = 1 && test_grep "not a regular file" err &&
	code=0 && timeout 20 docket -C s note 2026-000002 x >out 2>err ||
		code=$? &&
	test $code = 1 &&
	timeout 20 docket -C s file --channel web --subject 照常登记 >id 2>err
'

test_expect_success 'a FIFO at a case path in a new folder is named too' '
	fresh s &&
	mkdir -p s/cases/2026/005 &&
	mkfifo s/cases/2026/005/2026-005000.yaml &&
	code=0 && timeout 20 docket -C s list >out 2>err || code=$? &&
	test $code = 1 &&
	test_grep "2026-005000.*not a regular file" err &&
	test_line_count = 4 out
'

test_expect_success 'a FIFO at .git/docket-pending is named, never waited on' '
	fresh s &&
	mkfifo s/.git/docket-pending &&
	code=0 &&
	timeout 20 docket -C s file --channel web --subject x >id 2>err ||
		code=$? &&
	test $code = 1 &&
	test_grep "docket-pending.*not a regular file" err &&
	code=0 && timeout 20 docket -C s check >out 2>err || code=$? &&
	test $code = 1 &&
	timeout 20 docket -C s list >out 2>err
'

test_expect_success 'a FIFO at docket.yaml is named, never waited on' '
	fresh s &&
	rm s/docket.yaml && mkfifo s/docket.yaml &&
	code=0 && timeout 20 docket -C s list >out 2>err || code=$? &&
	test $code = 1 &&
	test_grep "docket.yaml.*not a regular file" err
'

test_expect_success 'a store restored from a tar backup: the first scan refreshes the index' '
	fresh s &&
	tar -C s -cf s.tar . &&
	rm -rf r && mkdir r && tar -C r -xf s.tar &&
	git -C r ls-files --debug $(case_path 2026-000001) >before &&
	ino=$(stat -c %i r/$(case_path 2026-000001)) &&
	! grep -q "ino: $ino$" before &&
	docket -C r list >out 2>err &&
	git -C r ls-files --debug $(case_path 2026-000001) >after &&
	test_grep "ino: $ino$" after &&
	assert_clean r
'

test_expect_success 'under umask 000 nothing docket or git writes is world-writable' '
	rm -rf u &&
	(umask 000 && docket init u >out &&
	 docket -C u file --channel web --subject 私密 >id &&
	 docket -C u note 2026-000001 "备注" >out) &&
	find u \( -perm -o+w -o -perm -o+r \) ! -type l >loose &&
	test_must_be_empty loose
'

test_expect_success 'bulk intake stopped by SIGINT: finishes the case in hand, says so' '
	fresh s &&
	python3 -c "
import json
for i in range(400):
    print(\"---\")
    print(json.dumps({\"channel\": \"web\", \"subject\": \"批量%d\" % i,
                      \"phone\": \"139%08d\" % i}, ensure_ascii=False))
" >many.yaml &&
	{ docket -C s file --from many.yaml >ids 2>err & pid=$!; } &&
	n=0 &&
	while [ "$(wc -l <ids)" -lt 5 ] && [ $n -lt 300 ]; do
		sleep 0.1; n=$((n + 1))
	done &&
	kill -INT $pid &&
	code=0 && wait $pid || code=$? &&
	test $code = 1 &&
	test_grep "stopped by a signal: filed [0-9]* of the 400" err &&
	filed=$(sed -n "s/.*filed \([0-9]*\) of the 400.*/\1/p" err) &&
	test "$(wc -l <ids)" = "$filed" &&
	test "$(commit_count s)" = $(( $(commit_count tmpl) + filed )) &&
	while read -r id; do
		git -C s cat-file -e "HEAD:$(case_path $id)" || exit 1
	done <ids &&
	assert_clean s &&
	docket -C s check >out
'

# Killed where the batch still holds git's lock and its journal: at its
# end (a kill at a random moment raced the batch on a busy machine and
# sometimes came after it had finished).
test_expect_success 'bulk intake killed (-9): git is held off, check says so, the next command finishes' '
	fresh s &&
	code=0 &&
	(cd s && DOCKET_FAULT=batch-end "$DF" file --from ../many.yaml \
		>../ids 2>../err) || code=$? &&
	test $code = 137 &&
	test "$(wc -l <ids)" = 400 &&
	! git -C s commit -q -a -m "tidy up" 2>gerr &&
	test_grep "index.lock" gerr &&
	code=0 && docket -C s check >out 2>err || code=$? &&
	test $code = 1 &&
	test_grep "interrupted" err &&
	docket -C s note 2026-000001 "之后" >out 2>err &&
	assert_clean s &&
	while read -r id; do
		git -C s cat-file -e "HEAD:$(case_path $id)" || exit 1
	done <ids &&
	docket -C s check >out
'

test_done
