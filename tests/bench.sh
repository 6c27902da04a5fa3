#!/bin/sh
# make bench: timings that do not belong in tests (CI machines are noisy).
#
# 1. Per command, per store size: realistic stores (tests/report/
#    gen_store.py: Chinese text, full histories, every status) of
#    BENCH_SIZES cases (default "1000 10000 100000"); on each, every
#    command runs BENCH_REPS times (default 7) and a table prints the
#    median and max wall time, the median user+system CPU and the peak
#    resident memory.  The writing commands act on existing cases in the
#    state they need (picked with `docket list --status ... --format
#    ids`); "git add+commit" is the same one-file commit made with the git
#    CLI, as the reference, and "floor (libgit2)" the floor under both:
#    the commit alone, made with libgit2 without the index or the work
#    tree (tests/bench/floor.c).  `git status --porcelain` must stay empty
#    after every writing command.  Also printed: the store's bytes on disk
#    per case after `git gc`.
#    Before the writers run, the store gets a history as long as an
#    office's (BENCH_HISTORY commits per case, default 5: empty commits
#    with Case: and Action: trailers of other ids, through git
#    fast-import), so `check` walks what it would walk.  The reading
#    commands are measured warm (their caches in place) and cold: in a
#    fresh `git clone` of the store, no cache under .git/ (each of the
#    BENCH_COLD_REPS cold runs, default 3, removes them first).
#    A tar copy of the store (a restore from backup) is listed once and
#    then BENCH_REPS times: the first run refreshes git's index.
#    Also measured warm: list --phone and --name (through the keys),
#    list --text, a sorted and limited list, and agenda.  Beside the
#    reading commands, the git CLI's own pass over every case file:
#    `git status` (a stat of each, as a warm scan makes) and, in the
#    fresh clone, `git grep` (reading each, as a cold scan must).
# 2. Growth: BENCH_FILES sequential `docket file` runs into a new store
#    (1000 for a full run, 100 when BENCH_SIZES is given), the mean per
#    block of 100.
# 3. tests/bench-*.sh (report over 10k/100k; sync and merge between
#    offices, bench-sync.sh), only when BENCH_SIZES is
#    unset or includes 10000, and BENCH_OTHERS is not 0.
#
# BENCH_STORES=DIR keeps the generated stores there and copies them for
# each run instead of generating them again (100k cases take minutes).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
docket="$top/docket"
gen="$top/tests/report/gen_store.py"
sizes=${BENCH_SIZES:-1000 10000 100000}
reps=${BENCH_REPS:-7}
creps=${BENCH_COLD_REPS:-3}
if [ -n "${BENCH_SIZES:-}" ]; then
	nfiles=${BENCH_FILES:-100}
else
	nfiles=${BENCH_FILES:-1000}
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/docket-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME="$work" GIT_CONFIG_NOSYSTEM=1 LC_ALL=C.UTF-8
export DOCKET_NOW=2026-11-27T18:00:00+08:00
unset DOCKET_DIR DOCKET_USER
git config --global user.name Bench
git config --global user.email bench@example.org

timeit="$work/timeit"
# a copy: a rebuild during the run must not change what is measured
cp "$docket" "$work/docket"
docket="$work/docket"
${CC:-cc} -O2 -o "$timeit" "$top/tests/bench/timeit.c"
floor="$work/floor"
# shellcheck disable=SC2046
${CC:-cc} -O2 -o "$floor" "$top/tests/bench/floor.c" \
	$(pkg-config --cflags --libs libgit2)

die() {
	echo "bench: $*" >&2
	exit 1
}

# clean: the store's git status must be empty after a command
clean() {
	[ -z "$(git -C "$store" status --porcelain)" ] ||
		die "git status not clean after $1 (store of $n)"
}

# row NAME: the table line from the samples in $work/t
row() {
	k=$((k + 1))
	sort -n "$work/t" | awk -v c="$1" -v n="$n" -v k="$k" '
		{ w[NR] = $1; cpu[NR] = $2; if ($3 > rss) rss = $3 }
		END {
			m = int((NR + 1) / 2)
			# cpu median: sort the column on its own
			for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++)
				if (cpu[j] < cpu[i]) { x = cpu[i]; cpu[i] = cpu[j]; cpu[j] = x }
			printf "%d %-22s %7d %9.1f %9.1f %9.1f %8.1f\n", k, c, n,
				w[m] / 1000, w[NR] / 1000, cpu[m] / 1000, rss / 1024
		}'
	: >"$work/t"
}

# dk ARGS...: one timed docket run as the supervisor, output discarded
dk() {
	"$timeit" "$work/t" "$docket" -C "$store" --as chen.jing "$@" \
		>/dev/null 2>>"$work/err" || die "docket $* failed: $(tail -n 3 "$work/err")"
}

# pick STATUS: BENCH_REPS ids in that status, spread over the store
pick() {
	"$docket" -C "$store" --as chen.jing list --status "$1" --format ids \
		>"$work/all"
	awk -v r="$reps" '{ id[NR] = $0 }
		END {
			if (NR < r) exit 1
			for (i = 0; i < r; i++) print id[int(i * NR / r) + 1]
		}' "$work/all" >"$work/ids" ||
		die "fewer than $reps cases in status $1 (store of $n)"
}

make_store() {
	if [ -n "${BENCH_STORES:-}" ]; then
		mkdir -p "$BENCH_STORES"
		[ -d "$BENCH_STORES/store-$n" ] || gen_store "$BENCH_STORES/store-$n"
		cp -a "$BENCH_STORES/store-$n" "$store"
	else
		gen_store "$store"
	fi
}

gen_store() {
	/usr/bin/python3 "$gen" "$1" --cases "$n" --start 2025-11-01 \
		--months 12 --now "$DOCKET_NOW"
}

# add_history: BENCH_HISTORY empty commits per case on top of the store,
# with the trailers docket writes (of ids no case has, so check finds
# nothing to report and only walks)
add_history() {
	ref=$(git -C "$store" symbolic-ref HEAD) || die "store has no branch"
	/usr/bin/python3 "$top/tests/bench/history.py" "$ref" "$n" \
		"${BENCH_HISTORY:-5}" | git -C "$store" fast-import --quiet ||
		die "git fast-import of the history failed"
	git -C "$store" reset -q --hard
}

# cold CMD...: the command in a fresh clone, without docket's caches
cold() {
	i=1
	while [ "$i" -le "$creps" ]; do
		rm -f "$clone"/.git/docket-*
		"$timeit" "$work/t" "$docket" -C "$clone" --as chen.jing "$@" \
			>/dev/null 2>>"$work/err" ||
			die "docket $* (cold) failed: $(tail -n 3 "$work/err")"
		i=$((i + 1))
	done
}

bench_size() {
	store="$work/store-$n"
	make_store
	add_history
	git -C "$store" gc -q
	bytes=$(du -sb "$store/.git" | cut -f1)
	wt=$(du -sb --exclude=.git "$store" | cut -f1)
	printf 'store of %d cases after git gc: .git %d bytes per case, ' \
		"$n" $((bytes / n))
	printf 'work tree %d bytes per case\n' $((wt / n))
	: >"$work/t"
	k=0
	i=1
	while [ "$i" -le "$reps" ]; do
		dk file --channel phone --name "基准$i" \
			--phone "137$(printf %08d "$i")" --respondent "某某公司$i" \
			--subject "第${i}号投诉：物业服务问题" \
			--description "这是基准测试用的投诉内容。"
		clean file
		i=$((i + 1))
	done
	row file >>"$work/table"
	pick received
	for id in $(cat "$work/ids"); do
		dk triage "$id" --accept --category seeds
		clean triage
	done
	row triage >>"$work/table"
	for id in $(cat "$work/ids"); do
		dk assign "$id" --to seed-station
		clean assign
	done
	row assign >>"$work/table"
	for id in $(cat "$work/ids"); do
		dk note "$id" "已电话联系投诉人，约定下周现场核实。"
		clean note
	done
	row note >>"$work/table"
	for id in $(cat "$work/ids"); do
		dk close "$id" --outcome resolved --summary "经核实已处理完毕。" \
			--notified phone
		clean close
	done
	row close >>"$work/table"
	# what the writes and `git gc` left dirty is written out first:
	# read while the kernel still writes back 100 MB of pack, a warm
	# list of 100k took 0.34 s instead of 0.27 s (the git CLI's rows
	# alike), a row of the step before, not of the command
	sync
	for cmd in list "report --month 2026-10" "remind --dry-run" check; do
		i=1
		while [ "$i" -le "$reps" ]; do
			dk $cmd
			i=$((i + 1))
		done
		row "${cmd%% *}" >>"$work/table"
	done
	# finding a case (issue 15): by phone and by name through the keys
	# of .git/docket-keys, by a word of the text on every core; the
	# day's agenda
	for spec in "list --phone:list --phone 13700000001" \
		"list --name:list --name 基准1" \
		"list --text:list --text 物业服务问题" \
		"list @view:list --overdue --sort due --limit 20" \
		"agenda:agenda"; do
		i=1
		while [ "$i" -le "$reps" ]; do
			dk ${spec#*:}
			i=$((i + 1))
		done
		row "${spec%%:*}" >>"$work/table"
	done
	# the git CLI's own look at every case file: git status stats
	# each (as a warm scan does), git grep reads each (as a cold one)
	i=1
	while [ "$i" -le "$reps" ]; do
		"$timeit" "$work/t" git -C "$store" status --porcelain \
			>/dev/null || die "git status failed"
		i=$((i + 1))
	done
	row "git status" >>"$work/table"
	clone="$work/clone-$n"
	git clone -q "$store" "$clone" || die "git clone failed"
	sync
	for cmd in list "report --month 2026-10" "remind --dry-run" check; do
		cold $cmd
		row "${cmd%% *} (cold)" >>"$work/table"
	done
	i=1
	while [ "$i" -le "$creps" ]; do
		"$timeit" "$work/t" git -C "$clone" grep -c -h "^id:" -- cases \
			>/dev/null || die "git grep failed"
		i=$((i + 1))
	done
	row "git grep (cold)" >>"$work/table"
	rm -rf "$clone"
	# a store restored from a tar backup: every file has a new inode
	# and times; the first scan refreshes git's index (as git status
	# does), so the runs after it are warm again
	restored="$work/restored-$n"
	mkdir "$restored"
	tar -C "$store" -cf - . | tar -C "$restored" -xf -
	sync
	"$timeit" "$work/t" "$docket" -C "$restored" --as chen.jing list \
		>/dev/null 2>>"$work/err" || die "list (restored) failed"
	row "list (restored, 1st)" >>"$work/table"
	i=1
	while [ "$i" -le "$reps" ]; do
		"$timeit" "$work/t" "$docket" -C "$restored" --as chen.jing \
			list >/dev/null 2>>"$work/err" || die "list failed"
		i=$((i + 1))
	done
	row "list (restored)" >>"$work/table"
	rm -rf "$restored"
	# the reference: one new small file committed with the git CLI
	i=1
	while [ "$i" -le "$reps" ]; do
		f=cases/2026/999/bench-$i.yaml
		mkdir -p "$store/cases/2026/999"
		cp "$store/docket.yaml" "$store/$f"
		"$timeit" "$work/t" sh -c 'git -C "$1" add "$2" &&
			git -C "$1" commit -q -m "bench $2"' sh "$store" "$f" ||
			die "git add+commit failed"
		clean "git commit"
		i=$((i + 1))
	done
	row "git add+commit" >>"$work/table"
	# the floor: the same commit without index or work tree (last: it
	# leaves git's index behind HEAD)
	i=1
	while [ "$i" -le "$reps" ]; do
		"$timeit" "$work/t" "$floor" "$store" \
			"cases/2026/999/floor-$i.yaml" "$store/docket.yaml" ||
			die "the libgit2 floor commit failed"
		i=$((i + 1))
	done
	row "floor (libgit2)" >>"$work/table"
	rm -rf "$store"
}

: >"$work/table"
: >"$work/err"
for n in $sizes; do
	bench_size
done
echo
printf '%-22s %7s %9s %9s %9s %8s\n' command cases "median ms" "max ms" \
	"cpu ms" "rss MB"
sort -s -n -k1,1 "$work/table" | cut -d" " -f2-
echo

# growth with the store: sequential `docket file` runs into a new store
if [ "$nfiles" -gt 0 ]; then
	store="$work/seq"
	"$docket" init "$store" >/dev/null
	export DOCKET_USER=bench
	now_ms() {
		date +%s%3N
	}
	echo "docket file: $nfiles sequential runs (mean ms per run, per block of 100)"
	start=$(now_ms)
	block=$start
	i=1
	while [ "$i" -le "$nfiles" ]; do
		"$docket" -C "$store" file --channel phone --name "测试$i" \
			--phone "139$(printf %08d "$i")" --respondent "某某公司$((i % 50))" \
			--subject "第$i号投诉：物业服务问题" \
			--description "这是基准测试用的投诉内容。" >/dev/null
		if [ $((i % 100)) -eq 0 ]; then
			t=$(now_ms)
			printf '  cases %5d-%5d: %4d ms\n' $((i - 99)) "$i" \
				$(((t - block) / 100))
			block=$t
		fi
		i=$((i + 1))
	done
	total=$(($(now_ms) - start))
	printf 'file: %d runs in %d ms, mean %d ms per run\n' "$nfiles" \
		"$total" $((total / nfiles))
	[ -z "$(git -C "$store" status --porcelain)" ] || die "store not clean"
	unset DOCKET_USER
fi

case " $sizes " in
*" 10000 "*)
	run_others=1 ;;
*)
	run_others=${BENCH_SIZES:+0} ;;
esac
if [ "${run_others:-1}" = 1 ] && [ "${BENCH_OTHERS:-1}" != 0 ]; then
	for b in "$top"/tests/bench-*.sh; do
		[ -f "$b" ] && sh "$b"
	done
fi
exit 0
