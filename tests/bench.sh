#!/bin/sh
# make bench: timings that do not belong in tests (CI machines are noisy).
#
#   file: N sequential `docket file` runs into one store (N=1000 unless
#   BENCH_FILES is set), printing the mean time per run for each block of
#   100 so growth with the store's size shows.
# Other benchmarks (tests/bench-*.sh) run after it when present.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
docket="$top/docket"
n=${BENCH_FILES:-1000}
work=$(mktemp -d "${TMPDIR:-/tmp}/docket-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME="$work" GIT_CONFIG_NOSYSTEM=1 DOCKET_USER=bench
export DOCKET_NOW=2026-11-27T09:00:00+08:00
unset DOCKET_DIR

now_ms() {
	date +%s%3N
}

"$docket" init "$work/store" >/dev/null
cd "$work/store"
echo "docket file: $n sequential runs (mean ms per run, per block of 100)"
start=$(now_ms)
block=$start
i=1
while [ "$i" -le "$n" ]; do
	"$docket" file --channel phone --name "测试$i" \
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
printf 'file: %d runs in %d ms, mean %d ms per run\n' "$n" "$total" \
	$((total / n))
[ -z "$(git status --porcelain)" ] || { echo "store not clean"; exit 1; }
for b in "$top"/tests/bench-*.sh; do
	[ -f "$b" ] && sh "$b"
done
exit 0
