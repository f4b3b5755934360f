"""Reading one cell of an order: its date, its place, its amount, and the words of its currency, channel, kind,
exemption and category.

Each function turns what a cell holds, as written, into nexus's value, or raises an ``InputError`` that names the
cell (:class:`~nexus.errors.Location`). The reference reader (:func:`nexus.sales.parse_row`), every platform's
reader (:mod:`nexus.exports`) and the DuckDB fast paths (:mod:`nexus.own_layout_fast`, :mod:`nexus.fast_exports`) read
cells through these, so that every reader agrees on every value: a place, a word, a date.
"""
from __future__ import annotations

import calendar
import difflib
import functools
import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal
from typing import Callable, Iterable, Mapping, Sequence

from nexus import places
from nexus.categories import CATEGORY_WORDS, UNKNOWN, Categorizer
from nexus.errors import BadDate, InputError, Location, UnknownCode
from nexus.money import currency as find_currency
from nexus.money import parse_amount, strip_currency
from nexus.read_options import ReadOptions
from nexus.rules import CATEGORIES
from nexus.spreadsheets import without_marks

CHANNELS = ("direct", "marketplace", "reseller", "affiliate")
KINDS = ("sale", "refund", "chargeback")
#: An order's exemption as nexus keeps it (``yes`` and its synonyms read as ``exempt``).
EXEMPTIONS = ("no", "exempt", "resale")

#: The words a channel, kind or exemption cell may hold, and what each means (also rendered into the
#: daily-aggregates query: nexus.sql).
CHANNEL_WORDS = {"": "direct", "direct": "direct", "web": "direct", "online_store": "direct",
                 "marketplace": "marketplace", "mp": "marketplace", "reseller": "reseller",
                 "wholesale": "reseller", "distributor": "reseller", "affiliate": "affiliate"}
KIND_WORDS = {"": "sale", "sale": "sale", "sales": "sale", "order": "sale", "invoice": "sale",
              "refund": "refund", "return": "refund", "credit": "refund", "credit_note": "refund",
              "chargeback": "chargeback", "dispute": "chargeback"}
EXEMPT_WORDS = {"": "no", "no": "no", "n": "no", "false": "no", "0": "no", "taxable": "no",
                "yes": "exempt", "y": "exempt", "true": "exempt", "1": "exempt", "exempt": "exempt",
                "resale": "resale", "wholesale": "resale", "for_resale": "resale"}
#: A category cell that says nothing: the line takes its category from the next source (nexus.categories).
NO_CATEGORY = ("", "unknown", "n/a", "none")


def word_form(text: str) -> str:
    return re.sub(r"[\s\-]+", "_", _ascii_forms(text).strip().lower())


def _ascii_forms(text: str) -> str:
    """Full-width letters and digits (ＴＸ, ＵＳＤ, as Japanese systems type them) as ASCII, and invisible marks
    (:func:`~nexus.spreadsheets.without_marks`) left out, before any code or word is looked up; other text
    unchanged."""
    return text if text.isascii() else unicodedata.normalize("NFKC", without_marks(text))


def _unknown(kind: str, value: str, known: Iterable[str], location: Location) -> UnknownCode:
    common = places.COMMON_CODES.get(value.upper())
    if common is not None:
        return UnknownCode(f"is not {kind}: use {common[0]} ({common[1]})", location)
    close = _close_matches(value.upper(), tuple(sorted(known)))
    hint = f"; close matches: {', '.join(close)}" if close else ""
    return UnknownCode(f"is not {kind}{hint}", location)


@functools.lru_cache(maxsize=1024)
def _close_matches(value: str, known: tuple[str, ...]) -> tuple[str, ...]:
    """The codes closest to ``value``, worked out once per value: a file of rows skipped for the same unknown code
    (--skip-bad-rows) compared it with every country again on each row, 3 ms a row."""
    return tuple(difflib.get_close_matches(value, known, n=3, cutoff=0.5))


def place_cells(country: str, region: str, billing_country: str,
                billing_region: str | None) -> tuple[str, str, bool]:
    """The country and region a row is placed by, stripped, and whether they are the billing fallback: the
    ship-to pair, unless its country is empty and a billing (or neutral) country is there, with the billing
    region (or, where the file has no second region column, the one region column). The fast path reads
    places through this too."""
    country, region = country.strip(), region.strip()
    if country or not billing_country.strip():
        return country, region, False
    return billing_country.strip(), (region if billing_region is None else billing_region.strip()), True


def _text(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, float):
        return repr(value)
    return str(value)


#: A time after an ISO date: hours 0-23, minutes, optional seconds and fraction, optional offset, Z or zone
#: abbreviation, optional AM/PM. Whatever it says, the day is the date as written (the order's local date).
TIME_PART = (r"(?:[T ] ?(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60)(?:[.,][0-9]+)?)?(?: ?[AaPp][Mm])?"
             r"(?: ?(?:Z|[+-](?:[01][0-9]|2[0-3])(?::?[0-5][0-9])?|[A-Z]{3,4}))?)?")
_ISO_DATE = re.compile(r"(\d{4})[-/](\d{1,2})[-/](\d{1,2})" + TIME_PART)


def _no_such_day(year: int, month: int, day: int) -> str:
    """Why a date written in the ISO form does not exist: named, so that 2026-02-30 is not called a bad form."""
    if not 1 <= year <= 9999:
        return f"year {year} is outside 1 to 9999"
    if not 1 <= month <= 12:
        return f"there is no month {month}"
    return f"{calendar.month_name[month]} {year} has {calendar.monthrange(year, month)[1]} days"


def parse_date(value: object, date_format: str | None, location: Location, formats: bool = True,
               slash: Callable[[str, Location], date] | None = None) -> date:
    """A date from an ISO string (a valid time part ignored), ``YYYY/MM/DD``, an XLSX date or ``date_format``.

    A five-digit text is an Excel serial day (``46024``, or ``46024.75`` with its time of day, as a date and time
    cell saved in the General format writes it), unless it starts with 0 (``00001`` is an id or a code, not
    1900-01-01).
    """
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        from openpyxl.utils.datetime import from_excel

        if not value >= 1:  # Excel's first day is serial 1; 0 is a time of day, and below it nothing (NaN too)
            raise BadDate("is not a date: an Excel date is a serial day of 1 (1900-01-01) or more", location)
        try:
            converted = from_excel(value)
        except (ValueError, OverflowError, TypeError):
            raise BadDate("is not a date", location) from None
        if not isinstance(converted, datetime):
            raise BadDate("is not a date", location)
        return converted.date()
    text = str(value).strip()
    if not date_format and re.fullmatch(r"0\d{4}", text):
        raise BadDate("is not a date: a five-digit number starting with 0 would be an Excel serial day in 1900 "
                      "(pass --date-format if it is a date in another form)", location)
    if not date_format and re.fullmatch(r"\d{5}", text):
        return parse_date(int(text), None, location)  # an Excel serial date in a CSV cell
    if not date_format and re.fullmatch(r"[1-9]\d{4}\.\d+", text):
        return parse_date(int(text.split(".")[0]), None, location)  # a serial date and time: the day, its time aside
    if not date_format and re.fullmatch(r"\d{8}", text):
        date_format = "%Y%m%d"
    m = None if date_format else _ISO_DATE.fullmatch(text)
    try:
        if date_format:
            return _day_in_form(text, date_format)
        if m:
            return date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        pass
    if m:
        raise BadDate(f"is not a calendar date: {_no_such_day(int(m.group(1)), int(m.group(2)), int(m.group(3)))}",
                      location)
    written = None if date_format else _SPREADSHEET_DATE_TIME.fullmatch(text)
    if written and slash is not None:
        return slash(written.group(1), location)  # in the order the file's column shows (nexus.exports.base)
    # ``formats``: the file is one --date-format reads (orders), so the error may suggest it.
    if formats and not date_format and _SPREADSHEET_DATE.match(text):
        raise BadDate("is a date as a spreadsheet writes it, its day and month in an order nexus does not guess: "
                      "pass --date-format %m/%d/%Y or %d/%m/%Y (%d.%m.%Y for dots, %y for a two-digit year) as "
                      "the file's dates run; a time after the date is read aside", location)
    wanted = f"the form {date_format}" if date_format else f"YYYY-MM-DD{' (or pass --date-format)' * formats}"
    raise BadDate(f"is not a date in {wanted}", location)


#: A time of day after a date, as platforms and spreadsheets write it (`` 10:00``, `` 9:30:00 PM``, ``T10:00Z``).
_TIME_AT_END = re.compile(TIME_PART[:-1] + r"\Z")  # TIME_PART without its closing "?": a time, not optional
#: A date as a spreadsheet writes it in its locale's form: day and month in either order (``3/4/2026``,
#: ``04.03.2026 10:00``).
_SPREADSHEET_DATE = re.compile(r"\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2})(?:[ T]|\Z)")
#: Such a date, and a time after it that is a time (read aside, as after an ISO date).
_SPREADSHEET_DATE_TIME = re.compile(r"(\d{1,2}([/.])\d{1,2}\2(?:\d{4}|\d{2}))" + TIME_PART)


def _day_in_form(text: str, date_format: str) -> date:
    """The day ``text`` is in ``date_format`` (``--date-format``), a time after it read aside where the form gives
    none: a spreadsheet writes ``3/4/2026 10:00`` for a time and ``3/4/2026`` for a date alone in one column."""
    try:
        return datetime.strptime(text, date_format).date()
    except ValueError:
        timed = _TIME_AT_END.search(text)
        if timed is None or timed.start() == 0:
            raise
        return datetime.strptime(text[:timed.start()], date_format).date()


def _choice(words: Mapping[str, str], value: str, what: str, allowed: Sequence[str], location: Location) -> str:
    found = words.get(word_form(value))
    if found is None:
        raise InputError(f"is not a {what} ({', '.join(allowed)})", location)
    return found


def jurisdiction_of(country: str, region: str, where: Callable[[str], Location]) -> str:
    """``US-CA``, ``CA-QC`` or a country code, from a row's country and region as written (stripped).

    ``where(field)`` locates a bad value for the error. The DuckDB fast path reads places through this
    too, so both readers agree on every place.
    """
    written = country
    country = _ascii_forms(country).strip().upper()
    if country not in places.countries():
        from nexus.exports.addresses import country_code  # names, as platforms write them

        named = None if country in places.COMMON_CODES else country_code(written)  # UK, EL: said with why
        if named is not None:
            raise UnknownCode(f"is a country's name, not its ISO 3166-1 alpha-2 code: write {named}",
                              where("country"))
        raise _unknown("an ISO 3166-1 alpha-2 country code", country, places.countries(), where("country"))
    if country not in places.SUBDIVIDED:
        return places.one_code(country)  # Puerto Rico written as a country is US-PR, as written as a US region
    region = _ascii_forms(region).strip().upper()
    if region == "" and places.SUBDIVIDED[country]:
        raise InputError(f"is empty: a {country} row needs its state ({country}-XX or XX)", where("region"))
    if not region:
        return country
    code = region if region.startswith(f"{country}-") else f"{country}-{region}"
    known = places.subdivisions(country)
    if code not in known:
        from nexus.exports.addresses import region_code

        named = region_code(country, region)
        if named is not None:
            raise UnknownCode(f"is a name, not a {country} subdivision code: write {named.split('-')[1]} or {named}",
                              where("region"))
        raise _unknown(f"a {country} subdivision code", code, known, where("region"))
    return code


#: For each word field: the words read, what to call the field in an error, and the values allowed.
_WORDS = {"channel": (CHANNEL_WORDS, "channel", CHANNELS), "kind": (KIND_WORDS, "kind", KINDS),
          "exempt": (EXEMPT_WORDS, "exemption (yes, no, resale)", ("yes", "no", "resale")),
          "category": (CATEGORY_WORDS, "category", CATEGORIES)}


def word(field: str, text: str, options: ReadOptions, where: Callable[[str], Location]) -> str:
    """nexus's value for a currency, channel, kind, exemption or category as written (stripped), with the
    options' currency for empty cells. A category cell that says nothing (empty, ``unknown``) is ``--category``,
    else ``--unknown-category``, else ``unknown``: the DuckDB fast path, which maps words through this too, reads
    no SKUs or tax codes (:func:`category_of` does, for nexus's own reader)."""
    if field == "currency":
        text = text or (options.currency or "")
        if not text:
            raise InputError("is empty and no --currency was given", where("currency"))
        return find_currency(_ascii_forms(text), where("currency")).code
    if field == "category" and word_form(text) in NO_CATEGORY:
        return options.category or options.unknown_category or UNKNOWN
    words, what, allowed = _WORDS[field]
    return _choice(words, text, what, allowed, where(field))


#: Category cells already read, as written: a file has a handful of spellings, read a million times.
_OWN_CATEGORIES: dict[str, str] = {}


def category_says_nothing(text: str) -> bool:
    """Whether a category cell is empty or says ``unknown``: the line takes its category from the next source."""
    return word_form(text) in NO_CATEGORY


def category_of(text: str, sku: str, code: str, options: ReadOptions, categorizer: Categorizer | None,
                where: Callable[[str], Location]) -> tuple[str, str]:
    """A row's category and where it came from: its own cell when it says one (``column``), else the
    ``categorizer`` (``--category``, the products file by SKU, the tax code; nexus.categories)."""
    own = _OWN_CATEGORIES.get(text)
    if own is not None:
        return own, "column"
    if word_form(text) not in NO_CATEGORY:
        own = _choice(CATEGORY_WORDS, text, "category", CATEGORIES, where("category"))
        if len(_OWN_CATEGORIES) < 1000:  # a cell's few spellings, read once each
            _OWN_CATEGORIES[text] = own
        return own, "column"
    if categorizer is None:
        categorizer = Categorizer(options.category, options.products, options.unknown_category)
    return categorizer.decide(sku, code)


def money_cell(value: object, currency: str, where: Location, decimal_comma: bool) -> Decimal:
    """An amount cell in ``currency``: a currency mark that agrees with it is removed, then the amount read."""
    if isinstance(value, str):
        value = strip_currency(value, currency, where)
    return parse_amount(value, where, decimal_comma, currency)
