"""What a line is for tax, and how nexus knows: goods, a download, SaaS, a service, or ``unknown``.

Whether a line is goods or a digital service decides which rules count it (Japan and Korea register foreign
sellers of digital services, not of goods; several US states count only goods). Real platform exports carry
no category column, so a line's category comes from the first of these that has one (:data:`SOURCES`):

1. ``column``: the order row's own category (nexus's layout, or ``--column category=HEADER``);
2. ``option``: ``--category``, for a file of one category throughout;
3. ``products``: the products file, by SKU (``--products``; :mod:`nexus.products`);
4. ``tax_code``: a public product tax code (Stripe Tax's ``txcd_...``, TaxJar's codes) on the products file's row
   or the order row, through the sourced table ``data/product-tax-codes.json``;
5. ``platform``: the platform's own signal, where its export has one (a Shopify line that requires shipping is
   goods; one that does not is counted as digital, and says so);
6. otherwise ``unknown``: counted and shown, never silently goods. ``--unknown-category`` decides what the
   rules count such lines as; they stay ``unknown`` in the counts by source.

Every finding says how many lines and how much of its sales came from each source (``Finding.categories``).
More information: docs/input-formats.md#products-and-skus.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple, Sequence

from nexus import datafiles
from nexus.errors import RulesError
from nexus.rules import CATEGORIES

UNKNOWN = "unknown"
#: Every category a line can have in the ledger: the rules' own, and ``unknown``.
LINE_CATEGORIES = CATEGORIES + (UNKNOWN,)
#: Where a line's category came from, in the order nexus asks.
SOURCES = ("column", "option", "products", "tax_code", "platform", "unknown")
SOURCE_WORDS = {"column": "the order rows' own category", "option": "--category",
                "products": "the products file (by SKU)", "tax_code": "product tax codes",
                "platform": "the platform's signal", "unknown": "no category signal"}
#: The words a category cell may use for each category (after lower-casing, spaces and hyphens as ``_``), in the
#: orders' own column and in the products file alike: one list, so that a word one accepts the other never refuses.
CATEGORY_WORDS = {"goods": "goods", "physical": "goods", "tangible": "goods", "tpp": "goods", "product": "goods",
                  "digital": "digital", "digital_goods": "digital", "download": "digital", "saas": "saas",
                  "services": "services", "service": "services"}
TAX_CODES_FILE = "product-tax-codes.json"


def listed(words: Sequence[str]) -> str:
    """Categories (or any words) as a sentence lists them: ``goods``, ``goods and digital``, ``digital, goods and
    services``."""
    return words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"


@dataclass(frozen=True)
class TaxCode:
    """One public product tax code and the nexus category it maps to (None: the code says how a product is
    taxed, not what it is)."""

    system: str
    code: str
    name: str
    category: str | None
    verified: str
    source: str
    last_verified: str
    note: str = ""


@lru_cache(maxsize=None)
def tax_codes() -> dict[str, TaxCode]:
    """The bundled table, by code as written upper-case (TaxJar's ``43230000A1200``, Stripe's ``TXCD_...``)."""
    document = datafiles.document(TAX_CODES_FILE)
    found: dict[str, TaxCode] = {}
    for i, row in enumerate(document["codes"], start=1):
        where = f"{TAX_CODES_FILE}: code {i}"
        if row.get("system") not in document["systems"]:
            raise RulesError(f"{where}: system {row.get('system')!r} is not described under 'systems'")
        if row.get("category") is not None and row["category"] not in CATEGORIES:
            raise RulesError(f"{where}: category {row['category']!r} is not one of {', '.join(CATEGORIES)} or null")
        if not row.get("source") or not row.get("last_verified"):
            raise RulesError(f"{where}: every code needs a source and last_verified")
        code = str(row["code"]).strip().upper()
        if code in found:
            raise RulesError(f"{where}: {row['code']!r} is listed twice")
        found[code] = TaxCode(row["system"], row["code"], row["name"], row.get("category"), row["verified"],
                              row["source"], row["last_verified"], row.get("note", ""))
    return found


def tax_code(text: str) -> TaxCode | None:
    """The table's row for a code as written (spaces and case aside; full-width digits read as ASCII)."""
    import unicodedata

    written = unicodedata.normalize("NFKC", text).strip().upper()
    return tax_codes().get(written) if written else None


class Signal(NamedTuple):
    """A platform's own hint about a line: the category it stands for, and the lines it reads it from, in words
    (said in the reading notes: "3,252 Shopify lines that require shipping as goods"). A named tuple, not a frozen
    dataclass: it keys the categorizer's memo once per line read, and a tuple hashes without Python code."""

    category: str
    why: str


@dataclass
class Categorizer:
    """Decides each line's category and its source, for one reading of order files.

    ``category`` is ``--category``; ``products`` the catalogue of ``--products`` (anything with
    ``find(sku) -> (product, exact)``); ``unknown_as`` is ``--unknown-category``. What it had to assume is kept
    for the reading notes (:meth:`notes`): SKUs matched only ignoring case, spaces or width, tax codes the table
    does not map, and the platform signals used.
    """

    category: str | None = None
    products: Any = None
    unknown_as: str | None = None
    loose: dict[str, str] = field(default_factory=dict)
    unmapped: dict[str, int] = field(default_factory=dict)
    signals: dict[Signal, int] = field(default_factory=dict)
    _cache: dict[tuple[str, str, Signal | None], tuple[str, str]] = field(default_factory=dict)

    def decide(self, sku: str = "", code: str = "", signal: Signal | None = None, lines: int = 1) -> tuple[str, str]:
        """``(category, source)`` for a line whose row has no category of its own (for ``lines`` lines alike: the
        fast path decides once for every line of a kind)."""
        key = (sku, code, signal)
        found = self._cache.get(key)
        if found is None:
            found = self._cache[key] = self._decide(sku, code, signal)
        if signal is not None and found[1] == "platform":
            self.signals[signal] = self.signals.get(signal, 0) + lines
        return found

    def _decide(self, sku: str, code: str, signal: Signal | None) -> tuple[str, str]:
        if self.category:
            return self.category, "option"
        product = None
        if self.products is not None and sku:
            product, exact = self.products.find(sku)
            if product is not None and product.key in self.products.undecided:
                product = None  # two categories for it: neither is taken (the conflict is listed)
            elif product is not None and not exact:
                self.loose.setdefault(sku, product.sku)
        if product is not None and product.category:
            return product.category, "products"
        for written in ((product.tax_code if product is not None else ""), code):
            if not written:
                continue
            mapped = tax_code(written)
            if mapped is not None and mapped.category is not None:
                return mapped.category, "tax_code"
            self.unmapped[written] = self.unmapped.get(written, 0) + 1
        if signal is not None:
            return signal.category, "platform"
        return (self.unknown_as or UNKNOWN), "unknown"

    def notes(self) -> list[str]:
        """What reading assumed about categories, one sentence each (for ``Ledger.assumptions``)."""
        out = []
        if self.loose:
            pairs = ", ".join(f"{a!r} as {b!r}" for a, b in list(self.loose.items())[:5])
            more = f" and {len(self.loose) - 5} more" if len(self.loose) > 5 else ""
            out.append(f"{len(self.loose)} SKU(s) matched the products file only when case, spaces or full-width "
                       f"characters are ignored: {pairs}{more} (nexus products check lists them)")
        if self.signals:
            # Most lines first: the same sentence whatever order the lines were read in (the fast path counts them
            # per kind, not line by line).
            ranked = sorted(self.signals.items(), key=lambda item: (-item[1], item[0].why))
            said = "; ".join(f"{lines:,} {signal.why} as {signal.category}" for signal, lines in ranked)
            out.append(f"categories from the platforms' own signals: {said}")
        if self.unmapped:
            codes = ", ".join(repr(c) for c in list(self.unmapped)[:5])
            out.append(f"product tax code(s) not in nexus's table ({codes}): those lines took the next source, or "
                       f"stayed unknown (data/{TAX_CODES_FILE})")
        if self.unknown_as:
            out.append(f"lines with no category signal are counted as {self.unknown_as} (--unknown-category)")
        return out
