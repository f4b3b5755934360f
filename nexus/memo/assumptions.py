"""What the memo's figures rest on: the assumptions a reviewer checks first (:func:`assumptions`), and the
estimates' own assumptions, the most material first (:func:`estimates_assume`), grouped as the workbook's
Assumptions sheet groups them.
"""
from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Sequence

from nexus import places
from nexus.assumed import NAMED_PLACES, Assumed, estimate_assumptions, estimated, places_words
from nexus.findings import CheckResult
from nexus.memo.at_stake import exposure_of, money
from nexus.report import coverage_assumptions, crossing_days_words, refunds_exceed_words, refunds_netted_words

FX_WORDS = {"daily": "each sale at the rate of its own day",
            "monthly-average": "each sale at the average rate of its month",
            "period-end": "each sale at the rate of the last day of the period measured"}

#: Assumptions the memo lists, the most material first; the rest are counted, and the workbook's Assumptions sheet
#: gives every one. The section shares the Assumptions page: on the README's memo (26 assumptions) all of them
#: printed 21 pages and the first 4 printed 20 on Letter; 3 keep its 19 (Letter and A4).
ASSUMPTIONS_LISTED = 3


@dataclass(frozen=True)
class AssumedRow:
    """One assumption as the memo lists it: the places it applies to (shortened as the Assumptions sheet shortens
    them), its words, and the estimated tax at stake in those places, by which the list is ordered."""

    places: str
    text: str
    at_stake: str


@dataclass(frozen=True)
class EstimatesAssume:
    listed: tuple[AssumedRow, ...]
    more: int  # assumptions left to the workbook's Assumptions sheet


def estimates_assume(result: CheckResult, listed: int = ASSUMPTIONS_LISTED) -> EstimatesAssume:
    """The estimates' own assumptions, each sentence once with its places, grouped as the workbook's Assumptions
    sheet groups them (the same function), the most material first: by the tax at stake, in the reporting currency,
    in the places each applies to (a tie keeps the sheet's order). A CFO quoting the total sees what it rests on."""
    found = estimated(result)
    everyone = [x.jurisdiction for x in found]
    stake: dict[str, Decimal] = {}
    unconverted: list[str] = []  # places whose figure no rate converts: it cannot be added to the others
    for x in found:
        assert x.exposure is not None
        converted = x.exposure.reporting
        stake[x.jurisdiction] = stake.get(x.jurisdiction, Decimal(0)) + (converted.central if converted else 0)
        if converted is None:
            unconverted.append(x.jurisdiction)

    def at_stake(a: Assumed) -> Decimal:
        return sum((stake.get(p, Decimal(0)) for p in a.places), Decimal(0))

    def words(a: Assumed) -> str:
        left = [p for p in a.places if p in unconverted]
        figure = money(at_stake(a), code) if len(left) < len(a.places) else ""
        return "; ".join(filter(None, (figure, f"{', '.join(left)} not converted" if left else "")))

    code = result.exposure_total.currency if result.exposure_total is not None else ""
    ranked = sorted(estimate_assumptions(result), key=at_stake, reverse=True)  # stable: a tie keeps the sheet's order
    rows = tuple(AssumedRow(_applies_to(a.places, everyone), a.text, words(a)) for a in ranked[:listed])
    return EstimatesAssume(rows, len(ranked) - len(rows))


def _applies_to(places: Sequence[str], everyone: Sequence[str]) -> str:
    """"all", "all but NL" or the places, as the Assumptions sheet says them; past :data:`NAMED_PLACES` the first
    of them and how many more (the sheet names every one)."""
    named = places_words(places, everyone)
    if named.count(",") < NAMED_PLACES:
        return named
    return f"{', '.join(places[:NAMED_PLACES])} and {len(places) - NAMED_PLACES} more"


def assumptions(result: CheckResult, at_stake: bool = True) -> list[str]:
    """What the figures rest on, in the words a reviewer checks first (``at_stake``: with what the tax at stake
    rests on; the provider comparison shows none)."""
    ledger = result.ledger
    said = [f"Seller established in {places.name(result.home)} ({result.home}): the rules for sellers established "
            f"there apply." if result.home else
            "No home given (--home): every jurisdiction is assessed as for a seller established elsewhere.",
            f"Sales in other currencies are converted {FX_WORDS.get(result.fx_policy, result.fx_policy)} "
            f"(FX policy {result.fx_policy})."]
    if result.rates is not None:
        newest = result.rates.latest(result.as_of)
        said.append(f"Exchange rates: {result.rates.source}, "
                    + (f"the newest from {newest}." if newest else "none on or before the as-of date."))
    if ledger.first_day:
        said.append(f"The orders run from {ledger.first_day} to {ledger.last_day}. Days before the first order are "
                    f"not covered by the data: their sales are unknown, not zero.")
    said += [f"Approaching means at least {result.warn_at:.0%} of a threshold.",
             "Nexus is worked out for every window in which a test was met, with the rule version then in force; "
             "where sources on when a duty begins are silent or disagree, the earlier date is used and the "
             "finding says so.",
             "Findings are potential exposure, from the rules as published and the data given: confirm them with "
             "a tax adviser before registering or accruing."]
    said += coverage_assumptions(result.findings)
    if at_stake and not any(exposure_of(f).estimated for f in result.findings):
        if not any(p.exposure is not None for p in result.past_windows):
            said.append("Tax at stake is not estimated in this memo: no estimate was made for these findings.")
    unverified = [f.jurisdiction for f in result.findings
                  if f.exposure is not None and any(r.unverified for r in f.exposure.rates)] + [
        f"{p.jurisdiction} (past window)" for p in result.past_windows
        if p.exposure is not None and any(r.unverified for r in p.exposure.rates)]
    if at_stake and unverified:
        said.append(f"Tax rates not verified from a primary source (revenue department or statute), secondary "
                    f"sources only, are used for some or all of the period in: {', '.join(unverified)}; confirm "
                    f"them before relying on those estimates (the workbook's Assumptions sheet, docs/rules.md).")
    for refunds in (crossing_days_words(result), refunds_exceed_words(result),
                    refunds_netted_words(result)) if at_stake else ():
        if refunds:
            said.append(refunds)
    said += [f"Reading: {a}" for a in ledger.assumptions]
    return said
