"""The fast path: large order files aggregated by DuckDB, with exact decimal sums.

The pure-Python reader (:func:`nexus.sales.read_sales`) is the reference: it
names every bad cell and lists every skipped and duplicated row. For files of
millions of rows, :func:`read_sales_fast` has DuckDB read the files themselves
(CSV or Parquet) twice, streaming, with memory capped:

1. the order ids seen more than once (a few percent of rows; a late export
   repeats a day);
2. every row grouped by day and by the words as written (by their hash, which
   keeps the groups narrow), with exact DECIMAL(38, 9) sums; the rows of
   repeated order ids keep their id and amount, so each repeat can be judged
   as the reference reader judges it.

The few distinct spellings (a row's words as written) are then mapped in Python
by the reference reader's own rules and handed back to DuckDB as a small table,
with a number for each profile they lead to. DuckDB judges each repeated order
as the reference reader keys it, sums the groups by profile and day, writes them
out as numbers and closes, giving back its memory before Python builds the
ledger's series. Whenever the input is not plain (another encoding, a date or
amount form only the reference reads, an unknown code or word, a repeated order
id with different values), it raises :class:`NotPlain` and the caller uses the
reference reader: the fast path never gives a different answer, only a quicker
one.

What the fast path does not give: the file and line of each duplicate (the
count is exact; the JSON lists none row by row). A platform's export whose
module says how its rows read as orders (Shopify's) goes to
:mod:`nexus.fast_exports`, when every file is in that layout; other platforms'
exports (:mod:`nexus.exports`, whose line items the reference reader groups
into orders) are handed over at once, before DuckDB starts. Shipping and tax
charged, where a file in nexus's layout has those columns, are summed beside
the amount (shipping counted with the sale, as the reference reader counts
it; a refund's charges money back whatever their sign), and each repeat of
an order id is judged with them. An order id repeated with different values
hands over whatever ``--repeated-orders`` says: the reference reader stops on
it or reads it as that option asks.
"""
from __future__ import annotations

import os
import re
import tempfile
from datetime import date
from decimal import Decimal
from typing import Any, Callable, Iterable, Sequence

from nexus import exports
from nexus.categories import Categorizer
from nexus.duckdb_session import (MEMORY_LIMIT, Progress, connect, escaped, first_line, is_parquet, on_fewer_threads,
                                  table)
from nexus.duckdb_totals import SOURCED, add_sourced, add_totals, profiles_table, totals_columns
from nexus.errors import InputError, NexusError, nowhere
from nexus.money import comma_may_be_decimal, refuses_places
from nexus.read_options import ReadNotes, ReadOptions
from nexus.cells import category_says_nothing, jurisdiction_of, place_cells, word
from nexus.orders import SCIENTIFIC_ID
from nexus.plain_input import AMOUNT_LIMIT, EDGE_SPACE, PLAIN_AMOUNT, PLAIN_DATE, NotPlain, csv_reader, written_places
from nexus.ledger import Ledger, paused_gc, profile
from nexus.columns import FALLBACK, FIELDS, resolve_columns
from nexus.sales import REPEATED_ORDERS, note_reading

#: What stops DuckDB at the first row only the reference reader reads alike (raised with DuckDB's error()).
PLAIN_ERROR = "some dates or amounts are empty or not plain (YYYY-MM-DD, years 1 to 9999; 1234.56, below 10^15)"
EDGE_ERROR = "an order id has whitespace at either end"
#: An order id cut short by a spreadsheet (1.00012E+15): nexus's own reader matches it against the whole ids of
#: the files (nexus.cut_ids), and warns where they may be the same orders.
CUT_ERROR = "an order id is a long number as a spreadsheet shows it, its last digits gone"
#: The optional columns of shipping and tax charged, summed apart where a file has them (:func:`grouped`).
CHARGES = ("shipping", "tax")


def options_only_python_reads(options: ReadOptions, paths: Sequence[str] = ()) -> str | None:
    if options.time_zone and any(not is_parquet(p) for p in paths):  # Parquet's dates are typed, without a zone
        return (f"--time-zone {options.time_zone}: nexus's own reader moves each time written with a zone to it "
                f"(nexus.timestamps)")
    if options.products is not None or options.collect_skus:
        return "a products file and SKU lists are read by nexus's own reader, line by line"
    if options.date_format or options.decimal_comma:
        return "--date-format and --decimal-comma are read by the reference reader"
    if options.encoding not in ("auto", "utf-8", "utf-8-sig"):
        return f"--encoding {options.encoding} is read by the reference reader"
    return None


def first_not_plain(path: str, options: ReadOptions) -> str | None:
    """The first row of a Parquet file whose date or amount (or shipping or tax) is empty or not plain, named with
    its cells as text, for the error that stops the run: Parquet has no row-by-row reader to name it, and a file of
    millions of rows cannot be searched by eye. None where every row is plain (the file failed for another
    reason) or the file cannot be read."""
    import duckdb

    try:
        query, _charged = _source(path, 0, options, ReadNotes())
        with connect({"threads": 1}) as connection:  # one thread reads the file's rows in their order
            found = connection.execute(
                f"SELECT n, CAST(day AS VARCHAR), amount_text FROM (SELECT row_number() OVER () AS n, day, "
                f"amount_text, plain FROM ({query})) WHERE plain IS NOT TRUE OR TRY_CAST(day AS DATE) IS NULL "
                f"ORDER BY n LIMIT 1"
            ).fetchone()
    except (duckdb.Error, NotPlain):
        return None
    if found is None:
        return None
    row, day, amount = found
    return (f"{path}: row {row} (date {day if day is None else repr(day)}, amount "
            f"{amount if amount is None else repr(amount)}) is the first whose date, amount, shipping or tax is empty "
            f"or not plain (YYYY-MM-DD, years 1 to 9999; 1234.56, at most 9 decimal places, below 10^15; "
            f"a DOUBLE column is read through its shortest text)")


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _source(path: str, index: int, options: ReadOptions, notes: ReadNotes) -> tuple[str, bool]:
    """A SELECT giving the file's rows under nexus's field names: the day, the amount and the shipping and tax
    charged (exact, and as written), whether they are plain, and every other value as text; and whether the file
    has shipping or tax columns."""
    literal = escaped(path)
    if is_parquet(path):
        import duckdb

        try:
            with connect() as connection:
                relation = connection.sql(f"SELECT * FROM read_parquet('{literal}') LIMIT 0")
                header = list(relation.columns)
                types = [str(t).upper() for t in relation.types]
        except duckdb.Error as exc:
            raise NotPlain(f"{path} is not a Parquet file DuckDB can read ({first_line(exc)})") from None
        reader = f"read_parquet('{literal}')"
        names = header
    else:
        # Columns named by position: DuckDB's own names for them (an empty header cell is ``column5``, a later
        # ``column5`` then ``column5_1``; names are trimmed) would read another column's cells than the header's.
        reader, header, _separator = csv_reader(path, options, notes, positional=True)
        types = ["VARCHAR"] * len(header)
        names = [f"c{i}" for i in range(len(header))]
    platform = exports.detect(header) if options.source_format == "auto" else exports.by_name(options.source_format)
    if platform is not None:
        raise NotPlain(f"{path} is {platform.TITLE}: nexus's own reader groups its line items into orders")
    try:
        columns = resolve_columns(header, options.columns, path, notes)
    except NexusError as exc:
        raise NotPlain(str(exc)) from None
    if "billing_country" in columns and "billing_region" not in columns and "region" in columns:
        columns["billing_region"] = columns["region"]  # the reference reader's fallback region (place_cells)
    if any(f not in columns for f in ("date", "country", "amount")) or ("currency" not in columns
                                                                        and not options.currency):
        raise NotPlain(f"{path} lacks a required column")
    if "tax_code" in columns:
        raise NotPlain(f"{path} has a product tax code column: nexus's own reader maps tax codes to categories")
    day, day_plain = _day(_quote(names[columns["date"]]), types[columns["date"]], path)
    amount, text, amount_plain, decimals = _amount(_quote(names[columns["amount"]]), types[columns["amount"]], path)
    select = [f"CAST({_quote(names[columns[name]])} AS VARCHAR) AS {_quote(name)}" if name in columns
              else f"NULL AS {_quote(name)}" for name in FIELDS + FALLBACK
              if name not in ("date", "amount") + CHARGES]
    # Shipping and tax charged, where the file has them: exact, as written (for repeated ids), an empty cell none.
    charges, plain = [], f"{day_plain} AND {amount_plain}"  # NULL (an empty date or amount) is not plain either
    for name in CHARGES:
        if name in columns:
            # A cell of spaces, or an empty text (Parquet writes '' where CSV has nothing), charges nothing, as the
            # reference reader reads a stripped cell; other cells are read as the amount is.
            cell = _quote(names[columns[name]])
            kind = types[columns[name]]
            exact, written, charge_plain, charge_decimals = _amount(
                f"NULLIF(trim({cell}), '')" if kind == "VARCHAR" else cell, kind, path)
            charges.append(f"COALESCE({exact}, 0) AS {name}, {written} AS {name}_text")
            plain += f" AND COALESCE({charge_plain}, true)"
            decimals = f"({decimals}) | CASE WHEN {written} IS NULL THEN 0 ELSE {charge_decimals} END"  # empty: none
        else:
            charges.append(f"0::DECIMAL(38, 9) AS {name}, NULL::VARCHAR AS {name}_text")
    return (f"SELECT {', '.join(select)}, {day} AS day, {amount} AS amount, {text} AS amount_text, "
            f"{', '.join(charges)}, {plain} AS plain, {decimals} AS decimals, {index} AS source_file FROM {reader}",
            any(name in columns for name in CHARGES))


def _day(column: str, kind: str, path: str) -> tuple[str, str]:
    """The day of a date column, and whether it is written in a form both paths read alike.

    A typed DATE or TIMESTAMP (Parquet) is plain; text must be ISO, its time part ignored (its day is then the
    text of the date, turned into a DATE once grouped). A timestamp with a time zone is refused: which day a
    sale falls on is the seller's decision, not the reader's.
    """
    in_range = "BETWEEN DATE '0001-01-01' AND DATE '9999-12-31'"  # what Python's dates hold
    if kind == "DATE":
        return column, f"{column} {in_range}"
    if kind.startswith("TIMESTAMP") and "TIME ZONE" not in kind:
        return f"CAST({column} AS DATE)", f"CAST({column} AS DATE) {in_range}"
    if kind == "VARCHAR":
        # Grouped by the date as written, its first ten characters: a date alone (YYYY-MM-DD) is checked once
        # per distinct text after grouping (:func:`_dates_as_written`), a date with a time part row by row here.
        # Ten bytes (strlen, where length counts characters one by one) are the whole text: checked once.
        return (f"SUBSTR({column}, 1, 10)",
                f"(strlen({column}) = 10 OR regexp_full_match({column}, '{PLAIN_DATE}'))")
    raise NotPlain(f"{path}: the date column is {kind}; nexus reads dates (or text YYYY-MM-DD) without a time zone",
                   path)


#: The bit of an amount's decimals mask (:func:`_amount`) for text written with one comma before three digits and no
#: point (``1,500``), which the reference reader refuses in a currency of three decimals (nexus.money.
#: comma_may_be_decimal), and the form that sets it.
ONE_COMMA = 1 << 16
ONE_COMMA_GROUP = "[-+]?[0-9]{1,3},[0-9]{3}"


def _amount(column: str, kind: str, path: str) -> tuple[str, str, str, str]:
    """The exact amount, the amount as text (for judging repeats), whether it is plain, and its decimals.

    Integers and decimals of up to 9 places are exact as stored. Text, and floating point (whose shortest
    form is what the reference reader would read), must be a plain decimal, with or without thousands
    separators (``1,234.50``, as ERP exports write them). The decimals of text are a bit mask, summed per
    spelling with BIT_OR: bit n for n decimal places before the trailing zeros, bit 15 for exactly three
    places (see :func:`nexus.money.refuses_places`); numbers stored as numbers have no places to misread.
    """
    text = f"CAST({column} AS VARCHAR)"
    exact = f"CAST(CASE WHEN contains({text}, ',') THEN replace({text}, ',', '') ELSE {text} END AS DECIMAL(38, 9))"
    below = f"abs({column}) < {AMOUNT_LIMIT}"
    if kind in ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                "UBIGINT") or (kind.startswith("DECIMAL") and int(kind.rstrip(")").split(",")[-1]) <= 9):
        return f"CAST({column} AS DECIMAL(38, 9))", text, below, "0"
    if kind in ("DOUBLE", "FLOAT"):
        return exact, text, f"regexp_full_match({text}, '{PLAIN_AMOUNT}')", "0"
    if kind == "VARCHAR":
        point = f"strpos({column}, '.')"
        places = f"length({column}) - {point}"
        # One or two places (most amounts) are told by their last characters; rtrim, for more, costs a third
        # of a second on ten million rows.
        decimals = (f"CASE WHEN {point} = 0 THEN CASE WHEN contains({column}, ',') AND "
                    f"regexp_full_match({column}, '{ONE_COMMA_GROUP}') THEN {ONE_COMMA} ELSE 0 END "
                    f"WHEN {places} = 2 THEN CASE WHEN ends_with({column}, '00') THEN 1 "
                    f"WHEN ends_with({column}, '0') THEN 2 ELSE 4 END "
                    f"WHEN {places} = 1 THEN CASE WHEN ends_with({column}, '0') THEN 1 ELSE 2 END "
                    f"ELSE (1 << least(length(rtrim({column}, '0')) - {point}, 14)) | "
                    f"CASE WHEN {places} = 3 THEN 32768 ELSE 0 END END")
        return exact, text, f"regexp_full_match({text}, '{PLAIN_AMOUNT}')", decimals
    raise NotPlain(f"{path}: the amount column is {kind}; nexus reads decimals, integers or text", path)


def _refuses_decimals(mask: int, code: str) -> bool:
    """Whether the decimals of a spelling's amounts (the mask :func:`_amount` makes) include one the
    reference reader refuses for ``code``."""
    most = (mask & 0x7FFF).bit_length() - 1  # the most places before trailing zeros; -1: no point at all
    return (most > 0 and refuses_places(most, most, code)) or (bool(mask & 0x8000) and refuses_places(3, 0, code)) \
        or (bool(mask & ONE_COMMA) and comma_may_be_decimal(code))


#: Pass 1: the order ids seen more than once, by a 4-byte hash (the narrowest key: an 8-byte one took a tenth more
#: CPU on ten million ids). Another id that shares a hash (about 10,000 of ten million) is only treated as a repeat:
#: judged by its real id (see EVENTS), it is counted right. An id with whitespace at either end stops the pass: the
#: reference reader strips it, so " A1" and "A1" are one order there and two here. So does an id a spreadsheet cut
#: short (1.00012E+15): the reference reader names the rows that share it, and the whole ids it may be (a '+' is
#: looked for first, as no other id holds one). The hashes are sorted and each
#: compared with the one before it, rather than counted in a hash table: ten million distinct ids outgrow DuckDB's
#: 224 MB as a table of counts, which then spills (1.7 CPU-seconds on the narrow Parquet file), where ten million
#: sorted 4-byte hashes fit (1.1).
REPEATED = f"""
CREATE TABLE repeated AS
SELECT DISTINCT id_hash FROM (
    SELECT id_hash, lag(id_hash) OVER (ORDER BY id_hash) AS previous
    FROM (SELECT CASE WHEN NOT (ascii(order_id) BETWEEN 33 AND 126 AND ascii(right(order_id, 1)) BETWEEN 33 AND 126)
                           AND regexp_matches(order_id, '{EDGE_SPACE}') THEN error('{EDGE_ERROR}')
                      WHEN contains(order_id, '+') AND regexp_full_match(order_id, '{SCIENTIFIC_ID}', 'i')
                           THEN error('{CUT_ERROR}')
                      ELSE (hash(order_id) >> 32)::UINTEGER END AS id_hash
          FROM orders WHERE NULLIF(order_id, '') IS NOT NULL))
WHERE id_hash = previous
"""
#: The words of a row (place, the billing place used where the ship-to country is empty, currency, channel,
#: kind, exempt, category) as written.
WORDS = ("country", "region", "billing_country", "billing_region", "currency", "channel", "kind", "exempt",
         "category")
#: Pass 2: every row grouped by file, day, the words as written and the sign (a negative sale is a refund);
#: the rows of a repeated order id keep the id and the amount as written. The words are grouped by their
#: 8-byte hash, which keeps the groups narrow enough to fit DuckDB's 224 MB (seven text keys did not: 1.1 s
#: slower on ten million rows); a second grouping set gives each hash's words, once, so that Python can map
#: them and make sure no two spellings share a hash. A date or amount that is empty or not plain stops the
#: pass at once (DuckDB's error(), raised as :class:`NotPlain`).
GROUPED = f"""
CREATE TABLE grouped AS
SELECT GROUPING(country) = 1 AS daily, source_file, day, spelling, negative, repeated_id, amount_text,
       {", ".join(WORDS)}, SUM(amount) AS amount, COUNT(*) AS "rows", BIT_OR(decimals) AS decimals
       /*charges summed*/
FROM (
    SELECT o.source_file, o.day, o.decimals,
           CASE WHEN o.plain THEN hash({", ".join(f"o.{w}" for w in WORDS)})
                ELSE error('{PLAIN_ERROR} [file ' || o.source_file || ']') END AS spelling,
           {", ".join(f"COALESCE(o.{w}, '') AS {w}" for w in WORDS)},
           o.amount, o.amount < 0 AS negative, CASE WHEN r.id_hash IS NOT NULL THEN o.order_id END AS repeated_id,
           CASE WHEN r.id_hash IS NOT NULL THEN o.amount_text END AS amount_text
           /*charges of each row*/
    FROM orders o LEFT JOIN repeated r
         ON (hash(o.order_id) >> 32)::UINTEGER = r.id_hash AND NULLIF(o.order_id, '') IS NOT NULL
)
GROUP BY GROUPING SETS ((source_file, day, spelling, negative, repeated_id, amount_text /*charges as written*/),
                        (spelling, {", ".join(WORDS)}))
"""
#: What pass 2 adds where a file has shipping or tax columns (in the others it stays as it is, not a sum of zeros
#: ten million times): their sums, and the sums of their absolute values (a refund's charges are money back
#: whatever their sign, as the reference reader signs them), the rows charged (Ledger.add keeps a day's charges
#: for those only), and for repeated ids the charges as written, each repeat judged whole.
#: Each marker's text with charges, and without (the same columns, empty, where no file has them).
GROUPED_CHARGES = {
    "/*charges summed*/": (
        ", SUM(shipping) AS shipping, SUM(abs(shipping)) AS shipping_abs, SUM(tax) AS tax, SUM(abs(tax)) AS tax_abs, "
        "COUNT(*) FILTER (WHERE shipping <> 0 OR tax <> 0) AS charged, shipping_text, tax_text",
        ", 0::DECIMAL(38, 9) AS shipping, 0::DECIMAL(38, 9) AS shipping_abs, 0::DECIMAL(38, 9) AS tax, "
        "0::DECIMAL(38, 9) AS tax_abs, 0 AS charged, NULL::VARCHAR AS shipping_text, NULL::VARCHAR AS tax_text"),
    "/*charges of each row*/": (
        ", o.shipping, o.tax, CASE WHEN r.id_hash IS NOT NULL THEN o.shipping_text END AS shipping_text, "
        "CASE WHEN r.id_hash IS NOT NULL THEN o.tax_text END AS tax_text", ""),
    "/*charges as written*/": (", shipping_text, tax_text", ""),
}


def grouped(charges: bool) -> str:
    """Pass 2 (:data:`GROUPED`), summing shipping and tax charged where ``charges``."""
    sql = GROUPED
    for marker, (added, empty) in GROUPED_CHARGES.items():
        sql = sql.replace(marker, added if charges else empty)
    return sql


#: The grouped rows under nexus's words: each group's kind as the reference reader reads it (a negative
#: sale is a refund), its profile (the key of a daily total but its day; numbered by Python, see
#: :func:`_map_words`) and its signed amount, shipping and tax (refunds and chargebacks reduce sales).
MAPPED = """
CREATE VIEW mapped AS
SELECT g.day, g.source_file, g.repeated_id, g.amount_text, g."rows", w.to_currency, g.shipping_text, g.tax_text,
       g.charged,
       CASE WHEN w.to_kind = 'sale' AND g.negative THEN 'refund' ELSE w.to_kind END AS final_kind,
       CASE WHEN w.to_kind = 'sale' AND NOT g.negative THEN w.sale_profile ELSE w.refund_profile END AS profile,
       CASE WHEN w.to_kind = 'sale' AND NOT g.negative THEN g.amount ELSE -ABS(g.amount) END AS signed,
       CASE WHEN w.to_kind = 'sale' AND NOT g.negative THEN g.shipping ELSE -g.shipping_abs END AS shipping,
       CASE WHEN w.to_kind = 'sale' AND NOT g.negative THEN g.tax ELSE -g.tax_abs END AS tax
FROM grouped g JOIN words w USING (spelling)
WHERE g.daily
"""

#: Each order event of a repeated id, keyed as the reference reader keys it: a sale once per order id; a
#: refund or chargeback once per order, kind, day, amount as written (its value and its decimal places:
#: 12.30 and 12.3 are two events, 1,000 and 1000 one) and currency. Identical copies collapse into
#: ``copies``; an event left with two rows was repeated with different values.
EVENTS = f"""
CREATE TABLE events AS
SELECT repeated_id, final_kind,
       CASE WHEN final_kind <> 'sale' THEN day END AS event_day,
       CASE WHEN final_kind <> 'sale' THEN each + ship_each END AS event_amount,
       CASE WHEN final_kind <> 'sale' THEN places END AS event_places,
       CASE WHEN final_kind <> 'sale' THEN to_currency END AS event_currency,
       profile, day, each, ship_each, tax_each, SUM("rows") AS copies,
       MIN(source_file) AS first_file -- the copy counted: the first file's, as the reference reader counts it
FROM (
    SELECT *, CASE WHEN final_kind = 'sale' THEN one ELSE -ABS(one) END AS each,
           CASE WHEN final_kind = 'sale' THEN ship_one ELSE -ABS(ship_one) END AS ship_each,
           CASE WHEN final_kind = 'sale' THEN tax_one ELSE -ABS(tax_one) END AS tax_each,
           -- the places of the amount counted, as Python's Decimal adds them: the most of amount and shipping
           GREATEST({written_places('written')}, {written_places('ship_written')}) AS places
    FROM (SELECT *, replace(amount_text, ',', '') AS written,
                 CAST(replace(amount_text, ',', '') AS DECIMAL(38, 9)) AS one,
                 COALESCE(replace(shipping_text, ',', ''), '') AS ship_written,
                 COALESCE(CAST(replace(shipping_text, ',', '') AS DECIMAL(38, 9)), 0) AS ship_one,
                 COALESCE(CAST(replace(tax_text, ',', '') AS DECIMAL(38, 9)), 0) AS tax_one
          FROM mapped WHERE repeated_id IS NOT NULL)
)
GROUP BY ALL
"""
EVENT = "repeated_id, final_kind, event_day, event_amount, event_places, event_currency"
CONFLICT = f"SELECT repeated_id FROM events GROUP BY {EVENT} HAVING COUNT(*) > 1 LIMIT 1"
#: Each refund or chargeback of a repeated id whose sale is among the events (one sale per id: CONFLICT stops
#: at two), summed per refund profile, refund day and sale day: Ledger.refund_links, as the reference reader
#: links them (nexus.row_account.RowAccount.link_refunds).
LINKS = """
SELECT r.profile, r.day, s.day, CAST(SUM(r.each + r.ship_each) AS VARCHAR), CAST(SUM(r.tax_each) AS VARCHAR)
FROM events r JOIN events s ON s.repeated_id = r.repeated_id AND s.final_kind = 'sale'
WHERE r.final_kind <> 'sale'
GROUP BY ALL ORDER BY ALL
"""
#: Every daily total under nexus's own keys (profile and day): the groups of single orders, and each
#: repeated event once.
CANONICAL = """
CREATE TABLE canonical AS
SELECT profile, day, SUM(amount) AS amount, SUM(transactions) AS transactions, SUM(shipping) AS shipping,
       SUM(tax) AS tax, SUM(charged) AS charged
FROM (
    SELECT profile, day, signed + shipping AS amount, CASE WHEN final_kind = 'sale' THEN "rows" ELSE 0 END
           AS transactions, shipping, tax, charged
    FROM mapped WHERE repeated_id IS NULL
    UNION ALL
    SELECT profile, day, each + ship_each, CASE WHEN final_kind = 'sale' THEN 1 ELSE 0 END, ship_each, tax_each,
           CASE WHEN ship_each <> 0 OR tax_each <> 0 THEN 1 ELSE 0 END
    FROM events
)
GROUP BY ALL
"""
#: Rows used per day: the rows of single orders, and one per repeated event.
USED_BY_DAY = """
SELECT day, SUM(n) FROM (SELECT day, "rows" AS n FROM grouped WHERE daily AND repeated_id IS NULL
                         UNION ALL SELECT day, 1 FROM events) GROUP BY day
"""
#: Rows used per file (nexus.ledger.file_account): of a repeated event, the row of the first file holding it.
USED_BY_FILE = """
SELECT source_file, SUM(n) FROM (SELECT source_file, "rows" AS n FROM grouped WHERE daily AND repeated_id IS NULL
                                 UNION ALL SELECT first_file, 1 FROM events) GROUP BY source_file
"""


def read_sales_fast(paths: Sequence[str], options: ReadOptions,
                    progress: Callable[[float], None] | None = None) -> Ledger:
    """Aggregate with DuckDB; raise :class:`NotPlain` (with the reason) when the reference reader must.

    ``progress`` is called now and then, from another thread, with the share of the work done (0 to 1).
    """
    reason = options_only_python_reads(options, paths)
    if reason is not None:
        raise NotPlain(reason)
    if options.repeated_orders not in REPEATED_ORDERS:  # judged as the reference reader judges it: it names it
        raise NotPlain(f"--repeated-orders {options.repeated_orders!r} is not one nexus knows")
    import duckdb

    layouts = {exports.name_of(exports.layout_of(path, options)) for path in paths if not is_parquet(path)}
    if len(layouts) > 1:  # a move between platforms: orders are matched across them, which nexus's reader does
        titles = sorted("nexus's own" if name == exports.NEXUS else exports.by_name(name).TITLE for name in layouts)
        kinds = {(m.PAYMENTS, m.MARKETPLACE) for m in map(exports.by_name, layouts) if m is not None}
        matched = ("a payment provider's payments to the store's orders" if {(True, False), (False, False)} <= kinds
                   else "orders exported by more than one platform")
        raise NotPlain(f"the files are in {len(layouts)} layouts ({', '.join(titles)}): nexus's own reader reads "
                       f"them together, matching {matched}")
    if len(layouts) == 1 and layouts != {exports.NEXUS}:
        from nexus import fast_exports

        layout = exports.by_name(layouts.pop())
        if fast_exports.supports(layout) and not any(is_parquet(p) for p in paths):
            return fast_exports.read(paths, layout, options, progress)
    notes = ReadNotes()
    sources, charged = zip(*(_source(path, i, options, notes) for i, path in enumerate(paths)))
    words = _Words(options)
    with tempfile.TemporaryDirectory(prefix="nexus-duckdb-") as work:
        totals_file = os.path.join(work, "totals.csv")
        try:
            ledger, profiles = on_fewer_threads(lambda threads: _aggregate(
                list(sources), paths, words, work, threads, totals_file, progress, any(charged)))
        except duckdb.InvalidInputException as exc:  # nexus's own error() says why, without DuckDB's prefix
            raise _said(exc, paths) from None
        except duckdb.ConversionException as exc:
            raise NotPlain(f"a date or amount in a form only nexus's own reader reads ({first_line(exc)})") from None
        except duckdb.Error as exc:
            raise NotPlain(first_line(exc)) from None
        with open(totals_file, encoding="utf-8") as handle, paused_gc():
            add_totals(ledger, handle, profiles)
        with open(totals_file + ".sourced", encoding="utf-8", newline="") as handle, paused_gc():
            add_sourced(ledger, handle)
    ledger.warnings[:0], ledger.assumptions[:0] = notes.warnings, notes.assumptions
    # What the reference reader's categorizer assumed: here only --unknown-category, said whenever given (no
    # products, tax codes or platform signals reach this path).
    for note in Categorizer(options.category, None, options.unknown_category).notes():
        ledger.notes.assume(note)
    ledger.billing_fallbacks = words.billed
    note_reading(ledger)
    return ledger


def _said(exc: Exception, paths: Sequence[str]) -> NotPlain:
    """What nexus's own error() in a query said, without DuckDB's prefix, naming the file it was raised for."""
    for reason in (PLAIN_ERROR, EDGE_ERROR, CUT_ERROR):
        if reason in str(exc):
            found = re.search(r"\[file (\d+)\]", str(exc))
            path = paths[int(found.group(1))] if found and int(found.group(1)) < len(paths) else None
            return NotPlain(f"{path}: {reason}" if path else reason, path)
    if "sniffing file" in str(exc) or "Expected Number of Columns" in str(exc):
        found = re.search(r'file "([^"]+)"', str(exc))
        where = f"{found.group(1)}: " if found else ""
        return NotPlain(f"{where}some rows have fewer or more fields than the header (nexus's own reader reads "
                        f"short rows, and names a row with too many)")
    return NotPlain(first_line(exc))


def _aggregate(sources: list[str], paths: Sequence[str], words: _Words, work: str, threads: int,
               totals_file: str, progress: Callable[[float], None] | None,
               charges: bool = False) -> tuple[Ledger, dict[str, tuple]]:
    """The two passes and the sums, in DuckDB (with shipping and tax charged where ``charges``); the daily
    totals are left in ``totals_file``.

    DuckDB is closed on the way out, giving back its working memory before Python builds the totals.
    """
    connection = connect({"memory_limit": MEMORY_LIMIT, "threads": threads, "temp_directory": work,
                          "preserve_insertion_order": False})
    try:
        connection.execute("CREATE VIEW orders AS " + " UNION ALL ".join(sources))
        with Progress(connection, progress) as tracked:
            tracked.run(REPEATED, 0.3)  # reads one column: about a third of the time of the full pass
            tracked.run(grouped(charges), 0.7)
        _dates_as_written(connection, paths)
        profiles = _map_words(connection, words)
        for statement in (MAPPED, EVENTS):
            connection.execute(statement)
        conflict = connection.execute(CONFLICT).fetchone()
        if conflict:
            raise NotPlain(f"order {conflict[0]!r} is repeated with different values")
        connection.execute(CANONICAL)
        ledger = _account(connection, paths)
        _add_links(ledger, connection.execute(LINKS).fetchall(), profiles)
        # In order of profile and day, each series is built in one stretch of memory, in order of days: the
        # check then walks it twice as fast as a series built in the order DuckDB happens to finish.
        connection.execute(f"COPY (SELECT {totals_columns(charges)} FROM canonical ORDER BY profile, day) "
                           f"TO '{escaped(totals_file)}' (HEADER false)")
        connection.execute(f"COPY ({SOURCED}) TO '{escaped(totals_file + '.sourced')}' (HEADER false)")
        return ledger, profiles
    finally:
        connection.close()


#: A date as nexus's own reader reads it alike (the first ten characters of a date written as text).
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _dates_as_written(connection: Any, paths: Sequence[str]) -> None:
    """Check each distinct date written as text (grouped as written, see :func:`_day`) as the reference reader
    reads it, and make the column DATE: a date that is not plain hands over, naming the file it is in."""
    if connection.execute("SELECT data_type FROM information_schema.columns WHERE table_name = 'grouped' "
                          "AND column_name = 'day'").fetchone()[0] != "VARCHAR":
        return  # typed dates only (Parquet DATE or TIMESTAMP): checked row by row already
    for text, source in connection.execute("SELECT day, min(source_file) FROM grouped WHERE daily GROUP BY day"
                                           ).fetchall():
        try:
            if text[:4] == "0000" or not _ISO_DAY.fullmatch(text):
                raise ValueError(text)
            date.fromisoformat(text)
        except ValueError:
            raise NotPlain(f"{paths[source]}: {PLAIN_ERROR}", paths[source]) from None
    connection.execute("ALTER TABLE grouped ALTER day SET DATA TYPE DATE")


def _map_words(connection: Any, words: _Words) -> dict[str, tuple]:
    """Map each spelling (the words of a row as written) by the reference reader's rules, as table ``words``.

    Each spelling leads to the profile of its sales and of its refunds (as :func:`nexus.ledger.profile` makes
    it), numbered: DuckDB sums by number and day, and Python files each total under the profile it numbered
    (returned, and as table ``profiles`` with their currency).
    """
    numbers: dict[tuple, int] = {}
    rows: dict[int, tuple] = {}
    # In the words' own order, so that profiles are numbered, and the ledger's series come, alike in every run (in
    # the order DuckDB happened to finish, two runs could write a report's notes in two orders).
    for spelling, country, region, billing_country, billing_region, code, *others, count, decimals in \
            connection.execute(f'SELECT spelling, {", ".join(WORDS)}, "rows", decimals FROM grouped '
                               f'WHERE NOT daily ORDER BY {", ".join(WORDS)}').fetchall():
        if spelling in rows:  # two spellings share a hash: DuckDB would add up their sales as one
            raise NotPlain("two sets of words share a hash")
        place = words.place(country, region, billing_country, billing_region, count)
        if place is None:
            raise NotPlain(f"{' '.join(repr(w) for w in (country, region) if w)} is not a place nexus knows")
        values = [place]
        for field, written in zip(("currency", "channel", "kind", "exempt", "category"), [code, *others]):
            value = words.map(field, written)
            if value is None:
                raise NotPlain(f"{written!r} is not a {field} nexus knows")
            values.append(value)
        place, code, channel, kind, exempt, category = values
        if decimals and _refuses_decimals(decimals, code):
            raise NotPlain(f"an amount in {code} has more decimal places than {code} has, or a comma that may be "
                           f"a decimal comma")
        # Where the category came from (nexus.categories): here the cell, --category or nothing (no products file
        # and no tax codes reach the fast path). Numbered with the profile, so the sums keep it apart.
        said = words.map_source(others[-1])
        rows[spelling] = (kind, code) + tuple(numbers.setdefault((profile(place, code, channel, k, exempt, category),
                                                                  said), len(numbers) + 1) for k in ("sale", "refund"))
    columns = {"spelling": "UBIGINT", "to_kind": "VARCHAR", "to_currency": "VARCHAR", "sale_profile": "INTEGER",
               "refund_profile": "INTEGER"}
    table(connection, "words", columns, [(spelling, *values) for spelling, values in rows.items()])
    profiles_table(connection, numbers)
    return {str(number): key for key, number in numbers.items()}


def _account(connection: Any, paths: Sequence[str]) -> Ledger:
    """A ledger with the account of every row (read, used, repeated; per day and per file) and the sales per
    day and currency; the daily totals come after DuckDB has closed."""
    ledger = Ledger()
    ledger.rows_by_day = {day: int(rows) for day, rows in connection.execute(USED_BY_DAY).fetchall()}
    per_file = dict(connection.execute(
        'SELECT source_file, SUM("rows") FROM grouped WHERE daily GROUP BY 1').fetchall())
    ledger.files.extend((path, int(per_file.get(i, 0))) for i, path in enumerate(paths))
    ledger.layouts.update((path, exports.NEXUS) for path in paths)
    ledger.rows_read = sum(int(rows) for rows in per_file.values())
    ledger.unlisted_duplicates = ledger.rows_read - ledger.rows_used
    used = dict(connection.execute(USED_BY_FILE).fetchall())
    ledger.file_rows = [{"duplicates": int(per_file.get(i, 0)) - int(used.get(i, 0))} for i in range(len(paths))]
    days = {day: day for day in ledger.rows_by_day}
    # In order of day and currency, as nexus's own reader's come: the check converts them in this order, and an
    # exchange rate missing on two days was said of either, by the order DuckDB happened to finish in.
    ledger.day_currency_totals = {
        (days.get(day, day), code): Decimal(amount) for day, code, amount in connection.execute(
            "SELECT day, currency, CAST(SUM(amount) AS VARCHAR) FROM canonical JOIN profiles USING (profile) "
            "GROUP BY ALL ORDER BY ALL").fetchall()}
    return ledger


def _add_links(ledger: Ledger, rows: Iterable[tuple], profiles: dict[str, tuple]) -> None:
    """Link the refunds :data:`LINKS` found to their sale's day, in the ledger's ``refund_links``."""
    for number, day, sale_day, amount, tax in rows:
        ledger.link(profiles[str(number)][0], day, sale_day, Decimal(amount), Decimal(tax))


class _Words:
    """The reference reader's own reading of places and words (:func:`nexus.cells.jurisdiction_of`,
    :func:`nexus.cells.word`), once per distinct value written; None where it would name the cell as an
    error, which hands the file over to it."""

    def __init__(self, options: ReadOptions):
        self.options = options
        self.seen: dict[tuple[str, ...], str | None] = {}
        #: Rows placed by their billing address (:func:`nexus.cells.place_cells`), as the reference counts them.
        self.billed = 0

    def place(self, country: str, region: str, billing_country: str = "", billing_region: str = "",
              rows: int = 0) -> str | None:
        country, region, billed = place_cells(country, region, billing_country, billing_region)
        key = ("place", country, region)
        if key not in self.seen:
            try:
                self.seen[key] = jurisdiction_of(country, region, nowhere) if country else None
            except InputError:
                self.seen[key] = None
        if billed and self.seen[key] is not None:
            self.billed += rows
        return self.seen[key]

    def map_source(self, text: str) -> str:
        """Where the category of a row whose category cell reads ``text`` comes from (nexus.categories)."""
        if not category_says_nothing(text):
            return "column"
        return "option" if self.options.category else "unknown"

    def map(self, field: str, text: str) -> str | None:
        key = (field, text)
        if key not in self.seen:
            try:
                self.seen[key] = word(field, text.strip(), self.options, nowhere)
            except InputError:
                self.seen[key] = None
        return self.seen[key]
