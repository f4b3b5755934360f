"""The nexus check: daily totals and dated rules in, findings out.

For each rule in force on the as-of date that applies to the seller (US
states' economic-nexus tests; VAT and GST registration thresholds abroad,
which depend on where the seller is established, ``home``), :func:`check`
takes the period(s) the rule measures, the sales and transactions it counts
(its basis, its treatment of marketplace sales, the categories it covers, the
places it covers), converts them to the threshold's currency under the FX
policy, and compares them with the threshold the way the rule words it
("more than" or "at least"; sales *or* transactions, or *and*; and, for some
rules, a worldwide turnover as well).

Refunds and chargebacks reduce the sales counted on the day they are made;
they do not reduce the transaction count. Every finding says why.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Iterable, Sequence

from nexus import places
from nexus.errors import RateMissing
from nexus.fx import FX_POLICIES, Rates, RateTable
from nexus.money import format_amount, quantize
from nexus.periods import Period, periods_for
from nexus.presence import Verdict, strongest
from nexus.rules import BASES, Rule, RuleBook
from nexus.sales import Ledger, Profile, paused_gc

#: Statuses, most severe first. Tables and JSON list findings in this order.
STATUSES = ("exceeded", "established", "approaching", "below", "no-rule", "no-sales-tax")
DEFAULT_WARN_AT = Decimal("0.8")
#: Newest rate older than the as-of date by more business days than this: warn.
STALE_RATES_BUSINESS_DAYS = 3
Row = tuple[Profile, dict[date, list]]  # a series of the ledger: (profile, {day: [amount, count]}), shared


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
    """What one period measured for one rule. ``worldwide`` is set for rules with a worldwide test."""

    period: Period
    sales: Decimal
    transactions: int
    met: bool
    ratio: Decimal | None
    crossed_on: date | None
    months: tuple[MonthTotal, ...] = ()
    worldwide: Decimal | None = None


@dataclass(frozen=True)
class Conversion:
    """Which source gave the rates for one currency in one finding, and over which dates."""

    currency: str
    to: str
    source: str
    first_rate: date
    last_rate: date
    days: int


class _Converter:
    """Converts day by day under an FX policy, with one lookup per currency and day, noting sources."""

    def __init__(self, rates: Rates | None, to_code: str, policy: str, windows: list[Period]):
        self.rates, self.to_code, self.policy, self.windows = rates, to_code, policy, windows
        self._cache: dict[tuple[str, date], Decimal] = {}
        self._months: dict[tuple[str, date], Decimal | None] = {}
        self.used: dict[tuple[str, str], list] = {}

    def _note(self, code: str, legs: list[tuple[str, date]]) -> None:
        for source, day in legs:
            seen = self.used.setdefault((code, source), [day, day, 0])
            seen[0], seen[1], seen[2] = min(seen[0], day), max(seen[1], day), seen[2] + 1

    def _daily(self, code: str, day: date) -> Decimal:
        assert self.rates is not None
        factor, legs = self.rates.factor(code, self.to_code, day)
        self._note(code, legs)
        return factor

    def _rate_day(self, code: str, day: date) -> Decimal:
        if self.policy == "period-end":
            end = next((p.end for p in self.windows if day in p), day)
            return self._daily(code, end)
        if self.policy == "monthly-average":
            first = day.replace(day=1)
            if (code, first) not in self._months:  # once per currency and month, not once per day
                self._months[(code, first)] = self._monthly_average(code, first)
            average = self._months[(code, first)]
            if average is not None:
                return average
        return self._daily(code, day)

    def _monthly_average(self, code: str, first: date) -> Decimal | None:
        """The mean of the cross rates on the days rates were published in the month, or None if none were."""
        following = date(first.year + (first.month == 12), first.month % 12 + 1, 1)
        assert self.rates is not None
        published = sorted({d for t in self.rates.tables for c in (code, self.to_code)
                            for d in t.per_eur.get(c, ([], []))[0] if first <= d < following})
        if not published:
            return None
        return sum((self._daily(code, d) for d in published), Decimal(0)) / len(published)

    def __call__(self, amount: Decimal, code: str, day: date) -> Decimal:
        if code == self.to_code:
            return amount
        factor = self._cache.get((code, day))
        if factor is None:
            if self.rates is None:
                raise RateMissing(f"sales in {code} (first on {day}) need exchange rates to {self.to_code}: "
                                  f"run 'nexus rates fetch' once, or pass --rates with an ECB file "
                                  f"(eurofxref-hist.csv) or URL")
            factor = self._cache[(code, day)] = self._rate_day(code, day)
        return amount * factor

    def conversions(self) -> tuple[Conversion, ...]:
        return tuple(Conversion(code, self.to_code, source, first, last, count)
                     for (code, source), (first, last, count) in sorted(self.used.items()))


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


def threshold_met(rule: Rule, sales: Decimal, transactions: int, worldwide: Decimal = Decimal(0)) -> bool:
    """Whether the figures meet ``rule``'s test (and its worldwide test, if it has one)."""
    by_sales = _met(sales, rule.sales_threshold, rule.sales_comparison)
    by_count = _met(transactions, rule.transactions_threshold, rule.transactions_comparison)
    tests = [t for t in (by_sales, by_count) if t is not None]
    local = all(tests) if rule.combine == "and" else any(tests)
    if rule.global_threshold is not None:
        return local and bool(_met(worldwide, rule.global_threshold, rule.global_comparison))
    return local


def _part(value: Decimal, threshold: Decimal) -> Decimal:
    if threshold == 0:  # "no threshold": any sale at all meets it
        return Decimal(1) if value > 0 else Decimal(0)
    return value / threshold


def ratio(rule: Rule, sales: Decimal, transactions: int, worldwide: Decimal = Decimal(0)) -> Decimal:
    """How close to the threshold: the larger part of an OR test, the smaller of an AND test.

    A worldwide test is always an AND: the ratio is the smaller of it and the local one.
    """
    parts = []
    if rule.sales_threshold is not None:
        parts.append(_part(sales, rule.sales_threshold))
    if rule.transactions_threshold is not None:
        parts.append(_part(Decimal(transactions), Decimal(rule.transactions_threshold)))
    local = min(parts) if rule.combine == "and" else max(parts)
    if rule.global_threshold is not None:
        return min(local, _part(worldwide, rule.global_threshold))
    return local


def measure(rule: Rule, period: Period, days: dict[date, list],
            aside: dict[date, dict[str, Decimal]] | None = None,
            worldwide: dict[date, Decimal] | None = None) -> Measure:
    """Sum one period day by day, noting the first day the test was met.

    ``worldwide`` holds all sales (every place, every category) per day, for
    rules that also need a worldwide turnover.
    """
    sales, count, world, crossed = Decimal(0), 0, Decimal(0), None
    for day in sorted(d for d in set(days) | set(worldwide or {}) if d in period):
        sales += days.get(day, (Decimal(0), 0))[0]
        count += days.get(day, (Decimal(0), 0))[1]
        world += (worldwide or {}).get(day, Decimal(0))
        if crossed is None and threshold_met(rule, sales, count, world):
            crossed = day
    met = threshold_met(rule, sales, count, world) or crossed is not None
    return Measure(period, sales, count, met, ratio(rule, sales, count, world), crossed,
                   _months(period, days, aside or {}), world if worldwide is not None else None)


def _months(period: Period, days: dict[date, list], aside: dict[date, dict[str, Decimal]]) -> tuple[MonthTotal, ...]:
    """The period month by month: sales, transactions and what was set aside, each day summed once."""
    by_month: dict[date, list] = {}
    for day, (sales, count) in days.items():
        if day in period:
            total = by_month.setdefault(day.replace(day=1), [Decimal(0), 0])
            total[0] += sales
            total[1] += count
    aside_by_month: dict[date, dict[str, Decimal]] = {}
    for day, noted in aside.items():
        if day in period:
            month = aside_by_month.setdefault(day.replace(day=1), {})
            for why, value in noted.items():
                month[why] = month.get(why, Decimal(0)) + value
    months = []
    start = period.start
    while start <= period.end:
        following = date(start.year + (start.month == 12), start.month % 12 + 1, 1)
        first = start.replace(day=1)
        sales, count = by_month.get(first, (Decimal(0), 0))
        months.append(MonthTotal(start, min(period.end, following - timedelta(days=1)), sales, count,
                                 aside_by_month.get(first, {})))
        start = following
    return tuple(months)


def _collect(rule: Rule, rows: Iterable[tuple[Any, ...]], convert: _Converter, windows: list[Period]):
    """Counted sales per day (converted), and per day what was left out or netted, and why.

    ``rows`` are the ledger's series of the places the rule covers: (profile, {day: [amount, count]}).
    Each profile is judged once; amounts are summed per day, currency and reason first, and each sum
    converted once. The inner loop runs once per daily total (half a million for ten million orders),
    so it is kept lean.
    """
    start, end = min(p.start for p in windows), max(p.end for p in windows)
    summed: dict[tuple[str, str | None], dict[date, list]] = {}
    for (_place, code, channel, kind, exempt, category), series in rows:
        why = _counts(rule, channel, exempt, category)
        if why is None and kind != "sale":
            why = "refunds"  # counted, but worth showing: refunds and chargebacks reduce the sales
        bucket = summed.setdefault((code, why), {})
        for day, (amount, count) in series.items():
            if start <= day <= end:
                total = bucket.get(day)
                if total is None:
                    bucket[day] = [amount, count]
                else:
                    total[0] += amount
                    total[1] += count
    days: dict[date, list] = {}
    aside: dict[date, dict[str, Decimal]] = {}
    for (code, why), by_day in summed.items():
        for day, (amount, count) in by_day.items():
            value = convert(amount, code, day)
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




@dataclass(frozen=True)
class Finding:
    """The verdict for one jurisdiction (and scheme) at the as-of date."""

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
    conversions: tuple[Conversion, ...] = ()
    scheme: str = ""
    presence: tuple[Verdict, ...] = ()
    #: Shipping and handling included in the sales counted in ``period``, and the tax charged on them, in the
    #: rule's currency (None without a rule or period): shipping counts with the sale; tax charged never does.
    shipping: Decimal | None = None
    tax_charged: Decimal | None = None
    #: Platforms whose refunds in this jurisdiction came as a running total on the order, without a date, and
    #: were counted on the order's date.
    undated_refunds: tuple[str, ...] = ()

    @property
    def presence_verdict(self) -> str | None:
        """The strongest verdict of the presence items in this jurisdiction, or None."""
        return strongest(v.verdict for v in self.presence)

    @property
    def sources(self) -> tuple[str, ...]:
        return self.rule.sources if self.rule else ()

    @property
    def label(self) -> str:
        """``DE (non-Union OSS / IOSS)``: the code, with the scheme where a place has several tests."""
        return f"{self.jurisdiction} ({self.scheme})" if self.scheme else self.jurisdiction

    def severity(self) -> tuple[int, Decimal]:
        return STATUSES.index(self.status), -(self.ratio or Decimal(0))


@dataclass(frozen=True)
class CheckResult:
    """Findings for one as-of date, and the account of the input."""

    as_of: date
    findings: tuple[Finding, ...]
    ledger: Ledger
    rates: Rates | None
    warn_at: Decimal
    outside_rules: tuple[str, ...]
    home: str | None = None
    fx_policy: str = "daily"
    warnings: tuple[str, ...] = ()

    def count(self, status: str) -> int:
        return sum(1 for f in self.findings if f.status == status)


def _money(amount: Decimal, code: str) -> str:
    return f"{code} {format_amount(amount, code)}"


def _reasons(rule: Rule, status: str, chosen: Measure, excluded: dict[str, Decimal]) -> list[str]:
    code = rule.currency
    sales = _money(chosen.sales, code)
    label = chosen.period.label
    test = rule.describe_threshold()
    since = f"rule in force since {rule.effective_from}"
    what = rule.name if rule.tax == "sales tax" else f"{rule.name} {rule.tax}"
    kind = "economic-nexus test" if rule.tax == "sales tax" else "registration test"
    world = f" and worldwide sales of {_money(chosen.worldwide, code)}" if chosen.worldwide is not None else ""
    if status == "exceeded" and rule.sales_threshold == 0:
        first = (f"Potential exposure: {what} has no registration threshold for this seller ({test}); sales of "
                 f"{sales}{world} in {label}, the first on {chosen.crossed_on} ({since}).")
    elif status == "exceeded":
        first = (f"Potential exposure: {what}'s {kind} ({test}) is met by sales of {sales}{world} "
                 f"and {chosen.transactions} transactions in {label}; crossed on {chosen.crossed_on} ({since}).")
    elif status == "approaching":
        first = (f"Potential exposure approaching: sales of {sales}{world} and {chosen.transactions} transactions "
                 f"in {label} reach {chosen.ratio:.0%} of {what}'s test ({test}; {since}).")
    else:
        first = (f"Below {what}'s test ({test}): sales of {sales}{world} and {chosen.transactions} transactions "
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


def check_rule(rule: Rule, rows: list[Row], as_of: date, rates: Rates | None,
               warn_at: Decimal = DEFAULT_WARN_AT, policy: str = "daily",
               worldwide_sales: dict[tuple[date, str], Decimal] | None = None) -> Finding:
    """Apply one rule to the daily rows of the places it covers."""
    if not rule.sales_tax:
        return Finding(rule.jurisdiction, rule.name, "no-sales-tax", rule.currency, Decimal(0), 0, None, None, None,
                       (f"{rule.name} levies no general sales tax: no economic-nexus threshold applies.",),
                       rule)
    windows = periods_for(rule.period or "", as_of)
    convert = _Converter(rates, rule.currency, policy, windows)
    days, aside = _collect(rule, rows, convert, windows)
    worldwide = None
    if rule.global_threshold is not None and worldwide_sales is not None and days:
        worldwide = _worldwide(worldwide_sales, convert, windows)
    measures = [measure(rule, p, days, aside, worldwide if rule.global_threshold is not None else None)
                for p in windows]
    met = [m for m in measures if m.met]
    if met:
        chosen, status = met[0], "exceeded"
    else:
        chosen = max(reversed(measures), key=lambda m: m.ratio or 0)  # on a tie, the latest period
        status = "approaching" if (chosen.ratio or 0) >= warn_at else "below"
    excluded = _aside_in(chosen.period, aside)
    return Finding(
        jurisdiction=rule.jurisdiction, name=rule.name, status=status, currency=rule.currency,
        sales=quantize(chosen.sales, rule.currency), transactions=chosen.transactions,
        ratio=(chosen.ratio or Decimal(0)).quantize(Decimal("0.0001")), period=chosen.period,
        crossed_on=chosen.crossed_on, reasons=tuple(_reasons(rule, status, chosen, excluded)), rule=rule,
        measures=tuple(measures), excluded={k: quantize(v, rule.currency) for k, v in excluded.items()},
        conversions=convert.conversions(), scheme=rule.scheme,
    )


def _worldwide(by_day: dict[tuple[date, str], Decimal], convert: _Converter,
               windows: list[Period]) -> dict[date, Decimal]:
    """All sales, every place and category, net of refunds, per day, in the rule's currency.

    ``by_day`` is :meth:`Ledger.by_day_and_currency`: each day's sales per currency, converted once.
    """
    start, end = min(p.start for p in windows), max(p.end for p in windows)
    totals: dict[date, Decimal] = {}
    for (day, code), amount in by_day.items():
        if start <= day <= end:
            totals[day] = totals.get(day, Decimal(0)) + convert(amount, code, day)
    return totals


def _member_findings(rule: Rule, scheme: Finding, rows: list[Row], rates: Rates | None,
                     policy: str) -> list[Finding]:
    """One finding per member state with sales, under the status of the scheme's own test."""
    members = sorted({row[0][0] for row in rows})
    period = scheme.period
    if period is None:
        return []
    found = []
    for member in members:
        member_rows = [r for r in rows if r[0][0] == member]
        convert = _Converter(rates, rule.currency, policy, [period])
        days, aside = _collect(rule, member_rows, convert, [period])
        m = measure(rule, period, days, aside)
        if m.sales == 0 and m.transactions == 0:
            continue
        first_sale = min((d for d in days if d in period), default=None)
        if scheme.status == "exceeded":
            why = (f"Potential exposure: {rule.tax} of {places.name(member)} is due on these sales because the "
                   f"{rule.name} test ({rule.describe_threshold()}) is exceeded; sales into {places.name(member)} "
                   f"of {_money(m.sales, rule.currency)} in {period.label}, the first on {first_sale}.")
        else:
            why = (f"{rule.name} test ({rule.describe_threshold()}) is {scheme.status}: sales into "
                   f"{places.name(member)} of {_money(m.sales, rule.currency)} in {period.label} stay taxed "
                   f"where the seller is established.")
        found.append(Finding(member, places.name(member), scheme.status, rule.currency,
                             quantize(m.sales, rule.currency), m.transactions, scheme.ratio, period,
                             first_sale if scheme.status == "exceeded" else None, (why,) + scheme.reasons[1:],
                             rule, (m,), {k: quantize(v, rule.currency) for k, v in _aside_in(period, aside).items()},
                             convert.conversions(), rule.scheme))
    return found


def _established(finding: Finding, home: str) -> Finding:
    tax = finding.rule.tax if finding.rule else "tax"
    reason = (f"Established in {places.name(home)} (--home {home}): nexus by establishment or physical presence, "
              f"whatever the sales; register and account for {tax} there.")
    return Finding(finding.jurisdiction, finding.name, "established", finding.currency, finding.sales,
                   finding.transactions, finding.ratio, finding.period, None, (reason,) + finding.reasons,
                   finding.rule, finding.measures, finding.excluded, finding.conversions, finding.scheme)


def _with_charges(finding: Finding, ledger: Ledger, sold_to: list[str], rates: Rates | None, policy: str,
                  home: str | None) -> Finding:
    """The finding with the shipping and tax charged on the sales it counts in its period (the ledger's
    ``charges``), and the platforms whose refunds in its places were counted on the order's date."""
    rule, period = finding.rule, finding.period
    if rule is None or period is None:
        return finding
    member = finding.jurisdiction != rule.jurisdiction and finding.jurisdiction in sold_to
    covered = {finding.jurisdiction} if member else {p for p in sold_to if rule.covers(p, home)}
    convert = _Converter(rates, rule.currency, policy, [period])
    shipping, tax = Decimal(0), Decimal(0)
    for (place, code, channel, _kind, exempt, category), days in ledger.charges.items():
        if place not in covered or _counts(rule, channel, exempt, category) is not None:
            continue
        for day, (shipped, taxed) in days.items():
            if day in period:
                shipping += convert(shipped, code, day) if shipped else 0
                tax += convert(taxed, code, day) if taxed else 0
    undated = sorted(set().union(*(ledger.undated_refunds.get(p, set()) for p in covered)))
    return replace(finding, shipping=quantize(shipping, rule.currency), tax_charged=quantize(tax, rule.currency),
                   undated_refunds=tuple(undated))


def _is_home(place: str, home: str | None) -> bool:
    return bool(home) and (place == home or home.startswith(place + "-"))  # type: ignore[union-attr]


def _no_rule(book: RuleBook, jurisdiction: str, as_of: date) -> Finding:
    history = book.history(jurisdiction)
    later = [r.effective_from for r in history if r.effective_from > as_of]
    name = history[0].name if history else jurisdiction
    when = f"; its first took effect {min(later)}" if later else ""
    return Finding(jurisdiction, name, "no-rule", history[0].currency if history else "USD", Decimal(0), 0, None,
                   None, None, (f"{name} had no registration rule in force on {as_of}{when}.",), None)


def _with_presence(findings: list[Finding], presence: Sequence[Verdict]) -> list[Finding]:
    """Attach each presence item to its place's findings; add a finding for a place with presence only."""
    if not presence:
        return findings
    by_place: dict[str, list[Verdict]] = {}
    for verdict in presence:
        by_place.setdefault(verdict.jurisdiction, []).append(verdict)
    out = [replace(f, presence=tuple(by_place.get(f.jurisdiction, ()))) for f in findings]
    have = {f.jurisdiction for f in out}
    for place in sorted(set(by_place) - have):
        out.append(Finding(place, places.name(place), "below", "", Decimal(0), 0, None, None, None,
                           (f"No sales into {places.name(place)} in the periods measured, and no registration rule "
                            f"applied; the presence test is shown beside it.",), None, presence=tuple(by_place[place])))
    return out


def _business_days_between(start: date, end: date) -> int:
    days, count = start, 0
    while days < end:
        days += timedelta(days=1)
        count += days.weekday() < 5
    return count


#: A silence in the orders longer than this many times the usual spacing (and at least a week) is flagged.
GAP_FACTOR = 5
MIN_GAP_DAYS = 7


def _usual_spacing(days: Sequence[date]) -> float:
    """The median number of days between one day with orders and the next."""
    steps = sorted((b - a).days for a, b in zip(days, days[1:]))
    return float(steps[len(steps) // 2]) if steps else 1.0


def input_warnings(ledger: Ledger, as_of: date) -> list[str]:
    """Exports cut short or late: silences in the orders, an export ending before the as-of date, future rows.

    An export cut short by an outage or a maintenance window understates exposure, so the check says where
    the orders stop or pause for much longer than usual, overall and for the busiest places.
    """
    warnings = []
    future = sum(n for d, n in ledger.rows_by_day.items() if d > as_of)
    if future:
        warnings.append(f"{future} rows are dated after the as-of date {as_of} and were not counted")
    days = sorted(d for d in ledger.rows_by_day if d <= as_of)
    if len(days) < 2:
        return warnings
    limit = max(MIN_GAP_DAYS, GAP_FACTOR * _usual_spacing(days))
    gaps = sorted(((b - a).days, a, b) for a, b in zip(days, days[1:]) if (b - a).days > limit)
    for length, a, b in reversed(gaps[-3:]):
        warnings.append(f"no orders at all between {a} and {b} ({length - 1} days) although they usually come every "
                        f"{_usual_spacing(days):g} day(s): is an export missing or cut short?")
    if (as_of - days[-1]).days > limit:
        warnings.append(f"the orders end on {days[-1]}, {(as_of - days[-1]).days} days before the as-of date "
                        f"{as_of}: is the latest export missing?")
    by_place: dict[str, set[date]] = {}
    for key, series in ledger.series.items():
        by_place.setdefault(key[0], set()).update(series)
    quiet = []
    for place, seen in by_place.items():
        ordered = sorted(d for d in seen if d <= as_of)
        spacing = _usual_spacing(ordered)
        if len(ordered) < 100 or spacing > 1:
            continue  # a quiet place has long silences by chance; only places with daily orders are watched
        for a, b in zip(ordered, ordered[1:]):
            if (b - a).days > max(3 * MIN_GAP_DAYS, GAP_FACTOR * spacing) and not any(g[1] <= a and b <= g[2]
                                                                                      for g in gaps):
                quiet.append(((b - a).days, place, a, b, spacing))
    for length, place, a, b, spacing in sorted(quiet, reverse=True)[:3]:
        warnings.append(f"no orders into {place} between {a} and {b} ({length - 1} days) although they usually "
                        f"come every {spacing:g} day(s)")
    return warnings


def rate_warnings(rates: Rates | None, as_of: date) -> list[str]:
    """A warning when the newest rate is older than the as-of date by more than a few business days."""
    latest = rates.latest() if rates else None
    if latest is None or latest >= as_of:
        return []
    gap = _business_days_between(latest, as_of)
    if gap <= STALE_RATES_BUSINESS_DAYS:
        return []
    return [f"the newest exchange rate ({rates.source}) is from {latest}, {gap} business days before "  # type: ignore
            f"{as_of}: sales after it are converted at that rate; run 'nexus rates fetch' or pass newer --rates"]


def check(ledger: Ledger, book: RuleBook, as_of: date, rates: Rates | RateTable | None = None,
          warn_at: Decimal = DEFAULT_WARN_AT, all_jurisdictions: bool = False, home: str | None = None,
          fx_policy: str = "daily", presence: Sequence[Verdict] = ()) -> CheckResult:
    """Findings for every rule whose places have sales (every applicable rule if ``all_jurisdictions``).

    ``home`` is where the seller is established (``DE``, ``US-CA``): it picks
    the rules for established or non-established sellers, and marks the home
    jurisdiction ``established``. ``presence`` (from :func:`nexus.presence.assess`)
    is attached to the findings of the places it sits in; a place with presence
    but no sales still gets a finding.
    """
    with paused_gc():
        return _check(ledger, book, as_of, rates, warn_at, all_jurisdictions, home, fx_policy, presence)


def _check(ledger: Ledger, book: RuleBook, as_of: date, rates: Rates | RateTable | None, warn_at: Decimal,
           all_jurisdictions: bool, home: str | None, fx_policy: str, presence: Sequence[Verdict]) -> CheckResult:
    if isinstance(rates, RateTable):
        rates = Rates([rates])
    if fx_policy not in FX_POLICIES:
        raise ValueError(f"fx_policy must be one of {FX_POLICIES}")
    by_place: dict[str, list[Row]] = {}
    for row in ledger.series.items():
        by_place.setdefault(row[0][0], []).append(row)
    sold_to = set(by_place)
    findings: list[Finding] = []
    covered: set[str] = set()
    present = {v.jurisdiction for v in presence}
    for rule in book.applicable(as_of, home):
        places_covered = [p for p in by_place if rule.covers(p, home)]
        mine = [r for p in places_covered for r in by_place[p]]
        covered |= set(places_covered)
        if not mine and not all_jurisdictions and not _is_home(rule.jurisdiction, home) \
                and rule.jurisdiction not in present:
            continue
        finding = check_rule(rule, mine, as_of, rates, warn_at, fx_policy,
                             ledger.by_day_and_currency() if rule.global_threshold is not None else None)
        findings.append(_established(finding, home) if home and _is_home(rule.jurisdiction, home) else finding)
        if rule.member_findings:
            findings += _member_findings(rule, finding, mine, rates, fx_policy)
    known = set(book.jurisdictions())
    for place in sorted(sold_to - covered):
        if _is_home(place, home):  # sales at home that no rule for outsiders covers (DE for a German seller)
            findings.append(_established(Finding(place, places.name(place), "below", "", Decimal(0), 0, None,
                                                 None, None, (), None), home))  # type: ignore[arg-type]
        elif place in known:
            findings.append(_no_rule(book, place, as_of))
    findings = _with_presence(findings, presence)
    findings = [_with_charges(f, ledger, list(by_place), rates, fx_policy, home) for f in findings]
    findings.sort(key=lambda f: (f.severity(), f.jurisdiction, f.scheme))
    outside = tuple(sorted(p for p in sold_to - covered if p not in known and not _is_home(p, home)))
    return CheckResult(as_of, tuple(findings), ledger, rates, warn_at, outside, home, fx_policy,
                       tuple(input_warnings(ledger, as_of) + rate_warnings(rates, as_of)))
