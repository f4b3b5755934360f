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
:data:`~nexus.columns.FIELDS`). Every reader hands its orders to one accounting loop
(:func:`read_sales`), which spots re-exported orders and order ids repeated
with different content (:data:`REPEATED_ORDERS`).

Every row is accounted for: it is used, skipped (with ``skip_bad_rows``, each
with its file, line, column and reason), a duplicate of an order already
seen (each reported), left out (a cancelled, voided, test or failed order, or
a row that is not a sale, each reported) or superseded by a later copy of its
order (``--repeated-orders latest``, each reported).
``rows_read == used + skipped + duplicates + left_out + superseded`` always.

The files themselves (encoding, delimiter, a workbook's sheet, what is refused) are read by
:mod:`nexus.spreadsheets`, each cell of a row (its date, place, amount and words) by :mod:`nexus.cells`, the header
of nexus's own layout by :mod:`nexus.columns`; what the user asked of reading is
:class:`nexus.read_options.ReadOptions`. The orders and the rows not counted are records of :mod:`nexus.orders`,
and the daily totals with the row account a :class:`nexus.ledger.Ledger`.
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Mapping, Sequence

from nexus import cut_ids
from nexus.categories import Categorizer
from nexus.cells import _text, category_of, jurisdiction_of, money_cell, parse_date, place_cells, word
from nexus.columns import resolve_columns
from nexus.errors import InputError, Location
from nexus.ledger import Ledger, paused_gc
from nexus.timestamps import day_in
from nexus.money import fits_minor_unit, parse_amount, strip_currency
from nexus.orders import ZERO, Order, SkuLine, shortened_id
from nexus.read_options import ReadOptions
from nexus.spreadsheets import FormulaWithoutValue, check_regular_file, has_value, read_rows

#: ``--repeated-orders``: an order id repeated with different content (another amount, another place) is a
#: conflict. ``error`` stops, naming both lines and what differs; ``lines`` reads the rows as line items of one
#: order (amounts summed, one transaction per order id and ship-to place); ``latest`` keeps the last occurrence
#: (the later file given, then the later line). Identical repeats are duplicates in every mode, counted once.
REPEATED_ORDERS = ("error", "lines", "latest")


def parse_row(values: Sequence[object], columns: Mapping[str, int], options: ReadOptions,
              file: str, line: int, categorizer: Categorizer | None = None,
              slash: Callable[[str, Location], date] | None = None) -> Order:
    """Turn one row into an :class:`~nexus.orders.Order`, or raise an ``InputError`` that names the cell. ``slash``
    reads a date as a spreadsheet writes it (``3/4/2026``) in the order its file shows (:class:`_SlashDates`)."""
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
    file's other country column is not (:func:`~nexus.cells.place_cells`). Counted in ``Ledger.billing_fallbacks``."""
    if "billing_country" not in columns:
        return False

    def text(fld: str) -> str:
        index = columns[fld]
        return _text(values[index]).strip() if index < len(values) else ""

    return not text("country") and bool(text("billing_country"))


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


def read_sales(paths: Sequence[str], options: ReadOptions = ReadOptions(),
               progress: Callable[[int], None] | None = None) -> Ledger:
    """Read order exports into a :class:`~nexus.ledger.Ledger`.

    Each file is read in the layout its header calls for (``options.source_format`` forces one): a
    platform's export (:mod:`nexus.exports`) or nexus's own. Stops at the first unreadable row with an
    ``InputError`` naming file, line, column and value, unless ``options.skip_bad_rows``, in which case the
    row is recorded in ``Ledger.skipped`` and reading goes on; stops at an order id repeated with different
    content unless ``options.repeated_orders`` says how to read it. ``progress`` is called with the number
    of bytes read as CSV files are read.
    """
    # The readers of each layout (nexus's own, the platforms') and the row account build on this module:
    # imported when needed.
    from nexus import exports, own_layout, payment_matches
    from nexus.counted_twice import named_above
    from nexus.row_account import RowAccount
    from nexus.seen_orders import SeenOrders

    if options.repeated_orders not in REPEATED_ORDERS:
        raise InputError(f"--repeated-orders {options.repeated_orders!r} is not one of {', '.join(REPEATED_ORDERS)}")
    for path in paths:
        check_regular_file(path)
    layouts = [exports.layout_of(path, options) for path in paths]
    ledger = Ledger(skus={} if options.collect_skus else None, file_rows=[])
    # A payment provider's export beside a store's: the store's orders paid through it matched by the payment's id.
    # One platform's files that name an order two ways (the most specific warning of orders counted twice: said
    # first, its orders not named again by the payments' warnings below).
    across = exports.across(paths, layouts, options)
    for said in across:
        ledger.notes.warn(said.text)
    payments = payment_matches.plan(paths, layouts, options, ledger.notes, named_above(across))
    categorizer = Categorizer(options.category, options.products, options.unknown_category)
    with paused_gc(), SeenOrders() as seen:
        accounts = RowAccount(ledger, options.repeated_orders, seen,
                              overlaps=len({exports.name_of(layout) for layout in layouts}) > 1,
                              paid=payments.sales if payments is not None else None)
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
        accounts.link_refunds(payments.sales if payments is not None else None)
        for warning in accounts.near.warnings(payments.named if payments is not None else ()):
            ledger.notes.warn(warning)  # two platforms' copies of an order id whose amounts differ: counted twice
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


def note_reading(ledger: Ledger) -> None:
    """The warnings and assumptions every reader adds once the files are read: files that held no orders,
    and rows placed by their billing address. The fast path calls this too."""
    for path, rows in ledger.files:
        if rows == 0:
            ledger.notes.warn(f"{path}: has a header but no orders")
    if ledger.billing_fallbacks:
        ledger.notes.assume(f"{ledger.billing_fallbacks:,} row(s) had an empty ship-to country and were placed by "
                            f"their billing address")


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
