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

Each row names its ``sku`` and ``product-name``. The report lists items that
Amazon or the seller ships to the buyer's address: that is the platform's
signal, and its lines are goods unless the products file or a tax code says
otherwise (nexus.categories).

More information: https://sellercentral.amazon.com/gp/help/external/200547170
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Iterator, Sequence

from nexus.categories import LINE_CATEGORIES, SOURCES, Signal
from nexus.errors import InputError
from nexus.exports.base import Item, Row, Source, looks_like
from nexus.orders import ZERO, SkuLine

NAME = "amazon"
TITLE = "an Amazon All Orders report"
DOCS = "https://sellercentral.amazon.com/gp/help/external/200547170"
MARKETPLACE = True
PAYMENTS = False
#: A marketplace takes its own payments: no payment provider's export holds its orders.
PAYMENT_COLUMNS: tuple[str, ...] = ()
DATE_COLUMNS = ("purchase-date",)
#: Amazon's reports are tab-separated and never quote: a product name's ``8"`` (inches) or an opening quote
#: it never closes is text, not the start of a field running on into the rows after it.
QUOTES = False
SIGNATURE = ("amazon-order-id", "purchase-date", "item-price", "ship-country")
REQUIRED = ("amazon-order-id", "purchase-date", "order-status", "item-status", "currency", "item-price", "item-tax",
            "shipping-price", "shipping-tax", "item-promotion-discount", "ship-promotion-discount", "ship-state",
            "ship-country", "sales-channel")


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE)


def read(source: Source) -> Iterator:
    source.require(REQUIRED)
    row = _Row(source)
    for group in source.groups("amazon-order-id"):
        yield from source.guarded(group, _order, source, group, row)


#: Statuses of an order or item that Amazon writes for a sale, lower-cased: those of the All Orders report
#: (Pending, Shipped, Shipping, Unshipped) and the delivery stages its reports write beside them ("Shipped -
#: Delivered to Buyer"). A lost or damaged parcel stays a sale: its refund, if any, is in another report.
SOLD = frozenset({
    "pending", "pending - waiting for pick up", "unshipped", "partiallyshipped", "partially shipped", "shipping",
    "shipped", "shipped - delivered to buyer", "shipped - picked up", "shipped - out for delivery",
    "shipped - lost in transit", "shipped - damaged"})
#: Statuses that leave the row out, with why: cancelled, and a parcel coming back undelivered (no sale was made).
NOT_SOLD = {
    "cancelled": "cancelled", "canceled": "cancelled",
    "shipped - returned to seller": "returned to the seller undelivered",
    "shipped - returning to seller": "returning to the seller undelivered",
    "shipped - rejected by buyer": "rejected by the buyer on delivery",
}


class _Row:
    """How one file's rows are read: the columns every row is asked for, found once, and what each spelling of a
    row's two statuses means, decided once (a file has a handful)."""

    def __init__(self, source: Source):
        self.cells = source.picker("order-status", "item-status", "sales-channel", "currency", "purchase-date",
                                   "ship-country", "ship-state", "sku", "product-name")
        self.vat_exclusive = "vat-exclusive-item-price" in source.header
        self.amounts = source.money_picker(*_PRICES, *_DISCOUNTS, *_TAXES)
        self.vat_amounts = source.money_picker(*_VAT_EXCLUSIVE, *_DISCOUNTS, *_TAXES) if self.vat_exclusive else None
        self.statuses: dict[tuple[str, str], tuple[str, str]] = {}

    def status(self, order_status: str, item_status: str) -> tuple[str, str]:
        """What a row's statuses say: ``("gone", why)`` (left out), ``("unknown", column)`` (a status nexus does
        not know, in that column) or ``("sold", order status)``, lower-cased."""
        key = (order_status, item_status)
        found = self.statuses.get(key)
        if found is None:
            found = self.statuses[key] = _status(order_status.lower(), item_status.lower())
        return found


def _status(order_status: str, item_status: str) -> tuple[str, str]:
    statuses = (("order-status", order_status), ("item-status", item_status))
    gone = next((NOT_SOLD[s] for _column, s in statuses if s in NOT_SOLD), None)
    if gone is not None:
        return "gone", gone
    for column, written in statuses:
        if written and written not in SOLD:
            return "unknown", column
    return "sold", order_status


def _order(source: Source, group: list[Row], row: _Row) -> Iterator:
    order_id = source.cell(group[0][1], "amazon-order-id")
    parts: dict[tuple[str, str], tuple[list, date, list]] = {}  # (place, currency) -> (rows, first day, items)
    for line, values in group:
        order_status, item_status, channel, currency, day_text, country, state, sku, name = row.cells(values)
        verdict, said = row.status(order_status, item_status)
        if verdict == "gone":
            yield source.left_out([(line, values)], f"{said} (order-status or item-status)")
            continue
        if verdict == "unknown":
            raise InputError("is not an Amazon order or item status nexus knows, so it cannot tell whether the "
                             "row is a sale and does not guess (docs/input-formats.md lists those it reads): "
                             "--skip-bad-rows leaves the row out and lists it", source.where(line, said, values))
        if channel.lower() == "non-amazon":
            yield source.left_out([(line, values)], "not an Amazon sale: a Multi-Channel Fulfillment shipment of "
                                                    "an order sold elsewhere (sales-channel Non-Amazon)")
            continue
        if said == "pending" and not source.cell(values, "item-price"):
            yield source.left_out([(line, values)], "pending: Amazon gives no price until it has the payment")
            continue
        code = source.currency_of(currency, line, "currency")
        day = source.day_written(day_text, line, "purchase-date")
        place = source.place(line, ("ship-country", country), ("ship-state", state))
        net, shipping, tax = _amounts(source, values, line, code, row)
        part = parts.get((place, code))
        if part is None:
            part = parts[(place, code)] = ([], day, [])
        part[0].append((line, values))
        part[2].append((source.item(line, values, sku, name, net, True, SHIPPED), net, shipping, tax))
    split = len(parts) > 1  # items of one order shipped to several places: one order per place
    for (place, code), (rows, day, items) in parts.items():
        yield from _by_category(source, rows, items, order_id, day, place, code, place if split else "")


#: The report's own signal (nexus.categories): every row is an item shipped to the buyer.
SHIPPED = Signal("goods", "Amazon All Orders rows (items shipped to the buyer)")


def _by_category(source: Source, rows: list[Row], items: list[tuple[Item, Decimal, Decimal, Decimal]],
                 order_id: str, day, place: str, code: str, part: str) -> Iterator:
    """The items of one order shipped to one place, one record per category (and source): each row already
    carries its own amounts, so nothing is apportioned; the first record counts the order's transaction."""
    groups: dict[tuple[str, str], list[tuple[Item, Decimal, Decimal, Decimal]]] = {}
    for entry in items:
        groups.setdefault((entry[0].category, entry[0].source), []).append(entry)
    keys = list(groups) if len(groups) == 1 else sorted(  # one category, as most orders are: nothing to sort
        groups, key=lambda k: (LINE_CATEGORIES.index(k[0]), SOURCES.index(k[1])))
    for i, key in enumerate(keys):
        members = groups[key]
        own = rows
        if len(keys) > 1:
            lines = {it.line for it, *_ in members}
            own = [(n, v) for n, v in rows if n in lines]
        net, shipping, tax = ZERO, ZERO, ZERO
        for _item, item_net, item_shipping, item_tax in members:
            net, shipping, tax = net + item_net, shipping + item_shipping, tax + item_tax
        skus = tuple(SkuLine(it.sku, it.name, amount, key[0], key[1], it.line) for it, amount, _s, _t in members) \
            if source.options.collect_skus else ()
        label = part if len(keys) == 1 else f"{part}{'|' if part else ''}{key[0]}|{key[1]}"
        yield source.order(own, order_id, day, place, code, net, shipping, tax, part=label, category=key,
                           transactions=1 if i == 0 else 0, skus=skus)


#: An item's prices (item, shipping, gift wrap), its promotions, and its taxes, as the report names them; where it
#: has them (marketplaces whose prices include VAT), its prices without VAT.
_PRICES = ("item-price", "shipping-price", "gift-wrap-price")
_VAT_EXCLUSIVE = ("vat-exclusive-item-price", "vat-exclusive-shipping-price", "vat-exclusive-giftwrap-price")
_DISCOUNTS = ("item-promotion-discount", "ship-promotion-discount")
_TAXES = ("item-tax", "shipping-tax", "gift-wrap-tax")


def _amounts(source: Source, values: Sequence[object], line: int, code: str,
             row: _Row) -> tuple[Decimal, Decimal, Decimal]:
    """An item's net sale (shipping and gift wrap included, promotions taken off), its shipping, and its tax."""
    if row.vat_amounts is not None and source.cell(values, "vat-exclusive-item-price") != "":
        item, shipping, wrap, item_off, ship_off, item_tax, ship_tax, wrap_tax = row.vat_amounts(values, line, code)
    else:
        item, shipping, wrap, item_off, ship_off, item_tax, ship_tax, wrap_tax = row.amounts(values, line, code)
    item -= abs(item_off)
    shipping -= abs(ship_off)
    tax = item_tax + ship_tax + wrap_tax
    return item + shipping + wrap, shipping, tax
