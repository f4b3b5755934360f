"""When to act: since when nexus exists, from when tax had to be collected, by when to register, what is next.

A finding says *where* a test is met. A controller then asks *since when* the company owes, *by when* it
must register, *which of these it already handles*, and *which jurisdiction crosses next*. The answers come
from the same daily totals and from a second table of sourced, dated rows,
``data/registration-timing.json``: for each rule, how the duty begins once its test is met (from the next
sale, the first day of the next month, the first of the month after 90 days, January 1 of the next year,
within 30 days, Connecticut's 1 October...) and how long nexus lasts once created. Its rows, as read, are
:mod:`nexus.timing_rules`; which jurisdiction crosses next is :mod:`nexus.projection`, and the calendar of every
dated event :mod:`nexus.timeline`.

Nexus is worked out for every window in which it existed in the data, not only on the as-of date: the
test is evaluated day by day (with the rule version in force that day, over the periods it measures), each
run of days on which it is met is a window, and the rule's ``remains`` row extends it (many states keep a
seller liable for the rest of that year and the next). Where the sources are silent or conflict, the
earlier date is used and the finding says so.

More information: docs/check.md ("When to act").
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import accumulate, chain
from typing import Any, Callable, Iterable, Sequence

from nexus.periods import PARTS, Period, add_months, periods_for
from nexus.registrations import Coverage, Registration
from nexus.remembered import in_force, recall
from nexus.rules import Rule
from nexus.timing_rules import PermitRule, Start, StartRule, TimingBook, count_words, window_end
from nexus.trailing import Trail

ACTIONS = ("register-now", "register-by", "registered", "monitor")


# --- Nexus windows ------------------------------------------------------------------------------------

Days = dict  # {day: [amount, transactions]}: a rule's counted sales per day, in its currency
#: A rule's test as a function of sales, transactions and worldwide sales (:func:`nexus.measures.threshold_test`).
Met = Callable[[Rule], Callable[[Decimal, int, Decimal], bool]]


@dataclass(frozen=True)
class Window:
    """One stretch of time in which nexus existed: why, since when, and what the duty's dates were.

    ``until`` is the last day of nexus, or None when it still exists on the as-of date (or lasts until the
    registration is cancelled). ``met`` is the period whose sales met the test; ``start`` the start rule used.
    """

    basis: str  # economic, presence, establishment (a US state as home without its permit)
    since: date | None
    collect_from: date | None
    register_by: date | None
    until: date | None
    label: str
    start: StartRule | None = None
    rule: Rule | None = None
    #: The day the sales test was first met in the period measured; before ``since`` when the period looks
    #: back past the day the rule took effect (South Dakota's law, in force from 2018-11-01, counts 2017's
    #: sales: nexus begins on 2018-11-01, not on the day in 2017 the sales passed USD 100,000).
    crossed: date | None = None
    #: Stretches of days on which the test was not met, each ending before the duty's start day came or on it:
    #: the duty of the first crossing stands through them (see :func:`economic_windows`).
    missed: tuple[tuple[date, date], ...] = ()
    #: For presence that ended before the as-of date, its state's trailing period: how long nexus lasted after it
    #: (``until`` is then that period's end where the data gives one), or that the period is unknown.
    trail: Trail | None = None
    #: Where the start rule counted a later day from the day the test was met (a grace period), that day fell before
    #: the rule (or its start rule) took effect, and ``collect_from`` was held back to that day: (the day the count
    #: ran from, the day it gave), so the reasons can say so. None for a duty from the day the test is met.
    held_back: tuple[date, date] | None = None
    #: Where the state keeps a permit holder liable until the permit is cancelled and the registrations file lists the
    #: permit as held when the test stopped being met: the permit, and the last day the test alone gave (``until`` is
    #: then the permit's closing date, or None while the file gives none). See :func:`kept_by_permit`.
    permit: tuple[Registration, date] | None = None
    #: The later version of the rule that went on finding the same crossing's test met from its first day (Illinois's
    #: version of 2026-01-01 for a seller over USD 100,000): the duty then does not rest on the version replaced.
    read_on: Rule | None = None
    #: The day the start rule counted from: the crossing day, or the quarter or month end that found the test met.
    counted_from: date | None = None
    #: The permit closed before this crossing, where the state dates a crossing after a closed permit otherwise than a
    #: first one (``start`` is then the row's :meth:`nexus.timing_rules.StartRule.resumed`). See
    #: :func:`after_closed_permit`.
    resumed: Registration | None = None
    #: Where the test stopped being met before the duty's start day (``collect_from``): the first day it was no longer
    #: met; ``until`` is then that start day (:func:`_to_its_start`). None otherwise.
    lapsed_on: date | None = None

    @property
    def from_permit(self) -> bool:
        """Whether the duty of this window is the permit's own: taken out after the test had stopped being met, in a
        state that keeps a permit holder liable until it is cancelled (:func:`_taken_after`)."""
        return self.permit is not None and self.permit[0].registered_on > self.permit[1] + timedelta(days=1)

    def open_on(self, day: date) -> bool:
        """In force on ``day`` (presence with no start date is taken as in force: the file does not say)."""
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)

    def as_dict(self) -> dict[str, Any]:
        return {"basis": self.basis, "since": _iso(self.since), "collect_from": _iso(self.collect_from),
                "register_by": _iso(self.register_by), "until": _iso(self.until), "measured": self.label,
                "start_rule": ("while_permit_held" if self.from_permit else self.start.collect.kind) if self.start
                else None,
                "sources": list(self.start.sources) if self.start else [],
                "missed": [[a.isoformat(), b.isoformat()] for a, b in self.missed],
                "trailing": self.trail.as_dict() if self.trail else None,
                "permit_held": self._permit_dict()}

    @property
    def held_permit(self) -> tuple[Registration, date, PermitRule] | None:
        """The permit that keeps this window open, the last day the test alone gave, and the state's words that keep
        a holder liable (:attr:`permit` with its start row's rule); None where no permit keeps it."""
        if self.permit is None or self.start is None or self.start.permit is None:
            return None
        return self.permit[0], self.permit[1], self.start.permit

    def _permit_dict(self) -> dict[str, Any] | None:
        if self.held_permit is None:
            return None
        held, test_until, rule = self.held_permit
        return {"registration": f"{held.source.file}:{held.source.line}", "registered_on": _iso(held.registered_on),
                "closed_on": _iso(held.closed_on), "test_met_until": _iso(test_until),
                "wording": rule.wording, "sources": list(rule.sources)}


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
    """Why a window runs to its duty's start day though the test stopped being met before it (:func:`_to_its_start`)."""
    return (f"The test was no longer met from {w.lapsed_on}, before the duty from the crossing ({w.since}) began on "
            f"{w.collect_from}: the rule's start date counts from the day or month the test is met, and no source read "
            f"says a fall below before that day undoes it, so registration and collection from {w.collect_from} "
            f"stand; the duty ends on that day, the test no longer met then (no source read says whether it may be "
            f"closed at once).")


def _iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


class _Series:
    """Prefix sums of one rule's counted sales, transactions and worldwide sales, for window sums in O(1): the sums
    from day ``a`` to day ``b`` are ``amount[i(b)] - amount[i(a) - 1]``, where ``i(day)`` is ``day.toordinal() -
    origin + 1`` (:func:`scan`)."""

    def __init__(self, days: Days, world: dict[date, Decimal] | None, first: date, last: date):
        # Days before the first with sales sum to nothing: the totals start there (a window that starts earlier
        # sums from it), not years before.
        first = max(first, min(chain(days, world or ()), default=first))
        self.base = first
        size = max((last - first).days + 2, 1)
        # Day numbers, not timedeltas: the scan looks up windows for every day of every rule.
        self.origin = origin = first.toordinal()
        amount, count, total = [Decimal(0)] * size, [0] * size, [Decimal(0)] * size
        for day, (value, n) in days.items():
            if first <= day <= last:
                i = day.toordinal() - origin + 1
                amount[i] += value
                count[i] += n
        for day, value in (world or {}).items():
            if first <= day <= last:
                total[day.toordinal() - origin + 1] += value
        # Running totals, added up in C (each day's total plus the day's figure, as a loop adds them).
        self.amount, self.count, self.size = list(accumulate(amount)), list(accumulate(count)), size
        self.total = list(accumulate(total)) if world else total  # no worldwide sales: zero every day


def _crossing(rule: Rule, met: Met, days: Days, world: dict[date, Decimal] | None, window: Period,
              upto: date) -> date:
    """The first day within ``window`` (up to ``upto``) on which the running totals meet the test."""
    sales, count, total = Decimal(0), 0, Decimal(0)
    day = window.start
    test = met(rule)
    while day <= min(window.end, upto):
        value, n = days.get(day, (Decimal(0), 0))
        sales, count, total = sales + value, count + n, total + (world or {}).get(day, Decimal(0))
        if test(sales, count, total):
            return day
        day += timedelta(days=1)
    return min(window.end, upto)


@dataclass(frozen=True)
class Run:
    """A run of consecutive days on which a rule's test was met, and the day it was first crossed."""

    crossed: date
    met_from: date
    met_to: date | None  # last day met, None when still met at the end of the scan
    window: Period
    rule: Rule


def figures(days: Days, world: dict[date, Decimal] | None) -> tuple[Any, ...]:
    """The days' figures as a key: equal keys, equal figures (a dict of the same figures built in another order
    is a different key, worked out again: never a wrong result)."""
    return (tuple((d, *v) for d, v in days.items()), None if world is None else tuple(world.items()))


def scan(versions: Sequence[tuple[Rule, Days, dict[date, Decimal] | None]], start: date, end: date,
         met: Met) -> list[Run]:
    """Runs of days in [start, end] on which a rule's test is met, each with the day it was crossed.

    ``versions`` are the rule's versions with their counted sales; on each day the version in force then is
    applied over the periods it measures on that day.
    """
    if not in_force():  # a single check: no key built
        return _scan(versions, start, end, met)
    key = ("scan", start, end, met, tuple((id(rule), *figures(days, world)) for rule, days, world in versions))
    return list(recall(key, [rule for rule, _days, _world in versions], lambda: _scan(versions, start, end, met)))


def _scan(versions: Sequence[tuple[Rule, Days, dict[date, Decimal] | None]], start: date, end: date,
          met: Met) -> list[Run]:
    runs: list[Run] = []
    current: Run | None = None
    for rule, days, world in versions:
        first = max(start, rule.effective_from)
        last = min(end, rule.effective_to or end)
        if first > last or not rule.sales_tax or rule.period is None or not _can_meet(rule, days, world, met):
            continue
        series = _Series(days, world, first - timedelta(days=3 * 366), last)
        # Window sums read inline from the running totals: this loop runs for every day of every rule that can
        # meet its test.
        amount, count, total, top, before = series.amount, series.count, series.total, series.size - 1, series.origin
        bounds: dict[int, tuple[Period, int, int]] = {}  # per window: itself (kept, so its id stays), start, end
        day, ordinal, kind, one, test = first, first.toordinal(), rule.period, timedelta(days=1), met(rule)
        while day <= last:
            hit = None
            for w in _deciding(kind, day):
                known = bounds.get(id(w))
                if known is None:
                    known = bounds[id(w)] = (w, min(max(w.start.toordinal() - before, 0), top), w.end.toordinal())
                a, b = known[1], min(max((known[2] if known[2] < ordinal else ordinal) - before + 1, 0), top)
                if test(amount[b] - amount[a], count[b] - count[a], total[b] - total[a]):
                    hit = w
                    break
            if hit is not None and current is None:
                current = Run(_crossing(rule, met, days, world, hit, day), day, None, hit, rule)
            elif hit is None and current is not None:
                runs.append(Run(current.crossed, current.met_from, day - timedelta(days=1), current.window,
                                current.rule))
                current = None
            day += one
            ordinal += 1
        if current is not None and last < end:  # the version ends while met: the next version decides
            runs.append(Run(current.crossed, current.met_from, last, current.window, current.rule))
            current = None
    if current is not None:
        runs.append(current)
    return runs


def by_test(versions: Sequence[tuple[Rule, Days, dict[date, Decimal] | None]]) -> list[list[tuple[Rule, Days, Any]]]:
    """The versions of a rule to scan apart, one list per test its period is made of (:data:`PARTS`): each test of
    Canada's small-supplier rule (one calendar quarter; the four before it) starts the duty on its own day, so each is
    scanned as a rule of its own period and dated by its own start row. A rule of one test is one list."""
    width = max((len(PARTS.get(v.period or "", ())) for v, _days, _world in versions), default=0)
    if not width:
        return [list(versions)]
    return [[(v.part(PARTS[v.period][i]) if v.period in PARTS else v, days, world)
             for v, days, world in versions if v.period in PARTS or i == 0] for i in range(width)]


def _deciding(kind: str, day: date) -> tuple:
    """The periods measured on ``day``, and for Japan's test also those that decide the next two years (the base
    period is the year before last, the specified period the first half of the previous year): sales past the
    threshold in this year, or in its first half, oblige the business to notify promptly, before the year they
    make taxable begins."""
    found = periods_for(kind, day)
    if kind == "jp_base_or_specified_period":
        for ahead in (1, 2):
            found += tuple(w for w in periods_for(kind, date(day.year + ahead, 1, 1)) if w.start <= day)
    return found


def _can_meet(rule: Rule, days: Days, world: dict[date, Decimal] | None, met: Met) -> bool:
    """Whether any window could meet the test: all the sales and transactions there are (refunds left out, as a
    window without them could count more) must meet it. Most places cannot, and need no day-by-day scan."""
    sales = sum((v[0] for v in days.values() if v[0] > 0), Decimal(0))
    count = sum(v[1] for v in days.values())
    total = sum((v for v in (world or {}).values() if v > 0), Decimal(0))
    return met(rule)(sales, count, total)


def _until(run: Run, remains: str, due: date, runs: Sequence[Run] = ()) -> date | None:
    """The last day of nexus from one run of met days, by how long the rule keeps it.

    ``due`` is the day the start rule gives, before it is held back to the day the rule took effect: the twelve
    months of ``next_12_months`` are the cycle the determination opens (Connecticut's October to September,
    Pennsylvania's April to March), and a rule that took effect within that cycle does not lengthen it.
    Pennsylvania's first period ran from 2019-07-01, when the law took effect, to 2020-03-31 on 2018's sales
    (Bulletin 2019-01), not to 2020-06-30. ``runs`` are all the rule's runs, in order (the cycles after the first
    are opened by the test met on the day each begins, whichever run holds that day).
    """
    if remains == "until_deregistered" or run.met_to is None:
        return None
    last = _last_decided(run)
    if remains in ("rest_of_year_and_next", "current_and_next_year"):
        return max(last, date(run.crossed.year + 1, 12, 31))
    if remains == "next_12_months":
        return _last_cycle_end(due, runs or (run,))
    if remains == "at_least_12_months":  # Missouri: 'not less than twelve months', then while the quarters meet it
        return max(last, _year_from(due))
    return last


def _year_from(start: date) -> date:
    """The last day of the 12 months from ``start``: 2026-04-01 gives 2027-03-31, 2025-09-30 gives 2026-09-29."""
    return add_months(start.replace(day=1), 12) + timedelta(days=start.day - 2)


def _last_cycle_end(due: date, runs: Sequence[Run]) -> date | None:
    """The last day of the last 12-month cycle of a ``next_12_months`` duty, the first cycle from ``due``. At the end of
    each cycle the test is determined again, and met, it opens the next 12 months (86 Ill. Adm. Code 131.115: 'At the
    end of that one-year period' the retailer determines again 'and if they do, they are required to collect ... for
    the subsequent year'; Pennsylvania's April-to-March collection period decided by the calendar year before it;
    Connecticut's October to September by the 12 months to 30 September). A determination within a cycle neither
    shortens nor lengthens it. The test is read as the rule measures it on the day the next cycle begins (Illinois's 12
    months to the quarter end before, Pennsylvania's previous calendar year). None where that day is met in a run still
    met at the end of the scan: the duty is open on the as-of date."""
    end = _year_from(due)
    while True:
        begins = end + timedelta(days=1)
        holding = next((r for r in runs if r.met_from <= begins and (r.met_to is None or begins <= r.met_to)), None)
        if holding is None:
            return end
        if holding.met_to is None:
            return None
        end = _year_from(begins)


def _last_decided(run: Run) -> date:
    """The last day of the duty the run's test decided. A rule measured at a quarter's or month's end decides the
    periods after each end: the end that first finds the test no longer met (the day after the run's last met day)
    still belongs to the period the end before it decided. Vermont's May 2026 is decided by the 12 months to 30 April
    2026 (32 V.S.A. 9701(9)(F): 'the 12-month period preceding the monthly period'): met there, tax is due through
    31 May, though the 12 months to 31 May, measured that day, no longer meet it. A run closed because its rule
    version ended is not extended: the next version decides from its first day."""
    met_to = run.met_to or run.met_from
    if run.rule.period in QUARTER_END_PERIODS and (run.rule.effective_to is None or met_to < run.rule.effective_to):
        return met_to + timedelta(days=1)
    return met_to


def _measured(window: Period) -> str:
    """The period whose sales met the test, as people name it: ``calendar year 2025``, not the part of it read
    up to the crossing day."""
    if window.label.startswith("calendar year"):
        return f"calendar year {window.start.year}"
    return window.label


#: Periods measured only at their end (a quarter's or a month's end, Connecticut's 30 September: "the 12-month
#: period ending on September 30 immediately preceding"): sales can pass the threshold weeks before the rule finds
#: the test met, and refunds before that end can take it back below.
QUARTER_END_PERIODS = ("preceding_12_months_at_quarter_end", "ny_preceding_four_quarters",
                       "preceding_12_months_at_month_end", "ct_12_months_ending_september_30")


def _met_on(run: Run) -> date:
    """The day a start rule counts from: the crossing day, or for a rule measured at quarter ends the quarter end
    on which it first finds the test met (Minnesota: 60 days "once nexus is established"; Illinois: the quarter
    after "the end of the 12-month lookback period"). A duty cannot fall due on a day the rule's test is not met.
    That quarter end is the end of the window met, which is also the first day it is measured, unless the scan began
    later (a rule that took effect after it, measuring a look-back that ended before: Canada's row of 2021-07-01 finds
    the four quarters to 2021-06-30 met, and the duty counts from June's quarter, not from July)."""
    return max(run.crossed, run.window.end) if run.rule.period in QUARTER_END_PERIODS else run.crossed


def _counts_from_period_end(register: Start) -> bool:
    """Whether a registration deadline counts from the end of the period measured: a row of kind
    ``promptly_after_period_end``, where the law says 'promptly' with no day count and the test is made on the period's
    total, known once the period has ended (Japan's notification of becoming taxable, Consumption Tax Act art. 57(1)(i),
    for a base period or specified period over JPY 10 million: the data row says so, with its sources)."""
    return register.kind == "promptly_after_period_end"


def _register_counted_from(run: Run, register: Start, met: date) -> date:
    """The day a registration deadline counts from: the day the collection start counts from, or, where it counts
    from the period's end (:func:`_counts_from_period_end`), the earliest day it can be due, the day after the period
    ends (sales past JPY 10 million on 2025-01-06 in the specified period to 2025-06-30 give 2025-07-01)."""
    if _counts_from_period_end(register):
        return max(met, run.window.end + timedelta(days=1))
    return met


def _register_words(start: StartRule, w: Window) -> str:
    """How the registration deadline was chosen, in words: the start rule's, or for a deadline counted from the end of
    the period measured (:func:`_counts_from_period_end`), why the crossing day is not used."""
    if _counts_from_period_end(start.register):
        return (f"due promptly, with no day count, once {w.label} has ended: the day after it ends is used, the "
                f"earliest day it can be due, since the test is made on the period's total and refunds before its "
                f"end can take it back below the threshold")
    return start.register.words()


def economic_windows(runs: Iterable[Run], book: TimingBook) -> list[Window]:
    """Nexus windows from runs of met days, each with its start rule's dates; overlapping ones merged."""
    windows: list[Window] = []
    previous: tuple[Run, date] | None = None  # the last run, and the day its duty was counted from
    runs = list(runs)
    for run in runs:
        carried = previous is not None and _continues(previous[0], run)
        if carried:  # the same crossing, read on by the rule's next version: no new one
            run = replace(run, crossed=previous[0].crossed)  # type: ignore[index]
        # The start rule in force when the test is met under the rule: a look-back that passed the threshold before
        # the rule (and its start rule) took effect is dated by the start rule of that day, not by none.
        start = book.for_rule(run.rule, max(run.crossed, run.rule.effective_from))
        remains = start.remains if start else "unknown"
        end = window_end(run.rule, run.crossed)
        met = _met_on(run)
        # A duty never begins before the rule (or its start rule) took effect.
        earliest = max(run.rule.effective_from, start.effective_from) if start else run.rule.effective_from
        due = start.collect.when(met, end) if start else met
        if carried:  # Illinois's year of collection runs from the first determination, not from a version's first day
            due = previous[1]  # type: ignore[index]
        previous = (run, due)
        collect = max(due, earliest)
        register = (collect if not start or start.register.kind == "same_as_collect"
                    else max(start.register.when(_register_counted_from(run, start.register, met), end), earliest))
        # Nexus begins on the first day the rule in force finds its test met, never before the rule took effect: a rule
        # measured at quarter (or month) ends meets it only at the end that measures the sales, a rule measuring the
        # previous calendar year only on the 1 January after the year whose sales passed the threshold.
        since = max(run.met_from, run.rule.effective_from)
        window = Window("economic", since, collect, register, _until(run, remains, due, runs),
                        _measured(run.window), start, run.rule, run.crossed,
                        held_back=(met, due) if met < due < collect else None, counted_from=met)
        last = windows[-1] if windows else None
        # The test met again by the day the last crossing's duty began: the duty stands (a rule's start date counts
        # from the month the test "is met", and none says a dip before that day undoes it: Tennessee's rolling test
        # met on 23 September, missed for a day, met again, still gives 1 December).
        if last is not None and (last.until is None or window.since <= max(
                last.until + timedelta(days=1), last.collect_from)):  # type: ignore[operator]
            later = None if last.until is None or window.until is None else max(last.until, window.until)
            if _in_cycle(last, window):  # the cycles already read every later determination: this one opens none
                later = last.until
            missed = last.missed + (((last.until + timedelta(days=1), window.since - timedelta(days=1)),)
                                    if last.until is not None and window.since > last.until + timedelta(days=1)
                                    else ())
            windows[-1] = replace(last, until=later, missed=missed, read_on=run.rule if carried else last.read_on)
        else:
            windows.append(window)
    return [_to_its_start(w) for w in windows]


def _to_its_start(w: Window) -> Window:
    """A window whose test stopped being met before the day its duty began, kept to that day: the start rules count
    the duty from the day (or month) the test is met, and none read says a fall below before the start undoes it
    (Tennessee's RS-6: a dealer that 'meets the threshold on January 15, 2020 ... is required to register, collect,
    and remit sales tax beginning on April 1, 2020'), as a dip met again before that day does not
    (:func:`economic_windows`). The duty then begins on its day and, the test no longer met, ends there unless the
    rule keeps it longer. ``lapsed_on`` keeps the first day the test was no longer met, for the reasons."""
    if w.until is None or w.collect_from is None or w.until >= w.collect_from:
        return w
    return replace(w, until=w.collect_from, lapsed_on=w.until + timedelta(days=1))


def _in_cycle(last: Window, window: Window) -> bool:
    """Whether ``window`` is a test met again within the 12-month cycles of ``last`` (``next_12_months``): a duty
    whose end :func:`_last_cycle_end` worked out from every run, which a determination within a cycle does not move
    (Illinois's retailer collecting for its year determines again only at the year's end)."""
    return (last.until is not None and last.start is not None and last.start.remains == "next_12_months"
            and window.start is not None and window.start.remains == "next_12_months")


def _continues(before: Run, run: Run) -> bool:
    """Whether ``run`` goes on from ``before`` across the day a new version of the rule took effect, the test met on
    both sides: the scan closes a run where its version ends, and the next version's run is then the same crossing,
    not a new one (Illinois's year of collection from 2025-07-01 does not start again on 2026-01-01, the day its
    transaction test was removed)."""
    return (before.met_to is not None and run.rule is not before.rule and run.met_from == run.rule.effective_from
            and run.met_from == before.met_to + timedelta(days=1))


def one_duty(windows: Iterable[Window]) -> list[Window]:
    """The windows of a rule's several tests (:data:`nexus.periods.PARTS`) as stretches of one duty: windows that
    overlap or meet, whichever test opened them, are one stretch, dated by its earliest duty. Germany's EUR 100,000
    passed on 2025-01-11 taxes from that supply to the year's end, and 2025's EUR 25,000 taxes 2026 from 1 January:
    one duty since 2025-01-11, not a deadline of 2026-01-01 beside tax owed since 2025-01-11. The stretch's day of
    crossing and period measured are those of the window that began it, so that 'nexus since' names the test met
    that day; its start rule and dates are the standing duty's."""
    merged: list[Window] = []
    for w in sorted(windows, key=lambda w: (w.since or date.min, w.collect_from or date.max)):
        last = merged[-1] if merged else None
        if last is not None and (last.until is None or (w.since or date.min) <= last.until + timedelta(days=1)):
            first = min((last, w), key=lambda x: x.collect_from or date.max)  # the duty that stands
            until = None if last.until is None or w.until is None else max(last.until, w.until)
            register = min((d for d in (last.register_by, w.register_by) if d is not None), default=None)
            merged[-1] = replace(first, since=last.since, until=until, register_by=register, rule=last.rule,
                                 crossed=last.crossed, label=last.label, missed=last.missed + w.missed)
        else:
            merged.append(w)
    return merged


def kept_by_permit(windows: Sequence[Window], registrations: Sequence[Registration], jurisdiction: str,
                   as_of: date) -> list[Window]:
    """The windows with the duty a permit keeps: in a state whose text keeps a permit holder liable until the permit
    is cancelled (a start row's ``while_permit_held``), a window that would end because the test is no longer met runs
    on to the permit's closing date (``closed_on``), or past the as-of date where the registrations file gives none,
    if the file lists the state's own permit as taken out by the window's last day and not closed before it. Where
    the state's text is silent, or no permit is listed, the windows are returned as they were: the test decides."""
    permits = [r for r in registrations if r.jurisdiction == jurisdiction and r.registered_on <= as_of]
    kept = [_kept(w, permits) for w in windows]
    kept += _taken_after(kept, permits)
    return one_duty(kept) if any(w.permit is not None for w in kept) else list(windows)


def _taken_after(windows: Sequence[Window], permits: Sequence[Registration]) -> list[Window]:
    """A window of duty for each permit taken out after the test it would have kept stopped being met, in a state whose
    text keeps a permit holder liable until the permit is cancelled: from the day it was taken out to its closing date.
    The days between the test's last day and the permit are in no window: the state's words tie the duty to the permit
    held ('must continue to collect ... until it cancels its registration'), and neither the test nor a permit was
    there on those days."""
    out = []
    for p in permits:
        if any(w.open_on(p.registered_on) for w in windows):
            continue  # taken out while the test (or an earlier permit) kept nexus: :func:`_kept` reads it
        ended = [w for w in windows if w.until is not None and w.until < p.registered_on and w.start is not None
                 and w.start.permit is not None]
        if not ended:
            continue
        last = max(ended, key=lambda w: w.until or date.min)
        day = p.registered_on
        out.append(replace(last, since=day, collect_from=day, register_by=day, until=p.closed_on, missed=(),
                           trail=None, held_back=None, read_on=None, resumed=None,
                           permit=(p, last.until)))  # type: ignore[arg-type]
    return out


def _kept(window: Window, permits: Sequence[Registration]) -> Window:
    """One window, run on to the closing date of the permit held when its test stopped being met (see
    :func:`kept_by_permit`)."""
    if window.until is None or window.start is None or window.start.permit is None:
        return window
    ended = window.until
    # A permit taken out the day after the test's last day leaves no day between: it keeps the duty as one held.
    held = next((p for p in permits if p.registered_on <= ended + timedelta(days=1)
                 and (p.closed_on is None or p.closed_on > ended)), None)
    if held is None:
        return window
    return replace(window, until=held.closed_on, permit=(held, ended))


def after_closed_permit(windows: Sequence[Window], registrations: Sequence[Registration], jurisdiction: str,
                        as_of: date) -> list[Window]:
    """The windows dated by the state's rule for a seller that closed its permit, where the state has one (a start
    row's ``after_permit_closed``) and the registrations file lists the place's own permit as closed before the window
    began: Texas's terminated remote seller collects again from the first day of the second month after the month its
    test is met anew, not of the fourth. Other windows, and every window where the state is silent, are as they were:
    a crossing after a closed permit is then dated as a first one."""
    closed = [r for r in registrations if r.jurisdiction == jurisdiction and r.closed_on is not None
              and r.registered_on <= as_of]
    out = []
    for w in windows:
        before = [r for r in closed if w.since is not None and r.closed_on < w.since]  # type: ignore[operator]
        if (w.start is None or w.start.resume is None or not before or w.counted_from is None or w.rule is None
                or w.from_permit):  # a permit's own duty runs from the day it was taken out, not from a crossing
            out.append(w)
            continue
        start = w.start.resumed()
        met, end = w.counted_from, window_end(w.rule, w.crossed or w.counted_from)
        earliest = max(w.rule.effective_from, start.effective_from)
        collect = max(start.collect.when(met, end), earliest)
        register = collect if start.register.kind == "same_as_collect" else max(start.register.when(met, end),
                                                                                earliest)
        out.append(replace(w, start=start, collect_from=collect, register_by=register, held_back=None,
                           resumed=max(before, key=lambda r: r.closed_on or date.min)))
    return out


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
    (:func:`_taken_after`), with the days between said to be in no window."""
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
    :func:`kept_by_permit`, covers its window)."""
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
    #: still held), closed ones included: the estimate leaves them out (:func:`nexus.exposure.spans`).
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
