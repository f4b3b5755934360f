"""Stripe's itemized balance report (Reports > Balance summary > Balance change from activity > Itemized; the Reports
API's ``balance_change_from_activity.itemized.3``, and ``.1`` and ``.2``, the same columns).

One row per balance transaction: every movement of money through the Stripe
balance, each on its own date. ``reporting_category`` says what a row is:
``charge`` is a sale; ``refund`` takes a sale back, and ``dispute`` (funds
withdrawn for a dispute) is a chargeback, each on its own date (the refunds
issue 16 asks to be read "as separate rows with their own date"); a
``dispute_reversal`` (a dispute the seller won) puts back what its dispute took,
a ``refund_failure`` what its refund took. A ``partial_capture_reversal`` (the
part of an authorisation never captured) and a ``charge_failure`` (a bank
debit that failed after it was counted) take their amount off the sale, as a
refund does. Payouts, Stripe's fees, transfers, top-ups and the other
categories Stripe lists are not sales: left out and counted in the row
account. A category Stripe does not list is an error naming the row.

``gross`` is the amount, in major units (``10.50``; ``1500`` for yen) of
``currency`` (lower case): the account's settlement currency, after any
conversion Stripe made (Stripe: "All transactions are shown in your
settlement currency"). It includes whatever tax and shipping the customer
paid: the report has no column for either. Its sign is not read: the
category says which way a row counts. ``customer_facing_amount`` (the amount
the customer saw) is not read: Stripe does not say in which units it is written.

The place is the charge's ``shipping_address_country``/``_state``, else the
customer's shipping address, else the card's billing address
(``card_address_...``), else the customer's address: columns the download
includes only when chosen. A refund or dispute without an address of its own
is placed where its charge (``charge_id``) was, when the charge is in the file.
The day is ``created`` (in the time zone the report was run in), else
``created_utc``.

Stripe's balance transactions export (Balances > Export: ``id, Type, Source,
Amount, Fee, Net, Currency, Created (UTC), Available On (UTC)...``) has no
customer address: it is recognised and refused with that reason.

More information: https://docs.stripe.com/reports/report-types/balance, https://docs.stripe.com/reports/balance
and https://docs.stripe.com/reports/reporting-categories
"""
from __future__ import annotations

from typing import Iterator, Sequence

from nexus.errors import InputError, Location, MissingColumns
from nexus.exports.base import Row, Source, looks_like

NAME = "stripe-balance"
TITLE = "a Stripe itemized balance report"
DOCS = "https://docs.stripe.com/reports/report-types/balance"
MARKETPLACE = False
#: A payment provider's export: a store's orders paid through it are in it too, under the provider's ids.
PAYMENTS = True
#: The columns naming the payment, as a store's export may name it (nexus.payment_matches): the charge's
#: ``charge_id`` (``ch_...``) and ``payment_intent_id`` (``pi_...``), where the download has them.
PAYMENT_COLUMNS: tuple[str, ...] = ("charge_id", "payment_intent_id")
DATE_COLUMNS = ("created", "created_utc")
#: A refund or dispute row with a ``charge_id`` names its charge as its order id: linked to the charge's day
#: (docs/exposure.md); one without is under its own ``source_id`` and stays netted on its own day.
LINKS_REFUNDS = True
#: Columns no other layout writes: a balance transaction's id beside its gross amount and reporting category.
SIGNATURE = ("balance_transaction_id", "gross", "reporting_category")
REQUIRED = ("balance_transaction_id", "created|created_utc", "currency", "gross", "reporting_category")
#: Stripe's balance transactions export (Balances > Export), as public importers of real exports read it.
BALANCE_EXPORT = ("id", "Type", "Source", "Amount", "Fee", "Net", "Currency", "Available On (UTC)")
#: The address columns, in the order a row is placed by: the charge's shipping address, the customer's shipping
#: address, the card's billing address, the customer's address (each column ``PREFIX_country`` and ``_state``).
ADDRESSES = ("shipping_address", "customer_shipping_address", "card_address", "customer_address")
#: ``reporting_category`` values that count, and how: the kind of record, and +1 (money in: a sale, or a refund or
#: chargeback put back) or -1 (money back to the customer).
COUNTED = {"charge": ("sale", 1), "refund": ("refund", -1), "refund_failure": ("refund", 1),
           "partial_capture_reversal": ("refund", -1), "charge_failure": ("refund", -1),
           "dispute": ("chargeback", -1), "dispute_reversal": ("chargeback", 1)}
#: The other categories Stripe lists (the Reports API's ``reporting_category`` values): money moved that is no
#: sale to a customer (payouts, Stripe's fees and the tax on them, Connect transfers, top-ups, Issuing, Capital).
NOT_SALES = frozenset({
    "advance", "advance_funding", "anticipation_repayment", "climate_order_purchase", "climate_order_refund",
    "connect_collection_transfer", "connect_reserved_funds", "contribution", "fee", "financing_paydown",
    "financing_paydown_reversal", "financing_payout", "financing_payout_reversal", "issuing_authorization_hold",
    "issuing_authorization_release", "issuing_dispute", "issuing_transaction", "network_cost", "other_adjustment",
    "payout", "payout_reversal", "platform_earning", "platform_earning_refund", "risk_reserved_funds", "tax",
    "topup", "topup_reversal", "transfer", "transfer_reversal"})


def detect(header: Sequence[object]) -> bool:
    return looks_like(header, SIGNATURE) or looks_like(header, BALANCE_EXPORT)


def read(source: Source) -> Iterator:
    if looks_like(source.header.names, BALANCE_EXPORT) and "balance_transaction_id" not in source.header:
        raise InputError("looks like Stripe's balance transactions export (Balances > Export), which has no "
                         "customer address: nexus cannot tell where its sales were made; download the Balance "
                         "summary report's itemized Balance change from activity instead, with the columns "
                         f"{_WANTED} chosen", Location(source.path, source.header_line))
    source.require(REQUIRED)
    addresses = _addresses(source)
    places: dict[str, str] = {}  # charge id -> its place, for refunds and disputes without an address
    waiting: list[list[Row]] = []  # refunds and disputes whose charge comes later in the file
    for group in source.groups("balance_transaction_id", blank_continues=False):
        yield from source.guarded(group, _transaction, source, addresses, group, places, waiting, False)
    for group in waiting:
        yield from source.guarded(group, _transaction, source, addresses, group, places, [], True)


#: The columns to choose when downloading, as messages name them.
_WANTED = "shipping_address_country, shipping_address_state, card_address_country and card_address_state"


def _addresses(source: Source) -> tuple[str, ...]:
    """The address prefixes the file has both columns of; none, or a country without its state, stops the file:
    the report's address columns are included only when chosen."""
    found = []
    for prefix in ADDRESSES:
        country, state = f"{prefix}_country", f"{prefix}_state"
        if country in source.header and state not in source.header:
            raise MissingColumns(f"looks like {TITLE} but has {country!r} without {state!r}: nexus needs the state "
                                 f"of a US or Canadian address; download it again with both chosen",
                                 Location(source.path, source.header_line))
        if country in source.header:
            found.append(prefix)
    if not found:
        raise MissingColumns(f"looks like {TITLE} but has no address column (shipping_address_country, "
                             f"card_address_country, customer_address_country...): nexus cannot tell where its sales "
                             f"were made; download it again (Balance summary > Balance change from activity > "
                             f"Itemized, or the Reports API's columns) with the columns {_WANTED} chosen; columns "
                             f"found: {', '.join(source.header.names)}", Location(source.path, source.header_line))
    return tuple(found)


def _transaction(source: Source, addresses: tuple[str, ...], group: list[Row], places: dict[str, str],
                 waiting: list, final: bool) -> Iterator:
    line, values = group[0]
    transaction = source.order_id(values, line, "balance_transaction_id")
    category = source.cell(values, "reporting_category").lower()
    if category in NOT_SALES:
        yield source.left_out(group, f"not a sale (reporting_category {category})")
        return
    if category not in COUNTED:
        raise InputError("is not a reporting category Stripe lists, so nexus cannot tell whether the row is a sale, a "
                         "refund or neither, and does not guess: if it is no sale, --skip-bad-rows leaves it out and "
                         "lists it", source.where(line, "reporting_category", values))
    kind, sign = COUNTED[category]
    charge = source.cell(values, "charge_id") or source.cell(values, "source_id") or transaction
    place = _place(source, addresses, values, line)
    if place is None and kind != "sale":
        where = source.where(line, f"{addresses[0]}_country", values)
        if not source.cell(values, "charge_id"):
            raise InputError(f"is empty, and the row has no charge_id to find the charge this {category} belongs to: "
                             f"download the report again with the charge_id column chosen", where)
        place = places.get(charge)
        if place is None and not final:
            waiting.append(group)  # its charge may come later in the file
            return
        if place is None:
            raise InputError(f"is empty, and the charge {charge!r} this {category} belongs to is not in the file: "
                             f"download the report over a period that includes the charge", where)
    if place is None:
        source.place(line, (f"{addresses[0]}_country", ""))  # raises: the country is empty
    assert place is not None
    if kind == "sale":
        places[charge] = place
    code = source.currency(values, line, "currency")
    day = source.day(values, line, "created" if "created" in source.header else "created_utc")
    amount = sign * abs(source.money(values, line, "gross", code, required=True))
    # A refund or dispute is one event of its charge: its balance transaction tells two alike apart.
    yield source.order(group, charge, day, place, code, amount, kind=kind, part="" if kind == "sale" else transaction)


def _place(source: Source, addresses: tuple[str, ...], values: Sequence[object], line: int) -> str | None:
    """Where the row's first address with a country puts it; None where every address is empty."""
    for prefix in addresses:
        country = source.cell(values, f"{prefix}_country")
        if country:
            state = f"{prefix}_state"
            return source.place(line, (f"{prefix}_country", country), (state, source.cell(values, state)))
    return None
