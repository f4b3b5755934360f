"""Odoo (16 and later): an ``account.account`` import and an ``account.move`` (journal entry) import.

Chart: ``code, name, account_type, currency_id``: technical field names,
which Odoo's import maps on its own. ``account_type`` is one of Odoo's
selection values (``asset_cash``, ``asset_current``, ``liability_current``,
``income_other``, ``expense``...); ``currency_id`` names the currency by its
code and forces the account's currency; a code is up to 64 characters. Odoo
groups accounts by code prefix (account groups), not by a parent column.

Journal: ``ref, date, journal_id, line_ids/account_id, line_ids/name,
line_ids/debit, line_ids/credit``; the first row of an entry carries its
reference, date and journal, the next rows only their line; accounts as
``CODE Name`` (Odoo finds an account by its code). ``journal_id`` is the
journal's name as the company's Odoo has it (``BookOptions.odoo_journal``,
"Miscellaneous Operations" unless told: a French company's is "Opérations
diverses"): Odoo's import finds a related record by its name, and an entry
naming a journal the company lacks is refused ("No matching record found").
"""
from __future__ import annotations

from typing import Sequence

from nexus.account_records import AccountRef, BookOptions, Ledger, Proposal
from nexus.accounts import Plan
from nexus.errors import InputError
from nexus.journal import JournalEntry
from nexus.targets.common import amount, refuse, write_csv_parts

NAME = "odoo"
DOCS = "https://www.odoo.com/documentation/17.0/applications/finance/accounting/get_started/chart_of_accounts.html"
JOURNAL_DOCS = "https://www.odoo.com/documentation/17.0/applications/essentials/export_import_data.html"
LEDGER = Ledger(NAME, parents=False)
#: UTF-8 without a byte-order mark: Odoo's import (base_import) strips a mark only where it guesses the encoding
#: itself; with "utf-8" chosen in its Encoding option the mark stays in the first header, code, which then matches
#: no field.
ENCODING = "utf-8"
#: Odoo groups accounts by their codes' prefixes (account groups), not under parent accounts: a header the plan
#: opens for its new accounts (a Chinese chart's 1012 其他货币资金) is left out, as it would be an account no one
#: posts to; 101201 is grouped under 1012 by its code.
HEADERS = False
#: Odoo's ``account_type`` selection (account.account).
ODOO_TYPES = frozenset({"asset_receivable", "asset_cash", "asset_current", "asset_non_current", "asset_prepayments",
                        "asset_fixed", "liability_payable", "liability_credit_card", "liability_current",
                        "liability_non_current", "equity", "equity_unaffected", "income", "income_other", "expense",
                        "expense_depreciation", "expense_direct_cost", "off_balance"})
TYPES = {"bank": "asset_cash", "receivable": "asset_receivable", "current-asset": "asset_current",
         "current-liability": "liability_current", "equity": "equity", "income": "income", "expense": "expense",
         "other-income": "income_other", "other-expense": "expense"}
COLUMNS = ("code", "name", "account_type", "currency_id")
JOURNAL_COLUMNS = ("ref", "date", "journal_id", "line_ids/account_id", "line_ids/name", "line_ids/debit",
                   "line_ids/credit")
CODE_LIMIT = 64


def _row(p: Proposal) -> dict[str, str]:
    if len(p.number) > CODE_LIMIT:
        raise refuse(p, f"Odoo codes are up to {CODE_LIMIT} characters")
    return {"code": p.number, "name": p.name, "account_type": TYPES[p.kind], "currency_id": p.currency}


#: The plan's column for where a new account goes: Odoo has no parent accounts, only types and code-prefix groups.
PLACED_BY = "Odoo type"


def placed(p: Proposal | AccountRef, plan: Plan) -> str:
    """The ``account_type`` the import gives ``p`` (asset_cash...): Odoo keeps no parent account to put it under."""
    return TYPES.get(p.kind, "")


def rows(plan: Plan) -> list[dict[str, str]]:
    return [_row(p) for p in plan.proposals if not p.group]


def write_accounts(plan: Plan, path: str) -> list[str]:
    return write_csv_parts(path, COLUMNS, [rows(plan)], None, encoding=ENCODING)


def write_journal(entries: Sequence[JournalEntry], path: str, options: BookOptions = BookOptions(),
                  plan: Plan | None = None) -> list[str]:
    if not options.odoo_journal.strip():
        raise InputError("--odoo-journal: give the name of the Odoo journal to post to, as Odoo lists it in "
                         "Accounting > Configuration > Journals (Miscellaneous Operations, Opérations diverses...)")
    groups = []
    for i, e in enumerate(entries, start=1):
        lines = []
        for n, line in enumerate(e.lines):
            head = {"ref": e.reference or e.memo, "date": e.date.isoformat(), "journal_id": options.odoo_journal}
            lines.append((head if n == 0 else {}) | {
                "line_ids/account_id": f"{line.account.number} {line.account.name}",
                "line_ids/name": line.memo or e.memo, "line_ids/debit": amount(line.debit),
                "line_ids/credit": amount(line.credit)})
        groups.append(lines)
    return write_csv_parts(path, JOURNAL_COLUMNS, groups, None, numeric=("line_ids/debit", "line_ids/credit"),
                           encoding=ENCODING)
