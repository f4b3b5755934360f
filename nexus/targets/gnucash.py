"""GnuCash: the accounts written into a GnuCash book (SQLite), and the journal posted into it, through piecash.

GnuCash reads its SQLite books directly, so nexus writes the book rather than
an import file: into the book at ``path`` when there is one (a copy of yours),
else a new book in the plan's book currency. Each new account gets its number
as the GnuCash *code*, its name, a GnuCash type (BANK, RECEIVABLE, ASSET,
LIABILITY, INCOME, EXPENSE, EQUITY) and a commodity: its currency, else the
book's. Accounts hang under their chart parents, themselves under a top
account per type (Assets, Liabilities, Income, Expenses, Equity); parents
nexus creates are placeholders. GnuCash keeps a receivable per currency, so
the plan proposes one for each new currency. The journal is posted as
transactions in the book; accounts are found by code.
"""
from __future__ import annotations

import os
import warnings
from contextlib import contextmanager
from typing import Any, Iterator, Mapping, Sequence

from nexus.account_records import AccountRef, BookOptions, Ledger
from nexus.accounts import Plan
from nexus.errors import InputError, NexusError
from nexus.journal import JournalEntry
from nexus.money import minor_units

NAME = "gnucash"
DOCS = "https://piecash.readthedocs.io/en/master/tutorial/index_existing.html"
JOURNAL_DOCS = "https://piecash.readthedocs.io/en/master/tutorial/index_new.html"
LEDGER = Ledger(NAME, receivables_per_currency=True)
#: No text file: the accounts and the journal are written into a SQLite book, which keeps its text as UTF-8 itself.
ENCODING = ""
TYPES = {"bank": "BANK", "receivable": "RECEIVABLE", "current-asset": "ASSET", "current-liability": "LIABILITY",
         "equity": "EQUITY", "income": "INCOME", "other-income": "INCOME", "expense": "EXPENSE",
         "other-expense": "EXPENSE"}
TOPS = {"ASSET": "Assets", "BANK": "Assets", "RECEIVABLE": "Assets", "LIABILITY": "Liabilities",
        "EQUITY": "Equity", "INCOME": "Income", "EXPENSE": "Expenses"}


@contextmanager
def _piecash() -> Iterator[Any]:
    """piecash, with SQLAlchemy's warnings about piecash's own mappings kept out of the user's terminal."""
    # piecash maps its tables with SQLAlchemy 1.4 APIs; SQLAlchemy's notice about 2.0 is for piecash, not for users.
    os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    try:
        import piecash
    except ImportError:
        raise NexusError("the gnucash target needs piecash: pip install piecash") from None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        yield piecash


def _open(piecash: Any, path: str, currency: str, readonly: bool = False) -> Any:
    if os.path.exists(path):
        try:
            return piecash.open_book(path, readonly=readonly, open_if_lock=True, do_backup=False)
        except Exception as exc:  # piecash raises its own and SQLAlchemy's errors for a file that is no book
            raise InputError(f"{path}: is not a GnuCash SQLite book ({exc.__class__.__name__})") from None
    return _new_book(piecash, path, currency)


def _new_book(piecash: Any, path: str, currency: str) -> Any:
    """A new book at ``path``. piecash makes its tables one statement at a time, and SQLite waits for the disk after
    each (0.9 s for an empty book): they are written without waiting, as nothing else has the new file yet. Only
    piecash's connection to it is unsynced: the accounts are saved on a new connection (piecash keeps none open
    between saves), which waits for the disk, the tables with them."""
    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    def unsynced(connection: Any, _record: Any) -> None:
        cursor = connection.cursor()
        cursor.execute("PRAGMA synchronous=OFF")
        cursor.close()

    event.listen(Engine, "connect", unsynced)
    try:
        return piecash.create_book(sqlite_file=path, currency=currency)
    finally:
        event.remove(Engine, "connect", unsynced)


def own_currency(path: str) -> str:
    """The currency the book at ``path`` says it is kept in, "" where there is no book or it says none: its root
    account's commodity (piecash's default currency, which GnuCash's new-book assistant sets), else, as GnuCash
    itself finds a root currency for books made before it kept one (find_root_currency, libgnucash/engine/Scrub.cpp),
    that of its first top-level income account. Never its banks': they say which currencies it holds."""
    if not os.path.exists(path):
        return ""
    with _piecash() as piecash:
        book = _open(piecash, path, "", readonly=True)  # read only: no lock left in a book GnuCash may have open
        try:
            root = book.root_account
            tops = [a for a in root.children if a.type == "INCOME"]
            found = [c for c in [root.commodity] + [a.commodity for a in tops] if c is not None and _is_currency(c)]
            return found[0].mnemonic if found else ""
        finally:
            book.close()


def _is_currency(commodity: Any) -> bool:
    """Whether a book's commodity is a currency: in the CURRENCY namespace, whatever GnuCash's language calls it in
    the file (a German GnuCash wrote WÄHRUNG), with an ISO 4217 code."""
    from nexus import currencies

    return commodity.namespace != "template" and currencies.facts(commodity.mnemonic) is not None


def _commodity(piecash: Any, book: Any, code: str) -> Any:
    for c in book.commodities:
        if c.namespace == "CURRENCY" and c.mnemonic == code:
            return c
    from nexus import currencies

    fact = currencies.facts(code)
    commodity = piecash.Commodity(namespace="CURRENCY", mnemonic=code, fullname=fact.name if fact else code,
                                  fraction=10 ** minor_units(code), book=book)
    book.add(commodity)
    return commodity


def _same_name(a: str, b: str) -> bool:
    """Whether two account names are one, as an accountant reads them: case and spacing aside."""
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _codes(book: Any) -> dict[str, list[Any]]:
    """The book's accounts by code, read once: GnuCash codes are free text and need not be unique."""
    found: dict[str, list[Any]] = {}
    for a in book.accounts:
        if a.code:
            found.setdefault(a.code, []).append(a)
    return found


#: How to put right a code the book gives another account: nexus numbers from the chart given with --coa and, in the
#: journal, from the currency list it is given, which must be the plan's for the numbers to be the plan's.
_FIX = ("the chart given with --coa lacks the book's account (export it from the book again), or 'accounts journal' "
        "was not given the --currencies list given to 'accounts plan', whose numbers the book holds")


def _taken(codes: Mapping[str, list[Any]], number: str, name: str, what: str) -> InputError | None:
    """An error where the book's account with code ``number`` is another account than ``name``. Found by its code
    alone, it would take the other's postings: a journal numbered without the plan's currency list once booked its
    penalties to the book's "Currency rounding", which the plan had numbered 8010."""
    other = next((a for a in codes.get(number, []) if not _same_name(a.name, name)), None)
    if other is None:
        return None
    return InputError(f"account {number} is {other.fullname!r} in the book; {what} {name!r} under that number: "
                      f"{_FIX}")


def _account(piecash: Any, book: Any, parent: Any, number: str, name: str, kind: str, currency: str,
             placeholder: bool, codes: dict[str, list[Any]]) -> Any:
    clash = None if placeholder else _taken(codes, number, name, "nexus numbers")
    if clash is not None:  # a parent of the chart is found by its code; a new account's code must be free
        raise clash
    for child in parent.children:
        if (number and child.code == number) or child.name == name:
            return child
    if ":" in name:
        raise InputError(f"account {number} {name!r}: GnuCash names cannot hold a colon (its separator)")
    commodity = _commodity(piecash, book, currency) if currency else book.default_currency
    made = piecash.Account(name=name, type=TYPES.get(kind, "ASSET"), commodity=commodity, parent=parent,
                           code=number, placeholder=1 if placeholder else 0, book=book)
    if number:
        codes.setdefault(number, []).append(made)
    return made


#: The kind of each top account, as GnuCash's own templates type them: "Assets" is an ASSET placeholder, not the
#: BANK or RECEIVABLE of the first account placed under it (GnuCash would list all the assets among the banks).
_TOP_KINDS = {"Assets": "current-asset", "Liabilities": "current-liability", "Equity": "equity", "Income": "income",
              "Expenses": "expense"}


def _place(piecash: Any, book: Any, ref: AccountRef, kinds: Mapping[str, str], codes: dict[str, list[Any]],
           placeholder: bool = False) -> Any:
    """The account under its top account and its chart parents; ``kinds`` gives each chart parent its own kind (a
    "Current assets" header stays an asset when the account proposed under it is a receivable). A header the plan
    opens (``placeholder``: a Chinese chart's 1012 其他货币资金) takes no postings, as the chart's headers."""
    top_name = TOPS[TYPES.get(ref.kind, "ASSET")]
    parent = _account(piecash, book, book.root_account, "", top_name, _TOP_KINDS[top_name], "", True, codes)
    for number, name in ref.parents:
        parent = _account(piecash, book, parent, number, name, kinds.get(number, ref.kind), "", True, codes)
    return _account(piecash, book, parent, ref.number, ref.name, ref.kind, ref.currency, placeholder, codes)


def rows(plan: Plan) -> list[dict[str, str]]:
    return [{"Full name": ":".join([TOPS[TYPES[p.kind]]] + [n for _, n in p.parents] + [p.name]), "Code": p.number,
             "Type": TYPES[p.kind], "Commodity": p.currency or plan.book_currency} for p in plan.proposals]


def write_accounts(plan: Plan, path: str) -> list[str]:
    """Create the plan's accounts in the book at ``path`` (made if missing), under their parents."""
    with _piecash() as piecash:
        book = _open(piecash, path, plan.book_currency)
        try:
            kinds = {a.number: a.kind for a in plan.chart if a.kind in TYPES}
            codes = _codes(book)
            for p in plan.proposals:
                _place(piecash, book, p.ref, kinds, codes, p.group)
            book.save()
        finally:
            book.close()
    return [path]


def write_journal(entries: Sequence[JournalEntry], path: str, options: BookOptions = BookOptions(),
                  plan: Plan | None = None) -> list[str]:
    """Post ``entries`` into the book at ``path``; each account must be there already (found by its code). An entry
    whose reference the book already holds is refused, not posted a second time."""
    if not os.path.exists(path):
        raise InputError(f"{path}: no GnuCash book there: write the accounts first (--target gnucash)")
    with _piecash() as piecash:
        book = _open(piecash, path, "")
        try:
            codes = _codes(book)
            by_code = {code: found[-1] for code, found in codes.items()}
            posted = {t.num: t for t in book.transactions if t.num}
            for e in entries:
                if e.reference and e.reference in posted:  # run again: the accrual would be booked twice
                    raise InputError(f"{path}: entry {e.reference} is already in the book (posted on "
                                     f"{posted[e.reference].post_date}): nothing posted; to post it again, delete "
                                     f"that transaction in GnuCash first")
                currency = _commodity(piecash, book, e.currency)
                splits = []
                for line in e.lines:
                    account = by_code.get(line.account.number)
                    if account is None:
                        raise InputError(f"{path}: no account with code {line.account.number} "
                                         f"({line.account.name}) in the book")
                    clash = _taken(codes, line.account.number, line.account.name, "the entry posts to")
                    if clash is not None:
                        raise InputError(f"{path}: {clash}")
                    if account.placeholder:  # GnuCash takes no split on a placeholder; piecash's refusal is a traceback
                        raise InputError(f"{path}: account {line.account.number} {account.fullname!r} is a placeholder "
                                         f"in the book, which takes no postings: clear its Placeholder box in GnuCash, "
                                         f"or open an account under it and give the chart exported with it (--coa)")
                    if account.commodity != currency:  # a book made in another currency (the chart's commonest)
                        held = account.commodity.mnemonic
                        raise InputError(f"{path}: account {line.account.number} {account.fullname!r} is held in "
                                         f"{held} in the book and the entry is in {e.currency}: book the entry in "
                                         f"{held} (--book-currency {held}), or post it to an account in {e.currency}")
                    splits.append(piecash.Split(account=account, value=line.amount, memo=line.memo))
                piecash.Transaction(currency=currency, description=e.memo, post_date=e.date, splits=splits,
                                    num=e.reference)
            book.save()
        finally:
            book.close()
    return [path]
