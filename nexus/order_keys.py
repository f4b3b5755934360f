"""What an order is remembered by, for spotting re-exports and repeats: its identity and its content.

An order's identity (:func:`identity`) is a short digest of which order, or which event of an order, it is: a sale
one per order id, a refund one per date and amount (a running total one per order, nexus.running_totals). Its content
(:func:`content_of`, the fields of :data:`CONTENT` as one string) is everything a threshold or a finding reads: two
copies of one identity are a duplicate where their content agrees, a conflict where it differs (:func:`differences`).
The row account (nexus.row_account.RowAccount) keeps both in the orders seen so far (nexus.seen_orders).
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import date
from decimal import Decimal

from nexus.running_totals import running_total
from nexus.orders import Order


#: What an order's content is made of, in the order :func:`content_of` writes it: two copies of an order id are
#: the same order (a duplicate) only when all of these agree.
CONTENT = ("place", "day", "currency", "channel", "kind", "exempt", "category", "amount", "shipping", "tax",
           "rows")


def number_text(value: Decimal) -> str:
    """A decimal written the same whatever its trailing zeros (12.30 and 12.3 are one amount)."""
    found = _NUMBERS.get(value)  # 12.30 and 12.3 are one key: equal decimals hash alike
    if found is None:
        found = format(value.normalize(), "f") if value else "0"
        if len(_NUMBERS) < NUMBERS_KEPT:
            _NUMBERS[value] = found
    return found


#: Amounts as :func:`number_text` writes them, each worked out once (orders repeat their prices), up to this many.
_NUMBERS: dict[Decimal, str] = {}
NUMBERS_KEPT = 100_000
#: Days as ISO text, for the content of every order: a file spans a few thousand days.
_ISO_DAYS: dict[date, str] = {}


def iso_day(day: date) -> str:
    found = _ISO_DAYS.get(day)
    if found is None:
        found = _ISO_DAYS[day] = day.isoformat()
    return found


def identity(order: Order) -> bytes | None:
    """Which order (or which event of an order) this is, for spotting re-exports and repeats.

    A sale is one per order id (and, where a platform split the order by ship-to place, per place). A
    refund or chargeback is one event of an order, so its date, amount and currency are part of its identity:
    two partial refunds of one order are both counted. In a platform's export, one refund is one whatever the
    trailing zeros its amount is written with (``-25.00`` in a fresh export, ``-25`` in one saved again from a
    spreadsheet: a platform writes one form only); in nexus's own layout the amount is keyed as written, as the
    DuckDB reader keys it (tests/test_scale.py), so ``12.30`` and ``12.3`` are two refunds there. A
    refund a platform gives only as a running total on the order is one per order: a later export with a larger
    total is the same refund, amended, dated or not (Stripe's ``Amount Refunded`` on its ``Refunded date (UTC)``:
    :func:`nexus.running_totals.running_total`). Ids are kept apart per source platform: ``#1001`` on Shopify is not
    ``1001`` on WooCommerce.
    """
    if not order.order_id:
        return None
    if order.kind == "sale":
        return sale_identity(order.source, order.order_id, order.part)
    amount = str(order.amount) if order.source in ("", "nexus") else number_text(order.amount)
    parts = [order.source, order.kind, order.order_id, order.part]
    parts += ["running total"] if running_total(order) else [order.day.isoformat(), amount, order.currency]
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=12).digest()


def sale_identity(source: str, order_id: str, part: str = "") -> bytes:
    """The identity of the sale of ``order_id`` (see :func:`identity`): how a refund finds its sale's day."""
    return hashlib.blake2b("\x1f".join((source, "sale", order_id, part)).encode("utf-8"), digest_size=12).digest()


def content_of(order: Order) -> str:
    """Everything about an order that a threshold or a finding reads (:data:`CONTENT`), as one string."""
    return "\x1f".join((order.jurisdiction, iso_day(order.day), order.currency,
                        "marketplace" if order.channel == "marketplace" else "direct",
                        "sale" if order.kind == "sale" else "refund", order.exempt, order.category,
                        number_text(order.amount), number_text(order.shipping), number_text(order.tax),
                        str(order.rows)))


def placed_at(content: str, place: str) -> tuple[str, str]:
    """The place a :func:`content_of` string gives (its first field), and the same string placed at ``place``: a later
    copy of a payment moves what was counted of it there (nexus.row_account.RowAccount._follow_sale)."""
    held = content.split("\x1f", 1)[0]
    return held, place + content[len(held):]


def from_content(content: str, order: Order) -> Order:
    """The order a :func:`content_of` string describes (to take it back out of the ledger)."""
    place, day, code, channel, kind, exempt, category, amount, shipping, tax, rows = content.split("\x1f")
    return replace(order, jurisdiction=place, day=date.fromisoformat(day), currency=code, channel=channel,
                   kind=kind, exempt=exempt, category=category, amount=Decimal(amount), shipping=Decimal(shipping),
                   tax=Decimal(tax), rows=int(rows), undated=False)


def key_of(*parts: object) -> bytes:
    return hashlib.blake2b("\x1f".join(map(str, parts)).encode("utf-8"), digest_size=12).digest()


def differences(first: str, later: str) -> tuple[tuple[str, str, str], ...]:
    return tuple((name, old, new) for name, old, new in zip(CONTENT, first.split("\x1f"), later.split("\x1f"))
                 if old != new)
