"""How a rule's test measures sales: which sales it counts, their daily sums in its currency, the period's
totals, the ratio to the threshold and the day it was met.

:mod:`nexus.check` asks this of every rule in force; :mod:`nexus.windows` dates each nexus from the same sums.
A sale a rule does not count is never dropped: it is set aside under the reason why (:func:`aside_reason`), so
that every finding can say how much each reason left out.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from functools import lru_cache
from typing import Any, Callable, Sequence

from nexus.categories import UNKNOWN
from nexus.errors import RateMissing
from nexus.fx import Rates
from nexus.periods import Period, next_month
from nexus.rules import CATEGORIES, Rule
from nexus.ledger import add_days

ZERO = Decimal(0)


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
    #: False when the whole month lies before the first order in the input: its figures are unknown, not 0.
    covered: bool = True


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
    #: The first day with orders when it falls after the period's start (days before it are not covered by
    #: the data); None when the data cover the whole period.
    covered_from: date | None = None

    @property
    def covered(self) -> str:
        """``all``, ``part`` or ``none`` of the period is covered by the orders read."""
        if self.covered_from is None:
            return "all"
        return "none" if self.covered_from > self.period.end else "part"


@dataclass(frozen=True)
class Conversion:
    """Which source gave the rates for one currency in one finding, and over which dates."""

    currency: str
    to: str
    source: str
    first_rate: date
    last_rate: date
    days: int


class Converter:
    """Converts day by day under an FX policy, with one lookup per currency and day, noting sources."""

    def __init__(self, rates: Rates | None, to_code: str, policy: str, windows: Sequence[Period]):
        self.rates, self.to_code, self.policy, self.windows = rates, to_code, policy, windows
        self._cache: dict[tuple[str, date], Decimal] = {}
        self._months: dict[tuple[str, date], Decimal | None] = {}
        self.used: dict[tuple[str, str], list] = {}
        # Under daily rates each currency and day converted is one rate looked up, so the rates used are read from
        # the cache when :meth:`conversions` asks, not noted at each lookup: most converters (those of the dates,
        # the estimates, the worldwide sums) are never asked, and a check makes tens of thousands of lookups.
        self._noted_later = policy == "daily"

    def _note(self, code: str, legs: Sequence[tuple[str, date]],
              used: dict[tuple[str, str], list] | None = None) -> None:
        """Note one lookup of ``code``'s rate under each source that gave a leg of it (the BHD's treasury file and
        the ECB's dollar both named), once per source: both legs of a yen-to-dollar lookup come from the ECB's file,
        and counting each counted every day twice (23 days of yen sales read 46)."""
        noted: set[str] = set()
        for source, day in legs:  # the currency's own leg first, so its rate's date is the one noted
            if source in noted:
                continue
            noted.add(source)
            seen = (self.used if used is None else used).setdefault((code, source), [day, day, 0])
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
        """The mean of the cross rates on the days both currencies' rates were published in the month, up to the
        check's last day (a check of a past day uses no later rate), or None if there were none.

        A day only one of the two was published on is no cross rate of that day: it was counted with the other's
        last rate carried over (a gap day, a currency the ECB stopped publishing), and a sparse rates file was
        refused for a day with no sale."""
        following = next_month(first)
        until = max((p.end for p in self.windows), default=None)
        rates = self.rates
        assert rates is not None

        def days_of(currency: str) -> set[date] | None:  # None for the euro, which every day's rates are against
            if currency == "EUR":
                return None
            return {d for t in rates.tables for d in t.per_eur.get(currency, ([], []))[0]
                    if first <= d < following and (until is None or d <= until)}

        sides = [found for found in (days_of(code), days_of(self.to_code)) if found is not None]
        published = sorted(set.intersection(*sides)) if sides else []
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
            if self._noted_later:
                factor = self._cache[(code, day)] = self.rates.factor(code, self.to_code, day)[0]
            else:
                factor = self._cache[(code, day)] = self._rate_day(code, day)
        return amount * factor

    def conversions(self) -> tuple[Conversion, ...]:
        used = self.used
        if self._noted_later and self._cache:
            assert self.rates is not None
            used = {}
            for code, day in self._cache:  # each was one daily lookup (the factors are the rates' own, kept)
                self._note(code, self.rates.factor(code, self.to_code, day)[1], used)
        return tuple(Conversion(code, self.to_code, source, first, last, count)
                     for (code, source), (first, last, count) in sorted(used.items()))


#: Why a domestic test's sale abroad is, or is not, in its figure (:attr:`nexus.rules.SalesAbroad`): the verdict's
#: key in a finding's ``excluded``. ``abroad`` is counted (noted, as refunds are); the others are left out.
ABROAD_KEYS = {"counted": "abroad", "not_counted": "abroad_out_of_scope", "unknown": "abroad_unknown"}
#: Reasons under which amounts are counted and also noted, so that a finding can say how much of its figure they are.
NOTED = ("refunds", "abroad")
#: Why a sale is left out of a first-sale rule's figure: made before the rule reached its category (Rule.reaches_from).
BEFORE_RULE = "before_rule"


def _add(buckets: Buckets, key: tuple[str, str | None], series: dict[date, list]) -> None:
    bucket = buckets.get(key)
    if bucket is None:  # the first series of a bucket copied whole, in one comprehension
        buckets[key] = {day: [amount, count] for day, (amount, count) in series.items()}
    else:
        add_days(bucket, series)


def aside_reason(rule: Rule, channel: str, exempt: str, category: str, abroad: bool = False) -> str | None:
    """None if the rule counts this kind of sale; otherwise why it does not. A line of unknown category counts
    only under a rule that counts every category (its category cannot change the figure). A sale ``abroad`` (to a
    customer outside the country of a domestic test) is counted by its category's verdict: ``abroad`` where it
    counts, else why not (:data:`ABROAD_KEYS`). A marketplace is the deemed supplier (``marketplace_deemed``) by the
    law of the rule's own country, so only of the sales made there: a Canadian seller's goods sold through a
    marketplace to customers abroad are its own exports."""
    if category not in rule.categories and not (category == UNKNOWN and set(CATEGORIES) <= set(rule.categories)):
        return "unknown" if category == UNKNOWN else "category"
    if channel == "marketplace" and (rule.marketplace == "excluded"
                                     or (category in rule.marketplace_deemed and not abroad)):
        return "marketplace"
    if rule.basis == "retail" and exempt == "resale":
        return "resale"
    if rule.basis == "taxable" and exempt != "no":
        return "resale" if exempt == "resale" else "exempt"
    if abroad and rule.sales_abroad is not None:
        return ABROAD_KEYS[rule.sales_abroad.verdict(category)]
    return None


def in_figure(why: str | None) -> bool:
    """Whether an amount noted under ``why`` (a :func:`counting` answer) is in the test's figure."""
    return why is None or why in NOTED


def threshold_met(rule: Rule, sales: Decimal, transactions: int, worldwide: Decimal = Decimal(0)) -> bool:
    """Whether the figures meet ``rule``'s test (and its worldwide test, if it has one)."""
    return threshold_test(rule)(sales, transactions, worldwide)


Test = Callable[[Decimal, int, Decimal], bool]
"""One rule's test: whether sales, transactions and worldwide sales meet it (:func:`threshold_test`)."""


def _compared(threshold: Decimal | int | None, comparison: str | None) -> Callable[[Any], bool] | None:
    if threshold is None:
        return None
    if comparison == "more_than":
        return lambda value: value > threshold  # type: ignore[operator]
    return lambda value: value >= threshold  # type: ignore[operator]


def threshold_test(rule: Rule) -> Test:
    """``rule``'s test as a function of the figures, its thresholds and comparisons read once: the dating of a
    nexus asks it of every day of every window (tens of thousands of times a check), :func:`threshold_met` once.

    Sales *and* transactions where the rule combines them so, else either (a rule with neither threshold is met
    under "and", never under "or"); a worldwide test, where the rule has one, must be met as well.
    """
    by_sales = _compared(rule.sales_threshold, rule.sales_comparison)
    by_count = _compared(rule.transactions_threshold, rule.transactions_comparison)
    both = rule.combine == "and"
    local: Callable[[Decimal, int], bool]
    if by_sales is not None and by_count is not None:
        local = ((lambda s, c: by_sales(s) and by_count(c)) if both  # type: ignore[misc]
                 else (lambda s, c: by_sales(s) or by_count(c)))  # type: ignore[misc]
    elif by_sales is not None:
        local = lambda s, c: by_sales(s)  # noqa: E731
    elif by_count is not None:
        local = lambda s, c: by_count(c)  # noqa: E731
    else:
        local = lambda s, c: both  # noqa: E731
    world = _compared(rule.global_threshold, rule.global_comparison) if rule.global_threshold is not None else None
    if world is None:
        def test(sales: Decimal, transactions: int, worldwide: Decimal = ZERO) -> bool:
            return local(sales, transactions)
        return test
    world_test = world

    def test_worldwide(sales: Decimal, transactions: int, worldwide: Decimal = ZERO) -> bool:
        return local(sales, transactions) and world_test(worldwide)
    return test_worldwide


def _part(value: Decimal, threshold: Decimal) -> Decimal:
    if threshold == 0:  # "no threshold": any sale at all meets it
        return Decimal(1) if value > 0 else Decimal(0)
    return value / threshold


def shown_share(share: Decimal) -> Decimal:
    """A share of a threshold as every report prints it: whole percent, rounded down, so that no place reads as
    having reached a level it has not (79.6% prints 79% beside "below" an 80% approaching level, 99.97% is not
    100%). The JSON keeps the exact ratio."""
    return (share * 100).to_integral_value(rounding=ROUND_FLOOR) / 100


def stored_ratio(value: Decimal) -> Decimal:
    """A ratio to the four decimals a finding keeps (and the JSON writes), rounded down as :func:`shown_share`
    rounds: USD 99,999.99 of an "at least USD 100,000" test is 0.9999, never 1.0000 ("at the threshold") while the
    test is not met."""
    return value.quantize(Decimal("0.0001"), rounding=ROUND_FLOOR)


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


def decided_by_transactions(rule: Rule, sales: Decimal, transactions: int) -> bool:
    """Whether the transaction count, not the sales, gives :func:`ratio` for a test of both (Kentucky's "> USD
    100,000 or >= 200 transactions" at 98% with USD 56,271.16 and 197 transactions): a share printed beside the sales
    must say so, or it reads as 98% of USD 100,000. Never for a worldwide test, whose ratio may be its own."""
    if rule.sales_threshold is None or rule.transactions_threshold is None or rule.global_threshold is not None:
        return False
    by_sales = _part(sales, rule.sales_threshold)
    by_count = _part(Decimal(transactions), Decimal(rule.transactions_threshold))
    return by_count < by_sales if rule.combine == "and" else by_count > by_sales


def measure(rule: Rule, period: Period, days: dict[date, list],
            aside: dict[date, dict[str, Decimal]] | None = None,
            worldwide: dict[date, Decimal] | None = None, data_from: date | None = None,
            at_end: bool = False) -> Measure:
    """Sum one period day by day, noting the first day the test was met.

    ``worldwide`` holds all sales (every place, every category) per day, for
    rules that also need a worldwide turnover. ``data_from`` is the first day
    with orders in the input: the days of the period before it are not covered
    by the data, and the measure says so rather than counting them as no sales.
    ``at_end``: the rule makes its test only at the period's end (a month or quarter end, :data:`QUARTER_END_PERIODS`),
    so a running total that passed the threshold within the period and fell back by its end never met it.
    """
    covered_from = data_from if data_from is not None and data_from > period.start else None
    sales, count, world, crossed = Decimal(0), 0, Decimal(0), None
    start, end, nothing, world_days = period.start, period.end, (Decimal(0), 0), worldwide or {}
    test = threshold_test(rule)
    for day in sorted(d for d in (set(days) | set(world_days) if world_days else days) if start <= d <= end):
        total = days.get(day, nothing)
        sales += total[0]
        count += total[1]
        if worldwide is not None:
            world += world_days.get(day, Decimal(0))
        if crossed is None and test(sales, count, world):
            crossed = day
    met = test(sales, count, world) or (crossed is not None and not at_end)
    crossed = crossed if met else None
    return Measure(period, sales, count, met, ratio(rule, sales, count, world), crossed,
                   _months(period, days, aside or {}, covered_from), world if worldwide is not None else None,
                   covered_from)


@lru_cache(maxsize=8192)
def _first_of(day: date) -> date:
    """The first day of ``day``'s month (cached: every rule and period asks it of the same few hundred days)."""
    return day.replace(day=1)


def _months(period: Period, days: dict[date, list], aside: dict[date, dict[str, Decimal]],
            covered_from: date | None = None) -> tuple[MonthTotal, ...]:
    """The period month by month: sales, transactions and what was set aside, each day summed once.

    A month that ends before ``covered_from`` (the first day with orders) is marked not covered.
    """
    by_month: dict[date, list] = {}
    start, end = period.start, period.end
    # The days come mostly in order: a day inside the month of the one before keeps its total, the rest look it up.
    month_from = month_to = date.max
    total: list = []  # the month's [sales, transactions], found again whenever the month changes
    for day, (sales, count) in days.items():
        if start <= day <= end:
            if not month_from <= day < month_to:
                month_from = _first_of(day)
                month_to = next_month(month_from)
                total = by_month.setdefault(month_from, [Decimal(0), 0])
            total[0] += sales
            total[1] += count
    aside_by_month: dict[date, dict[str, Decimal]] = {}
    month_from = month_to = date.max
    for day, noted in aside.items():
        if start <= day <= end:
            if not month_from <= day < month_to:
                month_from = _first_of(day)
                month_to = next_month(month_from)
                month = aside_by_month.setdefault(month_from, {})
            for why, value in noted.items():
                month[why] = month.get(why, Decimal(0)) + value
    months = []
    start = period.start
    while start <= period.end:
        following = next_month(start)
        first = start.replace(day=1)
        sales, count = by_month.get(first, (Decimal(0), 0))
        last = min(period.end, following - timedelta(days=1))
        months.append(MonthTotal(start, last, sales, count, aside_by_month.get(first, {}),
                                 covered_from is None or last >= covered_from))
        start = following
    return tuple(months)


Sums = dict[tuple[Any, ...], tuple[Any, Any]]
"""Daily sums already added up, shared by the rules of one check (see :func:`summed`)."""


Buckets = dict[tuple[str, "str | None"], dict[date, list]]
"""Daily amounts and transactions under (currency, why not counted): see :func:`summed`."""


def _counts(rule: Rule) -> tuple[Any, ...]:
    """What a version counts (with what a marketplace is deemed to supply itself)."""
    abroad = (rule.jurisdiction, rule.sales_abroad) if rule.sales_abroad is not None else None
    # What a marketplace is deemed to supply is the marketplace's only in the rule's own country (aside_reason).
    deemed = (rule.jurisdiction, rule.marketplace_deemed) if rule.marketplace_deemed else None
    return rule.categories, rule.marketplace, rule.basis, abroad, deemed


def _counting(rule: Rule, rows: Sequence[tuple[Any, ...]]) -> tuple[Any, ...]:
    """What :func:`summed` depends on: what the rule counts, and, where it counts earlier days as then, what each
    earlier version counted and from when (:meth:`Rule.counting_on`), and which series (by identity: the ledger's
    own)."""
    then = tuple((v.effective_from, _counts(v)) for v in rule.earlier)
    return (_counts(rule), rule.reaches_from, (rule.effective_from, then) if then else (),
            tuple(id(series) for _profile, series in rows))


def by_version(rule: Rule, series: dict[date, Any]) -> list[tuple[Rule, dict[date, Any]]]:
    """``series`` (a place's daily figures) cut by the version whose terms count each day (:meth:`Rule.counting_on`):
    whole under ``rule`` unless it counts earlier days as then and the series reaches before it took effect."""
    if not rule.earlier or not series or min(series) >= rule.effective_from:
        return [(rule, series)]
    parts: dict[int, tuple[Rule, dict[date, Any]]] = {}
    for day, value in series.items():
        version = rule.counting_on(day)
        parts.setdefault(id(version), (version, {}))[1][day] = value
    return list(parts.values())


def summed(rule: Rule, rows: Sequence[tuple[Any, ...]], sums: Sums | None = None) -> Buckets:
    """The amounts and transactions of ``rows`` summed per day under (currency, why not counted), every day.

    ``rows`` are the ledger's series of the places a rule covers: (profile, {day: [amount, count]}). Each
    profile is judged once, or once per version where the rule counts earlier days as the version then in force
    counted them (:func:`by_version`: Japan's base period, which holds the platform sales of the days before
    2025-04-01 as the seller's own). The result depends only on the rows and on what the rule counts (its categories,
    marketplace and basis), so a check keeps it in ``sums`` for the next rule version, or the timing of the
    same rule, that asks for it: this loop runs once per daily total (half a million for ten million orders).
    """
    key = _counting(rule, rows)
    if sums is not None and key in sums:
        return sums[key][1]
    summed: Buckets = {}
    for (place, code, channel, kind, exempt, category), whole in rows:
        for version, series in by_version(rule, whole):  # each day counted as the version it falls under counts it
            why = aside_reason(version, channel, exempt, category, version.abroad(place))
            if why is None and kind != "sale":
                why = "refunds"  # counted, but worth showing: refunds and chargebacks reduce the sales
            # (a sale abroad and its refunds stay together under 'abroad': the figure's part abroad is net of them)
            reached = rule.reached_on(category) if in_figure(why) else None
            if reached is not None and any(day < reached for day in series):
                # A first-sale rule's figure holds only the sales it reached (Rule.reaches_from): the earlier aside.
                _add(summed, (code, BEFORE_RULE), {d: v for d, v in series.items() if d < reached})
                series = {d: v for d, v in series.items() if d >= reached}
            _add(summed, (code, why), series)
    if sums is not None:
        sums[key] = (rows, summed)  # the rows stay referenced, so that the ids in the key stay theirs
    return summed


def collect(rule: Rule, rows: Sequence[tuple[Any, ...]], convert: Converter, windows: Sequence[Period],
            sums: Sums | None = None):
    """Counted sales per day (converted), and per day what was left out or netted, and why.

    Amounts are summed per day, currency and reason first (:func:`summed`), and each sum within the windows
    converted once, in the order the days were first met.

    Under daily rates the result depends only on those sums, the currency and the first and last day, so a check
    keeps it in ``sums``: the dating of a rule's current version asks again for the days its check measured (the
    same two calendar years, for most rules), read-only. The converter that asks again is given the rates the
    first one looked up, so that the rates it names (:meth:`Converter.conversions`) are the same.
    """
    start, end = min(p.start for p in windows), max(p.end for p in windows)
    key = None
    if sums is not None and convert.policy == "daily":
        key = ("collected", _counting(rule, rows), convert.to_code, start, end)
        if key in sums:
            rates, kept = sums[key]
            convert._cache.update(rates)
            return kept
    fresh = not convert._cache  # its lookups after this are this collection's own, and can be handed on
    days: dict[date, list] = {}  # [sales, transactions] of each day
    aside: dict[date, dict[str, Decimal]] = {}
    for (code, why), by_day in summed(rule, rows, sums).items():
        same = code == convert.to_code  # the converter gives these amounts back as they are
        counted = why is None or why in NOTED
        for day, (amount, count) in by_day.items():
            if not start <= day <= end:
                continue
            value = amount if same else convert(amount, code, day)
            if why is not None:
                noted = aside.get(day)
                if noted is None:
                    aside[day] = {why: ZERO + value}
                else:
                    noted[why] = noted.get(why, ZERO) + value
                if not counted:
                    continue
            total = days.get(day)
            if total is None:
                days[day] = [ZERO + value, count]  # as [ZERO, 0] with the day's figures added
            else:
                total[0] += value
                total[1] += count
    if key is not None and fresh:
        sums[key] = (dict(convert._cache), (days, aside))  # type: ignore[index]
    return days, aside


def aside_in(period: Period, aside: dict[date, dict[str, Decimal]]) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    start, end = period.start, period.end
    for day, noted in aside.items():
        if start <= day <= end:
            for why, value in noted.items():
                totals[why] = totals.get(why, Decimal(0)) + value
    return totals
