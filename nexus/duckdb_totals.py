"""The daily totals a DuckDB reader sums, handed to the ledger (:class:`nexus.ledger.Ledger`).

DuckDB sums each profile's amounts by day (a profile's number stands for its key: place, currency, channel,
kind, exemption, category, as :func:`nexus.ledger.profile` makes it), writes the sums out as text
(:func:`totals_columns`, :data:`SOURCED`; exact, :func:`decimal_text`) and closes; Python then files each line
under its profile (:func:`add_totals`, :func:`add_sourced`). Orders in nexus's own layout (:mod:`nexus.own_layout_fast`)
and daily totals made elsewhere (:mod:`nexus.aggregates`) are handed over so; the platform exports' fast path
(:mod:`nexus.fast_exports`) shares the day numbers (:class:`Days`).
"""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import groupby
from operator import itemgetter
from typing import Any, Iterable

from nexus.duckdb_session import table
from nexus.ledger import Ledger, add_series

EPOCH = date(1970, 1, 1)


def profiles_table(connection: Any, numbers: dict[tuple, int]) -> None:
    """Table ``profiles``: each number's currency, and what its lines are summed under by category source (place,
    currency, category, source; sales or not), for :data:`SOURCED`."""
    table(connection, "profiles", {"profile": "INTEGER", "currency": "VARCHAR", "place": "VARCHAR",
                                   "category": "VARCHAR", "source": "VARCHAR", "sale": "BOOLEAN"},
          [(number, key[1], key[0], key[5], source, key[3] == "sale") for (key, source), number in numbers.items()])


def decimal_text(sql: str) -> str:
    """A DECIMAL(38, 9) sum as text, exactly as CAST writes it (134.450000000), for Python to read: by way of
    DECIMAL(18, 9) where it fits (below 10^9), whose text is the same and quicker to write than a 128-bit
    decimal's (a million daily totals written out: 0.30 CPU-seconds against 0.41)."""
    return (f"CASE WHEN abs({sql}) < 1000000000 THEN CAST(CAST({sql} AS DECIMAL(18, 9)) AS VARCHAR) "
            f"ELSE CAST({sql} AS VARCHAR) END")


#: The daily totals summed by category source (Ledger.category_sources: amounts net of refunds, lines for sales),
#: written out beside the totals: a few times fewer lines than the totals, summed where they are.
SOURCED = f"""
SELECT p.place, p.currency, p.category, p.source, c.day - DATE '1970-01-01', {decimal_text("SUM(c.amount)")},
       SUM(CASE WHEN p.sale THEN c.transactions ELSE 0 END)
FROM canonical c JOIN profiles p USING (profile)
GROUP BY ALL ORDER BY ALL
"""


def totals_columns(charges: bool) -> str:
    """The columns of the daily totals written for :func:`add_totals`: profile number, day number, amount,
    transactions, and where the files have them the shipping and tax charged and the rows charged."""
    return (f"profile, day - DATE '1970-01-01', {decimal_text('amount')}, transactions"
            + (f", {decimal_text('shipping')}, {decimal_text('tax')}, charged" if charges else ""))


class Days(dict):
    """Day numbers (days since 1970-01-01, as DuckDB writes them) to the ledger's own date objects, each made
    once: a lookup at dict speed for the hundreds of thousands of totals of a few hundred days."""

    def __init__(self, ledger: Ledger):
        super().__init__()
        self.days = {day: day for day in ledger.rows_by_day}

    def __missing__(self, number: str) -> date:
        found = EPOCH + timedelta(days=int(number))
        day = self[number] = self.days.setdefault(found, found)
        return day


def add_totals(ledger: Ledger, lines: Iterable[str], profiles: dict[str, tuple]) -> None:
    """Add the daily totals DuckDB summed, each a line of :func:`totals_columns`, to the series (and the charges)
    of their profile (a profile read from several category sources has several numbers, whose totals add up).

    The lines come in order of profile number and day, one a day: each number's are taken in one stretch.
    """
    day_of = Days(ledger)
    # Numbers only: no quotes, no commas. The shipping and tax charged count where rows had any (``charged``).
    for number, group in groupby((line.split(",") for line in lines), key=itemgetter(0)):
        key = profiles[number][0]
        rows = list(group)
        # Added to another category source's number's days for the same profile, if any.
        add_series(ledger.series, key, {day_of[row[1]]: [Decimal(row[2]), int(row[3])] for row in rows})
        if len(rows[0]) > 4:
            for row in rows:
                if row[6][0] != "0":  # a count of rows charged, "0" or a number without a leading zero
                    kept = ledger.charge(key, day_of[row[1]])
                    kept[0] += Decimal(row[4])
                    kept[1] += Decimal(row[5])


def add_sourced(ledger: Ledger, lines: Iterable[str]) -> None:
    """Set the ledger's lines by category source from :data:`SOURCED`'s output (place, currency, category, source,
    day number, amount, lines, in that order), as Ledger.add would have summed them. The place, currency and words
    are nexus's own codes, which never need quoting.

    Each line is cut at its last three commas only: its first four fields stay one text, which groups the lines
    (the same groups as the four fields would, none holding a comma) and is split once per group, not once per line
    (0.146 to 0.118 CPU-seconds for the 143,966 lines of the 2M-row wide Parquet file). ``int`` reads the count with
    the line break after it."""
    day_of = Days(ledger)
    sources = ledger.category_sources
    for head, group in groupby((line.rsplit(",", 3) for line in lines), key=itemgetter(0)):
        key = tuple(head.split(","))
        sources.setdefault(key, {}).update({day_of[row[1]]: [Decimal(row[2]), int(row[3])] for row in group})
