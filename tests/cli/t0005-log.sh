#!/bin/sh
test_description='docket log: the git history of one case'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER

test_expect_success 'setup: three cases filed by two staff' '
	docket_init_store s &&
	(cd s &&
	 docket file --channel phone --phone 13800000000 --subject 电梯故障 \
		>../id1 &&
	 git rev-parse HEAD >../commit1 &&
	 DOCKET_NOW=2026-11-28T10:30:00+08:00 &&
	 export DOCKET_NOW &&
	 docket --as li.na file --channel visit --phone 13800000001 \
		--subject 噪音扰民 >../id2 &&
	 git rev-parse HEAD >../commit2 &&
	 docket file --channel phone --phone 13800000000 --subject 电梯又坏了 \
		>../id3 2>/dev/null) &&
	echo 2026-000003 >expect && test_cmp expect id3 &&
	store_state s >state
'

test_expect_success 'log ID lists the file commit: commit, time, actor, action' '
	(cd s && docket log 2026-000001 >../out 2>../err) &&
	test_must_be_empty err &&
	test_line_count = 1 out &&
	commit=$(cut -c1-10 commit1) &&
	test_grep "^$commit" out &&
	test_grep "2026-11-28T09:00:00+08:00" out &&
	test_grep " zhang\.wei " out &&
	test_grep " file " out &&
	test_grep "电梯故障" out
'

test_expect_success 'log names the staff member who acted (--as)' '
	(cd s && docket log 2026-000002 >../out) &&
	test_line_count = 1 out &&
	commit=$(cut -c1-10 commit2) &&
	test_grep "^$commit" out &&
	test_grep " li\.na " out &&
	test_grep "2026-11-28T10:30:00+08:00" out &&
	test_grep " file " out
'

test_expect_success 'log lists only the commits of that case' '
	(cd s && docket log 2026-000001 >../out) &&
	test_line_count = 1 out &&
	! grep -q 噪音扰民 out &&
	! grep -q 电梯又坏了 out
'

test_expect_success 'log works from a subdirectory and with -C' '
	(cd s/cases && docket log 2026-000002 >../../out1) &&
	docket -C s log 2026-000002 >out2 &&
	test_cmp out1 out2 &&
	test_line_count = 1 out1
'

test_expect_success 'log changes nothing in the store' '
	store_state s >after &&
	test_cmp state after
'

test_expect_success 'log of a case that does not exist fails, naming it' '
	expect_refusal --code 1 s "2026-000999" docket log 2026-000999 &&
	test_grep "not found" err
'

test_expect_success 'log of something that is not a case id fails' '
	expect_refusal s "not a case id|case id" docket log ../../etc/passwd
'

test_expect_success 'log with no id is a usage error' '
	expect_refusal --code 2 s "^usage: docket log" docket log
'

test_done
