"""Trailing nexus (nexus.trailing, data/presence-trailing.json): how long a state keeps nexus after physical presence
ends, worked by hand from the sources' words.

Washington: the rest of the calendar year in which the presence ends and one more calendar year (RCW 82.08.052,
WAC 458-20-193). California: generally the rest of that quarter and the next (Annotation 220.0275). Texas: nexus
ends with the presence (34 TAC 3.286(b)(2)). Virginia: no source read says, so nexus keeps its own reading (presence
counts while a period Virginia's sales rule measures holds it) and says the period is unknown.
"""
from datetime import date

import pytest

from data_sources import kind, unmarked
from nexus import datafiles
from nexus.errors import RulesError
from nexus.trailing import parse_rows, trail, trailing_rows

TABLE = datafiles.document("presence-trailing.json")
#: The 45 states with a sales tax, the District of Columbia, and Alaska (local sales taxes on remote sellers).
SALES_TAX_PLACES = {f"US-{s}" for s in (
    "AL AZ AR CA CO CT DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO NE NV NJ NM NY NC ND OH OK PA RI SC SD "
    "TN TX UT VT VA WA WV WI WY AK").split()}


# --- the periods, by hand -------------------------------------------------------------------------------------

@pytest.mark.parametrize("place, ended, until", [
    ("US-WA", date(2024, 6, 30), date(2025, 12, 31)),   # the rest of 2024 and 2025
    ("US-WA", date(2024, 12, 31), date(2025, 12, 31)),  # the last day of a year: the next year only
    ("US-WA", date(2009, 3, 1), date(2014, 12, 31)),    # before 2010-06-01: 2009 and the previous 5 years
    ("US-CA", date(2024, 6, 30), date(2024, 9, 30)),    # Q2 and Q3
    ("US-CA", date(2024, 11, 5), date(2025, 3, 31)),    # Q4 and the next year's Q1
    ("US-TX", date(2024, 6, 30), date(2024, 6, 30)),    # ends with the presence
])
def test_a_known_trailing_period_ends_where_the_source_says(place, ended, until):
    assert trail(place, ended).until == until


def test_an_unknown_period_gives_no_date_and_says_so():
    found = trail("US-VA", date(2024, 6, 30))
    assert found.until is None and not found.known
    assert found.words() == ("presence ended 2024-06-30; how long Virginia keeps nexus after it is unknown (no source "
                             "read says; nexus counts the presence while a period Virginia's sales rule measures "
                             "holds it)")


def test_the_words_say_it_as_a_finance_reader_would():
    assert trail("US-WA", date(2024, 6, 30)).words() == (
        "presence ended 2024-06-30; Washington keeps nexus to 2025-12-31 (the rest of that calendar year and 1 more "
        "calendar year: RCW 82.08.052(1)(a)(iii); WAC 458-20-193 (trailing nexus))")
    assert trail("US-TX", date(2024, 6, 30)).short() == "Texas keeps no nexus after it"


def test_places_the_table_does_not_cover_get_no_period():
    # Abroad a registration lasts until it is cancelled; Oregon has no sales tax.
    assert trail("JP", date(2024, 6, 30)) is None and trail("US-OR", date(2024, 6, 30)) is None


# --- the table -------------------------------------------------------------------------------------------------

def test_every_sales_tax_state_has_rows_from_quill_without_gaps_or_overlaps():
    rows = trailing_rows()
    assert {r.jurisdiction for r in rows} == SALES_TAX_PLACES  # 45 states, DC and Alaska
    for place in SALES_TAX_PLACES:
        own = sorted((r for r in rows if r.jurisdiction == place), key=lambda r: r.effective_from)
        assert own[0].effective_from == date(1992, 5, 26) and own[-1].effective_to is None, place
        for before, after in zip(own, own[1:]):
            assert before.effective_to is not None and (after.effective_from - before.effective_to).days == 1, place


def test_every_row_is_verified_and_a_known_period_is_sourced_and_cited():
    for row in TABLE["rules"]:
        assert row["last_verified"] == "2026-12-06" and row["notes"], row["jurisdiction"]
        if row["trailing"]["kind"] != "unknown":
            assert row["sources"] and row["cite"] and row["wording"], row["jurisdiction"]
            assert kind(row["sources"][0]) in ("primary", "copy") or row["confidence"] != "official"
    assert unmarked(TABLE["rules"], "presence-trailing.json") == []


def test_the_states_found_are_those_the_sources_read_say():
    known = {(r.jurisdiction, r.kind, r.count, r.effective_from) for r in trailing_rows() if r.kind != "unknown"}
    assert known == {("US-WA", "rest_of_year_plus_years", 5, date(1992, 5, 26)),
                     ("US-WA", "rest_of_year_plus_years", 1, date(2010, 6, 1)),
                     ("US-CA", "rest_of_quarter_plus_quarters", 1, date(2009, 5, 1)),
                     ("US-TX", "none", 0, date(1992, 5, 26))}


@pytest.mark.parametrize("change, problem", [
    ({"trailing": {"kind": "two_years", "count": None}}, "trailing kind 'two_years' is not one of"),
    ({"trailing": {"kind": "rest_of_year_plus_years", "count": None}}, "trailing kind rest_of_year_plus_years needs"),
    ({"sources": []}, "a known period needs its cite and sources"),
    ({"effective_to": "1990-01-01"}, "effective_to is before effective_from"),
])
def test_a_bad_row_is_a_clear_error(change, problem):
    row = {**next(r for r in TABLE["rules"] if r["jurisdiction"] == "US-TX"), **change}
    with pytest.raises(RulesError, match=problem):
        parse_rows({"rules": [row]})
