"""The windows of nexus: each stretch of time in which a place's test was met, from the daily totals, dated by its
start rule, and run on where a permit held keeps the duty.

Nexus is worked out for every window in which it existed in the data, not only on the as-of date: the
test is evaluated day by day (with the rule version in force that day, over the periods it measures), each
run of days on which it is met is a window, and the rule's ``remains`` row extends it (many states keep a
seller liable for the rest of that year and the next). Where the sources are silent or conflict, the
earlier date is used and the finding says so. The start rules are :mod:`nexus.timing_rules`; what the windows call
for on the as-of date, and why, is :mod:`nexus.timing`.

More information: docs/check.md ("When to act").
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from itertools import accumulate, chain, islice
from typing import Any, Callable, Iterable, Sequence

from nexus.periods import PARTS, Period, add_months, periods_for
from nexus.registrations import Registration
from nexus.remembered import in_force, recall
from nexus.rules import Rule
from nexus.timing_rules import PermitRule, Start, StartRule, TimingBook, window_end
from nexus.trailing import Trail


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
        amount, count, total, marked = [Decimal(0)] * size, [0] * size, [Decimal(0)] * size, [0] * size
        for day, (value, n) in days.items():
            if first <= day <= last:
                i = day.toordinal() - origin + 1
                amount[i] += value
                count[i] += n
                marked[i] = 1
        for day, value in (world or {}).items():
            if first <= day <= last:
                i = day.toordinal() - origin + 1
                total[i] += value
                marked[i] = 1
        # Running totals, added up in C (each day's total plus the day's figure, as a loop adds them).
        self.amount, self.count, self.size = list(accumulate(amount)), list(accumulate(count)), size
        self.total = list(accumulate(total)) if world else total  # no worldwide sales: zero every day
        #: How many days with figures there are up to each index: the sums from index ``a`` to ``b`` are those of the
        #: days marked after ``marks[a]`` up to ``marks[b]``, so two pairs of indices with equal marks have equal sums.
        self.marks = list(accumulate(marked))


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
        test, ordinal, since = met(rule), first.toordinal(), start.toordinal()
        # The test's answer per pair of marks (:attr:`_Series.marks`): equal marks, equal sums, the same answer. A
        # period read again with no sale come into it or gone out of it since (last year's, all year; this year's, on
        # a day without a sale) is answered from here, not summed and tested again.
        marks, size = series.marks, series.size
        answers: dict[int, bool] = {}
        for measured in islice(_measured_daily(rule.period, start, end), ordinal - since, last.toordinal() - since + 1):
            hit = None
            for w, start_on, end_on in measured:
                a, b = start_on - before, end_on - before + 1
                a = 0 if a < 0 else top if a > top else a  # within the running totals, as min(max(a, 0), top)
                b = 0 if b < 0 else top if b > top else b
                pair = marks[a] * size + marks[b]
                answer = answers.get(pair)
                if answer is None:
                    answer = answers[pair] = test(amount[b] - amount[a], count[b] - count[a], total[b] - total[a])
                if answer:
                    hit = w
                    break
            if hit is not None and current is None:
                day = date.fromordinal(ordinal)
                current = Run(_crossing(rule, met, days, world, hit, day), day, None, hit, rule)
            elif hit is None and current is not None:
                runs.append(Run(current.crossed, current.met_from, date.fromordinal(ordinal - 1), current.window,
                                current.rule))
                current = None
            ordinal += 1
        if current is not None and last < end:  # the version ends while met: the next version decides
            runs.append(Run(current.crossed, current.met_from, last, current.window, current.rule))
            current = None
    if current is not None:
        runs.append(current)
    return runs


@lru_cache(maxsize=64)
def _measured_daily(kind: str, first: date, last: date) -> tuple[tuple[tuple[Period, int, int], ...], ...]:
    """Each day from ``first`` to ``last``: the periods a rule of period ``kind`` measures (:func:`_deciding`), each
    with the day number it starts on and the last it sums that day (its end, or the day itself where it ends later).

    Kept: every place of a check measured the same way is scanned over the same days (the data's first day to the
    as-of date; the year after it for a crossing ahead), each rule version over a part of them, and the periods of a
    day do not depend on the place.
    """
    found = []
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        periods = _deciding(kind, date.fromordinal(ordinal))
        found.append(tuple((w, w.start.toordinal(), min(w.end.toordinal(), ordinal)) for w in periods))
    return tuple(found)


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


def counts_from_period_end(register: Start) -> bool:
    """Whether a registration deadline counts from the end of the period measured: a row of kind
    ``promptly_after_period_end``, where the law says 'promptly' with no day count and the test is made on the period's
    total, known once the period has ended (Japan's notification of becoming taxable, Consumption Tax Act art. 57(1)(i),
    for a base period or specified period over JPY 10 million: the data row says so, with its sources)."""
    return register.kind == "promptly_after_period_end"


def _register_counted_from(run: Run, register: Start, met: date) -> date:
    """The day a registration deadline counts from: the day the collection start counts from, or, where it counts
    from the period's end (:func:`counts_from_period_end`), the earliest day it can be due, the day after the period
    ends (sales past JPY 10 million on 2025-01-06 in the specified period to 2025-06-30 give 2025-07-01)."""
    if counts_from_period_end(register):
        return max(met, run.window.end + timedelta(days=1))
    return met


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
