"""When to act: since when nexus exists, from when tax had to be collected, by when to register, what is next.

A finding says *where* a test is met. A controller then asks *since when* the company owes, *by when* it
must register, *which of these it already handles*, and *which jurisdiction crosses next*. The answers come
from the same daily totals and from a second table of sourced, dated rows,
``data/registration-timing.json``: for each rule, how the duty begins once its test is met (from the next
sale, the first day of the next month, the first of the month after 90 days, January 1 of the next year,
within 30 days, Connecticut's 1 October...) and how long nexus lasts once created. Its rows, as read, are
:mod:`nexus.timing_rules`; which jurisdiction crosses next is :mod:`nexus.projection`, and the calendar of every
dated event :mod:`nexus.timeline`.

Nexus is worked out for every window in which it existed in the data, not only on the as-of date
(:mod:`nexus.windows`). This module reads those windows against the registrations held (which permit covers the
duty, which was closed before it) and decides, for each finding, the dates and the action on the as-of date, with the
words that explain them.

More information: docs/check.md ("When to act").
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import Any, Sequence

from nexus.registrations import Coverage, Registration
from nexus.timing_rules import PermitRule, StartRule, count_words
from nexus.windows import QUARTER_END_PERIODS, Window, counts_from_period_end

ACTIONS = ("register-now", "register-by", "registered", "monitor")


def _held_back_words(w: Window) -> str:
    """Why a collection date is later than its start rule's count: the count fell before the rule took effect.
    Whether the count starts again on that day instead is a reading of law no source read settles (docs/rules.md,
    When the duty begins): the earlier date is used, and said."""
    if w.held_back is None:
        return ""
    met, due = w.held_back
    return (f"; counted from the test met on {met} that gives {due}, before the rule took effect on {w.collect_from}, "
            f"so from that day (an assumption: no source read says whether the count starts again on that day instead, "
            f"which would give a later date; docs/rules.md)")


def _lapsed_words(w: Window) -> str:
    """Why a window runs to its duty's start day though the test stopped being met before it
    (:func:`nexus.windows._to_its_start`)."""
    return (f"The test was no longer met from {w.lapsed_on}, before the duty from the crossing ({w.since}) began on "
            f"{w.collect_from}: the rule's start date counts from the day or month the test is met, and no source read "
            f"says a fall below before that day undoes it, so registration and collection from {w.collect_from} "
            f"stand; the duty ends on that day, the test no longer met then (no source read says whether it may be "
            f"closed at once).")


def _register_words(start: StartRule, w: Window) -> str:
    """How the registration deadline was chosen, in words: the start rule's, or for a deadline counted from the end of
    the period measured (:func:`nexus.windows.counts_from_period_end`), why the crossing day is not used."""
    if counts_from_period_end(start.register):
        return (f"due promptly, with no day count, once {w.label} has ended: the day after it ends is used, the "
                f"earliest day it can be due, since the test is made on the period's total and refunds before its "
                f"end can take it back below the threshold")
    return start.register.words()


def _outlasts_words(window: Window) -> str:
    """Where a window runs past the last day of the rule version whose test opened it, and the start row says sources
    disagree on whether such a duty outlasts the version (Illinois's year of collection on the 200 transactions that
    were removed from 2026-01-01), the disagreement, in the row's words."""
    rule, start = window.rule, window.start
    if start is None or not start.remains_conflict or rule is None or rule.effective_to is None or window.read_on:
        return ""
    if window.until is not None and window.until <= rule.effective_to:
        return ""
    return f"On how long the duty lasts past {rule.effective_to}, when that version of the test ended, sources " \
           f"disagree: {start.remains_conflict}"


def _permit_words(window: Window, as_of: date) -> str:
    """Why a window runs past the day its test was last met: the permit held, and the state's own words."""
    if window.held_permit is None:
        return ""
    held, ended, rule = window.held_permit
    if window.from_permit:
        return _late_permit_words(held, ended, rule)
    if held.closed_on is None:
        runs = "it runs on: the registrations file gives no closing date (column closed_on) for the permit"
    elif held.closed_on >= as_of:
        runs = f"it runs to {held.closed_on}, the permit's closing date in the registrations file"
    else:
        runs = f"it ran to {held.closed_on}, the permit's closing date in the registrations file"
    return (f"The sales test alone gave nexus to {ended}, but the registrations file lists the permit as held "
            f"({held.reference}, registered on {held.registered_on}), and a permit holder stays liable to collect "
            f"until the permit is cancelled ({held.jurisdiction}: \"{rule.wording}\"): {runs}.")


def _late_permit_words(held: Registration, ended: date, rule: PermitRule) -> str:
    """A permit taken out after the test stopped being met, and the duty it carries from that day
    (:func:`nexus.windows._taken_after`), with the days between said to be in no window."""
    if held.closed_on is None:
        runs = "and runs on: the registrations file gives no closing date (column closed_on) for the permit"
    else:
        runs = f"to {held.closed_on}, the permit's closing date in the registrations file"
    first, last = ended + timedelta(days=1), held.registered_on - timedelta(days=1)
    between = f"{first} to {last}" if first < last else str(first)
    return (f"The sales test alone gave nexus to {ended}; the registrations file lists the permit as taken out after "
            f"that ({held.reference}, registered on {held.registered_on}), and a permit holder stays liable to collect "
            f"until the permit is cancelled ({held.jurisdiction}: \"{rule.wording}\"): the duty runs again from "
            f"{held.registered_on} {runs}. {between}, when the test was not met and no permit was held, "
            f"{'is' if first == last else 'are'} not in it: the state's words tie the duty to the permit held, not to "
            f"the days before it was taken out.")


# --- What to do ---------------------------------------------------------------------------------------


Held = tuple[list[Registration], list[Registration]]


def covering(held: Sequence[Registration], windows: Sequence[Window], as_of: date) -> Held:
    """The registrations ``held`` that cover the finding's duty, and those closed before it.

    A permit covers the days it was held, no later ones: where nexus exists on the as-of date, a permit closed
    before that day no longer covers it (a crossing after the closing is a new obligation, and a duty that went on
    after it is owed again from the day after); where every window has ended, a permit covers the last of them if it
    was not closed before that window's tax was due (a permit that a state's text keeps open to its closing date,
    :func:`nexus.windows.kept_by_permit`, covers its window)."""
    ended = [w for w in windows if w.since is not None]
    if not ended or any(w.open_on(as_of) for w in windows):
        day = as_of
    else:
        last = max(ended, key=lambda w: w.since or date.min)
        day = last.collect_from or last.since or as_of
    return [r for r in held if r.held_on(day)], [r for r in held if not r.held_on(day)]


def reopened(windows: Sequence[Window], closed: Sequence[Registration], as_of: date) -> list[Window]:
    """The windows with the registration deadline a permit closed while their nexus went on gives: the day after the
    closing. The seller met the first deadline; counting 'overdue' from it would blame the days the permit was held."""
    out = []
    for w in windows:
        after = [r.closed_on for r in closed if r.closed_on is not None and w.open_on(as_of)
                 and w.register_by is not None and r.closed_on >= w.register_by]
        out.append(replace(w, register_by=max(after) + timedelta(days=1)) if after else w)
    return out


def closed_words(closed: Sequence[Registration], windows: Sequence[Window], as_of: date) -> tuple[str, ...]:
    """Why a permit the registrations file lists is not counted: it was closed before the duty it would cover began
    (a later crossing is a new obligation: register again, as a seller never registered), or while nexus went on."""
    said = []
    now = [w for w in windows if w.open_on(as_of)]
    for r in closed:
        last = r.closed_on
        if last is None:  # not closed: :func:`covering` never gives one
            continue
        held = f"The permit held earlier ({r.reference}, registered on {r.registered_on}) was closed on {last}"
        # an undated duty (a home whose business began on a day not given) ran before the closing too
        during = [w for w in now if w.collect_from is None or w.collect_from <= last]
        if not now:
            said.append(f"{held}: it is no longer held, and covers no crossing after it.{_ended_after(last, windows)}")
        elif during:
            said.append(f"{held}, while nexus went on: tax from {last + timedelta(days=1)} is not covered by "
                        f"it; register again.")
        else:
            due = min((w.collect_from for w in now if w.collect_from is not None), default=None)
            dated = ("by the state's rule for a seller that closed its permit"
                     if any(w.resumed is r for w in windows) else "as for a seller never registered there")
            said.append(f"{held}, before this duty began" + (f" (tax due from {due})" if due else "")
                        + f": it does not cover it; the crossing after it is a new obligation, dated {dated}."
                        + _ended_after(last, windows))
    return tuple(said)


def _ended_after(closed_on: date, windows: Sequence[Window]) -> str:
    """The days of an ended window of nexus that ran on after a permit was closed (a permit closed in June 2022
    while 2021's sales kept nexus to 2022-12-31), in words ("" where none): tax was owed on them and not collected
    under the permit, so the estimate holds them, which the sentence on the closing must not leave unexplained."""
    on = [w for w in windows if w.until is not None and w.collect_from is not None
          and w.collect_from <= closed_on < w.until]
    return "".join(f" It was closed while the nexus of {w.since} to {w.until} went on: "
                   f"{closed_on + timedelta(days=1)} to {w.until} was not collected under it and is at stake."
                   for w in on)


@dataclass(frozen=True)
class Gap:
    """Days between the day tax had to be collected and the day a registration started collecting."""

    start: date
    end: date

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def as_dict(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "days": self.days}


#: How a projection begins whose crossing the sales already made decide
#: (:func:`nexus.projection._met_by_sales_made`): no pace.
SETTLED = "met by the sales made to"


@dataclass(frozen=True)
class Timing:
    """A finding's dates and the action they call for (issue 19's fields), with the words that explain them."""

    nexus_since: date | None = None
    since_basis: str | None = None
    collect_from: date | None = None
    register_by: date | None = None
    action: str | None = None
    overdue_days: int | None = None
    registration: Registration | None = None
    gap: Gap | None = None
    projected_crossing: date | None = None
    projection: str = ""
    windows: tuple[Window, ...] = ()
    reasons: tuple[str, ...] = ()
    sources: tuple[str, ...] = field(default_factory=tuple)
    #: A window of nexus from sales is open on the as-of date (a test met earlier and kept by the rule counts).
    economic_now: bool = False
    #: What the earliest window open on the as-of date comes from (``economic`` or ``presence``): the basis of
    #: ``nexus_since``, which a screen names beside that date.
    since_from: str | None = None
    #: What the registrations held cover of the sales, category by category (None: none is for this place). Only
    #: a complete coverage makes the action ``registered``; a partial one leaves the rest to register for.
    coverage: Coverage | None = None
    #: The days the place's own permits collected on, each from its ``collecting_from`` to its ``closed_on`` (None:
    #: still held), closed ones included: the estimate leaves them out (:func:`nexus.days_due.spans`).
    collecting: tuple[tuple[date, date | None], ...] = ()

    @property
    def crossing_settled(self) -> bool:
        """Whether the projected crossing is decided by the sales already made (certain), not by a pace carried on."""
        return self.projected_crossing is not None and self.projection.startswith(SETTLED)

    @property
    def home_permit(self) -> bool:
        """Whether the duty is the seller's own permit at home (a US state as home the registrations file holds none
        for): its deadline has no date, and every output says 'no permit' where presence would say 'undated'."""
        return self.since_from == "establishment"


def decide(windows: Sequence[Window], as_of: date, registration: Registration | None, approaching: bool,
           home: bool = False, coverage: Coverage | None = None) -> Timing:
    """The dates and the action for one finding from its nexus windows and the registration that covers it.

    ``coverage`` says what the registrations held cover of its sales: where it leaves some uncovered,
    ``registration`` is None (the finding is not registered) and the reasons say what is and is not covered.
    """
    now = [w for w in windows if w.open_on(as_of)]
    economic_now = any(w.basis == "economic" for w in now)
    reasons: list[str] = []
    sources: list[str] = []
    for w in windows:
        if w.start is not None:
            sources += [s for s in w.start.sources if s not in sources]
        if w.held_permit is not None:
            sources += [s for s in w.held_permit[2].sources if s not in sources]
    if coverage is not None:  # the articles that say what a scheme registration covers
        sources += [s for s in coverage.as_dict()["sources"] if s not in sources]
    if not now:
        past = [w for w in windows if w.since is not None]
        for w in past:
            if w.basis == "presence":
                reasons.append(f"Nexus from physical presence ({w.label}) existed from {w.since} to {w.until}; it has "
                               f"ended, but tax on sales in that window may still be owed.")
                reasons += _trailed([w])
            elif w.rule is not None and w.rule.effective_to is not None and w.until == w.rule.effective_to:
                # The window closed because the version whose test was met was replaced (South Dakota's 200
                # transactions, removed from 2023-07-01): not because the sales fell.
                reasons.append(f"Nexus from sales existed from {w.since} to {w.until} ({w.label}) under the rule's "
                               f"version then in force ({w.rule.describe_threshold()}), which is no longer in force "
                               f"from {w.until + timedelta(days=1)}; tax on sales in that window may still be owed.")
            elif w.permit is not None:
                origin = "the permit held" if w.from_permit else "sales"
                reasons.append(f"Nexus from {origin} existed from {w.since} to {w.until} ({w.label}); tax on sales in "
                               f"that window may still be owed.")
                reasons.append(_permit_words(w, as_of))
            else:
                reasons.append(f"Nexus from sales existed from {w.since} to {w.until} ({w.label}); it is no longer "
                               f"met, but tax on sales in that window may still be owed.")
        reasons += [words for w in past for words in [_outlasts_words(w)] if words]
        reasons += [_lapsed_words(w) for w in past if w.lapsed_on is not None]
        action = "monitor" if approaching and not home else None
        if registration is not None:  # closed before its window ended, it leaves the days after the closing owed
            reasons.append(_registered_words(registration, None, coverage)
                           + (_ended_after(registration.closed_on, windows) if registration.closed_on else ""))
        elif coverage is not None and past:  # tax was due once: what the registrations held left uncovered
            reasons.append(coverage.words())
        return Timing(action=action, registration=registration, windows=tuple(windows), reasons=tuple(reasons),
                      sources=tuple(sources), coverage=coverage)
    first = min(now, key=lambda w: (w.since or date.max))
    dated = [w for w in now if w.collect_from is not None]
    collect = min((w.collect_from for w in dated), default=None)  # type: ignore[type-var]
    register = min((w.register_by for w in dated if w.register_by is not None), default=None)
    basis = basis_words(first)
    since = first.since or ("the day the business began there (not given to nexus)" if first.basis ==
                            "establishment" else "a date the presence file does not give")
    reasons.append(f"Nexus since {since}: {basis}.")
    for w in now:
        if w.missed:
            days = ", ".join(str(a) if a == b else f"{a} to {b}" for a, b in w.missed)
            reasons.append(f"The test was not met on {days}, and was met again before {w.collect_from}, the day "
                           f"the duty from the first crossing ({w.since}) began: the rule's start date counts from the "
                           f"month the test is met, and no source read says such a lapse undoes it.")
    reasons += [_lapsed_words(w) for w in now if w.lapsed_on is not None]
    reasons += _presence_first(now, collect)
    reasons += _trailed(now)
    reasons += [_permit_words(w, as_of) for w in now if w.permit is not None]
    reasons += [words for w in now for words in [_outlasts_words(w)] if words]
    for w in now:
        if w.start is not None and not w.from_permit:  # a permit's own duty is said with the permit (above)
            how = w.start.collect.words()
            lead = (f"Collect from {w.collect_from}" if collect is None or w.collect_from == collect
                    else f"The sales test alone would have collection start on {w.collect_from}")
            reasons.append(f"{lead}: {how} ({w.start.jurisdiction}'s rule"
                           + (f": \"{w.start.wording}\"" if w.start.wording else "") + ")"
                           + (f"; register by {w.register_by} ({_register_words(w.start, w)})"
                              if w.register_by != w.collect_from else "") + _held_back_words(w) + ".")
            if w.start.confidence in ("conflict", "unknown", "secondary") and w.start.notes:
                reasons.append(f"On the start date, {w.start.confidence}: {w.start.notes}")
        elif w.basis == "economic" and w.start is None:
            reasons.append(f"Collect from {w.collect_from}: nexus has no sourced start rule for this jurisdiction, so "
                           f"the crossing day is used (the earliest possible date).")
    gap = None
    if home:
        action = None
    elif registration is not None:
        action = "registered"
        # The gap so far: a check of a day states no days after it. Collection that begins after the as-of date
        # leaves the days to it uncovered, and the words say when collection is to begin.
        if collect is not None and registration.collecting_from > collect and collect <= as_of:
            gap = Gap(collect, min(registration.collecting_from - timedelta(days=1), as_of))
        reasons.append(_registered_words(registration, gap, coverage, collect))
    elif register is None or register <= as_of:  # no date (presence the file does not date) is no reason to wait
        action = "register-now"
    else:
        action = "register-by"
    overdue = (as_of - register).days if action == "register-now" and register is not None else None
    # A registration held that covers only some of the sales leaves the rest to register for: said, not hidden.
    none = ("no registration in the registrations file covers all of its sales" if coverage is not None else
            "no registration in the registrations file covers it")
    if action == "register-now" and register is None:
        reasons.append(f"Register now: nexus exists on the as-of date and the presence file gives no start date, "
                       f"and {none}.")
    elif action == "register-now":
        reasons.append(f"Register now: the deadline was {register}, {overdue} day{'s' * (overdue != 1)} before the "
                       f"as-of date, and {none}.")
    elif action == "register-by":
        reasons.append(f"Register by {register}: {none} yet.")
    if action in ("register-now", "register-by") and coverage is not None:
        reasons.append(coverage.words())
    return Timing(first.since, basis, collect, register, action, overdue, registration, gap, None, "",
                  tuple(windows), tuple(reasons), tuple(sources), economic_now, since_from=first.basis,
                  coverage=coverage)


def ended_span(w: Window) -> str:
    """A window of nexus that has ended, in a few words, as the screen and the memo name it: 'presence 2021-05-01 to
    2024-06-30', or, where the state's trailing period is known, the presence's own days and the day nexus ended
    ('presence 2021-05-01 to 2024-06-30, Washington keeps nexus to 2025-12-31'). An unknown period is said in the
    finding's reasons, not here: the window's dates are then the presence's own."""
    if w.basis != "presence":
        return f"sales test {w.since} to {w.until}"
    if w.trail is None or not w.trail.known:
        return f"presence {w.since} to {w.until}"
    return f"presence {w.since} to {w.trail.ended}, {w.trail.short()}"


def _trailed(windows: Sequence[Window]) -> list[str]:
    """How long the state keeps nexus after each presence that has ended, in words (or that no source read says)."""
    said = [w.trail.words() for w in windows if w.trail is not None]
    return [f"{words[0].upper()}{words[1:]}." for words in said]


def act_by(t: Timing | None) -> str:
    """What to do by when, in a few words: the registration deadline, overdue or not, or the gap in collection."""
    if t is None:
        return ""
    if t.action is None:  # a window of nexus that has ended (a test no longer met, a server gone) says when
        ended = [w.until for w in t.windows if w.until is not None]
        return (f"ended {max(ended)}" if ended and not t.economic_now and all(w.until is not None for w in t.windows)
                else "")
    if t.action == "register-now":
        if t.register_by is None:  # presence the file does not date, or a home whose permit the file lacks
            return "now (no permit)" if t.home_permit else "now (undated)"
        return f"overdue {t.overdue_days} d" if t.overdue_days else "due today"  # 0 days: the deadline is today
    if t.action == "register-by":
        return str(t.register_by)
    if t.action == "registered":
        return f"gap {t.gap.days} d" if t.gap else "registered"
    return t.action


def _urgency(f: Any) -> tuple[int, date]:
    t = f.timing
    if t is None or t.action is None:
        return 3, date.max
    order = {"register-now": 0, "registered": 1, "register-by": 2}.get(t.action, 3)
    return order, (t.register_by or date.min) if order == 0 else (t.register_by or date.max)


def most_urgent_first(findings: Sequence[Any]) -> list[Any]:
    """Findings in the order to act on them: overdue first (the oldest deadline first; no date first of all),
    then gaps in collection, then deadlines ahead, then the rest; a union's member states right after it. The
    screen, the workbook and the memo all list Act now in this order."""
    members: dict[str, list[Any]] = {}
    for f in findings:
        if f.part_of:
            members.setdefault(f.part_of, []).append(f)
    out: list[Any] = []
    for f in sorted((f for f in findings if not f.part_of), key=_urgency):
        out.append(f)
        out += members.pop(f.jurisdiction, [])
    return out + [m for group in members.values() for m in group]


def _presence_first(now: Sequence[Window], collect: date | None) -> list[str]:
    """Say when physical presence starts collection before a sales test met later in the same place: the
    finding's dates are the presence's, and the sales test's own 'Collect from' would otherwise be the only one
    the reasons give (stock in New Jersey from April, the test met in December)."""
    later = [w for w in now if w.basis == "economic" and w.collect_from is not None and collect is not None
             and w.collect_from > collect]
    first = [w for w in now if w.basis == "presence" and w.collect_from is not None and w.collect_from == collect]
    if not later or not first:
        return []
    return [f"Collect from {collect}: from the day the physical presence began ({first[0].label}), before the "
            f"sales test was met; register by then."]


def basis_words(window: Window) -> str:
    if window.basis == "presence":
        return f"physical presence ({window.label})"
    if window.basis == "establishment":
        return f"establishment ({window.label})"
    if window.from_permit and window.permit is not None:
        held = window.permit[0]
        return (f"the permit held from {held.registered_on} ({held.reference}), taken out after the sales test "
                f"stopped being met on {window.permit[1]}")
    crossed = window.crossed or window.since
    since, rule = window.since, window.rule
    if not since or not crossed or since <= crossed:
        return f"the sales test was met on {crossed} ({window.label})"
    if rule is None or since == rule.effective_from:
        return f"the sales test was met on {crossed} ({window.label}), and the rule took effect on {since}"
    if rule.period in QUARTER_END_PERIODS:
        every = "month" if rule.period == "preceding_12_months_at_month_end" else "quarter"
        return (f"the sales passed the threshold on {crossed} ({window.label}), and the rule, measured at each "
                f"{every} end, finds the test met on {since}")
    return f"the sales passed the threshold on {crossed} ({window.label}), a period the rule measures from {since}"


def _registered_words(registration: Registration, gap: Gap | None, coverage: Coverage | None = None,
                      collect: date | None = None) -> str:
    """The registration held and, where collection began (or is to begin) after tax was due, the days not covered
    up to the as-of date: the gap's end is never after it, and collection still to begin is said as such."""
    words = f"Registered on {registration.registered_on} ({registration.reference}), collecting from " \
            f"{registration.collecting_from}" + (f", closed on {registration.closed_on}" if registration.closed_on
                                                 else "")
    note = coverage.words() if coverage is not None else ""
    if gap is not None:
        begins = registration.collecting_from > gap.end + timedelta(days=1)  # not yet on the as-of date
        words += (f"; tax was due from {gap.start}, so {count_words(gap.days, 'day')} ({gap.start} to {gap.end}"
                  + (", the as-of date" if begins else "") + f") {'is' if gap.days == 1 else 'are'} not covered by "
                  f"collection" + (f", which is to begin on {registration.collecting_from}" if begins else ""))
    elif collect is not None and registration.collecting_from > collect:  # the duty itself begins after the as-of date
        words += (f"; tax is to be collected from {collect}: unless collection begins earlier, the days from {collect} "
                  f"to {registration.collecting_from - timedelta(days=1)} will not be covered")
    return words + "." + (f" {note}" if note else "")
