"""Etsy's "Sold Orders" CSV (Shop Manager > Settings > Options > Download Data > Orders).

One row per order. ``Order Value`` is the items' price before discounts;
``Discount Amount`` and ``Shipping Discount`` the discounts; ``Shipping`` the
shipping charged; ``Sales Tax`` the tax charged (collected by Etsy);
``Order Total`` what the buyer paid. ``Adjusted Order Total``, when filled, is
the order's total after refunds, without a date; a file that writes 0.00 there
for most of its orders writes it for orders never refunded (as public copies
of the file do), and is read so, saying it. ``Sale Date`` is written
month-first with a two-digit year (``12/31/24``); ``Ship Country`` and ``Ship
State`` are names or codes as the buyer gave them. Shops in some countries get
the same file with ``Delivery`` for ``Ship`` (``Delivery Country``,
``Delivery``).

Every Etsy sale is marketplace-facilitated (channel ``marketplace``).

More information: https://help.etsy.com/hc/en-us/articles/360000343508
"""
from __future__ import annotations

from typing import Iterator, Sequence

from nexus.exports.base import Row, Source, looks_like, refund_parts

NAME = "etsy"
TITLE = "an Etsy Sold Orders CSV"
DOCS = "https://help.etsy.com/hc/en-us/articles/360000343508"
MARKETPLACE = True
PAYMENTS = False
#: A marketplace takes its own payments: no payment provider's export holds its orders.
PAYMENT_COLUMNS: tuple[str, ...] = ()
DATE_COLUMNS = ("Sale Date",)
#: Etsy writes Sale Date month-first (12/31/24): a file whose dates all fall on the 1st to the 12th reads so.
DATE_ORDER = "month-first"
SIGNATURE = ("Sale Date", "Order ID", "Buyer User ID", "Order Value", "Order Net")
REQUIRED = ("Sale Date", "Order ID", "Currency", "Order Value", "Discount Amount",
            "Shipping Discount|Delivery Discount", "Shipping|Delivery", "Sales Tax", "Order Total",
            "Ship State|Delivery State", "Ship Country|Delivery Country", "Adjusted Order Total")


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE)


def read(source: Source) -> Iterator:
    source.require(REQUIRED)
    groups = list(source.groups("Order ID", blank_continues=False))  # one row an order: a shop's file is small
    # Etsy's help says Adjusted Order Total is the total after a refund; public copies of the file write 0.00 in
    # it (and in the other Adjusted columns) for orders never refunded. Where most of a file's orders read 0.00,
    # that is what the file means by it (no shop refunds most of its orders in full): those orders count whole.
    sold = [g for g in groups if "cancel" not in source.cell(g[0][1], "Status").lower()]
    zeros = sum(1 for g in sold if _zero(source.cell(g[0][1], "Adjusted Order Total")))
    unadjusted = zeros * 2 > len(sold)
    if unadjusted:
        source.notes.warn(f"{source.path}: {zeros:,} of {len(sold):,} orders have Adjusted Order Total 0.00, which "
                          f"this file writes for orders never refunded: read so, not as refunds in full (an order "
                          f"refunded in full among them is counted as a sale: check Etsy's refunds for them)")
    for group in groups:
        yield from source.guarded(group, _order, source, group, unadjusted)


def _zero(text: str) -> bool:
    """Whether a money cell as Etsy writes it ("0.00", "$0.00", "0,00") is zero."""
    digits = "".join(c for c in text if c.isdigit())
    return bool(digits) and set(digits) == {"0"}


def _order(source: Source, group: list[Row], unadjusted: bool = False) -> Iterator:
    line, values = group[0]
    order_id = source.order_id(values, line, "Order ID")
    if "cancel" in source.cell(values, "Status").lower():
        yield source.left_out(group, f"cancelled (Status {source.cell(values, 'Status')})")
        return
    code = source.currency(values, line, "Currency")
    day = source.day(values, line, "Sale Date")
    country = source.header.first("Ship Country", "Delivery Country") or "Ship Country"
    state = source.header.first("Ship State", "Delivery State") or "Ship State"
    place = source.place(line, (country, source.cell(values, country)), (state, source.cell(values, state)))

    def money(*names: str):
        name = source.header.first(*names) or names[0]
        return source.money(values, line, name, code)

    shipping = money("Shipping", "Delivery") - money("Shipping Discount", "Delivery Discount")
    net = money("Order Value") - money("Discount Amount") + shipping
    tax = money("Sales Tax", "Sales tax")
    yield source.order(group, order_id, day, place, code, net, shipping, tax)
    adjusted = source.cell(values, "Adjusted Order Total")
    if adjusted and not (unadjusted and _zero(adjusted)):
        # What the buyer paid, as Etsy writes it: it holds what the columns above do not (gift wrap), and the
        # refund is what the adjusted total took off it.
        total = source.money(values, line, "Order Total", code) if source.cell(values, "Order Total") else net + tax
        refunded = total - source.money(values, line, "Adjusted Order Total", code)
        if refunded > 0:
            amount, ship_back, tax_back = refund_parts(refunded, total, net, shipping, tax)
            yield source.order(group, order_id, day, place, code, amount, ship_back, tax_back, kind="refund",
                               rows=0, undated=True)
