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
from nexus.sql import normalised

#: DuckDB's working memory; what does not fit spills to a temporary folder. With the daily totals nexus
#: keeps in Python, this holds a 10-million-row check under 400 MB.
MEMORY_LIMIT = "160MB"
_BATCH = 20_000
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

        relation = duckdb.sql(f"SELECT * FROM read_parquet('{literal}') LIMIT 0")
        if relation is None:
            return None
        header = list(relation.columns)
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
            # One pass over the files into DuckDB's own columnar storage; then only the order ids seen more
            # than once (a few percent) are collapsed, identical rows into one with a count of copies.
            connection.execute(f"CREATE TEMP TABLE signed AS {normalised('orders')}")
            connection.execute(REPEATED)
            if (connection.execute(CONFLICTS).fetchone() or (0,))[0]:
                return None  # one order id with different values: the reference keeps the first in file order
            per_file = dict(connection.execute("SELECT source_file, COUNT(*) FROM signed GROUP BY 1").fetchall())
            if not _valid(connection):
                return None
            cursor = connection.execute(GROUPED)
            ledger = Ledger()
            shared: dict = {}
            while batch := cursor.fetchmany(_BATCH):  # in batches: the result never sits whole in Python
                _add(ledger, batch, shared)
        except duckdb.Error:
            return None
        finally:
            connection.close()
    if ledger.rows_by_day:
        ledger.first_day, ledger.last_day = min(ledger.rows_by_day), max(ledger.rows_by_day)
    ledger.files.extend((path, per_file.get(i, 0)) for i, path in enumerate(paths))
    return ledger


REPEATED = """
CREATE TEMP TABLE kept AS
SELECT order_id, day, jurisdiction, currency, channel, kind, exempt, category, amount, COUNT(*) AS copies
FROM signed
WHERE order_id IN (SELECT order_id FROM signed WHERE order_id IS NOT NULL GROUP BY order_id HAVING COUNT(*) > 1)
GROUP BY ALL
"""
#: Repeats that are not identical (one sale id with two amounts): the fast path cannot pick the copy the
#: reference reader keeps (the first in file order), so it hands over.
CONFLICTS = """
SELECT COUNT(*) FROM (
  SELECT 1 FROM kept WHERE order_id IS NOT NULL
  GROUP BY kind, order_id, CASE WHEN kind = 'sale' THEN NULL ELSE day END,
           CASE WHEN kind = 'sale' THEN NULL ELSE amount END, CASE WHEN kind = 'sale' THEN NULL ELSE currency END
  HAVING COUNT(*) > 1)
"""
#: Rows without an order id are never repeats: each copy counts. Only the distinctions the rules make are
#: kept (marketplace or not; sale or not), which keeps the daily totals held in Python small.
GROUPED = """
SELECT day, jurisdiction, currency,
       CASE WHEN channel = 'marketplace' THEN 'marketplace' ELSE 'direct' END AS channel, category,
       CASE WHEN kind = 'sale' THEN 'sale' ELSE 'refund' END AS kind, exempt,
       SUM(amount) AS amount, SUM(1) AS "rows", SUM(copies - 1) AS duplicates
FROM (
  SELECT day, jurisdiction, currency, channel, category, kind, exempt, amount, 1 AS copies
  FROM signed WHERE order_id IS NULL OR order_id NOT IN (SELECT order_id FROM kept)
  UNION ALL
  SELECT day, jurisdiction, currency, channel, category, kind, exempt, amount, copies FROM kept
) GROUP BY ALL
"""


def _valid(connection) -> bool:
    """Every distinct code and word in the result is one the reference reader accepts."""
    from nexus import currencies
    from nexus.sales import CATEGORIES, CHANNELS, KINDS

    us, canada = places.subdivisions("US"), places.subdivisions("CA")
    checks = {"jurisdiction": lambda p: p in us or p in canada or (p in places.countries() and p != "US"),
              "currency": lambda c: currencies.facts(c or "") is not None, "channel": CHANNELS.__contains__,
              "category": CATEGORIES.__contains__, "kind": KINDS.__contains__,
              "exempt": ("no", "exempt", "resale").__contains__}
    if (connection.execute("SELECT COUNT(*) FROM signed WHERE day IS NULL OR amount IS NULL").fetchone() or (0,))[0]:
        return False
    for column, valid in checks.items():
        values = [v for (v,) in connection.execute(f"SELECT DISTINCT {column} FROM signed").fetchall()]
        if not all(value is not None and valid(value) for value in values):
            return False  # an unknown code or word: the reference reader names the cell
    return True


def _add(ledger: Ledger, records: list[tuple], shared: dict) -> None:
    """Sum a batch into the ledger. Every fetched string and date is a new object: ``shared`` keeps one
    of each, which more than halves the memory half a million daily totals take."""
    totals, by_day, one = ledger.totals, ledger.rows_by_day, shared.setdefault
    for day, place, code, channel, category, kind, exempt, amount, rows, duplicates in records:
        ledger.rows_read += rows + duplicates
        ledger.unlisted_duplicates += duplicates
        if rows:
            key = (one(place, place), one(day, day), one(code, code), one(channel, channel), one(kind, kind),
                   one(exempt, exempt), one(category, category))
            total = totals.get(key)
            if total is None:
                total = totals[key] = [Decimal(0), 0]
            total[0] += amount
            if kind == "sale":
                total[1] += rows
            ledger.rows_used += rows
            by_day[day] = by_day.get(day, 0) + rows
