#!/bin/sh
# Validate YAML (or JSON) files against the JSON Schemas in schemas/.
#
#   tests/validate-schemas.sh                 examples/docket.yaml, examples/*/docket.yaml and
#                                             examples/*/cases/*.yaml
#   tests/validate-schemas.sh case FILE...    case files (written by docket)
#   tests/validate-schemas.sh config FILE...  docket.yaml files
#
# Schemas and examples are found beside this script; FILE arguments are
# relative to the working directory.  YAML is loaded as a generic YAML 1.1
# reader sees it (booleans, integers, floats, nulls typed) except that
# timestamps and dates stay strings, as docket stores them.  Duplicate keys
# are an error.  Sample cases in examples/ must also name only channels,
# categories, departments, staff and reasons of their template's
# docket.yaml, and be named after their id.  Prints one line per problem
# (file, path of the offending value, message, schema keyword), then
# "N passed, M failed"; exits 1 if any file failed (or there were none),
# 2 on a usage error or missing tools.

PY=/usr/bin/python3
if ! "$PY" -c 'import yaml, jsonschema' 2>/dev/null; then
	echo "validate-schemas: needs $PY with yaml and jsonschema" \
		"(apt-get install python3-yaml python3-jsonschema)" >&2
	exit 2
fi

if [ $# -eq 0 ]; then
	set -- all
elif [ "$1" != case ] && [ "$1" != config ] || [ $# -lt 2 ]; then
	echo "usage: $0 [case|config FILE...]" >&2
	exit 2
fi

DOCKET_SRC=$(cd "$(dirname "$0")/.." && pwd) || exit 2
export DOCKET_SRC
exec "$PY" - "$@" <<'EOF'
import glob
import json
import os
import sys

import jsonschema
import yaml

ROOT = os.environ["DOCKET_SRC"]
TIMESTAMP = "tag:yaml.org,2002:timestamp"


class Loader(yaml.SafeLoader):
    """SafeLoader without the timestamp resolver, refusing duplicate keys."""


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def construct_mapping(loader, node, deep=False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            dup = key in seen
        except TypeError:
            raise yaml.constructor.ConstructorError(
                None, None, "unhashable key", key_node.start_mark)
        if dup:
            raise yaml.constructor.ConstructorError(
                None, None, "duplicate key %r" % (key,), key_node.start_mark)
        seen.add(key)
    return yaml.SafeLoader.construct_mapping(loader, node, deep)


Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
                       construct_mapping)


def load(path):
    with open(path, "rb") as f:
        data = f.read()
    text = data.decode("utf-8")
    if path.endswith(".json"):
        return json.loads(text)
    docs = list(yaml.load_all(text, Loader=Loader))
    if len(docs) != 1:
        raise ValueError("expected one YAML document, found %d" % len(docs))
    return docs[0]


def validator(name):
    path = os.path.join(ROOT, "schemas", name + ".schema.json")
    with open(path, encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.Draft202012Validator
    cls.check_schema(schema)
    return cls(schema)


def show(path):
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def where(path):
    return "/" + "/".join(str(p) for p in path)


def flat_categories(nodes, prefix=""):
    out = set()
    for c in nodes or []:
        full = prefix + c["id"]
        out.add(full)
        out |= flat_categories(c.get("children"), full + "/")
    return out


def cross_check(case, path, cfg, ids):
    """Names in a sample case that its template's docket.yaml must know."""
    known = {
        "channel": {c["id"] for c in cfg.get("channels", [])},
        "priority": {p["id"] for p in cfg.get("priorities", [])},
        "category": flat_categories(cfg.get("categories")),
        "department": {d["id"] for d in cfg.get("departments", [])},
        "staff": {s["id"] for s in cfg.get("staff", [])},
        "reason": {r["id"] for r in cfg.get("reject_reasons", [])},
    }
    problems = []

    def want(where, value, kinds):
        if value is None:
            return
        if not any(value in known[k] for k in kinds):
            problems.append("%s: %r is not a configured %s"
                            % (where, value, " or ".join(kinds)))

    if os.path.basename(path) != "%s.yaml" % case.get("id"):
        problems.append("/id: file name does not match the id")
    for key in ("channel", "priority", "category", "department"):
        want("/" + key, case.get(key), [key])
    for i, d in enumerate(case.get("co_departments", [])):
        want("/co_departments/%d" % i, d, ["department"])
    for key in ("received_by", "assignee"):
        want("/" + key, case.get(key), ["staff"])
    want("/closure/by", (case.get("closure") or {}).get("by"), ["staff"])
    for i, r in enumerate(case.get("related", [])):
        if r not in ids:
            problems.append("/related/%d: no sample case %r" % (i, r))
    for i, e in enumerate(case.get("events", [])):
        at = "/events/%d/" % i
        want(at + "by", e.get("by"), ["staff"])
        want(at + "to", e.get("to"), ["staff", "department"])
        for key in ("category", "priority", "department"):
            want(at + key, e.get(key), [key])
        if e.get("action") == "triage" and e.get("decision") == "reject":
            want(at + "reason", e.get("reason"), ["reason"])
    return problems


def main(argv):
    validators = {"case": validator("case"), "config": validator("config")}
    if argv[0] != "all":
        return run([(argv[0], path) for path in argv[1:]], validators, None)
    # the default docket.yaml (what init writes) and every template's
    jobs = [("config", os.path.join(ROOT, "examples", "docket.yaml"))]
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "*",
                                              "docket.yaml"))):
        jobs.append(("config", path))
    for path in sorted(glob.glob(os.path.join(ROOT, "examples", "*",
                                              "cases", "*.yaml"))):
        jobs.append(("case", path))
    # sample cases are also checked against their template's docket.yaml
    configs = {}
    case_ids = set()
    for kind, path in jobs:
        try:
            doc = load(path)
        except Exception:
            continue                    # reported by run()
        if not isinstance(doc, dict):
            continue
        if kind == "config":
            configs[os.path.dirname(path)] = doc
        elif isinstance(doc.get("id"), str):
            case_ids.add(doc["id"])
    return run(jobs, validators, (configs, case_ids))


def run(jobs, validators, examples):
    passed = failed = 0
    for kind, path in jobs:
        try:
            doc = load(path)
        except (OSError, ValueError, UnicodeError, yaml.YAMLError) as e:
            print("FAIL %s: %s" % (show(path), " ".join(str(e).split())))
            failed += 1
            continue
        errors = sorted(validators[kind].iter_errors(doc),
                        key=lambda e: list(map(str, e.absolute_path)))
        problems = []
        if not errors and kind == "case" and examples:
            configs, case_ids = examples
            cfg = configs.get(os.path.dirname(os.path.dirname(path)))
            if cfg is not None:
                problems = cross_check(doc, path, cfg, case_ids)
        if problems:
            failed += 1
            for p in problems:
                print("FAIL %s: %s" % (show(path), p))
        elif errors:
            failed += 1
            for e in errors:
                msg = e.message
                if len(msg) > 200:
                    msg = msg[:197] + "..."
                print("FAIL %s: %s: %s (schema %s)" % (
                    show(path), where(e.absolute_path), msg,
                    where(e.absolute_schema_path)))
        else:
            passed += 1
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed or not jobs else 0


sys.exit(main(sys.argv[1:]))
EOF
