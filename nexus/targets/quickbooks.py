"""QuickBooks Online: the chart-of-accounts import and the journal-entry import (US edition's vocabulary).

Chart: ``Account Number, Account Name, Account Type, Detail Type``, the
columns Intuit's import maps (Account Name and Type required). Type and detail
type must match QuickBooks' own lists exactly, capitals included; sub-accounts
are written ``Parent:Sub-account`` in the name, so a name must hold no colon of
its own; account numbers are never blank and hold no decimal point; at most
1,000 rows (and 2 MB) an import: a longer plan is written as several files.
The import only adds accounts. With multicurrency on, QuickBooks creates the
exchange gain or loss account and a receivable per currency itself, so the
plan proposes neither.

Currency: the import carries none (Intuit's articles, DOCS and
https://community.intuit.com/articles/1207171-importing-a-chart-of-accounts,
list no currency among the fields it maps: an account it adds is in the home
currency). With
multicurrency on, a currency is assigned to "most types of accounts, including
... bank and credit card accounts", never to income and expense accounts, in
the account's own Currency field, and "once an account has had a transaction
posted to it, you can no longer change the account's currency" (About
Multi-currency, https://quickbooks.intuit.com/community/Getting-Started/About-Multi-currency/m-p/185951;
How to add a foreign currency account,
https://community.intuit.com/articles/1769486-how-to-add-a-foreign-currency-account).
So the file has no Currency column, the plan gives the new bank and clearing
accounts none (as for Xero), and its screen says to set each one's in
QuickBooks before anything is posted to it.

Journal: ``Journal No., Journal Date, Account Name, Debits, Credits,
Description, Name``; the date as ``MM/DD/YYYY``; accounts by name, a
sub-account as ``Parent:Sub-account`` (QuickBooks asks that account numbers be
turned off during the import). Amounts are written to the book currency's own
minor unit, a third decimal included (BHD, KWD, OMR, JOD, TND): Intuit's
JournalEntry reference takes a line's Amount as "Max 15 digits in 10.5 format"
(https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/journalentry),
and its journal import article (JOURNAL_DOCS) names no precision of its own.
"""
from __future__ import annotations

from typing import Sequence

from nexus.account_records import AccountRef, BookOptions, Ledger, Proposal
from nexus.accounts import Plan
from nexus.journal import JournalEntry
from nexus.targets.common import amount, names_path, refuse, write_csv_parts

NAME = "quickbooks"
DOCS = "https://quickbooks.intuit.com/community/Help-Articles/Import-Chart-of-Accounts/m-p/262238"
JOURNAL_DOCS = ("https://quickbooks.intuit.com/learn-support/en-au/help-article/import-export-files/"
                "import-journal-entries-quickbooks-online/L4tQBwbs7_AU_en_AU")
LEDGER = Ledger(NAME, creates_itself=frozenset({"fx-realized", "fx-unrealized", "receivable"}),
                currency_kinds=frozenset(), currency_by_hand=frozenset({"bank", "current-asset"}),
                currency_where=("in the account's own Currency field in QuickBooks before anything is posted to it "
                                "(QuickBooks cannot change it after)"))
#: UTF-8 without a byte-order mark: Intuit's import article (DOCS) names no encoding, and QuickBooks Online is
#: reported to read a mark as part of the first header (Account Number), which then maps to no field.
ENCODING = "utf-8"
TYPES = {"bank": "Bank", "receivable": "Accounts receivable (A/R)", "current-asset": "Other Current Assets",
         "current-liability": "Other Current Liabilities", "equity": "Equity", "income": "Income",
         "expense": "Expenses", "other-income": "Other Income", "other-expense": "Other Expense"}
DETAIL = {"bank": "Checking", "receivable": "Accounts Receivable (A/R)", "current-asset": "Other Current Assets",
          "current-liability": "Other Current Liabilities", "expense": "Taxes Paid",
          "other-income": "Other Miscellaneous Income",
          "other-expense": "Other Miscellaneous Expense"}
_DETAIL_BY_PURPOSE = {"tax-penalties": "Penalties & Settlements"}
COLUMNS = ("Account Number", "Account Name", "Account Type", "Detail Type")
JOURNAL_COLUMNS = ("Journal No.", "Journal Date", "Account Name", "Debits", "Credits", "Description", "Name")
#: The rows one import file takes (the accounts', the journal's lines): 1,000 an import; more are written as
#: several files (the interface of nexus.targets).
ROWS_PER_FILE = {"accounts": 1000, "journal": 1000}


def account_name(ref: AccountRef | Proposal, plan: Plan | None = None) -> str:
    """``Parent:Sub-account``, every part free of colons (QuickBooks reads a colon as the sub-account mark).

    A colon in a parent's name is blamed on that parent (the place to rename it), not on the account beneath it,
    whose own name holds none: with ``plan`` (the plan's accounts, or a journal's with the plan it was made from),
    at the chart's file and line where it is written; without, by its number and name."""
    target = ref if isinstance(ref, AccountRef) else ref.ref
    for (number, name), part in zip(target.parents + ((target.number, target.name),), names_path(target)):
        if ":" in part:
            parent = number != target.number
            found = plan.by_number().get(number) if plan is not None and parent else None
            blamed = found or (AccountRef(number, part, "") if parent else ref)
            raise refuse(blamed, f"QuickBooks names cannot hold a colon ({part!r})",
                         plan.source if plan is not None else "")
    return ":".join(names_path(target))


def _row(p: Proposal, plan: Plan) -> dict[str, str]:
    if not p.number or "." in p.number:
        raise refuse(p, "QuickBooks account numbers are never blank and hold no decimal point")
    return {"Account Number": p.number, "Account Name": account_name(p, plan), "Account Type": TYPES[p.kind],
            "Detail Type": _DETAIL_BY_PURPOSE.get(p.purpose, DETAIL[p.kind])}


def rows(plan: Plan) -> list[dict[str, str]]:
    return [_row(p, plan) for p in plan.proposals]


def write_accounts(plan: Plan, path: str) -> list[str]:
    return write_csv_parts(path, COLUMNS, [[r] for r in rows(plan)], ROWS_PER_FILE["accounts"],
                           encoding=ENCODING)


def write_journal(entries: Sequence[JournalEntry], path: str, options: BookOptions = BookOptions(),
                  plan: Plan | None = None) -> list[str]:
    groups = [[{"Journal No.": e.reference or str(i), "Journal Date": e.date.strftime("%m/%d/%Y"),
                "Account Name": account_name(line.account, plan), "Debits": amount(line.debit) if line.debit else "",
                "Credits": amount(line.credit) if line.credit else "", "Description": line.memo or e.memo,
                "Name": ""} for line in e.lines] for i, e in enumerate(entries, start=1)]
    return write_csv_parts(path, JOURNAL_COLUMNS, groups, ROWS_PER_FILE["journal"], numeric=("Debits", "Credits"),
                           encoding=ENCODING)
