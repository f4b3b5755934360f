"""ERP item lists, read as the ERPs export them: the other side of the SKU reconciliation.

One module per ERP (``erpnext.py``, ``odoo.py``...), each with the same small interface, as the platform
readers (:mod:`nexus.exports`) and the ledger targets (:mod:`nexus.targets`) have theirs:

* ``NAME``: what ``--erp-format`` calls it; ``TITLE``: how messages name it;
* ``DOCS``: the public page that documents the export's columns;
* ``detect(header) -> bool``: whether a header row is this export's;
* ``read(source) -> iterator of Item``: one :class:`~nexus.erp_items.base.Item` per item, with its SKU as the
  ERP holds it, the ERP's item number, name and own type words.

A new ERP is one new module and one line in :data:`ERPS`; nothing else in nexus names an ERP.
"""
from __future__ import annotations

from types import ModuleType
from typing import Sequence

from nexus.erp_items import erpnext, generic, netsuite, odoo, quickbooks, xero
from nexus.erp_items.base import Item, ItemList, Source
from nexus.errors import InputError, Location

#: Every layout, in the order headers are tried (nexus's own generic layout last: its columns are the plainest).
ERPS: tuple[ModuleType, ...] = (erpnext, odoo, netsuite, quickbooks, xero, generic)

__all__ = ["ERPS", "Item", "ItemList", "detect", "names", "read_items"]


def names() -> tuple[str, ...]:
    """What ``--erp-format`` accepts."""
    return ("auto",) + tuple(e.NAME for e in ERPS)


def detect(header: Sequence[object]) -> ModuleType | None:
    """The ERP whose export ``header`` is, or None."""
    return next((e for e in ERPS if e.detect(header)), None)


def read_items(path: str, erp: str = "auto") -> ItemList:
    """Read an ERP's item list (CSV, TSV or XLSX), recognised from its header (``erp`` forces a layout)."""
    from nexus.read_options import ReadOptions
    from nexus.spreadsheets import read_rows

    # An Item Code 00123 typed as a number formatted "00000" is 00123 in the ERP: read as 123 it matched no SKU
    # sold (the products file is read the same way).
    rows = read_rows(path, ReadOptions(), as_shown=True)
    source = Source(path, rows)
    if erp == "auto":
        layout = detect(source.header.names)
        if layout is None:
            raise InputError(f"is not an item list nexus recognises (ERPNext, Odoo, NetSuite, QuickBooks Online, "
                             f"Xero, or nexus's own: sku, erp_item, name); columns found: "
                             f"{', '.join(source.header.names)}", Location(path, source.header_line))
    else:
        found = [e for e in ERPS if e.NAME == erp]
        if not found:
            raise InputError(f"--erp-format {erp!r} is not one of {', '.join(names())}")
        layout = found[0]
        if not layout.detect(source.header.names):
            # Read in a layout it is not, every sold SKU was 'not in the ERP' (a --fail-on gate failed falsely).
            raise InputError(f"is not {layout.TITLE} (--erp-format {erp}): its header has not the columns that "
                             f"layout always writes; columns found: {', '.join(source.header.names)}",
                             Location(path, source.header_line))
    source.layout = layout
    items = list(layout.read(source))
    return ItemList(path, layout.NAME, layout.TITLE, items)
