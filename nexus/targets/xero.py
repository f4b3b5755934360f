"""Xero: the chart-of-accounts import CSV and the manual-journal import CSV.

Chart (Xero's template, mandatory columns starred): ``*Code`` (up to 10
characters, letters, numbers or symbols, not a symbol first; unique),
``*Name`` (up to 150 characters, not a symbol first; unique), ``*Type`` (one of
Xero's type codes), ``*Tax Code``, ``Description``, ``Dashboard``, ``Expense
Claims``, ``Enable Payments``, ``Balance``. Xero *replaces* the chart with the
file: accounts left out are archived. So the file repeats every account of
the chart (as exported from Xero when the chart is a Xero export) and adds
the new ones. Xero has no header accounts and no sub-accounts (it uses
tracking categories): header accounts of a chart read from elsewhere are not
written. A bank account's currency is chosen on Xero's confirmation screen,
not in the file; FX gains, unrealised gains and rounding are Xero system
accounts, so the plan proposes none of them for Xero.

Journal (Xero's manual journal template): ``*Narration, *Date, Description,
*AccountCode, *TaxRate, *Amount, TrackingName1, TrackingOption1,
TrackingName2, TrackingOption2``; the narration the entry's reference and
memo (Xero's import has no reference column); the date as ``dd mmm yyyy``
(``01 Nov 2026``), the second of the two forms Xero's page takes: ``dd/mm/yyyy``
reads ``01/11/2026`` as January 11 wherever the file passes through a US
locale (Excel, a US organisation), and a reversal would land before its accrual;
the amount positive for a debit and negative for a credit, up to 300 lines a
file, in the organisation's base currency. Xero takes no manual journal to a bank
account. Xero keeps every amount to 2 decimals: unit prices may take 4, but
"All summary values such as Total, LineAmount etc will remain at two decimal
places only" (Rounding in Xero,
https://developer.xero.com/documentation/api-guides/rounding-in-xero; a manual
journal line's amount is its LineAmount; the manual journal import page,
JOURNAL_DOCS, names no precision of its own),
so an entry booked in BHD, KWD, OMR, JOD or TND with a third decimal is
refused, naming the line, as NetSuite's is, rather than written for Xero to
round line by line.
"""
from __future__ import annotations

import re
from datetime import date
from typing import Sequence

from nexus.account_records import AccountRef, BookOptions, Ledger, Proposal
from nexus.accounts import Plan
from nexus.chart import Account
from nexus.errors import InputError
from nexus.journal import JournalEntry
from nexus.targets.common import amount, csv_bytes, refuse, safe, within_decimals, write_atomic, write_csv_parts

NAME = "xero"
DOCS = "https://help.xero.com/int/Settings_ChartofAccountsImportSummary"
JOURNAL_DOCS = "https://help.xero.com/nz/ManualJournalsImport"
LEDGER = Ledger(NAME, creates_itself=frozenset({"fx-realized", "fx-unrealized", "rounding"}),
                currency_kinds=frozenset(), parents=False, currency_by_hand=frozenset({"bank"}),
                currency_where="on the import's confirmation screen")
#: UTF-8 without a byte-order mark: Xero's import pages (DOCS) name no encoding, and a Xero export, whose cells the
#: file repeats, is read as UTF-8; nothing there asks for a mark a reader might keep in the first header, *Code.
ENCODING = "utf-8"
#: Xero has no header accounts: the chart's are left out of the file, and so is a header the plan opens for its
#: new accounts (a Chinese chart's 1012 其他货币资金), which would be an account no one posts to.
HEADERS = False
#: Xero's account type codes, as its import template lists them.
XERO_TYPES = frozenset({"BANK", "CURRENT", "CURRLIAB", "DEPRECIATN", "DIRECTCOSTS", "EQUITY", "EXPENSE", "FIXED",
                        "INVENTORY", "LIABILITY", "NONCURRENT", "OTHERINCOME", "OVERHEADS", "PREPAYMENT", "REVENUE",
                        "SALES", "TERMLIAB"})
TYPES = {"bank": "BANK", "receivable": "CURRENT", "current-asset": "CURRENT", "current-liability": "CURRLIAB",
         "equity": "EQUITY", "income": "REVENUE", "expense": "EXPENSE", "other-income": "OTHERINCOME",
         "other-expense": "EXPENSE"}
COLUMNS = ("*Code", "*Name", "*Type", "*Tax Code", "Description", "Dashboard", "Expense Claims", "Enable Payments",
           "Balance")
JOURNAL_COLUMNS = ("*Narration", "*Date", "Description", "*AccountCode", "*TaxRate", "*Amount", "TrackingName1",
                   "TrackingOption1", "TrackingName2", "TrackingOption2")
CODE_LIMIT, NAME_LIMIT = 10, 150
#: The rows one import file takes: 300 manual journal lines; more are written as several files. The chart's import
#: has no limit nexus knows of.
ROWS_PER_FILE = {"journal": 300}
#: Xero keeps amounts to 2 decimals (Rounding in Xero, in the module's docstring): a third is refused, not written.
_PLACES = 2
#: English month abbreviations for Xero's ``dd mmm yyyy`` (``30 Jun 2015`` in Xero's page), whatever the locale.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
#: A balance as a Xero export writes it: "-5000.00", "1250.00", "1,250.00"; blank for none.
_PLAIN_AMOUNT = re.compile(r"(-?\d{1,3}(,\d{3})*(\.\d+)?|-?\d+(\.\d+)?)?")


def _symbol_first(text: str) -> bool:
    """Whether ``text`` starts with a symbol, which Xero refuses: anything but a letter or a digit of any script (a
    kanji or hanzi is a letter: 普通預金 is a name Xero takes, 【普通預金】 is not)."""
    return not text[:1].isalnum()


def _check(number: str, name: str, what: Account | Proposal, source: str) -> None:
    if len(number) > CODE_LIMIT or _symbol_first(number):
        raise refuse(what, f"Xero codes are up to {CODE_LIMIT} characters, not a symbol first", source)
    if len(name) > NAME_LIMIT or _symbol_first(name):
        raise refuse(what, f"Xero names are up to {NAME_LIMIT} characters, not a symbol first", source)


def _row(p: Proposal, options: BookOptions) -> dict[str, str]:
    return {"*Code": p.number, "*Name": p.name, "*Type": TYPES[p.kind], "*Tax Code": options.xero_tax_rate,
            "Description": p.reason, "Dashboard": "No", "Expense Claims": "No", "Enable Payments": "No",
            "Balance": ""}


#: The plan's column for where a new account goes: Xero files an account by its type, under no parent.
PLACED_BY = "Xero type"


def placed(p: Proposal | AccountRef, plan: Plan) -> str:
    """The Xero type the import gives ``p`` (BANK, CURRENT...): where Xero's chart lists it, having no parents."""
    return TYPES.get(p.kind, "")


def rows(plan: Plan) -> list[dict[str, str]]:
    return [_row(p, plan.options) for p in plan.proposals if not p.group]


def _existing(a: Account, options: BookOptions, source: str) -> dict[str, str]:
    """An account of the chart as Xero must see it again: its own export cells where the chart is a Xero export."""
    cells = dict(a.cells)
    if "*Code" in cells or "*Type" in cells:
        return {c: cells.get(c, cells.get(c.lstrip("*"), "")) for c in COLUMNS}
    xero_type = a.type.strip().upper() if a.type.strip().upper() in XERO_TYPES else TYPES.get(a.kind)
    if xero_type is None:
        raise refuse(a, f"type {a.type!r} has no Xero type; give the chart as exported from Xero", source)
    return {"*Code": a.number, "*Name": a.name, "*Type": xero_type, "*Tax Code": options.xero_tax_rate,
            "Description": "", "Dashboard": "No", "Expense Claims": "No", "Enable Payments": "No", "Balance": ""}


def write_accounts(plan: Plan, path: str) -> list[str]:
    """The whole chart (header accounts aside) and the new accounts: Xero archives what the file leaves out."""
    out = [_existing(a, plan.options, plan.source) for a in plan.chart if not a.group] + rows(plan)
    seen_codes: dict[str, str] = {}
    seen_names: set[str] = set()
    for row, item in zip(out, [a for a in plan.chart if not a.group] + [p for p in plan.proposals if not p.group]):
        _check(row["*Code"], row["*Name"], item, plan.source)
        if row["*Code"] in seen_codes or row["*Name"].lower() in seen_names:
            raise refuse(item, "Xero codes and names must be unique", plan.source)
        seen_codes[row["*Code"]] = row["*Name"]
        seen_names.add(row["*Name"].lower())
    # A balance is a number and stays one ("-5000.00", not the neutralised "'-5000.00" Xero cannot read); any other
    # text in the column is neutralised as every text cell is
    out = [row | {"Balance": row["Balance"].strip() if _PLAIN_AMOUNT.fullmatch(row["Balance"].strip())
                  else safe(row["Balance"])} for row in out]
    write_atomic(path, csv_bytes(COLUMNS, out, numeric=("Balance",), encoding=ENCODING))
    return [path]


def journal_date(day: date) -> str:
    """``01 Nov 2026``: a date no region reads otherwise (``01/11/2026`` is November 1 or January 11)."""
    return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"


def write_journal(entries: Sequence[JournalEntry], path: str, options: BookOptions = BookOptions(),
                  plan: Plan | None = None) -> list[str]:
    groups = []
    for e in entries:
        for line in e.lines:
            if line.account.kind == "bank":
                raise InputError(f"account {line.account.number}: Xero takes no manual journal to a bank account")
            within_decimals(line.account.number, abs(line.amount), e.currency, "Xero", _PLACES,
                            "every amount there is to 2 decimals")
        groups.append([{"*Narration": e.headline, "*Date": journal_date(e.date), "Description": line.memo,
                        "*AccountCode": line.account.number, "*TaxRate": options.xero_tax_rate,
                        "*Amount": amount(line.amount)} for line in e.lines])
    return write_csv_parts(path, JOURNAL_COLUMNS, groups, ROWS_PER_FILE["journal"], numeric=("*Amount",),
                           encoding=ENCODING)
