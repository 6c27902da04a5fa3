#!/bin/sh
test_description='shell completion: the bash function driven with COMP_WORDS/COMP_CWORD, and the zsh one'
. "$(dirname "$0")/lib.sh"

COMPLETION=$DOCKET_ROOT/completion
# make check installs zsh (tests/install-deps.sh)
command -v zsh >/dev/null 2>&1 && test_set_prereq ZSH

# complete WORD...: what bash offers when the cursor is at the end of the
# last WORD (give "" to complete an empty word), one a line, sorted.
complete () {
	bash -c '
		. "$1"
		shift
		COMP_WORDS=(docket "$@")
		COMP_CWORD=$#
		_docket
		[ ${#COMPREPLY[@]} -eq 0 ] || printf "%s\n" "${COMPREPLY[@]}"
	' complete "$COMPLETION/docket.bash" "$@" | LC_ALL=C sort
}

test_expect_success 'setup: a store with cases' '
	docket init s >/dev/null &&
	cat >s/docket.yaml <<-\EOF &&
	docket: 1
	organization: 某街道社区居委会
	language: zh
	departments:
	  - {id: property-office, label: 物业科, head: qian.hao, members: [qian.hao, qian.li]}
	  - {id: safety-office, label: 安全科}
	categories:
	  - {id: property, label: 物业, department: property-office}
	staff:
	  - {id: zhang.wei, name: 张伟, email: zhang.wei@example.org, roles: [intake, triage]}
	  - {id: qian.hao, name: 钱浩, email: qian.hao@example.org, roles: [handler]}
	  - {id: qian.li, name: 钱丽, email: qian.li@example.org, roles: [handler]}
	EOF
	git -C s commit -q -a -m staff &&
	docket -C s check &&
	for i in 1 2 3; do
		docket -C s --as zhang.wei file --channel phone \
			--subject "第$i件" --phone 1390000000$i >/dev/null || exit 1
	done
'

test_expect_success 'commands, one word given' '
	(cd s && complete re) >out &&
	printf "refer\nremind\nreopen\nreport\nresume\n" >expect &&
	test_cmp expect out &&
	(cd s && complete he) >out &&
	echo help >expect &&
	test_cmp expect out
'

test_expect_success 'docket help completes command names' '
	(cd s && complete help as) >out &&
	echo assign >expect &&
	test_cmp expect out
'

test_expect_success 'global options, and staff after --as (ids and names)' '
	(cd s && complete --v) >out &&
	echo --version >expect &&
	test_cmp expect out &&
	(cd s && complete --as qian) >out &&
	printf "qian.hao\nqian.li\n" >expect &&
	test_cmp expect out &&
	(cd s && complete --as 钱) >out &&
	printf "钱丽\n钱浩\n" | LC_ALL=C sort >expect &&
	test_cmp expect out
'

test_expect_success 'the options of a command, from its own table' '
	(cd s && complete list --as) >out &&
	echo --assignee >expect &&
	test_cmp expect out &&
	(cd s && complete close 2026-000001 --s) >out &&
	printf "%s\n" --satisfaction --summary >expect &&
	test_cmp expect out
'

test_expect_success 'case ids where a command takes one' '
	(cd s && complete show 2026-00000) >out &&
	printf "2026-000001\n2026-000002\n2026-000003\n" >expect &&
	test_cmp expect out &&
	(cd s && complete merge 2026-000003 --into 2026-000001) >out &&
	echo 2026-000001 >expect &&
	test_cmp expect out
'

test_expect_success 'staff, departments and labels as values' '
	(cd s && complete list --assignee q) >out &&
	printf "qian.hao\nqian.li\n" >expect &&
	test_cmp expect out &&
	(cd s && complete file --channel 来) >out &&
	printf "来电\n来访\n来信\n" | LC_ALL=C sort >expect &&
	test_cmp expect out &&
	(cd s && complete assign 2026-000001 --to property) >out &&
	echo property-office >expect &&
	test_cmp expect out
'

test_expect_success 'fixed words in the language of the store (language: zh)' '
	(cd s && complete close 2026-000001 --outcome 调解) >out &&
	printf "调解不成\n调解成功\n" | LC_ALL=C sort >expect &&
	test_cmp expect out &&
	(cd s && complete list --status 已) >out &&
	test_grep -x "已交办" out &&
	test_grep -x "已办结" out
'

test_expect_success 'format values from the option, files where a file goes' '
	(cd s && complete report --format h) >out &&
	echo html >expect &&
	test_cmp expect out &&
	mkdir s/scans && : >s/scans/欠条.jpg &&
	(cd s && complete file --attach scans/) >out &&
	echo "scans/欠条.jpg" >expect &&
	test_cmp expect out
'

test_expect_success '-C takes the store elsewhere' '
	complete -C s show 2026-00000 >out &&
	test_line_count = 3 out
'

test_expect_success 'outside a store: commands, no error on the terminal' '
	complete show "" >out 2>err &&
	test_must_be_empty out &&
	test_must_be_empty err &&
	complete li >out &&
	echo list >expect &&
	test_cmp expect out
'

test_expect_success ZSH 'zsh: the function hands the words over and adds what comes back' '
	(cd s && zsh -f -c "
		compadd () {
			while [[ \$1 == -* ]]; do
				[[ \$1 == -- ]] && { shift; break; }
				shift
			done
			print -l -- \"\$@\"
		}
		_files () { print -- FILES \"\$@\"; }
		words=(docket list --assignee q); CURRENT=4
		source $COMPLETION/_docket
		words=(docket file --attach x); CURRENT=4
		_docket
	") >out &&
	printf "qian.hao\nqian.li\nFILES\n" >expect &&
	test_cmp expect out
'

test_done
