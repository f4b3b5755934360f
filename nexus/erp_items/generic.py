"""nexus's own item list, for an ERP whose export nexus does not know: ``sku`` and ``erp_item`` (or ``item``,
``item_number``, ``item_code``), optional ``name``, ``type`` and ``active`` (see docs/input-formats.md)."""
from __future__ import annotations

from typing import Iterator, Sequence

from nexus.erp_items.base import Header, Item, Source, active

NAME = "generic"
TITLE = "an item list in nexus's layout"
DOCS = "docs/input-formats.md#erp-item-lists (nexus's own layout)"
ITEM_COLUMNS = ("erp_item", "item", "item_number", "item_code", "item_id", "erp item")


def detect(header: Sequence[object]) -> bool:
    found = Header(header)
    return "sku" in found and any(c in found for c in ITEM_COLUMNS)


def read(source: Source) -> Iterator[Item]:
    source.require(TITLE, "sku")
    for line, values in source.rows():
        sku = source.cell(values, "sku")
        yield source.item(line, sku, source.cell(values, *ITEM_COLUMNS) or sku,
                          source.cell(values, "name", "item_name", "description"), source.cell(values, "type"),
                          active=active(source.cell(values, "active")))
