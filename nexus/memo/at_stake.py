"""Money as the memo words it (:func:`money`), and the tax at stake, read, never computed, here.

Money at stake (issue 20) is read from the attributes the exposure work adds, when they exist:
``finding.exposure`` (``low``, ``central``, ``high`` in the finding's currency and ``reporting``, the same three
in the reporting currency, with its ``currency``) and ``result.exposure_total`` (``low``, ``central``,
``high``, ``currency``, and the rate's ``rate_source`` and ``rate_date``). Where they are absent the memo
says "not estimated": it never shows a figure nobody computed. :func:`exposure_of` and :func:`total_of` are
the only two places that read them.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from nexus.days_due import NOT_COVERED, NOT_COVERED_TOTAL
from nexus.findings import CheckResult, Finding
from nexus.lapsed import PastWindow
from nexus.money import format_amount
from nexus.report import after_orders_words, before_the_orders, from_first_order_words


def money(amount: Decimal | None, code: str | None) -> str:
    """``USD 1,234.57``; empty when there is no amount."""
    if amount is None or not code:
        return ""
    return f"{code} {format_amount(amount, code)}"


@dataclass(frozen=True)
class AtStake:
    """Estimated tax at stake as the memo words it: the central figure, the range, and a key to sort by."""

    words: str
    range: str = ""
    sort: str = ""
    estimated: bool = False
    more: tuple[tuple[str, str], ...] = ()  # the total's other figures (label, words): penalties and interest...
    #: Where tax was due before the first order read, what the estimate leaves out, in words ("tax due from
    #: 2024-02-01, estimated from 2025-01-01 only"): the table marks the figure, and says it under the table.
    partial: str = ""


NOT_ESTIMATED = AtStake("not estimated")
# A place without nexus has no potential exposure to estimate: "not estimated" beside California's 92% or
# Delaware's no sales tax read as a figure nexus failed to make.
NO_NEXUS = AtStake("none: no nexus")
WITHOUT_NEXUS = ("approaching", "below", "no-rule", "no-sales-tax")
# A union's own finding (the EU's OSS test): its tax is estimated on its member states' rows, as the screen's
# "members" and the CSV's est_note say.
MEMBER_STATES = "estimated member state by member state"
# Every day tax was due lies before the first order: the data cannot say (never a zero).
UNCOVERED = AtStake(NOT_COVERED)
UNCOVERED_TOTAL = AtStake(NOT_COVERED_TOTAL)


def exposure_of(finding: Finding) -> AtStake:
    """A finding's estimate (the tax not collected) in the reporting currency where it has one, else in its own."""
    exposure = finding.exposure
    if exposure is None:
        note = finding.exposure_note
        if note.startswith(NOT_COVERED) or (finding.status == "not-covered" and finding.nexus is None):
            return UNCOVERED  # whether nexus exists there is unknown, not 'none'
        if note.startswith(MEMBER_STATES):
            return AtStake(f"{MEMBER_STATES} (see each member state)")
        return NO_NEXUS if finding.nexus is None and not note and finding.status in WITHOUT_NEXUS else NOT_ESTIMATED
    if exposure.reporting is not None:
        source, code = exposure.reporting, exposure.reporting_currency
    else:
        source, code = exposure.uncollected, exposure.currency
    low, high = money(source.low, code), money(source.high, code)
    spread = f"{low} to {high}" if low != high else ""  # a range of one figure says nothing (no sales there)
    # a 0.00 whose refunds exceed its sales says so: not a place with nothing sold, and no credit against others
    spread = exposure.uncollected_note or spread
    partial = (f"tax due {exposure.before_orders}, estimated from {exposure.start} only"
               if exposure.before_orders and exposure.start else "")
    return AtStake(money(source.central, code), spread, f"{code} {source.central:020.2f}", True, partial=partial)


def total_of(result: CheckResult) -> AtStake:
    """The total at stake in the reporting currency, with its range and the rates used, or "not estimated"."""
    total = result.exposure_total
    # tax that may be owed for days before the orders (a server removed before them): unknown, said beside the total
    before = before_the_orders(result.findings)
    unknown: tuple[tuple[str, str], ...] = (("Before the first order", before),) if before else ()
    # the estimates that start after their duty did, for want of earlier orders: one short row, so that the headline
    # leaves the US map its first page
    first = from_first_order_words(result)
    unknown += (("From the first order", first),) if first else ()
    last = " ".join(after_orders_words(result))
    unknown += (("After the last order", last),) if last else ()
    if total is None:
        uncovered = any(f.exposure_note.startswith(NOT_COVERED) for f in result.findings)
        return replace(UNCOVERED_TOTAL if uncovered else NOT_ESTIMATED, more=unknown)
    code = total.currency
    spread = f"{money(total.tax.low, code)} to {money(total.tax.high, code)}"
    if total.rates:
        spread += f"; in {code} at the as-of date's rates"
    if total.left_out:
        spread += f"; {total.left_out_words(result.as_of)}"
    also = (f"{money(total.tax.central + total.penalty + total.interest, code)} with the penalties and interest that "
            f"could be estimated; {total.vda_words()}; {total.month_words(later_amount=True)}")
    more: tuple[tuple[str, str], ...] = (("Also estimated", also),)
    if total.past_windows:
        ran = (f"; {money(total.past_run.central, code)} of it in {total.past_run_windows} whose period of "
               f"limitation has run, by nexus's data (no longer assessable unless a longer period applies)"
               if total.past_run_windows else "")
        more += (("Of which past windows", f"{money(total.past.central, code)} under rules no longer in force{ran}"),)
    if total.charged_above:  # not in the total, nor set against it: the seller holds it for the state
        more += (("Tax charged above the estimate", f"{money(total.charged_above, code)}, owed as collected"),)
    return AtStake(money(total.tax.central, code), spread, "", True, more + unknown + past_lines(result))


def past_tax(p: PastWindow) -> str:
    """A past window's estimate in words: in the reporting currency where a rate converts it."""
    e = p.exposure
    return (money(e.reporting.central, e.reporting_currency) if e is not None and e.reporting is not None else
            money(e.uncollected.central, e.currency) if e is not None else f"not estimated ({p.exposure_note})")


def past_lines(result: CheckResult) -> tuple[tuple[str, str], ...]:
    """One line per past window under a rule no longer in force (nexus.lapsed): the rule, the window, the sales in
    it and its estimate; past tax only, but tax that may still be owed."""
    said = []
    for p in result.past_windows:
        tax = past_tax(p)
        said.append((f"Past window: {p.rule.name} ({p.jurisdiction})",
                     f"{p.rule.scheme or p.rule.tax} ({p.rule.describe_threshold()}) met from {p.start} to {p.end}, "
                     f"rule not in force from {p.ended + timedelta(days=1)}; sales {money(p.sales, p.rule.currency)}"
                     f"; estimated tax not charged {tax}. Past tax only, no new tax accrues; it may still be owed "
                     f"while it can be assessed. Period of limitation: {p.limitation}"))
    return tuple(said)
