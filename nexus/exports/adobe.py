"""Adobe Commerce (Magento 2) order grid export (Sales > Orders > Export > CSV).

One row per order, with the grid's columns as the admin shows them. The
addresses are one text each, ``street, city, region, postcode`` (Magento's
grid joins them so, without the country), so nexus places an order by its
region: a US state or a Canadian province, by name or code. An address whose
region is neither, or whose postcode is not that country's (``Perth, WA,
6000`` is Western Australia, not Washington), cannot be placed: that row is
an error naming it (with ``--skip-bad-rows``, skipped and listed). The grid has no tax and no discount
column: nexus counts ``Subtotal`` + ``Shipping and Handling`` (before
discounts, without tax) when the grid shows both, else ``Grand Total (Base)``
(tax included), and carries no tax charged. Amounts are in the store's base
currency, which the grid does not name: give it with ``--currency``. ``Total
Refunded`` is the running total refunded (in the purchase currency, turned to
the base currency at the order's own rate), without a date. ``Status``
``Canceled`` and ``Pending Payment`` are not sales (written as the grid labels
them, or as their codes, ``canceled`` and ``pending_payment``, as some versions
export them); ``Closed`` is an order a credit memo refunded, which needs the
``Total Refunded`` column to be read; Adobe Commerce's other statuses (``Pending``,
``Processing``, ``Complete``, ``On Hold``, ``Suspected Fraud``, ``Payment Review``)
are sales. A status the store created (Adobe Commerce lets it add its own) is
counted as a sale and said, with its orders and amounts, unless
``--order-status`` reads it (:mod:`nexus.exports.statuses`).

More information: https://experienceleague.adobe.com/en/docs/commerce-admin/stores-sales/order-management/orders/orders
"""
from __future__ import annotations

import re
from typing import Iterator, Sequence

from nexus.errors import InputError, Location
from nexus import places
from nexus.exports.addresses import postcode_fits, subdivision_anywhere
from nexus.exports.base import Row, Source, looks_like, refund_parts
from nexus.exports.statuses import Statuses, status_key
from nexus.orders import ZERO

NAME = "adobe"
TITLE = "an Adobe Commerce order grid export"
DOCS = "https://experienceleague.adobe.com/en/docs/commerce-admin/stores-sales/order-management/orders/orders"
MARKETPLACE = False
PAYMENTS = False
#: The order grid names no payment id: nothing to match a payment provider's export by.
PAYMENT_COLUMNS: tuple[str, ...] = ()
DATE_COLUMNS = ("Purchase Date",)
SIGNATURE = ("ID", "Purchase Point", "Purchase Date", "Grand Total (Base)", "Grand Total (Purchased)")
REQUIRED = ("ID", "Purchase Date", "Status", "Grand Total (Base)", "Grand Total (Purchased)",
            "Shipping Address|Billing Address")
#: Adobe Commerce's own order statuses (its Order Status page), by label and by code, as :func:`status_key` writes
#: them: those that are not sales, with why, and those that are.
NOT_SALES = {"canceled": "canceled", "cancelled": "canceled", "pending-payment": "pending payment (not paid)"}
SALES = frozenset({"pending", "processing", "complete", "closed", "on-hold", "holded", "suspected-fraud", "fraud",
                   "payment-review"})


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE)


def read(source: Source) -> Iterator:
    source.require(REQUIRED)
    if not source.options.currency:
        raise InputError("is an Adobe Commerce order grid export, which does not name its currency: give the store's "
                         "base currency with --currency", Location(source.path, source.header_line))
    statuses = source.statuses("Adobe Commerce", "Status", SALES, NOT_SALES)
    for group in source.groups("ID", blank_continues=False):
        yield from source.guarded(group, _order, source, group, statuses)
    statuses.say(source.notes)


#: The postcodes of the two countries the grid's regions are placed in: a region code other countries also use
#: (Australia's ``WA`` and ``NT``, Mexico's ``BC``) is a US state or Canadian province only with the country's own.
POSTCODES = {"US": re.compile(r"\d{5}(-\d{4})?\Z"), "CA": re.compile(r"[A-Za-z]\d[A-Za-z] ?\d[A-Za-z]\d\Z")}


def place_of(text: str) -> str | None:
    """The US state or Canadian province of a grid address, ``street, city, region, postcode``, or None: the
    region before a postcode counts only where the postcode is that country's and one of the region's own (the
    grid names no country: ``Milano, MI, 20121`` is in Italy, and 20121 no Michigan ZIP Code)."""
    return _placed(text)[0]


def _placed(text: str) -> tuple[str | None, str]:
    """:func:`place_of`'s answer, and where a region was read before a postcode not its own, why not."""
    parts = [p.strip() for p in text.split(",")]
    region = subdivision_anywhere(parts[-2]) if len(parts) >= 2 and parts[-2] else None
    postcode = POSTCODES.get(region[:2]) if region else None
    if region and postcode and postcode.match(parts[-1]):
        if postcode_fits(region, parts[-1]):
            return region, ""
        return None, (f"{parts[-2]!r} would be {places.name(region)}, but {parts[-1]} is not one of its postcodes "
                      f"(data/postal-areas.csv): an address abroad whose region has the same code, or one of the two "
                      f"mistyped")
    # An address without a postcode ends with its region.
    return (subdivision_anywhere(parts[-1]) if parts[-1] else None), ""


#: Adobe Commerce numbers orders with its default pattern ``%s%'.09d%s`` (Magento\SalesSequence\Model\Sequence::
#: DEFAULT_PATTERN): a store prefix, the number padded to nine digits, a suffix. The grid's ``ID`` is that number.
ID_DIGITS = 9


def order_number(written: str) -> str:
    """The grid's ``ID`` as Adobe Commerce writes it: a number of digits only shorter than nine got there through a
    spreadsheet, which saved ``000000001`` as ``1`` (or kept it as the number 1), and is read with its zeros put
    back, so that the order is one order beside an export that was not opened in a spreadsheet. Any other id
    (a prefix, a suffix, nine digits or more) is read as written."""
    return written.zfill(ID_DIGITS) if written.isascii() and written.isdigit() else written


def _order(source: Source, group: list[Row], statuses: Statuses) -> Iterator:
    line, values = group[0]
    order_id = order_number(source.order_id(values, line, "ID"))
    # The grid's export writes the status as the grid labels it (Pending Payment) or, in some versions, as its code
    # (pending_payment): read alike.
    written = source.cell(values, "Status")
    status = status_key(written)
    reason = statuses.left_out(status, written)
    if reason is not None:
        yield source.left_out(group, reason)
        return
    if status == "closed" and "Total Refunded" not in source.header:
        raise InputError("is Closed (refunded by a credit memo) but the export has no 'Total Refunded' column to say "
                         "how much: show it in the grid's Columns menu and export again",
                         source.where(line, "Status", values))
    code = source.options.currency or ""
    day = source.day(values, line, "Purchase Date")
    column = "Shipping Address" if source.cell(values, "Shipping Address") else "Billing Address"
    address = source.cell(values, column)
    place, why = _placed(address)
    if place is None:
        raise InputError("could not be placed: the order grid gives no country, and nexus places its addresses by "
                         f"their region, a US state or a Canadian province{'; ' + why if why else ''}",
                         Location(source.path, line, column, address))
    total = source.money(values, line, "Grand Total (Base)", code, required=True)
    shipping = source.money(values, line, "Shipping and Handling", code)
    # The Subtotal is before shipping: it is the sale only with the shipping column beside it.
    if source.cell(values, "Subtotal") and "Shipping and Handling" in source.header:
        net = source.money(values, line, "Subtotal", code) + shipping
    else:
        net = total
    yield source.order(group, order_id, day, place, code, net, shipping, ZERO)
    # Total Refunded is in the purchase currency, written with its own mark (€20.00 in a USD store).
    refunded = abs(source.money_in_its_own(values, line, "Total Refunded"))
    if status == "closed" and not refunded:
        raise InputError("is Closed (refunded by a credit memo) but its Total Refunded is empty: the refund cannot be "
                         "read; export the grid again with it", source.where(line, "Status", values))
    if refunded:
        purchased = source.money_in_its_own(values, line, "Grand Total (Purchased)")
        if purchased and purchased != total:
            refunded = refunded * total / purchased  # the purchase currency, at the order's own rate
        yield source.order(group, order_id, day, place, code, *refund_parts(refunded, total, net, shipping, ZERO),
                           kind="refund", rows=0, undated=True)
    statuses.counted(status, written, code, net)
