"""Money enters nexus through this module, and only here.

Amounts are read from text into ``Decimal`` (never through ``float``), carried
at full precision through conversion and sums, and rounded once, at the end, to
the currency's own minor unit (0 places for JPY, 3 for BHD) with one rounding
mode. py-moneyed's ``Money`` and ``Currency`` are the vocabulary.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
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

# Thousands grouped by an apostrophe, as Swiss and Liechtenstein spreadsheets write them (1'234.56, or with the
# right single quotation mark U+2019 that Windows' de-CH setting uses, 1’234.56): no decimal is written so, so
# it reads alike with or without --decimal-comma, in the same groups of three as a comma's.
_APOSTROPHE_GROUPS = r"[1-9]\d{0,2}(['\u2019]\d{3})+"
# 1234.56, -1234.56, 1,234.56, 1'234.56, (1,234.56): thousands separators must be in
# groups of three after a first group that does not start with 0, so that
# "1,23" (a decimal comma) and "0,123" are refused, not misread.
_AMOUNT = re.compile(r"^(?P<sign>[+-]?)(?P<num>[1-9]\d{0,2}(,\d{3})+|" + _APOSTROPHE_GROUPS
                     + r"|\d+)(\.(?P<frac>\d+))?$")
# Under --decimal-comma: 1.234,56, 1 234,56, 1'234,56, 1234,56. A point (or a space) only groups thousands, in
# groups of three after a first group that does not start with 0: "1,234.56", "1234.567" and "0.123"
# are refused, never read as 1.23, 1,234,567 or 123.
_COMMA_AMOUNT = re.compile(r"^(?P<sign>[+-]?)(?P<num>[1-9]\d{0,2}(\.\d{3})+|[1-9]\d{0,2}([ \u00a0\u202f]\d{3})+|"
                           + _APOSTROPHE_GROUPS + r"|\d+)(,(?P<frac>\d+))?$")
#: Digits before the decimal point that an amount may have: below a quadrillion (10**15) in any
#: currency, which no order comes near, so that sums of millions of rows stay exact at 28 digits.
MAX_INTEGER_DIGITS = 15
_PAREN = re.compile(r"^\((?P<inner>[^()]*)\)$")


#: Zero as a spreadsheet's Accounting format shows it, and saves it to CSV: ``$ -`` (``- €``), its symbol apart.
ZERO_DASH = "-"

#: Currency symbols written in amount cells, and the currencies each may stand for. A backslash is the yen sign of
#: Shift-JIS (CP932) and the won sign of Korean code pages, where byte 0x5C is shown as ¥ or ₩: a Japanese Excel
#: saves a cell formatted ¥1,235 to CSV as \1,235.
SYMBOLS = {"\\": {"JPY", "KRW"}, "$": {"USD", "CAD", "AUD", "NZD", "SGD", "HKD", "MXN", "TWD", "CLP", "COP", "ARS"},
           "US$": {"USD"}, "C$": {"CAD"}, "CA$": {"CAD"}, "A$": {"AUD"}, "AU$": {"AUD"}, "NZ$": {"NZD"},
           "S$": {"SGD"}, "HK$": {"HKD"}, "NT$": {"TWD"}, "R$": {"BRL"}, "€": {"EUR"}, "£": {"GBP"},
           "¥": {"JPY", "CNY"}, "￥": {"JPY", "CNY"}, "円": {"JPY"}, "元": {"CNY"}, "₩": {"KRW"}, "₹": {"INR"},
           "₪": {"ILS"}, "₱": {"PHP"}, "฿": {"THB"}, "₫": {"VND"}, "zł": {"PLN"}, "kr": {"SEK", "NOK", "DKK", "ISK"},
           "Fr.": {"CHF"}, "SFr.": {"CHF"}, "R": {"ZAR"}}
#: The marks that end in a point (``Fr. 12.00``, as a Swiss Excel writes francs), matched whole: a point is
#: otherwise never part of a mark, so that ``$.50`` is not read as ``$`` and ``50``.
_POINTED = "|".join(re.escape(mark) for mark in SYMBOLS if mark.endswith("."))
#: Zero as the Accounting format shows it with its currency: ``$ -``, ``- €``, ``¥ -``, ``Fr. -``.
_ZERO_MARKED = re.compile(rf"^(?P<pre>{_POINTED}|[^\d\s(+\-.,]*)\s*-\s*(?P<post>{_POINTED}|[^\d\s().,\-]*)$")
_MARK = re.compile(rf"^(?P<pre>{_POINTED}|[^\d\s(+\-.,]*)\s*(?P<body>.*?)\s*(?P<post>{_POINTED}|[^\d\s).,]*)$")


def strip_currency(text: str, code: str | None, location: Location | None = None) -> str:
    """Remove a currency symbol or ISO code written around an amount, if it agrees with ``code``.

    ``$1,234.56``, ``1,234.56 USD``, ``¥1,235`` and ``EUR 12.50`` are read when
    the row's currency is one the mark can stand for; a mark that disagrees
    (``€12`` in a USD row) is an error, never silently ignored. Inside the
    accountant's parentheses too: ``($12.00)`` is ``(12.00)``.
    """
    s = text.strip()
    paren = _PAREN.match(s)
    if paren:
        inner = strip_currency(paren.group("inner"), code, location)
        return text if inner == paren.group("inner") else f"({inner.strip()})"
    negative = s.startswith("-")
    if negative:
        s = s[1:].strip()
    zero = _ZERO_MARKED.match(text.strip())
    if zero and (zero.group("pre") or zero.group("post")):
        _check_marks((zero.group("pre"), zero.group("post")), code, location)
        return ZERO_DASH
    m = _MARK.match(s)
    if not m or not (m.group("pre") or m.group("post")) or not re.search(r"\d", m.group("body")):
        return text
    _check_marks((m.group("pre"), m.group("post")), code, location)
    return ("-" if negative else "") + m.group("body")


def _check_marks(marks: tuple[str, str], code: str | None, location: Location | None) -> None:
    """Refuse a mark around an amount that is no currency's, or not ``code``'s."""
    for mark in marks:
        if not mark:
            continue
        allowed = SYMBOLS.get(mark) or ({mark.upper()} if re.fullmatch(r"[A-Za-z]{3}", mark) else None)
        if allowed is None:
            raise BadAmount(f"has {mark!r} around the amount, which is not a currency symbol or code", location)
        if code and code not in allowed:
            raise BadAmount(f"says {mark} but the row's currency is {code}", location)


def parse_amount(text: object, location: Location | None = None, decimal_comma: bool = False,
                 code: str | None = None) -> Decimal:
    """Read an amount written as text (or an XLSX number) into a ``Decimal``.

    Accepts ``1234.56``, ``-1234.56``, ``1,234.56`` and the accountant's
    ``(1,234.56)`` for a negative; with ``decimal_comma``, ``1.234,56``,
    ``1 234,56`` and ``1234,56`` (a point only groups thousands, in threes).
    An XLSX float goes through its shortest text form (``repr``), so ``0.1``
    stays ``0.1``. With the row's currency ``code``, text with more decimal
    places than the currency's minor unit is refused (see
    :func:`check_minor_unit`). Anything else raises ``BadAmount`` naming
    where the value came from.
    """
    if isinstance(text, bool):
        raise BadAmount("is not an amount", location)
    if isinstance(text, Decimal):
        if not text.is_finite():
            raise BadAmount("is not a finite amount", location)
        return _in_range(text, location)
    if isinstance(text, int):
        return _in_range(Decimal(text), location)
    if isinstance(text, float):
        text = repr(text)
        if text in ("nan", "inf", "-inf"):
            raise BadAmount("is not a finite amount", location)
        return _in_range(Decimal(text), location)
    if not isinstance(text, str):
        raise BadAmount("is not an amount", location)
    s = text.strip()
    if s == ZERO_DASH:
        return Decimal(0)  # zero as a spreadsheet's Accounting format shows it
    negative = False
    paren = _PAREN.match(s)
    if paren:
        s, negative = paren.group("inner").strip(), True
    m = (_COMMA_AMOUNT if decimal_comma else _AMOUNT).match(s)
    if not m:
        raise BadAmount(_not_an_amount(s, decimal_comma), location)
    if negative and m.group("sign"):
        raise BadAmount("has both parentheses and a sign", location)
    frac = m.group("frac") or ""
    if code is not None:
        check_minor_unit(frac, code, decimal_comma, location)
        if not decimal_comma and not frac and m.group("num").count(",") == 1 and comma_may_be_decimal(code):
            raise BadAmount(f"may be {m.group('num').replace(',', '')} or {m.group('num').replace(',', '.')}: "
                            f"{code} has 3 decimal places, and a spreadsheet where the comma is the decimal "
                            f"separator writes {m.group('num').replace(',', '.')} so; pass --decimal-comma if commas "
                            f"are decimals in this file, or write the amount without a comma", location)
    value = Decimal(m.group("sign") + re.sub(r"\D", "", m.group("num")) + ("." + frac if frac else ""))
    return _in_range(-value if negative else value, location)


def _not_an_amount(s: str, decimal_comma: bool) -> str:
    """Why ``s`` is not an amount, with the fix where the form says what was meant."""
    if decimal_comma:
        if re.search(r"\d,\d+\.\d", s):
            return ("is not an amount under --decimal-comma: a comma comes before a point (1,234.56 is written "
                    "with a decimal point: leave out --decimal-comma)")
        if re.search(r"\d\.\d{1,2}$", s) and "," not in s:
            return "has a decimal point but --decimal-comma was given"
        if "." in s:
            return ("is not an amount under --decimal-comma: a point only groups thousands, in threes after a first "
                    "group of 1 to 3 digits (1.234.567,89)")
        return "is not an amount (under --decimal-comma: 1.234,56 or 1234,56)"
    if re.search(r"\d,\d{1,2}$", s) or re.fullmatch(r"[+-]?\d{1,3}(\.\d{3})+,\d+", s):
        return "is not an amount (use a point for decimals, or pass --decimal-comma for 1.234,56)"
    return "is not an amount"


def check_minor_unit(frac: str, code: str, decimal_comma: bool = False, location: Location | None = None) -> None:
    """Refuse decimals ``frac`` (as written) that the currency ``code`` cannot carry.

    More places than the currency's minor unit is a misread waiting to happen: ``1.200`` in JPY is not
    1.2 yen, ``15.000`` in KRW not 15 won, but a point grouping thousands. Extra places are accepted only
    when they are all zeros and not three of them (``1200.00`` JPY is 1,200 yen; ``1.000`` is refused, as
    it may be a thousand). Codes without a minor unit in ISO 4217 (gold, SDR) are not checked.
    """
    frac = unicodedata.normalize("NFKC", frac)  # full-width zeros (１２００.００) are zeros too
    if not frac or not refuses_places(len(frac), len(frac.rstrip("0")), code):
        return
    minor = minor_units(code)
    separator = "comma" if decimal_comma else "point"
    hint = (f"; if the {separator} separates thousands, "
            + ("leave out --decimal-comma" if decimal_comma else "pass --decimal-comma")
            if len(frac) == 3 else "")
    raise BadAmount(f"has {len(frac)} decimal places but {code} has {minor}: refused rather than rounded{hint}",
                    location)


def comma_may_be_decimal(code: str) -> bool:
    """Whether one comma before three digits (``1,500``, no point) may be a decimal comma in ``code``: in a
    currency of three decimal places (BHD, KWD, OMR, JOD, TND) it is 1.500 as a spreadsheet writes it where the
    comma is the decimal separator, as much as 1500 with a thousands separator; read either way it is a thousand
    times the other, so it is refused unless ``--decimal-comma`` says (the DuckDB fast path asks this too)."""
    return _minor_unit_or_none(code) == 3


def refuses_places(places: int, significant: int, code: str) -> bool:
    """Whether an amount in ``code`` written with ``places`` decimals, ``significant`` of them before the
    trailing zeros, is refused (see :func:`check_minor_unit`; the DuckDB fast path asks this too)."""
    minor = _minor_unit_or_none(code)
    if minor is None or places <= minor:
        return False
    return significant > minor or places == 3


def checked_places(code: str) -> int | None:
    """The decimal places an amount in ``code`` may have without :func:`check_minor_unit` looking closer (its
    minor unit); None for codes whose places are not checked (gold, SDR)."""
    return _minor_unit_or_none(code)


_PLACES: dict[str, int] = {}


def fits_minor_unit(text: str, code: str) -> bool:
    """Whether a plain decimal ``text`` (``-1234.5``) has no more places than ``code`` carries, so that it reads
    as written; readers that take such cells straight into a ``Decimal`` ask this first, and send the rest to
    :func:`parse_amount` with the code, which refuses ``1.200`` JPY (see :func:`check_minor_unit`)."""
    point = text.find(".")
    if point < 0:
        return True
    places = _PLACES.get(code)
    if places is None:
        found = checked_places(code)
        places = _PLACES[code] = 99 if found is None else found
    return len(text) - point - 1 <= places


def _minor_unit_or_none(code: str) -> int | None:
    fact = currencies.facts(code)
    if fact is not None and fact.current and fact.minor_units is None:
        return None  # XAU, XDR, XXX: ISO gives no minor unit
    return minor_units(code)


def _in_range(value: Decimal, location: Location | None) -> Decimal:
    if value and value.adjusted() >= MAX_INTEGER_DIGITS:
        raise BadAmount(f"has more than {MAX_INTEGER_DIGITS} digits before the decimal point: nexus reads amounts "
                        f"below 10^{MAX_INTEGER_DIGITS} (a quadrillion) in any currency", location)
    return value


def currency(code: str, location: Location | None = None) -> moneyed.Currency:
    """The py-moneyed ``Currency`` for an ISO 4217 code (current or withdrawn), or ``UnknownCode``.

    Codes py-moneyed lists but ISO 4217 never had (IMP, TVD...) are refused;
    ISO codes py-moneyed lacks (XCG, ZWG...) are registered from ISO data.
    """
    text = unicodedata.normalize("NFKC", code).strip().upper() if isinstance(code, str) else ""  # ＵＳＤ is USD
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
