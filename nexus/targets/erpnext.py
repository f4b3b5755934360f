"""ERPNext: Data Import of the Account doctype, and of the Journal Entry doctype.

Not the Chart of Accounts Importer: it replaces the whole chart. Accounts:
``Account Name, Parent Account, Account Number, Is Group, Company, Account
Type, Currency`` (the Account doctype's labels; ``Account Name``, ``Company``
and ``Parent Account`` are required). ``Parent Account`` is a link, so it holds
the parent's ERPNext name, ``NUMBER - Name - ABBR`` (the company abbreviation
ends every account name): the siblings' parent where the chart has one, else
the group ERPNext's standard chart keeps that kind of account under (Bank
Accounts, Accounts Receivable, Current Assets, Duties and Taxes, Current
Liabilities, Indirect Income, Indirect Expenses). ERPNext keeps a receivable
per currency, so the plan proposes one for each new currency.

Journal: ``Entry Type, Posting Date, Company, User Remark, Account (Accounting
Entries), Debit (Accounting Entries), Credit (Accounting Entries), User Remark
(Accounting Entries)``: a Journal Entry with its child rows, the parent's
columns filled on its first row only; the entry's remark leads with its
reference, each line's (the child table's own User Remark) says what it accrues.
"""
from __future__ import annotations

from typing import Sequence

from nexus.account_records import AccountRef, BookOptions, Ledger, Proposal
from nexus.accounts import Plan
from nexus.chart import Account
from nexus.errors import InputError
from nexus.journal import JournalEntry
from nexus.targets.common import amount, write_csv_parts

NAME = "erpnext"
DOCS = "https://docs.erpnext.com/docs/user/manual/en/data-import"
JOURNAL_DOCS = DOCS
#: Account.validate_group_or_ledger refuses to make an account with GL entries a group ("Account with existing
#: transaction can not be converted to group") or one with an Account Type, and an Insert New Records import cannot
#: change an existing account at all: new accounts the plan puts under a postable one go beside it (_parent).
LEDGER = Ledger(NAME, receivables_per_currency=True, converts_to_header=False)
#: UTF-8 without a byte-order mark: Frappe's Data Import decoded files as "utf-8" and kept a mark in the first
#: header, Account Name, which then matched no field, until frappe/frappe#26183 (2024) taught it utf-8-sig.
ENCODING = "utf-8"
#: The Account doctype's Account Type options (erpnext/accounts/doctype/account/account.json).
ERPNEXT_TYPES = frozenset({"", "Accumulated Depreciation", "Asset Received But Not Billed", "Bank", "Cash",
                           "Chargeable", "Capital Work in Progress", "Cost of Goods Sold", "Current Asset",
                           "Current Liability", "Depreciation", "Direct Expense", "Direct Income", "Equity",
                           "Expense Account", "Expenses Included In Asset Valuation",
                           "Expenses Included In Valuation", "Fixed Asset", "Income Account", "Indirect Expense",
                           "Indirect Income", "Liability", "Payable", "Receivable", "Round Off", "Stock",
                           "Stock Adjustment", "Stock Received But Not Billed", "Service Received But Not Billed",
                           "Tax", "Temporary"})
TYPES = {"bank": "Bank", "receivable": "Receivable", "current-asset": "Current Asset",
         "current-liability": "Current Liability", "equity": "Equity", "income": "Income Account",
         "expense": "Indirect Expense", "other-income": "Indirect Income", "other-expense": "Indirect Expense"}
_TYPE_BY_PURPOSE = {"tax": "Tax", "rounding": "Round Off"}
#: Where ERPNext's standard chart keeps each kind (verified/standard_chart_of_accounts.py).
STANDARD_GROUPS = {"bank": "Bank Accounts", "receivable": "Accounts Receivable", "current-asset": "Current Assets",
                   "current-liability": "Current Liabilities", "equity": "Equity", "income": "Direct Income",
                   "expense": "Indirect Expenses", "other-income": "Indirect Income",
                   "other-expense": "Indirect Expenses"}
COLUMNS = ("Account Name", "Parent Account", "Account Number", "Is Group", "Company", "Account Type", "Currency")
JOURNAL_COLUMNS = ("Entry Type", "Posting Date", "Company", "User Remark", "Account (Accounting Entries)",
                   "Debit (Accounting Entries)", "Credit (Accounting Entries)", "User Remark (Accounting Entries)")


def _company(options: BookOptions) -> tuple[str, str]:
    if not options.company or not options.company_abbr:
        raise InputError("ERPNext names every account after its company: give --company NAME and "
                         "--company-abbr ABBR (Setup > Company > Abbr)")
    return options.company, options.company_abbr


def account_id(number: str, name: str, abbr: str) -> str:
    """ERPNext's name for an account: ``1040 - Bank - GBP - ND``."""
    return f"{number} - {name} - {abbr}" if number else f"{name} - {abbr}"


def _standard_group(p: Proposal, chart: Sequence[Account] = (), abbr: str = "") -> str:
    """The standard chart's group for an account the chart gives no parent: tax payables under Duties and Taxes.

    As the chart names it, where it has that group: a numbered chart's group is "5200 - Indirect Expenses - ND",
    and "Indirect Expenses - ND" is no account there (ERPNext refuses the link). Else the standard name.
    """
    name = "Duties and Taxes" if p.purpose.startswith("tax:") else STANDARD_GROUPS[p.kind]
    own = next((a for a in chart if a.group and a.name.strip().lower() == name.lower()), None)
    return account_id(own.number, own.name, abbr) if own is not None else f"{name} - {abbr}"


def _parent(p: Proposal, chart: Sequence[Account], abbr: str) -> str:
    """The group ``p`` goes under: its parent, or where that is a postable account of the chart (6603 财务费用 for
    660301 汇兑损益), the nearest group above it, else the standard chart's group. ERPNext refuses a sub-account under
    a ledger ("Parent account ... can not be a ledger") and one already posted to never becomes a group, so the
    file, loaded as is, puts the new account beside it."""
    ledgers = {a.number for a in chart if not a.group}
    cut = next((i for i, (number, _) in enumerate(p.parents) if number in ledgers), len(p.parents))
    groups = p.parents[:cut]  # the parents above the first ledger of the chart: groups in ERPNext
    return account_id(*groups[-1], abbr) if groups else _standard_group(p, chart, abbr)


def _row(p: Proposal, options: BookOptions, chart: Sequence[Account] = ()) -> dict[str, str]:
    company, abbr = _company(options)
    parent = _parent(p, chart, abbr)
    account_type = _TYPE_BY_PURPOSE.get(p.purpose.split(":")[0], TYPES[p.kind])
    return {"Account Name": p.name, "Parent Account": parent, "Account Number": p.number,
            "Is Group": "1" if p.group else "0", "Company": company, "Account Type": account_type,
            "Currency": p.currency}


#: The plan's column for where a new account goes: the group the file puts it under (its Parent Account).
PLACED_BY = "Under"


def placed(p: Proposal, plan: Plan) -> str:
    """The Parent Account the import gives ``p``: beside a postable parent of the chart, or a standard group, where
    the chart's own parent cannot take it (:func:`_parent`)."""
    return _parent(p, plan.chart, _company(plan.options)[1])


def rows(plan: Plan) -> list[dict[str, str]]:
    return [_row(p, plan.options, plan.chart) for p in plan.proposals]


def write_accounts(plan: Plan, path: str) -> list[str]:
    return write_csv_parts(path, COLUMNS, [rows(plan)], None, encoding=ENCODING)


def _ref(ref: AccountRef, abbr: str) -> str:
    return account_id(ref.number, ref.name, abbr)


def write_journal(entries: Sequence[JournalEntry], path: str, options: BookOptions = BookOptions(),
                  plan: Plan | None = None) -> list[str]:
    company, abbr = _company(options)
    groups = []
    for e in entries:
        lines = []
        for n, line in enumerate(e.lines):
            head = {"Entry Type": "Journal Entry", "Posting Date": e.date.isoformat(), "Company": company,
                    "User Remark": e.headline}
            lines.append((head if n == 0 else {}) | {
                "Account (Accounting Entries)": _ref(line.account, abbr),
                "Debit (Accounting Entries)": amount(line.debit), "Credit (Accounting Entries)": amount(line.credit),
                # the line's own remark (Journal Entry Account.user_remark): which place, tax and period it accrues
                "User Remark (Accounting Entries)": line.memo})
        groups.append(lines)
    return write_csv_parts(path, JOURNAL_COLUMNS, groups, None,
                           numeric=("Debit (Accounting Entries)", "Credit (Accounting Entries)"), encoding=ENCODING)
