"""Stripe Tax's itemized export (Tax > Registrations > Export transactions > Itemized export; the Reports API's
``tax.transactions.itemized.2``).

One row per line item of a tax transaction and per jurisdiction that taxes it:
a line taxed by a state, a county and a district is three rows with one
``line_item_id``, each with the line's ``subtotal`` (the amount before tax)
and its own ``tax_amount``. Stripe documents that such rows share their line
item id; it does not say that each repeats the line's subtotal, so nexus reads
the line's sale once and stops, naming the row, where two rows of one line
give it different subtotals, rather than count a line twice or choose one.
Amounts are in major units in ``currency`` (written in lower case), in the
currency the buyer was charged. The ``filing_...`` columns (the same amounts in
the registration's filing currency) are not read.

A transaction (``id``: an invoice, a Checkout Session, a payment, an order...)
of ``type`` ``invoice``, ``checkout``, ``payment_link``, ``payment_intent`` or
``order`` is a sale; ``refund`` and ``credit_note`` are refunds, each a
transaction of its own with its own ``transaction_date`` (the day it was
issued, in the time zone the export was asked for), kept as its date: the
refund is counted on the day Stripe gives, whatever sign its amounts are
written with. No column names the sale a refund or credit note reverses, so it
is not linked to its sale's day (``LINKS_REFUNDS``). A ``type`` Stripe does not list is an error naming the row.
Negative lines within a sale (a subscription's proration, a credit for unused
time) take their amount off that sale, as Stripe counts them.

The place is the customer's (``destination_resolved_address_country`` and
``_state``), not the situs of the tax (``country_code``, ``state_code``, which
for an origin-based state is the seller's). A line's category comes from its
``tax_code`` (Stripe's product tax codes, data/product-tax-codes.json), unless
``--category`` or the products file says. ``taxability_reason``
``customer_exempt`` (an exempt buyer) and ``reverse_charge`` (a business buyer
who accounts for the tax) mark the sale exempt: a rule that counts taxable
sales only leaves it out. The export holds completed transactions only (no
cancelled, failed or test ones), includes non-taxable transactions (where the
seller is not registered: the very sales a nexus check needs) unless they
were excluded when exporting, and has no shipping column (shipping is a line
like any other, counted with the sale).

More information: https://docs.stripe.com/reports/report-types/tax and https://docs.stripe.com/tax/reports
"""
from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Iterator, Sequence

from nexus.errors import InputError
from nexus.exports.base import Item, Row, Source, looks_like
from nexus.orders import ZERO

NAME = "stripe-tax"
TITLE = "a Stripe Tax itemized export"
DOCS = "https://docs.stripe.com/reports/report-types/tax"
MARKETPLACE = False
#: A payment provider's export: a store's orders paid through it are in it too, under the provider's ids.
PAYMENTS = True
#: Not matched to a store's orders (nexus.payment_matches): read beside one, it is warned of.
PAYMENT_COLUMNS: tuple[str, ...] = ()
DATE_COLUMNS = ("transaction_date", "transaction_date_utc")
#: A refund or credit note is a transaction of its own, under its own id, and no column of Stripe's list names the
#: sale it reverses: it is not linked to its sale's day (docs/exposure.md), but netted on its own date and said.
LINKS_REFUNDS = False
#: Columns no other layout writes: a line item's id beside its subtotal and tax amount.
SIGNATURE = ("line_item_id", "subtotal", "tax_amount")
REQUIRED = ("id", "type", "currency", "transaction_date|transaction_date_utc", "line_item_id", "subtotal",
            "tax_amount", "destination_resolved_address_country", "destination_resolved_address_state")
#: ``type`` as Stripe's column list gives it: how the transaction was processed, and whether it is a sale.
SALES = frozenset({"invoice", "checkout", "payment_link", "payment_intent", "order"})
REFUNDS = frozenset({"refund", "credit_note"})
#: ``taxability_reason`` values (Stripe's) that say the buyer, not the sale, is why no tax was charged.
EXEMPT_REASONS = frozenset({"customer_exempt", "reverse_charge"})


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE)


def read(source: Source) -> Iterator:
    source.require(REQUIRED)
    dated = source.header.first(*DATE_COLUMNS) or DATE_COLUMNS[0]
    for group in source.groups("id", blank_continues=False):
        yield from source.guarded(group, _transaction, source, group, dated)


def _transaction(source: Source, group: list[Row], dated: str) -> Iterator:
    line, values = group[0]
    transaction = source.order_id(values, line, "id")
    kind = _kind(source, group)
    code = source.currency(values, line, "currency")
    day = source.day(values, line, dated)
    places: dict[str, list[Row]] = {}
    for row in group:
        row_line, row_values = row
        place = source.place(row_line, _cell(source, row_values, "destination_resolved_address_country"),
                             _cell(source, row_values, "destination_resolved_address_state"))
        places.setdefault(place, []).append(row)
    exempt = _exempt(source, group)
    for place, rows in places.items():
        items, net, tax = _lines(source, rows, code, kind)
        part = place if len(places) > 1 else ""
        for order, row_values in source.orders(rows, items, transaction, day, place, code, net, ZERO, tax, kind,
                                               rows=len(rows), part=part):
            yield (replace(order, exempt=exempt) if exempt != "no" else order), row_values


def _cell(source: Source, values: Sequence[object], name: str) -> tuple[str, str]:
    return name, source.cell(values, name)


def _kind(source: Source, group: list[Row]) -> str:
    """``sale`` or ``refund``, from the transaction's ``type`` (one for all its rows)."""
    line, values = group[0]
    written = source.cell(values, "type")
    for row_line, row_values in group[1:]:
        if source.cell(row_values, "type") != written:
            raise InputError(f"differs from the transaction's first row ({written!r}, line {line}): one transaction "
                             f"is one type", source.where(row_line, "type", row_values))
    said = written.lower()
    if said in SALES:
        return "sale"
    if said in REFUNDS:
        return "refund"
    raise InputError(f"is not a transaction type Stripe's itemized export lists ({', '.join(sorted(SALES | REFUNDS))})"
                     f": nexus does not guess whether it is a sale or a refund", source.where(line, "type", values))


def _exempt(source: Source, group: list[Row]) -> str:
    """``exempt`` where every row says the buyer is exempt or reverse-charged, else ``no``; a transaction that says
    it on some rows only is an error naming the first row that differs (its exemption cannot be split)."""
    reasons = [source.cell(values, "taxability_reason").lower() in EXEMPT_REASONS for _line, values in group]
    if all(reasons):
        return "exempt"
    if any(reasons):
        line, values = group[reasons.index(not reasons[0])]
        raise InputError("differs from the transaction's first row on whether the buyer is exempt or reverse-charged "
                         "(customer_exempt, reverse_charge): nexus cannot tell which part of the sale is exempt",
                         source.where(line, "taxability_reason", values))
    return "no"


def _lines(source: Source, rows: list[Row], code: str, kind: str) -> tuple[list[Item], Decimal, Decimal]:
    """The line items of ``rows`` (each read once, from its rows' shared subtotal), the sum of their subtotals and
    of every row's tax, signed as ``kind`` counts them (a refund's taken off whatever sign it is written with)."""
    subtotals: dict[str, tuple[Decimal, int]] = {}
    items: list[Item] = []
    tax = ZERO
    for line, values in rows:
        line_id = source.cell(values, "line_item_id")
        if not line_id:
            raise InputError("is empty: each row of a Stripe Tax itemized export is a line item's tax in one "
                             "jurisdiction, named by this column", source.where(line, "line_item_id", values))
        subtotal = source.money(values, line, "subtotal", code, required=True)
        tax += source.money(values, line, "tax_amount", code)
        seen = subtotals.get(line_id)
        if seen is not None:
            if seen[0] != subtotal:
                raise InputError(f"differs from the subtotal of the same line item on line {seen[1]} ({seen[0]}): "
                                 f"the rows of one line item each give its amount once, and nexus will not choose",
                                 source.where(line, "subtotal", values))
            continue
        subtotals[line_id] = (subtotal, line)
        category = source.categorizer.decide("", source.cell(values, "tax_code"))
        # A line's weight in splitting the transaction between categories: a credit line weighs nothing in a sale.
        weight = abs(subtotal) if kind == "refund" else max(subtotal, ZERO)
        items.append(Item(line, "", "", weight, category[0], category[1], False))
    net = sum((amount for amount, _line in subtotals.values()), ZERO)
    if kind == "refund":
        return items, -abs(net), -abs(tax)
    return items, net, tax
