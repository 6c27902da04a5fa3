#!/bin/sh
# race.sh [SECONDS] - docket writers against plain git, at the same time.
#
# For SECONDS (default 30) these run side by side on one store:
#
#   docket:  `file` one case at a time, `note` on filed cases, `close`
#            of filed cases, bulk `file --from` of 10 cases, and (with
#            RACE_REMIND=1) two `remind --mail` loops through a sendmail
#            that keeps every message;
#   git:     `git commit -a` of an admin's edit, `git add` of a second
#            file, a `git status` loop (a git-aware prompt), `git stash` /
#            `git stash pop`, and `git gc`.
#
# Every command's exit status and output is kept.  Afterwards:
#
#   - every id a `file` printed (alone or in bulk) is at HEAD, with its
#     own subject, and no id was printed twice;
#   - a `file` that failed left no case with its subject;
#   - every note whose `note` exited 0 is in its case at HEAD, and a note
#     that failed is not;
#   - every `close` that exited 0 closed its case;
#   - each reminder was mailed once (RACE_REMIND=1);
#   - `git status` is clean, `git fsck` and `docket check` pass.
#
# Prints the counts ("N actions, R races observed, L lost") and exits 1
# if anything was lost or broken.
#
#   DOCKET=PATH   the binary (default: docket in the repository root)
#   KEEP=1        keep the work directory
#   RACE_SPLIT=1  git's index split (core.splitIndex=true), as docket
#                 writes it from 20,000 cases on

secs=${1:-30}
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
DOCKET=${DOCKET:-$root/docket}
work=$(mktemp -d "${TMPDIR:-/tmp}/docket-race.XXXXXX") || exit 1
[ -n "$KEEP" ] || trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

unset DOCKET_DIR DOCKET_NOW GIT_DIR GIT_WORK_TREE
DOCKET_USER=tester
GIT_AUTHOR_NAME=Admin GIT_AUTHOR_EMAIL=admin@example.org
GIT_COMMITTER_NAME=Admin GIT_COMMITTER_EMAIL=admin@example.org
DOCKET_LOCK_TIMEOUT=30
export DOCKET_USER GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
	GIT_COMMITTER_EMAIL DOCKET_LOCK_TIMEOUT

"$DOCKET" init s >/dev/null || exit 1
cat >mailer <<EOF
#!/bin/sh
# keeps each message it is handed
f=\$(mktemp "$work/mail/msg.XXXXXX") && cat >"\$f"
sleep 0.1
EOF
chmod +x mailer
mkdir mail logs
cat >s/docket.yaml <<EOF
docket: 1
organization: 某县农业局
timezone: Asia/Shanghai
channels:
  - {id: web, label: 网站}
staff:
  - {id: tester, name: 测试员, email: tester@example.org, roles: [intake, triage, supervisor]}
  - {id: li.na, name: 李娜, email: li.na@example.org, roles: [triage]}
deadlines:
  ack: 1wd
  feedback: 3wd
  resolve: 15wd
calendar:
  workdays: [mon, tue, wed, thu, fri]
  holidays: [2026-01-01..2026-01-03, 2026-10-01..2026-10-07]
  extra_workdays: []
remind:
  within: 5wd
  repeat: 1wd
  escalate_after: 2wd
mail:
  from: docket@example.org
  sendmail: $work/mailer
EOF
[ -n "$RACE_SPLIT" ] && git -C s config core.splitIndex true
echo "admin notes" >s/notes.txt
echo "second file" >s/other.txt
git -C s add docket.yaml notes.txt other.txt &&
git -C s commit -q -m "admin: staff, mail, files" || exit 1
touch logs/files logs/notes logs/closes logs/bulks logs/reminds
end=$(( $(date +%s) + secs ))

running () {
	[ "$(date +%s)" -lt "$end" ]
}

# --- docket -----------------------------------------------------------------

filer () {
	n=0
	while running; do
		n=$((n + 1))
		code=0
		"$DOCKET" -C s file --channel web --subject "filer-$1-$n" \
			--phone "1390$1$(printf %06d $n)" \
			>logs/file.$1.$n.out 2>logs/file.$1.$n.err || code=$?
		echo "$code filer-$1-$n $(cat logs/file.$1.$n.out)" >>logs/files
	done
}

bulk () {
	n=0
	while running; do
		n=$((n + 1))
		: >logs/bulk.$n.yaml
		for k in 0 1 2 3 4 5 6 7 8 9; do
			printf -- '---\n{channel: web, subject: bulk-%s-%s}\n' \
				$n $k >>logs/bulk.$n.yaml
		done
		code=0
		"$DOCKET" -C s file --from logs/bulk.$n.yaml \
			>logs/bulk.$n.out 2>logs/bulk.$n.err || code=$?
		echo "$code $n" >>logs/bulks
	done
}

# The ids filed so far, one per line.
filed () {
	awk '$1 == 0 && NF == 3 { print $3 }' logs/files 2>/dev/null
}

noter () {
	n=0
	while running; do
		id=$(filed | shuf -n 1 2>/dev/null)
		[ -n "$id" ] || { sleep 0.05; continue; }
		n=$((n + 1))
		code=0
		"$DOCKET" -C s note "$id" "note-$n" >/dev/null \
			2>logs/note.$n.err || code=$?
		echo "$code $id note-$n" >>logs/notes
	done
}

closer () {
	n=0
	while running; do
		id=$(filed | sed -n "$((n * 3 + 1))p")
		[ -n "$id" ] || { sleep 0.1; continue; }
		n=$((n + 1))
		code=0
		"$DOCKET" -C s close "$id" --outcome withdrawn \
			--summary "closed-$n" >/dev/null 2>logs/close.$n.err ||
			code=$?
		echo "$code $id" >>logs/closes
	done
}

reminder () {
	while running || [ "$1" = last ]; do
		code=0
		"$DOCKET" -C s remind --mail >/dev/null 2>>logs/remind.$1.err ||
			code=$?
		echo "$code $(date +%s.%N)" >>logs/reminds
		[ "$1" = last ] && break
		sleep 0.2
	done
}

# --- git ----------------------------------------------------------------------

racy () {
	# a git command that could not take index.lock: a race docket caused
	grep -q "index.lock" "$1" 2>/dev/null && echo x >>logs/races
	:
}

committer () {
	n=0
	while running; do
		n=$((n + 1))
		echo "edit $n" >>s/notes.txt
		git -C s commit -q -a -m "admin edit $n" >/dev/null \
			2>logs/git.err || racy logs/git.err
	done
}

adder () {
	n=0
	while running; do
		n=$((n + 1))
		echo "add $n" >>s/other.txt
		git -C s add other.txt 2>logs/add.err || racy logs/add.err
		sleep 0.05
	done
}

statuser () {
	while running; do
		git -C s status --porcelain >/dev/null 2>&1
	done
}

stasher () {
	while running; do
		sleep 0.3
		git -C s stash -q 2>logs/stash.err || racy logs/stash.err
		git -C s stash pop -q >/dev/null 2>logs/pop.err ||
			racy logs/pop.err
	done
}

gcer () {
	while running; do
		sleep 2
		git -C s gc -q 2>/dev/null
	done
}

filer 1 & filer 2 & bulk & noter & closer &
committer & adder & statuser & stasher & gcer &
if [ -n "$RACE_REMIND" ]; then
	reminder 1 & reminder 2 &
fi
wait

# --- afterwards -----------------------------------------------------------

# settle: the admin commits what is left, as anyone would
git -C s stash list | grep -q . && git -C s stash pop -q >/dev/null 2>&1
git -C s add -A notes.txt other.txt 2>/dev/null
git -C s commit -q -m "admin: the rest" >/dev/null 2>&1
# a remind run that mailed but could not record (git gc, a lock) left
# its journal: the next run records it (and may mail what is new)
[ -n "$RACE_REMIND" ] && reminder last

fail=0
lost=0
bad () {
	echo "race: $*" >&2
	fail=1
}

git -C s ls-tree -r --name-only HEAD cases >head.paths
# every id filed is at HEAD with its subject; failures left nothing
while read -r code subject id; do
	if [ "$code" = 0 ]; then
		p=$(printf 'cases/%s/%s/%s.yaml' "${id%%-*}" \
			"$(echo "${id##*-}" | cut -c1-3)" "$id")
		if ! git -C s show "HEAD:$p" 2>/dev/null | grep -q "$subject"
		then
			bad "$id ($subject) printed but not at HEAD"
			lost=$((lost + 1))
		fi
	elif grep -rq "subject: $subject\$" s/cases 2>/dev/null; then
		bad "$subject: file failed (exit $code) but the case is there"
	fi
done <logs/files
cat logs/bulk.*.out 2>/dev/null >bulk.ids
for f in logs/bulk.*.yaml; do
	n=${f#logs/bulk.}; n=${n%.yaml}
	k=0
	while read -r id; do
		p=$(printf 'cases/%s/%s/%s.yaml' "${id%%-*}" \
			"$(echo "${id##*-}" | cut -c1-3)" "$id")
		if ! git -C s show "HEAD:$p" 2>/dev/null |
		    grep -q "bulk-$n-$k\$"; then
			bad "$id (bulk-$n-$k) printed but not at HEAD"
			lost=$((lost + 1))
		fi
		k=$((k + 1))
	done <logs/bulk.$n.out
done
{ filed; cat bulk.ids; } | sort | uniq -d >dups
[ -s dups ] && bad "ids printed twice: $(cat dups | tr '\n' ' ')"
{ filed; cat bulk.ids; } | sort -u | wc -l >nids
[ "$(wc -l <head.paths)" = "$(cat nids)" ] ||
	bad "$(wc -l <head.paths) case files at HEAD, $(cat nids) ids printed"
# notes
while read -r code id text; do
	p=$(printf 'cases/%s/%s/%s.yaml' "${id%%-*}" \
		"$(echo "${id##*-}" | cut -c1-3)" "$id")
	if [ "$code" = 0 ]; then
		git -C s show "HEAD:$p" | grep -q "text: $text[,}]" || {
			bad "$id: $text recorded (exit 0) but not at HEAD"
			lost=$((lost + 1))
		}
	elif git -C s show "HEAD:$p" | grep -q "text: $text[,}]"; then
		bad "$id: $text failed (exit $code) but is at HEAD"
	fi
done <logs/notes
# closes
while read -r code id; do
	[ "$code" = 0 ] || continue
	p=$(printf 'cases/%s/%s/%s.yaml' "${id%%-*}" \
		"$(echo "${id##*-}" | cut -c1-3)" "$id")
	git -C s show "HEAD:$p" | grep -q "^status: closed" || {
		bad "$id: closed (exit 0) but not closed at HEAD"
		lost=$((lost + 1))
	}
done <logs/closes
# reminders: one message per (case, deadline, due, level, recipient),
# and each one mailed is recorded at HEAD as a remind event to them
if [ -n "$RACE_REMIND" ]; then
	for m in mail/msg.*; do
		[ -f "$m" ] || continue
		to=$(sed -n 's/^To: .*<\(.*\)>$/\1/p' "$m")
		grep -E '^ *[0-9]{4}-[0-9]{6}' "$m" |
			awk -v to="$to" '{ print to, $1, $3, $NF }'
	done | sort >mailed
	uniq -d mailed >twice
	[ -s twice ] && bad "reminders mailed twice: $(head -3 twice)"
	while read -r to id deadline level; do
		p=$(printf 'cases/%s/%s/%s.yaml' "${id%%-*}" \
			"$(echo "${id##*-}" | cut -c1-3)" "$id")
		git -C s show "HEAD:$p" | grep "action: remind, deadline: $deadline," |
			grep "level: \"$level\"" | grep -q "to: \[.*${to%@*}" || {
			bad "$id: $deadline reminder mailed to $to, not recorded"
			lost=$((lost + 1))
		}
	done <mailed
	[ -s logs/reminds ] || bad "no remind run finished"
	[ -s mailed ] || bad "no reminder was mailed"
	[ -f s/.git/docket-remind ] && bad "a remind journal was left"
fi
st=$(git -C s status --porcelain)
[ -z "$st" ] || bad "git status is not clean: $st"
git -C s fsck --no-dangling >fsck.out 2>&1 || bad "git fsck: $(cat fsck.out)"
"$DOCKET" -C s check >check.out 2>&1 || bad "docket check: $(cat check.out)"

actions=$(( $(wc -l <logs/files) + $(wc -l <logs/notes) \
	+ $(wc -l <logs/closes) + $(wc -l <logs/bulks) ))
commits=$(git -C s rev-list --count HEAD)
races=$(wc -l <logs/races 2>/dev/null || echo 0)
reminded=
[ -n "$RACE_REMIND" ] && reminded=" $(wc -l <logs/reminds) remind runs mailed $(wc -l <mailed) reminders, none twice;"
echo "$actions docket actions ($(wc -l <head.paths) cases, $commits commits),$reminded" \
	"$races races observed, $lost lost"
[ -n "$KEEP" ] && echo "kept $work"
exit $fail
