"""What the user asks of reading order files (:class:`ReadOptions`, from the command's options) and what reading
noticed on the way (:class:`ReadNotes`, for the report to say).

Every reader takes them: nexus's own layout and each platform's (:mod:`nexus.sales`, :mod:`nexus.exports`), the
fast path (:mod:`nexus.own_layout_fast`) and the files under them (:mod:`nexus.spreadsheets`). They live apart
from all of these so that each can import them without importing the others.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping


@dataclass(frozen=True)
class ReadOptions:
    """How to read order exports. Defaults suit a plain UTF-8 CSV export.

    ``columns`` maps a nexus field to the header used in the file, for ERP
    exports whose headers no alias matches. ``currency`` fills rows (or files)
    that lack that column; ``category`` (``--category``) is the category of
    every row without one of its own, for files of one category throughout.
    Without it a line's category comes from ``products`` (a catalogue read by
    :func:`nexus.products.read_products`), a product tax code or the
    platform's signal, else it is ``unknown`` (:mod:`nexus.categories`);
    ``unknown_category`` (``--unknown-category``) says what the rules count
    those as. ``collect_skus`` keeps each line's SKU for ``nexus products
    check`` (``Ledger.skus``).
    """

    columns: Mapping[str, str] = field(default_factory=dict)
    currency: str | None = None
    category: str | None = None
    sheet: str | None = None
    encoding: str = "auto"
    date_format: str | None = None
    skip_bad_rows: bool = False
    decimal_comma: bool = False
    #: The CSV field separator; None detects it (a ``sep=`` first line, else the header: see :func:`csv_layout`).
    delimiter: str | None = None
    #: Which layout to read every file in: ``auto`` (each file's header decides), ``nexus`` (nexus's own) or a
    #: platform's name (:func:`nexus.exports.names`).
    source_format: str = "auto"
    #: What an order id repeated with different content means (:data:`REPEATED_ORDERS`).
    repeated_orders: str = "error"
    products: Any = None
    unknown_category: str | None = None
    collect_skus: bool = False
    #: The seller's time zone (an IANA name): a time written with its zone, or in a column the platform says is
    #: UTC, counts on its day there (nexus.timestamps). None: every date is the day as written.
    time_zone: str | None = None
    #: How to read order statuses a platform does not define, or read otherwise than nexus does
    #: (``--order-status shipped=paid``): :func:`nexus.exports.statuses.status_key` to ``paid`` or ``unpaid``.
    order_statuses: Mapping[str, str] = field(default_factory=dict)


@dataclass
class ReadNotes:
    """What reading assumed or passed over, for the report to say: ``warnings`` the user must look at (a
    hidden sheet not read, a file without orders), ``assumptions`` how the files were read (the delimiter,
    which of two candidate columns)."""

    warnings: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)

    def warn(self, text: str) -> None:
        if text not in self.warnings:
            self.warnings.append(text)

    def assume(self, text: str) -> None:
        if text not in self.assumptions:
            self.assumptions.append(text)
