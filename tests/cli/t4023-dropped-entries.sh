#!/bin/sh
test_description='a git command that writes back an index it read before a
docket commit (git stash pop does) loses no case: the next docket write
stages it again, or records again what a plain commit deleted (DESIGN 11)'
. "$(dirname "$0")/lib.sh"

DOCKET_USER=tester
DOCKET_NOW=2026-11-20T10:00:00+08:00
export DOCKET_USER DOCKET_NOW

# fresh DIR: a copy of the template store (cases 1-2)
fresh () {
	rm -rf "$1" && cp -a tmpl "$1"
}

# stale DIR CMD...: run a docket command while "a git command" holds a
# copy of the index read before it, and write that copy back after, as
# `git stash pop` does when it races a docket write
stale () {
	stale_dir_=$1
	shift
	cp "$stale_dir_/.git/index" stale.index &&
	"$@" &&
	cp stale.index "$stale_dir_/.git/index"
}

test_expect_success 'setup: a store with two cases' '
	docket_init_store tmpl &&
	docket -C tmpl file --channel phone --phone 13800000001 \
		--subject "电梯故障" >id1 &&
	docket -C tmpl file --channel phone --phone 13800000002 \
		--subject "噪声扰民" >id2 &&
	git -C tmpl config user.name Admin &&
	git -C tmpl config user.email admin@example.org &&
	echo "admin notes" >tmpl/notes.txt &&
	git -C tmpl add notes.txt && git -C tmpl commit -q -m "admin notes" &&
	assert_clean tmpl
'

test_expect_success 'the reproduction: a stale index makes git commit -a
delete a case docket filed (what the next write mends)' '
	fresh s &&
	stale s docket -C s file --channel web --subject 新投诉 >id &&
	p=$(case_path $(cat id)) &&
	git -C s status --porcelain >st &&
	test_grep "^D  $p" st &&
	git -C s commit -q -a -m "admin edit" &&
	! git -C s cat-file -e HEAD:$p
'

test_expect_success 'a case dropped from the index is staged again by the
next docket write, with a warning naming it' '
	fresh s &&
	stale s docket -C s file --channel web --subject 新投诉 >id &&
	p=$(case_path $(cat id)) &&
	docket -C s note $(cat id1) "已电话联系" 2>err &&
	test_grep "$p" err &&
	test_grep "git stash pop" err &&
	assert_clean s &&
	echo "edit" >>s/notes.txt &&
	git -C s commit -q -a -m "admin edit" &&
	git -C s cat-file -e HEAD:$p &&
	docket -C s check
'

test_expect_success 'a case a plain commit deleted while its file stayed is
recorded again by the next docket write' '
	fresh s &&
	stale s docket -C s file --channel web --subject 新投诉 >id &&
	p=$(case_path $(cat id)) &&
	echo "edit" >>s/notes.txt &&
	git -C s commit -q -a -m "admin edit" &&
	! git -C s cat-file -e HEAD:$p &&
	docket -C s note $(cat id1) "已电话联系" 2>err &&
	test_grep "$p" err &&
	git -C s cat-file -e HEAD:$p &&
	git -C s log -1 --format=%B >msg &&
	test_grep "^Restored: $p$" msg &&
	test_grep "^Case: $(cat id1)$" msg &&
	git -C s show HEAD:$p >case &&
	test_grep "subject: 新投诉" case &&
	assert_clean s &&
	docket -C s check &&
	docket -C s show $(cat id) >show &&
	test_grep "新投诉" show
'

test_expect_success 'also when several plain commits came after the one
that deleted it' '
	fresh s &&
	stale s docket -C s file --channel web --subject 新投诉 >id &&
	p=$(case_path $(cat id)) &&
	for i in 1 2 3; do
		echo "edit $i" >>s/notes.txt &&
		git -C s commit -q -a -m "admin edit $i" || exit 1
	done &&
	docket -C s file --channel web --subject 又一件 >id3 &&
	git -C s cat-file -e HEAD:$p &&
	git -C s cat-file -e HEAD:$(case_path $(cat id3)) &&
	assert_clean s &&
	docket -C s check
'

test_expect_success 'a note staged back to its old contents is staged as
recorded again (a plain git commit would have undone the note)' '
	fresh s &&
	p=$(case_path $(cat id2)) &&
	stale s docket -C s note $(cat id2) "第一次回访" &&
	git -C s status --porcelain >st &&
	test_grep "^MM $p" st &&
	docket -C s note $(cat id1) "已电话联系" 2>err &&
	test_grep "$p" err &&
	assert_clean s &&
	git -C s commit -q --allow-empty -m "admin: nothing" &&
	git -C s show HEAD:$p >case &&
	test_grep "第一次回访" case
'

test_expect_success 'a bulk intake mends too' '
	fresh s &&
	stale s docket -C s file --channel web --subject 新投诉 >id &&
	printf -- "---\n{channel: web, subject: 批量一}\n---\n{channel: web, subject: 批量二}\n" >bulk.yaml &&
	docket -C s file --from bulk.yaml >ids 2>err &&
	test_line_count = 2 ids &&
	assert_clean s &&
	git -C s cat-file -e HEAD:$(case_path $(cat id))
'

test_expect_success 'a case removed with git rm stays removed' '
	fresh s &&
	p=$(case_path $(cat id2)) &&
	git -C s rm -q $p &&
	git -C s commit -q -m "removed by hand" &&
	docket -C s note $(cat id1) "已电话联系" 2>err &&
	! git -C s cat-file -e HEAD:$p &&
	test ! -e s/$p &&
	! grep -q "$p" err
'

test_expect_success 'a dropped case edited by hand since is left alone' '
	fresh s &&
	stale s docket -C s file --channel web --subject 新投诉 >id &&
	p=$(case_path $(cat id)) &&
	echo "# mine" >>s/$p &&
	docket -C s note $(cat id1) "已电话联系" 2>err &&
	! grep -q "$p" err &&
	git -C s status --porcelain >st &&
	test_grep "^D  $p" st &&
	test_grep "^?? $p" st &&
	tail -n 1 s/$p >last && echo "# mine" >expect && test_cmp expect last
'

test_expect_success 'a change staged by hand to a case is never undone' '
	fresh s &&
	p=$(case_path $(cat id2)) &&
	sed "s/噪声扰民/噪声扰民（更正）/" s/$p >tmp && cp tmp s/$p &&
	git -C s add $p &&
	git -C s checkout HEAD -- notes.txt &&
	docket -C s note $(cat id1) "已电话联系" 2>err &&
	! grep -q "$p" err &&
	git -C s diff --cached --name-only >staged &&
	echo $p >expect && test_cmp expect staged
'

test_expect_success 'the store lost nothing when kept alone: no warning' '
	fresh s &&
	docket -C s note $(cat id1) "已电话联系" 2>err &&
	test_must_be_empty err &&
	git -C s log -1 --format=%B >msg &&
	! grep -q "^Restored:" msg
'

test_expect_success 'docket check names such a case and --repair records
it again, with nothing else to write' '
	fresh s &&
	stale s docket -C s file --channel web --subject 新投诉 >id &&
	p=$(case_path $(cat id)) &&
	echo "edit" >>s/notes.txt &&
	git -C s commit -q -a -m "admin edit" &&
	test_must_fail docket -C s check >out 2>err &&
	test_grep "$p: not committed" err &&
	test_grep "check --repair" err &&
	n=$(commit_count s) &&
	docket -C s check --repair >out 2>err &&
	test_grep "0 problems, 1 file restored" out &&
	test $(commit_count s) = $((n + 1)) &&
	git -C s log -1 --format=%B >msg &&
	test_grep "^Restored: $p$" msg &&
	test_grep "^Action: repair$" msg &&
	assert_clean s &&
	docket -C s check --repair >out &&
	test $(commit_count s) = $((n + 1))
'

test_expect_success 'check --repair stages a lost index entry again' '
	fresh s &&
	stale s docket -C s file --channel web --subject 新投诉 >id &&
	n=$(commit_count s) &&
	docket -C s check --repair >out 2>err &&
	test $(commit_count s) = $n &&
	assert_clean s
'

test_expect_success 'after git status rewrote the index the case entries
are known as docket wrote them; a damaged digest only costs time' '
	fresh s &&
	docket -C s note $(cat id1) "第一次" &&
	test -s s/.git/docket-index-cases &&
	touch s/$(case_path $(cat id1)) && git -C s status --porcelain &&
	docket -C s note $(cat id1) "第二次" 2>err &&
	test_must_be_empty err &&
	echo garbage >s/.git/docket-index-cases &&
	stale s docket -C s file --channel web --subject 新投诉 >id &&
	docket -C s note $(cat id1) "第三次" 2>err &&
	test_grep "$(case_path $(cat id))" err &&
	assert_clean s
'

test_done
