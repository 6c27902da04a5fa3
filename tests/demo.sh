#!/bin/sh
# make demo: a walk through docket on a throw-away store, printing each
# command before it runs.  Time is fixed with DOCKET_NOW so the deadlines
# shown are the ones DESIGN section 6 works out.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
PATH="$top:$PATH"
export PATH
unset DOCKET_DIR DOCKET_TEMPLATES
work=$(mktemp -d "${TMPDIR:-/tmp}/docket-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME="$work" GIT_CONFIG_NOSYSTEM=1
store="$work/store"

run() {
	printf '\n$ %s\n' "$*"
	"$@"
}

has() {
	docket --commands | grep -qx "$1"
}

at() {
	DOCKET_NOW=$1
	export DOCKET_NOW
	printf '\n# %s\n' "$1"
}

export DOCKET_USER=zhang.wei
at 2026-11-23T09:00:00+08:00
run docket init "$store" --template agriculture
cd "$store"
run docket file --channel phone --name 李某 --phone 13800000000 \
	--respondent 某某农资店 --subject "购买的复合肥疑似假冒" \
	--description "11月20日在某某农资店购买复合肥10袋，施用后作物无变化，怀疑假冒。" \
	--request "查处假冒化肥并赔偿损失" --occurred 2026-11-20
run docket file --channel letter --anonymous --respondent 某某种子公司 \
	--subject "种子发芽率低" --location 城关镇
printf 'channel: web\nname: 王某\nemail: wang@example.org\nsubject: 农药包装无中文标签\nrespondent: 某某农药经销部\n' >"$work/form.yaml"
run cat "$work/form.yaml"
run docket file --from "$work/form.yaml"
run docket file --channel visit --name 李某 --phone 13800000000 \
	--respondent 某某农资店 --subject "再次反映假冒复合肥问题"
run docket list
if has triage; then
	export DOCKET_USER=chen.jing
	at 2026-11-23T10:00:00+08:00
	run docket triage
	run docket triage 2026-000001 --suggest
	run docket triage 2026-000001 --accept --category fertilizer/fake
	run docket assign 2026-000001 --to enforcement
	export DOCKET_USER=qian.hao
	at 2026-11-24T15:00:00+08:00
	run docket note 2026-000001 "已电话联系投诉人，约定现场取样" --contact phone
	at 2026-11-27T16:00:00+08:00
	run docket close 2026-000001 --outcome resolved \
		--summary "经抽样检测为假冒产品，已立案查处，经营者赔偿损失" \
		--notified phone --satisfaction satisfied
	export DOCKET_USER=chen.jing
	at 2026-11-30T07:30:00+08:00
	printf '\n# the morning cron job: who must act on what\n'
	run docket remind --dry-run
	printf '\n# the monthly figures (no complainant data in them)\n'
	run docket report --from 2026-11-01 --to 2026-12-01
fi
run docket show 2026-000001 --format text
run docket log 2026-000001
run docket list --format csv
run docket check
printf '\nThe store was in %s (removed now). Try it yourself:\n' "$store"
printf '  docket init ~/complaints && cd ~/complaints && docket file --help\n'
