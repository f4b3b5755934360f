"""data/penalties-interest.json's ``returns`` table: every row is read, sourced and dated, and every monthly row is
the due date the estimate uses for its place (never shadowed by another row). The figures each row gives are checked
by hand in tests/test_exposure_due_day.py (Connecticut's last day, Vermont's 25th and January's 23rd)."""
from __future__ import annotations

import re
from datetime import date

import pytest

from nexus import datafiles, limitation

ROWS = datafiles.document("penalties-interest.json")["returns"]
PLACE = re.compile(r"^[A-Z]{2}(-[A-Z]{2})?$")


def _where(i: int, row: dict) -> str:
    return f"penalties-interest.json returns row {i} ({row.get('jurisdiction')} {row.get('return')})"


def test_every_row_is_read_none_dropped():
    read = limitation.return_dues()
    assert [(place, due.period) for place, due in read] == [(r["jurisdiction"], r["return"]) for r in ROWS]


@pytest.mark.parametrize("i, row", list(enumerate(ROWS, start=1)), ids=lambda v: str(v) if isinstance(v, int) else "")
def test_every_row_is_sourced_dated_and_says_what_it_read(i, row):
    """A row names its statute or page (cite), gives URLs (sources), the first tax period it is read for (the first
    of a month, effective_from), the day it was verified, and notes quoting what was read; a row that moves a
    deadline off weekends says so in its notes (the source's words), and one that does not says it is not moved."""
    where = _where(i, row)
    assert PLACE.match(row["jurisdiction"]), where
    assert row["cite"].strip() and row["notes"].strip(), where
    assert row["sources"] and all(s.startswith(("http://", "https://")) for s in row["sources"]), where
    assert len(set(row["sources"])) == len(row["sources"]), where
    first = date.fromisoformat(row["effective_from"])
    assert first.day == 1, f"{where}: effective_from is a tax period's first day"
    assert date(2000, 1, 1) <= first <= date.fromisoformat(row["last_verified"]) <= date(2026, 12, 31), where
    if row.get("next_working_day"):
        assert re.search(r"weekend|Saturday", row["notes"]), f"{where}: moves a deadline the notes do not quote"
    elif row["return"] == "monthly":
        assert "not moved" in row["notes"], f"{where}: says the day is not moved"


def test_one_row_per_place_and_return():
    held = [(r["jurisdiction"], r["return"]) for r in ROWS]
    assert len(held) == len(set(held))


@pytest.mark.parametrize("place", sorted({r["jurisdiction"] for r in ROWS if r["return"] == "monthly"}))
def test_each_monthly_row_is_the_day_the_estimate_uses(place):
    """From its first tax period on, a monthly row's due date is the one nexus.limitation.monthly_due gives the
    estimate for its place (the periods of limitation's rows may hold the same day, never another one)."""
    (row,) = [due for where, due in limitation.return_dues() if where == place and due.period == "monthly"]
    for month in (row.effective_from, date(2026, 1, 1), date(2026, 6, 1)):
        assert limitation.monthly_due(place, month).of(month) == row.of(month)
    before = date(row.effective_from.year - (row.effective_from.month == 1), (row.effective_from.month - 2) % 12 + 1, 1)
    held = limitation.monthly_due(place, before)
    assert held is None or held.effective_from < row.effective_from
