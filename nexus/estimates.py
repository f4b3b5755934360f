"""Each finding's estimate of the tax at stake, and their total.

:mod:`nexus.exposure` works out one estimate from the sales and the days of tax due it is given. This module gives it
a finding's (:func:`estimated`): the sales of the places its rule covers, less the days a registration collected on
and the categories its regime does not tax, the tax the orders charged set against them, the estimate then put in
the reporting currency; the same for a window of nexus under a rule no longer in force (:func:`past_estimate`) and
for a nexus not yet in place (:func:`estimate_over`, a candidate provider's); and sums them (:func:`reported_total`).
:mod:`nexus.check` asks for them once the findings are dated (:mod:`nexus.timing`).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Sequence

from nexus.categories import UNKNOWN
from nexus.errors import RateMissing
from nexus.days_due import NOT_COVERED, in_scope, not_covered, spans
from nexus.exposure import MARKETPLACE_BY_RULE, MARKETPLACE_COLLECTS, OwnMarketplace, estimate
from nexus.exposure_records import Exposure, Range, Total
from nexus.findings import Context, Finding, Row, domestic_test
from nexus.fx import Rates, RateTable
from nexus.lapsed import PastWindow, uncovered
from nexus.limitation import Limitation, assess
from nexus.measures import Converter
from nexus.periods import Period
from nexus.registrations import (COVERAGE_FILE, SCHEMES, Collected, Coverage, closed_schemes, held_by, scope)
from nexus.remembered import recall
from nexus.returns import filing_of
from nexus.rules import Rule, RuleBook
from nexus.ledger import Ledger
from nexus.tax_rates import TaxBook, load_tax_book
from nexus.windows import Window


def estimated(findings: list[Finding], book: RuleBook, by_place: dict[str, list[Row]], home: str | None,
              as_of: date, rates: Rates | None, policy: str, data_from: date, context: Context,
              charges: dict[Any, dict[date, list]] | None = None,
              links: dict[Any, dict[date, dict]] | None = None, data_to: date | None = None) -> list[Finding]:
    """Each finding with nexus from sales or presence with its estimate of the tax at stake (nexus.exposure).

    A union's own finding is estimated member by member (each member's VAT), the home not at all (its tax is
    the company's ordinary business), and a place whose sales are in a currency without rates says so. The tax
    the orders charged (the ledger's ``charges``) is set against the tax due; the refunds linked to a sale made
    before tax was due (its ``refund_links``) are left out.
    """
    # The taxability a seller's sales carry depends on where it is established: at home a domestic seller's (Japan
    # taxes its own sellers' goods, not a foreign seller's), elsewhere a foreign seller's.
    source = context.tax_book if context.tax_book is not None else load_tax_book()
    taxes: TaxBook = recall(("taxes", id(source), home), [source], lambda: source.for_seller(home))
    own_rules = {r.jurisdiction for r in book.rules}
    out = []
    for f in findings:
        if not _owing(f):
            out.append(f)
            continue
        assert f.timing is not None  # _owing: a finding without dates owes nothing nexus can estimate
        if f.rule is not None and f.rule.member_findings and not f.part_of:
            out.append(replace(f, exposure_note="estimated member state by member state"))
            continue
        rule = f.rule
        if rule is not None and not f.part_of:
            rows = [r for p, rs in by_place.items() if rule.covers(p, home) for r in rs]
        else:
            rows = by_place.get(f.jurisdiction, [])
        if rule is not None and not rule.jurisdiction.startswith("US-") and f.nexus != "presence":
            # Outside the US a registration rule's categories are its regime's scope, not only what its test
            # counts: the EU's union scheme covers goods and e-services (other services are taxed where the
            # supplier is), and Switzerland's mail-order and services registrations each tax their own sales, never
            # both. Lines of unknown category stay, for the estimate to leave out and say so. (A presence there
            # makes the business local: its domestic tax, by the taxability data.)
            rows = [row for row in rows if row[0][5] in rule.categories or row[0][5] == UNKNOWN]

        registration = f.timing.registration
        # Sales a scheme registration collected on are not at stake; those it does not cover stay (the SaaS of a
        # seller with the Import OSS alone).
        closed = closed_schemes(held_by(context.registrations, as_of), f.timing.coverage, f.jurisdiction, f.part_of,
                                f.scheme, tuple(dict.fromkeys(p[5] for p, _ in rows)), as_of)
        rows, cuts = _cut(rows, (f.timing.coverage, closed))
        collecting = f.timing.collecting  # the days the place's own permits collected on, closed ones included
        if registration is not None and registration.jurisdiction in SCHEMES and registration.closed_on:
            collecting += ((registration.collecting_from, registration.closed_on),)  # a closed OSS: its days only
        uncovered = not_covered(f.timing.windows, as_of, registration.collecting_from if registration else None,
                                data_from, collecting)
        if uncovered:
            out.append(replace(f, exposure_note=uncovered))
            continue
        exposure, limits, note = _estimate_place(f, rows, cuts, book, taxes, own_rules, as_of, rates, policy,
                                                 data_from, context, charges, links, collecting, data_to)
        out.append(replace(f, exposure_note=note) if exposure is None
                   else replace(f, exposure=exposure, limits=limits))
    return out


def _owing(f: Finding) -> bool:
    """Whether tax may be owed there: nexus today, or a window of nexus that has ended, from sales or from presence
    (the sales made while it was open were taxable, though the test is no longer met or the server has gone)."""
    if f.timing is None or f.status == "no-sales-tax":
        return False
    if f.status == "established":
        # The home's tax is its ordinary business, but where its domestic test decides registration (Japan's) and
        # the registration is not held when the dates call for it, the tax since is at stake as anywhere else; so
        # it is for a duty that has ended unregistered (Germany taxed 2026 for 2025's turnover; 2026's was below),
        # and for a US state as home whose permit the registrations file does not hold.
        ended = f.timing.action is None and f.timing.registration is None
        if not domestic_test(f.rule) and f.timing.action == "register-now":
            return True  # a US state as home without its permit (nexus.permits.permit_missing): no other home acts
        if not domestic_test(f.rule) and f.timing.action == "registered" and f.timing.gap is not None:
            return True  # a US state as home whose permit came late (nexus.permits.late_permit)
        # A home registered after its domestic test made its tax due (Japan's from 2026-01-01, registered from
        # 2026-04-01) owes the tax of the days between, its gap, as any registration that came late.
        late = f.timing.action == "registered" and f.timing.gap is not None
        return domestic_test(f.rule) and (f.timing.action in ("register-now", "register-by") or ended or late) and any(
            w.basis == "economic" and w.since for w in f.timing.windows)
    return f.nexus in ("economic", "presence") or any(w.since for w in f.timing.windows)


def _cut(rows: list[Row], covers: Sequence[Coverage | None]) -> tuple[list[Row], dict[Any, Collected]]:
    """The rows with the days a scheme registration collected on left out, category by category (the Import OSS
    from its own day for goods, the non-Union OSS from its own for services, each to its closing where it was
    closed), and those days per series for the tax charged (:func:`_charged`)."""
    out, cuts = [], {}
    for profile, series in rows:
        days = tuple(d for cover in covers if cover is not None for d in cover.scheme_days(profile[5]))
        if not days:
            out.append((profile, series))
            continue
        cuts[profile] = days
        out.append((profile, {d: v for d, v in series.items() if not _collected_on(d, days)}))
    return out, cuts


def _collected_on(day: date, days: Collected) -> bool:
    """Whether a registration collected on ``day``: within one of ``days``, each from its first day to its closing."""
    return any(first <= day and (last is None or day <= last) for first, last in days)


#: What one place's estimate comes to: the estimate in the reporting currency and its limitation periods, or None and
#: why it could not be made.
Estimated = tuple[Exposure | None, Limitation | None, str]


def _estimate_place(f: Finding, rows: list[Row], cuts: dict[Any, Collected], book: RuleBook, taxes: TaxBook,
                    own_rules: set[str], as_of: date, rates: Rates | None, policy: str, data_from: date,
                    context: Context, charges: dict[Any, dict[date, list]] | None,
                    links: dict[Any, dict[date, dict]] | None, collecting: Collected,
                    data_to: date | None) -> Estimated:
    """One finding's estimate over its place's ``rows``, worked out once for the same inputs while
    :func:`nexus.remembered.remembered` is in force: a provider comparison estimates today and under each candidate, and
    a place whose rows no candidate touches (the same series, shared by
    :func:`nexus.provider_roles.apply_roles`), with the same dates of nexus, comes to the same figures each time."""
    timing = f.timing
    assert timing is not None  # _owing: only a timed finding is estimated
    registration = timing.registration
    rule = f.rule
    # Every input of the estimate: the rows by identity (kept alive with the result, so no id is reused meanwhile),
    # the rest by value; the books, rates, charges and links by identity, being the run's own.
    key = ("estimate", id(book), id(rule), id(taxes), id(rates), id(charges), id(links), f.jurisdiction, f.currency,
           f.nexus, timing.windows, registration.collecting_from if registration else None, tuple(collecting), data_to,
           filing_of(registration, f.jurisdiction),
           tuple((profile, id(days)) for profile, days in rows), tuple(sorted(cuts.items())), as_of, policy,
           data_from, context.report_currency)
    keep = [book, rule, taxes, rates, charges, links, rows]

    def work() -> Estimated:
        return _estimate_afresh(f, rows, cuts, book, taxes, own_rules, as_of, rates, policy, data_from, context,
                                charges, links, collecting, data_to)

    found: Estimated = recall(key, keep, work)
    return found


def _estimate_afresh(f: Finding, rows: list[Row], cuts: dict[Any, Collected], book: RuleBook, taxes: TaxBook,
                     own_rules: set[str], as_of: date, rates: Rates | None, policy: str, data_from: date,
                     context: Context, charges: dict[Any, dict[date, list]] | None,
                     links: dict[Any, dict[date, dict]] | None, collecting: Collected,
                     data_to: date | None) -> Estimated:
    rule = f.rule
    timing = f.timing
    assert timing is not None
    registration = timing.registration

    def place_of_rate(place: str) -> str:
        if place == f.jurisdiction or (taxes.has_rates(place) and place not in own_rules):
            return place
        return f.jurisdiction

    convert = Converter(rates, f.currency or (rule.currency if rule else "USD"), policy,
                        [Period(data_from, as_of, "")])
    own = _own_marketplace(book, rule)
    abroad = (rule is not None and not rule.jurisdiction.startswith("US-") and f.nexus != "presence"
              and not any(w.basis == "presence" for w in timing.windows))
    try:
        found = estimate(place_of_rate, f.jurisdiction, convert.to_code, rows, timing.windows, as_of, convert,
                         taxes, registration.collecting_from if registration else None,
                         _charged(rows, charges or {}, convert, as_of, cuts), data_from=data_from,
                         own_marketplace=own, scope=_scope(book, rule) if abroad else None,
                         left_to_marketplace=_left_to_marketplace(rule), established=f.nexus == "establishment",
                         collecting=collecting, linked=links, data_to=data_to,
                         filing=filing_of(registration, f.jurisdiction))
    except RateMissing as exc:
        return None, None, f"not estimated: {exc}"
    limits = (assess(f.jurisdiction, found.start, found.end, as_of, filing=found.filing.given)
              if found.start and found.end else None)
    found = _goods_assumed(f, rows, found)
    return _reported(found, rates, as_of, context.report_currency), limits, ""


def _goods_assumed(f: Finding, rows: Sequence[Row], found: Exposure) -> Exposure:
    """The estimate with what its goods rest on, for a seller established outside the EU: each goods sale into a
    member state is counted as that state's VAT owed by the seller (the rule's data), which holds for goods sent from
    stock in a member state but not for goods imported from outside the EU (the Import OSS's up to EUR 150, taxed at
    import above it), and the orders show neither where goods were sent from nor a consignment's value. The words are
    ``data/registration-coverage.json``'s for the non-Union OSS (``EU``) on the estimate's last day."""
    rule = f.rule
    if (rule is None or rule.establishment != "non_established" or not f.part_of or not found.taxable_sales
            or found.start is None or found.end is None):
        return found
    row = scope("EU", rule.scheme, found.end)
    assumed = dict(row.assumed).get("goods") if row is not None else None
    start, end = found.start, found.end
    if row is None or assumed is None or not any(
            profile[5] == "goods" and any(start <= day <= end and v[0] for day, v in days.items())
            for profile, days in rows):
        return found
    # One sentence for every member (as the taxability caveats are), so that outputs list it once for all of them.
    said = (f"{rule.jurisdiction} (goods, seller established outside the EU): every goods sale into a member state is "
            f"counted as {rule.tax} of that state owed by the seller, which holds if {assumed}; {row.others}. For "
            f"goods that were imported the tax counted here was not owed this way, and the estimate overstates it "
            f"({COVERAGE_FILE}).")
    return replace(found, assumptions=found.assumptions + (said,))


def estimate_over(finding: Finding, ledger: Ledger, book: RuleBook, as_of: date, start: date,
                  rates: Rates | RateTable | None = None, home: str | None = None, fx_policy: str = "daily",
                  timed: Context = Context()) -> Finding:
    """``finding`` with the estimate of the tax on its places' sales from ``start`` to ``as_of``, as though its nexus
    had stood on every one of those days, whatever its own dates: what a nexus not yet in place (a candidate
    provider's warehouse) would cost at the pace of those sales (:mod:`nexus.provider_exposure`). The same rates,
    taxability, marketplace laws and registrations held as the check's own estimate."""
    if finding.timing is None:
        return finding
    if isinstance(rates, RateTable):
        rates = Rates([rates])
    window = Window(finding.nexus or "presence", start, start, start, None, f"the days from {start} to {as_of}")
    by_place: dict[str, list[Row]] = {}
    for row in ledger.series.items():
        by_place.setdefault(row[0][0], []).append(row)
    data_from = ledger.first_day or as_of + timedelta(days=1)
    over = replace(finding, timing=replace(finding.timing, windows=(window,)), exposure=None, exposure_note="")
    return estimated([over], book, by_place, home, as_of, rates, fx_policy, data_from, timed, ledger.charges,
                     ledger.refund_links)[0]


def past_estimate(past: PastWindow, findings: Sequence[Finding], book: RuleBook, by_place: dict[str, list[Row]],
                  home: str | None, as_of: date, rates: Rates | None, policy: str, data_from: date, timed: Context,
                  charges: dict[Any, dict[date, list]], links: dict[Any, dict[date, dict]] | None = None
                  ) -> PastWindow:
    """The past window with its estimate, as :func:`estimated` makes a finding's: the sales the rule's regime taxes,
    each day's rate then in force, less the days a current finding of the same place already estimates."""
    rule = past.rule
    taxes = (timed.tax_book if timed.tax_book is not None else load_tax_book()).for_seller(home)
    # Each day's sale is taxed only if the version in force that day covers its category, as a finding's is.
    scope = None if rule.jurisdiction.startswith("US-") else _scope(book, rule)
    categories = {c for _a, _b, cs in scope for c in cs} if scope else set(rule.categories)
    rows = [row for p, rs in by_place.items() if rule.covers(p, home) for row in rs
            if row[0][5] in categories or row[0][5] == UNKNOWN]
    # Each permit covers the days it collected on, to its closing: a past window after a permit closed is owed.
    held = [r for r in held_by(timed.registrations, as_of) if r.covers(rule.jurisdiction)]
    own = tuple((r.collecting_from, r.closed_on) for r in held if r.jurisdiction == rule.jurisdiction)
    registration = next((r for r in held if r.held_on(as_of)), None)
    collecting = registration.collecting_from if registration else None
    covered = [(s.start, s.end, f.label) for f in findings
               if f.jurisdiction == rule.jurisdiction and f.exposure is not None and f.timing is not None
               for s in _estimated_days(f, book, rule.categories, as_of, data_from)]
    windows, overlap = uncovered(past.window, covered)
    past = replace(past, overlap=tuple(overlap))
    note = not_covered(windows, as_of, collecting, data_from, own)
    if note or not windows:
        named = ", ".join(dict.fromkeys(label for _a, _b, label in overlap))
        return replace(past, exposure_note=note or f"every day of it is in the estimate of the current finding {named}")
    convert = Converter(rates, rule.currency, policy, [Period(data_from, as_of, "")])
    try:
        found = estimate(lambda place: place if taxes.has_rates(place) else rule.jurisdiction, rule.jurisdiction,
                         rule.currency, rows, windows, as_of, convert, taxes, collecting,
                         _charged(rows, charges, convert, as_of), data_from=data_from,
                         own_marketplace=_own_marketplace(book, rule), scope=scope,
                         left_to_marketplace=_left_to_marketplace(rule), collecting=own, linked=links,
                         filing=filing_of(registration, rule.jurisdiction))
    except RateMissing as exc:
        return replace(past, exposure_note=f"not estimated: {exc}")
    return replace(past, exposure=_reported(found, rates, as_of, timed.report_currency))


def _estimated_days(f: Finding, book: RuleBook, categories: Sequence[str], as_of: date, data_from: date) -> list[Any]:
    """The days ``f``'s estimate taxes sales of any of ``categories`` (:func:`estimated`'s spans, within its rule's
    scope version by version outside the US; every category where presence makes the business local)."""
    assert f.timing is not None
    due = spans(f.timing.windows, as_of, f.timing.registration.collecting_from if f.timing.registration else None,
                data_from, f.timing.collecting)[0]
    rule = f.rule
    if (rule is None or f.nexus == "presence" or rule.jurisdiction.startswith("US-")
            or any(w.basis == "presence" for w in f.timing.windows)):
        return due
    return [s for c in categories for s in in_scope(due, _scope(book, rule), c)]


def _scope(book: RuleBook, rule: Rule) -> list[tuple[date, date, frozenset[str]]]:
    """Each version of ``rule``: its first and last day and the categories its regime taxes. Outside the US a window
    under an earlier version taxes only that version's categories (the EU's EUR 10,000 reached e-services alone
    before 2021-07-01; goods were the member states' own distance-selling thresholds')."""
    return [(v.effective_from, v.effective_to or date.max, frozenset(v.categories)) for v in book.rules
            if v.key == rule.key]


def _own_marketplace(book: RuleBook, rule: Rule | None) -> OwnMarketplace | None:
    """Outside the US, the days on which a marketplace sale of a category is the seller's own supply: those of each
    version of ``rule`` that counts marketplace sales and does not make the marketplace the deemed supplier of that
    category (a window under an earlier version goes by that version's setting, not today's; days before the first
    version or after the last go by the nearest). None where no version does: the estimate's default holds (the
    marketplace collects; US states go by their facilitator laws)."""
    if rule is None or rule.jurisdiction.startswith("US-"):
        return None
    versions = sorted((v for v in book.rules if v.key == rule.key), key=lambda v: v.effective_from) or [rule]
    if not any(v.marketplace == "included" for v in versions):
        return None
    last = len(versions) - 1
    days = [(date.min if i == 0 else v.effective_from, date.max if i == last else v.effective_to or date.max, v)
            for i, v in enumerate(versions)]
    return lambda category: _joined([(a, b) for a, b, v in days
                                     if v.marketplace == "included" and category not in v.marketplace_deemed])


def _left_to_marketplace(rule: Rule | None) -> str:
    """What the estimate says of the marketplace sales abroad it leaves out: by the finding's own rule where there
    is one (South Korea's makes an open market liable for what it sells), else the assumption (the EU's and the
    UK's deemed-supplier rules as the example)."""
    return MARKETPLACE_COLLECTS if rule is None else MARKETPLACE_BY_RULE


def _joined(spans: list[tuple[date, date]]) -> list[tuple[date, date]]:
    """Spans one version ending the day before the next begins read as one ("2025-01-01 to 2026-10-31", not two
    spans split where a rule changed something else)."""
    out: list[tuple[date, date]] = []
    for a, b in spans:
        if out and out[-1][1] != date.max and out[-1][1] + timedelta(days=1) == a:
            out[-1] = (out[-1][0], b)
        else:
            out.append((a, b))
    return out


def _charged(rows: Sequence[Row], charges: dict[Any, dict[date, list]], convert: Converter,
             as_of: date, cuts: dict[Any, Collected] | None = None) -> dict[Any, dict[date, Decimal]] | None:
    """The tax the orders charged on each row's sales per day, in the estimate's currency; None when they charged
    none (orders without a tax column, or with only zeros): then none is assumed collected. The estimate sets it
    against the tax only on the sales it taxes (:func:`nexus.exposure.estimate`); days a registration collected on
    (``cuts``) are left out, as their sales are."""
    found: dict[Any, dict[date, Decimal]] = {}
    for (profile, _series) in rows:
        code = profile[1]
        days = charges.get(profile)
        if not days:
            continue
        cut = (cuts or {}).get(profile, ())
        for day, (_shipping, tax) in days.items():
            if tax and day <= as_of and not _collected_on(day, cut):
                mine = found.setdefault(profile, {})
                mine[day] = mine.get(day, Decimal(0)) + (tax if code == convert.to_code else convert(tax, code, day))
    return found or None


def _reported(found: Exposure, rates: Rates | None, as_of: date, currency: str) -> Exposure:
    """The estimate with its figures in the reporting currency at the as-of date's rate (left as it is, and said
    in the total, where no rate converts it)."""
    if found.currency == currency:
        return replace(found, reporting=found.uncollected, reporting_currency=currency, reporting_rate=Decimal(1),
                       reporting_rate_date=as_of)
    if rates is None:
        return found
    try:
        factor, legs = rates.factor(found.currency, currency, as_of)
    except RateMissing:
        return found
    return replace(found, reporting=found.uncollected.scaled(factor), reporting_currency=currency,
                   reporting_rate=factor, reporting_rate_date=max((d for _, d in legs), default=as_of))


def reported_total(findings: Sequence[Finding], rates: Rates | None, as_of: date, currency: str,
                   past: Sequence[PastWindow] = ()) -> tuple[Total | None, list[str]]:
    """The total in the reporting currency, and what it leaves out, said: where no rate brought any estimate to
    that currency there is no total at all (it was a total of zero, as if nothing were at stake); where some
    were left out, the total is of the others only. Past windows under rules no longer in force are in it, and
    their part is given apart (``Total.past``)."""
    estimated: list[Any] = [f for f in list(findings) + list(past) if f.exposure is not None]
    total = _total(estimated, findings, as_of, currency)
    left = [f.label for f in estimated if f.exposure.reporting is None or f.exposure.reporting_rate is None]
    if total is None or not left:
        return total, []
    if len(left) == len(estimated):
        return None, [f"no estimate could be converted to {currency} on the as-of date (no exchange rate): no "
                      f"total is given; each jurisdiction's estimate stays in its own currency ({', '.join(left)})"]
    return total, [f"the total in {currency} leaves out {len(left)} estimate{'s' * (len(left) != 1)} no exchange "
                   f"rate converts to it: {', '.join(left)}"]


def _total(estimates: Sequence[Any], findings: Sequence[Finding], as_of: date, currency: str) -> Total | None:
    """Every estimate (of a finding, or of a past window under a rule no longer in force) in the reporting currency
    at the as-of date's rate (each rate and its date named); the past windows' tax also on its own."""
    if not estimates:
        return None
    tax = past = past_run = Range(Decimal(0), Decimal(0), Decimal(0))
    penalty = interest = vda = now = later = Decimal(0)
    above: Decimal | None = None  # tax charged above a month's estimate, where an estimate measured it
    later_places: list[tuple[str, date]] = []
    ran = 0
    # A place whose days of tax due all lie before the first order is left out of the total, and said.
    missing: list[str] = [f"{f.label}: {f.exposure_note}" for f in findings
                          if f.exposure is None and f.exposure_note.startswith(NOT_COVERED)]
    used: dict[str, tuple[str, Decimal, date]] = {}
    unconverted: list[str] = []
    tax_alone: list[str] = []
    unknown: list[str] = []
    for f in estimates:
        e = f.exposure
        assert e is not None
        if e.reporting is None or e.reporting_rate is None:
            missing.append(f"{f.label}: no exchange rate converts {e.currency} to {currency} on {as_of}")
            unconverted.append(f.label)
            continue
        factor = e.reporting_rate
        if e.currency != currency:
            used[e.currency] = (e.currency, factor, e.reporting_rate_date or as_of)
        tax = tax + e.reporting
        if isinstance(f, PastWindow):
            past = past + e.reporting
            if f.limits.status == "run":
                past_run, ran = past_run + e.reporting, ran + 1
        penalty += (e.penalty or Decimal(0)) * factor
        interest += (e.interest or Decimal(0)) * factor
        if e.charged_above is not None:
            above = (above or Decimal(0)) + e.charged_above * factor
        vda += e.scenarios["vda"].total * factor
        disclosed = e.scenarios["vda"]
        if disclosed.note.startswith("not estimated") and disclosed.total:
            tax_alone.append(f.label)  # a place with no tax to disclose adds nothing to say
        elif disclosed.total and (disclosed.penalty is None or disclosed.interest is None):
            unknown.append(f.label)  # a charge the programme leaves due, not estimated
        grows = e.scenarios["registered_now"]
        now += grows.tax.central * factor
        if grows.once_due is not None and grows.once_due.central and grows.start is not None:
            later += grows.once_due.central * factor  # tax due only from a day after the as-of date: apart
            later_places.append((f.label, grows.start))
        if e.penalty is None:
            missing.append(f"{f.label}: penalties {e.penalty_note}")
        if e.interest is None:
            missing.append(f"{f.label}: interest {e.interest_note}")
    return Total(currency, tax, penalty, interest, vda, now, tuple(missing), tuple(used.values()), tuple(unconverted),
                 past, sum(1 for f in estimates if isinstance(f, PastWindow)), past_run, ran, tuple(tax_alone),
                 tuple(unknown), later, tuple(later_places), above)
