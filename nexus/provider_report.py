"""Rendering a provider comparison: the documented JSON shape, and the screen a controller reads first.

Both read the same records (:class:`nexus.provider.Comparison`); nothing here computes a figure a candidate
should carry. Money is a decimal string rounded to its currency's minor unit (docs/json.md).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Sequence

from nexus import __version__
from nexus.findings import Finding
from nexus.exposure_records import Range
from nexus.measures import stored_ratio
from nexus.money import format_amount, quantize
from nexus.presence import Verdict
from nexus.provider import ORDER_WORDS, Candidate, Comparison, net_words
from nexus.provider_changes import NexusChange, grounds
from nexus.provider_currencies import Opening
from nexus.provider_exposure import NO_ORDERS, NewExposure, Place, Removals, Removed, footed
from nexus.provider_presence import KIND_WORDS, PresenceChange
from nexus.provider_profile import channel_meanings
from nexus.provider_stock import StockRegistration
from nexus.places import in_prose as places_in_prose
from nexus.text_safety import display_width, printable
from nexus.terminal import DEFAULT_WIDTH, _cut, _wrap, fit

SCHEMA_VERSION = 1


def _money(amount: Decimal | None, code: str) -> str | None:
    return None if amount is None else str(quantize(amount, code))


def _finding(f: Finding | None) -> dict[str, Any] | None:
    if f is None:
        return None
    covered = f.status != "not-covered"
    return {"status": f.status, "nexus": f.nexus, "sales": str(quantize(f.sales, f.currency)) if covered and
            f.currency else None, "currency": f.currency or None, "transactions": f.transactions if covered else None,
            "ratio": str(stored_ratio(f.ratio)) if f.ratio is not None else None,
            "presence_verdict": f.presence_verdict}


def _nexus_row(r: NexusChange) -> dict[str, Any]:
    return {"jurisdiction": r.jurisdiction, "scheme": r.scheme, "part_of": r.part_of or None, "name": r.name,
            "change": r.change, "today": _finding(r.today), "under_provider": _finding(r.under), "why": list(r.why)}


def _verdict(v: Verdict) -> dict[str, Any]:
    return {"kind": v.item.kind, "location": v.item.location, "city": v.city, "verdict": v.verdict,
            "note": v.item.note, "file": v.item.source.file, "line": v.item.source.line,
            "reasons": list(v.reasons), "sources": list(v.sources)}


def _presence_row(p: PresenceChange) -> dict[str, Any]:
    return {"jurisdiction": p.jurisdiction, "name": p.name, "effect": p.effect, "today": p.today,
            "under_provider": p.under, "sales_status": p.status, "nexus_today": p.nexus_today,
            "nexus_under_provider": p.nexus_under, "added": [_verdict(v) for v in p.added],
            "removed": [_verdict(v) for v in p.removed]}


def _opening(o: Opening) -> dict[str, Any]:
    rule = None
    if o.rule is not None:
        rule = {"jurisdiction": o.rule.jurisdiction, "scheme": o.rule.scheme, "name": o.rule.name, "tax": o.rule.tax,
                "test": o.rule.describe_threshold(), "categories": list(o.rule.categories),
                "establishment": o.rule.establishment, "sources": list(o.rule.sources)}
    return {"code": o.code, "name": o.name, "sells_there": o.sells_there if o.orders else None,
            "categories_sold": list(o.categories),
            "opens": o.opens, "categories_counted": list(o.covered), "rule": rule, "status_today": o.status,
            "nexus_today": o.nexus, "candidate_role": o.role, "note": o.note}


def _range(found: Any, code: str) -> dict[str, str | None] | None:
    return None if found is None else {"low": _money(found.low, code), "central": _money(found.central, code),
                                       "high": _money(found.high, code)}


def _exposure_place(p: Place, currency: str) -> dict[str, Any]:
    return {"jurisdiction": p.jurisdiction, "name": p.name, "why": p.why, "currency": p.currency or None,
            "sales": _money(p.sales, p.currency), "taxable_sales": _money(p.taxable_sales, p.currency),
            "tax_a_year": _range(p.tax, p.currency),
            "tax_a_year_reporting": _range(p.reporting, currency),
            "not_estimated_sales": _money(p.not_estimated, p.currency) if p.not_estimated else None,
            "note": p.note or None, "assumptions": list(p.assumptions), "sources": list(p.sources)}


def _exposure(c: Candidate) -> dict[str, Any]:
    """The potential exposure a year the candidate's new nexus brings (docs/json.md): zero where no nexus is new,
    never a zero for want of orders (``estimated`` false, ``total_a_year`` null, with the reason)."""
    found: NewExposure | None = c.exposure
    places = found.places if found is not None else ()
    currency = found.currency if found is not None else "USD"
    total = found.total if found is not None else None
    reason = None
    if not places:
        total, reason = Range(Decimal(0), Decimal(0), Decimal(0)), "no new nexus"
    elif found is not None and not found.orders:
        reason = places[0].note
    elif total is None:
        reason = "; ".join(f"{p.jurisdiction}: {p.note}" for p in places if p.reporting is None) or "not estimated"
    return {"estimated": total is not None, "reason": reason, "currency": currency,
            "start": found.start.isoformat() if found is not None and found.start else None,
            "end": found.end.isoformat() if found is not None and found.end else None,
            "scaled_to_a_year_by": str(found.factor) if found is not None and found.factor != 1 else None,
            "total_a_year": _range(total, currency),
            "left_out": [p.jurisdiction for p in places if p.reporting is None],
            "places": [_exposure_place(p, currency) for p in places]}


def _removed_place(p: Removed, currency: str) -> dict[str, Any]:
    held = p.registration
    return {"jurisdiction": p.jurisdiction, "name": p.name, "why": p.why, "collector": p.collector,
            "nexus_kept": p.nexus_kept, "nexus": p.nexus_word, "currency": p.currency or None,
            "taxable_sales": _money(p.taxable_sales, p.currency), "tax_a_year_today": _range(p.today, p.currency),
            "tax_a_year_under_provider": _range(p.under, p.currency), "tax_a_year": _range(p.shift, p.currency),
            "tax_a_year_reporting": _range(p.reporting, currency),
            "registration": (None if held is None else
                             {"jurisdiction": held.jurisdiction, "registered_on": held.registered_on.isoformat()}),
            "nexus_lasts": p.lasts or None,
            "nexus_lasts_until": p.lasts_until.isoformat() if p.lasts_until else None,
            "nexus_lasts_until_note": (p.lasts_note or None) if p.lasts else None,
            "nexus_from_presence": p.from_presence,
            "nexus_from_presence_until": p.trail.until.isoformat() if p.trail and p.trail.until else None,
            "nexus_from_presence_note": presence_lasts_words(p) if p.from_presence else None,
            "accrued_potential_exposure_reporting": _money(p.accrued, currency),
            "accrued_potential_exposure_note": (p.accrued_note or None) if p.accrued is None else None,
            "note": p.note or None, "sources": list(p.sources)}


def _removals(c: Candidate) -> dict[str, Any] | None:
    """The tax a year the company would no longer collect itself under the candidate (docs/json.md)."""
    gone: Removals | None = c.removed
    if gone is None:
        return None
    total = gone.total if gone.orders and gone.start is not None else None
    if not gone.places and not unseen_roles(c):
        total = Range(Decimal(0), Decimal(0), Decimal(0))
    reason = None if gone.places else "no nexus removed and no collection moved to the provider"
    if gone.places and total is None:
        reason = gone.places[0].note or "not estimated"
    if unseen_roles(c):
        reason = NO_ORDERS
    return {"estimated": total is not None, "reason": reason, "currency": gone.currency,
            "start": gone.start.isoformat() if gone.start else None,
            "end": gone.end.isoformat() if gone.end else None,
            "scaled_to_a_year_by": str(gone.factor) if gone.factor != 1 else None,
            "total_a_year": _range(total, gone.currency),
            "left_out": [p.jurisdiction for p in gone.left_out] if total is not None else [],
            "places": [_removed_place(p, gone.currency) for p in gone.places]}


def _stock_row(s: StockRegistration, currency: str) -> dict[str, Any]:
    """A member state where the candidate would hold stock: the domestic registration it requires (docs/json.md)."""
    rule, p = s.rule, s.estimate

    def held(r: Any) -> dict[str, Any] | None:
        return None if r is None else {"jurisdiction": r.jurisdiction, "registered_on": r.registered_on.isoformat(),
                                       "file": r.source.file, "line": r.source.line}

    return {"jurisdiction": s.jurisdiction, "name": s.name, "stock": list(s.stock),
            "seller_established": s.establishment, "stock_there_today": s.already, "candidate_role": s.role,
            "threshold": (rule.threshold if rule is not None else None) or "unknown",
            "threshold_words": s.threshold_words,
            "threshold_basis": rule.threshold_basis if rule is not None else None,
            "registration": s.registration_words, "registration_held": held(s.held),
            "eu_registration_not_covering": held(s.scheme) if s.held is None else None,
            "not_covered_by_eu_registration": list(rule.not_covered) if rule is not None else [],
            "marketplace": (rule.marketplace or None) if rule is not None else None,
            "rule": None if rule is None else {
                "jurisdiction": rule.jurisdiction, "effective_from": rule.effective_from.isoformat(),
                "effective_to": rule.effective_to.isoformat() if rule.effective_to else None,
                "legal_basis": rule.legal_basis, "confidence": rule.confidence, "sources": list(rule.sources)},
            "estimated": p is not None and p.tax is not None,
            "currency": p.currency if p is not None else None,
            "sales": _money(p.sales, p.currency) if p is not None else None,
            "taxable_sales": _money(p.taxable_sales, p.currency) if p is not None else None,
            "tax_a_year": _range(p.tax, p.currency) if p is not None else None,
            "tax_a_year_reporting": _range(p.reporting, currency) if p is not None else None,
            "not_estimated_sales": _money(p.not_estimated, p.currency) if p is not None and p.not_estimated else None,
            "note": (s.note or (p.note if p is not None else "")) or None,
            "assumptions": list(p.assumptions) if p is not None else [],
            "sources": list(p.sources) if p is not None else []}


def _net(c: Candidate) -> dict[str, Any] | None:
    """The net change a year in the tax the company would collect itself (docs/json.md): added less removed."""
    found = c.net
    if found is None:
        return None
    change = found.change
    return {"estimated": change is not None, "currency": found.currency, "added": _range(found.added, found.currency),
            "removed": _range(found.removed, found.currency), "net": _range(change, found.currency),
            "in_part": found.partial,
            "words": net_words(change.central, found.currency) if change is not None else None}


def _candidate(c: Candidate) -> dict[str, Any]:
    d = c.currencies
    new_accounts = c.new_accounts
    period = {"start": d.period[0].isoformat(), "end": d.period[1].isoformat()} if d.period else None
    return {
        "name": c.name, "profile": c.profile.path, "description": c.profile.description, "verdict": c.verdict(),
        "counts": {"new_nexus": len(c.new_nexus), "nexus_removed": len(c.nexus_removed),
                   "nexus_changed": len({r.jurisdiction for r in c.nexus_changed}),
                   "presence_creates": len(c.presence_effects("creates")),
                   "presence_review": len(c.presence_effects("review")),
                   "presence_removed": len(c.presence_effects("removes")),
                   "currencies_added": len(d.added), "currencies_dropped": len(d.dropped),
                   "new_accounts": None if new_accounts is None else len(new_accounts),
                   "open_checklist": len(c.open_items)},
        "roles": {"marketplace_facilitator": list(c.profile.facilitator),
                  "merchant_of_record": list(c.profile.merchant)},
        "shifts": [{"jurisdiction": s.jurisdiction, "role": s.role, "currency": s.currency,
                    "amount": _money(s.amount, s.currency), "transactions": s.transactions} for s in c.shifts],
        "channels": [{"channel": ch, "meaning": channel_meanings()[ch]} for ch in c.profile.channels],
        "replaces": list(c.profile.replaces),
        "replaced": [{"kind": i.kind, "location": i.location, "file": i.source.file, "line": i.source.line}
                     for i in c.replaced],
        "presence_delta": [_presence_row(p) for p in c.presence],
        "nexus_delta": [_nexus_row(r) for r in c.nexus],
        "potential_exposure": _exposure(c),
        "tax_no_longer_collected": _removals(c),
        "net_change_a_year": _net(c),
        "stock_registrations": [_stock_row(s, c.exposure.currency if c.exposure is not None else "USD")
                                for s in c.stock],
        "currencies": {
            "today": list(d.today), "today_from": d.today_from, "offered": list(d.offered),
            "offered_from": d.offered_from, "settlement": d.settlement or None,
            "book_currency": d.book_currency or None,
            "added": [{"code": a.detail.code, "name": a.detail.name, "minor_units": a.detail.minor_units,
                       "customer_example": a.detail.customer_example, "accountant_example": a.detail.accountant_example,
                       "ecb_rate": a.detail.ecb_rate, "missing_accounts": list(a.detail.missing_accounts),
                       "action": a.detail.action, "countries": [_opening(o) for o in a.countries]} for a in d.added],
            "dropped": [{"code": code, "sales_last_12_months": _money(amount, code)} for code, amount in d.dropped],
            "withdrawn": [{"code": w.code, "name": w.name, "withdrawn": w.withdrawn, "successor": w.successor,
                           "changeover": w.changeover} for w in d.review.withdrawn],
            "unknown": list(d.review.unknown),
            "settlement_exposure": [{"currency": code, "sales_last_12_months": _money(amount, code)}
                                    for code, amount in d.exposure],
            "period": period, "notes": list(d.notes)},
        "accounts": None if c.accounts is None else [
            {"number": a.proposal.number, "name": a.proposal.name, "type": a.proposal.type_words,
             "currency": a.proposal.currency or None, "under": " ".join(a.proposal.parents[-1]) if a.proposal.parents
             else None, "reason": a.proposal.reason, "purpose": a.proposal.purpose, "needed_today": a.needed_today}
            for a in c.accounts],
        "checklist": [{"key": line.question.key, "group": line.question.group, "asks": line.question.asks,
                       "answer": line.answer.answer, "given": line.answer.given, "note": line.answer.note,
                       "reference": line.answer.reference, "line": line.answer.source.line, "open": line.open,
                       "meaning": line.meaning or None, "see": line.question.see} for line in c.checklist],
        "warnings": list(c.profile.warnings),
    }


def comparison_dict(comparison: Comparison) -> dict[str, Any]:
    """The documented JSON shape of ``nexus provider compare --format json`` (docs/json.md)."""
    setup, ledger = comparison.setup, comparison.setup.ledger
    sales = None
    if ledger is not None:
        sales = {**ledger.summary(), "files": [{"file": name, "rows": rows} for name, rows in ledger.files],
                 "first_order": ledger.first_day.isoformat() if ledger.first_day else None,
                 "last_order": ledger.last_day.isoformat() if ledger.last_day else None}
    return {
        "schema": SCHEMA_VERSION,
        "tool": f"nexus {__version__}",
        "as_of": comparison.as_of.isoformat(),
        "home": setup.home,
        "today": {"sales": sales, "presence_file": setup.presence_source or None,
                  "chart": setup.chart_source or None, "currencies": list(comparison.today_currencies),
                  "currencies_from": comparison.today_currencies_from,
                  "registrations": [r.as_dict() for r in setup.registrations],
                  "nexus": [f.label for f in comparison.today.findings
                            if f.nexus in ("economic", "presence") and not f.part_of]},
        "warnings": list(comparison.warnings),
        "candidates": [_candidate(c) for c in comparison.candidates],
    }


# ---------------------------------------------------------------- the screen

_NEXUS_WORDS = {"economic": "nexus: sales", "presence": "nexus: presence", "establishment": "home"}
_CHANGE_WORDS = {"new-nexus": "NEW NEXUS", "nexus-removed": "removed", "nexus-changed": "why changes",
                 "status-changed": "status", "sales-changed": "sales", "unchanged": "same"}


def _state(f: Finding | None) -> str:
    """``nexus: sales``, ``nexus: presence``, ``sales, presence`` where presence creates it beside the sales test
    (the check's screen says it so, and it fits where the reason still has room), or the sales test's status where
    there is no nexus."""
    if f is None:
        return "no sales"  # a place gets a finding when it has sales, presence or is the home
    if grounds(f) == {"economic", "presence"}:
        return "sales, presence"
    return _NEXUS_WORDS.get(f.nexus or "", f.status)


def _places(count: int) -> str:
    """``1 place``, ``15 places``: the side-by-side table read '1 places'."""
    return f"{count} place" + ("s" if count != 1 else "")


def _codes(codes: Sequence[str], most: int = 6) -> str:
    codes = list(codes)
    if not codes:
        return "none"
    return ", ".join(codes[:most]) + (f" and {len(codes) - most} more" if len(codes) > most else "")


def _count(rows: Sequence[Any], label: Any = None, most: int = 4) -> str:
    if not rows:
        return "0"
    names = [label(r) if label else r for r in rows]
    return f"{len(rows)}: {_codes(names, most)}"


def _open_words(c: Candidate) -> str:
    kinds: dict[str, int] = {}
    for line in c.open_items:
        kinds[line.answer.answer] = kinds.get(line.answer.answer, 0) + 1
    return f"{len(c.open_items)}" + (f" ({', '.join(f'{n} {k}' for k, n in kinds.items())})" if kinds else "")


def side_by_side(comparison: Comparison, width: int = DEFAULT_WIDTH) -> str:
    """The candidates in columns, what a controller weighs in rows: as many candidates to a table as fit the
    screen, the rest in the tables below (a line wider than the screen wraps, and its columns no longer line up)."""
    cs, tables = comparison.candidates, []
    # Every table has the same rows, the stock's where any candidate of the comparison puts stock in the EU: a table
    # of the others read as though the question did not arise for them, beside one that asks it.
    stock = any(c.stock for c in cs)
    while cs:
        count = len(cs)
        while count > 1 and max(display_width(line) for line in _side_table(cs[:count], width, stock).splitlines()) \
                > width:
            count -= 1
        tables.append(_side_table(cs[:count], width, stock))
        cs = cs[count:]
    return "\n\n".join(tables)


def _side_table(cs: Sequence[Candidate], width: int, stock: bool) -> str:
    label = (lambda r: r.counted_label)  # noqa: E731
    rows = [
        ["New nexus"] + [_count(c.new_nexus, label, 3) for c in cs],
        ["Potential exposure/yr"] + [_exposure_cell(c) for c in cs],
        ["Nexus removed"] + [_count(c.nexus_removed, label, 3) for c in cs],
        ["Not yours to collect/yr"] + [removed_cell(c) for c in cs],
        ["Net: tax you collect/yr"] + [net_cell(c) for c in cs],
    ]
    if stock:  # only where a candidate puts stock in the EU: the bundled ones' tables unchanged
        rows.append(["Stock in the EU: VAT reg."] + [
            _count([s for s in c.stock if s.held is None], lambda s: s.jurisdiction, 3) for c in cs])
    rows += [
        ["Presence: creates"] + [_count(c.presence_effects("creates"), lambda p: p.jurisdiction, 3) for c in cs],
        ["Presence: review"] + [_places(len(c.presence_effects("review"))) for c in cs],
        ["Presence: removed"] + [_count(c.presence_effects("removes"), lambda p: p.jurisdiction, 3) for c in cs],
        ["Marketplace facilitator"] + [_codes(c.profile.facilitator, 4) for c in cs],
        ["Merchant of record"] + [_codes(c.profile.merchant, 4) for c in cs],
        ["Currencies added"] + [_codes([a.detail.code for a in c.currencies.added], 5) for c in cs],
        ["Currencies dropped"] + [_codes([code for code, _ in c.currencies.dropped], 5) for c in cs],
        ["Settlement currency"] + [c.currencies.settlement or "not given" for c in cs],
        ["New accounts"] + [("no --coa" if c.new_accounts is None else str(len(c.new_accounts))) for c in cs],
        ["Open checklist items"] + [_open_words(c) for c in cs],
    ]
    # a name heads its column: escaped before it is measured, and cut by display width (a kanji takes two)
    return fit(rows, [""] + [_cut(printable(c.name), 30) for c in cs], width)


def _exposure_cell(c: Candidate) -> str:
    """The year's potential exposure the candidate's new nexus brings, in a few words for the side-by-side table."""
    found = c.exposure
    if not c.new_nexus or found is None:
        return "none: no new nexus"
    if not found.orders:
        return "not estimated: no orders"
    total = found.total
    if total is None:
        return "not estimated"
    return "est. " + _amount(total.central, found.currency) + (" (in part)" if found.left_out else "")


def unseen_roles(c: Candidate) -> tuple[str, ...]:
    """The places where the candidate would collect as marketplace facilitator or merchant of record, where no orders
    were given and so nothing moves that can be seen: the tax it would take off the company there is not known, not
    none. () where orders were given, a place has a figure, or the candidate has no role."""
    gone = c.removed
    if gone is None or gone.orders or gone.places:
        return ()
    return tuple(c.profile.facilitator) + tuple(p for p in c.profile.merchant if p not in c.profile.facilitator)


def _roles_words(c: Candidate) -> str:
    """``as merchant of record in EU, GB``; both roles where the candidate has both."""
    roles = (("marketplace facilitator", c.profile.facilitator), ("merchant of record", c.profile.merchant))
    said = [f"as {words} in {_codes(places)}" for words, places in roles if places]
    return " and ".join(said)


def removed_cell(c: Candidate) -> str:
    """The tax a year the company would no longer collect itself, in a few words for the side-by-side table."""
    gone = c.removed
    if unseen_roles(c):
        return "not estimated: no orders"
    if gone is None or not gone.places:
        return "none"
    total = gone.total
    if not gone.orders or gone.start is None or total is None:
        return "not estimated: no orders" if not gone.orders else "not estimated"
    return f"est. {_amount(total.central, gone.currency)}" + (" (in part)" if gone.left_out else "")


def net_cell(c: Candidate) -> str:
    """The net change a year in the tax the company would collect itself: ``est. USD 21,819.45 less``."""
    found = c.net
    change = found.change if found is not None else None
    if found is None or change is None:
        return "not estimated"
    rounded = quantize(change.central, found.currency)
    if not rounded:
        return "no change"
    said = f"est. {_amount(abs(rounded), found.currency)} {'more' if rounded > 0 else 'less'}"
    return said + (" (in part)" if found.partial else "")


#: Who would collect the tax the company no longer collects itself, in the candidate's role there.
COLLECTOR_WORDS = {"marketplace-facilitator": "{name} as marketplace facilitator",
                   "merchant-of-record": "{name} as merchant of record", "no-one": "no one at the sale"}


def removed_sentence(c: Candidate) -> str:
    """The tax a year the company would no longer collect itself, in one sentence with what it is and is not: a shift
    of who collects, not a saving for customers; the potential exposure accrued before the move stays. The screen,
    the workbook and the memo say it in these words."""
    gone = c.removed
    if unseen_roles(c):
        return (f"Tax no longer yours to collect: not estimated: no orders given (--sales), so the sales {c.name} "
                f"would take {_roles_words(c)} are not known.")
    if gone is None or not gone.places:
        return (f"Tax no longer yours to collect: none (no nexus removed, and {c.name} would collect no tax on your "
                f"sales where you have nexus).")
    total = gone.total
    codes = _codes([p.jurisdiction for p in gone.places])
    if not gone.orders:
        return (f"Tax no longer yours to collect in {codes}: cannot be estimated without orders; give today's orders "
                f"(--sales).")
    if gone.start is None or total is None:
        return f"Tax no longer yours to collect in {codes}: not estimated."
    roles = {p.collector for p in gone.places
             if p.shift is not None and quantize(p.shift.central, p.currency) > 0}
    if not roles:
        return (f"Tax no longer yours to collect: est. {_amount(total.central, gone.currency)} a year: where nexus "
                f"goes ({codes}), you would still collect there as today (see below).")
    who = (COLLECTOR_WORDS[roles.pop()].format(name=c.name) if len(roles) == 1
           else "the collector each place below names")
    shifted = roles != {"no-one"}
    accrued = accrued_total(gone.places, gone.currency)  # the column's sum, as its foot gives it
    spread = (f" (range {_amount(total.low, gone.currency)} to {_amount(total.high, gone.currency)})"
              if quantize(total.low, gone.currency) != quantize(total.high, gone.currency) else "")
    said = (f"Tax no longer yours to collect: est. {_amount(total.central, gone.currency)} a year{spread}, the tax on "
            f"your own taxable sales in the places listed at the pace of your sales from {gone.period_words}, at each "
            f"day's rates, that {who} would collect instead of you.")
    if shifted:
        said += (" It is not a saving for your customers, who still pay it: it moves who collects and remits it, "
                 "and the returns and records there with it.")
    if accrued:
        said += (f" Potential exposure already accrued there before the move stays yours (est. "
                 f"{_amount(accrued, gone.currency)} in today's check).")
    return said


def lasts_words(p: Removed) -> str:
    """How long nexus from the sales before the move lasts, with its day where the data give one: "until 2027-12-31:
    while a period the rule measures meets the test, counting your sales before the move and none after"; else the
    rule's words and why there is no day ("until the registration is cancelled" is its own answer)."""
    if p.lasts_until is not None:
        return f"until {p.lasts_until}: {p.lasts}, counting your sales before the move and none after"
    if not p.lasts_note or p.lasts_note.startswith("no date: the registration"):
        return p.lasts
    return f"{p.lasts} ({p.lasts_note})"


def presence_lasts_words(p: Removed) -> str:
    """How long nexus from the presence the move takes away lasts once it ends, by the state's trailing-nexus row
    (data/presence-trailing.json, the move taken as its last day): "Washington keeps nexus to 2027-12-31 after it
    (...)", "Texas keeps no nexus after it", or that the period is unknown; said, never assumed."""
    t = p.trail
    if t is None:  # outside the table (a country): nexus's data hold nothing on it
        return ("nexus's data do not say how long nexus from presence lasts once the presence ends: the figure takes "
                "it as ending with the move; ask an adviser before taking it off your returns.")
    if t.until is None:
        return (f"nexus from your presence there, ending with the move: {t.short()} ({t.why()}): the figure takes it "
                f"as ending with the move; ask an adviser before taking it off your returns.")
    if t.until <= t.ended:
        return f"nexus from your presence there, ending with the move: {t.short()} ({t.why()})."
    return (f"nexus from your presence there, ending with the move: {t.short()} ({t.why()}): until then you stay "
            f"liable there, as today; the figure counts the tax a year from the move on.")


def accrued_cell(p: Removed, code: str) -> str:
    """The potential exposure accrued to date in a place, as the screen's and the memo's cell say it: a figure, zero
    too (``USD 0.00``: estimated, and nothing is owed, as the workbook's 0.00 USD), else ``not estimated`` (its reason
    among the place's notes, :func:`place_notes`)."""
    return "not estimated" if p.accrued is None else _amount(quantize(p.accrued, code), code)


def accrued_total(places: Sequence[Removed], code: str) -> Decimal | None:
    """The sum of the places' potential exposure accrued to date, as their cells show it (each rounded once); None
    where no place has a figure. A place without one is left out, and its note says so."""
    figures = [p.accrued for p in places if p.accrued is not None]
    return footed(figures, code) if figures else None


def accrued_total_cell(places: Sequence[Removed], code: str) -> str:
    """:func:`accrued_total` in words: ``USD 0.00``, ``USD 1,234.56 (in part)`` where a place has no figure, or
    ``not estimated``."""
    total = accrued_total(places, code)
    if total is None:
        return "not estimated"
    return _amount(total, code) + (" (in part)" if any(p.accrued is None for p in places) else "")


def place_notes(c: Candidate, p: Removed) -> list[str]:
    """What a place's figure means beyond the number: nexus that stays, how long nexus from sales before the move
    lasts, a registration that stays until the company deregisters, no one collecting, or why it has no figure."""
    who = COLLECTOR_WORDS[p.collector].format(name=c.name)
    notes = [f"{p.note}."] if p.note else []
    if p.nexus_kept:
        theirs = (f"{c.name} sells to those customers itself, as merchant of record, and charges the tax on its sales"
                  if p.collector == "merchant-of-record" else f"{c.name} collects on the facilitated sales")
        notes.append(f"nexus stays ({_kept_words(c, p)}): you keep collecting on your own sales there and filing "
                     f"returns; {theirs}.")
    elif p.lasts and p.collector == "no-one":
        notes.append(f"nexus from your sales before the move lasts {lasts_words(p)}; until then you collect there as "
                     f"today.")
    elif p.lasts:
        notes.append(f"nexus from your sales before the move lasts {lasts_words(p)}; until then you stay liable there "
                     f"(registration, returns, tax on any sales of your own), while {who} collects on the sales it "
                     f"takes from the move on.")
    if p.registration is not None:
        held = p.registration
        # A member state under a union's scheme is covered by that one registration (the EU's OSS), not its own.
        where = ("registered there" if held.jurisdiction == p.jurisdiction
                 else f"covered by your {held.jurisdiction} registration")
        notes.append(f"{where} from {held.registered_on}: you stay registered, with returns to "
                     f"file, until you deregister; deregistering is a decision, not a consequence of the move."
                     + (" Until then you collect on your sales there as today." if p.collector == "no-one" else ""))
    elif p.collector == "no-one" and not p.nexus_kept:
        notes.append("your sales there stay yours but would no longer create nexus: no one would collect this tax at "
                     "the sale.")
    if p.from_presence and not p.lasts and p.registration is None:  # registered: it collects as today
        notes.append(presence_lasts_words(p))
    if p.accrued is None:
        notes.append(f"potential exposure accrued to date not estimated: {p.accrued_note or 'not estimated'}.")
    return notes


def _kept_words(c: Candidate, p: Removed) -> str:
    """What keeps nexus where the candidate takes sales: presence there, or a sales test that counts the sales it
    would facilitate (or that the company's own sales still meet)."""
    if p.kept_by in ("presence", "establishment"):
        return "your presence there keeps it"
    if p.collector == "marketplace-facilitator":
        return f"the test counts the sales {c.name} would facilitate"
    return "your own sales there still meet the test"


def dates_words(c: Candidate) -> str:
    """The dates a signer weighs beside the money, in one sentence for the memo's first page: new nexus starts with
    the move; nexus the move removes keeps you liable to the day the rule gives (nexus from your sales before the
    move, from presence that goes with it) or, registered, until you deregister. "" where no date changes."""
    said = []
    new = list(dict.fromkeys(r.counted_label for r in c.new_nexus))
    if new:
        said.append(f"new nexus in {', '.join(new)} from the day the move puts {c.name}'s presence there")
    gone = [p for p in (c.removed.places if c.removed is not None else ()) if not p.nexus_kept]
    dated = sorted(((p.lasts_until or p.trail.until, p.jurisdiction) for p in gone  # type: ignore[union-attr]
                    if p.lasts_until is not None or (p.trail is not None and p.trail.until is not None
                                                     and p.trail.until > p.trail.ended)))
    if dated:
        said.append("nexus removed lasts after the move, and you stay liable there, in "
                    + ", ".join(f"{code} to {day}" for day, code in dated))
    held = [p.jurisdiction for p in gone if p.registration is not None]
    if held:
        said.append(f"registered in {', '.join(held)}: you file returns there until you deregister")
    return f"Dates: {'; '.join(said)}." if said else ""


def footing_words(places: Sequence[Place | Removed], code: str) -> str:
    """How a table whose rows are in other currencies than its total adds up to it: each place's figure in the
    reporting currency ``code``, rounded once, and their sum, the total the table's lead gives ("In USD at the
    as-of date's rate: GB 12,067.63 + DE 7,556.90 + FR 5,670.47 = USD 25,295.00."); "" where every row is in ``code``
    already, and adds up as shown."""
    shown = [p for p in places if p.reporting is not None]
    if all(p.currency == code for p in shown):
        return ""
    parts = [f"{p.jurisdiction} {format_amount(quantize(p.reporting.central, code), code)}"  # type: ignore[union-attr]
             for p in shown]
    total = footed([p.reporting.central for p in shown if p.reporting is not None], code)  # shown have one
    return (f"In {code} at the as-of date's rate, each place rounded once: {' + '.join(parts)} = "
            f"{_amount(total, code)}.")


def removed_notes(c: Candidate) -> list[str]:
    """How the places add up to the total where they are in other currencies (:func:`footing_words`), then every
    place's notes (:func:`place_notes`), places that share a note sharing its line."""
    said: dict[str, list[str]] = {}
    gone = c.removed
    footing = footing_words([p for p in gone.places if p.shift is not None], gone.currency) if (
        gone is not None and gone.orders) else ""
    for p in gone.places if gone is not None and gone.orders else ():
        for note in place_notes(c, p):
            said.setdefault(note, []).append(p.jurisdiction)
    return ([footing] if footing else []) + [f"{', '.join(codes)}: {note}" for note, codes in said.items()]


def net_sentence(c: Candidate) -> str:
    """The net change a year in the tax the company would collect itself, with its split."""
    found = c.net
    change = found.change if found is not None else None
    if found is None or change is None:
        return f"Net change in the tax you collect yourself: not estimated ({c.unestimated_reason()})."
    code = found.currency
    added = found.added.central if found.added is not None else Decimal(0)
    removed = found.removed.central if found.removed is not None else Decimal(0)
    return (f"Net change in the tax you would collect and remit yourself: {net_words(change.central, code, '')} "
            f"(est. {_amount(added, code)} added by new nexus, less est. {_amount(removed, code)} no longer yours to "
            f"collect, each the sum of its places as shown)"
            + (", in part: places without a figure are left out." if found.partial else "."))


#: The screen's words for who would collect, in a narrow column.
SHORT_COLLECTOR = {"marketplace-facilitator": "{name} (facilitator)", "merchant-of-record": "{name} (merchant)",
                   "no-one": "no one"}


def _removed_lines(c: Candidate, width: int) -> list[str]:
    """The tax a year the company would no longer collect itself, place by place, and the net change."""
    lines = _wrap(removed_sentence(c), width, "  ")
    gone = c.removed
    shown = [p for p in gone.places if p.shift is not None] if gone is not None and gone.orders else []
    if shown:
        rows = [[p.jurisdiction, p.nexus_word,
                 _cut(SHORT_COLLECTOR[p.collector].format(name=printable(c.name)), 30),
                 _amount(p.taxable_sales or Decimal(0), p.currency),
                 _amount(p.shift.central, p.currency),  # type: ignore[union-attr]
                 accrued_cell(p, gone.currency)] for p in shown]  # type: ignore[union-attr]
        heads = ["Code", "Nexus", "Collected by", "Taxable", "Est. tax a year", "Accrued to date"]
        table = fit(rows, heads, width - 2, drop=["Accrued to date"], align=dict.fromkeys(heads[3:], "right"))
        lines += ["  " + line for line in table.splitlines()]
    for note in removed_notes(c):
        lines += _wrap(note, width, "  ")
    return lines + _wrap(net_sentence(c), width, "  ")


def _amount(amount: Decimal, code: str) -> str:
    return f"{code} {format_amount(amount, code)}"


def exposure_sentence(c: Candidate) -> str:
    """The potential exposure a year the candidate's new nexus brings, in one sentence: the total and its range,
    what it is, or why it cannot be estimated; and what no figure holds (the places to review). The screen, the
    workbook and the memo say it in these words."""
    found, review = c.exposure, len(c.presence_effects("review"))
    aside = (f" {review} place{'s' * (review != 1)} to review with an adviser {'are' if review != 1 else 'is'} not "
             f"in any figure." if review else "")
    if not c.new_nexus or found is None:
        return f"Potential exposure: no new nexus, so none added.{aside}"
    if not found.orders:
        return (f"Potential exposure from new nexus in {_codes([p.jurisdiction for p in found.places])}: cannot be "
                f"estimated without orders; give today's orders (--sales).{aside}")
    total = found.total
    if total is None:
        return f"Potential exposure from new nexus: not estimated.{aside}"
    return (f"Potential exposure from new nexus: est. {_amount(total.central, found.currency)} a year (range "
            f"{_amount(total.low, found.currency)} to {_amount(total.high, found.currency)}), the tax due on your "
            f"taxable sales there at the pace of your sales from {found.period_words}, at each day's rates; owed if "
            f"not collected. Estimates to review, not returns (docs/provider.md).{aside}")


def exposure_notes(c: Candidate) -> list[str]:
    """How the places add up to the total where they are in other currencies (:func:`footing_words`), then what each
    place's figure leaves out, or why it has none."""
    found = c.exposure
    footing = footing_words([p for p in found.places if p.tax is not None], found.currency) if (
        found is not None and found.orders) else ""
    notes = [footing] if footing else []
    for p in c.exposure.places if c.exposure is not None and c.exposure.orders else ():
        if p.note:
            notes.append(f"{p.jurisdiction}: {p.note}.")
        if p.not_estimated:
            notes.append(f"{p.jurisdiction}: {_amount(p.not_estimated, p.currency)} of sales whose taxability or "
                         f"rate the data does not give are not in the figure.")
    return notes


def _exposure_lines(c: Candidate, width: int) -> list[str]:
    """The potential exposure a year in each place where the candidate creates nexus, the total, and what the
    figure leaves out: the money beside the nexus delta."""
    lines = _wrap(exposure_sentence(c), width, "  ")
    shown = [p for p in c.exposure.places if p.tax is not None] if c.exposure is not None else []
    if shown:
        rows = [[p.jurisdiction, p.name, p.why, _amount(p.sales, p.currency) if p.sales is not None else "-",
                 _amount(p.taxable_sales or Decimal(0), p.currency), _amount(p.tax.central, p.currency)]
                for p in shown]  # type: ignore[union-attr]
        heads = ["Code", "Jurisdiction", "Why", "Sales", "Taxable", "Est. tax a year"]
        # the name repeats the code, and taxable sales are what the tax is on: both go before the reason is cut
        table = fit(rows, heads, width - 2, drop=["Jurisdiction", "Sales"], cut={"Why": 20},
                    align=dict.fromkeys(heads[3:], "right"), cut_last=True)
        lines += ["  " + line for line in table.splitlines()]
    for note in exposure_notes(c):
        lines += _wrap(note, width, "  ")
    return lines


def stock_sentences(c: Candidate, s: StockRegistration) -> list[str]:
    """A member state where the candidate would hold stock, in sentences the screen, the workbook and the memo share:
    the domestic registration it requires and why, what an EU registration held does not cover, and the tax a year
    at stake on the company's goods sold to customers there."""
    rule, name = s.rule, places_in_prose(s.name)
    who = ("a seller established outside the EU" if s.establishment == "outside_eu"
           else "a seller established in another member state")
    basis = f" ({rule.threshold_basis})" if rule is not None else f" (nexus's data have no rule for {s.as_of_words})"
    today = " Your stock there today requires it already." if s.already else ""
    said = [f"{s.jurisdiction}: {c.name} would hold your stock at {', '.join(s.stock)}. Sold from it to customers in "
            f"{name}, your goods are domestic supplies there, for which {who} registers for VAT in {name}: "
            f"threshold {s.threshold_words}{basis}.{today}",
            f"Registration in {s.jurisdiction}: {s.registration_words}."]
    if rule is not None and s.held is None:
        said.append("Not covered by the EU's one-stop shop: " + "; ".join(rule.not_covered) + ". Goods sent from the "
                    "stock to customers in other member states are intra-Community distance sales, which it covers.")
    if rule is not None and rule.marketplace:
        said.append(f"Marketplace sales are not counted: {rule.marketplace}.")
    said.append(f"VAT a year on your goods sold to customers in {name}: {stock_tax_words(c, s)}.")
    return said


def stock_tax_words(c: Candidate, s: StockRegistration) -> str:
    """The tax a year at stake on the company's goods sold to customers in the member state, or why it has no
    figure: no orders, the candidate selling there itself, a registration there that collects it already."""
    p = s.estimate
    if p is None or p.tax is None:
        return s.note or (p.note if p is not None else "") or "not estimated"
    if s.held is not None and p.note:
        return p.note
    code = c.exposure.currency if c.exposure is not None else "USD"
    # without the as-of date's rate the figure stays in the member state's currency, and says why it has no other
    reported = (_amount(p.reporting.central, code) if p.reporting is not None
                else f"no {code} figure: no exchange rate converts {p.currency} on the as-of date")
    return (f"est. {_amount(p.tax.central, p.currency)} ({reported}) on taxable sales of "
            f"{_amount(p.taxable_sales or Decimal(0), p.currency)} at the pace of your sales from {s.period_words}, at "
            f"each day's rates, taking them as sent from that stock (the orders do not say where goods leave from): "
            f"due on a return in {places_in_prose(s.name)}, not in the OSS, and owed there if not declared there. "
            f"Your customers pay it under the EU scheme today, so it is not in the net change: what changes is where "
            f"it is declared")


def _stock_lines(c: Candidate, width: int) -> list[str]:
    """Every member state where the candidate would hold stock, and the domestic registration it requires."""
    if not c.stock:
        return []
    lines = _wrap(f"Stock in the EU: a domestic VAT registration in {_codes([s.jurisdiction for s in c.stock])}, "
                  f"which the EU's one-stop shop does not cover:", width, "  ")
    for s in c.stock:
        for sentence in stock_sentences(c, s):
            lines += _wrap(sentence, width, "    ")
    return lines


def _nexus_table(c: Candidate, width: int, most: int = 15) -> list[str]:
    shown = [r for r in c.nexus if r.shown]
    if not shown:
        return ["  Nexus: no finding changes."]
    # a member state's change goes with its union's and is counted there ('2 removed (EU, GB)' over four rows
    # 'removed' read as two left out of the count): its Change says which, as the Jurisdiction column does when shown
    rows = [[r.jurisdiction, _name(r), _CHANGE_WORDS[r.change] + (f" ({r.part_of})" if r.part_of else ""),
             _state(r.today), _state(r.under), r.gist] for r in shown[:most]]
    headers = ["Code", "Jurisdiction", "Change", "Today", _cut(printable(f"Under {c.name}"), 24), "Why"]
    # tabulate pads each header by two: a column is at least that wide
    widest = {h: max([display_width(h) + 2] + [display_width(printable(str(row[i]))) for row in rows])
              for i, h in enumerate(headers)}
    room = width - 2 - sum(widest[h] for h in headers[:5]) - 2 * 5
    if room < 40:  # the place's name goes before the reason does
        room += widest["Jurisdiction"] + 2
    table = fit(rows, headers, width - 2, drop=["Jurisdiction", "Why"], cut={"Why": max(room, 20)})
    changed = len({r.jurisdiction for r in c.nexus_changed})
    head = (f"Nexus delta: {len(c.new_nexus)} new, {len(c.nexus_removed)} removed"
            + (f", {changed} on another ground" if changed else "") + " (why in full: --format json or --workbook)")
    lines = _wrap(head, width, "  ") + ["  " + line for line in table.splitlines()]
    if len(shown) > most:
        lines.append(f"  ... and {len(shown) - most} more rows")
    return lines


def _name(r: NexusChange) -> str:
    name = f"{r.name} ({r.part_of} member)" if r.part_of else (f"{r.name} ({r.scheme})" if r.scheme else r.name)
    return name if len(name) <= 28 else name[:25] + "..."


def _presence_table(c: Candidate, width: int) -> list[str]:
    if not c.presence:
        return ["  Presence: nothing added or taken away."]
    counts = {e: len(c.presence_effects(e)) for e in ("creates", "review", "removes", "safe-harbor")}
    head = (f"  Presence delta: {counts['creates']} creates, {counts['review']} review, {counts['removes']} "
            f"removed, {counts['safe-harbor']} safe harbor only")
    lines = [head]
    strong = [p for p in c.presence if p.effect in ("creates", "removes")]
    if strong:
        rows = [[p.jurisdiction, p.effect, p.today or "-", p.under or "-", p.status or "-",
                 "; ".join(f"{KIND_WORDS.get(v.item.kind, v.item.kind)} {v.item.location}"
                           for v in p.added + p.removed)] for p in strong]
        # The items are cut as far as an 80-column screen needs: the other columns and their gaps take up to 58 of
        # its 78 (Today and Under both "safe-harbor" wide, the sales test "no-sales-tax"), leaving the items 20.
        table = fit(rows, ["Code", "Effect", "Today", "Under", "Sales test", "Items"], width - 2, cut={"Items": 20})
        lines += ["  " + line for line in table.splitlines()]
    review = [p.label for p in c.presence_effects("review")]
    if review:
        lines += _wrap(f"Review with an adviser (no clear rule for the provider's items there): {_codes(review, 20)}.",
                       width, "  ")
    return lines


def _currency_lines(c: Candidate, width: int) -> list[str]:
    d = c.currencies
    others = f" ({d.not_sold_in})" if d.not_sold_in else ""
    lines = _wrap(f"Currencies: {d.sold_in} offered{others}; today {_codes(d.today, 12)} ({d.today_from})", width,
                  "  ")
    for a in d.added:
        opens = a.opens
        # a country you sell to where nexus has no rule is not assessed: 'opens no country you sell to' read as
        # cleared (BHD with sales into Bahrain), and its line was left out
        unassessed = [o for o in a.countries if o.sells_there and o.rule is None and not o.opens]
        if not all(o.orders for o in a.countries):
            where = "which countries it opens is not known (no orders given)"
        else:
            said = f"{_codes([o.code for o in unassessed])} not assessed (no rule)" if unassessed else ""
            where = (f"opens {_codes([o.code for o in opens])}" + (f"; {said}" if said else "") if opens else
                     f"{said}; opens no other country you sell to" if said else "opens no country you sell to")
        lines += _wrap(f"+ {a.detail.code} {a.detail.name}: {a.detail.minor_units} decimals, "
                       f"{'ECB rate' if a.detail.ecb_rate else 'no ECB rate'}; {where}; {a.detail.action}.",
                       width, "  ")
        shown = list(opens) or [o for o in a.countries if o.rule is not None and o.code == a.detail.code[:2]][:1]
        for o in shown + [o for o in unassessed if o not in shown]:
            lines += _wrap(f"{o.code}: {o.note}", width, "      ")
    if d.dropped:
        # A figure, 'none' where the orders hold no sale in it in the twelve months, the code alone without orders.
        sold = [f"{code} {format_amount(amount, code) if amount else 'none'}" if amount is not None else code
                for code, amount in d.dropped]
        known = any(amount is not None for _code, amount in d.dropped)
        them = "it" if len(sold) == 1 else "them"
        said = "sales in the last 12 months" if known else f"no orders given, so your sales in {them} are not known"
        lines += _wrap(f"- Not offered: {', '.join(sold)} ({said}): customers paying in "
                       f"{them} today would pay in another currency.", width, "  ")
        if d.home_dropped:
            lines += _wrap(d.home_dropped, width, "    ")
    for w in d.review.withdrawn:
        lines += _wrap(f"! {d.review.at(w.code)} is withdrawn ({w.withdrawn})" + (
            f": the list should say {w.successor}" if w.successor else ""), width, "  ")
    for code in d.review.unknown:  # with the list's line, as the other warnings name theirs
        lines += _wrap(f"! {d.review.at(code)} is not an ISO 4217 code: ask the provider", width, "  ")
    for note in d.notes:
        lines += _wrap(note, width, "  ")
    return lines


def _account_lines(c: Candidate, width: int) -> list[str]:
    new = c.new_accounts
    if new is None:
        return _wrap("Accounts: give --coa (the chart of accounts) to see the accounts the plan would add.", width,
                     "  ")
    already = len(c.accounts or ()) - len(new)
    if not new:
        return _wrap(f"Accounts: none new because of {c.name} ({already} the chart lacks that today's set-up needs "
                     f"as well).", width, "  ")
    rows = [[a.proposal.number, a.proposal.name, a.proposal.type_words, a.proposal.currency] for a in new]
    # an account's name is never cut (it is what is created); on a narrow screen its type goes (JSON, workbook)
    table = fit(rows, ["Number", "Name", "Type", "Currency"], width - 2, drop=["Type"])
    # the accounts the candidate needs that today's set-up needs as well: fewer where it takes nexus or a
    # currency away, so not 'whatever the provider'
    return (_wrap(f"Accounts: {len(new)} new because of {c.name} (and {already} more the chart lacks that today's "
                  f"set-up needs as well):", width, "  ") + ["  " + line for line in table.splitlines()])


def _checklist_lines(c: Candidate, width: int) -> list[str]:
    if not c.open_items:
        return ["  Checklist: every answer is yes."]
    lines = [f"  Checklist: {_open_words(c)} open of {len(c.checklist)}:"]
    for line in c.open_items:  # the question in words, as the memo asks it (its key is for JSON and the workbook)
        said = "No: " if line.answer.answer == "no" else ""  # 'In part: ...', 'Unknown, so read as no ...' say it
        lines += _wrap(f"{line.question.asks} {said}{line.meaning}", width, "  ")
    return lines


def comparison_screen(comparison: Comparison, width: int = DEFAULT_WIDTH) -> str:
    """Verdicts first (most consequential candidate first), the candidates side by side, then each in detail."""
    setup, ledger = comparison.setup, comparison.setup.ledger
    today = []
    if ledger is not None:
        today.append(f"{ledger.rows_used:,} rows of orders used ({ledger.first_day} to {ledger.last_day})")
    today += [p for p in (setup.presence_source, setup.registrations_source, setup.chart_source) if p]
    home = f"seller established in {setup.home}" if setup.home else "no --home: a seller established elsewhere"
    lines = _wrap(f"Provider compare as of {comparison.as_of}; {home}; today: {', '.join(today) or 'nothing given'}",
                  width)
    lines += ["", f"Verdicts, {ORDER_WORDS}:"]
    for c in comparison.candidates:
        lines += _wrap(c.verdict(), width, "  ")
    lines += ["", side_by_side(comparison, width)]
    for c in comparison.candidates:
        lines += [""] + _wrap(f"{c.name} ({c.profile.path})", width)  # a profile a few folders down
        lines += _nexus_table(c, width)
        lines += _exposure_lines(c, width)
        lines += _stock_lines(c, width)
        lines += _removed_lines(c, width)
        lines += _presence_table(c, width)
        lines += _currency_lines(c, width)
        lines += _account_lines(c, width)
        lines += _checklist_lines(c, width)
    for warning in comparison.warnings:
        lines += _wrap(f"Warning: {warning}", width)
    return printable("\n".join(lines) + "\n")
