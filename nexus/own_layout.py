"""Reading a file in nexus's own layout: one row per order, refund or chargeback, the columns of
:data:`nexus.columns.FIELDS` (found by their usual names or ``--column``).

:func:`nexus_layout` turns the rows into what :func:`nexus.sales.read_sales` accounts for. Most rows never
reach the full reading of a row (:func:`nexus.sales.parse_row`): :class:`_Quick` maps each spelling of a row's
words once, each date once, and reads plain amounts straight into a ``Decimal``; and where every file is a CSV
in this layout, :func:`possibly_repeated` first finds the order ids that may be read twice, so that an order
whose id is read once is counted at once and never remembered. The reading itself (what a cell may hold, and
the errors that name it) is in :mod:`nexus.cells`, which the platform readers share.
"""
from __future__ import annotations

import csv
import os
import re
from datetime import date
from decimal import Decimal
from typing import Any, Iterable, Iterator, Mapping, Sequence

from nexus.categories import Categorizer
from nexus.errors import InputError, Location, MissingColumns, nowhere
from nexus.money import MAX_INTEGER_DIGITS, checked_places
from nexus.read_options import ReadOptions
from nexus.cells import _text, category_of, category_says_nothing, jurisdiction_of, parse_date, place_cells, word
from nexus.orders import _SCIENTIFIC_ID, ZERO, Order, RowProblem, SkuLine, _row_text
from nexus.ledger import Ledger, profile
from nexus.columns import resolve_columns
from nexus.sales import _charges, _is_workbook, _short_row, billed, parse_row
from nexus.spreadsheets import has_value, read_rows
from nexus.timestamps import day_in


def nexus_layout(path: str, rows: Iterator[tuple[int, Sequence[object]]], options: ReadOptions,
                 ledger: Ledger | None = None, categorizer: Categorizer | None = None,
                 repeated: set[str] | None = None) -> Iterator:
    """Read a file in nexus's own layout (one row per order, refund or chargeback; the columns of
    :data:`~nexus.columns.FIELDS`, found by :data:`~nexus.columns.ALIASES` or ``options.columns``): what
    :class:`~nexus.row_account.RowAccount` takes, a row at a time. ``ledger`` (when given) keeps the reading
    notes and counts rows placed by their billing address.

    ``repeated`` (from :func:`possibly_repeated`, over every file read with this one) holds every order id that
    may be read more than once: an order whose id is not in it is counted in ``ledger`` at once, and the number
    of such rows is yielded (an ``int``) at the end, instead of the order.
    """
    # Orders whose id is read once are counted here, in the ledger given, without being remembered (see
    # possibly_repeated); ``counted`` rows in all, said to RowAccount at the end.
    direct = ledger is not None and repeated is not None
    counted = 0
    ledger = ledger if ledger is not None else Ledger()
    if categorizer is None:
        categorizer = Categorizer(options.category, options.products, options.unknown_category)
    header: list[str] | None = None
    columns: dict[str, int] = {}
    for line, values in rows:
        if has_value(values):  # blank lines before the header are passed over
            header = [str(v) for v in values]
            break
    if header is None:
        raise InputError("is empty: no header row and no orders", Location(path))
    columns = resolve_columns(header, options.columns, path, ledger.notes)
    missing = [f for f in ("date", "country", "amount") if f not in columns]
    if "currency" not in columns and not options.currency:
        missing.append("currency")
    if missing:
        raise MissingColumns(f"missing required column(s) {', '.join(missing)}; columns found: "
                             f"{', '.join(header)}; map them with --column FIELD=HEADER", Location(path, line))
    charged = "shipping" in columns or "tax" in columns
    width = len(header)
    slash = _SlashDates(path, options, line, columns["date"])
    quick: _Quick | None = None
    if QUICK and not _is_workbook(path):
        # Rows with lines to keep (shipping, tax, SKUs) are orders for the ledger to add: never counted at once.
        counts = direct and not charged and not options.collect_skus
        quick = _Quick(path, columns, options, categorizer, ledger if counts else None, repeated)
    if quick is not None and quick.ledger is not None:
        ledger.unsettled = quick.settle
        rows = quick.count(rows, width)  # the rows it cannot count at once come on, to be read one by one
    for line, values in rows:
        first = values[0] if values else ""
        if not (type(first) is str and first and not first.isspace()) and not has_value(values):
            continue  # a blank line is not a row
        try:
            if len(values) > width and has_value(values[width:]):
                raise InputError(f"has {len(values)} fields where the header has {width} (a stray "
                                 f"delimiter or an unquoted comma?)", Location(path, line))
            found = quick.read(values, line) if quick is not None else None
            if found is True:
                ledger.billing_fallbacks += quick.billed  # type: ignore[union-attr]
                continue  # counted in the ledger already
            if isinstance(found, Order):
                order = found
                ledger.billing_fallbacks += quick.billed  # type: ignore[union-attr]
            else:
                order = parse_row(values, columns, options, path, line, categorizer, slash)
                ledger.billing_fallbacks += billed(values, columns)
            if charged:
                order = _charges(order, values, columns, options)
        except InputError as exc:
            if len(values) < width and not _is_workbook(path):
                exc = _short_row(exc, len(values), width)
            if not options.skip_bad_rows:
                raise exc from None
            loc = exc.location or Location(path, line)
            yield RowProblem(path, line, exc.message, loc.column, loc.value, _row_text(values))
            continue
        if direct and (not order.order_id or order.order_id not in repeated):  # type: ignore[operator]
            ledger.add(order)  # what RowAccount does with an order whose id it has not seen, and never will
            counted += 1
            continue
        yield order, values
    if quick is not None and quick.ledger is not None:
        quick.settle()
        ledger.unsettled = None
    counted += quick.counted if quick is not None else 0
    if counted:
        yield counted


class _SlashDates:
    """The dates of a file in nexus's own layout that a spreadsheet saved in its own form (2026-03-04 as
    ``3/4/2026`` or ``04.03.2026``), read day-first or month-first as the whole date column shows, decided at the
    first one met (:func:`nexus.exports.base.date_order_of`, as the platform readers decide); a column that does
    not settle it, or that a spreadsheet converted in part, is an error naming it."""

    def __init__(self, path: str, options: ReadOptions, header_line: int, index: int):
        self.path, self.options, self.header_line, self.index = path, options, header_line, index
        self.order: str | None = None

    def __call__(self, text: str, where: Location) -> date:
        from nexus.exports.base import date_order_of, slash_day  # here: the platform readers import this module

        if self.order is None:
            self.order = date_order_of(self.path, self.options, self.header_line, [(self.index, "date")],
                                       year_first_native=True)
        return slash_day(text, self.order, where)


#: Whether nexus's own layout is read through :class:`_Quick` (False reads every row with :func:`parse_row`
#: and remembers every order id: the tests compare both).
QUICK = True
#: The words of a row that :class:`_Quick` maps once per spelling, in this order.
_QUICK_WORDS = ("country", "region", "billing_country", "billing_region", "currency", "channel", "kind", "exempt",
                "category")
#: Plain amounts, as :func:`nexus.money.parse_amount` reads them (thousands in threes), without spaces.
_QUICK_AMOUNT = re.compile(r"[+-]?(?:[1-9][0-9]{0,2}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]+))?")
#: Memos of dates and amounts as written are emptied when they reach this size (timestamps, unique amounts).
_QUICK_MEMO = 100_000


def category_cell(key: tuple, present: Sequence[str]) -> str:
    """The category cell (stripped) among a row's words as :class:`_Quick` keys them."""
    return key[present.index("category")].strip() if "category" in present else ""


class _Spelling:
    """What one spelling of a row's words (place, currency, channel, kind, exemption, category) means, as
    :func:`parse_row` reads it; and, where its category is its own (not decided row by row by a SKU or tax code),
    the rows :meth:`_Quick.count` counted under it since :meth:`_Quick.settle` last added them to the ledger:
    ``sales`` and ``refunds``, ``{day: [amount, rows]}``."""

    __slots__ = ("jurisdiction", "code", "places", "channel", "kind", "exempt", "category", "source", "billed",
                 "sale", "refund", "sourced", "sells", "sales", "refunds", "pending")

    def __init__(self, jurisdiction: str, code: str, channel: str, kind: str, exempt: str, category: str | None,
                 source: str, billed: bool):
        self.jurisdiction, self.code, self.channel, self.kind, self.exempt = jurisdiction, code, channel, kind, exempt
        self.category, self.source, self.billed = category, source, billed
        places = checked_places(code)
        #: The most decimals an amount may have to be read here (parse_row looks closer at the others).
        self.places = places if places is not None else 1 << 30
        self.sells = kind == "sale"
        #: The profiles of its sales and of its refunds; the ledger's lines by category source for it, once
        #: counted there (kept with it: they are never removed).
        self.sale = self.refund = None
        if category is not None:
            self.sale = profile(jurisdiction, code, channel, "sale", exempt, category)
            self.refund = profile(jurisdiction, code, channel, "refund", exempt, category)
        self.sourced: dict[date, list] | None = None
        self.sales: dict[date, list] | None = None if category is None else {}
        self.refunds: dict[date, list] | None = None if category is None else {}
        #: Whether :attr:`sales` or :attr:`refunds` hold rows not yet added to the ledger.
        self.pending = False


class _Quick:
    """The common rows of a CSV file in nexus's own layout, read without :func:`parse_row`'s cost: the words of
    a row (place, currency, channel, kind, exemption, category) are mapped once per spelling through the very
    functions :func:`parse_row` calls, dates once per text, and plain amounts (``1234.56``, ``-5``,
    ``1,234.50``) with as many decimals as their currency has straight into a ``Decimal``. Anything else (an
    empty or unknown cell, a currency mark, a decimal comma, a short row...) is left to :func:`parse_row`,
    which reads it or names the cell: both give the same order.

    A row's category is its own cell's where that says one, else the ``categorizer``'s (:func:`category_of`):
    once per spelling, or once a row where the file has SKU or tax-code columns to decide it by.

    With a ``ledger``, an order whose id is not in ``repeated`` (or that has none) is counted in it at once,
    exactly as :meth:`Ledger.add` counts it; the others are returned as an :class:`Order` for
    :class:`~nexus.row_account.RowAccount` to judge.
    """

    def __init__(self, path: str, columns: Mapping[str, int], options: ReadOptions, categorizer: Categorizer,
                 ledger: Ledger | None, repeated: set[str] | None):
        from operator import itemgetter

        self.path, self.options, self.ledger, self.repeated = path, options, ledger, repeated
        self.categorizer = categorizer
        self.columns = columns
        #: Where a row whose category cell says nothing is categorised by its SKU or tax code, row by row.
        self.by_row = "sku" in columns or "tax_code" in columns
        self.sku_at, self.code_at = columns.get("sku"), columns.get("tax_code")
        #: Where each row's SKU line is kept (``ReadOptions.collect_skus``), its product's name.
        self.name_at = columns.get("product_name") if options.collect_skus else None
        present = [f for f in _QUICK_WORDS if f in columns]
        self.present = present
        getter = itemgetter(*(columns[f] for f in present))
        self.words_of = getter if len(present) > 1 else (lambda values: (getter(values),))
        self.date_at, self.amount_at = columns["date"], columns["amount"]
        self.id_at = columns.get("order_id")
        self.has_billing_region = "billing_region" in columns
        self.spellings: dict[tuple, _Spelling | None] = {}
        self.dates: dict[str, date] = {}
        self.amounts: dict[str, tuple[Decimal, int]] = {}
        self.counted = 0
        #: Whether the last row read was placed by its billing address.
        self.billed = False
        #: The spellings whose rows :meth:`count` counted and :meth:`settle` has not yet added to the ledger.
        self.unsettled: list[_Spelling] = []

    def count(self, rows: Iterable[tuple[int, Sequence[Any]]], width: int) -> Iterator[tuple[int, Sequence[Any]]]:
        """Count, in one loop, every row of ``width`` cells that :meth:`read` would count at once (known words,
        date and plain amount, an order id not in ``repeated``); yield the others, in order, to be read one by one.

        The rows are summed per spelling and day, and added to the ledger by :meth:`settle`: at the end of the
        file, and before the ledger takes anything back out (:meth:`Ledger.settle`), so that it then holds every
        row read before, as when each is added at once. Decimal sums are exact: their order changes nothing.
        """
        spellings, dates, amounts, repeated = self.spellings, self.dates, self.amounts, self.repeated
        words_of, date_at, amount_at, id_at = self.words_of, self.date_at, self.amount_at, self.id_at
        unsettled = self.unsettled
        plain = not self.options.decimal_comma  # else 1.50 is a decimal point where a comma is asked for
        most = MAX_INTEGER_DIGITS
        for line, values in rows:
            if len(values) != width:
                yield line, values
                continue
            spelling = spellings.get(words_of(values))
            if spelling is None:
                key = words_of(values)
                if key not in spellings:
                    spelling = spellings[key] = self._spelling(key)
                if spelling is None:
                    yield line, values
                    continue
            days = spelling.sales
            if days is None:  # a category decided by each row's SKU or tax code
                yield line, values
                continue
            raw = values[date_at]
            day = dates.get(raw)
            if day is None:
                day = self._date(raw)
                if day is None:
                    yield line, values
                    continue
            raw = values[amount_at]
            whole, point, decimals = raw.partition(".")
            if plain and whole.isdigit() and len(whole) <= most and raw.isascii() and (decimals.isdigit() or not point):
                # Most amounts: unsigned, plain (parsed again rather than looked up: a memo of a million amounts
                # misses the processor's caches, and costs more than reading the text).
                if len(decimals) > spelling.places:
                    yield line, values  # more decimals than the currency has: parse_row accepts some, names others
                    continue
                amount = Decimal(raw)
                if not spelling.sells:
                    amount = -amount
                    days = spelling.refunds
            else:
                found = amounts.get(raw)
                if found is None:
                    found = self._amount(raw)
                    if found is None:
                        yield line, values
                        continue
                amount, places = found
                if places > spelling.places:
                    yield line, values
                    continue
                if not spelling.sells:
                    amount = -abs(amount)
                    days = spelling.refunds
                elif amount < 0:
                    days = spelling.refunds  # many exports write a refund as a negative sale
            if id_at is not None:
                order_id = values[id_at].strip()
                if order_id and order_id in repeated:  # type: ignore[operator]
                    yield line, values  # judged with its other copies
                    continue
            total = days.get(day)  # type: ignore[union-attr]
            if total is None:
                days[day] = [amount, 1]  # type: ignore[index]
                if not spelling.pending:
                    spelling.pending = True
                    unsettled.append(spelling)
            else:
                total[0] += amount
                total[1] += 1

    def settle(self) -> None:
        """Add the rows :meth:`count` summed to the ledger, as :meth:`read` adds one: its daily totals (sales
        count as transactions), its lines by category source, its rows by day, those placed by billing address."""
        ledger = self.ledger
        assert ledger is not None
        series, by_day = ledger.series, ledger.rows_by_day
        counted = 0
        for spelling in self.unsettled:
            spelling.pending = False
            sourced = spelling.sourced
            if sourced is None:
                sourced = spelling.sourced = ledger.category_sources.setdefault(
                    (spelling.jurisdiction, spelling.code, spelling.category, spelling.source), {})
            rows_before = counted
            for held, key, sales in ((spelling.sales, spelling.sale, True), (spelling.refunds, spelling.refund, False)):
                if not held:
                    continue
                totals = series.get(key)
                if totals is None:
                    totals = series[key] = {}
                for day, (amount, rows) in held.items():
                    total = totals.get(day)
                    if total is None:
                        total = totals[day] = [ZERO, 0]
                    total[0] += amount
                    tally = sourced.get(day)
                    if tally is None:
                        tally = sourced[day] = [ZERO, 0]
                    tally[0] += amount
                    if sales:
                        total[1] += rows
                        tally[1] += rows
                    by_day[day] = by_day.get(day, 0) + rows
                    counted += rows
                held.clear()
            if spelling.billed:
                ledger.billing_fallbacks += counted - rows_before
        self.unsettled.clear()
        self.counted += counted
        ledger.day_currency_totals = None

    def read(self, values: Sequence[Any], line: int) -> Order | bool | None:
        """The row's :class:`Order`, True when it was counted in the ledger, or None: for :func:`parse_row`."""
        try:
            key = self.words_of(values)
            raw_day, raw_amount = values[self.date_at], values[self.amount_at]
        except IndexError:  # a short row: parse_row reads its missing cells as empty
            return None
        known = self.spellings.get(key)
        if known is None:
            if key in self.spellings:
                return None
            known = self.spellings[key] = self._spelling(key)
            if known is None:
                return None
        day = self.dates.get(raw_day)
        if day is None:
            day = self._date(raw_day)
            if day is None:
                return None
        found = self.amounts.get(raw_amount)
        if found is None:
            found = self._amount(raw_amount)
            if found is None:
                return None
        jurisdiction, code, channel, kind, exempt = known.jurisdiction, known.code, known.channel, known.kind, \
            known.exempt
        category, source, sale, refund, sourced = known.category, known.source, known.sale, known.refund, \
            known.sourced
        amount, places = found
        if places > known.places:
            return None  # more decimals than the currency has: parse_row accepts some and names the others
        if kind == "sale" and amount < 0:
            kind = "refund"  # many exports write a refund as a negative sale
        if kind != "sale":
            amount = -abs(amount)
        if category is None:  # decided by the row's SKU or tax code (the category cell says nothing)
            category, source = category_of(category_cell(key, self.present), self._cell(values, self.sku_at),
                                           self._cell(values, self.code_at), self.options, self.categorizer,
                                           nowhere)
            sale = profile(jurisdiction, code, channel, "sale", exempt, category)
            refund = profile(jurisdiction, code, channel, "refund", exempt, category)
            sourced = None
        self.billed = known.billed
        at = self.id_at
        order_id = values[at].strip() if at is not None and at < len(values) else ""
        ledger = self.ledger
        if ledger is not None and (not order_id or order_id not in self.repeated):  # type: ignore[operator]
            # Ledger.add, for an order of one row without shipping, tax or SKU lines to keep.
            key = sale if kind == "sale" else refund
            days = ledger.series.get(key)
            if days is None:
                days = ledger.series[key] = {}
            total = days.get(day)
            if total is None:
                total = days[day] = [ZERO, 0]
            total[0] += amount
            if kind == "sale":
                total[1] += 1
            ledger.rows_by_day[day] = ledger.rows_by_day.get(day, 0) + 1
            ledger.day_currency_totals = None
            if sourced is None:  # the spelling's lines by category source (kept with it: they are never removed)
                sourced = ledger.category_sources.setdefault((jurisdiction, code, category, source), {})
                if known.category is not None:
                    known.sourced = sourced
            tally = sourced.get(day)
            if tally is None:
                tally = sourced[day] = [ZERO, 0]
            tally[0] += amount
            if kind == "sale":
                tally[1] += 1
            self.counted += 1
            return True
        skus = (SkuLine(self._cell(values, self.sku_at), self._cell(values, self.name_at), amount, category, source,
                        line),) if self.options.collect_skus else ()
        return Order(order_id, day, jurisdiction, amount, code, channel, kind, exempt, category,
                     Location(self.path, line), category_source=source, skus=skus)

    @staticmethod
    def _cell(values: Sequence[Any], at: int | None) -> str:
        """A cell as :func:`parse_row` reads it (stripped; empty where the row is short or the column absent)."""
        return values[at].strip() if at is not None and at < len(values) else ""

    def _spelling(self, key: tuple) -> _Spelling | None:
        """What :func:`parse_row` makes of a row's words, or None where it would name one as an error."""
        cells = dict(zip(self.present, key))
        if any(type(v) is not str for v in cells.values()):
            return None
        options = self.options
        country, region, billed_ = place_cells(cells.get("country", ""), cells.get("region", ""),
                                               cells.get("billing_country", ""),
                                               cells.get("billing_region", "") if self.has_billing_region else None)
        if not country:
            return None
        where = lambda field: Location(self.path)  # noqa: E731 (errors here only send the row to parse_row)
        try:
            jurisdiction = jurisdiction_of(country, region, where)
            code = word("currency", cells.get("currency", "").strip(), options, where)
            kind = word("kind", cells.get("kind", "").strip(), options, where)
            channel = word("channel", cells.get("channel", "").strip(), options, where)
            exempt = word("exempt", cells.get("exempt", "").strip(), options, where)
            written = cells.get("category", "").strip()
            if self.by_row and category_says_nothing(written):
                category, source = None, ""  # by each row's SKU or tax code (read)
            else:
                category, source = category_of(written, "", "", options, self.categorizer, where)
        except InputError:
            return None
        return _Spelling(jurisdiction, code, channel, kind, exempt, category, source, billed_)

    def _date(self, raw: object) -> date | None:
        if type(raw) is not str or not raw.strip():
            return None
        try:
            day = parse_date(raw.strip(), self.options.date_format, Location(self.path))
        except InputError:
            return None
        if self.options.time_zone:
            day = day_in(raw, self.options.time_zone) or day
        if len(self.dates) >= _QUICK_MEMO:
            self.dates.clear()
        self.dates[raw] = day
        return day

    def _amount(self, raw: object) -> tuple[Decimal, int] | None:
        if type(raw) is not str or self.options.decimal_comma:
            return None
        m = _QUICK_AMOUNT.fullmatch(raw)
        if m is None or (m.group(1) is None and raw.count(",") == 1):
            return None  # 1,500 may be a decimal comma in some currencies (nexus.money.comma_may_be_decimal)
        value = Decimal(raw.replace(",", "")) if "," in raw else Decimal(raw)
        if value and value.adjusted() >= MAX_INTEGER_DIGITS:
            return None
        if len(self.amounts) >= _QUICK_MEMO:
            self.amounts.clear()
        found = self.amounts[raw] = (value, len(m.group(1) or ""))
        return found


def possibly_repeated(paths: Sequence[str], options: ReadOptions) -> set[str] | None:
    """The order ids that may be read more than once in CSV files of nexus's own layout: every id read twice,
    and a few read once (those that share a bit with another in a bitmap of ids seen). None where a file cannot
    be read this way: the reader then finds the reason again, and names it, while it reads.

    One pass over the id column (about a microsecond a row) instead of remembering every order: ten million
    orders would take gigabytes in memory, or a temporary database, to be told apart.
    """
    try:
        size = sum(os.path.getsize(p) for p in paths)
        bits = max(1 << 16, min(1 << 28, 1 << max(size, 1).bit_length()))  # 20 bits or more per 20-byte row
        seen, mask = bytearray(bits >> 3), bits - 1
        twice: set[str] = set()
        for path in paths:
            rows = read_rows(path, options)
            at = None
            for _line, values in rows:
                if at is None:
                    if not has_value(values):
                        continue
                    at = resolve_columns([str(v) for v in values], options.columns, path).get("order_id", -1)
                    if at < 0:
                        break  # no order ids in this file
                    continue
                if at < len(values):
                    order_id = values[at]
                    order_id = order_id.strip() if type(order_id) is str else _text(order_id).strip()
                    if "+" in order_id and _SCIENTIFIC_ID.fullmatch(order_id):
                        twice.add(order_id)  # cut short by a spreadsheet: read in full, for nexus.cut_ids
                    elif order_id:
                        h = hash(order_id) & mask
                        byte, bit = h >> 3, 1 << (h & 7)
                        if seen[byte] & bit:
                            twice.add(order_id)
                        else:
                            seen[byte] |= bit
            close = getattr(rows, "close", None)
            if close is not None:
                close()
    except (InputError, OSError, UnicodeError, csv.Error):
        return None
    return twice
