"""Order statuses a platform lets shops and plugins add, read without a guess passing unsaid.

WooCommerce's plugins add statuses (``Shipped``, ``Awaiting shipment``,
``Delivered``, a shop's own slug); BigCommerce lets a store rename its status
labels; Adobe Commerce stores create their own. A reader knows the platform's
own statuses: those that are sales and those that are not (cancelled, failed,
unpaid). A status it does not know is most often a paid order a fulfilment
plugin has moved on (shipped, delivered), so it is counted as a sale, as
before, but never silently: each file's unknown statuses are named in a
warning with how many orders and how much they count for, and
``--order-status STATUS=paid|unpaid`` says how to read one (a status so given
is said among the assumptions, with its orders and amounts too).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping

from nexus.money import format_amount
from nexus.read_options import ReadNotes

PAID, UNPAID = "paid", "unpaid"
#: What ``--order-status`` may say a status is.
READINGS = (PAID, UNPAID)


#: Words and separators that join a status's words: one ``-``.
_SEPARATORS = re.compile(r"[\s_\-]+")
#: Each status as written and its key, worked out once (a file has a handful of spellings), up to this many.
_KEYS: dict[str, str] = {}
KEYS_KEPT = 10_000


def status_key(text: str) -> str:
    """A status as written (``Awaiting Shipment``, ``awaiting_shipment``, ``wc-awaiting-shipment``) in one form,
    to match it against the platform's own and ``--order-status``: lower case, words joined by ``-``."""
    found = _KEYS.get(text)
    if found is None:
        found = _SEPARATORS.sub("-", text.strip().casefold()).removeprefix("wc-")
        if len(_KEYS) < KEYS_KEPT:
            _KEYS[text] = found
    return found


@dataclass
class _Tally:
    written: str
    orders: int = 0
    amounts: dict[str, Decimal] = field(default_factory=dict)


class Statuses:
    """How one file's order statuses read: a platform's own (``sales``, ``not_sales`` with why), and what
    ``--order-status`` (``given``: :func:`status_key` to :data:`READINGS`) says of others; the orders of statuses
    the platform does not define, or that the option reads, are counted to be said (:meth:`say`)."""

    def __init__(self, path: str, platform: str, column: str, sales: frozenset[str], not_sales: Mapping[str, str],
                 given: Mapping[str, str]):
        self.path, self.platform, self.column = path, platform, column
        self.sales, self.not_sales, self.given = sales, not_sales, given
        self._counted: dict[str, _Tally] = {}

    def left_out(self, status: str, written: str) -> str | None:
        """Why an order of ``status`` (its key) is not a sale, or None: it is one."""
        said = self.given.get(status)
        if said == UNPAID:
            return f"status {written!r} read as not paid (--order-status {status}={UNPAID})"
        if said is None and status in self.not_sales:
            return f"{self.not_sales[status]} ({self.column} {written})"
        return None

    def counted(self, status: str, written: str, currency: str, amount: Decimal) -> None:
        """An order of ``status`` counted as a sale of ``amount``: kept to be said where the status is not one of the
        platform's sales, or the option reads it."""
        if status in self.sales and status not in self.given:
            return
        tally = self._counted.setdefault(status, _Tally(written))
        tally.orders += 1
        tally.amounts[currency] = tally.amounts.get(currency, Decimal(0)) + amount

    def say(self, notes: ReadNotes) -> None:
        """A warning per status the platform does not define, counted as sales unasked; an assumption per status
        ``--order-status`` reads as paid."""
        for status, tally in self._counted.items():
            counts = (f"{tally.orders:,} order{'s' if tally.orders != 1 else ''} ({_amounts(tally.amounts)}) counted "
                      f"as {'sales' if tally.orders != 1 else 'a sale'}")
            if status in self.given:
                notes.assume(f"{self.path}: {self.column} {tally.written!r} read as paid (--order-status "
                             f"{status}={PAID}): {counts}")
                continue
            notes.warn(f"{self.path}: {self.column} {tally.written!r} is not one of {self.platform}'s statuses (a "
                       f"plugin's or the shop's own): {counts}, as paid orders moved on (shipped, delivered) are; if "
                       f"they were not paid, --order-status {status}={UNPAID} leaves them out ({status}={PAID} says "
                       f"they were)")


def _amounts(amounts: Mapping[str, Decimal]) -> str:
    return ", ".join(f"{code} {format_amount(total, code)}" for code, total in sorted(amounts.items()))
