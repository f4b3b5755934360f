"""Reading order exports into daily totals.

An order export (CSV, TSV or XLSX, from an ERP, the old provider or the new
one) is read row by row and folded into daily totals, a series for each
profile of sale (jurisdiction, currency, channel, kind, exemption, category).
Memory grows with the number of distinct days and profiles, not with the
number of rows, so a year of orders is a few thousand totals however many rows
it had.

A file is read by the reader its header calls for: a platform's own layout
(Shopify, Amazon... see :mod:`nexus.exports`), which groups line items into
orders, or nexus's own layout (one row per order or refund, the columns of
:data:`FIELDS`). Every reader hands its orders to one accounting loop
(:func:`read_sales`), which spots re-exported orders and order ids repeated
with different content (:data:`REPEATED_ORDERS`).

Every row is accounted for: it is used, skipped (with ``skip_bad_rows``, each
with its file, line, column and reason), a duplicate of an order already
seen (each reported), left out (a cancelled, voided, test or failed order, or
a row that is not a sale, each reported) or superseded by a later copy of its
order (``--repeated-orders latest``, each reported).
``rows_read == used + skipped + duplicates + left_out + superseded`` always.

The files themselves (encoding, delimiter, a workbook's sheet, what is refused) are read by
:mod:`nexus.spreadsheets`; what the user asked of reading is :class:`nexus.read_options.ReadOptions`.
"""
from __future__ import annotations

import calendar
import csv
import difflib
import gc
import hashlib
import io
import os
import re
import sqlite3
import tempfile
import unicodedata
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

from nexus import cut_ids, places
from nexus.categories import CATEGORY_WORDS, LINE_CATEGORIES, UNKNOWN, Categorizer, listed
from nexus.errors import BadDate, InputError, Location, MissingColumns, UnknownCode
from nexus.skus import key as sku_key
from nexus.timestamps import day_in
from nexus.money import currency as find_currency
from nexus.money import fits_minor_unit, parse_amount, strip_currency
from nexus.read_options import ReadNotes, ReadOptions
from nexus.rules import CATEGORIES
from nexus.spreadsheets import FormulaWithoutValue, check_regular_file, has_value, read_rows, without_marks
from nexus.records import built_fast
from nexus.tables import refuse_repeated

FIELDS = ("order_id", "date", "country", "region", "amount", "currency",
          "channel", "kind", "exempt", "category", "shipping", "tax", "sku", "tax_code", "product_name")
CHANNELS = ("direct", "marketplace", "reseller", "affiliate")
KINDS = ("sale", "refund", "chargeback")
#: An order's exemption as nexus keeps it (``yes`` and its synonyms read as ``exempt``).
EXEMPTIONS = ("no", "exempt", "resale")

#: Header names recognised for each field, after lower-casing and turning
#: spaces and hyphens into underscores. ``--column`` covers anything else.
ALIASES: Mapping[str, tuple[str, ...]] = {
    "order_id": ("order_id", "order", "order_number", "order_no", "order_name", "order_ref",
                 "transaction_id", "invoice_number", "invoice_no", "document_number", "注文番号", "订单号"),
    "date": ("date", "order_date", "created_at", "paid_at", "processed_at", "transaction_date",
             "invoice_date", "posting_date", "sale_date", "注文日", "日付", "日期"),
    # Ship-to columns first: the place of supply is where goods ship (see resolve_columns).
    "country": ("ship_country", "shipping_country", "ship_to_country", "shipping_country_code", "ship_country_code",
                "ship_to_country_code", "delivery_country", "destination_country", "country", "country_code", "国",
                "国家", "billing_country", "bill_country", "bill_to_country", "billing_country_code"),
    "region": ("ship_state", "shipping_state", "shipping_province", "shipping_province_code", "ship_to_state",
               "ship_region", "shipping_region", "delivery_state", "destination_region", "region", "state",
               "state_code", "province", "province_code", "subdivision", "都道府県", "州", "billing_state",
               "billing_province", "billing_province_code", "billing_region", "bill_to_state"),
    "amount": ("amount", "total", "net", "net_amount", "net_sales", "gross_sales", "subtotal",
               "order_total", "sales", "value", "金額", "金额"),
    "currency": ("currency", "currency_code", "ccy", "presentment_currency", "通貨", "币种"),
    "channel": ("channel", "sales_channel", "sales_channel_type"),
    "kind": ("kind", "type", "transaction_type", "record_type", "line_type"),
    "exempt": ("exempt", "tax_exempt", "exemption", "exempt_reason", "resale"),
    "category": ("category", "product_category", "item_category", "tax_category", "product_type"),
    # Optional: shipping and handling charged besides ``amount`` (added to it: it counts with the sale), and tax
    # charged (never counted as sales; carried to the findings).
    "shipping": ("shipping", "shipping_amount", "shipping_and_handling", "shipping_cost", "shipping_charged"),
    "tax": ("tax", "tax_amount", "tax_charged", "sales_tax", "vat", "vat_amount", "gst"),
    # Optional: what was sold, for the category (through --products or the tax-code table) and nexus products check.
    "sku": ("sku", "product_sku", "item_sku", "variant_sku", "lineitem_sku", "item_code", "product_code", "品番",
            "商品コード"),
    "tax_code": ("tax_code", "product_tax_code", "tax_code_id", "txcd"),
    "product_name": ("product_name", "item_name", "lineitem_name", "product_title", "商品名"),
}

#: Header words of ship-to (delivery) places; the other place columns are billing or neutral.
SHIP_TO = frozenset(a for f in ("country", "region") for a in ALIASES[f]
                    if a.startswith(("ship", "delivery", "destination")))
#: Extra keys :func:`resolve_columns` may return beside :data:`FIELDS`: the billing (or neutral) place used
#: where a file's ship-to country is empty.
FALLBACK = ("billing_country", "billing_region")

#: The words a channel, kind or exemption cell may hold, and what each means (also rendered into the
#: daily-aggregates query: nexus.sql).
CHANNEL_WORDS = {"": "direct", "direct": "direct", "web": "direct", "online_store": "direct",
                 "marketplace": "marketplace", "mp": "marketplace", "reseller": "reseller",
                 "wholesale": "reseller", "distributor": "reseller", "affiliate": "affiliate"}
KIND_WORDS = {"": "sale", "sale": "sale", "sales": "sale", "order": "sale", "invoice": "sale",
              "refund": "refund", "return": "refund", "credit": "refund", "credit_note": "refund",
              "chargeback": "chargeback", "dispute": "chargeback"}
EXEMPT_WORDS = {"": "no", "no": "no", "n": "no", "false": "no", "0": "no", "taxable": "no",
                "yes": "exempt", "y": "exempt", "true": "exempt", "1": "exempt", "exempt": "exempt",
                "resale": "resale", "wholesale": "resale", "for_resale": "resale"}
#: A category cell that says nothing: the line takes its category from the next source (nexus.categories).
NO_CATEGORY = ("", "unknown", "n/a", "none")


def _word(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", _ascii_forms(text).strip().lower())


def _ascii_forms(text: str) -> str:
    """Full-width letters and digits (ＴＸ, ＵＳＤ, as Japanese systems type them) as ASCII, and invisible marks
    (:func:`~nexus.spreadsheets.without_marks`) left out, before any code or word is looked up; other text
    unchanged."""
    return text if text.isascii() else unicodedata.normalize("NFKC", without_marks(text))


#: ``--repeated-orders``: an order id repeated with different content (another amount, another place) is a
#: conflict. ``error`` stops, naming both lines and what differs; ``lines`` reads the rows as line items of one
#: order (amounts summed, one transaction per order id and ship-to place); ``latest`` keeps the last occurrence
#: (the later file given, then the later line). Identical repeats are duplicates in every mode, counted once.
REPEATED_ORDERS = ("error", "lines", "latest")
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
    """Rows another file holds too, which a reader beside :class:`_Accounts` found (nexus.payment_matches: a
    payment provider's copy of a store's order): counted once there, a duplicate in this file's row account,
    listed with ``reason`` naming both files and lines."""


@dataclass(frozen=True)
class LeftOut:
    """Rows a reader read and deliberately does not count: a cancelled, voided, test or failed order, or a
    row that is not a sale (a transfer, a currency conversion). Listed, with the reason, in the row account."""

    location: Location
    reason: str
    #: The values of its (first) row, written out as :attr:`text` only where the row is listed: a file may leave
    #: out hundreds of thousands of rows, of which the first :data:`LISTED_ROWS` are listed.
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


Profile = tuple[str, str, str, str, str, str]
"""(jurisdiction, currency, channel, kind, exempt, category), as :func:`profile` makes it: what a rule
asks of a sale, and the key of a series of daily totals."""
DayKey = tuple[str, date, str, str, str, str, str]
"""(jurisdiction, day, currency, channel, kind, exempt, category): a daily total's key, profile and day."""


def profile(jurisdiction: str, currency: str, channel: str, kind: str, exempt: str, category: str) -> Profile:
    """The profile of a sale, keeping only the distinctions rules make.

    A channel is ``marketplace`` or ``direct`` (reseller and affiliate sales count as the seller's own),
    a kind ``sale`` or ``refund`` (a chargeback reduces sales as a refund does). Every reader keys its
    totals this way, so their ledgers agree, and a ledger holds fewer totals.
    """
    return (jurisdiction, currency, "marketplace" if channel == "marketplace" else "direct",
            "sale" if kind == "sale" else "refund", exempt, category)


@dataclass
class Ledger:
    """Daily totals of the orders read, and the account of every row.

    ``series`` maps each :data:`Profile` to its daily totals, ``{day: [amount,
    transactions]}``. Only sales count as transactions; refunds and chargebacks
    reduce the amount. A rule judges a profile once and then adds up its days,
    which is what makes a check of half a million daily totals quick.

    ``charges`` holds, under the same keys, the shipping and tax charged of each daily total, ``{day:
    [shipping, tax]}``, for the days that had any: shipping is part of the amount (it counts with the sale),
    tax charged is not. They are kept apart from ``series`` so that the series every rule walks stays two
    numbers a day, and a ledger of exports without shipping or tax columns holds none (zero).
    """

    series: dict[Profile, dict[date, list]] = field(default_factory=dict)
    files: list[tuple[str, int]] = field(default_factory=list)
    rows_by_day: dict[date, int] = field(default_factory=dict)
    rows_read: int = 0
    skipped: list[RowProblem] = field(default_factory=list)
    duplicates: list[RowProblem] = field(default_factory=list)
    #: Repeats counted but not listed: the fast path cannot say on which line, and the reference reader
    #: lists the first :data:`LISTED_ROWS` only.
    unlisted_duplicates: int = 0
    #: Unreadable rows skipped beyond the first :data:`LISTED_ROWS` (counted, not listed).
    unlisted_skipped: int = 0
    #: Every total's amount summed per (day, currency), for rules with a worldwide test, when the reader
    #: had it summed on the way (the fast path asks DuckDB); None: :meth:`by_day_and_currency` sums it.
    day_currency_totals: dict[tuple[date, str], Decimal] | None = None
    #: What reading assumed or passed over (see :class:`ReadNotes`): shown with the report.
    warnings: list[str] = field(default_factory=list)
    assumptions: list[str] = field(default_factory=list)
    #: Rows placed by their billing (or neutral) address because their ship-to country was empty.
    billing_fallbacks: int = 0

    @property
    def notes(self) -> ReadNotes:
        """The ledger's warnings and assumptions, for readers to add to."""
        return ReadNotes(self.warnings, self.assumptions)
    charges: dict[Profile, dict[date, list]] = field(default_factory=dict)
    #: Cancelled, voided, test and failed orders, and rows that are not sales, with the reason (listed up to
    #: :data:`LISTED_ROWS`, counted beyond).
    left_out: list[RowProblem] = field(default_factory=list)
    unlisted_left_out: int = 0
    #: Order ids read again with different content, and how ``--repeated-orders`` treated each.
    conflicts: list[Conflict] = field(default_factory=list)
    unlisted_conflicts: int = 0
    #: Rows of orders replaced by a later copy (``--repeated-orders latest``).
    rows_superseded: int = 0
    #: Orders exported by two platforms (the same id but a leading '#', day, amount, currency and place):
    #: counted once; each is also in ``duplicates``.
    overlaps: list[RowProblem] = field(default_factory=list)
    unlisted_overlaps: int = 0
    #: The layout each file was read in: nexus's own (``nexus``) or a platform's name.
    layouts: dict[str, str] = field(default_factory=dict)
    #: Beside each of :attr:`files`, its rows skipped, duplicated, left out and superseded (see
    #: :func:`file_account`); None where a reader counted rows it cannot say the file of.
    file_rows: list[dict[str, int]] | None = None
    #: Per jurisdiction, the platforms whose refunds came as a running total on the order and were counted on
    #: the order's date, because the export gives no refund date.
    undated_refunds: dict[str, set[str]] = field(default_factory=dict)
    #: Where each line's category came from: ``(jurisdiction, currency, category, source) -> {day: [amount,
    #: lines]}``, amounts net of refunds, lines counted for sales (nexus.categories.SOURCES).
    category_sources: dict[tuple[str, str, str, str], dict[date, list]] = field(default_factory=dict)
    #: What was sold per SKU as written (``ReadOptions.collect_skus``; None when not asked for).
    skus: dict[str, SkuSales] | None = None
    #: Adds to the totals the rows a reader has counted and holds back (nexus's own reader sums them per spelling
    #: and day, nexus.own_layout._Quick.count), or None: called before anything is taken back out (:meth:`settle`).
    unsettled: Callable[[], None] | None = field(default=None, repr=False, compare=False)

    def settle(self) -> None:
        """Add in the rows a reader holds back, so that the totals hold every row read so far: before an order is
        taken back out, where a total that falls to nothing is removed."""
        if self.unsettled is not None:
            self.unsettled()

    def by_day_and_currency(self) -> dict[tuple[date, str], Decimal]:
        """All amounts (every place, category and kind, refunds negative) summed per day and currency."""
        if self.day_currency_totals is None:
            totals: dict[tuple[date, str], Decimal] = {}
            zero = Decimal(0)
            for key, days in self.series.items():
                for day, (amount, _count) in days.items():
                    totals[(day, key[1])] = totals.get((day, key[1]), zero) + amount
            self.day_currency_totals = totals
        return self.day_currency_totals

    @property
    def totals(self) -> dict[DayKey, list]:
        """Every daily total under its whole key (a copy: add with :meth:`total`)."""
        return {(key[0], day) + key[1:]: total for key, days in self.series.items() for day, total in days.items()}

    @property
    def charge_totals(self) -> dict[DayKey, list]:
        """The ``[shipping, tax]`` charged of every daily total that had any, under its whole key."""
        return {(key[0], day) + key[1:]: total for key, days in self.charges.items() for day, total in days.items()}

    def total(self, key: Profile, day: date) -> list:
        """The ``[amount, transactions]`` of one profile on one day, to add to (zero when new)."""
        self.day_currency_totals = None
        days = self.series.get(key)
        if days is None:
            days = self.series[key] = {}
        total = days.get(day)
        if total is None:
            total = days[day] = [Decimal(0), 0]
        return total

    def charge(self, key: Profile, day: date) -> list:
        """The ``[shipping, tax]`` charged of one profile on one day, to add to (zero when new)."""
        days = self.charges.get(key)
        if days is None:
            days = self.charges[key] = {}
        total = days.get(day)
        if total is None:
            total = days[day] = [Decimal(0), Decimal(0)]
        return total

    def add(self, order: Order, transactions: int | None = None, sign: int = 1) -> None:
        """Count ``order`` (``sign`` -1 takes it back out). A sale is one transaction unless ``transactions``
        says otherwise (a further line item of an order already counted is none)."""
        if sign < 0:
            self.settle()
        key = profile(order.jurisdiction, order.currency, order.channel, order.kind, order.exempt, order.category)
        total = self.total(key, order.day)
        count = (order.transactions if order.kind == "sale" else 0) if transactions is None else transactions
        if sign > 0:
            total[0] += order.amount
            total[1] += count
        else:
            total[0] -= order.amount
            total[1] -= count
        if order.shipping or order.tax:
            charged = self.charge(key, order.day)
            charged[0] += sign * order.shipping
            charged[1] += sign * order.tax
        if order.rows:
            rows = self.rows_by_day.get(order.day, 0) + sign * order.rows
            if rows:
                self.rows_by_day[order.day] = rows
            else:
                del self.rows_by_day[order.day]
        if sign < 0 and not total[0] and not total[1]:
            del self.series[key][order.day]  # a replaced order leaves no empty total behind
            if not self.series[key]:
                del self.series[key]
        if order.undated and sign > 0:
            self.undated_refunds.setdefault(order.jurisdiction, set()).add(order.source)
        lines = sign * order.rows if order.kind == "sale" else 0
        source_key = (order.jurisdiction, order.currency, order.category, order.category_source)
        by_day = self.category_sources.get(source_key)
        if by_day is None:
            by_day = self.category_sources[source_key] = {}
        tally = by_day.get(order.day)
        if tally is None:
            tally = by_day[order.day] = [Decimal(0), 0]
        tally[0] += sign * order.amount
        tally[1] += lines
        if self.skus is not None:
            self._add_skus(order, sign)

    def _add_skus(self, order: Order, sign: int) -> None:
        """Fold an order's lines into :attr:`skus` (``sign`` -1 takes them back out)."""
        assert self.skus is not None
        sale = order.kind == "sale"
        seen: set[str] = set()
        for sku, name, amount, category, source, line in order.skus:
            found = self.skus.get(sku)
            if found is None:
                found = self.skus[sku] = SkuSales(sku, name)
            if sale:
                found.lines += sign
                # An order counts once per SKU however it spells it (KYUSU-1 and ＫＹＵＳＵ－１ in one order: one
                # order), so that the spellings' counts add up to the SKU's orders.
                folded = sku_key(sku)
                if folded not in seen:
                    found.orders += sign
                    seen.add(folded)
                found.categories[(category, source)] = found.categories.get((category, source), 0) + sign
                found.places[order.jurisdiction] = found.places.get(order.jurisdiction, 0) + sign
            if not found.name and name:
                found.name = name
            at = (order.currency, order.day)
            found.amounts[at] = found.amounts.get(at, Decimal(0)) + sign * amount
            if sign > 0:
                found.first = order.day if found.first is None else min(found.first, order.day)
                found.last = order.day if found.last is None else max(found.last, order.day)
                if len(found.examples) < SKU_EXAMPLES:
                    found.examples.append(Location(order.location.file, line))

    @property
    def rows_used(self) -> int:
        """Rows counted (each repeated order once), whatever their day."""
        return sum(self.rows_by_day.values())

    @property
    def first_day(self) -> date | None:
        return min(self.rows_by_day, default=None)

    @property
    def last_day(self) -> date | None:
        return max(self.rows_by_day, default=None)

    def jurisdictions(self) -> set[str]:
        return {key[0] for key in self.series}

    def currencies(self) -> set[str]:
        return {key[1] for key in self.series}

    def summary(self) -> dict[str, int]:
        """The row account: ``rows_read = rows_used + rows_skipped + duplicates + rows_left_out +
        rows_superseded``; ``conflicts`` and ``migration_overlaps`` count orders, not rows."""
        return {"rows_read": self.rows_read, "rows_used": self.rows_used,
                "rows_skipped": sum(p.rows for p in self.skipped) + self.unlisted_skipped,
                "duplicates": sum(p.rows for p in self.duplicates) + self.unlisted_duplicates,
                "rows_left_out": sum(p.rows for p in self.left_out) + self.unlisted_left_out,
                "rows_superseded": self.rows_superseded,
                "conflicts": len(self.conflicts) + self.unlisted_conflicts,
                "migration_overlaps": len(self.overlaps) + self.unlisted_overlaps}


FILE_ROWS = ("skipped", "duplicates", "left_out", "superseded")


def file_account(ledger: Ledger) -> list[dict[str, object]]:
    """Each file's row account, ``rows = used + skipped + duplicates + left_out + superseded``, with its layout:
    where a file's late copies, overlaps and cancelled orders are. The parts are None where the reader could not
    say which file a row was in (daily aggregates, nexus.aggregates): the whole account holds all the same."""
    known = ledger.file_rows is not None and len(ledger.file_rows) == len(ledger.files)
    out: list[dict[str, object]] = []
    for index, (path, rows) in enumerate(ledger.files):
        parts = ledger.file_rows[index] if known else {}  # type: ignore[index]
        used = rows - sum(parts.get(k, 0) for k in FILE_ROWS) if known else None
        out.append({"file": path, "rows": rows, "layout": ledger.layouts.get(path), "used": used,
                    **{k: parts.get(k, 0) if known else None for k in FILE_ROWS}})
    return out


def file_rows(account: Mapping[str, object]) -> str:
    """One file's row account in words (``7 rows: 3 used + 3 duplicates + 1 left out``), as the screen and the
    workbook say it; its rows alone where the parts are not known."""
    rows = f"{account['rows']:,} row{'s' * (account['rows'] != 1)}"
    if account["used"] is None:
        return rows
    parts = [f"{account['used']:,} used"] + [f"{account[k]:,} {words}" for k, words in (
        ("skipped", "skipped"), ("duplicates", "duplicate" + "s" * (account["duplicates"] != 1)),
        ("left_out", "left out"), ("superseded", "superseded")) if account[k]]
    return f"{rows}: {' + '.join(parts)}"


def add_days(target: dict[date, list], days: Mapping[date, list]) -> None:
    """Add one daily series (day -> [amount, transactions]) into another, in place: the one way the check
    and the provider comparison merge series, so that neither shares a list with its source."""
    for day, (amount, count) in days.items():
        total = target.get(day)
        if total is None:
            target[day] = [amount, count]
        else:
            total[0] += amount
            total[1] += count


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause Python's cycle collector while daily totals are built or summed.

    Half a million totals are a million small tuples and lists with no reference cycles; the collector's
    repeated passes over them cost a third of a large check and find nothing to free.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _unknown(kind: str, value: str, known: Iterable[str], location: Location) -> UnknownCode:
    common = places.COMMON_CODES.get(value.upper())
    if common is not None:
        return UnknownCode(f"is not {kind}: use {common[0]} ({common[1]})", location)
    close = difflib.get_close_matches(value.upper(), sorted(known), n=3, cutoff=0.5)
    hint = f"; close matches: {', '.join(close)}" if close else ""
    return UnknownCode(f"is not {kind}{hint}", location)


def resolve_columns(header: Sequence[str], mapping: Mapping[str, str], file: str,
                    notes: ReadNotes | None = None) -> dict[str, int]:
    """Field name -> column index, from the header, the aliases and ``mapping``.

    Where several columns match one field, the first alias wins and ``notes`` names the others. Places
    come from ship-to columns first: a file with both ``Country``/``State`` and ``Ship Country``/``Ship
    State`` reads the ship-to pair, and also returns the other pair under :data:`FALLBACK`, for rows whose
    ship-to country is empty (:func:`place_cells`).
    """
    words = [_word(str(h or "")) for h in header]
    refuse_repeated(words, header, Location(file, 1))
    seen = {w: i for i, w in enumerate(words)}
    found: dict[str, int] = {}
    for fld, theirs in mapping.items():
        if fld not in FIELDS:
            raise InputError(f"--column {fld}={theirs}: {fld!r} is not a nexus field ({', '.join(FIELDS)})")
        if _word(theirs) not in seen:
            raise MissingColumns(f"--column {fld}={theirs}: no column {theirs!r}; columns found: "
                                 f"{', '.join(map(str, header))}", Location(file, 1))
        found[fld] = seen[_word(theirs)]
    taken = {i: f for f, i in found.items()}
    others: dict[str, list[int]] = {}
    for fld in FIELDS:
        if fld in found:
            continue
        for alias in ALIASES[fld]:
            if alias in seen and seen[alias] not in taken:
                if fld not in found:
                    found[fld] = seen[alias]
                    taken[seen[alias]] = fld
                else:
                    others.setdefault(fld, []).append(seen[alias])
    doubled = [f for f, i in found.items() if list(found.values()).count(i) > 1]
    if doubled:
        raise InputError(f"one column is mapped to several fields: {', '.join(doubled)}", Location(file, 1))
    _place_fallback(found, others, words, "country" not in mapping)
    if notes is not None:
        _note_columns(notes, file, header, words, found, others)
    return found


def _place_fallback(found: dict[str, int], others: dict[str, list[int]], words: Sequence[str],
                    automatic: bool) -> None:
    """Add the :data:`FALLBACK` place columns when the country came from a ship-to column and another
    (billing or neutral) country column exists; the others lists then keep what is left."""
    if not automatic or "country" not in found or words[found["country"]] not in SHIP_TO:
        return
    billing = next((i for i in others.get("country", []) if words[i] not in SHIP_TO), None)
    if billing is None:
        return
    found["billing_country"] = billing
    others["country"].remove(billing)
    region = next((i for i in others.get("region", []) if words[i] not in SHIP_TO), None)
    if region is not None:
        found["billing_region"] = region
        others["region"].remove(region)


def _note_columns(notes: ReadNotes, file: str, header: Sequence[str], words: Sequence[str], found: dict[str, int],
                  others: dict[str, list[int]]) -> None:
    """Say which column was read where two could be, and where places may not be where goods ship."""
    def named(fld: str) -> str:
        return "/".join(repr(str(header[found[f]])) for f in (fld, fld.replace("country", "region")) if f in found)

    if "billing_country" in found:
        notes.assume(f"{file}: places from the ship-to column(s) {named('country')}; rows where "
                     f"{str(header[found['country']])!r} is empty are placed by {named('billing_country')}")
    elif "country" in found and words[found["country"]].startswith("bill"):
        notes.assume(f"{file}: places from the billing column(s) {named('country')}: the file has no ship-to "
                     f"column, and the place of supply is where goods ship (map one with --column country=HEADER)")
    for fld, extra in others.items():
        if extra:
            also = ", ".join(repr(str(header[i])) for i in extra)
            notes.assume(f"{file}: {fld} read from column {str(header[found[fld]])!r}; {also} also "
                         f"{'matches' if len(extra) == 1 else 'match'} and {'was' if len(extra) == 1 else 'were'} "
                         f"not read (choose with --column {fld}=HEADER)")


def place_cells(country: str, region: str, billing_country: str,
                billing_region: str | None) -> tuple[str, str, bool]:
    """The country and region a row is placed by, stripped, and whether they are the billing fallback: the
    ship-to pair, unless its country is empty and a billing (or neutral) country is there, with the billing
    region (or, where the file has no second region column, the one region column). The fast path reads
    places through this too."""
    country, region = country.strip(), region.strip()
    if country or not billing_country.strip():
        return country, region, False
    return billing_country.strip(), (region if billing_region is None else billing_region.strip()), True


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float):
        return repr(value)
    return str(value)


#: A time after an ISO date: hours 0-23, minutes, optional seconds and fraction, optional offset, Z or zone
#: abbreviation, optional AM/PM. Whatever it says, the day is the date as written (the order's local date).
TIME_PART = (r"(?:[T ] ?(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60)(?:[.,][0-9]+)?)?(?: ?[AaPp][Mm])?"
             r"(?: ?(?:Z|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?|[A-Z]{3,4}))?)?")
_ISO_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})" + TIME_PART)


def _no_such_day(year: int, month: int, day: int) -> str:
    """Why a date written in the ISO form does not exist: named, so that 2026-02-30 is not called a bad form."""
    if not 1 <= year <= 9999:
        return f"year {year} is outside 1 to 9999"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    return f"{calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days"


def parse_date(value: object, date_format: str | None, location: Location, formats: bool = True,
               slash: Callable[[str, Location], date] | None = None) -> date:
    """A date from an ISO string (a valid time part ignored), ``YYYY/MM/DD``, an XLSX date or ``date_format``.

    A five-digit text is an Excel serial day (``46024``, or ``46024.75`` with its time of day, as a date and time
    cell saved in the General format writes it), unless it starts with 0 (``00001`` is an id or a code, not
    1900-01-01).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        if not value >= 1:  # Excel's first day is serial 1; 0 is a time of day, and below it nothing (NaN too)
            raise BadDate("is not a date: an Excel date is a serial day of 1 (1900-01-01) or more", location)
        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            raise BadDate("is not a date", location) from None
        if not isinstance(converted, datetime):
            raise BadDate("is not a date", location)
        return converted.date()
    text = str(value).strip()
    if not date_format and re.fullmatch(r"0\d{4}", text):
        raise BadDate("is not a date: a five-digit number starting with 0 would be an Excel serial day in 1900 "
                      "(pass --date-format if it is a date in another form)", location)
    if not date_format and re.fullmatch(r"\d{5}", text):
        return parse_date(int(text), None, location)  # an Excel serial date in a CSV cell
    if not date_format and re.fullmatch(r"[1-9]\d{4}\.\d+", text):
        return parse_date(int(text.split(".")[0]), None, location)  # a serial date and time: the day, its time aside
    if not date_format and re.fullmatch(r"\d{8}", text):
        date_format = "%Y%m%d"
    m = None if date_format else _ISO_DATE.fullmatch(text)
    try:
        if date_format:
            return _day_in_form(text, date_format)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    if m:
        raise BadDate(f"is not a calendar date: {_no_such_day(int(m.group(1)), int(m.group(2)), int(m.group(3)))}",
                      location)
    written = None if date_format else _SPREADSHEET_DATE_TIME.fullmatch(text)
    if written and slash is not None:
        return slash(written.group(1), location)  # in the order the file's column shows (nexus.exports.base)
    # ``formats``: the file is one --date-format reads (orders), so the error may suggest it.
    if formats and not date_format and _SPREADSHEET_DATE.match(text):
        raise BadDate("is a date as a spreadsheet writes it, its day and month in an order nexus does not guess: "
                      "pass --date-format %m/%d/%Y or %d/%m/%Y (%d.%m.%Y for dots, %y for a two-digit year) as "
                      "the file's dates run; a time after the date is read aside", location)
    wanted = f"the form {date_format}" if date_format else f"YYYY-MM-DD{' (or pass --date-format)' * formats}"
    raise BadDate(f"is not a date in {wanted}", location)


#: A time of day after a date, as platforms and spreadsheets write it (`` 10:00``, `` 9:30:00 PM``, ``T10:00Z``).
_TIME_AT_END = re.compile(TIME_PART[:-1] + r"\Z")  # TIME_PART without its closing "?": a time, not optional
#: A date as a spreadsheet writes it in its locale's form: day and month in either order (``3/4/2026``,
#: ``04.03.2026 10:00``).
_SPREADSHEET_DATE = re.compile(r"\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})(?:[ T]|\Z)")
#: Such a date, and a time after it that is a time (read aside, as after an ISO date).
_SPREADSHEET_DATE_TIME = re.compile(r"(\d{1,2}([/.])\d{1,2}\2(?:\d{4}|\d{2}))" + TIME_PART)


def _day_in_form(text: str, date_format: str) -> date:
    """The day ``text`` is in ``date_format`` (``--date-format``), a time after it read aside where the form gives
    none: a spreadsheet writes ``3/4/2026 10:00`` for a time and ``3/4/2026`` for a date alone in one column."""
    try:
        return datetime.strptime(text, date_format).date()
    except ValueError:
        timed = _TIME_AT_END.search(text)
        if timed is None or timed.start() == 0:
            raise
        return datetime.strptime(text[:timed.start()], date_format).date()


def _choice(words: Mapping[str, str], value: str, what: str, allowed: Sequence[str], location: Location) -> str:
    found = words.get(_word(value))
    if found is None:
        raise InputError(f"is not a {what} ({', '.join(allowed)})", location)
    return found


def jurisdiction_of(country: str, region: str, where: Callable[[str], Location]) -> str:
    """``US-CA``, ``CA-QC`` or a country code, from a row's country and region as written (stripped).

    ``where(field)`` locates a bad value for the error. The DuckDB fast path reads places through this
    too, so both readers agree on every place.
    """
    written = country
    country = _ascii_forms(country).strip().upper()
    if country not in places.countries():
        from nexus.exports.addresses import country_code  # names, as platforms write them

        named = None if country in places.COMMON_CODES else country_code(written)  # UK, EL: said with why
        if named is not None:
            raise UnknownCode(f"is a country's name, not its ISO 3166-1 alpha-2 code: write {named}",
                              where("country"))
        raise _unknown("an ISO 3166-1 alpha-2 country code", country, places.countries(), where("country"))
    if country not in places.SUBDIVIDED:
        return places.one_code(country)  # Puerto Rico written as a country is US-PR, as written as a US region
    region = _ascii_forms(region).strip().upper()
    if region == "" and places.SUBDIVIDED[country]:
        raise InputError(f"is empty: a {country} row needs its state ({country}-XX or XX)", where("region"))
    if not region:
        return country
    code = region if region.startswith(f"{country}-") else f"{country}-{region}"
    known = places.subdivisions(country)
    if code not in known:
        from nexus.exports.addresses import region_code

        named = region_code(country, region)
        if named is not None:
            raise UnknownCode(f"is a name, not a {country} subdivision code: write {named.split('-')[1]} or {named}",
                              where("region"))
        raise _unknown(f"a {country} subdivision code", code, known, where("region"))
    return code


#: For each word field: the words read, what to call the field in an error, and the values allowed.
_WORDS = {"channel": (CHANNEL_WORDS, "channel", CHANNELS), "kind": (KIND_WORDS, "kind", KINDS),
          "exempt": (EXEMPT_WORDS, "exemption (yes, no, resale)", ("yes", "no", "resale")),
          "category": (CATEGORY_WORDS, "category", CATEGORIES)}


def word(field: str, text: str, options: ReadOptions, where: Callable[[str], Location]) -> str:
    """nexus's value for a currency, channel, kind, exemption or category as written (stripped), with the
    options' currency for empty cells. A category cell that says nothing (empty, ``unknown``) is ``--category``,
    else ``--unknown-category``, else ``unknown``: the DuckDB fast path, which maps words through this too, reads
    no SKUs or tax codes (:func:`category_of` does, for nexus's own reader)."""
    if field == "currency":
        text = text or (options.currency or "")
        if not text:
            raise InputError("is empty and no --currency was given", where("currency"))
        return find_currency(_ascii_forms(text), where("currency")).code
    if field == "category" and _word(text) in NO_CATEGORY:
        return options.category or options.unknown_category or UNKNOWN
    words, what, allowed = _WORDS[field]
    return _choice(words, text, what, allowed, where(field))


#: Category cells already read, as written: a file has a handful of spellings, read a million times.
_OWN_CATEGORIES: dict[str, str] = {}


def category_says_nothing(text: str) -> bool:
    """Whether a category cell is empty or says ``unknown``: the line takes its category from the next source."""
    return _word(text) in NO_CATEGORY


def category_of(text: str, sku: str, code: str, options: ReadOptions, categorizer: Categorizer | None,
                where: Callable[[str], Location]) -> tuple[str, str]:
    """A row's category and where it came from: its own cell when it says one (``column``), else the
    ``categorizer`` (``--category``, the products file by SKU, the tax code; nexus.categories)."""
    own = _OWN_CATEGORIES.get(text)
    if own is not None:
        return own, "column"
    if _word(text) not in NO_CATEGORY:
        own = _choice(CATEGORY_WORDS, text, "category", CATEGORIES, where("category"))
        if len(_OWN_CATEGORIES) < 1000:  # a cell's few spellings, read once each
            _OWN_CATEGORIES[text] = own
        return own, "column"
    if categorizer is None:
        categorizer = Categorizer(options.category, options.products, options.unknown_category)
    return categorizer.decide(sku, code)


def parse_row(values: Sequence[object], columns: Mapping[str, int], options: ReadOptions,
              file: str, line: int, categorizer: Categorizer | None = None,
              slash: Callable[[str, Location], date] | None = None) -> Order:
    """Turn one row into an :class:`Order`, or raise an ``InputError`` that names the cell. ``slash`` reads a date
    as a spreadsheet writes it (``3/4/2026``) in the order its file shows (:class:`_SlashDates`)."""
    def raw(fld: str) -> object:
        index = columns.get(fld)
        if index is None or index >= len(values):
            return ""
        return values[index]

    def cell(fld: str) -> object:
        value = raw(fld)
        if isinstance(value, FormulaWithoutValue):
            raise InputError("holds a formula without a saved value: open the file in Excel and save it (Excel saves "
                             "the values), or export values only", where(fld))
        return value.strip() if isinstance(value, str) else value

    def where(fld: str) -> Location:
        value = raw(fld)
        if isinstance(value, FormulaWithoutValue):
            return Location(file, line, fld, value.formula)
        return Location(file, line, fld, _text(value.strip() if isinstance(value, str) else value))

    for required in ("date", "amount"):
        if cell(required) == "":
            raise InputError("is empty", where(required))
    country, region, billed = place_cells(_text(cell("country")), _text(cell("region")),
                                          _text(cell("billing_country")),
                                          _text(cell("billing_region")) if "billing_region" in columns else None)
    if not country:
        raise InputError("is empty", where("country"))

    def place_where(fld: str) -> Location:
        if billed and (fld == "country" or "billing_region" in columns):
            return where(f"billing_{fld}")
        return where(fld)

    raw_day = cell("date")
    day = parse_date(raw_day, options.date_format, where("date"), slash=slash)
    if options.time_zone and isinstance(raw_day, str):
        day = day_in(raw_day, options.time_zone) or day
    jurisdiction = jurisdiction_of(country, region, place_where)
    ccy = word("currency", _text(cell("currency")), options, where)
    amount_cell = cell("amount")
    if isinstance(amount_cell, str):
        amount_cell = strip_currency(amount_cell, ccy, where("amount"))
    amount = parse_amount(amount_cell, where("amount"), options.decimal_comma, ccy)
    kind = word("kind", _text(cell("kind")), options, where)
    if kind == "sale" and amount < 0:
        kind = "refund"  # many exports write a refund as a negative sale
    if kind != "sale":
        amount = -abs(amount)
    sku = _text(cell("sku"))
    category, source = category_of(_text(cell("category")), sku, _text(cell("tax_code")), options, categorizer,
                                   where)
    raw_id = cell("order_id")
    return Order(
        order_id=_text(raw_id),
        id_shortened=shortened_id(raw_id) if type(raw_id) in (int, float) else "",
        day=day,
        jurisdiction=jurisdiction,
        amount=amount,
        currency=ccy,
        channel=word("channel", _text(cell("channel")), options, where),
        kind=kind,
        exempt=word("exempt", _text(cell("exempt")), options, where),
        category=category,
        location=Location(file, line),
        category_source=source,
        skus=(SkuLine(sku, _text(cell("product_name")), amount, category, source, line),) if options.collect_skus
        else (),
    )


def billed(values: Sequence[object], columns: Mapping[str, int]) -> bool:
    """Whether a row is placed by its billing (or neutral) address: its ship-to country is empty and the
    file's other country column is not (:func:`place_cells`). Counted in ``Ledger.billing_fallbacks``."""
    if "billing_country" not in columns:
        return False

    def text(fld: str) -> str:
        index = columns[fld]
        return _text(values[index]).strip() if index < len(values) else ""

    return not text("country") and bool(text("billing_country"))


def money_cell(value: object, currency: str, where: Location, decimal_comma: bool) -> Decimal:
    """An amount cell in ``currency``: a currency mark that agrees with it is removed, then the amount read."""
    if isinstance(value, str):
        value = strip_currency(value, currency, where)
    return parse_amount(value, where, decimal_comma, currency)


#: A plain decimal of ordinary size, as nexus.money reads it: the readers take such a cell straight into a Decimal
#: (shipping and tax here, a platform's amounts in nexus.exports), and the DuckDB fast path checks it in SQL.
PLAIN_DECIMAL = r"-?[0-9]{1,15}(\.[0-9]{1,9})?"
_PLAIN_AMOUNT = re.compile(PLAIN_DECIMAL + r"\Z")


def _charges(order: Order, values: Sequence[object], columns: Mapping[str, int], options: ReadOptions) -> Order:
    """The order with the optional ``shipping`` (added to its amount: it counts with the sale) and ``tax``
    (charged besides, never counted) columns of nexus's own layout, signed as its amount."""
    def cell(fld: str) -> object:
        index = columns.get(fld)
        value = values[index] if index is not None and index < len(values) else ""
        return value.strip() if isinstance(value, str) else value

    parts = {}
    for fld in ("shipping", "tax"):
        value = cell(fld)
        if value == "" or fld not in columns:
            continue
        if (isinstance(value, str) and _PLAIN_AMOUNT.match(value) and not options.decimal_comma
                and fits_minor_unit(value, order.currency)):
            amount = Decimal(value)  # most cells: read as parse_amount reads them, without its checks' cost
        else:
            where = Location(order.location.file, order.location.line, fld, _text(value))
            amount = money_cell(value, order.currency, where, options.decimal_comma)
        parts[fld] = -abs(amount) if order.kind != "sale" else amount
    if not parts:
        return order
    shipping = parts.get("shipping", ZERO)
    # Built directly: dataclasses.replace() costs several times as much, once a row.
    return Order(order.order_id, order.day, order.jurisdiction, order.amount + shipping, order.currency,
                 order.channel, order.kind, order.exempt, order.category, order.location, shipping,
                 parts.get("tax", ZERO), order.source, order.part, order.rows, order.undated, order.category_source,
                 order.transactions,
                 tuple(line._replace(amount=line.amount + shipping) for line in order.skus) if shipping else order.skus)


#: What the content remembered for an order counted once as a migration overlap (another platform's copy counts)
#: starts with; the copy's own content follows, so that a later identical copy is a plain duplicate.
OVERLAPPED = "\x1eoverlap\x1e"
#: What an order's content is made of, in the order :func:`_content` writes it: two copies of an order id are
#: the same order (a duplicate) only when all of these agree.
CONTENT = ("place", "day", "currency", "channel", "kind", "exempt", "category", "amount", "shipping", "tax",
           "rows")


def _number(value: Decimal) -> str:
    """A decimal written the same whatever its trailing zeros (12.30 and 12.3 are one amount)."""
    found = _NUMBERS.get(value)  # 12.30 and 12.3 are one key: equal decimals hash alike
    if found is None:
        found = format(value.normalize(), "f") if value else "0"
        if len(_NUMBERS) < NUMBERS_KEPT:
            _NUMBERS[value] = found
    return found


#: Amounts as :func:`_number` writes them, each worked out once (orders repeat their prices), up to this many.
_NUMBERS: dict[Decimal, str] = {}
NUMBERS_KEPT = 100_000
#: Days as ISO text, for the content of every order: a file spans a few thousand days.
_ISO_DAYS: dict[date, str] = {}


def _iso(day: date) -> str:
    found = _ISO_DAYS.get(day)
    if found is None:
        found = _ISO_DAYS[day] = day.isoformat()
    return found


def _identity(order: Order) -> bytes | None:
    """Which order (or which event of an order) this is, for spotting re-exports and repeats.

    A sale is one per order id (and, where a platform split the order by ship-to place, per place). A
    refund or chargeback is one event of an order, so its date, amount and currency are part of its identity:
    two partial refunds of one order are both counted. In a platform's export, one refund is one whatever the
    trailing zeros its amount is written with (``-25.00`` in a fresh export, ``-25`` in one saved again from a
    spreadsheet: a platform writes one form only); in nexus's own layout the amount is keyed as written, as the
    DuckDB reader keys it (tests/test_scale.py), so ``12.30`` and ``12.3`` are two refunds there. A
    refund a platform gives only as a running total on the order is one per order: a later export with a larger
    total is the same refund, amended. Ids are kept apart per source platform: ``#1001`` on Shopify is not
    ``1001`` on WooCommerce.
    """
    if not order.order_id:
        return None
    parts = [order.source, order.kind, order.order_id, order.part]
    if order.kind != "sale":
        amount = str(order.amount) if order.source in ("", "nexus") else _number(order.amount)
        parts += ["running total"] if order.undated else [order.day.isoformat(), amount, order.currency]
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=12).digest()


def _content(order: Order) -> str:
    """Everything about an order that a threshold or a finding reads (:data:`CONTENT`), as one string."""
    return "\x1f".join((order.jurisdiction, _iso(order.day), order.currency,
                        "marketplace" if order.channel == "marketplace" else "direct",
                        "sale" if order.kind == "sale" else "refund", order.exempt, order.category,
                        _number(order.amount), _number(order.shipping), _number(order.tax), str(order.rows)))


def _from_content(content: str, order: Order) -> Order:
    """The order a :func:`_content` string describes (to take it back out of the ledger)."""
    place, day, code, channel, kind, exempt, category, amount, shipping, tax, rows = content.split("\x1f")
    return replace(order, jurisdiction=place, day=date.fromisoformat(day), currency=code, channel=channel,
                   kind=kind, exempt=exempt, category=category, amount=Decimal(amount), shipping=Decimal(shipping),
                   tax=Decimal(tax), rows=int(rows), undated=False)


def _counted_with(order: Order) -> str:
    """The daily total a sale's transaction was counted in (but its place, which keys it): for moving it to a later
    line item of the order (:meth:`_Accounts._moved`); empty for a refund or chargeback, which counts none."""
    if order.kind != "sale":
        return ""
    return "\x1f".join((order.currency, "marketplace" if order.channel == "marketplace" else "direct", order.exempt,
                        order.category, order.day.isoformat()))


def _line_rank(category: str, channel: str, exempt: str) -> tuple[int, bool, int]:
    """Which line of an order counts its transaction: the lowest rank (see :meth:`_Accounts._moved`)."""
    return (LINE_CATEGORIES.index(category) if category in LINE_CATEGORIES else len(LINE_CATEGORIES),
            channel == "marketplace", EXEMPTIONS.index(exempt) if exempt in EXEMPTIONS else len(EXEMPTIONS))


def _key(*parts: object) -> bytes:
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode("utf-8"), digest_size=12).digest()


def read_sales(paths: Sequence[str], options: ReadOptions = ReadOptions(),
               progress: Callable[[int], None] | None = None) -> Ledger:
    """Read order exports into a :class:`Ledger`.

    Each file is read in the layout its header calls for (``options.source_format`` forces one): a
    platform's export (:mod:`nexus.exports`) or nexus's own. Stops at the first unreadable row with an
    ``InputError`` naming file, line, column and value, unless ``options.skip_bad_rows``, in which case the
    row is recorded in ``Ledger.skipped`` and reading goes on; stops at an order id repeated with different
    content unless ``options.repeated_orders`` says how to read it. ``progress`` is called with the number
    of bytes read as CSV files are read.
    """
    # The readers of each layout (nexus's own, the platforms') build on this module: imported when needed.
    from nexus import exports, own_layout, payment_matches

    if options.repeated_orders not in REPEATED_ORDERS:
        raise InputError(f"--repeated-orders {options.repeated_orders!r} is not one of {', '.join(REPEATED_ORDERS)}")
    for path in paths:
        check_regular_file(path)
    layouts = [exports.layout_of(path, options) for path in paths]
    ledger = Ledger(skus={} if options.collect_skus else None, file_rows=[])
    # A payment provider's export beside a store's: the store's orders paid through it matched by the payment's id.
    payments = payment_matches.plan(paths, layouts, options, ledger.notes)
    categorizer = Categorizer(options.category, options.products, options.unknown_category)
    with paused_gc(), _Seen() as seen:
        accounts = _Accounts(ledger, options.repeated_orders, seen,
                             overlaps=len({exports.name_of(layout) for layout in layouts}) > 1)
        # Where every file is a CSV in nexus's own layout, the order ids that may repeat are found first, so
        # that an order whose id is read once only is counted at once, without being remembered.
        once = own_layout.QUICK and not any(layouts) and not any(_is_workbook(p) for p in paths)
        repeated = own_layout.possibly_repeated(paths, options) if once else None
        for path, layout in zip(paths, layouts):
            rows = read_rows(path, options, progress, ledger.notes, quoted=exports.quoted(layout))
            events = (exports.read(layout, path, rows, options, categorizer, notes=ledger.notes) if layout
                      else own_layout.nexus_layout(path, rows, options, ledger, categorizer, repeated))
            if payments is not None:
                events = payments.events(path, events)
            ledger.files.append((path, accounts.take(path, events)))
            ledger.layouts[path] = exports.name_of(layout)
        accounts.note_refunds_after_overlap()
        accounts.tell_refund_categories()
        if payments is not None:
            payments.tell(ledger.notes)
        quotes = dict(zip(paths, layouts))
        accounts.tell_rows(options, lambda path: exports.quoted(quotes[path]))
        cut_ids.tell(accounts.cuts, lambda: cut_ids.read_ids(
            paths, _id_column_finder(quotes, accounts.id_columns, options),
            options, {path: exports.quoted(layout) for path, layout in quotes.items()}), ledger.notes)
    for note in categorizer.notes():
        ledger.notes.assume(note)
    if options.time_zone:
        ledger.notes.assume(f"times written with a time zone (an offset, Z, UTC or GMT, or in a column named "
                            f"'(UTC)') are counted on their day in {options.time_zone} (--time-zone); dates "
                            f"without one, as written")
    note_reading(ledger)
    return ledger


def _id_column_finder(layouts: Mapping[str, Any], named: Mapping[str, str],
                      options: ReadOptions) -> Callable[[str, list[str]], int | None]:
    """Where a file's order ids are, from its header: nexus's own layout's ``order_id`` column, a platform's the
    column its orders were read from (``named``); None where it has none, or no order was read from it."""
    from nexus.exports.base import Header

    def find(path: str, header: list[str]) -> int | None:
        if layouts.get(path) is None:
            return resolve_columns(header, options.columns, path).get("order_id")
        name = named.get(path)
        return Header(header).position(name, Location(path)) if name else None
    return find


def account(ledger: Ledger, options: ReadOptions, files: Iterable[tuple[str, Iterable]]) -> None:
    """Account for each file's events (a platform reader's, or nexus's layout's), file after file, into
    ``ledger`` as :func:`read_sales` does: repeats judged by ``options.repeated_orders``, orders left out,
    skipped and repeated listed. For a reader that counts most orders itself and hands the rest here
    (nexus.fast_exports: the orders of a late export, repeated in another file); ``ledger.files`` is its own, and
    where ``ledger.file_rows`` holds the reader's own count per file, what is accounted for here is added to it."""
    counted, ledger.file_rows = ledger.file_rows, None if ledger.file_rows is None else []
    with _Seen() as seen:
        accounts = _Accounts(ledger, options.repeated_orders, seen, overlaps=False)
        for path, events in files:
            accounts.take(path, events)
    if counted is not None and ledger.file_rows is not None:
        for mine, here in zip(counted, ledger.file_rows):
            for key, rows in here.items():
                mine[key] = mine.get(key, 0) + rows
        ledger.file_rows = counted


def note_reading(ledger: Ledger) -> None:
    """The warnings and assumptions every reader adds once the files are read: files that held no orders,
    and rows placed by their billing address. The fast path calls this too."""
    for path, rows in ledger.files:
        if rows == 0:
            ledger.notes.warn(f"{path}: has a header but no orders")
    if ledger.billing_fallbacks:
        ledger.notes.assume(f"{ledger.billing_fallbacks:,} row(s) had an empty ship-to country and were placed by "
                            f"their billing address")


#: Skipped and duplicated rows listed row by row (file, line, text), each kind; beyond them rows are
#: counted, not listed, so that a late export repeating millions of rows (or a file in the wrong format read
#: with --skip-bad-rows) does not fill memory and the report with copies.
LISTED_ROWS = 10_000
#: Orders whose first line is kept in memory (about 300 bytes each, with their content) before the rest move
#: to a temporary SQLite file: memory stays bounded whatever the number of orders.
SEEN_IN_MEMORY = 200_000
#: Once on disk, orders first read are held in memory up to this many and written to the file together, in
#: the order of their keys: one statement each, at random places in its index, cost a 500,000-row Stripe export
#: about a tenth of its reading.
SEEN_BATCH = 50_000
#: Bits (8 MiB) of the filter of keys written to the file: a key whose bit is clear was never written, so an
#: order read once, as most are, asks the file nothing.
SEEN_FILTER_BITS = 1 << 26


class _Seen:
    """Where each order was first read, and its content, for spotting re-exports and repeats: a dict, then a
    temporary SQLite table.

    Ten million orders would take 3 GB as a dict; past :data:`SEEN_IN_MEMORY` they go to disk, in sorted
    batches of :data:`SEEN_BATCH`, a filter of the keys written sparing the file a query for an order read once.
    """

    def __init__(self) -> None:
        self.memory: dict[bytes, tuple[int, int, str]] = {}
        #: Once on disk: keys read since the last batch was written (or replaced since), and the filter.
        self.pending: dict[bytes, tuple[int, int, str]] = {}
        self.written = bytearray()
        self.files: list[str] = []
        self.folder: tempfile.TemporaryDirectory | None = None
        self.db: sqlite3.Connection | None = None

    def __enter__(self) -> _Seen:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.db is not None:
            self.db.close()
        if self.folder is not None:
            self.folder.cleanup()

    def _here(self, path: str, line: int, content: str) -> tuple[int, int, str]:
        if not self.files or self.files[-1] != path:
            self.files.append(path)
        return len(self.files) - 1, line, content

    def first(self, key: bytes, path: str, line: int, content: str = "") -> tuple[str, int, str] | None:
        """Where ``key`` was read and with what content; or None, remembering it as read at ``path``:``line``."""
        here = self._here(path, line, content)
        if self.db is None:
            found = self.memory.setdefault(key, here)
            if found is here:
                if len(self.memory) > SEEN_IN_MEMORY:
                    self._spill()
                return None
        else:
            found = self.pending.get(key)
            if found is None and self._maybe_written(key):
                found = self.db.execute("SELECT file, line, content FROM seen WHERE key = ?", (key,)).fetchone()
            if found is None:
                self._hold(key, here)
                return None
        return self.files[found[0]], found[1], found[2]

    def get(self, key: bytes) -> tuple[str, int, str] | None:
        """Where ``key`` was read and with what content, or None; remembering nothing."""
        found = self.memory.get(key) if self.db is None else self.pending.get(key)
        if found is None and self.db is not None and self._maybe_written(key):
            found = self.db.execute("SELECT file, line, content FROM seen WHERE key = ?", (key,)).fetchone()
        return None if found is None else (self.files[found[0]], found[1], found[2])

    def replace(self, key: bytes, path: str, line: int, content: str) -> None:
        """Remember ``key`` as read at ``path``:``line`` with ``content`` from now on."""
        here = self._here(path, line, content)
        if self.db is None:
            self.memory[key] = here
        else:
            self._hold(key, here)

    def _bit(self, key: bytes) -> int:
        return int.from_bytes(key[:8], "little") & (SEEN_FILTER_BITS - 1)  # keys are digests: any 8 bytes will do

    def _maybe_written(self, key: bytes) -> bool:
        bit = self._bit(key)
        return bool(self.written[bit >> 3] & (1 << (bit & 7)))

    def _hold(self, key: bytes, here: tuple[int, int, str]) -> None:
        """Keep ``key`` in the batch to write (the later value wins over the file's), marked in the filter."""
        self.pending[key] = here
        bit = self._bit(key)
        self.written[bit >> 3] |= 1 << (bit & 7)
        if len(self.pending) >= SEEN_BATCH:
            self._write()

    def _write(self) -> None:
        assert self.db is not None
        self.db.executemany("INSERT OR REPLACE INTO seen VALUES (?, ?, ?, ?)",
                            ((k, f, n, c) for k, (f, n, c) in sorted(self.pending.items())))
        self.pending.clear()

    def _spill(self) -> None:
        self.folder = tempfile.TemporaryDirectory(prefix="nexus-orders-seen-")
        self.db = sqlite3.connect(os.path.join(self.folder.name, "seen.sqlite3"), isolation_level=None)
        for pragma in ("journal_mode = OFF", "synchronous = OFF", "cache_size = -16384"):  # a scratch file
            self.db.execute(f"PRAGMA {pragma}")
        self.db.execute("CREATE TABLE seen (key BLOB PRIMARY KEY, file INTEGER, line INTEGER, content TEXT) "
                        "WITHOUT ROWID")
        self.db.execute("BEGIN")  # one transaction: nothing here needs to survive a crash
        self.written = bytearray(SEEN_FILTER_BITS // 8)
        for key, here in self.memory.items():
            self._hold(key, here)
        self.memory.clear()


class _Accounts:
    """The accounting loop every reader feeds: duplicates, repeats with different content (by
    ``--repeated-orders``), migration overlaps between platforms, and the row account.

    A reader yields, for each order, a tuple of the :class:`Order` and the values of its (first) row; a
    :class:`RowProblem` for rows skipped as unreadable (with ``skip_bad_rows``); a :class:`LeftOut` for rows
    left out on purpose; a :class:`Duplicate` for rows another file holds, counted there.
    """

    def __init__(self, ledger: Ledger, mode: str, seen: _Seen, overlaps: bool):
        self.ledger, self.mode, self.seen, self.overlaps = ledger, mode, seen, overlaps
        #: (source, order id) of sales found to be migration overlaps, and the platform whose copy counts.
        self.overlapped: dict[tuple[str, str], str] = {}
        #: The row account of the file being read (nexus.sales.file_account), and its path.
        self.here: dict[str, int] = {}
        self.path = ""
        #: (source, order id) of orders with a refund or chargeback counted (kept when overlaps are looked for), and
        #: their (currency, amount): a copy of the sale that takes over from that source's (:meth:`_take_over`)
        #: finds them there.
        self.refunded: dict[tuple[str, str], list[tuple[str, str]]] = {}
        #: (platform whose copy of an overlapped order counts, order id): the platform whose copy does not.
        self.copied: dict[tuple[str, str], str] = {}
        #: (platform, order id) of an overlapped order whose copy does not count: the refunds counted from it,
        #: (currency, amount), which the counted copy's platform did not record.
        self.refunded_there: dict[tuple[str, str], list[tuple[str, str]]] = {}
        #: (refund's platform, platform whose copy of the sale counts): refunds counted of overlapped orders that
        #: only the first platform recorded.
        self.refunds_after_overlap: dict[tuple[str, str], int] = {}
        #: With ``--repeated-orders latest``: the category source and SKU lines of each counted copy that has any
        #: but the defaults, which its content (nexus.sales._content) does not hold, to take it back out exactly.
        self.kept: dict[bytes, tuple[str, tuple[SkuLine, ...]]] = {}
        #: With ``--repeated-orders lines`` and overlaps looked for: orders counted with further line items, whose
        #: remembered content is their first line's only, so that no other platform's copy takes over from them.
        self.extended: set[bytes] = set()
        #: Copies listed as overlaps once another copy took over from them, their row's text still to read.
        self.untold: list[RowProblem] = []
        #: (platform whose copy of an overlapped order counts, order id): that copy's categories, as its parts
        #: (one, for an order read whole), which a refund counted from another platform's copy takes.
        self.counted_parts: dict[tuple[str, str], tuple[CategoryPart, ...]] = {}
        #: (platform, order id) of a copy of a sale counted and of no category: its refunds counted, their identity
        #: and content (nexus.sales._content), to be moved to the categories of another platform's copy that takes
        #: over (:meth:`_take_over`).
        self.unplaced: dict[tuple[str, str], list[tuple[bytes, str]]] = {}
        #: (platform, order id) of a copy that gave way: the refunds counted from it in another copy's categories.
        self.recategorised: dict[tuple[str, str], set[bytes]] = {}
        #: (platform, order id) of a copy that gave way: its listed overlap, whose line then says so.
        self.overlap_lines: dict[tuple[str, str], RowProblem] = {}
        #: Order ids read once that a spreadsheet cut short (1.00012E+15), for :func:`nexus.cut_ids.tell`.
        self.cuts: list[cut_ids.Cut] = []
        #: Each file's order id column, as its orders name it ("" for nexus's own layout's ``order_id``).
        self.id_columns: dict[str, str] = {}

    def take(self, path: str, events: Iterable) -> int:
        """Account for every event of one file; the number of rows it had."""
        ledger = self.ledger
        count, named = 0, False
        self.here, self.path = {}, path
        if ledger.file_rows is not None:
            ledger.file_rows.append(self.here)
        for event in events:
            if type(event) is tuple:
                order, values = event
                if not named:
                    self.id_columns[path], named = order.id_column, True
                count += order.rows
                ledger.rows_read += order.rows
                self._order(order, values)
            elif type(event) is int:  # rows a reader counted in the ledger itself: orders whose id is read once
                count += event
                ledger.rows_read += event
            elif type(event) is Duplicate:
                count += event.rows
                ledger.rows_read += event.rows
                self.here["duplicates"] = self.here.get("duplicates", 0) + event.rows
                _listed(ledger.duplicates, event, ledger, "unlisted_duplicates")
            elif isinstance(event, RowProblem):
                count += event.rows
                ledger.rows_read += event.rows
                self.here["skipped"] = self.here.get("skipped", 0) + event.rows
                _listed(ledger.skipped, event, ledger, "unlisted_skipped")
            else:
                count += event.rows
                ledger.rows_read += event.rows
                self.here["left_out"] = self.here.get("left_out", 0) + event.rows
                _listed(ledger.left_out, event, ledger, "unlisted_left_out")
        return count

    def _order(self, order: Order, values: Sequence[object]) -> None:
        ledger = self.ledger
        ident = _identity(order)
        if ident is None:
            ledger.add(order)
            return
        path, line = order.location.file, order.location.line or 0
        content = _content(order)
        found = self.seen.first(ident, path, line, content)
        if found is None:
            if "+" in order.order_id or order.id_shortened:  # a long id cut short, which other files may hold whole
                why = order.id_shortened or shortened_id(order.order_id)
                cut = cut_ids.cut(path, line, order.order_id, why, bool(order.id_shortened)) if why else None
                if cut is not None:
                    self.cuts.append(cut)
            if self.overlaps and self._overlap(order, values, ident):
                self.seen.replace(ident, path, line, OVERLAPPED + content)  # counted as the other platform's copy
                return
            if self.overlaps and order.skus and order.category_source == "unknown":
                self._keep(ident, order)  # another platform's copy may take over from it (_take_over)
            if self.mode == "lines":
                self.seen.first(_key("line", ident, content), path, line)
                self.seen.first(_key("place", ident, order.jurisdiction), path, line, _counted_with(order))
            elif self.mode == "latest":
                self._keep(ident, order)
            if self.overlaps and order.kind != "sale":
                self._count(order, ident)
            else:
                ledger.add(order)
            return
        first_file, first_line, first_content = found
        shortened = order.id_shortened or shortened_id(order.order_id)
        if shortened:
            raise InputError(f"order id {order.order_id!r} was read at {first_file}:{first_line} too; it is "
                             f"{shortened}, so the two rows may be different orders: export the order id column "
                             f"as text (or straight from the platform, not through a spreadsheet) and read again",
                             Location(path, line, _id_column(order), order.order_id))
        if first_content.startswith(OVERLAPPED):
            self._overlapped_again(order, values, first_file, first_line, content, first_content[len(OVERLAPPED):],
                                   ident)
            return
        if self.mode == "lines":
            copy = self.seen.first(_key("line", ident, content), path, line)
            if copy is not None:
                self._duplicate(order, values, copy[0], copy[1])
                return
            place_key = _key("place", ident, order.jurisdiction)
            held = self.seen.first(place_key, path, line, _counted_with(order))
            moved = held is not None and order.kind == "sale" and self._moved(held[2], order)
            if moved:
                self.seen.replace(place_key, path, line, _counted_with(order))
            if self.overlaps and order.kind != "sale":
                self._count(order, ident)
            else:
                ledger.add(order, transactions=1 if order.kind == "sale" and (held is None or moved) else 0)
            if self.overlaps:
                self.extended.add(ident)
            self._conflict(order, first_file, first_line, first_content, content, "line items")
            return
        if content == first_content:
            self._duplicate(order, values, first_file, first_line)
            return
        if self.mode == "error":
            conflict = Conflict(order.order_id, order.source, Location(first_file, first_line), order.location,
                                _differences(first_content, content), "error", order.kind)
            raise RepeatedOrder(f"{conflict.describe()}: an order id repeated with different content is a line "
                                f"item or an amendment; say which with --repeated-orders lines (line items of one "
                                f"order) or latest (keep the later copy)",
                                Location(path, line, _id_column(order), order.order_id))
        source, lines = self.kept.pop(ident, ("column", ()))
        earlier = replace(_from_content(first_content, order), category_source=source, skus=lines)
        self._keep(ident, order)
        self._count(earlier, ident, sign=-1)
        ledger.rows_superseded += earlier.rows
        self._in_file(first_file)["superseded"] = self._in_file(first_file).get("superseded", 0) + earlier.rows
        self._count(order, ident)
        self.seen.replace(ident, path, line, content)
        self._conflict(order, first_file, first_line, first_content, content, "the later kept")

    def tell_rows(self, options: ReadOptions, quoted: Callable[[str], bool]) -> None:
        """Write in the text of the rows listed as overlaps once another copy took over from them (:meth:`_take_over`):
        each of their files read again up to the last such line (``quoted``: whether the file's layout quotes)."""
        lines: dict[str, set[int]] = {}
        for problem in self.untold:
            lines.setdefault(problem.file, set()).add(problem.line)
        texts: dict[tuple[str, int], str] = {}
        for path, wanted in lines.items():
            last = max(wanted)
            for line, values in read_rows(path, options, None, ReadNotes(), quoted=quoted(path)):
                if line in wanted:
                    texts[(path, line)] = _row_text(values)
                if line >= last:
                    break
        told = {id(p): replace(p, text=texts.get((p.file, p.line), "")) for p in self.untold}
        for listing in (self.ledger.duplicates, self.ledger.overlaps):
            listing[:] = [told.get(id(p), p) for p in listing]
        self.untold.clear()

    def note_refunds_after_overlap(self) -> None:
        """Say how many refunds of orders counted from another platform's copy (a migration overlap) were counted
        from the platform that alone recorded them."""
        for (source, counted), n in sorted(self.refunds_after_overlap.items()):
            self.ledger.notes.assume(
                f"{n:,} refund(s) or chargeback(s) in {_layout_title(source)} of orders counted from "
                f"{_layout_title(counted)} (a migration overlap) are counted on their own dates and places, in the "
                f"categories of the copy counted: the copy counted had no refund of them when read")

    def _moved(self, held: str, order: Order) -> bool:
        """Whether a further line of an order (``--repeated-orders lines``) takes over the order's one transaction
        from the line that holds it (``held``, as :func:`_counted_with` wrote it), and if so take it from there.

        An order is one transaction, counted with one of its lines; a rule that counts only some lines (New York
        and California count goods) must still find it. As the platform readers count a split order's transaction
        with its first part, it goes to the line of the first category (goods, digital, SaaS, services, unknown),
        then to a line not sold through a marketplace, then to a taxable one, whatever order the lines come in."""
        if not held:
            return False
        code, channel, exempt, category, written = held.split("\x1f")
        if _line_rank(category, channel, exempt) <= _line_rank(order.category, order.channel, order.exempt):
            return False
        key, day = profile(order.jurisdiction, code, channel, "sale", exempt, category), date.fromisoformat(written)
        self.ledger.settle()
        total = self.ledger.total(key, day)
        total[1] -= 1
        if not total[0] and not total[1]:
            del self.ledger.series[key][day]
            if not self.ledger.series[key]:
                del self.ledger.series[key]
        return True

    def _count(self, order: Order, ident: bytes, sign: int = 1) -> None:
        """Count ``order`` (``sign`` -1 takes it back out). A refund of a sale counted from another platform's copy
        (a migration overlap) is counted in that copy's categories, split as that copy is: it reduces that sale, and
        a goods-only test that counts the sale must count its refund. One from a copy still counted that gives no
        category is remembered, to be moved so once another copy takes over."""
        if not self.overlaps or order.kind == "sale":
            self.ledger.add(order, sign=sign)
            return
        copy = (order.source, order.order_id.lstrip("#").strip())
        counted = self.overlapped.get(copy)
        parts = self.counted_parts.get((counted, copy[1])) if counted is not None else None
        if parts is None or [(p.category, p.source) for p in parts] == [(order.category, order.category_source)]:
            self.ledger.add(order, sign=sign)
            if counted is None and order.category_source == UNKNOWN:
                held = self.unplaced.setdefault(copy, [])
                if sign > 0:
                    held.append((ident, _content(order)))
                else:
                    at = next((i for i, (kept, _r) in enumerate(held) if kept == ident), None)
                    if at is not None:
                        del held[at]
            return
        for part in _as_counted(order, parts):
            self.ledger.add(part, sign=sign)
        if sign > 0 and _first_part(order):
            self.recategorised.setdefault(copy, set()).add(ident)

    def tell_refund_categories(self) -> None:
        """Say, on the line of each overlap listed, that refunds counted from the copy that gave way were counted in
        the categories of the copy that counts (:meth:`_count`)."""
        changed: dict[int, RowProblem] = {}
        for copy, idents in self.recategorised.items():
            problem = self.overlap_lines.get(copy)
            if problem is None:
                continue
            parts = self.counted_parts[(self.overlapped[copy], copy[1])]
            names = listed(_names(parts))
            split = "split " if len(parts) > 1 else ""
            said = (f"its refund counted from this copy counts as {names}, {split}as the sale it reduces"
                    if len(idents) == 1 else
                    f"its {len(idents)} refunds counted from this copy count as {names}, {split}as the sale they "
                    f"reduce")
            changed[id(problem)] = replace(problem, reason=f"{problem.reason}; {said}")
        if changed:
            for listing in (self.ledger.duplicates, self.ledger.overlaps, self.untold):
                listing[:] = [changed.get(id(p), p) for p in listing]

    def _keep(self, ident: bytes, order: Order) -> None:
        """Remember the category source and SKU lines of the copy now counted, where they are not the defaults."""
        if order.category_source != "column" or order.skus:
            self.kept[ident] = (order.category_source, order.skus)

    def _overlapped_again(self, order: Order, values: Sequence[object], file: str, line: int, content: str,
                          earlier: str, ident: bytes) -> None:
        """A later copy, from the same platform, of an order counted once as a migration overlap (its ``earlier``
        copy's content): the same again (a late re-export) is a duplicate of that copy, not another overlap."""
        if content == earlier:
            what = "sale" if order.kind == "sale" else order.kind
            self._duplicate(order, values, file, line, f"{what} {order.order_id!r} already read at {file}:{line}, "
                                                       f"a migration overlap counted once; counted once")
            return
        if self.overlaps and self._overlap(order, values, ident, take_over=False):
            return  # the same as the other platform's copy again
        if self.mode == "error":
            raise RepeatedOrder(f"order {order.order_id!r} read at {file}:{line} (a migration overlap, counted once "
                                f"as the other platform's copy) and again at {order.location.file}:"
                                f"{order.location.line} with different content: say how to read it with "
                                f"--repeated-orders, or export it from one platform only",
                                Location(order.location.file, order.location.line, _id_column(order), order.order_id))
        self._duplicate(order, values, file, line,
                        f"{order.kind} {order.order_id!r} was counted once as a migration overlap (read at {file}:"
                        f"{line}); this later copy differs and is not counted: export the order from one platform")

    def _in_file(self, path: str) -> dict[str, int]:
        """The row account of the file read last as ``path``: the one being read, else one read before it (the
        accounts of the files taken so far, this one's last, are in ``ledger.file_rows``, in the files' order)."""
        files, accounts = self.ledger.files, self.ledger.file_rows
        if accounts is None or path == self.path:
            return self.here
        taken = min(len(files), len(accounts) - 1)
        earlier = next((i for i in range(taken - 1, -1, -1) if files[i][0] == path), None)
        return self.here if earlier is None else accounts[earlier]

    def _duplicate(self, order: Order, values: Sequence[object], file: str, line: int,
                   reason: str | None = None, account: dict[str, int] | None = None,
                   text: str | None = None) -> RowProblem | None:
        """List ``order`` as a duplicate, counted in the row account of its file (``account``: the one being read
        unless said), with its row's ``values`` (or the row's ``text``, written before)."""
        held = self.here if account is None else account
        held["duplicates"] = held.get("duplicates", 0) + order.rows
        if len(self.ledger.duplicates) >= LISTED_ROWS:  # counted, not listed: its row's text is not needed
            self.ledger.unlisted_duplicates += order.rows
            return None
        what = "sale" if order.kind == "sale" else order.kind
        problem = RowProblem(order.location.file, order.location.line or 0,
                             reason or f"{what} {order.order_id!r} already read at {file}:{line}; counted once",
                             _id_column(order), order.order_id, _row_text(values) if text is None else text,
                             order.rows)
        self.ledger.duplicates.append(problem)
        return problem

    def _conflict(self, order: Order, first_file: str, first_line: int, first: str, later: str, treated: str) -> None:
        ledger = self.ledger
        if len(ledger.conflicts) >= LISTED_ROWS:
            ledger.unlisted_conflicts += 1
            return
        ledger.conflicts.append(Conflict(order.order_id, order.source, Location(first_file, first_line),
                                         order.location, _differences(first, later), treated, order.kind))

    def _overlap(self, order: Order, values: Sequence[object], ident: bytes, take_over: bool = True) -> bool:
        """Whether ``order`` was already exported by another platform (a migration overlap) and is not counted: the
        same id but a leading '#', the same amount, currency and place, the same day or a day apart
        (:meth:`_a_day_apart`).

        The copy counted is the one that says more: one with a category (Shopify's tax code or ``Lineitem requires
        shipping``) over one without (WooCommerce's), whichever file came first, so that the figures do not hang on
        the order of ``--sales``; else the copy read first. Where ``order`` says more, it takes over from the copy
        counted so far (:meth:`_take_over`) and is counted (False).

        A refund of such an order from this platform goes with it where the platform whose copy counts has a refund
        of the order too (both recorded the one refund); where it has none (the refund was made on the new platform
        after the move), the refund is counted, on its own date, and said: dropping it would overstate sales."""
        bare = order.order_id.lstrip("#").strip()
        if order.kind != "sale":
            return self._refund_of_overlap(order, values, bare)
        key = _overlap_key(bare, order, order.day)
        found = self.seen.first(key, order.location.file, order.location.line or 0, _copy_note(order, ident))
        day = order.day
        if found is None or _CopyNote.of(found[2]).source == order.source:
            found, day = self._a_day_apart(bare, order)
            if found is None:
                return False
            key = _overlap_key(bare, order, day)
        there = _CopyNote.of(found[2])
        if not _first_part(order):  # the rest of a split copy whose first part gave way (listed as the overlap)
            self._duplicate(order, values, found[0], found[1],
                            f"sale {order.order_id!r}, its {order.category} part: the rest of the migration overlap "
                            f"listed at line {order.parts[0].line}, counted once, as the copy in "
                            f"{_layout_title(there.source)} at {found[0]}:{found[1]}")
            return True
        if take_over and _says_more(order.category_source, there.category_source) \
                and there.ident not in self.extended and self._take_over(order, ident, bare, there, key, day):
            return False
        self.overlapped[(order.source, bare)] = there.source
        self.copied[(there.source, bare)] = order.source
        self.counted_parts[(there.source, bare)] = there.parts
        why = (f"which gives its {_categories(there.parts)} where this one gives none"
               if _says_more(there.category_source, order.category_source) else "read first")
        reason = _overlap_line(order.order_id, _parts_of(order), _layout_title(there.source), found[0], found[1],
                               there.parts, _when(day, order.day), why)
        problem = self._duplicate(order, values, found[0], found[1], reason)
        self._listed_overlap(problem, (order.source, bare))
        return True

    def _listed_overlap(self, problem: RowProblem | None, copy: tuple[str, str]) -> None:
        """List ``problem``, the overlap of the copy ``copy`` (its platform and order id without '#') that gave way,
        or count it beyond :data:`LISTED_ROWS`."""
        if problem is not None and len(self.ledger.overlaps) < LISTED_ROWS:
            self.ledger.overlaps.append(problem)
            self.overlap_lines[copy] = problem
        else:
            self.ledger.unlisted_overlaps += 1

    def _take_over(self, order: Order, ident: bytes, bare: str, there: _CopyNote, key: bytes, day: date) -> bool:
        """Whether ``order``, which says more than the other platform's copy (``there``, read on ``day``), takes over
        from it: where that copy is counted, it is taken back out of the totals and becomes the overlap, a duplicate
        in its own file's row account; its refunds already counted stay counted, as refunds the copy now counted may
        record too (then counted once). The caller counts ``order``. A copy itself not counted (a later, changed copy
        of an overlap) has nothing to give up: ``order`` is then an overlap of the copy counted, as ever."""
        remembered = self.seen.get(there.ident)
        if remembered is None or remembered[2].startswith(OVERLAPPED):
            return False
        file, line, content = remembered
        source, lines = self.kept.pop(there.ident, (there.category_source, ()))
        earlier = replace(_from_content(content, order), order_id=there.order_id, id_column=there.id_column,
                          source=there.source, category_source=source, skus=lines, location=Location(file, line),
                          parts=())
        self.ledger.add(earlier, sign=-1)
        self.seen.replace(there.ident, file, line, OVERLAPPED + content)
        self.seen.replace(key, order.location.file, order.location.line or 0, _copy_note(order, ident))
        self.overlapped[(there.source, bare)] = order.source
        self.copied[(order.source, bare)] = there.source
        self.copied.pop((there.source, bare), None)
        self.counted_parts[(order.source, bare)] = _parts_of(order)
        refunds = self.refunded.pop((there.source, bare), [])
        if refunds:
            self.refunded_there.setdefault((there.source, bare), []).extend(refunds)
            self.refunds_after_overlap[(there.source, order.source)] = \
                self.refunds_after_overlap.get((there.source, order.source), 0) + len(refunds)
        # Its refunds already counted stay counted, now in the categories of the copy that counts (their SKU lines,
        # if kept, stay as they were: a refund's lines count no category).
        for refund_ident, refund_content in self.unplaced.pop((there.source, bare), []):
            refund = replace(_from_content(refund_content, earlier), category_source=UNKNOWN, skus=())
            self.ledger.add(refund, sign=-1)
            self._count(refund, refund_ident)
        reason = _overlap_line(there.order_id, there.parts, _layout_title(order.source), order.location.file,
                               order.location.line or 0, _parts_of(order), _when(order.day, day),
                               f"which gives its {_categories(_parts_of(order))} where this one gives none")
        problem = self._duplicate(earlier, (), "", 0, reason, self._in_file(file), "")
        if problem is not None:
            self.untold.append(problem)
        self._listed_overlap(problem, (there.source, bare))
        return True

    def _refund_of_overlap(self, order: Order, values: Sequence[object], bare: str) -> bool:
        """Whether a refund (or chargeback) is one already counted from the other platform's copy of its order (a
        migration overlap), and so a duplicate; else remember it as counted.

        Its platform's copy of the sale was the one not counted: the refund is the same one where the counted copy's
        platform has a refund of the order. Its platform's copy was the one counted: the refund is the same one where
        the other platform's copy brought a refund of the same amount that this platform had not recorded (a late
        re-export of the old platform, after an order it took was refunded and the new platform recorded it too)."""
        counted = self.overlapped.get((order.source, bare))
        other = self.copied.get((order.source, bare))
        amount = (order.currency, _number(_whole(order)))  # a refund split between categories: the whole of it
        if counted is not None and (counted, bare) in self.refunded:
            why = f"by {_layout_title(counted)} (a migration overlap), which has a refund of it too"
        elif other is not None and amount in self.refunded_there.get((other, bare), ()):
            why = f"by {_layout_title(other)} (a migration overlap), whose refund of the same amount is counted"
        elif not _first_part(order):
            return False  # the rest of a refund split between categories: remembered with its first part
        else:
            self.refunded.setdefault((order.source, bare), []).append(amount)
            if counted is not None:
                self.refunds_after_overlap[(order.source, counted)] = \
                    self.refunds_after_overlap.get((order.source, counted), 0) + 1
                self.refunded_there.setdefault((order.source, bare), []).append(amount)
            return False
        self._duplicate(order, values, "", 0, f"{order.kind} of {order.order_id!r}, an order also exported {why}; "
                                              f"counted once there")
        return True

    def _a_day_apart(self, bare: str, order: Order) -> tuple[tuple[str, int, str] | None, date]:
        """Another platform's copy of ``order`` dated the day before or after it, and its day: one platform may write
        an order's time in UTC and the other in the shop's own zone, and the two days then differ by one (never more:
        zones run from 12 hours behind UTC to 14 ahead). A missed overlap would count the sale twice."""
        for day in (order.day - timedelta(days=1), order.day + timedelta(days=1)):
            found = self.seen.get(_overlap_key(bare, order, day))
            if found is not None and _CopyNote.of(found[2]).source != order.source:
                return found, day
        return None, order.day


def _overlap_key(bare: str, order: Order, day: date) -> bytes:
    """What two platforms' copies of one order share (a migration overlap): the id without a leading '#', the
    amount (of the whole order, where a copy is split between categories), currency and place, on ``day``."""
    return _key("overlap", bare, day.isoformat(), _number(_whole(order)), order.currency, order.jurisdiction)


def _whole(order: Order) -> Decimal:
    """The amount of the whole order (or refund) that ``order`` is a part of, where it is split between categories:
    another platform's copy of it is one record, of the whole."""
    return sum((part.amount for part in order.parts), ZERO) if order.parts else order.amount


def _first_part(order: Order) -> bool:
    """Whether ``order`` is read whole or is the first part of an order split between categories: the part that
    speaks for the order (it counts its transaction, and is matched first)."""
    return not order.parts or (order.category, order.category_source) == order.parts[0][:2]


def _parts_of(order: Order) -> tuple[CategoryPart, ...]:
    """The parts of the order ``order`` is (one, itself, for an order read whole)."""
    return order.parts or (CategoryPart(order.category, order.category_source, order.amount, order.shipping,
                                        order.tax, order.location.line or 0),)


def _as_counted(refund: Order, parts: Sequence[CategoryPart]) -> list[Order]:
    """``refund`` in the categories of the copy of its sale that counts (its ``parts``), split as a platform splits
    a refund of an order of several categories (nexus.exports.base.split): its amount less shipping by the parts'
    own, shipping by the parts' shipping (by their amounts where none has any), tax by the amounts so split. A full
    refund takes each part back exactly; the record's rows and SKUs go with its first part."""
    from nexus.exports.base import allocate  # here, not at the top: the platform readers import this module

    if len(parts) == 1:
        return [replace(refund, category=parts[0].category, category_source=parts[0].source)]
    goods = allocate(refund.amount - refund.shipping, [p.amount - p.shipping for p in parts])
    shipped = [p.shipping for p in parts]
    ship = allocate(refund.shipping, shipped if any(shipped) else [p.amount for p in parts])
    amounts = [g + s for g, s in zip(goods, ship)]
    taxes = allocate(refund.tax, amounts)
    return [replace(refund, category=p.category, category_source=p.source, amount=a, shipping=s, tax=t,
                    rows=refund.rows if i == 0 else 0, skus=refund.skus if i == 0 else ())
            for i, (p, a, s, t) in enumerate(zip(parts, amounts, ship, taxes))]


def _names(parts: Sequence[CategoryPart]) -> list[str]:
    """The categories of an order's parts, each once, in the parts' order."""
    return list(dict.fromkeys(p.category for p in parts))


def _categories(parts: Sequence[CategoryPart]) -> str:
    """A copy's categories as an overlap's line names them: ``category (goods)``, ``categories (goods and
    digital)``."""
    names = _names(parts)
    return f"category ({names[0]})" if len(names) == 1 else f"categories ({listed(names)})"


def _split_between(parts: Sequence[CategoryPart]) -> str:
    """How a copy split between categories is split: ``split between goods and digital``."""
    names = _names(parts)
    return f"split between {listed(names)}" if len(names) > 1 else f"split in {len(parts)} parts"


def _overlap_line(order_id: str, given: Sequence[CategoryPart], title: str, file: str, line: int,
                  counted: Sequence[CategoryPart], when: str, why: str) -> str:
    """The line of a migration overlap: the copy that gave way (its ``given`` parts) was also exported in ``title``
    at ``file``:``line`` (the copy counted, its ``counted`` parts), ``when``, and ``why`` that copy counts. A copy
    split between categories is named by the lines of its parts, whose sum is the amount matched."""
    here = f", {_split_between(given)} (lines {listed([str(p.line) for p in given])})," if len(given) > 1 else ""
    there = (f"{file}:{listed([str(p.line) for p in counted])}, {_split_between(counted)}," if len(counted) > 1
             else f"{file}:{line}")
    whole = " in all" if len(given) > 1 or len(counted) > 1 else ""
    return (f"sale {order_id!r}{here} was also exported in {title} at {there} with the same amount{whole}, currency "
            f"and place, {when}: a migration overlap, counted once, as that copy ({why})")


class _CopyNote(NamedTuple):
    """What is remembered of the copy of a sale that a migration overlap's key first met: enough to say which
    platform wrote it, whether it says more than another's copy, and to take it back out (:meth:`_Accounts.
    _take_over`); its ``parts`` (one where it is read whole), which a refund counted from another copy takes."""

    source: str
    ident: bytes
    parts: tuple[CategoryPart, ...]
    id_column: str
    order_id: str

    @property
    def category(self) -> str:
        return self.parts[0].category

    @property
    def category_source(self) -> str:
        return self.parts[0].source

    @classmethod
    def of(cls, note: str) -> _CopyNote:
        source, ident, parts, id_column, order_id = note.split("\x1f", 4)
        return cls(source, bytes.fromhex(ident), tuple(_part_of(text) for text in parts.split("\x1c")), id_column,
                   order_id)


def _part_of(text: str) -> CategoryPart:
    category, source, amount, shipping, tax, line = text.split("\x1d")
    return CategoryPart(category, source, Decimal(amount), Decimal(shipping), Decimal(tax), int(line))


def _copy_note(order: Order, ident: bytes) -> str:
    """:class:`_CopyNote` of ``order`` (whose identity is ``ident``), as the overlap's key remembers it: the order
    id last, since it may hold any character. Its row's text is not kept (writing it cost a third of reading the
    rows); :meth:`_Accounts.tell_rows` reads it again where the copy is listed."""
    parts = "\x1c".join("\x1d".join((p.category, p.source, str(p.amount), str(p.shipping), str(p.tax), str(p.line)))
                        for p in _parts_of(order))
    return "\x1f".join((order.source, ident.hex(), parts, order.id_column, order.order_id))


def _says_more(category_source: str, other: str) -> bool:
    """Whether a copy of a sale whose category came from ``category_source`` says more than one whose came from
    ``other``: a category the export gives (or a table or option gives its lines) over none."""
    return category_source != "unknown" and other == "unknown"


def _when(there: date, here: date) -> str:
    """How the days of an overlap's two copies compare, as its line says it (``there`` the copy counted)."""
    return ("the same day" if there == here else
            f"a day apart ({there} there, {here} here, as when one platform writes times in UTC and the other "
            f"in the shop's time zone)")


def _id_column(order: Order) -> str:
    """The column a message about ``order``'s id names: the platform's own header, else nexus's field."""
    return order.id_column or "order_id"


def _layout_title(name: str) -> str:
    """How a message names the layout called ``name`` (``a Shopify orders export``; "" is nexus's own)."""
    from nexus.exports import title_of  # here, not at the top: the platform readers import this module
    return title_of(name)


def _listed(listing: list, event: RowProblem | LeftOut, ledger: Ledger, unlisted: str) -> None:
    """List ``event`` (a row left out as the problem it shows as, its row's text written only then), or, once
    :data:`LISTED_ROWS` are listed, count its rows in ``ledger``'s ``unlisted`` total."""
    if len(listing) >= LISTED_ROWS:
        setattr(ledger, unlisted, getattr(ledger, unlisted) + event.rows)
    else:
        listing.append(event if isinstance(event, RowProblem) else event.problem())


def _differences(first: str, later: str) -> tuple[tuple[str, str, str], ...]:
    return tuple((name, old, new) for name, old, new in zip(CONTENT, first.split("\x1f"), later.split("\x1f"))
                 if old != new)


def _short_row(exc: InputError, fields: int, width: int) -> InputError:
    """The error of a CSV row with fewer fields than the header, saying so: a field left out moves every cell
    after it one column to the left, and the cell named ('amount' is empty) is then not where the mistake is."""
    return InputError(f"{exc.message} (the row has {fields} fields where the header has {width}: a field left "
                      f"out?)", exc.location)


def _is_workbook(path: str) -> bool:
    return path.lower().endswith((".xlsx", ".xlsm"))


def first_row(path: str, options: ReadOptions) -> list[str] | None:
    """The header: the first row of a file that is not blank (None for an empty file)."""
    rows = read_rows(path, options)
    try:
        for _line, values in rows:
            if has_value(values):
                return [str(v) for v in values]
    finally:
        close = getattr(rows, "close", None)
        if close is not None:
            close()
    return None


def _row_text(values: Sequence[object]) -> str:
    """The row as it was, for the report of skipped and duplicated rows."""
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow([_text(v) for v in values])
    return out.getvalue()
