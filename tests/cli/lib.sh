# lib.sh - the harness every tests/cli/tNNNN-*.sh script sources, in the
# style of git's t/test-lib.sh.  POSIX sh.
#
#   #!/bin/sh
#   test_description='what this script covers'
#   . "$(dirname "$0")/lib.sh"
#
#   test_expect_success 'init makes one commit' '
#   	docket_init_store s &&
#   	test "$(commit_count s)" = 1
#   '
#   test_done
#
# Each script runs in a fresh trash directory tests/cli/trash.tNNNN-NAME.PID,
# removed when every test passed (kept with -d/--debug or on a failure),
# with a clean environment: its own HOME, no system or global git
# config, a fixed git identity, no DOCKET_* variables, LC_ALL=C.UTF-8,
# no TZ, and the docket built in the repository root first on PATH.
#
# Every test body runs in a subshell under `set -e`, starting in the
# trash directory, with stdin from /dev/null (so docket never sees a
# terminal).  State between tests lives in files, not shell variables.
# Options: -v/--verbose shows each test's output, -d/--debug keeps the
# trash directory, -i/--immediate stops at the first failure.
#
# Never pipe docket's output into another command: a pipe hides its exit
# status.  Redirect it to a file, then inspect the file.

TEST_DIRECTORY=$(cd "$(dirname "$0")" && pwd) || exit 1
DOCKET_ROOT=$(cd "$TEST_DIRECTORY/../.." && pwd) || exit 1
TEST_DATA=$TEST_DIRECTORY/data
TEST_NAME=$(basename "$0" .sh)
# The process id keeps two runs of one script (two people running
# `make check` in one checkout) out of each other's way.
TRASH_DIRECTORY=$TEST_DIRECTORY/trash.$TEST_NAME.$$

test_verbose=
test_debug=
test_immediate=
for test_arg_; do
	case $test_arg_ in
	-v|--verbose)	test_verbose=t ;;
	-d|--debug)	test_debug=t ;;
	-i|--immediate)	test_immediate=t ;;
	-h|--help)
		echo "usage: sh $0 [-v|--verbose] [-d|--debug] [-i|--immediate]"
		echo "${test_description:-}"
		exit 0
		;;
	*)
		echo "$0: unknown option '$test_arg_'" >&2
		exit 2
		;;
	esac
done

if [ ! -x "$DOCKET_ROOT/docket" ]; then
	echo "error: $DOCKET_ROOT/docket is not built (run 'make docket')" >&2
	echo "# 0 passed, 1 failed"
	exit 1
fi

# --- a clean environment ---------------------------------------------------

for test_var_ in $(env | sed -n 's/^\(DOCKET_[A-Za-z0-9_]*\)=.*/\1/p'); do
	unset "$test_var_"
done
unset DOCKET_DIR DOCKET_USER DOCKET_NOW DOCKET_TEMPLATES
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY \
	GIT_ALTERNATE_OBJECT_DIRECTORIES GIT_CONFIG GIT_CONFIG_GLOBAL \
	GIT_CONFIG_SYSTEM GIT_CONFIG_PARAMETERS GIT_CONFIG_COUNT \
	GIT_NAMESPACE GIT_TEMPLATE_DIR GIT_EDITOR GIT_PAGER XDG_CONFIG_HOME \
	EDITOR VISUAL PAGER TZ LANG LANGUAGE LC_CTYPE LC_MESSAGES LC_COLLATE \
	LC_TIME LC_NUMERIC LC_MONETARY CDPATH
HOME=$TRASH_DIRECTORY/.home
USER=tester
LOGNAME=tester
LC_ALL=C.UTF-8
GIT_CONFIG_NOSYSTEM=1
GIT_CEILING_DIRECTORIES=$TEST_DIRECTORY
GIT_AUTHOR_NAME='A U Thor'
GIT_AUTHOR_EMAIL=author@example.com
GIT_AUTHOR_DATE='1785000000 +0800'
GIT_COMMITTER_NAME='C O Mitter'
GIT_COMMITTER_EMAIL=committer@example.com
GIT_COMMITTER_DATE='1785000000 +0800'
PATH=$DOCKET_ROOT:$PATH
# A sanitizer report must never pass for docket's own exit status 1.
ASAN_OPTIONS="exitcode=99${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
UBSAN_OPTIONS="exitcode=98${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export HOME USER LOGNAME LC_ALL GIT_CONFIG_NOSYSTEM GIT_CEILING_DIRECTORIES \
	GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_AUTHOR_DATE \
	GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL GIT_COMMITTER_DATE PATH \
	ASAN_OPTIONS UBSAN_OPTIONS
umask 022
# Helpers report on fd 4, the test's log, even when the test body sends
# a command's stderr elsewhere (test_must_fail docket ... 2>err).
exec 4>&2

# --- the trash directory ---------------------------------------------------

test_remove_trash_ () {
	[ -d "$TRASH_DIRECTORY" ] || return 0
	chmod -R u+rwx "$TRASH_DIRECTORY" 2>/dev/null
	rm -rf "$TRASH_DIRECTORY"
}

# Remove what earlier runs of this script left (a failure keeps its trash
# directory), unless that run is still going.
for test_old_ in "$TEST_DIRECTORY/trash.$TEST_NAME".*; do
	[ -d "$test_old_" ] || continue
	kill -0 "${test_old_##*.}" 2>/dev/null && continue
	chmod -R u+rwx "$test_old_" 2>/dev/null
	rm -rf "$test_old_"
done
test_remove_trash_
if ! mkdir -p "$HOME" || ! cd "$TRASH_DIRECTORY"; then
	echo "error: cannot make the trash directory $TRASH_DIRECTORY" >&2
	echo "# 0 passed, 1 failed"
	exit 1
fi

# --- running tests ---------------------------------------------------------

test_count=0
test_passed=0
test_failed=0
test_skipped=0
test_prereqs_=' '

say () {
	printf '%s\n' "$*"
}

BUG () {
	say "BUG in $TEST_NAME: $*" >&2
	exit 1
}

# test_set_prereq NAME: tests marked NAME run from now on.
test_set_prereq () {
	test_prereqs_="$test_prereqs_$1 "
}

test_have_prereq () {
	case $test_prereqs_ in
	*" $1 "*) return 0 ;;
	esac
	return 1
}

test_run_ () {
	(
		cd "$TRASH_DIRECTORY" || exit 1
		exec 4>&2
		set -e
		eval "$1"
	) </dev/null >"$TRASH_DIRECTORY/.log" 2>&1
}

# test_expect_success [PREREQ] 'title' 'commands'
test_expect_success () {
	test_prereq_=
	if [ $# -eq 3 ]; then
		test_prereq_=$1
		shift
	fi
	[ $# -eq 2 ] || BUG "test_expect_success needs 2 or 3 arguments"
	test_count=$((test_count + 1))
	if [ -n "$test_prereq_" ] && ! test_have_prereq "$test_prereq_"; then
		test_skipped=$((test_skipped + 1))
		say "ok $test_count - $1 # skip (missing $test_prereq_)"
		return 0
	fi
	# Not in a condition: that would switch off set -e in the body.
	test_run_ "$2"
	if [ $? -eq 0 ]; then
		test_passed=$((test_passed + 1))
		say "ok $test_count - $1"
		[ -n "$test_verbose" ] && sed 's/^/#	/' "$TRASH_DIRECTORY/.log"
	else
		test_failed=$((test_failed + 1))
		say "not ok $test_count - $1"
		printf '%s\n' "$2" | sed 's/^/#	/'
		say "#	--- output ---"
		sed 's/^/#	/' "$TRASH_DIRECTORY/.log"
		if [ -n "$test_immediate" ]; then
			say "# stopped at the first failure (-i); trash kept in" \
				"$TRASH_DIRECTORY"
			say "# $test_passed passed, $test_failed failed"
			exit 1
		fi
	fi
	rm -f "$TRASH_DIRECTORY/.log"
	return 0
}

test_done () {
	[ $test_skipped -gt 0 ] && say "# $test_skipped skipped"
	say "# $test_passed passed, $test_failed failed"
	if [ $test_failed -eq 0 ]; then
		if [ -z "$test_debug" ]; then
			cd "$TEST_DIRECTORY" && test_remove_trash_
		fi
		exit 0
	fi
	say "# trash kept in $TRASH_DIRECTORY"
	exit 1
}

# --- assertions ------------------------------------------------------------

# test_must_fail docket ARGS...: docket must fail the ordinary way, with
# exit status 1 or 2; success, a crash (signal) or any other status is a
# test failure.  Only for our own binary.
test_must_fail () {
	case $1 in
	docket|*/docket) ;;
	*) BUG "test_must_fail is only for docket, not '$1'" ;;
	esac
	test_code_=0
	"$@" || test_code_=$?
	if [ $test_code_ -eq 0 ]; then
		say "test_must_fail: command succeeded: $*" >&4
		return 1
	elif [ $test_code_ -gt 128 ]; then
		say "test_must_fail: died of signal $((test_code_ - 128)): $*" >&4
		return 1
	elif [ $test_code_ -ne 1 ] && [ $test_code_ -ne 2 ]; then
		say "test_must_fail: exit status $test_code_ (not 1 or 2): $*" >&4
		return 1
	fi
	return 0
}

# test_expect_code N docket ARGS...: docket must exit with status N.
test_expect_code () {
	test_want_=$1
	shift
	test_code_=0
	"$@" || test_code_=$?
	if [ $test_code_ -ne "$test_want_" ]; then
		say "test_expect_code: exit status $test_code_, want $test_want_:" \
			"$*" >&4
		return 1
	fi
	return 0
}

# test_cmp EXPECTED ACTUAL
test_cmp () {
	diff -u "$1" "$2"
}

# test_line_count OP N FILE: e.g. test_line_count = 3 out
test_line_count () {
	test_lines_=$(wc -l <"$3") || return 1
	if ! [ "$test_lines_" "$1" "$2" ]; then
		say "test_line_count: $3 has $test_lines_ lines, want $1 $2:" >&4
		cat "$3" >&4
		return 1
	fi
}

# test_must_be_empty FILE
test_must_be_empty () {
	if [ -s "$1" ]; then
		say "'$1' is not empty, it contains:" >&4
		cat "$1" >&4
		return 1
	fi
}

# test_grep [GREP-OPTIONS] PATTERN FILE: like grep, but shows the file
# when the pattern is missing.
test_grep () {
	test_last_=
	for test_a_; do
		test_last_=$test_a_
	done
	if grep "$@" >/dev/null; then
		return 0
	fi
	say "test_grep: no match for '$*' in $test_last_:" >&4
	cat "$test_last_" >&4
	return 1
}

# --- docket helpers --------------------------------------------------------

# docket_init_store DIR [--template NAME] [--shared=group]
docket_init_store () {
	docket init "$@" >/dev/null
}

# commit_count [DIR]: number of commits reachable from HEAD
commit_count () {
	git -C "${1:-.}" rev-list --count HEAD
}

# assert_clean [DIR]: git status shows nothing (no change, no stray file)
assert_clean () {
	test_status_=$(git -C "${1:-.}" status --porcelain --untracked-files=all) ||
		return 1
	if [ -n "$test_status_" ]; then
		say "working tree of '${1:-.}' is not clean:" >&4
		say "$test_status_" >&4
		return 1
	fi
}

# yaml_get FILE KEY: print the value of KEY (dotted path into mappings,
# numbers index lists: complainant.phone, attachments.0.sha256) as the
# plain string YAML reads (a text ending in a newline is printed as it
# is), one line per item for a list of scalars, JSON for anything else.
# Fails when the key is missing.
yaml_get () {
	/usr/bin/python3 - "$1" "$2" <<'EOF'
import json, sys, yaml
with open(sys.argv[1], encoding="utf-8") as f:
    v = yaml.load(f, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
for k in sys.argv[2].split("."):
    if isinstance(v, list) and k.isdigit() and int(k) < len(v):
        v = v[int(k)]
    elif isinstance(v, dict) and k in v:
        v = v[k]
    else:
        sys.exit("yaml_get: %s has no '%s'" % (sys.argv[1], sys.argv[2]))
if isinstance(v, list) and all(isinstance(x, str) for x in v):
    print("\n".join(v))
elif isinstance(v, (list, dict)):
    print(json.dumps(v, ensure_ascii=False, sort_keys=True))
else:
    sys.stdout.write(v if v.endswith("\n") else v + "\n")
EOF
}

# case_path ID: the file of a case, relative to the store (DESIGN 2)
case_path () {
	case_seq_=${1##*-}
	case_year_=${1%-*}
	printf 'cases/%s/%s/%s.yaml\n' "${case_year_##*-}" "${case_seq_%???}" "$1"
}

# store_state DIR: everything a user could see change in a store: HEAD,
# the commit count, git status, and every file (name, mode, sha256)
# outside .git.  Compare before and after a command that must fail.
# A fixed number of processes whatever the store holds (one find lists
# names, modes and types, one sha256sum hashes every file, a symbolic
# link to a file by its target's content): expect_refusal and
# t4010-hostile run it hundreds of times.
store_state () {
	(
		cd "$1" || exit 1
		echo "HEAD $(git rev-parse HEAD) ($(git rev-list --count HEAD))"
		git status --porcelain --untracked-files=all --ignored
		find . -name .git -prune -o -printf '%m %y %p -> %l\n' |
			LC_ALL=C sort
		find . -name .git -prune -o -xtype f -print0 | LC_ALL=C sort -z |
			xargs -0 -r sha256sum -- 2>&1
		true
	)
}

# expect_refusal [--code N] DIR PATTERN docket ARGS...: run docket inside
# the store DIR; it must fail with exit status 1 or 2 (or exactly N),
# print nothing on stdout, say 'docket: ...' on stderr matching the
# extended regular expression PATTERN, and leave the store exactly as it
# was (no commit, no changed or new file).  Its stderr stays in
# $TRASH_DIRECTORY/err for further checks.
expect_refusal () {
	test_want_=
	if [ "$1" = --code ]; then
		test_want_=$2
		shift 2
	fi
	test_dir_=$1
	test_pattern_=$2
	shift 2
	case $1 in
	docket) ;;
	*) BUG "expect_refusal is only for docket, not '$1'" ;;
	esac
	store_state "$test_dir_" >"$TRASH_DIRECTORY/.state-before" || return 1
	test_code_=0
	(cd "$test_dir_" && "$@") >"$TRASH_DIRECTORY/out" \
		2>"$TRASH_DIRECTORY/err" || test_code_=$?
	if [ -n "$test_want_" ]; then
		if [ $test_code_ -ne "$test_want_" ]; then
			say "exit status $test_code_, want $test_want_: $*" >&4
			cat "$TRASH_DIRECTORY/err" >&4
			return 1
		fi
	elif [ $test_code_ -ne 1 ] && [ $test_code_ -ne 2 ]; then
		say "exit status $test_code_, want 1 or 2: $*" >&4
		cat "$TRASH_DIRECTORY/out" "$TRASH_DIRECTORY/err" >&4
		return 1
	fi
	test_must_be_empty "$TRASH_DIRECTORY/out" || return 1
	if ! head -n 1 "$TRASH_DIRECTORY/err" | grep -q '^docket: '; then
		say "stderr does not start with 'docket: ':" >&4
		cat "$TRASH_DIRECTORY/err" >&4
		return 1
	fi
	test_grep -E -e "$test_pattern_" "$TRASH_DIRECTORY/err" || return 1
	store_state "$test_dir_" >"$TRASH_DIRECTORY/.state-after" || return 1
	if ! diff -u "$TRASH_DIRECTORY/.state-before" \
		"$TRASH_DIRECTORY/.state-after" >&4; then
		say "the failed command changed the store" >&4
		return 1
	fi
}

# run_on_tty 'ANSWER|ANSWER|...' docket ARGS...: run docket with a
# pseudo-terminal as stdin, stdout and stderr, typing each answer (and a
# newline) whenever docket waits quietly for input; prints the whole
# transcript and exits with docket's status.
run_on_tty () {
	/usr/bin/python3 - "$@" <<'EOF'
import os, pty, select, sys, time
answers = sys.argv[1].split("|") if sys.argv[1] else []
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])
out, sent, deadline = b"", 0, time.time() + 30
while time.time() < deadline:
    ready, _, _ = select.select([fd], [], [], 0.5)
    if ready:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
    elif sent < len(answers):
        os.write(fd, answers[sent].encode() + b"\n")
        sent += 1
    else:
        os.write(fd, b"\x04")
else:
    os.kill(pid, 9)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.waitstatus_to_exitcode(status))
EOF
}

# docket_has_command NAME: the built docket offers this command
docket_has_command () {
	docket --commands >"$TRASH_DIRECTORY/.commands" 2>/dev/null &&
	grep -qx "$1" "$TRASH_DIRECTORY/.commands"
}
