"""Running totals refunded: a refund a platform gives as the order's total refunded so far, one per order.

Shopify's ``Refunded Amount`` is undated, on the order's date; Stripe's ``Amount Refunded`` is dated where the export
has its ``Refunded date (UTC)`` (a layout's ``REFUNDS_ARE_TOTALS``). A later export's total is the same refund,
amended, never another: :func:`running_total` says which refunds are read so, :func:`increases` reads the copies of a
dated total as each increase on its own date, :func:`dispute` a lost dispute's copies as its latest state, and
:class:`RunningTotal` holds an undated total against which another platform's (or a payment provider's) dated refunds
of the order are set. The row account (nexus.row_account.RowAccount) counts them.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import NamedTuple, Sequence

from nexus.orders import ZERO, Order


def running_total(order: Order) -> bool:
    """Whether ``order`` is a refund or chargeback a platform gives as a running total of the order's, one per order
    whatever its amount and date: undated (Shopify's ``Refunded Amount``, on the order's date) or dated, where the
    platform's module says its totals are (``REFUNDS_ARE_TOTALS``: Stripe's ``Amount Refunded`` on its ``Refunded
    date (UTC)``). Before, a dated one was one refund per date and amount: a later export's 25.00 on 20 Jul beside an
    earlier one's 10.00 on 5 Jul counted 35.00, in every ``--repeated-orders`` mode and silently."""
    return order.kind != "sale" and (order.undated or refunds_are_totals(order.source))


def provider_total(order: Order) -> bool:
    """Whether ``order``, a payment provider's refund of a store's order, is set against the store's running total
    refunded of the order (:meth:`nexus.row_account.RowAccount._paid_against_running`): a dated refund (PayPal's refund
    row, Stripe's ``Amount Refunded`` on its ``Refunded date (UTC)``) or a copy of a running total the provider gives
    dated or not (``REFUNDS_ARE_TOTALS``: Stripe's older export's ``Amount Refunded`` without its date). The provider's
    copies of such a total are one reading (:meth:`nexus.row_account.RowAccount._dated_total`), and the store's total
    counts only what it says beyond the latest of them: before, an undated copy was a duplicate of the store's total and
    a dated copy of the same payment was set against that total too, so that the refund both hold counted twice or on
    two days."""
    return not order.undated or refunds_are_totals(order.source)


def refunds_are_totals(source: str) -> bool:
    """Whether the refunds of the layout called ``source`` (``Order.source``) are running totals, dated where the
    export has the date (``REFUNDS_ARE_TOTALS``): :meth:`nexus.row_account.RowAccount._dated_total` reads its copies."""
    found = _TOTALS.get(source)
    if found is None:
        from nexus.exports import by_name  # here, not at the top: the platform readers import this module
        found = _TOTALS[source] = source not in ("", "nexus") and \
            bool(getattr(by_name(source), "REFUNDS_ARE_TOTALS", False))
    return found


#: Per source (``Order.source``): whether its refunds are running totals, dated or not (:func:`refunds_are_totals`).
_TOTALS: dict[str, bool] = {}


class RunningTotal(NamedTuple):
    """A refund a platform gives only as a running total on the order (Shopify's ``Refunded Amount``), counted on the
    order's date, of an order another platform's copy may give dated refunds of
    (:meth:`nexus.row_account.RowAccount._running_total`).
    """

    #: The total's parts as read (one, for an order of one category), each with its identity.
    parts: tuple[tuple[Order, bytes], ...]
    currency: str
    #: The money back (tax included) of the other copy's dated refunds counted in its place, and how many they are.
    dated: Decimal
    refunds: int
    #: Its parts as counted now: what is left of it beyond the dated refunds.
    counted: tuple[Order, ...]
    #: The platforms whose dated refunds are set against it (another platform's copy, a payment provider's).
    by: tuple[str, ...]
    #: How many of those ``refunds`` are a payment provider's copies of its own running total given without a date
    #: (Stripe's older export's ``Amount Refunded``), on the order's date as this total is (:func:`provider_total`).
    undated: int = 0

    def left(self) -> tuple[Order, ...]:
        """Its parts for what it says beyond the dated refunds (none where they reach it), each in its own
        proportions of sales, shipping and tax."""
        from nexus.exports.base import refund_parts  # here, not at the top: the platform readers import this module

        whole = money_back(self.parts[0][0])
        rest = whole - self.dated
        if rest <= 0:
            return ()
        if not self.dated:
            return tuple(order for order, _ident in self.parts)
        return tuple(replace(order, amount=amount, shipping=shipping, tax=tax)
                     for order, _ident in self.parts
                     for amount, shipping, tax in (refund_parts(rest, whole, -order.amount, -order.shipping,
                                                                -order.tax),))


def as_of(total: Order) -> tuple[date, Decimal]:
    """When a copy of a dated running total says it: its date, then (two copies of one day) the larger total."""
    return total.day, money_back(total)


def state(copy: Order) -> tuple[date, Decimal, bool]:
    """What tells two copies of a dated running total apart: its date, its total and whether the export dated it."""
    return copy.day, money_back(copy), copy.undated


def dispute(copies: Sequence[Order]) -> Order:
    """The copies of a lost dispute (Stripe's ``Disputed Amount`` on its ``Dispute Date (UTC)``), the copy read last
    last, as what they say: Stripe allows one dispute per charge, so the copy read last (the later file given, then
    the later line, as ``--repeated-orders latest`` reads any order) is its latest state, whole, replacing the others'
    amounts, not added to them. Its date is the dispute's, the same in every copy that gives it: a copy from an export
    without the column (on the payment's date, said as undated) takes it from the latest copy that has it.

    Before, the copies were read as a refunded total's increases: 40.00 lost by 5 Aug in one export and 54.00 by
    20 Aug in a later one counted 40.00 on 5 Aug and 14.00 on 20 Aug, and a later export's smaller amount (30.00 after
    54.00) left the larger counted."""
    last = copies[-1]
    dated = [copy for copy in copies if not copy.undated]
    if last.undated and dated:
        return replace(last, day=dated[-1].day, undated=False)
    return last


def increases(copies: Sequence[Order]) -> tuple[Order, ...]:
    """The copies of one dated running total (:func:`running_total`) as what they say was refunded: each total's
    increase on its own date, in the copy's own proportions of sales, shipping and tax (the first whole). A total
    that fell since an earlier date (a refund that failed and was put back) leaves only the latest state, whole, on
    its date: what went back when is then not known."""
    from nexus.exports.base import refund_parts  # here, not at the top: the platform readers import this module

    ordered = sorted(copies, key=as_of)
    totals = [money_back(copy) for copy in ordered]
    if any(later < before for before, later in zip(totals, totals[1:])):
        return (ordered[-1],)
    found: list[Order] = []
    for copy, whole, before in zip(ordered, totals, [ZERO] + totals[:-1]):
        if whole == before:
            continue
        if not before:
            found.append(copy)
            continue
        amount, shipping, tax = refund_parts(whole - before, whole, -copy.amount, -copy.shipping, -copy.tax)
        found.append(replace(copy, amount=amount, shipping=shipping, tax=tax))
    return tuple(found)


def money_back(refund: Order) -> Decimal:
    """The money back of the whole refund that ``refund`` is (a part of), tax included, as the platform wrote it: its
    parts add up to it to 12 places (nexus.exports.base.SHARE_PLACES)."""
    parts = refund.parts or (refund,)
    return -sum((p.amount + p.tax for p in parts), ZERO).quantize(MONEY_BACK)


#: The places the money back of a refund is compared to (:func:`money_back`): well above the split's rounding.
MONEY_BACK = Decimal("1e-6")
