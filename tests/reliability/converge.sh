#!/bin/sh
# converge.sh [ROUNDS] [SEED] - three offices work offline, then sync in
# random orders, some syncs killed with SIGKILL; nothing may be lost.
#
# A head office (hq) and two branches (gz, sz) share a bare repository.
# Each round, every site does a few random actions on its own copy —
# file a case, accept, assign, add a note, close, reopen — on its own
# cases and on cases other sites filed (so the same case is worked at
# two sites between syncs).  Then the sites sync in a random order, and
# about one sync in three is killed with SIGKILL at a random moment of
# its first 50 ms.
# At the end every site syncs until nothing moves, and:
#
#   - every site's HEAD tree is the shared repository's;
#   - every case a `file` printed is there once, with its own subject
#     (no two cases share an id);
#   - every note whose `note` exited 0 is in its case, once;
#   - `docket check` passes at every site and `git fsck` on the hub.
#
# Prints "R rounds, A actions, S syncs (K killed), M merges, D decided
# twice, L lost" and exits 1 if anything was lost or a check failed.
#
#   DOCKET=PATH   the binary (default: docket in the repository root)
#   KEEP=1        keep the work directory

rounds=${1:-10}
seed=${2:-$$}
root=$(cd "$(dirname "$0")/../.." && pwd) || exit 1
DOCKET=${DOCKET:-$root/docket}
work=$(mktemp -d "${TMPDIR:-/tmp}/docket-converge.XXXXXX") || exit 1
[ -n "$KEEP" ] || trap 'rm -rf "$work"' EXIT
cd "$work" || exit 1

unset DOCKET_DIR DOCKET_NOW GIT_DIR GIT_WORK_TREE DOCKET_SYNC_USER
GIT_AUTHOR_NAME=Admin GIT_AUTHOR_EMAIL=admin@example.org
GIT_COMMITTER_NAME=Admin GIT_COMMITTER_EMAIL=admin@example.org
DOCKET_LOCK_TIMEOUT=30
export GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME \
	GIT_COMMITTER_EMAIL DOCKET_LOCK_TIMEOUT

# a deterministic stream from SEED, so a failing run can be repeated
state=$seed
rand () {
	state=$(( (state * 1103515245 + 12345) % 2147483648 ))
	r=$(( (state / 65536) % $1 ))
}

mkdir tpl tpl/net logs
cp "$root/examples/insurance/docket.yaml" tpl/net/docket.yaml || exit 1
cat >>tpl/net/docket.yaml <<'YAML'
sites:
  - {id: hq, label: 总公司, prefix: HQ}
  - {id: gz, label: 广州分公司, prefix: GZ}
  - {id: sz, label: 深圳分公司, prefix: SZ}
YAML
DOCKET_TEMPLATES=$work/tpl
export DOCKET_TEMPLATES
"$DOCKET" init hq --template net --site hq >/dev/null || exit 1
git clone -q --bare hq hub.git || exit 1
git -C hq remote add origin ../hub.git || exit 1
for s in gz sz; do
	"$DOCKET" clone hub.git $s --site $s >/dev/null || exit 1
done

: >filed		# SITE ID SUBJECT, for each file that printed an id
: >notes		# ID MARKER, for each note that exited 0
actions=0 syncs=0 killed=0 failed=0 n=0

d () {
	"$DOCKET" -C "$site" --as "$who" "$@" >>logs/out 2>>logs/err
}

# a case this site holds now, in $id (empty when it has none)
pick_case () {
	"$DOCKET" -C "$site" list --format ids >ids 2>/dev/null
	nids=$(wc -l <ids)
	id=
	[ "$nids" -gt 0 ] || return 0
	rand "$nids"
	id=$(sed -n "$((r + 1))p" ids)
}

act () {
	n=$((n + 1))
	rand 8
	case $r in
	0|1)	who=lin.hui subject="投诉-$site-$n"
		if id=$("$DOCKET" -C "$site" --as $who file --channel hotline \
		    --phone 13800000000 --subject "$subject" \
		    --description 说明 2>>logs/err) && [ -n "$id" ]; then
			echo "$site $id $subject" >>filed
		fi
		return ;;
	esac
	pick_case
	[ -n "$id" ] || return 0
	who=guo.yan
	# what each site writes differs, as two offices' staff would: two
	# events alike in time, actor, action and every field are one event
	# by design (the union), and two commits for one event are what
	# check reports
	case $r in
	2)	d triage "$id" --category claims --accept --reason "受理-$site-$n" ;;
	3)	d assign "$id" --to guo.yan --reason "交办-$site-$n" ;;
	4|5|6)	marker="记录-$site-$n"
		d note "$id" "$marker" && echo "$id $marker" >>notes ;;
	7)	rand 2
		if [ $r = 0 ]; then
			d close "$id" --outcome resolved \
				--summary "已处理-$site-$n" --notified phone
		else
			who=shao.gang
			d reopen "$id" --reason "复查-$site-$n"
		fi ;;
	esac
}

sync_site () {
	syncs=$((syncs + 1))
	rand 3
	if [ $r = 0 ]; then
		"$DOCKET" -C "$1" --as lin.hui sync >>logs/out 2>>logs/err &
		pid=$!
		# within the first 50 ms: a local sync of a small store may
		# be done in a few dozen, and a kill after it proves nothing
		rand 50
		sleep "0.0$(printf %02d $r)"
		kill -9 $pid 2>/dev/null && killed=$((killed + 1))
		wait $pid 2>/dev/null
	else
		"$DOCKET" -C "$1" --as lin.hui sync >>logs/out 2>>logs/err
	fi
}

i=0
while [ $i -lt "$rounds" ]; do
	for site in hq gz sz; do
		rand 4
		todo=$((r + 2))
		while [ $todo -gt 0 ]; do
			act
			actions=$((actions + 1))
			todo=$((todo - 1))
		done
	done
	# a random order of the three sites
	rand 6
	case $r in
	0) order="hq gz sz" ;; 1) order="hq sz gz" ;; 2) order="gz hq sz" ;;
	3) order="gz sz hq" ;; 4) order="sz hq gz" ;; *) order="sz gz hq" ;;
	esac
	for s in $order; do
		sync_site $s
	done
	i=$((i + 1))
done

# everyone syncs until the shared history stops moving
pass=0
while [ $pass -lt 4 ]; do
	before=$(git -C hub.git rev-parse main)
	for s in hq gz sz hq gz; do
		"$DOCKET" -C $s --as lin.hui sync >>logs/out 2>>logs/err ||
			echo "final sync at $s failed" >>problems
	done
	[ "$(git -C hub.git rev-parse main)" = "$before" ] && break
	pass=$((pass + 1))
done

lost=0
: >>problems
hub=$(git -C hub.git rev-parse "main^{tree}")
for s in hq gz sz; do
	[ "$(git -C $s rev-parse "HEAD^{tree}")" = "$hub" ] ||
		echo "$s: HEAD differs from the shared repository" >>problems
	"$DOCKET" -C $s check >logs/check.$s 2>&1 ||
		echo "$s: docket check failed" >>problems
	[ -z "$(git -C $s status --porcelain)" ] ||
		echo "$s: git status is not clean" >>problems
done
git -C hub.git fsck --no-progress >logs/fsck 2>&1 || echo "hub: git fsck failed" >>problems
git -C hub.git archive main cases | tar -xf - -C "$work" || exit 1

while read -r s id subject; do
	f=$(find cases -name "$id.yaml")
	if [ -z "$f" ] || ! grep -q "^subject: $subject\$" "$f"; then
		echo "lost: case $id filed at $s ($subject)" >>problems
		lost=$((lost + 1))
	fi
	[ "$(grep -rl -- "$subject\$" cases | wc -l)" -eq 1 ] ||
		echo "case $subject is in more than one file" >>problems
done <filed
[ "$(cut -d" " -f2 filed | sort | uniq -d)" = "" ] ||
	echo "an id was printed twice" >>problems
while read -r id marker; do
	f=$(find cases -name "$id.yaml")
	copies=0
	[ -n "$f" ] && copies=$(grep -c -- "$marker" "$f")
	if [ "$copies" -ne 1 ]; then
		echo "lost: note $marker on $id ($copies copies)" >>problems
		lost=$((lost + 1))
	fi
done <notes

merges=$(git -C hub.git log --format=%B main | grep -c "^Action: sync")
twice=$(cat logs/check.hq | grep -c "two sites")
echo "seed $seed: $rounds rounds, $actions actions ($(wc -l <filed) cases" \
	"filed, $(wc -l <notes) notes), $syncs syncs ($killed killed)," \
	"$merges merges, $twice decided twice, $lost lost"
if [ -s problems ]; then
	cat problems
	exit 1
fi
exit 0
