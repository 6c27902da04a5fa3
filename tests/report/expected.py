#!/usr/bin/python3
"""expected.py - the figures of DESIGN section 8, computed from the
generator's record of what it did (gen_store.py --record), never from the
case files, to hold `docket report --format json` against.

    expected.py RECORD --from DATE --to DATE [--by DIM] [--compare FILE]
    expected.py RECORD --coverage

Without --compare it prints the expected JSON; with it, it compares the
report in FILE key by key (numbers to 1e-9), prints every difference and
exits 1 if there is any.  --coverage checks that the record holds every
scenario the test depends on (holidays, late closes, reopenings after the
month ...) and names any that is missing.

The record holds, for every case, a snapshot of its state after each
event as the generator's model kept it.  The state of a case at `to` is
its last snapshot before `to`; a case registered (or received) at or
after `to` was not in the store then.
"""

import argparse
import datetime as dt
import json
import sys

TZ = dt.timezone(dt.timedelta(hours=8))
OPEN = {"received", "pending-info", "accepted", "assigned", "on-hold"}
LEVELS = ["satisfied", "fairly-satisfied", "neutral", "dissatisfied",
          "unreachable"]
# DESIGN 3: every outcome; a closing never has "rejected".
OUTCOMES = ["resolved", "mediated", "mediation-failed", "referred",
            "unfounded", "withdrawn", "merged"]
NONE = "(none)"


def t(s):
    return dt.datetime.fromisoformat(s)


def fact(c, frm, to):
    """What case c contributes to the period [frm, to), or None."""
    if t(c["received_at"]) >= to or t(c["file_at"]) >= to:
        return None
    snaps = [s for s in c["snaps"] if t(s["at"]) < to]
    st = snaps[-1]
    inp = [s for s in snaps if t(s["at"]) >= frm]
    f = {
        "received": t(c["received_at"]) >= frm,
        "open": st["status"] in OPEN,
        "closed": st["status"] == "closed" and t(st["closed_at"]) >= frm,
        "accepted": sum(s["decision"] == "accept" for s in inp),
        "rejected": sum(s["decision"] == "reject" for s in inp),
        "reopened": sum(s["action"] == "reopen" for s in inp),
        # the generator never refers a case outside (docket refer): its
        # answers are held by t1115's hand-worked month instead
        "referred": sum(s["action"] == "refer" for s in inp),
        "decided": False, "ack_on_time": False,
        "resolve": False, "resolve_on_time": False, "overdue": False,
    }
    acked = st["acked_at"] and t(st["acked_at"])
    f["decided_any"] = bool(acked and acked >= frm)
    if f["decided_any"] and "ack" in st["due"]:
        f["decided"] = True
        f["ack_on_time"] = acked <= t(st["due"]["ack"])
    if f["closed"] and "resolve" in st["due"]:
        f["resolve"] = True
        f["resolve_on_time"] = t(st["closed_at"]) <= t(st["due"]["resolve"])
    # A stopped clock (pending-info, on-hold) is never overdue (issue 14).
    if f["open"] and st["status"] not in ("pending-info", "on-hold"):
        f["overdue"] = any(t(v) < to and k not in st["met"]
                           for k, v in st["due"].items())
    # The first answer: the snapshot whose event first met feedback.
    fb = next((s for s in snaps if "feedback" in s["met"]), None)
    f["feedback"] = bool(fb and t(fb["at"]) >= frm and
                         "feedback" in fb["due"])
    f["feedback_on_time"] = f["feedback"] and \
        t(fb["at"]) <= t(fb["due"]["feedback"])
    # A return visit is owed by a case closed in the period, unless
    # merged or withdrawn; met by a feedback event after that closing.
    f["visit_owed"] = f["closed"] and \
        st["outcome"] not in ("merged", "withdrawn")
    visit = next((s for s in snaps if f["visit_owed"] and
                  s["action"] == "feedback" and
                  t(s["at"]) >= t(st["closed_at"])), None)
    f["visited"] = visit is not None
    f["visit_timed"] = f["visited"] and "visit" in visit["due"]
    f["visit_on_time"] = f["visit_timed"] and \
        t(visit["at"]) <= t(visit["due"]["visit"])
    f["collective"] = f["received"] and c.get("count", 1) >= 5
    f["people"] = c.get("count", 1) if f["collective"] else 0
    f["repeat"] = f["received"] and c["repeat"]
    f["days"] = st["handling_days"] if f["closed"] else None
    f["satisfaction"] = st["satisfaction"] if f["closed"] else None
    f["key"] = {
        "department": st["department"], "category": st["category"],
        "channel": c["channel"], "respondent": c["respondent"],
        "assignee": st["assignee"], "kind": c["kind"],
        "priority": st["priority"],
        "outcome": st["outcome"] if f["closed"] else None,
    }
    if not (f["received"] or f["open"] or f["closed"] or f["accepted"] or
            f["rejected"] or f["reopened"] or f["decided_any"] or
            f["referred"]):
        return None
    return f


def rate(ok, n):
    return ok / n if n else None


def referral_rate(facts):
    if any(f["referred"] for f in facts):
        sys.exit("expected.py: the record holds referrals, whose answers "
                 "it does not model")
    return None


def stats(facts):
    days = sorted(f["days"] for f in facts if f["closed"])
    n = len(days)
    sat = {lv: sum(f["satisfaction"] == lv for f in facts if f["closed"])
           for lv in LEVELS}
    if n:
        mid = n // 2
        median = days[mid] if n % 2 else (days[mid - 1] + days[mid]) / 2
        mean = (sum(days) * 20 + n) // (2 * n) / 10    # half up
        p90 = days[-(-9 * n // 10) - 1]                # rank ceil(0.9 n)
    else:
        median = mean = p90 = None
    rated = sum(sat[lv] for lv in LEVELS[:4])
    return {
        "received": sum(f["received"] for f in facts),
        "accepted": sum(f["accepted"] for f in facts),
        "rejected": sum(f["rejected"] for f in facts),
        "closed": n,
        "open_at_end": sum(f["open"] for f in facts),
        "overdue_at_end": sum(f["overdue"] for f in facts),
        "ack_on_time_rate": rate(sum(f["ack_on_time"] for f in facts),
                                 sum(f["decided"] for f in facts)),
        "resolve_on_time_rate": rate(
            sum(f["resolve_on_time"] for f in facts),
            sum(f["resolve"] for f in facts)),
        "handling_days": {"median": median, "mean": mean, "p90": p90},
        "satisfaction": dict(sat, rate=rate(
            sat["satisfied"] + sat["fairly-satisfied"], rated)),
        "reopened": sum(f["reopened"] for f in facts),
        "repeats": sum(f["repeat"] for f in facts),
        "feedback_on_time_rate": rate(
            sum(f["feedback_on_time"] for f in facts),
            sum(f["feedback"] for f in facts)),
        "visit_rate": rate(sum(f["visited"] for f in facts),
                           sum(f["visit_owed"] for f in facts)),
        "visit_on_time_rate": rate(
            sum(f["visit_on_time"] for f in facts),
            sum(f["visit_timed"] for f in facts)),
        "collective": sum(f["collective"] for f in facts),
        "collective_people": sum(f["people"] for f in facts),
        "referred": sum(f["referred"] for f in facts),
        "referral_answer_on_time_rate": referral_rate(facts),
    }


def groups(facts, dim):
    out = {}
    for f in facts:
        out.setdefault(f["key"][dim], []).append(f)
    return out


def counts(facts, dim, known, closed=False):
    g = groups(facts, dim)
    n = {k: sum(f["closed"] if closed else f["received"] for f in v)
         for k, v in g.items()}
    out = {k: n.get(k, 0) for k in known}
    for k in sorted((k for k in n if k not in known and k is not None)):
        if n[k]:
            out[k] = n[k]
    if n.get(None) and None not in known:
        out[NONE] = n[None]
    return out


def period(rec, frm, to):
    a = dt.datetime.combine(frm, dt.time(), TZ)
    b = dt.datetime.combine(to, dt.time(), TZ)
    facts = [f for f in (fact(c, a, b) for c in rec["cases"]) if f]
    out = {"from": frm.isoformat(), "to": to.isoformat()}
    out.update(stats(facts))
    out["by_channel"] = counts(facts, "channel", rec["channels"])
    out["by_kind"] = counts(facts, "kind", ["complaint", "report"])
    out["by_category"] = counts(facts, "category", [])
    out["by_outcome"] = counts(facts, "outcome", OUTCOMES, closed=True)
    resp = groups(facts, "respondent")
    top = sorted(((-sum(f["received"] for f in v), k)
                  for k, v in resp.items() if k is not None))
    out["top_respondents"] = [{"respondent": k, "received": -n}
                              for n, k in top if n][:10]
    depts = groups(facts, "department")
    names = list(rec["departments"]) + sorted(
        k for k in depts if k is not None and k not in rec["departments"])
    out["departments"] = {}
    for d in names:
        s = stats(depts.get(d, []))
        out["departments"][d] = {
            "received": s["received"], "closed": s["closed"],
            "resolve_on_time_rate": s["resolve_on_time_rate"],
            "handling_days": {"median": s["handling_days"]["median"]},
            "open_at_end": s["open_at_end"],
            "overdue_at_end": s["overdue_at_end"],
        }
    return out, facts


def previous(frm, to):
    """The period of equal length before: whole months when both ends are
    the first of a month, else the same number of days."""
    if frm.day == 1 and to.day == 1:
        months = (to.year - frm.year) * 12 + to.month - frm.month
        m = frm.year * 12 + frm.month - 1 - months
        return dt.date(m // 12, m % 12 + 1, 1), frm
    return frm - (to - frm), frm


def expected(rec, frm, to, by=None):
    cur, facts = period(rec, frm, to)
    if by:
        rows = []
        g = groups(facts, by)
        for k in sorted(k for k in g if k is not None) + \
                ([None] if None in g else []):
            row = {by: k}
            row.update(stats(g[k]))
            rows.append(row)
        return {"organization": rec["organization"], "from": cur["from"],
                "to": cur["to"], "by": by, "rows": rows}
    out = {"organization": rec["organization"]}
    out.update(cur)
    out["previous"] = period(rec, *previous(frm, to))[0]
    return out


def coverage(rec):
    """The scenarios the test relies on, each present in the record:
    returns the names of those missing."""
    oct_end = "2026-11-01"
    seen = set()
    for c in rec["cases"]:
        day = c["received_at"][:10]
        if day in ("2026-09-25", "2026-09-26", "2026-09-27") or \
                "2026-10-01" <= day <= "2026-10-07":
            seen.add("intake on a holiday")
        if day in ("2026-09-20", "2026-10-10"):
            seen.add("intake on a make-up working day")
        if c["file_at"] >= oct_end > c["received_at"]:
            seen.add("received in October, registered in November")
        if c["repeat"]:
            seen.add("likely repeat")
        seen.add("kind " + c["kind"])
        before = [s for s in c["snaps"] if s["at"] < oct_end]
        if before and before[-1]["status"] in ("on-hold", "pending-info"):
            seen.add("clock stopped at the end of October")
        for s in c["snaps"]:
            late = s["at"] >= oct_end
            if s["action"] in ("reopen", "feedback", "hold", "assign",
                               "close") and late:
                seen.add(s["action"] + " after October")
            if s["action"] == "close" and s["closed_at"] and \
                    "resolve" in s["due"] and \
                    s["closed_at"] > s["due"]["resolve"]:
                seen.add("late close")
            if s["decision"] == "reject":
                seen.add("rejection")
            if s["priority"] == "urgent":
                seen.add("urgent")
            if s["outcome"]:
                seen.add("outcome " + s["outcome"])
            if s["satisfaction"]:
                seen.add("satisfaction " + s["satisfaction"])
    want = {"intake on a holiday", "intake on a make-up working day",
            "received in October, registered in November", "likely repeat",
            "kind complaint", "kind report",
            "clock stopped at the end of October", "reopen after October",
            "feedback after October", "hold after October",
            "assign after October", "close after October", "late close",
            "rejection", "urgent"}
    want |= {"outcome " + o for o in OUTCOMES}
    want |= {"satisfaction " + lv for lv in LEVELS}
    return sorted(want - seen)


def compare(want, got, path, diffs):
    if isinstance(want, dict):
        if not isinstance(got, dict):
            diffs.append("%s: want an object, got %r" % (path, got))
            return
        for k in want:
            if k not in got:
                diffs.append("%s.%s: missing" % (path, k))
            else:
                compare(want[k], got[k], path + "." + k, diffs)
        for k in got:
            if k not in want:
                diffs.append("%s.%s: unexpected (%r)" % (path, k, got[k]))
    elif isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            diffs.append("%s: want %r, got %r" % (path, want, got))
            return
        for i, (w, g) in enumerate(zip(want, got)):
            compare(w, g, "%s[%d]" % (path, i), diffs)
    elif isinstance(want, bool) or want is None or isinstance(want, str):
        if want != got or type(want) is not type(got):
            diffs.append("%s: want %r, got %r" % (path, want, got))
    else:
        if isinstance(got, bool) or not isinstance(got, (int, float)) or \
                abs(want - got) > 1e-9:
            diffs.append("%s: want %r, got %r" % (path, want, got))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("record")
    ap.add_argument("--from", dest="frm")
    ap.add_argument("--to")
    ap.add_argument("--coverage", action="store_true",
                    help="check that the record has every scenario")
    ap.add_argument("--by")
    ap.add_argument("--compare")
    a = ap.parse_args()
    with open(a.record, encoding="utf-8") as f:
        rec = json.load(f)
    if a.coverage:
        missing = coverage(rec)
        for m in missing:
            print("no case with: " + m)
        return 1 if missing else 0
    if not a.frm or not a.to:
        ap.error("--from and --to are required")
    want = expected(rec, dt.date.fromisoformat(a.frm),
                    dt.date.fromisoformat(a.to), a.by)
    if not a.compare:
        json.dump(want, sys.stdout, ensure_ascii=False, indent=2)
        print()
        return 0
    with open(a.compare, encoding="utf-8") as f:
        got = json.load(f)
    diffs = []
    compare(want, got, "", diffs)
    for d in diffs:
        print(d)
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main())
