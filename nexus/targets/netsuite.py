"""NetSuite: the Chart of Accounts CSV import and the Journal Entry CSV import.

Chart: ``External Id, Account Number, Account Name, Account Type, Description,
Currency, Subaccount of`` (the layout of NetSuite's own Chart of Accounts
import example). Numbers and names up to 60 characters; a number already used
is refused by NetSuite; ``Subaccount of`` names the parent as NetSuite's lists
show it, ``NUMBER Parent : Child``; the currency is mandatory on bank
accounts; OneWorld accounts must also map Subsidiaries in the import
assistant. Journal: ``External ID, Date, Currency, Memo, Account, Debit, Credit,
Line Memo``, one row per line, lines of one entry sharing the External ID;
accounts as ``NUMBER Name`` (with account numbers on); amounts up to 10 digits
before the decimal point and 2 after (NetSuite keeps a currency to 2
decimals or none: an entry in BHD, KWD or OMR, to 3, is refused). The FX gain/loss and rounding accounts
are NetSuite's own system accounts (Realized, Unrealized and Rounding
Gain/Loss), which it adds when Multiple Currencies is on: none is proposed.

OneWorld: every journal entry belongs to a subsidiary, and the Chart of
Accounts import fails unless its Subsidiaries field is mapped. With
``BookOptions.netsuite_subsidiary`` the journal has a ``Subsidiary`` column
after the External ID (the place of NetSuite's own examples) and the accounts
a ``Subsidiaries`` column, the subsidiary named as NetSuite lists it
(``Parent Company : AU Subsid``). More information:
https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534489651.html (Journal Entry CSV Files),
https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N357847.html (Chart of Accounts Import).
"""
from __future__ import annotations

from decimal import Decimal
from typing import Sequence

from nexus.account_records import AccountRef, BookOptions, Ledger, Proposal
from nexus.accounts import Plan
from nexus.errors import InputError
from nexus.journal import JournalEntry
from nexus.targets.common import amount, names_path, refuse, within_decimals, write_csv_parts

NAME = "netsuite"
DOCS = "https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N357847.html"
JOURNAL_DOCS = "https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_1534492737.html"
#: With Multiple Currencies on, NetSuite adds Realized Gain/Loss, Unrealized Gain/Loss and Rounding Gain/Loss to the
#: chart itself and posts exchange and rounding differences there (Foreign Currency Revaluation,
#: https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N1409370.html): the plan proposes none.
LEDGER = Ledger(NAME, creates_itself=frozenset({"fx-realized", "fx-unrealized", "rounding"}))
#: UTF-8 without a byte-order mark: the Import Assistant reads the encoding chosen on its first page (Character
#: Encoding: choose Unicode (UTF-8), UTF_8 in a saved import, not the Western default, or Japanese and Chinese names
#: are garbled), and NetSuite's own page on its CSV parser says a mark some editors add must be removed.
ENCODING = "utf-8"
TYPES = {"bank": "Bank", "receivable": "Accounts Receivable", "current-asset": "Other Current Asset",
         "current-liability": "Other Current Liability", "equity": "Equity", "income": "Income",
         "expense": "Expense", "other-income": "Other Income", "other-expense": "Other Expense"}
COLUMNS = ("External Id", "Account Number", "Account Name", "Account Type", "Description", "Currency",
           "Subaccount of")
JOURNAL_COLUMNS = ("External ID", "Date", "Currency", "Memo", "Account", "Debit", "Credit", "Line Memo")
TEXT_LIMIT = 60
_AMOUNT_LIMIT = Decimal("9999999999.99")
#: NetSuite keeps a currency to 2 decimals or none: "The only values supported are 0 and 2" (Currency Decimal
#: Precision, https://docs.oracle.com/en/cloud/saas/netsuite/ns-online-help/section_N1397831.html).
_PLACES = 2


def reference(ref: AccountRef) -> str:
    """``1040 Cash and bank : Bank - GBP``: the account's number and its name path, as NetSuite lists show it."""
    return f"{ref.number} {' : '.join(names_path(ref))}"


def _parent(p: Proposal) -> str:
    if not p.parents:
        return ""
    number = p.parents[-1][0]
    return f"{number} {' : '.join(name for _, name in p.parents)}"


def _row(p: Proposal) -> dict[str, str]:
    if len(p.number) > TEXT_LIMIT or len(p.name) > TEXT_LIMIT:
        raise refuse(p, f"NetSuite numbers and names are up to {TEXT_LIMIT} characters")
    if p.kind == "bank" and not p.currency:
        raise refuse(p, "NetSuite needs a currency on a bank account")
    return {"External Id": f"nexus-{p.purpose}", "Account Number": p.number, "Account Name": p.name,
            "Account Type": TYPES[p.kind], "Description": p.reason, "Currency": p.currency,
            "Subaccount of": _parent(p)}


def _subsidiary(options: BookOptions) -> str:
    """The OneWorld subsidiary to name, '' outside OneWorld. NetSuite matches a reference exactly as its list
    writes it, so a name with a space before or after (pasted with it) is refused here, not by the import."""
    name = options.netsuite_subsidiary
    if name != name.strip():
        raise InputError(f"NetSuite subsidiary {name!r}: give it exactly as NetSuite lists it ('Parent : Child'), "
                         f"with no space before or after")
    return name


def rows(plan: Plan) -> list[dict[str, str]]:
    subsidiary = _subsidiary(plan.options)
    return [_row(p) | ({"Subsidiaries": subsidiary} if subsidiary else {}) for p in plan.proposals]


def write_accounts(plan: Plan, path: str) -> list[str]:
    columns = COLUMNS + (("Subsidiaries",) if _subsidiary(plan.options) else ())
    return write_csv_parts(path, columns, [rows(plan)], None, encoding=ENCODING)


def write_journal(entries: Sequence[JournalEntry], path: str, options: BookOptions = BookOptions(),
                  plan: Plan | None = None) -> list[str]:
    subsidiary = _subsidiary(options)
    columns = JOURNAL_COLUMNS[:1] + (("Subsidiary",) if subsidiary else ()) + JOURNAL_COLUMNS[1:]
    groups = []
    for i, e in enumerate(entries, start=1):
        for line in e.lines:
            if max(line.debit, line.credit) > _AMOUNT_LIMIT:
                raise InputError(f"account {line.account.number}: NetSuite takes amounts up to {_AMOUNT_LIMIT}")
            within_decimals(line.account.number, max(line.debit, line.credit), e.currency, "NetSuite", _PLACES,
                            "a currency's precision there is 0 or 2")
        groups.append([{"External ID": e.reference or f"nexus-{e.date.isoformat()}-{i}", "Subsidiary": subsidiary,
                        "Date": e.date.strftime("%m/%d/%Y"), "Currency": e.currency, "Memo": e.memo,
                        "Account": reference(line.account), "Debit": amount(line.debit) if line.debit else "",
                        "Credit": amount(line.credit) if line.credit else "", "Line Memo": line.memo}
                       for line in e.lines])
    return write_csv_parts(path, columns, groups, None, numeric=("Debit", "Credit"), encoding=ENCODING)
