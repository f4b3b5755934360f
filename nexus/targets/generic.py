"""Generic CSV: nexus's own plain layout, for a ledger nexus has no module for (read it into any import tool).

Accounts: ``Number, Name, Type, Currency, Parent, Parent name, Reason``, types
in words. Journal: one row per line, ``Entry, Date, Account, Account name,
Debit, Credit, Currency, Memo``.
"""
from __future__ import annotations

from typing import Sequence

from nexus.account_records import KIND_WORDS, BookOptions, Ledger
from nexus.accounts import Plan
from nexus.journal import JournalEntry
from nexus.targets.common import amount, csv_bytes, write_atomic, write_csv_parts

NAME = "generic"
DOCS = "docs/accounts.md (nexus's own layout)"
JOURNAL_DOCS = DOCS
LEDGER = Ledger(NAME)
TYPES = dict(KIND_WORDS)
COLUMNS = ("Number", "Name", "Type", "Currency", "Parent", "Parent name", "Reason")
JOURNAL_COLUMNS = ("Entry", "Date", "Account", "Account name", "Debit", "Credit", "Currency", "Memo")
#: UTF-8 with a byte-order mark: the file is read by people in Excel before any import tool, and Excel opens a CSV
#: as UTF-8 only where it starts with one (its own "CSV UTF-8" save writes it); without it 美元户 and 外貨預金 open
#: as mojibake. nexus's own readers take it (nexus.spreadsheets), as csv readers given utf-8-sig do.
#: Standard output, read by programs, gets no mark (nexus.targets.as_text).
ENCODING = "utf-8-sig"


def rows(plan: Plan) -> list[dict[str, str]]:
    return [{"Number": p.number, "Name": p.name, "Type": TYPES[p.kind], "Currency": p.currency, "Parent": p.parent,
             "Parent name": p.parents[-1][1] if p.parents else "", "Reason": p.reason} for p in plan.proposals]


def write_accounts(plan: Plan, path: str) -> list[str]:
    write_atomic(path, csv_bytes(COLUMNS, rows(plan), encoding=ENCODING))
    return [path]


def write_journal(entries: Sequence[JournalEntry], path: str, options: BookOptions = BookOptions(),
                  plan: Plan | None = None) -> list[str]:
    groups = [[{"Entry": e.reference or str(i), "Date": e.date.isoformat(), "Account": line.account.number,
                "Account name": line.account.name, "Debit": amount(line.debit) if line.debit else "",
                "Credit": amount(line.credit) if line.credit else "", "Currency": line.currency,
                "Memo": line.memo or e.memo} for line in e.lines] for i, e in enumerate(entries, start=1)]
    return write_csv_parts(path, JOURNAL_COLUMNS, groups, None, numeric=("Debit", "Credit"), encoding=ENCODING)
