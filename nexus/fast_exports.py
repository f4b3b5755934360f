"""The fast path for platform exports: line items rolled into orders by DuckDB.

A platform's export is one row per line item: nexus's own reader groups the
rows of each order in Python, about 17 microseconds a row (a million-row Shopify
export took 16.7 s where the same orders in nexus's layout took 1.2 s). A layout
whose module says, as data, how its rows read as orders (``FAST``, an
:class:`nexus.exports.base.Orders`) is read here instead, in one pass of DuckDB
over each file:

1. every row numbered (its line, for the orders left out) and grouped by file
   and order id into one order: its own columns from the row that holds them,
   the line items counted by the platform's category signal, and whether the
   order is left out (cancelled, voided, a test), by the layout's own table;
2. the few distinct spellings of currency, place and category signal mapped in
   Python by the platform reader's own rules (:class:`nexus.exports.base.Source`),
   numbered as profiles;
3. the counted orders summed by profile and day (sales, shipping and tax
   charged, transactions, rows), full refunds likewise; partial refunds, which
   the platform gives as a running total without a date, split in Python by
   :func:`nexus.exports.base.refund_parts`, and orders whose lines fall in
   several categories split by :func:`nexus.exports.base.split` from their
   lines' values (summed per kind of line in a second DuckDB pass over those
   orders only): the reference's own arithmetic, its shares held to a
   trillionth so that every sum is exact in any order; the first orders left
   out listed with their line, reason and row, as nexus's own reader lists
   them (the file's lines are counted beside DuckDB's pass, in a thread, which
   proves that each line is one row and keeps where to find those lines).
4. the orders whose id is in more than one file (a late export repeating
   orders of an earlier one), repeated within one, or whose rows are apart,
   read from their lines by the platform's own reader as it reads them in the
   file, and judged as repeats as :func:`nexus.sales.read_sales` judges them
   (``--repeated-orders``): a copy counted once and listed, another content
   stopping or read as line items or as the later copy.

The platform's reader stays the reference: whatever it would read otherwise or
name as an error hands the files back to it (:class:`nexus.plain_input.NotPlain`,
with the reason): a row without an order id, a date or amount in a form other than
``2025-03-02 10:15:00 -0800`` and ``1234.50`` (or dated before year 1), more
decimals than the currency has, an unknown place or currency, a quantity that
is not whole in an order split between categories, a quoted field that spans
lines or a carriage return alone (the line numbers would differ), a row of
another length than the header, files from several layouts (migration overlaps
are matched order by order).
"""
from __future__ import annotations

import csv
import itertools
import os
import re
import tempfile
from array import array
from bisect import bisect_left, bisect_right
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
from types import ModuleType
from typing import Any, Callable, Iterator, Sequence

from nexus import exports
from nexus.categories import Categorizer, Signal
from nexus.duckdb_session import MEMORY_LIMIT, Progress, connect, escaped, first_line, on_fewer_threads, table
from nexus.duckdb_totals import Days
from nexus.errors import InputError, Location
from nexus.exports.base import Item, Orders, Source, refund_parts, split
from nexus.money import checked_places
from nexus.read_options import ReadNotes, ReadOptions
from nexus.row_account import LISTED_ROWS, account
from nexus.cells import word
from nexus.orders import SCIENTIFIC_ID, ZERO, RowProblem, _row_text
from nexus.plain_input import PLAIN_DATE, STRIPPED_SPACE, NotPlain, csv_reader, written_places
from nexus.ledger import Ledger, paused_gc, profile
from nexus.sales import PLAIN_DECIMAL, note_reading
from nexus.spreadsheets import read_rows


#: A carriage return not followed by a line feed, or the last byte searched (:meth:`_File.count_lines`).
_LONE_RETURN = re.compile(rb"\r(?!\n)")


def supports(layout: ModuleType | None) -> bool:
    """Whether the fast path reads this layout (its module says how its rows read as orders)."""
    return isinstance(getattr(layout, "FAST", None), Orders)


def read(paths: Sequence[str], layout: ModuleType, options: ReadOptions,
         progress: Callable[[float], None] | None = None) -> Ledger:
    """The orders of ``paths``, all in ``layout``, summed by DuckDB into a ledger the layout's own reader would
    have built (its row account, the orders left out, shipping and tax charged, undated refunds); raises
    :class:`NotPlain` where that reader must read them. ``progress`` hears, now and then and from another
    thread, the share of the work done (0 to 1)."""
    fast: Orders = layout.FAST
    notes = ReadNotes()
    files = [_File(path, i, layout, options, notes, _categorizer(options)) for i, path in enumerate(paths)]
    shown = _never_back(progress)  # a second try never takes the progress shown back
    with tempfile.TemporaryDirectory(prefix="nexus-duckdb-") as work, ThreadPoolExecutor(1) as counter:
        lines = [counter.submit(f.count_lines) for f in files]  # beside DuckDB's pass, for _left_out
        # Tried on one thread where two run out of memory (1.1M line items outgrow DuckDB's share on two); where
        # one runs out too (about one time in three there: DuckDB fills most of its memory before it spills),
        # Shopify's reader reads the files, which needs no more than it has.
        ledger, categorizer = on_fewer_threads(
            lambda threads: _summed(fast, files, lines, options, work, threads, shown),
            lambda exc: NotPlain(f"DuckDB ran out of its {MEMORY_LIMIT} of memory grouping the line items into "
                                 f"orders ({first_line(exc)})"))
    _read_again(layout, files, options, categorizer, ledger, shown or (lambda _share: None))  # DuckDB closed
    ledger.warnings[:0], ledger.assumptions[:0] = notes.warnings, notes.assumptions
    for note in categorizer.notes():
        ledger.notes.assume(note)
    note_reading(ledger)
    return ledger


def _summed(fast: Orders, files: list[_File], lines: list[Future], options: ReadOptions, work: str, threads: int,
            progress: Callable[[float], None] | None) -> tuple[Ledger, Categorizer]:
    """One try of DuckDB's part on ``threads``: the pass over every row, the checks, the spellings and the sums,
    into a ledger (and the categorizer whose tallies it used, afresh for each try); ``lines`` are the files'
    counts of lines, made in a thread beside it."""
    import duckdb

    categorizer = _categorizer(options)
    # Insertion order kept: each file's rows are numbered as they stand, for the lines of orders left out.
    connection = connect({"memory_limit": MEMORY_LIMIT, "threads": threads, "temp_directory": work,
                          "preserve_insertion_order": True})
    try:
        with Progress(connection, progress) as tracked:
            sizes = [os.path.getsize(f.path) for f in files]
            for f, grouped in zip(files, _orders(fast, files)):  # the pass over every row, a file at a time
                tracked.run(("INSERT INTO orders " if f.number else "CREATE TABLE orders AS ") + grouped,
                            0.8 * sizes[f.number] / (sum(sizes) or 1))
            _check(connection, fast, files)
            numbers, spellings = _map(connection, fast, files[0], categorizer)
            ledger = _ledger(connection, fast, files, [count.result() for count in lines], numbers, spellings)
            if not any(len(f.again) for f in files):
                tracked.finish()  # else the orders read again take the progress to the end (_read_again)
        return ledger, categorizer
    except (duckdb.OutOfMemoryException, duckdb.IOException):
        raise  # tried again on one thread, or said (duckdb_session.on_fewer_threads)
    except duckdb.Error as exc:  # a row DuckDB cannot read (a stray delimiter, bad UTF-8): the reference names it
        raise NotPlain(first_line(exc)) from None
    finally:
        connection.close()


def _never_back(progress: Callable[[float], None] | None) -> Callable[[float], None] | None:
    """``progress``, told only shares above the last it heard."""
    if progress is None:
        return None
    told = [0.0]

    def forward(share: float) -> None:
        if share > told[0]:
            told[0] = share
            progress(share)
    return forward


def _categorizer(options: ReadOptions) -> Categorizer:
    return Categorizer(options.category, options.products, options.unknown_category)


class _File:
    """One export: its path, its number in the query, the platform reader's :class:`Source` over its header
    (its columns, and its own reading of currencies and places), and DuckDB's reader of its rows."""

    block = 2**24  # bytes read at a time by count_lines()
    piece = 2**12  # bytes of each count of lines kept by count_lines(), for lines(): a few lines (a block's multiple)
    # Bytes lines() reads at first for a line apart: two pieces, a line starting late in its piece whole with it
    # (64 KiB read and split 250 lines to keep one where the lines wanted lie far apart, as the orders left out
    # that are listed do); eight times as much for a line that follows those held (a run, as an order's rows).
    reach = 2**13

    def __init__(self, path: str, number: int, layout: ModuleType, options: ReadOptions, notes: ReadNotes,
                 categorizer: Categorizer):
        self.path, self.number = path, number
        # Columns named by position (c0, c1...): an empty header cell, names DuckDB would change, or a column
        # named as one the query adds (nexus_row...) are then read as the platform's reader reads them.
        self.reader, _header, self.separator = csv_reader(path, options, notes, positional=True)
        rows = read_rows(path, options)
        try:
            self.source = Source(layout, path, rows, options, categorizer)
        finally:
            rows.close()
        self.source.require(layout.REQUIRED)  # the same error the platform's reader gives
        # Set by the pass (_check): rows read, rows summed by DuckDB, the rows read again by the platform's reader
        # (_read_again); by _left_out: how many of the orders left out that are listed are this file's.
        self.rows = self.summed = self.listed = 0
        self.again = array("q")
        self.marks = array("q")  # set by count_lines()

    def column(self, name: str) -> str:
        """The column ``name`` (found as the platform's reader finds it) as DuckDB reads it, by its position; or
        NULL where the header lacks it."""
        index = self.source.column(name)
        return "NULL" if index is None else f"c{index}"

    def count_lines(self) -> int:
        """The number of lines of the file, the last counted whether or not it ends with a line break. A carriage
        return alone hands over: Python's CSV reading ends a line there (even in a quoted value), DuckDB and this
        count do not. Counted a block at a time by bytes.count, in a thread beside DuckDB's pass (which keeps
        about one core busy: the rows are numbered in order); the count before each piece of :attr:`piece` bytes
        is kept (``marks``), for :meth:`lines` to find a line without reading the lines before it. A carriage
        return alone is searched for, not counted: counting every carriage return and every CR LF pair took 0.3 of
        the 0.55 CPU-seconds the count took for a 240 MB export whose lines end in CR LF."""
        count = 0  # line feeds
        last = b""  # the last byte read: a CR LF across two blocks, and the file's own end
        self.marks = marks = array("q")
        piece = self.piece
        for buffer, size in self._blocks():
            for start in range(0, size, piece):
                marks.append(count)
                count += buffer.count(b"\n", start, min(start + piece, size))
            alone = _LONE_RETURN.search(buffer, 0, size)
            # Alone anywhere but as the file's very last byte (the last line's own line break); a block's last byte
            # is alone if the next block does not begin with a line feed.
            if (last == b"\r" and buffer[0] != 0x0A) or (alone is not None and alone.start() < size - 1):
                raise NotPlain(f"{self.path}: a carriage return alone ends a line for nexus's own reader, not for "
                               f"DuckDB (the lines of the orders left out would differ)")
            last = bytes(buffer[size - 1:size])
        return count + (last not in (b"", b"\n"))

    def lines(self, wanted: set[int]) -> dict[int, bytes]:
        """The lines numbered in ``wanted`` (the orders left out that are listed, the rows of orders repeated in
        another file), as bytes, without their line break (after :meth:`count_lines`). Each is read from the piece
        its line starts in, :attr:`reach` bytes at first (eight times as much where it follows the lines held),
        then as much again as is held; lines that follow it come from the same read."""
        found: dict[int, bytes] = {}
        marks, piece = self.marks, self.piece
        if not marks:  # an empty file
            return found
        # parts[i] is line first + i; parts[0] may have begun before the read, but the lines wanted come in order,
        # each after the line a read starts in (or at the file's start).
        first, parts, ended = 0, [b""], False

        def held(number: int) -> bool:
            index = number - first
            last = ended and index == len(parts) - 1 and parts[index] != b""  # the file's last line, unended
            return first <= number and (index < len(parts) - 1 or last)

        with open(self.path, "rb") as handle:
            for number in sorted(wanted):
                if not held(number):
                    reach = self.reach * (8 if first <= number <= first + len(parts) else 1)  # a run, or apart
                    # Line n starts after the (n - 1)th line feed: in the last piece with fewer before it.
                    at = max(bisect_left(marks, number - 1) - 1, 0)
                    handle.seek(at * piece)
                    data, ended = b"", False
                    first = marks[at] + 1  # the line the piece starts in
                    while True:  # each read doubles what is held: a long line is not split over and over
                        more = handle.read(max(reach, len(data)))
                        data, ended = data + more, not more
                        parts = data.split(b"\n")
                        if ended or number - first < len(parts) - 1:
                            break
                if held(number):
                    found[number] = parts[number - first].rstrip(b"\r")
        return found

    def _blocks(self) -> Iterator[tuple[bytearray, int]]:
        """The file a block at a time, into one buffer: the buffer and how many of its bytes were read."""
        buffer = bytearray(self.block)
        with open(self.path, "rb", buffering=0) as handle:
            while size := handle.readinto(buffer):
                yield buffer, size

    def blank_lines_at_end(self) -> int:
        """How many empty lines end the file (an editor's or a download's trailing line breaks): they hold no
        row for either reader, and come after every row, so no row's line moves."""
        with open(self.path, "rb") as handle:
            handle.seek(0, 2)
            handle.seek(max(handle.tell() - 2**16, 0))
            end = handle.read()
        breaks = end[len(end.rstrip(b"\r\n")):].count(b"\n")
        return max(breaks - 1, 0)  # the last row's own line break aside


def _strip(sql: str) -> str:
    """``sql`` without what Python's str.strip() removes at either end, as the readers strip every cell."""
    return f"regexp_replace(COALESCE({sql}, ''), '^{STRIPPED_SPACE}+|{STRIPPED_SPACE}+$', '', 'g')"


def _lower(sql: str) -> str:
    """``sql`` lower-cased as Python's str.lower() does where it matters (to an ASCII word): DuckDB lowers "İ"
    (U+0130), alone of all characters, otherwise, to "i" where Python gives "i" and a combining dot (so that
    "VOİDED" would leave an order out in DuckDB and not in Python)."""
    return f"lower(replace({sql}, '\u0130', 'i\u0307'))"


def _filled(sql: str) -> str:
    return f"({sql} IS NOT NULL AND {sql} <> '')"


def _date(sql: str) -> str:
    """Whether ``sql`` is a date both readers read alike: ISO, a valid day from year 1, a time part or none."""
    return (f"(regexp_full_match({sql}, '{PLAIN_DATE}') AND TRY_CAST(substr({sql}, 1, 10) AS DATE) IS NOT NULL "
            f"AND substr({sql}, 1, 4) >= '0001')")


def _orders(fast: Orders, files: list[_File]) -> list[str]:
    """The SELECT of every order of each file: one row per file and order id (see the module's step 1). A file
    at a time: DuckDB holds the orders it groups, and two files' at once outgrow its memory sooner (a 1M-row
    export with a 100k-row late export ran out, on one thread too, where the 1M-row export alone did not)."""
    signals = _signal_groups(fast)
    # The order's own columns, read from the row that holds them, by the names the query gives them.
    own = {"currency": fast.currency, "total": fast.total, "tax": fast.tax, "shipping": fast.shipping,
           "refunded": fast.refunded, **{f"{kind}{i}": pair[j] for i, pair in enumerate(fast.places)
                                         for j, kind in enumerate(("country", "region"))}}
    selects = []
    for f in files:
        c = f.column
        head = " OR ".join(_filled(c(name)) for name in fast.head)
        leave = " OR ".join(
            f"{_strip(c(column))} <> ''" if isinstance(reasons, str) else
            f"{_lower(_strip(c(column)))} IN ({', '.join(_quoted(v) for v in reasons)})"
            for column, reasons in fast.leave_out)
        # Rows that may leave their order out, told cheaply (any value, or the reasons' words anywhere): only
        # those are stripped and compared.
        maybe = " OR ".join(
            _filled(c(column)) if isinstance(reasons, str) else
            " OR ".join(f"contains({_lower(c(column))}, {_quoted(v)})" for v in reasons)
            for column, reasons in fast.leave_out)
        # A column that leaves an order out by holding a date, holding something else (the layout's reader names
        # the cell): told cheaply first (filled), then stripped and compared.
        odd = " OR ".join(f"({_filled(c(column))} AND NOT {_date(_strip(c(column)))})" for column in fast.dated)
        # The rows numbered in the file's order, and whether each holds its order's own columns (nexus_head) and
        # leaves it out (nexus_leave): names no export uses, beside the export's own.
        selects.append(
            f"SELECT {f.number} AS source_file, nexus_row AS n, {c(fast.order_id)} AS order_id, "
            f"nexus_head AS head, nexus_leave AS leave, "
            f"CASE WHEN nexus_head THEN {odd or 'false'} ELSE false END AS odd, "
            # The day as the first ten characters of a date written plain (the rest is a time: see PLAIN_DATE).
            f"CASE WHEN nexus_head THEN substr({c(fast.day)}, 1, 10) END AS day, "
            f"CASE WHEN nexus_head THEN regexp_full_match(COALESCE({c(fast.day)}, ''), '{PLAIN_DATE}') END "
            f"AS day_plain, "
            + ", ".join(f"CASE WHEN nexus_head THEN {c(name)} END AS {key}" for key, name in own.items())
            + f", {_lower(c(fast.signal))} AS signal FROM ("
            f"SELECT *, CASE WHEN nexus_head AND ({maybe}) THEN {leave} ELSE false END AS nexus_leave FROM ("
            f"SELECT row_number() OVER () AS nexus_row, *, {head} AS nexus_head FROM {f.reader}))")
    own_columns = ["day", *own]
    counted = ", ".join(
        f"count(*) FILTER (WHERE signal IN ({', '.join(_quoted(v) for v in values)})) AS lines{i}"
        for i, values in enumerate(signals.values()))
    known = [v for values in signals.values() for v in values]
    return [('SELECT source_file, order_id, min(n) AS first_row, max(n) AS last_row, count(*) AS "rows", '
             "count(*) FILTER (WHERE head) AS heads, min(n) FILTER (WHERE head) AS head_row, "
             "bool_or(leave) AS out, bool_or(odd) AS odd_dated, "
             "COALESCE(bool_and(day_plain) FILTER (WHERE head), false) AS day_plain, "
             + ", ".join(f"COALESCE(any_value({name}) FILTER (WHERE head), '') AS {name}" for name in own_columns)
             + f", count(*) FILTER (WHERE signal IS NULL OR signal = '') AS unsignalled, {counted}, "
             f"count(*) FILTER (WHERE signal IS NOT NULL AND signal <> '' AND signal NOT IN "
             f"({', '.join(_quoted(v) for v in known)})) AS odd "
             f"FROM ({select}) GROUP BY source_file, order_id") for select in selects]


def _signal_groups(fast: Orders) -> dict[Signal, list[str]]:
    """The platform's signal values grouped by the signal they give, in a fixed order."""
    groups: dict[Signal, list[str]] = {}
    for value, signal in fast.signals.items():
        groups.setdefault(signal, []).append(value)
    return groups


def _quoted(text: str) -> str:
    return "'" + escaped(text) + "'"


#: What of the orders only the platform's own reader reads alike, each with the reason it hands over.
CHECKS = (
    ("order_id IS NULL OR order_id = ''",
     "a row has no order id (nexus's own reader reads it as a line of the order above, or names it)"),
    (f"order_id <> {_strip('order_id')}", "an order id has whitespace at either end"),
    ("odd_dated", "a column that marks an order cancelled holds something other than a date (the platform's "
                  "reader names the cell)"),
    (f"regexp_full_match(order_id, '{SCIENTIFIC_ID}', 'i')",
     "an order id is a long number as a spreadsheet shows it, its last digits gone (the platform's reader names "
     "the rows that share it)"),
)
#: An order whose rows are not one run, its own row first: repeated in its file (a late export added to it, a
#: line item apart), or without the row of its own columns first. Read by the platform's reader (_read_again).
SCATTERED = 'heads <> 1 OR head_row <> first_row OR last_row - first_row + 1 <> "rows"'
#: What the counted orders must be for DuckDB to read them alike (checked on those only: an order left out is
#: never read further by the platform's reader either). A day in year 0 is a date to DuckDB, not to Python.
PLAIN = (
    "NOT day_plain OR day < '0001'",
    f"NOT regexp_full_match(total, '{PLAIN_DECIMAL}') OR starts_with(total, '-')",
    *(f"NOT (regexp_full_match({name}, '{PLAIN_DECIMAL}') OR {name} = '')"
      for name in ("tax", "shipping", "refunded")),
)


def _check(connection: Any, fast: Orders, files: list[_File]) -> None:
    """Hand over (:class:`NotPlain`) what only the platform's reader reads alike (:data:`CHECKS`, :data:`PLAIN`),
    mark the orders whose id is in several files (``again``, read by :func:`_read_again`), and note each file's
    rows, all and summed here. (A file whose lines are not its rows one for one hands
    over in :func:`_left_out`, which reads the lines.)"""
    # An order id in several files (a late export repeating orders), or repeated in one (:data:`SCATTERED`):
    # those orders are read by the platform's own reader and judged as repeats (_read_again), the others summed.
    # One file's orders are grouped by id already: an id there twice is an order scattered, found without grouping
    # the orders by id again (0.09 CPU-seconds for 571,724 orders).
    repeated = SCATTERED if len(files) == 1 else (f"order_id IN (SELECT order_id FROM orders GROUP BY order_id "
                                                  f"HAVING count(*) > 1 OR bool_or({SCATTERED}))")
    connection.execute("ALTER TABLE orders ADD COLUMN again BOOLEAN DEFAULT false")
    connection.execute(f"UPDATE orders SET again = true WHERE {repeated}")
    failed = connection.execute(
        "SELECT " + ", ".join(f"bool_or({sql})" for sql, _why in CHECKS)
        + ", bool_or(NOT out AND NOT again AND (" + " OR ".join(PLAIN) + ")) FROM orders").fetchone()
    for (sql, why), found in zip(CHECKS, failed):
        if found:
            raise NotPlain(why)
    if failed[-1]:
        raise NotPlain("some dates or amounts are empty or not plain (2025-03-02 10:15:00 -0800; 1234.50)")
    rows = {number: (int(every), int(summed)) for number, every, summed in connection.execute(
        'SELECT source_file, SUM("rows"), COALESCE(SUM("rows") FILTER (WHERE NOT again), 0) FROM orders '
        'GROUP BY 1').fetchall()}
    spans = connection.execute("SELECT source_file, first_row, last_row FROM orders WHERE again ORDER BY ALL"
                               ).fetchall()
    scattered = {number for (number,) in connection.execute(
        f"SELECT DISTINCT source_file FROM orders WHERE again AND ({SCATTERED})").fetchall()}
    for f in files:
        f.rows, f.summed = rows.get(f.number, (0, 0))
        if f.number in scattered:  # the rows of those orders, numbered again: other orders' lie between
            f.again = array("q", (n for (n,) in connection.execute(
                f"SELECT n FROM (SELECT row_number() OVER () AS n, {f.column(fast.order_id)} AS order_id "
                f"FROM {f.reader}) SEMI JOIN (SELECT order_id FROM orders WHERE again) USING (order_id) "
                f"ORDER BY n").fetchall()))
        else:  # each whole in this file: its run of rows
            f.again = array("q", (row for number, first, last in spans if number == f.number
                                  for row in range(first, last + 1)))


def _map(connection: Any, fast: Orders, first: _File,
         categorizer: Categorizer) -> tuple[dict[int, tuple], list[_Spelling]]:
    """Map each spelling of the counted orders (currency, places, the signals of their lines, the most decimals
    written) by the platform reader's own rules, as table ``words``: its number, and the sale and refund
    profile numbers of its orders (none where their lines fall in several categories: those orders are split
    in Python). Returns the profile (and category source) of each number, and each spelling's reading."""
    source = first.source
    signals = list(_signal_groups(fast))
    places = [(f"country{i}", f"region{i}") for i in range(len(fast.places))]
    texts = ["currency"] + [name for pair in places for name in pair]  # the words as written
    flags = ["has_unsignalled"] + [f"has{i}" for i in range(len(signals))]  # which kinds of lines an order has
    places_written = f"GREATEST({', '.join(written_places(a) for a in ('total', 'tax', 'shipping', 'refunded'))})"
    query = (f"SELECT {', '.join(texts)}, unsignalled > 0, "
             + ", ".join(f"lines{i} > 0" for i in range(len(signals)))
             + f", max(odd), max({places_written}), sum(unsignalled), "
             + ", ".join(f"sum(lines{i})" for i in range(len(signals)))
             + " FROM orders WHERE NOT out AND NOT again GROUP BY ALL")
    numbers: dict[tuple, int] = {}
    rows = []
    spellings: list[_Spelling] = []
    for found in connection.execute(query).fetchall():
        key, (odd, most, *lines) = found[:len(texts) + len(flags)], found[len(texts) + len(flags):]
        written_code, *cells = key[:len(texts)]
        if odd:
            raise NotPlain(f"a {fast.signal!r} value other than {', '.join(fast.signals)}")
        try:
            code = word("currency", written_code.strip(), source.options, lambda _f: Location(first.path))
            pairs = [(cells[2 * i].strip(), cells[2 * i + 1].strip()) for i in range(len(places))]
            chosen = next((i for i, (country, _region) in enumerate(pairs) if country), len(pairs) - 1)
            (country_name, region_name), (country, region) = fast.places[chosen], pairs[chosen]
            place = source.place(0, (country_name, country), (region_name, region))
        except InputError as exc:
            raise NotPlain(f"{exc.message}: read order by order, nexus's own reader names the row") from None
        allowed = checked_places(code)
        if allowed is not None and most > allowed:
            raise NotPlain(f"an amount in {code} has more decimal places than {code} has")
        present = [(None, lines[0])] + [(signal, n) for signal, n in zip(signals, lines[1:])]
        groups = {group: categorizer.decide("", "", signal, int(n)) for group, (signal, n) in enumerate(present)
                  if n}
        numbered: tuple[int | None, ...]
        if len(set(groups.values())) == 1:
            category, said = next(iter(groups.values()))
            numbered = tuple(numbers.setdefault((profile(place, code, source.channel, kind, "no", category), said),
                                                len(numbers) + 1) for kind in ("sale", "refund"))
        else:  # lines of several categories: the orders are split in Python (see _split_orders)
            numbered = (None, None)
        spellings.append(_Spelling(place, code, source.channel, groups))
        rows.append((*key, len(spellings) - 1, *numbered))
    table(connection, "words", {**{name: "VARCHAR" for name in texts}, **{name: "BOOLEAN" for name in flags},
                                "spelling": "INTEGER", "sale_profile": "INTEGER", "refund_profile": "INTEGER"}, rows)
    connection.execute(
        "CREATE VIEW counted AS SELECT o.*, w.spelling, w.sale_profile, w.refund_profile, "
        "CAST(substr(o.day, 1, 10) AS DATE) - DATE '1970-01-01' AS day_number, "
        "CAST(o.total AS DECIMAL(38, 9)) AS total_n, CAST(NULLIF(o.tax, '') AS DECIMAL(38, 9)) AS tax_n, "
        "CAST(NULLIF(o.shipping, '') AS DECIMAL(38, 9)) AS shipping_n, "
        "abs(CAST(NULLIF(o.refunded, '') AS DECIMAL(38, 9))) AS refunded_n "
        "FROM orders o JOIN words w ON " + " AND ".join(
            [f"o.{name} = w.{name}" for name in texts] + ["(o.unsignalled > 0) = w.has_unsignalled"]
            + [f"(o.lines{i} > 0) = w.has{i}" for i in range(len(signals))]) + " WHERE NOT o.out AND NOT o.again")
    return {number: key for key, number in numbers.items()}, spellings


@dataclass(frozen=True)
class _Spelling:
    """What a spelling of the counted orders reads as: place, currency, channel, and the category (and its
    source) of each group of lines (0: without a signal, then the platform's signals in order)."""

    place: str
    currency: str
    channel: str
    groups: dict[int, tuple[str, str]]


#: A counted order's refund that is its whole total (or an order of total 0's refund): summed in DuckDB (TOTALS).
FULL = "refunded_n <> 0 AND (total_n = 0 OR refunded_n = total_n)"
#: A counted order's refund that is part of its total: split by refund_parts in Python (PARTIAL_REFUNDS), its
#: shares held to a trillionth, so that the sums are exact in any order.
PARTIAL = "refunded_n <> 0 AND total_n <> 0 AND refunded_n <> total_n"
#: The counted orders of one category summed by profile and day in one pass, in order of profile and day: the
#: sales (``charged`` counts the orders with shipping or tax charged: Ledger.add keeps a charge only for those),
#: beside them the full refunds, the running total refunded of each on the order's day (their profile is the
#: sale's, as a refund), and how many partial refunds there are (read by PARTIAL_REFUNDS where any). Two scans
#: of the orders, one for the sales and one for the refunds, took 0.30 s where this one takes 0.27 s.
TOTALS = f"""
SELECT sale_profile, refund_profile, day_number, CAST(SUM(total_n - COALESCE(tax_n, 0)) AS VARCHAR),
       CAST(SUM(COALESCE(shipping_n, 0)) AS VARCHAR), CAST(SUM(COALESCE(tax_n, 0)) AS VARCHAR), COUNT(*),
       SUM("rows"), COUNT(*) FILTER (WHERE COALESCE(shipping_n, 0) <> 0 OR COALESCE(tax_n, 0) <> 0),
       CAST(SUM(CASE WHEN total_n = 0 THEN -refunded_n ELSE -(total_n - COALESCE(tax_n, 0)) END)
            FILTER (WHERE {FULL}) AS VARCHAR),
       CAST(SUM(CASE WHEN total_n = 0 THEN 0 ELSE -COALESCE(shipping_n, 0) END) FILTER (WHERE {FULL}) AS VARCHAR),
       CAST(SUM(CASE WHEN total_n = 0 THEN 0 ELSE -COALESCE(tax_n, 0) END) FILTER (WHERE {FULL}) AS VARCHAR),
       COUNT(*) FILTER (WHERE {FULL}),
       COUNT(*) FILTER (WHERE {FULL} AND total_n <> 0 AND (COALESCE(shipping_n, 0) <> 0 OR COALESCE(tax_n, 0) <> 0)),
       COUNT(*) FILTER (WHERE {PARTIAL})
FROM counted WHERE sale_profile IS NOT NULL GROUP BY sale_profile, refund_profile, day_number
ORDER BY sale_profile, day_number
"""
PARTIAL_REFUNDS = f"""
SELECT refund_profile, day_number, total, tax, shipping, refunded FROM counted
WHERE sale_profile IS NOT NULL AND {PARTIAL}
"""
#: The orders whose lines fall in several categories, split in Python as the platform's reader splits them.
MIXED = """
CREATE TABLE mixed AS
SELECT source_file, order_id, spelling, day_number, total, tax, shipping, refunded FROM counted
WHERE sale_profile IS NULL
"""


def _ledger(connection: Any, fast: Orders, files: list[_File], lines: list[int], numbers: dict[int, tuple],
            spellings: list[_Spelling]) -> Ledger:
    """The ledger of the counted orders, their refunds, the orders left out and every file's row account
    (``lines``: each file's count of lines)."""
    ledger = Ledger()
    _left_out(connection, fast, files, lines, ledger)
    out = dict(connection.execute('SELECT source_file, SUM("rows") FROM orders WHERE out AND NOT again '
                                  'GROUP BY 1').fetchall())
    ledger.file_rows = [{"left_out": int(out.get(f.number, 0))} for f in files]  # the rest: _read_again's
    name = files[0].source.name
    day = Days(ledger)
    partial = 0
    with paused_gc():
        # A profile's days at once (each row: the sales of a day, then its full refunds, then its partial ones).
        for number, group in itertools.groupby(connection.execute(TOTALS).fetchall(), key=itemgetter(0)):
            rows = list(group)
            ledger.add_summed(numbers[number], "sale", name,
                              [(day[row[2]], Decimal(row[3]), Decimal(row[4]), Decimal(row[5]), int(row[6]),
                                int(row[7]), row[8]) for row in rows])
            ledger.add_summed(numbers[rows[0][1]], "refund", name,
                              [(day[row[2]], Decimal(row[9]), Decimal(row[10]), Decimal(row[11]), int(row[12]), 0,
                                row[13]) for row in rows if row[12]])
            partial += sum(row[14] for row in rows)
        # What Python splits (partial refunds, orders of several categories) is summed per profile and day first:
        # its shares are held to a trillionth, so the sums are exact in any order (exports.base.SHARE_PLACES).
        parts: dict[tuple, list] = {}

        def part(key: tuple, day_number: int, amount: Decimal, shipping: Decimal, tax: Decimal, count: int,
                 rows: int, kind: str) -> None:
            total = parts.get((key, kind, day_number))
            if total is None:
                total = parts[(key, kind, day_number)] = [ZERO, ZERO, ZERO, 0, 0, 0]
            total[0] += amount
            total[1] += shipping
            total[2] += tax
            total[3] += count
            total[4] += rows
            total[5] += bool(shipping or tax)

        for number, day_number, total, tax, shipping, refunded in (
                connection.execute(PARTIAL_REFUNDS).fetchall() if partial else ()):
            taxes, ship, whole = Decimal(tax or 0), Decimal(shipping or 0), Decimal(total)
            part(numbers[number], day_number,
                 *refund_parts(abs(Decimal(refunded)), whole, whole - taxes, ship, taxes), 1, 0, "refund")
        for split_part in _split_orders(connection, fast, files, spellings):
            part(*split_part)
        by_profile: dict[tuple, list] = {}
        for (key, kind, day_number), summed in parts.items():
            by_profile.setdefault((key, kind), []).append((day[day_number], *summed))
        for (key, kind), totals in by_profile.items():
            ledger.add_summed(key, kind, name, totals)
    for f in files:
        ledger.files.append((f.path, f.rows))
        ledger.layouts[f.path] = name
        ledger.rows_read += f.summed  # the rows of orders in several files are read, and counted, by _read_again
    return ledger


def _split_orders(connection: Any, fast: Orders, files: list[_File], spellings: list[_Spelling]) -> Iterator[tuple]:
    """The orders whose lines fall in several categories, each split between them (and its refund likewise) by
    :func:`nexus.exports.base.split`, from its lines' values summed per group of lines in DuckDB (a second pass
    over the files, for these orders only): ``(profile key, day number, amount, shipping, tax, transactions,
    rows, kind)`` for each part."""
    connection.execute(MIXED)
    connection.execute("DROP VIEW counted; DROP TABLE orders")  # read in full by now: its memory for this pass
    if not connection.execute("SELECT count(*) FROM mixed").fetchone()[0]:
        return
    signalled = list(_signal_groups(fast).values())
    # Whether a group's lines carry shipping: those without a signal do, as every line not marked otherwise.
    ships = [True] + [not set(values) & set(fast.no_shipping) for values in signalled]
    selects = []
    for f in files:
        c = f.column
        group = "CASE " + " ".join(
            f"WHEN {_lower(c(fast.signal))} IN ({', '.join(_quoted(v) for v in values)}) THEN {i + 1}"
            for i, values in enumerate(signalled)) + " ELSE 0 END"
        price, quantity, discount = c(fast.line_price), c(fast.line_quantity), c(fast.line_discount)
        selects.append(
            f"SELECT {f.number} AS source_file, {c(fast.order_id)} AS order_id, {group} AS grp, "
            f"COALESCE({price}, '') AS price, COALESCE({quantity}, '') AS quantity, "
            f"COALESCE({discount}, '') AS discount FROM {f.reader}")
    value = ("GREATEST(CAST(COALESCE(NULLIF(price, ''), '0') AS DECIMAL(38, 9)) * "
             "CAST(COALESCE(NULLIF(quantity, ''), '1') AS BIGINT) - "
             "abs(CAST(COALESCE(NULLIF(discount, ''), '0') AS DECIMAL(38, 9))), 0)")
    plain = (f"(price = '' OR regexp_full_match(price, '{PLAIN_DECIMAL}')) AND "
             f"(discount = '' OR regexp_full_match(discount, '{PLAIN_DECIMAL}')) AND "
             "(quantity = '' OR regexp_full_match(quantity, '[0-9]{1,9}'))")
    lines = (f"SELECT source_file, order_id, grp, bool_and({plain}) AS plain, "
             f"max(GREATEST({written_places('price')}, {written_places('discount')})) AS places, "
             f"CAST(SUM(CASE WHEN {plain} THEN {value} END) AS VARCHAR) AS worth, count(*) AS n "
             f"FROM ({' UNION ALL '.join(selects)}) l SEMI JOIN mixed m USING (source_file, order_id) "
             f"GROUP BY ALL")
    current, items = None, []
    for row in _rows(connection.execute(
            f"SELECT m.source_file, m.order_id, m.spelling, m.day_number, m.total, m.tax, m.shipping, m.refunded, "
            f"g.grp, g.plain, g.places, g.worth, g.n FROM mixed m JOIN ({lines}) g USING (source_file, order_id) "
            f"ORDER BY m.source_file, m.order_id, g.grp")):
        if current is not None and row[:2] != current[:2]:
            yield from _split_order(current, items, spellings)
            items = []
        current = row
        grp, plain, places, worth, count = row[8:]
        spelling = spellings[row[2]]
        allowed = checked_places(spelling.currency)
        if not plain or (allowed is not None and places > allowed):
            raise NotPlain(f"a {fast.line_price!r} or {fast.line_discount!r} not plain, or a "
                           f"{fast.line_quantity!r} not a whole number, in an order of several categories")
        category, said = spelling.groups[grp]
        # One item worth the group's lines, and the rest worth nothing: the same sums and counts split() reads.
        items.append(Item(0, "", "", Decimal(worth), category, said, ships[grp]))
        items.extend([Item(0, "", "", ZERO, category, said, ships[grp])] * (int(count) - 1))
    if current is not None:
        yield from _split_order(current, items, spellings)


def _rows(result: Any, size: int = 20_000) -> Iterator[tuple]:
    """The rows of a DuckDB result, fetched a block at a time (a few hundred thousand orders would otherwise sit
    in memory at once as Python tuples)."""
    while True:
        block = result.fetchmany(size)
        if not block:
            return
        yield from block


def _split_order(order: tuple, items: list[Item], spellings: list[_Spelling]) -> Iterator[tuple]:
    """One order of several categories split as :meth:`nexus.exports.base.Source.orders` splits it."""
    _file, _id, number, day_number, total, tax, shipping, refunded = order[:8]
    spelling = spellings[number]
    taxes, ship, whole = Decimal(tax or 0), Decimal(shipping or 0), Decimal(total)
    net = whole - taxes

    def key(kind: str, category: str, said: str) -> tuple:
        return profile(spelling.place, spelling.currency, spelling.channel, kind, "no", category), said

    for i, ((category, said), members, amount, ship_part, tax_part) in enumerate(split(items, net, ship, taxes)):
        yield key("sale", category, said), day_number, amount, ship_part, tax_part, int(i == 0), len(members), "sale"
    back = abs(Decimal(refunded or 0))
    if back:
        amount, ship_back, tax_back = refund_parts(back, whole, net, ship, taxes)
        for (category, said), _members, part, ship_part, tax_part in split(items, amount, ship_back, tax_back):
            yield key("refund", category, said), day_number, part, ship_part, tax_part, 1, 0, "refund"


def _left_out(connection: Any, fast: Orders, files: list[_File], lines: list[int], ledger: Ledger) -> None:
    """List the first orders left out as the platform's reader lists them (their first line, the reason its own
    table gives, the row as written), count the rest; hand over a file whose lines are not its rows one for
    one (a blank line, a quoted value spanning lines), where the lines would not be the reference's."""
    total = connection.execute('SELECT COALESCE(SUM("rows"), 0) FROM orders WHERE out AND NOT again').fetchone()[0]
    listed = connection.execute(f'SELECT source_file, first_row, "rows" FROM orders WHERE out AND NOT again '
                                f'ORDER BY source_file, first_row LIMIT {LISTED_ROWS}').fetchall()
    texts: dict[int, dict[int, bytes]] = {}
    for f, count in zip(files, lines):
        if count - f.blank_lines_at_end() != f.source.header_line + f.rows:
            raise NotPlain(f"{f.path}: its lines are not its rows one for one (a blank line, or a quoted value "
                           f"spanning lines): nexus's own reader gives each row its line")
        texts[f.number] = f.lines({f.source.header_line + first for number, first, _rows in listed
                                   if number == f.number})
    shown = 0
    for number, first_row, rows in listed:
        f = files[number]
        line = f.source.header_line + first_row
        text = texts[number][line].decode("utf-8")
        # A line without quotes is its values joined: as written, and (comma-separated) as the row's text.
        plain = '"' not in text
        values = text.split(f.separator) if plain else next(csv.reader([text], delimiter=f.separator))
        reason = fast.left_out(lambda column: f.source.cell(values, column))
        if reason is None:  # left out by DuckDB's reading only (a case only Python folds): the reference decides
            raise NotPlain("an order's status reads differently in Python")
        shown_text = text if plain and f.separator == "," else _row_text(values)
        ledger.left_out.append(RowProblem(f.path, line, reason, None, None, shown_text, int(rows)))
        shown += int(rows)
    for f in files:  # how many are each file's, for _read_again (a path given twice is two files)
        f.listed = sum(number == f.number for number, _first, _rows in listed)
    ledger.unlisted_left_out = int(total) - shown


def _read_again(layout: ModuleType, files: list[_File], options: ReadOptions, categorizer: Categorizer,
                ledger: Ledger, progress: Callable[[float], None] = lambda _share: None) -> None:
    """The orders whose id is in more than one file (a late export), or repeated or apart in one, read from their
    lines by the platform's own reader and accounted for as :func:`nexus.sales.read_sales` accounts for them,
    file after file: a copy counted once, another content stopping or read as ``--repeated-orders`` says. Only
    their order among themselves matters (no other order shares their ids); the orders left out that are listed
    are the first of both kinds, by file and line."""
    total = sum(len(f.again) for f in files)
    if not total:
        return
    done = [0]

    def told(count: int) -> None:  # the progress shown goes on from DuckDB's pass (0.8), to the end with the last row
        done[0] += count
        progress(0.8 + 0.2 * done[0] / total)

    listed, unlisted = ledger.left_out, ledger.unlisted_left_out
    ledger.left_out, ledger.unlisted_left_out = [], 0

    def rows(f: _File) -> Iterator[tuple[int, Sequence[object]]]:
        """The header as the platform's reader found it, then the rows of these orders only, read a few
        thousand lines at a time (a late export may repeat most of a large one)."""
        start = f.source.header_line
        head = read_rows(f.path, options)
        try:
            yield from list(itertools.takewhile(lambda row: row[0] <= start, head))
        finally:
            head.close()
        for at in range(0, len(f.again), 20_000):
            wanted = [start + row for row in f.again[at:at + 20_000]]
            texts = f.lines(set(wanted))
            # One reader over the chunk's lines (each line is one row: the count of lines proved it).
            yield from zip(wanted, csv.reader([texts[line].decode("utf-8") for line in wanted],
                                              delimiter=f.separator))
            told(len(wanted))

    # apart: an order's rows with others' between them in the file are two groups, as the reader reads the file.
    starts: list[int] = []  # where each file's orders left out begin in the reader's list

    def reading(f: _File) -> tuple[str, Iterator]:
        starts.append(len(ledger.left_out))  # the files before it read in full: account reads file after file
        return f.path, exports.read(layout, f.path, rows(f), options, categorizer, apart=True)

    account(ledger, options, (reading(f) for f in files))
    # Merged by file number and line, not path: a path given twice is two files, the first's listed first.
    ours = iter(listed)  # by file, then line
    numbered = [(f.number, next(ours)) for f in files for _ in range(f.listed)]
    numbered += [(bisect_right(starts, i) - 1, p) for i, p in enumerate(ledger.left_out)]
    merged = [p for _number, p in sorted(numbered, key=lambda n: (n[0], n[1].line))]
    ledger.left_out = merged[:LISTED_ROWS]
    ledger.unlisted_left_out += unlisted + sum(p.rows for p in merged[LISTED_ROWS:])  # rows, as listed ones count
