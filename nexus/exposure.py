"""Money at stake: the tax not charged while nexus existed, penalties and interest, and the scenarios.

For each finding with nexus (from sales or presence), from the day tax had to be collected
(:mod:`nexus.timing`) to the as-of date, or to the day a registration started collecting, each day's sales
the jurisdiction taxes are multiplied by the rate in force that day:

* the sales: those the jurisdiction taxes in that category (a share of the price where it taxes a share:
  Texas's 80% for SaaS), with exempt sales and sales for resale left out, marketplace sales left out where
  the marketplace collects (in a US state only from its marketplace-facilitator law's date: before it they
  were the seller's), refunds and chargebacks netted on their own day, but for one linked by order id to a
  sale made before tax was due (no credit: left out);
* the rate: in the US a range, from the state rate (low) through state plus the average local rate
  (central) to the highest combined rate (high); abroad the standard rate (all three equal);
* penalties and interest on each month's tax, assuming monthly returns, each due on the place's own monthly due
  date where the data give it (New Mexico's 25th), else on the 20th of the next month, assumed and said, where the
  jurisdiction's figures are in the data; where the place's registration row gives quarterly or annual
  returns (its ``filing``), on each return's tax instead, from that return's due date in the data (none assumed:
  where the data hold none, penalties and interest are not estimated, and the estimate says why);
* scenarios: ``base`` (everything since tax was due), ``vda`` (limited to a voluntary disclosure's look-back,
  penalties and interest waived where the programme waives them), ``registered_now`` (the tax a month at the
  recent pace that registering today stops from growing).

This module makes the estimate (:func:`estimate`). Its records are :mod:`nexus.exposure_records`; the returns it is
worked by and their due dates :mod:`nexus.returns`; the days it counts, and those the orders read do not cover,
:mod:`nexus.days_due`; the voluntary-disclosure scenario :mod:`nexus.voluntary_disclosure`.

Every figure is an estimate for a qualified person to review, never a return; what the data does not give is
"not estimated", with the reason. More information: docs/exposure.md.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from itertools import repeat
from operator import itemgetter
from typing import Any, Callable, Iterable, Mapping, NamedTuple, Sequence

from nexus import penalties
from nexus.categories import listed
from nexus.days_due import after_orders, before_orders, in_scope, spans
from nexus.exposure_records import (RECENT_DAYS, RETURN_MONTHS, ZERO, DataUsed, Exposure, Filing, Month, Range,
                                    RateUsed, Scenario, Span)
from nexus.limitation import return_due
from nexus.money import format_amount
from nexus.periods import next_month
from nexus.returns import by_return, dues_used, due_of, filing_words, returns_before, why_undated
from nexus.tax_rates import Dated, TaxBook
from nexus.voluntary_disclosure import programme_words, vda_scenario

SCENARIOS = ("base", "vda", "registered_now")
#: What an estimate says when a bundled rate it used was not confirmed by a primary text (its ``confidence`` in
#: data/tax-rates.json is not ``official``: a think tank's table, a vendor's page, an open dataset). The same words
#: for every jurisdiction, so that the workbook lists it once with the places it applies to.
UNVERIFIED_RATE = ("Tax rate not verified from a primary source (revenue department or statute) for some or all of "
                   "the period: it rests on secondary sources only (each rate's confidence is in the JSON output and "
                   "data/tax-rates.json); confirm it before relying on the estimate.")
#: How an estimate reads the tax the orders charged, where they carry it (docs/exposure.md, "Tax already charged"):
#: the same words for every jurisdiction, so that the workbook lists it once with the places it applies to.
CHARGED_BY_MONTH = ("Tax charged in the orders is set against its own month's tax only (returns assumed monthly), "
                    "taking it no lower than zero: tax charged above a month's estimate is owed as collected, said "
                    "apart, and pays no other month's tax. The tax charged is taken as paid over with its month's "
                    "return; the orders do not show whether it was.")
#: The same where a registration row gives quarterly or annual returns: the period's tax charged is set against its
#: whole tax (``{period}``: quarter, year).
CHARGED_BY_PERIOD = ("Tax charged in the orders is set against its own {period}'s tax only (the registration's "
                     "{frequency} returns), taking it no lower than zero: tax charged above a {period}'s estimate is "
                     "owed as collected, said apart, and pays no other {period}'s tax. The tax charged is taken as "
                     "paid over with its {period}'s return; the orders do not show whether it was.")
Convert = Callable[[Decimal, str, date], Decimal]
#: For a category, the days (first and last, version by version of the rule) on which a marketplace sale of it abroad
#: is the seller's own supply: empty where the marketplace is the deemed supplier on every day.
OwnMarketplace = Callable[[str], Sequence[tuple[date, date]]]
#: What an estimate says when marketplace sales abroad are left out on some day: where no rule of the place says
#: whose supplies they are, an assumption; where its rule does (South Korea's makes an open market liable for what
#: it sells), that rule (one sentence for every such place, so that the workbook's Assumptions list it once).
MARKETPLACE_COLLECTS = ("Marketplace sales outside the US are left out: the marketplace is assumed to collect (deemed "
                        "supplier), as it does in the EU and the UK from 2021.")
MARKETPLACE_BY_RULE = ("Marketplace sales are left out where this place's rule makes them the marketplace's supplies, "
                       "not the seller's: the marketplace collects the tax on them.")
#: What an estimate says where the refunds in its period exceed its sales (a window that opens after the sales it
#: refunds, a month of chargebacks): its tax at stake is nothing, not a negative figure. A seller that never charged
#: or paid the tax has nothing to claim back by refunding untaxed sales, and one place's refunds lower no other's tax.
REFUNDS_EXCEED = ("refunds in the period exceed its sales: no tax at stake; the refunds of sales made before the "
                  "period are not a credit")
#: The same, among an estimate's assumptions (the workbook's Assumptions sheet, the past windows' reasons).
REFUNDS_EXCEED_ASSUMED = ("Refunds in the period exceed its sales: no tax at stake, the estimate taken as zero, not "
                          "negative (the months keep their own figures); the refunds of sales made before the period "
                          "are not a credit, and one place's refunds lower no other place's tax.")
#: What an estimate that netted refunds not linked to their sale assumes (one sentence for every place, so that the
#: workbook's Assumptions sheet lists it once): such a refund is netted on its own day, whatever the day of its sale.
#: Each place's figure is its ``refunds_tax`` (:func:`refunds_words`).
REFUNDS_NETTED = ("Refunds and chargebacks not linked to their sale are netted on their own day: without the sale's "
                  "order id among the orders read (or an export naming no sale), nothing says the sale's day, so a "
                  "refund in the period of a sale made before tax was due (no tax was due on that sale, so its "
                  "refund is no credit) lowers the estimate all the same. The estimate may be understated by up to "
                  "the tax those refunds took off (each place's figure: the Findings sheet's Estimate note, the "
                  "JSON's refunds_tax): check them against their orders' dates.")
#: What an estimate that left out a refund linked to a sale made before tax was due assumes (one sentence for every
#: place): nexus's own layout links a refund row to the sale row of the same order id, a platform's export a refund to
#: the sale it names (nexus.exports.links_refunds).
REFUNDS_LINKED = ("Refunds and chargebacks linked by order id to a sale made on a day no tax was due on (before tax "
                  "had to be collected, or between windows) are left out: that sale was not taxed, so its refund is "
                  "no credit. Refunds linked to a sale in the period are netted on their own day.")
#: The start rules under which the duty begins with the sale after the one that met the test (data/registration-
#: timing.json's ``kinds``): nexus counts from the crossing day, sales of the whole day included, since daily totals
#: cannot tell the sale that met the test from the later ones that day.
NEXT_SALE = ("next_transaction", "next_transaction_not_before")
#: What such an estimate assumes (one sentence for every place, so that the workbook's Assumptions sheet lists it once
#: with the places); each place's figure is in its estimate note (:func:`crossing_day_words`).
CROSSING_DAY = ("Where tax is due from the sale after the one that crossed the threshold ('next transaction'), the "
                "low end of the range leaves out the whole crossing day's sales and the central and high figures "
                "include them: the orders of one day are not told apart (each place's figure: the Findings sheet's "
                "Estimate note, the JSON's crossing_day).")


_ONE_DAY = timedelta(days=1)
#: A daily total's amount (``[amount, transactions, ...]``).
_amount = itemgetter(0)


def _summed(totals: list[list[Any]], i: int, j: int) -> Decimal:
    """The amounts of the daily totals ``i`` to ``j`` (excluded) added up in order, the first as it is: a day alone is
    its own amount, as exact as the day-by-day sums were. Only the days summed are read."""
    return totals[i][0] if j == i + 1 else sum(map(_amount, totals[i + 1:j]), totals[i][0])


def _within(days: list[date], totals: list[list[Any]], i: int, j: int, due: Sequence[Any]) -> Decimal | None:
    """The amounts of days ``i`` to ``j`` (excluded, in order) that fall within a span of ``due`` (sorted by their
    first day), each day once; None where none does."""
    found, done = None, i
    for span in due:
        a, b = max(bisect_left(days, span.start, i, j), done), bisect_right(days, span.end, i, j)
        if a < b:
            found = _summed(totals, a, b) if found is None else found + _summed(totals, a, b)
            done = b
    return found


def _ascending(days: list[date]) -> bool:
    """Whether a series' days come in order (the ledger adds them so; a merge may append earlier ones): sorting
    days in order compares each once."""
    return sorted(days) == days


def _months_from(first: date, last: date) -> set[date]:
    """The first day of each month from ``first``'s to ``last``'s."""
    found, month = set(), first.replace(day=1)
    while month <= last:
        found.add(month)
        month = next_month(month)
    return found


def _cuts(base: set[date], due: Sequence[Any], own: Sequence[tuple[date, date]] | None, law: Any,
          as_of: date) -> list[date]:
    """The days on which a stretch of one series' days summed together ends, sorted (:func:`estimate`): ``base`` and
    the first day of each span of tax due and the day after it, of each stretch of marketplace days that are the
    seller's own and the day after it, and the first day of the marketplace law; the last is the day after the as-of
    date, so that every day looked at has a cut after it."""
    found = set(base)
    for start, end in [(s.start, s.end) for s in due] + list(own or ()):
        found.add(start)
        if end <= as_of:
            found.add(end + _ONE_DAY)
    if law is not None:
        found.add(law.effective_from)
    return sorted(found)


class _Split(NamedTuple):
    """A day's refunds linked to their sale, ``[amount, tax charged]`` each (negative): those of sales made on a
    day the estimate does not tax (``left_out``), and those of sales it taxes (``netted``)."""

    left_out: list
    netted: list


def _linked_split(by_sale: Mapping[date, list] | None, taxed: Sequence[Span]) -> _Split | None:
    """Split a day's linked refunds (``{sale day: [amount, tax]}``) by whether their sale's day is in ``taxed``: a
    refund of a sale no tax was due on (before tax had to be collected, between windows) is no credit."""
    if not by_sale:
        return None
    left, netted = [Decimal(0), Decimal(0)], [Decimal(0), Decimal(0)]
    for sale_day, (amount, tax) in by_sale.items():
        into = netted if any(p.start <= sale_day <= p.end for p in taxed) else left
        into[0] += amount
        into[1] += tax
    return _Split(left, netted)


def _add_facilitated(facilitated: dict[str, list[Any]], where: str, law_from: date, amount: Decimal) -> None:
    """Add a day's marketplace sales the facilitator collects on to its place's sum (see :func:`estimate`)."""
    found = facilitated.setdefault(where, [Decimal(0), law_from])
    found[0] += amount


def estimate(place_of_rate: Callable[[str], str], jurisdiction: str, currency: str, rows: Sequence[Any],
             windows: Sequence[Any], as_of: date, convert: Convert, book: TaxBook,
             collecting_from: date | None = None, collected: dict[Any, dict[date, Decimal]] | None = None,
             data_from: date | None = None, own_marketplace: OwnMarketplace | None = None,
             data_to: date | None = None,
             scope: Sequence[tuple[date, date, frozenset[str]]] | None = None,
             left_to_marketplace: str = MARKETPLACE_COLLECTS, established: bool = False,
             collecting: Sequence[tuple[date, date | None]] = (),
             linked: Mapping[Any, Mapping[date, Mapping[date, list]]] | None = None,
             filing: Filing = Filing()) -> Exposure:
    """The estimate for one finding (``established``: the seller's home).

    ``rows`` are the ledger's series of the places it covers, ``(profile, {day: [amount, transactions, ...]})``;
    ``place_of_rate(place)`` names the place whose rates and taxability apply to a sale there (an HST province
    under Canada's GST/HST rule); ``convert(amount, code, day)`` gives an amount in ``currency`` (amounts already
    in it are not passed); ``windows`` are the finding's nexus windows; ``collected`` the tax the orders charged,
    per row's profile and day, where they carried it: only the tax charged on a sale the estimate taxes is set
    against it (not on a day or category out of the rule's scope, a category not taxable or not estimated, nor a
    marketplace sale the marketplace collects on), since tax charged on other sales pays none of this tax.
    ``own_marketplace(category)`` gives the days on which a marketplace sale of that category outside the US is the
    seller's own supply, its tax the seller's, by the version of the rule in force each day (a seller established at
    home, a distance sale before the EU's and the UK's deemed-supplier rules of 2021); on other days, and by default,
    the marketplace is taken to collect, as ``left_to_marketplace`` says in the assumptions. ``collecting`` are the days
    permits held collected on, closed ones included (:func:`nexus.days_due.spans`). ``linked`` holds the refunds the
    orders link to their sale (the ledger's ``refund_links``): one whose sale was made on a day not taxed here
    (before tax was due) is left out, being no credit; the others are netted on their own day. ``scope`` gives,
    version by version of the rule, its days and the categories its regime taxes (the EU's threshold for e-services
    reached no goods before 2021-07-01): a sale is taxed only on a day its category is in scope; None taxes every
    category the rows hold on every day of the windows. ``data_to`` is the last order read: days before a permit
    collected that lie after it are said, not estimated (:func:`nexus.days_due.after_orders`). ``filing`` is the
    returns the figures are worked by (:func:`nexus.returns.filing_of`): each return's tax, tax charged, due date,
    penalty and interest.
    """
    periods, assumptions = spans(windows, as_of, collecting_from, data_from, collecting)
    unread = after_orders(periods, data_to, collecting_from, collecting)
    assumptions += [a.words() for a in unread]
    if not jurisdiction.startswith("US-") and any(w.basis == "presence" for w in windows):
        assumptions.append("Nexus from presence abroad: tax is estimated on every sale since the presence began; a "
                           "domestic registration threshold, where the country has one, is not applied.")
    not_estimated: dict[str, Decimal] = {}
    by_month: dict[date, list[Any]] = {}
    used: dict[tuple[Any, ...], RateUsed] = {}
    others: dict[tuple[Any, ...], DataUsed] = {}
    recent: dict[tuple[Decimal, Decimal, Decimal], Decimal] = {}
    recent_from = as_of - timedelta(days=RECENT_DAYS - 1)
    marketplace_notes: set[str] = set()
    own_categories: dict[str, list[str]] = {}  # the categories whose marketplace sales are the seller's, by their days
    # What a taxability row used says the estimate cannot tell apart (Japan's reduced rate for food), said once.
    caveats: set[str] = set()
    # What applies to a place and category stays the same between the days a rate or taxability row starts or
    # ends: looked up once per stretch (a segment), not once per day.
    segments: dict[tuple[str, str], _Segment] = {}
    known: dict[tuple[str, str, date], _Segment] = {}  # every segment looked up, for the other series of its place
    # A day counts if it is inside a span (the estimate) or in the recent days (the run-rate); the rest are
    # passed over at the cost of one comparison.
    earliest = min([p.start for p in periods] + [recent_from])
    firsts: dict[date, date] = {}  # each day's month, computed once per day
    by_category: dict[str, list[Span]] = {}  # each category's days of tax due, within the rule's scope
    charged_here = Decimal(0)  # the tax the orders charged on the sales taxed here
    # Marketplace sales in the days estimated that a US state's facilitator law leaves to the marketplace, by place:
    # the sum and the law's first day, said where they leave nothing taxed ('USD 0.00' beside USD 600,000 of sales).
    facilitated: dict[str, list[Any]] = {}

    refunds_left_out = False  # a refund linked to a sale made on a day not taxed here was left out
    crossing = crossing_days(windows)  # days whose sales the low end leaves out: the sale that met the test among them
    # The days on which every series' stretches of days summed together end (the day before each): each month's first
    # day, the recent days' first, each crossing day and the day after it, and the day after the as-of date; each
    # place, category and channel adds its spans, its marketplace days and its law's first day (:func:`_cuts`).
    base_cuts = _months_from(earliest, as_of) | {recent_from, as_of + _ONE_DAY} | crossing | {
        d + _ONE_DAY for d in crossing if d <= as_of}
    stretch_ends: dict[tuple[str, str, str], list[date]] = {}
    for key, series in rows:
        place, code, channel, kind, exempt, category = key
        if exempt != "no":  # exempt sales and sales for resale are not taxed
            continue
        refunds = kind == "refund"  # summed apart as well: the most they may understate the estimate by
        links = linked.get(key) if refunds and linked else None
        mine = by_category.get(category)
        if mine is None:
            mine = by_category[category] = in_scope(periods, scope, category)
        # One span is the usual case: its bounds compared inline; several are searched.
        first_start = mine[0].start if mine else as_of + timedelta(days=1)
        last_end = mine[-1].end if mine else as_of
        several = len(mine) > 1
        where = place_of_rate(place)
        # A marketplace sale abroad is the seller's own only on the days the rule's version then in force says so.
        own: Sequence[tuple[date, date]] | None = None
        if channel == "marketplace" and not where.startswith("US-"):
            own = own_marketplace(category) if own_marketplace is not None else ()
            when = _own_days(own, mine) if own else None
            if when is not None:
                said = own_categories.setdefault(when, [])
                if category not in said:
                    said.append(category)
            elif own:
                marketplace_notes.add(left_to_marketplace)
            else:
                if any(earliest <= day <= as_of for day in series):
                    marketplace_notes.add(left_to_marketplace)
                continue
        # The tax the orders charged on this row's sales: set against the estimate on the days it taxes them. A
        # marketplace sale in a US state is the facilitator's to charge (or, before its law, the seller's uncharged).
        charges = collected.get((place, code, channel, kind, exempt, category)) if collected is not None else None
        if channel == "marketplace" and own is None:
            charges = None
        law = book.marketplace_law(where) if channel == "marketplace" else None
        same = code == currency
        month_from = month_to = date.max  # no month yet: the first day inside looks its month up
        # the month's [taxable, sums by rates, first day, last day, tax charged, refunds' sums by rates and charge]
        month: list = []
        segment = segments.get((where, category))
        # The segment's bounds and figures, held in locals: this loop runs once per stretch of days (a day at a time
        # where days are not summed together), and attribute and Decimal comparisons add up.
        if segment is not None:
            seg_start, seg_end, share, rates = segment.start, segment.end, segment.share, segment.rates
            untaxed, whole = share == 0, share == 1
        days = list(series)
        totals = list(series.values())
        # Days are summed a stretch at a time, a stretch ending where anything the loop looks at may change (a month,
        # a span, a segment, the recent days, a crossing day, a law's or a version's first day): the same sums as a
        # day at a time, exact, at a cost per stretch and not per daily total. A day at a time where each day's
        # amount is converted (its rounding as before), its refunds are linked to their sales, or its days are not
        # in order.
        by_stretch = same and links is None and _ascending(days)
        cuts: list[date] = []
        if by_stretch:
            cuts_key = (where, category, channel)
            found_cuts = stretch_ends.get(cuts_key)
            if found_cuts is None:
                found_cuts = stretch_ends[cuts_key] = _cuts(base_cuts, mine, own, law, as_of)
            cuts = found_cuts
            i, end_at = bisect_left(days, earliest), bisect_right(days, as_of)
        else:
            i, end_at = 0, len(days)
        while i < end_at:
            day = days[i]
            if by_stretch:
                j = bisect_right(days, cuts[bisect_right(cuts, day)] - _ONE_DAY, i, end_at)
            else:
                j = i + 1
                if not earliest <= day <= as_of:
                    i = j
                    continue
            inside = first_start <= day <= last_end and (
                not several or any(p.start <= day <= p.end for p in mine))
            if own is not None and not any(a <= day <= b for a, b in own):
                # The version then in force makes the marketplace the deemed supplier: said by _own_words ("on other
                # days the marketplace is assumed to collect"), not by the EU's and the UK's general sentence.
                i = j
                continue
            if law is not None:
                if law.effective_from <= day:  # the marketplace collects, on this day and every later one
                    if by_stretch and own is None:  # the rest of the series' days within a span, summed at once
                        amount, j = _within(days, totals, i, end_at, mine), end_at
                    else:
                        amount = (totals[i][0] if same else convert(totals[i][0], code, day)) if inside else None
                    if amount is not None:
                        if ("law", where) not in others:
                            others[("law", where)] = _law_used(where, law)
                        _add_facilitated(facilitated, where, law.effective_from, amount)
                    i = j
                    continue
                if inside:
                    marketplace_notes.add(f"Marketplace sales before {where}'s marketplace-facilitator law "
                                          f"({law.effective_from}) are counted: they were the seller's to collect.")
            if segment is None or not seg_start <= day <= seg_end:
                segment = segments[(where, category)] = _segment_on(known, book, where, category, day)
                seg_start, seg_end, share, rates = segment.start, segment.end, segment.share, segment.rates
                untaxed, whole = share == 0, share == 1
            if by_stretch and days[j - 1] > seg_end:  # a rate or taxability row starts or ends within the stretch
                j = bisect_right(days, seg_end, i, j)
            last = days[j - 1]
            amount = _summed(totals, i, j)
            split = _linked_split(links.get(day), mine) if links is not None and inside else None
            if split is not None:  # the refunds of sales not taxed here left out; those of sales taxed here apart
                amount -= split.left_out[0]
                refunds_left_out = refunds_left_out or bool(split.left_out[0])
            value = amount if same else convert(amount, code, day)
            if inside and not segment.noted:
                segment.noted = True
                _note(segment, where, category, used, others)
                if segment.taxability is not None and segment.taxability.caveat:
                    caveats.add(segment.taxability.caveat)
            if rates is None or share is None:
                if inside:
                    why = ("no category (products file, tax code or platform signal): taxability unknown"
                           if category == "unknown" else f"{category}: taxability unknown" if share is None
                           else f"{category}: no rate")
                    not_estimated[why] = not_estimated.get(why, Decimal(0)) + value
                i = j
                continue
            if untaxed:  # not taxable in this category
                i = j
                continue
            taxable = value if whole else value * share
            unlinked = taxable  # the refunds netted without a link to their sale: what may understate the estimate
            if split is not None and split.netted[0]:
                rest = amount - split.netted[0] if same else convert(amount - split.netted[0], code, day)
                unlinked = rest if whole else rest * share
            # Taxable sales summed per rate; each sum times its rate once the days are counted.
            if day >= recent_from:
                recent[rates] = recent.get(rates, Decimal(0)) + taxable
            if not inside:
                i = j
                continue
            if not month_from <= day < month_to:  # a series' days come in order: its month changes now and then
                first = firsts.get(day)
                if first is None:
                    first = firsts[day] = day.replace(day=1)
                month = by_month.setdefault(first, [Decimal(0), {}, day, day, Decimal(0), {}, Decimal(0), {}])
                month_from, month_to = first, next_month(first)
            if charges:
                charge = charges.get(day, 0) if j == i + 1 else sum(map(charges.get, days[i:j], repeat(0, j - i)))
                if split is not None:
                    charge -= split.left_out[1] if same else convert(split.left_out[1], code, day)
                charged_here += charge
                month[4] += charge
                if refunds:
                    kept = split.netted[1] if split is not None else 0  # the tax refunded on sales taxed here
                    month[6] += charge - (kept if same or not kept else convert(kept, code, day))
            month[0] += taxable
            month[1][rates] = month[1].get(rates, Decimal(0)) + taxable
            if day in crossing:
                month[7][rates] = month[7].get(rates, Decimal(0)) + taxable
            if refunds:
                month[5][rates] = month[5].get(rates, Decimal(0)) + unlinked
            if day < month[2]:
                month[2] = day
            if last > month[3]:
                month[3] = last
            i = j
    lateness = penalties.lateness(jurisdiction, as_of)
    # A quarter's or a year's return holds the tax of its months: their sums added up, the tax charged in any of them
    # set against the whole return's tax.
    by_month = by_return(by_month, filing.frequency)
    held_due = return_due(jurisdiction, filing.frequency) if filing.frequency != "monthly" else None
    # Each month's return is judged by the penalties in force for its period (the UK's rose for VAT periods from
    # April 2025). A month no row is in force for is not estimated, and said: never charged at another period's rate.
    by_period = {first: penalties.lateness(jurisdiction, first) for first in sorted(by_month)}  # in order
    listed = any(r.jurisdiction == jurisdiction for r in penalties.lateness_rows())  # else: no figures at all
    unrowed = _months_without_row(jurisdiction, [first for first, row in by_period.items() if row is None and listed])
    # The rows by identity: hashing a row hashes every penalty and interest period in it, once per month.
    for version in {id(r): r for r in by_period.values() if r is not None}.values():
        others[("lateness", jurisdiction, version.effective_from)] = DataUsed(
            "penalties and interest", jurisdiction, _lateness_words(version), version.sources)
    programme = penalties.disclosure(jurisdiction, as_of)
    if programme is not None and by_month:
        others[("vda", jurisdiction)] = DataUsed("voluntary disclosure", jurisdiction, programme_words(programme),
                                                 programme.sources)
    months = []
    unrefunded = ZERO  # the months' uncollected tax with the refunds left out: what they may have taken off wrongly
    refunds_netted = Decimal(0)
    crossing_sales, crossing_tax = Decimal(0), ZERO
    for first in sorted(by_month):
        taxable, sums, start, end, charged_month, refund_sums, refund_charged, crossing_sums = by_month[first]
        left_out = _taxed(crossing_sums)
        crossing_sales += sum(crossing_sums.values(), Decimal(0))
        crossing_tax += left_out
        tax = _taxed(sums).without_low(left_out.low)
        due = due_of(first, filing.frequency, held_due, jurisdiction)
        earlier = returns_before(periods[0].start, first, RETURN_MONTHS[filing.frequency])
        row = by_period[first] if due is not None else None  # no due date: no lateness to charge
        # Penalties and interest fall on the month's tax left unpaid: the tax the orders charged on its sales is not
        # in the estimate's uncollected tax, and is not charged twice over as late.
        charged_in = charged_month if collected is not None else None
        figures = Month(first, start, end, taxable, tax, due, None, None, charged_in, filing.frequency)
        owed = figures.uncollected.central
        pen = penalties.penalty(row, owed, (as_of - due).days, earlier) if row is not None and due else None
        rest = penalties.interest(row, owed, due, as_of) if row is not None and due else None
        months.append(Month(first, start, end, taxable, tax, due, pen, rest, charged_in, filing.frequency))
        if refund_sums:
            refunds_netted -= sum(refund_sums.values(), Decimal(0))
            figures = Month(first, start, end, taxable, _taxed({r: v - refund_sums.get(r, 0) for r, v in sums.items()}
                                                               ).without_low(left_out.low), due, None, None,
                            charged_month - refund_charged if collected is not None else None, filing.frequency)
        unrefunded += figures.uncollected
    taxable_sales = sum((m.taxable_sales for m in months), Decimal(0))
    charged = charged_here if collected is not None else None
    # Month by month: tax charged in one month above its own tax is owed as collected, and pays no other month's.
    # A month's refunds net against the place's other months (a refund reduces the taxable sales of its period), but
    # the place's tax at stake is never below zero: refunds of sales made before the period are no credit, and one
    # place's refunds lower no other place's tax in the total.
    netted = sum((m.uncollected for m in months), ZERO)
    tax, uncollected = sum((m.tax for m in months), ZERO).floored(), netted.floored()
    floor_note = REFUNDS_EXCEED if netted.below_zero else ""
    refunds_tax = (unrefunded.floored() + uncollected.scaled(Decimal(-1))).floored()
    undated = why_undated(months, filing, jurisdiction, held_due)
    penalty, penalty_note = _sum_or_none([m.penalty for m in months], lateness, undated or _why(
        unrowed, any(m.penalty is None and by_period[m.month] is not None for m in months),
        f"the data has no penalty figures for {jurisdiction}"))
    interest, interest_note = _sum_or_none([m.interest for m in months], lateness, undated or _why(
        unrowed, any(m.interest is None and by_period[m.month] is not None for m in months),
        f"interest rates for {jurisdiction} are not in the data for every month concerned"))
    scenarios = {"base": Scenario("base", periods[0].start if periods else None, periods[-1].end if periods else None,
                                  uncollected, penalty, interest)}
    scenarios["vda"] = vda_scenario(jurisdiction, months, as_of, uncollected, periods, established)
    open_now = any(w.open_on(as_of) for w in windows)
    scenarios["registered_now"] = _registered_now(recent, as_of, collecting_from, open_now,
                                                  _duty_ahead(windows, as_of), currency)
    filing = replace(filing, words=filing_words(filing, jurisdiction, held_due, [m.month for m in months]))
    dues = dues_used(jurisdiction, [m.month for m in months]) if filing.frequency == "monthly" else {}
    others.update(dues)
    assumptions.append(filing.words)
    if charged is None:
        assumptions.append("No tax charged is in the orders: the estimate assumes none was collected.")
    elif not filing.source:
        assumptions.append(CHARGED_BY_MONTH)
    else:
        assumptions.append(CHARGED_BY_PERIOD.format(period=filing.period, frequency=filing.frequency))
    if floor_note:
        assumptions.append(REFUNDS_EXCEED_ASSUMED)
    if crossing_tax.low:
        assumptions.append(CROSSING_DAY)
    if refunds_left_out:
        assumptions.append(REFUNDS_LINKED)
    if refunds_tax.high:
        assumptions.append(REFUNDS_NETTED)
    if own_categories:
        marketplace_notes.add(_own_words(own_categories))
    if not taxable_sales:  # nothing taxed: where the marketplace collected it all, say so beside the 0.00
        marketplace_notes.update(
            f"Marketplace sales of {currency} {format_amount(amount, currency)} in the days estimated are left out: "
            f"the marketplace collects the tax on them under {where}'s marketplace-facilitator law (from {law_from})."
            for where, (amount, law_from) in sorted(facilitated.items()) if amount)
    assumptions += sorted(marketplace_notes)
    # What a taxability row used says the estimate cannot tell apart (Japan's reduced rate for food).
    assumptions += sorted(caveats)
    # The rates and data rows in the order of their keys, not of the daily totals that first used them: DuckDB
    # groups the orders in no fixed order, and the workbook's sources changed order from one run to the next.
    rates_used = tuple(r for _, r in sorted(used.items(), key=lambda kv: tuple(map(str, kv[0]))))
    if any(r.unverified for r in rates_used):
        assumptions.append(UNVERIFIED_RATE)
    assumptions += [r.local_words() for r in rates_used if r.local_unknown]
    data_used = tuple(d for _, d in sorted(others.items(), key=lambda kv: tuple(map(str, kv[0]))))
    sources = tuple(dict.fromkeys(s for r in rates_used for s in r.sources))
    return Exposure(currency, scenarios["base"].start, scenarios["base"].end, taxable_sales, tax, charged,
                    uncollected, penalty, penalty_note, interest, interest_note, scenarios, tuple(months),
                    rates_used, tuple(assumptions), not_estimated,
                    tuple(dict.fromkeys(sources + tuple(s for r in by_period.values() if r for s in r.sources)
                                        + (lateness.sources if lateness else ())
                                        + tuple(s for d in dues.values() for s in d.sources))),
                    data_used=data_used, caveats=tuple(sorted(caveats)), uncollected_note=floor_note,
                    refunds_netted=refunds_netted, refunds_tax=refunds_tax,
                    crossing_days=tuple(sorted(d for d in crossing if any(m.start <= d <= m.end for m in months))),
                    crossing_sales=crossing_sales, crossing_tax=crossing_tax,
                    before_orders=before_orders(windows, data_from, collecting_from), after_orders=unread,
                    filing=filing)


def crossing_days(windows: Iterable[Any]) -> frozenset[date]:
    """The days tax is counted from where the start rule begins the duty with the sale after the one that met the
    test (:data:`NEXT_SALE`) and counts from the crossing day itself: not a day held back to a law's start (South
    Dakota's 2018-11-01, a grace period's end), nor a permit's own duty, whose first day is taxed whole."""
    return frozenset(w.collect_from for w in windows
                     if getattr(w, "start", None) is not None and w.start.collect.kind in NEXT_SALE
                     and not w.from_permit and w.collect_from is not None and w.collect_from == w.crossed)


def crossing_day_words(e: Exposure) -> str:
    """Why the low end of a range leaves out the sales of the day the test was met, in one clause ("" where it
    leaves out none): the duty starts with the sale after the one that met the test, and the orders of that day are
    not told apart."""
    if not e.crossing_days or not e.crossing_tax.low:
        return ""
    code = e.currency
    days = " and ".join(str(d) for d in e.crossing_days)
    return (f"low end leaves out the {code} {format_amount(e.crossing_sales, code)} of sales on {days}, the day the "
            f"threshold was crossed ({code} {format_amount(e.crossing_tax.low, code)} of tax at the low rate): tax "
            f"is due from the sale after the one that crossed it, and that day's orders are not told apart; the "
            f"central and high figures include the whole day")


def refunds_words(e: Exposure) -> str:
    """The refunds an estimate netted and the tax they took off, in one clause ("" where they took none): the most
    the estimate may be understated by, where they refund sales made before its period (:data:`REFUNDS_NETTED`)."""
    if not e.refunds_tax.high:
        return ""
    code = e.currency
    taken = f"{code} {format_amount(e.refunds_tax.central, code)}"
    if e.refunds_tax.low != e.refunds_tax.high:
        taken += (f" (range {format_amount(e.refunds_tax.low, code)} to "
                  f"{format_amount(e.refunds_tax.high, code)})")
    return (f"refunds of {code} {format_amount(e.refunds_netted, code)} netted in the period without a link to "
            f"their sale took {taken} off the tax: understated by up to that where they refund sales made before the "
            f"period")


def _own_days(own: Sequence[tuple[date, date]], due: Sequence[Span]) -> str | None:
    """The days of tax due (``due``) on which marketplace sales are the seller's own (``own``: the versions of the rule
    that make them so), in words: ``""`` for every day, ``"2025-01-01 to 2025-03-31"``, or None for none."""
    if all(any(a <= s.start and s.end <= b for a, b in own) for s in due):
        return ""
    days = [(max(a, due[0].start), min(b, due[-1].end)) for a, b in own]
    return ", ".join(f"{a} to {b}" for a, b in days if a <= b) or None


def _own_words(by_days: dict[str, list[str]]) -> str:
    """Why marketplace sales are estimated, and on which days, in one sentence: ``by_days`` gives the categories
    whose sales are the seller's own on the same days (from :func:`_own_days`; ``""`` for every day)."""
    if len(by_days) == 1:
        (when, categories), = by_days.items()
        sold = f"Marketplace sales of {listed(sorted(categories))} are estimated"
        if not when:
            return (f"{sold}: under this rule they are the seller's own supplies, the marketplace not their deemed "
                    f"supplier.")
        return (f"{sold} from {when}: under the version of the rule then in force they were the seller's own "
                f"supplies, the marketplace not their deemed supplier; on other days the marketplace is assumed to "
                f"collect.")
    parts = "; ".join(f"{listed(sorted(categories))} {f'from {when}' if when else 'on every day'}"
                      for when, categories in sorted(by_days.items()))
    return (f"Marketplace sales are estimated where the version of the rule then in force made them the seller's own "
            f"supplies, the marketplace not their deemed supplier: {parts}; on other days the marketplace is assumed "
            f"to collect.")


def _taxability_words(row: Any) -> str:
    what = {"yes": "taxable", "no": "not taxable", "unknown": "taxability unknown: not estimated"}.get(
        row.taxable, f"taxable on {row.share:.0%} of the price" if row.share is not None else row.taxable)
    return f"{row.category}: {what} (from {row.effective_from})"


def _lateness_words(row: penalties.Lateness) -> str:
    parts = []
    if row.late_filing:
        parts.append("late filing: " + "; ".join(p.wording for p in row.late_filing if p.wording))
    if row.late_payment:
        parts.append("late payment: " + "; ".join(p.wording for p in row.late_payment if p.wording))
    if row.interest:
        latest = row.interest[-1]
        parts.append(f"interest {row.interest_method or 'simple'}, {latest.annual_rate:%} a year from "
                     f"{latest.start}" + (f" ({len(row.interest)} periods)" if len(row.interest) > 1 else ""))
    else:
        parts.append("no interest rates in the data")
    return "; ".join(p for p in parts if p) or "no figures"


@dataclass
class _Segment:
    """The days from ``start`` to ``end`` over which one place and category keep their taxability and rate:
    ``share`` taxed (None: unknown), ``rates`` (low, central, high; None where not estimated)."""

    start: date
    end: date
    taxability: Any
    rate: Any
    share: Decimal | None
    rates: tuple[Decimal, Decimal, Decimal] | None
    noted: bool = False
    #: The place's rates give an average local rate on other days, not on these (:attr:`RateUsed.local_unknown`).
    local_unknown: bool = False


def _segment(book: TaxBook, where: str, category: str, day: date) -> _Segment:
    start, end = book.segment(where, day)
    taxability = book.taxable(where, category, day)
    share = taxability.fraction if taxability is not None else None
    rate = book.rate(where, category, day)
    rates = None
    if share is not None and rate is not None and rate.low is not None:
        # Low and high are the ends of the range whatever the table's order: New Jersey's average local rate is
        # negative (its urban enterprise zones charge half the state rate), so there the state rate is the
        # highest. The central figure stays the state plus the average local rate: sorting the three would make
        # the state rate the central figure wherever the highest combined rate is the state rate.
        central = rate.central or rate.low
        three = (rate.low, central, rate.high or rate.low)
        rates = (min(three), central, max(three))
    local_unknown = (rate is not None and rate.source_kind == "bundled" and rate.average_local is None
                     and book.has_local(where))
    return _Segment(start, end, taxability, rate, share, rates, local_unknown=local_unknown)


def _segment_on(known: dict[tuple[str, str, date], _Segment], book: TaxBook, where: str, category: str,
                day: date) -> _Segment:
    """The segment of ``where`` and ``category`` around ``day``, looked up once for every series of that place and
    category (direct and marketplace, sales and refunds) and noted once among the data used."""
    key = (where, category, book.segment(where, day)[0])
    found = known.get(key)
    if found is None:
        found = known[key] = _segment(book, where, category, day)
    return found


def _law_used(where: str, law: Dated) -> DataUsed:
    """The marketplace-facilitator law of ``where`` as data the estimate used: marketplace sales left out from it."""
    return DataUsed("marketplace law", where, f"marketplaces collect from {law.effective_from}: marketplace sales "
                                              f"left out from that day", law.sources)


def _note(segment: _Segment, where: str, category: str, used: dict[tuple[Any, ...], RateUsed],
          others: dict[tuple[Any, ...], DataUsed]) -> None:
    """The rate and taxability rows of a segment, among the data the estimate used."""
    t, rate = segment.taxability, segment.rate
    if t is not None and (where, category, t.effective_from) not in others:
        others[(where, category, t.effective_from)] = DataUsed("taxability", where, _taxability_words(t), t.sources)
    if rate is not None and segment.rates is not None and segment.share != 0:  # a rate taxes nothing at 0
        used.setdefault((rate.jurisdiction, rate.category, rate.effective_from),
                        RateUsed(rate.jurisdiction, rate.category, rate.effective_from, rate.effective_to,
                                 rate.low, rate.central, rate.high, rate.sources, rate.source_kind,
                                 rate.confidence, segment.local_unknown))


def _taxed(sums: dict[tuple[Decimal, Decimal, Decimal], Decimal]) -> Range:
    """Taxable sales summed per (low, central, high) rates, taxed: each sum times its rates."""
    low = central = high = Decimal(0)
    for (r_low, r_central, r_high), taxable in sums.items():
        low += taxable * r_low
        central += taxable * r_central
        high += taxable * r_high
    return Range(low, central, high)


def _sum_or_none(values: list[Decimal | None], row: Any, why: str) -> tuple[Decimal | None, str]:
    """The sum of the months' figures, or None with the reason when any month's could not be estimated."""
    if not values:
        return Decimal(0), ""
    if row is None or any(v is None for v in values):
        return None, f"not estimated: {why}"
    return sum(values, Decimal(0)), ""  # type: ignore[arg-type, type-var]


def _months_without_row(jurisdiction: str, months: Sequence[date]) -> str:
    """Why a month's penalty and interest are not estimated where no row of the penalties table is in force for it
    (a month before the table's first row): "" when every month has one."""
    if not months:
        return ""
    span = (f"{months[0]:%Y-%m}" if len(months) == 1 else f"{months[0]:%Y-%m} to {months[-1]:%Y-%m}")
    return (f"the penalties table has no row for {jurisdiction} in force for {span} (a month is charged only at the "
            f"rates of its own period)")


def _why(unrowed: str, otherwise: bool, words: str) -> str:
    """The reason a figure is not estimated: the months no row is in force for, the data's own gap, or both."""
    return "; ".join(w for w in (unrowed, words if otherwise or not unrowed else "") if w)


def _duty_ahead(windows: Iterable[Any], as_of: date) -> date | None:
    """The day the duty to collect begins where every window open on the as-of date begins it after that date
    (a test met in September with tax from December); None where tax is due already (or a presence is undated)."""
    starts = [w.collect_from for w in windows if w.open_on(as_of)]
    if not starts or any(day is None or day <= as_of for day in starts):
        return None
    return min(starts)


def _registered_now(recent: dict[tuple[Decimal, Decimal, Decimal], Decimal], as_of: date,
                    collecting_from: date | None, open_now: bool = True, duty_from: date | None = None,
                    currency: str = "") -> Scenario:
    """The tax a month that registering now stops from growing, at the pace of the recent days; nothing where a
    registration already collects on the as-of date, since its tax is being charged; never below nothing. Where the
    duty to collect begins after the as-of date (``duty_from``) nothing grows yet: the figure is nothing now, and
    the pace is kept apart (``once_due``) as what each month adds from that day unless registered by it."""
    if collecting_from is not None and collecting_from <= as_of:
        return Scenario("registered_now", as_of, None, ZERO, None, None,
                        f"registered and collecting from {collecting_from}: registering adds nothing")
    if not open_now:
        return Scenario("registered_now", as_of, None, ZERO, None, None,
                        f"no nexus on {as_of}: the tax of the window that ended does not grow")
    # Refunds in excess of the recent sales lower no other place's figure: nothing grows, so nothing a month.
    pace = _taxed(recent).scaled(Decimal(30) / RECENT_DAYS).minus(Decimal(0))
    if duty_from is not None:
        if collecting_from is not None and collecting_from <= duty_from:
            return Scenario("registered_now", duty_from, None, ZERO, None, None,
                            f"tax is to be collected from {duty_from}, and the registration held collects from "
                            f"{collecting_from}: nothing grows")
        return Scenario("registered_now", duty_from, None, ZERO, None, None,
                        f"tax is to be collected from {duty_from}, after {as_of}: nothing grows before then; from "
                        f"that day {currency} {format_amount(pace.central, currency)} a month at the pace of the "
                        f"{RECENT_DAYS} days to {as_of}, unless registered by it", once_due=pace)
    return Scenario("registered_now", as_of, None, pace, None, None,
                    f"tax a month at the pace of the {RECENT_DAYS} days to {as_of}, which registering now stops "
                    f"from growing")
