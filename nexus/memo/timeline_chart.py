"""The memo's timeline: each place's span of nexus and its dated marks (collect from, register by, registered,
a permit closed, a projected crossing) on one chart, and the deadlines and crossings ahead as a table.

The dates are the findings' own (:mod:`nexus.timing`, :func:`nexus.timeline.timeline`); this module places them
on the chart's axis and words them for the CFO.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from nexus.findings import CheckResult, Finding
from nexus.memo.maps import CATEGORIES, category_of
from nexus.memo.jurisdictions import elapsed, label, ordered
from nexus.registrations import Registration
from nexus.report import permit_kept_words, register_again
from nexus.timeline import closed_permits, timeline

#: How far back the timeline's axis reaches before the as-of date; earlier dates are marked at its left edge.
TIMELINE_YEARS = 2
#: Days the timeline's axis starts before its first date (a month, where TIMELINE_YEARS allows), so that no mark
#: is drawn on the axis's left edge, under the lane's label.
MARGIN_DAYS = 31
#: The width a year's label takes on the timeline's axis, written 3 units right of its line.
YEAR_LABEL = 34
#: Timeline events that are deadlines or crossings ahead (the rest are in the jurisdictions table).
DEADLINE_EVENTS = ("register by", "projected crossing", "registered", "permit closed")
ACTION_WORDS = {"register-now": "register now", "register-by": "deadline ahead", "registered": "registered",
                "monitor": "monitor"}


@dataclass(frozen=True)
class Mark:
    """A dated mark on one line of the timeline chart."""

    kind: str  # register-by, overdue, projected, registered, closed (a permit closed), collect
    x: float
    day: str
    words: str


@dataclass(frozen=True)
class Lane:
    """One jurisdiction's line on the timeline: the span of nexus up to the as-of date, and its marks."""

    code: str
    name: str
    category: str
    css: str
    y: float
    bar: tuple[float, float] | None
    clipped: str  # the real start of a bar that began before the axis
    marks: tuple[Mark, ...]


@dataclass(frozen=True)
class Timeline:
    """The chart's geometry (an SVG ``width`` wide) and the deadlines as a table."""

    width: int
    height: int
    left: int
    axis_start: date
    axis_end: date
    as_of_x: float
    years: tuple[tuple[float, str], ...]
    lanes: tuple[Lane, ...]
    events: tuple[dict[str, str], ...]
    lane_height: int = 22
    top: int = 28

    def drawn(self, kind: str) -> bool:
        """Whether any lane has a mark of ``kind``: the legend names a permit closed only where one is drawn."""
        return any(m.kind == kind for lane in self.lanes for m in lane.marks)


def timeline_view(result: CheckResult, width: int = 1000, left: int = 210) -> Timeline:
    # each place's permits closed (the registrations file's closed_on): drawn as the registrations are
    closed = {id(f): closed_permits(f, result.registrations) for f in result.findings}
    findings = [f for f in ordered(result) if f.timing is not None and (
        f.nexus in ("economic", "presence") or f.timing.projected_crossing or f.timing.registration
        or closed[id(f)])]
    days = [result.as_of]
    for f in findings:
        t = f.timing
        days += [d for d in (t.nexus_since, t.collect_from, t.register_by, t.projected_crossing,  # type: ignore
                             t.registration.registered_on if t.registration else None) if d]  # type: ignore
        days += [r.closed_on for r in closed[id(f)] if r.closed_on]
    floor = date(result.as_of.year - TIMELINE_YEARS, 1, 1)
    # a month before the first date, where the floor allows: a mark on the axis's first day sat half under the
    # lane's label ('US-TX Texas' with its registration's triangle over the 's')
    start = max(min(days) - timedelta(days=MARGIN_DAYS), floor).replace(day=1)
    end = max(days) + timedelta(days=31)
    span = max((end - start).days, 1)

    def x(day: date) -> float:
        return round(left + (width - left - 10) * (max(day, start) - start).days / span, 1)

    unneeded = {id(r) for r in result.unneeded_registrations}
    closed_before = {id(g): r for g, r in register_again(result)}  # the permit to register again after, by finding
    lanes, top, height = [], 28, 22
    for i, f in enumerate(findings):
        t = f.timing
        assert t is not None
        marks = []
        if t.collect_from:
            marks.append(Mark("collect", x(t.collect_from), str(t.collect_from), f"collect from {t.collect_from}"))
        if t.register_by:
            late = t.action == "register-now"
            marks.append(Mark("overdue" if late else "register-by", x(t.register_by), str(t.register_by),
                              f"register by {t.register_by}" + (f" (overdue for {elapsed(t.register_by, result.as_of)})"
                                                                if late and t.overdue_days else "")))
        if t.registration is not None:
            marks.append(Mark("registered", x(t.registration.registered_on), str(t.registration.registered_on),
                              f"registered {t.registration.registered_on}"
                              + (" though no test requires it" if id(t.registration) in unneeded else "")))
        marks += [Mark("closed", x(r.closed_on), str(r.closed_on), f"permit closed {r.closed_on}")
                  for r in closed[id(f)] if r.closed_on]
        if t.projected_crossing:
            marks.append(Mark("projected", x(t.projected_crossing), str(t.projected_crossing),
                              f"projected crossing {t.projected_crossing}"))
        since = t.nexus_since if f.nexus in ("economic", "presence") else None
        bar = (x(since), x(result.as_of)) if since else None
        if f.nexus == "presence" and t.nexus_since is None:
            bar = (x(start), x(result.as_of))
        clipped = str(since) if since and since < start else ""
        key = category_of(f)
        lanes.append(Lane(f.jurisdiction, label(f), key, CATEGORIES[key].css, top + i * height, bar, clipped,
                          tuple(marks)))
    years = tuple((x(date(y, 1, 1)), str(y)) for y in range(start.year + (start.month > 1), end.year + 1)
                  if x(date(y, 1, 1)) + YEAR_LABEL <= width)  # a year whose label the edge would cut to "2" is left out
    by_key = {(f.jurisdiction, f.scheme): f for f in findings}
    events = tuple({"date": e["date"], "code": e["jurisdiction"], "name": e["name"] + (
        f" ({e['scheme']})" if e["scheme"] else ""), "event": e["event"],
        "members": _members(by_key[e["jurisdiction"], e["scheme"]], result),
        "detail": _event_detail(e, by_key[e["jurisdiction"], e["scheme"]], result, unneeded, closed_before)}
        for e in timeline(findings, result.registrations) if e["event"] in DEADLINE_EVENTS)
    return Timeline(width, top + len(lanes) * height + 24, left, start, end, x(result.as_of), years,
                    tuple(lanes), events, height, top)


def _members(f: Finding, result: CheckResult) -> str:
    """The member states whose sales make a union's finding ("Germany (DE), France (FR)" for the EU): the
    timeline lists the union's dates only, and must not hide where the VAT is due."""
    return ", ".join(f"{m.name} ({m.jurisdiction})" for m in result.findings if m.part_of == f.jurisdiction
                     and m.nexus)


def _event_detail(e: dict[str, str], f: Finding, result: CheckResult, unneeded: set[int],
                  closed_before: dict[int, Registration]) -> str:
    """A timeline event's detail in the CFO's words: how long a deadline has passed (not "overdue by 2770 days"),
    a registration no test requires said to be one, and a deadline after a permit closed (``closed_before``, by the
    finding's id: :func:`nexus.report.register_again`) said to need a new one."""
    t = f.timing
    assert t is not None
    # a permit the company held and closed: 'overdue' alone, beside it, reads as a mistake (as on the screen)
    closed = closed_before.get(id(f)) if e["event"] == "register by" else None
    again = f"; register again: the permit ({closed.reference}) was closed on {closed.closed_on}" if closed else ""
    if e["event"] == "register by" and t.action == "register-now" and t.register_by and t.overdue_days:
        return f"overdue for {elapsed(t.register_by, result.as_of)}{again}"
    if again:
        return f"{ACTION_WORDS.get(e['detail'], e['detail'])}{again}"
    if e["event"] == "registered" and t.registration is not None and id(t.registration) in unneeded:
        # where the state keeps a permit holder liable until it is closed, its words and source: not a permit idle
        said = [permit_kept_words(r, rule) for r, rule in result.kept_permits if r is t.registration]
        return (f"{e['detail']}, though no test requires it (sales test {f.status}; no presence creating nexus)"
                + "".join(f". {s}" for s in said))
    return ACTION_WORDS.get(e["detail"], e["detail"])
