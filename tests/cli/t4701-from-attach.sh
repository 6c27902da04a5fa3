#!/bin/sh
test_description='file --from: a document (a web form) cannot name local files; attachments come from --attach or from inside --attach-dir'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER

# form NAME ATTACH: a web-form document naming ATTACH (YAML flow text)
form () {
	printf 'channel: web\nemail: a@example.org\nsubject: 网站投诉\nattach: %s\n' \
		"$2" >"$1"
}

test_expect_success 'setup: a store, an upload directory and a secret outside it' '
	docket_init_store s &&
	mkdir -p up/2026-11-28 &&
	cp "$TEST_DATA/photo.jpg" up/2026-11-28/photo.jpg &&
	cp "$TEST_DATA/letter.pdf" up/letter.pdf &&
	echo "root:x:0:0:secret" >secret.txt &&
	ln -s ../secret.txt up/link.txt &&
	ln -s .. up/out &&
	mkfifo up/fifo
'

test_expect_success 'a document naming /etc/passwd is refused at its line and column; nothing is filed' '
	form passwd.yaml "/etc/passwd" &&
	expect_refusal s "passwd.yaml:4:9: .attach.: ./etc/passwd.: a --from document cannot name a local file.*--attach-dir" \
		docket file --from ../passwd.yaml &&
	test "$(commit_count s)" = 1 &&
	! git -C s grep -q root: HEAD
'

test_expect_success 'so is a relative name, and a list item is named where it stands' '
	printf "channel: web\nsubject: x\nattach:\n  - up/letter.pdf\n  - /proc/self/environ\n" \
		>list.yaml &&
	expect_refusal s "list.yaml:4:5: .*up/letter.pdf.*cannot name a local file" \
		docket file --from ../list.yaml &&
	test_grep "list.yaml:5:5: .*/proc/self/environ" err
'

test_expect_success 'with --attach-dir, an absolute path or .. is still refused' '
	form abs.yaml "$PWD/secret.txt" &&
	expect_refusal s "abs.yaml:4:9: .attach.: .*secret.txt. is not a name inside the --attach-dir directory" \
		docket file --from ../abs.yaml --attach-dir ../up &&
	form dotdot.yaml "../secret.txt" &&
	expect_refusal s "dotdot.yaml:4:9: .*not a name inside the --attach-dir" \
		docket file --from ../dotdot.yaml --attach-dir ../up &&
	form dotdot2.yaml "2026-11-28/../../secret.txt" &&
	expect_refusal s "dotdot2.yaml:4:9: .*not a name inside" \
		docket file --from ../dotdot2.yaml --attach-dir ../up
'

test_expect_success 'a symbolic link inside --attach-dir is not followed out, as a file or a directory' '
	form link.yaml link.txt &&
	expect_refusal s "link.yaml:4:9: .attach.: .link.txt. is a symbolic link" \
		docket file --from ../link.yaml --attach-dir ../up &&
	form out.yaml out/secret.txt &&
	expect_refusal s "out.yaml:4:9: .attach.: .out/secret.txt. goes through a symbolic link" \
		docket file --from ../out.yaml --attach-dir ../up &&
	! git -C s grep -q root: HEAD
'

test_expect_success 'only regular files: a FIFO inside --attach-dir is refused without blocking' '
	form fifo.yaml fifo &&
	expect_refusal s "fifo.yaml:4:9: .*fifo. is not a regular file" \
		docket file --from ../fifo.yaml --attach-dir ../up
'

test_expect_success 'names inside --attach-dir are attached with their sha256' '
	form ok.yaml "[2026-11-28/photo.jpg, letter.pdf]" &&
	(cd s && docket file --from ../ok.yaml --attach-dir ../up >../id) &&
	id=$(cat id) &&
	f=s/$(case_path $id) &&
	cmp up/2026-11-28/photo.jpg s/attachments/$id/photo.jpg &&
	cmp up/letter.pdf s/attachments/$id/letter.pdf &&
	test "$(yaml_get $f attachments.0.sha256)" = \
		"$(sha256sum <up/2026-11-28/photo.jpg | cut -c1-64)" &&
	assert_clean s
'

test_expect_success '--attach on the command line still takes any file the clerk names' '
	form none.yaml "[]" &&
	(cd s && docket file --from ../none.yaml --attach ../secret.txt >../id) &&
	cmp secret.txt s/attachments/$(cat id)/secret.txt
'

test_expect_success 'bulk intake: one bad name refuses the whole stream, at its document' '
	before=$(git -C s rev-parse HEAD) &&
	printf "channel: web\nsubject: a\nattach: letter.pdf\n---\nchannel: web\nsubject: b\nattach: [../secret.txt]\n" \
		>bulk.yaml &&
	test_must_fail docket -C s file --from "$PWD/bulk.yaml" \
		--attach-dir "$PWD/up" >out 2>err &&
	test_must_be_empty out &&
	test_grep "bulk.yaml:7:10: .*../secret.txt" err &&
	test_grep "1 of the 2 documents" err &&
	test "$(git -C s rev-parse HEAD)" = "$before"
'

test_expect_success 'bulk intake with --attach-dir files each document with its own files' '
	printf "channel: web\nsubject: a\nattach: letter.pdf\n---\nchannel: web\nsubject: b\nattach: [2026-11-28/photo.jpg]\n" \
		>bulk2.yaml &&
	docket -C s file --from "$PWD/bulk2.yaml" --attach-dir "$PWD/up" >ids &&
	test_line_count = 2 ids &&
	cmp up/letter.pdf s/attachments/$(head -n 1 ids)/letter.pdf &&
	cmp up/2026-11-28/photo.jpg s/attachments/$(tail -n 1 ids)/photo.jpg
'

test_expect_success '--attach-dir without --from is a usage error; a missing directory is named' '
	expect_refusal --code 2 s "--attach-dir goes with --from" \
		docket file --channel web --subject x --attach-dir ../up &&
	expect_refusal s "--attach-dir: cannot open the directory .\.\./nowhere." \
		docket file --from ../ok.yaml --attach-dir ../nowhere
'

test_expect_success 'completion offers --attach-dir and directories after it' '
	docket --complete file --attach- >out &&
	test_grep -x -e --attach-dir out &&
	docket --complete file --from f.yaml --attach-dir "" >out &&
	test_grep -x @dirs out
'

test_done
