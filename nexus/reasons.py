"""The words of a finding: why its test is met, approaching or below (the figures, the period, the threshold and
the rule's date), what the rule counts, and how much each reason left out of the figure.

Each sentence is built from the figures of one measure (:mod:`nexus.measures`) and the rule's own data, so that the
screen, the workbook, the memo and the JSON give the same reasons.
"""
from __future__ import annotations

from decimal import Decimal
from datetime import date, timedelta
from typing import Iterable

from nexus import places
from nexus.measures import ABROAD_KEYS, Measure, shown_share, threshold_met
from nexus.money import format_amount
from nexus.periods import Period
from nexus.rules import BASES, Rule

#: How a sales test's first reason leads where it is met, and where it is approaching (a home's remote-seller test
#: says neither: :func:`nexus.check._informational`).
EXPOSURE_LEAD, APPROACHING_LEAD = "Potential exposure: ", "Potential exposure approaching: "
#: Periods that move with the day measured (twelve months to it, or to the last month or quarter end): the day
#: the period's own running total crossed is not the day the test was first met.
ROLLING_PERIODS = ("preceding_12_months", "preceding_12_months_at_quarter_end", "preceding_12_months_at_month_end",
                   "ny_preceding_four_quarters", "current_month_and_previous_11_months")


def money(amount: Decimal, code: str) -> str:
    return f"{code} {format_amount(amount, code)}"


def coverage(measures: Iterable[Measure]) -> list[str]:
    """A sentence for each measured period that starts before the first order in the input."""
    out = []
    for m in measures:
        if m.covered == "none":
            out.append(f"No orders before {m.covered_from}: {m.period.label} is not covered by the data (its "
                       f"sales are unknown, not zero).")
        elif m.covered == "part":
            out.append(f"No orders before {m.covered_from}: {m.period.label} is covered by the data only from "
                       f"that day; its earlier days are unknown, not zero.")
    return out


def test_reasons(rule: Rule, status: str, chosen: Measure, excluded: dict[str, Decimal], tested: str = "") -> list[str]:
    """The finding's reasons; ``tested`` is the period kind of the window chosen (one test of a rule of two)."""
    code = rule.currency
    sales = money(chosen.sales, code)
    label = chosen.period.label
    # the test of the part measured, where the rule's parts have figures of their own (Germany's EUR 100,000)
    test = (rule.part(tested) if tested and rule.part_thresholds else rule).describe_threshold()
    since = f"rule in force since {rule.effective_from}"
    what = rule.name if rule.tax == "sales tax" else f"{rule.name} {rule.tax}"
    kind = "economic-nexus test" if rule.tax == "sales tax" else "registration test"
    world = f" and worldwide sales of {money(chosen.worldwide, code)}" if chosen.worldwide is not None else ""
    txns = f"{chosen.transactions:,} transaction{'s' * (chosen.transactions != 1)}"
    if status == "not-covered":
        first = (f"Not assessed: {what}'s test ({test}) measures {label}, before the first order in the input "
                 f"({since}).")
    elif status == "exceeded" and rule.sales_threshold == 0:
        first = (f"{EXPOSURE_LEAD}{what} has no registration threshold for this seller ({test}); sales of "
                 f"{sales}{world} in {label}, the first on {chosen.crossed_on} ({since}).")
    elif status == "exceeded" and not threshold_met(rule, chosen.sales, chosen.transactions,
                                                    chosen.worldwide or Decimal(0)):
        # Met on a day of the period, then taken back below by refunds or chargebacks: never "met by" the
        # lower figures (the dates say how long nexus lasted).
        first = (f"{EXPOSURE_LEAD}{what}'s {kind} ({test}) was met on {chosen.crossed_on} in {label}; refunds "
                 f"and chargebacks since bring its sales to {sales}{world} and {txns}, "
                 f"below the threshold ({since}).")
    elif status == "exceeded":
        # A rolling period's running total reaches the threshold on a day that says nothing of when nexus began
        # (an earlier 12 months may have met the test first: 'Nexus since' gives that day); a fixed one's does.
        crossed = "" if (tested or rule.period) in ROLLING_PERIODS else f"; crossed on {chosen.crossed_on}"
        first = (f"{EXPOSURE_LEAD}{what}'s {kind} ({test}) is met by sales of {sales}{world} "
                 f"and {txns} in {label}{crossed} ({since}).")
    elif status == "approaching":
        first = (f"{APPROACHING_LEAD}sales of {sales}{world} and {txns} "
                 f"in {label} reach {shown_share(chosen.ratio):.0%} of {what}'s test ({test}; {since}).")
    else:
        first = (f"Below {what}'s test ({test}): sales of {sales}{world} and {txns} "
                 f"in {label}, {shown_share(chosen.ratio):.0%} of the threshold ({since}).")
    counting = counting_reasons(rule, excluded)
    return [first] + counting[:1] + earlier_reasons(rule, chosen.period) + counting[1:]


def _counted_terms(rule: Rule) -> list[str]:
    """What a version counts, in words: basis, categories and marketplace sales."""
    deemed = ", ".join(rule.marketplace_deemed)
    return [BASES[rule.basis or "gross"], f"categories: {', '.join(rule.categories)}",
            f"marketplace-facilitated sales {rule.marketplace}" + (f" but for {deemed}" if deemed else "")]


def earlier_reasons(rule: Rule, period: Period) -> list[str]:
    """How the days of ``period`` before ``rule`` took effect are counted, where the law counts them as it then
    stood (:attr:`Rule.earlier_days_as_then`): by the earlier version in force each day, whose terms that differ
    are given."""
    if not rule.earlier or period.start >= rule.effective_from:
        return []
    before, now = rule.effective_from - timedelta(days=1), _counted_terms(rule)
    then = [v for v in rule.earlier if v.effective_from <= min(period.end, before)
            and (v.effective_to is None or v.effective_to >= period.start)] or list(rule.earlier[:1])
    terms = "; ".join(f"from {v.effective_from}: " + "; ".join(t for t in _counted_terms(v) if t not in now)
                      for v in then)
    return [f"Sales of {period.label} made before {rule.effective_from} are counted as the rule then in force counted "
            f"them ({terms}), not by the terms of the version in force since: the law measures the period's sales as "
            f"it then stood (see the rule's notes)."]


def counting_reasons(rule: Rule, excluded: dict[str, Decimal]) -> list[str]:
    """What the rule counts, and each amount it left out of ``excluded`` (the figures of one finding)."""
    code = rule.currency
    deemed = ", ".join(rule.marketplace_deemed)
    reasons = [f"Counted: {'; '.join(_counted_terms(rule))}."]
    excludes = (f"the marketplace is the supplier of the {deemed} sold through it" if deemed
                else f"{rule.name} excludes them")
    words = {"marketplace": f"Marketplace-facilitated sales of {{}} are not counted: {excludes}.",
             "resale": "Sales for resale of {} are not counted.",
             "exempt": "Exempt sales of {} are not counted: the test counts taxable sales only.",
             "category": f"Sales of {{}} in categories outside {', '.join(rule.categories)} are not counted.",
             "unknown": f"Sales of {{}} with no known category (no category column, products file, tax code or "
                        f"platform signal) are not counted: the test counts {', '.join(rule.categories)} only; give "
                        f"a products file (--products) or decide with --unknown-category.",
             "refunds": "Refunds and chargebacks of {} reduce the sales counted.",
             "before_rule": f"Sales of {{}} made before the rule reached them ({_reached(rule)}) are not counted: it "
                            f"registers from the first sale it reaches, and those were made under an earlier "
                            f"regime, or none."}
    for key, template in words.items():
        if excluded.get(key):
            reasons.append(template.format(money(abs(excluded[key]), code)))
    reasons += abroad_reasons(rule, excluded)
    if rule.confidence == "conflict" and rule.notes:
        reasons.append(f"Sources disagree: {rule.notes}")
    return reasons


def _reached(rule: Rule) -> str:
    """``goods from 2021-07-01; digital, saas from 2015-01-01``: when a first-sale rule reached each category."""
    by_day: dict[date, list[str]] = {}
    for category, day in rule.reaches_from:
        by_day.setdefault(day, []).append(category)
    return "; ".join(f"{', '.join(cats)} from {day}" for day, cats in sorted(by_day.items(), reverse=True))


def abroad_reasons(rule: Rule, excluded: dict[str, Decimal]) -> list[str]:
    """What a domestic test's figure holds of the sales to customers outside the country, and what it leaves out
    (by the rule's ``sales_abroad``), each with why."""
    said = rule.sales_abroad
    if said is None:
        return []
    name = places.in_prose(rule.name)
    found = {key: excluded[key] for key in ABROAD_KEYS.values() if excluded.get(key)}
    reasons = []
    if "abroad" in found:
        reasons.append(f"Of the figure, {money(found['abroad'], rule.currency)} are sales to customers outside "
                       f"{name}, counted: {said.counted}.")
        if said.verdict("goods") == "counted":
            # Orders say where goods went, not where they left from: stock held abroad makes a sale abroad.
            reasons.append(f"The orders do not say where goods were shipped from: each sale of goods to a customer "
                           f"outside {name} is counted as sent from {name}; goods sent from stock held abroad are "
                           f"not supplies made in {name}, and counting them makes the figure too high.")
    if "abroad_out_of_scope" in found:
        reasons.append(f"Sales of {money(found['abroad_out_of_scope'], rule.currency)} to customers outside {name} "
                       f"are not counted: {said.not_counted}.")
    if "abroad_unknown" in found:
        reasons.append(f"Sales of {money(found['abroad_unknown'], rule.currency)} to customers outside {name} are "
                       f"left out of the figure, which may be too low: whether they count is unknown ({said.unknown}).")
    return reasons
