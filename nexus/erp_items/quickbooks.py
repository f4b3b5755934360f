"""QuickBooks Online: Products and Services (Sales > Products and services), exported to Excel or CSV.

The list's columns as QuickBooks Online names them in its products-and-services file: ``Product/Service Name``
(also written ``Product/Service`` or ``Name``; QuickBooks identifies an item by its name), ``SKU``, ``Type``
(Inventory, Non-inventory, Service, Bundle), ``Sales Description``. The SKU is optional in QuickBooks: an item
without one is listed as such, never matched by its name. Fields: QuickBooks Online's Item entity (Name, Sku,
Type) in Intuit's API reference.

More information: https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item
"""
from __future__ import annotations

from typing import Iterator, Sequence

from nexus.erp_items.base import Header, Item, Source, flag

NAME = "quickbooks"
TITLE = "a QuickBooks Online products and services export"
DOCS = "https://developer.intuit.com/app/developer/qbo/docs/api/accounting/all-entities/item"


def detect(header: Sequence[object]) -> bool:
    found = Header(header)
    return found.has_all(("SKU", "Type")) and ("Product/Service Name" in found or "Product/Service" in found)


def read(source: Source) -> Iterator[Item]:
    for line, values in source.rows():
        name = source.cell(values, "Product/Service Name", "Product/Service", "Name")
        active = flag(source.cell(values, "Active", "Status"))
        yield source.item(line, source.cell(values, "SKU"), name, source.cell(values, "Sales Description") or name,
                          source.cell(values, "Type"), active=active is not False)
