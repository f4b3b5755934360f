"""Rendering findings: a table for people, JSON and CSV for programs.

The JSON shape is documented in ``docs/json.md`` and is stable: keys are only
ever added. Money is written as decimal strings rounded to the currency's
minor unit, dates as ISO 8601. CSV cells that came from input and start with
``=``, ``+``, ``-``, ``@``, tab or carriage return are prefixed with ``'`` so
that a spreadsheet never runs them as formulas (OWASP, "CSV Injection").
"""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from typing import Any

from tabulate import tabulate

from nexus import __version__
from nexus.check import STATUSES, CheckResult, Finding, Measure
from nexus.money import format_amount, quantize
from nexus.rules import Rule
from nexus.sales import Conflict, RowProblem

SCHEMA_VERSION = 1
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_text(value: str) -> str:
    """Neutralise text a spreadsheet would read as a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


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
    return {"start": m.period.start.isoformat(), "end": m.period.end.isoformat(), "label": m.period.label,
            "sales": str(quantize(m.sales, code)), "transactions": m.transactions, "met": m.met,
            "ratio": str((m.ratio or Decimal(0)).quantize(Decimal("0.0001"))),
            "crossed_on": m.crossed_on.isoformat() if m.crossed_on else None}


def finding_dict(f: Finding) -> dict[str, Any]:
    return {
        "jurisdiction": f.jurisdiction,
        "scheme": f.scheme,
        "name": f.name,
        "tax": f.rule.tax if f.rule else None,
        "status": f.status,
        "sales": str(f.sales),
        "currency": f.currency,
        "transactions": f.transactions,
        "threshold": _threshold(f.rule),
        "ratio": str(f.ratio) if f.ratio is not None else None,
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
        "presence": [v.as_dict() for v in f.presence],
        "presence_verdict": f.presence_verdict,
        "conversions": [{"currency": c.currency, "to": c.to, "source": c.source, "first_rate": c.first_rate.isoformat(),
                         "last_rate": c.last_rate.isoformat(), "days": c.days} for c in f.conversions],
        "rule": _rule(f.rule),
    }


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
        latest = result.rates.latest()
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
        "summary": {
            **ledger.summary(),
            "files": [{"file": name, "rows": rows, "layout": ledger.layouts.get(name)}
                      for name, rows in ledger.files],
            "first_order": ledger.first_day.isoformat() if ledger.first_day else None,
            "last_order": ledger.last_day.isoformat() if ledger.last_day else None,
            "statuses": {s: result.count(s) for s in STATUSES},
            "jurisdictions_without_rules": list(result.outside_rules),
            "rates": rates,
            "skipped_rows": [_problem(p) for p in ledger.skipped],
            "duplicate_rows": [_problem(p) for p in ledger.duplicates],
            "left_out_rows": [_problem(p) for p in ledger.left_out],
            "conflict_orders": [_conflict(c) for c in ledger.conflicts],
            "overlap_rows": [_problem(p) for p in ledger.overlaps],
        },
    }


def to_json(result: CheckResult) -> str:
    return json.dumps(result_dict(result), ensure_ascii=False, indent=2) + "\n"


CSV_COLUMNS = ("jurisdiction", "scheme", "name", "status", "sales", "currency", "transactions", "threshold", "ratio",
               "period_start", "period_end", "period", "crossed_on", "reasons", "sources")


def to_csv(result: CheckResult) -> str:
    """One row per finding, columns :data:`CSV_COLUMNS`; lists joined with `` | ``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for f in result.findings:
        writer.writerow([safe_text(str(v)) for v in (
            f.jurisdiction, f.scheme, f.name, f.status, f.sales, f.currency, f.transactions,
            f.rule.describe_threshold() if f.rule else "", f.ratio if f.ratio is not None else "",
            f.period.start if f.period else "", f.period.end if f.period else "",
            f.period.label if f.period else "", f.crossed_on or "", " | ".join(f.reasons),
            " | ".join(f.sources))])
    return out.getvalue()


def to_table(result: CheckResult) -> str:
    """Findings most severe first, then the reasons behind each exposure, then the row account."""
    with_presence = any(f.presence for f in result.findings)
    rows = []
    for f in result.findings:
        rows.append([f.label, f.name, f.status,
                     f"{f.currency} {format_amount(f.sales, f.currency)}" if f.rule and f.rule.sales_tax else "",
                     f.transactions if f.rule and f.rule.sales_tax else "",
                     f.rule.describe_threshold() if f.rule else "",
                     f"{f.ratio:.0%}" if f.ratio is not None else "",
                     f"{f.period.start} to {f.period.end}" if f.period else "",
                     f.crossed_on or ""] + ([f.presence_verdict or ""] if with_presence else []))
    home = (f", seller established in {result.home}" if result.home
            else "; no --home given: rules for sellers established elsewhere apply")
    lines = [f"Tax nexus as of {result.as_of}{home}; FX policy {result.fx_policy}", ""]
    headers = ["Code", "Jurisdiction", "Status", "Sales", "Txns", "Threshold", "Ratio", "Period measured",
               "Crossed on"] + (["Presence"] if with_presence else [])
    lines.append(tabulate(rows, headers=headers,
                          colalign=("left", "left", "left", "right", "right", "left", "right", "left", "left",
                                    "left")[:len(headers)],
                          disable_numparse=True))
    exposures = [f for f in result.findings if f.status in ("exceeded", "established", "approaching")]
    if exposures:
        lines += ["", "Potential exposure:"]
        for f in exposures:
            lines.append(f"  {f.label} {f.name}")
            for reason in f.reasons:
                lines.append(f"      {reason}")
            lines.append(f"      Sources: {' '.join(f.sources)}")
    present = [f for f in result.findings if f.presence_verdict in ("creates", "review")]
    if present:
        lines += ["", "Physical presence:"]
        for f in present:
            for v in f.presence:
                if v.verdict in ("creates", "review"):
                    lines.append(f"  {f.jurisdiction} {v.item.kind} {v.item.location}: {v.reasons[0]}")
    s = result.ledger.summary()
    extra = "".join(f", {s[key]} {words}" for key, words in (
        ("rows_left_out", "left out (cancelled, voided, test, failed or not sales)"),
        ("rows_superseded", "superseded by a later copy")) if s[key])
    lines += ["", f"Rows: {s['rows_read']} read, {s['rows_used']} used, {s['rows_skipped']} skipped, "
                  f"{s['duplicates']} duplicates (counted once){extra}."]
    if s["migration_overlaps"]:
        lines.append(f"Orders exported by two platforms (migration overlap), counted once: {s['migration_overlaps']}.")
    if s["conflicts"]:
        treated = result.ledger.conflicts[0].treated if result.ledger.conflicts else ""
        lines.append(f"Order ids repeated with different content: {s['conflicts']} (read as {treated}; listed in "
                     f"the JSON and the workbook).")
    if result.outside_rules:
        lines.append(f"Sales outside the jurisdictions nexus has rules for (not assessed): "
                     f"{', '.join(result.outside_rules)}.")
    if result.rates is not None:
        latest = result.rates.latest()
        days = (result.as_of - latest).days if latest else 0
        age = f" ({days} day{'s' if days != 1 else ''} before the as-of date)" if days > 0 else ""
        lines.append(f"Exchange rates: {result.rates.source}, latest {latest}{age}.")
    for warning in result.warnings:
        lines.append(f"Warning: {warning}")
    return "\n".join(lines) + "\n"


def rules_table(rules: list[Rule]) -> str:
    rows = [[r.label, r.name, r.tax, r.establishment.replace("_", "-"), r.describe_threshold(),
             r.period_label or "", r.basis or "", r.marketplace or "", r.effective_from, r.effective_to or "",
             r.last_verified, "\n".join(r.sources)]
            for r in rules]
    return tabulate(rows, headers=["Code", "Jurisdiction", "Tax", "Applies to", "Threshold", "Period", "Basis",
                                   "Marketplace", "From", "To", "Verified", "Sources"],
                    disable_numparse=True) + "\n"


def rules_json(rules: list[Rule], as_of: str) -> str:
    return json.dumps({"as_of": as_of, "rules": [
        {"jurisdiction": r.jurisdiction, "scheme": r.scheme, "name": r.name, "tax": r.tax, "sales_tax": r.sales_tax,
         "currency": r.currency, "threshold": _threshold(r), "sources": list(r.sources), **(_rule(r) or {})}
        for r in rules]}, ensure_ascii=False, indent=2) + "\n"



def presence_table(verdicts: list) -> str:
    """Each presence item: where it is, the verdict and why."""
    rows = [[v.jurisdiction, v.city, v.item.kind, v.item.location, v.item.ownership, v.verdict or "not in force",
             v.reasons[0]] for v in verdicts]
    return tabulate(rows, headers=["Jurisdiction", "City", "Kind", "Location", "Ownership", "Verdict", "Why"],
                    disable_numparse=True, maxcolwidths=[None, None, None, None, None, None, 80]) + "\n"


def json_dumps(document: Any) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def presence_json(verdicts: list) -> str:
    """A list of objects: ``item`` (the input row), ``jurisdiction``, ``city``, ``verdict``, ``active``,
    ``reasons``, ``sources`` (docs/presence.md)."""
    return json_dumps([v.as_dict() for v in verdicts])


def cdn_table(rows: list, providers: list[str]) -> str:
    """Jurisdiction by jurisdiction, each CDN's points of presence and the verdict a cache there gets."""
    body = [[r["jurisdiction"], r["name"]] + [
        f"{len(r[p]['pops'])} ({r[p]['verdict']})" if r[p]["pops"] else "" for p in providers] for r in rows]
    totals = ["", "Jurisdictions"] + [str(sum(1 for r in rows if r[p]["pops"])) for p in providers]
    return tabulate(body + [totals], headers=["Code", "Jurisdiction"] + [p.capitalize() for p in providers],
                    disable_numparse=True) + "\n"


def review_table(review: Any) -> str:
    """The quarterly review: what changed, then what each added currency needs."""
    since = f"compared with {review.previous_from}" if review.previous_from else "first review: every currency is new"
    lines = [f"Currency review of {review.provider} ({since})", ""]
    for label, codes in (("Added", review.added), ("Removed", review.removed), ("Unchanged", review.unchanged),
                         ("Unknown (not ISO 4217)", review.unknown)):
        lines.append(f"{label}: {', '.join(codes) if codes else 'none'}")
    for w in review.withdrawn:
        lines.append(f"Withdrawn: {w.code} ({w.name}, withdrawn {w.withdrawn})"
                     + (f": use {w.successor} from {w.changeover}" if w.successor else ""))
    if review.details:
        rows = [[d.code, d.name, d.minor_units, d.customer_example, d.accountant_example,
                 "yes" if d.ecb_rate else "no", "; ".join(d.countries[:3]) + (" ..." if len(d.countries) > 3 else ""),
                 "; ".join(d.missing_accounts)] for d in review.details]
        lines += ["", tabulate(rows, headers=["Code", "Name", "Minor units", "Customer sees", "Accountant books",
                                              "ECB rate", "Countries", "Chart lacks"], disable_numparse=True)]
    return "\n".join(lines) + "\n"


def short_summary(summary: dict) -> str:
    return ", ".join(f"{k}: {', '.join(map(str, v)) if isinstance(v, list) else v}" for k, v in summary.items()
                     if v not in ([], {}, None))


def plan_table(proposals: list) -> str:
    if not proposals:
        return "The chart already has every account needed: nothing to add.\n"
    rows = [[p.number, p.name, p.kind, p.currency, p.parent, p.reason] for p in proposals]
    return tabulate(rows, headers=["Number", "Name", "Type", "Currency", "Parent", "Why"], disable_numparse=True,
                    maxcolwidths=[None, None, None, None, None, 70]) + "\n"


def rows_csv(rows: list[dict[str, str]]) -> str:
    """Rows as CSV with a header; text that a spreadsheet would run as a formula is neutralised."""
    out = io.StringIO()
    if rows:
        writer = csv.DictWriter(out, list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: safe_text(v) for k, v in row.items()} for row in rows)
    return out.getvalue()
