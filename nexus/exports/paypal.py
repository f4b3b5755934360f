"""PayPal's activity download (Activity > Statements > Activity download, CSV: ``Download.CSV``).

One row per transaction, and the payment's items as their own ``Shopping
Cart Item`` rows repeating it. ``Gross`` is what moved, shipping and sales tax
included; ``Shipping and Handling Amount`` and ``Sales Tax`` those parts.
``Type`` decides what a row is: a payment received (``... Payment`` with a
positive gross) is a sale; ``Payment Refund`` a refund and ``Payment Reversal``
or ``Chargeback`` a chargeback, each on its own date, linked to its payment by
``Reference Txn ID`` (and placed where the payment was, when the row has no
address of its own); a ``Chargeback Reversal`` (a dispute the seller won, the
money returned) puts back what its chargeback took off, on its own date;
transfers, withdrawals, currency conversions, holds and their releases
(``Payment Review Release``), fees, authorisations, payments sent and cart
item rows are not sales. A payment whose
``Status`` is ``Denied``, ``Failed``, ``Canceled``, ``Expired``, ``Pending`` or
``Unclaimed`` did not reach the seller. The address is the buyer's
(``Country Code`` or ``Country``, and the ``State/Province/...`` column). The
download writes dates as the account's country does (``MM/DD/YYYY`` in the
US): nexus reads the file's slash dates day-first or month-first as they show.

More information: https://www.paypal.com/us/cshelp/article/how-do-i-download-my-transaction-history-help145
"""
from __future__ import annotations

from typing import Iterator, Sequence

from nexus.errors import InputError, Location
from nexus.exports.base import Row, Source, looks_like

NAME = "paypal"
TITLE = "a PayPal activity download"
DOCS = "https://www.paypal.com/us/cshelp/article/how-do-i-download-my-transaction-history-help145"
MARKETPLACE = False
DATE_COLUMNS = ("Date",)
STATE = "State/Province/Region/County/Territory/Prefecture/Republic"
SIGNATURE = ("Date", "Type", "Gross", "Transaction ID", "Reference Txn ID")
REQUIRED = ("Date", "Type", "Status", "Currency", "Gross", "Transaction ID", "Reference Txn ID",
            "Shipping and Handling Amount", "Sales Tax", STATE, "Country Code|Country")
#: Statuses of a payment that never reached the seller.
NOT_RECEIVED = ("denied", "failed", "canceled", "cancelled", "expired", "pending", "unclaimed", "voided")


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE)


def kind_of(type_text: str, gross_sign: int) -> str | None:
    """``sale``, ``refund`` or ``chargeback`` for a row's ``Type`` and the sign of its gross; None for a row
    that is not a sale (a transfer, conversion, hold or its release, fee, payment sent or cart item)."""
    text = type_text.lower()
    if "cart item" in text or "fee" in text:  # a Chargeback Fee (and its reversal) is PayPal's charge, not a sale
        return None
    if "refund" in text:
        return "refund" if gross_sign < 0 else None
    if "reversal" in text or "chargeback" in text:
        if gross_sign < 0:
            return "chargeback"
        # A chargeback reversed (T1202, a dispute the seller won): the money back, the chargeback undone.
        return "chargeback" if "chargeback" in text and "reversal" in text else None
    # A hold's release (``Payment Review Release``) frees money a payment row already brought in: not a sale.
    if "payment" in text and not any(word in text for word in ("hold", "release", "authoriz")) and gross_sign > 0:
        return "sale"
    return None


def read(source: Source) -> Iterator:
    source.require(REQUIRED)
    places: dict[str, str] = {}  # payment's Transaction ID -> its place, for refunds without an address
    gone: set[str] = set()  # Transaction IDs of payments left out (never received), and of their refunds
    waiting: list[list[Row]] = []  # refunds whose payment comes later in the file (newest first)
    for group in source.groups("Transaction ID"):
        yield from source.guarded(group, _row, source, group, places, gone, waiting, False)
    # A chargeback's reversal may wait on its chargeback, itself waiting on its payment (a download newest first):
    # the rows waiting are read again while that places any of them; the rest then say what is missing.
    while waiting:
        again = list(waiting)
        waiting.clear()
        for group in again:
            yield from source.guarded(group, _row, source, group, places, gone, waiting, False)
        if len(waiting) == len(again):
            break
    for group in list(waiting):
        yield from source.guarded(group, _row, source, group, places, gone, waiting, True)


def _row(source: Source, group: list[Row], places: dict[str, str], gone: set[str], waiting: list,
         final: bool) -> Iterator:
    # A payment's cart item rows share its Transaction ID: the payment row is the one that is not an item.
    line, values = next(((n, v) for n, v in group if "cart item" not in source.cell(v, "Type").lower()), group[0])
    code = source.currency(values, line, "Currency")
    gross = source.money(values, line, "Gross", code)
    kind = kind_of(source.cell(values, "Type"), (gross > 0) - (gross < 0))
    if kind is None:
        yield source.left_out(group, f"not a sale ({source.cell(values, 'Type') or 'no Type'})")
        return
    status = source.cell(values, "Status").lower()
    if kind == "sale" and status in NOT_RECEIVED:
        gone.add(source.cell(values, "Transaction ID"))
        yield source.left_out(group, f"a payment not received (Status {source.cell(values, 'Status')})")
        return
    reference = source.cell(values, "Reference Txn ID")
    if kind != "sale" and reference:
        # A refund of a payment never received takes nothing off: the payment was never counted. Its payment may
        # come later in the file (downloads are newest first): it waits to know, whatever address it has.
        if reference in gone:
            gone.add(source.cell(values, "Transaction ID"))
            yield source.left_out(group, f"a {kind} of payment {reference}, which was not received and is left out")
            return
        if reference not in places and not final:
            waiting.append(group)
            return
    place = _place(source, values, line)
    if place is None and kind != "sale":
        place = places.get(reference)
        if place is None and not final:
            waiting.append(group)  # its payment may come later in the file
            return
    if place is None:
        raise InputError(f"has no address, and its payment {reference!r} is not in this file" if kind != "sale"
                         else "has no address: nexus needs the buyer's country", Location(source.path, line,
                                                                                          "Country", ""))
    day = source.day(values, line, "Date")
    shipping = source.money(values, line, "Shipping and Handling Amount", code)
    tax = source.money(values, line, "Sales Tax", code)
    places[source.cell(values, "Transaction ID")] = place  # a chargeback's reversal may refer to it
    if kind == "sale":
        yield source.order(group, source.cell(values, "Transaction ID"), day, place, code, gross - tax, shipping, tax)
    else:  # taken off the sales; a chargeback reversed in the seller's favour (positive) puts them back
        sign = 1 if gross > 0 else -1
        yield source.order(group, reference or source.cell(values, "Transaction ID"), day, place, code,
                           sign * abs(abs(gross) - abs(tax)), sign * abs(shipping), sign * abs(tax), kind=kind)


def _place(source: Source, values: Sequence[object], line: int) -> str | None:
    column = "Country Code" if source.cell(values, "Country Code") else "Country"
    country = source.cell(values, column)
    if not country:
        return None
    return source.place(line, (column, country), (STATE, source.cell(values, STATE)))
