#!/bin/sh
# run-cli: long (started first, so the pool does not end on it)
test_description='docket file: register a case, every field, --from, attachments'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER

# A phone complaint (the smallest complaint: channel, contact, subject).
file_phone () {
	docket file --channel phone --phone "$1" --subject "${2:-电梯故障}"
}

test_expect_success 'setup: a store with the default configuration' '
	docket_init_store s
'

test_expect_success 'file prints only the new id on stdout' '
	(cd s && file_phone 13800000000 >../out 2>../err) &&
	echo 2026-000001 >expect &&
	test_cmp expect out &&
	test_must_be_empty err
'

test_expect_success 'the case file is cases/2026/000/2026-000001.yaml, added in one commit' '
	test -f s/cases/2026/000/2026-000001.yaml &&
	test "$(commit_count s)" = 2 &&
	printf "A\tcases/2026/000/2026-000001.yaml\n" >expect &&
	git -C s show --name-status --format= HEAD >actual &&
	test_cmp expect actual &&
	assert_clean s
'

test_expect_success 'the commit message has the subject line and the Case/Action/Actor trailers' '
	cat >expect <<-\EOF &&
	file 2026-000001: 电梯故障

	Case: 2026-000001
	Action: file
	Actor: zhang.wei
	EOF
	git -C s cat-file commit HEAD >commit &&
	sed "1,/^\$/d" commit >actual &&
	test_cmp expect actual
'

test_expect_success 'a new case is received now, by the acting staff, in status received' '
	f=s/cases/2026/000/2026-000001.yaml &&
	test "$(yaml_get $f id)" = 2026-000001 &&
	test "$(yaml_get $f status)" = received &&
	test "$(yaml_get $f kind)" = complaint &&
	test "$(yaml_get $f channel)" = phone &&
	test "$(yaml_get $f received_at)" = 2026-11-28T09:00:00+08:00 &&
	test "$(yaml_get $f received_by)" = zhang.wei &&
	test "$(yaml_get $f complainant.phone)" = 13800000000 &&
	test "$(yaml_get $f priority)" = normal &&
	test "$(yaml_get $f events.0.action)" = file &&
	test "$(yaml_get $f events.0.at)" = 2026-11-28T09:00:00+08:00 &&
	test "$(yaml_get $f events.0.by)" = zhang.wei
'

test_expect_success 'the ack and feedback deadlines count working days from receipt' '
	f=s/cases/2026/000/2026-000001.yaml &&
	test "$(yaml_get $f due.ack)" = 2026-11-30T23:59:59+08:00 &&
	test "$(yaml_get $f due.feedback)" = 2026-12-02T23:59:59+08:00
'

test_expect_success 'ids are dense and increasing, one commit each' '
	(cd s &&
	 file_phone 13800000002 二号 >../id2 &&
	 file_phone 13800000003 三号 >../id3) &&
	echo 2026-000002 >expect && test_cmp expect id2 &&
	echo 2026-000003 >expect && test_cmp expect id3 &&
	test -f s/cases/2026/000/2026-000003.yaml &&
	test "$(commit_count s)" = 4 &&
	assert_clean s
'

test_expect_success 'every option of file is recorded in canonical form' '
	docket_init_store full &&
	(cd full &&
	 docket file --channel letter --received-at 2026-11-27T16:30:00+08:00 \
		--name 张某 --phone 13912345678 --email zhang@example.org \
		--address 幸福小区3号楼502室 --count 2 \
		--respondent 某某物业服务有限公司 \
		--subject 小区电梯长期故障无人维修 \
		--description "3号楼电梯自11月20日起停运。" \
		--request 尽快修复电梯并说明原因 --location 幸福小区3号楼 \
		--occurred 2026-11-20 --attach "$TEST_DATA/photo.jpg" \
		--category safety --priority urgent >../id) &&
	echo 2026-000001 >expect && test_cmp expect id &&
	sum=$(sha256sum <"$TEST_DATA/photo.jpg" | cut -c1-64) &&
	cat >expect <<-EOF &&
	id: 2026-000001
	kind: complaint
	status: received
	subject: 小区电梯长期故障无人维修
	channel: letter
	received_at: 2026-11-27T16:30:00+08:00
	received_by: zhang.wei
	complainant:
	  name: 张某
	  phone: "13912345678"
	  email: zhang@example.org
	  address: 幸福小区3号楼502室
	  anonymous: false
	  count: 2
	respondent: 某某物业服务有限公司
	location: 幸福小区3号楼
	occurred_on: 2026-11-20
	description: 3号楼电梯自11月20日起停运。
	request: 尽快修复电梯并说明原因
	category: safety
	priority: urgent
	due:
	  ack: 2026-11-30T23:59:59+08:00
	  feedback: 2026-12-02T23:59:59+08:00
	attachments:
	  - path: attachments/2026-000001/photo.jpg
	    sha256: $sum
	events:
	  - {at: 2026-11-28T09:00:00+08:00, by: zhang.wei, action: file, category: safety, priority: urgent}
	EOF
	test_cmp expect full/cases/2026/000/2026-000001.yaml &&
	assert_clean full
'

test_expect_success '--received-at takes a local time "YYYY-MM-DD HH:MM" of the store' '
	(cd s && docket file --channel visit --phone 13800000004 --subject 来访 \
		--received-at "2026-11-27 16:30" >../id) &&
	test "$(yaml_get s/$(case_path $(cat id)) received_at)" = \
		2026-11-27T16:30:00+08:00
'

test_expect_success '--received-at in the future is refused' '
	expect_refusal s "future" docket file --channel phone \
		--phone 13800000005 --subject x \
		--received-at 2026-11-28T10:00:00+08:00
'

test_expect_success '--description - reads a multi-line description from stdin' '
	printf "第一行\n第二行：电梯停运。\n" >desc &&
	(cd s && docket file --channel letter --address 幸福路1号 --subject 来信 \
		--description - <../desc >../id) &&
	yaml_get s/$(case_path $(cat id)) description >actual &&
	test_cmp desc actual &&
	grep -q "^description: |" s/$(case_path $(cat id))
'

test_expect_success '--from FILE reads every field from a YAML mapping' '
	(cd s && docket file --from "$TEST_DATA/from-full.yaml" >../id) &&
	f=s/$(case_path $(cat id)) &&
	test "$(yaml_get $f channel)" = letter &&
	test "$(yaml_get $f received_at)" = 2026-11-27T16:30:00+08:00 &&
	test "$(yaml_get $f complainant.name)" = 张某 &&
	test "$(yaml_get $f complainant.phone)" = 13912345678 &&
	test "$(yaml_get $f complainant.email)" = zhang@example.org &&
	test "$(yaml_get $f complainant.address)" = 幸福小区3号楼502室 &&
	test "$(yaml_get $f complainant.anonymous)" = false &&
	test "$(yaml_get $f complainant.count)" = 2 &&
	test "$(yaml_get $f respondent)" = 某某物业服务有限公司 &&
	test "$(yaml_get $f subject)" = 小区电梯长期故障无人维修 &&
	test "$(yaml_get $f request)" = 尽快修复电梯并说明原因 &&
	test "$(yaml_get $f location)" = 幸福小区3号楼 &&
	test "$(yaml_get $f occurred_on)" = 2026-11-20 &&
	test "$(yaml_get $f category)" = safety &&
	test "$(yaml_get $f priority)" = urgent &&
	printf "3号楼电梯自11月20日起停运，物业一直未安排维修。\n楼内多名老人行动不便，无法下楼就医。\n" >expect &&
	yaml_get $f description >actual &&
	test_cmp expect actual &&
	assert_clean s
'

test_expect_success '--from FILE reads a JSON mapping (anonymous web form: a report)' '
	(cd s && docket file --from "$TEST_DATA/form.json" >../id) &&
	f=s/$(case_path $(cat id)) &&
	test "$(yaml_get $f channel)" = web &&
	test "$(yaml_get $f kind)" = report &&
	test "$(yaml_get $f complainant.anonymous)" = true &&
	test "$(yaml_get $f respondent)" = 某某劳务派遣公司 &&
	test "$(yaml_get $f subject)" = 劳务派遣公司未缴纳社会保险 &&
	test "$(yaml_get $f description)" = 该公司长期不为派遣员工缴纳社会保险。
'

test_expect_success '--from - reads the mapping from stdin' '
	(cd s && docket file --from - <"$TEST_DATA/form.json" >../id) &&
	f=s/$(case_path $(cat id)) &&
	test "$(yaml_get $f subject)" = 劳务派遣公司未缴纳社会保险 &&
	assert_clean s
'

test_expect_success '--from takes attach as a list of files inside --attach-dir' '
	mkdir -p up &&
	cp "$TEST_DATA/photo.jpg" "$TEST_DATA/letter.pdf" . &&
	cp photo.jpg letter.pdf up/ &&
	cat >form.yaml <<-EOF &&
	channel: web
	email: a@example.org
	subject: 带附件的网站投诉
	attach: [photo.jpg, letter.pdf]
	EOF
	(cd s && docket file --from ../form.yaml --attach-dir ../up >../id) &&
	id=$(cat id) &&
	cmp photo.jpg s/attachments/$id/photo.jpg &&
	cmp letter.pdf s/attachments/$id/letter.pdf &&
	test "$(yaml_get s/$(case_path $id) attachments.1.path)" = \
		attachments/$id/letter.pdf
'

test_expect_success 'options on the command line win over --from' '
	(cd s && docket file --from "$TEST_DATA/form.json" --channel wechat \
		--subject 命令行的主题 >../id) &&
	f=s/$(case_path $(cat id)) &&
	test "$(yaml_get $f channel)" = wechat &&
	test "$(yaml_get $f subject)" = 命令行的主题 &&
	test "$(yaml_get $f respondent)" = 某某劳务派遣公司
'

test_expect_success '--from - and --description - together are refused (both read stdin)' '
	expect_refusal s "stdin|standard input|together|both" \
		docket file --from - --description - <"$TEST_DATA/form.json"
'

test_expect_success '--attach copies the file into attachments/ID/ with its sha256' '
	(cd s && docket file --channel visit --phone 13800000006 \
		--subject 有照片 --attach "$TEST_DATA/photo.jpg" \
		--attach "$TEST_DATA/letter.pdf" >../id) &&
	id=$(cat id) && f=s/$(case_path $id) &&
	cmp "$TEST_DATA/photo.jpg" s/attachments/$id/photo.jpg &&
	cmp "$TEST_DATA/letter.pdf" s/attachments/$id/letter.pdf &&
	test "$(yaml_get $f attachments.0.path)" = attachments/$id/photo.jpg &&
	test "$(yaml_get $f attachments.1.path)" = attachments/$id/letter.pdf &&
	(cd s && sha256sum attachments/$id/photo.jpg attachments/$id/letter.pdf) \
		>expect &&
	{
		echo "$(yaml_get $f attachments.0.sha256)  $(yaml_get $f attachments.0.path)" &&
		echo "$(yaml_get $f attachments.1.sha256)  $(yaml_get $f attachments.1.path)"
	} >actual &&
	test_cmp expect actual
'

test_expect_success 'the attachments are in the same commit as the case file' '
	id=$(cat id) &&
	git -C s show --name-only --format= HEAD | sort >actual &&
	printf "%s\n" attachments/$id/letter.pdf attachments/$id/photo.jpg \
		$(case_path $id) >expect &&
	test_cmp expect actual &&
	assert_clean s
'

test_expect_success 'two attachments with the same name are both kept' '
	mkdir -p a b &&
	echo first >a/same.txt && echo second >b/same.txt &&
	(cd s && docket file --channel visit --phone 13800000007 --subject 同名 \
		--attach ../a/same.txt --attach ../b/same.txt >../id) &&
	id=$(cat id) && f=s/$(case_path $id) &&
	p0=$(yaml_get $f attachments.0.path) &&
	p1=$(yaml_get $f attachments.1.path) &&
	test "$p0" != "$p1" &&
	cmp a/same.txt "s/$p0" &&
	cmp b/same.txt "s/$p1"
'

test_expect_success '--attach of a missing file fails, naming it, and registers nothing' '
	expect_refusal s "no-such-photo.jpg" docket file --channel phone \
		--phone 13800000008 --subject x --attach "$PWD/no-such-photo.jpg" &&
	! test -d s/attachments/2026-999999
'

test_expect_success '--attach of a directory fails' '
	mkdir -p adir &&
	expect_refusal s "adir" docket file --channel phone \
		--phone 13800000008 --subject x --attach "$PWD/adir"
'

test_expect_success '--attach of a symbolic link fails' '
	ln -sf "$TEST_DATA/photo.jpg" link.jpg &&
	expect_refusal s "link.jpg" docket file --channel phone \
		--phone 13800000008 --subject x --attach "$PWD/link.jpg"
'

test_expect_success 'a good attachment then a missing one: nothing is left behind' '
	expect_refusal s "no-such-scan.pdf" docket file --channel phone \
		--phone 13800000008 --subject x --attach "$TEST_DATA/photo.jpg" \
		--attach "$PWD/no-such-scan.pdf"
'

test_expect_success 'an attachment with an unknown category: nothing is left behind' '
	expect_refusal s "no-such-category" docket file --channel phone \
		--phone 13800000008 --subject x --attach "$TEST_DATA/photo.jpg" \
		--category no-such-category
'

test_expect_success 'a phone number makes a complaint' '
	(cd s && file_phone 13800000010 有电话 >../id) &&
	test "$(yaml_get s/$(case_path $(cat id)) kind)" = complaint
'

test_expect_success 'an e-mail address alone makes a complaint' '
	(cd s && docket file --channel email --email li@example.org \
		--subject 有邮箱 >../id) &&
	test "$(yaml_get s/$(case_path $(cat id)) kind)" = complaint
'

test_expect_success 'a postal address alone makes a complaint' '
	(cd s && docket file --channel letter --address 幸福路2号 \
		--subject 有地址 >../id) &&
	test "$(yaml_get s/$(case_path $(cat id)) kind)" = complaint
'

test_expect_success '--anonymous makes a report even with a phone number' '
	(cd s && docket file --channel phone --phone 13800000011 --anonymous \
		--subject 匿名举报 >../id) &&
	f=s/$(case_path $(cat id)) &&
	test "$(yaml_get $f kind)" = report &&
	test "$(yaml_get $f complainant.anonymous)" = true
'

test_expect_success 'no contact at all makes a report' '
	(cd s && docket file --channel web --subject 无联系方式 >../id) &&
	test "$(yaml_get s/$(case_path $(cat id)) kind)" = report
'

test_expect_success 'a name without phone, e-mail or address makes a report' '
	(cd s && docket file --channel letter --name 某人 --subject 只有姓名 >../id) &&
	test "$(yaml_get s/$(case_path $(cat id)) kind)" = report
'

test_expect_success '--count N records a group complaint' '
	(cd s && docket file --channel visit --phone 13800000012 --count 6 \
		--subject 集体投诉 >../id) &&
	test "$(yaml_get s/$(case_path $(cat id)) complainant.count)" = 6
'

test_expect_success 'the priority defaults to default_priority of docket.yaml' '
	(cd s && file_phone 13800000013 默认优先级 >../id) &&
	test "$(yaml_get s/$(case_path $(cat id)) priority)" = normal
'

test_expect_success 'setup: a store for likely repeats' '
	docket_init_store r &&
	(cd r && docket file --channel phone --name 李某 --phone 13800000000 \
		--respondent 某某物业服务有限公司 --subject 电梯故障 >../first)
'

test_expect_success 'same phone: warns naming the earlier case and links it as related' '
	(cd r && docket file --channel phone --phone 13800000000 \
		--subject 电梯又坏了 >../id 2>../err) &&
	echo 2026-000002 >expect && test_cmp expect id &&
	test_grep "2026-000001" err &&
	test_grep "repeat" err &&
	echo 2026-000001 >expect &&
	yaml_get r/cases/2026/000/2026-000002.yaml related >actual &&
	test_cmp expect actual &&
	assert_clean r
'

test_expect_success 'same name and same respondent: a likely repeat too' '
	(cd r && docket file --channel visit --name 李某 --address 幸福路3号 \
		--respondent 某某物业服务有限公司 --subject 来访 >../id 2>../err) &&
	test_grep "2026-000001" err &&
	yaml_get r/$(case_path $(cat id)) related >actual &&
	grep -qx 2026-000001 actual
'

test_expect_success 'same name but another respondent: no warning, no link' '
	(cd r && docket file --channel visit --name 李某 --address 幸福路3号 \
		--respondent 另一家公司 --subject 另一件事 >../id 2>../err) &&
	test_must_be_empty err &&
	! grep -q "^related:" r/$(case_path $(cat id))
'

test_expect_success 'another phone and another name: no warning, no link' '
	(cd r && file_phone 13900000000 无关 >../id 2>../err) &&
	test_must_be_empty err &&
	! grep -q "^related:" r/$(case_path $(cat id))
'

test_expect_success 'setup: a store with a case closed on 2026-10-16, committed by hand' '
	docket_init_store c &&
	mkdir -p c/cases/2026/000 &&
	cp "$TEST_DATA/closed-case.yaml" c/cases/2026/000/2026-000001.yaml &&
	git -C c add cases &&
	git -C c commit -q -m "add a closed case" &&
	docket -C c check >out
'

test_expect_success 'a case closed within 30 days is a likely repeat' '
	(cd c && export DOCKET_NOW=2026-11-10T09:00:00+08:00 &&
	 file_phone 13800000000 >../id 2>../err) &&
	echo 2026-000002 >expect && test_cmp expect id &&
	test_grep "2026-000001" err &&
	test "$(yaml_get c/cases/2026/000/2026-000002.yaml related)" = 2026-000001
'

test_expect_success 'a case closed more than 30 days ago is not' '
	git -C c reset -q --hard HEAD~1 &&
	(cd c && file_phone 13800000000 >../id 2>../err) &&
	echo 2026-000002 >expect && test_cmp expect id &&
	test_must_be_empty err &&
	! grep -q "^related:" c/cases/2026/000/2026-000002.yaml
'

test_expect_success 'a deadline in a year the calendar has no holidays for warns' '
	docket_init_store y &&
	(cd y && export DOCKET_NOW=2027-03-01T09:00:00+08:00 &&
	 file_phone 13800000000 >../id 2>../err) &&
	echo 2027-000001 >expect && test_cmp expect id &&
	test_grep "2027" err &&
	test -f y/cases/2027/000/2027-000001.yaml
'

test_expect_success 'setup: a store from the agriculture template (with staff)' '
	docket_init_store ag --template agriculture
'

test_expect_success 'the commit author is the acting staff member from docket.yaml' '
	(cd ag && docket --as zhang.wei file --channel phone \
		--phone 13800000000 --subject 化肥 >../id) &&
	echo "张伟 <zhang.wei@example.org>" >expect &&
	git -C ag log -1 --format="%an <%ae>" >actual &&
	test_cmp expect actual &&
	git -C ag log -1 --format=%B >msg &&
	test_grep -x "Actor: zhang.wei" msg
'

test_expect_success 'file needs the intake role' '
	expect_refusal ag "intake" docket --as zhou.min file --channel phone \
		--phone 13800000001 --subject x
'

test_expect_success 'file by someone not in the staff list is refused' '
	expect_refusal ag "nobody" docket --as nobody file --channel phone \
		--phone 13800000001 --subject x
'

test_expect_success 'on a terminal, file asks for a missing channel and subject' '
	(cd s && run_on_tty "phone|终端输入的主题|" \
		docket file --phone 13800000020 >../transcript) &&
	id=$(tail -n 1 transcript | tr -d "\r") &&
	f=s/$(case_path $id) &&
	test "$(yaml_get $f channel)" = phone &&
	test "$(yaml_get $f subject)" = 终端输入的主题 &&
	assert_clean s
'

if /usr/bin/python3 -c "import yaml, jsonschema" 2>/dev/null &&
	test -f "$DOCKET_ROOT/tests/validate-schemas.sh" &&
	test -f "$DOCKET_ROOT/schemas/case.schema.json"
then
	test_set_prereq SCHEMA
fi

test_expect_success SCHEMA 'every case file written above validates against case.schema.json' '
	find s r c full ag y -path "*/cases/*.yaml" >files &&
	test -s files &&
	(cd "$DOCKET_ROOT" &&
	 sh tests/validate-schemas.sh case $(sed "s|^|$TRASH_DIRECTORY/|" \
		"$TRASH_DIRECTORY/files")) >out
'

test_done
