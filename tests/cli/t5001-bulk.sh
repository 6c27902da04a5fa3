#!/bin/sh
test_description='docket file --from a stream: bulk intake, one commit per case'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER

test_expect_success 'setup: a store with the default configuration' '
	docket_init_store s
'

test_expect_success 'a YAML stream files each document as its own case, ids in order' '
	cat >stream.yaml <<-\EOF &&
	channel: web
	subject: 电梯故障
	phone: "13800000001"
	---
	channel: phone
	subject: 物业收费
	name: 王某
	---
	channel: letter
	subject: 噪音扰民
	address: 某市某路1号
	EOF
	(cd s && docket file --from ../stream.yaml >../out 2>../err) &&
	printf "2026-000001\n2026-000002\n2026-000003\n" >expect &&
	test_cmp expect out &&
	test_must_be_empty err &&
	test "$(commit_count s)" = 4 &&
	git -C s log --format=%s >subjects &&
	printf "%s\n" "file 2026-000003: 噪音扰民" "file 2026-000002: 物业收费" \
		"file 2026-000001: 电梯故障" "init: new docket store" >expect &&
	test_cmp expect subjects &&
	assert_clean s
'

test_expect_success 'each commit adds exactly its own case file' '
	git -C s show --name-only --format= HEAD~1 >actual &&
	echo cases/2026/000/2026-000002.yaml >expect &&
	test_cmp expect actual &&
	test "$(yaml_get s/cases/2026/000/2026-000002.yaml channel)" = phone &&
	test "$(yaml_get s/cases/2026/000/2026-000003.yaml kind)" = complaint
'

test_expect_success 'JSON values one per line are a stream too' '
	printf "%s\n" "{\"channel\": \"web\", \"subject\": \"a\"}" \
		"{\"channel\": \"web\", \"subject\": \"b\", \"anonymous\": true}" \
		>stream.json &&
	(cd s && docket file --from ../stream.json >../out) &&
	printf "2026-000004\n2026-000005\n" >expect &&
	test_cmp expect out &&
	test "$(yaml_get s/cases/2026/000/2026-000005.yaml kind)" = report &&
	test "$(commit_count s)" = 6 &&
	assert_clean s
'

test_expect_success 'a stream on standard input' '
	printf "channel: web\nsubject: x\n---\nchannel: web\nsubject: y\n" |
		docket -C s file --from - >out &&
	printf "2026-000006\n2026-000007\n" >expect &&
	test_cmp expect out &&
	assert_clean s
'

test_expect_success 'options on the command line apply to every document' '
	printf "subject: x\n---\nsubject: y\n" >nochan.yaml &&
	docket -C s file --channel visit --from "$PWD/nochan.yaml" >out &&
	test_line_count = 2 out &&
	test "$(yaml_get s/cases/2026/000/2026-000009.yaml channel)" = visit
'

test_expect_success 'one invalid document refuses the whole stream, every problem reported' '
	head_before=$(git -C s rev-parse HEAD) &&
	cat >bad.yaml <<-\EOF &&
	channel: web
	subject: fine
	---
	channel: nope
	subject: bad channel
	---
	channel: web
	EOF
	test_must_fail docket -C s file --from "$PWD/bad.yaml" >out 2>err &&
	test_must_be_empty out &&
	grep -E "bad.yaml:4:[0-9]+: .*channel" err &&
	grep -E "bad.yaml:7:1: .*subject" err &&
	grep "2 of the 3 documents" err &&
	test "$(git -C s rev-parse HEAD)" = "$head_before" &&
	assert_clean s
'

test_expect_success 'a syntax error in a later document refuses the whole stream' '
	head_before=$(git -C s rev-parse HEAD) &&
	printf "channel: web\nsubject: a\n---\nchannel: [web\n" >broken.yaml &&
	test_must_fail docket -C s file --from "$PWD/broken.yaml" >out 2>err &&
	test_must_be_empty out &&
	grep -E "broken.yaml:[0-9]+:[0-9]+: " err &&
	test "$(git -C s rev-parse HEAD)" = "$head_before"
'

test_expect_success 'a missing attachment refuses the whole stream' '
	head_before=$(git -C s rev-parse HEAD) &&
	printf "channel: web\nsubject: a\n---\nchannel: web\nsubject: b\nattach: nothere.pdf\n" \
		>att.yaml &&
	test_must_fail docket -C s file --from "$PWD/att.yaml" 2>err &&
	grep -E "att.yaml:6:[0-9]+: .*nothere.pdf" err &&
	test "$(git -C s rev-parse HEAD)" = "$head_before"
'

test_expect_success 'likely repeats are found among earlier cases and the stream itself' '
	printf "channel: web\nsubject: a\nphone: \"13900000009\"\n---\nchannel: web\nsubject: b\nphone: \"13800000001\"\n---\nchannel: web\nsubject: c\nphone: \"13900000009\"\n" \
		>rep.yaml &&
	docket -C s file --from "$PWD/rep.yaml" >out 2>err &&
	grep "likely repeat of case 2026-000001" err &&
	grep "likely repeat of case 2026-000010" err &&
	test "$(yaml_get s/cases/2026/000/2026-000012.yaml related.0)" = 2026-000010 &&
	assert_clean s
'

test_expect_success 'a hundred cases: one commit each, the store clean, no progress line off a terminal' '
	i=1 && : >many.json &&
	while [ $i -le 100 ]; do
		printf "{\"channel\": \"web\", \"subject\": \"批量%d\"}\n" $i >>many.json
		i=$((i + 1))
	done &&
	before=$(commit_count s) &&
	docket -C s file --from "$PWD/many.json" >out 2>err &&
	test_line_count = 100 out &&
	test_must_be_empty err &&
	test "$(commit_count s)" = $((before + 100)) &&
	test "$(sort -u out | wc -l)" = 100 &&
	test ! -e s/.git/docket-pending &&
	assert_clean s
'

test_expect_success 'after a commit made with git (index with a cache-tree), docket keeps the index exact' '
	echo "# hand" >s/notes.txt &&
	git -C s add notes.txt &&
	git -C s commit -q -m "a note by hand" &&
	docket -C s note 2026-000001 "checked" >/dev/null 2>&1 &&
	docket -C s file --channel web --subject z >/dev/null &&
	assert_clean s &&
	test "$(git -C s write-tree)" = "$(git -C s rev-parse "HEAD^{tree}")" &&
	git -C s ls-files -s cases/2026/000/2026-000001.yaml >actual &&
	git -C s ls-tree HEAD cases/2026/000/2026-000001.yaml >expect &&
	test "$(cut -d" " -f2 actual | cut -f1)" = "$(cut -d" " -f3 expect | cut -f1)"
'

# bulk_crash POINT: a stream of three killed at POINT (of its first commit,
# or the index write at the end), then the next command finishes the job
bulk_crash () {
	rm -rf c && docket_init_store c &&
	printf "channel: web\nsubject: a\n---\nchannel: web\nsubject: b\n---\nchannel: web\nsubject: c\n" \
		>crash.yaml &&
	test_expect_code 137 env DOCKET_FAULT=$1 "$DOCKET_ROOT/docket-faults" \
		-C c file --from "$PWD/crash.yaml" >out 2>err;
	test -e c/.git/docket-pending &&
	docket -C c list --format ids >/dev/null &&
	docket -C c note 2026-000001 "after the crash" >/dev/null 2>&1 || :
	docket -C c check >/dev/null &&
	test ! -e c/.git/docket-pending &&
	assert_clean c
}

test_expect_success 'killed before its first commit is recorded: nothing filed, store clean' '
	bulk_crash commit-pending &&
	test "$(commit_count c)" = 1
'

test_expect_success 'killed after the first commit moved the ref: that case is filed, store clean' '
	bulk_crash commit-ref &&
	test "$(commit_count c)" = 3 &&
	test -f c/cases/2026/000/2026-000001.yaml
'

test_expect_success 'killed at the end of the batch: all filed, store clean' '
	bulk_crash batch-end &&
	test "$(commit_count c)" = 5 &&
	test -f c/cases/2026/000/2026-000003.yaml
'

test_done
