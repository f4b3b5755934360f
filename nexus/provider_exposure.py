"""The money a candidate provider puts at stake: the tax a year its new nexus would bring.

A candidate's warehouse, data centre, cloud region or CDN cache can create nexus where the company has none
today (:mod:`nexus.provider`'s nexus delta). Each such place means registering there and collecting its tax on
every taxable sale shipped there; whatever is not collected is potential exposure. This module puts a figure on
it per place and per candidate, with nexus's own estimate (:func:`nexus.check.estimate_over`, the rates and
taxability of ``data/``): the tax on the company's sales there over the twelve months to the as-of date, as
though the nexus had stood on each of those days, after the candidate's role is applied (sales it takes as
merchant of record, or collects on as marketplace facilitator where the state's law makes it collect, are not
the company's). Where the orders cover fewer than twelve of those months the figure is scaled to a year, and
says so. It is a run-rate estimate of the tax going forward, not a forecast and not a return.

Without orders there is nothing to estimate from: the figure is "not estimated", never zero.
More information: docs/provider.md.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Sequence

from nexus.check import Context, Finding, estimate_over
from nexus.errors import RateMissing
from nexus.exposure import ZERO, Range
from nexus.fx import Rates, RateTable
from nexus.measures import Converter
from nexus.money import format_amount
from nexus.periods import Period
from nexus.registrations import Registration
from nexus.rules import RuleBook
from nexus.sales import Ledger

#: Days in the year the estimate runs over: the twelve months to the as-of date, as the currency delta counts them.
YEAR_DAYS = 365
#: Why a candidate's new nexus has no figure without orders (the screen, JSON, workbook and memo say it so).
#: The kinds of data rows (:class:`nexus.exposure.DataUsed`) a year's tax rests on besides the rates.
FIGURE_DATA = ("taxability", "marketplace law")
NO_ORDERS = "not estimated: no orders given (--sales), so the sales there are not known"


@dataclass(frozen=True)
class Place:
    """One place where the candidate creates nexus, and the tax a year it would put at stake.

    ``sales`` (every sale shipped there, net of refunds; None where no exchange rate converts them) and
    ``taxable_sales`` (those the place taxes and the company would collect on) are those of the days estimated
    (``start`` to ``end`` of :class:`NewExposure`), in ``currency``; ``tax`` is a year's tax in ``currency`` and
    ``reporting`` in the reporting currency (low, central, high: in the US from the state rate to the highest
    combined rate), both None with ``note`` saying why where nothing could be estimated.
    """

    jurisdiction: str
    name: str
    why: str
    currency: str
    sales: Decimal | None
    taxable_sales: Decimal | None
    tax: Range | None
    reporting: Range | None
    #: Sales there whose taxability or rate the data does not give, in ``currency``: left out of the figure.
    not_estimated: Decimal = Decimal(0)
    note: str = ""
    assumptions: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class NewExposure:
    """The potential exposure a candidate's new nexus would bring in a year, estimated from recent sales."""

    #: Whether orders were given; without them nothing is estimated (never zero).
    orders: bool
    currency: str
    start: date | None
    end: date | None
    #: A year over the days the orders cover (1 when they cover all twelve months).
    factor: Decimal
    places: tuple[Place, ...]

    @property
    def estimated(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.reporting is not None)

    @property
    def left_out(self) -> tuple[Place, ...]:
        """Places with new nexus but no figure in the total (not covered, no rate, no exchange rate)."""
        return tuple(p for p in self.places if p.reporting is None)

    @property
    def total(self) -> Range | None:
        """The year's tax over every place estimated, in ``currency``, unrounded (rounded once when shown);
        None where nothing could be estimated (no new nexus, no orders, or no place with a figure)."""
        found = self.estimated
        if not found:
            return None
        return Range(sum((p.reporting.low for p in found), Decimal(0)),  # type: ignore[union-attr]
                     sum((p.reporting.central for p in found), Decimal(0)),  # type: ignore[union-attr]
                     sum((p.reporting.high for p in found), Decimal(0)))  # type: ignore[union-attr]

    @property
    def period_words(self) -> str:
        """``2025-11-01 to 2026-10-31`` and, where the orders cover less, how the figure was scaled to a year."""
        if self.start is None or self.end is None:
            return ""
        said = f"{self.start} to {self.end}"
        days = (self.end - self.start).days + 1
        return said if days >= YEAR_DAYS else f"{said}, {days} days scaled to a year"


def window(ledger: Ledger | None, as_of: date) -> tuple[date, date] | None:
    """The days the year's estimate runs over: the twelve months to ``as_of``, from the first order where it is
    later; None where the orders cover none of them."""
    if ledger is None or ledger.first_day is None or ledger.first_day > as_of:
        return None
    if ledger.last_day is not None and ledger.last_day < as_of - timedelta(days=YEAR_DAYS - 1):
        return None
    return max(as_of - timedelta(days=YEAR_DAYS - 1), ledger.first_day), as_of


def new_exposure(new: Sequence[tuple[Finding, str]], ledger: Ledger | None, book: RuleBook, as_of: date,
                 rates: Rates | RateTable | None = None, home: str | None = None, fx_policy: str = "daily",
                 timed: Context = Context()) -> NewExposure:
    """The year's tax at stake in each place where a candidate creates nexus.

    ``new`` holds the candidate's findings there (the check under the candidate) with why nexus arises, in a few
    words; ``ledger`` is the company's sales with the candidate's role applied (:func:`nexus.provider.apply_roles`).
    """
    currency = timed.report_currency
    if ledger is None:
        places = tuple(Place(f.label, f.name, why, f.currency, None, None, None, None, note=NO_ORDERS)
                       for f, why in new)
        return NewExposure(False, currency, None, None, Decimal(1), places)
    days = window(ledger, as_of)
    if days is None:
        said = (f"not estimated: the orders read ({ledger.first_day} to {ledger.last_day}) hold none of the twelve "
                f"months to {as_of}; supply recent orders")
        places = tuple(Place(f.label, f.name, why, f.currency, None, None, None, None, note=said) for f, why in new)
        return NewExposure(True, currency, None, None, Decimal(1), places)
    start, end = days
    factor = Decimal(YEAR_DAYS) / Decimal((end - start).days + 1)
    found = []
    for f, why in new:
        # The tax on the year's sales is worked out as if no registration collected it; where one does, none of it
        # is at stake (_place says so, with the figure collected).
        held = f.timing.registration if f.timing is not None else None
        bare = replace(f, timing=replace(f.timing, registration=None)) if held is not None else f
        estimated = estimate_over(bare, ledger, book, as_of, start, rates, home, fx_policy, timed)
        if estimated.exposure_note.startswith("estimated member state by member state"):
            continue  # a union's own finding: its members' places carry the figures
        sold = _sales(f, ledger, start, end, rates, home, fx_policy)
        found.append(_place(estimated, why, factor, as_of, sold, held))
    return NewExposure(True, currency, start, end, factor, tuple(found))


def _sales(f: Finding, ledger: Ledger, start: date, end: date, rates: Rates | RateTable | None, home: str | None,
           fx_policy: str) -> Decimal | None:
    """Every sale shipped to the finding's places from ``start`` to ``end``, net of refunds, in its currency (None
    where no exchange rate converts them): what the taxable sales are a part of."""
    code = f.currency or "USD"
    table = Rates([rates]) if isinstance(rates, RateTable) else rates
    convert = Converter(table, code, fx_policy, [Period(start, end, "")])
    rule = f.rule if not f.part_of else None
    total = Decimal(0)
    try:
        for (place, currency, *_rest), days in ledger.series.items():
            if place != f.jurisdiction and not (rule is not None and rule.covers(place, home)):
                continue
            for day, (amount, *_count) in days.items():
                if start <= day <= end:
                    total += convert(amount, currency, day)
    except RateMissing:
        return None
    return total


def _place(f: Finding, why: str, factor: Decimal, as_of: date, sold: Decimal | None,
           registration: Registration | None) -> Place:
    e = f.exposure
    if e is None:
        return Place(f.label, f.name, why, f.currency, sold, None, None, None, note=f.exposure_note or "not estimated")
    # The rates, taxability and marketplace laws the figure rests on; not the penalties and disclosure programmes
    # the check's estimate also reads (a year ahead, nothing is late yet).
    sources = tuple(dict.fromkeys([s for r in e.rates for s in r.sources]
                                  + [s for d in e.data_used if d.kind in FIGURE_DATA for s in d.sources]))
    tax = e.uncollected.scaled(factor)
    reporting = e.reporting.scaled(factor) if e.reporting is not None else None
    note = "" if reporting is not None else f"no exchange rate converts {e.currency} on {as_of}: left out of the total"
    if registration is not None and registration.collecting_from and registration.collecting_from <= as_of:
        note = (f"registered and collecting there from {registration.collecting_from}: the tax on these sales, est. "
                f"{e.currency} {format_amount(tax.central, e.currency)} a year, is collected already, none at stake")
        tax = ZERO
        reporting = ZERO
    return Place(f.label, f.name, why, e.currency, sold, e.taxable_sales, tax, reporting,
                 sum(e.not_estimated.values(), Decimal(0)), note, e.assumptions, sources)
