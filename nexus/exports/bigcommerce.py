"""BigCommerce's orders export, in its default template (Orders > Export > Default).

One row per order, its items in one ``Product Details`` text. ``Order Total
(ex tax)`` is the order without tax (items after discounts, shipping and
handling); ``Tax Total`` the tax charged; ``Shipping Cost (ex tax)`` and
``Handling Cost (ex tax)`` the shipping and handling charged. ``Refund
Amount`` is the running total refunded (tax included), without a date.
Dates are written as the store is set up (``24/12/2025`` is common, or
month-first): nexus reads the file's slash dates day-first or month-first as
they show. Countries and states are written as names (``United States``,
``California``). ``Order Status`` ``Cancelled``, ``Declined`` and ``Incomplete``,
``Pending`` (checkout started, not completed) and ``Awaiting Payment``
(checkout completed, payment not yet confirmed), are not sales; a ``Refunded`` or
``Partially Refunded`` order whose ``Refund Amount`` is empty or zero is an error
(its refund cannot be read); BigCommerce's other statuses are sales. A status
BigCommerce does not define (a label the store renamed, an app's own) is counted
as a sale and said, with its orders and amounts, unless ``--order-status`` reads
it (:mod:`nexus.exports.statuses`). ``Order Date`` may also be written ``Mar 13th 2026``.

More information: https://support.bigcommerce.com/s/article/Exporting-Orders
"""
from __future__ import annotations

from typing import Iterator, Sequence

from nexus.errors import InputError
from nexus.exports.base import Row, Source, looks_like, refund_parts
from nexus.exports.statuses import Statuses, status_key

NAME = "bigcommerce"
TITLE = "a BigCommerce orders export"
DOCS = "https://support.bigcommerce.com/s/article/Exporting-Orders"
MARKETPLACE = False
PAYMENTS = False
#: The default template names no payment id: nothing to match a payment provider's export by.
PAYMENT_COLUMNS: tuple[str, ...] = ()
DATE_COLUMNS = ("Order Date",)
SIGNATURE = ("Order ID", "Order Status", "Order Total (inc tax)", "Order Total (ex tax)", "Order Currency Code")
REQUIRED = ("Order ID", "Order Date", "Order Status", "Tax Total", "Shipping Cost (ex tax)", "Handling Cost (ex tax)",
            "Order Total (inc tax)", "Order Total (ex tax)", "Order Currency Code", "Billing State", "Billing Country",
            "Shipping State", "Shipping Country", "Refund Amount")
#: BigCommerce's own order statuses (its help's Order Statuses page), as :func:`status_key` writes them: those that
#: are not sales, with why, and those that are.
NOT_SALES = {"cancelled": "cancelled", "declined": "declined (payment refused)",
             "incomplete": "incomplete (checkout not completed)", "pending": "pending (checkout not completed)",
             "awaiting-payment": "awaiting payment (not paid)"}
SALES = frozenset({"awaiting-fulfillment", "awaiting-shipment", "awaiting-pickup", "partially-shipped", "shipped",
                   "completed", "refunded", "partially-refunded", "disputed", "manual-verification-required"})


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE)


def read(source: Source) -> Iterator:
    source.require(REQUIRED)
    statuses = source.statuses("BigCommerce", "Order Status", SALES, NOT_SALES)
    for group in source.groups("Order ID", blank_continues=False):
        yield from source.guarded(group, _order, source, group, statuses)
    statuses.say(source.notes)


def _order(source: Source, group: list[Row], statuses: Statuses) -> Iterator:
    line, values = group[0]
    order_id = source.order_id(values, line, "Order ID")
    written = source.cell(values, "Order Status")
    status = status_key(written)
    reason = statuses.left_out(status, written)
    if reason is not None:
        yield source.left_out(group, reason)
        return
    code = source.currency(values, line, "Order Currency Code")
    day = source.day(values, line, "Order Date")
    side = "Shipping" if source.cell(values, "Shipping Country") else "Billing"
    place = source.place(line, (f"{side} Country", source.cell(values, f"{side} Country")),
                         (f"{side} State", source.cell(values, f"{side} State")))
    net = source.money(values, line, "Order Total (ex tax)", code, required=True)
    total = source.money(values, line, "Order Total (inc tax)", code, required=True)
    tax = source.money(values, line, "Tax Total", code)
    shipping = source.money(values, line, "Shipping Cost (ex tax)", code) + \
        source.money(values, line, "Handling Cost (ex tax)", code)
    yield source.order(group, order_id, day, place, code, net, shipping, tax)
    refunded = source.refunded(values, line, "Refund Amount", code)
    if refunded:
        yield source.order(group, order_id, day, place, code, *refund_parts(refunded, total, net, shipping, tax),
                           kind="refund", rows=0, undated=True)
    elif status in ("refunded", "partially-refunded"):
        raise InputError(f"is {source.cell(values, 'Order Status')} but its Refund Amount is empty or zero: how much "
                         "went back cannot be read; export the order again, or correct its status",
                         source.where(line, "Order Status", values))
    statuses.counted(status, written, code, net)
