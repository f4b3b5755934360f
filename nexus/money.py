"""Money enters nexus through this module, and only here.

Amounts are read from text into ``Decimal`` (never through ``float``), carried
at full precision through conversion and sums, and rounded once, at the end, to
the currency's own minor unit (0 places for JPY, 3 for BHD) with one rounding
mode. py-moneyed's ``Money`` and ``Currency`` are the vocabulary.
"""
from __future__ import annotations

import difflib
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import moneyed
from moneyed import Money

from nexus import currencies
from nexus.errors import BadAmount, Location, UnknownCode

currencies.correct_moneyed()  # py-moneyed's list dates from 2022: add the ISO codes it lacks

#: Rounding applied when a figure is shown or stored. Half-up is what
#: accountants and most tax authorities expect (2.665 -> 2.67); Python's
#: default context would round half-even (2.665 -> 2.66).
ROUNDING = ROUND_HALF_UP

# 1234.56, -1234.56, 1,234.56, (1,234.56): thousands separators must be in
# groups of three so that "1,23" (a decimal comma) is refused, not misread.
_AMOUNT = re.compile(r"^(?P<sign>[+-]?)(?P<num>\d{1,3}(,\d{3})+|\d+)(?P<frac>\.\d+)?$")
_PAREN = re.compile(r"^\((?P<inner>[^()]*)\)$")


#: Currency symbols written in amount cells, and the currencies each may stand for.
SYMBOLS = {"$": {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD", "CLP", "COP", "ARS"},
           "US$": {"USD"}, "C$": {"CAD"}, "CA$": {"CAD"}, "A$": {"AUD"}, "AU$": {"AUD"}, "NZ$": {"NZD"},
           "S$": {"SGD"}, "HK$": {"HKD"}, "NT$": {"TWD"}, "R$": {"BRL"}, "€": {"EUR"}, "£": {"GBP"},
           "¥": {"JPY", "CNY"}, "￥": {"JPY", "CNY"}, "円": {"JPY"}, "元": {"CNY"}, "₩": {"KRW"}, "₹": {"INR"},
           "₪": {"ILS"}, "₱": {"PHP"}, "฿": {"THB"}, "₫": {"VND"}, "zł": {"PLN"}, "kr": {"SEK", "NOK", "DKK", "ISK"},
           "Fr.": {"CHF"}, "R": {"ZAR"}}
_MARK = re.compile(r"^(?P<pre>[^\d\s(+\-.,]*)\s*(?P<body>.*?)\s*(?P<post>[^\d\s).,]*)$")


def strip_currency(text: str, code: str | None, location: Location | None = None) -> str:
    """Remove a currency symbol or ISO code written around an amount, if it agrees with ``code``.

    ``$1,234.56``, ``1,234.56 USD``, ``¥1,235`` and ``EUR 12.50`` are read when
    the row's currency is one the mark can stand for; a mark that disagrees
    (``€12`` in a USD row) is an error, never silently ignored.
    """
    s = text.strip()
    negative = s.startswith("-")
    if negative:
        s = s[1:].strip()
    m = _MARK.match(s)
    if not m or not (m.group("pre") or m.group("post")) or not re.search(r"\d", m.group("body")):
        return text
    for mark in (m.group("pre"), m.group("post")):
        if not mark:
            continue
        allowed = SYMBOLS.get(mark) or ({mark.upper()} if re.fullmatch(r"[A-Za-z]{3}", mark) else None)
        if allowed is None:
            raise BadAmount(f"has {mark!r} around the amount, which is not a currency symbol or code", location)
        if code and code not in allowed:
            raise BadAmount(f"says {mark} but the row's currency is {code}", location)
    return ("-" if negative else "") + m.group("body")


def parse_amount(text: object, location: Location | None = None, decimal_comma: bool = False) -> Decimal:
    """Read an amount written as text (or an XLSX number) into a ``Decimal``.

    Accepts ``1234.56``, ``-1234.56``, ``1,234.56`` and the accountant's
    ``(1,234.56)`` for a negative; with ``decimal_comma``, ``1.234,56`` and
    ``1 234,56``. An XLSX float goes through its shortest text form
    (``repr``), so ``0.1`` stays ``0.1``. Anything else raises ``BadAmount``
    naming where the value came from.
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
    if decimal_comma:
        if re.search(r"\d\.\d{1,2}$", s) and "," not in s:
            raise BadAmount("has a decimal point but --decimal-comma was given", location)
        s = s.replace(".", "").replace("\u00a0", "").replace(" ", "").replace(",", ".")
    negative = False
    paren = _PAREN.match(s)
    if paren:
        s, negative = paren.group("inner").strip(), True
    m = _AMOUNT.match(s)
    if not m:
        hint = (" (use a point for decimals, or pass --decimal-comma for 1.234,56)"
                if re.search(r"\d,\d{1,2}$", s) else "")
        raise BadAmount(f"is not an amount{hint}", location)
    if negative and m.group("sign"):
        raise BadAmount("has both parentheses and a sign", location)
    value = Decimal(m.group("sign") + m.group("num").replace(",", "") + (m.group("frac") or ""))
    return -value if negative else value


def currency(code: str, location: Location | None = None) -> moneyed.Currency:
    """The py-moneyed ``Currency`` for an ISO 4217 code (current or withdrawn), or ``UnknownCode``.

    Codes py-moneyed lists but ISO 4217 never had (IMP, TVD...) are refused;
    ISO codes py-moneyed lacks (XCG, ZWG...) are registered from ISO data.
    """
    text = code.strip().upper() if isinstance(code, str) else ""
    fact = currencies.facts(text)
    if fact is None:
        known = sorted(set(currencies.iso_current()))
        close = difflib.get_close_matches(text, known, n=3, cutoff=0.6)
        hint = f"; close matches: {', '.join(close)}" if close else ""
        raise UnknownCode(f"is not an ISO 4217 currency code{hint}", location)
    try:
        return moneyed.get_currency(text)
    except moneyed.CurrencyDoesNotExist:
        # A withdrawn ISO code py-moneyed never had: keep it readable for old exports.
        return moneyed.add_currency(text, fact.number, sub_unit=100, name=fact.name, countries=list(fact.countries))


def minor_units(code: str) -> int:
    """Digits after the decimal point in the currency's minor unit (JPY 0, BHD 3), from ISO 4217."""
    fact = currencies.facts(code)
    if fact is not None and fact.minor_units is not None:
        return fact.minor_units
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
