#!/bin/sh
# lint-man.sh - check the manual pages; run from the top of the source tree
# after building ./docket (make check does both).
#
#  1. mandoc -Tlint -W warning on every page in man/: any output fails.
#  2. For every command printed by `./docket --commands`, the SYNOPSIS of
#     man/docket-COMMAND.1 (rendered, whitespace collapsed) must equal the
#     usage line printed by `./docket COMMAND --help` (its first paragraph,
#     without "usage: ", whitespace collapsed).  A command without a page
#     fails.  (Pages written ahead of their command are not an error.)
#  3. Every option that `./docket COMMAND --help` lists (a line starting
#     with "  --NAME") must have an entry in the OPTIONS section of the
#     page (".It Fl -NAME"), so that no option goes undocumented.
#  4. The Chinese pages, man/zh_CN/*.1 (man(7), with Chinese section
#     names): mandoc -Tlint as in 1; the usage (section 用法) equals the
#     first line of `docket [COMMAND] --help` under LC_ALL=zh_CN.UTF-8
#     (without "用法："); every option of that --help has an entry
#     (".TP" then ".B \-\-NAME" or ".BI \-\-NAME ..."); and the page
#     lists the same options as its English page, which stays the
#     reference.
#
# Prints one line per failure and a summary "N passed, M failed"; exits 1
# if anything failed.

docket=./docket
pass=0
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/lint-man.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

ok() {
	pass=$((pass + 1))
}

bad() {
	fail=$((fail + 1))
	printf 'FAIL: %s\n' "$*"
}

# Collapse all runs of blanks and newlines to one space, trim both ends.
squash() {
	awk '{ for (i = 1; i <= NF; i++) s = s (s == "" ? "" : " ") $i }
		END { print s }'
}

# The SYNOPSIS of a page as `mandoc -Tascii PAGE | col -b` shows it,
# whitespace collapsed.  The overstrikes (X BS X, _ BS X) are removed here
# with awk rather than col(1), which a minimal system may lack.
synopsis() {
	mandoc -Tascii "$1" | awk -v bs="$(printf '\b')" '
		{
			while ((i = index($0, bs)) > 1)
				$0 = substr($0, 1, i - 2) substr($0, i + 1)
		}
		/^SYNOPSIS$/ { on = 1; next }
		on && /^[^ \t]/ { exit }
		on { print }' | squash
}

# The usage of `./docket CMD --help`: its first paragraph (up to the first
# blank line), which must start with "usage: ", with that prefix removed.
usage_of() {
	"$docket" "$1" --help >"$tmp/help" 2>"$tmp/help.err"
	rc=$?
	if [ "$rc" -ne 0 ]; then
		printf "'docket %s --help' exited %d: %s\n" "$1" "$rc" \
			"$(head -n 1 "$tmp/help.err")" >"$tmp/why"
		return 1
	fi
	awk 'NF == 0 { exit } { print }' "$tmp/help" | squash >"$tmp/usage"
	case $(cat "$tmp/usage") in
	"usage: "*)
		sed 's/^usage: //' "$tmp/usage"
		;;
	*)
		printf "'docket %s --help' does not start with 'usage: '\n" \
			"$1" >"$tmp/why"
		return 1
		;;
	esac
}

# The long options a --help lists ("  --name ARG   text"), one per line,
# without -h/--help.
options_of() {
	awk '/^  --[a-z]/ { o = $1; sub(/=.*/, "", o)
		if (o != "--help") print o }'
}

# The options a page has an item for, as "--name", one per line: every
# "Fl -name" on an ".It" line (".It Fl -from Ar DATE Fl -to Ar DATE" gives
# both).
entries() {
	awk '$1 == ".It" { for (i = 2; i < NF; i++) if ($i == "Fl" &&
		$(i + 1) ~ /^-[a-z]/) { o = $(i + 1)
			sub(/[^a-z0-9-].*$/, "", o); print "-" o } }' "$1"
}

# Part 1: mandoc lint.
pages=$(ls man/*.[1-9] 2>/dev/null)
if [ -z "$pages" ]; then
	bad "no manual pages in man/"
fi
for page in $pages; do
	if out=$(mandoc -Tlint -W warning "$page" 2>&1) && [ -z "$out" ]; then
		ok
	else
		bad "$page: mandoc -Tlint:"
		printf '%s\n' "$out" | sed 's/^/    /'
	fi
done

# Parts 2 and 3: every command's SYNOPSIS and options against its --help.
if [ ! -x "$docket" ]; then
	bad "$docket not found or not executable: build it first (make)"
elif ! "$docket" --commands >"$tmp/commands" 2>"$tmp/commands.err"; then
	bad "'docket --commands' failed: $(head -n 1 "$tmp/commands.err")"
elif [ ! -s "$tmp/commands" ]; then
	bad "'docket --commands' printed no commands"
else
	while IFS= read -r cmd; do
		page=man/docket-$cmd.1
		if [ ! -f "$page" ]; then
			bad "command '$cmd' has no manual page $page"
			continue
		fi
		if ! usage_of "$cmd" >"$tmp/want"; then
			bad "$(cat "$tmp/why")"
			continue
		fi
		synopsis "$page" >"$tmp/got"
		if cmp -s "$tmp/want" "$tmp/got"; then
			ok
		else
			bad "$page: SYNOPSIS differs from 'docket $cmd --help'" \
				"(< --help, > man page):"
			diff "$tmp/want" "$tmp/got" | sed 's/^/    /'
		fi
		# Part 3: each option of --help has its entry in OPTIONS.
		missing=$(options_of <"$tmp/help" | while IFS= read -r o; do
			entries "$page" | grep -qx -- "$o" || printf ' %s' "$o"
		done)
		if [ -z "$missing" ]; then
			ok
		else
			bad "$page: OPTIONS has no entry for:$missing"
		fi
	done <"$tmp/commands"
fi

# Part 4: the Chinese pages.

# The usage section (用法) of a man(7) page, rendered, squashed.
# (The overstrikes go with sed in a UTF-8 locale: a Chinese character is
# several bytes, and awk may count bytes.)
synopsis_zh() {
	mandoc -Tutf8 "$1" | LC_ALL=C.UTF-8 sed "s/.$(printf '\b')//g" | awk '
		/^用法$/ { on = 1; next }
		on && /^[^ \t]/ { exit }
		on { print }' | squash
}

# The options a man(7) page has an entry for: the --names on the line
# after each .TP that starts with .B or .BI.
entries_zh() {
	awk 'tp && /^\.BI? / { line = $0
		while (match(line, /\\-\\-[a-z][a-z0-9-]*/)) {
			o = substr(line, RSTART + 4, RLENGTH - 4)
			print "--" o
			line = substr(line, RSTART + RLENGTH)
		} }
		{ tp = ($1 == ".TP") }' "$1" | sort -u
}

# The --help of CMD (none: docket itself) in Chinese, without the locale
# being generated: what a clerk sees.
help_zh() {
	LC_ALL=zh_CN.UTF-8 LANGUAGE= "$docket" $1 --help >"$tmp/help.zh" \
		2>"$tmp/help.zh.err"
}

zh_pages=$(ls man/zh_CN/*.1 2>/dev/null)
if [ -z "$zh_pages" ]; then
	bad "no Chinese manual pages in man/zh_CN/"
fi
for page in $zh_pages; do
	if out=$(mandoc -Tlint -W warning "$page" 2>&1) && [ -z "$out" ]; then
		ok
	else
		bad "$page: mandoc -Tlint:"
		printf '%s\n' "$out" | sed 's/^/    /'
	fi
	name=${page##*/}
	name=${name%.1}
	cmd=${name#docket}
	cmd=${cmd#-}
	en=man/$name.1
	if [ ! -x "$docket" ]; then
		continue
	fi
	if [ -n "$cmd" ] && ! grep -qx "$cmd" "$tmp/commands"; then
		bad "$page: no command '$cmd'"
		continue
	fi
	if ! help_zh "$cmd"; then
		bad "'docket $cmd --help' in Chinese failed:" \
			"$(head -n 1 "$tmp/help.zh.err")"
		continue
	fi
	awk 'NF == 0 { exit } { print }' "$tmp/help.zh" | squash |
		sed 's/^用法：//' >"$tmp/want"
	synopsis_zh "$page" >"$tmp/got"
	if cmp -s "$tmp/want" "$tmp/got"; then
		ok
	else
		bad "$page: 用法 differs from 'docket $cmd --help' in Chinese" \
			"(< --help, > man page):"
		diff "$tmp/want" "$tmp/got" | sed 's/^/    /'
	fi
	entries_zh "$page" >"$tmp/zh-entries"
	if [ -n "$cmd" ]; then
		missing=$(options_of <"$tmp/help.zh" | while IFS= read -r o; do
			grep -qx -- "$o" "$tmp/zh-entries" || printf ' %s' "$o"
		done)
		if [ -z "$missing" ]; then
			ok
		else
			bad "$page: no entry for:$missing"
		fi
	fi
	if [ ! -f "$en" ]; then
		bad "$page: no English page $en to hold it against"
		continue
	fi
	entries "$en" | sort -u >"$tmp/en-entries"
	if cmp -s "$tmp/en-entries" "$tmp/zh-entries"; then
		ok
	else
		bad "$page: lists other options than $en" \
			"(< English, > Chinese):"
		diff "$tmp/en-entries" "$tmp/zh-entries" | sed 's/^/    /'
	fi
done

printf '%d passed, %d failed\n' "$pass" "$fail"
[ "$fail" -eq 0 ]
