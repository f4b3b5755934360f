"""Orders that may be one sale counted twice, said once per run: nexus does not merge them on a guess, it names
them for the controller to decide.

Three warnings name such orders, each from its own evidence: WooCommerce's exports that name one order by its
number in one and by its post id in another (the same row holds both ids: nexus.exports.woocommerce.numbered_apart),
a payment named by two orders (nexus.payment_matches), and two platforms' copies of one order id, place and day
whose amounts differ (:class:`NearCopies`: not a migration overlap, which needs the amount to agree). Each pair of
orders is named once, by the most specific of them, in that order; a less specific warning counts the pairs named
above and names no more of them. The last two name :data:`NAMED_IN_FULL` pairs in full and the rest in one line
(the first, three), so that a month's export imported again does not fill the screen with a warning per order.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Collection, Iterable

from nexus.money import format_amount

#: How many pairs of orders a warning names in full; the rest are said in one line.
NAMED_IN_FULL = 5
#: Pairs of two platforms' copies kept to be named (about 300 bytes each); beyond them they are counted, with
#: their amounts, so that memory stays bounded whatever the files.
NEAR_KEPT = 10_000

#: An order as the warnings name it: its file and its order id as read.
OrderAt = tuple[str, str]
#: The orders a warning names together as possibly one sale.
Pair = frozenset[OrderAt]


@dataclass(frozen=True)
class Said:
    """A warning, and the pairs of orders it names (each pair once named, a less specific warning names it no
    more)."""

    text: str
    pairs: frozenset[Pair] = frozenset()


def named_above(warnings: Iterable[Said]) -> frozenset[Pair]:
    """Every pair of orders the ``warnings`` name."""
    return frozenset(pair for said in warnings for pair in said.pairs)


@dataclass(frozen=True)
class Copy:
    """One platform's copy of an order, as a warning names it: where it is, which export it is, and what it counts
    (``amount``: its sales before tax, shipping included, as a migration overlap compares them)."""

    file: str
    line: int
    order_id: str
    title: str
    currency: str
    amount: Decimal
    day: date
    place: str

    def named(self) -> str:
        return (f"{self.order_id!r} at {self.file}:{self.line} ({self.title}, {self.currency} "
                f"{format_amount(self.amount, self.currency)} before tax on {self.day} in {self.place})")


@dataclass
class NearCopies:
    """Two platforms' copies of one order id (a leading '#' aside) and place, a day apart at most, whose amount or
    currency differ: a migration overlap needs them to agree (nexus.row_account), so both are counted. The new
    platform's import may have changed a rounding or a shipping line, or the two may be two orders that share a
    number: nexus cannot tell, so it counts both and says so."""

    kept: list[tuple[Copy, Copy]] = field(default_factory=list)
    #: Pairs beyond :data:`NEAR_KEPT`: how many, and the first copies' amounts per currency.
    unkept: int = 0
    unkept_totals: dict[str, Decimal] = field(default_factory=dict)

    def add(self, first: Copy, later: Copy) -> None:
        if len(self.kept) < NEAR_KEPT:
            self.kept.append((first, later))
        else:
            self.unkept += 1
            self.unkept_totals[first.currency] = self.unkept_totals.get(first.currency, Decimal(0)) + first.amount

    def warnings(self, named: Collection[Pair]) -> list[str]:
        """The warning of each pair, :data:`NAMED_IN_FULL` in full and the rest in one line; a pair another warning
        names (``named``: a payment named by both orders) is counted in one line, not named again."""
        apart = [(a, b) for a, b in self.kept if frozenset({(a.file, a.order_id), (b.file, b.order_id)}) not in named]
        said = [f"order {a.named()} and {b.named()}: the same id and place, {_when(a.day, b.day)}, in two "
                f"platforms' exports but not the same {_differs(a, b)}, so not a migration overlap (where id, amount, "
                f"currency and place agree, a day apart at most): counted twice: if they are one sale, correct one "
                f"export" for a, b in apart[:NAMED_IN_FULL]]
        rest = apart[NAMED_IN_FULL:]
        if rest or self.unkept:
            said.append(self._the_rest(rest))
        if len(apart) < len(self.kept):
            n = len(self.kept) - len(apart)
            said.append(f"{_count(n, 'order', 'orders')} of the same id and place in two platforms' exports but "
                        f"other amounts, counted twice, {'is' if n == 1 else 'are'} named above by the "
                        f"{'payment its' if n == 1 else 'payments their'} two copies name")
        return said

    def _the_rest(self, rest: list[tuple[Copy, Copy]]) -> str:
        """The line that says the pairs beyond those named in full: how many, how much (the first copy of each, per
        currency), and the first few."""
        totals = dict(self.unkept_totals)
        for first, _later in rest:
            totals[first.currency] = totals.get(first.currency, Decimal(0)) + first.amount
        amounts = ", ".join(f"{code} {format_amount(total, code)}" for code, total in sorted(totals.items()))
        listed = rest[:NAMED_IN_FULL]
        shown = "; ".join(f"{a.order_id!r} ({a.file}:{a.line} and {b.file}:{b.line})" for a, b in listed)
        n = len(rest) + self.unkept
        more = f"; and {n - len(listed):,} more" if n > len(listed) else ""
        return (f"and {_count(n, 'more order', 'more orders')} of the same id and place in two platforms' exports "
                f"but other amounts ({amounts} before tax in all, as first read), counted twice as above: "
                f"{shown}{more}")


def _differs(a: Copy, b: Copy) -> str:
    """What keeps two copies apart, as the warning says it: the currency where it differs (the amounts then cannot be
    compared), else the amount."""
    return "currency" if a.currency != b.currency else "amount"


def _when(first: date, later: date) -> str:
    return "the same day" if first == later else "a day apart"


def _count(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"
