"""WooCommerce order exports: the order-export layout, and the Analytics orders download.

**Order export** (the layout of WooCommerce's Customer / Order / Coupon Export
extension and of the widely used Order Export & Import plugins: one row per
order, or per item with the order's columns repeated). ``order_total`` is what
the customer paid; ``tax_total`` the tax charged (shipping tax included);
``shipping_total`` the shipping charged, before tax. Refunds are either dated,
in ``refund_items`` (``amount:12.00|reason:...|date:2025-03-04 10:00:00``,
several joined by ``;``), or a running total without a date,
``refunded_total``. ``status`` ``cancelled``, ``failed``, ``pending`` (not paid),
``on-hold`` (awaiting payment), ``checkout-draft`` and ``trash`` are not sales
(the screens' labels, ``Pending payment``, ``On hold``, ``Draft``, alike); a
``refunded`` order whose refund columns are missing or empty is an error (its
refund cannot be read). The
shipping address, else the billing address, is where the sale is made.

**Analytics > Orders download** (``Date``, ``Order #``, ``Status``, ``Customer``,
``Customer type``, ``Product(s)``, ``Items sold``, ``Coupon(s)``, ``Net sales``):
it carries no address, so nexus cannot tell where its sales were made; it is
recognised and refused with that reason.

More information: https://woocommerce.com/products/ordercustomer-csv-export/ and
https://woocommerce.com/document/woocommerce-analytics/
"""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Iterator, Sequence

from nexus.errors import InputError, Location
from nexus.exports.base import Row, Source, looks_like, refund_parts
from nexus.money import parse_amount

NAME = "woocommerce"
TITLE = "a WooCommerce order export"
DOCS = "https://woocommerce.com/products/ordercustomer-csv-export/"
ANALYTICS_DOCS = "https://woocommerce.com/document/woocommerce-analytics/"
MARKETPLACE = False
DATE_COLUMNS = ("order_date",)
SIGNATURE = ("order_id", "order_date", "status", "shipping_total", "tax_total", "discount_total", "order_total")
ANALYTICS = ("Date", "Order #", "Status", "Customer type", "Product(s)", "Items sold", "Net sales")
REQUIRED = ("order_id|order_number", "order_date", "status", "shipping_total", "tax_total", "order_total",
            "order_currency", "shipping_country", "shipping_state", "billing_country", "billing_state")
#: Order statuses that are not sales (WooCommerce's own, with or without their ``wc-`` prefix).
NOT_SALES = {"cancelled": "cancelled", "failed": "failed (payment failed or declined)",
             "pending": "pending payment (not paid)", "checkout-draft": "a checkout draft (never placed)",
             "trash": "in the trash", "on-hold": "on hold (awaiting payment, not paid)"}
#: The statuses as WooCommerce's screens name them, which some order-export plugins write instead of the slug
#: (lower case, spaces as hyphens): "Pending payment", "On hold", "Draft".
LABELS = {"pending-payment": "pending", "draft": "checkout-draft"}
_REFUND = re.compile(r"(?:^|\|)\s*(amount|date)\s*:\s*([^|]*)")


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE) or looks_like(header, ANALYTICS)


def read(source: Source) -> Iterator:
    if source.header.has_all(ANALYTICS) and "shipping_country" not in source.header:
        raise InputError("looks like a WooCommerce Analytics orders download, which has no address: nexus cannot "
                         "tell where its sales were made; export the orders with their billing and shipping "
                         "addresses instead (WooCommerce's order export)", Location(source.path, source.header_line))
    source.require(REQUIRED)
    id_column = source.header.first("order_number", "order_id") or "order_id"
    for group in source.groups(id_column):
        yield from source.guarded(group, _order, source, group, id_column)


def _order(source: Source, group: list[Row], id_column: str) -> Iterator:
    source.refuse_unnamed(group, id_column, ("order_total",))
    line, values = group[0]
    order_id = source.cell(values, id_column)
    status = source.cell(values, "status").lower().removeprefix("wc-").replace(" ", "-")
    status = LABELS.get(status, status)
    if status in NOT_SALES:
        yield source.left_out(group, f"{NOT_SALES[status]} (status {source.cell(values, 'status')})")
        return
    if status == "refunded" and "refund_items" not in source.header and "refunded_total" not in source.header:
        raise InputError("is refunded but the export has no 'refund_items' or 'refunded_total' column to say how "
                         "much: add one to the export and download it again", source.where(line, "status", values))
    code = source.currency(values, line, "order_currency")
    day = source.day(values, line, "order_date")
    side = "shipping" if source.cell(values, "shipping_country") else "billing"
    place = source.place(line, (f"{side}_country", source.cell(values, f"{side}_country")),
                         (f"{side}_state", source.cell(values, f"{side}_state")))
    total = source.money(values, line, "order_total", code, required=True)
    tax = source.money(values, line, "tax_total", code)
    shipping = source.money(values, line, "shipping_total", code)
    net = total - tax  # fees and shipping count with the sale; discounts are already off the total
    yield source.order(group, order_id, day, place, code, net, shipping, tax)
    refunds = source.cell(values, "refund_items")
    if refunds:
        # Each refund is told apart by its place in the list: two refunds of one amount on one day are two.
        for number, (refunded, on) in enumerate(_refund_items(refunds, source, line, code), start=1):
            yield source.order(group, order_id, on, place, code, *refund_parts(refunded, total, net, shipping, tax),
                               kind="refund", rows=0, part=f"refund {number}")
    else:
        refunded = source.refunded(values, line, "refunded_total", code)
        if refunded:
            yield source.order(group, order_id, day, place, code, *refund_parts(refunded, total, net, shipping, tax),
                               kind="refund", rows=0, undated=True)
        elif status == "refunded":
            raise InputError("is refunded but its refund_items and refunded_total are empty: the refund cannot be "
                             "read; export the order again with them", source.where(line, "status", values))


def _refund_items(text: str, source: Source, line: int, code: str) -> list[tuple[Decimal, date]]:
    """Each refund of ``refund_items``: its amount (tax included, in the order's currency ``code``) and its
    date."""
    found = []
    for item in text.split(";"):
        fields = {key.lower(): value.strip() for key, value in _REFUND.findall(item)}
        if not fields:
            continue
        where = Location(source.path, line, "refund_items", item.strip())
        if "amount" not in fields or "date" not in fields:
            raise InputError("has a refund without its amount or its date", where)
        found.append((abs(parse_amount(fields["amount"], where, source.options.decimal_comma, code)),
                      source.day_of(fields["date"], line, "refund_items")))
    return found
