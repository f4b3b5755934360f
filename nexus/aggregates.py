"""Daily aggregates: the small result a data team hands finance instead of millions of orders.

``nexus sql`` prints the query that makes them; :func:`read_aggregates` reads
them (CSV or Parquet) into the same :class:`~nexus.ledger.Ledger` nexus builds
from orders, so every check, workbook and warning works the same.

Shape (docs/scale.md): ``date, jurisdiction, currency, channel, category,
kind, exempt, amount, rows``, one row per combination and day; ``amount`` a
decimal, ``rows`` the number of order rows it sums (a whole number, 0 or
more). As in orders, refunds and chargebacks reduce sales whatever their sign
in the file, and a negative sale is a refund. Two optional columns carry what
the ledger keeps apart: ``shipping`` (the part of ``amount`` that is shipping
and handling) and ``tax`` (tax charged, not in ``amount``), signed as the
row's amount (a refund's are taken off); without them both are zero.
"""
from __future__ import annotations

import csv
import os
import re
import tempfile
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Iterator

from nexus import currencies, places
from nexus.duckdb_session import is_parquet
from nexus.errors import InputError, Location
from nexus.money import checked_places, parse_amount
from nexus.categories import LINE_CATEGORIES, UNKNOWN
from nexus.cells import CHANNELS, EXEMPTIONS, KINDS
from nexus.ledger import Ledger, paused_gc, profile
from nexus.spreadsheets import check_regular_file, detect_encoding
from nexus.sql import AGGREGATE_COLUMNS


def _header(names: list[str], path: str, line: int | None) -> dict[str, str]:
    """Each column's name as nexus spells it (lower case) mapped to the name as written. Warehouses write the names
    their own way: Snowflake upper-cases every unquoted name (JURISDICTION, AMOUNT), so a column is found whatever
    its case. A column missing, or named twice (in any case), is an error: which one holds the figures?"""
    written = {name.lower(): name for name in names}
    missing = [c for c in AGGREGATE_COLUMNS if c not in written]
    if missing:
        raise InputError(f"is not a nexus aggregates file: missing column(s) {', '.join(missing)}",
                         Location(path, line))
    lowered = [name.lower() for name in names]
    twice = sorted({name for name in lowered if lowered.count(name) > 1})
    if twice:
        raise InputError(f"names the column(s) {', '.join(twice)} twice in its header: which one holds the "
                         f"figures?", Location(path, line))
    return written


def _csv(path: str) -> Iterator[tuple[int, dict[str, Any], dict[str, str]]]:
    """The aggregates of a CSV file, each row a dict of its columns (by nexus's name, with the names as written).
    A row with more fields than the header (an unquoted '1,234' moves the rows count into a column of its own) is
    an error: a dict would set the extra field aside without a word."""
    with open(path, encoding=detect_encoding(path), newline="") as handle:
        reader = csv.DictReader(handle, strict=True)
        names = [name.strip() for name in reader.fieldnames or []]  # 'date, jurisdiction': spaces after commas
        written = _header(names, path, 1)
        reader.fieldnames = [name.lower() for name in names]
        start = 2
        try:
            for row in reader:
                if None in row:
                    raise InputError(f"has {len(names) + len(row[None])} fields where the header has {len(names)} "
                                     f"(an amount written with a thousands comma, 1,234, unquoted?)",
                                     Location(path, start))
                if None in row.values():  # a short row: the csv module fills the missing fields with None
                    filled = sum(value is not None for value in row.values())
                    raise InputError(f"has {filled} fields where the header has {len(names)} (a field left out)",
                                     Location(path, start))
                yield start, row, written
                start = reader.line_num + 1
        except csv.Error as exc:
            raise InputError(f"is not a readable CSV file ({exc}): a quote left open?", Location(path, start)) from None


def _parquet(path: str) -> Iterator[tuple[int, dict[str, Any], dict[str, str]]]:
    from nexus.engine import unavailable

    why = unavailable()
    if why is not None:
        raise InputError(f"is Parquet, which nexus reads with DuckDB, and {why}: export the aggregates as CSV",
                         Location(path))
    import duckdb

    from nexus.duckdb_session import connect  # a connection that prints nothing to stdout

    try:
        with connect() as connection:
            relation = connection.sql("SELECT * FROM read_parquet(?)", params=[path])
            names = relation.columns
            written = _header(names, path, None)
            records = relation.fetchall()  # daily totals: small, whatever the orders were
    except duckdb.Error as exc:
        raise InputError(f"is not a readable Parquet file ({exc.__class__.__name__})", Location(path)) from None
    for number, values in enumerate(records, start=1):
        yield number, dict(zip((name.lower() for name in names), values)), written


def read_aggregates(paths: list[str], category: str | None = None, unknown_as: str | None = None) -> Ledger:
    """Read aggregates files into a :class:`Ledger`, checking every value and naming any bad one.

    ``category`` (``--category``) and ``unknown_as`` (``--unknown-category``) read an ``unknown`` aggregate (the
    query's word for orders without a category) as they read an order row without one (:func:`_category`).

    DuckDB reads them where it can (every value plain: :func:`_read_with_duckdb`), a million rows in about a
    second; otherwise, or where DuckDB cannot be imported, they are read row by row (:func:`read_rows_of`),
    which names the file, line and column of any bad value.
    """
    for path in paths:
        check_regular_file(path)
    from nexus import engine

    if engine.available():
        ledger = _read_with_duckdb(paths, category, unknown_as)
        if ledger is not None:
            return ledger
    return read_rows_of(paths, category, unknown_as)


def _category(written: str, category: str | None, unknown_as: str | None) -> tuple[str, str]:
    """An aggregate's category and its source, as the orders readers decide them for a row: its own (``column``);
    for ``unknown`` (no category in the orders), ``--category`` (``option``), else ``--unknown-category``, which
    decides what the rules count while the source stays ``unknown``. Ignoring them gave other figures than
    ``--sales`` on the same orders."""
    if written != UNKNOWN:
        return written, "column"
    if category:
        return category, "option"
    return unknown_as or UNKNOWN, "unknown"


def read_rows_of(paths: list[str], category: str | None = None, unknown_as: str | None = None) -> Ledger:
    """Read aggregates files row by row into a :class:`Ledger`, checking every value and naming any bad one."""
    ledger = Ledger()
    held: dict[tuple, set[int]] = {}  # each group as written (day, words) -> the files holding it
    for index, path in enumerate(paths):
        check_regular_file(path)
        rows = _parquet(path) if is_parquet(path) else _csv(path)
        count = 0
        for line, row, written in rows:
            def at(column: str) -> Location:
                return Location(path, line, written.get(column, column), str(row.get(column)))

            typed = isinstance(row["date"], date)
            day = _typed_day(row["date"], at("date")) if typed else _day(row["date"], at("date"))
            held.setdefault((day, *("" if row[w] is None else str(row[w]) for w in _WORDS)), set()).add(index)
            place = places.one_code(str(row["jurisdiction"]).strip().upper())  # PR, as nexus sql writes it: US-PR
            if place not in places.countries() and not any(place in places.subdivisions(c) for c in places.SUBDIVIDED):
                raise InputError("is not a country or a US/Canadian subdivision code", at("jurisdiction"))
            if places.SUBDIVIDED.get(place):
                raise InputError(f"is a country whose sales are placed by state: an aggregate needs its state "
                                 f"({place}-XX; the orders' region was empty)", at("jurisdiction"))
            code = str(row["currency"]).strip().upper()
            if currencies.facts(code) is None:
                raise InputError("is not an ISO 4217 currency code", at("currency"))
            values = {}
            for column, allowed in (("channel", CHANNELS), ("kind", KINDS), ("exempt", EXEMPTIONS),
                                    ("category", LINE_CATEGORIES)):
                values[column] = str(row[column]).strip().lower()
                if values[column] not in allowed:
                    raise InputError(f"is not one of {', '.join(allowed)}", at(column))
            if row["amount"] is None or (isinstance(row["amount"], str) and not row["amount"].strip()):
                raise InputError("is empty: an order row it sums has no amount (nexus sql leaves the day's total "
                                 "empty rather than sum without it); correct it in the orders table", at("amount"))
            amount = parse_amount(row["amount"] if not isinstance(row["amount"], float) else repr(row["amount"]),
                                  at("amount"))
            _fits(amount, code, at("amount"))
            n = _count(row["rows"], at("rows"))
            values["category"], source = _category(values["category"], category, unknown_as)
            # As the orders reader: a negative sale is a refund, and refunds and chargebacks reduce sales
            # whichever sign the file gives them.
            if values["kind"] == "sale" and amount < 0:
                values["kind"] = "refund"
            if values["kind"] != "sale":
                amount = -abs(amount)
            total = ledger.total(profile(place, code, values["channel"], values["kind"], values["exempt"],
                                         values["category"]), day)
            total[0] += amount
            total[1] += n if values["kind"] == "sale" else 0
            tally = ledger.category_sources.setdefault((place, code, values["category"], source), {}).setdefault(
                day, [Decimal(0), 0])
            tally[0] += amount
            tally[1] += n if values["kind"] == "sale" else 0
            charged = [_signed(_optional(row, column, at), values["kind"]) for column in ("shipping", "tax")]
            if any(charged):
                charges = ledger.charge(profile(place, code, values["channel"], values["kind"], values["exempt"],
                                                values["category"]), day)
                charges[0] += charged[0]
                charges[1] += charged[1]
            ledger.rows_read += n
            ledger.rows_by_day[day] = ledger.rows_by_day.get(day, 0) + n
            count += n
        ledger.files.append((path, count))
        ledger.layouts[path] = "aggregates"
    _warn_overlaps(ledger, paths, [(key, sorted(files)) for key, files in held.items() if len(files) > 1])
    return ledger


def _fits(amount: Decimal, code: str, where: Location) -> None:
    """Refuse an aggregate with more decimal places than its currency carries (1500.5 JPY): amounts that fit add up
    to one that fits, so some amount it sums does not, one nexus's readers refuse in an orders file; the query
    (nexus sql) sums what it is given. Trailing zeros (a warehouse's DECIMAL(38, 9)) are no places."""
    allowed = checked_places(code)
    places = -amount.normalize().as_tuple().exponent if amount else 0
    if allowed is not None and places > allowed:
        raise InputError(f"has {places} decimal place{'s' * (places != 1)} but {code} has {allowed}: some amount it "
                         f"sums has more places "
                         f"than {code} carries (refused rather than rounded; correct it in the orders table the "
                         f"query ran on)", where)


def _warn_overlaps(ledger: Ledger, paths: list[str], overlaps: list[tuple[tuple, list[int]]]) -> None:
    """Warn where two files hold the same group on the same day. The query writes each group once, so such files
    overlap (the query run twice over those days) or were given twice: they are summed, as files of different
    groups are, which counts those sales twice; aggregates carry no order ids to find the copies by."""
    if not overlaps:
        return
    (day, *words), files = min(overlaps)
    more = f" (and {len(overlaps) - 1:,} more the same way)" if len(overlaps) > 1 else ""
    ledger.notes.warn(f"{paths[files[0]]} and {paths[files[1]]} both hold the aggregate of {day.isoformat()} for "
                      f"{' '.join(w.strip() for w in words)}{more}: the files are summed, so if they overlap (the "
                      f"query run twice over those days) those sales are counted twice")


def _count(value: Any, where: Location) -> int:
    """The ``rows`` of an aggregate: a whole number, 0 or more (a count of order rows)."""
    if isinstance(value, bool):
        raise InputError("is not a count of rows (a whole number, 0 or more)", where)
    if isinstance(value, int):
        n = value
    elif isinstance(value, (float, Decimal)) and value == value // 1:  # a warehouse's DOUBLE or DECIMAL count
        n = int(value)
    elif isinstance(value, str) and re.fullmatch(r"\s*[+-]?\d+\s*", value):
        n = int(value)
    else:
        raise InputError("is not a count of rows (a whole number, 0 or more)", where)
    if n < 0:
        raise InputError("is negative: a count of rows is 0 or more", where)
    return n


def _optional(row: dict[str, Any], column: str, at) -> Decimal:
    """An optional amount column (shipping, tax): zero when the file has no such column or the cell is empty."""
    value = row.get(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal(0)
    return parse_amount(value if not isinstance(value, float) else repr(value), at(column))


def _signed(amount: Decimal, kind: str) -> Decimal:
    """A row's shipping or tax signed as its amount: a refund's or chargeback's are taken off whatever their sign
    in the file, as the orders reader signs them, so a refund does not add to the shipping and tax charged."""
    return amount if kind == "sale" else -abs(amount)


def _typed_day(value: date, where: Location) -> date:
    """The day of a typed date (Parquet DATE or TIMESTAMP). A TIMESTAMP, as a warehouse may write the query's DATE,
    is read as its date, as the orders readers read 2026-01-02T10:00:00 (kept as a time, it stopped the check with
    a TypeError); one with a time zone holds an instant, whose day is the seller's call, not the reader's."""
    if not isinstance(value, datetime):
        return value
    if value.tzinfo is not None:
        raise InputError("is a timestamp with a time zone, an instant rather than the seller's day: export the "
                         "query's date as a DATE", where)
    return value.date()


def _day(text: Any, where: Location) -> date:
    try:
        return date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        raise InputError("is not a date (YYYY-MM-DD)", where) from None


#: A plain aggregate value, as text: what both readers read alike (anything else is read row by row).
_PLAIN_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}.*"
_PLAIN_AMOUNT = r"[+-]?[0-9]{1,15}(\.[0-9]{1,9})?"
_PLAIN_ROWS = r"[0-9]{1,18}"
_NOT_PLAIN = "not plain"
#: The spellings of an aggregate's words (place, currency, channel, category, kind, exemption) as written.
_WORDS = ("jurisdiction", "currency", "channel", "category", "kind", "exempt")


def _read_with_duckdb(paths: list[str], category: str | None = None, unknown_as: str | None = None) -> Ledger | None:
    """The aggregates summed by DuckDB into daily totals, or None where a value is not plain or the files are not
    in a form it reads as the row-by-row reader does (another encoding, a repeated header, a type it does not
    take as stored): that reader then reads them, naming any bad value. Shipping and tax charged are summed
    apart, signed as the amount (a refund's taken off whatever their sign), as that reader signs them.

    DuckDB checks dates, amounts and counts as plain (ISO dates, decimals of at most 9 places below 10^15, whole
    counts); the few distinct spellings of the words are read in Python by the row-by-row reader's own rules.
    Sums are exact (DECIMAL(38, 9)).
    """
    import duckdb

    from nexus.duckdb_session import MEMORY_LIMIT, connect, escaped
    from nexus.duckdb_totals import EPOCH, SOURCED, add_sourced, add_totals, totals_columns

    sources, charged = [], False
    for index, path in enumerate(paths):
        source = _duckdb_source(path, index)
        if source is None:
            return None
        sources.append(source[0])
        charged = charged or source[1]
    with tempfile.TemporaryDirectory(prefix="nexus-aggregates-") as work:
        connection = connect({"memory_limit": MEMORY_LIMIT, "temp_directory": work,
                              "preserve_insertion_order": False})
        try:
            connection.execute("CREATE VIEW aggregates AS " + " UNION ALL ".join(sources))
            connection.execute(_CHECKED.replace("/*charges*/", ", shipping, tax" if charged else ""))
            profiles = _map_spellings(connection, category, unknown_as) if _days_as_written(connection) else None
            if profiles is None:
                return None
            connection.execute(_SUMMED.replace("/*charges*/", _SUMMED_CHARGES if charged else ""))
            # Groups two files hold (one file holds each group once): 0.5 s on a million groups, so only asked
            # where there are several files.
            overlaps = [((day, *words), sorted(files)) for day, *words, files in connection.execute(
                f"SELECT day, {', '.join(_WORDS)}, list(DISTINCT source_file) FROM checked GROUP BY ALL "
                f"HAVING COUNT(DISTINCT source_file) > 1").fetchall()] if len(paths) > 1 else []
            ledger = Ledger()
            per_file = dict(connection.execute('SELECT source_file, SUM("rows") FROM checked GROUP BY 1').fetchall())
            for index, path in enumerate(paths):
                ledger.files.append((path, int(per_file.get(index, 0))))
                ledger.layouts[path] = "aggregates"
            ledger.rows_read = sum(n for _path, n in ledger.files)
            _warn_overlaps(ledger, paths, overlaps)
            ledger.rows_by_day = {EPOCH + timedelta(days=day): int(n) for day, n in connection.execute(
                'SELECT day - DATE \'1970-01-01\', SUM("rows") FROM checked GROUP BY 1 ORDER BY 1').fetchall()}
            # The rows as read are summed and counted: their memory goes to sorting the totals (which spilled 28 MB
            # of a million to disk beside them).
            connection.execute("DROP TABLE checked")
            totals = os.path.join(work, "totals.csv")
            connection.execute(f"COPY (SELECT {totals_columns(charged)} FROM summed ORDER BY profile, day) "
                               f"TO '{escaped(totals)}' (HEADER false)")
            connection.execute(f"COPY ({SOURCED.replace('canonical', 'summed')}) TO '{escaped(totals)}.sourced' "
                               f"(HEADER false)")
        except duckdb.Error:
            return None  # a value not plain (error()), or a file not read alike: read row by row, which names it
        finally:
            connection.close()
        with open(totals, encoding="utf-8") as handle, paused_gc():
            add_totals(ledger, handle, profiles)
        with open(totals + ".sourced", encoding="utf-8", newline="") as handle, paused_gc():
            add_sourced(ledger, handle)
    return ledger


def _days_as_written(connection: Any) -> bool:
    """Whether every distinct date written as text reads alike both ways (YYYY-MM-DD, a real day from year 1);
    the column is then made DATE. Dates typed as stored (Parquet DATE) need no check."""
    if connection.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'checked' "
                          "AND column_name = 'day'").fetchone()[0] != "VARCHAR":
        return True
    for (text,) in connection.execute("SELECT DISTINCT day FROM checked").fetchall():
        if text is None or text[:4] == "0000" or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text):
            return False
        try:
            date.fromisoformat(text)
        except ValueError:
            return False
    connection.execute("ALTER TABLE checked ALTER day SET DATA TYPE DATE")
    return True


def _duckdb_source(path: str, index: int) -> tuple[str, bool] | None:
    """A SELECT of one file's aggregates: the day, the words as written, the amount, the rows and the shipping and
    tax charged, each checked as plain (DuckDB's error() stops at the first that is not), and whether the file
    has shipping or tax columns; None where the file is not one to read so."""
    import duckdb

    from nexus.duckdb_session import connect, escaped, is_parquet

    literal = escaped(path)
    if is_parquet(path):
        reader = f"read_parquet('{literal}')"
        try:
            with connect() as connection:
                relation = connection.sql(f"SELECT * FROM {reader} LIMIT 0")
                types = dict(zip(relation.columns, (str(t).upper() for t in relation.types)))
        except duckdb.Error:
            return None
        names = list(types)
    else:
        if detect_encoding(path) != "utf-8":
            return None
        with open(path, encoding="utf-8", newline="") as handle:
            names = next(csv.reader(handle), [])
        types = {name: "VARCHAR" for name in names}
        columns = ", ".join(f"{_sql_text(name)}: 'VARCHAR'" for name in names)
        reader = (f"read_csv('{literal}', header = true, auto_detect = false, delim = ',', quote = '\"', "
                  f"escape = '\"', columns = {{{columns}}})")
    # Columns are found whatever their case (Snowflake writes JURISDICTION), as the row-by-row reader finds them;
    # DuckDB resolves a quoted name whatever its case.
    types = {name.lower(): kind for name, kind in types.items()}
    names = [name.lower() for name in names]
    if len(set(names)) != len(names) or any(c not in names for c in AGGREGATE_COLUMNS):
        return None  # a repeated header, a missing column (named by the row-by-row reader)
    day, amount, rows = _quoted("date"), _quoted("amount"), _quoted("rows")
    kinds = types["date"], types["amount"], types["rows"]
    if kinds[0] == "DATE":
        day_sql, day_ok = day, f"{day} IS NOT NULL"
    elif kinds[0] in ("TIMESTAMP", "TIMESTAMP_S", "TIMESTAMP_MS", "TIMESTAMP_NS"):  # read as its date, as row by row
        day_sql, day_ok = f"CAST({day} AS DATE)", f"{day} IS NOT NULL"
    elif kinds[0] == "VARCHAR":
        # Grouped by the date as written (its first ten characters), each distinct text checked after grouping
        # (_days_as_written); longer texts must start with a date here.
        day_sql = f"SUBSTR({day}, 1, 10)"
        day_ok = f"(length({day}) = 10 OR regexp_full_match({day}, '{_PLAIN_DATE}'))"
    else:
        return None
    # Each amount's decimal places, trailing zeros aside (for _fits' check, by currency, in _map_spellings): from
    # the text as written, or from a typed decimal's value; whole numbers have none.
    if kinds[1] == "VARCHAR":
        amount_sql = f"TRY_CAST({amount} AS DECIMAL(38, 9))"
        amount_ok = f"regexp_full_match({amount}, '{_PLAIN_AMOUNT}')"
        places_sql = _written_places(amount)
    elif kinds[1] in _INTEGERS:
        amount_sql, amount_ok, places_sql = (f"CAST({amount} AS DECIMAL(38, 9))", f"abs({amount}) < 1000000000000000",
                                             "0")
    elif kinds[1].startswith("DECIMAL") and int(kinds[1].rstrip(")").split(",")[-1]) <= 9:
        scale = int(kinds[1].rstrip(")").split(",")[-1])
        amount_sql, amount_ok = f"CAST({amount} AS DECIMAL(38, 9))", f"abs({amount}) < 1000000000000000"
        places_sql = ("CASE " + " ".join(f"WHEN {amount} = round({amount}, {n}) THEN {n}" for n in range(scale))
                      + f" ELSE {scale} END") if scale else "0"
    else:
        return None
    if kinds[2] == "VARCHAR":
        rows_sql, rows_ok = f"TRY_CAST({rows} AS BIGINT)", f"regexp_full_match({rows}, '{_PLAIN_ROWS}')"
    elif kinds[2] in _INTEGERS or re.fullmatch(r"DECIMAL\(\d+,\s*0\)", kinds[2]):
        # Snowflake's counts are NUMBER(38, 0), a DECIMAL of no places in Parquet: whole numbers, as integers are.
        rows_sql, rows_ok = f"CAST({rows} AS BIGINT)", f"{rows} >= 0 AND {rows} < 1000000000000000000"
    elif kinds[2] in ("DOUBLE", "FLOAT"):
        # DuckDB's COPY writes the query's SUM (a HUGEINT) to Parquet as a DOUBLE: whole counts, as read row by row.
        rows_sql = f"CAST({rows} AS BIGINT)"
        rows_ok = f"isfinite({rows}) AND {rows} = floor({rows}) AND {rows} >= 0 AND {rows} < 1e18"
    else:
        return None
    # Shipping and tax charged, where the file has them: an empty (or blank) cell charges nothing.
    charges, charges_ok = [], "true"
    for name in ("shipping", "tax"):
        cell = _quoted(name)
        if name not in names:
            charges.append(f"0::DECIMAL(38, 9) AS {name}")
        elif types[name] == "VARCHAR":
            charges.append(f"COALESCE(TRY_CAST(NULLIF(trim({cell}), '') AS DECIMAL(38, 9)), 0) AS {name}")
            charges_ok += (f" AND (NULLIF(trim({cell}), '') IS NULL OR "
                           f"regexp_full_match(trim({cell}), '{_PLAIN_AMOUNT}'))")
        elif types[name] in _INTEGERS or (types[name].startswith("DECIMAL")
                                          and int(types[name].rstrip(")").split(",")[-1]) <= 9):
            charges.append(f"COALESCE(CAST({cell} AS DECIMAL(38, 9)), 0) AS {name}")
            charges_ok += f" AND ({cell} IS NULL OR abs({cell}) < 1000000000000000)"
        else:
            return None
    words = ", ".join(f"COALESCE(CAST({_quoted(w)} AS VARCHAR), '') AS {_quoted(w)}" for w in _WORDS)
    return (f"SELECT {index} AS source_file, CASE WHEN COALESCE({day_ok} AND {amount_ok} AND {rows_ok} AND "
            f"{charges_ok}, false) THEN {day_sql} ELSE error('{_NOT_PLAIN}') END AS day, {words}, "
            f"{amount_sql} AS amount, {places_sql} AS places, {rows_sql} AS \"rows\", {', '.join(charges)} "
            f"FROM {reader}",
            any(name in names for name in ("shipping", "tax")))


def _written_places(text: str) -> str:
    """The decimal places of an amount written as text, trailing zeros aside (1.50 has one). Most amounts are told
    by their last characters: two places written, or nine as nexus sql's DECIMAL(38, 9) writes a sum in cents
    (134.450000000); the rest by trimming their zeros, which for every row costs a sixth of reading the file
    (a million rows: 0.85 CPU-seconds with it, 0.77 so)."""
    point = f"strpos({text}, '.')"
    written = f"strlen({text}) - {point}"
    return (f"CASE WHEN {point} = 0 THEN 0 "
            f"WHEN {written} = 2 THEN CASE WHEN ends_with({text}, '00') THEN 0 WHEN ends_with({text}, '0') THEN 1 "
            f"ELSE 2 END "
            f"WHEN {written} = 9 AND ends_with({text}, '0000000') THEN CASE WHEN ends_with({text}, '000000000') "
            f"THEN 0 WHEN ends_with({text}, '00000000') THEN 1 ELSE 2 END "
            f"ELSE length(rtrim(split_part({text}, '.', 2), '0')) END")


_INTEGERS = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT")
#: Every aggregate as read and checked (:func:`_duckdb_source`), kept row for row: the query writes each group
#: once a day, so grouping them again by file, day, spelling and sign built a hash table of as many groups as rows
#: (a million: 1.4 CPU-seconds, where keeping them takes 0.85) and summed nothing. Shipping and tax charged are kept
#: where a file has them (else nothing: no zeros kept a million times).
_CHECKED = f"""
CREATE TABLE checked AS
SELECT source_file, day, {", ".join(_WORDS)}, amount, places, "rows" /*charges*/
FROM aggregates
"""
#: A row whose sign and kind make it a sale (a negative sale is a refund), row by row, as :func:`read_rows_of`.
_SALE = "s.kind_word = 'sale' AND c.amount >= 0"
#: The rows under nexus's own keys (profile and day): a negative sale is a refund; refunds and chargebacks
#: reduce sales whatever their sign; only sales count as transactions.
_SUMMED = f"""
CREATE TABLE summed AS
SELECT CASE WHEN {_SALE} THEN s.sale_profile ELSE s.refund_profile END AS profile,
       c.day,
       SUM(CASE WHEN {_SALE} THEN c.amount ELSE -ABS(c.amount) END) AS amount,
       SUM(CASE WHEN {_SALE} THEN c."rows" ELSE 0 END) AS transactions
       /*charges*/
FROM checked c JOIN spellings s USING (jurisdiction, currency, channel, category, kind, exempt)
GROUP BY ALL
"""
#: Where the files have shipping or tax columns: their sums, signed as the amount, and the rows charged.
_SUMMED_CHARGES = f""",
       SUM(CASE WHEN {_SALE} THEN c.shipping ELSE -ABS(c.shipping) END) AS shipping,
       SUM(CASE WHEN {_SALE} THEN c.tax ELSE -ABS(c.tax) END) AS tax,
       COUNT(*) FILTER (WHERE c.shipping <> 0 OR c.tax <> 0) AS charged"""


def _map_spellings(connection: Any, category: str | None = None,
                   unknown_as: str | None = None) -> dict[str, tuple] | None:
    """Each distinct spelling of the words, read as :func:`read_rows_of` reads it, as table ``spellings`` with the
    number of the profile of its sales and of its refunds; None where one is not a value the reader accepts."""
    from nexus.duckdb_session import table
    from nexus.duckdb_totals import profiles_table

    countries = places.countries()
    numbers: dict[tuple, int] = {}
    rows = []
    # In their own order, so that profiles are numbered, and the ledger's series come, alike in every run (in the
    # order DuckDB happened to finish, two runs could write a report's notes in two orders).
    for *spelling, most in connection.execute(f"SELECT {', '.join(_WORDS)}, max(places) FROM checked GROUP BY ALL "
                                              f"ORDER BY ALL").fetchall():
        place = places.one_code(spelling[0].strip().upper())
        if place not in countries and not any(place in places.subdivisions(c) for c in places.SUBDIVIDED) \
                or places.SUBDIVIDED.get(place):
            return None  # read row by row, which names it (a US aggregate without its state, as the orders)
        code = spelling[1].strip().upper()
        if currencies.facts(code) is None:
            return None
        allowed = checked_places(code)  # an amount with more places than the currency carries: named row by row
        if allowed is not None and most > allowed:
            return None
        channel, written, kind, exempt = (value.strip().lower() for value in spelling[2:])
        if channel not in CHANNELS or written not in LINE_CATEGORIES or kind not in KINDS or exempt not in EXEMPTIONS:
            return None
        line_category, source = _category(written, category, unknown_as)
        rows.append((*spelling, kind) + tuple(
            numbers.setdefault((profile(place, code, channel, k, exempt, line_category), source), len(numbers) + 1)
            for k in ("sale", "refund")))
    table(connection, "spellings", {**{w: "VARCHAR" for w in _WORDS}, "kind_word": "VARCHAR",
                                    "sale_profile": "INTEGER", "refund_profile": "INTEGER"}, rows)
    profiles_table(connection, numbers)
    return {str(number): key for key, number in numbers.items()}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
