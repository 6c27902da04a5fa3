#!/bin/sh
# kill-trials.sh N [SEED] - randomized kill -9 trials against docket.
#
# Each trial starts one writing command on a throw-away store (file,
# triage, assign, note, close or remind, picked at random; remind only when
# the binary has it), kills it with SIGKILL after a random 0-40 ms (on a
# machine so slow or busy that a `file` takes more than 27 ms: 0 to 1.5
# times that, so the kills still spread over whole commands), runs
# `docket check --repair` (itself killed at random in one trial of ten,
# then run again) and verifies:
#
#   - check --repair exits 0 and `git status` shows nothing;
#   - at most one commit was added, and it names the command's action and
#     case (no half-recorded action: check compares events and commits;
#     for remind, which check leaves out, remind events appear in the
#     cases exactly when its commit does);
#   - a command that exited 0 has its commit (a note its text);
#   - every id that `file` printed is at HEAD with its "file" commit
#     (otherwise the case is counted as lost);
#   - case ids stay dense: an interrupted `file` leaves no gap.
#
# Prints "N trials, K interrupted, L lost" and "P passed, F failed"; exits
# 1 if any trial failed or any case was lost.  The seed is printed so a
# failing choice of commands can be replayed (the kill timing cannot).
#
#   DOCKET=PATH   the binary (default: docket in the repository root)
#   KEEP=1        keep the work directory
#   VERBOSE=1     one line per trial
#
# A fresh store every 100 trials keeps `check`, which reads every case's
# history, quick.

n=${1:-200}
seed=${2:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}
case $n in
''|*[!0-9]*)
	echo "usage: $0 N [SEED]" >&2
	exit 2
	;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
bin=${DOCKET:-$root/docket}
if [ ! -x "$bin" ]; then
	echo "kill-trials: $bin is not built (run 'make docket')" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/kill-trials.XXXXXX") || exit 1
if [ -z "$KEEP" ]; then
	trap 'rm -rf "$work"' EXIT
fi
trap 'exit 130' INT TERM
# a copy, so a rebuild during the run cannot change the binary under test
D=$work/docket
cp "$bin" "$D" || exit 1

# A clean environment of our own (also when run outside the CLI harness).
for v in $(env | sed -n 's/^\(DOCKET_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$v"
done
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_CONFIG_GLOBAL TZ
HOME=$work/home
LC_ALL=C.UTF-8
GIT_CONFIG_NOSYSTEM=1
DOCKET_NOW=2026-11-30T10:00:00+08:00
DOCKET_USER=tester
export HOME LC_ALL GIT_CONFIG_NOSYSTEM DOCKET_NOW DOCKET_USER
mkdir -p "$HOME" || exit 1

trials=0
interrupted=0
repair_killed=0
mid_commit=0	# killed with a pending list left (inside a commit)
mid_recorded=0	# ... after the ref moved: recovery had work to do
lost=0
passed=0
failed=0
store=
gen=0
ledger=$work/ledger	# ids printed by file in the current store
log=$work/trial.log

say () {
	printf '%s\n' "$*"
}

# case_file ID: the path of a case in the store (DESIGN 2)
case_file () {
	seq_=${1##*-}
	year_=${1%-*}
	printf 'cases/%s/%s/%s.yaml\n' "${year_##*-}" "${seq_%???}" "$1"
}

new_store () {
	gen=$((gen + 1))
	store=$work/s$gen
	"$D" init "$store" >/dev/null 2>&1 || {
		say "kill-trials: cannot init a store in $store" >&2
		exit 1
	}
	: >"$ledger"
}

# is_filed ID: the case is at HEAD with exactly one "file" commit.
is_filed () {
	git -C "$store" cat-file -e "HEAD:$(case_file "$1")" 2>/dev/null &&
	[ "$(git -C "$store" log -E --all-match --grep="^Case: $1\$" \
		--grep='^Action: file$' --format=%H | wc -l)" -eq 1 ]
}

# count_lost: ids in the ledger not filed at HEAD
count_lost () {
	k_=0
	while read -r id_; do
		is_filed "$id_" || {
			say "lost: $id_ was printed by file, is not filed" \
				>>"$log"
			k_=$((k_ + 1))
		}
	done <"$ledger"
	echo $k_
}

# dense: the sequence numbers at HEAD are 1..count
dense () {
	git -C "$store" ls-tree -r --name-only HEAD cases 2>/dev/null |
	sed 's/.*-0*\([0-9][0-9]*\)\.yaml$/\1/' | sort -n |
	awk '$1 != NR { bad = 1 } END { exit bad }'
}

# remind_events: the number of remind events in all case files
remind_events () {
	grep -rho "action: remind[,}]" "$store/cases" 2>/dev/null | wc -l
}

# pick STATUS R: print one case id in STATUS (the R-th modulo the count)
pick () {
	"$D" -C "$store" list --status "$1" --format ids >"$work/ids" \
		2>/dev/null || return 1
	c_=$(wc -l <"$work/ids")
	[ "$c_" -gt 0 ] || return 1
	sed -n "$(($2 % c_ + 1))p" "$work/ids"
}

# fail_trial MESSAGE: record a failed trial with what went wrong
fail_trial () {
	say "trial $trials ($what${id:+ $id}, exit $rc): $*" >>"$log"
	ok=
}

# run_killed DELAY_MS CMD...: run CMD in the background, SIGKILL it after
# DELAY_MS; sets rc to its exit status (137 when the kill landed).
run_killed () {
	ms_=$1
	shift
	: >"$work/out"
	: >"$work/err"
	"$@" >"$work/out" 2>"$work/err" &
	pid_=$!
	if [ "$ms_" -gt 0 ]; then
		sleep "$((ms_ / 1000)).$(printf %03d $((ms_ % 1000)))"
	fi
	kill -9 "$pid_" 2>/dev/null
	rc=0
	{ wait "$pid_"; } 2>/dev/null || rc=$?
}

trial () {
	kind=$1 delay=$2 r=$3 rdelay=$4
	ok=t
	id=
	what=file
	case $kind in
	1) what=triage; id=$(pick received "$r") || what=file ;;
	2) what=assign; id=$(pick accepted "$r") || what=file ;;
	3) what=note; id=$(pick assigned "$r") || what=file ;;
	4) what=close; id=$(pick assigned "$r") || what=file ;;
	5) what=remind ;;
	esac
	[ "$what" = file ] || [ "$what" = remind ] && id=
	before=$(git -C "$store" rev-list --count HEAD)
	reminds=$(remind_events)
	text="note $gen.$trials $r"
	case $what in
	file)
		run_killed "$delay" "$D" -C "$store" file --channel phone \
			--phone "139$(printf %08d $((gen * 100000 + trials)))" \
			--subject "电梯故障 $trials" ;;
	triage)
		run_killed "$delay" "$D" -C "$store" triage "$id" --accept \
			--category safety ;;
	assign)
		run_killed "$delay" "$D" -C "$store" assign "$id" \
			--to facilities ;;
	note)
		run_killed "$delay" "$D" -C "$store" note "$id" "$text" \
			--contact phone ;;
	close)
		run_killed "$delay" "$D" -C "$store" close "$id" \
			--outcome resolved --summary "修好了 $trials" \
			--notified phone ;;
	remind)
		run_killed "$delay" "$D" -C "$store" remind ;;
	esac
	trc=$rc
	case $rc in
	0) ;;
	137) interrupted=$((interrupted + 1)) ;;
	*) fail_trial "failed: $(cat "$work/err")" ;;
	esac
	if [ $trc = 137 ] && [ -e "$store/.git/docket-pending" ]; then
		mid_commit=$((mid_commit + 1))
		if [ "$(git -C "$store" rev-list --count HEAD)" -gt "$before" ]
		then
			mid_recorded=$((mid_recorded + 1))
		fi
	fi
	printed=
	if [ "$what" = remind ] && [ $trc = 0 ] && [ ! -s "$work/out" ]; then
		what=nothing	# nothing to remind: no commit either
	fi
	if [ "$what" = file ] && [ -s "$work/out" ]; then
		printed=$(cat "$work/out")
		echo "$printed" >>"$ledger"
		id=$printed
	fi

	# the next command: check --repair, sometimes itself interrupted
	if [ "$rdelay" -ge 0 ]; then
		run_killed "$rdelay" "$D" -C "$store" check --repair
		[ $rc -eq 137 ] && repair_killed=$((repair_killed + 1))
	fi
	rc=0
	"$D" -C "$store" check --repair >"$work/out" 2>"$work/err" || rc=$?
	[ $rc -eq 0 ] ||
		fail_trial "check --repair: $(cat "$work/out" "$work/err")"
	st=$(git -C "$store" status --porcelain --untracked-files=all)
	[ -z "$st" ] || fail_trial "git status: $st"

	after=$(git -C "$store" rev-list --count HEAD)
	added=$((after - before))
	if [ $added -eq 1 ]; then
		git -C "$store" log -1 --format=%B >"$work/msg"
		grep -qx "Action: $what" "$work/msg" ||
			fail_trial "the new commit is not a $what"
		if [ -n "$id" ]; then
			grep -qx "Case: $id" "$work/msg" ||
				fail_trial "the new commit does not name $id"
		fi
		if [ "$what" = note ] &&
		    ! grep -qF "$text" "$store/$(case_file "$id")"; then
			fail_trial "the note is not in the case"
		fi
	elif [ $added -ne 0 ]; then
		fail_trial "$added commits added"
	elif [ "$trc" = 0 ] && [ "$what" != nothing ]; then
		fail_trial "exited 0 but no commit was added"
	fi
	# remind events, which check does not count, come with their commit
	now_reminds=$(remind_events)
	if [ $added -eq 1 ] && [ "$what" = remind ]; then
		[ "$now_reminds" -gt "$reminds" ] ||
			fail_trial "a remind commit without remind events"
	elif [ "$now_reminds" != "$reminds" ]; then
		fail_trial "remind events without a remind commit"
	fi
	if [ -n "$printed" ] && ! is_filed "$printed"; then
		fail_trial "printed $printed, which is not filed"
	fi
	dense || fail_trial "case ids are not dense"
	if [ -n "$VERBOSE" ]; then
		say "trial $trials: $what${id:+ $id} after ${delay} ms: exit" \
			"$trc, $added commit(s)${ok:+ ok}"
	fi
	if [ -n "$ok" ]; then
		passed=$((passed + 1))
	else
		failed=$((failed + 1))
	fi
}

: >"$log"
# calibrate: how long a `file` takes here (the median of five), so the
# kill delays cover whole commands however busy the machine is
new_store
for i in 1 2 3 4 5; do
	t0=$(date +%s%N)
	"$D" -C "$store" file --channel web --subject 计时 >/dev/null 2>&1
	t1=$(date +%s%N)
	echo $(( (t1 - t0) / 1000000 ))
done | sort -n | sed -n 3p >"$work/median"
span=$(( $(cat "$work/median") * 3 / 2 ))
[ "$span" -ge 40 ] || span=40
store=

has_remind=0
"$D" --commands | grep -qx remind && has_remind=1
awk -v n="$n" -v seed="$seed" -v remind=$has_remind -v span=$span 'BEGIN {
	srand(seed)
	for (i = 0; i < n; i++) {
		k = rand()
		kind = k < 0.33 ? 0 : k < 0.5 ? 1 : k < 0.65 ? 2 : 3
		if (k >= 0.8)
			kind = 4
		if (kind == 4 && remind && k >= 0.92)
			kind = 5
		rd = rand() < 0.1 ? int(rand() * (span + 1)) : -1
		printf "%d %d %d %d\n", kind, int(rand() * (span + 1)),
			int(rand() * 100000), rd
	}
}' >"$work/plan" || exit 1

while read -r kind delay r rdelay; do
	if [ $((trials % 100)) -eq 0 ]; then
		[ -n "$store" ] && lost=$((lost + $(count_lost)))
		new_store
	fi
	trials=$((trials + 1))
	trial "$kind" "$delay" "$r" "$rdelay"
done <"$work/plan"
[ -n "$store" ] && lost=$((lost + $(count_lost)))

if [ -s "$log" ]; then
	sed 's/^/# /' "$log"
fi
say "seed $seed; kill delays 0-$span ms; $mid_commit killed inside a" \
	"commit ($mid_recorded after the ref moved); check --repair" \
	"interrupted $repair_killed times"
say "$trials trials, $interrupted interrupted, $lost lost"
[ "$lost" -eq 0 ] || failed=$((failed + 1))
say "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
