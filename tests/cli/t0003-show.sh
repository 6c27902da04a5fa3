#!/bin/sh
test_description='docket show: one case as yaml, json or text'
. "$(dirname "$0")/lib.sh"

DOCKET_NOW=2026-11-28T09:00:00+08:00
DOCKET_USER=zhang.wei
export DOCKET_NOW DOCKET_USER

# same_data YAML-FILE JSON-FILE: both hold the same keys in the same order
# and the same values (YAML scalars compared as the text they read as).
same_data () {
	/usr/bin/python3 - "$1" "$2" <<'EOF'
import json, sys, yaml
def norm(v):
    if isinstance(v, dict):
        return [(k, norm(x)) for k, x in v.items()]
    if isinstance(v, list):
        return [norm(x) for x in v]
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return str(v)
with open(sys.argv[1], encoding="utf-8") as f:
    y = yaml.load(f, Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
with open(sys.argv[2], encoding="utf-8") as f:
    j = json.load(f)
if norm(y) != norm(j):
    sys.exit("yaml and json differ:\n%s\n%s" % (norm(y), norm(j)))
EOF
}

test_expect_success 'setup: a store with a full case and a minimal one' '
	docket_init_store s &&
	(cd s &&
	 docket file --from "$TEST_DATA/from-full.yaml" \
		--attach "$TEST_DATA/photo.jpg" >../id1 &&
	 docket file --channel web --subject 无联系方式 >../id2) &&
	echo 2026-000001 >expect && test_cmp expect id1 &&
	echo 2026-000002 >expect && test_cmp expect id2 &&
	store_state s >state
'

test_expect_success 'show ID prints the case file exactly' '
	(cd s && docket show 2026-000001 >../out 2>../err) &&
	test_cmp s/cases/2026/000/2026-000001.yaml out &&
	test_must_be_empty err
'

test_expect_success 'show --format yaml prints the case file exactly' '
	(cd s && docket show 2026-000002 --format yaml >../out) &&
	test_cmp s/cases/2026/000/2026-000002.yaml out
'

test_expect_success 'show --format json is valid JSON with the case id' '
	(cd s && docket show 2026-000001 --format json >../out.json) &&
	jq -e . out.json >/dev/null &&
	test "$(jq -r .id out.json)" = 2026-000001 &&
	test "$(jq -r .subject out.json)" = 小区电梯长期故障无人维修
'

test_expect_success 'show --format json types: phone text, count number, anonymous boolean' '
	test "$(jq -r ".complainant.phone | type" out.json)" = string &&
	test "$(jq -r .complainant.phone out.json)" = 13912345678 &&
	test "$(jq -r ".complainant.count | type" out.json)" = number &&
	test "$(jq -r ".complainant.anonymous | type" out.json)" = boolean &&
	test "$(jq -r ".events | type" out.json)" = array &&
	test "$(jq -r ".attachments[0].sha256" out.json)" = \
		"$(sha256sum <"$TEST_DATA/photo.jpg" | cut -c1-64)"
'

test_expect_success 'show --format json holds what the file holds, keys in order' '
	same_data s/cases/2026/000/2026-000001.yaml out.json &&
	(cd s && docket show 2026-000002 --format json >../out2.json) &&
	same_data s/cases/2026/000/2026-000002.yaml out2.json
'

test_expect_success 'show --format json keeps a multi-line description' '
	printf "3号楼电梯自11月20日起停运，物业一直未安排维修。\n楼内多名老人行动不便，无法下楼就医。\n" >expect &&
	jq -j .description out.json >actual &&
	test_cmp expect actual
'

test_expect_success 'show --format text names the case, its status, subject and people' '
	(cd s && docket show 2026-000001 --format text >../out.txt 2>../err) &&
	test_must_be_empty err &&
	test_grep 2026-000001 out.txt &&
	test_grep received out.txt &&
	test_grep 小区电梯长期故障无人维修 out.txt &&
	test_grep 张某 out.txt &&
	test_grep 13912345678 out.txt &&
	test_grep 某某物业服务有限公司 out.txt &&
	test_grep 楼内多名老人行动不便 out.txt
'

test_expect_success 'show works from a subdirectory of the store' '
	(cd s/cases/2026 && docket show 2026-000002 >../../../out) &&
	test_cmp s/cases/2026/000/2026-000002.yaml out
'

test_expect_success 'show changes nothing in the store' '
	store_state s >after &&
	test_cmp state after
'

test_expect_success 'show of a case that does not exist fails, naming it' '
	expect_refusal --code 1 s "2026-000999.*not found|not found.*2026-000999" \
		docket show 2026-000999
'

test_expect_success 'show of something that is not a case id fails' '
	expect_refusal s "2026-1" docket show 2026-1 &&
	expect_refusal s "2026-000001.yaml" docket show 2026-000001.yaml
'

test_expect_success 'show with no id is a usage error' '
	expect_refusal --code 2 s "^usage: docket show" docket show
'

test_expect_success 'show with an unknown format is a usage error' '
	expect_refusal --code 2 s "xml" docket show 2026-000001 --format xml &&
	test_grep "^usage: docket show" err
'

test_expect_success 'show keeps a key it does not know, as it is' '
	echo "x_note: 手工添加的键" >>s/cases/2026/000/2026-000002.yaml &&
	git -C s commit -q -a -m "hand edit: unknown key" &&
	(cd s && docket show 2026-000002 >../out) &&
	test_cmp s/cases/2026/000/2026-000002.yaml out
'

test_done
