#!/bin/sh
# bench-report.sh - time and peak memory of `docket report` over generated
# stores of 10,000 and 100,000 cases (one year of intake, histories up to
# November 2026), reporting on October 2026.  Run by `make bench` after
# tests/bench.sh, or on its own: sh tests/bench-report.sh [N...]
#
# The stores come from tests/report/gen_store.py (plain files committed
# with git in one commit); generating the 100,000-case store takes a
# couple of minutes and about 1 GB of disk.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
docket="$top/docket"
gen="$top/tests/report/gen_store.py"
work=$(mktemp -d "${TMPDIR:-/tmp}/docket-bench-report.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME="$work" GIT_CONFIG_NOSYSTEM=1
unset DOCKET_DIR DOCKET_USER DOCKET_NOW

[ -x /usr/bin/time ] || { echo "bench-report: /usr/bin/time is missing"; exit 1; }

# run LABEL ARGS...: one report, its wall time and peak resident memory
run() {
	label=$1
	shift
	/usr/bin/time -v "$docket" -C "$store" --as chen.jing report "$@" \
		>/dev/null 2>"$work/time"
	awk -v l="$label" '
		/Elapsed \(wall clock\)/ { t = $NF }
		/Maximum resident set size/ { m = $NF }
		END { printf "  %-36s %8s  %7.1f MB\n", l, t, m / 1024 }
	' "$work/time"
}

for n in ${@:-10000 100000}; do
	store="$work/store-$n"
	start=$(date +%s)
	/usr/bin/python3 "$gen" "$store" --cases "$n" --start 2025-11-01 \
		--months 12 --now 2026-11-27T18:00:00+08:00
	files=$(find "$store/cases" -name '*.yaml' | wc -l)
	echo "docket report: $files cases (generated in $(($(date +%s) - start)) s)"
	run "--month 2026-10 (table)" --month 2026-10
	run "--month 2026-10 --format json" --month 2026-10 --format json
	run "--month 2026-10 --format html" --month 2026-10 --format html
	run "--by respondent --format csv" --month 2026-10 --by respondent \
		--format csv
	run "--from 2025-11-01 --to 2026-11-01" --from 2025-11-01 \
		--to 2026-11-01 --format json
	rm -rf "$store"
done
