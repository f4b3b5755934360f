"""Interest rates read on 2026-12-07 in the revenue departments' own pages, and those still not read.

Each case is a seller whose only orders are in one state; the estimate's interest is the figure a controller would
check by hand, or "not estimated" where no department page gives the rate.
"""
import json
from datetime import date

import pytest
from click.testing import CliRunner

from nexus import datafiles
from nexus.cli import cli

HEADER = "order_id,date,country,region,category,currency,amount"


def orders(write, state: str, years: tuple[int, ...], amount: str) -> str:
    """``amount`` USD of goods on the 5th of every month of ``years``, shipped to ``state``."""
    rows = [f"{state}-{y}-{m},{y}-{m:02d}-05,US,{state},goods,USD,{amount}" for y in years for m in range(1, 13)]
    return write("orders.csv", "\n".join([HEADER, *rows]) + "\n")


def exposure(write, state: str, years: tuple[int, ...], as_of: str, amount: str = "12000.00") -> dict:
    result = CliRunner().invoke(cli, ["check", "--sales", orders(write, state, years, amount), "--as-of", as_of,
                                      "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0
    found = json.loads(result.stdout)
    return next(f for f in found["findings"] if f["jurisdiction"] == f"US-{state}")["exposure"]


def row(place: str) -> dict:
    rules = datafiles.document("penalties-interest.json")["rules"]
    return next(r for r in rules if r["jurisdiction"] == place and r["effective_to"] is None)


def test_minnesota_2025_interest_is_the_departments_8_percent(write):
    """Before: as of 2025-12-31 Minnesota's interest read 'not estimated: interest rates for US-MN are not in the
    data for every month concerned' (the rates stopped at 2024). The Department's counties page gives 8% for 2025,
    the rate 'charged by the state for delinquent income and sales taxes': November's USD 976.20, due 2025-12-20, a
    Saturday, moved to Monday 2025-12-22 (the Department's schedules move a weekend due date to the next business
    day: data/penalties-interest.json's returns, US-MN), bears 9 days at 8%: 976.20 x 8% x 9 / 365 = USD 1.93 (11
    days, USD 2.35, before that row); December's is not yet due."""
    found = exposure(write, "MN", (2025,), "2025-12-31")
    assert (found["interest"], found["interest_note"]) == ("1.93", None)
    assert [m["interest"] for m in found["months"]] == ["1.93", "0.00"]
    assert [m["due"] for m in found["months"]] == ["2025-12-22", "2026-01-20"]
    assert "https://www.revenue.state.mn.us/mndor-pp/7951?type=html" in row("US-MN")["sources"]


def test_maryland_2021_interest_is_the_comptrollers_10_percent_by_the_month(write):
    """Before: as of 2021-12-31 Maryland's interest read 'not estimated' (the rates began in 2022). The Comptroller's
    page gives 10% for calendar 2021, charged as a twelfth for each month or part (Tax-General 13-604): September's
    USD 720, due 2021-10-20, bears three months or parts at 10%/12 = USD 18.00; October's two, November's one."""
    found = exposure(write, "MD", (2021,), "2021-12-31")
    assert (found["interest"], found["interest_note"]) == ("36.00", None)
    assert [m["interest"] for m in found["months"]] == ["18.00", "12.00", "6.00", "0.00"]
    assert row("US-MD")["sources"][0] == ("https://marylandtaxes.gov/divisions/cd/business/"
                                          "business-penalty-and-interest-charges.php")


@pytest.mark.parametrize("state", ["TX", "PA", "NC", "MD", "MN"])
def test_2026_interest_not_read_in_a_department_page_stays_not_estimated_and_says_it_was_searched(write, state):
    """No department page giving a 2026 rate is stored for these five states (searched again on 2026-12-07): the
    estimate says interest is not estimated rather than carrying a figure from a secondary source, and the row's
    notes say when it was searched. USD 100,000 a month from January 2025 crosses every threshold in 2025, so 2026's
    months are overdue on 2026-10-31."""
    found = exposure(write, state, (2025, 2026), "2026-10-31", "100000.00")
    assert found["interest"] is None
    assert found["interest_note"] == (f"not estimated: interest rates for US-{state} are not in the data for every "
                                      "month concerned")
    data = row(f"US-{state}")
    assert all(date.fromisoformat(p["effective_to"]) < date(2026, 1, 1) for p in data["interest"])
    assert data["last_verified"] == "2026-12-07" and "2026-12-07" in data["notes"]


def test_north_carolinas_second_half_of_2025_says_why_its_secondary_rate_is_kept(write):
    """The NCDOR's Interest Rate page as stored gives 7% to 2025-06-30 and no later rate; July to December 2025's 7%
    comes from a secondary checklist. The row now holds the two halves apart and says why the secondary half is kept:
    G.S. 105-241.21(a), 'If no new rate is established, the rate in effect during the preceding six-month period
    continues in effect', and no notice of a new rate was found. The estimate is unchanged: November 2025's central
    tax of USD 840, due 2025-12-20, bears 11 days at 7% as of 2025-12-31: 840 x 0.07 x 11 / 365 = USD 1.77."""
    carolina = row("US-NC")
    halves = [p for p in carolina["interest"] if p["effective_from"].startswith("2025")]
    assert [(p["effective_from"], p["effective_to"], p["annual_rate"]) for p in halves] == [
        ("2025-01-01", "2025-06-30", "0.07"), ("2025-07-01", "2025-12-31", "0.07")]
    assert "continues in effect" in carolina["notes"] and "no notice of a new rate was found" in carolina["notes"]
    assert "https://codes.findlaw.com/nc/chapter-105-taxation/nc-gen-st-sect-105-241-21/" in carolina["sources"]
    found = exposure(write, "NC", (2025,), "2025-12-31")
    assert (found["interest"], found["interest_note"]) == ("1.77", None)
