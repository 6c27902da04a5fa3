#!/bin/sh
# run.sh [-t SECONDS] [-r RUNS] TARGET... - run libFuzzer targets built in
# build-fuzz/ (make fuzz-bins), each for SECONDS (default 300) or RUNS
# executions, starting from seeds: the examples, tests/corpus and the
# hostile corpus.  What a target finds stays in build-fuzz/corpus/TARGET
# for the next run; crashes, leaks and timeouts (10 s per input) go to
# build-fuzz/crashes/TARGET/.  Prints one line per target; exits 1 if
# any target failed.
#
#   FUZZ_ARGS   more libFuzzer options, e.g. "-max_len=65536 -jobs=2"

root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cd "$root" || exit 1

time=300
runs=
while getopts t:r: opt; do
	case $opt in
	t) time=$OPTARG ;;
	r) runs=$OPTARG ;;
	*) echo "usage: run.sh [-t SECONDS] [-r RUNS] TARGET..." >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -gt 0 ] || set -- fuzz_case fuzz_config fuzz_from fuzz_index \
	fuzz_scancache fuzz_keys fuzz_folders fuzz_history fuzz_yfast

# seeds TARGET: the seed files of a target
seeds () {
	case $1 in
	fuzz_case)
		ls examples/*/cases/*.yaml tests/corpus/valid/* \
			tests/corpus/invalid/* tests/hostile/case/*
		;;
	fuzz_yfast)
		ls examples/*/cases/*.yaml tests/corpus/valid/* \
			tests/corpus/yfast/* tests/hostile/case/*
		;;
	fuzz_config)
		ls examples/*/docket.yaml tests/hostile/config/* \
			tests/cli/data/*docket*.yaml
		;;
	fuzz_from)
		ls tests/hostile/from/* tests/cli/data/*.yaml \
			tests/cli/data/*.json tests/corpus/valid/*
		;;
	fuzz_index)
		ls tests/corpus/index/*
		;;
	fuzz_scancache)
		ls tests/corpus/cachefiles/cache.*
		;;
	fuzz_keys)
		ls tests/corpus/cachefiles/keys.*
		;;
	fuzz_folders)
		ls tests/corpus/cachefiles/folders.*
		;;
	fuzz_history)
		ls tests/corpus/cachefiles/ids.* tests/corpus/cachefiles/actions.*
		;;
	esac 2>/dev/null
}

# copy_seeds TARGET DIR: seed files into DIR, named by content so that
# files of the same name from different places do not collide
copy_seeds () {
	rm -rf "$2" && mkdir -p "$2" || return 1
	seeds "$1" | while IFS= read -r f; do
		[ -f "$f" ] || continue
		cp "$f" "$2/$(sha1sum <"$f" | cut -c 1-16)"
	done
}

failed=0
for t in "$@"; do
	bin=build-fuzz/$t
	if [ ! -x "$bin" ]; then
		printf '%-12s FAIL (not built: %s)\n' "$t" "$bin"
		failed=$((failed + 1))
		continue
	fi
	seed=build-fuzz/seed/$t
	corpus=build-fuzz/corpus/$t
	crashes=build-fuzz/crashes/$t
	log=build-fuzz/$t.log
	mkdir -p "$corpus" "$crashes"
	copy_seeds "$t" "$seed" || exit 1
	limit="-max_total_time=$time"
	[ -n "$runs" ] && limit="-runs=$runs"
	code=0
	# shellcheck disable=SC2086
	"$bin" $limit -timeout=10 -rss_limit_mb=2048 \
		-dict=tests/fuzz/yaml.dict -artifact_prefix="$crashes/" \
		-print_final_stats=1 ${FUZZ_ARGS:-} "$corpus" "$seed" \
		>"$log" 2>&1 || code=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
		tail -n 1)
	secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' \
		"$log" | tail -n 1)
	if [ -z "$execs" ]; then
		# -fork=N prints "#EXECS: ... time: SECSs" lines instead
		execs=$(sed -n 's/^#\([0-9]*\): cov:.*/\1/p' "$log" | tail -n 1)
		secs=$(sed -n 's/^#[0-9]*: cov:.* time: \([0-9]*\)s.*/\1/p' \
			"$log" | tail -n 1)
	fi
	units=$(ls "$corpus" | wc -l)
	if [ $code -eq 0 ]; then
		printf '%-12s ok: %s executions in %s s, corpus %s inputs\n' \
			"$t" "${execs:-?}" "${secs:-?}" "$units"
	else
		printf '%-12s FAIL (exit %s) after %s executions; see %s\n' \
			"$t" "$code" "${execs:-?}" "$log"
		grep -E '^(==[0-9]+==ERROR|SUMMARY|fuzz_|.*runtime error|artifact_prefix|Test unit written)' \
			"$log" | head -n 20 | sed 's/^/    /'
		failed=$((failed + 1))
	fi
done
[ $failed -eq 0 ]
