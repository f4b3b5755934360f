"""The economic-nexus check: daily totals and dated rules in, findings out.

For each jurisdiction, :func:`check` takes the rule in force on the as-of
date, the period(s) that rule measures, the sales and transactions that rule
counts (its basis, its treatment of marketplace sales, the categories it
covers), converts them to the threshold's currency at each day's rate, and
compares them with the threshold the way the rule words it ("more than" or
"at least"; sales *or* transactions, or sales *and* transactions).

Refunds and chargebacks reduce the sales counted on the day they are made;
they do not reduce the transaction count. Every finding says why.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Iterable

from nexus.errors import RateMissing
from nexus.fx import RateTable
from nexus.money import format_amount, quantize
from nexus.periods import Period, periods_for
from nexus.rules import BASES, Rule, RuleBook
from nexus.sales import Ledger

#: Statuses, most severe first. Tables and JSON list findings in this order.
STATUSES = ("exceeded", "approaching", "below", "no-rule", "no-sales-tax")
DEFAULT_WARN_AT = Decimal("0.8")


@dataclass(frozen=True)
class MonthTotal:
    """One calendar month of a period (cut at the period's ends), for audit sheets.

    ``sales`` is unrounded, so the months of a period add up to its total;
    ``set_aside`` holds what the rule left out (by reason) and the refunds it
    netted, as in :attr:`Finding.excluded`.
    """

    start: date
    end: date
    sales: Decimal
    transactions: int
    set_aside: dict[str, Decimal]


@dataclass(frozen=True)
class Measure:
    """What one period measured for one rule."""

    period: Period
    sales: Decimal
    transactions: int
    met: bool
    ratio: Decimal | None
    crossed_on: date | None
    months: tuple[MonthTotal, ...] = ()


@dataclass(frozen=True)
class Finding:
    """The verdict for one jurisdiction at the as-of date."""

    jurisdiction: str
    name: str
    status: str
    currency: str
    sales: Decimal
    transactions: int
    ratio: Decimal | None
    period: Period | None
    crossed_on: date | None
    reasons: tuple[str, ...]
    rule: Rule | None
    measures: tuple[Measure, ...] = ()
    excluded: dict[str, Decimal] = field(default_factory=dict)

    @property
    def sources(self) -> tuple[str, ...]:
        return self.rule.sources if self.rule else ()

    def severity(self) -> tuple[int, Decimal]:
        return STATUSES.index(self.status), -(self.ratio or Decimal(0))


@dataclass(frozen=True)
class CheckResult:
    """Findings for one as-of date, and the account of the input."""

    as_of: date
    findings: tuple[Finding, ...]
    ledger: Ledger
    rates: RateTable | None
    warn_at: Decimal
    outside_rules: tuple[str, ...]

    def count(self, status: str) -> int:
        return sum(1 for f in self.findings if f.status == status)


class _Converter:
    """Day-by-day conversion with one rate lookup per currency and day."""

    def __init__(self, rates: RateTable | None, to_code: str):
        self.rates, self.to_code = rates, to_code
        self._cache: dict[tuple[str, date], Decimal] = {}

    def __call__(self, amount: Decimal, code: str, day: date) -> Decimal:
        if code == self.to_code:
            return amount
        factor = self._cache.get((code, day))
        if factor is None:
            if self.rates is None:
                raise RateMissing(f"sales in {code} (first on {day}) need exchange rates to {self.to_code}: "
                                  f"pass --rates with an ECB file (eurofxref-hist.csv) or URL")
            factor = self.rates.convert(Decimal(1), code, self.to_code, day)
            self._cache[(code, day)] = factor
        return amount * factor


def _counts(rule: Rule, channel: str, exempt: str, category: str) -> str | None:
    """None if the rule counts this kind of sale; otherwise why it does not."""
    if category not in rule.categories:
        return "category"
    if rule.marketplace == "excluded" and channel == "marketplace":
        return "marketplace"
    if rule.basis == "retail" and exempt == "resale":
        return "resale"
    if rule.basis == "taxable" and exempt != "no":
        return "resale" if exempt == "resale" else "exempt"
    return None


def _met(value: Decimal | int, threshold: Decimal | int | None, comparison: str | None) -> bool | None:
    if threshold is None:
        return None
    return value > threshold if comparison == "more_than" else value >= threshold


def threshold_met(rule: Rule, sales: Decimal, transactions: int) -> bool:
    """Whether ``sales`` and ``transactions`` meet ``rule``'s threshold test."""
    by_sales = _met(sales, rule.sales_threshold, rule.sales_comparison)
    by_count = _met(transactions, rule.transactions_threshold, rule.transactions_comparison)
    tests = [t for t in (by_sales, by_count) if t is not None]
    return all(tests) if rule.combine == "and" else any(tests)


def ratio(rule: Rule, sales: Decimal, transactions: int) -> Decimal:
    """How close to the threshold: the larger part of an OR test, the smaller of an AND test."""
    parts = []
    if rule.sales_threshold is not None:
        parts.append(sales / rule.sales_threshold)
    if rule.transactions_threshold is not None:
        parts.append(Decimal(transactions) / rule.transactions_threshold)
    return min(parts) if rule.combine == "and" else max(parts)


def measure(rule: Rule, period: Period, days: dict[date, list],
            aside: dict[date, dict[str, Decimal]] | None = None) -> Measure:
    """Sum one period day by day, noting the first day the test was met."""
    sales, count, crossed = Decimal(0), 0, None
    for day in sorted(d for d in days if d in period):
        sales += days[day][0]
        count += days[day][1]
        if crossed is None and threshold_met(rule, sales, count):
            crossed = day
    met = threshold_met(rule, sales, count) or crossed is not None
    return Measure(period, sales, count, met, ratio(rule, sales, count), crossed,
                   _months(period, days, aside or {}))


def _months(period: Period, days: dict[date, list], aside: dict[date, dict[str, Decimal]]) -> tuple[MonthTotal, ...]:
    months = []
    start = period.start
    while start <= period.end:
        following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        end = min(period.end, following - timedelta(days=1))
        part = Period(start, end, "")
        sales = sum((v[0] for d, v in days.items() if d in part), Decimal(0))
        count = sum(v[1] for d, v in days.items() if d in part)
        months.append(MonthTotal(start, end, sales, count, _aside_in(part, aside)))
        start = following
    return tuple(months)


def _collect(rule: Rule, rows: Iterable[tuple[Any, ...]], convert: _Converter, windows: list[Period]):
    """Counted sales per day (converted), and per day what was left out or netted, and why."""
    days: dict[date, list] = {}
    aside: dict[date, dict[str, Decimal]] = {}
    start, end = min(p.start for p in windows), max(p.end for p in windows)
    for day, code, channel, kind, exempt, category, amount, count in rows:
        if not start <= day <= end:
            continue
        value = convert(amount, code, day)
        why = _counts(rule, channel, exempt, category)
        if why is None and kind != "sale":
            why = "refunds"  # counted, but worth showing: refunds and chargebacks reduce the sales
        if why is not None:
            noted = aside.setdefault(day, {})
            noted[why] = noted.get(why, Decimal(0)) + value
            if why != "refunds":
                continue
        total = days.setdefault(day, [Decimal(0), 0])
        total[0] += value
        total[1] += count
    return days, aside


def _aside_in(period: Period, aside: dict[date, dict[str, Decimal]]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for day, noted in aside.items():
        if day in period:
            for why, value in noted.items():
                totals[why] = totals.get(why, Decimal(0)) + value
    return totals


def _money(amount: Decimal, code: str) -> str:
    return f"{code} {format_amount(amount, code)}"


def _reasons(rule: Rule, status: str, chosen: Measure, excluded: dict[str, Decimal]) -> list[str]:
    code = rule.currency
    sales = _money(chosen.sales, code)
    label = chosen.period.label
    test = rule.describe_threshold()
    since = f"rule in force since {rule.effective_from}"
    if status == "exceeded":
        first = (f"Potential exposure: {rule.name}'s economic-nexus test ({test}) is met by sales of {sales} "
                 f"and {chosen.transactions} transactions in {label}; crossed on {chosen.crossed_on} ({since}).")
    elif status == "approaching":
        first = (f"Potential exposure approaching: sales of {sales} and {chosen.transactions} transactions in "
                 f"{label} reach {chosen.ratio:.0%} of {rule.name}'s test ({test}; {since}).")
    else:
        first = (f"Below {rule.name}'s test ({test}): sales of {sales} and {chosen.transactions} transactions "
                 f"in {label}, {chosen.ratio:.0%} of the threshold ({since}).")
    reasons = [first, f"Counted: {BASES[rule.basis or 'gross']}; categories: {', '.join(rule.categories)}; "
                      f"marketplace-facilitated sales {rule.marketplace}."]
    words = {"marketplace": f"Marketplace-facilitated sales of {{}} are not counted: {rule.name} excludes them.",
             "resale": "Sales for resale of {} are not counted.",
             "exempt": "Exempt sales of {} are not counted: the test counts taxable sales only.",
             "category": f"Sales of {{}} in categories outside {', '.join(rule.categories)} are not counted.",
             "refunds": "Refunds and chargebacks of {} reduce the sales counted."}
    for key, template in words.items():
        if excluded.get(key):
            reasons.append(template.format(_money(abs(excluded[key]), code)))
    if rule.confidence == "conflict" and rule.notes:
        reasons.append(f"Sources disagree: {rule.notes}")
    return reasons


def check_rule(rule: Rule, rows: list[tuple[Any, ...]], as_of: date, rates: RateTable | None,
               warn_at: Decimal = DEFAULT_WARN_AT) -> Finding:
    """Apply one rule to one jurisdiction's daily rows."""
    if not rule.sales_tax:
        return Finding(rule.jurisdiction, rule.name, "no-sales-tax", rule.currency, Decimal(0), 0, None, None, None,
                       (f"{rule.name} levies no general sales tax: no economic-nexus threshold applies.",),
                       rule)
    windows = periods_for(rule.period or "", as_of)
    days, aside = _collect(rule, rows, _Converter(rates, rule.currency), windows)
    measures = [measure(rule, p, days, aside) for p in windows]
    met = [m for m in measures if m.met]
    if met:
        chosen, status = met[0], "exceeded"
    else:
        chosen = max(measures, key=lambda m: m.ratio or 0)
        status = "approaching" if (chosen.ratio or 0) >= warn_at else "below"
    excluded = _aside_in(chosen.period, aside)
    return Finding(
        jurisdiction=rule.jurisdiction, name=rule.name, status=status, currency=rule.currency,
        sales=quantize(chosen.sales, rule.currency), transactions=chosen.transactions,
        ratio=(chosen.ratio or Decimal(0)).quantize(Decimal("0.0001")), period=chosen.period,
        crossed_on=chosen.crossed_on, reasons=tuple(_reasons(rule, status, chosen, excluded)), rule=rule,
        measures=tuple(measures), excluded={k: quantize(v, rule.currency) for k, v in excluded.items()},
    )


def _no_rule(book: RuleBook, jurisdiction: str, as_of: date) -> Finding:
    history = book.history(jurisdiction)
    later = [r.effective_from for r in history if r.effective_from > as_of]
    name = history[0].name if history else jurisdiction
    when = f"; its first took effect {min(later)}" if later else ""
    return Finding(jurisdiction, name, "no-rule", "USD", Decimal(0), 0, None, None, None,
                   (f"{name} had no economic-nexus rule in force on {as_of}{when}.",), None)


def check(ledger: Ledger, book: RuleBook, as_of: date, rates: RateTable | None = None,
          warn_at: Decimal = DEFAULT_WARN_AT, all_jurisdictions: bool = False) -> CheckResult:
    """Findings for every jurisdiction with sales (every one with rules if ``all_jurisdictions``)."""
    by_place: dict[str, list[tuple[Any, ...]]] = {}
    for (place, day, code, channel, kind, exempt, category), (amount, count) in ledger.totals.items():
        by_place.setdefault(place, []).append((day, code, channel, kind, exempt, category, amount, count))
    known = set(book.jurisdictions())
    wanted = known if all_jurisdictions else known & set(by_place)
    findings = []
    for place in sorted(wanted):
        rule = book.in_force(place, as_of)
        if rule is None:
            findings.append(_no_rule(book, place, as_of))
        else:
            findings.append(check_rule(rule, by_place.get(place, []), as_of, rates, warn_at))
    findings.sort(key=lambda f: (f.severity(), f.jurisdiction))
    outside = tuple(sorted(set(by_place) - known))
    return CheckResult(as_of, tuple(findings), ledger, rates, warn_at, outside)
