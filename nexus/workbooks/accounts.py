"""Workbooks for the currency review and the chart-of-accounts plan, declared through :mod:`nexus.workbooks.sheet`.

* **New accounts** (plan only): number, name, type in words, currency, the
  parent it goes under and the reason for the account; **Numbering**: why
  each number; **Import - <ledger>**: the ledger's own columns (its type
  vocabulary, its names), as its import file has them.
* **Review**: who and when (provider, review date, the review compared with),
  then what changed and what to do about each currency, in words.
* **Currencies**: ISO facts per currency, with the number format each needs.
* **Sources**: where every fact came from, and the ledger's import template.

Only the layer's public API (Sheet, Column, write_workbook) is used, so these
sheets follow the layer's print rules.
"""
from __future__ import annotations

import re
from typing import Any, Callable, Sequence

from nexus import chinese_chart, chinese_names, currencies, japanese_names, places, targets
from nexus.books_report import ledger_words
from nexus.account_kinds import PROVIDERS_SOURCE, named_by_provider
from nexus.accounts import Plan
from nexus.review import NO_MINOR_UNIT, Review, accountant_example, customer_example, not_money, not_money_reason
from nexus.workbooks.sheet import Column, Sheet, money_format, write_workbook


def _status(review: Review) -> dict[str, str]:
    listed = "first review" if review.first else "added"
    status = {d.code: listed for d in review.details} | {c: "unchanged" for c in review.unchanged}
    status |= {w.code: "withdrawn" for w in review.withdrawn} | {c: "unknown" for c in review.unknown}
    return status | {c: "not for sale" for c in review.not_for_sale}


def _countries(names: Sequence[str], code: str = "") -> str:
    """The first countries using a currency, and how many more: the euro's 36 would push the page to a smudge. The
    country whose code begins the currency's comes first (ISO 4217's codes are made so): in ISO's alphabetical order
    USD read 'American Samoa; Bonaire, Sint Eustatius And Saba; British Indian Ocean Territory (The) and 16 more'."""
    home = places.name(code[:2]).lower() if len(code) == 3 and code[:2] in places.countries() else ""
    ordered = sorted(names, key=lambda n: (0, len(n)) if home and n.lower().startswith(home) else (1, 0))
    shown = "; ".join(_iso_case(n) for n in ordered[:3])
    return shown + (f" and {len(names) - 3} more" if len(names) > 3 else "")


def _iso_case(name: str) -> str:
    """ISO's upper-case country name as title case writes it, its small words small: 'Isle of Man', 'Korea (the
    Republic of)', not the 'Isle Of Man' of str.title() in the list's data."""
    return re.sub(r"\b(Of|And|The|Da|De|Du)\b", lambda m: m.group().lower() if m.start() else m.group(), name)


def _ecb_rate(row: dict[str, Any]) -> str:
    """Whether the ECB publishes a rate; a withdrawn code needs none supplied: no market rate exists after its
    changeover (a check converts it at the fixed rate where there is one), and its successor is what to use."""
    fact = row["fact"]
    if fact is None:
        return ""
    if not fact.current:
        return f"no: withdrawn, use {fact.successor}" if fact.successor else "no: withdrawn"
    if row["code"] in currencies.ecb_published():
        return "yes"
    # gold or a fund code is not sold in and gets no accounts: asking treasury for its rates is work for nothing
    return "no: not needed, not money" if not_money(row["code"]) else "no: supply rates"


def _currencies_sheet(review: Review) -> Sheet:
    status = _status(review)
    # A code that is not money (gold, the testing code) or no longer money (HRK, withdrawn) gets no number format or
    # examples: ISO gives it no minor unit, so any would be made up, and no customer pays in it.
    rows = [{"code": code, "status": status.get(code, ""), "fact": (fact := currencies.facts(code)),
             "money": code not in review.not_for_sale and fact is not None and fact.current} for code in review.codes]
    # Twelve columns on one landscape page at no less than the layer's smallest scale (174 digits in all): the
    # Countries column, 60 wide, made the columns 1,800 pixels against the page's 1,280 and printed Successor and
    # Countries on a page of their own, away from the codes. The words wrap in narrower columns instead (the two
    # number headers on two lines); the number format, text to copy into a ledger, stays on one line.
    columns = [
        Column("Code", lambda r: r["code"]), Column("Status", lambda r: r["status"]),
        Column("Name", lambda r: r["fact"].name if r["fact"] else "not in ISO 4217", width=16),
        Column("ISO number", lambda r: r["fact"].number if r["fact"] else "", width=8),
        Column("Minor units", lambda r: r["fact"].minor_units if r["fact"] else None, "integer", width=7),
        Column("Number format", lambda r: money_format(r["code"]) if r["fact"] and r["money"] else ""),
        Column("Customer sees", lambda r: customer_example(r["code"]) if r["fact"] and r["money"] else "", width=13),
        Column("Accountant books", lambda r: accountant_example(r["code"]) if r["fact"] and r["money"] else "",
               width=14),
        Column("ECB rate", _ecb_rate, width=13),
        Column("Withdrawn", lambda r: r["fact"].withdrawn if r["fact"] else ""),
        Column("Successor", lambda r: r["fact"].successor if r["fact"] else ""),
        Column("Countries", lambda r: _countries(r["fact"].countries, r["code"]) if r["fact"] else "", width=20),
    ]
    return Sheet("Currencies", columns, rows, table=True)


def review_rows(review: Review) -> list[dict[str, Any]]:
    """The Review sheet's rows: who and when first, then each currency with what to do."""
    rows: list[dict[str, Any]] = [
        {"change": "Provider", "code": "", "what": review.provider, "action": "", "head": True},
        {"change": "Reviewed on", "code": "", "what": review.reviewed_on, "action": "", "head": True},
        {"change": "Compared with", "code": "", "what": review.compared_with, "action": "", "head": True},
    ]
    if review.rerun_of:
        rows.append({"change": "Re-run of", "code": "", "what": review.rerun_of,
                     "action": "this quarter's review again: the same quarter, not the next one", "head": True})
    if review.list_kept_from:
        rows.append({"change": "Provider's list", "code": "", "what": f"kept from {review.list_kept_from}",
                     "action": "could not be fetched: not today's list; review again when it can be", "head": True})
    listed = "listed" if review.first else "added"
    for d in review.details:
        rows.append({"change": listed, "code": d.code, "what": d.name, "action": d.action})
    rows += [{"change": "removed", "code": c, "what": "no longer offered",
              "action": "stop booking new sales in it; settle open balances"} for c in review.removed]
    where = {code: f", {at}" for code, at in review.listed_at}  # the list's line, as the screen names it
    rows += [{"change": "withdrawn", "code": w.code, "what": f"withdrawn {w.withdrawn}{where.get(w.code, '')}",
              "action": f"use {w.successor} (changeover {w.changeover})" if w.successor else "ask the provider"}
             for w in review.withdrawn]
    rows += [{"change": "unknown", "code": c, "what": f"not an ISO 4217 code{where.get(c, '')}",
              "action": "ask the provider"} for c in review.unknown]
    rows += [{"change": "not for sale", "code": c, "what": currencies.facts(c).name,  # type: ignore[union-attr]
              "action": f"ask the provider: {_not_money_words(c)}; no accounts proposed"} for c in review.not_for_sale]
    lacking = {d.code: d.action for d in review.unchanged_missing}
    rows += [{"change": "unchanged", "code": c, "what": currencies.facts(c).name if currencies.facts(c) else "",
              "action": lacking.get(c, "nothing")} for c in review.unchanged]
    rows += [{"change": "chart lacks", "code": "", "what": name, "action": f"open it: {reason[:1].lower()}{reason[1:]}"}
             for name, reason in review.missing_fx or ()]
    return rows


def _not_money_words(code: str) -> str:
    """Why a code is listed as not money, for the Review sheet: a metal's or test code's reason says what they are."""
    reason = not_money_reason(code)
    return "ISO 4217 gives it no minor unit (a metal, the SDR, a testing code)" if reason == NO_MINOR_UNIT else reason


def _review_sheet(review: Review) -> Sheet:
    # No wrapped cells: LibreOffice keeps the row height of a file written row by row, so wrapped text overlaps.
    columns = [Column("Change", lambda r: r["change"], width=14), Column("Code", lambda r: r["code"], width=6),
               Column("What", lambda r: r["what"], width=24), Column("Action", lambda r: r["action"], width=120)]
    return Sheet("Review", columns, review_rows(review), bold=lambda r: bool(r.get("head")))


def _sources_sheet(extra: Sequence[tuple[str, str]], review: Review) -> Sheet:
    """The sources of the review's facts, ``extra`` first (the inputs, the tables its words come from); a withdrawn
    currency's successor is listed only where the provider's list holds that currency (the sheet listed all twelve
    the data knows, beside a list that held none)."""
    rows = list(extra) + [
        ("ISO 4217 current currencies (list one, published 2026-01-01)",
         "https://www.six-group.com/en/products-services/financial-information/data-standards.html"),
        ("ISO 4217 historic currencies (list three)",
         "https://www.six-group.com/en/products-services/financial-information/data-standards.html"),
        ("ECB euro reference rates: currencies published",
         "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html"),
        ("Customer formats: Unicode CLDR through babel", "https://cldr.unicode.org/"),
    ] + [(f"Successor of {w.code}: {row['successor']}", row["source"]) for w in review.withdrawn
         for row in [currencies.successors().get(w.code)] if row]
    columns = [Column("What", lambda r: r[0], width=70), Column("Source", lambda r: r[1], "link", width=90)]
    return Sheet("Sources", columns, rows, landscape=True)


def write_review_workbook(review: Review, path: str, chart: str | None = None) -> None:
    """The review's workbook; ``chart``, the chart of accounts its missing accounts were read from, is named among
    the sources, as the plan's workbook names it."""
    inputs = ([("Chart of accounts", chart)] if chart else []) + [("Provider currency list", review.provider)]
    write_workbook(path, [_review_sheet(review), _currencies_sheet(review), _sources_sheet(inputs, review)],
                   title=f"Currency review of {review.provider}", subject="Quarterly currency review")


def _field(name: str) -> Callable[[Any], Any]:
    return lambda pair: pair[1].get(name, "")


def _named_in_chinese(plan: Plan, taxes: bool) -> bool:
    """Whether a tax payable or accrued exposure (``taxes``), or another account of the plan (美元户, 折算尾差), is
    named in Chinese: its words' sources are listed."""
    return any(p.purpose.startswith(("tax:", "accrued:")) == taxes and not p.name.isascii()
               and p.purpose != "fx-realized"  # 汇兑损益 is the standard's own word
               and not japanese_names.is_named(p.name) for p in plan.proposals)


def _named_in_japanese(plan: Plan) -> bool:
    """Whether an account of the plan is named as a Japanese chart names it (外貨預金(USD), 雑損失, 仮受消費税等): its
    words' source is listed."""
    return any(japanese_names.is_named(p.name) for p in plan.proposals)


def write_plan_workbook(plan: Plan, review: Review, target: Any, path: str) -> None:
    """The plan for ``target`` (a :mod:`nexus.targets` module): new accounts first, then the review it rests on."""
    target_rows = target.rows(plan) if plan.proposals else []
    target_columns = list(target_rows[0]) if target_rows else []
    new = targets.imported(target, plan)  # Xero and Odoo take no header the plan opens: not listed as new
    pairs = list(zip(new, target_rows))
    heading, places = targets.placement(target, plan)  # a ledger with no parent accounts: its type instead
    place = dict(zip((p.number for p in new), places))
    columns = [Column("Number", lambda r: r.number), Column("Name", lambda r: r.name, width=46),
               Column("Type", lambda r: r.type_words, width=17), Column("Currency", lambda r: r.currency),
               Column(heading, lambda r: place[r.number], width=22),
               Column("Reason", lambda r: r.reason, width=100)]
    numbering = [Column("Number", lambda r: r.number), Column("Name", lambda r: r.name, width=46),
                 Column("Why this number", lambda r: r.numbering, width=110)]
    imports = [Column("Number", lambda r: r[0].number)] + [Column(name, _field(name)) for name in target_columns]
    # what the screen warns of the chart as read (rows nexus could not type, parents the chart lacks, accounts the
    # plan makes headers of, and where ERPNext's file puts their new accounts) is said above the accounts too, and
    # so is what the ledger's import leaves to the ledger (Xero's and QuickBooks' account currencies): the workbook
    # is what the accountant who imports the file reads, and its Currency column was blank for them, unsaid
    left_to_ledger = ledger_words(target.LEDGER, new)
    sheets = [Sheet("New accounts", columns, new, table=True,
                    notes=tuple(plan.notices) + ((left_to_ledger,) if left_to_ledger else ())),
              Sheet("Numbering", numbering, new, table=True),
              Sheet(f"Import - {target.NAME}", imports, pairs, table=True, appendix=True),  # the file itself
              _review_sheet(review), _currencies_sheet(review),
              _sources_sheet([("Chart of accounts", plan.source), ("Provider currency list", review.provider),
                              (f"{target.NAME} chart-of-accounts import template", target.DOCS)]
                             + list(chinese_names.SOURCES if _named_in_chinese(plan, taxes=True) else ())
                             + list(chinese_names.ACCOUNT_SOURCES if _named_in_chinese(plan, taxes=False) else ())
                             + ([japanese_names.SOURCE] if _named_in_japanese(plan) else [])
                             + ([PROVIDERS_SOURCE] if named_by_provider(plan.chart) else [])
                             + ([chinese_chart.SOURCE] if chinese_chart.standard_of(plan.chart) else []), review)]
    write_workbook(path, sheets, title="Chart-of-accounts update", subject=f"New accounts for {target.NAME}")
