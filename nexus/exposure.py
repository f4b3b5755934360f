"""Money at stake: the tax not charged while nexus existed, penalties and interest, and the scenarios.

For each finding with nexus (from sales or presence), from the day tax had to be collected
(:mod:`nexus.timing`) to the as-of date, or to the day a registration started collecting, each day's sales
the jurisdiction taxes are multiplied by the rate in force that day:

* the sales: those the jurisdiction taxes in that category (a share of the price where it taxes a share:
  Texas's 80% for SaaS), with exempt sales and sales for resale left out, marketplace sales left out where
  the marketplace collects (in a US state only from its marketplace-facilitator law's date: before it they
  were the seller's), refunds and chargebacks netted on their own day;
* the rate: in the US a range, from the state rate (low) through state plus the average local rate
  (central) to the highest combined rate (high); abroad the standard rate (all three equal);
* penalties and interest on each month's tax, assuming monthly returns due on the 20th of the next month,
  where the jurisdiction's figures are in the data;
* scenarios: ``base`` (everything since tax was due), ``vda`` (limited to a voluntary disclosure's look-back,
  penalties and interest waived where the programme waives them), ``registered_now`` (the tax a month at the
  recent pace that registering today stops from growing).

Every figure is an estimate for a qualified person to review, never a return; what the data does not give is
"not estimated", with the reason. More information: docs/exposure.md.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Callable, Iterable, Sequence

from nexus import penalties
from nexus.tax_rates import TaxBook

SCENARIOS = ("base", "vda", "registered_now")
#: Days of recent sales whose tax, a month's worth, is what registering now stops from growing.
RECENT_DAYS = 90
Convert = Callable[[Decimal, str, date], Decimal]
ABROAD_NOTE = ("Marketplace sales outside the US are left out: the marketplace is assumed to collect (deemed "
               "supplier), as it does in the EU and the UK from 2021.")


@dataclass(frozen=True)
class Range:
    """An estimate as a range: ``low``, ``central`` and ``high``."""

    low: Decimal
    central: Decimal
    high: Decimal

    def __add__(self, other: Range) -> Range:
        return Range(self.low + other.low, self.central + other.central, self.high + other.high)

    def scaled(self, factor: Decimal) -> Range:
        return Range(self.low * factor, self.central * factor, self.high * factor)

    def minus(self, amount: Decimal) -> Range:
        return Range(max(Decimal(0), self.low - amount), max(Decimal(0), self.central - amount),
                     max(Decimal(0), self.high - amount))


ZERO = Range(Decimal(0), Decimal(0), Decimal(0))


@dataclass(frozen=True)
class Month:
    """One calendar month of an exposure: the taxable sales, the tax at each rate, and the effective rates."""

    month: date
    start: date
    end: date
    taxable_sales: Decimal
    tax: Range
    due: date
    penalty: Decimal | None
    interest: Decimal | None

    @property
    def rate(self) -> Range:
        """The effective rates of the month (tax over taxable sales), for the workbook's ``=sales*rate``."""
        if not self.taxable_sales:
            return ZERO
        return Range(self.tax.low / self.taxable_sales, self.tax.central / self.taxable_sales,
                     self.tax.high / self.taxable_sales)


@dataclass(frozen=True)
class Scenario:
    """One scenario's figures: tax (a range), penalty and interest (central; None where not estimated)."""

    name: str
    start: date | None
    end: date | None
    tax: Range
    penalty: Decimal | None
    interest: Decimal | None
    note: str = ""

    @property
    def total(self) -> Decimal:
        """Central tax plus the penalty and interest that could be estimated."""
        return self.tax.central + (self.penalty or Decimal(0)) + (self.interest or Decimal(0))


@dataclass(frozen=True)
class RateUsed:
    """A rate row the estimate used, for the finding's sources."""

    place: str
    category: str | None
    start: date
    end: date | None
    low: Decimal | None
    central: Decimal | None
    high: Decimal | None
    sources: tuple[str, ...]
    source_kind: str


@dataclass(frozen=True)
class Exposure:
    """The estimate for one finding, in its currency (``reporting`` in the reporting currency)."""

    currency: str
    start: date | None
    end: date | None
    taxable_sales: Decimal
    tax: Range
    tax_collected: Decimal | None
    uncollected: Range
    penalty: Decimal | None
    penalty_note: str
    interest: Decimal | None
    interest_note: str
    scenarios: dict[str, Scenario]
    months: tuple[Month, ...]
    rates: tuple[RateUsed, ...]
    assumptions: tuple[str, ...]
    not_estimated: dict[str, Decimal] = field(default_factory=dict)
    sources: tuple[str, ...] = ()
    reporting: Range | None = None
    reporting_currency: str = ""
    reporting_rate: Decimal | None = None
    reporting_rate_date: date | None = None

    @property
    def central(self) -> Decimal:
        return self.uncollected.central

    @property
    def low(self) -> Decimal:
        return self.uncollected.low

    @property
    def high(self) -> Decimal:
        return self.uncollected.high


@dataclass(frozen=True)
class Span:
    """Days of one window of nexus during which tax was due and not collected under a registration."""

    start: date
    end: date


def spans(windows: Iterable[Any], as_of: date, collecting_from: date | None,
          data_from: date | None = None) -> tuple[list[Span], list[str]]:
    """The days tax was due and not yet collected: from each window's ``collect_from`` to its end (or the as-of
    date), stopping the day before a registration started collecting; overlapping windows merged. Days before
    the first order (``data_from``) are not covered by the data: left out, and said."""
    found: list[Span] = []
    notes: list[str] = []
    for w in windows:
        if w.collect_from is None:
            notes.append(f"{w.label}: the presence file gives no start date, so tax from presence is not estimated "
                         f"(give its since date)")
            continue
        end = min(w.until or as_of, as_of)
        if collecting_from is not None:
            end = min(end, collecting_from - timedelta(days=1))
        start = w.collect_from
        if data_from is not None and start < data_from:
            notes.append(f"Tax was due from {start}, but the orders start on {data_from}: {start} to "
                         f"{data_from - timedelta(days=1)} is not covered by the data and not estimated (supply "
                         f"the earlier orders).")
            start = data_from
        if start <= end:
            found.append(Span(start, end))
    found.sort(key=lambda s: s.start)
    merged: list[Span] = []
    for s in found:
        if merged and s.start <= merged[-1].end + timedelta(days=1):
            merged[-1] = Span(merged[-1].start, max(merged[-1].end, s.end))
        else:
            merged.append(s)
    return merged, notes


def estimate(place_of_rate: Callable[[str], str], jurisdiction: str, currency: str, rows: Sequence[Any],
             windows: Sequence[Any], as_of: date, convert: Convert, book: TaxBook,
             collecting_from: date | None = None, collected: dict[date, Decimal] | None = None,
             data_from: date | None = None) -> Exposure:
    """The estimate for one finding.

    ``rows`` are the ledger's series of the places it covers, ``(profile, {day: [amount, transactions, ...]})``;
    ``place_of_rate(place)`` names the place whose rates and taxability apply to a sale there (an HST province
    under Canada's GST/HST rule); ``windows`` are the finding's nexus windows; ``collected`` the tax charged per
    day where the orders carried it.
    """
    periods, assumptions = spans(windows, as_of, collecting_from, data_from)
    if not jurisdiction.startswith("US-") and any(w.basis == "presence" for w in windows):
        assumptions.append("Nexus from presence abroad: tax is estimated on every sale since the presence began; a "
                           "domestic registration threshold, where the country has one, is not applied.")
    aside: dict[str, Decimal] = {}
    not_estimated: dict[str, Decimal] = {}
    by_month: dict[date, list] = {}
    used: dict[tuple[Any, ...], RateUsed] = {}
    # The tax of the recent days, low, central and high, summed apart (as three Range additions would).
    recent_low = recent_central = recent_high = Decimal(0)
    recent_from = as_of - timedelta(days=RECENT_DAYS - 1)
    marketplace_notes: set[str] = set()
    # This loop runs once per daily total (half a million for ten million orders): what depends only on the
    # day (inside a span or not, its month) or on the place, category and day (the rate and the share taxed)
    # is worked out once and looked up after; the arithmetic, and its order, are the same as day by day.
    state_of: dict[date, int] = {}
    month_of: dict[date, list] = {}
    terms_of: dict[tuple[str, str], dict[date, tuple[Any, ...]]] = {}
    finders: dict[tuple[str, str], _Terms] = {}
    used_ids: set[int] = set()
    zero = Decimal(0)
    for (place, code, channel, kind, exempt, category), series in rows:
        where = place_of_rate(place)
        law = book.marketplace_law(where)
        # What depends on the profile alone: sales set aside whatever the day (exempt, for resale, marketplace
        # abroad), and the marketplace-facilitator law's date for marketplace sales in a US state.
        aside_why = ("resale" if exempt == "resale" else "exempt") if exempt != "no" else None
        marketplace = channel == "marketplace"
        abroad = aside_why is None and marketplace and not where.startswith("US-")
        if abroad:
            aside_why = "marketplace"
        law_from = law.effective_from if marketplace and law is not None else None
        terms = terms_of.get((where, category))
        if terms is None:
            terms = terms_of[(where, category)] = {}
            finders[(where, category)] = _Terms(book, where, category)
        finder = finders[(where, category)]
        same = getattr(convert, "to_code", None) == code  # a converter gives amounts in its own currency back
        for day, total in series.items():
            state = state_of.get(day)
            if state is None:
                state = state_of[day] = _state(day, periods, recent_from, as_of)
            if not state:
                continue
            inside = state & INSIDE
            value = total[0] if same else convert(total[0], code, day)
            if aside_why is not None:
                if inside:
                    aside[aside_why] = aside.get(aside_why, zero) + value
                if abroad:
                    marketplace_notes.add(ABROAD_NOTE)
                continue
            if law_from is not None:
                if law_from <= day:
                    if inside:
                        aside["marketplace"] = aside.get("marketplace", zero) + value
                    continue
                if inside:
                    marketplace_notes.add(f"Marketplace sales before {where}'s marketplace-facilitator law "
                                          f"({law_from}) are counted: they were the seller's to collect.")
            term = terms.get(day)
            if term is None:
                term = terms[day] = finder(day)
            share, rate, low, central, high = term
            if low is None:  # no share or no rate known (see _terms)
                if inside:
                    why = (f"{category}: taxability unknown" if share is None else f"{category}: no rate for {day}")
                    not_estimated[why] = not_estimated.get(why, zero) + value
                continue
            if share == 0:
                if inside:
                    why = f"not taxable ({category})"
                    aside[why] = aside.get(why, zero) + value
                continue
            taxable = value * share
            tax_low, tax_central, tax_high = taxable * low, taxable * central, taxable * high
            if state & RECENT:
                recent_low += tax_low
                recent_central += tax_central
                recent_high += tax_high
            if not inside:
                continue
            month = month_of.get(day)
            if month is None:
                first = day.replace(day=1)
                month = by_month.get(first)
                if month is None:
                    month = by_month[first] = [zero, zero, zero, zero, day, day]
                month_of[day] = month
            month[0] += taxable
            month[1] += tax_low
            month[2] += tax_central
            month[3] += tax_high
            if day < month[4]:
                month[4] = day
            elif day > month[5]:
                month[5] = day
            if id(rate) not in used_ids:
                used_ids.add(id(rate))
                key = (rate.jurisdiction, rate.category, rate.effective_from)
                if key not in used:
                    used[key] = RateUsed(rate.jurisdiction, rate.category, rate.effective_from, rate.effective_to,
                                         rate.low, rate.central, rate.high, rate.sources, rate.source_kind)
    recent = Range(recent_low, recent_central, recent_high)
    lateness = penalties.lateness(jurisdiction, as_of)
    months = []
    for first in sorted(by_month):
        taxable, low, central, high, start, end = by_month[first]
        tax = Range(low, central, high)
        due = penalties.due_date(first)
        late = (as_of - due).days
        pen = penalties.penalty(lateness, tax.central, late) if lateness is not None else None
        rest = penalties.interest(lateness, tax.central, due, as_of) if lateness is not None else None
        months.append(Month(first, start, end, taxable, tax, due, pen, rest))
    tax = sum((m.tax for m in months), ZERO)
    taxable_sales = sum((m.taxable_sales for m in months), Decimal(0))
    charged = (sum((v for d, v in collected.items() if any(p.start <= d <= p.end for p in periods)), Decimal(0))
               if collected is not None else None)
    uncollected = tax.minus(charged) if charged is not None else tax
    penalty, penalty_note = _sum_or_none([m.penalty for m in months], lateness,
                                         f"the data has no penalty figures for {jurisdiction}")
    interest, interest_note = _sum_or_none([m.interest for m in months], lateness,
                                           f"interest rates for {jurisdiction} are not in the data for every month "
                                           f"concerned")
    scenarios = {"base": Scenario("base", periods[0].start if periods else None, periods[-1].end if periods else None,
                                  uncollected, penalty, interest)}
    scenarios["vda"] = _vda(jurisdiction, months, as_of, uncollected, tax)
    scenarios["registered_now"] = Scenario("registered_now", as_of, None, recent.scaled(Decimal(30) / RECENT_DAYS),
                                           None, None, f"tax a month at the pace of the {RECENT_DAYS} days to "
                                                       f"{as_of}, which registering now stops from growing")
    if charged is None:
        assumptions.append("No tax charged is in the orders: the estimate assumes none was collected.")
    assumptions += sorted(marketplace_notes)
    sources = tuple(dict.fromkeys(s for r in used.values() for s in r.sources))
    return Exposure(currency, scenarios["base"].start, scenarios["base"].end, taxable_sales, tax, charged,
                    uncollected, penalty, penalty_note, interest, interest_note, scenarios, tuple(months),
                    tuple(used.values()), tuple(assumptions), not_estimated,
                    sources + (lateness.sources if lateness else ()))


#: What a day is to an estimate (:func:`_state`): inside a span of nexus, among the recent days, or both.
INSIDE, RECENT = 1, 2


def _state(day: date, periods: Sequence[Span], recent_from: date, as_of: date) -> int:
    """Whether ``day`` is inside one of ``periods`` (:data:`INSIDE`) and among the recent days up to the as-of
    date (:data:`RECENT`); 0: the estimate does not read it."""
    if day > as_of:
        return 0
    return (INSIDE if any(p.start <= day <= p.end for p in periods) else 0) | (RECENT if day >= recent_from else 0)


def _terms(book: TaxBook, where: str, category: str, day: date) -> tuple[Any, ...]:
    """The share of the price taxed and the rate row for ``category`` in ``where`` on ``day``, with the rate's
    low, central and high figures, low to high whatever the table's order: New Jersey's average local rate is
    negative (its urban enterprise zones charge half the state rate), so there the state rate is the highest."""
    taxability = book.taxable(where, category, day)
    share = taxability.fraction if taxability is not None else None
    rate = book.rate(where, category, day)
    if share is None or rate is None or rate.low is None:
        return share, rate, None, None, None
    low, central, high = sorted((rate.low, rate.central or rate.low, rate.high or rate.low))
    return share, rate, low, central, high


class _Terms:
    """:func:`_terms` of one place and category by day, worked out once for each stretch of days in which no
    rate or taxability row of the place starts or ends (:meth:`TaxBook.changes`): inside one, the answer
    cannot change."""

    def __init__(self, book: TaxBook, where: str, category: str):
        self.book, self.where, self.category = book, where, category
        self.changes = book.changes(where)
        self.found: dict[int, tuple[Any, ...]] = {}

    def __call__(self, day: date) -> tuple[Any, ...]:
        stretch = bisect_right(self.changes, day)
        found = self.found.get(stretch)
        if found is None:
            found = self.found[stretch] = _terms(self.book, self.where, self.category, day)
        return found


def _add(aside: dict[str, Decimal], why: str, value: Decimal, inside: bool) -> None:
    if inside:
        aside[why] = aside.get(why, Decimal(0)) + value


def _sum_or_none(values: list[Decimal | None], row: Any, why: str) -> tuple[Decimal | None, str]:
    """The sum of the months' figures, or None with the reason when any month's could not be estimated."""
    if not values:
        return Decimal(0), ""
    if row is None or any(v is None for v in values):
        return None, f"not estimated: {why}"
    return sum(values, Decimal(0)), ""  # type: ignore[arg-type]


def _vda(jurisdiction: str, months: Sequence[Month], as_of: date, uncollected: Range, tax: Range) -> Scenario:
    """Tax limited to the programme's look-back; penalties and interest waived where it waives them."""
    programme = penalties.disclosure(jurisdiction, as_of)
    if programme is None or programme.programme in ("none", "unknown"):
        why = "no voluntary disclosure programme" if programme and programme.programme == "none" else \
            "nexus has no voluntary disclosure terms for this jurisdiction"
        return Scenario("vda", None, None, uncollected, None, None, f"not estimated: {why}")
    if programme.lookback_months is None:
        kept = list(months)
        note = "the programme's look-back is not known: every month is kept"
    else:
        index = as_of.year * 12 + as_of.month - 1 - programme.lookback_months
        since = date(index // 12, index % 12 + 1, 1)
        kept = [m for m in months if m.month >= since]
        note = f"look-back of {programme.lookback_months} months: months from {since}"
    share = (sum((m.tax.central for m in kept), Decimal(0)) / tax.central) if tax.central else Decimal(0)
    penalty = (Decimal(0) if programme.penalties_waived == "yes"
               else _known(m.penalty for m in kept))
    interest = Decimal(0) if programme.interest_waived == "yes" else _known(m.interest for m in kept)
    waived = [w for w, v in (("penalties", programme.penalties_waived), ("interest", programme.interest_waived))
              if v == "yes"]
    if waived:
        note += f"; {' and '.join(waived)} waived"
    return Scenario("vda", kept[0].start if kept else None, kept[-1].end if kept else None,
                    uncollected.scaled(share) if tax.central else ZERO, penalty, interest, note)


def _known(values: Iterable[Decimal | None]) -> Decimal | None:
    items = list(values)
    if any(v is None for v in items):
        return None
    return sum(items, Decimal(0))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Total:
    """Every estimate in one reporting currency, converted at the as-of date's rate."""

    currency: str
    tax: Range
    penalty: Decimal
    interest: Decimal
    vda: Decimal
    registered_now: Decimal
    not_estimated: tuple[str, ...]
    rates: tuple[tuple[str, Decimal, date], ...]
