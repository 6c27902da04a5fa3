"""dlmodel.py - DESIGN section 6 (working days, deadlines, clock stops) and
the case life cycle of section 4, written from the design text alone, for
the report test's generator.  It shares no code with the C implementation:
the point is an independent account of what every deadline was.

Times are aware datetimes in the store's zone (Asia/Shanghai, +08:00, no
daylight saving time); dates are datetime.date.
"""

import datetime as dt

TZ = dt.timezone(dt.timedelta(hours=8))
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5,
            "sun": 6}


def iso(t):
    """RFC 3339 with the numeric offset, as docket writes it."""
    return t.strftime("%Y-%m-%dT%H:%M:%S") + "+08:00"


def parse_iso(s):
    return dt.datetime.fromisoformat(s)


class Calendar:
    def __init__(self, workdays, holidays, extra):
        self.workdays = {WEEKDAYS[w] for w in workdays}
        self.holidays = set(holidays)
        self.extra = set(extra)

    def is_workday(self, d):
        if d in self.extra:
            return True
        return d.weekday() in self.workdays and d not in self.holidays

    def add_workdays(self, d, n):
        """The nth working day after day d."""
        while n > 0:
            d += dt.timedelta(days=1)
            if self.is_workday(d):
                n -= 1
        return d

    def workdays_between(self, a, b):
        """Working days in (a, b]."""
        n, d = 0, a
        while d < b:
            d += dt.timedelta(days=1)
            n += self.is_workday(d)
        return n

    @staticmethod
    def end_of_day(d):
        return dt.datetime(d.year, d.month, d.day, 23, 59, 59, tzinfo=TZ)

    def add(self, start, dur):
        """The deadline dur = (n, unit) after the instant start."""
        n, unit = dur
        if unit == "h":
            return start + dt.timedelta(hours=n)
        day = start.astimezone(TZ).date()
        if unit == "wd":
            return self.end_of_day(self.add_workdays(day, n))
        day += dt.timedelta(days=n)
        while not self.is_workday(day):
            day += dt.timedelta(days=1)
        return self.end_of_day(day)

    def shift(self, deadline, stop, restart, hours):
        """Move a deadline later by a finished clock stop."""
        if hours:
            return deadline + (restart - stop)
        n = self.workdays_between(stop.date(), restart.date())
        if n <= 0:
            return deadline
        d = self.add_workdays(deadline.date(), n)
        return dt.datetime.combine(d, deadline.timetz())


def parse_dur(s):
    for unit in ("wd", "h", "d", "y"):
        if s.endswith(unit) and s[:-len(unit)].isdigit():
            return int(s[:-len(unit)]), unit
    raise ValueError(s)


class Rules:
    """deadlines: defaults, then every matching rule, later ones winning."""

    def __init__(self, ack, feedback, resolve, rules):
        self.base = {"ack": parse_dur(ack), "feedback": parse_dur(feedback),
                     "resolve": parse_dur(resolve)}
        self.rules = rules   # [(when dict, {deadline: "Nwd"})]

    def durations(self, kind, priority, category):
        out = dict(self.base)
        for when, set_ in self.rules:
            if "kind" in when and when["kind"] != kind:
                continue
            if "priority" in when and when["priority"] != priority:
                continue
            if "category" in when:
                c = when["category"]
                if not category or not (category == c or
                                        category.startswith(c + "/")):
                    continue
            for k, v in set_.items():
                out[k] = parse_dur(v)
        return out


OPEN = {"received", "pending-info", "accepted", "assigned", "on-hold"}


class CaseModel:
    """A case as the commands would keep it, one event at a time.

    After every event the state is snapshotted: status, classification,
    routing, the deadlines as they then stood (DESIGN 6: a deadline met
    keeps its value; the others are recomputed from the journal), the
    closing, satisfaction, and the working days stopped so far.
    """

    def __init__(self, cal, rules, kind, received_at, category=None,
                 priority="normal"):
        self.cal, self.rules = cal, rules
        self.kind = kind
        self.received_at = received_at
        self.events = []
        self.s = {
            "status": "received", "category": category,
            "priority": priority, "department": None, "assignee": None,
            "due": {}, "met": [], "closed_at": None, "outcome": None,
            "satisfaction": None, "acked_at": None, "stopped_wd": 0,
            "handling_days": None,
        }
        self.stop_from = None     # a clock stop running since
        self.stops = []           # finished stops (from, to)
        self.snaps = []

    # -- what meets a deadline (DESIGN 6) --
    def _met(self, k):
        ev = self.events
        if k == "ack":
            return any(e["action"] == "triage" and "decision" in e["f"]
                       for e in ev)
        if k == "feedback":
            return any((e["action"] == "note" and "contact" in e["f"]) or
                       e["action"] == "close" for e in ev)
        for e in reversed(ev):           # resolve: the standing close
            if e["action"] == "reopen":
                return False
            if e["action"] == "close":
                return True
        return False

    def _compute(self, k, dur):
        if k in ("ack", "feedback"):
            since = self.received_at
            due = self.cal.add(since, dur)
        else:
            start = fixed = None
            for e in self.events:
                if (e["action"] == "triage" and
                        e["f"].get("decision") == "accept") or \
                        e["action"] == "reopen":
                    start, fixed = e, None
                elif start and e["action"] in ("assign", "extend") and \
                        "due" in e["f"]:
                    fixed = e
            if not start:
                return None
            if fixed:
                due, since = parse_iso(fixed["f"]["due"]), fixed["at"]
            else:
                due, since = self.cal.add(start["at"], dur), start["at"]
        for a, b in self.stops:
            if a >= since:
                due = self.cal.shift(due, a, b, dur[1] == "h")
        return due

    def due_now(self):
        return dict(self.s["due"])

    def add(self, at, by, action, **f):
        f = {k: v for k, v in f.items() if v is not None}
        if self.events:
            assert at > self.events[-1]["at"], (at, self.events[-1]["at"])
        e = {"at": at, "by": by, "action": action, "f": f}
        self.events.append(e)
        s = self.s
        dec = f.get("decision") if action == "triage" else None
        # clock stops: need-info .. accept | reject | info received;
        # hold .. resume
        if self.stop_from is not None and (
                dec in ("accept", "reject") or action == "resume" or
                (action == "note" and f.get("info_received"))):
            self.stops.append((self.stop_from, at))
            s["stopped_wd"] += self.cal.workdays_between(
                self.stop_from.date(), at.date())
            self.stop_from = None
        if dec == "need-info" or action == "hold":
            assert self.stop_from is None
            self.stop_from = at
        # status, classification, routing
        if action == "triage":
            if dec == "accept":
                s["status"] = "accepted"
            elif dec == "need-info":
                s["status"] = "pending-info"
            elif dec == "reject":
                s["status"] = "rejected"
            if dec and s["acked_at"] is None:
                s["acked_at"] = at
            if "category" in f:
                s["category"] = f["category"]
            if "priority" in f:
                s["priority"] = f["priority"]
        elif action == "assign":
            s["status"] = "assigned"
            if "department" in f:
                s["department"] = f["department"]
            s["assignee"] = f.get("to")
        elif action == "return":
            s["status"] = "accepted"
            s["department"] = s["assignee"] = None
        elif action == "hold":
            s["status"] = "on-hold"
        elif action == "resume":
            s["status"] = "assigned"
        elif action == "note" and f.get("info_received"):
            s["status"] = "received"
        elif action == "close" or (action == "merge" and "into" in f):
            s["status"] = "closed"
            s["closed_at"] = at
            s["outcome"] = "merged" if action == "merge" else f["outcome"]
            s["satisfaction"] = f.get("satisfaction")
            s["handling_days"] = self.cal.workdays_between(
                self.received_at.date(), at.date()) - s["stopped_wd"]
        elif action == "feedback":
            s["satisfaction"] = f["satisfaction"]
        elif action == "reopen":
            s["status"] = "assigned"
            s["closed_at"] = s["outcome"] = s["satisfaction"] = None
            s["handling_days"] = None
        # deadlines
        durs = self.rules.durations(self.kind, s["priority"], s["category"])
        met = []
        for k in ("ack", "feedback", "resolve"):
            m = self._met(k)
            if m:
                met.append(k)
            if m and k in s["due"]:
                continue
            v = self._compute(k, durs[k])
            if v is None:
                s["due"].pop(k, None)
            else:
                s["due"][k] = v
        s["met"] = met
        snap = dict(s)
        snap["due"] = dict(s["due"])
        snap["at"] = at
        snap["action"] = action
        snap["decision"] = dec
        self.snaps.append(snap)
        return e

    @property
    def status(self):
        return self.s["status"]

    @property
    def on_clock_stop(self):
        return self.stop_from is not None
