"""Measurement periods: which dates a rule looks at, for a given as-of date.

States measure their thresholds over different windows. This module turns a
rule's period kind and the as-of date into the concrete, inclusive date
ranges to sum over. Where a rule has two windows (the current *or* the
previous calendar year) the threshold is met if either window meets it.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

#: Period kinds made of two tests that each start the duty on their own day (Canada's small-supplier test: one
#: calendar quarter, or the four before it). The rule is met when either part is; the dates of each part come from
#: its own registration-timing row (the row's ``period``), and the earlier duty stands. A part may have a threshold
#: of its own (the rule's ``part_thresholds``): Germany's small-business rule from 2025 is left when the previous
#: year passed EUR 25,000 (the current year's passing it says so ahead) or when the current year passes EUR 100,000.
PARTS: dict[str, tuple[str, ...]] = {
    "calendar_quarter_or_preceding_four_quarters": ("current_calendar_quarter", "preceding_12_months_at_quarter_end"),
    "current_or_previous_calendar_year_or_current_calendar_year": ("current_or_previous_calendar_year",
                                                                   "current_calendar_year"),
}


@dataclass(frozen=True)
class Period:
    """An inclusive date range, with the words used to show it."""

    start: date
    end: date
    label: str

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def days(self) -> int:
        return (self.end - self.start).days + 1


def _year_before(day: date) -> date:
    """The same day one year earlier (28 February for 29 February)."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


@lru_cache(maxsize=4096)
def _twelve_months_ending(end: date, label: str) -> Period:
    """The twelve months that end on ``end``. Where ``end`` closes its month, they are whole months (from the
    first of the month eleven months before): twelve months to 28 February 2025 start on 1 March 2024, not on
    29 February 2024, which belongs to the quarter or month before (a 13th month, 366 days)."""
    if (end + timedelta(days=1)).day == 1:
        first = end.year * 12 + end.month - 1 - 11
        start = date(first // 12, first % 12 + 1, 1)
    else:
        start = _year_before(end) + timedelta(days=1)
    return Period(start, end, f"{label} {start.isoformat()} to {end.isoformat()}")


def next_month(day: date) -> date:
    """The first day of the month after ``day``'s."""
    return date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)


def add_months(first: date, months: int) -> date:
    """The first day of the month ``months`` after (before, where negative) the month of ``first``."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_end(year: int, month: int) -> date:
    return next_month(date(year, month, 1)) - timedelta(days=1)


def _last_month_end_on_or_before(as_of: date, months: tuple[int, ...]) -> date:
    """The latest end of one of ``months`` (1-12) falling on or before ``as_of``, in its year or the year before.

    Month by month back from ``as_of``'s own (whose end counts only when ``as_of`` is that end): the dates of a
    check ask this of every day of the data.
    """
    year, month = as_of.year, as_of.month
    if month in months and (as_of + timedelta(days=1)).day == 1:
        return as_of
    while True:
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
        if year < as_of.year - 1:
            raise ValueError(f"none of the months {months} ends in the year before {as_of}")
        if month in months:
            return _month_end(year, month)


def calendar_quarter(as_of: date) -> Period:
    """The calendar quarter holding ``as_of``, from its first day to ``as_of`` (the sales made so far)."""
    start = date(as_of.year, 3 * ((as_of.month - 1) // 3) + 1, 1)
    return Period(start, as_of, f"calendar quarter {as_of.year}-Q{(as_of.month - 1) // 3 + 1} to {as_of.isoformat()}")


@lru_cache(maxsize=4096)
def calendar_year(year: int, until: date | None = None) -> Period:
    end = date(year, 12, 31) if until is None else min(until, date(year, 12, 31))
    label = f"calendar year {year}" if until is None else f"calendar year {year} to {end.isoformat()}"
    return Period(date(year, 1, 1), end, label)


@lru_cache(maxsize=65536)
def periods_for(kind: str, as_of: date) -> tuple[Period, ...]:
    """The windows a rule of period ``kind`` measures at ``as_of`` (cached: the dates of a check ask for the
    same few kinds day after day)."""
    return tuple(_periods_for(kind, as_of))


def _periods_for(kind: str, as_of: date) -> list[Period]:
    """The windows a rule of period ``kind`` measures at ``as_of``.

    The current calendar year and rolling windows end on the as-of date: a
    check as of a date counts the sales made up to and including that day.
    """
    if kind == "previous_calendar_year":
        return [calendar_year(as_of.year - 1)]
    if kind == "current_or_previous_calendar_year":
        return [calendar_year(as_of.year - 1), calendar_year(as_of.year, until=as_of)]
    if kind == "current_calendar_year":
        return [calendar_year(as_of.year, until=as_of)]
    if kind == "preceding_12_months":
        return [_twelve_months_ending(as_of, "12 months")]
    if kind == "preceding_12_months_at_quarter_end":
        end = _last_month_end_on_or_before(as_of, (3, 6, 9, 12))
        return [_twelve_months_ending(end, "12 months to quarter end")]
    if kind == "current_calendar_quarter":
        return [calendar_quarter(as_of)]
    if kind in PARTS:
        return [p for part in PARTS[kind] for p in _periods_for(part, as_of)]
    if kind == "preceding_12_months_at_month_end":
        # Vermont: each month's liability is decided by "the 12-month period preceding the monthly period".
        end = _last_month_end_on_or_before(as_of, tuple(range(1, 13)))
        return [_twelve_months_ending(end, "12 whole months")]  # each month end measures the months before it
    if kind == "current_month_and_previous_11_months":
        # Australia's current GST turnover: the month of the day measured and the 11 months before it, whole
        # months from the first (GST Act s. 188-15); the rest of the current month is not yet sold.
        first = as_of.year * 12 + as_of.month - 1 - 11
        start = date(first // 12, first % 12 + 1, 1)
        return [Period(start, as_of, f"current month and previous 11 months {start.isoformat()} to "
                                     f"{as_of.isoformat()}")]
    if kind == "ny_preceding_four_quarters":
        # New York's sales-tax quarters end on the last day of Feb, May, Aug and Nov.
        end = _last_month_end_on_or_before(as_of, (2, 5, 8, 11))
        return [_twelve_months_ending(end, "four NY sales-tax quarters")]
    if kind == "ct_12_months_ending_september_30":
        end = _last_month_end_on_or_before(as_of, (9,))
        return [_twelve_months_ending(end, "12 months to 30 September")]
    if kind == "jp_base_or_specified_period":
        # Japan's consumption tax: the base period is the business year before last (a calendar
        # year here); the specified period is the first six months of the previous year.
        base = calendar_year(as_of.year - 2)
        specified = Period(date(as_of.year - 1, 1, 1), date(as_of.year - 1, 6, 30),
                           f"specified period {as_of.year - 1}-01-01 to {as_of.year - 1}-06-30")
        return [Period(base.start, base.end, f"base period (calendar year {as_of.year - 2})"), specified]
    raise ValueError(f"unknown period kind {kind!r}")
