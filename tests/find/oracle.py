#!/usr/bin/python3
"""oracle.py - which cases `docket list` must print, computed without docket.

    oracle.py STORE RECORD NOW [list options...]

Reads the case files with PyYAML and the generator's record (gen_store.py
--record: which deadlines each case had met at the end) and prints the
ids a `docket list ... --format ids` with the same options must print, in
the same order.  Values must be ids (labels are docket's business, tested
by comparing with the id form).  --due-within takes only hours (Nh).
"""

import datetime as dt
import glob
import json
import os
import re
import sys

import yaml

# libyaml's parser when PyYAML has it (Debian's python3-yaml does): the
# same plain strings as BaseLoader, ten times faster, and the test runs
# this script some forty times.
LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

TZ = dt.timezone(dt.timedelta(hours=8))


def when(s, end):
    d = dt.date.fromisoformat(s)
    t = dt.time(23, 59, 59) if end else dt.time(0, 0, 0)
    return dt.datetime.combine(d, t, TZ)


def ts(s):
    return dt.datetime.fromisoformat(s)


def digits(s):
    return re.sub(r"[^0-9+]", "", s or "")


def parse(args):
    opts = {}
    flags = set()
    i = 0
    while i < len(args):
        a = args[i][2:]
        if a in ("overdue", "stopped", "collective", "count",
                 "awaiting-feedback"):
            flags.add(a)
            i += 1
            continue
        opts.setdefault(a, []).append(args[i + 1])
        i += 2
    return opts, flags


def texts(c):
    out = [c.get("subject"), c.get("description"), c.get("request")]
    for e in c.get("events") or []:
        if e.get("action") == "note":
            out.append(e.get("text"))
    return [t for t in out if t]


def keep(c, met, now, o, f):
    st = c["status"]
    opened = st not in ("closed", "rejected")
    if "status" in o:
        ok = st in o["status"] or ("open" in o["status"] and opened)
        if not ok:
            return False
    for key in ("kind", "channel", "priority", "department", "assignee"):
        if key in o and c.get(key) not in o[key]:
            return False
    if "category" in o:
        cat = c.get("category")
        if not cat or not any(cat == x or cat.startswith(x + "/")
                              for x in o["category"]):
            return False
    if "id-from" in o and c["id"] < o["id-from"][0]:
        return False
    if "id-to" in o and c["id"] > o["id-to"][0]:
        return False
    rec = ts(c["received_at"])
    if "since" in o and rec < when(o["since"][0], False):
        return False
    if "until" in o and rec > when(o["until"][0], True):
        return False
    cl = c.get("closure")
    if "closed-since" in o or "closed-until" in o:
        if not cl:
            return False
        at = ts(cl["at"])
        if "closed-since" in o and at < when(o["closed-since"][0], False):
            return False
        if "closed-until" in o and at > when(o["closed-until"][0], True):
            return False
    due = c.get("due") or {}
    unmet = [ts(v) for k, v in due.items() if k not in met]
    # a stopped clock (pending-info, on-hold) is never overdue (issue 14)
    if "overdue" in f and not (opened and st not in ("pending-info",
                                                      "on-hold") and
                               any(d < now for d in unmet)):
        return False
    if "due-within" in o:
        soon = now + dt.timedelta(hours=int(o["due-within"][0][:-1]))
        if not opened or st in ("pending-info", "on-hold") or \
                not any(now <= d <= soon for d in unmet):
            return False
    if "stopped" in f and st not in ("pending-info", "on-hold"):
        return False
    if "awaiting-feedback" in f and (
            st != "closed" or (cl or {}).get("outcome") == "merged" or
            any(e.get("action") == "feedback"
                for e in c.get("events") or [])):
        return False
    who = c.get("complainant") or {}
    if "collective" in f and int(who.get("count", "1")) <= 1 and \
            str(c.get("collective", "false")).lower() != "true":
        return False
    if "phone" in o and not (who.get("phone") and digits(who["phone"]) in
                             [digits(p) for p in o["phone"]]):
        return False
    if "name" in o and who.get("name") not in o["name"]:
        return False
    if "respondent" in o:
        r = (c.get("respondent") or "").lower()
        if not any(x.lower() in r for x in o["respondent"]):
            return False
    if "ref" in o and (c.get("ref") or "").lower() not in \
            [x.lower() for x in o["ref"]]:
        return False
    if "text" in o:
        t = [x.lower() for x in texts(c)]
        if not any(all(any(w.lower() in x for x in t)
                       for w in v.replace("\u3000", " ").split())
                   for v in o["text"]):
            return False
    return True


def next_due(c, met):
    if c["status"] in ("closed", "rejected"):
        return None
    v = [ts(d) for k, d in (c.get("due") or {}).items() if k not in met]
    return min(v) if v else None


ORDER = ["received", "pending-info", "accepted", "assigned", "on-hold",
         "closed", "rejected"]


def main():
    store, record, now = sys.argv[1:4]
    now = ts(now)
    o, f = parse(sys.argv[4:])
    rec = json.load(open(record))
    met = {r["id"]: set(r["snaps"][-1]["met"]) for r in rec["cases"]}
    kept = []
    for p in sorted(glob.glob(os.path.join(store, "cases/*/*/*.yaml"))):
        c = yaml.load(open(p, encoding="utf-8"), Loader=LOADER)
        m = met.get(c["id"], set())
        if keep(c, m, now, o, f):
            kept.append((c, next_due(c, m)))
    kept.sort(key=lambda x: x[0]["id"])
    for field in reversed((o.get("sort") or [""])[0].split(",")):
        if not field:
            continue
        desc = field.startswith("-")
        field = field.lstrip("-")
        if field == "received":
            kept.sort(key=lambda x: ts(x[0]["received_at"]), reverse=desc)
        elif field == "status":
            kept.sort(key=lambda x: ORDER.index(x[0]["status"]),
                      reverse=desc)
        elif field == "id":
            kept.sort(key=lambda x: x[0]["id"], reverse=desc)
        elif field == "due":
            with_due = [x for x in kept if x[1]]
            with_due.sort(key=lambda x: x[1], reverse=desc)
            without = [x for x in kept if not x[1]]
            kept = with_due + without if not desc else with_due + without
    if "limit" in o:
        kept = kept[:int(o["limit"][0])]
    if "count" in f:
        print(len(kept))
        return
    for c, _ in kept:
        print(c["id"])


main()
