"""The nexus report workbook: what an accountant opens in Excel after ``nexus check``.

Five sheets, each declared from records through :mod:`nexus.workbook`:

* **Summary**: as-of date, inputs, the row account (with a formula proving
  read = used + skipped + duplicates), rates, counts by status, and a chart of
  each jurisdiction's ratio to its threshold, coloured by status.
* **Findings**: one row per jurisdiction, an Excel table coloured by status.
* **Monthly**: sales and transactions per month of each period measured, with
  each period's total as a ``SUM`` formula an auditor can follow.
* **Rules**: every rule applied, its dates, period, basis and sources as links.
* **Rejected rows**: every skipped row and the duplicated rows listed, their original text intact.
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Iterator

from nexus import __version__
from nexus.check import CheckResult, Finding
from nexus.rules import BASES, COMPARISONS, Rule
from nexus.sales import RowProblem
from nexus.workbook import Column, Formula, Sheet, status_chart, write_workbook

MAX_SOURCES = 4
_ASIDE = (("marketplace", "Marketplace excluded"), ("resale", "Resale excluded"), ("exempt", "Exempt excluded"),
          ("category", "Other categories excluded"), ("refunds", "Refunds netted"))


@dataclass(frozen=True)
class Item:
    """A labelled value on the Summary sheet, with an optional row of chart data beside it."""

    label: str = ""
    value: Any = None
    chart: tuple[str, Decimal | None, Decimal | None, Decimal | None] = ("", None, None, None)


def _summary_items(result: CheckResult) -> list[tuple[str, Any]]:
    ledger, s = result.ledger, result.ledger.summary()
    items: list[tuple[str, Any]] = [("Report", "Tax nexus: potential exposure by jurisdiction"),
                                    ("As of", result.as_of), ("Tool", f"nexus {__version__}"),
                                    ("Seller established in", result.home or "not given (--home)"),
                                    ("FX policy", result.fx_policy)]
    items += [("Input file", f"{name} ({rows} rows)") for name, rows in ledger.files]
    first = len(items) + 2  # sheet row of "Rows read"
    items += [("Rows read", s["rows_read"]), ("Rows used", s["rows_used"]), ("Rows skipped", s["rows_skipped"]),
              ("Duplicate rows (counted once)", s["duplicates"]),
              ("Rows left out (cancelled, voided, test, failed, not sales)", s["rows_left_out"]),
              ("Rows superseded by a later copy", s["rows_superseded"]),
              ("Every row accounted for",
               Formula(f"=B{first}=B{first + 1}+B{first + 2}+B{first + 3}+B{first + 4}+B{first + 5}")),
              ("First order", ledger.first_day), ("Last order", ledger.last_day)]
    if result.rates is not None:
        items += [("Exchange rates", result.rates.source), ("Latest rate", result.rates.latest())]
    else:
        items += [("Exchange rates", "none given (all sales counted were in the threshold currency)")]
    items += [("Approaching at", f"{result.warn_at:.0%} of a threshold")]
    items += [("Warning", warning) for warning in result.warnings]
    items += [(f"Jurisdictions {status}", result.count(status))
              for status in ("exceeded", "approaching", "below", "no-rule", "no-sales-tax")]
    if result.outside_rules:
        items.append(("Not assessed (no rules yet)", ", ".join(result.outside_rules)))
    return items


def _summary(result: CheckResult) -> Sheet:
    charted = [f for f in result.findings if f.ratio is not None]
    bars = [(f.jurisdiction,) + tuple(f.ratio if f.status == s else None for s in ("exceeded", "approaching", "below"))
            for f in charted]
    items = _summary_items(result)
    rows = []
    for item, bar in itertools.zip_longest(items, bars):
        label, value = item or ("", None)
        rows.append(Item(label, value, bar or ("", None, None, None)))  # type: ignore[arg-type]
    columns = [Column("Item", lambda i: i.label), Column("Value", lambda i: i.value, "auto", width=48),
               Column("Jurisdiction", lambda i: i.chart[0]),
               Column("exceeded", lambda i: i.chart[1], "ratio"),
               Column("approaching", lambda i: i.chart[2], "ratio"),
               Column("below", lambda i: i.chart[3], "ratio")]
    chart = status_chart("Highest ratio to threshold", (3, 2, len(bars) + 1),
                         [(4, "exceeded"), (5, "approaching"), (6, "below")], "H2") if bars else None
    return Sheet("Summary", columns, rows, chart=chart, landscape=False)


def _money(header: str, get: Any) -> Column:
    return Column(header, get, "money", currency=lambda r: r.currency if isinstance(r, Finding) else r["currency"])


def _findings(result: CheckResult) -> Sheet:
    def src(i: int):
        return lambda f: f.sources[i] if len(f.sources) > i else None

    columns = [
        Column("Code", lambda f: f.jurisdiction), Column("Jurisdiction", lambda f: f.name),
        Column("Status", lambda f: f.status), Column("Tax", lambda f: f.rule.tax if f.rule else ""),
        Column("Scheme", lambda f: f.scheme),
        _money("Sales", lambda f: f.sales if f.rule and f.rule.sales_tax else None),
        Column("Transactions", lambda f: f.transactions if f.rule and f.rule.sales_tax else None, "integer"),
        _money("Sales threshold", lambda f: f.rule.sales_threshold if f.rule else None),
        Column("Transactions threshold", lambda f: f.rule.transactions_threshold if f.rule else None, "integer"),
        Column("Test", lambda f: f.rule.describe_threshold() if f.rule else ""),
        Column("Ratio", lambda f: f.ratio, "ratio"),
        Column("Period start", lambda f: f.period.start if f.period else None, "date"),
        Column("Period end", lambda f: f.period.end if f.period else None, "date"),
        Column("Period measured", lambda f: f.rule.period_label if f.rule else ""),
        Column("Crossed on", lambda f: f.crossed_on, "date"),
        Column("Presence", lambda f: f.presence_verdict or ""),
        Column("Reasons", lambda f: " ".join(f.reasons), width=100),
        Column("Rates used", lambda f: "; ".join(f"{c.currency}: {c.source}, {c.first_rate} to {c.last_rate}"
                                                 for c in f.conversions), width=60),
        Column("Source", src(0), "link", width=50),
        Column("More sources", lambda f: " ".join(f.sources[1:]), width=50),
    ]
    return Sheet("Findings", columns, result.findings, table=True, status="Status", fit_width=False)


def _monthly_rows(result: CheckResult) -> Iterator[dict[str, Any]]:
    row = 2  # the first data row under the header
    for f in result.findings:
        for m in f.measures:
            first = row
            for month in m.months:
                yield {"code": f.jurisdiction, "name": f.name, "period": m.period.label, "from": month.start,
                       "to": month.end, "sales": month.sales, "transactions": month.transactions,
                       "currency": f.currency, "total": False, **month.set_aside}
                row += 1
            last = row - 1
            total: dict[str, Any] = {"code": f.jurisdiction, "name": f.name, "period": f"Total: {m.period.label}",
                                     "from": m.period.start, "to": m.period.end, "currency": f.currency,
                                     "total": True}
            for key, letter in [("sales", "F"), ("transactions", "G")] + list(zip([k for k, _ in _ASIDE], "HIJKL")):
                total[key] = Formula(f"=SUM({letter}{first}:{letter}{last})") if last >= first else 0
            yield total
            row += 1


def _monthly(result: CheckResult) -> Sheet:
    columns = [Column("Code", lambda r: r["code"]), Column("Jurisdiction", lambda r: r["name"]),
               Column("Period measured", lambda r: r["period"]), Column("From", lambda r: r["from"], "date"),
               Column("To", lambda r: r["to"], "date"), _money("Sales counted", lambda r: r["sales"]),
               Column("Transactions", lambda r: r["transactions"], "integer")]
    columns += [_money(header, lambda r, key=key: r.get(key, Decimal(0)) if not r["total"] else r[key])
                for key, header in _ASIDE]
    columns.append(Column("Currency", lambda r: r["currency"]))
    return Sheet("Monthly", columns, _monthly_rows(result), bold=lambda r: r["total"])


def _rules(result: CheckResult) -> Sheet:
    applied: dict[tuple[Any, ...], Rule] = {}
    for f in result.findings:
        if f.rule is not None:
            applied[f.rule.key + (f.rule.effective_from,)] = f.rule
    rules = [applied[k] for k in sorted(applied)]

    def src(i: int):
        return lambda r: r.sources[i] if len(r.sources) > i else None

    columns = [
        Column("Code", lambda r: r.jurisdiction), Column("Jurisdiction", lambda r: r.name),
        Column("Scheme", lambda r: r.scheme), Column("Applies to", lambda r: r.establishment.replace("_", "-")),
        Column("Authority", lambda r: r.authority), Column("Tax", lambda r: r.tax if r.sales_tax else "none"),
        Column("Test", lambda r: r.describe_threshold()),
        Column("Sales threshold", lambda r: r.sales_threshold, "money", currency=lambda r: r.currency),
        Column("Sales comparison", lambda r: COMPARISONS.get(r.sales_comparison or "", "")),
        Column("Transactions threshold", lambda r: r.transactions_threshold, "integer"),
        Column("Transactions comparison", lambda r: COMPARISONS.get(r.transactions_comparison or "", "")),
        Column("Combine", lambda r: r.combine or ""),
        Column("Period", lambda r: r.period_label),
        Column("What counts", lambda r: BASES.get(r.basis or "", "")),
        Column("Marketplace sales", lambda r: r.marketplace or ""),
        Column("Categories", lambda r: ", ".join(r.categories) if r.sales_tax else ""),
        Column("Effective from", lambda r: r.effective_from, "date"),
        Column("Effective to", lambda r: r.effective_to, "date"),
        Column("Last verified", lambda r: r.last_verified, "date"),
        Column("Confidence", lambda r: r.confidence),
        Column("Notes", lambda r: r.notes, width=100),
    ] + [Column(f"Source {i + 1}", src(i), "link", width=45) for i in range(MAX_SOURCES)]
    return Sheet("Rules", columns, rules, table=True, fit_width=False)


def _rejected(result: CheckResult) -> Sheet:
    ledger = result.ledger
    rows = itertools.chain((("skipped", p) for p in ledger.skipped),
                           (("duplicate", p) for p in ledger.duplicates),
                           (("left out", p) for p in ledger.left_out),
                           ((f"repeated order id ({c.treated})",
                             RowProblem(c.later.file, c.later.line or 0, c.describe(), "order_id", c.order_id, ""))
                            for c in ledger.conflicts))
    columns = [Column("File", lambda r: r[1].file), Column("Line", lambda r: r[1].line, "integer"),
               Column("Problem", lambda r: r[0]), Column("Column", lambda r: r[1].column or ""),
               Column("Value", lambda r: r[1].value or ""), Column("Reason", lambda r: r[1].reason, width=70),
               Column("Original row", lambda r: r[1].text, width=90)]
    return Sheet("Rejected rows", columns, rows, landscape=True)


def _presence(result: CheckResult) -> Sheet:
    rows = [(f, v) for f in result.findings for v in f.presence]
    columns = [Column("Code", lambda r: r[1].jurisdiction), Column("Jurisdiction", lambda r: r[0].name),
               Column("Verdict", lambda r: r[1].verdict or "not in force"),
               Column("Sales test", lambda r: r[0].status),
               Column("Kind", lambda r: r[1].item.kind), Column("Location", lambda r: r[1].item.location),
               Column("City", lambda r: r[1].city), Column("Ownership", lambda r: r[1].item.ownership),
               Column("Dedicated", lambda r: {True: "yes", False: "no", None: ""}[r[1].item.dedicated]),
               Column("Function", lambda r: r[1].item.function),
               Column("Since", lambda r: r[1].item.since, "date"), Column("Until", lambda r: r[1].item.until, "date"),
               Column("Why", lambda r: " ".join(r[1].reasons), width=90),
               Column("Source", lambda r: r[1].sources[0] if r[1].sources else None, "link", width=50),
               Column("Note", lambda r: r[1].item.note), Column("File", lambda r: r[1].item.source.file),
               Column("Line", lambda r: r[1].item.source.line, "integer")]
    return Sheet("Presence", columns, rows, table=True, status="Verdict", fit_width=False)


def write_check_workbook(result: CheckResult, path: str) -> None:
    """Write the report workbook for ``result`` to ``path``."""
    sheets = [_summary(result), _findings(result), _monthly(result), _rules(result), _rejected(result)]
    if any(f.presence for f in result.findings):
        sheets.insert(2, _presence(result))
    write_workbook(path, sheets, title=f"Economic nexus report as of {result.as_of.isoformat()}",
                   subject="Potential sales-tax exposure by jurisdiction")
