"""The fast path: large order files aggregated by DuckDB, with exact decimal sums.

The pure-Python reader (:func:`nexus.sales.read_sales`) is the reference: it
names every bad cell and lists every skipped and duplicated row. For files of
millions of rows, :func:`read_sales_fast` runs the same query ``nexus sql``
prints on DuckDB over the files themselves (CSV or Parquet), with memory
capped, and checks the small result value by value. Whenever the input is not
plain (another encoding, a date or amount form only the reference reads, a
bad value anywhere), it returns None and the caller uses the reference
reader, so the fast path never gives a different answer, only a quicker one.

What the fast path does not give: the file and line of each duplicate (the
count is exact; the JSON lists none row by row).
"""
from __future__ import annotations

import csv
import os
import tempfile
from decimal import Decimal
from typing import Sequence

from nexus import places
from nexus.errors import NexusError
from nexus.sales import FIELDS, Ledger, ReadOptions, detect_encoding, resolve_columns
from nexus.sql import query

#: DuckDB's working memory; what does not fit spills to a temporary folder.
MEMORY_LIMIT = "256MB"
#: From this total size on, ``--engine auto`` takes the fast path.
AUTO_BYTES = 64 * 2**20


def available() -> bool:
    try:
        import duckdb  # noqa: F401
    except ImportError:
        return False
    return True


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _source(path: str, index: int, options: ReadOptions) -> str | None:
    """A SELECT giving the file's rows under nexus's field names, or None if it is not plain enough."""
    literal = path.replace("'", "''")
    if path.lower().endswith((".parquet", ".pq")):
        import duckdb

        header = list(duckdb.sql(f"SELECT * FROM read_parquet('{literal}') LIMIT 0").columns)
        reader = f"read_parquet('{literal}')"
    elif path.lower().endswith(".csv"):
        if detect_encoding(path) not in ("utf-8", "utf-8-sig"):
            return None
        with open(path, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), [])
        reader = f"read_csv('{literal}', header = true, all_varchar = true, delim = ',', quote = '\"', escape = '\"')"
    else:
        return None
    try:
        columns = resolve_columns(header, options.columns, path)
    except NexusError:
        return None
    if any(f not in columns for f in ("date", "country", "amount")) or ("currency" not in columns
                                                                        and not options.currency):
        return None
    defaults = {"currency": f"'{options.currency}'" if options.currency else "NULL",
                "category": f"'{options.category}'"}
    select = []
    for name in FIELDS:
        if name in columns:
            expression = f"CAST({_quote(header[columns[name]])} AS VARCHAR)"
            if name in defaults and defaults[name] != "NULL":
                expression = f"COALESCE(NULLIF(TRIM({expression}), ''), {defaults[name]})"
        else:
            expression = defaults.get(name, "NULL")
        select.append(f"{expression} AS {_quote(name)}")
    return f"SELECT {', '.join(select)}, {index} AS source_file FROM {reader}"


def read_sales_fast(paths: Sequence[str], options: ReadOptions) -> Ledger | None:
    """Aggregate with DuckDB, or None when the reference reader must be used.

    Amounts must be plain decimals and dates ISO: anything else makes DuckDB's casts fail, and the
    reference reader, which reads those forms and names bad cells, takes over.
    """
    if options.date_format or options.decimal_comma or options.encoding not in ("auto", "utf-8", "utf-8-sig"):
        return None
    import duckdb

    sources = [_source(path, i, options) for i, path in enumerate(paths)]
    if any(s is None for s in sources):
        return None
    with tempfile.TemporaryDirectory(prefix="nexus-duckdb-") as spill:
        connection = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "threads": os.cpu_count() or 2,
                                            "temp_directory": spill, "preserve_insertion_order": False})
        try:
            connection.execute("CREATE VIEW orders AS " + " UNION ALL ".join(sources))  # type: ignore[arg-type]
            records = connection.execute(query("orders", count_duplicates=True)).fetchall()
        except duckdb.Error:
            return None
        finally:
            connection.close()
    return _ledger(records, paths)


def _ledger(records: list[tuple], paths: Sequence[str]) -> Ledger | None:
    """The Ledger of the fast path's result, after checking every value as the reference reader would."""
    from nexus import currencies
    from nexus.sales import CATEGORIES, CHANNELS, KINDS

    ledger = Ledger()
    per_file = [0] * len(paths)
    us, canada = places.subdivisions("US"), places.subdivisions("CA")
    for day, place, code, channel, category, kind, exempt, amount, rows, duplicates, source in records:
        valid_place = place in us or place in canada or (place in places.countries() and place != "US")
        if day is None or amount is None or not valid_place or currencies.facts(code or "") is None \
                or channel not in CHANNELS or kind not in KINDS or exempt not in ("no", "exempt", "resale") \
                or category not in CATEGORIES:
            return None  # an unknown code or word: the reference reader names the cell
        per_file[source] += rows + duplicates
        ledger.rows_read += rows + duplicates
        ledger.unlisted_duplicates += duplicates
        if rows:
            total = ledger.totals.setdefault((place, day, code, channel, kind, exempt, category), [Decimal(0), 0])
            total[0] += Decimal(amount)
            total[1] += rows if kind == "sale" else 0
            ledger.rows_used += rows
            ledger.rows_by_day[day] = ledger.rows_by_day.get(day, 0) + rows
            ledger.first_day = day if ledger.first_day is None else min(ledger.first_day, day)
            ledger.last_day = day if ledger.last_day is None else max(ledger.last_day, day)
    ledger.files.extend(zip(paths, per_file))
    return ledger
