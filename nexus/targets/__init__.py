"""Ledger targets: one module per ledger or ERP, each writing the plan and the journal in that ledger's own layout.

Every module has the same small interface (as python-stdnum gives each number
module ``validate``/``compact``/``format``):

* ``NAME``: the ``--target`` value; ``DOCS`` and ``JOURNAL_DOCS``: the
  ledger's documentation of its chart-of-accounts and journal import layouts;
* ``LEDGER``: a :class:`nexus.account_records.Ledger` saying what its chart can
  hold (currency on which accounts, receivables per currency, system accounts);
* ``rows(plan)``: the new accounts as that ledger names and types them, for
  the plan workbook and the terminal;
* ``write_accounts(plan, path, ...)`` and ``write_journal(entries, path, options,
  plan=None)``: the import files (or, for GnuCash, the book itself); each
  returns the paths it wrote (a ledger with a row limit gets several files).
  ``plan``, the plan the entries' accounts come from, lets a journal that
  refuses an account of the chart name its file and line, as the plan does;
* optionally ``ROWS_PER_FILE``: the rows one import file takes, by file
  (``accounts``, ``journal``), where the ledger sets a limit (QuickBooks 1,000,
  Xero's journal 300); a longer import is written as several files;
* optionally ``HEADERS = False`` where the ledger keeps no header accounts;
* optionally ``PLACED_BY`` and ``placed(proposal, plan)``: where a new account
  goes in a ledger whose import does not put it under its chart parent, and
  in what terms (Xero and Odoo keep no parent accounts: their type; ERPNext
  the group its file names); :func:`placement` gives the parent elsewhere;
* optionally ``own_currency(path)``: the currency the ledger's book at ``path``
  says it is kept in, where nexus writes into the book itself (GnuCash).

:func:`as_text` gives an import file for standard output, through the same
``write_accounts`` or ``write_journal``.

A new ledger is one new module and one line in :data:`NAMES`; nothing else in
nexus names a ledger.
"""
from __future__ import annotations

import csv
import importlib
import io
import os
import tempfile
from types import ModuleType
from typing import Any, Callable

from nexus.errors import NexusError

#: The ledgers nexus writes for, in the order ``--help`` lists them.
NAMES = ("generic", "xero", "quickbooks", "netsuite", "odoo", "erpnext", "beancount", "gnucash")


def get(name: str) -> ModuleType:
    """The target module for ``name`` (``xero``, ``gnucash``...)."""
    if name not in NAMES:
        raise NexusError(f"unknown target {name!r} ({', '.join(NAMES)})")
    return importlib.import_module(f"nexus.targets.{name}")


def own_currency(target: ModuleType, path: str | None) -> str:
    """The currency the book ``target`` writes into at ``path`` says it is kept in (:func:`nexus.accounts.kept_in`
    puts it before the chart's), "" for an import file, a book yet to be made or one that says none."""
    reader = getattr(target, "own_currency", None)
    return reader(path) if reader is not None and path and path != "-" else ""


def imported(target: ModuleType, plan: Any) -> list[Any]:
    """The new accounts of ``plan`` that ``target``'s import carries: all, but for a ledger without header accounts
    (``HEADERS = False``: Xero, Odoo) the headers the plan opens (a Chinese chart's 1012 其他货币资金), which the
    file leaves out and the screen and workbook listed as new accounts all the same."""
    return [p for p in plan.proposals if getattr(target, "HEADERS", True) or not p.group]


def placement(target: ModuleType, plan: Any) -> tuple[str, list[str]]:
    """Where each new account of ``plan`` that ``target`` imports (:func:`imported`) goes in that ledger, with the
    heading saying in what terms: ``Under`` its parent, number and name, unless the target says otherwise
    (``placed``). The plan showed Xero's new banks under 1000 Cash and bank, a parent Xero's chart cannot hold."""
    placed = getattr(target, "placed", None)
    if placed is not None:
        return target.PLACED_BY, [placed(p, plan) for p in imported(target, plan)]
    return "Under", [" ".join(p.parents[-1]) if p.parents else "" for p in imported(target, plan)]


#: What one row of an import file is, by file (the keys of a target's ``ROWS_PER_FILE``).
_ROWS = {"accounts": "accounts", "journal": "journal lines"}


def as_text(target: ModuleType, kind: str, write: Callable[[str], list[str]]) -> str:
    """The import file ``write(path)`` writes (``kind`` ``accounts``: a target's ``write_accounts``; ``journal``:
    its ``write_journal``), as text for standard output, with no byte-order mark.

    A file keeps its target's ``ENCODING``: the generic CSV starts with the mark Excel needs to open it as UTF-8.
    Standard output goes to a program (``| csvkit``, a database loader), which reads UTF-8 as every tool writes it
    on a pipe, without one: with it, the first header read as '\\ufeffNumber' and matched no column. A GnuCash book is
    no text and cannot go there, nor an import the ledger's row limit splits into several files: joined, the header
    came again mid-stream, which no importer reads."""
    if not target.ENCODING:
        raise NexusError(f"--import-file -: --target {target.NAME} writes a book, not text, and a book cannot go to "
                         "standard output; give a file name")
    with tempfile.TemporaryDirectory(prefix="nexus-import-") as folder:
        paths = write(os.path.join(folder, "import"))
        # utf-8-sig leaves out the mark a file starts with; text mode ends lines as the system prints text
        texts = [_read(path) for path in paths]
    if len(texts) > 1:
        raise NexusError(_several_files(target, kind, texts))
    return "".join(texts)


def _read(path: str) -> str:
    with open(path, encoding="utf-8-sig") as handle:
        return handle.read()


def _several_files(target: ModuleType, kind: str, texts: list[str]) -> str:
    """Why an import written as several files cannot go to standard output, its limit, and what a file name gives."""
    from nexus.targets.common import part_paths

    rows = sum(len(list(csv.reader(io.StringIO(text)))) - 1 for text in texts)  # each part under its header
    limit = getattr(target, "ROWS_PER_FILE", {}).get(kind)
    unit = _ROWS[kind]
    said = (f"{target.NAME} takes at most {limit:,} {unit} an import file and these {rows:,} {unit} need "
            if limit else f"{target.NAME} writes these {rows:,} {unit} as ")
    names = part_paths(f"{kind}.csv", len(texts))
    files = f"{names[0]} and {names[1]}" if len(names) == 2 else f"{names[0]}, {names[1]} ... {names[-1]}"
    return (f"--import-file -: {said}{len(texts)} files, which standard output cannot keep apart; give a file "
            f"name (--import-file {names[0]} writes {files})")
