"""The records of orders and rows, as every reader gives them to the row account.

An :class:`Order` is one order (or a refund or chargeback of it), understood: its day, place, amount and words as
nexus keeps them, with the parts and lines it was read from (:class:`CategoryPart`, :class:`SkuLine`). The rows
that are not counted are records too: :class:`RowProblem` (skipped as unreadable, a duplicate, left out),
:class:`Duplicate`, :class:`LeftOut`, :class:`Conflict` (an order id read again with different content) and the
error :class:`RepeatedOrder`. :class:`SkuSales` is what was sold under one spelling of a SKU. The readers
(:mod:`nexus.own_layout`, :mod:`nexus.exports`) build them, :mod:`nexus.row_account` accounts for them and
:class:`nexus.ledger.Ledger` sums them.
"""
from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import NamedTuple, Sequence

from nexus import cut_ids
from nexus.cells import _text
from nexus.errors import InputError, Location
from nexus.records import built_fast

ZERO = Decimal(0)


class CategoryPart(NamedTuple):
    """One category's part of an order split between the categories of its lines (and where that category came
    from), with its amount, shipping and tax as the split gave them, and the line it starts on."""

    category: str
    source: str
    amount: Decimal
    shipping: Decimal
    tax: Decimal
    line: int


@built_fast  # built for every order read: nexus.records
@dataclass(frozen=True)
class Order:
    """One order (or one refund or chargeback of it), understood.

    ``amount`` is what a threshold counts: goods and services net of discounts, plus shipping and handling,
    without the tax charged; negative for refunds and chargebacks. ``shipping`` is the part of ``amount``
    that is shipping and handling, carried apart for the Monthly sheet; ``tax`` is the tax charged on top,
    never counted as sales. ``source`` is the platform whose export gave the order (``""`` for nexus's own
    layout): order ids are kept apart per source. ``part`` tells apart the places of one order whose items
    ship to several, or its line items of several categories; ``rows`` is how many rows of the file the order
    was read from. ``undated`` marks a refund a platform gives only as a running total on the order, counted on
    the order's date. ``category_source`` says where ``category`` came from (:data:`nexus.categories.SOURCES`);
    ``transactions`` is how many transactions a sale counts for (0 for the second and later category parts of one
    order: an order is one transaction); ``skus`` holds its lines when ``ReadOptions.collect_skus`` asks.
    """

    order_id: str
    day: date
    jurisdiction: str
    amount: Decimal
    currency: str
    channel: str
    kind: str
    exempt: str
    category: str
    location: Location
    shipping: Decimal = ZERO
    tax: Decimal = ZERO
    source: str = ""
    part: str = ""
    rows: int = 1
    undated: bool = False
    category_source: str = "column"
    transactions: int = 1
    skus: tuple[SkuLine, ...] = ()
    #: Why the order id may stand for several orders (see :func:`shortened_id`), or "": a workbook's number of
    #: more than 15 digits, which only the cell's type tells.
    id_shortened: str = ""
    #: The header the order id was read from in a platform's export (Shopify's ``Name``), for the messages about
    #: the row; "" for nexus's own layout, whose field is ``order_id``.
    id_column: str = ""
    #: Where this record is one category's part of an order split between its lines' categories (or of such an
    #: order's refund): every part of the order, the first (which counts the transaction) first; () for an order
    #: read whole. Another platform's copy of the order is matched on the whole (a migration overlap).
    parts: tuple[CategoryPart, ...] = ()


#: Excel holds 15 significant digits of a number: an order id kept as a longer number has lost the rest.
EXCEL_DIGITS = cut_ids.WORKBOOK_DIGITS
#: A long number as a spreadsheet's General format shows it, and then saves it to CSV (2.00001E+15, or 2,00001E+15
#: where the comma is the decimal separator): the digits after the first few are gone (an exponent of two digits,
#: or three as some spreadsheets write it).
SCIENTIFIC_ID = r"[0-9](?:[.,][0-9]+)?E\+[0-9]{2,3}"  # the DuckDB fast paths match it too, case aside
_SCIENTIFIC_ID = re.compile(SCIENTIFIC_ID, re.IGNORECASE)


def shortened_id(value: object) -> str:
    """Why an order id as read may stand for several orders, or "".

    An order id that went through a spreadsheet as a number loses digits: a workbook keeps 15 significant digits
    (marketplace ids of 16 and more end in zeros), and a CSV saved from the General format keeps what the cell
    showed (2.00001E+15). Orders read once are counted right whatever their id; two rows that share such an id
    cannot be told apart as copies of one order or as two orders, so they are an error, never a silent merge.
    """
    if isinstance(value, bool):
        return ""
    if isinstance(value, (int, float)):
        if abs(value) >= 10 ** EXCEL_DIGITS:
            return (f"a number of more than {EXCEL_DIGITS} digits in a workbook, which keeps only "
                    f"{EXCEL_DIGITS} significant digits")
        return ""
    if isinstance(value, str) and _SCIENTIFIC_ID.fullmatch(value.strip()):
        return "a long number as a spreadsheet shows it, its last digits gone"
    return ""


class SkuLine(NamedTuple):
    """One line of an order as ``nexus products check`` needs it: the SKU and product name as written, its share
    of the order's amount (signed as the order), its category and where that came from, and its line."""

    sku: str
    name: str
    amount: Decimal
    category: str
    source: str
    line: int


@dataclass
class SkuSales:
    """What was sold under one spelling of a SKU (``""``: lines without a SKU): sale orders and lines, first and
    last day, amounts per currency and day (refunds negative), lines per category and source, the first name
    seen and the first few lines (file, line)."""

    sku: str
    name: str = ""
    orders: int = 0
    lines: int = 0
    first: date | None = None
    last: date | None = None
    amounts: dict[tuple[str, date], Decimal] = field(default_factory=dict)
    categories: dict[tuple[str, str], int] = field(default_factory=dict)
    places: dict[str, int] = field(default_factory=dict)
    examples: list[Location] = field(default_factory=list)


#: Lines listed per SKU in ``SkuSales.examples``.
SKU_EXAMPLES = 3


@dataclass(frozen=True)
class RowProblem:
    """Rows that were not counted: skipped as unreadable, a duplicate, or left out (cancelled, a test...).

    ``line`` is the first line of the rows; ``rows`` how many there are (the line items of one order).
    """

    file: str
    line: int
    reason: str
    column: str | None
    value: str | None
    text: str
    rows: int = 1


@dataclass(frozen=True)
class Duplicate(RowProblem):
    """Rows another file holds too, which a reader beside :class:`~nexus.row_account.RowAccount` found
    (nexus.payment_matches: a payment provider's copy of a store's order): counted once there, a duplicate in
    this file's row account, listed with ``reason`` naming both files and lines."""


@dataclass(frozen=True)
class LeftOut:
    """Rows a reader read and deliberately does not count: a cancelled, voided, test or failed order, or a
    row that is not a sale (a transfer, a currency conversion). Listed, with the reason, in the row account."""

    location: Location
    reason: str
    #: The values of its (first) row, written out as :attr:`text` only where the row is listed: a file may leave
    #: out hundreds of thousands of rows, of which the first :data:`~nexus.row_account.LISTED_ROWS` are listed.
    values: Sequence[object]
    rows: int = 1

    @property
    def text(self) -> str:
        """The row as it was, for the list of rows left out."""
        return _row_text(self.values)

    def problem(self) -> RowProblem:
        """The row as the list of rows left out shows it."""
        loc = self.location
        return RowProblem(loc.file, loc.line or 0, self.reason, loc.column, loc.value, self.text, self.rows)


@dataclass(frozen=True)
class Conflict:
    """An order id read again with different content, and how ``--repeated-orders`` treated it.

    ``differences`` holds each field that differs with its two values, first then later; ``treated``
    is ``line items`` (``lines``) or ``the later kept`` (``latest``).
    """

    order_id: str
    source: str
    first: Location
    later: Location
    differences: tuple[tuple[str, str, str], ...]
    treated: str
    kind: str = "sale"

    def describe(self) -> str:
        what = "; ".join(f"{field} {old!r} then {new!r}" for field, old, new in self.differences)
        event = "order" if self.kind == "sale" else f"{self.kind} of order"
        return f"{event} {self.order_id!r} read at {self.first.file}:{self.first.line} and again at " \
               f"{self.later.file}:{self.later.line} with {what}"


class RepeatedOrder(InputError):
    """An order id repeated with different content, and ``--repeated-orders error`` (the default)."""


def _row_text(values: Sequence[object]) -> str:
    """The row as it was, for the report of skipped and duplicated rows."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([_text(v) for v in values])
    return out.getvalue()
