"""Xero: inventory items (Products and services, Export), a CSV in the layout of Xero's item import template.

Columns: ``*ItemCode`` (the only one Xero requires: the SKU), ``ItemName``, ``Quantity``,
``PurchasesDescription``, ``PurchasesUnitPrice``, ``PurchasesAccount``, ``PurchasesTaxRate``,
``SalesDescription``, ``SalesUnitPrice``, ``SalesAccount``, ``SalesTaxRate``, ``InventoryAssetAccount``,
``CostOfGoodsSoldAccount``. An item with an inventory asset account is tracked inventory. Fields: the Items
endpoint of Xero's Accounting API (Code, Name, IsTrackedAsInventory, InventoryAssetAccountCode).

More information: https://developer.xero.com/documentation/api/accounting/items
"""
from __future__ import annotations

from typing import Iterator, Sequence

from nexus.erp_items.base import Header, Item, Source

NAME = "xero"
TITLE = "a Xero inventory items export"
DOCS = "https://developer.xero.com/documentation/api/accounting/items"


def detect(header: Sequence[object]) -> bool:
    found = Header(header)
    return ("*ItemCode" in found or "ItemCode" in found) and "ItemName" in found


def read(source: Source) -> Iterator[Item]:
    for line, values in source.rows():
        code = source.cell(values, "*ItemCode", "ItemCode")
        tracked = bool(source.cell(values, "InventoryAssetAccount"))
        yield source.item(line, code, code, source.cell(values, "ItemName", "SalesDescription"),
                          "tracked inventory" if tracked else "untracked item")
