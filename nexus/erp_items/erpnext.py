"""ERPNext: the Item list exported with Data Export (Export Data, doctype Item), CSV or Excel.

Frappe's exporter writes each field under its label, the record's name under ``ID``, and a child table's
fields as ``Label (Table Label)`` on rows of their own below the item, with the item's cells empty. nexus reads
``Item Code`` (unique and required in ERPNext: the SKU), ``ID`` (the item's name in ERPNext, the number to
quote), ``Item Name``, ``Maintain Stock`` and ``Disabled``, and passes over child-table rows. Labels of the Item
doctype: erpnext/stock/doctype/item/item.json; the exporter: frappe/core/doctype/data_import/exporter.py.

More information: https://docs.erpnext.com/docs/user/manual/en/data-import
"""
from __future__ import annotations

from typing import Iterator, Sequence

from nexus.erp_items.base import Item, Source, flag, looks_like

NAME = "erpnext"
TITLE = "an ERPNext Item export"
DOCS = "https://docs.erpnext.com/docs/user/manual/en/data-import"
SIGNATURE = ("Item Code", "Item Group")


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE)


def read(source: Source) -> Iterator[Item]:
    source.require(TITLE, "Item Code")
    for line, values in source.rows():
        code = source.cell(values, "Item Code")
        number = source.cell(values, "ID")
        if not code and not number:
            continue  # a child table's row (barcodes, UOMs...) under the item above
        stock = flag(source.cell(values, "Maintain Stock"))
        kind = "" if stock is None else ("stock item" if stock else "non-stock item")
        disabled = flag(source.cell(values, "Disabled"))
        yield source.item(line, code or number, number or code, source.cell(values, "Item Name"), kind,
                          active=not disabled)
