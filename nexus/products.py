"""The products file: what each SKU is for tax, and which ERP item it is.

A CSV or XLSX file the finance team keeps (``--products FILE``), one row per SKU:

* ``sku`` (required): the SKU as the store sells it;
* ``category`` (required column; a cell may be empty when ``tax_code`` says): ``goods``, ``digital``, ``saas``,
  ``services`` (the words nexus's order reader takes: ``physical``, ``download``, ``service``... too);
* ``tax_code`` (optional): a public product tax code (Stripe Tax's ``txcd_...``, TaxJar's codes), mapped through
  ``data/product-tax-codes.json`` where ``category`` is empty;
* ``erp_item`` (optional): the ERP's item number; ``name`` (optional): the product's name.

SKUs are matched as :mod:`nexus.skus` folds them (case, spaces, full-width characters), never silently: a loose
match is said. A file that cannot be used stops with its file, line, column and value (a missing ``sku`` column,
an unknown category); a SKU given twice with two categories or two ERP items is a :class:`ProductConflict`:
``nexus products check`` lists it, and ``nexus check`` refuses to choose between the two (:func:`require_no_conflicts`).
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Iterable

from nexus import skus
from nexus.categories import CATEGORY_WORDS, tax_code
from nexus.errors import InputError, Location, MissingColumns
from nexus.rules import CATEGORIES

#: Header words read for each column (after lower-casing and turning spaces and hyphens into underscores).
COLUMNS = {
    "sku": ("sku", "product_sku", "item_sku", "variant_sku", "lineitem_sku", "sku_code", "品番"),
    "category": ("category", "nexus_category", "tax_category", "product_category"),
    "tax_code": ("tax_code", "product_tax_code", "tax_code_id", "txcd"),
    "erp_item": ("erp_item", "erp_item_number", "erp_item_code", "item_number", "item_code", "item_id", "item"),
    "name": ("name", "product_name", "item_name", "title", "description", "商品名"),
}


@dataclass(frozen=True)
class Product:
    """One row of the products file. ``category`` None: the row gives none (its tax code may)."""

    sku: str
    category: str | None
    tax_code: str
    erp_item: str
    name: str
    location: Location

    @property
    def key(self) -> str:
        return skus.key(self.sku)

    def mapped_category(self) -> tuple[str | None, str]:
        """The category this row gives, and how: ``products`` (its own column), ``tax_code`` (its code, through
        the table), or ``(None, "")``."""
        if self.category:
            return self.category, "products"
        mapped = tax_code(self.tax_code) if self.tax_code else None
        if mapped is not None and mapped.category:
            return mapped.category, "tax_code"
        return None, ""


@dataclass(frozen=True)
class ProductConflict:
    """One SKU (as folded by :func:`nexus.skus.key`) given two different values of ``field`` (``category`` or
    ``erp_item``): each value with the row that first gave it."""

    sku: str
    field: str
    values: tuple[tuple[str, Location], ...]

    def describe(self) -> str:
        said = "; ".join(f"{value or '(empty)'!r} at {where.file}:{where.line}" for value, where in self.values)
        what = "categories" if self.field == "category" else "ERP items"
        return f"SKU {self.sku!r} is given two {what}: {said}"


@dataclass
class Catalogue:
    """The products file, read: every row, the first row per SKU (exactly as written, and folded), and the
    conflicts. :meth:`find` is what the order readers ask (nexus.categories.Categorizer)."""

    path: str
    products: list[Product] = field(default_factory=list)
    exact: dict[str, Product] = field(default_factory=dict)
    folded: dict[str, Product] = field(default_factory=dict)
    conflicts: list[ProductConflict] = field(default_factory=list)

    @property
    def undecided(self) -> set[str]:
        """Folded SKUs the file gives two categories: nexus takes neither (``nexus check`` refuses the file; ``nexus
        products check`` lists the conflict and counts their lines as the next source decides)."""
        return {skus.key(c.sku) for c in self.conflicts if c.field == "category"}

    def find(self, sku: str) -> tuple[Product | None, bool]:
        """The product for a SKU as sold, and whether it matched as written (False: only folded)."""
        found = self.exact.get(sku)
        if found is not None and (found.mapped_category()[0] is not None or skus.key(sku) in self.undecided):
            return found, True
        folded = self.folded.get(skus.key(sku))
        if found is not None and (folded is None or folded.mapped_category()[0] is None):
            return found, True  # no spelling of it gives a category
        return folded, False

    def spellings(self) -> dict[str, list[Product]]:
        """Rows per folded SKU whose SKUs are written differently (``SKU-1`` and ``sku-1``)."""
        by_key: dict[str, list[Product]] = {}
        for p in self.products:
            by_key.setdefault(p.key, []).append(p)
        return {k: ps for k, ps in by_key.items() if len({p.sku for p in ps}) > 1}


def _word(text: str) -> str:
    import re
    import unicodedata

    return re.sub(r"[\s\-]+", "_", unicodedata.normalize("NFKC", text).strip().lower())


def _text(value: object) -> str:
    """A cell as text; a whole number a spreadsheet stored as a float (SKU 1001 read as 1001.0) as written."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    from nexus.cells import _text as as_text
    from nexus.spreadsheets import FormulaWithoutValue

    if isinstance(value, FormulaWithoutValue):
        return value
    return as_text(value).strip()


def read_products(path: str) -> Catalogue:
    """Read a products file (CSV, TSV or XLSX, as every nexus input: encodings, delimiters, the sheet Excel
    shows); an unreadable file or cell stops with an ``InputError`` naming file, line, column and value."""
    from nexus.read_options import ReadOptions
    from nexus.spreadsheets import FormulaWithoutValue, read_rows

    catalogue = Catalogue(path)
    header: dict[str, int] | None = None
    seen: dict[str, dict[str, dict[str, Location]]] = {}  # folded SKU -> field -> value -> first location
    for line, values in read_rows(path, ReadOptions(), as_shown=True):  # SKU 00123 formatted "00000"
        if header is None:
            if not any(str(v).strip() for v in values):
                continue
            header = _header([str(v) for v in values], path, line)
            continue
        if not any(str(v).strip() for v in values):
            continue

        def cell(name: str, line: int = line, values: Iterable[object] = values) -> str:
            index = header.get(name) if header else None
            row = list(values)
            if index is None or index >= len(row):
                return ""
            value = row[index]
            if isinstance(value, FormulaWithoutValue):
                raise InputError("holds a formula without a saved value: open the file in Excel and save it, or "
                                 "export values only", Location(path, line, name, value.formula))
            return _text(value)

        sku = cell("sku")
        if not sku:
            raise InputError("is empty: every row of a products file names its SKU", Location(path, line, "sku", ""))
        written = cell("category")
        category = None
        if written and _word(written) not in ("", "unknown", "n/a", "none"):
            category = CATEGORY_WORDS.get(_word(written))
            if category is None:
                raise InputError(f"is not a category nexus's rules use ({', '.join(CATEGORIES)})",
                                 Location(path, line, "category", written))
        product = Product(sku, category, cell("tax_code"), cell("erp_item"), cell("name"), Location(path, line))
        catalogue.products.append(product)
        catalogue.exact[sku] = _prefer(catalogue.exact.get(sku), product)
        catalogue.folded[product.key] = _prefer(catalogue.folded.get(product.key), product)
        mine = seen.setdefault(product.key, {})
        for name, value in (("category", product.mapped_category()[0] or ""), ("erp_item", product.erp_item)):
            mine.setdefault(name, {}).setdefault(value, product.location)
    if header is None:
        raise InputError("is empty: no header row and no products", Location(path))
    for key, fields in seen.items():
        for name, first_seen in fields.items():
            given = {v: w for v, w in first_seen.items() if v}
            if len(given) > 1:
                first = catalogue.folded[key]
                catalogue.conflicts.append(ProductConflict(first.sku, name, tuple(given.items())))
    return catalogue


def _prefer(held: Product | None, row: Product) -> Product:
    """The row to use for a SKU: the first that gives a category (its own or its tax code's), with the ERP item
    and name of an earlier row that gave them. A row without a category says nothing about it, so it is no
    conflict, and must not hide a later row's category (its lines would count as unknown)."""
    if held is None:
        return row
    if held.mapped_category()[0] is not None or row.mapped_category()[0] is None:
        return held
    return replace(row, erp_item=row.erp_item or held.erp_item, name=row.name or held.name)


def _header(names: list[str], path: str, line: int) -> dict[str, int]:
    words = [_word(n) for n in names]
    found: dict[str, int] = {}
    for name, aliases in COLUMNS.items():
        for alias in aliases:
            if alias in words and words.index(alias) not in found.values():
                found[name] = words.index(alias)
                break
    missing = [n for n in ("sku", "category") if n not in found]
    if missing:
        raise MissingColumns(f"a products file needs the column(s) {', '.join(missing)} (and may have tax_code, "
                             f"erp_item, name); columns found: {', '.join(names)}", Location(path, line))
    return found


def require_no_conflicts(catalogue: Catalogue) -> None:
    """Stop where the products file gives one SKU two categories: nexus check will not choose between them
    (``nexus products check`` lists every conflict). Two ERP items for a SKU do not change a category: let be."""
    for conflict in catalogue.conflicts:
        if conflict.field == "category":
            value, where = conflict.values[1]
            raise InputError(f"{conflict.describe()}: nexus will not choose; correct the file (nexus products check "
                             f"lists every conflict)", Location(where.file, where.line, "category", value))
