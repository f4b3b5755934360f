"""Rendering findings: a table for people, JSON for programs (the check's CSV is :mod:`nexus.report_csv`).

The JSON shape is documented in ``docs/json.md`` and is stable: keys are only
ever added. Money is written as decimal strings rounded to the currency's
minor unit, dates as ISO 8601.
"""
from __future__ import annotations

import json
import re
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Callable, Sequence


from nexus import __version__, outputs
from nexus.categories import SOURCES, listed
from nexus.check import UNKNOWN_BEFORE_DUTY
from nexus.permits import LATE_PERMIT, NOT_NEEDED
from nexus.findings import NEXUS_KINDS, STATUSES, CheckResult, Finding
from nexus.measures import Measure, decided_by_transactions, shown_share, stored_ratio
from nexus.days_due import NOT_COVERED
from nexus.exposure import crossing_day_words
from nexus.exposure_records import Exposure, Range, Total
from nexus.lapsed import PastWindow
from nexus.review import NO_MINOR_UNIT, not_money_reason
from nexus.limitation import Limitation
from nexus.money import format_amount, quantize
from nexus.reasons import money
from nexus.rules import Rule
from nexus.orders import Conflict, RowProblem
from nexus.ledger import file_account
from nexus.registrations import Registration
from nexus.timeline import closed_permits, timeline
from nexus.timing import ACTIONS, ended_span
from nexus.timing_rules import PermitRule

SCHEMA_VERSION = 1


def safe_text(value: str) -> str:
    """Neutralise text a spreadsheet would read as a formula (:func:`nexus.outputs.spreadsheet_safe`)."""
    return outputs.spreadsheet_safe(value)


#: Control characters other than the line break: a name in a chart or a check that carries them (ESC ] 8 makes a
#: hidden hyperlink, ESC [ 2 J clears the screen) would be run by the terminal the table is printed on.
#: The bidirectional overrides, embeddings and isolates (U+202A-U+202E, U+2066-U+2069) reverse or reorder the rest
#: of the line they are printed on (a location's RLO turned the screen's columns around): shown as escapes too.
_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def printable(text: str) -> str:
    """``text`` for a terminal: each control character but the line break shown as its escape (``\\x1b``), as the
    error line shows them. The one place text from the inputs is made safe for a screen."""
    return outputs.shown_escaped(_CONTROL, text)


def one_line(text: str) -> str:
    """``text`` for one line of a screen: :func:`printable`, with a line break shown as ``\\n`` too. A SKU or a name
    whose cell held a line break (Alt+Enter in Excel) otherwise ran onto a line of its own, read as another row."""
    return printable(text).replace("\n", "\\n")


def display_width(text: str) -> int:
    """Columns ``text`` takes on a terminal (wcwidth, which tabulate measures its columns with too): East Asian
    wide and full-width characters (kanji, hangul, emoji) two, combining marks and invisible format characters
    none, the others one. A control character, which screens show escaped (:func:`printable`), counts as none."""
    if text.isascii() and text.isprintable():
        return len(text)
    from wcwidth import wcswidth, wcwidth

    width = wcswidth(text)
    return width if width >= 0 else sum(max(wcwidth(ch), 0) for ch in text)


def tabulate(*args: Any, **kwargs: Any) -> str:
    """tabulate's table, the library imported when a table is first drawn: with wcwidth it takes 35 ms to import,
    which a JSON or workbook report never needs."""
    from tabulate import tabulate as table

    return table(*args, **kwargs)


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


def _unneeded(r: Registration, result: CheckResult) -> dict[str, Any]:
    """A registration no test requires, for the JSON; ``while_held`` where the state keeps its holder liable to collect
    until it is closed: the state's words on closing it, their sources and the sentence the screen says (else null)."""
    rule = next((p for held, p in result.kept_permits if held is r), None)
    return {**r.as_dict(), "while_held": {"may_close": rule.closing, "sources": list(rule.closing_sources),
                                          "note": permit_kept_words(r, rule)} if rule is not None else None}


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


def _threshold(rule: Rule | None) -> dict[str, Any] | None:
    if rule is None or not rule.sales_tax:
        return None
    return {
        "sales": str(rule.sales_threshold) if rule.sales_threshold is not None else None,
        "sales_comparison": rule.sales_comparison,
        "transactions": rule.transactions_threshold,
        "transactions_comparison": rule.transactions_comparison,
        "combine": rule.combine,
        "text": rule.describe_threshold(),
    }


def _rule(rule: Rule | None) -> dict[str, Any] | None:
    if rule is None:
        return None
    return {
        "effective_from": rule.effective_from.isoformat(),
        "effective_to": rule.effective_to.isoformat() if rule.effective_to else None,
        "period": rule.period, "basis": rule.basis, "marketplace": rule.marketplace,
        "categories": list(rule.categories), "last_verified": rule.last_verified.isoformat(),
        "confidence": rule.confidence, "notes": rule.notes, "authority": rule.authority,
        "establishment": rule.establishment, "members": list(rule.members),
        "worldwide_threshold": str(rule.global_threshold) if rule.global_threshold is not None else None,
    }


def _measure(m: Measure, code: str) -> dict[str, Any]:
    none = m.covered == "none"  # figures of a period the data do not cover are unknown, not zero
    return {"start": m.period.start.isoformat(), "end": m.period.end.isoformat(), "label": m.period.label,
            "sales": None if none else str(quantize(m.sales, code)), "transactions": None if none else m.transactions,
            "met": m.met,
            "ratio": None if none or m.ratio is None else str(stored_ratio(m.ratio)),
            "crossed_on": m.crossed_on.isoformat() if m.crossed_on else None,
            "covered": m.covered, "covered_from": m.covered_from.isoformat() if m.covered_from else None}


def _sales(f: Finding) -> str | None:
    """The sales counted, rounded to the currency's minor unit (``"0.00"``, never ``"0"``, for USD); ``None`` where
    the data do not cover the period or no test measures them (no currency: a place with presence and no rule; a
    place with no general sales tax, or no rule in the data for the date, where no test counts the sales: ``"0.00"``
    there read as no sales at all)."""
    if f.uncovered or f.unmeasured or not f.currency:
        return None
    return str(quantize(f.sales, f.currency))


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "jurisdiction": f.jurisdiction,
        "scheme": f.scheme,
        "name": f.name,
        "tax": f.tax,
        "status": f.status,
        "nexus": f.nexus,
        "part_of": f.part_of or None,
        "sales": _sales(f),
        "currency": f.currency or None,
        "transactions": None if f.uncovered or f.unmeasured else f.transactions,
        "threshold": _threshold(f.rule),
        "ratio": str(f.ratio) if f.ratio is not None and not f.uncovered else None,
        "period": ({"start": f.period.start.isoformat(), "end": f.period.end.isoformat(), "label": f.period.label,
                    "kind": f.rule.period if f.rule else None} if f.period else None),
        "crossed_on": f.crossed_on.isoformat() if f.crossed_on else None,
        "reasons": list(f.reasons),
        "sources": list(f.sources),
        "periods": [_measure(m, f.currency) for m in f.measures],
        "excluded": {k: str(v) for k, v in sorted(f.excluded.items())},
        "shipping": str(f.shipping) if f.shipping is not None else None,
        "tax_charged": str(f.tax_charged) if f.tax_charged is not None else None,
        "undated_refunds": list(f.undated_refunds),
        "categories": [{"category": c.category, "source": c.source, "lines": c.lines,
                        "sales": str(quantize(c.sales, f.currency)), "counted": c.counted} for c in f.categories],
        "unknown_category": None if f.unknown is None else {
            "lines": f.unknown.lines, "sales": str(quantize(f.unknown.sales, f.currency)),
            "counted": f.unknown.counted},
        "presence": [v.as_dict() for v in f.presence],
        "presence_verdict": f.presence_verdict,
        "conversions": [{"currency": c.currency, "to": c.to, "source": c.source, "first_rate": c.first_rate.isoformat(),
                         "last_rate": c.last_rate.isoformat(), "days": c.days} for c in f.conversions],
        "rule": _rule(f.rule),
        **_timing(f),
        "exposure": _exposure(f.exposure) if f.exposure else None,
        "exposure_note": f.exposure_note or None,
        **_limitation(f.limits),
    }


def _money(amount: Decimal | None, code: str) -> str | None:
    return None if amount is None else str(quantize(amount, code))


def _range(r: Range, code: str) -> dict[str, str | None]:
    return {"low": _money(r.low, code), "central": _money(r.central, code), "high": _money(r.high, code)}


def _exposure(e: Exposure) -> dict[str, Any]:
    """The estimate of the tax at stake (docs/exposure.md): money as decimal strings, null with a note beside it
    where a figure is not estimated."""
    code = e.currency
    iso = (lambda d: d.isoformat() if d else None)
    return {
        "currency": code, "from": iso(e.start), "to": iso(e.end),
        "taxable_sales": _money(e.taxable_sales, code), "tax": _range(e.tax, code),
        "tax_collected": _money(e.tax_collected, code),
        "tax_collected_note": None if e.tax_collected is not None else "no tax charged in the orders: none assumed",
        "uncollected": _range(e.uncollected, code),
        # Where the months' refunds exceed their sales: the place's tax and scenarios taken as nothing, not negative
        "uncollected_note": e.uncollected_note or None,
        # Tax charged above a month's own estimate: owed as collected, set against no other month (null: not measured)
        "charged_above_estimate": _money(e.charged_above, code),
        # The refunds netted in the period and the tax they took off: the most the estimate may be understated by,
        # where they refund sales made before the period (the daily totals do not link a refund to its sale's day)
        "refunds_netted": _money(e.refunds_netted, code), "refunds_tax": _range(e.refunds_tax, code),
        # Where the duty starts with the sale after the one that met the test: the day's sales the low end leaves out
        "crossing_day": ({"days": [d.isoformat() for d in e.crossing_days],
                          "taxable_sales": _money(e.crossing_sales, code), "tax": _range(e.crossing_tax, code),
                          "note": crossing_day_words(e)} if crossing_day_words(e) else None),
        "penalty": _money(e.penalty, code), "penalty_note": e.penalty_note or None,
        "interest": _money(e.interest, code), "interest_note": e.interest_note or None,
        "scenarios": {name: {"from": iso(sc.start), "to": iso(sc.end), "tax": _range(sc.tax, code),
                             "penalty": _money(sc.penalty, code), "interest": _money(sc.interest, code),
                             "total": _money(sc.total, code), "note": sc.note or None,
                             # registered_now where tax is due only after the as-of date: a month's tax from ``from``
                             **({"once_due": _range(sc.once_due, code) if sc.once_due is not None else None}
                                if name == "registered_now" else {})}
                      for name, sc in e.scenarios.items()},
        "not_estimated": {why: _money(v, code) for why, v in e.not_estimated.items()},
        "rates": [{"jurisdiction": r.place, "category": r.category, "from": iso(r.start), "to": iso(r.end),
                   "low": str(r.low) if r.low is not None else None,
                   "central": str(r.central) if r.central is not None else None,
                   "high": str(r.high) if r.high is not None else None, "source": r.source_kind,
                   "confidence": r.confidence,
                   "verified": None if r.source_kind == "user" else not r.unverified, "sources": list(r.sources)}
                  for r in e.rates],
        "filing": e.filing.as_dict(),
        "months": [{"month": m.label, "from": iso(m.start), "to": iso(m.end),
                    "taxable_sales": _money(m.taxable_sales, code), "tax": _range(m.tax, code),
                    "tax_collected": _money(m.charged, code), "uncollected": _range(m.uncollected, code),
                    "charged_above_estimate": _money(m.charged_above, code), "due": iso(m.due),
                    "penalty": _money(m.penalty, code), "interest": _money(m.interest, code)} for m in e.months],
        "assumptions": list(e.assumptions), "sources": list(e.sources),
        "reporting": None if e.reporting is None else {
            "currency": e.reporting_currency, **_range(e.reporting, e.reporting_currency),
            "rate": str(e.reporting_rate), "rate_date": iso(e.reporting_rate_date)},
    }


def _total(t: Total | None) -> dict[str, Any] | None:
    if t is None:
        return None
    code = t.currency
    return {"currency": code, "tax": _range(t.tax, code), "penalty": _money(t.penalty, code),
            "interest": _money(t.interest, code),
            # The base total as the screen says it: rounded once, not the sum of the rounded parts above.
            "base": _money(t.tax.central + t.penalty + t.interest, code), "vda": _money(t.vda, code),
            # The places whose voluntary disclosure is not estimated: their tax alone is in ``vda``.
            "vda_tax_alone": list(t.vda_tax_alone),
            # The places whose programme leaves a penalty or interest due that is not estimated: not in ``vda``.
            "vda_not_estimated": list(t.vda_not_estimated),
            "registered_now_per_month": _money(t.registered_now, code),
            # Tax charged above a month's own estimate, owed as collected and not in ``tax`` (null: none measured).
            "charged_above_estimate": _money(t.charged_above, code),
            # What each month adds from the day collection is due where that day is after the as-of date: apart.
            "once_due_per_month": _money(t.registered_later, code),
            "once_due": [{"jurisdiction": label, "from": day.isoformat()} for label, day in t.later_places],
            "not_estimated": list(t.not_estimated),
            "rates": [{"currency": c, "rate": str(r), "date": d.isoformat()} for c, r, d in t.rates],
            "left_out": list(t.left_out),
            # The part of the total from past windows under rules no longer in force (docs/exposure.md).
            "past": _range(t.past, code), "past_windows": t.past_windows,
            # Of which, windows whose period of limitation has run by nexus's data (still counted: see each window).
            "past_limitation_run": _range(t.past_run, code), "past_limitation_run_windows": t.past_run_windows}


def _past_window(p: PastWindow) -> dict[str, Any]:
    """A window of nexus under a rule no longer in force on the as-of date (nexus.lapsed), apart from the findings:
    the rule and since when it lapsed, the window, the sales in it and the estimate of the tax not charged."""
    code = p.rule.currency
    return {"jurisdiction": p.jurisdiction, "scheme": p.rule.scheme, "name": p.rule.name, "tax": p.rule.tax,
            "rule": _rule(p.rule),
            "in_force_to": p.ended.isoformat(), "successor": p.successor or None,
            "from": p.start.isoformat(), "to": p.end.isoformat(), "nexus_window": p.window.as_dict(),
            "currency": code, "sales": _money(p.sales, code),
            "exposure": _exposure(p.exposure) if p.exposure is not None else None,
            "exposure_note": p.exposure_note or None,
            "estimated_under_findings": [{"from": a.isoformat(), "to": b.isoformat(), "finding": label}
                                         for a, b, label in p.overlap],
            **_limitation(p.limits), "reasons": [p.describe()], "sources": list(p.rule.sources)}


def _limitation(lim: Limitation | None) -> dict[str, Any]:
    """Whether an estimate's tax (a past window's, a finding's) can still be assessed on the as-of date
    (nexus.limitation): the answer in words and as a status, the last day for its first and last tax periods
    (``null`` where none can be worked out), and the statute's sources; every key ``null`` without an estimate."""
    if lim is None:
        return dict.fromkeys(("limitation", "limitation_status", "limitation_first_ends", "limitation_ends",
                              "limitation_sources", "limitation_confidence"))
    return {"limitation": lim.words, "limitation_status": lim.status,
            "limitation_first_ends": lim.first_ends.isoformat() if lim.first_ends else None,
            "limitation_ends": lim.last_ends.isoformat() if lim.last_ends else None,
            "limitation_sources": list(lim.sources), "limitation_confidence": lim.confidence}


def _timing(f: Finding) -> dict[str, Any]:
    """The dates of a finding (nexus.timing), ``null`` where they do not apply."""
    t = f.timing
    iso = (lambda d: d.isoformat() if d else None)
    return {
        "nexus_since": iso(t.nexus_since) if t else None,
        "nexus_since_basis": t.since_basis if t else None,
        "collect_from": iso(t.collect_from) if t else None,
        "register_by": iso(t.register_by) if t else None,
        "action": t.action if t else None,
        "overdue_days": t.overdue_days if t else None,
        "registration": t.registration.as_dict() if t and t.registration else None,
        "coverage": t.coverage.as_dict() if t and t.coverage else None,
        "gap": t.gap.as_dict() if t and t.gap else None,
        "projected_crossing": iso(t.projected_crossing) if t else None,
        "projection": (t.projection or None) if t else None,
        "nexus_windows": [w.as_dict() for w in t.windows] if t else [],
        "timing_sources": list(t.sources) if t else [],
    }


def _category_sources(ledger: Any) -> dict[str, dict[str, int]]:
    """Sale lines per source, then per category (nexus.categories.SOURCES), over every place and day read."""
    out: dict[str, dict[str, int]] = {}
    for (_place, _code, category, source), days in ledger.category_sources.items():
        lines = sum(n for _amount, n in days.values())
        if lines:
            mine = out.setdefault(source, {})
            mine[category] = mine.get(category, 0) + lines
    return {source: dict(sorted(out[source].items())) for source in SOURCES if source in out}


def _problem(p: RowProblem) -> dict[str, Any]:
    return {"file": p.file, "line": p.line, "column": p.column, "value": p.value, "reason": p.reason, "text": p.text,
            "rows": p.rows}


def _conflict(c: Conflict) -> dict[str, Any]:
    return {"order_id": c.order_id, "kind": c.kind, "source": c.source or "nexus",
            "first": {"file": c.first.file, "line": c.first.line},
            "later": {"file": c.later.file, "line": c.later.line},
            "differences": {name: [old, new] for name, old, new in c.differences}, "treated_as": c.treated}


def result_dict(result: CheckResult) -> dict[str, Any]:
    """The documented JSON shape of a check (``docs/json.md``)."""
    ledger = result.ledger
    rates = None
    if result.rates is not None:
        latest = result.rates.latest(result.as_of)
        rates = {"source": result.rates.source, "latest": latest.isoformat() if latest else None,
                 "age_days": (result.as_of - latest).days if latest else None}
    return {
        "schema": SCHEMA_VERSION,
        "tool": f"nexus {__version__}",
        "as_of": result.as_of.isoformat(),
        "home": result.home,
        "fx_policy": result.fx_policy,
        "warn_at": str(result.warn_at),
        "warnings": list(result.warnings),
        "findings": [finding_dict(f) for f in result.findings],
        "past_windows": [_past_window(p) for p in result.past_windows],
        "summary": {
            **ledger.summary(),
            "rows_after_as_of": result.rows_after_as_of,
            "files": file_account(ledger),
            "first_order": ledger.first_day.isoformat() if ledger.first_day else None,
            "last_order": ledger.last_day.isoformat() if ledger.last_day else None,
            "statuses": {s: result.count(s) for s in STATUSES},
            "nexus": {k: sum(1 for f in result.findings if f.nexus == k) for k in NEXUS_KINDS},
            "jurisdictions_without_rules": list(result.outside_rules),
            "sales_without_rules": [{"jurisdiction": u.place, "sales": {code: str(amount) for code, amount in u.sales},
                                     "transactions": u.transactions} for u in result.unassessed()],
            "rates": rates,
            "assumptions": list(ledger.assumptions),
            "billing_fallbacks": ledger.billing_fallbacks,
            "category_sources": _category_sources(ledger),
            "actions": {a: sum(1 for f in result.findings if f.timing and f.timing.action == a) for a in ACTIONS},
            "exposure_total": _total(result.exposure_total),
            "timeline": timeline(result.findings, result.registrations),
            "registrations_without_exposure": [_unneeded(r, result) for r in result.unneeded_registrations],
            "registrations_not_assessed": [r.as_dict() for r in result.unassessed_registrations],
            "register_again": [{"jurisdiction": f.jurisdiction, "action": f.timing.action if f.timing else None,
                                "closed_permit": r.as_dict()} for f, r in register_again(result)],
            "coverage_assumptions": coverage_assumptions(result.findings),
            "skipped_rows": [_problem(p) for p in ledger.skipped],
            "duplicate_rows": [_problem(p) for p in ledger.duplicates],
            "left_out_rows": [_problem(p) for p in ledger.left_out],
            "conflict_orders": [_conflict(c) for c in ledger.conflicts],
            "overlap_rows": [_problem(p) for p in ledger.overlaps],
        },
    }


def to_json(result: CheckResult) -> str:
    return json_dumps(result_dict(result))


def rules_json(rules: list[Rule], as_of: str, not_in_force: Sequence[str] = ()) -> str:
    """The rules shown, and for each jurisdiction asked about that has none, why (``not_in_force``): an empty
    list alone does not say whether there was no rule yet, none any more, or one for other sellers."""
    return json_dumps({"as_of": as_of, "not_in_force": list(not_in_force), "rules": [
        {"jurisdiction": r.jurisdiction, "scheme": r.scheme, "name": r.name, "tax": r.tax, "sales_tax": r.sales_tax,
         "currency": r.currency, "threshold": _threshold(r), "sources": list(r.sources), **(_rule(r) or {})}
        for r in rules]})


#: What ``json.dumps`` leaves raw with ``ensure_ascii=False`` that a terminal acts on: DEL and the C1 controls
#: (U+009B starts a control sequence as ESC [ does), the line and paragraph separators, and the bidirectional
#: overrides, embeddings and isolates (a location's U+202E reversed the rest of the printed line). JSON's own
#: escapes already cover U+0000-U+001F.
_JSON_RAW = re.compile(r"[\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def json_dumps(document: Any) -> str:
    """The one writer of every JSON document nexus prints or saves: UTF-8 text kept readable (kanji as kanji), and
    each character of :data:`_JSON_RAW` written as its ``\\u`` escape, so that JSON shown on a terminal cannot
    reorder or control it, and reads back as the very same text. Such characters only occur inside strings, where
    the escape means the character itself."""
    text = json.dumps(document, ensure_ascii=False, indent=2)
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text) + "\n"


def presence_json(verdicts: list) -> str:
    """A list of objects: ``item`` (the input row), ``jurisdiction``, ``city``, ``verdict``, ``active``,
    ``reasons``, ``sources`` (docs/presence.md)."""
    return json_dumps([v.as_dict() for v in verdicts])


def review_table(review: Any, width: int = 100) -> str:
    """The quarterly review: what changed, then what each new (or, on a first review, listed) currency needs,
    within ``width`` columns (the Action column wraps narrower where the terminal is)."""
    lines = [f"Currency review of {review.provider} on {review.reviewed_on} (compared with {review.compared_with})"
             if not review.first else f"Currency review of {review.provider} on {review.reviewed_on} "
             f"(first review: nothing to compare with)", ""]
    if review.list_kept_from:
        lines[-1:] = [f"The provider's list could not be fetched: this is the list kept from {review.list_kept_from}, "
                      f"not today's; not kept as a new review. Run it again when the address answers.", ""]
    labels = (("Listed", [d.code for d in review.details]),) if review.first else (
        ("Added", review.added), ("Removed", review.removed), ("Unchanged", review.unchanged))
    # an unknown code with the list's line, as the chart's warnings name theirs: 'ABC (list.txt:4)'
    for label, codes in labels + (("Unknown (not ISO 4217)", [review.at(c) for c in review.unknown]),):
        lines.append(f"{label}: {', '.join(codes) if codes else 'none'}")
    if review.unchanged_missing:
        lines.append("Unchanged, without their accounts in the chart:")
        lines += [f"  {d.code}: {d.action}" for d in review.unchanged_missing]
    if review.missing_fx:
        lines.append("For selling in more than one currency, the chart also lacks: "
                     + ", ".join(name for name, _ in review.missing_fx)
                     + f" ('nexus accounts plan' proposes {'them' if len(review.missing_fx) > 1 else 'it'})")
    unitless = [c for c in review.not_for_sale if not_money_reason(c) == NO_MINOR_UNIT]
    if unitless:
        lines.append(f"Not money a store is paid in: {', '.join(unitless)} (ISO 4217 gives no minor unit: "
                     f"a metal, the SDR, a testing code); no accounts proposed: ask the provider")
    funds = [c for c in review.not_for_sale if c not in unitless]
    if funds:  # CLF, MXV: units of account, each said with the currency its country pays in
        lines.append(f"Not money a store is paid in: {'; '.join(f'{c} ({not_money_reason(c)})' for c in funds)}; no "
                     f"accounts proposed: ask the provider")
    for w in review.withdrawn:
        lines.append(f"Withdrawn: {_withdrawn_words(review, w)}")
    from nexus.terminal import _wrap  # the screen's one wrapper (terminal imports this module)

    lines = [wrapped for line in lines for wrapped in _wrap(line, width)]
    if review.details:
        rows = [[d.code, d.name, d.minor_units, d.accountant_example, "yes" if d.ecb_rate else "no", d.action]
                for d in review.details]
        headers = ["Code", "Name", "Minor units", "Accountant books", "ECB rate", "Action"]
        # narrower: the Action column wraps down to 30 columns, then the columns its words repeat (minor units,
        # ECB rate) and the booking example are left out, in that order
        drop, keep, action = ["Minor units", "ECB rate", "Accountant books"], list(headers), 70
        while True:
            index = [headers.index(h) for h in keep]
            table = tabulate([[row[i] for i in index] for row in rows], headers=keep, disable_numparse=True,
                             maxcolwidths=[24 if h == "Name" else action if h == "Action" else None for h in keep])
            widest = max(len(line) for line in table.splitlines())
            if widest <= width or (action <= 30 and not drop):
                break
            if action > 30:
                action = max(30, action - (widest - width))
            else:
                keep.remove(drop.pop(0))
                action = 70
        lines += ["", table]
    return printable("\n".join(lines) + "\n")


def _withdrawn_words(review: Any, w: Any) -> str:
    """A withdrawn code of the list with its name, when, the list's line and its successor: 'HRK (Kuna, withdrawn
    2023-01; list.txt:2): use EUR from 2023-01-01'."""
    where = dict(review.listed_at).get(w.code)
    return (f"{w.code} ({w.name}, withdrawn {w.withdrawn}{f'; {where}' if where else ''})"
            + (f": use {w.successor} from {w.changeover}" if w.successor else ""))


def plan_left_out(review: Any) -> str:
    """The codes of the provider's list the plan gives no accounts, and why (withdrawn, not money, not ISO 4217), in
    one sentence; "" where there is none. Said on the plan's screen: the Review sheet alone is easily not opened."""
    said = [_withdrawn_words(review, w) for w in review.withdrawn]
    said += [f"{code}: not money a store is paid in ({not_money_reason(code)})" for code in review.not_for_sale]
    said += [f"{review.at(code)}: not an ISO 4217 code" for code in review.unknown]
    if not said:
        return ""
    return f"No accounts for {len(said)} code{'s' * (len(said) != 1)} of the provider's list: " + "; ".join(said)


def plan_table(proposals: list, target: str = "generic", written: Sequence[str] = (), width: int = 100,
               left_out: str = "") -> str:
    """The plan for a controller in a hurry: how many accounts of what, then each by number; reasons in the workbook.
    Within ``width`` columns: the type (most names say it), then the parent, are left out where the names need
    the room. ``left_out`` (:func:`plan_left_out`) closes the screen: the listed codes given no accounts."""
    from nexus.terminal import fit
    tail = ["", _para(left_out, width)] if left_out else []
    if not proposals:
        return printable("\n".join(["The chart already has every account needed: nothing to add."] + tail) + "\n")
    counts: dict[str, int] = {}
    for p in proposals:
        group = {"bank": "bank", "clearing": "clearing", "receivable": "receivable", "tax": "tax payable",
                 "accrued": "accrued tax exposure"}.get(p.purpose.split(":")[0], "other")
        counts[group] = counts.get(group, 0) + 1
    order = ["bank", "clearing", "receivable", "tax payable", "accrued tax exposure", "other"]
    lines = [_para(f"{len(proposals)} new accounts for {target}: "
                   + ", ".join(f"{counts[g]} {g}" for g in order if g in counts), width), ""]
    rows = [[p.number, p.name, p.type_words, p.currency, " ".join(p.parents[-1]) if p.parents else ""]
            for p in proposals]
    rows = [[printable(cell) for cell in row] for row in rows]  # escaped before the columns are measured
    lines.append(fit(rows, ["Number", "Name", "Type", "Currency", "Under"], width, drop=("Type", "Under")))
    lines += _numbered_apart(proposals, width) + tail
    if written:
        lines += ["", _para("Written: " + ", ".join(written) + " (reasons for each account and number: New accounts "
                            "sheet)", width)]
    return printable("\n".join(lines) + "\n")


#: How a proposal was numbered away from its siblings (the words of :meth:`nexus.numbering.Numberer.next`'s
#: reasons), and what the screen says of it: an accountant reviews these numbers before importing.
_APART = (("kept apart from", "Opened a block of their own beside the accounts they are kept apart from (the "
                              "accrued exposures beside the tax payables)"),
          ("closest empty block", "Opened a new block (the siblings' block was full)"),
          ("closest free number", "Numbered in free places of the range (the siblings' block was full and no empty "
                                  "block was left)"),
          ("finer step", "Numbered at a finer step than the chart's (no number at its step was left in the range; "
                         "free a block and run the plan again for numbers in step)"))


def _numbered_apart(proposals: list, width: int) -> list[str]:
    """The accounts numbered outside their siblings' block, by how: each sort a paragraph of its own."""
    lines = []
    said: set[str] = set()
    for words, heading in _APART:  # each account under the first heading that says how it was numbered
        found = [p for p in proposals if words in p.numbering and p.number not in said]
        said.update(p.number for p in found)
        if found:
            lines += ["", _para(f"{heading}: " + ", ".join(f"{p.number} {p.name}" for p in found), width)]
    return lines


def _signed(amount: Decimal, code: str) -> str:
    return f"{'+' if amount > 0 else '-'}{format_amount(abs(amount), code)}"


def journal_table(accrual: Any, target: str = "generic", written: Sequence[str] = ()) -> str:
    """The accrual entry as a controller reads it: the memo, each line, the totals; what was left out and why;
    the accounts to import first."""
    entry = accrual.entry
    if entry is None:
        lines = [f"Nothing to accrue for the {accrual.scenario} scenario: no estimate in the check is above zero."]
    else:
        code = entry.currency
        lines = [f"{entry.memo}", f"Entry {entry.reference} on {entry.date}, in {code}, for {target}:", ""]
        rows = [[line.account.number, line.account.name, format_amount(line.debit, code) if line.debit else "",
                 format_amount(line.credit, code) if line.credit else ""] for line in entry.lines]
        rows.append(["", "Total", format_amount(entry.debits, code), format_amount(entry.credits, code)])
        rows = [[printable(cell) for cell in row] for row in rows]  # escaped before the columns are measured
        lines.append(tabulate(rows, headers=["Account", "Name", "Debit", "Credit"], disable_numparse=True,
                              colalign=("left", "left", "right", "right")))
        check = getattr(accrual, "check_total", None)
        if check is not None and check != entry.debits:
            lines += ["", _para(f"The check's total is {code} {format_amount(check, code)}, {code} "
                                f"{format_amount(abs(check - entry.debits), code)} "
                                f"{'more' if check > entry.debits else 'less'} than this entry's: more than rounding "
                                f"explains (a place the check could not convert, or left out; docs/exposure.md).")]
        moved = {what: ", ".join(f"{a.code} {_signed(getattr(a, key), code)}" for a in accrual.lines
                                 if getattr(a, key))
                 for what, key in (("tax", "tax_rounding"), ("credit", "total_rounding"))}
        if any(moved.values()):
            aim = "the check's tax and total" if check is not None else "the estimates' tax and total converted"
            lines += ["", _para(f"Rounding: each line is its estimate converted and rounded once; to add to {aim}, "
                                f"rounded once, the lines nearest the next unit (largest remainders) take the "
                                f"difference: " + "; ".join(f"{what} {said}" for what, said in moved.items() if said)
                                + " (docs/exposure.md).")]
        missing = accrual.not_estimated()
        if missing:
            lines += ["", _para("Not in this entry, as they could not be estimated (nexus's data has no figures for "
                                "them; the check's Assumptions say which and why), and the liability may be larger by "
                                "them: " + "; ".join(f"{what} in {', '.join(codes)}" for what, codes in missing)
                                + ".")]
        converted = sorted({(a.currency, str(a.rate), a.rate_date.isoformat(), a.rate_source) for a in accrual.lines
                            if a.currency != code})
        if converted:
            lines += ["", _para("Converted at the as-of rates: " + "; ".join(
                f"1 {c} = {Decimal(r):.6g} {code} ({d}, {s})" for c, r, d, s in converted) + ".")]
        if accrual.reversal is not None:
            lines += ["", _para(f"Reversed on {accrual.reversal.date} by entry {accrual.reversal.reference} (every "
                                f"line's sides swapped), written with it: the next check's accrual replaces this "
                                f"one.")]
        else:
            lines += ["", _para(f"This entry is the whole liability estimated to {entry.date}, not its change: "
                                f"reverse it before booking a later check's accrual (--reverse-on DATE writes the "
                                f"reversing entry too), or the liability is counted twice.")]
        if accrual.proposed:
            lines += ["", _para(f"Accounts not in the chart ({len(accrual.proposed)}), numbered as 'nexus accounts "
                                f"plan' numbers them; import them before the entry: "
                                + ", ".join(f"{p.number} {p.name}" for p in accrual.proposed) + ".")]
        renumbered = getattr(accrual, "renumbered", ())
        if renumbered:
            lines += ["", _para("Warning: numbered without --currencies; a plan given a currency list numbers "
                                + ", ".join(f"{name} {there} (here {here})" for here, there, name in renumbered)
                                + ", after a currency rounding account: if your ledger holds the plan's accounts, "
                                  "give --currencies the list given to 'accounts plan', or these lines post to "
                                  "other accounts.")]
    if accrual.left_out:
        lines += ["", _para("Not accrued: " + "; ".join(f"{code}: {why}" for code, why in accrual.left_out) + ".")]
    if written:
        lines += ["", _para("Written: " + ", ".join(written))]
    lines += ["", "An estimate for a qualified person to review before it is booked (docs/exposure.md)."]
    return printable("\n".join(lines) + "\n")


def _para(text: str, width: int = 100) -> str:
    """A paragraph wrapped for the screen, later lines indented (the screen's one wrapper, which measures
    double-byte text in screen columns)."""
    from nexus.terminal import _wrap  # terminal imports this module

    return "\n".join(_wrap(text, width))
