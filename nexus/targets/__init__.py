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
  refuses an account of the chart name its file and line, as the plan does.

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
