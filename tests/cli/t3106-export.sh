#!/bin/sh
test_description='docket export: every field and event of the cases of a period, CSV and JSON; personal data only with --with-personal-data'
. "$(dirname "$0")/lib.sh"

GEN="$DOCKET_ROOT/tests/report/gen_store.py"
ORACLE="$DOCKET_ROOT/tests/find/oracle.py"
PY=/usr/bin/python3
NOW=2026-11-27T18:00:00+08:00
export DOCKET_NOW=$NOW

dk () {
	docket -C "$TRASH_DIRECTORY/store" "$@"
}

test_expect_success 'setup: a generated store' '
	"$PY" "$GEN" store --record rec.json >/dev/null &&
	"$PY" "$ORACLE" store rec.json "$NOW" --since 2026-09-01 \
		--until 2026-09-30 >ids &&
	test -s ids
'

test_expect_success 'JSON: the cases received in the period, every field and event as the file has them' '
	dk export --since 2026-09-01 --until 2026-09-30 --format json \
		--with-personal-data >all.json &&
	"$PY" - <<-\PYEOF
	import json, yaml
	d = json.load(open("all.json"))
	ids = open("ids").read().split()
	assert [c["id"] for c in d] == ids, "ids differ"
	for c in d:
	    y, f = c["id"].split("-")
	    path = "store/cases/%s/%03d/%s.yaml" % (y, int(f) // 1000, c["id"])
	    want = yaml.load(open(path, encoding="utf-8"), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))
	    assert len(c["events"]) == len(want["events"]), c["id"]
	    for k in ("subject", "respondent", "description", "status", "received_at"):
	        assert str(c.get(k)) == str(want.get(k)), (c["id"], k)
	    if "closure" in want:
	        assert c["closure"].get("summary") == want["closure"].get("summary"), c["id"]
	    assert c["complainant"].get("phone") == want["complainant"].get("phone")
	PYEOF
'

test_expect_success 'no name, phone, email or address without --with-personal-data' '
	dk export --since 2026-09-01 --until 2026-09-30 --format json >anon.json &&
	dk export --since 2026-09-01 --until 2026-09-30 >anon.csv &&
	"$PY" - <<-\PYEOF
	import csv, glob, json, yaml
	secrets = set()
	for p in glob.glob("store/cases/*/*/*.yaml"):
	    w = yaml.load(open(p, encoding="utf-8"), Loader=getattr(yaml, "CBaseLoader", yaml.BaseLoader))["complainant"]
	    secrets |= {w[k] for k in ("name", "phone", "email", "address") if w.get(k)}
	for f in ("anon.json", "anon.csv"):
	    text = open(f, encoding="utf-8").read()
	    leaked = [s for s in secrets if s in text]
	    assert not leaked, (f, len(leaked))
	for c in json.load(open("anon.json")):
	    assert set(c["complainant"]) <= {"anonymous", "count"}, c["complainant"]
	PYEOF
'

test_expect_success 'CSV: one row per case, every column, read back by Python csv' '
	dk export --since 2026-09-01 --until 2026-09-30 --with-personal-data \
		>all.csv &&
	"$PY" - <<-\PYEOF
	import csv, json
	rows = list(csv.DictReader(open("all.csv", encoding="utf-8", newline="")))
	d = {c["id"]: c for c in json.load(open("all.json"))}
	assert [r["id"] for r in rows] == list(d), "ids differ"
	for r in rows:
	    c = d[r["id"]]
	    assert json.loads(r["events"]) == c["events"], r["id"]
	    assert r["phone"] == (c["complainant"].get("phone") or "")
	    assert r["summary"] == (c.get("closure") or {}).get("summary", "")
	    assert r["due_ack"] == (c.get("due") or {}).get("ack", "")
	assert "events" in rows[0] and "outcome" in rows[0]
	PYEOF
'

test_expect_success '--since is required; bad dates and formats are usage errors' '
	test_expect_code 2 dk export 2>err &&
	test_grep -- "--since" err &&
	test_expect_code 2 dk export --since yesterday 2>err &&
	test_expect_code 2 dk export --since 2026-09-01 --until 2026-02-30 2>err &&
	test_expect_code 2 dk export --since 2026-09-01 --format xml 2>err
'

test_expect_success 'an empty period: a header row, or []' '
	dk export --since 2030-01-01 >out &&
	test_line_count = 1 out &&
	dk export --since 2030-01-01 --format json >out &&
	test "$(cat out)" = "[]"
'

test_done
