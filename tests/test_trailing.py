"""Trailing nexus (nexus.trailing, data/presence-trailing.json): how long a state keeps nexus after physical presence
ends, worked by hand from the sources' words.

Washington: the rest of the calendar year in which the presence ends and one more calendar year (RCW 82.08.052,
WAC 458-20-193). California: generally the rest of that quarter and the next (Annotation 220.0275). Texas: nexus
ends with the presence (34 TAC 3.286(b)(2)). Virginia: no source read says, so nexus keeps its own reading (presence
counts while a period Virginia's sales rule measures holds it) and says the period is unknown.
"""
import json
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from data_sources import kind, unmarked
from nexus import datafiles, presence
from nexus.check import check
from nexus.cli import cli
from nexus.errors import RulesError
from nexus.rules import load_rules
from nexus.sales import read_sales
from nexus.trailing import parse_rows, trail, trailing_rows

TABLE = datafiles.document("presence-trailing.json")
#: The 45 states with a sales tax, the District of Columbia, and Alaska (local sales taxes on remote sellers).
SALES_TAX_PLACES = {f"US-{s}" for s in (
    "AL AZ AR CA CO CT DC FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO NE NV NJ NM NY NC ND OH OK PA RI SC SD "
    "TN TX UT VT VA WA WV WI WY AK").split()}
SERVER = "kind,location,ownership,dedicated,function,since,until,note\n"


def _presence_file(write, location, since, until):
    return write("p.csv", SERVER + f'owned-server,"{location}",owned,yes,core,{since},{until},Own rack\n')


def _json(write, location, since, until, orders, as_of):
    """The check's arguments and the place's finding as JSON, for one owned server."""
    place = location.split(", ")[1]
    args = ["check", "--sales", write("o.csv", "date,country,region,amount,currency,category\n" + orders),
            "--presence", _presence_file(write, location, since, until), "--as-of", as_of]
    data = json.loads(CliRunner().invoke(cli, args + ["--format", "json"], catch_exceptions=False).stdout)
    return args, next(f for f in data["findings"] if f["jurisdiction"] == place)


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


# --- in the check ----------------------------------------------------------------------------------------------

def test_washington_keeps_nexus_to_the_end_of_the_next_year_and_its_tax_is_estimated(write, tmp_path):
    # An owned server in Seattle from 2021-05-01 to 2024-06-30, checked on 2026-10-31. Washington measures the current
    # or previous year (2025-2026), which the server is not in: before, a past window closing on 2024-06-30, all
    # before the first order (not estimated). Washington keeps nexus for the rest of 2024 and 2025: the window runs
    # to 2025-12-31, and the USD 1,000 of goods sold on 2025-03-01 fall in it (USD 10 on 2026-01-02 do not, and are
    # far below the sales test). By hand, low: 1,000 x 6.5% (the state rate) = 65.00.
    orders = "2025-03-01,US,WA,1000,USD,goods\n2026-01-02,US,WA,10,USD,goods\n"
    args, wa = _json(write, "Seattle, US-WA", "2021-05-01", "2024-06-30", orders, "2026-10-31")
    assert wa["nexus"] is None and wa["presence"][0]["earlier"] == "creates"
    [window] = wa["nexus_windows"]
    assert (window["basis"], window["since"], window["until"]) == ("presence", "2021-05-01", "2025-12-31")
    assert window["trailing"]["presence_ended"] == "2024-06-30" and window["trailing"]["until"] == "2025-12-31"
    assert window["trailing"]["sources"][0].startswith("https://dor.wa.gov/")
    assert (wa["exposure"]["from"], wa["exposure"]["to"]) == ("2025-03-01", "2025-12-31")
    assert wa["exposure"]["uncollected"]["low"] == "65.00"
    said = "Presence ended 2024-06-30; Washington keeps nexus to 2025-12-31 (the rest of that calendar year and 1 "
    assert any(r.startswith(said) for r in wa["reasons"])
    screen = " ".join(CliRunner().invoke(cli, args, catch_exceptions=False).stdout.split())
    assert "After presence ended: US-WA (presence ended 2024-06-30; Washington keeps nexus to 2025-12-31)." in screen
    book, memo = str(tmp_path / "r.xlsx"), str(tmp_path / "m.html")
    CliRunner().invoke(cli, args + ["--workbook", book, "--html", memo], catch_exceptions=False)
    events = [r for r in load_workbook(book)["Timeline"].iter_rows(values_only=True) if "presence ended" in r]
    # The cell ends its lines where the workbook wraps it, which moves with the presence file's path (shorter outside
    # xdist): read its line breaks as spaces.
    assert len(events) == 1 and events[0][1] == "US-WA"
    assert "Washington keeps nexus to 2025-12-31" in " ".join(events[0][-1].split())
    assert "presence ended 2024-06-30; Washington keeps nexus to 2025-12-31" in open(memo, encoding="utf-8").read()


def test_washington_presence_within_its_trailing_period_is_nexus_now(write):
    # The same server checked on 2025-06-30: nexus continues to 2025-12-31, so the window is open today.
    _args, wa = _json(write, "Seattle, US-WA", "2021-05-01", "2024-06-30", "2025-03-01,US,WA,10,USD,goods\n",
                      "2025-06-30")
    assert wa["nexus"] == "presence" and wa["nexus_windows"][0]["until"] is None
    assert wa["nexus_windows"][0]["trailing"]["until"] == "2025-12-31"


def test_california_presence_over_by_the_as_of_date_is_a_past_window_though_the_year_measured_holds_it(write):
    # A server in San Jose to 2025-06-30, checked on 2026-10-31: California measures the current or previous year,
    # which holds the server, and nexus was read as existing today. California's general trailing period is the rest
    # of that quarter and the next: nexus ended on 2025-09-30, a past window.
    _args, ca = _json(write, "San Jose, US-CA", "2021-05-01", "2025-06-30", "2026-01-05,US,CA,10,USD,goods\n",
                      "2026-10-31")
    assert ca["nexus"] is None and ca["presence"][0]["verdict"] is None
    assert [(w["since"], w["until"]) for w in ca["nexus_windows"]] == [("2021-05-01", "2025-09-30")]
    assert "as a general rule" in ca["nexus_windows"][0]["trailing"]["words"]


def test_texas_ends_nexus_with_the_presence(write):
    # A warehouse in Dallas closed on 2025-03-31, checked on 2026-01-31: Texas's sales test looks back 12 months,
    # which hold the warehouse, but Texas keeps no nexus after the presence ends (34 TAC 3.286(b)(2)).
    presence_file = write("p.csv", SERVER + 'warehouse,"Dallas, US-TX",leased,,storage,2023-01-01,2025-03-31,\n')
    items = presence.read_presence(presence_file)
    orders = write("o.csv", "date,order_id,country,region,amount,currency\n2026-01-05,A1,US,TX,100,USD\n")
    result = check(read_sales([orders]), load_rules(), date(2026, 1, 31),
                   presence=presence.assess(items, date(2026, 1, 31)))
    texas = next(f for f in result.findings if f.jurisdiction == "US-TX")
    assert texas.nexus is None
    assert [(w.since, w.until) for w in texas.timing.windows] == [(date(2023, 1, 1), date(2025, 3, 31))]
    assert "Texas keeps no nexus after it" in " ".join(texas.timing.reasons)


def test_virginia_whose_period_is_unknown_keeps_the_reading_of_its_measured_periods_and_says_so(write):
    # A server in Ashburn to 2025-03-31, checked on 2026-10-31: Virginia measures the current or previous year, which
    # holds the server. No source read gives Virginia's trailing period: nexus stays open today, as before, and the
    # finding says the period is unknown.
    args, va = _json(write, "Ashburn, US-VA", "2021-05-01", "2025-03-31", "2026-01-05,US,VA,10,USD,goods\n",
                     "2026-10-31")
    assert va["nexus"] == "presence" and va["nexus_windows"][0]["until"] is None
    trailing = va["nexus_windows"][0]["trailing"]
    assert (trailing["kind"], trailing["until"], trailing["confidence"]) == ("unknown", None, "unknown")
    assert ("Presence ended 2025-03-31; how long Virginia keeps nexus after it is unknown (no source read says; "
            "nexus counts the presence while a period Virginia's sales rule measures holds it).") in va["reasons"]
    assert any("After it: presence ended 2025-03-31; how long Virginia keeps nexus after it is unknown" in r
               for r in va["presence"][0]["reasons"])
    assert "After presence ended" not in CliRunner().invoke(cli, args, catch_exceptions=False).stdout


def test_presence_and_its_trailing_period_before_the_first_order_are_said_once_on_the_screen(write):
    # A server in Seattle to 2022-06-30, orders from 2025: Washington kept nexus to 2023-12-31, all before the first
    # order, so the window's tax is not estimated; the screen's line for that says the trailing period, and the line
    # for presence ended does not repeat it.
    args, wa = _json(write, "Seattle, US-WA", "2021-05-01", "2022-06-30", "2025-01-02,US,WA,10,USD,goods\n",
                     "2026-10-31")
    assert [(w["since"], w["until"]) for w in wa["nexus_windows"]] == [("2021-05-01", "2023-12-31")]
    screen = " ".join(CliRunner().invoke(cli, args, catch_exceptions=False).stdout.split())
    assert ("Potential exposure before the first order, not estimated: US-WA (presence 2021-05-01 to 2022-06-30, "
            "Washington keeps nexus to 2023-12-31).") in screen
    assert "After presence ended" not in screen
