"""Stripe's payments export (Dashboard > Payments > Export; ``unified_payments.csv``, or the older payments CSV).

One row per payment (two rows of one ``id``, even one after the other, are two
copies, judged by the row account as any repeated order). ``Amount`` is what the customer paid, in major units
(``10.50``; ``1500`` for yen), tax and shipping included: the export has no
column for the tax charged to the buyer (``Tax`` and ``Taxes On Fee`` are the
tax on Stripe's own fee), so nexus counts the whole amount and carries no tax
charged. ``Currency`` is written in lower case. ``Amount Refunded`` is the
running total refunded; ``Refunded date (UTC)``, where the export has it, dates
it, else it is counted on the payment's date. A later export's total is the same
refund, amended (``REFUNDS_ARE_TOTALS``), never a second one. The shipping
address, where the export has it, is where the sale is made, else the card's
billing address; its refunds and lost dispute are counted there, and follow the
place of a later export's copy where that copy is counted (nexus.row_account).
A dispute the seller lost (``Dispute Status`` ``lost``) took ``Disputed
Amount`` back: a chargeback on ``Dispute Date (UTC)`` (on the payment's date,
said, where the export gives none); Stripe allows one dispute per charge, so a
later export's copy replaces it. A dispute won, still open or only an
inquiry (``warning_...``) leaves the sale as it is; ``charge_refunded`` (an
older status: the dispute ended in a refund) is in ``Amount Refunded``.
``Status`` ``Failed`` (and ``Canceled``, ``Blocked``, ``Incomplete``: a payment
the customer never completed, ``Uncaptured``), a payment never captured
(``Captured`` ``false``) and a test-mode payment (``Mode`` ``Test``) are not
sales.

More information: https://support.stripe.com/questions/exporting-a-report-of-all-transactions
"""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Iterator, Sequence

from nexus.errors import InputError
from nexus.exports.base import Row, Source, looks_like
from nexus.orders import ZERO
from nexus.spreadsheets import SPREADSHEET_FALSE

NAME = "stripe"
TITLE = "a Stripe payments export"
DOCS = "https://support.stripe.com/questions/exporting-a-report-of-all-transactions"
MARKETPLACE = False
#: A payment provider's export: a store's orders paid through it are in it too, under the provider's ids.
PAYMENTS = True
#: The columns naming the payment, as a store's export may name it (nexus.payment_matches): the charge's
#: ``id`` (``ch_...``, ``py_...``) and its ``PaymentIntent ID`` (``pi_...``).
PAYMENT_COLUMNS: tuple[str, ...] = ("id", "PaymentIntent ID")
DATE_COLUMNS = ("Created date (UTC)", "Created (UTC)")
#: A refund on its ``Refunded date (UTC)``, or a lost dispute on its ``Dispute Date (UTC)``, is of the payment on whose
#: row it is: linked to the payment's day (docs/exposure.md). Without the date it is counted on that day already.
LINKS_REFUNDS = True
#: ``Amount Refunded`` (and a lost dispute's ``Disputed Amount``) is the payment's running total, dated: a later
#: export's copy is the same refund, amended, not another (nexus.running_totals.running_total); of the dispute, one per
#: charge, the copy read last is its latest state, whole (nexus.running_totals.dispute).
REFUNDS_ARE_TOTALS = True
SIGNATURE = ("id", "Amount", "Amount Refunded", "Currency", "Captured")
REQUIRED = ("id", "Created date (UTC)|Created (UTC)", "Amount", "Amount Refunded", "Currency", "Captured", "Status",
            "Card Address State", "Card Address Country")
#: Dispute Status (Stripe's dispute statuses) of a dispute that took the money back for good.
LOST = "lost"
#: Payment statuses (the Dashboard's) of a payment that took no money: ``Incomplete`` is a payment still needing a
#: payment method, a confirmation or the customer's action; ``Uncaptured`` an authorisation never captured.
NOT_SALES = {"failed": "failed", "canceled": "canceled", "cancelled": "canceled", "blocked": "blocked",
             "incomplete": "incomplete (never completed by the customer)",
             "uncaptured": "authorised but never captured"}
#: ``Captured`` of a payment authorised but never captured: Stripe's ``false``, and what a spreadsheet in another
#: language saves it as (``FALSCH``, ``FAUX``), which left the payment counted as a sale.
NOT_CAPTURED = frozenset({"false"} | SPREADSHEET_FALSE)


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE)


def read(source: Source) -> Iterator:
    source.require(REQUIRED)
    created = source.header.first("Created date (UTC)", "Created (UTC)") or "Created date (UTC)"
    for group in source.groups("id", blank_continues=False):
        for row in group:  # one row per payment: a row repeating the one before is a copy, judged as any repeat
            yield from source.guarded([row], _payment, source, [row], created)


def _payment(source: Source, group: list[Row], created: str) -> Iterator:
    line, values = group[0]
    status = source.cell(values, "Status").lower()
    if source.cell(values, "Mode").lower() == "test":
        yield source.left_out(group, "a test-mode payment (Mode Test)")
        return
    if status in NOT_SALES:
        yield source.left_out(group, f"{NOT_SALES[status]} (Status {source.cell(values, 'Status')})")
        return
    if source.cell(values, "Captured").lower() in NOT_CAPTURED:
        yield source.left_out(group, "authorised but never captured (Captured false)")
        return
    code = source.currency(values, line, "Currency")
    day = source.day(values, line, created)
    if source.cell(values, "Shipping Address Country"):
        where = ("Shipping Address Country", "Shipping Address State")
    else:
        where = ("Card Address Country", "Card Address State")
    place = source.place(line, (where[0], source.cell(values, where[0])), (where[1], source.cell(values, where[1])))
    amount = source.money(values, line, "Amount", code, required=True)
    payment = source.order_id(values, line, "id")
    yield source.order(group, payment, day, place, code, amount)
    refunded = source.refunded(values, line, "Amount Refunded", code)
    if refunded:
        dated = source.cell(values, "Refunded date (UTC)")
        on = source.day(values, line, "Refunded date (UTC)") if dated else day
        yield source.order(group, payment, on, place, code, -refunded, ZERO, ZERO, kind="refund", rows=0,
                           undated=not dated)
    if source.cell(values, "Dispute Status").lower() == LOST:
        yield _lost_dispute(source, group, payment, day, place, code, amount - refunded)


def _lost_dispute(source: Source, group: list[Row], payment: str, paid: date, place: str, code: str,
                  left: Decimal) -> tuple:
    """The chargeback of a dispute the seller lost: ``Disputed Amount`` off the sales, on its own date."""
    line, values = group[0]
    if source.column("Disputed Amount") is None:
        raise InputError("is 'lost' but the export has no 'Disputed Amount' column to say how much the dispute took "
                         "back: export the payments again with it", source.where(line, "Dispute Status", values))
    disputed = source.refunded(values, line, "Disputed Amount", code)
    if not disputed:
        raise InputError("is empty or zero for a dispute whose Dispute Status is 'lost'",
                         source.where(line, "Disputed Amount", values))
    if disputed > left:
        raise InputError(f"is more than the payment less its refunds ({left} {code}): a dispute cannot take "
                         f"back more than was paid", source.where(line, "Disputed Amount", values))
    dated = source.cell(values, "Dispute Date (UTC)")
    on = source.day(values, line, "Dispute Date (UTC)") if dated else paid
    return source.order(group, payment, on, place, code, -disputed, ZERO, ZERO, kind="chargeback", rows=0,
                        undated=not dated)
