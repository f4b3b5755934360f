"""Journal entries for the ledgers nexus writes to: balanced, in one currency, to the currency's minor unit.

A :class:`JournalEntry` is what the accrual of an estimated liability (issue
"Money at stake") posts: on one date, with a memo naming the period and the
scenario, lines that debit an expense and credit accrued liabilities. Each
ledger target writes entries in its own journal import layout
(``nexus.targets.<ledger>.write_journal``); the checks here run once, so that
no target can write an entry that does not balance.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from nexus.account_records import AccountRef
from nexus.errors import NexusError
from nexus.money import quantize


class UnbalancedEntry(NexusError):
    """An entry whose debits and credits differ, or a line that is not a plain amount in its account's currency."""


@dataclass(frozen=True)
class JournalLine:
    """One line: an account, a debit or a credit (the other zero), in ``currency``."""

    account: AccountRef
    debit: Decimal
    credit: Decimal
    currency: str
    memo: str = ""

    def __post_init__(self) -> None:
        for side in (self.debit, self.credit):
            if not isinstance(side, Decimal):
                raise UnbalancedEntry(f"account {self.account.number}: amounts must be Decimal, not "
                                      f"{type(side).__name__}")
            if side < 0 or quantize(side, self.currency) != side:
                raise UnbalancedEntry(f"account {self.account.number}: {side} {self.currency} is not a "
                                      f"non-negative amount in the currency's minor unit")
        if self.account.currency and self.account.currency != self.currency:
            raise UnbalancedEntry(f"account {self.account.number} {self.account.name} is held in "
                                  f"{self.account.currency}; the entry is in {self.currency}: ledgers refuse it "
                                  f"(beancount's 'Invalid currency'): book in {self.account.currency}, or post to "
                                  f"an account without a currency")
        if (self.debit > 0) == (self.credit > 0):
            raise UnbalancedEntry(f"account {self.account.number}: a line is a debit or a credit, not both "
                                  f"or neither ({self.debit} / {self.credit})")

    @property
    def amount(self) -> Decimal:
        """Debit positive, credit negative: the one-column form some ledgers import (Xero, beancount)."""
        return self.debit - self.credit


@dataclass(frozen=True)
class JournalEntry:
    """A balanced entry in one currency (the book currency: DECISIONS "Accounts")."""

    date: datetime.date
    memo: str
    lines: tuple[JournalLine, ...]
    reference: str = ""
    #: The reference of the entry this one reverses ("" for none): ledgers that link entries tie the two.
    reverses: str = ""

    def __post_init__(self) -> None:
        if len(self.lines) < 2:
            raise UnbalancedEntry(f"{self.memo!r}: an entry needs at least two lines")
        currencies = {line.currency for line in self.lines}
        if len(currencies) != 1:
            raise UnbalancedEntry(f"{self.memo!r}: lines in {', '.join(sorted(currencies))}; an entry is in one "
                                  f"currency (convert to the book currency first)")
        if self.debits != self.credits:
            raise UnbalancedEntry(f"{self.memo!r}: debits {self.debits} and credits {self.credits} "
                                  f"{self.currency} differ")

    @property
    def currency(self) -> str:
        return self.lines[0].currency

    @property
    def headline(self) -> str:
        """The memo led by the reference (``ACCR-20261031-BASE: Accrued tax exposure, ...``), for layouts with no
        column of their own for it (Xero's narration, ERPNext's remark): the reference the screen, the workbook and
        the reversal's memo name is then found in the ledger too."""
        return f"{self.reference}: {self.memo}" if self.reference else self.memo

    @property
    def debits(self) -> Decimal:
        return sum((line.debit for line in self.lines), Decimal(0))

    @property
    def credits(self) -> Decimal:
        return sum((line.credit for line in self.lines), Decimal(0))
