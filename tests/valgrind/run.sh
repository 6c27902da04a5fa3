#!/bin/sh
# run.sh UNIT-BIN... - the unit tests and the CLI tests under valgrind
# memcheck (make valgrind).
#
# Unit tests run as valgrind --leak-check=full --error-exitcode=1.  For the
# CLI tests the tree is copied to build-valgrind/, where ./docket is a
# wrapper that starts the real binary (docket.bin) under memcheck; the
# harness puts the tree's root first on PATH, so every `docket` a test runs
# goes through it.  docket's own failures exit 1, so the wrapper makes
# memcheck exit 96 and also writes each report to build-valgrind/vg/; any
# non-empty report fails the run even when the test expected a failure.
#
#   VALGRIND_ARGS    more memcheck options
#   VALGRIND_CLI     CLI test scripts to run (default: all), e.g. "t4010"
#   HOSTILE_TIMEOUT  seconds per hostile input (default here: 120)

root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
cd "$root" || exit 1
supp=$root/tests/valgrind/docket.supp
vg_opts="--tool=memcheck --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --track-origins=yes --num-callers=30 --suppressions=$supp ${VALGRIND_ARGS:-}"
failed=0

echo "== unit tests under valgrind"
for t in "$@"; do
	name=${t##*/}
	log=$(mktemp "${TMPDIR:-/tmp}/vg-unit.XXXXXX") || exit 1
	code=0
	# shellcheck disable=SC2086
	valgrind -q $vg_opts --error-exitcode=1 "$t" >"$log" 2>&1 || code=$?
	if [ $code -eq 0 ]; then
		printf '%-32s ok\n' "$name"
	else
		printf '%-32s FAIL (exit %s)\n' "$name" "$code"
		sed 's/^/    /' "$log"
		failed=$((failed + 1))
	fi
	rm -f "$log"
done

echo "== CLI tests with docket under valgrind"
rm -rf build-valgrind && mkdir -p build-valgrind/vg || exit 1
cp -r Makefile src include tests man schemas examples build-valgrind/ ||
	exit 1
for f in docket docket-faults; do
	[ -x "$f" ] && cp "$f" "build-valgrind/$f.bin"
done
for f in docket docket-faults; do
	[ -x "build-valgrind/$f.bin" ] || continue
	cat >"build-valgrind/$f" <<EOF
#!/bin/sh
# $f under valgrind memcheck (tests/valgrind/run.sh)
exec valgrind -q $vg_opts --error-exitcode=96 \\
	--log-file="$root/build-valgrind/vg/$f.%p.log" \\
	"$root/build-valgrind/$f.bin" "\$@"
EOF
	chmod +x "build-valgrind/$f"
done
code=0
(
	cd build-valgrind &&
	HOSTILE_TIMEOUT=${HOSTILE_TIMEOUT:-120} &&
	export HOSTILE_TIMEOUT &&
	sh tests/run-cli.sh ${VALGRIND_CLI:-}
) || code=$?
[ $code -eq 0 ] || failed=$((failed + 1))
reports=0
for r in build-valgrind/vg/*.log; do
	[ -s "$r" ] || continue
	reports=$((reports + 1))
	echo "memcheck report $r:"
	head -n 60 "$r" | sed 's/^/    /'
done
runs=$(ls build-valgrind/vg | wc -l)
echo "valgrind: $runs docket runs, $reports with memcheck errors"
[ $reports -eq 0 ] || failed=$((failed + 1))
[ $failed -eq 0 ]
