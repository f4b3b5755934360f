"""--time-zone: a time written with its zone (or in a column the platform says is UTC) counts on its day in the
seller's zone; dates without one count as written (nexus.timestamps)."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from nexus.cli import cli
from nexus.engine import choose
from nexus.own_layout_fast import read_sales_fast
from nexus.plain_input import NotPlain
from nexus.read_options import ReadOptions
from nexus.sales import read_sales
from nexus.timestamps import UnknownZone, day_in, zone

EXPORTS = Path(__file__).parent / "exports"


@pytest.mark.parametrize("text, name, utc, expected", [
    ("2025-12-31T23:30:00-05:00", "UTC", False, date(2026, 1, 1)),          # New York's evening is UTC's morning
    ("2025-12-31T23:30:00-05:00", "America/New_York", False, date(2025, 12, 31)),
    ("2025-04-01T18:20:11+00:00", "Asia/Tokyo", False, date(2025, 4, 2)),    # Amazon's GMT, +9 hours
    ("2025-07-01 10:00:00 -0400", "Europe/Berlin", False, date(2025, 7, 1)),  # Shopify's form
    ("2025-07-01 22:00:00 -0400", "Europe/Berlin", False, date(2025, 7, 2)),
    ("2025-01-01 02:00:00 UTC", "America/Los_Angeles", False, date(2024, 12, 31)),
    ("2025-01-01T02:00Z", "America/Los_Angeles", False, date(2024, 12, 31)),
    ("2025-07-02 01:00:00", "America/New_York", True, date(2025, 7, 1)),     # a '(UTC)' column: Stripe's
    ("2025-01-01 11:30 PM +00:00", "Asia/Tokyo", False, date(2025, 1, 2)),
    ("2025-07-02 01:00:00", "America/New_York", False, None),                # no zone written: as written
    ("2025-07-02 01:00:00 EST", "UTC", False, None),                         # an abbreviation: as written
    ("2025-07-02", "UTC", True, None),                                       # a date alone
    ("2025-02-30 01:00:00Z", "UTC", False, None),                            # no such day: the date reader names it
])
def test_the_day_of_a_time_in_the_sellers_zone(text, name, utc, expected):
    assert day_in(text, name, utc) == expected


def test_an_unknown_zone_is_refused_on_the_command_line_in_one_line(tmp_path):
    with pytest.raises(UnknownZone):
        zone("Mars/Olympus")
    orders = tmp_path / "o.csv"
    orders.write_text("date,order_id,country,region,amount,currency\n2025-01-02,A1,US,TX,10,USD\n")
    result = CliRunner().invoke(cli, ["check", "--sales", str(orders), "--time-zone", "Mars/Olympus"])
    assert result.exit_code == 2 and "'Mars/Olympus' is not a time zone nexus knows" in result.stderr


def days(ledger) -> dict[date, int]:
    found: dict[date, int] = {}
    for series in ledger.series.values():
        for day, (_amount, count) in series.items():
            found[day] = found.get(day, 0) + count
    return found


def test_a_new_years_eve_order_in_new_york_counts_in_the_year_written_or_in_the_zone_given(tmp_path):
    orders = tmp_path / "o.csv"
    orders.write_text("date,order_id,country,region,amount,currency\n"
                      "2025-12-31T23:30:00-05:00,A1,US,NY,100,USD\n"
                      "2025-12-31 23:45,A2,US,NY,50,USD\n")     # no zone written: as written, whatever the option
    assert days(read_sales([str(orders)])) == {date(2025, 12, 31): 2}
    assert days(read_sales([str(orders)], ReadOptions(time_zone="America/New_York"))) == {date(2025, 12, 31): 2}
    moved = read_sales([str(orders)], ReadOptions(time_zone="UTC"))
    assert days(moved) == {date(2026, 1, 1): 1, date(2025, 12, 31): 1}
    assert any("counted on their day in UTC (--time-zone)" in note for note in moved.notes.assumptions)


def test_amazons_gmt_times_move_to_the_sellers_zone():
    plain = days(read_sales([str(EXPORTS / "amazon-all-orders.txt")]))
    tokyo = days(read_sales([str(EXPORTS / "amazon-all-orders.txt")], ReadOptions(time_zone="Asia/Tokyo")))
    assert plain[date(2025, 4, 1)] >= 1 and tokyo.get(date(2025, 4, 2), 0) >= 1  # 18:20 GMT is 03:20 in Tokyo
    assert sum(plain.values()) == sum(tokyo.values())


def test_stripes_utc_columns_move_to_the_sellers_zone():
    """Payment 002 (JPY 15,000, Japan) was created 2025-07-02 01:00:00 UTC: 2025-07-01 in New York."""
    def japan(options):
        ledger = read_sales([str(EXPORTS / "stripe-payments.csv")], options)
        return sorted({day for key, series in ledger.series.items() if key[0] == "JP" for day in series})

    assert japan(ReadOptions()) == [date(2025, 7, 2)]
    assert japan(ReadOptions(time_zone="America/New_York")) == [date(2025, 7, 1)]


def test_the_fast_path_leaves_times_with_zones_to_nexus_own_reader_and_says_why(tmp_path):
    orders = tmp_path / "o.csv"
    orders.write_text("date,order_id,country,region,amount,currency\n" + "".join(
        f"2025-03-0{1 + i % 9}T10:00:00+00:00,A{i},US,TX,10,USD\n" for i in range(30_000)))
    options = ReadOptions(time_zone="America/Chicago")
    choice = choose([str(orders)], options, "auto")
    assert choice.engine == "python" and "--time-zone America/Chicago" in choice.reason
    assert choose([str(orders)], ReadOptions(), "auto").engine == "duckdb"
    with pytest.raises(NotPlain, match="--time-zone"):
        read_sales_fast([str(orders)], options)
