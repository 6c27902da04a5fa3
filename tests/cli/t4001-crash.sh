#!/bin/sh
# run-cli: alone (it measures time or races processes on purpose)
test_description='crash safety: kill -9 at every step of a commit and of recovery'
. "$(dirname "$0")/lib.sh"

# docket-faults is docket built with -DDOCKET_FAULTS: with DOCKET_FAULT set
# to the name of a point in src/store/ it kills itself there with SIGKILL
# (exit status 137 to the shell).  The points of a commit, in order
# (store.h): objects written, journal written, work-tree files, the new
# index in index.lock, the branch moved, index.lock renamed into place.
POINTS='commit-objects commit-pending commit-worktree-1 commit-index
	commit-ref commit-done'
# the action is recorded from this point on (the branch has moved)
RECORDED='commit-ref commit-done'

DF=$DOCKET_ROOT/docket-faults
DOCKET_USER=tester
export DOCKET_USER

test_expect_success 'docket-faults is built (make docket-faults)' '
	test -x "$DF"
'

# The template store every test copies: three cases filed on 20 Nov,
# 2026-000001 received, 2026-000002 accepted, 2026-000003 assigned; the
# tests run ten days later, so remind finds deadlines to record.
test_expect_success 'setup: a store with cases in three states' '
	DOCKET_NOW=2026-11-20T10:00:00+08:00 &&
	export DOCKET_NOW &&
	docket_init_store tmpl &&
	for i in 1 2 3; do
		docket -C tmpl file --channel phone --phone 1380000000$i \
			--subject "电梯故障$i" >>ids || exit 1
	done &&
	docket -C tmpl triage 2026-000002 --accept --category safety 2>err &&
	docket -C tmpl triage 2026-000003 --accept --category safety 2>err &&
	docket -C tmpl assign 2026-000003 --to facilities &&
	test "$(commit_count tmpl)" = 7 &&
	assert_clean tmpl
'

DOCKET_NOW=2026-11-30T10:00:00+08:00
export DOCKET_NOW

# fresh DIR: a copy of the template store
fresh () {
	rm -rf "$1" && cp -a tmpl "$1"
}

# target ACTION: the case the action works on
target () {
	case $1 in
	file|file-attach) echo 2026-000004 ;;
	triage) echo 2026-000001 ;;
	assign) echo 2026-000002 ;;
	*) echo 2026-000003 ;;
	esac
}

# act BIN DIR ACTION: run one action on the template's cases
act () {
	act_bin_=$1 act_dir_=$2
	case $3 in
	file)	"$act_bin_" -C "$act_dir_" file --channel phone \
			--phone 13900000099 --subject 新的投诉 ;;
	file-attach)
		"$act_bin_" -C "$act_dir_" file --channel phone \
			--phone 13900000099 --subject 新的投诉 \
			--attach "$TEST_DATA/photo.jpg" ;;
	triage)	"$act_bin_" -C "$act_dir_" triage 2026-000001 --accept \
			--category environment ;;
	assign)	"$act_bin_" -C "$act_dir_" assign 2026-000002 \
			--to facilities ;;
	note)	"$act_bin_" -C "$act_dir_" note 2026-000003 "已电话回访" \
			--contact phone ;;
	close)	"$act_bin_" -C "$act_dir_" close 2026-000003 \
			--outcome resolved --summary 电梯已修复 \
			--notified phone ;;
	remind)	"$act_bin_" -C "$act_dir_" remind ;;
	*)	BUG "no action '$3'" ;;
	esac
}

# crash POINT DIR ACTION: run the action with docket-faults, killed at
# POINT; fails unless it died of SIGKILL.  Saves the state before.
crash () {
	crash_point_=$1
	shift
	commit_count "$1" >before.count
	crash_file_=$1/$(case_path "$(target "$2")")
	rm -f before.case
	if [ -f "$crash_file_" ]; then cp "$crash_file_" before.case; fi
	crash_code_=0
	(
		DOCKET_FAULT=$crash_point_
		export DOCKET_FAULT
		act "$DF" "$@"
	) >crash.out 2>crash.err || crash_code_=$?
	if [ $crash_code_ -ne 137 ]; then
		say "not killed at $crash_point_ (exit $crash_code_):" >&4
		cat crash.err >&4
		return 1
	fi
}

# is_recorded POINT: 0 if a kill at POINT comes after the ref moved
is_recorded () {
	case " $(echo $RECORDED) " in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

# outcome DIR ACTION POINT: after the next command, the store checks,
# git status is clean, and the action is wholly recorded (one commit
# naming it, its event in the file) or wholly absent (no commit, the file
# as before), as POINT says it must be.
outcome () {
	out_dir_=$1 out_act_=${2%-attach} out_id_=$(target "$2")
	out_file_=$1/$(case_path "$out_id_")
	docket -C "$out_dir_" check >check.out 2>check.err || {
		say "check fails after the next command:" >&4
		cat check.out check.err >&4
		return 1
	}
	assert_clean "$out_dir_" || return 1
	out_before_=$(cat before.count)
	out_after_=$(commit_count "$out_dir_")
	if is_recorded "$3"; then
		if [ "$out_after_" != $((out_before_ + 1)) ]; then
			say "want 1 new commit, have" \
				$((out_after_ - out_before_)) >&4
			return 1
		fi
		git -C "$out_dir_" log -1 --format=%B >msg &&
		test_grep -x "Action: $out_act_" msg &&
		test_grep -x "Case: $out_id_" msg &&
		test_grep "action: $out_act_[,}]" "$out_file_" &&
		git -C "$out_dir_" show "HEAD:$(case_path "$out_id_")" \
			>head.case &&
		test_cmp head.case "$out_file_"
	else
		if [ "$out_after_" != "$out_before_" ]; then
			say "want no new commit, have" \
				$((out_after_ - out_before_)) >&4
			return 1
		fi
		if [ -f before.case ]; then
			test_cmp before.case "$out_file_" || return 1
		elif test -e "$out_file_"; then
			say "$out_file_ exists" >&4
			return 1
		fi
		if [ "$out_act_" = remind ] &&
		    grep -r "action: remind" "$out_dir_/cases" >&4; then
			say "a remind event is recorded" >&4
			return 1
		fi
	fi
}

# --- every action killed at every point; check --repair comes next ------

for action in file triage assign note close remind; do
	for point in $POINTS; do
		test_expect_success "$action killed at $point: repaired whole or absent" '
			fresh s &&
			crash $point s $action &&
			docket -C s check --repair >out 2>err &&
			outcome s $action $point
		'
	done
done

# attachments and remind write several files in one commit
for point in commit-ref commit-done; do
	test_expect_success "file --attach killed at $point: case and file both kept" '
		fresh s &&
		crash $point s file-attach &&
		docket -C s check --repair >out 2>err &&
		outcome s file-attach $point &&
		git -C s ls-tree -r --name-only HEAD attachments >att &&
		test_line_count = 1 att &&
		test_cmp "$TEST_DATA/photo.jpg" "s/$(cat att)"
	'
done

for point in commit-pending commit-worktree-1 commit-worktree-2 commit-index; do
	test_expect_success "file --attach killed at $point: nothing of it stays" '
		fresh s &&
		crash $point s file-attach &&
		docket -C s check --repair >out 2>err &&
		outcome s file-attach $point &&
		! test -e s/attachments
	'
done

for point in commit-worktree-2 commit-worktree-3 commit-index; do
	test_expect_success "remind killed at $point: none of its cases recorded" '
		fresh s &&
		crash $point s remind &&
		docket -C s check --repair >out 2>err &&
		outcome s remind $point
	'
done

test_expect_success "remind killed at commit-ref: all its cases recorded" '
	fresh s &&
	crash commit-ref s remind &&
	docket -C s check --repair >out 2>err &&
	outcome s remind commit-ref &&
	git -C s log -1 --format=%B >msg &&
	sed -n "s/^Case: //p" msg >cases &&
	test_line_count = 3 cases &&
	while read -r id; do
		test_grep "action: remind" "s/$(case_path $id)" || exit 1
	done <cases
'

# --- a writing command comes next: file ids stay dense -----------------

for point in $POINTS; do
	test_expect_success "file killed at $point: the next file takes the next id" '
		fresh s &&
		crash $point s file &&
		start=$(date +%s) &&
		docket -C s file --channel web --subject 下一件 >id 2>err &&
		test $(( $(date +%s) - start )) -lt 3 &&
		if is_recorded $point; then
			echo 2026-000005 >expect &&
			git -C s cat-file -e "HEAD:$(case_path 2026-000004)"
		else
			echo 2026-000004 >expect &&
			! git -C s cat-file -e "HEAD:$(case_path 2026-000005)" \
				2>/dev/null
		fi &&
		test_cmp expect id &&
		docket -C s check >out &&
		assert_clean s &&
		git -C s ls-tree -r --name-only HEAD cases >paths &&
		sed "s/.*-0*\([0-9]*\)\.yaml/\1/" paths >seqs &&
		seq 1 $(wc -l <seqs) >expect &&
		test_cmp expect seqs
	'
done

for point in commit-pending commit-worktree-1; do
	test_expect_success "note killed at $point: the next note is not lost" '
		fresh s &&
		crash $point s note &&
		docket -C s note 2026-000003 "第二次回访" >out 2>err &&
		docket -C s check >out &&
		assert_clean s &&
		test_grep "第二次回访" s/$(case_path 2026-000003) &&
		if is_recorded $point; then
			test_grep "已电话回访" s/$(case_path 2026-000003)
		else
			! grep -q "已电话回访" s/$(case_path 2026-000003)
		fi
	'
done

# --- recovery itself killed --------------------------------------------

for point in recover-worktree-1 recover-worktree-2 recover-index recover-done; do
	test_expect_success "check --repair killed at $point: the next one finishes" '
		fresh s &&
		crash commit-ref s file-attach &&
		test -f s/.git/docket-pending &&
		code=0 &&
		DOCKET_FAULT=$point "$DF" -C s check --repair >out 2>err ||
			code=$? &&
		test $code = 137 &&
		docket -C s check --repair >out 2>err &&
		! test -e s/.git/docket-pending &&
		outcome s file-attach commit-ref
	'
done

test_expect_success 'recovery killed twice in a row, then finished by a writer' '
	fresh s &&
	crash commit-ref s remind &&
	code=0 &&
	DOCKET_FAULT=recover-worktree-1 "$DF" -C s note 2026-000002 x \
		>out 2>err || code=$? &&
	test $code = 137 &&
	code=0 &&
	DOCKET_FAULT=recover-index "$DF" -C s note 2026-000002 x \
		>out 2>err || code=$? &&
	test $code = 137 &&
	docket -C s note 2026-000002 "终于" >out 2>err &&
	test "$(commit_count s)" = $(( $(cat before.count) + 2 )) &&
	test_grep "终于" s/$(case_path 2026-000002) &&
	! grep -q "action: note, text: x" s/$(case_path 2026-000002) &&
	docket -C s check >out &&
	assert_clean s
'

# --- git's lock files --------------------------------------------------

test_expect_success "a crashed docket's index.lock holds git off until docket finishes" '
	fresh s &&
	crash commit-ref s note &&
	test -f s/.git/index.lock &&
	! git -C s commit -q --allow-empty -m "by hand" 2>gerr &&
	test_grep "index.lock" gerr &&
	test "$(commit_count s)" = $(( $(cat before.count) + 1 )) &&
	docket -C s assign 2026-000002 --to facilities >out 2>err &&
	! test -e s/.git/index.lock &&
	test "$(commit_count s)" = $(( $(cat before.count) + 2 )) &&
	test_grep "已电话回访" s/$(case_path 2026-000003) &&
	docket -C s check >out &&
	assert_clean s
'

test_expect_success "a branch lock docket cannot prove its own stays: named, nothing changed" '
	fresh s &&
	: >s/.git/refs/heads/main.lock &&
	commit_count s >before.count &&
	code=0 &&
	DOCKET_LOCK_TIMEOUT=1 docket -C s file --channel web --subject 下一件 \
		>id 2>err || code=$? &&
	test $code = 1 &&
	test_grep "main\.lock" err &&
	test -e s/.git/refs/heads/main.lock &&
	test "$(commit_count s)" = "$(cat before.count)" &&
	rm s/.git/refs/heads/main.lock &&
	assert_clean s &&
	docket -C s file --channel web --subject 下一件 >id 2>err &&
	echo 2026-000004 >expect &&
	test_cmp expect id
'

test_expect_success "an old index.lock of another program is never removed" '
	fresh s &&
	: >s/.git/index.lock &&
	touch -d "1 hour ago" s/.git/index.lock &&
	DOCKET_LOCK_TIMEOUT=1 && export DOCKET_LOCK_TIMEOUT &&
	expect_refusal --code 1 s "index\.lock.*exists.*git command" \
		docket note 2026-000003 "稍后" &&
	test -e s/.git/index.lock &&
	rm s/.git/index.lock &&
	assert_clean s
'

test_expect_success "a running git command's index.lock: waited for, then named" '
	fresh s &&
	: >s/.git/index.lock &&
	DOCKET_LOCK_TIMEOUT=1 && export DOCKET_LOCK_TIMEOUT &&
	expect_refusal --code 1 s "index\.lock.*git command" \
		docket note 2026-000003 "稍后" &&
	test -e s/.git/index.lock &&
	rm s/.git/index.lock &&
	docket -C s note 2026-000003 "稍后" >out 2>err &&
	assert_clean s
'

test_expect_success "a lock released while docket waits: docket goes on" '
	fresh s &&
	: >s/.git/index.lock &&
	{ ( sleep 1 && rm s/.git/index.lock ) </dev/null >/dev/null 2>&1 & } &&
	DOCKET_LOCK_TIMEOUT=8 && export DOCKET_LOCK_TIMEOUT &&
	docket -C s note 2026-000003 "等了一会" >out 2>err &&
	wait &&
	test_grep "等了一会" s/$(case_path 2026-000003) &&
	assert_clean s
'

test_expect_success 'a kill inside a write leaves no temporary file behind' '
	fresh s &&
	crash commit-ref s file-attach &&
	: >"s/$(case_path 2026-000004).tmp.99999" &&
	mkdir -p s/attachments/2026-000004 &&
	: >"s/attachments/2026-000004/photo.jpg.tmp.99998" &&
	: >s/.git/docket-pending.tmp.99997 &&
	docket -C s check --repair >out 2>err &&
	! test -e "s/$(case_path 2026-000004).tmp.99999" &&
	! test -e s/attachments/2026-000004/photo.jpg.tmp.99998 &&
	! test -e s/.git/docket-pending.tmp.99997 &&
	outcome s file-attach commit-ref
'

test_expect_success 'a torn index (power cut) is refused, not rebuilt over' '
	fresh s &&
	head -c 100 s/.git/index >torn && cat torn >s/.git/index &&
	commit_count s >before.count &&
	expect_refusal --code 1 s "index.*damaged" \
		docket note 2026-000003 "电话已回复" &&
	test "$(commit_count s)" = "$(cat before.count)" &&
	cmp torn s/.git/index &&
	rm s/.git/index && git -C s reset -q &&
	docket -C s note 2026-000003 "电话已回复" >out 2>err &&
	assert_clean s &&
	docket -C s check >out
'

test_expect_success 'an index of zeros is refused; after git reset the note is recorded once' '
	fresh s &&
	n=$(git -C s rev-list --count HEAD) &&
	head -c 4096 /dev/zero >s/.git/index &&
	expect_refusal --code 1 s "index" docket note 2026-000003 "再次回复" &&
	test "$(git -C s rev-list --count HEAD)" = $n &&
	rm s/.git/index && git -C s reset -q &&
	docket -C s note 2026-000003 "再次回复" >out 2>err &&
	test "$(git -C s rev-list --count HEAD)" = $((n + 1)) &&
	assert_clean s &&
	grep -c "再次回复" s/$(case_path 2026-000003) >count &&
	echo 1 >expect && test_cmp expect count
'

test_done
