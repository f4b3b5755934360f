"""Shopify's orders export (Orders > Export, "orders_export.csv").

One row per line item; the order's own columns (totals, currency, addresses,
status) are filled on the first row of the order only, and the line-item rows
after it repeat the order's ``Name``. ``Total`` is what the customer paid,
taxes included; ``Taxes`` the tax charged; ``Shipping`` the shipping charged;
``Subtotal`` the line items after discounts. ``Refunded Amount`` is the
running total refunded (tax and shipping included), without a date;
``Cancelled at`` marks a cancelled order; ``Financial Status`` ``voided`` a
voided one, ``expired`` one whose payment was never captured. The billing
address stands in when the shipping address is empty (digital goods, pick-up).

Each line item has its ``Lineitem sku``, ``Lineitem name``, ``Lineitem
price``, ``Lineitem quantity`` and ``Lineitem discount``, and ``Lineitem
requires shipping``: the platform's own signal of what a line is. A line that
requires shipping is goods; one that does not (a download, a service, a
subscription, a gift card) is counted as digital, unless the products file or
a tax code says otherwise (nexus.categories). An order whose lines fall in
several categories is split between them by the lines' value (price times
quantity, less the line's discount); shipping goes with the lines that require
it.

More information: https://help.shopify.com/en/manual/orders/export-orders
"""
from __future__ import annotations

from typing import Callable, Iterator, Sequence

from nexus.categories import Signal
from nexus.errors import InputError
from nexus.exports.base import Item, Orders, Row, Source, looks_like, refund_parts
from nexus.orders import ZERO
from nexus.spreadsheets import SPREADSHEET_FALSE, SPREADSHEET_TRUE

NAME = "shopify"
TITLE = "a Shopify orders export"
DOCS = "https://help.shopify.com/en/manual/orders/export-orders"
MARKETPLACE = False
PAYMENTS = False
#: The columns naming the order's payment as the payment provider knows it (nexus.payment_matches): the
#: export's newer ``Payment References`` (each payment of the order) and ``Payment ID``, and the older
#: ``Payment Reference``.
PAYMENT_COLUMNS: tuple[str, ...] = ("Payment References", "Payment ID", "Payment Reference")
DATE_COLUMNS = ("Created at",)
#: Columns only Shopify's export writes together.
SIGNATURE = ("Name", "Financial Status", "Lineitem quantity", "Lineitem name")
#: Columns Shopify always writes and nexus reads: a file without one is not read as Shopify's.
REQUIRED = ("Name", "Financial Status", "Created at", "Currency", "Shipping", "Taxes", "Total",
            "Shipping Country", "Shipping Province", "Billing Country", "Billing Province", "Cancelled at",
            "Refunded Amount")
#: Financial statuses of orders never paid, as Shopify's Admin API documents them (OrderDisplayFinancialStatus):
#: voided, an authorised payment cancelled; expired, an authorisation not captured before the provider's
#: deadline. ``pending`` and ``authorized`` orders are sales awaiting their money (manual payment methods, manual
#: capture) and are counted.
NEVER_PAID = {"voided": "voided (Financial Status)",
              "expired": "never paid: the authorisation expired before it was captured (Financial Status expired)"}
#: Columns that leave an order out by holding a date (when it was cancelled): anything else in them is an error.
#: A row short of a field before ``Cancelled at`` shifts the next cell into it (a place, a word), which had left
#: its order out as "cancelled on CA".
DATED = ("Cancelled at",)
#: Shopify writes what the customer paid as ``Total`` and money back in ``Refunded Amount``: a total below zero
#: is no order it wrote (an edited file), and read as one it would be a negative sale counted as a transaction.
NEGATIVE_TOTAL = ("is below zero: Shopify writes what the customer paid, and money back in 'Refunded Amount'; "
                  "an order with a negative total is not one nexus can count")
#: Shopify's test gateway ("Bogus Gateway"): orders paid through it are test orders.
TEST_GATEWAYS = ("bogus",)


#: What leaves an order out, checked in this order: a column, and what in it does: any value (the reason, with
#: ``{}`` for the value), or the values in a map (lower-cased) to the reason. Read by :func:`left_out` and, as
#: SQL, by the fast path (nexus.fast_exports).
LEAVE_OUT: tuple[tuple[str, str | dict[str, str]], ...] = (
    ("Cancelled at", "cancelled on {}"),
    ("Financial Status", NEVER_PAID),
    ("Payment Method", {gateway: "a test order (paid through Shopify's Bogus Gateway)" for gateway in TEST_GATEWAYS}))


def left_out(cell: Callable[[str], str]) -> str | None:
    """Why an order is left out, from its row's cells (``cell(column)``, stripped), or None: it is counted."""
    for column, reasons in LEAVE_OUT:
        value = cell(column)
        if isinstance(reasons, str):
            if value:
                return reasons.format(value)
        elif value.lower() in reasons:
            return reasons[value.lower()]
    return None


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE)


def read(source: Source) -> Iterator:
    source.require(REQUIRED)
    row = _Row(source)
    for group in source.groups("Name"):
        for copy, head in _copies(group, row):
            yield from source.guarded(copy, _order, source, copy, head, row)


#: The order's own columns the reader reads, besides those of :data:`DATED` and :data:`LEAVE_OUT`.
_ORDER_CELLS = ("Name", "Currency", "Created at", "Shipping Country", "Shipping Province", "Billing Country",
                "Billing Province")
_LEAVE_OUT_COLUMNS = tuple(column for column, _reasons in LEAVE_OUT)


class _Row:
    """The columns read from an order's row and from each line item's, found once per file (Source.picker)."""

    def __init__(self, source: Source):
        self.head = source.picker("Financial Status", "Total")
        self.order = source.picker(*_ORDER_CELLS, *DATED, *_LEAVE_OUT_COLUMNS)
        self.line = source.picker("Lineitem requires shipping", "Lineitem sku", "Lineitem name")


def _copies(group: list[Row], row: _Row) -> list[tuple[list[Row], Row]]:
    """The rows of one order name, one list per copy of the order: a new copy starts at each row holding the
    order's own columns after the first such row. Two downloads joined where they overlap put an order's two
    copies next to each other; read as one order, the second copy was dropped without a word, and now each is
    judged as a repeat is (a duplicate, or a conflict by --repeated-orders). Beside each copy, the row with the
    order's own columns: its first such row, else its first row."""
    copies: list[tuple[list[Row], Row]] = []
    rows: list[Row] = []
    head: Row | None = None
    for line in group:
        if any(row.head(line[1])):
            if head is not None:
                copies.append((rows, head))
                rows = []
            head = line
        rows.append(line)
    copies.append((rows, head if head is not None else rows[0]))
    return copies


def _order(source: Source, group: list[Row], head: Row, row: _Row) -> Iterator:
    source.refuse_unnamed(group, "Name", ("Financial Status", "Total"))
    # The order's own columns are on the row that has them (``head``): the first, as Shopify writes it.
    line, values = head
    cells = row.order(values)
    name, currency, created, ship_country, ship_province, bill_country, bill_province = cells[:len(_ORDER_CELLS)]
    for column, text in zip(DATED, cells[len(_ORDER_CELLS):]):
        if text:
            source.day_written(text, line, column)  # a date, or an error naming the cell
    reason = left_out(dict(zip(_LEAVE_OUT_COLUMNS, cells[len(_ORDER_CELLS) + len(DATED):])).__getitem__)
    if reason is not None:
        yield source.left_out(group, reason)
        return
    code = source.currency_of(currency, line, "Currency")
    day = source.day_written(created, line, "Created at")
    if ship_country:
        place = source.place(line, ("Shipping Country", ship_country), ("Shipping Province", ship_province))
    else:  # nothing shipped: the billing address is where the customer is
        place = source.place(line, ("Billing Country", bill_country), ("Billing Province", bill_province))
    total = source.money(values, line, "Total", code, required=True)
    if total < 0:
        raise InputError(NEGATIVE_TOTAL, source.where(line, "Total", values))
    taxes = source.money(values, line, "Taxes", code)
    shipping = source.money(values, line, "Shipping", code)
    net = total - taxes  # tax-exclusive or tax-inclusive prices alike: the total less the tax in it
    lines = [_line(source, n, v, row) for n, v in group]
    # Lines are valued (price, quantity, discount) only where an order's lines fall in several categories, or
    # where their SKUs are kept: most orders are one category, read as before.
    valued = source.options.collect_skus or len({(c, s) for _n, _v, _sku, _name, _sh, c, s in lines}) > 1
    items = [_item(source, n, v, sku, item, code, ships, category, said, valued)
             for n, v, sku, item, ships, category, said in lines]
    yield from source.orders(group, items, name, day, place, code, net, shipping, taxes)
    refunded = source.refunded(values, line, "Refunded Amount", code)
    if refunded:
        amount, ship_back, tax_back = refund_parts(refunded, total, net, shipping, taxes)
        yield from source.orders(group, items, name, day, place, code, amount, ship_back, tax_back, kind="refund",
                                 rows=0, undated=True)


#: What ``Lineitem requires shipping`` says about a line (nexus.categories, the platform's signal).
SHIPS = Signal("goods", "Shopify lines that require shipping")
#: Not goods; counted as digital (downloads are what most stores sell that way): a products file says which are
#: services or SaaS.
NO_SHIPPING = Signal("digital", "Shopify lines that require no shipping (not goods: a products file says which "
                                "are services or SaaS)")


#: ``Lineitem requires shipping`` values of lines that carry no shipping (every other line does, empty included):
#: Shopify's ``false``, and what a spreadsheet in another language saves it as (``FALSCH``, ``FAUX``).
_NO_SHIPPING = ("false", "no", "0", *sorted(SPREADSHEET_FALSE))
_SIGNALS = {**{word: SHIPS for word in ("true", "yes", "1", *sorted(SPREADSHEET_TRUE))},
            **{word: NO_SHIPPING for word in _NO_SHIPPING}}


def _line(source: Source, line: int, values: Sequence[object], row: _Row) -> tuple:
    """A line item's row, its SKU and name, whether shipping is charged for it, and its category and source."""
    ships_text, sku, name = row.line(values)
    ships_text = ships_text.lower()
    category, said = source.categorizer.decide(sku, "", _SIGNALS.get(ships_text))
    return line, values, sku, name, ships_text not in _NO_SHIPPING, category, said


def _item(source: Source, line: int, values: Sequence[object], sku: str, name: str, code: str, ships: bool,
          category: str, said: str, valued: bool) -> Item:
    """One line item: its SKU, name, category and (where ``valued``) its value, price times quantity less its
    discount."""
    value = ZERO
    if valued:
        price = source.money(values, line, "Lineitem price", code)
        quantity = source.quantity(values, line, "Lineitem quantity")
        value = price * quantity - abs(source.money(values, line, "Lineitem discount", code))
    return Item(line, sku, name, value if value > 0 else ZERO, category, said, ships)


#: The same reading, said as data for the DuckDB fast path (nexus.fast_exports): large exports are rolled into
#: orders in SQL, and any order this reader would read otherwise (or name as an error) hands the file back here.
FAST = Orders(order_id="Name", head=("Financial Status", "Total"), day="Created at", currency="Currency",
              places=(("Shipping Country", "Shipping Province"), ("Billing Country", "Billing Province")),
              total="Total", tax="Taxes", shipping="Shipping", refunded="Refunded Amount", leave_out=LEAVE_OUT,
              left_out=left_out, signal="Lineitem requires shipping", signals=_SIGNALS, no_shipping=_NO_SHIPPING,
              line_price="Lineitem price", line_quantity="Lineitem quantity", line_discount="Lineitem discount",
              dated=DATED)
