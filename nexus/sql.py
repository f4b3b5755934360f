"""The daily-aggregates query, written once and rendered for each engine with sqlglot.

Data teams run it where their orders live (DuckDB, Spark, Snowflake, BigQuery,
PostgreSQL) and hand finance the small result, which ``nexus check
--aggregates FILE`` reads. The orders table must have nexus's field names
(``order_id, date, country, region, amount, currency, channel, kind, exempt,
category``; see docs/check.md), with amounts as plain decimal numbers. The
query applies the same rules as nexus's own reader: kinds and channels
normalised, refunds negative, an exact copy of a sale counted once and the other
rows of an order id as its line items (``--repeated-orders lines``: one
transaction per order id and place), a refund or chargeback once per order,
day, amount and currency.

The output shape is documented in docs/scale.md: ``date, jurisdiction,
currency, channel, category, kind, exempt, amount, rows``.
"""
from __future__ import annotations

import re

from nexus.categories import CATEGORY_WORDS
from nexus.errors import NexusError
from nexus.rules import CATEGORIES
from nexus.cells import CHANNEL_WORDS, CHANNELS, EXEMPT_WORDS, EXEMPTIONS, KIND_WORDS, NO_CATEGORY

DIALECTS = ("duckdb", "spark", "snowflake", "bigquery", "postgres")
AGGREGATE_COLUMNS = ("date", "jurisdiction", "currency", "channel", "category", "kind", "exempt", "amount", "rows")


def _case(column: str, words: dict[str, tuple[str, ...]], default: str) -> str:
    whens = " ".join(f"WHEN {column} IN ({', '.join(repr(w) for w in values)}) THEN '{name}'"
                     for name, values in words.items())
    return f"CASE {whens} ELSE {default} END"


def _by_meaning(words: dict[str, str], *meanings: str) -> dict[str, tuple[str, ...]]:
    """nexus's own word table (word: meaning) as the query's CASE lists (meaning: its words), for ``meanings``, so
    that the query reads every word the row-by-row reader reads, and no other."""
    return {m: tuple(w for w, meant in words.items() if meant == m) for m in meanings}


_CHANNELS = _by_meaning(CHANNEL_WORDS, *CHANNELS)
_SALE_WORDS = _by_meaning(KIND_WORDS, "sale")["sale"]
_KINDS = _by_meaning(KIND_WORDS, "refund", "chargeback")
_EXEMPT = _by_meaning(EXEMPT_WORDS, *EXEMPTIONS)
_CATEGORIES = {**_by_meaning(CATEGORY_WORDS, *CATEGORIES), "unknown": NO_CATEGORY}


#: Full-width letters, digits, hyphen, slash, underscore and space (ＵＳ, ＵＳＤ, ｒｅｆｕｎｄ, as Japanese systems type
#: them) and their ASCII forms: nexus's own reader reads them as ASCII (NFKC), which no engine shares a function
#: for, so the query maps them with TRANSLATE, which every dialect has.
_FULL_WIDTH = "".join(chr(c) for c in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B),
                                       0xFF0D, 0xFF0F, 0xFF3F, 0x3000])
_ASCII = "".join(chr(ord(c) - 0xFEE0) if c != "\u3000" else " " for c in _FULL_WIDTH)


def _text(column: str) -> str:
    """A column as text, its full-width forms as ASCII."""
    return f"TRANSLATE(CAST({column} AS VARCHAR), '{_FULL_WIDTH}', '{_ASCII}')"


def _word(column: str) -> str:
    return f"REPLACE(REPLACE(LOWER(TRIM(COALESCE({_text(column)}, ''))), ' ', '_'), '-', '_')"


def _charge(column: str) -> str:
    """An optional charge column as a decimal, an empty cell (a CSV read as text) or NULL charging nothing."""
    return f"COALESCE(CAST(NULLIF(TRIM(CAST({column} AS VARCHAR)), '') AS DECIMAL(38, 9)), 0)"


def _signed(column: str) -> str:
    """A charge signed as its row's amount: a refund's or chargeback's taken off whatever its sign."""
    return f"CASE WHEN kind = 'sale' THEN {column} ELSE -ABS({column}) END"


def _steps(table: str, charges: bool = False) -> str:
    """Read, normalise and sign each order row (the CTEs src, normal and signed). With ``charges``, the table's
    ``shipping`` (added to the amount: it counts with the sale) and ``tax`` (charged besides, never counted),
    signed as the amount, as nexus's own reader reads those columns."""
    read = f",\n    {_charge('shipping')} AS shipping,\n    {_charge('tax')} AS tax" if charges else ""
    keep = ", shipping, tax" if charges else ""
    # Added as DECIMAL(37, 9), whose sum is a DECIMAL(38, 9) everywhere: Spark gives the sum of two DECIMAL(38, 9)
    # a scale of 8, rounding the ninth place.
    total = (f"CAST({_signed('amount')} AS DECIMAL(37, 9)) + CAST({_signed('shipping')} AS DECIMAL(37, 9)) AS amount,"
             f"\n         {_signed('shipping')} AS shipping, {_signed('tax')} AS tax" if charges
             else f"{_signed('amount')} AS amount")
    return f"""
WITH src AS (
  SELECT
    NULLIF(TRIM(CAST(order_id AS VARCHAR)), '') AS order_id,
    CAST(SUBSTR(CAST("date" AS VARCHAR), 1, 10) AS DATE) AS day,
    UPPER(TRIM({_text('country')})) AS country,
    UPPER(TRIM(COALESCE({_text('region')}, ''))) AS region,
    CAST(amount AS DECIMAL(38, 9)) AS amount,
    UPPER(TRIM({_text('currency')})) AS currency,
    {_word('channel')} AS channel_word,
    {_word('kind')} AS kind_word,
    {_word('exempt')} AS exempt_word,
    {_word('category')} AS category_word{read}
  FROM {table}
),
normal AS (
  SELECT
    order_id, day, currency, amount{keep},
    CASE WHEN country IN ('US', 'CA') AND region <> ''
         THEN CASE WHEN region LIKE country || '-%' THEN region ELSE country || '-' || region END
         ELSE country END AS jurisdiction,
    {_case('channel_word', _CHANNELS, 'channel_word')} AS channel,
    CASE WHEN kind_word IN ({', '.join(repr(w) for w in _SALE_WORDS)})
         THEN CASE WHEN amount < 0 THEN 'refund' ELSE 'sale' END
         ELSE {_case('kind_word', _KINDS, 'kind_word')} END AS kind,
    {_case('exempt_word', _EXEMPT, 'exempt_word')} AS exempt,
    {_case('category_word', _CATEGORIES, 'category_word')} AS category
  FROM src
),
signed AS (
  SELECT order_id, day, jurisdiction, currency, channel, kind, exempt, category,
         {total}
  FROM normal
)""".strip()


def query(table: str = "orders", charges: bool = False) -> str:
    """The query in DuckDB's dialect (the source every other dialect is rendered from).

    An order id on several rows is read as ``--repeated-orders lines`` reads it: an exact copy of a row (a late
    export repeating it) is counted once, the other rows are line items of the order and all counted, with one
    transaction per order id and place (given to its line of the first category, goods, digital, SaaS, services,
    then to one not sold through a marketplace, then to a taxable one, then to its earliest, by day then amount,
    as the readers give it, so that a goods-only test finds the order whatever line came first). Keeping one row per
    order id would silently drop every other line of a multi-line order. A refund or chargeback is one event,
    counted once per order, kind, day, amount and currency.

    With ``charges`` the table has ``shipping`` and ``tax`` columns: shipping is counted with the sale, both are
    written as the aggregates' ``shipping`` and ``tax`` columns (summed, signed as the amount), and an exact copy
    of a sale is one with the same shipping and tax. Without, the query reads no such column (a table without
    them would stop it).
    """
    same = ("""
                        CASE WHEN kind = 'sale' THEN shipping END,
                        CASE WHEN kind = 'sale' THEN tax END,""" if charges else "")
    sums = ', SUM(shipping) AS shipping, SUM(tax) AS tax' if charges else ""
    return f"""{_steps(table, charges)},
ranked AS (
  SELECT *,
         ROW_NUMBER() OVER (
           PARTITION BY kind, order_id, day, amount, currency,
                        CASE WHEN kind = 'sale' THEN jurisdiction END,
                        CASE WHEN kind = 'sale' THEN channel END,
                        CASE WHEN kind = 'sale' THEN exempt END,{same}
                        CASE WHEN kind = 'sale' THEN category END
           ORDER BY day) AS copy
  FROM signed
),
counted AS (
  SELECT *,
         CASE WHEN kind <> 'sale' OR order_id IS NULL THEN 1
              WHEN ROW_NUMBER() OVER (
                     PARTITION BY kind, order_id, jurisdiction
                     ORDER BY CASE category WHEN 'goods' THEN 0 WHEN 'digital' THEN 1 WHEN 'saas' THEN 2
                                            WHEN 'services' THEN 3 ELSE 4 END,
                              CASE WHEN channel = 'marketplace' THEN 1 ELSE 0 END,
                              CASE exempt WHEN 'no' THEN 0 WHEN 'exempt' THEN 1 WHEN 'resale' THEN 2 ELSE 3 END,
                              day, amount) = 1 THEN 1
              ELSE 0 END AS transactions
  FROM ranked
  WHERE order_id IS NULL OR copy = 1
)
SELECT day AS "date", jurisdiction, currency, channel, category, kind, exempt,
       CASE WHEN COUNT(amount) = COUNT(*) THEN SUM(amount) END AS amount, SUM(transactions) AS "rows"{sums}
FROM counted
GROUP BY day, jurisdiction, currency, channel, category, kind, exempt
ORDER BY "date", jurisdiction, currency, channel, category, kind, exempt
""".strip()


#: A table name as the query writes it: a name, or schema.name or catalog.schema.name, of letters, digits, _ and $.
TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_$]*(?:\.[A-Za-z_][A-Za-z0-9_$]*){0,2}")


def render(dialect: str = "duckdb", table: str = "orders", charges: bool = False) -> str:
    """The query for ``dialect``, transpiled from the DuckDB source by sqlglot. A table name that is not one
    (empty, 'my orders', 'orders; DROP TABLE x') is refused: it stopped sqlglot with a traceback, or gave
    'FROM my AS orders'."""
    if dialect not in DIALECTS:
        raise ValueError(f"dialect must be one of {', '.join(DIALECTS)}")
    if not TABLE_NAME.fullmatch(table):
        raise NexusError(f"--table {table!r} is not a table name: give name, schema.name or catalog.schema.name "
                         f"(letters, digits, _ and $; rename or view a table whose name has others)")
    import sqlglot
    from sqlglot import exp

    tree = sqlglot.parse_one(query(table, charges), read="duckdb")
    if dialect == "snowflake":
        # Snowflake resolves a quoted name by its exact case and an unquoted one in upper case, as it stores the
        # columns of a table or view made without quotes: "date" found no DATE column ('invalid identifier'),
        # where order_id, amount... were found. DATE is a type keyword Snowflake does not reserve, so it is
        # written unquoted like the others; "rows" (reserved) stays quoted, and --aggregates reads either case.
        for name in tree.find_all(exp.Identifier):
            if name.this == "date":
                name.set("quoted", False)
    return tree.sql(dialect, pretty=True) + ";\n"
