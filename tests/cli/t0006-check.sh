#!/bin/sh
test_description='docket check: validate docket.yaml and every case, keep going'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER

C1=cases/2026/000/2026-000001.yaml
C2=cases/2026/000/2026-000002.yaml
C3=cases/2026/000/2026-000003.yaml
C4=cases/2026/000/2026-000004.yaml

# hand_commit DIR MESSAGE: commit every change in DIR with plain git, as a
# person editing the store by hand would
hand_commit () {
	git -C "$1" add -A &&
	git -C "$1" commit -q -m "$2"
}

test_expect_success 'check passes on a fresh store' '
	docket_init_store empty &&
	(cd empty && docket check >../out 2>../err) &&
	test_must_be_empty err
'

test_expect_success 'setup: four cases, one with an attachment, one a repeat' '
	docket_init_store s &&
	(cd s &&
	 docket file --channel phone --phone 13800000000 --subject 电梯故障 \
		--attach "$TEST_DATA/photo.jpg" >/dev/null &&
	 docket file --from "$TEST_DATA/from-full.yaml" >/dev/null &&
	 docket file --from "$TEST_DATA/form.json" >/dev/null &&
	 docket file --channel phone --phone 13800000000 --subject 又坏了 \
		>/dev/null 2>&1) &&
	test -f s/$C4 &&
	git -C s tag good
'

test_expect_success 'check passes on a good store, exit 0, nothing on stderr' '
	(cd s && docket check >../out 2>../err) &&
	test_must_be_empty err &&
	test_grep 4 out
'

test_expect_success 'check passes on cases closed and assigned (added by hand)' '
	docket_init_store h &&
	mkdir -p h/cases/2026/000 &&
	cp "$TEST_DATA/closed-case.yaml" h/$C1 &&
	cp "$TEST_DATA/assigned-case.yaml" h/$C2 &&
	hand_commit h "two cases" &&
	(cd h && docket check >../out 2>../err) &&
	test_must_be_empty err
'

test_expect_success 'check changes nothing in a good store' '
	store_state s >before &&
	(cd s && docket check >../out) &&
	store_state s >after &&
	test_cmp before after
'

test_expect_success 'a committed case file with a syntax error: FILE:LINE:COL, exit 1' '
	sed "s/^channel: phone/channel: [phone/" s/$C1 >tmp &&
	cat tmp >s/$C1 &&
	hand_commit s "hand edit: break case 1" &&
	store_state s >before &&
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep -E "$C1:[0-9]+:[0-9]+: " err &&
	store_state s >after &&
	test_cmp before after
'

test_expect_success 'check keeps going: a bad value in another case is reported too' '
	sed "s/^status: received/status: bogus/" s/$C3 >tmp &&
	cat tmp >s/$C3 &&
	hand_commit s "hand edit: bad status in case 3" &&
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep -E "$C1:[0-9]+:[0-9]+: " err &&
	test_grep -E "$C3:3:[0-9]+: .*status" err
'

test_expect_success 'check does not report the good cases' '
	! grep -q "2026-000002" err &&
	! grep -q "2026-000004" err
'

test_expect_success 'a case file not at the path its id gives is reported' '
	git -C s reset -q --hard good &&
	sed "s/^id: 2026-000002/id: 2026-000007/" s/$C2 >tmp &&
	cat tmp >s/$C2 &&
	hand_commit s "hand edit: wrong id" &&
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep "$C2" err &&
	test_grep "2026-000007" err
'

test_expect_success 'a case without its required events is reported' '
	git -C s reset -q --hard good &&
	sed "/^events:/,\$d" s/$C2 >tmp &&
	cat tmp >s/$C2 &&
	hand_commit s "hand edit: drop events" &&
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep -E "$C2:[0-9]+:[0-9]+: .*events" err
'

test_expect_success 'an unknown key is kept and reported with FILE:LINE:COL' '
	git -C s reset -q --hard good &&
	echo "x_note: 手工添加" >>s/$C2 &&
	hand_commit s "hand edit: unknown key" &&
	lines=$(wc -l <s/$C2) &&
	(cd s && test_must_fail docket check >../out 2>../err) &&
	test_grep -E "$C2:$lines:[0-9]+: .*x_note" err &&
	test_grep -x "x_note: 手工添加" s/$C2
'

test_expect_success 'a hand-edited file not yet committed is reported, naming it' '
	git -C s reset -q --hard good &&
	echo "x_note: 未提交" >>s/$C2 &&
	store_state s >before &&
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep "$C2" err &&
	store_state s >after &&
	test_cmp before after
'

test_expect_success 'a case file not committed at all is reported' '
	git -C s reset -q --hard good &&
	cp s/$C2 s/cases/2026/000/2026-000009.yaml &&
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep "cases/2026/000/2026-000009.yaml" err
'

test_expect_success 'a case file deleted by hand is reported' '
	git -C s reset -q --hard good && git -C s clean -q -f &&
	rm s/$C3 &&
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep "$C3" err
'

test_expect_success 'check --repair restores a deleted case file from the last commit' '
	(cd s && docket check --repair >../out) &&
	test -f s/$C3 &&
	assert_clean s &&
	test "$(git -C s rev-parse HEAD)" = "$(git -C s rev-parse good)" &&
	(cd s && docket check >../out)
'

test_expect_success 'a case file removed with git rm but not committed is reported' '
	git -C s reset -q --hard good &&
	git -C s rm -q $C3 &&
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep "$C3.*missing" err
'

test_expect_success 'check --repair restores it from the last commit' '
	(cd s && docket check --repair >../out) &&
	test -f s/$C3 &&
	test_grep "1 file restored" out &&
	assert_clean s &&
	(cd s && docket check >../out) &&
	git -C s reset -q --hard good
'

test_expect_success 'check reads cases from the cache the same as from the files' '
	git -C s reset -q --hard good &&
	rm -f s/.git/docket-cache &&
	(cd s && docket check >../cold) &&
	test -s s/.git/docket-cache &&
	(cd s && docket check >../warm) &&
	test_cmp cold warm &&
	echo "x_note: 未提交" >>s/$C2 &&
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep "$C2.*x_note" err &&
	git -C s checkout -q -- $C2
'

test_expect_success 'setup: a second commit filing C1 again, by hand' '
	git -C s reset -q --hard good &&
	(cd s && docket check >../out) &&
	test -s s/.git/docket-actions &&
	git -C s commit -q --allow-empty \
		-m "file 2026-000001" -m "Case: 2026-000001
Action: file"
'

test_expect_success 'check counts the commits made since it last looked' '
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep "$C1: history has 2 .file. commits but the file has 1" err
'

test_expect_success 'with the history rewound, check counts it afresh' '
	git -C s reset -q --hard good &&
	(cd s && docket check >../out 2>../err) &&
	test_must_be_empty err
'

test_expect_success 'a history with a merge is counted whole' '
	git -C s reset -q --hard good &&
	rm -f s/.git/docket-actions &&
	git -C s checkout -q -b side &&
	git -C s commit -q --allow-empty \
		-m "file 2026-000001" -m "Case: 2026-000001
Action: file" &&
	git -C s checkout -q - &&
	git -C s commit -q --allow-empty -m "unrelated" &&
	git -C s merge -q --no-edit side &&
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep "$C1: history has 2 .file. commits but the file has 1" err &&
	git -C s reset -q --hard good &&
	git -C s branch -q -D side
'

test_expect_success 'a damaged history count file is rebuilt, same result' '
	git -C s commit -q --allow-empty \
		-m "file 2026-000001" -m "Case: 2026-000001
Action: file" &&
	printf "DKTACTS\\000junk" >s/.git/docket-actions &&
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep "$C1: history has 2 .file. commits" err &&
	test $(stat -c %s s/.git/docket-actions) -gt 40 &&
	git -C s reset -q --hard good
'

test_expect_success 'cases imported by one plain commit, then worked with docket: check is clean' '
	/usr/bin/python3 "$DOCKET_ROOT/tests/report/gen_store.py" imp \
		--cases 40 --start 2026-01-01 --months 3 \
		--now 2026-11-27T18:00:00+08:00 >/dev/null &&
	f=$(cd imp && grep -l "action: note" cases/*/*/*.yaml | head -n 1) &&
	id=$(basename "$f" .yaml) &&
	before=$(grep -c "action: note" "imp/$f") &&
	(cd imp && DOCKET_NOW=2026-11-30T10:00:00+08:00 docket --as chen.jing \
		note "$id" 已补充说明 2>/dev/null) &&
	test "$(grep -c "action: note" "imp/$f")" = $((before + 1)) &&
	(cd imp && docket check >../out 2>../err) &&
	test_grep "0 problems" out &&
	git -C imp commit -q --allow-empty -m "note $id" -m "Case: $id
Action: note" &&
	git -C imp commit -q --allow-empty -m "note $id" -m "Case: $id
Action: note" &&
	git -C imp commit -q --allow-empty -m "note $id" -m "Case: $id
Action: note" &&
	(cd imp && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep "history has 4 .note. commits but the file has $((before + 1))" err
'

test_expect_success 'an attachment that no longer matches its sha256 is reported' '
	git -C s reset -q --hard good &&
	echo "replaced" >s/attachments/2026-000001/photo.jpg &&
	hand_commit s "hand edit: replace the photo" &&
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep "attachments/2026-000001/photo.jpg" err
'

test_expect_success 'a broken docket.yaml is reported with FILE:LINE:COL' '
	git -C s reset -q --hard good &&
	sed "s/^default_priority: normal/default_priority: nope/" \
		s/docket.yaml >tmp &&
	cat tmp >s/docket.yaml &&
	hand_commit s "hand edit: bad default priority" &&
	line=$(grep -n "^default_priority:" s/docket.yaml | cut -d: -f1) &&
	(cd s && test_expect_code 1 docket check >../out 2>../err) &&
	test_grep -E "docket.yaml:$line:[0-9]+: .*nope" err
'

test_expect_success 'check with an argument is a usage error' '
	git -C s reset -q --hard good &&
	expect_refusal --code 2 s "^usage: docket check" docket check extra
'

if docket_has_command triage; then
	test_set_prereq TRIAGE
fi

test_expect_success TRIAGE 'a write command refuses a hand-edited case, naming the file' '
	git -C s reset -q --hard good &&
	echo "x_note: 未提交" >>s/$C2 &&
	expect_refusal s "$C2" docket triage 2026-000002 --accept
'

test_done
