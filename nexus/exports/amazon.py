"""Amazon Seller Central's "All Orders" report (Reports > Fulfillment > All Orders; a tab-separated file).

One row per item of an order (the rows of one order follow each other and
share ``amazon-order-id``). ``item-price`` is the line's price, quantity
included; ``shipping-price`` and ``gift-wrap-price`` the charges for it;
``item-promotion-discount`` and ``ship-promotion-discount`` the promotions,
read as reductions whatever their sign; ``item-tax``, ``shipping-tax`` and
``gift-wrap-tax`` the tax charged. Where the report has ``vat-exclusive-*``
prices (marketplaces whose prices include VAT), those are the net prices.
``order-status`` or ``item-status`` ``Cancelled`` marks a cancelled item;
``Pending`` orders carry no price until Amazon has the payment. Rows whose
``sales-channel`` is ``Non-Amazon`` are Multi-Channel Fulfillment shipments
of orders sold elsewhere, not Amazon sales. The report has no refunds.

Every Amazon sale is marketplace-facilitated: Amazon collects the tax where a
marketplace-facilitator law makes it (channel ``marketplace``).

More information: https://sellercentral.amazon.com/gp/help/external/200547170
"""
from __future__ import annotations

from decimal import Decimal
from typing import Iterator, Sequence

from nexus.exports.base import Row, Source, looks_like

NAME = "amazon"
TITLE = "an Amazon All Orders report"
DOCS = "https://sellercentral.amazon.com/gp/help/external/200547170"
MARKETPLACE = True
DATE_COLUMNS = ("purchase-date",)
SIGNATURE = ("amazon-order-id", "purchase-date", "item-price", "ship-country")
REQUIRED = ("amazon-order-id", "purchase-date", "order-status", "item-status", "currency", "item-price", "item-tax",
            "shipping-price", "shipping-tax", "item-promotion-discount", "ship-promotion-discount", "ship-state",
            "ship-country", "sales-channel")


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE)


def read(source: Source) -> Iterator:
    source.require(REQUIRED)
    for group in source.groups("amazon-order-id"):
        yield from source.guarded(group, _order, source, group)


def _order(source: Source, group: list[Row]) -> Iterator:
    order_id = source.cell(group[0][1], "amazon-order-id")
    parts: dict[tuple[str, str], list] = {}  # (place, currency) -> [rows, net, shipping, tax, first row]
    for line, values in group:
        status = source.cell(values, "order-status").lower()
        if status == "cancelled" or source.cell(values, "item-status").lower() == "cancelled":
            yield source.left_out([(line, values)], "cancelled (order-status or item-status)")
            continue
        if source.cell(values, "sales-channel").lower() == "non-amazon":
            yield source.left_out([(line, values)], "not an Amazon sale: a Multi-Channel Fulfillment shipment of "
                                                    "an order sold elsewhere (sales-channel Non-Amazon)")
            continue
        if status == "pending" and not source.cell(values, "item-price"):
            yield source.left_out([(line, values)], "pending: Amazon gives no price until it has the payment")
            continue
        code = source.currency(values, line, "currency")
        day = source.day(values, line, "purchase-date")
        place = source.place(line, ("ship-country", source.cell(values, "ship-country")),
                             ("ship-state", source.cell(values, "ship-state")))
        net, shipping, tax = _amounts(source, values, line, code)
        part = parts.setdefault((place, code), [[], Decimal(0), Decimal(0), Decimal(0), day])
        part[0].append((line, values))
        part[1] += net
        part[2] += shipping
        part[3] += tax
    split = len(parts) > 1  # items of one order shipped to several places: one order per place
    for (place, code), (rows, net, shipping, tax, day) in parts.items():
        yield source.order(rows, order_id, day, place, code, net, shipping, tax, part=place if split else "")


def _amounts(source: Source, values: Sequence[object], line: int, code: str) -> tuple[Decimal, Decimal, Decimal]:
    """An item's net sale (shipping and gift wrap included, promotions taken off), its shipping, and its tax."""
    def money(name: str) -> Decimal:
        return source.money(values, line, name, code)

    vat_exclusive = source.cell(values, "vat-exclusive-item-price") != ""
    item = money("vat-exclusive-item-price") if vat_exclusive else money("item-price")
    shipping = money("vat-exclusive-shipping-price") if vat_exclusive else money("shipping-price")
    wrap = money("vat-exclusive-giftwrap-price") if vat_exclusive else money("gift-wrap-price")
    item -= abs(money("item-promotion-discount"))
    shipping -= abs(money("ship-promotion-discount"))
    tax = money("item-tax") + money("shipping-tax") + money("gift-wrap-tax")
    return item + shipping + wrap, shipping, tax
