#!/bin/sh
test_description='note --attach adds signed copies after filing; show lists them; attachment writes one out'
. "$(dirname "$0")/lib.sh"
. "$DOCKET_ROOT/tests/cli/lib-cases.sh"

test_expect_success 'setup: an assigned case filed with a photo' '
	setup_store s &&
	id=$(cd s && DOCKET_NOW=2026-09-28T09:00:00+08:00 docket --as zhang.wei \
		file --channel visit --phone 13900000001 --subject 复合肥结块 \
		--respondent 某农资店 --attach "$TEST_DATA/photo.jpg") &&
	test "$id" = 2026-000001 &&
	run_at s 2026-09-28T10:00:00 chen.jing triage 2026-000001 --accept \
		--category fertilizer &&
	run_at s 2026-09-28T11:00:00 chen.jing assign 2026-000001 --to sun.li &&
	printf "%%PDF-1.4 signed agreement\n" >协议-签字.pdf &&
	printf "receipt\n" >回执.jpg
'

test_expect_success 'note --attach records the note and the files in one commit' '
	before=$(commit_count s) &&
	run_at s 2026-10-09T14:00:00 sun.li note 2026-000001 \
		"调解协议书已由双方签字，扫描件附后" \
		--attach ../协议-签字.pdf --attach ../回执.jpg >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	test "$(commit_count s)" = $((before + 1)) &&
	assert_clean s &&
	git -C s show --name-only --format= HEAD >files &&
	cat >expect <<-\EOF &&
	"attachments/2026-000001/\345\215\217\350\256\256-\347\255\276\345\255\227.pdf"
	"attachments/2026-000001/\345\233\236\346\211\247.jpg"
	cases/2026/000/2026-000001.yaml
	EOF
	test_cmp expect files &&
	cmp 协议-签字.pdf s/attachments/2026-000001/协议-签字.pdf &&
	cmp 回执.jpg s/attachments/2026-000001/回执.jpg &&
	test "$(case_get s 2026-000001 attachments.1.path)" = \
		attachments/2026-000001/协议-签字.pdf &&
	test "$(case_get s 2026-000001 attachments.1.sha256)" = \
		"$(sha256sum <协议-签字.pdf | cut -c1-64)" &&
	test "$(case_get s 2026-000001 attachments.2.path)" = \
		attachments/2026-000001/回执.jpg &&
	cat >expect <<-\EOF &&
	{"action": "note", "at": "2026-10-09T14:00:00+08:00", "attach": ["协议-签字.pdf", "回执.jpg"], "by": "sun.li", "text": "调解协议书已由双方签字，扫描件附后"}
	EOF
	last_event s 2026-000001 >actual &&
	test_cmp expect actual &&
	last_commit s >msg &&
	test_grep "^note 2026-000001: 复合肥结块$" msg &&
	docket -C s check
'

test_expect_success 'a second file of an existing name becomes 2-NAME; nothing is overwritten' '
	mkdir again && printf "second receipt\n" >again/回执.jpg &&
	run_at s 2026-10-10T09:00:00 sun.li note 2026-000001 "第二份回执" \
		--attach ../again/回执.jpg &&
	cmp 回执.jpg s/attachments/2026-000001/回执.jpg &&
	cmp again/回执.jpg s/attachments/2026-000001/2-回执.jpg &&
	test "$(case_get s 2026-000001 attachments.3.path)" = \
		attachments/2026-000001/2-回执.jpg &&
	test "$(case_get s 2026-000001 events.4.attach)" = 2-回执.jpg
'

test_expect_success 'an untracked file at the name is left alone: the copy takes the next name' '
	echo "not docket'\''s" >s/attachments/2026-000001/3-回执.jpg &&
	echo "third" >third.jpg && mkdir t3 && cp third.jpg t3/回执.jpg &&
	run_at s 2026-10-10T09:10:00 sun.li note 2026-000001 "第三份" \
		--attach ../t3/回执.jpg &&
	test "$(cat s/attachments/2026-000001/3-回执.jpg)" = "not docket'\''s" &&
	cmp third.jpg s/attachments/2026-000001/4-回执.jpg &&
	rm s/attachments/2026-000001/3-回执.jpg &&
	assert_clean s
'

test_expect_success 'show lists the attachments numbered, with their sizes' '
	docket -C s show 2026-000001 --format text >show &&
	test_grep "^Attachments:  1  attachments/2026-000001/photo.jpg  (" show &&
	size=$(wc -c <协议-签字.pdf) &&
	test_grep "^              2  attachments/2026-000001/协议-签字.pdf  ($size bytes)$" show &&
	test_grep "^              4  attachments/2026-000001/2-回执.jpg  (" show &&
	test_grep "^              5  attachments/2026-000001/4-回执.jpg  (" show
'

test_expect_success 'show says when an attachment is missing from the work tree' '
	mv s/attachments/2026-000001/回执.jpg gone.jpg &&
	docket -C s show 2026-000001 --format text >show &&
	mv gone.jpg s/attachments/2026-000001/回执.jpg &&
	test_grep "3  attachments/2026-000001/回执.jpg  (missing; .docket check --repair. restores it)" show
'

test_expect_success 'attachment ID N writes the file as attached, by number or by name' '
	docket -C s attachment 2026-000001 2 >got.pdf &&
	cmp 协议-签字.pdf got.pdf &&
	docket -C s attachment 2026-000001 photo.jpg >got.jpg &&
	cmp "$TEST_DATA/photo.jpg" got.jpg &&
	docket -C s attachment 2026-000001 3 -o out.jpg &&
	cmp 回执.jpg out.jpg &&
	test "$(stat -c %a out.jpg)" = 600 &&
	docket -C s attachment 2026-000001 4 -oout4.jpg &&
	cmp again/回执.jpg out4.jpg
'

test_expect_success 'attachment writes what was recorded, not a work-tree copy changed since' '
	cp s/attachments/2026-000001/回执.jpg keep.jpg &&
	echo changed >s/attachments/2026-000001/回执.jpg &&
	docket -C s attachment 2026-000001 3 >got &&
	cp keep.jpg s/attachments/2026-000001/回执.jpg &&
	cmp 回执.jpg got
'

test_expect_success 'attachment refuses contents committed over the recorded sha256' '
	git clone -q s s2 &&
	echo tampered >s2/attachments/2026-000001/回执.jpg &&
	git -C s2 commit -q -a -m "hand edit" &&
	test_must_fail docket -C s2 attachment 2026-000001 3 >out 2>err &&
	test_must_be_empty out &&
	test_grep "does not match the sha256 recorded" err
'

test_expect_success 'attachment refuses an existing -o file, a wrong number or name' '
	echo mine >exists.pdf &&
	test_must_fail docket -C s attachment 2026-000001 2 -o exists.pdf 2>err &&
	test_grep "exists.pdf. already exists" err &&
	test "$(cat exists.pdf)" = mine &&
	test_must_fail docket -C s attachment 2026-000001 9 2>err &&
	test_grep "has 5 attachments; there is no number 9" err &&
	test_must_fail docket -C s attachment 2026-000001 0 2>err &&
	test_grep "no attachment .0." err &&
	test_must_fail docket -C s attachment 2026-000001 nosuch.pdf 2>err &&
	test_grep "no attachment .nosuch.pdf." err &&
	test_expect_code 2 docket -C s attachment 2026-000001 2>err &&
	test_grep "usage: docket attachment ID N" err
'

test_expect_success 'attachment of a case without attachments says so' '
	new_case s 2026-09-29 >id2 &&
	test_must_fail docket -C s attachment "$(cat id2)" 1 2>err &&
	test_grep "has no attachments" err
'

test_expect_success 'attachment will not write a binary file to a terminal' '
	printf "\000\001\002binary" >bin.dat &&
	run_at s 2026-10-12T09:00:00 sun.li note 2026-000001 二进制 \
		--attach ../bin.dat &&
	test_expect_code 1 run_on_tty "" docket -C s attachment 2026-000001 6 >tty &&
	test_grep "is not text; write it to a file with -o FILE" tty
'

# --- refusals: nothing recorded, nothing written --------------------------

test_expect_success 'setup: hostile files to attach' '
	mkdir adir &&
	mkfifo fifo &&
	ln -s 协议-签字.pdf link.pdf &&
	truncate -s 26M big.pdf &&
	mkdir many && for n in 1 2 3 4 5; do truncate -s 24M many/$n.pdf; done &&
	echo x >.hidden
'

test_expect_success 'a directory is refused' '
	expect_refusal s "adir. is not a regular file \(a directory" \
		docket --as sun.li note 2026-000001 x --attach ../adir
'

test_expect_success 'a FIFO is refused without waiting on it' '
	expect_refusal s "fifo. is not a regular file \(a named pipe" \
		docket --as sun.li note 2026-000001 x --attach ../fifo
'

test_expect_success 'a symbolic link is refused' '
	expect_refusal s "link.pdf. is a symbolic link" \
		docket --as sun.li note 2026-000001 x --attach ../link.pdf
'

test_expect_success 'a file over 25 MB is refused' '
	expect_refusal s "big.pdf. is larger than the limit of 26214400 bytes" \
		docket --as sun.li note 2026-000001 x --attach ../big.pdf
'

test_expect_success 'more than 100 MB for one case is refused' '
	expect_refusal s "attached to case 2026-000001 would come to more than 100 MB" \
		docket --as sun.li note 2026-000001 x --attach ../many/1.pdf \
		--attach ../many/2.pdf --attach ../many/3.pdf \
		--attach ../many/4.pdf --attach ../many/5.pdf
'

test_expect_success 'a hidden or missing file is refused, also after a good one' '
	expect_refusal s "file name .\.hidden. cannot be kept" \
		docket --as sun.li note 2026-000001 x --attach ../回执.jpg \
		--attach ../.hidden &&
	expect_refusal s "cannot read .\.\./no-such\.pdf." \
		docket --as sun.li note 2026-000001 x --attach ../回执.jpg \
		--attach ../no-such.pdf
'

test_expect_success 'staff who may not note the case may not attach to it' '
	expect_refusal s "may not add notes to case 2026-000001" \
		docket --as qian.hao note 2026-000001 x --attach ../回执.jpg
'

test_expect_success 'the store is still sound' '
	docket -C s check &&
	assert_clean s
'

test_done
