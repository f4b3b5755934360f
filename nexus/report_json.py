"""The check's JSON (``nexus check --format json``, :func:`to_json`) and ``nexus rules``'s (:func:`rules_json`, the same
shape for a rule as a finding's ``rule`` and ``threshold``). The shape is documented in ``docs/json.md`` and is stable:
keys are only ever added (:data:`SCHEMA_VERSION`). Money is written as decimal strings rounded to the currency's minor
unit, dates as ISO 8601; :func:`nexus.text_safety.json_dumps` writes the text.
"""
from __future__ import annotations

from decimal import Decimal
from typing import Any, Sequence

from nexus import __version__
from nexus.categories import SOURCES
from nexus.exposure import crossing_day_words
from nexus.exposure_records import Exposure, Range, Total
from nexus.findings import NEXUS_KINDS, STATUSES, CheckResult, Finding
from nexus.lapsed import PastWindow
from nexus.ledger import file_account
from nexus.limitation import Limitation
from nexus.measures import Measure, stored_ratio
from nexus.money import quantize
from nexus.orders import Conflict, RowProblem
from nexus.registrations import Registration
from nexus.report import coverage_assumptions, permit_kept_words, register_again
from nexus.rules import Rule
from nexus.text_safety import json_dumps
from nexus.timeline import timeline
from nexus.timing import ACTIONS

SCHEMA_VERSION = 1


def _unneeded(r: Registration, result: CheckResult) -> dict[str, Any]:
    """A registration no test requires, for the JSON; ``while_held`` where the state keeps its holder liable to collect
    until it is closed: the state's words on closing it, their sources and the sentence the screen says (else null)."""
    rule = next((p for held, p in result.kept_permits if held is r), None)
    return {**r.as_dict(), "while_held": {"may_close": rule.closing, "sources": list(rule.closing_sources),
                                          "note": permit_kept_words(r, rule)} if rule is not None else None}


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
