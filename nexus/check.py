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

How a test sums and compares the sales is :mod:`nexus.measures`; when each
nexus began and what to do is :mod:`nexus.timing`, and what a home's permit
held, lacking or late says is :mod:`nexus.permits`; the money at stake is
:mod:`nexus.exposure`, worked out for each finding by :mod:`nexus.estimates`.
This module puts them together per jurisdiction; the records it makes (a
finding, the check's result) are :mod:`nexus.findings`.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable, Sequence

from nexus import places, trailing
from nexus.errors import RateMissing
from nexus.exports import title_of
from nexus.estimates import estimated, past_estimate, reported_total
from nexus.findings import CategoryCount, CheckResult, Context, Finding, Row, domestic_test, presence_only, status_words
from nexus.permits import home_windows, late_permit, late_timing, made_later, not_needed, permit_missing, permit_words
from nexus.fx import FX_POLICIES, Rates, RateTable
from nexus.money import quantize
from nexus.periods import PARTS, Period, periods_for
from nexus.presence import VERDICTS, Item, Verdict, creates_since, judge
from nexus.remembered import recall
from nexus.registrations import SCHEMES, Registration, covered_by, held_by
from nexus.lapsed import PastWindow, clipped, lapsed_versions, last_day, limited, sales_in
from nexus.projection import PROJECTIONS, project
from nexus.timing import closed_words, covering, decide, reopened
from nexus.windows import (QUARTER_END_PERIODS, Run, Window, after_closed_permit, by_test, economic_windows,
                           kept_by_permit, one_duty, scan)
from nexus.timing_rules import load_timing
from nexus.categories import LINE_CATEGORIES, SOURCE_WORDS, SOURCES, UNKNOWN
from nexus.input_warnings import home_warnings, input_warnings, rate_warnings, rows_after
from nexus.measures import (ZERO, Converter, Sums, aside_in, aside_reason, by_version, collect, in_figure, measure,
                            stored_ratio, threshold_test)
from nexus.reasons import APPROACHING_LEAD, EXPOSURE_LEAD, counting_reasons, coverage, money, test_reasons
from nexus.rules import CATEGORIES, Rule, RuleBook, eu_vat_member
from nexus.ledger import Ledger, paused_gc
from nexus.stock_rules import stock_rule

#: Presence that holds goods: stock in a member state is not imported when it is sent to a customer.
STOCK_KINDS = ("warehouse", "third-party-inventory")
DEFAULT_WARN_AT = Decimal("0.8")
Span = tuple[Rule, Period, bool]  # days of a union's tax due: the rule version that dated them, and whether still open


def _measured(rule: Rule, by_place: dict[str, list[Row]], home: str | None,
              rates: Rates | None) -> tuple[list[Row], list[Row]]:
    """The rows ``rule``'s test measures (:meth:`Rule.reaches`), and apart from them a domestic test's sales abroad
    in a currency no rate converts to its own (the ECB publishes no TWD): a place the seller merely exports to must
    not stop the check, and what they leave out is said (:func:`_unconverted`)."""
    rows: list[Row] = []
    left: list[Row] = []
    known: set[str] | None = None  # the currencies the rates convert, looked up once, where a sale abroad asks
    for place, found in by_place.items():
        if not rule.reaches(place, home):
            continue
        if not rule.abroad(place, home):
            rows += found
            continue
        if known is None:
            known = rates.currencies() if rates is not None else set()
        for row in found:
            code = row[0][1]
            convertible = code == rule.currency or (code in known and rule.currency in known)
            (rows if convertible else left).append(row)
    return rows, left


def _unconverted(finding: Finding, left: list[Row]) -> Finding:
    """The finding with a reason for the sales abroad in its period that no exchange rate let it count."""
    period, rule = finding.period, finding.rule
    if not left or period is None or rule is None:
        return finding
    sums: dict[str, Decimal] = {}
    for (_place, code, *_rest), series in left:
        sums[code] = sums.get(code, ZERO) + sum((v[0] for d, v in series.items() if d in period), ZERO)
    left_out = tuple((c, v) for c, v in sorted(sums.items()) if v)
    shown = ", ".join(money(v, c) for c, v in left_out)
    if not shown:
        return finding
    said = (f"Sales to customers outside {places.in_prose(rule.name)} of {shown} in {period.label} are left out of "
            f"the figure, which may be too low: no exchange rate converts them to {rule.currency}; supply one with "
            f"--rates (a treasury CSV: date,currency,per_eur).")
    return replace(finding, reasons=finding.reasons + (said,), unconverted=left_out)


def check_rule(rule: Rule, rows: list[Row], as_of: date, rates: Rates | None,
               warn_at: Decimal = DEFAULT_WARN_AT, policy: str = "daily",
               worldwide_sales: dict[tuple[date, str], Decimal] | None = None,
               data_from: date | None = None, sums: Sums | None = None) -> Finding:
    """Apply one rule to the daily rows of the places it covers.

    ``data_from`` is the first day with orders in the input (None: the data cover every period): a period
    before it is reported as not covered, never as a period without sales.
    """
    if not rule.sales_tax:
        return Finding(rule.jurisdiction, rule.name, "no-sales-tax", rule.currency, Decimal(0), 0, None, None, None,
                       (f"{rule.name} levies no general sales tax: no economic-nexus threshold applies.",),
                       rule)
    windows = periods_for(rule.period or "", as_of)
    convert = Converter(rates, rule.currency, policy, windows)
    days, aside = collect(rule, rows, convert, windows, sums)
    worldwide = None
    if rule.global_threshold is not None and worldwide_sales is not None and days:
        worldwide = _worldwide(worldwide_sales, convert, windows, sums)
    parts = PARTS.get(rule.period or "", ())  # a rule of several tests: their windows in order, each with its test
    kinds = [k for k in parts for _ in periods_for(k, as_of)] or [rule.period or ""] * len(windows)
    measures = [measure(rule.part(kind) if parts else rule, p, days, aside,
                        worldwide if rule.global_threshold is not None else None, data_from,
                        at_end=kind in QUARTER_END_PERIODS) for p, kind in zip(windows, kinds)]
    met = [m for m in measures if m.met]
    covered = [m for m in measures if m.covered != "none"]
    if met:
        chosen, status = met[0], "exceeded"
    elif not covered:
        chosen, status = measures[-1], "not-covered"
    else:
        chosen = max(reversed(covered), key=lambda m: m.ratio or 0)  # on a tie, the latest period
        status = "approaching" if (chosen.ratio or 0) >= warn_at else "below"
    excluded = aside_in(chosen.period, aside)
    tested = kinds[measures.index(chosen)] if parts else ""
    reasons = test_reasons(rule.part(tested) if tested else rule, status, chosen, excluded, tested)
    # once each: a rule of two tests on one period (Germany's EUR 25,000 and EUR 100,000 on the current year) gave
    # the same coverage sentence twice
    reasons[1:1] = list(dict.fromkeys(coverage(measures)))
    unconverted: tuple[tuple[str, Decimal], ...] = ()
    if worldwide is not None and worldwide_sales is not None:
        unconverted = _in_period(worldwide_sales, _unconvertible(worldwide_sales, convert), chosen.period)
        if unconverted:
            reasons.append(f"Worldwide sales of {', '.join(money(v, c) for c, v in unconverted)} in "
                           f"{chosen.period.label} are left out of the worldwide figure, which may be too low: no "
                           f"exchange rate converts them to {rule.currency}; supply one with --rates (a treasury "
                           f"CSV: date,currency,per_eur).")
    return Finding(
        jurisdiction=rule.jurisdiction, name=rule.name, status=status, currency=rule.currency,
        sales=quantize(chosen.sales, rule.currency), transactions=chosen.transactions,
        ratio=stored_ratio(chosen.ratio or Decimal(0)), period=chosen.period,
        crossed_on=chosen.crossed_on, reasons=tuple(reasons), rule=rule,
        measures=tuple(measures), excluded={k: quantize(v, rule.currency) for k, v in excluded.items()},
        conversions=convert.conversions(), scheme=rule.scheme, unconverted=unconverted,
    )


#: How the reason begins that says which days before a home's duty the orders cannot decide.
UNKNOWN_BEFORE_DUTY = "Not known from the orders: "


def _before_duty(f: Finding, by_place: dict[str, list[Row]], home: str | None, rates: Rates | None, policy: str,
                 data_from: date) -> Finding:
    """A home dated by its domestic test, with the days from the first order to the day its tax became due that
    periods before the first order decide: said, since the estimate starts at that day and would otherwise read
    as if nothing were due before it (Japan from 2026-01-01 on orders from 2025: whether 2025 was taxable is
    decided by 2023 and 2024's first half; Germany from 2025-01-11: whether the first days of 2025 were, by 2024)."""
    t = f.timing
    if f.status != "established" or not domestic_test(f.rule) or t is None or t.collect_from is None \
            or t.collect_from <= data_from:
        return f
    if t.registration is not None and t.registration.collecting_from <= data_from:
        return f  # collecting since the first order: nothing before the duty is at stake
    rule = f.rule
    assert rule is not None
    day = t.collect_from - timedelta(days=1)
    before = check_rule(rule, _measured(rule, by_place, home, rates)[0], day, rates, policy=policy,
                        data_from=data_from)
    # periods wholly before the first order (one the orders reach in part says so in the coverage reasons)
    unknown = [m.period.label for m in before.measures if m.covered == "none"]
    if not unknown:
        return f
    decide = " and ".join(unknown)
    said = (f"{UNKNOWN_BEFORE_DUTY}whether {rule.tax} was due from {data_from} to {day} is decided by {decide}, "
            f"before the first order (not covered by the data): those days are not estimated.")
    return replace(f, reasons=f.reasons + (said,))


def _worldwide(by_day: dict[tuple[date, str], Decimal], convert: Converter,
               windows: Sequence[Period], sums: Sums | None = None) -> dict[date, Decimal]:
    """All sales, every place and category, net of refunds, per day, in the rule's currency (but those in a currency
    no rate converts, :func:`_unconvertible`).

    ``by_day`` is :meth:`Ledger.by_day_and_currency`: each day's sales per currency, converted once. The totals are
    kept in ``sums`` for the dating of the rule's versions, which asks for the same days in the same currency
    (daily and monthly rates depend on the day only; period-end rates on the windows too).
    """
    start, end = min(p.start for p in windows), max(p.end for p in windows)
    key = ("worldwide", id(by_day), convert.to_code, convert.policy, start, end,
           tuple((p.start, p.end) for p in windows) if convert.policy == "period-end" else ())
    if sums is not None and key in sums:
        return sums[key][1]
    totals: dict[date, Decimal] = {}
    left = _unconvertible(by_day, convert)
    for (day, code), amount in by_day.items():
        if start <= day <= end and code not in left:
            totals[day] = totals.get(day, Decimal(0)) + convert(amount, code, day)
    if sums is not None:
        sums[key] = (by_day, totals)
    return totals


def _unconvertible(by_day: dict[tuple[date, str], Decimal], convert: Converter) -> set[str]:
    """The currencies of the worldwide sales that no rates table holds (the ECB publishes no TWD or BHD), which no
    rate converts to the rule's: left out of the worldwide figure and said, as a domestic test's sales abroad are
    (:func:`_measured`), so that sales in Taiwan do not stop the check of Switzerland's worldwide test. Without any
    rates (None) none is left out: the converter asks for them."""
    if convert.rates is None:
        return set()
    codes = {code for _day, code in by_day} - {convert.to_code}
    known = convert.rates.currencies()
    return codes if convert.to_code not in known else codes - known


def _in_period(by_day: dict[tuple[date, str], Decimal], codes: set[str],
               period: Period | None) -> tuple[tuple[str, Decimal], ...]:
    """The worldwide sales in ``codes`` in ``period``, per currency, in order of currency (none that sum to 0)."""
    sums: dict[str, Decimal] = {}
    if codes and period is not None:
        for (day, code), amount in by_day.items():
            if code in codes and day in period:
                sums[code] = sums.get(code, ZERO) + amount
    return tuple((c, v) for c, v in sorted(sums.items()) if v)


def _member_findings(rule: Rule, scheme: Finding, rows: list[Row], rates: Rates | None,
                     policy: str, data_from: date | None = None,
                     spans: Sequence[Span] = ()) -> list[Finding]:
    """One finding per member state with sales, under the status of the union-wide test.

    Each shows the member's own sales, exclusions and reasons. The test, its ratio and the day it was crossed
    belong to the union's finding (``scheme``); a member inherits that day as the one from which its own VAT
    is due on sales into it (``crossed_on``), and its reasons give its sales since then.

    ``spans`` (each with the rule version that dated it, and whether it is open) are the union's days of tax due,
    given for the members with no sales in the period measured today (:func:`_window_members`): those sold to on
    those days get a finding, whose reasons give those sales, and no other member does.
    """
    period = scheme.period
    if period is None:
        return []
    by_member: dict[str, list[Row]] = {}
    for row in rows:
        by_member.setdefault(row[0][0], []).append(row)
    found = []
    for member in sorted(by_member):
        convert = Converter(rates, rule.currency, policy, [period])
        days, aside = collect(rule, by_member[member], convert, [period])
        m = measure(rule, period, days, aside, data_from=data_from)
        in_spans = _sold_in(by_member[member], spans, rates, policy) if spans else None
        if (in_spans or (m.sales, m.transactions)) == (0, 0):
            continue
        m = replace(m, ratio=None, met=scheme.status == "exceeded", crossed_on=None)
        name, sales = places.name(member), money(m.sales, rule.currency)
        said = places.in_prose(name)  # 'the Netherlands'
        test = f"the {rule.label} test ({rule.describe_threshold()})"
        start = None
        if in_spans is not None:
            why = _window_words(rule, said, test, in_spans[0], spans, scheme)
        elif scheme.status == "exceeded":
            # Never before the rule took effect: sales past the EU's EUR 10,000 in 2020 put Polish VAT on sales into
            # Poland from 2021-07-01, not from the day in 2020 (when Poland's own PLN 160,000 decided).
            crossed = scheme.crossed_on
            start = max(crossed, rule.effective_from) if crossed is not None else None
            since = sum((total[0] for day, total in days.items() if start is not None and start <= day <= period.end),
                        Decimal(0))
            day = (f"the day {test} was met (see its own finding)" if start == crossed else
                   f"when {test} in force from that day took effect (see its own finding; its sales had passed it on "
                   f"{crossed})")
            why = (f"Potential exposure: {rule.tax} of {said} is due on sales into {said} from {start}, {day}; sales "
                   f"into {said} of {sales} in {period.label}, {money(since, rule.currency)} of them from that day.")
        else:
            why = (f"{test[0].upper()}{test[1:]} is {scheme.status} (see its own finding): sales into {said} of "
                   f"{sales} in {period.label} stay taxed where the seller is established.")
        excluded = aside_in(period, aside)
        found.append(Finding(member, name, scheme.status, rule.currency, quantize(m.sales, rule.currency),
                             m.transactions, None, period, start,
                             (why,) + tuple(coverage([m])) + tuple(counting_reasons(rule, excluded)),
                             rule, (m,), {k: quantize(v, rule.currency) for k, v in excluded.items()},
                             convert.conversions(), rule.scheme, part_of=rule.jurisdiction))
    return found


def _sold_in(rows: list[Row], spans: Sequence[Span], rates: Rates | None,
             policy: str) -> tuple[Decimal, int]:
    """The sales (net of refunds, in the rule's currency) and transactions each span's rule version counts in it."""
    sales, count = Decimal(0), 0
    for version, span, _open in spans:
        days, _aside = collect(version, rows, Converter(rates, version.currency, policy, [span]), [span])
        sales += sum((v[0] for v in days.values()), Decimal(0))
        count += sum(v[1] for v in days.values())
    return sales, count


def _window_words(rule: Rule, said: str, test: str, sales: Decimal, spans: Sequence[Span], scheme: Finding) -> str:
    """The lead reason of a member sold to in the union's days of tax due but not in the period measured today."""
    days = " and ".join(p.label for _v, p, _open in spans)
    period = scheme.period
    assert period is not None
    open_now = any(is_open for _v, _p, is_open in spans)
    # A window open on the as-of date under a test not met today is led by :func:`_economic_lead`'s own words.
    lead = "" if open_now and scheme.status != "exceeded" else "Potential exposure: "
    was, gave, then = ("is", "gives", "since") if open_now else ("was", "gave", "then")
    return (f"{lead}{rule.tax} of {said} {was} due on sales into {said} while {test} {gave} nexus (see its own "
            f"finding), {days}: sales into {said} of {money(sales, rule.currency)} {then}; none in {period.label}, "
            f"the period it measures on the as-of date.")


def _window_members(findings: Sequence[Finding], by_place: dict[str, list[Row]], home: str | None, as_of: date,
                    rates: Rates | None, policy: str, data_from: date) -> list[Finding]:
    """The member states a union's nexus reached that no finding shows: sold to on its days of tax due but not in the
    period its test measures on the as-of date, which alone picks the members (:func:`_member_findings`). A German
    seller past the EU's EUR 10,000 in 2021 owed VAT of France and Italy on its sales there to 2022-12-31; checked as of
    2024-06-30 (2023 and 2024 measured, nothing sold) neither was listed and nothing was estimated, where a US state's
    ended window is. Found once the union's windows are dated (:func:`_timed`)."""
    found: list[Finding] = []
    for f in findings:
        rule = f.rule
        if rule is None or not rule.member_findings or f.part_of or f.timing is None or f.period is None:
            continue
        spans = [(w.rule or rule, Period(w.collect_from, min(w.until or as_of, as_of),
                                         f"from {w.collect_from} to {w.until}" if w.until else
                                         f"from {w.collect_from} (open on {as_of})"), w.open_on(as_of))
                 for w in f.timing.windows if w.basis == "economic" and w.collect_from is not None
                 and w.collect_from <= min(w.until or as_of, as_of)]
        shown = {m.jurisdiction for m in findings if m.part_of == f.jurisdiction and m.scheme == f.scheme}
        rows = [row for row in _measured(rule, by_place, home, rates)[0] if row[0][0] not in shown]
        if spans and rows:
            found += _member_findings(rule, f, rows, rates, policy, data_from, spans)
    return found


def _established(finding: Finding, home: str, basis: Rule | None = None) -> Finding:
    """The seller's home: nexus by establishment, whatever the sales.

    A foreign seller's registration test says nothing about a domestic seller's, so the reasons say which test
    applies at home: the rule for established businesses where the data has one (measured, below), else that
    nexus does not check the domestic registration test. ``basis`` names the tax and sources of a home that no
    rule measured (a German seller's home sales under the EU's rules).
    """
    rule = finding.rule or basis
    tax = rule.tax if rule else "tax"
    name = places.in_prose(places.name(home))
    # in the reader's words, not the option's: the reasons are printed in the workbook and the memo too
    first = f"Established in {name}, the seller's home: nexus by establishment, whatever the sales."
    unchecked: tuple[str, ...] = ()  # what the domestic test also holds that orders cannot show
    if domestic_test(finding.rule):
        # the country's test, whose businesses include a province's or a state's (--home CA-ON: Canada's)
        country = places.in_prose(finding.rule.name)  # type: ignore[union-attr]
        said = (f"Registration at home follows the test for businesses established in {country}, measured below: "
                f"register and account for {tax} there when it is met.",)
        unchecked = tuple(f"Not checked: {n.what}: {n.why}."
                          for n in finding.rule.not_checked)  # type: ignore[union-attr]
    elif finding.rule is not None and finding.rule.tax == "sales tax" and not finding.rule.sales_tax:
        # Oregon, Montana, New Hampshire, Delaware: no permit to hold, no tax at home to estimate, and said so
        said = (f"A seller with a place of business in {name} has no {tax} permit to hold and no {tax} to collect "
                f"there: no tax at home is estimated.",)
    elif finding.rule is not None and finding.rule.tax == "sales tax":
        said = (f"A seller with a place of business in {name} must hold a {tax} permit and collect there; the "
                f"remote-seller test below is shown for information only.",)
    else:
        said = (f"Registration at home follows the rules of {name} for businesses established there (a domestic "
                f"registration threshold, where it has one), which nexus does not check: account for {tax} there "
                f"as the company's adviser confirms.",)
    # A home measured by its domestic test keeps that test's crossing day, which its reasons and dates give.
    return replace(finding, status="established",
                   crossed_on=finding.crossed_on if domestic_test(finding.rule) else None,
                   reasons=(first,) + said + _informational(finding) + unchecked,
                   home_basis=basis if finding.rule is None else None)


def _informational(finding: Finding) -> tuple[str, ...]:
    """A home's remote-seller test, said as information: it is not what gives the home nexus (establishment does),
    so its reasons do not lead with 'Potential exposure' (a domestic registration test, Japan's, keeps it: it
    decides registration at home)."""
    if domestic_test(finding.rule) or not finding.reasons:
        return finding.reasons
    first = finding.reasons[0]
    for lead in (APPROACHING_LEAD, EXPOSURE_LEAD):
        if first.startswith(lead):
            first = "Remote-seller test, for information: " + first[len(lead):]
    return (first,) + finding.reasons[1:]


def _with_charges(finding: Finding, ledger: Ledger, sold_to: list[str], rates: Rates | None, policy: str,
                  home: str | None) -> Finding:
    """The finding with the shipping and tax charged on the sales it counts in its period (the ledger's
    ``charges``), and the platforms whose refunds in its places were counted on the order's date."""
    rule, period = finding.rule, finding.period
    if rule is None or period is None:
        return finding
    if finding.uncovered:  # no order reaches the period: its charges are unknown, as its sales are, never 0
        return replace(finding, shipping=None, tax_charged=None)
    member = finding.jurisdiction != rule.jurisdiction and finding.jurisdiction in sold_to
    covered = {finding.jurisdiction} if member else {p for p in sold_to if rule.reaches(p, home)}
    convert = Converter(rates, rule.currency, policy, [period])
    shipping, tax = Decimal(0), Decimal(0)
    for (place, code, channel, _kind, exempt, category), charged in ledger.charges.items():
        for version, days in by_version(rule, charged) if place in covered else ():  # each day as its sales count
            if not in_figure(aside_reason(version, channel, exempt, category, version.abroad(place, home))):
                continue
            for day, (shipped, taxed) in days.items():
                if day in period:
                    shipping += convert(shipped, code, day) if shipped else 0
                    tax += convert(taxed, code, day) if taxed else 0
    undated = sorted(set().union(*(ledger.undated_refunds.get(p, set()) for p in covered)))
    exported = " and ".join(title_of(name) for name in undated)
    said: tuple[str, ...] = (f"Refunds in {exported} come as a running total on the order, without their own date: "
                             f"they are counted on the order's date.",) if undated else ()
    lines = [f"Shipping and handling of {money(shipping, rule.currency)} charged on the sales counted is part of "
             f"them"] if quantize(shipping, rule.currency) else []
    if quantize(tax, rule.currency):
        lines.append(f"{'tax' if lines else 'Tax'} charged of {money(tax, rule.currency)} is not counted")
    said += ("; ".join(lines) + ".",) if lines else ()
    return replace(finding, shipping=quantize(shipping, rule.currency), tax_charged=quantize(tax, rule.currency),
                   undated_refunds=tuple(undated), reasons=finding.reasons + said)


def _with_categories(finding: Finding, sourced: dict[str, list[tuple[tuple[str, str, str, str], dict[date, list]]]],
                     sold_to: list[str], rates: Rates | None, policy: str, home: str | None) -> Finding:
    """The finding with its lines and sales by category and source (``Finding.categories``) over its period, and,
    where any line's category did not come from the order rows, a reason saying where they came from."""
    rule, period = finding.rule, finding.period
    if rule is None or period is None or not rule.sales_tax:
        return finding
    member = finding.jurisdiction != rule.jurisdiction and finding.jurisdiction in sold_to
    covered = [finding.jurisdiction] if member else [p for p in sold_to if rule.covers(p, home)]
    convert = Converter(rates, rule.currency, policy, [period])
    totals: dict[tuple[str, str], list] = {}
    start, end = period.start, period.end
    for place in covered:
        for (_place, code, category, source), days in sourced.get(place, []):
            total = totals.setdefault((category, source), [Decimal(0), 0])
            for day, (amount, lines) in days.items():
                if start <= day <= end:
                    total[0] += convert(amount, code, day) if amount else 0
                    total[1] += lines
    found = tuple(CategoryCount(category, source, lines, quantize(amount, rule.currency),
                                aside_reason(rule, "direct", "no", category) is None)
                  for (category, source), (amount, lines) in sorted(
                      totals.items(), key=lambda kv: (SOURCES.index(kv[0][1]), LINE_CATEGORIES.index(kv[0][0])))
                  if lines or amount)
    if all(c.source == "column" for c in found):
        return replace(finding, categories=found)
    parts = []
    for source in SOURCES:
        mine = [c for c in found if c.source == source]
        if not mine:
            continue
        lines = sum(c.lines for c in mine)
        sales = money(sum((c.sales for c in mine), Decimal(0)), rule.currency)
        if source == "unknown":
            decided = sorted({c.category for c in mine if c.category != UNKNOWN})
            how = (f"counted as {', '.join(decided)} (--unknown-category)" if decided else
                   "counted: this test counts every category" if all(c.counted for c in mine) else "not counted")
            parts.append(f"{lines:,} line(s) with no category signal ({sales}), {how}")
        else:
            cats = ", ".join(f"{c.category} {money(c.sales, rule.currency)}" for c in mine)
            parts.append(f"{lines:,} line(s) from {SOURCE_WORDS[source]} ({cats})")
    why = f"Categories in {period.label}: " + "; ".join(parts) + "."
    return replace(finding, categories=found, reasons=finding.reasons + (why,))


def _is_home(place: str, home: str | None) -> bool:
    return bool(home) and (place == home or home.startswith(place + "-"))  # type: ignore[union-attr]


def _no_rule(book: RuleBook, jurisdiction: str, as_of: date) -> Finding:
    """A place sold to that no rule in the data covers on ``as_of``. It says what the data hold, not what the law
    was: a table's first row is where its sourcing starts (the EU's distance-selling rows from 2015-01-01), which
    need not be the day the place's first rule took effect (docs/rules.md, Before a place's first row)."""
    history = book.history(jurisdiction)
    later = [r.effective_from for r in history if r.effective_from > as_of]
    name = history[0].name if history else jurisdiction
    if later:
        why = (f"No rule for {name} in nexus's data was in force on {as_of}; the first in the data takes effect "
               f"{min(later)}. Sales there are not assessed: a rule in force before that day, if there was one, is "
               f"not in the data (unknown, not 'no rule').")
    else:
        why = f"No rule for {name} in nexus's data was in force on {as_of}. Sales there are not assessed."
    return Finding(jurisdiction, name, "no-rule", history[0].currency if history else "USD", Decimal(0), 0, None,
                   None, None, (why,), None)


def _presence_window(finding: Finding, as_of: date) -> tuple[date, date, str]:
    """The days over which presence counts for a finding: from the start of the first period its rule measures
    to the as-of date; for a place no rule measured, the current and previous calendar years."""
    if finding.measures:
        start = min(m.period.start for m in finding.measures)
        labels = ", ".join(m.period.label for m in finding.measures)
        return start, as_of, f"the periods measured ({labels}) or on {as_of}"
    start = date(as_of.year - 1, 1, 1)
    return start, as_of, f"the current and previous calendar years ({start} to {as_of})"


def _with_presence(findings: list[Finding], presence: Sequence[Verdict], as_of: date,
                   data_from: date | None = None) -> list[Finding]:
    """Attach each presence item to its place's findings; add a finding for a place with presence only.

    Each item is judged again over the days its place's finding covers (:func:`_presence_window`), so an item
    in place during a measured period counts even when it has ended by the as-of date, and says so. A place with
    presence only, whose days all lie before the first order (``data_from``), has sales the data cannot tell:
    'not-covered', never 'below' or 'no sales'.
    """
    if not presence:
        return findings
    items: dict[str, list[Item]] = {}
    for verdict in presence:
        items.setdefault(verdict.jurisdiction, []).append(verdict.item)

    def judged(place: str, window: tuple[date, date, str]) -> tuple[Verdict, ...]:
        # read with the state's trailing period: a known one decides whether presence that has ended still makes nexus
        found = [trailing.after(judge(item, as_of, window), as_of) for item in items[place]]
        return tuple(sorted(found, key=lambda v: (VERDICTS.index(v.verdict) if v.verdict else len(VERDICTS),
                                                  v.item.source.line or 0)))

    out = [_presence_reason(replace(f, presence=judged(f.jurisdiction, _presence_window(f, as_of))))
           if f.jurisdiction in items else f for f in findings]
    have = {f.jurisdiction for f in out}
    for place in sorted(set(items) - have):
        out.append(_presence_reason(_presence_only(place, as_of, data_from, judged)))
    return out


def _presence_only(place: str, as_of: date, data_from: date | None,
                   judged: Callable[[str, tuple[date, date, str]], tuple[Verdict, ...]]) -> Finding:
    """The finding of a place no rule measured, listed for its presence: no sales there in the days the orders
    cover, or, where the orders start after the as-of date, sales the data cannot tell (unknown, not zero)."""
    name = places.in_prose(places.name(place))
    bare = Finding(place, places.name(place), "below", "", Decimal(0), 0, None, None, None, (), None)
    start, end, _label = window = _presence_window(bare, as_of)
    if data_from is not None and data_from > as_of:
        status, why = "not-covered", (
            f"Presence only: the orders read start on {data_from}, after the as-of date: sales into {name} in the "
            f"current and previous calendar years ({start} to {end}) are not covered by the data (unknown, not "
            f"zero), and no registration rule applied; the presence test is shown beside it.")
    else:
        status, why = "below", (f"Presence only: no sales into {name} in the periods measured, and no registration "
                                f"rule applied; the presence test is shown beside it.")
    return replace(bare, status=status, reasons=(why,), presence=judged(place, window))


def _presence_reason(finding: Finding) -> Finding:
    """Lead with the presence that creates nexus where the sales test does not."""
    if finding.nexus != "presence":
        return finding
    items = "; ".join(f"{v.item.kind} at {v.item.location} ({v.item.source.file}:{v.item.source.line})"
                      for v in finding.presence if v.verdict == "creates")
    test = (f"the sales test is {status_words(finding.status)}, and is not what creates it" if finding.rule
            else "its sales there are not covered by the data, and no sales test applied"
            if finding.status == "not-covered"
            else "with no sales there, no sales test applied")  # not 'no sales test applied, and is not what ...'
    why = (f"Potential exposure: physical presence creates nexus in {places.in_prose(finding.name)} whatever the "
           f"sales: {items}; {test}.")
    return replace(finding, reasons=(why,) + finding.reasons)


def check(ledger: Ledger, book: RuleBook, as_of: date, rates: Rates | RateTable | None = None,
          warn_at: Decimal = DEFAULT_WARN_AT, all_jurisdictions: bool = False, home: str | None = None,
          fx_policy: str = "daily", presence: Sequence[Verdict] = (), timed: Context = Context()) -> CheckResult:
    """Findings for every rule whose places have sales (every applicable rule if ``all_jurisdictions``).

    ``home`` is where the seller is established (``DE``, ``US-CA``): it picks
    the rules for established or non-established sellers, and marks the home
    jurisdiction ``established``. ``presence`` (from :func:`nexus.presence.assess`)
    is attached to the findings of the places it sits in; a place with presence
    but no sales still gets a finding. Each finding with nexus (or approaching it)
    is then timed (:mod:`nexus.timing`): since when, by when, and the action, given
    the registrations held (``timed``).
    """
    if timed.projection not in PROJECTIONS:
        raise ValueError(f"projection must be one of {PROJECTIONS}")
    with paused_gc():
        return _check(ledger, book, as_of, rates, warn_at, all_jurisdictions, home, fx_policy, presence, timed)


def _check(ledger: Ledger, book: RuleBook, as_of: date, rates: Rates | RateTable | None, warn_at: Decimal,
           all_jurisdictions: bool, home: str | None, fx_policy: str, presence: Sequence[Verdict],
           timed: Context) -> CheckResult:
    if isinstance(rates, RateTable):
        rates = Rates([rates])
    if fx_policy not in FX_POLICIES:
        raise ValueError(f"fx_policy must be one of {FX_POLICIES}")
    by_place: dict[str, list[Row]] = {}
    for row in ledger.series.items():
        by_place.setdefault(row[0][0], []).append(row)
    findings: list[Finding] = []
    covered: set[str] = set()
    present = {v.jurisdiction for v in presence}
    # Days before the first order are not covered by the data: never read them as days without sales.
    data_from = ledger.first_day or as_of + timedelta(days=1)
    # Daily sums per rule's way of counting, shared by the check and the timing; and, in a provider comparison
    # (nexus.remembered), by every check of it: their keys name the series they sum by identity.
    sums: Sums = recall(("sums",), [], dict)
    unsold: list[tuple[str, str]] = []  # listed only because every jurisdiction was asked for
    for rule in book.applicable(as_of, home):
        places_covered = [p for p in by_place if rule.covers(p, home)]
        # a domestic test that counts sales abroad measures every place (the places it covers are still its own)
        mine, left = _measured(rule, by_place, home, rates)
        covered |= set(places_covered)
        if not mine and not _is_home(rule.jurisdiction, home) and rule.jurisdiction not in present:
            if not all_jurisdictions:
                continue
            unsold.append((rule.jurisdiction, rule.scheme))
        finding = check_rule(rule, mine, as_of, rates, warn_at, fx_policy,
                             ledger.by_day_and_currency() if rule.global_threshold is not None else None, data_from,
                             sums)
        finding = _unconverted(finding, left)
        findings.append(_established(finding, home) if home and _is_home(rule.jurisdiction, home) else finding)
        if rule.member_findings:
            findings += _member_findings(rule, finding, mine, rates, fx_policy, data_from)
    known = set(book.jurisdictions())
    if home and not any(f.status == "established" for f in findings):
        # The home that no rule measures (a German seller's sales at home, which the EU's rules leave out).
        findings.append(_established(Finding(home, places.name(home), "below", "", Decimal(0), 0, None, None, None,
                                             (), None), home, _home_basis(book, as_of, home)))
    # Places sold to by the as-of date only: a sale dated later is not yet one the check could assess.
    sold_by = {p for p, rows in by_place.items() if any(d <= as_of for _key, series in rows for d in series)}
    for place in sorted(sold_by - covered):
        if place in known and not _is_home(place, home):
            findings.append(_no_rule(book, place, as_of))
    findings = _with_presence(findings, presence, as_of, ledger.first_day)
    findings = [_with_charges(f, ledger, list(by_place), rates, fx_policy, home) for f in findings]
    sourced: dict[str, list[tuple[tuple[str, str, str, str], dict[date, list]]]] = {}
    for key, days in ledger.category_sources.items():
        sourced.setdefault(key[0], []).append((key, days))
    findings = [_with_categories(f, sourced, list(by_place), rates, fx_policy, home) for f in findings]
    findings = _timed(findings, ledger, book, by_place, home, as_of, rates, fx_policy, data_from, timed, sums, presence)
    added = _window_members(findings, by_place, home, as_of, rates, fx_policy, data_from)
    if added:  # each given what the members found before the dating have (presence, charges, categories, dates)
        there = {f.jurisdiction for f in added}
        added = [_with_categories(_with_charges(f, ledger, list(by_place), rates, fx_policy, home), sourced,
                                  list(by_place), rates, fx_policy, home)
                 for f in _with_presence(added, [v for v in presence if v.jurisdiction in there], as_of,
                                         ledger.first_day)]
        findings = [f for f in findings if not (presence_only(f) and f.jurisdiction in there)] + _timed(
            added, ledger, book, by_place, home, as_of, rates, fx_policy, data_from, timed, sums, presence)
    findings = estimated(findings, book, by_place, home, as_of, rates, fx_policy, data_from, timed, ledger.charges,
                         ledger.refund_links, ledger.last_day)
    findings = [_before_duty(f, by_place, home, rates, fx_policy, data_from) for f in findings]
    findings = in_order(findings)
    past, lapsed_said = _past_windows(findings, ledger, book, by_place, home, as_of, rates, fx_policy, data_from,
                                      timed, sums)
    outside = tuple(sorted(p for p in sold_by - covered if p not in known and not _is_home(p, home)))
    # A registration that covers some of a finding's sales is needed, though it leaves others uncovered.
    used = {id(r) for f in findings if f.timing is not None and f.timing.coverage is not None and f.nexus
            for r in f.timing.coverage.registrations}
    total, said = reported_total(findings, rates, as_of, timed.report_currency, past)
    idle = [r for r in held_by(timed.registrations, as_of)
            if id(r) not in used and r.held_on(as_of)]
    start_rules = timed.book if timed.book is not None else load_timing()
    kept = [(r, start_rules.permit_kept(r.jurisdiction, as_of)) for r in idle if _assessed(book, r, home)]
    return CheckResult(as_of, tuple(findings), ledger, rates, warn_at, outside, home, fx_policy,
                       tuple(input_warnings(ledger, as_of) + rate_warnings(rates, as_of)
                             + home_warnings(presence, home) + said + lapsed_said),
                       tuple(r for r in idle if _assessed(book, r, home)),
                       tuple(timed.registrations), total, rows_after(ledger, as_of), tuple(unsold), tuple(past),
                       tuple(r for r in idle if not _assessed(book, r, home)),
                       tuple((r, p) for r, p in kept if p is not None and p.closing))


def _assessed(book: RuleBook, registration: Registration, home: str | None) -> bool:
    """Whether nexus has a rule for the place of ``registration`` (a scheme's, a country's, a state's, a province under
    its country's): where it has none, nothing in the data can say the registration is not needed."""
    code = registration.jurisdiction
    return code in SCHEMES or any(r.jurisdiction == code or r.covers(code, home) for r in book.rules)


def _past_windows(findings: Sequence[Finding], ledger: Ledger, book: RuleBook, by_place: dict[str, list[Row]],
                  home: str | None, as_of: date, rates: Rates | None, policy: str, data_from: date, timed: Context,
                  sums: Sums) -> tuple[list[PastWindow], list[str]]:
    """Each window of nexus in the orders under a rule no longer in force on the as-of date (:mod:`nexus.lapsed`),
    dated as a finding's windows are and estimated as a finding's estimate is, but for the days a current finding
    of the same place already estimates (a successor rule's window): those are left out and said."""
    found: list[PastWindow] = []
    said: list[str] = []
    start_rules = timed.book if timed.book is not None else load_timing()
    for versions in lapsed_versions(book, home, data_from, as_of):
        last = versions[-1]
        ended = last_day(last, home) or as_of
        rows = _measured(last, by_place, home, rates)[0]
        if not rows:
            continue
        daily = "daily" if policy == "period-end" else policy
        try:
            counted = [(v, *_counted(v, rows, rates, daily, data_from, min(as_of, ended), ledger, sums))
                       for v in versions]
        except RateMissing as exc:
            said.append(f"{last.label}, a rule no longer in force, was not applied to past windows: {exc}")
            continue
        windows = clipped(one_duty([w for part in by_test(counted) for w in economic_windows(
            scan(part, data_from, min(as_of, ended), threshold_test), start_rules)]), ended)
        successor = _successor(book, last, home, ended)
        for w in windows:
            if w.since is None:
                continue
            end = min(w.until or ended, ended)
            sales = sum((sales_in(d, max(w.since, v.effective_from), min(end, v.effective_to or end))
                         for v, d, _world in counted), Decimal(0))
            past = limited(PastWindow(w.rule or last, ended, w, quantize(sales, last.currency), successor), as_of)
            found.append(past_estimate(past, findings, book, by_place, home, as_of, rates, policy, data_from,
                                       timed, ledger.charges, ledger.refund_links))
    return found, said


def _successor(book: RuleBook, rule: Rule, home: str | None, ended: date) -> str:
    """The rules that decide the place's sales of the same categories from the day after ``rule`` lapsed, in words
    ("" when none does)."""
    after = ended + timedelta(days=1)
    found = [r for r in book.applicable(after, home) if r.covers(rule.jurisdiction, home)
             and set(r.categories) & set(rule.categories)]
    return " and ".join(f"{r.label} ({r.describe_threshold()})" for r in found)


def _timed(findings: list[Finding], ledger: Ledger, book: RuleBook, by_place: dict[str, list[Row]],
           home: str | None, as_of: date, rates: Rates | None, policy: str, data_from: date,
           timed: Context, sums: Sums | None = None, presence: Sequence[Verdict] = ()) -> list[Finding]:
    """Each finding with its dates (:class:`nexus.timing.Timing`): nexus windows from the sales test,
    evaluated day by day over the data with each rule version then in force, and from presence; the
    registration that covers it; and, below the threshold, the projected crossing."""
    start_rules = timed.book if timed.book is not None else load_timing()
    economic: dict[tuple[str, str], list[Window]] = {}
    series: dict[tuple[str, str], tuple[Rule, dict, dict | None] | None] = {}
    out = []
    for f in findings:
        rule = f.rule
        key = (f.part_of or f.jurisdiction, f.scheme)
        note: tuple[str, ...] = ()
        if rule is not None and rule.sales_tax and key not in economic and f.status not in ("no-rule",):
            rows = _measured(rule, by_place, home, rates)[0]
            # Day by day, a sale belongs to many windows: under period-end rates the history uses each day's rate.
            daily = "daily" if policy == "period-end" else policy
            start = data_from
            try:
                versions = _versions(book, rule, rows, rates, daily, start, as_of, ledger, sums)
            except RateMissing:
                # Rates stop short of the first orders: scan from the periods the check itself measured.
                start = max(data_from, min((m.period.start for m in f.measures), default=data_from))
                note = (f"Nexus before {start} was not worked out: there are no exchange rates for the earlier "
                        f"orders; supply older rates with --rates.",)
                try:
                    versions = _versions(book, rule, rows, rates, daily, start, as_of, ledger, sums)
                except RateMissing:
                    versions = []
                    note = ("Nexus was dated from this check's own periods only: exchange rates are missing for "
                            "some days; supply fuller rates with --rates.",)
            series[key] = next(((v, d, w) for v, d, w in versions if v is rule), versions[-1]) if versions else None
            if versions:
                # A rule of two tests (Canada's quarter and four quarters) is dated test by test: whichever starts
                # the duty first decides the dates (:func:`nexus.timing.decide` takes the earliest).
                economic[key] = one_duty([w for part in by_test(versions) for w in economic_windows(
                    scan(part, start, as_of, threshold_test), start_rules)])
            else:
                economic[key] = economic_windows(
                    [Run(f.crossed_on, f.crossed_on, None, f.period, rule)]
                    if f.status == "exceeded" and f.crossed_on and f.period else [], start_rules)
        # A state with no sales tax has no permit to take out, whatever sits there; a home measured by its domestic
        # registration test (Japan's) registers when that test is met, not when its own office opened.
        domestic = f.status == "established" and domestic_test(rule)
        # A permit listed as held keeps the duty where the state's text says a holder is liable until it is cancelled.
        # A crossing after a permit was closed is dated by the state's rule for that, where it has one (Texas's).
        sold = economic.get(key, []) if f.status == "established" else after_closed_permit(kept_by_permit(
            economic.get(key, []), timed.registrations, f.jurisdiction, as_of), timed.registrations, f.jurisdiction,
            as_of)
        windows = list(sold) + (_presence_windows(f, as_of) if f.status != "no-sales-tax" and not domestic else [])
        held = [r for r in held_by(timed.registrations, as_of) if r.covers(f.jurisdiction, f.part_of)]
        collecting = tuple((r.collecting_from, r.closed_on) for r in held if r.jurisdiction == f.jurisdiction)
        # A permit covers the days it was held: one closed before the duty began leaves it to register for again.
        held, closed = covering(held, windows, as_of)
        windows = reopened(windows, closed, as_of)
        # A state with no sales tax as home: a permit row for it is not a permit held, and is said to be not needed.
        idle = not_needed(f, timed.registrations)
        if idle:
            f, held = replace(f, reasons=f.reasons + idle), []
        # A US state as home whose permit the registrations file lacks owes its tax from the day the business began
        # there: its office's presence where the file dates one, else a day nexus is not given (the estimate then
        # runs from the first order). The remote-seller test, for information at home, dates nothing.
        # A permit held that began collecting after the business began there leaves the days between as at stake.
        unpermitted = not domestic and permit_missing(f, timed.registrations, as_of)
        late = None if domestic or unpermitted else late_permit(f, held, home_windows(f, windows), data_from, as_of)
        if unpermitted or late is not None:
            windows = home_windows(f, windows)
        cover = covered_by(held, f.jurisdiction, f.part_of, f.scheme,
                           _sold(f, by_place, home, windows, as_of, data_from), as_of,
                           _stock(rule, presence, as_of)) if held else None
        if cover is not None and cover.own is None:
            needs, unknown, sources = _own_stock(f, presence, home, as_of)
            if needs or unknown:
                cover = replace(cover, stock=needs, assumptions=cover.assumptions + unknown, stock_sources=sources)
            started = cover.primary.collecting_from if cover.primary is not None else None
            if needs and not cover.uncovered and started is not None and all(
                    w.collect_from is not None and started <= w.collect_from for w in windows
                    if w.basis != "presence"):
                # The sales' ground is the scheme registration's, collected from the start: the stock's own
                # presence decides the dates (a registration taken late leaves the days before it at stake).
                windows = [w for w in windows if w.basis == "presence"] or windows
        if not windows and cover is None and f.status not in PROJECTED:
            out.append(f)
            continue
        # Registered only where the registrations held cover every category sold: the Import OSS alone leaves a
        # seller's SaaS to register for (nexus.registrations.covered_by).
        registration = cover.primary if cover is not None and cover.complete else None
        # The home takes no action (establishment is the business's own tax), but where its domestic registration
        # test decides registration (Japan's), that test's dates call for one, as anywhere else.
        timing = decide(windows, as_of, registration, f.status == "approaching",
                        f.status == "established" and not domestic and not unpermitted and late is None, cover)
        timing = replace(timing, reasons=note + timing.reasons + made_later(timed.registrations, f, timing, as_of)
                         + closed_words(closed, windows, as_of), collecting=collecting)
        # Sales in the series, not only in the period measured today: 2025's sales decide Florida's 2026 though
        # 2024, measured today, sold nothing (or lies before the first order: 'not covered').
        if f.status in PROJECTED and not timing.economic_now and _sold_any(series.get(key)) and not f.part_of:
            rule_now, days, world = series[key]  # type: ignore[misc]
            day, how = project(rule_now, days, world, as_of, timed.horizon, threshold_test, data_from, timed.projection)
            timing = replace(timing, projected_crossing=day, projection=how)
        if unpermitted:  # the permit the home lacks is the action, said once, naming the file (not the generic words)
            timing = replace(timing, reasons=tuple(r for r in timing.reasons if not r.startswith("Register now")))
        if late is not None:
            timing = late_timing(f, late, timing, windows, data_from, as_of)
        reasons = f.reasons + timing.reasons + ((permit_words(f, timed.registrations, timing, as_of),)
                                                if unpermitted else ())
        out.append(_economic_lead(replace(f, timing=timing, reasons=reasons), as_of))
    return out


def _economic_lead(f: Finding, as_of: date) -> Finding:
    """Lead with the window that gives nexus where the sales test met earlier still gives it though the period
    measured today does not meet it: its first reason read 'Potential exposure approaching: ...' (or 'Below ...')
    for a place in Act now, overdue, as presence leads with the presence that creates it (:func:`_presence_reason`)."""
    if f.status == "exceeded" or f.nexus != "economic" or f.timing is None:
        return f
    window = next((w for w in f.timing.windows if w.basis == "economic" and w.open_on(as_of) and w.since), None)
    if window is None:
        return f
    met = f" in {window.label}" if window.label else ""
    why = (f"{EXPOSURE_LEAD}the sales test was met{met} (nexus since {window.since}), and nexus continues on "
           f"{as_of}; the sales test measured today is {status_words(f.status)}, and is not what gives it.")
    return replace(f, reasons=(why,) + f.reasons)


#: The statuses whose findings are given a crossing ahead: below the threshold, approaching it, or measured on a
#: period the orders do not reach (a previous calendar year before the first order), whose later sales can cross.
PROJECTED = ("approaching", "below", "not-covered")


def _sold_any(series: tuple[Rule, dict, dict | None] | None) -> bool:
    """Whether a rule's counted sales hold any sale or transaction (a projection has something to carry forward)."""
    return series is not None and any(value > 0 or count > 0 for value, count in series[1].values())


def _sold(f: Finding, by_place: dict[str, list[Row]], home: str | None, windows: Sequence[Window], as_of: date,
          data_from: date) -> tuple[str, ...]:
    """The categories of the sales a registration would have to cover: those the finding's rule counts, sold on a
    day tax was due (from the earliest window of nexus, else in the period measured) up to the as-of date. Where
    none is found, every category the rule counts, so that a scheme registration is never counted as covering
    sales by default."""
    rule = f.rule
    counted = rule.categories if rule is not None and rule.categories else CATEGORIES
    starts = [w.since for w in windows if w.since is not None] or ([f.period.start] if f.period else [])
    start = max(min(starts), data_from) if starts else data_from
    if rule is not None and not f.part_of:
        rows = [r for p, rs in by_place.items() if rule.covers(p, home) for r in rs]
    else:
        rows = by_place.get(f.jurisdiction, [])
    sold = {row[0][5] for row in rows if (row[0][5] in counted or row[0][5] == UNKNOWN)
            and any(v[0] for d, v in row[1].items() if start <= d <= as_of)}
    found = tuple(c for c in LINE_CATEGORIES if c in sold)
    return found or tuple(counted)


def _stock(rule: Rule | None, presence: Sequence[Verdict], as_of: date) -> list[str]:
    """The stock the presence file puts in a union's member states by the as-of date, in words: goods sent from it
    are not imports, which the Import OSS's assumption must be read beside."""
    if rule is None or not rule.members:
        return []
    items = {id(v.item): v.item for v in presence if v.jurisdiction in rule.members
             and v.item.kind in STOCK_KINDS and (v.item.since is None or v.item.since <= as_of)}
    return [f"{i.kind} at {i.location}" for i in items.values()]


def _own_stock(f: Finding, presence: Sequence[Verdict], home: str | None,
               as_of: date) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """What stock held in the finding's own EU member state needs beside a scheme registration held for its sales
    (the Union OSS), as sentences, and the sources of the rule: ``(needs, unknown, sources)``.

    Sales from that stock to customers there are domestic supplies, which the OSS does not take, and the stock's
    arrival a transfer of the seller's own goods (``data/stock-registration.json``): the member state's own VAT
    registration is needed from the stock's arrival, whatever the OSS covers. The VAT on the sales stays counted
    as collected where the OSS registration assumes it was (it then goes on another return, not unpaid). A seller
    established there is at home; a date or seller no row speaks for is unknown."""
    if f.part_of != "EU" or home == f.jurisdiction:
        return (), (), ()
    items = {id(v.item): v.item for v in presence if v.jurisdiction == f.jurisdiction and v.verdict == "creates"
             and v.item.kind in STOCK_KINDS and v.item.active(as_of)}
    if not items:
        return (), (), ()
    establishment = "other_member_state" if home and eu_vat_member(home, as_of) else "outside_eu"
    rule = stock_rule(f.jurisdiction, establishment, as_of)
    name, where = places.name(f.jurisdiction), "; ".join(f"{i.kind} at {i.location}" for i in items.values())
    if rule is None:
        return (), (f"whether a scheme registration covers the sales from the stock in {name} ({where}) is unknown: "
                    f"no row of data/stock-registration.json speaks for this seller on {as_of}",), ()
    return (f"the stock in {name} ({where}) needs {name}'s own VAT registration from its arrival, whatever a scheme "
            f"registration covers, which does not take {'; nor '.join(rule.not_covered)} "
            f"(data/stock-registration.json)",
            f"the VAT on the sales to customers in {name} is counted as collected under the scheme registration, as "
            f"it assumes (to be declared in {name}'s own returns instead), not as tax at stake"), (), rule.sources


def _versions(book: RuleBook, rule: Rule, rows: list[Row], rates: Rates | None, policy: str, start: date,
              end: date, ledger: Ledger,
              sums: Sums | None = None) -> list[tuple[Rule, dict[date, list], dict[date, Decimal] | None]]:
    """The versions of ``rule`` in force between ``start`` and ``end``, each with the sales it counts per day."""
    return [(v, *_counted(v, rows, rates, policy, start, end, ledger, sums)) for v in book.rules
            if v.key == rule.key and v.effective_from <= end and (v.effective_to is None or v.effective_to >= start)]


def _counted(rule: Rule, rows: list[Row], rates: Rates | None, policy: str, start: date, end: date,
             ledger: Ledger, sums: Sums | None = None) -> tuple[dict[date, list], dict[date, Decimal] | None]:
    """The sales ``rule`` counts per day from ``start`` to ``end``, in its currency (and worldwide sales for a rule
    with a worldwide test)."""
    window = [Period(start, end, f"{start} to {end}")]
    convert = Converter(rates, rule.currency, policy, window)
    days, _aside = collect(rule, rows, convert, window, sums)
    world = (_worldwide(ledger.by_day_and_currency(), convert, window, sums) if rule.global_threshold is not None
             else None)
    return days, world


def _presence_windows(finding: Finding, as_of: date) -> list[Window]:
    """A window of nexus for each presence item that creates it, from its own dates where the file gives them,
    but never before the rules made it nexus (a warehouse in Japan since 2015 under a rule of 2019: from 2019), to
    the end of the state's trailing period where its data gives one (docs/presence.md, "After the presence ends")."""
    found = []
    for v in finding.presence:
        label = f"{v.item.kind} at {v.item.location} ({v.item.source.file}:{v.item.source.line})"
        trail = trailing.of(v, as_of)
        if v.verdict == "creates":
            since = creates_since(v.item, v.jurisdiction, v.during[1] if v.during else as_of)
            # An item counted in the periods the rule measures makes nexus now (the finding's own reading), though
            # it has left: the window stays open on the as-of date, as a sales test met last year keeps nexus; a
            # trailing period that reaches the as-of date keeps it open too (one over by then made the item past).
            until = None if finding.nexus == "presence" or (trail and trail.known) else v.item.until
            found.append(Window("presence", since, since, since, until, label, trail=trail))
        elif v.earlier == "creates":  # in place only before those periods: a past window, closed when nexus ended
            since = creates_since(v.item, v.jurisdiction, v.item.until)
            until = trail.until if trail is not None and trail.until is not None else v.item.until
            found.append(Window("presence", since, since, since, until, label, trail=trail))
    return found


def in_order(findings: list[Finding]) -> list[Finding]:
    """Most severe first; a union's member states right after the union's own finding, largest sales first."""
    members: dict[tuple[str, str], list[Finding]] = {}
    for f in findings:
        if f.part_of:
            members.setdefault((f.part_of, f.scheme), []).append(f)
    out = []
    for f in sorted((f for f in findings if not f.part_of), key=lambda f: (f.severity(), f.jurisdiction, f.scheme)):
        out.append(f)
        out += sorted(members.pop((f.jurisdiction, f.scheme), []), key=lambda m: (-m.sales, m.jurisdiction))
    return out + [m for group in members.values() for m in group]


def _home_basis(book: RuleBook, as_of: date, home: str) -> Rule | None:
    """The rule that names the tax of a home no rule measures: the union's rule for a member state (the EU's
    for Germany), else the latest rule for that country (its tax's name and the authority's pages)."""
    country = home.split("-")[0]
    for rule in book.applicable(as_of, home):
        if country in rule.members or rule.jurisdiction in (home, country):
            return rule
    history = book.history(home) or book.history(country)
    return history[-1] if history else None
