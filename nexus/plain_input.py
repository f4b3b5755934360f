"""What nexus's DuckDB readers read exactly as its own reader does ("plain"), and the hand-over where they cannot.

Orders in nexus's own layout (:mod:`nexus.own_layout_fast`) and platform exports (:mod:`nexus.fast_exports`) are read by
DuckDB only where DuckDB reads them alike: a UTF-8 CSV, split by the delimiter nexus's own reader finds
(:func:`csv_reader`), dates and amounts in the plain forms below. Anything else raises :class:`NotPlain`, and
nexus's own reader, which names every bad cell, reads the files instead: the fast path never gives a different
answer, only a quicker one.
"""
from __future__ import annotations

import csv

from nexus.cells import TIME_PART
from nexus.duckdb_session import escaped
from nexus.money import MAX_INTEGER_DIGITS
from nexus.read_options import ReadNotes, ReadOptions
from nexus.spreadsheets import csv_layout, detect_encoding, note_layout

#: DuckDB's CSV read buffer (per thread): what of its memory cannot spill, kept small so that the rest can.
CSV_BUFFER = 8 * 2**20

#: Amounts and dates DuckDB reads exactly as the reference reader does; anything else hands over. Amounts:
#: thousands grouped in threes after a first group not starting with 0, at most 15 digits before the point
#: (nexus.money.MAX_INTEGER_DIGITS). Dates: ISO, with a valid time part or none, from year 1.
PLAIN_AMOUNT = r"[+-]?([1-9][0-9]{0,2}(,[0-9]{3}){1,4}|[0-9]{1,15})(\.[0-9]{1,9})?"
PLAIN_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}" + TIME_PART
#: The largest amount both readers read (10**15, exclusive), for typed (Parquet) amounts.
AMOUNT_LIMIT = 10 ** MAX_INTEGER_DIGITS
#: Whitespace that Python's str.strip() removes, as an RE2 class; an order id with it at either end
#: (EDGE_SPACE) hands over, so that ids read alike on both paths.
STRIPPED_SPACE = r"[\s\x{0b}\x{1c}-\x{1f}\x{85}\p{Z}]"
EDGE_SPACE = f"^{STRIPPED_SPACE}|{STRIPPED_SPACE}$"


class NotPlain(Exception):
    """The input holds something only the reference reader reads (or names as an error); ``path`` is the
    file, where one file is the reason."""

    def __init__(self, message: str, path: str | None = None):
        super().__init__(message)
        self.path = path


def csv_reader(path: str, options: ReadOptions, notes: ReadNotes,
               positional: bool = False) -> tuple[str, list[str], str]:
    """DuckDB's ``read_csv`` of a UTF-8 CSV file, every value as text, with the delimiter the reference reader
    finds (and says); the file's header, and that delimiter. A workbook or another encoding hands over. Where
    ``positional``, DuckDB names the header's columns ``c0``, ``c1``... in order."""
    if path.lower().endswith((".xlsx", ".xlsm")):
        raise NotPlain(f"{path} is a workbook: the reference reader reads it")
    found = detect_encoding(path)
    if found not in ("utf-8", "utf-8-sig"):
        raise NotPlain(f"{path} is in {found}, not UTF-8")
    with open(path, encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
        second = handle.readline() if first.lower().startswith("sep=") else None
    separator, skip, how = csv_layout(path, first, second, options.delimiter)  # as the reference reader does
    note_layout(notes, path, separator, how)
    line = (second or "") if skip else first
    if line.count('"') % 2:  # a quote still open at the line's end: a column name holds a line break
        raise NotPlain(f"{path}: a column name in its header runs over two lines (a line break inside it, as "
                       f"Alt+Enter writes in Excel): nexus's own reader reads the whole header")
    header = next(csv.reader([line], delimiter=separator), [])
    # No comment character: DuckDB's sniffer may otherwise take '#' for one, and an export whose rows all start
    # with '#' (Shopify's order names, '#1001') and has one short row read as no rows at all.
    names = f", names = [{', '.join(repr(f'c{i}') for i in range(len(header)))}]" if positional else ""
    reader = (f"read_csv('{escaped(path)}', header = true, all_varchar = true, delim = '{escaped(separator)}', "
              f"quote = '\"', escape = '\"', comment = '', skip = {int(skip)}, buffer_size = {CSV_BUFFER}{names})")
    return reader, header, separator


def written_places(sql: str) -> str:
    """The decimal places written in the amount text ``sql`` (0 without a point), trailing zeros included."""
    return f"CASE WHEN strpos({sql}, '.') = 0 THEN 0 ELSE length({sql}) - strpos({sql}, '.') END"
