"""Ledger targets: one module per ledger or ERP, each writing the plan and the journal in that ledger's own layout.

Every module has the same small interface (as python-stdnum gives each number
module ``validate``/``compact``/``format``):

* ``NAME``: the ``--target`` value; ``DOCS`` and ``JOURNAL_DOCS``: the
  ledger's documentation of its chart-of-accounts and journal import layouts;
* ``LEDGER``: a :class:`nexus.accounts.Ledger` saying what its chart can hold
  (currency on which accounts, receivables per currency, system accounts);
* ``rows(plan)``: the new accounts as that ledger names and types them, for
  the plan workbook and the terminal;
* ``write_accounts(plan, path, ...)`` and ``write_journal(entries, path, options,
  plan=None)``: the import files (or, for GnuCash, the book itself); each
  returns the paths it wrote (a ledger with a row limit gets several files).
  ``plan``, the plan the entries' accounts come from, lets a journal that
  refuses an account of the chart name its file and line, as the plan does;
* optionally ``own_currency(path)``: the currency the ledger's book at ``path``
  says it is kept in, where nexus writes into the book itself (GnuCash).

A new ledger is one new module and one line in :data:`NAMES`; nothing else in
nexus names a ledger.
"""
from __future__ import annotations

import importlib
from types import ModuleType

#: The ledgers nexus writes for, in the order ``--help`` lists them.
NAMES = ("generic", "xero", "quickbooks", "netsuite", "odoo", "erpnext", "beancount", "gnucash")


def get(name: str) -> ModuleType:
    """The target module for ``name`` (``xero``, ``gnucash``...)."""
    if name not in NAMES:
        from nexus.errors import NexusError

        raise NexusError(f"unknown target {name!r} ({', '.join(NAMES)})")
    return importlib.import_module(f"nexus.targets.{name}")


def own_currency(target: ModuleType, path: str | None) -> str:
    """The currency the book ``target`` writes into at ``path`` says it is kept in (:func:`nexus.accounts.kept_in`
    puts it before the chart's), "" for an import file, a book yet to be made or one that says none."""
    reader = getattr(target, "own_currency", None)
    return reader(path) if reader is not None and path and path != "-" else ""
