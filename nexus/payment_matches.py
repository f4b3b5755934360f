"""A payment provider's export read beside a store's: the store's orders paid through the provider, matched by the
payment's id and counted once.

A finance team downloads the store's order export (Shopify, WooCommerce) and the payment provider's (Stripe,
PayPal) together, to bring in a dispute or the sales made outside the store. An order paid through the provider is
in both, under the store's number in one and the provider's id in the other: counted from each, it would be counted
twice. Where the store's export names the payment (Shopify's ``Payment References``, WooCommerce's
``transaction_id``) and the provider's names the same payment (Stripe's ``id`` or ``PaymentIntent ID``, its balance
report's ``charge_id`` or ``payment_intent_id``, PayPal's ``Transaction ID`` or ``Invoice Number``), the two rows
are one sale:

* counted once, from the store's copy, which carries the line items, categories, shipping and tax; the provider's
  row is a duplicate in its own file's row account, listed with both files and lines;
* the provider's refunds and chargebacks of it that the store's export does not hold (a dispute lost, a refund made
  in the provider's dashboard) are counted, on their own dates, at the order's place, split between the order's
  categories as the store's own refund of it would be, and linked to the store's order's day as the store's own
  refunds are (:attr:`PaymentMatches.sales`, read by :meth:`nexus.row_account.RowAccount.link_refunds`); those
  the store holds too (a refund of no more than the store's dated refunds of the order not yet matched) are
  duplicates, counted once there; of a larger refund, the part beyond them is counted; a dated refund of an order
  whose store's export gives its refunds only as a running total on the order's date (Shopify's) is counted on its
  own date in its place, the row account counting of the running total only the rest (nexus.row_account.
  RowAccount._running_total), whichever file is read first; a provider's own running total without its date (Stripe's
  older export's ``Amount Refunded``) is counted on the order's date with it, one reading with the provider's dated
  copies of the same total (nexus.running_totals.provider_total);
* a payment that matches no order is a sale made outside the store (an invoice, a payment link): counted, as ever,
  and said, how many and how much.

A store's export that names no payment (BigCommerce's, Adobe Commerce's, a WooCommerce export without
``transaction_id``, or one whose payment column is empty throughout), or a provider's export that names none nexus
matches by (Stripe Tax's), cannot be matched: the warning that each order
may be counted twice stays. Each export module says which of its columns name a payment (``PAYMENT_COLUMNS``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from itertools import combinations
from types import ModuleType
from typing import Collection, Iterable, Iterator, Sequence

from nexus.counted_twice import NAMED_IN_FULL, Pair
from nexus.exports.base import SHARE_PLACES, Header, _key, refund_parts
from nexus.money import format_amount
from nexus.read_options import ReadNotes, ReadOptions
from nexus.orders import CategoryPart, Duplicate, LeftOut, Order, _row_text
from nexus.order_keys import content_of
from nexus.overlaps import bare_id, in_categories, says_more
from nexus.row_account import repeated
from nexus.sales import first_row
from nexus.spreadsheets import read_rows

#: What parts the payment references of one cell (Shopify's ``Payment References`` lists each payment of an
#: order): a payment id holds none of these.
_SEPARATORS = re.compile(r"[\s,;+]+")


@dataclass
class _StoreOrder:
    """What a store's export says of one order whose payment it names: where it is, where it was sold and for how
    much, the refunds it holds (tax included, per currency, those not yet matched by a provider's refund), or why
    it is left out."""

    file: str
    line: int
    order_id: str
    title: str
    column: str
    #: The store's layout (``Order.source``) and the part of the order's first sale record: the sale's identity in
    #: the row account, whose day a provider's refund of the order is linked to.
    source: str = ""
    part: str = ""
    place: str = ""
    left_out: str = ""
    refunds: dict[str, Decimal] = field(default_factory=dict)
    #: The refunds it gives only as a running total on the order's date (Shopify's ``Refunded Amount``), tax
    #: included, per currency: a provider's dated refund is not their duplicate but counted on its own date, and the
    #: row account counts of the running total only what it says beyond them (nexus.row_account.RowAccount.
    #: _running_total).
    running: dict[str, Decimal] = field(default_factory=dict)
    #: Its dated refunds as a provider's running total of the order's payment finds them (Stripe's ``Amount
    #: Refunded``), per currency: every copy of that total (a later export's) is set against the same refunds, each
    #: copy being the payment's whole state, which nexus.row_account reads as one (:meth:`PaymentMatches._refund`).
    totals_held: dict[str, Decimal] = field(default_factory=dict)
    currency: str = ""
    #: Its parts per (category, where it came from), as the store's reader split it: a provider's refund of the
    #: order is split between them as the store's own refund of it is (nexus.overlaps.in_categories).
    parts: dict[tuple[str, str], CategoryPart] = field(default_factory=dict)
    day: date | None = None

    @property
    def net(self) -> Decimal:
        """The sale as the store counts it, shipping included (its parts summed): with :attr:`shipping` and
        :attr:`tax`, what a provider's refund that says no tax is split by."""
        return sum((p.amount for p in self.parts.values()), Decimal(0))

    @property
    def shipping(self) -> Decimal:
        return sum((p.shipping for p in self.parts.values()), Decimal(0))

    @property
    def tax(self) -> Decimal:
        return sum((p.tax for p in self.parts.values()), Decimal(0))

    def add_part(self, order: Order) -> None:
        """Add a sale record of the order to the part of its category (an order of goods and a download is two
        records; with ``--repeated-orders lines``, a category's lines may be several)."""
        key = (order.category, order.category_source)
        held = self.parts.get(key)
        if held is None:
            self.parts[key] = CategoryPart(key[0], key[1], order.amount, order.shipping, order.tax,
                                           order.location.line or 0)
        else:
            self.parts[key] = held._replace(amount=held.amount + order.amount, shipping=held.shipping + order.shipping,
                                            tax=held.tax + order.tax)


@dataclass(frozen=True)
class _TotalCopy:
    """One copy, as one export gives it, of a matched payment's running total refunded or lost dispute (Stripe's
    ``Amount Refunded``, ``Disputed Amount``: a layout's ``REFUNDS_ARE_TOTALS``): where it was read, and its content at
    the store's order's place, whole (nexus.order_keys.content_of), as the row account compares two copies; its day
    and money back (tax included), with the store's dated refunds of the order every copy is set against (``held``),
    to tell the refunds the copies bring (:func:`_refunds_brought`); and the count of :meth:`PaymentMatches.tell` it
    falls in (``said``: ``kept``, ``replaced`` or ``joined``; empty for a copy the store's refunds hold, or one said in
    a warning of its own)."""

    file: str
    line: int
    content: str
    day: date
    gross: Decimal
    held: Decimal
    said: str = ""


@dataclass
class _Provider:
    """A payment provider's file: the columns naming each payment."""

    path: str
    layout: ModuleType
    columns: tuple[int, ...]


def _references(values: Sequence[object], columns: Iterable[int]) -> list[str]:
    """The payment ids the cells under ``columns`` hold, in their order, each once."""
    found: list[str] = []
    for index in columns:
        cell = values[index] if index < len(values) else None
        if cell is None:
            continue
        for ref in _SEPARATORS.split(str(cell).strip()):
            if ref and ref not in found:
                found.append(ref)
    return found


def _positions(path: str, layout: ModuleType, options: ReadOptions) -> tuple[tuple[int, ...], tuple[str, ...]]:
    """Where the columns of ``layout.PAYMENT_COLUMNS`` are in ``path``'s header (the first of a name written
    twice), and their names, as the header finds them whatever their case and spacing."""
    header = Header(first_row(path, options) or [])
    named = tuple(name for name in layout.PAYMENT_COLUMNS if name in header)
    return tuple(header.index[_key(name)] for name in named), named


class PaymentMatches:
    """The store's orders that name a payment, and the provider's files to match against them.

    Built by :func:`plan` before any file is read, so that the match does not hang on the order of the files:
    each store export that names payments is read once beforehand (its reader, notes discarded)."""

    def __init__(self, options: ReadOptions):
        self.options = options
        self.refs: dict[str, list[tuple[str, str]]] = {}
        #: Each payment's store order that the row account counts, of those naming it (:meth:`join_copies`).
        self.counted: dict[str, tuple[str, str]] = {}
        self.orders: dict[tuple[str, str], _StoreOrder] = {}
        self.providers: dict[str, _Provider] = {}
        self.stores: list[tuple[str, ModuleType]] = []
        #: Provider payments matched: (provider's layout, payment id) -> the store order's key; and per file.
        self.matched: dict[tuple[str, str], tuple[str, str]] = {}
        self.matched_in: dict[str, set[str]] = {}
        #: Provider payments with a chargeback counted: a reversal of it is counted too.
        self.charged_back: set[tuple[str, str]] = set()
        self.refunds_kept: dict[str, int] = {}
        #: Per provider's file: its dated refunds of store orders whose export gives their refunds only as a running
        #: total on the order's date, counted on their own dates in its place.
        self.running_replaced: dict[str, int] = {}
        #: Per provider's file: its running totals refunded without a date (Stripe's older export) of such store
        #: orders, read with the store's running total on the order's date (nexus.running_totals.provider_total).
        self.running_joined: dict[str, int] = {}
        #: Provider payments with a refund or chargeback counted, (provider's layout, payment id): the store's sale
        #: it takes back, (store's layout, order id, part), whose day the row account links it to once every file
        #: is read (nexus.row_account.RowAccount.link_refunds), as it links the store's own refunds.
        self.sales: dict[tuple[str, str], tuple[str, str, str]] = {}
        #: Each pair of orders that a payment named by both is said of (:meth:`counted_twice`): a warning that names
        #: orders on less evidence (nexus.counted_twice.NearCopies) counts them, not naming them again.
        self.named: set[Pair] = set()
        #: A provider's refunds counted of store orders whose export holds refunds of them in another currency only
        #: (:func:`_other_currency`): the sentence naming each, said as a warning (:meth:`tell`).
        self.currencies_apart: list[str] = []
        #: Per (provider's layout, payment id, kind): the copies read of its running total refunded or lost dispute
        #: (:meth:`_copy_of_total`).
        self.total_copies: dict[tuple[str, str, str], list[_TotalCopy]] = {}
        #: Per (provider's layout, payment id) of a payment that matches no order (:meth:`_unmatched`): the file it is
        #: said of, its content (nexus.order_keys.content_of), currency and amount.
        self.unmatched: dict[tuple[str, str], tuple[str, str, str, Decimal]] = {}

    def learn(self, path: str, layout: ModuleType, columns: tuple[int, ...], names: tuple[str, ...]) -> None:
        """Read a store's export for the payments its orders name, the place of each, and its refunds.

        Every order is noted, and dropped once its records are read if it names no payment: an order of several
        categories is several records, and only the one read from its first row holds the payment (a store's reader
        gives an order's records one after the other, so memory holds the orders that name a payment only)."""
        from nexus import exports  # the platform readers build on nexus.sales: imported when needed

        found: dict[tuple[str, str], _StoreOrder] = {}
        named: set[tuple[str, str]] = set()
        last: tuple[str, str] | None = None
        rows = read_rows(path, self.options, None, ReadNotes(), quoted=exports.quoted(layout))
        for event in exports.read(layout, path, rows, self.options, notes=ReadNotes()):
            if type(event) is tuple:
                order, values = event
                key = (path, order.order_id)
                if last is not None and key != last and last not in named:
                    found.pop(last, None)
                last = key
                held = found.get(key)
                if held is None:
                    held = found[key] = _StoreOrder(path, order.location.line or 0, order.order_id, layout.TITLE,
                                                    names[0])
                if order.kind == "sale":
                    if not held.source:  # the order's first sale record: where the row account remembers its day
                        held.source, held.part, held.day = order.source, order.part, order.day
                    held.place, held.currency = held.place or order.jurisdiction, order.currency
                    held.add_part(order)
                else:
                    into = held.running if order.undated else held.refunds
                    into[order.currency] = into.get(order.currency, Decimal(0)) - _gross(order)
                line = order.location.line or 0
            elif isinstance(event, LeftOut) and _references(event.values, columns):
                line = event.location.line or 0
                key, values = (path, f"\x1fline {line}"), event.values
                held = found[key] = _StoreOrder(path, line, "", layout.TITLE, names[0], left_out=event.reason)
            else:
                continue
            refs = _references(values, columns)
            if refs:
                named.add(key)
                held.line = min(held.line, line)
            for ref in refs:
                keys = self.refs.setdefault(ref, [])
                if key not in keys:
                    keys.append(key)
        self.orders.update((key, found[key]) for key in named)

    def join_copies(self) -> None:
        """Give each payment the store order the row account counts (:meth:`_counted`), with the refunds of its
        latest word: a late export of the store may hold a refund made since the first (its refunds a running total
        or a longer list), which a provider's refund may then repeat."""
        for ref, keys in self.refs.items():
            counted = self.counted[ref] = self._counted(keys)
            for key in keys:
                for kept, given in ((self.orders[counted].refunds, self.orders[key].refunds),
                                    (self.orders[counted].running, self.orders[key].running)):
                    for code, amount in given.items():
                        kept[code] = max(kept.get(code, Decimal(0)), amount)

    def _counted(self, keys: list[tuple[str, str]]) -> tuple[str, str]:
        """Of the store orders naming one payment, the copy the row account counts: during a move, the copy of a
        migration overlap that says more (Shopify's, which gives its lines' category, over WooCommerce's, which gives
        none), else the one read first. A provider's refund of the order then takes that copy's category, and is
        linked to the sale counted: from WooCommerce's copy it was of unknown category, and a goods-only test (New
        York) counted the sale and left its refund out."""
        first = self.orders[keys[0]]
        return next((key for key in keys[1:] if _copies(first, self.orders[key])
                     and says_more(_told(self.orders[key]), _told(first))), keys[0])

    def counted_twice(self, named: Collection[Pair] = ()) -> list[str]:
        """A warning for each payment that orders the row account counts apart name: during a move the new platform
        may take an order in under a number of its own (WooCommerce's 3013 as Shopify's #9013, its post id) or with
        another amount, and two platforms' copies are one order only where the id (a leading '#' aside), amount,
        currency and place agree, a day apart at most (nexus.row_account's migration overlap): both copies are
        counted. nexus does not merge them on the payment alone (one payment may settle two orders): it names them,
        for the controller to decide. Orders a more specific warning above names as one order (``named``: pairs of
        (file, order id), WooCommerce's exports naming it by its number and by its post id) are counted in one
        line, not named again."""
        found = [(ref, apart) for ref, apart in ((ref, _apart(self.orders[key] for key in keys))
                                                 for ref, keys in self.refs.items()) if len(apart) > 1]
        self.named.update(pair for _ref, apart in found for pair in _pairs(apart))
        told = [all(pair in named for pair in _pairs(apart)) for _ref, apart in found]
        above = sum(told)
        found = [each for each, is_told in zip(found, told) if not is_told]
        said = []
        for ref, apart in found[:NAMED_IN_FULL]:
            which = " and ".join(f"{o.order_id!r} at {o.file}:{o.line} ({o.title}, {o.currency} "
                                 f"{format_amount(o.net + o.tax, o.currency)} on {o.day} in {o.place})" for o in apart)
            said.append(f"payment {ref!r} is named by {len(apart)} orders: {which}: if they are one sale (an order the "
                        f"new platform took in during a move under another number, amount or day), it is counted "
                        f"twice, as two platforms' copies are one order only where the id (a leading '#' aside), "
                        f"amount, currency and place agree, a day apart at most: leave the imported copy out of the "
                        f"new platform's export")
        if found[NAMED_IN_FULL:]:  # a month's late export under other ids: a line, not a warning per order
            said.append(_the_rest([apart for _ref, apart in found[NAMED_IN_FULL:]]))
        if above:
            said.append(f"{_count(above, 'payment is', 'payments are')} named by two orders counted apart that a "
                        f"warning above names as one order: {'it is' if above == 1 else 'each is'} counted twice, as "
                        f"said there")
        return said

    def events(self, path: str, events: Iterable) -> Iterator:
        """``events`` of one file, as :class:`~nexus.row_account.RowAccount` takes them: a provider's payments matched
        to a store's orders as duplicates, its refunds of them at the order's place or as duplicates (see the
        module)."""
        provider = self.providers.get(path)
        if provider is None:
            yield from events
            return
        for event in events:
            if type(event) is not tuple:
                yield event
                continue
            order, values = event
            if order.kind == "sale":
                yield self._sale(provider, order, values)
            else:
                yield from self._refund(order, values, bool(getattr(provider.layout, "REFUNDS_ARE_TOTALS", False)))

    def _sale(self, provider: _Provider, order: Order, values: Sequence[object]) -> object:
        key = next((self.counted[ref] for ref in _references(values, provider.columns) if ref in self.counted), None)
        if key is None:
            if order.transactions:
                self._unmatched(provider, order)
            return order, values
        self.matched[(order.source, order.order_id)] = key
        self.matched_in.setdefault(provider.path, set()).add(order.order_id)
        store = self.orders[key]
        if store.left_out:
            why = (f"is the payment of the order at {store.file}:{store.line} ({store.title}), which the store's "
                   f"export leaves out ({store.left_out}): not counted, as the store's export says")
        else:
            why = (f"is the payment of order {store.order_id!r} at {store.file}:{store.line} ({store.title}, its "
                   f"{store.column}): one sale in two exports, counted once, from the store's export")
        return _duplicate(order, values, f"payment {order.order_id!r} {why}")

    def _unmatched(self, provider: _Provider, order: Order) -> None:
        """Remember ``order``, a payment that matches no store order, as said of ``provider``'s file: the file of the
        copy the row account counts, the first read of copies alike (a later one is its duplicate), else the later
        (``--repeated-orders latest``, which ``lines`` is for a payment of one row; by default copies that differ
        stop the run). Before, each export holding the payment said it: the same export given twice said '1 payment
        (USD 75.00 of sales) matches no order and is counted as a sale of its own' of each, 150.00 for the 75.00
        counted."""
        key, content = (order.source, order.order_id), content_of(order)
        held = self.unmatched.get(key)
        if held is None or held[1] != content:
            self.unmatched[key] = (provider.path, content, order.currency, order.amount)

    def _refund(self, order: Order, values: Sequence[object], totals: bool = False) -> list:
        """The events a provider's refund or chargeback is: itself, where it is of no store's order; a duplicate; or
        its records at the order's place, one per category of the order. ``totals``: the provider's refunds are the
        payment's running total (``REFUNDS_ARE_TOTALS``), each copy of which is set against the store's refunds whole.
        """
        payment = (order.source, order.order_id)
        key = self.matched.get(payment) or self.counted.get(order.order_id)
        if key is None:
            return [(order, values)]
        store = self.orders[key]
        where = f"order {store.order_id!r} at {store.file}:{store.line}" if store.order_id else \
            f"the order at {store.file}:{store.line}"
        gross = -_gross(order)
        if store.left_out:
            return [_duplicate(order, values, f"{order.kind} of payment {order.order_id!r}, the payment of {where}, "
                                              f"which the store's export leaves out ({store.left_out}): not "
                                              f"counted")]
        total = totals and order.kind == "refund"
        held = store.totals_held.setdefault(order.currency, store.refunds.get(order.currency, Decimal(0))) if total \
            else store.refunds.get(order.currency, Decimal(0))
        joined = order.undated and order.kind == "refund" and bool(store.running.get(order.currency))
        if joined and store.day is not None:  # on the order's date, as the store's running total it is read with
            order = replace(order, day=store.day)
        copy = self._copy_of_total(order, store, held if total else Decimal(0)) if totals and gross > 0 else None
        if gross > 0 and order.kind == "refund" and gross <= held:
            if not total:
                store.refunds[order.currency] = held - gross
            return [_duplicate(order, values, f"refund of payment {order.order_id!r}, the payment of {where}, whose "
                                              f"refunds there hold it: counted once, from the store's export")]
        if gross < 0 and payment not in self.charged_back:
            return [_duplicate(order, values, f"{order.kind} of payment {order.order_id!r}, the payment of {where}, "
                                              f"puts back a chargeback not counted: not counted")]
        if order.kind == "chargeback" and gross > 0:
            self.charged_back.add(payment)
        if order.kind == "refund" and 0 < held < gross:  # the store holds part of it: the rest is counted
            if not total:
                store.refunds[order.currency] = Decimal(0)
            order = replace(order, **{part: (getattr(order, part) * (gross - held) / gross).quantize(SHARE_PLACES)
                                      for part in ("amount", "shipping", "tax")})
        apart = _other_currency(order, values, store) if order.kind == "refund" and gross > 0 else None
        if apart:
            self.currencies_apart.append(apart)
        said = "joined" if joined else "replaced" if order.kind == "refund" and store.running.get(order.currency) \
            else "" if apart else "kept"  # one the store holds in another currency is said in a warning of its own
        if copy is not None:  # counted once every copy is read (:meth:`_count_totals`)
            copies = self.total_copies[(order.source, order.order_id, order.kind)]
            copies[-1] = replace(copy, said=said)
        elif said:
            self._tally(said, order.location.file)
        if store.source:
            self.sales[payment] = (store.source, store.order_id, store.part)
        return [(part, values) for part in _at_the_order(order, store)]

    def _copy_of_total(self, order: Order, store: _StoreOrder, held: Decimal) -> _TotalCopy:
        """Remember ``order``, a copy of a matched payment's running total (``REFUNDS_ARE_TOTALS``: Stripe's ``Amount
        Refunded``, its lost dispute), and with ``--repeated-orders error`` (the default) stop where it differs from a
        copy read before, naming both rows, as the row account stops at any order repeated with other content.

        The row account does not see every copy: one the store's dated refunds hold (WooCommerce's ``refund_items``)
        is a duplicate here. Before, a later export's copy (27.00 by 20 Jul) beside one so held (10.80 by 5 Jul) was
        read under the default as if it were the only one, where the same copies of a payment matched to no order,
        or to a Shopify order, stop the run."""
        copy = _TotalCopy(order.location.file, order.location.line or 0, content_of(_placed(order, store)), order.day,
                          -_gross(order), held)
        copies = self.total_copies.setdefault((order.source, order.order_id, order.kind), [])
        first = copies[0] if copies else None
        copies.append(copy)
        if first is not None and first.content != copy.content and self.options.repeated_orders == "error":
            raise repeated(order, first.file, first.line, first.content, copy.content)
        return copy

    def _tally(self, said: str, file: str) -> None:
        """Count one refund or chargeback of ``file`` in the count of :meth:`tell` called ``said``."""
        counts = {"kept": self.refunds_kept, "replaced": self.running_replaced, "joined": self.running_joined}[said]
        counts[file] = counts.get(file, 0) + 1

    def _count_totals(self) -> None:
        """Count the refunds and lost disputes that the copies of each matched payment's running total bring
        (:func:`_refunds_brought`), each in the file of the copy that brings it. A refund two copies hold is one
        refund: before, each copy was counted in its own file, so that the same export given twice (10.80 refunded by
        5 Jul in both) said '1 refund or chargeback ... counted' of each file, two for the one refund counted."""
        for (_source, _payment, kind), copies in self.total_copies.items():
            for copy in _refunds_brought(copies, kind):
                if copy.said:
                    self._tally(copy.said, copy.file)
        self.total_copies.clear()

    def tell(self, notes: ReadNotes) -> None:
        """Say, per provider's export, what the match found: the payments that are the store's orders, those that
        match none (how many and how much), and the refunds kept."""
        stores = ", ".join(path for path, _layout in self.stores)
        self._count_totals()
        for provider in self.providers.values():
            matched = len(self.matched_in.get(provider.path, ()))
            parts = [f"{_count(matched, 'payment is', 'payments are')} of orders there, counted from the store's "
                     f"export alone (listed among the duplicates)"]
            unmatched = [(code, amount) for path, _content, code, amount in self.unmatched.values()
                         if path == provider.path]
            if unmatched:
                totals: dict[str, Decimal] = {}
                for code, amount in unmatched:
                    totals[code] = totals.get(code, Decimal(0)) + amount
                n = len(unmatched)
                amounts = ", ".join(f"{code} {format_amount(total, code)}" for code, total in sorted(totals.items()))
                parts.append(f"{_count(n, 'payment', 'payments')} ({amounts} of sales) "
                             f"{'match' if n != 1 else 'matches'} no order and {'are' if n != 1 else 'is'} counted "
                             f"as {'sales' if n != 1 else 'a sale'} of {'their' if n != 1 else 'its'} own (made "
                             f"outside the store: an invoice, a payment link)")
            kept = self.refunds_kept.get(provider.path, 0)
            if kept:
                parts.append(f"{_count(kept, 'refund or chargeback', 'refunds or chargebacks')} of those orders that "
                             f"the store's export does not hold {'are' if kept != 1 else 'is'} counted on "
                             f"{'their' if kept != 1 else 'its'} own date{'s' * (kept != 1)}, at the order's place, "
                             f"as a refund of the sale on the order's date")
            replaced = self.running_replaced.get(provider.path, 0)
            if replaced:
                many = replaced != 1
                parts.append(f"{_count(replaced, 'refund', 'refunds')} of orders whose store's export gives their "
                             f"refunds only as a running total on the order's date {'are' if many else 'is'} counted "
                             f"on {'their' if many else 'its'} own date{'s' * many} instead, at the order's place, the "
                             f"running total only for what it says beyond {'them' if many else 'it'}")
            joined = self.running_joined.get(provider.path, 0)
            if joined:
                parts.append(f"{_count(joined, 'refunded total', 'refunded totals')} without a date of orders whose "
                             f"store's export gives their refunds only as a running total on the order's date "
                             f"{'are' if joined != 1 else 'is'} counted on the order's date with it, the running total "
                             f"only for what it says beyond the payment's refunds")
            notes.assume(f"{provider.path} ({provider.layout.TITLE}) is matched to {stores} by the payment's id: "
                         f"{'; '.join(parts)}")
        for said in self.currencies_apart[:NAMED_IN_FULL]:
            notes.warn(said)
        if self.currencies_apart[NAMED_IN_FULL:]:
            notes.warn(f"and {_count(len(self.currencies_apart) - NAMED_IN_FULL, 'more refund', 'more refunds')} "
                       f"of a payment provider in another currency than the store's refunds of the same order: "
                       f"both counted, as above")


def _refunds_brought(copies: Sequence[_TotalCopy], kind: str) -> list[_TotalCopy]:
    """Of the copies of one payment's running total (in the order read), those that bring a refund the store's
    refunds and the other copies do not: as the row account reads them (nexus.running_totals.increases), each copy
    whose total is above the store's dated refunds and every state before it (by date, then amount; of two copies of
    one state, the one read first); of a total that fell since, the latest state alone, where above the store's. Of a
    lost dispute, one per charge, the copy read last (nexus.running_totals.dispute), or the first of those alike (the
    row account lists the others as its duplicates)."""
    if kind != "refund":
        return [next(copy for copy in copies if copy.content == copies[-1].content)] if copies else []
    ordered = sorted(copies, key=lambda copy: (copy.day, copy.gross))
    if any(later.gross < before.gross for before, later in zip(ordered, ordered[1:])):
        ordered = ordered[-1:]
    found: list[_TotalCopy] = []
    before = ordered[0].held if ordered else Decimal(0)
    for copy in ordered:
        if copy.gross > before:
            found.append(copy)
            before = copy.gross
    return found


def _apart(orders: Iterable[_StoreOrder]) -> list[_StoreOrder]:
    """Of the store orders naming one payment, one of each the row account counts apart (a copy of one already kept,
    a left-out order and a left-out row that names no order aside)."""
    apart: list[_StoreOrder] = []
    for store in orders:
        if store.order_id and not store.left_out and not any(_copies(store, o) for o in apart):
            apart.append(store)
    return apart


def _pairs(apart: Sequence[_StoreOrder]) -> list[Pair]:
    """Each two of the orders one payment names, as the warnings name a pair (nexus.counted_twice)."""
    return [frozenset({(a.file, a.order_id), (b.file, b.order_id)}) for a, b in combinations(apart, 2)]


def _the_rest(rest: list[list[_StoreOrder]]) -> str:
    """The line that says the payments named by orders counted apart beyond those named in full: how many, how much
    (each payment's first order, tax included, per currency), and the first few orders' ids."""
    totals: dict[str, Decimal] = {}
    for first, *_others in rest:
        totals[first.currency] = totals.get(first.currency, Decimal(0)) + first.net + first.tax
    amounts = ", ".join(f"{code} {format_amount(total, code)}" for code, total in sorted(totals.items()))
    ids = "; ".join(" and ".join(repr(o.order_id) for o in apart) for apart in rest[:NAMED_IN_FULL])
    more = f"; and {len(rest) - NAMED_IN_FULL:,} more" if len(rest) > NAMED_IN_FULL else ""
    return (f"and {_count(len(rest), 'more payment', 'more payments')} named by orders counted apart ({amounts} in "
            f"all), as above: {ids}{more}")


def _told(store: _StoreOrder) -> str:
    """Where a store order's category came from, as the row account weighs copies (``unknown`` where no line's
    category is known)."""
    return next((source for _category, source in sorted(store.parts) if source != "unknown"), "unknown")


def _copies(one: _StoreOrder, other: _StoreOrder) -> bool:
    """Whether the row account reads two stores' orders as copies of one order: one platform's (a late export, judged
    as a repeat), or two platforms' that agree on id, amount, currency and place, a day apart at most."""
    if bare_id(one.order_id) != bare_id(other.order_id):
        return False
    if one.source == other.source:
        return True
    return ((one.currency, one.net, one.place) == (other.currency, other.net, other.place) and one.day is not None
            and other.day is not None and abs((one.day - other.day).days) <= 1)


def _other_currency(order: Order, values: Sequence[object], store: _StoreOrder) -> str | None:
    """The warning for a provider's refund of a store's order whose export holds refunds of it in other currencies
    only (Shopify's ``Refunded Amount`` in the buyer's currency, a Stripe itemized balance report's refund in the
    account's settlement currency): both are counted, since nexus holds no rate the provider converted at (its own,
    with its fee, not the ECB's the check converts sales by) to tell how much of one the other is. Before, they were
    counted both without a word. None where the store holds a refund in the provider's currency, or none at all."""
    theirs = {code: money for kind in (store.running, store.refunds) for code, money in kind.items()
              if money and code != order.currency}
    if not theirs or store.running.get(order.currency) or store.refunds.get(order.currency):
        return None
    given = "; ".join(f"{code} {format_amount(money, code)}{' (a running total)' if code in store.running else ''}"
                      for code, money in sorted(theirs.items()))
    gross = -_gross(order)
    where = f"order {store.order_id!r} at {store.file}:{store.line}" if store.order_id else \
        f"the order at {store.file}:{store.line}"
    return (f"refund of payment {order.order_id!r} at {order.location.file}:{order.location.line} ({order.currency} "
            f"{format_amount(gross, order.currency)} on {order.day}) and the refunds of {where} ({store.title}: "
            f"{given}) are in different currencies: both are counted, as nexus has no rate to set one against the "
            f"other at; if they are one refund, it is counted twice: leave it out of one of the two exports")


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


def _at_the_order(order: Order, store: _StoreOrder) -> list[Order]:
    """A provider's refund or chargeback of a store's order, counted at the order's place and in its categories (the
    provider's export names none). Where the provider does not say its tax (Stripe's payments export never does), it
    is first split as the store's order is into sales, shipping and tax, as a store's own refund given as one amount
    is (a refund of the whole order is exactly its parts). An order of several categories (goods and a download) is
    then split between them as the store's reader splits the order's own refund (nexus.exports.base.split): one
    record per category, each with its part of the refund, so that each category's sales are those the store's own
    refund would leave; without it, the refund was counted under 'unknown'."""
    if not store.place:
        return [order]
    order = _placed(order, store)
    parts = list(store.parts.values())
    if len(parts) < 2:
        return in_categories(order, parts) if parts else [order]
    # Each record its own part, as a store's reader names an order's (nexus.exports.base.Source.orders): two records
    # of one refund are two events of it, not one written twice.
    return [replace(record, part=f"{order.part}{'|' if order.part else ''}{record.category}|{record.category_source}")
            for record in in_categories(order, parts)]


def _placed(order: Order, store: _StoreOrder) -> Order:
    """A provider's refund or chargeback at the store's order's place, split as the order is into sales, shipping and
    tax where the provider does not say its tax (see :func:`_at_the_order`); as it is where the order has no place."""
    if not store.place:
        return order
    if order.tax or not store.tax or order.currency != store.currency:
        return replace(order, jurisdiction=store.place)
    gross = _gross(order)
    amount, shipping, tax = refund_parts(abs(gross), store.net + store.tax, store.net, store.shipping, store.tax)
    sign = 1 if gross < 0 else -1  # refund_parts gives a refund's parts, negative; a reversal puts them back
    return replace(order, jurisdiction=store.place, amount=sign * amount, shipping=sign * shipping, tax=sign * tax)


def _gross(order: Order) -> Decimal:
    """What moved, tax included: how a store's refund and a provider's are compared."""
    return order.amount + order.tax


def _duplicate(order: Order, values: Sequence[object], reason: str) -> Duplicate:
    return Duplicate(order.location.file, order.location.line or 0, reason, order.id_column or "order_id",
                     order.order_id, _row_text(values), order.rows)


def _words(path: str, provider: ModuleType, store: str, sold: ModuleType) -> str:
    """The warning for a provider's export beside a store's that names no payment to match it by."""
    return (f"{path} ({provider.TITLE}) is read beside {store} ({sold.TITLE}), which names no payment the two could "
            f"be matched by: if the store took its payments through {provider.TITLE.split()[1]}, each order is in "
            f"both under two numbers and counted twice: give the store's exports, and the disputes lost as "
            f"chargeback rows in nexus's own layout (docs/input-formats.md)")


def plan(paths: Sequence[str], layouts: Sequence[ModuleType | None], options: ReadOptions,
         notes: ReadNotes, named: Collection[Pair] = ()) -> PaymentMatches | None:
    """The match of the payment providers' exports among ``paths`` to the stores' (the layouts that are neither a
    provider's nor a marketplace's, which takes its own payments), or None where there is nothing to match;
    ``notes`` warned of each provider's export beside a store's that names no payment to match it by, and of the
    payments named by orders counted apart (those of the pairs of orders ``named`` by a warning above counted
    only)."""
    providers = [(p, m) for p, m in zip(paths, layouts) if m is not None and m.PAYMENTS]
    stores = [(p, m) for p, m in zip(paths, layouts) if m is not None and not m.PAYMENTS and not m.MARKETPLACE]
    if not providers or not stores:
        return None
    matches = PaymentMatches(options)
    blind: list[tuple[str, ModuleType]] = []
    for path, layout in dict(stores).items():
        columns, names = _positions(path, layout, options)
        before = len(matches.orders)
        if columns:
            matches.learn(path, layout, columns, names)
        if len(matches.orders) > before:
            matches.stores.append((path, layout))
        else:
            blind.append((path, layout))
    matches.join_copies()
    for warning in matches.counted_twice(named):
        notes.warn(warning)
    for path, layout in dict(providers).items():
        columns, _names = _positions(path, layout, options)
        if columns and matches.stores:
            matches.providers[path] = _Provider(path, layout, columns)
        unmatched = blind if columns and matches.stores else stores
        if unmatched:
            notes.warn(_words(path, layout, *unmatched[0]))
    return matches
