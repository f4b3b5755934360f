"""The timeline: every dated event of the findings, sorted by date, the calendar a controller works from.

Each finding's test crossed, nexus since, collect from, register by, registration, permit closed, presence ended and
projected crossing, from the dates :mod:`nexus.timing` gives it (and :mod:`nexus.projection` for the crossing ahead).
The JSON's ``timeline``, the workbook's Timeline sheet and the memo's timeline all list these events.

More information: docs/check.md ("When to act").
"""
from __future__ import annotations

from datetime import timedelta
from typing import Any, Iterable

from nexus.registrations import Registration
from nexus.timing import basis_words
from nexus.timing_rules import count_words
from nexus.windows import Window


def closed_permits(f: Any, registrations: Iterable[Registration]) -> list[Registration]:
    """The registrations held for finding ``f`` that the registrations file gives a closing date (``closed_on``)."""
    return [r for r in registrations if r.closed_on is not None and r.covers(f.jurisdiction)]


def _permit_name(r: Registration) -> str:
    """A permit as the timeline names it: its number as nexus shows it (the last four characters) and its row."""
    where = f"{r.source.file}:{r.source.line}"
    return f"permit number {r.masked_id} ({where})" if r.id else f"permit ({where})"


def timeline(findings: Iterable[Any], registrations: Iterable[Registration] = ()) -> list[dict[str, Any]]:
    """Every dated event of the findings (crossed, nexus since, collect from, register by, registered, permit
    closed, projected crossing), sorted by date: the calendar a controller works from. ``registrations`` are those
    held (the registrations file): each permit closed is an event of its place's finding, dated its ``closed_on``.

    A member state under a union-wide test shares its union's dates, so only the union's are listed; a test
    crossed is listed apart from "nexus since" only for a window that has ended (the current one starts there).
    """
    events = []
    registrations = tuple(registrations)
    for f in findings:
        t = f.timing
        if getattr(f, "part_of", ""):
            continue
        named = {"jurisdiction": f.jurisdiction, "scheme": f.scheme, "name": f.name}
        # A permit closed ends the collection under it (and, where the state keeps a holder liable, the duty): a
        # date the controller works from as much as the day it was taken out.
        events += [{**named, "date": r.closed_on.isoformat(), "event": "permit closed",  # type: ignore[union-attr]
                    "detail": f"{_permit_name(r)} closed: held from {r.registered_on} to {r.closed_on}, its last "
                              f"day, collecting from {r.collecting_from}"}
                   for r in closed_permits(f, registrations)]
        if t is None:
            continue
        for w in t.windows:
            if w.basis == "economic" and w.since and w.since != t.nexus_since:
                # Dated on the day the rule then in force found its test met (never before that rule took effect, at
                # the quarter end for a rule measured there), not on the day the sales passed the figure: on that
                # earlier day another rule, or none, was in force. The detail names both days.
                why = f": {basis_words(w)}" if w.crossed is not None and w.crossed != w.since else ""
                ended = f"; nexus ended {w.until}" if w.until else ""
                events.append({**named, "date": w.since.isoformat(), "event": "crossed",
                               "detail": f"test met ({w.label}){why}{ended}"})
        for w in t.windows:
            if w.trail is not None:  # the day the presence ended, and how long the state keeps nexus after it
                events.append({**named, "date": w.trail.ended.isoformat(), "event": "presence ended",
                               "detail": f"{w.label}: {w.trail.short()} ({w.trail.why()})"})
        current = next((w for w in t.windows if w.since == t.nexus_since), None)
        how = _collect_words(current)
        registered = "registered"
        if t.action == "registered" and t.gap is not None and t.registration is not None:
            # collecting only from after tax was due: the days between are not covered, whatever the deadline
            registered = (f"registered {t.registration.registered_on}, collecting from "
                          f"{t.registration.collecting_from}: {count_words(t.gap.days, 'day')} ({t.gap.start} to "
                          f"{t.gap.end}) not covered by collection"
                          + (" to the as-of date" if t.registration.collecting_from > t.gap.end + timedelta(days=1)
                             else ""))
        details = {"nexus since": t.since_basis or "", "collect from": how,
                   "register by": (f"overdue by {t.overdue_days} days" if t.overdue_days
                                   else {"register-by": "deadline ahead", "register-now": "due today: register now",
                                         "registered": registered}.get(t.action or "", t.action or "")),
                   "projected crossing": t.projection}
        for what, day in (("nexus since", t.nexus_since), ("collect from", t.collect_from),
                          ("register by", t.register_by), ("projected crossing", t.projected_crossing)):
            if day is not None:
                events.append({**named, "date": day.isoformat(), "event": what, "detail": details[what]})
        if t.registration is not None:
            events.append({**named, "date": t.registration.registered_on.isoformat(), "event": "registered",
                           "detail": f"collecting from {t.registration.collecting_from}"})
    # Events of one day in the order they follow from each other (nexus, then collection, then registration), not
    # alphabetically: a rule measuring the previous year gives nexus, collection and registration on one 1 January.
    return sorted(events, key=lambda e: (e["date"], e["jurisdiction"], EVENT_ORDER.index(e["event"])))


def _collect_words(current: Window | None) -> str:
    """How the duty of the window open on the as-of date began, for the timeline's 'collect from'."""
    if current is None:
        return ""
    if current.from_permit:
        return "from the day the permit was taken out: the state keeps a permit holder liable until it is cancelled"
    if current.start is not None:
        return current.start.collect.words()
    return "from the day the presence began" if current.basis == "presence" else ""


#: The order of one day's events in :func:`timeline`.
EVENT_ORDER = ("crossed", "nexus since", "collect from", "register by", "registered", "permit closed",
               "presence ended", "projected crossing")
