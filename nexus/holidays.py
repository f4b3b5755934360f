"""Public holidays on which a tax deadline moves to the next day, from ``data/public-holidays.json``.

Where the law moves a deadline that falls on a Saturday, a Sunday or a public holiday to the next day (Korea's
국세기본법 제5조제1항), nexus moves weekends itself and needs the holidays as data: most of Korea's are lunar dates,
and substitute and temporary holidays are set year by year. A row lists a jurisdiction's holidays for the years it
covers, with the law and the list's sources. A jurisdiction without a row, or a year outside the row's, is not
guessed: the answer says its holidays are not known.

More information: docs/rules.md ("Periods of limitation").
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from nexus import datafiles
from nexus.errors import RulesError

DATA_FILE = "public-holidays.json"


@dataclass(frozen=True)
class Holidays:
    """A jurisdiction's public holidays from ``covered_from`` to ``covered_to``, each day with its name."""

    jurisdiction: str
    covered_from: date
    covered_to: date
    days: frozenset[date]
    rule: str
    sources: tuple[str, ...]
    confidence: str

    def covers(self, day: date) -> bool:
        """Whether ``day`` lies in the years the list covers: outside them a holiday would be missing from it."""
        return self.covered_from <= day <= self.covered_to

    def next_working_day(self, day: date) -> date:
        """``day``, or the first day after it that is neither a Saturday, a Sunday nor a listed holiday."""
        while day.weekday() >= 5 or day in self.days:
            day += timedelta(days=1)
        return day


def _date(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RulesError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def parse_holidays(document: dict[str, Any]) -> dict[str, Holidays]:
    """Every row of the table, by jurisdiction, checked: a day outside the years a row covers, or a row without
    its law or sources, is an error naming the row, never dropped."""
    out: dict[str, Holidays] = {}
    for i, row in enumerate(document.get("rules", []), start=1):
        where = f"{DATA_FILE} row {i} ({row.get('jurisdiction')})"
        if not row.get("rule") or not row.get("sources"):
            raise RulesError(f"{where}: a row needs the 'rule' that moves deadlines and its 'sources'")
        first, last = _date(row.get("covered_from"), where), _date(row.get("covered_to"), where)
        days = frozenset(_date(day, where) for day in row.get("holidays") or {})
        outside = sorted(day for day in days if not first <= day <= last)
        if outside:
            raise RulesError(f"{where}: {outside[0]} lies outside covered_from to covered_to")
        out[row["jurisdiction"]] = Holidays(row["jurisdiction"], first, last, days, row["rule"],
                                            tuple(row["sources"]), row.get("confidence", "unknown"))
    return out


@lru_cache(maxsize=1)
def holiday_table() -> dict[str, Holidays]:
    """The bundled table (read once per process)."""
    return parse_holidays(datafiles.document(DATA_FILE))


def holidays_of(jurisdiction: str) -> Holidays | None:
    """``jurisdiction``'s public holidays, or None where nexus holds none."""
    return holiday_table().get(jurisdiction)
