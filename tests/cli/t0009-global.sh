#!/bin/sh
test_description='global options: finding the store, the acting staff, DOCKET_NOW, ids'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
export DOCKET_NOW

test_expect_success 'setup: a store with one case' '
	docket_init_store s &&
	(cd s && docket --as zhang.wei file --channel phone \
		--phone 13800000000 --subject 电梯故障 >../id) &&
	echo 2026-000001 >expect &&
	test_cmp expect id
'

test_expect_success 'the store is found from a subdirectory (nearest docket.yaml)' '
	(cd s/cases/2026/000 && docket list --format ids >../../../../out) &&
	test_cmp expect out
'

test_expect_success 'a store is found from the store directory itself' '
	(cd s && docket list --format ids >../out) &&
	test_cmp expect out
'

test_expect_success '-C DIR uses the store in DIR' '
	docket -C s list --format ids >out &&
	test_cmp expect out
'

test_expect_success 'DOCKET_DIR names the store' '
	mkdir elsewhere &&
	(cd elsewhere && DOCKET_DIR=../s && export DOCKET_DIR &&
	 docket list --format ids >../out) &&
	test_cmp expect out
'

test_expect_success '-C wins over DOCKET_DIR' '
	docket_init_store other &&
	(DOCKET_DIR=other && export DOCKET_DIR &&
	 docket -C s list --format ids >out) &&
	test_cmp expect out
'

test_expect_success 'DOCKET_DIR wins over the working directory' '
	(cd s && DOCKET_DIR=../other && export DOCKET_DIR &&
	 docket list --format ids >../out) &&
	test_must_be_empty out
'

test_expect_success 'a command run outside any store fails, saying how to name one' '
	mkdir -p outside &&
	(cd outside && test_expect_code 1 docket list >../out 2>../err) &&
	test_must_be_empty out &&
	test_grep "^docket: list: " err &&
	test_grep -e "-C" err
'

test_expect_success '-C with a directory that does not exist fails, naming it' '
	test_must_fail docket -C no-such-dir list >out 2>err &&
	test_grep "no-such-dir" err
'

test_expect_success 'file from a subdirectory writes into the store, not there' '
	(cd s/cases && docket --as zhang.wei file --channel web \
		--subject 子目录 >../../id) &&
	echo 2026-000002 >expect && test_cmp expect id &&
	test -f s/cases/2026/000/2026-000002.yaml &&
	! test -e s/cases/cases &&
	assert_clean s
'

test_expect_success '--as names the acting staff: received_by and Actor' '
	(cd s && docket --as li.na file --channel web --subject 代理 >../id) &&
	f=s/$(case_path $(cat id)) &&
	test "$(yaml_get $f received_by)" = li.na &&
	git -C s log -1 --format=%B >msg &&
	test_grep -x "Actor: li.na" msg
'

test_expect_success 'DOCKET_USER is the acting staff when --as is not given' '
	(cd s && DOCKET_USER=wang.fang && export DOCKET_USER &&
	 docket file --channel web --subject 环境变量 >../id) &&
	test "$(yaml_get s/$(case_path $(cat id)) received_by)" = wang.fang
'

test_expect_success '--as wins over DOCKET_USER' '
	(cd s && DOCKET_USER=wang.fang && export DOCKET_USER &&
	 docket --as li.na file --channel web --subject 优先 >../id) &&
	test "$(yaml_get s/$(case_path $(cat id)) received_by)" = li.na
'

test_expect_success 'setup: a store with staff (agriculture template)' '
	docket_init_store ag --template agriculture
'

test_expect_success 'without --as or DOCKET_USER, the staff whose email is git user.email acts' '
	git -C ag config user.email chen.jing@example.org &&
	(cd ag && docket file --channel phone --phone 13800000000 \
		--subject 化肥 >../id) &&
	test "$(yaml_get ag/$(case_path $(cat id)) received_by)" = chen.jing &&
	echo "陈静 <chen.jing@example.org>" >expect &&
	git -C ag log -1 --format="%an <%ae>" >actual &&
	test_cmp expect actual
'

test_expect_success 'DOCKET_USER wins over git user.email' '
	(cd ag && DOCKET_USER=zhang.wei && export DOCKET_USER &&
	 docket file --channel phone --phone 13800000001 --subject 农药 >../id) &&
	test "$(yaml_get ag/$(case_path $(cat id)) received_by)" = zhang.wei
'

test_expect_success 'with nothing else, $USER is the acting staff' '
	git -C ag config --unset user.email &&
	(cd ag && USER=zhang.wei && export USER &&
	 docket file --channel phone --phone 13800000002 --subject 种子 >../id) &&
	test "$(yaml_get ag/$(case_path $(cat id)) received_by)" = zhang.wei
'

test_expect_success 'reading needs no staff identity: list, show, log, check' '
	(cd ag && USER=visitor && export USER &&
	 docket list --format ids >../out &&
	 docket show "$(head -n 1 ../out)" >../out2 &&
	 docket log "$(head -n 1 ../out)" >../out3 &&
	 docket check >../out4) &&
	test_line_count = 3 out &&
	test_line_count = 1 out3
'

test_expect_success 'DOCKET_NOW fixes the time received and the event time' '
	(cd s && DOCKET_NOW=2026-11-27T15:45:00+08:00 && export DOCKET_NOW &&
	 docket --as li.na file --channel web --subject 时间 >../id) &&
	f=s/$(case_path $(cat id)) &&
	test "$(yaml_get $f received_at)" = 2026-11-27T15:45:00+08:00 &&
	test "$(yaml_get $f events.0.at)" = 2026-11-27T15:45:00+08:00
'

test_expect_success 'a malformed DOCKET_NOW is refused, naming it' '
	(DOCKET_NOW=garbage && export DOCKET_NOW &&
	 expect_refusal s "DOCKET_NOW" docket --as li.na file --channel web \
		--subject x)
'

test_expect_success 'the id takes the year the case was received' '
	(cd s && DOCKET_NOW=2027-01-04T09:00:00+08:00 && export DOCKET_NOW &&
	 docket --as li.na file --channel web --subject 去年收到 \
		--received-at 2026-12-31T16:00:00+08:00 >../id-old 2>/dev/null &&
	 docket --as li.na file --channel web --subject 今年收到 \
		>../id-new 2>/dev/null) &&
	grep -q "^2026-0000[0-9][0-9]\$" id-old &&
	echo 2027-000001 >expect && test_cmp expect id-new &&
	test -f s/cases/2027/000/2027-000001.yaml &&
	assert_clean s
'

test_expect_success 'sequence 1000 goes into the folder 001' '
	docket_init_store big &&
	(cd big && docket --as li.na file --channel web --subject 一 >/dev/null) &&
	sed "s/^id: 2026-000001/id: 2026-000999/" \
		big/cases/2026/000/2026-000001.yaml \
		>big/cases/2026/000/2026-000999.yaml &&
	git -C big add cases &&
	git -C big commit -q -m "a case 999, by hand" &&
	(cd big && docket --as li.na file --channel web --subject 千 >../id) &&
	echo 2026-001000 >expect && test_cmp expect id &&
	test -f big/cases/2026/001/2026-001000.yaml &&
	(cd big && docket show 2026-001000 >../out) &&
	test_cmp big/cases/2026/001/2026-001000.yaml out &&
	assert_clean big
'

test_expect_success 'an id prefix from docket.yaml starts every new id' '
	docket_init_store hz &&
	sed "s/^  prefix: \"\"/  prefix: \"HZ\"/" hz/docket.yaml >tmp &&
	cat tmp >hz/docket.yaml &&
	grep -q "prefix: \"HZ\"" hz/docket.yaml &&
	git -C hz commit -q -a -m "site prefix HZ" &&
	(cd hz && docket --as li.na file --channel web --subject 前缀 >../id) &&
	echo HZ-2026-000001 >expect && test_cmp expect id &&
	test -f hz/cases/2026/000/HZ-2026-000001.yaml &&
	(cd hz && docket show HZ-2026-000001 >../out) &&
	test_cmp hz/cases/2026/000/HZ-2026-000001.yaml out &&
	git -C hz log -1 --format=%B >msg &&
	test_grep -x "Case: HZ-2026-000001" msg
'

test_done
