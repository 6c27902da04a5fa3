#!/bin/sh
# Run every CLI test script tests/cli/t[0-9]*.sh (or the ones named as
# arguments) against the docket built in the repository root.
#
#   sh tests/run-cli.sh                  all scripts
#   sh tests/run-cli.sh -v t0002         scripts whose name starts so,
#                                        with every test's output
#
# Prints one line per script, the output of any script that failed, and
# finally "N passed, M failed" counting test cases; exits 1 if any test
# failed or a script ended without its summary line.

root=$(cd "$(dirname "$0")/.." && pwd) || exit 1
cd "$root" || exit 1

opts=
case $1 in
-v|--verbose)
	opts=-v
	shift
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
log=$(mktemp "${TMPDIR:-/tmp}/run-cli.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT
trap 'exit 130' INT TERM

for t in $scripts; do
	name=${t##*/}
	code=0
	sh "$t" $opts >"$log" 2>&1 || code=$?
	summary=$(sed -n 's/^# \([0-9][0-9]*\) passed, \([0-9][0-9]*\) failed$/\1 \2/p' \
		"$log" | tail -n 1)
	if [ -z "$summary" ]; then
		printf '%-28s FAIL (exit %s without a summary)\n' "$name" "$code"
		sed 's/^/    /' "$log"
		failed=$((failed + 1))
		continue
	fi
	set -- $summary
	passed=$((passed + $1))
	failed=$((failed + $2))
	skipped=$(sed -n 's/^# \([0-9][0-9]*\) skipped$/, \1 skipped/p' "$log")
	if [ "$2" -eq 0 ] && [ $code -eq 0 ]; then
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
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
