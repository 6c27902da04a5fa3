#!/bin/sh
# run-cli: alone (it measures time or races processes on purpose)
test_description='hostile input: every input of tests/hostile/MANIFEST is
refused with exit 1 or 2 and a message naming the problem (FILE:LINE:COLUMN
where there is a file), leaves the store exactly as it was, prints no raw
control character, and stays within time and memory bounds'
. "$(dirname "$0")/lib.sh"

HOSTILE=$DOCKET_ROOT/tests/hostile
MANIFEST=${HOSTILE_MANIFEST:-$HOSTILE/MANIFEST}
# Bounds for one docket run: seconds of CPU, and KiB of address space.
# The wall clock gets six times the CPU bound: it catches a read that
# blocks, while a busy machine (a CI runner, tests in parallel) does not
# fail a run that used little CPU.  The valgrind target raises the time;
# a sanitizer build, which reserves terabytes of address space, runs
# without the memory bound.
HOSTILE_TIMEOUT=${HOSTILE_TIMEOUT:-10}
HOSTILE_MEMORY=${HOSTILE_MEMORY:-1048576}
DOCKET_NOW=2026-11-28T09:00:00+08:00
export HOSTILE HOSTILE_TIMEOUT HOSTILE_MEMORY DOCKET_NOW

CASE_FILE=cases/2026/000/2026-000001.yaml

# bounded OUT ERR IN docket ARGS...: run with the time and memory bounds;
# the exit status is docket's (124 when it ran out of wall time, 128+24
# when SIGXCPU stopped it).
bounded () {
	b_out_=$1 b_err_=$2 b_in_=$3
	shift 3
	(
		b_cpu_=$HOSTILE_TIMEOUT
		if [ -n "$HOSTILE_MEMORY" ] && [ ! -f "$TRASH_DIRECTORY/.nomemlimit" ]
		then
			ulimit -v "$HOSTILE_MEMORY" || exit 125
		elif [ -f "$TRASH_DIRECTORY/.nomemlimit" ]; then
			# a sanitizer build runs about three times slower
			b_cpu_=$((b_cpu_ * 3))
		fi
		ulimit -t "$b_cpu_" || exit 125
		exec timeout -k 5 "$((b_cpu_ * 6))" "$@"
	) <"$b_in_" >"$b_out_" 2>"$b_err_"
}

# no_raw_controls FILE: FILE holds no C0 control (but tab, newline and the
# CR of a CRLF line end, as CSV has), DEL, C1 control (UTF-8 C2 80..C2 9F)
# or bidi override/isolate.  grep -P on the bytes (LC_ALL=C), line by
# line: a CR must be followed by the newline that ends its line; the "x"
# appended makes a CR at the very end of the file one that is not.  No
# interpreter per call: this runs twice for every docket run below.
RAW_CONTROLS='[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]|\r(?!$)|\xc2[\x80-\x9f]|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]'
no_raw_controls () {
	if [ ! -f "$1" ] || [ ! -r "$1" ]; then
		say "no_raw_controls: cannot read $1" >&4
		return 1
	fi
	nrc_code_=0
	{ cat "$1" && printf x; } | LC_ALL=C grep -boaP -e "$RAW_CONTROLS" \
		>"$TRASH_DIRECTORY/.raw" 2>&4 || nrc_code_=$?
	case $nrc_code_ in
	1)	return 0 ;;
	0)	say "$1: raw control character (byte offset:match):" >&4
		head -n 3 "$TRASH_DIRECTORY/.raw" | cut -c 1-80 | cat -v >&4
		return 1 ;;
	*)	say "no_raw_controls: grep -P failed on $1" >&4
		return 1 ;;
	esac
}

# ere_quote STRING: STRING as an extended regular expression matching itself
ere_quote () {
	printf '%s\n' "$1" | sed 's/[].[\\*^$()+?{}|]/\\&/g'
}

# refused STORE FILE-ERE POS MSG STDOUT IN docket ARGS...: docket run in
# STORE must exit 1 or 2 within the bounds, say 'docket: ' first on
# stderr, match "FILE:POS: .*MSG" (just MSG when POS is -), print nothing
# on stdout unless STDOUT is 'any', print no raw control character, and
# leave STORE as it was.  With r_again_=t (set just before the call, for
# a second command on the same store) the state the previous call found
# unchanged is taken as this call's "before" instead of reading it again.
refused () {
	r_dir_=$1 r_file_=$2 r_pos_=$3 r_msg_=$4 r_stdout_=$5 r_in_=$6
	shift 6
	if [ "${r_again_:-}" = t ] && [ -f "$TRASH_DIRECTORY/.after" ]; then
		mv "$TRASH_DIRECTORY/.after" "$TRASH_DIRECTORY/.before"
	else
		store_state "$r_dir_" >"$TRASH_DIRECTORY/.before" || return 1
	fi
	r_again_=
	rm -f "$TRASH_DIRECTORY/.after"
	r_code_=0
	(cd "$r_dir_" && bounded "$TRASH_DIRECTORY/out" "$TRASH_DIRECTORY/err" \
		"$r_in_" "$@") || r_code_=$?
	{ printf '$ %s (exit %s)\n' "$*" "$r_code_"
	  head -n 5 "$TRASH_DIRECTORY/err"; } | cut -c 1-300 | cat -v >&4
	case $r_code_ in
	1|2) ;;
	124|137)
		say "not finished within $((HOSTILE_TIMEOUT * 6)) seconds: $*" >&4
		return 1
		;;
	152)
		say "used more than $HOSTILE_TIMEOUT seconds of CPU: $*" >&4
		return 1
		;;
	125)
		say "could not set the time or memory bound" >&4
		return 1
		;;
	*)
		say "exit status $r_code_, want 1 or 2: $*" >&4
		return 1
		;;
	esac
	r_first_=
	IFS= read -r r_first_ <"$TRASH_DIRECTORY/err" || :
	case $r_first_ in
	'docket: '*) ;;
	*)	say "stderr does not start with 'docket: '" >&4
		return 1 ;;
	esac
	if [ "$r_pos_" = - ]; then
		r_re_=$r_msg_
	else
		r_re_="$r_file_:$r_pos_: .*$r_msg_"
	fi
	grep -E -e "$r_re_" "$TRASH_DIRECTORY/err" >/dev/null || {
		say "no line of stderr matches: $r_re_" >&4
		return 1
	}
	if [ "$r_stdout_" != any ]; then
		test_must_be_empty "$TRASH_DIRECTORY/out" || return 1
	fi
	no_raw_controls "$TRASH_DIRECTORY/err" || return 1
	no_raw_controls "$TRASH_DIRECTORY/out" || return 1
	store_state "$r_dir_" >"$TRASH_DIRECTORY/.after" || return 1
	if ! diff -u "$TRASH_DIRECTORY/.before" "$TRASH_DIRECTORY/.after" >&4
	then
		say "the refused command changed the store" >&4
		return 1
	fi
}

# input KIND NAME: the path of a corpus input, committed or generated
input () {
	if [ -e "$HOSTILE/$1/$2" ]; then
		echo "$HOSTILE/$1/$2"
	elif [ -e "$TRASH_DIRECTORY/gen/$1/$2" ]; then
		echo "$TRASH_DIRECTORY/gen/$1/$2"
	else
		say "no input $1/$2 in tests/hostile or gen" >&4
		return 1
	fi
}

# fresh_store: ./w, a copy of the base store (one valid case 2026-000001)
fresh_store () {
	rm -rf w && cp -a base w
}

# commit_hand_edit PATH SOURCE: replace PATH in ./w by SOURCE, committed
# with plain git as a person editing the store by hand would
commit_hand_edit () {
	cp "$2" "w/$1" &&
	git -C w add -- "$1" &&
	git -C w commit -q --allow-empty -m "hand edit of $1"
}

hostile_from () {
	f_in_=$(input from "$1") || return 1
	fresh_store &&
	refused w "$(ere_quote "$1")" "$2" "$3" empty /dev/null \
		docket file --from "$f_in_"
}

hostile_config () {
	c_in_=$(input config "$1") || return 1
	fresh_store &&
	commit_hand_edit docket.yaml "$c_in_" &&
	refused w 'docket\.yaml' "$2" "$3" any /dev/null docket check &&
	r_again_=t &&
	refused w 'docket\.yaml' "$2" "$3" empty /dev/null \
		docket file --channel phone --phone 13800000000 --subject x &&
	r_again_=t &&
	refused w 'docket\.yaml' "$2" "$3" empty /dev/null \
		docket show 2026-000001
}

hostile_case () {
	k_in_=$(input case "$1") || return 1
	fresh_store &&
	commit_hand_edit "$CASE_FILE" "$k_in_" &&
	k_file_=$(ere_quote "$CASE_FILE") &&
	refused w "$k_file_" "$2" "$3" any /dev/null docket check &&
	r_again_=t &&
	refused w "$k_file_" "$2" "$3" empty /dev/null \
		docket show 2026-000001 &&
	r_again_=t &&
	refused w "$k_file_" "$2" "$3" any /dev/null docket list &&
	r_again_=t &&
	refused w "$k_file_" "$2" "$3" empty /dev/null \
		docket note 2026-000001 "called back"
}

# A case file whose only problem check reports (show still works).
hostile_checkcase () {
	k_in_=$(input case "$1") || return 1
	fresh_store &&
	commit_hand_edit "$CASE_FILE" "$k_in_" &&
	refused w "$(ere_quote "$CASE_FILE")" "$2" "$3" any /dev/null \
		docket check
}

# cli/NAME.args: one argument per line as printf %b reads it (\0NNN for
# a byte); "@repeat N C" is an argument of N times C, "@stdin FILE" gives
# standard input (FILE under gen/ or tests/hostile/).
hostile_cli () {
	a_file_=$HOSTILE/cli/$1.args
	a_re_=$3
	[ -f "$a_file_" ] || { say "no $a_file_" >&4; return 1; }
	a_in_=/dev/null
	set --
	while IFS= read -r a_line_; do
		case $a_line_ in
		"@stdin "*)
			a_in_=${a_line_#@stdin }
			if [ -e "$TRASH_DIRECTORY/gen/$a_in_" ]; then
				a_in_=$TRASH_DIRECTORY/gen/$a_in_
			else
				a_in_=$HOSTILE/$a_in_
			fi
			;;
		"@repeat "*)
			set -- "$@" "$(set -- $a_line_
				head -c "$2" /dev/zero | tr '\0' "$3")"
			;;
		*)
			set -- "$@" "$(printf '%b' "$a_line_")"
			;;
		esac
	done <"$a_file_"
	fresh_store &&
	refused w - - "$a_re_" empty "$a_in_" docket "$@"
}

test_expect_success 'setup: generated inputs, a store with one case, files' '
	sh "$HOSTILE/gen.sh" gen &&
	docket init base >/dev/null &&
	docket -C base file --channel phone --phone 13800000000 \
		--subject 电梯故障 >id 2>/dev/null &&
	echo 2026-000001 >expect &&
	test_cmp expect id &&
	assert_clean base &&
	mkdir fx &&
	cp "$TEST_DATA/photo.jpg" fx/photo.jpg &&
	ln -s photo.jpg fx/link.jpg &&
	echo secret >fx/.hidden &&
	echo x >"fx/evil$(printf "\033")[2J.jpg" &&
	mkfifo fx/fifo &&
	if ! (ulimit -v "$HOSTILE_MEMORY" && docket --version) >/dev/null 2>&1
	then
		echo "docket does not start within ulimit -v $HOSTILE_MEMORY" \
			"(a sanitizer build?): running without the memory bound" &&
		: >"$TRASH_DIRECTORY/.nomemlimit"
	fi
'

# The check itself must catch what it is for: each of these is refused,
# and text with tabs, CRLF line ends and Chinese passes.
test_expect_success 'no_raw_controls refuses every kind of raw control, passes clean text' '
	for b in "\\000" "\\001" "\\010" "\\013" "\\014" "\\016" "\\033" \
		"\\037" "\\177" "\\302\\200" "\\302\\233" "\\302\\237" \
		"\\342\\200\\252" "\\342\\200\\256" "\\342\\201\\246" \
		"\\342\\201\\251" "a\\rb\\n" "a\\r" "a\\r\\n\\r"
	do
		printf "ok\\t中文 $b ok\\n" >sample &&
		if no_raw_controls sample 4>/dev/null; then
			echo "not caught: $b" && exit 1
		fi
	done &&
	printf "ok\\r" >sample &&
	! no_raw_controls sample 4>/dev/null &&
	printf "a\\tb\\r\\n中文 \\302\\240 \\342\\200\\251 \\342\\201\\245\\r\\n" >clean &&
	no_raw_controls clean &&
	! no_raw_controls missing 4>/dev/null
'

# So must the comparison of the store before and after (lib.sh).
test_expect_success 'store_state sees a changed byte, mode, file, directory, link and commit' '
	seen () {
		store_state w >after &&
		if cmp -s before after; then
			echo "store_state missed: $1" && return 1
		fi
		fresh_store && store_state w >before
	} &&
	fresh_store && store_state w >before &&
	printf x >>w/docket.yaml && seen "a byte" &&
	chmod 640 w/docket.yaml && seen "a mode" &&
	chmod 750 w/cases && seen "a directory mode" &&
	: >w/cases/new && seen "a new empty file" &&
	mkdir w/empty && seen "a new empty directory" &&
	rm w/$CASE_FILE && seen "a removed file" &&
	ln -s docket.yaml w/link && store_state w >before &&
	rm w/link && ln -s .gitattributes w/link && seen "a link target" &&
	git -C w commit -q --allow-empty -m x && seen "a commit" &&
	store_state w >after && test_cmp before after
'

# One test per manifest line: KIND NAME POS MESSAGE...
while read -r kind name pos msg; do
	case $kind in
	''|'#'*) continue ;;
	from|config|case|checkcase|cli) ;;
	*) BUG "MANIFEST: unknown kind '$kind' for '$name'" ;;
	esac
	a_msg_=$msg
	export a_msg_
	test_expect_success "$kind $name: $msg" \
		"hostile_$kind '$name' '$pos' \"\$a_msg_\""
done <"$MANIFEST"

# Text from the store shown on a terminal: a hand-committed case whose
# subject holds an escape sequence written as YAML "\e" is an invalid case,
# so show and list name the file and print no raw control character.
test_expect_success 'setup: a second case and a subject with "\e[2J"' '
	rm -rf esc && cp -a base esc &&
	docket -C esc file --channel phone --phone 13900000000 \
		--subject 第二件 >id 2>/dev/null &&
	cp "$HOSTILE/case/subject-escape.yaml" esc/$CASE_FILE &&
	git -C esc commit -q -am "hand edit: escape in the subject"
'

test_expect_success 'show --format text refuses the case, escaping nothing raw' '
	refused esc "$(ere_quote "$CASE_FILE")" 4:10 \
		"control character \(U\+001B\)" empty /dev/null \
		docket show 2026-000001 --format text
'

for fmt in table csv json ids; do
	test_expect_success "list --format $fmt skips the case, names it, exit 1" "
		refused esc \"\$(ere_quote \"\$CASE_FILE\")\" 4:10 \
			'control character' any /dev/null \
			docket list --format $fmt &&
		grep -q 2026-000002 out &&
		! grep -q 2026-000001 out
	"
done

test_expect_success 'check names the case file, escaping nothing raw' '
	refused esc "$(ere_quote "$CASE_FILE")" 4:10 \
		"control character \(U\+001B\)" any /dev/null docket check
'

# Symbolic links committed by hand must not lead a write out of the store.
test_expect_success 'a committed symlink attachments/ID -> outside: file --attach writes nothing there' '
	rm -rf sl-att out-att && mkdir out-att && cp -a base sl-att &&
	mkdir sl-att/attachments &&
	ln -s ../../out-att sl-att/attachments/2026-000002 &&
	git -C sl-att add attachments &&
	git -C sl-att commit -q -m "hand edit: a symlink" &&
	refused sl-att - - "link" empty /dev/null docket file --channel phone \
		--phone 13900000000 --subject 二 --attach ../fx/photo.jpg &&
	ls -A out-att >listing &&
	test_must_be_empty listing
'

test_expect_success 'a committed symlink cases/YEAR/NNN -> outside: file writes nothing there' '
	rm -rf sl-dir out-dir && mkdir out-dir && docket init sl-dir >/dev/null &&
	mkdir -p sl-dir/cases/2026 &&
	ln -s ../../../out-dir sl-dir/cases/2026/000 &&
	git -C sl-dir add cases &&
	git -C sl-dir commit -q -m "hand edit: a symlink" &&
	refused sl-dir - - "link" empty /dev/null docket file --channel phone \
		--phone 13900000000 --subject 二 &&
	ls -A out-dir >listing &&
	test_must_be_empty listing
'

# The history is text from the store too: a commit made by hand with
# escape sequences in its message, trailers and author.
test_expect_success 'setup: a hand-made commit with escapes in its trailers' '
	rm -rf hist && cp -a base hist &&
	e=$(printf "\033") && bel=$(printf "\007") &&
	printf "  - {at: 2026-11-28T10:00:00+08:00, by: tester, action: note, text: x}\n" \
		>>hist/$CASE_FILE &&
	git -C hist add $CASE_FILE &&
	GIT_AUTHOR_NAME="Evil${e}[2J" git -C hist commit -q -F - <<-EOF
	note 2026-000001: ${e}]0;pwned${bel}

	Case: 2026-000001
	Action: ${e}[2Jnote
	Actor: x${e}[31m
	EOF
'

test_expect_success 'log shows a hostile commit with its escapes made visible' '
	(cd hist && bounded ../out ../err /dev/null docket log 2026-000001) &&
	test_line_count = 2 out &&
	no_raw_controls out &&
	no_raw_controls err
'

test_expect_success 'check reports a hostile commit escaping nothing raw' '
	refused hist - - "history has" any /dev/null docket check
'

# The generated inputs take some 200 MB: never keep them in the trash.
rm -rf "$TRASH_DIRECTORY/gen"
test_done
