#!/bin/sh
# Run every CLI test script tests/cli/t[0-9]*.sh (or the ones named as
# arguments) against the docket built in the repository root.
#
#   sh tests/run-cli.sh                  all scripts
#   sh tests/run-cli.sh -v t0002         scripts whose name starts so,
#                                        with every test's output
#   sh tests/run-cli.sh -j 2             two scripts at a time
#
# With -j N, up to N scripts run at once, each in its own trash folder;
# a script that measures time or races processes on purpose says so with
# a line "# run-cli: alone" and runs after the others, by itself; one
# that takes long says "# run-cli: long" and starts before the others.  The
# results are printed in the scripts' order once all have run.
#
# Prints one line per script, the output of any script that failed, and
# finally "N passed, M failed" counting test cases; exits 1 if any test
# failed or a script ended without its summary line.

root=$(cd "$(dirname "$0")/.." && pwd) || exit 1
cd "$root" || exit 1

# --one SCRIPT LOG: run one script for the pool below (xargs -P): its
# output in LOG, its exit status in LOG.code, its seconds in LOG.secs.
if [ "$1" = --one ]; then
	start=$(date +%s)
	code=0
	sh "$2" $RUN_CLI_OPTS >"$3" 2>&1 || code=$?
	echo "$code" >"$3.code"
	echo $(($(date +%s) - start)) >"$3.secs"
	exit 0
fi

opts=
jobs=1
while [ $# -gt 0 ]; do
	case $1 in
	-v|--verbose)
		opts=-v
		shift
		;;
	-j)
		jobs=${2:-1}
		shift 2
		;;
	-j*)
		jobs=${1#-j}
		shift
		;;
	*)
		break
		;;
	esac
done
case $jobs in
''|*[!0-9]*|0)
	echo "run-cli: -j wants a number of scripts to run at once" >&2
	exit 2
	;;
esac

scripts=
if [ $# -eq 0 ]; then
	scripts=$(ls tests/cli/t[0-9]*.sh 2>/dev/null)
else
	for want; do
		want=${want##*/}
		want=${want%.sh}
		scripts="$scripts $(ls tests/cli/"$want"*.sh 2>/dev/null)"
	done
fi

if [ -z "$(echo $scripts)" ]; then
	echo "run-cli: no test scripts found in tests/cli" >&2
	echo "0 passed, 1 failed"
	exit 1
fi

passed=0
failed=0
dir=$(mktemp -d "${TMPDIR:-/tmp}/run-cli.XXXXXX") || exit 1
trap 'rm -rf "$dir"' EXIT
trap 'exit 130' INT TERM

# report NAME LOG CODE: one script's line (and its output when it failed)
report() {
	name=$1 log=$2 code=$3
	summary=$(sed -n 's/^# \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1 \2/p' \
		"$log" | tail -n 1)
	if [ -z "$summary" ]; then
		printf '%-28s FAIL (exit %s without a summary)\n' "$name" "$code"
		sed 's/^/    /' "$log"
		failed=$((failed + 1))
		return
	fi
	set -- $summary
	passed=$((passed + $1))
	failed=$((failed + $2))
	skipped=$(sed -n 's/^# \([0-9][0-9]*\) skipped$/, \1 skipped/p' "$log")
	secs=$(cat "$log.secs" 2>/dev/null)
	skipped="$skipped${secs:+ ($secs s)}"
	if [ "$2" -eq 0 ] && [ "$code" -eq 0 ]; then
		printf '%-28s %s passed%s\n' "$name" "$1" "$skipped"
		[ -n "$opts" ] && sed 's/^/    /' "$log"
	else
		if [ "$2" -eq 0 ]; then
			# every test passed but the script itself failed
			failed=$((failed + 1))
		fi
		printf '%-28s %s passed, %s failed%s\n' "$name" "$1" "$2" \
			"$skipped"
		sed 's/^/    /' "$log"
	fi
}

# run SCRIPT LOG: the script, its exit status in LOG.code, its time in
# LOG.secs
run() {
	RUN_CLI_OPTS=$opts sh "$root/tests/run-cli.sh" --one "$1" "$2"
}

if [ "$jobs" -eq 1 ]; then
	for t in $scripts; do
		run "$t" "$dir/log"
		report "${t##*/}" "$dir/log" "$(cat "$dir/log.code")"
	done
else
	# the shared ones, N at a time: a pool, so that a long script never
	# keeps a free slot waiting (xargs -P starts the next script as soon
	# as any one ends) ...
	# the ones marked "# run-cli: long" first, so that the pool does not
	# end with one of them running alone
	n=0
	for t in $scripts; do
		n=$((n + 1))
		grep -q '^# run-cli: alone' "$t" && continue
		if grep -q '^# run-cli: long' "$t"; then
			printf '0 %s %s\n' "$t" "$dir/$n"
		else
			printf '1 %s %s\n' "$t" "$dir/$n"
		fi
	done | sort -s -k1,1 | cut -d' ' -f2- |
		RUN_CLI_OPTS=$opts xargs -P "$jobs" -n 2 sh "$root/tests/run-cli.sh" --one
	# ... then the ones that must have the machine to themselves
	n=0
	for t in $scripts; do
		n=$((n + 1))
		grep -q '^# run-cli: alone' "$t" && run "$t" "$dir/$n"
	done
	n=0
	for t in $scripts; do
		n=$((n + 1))
		report "${t##*/}" "$dir/$n" "$(cat "$dir/$n.code")"
	done
fi

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
