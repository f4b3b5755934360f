"""What every platform reader shares: the header, cells, amounts, dates and places, and orders out.

A platform module (``shopify.py``...) reads one layout. It names its columns as
the platform writes them and leaves the rest to :class:`Source`: finding a
column whatever its case, reading an amount in the row's currency, a date in
the forms platforms write (ISO, ``03/04/2025`` day- or month-first, decided
for the whole file, ``Jan 5, 2025``), a place written as a code or a name,
and turning a group of rows into the :class:`~nexus.orders.Order` records the
accounting loop counts. A group that cannot be read is one error naming file,
line, column and value, or, with ``--skip-bad-rows``, its rows skipped and
listed.
"""
from __future__ import annotations

import operator
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from types import ModuleType
from typing import Callable, Iterable, Iterator, Mapping, NamedTuple, Sequence

from nexus.errors import BadDate, InputError, Location, MissingColumns, UnknownCode
from nexus.exports.addresses import country_code, region_code
from nexus.exports.statuses import Statuses
from nexus.money import fits_minor_unit, parse_amount, strip_currency
from nexus.timestamps import day_in
from nexus.categories import LINE_CATEGORIES, SOURCES, Categorizer, Signal
from nexus.read_options import ReadNotes, ReadOptions
from nexus.cells import _ISO_DATE, _text, category_of, jurisdiction_of, money_cell, parse_date, word
from nexus.orders import ZERO, CategoryPart, LeftOut, Order, RowProblem, SkuLine, _row_text, shortened_id
from nexus.sales import PLAIN_DECIMAL, _is_workbook, _short_row
from nexus.spreadsheets import has_value, read_rows, without_marks
from nexus.tables import repeated_column

Row = tuple[int, Sequence[object]]
"""A line number and the values of that row."""

#: An amount cell that is a plain decimal of ordinary size, which nexus.money reads as it is written (anything
#: else, and every cell with --decimal-comma, goes through nexus.money).
_PLAIN = re.compile(PLAIN_DECIMAL + r"\Z")
#: The most plain amounts as written a file's reading keeps (:meth:`Source.money`): far more than a shop has prices.
AMOUNTS_KEPT = 100_000
_SLASH = re.compile(r"^(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})(?:[\sT,].*)?$")
#: A date with no time after it, in any form a platform or a spreadsheet writes (ISO, slash, dotted).
_DATE_ALONE = re.compile(r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[/.]\d{1,2}[/.](?:\d{4}|\d{2}))$")
_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}
_MONTH_FIRST = re.compile(r"^([A-Za-z]{3})[a-z]*\.? (\d{1,2})(?:st|nd|rd|th)?,? (\d{4})\b")
_DAY_FIRST = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)? ([A-Za-z]{3})[a-z]*\.?,? (\d{4})\b")


def _date_form(value: object) -> str | None:
    """The form a date cell is written in, for :meth:`Source._scan_dates`: ``cell`` (a workbook's date, or a
    number: a date in the General format), ``year first`` (``2026-03-04``, ``2026/3/4 10:00``) or ``year last``
    (``15/06/2025``, ``31.10.2026``, Etsy's ``03/15/25``); None for anything else."""
    if isinstance(value, (date, int, float)) and not isinstance(value, bool):
        return "cell"
    if type(value) is not str:
        return None
    text = value.strip()
    if _ISO_DATE.fullmatch(text):
        return "year first"
    return "year last" if _SLASH.match(text) else None


def _key(name: str) -> str:
    return " ".join(without_marks(name).split()).casefold()


class Header:
    """A header row, with each column found by its name as the platform writes it (case and spacing aside)."""

    def __init__(self, values: Sequence[object]):
        self.names = [str(v) for v in values]
        self.index: dict[str, int] = {}
        #: Columns named twice (a column pasted in again, by hand): both places, 0-based.
        self.doubled: dict[str, tuple[int, int]] = {}
        for i, name in enumerate(self.names):
            key = _key(name)
            if key in self.index and key:
                self.doubled.setdefault(key, (self.index[key], i))
            self.index.setdefault(key, i)

    def position(self, name: str, where: Location) -> int | None:
        """Where the column ``name`` is (None when the header lacks it); a column a reader needs that the header
        names twice is an error naming both places: each may hold the figure meant, and nexus will not choose."""
        key = _key(name)
        if key in self.doubled:
            first, second = self.doubled[key]
            raise repeated_column(self.names[second], first, second, where)
        return self.index.get(key)

    def __contains__(self, name: str) -> bool:
        return _key(name) in self.index

    def has_all(self, names: Iterable[str]) -> bool:
        return all(name in self for name in names)

    def first(self, *names: str) -> str | None:
        """The first of ``names`` the header has (platforms rename a column now and then)."""
        return next((name for name in names if name in self), None)


def quoted(layout: ModuleType | None) -> bool:
    """Whether a layout's files quote their fields as CSV does (``QUOTES``: True unless the layout says not)."""
    return getattr(layout, "QUOTES", True)


def looks_like(header: Sequence[object], signature: Iterable[str]) -> bool:
    """Whether ``header`` has every column of a platform's ``signature`` (columns no other layout writes)."""
    found = Header(header)
    return found.has_all(signature)


def first_header(rows: Iterator[Row], path: str, what: str) -> tuple[Header, int]:
    """The first row with a value in it, as the header, and its line; the rows after it stay in ``rows``.
    A file with none is empty: no header and no ``what``."""
    for line, values in rows:
        if has_value(values):
            return Header(values), line
    raise InputError(f"is empty: no header row and no {what}", Location(path))


def require(header: Header, names: Iterable[str], title: str, where: Location, forced: str = "") -> None:
    """Stop, naming the layout, the file and the column, if ``header`` lacks a column the layout always writes
    (``a|b``: either). ``forced``: the layout was asked for (``--source-format``), not seen in the header, said so
    with what the header is instead."""
    for name in names:
        alternatives = name.split("|")
        if not any(a in header for a in alternatives):
            shown = " or ".join(repr(a) for a in alternatives)
            how = f"is read as {title} (--source-format {forced})" if forced else f"looks like {title}"
            raise MissingColumns(f"{how} but has no {shown} column; columns found: {', '.join(header.names)}"
                                 f"{_as_detected(header, forced) if forced else ''}", where)


def _as_detected(header: Header, forced: str) -> str:
    """Where ``--source-format`` gave a header another platform's layout than the one it shows, that one, as the
    way out (a header no platform's signature matches may be nexus's own layout or a platform's with a column
    lost: nothing is said of it)."""
    from nexus import exports  # here: the platform modules import this one

    found = exports.detect(header.names)
    return (f"; its header is {found.TITLE}'s, which nexus reads without --source-format"
            if found is not None and found.NAME != forced else "")


class Source:
    """One file being read in a platform's layout: its header, the options, and the helpers readers use.

    ``layout`` is the platform module (its ``NAME``, ``TITLE``, ``MARKETPLACE`` and ``DATE_COLUMNS``).
    """

    def __init__(self, layout, path: str, rows: Iterator[Row], options: ReadOptions,
                 categorizer: Categorizer | None = None, apart: bool = False, notes: ReadNotes | None = None):
        self.layout, self.path, self.options = layout, path, options
        #: Where a reader says how it read the file, when the reading is a choice the user must know of.
        self.notes = notes if notes is not None else ReadNotes()
        #: The rows are some of the file's, in its order (nexus.fast_exports): a gap between two rows' lines is
        #: other rows between them, so an order's rows on either side of it are two groups, as in the file.
        self.apart = apart
        self.categorizer = categorizer if categorizer is not None else Categorizer(
            options.category, options.products, options.unknown_category)
        self.name: str = layout.NAME
        #: The header of the order id the reader groups or reads rows by, named in messages about an order.
        self.id_column = ""
        self.channel = "marketplace" if getattr(layout, "MARKETPLACE", False) else "direct"
        self._rows = rows
        self.header, self.header_line = first_header(rows, path, "orders")
        self._date_order: str | None = None
        # Readers ask for the same columns, currencies, days and places row after row: found once each.
        self._columns: dict[str, int | None] = {}
        self._currencies: dict[str, str] = {}
        self._days: dict[str, date] = {}
        self._places: dict[tuple[str, str], str] = {}
        #: Plain amounts as written (unstripped) and their currency, read once each: prices, shipping and tax
        #: repeat from row to row, and most rows carry several.
        self._amounts: dict[str, dict[str, Decimal]] = {}
        self._amounts_kept = 0

    def statuses(self, platform: str, column: str, sales: frozenset[str], not_sales: Mapping[str, str]) -> Statuses:
        """The reading of this file's order statuses under ``column``: ``platform``'s own ``sales`` and ``not_sales``
        (keys of :func:`~nexus.exports.statuses.status_key`), and ``--order-status`` for others."""
        return Statuses(self.path, platform, column, sales, not_sales, self.options.order_statuses)

    def require(self, names: Iterable[str]) -> None:
        """Stop, naming the platform, the file and the column, if the header lacks a column the platform
        always writes."""
        forced = self.layout.NAME if self.options.source_format == self.layout.NAME else ""
        require(self.header, names, self.layout.TITLE, Location(self.path, self.header_line), forced)

    def rows(self) -> Iterator[Row]:
        """The rows after the header, blank ones left out; a row with more filled fields than the header
        has columns is an error (a stray delimiter)."""
        width = len(self.header.names)
        for line, values in self._rows:
            first = values[0] if values else None
            if not (type(first) is str and first.strip()) and not has_value(values):  # most rows: the first cell
                continue
            if len(values) > width and has_value(values[width:]):
                problem = InputError(f"has {len(values)} fields where the header has {width} (a stray delimiter "
                                     f"or an unquoted comma?)", Location(self.path, line))
                if not self.options.skip_bad_rows:
                    raise problem
                yield line, _Ragged(values, problem)
                continue
            yield line, values

    def groups(self, *id_columns: str, blank_continues: bool = True, or_else: str | None = None) -> Iterator[list[Row]]:
        """Consecutive rows that share an order id (the first of ``id_columns`` the header has, or where its cell is
        empty the column ``or_else``: an id a platform fills only sometimes), as platforms write the line items of
        one order; a row with an empty id continues the order before it, unless ``blank_continues`` is false (a
        layout of one row per order, where such a row is an order of its own whose id is missing:
        :meth:`order_id` then refuses it rather than its amounts being lost)."""
        column = self.header.first(*id_columns)
        self.id_column = column or ""
        index = self.column(column) if column else None
        group: list[Row] = []
        current: object = None
        for line, values in self.rows():
            cell = values[index] if index is not None and index < len(values) else ""
            key = cell.strip() if isinstance(cell, str) else cell
            if key == "" and or_else:
                key = self.cell(values, or_else)
            if group and ((key == current and key != "") or (key == "" and blank_continues)) and not (
                    self.apart and line != group[-1][0] + 1):
                if key != "" and type(values) is not _Ragged and shortened_id(cell):
                    values = self._shortened(cell, line, values, group[-1][0])
                group.append((line, values))
                continue
            if group:
                yield group
            group, current = [(line, values)], key
        if group:
            yield group

    def _shortened(self, cell: object, line: int, values: Sequence[object], before: int) -> _Ragged:
        """A row whose order id, the same as the row before's, is a long number a spreadsheet cut short
        (``1.00012E+15``; :func:`~nexus.orders.shortened_id`): the two rows may be one order's line items or two
        orders whose ids lost their last digits, and nexus will not guess. Kept with its error, which stops the
        reading (or with ``--skip-bad-rows`` skips the order's rows, listed) when the order is read."""
        written = _text(cell).strip()
        problem = InputError(f"order id {written!r} is also the id of the row before (line {before}); it is "
                             f"{shortened_id(cell)}, so the two rows may be different orders: export the order id "
                             f"column as text (or straight from the platform, not through a spreadsheet) and read "
                             f"again", Location(self.path, line, self.id_column, written))
        return _Ragged(values, problem)

    def order_id(self, values: Sequence[object], line: int, name: str) -> str:
        """The order id under ``name``, which a layout of one row per order writes on every row: an empty one
        is an error naming the row, since the order cannot be told from the others (or kept apart from them)."""
        self.id_column = name
        found = self.cell(values, name)
        if found == "":
            raise InputError(f"is empty: each row of {self.layout.TITLE} is an order of its own, named by this "
                             f"column", self.where(line, name, values))
        return found

    def refuse_unnamed(self, group: Sequence[Row], id_name: str, own: Sequence[str], or_else: str = "") -> None:
        """Stop at a row of ``group`` whose order id (under ``id_name``, else ``or_else``) is empty although it has
        the order's own ``own`` columns filled: in a layout of line items an empty id continues the order above,
        but such a row is another order whose id is missing, and would otherwise be lost in the order above."""
        for line, values in group:
            named = self.cell(values, id_name) or (or_else and self.cell(values, or_else))
            if not named and any(self.cell(values, column) for column in own):
                raise InputError(f"is empty, but the row has its own {' or '.join(own)}: an order of its own "
                                 f"whose id is missing", self.where(line, id_name, values))

    def column(self, name: str) -> int | None:
        """Where the column ``name`` is (None when the header lacks it)."""
        try:
            return self._columns[name]
        except KeyError:
            found = self._columns[name] = self.header.position(name, Location(self.path, self.header_line))
            return found

    def cell(self, values: Sequence[object], name: str) -> str:
        """The cell under ``name`` (``""`` when the header lacks it or the row is short), as text, stripped."""
        index = self._columns.get(name, -1)  # column() inlined: a reader asks for a few cells of every row
        if index == -1:
            index = self.column(name)
        if index is None or index >= len(values):
            return ""
        value = values[index]
        if type(value) is str:
            return value.strip()
        return _text(value).strip() if value is not None else ""

    def picker(self, *names: str) -> Callable[[Sequence[object]], Sequence[str]]:
        """A function giving the cells under ``names`` of a row, each as :meth:`cell` gives it: for a reader that
        reads the same columns of every row, one call a row instead of one a cell."""
        indexes = [self.column(name) for name in names]
        present = [i for i in indexes if i is not None]
        if not present:
            return lambda values: [""] * len(names)
        width = max(present) + 1
        if len(indexes) < 2 or None in indexes:  # a column the header lacks is empty, as cell() reads it
            def some(values: Sequence[object]) -> Sequence[str]:
                if len(values) >= width:
                    try:
                        return [values[i].strip() if i is not None else "" for i in indexes]  # type: ignore
                    except AttributeError:  # a cell that is not text (a workbook's number or date)
                        pass
                return [self.cell(values, name) for name in names]
            return some
        get = operator.itemgetter(*indexes)

        def pick(values: Sequence[object]) -> Sequence[str]:
            if len(values) >= width:
                try:
                    return [value.strip() for value in get(values)]
                except AttributeError:  # a cell that is not text (a workbook's number or date): as cell() reads it
                    pass
            return [self.cell(values, name) for name in names]
        return pick

    def money_picker(self, *names: str) -> Callable[[Sequence[object], int, str], list[Decimal]]:
        """A function giving the amounts under ``names`` of a row (``values``, its ``line``) in a currency, each as
        :meth:`money` reads it (zero when empty): for a reader that reads the same amounts of every row, the
        spellings already read found in one pass, the others (and every error) through :meth:`money`."""
        indexes = [self.column(name) for name in names]
        if len(indexes) < 2 or None in indexes:
            return lambda values, line, currency: [self.money(values, line, name, currency) for name in names]
        get, width = operator.itemgetter(*indexes), max(indexes) + 1  # type: ignore[type-var]
        # Per currency, the spellings read before, as Source.money read them, and an empty cell: zero.
        mine: dict[str, dict[object, Decimal]] = {}

        def pick(values: Sequence[object], line: int, currency: str) -> list[Decimal]:
            if len(values) < width:
                return [self.money(values, line, name, currency) for name in names]
            got = get(values)
            known = mine.get(currency)
            if known is None:
                known = mine[currency] = {"": ZERO}
            out = [known.get(value) for value in got]
            if None in out:
                for i, value in enumerate(got):
                    if out[i] is None:
                        out[i] = found = self.money(values, line, names[i], currency)
                        if type(value) is str and self._amounts.get(currency, {}).get(value) is found:
                            known[value] = found  # a plain amount Source.money keeps too
            return out
        return pick

    def where(self, line: int, name: str, values: Sequence[object] | None = None) -> Location:
        return Location(self.path, line, name, self.cell(values, name) if values is not None else None)

    def money(self, values: Sequence[object], line: int, name: str, currency: str, required: bool = False) -> Decimal:
        """The amount under ``name`` in ``currency`` (zero when empty, unless ``required``)."""
        index = self._columns.get(name, -1)
        if index == -1:
            index = self.column(name)
        value = values[index] if index is not None and index < len(values) else ""
        if type(value) is str:
            known = self._amounts.get(currency)
            if known is not None:
                found = known.get(value)
                if found is not None:
                    return found
            written = value
            value = value.strip()
            if not value:
                if required:
                    raise InputError("is empty", self.where(line, name, values))
                return ZERO
            if _PLAIN.match(value) and not self.options.decimal_comma and fits_minor_unit(value, currency):
                found = Decimal(value)  # most cells: read as nexus.money reads them
                if self._amounts_kept < AMOUNTS_KEPT:
                    self._amounts.setdefault(currency, {})[written] = found
                    self._amounts_kept += 1
                return found
        if value == "" or value is None:
            if required:
                raise InputError("is empty", self.where(line, name, values))
            return ZERO
        return money_cell(value, currency, Location(self.path, line, name, _text(value)), self.options.decimal_comma)

    def amount_in(self, text: str, where: Location, currency: str) -> Decimal:
        """An amount written within a cell (a WooCommerce refund's ``amount:12.00``), in ``currency``, read as
        nexus.money reads it (:func:`~nexus.money.parse_amount`); a plain one straight into a Decimal."""
        if _PLAIN.match(text) and not self.options.decimal_comma and fits_minor_unit(text, currency):
            return Decimal(text)
        return parse_amount(text, where, self.options.decimal_comma, currency)

    def money_in_its_own(self, values: Sequence[object], line: int, name: str) -> Decimal:
        """The amount under ``name`` in whatever currency its mark says (``€20.00``), or none: for a column in
        another currency than the row's that serves only as a share of another (Adobe Commerce's purchase-currency
        totals, turned to the base currency at the order's own rate). Zero when empty."""
        index = self.column(name)
        value = values[index] if index is not None and index < len(values) else ""
        if value == "" or value is None or (isinstance(value, str) and not value.strip()):
            return ZERO
        where = Location(self.path, line, name, _text(value))
        if isinstance(value, str):
            value = strip_currency(value, None, where)
        return parse_amount(value, where, self.options.decimal_comma)

    def refunded(self, values: Sequence[object], line: int, name: str, currency: str) -> Decimal:
        """The running total refunded under ``name``, as a positive amount: it is money back whichever sign the
        export writes it with (``-12.00``, ``(12.00)``), so a sign can never turn a refund into a sale."""
        return abs(self.money(values, line, name, currency))

    def quantity(self, values: Sequence[object], line: int, name: str) -> Decimal:
        """A quantity under ``name`` (1 when the column is missing or empty): a plain number."""
        text = self.cell(values, name)
        if text == "":
            return Decimal(1)
        index = self.column(name)
        written = index is not None and isinstance(values[index], str)  # not a number stored as a number (XLSX)
        # Text is written as the file writes its amounts: 1,5 is one and a half under --decimal-comma.
        plain = (text.replace(".", "").replace(",", ".") if self.options.decimal_comma and written
                 else text.replace(",", ""))
        try:
            found = Decimal(plain)
        except ArithmeticError:
            raise InputError("is not a quantity", self.where(line, name, values)) from None
        if not found.is_finite():
            raise InputError("is not a quantity", self.where(line, name, values))
        return found

    def currency(self, values: Sequence[object], line: int, name: str) -> str:
        """The ISO code of the currency under ``name`` (``usd`` read as ``USD``), or ``--currency``."""
        return self.currency_of(self.cell(values, name), line, name)

    def currency_of(self, text: str, line: int, name: str) -> str:
        """:meth:`currency` of the cell ``text`` (as :meth:`cell` gives it) under ``name``."""
        found = self._currencies.get(text)
        if found is None:
            where = Location(self.path, line, name, text)
            found = self._currencies[text] = word("currency", text, self.options, lambda _field: where)
        return found

    def day(self, values: Sequence[object], line: int, name: str) -> date:
        """The date under ``name``: ISO (time and offset ignored), ``Jan 5, 2025`` (``Jan 5th 2025``, as BigCommerce
        can write it), ``5 Jan 2025``, or
        ``03/04/2025`` read day-first or month-first as the whole file shows (:meth:`date_order`);
        ``--date-format`` when given."""
        return self.day_written(self.cell(values, name), line, name)

    def day_written(self, text: str, line: int, name: str) -> date:
        """:meth:`day` of the cell ``text`` (as :meth:`cell` gives it) under ``name``."""
        found = self._days.get(text)
        if found is None:
            found = self._days[text] = self.day_of(text, line, name)
        return found

    def day_of(self, text: str, line: int, name: str) -> date:
        """A date written as ``text`` in column ``name`` (or within a cell of it: WooCommerce's refund_items),
        read as :meth:`day` reads a column's: the file's date order and ``--date-format`` apply. With
        ``--time-zone``, a time written with its zone, or in a column whose name says it is UTC (Stripe's ``(UTC)``
        and ``_utc``), is the day it falls on in that zone (nexus.timestamps)."""
        if self.options.time_zone and text:
            lowered = name.lower()
            utc = "(utc)" in lowered or lowered.endswith("_utc")
            moved = day_in(self._iso_written(text, line, name), self.options.time_zone, utc=utc)
            if moved is not None:
                return moved
            if utc and _DATE_ALONE.match(text):
                raise BadDate(f"has no time of day, in a column of times in UTC: the day in {self.options.time_zone} "
                              f"(--time-zone) cannot be told (a spreadsheet's date format drops the time when it "
                              f"saves the file); take the export from the platform again, or leave out --time-zone",
                              Location(self.path, line, name, text))
        if not self.options.date_format:
            iso = _ISO_DATE.fullmatch(text)  # what most platforms write, read as parse_date reads it
            if iso:
                try:
                    return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
                except ValueError:
                    pass  # not a calendar date: said below, as parse_date says it
        where = Location(self.path, line, name, text)
        if text == "":
            raise InputError("is empty", where)
        if self.options.date_format:
            try:
                return parse_date(text, self.options.date_format, where)
            except BadDate:  # the format given may cover the date only, not the time after it
                return parse_date(text.split()[0], self.options.date_format, where)
        if _SLASH.match(text):
            return slash_day(text, self.date_order(), where)
        named = _MONTH_FIRST.match(text) or _DAY_FIRST.match(text)
        if named:
            first, second, year_text = named.groups()
            month_name, day_text = (first, second) if named.re is _MONTH_FIRST else (second, first)
            month_number = _MONTHS.get(month_name.lower())
            try:
                if month_number:
                    return date(int(year_text), month_number, int(day_text))
            except ValueError:
                pass
            raise BadDate("is not a date", where)
        return parse_date(text, None, where)

    def _iso_written(self, text: str, line: int, name: str) -> str:
        """``text``, a date and time a spreadsheet wrote in its own form (``7/2/2025 1:00``, ``02.07.2025 01:00``),
        written as ISO (``2025-07-02 1:00``), its day and month in the file's order (:meth:`date_order`), for
        :func:`~nexus.timestamps.day_in`; anything else as it is."""
        slash = _SLASH.match(text)
        tail = text[slash.end(3):] if slash else ""
        if not slash or not tail.strip():
            return text
        year, month, day = _year_month_day(slash, self.date_order())
        return f"{year:04d}-{month:02d}-{day:02d}{tail}"

    def date_order(self) -> str:
        """``day-first`` or ``month-first`` for the slash dates of this file, decided once from all of them:
        a first number above 12 shows day-first, a second number above 12 month-first. A file whose dates all
        read both ways takes its layout's ``DATE_ORDER`` where it has one (a platform that writes one order only),
        else it is an error asking for ``--date-format``, as is a file that shows both."""
        if self._date_order is None:
            self._date_order = self._scan_dates()
        return self._date_order

    def _scan_dates(self) -> str:
        columns = [c for c in getattr(self.layout, "DATE_COLUMNS", ()) if c in self.header]
        indexes = [(i, c) for c, i in zip(columns, map(self.column, columns)) if i is not None]
        return date_order_of(self.path, self.options, self.header_line, indexes, quoted(self.layout),
                             getattr(self.layout, "DATE_ORDER", None))

    def place(self, line: int, country: tuple[str, str], region: tuple[str, str] = ("", "")) -> str:
        """The jurisdiction of a ship-to (or billing) country and region, each given as (column, text), written
        as codes or names."""
        key = (country[1], region[1])
        found = self._places.get(key)
        if found is None:
            found = self._places[key] = self._place(line, country, region)
        return found

    def _place(self, line: int, country: tuple[str, str], region: tuple[str, str]) -> str:
        (country_column, country_text), (region_column, region_text) = country, region
        if country_text == "":
            raise InputError("is empty: nexus needs the country the order ships to (or is billed to)",
                             Location(self.path, line, country_column, country_text))
        code = country_code(country_text)
        if code is None:
            raise UnknownCode("is not a country nexus knows (a code such as US or a name such as United States)",
                              Location(self.path, line, country_column, country_text))
        region_written = region_code(code, region_text) or region_text

        def where(column: str) -> Location:
            return Location(self.path, line, region_column if column == "region" else country_column,
                            region_text if column == "region" else country_text)

        return jurisdiction_of(code, region_written, where)

    def order(self, group: Sequence[Row], order_id: str, day: date, place: str, currency: str, amount: Decimal,
              shipping: Decimal = ZERO, tax: Decimal = ZERO, kind: str = "sale", rows: int | None = None,
              part: str = "", undated: bool = False, category: tuple[str, str] | None = None,
              transactions: int = 1, skus: tuple[SkuLine, ...] | None = None,
              parts: tuple[CategoryPart, ...] = ()) -> tuple[Order, Sequence[object]]:
        """An order (or a refund of it) read from ``group``, as the accounting loop takes it. ``category`` is
        ``(category, source)``; without it, the order's lines have no category signal of their own (a layout with
        no line items): ``--category``, else ``unknown``. ``skus`` defaults to one line without a SKU; ``parts``
        are all the parts of an order split between categories, of which this is one."""
        line, values = group[0]
        said, source = category if category is not None else self.categorizer.decide()
        if skus is None:
            skus = (SkuLine("", "", amount, said, source, line),) if self.options.collect_skus else ()
        order = Order(order_id, day, place, amount, currency, self.channel, kind, "no", said,
                      Location(self.path, line), shipping, tax, self.name, part,
                      len(group) if rows is None else rows, undated, source, transactions, skus,
                      id_column=self.id_column, parts=parts)
        return order, values

    def orders(self, group: Sequence[Row], items: Sequence[Item], order_id: str, day: date, place: str,
               currency: str, net: Decimal, shipping: Decimal = ZERO, tax: Decimal = ZERO, kind: str = "sale",
               rows: int | None = None, part: str = "", undated: bool = False,
               transactions: int = 1) -> list[tuple[Order, Sequence[object]]]:
        """The order read from ``group`` whose line items are ``items``, one record per category (and source) of
        its lines: an order of goods and a download is two records, its amounts split between them
        (:func:`split`), the first counting the order's transaction. ``net`` includes ``shipping``; a refund
        (``rows`` 0) is split the same way. ``part`` is prefixed to each record's own part."""
        first = items[0] if items else None
        if first is not None and not self.options.collect_skus and all(
                it.category == first.category and it.source == first.source for it in items):
            # One category, as most orders are: the order as it is (nothing to split, no SKUs to keep).
            return [self.order(group, order_id, day, place, currency, net, shipping, tax, kind, rows, part, undated,
                               (first.category, first.source), transactions)]
        parts = split(items, net, shipping, tax)
        # Each part carries the whole split: another platform's copy of the order, one record, is matched on it.
        whole = tuple(CategoryPart(key[0], key[1], amount, ship, taxed, members[0].line)
                      for key, members, amount, ship, taxed in parts) if len(parts) > 1 else ()
        out = []
        for i, (key, members, amount, ship, taxed) in enumerate(parts):
            own = part if len(parts) == 1 else f"{part}{'|' if part else ''}{key[0]}|{key[1]}"
            skus = tuple(SkuLine(it.sku, it.name, share, key[0], key[1], it.line)
                         for it, share in zip(members, allocate(amount, [it.value for it in members]))) \
                if self.options.collect_skus else ()
            if rows is not None:
                count = rows
            else:
                count = len(members) if len(parts) > 1 else len(group)
            head = members[0].line
            line_values = next((values for line, values in group if line == head), group[0][1])
            out.append(self.order([(head, line_values)], order_id, day, place, currency, amount, ship, taxed, kind,
                                  count, own, undated, key, transactions if i == 0 else 0, skus, whole))
        return out

    def item(self, line: int, values: Sequence[object], sku: str, name: str, value: Decimal, ships: bool = True,
             signal: Signal | None = None, own: str = "") -> Item:
        """A line item: its category (and source) decided from ``own`` (a category column, where the layout has
        one), else the products file by SKU, the tax code, the platform's ``signal`` (nexus.categories)."""
        if own:
            category = category_of(own, sku, "", self.options, self.categorizer,
                                   lambda field: Location(self.path, line, field, own))
        else:
            category = self.categorizer.decide(sku, "", signal)
        return Item(line, sku, name, value if value > 0 else ZERO, category[0], category[1], ships)

    def left_out(self, group: Sequence[Row], reason: str, rows: int | None = None) -> LeftOut:
        line, values = group[0]
        return LeftOut(Location(self.path, line), reason, values, len(group) if rows is None else rows)

    def guarded(self, group: Sequence[Row], build: Callable[..., Iterable], *args: object) -> Iterator:
        """What ``build(*args)`` makes of ``group``; if a cell cannot be read, the error, or with
        ``--skip-bad-rows`` the group's rows skipped and listed (an order is read whole or not at all)."""
        try:
            for _line, values in group:
                if type(values) is _Ragged:
                    raise values.problem
            events = list(build(*args))
        except InputError as exc:
            width = len(self.header.names)
            short = next((values for line, values in group if exc.location is not None
                          and line == exc.location.line and len(values) < width), None)
            if short is not None and not _is_workbook(self.path):
                exc = _short_row(exc, len(short), width)
            if not self.options.skip_bad_rows:
                raise exc from None
            line, values = group[0]
            loc = exc.location or Location(self.path, line)
            yield RowProblem(self.path, loc.line or line, exc.message, loc.column, loc.value, _row_text(values),
                             len(group))
            return
        yield from events


def slash_day(text: str, order: str, where: Location) -> date:
    """The day of a slash or dotted date (``03/04/2025``, ``31.10.2026 10:00``, ``03/15/25``), its day and month in
    ``order`` (``day-first`` or ``month-first``), a time after it read aside."""
    slash = _SLASH.match(text)
    if slash is None:
        raise BadDate("is not a date", where)
    try:
        return date(*_year_month_day(slash, order))
    except ValueError:
        raise BadDate(f"is not a date read {order}", where) from None


def _year_month_day(slash: re.Match[str], order: str) -> tuple[int, int, int]:
    """The year (a two-digit one in this century), month and day of a :data:`_SLASH` match, its day and month in
    ``order`` (``day-first`` or ``month-first``)."""
    a, b, year = (int(g) for g in slash.groups())
    year += 2000 if len(slash.group(3)) == 2 else 0
    return (year, b, a) if order == "day-first" else (year, a, b)


def date_order_of(path: str, options: ReadOptions, header_line: int, indexes: Sequence[tuple[int, str]],
                  quoted_fields: bool = True, default: str | None = None, year_first_native: bool = False) -> str:
    """``day-first`` or ``month-first`` for the slash dates of the date columns ``indexes`` (position and name) of
    the file at ``path``, decided once from all of them: a first number above 12 shows day-first, a second number
    above 12 month-first. A file whose dates all read both ways takes ``default`` where the layout has one (a
    platform that writes one order only), else it is an error asking for ``--date-format``, as is a file that shows
    both, or a column a spreadsheet converted in part (:func:`_refuse_converted`; dates year first are the layout's
    own where ``year_first_native``: nexus's)."""
    columns = [column for _i, column in indexes]
    seen: dict[str, int] = {}
    #: Per column, the first date of each form it is written in (:func:`_date_form`): line and value.
    forms: dict[str, dict[str, tuple[int, object]]] = {column: {} for column in columns}
    first: tuple[int, str, str] | None = None  # the first slash date: line, column, text
    rows = read_rows(path, options, quoted=quoted_fields)
    try:
        for line, values in rows:
            if line <= header_line:
                continue
            for i, column in indexes:
                value = values[i] if i < len(values) else ""
                form = _date_form(value)
                if form is None or (form == "year first" and year_first_native):
                    continue
                forms[column].setdefault(form, (line, value))
                m = _SLASH.match(value.strip()) if type(value) is str else None
                if m and first is None:
                    first = (line, column, value.strip())
                if m and int(m.group(1)) > 12:
                    seen.setdefault("day-first", line)
                elif m and int(m.group(2)) > 12:
                    seen.setdefault("month-first", line)
            if len(seen) == 2 or any(len(found) > 1 for found in forms.values()):
                break
    finally:
        getattr(rows, "close", lambda: None)()
    for column, found in forms.items():
        _refuse_converted(path, column, found)
    if len(seen) == 2:
        raise BadDate(f"mixes day-first dates (line {seen['day-first']}) and month-first dates (line "
                      f"{seen['month-first']}): pass --date-format", Location(path, None, columns[0]))
    if not seen and default:
        return default  # a platform that writes one order only (Etsy's month-first)
    if not seen:
        line, column, written = first or (None, columns[0] if columns else None, None)
        raise BadDate("reads both day-first and month-first, as every date of the column does (none has a day "
                      "above 12 to settle which is the day): pass --date-format %d/%m/%Y or %m/%d/%Y (%y for a "
                      "two-digit year: %m/%d/%y)", Location(path, line, column, written))
    return next(iter(seen))


def _refuse_converted(path: str, column: str, forms: Mapping[str, tuple[int, object]]) -> None:
    """Stop at a date column holding dates a spreadsheet converted beside dates it left as text (``15/06/2025``):
    a workbook's date cells, or in a CSV dates year first (``2003/5/25``). The spreadsheet that opened the
    export turned into its own dates those it could read, in its own order, and left the others, which do not
    fit that order; the text shows the export's. The converted ones hold the spreadsheet's reading, not the
    export's text: a cell's day and month swapped (5 June read as 6 May), a year taken from the front (a
    Japanese Excel reads Etsy's ``03/05/25`` as 2003-05-25); nexus cannot put them back. (Dates a spreadsheet
    rewrote with the year last, ``05.06.2026`` beside ``10/31/2026``, keep their day and month where it read
    them, in its own order, and are read by the column's order as written.)"""
    if "year last" not in forms or len(forms) < 2:
        return  # one form, or dates year first only (unambiguous, cells or text alike)
    text_line, written = forms["year last"]
    if "cell" in forms:
        line, value = forms["cell"]
        shown = _text(value).split(" 00:00:00")[0]
        raise BadDate(f"is a spreadsheet's date cell, in a column whose dates are also written as "
                      f"text (line {text_line}: {written!r}): the spreadsheet that opened the export turned "
                      f"into dates those it could read in its own order of day and month and left the "
                      f"others as text, so the day and month of this one may be swapped; take the export "
                      f"from the platform again, or open it importing this column as text",
                      Location(path, line, column, shown))
    line, value = forms["year first"]
    raise BadDate(f"is written year first, in a column whose other dates are written with the year last "
                  f"(line {text_line}: {written!r}): a spreadsheet that opened the export (a Japanese or "
                  f"Chinese one writes 2026/3/4) turned into its own dates those it could read and left "
                  f"the others as text, so the day, month and year of this one may be read wrongly; take "
                  f"the export from the platform again, or open it importing this column as text",
                  Location(path, line, column, str(value).strip()))


class _Ragged(list):
    """A row with more fields than the header, kept with its error until its order is read (then skipped)."""

    def __init__(self, values: Sequence[object], problem: InputError):
        super().__init__(values)
        self.problem = problem


@dataclass(frozen=True)
class Orders:
    """How a layout of line items reads as orders, said as data, for the DuckDB fast path
    (:mod:`nexus.fast_exports`), which rolls the rows into orders in SQL as the layout's ``read`` does in Python.

    Consecutive rows sharing ``order_id`` are one order; the row with any of ``head`` filled holds its own
    columns. Its ``day``, ``currency``, and place: the first of ``places`` (country and region columns) whose
    country is filled. ``total`` is what the customer paid, tax included; ``tax`` the tax charged in it (the
    sale counted is the total less the tax, shipping included); ``refunded`` the running total refunded
    without a date, split by :func:`refund_parts`; ``leave_out`` what leaves an order out (the layout's own
    table, as its ``left_out`` reads it); ``signal`` the line column whose value (lower-cased) ``signals`` maps
    to a category signal (nexus.categories), a line whose value is one of ``no_shipping`` carrying no shipping.
    An order whose lines fall in several categories is split between them (:func:`split`) by the lines' values:
    ``line_price`` times ``line_quantity`` (1 when empty) less ``line_discount``. ``dated`` are columns of
    ``leave_out`` that leave an order out by holding a date: any other value in them is an error, never a reason.
    """

    order_id: str
    head: tuple[str, ...]
    day: str
    currency: str
    places: tuple[tuple[str, str], ...]
    total: str
    tax: str
    shipping: str
    refunded: str
    leave_out: tuple[tuple[str, str | dict[str, str]], ...]
    left_out: Callable[[Callable[[str], str]], str | None]
    signal: str
    signals: dict[str, Signal]
    no_shipping: tuple[str, ...]
    line_price: str
    line_quantity: str
    line_discount: str
    dated: tuple[str, ...] = ()


class Item(NamedTuple):
    """A line item as a platform reader sees it: its first line, SKU and name as written, ``value`` (what it is
    worth before order-level discounts, shipping and tax: the weight its order's amounts are split by), its
    category and where that came from, and whether shipping is charged for it."""

    line: int
    sku: str
    name: str
    value: Decimal
    category: str
    source: str
    ships: bool = True


#: The places a share of an amount is carried to (a trillionth), far finer than any currency's minor unit: money is
#: still rounded once, at the end, to that unit. Shares held to fixed places add up exactly (an amount below
#: 10**15 keeps 27 digits, within Decimal's 28), so daily totals do not depend on the order in which orders are
#: added: nexus's own reader and the DuckDB fast path, which sums some orders in SQL and splits others in Python,
#: give the same totals to the last digit. (Shares to 28 significant digits, as divided, rounded differently
#: by the order of addition, in the 25th digit.)
SHARE_PLACES = Decimal("1e-12")


def allocate(total: Decimal, weights: Sequence[Decimal]) -> list[Decimal]:
    """``total`` split in proportion to ``weights`` (equally where they are all zero), each share to
    :data:`SHARE_PLACES`; the last part takes what is left, so the parts add up to ``total`` exactly."""
    if not weights:
        return []
    whole = sum(weights, ZERO)
    shares = [Decimal(1)] * len(weights) if whole == 0 else list(weights)
    whole = whole or Decimal(len(weights))
    out = [(total * share / whole).quantize(SHARE_PLACES) for share in shares[:-1]]
    return out + [total - sum(out, ZERO)]


def split(items: Sequence[Item], net: Decimal, shipping: Decimal,
          tax: Decimal) -> list[tuple[tuple[str, str], list[Item], Decimal, Decimal, Decimal]]:
    """An order's amounts split between the categories (and sources) of its line items: ``(key, items, amount,
    shipping, tax)`` for each, in the order of :data:`LINE_CATEGORIES` and :data:`SOURCES` (goods first: it
    counts the order's transaction). The items' part of ``net`` (net less shipping) goes by their values,
    shipping by the values of the items it is charged for (all of them where none says), tax by each part's
    amount. One category: the order as it is."""
    groups: dict[tuple[str, str], list[Item]] = {}
    for it in items:
        groups.setdefault((it.category, it.source), []).append(it)
    keys = sorted(groups, key=lambda k: (LINE_CATEGORIES.index(k[0]), SOURCES.index(k[1])))
    if len(keys) == 1:
        return [(keys[0], groups[keys[0]], net, shipping, tax)]
    goods = allocate(net - shipping, [sum((it.value for it in groups[k]), ZERO) for k in keys])
    shipped = any(it.ships for it in items)
    weights = [sum((it.value for it in groups[k] if it.ships or not shipped), ZERO) for k in keys]
    if shipped and not any(weights):
        # The items shipping is charged for are all worth nothing (free samples): they share it equally.
        weights = [Decimal(sum(1 for it in groups[k] if it.ships)) for k in keys]
    ship = allocate(shipping, weights)
    amounts = [g + s for g, s in zip(goods, ship)]
    taxes = allocate(tax, amounts)
    return [(k, groups[k], a, s, t) for k, a, s, t in zip(keys, amounts, ship, taxes)]


def refund_parts(refunded: Decimal, total: Decimal, net: Decimal, shipping: Decimal,
                 tax: Decimal) -> tuple[Decimal, Decimal, Decimal]:
    """A refund given only as an amount out of the order's ``total`` (tax included), split into net sales,
    shipping and tax in the order's own proportions: the export does not say which part was tax. A full
    refund is exactly the order's parts; a partial one's parts are held to :data:`SHARE_PLACES`. Returned
    negative, as refunds are counted."""
    if refunded == 0:
        return ZERO, ZERO, ZERO
    if total == 0 or refunded == total:
        return (-net, -shipping, -tax) if total else (-refunded, ZERO, ZERO)
    share = refunded / total
    return tuple(-(part * share).quantize(SHARE_PLACES) for part in (net, shipping, tax))  # type: ignore[return-value]
