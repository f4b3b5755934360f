"""The records of a chart-of-accounts plan: a proposed account and why (:class:`Proposal`), an account as ledgers
address it (:class:`AccountRef`), what a ledger's chart can hold (:class:`Ledger`), a place where ``nexus check``
found nexus with its tax (:class:`Jurisdiction`), and facts about the books some ledgers' files need
(:class:`BookOptions`).

They are what :func:`nexus.accounts.make_plan` takes and gives (its
:class:`nexus.accounts.Plan` holds them beside the chart, whose
:class:`nexus.chart.Account` records are read by :mod:`nexus.chart`), what
:mod:`nexus.check_document` reads from a check, and what the ledger targets
(:mod:`nexus.targets`) write and the accrual journal posts to.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from nexus import chinese_names
from nexus.account_kinds import NOT_AFTER, NOT_BEFORE, for_place, names_tax
from nexus.chart import Account

#: The kinds of account nexus reads and proposes, with the first digit conventionally used for them
#: when the chart has no account of that kind to learn from.
KINDS = {"bank": "1", "receivable": "1", "current-asset": "1", "current-liability": "2", "equity": "3",
         "income": "4", "expense": "6", "other-income": "7", "other-expense": "8"}
#: Each kind in words, for people (the workbook, the terminal).
KIND_WORDS = {"bank": "Bank", "receivable": "Receivable", "current-asset": "Current asset",
              "current-liability": "Current liability", "equity": "Equity", "income": "Income",
              "expense": "Expense", "other-income": "Other income", "other-expense": "Other expense",
              "other": "Other"}


@dataclass(frozen=True)
class AccountRef:
    """An account as ledgers address it: number, name, kind, currency and its parents from the top down."""

    number: str
    name: str
    kind: str
    currency: str = ""
    parents: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Proposal:
    """A new account nexus proposes, and why."""

    number: str
    name: str
    kind: str
    currency: str
    parent: str
    reason: str
    purpose: str  # e.g. "bank:JPY", "fx-realized", "tax:US-TX", "accrued:US-TX": what makes it unique
    parents: tuple[tuple[str, str], ...] = ()
    numbering: str = ""  # why this number: "after 1030, step 10, in block 1000-1099"
    #: A header the plan opens for the accounts it puts under it (a Chinese chart's 1012 其他货币资金): posted to
    #: through its detail accounts only (ERPNext's Is Group, a GnuCash placeholder).
    group: bool = False

    @property
    def type_words(self) -> str:
        return KIND_WORDS.get(self.kind, self.kind)

    @property
    def ref(self) -> AccountRef:
        return AccountRef(self.number, self.name, self.kind, self.currency, self.parents)


@dataclass(frozen=True)
class Ledger:
    """What a ledger's chart can hold, so that a plan proposes only what it can import.

    ``currency_kinds`` are the kinds whose accounts carry a currency in its
    import (Xero sets a bank's currency in its own screens: none);
    ``creates_itself`` are the purposes the ledger keeps as system accounts
    (Xero's FX gains and rounding, QuickBooks' exchange gain or loss and
    per-currency receivables); ``converts_to_header`` is False where the
    ledger cannot make a postable account of the chart a header after the
    fact (ERPNext refuses to make an account with transactions a group), so
    its file puts the new accounts beside such a parent, not under it;
    ``parents`` is False where the chart holds no parent accounts at all
    (Xero files an account by its type; Odoo groups accounts by code prefix),
    so that the plan promises no place under a parent the import cannot keep;
    ``currency_by_hand`` are the kinds whose new accounts the ledger lets one
    give a currency its import cannot carry, and ``currency_where`` where (Xero:
    a bank's, on the import's confirmation screen; QuickBooks: a bank's and a
    clearing account's, in the account itself), which the plan's screen says.
    """

    name: str = "generic"
    receivables_per_currency: bool = False
    creates_itself: frozenset[str] = frozenset()
    currency_kinds: frozenset[str] = frozenset(KINDS)
    converts_to_header: bool = True
    parents: bool = True
    currency_by_hand: frozenset[str] = frozenset()
    currency_where: str = ""


GENERIC = Ledger()


@dataclass(frozen=True)
class Jurisdiction:
    """A place where ``nexus check`` found nexus, with its tax and why a payable is needed."""

    code: str
    name: str
    tax: str               # "VAT", "Sales tax", "Consumption tax (JCT)": the rule's own words
    currency: str          # the currency the tax is owed in
    reason: str
    accrue: bool = True    # tax may be owed but not collected: the accrual needs an accrued liability
    shared: bool = False   # the place has another tax in the plan (Malaysia's service tax and sales tax)

    @property
    def key(self) -> str:
        """What tells this tax of the place apart in purposes: ``MY`` alone, ``MY sales tax`` beside another."""
        return f"{self.code} {self.tax.lower()}" if self.shared else self.code

    def names(self, a: Account) -> bool:
        """Whether ``a`` is named for this place and for this tax: "Corporate income tax payable - Germany (DE)"
        is Germany's, but not its VAT payable. Where the place has two taxes, the tax's full name decides."""
        return for_place(a, self.code, self.name) and names_tax(a.name, self.tax, self.code) and (
            not self.shared or bool(re.search(rf"{NOT_AFTER}{re.escape(self.tax)}{NOT_BEFORE}", a.name, re.I))
            or any(n and n in a.name for n in (chinese_names.tax_name(self.tax, s) for s in ("hans", "hant"))))


@dataclass(frozen=True)
class BookOptions:
    """Facts about the books that some ledgers' files need (ERPNext's company, a beancount open date...)."""

    company: str = ""
    company_abbr: str = ""
    book_currency: str = ""
    opened_on: date | None = None
    xero_tax_rate: str = "Tax Exempt"
    odoo_journal: str = "Miscellaneous Operations"  # the journal an Odoo entry goes to, by its name in Odoo
    netsuite_subsidiary: str = ""  # a NetSuite OneWorld subsidiary, 'Parent : Child'; none outside OneWorld
    #: The currency the ledger's own book says it is kept in, where nexus writes into an existing one (a GnuCash
    #: book's default currency, nexus.targets.gnucash.own_currency); "" where there is none or it says none.
    own_currency: str = ""
