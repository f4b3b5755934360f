"""The fast path: large order files aggregated by DuckDB, with exact decimal sums.

The pure-Python reader (:func:`nexus.sales.read_sales`) is the reference: it
names every bad cell and lists every skipped and duplicated row. For files of
millions of rows, :func:`read_sales_fast` has DuckDB read the files themselves
(CSV or Parquet) once into its columnar storage, with memory capped; collapse
the order ids seen more than once; and group the rest by day and by the words
as written. The few distinct words and codes are then mapped in Python by the
reference reader's own rules, so both read them alike. Whenever the input is
not plain (another encoding, a date or amount form only the reference reads,
an unknown code or word, a repeated order id with different values), it
returns None and the caller uses the reference reader: the fast path never
gives a different answer, only a quicker one.

What the fast path does not give: the file and line of each duplicate (the
count is exact; the JSON lists none row by row).
"""
from __future__ import annotations

import csv
import os
import tempfile
from decimal import Decimal
from typing import Any, Sequence

from nexus import places
from nexus.errors import NexusError
from nexus.sales import FIELDS, Ledger, ReadOptions, detect_encoding, resolve_columns

#: DuckDB's working memory; what does not fit spills to a temporary folder. With the daily totals nexus
#: keeps in Python, this holds a 10-million-row check under 400 MB.
MEMORY_LIMIT = "160MB"
_BATCH = 20_000
#: From this total size on, ``--engine auto`` takes the fast path.
AUTO_BYTES = 64 * 2**20


def available() -> bool:
    """Whether DuckDB (the 'fast' extra) is installed."""
    import importlib.util

    return importlib.util.find_spec("duckdb") is not None


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
    select = [f"CAST({_quote(header[columns[name]])} AS VARCHAR) AS {_quote(name)}" if name in columns
              else f"NULL AS {_quote(name)}" for name in FIELDS]
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
    words = _Words(options.category, options.currency)
    with tempfile.TemporaryDirectory(prefix="nexus-duckdb-") as spill:
        connection = duckdb.connect(config={"memory_limit": MEMORY_LIMIT, "threads": os.cpu_count() or 2,
                                            "temp_directory": spill, "preserve_insertion_order": False})
        try:
            connection.execute("CREATE VIEW orders AS " + " UNION ALL ".join(sources))  # type: ignore[arg-type]
            # One pass over the files into DuckDB's own columnar storage, the words left as written: the
            # few distinct ones are mapped afterwards, in Python, exactly as the reference reader maps them.
            connection.execute(RAW)
            if (connection.execute("SELECT COUNT(*) FROM raw WHERE day IS NULL OR amount IS NULL").fetchone()
                    or (0,))[0]:
                return None
            connection.execute(REPEATED)
            ledger = Ledger()
            shared: dict = {}
            if not _add_repeated(ledger, connection.execute("SELECT * FROM kept").fetchall(), words, shared):
                return None
            per_file = dict(connection.execute("SELECT source_file, COUNT(*) FROM raw GROUP BY 1").fetchall())
            cursor = connection.execute(GROUPED)
            while batch := cursor.fetchmany(_BATCH):  # in batches: the result never sits whole in Python
                if not _add(ledger, batch, words, shared):
                    return None
        except duckdb.Error:
            return None
        finally:
            connection.close()
    if ledger.rows_by_day:
        ledger.first_day, ledger.last_day = min(ledger.rows_by_day), max(ledger.rows_by_day)
    ledger.files.extend((path, per_file.get(i, 0)) for i, path in enumerate(paths))
    return ledger


RAW = """
CREATE TEMP TABLE raw AS
SELECT NULLIF(TRIM(order_id), '') AS order_id, CAST(SUBSTR("date", 1, 10) AS DATE) AS day,
       COALESCE(country, '') AS country, COALESCE(region, '') AS region, COALESCE(currency, '') AS currency,
       COALESCE(channel, '') AS channel, COALESCE(kind, '') AS kind, COALESCE(exempt, '') AS exempt,
       COALESCE(category, '') AS category, CAST(amount AS DECIMAL(38, 9)) AS amount, source_file
FROM orders
"""
#: The rows of every order id seen more than once (a few percent), identical rows collapsed with a count.
REPEATED = """
CREATE TEMP TABLE kept AS
SELECT order_id, day, country, region, currency, channel, kind, exempt, category, amount, COUNT(*) AS copies
FROM raw
WHERE order_id IN (SELECT order_id FROM raw WHERE order_id IS NOT NULL GROUP BY order_id HAVING COUNT(*) > 1)
GROUP BY ALL
"""
#: Everything else, grouped by day and by the words as written (and the sign, which turns a sale into a refund).
GROUPED = """
SELECT day, country, region, currency, channel, kind, exempt, category, amount < 0 AS negative,
       SUM(amount) AS amount, COUNT(*) AS "rows"
FROM raw
WHERE order_id IS NULL OR order_id NOT IN (SELECT order_id FROM kept)
GROUP BY ALL
"""


class _Words:
    """The reference reader's rules for codes and words, applied once per distinct value written."""

    def __init__(self, category: str, currency: str | None = None):
        from nexus import currencies
        from nexus.sales import _CATEGORY_WORDS, _CHANNEL_WORDS, _EXEMPT_WORDS, _KIND_WORDS, _word

        self.default_category, self.default_currency = category, currency or ""
        self._maps = {"channel": _CHANNEL_WORDS, "kind": _KIND_WORDS, "exempt": _EXEMPT_WORDS,
                      "category": _CATEGORY_WORDS}
        self._word = _word
        self._facts = currencies.facts
        self._cache: dict[tuple[str, str], Any] = {}
        self._us, self._ca = places.subdivisions("US"), places.subdivisions("CA")
        self._countries = places.countries()

    def word(self, field: str, text: str) -> str | None:
        key = (field, text)
        if key not in self._cache:
            if field == "category" and not text.strip():
                text = self.default_category
            self._cache[key] = self._maps[field].get(self._word(text))
        return self._cache[key]

    def currency(self, text: str) -> str | None:
        key = ("currency", text)
        if key not in self._cache:
            code = (text.strip() or self.default_currency).upper()
            self._cache[key] = code if self._facts(code) is not None else None
        return self._cache[key]

    def place(self, country: str, region: str) -> str | None:
        key = (country, region)
        if key not in self._cache:
            c, r = country.strip().upper(), region.strip().upper()
            found = None
            if c in ("US", "CA") and r:
                code = r if r.startswith(c + "-") else f"{c}-{r}"
                found = code if code in (self._us if c == "US" else self._ca) else None
            elif c in self._countries and c != "US":
                found = c
            self._cache[key] = found
        return self._cache[key]

    def canonical(self, row: tuple) -> tuple | None:
        """(place, day, currency, channel, kind, exempt, category, signed amount) of a raw row, or None."""
        day, country, region, currency, channel, kind, exempt, category, amount, negative = row
        values = (self.place(country, region), self.currency(currency), self.word("channel", channel),
                  self.word("kind", kind), self.word("exempt", exempt), self.word("category", category))
        if None in values:
            return None  # an unknown code or word: the reference reader names the cell
        place, code, channel_, kind_, exempt_, category_ = values
        if kind_ == "sale" and negative:
            kind_ = "refund"  # a negative sale is a refund, as the reference reader reads it
        if kind_ != "sale" and not negative:
            amount = -amount  # refunds and chargebacks reduce sales, however they are written
        # Only the distinctions the rules make are kept: marketplace or not, sale or not.
        return (place, day, code, "marketplace" if channel_ == "marketplace" else "direct",
                "sale" if kind_ == "sale" else "refund", exempt_, category_, amount)


def _add(ledger: Ledger, records: list[tuple], words: _Words, shared: dict) -> bool:
    """Sum a batch of groups into the ledger; False if a value is one the reference reader refuses."""
    for day, country, region, currency, channel, kind, exempt, category, negative, amount, rows in records:
        found = words.canonical((day, country, region, currency, channel, kind, exempt, category, amount,
                                 negative))
        if found is None:
            return False
        _count(ledger, found, rows, shared)
    return True


def _count(ledger: Ledger, found: tuple, rows: int, shared: dict) -> None:
    """Add one canonical group of ``rows`` order rows to the ledger.

    Every fetched date is a new object: ``shared`` keeps one of each, which more than halves the memory
    half a million daily totals take.
    """
    place, day, code, channel, kind, exempt, category, signed = found
    day = shared.setdefault(day, day)
    key = (place, day, code, channel, kind, exempt, category)
    total = ledger.totals.get(key)
    if total is None:
        total = ledger.totals[key] = [Decimal(0), 0]
    total[0] += signed
    if kind == "sale":
        total[1] += rows
    ledger.rows_read += rows
    ledger.rows_used += rows
    ledger.rows_by_day[day] = ledger.rows_by_day.get(day, 0) + rows


def _add_repeated(ledger: Ledger, records: list[tuple], words: _Words, shared: dict) -> bool:
    """Count each repeated order once (and its repeats as duplicates); False on a conflicting repeat.

    A sale is one per order id, a refund or chargeback one per order, day, amount and currency: when two
    copies under one such key differ, the reference reader keeps the first in file order, which the fast
    path cannot know, so it hands over.
    """
    groups: dict[tuple, list] = {}
    for order_id, day, country, region, currency, channel, kind, exempt, category, amount, copies in records:
        found = words.canonical((day, country, region, currency, channel, kind, exempt, category, amount,
                                 amount < 0))
        if found is None:
            return False
        key = (found[4], order_id) if found[4] == "sale" else (found[4], order_id, found[1], found[7], found[2])
        seen = groups.setdefault(key, [found, 0])
        if seen[0] != found:
            return False
        seen[1] += copies
    for found, copies in groups.values():
        _count(ledger, found, 1, shared)
        ledger.rows_read += copies - 1
        ledger.unlisted_duplicates += copies - 1
    return True
