"""Migration overlaps: two platforms' copies of one order, counted once.

A store that moved from one platform to another exports some orders from both: the same id but a leading '#'
(:func:`bare_id`), the same amount, currency and place, the same day or a day apart. The row account
(nexus.row_account.RowAccount) finds them; here is what it remembers of the copy first met (:class:`CopyNote`),
which copy says more (:func:`says_more`: one with a category over one without), an order split between categories
as one record of the whole (:func:`whole_amount`, :func:`first_part`, :func:`parts_of`), a refund counted in the
categories of the copy that counts (:func:`in_categories`), and the words of an overlap's line (:func:`overlap_line`).
A payment provider's copy of a store's order is matched the same way (nexus.payment_matches).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal
from typing import NamedTuple, Sequence, Union

from nexus.categories import listed
from nexus.order_keys import iso_day, key_of, number_text
from nexus.orders import ZERO, CategoryPart, Order


#: What is remembered with a key: text, or a migration overlap's note of the copy first met (:class:`CopyNote`),
#: kept as it is while in memory and written as its text once on disk (most are never read again: building the
#: text for every sale cost about a third of looking for migration overlaps).
Content = Union[str, "CopyNote"]


def bare_id(order_id: str) -> str:
    """An order id as two platforms' copies of one order share it: without Shopify's leading '#' (#1001 and 1001)."""
    return order_id.lstrip("#").strip()


def whole_amount(order: Order) -> Decimal:
    """The amount of the whole order (or refund) that ``order`` is a part of, where it is split between categories:
    another platform's copy of it is one record, of the whole."""
    return sum((part.amount for part in order.parts), ZERO) if order.parts else order.amount


def first_part(order: Order) -> bool:
    """Whether ``order`` is read whole or is the first part of an order split between categories: the part that
    speaks for the order (it counts its transaction, and is matched first)."""
    return not order.parts or (order.category, order.category_source) == order.parts[0][:2]


def parts_of(order: Order) -> tuple[CategoryPart, ...]:
    """The parts of the order ``order`` is (one, itself, for an order read whole)."""
    return order.parts or (CategoryPart(order.category, order.category_source, order.amount, order.shipping,
                                        order.tax, order.location.line or 0),)


def in_categories(refund: Order, parts: Sequence[CategoryPart]) -> list[Order]:
    """``refund`` in the categories of the copy of its sale that counts (its ``parts``), split as a platform splits
    a refund of an order of several categories (nexus.exports.base.split): its amount less shipping by the parts'
    own, shipping by the parts' shipping (by their amounts where none has any), tax by the amounts so split. A full
    refund takes each part back exactly; the record's rows and SKUs go with its first part."""
    from nexus.exports.base import allocate  # here, not at the top: the platform readers import this module

    if len(parts) == 1:
        return [replace(refund, category=parts[0].category, category_source=parts[0].source)]
    goods = allocate(refund.amount - refund.shipping, [p.amount - p.shipping for p in parts])
    shipped = [p.shipping for p in parts]
    ship = allocate(refund.shipping, shipped if any(shipped) else [p.amount for p in parts])
    amounts = [g + s for g, s in zip(goods, ship)]
    taxes = allocate(refund.tax, amounts)
    return [replace(refund, category=p.category, category_source=p.source, amount=a, shipping=s, tax=t,
                    rows=refund.rows if i == 0 else 0, skus=refund.skus if i == 0 else ())
            for i, (p, a, s, t) in enumerate(zip(parts, amounts, ship, taxes))]


def category_names(parts: Sequence[CategoryPart]) -> list[str]:
    """The categories of an order's parts, each once, in the parts' order."""
    return list(dict.fromkeys(p.category for p in parts))


def categories_words(parts: Sequence[CategoryPart]) -> str:
    """A copy's categories as an overlap's line names them: ``category (goods)``, ``categories (goods and
    digital)``."""
    names = category_names(parts)
    return f"category ({names[0]})" if len(names) == 1 else f"categories ({listed(names)})"


def _split_between(parts: Sequence[CategoryPart]) -> str:
    """How a copy split between categories is split: ``split between goods and digital``."""
    names = category_names(parts)
    return f"split between {listed(names)}" if len(names) > 1 else f"split in {len(parts)} parts"


def overlap_line(order_id: str, given: Sequence[CategoryPart], title: str, file: str, line: int,
                 counted: Sequence[CategoryPart], when: str, why: str) -> str:
    """The line of a migration overlap: the copy that gave way (its ``given`` parts) was also exported in ``title``
    at ``file``:``line`` (the copy counted, its ``counted`` parts), ``when``, and ``why`` that copy counts. A copy
    split between categories is named by the lines of its parts, whose sum is the amount matched."""
    here = f", {_split_between(given)} (lines {listed([str(p.line) for p in given])})," if len(given) > 1 else ""
    there = (f"{file}:{listed([str(p.line) for p in counted])}, {_split_between(counted)}," if len(counted) > 1
             else f"{file}:{line}")
    whole = " in all" if len(given) > 1 or len(counted) > 1 else ""
    return (f"sale {order_id!r}{here} was also exported in {title} at {there} with the same amount{whole}, currency "
            f"and place, {when}: a migration overlap, counted once, as that copy ({why})")


class CopyNote(NamedTuple):
    """What is remembered of the copy of a sale that a migration overlap's key first met: enough to say which
    platform wrote it, whether it says more than another's copy, and to take it back out
    (:meth:`nexus.row_account.RowAccount._take_over`); its ``parts`` (one where it is read whole), which a refund
    counted from another copy takes."""

    source: str
    ident: bytes
    parts: tuple[CategoryPart, ...]
    id_column: str
    order_id: str

    @property
    def category(self) -> str:
        return self.parts[0].category

    @property
    def category_source(self) -> str:
        return self.parts[0].source

    @classmethod
    def of(cls, note: Content) -> CopyNote:
        """The note as remembered: itself while in memory, else read back from its :meth:`text`."""
        if type(note) is cls:
            return note
        assert isinstance(note, str)
        source, ident, parts, id_column, order_id = note.split("\x1f", 4)
        return cls(source, bytes.fromhex(ident), tuple(_part_of(text) for text in parts.split("\x1c")), id_column,
                   order_id)

    def text(self) -> str:
        """The note as the scratch file keeps it: the order id last, since it may hold any character."""
        parts = "\x1c".join("\x1d".join((p.category, p.source, str(p.amount), str(p.shipping), str(p.tax),
                                         str(p.line))) for p in self.parts)
        return "\x1f".join((self.source, self.ident.hex(), parts, self.id_column, self.order_id))


def _part_of(text: str) -> CategoryPart:
    category, source, amount, shipping, tax, line = text.split("\x1d")
    return CategoryPart(category, source, Decimal(amount), Decimal(shipping), Decimal(tax), int(line))


def copy_note(order: Order, ident: bytes) -> CopyNote:
    """:class:`CopyNote` of ``order`` (whose identity is ``ident``), as the overlap's key remembers it. Its row's
    text is not kept (writing it cost a third of reading the rows); :meth:`nexus.row_account.RowAccount.tell_rows`
    reads it again where the copy is listed."""
    return CopyNote(order.source, ident, parts_of(order), order.id_column, order.order_id)


def says_more(category_source: str, other: str) -> bool:
    """Whether a copy of a sale whose category came from ``category_source`` says more than one whose came from
    ``other``: a category the export gives (or a table or option gives its lines) over none."""
    return category_source != "unknown" and other == "unknown"


def when_words(there: date, here: date) -> str:
    """How the days of an overlap's two copies compare, as its line says it (``there`` the copy counted)."""
    return ("the same day" if there == here else
            f"a day apart ({there} there, {here} here, as when one platform writes times in UTC and the other "
            f"in the shop's time zone)")


def overlap_key(bare: str, order: Order, day: date) -> bytes:
    """What two platforms' copies of one order share (a migration overlap): the id without a leading '#', the
    amount (of the whole order, where a copy is split between categories), currency and place, on ``day``."""
    return key_of("overlap", bare, day.isoformat(), number_text(whole_amount(order)), order.currency,
                  order.jurisdiction)


def near_text(order: Order) -> str:
    """What is remembered of the first copy of a sale under its id and place
    (:meth:`nexus.row_account.RowAccount._near`): its platform, day, currency and amount (of the whole order), and its
    id, last since it may hold any character."""
    return "\x1f".join((order.source, iso_day(order.day), order.currency, number_text(whole_amount(order)),
                        order.order_id))
