"""What every ERP item-list reader shares: the header, cells as text, and items out."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterator, Sequence

from nexus import skus
from nexus.errors import InputError, Location
from nexus.exports.base import Header, first_header, looks_like, require

__all__ = ["Header", "Item", "ItemList", "Source", "looks_like"]


@dataclass(frozen=True)
class Item:
    """One item of an ERP's list: its SKU as the ERP holds it, the ERP's own item number (or internal id), its
    name, the ERP's type words as written (``Inventory``, ``Service``, ``Maintain Stock: 1``: information, never a
    category) and whether it is active."""

    sku: str
    item: str
    name: str
    kind: str
    active: bool
    location: Location

    @property
    def key(self) -> str:
        return skus.key(self.sku)


@dataclass
class ItemList:
    """An ERP's items, read: the file, the layout's name and title, and the items in the file's order."""

    path: str
    erp: str
    title: str
    items: list[Item] = field(default_factory=list)

    def by_key(self) -> dict[str, list[Item]]:
        """The items per folded SKU (nexus.skus.key): two items there are two ERP items for one SKU."""
        found: dict[str, list[Item]] = {}
        for it in self.items:
            if it.sku:
                found.setdefault(it.key, []).append(it)
        return found


class Source:
    """One item-list file being read: its header and rows, and the cell helper readers use."""

    def __init__(self, path: str, rows: Iterator[tuple[int, Sequence[object]]]):
        self.path, self._rows = path, rows
        self.layout: Any = None
        self.header, self.header_line = first_header(rows, path, "items")

    def require(self, title: str, *names: str) -> None:
        require(self.header, names, title, Location(self.path, self.header_line))

    def rows(self) -> Iterator[tuple[int, Sequence[object]]]:
        for line, values in self._rows:
            if any(str(v).strip() for v in values):
                yield line, values

    def cell(self, values: Sequence[object], *names: str) -> str:
        """The first non-empty cell among ``names`` (the header's spelling, case and spaces aside), as text."""
        from nexus.spreadsheets import FormulaWithoutValue

        for name in names:
            index = self.header.index.get(" ".join(name.split()).casefold())
            if index is None or index >= len(values):
                continue
            value = values[index]
            if isinstance(value, FormulaWithoutValue):
                raise InputError("holds a formula without a saved value: save the file in Excel or export values "
                                 "only", Location(self.path, None, name, value.formula))
            if isinstance(value, float) and value.is_integer():
                value = int(value)  # an item number a spreadsheet stored as 1001.0
            text = "" if value is None else str(value).strip()
            if text:
                return text
        return ""

    def item(self, line: int, sku: str, item: str, name: str, kind: str, active: bool = True) -> Item:
        return Item(sku, item, name, kind, active, Location(self.path, line))


def active(text: str) -> bool:
    """Whether an item whose active column says ``text`` is active: a yes/no (:func:`flag`) or a state
    (``Enabled``, ``Disabled``); an empty cell, or one the ERP did not fill, is active."""
    word = text.strip().lower()
    if word in ("enabled", "disabled"):
        return word == "enabled"
    return flag(text) is not False


def flag(text: str) -> bool | None:
    """A yes/no cell as ERPs write it (1/0, Yes/No, TRUE/FALSE, Active/Inactive); None when empty or other."""
    word = text.strip().lower()
    if word in ("1", "yes", "y", "true", "t", "active", "x"):
        return True
    if word in ("0", "no", "n", "false", "f", "inactive", "archived", ""):
        return False if word else None
    return None
