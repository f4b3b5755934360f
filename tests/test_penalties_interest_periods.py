"""Each day of a place's interest has one annual rate in data/penalties-interest.json.

Interest runs through the periods of every row of a place (nexus.penalties._periods), and the two ways of working it
would read a day that two periods hold differently: simple interest keeps the period it found for a stretch's first
day to that period's end, compounding switches to the period listed first from that period's first day. No periods
in the data overlap (checked here on the file itself), and the loader refuses any that do, naming both rows, so that
neither reading is ever needed. Each input is built next to its assertion from the data file's own rows.
"""
from __future__ import annotations

import copy
from datetime import date

import pytest
from click.testing import CliRunner

from nexus import datafiles, penalties
from nexus.cli import cli
from nexus.errors import RulesError

DOCUMENT = datafiles.document
RULES = DOCUMENT("penalties-interest.json")["rules"]


def _row_of(place: str, effective_from: str) -> int:
    """The 1-based number of ``place``'s row from ``effective_from`` in the table's rules."""
    return next(i for i, r in enumerate(RULES, start=1)
                if r["jurisdiction"] == place and r["effective_from"] == effective_from)


def _read_with(monkeypatch, edit) -> None:
    """Make the table read afresh as ``edit`` changes a copy of its rules."""
    def with_edit(name):
        found = DOCUMENT(name)
        if name == "penalties-interest.json":
            found = copy.deepcopy(found)
            edit(found["rules"])
        return found

    monkeypatch.setattr(datafiles, "document", with_edit)
    monkeypatch.setattr(penalties, "lateness_rows", penalties.lateness_rows.__wrapped__)


def test_no_two_interest_periods_of_a_place_share_a_day():
    """On the file as it stands: every place's periods, from all its rows, sorted by their first day, each start after
    the one before ends (an open-ended period can only be the last), and none ends before it starts."""
    by_place: dict[str, list[tuple[date, date, int]]] = {}
    for i, r in enumerate(RULES, start=1):
        for p in r.get("interest") or ():
            start = date.fromisoformat(p["effective_from"])
            end = date.fromisoformat(p["effective_to"]) if p.get("effective_to") else date.max
            assert start <= end, f"row {i} ({r['jurisdiction']}): {start} to {end}"
            by_place.setdefault(r["jurisdiction"], []).append((start, end, i))
    for place, periods in by_place.items():
        periods.sort()
        for (_, end, i), (start, _, j) in zip(periods, periods[1:]):
            assert start > end, f"{place}: row {j}'s period from {start} overlaps row {i}'s to {end}"


def test_the_table_as_it_stands_reads():
    assert len(penalties.lateness_rows.__wrapped__()) == len(RULES)


def test_a_period_overlapping_another_rows_is_an_error_naming_both_rows(monkeypatch):
    """The UK's 7% from 2025-02-25 to 2025-03-31 is held in the row that ends on 2025-03-31, and its next row starts
    with 7% from 2025-04-01: were that row's first period to start on 2025-03-15, the days 15 to 31 March would have
    two rates. Before, the table read without a word, and simple and compound interest took different ones."""
    before, after = _row_of("GB", "2023-01-01"), _row_of("GB", "2025-04-01")

    def earlier(rules):
        rules[after - 1]["interest"][0]["effective_from"] = "2025-03-15"

    _read_with(monkeypatch, earlier)
    with pytest.raises(RulesError) as raised:
        penalties.lateness_rows()
    assert str(raised.value) == (
        f"penalties-interest.json row {after} (GB): interest period from 2025-03-15 to 2025-04-05 overlaps "
        f"penalties-interest.json row {before}'s from 2025-02-25 to 2025-03-31: give each day one annual rate")


def test_two_periods_of_one_row_sharing_days_are_an_error_naming_the_row(monkeypatch):
    """Minnesota's row holds 8% for 2025; an open-ended 9% from 2025-06-01 listed after it shares June to December."""
    row = _row_of("US-MN", "2018-01-01")

    def another(rules):
        rules[row - 1]["interest"].append({"effective_from": "2025-06-01", "effective_to": None, "annual_rate": "0.09"})

    _read_with(monkeypatch, another)
    with pytest.raises(RulesError, match=(
            rf"^penalties-interest\.json row {row} \(US-MN\): interest period from 2025-06-01 to no end overlaps "
            rf"penalties-interest\.json row {row}'s from 2025-01-01 to 2025-12-31: give each day one annual rate$")):
        penalties.lateness_rows()


def test_a_period_ending_before_it_starts_is_an_error_naming_the_row(monkeypatch):
    row = _row_of("US-MN", "2018-01-01")

    def backwards(rules):
        rules[row - 1]["interest"][-1]["effective_to"] = "2024-12-31"

    _read_with(monkeypatch, backwards)
    with pytest.raises(RulesError, match=(rf"^penalties-interest\.json row {row} \(US-MN\): interest period from "
                                          r"2025-01-01 ends before it starts, on 2024-12-31$")):
        penalties.lateness_rows()


def test_the_check_stops_with_exit_2_naming_the_rows(monkeypatch, write):
    """A seller owing Minnesota tax runs `nexus check` on a table whose Minnesota periods overlap: one line naming
    the file and rows, exit 2 (the data could not be read), never an interest figure from either reading."""
    row = _row_of("US-MN", "2018-01-01")

    def another(rules):
        rules[row - 1]["interest"].append({"effective_from": "2025-06-01", "effective_to": None, "annual_rate": "0.09"})

    _read_with(monkeypatch, another)
    rows = [f"MN-{m},2025-{m:02d}-05,US,MN,goods,USD,12000.00" for m in range(1, 13)]
    sales = write("orders.csv", "\n".join(["order_id,date,country,region,category,currency,amount", *rows]) + "\n")
    result = CliRunner().invoke(cli, ["check", "--sales", sales, "--as-of", "2025-12-31", "--format", "json"])
    assert result.exit_code == 2
    assert result.output.splitlines()[-1] == (
        f"Error: penalties-interest.json row {row} (US-MN): interest period from 2025-06-01 to no end overlaps "
        f"penalties-interest.json row {row}'s from 2025-01-01 to 2025-12-31: give each day one annual rate")
    assert '"findings"' not in result.output
