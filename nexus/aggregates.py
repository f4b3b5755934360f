"""Daily aggregates: the small result a data team hands finance instead of millions of orders.

``nexus sql`` prints the query that makes them; :func:`read_aggregates` reads
them (CSV or Parquet) into the same :class:`~nexus.sales.Ledger` nexus builds
from orders, so every check, workbook and warning works the same.

Shape (docs/scale.md): ``date, jurisdiction, currency, channel, category,
kind, exempt, amount, rows``, one row per combination and day; ``amount`` a
decimal, ``rows`` the number of order rows it sums (a whole number, 0 or
more). As in orders, refunds and chargebacks reduce sales whatever their sign
in the file, and a negative sale is a refund. Two optional columns carry what
the ledger keeps apart: ``shipping`` (the part of ``amount`` that is shipping
and handling) and ``tax`` (tax charged, not in ``amount``); without them both
are zero.
"""
from __future__ import annotations

import csv
import re
from datetime import date
from decimal import Decimal
from typing import Any, Iterator

from nexus import currencies, places
from nexus.engine import is_parquet
from nexus.errors import InputError, Location
from nexus.money import parse_amount
from nexus.categories import LINE_CATEGORIES, UNKNOWN
from nexus.sales import CHANNELS, EXEMPTIONS, KINDS, Ledger, check_regular_file, detect_encoding, profile
from nexus.sql import AGGREGATE_COLUMNS


def _csv(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    with open(path, encoding=detect_encoding(path), newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in AGGREGATE_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise InputError(f"is not a nexus aggregates file: missing column(s) {', '.join(missing)}",
                             Location(path, 1))
        for row in reader:
            yield reader.line_num, row


def _parquet(path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        import duckdb
    except ImportError:
        raise InputError("is Parquet: install nexus with the 'fast' extra (pip install 'nexus-advisor[fast]')",
                         Location(path)) from None
    from nexus.engine import connect  # a connection that prints nothing to stdout

    try:
        with connect() as connection:
            relation = connection.sql("SELECT * FROM read_parquet(?)", params=[path])
            names = relation.columns
            missing = [c for c in AGGREGATE_COLUMNS if c not in names]
            if missing:
                raise InputError(f"is not a nexus aggregates file: missing column(s) {', '.join(missing)}",
                                 Location(path))
            records = relation.fetchall()  # daily totals: small, whatever the orders were
    except duckdb.Error as exc:
        raise InputError(f"is not a readable Parquet file ({exc.__class__.__name__})", Location(path)) from None
    for number, values in enumerate(records, start=1):
        yield number, dict(zip(names, values))


def read_aggregates(paths: list[str]) -> Ledger:
    """Read aggregates files into a :class:`Ledger`, checking every value and naming any bad one."""
    ledger = Ledger()
    for path in paths:
        check_regular_file(path)
        rows = _parquet(path) if is_parquet(path) else _csv(path)
        count = 0
        for line, row in rows:
            def at(column: str) -> Location:
                return Location(path, line, column, str(row.get(column)))

            day = row["date"] if isinstance(row["date"], date) else _day(row["date"], at("date"))
            place = str(row["jurisdiction"]).strip().upper()
            if place not in places.countries() and not any(place in places.subdivisions(c) for c in places.SUBDIVIDED):
                raise InputError("is not a country or a US/Canadian subdivision code", at("jurisdiction"))
            code = str(row["currency"]).strip().upper()
            if currencies.facts(code) is None:
                raise InputError("is not an ISO 4217 currency code", at("currency"))
            values = {}
            for column, allowed in (("channel", CHANNELS), ("kind", KINDS), ("exempt", EXEMPTIONS),
                                    ("category", LINE_CATEGORIES)):
                values[column] = str(row[column]).strip().lower()
                if values[column] not in allowed:
                    raise InputError(f"is not one of {', '.join(allowed)}", at(column))
            amount = parse_amount(row["amount"] if not isinstance(row["amount"], float) else repr(row["amount"]),
                                  at("amount"))
            n = _count(row["rows"], at("rows"))
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
            charged = [_optional(row, column, at) for column in ("shipping", "tax")]
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
    # The aggregates carry each line's category as the query read it: from the orders' column, else unknown.
    ledger.derive_category_sources(lambda category: "unknown" if category == UNKNOWN else "column")
    return ledger


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


def _day(text: Any, where: Location) -> date:
    try:
        return date.fromisoformat(str(text).strip()[:10])
    except ValueError:
        raise InputError("is not a date (YYYY-MM-DD)", where) from None
