#!/bin/sh
# Run the unit test binaries named as arguments (tests/unit/test_*).
#
#   sh tests/run-unit.sh tests/unit/test_calendar tests/unit/test_store ...
#
# Each binary runs on its own; its output is shown only when it fails.
# Prints one line per binary, then "N passed, M failed" (binaries) and
# exits 1 if any failed or could not be run.  -v shows every output.

verbose=
case $1 in
-v|--verbose)
	verbose=t
	shift
	;;
esac

passed=0
failed=0
log=$(mktemp "${TMPDIR:-/tmp}/run-unit.XXXXXX") || exit 1
trap 'rm -f "$log"' EXIT
trap 'exit 130' INT TERM

for t in "$@"; do
	name=${t##*/}
	if [ ! -x "$t" ]; then
		printf '%-32s FAIL (not built: %s)\n' "$name" "$t"
		failed=$((failed + 1))
		continue
	fi
	code=0
	"$t" >"$log" 2>&1 || code=$?
	if [ $code -eq 0 ]; then
		printf '%-32s ok\n' "$name"
		passed=$((passed + 1))
		[ -n "$verbose" ] && sed 's/^/    /' "$log"
	else
		if [ $code -gt 128 ]; then
			why="killed by signal $((code - 128))"
		else
			why="exit $code"
		fi
		printf '%-32s FAIL (%s)\n' "$name" "$why"
		sed 's/^/    /' "$log"
		failed=$((failed + 1))
	fi
done

echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
