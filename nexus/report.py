"""The sentences every output says of a check's result alike (the screen, the workbooks, the memo, the JSON), and
``nexus presence``'s JSON. The check's JSON is :mod:`nexus.report_json`, its CSV :mod:`nexus.report_csv`; the books
commands' screens (currencies review, accounts plan, accrue) :mod:`nexus.books_report`; the text safety and width
every output relies on :mod:`nexus.text_safety`.
"""
from __future__ import annotations

from datetime import date, timedelta
from typing import Any, Callable, Sequence


from nexus.categories import listed
from nexus.check import UNKNOWN_BEFORE_DUTY
from nexus.permits import LATE_PERMIT, NOT_NEEDED
from nexus.findings import CheckResult, Finding
from nexus.measures import decided_by_transactions, shown_share
from nexus.days_due import NOT_COVERED
from nexus.exposure import crossing_day_words
from nexus.exposure_records import Exposure
from nexus.money import format_amount
from nexus.reasons import money
from nexus.registrations import Registration
from nexus.timeline import closed_permits
from nexus.timing import ended_span
from nexus.text_safety import json_dumps
from nexus.timing_rules import PermitRule


def threshold_share(f: Finding) -> tuple[str, bool]:
    """A finding's share of its threshold as every output prints it (whole percent, rounded down; empty where there
    is none, or the data do not cover the period), and whether the transaction count, not the sales, gives it."""
    if f.ratio is None or f.uncovered:
        return "", False
    by_count = f.rule is not None and decided_by_transactions(f.rule, f.sales, f.transactions)
    return f"{shown_share(f.ratio):.0%}", by_count


def share_of_threshold(f: Finding) -> str:
    """The share as the screen's tables print it: "txns" after it where the transaction count gives it (sales of
    USD 56,271.16 at "98%" of "> USD 100,000 or >= 200 txns" read as a mistake)."""
    shown, by_count = threshold_share(f)
    return f"{shown} txns" if by_count else shown


def registered_needlessly(result: CheckResult) -> list[str]:
    """The registrations held where nothing in the data requires one, in one sentence for the screen and the
    workbook's Summary alike (a registration kept after a move, or filed ahead of a threshold): returns to file, and
    perhaps a registration to close."""
    said = []
    kept = {id(r) for r, _ in result.kept_permits}
    idle = [r.jurisdiction for r in result.unneeded_registrations if id(r) not in kept]
    if idle:
        said.append(f"Registered where nothing in the data requires it: {', '.join(idle)}.")
    said += [permit_kept_words(r, rule) for r, rule in result.kept_permits]
    if result.unassessed_registrations:  # no rule there: nexus cannot say the registration is not needed
        said.append(f"Registered where nexus has no rule, so not assessed: "
                    f"{', '.join(r.jurisdiction for r in result.unassessed_registrations)}.")
    return said


def register_again(result: CheckResult) -> list[tuple[Finding, Registration]]:
    """The places to register in again, each with the last permit the registrations file lists as closed before the
    duty it must cover began (or while it went on): a finding still to register (``register-now`` or ``register-by``)
    whose place held a permit closed before the as-of date."""
    found = []
    for f in result.findings:
        if f.timing is None or f.timing.action not in ("register-now", "register-by"):
            continue
        closed = [r for r in closed_permits(f, result.registrations)
                  if r.closed_on is not None and r.closed_on < result.as_of]
        last = max(closed, key=lambda r: r.closed_on or date.min, default=None)
        if last is not None:
            found.append((f, last))
    return found


def register_again_words(result: CheckResult) -> str:
    """:func:`register_again` in one sentence for the screen and the workbook's Summary ("" where there are none):
    beside a permit the company knows it held, 'overdue' alone reads as a mistake."""
    named = [f"{f.jurisdiction} (permit {r.reference}, closed on {r.closed_on})" for f, r in register_again(result)]
    if not named:
        return ""
    return f"Register again in {listed(named)}: a permit closed before a later duty does not cover it."


def permit_kept_words(r: Registration, rule: PermitRule) -> str:
    """A permit held where no sales test is met, in a state that keeps its holder liable until it is cancelled: it
    may be closed, and tax is to be collected while it is held, in the state's words with their first source. Read
    as 'registered where nothing requires it', it would pass for a permit with no duty attached."""
    return (f"Permit held in {r.jurisdiction} ({r.reference}) where no sales test is met: it may be closed, and tax "
            f"is to be collected while it is held. {rule.closing} (Source: {rule.closing_sources[0]})")


def no_exposure_found(result: CheckResult) -> str | None:
    """The sentence for a check that finds nothing to act on, or None where something has nexus or tax owed: no
    place with nexus (from sales or presence), no home, no window of nexus that has ended with tax owed, no window
    under a rule no longer in force. The screen, the memo and the workbook say it in these words, so that a seller
    under every threshold reads it plainly rather than inferring it from what is missing."""
    if not result.findings or result.past_windows or before_the_orders(result.findings) or any(
            f.nexus is not None or (f.exposure is not None and f.exposure.months) for f in result.findings):
        return None  # (no finding at all: nothing was assessed, which is not "no exposure")
    return (f"No potential tax exposure found as of {result.as_of}: no sales test is met and no presence creates "
            f"nexus.")


def before_first_order(f: Finding) -> bool:
    """A finding whose every day of nexus lies before the first order read: its tax cannot be estimated."""
    return f.exposure is None and f.exposure_note.startswith(NOT_COVERED) and f.timing is not None


def before_the_orders(findings: Sequence[Finding]) -> str:
    """One sentence for the places without nexus today whose nexus ended before the first order read (a server
    removed before the orders begin): tax may still be owed for those days, which the data cannot estimate. The
    screen, the memo's first page and the workbook's Summary say it alike; "" where there is none."""
    said = []
    for f in findings:
        if f.nexus is None and before_first_order(f):
            assert f.timing is not None
            spans = "; ".join(ended_span(w) for w in f.timing.windows if w.since is not None and w.until is not None)
            said.append(f"{f.jurisdiction} ({spans})" if spans else f.jurisdiction)
    return f"Potential exposure before the first order, not estimated: {', '.join(said)}." if said else ""


def registered_and_collecting(collecting: Sequence[Finding]) -> str:
    """The places registered and collecting, in one sentence for the screen and the workbook's Summary alike: a
    member state covered by its own registration is named as registered; the others are the union's schemes' ("US-WA,
    EU, GB (the EU registration covers DE, FR)"), naming the scheme registrations that cover them. What that assumes
    is :func:`coverage_assumptions`, said beside it."""
    own = {id(f) for f in collecting if f.part_of and f.timing is not None and f.timing.registration is not None
           and f.timing.registration.jurisdiction == f.jurisdiction}
    members = [f for f in collecting if f.part_of and id(f) not in own]
    named = ", ".join(f.jurisdiction for f in collecting if not f.part_of or id(f) in own)
    schemes = sorted({r.jurisdiction for f in members if f.timing is not None and f.timing.coverage is not None
                      for r in f.timing.coverage.registrations}) or ["EU"]
    which = " and ".join(schemes) + (" registrations cover " if len(schemes) > 1 else " registration covers ")
    covered = f"the {which}{', '.join(f.jurisdiction for f in members)}" if members else ""
    said = f"{named} ({covered})" if named and covered else named or covered
    return f"Registered and collecting: {said}."


def home_paragraph(f: Finding, total: str = "", why: str = "--verbose for why") -> str:
    """The home's paragraph, in the screen's and the workbook Summary's words alike: nexus by establishment, which
    test applies at home and what it measured, what the figure holds of sales abroad, what to do (a home whose
    domestic test decides registration, Japan's, has a deadline) and the tax estimated as not collected there.
    ``total`` names where the estimate is counted ("in the total above"), or is empty where no total is shown;
    ``why``, where the reasons for the sales abroad are read."""
    # 'the test below' is the finding's next reason, said beside it (not a table below)
    measured = f" {f.reasons[2]}" if f.rule is not None and len(f.reasons) > 2 else ""
    # the timing's action (a domestic test's deadline), or a US home's permit the registrations file lacks or whose
    # collection began after the business did, or a row for a home state with no sales tax, which is not needed
    action = next((r for r in f.reasons if r.startswith(("Register now", "Register by", "Registered on", NOT_NEEDED)
                                                        + LATE_PERMIT)), "")
    e = f.exposure
    # an estimate no rate converts is in no total
    where = (f", {total}" if total and e is not None and e.reporting is not None else
             "; no exchange rate converts it to the report currency on the as-of date, so it is in no total"
             if e is not None and e.reporting is None else "")
    owed = (f" Estimated tax not collected from {e.start} to {e.end}: {money(e.uncollected.central, e.currency)} "
            f"(an estimate to review{where})." if e is not None and e.start else "")
    if e is not None and e.start:
        # what the home's estimate leaves out (its services, whose place of supply the orders do not give) and
        # what its taxability rows say it cannot tell apart (Japan's reduced rate for food)
        owed += "".join(f" Not estimated: {money(v, e.currency)} of sales ({reason})." for reason, v in
                        sorted(e.not_estimated.items()))
        owed += "".join(f" {c}" for c in e.caveats)
    due = home_tax_from(f)
    # what the domestic test also holds that the orders cannot show (the UK's 'next 30 days' test), named (the
    # reasons say each in full), and the days before the duty that periods before the first order decide
    unchecked = home_not_checked(f, why)
    unchecked = f" {unchecked}" if unchecked else ""
    unknown = "".join(f" {r}" for r in f.reasons if r.startswith(UNKNOWN_BEFORE_DUTY))
    return (f"Home: {f.name} ({f.jurisdiction}), nexus by establishment. {f.reasons[1]}{measured}" + _abroad(f, why)
            + (f" {due}" if due else "") + (f" {action}" if action else "") + unchecked + owed + unknown)


def home_not_checked(f: Finding, why: str) -> str:
    """The parts of the home's domestic test nexus does not check, named in one sentence ("Not checked: the invoice
    system; salaries in the specified period; the business year (--verbose for why)."), or "" where none."""
    if f.status != "established" or f.rule is None or f.rule.establishment != "established" \
            or not f.rule.not_checked:
        return ""
    return f"Not checked: {'; '.join(n.what for n in f.rule.not_checked)} ({why})."


def home_tax_from(f: Finding) -> str:
    """From when the home's own tax is due, and which period's test decides it, where a domestic registration test
    dates the home (Japan's, the UK's, Germany's): the figure said before it is the period that decides the as-of
    date's year, which may be another one (Japan as of 2025-06-30: 2025 is decided by periods before the first
    order, 2026 by the specified period of 2025, met), so a register-now read beside a 'not assessed'."""
    t = f.timing
    if t is None or t.collect_from is None or f.rule is None or f.rule.establishment != "established":
        return ""
    window = next((w for w in t.windows if w.basis == "economic" and w.collect_from == t.collect_from), None)
    if window is None:
        return ""
    tax = f.rule.tax[:1].upper() + f.rule.tax[1:]
    return f"{tax} is due from {t.collect_from}, by the test met in {window.label}."


def _abroad(f: Finding, why: str) -> str:
    """What a home's domestic figure holds of the sales to customers abroad, and what it leaves out, in one sentence
    (the reasons say why, with --verbose)."""
    got = f.excluded
    parts = [f"{money(got[key], f.currency)} {words}" for key, words in (
        ("abroad", "counted"), ("abroad_out_of_scope", "not counted (supplied abroad)"),
        ("abroad_unknown", "left out, whether they count unknown")) if got.get(key)]
    if f.unconverted:  # the figure may be too low by these: a controller must not read 'below' as settled
        parts.append(f"{', '.join(money(v, c) for c, v in f.unconverted)} left out for want of an exchange rate to "
                     f"{f.currency}, so the figure may be too low")
    return f" Sales abroad: {'; '.join(parts)} ({why})." if parts else ""


def coverage_assumptions(findings: Sequence[Finding]) -> list[str]:
    """What counting a scheme registration as covering some sales assumes, once each, with the places it is made
    for: the screen, the workbook and the memo say it wherever a finding is called registered on it, or its
    estimate leaves those sales out ("EU-IOSS is counted as covering goods only on the assumption that ...")."""
    by: dict[str, list[str]] = {}
    for f in findings:
        if f.timing is not None and f.timing.coverage is not None:
            for text in f.timing.coverage.assumptions:
                by.setdefault(text, []).append(f.jurisdiction)
    return [f"{text[0].upper()}{text[1:]} ({', '.join(where)})." for text, where in by.items()]


def refunds_exceed_words(result: CheckResult) -> str:
    """The places (findings and past windows) whose refunds in the period exceed their sales, in one sentence for the
    screen, the workbook's Summary and the memo ("" where there are none): their estimate reads 0.00, and without
    the reason a reader would take it for a place with nothing sold, or miss that no credit lowers the total."""
    places = [x.label for x in list(result.findings) + list(result.past_windows)
              if x.exposure is not None and x.exposure.uncollected_note]
    if not places:
        return ""
    its = "its" if len(places) == 1 else "their"
    return (f"No tax at stake in {', '.join(places)}: refunds in the period exceed the sales there, so {its} "
            f"estimate is zero, not negative, and lowers no other place's tax; the refunds of sales made before the "
            f"period are not a credit.")


def from_first_order_words(result: CheckResult) -> str:
    """One short line for where the figure is read (the memo's headline, the workbook's Summary): the estimates whose
    tax was due before the first order read cover only the days from it, and a home whose duty periods before the
    orders decide is not known for some days ("" where neither). The JSON's assumptions and the reasons say each in
    full; read bare, the total takes those days for days with nothing due."""
    first = result.ledger.first_day
    earlier = _due_before(list(result.findings) + list(result.past_windows), first)
    unknown = [f"in {f.jurisdiction} from {first} to {f.timing.collect_from - timedelta(days=1)}"
               for f in result.findings if f.timing is not None and f.timing.collect_from is not None
               and any(r.startswith(UNKNOWN_BEFORE_DUTY) for r in f.reasons)]
    if not first or not (earlier or unknown):
        return ""
    said = [earlier] if earlier else []
    said += [f"whether tax was due {', '.join(unknown)} is not known from the orders: not estimated"] if unknown else []
    text = "; ".join(said)
    return f"{text[0].upper()}{text[1:]}."


def due_before_orders_words(result: CheckResult) -> str:
    """The findings' part of :func:`from_first_order_words` alone, for a table whose figures it marks (the note under
    the memo's jurisdictions table): "Tax was due from 2024-02-01 in US-TX: estimated from 2025-01-01 only." ("" where
    none). Only the marked places: the headline's line whole (a home's days not known, unmarked) took the note to a
    page of its own (--home JP)."""
    text = _due_before(result.findings, result.ledger.first_day)
    return f"{text[0].upper()}{text[1:]}." if text else ""


def _due_before(estimated: Sequence[Any], first: date | None) -> str:
    """Where tax was due before the first order read, from when, and that the estimates start on that order."""
    earlier = [f"{x.exposure.before_orders} in {x.label}" for x in estimated
               if x.exposure is not None and x.exposure.before_orders]
    return f"tax was due {', '.join(earlier)}: estimated from {first} only" if earlier and first else ""


def after_orders_words(result: CheckResult) -> list[str]:
    """A sentence per estimate whose days before a permit collected run past the last order read, naming the place,
    for the screen (under the total), the workbook's Summary and the memo's headline: read bare, the figure takes
    those days for days without sales (nexus.days_due.after_orders)."""
    return [f"{label}: {a.words()}" for label, e in _estimated_places(result, lambda e: bool(e.after_orders))
            for a in e.after_orders]


def _estimated_places(result: CheckResult, test: Callable[[Exposure], bool]) -> list[tuple[str, Exposure]]:
    """(label, estimate) of the findings and past windows whose estimate passes ``test``, in the report's order."""
    return [(x.label, x.exposure) for x in list(result.findings) + list(result.past_windows)
            if x.exposure is not None and test(x.exposure)]


def crossing_days_words(result: CheckResult) -> str:
    """The places (findings and past windows) whose low end leaves out the sales of the day the threshold was
    crossed, each with those sales and days, in one sentence for the memo and the workbook's Assumptions ("" where
    there are none): there the duty starts with the sale after the one that crossed it (exposure.NEXT_SALE)."""
    places = _estimated_places(result, lambda e: bool(crossing_day_words(e)))
    if not places:
        return ""
    each = ", ".join(f"{label} ({e.currency} {format_amount(e.crossing_sales, e.currency)} on "
                     f"{' and '.join(str(d) for d in e.crossing_days)})" for label, e in places)
    return (f"The low end of the range leaves out the sales of the day the threshold was crossed in {each}: there tax "
            f"is due from the sale after the one that crossed it, and the orders of one day are not told apart; the "
            f"central and high figures include the whole day.")


def refunds_netted_words(result: CheckResult) -> str:
    """The places (findings and past windows) whose estimate netted refunds that took tax off, each with that tax, in
    one sentence for the memo ("" where there are none): the most each estimate may be understated by, where the
    refunds not linked to their sale are of sales made before its period (exposure.REFUNDS_NETTED)."""
    places = _estimated_places(result, lambda e: bool(e.refunds_tax.high))
    if not places:
        return ""
    each = ", ".join(f"{label} ({e.currency} {format_amount(e.refunds_tax.central, e.currency)} on refunds of "
                     f"{e.currency} {format_amount(e.refunds_netted, e.currency)})" for label, e in places)
    return (f"Refunds netted in the period without a link to their sale, on their own day, took tax off the estimate "
            f"in {each}. A refund of a sale made before tax was due is no credit (no tax was due on the sale), and "
            f"nothing in the orders says which sale these refunds are of: each estimate may be understated by up to "
            f"that tax; check those refunds against their orders' dates.")


def presence_json(verdicts: list) -> str:
    """A list of objects: ``item`` (the input row), ``jurisdiction``, ``city``, ``verdict``, ``active``,
    ``reasons``, ``sources`` (docs/presence.md)."""
    return json_dumps([v.as_dict() for v in verdicts])
