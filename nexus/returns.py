"""The returns an estimate is worked by, and when each is due, in words: how often a place's returns are filed
(:func:`filing_of`) and what the estimate assumed of them (:func:`filing_words`, :func:`monthly_due_words`), the
monthly due dates it used as data (:func:`dues_used`), each return's period and due date (:func:`by_return`,
:func:`due_of`, :func:`returns_before`), and why penalties and interest are not estimated where a return has no due
date in the data (:func:`why_undated`).

:func:`nexus.exposure.estimate` works each return's tax, penalty and interest by them; the due dates themselves are
nexus's data (:mod:`nexus.limitation`, :mod:`nexus.penalties`). More information: docs/exposure.md ("The method").
"""
from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any, Sequence

from nexus import penalties
from nexus.exposure_records import RETURN_MONTHS, DataUsed, Filing, Month
from nexus.limitation import Due, monthly_due

#: How an estimate says that no registration row of the place gives a filing frequency.
MONTHLY_ASSUMED = ("Returns assumed monthly (no registration row of the place gives a filing frequency, the "
                   "registrations file's column filing): ")
#: What every estimate says where no registration row of the place gives a filing frequency and no row of the data its
#: monthly due date (one sentence for every such place, so that the workbook's Assumptions sheet lists it once).
FILING_ASSUMED = (f"{MONTHLY_ASSUMED}each month's tax due with its payment, penalties charged per monthly return and "
                  f"interest run from each return's due date; {penalties.DUE_ASSUMED}.")
#: Where an estimate's words send the reader for the statute of a monthly due date the data give (:func:`dues_used`).
DUE_SOURCED = "given with each month; its statute among the penalties and interest sources"


def filing_of(registration: Any | None, jurisdiction: str) -> Filing:
    """The filing frequency the estimate of ``jurisdiction`` works by: the ``filing`` of the place's own registration
    row where it gives one (a scheme's, the EU's one-stop shop, files the scheme's returns, not the member state's
    own), else monthly, assumed."""
    if registration is None or not registration.filing or registration.jurisdiction != jurisdiction:
        return Filing()
    return Filing(registration.filing, f"{registration.source.file}:{registration.source.line}")


def filing_words(filing: Filing, jurisdiction: str, due: Due | None, months: Sequence[date] = ()) -> str:
    """What the estimate assumed of the returns, for its assumptions: monthly returns (assumed, or the registration's)
    with the due dates they used (:func:`monthly_due_words`, ``months`` the tax months estimated), or the
    registration's quarterly or annual returns with the due date it used (``due``), or why none was used."""
    if filing.frequency == "monthly":
        given, assumed = monthly_due_words(jurisdiction, months)
        if not filing.source and not given:
            return FILING_ASSUMED
        said = (f"Returns monthly, as the registrations file's row {filing.source} says: " if filing.source
                else MONTHLY_ASSUMED)
        return (f"{said}each month's tax due with its payment{' ' + given if given else ''}, penalties charged per "
                f"{'return' if filing.source else 'monthly return'} and interest run from each return's due date"
                f"{'; ' + assumed if assumed else ''}.")
    said = f"Returns {filing.frequency}, as the registrations file's row {filing.source} says: "
    period = filing.period
    if due is None:
        return said + (f"each {period}'s tax on one return, the tax charged in the {period} set against the whole "
                       f"{period}'s tax; nexus's data hold no due date for {jurisdiction}'s {filing.frequency} "
                       f"return, so its penalties and interest are not estimated rather than a due date assumed.")
    return said + (f"each {period}'s tax on one return due with its payment on {_day_after(due, period)} "
                   f"({due.cite}, for periods from {due.effective_from:%Y-%m}), the tax charged in the "
                   f"{period} set against the whole {period}'s tax, penalties charged per return and interest run "
                   f"from each return's due date.")


def monthly_due_words(jurisdiction: str, months: Sequence[date]) -> tuple[str, str]:
    """When the monthly returns of ``months`` (their first days) were taken as due, in words: on the place's own day
    where the data give it (:func:`nexus.limitation.monthly_due`: ``on the place's own monthly due date in nexus's
    data (...)``, or ""), and where some month has none, the 20th assumed (:data:`nexus.penalties.DUE_ASSUMED`, after
    ``before 2019-07, `` where the data give a day for later months). The day itself, whether it moves off weekends
    and its statute are not in the words but in each month's due date and the data the estimate used
    (:func:`dues_used`): one sentence for every place whose days the data give, so that the outputs listing each
    assumption once (:mod:`nexus.assumed`) do not add a row per state as due dates are read, and the printed report
    stays under 20 pages. The first tax period the data give a day for is said only where some month is before it."""
    held = [monthly_due(jurisdiction, m) for m in months] or [monthly_due(jurisdiction, date.max)]
    used = [d for d in dict.fromkeys(held) if d is not None]
    if not used:
        return "", penalties.DUE_ASSUMED
    first = min(d.effective_from for d in used)
    since = f" for tax periods from {first:%Y-%m}" if None in held else ""
    given = f"on the place's own day in nexus's data{since} ({DUE_SOURCED})"
    if None not in held:
        return given, ""
    return given, f"before {first:%Y-%m}, {penalties.DUE_ASSUMED}"


def dues_used(jurisdiction: str, months: Sequence[date]) -> dict[tuple[str, ...], DataUsed]:
    """The monthly due dates the estimate of ``months`` used, as data used beside the penalties and interest: each
    with its statute, the first tax period it is held for, and its sources (:data:`DUE_SOURCED` points here)."""
    found: dict[tuple[str, ...], DataUsed] = {}
    held = (monthly_due(jurisdiction, m) for m in months or [date.max])  # as the words say it: monthly_due_words
    for due in dict.fromkeys(d for d in held if d is not None):
        found[("due", jurisdiction, str(due.effective_from))] = DataUsed(
            "penalties and interest", jurisdiction, f"monthly returns due on {_day_after(due, 'month')} ({due.cite}), "
            f"for tax periods from {due.effective_from:%Y-%m}; {due.moves(months)}", due.sources)
    return found


def _day_after(due: Due, period: str) -> str:
    """``the 25th of the next month`` (a monthly return's), ``the last day of the month after the quarter``, with a
    monthly return's exceptions (``, June's on the 17th of the 2nd month after it``)."""
    said = f"{_day(due.day)} of the {_after(due.months)} after the {period}"
    said = said.replace("of the month after the month", "of the next month")
    return said + "".join(f", {calendar.month_name[tax_month]}'s on {_day(day)} of the {_after(months)} after it"
                          for tax_month, months, day in due.exceptions)


def _day(day: int | None) -> str:
    return "the last day" if day is None else f"the {day}{_ordinal(day)}"


def _after(months: int) -> str:
    return "month" if months == 1 else f"{months}{_ordinal(months)} month"


def _ordinal(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def returns_before(start: date, month: date, size: int = 1) -> int:
    """The returns of ``size`` months (1, 3, 12) due, and not filed, before the one starting at ``month`` since tax was
    due from ``start``: each is late by the time ``month``'s is (a period without sales still has its return)."""
    return (month.year * 12 + month.month - 1) // size - (start.year * 12 + start.month - 1) // size


def _period_of(month: date, frequency: str) -> date:
    """The first day of the return period ``month`` falls in: itself, its calendar quarter's or its year's."""
    size = RETURN_MONTHS[frequency]
    return month.replace(month=(month.month - 1) // size * size + 1, day=1)


def by_return(by_month: dict[date, list[Any]], frequency: str) -> dict[date, list[Any]]:
    """The months' sums (:func:`nexus.exposure.estimate`'s ``by_month``) added up per return period: as they are for
    monthly returns; a quarter's or a year's otherwise, its first and last days of sales its months' first and last."""
    if frequency == "monthly":
        return by_month
    out: dict[date, list[Any]] = {}
    for first in sorted(by_month):
        taxable, sums, start, end, charged, refunds, refund_charged, crossing = by_month[first]
        got = out.setdefault(_period_of(first, frequency), [Decimal(0), {}, start, end, Decimal(0), {}, Decimal(0), {}])
        got[0] += taxable
        got[3] = end  # the months come in order
        got[4] += charged
        got[6] += refund_charged
        for into, add in ((got[1], sums), (got[5], refunds), (got[7], crossing)):
            for rates, value in add.items():
                into[rates] = into.get(rates, Decimal(0)) + value
    return out


def due_of(first: date, frequency: str, due: Due | None, jurisdiction: str) -> date | None:
    """When the return starting at ``first`` is due: a month's on the place's monthly due date, or the assumed day
    where the data give none (:func:`nexus.penalties.due_date`); a quarter's or a year's by the data's due date ``due``
    for the tax periods it is held for, else None (unknown)."""
    if frequency == "monthly":
        return penalties.due_date(first, jurisdiction)
    if due is None or first < due.effective_from:
        return None
    return due.of(first)


def why_undated(months: Sequence[Month], filing: Filing, jurisdiction: str, due: Due | None) -> str:
    """Why penalties and interest are not estimated where a return has no due date in the data, or ""."""
    missing = [m for m in months if m.due is None]
    if not missing:
        return ""
    held = (f" (held for tax periods from {due.effective_from:%Y-%m} only: {missing[0].label} to "
            f"{missing[-1].label} have none)" if due is not None else "")
    return (f"nexus's data hold no due date for {jurisdiction}'s {filing.frequency} return{held}, which the "
            f"registrations file's row {filing.source} gives: not estimated rather than a due date assumed")
