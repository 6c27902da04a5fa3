#!/bin/sh
test_description='bad input: a clear message, exit 1 or 2, nothing changed'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER

# Every refusal below goes through expect_refusal (lib.sh): exit 1 or 2,
# nothing on stdout, "docket: ..." on stderr matching the pattern, and the
# store exactly as before: no commit, no changed or new file.

# refuse_file PATTERN ARGS...: `docket file ARGS` in the store s, with the
# fields a valid case needs unless ARGS give them
refuse_file () {
	test_pattern_f_=$1
	shift
	expect_refusal s "$test_pattern_f_" docket file "$@"
}

test_expect_success 'setup: a store with two cases' '
	docket_init_store s &&
	(cd s &&
	 docket file --channel phone --phone 13800000000 --subject 电梯故障 \
		>/dev/null &&
	 docket file --channel web --subject 匿名举报 >/dev/null) &&
	test "$(commit_count s)" = 3
'

BAD=$(printf '\377\376')
ESC=$(printf '\033')
RLO=$(printf '\342\200\256')

test_expect_success 'invalid UTF-8 in --subject is refused' '
	refuse_file "subject.*UTF-8|UTF-8.*subject" --channel phone \
		--phone 13800000001 --subject "bad${BAD}text"
'

test_expect_success 'invalid UTF-8 in --name is refused' '
	refuse_file "name.*UTF-8|UTF-8.*name" --channel phone \
		--phone 13800000001 --subject x --name "李${BAD}"
'

test_expect_success 'invalid UTF-8 in a description read from stdin is refused' '
	printf "第一行\n坏${BAD}字节\n" >desc &&
	refuse_file "description.*UTF-8|UTF-8.*description" --channel phone \
		--phone 13800000001 --subject x --description - <desc
'

test_expect_success 'an escape character (ESC) in --subject is refused' '
	refuse_file "subject.*control|control.*subject" --channel phone \
		--phone 13800000001 --subject "red${ESC}[31mtext"
'

test_expect_success 'an escape character in --description is refused' '
	refuse_file "description.*control|control.*description" \
		--channel phone --phone 13800000001 --subject x \
		--description "a${ESC}]0;title${ESC}\\b"
'

test_expect_success 'a bidi override (U+202E) in --respondent is refused' '
	refuse_file "respondent" --channel phone --phone 13800000001 \
		--subject x --respondent "abc${RLO}def"
'

test_expect_success 'a bidi override (U+202E) in --subject is refused' '
	refuse_file "subject" --channel phone --phone 13800000001 \
		--subject "${RLO}gpj.exe"
'

test_expect_success 'a line break in --subject is refused' '
	refuse_file "subject" --channel phone --phone 13800000001 \
		--subject "$(printf "one\ntwo")"
'

test_expect_success 'a control character in --from is refused with FILE:LINE:COL' '
	printf "channel: web\nphone: \"13800000001\"\nsubject: \"esc\\\\e[31m\"\n" \
		>esc.yaml &&
	refuse_file "esc.yaml:3:[0-9]+: " --from "$PWD/esc.yaml"
'

test_expect_success 'a control character in a JSON --from is refused' '
	printf "{\"channel\": \"web\", \"subject\": \"a\\\\u001bb\"}\n" >esc.json &&
	refuse_file "esc.json:1:[0-9]+: " --from "$PWD/esc.json"
'

test_expect_success 'invalid UTF-8 in a --from file is refused with FILE:LINE:COL' '
	printf "channel: web\nsubject: \"bad${BAD}\"\n" >bad.yaml &&
	refuse_file "bad.yaml:2:[0-9]+: .*UTF-8" --from "$PWD/bad.yaml"
'

test_expect_success 'an unknown channel is refused, naming it' '
	refuse_file "fax" --channel fax --phone 13800000001 --subject x
'

test_expect_success 'an unknown category is refused, naming it' '
	refuse_file "no-such-category" --channel phone --phone 13800000001 \
		--subject x --category no-such-category
'

test_expect_success 'an unknown priority is refused, naming it' '
	refuse_file "whenever" --channel phone --phone 13800000001 \
		--subject x --priority whenever
'

test_expect_success 'an unknown field in --from is refused with FILE:LINE:COL' '
	refuse_file "from-unknown-field.yaml:4:1: .*colour" \
		--from "$TEST_DATA/from-unknown-field.yaml"
'

test_expect_success 'a list where --from wants text (subject: [a, b]) is refused' '
	refuse_file "from-wrong-type.yaml:2:[0-9]+: .*subject" \
		--from "$TEST_DATA/from-wrong-type.yaml"
'

test_expect_success 'text where --from wants a number (count: many) is refused' '
	printf "channel: web\nsubject: x\nphone: \"13800000001\"\ncount: many\n" \
		>count.yaml &&
	refuse_file "count.yaml:4:[0-9]+: .*count" --from "$PWD/count.yaml"
'

test_expect_success 'text where --from wants true or false (anonymous: maybe) is refused' '
	printf "channel: web\nsubject: x\nanonymous: maybe\n" >anon.yaml &&
	refuse_file "anon.yaml:3:[0-9]+: .*anonymous" --from "$PWD/anon.yaml"
'

test_expect_success 'a --from file that is a list, not a mapping, is refused' '
	refuse_file "from-list.yaml:1:1: " --from "$TEST_DATA/from-list.yaml"
'

test_expect_success 'a duplicate key in --from is refused' '
	printf "channel: web\nsubject: a\nsubject: b\nphone: \"13800000001\"\n" \
		>dup.yaml &&
	refuse_file "dup.yaml:3:[0-9]+: .*subject" --from "$PWD/dup.yaml"
'

test_expect_success 'a YAML tag in --from is refused' '
	printf "channel: web\nsubject: !!python/object:os.system x\n" >tag.yaml &&
	refuse_file "tag.yaml:2:[0-9]+: " --from "$PWD/tag.yaml"
'

test_expect_success 'a --from stream with one bad document files nothing' '
	printf "channel: web\nsubject: a\n---\nchannel: nope\nsubject: b\n" \
		>two.yaml &&
	refuse_file "two.yaml:4:[0-9]+: .*nope" --from "$PWD/two.yaml"
'

test_expect_success 'missing channel without a terminal is refused, naming it' '
	refuse_file "channel" --phone 13800000001 --subject x </dev/null
'

test_expect_success 'missing subject without a terminal is refused, naming it' '
	refuse_file "subject" --channel phone --phone 13800000001 </dev/null
'

test_expect_success 'missing fields with a pipe on stdin are refused, not prompted' '
	printf "phone\n电梯故障\n" >answers &&
	refuse_file "channel|subject" --phone 13800000001 <answers
'

test_expect_success 'a --from missing the subject is refused' '
	printf "{\"channel\": \"web\", \"phone\": \"13800000001\"}\n" >nosub.json &&
	refuse_file "subject" --from "$PWD/nosub.json"
'

test_expect_success 'a YAML alias bomb in --from is refused quickly' '
	start=$(date +%s) &&
	refuse_file "alias-bomb.yaml:[0-9]+:[0-9]+: .*(alias|anchor)" \
		--from "$TEST_DATA/alias-bomb.yaml" &&
	test $(( $(date +%s) - start )) -lt 10
'

test_expect_success 'a single alias in --from is refused too' '
	refuse_file "alias-subject.yaml:[0-9]+:[0-9]+: .*(alias|anchor)" \
		--from "$TEST_DATA/alias-subject.yaml"
'

test_expect_success 'a --description of 65536 bytes from stdin is accepted' '
	head -c 65536 /dev/zero | tr "\\000" a >desc-max &&
	(cd s && docket file --channel phone --phone 13800000001 --subject 长 \
		--description - <../desc-max >../id) &&
	test "$(yaml_get s/$(case_path $(cat id)) description | tr -d "\n" |
		wc -c)" = 65536 &&
	git -C s reset -q --hard HEAD~1
'

test_expect_success 'a --description over 65536 bytes is refused, naming the limit' '
	head -c 65537 /dev/zero | tr "\\000" a >desc-big &&
	refuse_file "description.*65536" --channel phone --phone 13800000001 \
		--subject x --description "$(cat desc-big)"
'

test_expect_success 'an oversized description from stdin is refused too' '
	refuse_file "65536" --channel phone --phone 13800000001 \
		--subject x --description - <desc-big
'

test_expect_success 'an oversized description in --from is refused' '
	{
		printf "channel: web\nsubject: x\ndescription: " &&
		cat desc-big
	} >big.yaml &&
	refuse_file "65536" --from "$PWD/big.yaml"
'

test_expect_success 'a --subject over 500 bytes is refused, naming the limit' '
	refuse_file "subject.*500" --channel phone --phone 13800000001 \
		--subject "$(head -c 501 /dev/zero | tr "\\000" a)"
'

test_expect_success 'a --phone over 64 bytes is refused, naming the limit' '
	refuse_file "phone.*64" --channel phone --subject x \
		--phone "$(head -c 65 /dev/zero | tr "\\000" 1)"
'

test_expect_success 'an attachment over 25 MiB is refused, naming the limit' '
	truncate -s 26M big.bin &&
	refuse_file "26214400|25 ?MiB" --channel phone --phone 13800000001 \
		--subject x --attach "$PWD/big.bin"
'

test_expect_success 'a malformed --occurred (2026-02-30) is refused' '
	refuse_file "--occurred: is not a date like" --channel phone \
		--phone 13800000001 --subject x --occurred 2026-02-30
'

test_expect_success 'an --occurred that is not a date is refused' '
	refuse_file "--occurred: is not a date like" --channel phone \
		--phone 13800000001 --subject x --occurred yesterday
'

test_expect_success 'an --occurred in the future is refused' '
	refuse_file "occurred" --channel phone --phone 13800000001 \
		--subject x --occurred 2026-12-01
'

test_expect_success 'a malformed --received-at is refused' '
	refuse_file "--received-at: is not a time like" --channel phone --phone 13800000001 \
		--subject x --received-at 2026-11-28T25:00:00+08:00
'

test_expect_success 'a malformed occurred date in --from is refused with FILE:LINE:COL' '
	printf "channel: web\nsubject: x\noccurred: 2026-02-30\n" >occ.yaml &&
	refuse_file "occ.yaml:3:[0-9]+: " --from "$PWD/occ.yaml"
'

test_expect_success 'a phone number with letters is refused' '
	refuse_file "phone" --channel phone --phone call-me --subject x
'

test_expect_success 'an e-mail address without @ is refused' '
	refuse_file "email" --channel email --email not-an-address --subject x
'

test_expect_success '--count 0 and --count abc are refused' '
	refuse_file "count" --channel visit --phone 13800000001 --subject x \
		--count 0 &&
	refuse_file "count" --channel visit --phone 13800000001 --subject x \
		--count abc
'

test_expect_success 'docket show ../../etc/passwd is refused' '
	expect_refusal s "etc/passwd" docket show ../../etc/passwd
'

test_expect_success 'ids that try to leave the store are refused by show and log' '
	expect_refusal s "" docket show /etc/passwd &&
	expect_refusal s "" docket show 2026-000001/../../../docket &&
	expect_refusal s "" docket show ../2026-000001 &&
	expect_refusal s "" docket log ../../etc/passwd
'

test_expect_success 'a --from file with a YAML syntax error: FILE:LINE:COLUMN' '
	refuse_file "from-syntax-error.yaml:[0-9]+:[0-9]+: " \
		--from "$TEST_DATA/from-syntax-error.yaml"
'

test_expect_success 'a --from file with a JSON syntax error: FILE:LINE:COLUMN' '
	refuse_file "from-syntax-error.json:1:[0-9]+: " \
		--from "$TEST_DATA/from-syntax-error.json"
'

test_expect_success 'a --from file that does not exist is refused, naming it' '
	refuse_file "no-such-form.json" --from "$PWD/no-such-form.json"
'

test_expect_success 'an unknown option of file is a usage error with the usage line' '
	expect_refusal --code 2 s "bogus" docket file --bogus &&
	test_grep "^usage: docket file" err
'

test_expect_success 'an option without its value is a usage error' '
	expect_refusal --code 2 s "channel" docket file --channel &&
	test_grep "^usage: docket file" err
'

test_expect_success 'unknown options of show, list, log, check are usage errors' '
	for cmd in "show 2026-000001" list "log 2026-000001" check; do
		expect_refusal --code 2 s "bogus" docket $cmd --bogus &&
		test_grep "^usage: docket ${cmd%% *}" err || exit 1
	done
'

test_expect_success 'an unknown global option is a usage error with the usage line' '
	expect_refusal --code 2 s "bogus" docket --bogus list &&
	test_grep "^usage: docket" err
'

test_expect_success 'an unknown command is a usage error' '
	expect_refusal --code 2 s "frobnicate" docket frobnicate
'

test_expect_success 'after all this, the store holds its two cases and is clean' '
	test "$(commit_count s)" = 3 &&
	assert_clean s &&
	(cd s && docket check >../out)
'

test_done
