"""What lateness costs: penalties and interest on tax not charged, and what a voluntary disclosure changes.

Two dated tables in ``data/``: ``penalties-interest.json`` (late-filing and late-payment penalties as each
authority words them, and interest rates by period) and ``voluntary-disclosure.json`` (whether a programme
exists, its usual look-back, whether it waives penalties and interest). Where a jurisdiction's figures were not
found the estimate says "not estimated" for it; a typical figure is never used instead.

The estimate assumes monthly returns (DECISIONS.md) unless a registration says otherwise, each due with its payment
on the place's own monthly due date where the data give it (:func:`nexus.limitation.monthly_due`: the periods of
limitation's monthly due dates, New Mexico's, Czechia's, Poland's 25th, and ``penalties-interest.json``'s ``returns``,
Ohio's 23rd, California's last day), else on the 20th of the following month, assumed and said; and simple interest
from that day to the as-of date unless the table names another method.
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, Sequence

from nexus import datafiles
from nexus.errors import RulesError
from nexus.limitation import monthly_due
from nexus.periods import next_month

#: The day of the following month on which a month's return and payment are assumed due where no row of the data
#: gives the place's own (:func:`due_date`).
DUE_DAY = 20
#: What an estimate of monthly returns says where it assumed :data:`DUE_DAY`.
DUE_ASSUMED = f"due date assumed the {DUE_DAY}th of the next month: no row of the data gives it"


@dataclass(frozen=True)
class Penalty:
    """One penalty item as the source words it (see the table's ``kinds``)."""

    rate: Decimal | None
    amount: Decimal | None
    per: str  # once, month, year, return
    cap: Decimal | None
    minimum: Decimal | None
    after_days: int
    cap_scope: str
    wording: str
    #: A fixed sum per late return charged only once this many earlier returns were late (the UK's points: a
    #: monthly filer's fifth late return, after 4, brings the first GBP 200).
    after_returns: int = 0


@dataclass(frozen=True)
class InterestPeriod:
    start: date
    end: date | None
    annual_rate: Decimal


@dataclass(frozen=True)
class Lateness:
    """A jurisdiction's penalties and interest, for the days the row applies."""

    jurisdiction: str
    effective_from: date
    effective_to: date | None
    late_filing: tuple[Penalty, ...] | None
    late_payment: tuple[Penalty, ...] | None
    combine: str | None
    interest: tuple[InterestPeriod, ...] | None
    interest_method: str | None
    sources: tuple[str, ...]
    confidence: str
    notes: str
    #: Days after the due date on which interest has not yet begun (Texas: it accrues from the 61st day, 60).
    interest_after_days: int = 0
    #: Whether a year of simple interest has 365 days always (``365``) or 366 in a leap year (``actual``: Texas).
    interest_days_in_year: str = "365"

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class Disclosure:
    """A voluntary disclosure programme: its kind, usual look-back in months, and what it waives."""

    jurisdiction: str
    effective_from: date
    effective_to: date | None
    programme: str
    lookback_months: int | None
    penalties_waived: str
    interest_waived: str
    sources: tuple[str, ...]
    confidence: str
    notes: str
    #: ``months`` (``lookback_months`` gives them), ``none`` (the route has no look-back of its own: a late return
    #: reaches every period still open to assessment, as Japan's and Korea's) or ``unknown`` (the sources say none).
    lookback: str = "unknown"
    #: ``yes`` where the terms are the country's general rules for every taxpayer, so a seller established there (its
    #: home) may use them too; ``unknown`` where they were read for sellers outside it only (every US state's).
    established: str = "unknown"

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


#: What a programme's ``lookback`` may be (data/voluntary-disclosure.json).
LOOKBACKS = ("months", "none", "unknown")


def _lookback(row: dict[str, Any], where: str) -> str:
    """The row's ``lookback``: given, or ``months`` where it gives them and ``unknown`` where not; ``none`` with a
    number of months, or a word not in :data:`LOOKBACKS`, is an error naming the row."""
    months = row.get("lookback_months")
    found = row.get("lookback") or ("months" if months is not None else "unknown")
    if found not in LOOKBACKS or (found == "months") != (months is not None):
        raise RulesError(f"{where}: lookback {found!r} with lookback_months {months!r} (lookback is one of "
                         f"{', '.join(LOOKBACKS)}; 'months' goes with a number of months, the others with none)")
    return found


#: What a programme's ``established`` may be (data/voluntary-disclosure.json).
ESTABLISHED = ("yes", "unknown")


def _established(row: dict[str, Any], where: str) -> str:
    """The row's ``established``: ``unknown`` where it is not given; a word not in :data:`ESTABLISHED` is an error
    naming the row, since a misspelt 'yes' would quietly leave a home's disclosure unestimated."""
    found = row.get("established", "unknown")
    if found not in ESTABLISHED:
        raise RulesError(f"{where}: established {found!r} (one of {', '.join(ESTABLISHED)})")
    return found


def _d(value: Any) -> Decimal | None:
    return Decimal(value) if isinstance(value, str) else None


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RulesError(f"{where}: expected a date, found {value!r}") from None


def _penalties(items: Any) -> tuple[Penalty, ...] | None:
    if items is None:
        return None
    return tuple(Penalty(_d(i.get("rate")), _d(i.get("amount")), i.get("per", "once"), _d(i.get("cap")),
                         _d(i.get("minimum")), int(i.get("after_days") or 0), i.get("cap_scope") or "item",
                         i.get("wording", ""), int(i.get("after_returns") or 0)) for i in items)


def _one_rate_a_day(held: dict[str, list[tuple[InterestPeriod, str]]], place: str, period: InterestPeriod,
                    where: str) -> None:
    """Check that ``period`` of ``place``'s interest (its row: ``where``) shares no day with a period already read for
    ``place`` in any of its rows (``held``, which it then joins), and ends no earlier than it starts: an error naming
    both rows otherwise. Interest runs through the periods of all a place's rows (:func:`_periods`), and a day two
    periods hold would be read two ways: simple interest keeps the period it found for the first day to that period's
    end, compounding switches to the period listed first from its first day. Every day has one rate, so that neither
    reading is ever needed."""
    if period.end is not None and period.end < period.start:
        raise RulesError(f"{where} ({place}): interest period from {period.start} ends before it starts, on "
                         f"{period.end}")
    for other, other_where in held.setdefault(place, []):
        if period.start <= (other.end or date.max) and other.start <= (period.end or date.max):
            raise RulesError(f"{where} ({place}): interest period from {period.start} to {period.end or 'no end'} "
                             f"overlaps {other_where}'s from {other.start} to {other.end or 'no end'}: give each day "
                             f"one annual rate")
    held[place].append((period, where))


@lru_cache(maxsize=1)
def lateness_rows() -> tuple[Lateness, ...]:
    """``data/penalties-interest.json``'s ``rules``, read; a place's interest periods that overlap, in one row or two,
    are an error naming the rows (:func:`_one_rate_a_day`)."""
    rows = []
    held: dict[str, list[tuple[InterestPeriod, str]]] = {}
    for i, r in enumerate(datafiles.document("penalties-interest.json")["rules"], start=1):
        where = f"penalties-interest.json row {i}"
        interest = None if r.get("interest") is None else tuple(
            InterestPeriod(_date(p["effective_from"], where),
                           _date(p["effective_to"], where) if p.get("effective_to") else None,
                           Decimal(p["annual_rate"])) for p in r["interest"])
        for period in interest or ():
            _one_rate_a_day(held, r["jurisdiction"], period, where)
        rows.append(Lateness(r["jurisdiction"], _date(r["effective_from"], where),
                             _date(r["effective_to"], where) if r.get("effective_to") else None,
                             _penalties(r.get("late_filing")), _penalties(r.get("late_payment")),
                             r.get("penalties_combine"), interest, r.get("interest_method"), tuple(r["sources"]),
                             r.get("confidence", ""), r.get("notes", ""), int(r.get("interest_after_days") or 0),
                             r.get("interest_days_in_year") or "365"))
    return tuple(rows)


@lru_cache(maxsize=1)
def disclosure_rows() -> tuple[Disclosure, ...]:
    rows = []
    for i, r in enumerate(datafiles.document("voluntary-disclosure.json")["rules"], start=1):
        where = f"voluntary-disclosure.json row {i}"
        rows.append(Disclosure(r["jurisdiction"], _date(r["effective_from"], where),
                               _date(r["effective_to"], where) if r.get("effective_to") else None,
                               r.get("programme", "unknown"), r.get("lookback_months"),
                               r.get("penalties_waived", "unknown"), r.get("interest_waived", "unknown"),
                               tuple(r["sources"]), r.get("confidence", ""), r.get("notes", ""),
                               _lookback(r, where), _established(r, where)))
    return tuple(rows)


def lateness(place: str, on: date) -> Lateness | None:
    return next((r for r in _rows_of(place) if r.in_force(on)), None)


#: The rows of :func:`lateness_rows` by place, and the rows they were grouped from (:func:`_rows_of`).
_BY_PLACE: list[Any] = [None, {}]


def _rows_of(place: str) -> tuple[Lateness, ...]:
    """``place``'s rows of :func:`lateness_rows`, in its order: grouped once per table, not searched for every
    month of every estimate (the rows are grouped again where the table read is another one, as a test's)."""
    rows = lateness_rows()
    if _BY_PLACE[0] is not rows:
        grouped: dict[str, list[Lateness]] = {}
        for r in rows:
            grouped.setdefault(r.jurisdiction, []).append(r)
        _BY_PLACE[:] = [rows, {k: tuple(v) for k, v in grouped.items()}]
    found: tuple[Lateness, ...] = _BY_PLACE[1].get(place, ())
    return found


def disclosure(place: str, on: date) -> Disclosure | None:
    return next((r for r in disclosure_rows() if r.jurisdiction == place and r.in_force(on)), None)


def due_date(month: date, place: str) -> date:
    """When ``place``'s return and payment for the tax month ``month`` are due: the day the data give for that month
    (:func:`nexus.limitation.monthly_due`, moved off weekends where its row says the deadline moves), else the
    :data:`DUE_DAY` of the following month, assumed (:data:`DUE_ASSUMED`). A quarterly or annual return's due date is
    never used for a month's."""
    held = monthly_due(place, month)
    return held.of(month) if held is not None else next_month(month).replace(day=DUE_DAY)


def _months_late(days: int) -> int:
    """Months or parts of a month late."""
    return max(0, -(-days // 30))


def _items(items: Sequence[Penalty], tax: Decimal, days: int, earlier: int = 0) -> Decimal:
    """The penalty of one list for one return, ``days`` late, on ``tax``, after ``earlier`` late returns."""
    total = Decimal(0)
    bands = [i for i in items if i.per == "once"]
    reached = [i for i in bands if days > i.after_days] if any(i.after_days for i in bands) else bands
    if reached:  # bands of one list are not added: the latest reached applies
        latest = max(reached, key=lambda i: i.after_days)
        total += _one(latest, tax, 1)
    for item in items:
        if item.per == "month":
            months = _months_late(days - item.after_days)
            total += _one(item, tax, months)
        elif item.per == "year":
            total += _one(item, tax, Decimal(max(0, days - item.after_days)) / 365)
        elif item.per == "return" and days > item.after_days and earlier >= item.after_returns:
            total += item.amount or Decimal(0)
    scoped = [i.cap for i in items if i.cap is not None and i.cap_scope == "list"]
    if scoped:
        total = min(total, min(scoped) * tax)
    return total


def _one(item: Penalty, tax: Decimal, times: Decimal | int) -> Decimal:
    value = (item.rate or Decimal(0)) * tax * times if item.rate is not None else (item.amount or Decimal(0))
    if item.cap is not None and item.cap_scope == "item" and item.rate is not None:
        value = min(value, item.cap * tax)
    if item.minimum is not None and times:
        value = max(value, item.minimum)
    return value


def penalty(row: Lateness, tax: Decimal, days: int, earlier: int = 0) -> Decimal | None:
    """The penalty on one month's return of ``tax``, ``days`` late, or None when the table has no figures.
    ``earlier`` is how many returns were late before this one: a points regime charges from the Nth only."""
    if tax <= 0 or days <= 0:
        return Decimal(0)
    filing = _items(row.late_filing, tax, days, earlier) if row.late_filing else None
    payment = _items(row.late_payment, tax, days, earlier) if row.late_payment else None
    if filing is None and payment is None:
        return None
    if filing is not None and payment is not None:
        # "greater", or unknown: one of them, the greater (the cautious reading says so in the assumptions)
        return filing + payment if row.combine == "add" else max(filing, payment)
    return filing if filing is not None else payment


def _periods(row: Lateness) -> tuple[InterestPeriod, ...]:
    """The row's interest periods, then those of its jurisdiction's other rows: interest runs from each month's
    due date, which may come before the row in force on the as-of date began (the UK's 7% from 2025-02-25 is in
    the row that ends on 2025-03-31), and each row holds only the periods within its own dates."""
    return (row.interest or ()) + tuple(p for r in _rows_of(row.jurisdiction) if r is not row for p in r.interest or ())


def _month_after(day: date, months: int) -> date:
    """The same day ``months`` calendar months later (the month's last day where it is shorter)."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    last = (date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month + 1, min(day.day, last))


def _by_month(tax: Decimal, due: date, until: date, periods: Sequence[InterestPeriod]) -> Decimal | None:
    """Interest that accrues by the month, a part of a month counted as a whole one (Georgia: O.C.G.A.
    48-2-40): a twelfth of the annual rate in force on each month's first day, for every month or part of a month
    from the due date to ``until``; None if a month has no known rate."""
    total, months = Decimal(0), 0
    while _month_after(due, months) < until:
        first = _month_after(due, months) + timedelta(days=1)
        period = next((p for p in periods if p.start <= first and (p.end is None or first <= p.end)), None)
        if period is None:
            return None
        total += tax * period.annual_rate / 12
        months += 1
    return total


def interest(row: Lateness, tax: Decimal, due: date, until: date) -> Decimal | None:
    """Interest on ``tax`` from ``due`` to ``until`` at the rates by period (the jurisdiction's, whichever of its
    rows holds them: :func:`_periods`); None if a day has no known rate. Where interest begins only some days after
    the due date (the row's ``interest_after_days``), it runs from then."""
    due += timedelta(days=row.interest_after_days)
    if tax <= 0 or until <= due or not row.interest:
        return Decimal(0) if tax <= 0 or until <= due else None
    compound = row.interest_method or "simple"
    periods = _periods(row)
    if compound == "monthly":
        return _by_month(tax, due, until, periods)
    if compound == "simple":  # rate times days, period by period
        total, day = Decimal(0), due + timedelta(days=1)
        while day <= until:
            period = next((p for p in periods if p.start <= day and (p.end is None or day <= p.end)), None)
            if period is None:
                return None
            last = min(until, period.end) if period.end else until
            year = 365
            if row.interest_days_in_year == "actual":  # a leap year's days at 1/366 of the annual rate
                last, year = min(last, date(day.year, 12, 31)), 366 if calendar.isleap(day.year) else 365
            total += tax * period.annual_rate * ((last - day).days + 1) / year
            day = last + timedelta(days=1)
        return total
    total, day = Decimal(0), due + timedelta(days=1)
    balance = tax
    one = timedelta(days=1)
    while day <= until:
        at = next((i for i, p in enumerate(periods) if p.start <= day and (p.end is None or day <= p.end)), None)
        if at is None:
            return None
        # Compounded day by day, each day's interest as before; the period is looked up once for the days it is the
        # first to hold (to its end, or to the start of a period listed before it).
        period = periods[at]
        rate = period.annual_rate
        ends = [until] + ([period.end] if period.end else []) + [p.start - one for p in periods[:at] if p.start > day]
        last = min(ends)
        while day <= last:
            daily = balance * rate / 365
            total += daily
            if compound == "compound_daily":
                balance += daily
            elif compound == "compound_monthly" and day.day == due.day:
                balance = tax + total
            elif compound == "compound_annually" and (day.month, day.day) == (due.month, due.day):
                balance = tax + total
            day += one
    return total
