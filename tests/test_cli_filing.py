"""`nexus check --registrations` with a ``filing`` column: a bad frequency stops the run (exit 2) naming file, line and
column; a registration filing quarterly has its estimate worked by quarterly returns, shown in the JSON and the
workbook."""
from __future__ import annotations

import json

from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import SAMPLES
from nexus.cli import cli

RATES = str(SAMPLES / "eurofxref-hist.csv")
ORDERS = ("order_id,date,country,region,amount,currency,category,channel\n"
          "P1,2025-01-15,US,PA,10000.00,USD,goods,direct\n")


def run_check(tmp_path, orders: str, registrations: str, home: str, *more: str):
    """``nexus check`` as of 2025-08-31 with ``home``, the ``orders`` and the ``registrations`` file written (a
    terminal 100 wide); the result and the registrations file's path, which messages name."""
    sales, regs = tmp_path / "orders.csv", tmp_path / "regs.csv"
    sales.write_text(orders)
    regs.write_text(registrations)
    return CliRunner().invoke(cli, ["check", "--sales", str(sales), "--rates", RATES, "--as-of", "2025-08-31",
                                    "--home", home, "--registrations", str(regs), "--db", str(tmp_path / "db"),
                                    *more], catch_exceptions=False, terminal_width=100), regs


def test_a_filing_frequency_not_known_stops_the_run_with_exit_2(tmp_path):
    out, regs = run_check(tmp_path, ORDERS, "jurisdiction,registered_on,collecting_from,id,note,filing\n"
                                            "US-PA,2025-01-02,2025-07-01,PA1234,,every 3 months\n", "US-PA")
    assert out.exit_code == 2
    assert out.output.strip().splitlines()[-1] == (
        f"Error: {regs}:2: column 'filing' value 'every 3 months': is not a filing frequency: write monthly, "
        f"quarterly or annual, or leave it empty for monthly returns assumed")


# --- A registration filing quarterly, with a gap in collection: the estimate by quarterly returns -----------------
#
# Pennsylvania as home; the permit registered on 2025-01-02 collects only from 2025-07-01 (filing: quarterly), so the
# sales of 2025-01-15 to 2025-06-30 are at stake, as of 2025-08-31. Rate 6% state + 0.34% average local = 6.34%
# central (data/tax-rates.json, H1 2025; no highest combined rate: high = central).
#   January  USD 10,000.00, tax charged 0.00     tax 634.00
#   February USD  5,000.00, tax charged 600.00   tax 317.00 (283.00 charged above it)
#   April    USD  8,000.00, tax charged 0.00     tax 507.20
#   August   USD  2,000.00, collected under the permit: not at stake
# Penalty (72 P.S. 7266(a)): 5% per month or fraction late, at most 25%. Interest: 7% a year, simple (2025).
#
# Monthly (no filing column): returns due on the 20th of the next month.
#   2025-01: 634.00 left; due 2025-02-20, 192 days late = 7 months -> 25% = 158.50; 634.00 x 7% x 192/365 = 23.35
#   2025-02: 317.00 - 600.00 charged -> 0.00 left (283.00 charged above, owed as collected): no penalty, no interest
#   2025-04: 507.20 left; due 2025-05-20, 103 days = 4 months -> 20% = 101.44; 507.20 x 7% x 103/365 = 10.02
#   left 1,141.20; penalty 259.94; interest 33.36 (23.345 + 10.019)
# Quarterly (72 P.S. 7217(a)(1): the 20th of the month after the quarter):
#   2025-Q1: 951.00 - 600.00 charged = 351.00 left; due 2025-04-20, 133 days = 5 months -> 25% = 87.75;
#            351.00 x 7% x 133/365 = 8.95
#   2025-Q2: 507.20 left; due 2025-07-20, 42 days = 2 months -> 10% = 50.72; 507.20 x 7% x 42/365 = 4.09
#   left 858.20; penalty 138.47; interest 13.04 (8.953 + 4.085)
QUARTER_ORDERS = ("order_id,date,country,region,amount,currency,category,channel,tax\n"
                  "P1,2025-01-15,US,PA,10000.00,USD,goods,direct,0\n"
                  "P2,2025-02-10,US,PA,5000.00,USD,goods,direct,600.00\n"
                  "P3,2025-04-20,US,PA,8000.00,USD,goods,direct,0\n"
                  "P4,2025-08-05,US,PA,2000.00,USD,goods,direct,120.00\n")


def pa_run(tmp_path, filing: str | None, *more: str):
    """``nexus check --home US-PA --format json`` as of 2025-08-31 with the permit row, its filing column ``filing``
    (None: a file without the column); the JSON's US-PA exposure."""
    header = "jurisdiction,registered_on,collecting_from,id,note" + (",filing" if filing is not None else "")
    out, regs = run_check(tmp_path, QUARTER_ORDERS, header + "\nUS-PA,2025-01-02,2025-07-01,PA1234,"
                          + (f",{filing}" if filing is not None else "") + "\n", "US-PA", "--format", "json", *more)
    assert out.exit_code == 0, out.output
    found = json.loads(out.output) if not more else None
    return (next(f for f in found["findings"] if f["jurisdiction"] == "US-PA")["exposure"] if found else None), regs


def returns(exposure):
    return [(m["month"], m["tax_collected"], m["uncollected"]["central"], m["due"], m["penalty"], m["interest"])
            for m in exposure["months"]]


def test_without_the_column_the_estimate_stays_by_monthly_returns_and_says_it_assumed_them(tmp_path):
    e, _ = pa_run(tmp_path, None)
    assert returns(e) == [("2025-01", "0.00", "634.00", "2025-02-20", "158.50", "23.35"),
                          ("2025-02", "600.00", "0.00", "2025-03-20", "0.00", "0.00"),
                          ("2025-04", "0.00", "507.20", "2025-05-20", "101.44", "10.02")]
    assert (e["uncollected"]["central"], e["penalty"], e["interest"]) == ("1141.20", "259.94", "33.36")
    assert e["charged_above_estimate"] == "283.00"
    assert e["filing"] == {"frequency": "monthly", "basis": "assumed", "registration": None}
    assert ("Returns assumed monthly (no registration row of the place gives a filing frequency, the registrations "
            "file's column filing): each month's tax due with its payment on the place's own day in nexus's data "
            "(given with each month; its statute among the penalties and interest sources), penalties charged per "
            "monthly return and interest run from each return's due date.") in e["assumptions"]


def test_a_registration_filing_quarterly_has_its_estimate_worked_by_quarterly_returns(tmp_path):
    e, regs = pa_run(tmp_path, "quarterly")
    assert returns(e) == [("2025-Q1", "600.00", "351.00", "2025-04-20", "87.75", "8.95"),
                          ("2025-Q2", "0.00", "507.20", "2025-07-20", "50.72", "4.09")]
    assert (e["uncollected"]["central"], e["penalty"], e["interest"]) == ("858.20", "138.47", "13.04")
    assert (e["penalty_note"], e["interest_note"], e["charged_above_estimate"]) == (None, None, "0.00")
    assert e["scenarios"]["base"]["total"] == "1009.71"  # 858.20 + 138.47 + 13.04
    assert e["filing"] == {"frequency": "quarterly", "basis": "registration", "registration": f"{regs}:2"}
    assert (f"Returns quarterly, as the registrations file's row {regs}:2 says: each quarter's tax on one return due "
            f"with its payment on the 20th of the month after the quarter (72 P.S. § 7217(a)(1), for periods from "
            f"2019-07), the tax charged in the quarter set against the whole quarter's tax, penalties charged per "
            f"return and interest run from each return's due date.") in e["assumptions"]
    assert not any("own month's tax" in a for a in e["assumptions"])


def test_the_workbook_names_the_quarters_and_the_frequency(tmp_path):
    book = tmp_path / "report.xlsx"
    _, regs = pa_run(tmp_path, "quarterly", "--workbook", str(book))
    wb = load_workbook(book)
    rows = [r for r in wb["Exposure"].iter_rows(values_only=True) if r[0] == "US-PA"]
    header = next(r for r in wb["Exposure"].iter_rows(values_only=True) if r[0] == "Code")
    at = {name: header.index(name) for name in ("Month", "Return due", "Penalty", "Interest")}
    found = [(r[at["Month"]], r[at["Return due"]].date().isoformat(), round(r[at["Penalty"]], 2),
              round(r[at["Interest"]], 2)) for r in rows if r[at["Month"]] != "Total"]
    assert found == [("2025-Q1", "2025-04-20", 87.75, 8.95), ("2025-Q2", "2025-07-20", 50.72, 4.09)]
    said = [r[2] for r in wb["Assumptions"].iter_rows(values_only=True) if r[0] == "Assumption"]
    assert any(s.startswith(f"Returns quarterly, as the registrations file's row {regs}:2 says") for s in said)


def test_a_frequency_whose_due_date_the_data_do_not_hold_is_not_estimated_and_says_why(tmp_path):
    # Pennsylvania's annual return: 72 P.S. 7217(a) as read gives quarterly and monthly returns only. The tax is
    # worked by the year (951.00 + 507.20 - 600.00 = 858.20), the penalty and interest not estimated.
    e, regs = pa_run(tmp_path, "annual")
    assert returns(e) == [("2025", "600.00", "858.20", None, None, None)]
    assert (e["penalty"], e["interest"]) == (None, None)
    assert e["penalty_note"] == (f"not estimated: nexus's data hold no due date for US-PA's annual return, which the "
                                 f"registrations file's row {regs}:2 gives: not estimated rather than a due date "
                                 f"assumed")
    assert e["interest_note"] == e["penalty_note"]


def test_the_period_of_limitation_counts_from_the_quarterly_returns_too(tmp_path):
    # Virginia as home with the same orders: six years from each return's due date (Va. Code 58.1-634), the first
    # quarter's return due 2025-04-20 (58.1-615(A)), where monthly filing assumed gave January's 2025-02-20.
    out, _regs = run_check(tmp_path, QUARTER_ORDERS.replace(",PA,", ",VA,"),
                           "jurisdiction,registered_on,collecting_from,id,note,filing\n"
                           "US-VA,2025-01-02,2025-07-01,VA1234,,quarterly\n", "US-VA", "--format", "json")
    va = next(f for f in json.loads(out.output)["findings"] if f["jurisdiction"] == "US-VA")
    assert (va["limitation_first_ends"], va["limitation_ends"]) == ("2031-04-20", "2031-07-20")
    assert "Counted from the quarterly returns the registration row gives (Va. Code 58.1-615(A))." in va["limitation"]
    assert [m["due"] for m in va["exposure"]["months"]] == ["2025-04-20", "2025-07-20"]


def test_the_screen_with_verbose_says_the_returns_the_registration_gives(tmp_path):
    out, regs = run_check(tmp_path, QUARTER_ORDERS, "jurisdiction,registered_on,collecting_from,id,note,filing\n"
                                                    "US-PA,2025-01-02,2025-07-01,PA1234,,quarterly\n", "US-PA", "-v")
    said = " ".join(out.output.split())
    assert (f"Returns quarterly, as the registrations file's row {regs}:2 says: each quarter's tax on one return due "
            f"with its payment on the 20th of the month after the quarter (72 P.S. § 7217(a)(1), for periods from "
            f"2019-07)") in said
    assert "Returns assumed monthly" not in said  # the assumption every estimate makes is not repeated on screen


def test_a_registration_filing_monthly_keeps_the_monthly_figures_and_says_it_is_the_rows(tmp_path):
    e, regs = pa_run(tmp_path, "Monthly")
    assert returns(e) == [("2025-01", "0.00", "634.00", "2025-02-20", "158.50", "23.35"),
                          ("2025-02", "600.00", "0.00", "2025-03-20", "0.00", "0.00"),
                          ("2025-04", "0.00", "507.20", "2025-05-20", "101.44", "10.02")]
    assert e["filing"] == {"frequency": "monthly", "basis": "registration", "registration": f"{regs}:2"}
    assert not any("assumed monthly" in a for a in e["assumptions"])
    assert ("Tax charged in the orders is set against its own month's tax only (the registration's monthly returns), "
            "taking it no lower than zero") in " ".join(e["assumptions"])
