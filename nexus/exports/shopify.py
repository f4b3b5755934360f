"""Shopify's orders export (Orders > Export, "orders_export.csv").

One row per line item; the order's own columns (totals, currency, addresses,
status) are filled on the first row of the order only, and the line-item rows
after it repeat the order's ``Name``. ``Total`` is what the customer paid,
taxes included; ``Taxes`` the tax charged; ``Shipping`` the shipping charged;
``Subtotal`` the line items after discounts. ``Refunded Amount`` is the
running total refunded (tax and shipping included), without a date;
``Cancelled at`` marks a cancelled order; ``Financial Status`` ``voided`` a
voided one. The billing address stands in when the shipping address is empty
(digital goods, pick-up).

More information: https://help.shopify.com/en/manual/orders/export-orders
"""
from __future__ import annotations

from typing import Iterator, Sequence

from nexus.exports.base import Row, Source, looks_like, refund_parts

NAME = "shopify"
TITLE = "a Shopify orders export"
DOCS = "https://help.shopify.com/en/manual/orders/export-orders"
MARKETPLACE = False
DATE_COLUMNS = ("Created at",)
#: Columns only Shopify's export writes together.
SIGNATURE = ("Name", "Financial Status", "Lineitem quantity", "Lineitem name")
#: Columns Shopify always writes and nexus reads: a file without one is not read as Shopify's.
REQUIRED = ("Name", "Financial Status", "Created at", "Currency", "Shipping", "Taxes", "Total",
            "Shipping Country", "Shipping Province", "Billing Country", "Billing Province", "Cancelled at",
            "Refunded Amount")
#: Shopify's test gateway ("Bogus Gateway"): orders paid through it are test orders.
TEST_GATEWAYS = ("bogus",)


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE)


def read(source: Source) -> Iterator:
    source.require(REQUIRED)
    for group in source.groups("Name"):
        yield from source.guarded(group, _order, source, group)


def _order(source: Source, group: list[Row]) -> Iterator:
    # The order's own columns are on the row that has them: the first, as Shopify writes it.
    line, values = next(((n, v) for n, v in group if source.cell(v, "Financial Status") or source.cell(v, "Total")),
                        group[0])
    name = source.cell(values, "Name")
    if source.cell(values, "Cancelled at"):
        yield source.left_out(group, f"cancelled on {source.cell(values, 'Cancelled at')}")
        return
    status = source.cell(values, "Financial Status").lower()
    if status == "voided":
        yield source.left_out(group, "voided (Financial Status)")
        return
    if source.cell(values, "Payment Method").lower() in TEST_GATEWAYS:
        yield source.left_out(group, "a test order (paid through Shopify's Bogus Gateway)")
        return
    code = source.currency(values, line, "Currency")
    day = source.day(values, line, "Created at")
    if source.cell(values, "Shipping Country"):
        place = source.place(line, ("Shipping Country", source.cell(values, "Shipping Country")),
                             ("Shipping Province", source.cell(values, "Shipping Province")))
    else:  # nothing shipped: the billing address is where the customer is
        place = source.place(line, ("Billing Country", source.cell(values, "Billing Country")),
                             ("Billing Province", source.cell(values, "Billing Province")))
    total = source.money(values, line, "Total", code, required=True)
    taxes = source.money(values, line, "Taxes", code)
    shipping = source.money(values, line, "Shipping", code)
    net = total - taxes  # tax-exclusive or tax-inclusive prices alike: the total less the tax in it
    yield source.order(group, name, day, place, code, net, shipping, taxes)
    refunded = source.money(values, line, "Refunded Amount", code)
    if refunded:
        amount, ship_back, tax_back = refund_parts(refunded, total, net, shipping, taxes)
        yield source.order(group, name, day, place, code, amount, ship_back, tax_back, kind="refund", rows=0,
                           undated=True)
