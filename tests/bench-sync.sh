#!/bin/sh
# bench-sync.sh - the figures of several offices sharing one history
# (issue 16), run by `make bench` after tests/bench.sh, or on its own:
#
#   sh tests/bench-sync.sh [N]      (N cases, default 100000)
#
# 1. Two offices hold clones of one store of N generated cases (tests/
#    report/gen_store.py) through a bare repository.  Each changes 1,000
#    cases offline with `docket note` (100 of them at both offices, so
#    the merge driver merges those field by field); office A syncs
#    (fetch, nothing to merge, push), then office B syncs without pushing
#    (fetch, merge 1,000 changed cases into its own 1,000, one merge
#    commit).  Beside it, the same merge by the git CLI: `git pull` in a
#    copy of B, with the merge driver `docket clone` configures.  Both
#    must give the same tree.
# 2. One case with 200 events added on each side since their common
#    version: `docket merge-driver` (what `git pull` and `docket sync`
#    run per case), beside `git merge-file` on the same three files.
#
# BENCH_STORES=DIR reuses DIR/store-N (as tests/bench.sh keeps them);
# BENCH_REPS runs of each timed command in part 2 (default 7).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
gen="$top/tests/report/gen_store.py"
n=${1:-${BENCH_SYNC_SIZE:-100000}}
reps=${BENCH_REPS:-7}
work=$(mktemp -d "${TMPDIR:-/tmp}/docket-bench-sync.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME="$work" GIT_CONFIG_NOSYSTEM=1 LC_ALL=C.UTF-8
unset DOCKET_DIR DOCKET_USER DOCKET_NOW
git config --global user.name Bench
git config --global user.email bench@example.org
# a copy: a rebuild during the run must not change what is measured
cp "$top/docket" "$work/docket"
docket="$work/docket"
timeit="$work/timeit"
${CC:-cc} -O2 -o "$timeit" "$top/tests/bench/timeit.c"
# the merge driver git runs is the docket measured
export PATH="$work:$PATH"

die() {
	echo "bench-sync: $*" >&2
	exit 1
}

# row LABEL: the samples of $work/t as one line: median and max wall,
# median CPU (ms), peak RSS (MB)
row() {
	sort -n "$work/t" | awk -v l="$1" '
		{ w[NR] = $1; cpu[NR] = $2; if ($3 > rss) rss = $3 }
		END {
			m = int((NR + 1) / 2)
			for (i = 1; i <= NR; i++) for (j = i + 1; j <= NR; j++)
				if (cpu[j] < cpu[i]) { x = cpu[i]; cpu[i] = cpu[j]; cpu[j] = x }
			printf "  %-40s %9.1f %9.1f %9.1f %8.1f\n", l,
				w[m] / 1000, w[NR] / 1000, cpu[m] / 1000, rss / 1024
		}'
	: >"$work/t"
}

header() {
	printf '  %-40s %9s %9s %9s %8s\n' "$1" "median ms" "max ms" \
		"cpu ms" "rss MB"
}

# notes DIR FIRST LAST TEXT: a `docket note` on every (N/1000)th case
# from the FIRST-th to the LAST-th of them, as office staff would
notes() {
	"$docket" -C "$1" --as chen.jing list --format ids >"$work/all"
	awk -v n="$n" -v a="$2" -v b="$3" '
		BEGIN { step = int(n / 1000); if (step < 1) step = 1 }
		{ id[NR] = $0 }
		END { for (i = a; i <= b && i * step <= NR; i++) print id[i * step] }
	' "$work/all" >"$work/pick"
	while read -r id; do
		"$docket" -C "$1" --as chen.jing note "$id" "$4" \
			>/dev/null 2>"$work/err" ||
			die "note $id failed in $1: $(cat "$work/err")"
	done <"$work/pick"
}

# ---- 1. sync of 1,000 changed cases --------------------------------------
store="$work/hq"
if [ -n "${BENCH_STORES:-}" ] && [ -d "$BENCH_STORES/store-$n" ]; then
	cp -a "$BENCH_STORES/store-$n" "$store"
else
	/usr/bin/python3 "$gen" "$store" --cases "$n" --start 2025-11-01 \
		--months 12 --now 2026-11-27T18:00:00+08:00
fi
git -C "$store" clone -q --bare . "$work/hub.git"
"$docket" clone "$work/hub.git" "$work/a" >/dev/null
"$docket" clone "$work/hub.git" "$work/b" >/dev/null
export DOCKET_NOW=2026-11-30T10:00:00+08:00
start=$(date +%s)
notes "$work/a" 1 1000 "总公司：已电话联系投诉人"
notes "$work/b" 901 1900 "分公司：已现场核实"
echo "docket sync: two clones of $n cases, 1,000 cases changed at each" \
	"(100 at both; the changes took $(($(date +%s) - start)) s)"
cp -a "$work/b" "$work/b-git"
: >"$work/t"
"$timeit" "$work/t" "$docket" -C "$work/a" --as chen.jing sync \
	>/dev/null 2>"$work/err" || die "sync at A failed: $(cat "$work/err")"
header "command"
row "docket sync (A: push 1,000 changed)"
"$timeit" "$work/t" "$docket" -C "$work/b" --as chen.jing sync --no-push \
	>/dev/null 2>"$work/err" || die "sync at B failed: $(cat "$work/err")"
row "docket sync --no-push (B: merge them)"
branch=$(git -C "$work/b-git" symbolic-ref --short HEAD)
"$timeit" "$work/t" git -C "$work/b-git" pull -q --no-rebase --no-edit \
	origin "$branch" >"$work/err" 2>&1 ||
	die "git pull failed: $(cat "$work/err")"
row "git pull, merge driver (the same merge)"
[ "$(git -C "$work/b" rev-parse 'HEAD^{tree}')" = \
	"$(git -C "$work/b-git" rev-parse 'HEAD^{tree}')" ] ||
	die "docket sync and git pull gave different trees"
[ -z "$(git -C "$work/b" status --porcelain)" ] || die "B not clean"
"$docket" -C "$work/b" check >/dev/null 2>&1 || die "check fails at B"
rm -rf "$work/a" "$work/b" "$work/b-git" "$work/hub.git" "$store"

# ---- 2. one case, 200 events on each side --------------------------------
s="$work/small"
"$docket" init "$s" >/dev/null 2>&1
export DOCKET_USER=bench
"$docket" -C "$s" file --channel phone --phone 13800000000 \
	--subject 合并基准 >"$work/id"
id=$(cat "$work/id")
path=$(cd "$s" && find cases -name "$id.yaml")
cp "$s/$path" "$work/O"
base=$(git -C "$s" rev-parse HEAD)
i=1
while [ "$i" -le 200 ]; do
	"$docket" -C "$s" note "$id" "甲方第${i}次记录" >/dev/null
	i=$((i + 1))
done
cp "$s/$path" "$work/A"
git -C "$s" reset -q --hard "$base"
i=1
while [ "$i" -le 200 ]; do
	"$docket" -C "$s" note "$id" "乙方第${i}次记录" >/dev/null
	i=$((i + 1))
done
cp "$s/$path" "$work/B"
echo
echo "merge of one case: 200 events added on each side"
header "command"
i=1
while [ "$i" -le "$reps" ]; do
	cp "$work/A" "$work/ours"
	"$timeit" "$work/t" "$docket" -C "$s" merge-driver "$work/O" \
		"$work/ours" "$work/B" "$path" || die "merge-driver failed"
	i=$((i + 1))
done
row "docket merge-driver"
events=$(grep -c 'action: note' "$work/ours" || true)
[ "$events" -eq 400 ] || die "the merged case has $events notes, not 400"
i=1
while [ "$i" -le "$reps" ]; do
	cp "$work/A" "$work/ours"
	# conflicts (exit 1..127) are expected: git cannot merge the lists
	"$timeit" "$work/t" sh -c 'git merge-file -q "$@"; [ $? -lt 128 ]' sh \
		"$work/ours" "$work/O" "$work/B" || die "git merge-file failed"
	i=$((i + 1))
done
row "git merge-file (conflicts)"
exit 0
