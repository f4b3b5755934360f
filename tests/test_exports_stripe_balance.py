"""Stripe's itemized balance report: each balance transaction on its own date, read from the fixture written from
Stripe's documented columns (tests/exports/stripe-balance-itemized.csv); figures worked out by hand from its rows."""
from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from nexus.cli import cli
from nexus.errors import InputError, MissingColumns
from nexus.read_options import ReadOptions
from nexus.sales import read_sales
from test_exports import HERE

# Every file a test opens is closed where it is opened: an unclosed one is an error (see tests/test_exports.py).
pytestmark = pytest.mark.filterwarnings("error::ResourceWarning", "error::pytest.PytestUnraisableExceptionWarning")

D = Decimal
FIXTURE = HERE / "stripe-balance-itemized.csv"


def _rows() -> list[list[str]]:
    with open(FIXTURE, encoding="utf-8", newline="") as handle:
        return list(csv.reader(handle))


def _write(tmp_path, data: list[list[str]], name: str = "Itemized_balance_change_from_activity_USD.csv") -> str:
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(data)
    return str(path)


def _without(data: list[list[str]], *prefixes: str) -> list[list[str]]:
    """``data`` without the columns whose names start with any of ``prefixes``."""
    keep = [i for i, name in enumerate(data[0]) if not name.startswith(prefixes)]
    return [[row[i] for i in keep] for row in data]


def _by_day(ledger, place: str) -> dict[date, Decimal]:
    found: dict[date, Decimal] = {}
    for key, days in ledger.series.items():
        for day, total in days.items():
            if key[0] == place:
                found[day] = found.get(day, D(0)) + total[0]
    return found


def test_refunds_disputes_and_their_reversals_count_on_their_own_dates():
    """Each balance transaction is counted on its own day: the refund of the yen charge on 2025-03-20, the Texas
    dispute on 2025-05-20 and its reversal on 2025-06-10; none is a running total counted on the sale's date."""
    ledger = read_sales([str(FIXTURE)])
    assert _by_day(ledger, "JP") == {date(2025, 3, 5): D("150.00"), date(2025, 3, 20): D("-30.00")}
    assert _by_day(ledger, "US-TX") == {date(2025, 5, 10): D("45.50"), date(2025, 5, 20): D("-45.50"),
                                        date(2025, 6, 10): D("45.50")}
    # The partial capture's reversal comes off the charge on its own (here the same) day.
    assert _by_day(ledger, "US-CA") == {date(2025, 3, 4): D("120.00"), date(2025, 6, 12): D("75.00")}
    assert ledger.undated_refunds == {}


def test_created_is_the_day_counted_and_created_utc_where_created_is_missing(tmp_path):
    """``created`` is in the time zone the report was run in (2025-03-04 20:30 in New York); ``created_utc`` the
    same moment in UTC (2025-03-05 01:30): a report with only the UTC column counts the UTC day."""
    assert _by_day(read_sales([str(FIXTURE)]), "US-CA")[date(2025, 3, 4)] == D("120.00")
    data = _rows()
    gone = data[0].index("created")
    utc_only = _write(tmp_path, [row[:gone] + row[gone + 1:] for row in data])
    assert _by_day(read_sales([utc_only]), "US-CA")[date(2025, 3, 5)] == D("120.00")
    # --time-zone counts a time in a column that says it is UTC (created_utc) on its day in that zone.
    zoned = read_sales([utc_only], ReadOptions(time_zone="America/New_York"))
    assert _by_day(zoned, "US-CA")[date(2025, 3, 4)] == D("120.00")


def test_payouts_and_fees_are_left_out_and_listed_with_their_category():
    ledger = read_sales([str(FIXTURE)])
    assert [(p.line, p.reason) for p in ledger.left_out] == [(5, "not a sale (reporting_category fee)"),
                                                             (7, "not a sale (reporting_category payout)")]
    assert ledger.summary()["rows_read"] == 15 and ledger.summary()["rows_used"] == 13


def test_a_dispute_without_an_address_is_placed_where_its_charge_was_even_when_the_charge_comes_later(tmp_path):
    data = _rows()
    # The Shanghai charge (line 8) moved after its dispute (line 9), as a report sorted newest first would have it.
    data[7], data[8] = data[8], data[7]
    ledger = read_sales([_write(tmp_path, data)])
    assert _by_day(ledger, "CN") == {date(2025, 4, 1): D("60.00"), date(2025, 4, 15): D("-60.00")}


def test_a_dispute_whose_charge_is_not_in_the_file_is_an_error_naming_the_row(tmp_path):
    data = [row for row in _rows() if row[0] != "txn_3QB0007"]  # the dispute's charge left out of the period
    with pytest.raises(InputError, match=r"Itemized_balance_change_from_activity_USD.csv:8: column "
                                         r"'shipping_address_country' value '': is empty, and the charge "
                                         r"'ch_3QB0007' this dispute belongs to is not in the file"):
        read_sales([_write(tmp_path, data)])


def test_a_dispute_without_an_address_in_a_report_without_charge_id_says_to_choose_it(tmp_path):
    with pytest.raises(InputError, match=r"USD.csv:9: column 'shipping_address_country' value '': is empty, and the "
                                         r"row has no charge_id to find the charge this dispute belongs to"):
        read_sales([_write(tmp_path, _without(_rows(), "charge_id"))])


def test_a_charge_without_any_address_is_an_error_naming_the_row(tmp_path):
    data = _rows()
    data[2] = [("" if name.startswith("card_address") else value) for name, value in zip(data[0], data[2])]
    with pytest.raises(InputError, match=r"USD.csv:3: column 'shipping_address_country' value '': is empty: "
                                         r"nexus needs the country"):
        read_sales([_write(tmp_path, data)])


def test_a_reporting_category_stripe_does_not_list_is_an_error_not_a_guess(tmp_path):
    data = _rows()
    data[1][data[0].index("reporting_category")] = "charge_adjustment"
    with pytest.raises(InputError, match=r"USD.csv:2: column 'reporting_category' value 'charge_adjustment': is not "
                                         r"a reporting category Stripe lists"):
        read_sales([_write(tmp_path, data)])


def test_the_report_without_address_columns_says_which_columns_to_choose(tmp_path):
    """The itemized report's address columns are in the download only when chosen: without them nexus cannot place
    a sale, and says which report and columns to download, naming the file."""
    path = _write(tmp_path, _without(_rows(), "shipping_address", "card_address", "customer_shipping_address",
                                     "customer_address"))
    with pytest.raises(MissingColumns, match=r"USD.csv:1: looks like a Stripe itemized balance report but has no "
                                             r"address column .* download it again \(Balance summary > Balance change "
                                             r"from activity > Itemized, or the Reports API's columns\) with the "
                                             r"columns shipping_address_country, shipping_address_state, "
                                             r"card_address_country and card_address_state chosen; columns found: "
                                             r"balance_transaction_id, created_utc"):
        read_sales([path])
    result = CliRunner().invoke(cli, ["check", "--sales", path, "--as-of", "2025-12-31"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:1: looks like a Stripe itemized balance report but has no "
                                    f"address column")


def test_a_country_column_without_its_state_column_is_refused(tmp_path):
    data = _without(_rows(), "card_address_state")
    with pytest.raises(MissingColumns, match=r"has 'card_address_country' without 'card_address_state'"):
        read_sales([_write(tmp_path, data)])


def test_the_balances_export_is_recognised_and_refused_for_want_of_an_address(tmp_path):
    """Balances > Export writes the balance transactions with no customer address: refused with the report to
    download instead, not read as nexus's own layout."""
    path = _write(tmp_path, [
        ["id", "Type", "Source", "Amount", "Fee", "Net", "Currency", "Created (UTC)", "Available On (UTC)",
         "Description"],
        ["txn_1", "charge", "ch_1", "120.00", "3.78", "116.22", "usd", "2025-09-01 14:03", "2025-09-03 00:00",
         "Order 1"]], name="balance_history.csv")
    with pytest.raises(InputError, match=r"balance_history.csv:1: looks like Stripe's balance transactions export "
                                         r"\(Balances > Export\), which has no customer address"):
        read_sales([path])


def test_the_sale_reaches_the_json_with_its_layout_and_no_undated_refund():
    files = [arg for f in ("stripe-balance-itemized.csv", "stripe-balance-itemized-late.csv")
             for arg in ("--sales", str(HERE / f))]
    result = CliRunner().invoke(cli, ["check", *files, "--as-of", "2025-12-31", "--category", "goods",
                                      "--rates", str(HERE.parent.parent / "spreadsheets" / "eurofxref-hist.csv"),
                                      "--format", "json", "--engine", "python"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert {f["layout"] for f in data["summary"]["files"]} == {"stripe-balance"}
    assert all(f["undated_refunds"] == [] for f in data["findings"])
    assert [(r["line"], r["reason"]) for r in data["summary"]["left_out_rows"]] == [
        (5, "not a sale (reporting_category fee)"), (7, "not a sale (reporting_category payout)"),
        (6, "not a sale (reporting_category payout)")]


def test_a_charge_in_the_payments_export_too_is_a_migration_overlap_counted_once(tmp_path):
    """The payments export and the balance report of one account both hold each charge (``ch_...``): with the same
    day (the report run in UTC), amount, currency and place, the second copy is counted once, and said."""
    balance = _rows()[:2]
    gone = balance[0].index("created")
    balance = [row[:gone] + row[gone + 1:] for row in balance]  # created_utc 2025-03-05 01:30:00
    with open(HERE / "stripe-payments.csv", encoding="utf-8", newline="") as handle:
        payments = list(csv.reader(handle))
    header, row = payments[0], list(payments[1])  # 120.00 usd, card address Fresno, CA
    row[header.index("id")], row[header.index("Created (UTC)")] = "ch_3QB0001", "2025-03-05 01:30:00"
    ledger = read_sales([_write(tmp_path, [header, row], "unified_payments.csv"), _write(tmp_path, balance)])
    assert ledger.summary()["migration_overlaps"] == 1 and ledger.summary()["rows_used"] == 1
    assert _by_day(ledger, "US-CA") == {date(2025, 3, 5): D("120.00")}
