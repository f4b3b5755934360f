"""PayPal's activity download (Activity > Statements > Activity download, CSV: ``Download.CSV``).

One row per transaction, and the payment's items as their own ``Shopping
Cart Item`` rows repeating it. ``Gross`` is what moved, shipping and sales tax
included; ``Shipping and Handling Amount`` and ``Sales Tax`` those parts (a UK
account's download names them ``Postage and Packaging Amount`` and ``VAT``, and
the region column ``County``). ``Type`` decides what a row is, from the words
PayPal writes (:data:`SALES`, :data:`NOT_SALES`...): a payment received (``Express
Checkout Payment``... with a positive gross) is a sale; ``Payment Refund`` a
refund and ``Payment Reversal`` or ``Chargeback`` a chargeback, each on its own
date, linked to its payment by ``Reference Txn ID`` (and placed where the
payment was, when the row has no address of its own); a ``Chargeback
Reversal`` (a dispute the seller won, the money returned) puts back what its
chargeback took off, on its own date; transfers, withdrawals, currency
conversions, holds and their releases, fees, authorisations, payments sent and
cart item rows are not sales. A ``Type`` nexus does not know is an error naming
the row, never a sale by guess. A payment's ``Status`` is one PayPal documents:
``Completed`` and the like reached the seller (:data:`RECEIVED`); ``Denied``,
``Pending``, ``Unclaimed``... did not (:data:`NOT_RECEIVED`); another is an error.
The address is the buyer's (``Country Code`` or ``Country``, and the
``State/Province/...`` column). The download writes dates as the account's
country does (``MM/DD/YYYY`` in the US): nexus reads the file's slash dates
day-first or month-first as they show.

PayPal's statement CSV (Statements > Custom, ``Description`` for ``Type``, no
``Status`` and no address) cannot say where a sale was made: it is recognised and
refused with that reason.

More information: https://www.paypal.com/us/cshelp/article/how-do-i-download-my-transaction-history-help145
"""
from __future__ import annotations

import re
from typing import Iterator, NamedTuple, Sequence

from nexus.errors import InputError, Location
from nexus.exports.base import Row, Source, looks_like

NAME = "paypal"
TITLE = "a PayPal activity download"
DOCS = "https://www.paypal.com/us/cshelp/article/how-do-i-download-my-transaction-history-help145"
MARKETPLACE = False
#: A payment provider's export: a store's orders paid through it are in it too, under the provider's ids.
PAYMENTS = True
#: The columns naming the payment, as a store's export may name it (nexus.payment_matches): its ``Transaction
#: ID``, and the ``Invoice Number`` the store sent with it.
PAYMENT_COLUMNS: tuple[str, ...] = ("Transaction ID", "Invoice Number")
DATE_COLUMNS = ("Date",)
#: A refund or chargeback row names its payment (``Reference Txn ID``, traced through a chargeback to the payment for
#: its reversal) as its order id: linked to the payment's day (docs/exposure.md).
LINKS_REFUNDS = True
STATE = "State/Province/Region/County/Territory/Prefecture/Republic"
#: Columns a download names by the account's country: the US names first, then a UK account's (checked against
#: the header of a UK download in johannesgerer/buchhaltung, src/Buchhaltung/Importers.hs).
SHIPPING = ("Shipping and Handling Amount", "Postage and Packaging Amount")
TAX = ("Sales Tax", "VAT")
REGION = (STATE, "County")
SIGNATURE = ("Date", "Type", "Gross", "Transaction ID", "Reference Txn ID")
#: The activity download as PayPal writes it in other languages, by the columns that tell it (as the OCA's
#: bank-statement-import module maps them, account_statement_import_paypal/data/maps.xml). nexus reads the English
#: download only: its Type and Status words decide what is a sale, and no list of them in another language was read,
#: so such a file is refused by name rather than read as nexus's own layout (which would count fees and transfers).
FOREIGN = {"German": ("Datum", "Uhrzeit", "Zeitzone", "Typ", "Brutto", "Gebühr", "Transaktionscode", "Währung"),
           "Spanish": ("Fecha", "Hora", "Zona horaria", "Tipo", "Bruto", "Id. de transacción", "Divisa")}
#: PayPal's statement CSV (Statements > Custom): ``Description`` where the activity download has ``Type``.
STATEMENT = ("Date", "Description", "Gross", "Fee", "Net", "Balance", "Transaction ID", "Reference Txn ID")
REQUIRED = ("Date", "Type", "Status", "Currency", "Gross", "Transaction ID", "Reference Txn ID", "|".join(SHIPPING),
            "|".join(TAX), "|".join(REGION), "Country Code|Country")

#: ``Type`` words of a payment received, as downloads write them (lower-cased): the current names, and the older
#: downloads' ``... Received``. With a positive gross such a row is a sale; with a negative one, a payment the
#: seller made (a purchase), not a sale.
SALES = frozenset({
    "express checkout payment", "website payment", "mobile payment", "general payment", "subscription payment",
    "donation payment", "ebay auction payment", "preapproved payment bill user payment", "shopping cart payment",
    "recurring payment", "payment received", "web accept payment received", "shopping cart payment received",
    "subscription payment received", "recurring payment received", "mobile payment received",
    "ebay payment received", "auction payment received", "express checkout payment received", "donation received",
    "echeck received"})
#: Words of ``Type`` values that are never a sale, whatever the sign of the gross: PayPal's fees (a ``Chargeback
#: Fee``, ``Dispute Fee`` and their reversals), holds and their releases or cancellations (``Hold on Balance for
#: Dispute Investigation``, ``Cancellation of Hold for Dispute Resolution``, ``Payment Review Release``,
#: ``Reversal of General Account Hold``, ``Reserve Release``), authorisations, currency conversions (``General
#: Currency Conversion``, ``User Initiated Currency Conversion``), money moved in or out of the account
#: (withdrawals, transfers, deposits, ``Bank Deposit to PP Account``), payments and invoices sent, updates of
#: another row (``Update to eCheck Received``), corrections and adjustments, and a cart's item rows.
NOT_SALES = re.compile(r"cart item|\bfees?\b|\bhold\b|\brelease\b|authori[sz]|conversion|withdraw|transfer|deposit|"
                       r"\badd funds\b|\bfunds added\b|\bsent\b|^update to\b|correction|adjustment|"
                       r"\btax collected\b|\bbonus\b|reimbursement|redemption|\bdividend\b|^debit card\b|"
                       r"^charge from credit card$|^cancel+ed payment$|^order$|^invoice received$|^request received$|"
                       r"^payment review$")
#: ``Type`` words of a chargeback (a payment the buyer's bank or PayPal took back): money out of the seller's
#: account. ``Chargeback Reversal`` (T1202, a dispute the seller won) puts the money back.
CHARGEBACKS = frozenset({"chargeback", "chargeback settlement", "payment reversal", "reversal"})
CHARGEBACK_REVERSED = "chargeback reversal"
#: Statuses of a payment that reached the seller, as PayPal's help documents them (a refunded, reversed or held
#: payment was received: its refund, reversal or hold is a row of its own).
RECEIVED = frozenset({"completed", "cleared", "cleared by payment review", "partially refunded", "refunded",
                      "reversed", "paid", "held", "on hold", "placed", "temporary hold"})
#: Statuses of a payment that never reached the seller (``Returned``: unclaimed and sent back; ``Uncleared``: an
#: eCheck not yet cleared, as ``Pending``).
NOT_RECEIVED = frozenset({"denied", "failed", "canceled", "cancelled", "expired", "pending", "unclaimed", "voided",
                          "returned", "refused", "uncleared", "in progress", "processing", "pending verification",
                          "unpaid"})


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE) or looks_like(header, STATEMENT)


class UnknownType(ValueError):
    """A ``Type`` nexus does not know: it could be a sale, a refund or neither, and is not guessed."""


def kind_of(type_text: str, gross_sign: int) -> str | None:
    """``sale``, ``refund`` or ``chargeback`` for a row's ``Type`` and the sign of its gross; None for a row
    that is not a sale (a transfer, conversion, hold or its release, fee, payment sent or cart item). A ``Type``
    in none of the lists above raises :class:`UnknownType`."""
    # PayPal writes some with a trailing space ('Bank Deposit to PP Account '): spaces are not part of the word.
    text = " ".join(type_text.lower().split())
    if NOT_SALES.search(text):
        return None
    if "refund" in text:  # Payment Refund; a positive one is a refund the account received, not a sale
        return "refund" if gross_sign < 0 else None
    if text == CHARGEBACK_REVERSED:
        return "chargeback"  # the money back: what the chargeback took off is put back
    if text in CHARGEBACKS:
        return "chargeback" if gross_sign < 0 else None  # a positive reversal: a payment sent, come back
    if text in SALES:
        return "sale" if gross_sign > 0 else None
    raise UnknownType(type_text)


class Placed(NamedTuple):
    """Where a row read was placed, and the Transaction ID of the payment it is of (its own, for a payment): a refund
    or chargeback without an address is placed by it, and named by the payment, which a chargeback's reversal
    reaches through the chargeback it refers to (so that the two are linked to the payment's day alike)."""
    place: str
    payment: str


class Columns(NamedTuple):
    """The columns a download names by the account's country, as this file names them."""
    shipping: str
    tax: str
    region: str


def read(source: Source) -> Iterator:
    if looks_like(source.header.names, STATEMENT) and "Type" not in source.header:
        raise InputError("looks like a PayPal statement CSV (Statements), which has no buyer's address and no "
                         "Status: nexus cannot tell where its sales were made; download the activity report instead "
                         "(Activity > Statements > Activity download, CSV)", Location(source.path, source.header_line))
    source.require(REQUIRED)
    names = Columns(*(source.header.first(*column) or column[0] for column in (SHIPPING, TAX, REGION)))
    places: dict[str, Placed] = {}  # Transaction ID -> its place and payment, for refunds without an address
    gone: set[str] = set()  # Transaction IDs of payments left out (never received), and of their refunds
    waiting: list[list[Row]] = []  # refunds whose payment comes later in the file (newest first)
    for group in source.groups("Transaction ID"):
        yield from source.guarded(group, _row, source, names, group, places, gone, waiting, False)
    # A chargeback's reversal may wait on its chargeback, itself waiting on its payment (a download newest first):
    # the rows waiting are read again while that places any of them; the rest then say what is missing.
    while waiting:
        again = list(waiting)
        waiting.clear()
        for group in again:
            yield from source.guarded(group, _row, source, names, group, places, gone, waiting, False)
        if len(waiting) == len(again):
            break
    for group in list(waiting):
        yield from source.guarded(group, _row, source, names, group, places, gone, waiting, True)


def _row(source: Source, names: Columns, group: list[Row], places: dict[str, Placed], gone: set[str], waiting: list,
         final: bool) -> Iterator:
    # A payment's cart item rows share its Transaction ID: the payment row is the one that is not an item.
    line, values = next(((n, v) for n, v in group if "cart item" not in source.cell(v, "Type").lower()), group[0])
    code = source.currency(values, line, "Currency")
    gross = source.money(values, line, "Gross", code)
    try:
        kind = kind_of(source.cell(values, "Type"), (gross > 0) - (gross < 0))
    except UnknownType:
        raise InputError("is not a PayPal transaction type nexus knows, so it cannot tell whether the row is a sale, "
                         "a refund or neither, and does not guess (docs/input-formats.md lists the English download's "
                         "types): if it is no sale, --skip-bad-rows leaves it out and lists it; if it is one, give it "
                         "in nexus's own layout", source.where(line, "Type", values)) from None
    if kind is None:
        yield source.left_out(group, f"not a sale ({source.cell(values, 'Type') or 'no Type'})")
        return
    status = source.cell(values, "Status").lower()
    if kind == "sale" and status in NOT_RECEIVED:
        gone.add(source.cell(values, "Transaction ID"))
        yield source.left_out(group, f"a payment not received (Status {source.cell(values, 'Status')})")
        return
    if kind == "sale" and status not in RECEIVED:
        raise InputError("is not a payment status nexus knows (PayPal documents Completed, Pending, Denied...), so it "
                         "cannot tell whether the payment reached the seller: --skip-bad-rows leaves the row out and "
                         "lists it; if the money arrived, give it in nexus's own layout",
                         source.where(line, "Status", values))
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
    place = _place(source, names, values, line)
    known = places.get(reference) if kind != "sale" else None
    if place is None and kind != "sale":
        place = known.place if known else None
        if place is None and not final:
            waiting.append(group)  # its payment may come later in the file
            return
    if place is None:
        raise InputError(f"has no address, and its payment {reference!r} is not in this file" if kind != "sale"
                         else "has no address: nexus needs the buyer's country", Location(source.path, line,
                                                                                          "Country", ""))
    day = source.day(values, line, "Date")
    shipping = source.money(values, line, names.shipping, code)
    tax = source.money(values, line, names.tax, code)
    # A payment is named by its own id (its reference, if any, is an authorisation or invoice it settles); a refund
    # by its payment (the payment of the chargeback a reversal refers to), else by its reference.
    own = source.cell(values, "Transaction ID")
    payment = own if kind == "sale" else known.payment if known else reference or own
    places[own] = Placed(place, payment)  # a chargeback's reversal may refer to it
    if kind == "sale":
        yield source.order(group, payment, day, place, code, gross - tax, shipping, tax)
    else:  # taken off the sales; a chargeback reversed in the seller's favour (positive) puts them back
        sign = 1 if gross > 0 else -1
        yield source.order(group, payment, day, place, code,
                           sign * abs(abs(gross) - abs(tax)), sign * abs(shipping), sign * abs(tax), kind=kind)


def _place(source: Source, names: Columns, values: Sequence[object], line: int) -> str | None:
    column = "Country Code" if source.cell(values, "Country Code") else "Country"
    country = source.cell(values, column)
    if not country:
        return None
    return source.place(line, (column, country), (names.region, source.cell(values, names.region)))
