#!/bin/sh
# check-po.sh - every message docket marks has its translation; run from
# the top of the source tree after `make pot` (make po-check does both).
#
#   sh tests/check-po.sh zh_CN ...
#
# For each language: po/LANG.po is merged with the fresh po/docket.pot
# (so that a message marked in the code but missing from the .po counts
# as untranslated), then `msgfmt --check --statistics` must pass and
# report no untranslated and no fuzzy message.  The .po as committed must
# pass msgfmt --check too, since that is what `make` builds.
#
# Prints one line per failure and "N passed, M failed"; exits 1 if
# anything failed.  To fix a failure: `make po-update`, translate the
# messages msgfmt names (search the .po for 'msgstr ""' and '#, fuzzy'),
# and run `make po-check` again.

pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/check-po.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

ok() {
	pass=$((pass + 1))
}

bad() {
	fail=$((fail + 1))
	printf 'FAIL: %s\n' "$*"
}

if [ ! -s po/docket.pot ]; then
	bad "po/docket.pot is missing: run 'make pot' first"
	printf '%d passed, %d failed\n' "$pass" "$fail"
	exit 1
fi

for lang in "$@"; do
	po=po/$lang.po
	if [ ! -f "$po" ]; then
		bad "$po is missing"
		continue
	fi
	if msgfmt --check -o /dev/null "$po" 2>"$tmp/err"; then
		ok
	else
		bad "$po: msgfmt --check:"
		sed 's/^/    /' "$tmp/err"
	fi
	if ! msgmerge --quiet --no-fuzzy-matching -o "$tmp/merged.po" "$po" \
	    po/docket.pot 2>"$tmp/err"; then
		bad "$po: msgmerge with po/docket.pot failed:"
		sed 's/^/    /' "$tmp/err"
		continue
	fi
	# --statistics prints "N translated messages, M fuzzy translations,
	# K untranslated messages." (the last two only when not zero).
	LC_ALL=C msgfmt --check --statistics -o /dev/null "$tmp/merged.po" \
		>"$tmp/stats" 2>&1
	rc=$?
	printf '%s: %s\n' "$po" "$(cat "$tmp/stats")"
	if [ $rc -ne 0 ] || grep -q 'fuzzy\|untranslated' "$tmp/stats"; then
		bad "$po is not complete; what is missing:"
		msgattrib --untranslated --no-obsolete "$tmp/merged.po" |
			sed -n 's/^msgid "\(..*\)"$/    untranslated: \1/p'
		msgattrib --only-fuzzy --no-obsolete "$tmp/merged.po" |
			sed -n 's/^msgid "\(..*\)"$/    fuzzy: \1/p'
		echo "    run 'make po-update' and translate them in $po"
	else
		ok
	fi
done

printf '%d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
