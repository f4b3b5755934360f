"""The check's CSV (``nexus check --format csv``): one row per finding, then one per past window under a rule no longer
in force, columns :data:`CSV_COLUMNS`. Text cells (which may quote the input) that start with ``=``, ``+``, ``-``,
``@``, tab or carriage return are prefixed with ``'`` so that a spreadsheet never runs them as formulas (OWASP, "CSV
Injection"); figures nexus computed stay numbers (``-50.00``). :func:`estimate_note` is also the Findings sheet's
Estimate note (:mod:`nexus.workbooks.exposure`).
"""
from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

from nexus.exposure import crossing_day_words, refunds_words
from nexus.exposure_records import Exposure
from nexus.findings import CheckResult, Finding
from nexus.lapsed import PastWindow
from nexus.money import quantize
from nexus.text_safety import safe_text


CSV_COLUMNS = ("jurisdiction", "scheme", "name", "status", "sales", "currency", "transactions", "threshold", "ratio",
               "period_start", "period_end", "period", "crossed_on", "reasons", "sources", "nexus",
               # Added after the first columns, which keep their places: which window a row is, and its estimate.
               "window", "in_force_to", "successor", "est_tax_currency", "est_tax_low", "est_tax_central",
               "est_tax_high", "est_penalty", "est_interest", "est_vda", "reporting_currency",
               "est_tax_reporting_low", "est_tax_reporting_central", "est_tax_reporting_high", "est_note",
               # Whether the tax estimated can still be assessed on the as-of date, and until when (the JSON's
               # limitation_status and limitation_ends, for a finding with an estimate as for a past window).
               "limitation", "limitation_ends")


def _cell(value: Any) -> str:
    """A CSV cell: figures nexus computed (numbers, dates) as they are, so that a net refund stays -50.00
    and a spreadsheet reads it as a number; text, which may quote the input, neutralised."""
    if isinstance(value, (Decimal, int, date)) and not isinstance(value, bool):
        return str(value)
    return safe_text(str(value))


def _estimate_cells(e: Exposure | None, note: str) -> list[Any]:
    """The estimate's columns: in its own currency (low, central, high, penalty, interest, the VDA scenario's total),
    then in the reporting currency (the screen's Est. tax and its range); empty where there is none, with why."""
    if e is None:
        return [""] * 11 + [note]
    code = e.currency
    money = (lambda amount: quantize(amount, code) if amount is not None else "")
    reporting = ([e.reporting_currency] + [quantize(v, e.reporting_currency) for v in (
        e.reporting.low, e.reporting.central, e.reporting.high)] if e.reporting is not None else [""] * 4)
    vda = e.scenarios["vda"]
    return ([code] + [money(v) for v in (e.uncollected.low, e.uncollected.central, e.uncollected.high, e.penalty,
                                         e.interest, vda.total)]
            + reporting + [estimate_note(e, note)])


def estimate_note(e: Exposure | None, note: str) -> str:
    """Why an estimate's figures are missing or floored, in one cell beside them (the CSV's ``est_note``, the Findings
    sheet's Estimate note): a penalty or interest not estimated is an empty money cell, which without its note
    reads as nothing due."""
    if e is None:
        return note
    vda = e.scenarios["vda"]
    notes = [note, e.uncollected_note, crossing_day_words(e), refunds_words(e), *(a.note() for a in e.after_orders),
             f"penalty {e.penalty_note}" if e.penalty is None else "",
             f"interest {e.interest_note}" if e.interest is None else "",
             f"voluntary disclosure {vda.note}" if vda.note.startswith("not estimated") else ""]
    return "; ".join(n for n in notes if n)


def _finding_row(f: Finding) -> list[Any]:
    """A finding's row: its figures empty where the JSON's are null (a period the orders do not cover: unknown,
    never 0; a place with no sales tax or no rule for the date, whose sales no test counts)."""
    unknown = f.uncovered or f.unmeasured
    return [f.jurisdiction, f.scheme, f.name, f.status,
            quantize(f.sales, f.currency) if f.currency and not unknown else "", f.currency,
            "" if unknown else f.transactions, f.rule.describe_threshold() if f.rule else "",
            f.ratio if f.ratio is not None and not unknown else "", f.period.start if f.period else "",
            f.period.end if f.period else "", f.period.label if f.period else "", f.crossed_on or "",
            " | ".join(f.reasons), " | ".join(f.sources), f.nexus or "", "current", "", ""] + _estimate_cells(
        f.exposure, f.exposure_note) + ([f.limits.status, f.limits.last_ends or ""] if f.limits else ["", ""])


def _past_row(p: PastWindow) -> list[Any]:
    """A past window under a rule no longer in force: not a finding (no status, no nexus now), its window in the
    period columns, the rule's last day and its successor beside it."""
    rule = p.rule
    return [p.jurisdiction, rule.scheme, rule.name, "", quantize(p.sales, rule.currency), rule.currency, "",
            rule.describe_threshold(), "", p.start, p.end, f"past window, {p.start} to {p.end}",
            p.window.crossed or p.window.since or "", p.describe(), " | ".join(rule.sources), "", "past", p.ended,
            p.successor] + _estimate_cells(p.exposure, p.exposure_note) + [p.limits.status, p.limits.last_ends or ""]


def to_csv(result: CheckResult) -> str:
    """One row per finding (``window`` current), then one per past window under a rule no longer in force
    (``window`` past), columns :data:`CSV_COLUMNS`; lists joined with `` | ``. The estimates in the reporting
    currency add up to the screen's total (each row rounded, so within a cent a row)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in [_finding_row(f) for f in result.findings] + [_past_row(p) for p in result.past_windows]:
        writer.writerow([_cell(v) for v in row])
    return out.getvalue()
