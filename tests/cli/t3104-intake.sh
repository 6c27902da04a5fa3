#!/bin/sh
test_description='docket file --from for scripts: schemas/intake.schema.json, the case file key names, every problem reported, --errors json'
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
SCHEMA=$DOCKET_ROOT/schemas/intake.schema.json
export DOCKET_NOW=2026-11-27T18:00:00+08:00

# valid FILE...: each JSON document is valid against the intake schema
valid () {
	"$PY" - "$SCHEMA" "$@" <<-\PYEOF
	import json, sys, jsonschema
	s = json.load(open(sys.argv[1]))
	jsonschema.Draft202012Validator.check_schema(s)
	v = jsonschema.Draft202012Validator(s)
	bad = 0
	for f in sys.argv[2:]:
	    for e in v.iter_errors(json.load(open(f, encoding="utf-8"))):
	        print(f, e.message); bad = 1
	sys.exit(bad)
	PYEOF
}

test_expect_success 'setup' '
	docket init s >/dev/null
'

test_expect_success 'the option spelling and the case file spelling both file, and validate' '
	cat >opts.json <<-\EOF &&
	{"channel": "phone", "received-at": "2026-11-20 09:00", "name": "王某",
	 "phone": "13900001111", "respondent": "某农资店", "subject": "化肥结块",
	 "description": "买的化肥结块。", "request": "退货", "occurred": "2026-11-18",
	 "count": "2", "category": null}
	EOF
	"$PY" -c "import json; d=json.load(open(\"opts.json\")); del d[\"category\"]; json.dump(d, open(\"opts.json\", \"w\"), ensure_ascii=False)" &&
	cat >case.json <<-\EOF &&
	{"channel": "来电", "received_at": "2026-11-20T09:00:00+08:00",
	 "complainant": {"name": "王某", "phone": "13900001111", "anonymous": false, "count": 2},
	 "respondent": "某农资店", "subject": "化肥结块", "description": "买的化肥结块。",
	 "request": "退货", "occurred_on": "2026-11-18"}
	EOF
	valid opts.json case.json &&
	docket -C s --as a file --from opts.json >id1 &&
	docket -C s --as a file --from case.json >id2 2>err &&
	docket -C s show "$(cat id1)" --format json >c1.json &&
	docket -C s show "$(cat id2)" --format json >c2.json &&
	"$PY" -c "
import json
a, b = (json.load(open(f)) for f in (\"c1.json\", \"c2.json\"))
for k in (\"channel\", \"received_at\", \"complainant\", \"respondent\", \"subject\", \"description\", \"request\", \"occurred_on\", \"kind\"):
    assert a.get(k) == b.get(k), (k, a.get(k), b.get(k))
"
'

test_expect_success 'a case shown as JSON or YAML is filed again as it is' '
	docket -C s show "$(cat id1)" --format json >shown.json &&
	valid shown.json &&
	docket -C s --as a file --from shown.json >id3 2>err &&
	docket -C s show "$(cat id3)" --format json >c3.json &&
	docket -C s show "$(cat id1)" --format yaml >shown.yaml &&
	docket -C s --as a file --from shown.yaml >id4 2>err &&
	docket -C s show "$(cat id4)" --format json >c4.json &&
	"$PY" -c "
import json
a = json.load(open(\"c1.json\"))
for f in (\"c3.json\", \"c4.json\"):
    b = json.load(open(f))
    for k in (\"channel\", \"received_at\", \"complainant\", \"respondent\", \"subject\", \"description\", \"request\", \"occurred_on\", \"priority\"):
        assert a.get(k) == b.get(k), (f, k, a.get(k), b.get(k))
    assert b[\"status\"] == \"received\" and b[\"id\"] != a[\"id\"]
"
'

test_expect_success 'every problem of a document is reported with FILE:LINE:COLUMN' '
	cat >bad.yaml <<-\EOF &&
	channel: telegraph
	received_at: 2099-01-01
	complainant:
	  name: 李某
	  phone: "x"
	  shoe: 42
	subject: ""
	count: zero
	colour: red
	received-at: 2026-11-01
	EOF
	test_expect_code 1 docket -C s --as a file --from bad.yaml >out 2>err &&
	test_must_be_empty out &&
	test_grep "bad.yaml:1:10: .channel.: unknown channel" err &&
	test_grep "bad.yaml:2:14: .received-at.*future" err &&
	test_grep "bad.yaml:5:10: .phone." err &&
	test_grep "bad.yaml:6:3: unknown field .complainant.shoe." err &&
	test_grep "bad.yaml:7:10: .subject.: is required" err &&
	test_grep "bad.yaml:8:8: .count." err &&
	test_grep "bad.yaml:9:1: unknown field .colour." err &&
	test_grep "bad.yaml:10:1: .received-at. is given twice" err &&
	test_line_count = 8 err &&
	test "$(git -C s rev-list --count HEAD)" = 5
'

test_expect_success '--errors json: the same problems as a JSON array on stdout' '
	test_expect_code 1 docket -C s --as a file --from bad.yaml \
		--errors json >out 2>err &&
	test_must_be_empty err &&
	"$PY" -c "
import json
d = json.load(open(\"out\"))
assert len(d) == 8, d
by = {e[\"field\"]: e for e in d}
assert by[\"channel\"][\"line\"] == 1 and by[\"channel\"][\"column\"] == 10
assert by[\"colour\"][\"line\"] == 9 and by[\"colour\"][\"file\"] == \"bad.yaml\"
assert by[\"complainant\"][\"line\"] == 6
assert set(by) == {\"channel\", \"received-at\", \"phone\", \"complainant\", \"subject\", \"count\", \"colour\"}
for e in d:
    assert set(e) == {\"document\", \"field\", \"file\", \"line\", \"column\", \"message\"}
    assert e[\"document\"] is None and e[\"message\"]
"
'

test_expect_success '--errors json for a stream names the document; nothing is filed' '
	printf "%s\n" "channel: phone" "subject: 好的" "---" "channel: phone" \
		"---" "subject: 没有渠道" "colour: red" >stream.yaml &&
	test_expect_code 1 docket -C s --as a file --from stream.yaml \
		--errors json >out &&
	"$PY" -c "
import json
d = json.load(open(\"out\"))
docs = sorted(set(e[\"document\"] for e in d if e[\"document\"]))
assert docs == [2, 3], d
assert any(\"nothing was filed\" in e[\"message\"] for e in d)
" &&
	test "$(git -C s rev-list --count HEAD)" = 5
'

test_expect_success '--errors json from options alone: no file, no line' '
	test_expect_code 1 docket -C s --as a file --channel 电报 --subject x \
		--errors json >out &&
	"$PY" -c "
import json
d = json.load(open(\"out\"))
assert d[0][\"field\"] == \"channel\" and d[0][\"file\"] is None and d[0][\"line\"] is None
" &&
	test_expect_code 2 docket -C s file --errors xml 2>err &&
	test_grep -- "--errors" err
'

test_expect_success 'a status without an id (not a whole case) is refused, not ignored' '
	printf "%s\n" "channel: phone" "subject: x" "status: closed" >st.yaml &&
	test_expect_code 1 docket -C s --as a file --from st.yaml 2>err &&
	test_grep "st.yaml:3:1: unknown field .status." err
'

test_expect_success 'a case file attachment list is refused, not dropped' '
	printf "%s\n" "channel: phone" "subject: x" "attachments:" \
		"  - {path: attachments/2026-000001/a.jpg, sha256: 00}" >att.yaml &&
	test_expect_code 1 docket -C s --as a file --from att.yaml 2>err &&
	test_grep "att.yaml:3:1: .attachments." err
'

test_done
