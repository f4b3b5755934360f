"""Money enters nexus through this module, and only here.

Amounts are read from text into ``Decimal`` (never through ``float``), carried
at full precision through conversion and sums, and rounded once, at the end, to
the currency's own minor unit (0 places for JPY, 3 for BHD) with one rounding
mode. py-moneyed's ``Money`` and ``Currency`` are the vocabulary.
"""
from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import moneyed
from moneyed import Money

from nexus.errors import BadAmount, UnknownCode, Location

#: Rounding applied when a figure is shown or stored. Half-up is what
#: accountants and most tax authorities expect (2.665 -> 2.67); Python's
#: default context would round half-even (2.665 -> 2.66).
ROUNDING = ROUND_HALF_UP

# 1234.56, -1234.56, 1,234.56, (1,234.56): thousands separators must be in
# groups of three so that "1,23" (a decimal comma) is refused, not misread.
_AMOUNT = re.compile(r"^(?P<sign>[+-]?)(?P<num>\d{1,3}(,\d{3})+|\d+)(?P<frac>\.\d+)?$")
_PAREN = re.compile(r"^\((?P<inner>[^()]*)\)$")


def parse_amount(text: object, location: Location | None = None) -> Decimal:
    """Read an amount written as text (or an XLSX number) into a ``Decimal``.

    Accepts ``1234.56``, ``-1234.56``, ``1,234.56`` and the accountant's
    ``(1,234.56)`` for a negative. An XLSX float goes through its shortest
    text form (``repr``), so ``0.1`` stays ``0.1``. Anything else raises
    ``BadAmount`` naming where the value came from.
    """
    if isinstance(text, bool):
        raise BadAmount("is not an amount", location)
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise BadAmount("is not a finite amount", location)
        return text
    if isinstance(text, int):
        return Decimal(text)
    if isinstance(text, float):
        text = repr(text)
        if text in ("nan", "inf", "-inf"):
            raise BadAmount("is not a finite amount", location)
        return Decimal(text)
    if not isinstance(text, str):
        raise BadAmount("is not an amount", location)
    s = text.strip()
    negative = False
    paren = _PAREN.match(s)
    if paren:
        s, negative = paren.group("inner").strip(), True
    m = _AMOUNT.match(s)
    if not m:
        hint = " (use a point for decimals; 1.234,56 style is not read)" if re.search(r"\d,\d{1,2}$", s) else ""
        raise BadAmount(f"is not an amount{hint}", location)
    if negative and m.group("sign"):
        raise BadAmount("has both parentheses and a sign", location)
    value = Decimal(m.group("sign") + m.group("num").replace(",", "") + (m.group("frac") or ""))
    return -value if negative else value


def currency(code: str, location: Location | None = None) -> moneyed.Currency:
    """The py-moneyed ``Currency`` for an ISO 4217 code, or ``UnknownCode``."""
    try:
        found = moneyed.get_currency(code.strip().upper())
    except (moneyed.CurrencyDoesNotExist, AttributeError):
        raise UnknownCode("is not an ISO 4217 currency code", location) from None
    if found.numeric is None and found.code not in ("XCG", "ZWG", "XAD"):
        # py-moneyed also lists non-ISO codes (IMP, TVD...) that have no number.
        raise UnknownCode("is not an ISO 4217 currency code", location)
    return found


def minor_units(code: str) -> int:
    """Digits after the decimal point in the currency's minor unit (JPY 0, BHD 3)."""
    sub_unit = currency(code).sub_unit
    return len(str(sub_unit)) - 1 if sub_unit > 1 else 0


def quantize(amount: Decimal, code: str) -> Decimal:
    """Round ``amount`` to the minor unit of ``code`` with :data:`ROUNDING`."""
    exponent = Decimal(1).scaleb(-minor_units(code))
    try:
        return amount.quantize(exponent, rounding=ROUNDING)
    except InvalidOperation:  # pragma: no cover - beyond 28 digits
        raise BadAmount(f"{amount} is too large to round") from None


def to_money(amount: Decimal, code: str) -> Money:
    """A ``Money`` rounded to its currency's minor unit."""
    return Money(quantize(amount, code), currency(code))


def format_amount(amount: Decimal, code: str) -> str:
    """``1,234.57`` with the currency's own decimals, for tables read by people."""
    places = minor_units(code)
    return f"{quantize(amount, code):,.{places}f}"
