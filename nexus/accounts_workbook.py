"""Workbooks for the currency review and the chart-of-accounts plan, declared through :mod:`nexus.workbooks.sheet`.

* **New accounts**: number, name, type, currency, parent, reason, then the
  target system's own import columns (plan only).
* **Currencies**: ISO facts per currency, with the number format each needs.
* **Review**: what changed since the last review of the provider's list.
* **Sources**: where every fact came from.
"""
from __future__ import annotations

from typing import Any, Callable, Sequence

from nexus import currencies
from nexus.accounts import Proposal, import_rows
from nexus.review import Review, accountant_example, customer_example
from nexus.workbooks.sheet import Column, Sheet, money_format, write_workbook


def _currencies_sheet(review: Review) -> Sheet:
    status = {c: "added" for c in review.added} | {c: "unchanged" for c in review.unchanged}
    status |= {w.code: "withdrawn" for w in review.withdrawn} | {c: "unknown" for c in review.unknown}
    rows = []
    for code in review.codes:
        fact = currencies.facts(code)
        rows.append({"code": code, "status": status.get(code, ""), "fact": fact})
    columns = [
        Column("Code", lambda r: r["code"]), Column("Status", lambda r: r["status"]),
        Column("Name", lambda r: r["fact"].name if r["fact"] else "not in ISO 4217"),
        Column("ISO number", lambda r: r["fact"].number if r["fact"] else ""),
        Column("Minor units", lambda r: r["fact"].minor_units if r["fact"] else None, "integer"),
        Column("Number format", lambda r: money_format(r["code"]) if r["fact"] else ""),
        Column("Customer sees", lambda r: customer_example(r["code"]) if r["fact"] else ""),
        Column("Accountant books", lambda r: accountant_example(r["code"]) if r["fact"] else ""),
        Column("ECB rate", lambda r: ("yes" if r["code"] in currencies.ecb_published() else "no: treasury CSV")
               if r["fact"] else ""),
        Column("Withdrawn", lambda r: r["fact"].withdrawn if r["fact"] else ""),
        Column("Successor", lambda r: r["fact"].successor if r["fact"] else ""),
        Column("Countries", lambda r: "; ".join(r["fact"].countries) if r["fact"] else "", width=60),
    ]
    return Sheet("Currencies", columns, rows, table=True)


def _review_sheet(review: Review) -> Sheet:
    rows: list[dict[str, Any]] = []
    for d in review.details:
        rows.append({"change": "added", "code": d.code, "what": d.name,
                     "action": "; ".join(d.missing_accounts) or "open the accounts the plan proposes"})
    rows += [{"change": "removed", "code": c, "what": "no longer offered",
              "action": "stop booking new sales; settle open balances"} for c in review.removed]
    rows += [{"change": "withdrawn", "code": w.code, "what": f"withdrawn {w.withdrawn}",
              "action": f"use {w.successor} (changeover {w.changeover})" if w.successor else "ask the provider"}
             for w in review.withdrawn]
    rows += [{"change": "unknown", "code": c, "what": "not an ISO 4217 code", "action": "ask the provider"}
             for c in review.unknown]
    rows += [{"change": "unchanged", "code": c, "what": "", "action": ""} for c in review.unchanged]
    columns = [Column("Change", lambda r: r["change"]), Column("Code", lambda r: r["code"]),
               Column("What", lambda r: r["what"], width=40), Column("Action", lambda r: r["action"], width=80)]
    return Sheet("Review", columns, rows, table=True)


def _sources_sheet(extra: Sequence[tuple[str, str]]) -> Sheet:
    rows = list(extra) + [
        ("ISO 4217 current currencies (list one, published 2026-01-01)",
         "https://www.six-group.com/en/products-services/financial-information/data-standards.html"),
        ("ISO 4217 historic currencies (list three)",
         "https://www.six-group.com/en/products-services/financial-information/data-standards.html"),
        ("ECB euro reference rates: currencies published",
         "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html"),
        ("Customer formats: Unicode CLDR through babel", "https://cldr.unicode.org/"),
    ] + [(f"Successor of {code}: {row['successor']}", row["source"]) for code, row in
         sorted(currencies.successors().items())]
    columns = [Column("What", lambda r: r[0], width=70), Column("Source", lambda r: r[1], "link", width=90)]
    return Sheet("Sources", columns, rows, landscape=True)


def write_review_workbook(review: Review, path: str) -> None:
    write_workbook(path, [_review_sheet(review), _currencies_sheet(review),
                          _sources_sheet([("Provider currency list", review.provider)])],
                   title=f"Currency review of {review.provider}", subject="Quarterly currency review")


def _field(name: str) -> Callable[[Any], Any]:
    return lambda pair: pair[1][name]


def write_plan_workbook(proposals: Sequence[Proposal], review: Review, target: str, path: str,
                        chart_source: str) -> None:
    target_rows = import_rows(target, proposals)
    target_columns = list(target_rows[0]) if target_rows else []
    pairs = list(zip(proposals, target_rows))
    columns = [Column("Number", lambda r: r[0].number), Column("Name", lambda r: r[0].name),
               Column("Type", lambda r: r[0].kind), Column("Currency", lambda r: r[0].currency),
               Column("Parent", lambda r: r[0].parent), Column("Reason", lambda r: r[0].reason, width=70)]
    columns += [Column(f"{target}: {name}", _field(name)) for name in target_columns]
    sheets = [Sheet("New accounts", columns, pairs, table=True, fit_width=False), _currencies_sheet(review),
              _review_sheet(review),
              _sources_sheet([("Chart of accounts", chart_source), ("Provider currency list", review.provider)])]
    write_workbook(path, sheets, title="Chart-of-accounts update", subject=f"New accounts for {target}")
