#!/usr/bin/python3
"""gen_store.py - build a docket store with known events for the report
tests and benchmarks.

    gen_store.py STORE [--cases N] [--start YYYY-MM-DD] [--months M]
                 [--now TIME] [--seed S] [--record FILE]

Cases are received over M months from --start (default: 300 cases from
2026-08-01 over three months, events up to 2026-11-27, so that the
October report has a September to compare with and a November that must
not change it).  Their histories are played through dlmodel.CaseModel,
which keeps status and deadlines as the commands would; the case files are
written in canonical form (DESIGN 3, events per notes/workflow.md) and
committed with plain git in one commit.

--record writes what the generator did, as JSON: for every case its
fixed fields and a snapshot of its state after each event (status,
routing, deadlines then standing and which were met, closing, level of
satisfaction, handling days).  expected.py computes the report from that
record alone, never from the YAML.

The scenario covers intake on public holidays and on make-up working days,
cases at the very edges of a month, letters registered days after they
arrived, need-info pauses, holds (some still running), returns and
transfers, extensions and fixed due dates, late and on-time closings,
rejections, withdrawals, merges, reopenings (some in the month after),
return visits (some after the month), every outcome and every level of
satisfaction, likely repeats, and a respondent whose name needs escaping
in every output format.
"""

import argparse
import datetime as dt
import json
import os
import random
import re
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from dlmodel import (TZ, Calendar, CaseModel, Rules, iso,  # noqa: E402
                     parse_iso)

ORG = "某县农业局"

HOLIDAYS = [("2026-01-01", "2026-01-03"), ("2026-02-15", "2026-02-23"),
            ("2026-04-04", "2026-04-06"), ("2026-05-01", "2026-05-05"),
            ("2026-06-19", "2026-06-21"), ("2026-09-25", "2026-09-27"),
            ("2026-10-01", "2026-10-07")]
EXTRA = ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09",
         "2026-09-20", "2026-10-10"]

CHANNELS = [("visit", "来访", 3), ("phone", "来电", 8), ("letter", "来信", 2),
            ("email", "电子邮件", 1), ("web", "网站", 3), ("wechat", "微信", 2),
            ("hotline", "12316三农服务热线", 4), ("referral", "上级转办", 1)]

DEPARTMENTS = [
    ("office", "局办公室", "chen.jing", ["chen.jing", "zhang.wei"]),
    ("seed-station", "种子站", "zhou.min", ["zhou.min", "wu.tao"]),
    ("soil-station", "土肥站", "zhao.lei", ["zhao.lei", "sun.li"]),
    ("plant-protection", "植保站", "wang.qiang", ["wang.qiang"]),
    ("township-extension", "乡镇农技推广站", "he.jun", ["he.jun", "lin.xia"]),
    ("enforcement", "执法大队", "qian.hao", ["qian.hao", "huang.kai"]),
    ("env-monitoring", "农业环境监测站", "cao.bin", ["cao.bin"]),
]

# (id, label, department)
CATEGORIES = [
    ("seeds", "种子", "seed-station"),
    ("seeds/fake", "假劣种子", "enforcement"),
    ("fertilizer", "肥料", "soil-station"),
    ("fertilizer/fake", "假冒伪劣肥料", "enforcement"),
    ("pesticide", "农药", "plant-protection"),
    ("pesticide/damage", "药害", "plant-protection"),
    ("crops", "主要农作物", "township-extension"),
    ("environment", "农业环境污染", "env-monitoring"),
]

STAFF = [("zhang.wei", "张伟", ["intake"]),
         ("chen.jing", "陈静", ["intake", "triage", "supervisor"]),
         ("zhou.min", "周敏", ["handler"]), ("wu.tao", "吴涛", ["handler"]),
         ("zhao.lei", "赵磊", ["handler"]), ("sun.li", "孙丽", ["handler"]),
         ("wang.qiang", "王强", ["handler"]), ("he.jun", "何军", ["handler"]),
         ("lin.xia", "林霞", ["handler"]), ("qian.hao", "钱浩", ["handler"]),
         ("huang.kai", "黄凯", ["handler"]), ("cao.bin", "曹斌", ["handler"])]

RESPONDENTS = [
    ("某县丰收农资经营部", 14), ("某县惠农农资店", 12), ("绿野种业有限公司", 10),
    ("金穗种子站", 9), ("丰禾化肥厂", 9), ("田园农药经销处", 8),
    ("某镇农机合作社", 6), ("青山化工有限公司", 6), ("宏达养殖场", 5),
    ("某家庭农场", 5), ("鑫源农资超市", 4), ("大地复合肥公司", 4),
    ("禾丰种苗公司", 3), ("长江生物农药厂", 3),
    ('某"诚信"农资店 & <分店>, 二号|三号', 3),
]

SUBJECTS = ["购买的玉米种子出苗率低", "复合肥养分含量不足", "除草剂造成烟叶药害",
            "农药无登记证", "化肥价格虚高", "种子包装无标签", "水稻减产要求赔偿",
            "养殖废水污染农田", "冒牌复合肥", "果苗品种不纯"]

# Complainants: compound surnames and given names that no staff member,
# respondent or label uses, so a grep for them finds only a leak.
SURNAMES = ["欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙",
            "慕容", "令狐"]
GIVEN = ["婉清", "若雪", "子墨", "梓萱", "浩然", "俊熙", "雨桐", "思远",
         "沐阳", "嘉怡", "一诺", "景行"]

OUTCOMES = [("resolved", 8), ("mediated", 4), ("mediation-failed", 2),
            ("referred", 2), ("unfounded", 2), ("withdrawn", 1)]
LEVELS = [("satisfied", 6), ("fairly-satisfied", 3), ("neutral", 2),
          ("dissatisfied", 2), ("unreachable", 1), (None, 2)]

RULES = [({"kind": "report"}, {"feedback": "5wd"}),
         ({"category": "pesticide"}, {"feedback": "1wd", "resolve": "10wd"}),
         ({"category": "fertilizer/fake"}, {"resolve": "30d"}),
         ({"priority": "urgent"}, {"resolve": "5wd"})]


def config_yaml():
    out = ["docket: 1", "organization: " + ORG, "timezone: Asia/Shanghai",
           "id:", '  prefix: ""', "channels:"]
    out += ["  - {id: %s, label: %s}" % (c, label)
            for c, label, _ in CHANNELS]
    out += ["priorities:", "  - {id: urgent, label: 紧急}",
            "  - {id: normal, label: 一般}", "default_priority: normal",
            "departments:"]
    out += ["  - {id: %s, label: %s, head: %s, members: [%s]}" %
            (d, label, head, ", ".join(m)) for d, label, head, m in DEPARTMENTS]
    out.append("categories:")
    for cid, label, dept in CATEGORIES:
        if "/" in cid:
            continue
        out += ["  - id: " + cid, "    label: " + label,
                "    department: " + dept]
        kids = [c for c in CATEGORIES if c[0].startswith(cid + "/")]
        if kids:
            out.append("    children:")
            out += ["      - {id: %s, label: %s, department: %s}" %
                    (k.split("/")[1], label2, d) for k, label2, d in kids]
    out.append("staff:")
    out += ["  - {id: %s, name: %s, email: %s@example.org, roles: [%s]}" %
            (s, n, s, ", ".join(r)) for s, n, r in STAFF]
    out += ["reject_reasons:",
            "  - {id: out-of-scope, label: 不属于本局职责范围}",
            "  - {id: no-evidence, label: 无法提供基本证据材料}",
            "  - {id: duplicate, label: 重复投诉}",
            "deadlines:", "  ack: 1wd", "  feedback: 3wd", "  resolve: 15wd",
            "  rules:"]
    for when, set_ in RULES:
        k, v = next(iter(when.items()))
        out.append("    - when: {%s: %s}" % (k, v))
        out += ["      %s: %s" % kv for kv in set_.items()]
    out += ["calendar:", "  workdays: [mon, tue, wed, thu, fri]",
            "  holidays: [%s]" % ", ".join(
                "%s..%s" % h for h in HOLIDAYS),
            "  extra_workdays: [%s]" % ", ".join(EXTRA)]
    return "\n".join(out) + "\n"


def make_calendar():
    hol = []
    for a, b in HOLIDAYS:
        d, e = dt.date.fromisoformat(a), dt.date.fromisoformat(b)
        while d <= e:
            hol.append(d)
            d += dt.timedelta(days=1)
    return Calendar(["mon", "tue", "wed", "thu", "fri"], hol,
                    [dt.date.fromisoformat(x) for x in EXTRA])


# ---- canonical YAML ------------------------------------------------------

PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`][^,\[\]{}#\"'\\]*$")
NUMBER = re.compile(r"^[-+]?(\.?[0-9][0-9_]*(\.[0-9_]*)?|\.[0-9]+)"
                    r"([eE][-+]?[0-9]+)?$")
WORDS = {"true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"}


def q(s):
    """A scalar, quoted only where YAML needs it."""
    s = str(s)
    if (s and s == s.strip() and PLAIN.match(s) and ": " not in s and
            not s.endswith(":") and s.lower() not in WORDS and
            not NUMBER.match(s) and not s.startswith("0x")):
        return s
    return json.dumps(s, ensure_ascii=False)


def flow_event(e):
    parts = ["at: " + iso(e["at"]), "by: " + q(e["by"]),
             "action: " + q(e["action"])]
    for k, v in e["f"].items():
        if isinstance(v, list):
            parts.append("%s: [%s]" % (k, ", ".join(q(x) for x in v)))
        else:
            parts.append("%s: %s" % (k, q(v)))
    return "  - {" + ", ".join(parts) + "}"


def case_yaml(c):
    m, s = c["model"], c["model"].s
    out = ["id: " + c["id"], "kind: " + m.kind, "status: " + s["status"],
           "subject: " + q(c["subject"]), "channel: " + c["channel"],
           "received_at: " + iso(m.received_at),
           "received_by: " + c["received_by"], "complainant:"]
    p = c["pii"]
    if p:
        out += ["  name: " + q(p["name"]), "  phone: " + q(p["phone"]),
                "  email: " + q(p["email"]), "  address: " + q(p["address"])]
    out += ["  anonymous: " + ("false" if p else "true"), "  count: 1",
            "respondent: " + q(c["respondent"]),
            "description: " + q(c["subject"] + "，请求处理。")]
    if s["category"]:
        out.append("category: " + s["category"])
    out.append("priority: " + s["priority"])
    if s["department"]:
        out.append("department: " + s["department"])
    if s["assignee"]:
        out.append("assignee: " + s["assignee"])
    if s["due"]:
        out.append("due:")
        out += ["  %s: %s" % (k, iso(s["due"][k]))
                for k in ("ack", "feedback", "resolve") if k in s["due"]]
    if c["related"]:
        out.append("related: [%s]" % ", ".join(sorted(c["related"])))
    cl = closure(c)
    if cl:
        out.append("closure:")
        out += ["  %s: %s" % kv for kv in cl]
    out.append("events:")
    out += [flow_event(e) for e in m.events]
    return "\n".join(out) + "\n"


def closure(c):
    m, s = c["model"], c["model"].s
    if s["status"] == "rejected":
        e = [x for x in m.events if x["f"].get("decision") == "reject"][-1]
        return [("at", iso(e["at"])), ("by", e["by"]),
                ("outcome", "rejected"), ("summary", "不予受理")]
    if s["status"] != "closed":
        return None
    e = [x for x in m.events if x["action"] in ("close", "merge") and
         "merged" not in x["f"]][-1]
    out = [("at", iso(e["at"])), ("by", e["by"]),
           ("outcome", s["outcome"]), ("summary", "已办结")]
    if e["f"].get("notified"):
        out.append(("notified", "{at: %s, via: %s}" %
                    (iso(e["at"]), e["f"]["notified"])))
    if s["satisfaction"]:
        out.append(("satisfaction", s["satisfaction"]))
    if "on_time" in e["f"]:
        out.append(("on_time", e["f"]["on_time"]))
    return out


# ---- the scenario ---------------------------------------------------------

class Stop(Exception):
    """The next event would fall after 'now': the history ends here."""


class Gen:
    def __init__(self, args):
        self.rng = random.Random(args.seed)
        self.cal = make_calendar()
        rules = [(w, s) for w, s in RULES]
        self.rules = Rules("1wd", "3wd", "15wd", rules)
        self.now = parse_iso(args.now)
        self.start = dt.datetime.fromisoformat(args.start).replace(tzinfo=TZ)
        y, mth = self.start.year, self.start.month + args.months
        y, mth = y + (mth - 1) // 12, (mth - 1) % 12 + 1
        self.end = dt.datetime(y, mth, 1, tzinfo=TZ)
        self.n = args.cases

    def pick(self, weighted):
        items, weights = zip(*[(x[:-1] if len(x) > 2 else x[0], x[-1])
                               for x in weighted])
        return self.rng.choices(items, weights)[0]

    def after(self, t, lo, hi):
        """An instant lo..hi hours after t, to the minute."""
        t2 = t + dt.timedelta(minutes=self.rng.randint(
            max(1, int(lo * 60)), max(2, int(hi * 60))))
        return self.office_hours(t2)

    def office_hours(self, t):
        """Staff work 08:00-20:00: a time at night moves to the morning."""
        if t.hour < 8:
            t = t.replace(hour=8 + t.hour % 3)
        elif t.hour >= 20:
            t = (t + dt.timedelta(days=1)).replace(hour=8 + t.hour % 3)
        return t.replace(second=0)

    # -- when cases arrive --
    def arrivals(self):
        rng, out = self.rng, []
        span = (self.end - self.start).total_seconds()
        for _ in range(self.n):
            t = self.start + dt.timedelta(seconds=rng.randrange(int(span)))
            t = self.office_hours(t)
            out.append(t if t < self.end else t.replace(hour=8))
        # intake on holidays, make-up working days and the month's edges
        special = ["2026-10-01T10:00", "2026-10-02T15:30", "2026-10-03T09:10",
                   "2026-10-05T11:00", "2026-10-07T16:45", "2026-09-25T10:20",
                   "2026-09-26T14:00", "2026-09-20T09:30", "2026-09-20T15:00",
                   "2026-10-10T09:00", "2026-10-10T10:30", "2026-10-10T16:00",
                   "2026-10-01T00:00", "2026-09-30T23:59",
                   "2026-10-31T23:59", "2026-11-01T00:00",
                   "2026-08-31T23:59", "2026-09-01T00:00"]
        for i, s in enumerate(special):
            t = dt.datetime.fromisoformat(s).replace(tzinfo=TZ)
            if self.start <= t < self.end and i < len(out):
                out[i] = t
        return out

    def new_case(self, received, file_at, i):
        rng = self.rng
        kind = "report" if rng.random() < 0.1 else "complaint"
        pii = None
        if kind == "complaint":
            pii = {
                "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
                "phone": "1%d%08d" % (rng.choice([35, 36, 37, 38, 39]),
                                      rng.randrange(10 ** 8)),
                "email": "caller%05d@mail.example.net" % i,
                "address": "某省某市幸福路%d号%d室" % (rng.randrange(1, 300),
                                                 rng.randrange(101, 999)),
            }
        filed_cat = None
        if rng.random() < 0.2:
            filed_cat = rng.choice(CATEGORIES)[0]
        return {
            "pii": pii, "subject": rng.choice(SUBJECTS),
            "channel": self.pick(CHANNELS)[0],
            "respondent": self.pick(RESPONDENTS),
            "received_by": "zhang.wei", "related": set(),
            "filed_cat": filed_cat, "file_at": file_at,
            "model": CaseModel(self.cal, self.rules, kind, received,
                               category=filed_cat),
        }

    def ev(self, c, at, by, action, **f):
        if at > self.now:
            raise Stop()
        return c["model"].add(at, by, action, **f)

    def dept_of(self, cat):
        return next(d for cid, _, d in CATEGORIES if cid == cat)

    def members(self, dept):
        return next(m for d, _, _, m in DEPARTMENTS if d == dept)

    def close(self, c, t, by, outcome=None):
        m = c["model"]
        due = m.due_now().get("resolve")
        f = {"outcome": outcome or self.pick(OUTCOMES)}
        if self.rng.random() < 0.85:
            f["notified"] = self.rng.choice(["phone", "visit", "letter"])
        level = self.pick(LEVELS)
        if level:
            f["satisfaction"] = level
        if due is not None:
            if t > due:
                f["late_reason"] = "需要检测鉴定"
            f["on_time"] = "true" if t <= due else "false"
        self.ev(c, t, by, "close", **f)
        return t

    def after_close(self, c, t, by, depth=0):
        rng = self.rng
        if rng.random() < 0.4:
            t = self.after(t, 20, 260)
            self.ev(c, t, "chen.jing", "feedback",
                    satisfaction=self.pick(LEVELS[:-1]), comment="回访")
        if depth == 0 and rng.random() < 0.15:
            t = self.after(t, 20, 300)
            self.ev(c, t, "chen.jing", "reopen", reason="投诉人不满意")
            if rng.random() < 0.75:
                t = self.after(t, 10, 240)
                t = self.close(c, t, by)
                self.after_close(c, t, by, 1)

    def history(self, c):
        """Play one case's life; stops quietly at 'now'."""
        rng, m = self.rng, c["model"]
        t = c["file_at"]
        f = {}
        if c.get("repeat_of"):
            f["repeat_of"] = [c["repeat_of"]]
        self.ev(c, t, "zhang.wei", "file", **f)
        r = rng.random()
        if r < 0.06:
            return                                   # never triaged
        if r < 0.10:                                 # withdrawn at once
            self.close(c, self.after(t, 1, 60), "chen.jing", "withdrawn")
            return
        t = self.after(t, 0.2, 40)
        if rng.random() < 0.12:
            self.ev(c, t, "chen.jing", "triage", decision="need-info",
                    info="购买凭证和照片")
            t = self.after(t, 8, 200)
            x = rng.random()
            if x < 0.15:
                return                               # still pending
            if x < 0.35:
                self.ev(c, t, "chen.jing", "triage", decision="reject",
                        reason="no-evidence")
                return
            if x < 0.6:
                self.ev(c, t, "zhang.wei", "note", text="已补充材料",
                        info_received="true")
                t = self.after(t, 0.5, 30)
        elif rng.random() < 0.11:
            self.ev(c, t, "chen.jing", "triage", decision="reject",
                    reason=rng.choice(["out-of-scope", "duplicate"]))
            return
        cat = c["filed_cat"] or rng.choice(CATEGORIES)[0]
        prio = "urgent" if rng.random() < 0.15 else "normal"
        self.ev(c, t, "chen.jing", "triage", decision="accept",
                category=None if c["filed_cat"] else cat, priority=prio)
        # routing
        t = self.after(t, 0.1, 24)
        dept = self.dept_of(cat)
        who = rng.choice(self.members(dept)) if rng.random() < 0.9 else None
        due = None
        if rng.random() < 0.05:
            due = iso(self.cal.end_of_day(self.cal.add_workdays(
                t.date(), rng.randint(3, 12))))
        self.ev(c, t, "chen.jing", "assign", department=dept, to=who,
                due=due)
        by = who or self.members(dept)[0]
        x = rng.random()
        if x < 0.07:
            t = self.after(t, 2, 48)
            self.ev(c, t, by, "return", reason="非本站职责")
            dept = rng.choice(DEPARTMENTS)[0]
            by = rng.choice(self.members(dept))
            t = self.after(t, 0.5, 24)
            self.ev(c, t, "chen.jing", "assign", department=dept, to=by)
        elif x < 0.14:
            t = self.after(t, 2, 48)
            dept = rng.choice(DEPARTMENTS)[0]
            by = rng.choice(self.members(dept))
            self.ev(c, t, "chen.jing", "assign", department=dept, to=by,
                    reason="转办", transfer="true")
        if rng.random() < 0.75:
            t = self.after(t, 1, 70)
            self.ev(c, t, by, "note", text="已电话联系投诉人", contact="phone")
        if not c["filed_cat"] and rng.random() < 0.06:
            t = self.after(t, 1, 100)
            self.ev(c, t, "chen.jing", "triage",
                    category=rng.choice(CATEGORIES)[0],
                    priority=rng.choice(["urgent", "normal"]))
        if rng.random() < 0.2:
            t = self.after(t, 2, 60)
            self.ev(c, t, by, "hold", reason="田间鉴定")
            if rng.random() < 0.2:
                return                               # still on hold
            t = self.after(t, 20, 300)
            self.ev(c, t, by, "resume")
        if rng.random() < 0.08:
            t = self.after(t, 1, 80)
            cur = m.due_now().get("resolve")
            if cur is not None:
                n = rng.randint(5, 15)
                self.ev(c, t, "chen.jing", "extend", due=iso(
                    self.cal.end_of_day(self.cal.add_workdays(cur.date(), n))),
                    extend_by="%dwd" % n, reason="需要检测")
        if rng.random() < 0.1:
            return                                   # still open
        t = self.after(t, 2, 420)
        if rng.random() < 0.05:
            if t > self.now:
                raise Stop()
            c["merge_at"] = (t, by)                  # a duplicate
            return
        t = self.close(c, t, by)
        self.after_close(c, t, by)

    # -- merges: the duplicate closes into an open case not on a stop --
    def merges(self, cases):
        by_resp = {}
        for c in cases:
            by_resp.setdefault(c["respondent"], []).append(c)
        for d in cases:
            if "merge_at" not in d:
                continue
            tm, by = d["merge_at"]
            # the latest cases about the same respondent first, then any
            # of the cases filed just before
            near = [o for o in cases if abs(
                (o["file_at"] - d["file_at"]).days) < 20] \
                if len(cases) < 2000 else []
            pool = [o for o in by_resp[d["respondent"]][::-1][:400] + near
                    if o is not d and "merge_at" not in o and
                    o["file_at"] < tm and self.open_at(o, tm)]
            if not pool:
                continue
            o = pool[0]
            self.ev(d, tm, by, "merge", into=o["id"])
            d["related"].add(o["id"])
            o["related"].add(d["id"])
            self.insert(o, tm, by, "merge", merged=d["id"])

    @staticmethod
    def open_at(o, tm):
        snaps = [s for s in o["model"].snaps if s["at"] < tm]
        if any(s["at"] == tm for s in o["model"].snaps) or not snaps:
            return False
        return snaps[-1]["status"] in ("received", "accepted", "assigned")

    def insert(self, o, at, by, action, **f):
        """Put an event into o's journal in time order and replay it."""
        old = o["model"]
        new = CaseModel(self.cal, self.rules, old.kind, old.received_at,
                        category=o["filed_cat"])
        events = old.events + [{"at": at, "by": by, "action": action,
                                "f": f}]
        for e in sorted(events, key=lambda e: e["at"]):
            new.add(e["at"], e["by"], e["action"], **e["f"])
        o["model"] = new

    def run(self):
        rng = self.rng
        arr = self.arrivals()
        plans = []
        for i, received in enumerate(arr):
            file_at = received
            if rng.random() < 0.03:                  # a letter, logged later
                file_at = self.after(received, 30, 100)
            plans.append((file_at, received))
        # a letter of October 30 registered on November 2
        if self.start <= dt.datetime(2026, 10, 30, tzinfo=TZ) < self.end:
            plans.append((dt.datetime(2026, 11, 2, 9, 30, tzinfo=TZ),
                          dt.datetime(2026, 10, 30, 10, 0, tzinfo=TZ)))
        plans.sort()
        cases, seq = [], {}
        for i, (file_at, received) in enumerate(plans):
            c = self.new_case(received, file_at, i)
            y = file_at.year
            seq[y] = seq.get(y, 0) + 1
            c["id"] = "%d-%06d" % (y, seq[y])
            earlier = [o for o in cases[-200:] if
                       o["respondent"] == c["respondent"] and
                       file_at - o["file_at"] < dt.timedelta(days=30)]
            if earlier and rng.random() < 0.3:
                c["repeat_of"] = earlier[-1]["id"]
                c["related"].add(earlier[-1]["id"])
            try:
                self.history(c)
            except Stop:
                pass
            cases.append(c)
        self.merges(cases)
        return cases


def record_of(c):
    def snap(s):
        out = {k: s[k] for k in ("action", "decision", "status", "category",
                                 "priority", "department", "assignee",
                                 "outcome", "satisfaction", "handling_days")}
        out["at"] = iso(s["at"])
        out["met"] = list(s["met"])
        out["due"] = {k: iso(v) for k, v in s["due"].items()}
        for k in ("closed_at", "acked_at"):
            out[k] = iso(s[k]) if s[k] else None
        return out

    m = c["model"]
    return {
        "id": c["id"], "kind": m.kind, "channel": c["channel"],
        "respondent": c["respondent"], "received_at": iso(m.received_at),
        "file_at": iso(c["file_at"]), "repeat": bool(c.get("repeat_of")),
        "pii": c["pii"], "snaps": [snap(s) for s in m.snaps],
    }


def git(store, *args):
    subprocess.run(["git", "-C", store, "-c", "user.name=Report Test",
                    "-c", "user.email=report@example.org",
                    "-c", "commit.gpgsign=false"] + list(args),
                   check=True, stdout=subprocess.DEVNULL)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("store")
    ap.add_argument("--cases", type=int, default=300)
    ap.add_argument("--start", default="2026-08-01")
    ap.add_argument("--months", type=int, default=3)
    ap.add_argument("--now", default="2026-11-27T18:00:00+08:00")
    ap.add_argument("--seed", type=int, default=20261101)
    ap.add_argument("--record")
    args = ap.parse_args()

    cases = Gen(args).run()
    os.makedirs(args.store, exist_ok=True)
    with open(os.path.join(args.store, "docket.yaml"), "w",
              encoding="utf-8") as f:
        f.write(config_yaml())
    for c in cases:
        y, n = c["id"].split("-")
        d = os.path.join(args.store, "cases", y, "%03d" % (int(n) // 1000))
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, c["id"] + ".yaml"), "w",
                  encoding="utf-8") as f:
            f.write(case_yaml(c))
    git(args.store, "init", "-q")
    git(args.store, "add", "docket.yaml", "cases")
    git(args.store, "commit", "-q", "-m", "generated cases for the report")
    if args.record:
        rec = {
            "organization": ORG,
            "channels": [c for c, _, _ in CHANNELS],
            "departments": [d for d, _, _, _ in DEPARTMENTS],
            "outcomes": [o for o, _ in OUTCOMES] + ["merged"],
            "cases": [record_of(c) for c in cases],
        }
        with open(args.record, "w", encoding="utf-8") as f:
            json.dump(rec, f, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
