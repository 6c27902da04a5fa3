#!/bin/sh
test_description='the likely-repeat keys (.git/docket-keys): follow every commit, plain git ones too, rebuilt when lost or damaged, no personal data in clear'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER

keys=s/.git/docket-keys

# phone_case PHONE SUBJECT: file a phone complaint in s, id on stdout,
# warnings in ../err
phone_case () {
	(cd s && docket file --channel phone --phone "$1" --subject "$2" \
		2>../err)
}

test_expect_success 'setup: a store with one case' '
	docket_init_store s &&
	phone_case 13800000001 电梯故障 >id1 &&
	test_must_be_empty err
'

test_expect_success 'the keys are written, private, without phone or name in clear' '
	(cd s && docket file --channel visit --name 王某某 --address 幸福路3号 \
		--respondent 某某物业服务有限公司 --subject 来访 >../id2) &&
	phone_case 13800000009 第三件 >id3 &&
	test -s $keys &&
	test "$(stat -c %a $keys)" = 600 &&
	! grep -a -q 13800000001 $keys &&
	! grep -a -q 王某某 $keys &&
	! grep -a -q 某某物业 $keys
'

test_expect_success 'a case filed by the last command is found at once' '
	phone_case 13800000009 又一次 >id &&
	test_grep "likely repeat of case $(cat id3)" err
'

test_expect_success 'a phone changed by hand and committed with git is followed' '
	f=s/$(case_path $(cat id1)) &&
	sed "s/13800000001/13800000002/" $f >tmp && cat tmp >$f &&
	git -C s commit -q -a -m "phone corrected by hand" &&
	phone_case 13800000002 新号码 >id &&
	test_grep "likely repeat of case $(cat id1)" err &&
	phone_case 13800000001 旧号码 >id &&
	test_must_be_empty err
'

test_expect_success 'a case removed with git rm is no longer a candidate' '
	git -C s rm -q $(case_path $(cat id3)) &&
	git -C s commit -q -m "filed twice by mistake" &&
	phone_case 13800000009 第四次 >id &&
	! test_grep "$(cat id3)" err
'

test_expect_success 'after git reset to before the removal the case is a candidate again' '
	git -C s reset -q --hard HEAD~2 &&
	phone_case 13800000009 第五次 >id &&
	test_grep "likely repeat of case $(cat id3)" err
'

test_expect_success 'a damaged keys file is rebuilt and still finds the repeat' '
	printf "DKTKEYS\\000garbage" >$keys &&
	(cd s && docket file --channel visit --name 王某某 --address 幸福路3号 \
		--respondent 某某物业服务有限公司 --subject 再来访 >../id 2>../err) &&
	test_grep "likely repeat of case $(cat id2)" err &&
	test "$(head -c 7 $keys)" = DKTKEYS &&
	test $(stat -c %s $keys) -gt 100
'

test_expect_success 'a missing keys file is rebuilt the same' '
	cp $keys keys.before &&
	rm -f $keys &&
	phone_case 13800000077 无关 >id &&
	test_must_be_empty err &&
	test -s $keys &&
	rm -f $keys s/.git/docket-cache &&
	phone_case 13800000002 再一次 >id &&
	test_grep "likely repeat of case $(cat id1)" err
'

test_expect_success 'keys that cannot be written do not stop intake' '
	rm -f $keys && mkdir $keys &&
	phone_case 13800000002 写不了 >id &&
	test_grep "likely repeat of case $(cat id1)" err &&
	rmdir $keys &&
	assert_clean s
'

test_expect_success 'bulk intake finds repeats within the stream and in the store' '
	cat >stream.yaml <<-\EOF &&
	channel: phone
	phone: "13800000055"
	subject: 第一封
	---
	channel: phone
	phone: "13800000055"
	subject: 第二封
	---
	channel: phone
	phone: "13800000002"
	subject: 第三封
	EOF
	(cd s && docket file --from ../stream.yaml >../ids 2>../err) &&
	test_line_count = 3 ids &&
	test_grep "likely repeat of case $(sed -n 1p ids)" err &&
	test_grep "likely repeat of case $(cat id1)" err &&
	assert_clean s
'

test_expect_success 'the keys follow HEAD after many changes without keys' '
	i=0 && : >anon.yaml &&
	while [ $i -lt 40 ]; do
		printf "channel: web\nanonymous: true\nsubject: 匿名举报%s\n---\n" \
			$i >>anon.yaml
		i=$((i + 1))
	done &&
	printf "channel: web\nanonymous: true\nsubject: 最后一件\n" >>anon.yaml &&
	rm -f $keys &&
	(cd s && docket file --channel web --anonymous --subject 先一件 \
		>/dev/null &&
	 docket file --from ../anon.yaml >/dev/null 2>&1 &&
	 docket file --channel web --anonymous --subject 后一件 >/dev/null) &&
	echo $(od -An -tx1 -j16 -N20 $keys | tr -d " \n") >actual &&
	git -C s rev-parse HEAD~1:cases >expect &&
	test_cmp expect actual
'

test_done
