"""WooCommerce order exports: the order-export layout, and the Analytics orders download.

**Order export** (the layout of WooCommerce's Customer / Order / Coupon Export
extension and of the widely used Order Export & Import plugins: one row per
order, or per item with the order's columns repeated; the date under
``order_date``, or ``date`` in the extension's Default formats, whose
``billing_state`` and ``shipping_state`` are names; its Legacy formats label the
same columns ``Order ID``, ``Date``, ``Order Status``, ``Shipping``, ``Tax``,
``Order Total`` and have no currency: ``--currency`` names it). ``order_total`` is what
the customer paid; ``tax_total`` the tax charged (shipping tax included);
``shipping_total`` the shipping charged, before tax. Refunds are either dated,
in ``refund_items`` (``amount:12.00|reason:...|date:2025-03-04 10:00:00``,
several joined by ``;``), or a running total without a date,
``refunded_total``. ``status`` ``cancelled``, ``failed``, ``pending`` (not paid),
``on-hold`` (awaiting payment), ``checkout-draft`` and ``trash`` are not sales
(the screens' labels, ``Pending payment``, ``On hold``, ``Draft``, alike); a
``refunded`` order whose refund columns are missing or empty is an error (its
refund cannot be read); ``processing``, ``completed`` and ``refunded`` are sales.
A status WooCommerce does not define (a plugin's ``shipped``, ``awaiting-shipment``,
``delivered``, a shop's own) is counted as a sale and said, with its orders and
amounts, unless ``--order-status`` reads it (:mod:`nexus.exports.statuses`). The
shipping address, else the billing address, is where the sale is made.

**Advanced Order Export** (the "Advanced Order Export For WooCommerce" plugin's
default columns: ``Order Number``, ``Order Status`` as the screens label it,
``Order Date``, the addresses as ``State Code (Shipping)`` and ``Country Code
(Shipping)``..., one row per product with the order's columns repeated, and
``Order Shipping Amount``, ``Order Refund Amount``, ``Order Total Amount``,
``Order Total Tax Amount``). ``Order Total Amount`` is what the customer paid,
``Order Total Tax Amount`` the tax in it (shipping tax included), ``Order Refund
Amount`` the running total refunded, without a date. It has no currency column
unless one is chosen (``Currency``): ``--currency`` then names the store's. A
row with a negative total is a refund the plugin exported as a row of its own
("export refunds"), whose amount is also in its order's ``Order Refund
Amount``: it is refused rather than counted twice.

**Analytics > Orders download** (``Date``, ``Order #``, ``Status``, ``Customer``,
``Customer type``, ``Product(s)``, ``Items sold``, ``Coupon(s)``, ``Net sales``; or
``N. Revenue`` in older versions):
it carries no address, so nexus cannot tell where its sales were made; it is
recognised and refused with that reason.

More information: https://woocommerce.com/products/ordercustomer-csv-export/,
https://wordpress.org/plugins/woo-order-export-lite/ and
https://woocommerce.com/document/woocommerce-analytics/
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Callable, Iterator, Sequence

from nexus.counted_twice import Said
from nexus.errors import InputError, Location
from nexus.exports.base import Header, Row, Source, _key, looks_like, refund_parts
from nexus.exports.statuses import Statuses, status_key
from nexus.money import parse_amount

NAME = "woocommerce"
TITLE = "a WooCommerce order export"
DOCS = "https://woocommerce.com/products/ordercustomer-csv-export/"
ANALYTICS_DOCS = "https://woocommerce.com/document/woocommerce-analytics/"
MARKETPLACE = False
PAYMENTS = False
#: The column naming the order's payment as the payment provider knows it (nexus.payment_matches): the order
#: export's ``transaction_id`` (the Order Export & Import plugins write it; the extension's Default
#: formats and the Advanced Order Export's default columns have none).
PAYMENT_COLUMNS: tuple[str, ...] = ("transaction_id",)
DATE_COLUMNS = ("order_date", "date", "Order Date")
#: A refund of ``refund_items``, on its own date, is of the order on whose row it is: linked to the order's day
#: (docs/exposure.md). A running total refunded (no date) is counted on the order's day already.
LINKS_REFUNDS = True
#: The order export's columns, whichever name its date column has: ``order_date`` (the Order Export & Import
#: plugins) or ``date`` (the Customer / Order / Coupon Export extension's Default formats).
SIGNATURE = ("order_id", "status", "shipping_total", "tax_total", "discount_total", "order_total")
ORDER_DATE = ("order_date", "date")
#: The Analytics orders download, whichever name its revenue column has: ``Net sales`` (the screen's download),
#: ``Net Sales`` or, in older versions, ``N. Revenue`` and ``N. Revenue (formatted)`` (the download sent by e-mail).
ANALYTICS = ("Date", "Order #", "Status", "Customer type", "Product(s)", "Items sold")
REQUIRED = ("order_id|order_number", "order_date|date", "status", "shipping_total", "tax_total", "order_total",
            "order_currency", "shipping_country", "shipping_state", "billing_country", "billing_state")
#: The extension's Legacy formats name the same columns by labels, and have no currency column.
LEGACY = ("Order ID", "Date", "Order Status", "Shipping Tax", "Fee Tax", "Tax", "Order Total")
LEGACY_REQUIRED = LEGACY + ("Shipping", "Shipping Country", "Shipping State", "Billing Country", "Billing State")
#: The Advanced Order Export plugin's default columns that say it is its file (its labels, not the slugs above).
ADVANCED = ("Order Number", "Order Status", "Order Date", "Order Total Amount")
ADVANCED_REQUIRED = ADVANCED + ("Order Total Tax Amount", "Order Shipping Amount", "Order Refund Amount",
                                "Country Code (Shipping)|Country Code (Billing)",
                                "State Code (Shipping)|State Code (Billing)")
#: Order statuses that are not sales (WooCommerce's own, with or without their ``wc-`` prefix).
NOT_SALES = {"cancelled": "cancelled", "failed": "failed (payment failed or declined)",
             "pending": "pending payment (not paid)", "checkout-draft": "a checkout draft (never placed)",
             "trash": "in the trash", "on-hold": "on hold (awaiting payment, not paid)"}
#: WooCommerce's own statuses of a sale: paid (``processing``: awaiting fulfilment), done, and refunded (read with
#: its refunds).
SALES = frozenset({"processing", "completed", "refunded"})
#: The statuses as WooCommerce's screens name them, which some order-export plugins write instead of the slug
#: (lower case, spaces as hyphens): "Pending payment", "On hold", "Draft".
LABELS = {"pending-payment": "pending", "draft": "checkout-draft"}
#: The columns that list an order's refunds, each dated: ``refund_items`` (the Order Export & Import plugins:
#: ``amount:12.00|reason:...|date:2025-03-04 10:00:00``) and ``refunds`` (the extension's Default format:
#: ``id:2001|date:2025-03-04 10\:00\:00|amount:12.00|reason:...``, its ``:``, ``|`` and ``;`` escaped with ``\``).
REFUND_COLUMNS = ("refund_items", "refunds")
#: Where one refund ends: a ``;`` (not escaped) before the next one's ``amount:`` or ``id:``. The plugins write a
#: reason as the shop typed it, ``;`` included ("wrong size; exchanged"), and the extension escapes it.
_NEXT_REFUND = re.compile(r"(?<!\\);(?=\s*(?:amount|id)\s*:)", re.IGNORECASE)
_FIELD = re.compile(r"(?<!\\)\|")
_ESCAPED = re.compile(r"\\([:|;])")


def detect(header: Sequence[object]) -> bool:
    found = Header(header)
    return (found.has_all(SIGNATURE) and found.first(*ORDER_DATE) is not None) or looks_like(header, ADVANCED) \
        or looks_like(header, LEGACY) or looks_like(header, ANALYTICS)


@dataclass(frozen=True)
class Columns:
    """Where an order export writes what nexus reads: the Default formats and the plugins by the fields' own names,
    the extension's Legacy formats by labels. ``order_id`` is the column that names the order, ``or_else`` the one
    that names it where that is empty (the extension's ``order_number``, filled only by a sequential-numbers
    plugin, falls back to ``order_id``); ``currency`` is empty where the format has none (``--currency``)."""

    order_id: str
    or_else: str
    date: str
    status: str
    currency: str
    total: str
    tax: str
    shipping: str
    ship_country: str
    ship_state: str
    bill_country: str
    bill_state: str


LEGACY_COLUMNS = Columns("Order ID", "", "Date", "Order Status", "", "Order Total", "Tax", "Shipping",
                         "Shipping Country", "Shipping State", "Billing Country", "Billing State")


def read(source: Source) -> Iterator:
    if source.header.has_all(ANALYTICS) and "shipping_country" not in source.header:
        raise InputError("looks like a WooCommerce Analytics orders download, which has no address: nexus cannot "
                         "tell where its sales were made; export the orders with their billing and shipping "
                         "addresses instead (WooCommerce's order export)", Location(source.path, source.header_line))
    if source.header.has_all(ADVANCED):
        yield from _advanced(source)
        return
    if source.header.has_all(LEGACY):
        source.require(LEGACY_REQUIRED)
        _need_currency(source, "the extension's Legacy format, which has no currency column")
        columns = LEGACY_COLUMNS
    else:
        source.require(REQUIRED)
        # The extension fills order_number only where a sequential-numbers plugin sets one: else the id is order_id.
        columns = Columns(source.header.first("order_number", "order_id") or "order_id", "order_id",
                          source.header.first(*ORDER_DATE) or "order_date", "status", "order_currency", "order_total",
                          "tax_total", "shipping_total", "shipping_country", "shipping_state", "billing_country",
                          "billing_state")
    statuses = source.statuses("WooCommerce", columns.status, SALES, NOT_SALES)
    refund_column = source.header.first(*REFUND_COLUMNS)
    # The order's columns, found once: read from each order's row in one call.
    cells = source.picker(columns.order_id, columns.or_else or columns.order_id, columns.status, columns.currency,
                          columns.date, columns.ship_country, columns.ship_state, columns.bill_country,
                          columns.bill_state, refund_column or columns.order_id)
    for group in source.groups(columns.order_id, or_else=columns.or_else or None):
        yield from source.guarded(group, _order, source, group, columns, statuses, refund_column, cells)
    statuses.say(source.notes)


def numbered_apart(files: Sequence[tuple[str, Iterator[Row]]]) -> list[Said]:
    """A warning for each order export that names orders by their post id (``order_id``, its ``order_number``
    empty) which another names by their order number: the extension fills ``order_number`` only while a
    sequential-numbers plugin is on, so an export taken after it was switched off (a late one, during a move) names
    3008 as 9008, and each such order is read as two, counted twice. Each row of an order export holds both ids.
    Each warning holds every pair it names, (file, post id) and (file, order number): a payment both name is not
    named again (nexus.payment_matches)."""
    numbered: dict[str, tuple[str, str, int]] = {}  # post id -> (order number, file, line)
    # (file, post id) of the orders without an order number, each once: an export of a row per line item gives an
    # order's id on each of its rows
    by_post: dict[tuple[str, str], None] = {}
    for path, rows in files:
        at: tuple[int, int] | None = None
        for line, values in rows:
            cells = [str(v).strip() if v is not None else "" for v in values]
            if at is None:
                header = Header(cells)
                if "order_id" not in header or "order_number" not in header:
                    break
                at = (header.index[_key("order_id")], header.index[_key("order_number")])
                continue
            post, number = (cells[i] if i < len(cells) else "" for i in at)
            if post and number:
                numbered.setdefault(post, (number, path, line))
            elif post:
                by_post[(path, post)] = None
    said = []
    for path in dict.fromkeys(path for path, _post in by_post):
        both = [(post, numbered[post]) for where, post in by_post if where == path and post in numbered
                and numbered[post][1] != path]
        if both:
            other = both[0][1][1]
            shown = ", ".join(f"{post} is {number} ({where}:{line})" for post, (number, where, line) in both[:3])
            more = f" and {len(both) - 3:,} more" if len(both) > 3 else ""
            said.append(Said(f"{path} names {len(both):,} orders by their post id (order_id; its order_number is "
                             f"empty) that {other} names by their order number: {shown}{more}: each is counted twice, "
                             f"once under each; export both files with the same numbering (the sequential-numbers "
                             f"plugin on for both)",
                             frozenset(frozenset({(path, post), (where, number)})
                                       for post, (number, where, _line) in both)))
    return said


#: Warnings from several of this layout's files together (nexus.exports.across).
WARN_ACROSS = numbered_apart


def _need_currency(source: Source, what: str) -> None:
    """Stop at the header of a file that names no currency when ``--currency`` does not either."""
    if not source.options.currency:
        raise InputError(f"is a WooCommerce order export in {what}: give the store's currency with --currency",
                         Location(source.path, source.header_line))


def _order(source: Source, group: list[Row], columns: Columns, statuses: Statuses, refund_column: str | None,
           cells: Callable[[Sequence[object]], Sequence[str]]) -> Iterator:
    source.refuse_unnamed(group, columns.order_id, (columns.total,), or_else=columns.or_else)
    line, values = group[0]
    (named, or_else, written, currency, written_day, ship_country, ship_state, bill_country, bill_state,
     refunds) = cells(values)
    order_id = named or (columns.or_else and or_else)
    status = _status(written)
    reason = statuses.left_out(status, written)
    if reason is not None:
        yield source.left_out(group, reason)
        return
    if status == "refunded" and refund_column is None and "refunded_total" not in source.header:
        raise InputError("is refunded but the export has no 'refund_items', 'refunds' or 'refunded_total' column to "
                         "say how much: add one to the export and download it again",
                         source.where(line, columns.status, values))
    code = source.currency_of(currency, line, columns.currency)
    day = source.day_written(written_day, line, columns.date)
    if ship_country:
        place = source.place(line, (columns.ship_country, ship_country), (columns.ship_state, ship_state))
    else:
        place = source.place(line, (columns.bill_country, bill_country), (columns.bill_state, bill_state))
    total = source.money(values, line, columns.total, code, required=True)
    tax = source.money(values, line, columns.tax, code)
    shipping = source.money(values, line, columns.shipping, code)
    net = total - tax  # fees and shipping count with the sale; discounts are already off the total
    yield source.order(group, order_id, day, place, code, net, shipping, tax)
    yield from _refunds(source, group, order_id, day, place, code, (total, net, shipping, tax), status,
                        columns.status, refund_column, refunds if refund_column else "")
    statuses.counted(status, written, code, net)  # last: an order whose refunds cannot be read is not counted


def _refunds(source: Source, group: list[Row], order_id: str, day: date, place: str, code: str,
             parts: tuple[Decimal, Decimal, Decimal, Decimal], status: str, status_column: str,
             refund_column: str | None, refunds: str) -> Iterator:
    """The refunds of an order export's order (``refunds``: the cell of ``refund_column``, where the export has
    one): each listed one on its own date, else its running total."""
    line, values = group[0]
    total, net, shipping, tax = parts
    if refunds:
        # Each refund is told apart by its place in the list: two refunds of one amount on one day are two.
        for number, (refunded, on) in enumerate(_refund_items(refunds, source, line, code, refund_column or ""),
                                                start=1):
            yield source.order(group, order_id, on, place, code, *refund_parts(refunded, total, net, shipping, tax),
                               kind="refund", rows=0, part=f"refund {number}")
    else:
        refunded = source.refunded(values, line, "refunded_total", code)
        if refunded:
            yield source.order(group, order_id, day, place, code, *refund_parts(refunded, total, net, shipping, tax),
                               kind="refund", rows=0, undated=True)
        elif status == "refunded":
            raise InputError("is refunded but its refund_items and refunded_total are empty: the refund cannot be "
                             "read; export the order again with them", source.where(line, status_column, values))


#: A refund's amount as the plugins write it inside ``refund_items``: with a decimal point, never grouped.
_POINT_DECIMAL = re.compile(r"-?[0-9]+\.[0-9]{1,2}\Z")


def _refund_amount(text: str, source: Source, where: Location, code: str) -> Decimal:
    """A refund's amount within ``refund_items``. The plugins write it with a decimal point (``amount:55.00``), and a
    spreadsheet that rewrites the file's amount columns with decimal commas (a German Excel: ``110,00``) leaves it
    so: to the spreadsheet the cell is text. Under ``--decimal-comma``, given for those columns, such an amount
    (one or two places after the point, which no thousands grouping writes) is read with its point; any other
    is read as the file's amounts are."""
    if source.options.decimal_comma and _POINT_DECIMAL.match(text):
        return parse_amount(text, where, False, code)
    return source.amount_in(text, where, code)


def _status(text: str) -> str:
    """WooCommerce's status slug for ``text``, written as a slug (``on-hold``, ``wc-on-hold``) or as the screens
    label it (``On hold``, ``Pending payment``)."""
    status = status_key(text)
    return LABELS.get(status, status)


def _advanced(source: Source) -> Iterator:
    """The orders of an Advanced Order Export file (its default columns; see the module's docstring)."""
    source.require(ADVANCED_REQUIRED)
    if "Currency" not in source.header and not source.options.currency:
        raise InputError("is a WooCommerce Advanced Order Export without a 'Currency' column (the plugin leaves it out "
                         "unless it is chosen): give the store's currency with --currency, or export the Currency "
                         "column too", Location(source.path, source.header_line))
    statuses = source.statuses("WooCommerce", "Order Status", SALES, NOT_SALES)
    for group in source.groups("Order Number"):
        yield from source.guarded(group, _advanced_order, source, group, statuses)
    statuses.say(source.notes)


def _advanced_order(source: Source, group: list[Row], statuses: Statuses) -> Iterator:
    source.refuse_unnamed(group, "Order Number", ("Order Total Amount",))
    line, values = group[0]
    order_id = source.cell(values, "Order Number")
    written = source.cell(values, "Order Status")
    status = _status(written)
    reason = statuses.left_out(status, written)
    if reason is not None:
        yield source.left_out(group, reason)
        return
    code = source.currency(values, line, "Currency")
    total = source.money(values, line, "Order Total Amount", code, required=True)
    _refuse_refund_rows(source, group, code, total)
    day = source.day(values, line, "Order Date")
    side = "Shipping" if source.cell(values, "Country Code (Shipping)") else "Billing"
    place = source.place(line, (f"Country Code ({side})", source.cell(values, f"Country Code ({side})")),
                         (f"State Code ({side})", source.cell(values, f"State Code ({side})")))
    tax = source.money(values, line, "Order Total Tax Amount", code)
    shipping = source.money(values, line, "Order Shipping Amount", code)
    net = total - tax  # fees and shipping count with the sale; discounts are already off the total
    yield source.order(group, order_id, day, place, code, net, shipping, tax)
    refunded = source.refunded(values, line, "Order Refund Amount", code)
    if refunded:
        yield source.order(group, order_id, day, place, code, *refund_parts(refunded, total, net, shipping, tax),
                           kind="refund", rows=0, undated=True)
    elif status == "refunded":
        raise InputError("is Refunded but its Order Refund Amount is empty: the refund cannot be read; export the "
                         "order again with it", source.where(line, "Order Status", values))
    statuses.counted(status, written, code, net)


def _refuse_refund_rows(source: Source, group: list[Row], code: str, total: Decimal) -> None:
    """Stop at a row of ``group`` that is a refund the plugin exported as a row of its own ("export refunds": a
    negative total, the order's number), whose amount is also in its order's Order Refund Amount: read as more of
    the order, or counted, it would be lost or taken off twice. The order's other rows repeat its total, or leave it
    empty."""
    for line, values in group:
        amount = source.money(values, line, "Order Total Amount", code)
        if amount < 0 or (amount and amount != total):
            raise InputError("is negative or not the order's total: a refund exported as a row of its own (the "
                             "plugin's 'export refunds'), whose amount is also in its order's Order Refund Amount; "
                             "export without refunds", source.where(line, "Order Total Amount", values))


def _refund_items(text: str, source: Source, line: int, code: str, column: str) -> list[tuple[Decimal, date]]:
    """Each refund listed in ``column`` (:data:`REFUND_COLUMNS`): its amount (tax included, in the order's currency
    ``code``) and its date."""
    found = []
    for item in _NEXT_REFUND.split(text):
        fields: dict[str, str] = {}
        for part in _FIELD.split(item):
            key, colon, value = part.partition(":")
            if colon:
                unescaped = _ESCAPED.sub(r"\1", value) if "\\" in value else value  # most have nothing escaped
                fields.setdefault(key.strip().lower(), unescaped.strip())
        if not any(fields.get(key) for key in ("amount", "date")):
            continue
        where = Location(source.path, line, column, item.strip())
        if not fields.get("amount") or not fields.get("date"):
            raise InputError("has a refund without its amount or its date", where)
        amount = _refund_amount(fields["amount"], source, where, code)
        found.append((abs(amount), source.day_of(fields["date"], line, column)))
    return found
