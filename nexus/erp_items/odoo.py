"""Odoo: the product list exported from Inventory or Sales > Products (Action > Export), CSV or XLSX.

Odoo writes each field under its label (``Internal Reference``, ``Name``, ``Product Type``, ``Active``,
``External ID``), or, with "I want to update data (import-compatible export)", under its technical name
(``default_code``, ``name``, ``detailed_type`` or ``type``, ``active``, ``id``). ``Internal Reference``
(``default_code``) is the SKU; the External ID, where exported, is the item to quote, else the reference.

More information: https://www.odoo.com/documentation/17.0/applications/essentials/export_import_data.html
"""
from __future__ import annotations

from typing import Iterator, Sequence

from nexus.erp_items.base import Header, Item, Source, active

NAME = "odoo"
TITLE = "an Odoo product export"
DOCS = "https://www.odoo.com/documentation/17.0/applications/essentials/export_import_data.html"


def detect(header: Sequence[object]) -> bool:
    found = Header(header)
    return found.has_all(("Internal Reference", "Name")) or found.has_all(("default_code", "name"))


def read(source: Source) -> Iterator[Item]:
    for line, values in source.rows():
        sku = source.cell(values, "Internal Reference", "default_code")
        number = source.cell(values, "External ID", "ID", "id")
        yield source.item(line, sku, number or sku, source.cell(values, "Name", "name"),
                          source.cell(values, "Product Type", "Type", "detailed_type", "type"),
                          active=active(source.cell(values, "Active", "active")))
