"""Beancount: ``open`` directives for the new accounts, and transactions for the journal.

Beancount's account names are colon-separated components under one of five
roots (Assets, Liabilities, Equity, Income, Expenses), each component starting
with a capital letter or a digit and holding letters, digits and dashes. nexus
names an account ``Root:NUMBER-Parent-name:NUMBER-Name`` (the chart's tree,
numbers first so names stay unique and sorted). An account with a currency is
opened constrained to it (``open Assets:...:1040-Bank-GBP GBP``). Beancount's
own loader and ``bean-check`` read the result (the tests run them).
"""
from __future__ import annotations

import re
from datetime import date
from typing import Sequence

from nexus.account_records import AccountRef, BookOptions, Ledger
from nexus.accounts import Plan
from nexus.journal import JournalEntry
from nexus.targets.common import amount, write_atomic

NAME = "beancount"
DOCS = "https://beancount.github.io/docs/beancount_language_syntax.html#open"
JOURNAL_DOCS = "https://beancount.github.io/docs/beancount_language_syntax.html#transactions"
LEDGER = Ledger(NAME)
#: UTF-8, as beancount reads its input files; no byte-order mark (a text ledger, not a file for Excel).
ENCODING = "utf-8"
ROOTS = {"bank": "Assets", "receivable": "Assets", "current-asset": "Assets", "current-liability": "Liabilities",
         "equity": "Equity", "income": "Income", "other-income": "Income", "expense": "Expenses",
         "other-expense": "Expenses"}
TYPES = ROOTS


def _component(number: str, name: str) -> str:
    text = re.sub(r"[^\w]+|_+", "-", f"{number} {name}".strip(), flags=re.UNICODE).strip("-")
    text = re.sub(r"-{2,}", "-", text)
    return text[0].upper() + text[1:] if text else "X"


def account_name(ref: AccountRef) -> str:
    """``Assets:1000-Cash-and-bank:1040-Bank-GBP``."""
    root = ROOTS.get(ref.kind, "Assets")
    return ":".join([root] + [_component(n, m) for n, m in ref.parents] + [_component(ref.number, ref.name)])


def rows(plan: Plan) -> list[dict[str, str]]:
    return [{"Account": account_name(p.ref), "Currency": p.currency} for p in plan.proposals]


def _one_line(text: str) -> str:
    """``text`` on one line: a line break in a memo would end its string or its ``;`` comment, and what follows
    would be read as directives of the ledger (an ``open``, a transaction nexus never booked)."""
    return " ".join(text.splitlines())


def _quote(text: str) -> str:
    return '"' + _one_line(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def open_directives(refs: Sequence[AccountRef], on: date) -> str:
    return "".join(f"{on.isoformat()} open {account_name(r)}{' ' + r.currency if r.currency else ''}\n" for r in refs)


def write_accounts(plan: Plan, path: str) -> list[str]:
    on = plan.options.opened_on or date.today()
    text = f"; New accounts proposed by nexus for {plan.source or 'the chart'}\n" + open_directives(
        [p.ref for p in plan.proposals], on)
    write_atomic(path, text.encode(ENCODING))
    return [path]


#: What beancount takes as a link (``^ACCR-20261031-BASE``): letters, digits and ``-_/.``.
_LINK = re.compile(r"[A-Za-z0-9\-_/.]+")


def _links(e: JournalEntry) -> str:
    """The entry's reference, and that of the entry it reverses, as links: ``bean-query`` finds the accrual and its
    reversal by the reference the screen and the workbook name."""
    return "".join(f" ^{r}" for r in (e.reference, e.reverses) if r and _LINK.fullmatch(r))


def write_journal(entries: Sequence[JournalEntry], path: str, options: BookOptions = BookOptions(),
                  plan: Plan | None = None) -> list[str]:
    blocks = []
    for e in entries:
        lines = [f"{e.date.isoformat()} * {_quote(e.memo)}{_links(e)}"]
        for line in e.lines:
            lines.append(f"  {account_name(line.account)}  {amount(line.amount)} {line.currency}"
                         + (f" ; {_one_line(line.memo)}" if line.memo else ""))
        blocks.append("\n".join(lines) + "\n")
    write_atomic(path, "\n".join(blocks).encode(ENCODING))
    return [path]
