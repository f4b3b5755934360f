"""NetSuite: an item search (Lists > Accounting > Items, or a saved item search) exported as CSV.

A search's columns are the ones it was given; nexus reads the standard ones under their labels: ``Internal ID``,
``Name`` (the item's Item Name/Number, ``itemid``: the SKU; a sub-item shows as ``Parent : Child``, whose last
part is the item's own), ``Display Name`` (Display Name/Code), ``Type``, ``Inactive``. The record's own labels
(``Item Name/Number``, ``Display Name/Code``) are read too. Field labels: the SuiteTalk Schema Browser's item
records (itemId "Item Name/Number", displayName "Display Name/Code").

More information:
https://www.netsuite.com/help/helpcenter/en_US/srbrowser/Browser2020_1/schema/record/inventoryitem.html
"""
from __future__ import annotations

from typing import Iterator, Sequence

from nexus.erp_items.base import Header, Item, Source, flag

NAME = "netsuite"
TITLE = "a NetSuite item search export"
DOCS = "https://www.netsuite.com/help/helpcenter/en_US/srbrowser/Browser2020_1/schema/record/inventoryitem.html"


def detect(header: Sequence[object]) -> bool:
    found = Header(header)
    return "Internal ID" in found and ("Item Name/Number" in found or found.has_all(("Name", "Type")))


def read(source: Source) -> Iterator[Item]:
    for line, values in source.rows():
        name = source.cell(values, "Item Name/Number", "Name")
        sku = name.rsplit(" : ", 1)[-1].strip()
        inactive = flag(source.cell(values, "Inactive"))
        yield source.item(line, sku, source.cell(values, "Internal ID") or sku,
                          source.cell(values, "Display Name", "Display Name/Code", "Description"),
                          source.cell(values, "Type"), active=not inactive)
