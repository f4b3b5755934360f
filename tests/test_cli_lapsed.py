"""Past windows under rules no longer in force in every output of `nexus check`: the screen, the JSON, the workbook,
the memo, and the accrual booked from the JSON. The figures, worked by hand: a German seller's goods into Sweden in
2020 passed SEK 320,000 on 2020-09-01; SEK 200,000 of goods sold there since, 25% VAT: SEK 50,000, at SEK 10 and
USD 1.25 to the euro USD 6,250.00."""
import csv
import html
import io
import json
import re
import textwrap
from datetime import date, timedelta
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nexus import accrual
from nexus.chart import read_chart
from nexus.cli import cli

ORDERS = """\
    order_id,date,ship_to_country,amount,currency,category
    1,2020-03-02,SE,200000,SEK,goods
    2,2020-09-01,SE,150000,SEK,goods
    3,2020-11-02,SE,50000,SEK,goods
    """


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lapsed")
    (folder / "orders.csv").write_text(textwrap.dedent(ORDERS), encoding="utf-8")
    rows = "".join(f"{date(2020, 1, 1) + timedelta(days=i)},10.0,1.25,\n" for i in range(0, 3100, 3))
    (folder / "rates.csv").write_text("Date,SEK,USD,\n" + rows, encoding="utf-8")
    return folder


def run(files, *more, as_of="2026-06-30", orders="orders.csv"):
    args = ["check", "--sales", str(files / orders), "--rates", str(files / "rates.csv"), "--home", "DE",
            "--as-of", as_of, "--db", str(files / "store.sqlite3"), *more]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_the_screen_lists_the_past_window_apart_and_the_total_says_its_part(files):
    out = run(files).output
    assert "Past windows: potential exposure under a rule no longer in force (1 window; past tax only)" in out
    row = next(line for line in out.splitlines() if line.startswith("SE "))
    # Its tax can be assessed to the end of 2027: six years from the end of 2021, the tax year of June 2021's VAT.
    assert row.split() == ["SE", "Sweden", "2020-09-01", "to", "2021-06-30", "2021-07-01", "USD", "6,250.00", "open",
                           "to", "2027-12-31"]
    said = " ".join(out.split())
    assert ("Estimated tax not collected: USD 6,250.00 (range USD 6,250.00 to USD 6,250.00; of which USD 6,250.00 "
            "in 1 past window under rules no longer in force)") in said
    # Nothing grows a month: 'USD 0.00 more each month until registered' read as a registration still to make.
    # Sweden has no voluntary disclosure terms in nexus's data: the scenario's USD 6,250.00 is its tax alone.
    assert ("USD 6,250.00 through voluntary disclosure (the tax alone in 1 place with no programme terms nexus "
            "can apply); nothing more each month at the last 90 days' pace.") in said
    assert "Act now" not in out  # a past window is not a duty to register now


def test_before_the_rule_lapsed_the_same_sales_are_a_finding_and_no_past_window(files):
    out = run(files, as_of="2020-12-31").output
    assert "Past windows" not in out and "of which" not in out
    # the Sales column follows where the terminal has room for it (cells cut at a whole word leave it room at 80)
    assert re.search(r"^SE +Sweden.*overdue 121 d +USD 6,250\.00( +SEK 400,000\.00)?$", out, re.M)


def test_the_json_lists_the_past_window_and_its_estimate(files):
    found = json.loads(run(files, "--format", "json").stdout)
    past, = found["past_windows"]
    assert (past["jurisdiction"], past["scheme"], past["in_force_to"]) == (
        "SE", "distance selling (goods, before 2021-07)", "2021-06-30")
    window = (past["from"], past["to"], past["currency"], past["sales"])
    assert window == ("2020-09-01", "2021-06-30", "SEK", "200000.00")
    assert past["exposure"]["uncollected"]["central"] == "50000.00"
    assert past["exposure"]["reporting"]["central"] == "6250.00"
    # SFL 66 kap. 27 §: six years from the end of the tax year: 2020's periods to 2026-12-31, 2021's to 2027-12-31.
    assert past["limitation"].startswith("running on 2026-06-30: the window's tax can be assessed until 2026-12-31 "
                                         "for its first tax period and 2027-12-31 for its last")
    assert (past["limitation_status"], past["limitation_first_ends"], past["limitation_ends"]) == (
        "running", "2026-12-31", "2027-12-31")
    assert past["limitation_sources"][0].startswith("https://www4.skatteverket.se/")
    total = found["summary"]["exposure_total"]
    assert total["tax"]["central"] == "6250.00" and total["past"]["central"] == "6250.00"
    assert total["past_windows"] == 1
    assert not [f for f in found["findings"] if f["jurisdiction"] == "SE"]


def test_the_workbook_and_the_memo_show_it(files):
    run(files, "--workbook", str(files / "r.xlsx"), "--html", str(files / "m.html"))
    book = openpyxl.load_workbook(files / "r.xlsx")
    # a wrapped cell holding a date ends its lines with breaks (nexus.workbooks.sheet.unbroken): read as words
    summary = [[c.replace("\n", " ") if isinstance(c, str) else c for c in row if c is not None]
               for row in book["Summary"].iter_rows(values_only=True)]
    assert ["Past windows: 1 under rules no longer in force (past tax only)"] in summary
    row = next(r for r in summary if r and r[0] == "SE")
    assert row[3:] == ["2020-09-01 to 2021-06-30", row[4], 200000, 6250, "open to 2027-12-31"]
    assert row[4].date() == date(2021, 7, 1)
    assert ["Of which past windows under rules no longer in force (1)", 6250] in summary
    # The past window's estimate ends with its window (2021-06-30), not on the as-of date.
    said = " ".join(str(c) for r in summary for c in r)
    assert ("1 estimate from the day tax had to be collected to the as-of date, the end of a window that has "
            "ended,") in said
    exposure = [row for row in book["Exposure"].iter_rows(values_only=True) if row[0] == "SE"]
    assert [r[2] for r in exposure] == ["2020-09", "2020-11", "Total"]
    memo = " ".join(re.sub(r"<[^>]+>", " ", (files / "m.html").read_text(encoding="utf-8")).split())
    assert "Potential exposure also in 1 past window under rules no longer in force." in memo
    assert "Of which past windows USD 6,250.00 under rules no longer in force" in memo
    assert "it may still be owed while it can be assessed. Period of limitation: running on 2026-06-30" in memo
    assert "can be assessed until 2026-12-31 for its first tax period and 2027-12-31 for its last" in memo


def test_the_memo_does_not_say_sweden_has_no_sales_nor_that_nothing_was_estimated(files):
    # Read as a CFO reads it: the country map's Sweden said 'no sales in the data', the assumptions 'Tax at stake
    # is not estimated in this memo' beside the USD 6,250.00 at stake, and the unverified Swedish rate went unsaid.
    run(files, "--html", str(files / "m2.html"))
    memo = " ".join(re.sub(r"<[^>]+>", " ", (files / "m2.html").read_text(encoding="utf-8")).split())
    assert "Sweden (SE): no sales in the data" not in memo
    assert ("Sweden (SE): no finding under the rules in force on 2026-06-30; past window under a rule no longer in "
            "force, 2020-09-01 to 2021-06-30, estimated tax at stake USD 6,250.00 (past tax only)") in memo
    assert "Tax at stake is not estimated in this memo" not in memo
    assert "secondary sources only, are used for some or all of the period in: SE (past window)" in memo


def test_the_accrual_books_the_past_window_as_the_total_counts_it(files):
    document = json.loads(run(files, "--format", "json").stdout)
    chart = read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    found = accrual.accrue(document, chart, "base")
    credits = {line.account.name: line.credit for line in found.entry.lines if line.credit}
    assert credits == {"Accrued VAT exposure - Sweden (SE)": Decimal("6250.00")}
    assert found.check_total == Decimal("6250.00")


def test_the_csv_lists_the_past_window_apart_and_its_estimates_add_up_to_the_screens_total(files):
    # With SEK 150,000 of goods into Sweden on 2026-02-02 (EUR 15,000, past the EU's EUR 10,000 that day), Sweden's
    # current finding estimates EUR 3,750 (USD 4,687.50); with the past window's USD 6,250.00 the screen's total is
    # USD 10,937.50. Before, the CSV had the findings alone and no estimate at all.
    (files / "both.csv").write_text(textwrap.dedent(ORDERS) + "4,2026-02-02,SE,150000,SEK,goods\n", encoding="utf-8")
    said = " ".join(run(files, orders="both.csv").output.split())
    assert "Estimated tax not collected: USD 10,937.50 (range USD 10,937.50 to USD 10,937.50; of which USD 6,250.00 " \
           "in 1 past window under rules no longer in force)" in said
    rows = list(csv.DictReader(io.StringIO(run(files, "--format", "csv", orders="both.csv").stdout)))
    current = [r for r in rows if r["window"] == "current"]
    past = [r for r in rows if r["window"] == "past"]
    assert rows == current + past  # the findings first, then the past windows
    se = next(r for r in current if r["jurisdiction"] == "SE")
    assert (se["status"], se["nexus"], se["in_force_to"]) == ("exceeded", "economic", "")
    assert (se["est_tax_currency"], se["est_tax_central"], se["reporting_currency"],
            se["est_tax_reporting_central"]) == ("EUR", "3750.00", "USD", "4687.50")
    window, = past
    assert (window["jurisdiction"], window["scheme"], window["threshold"]) == (
        "SE", "distance selling (goods, before 2021-07)", "> SEK 320,000")
    assert (window["status"], window["nexus"], window["in_force_to"]) == ("", "", "2021-06-30")
    assert window["successor"] == "EU (union-wide threshold) (> EUR 10,000)"
    assert (window["period_start"], window["period_end"], window["sales"], window["currency"]) == (
        "2020-09-01", "2021-06-30", "200000.00", "SEK")
    assert (window["est_tax_currency"], window["est_tax_central"], window["est_tax_reporting_central"]) == (
        "SEK", "50000.00", "6250.00")
    assert window["reasons"].startswith("Potential exposure for a past window: Sweden's VAT")
    assert (window["limitation"], window["limitation_ends"]) == ("running", "2027-12-31")
    # The current finding's tax of February 2026: six years from the end of 2026 (SFL 66 kap. 27 §), as its JSON
    # says; the CSV's cells were empty for every finding.
    assert (se["limitation"], se["limitation_ends"]) == ("running", "2032-12-31")
    total = sum(Decimal(r["est_tax_reporting_central"]) for r in rows if r["est_tax_reporting_central"])
    assert total == Decimal("10937.50")


def test_checked_after_the_swedish_period_ran_the_window_says_so_and_stays_in_the_total(files):
    # As of 2028-03-01 the last day to assess June 2021's VAT, 2027-12-31, has passed: every output says the period
    # ran; the window stays listed and in the total, whose words say how much of it that is: nexus's data hold
    # neither the facts that would lengthen the period (a failure to notify, fraud) nor a waiver or an audit begun.
    out = run(files, as_of="2028-03-01").output
    row = next(line for line in out.splitlines() if line.startswith("SE "))
    assert row.split()[-2:] == ["ran", "2027-12-31"]
    said = " ".join(out.split())
    assert ("Estimated tax not collected: USD 6,250.00 (range USD 6,250.00 to USD 6,250.00; of which USD 6,250.00 in "
            "1 past window under rules no longer in force, USD 6,250.00 of it in 1 whose period of limitation has "
            "run, by nexus's data (no longer assessable unless a longer period applies: see each window))") in said
    report = json.loads(run(files, "--format", "json", as_of="2028-03-01").stdout)
    total = report["summary"]["exposure_total"]
    assert (total["past_limitation_run"]["central"], total["past_limitation_run_windows"]) == ("6250.00", 1)
    run(files, "--workbook", str(files / "ran.xlsx"), "--html", str(files / "ran.html"), as_of="2028-03-01")
    summary = [[c for c in row if c is not None]
               for row in openpyxl.load_workbook(files / "ran.xlsx")["Summary"].iter_rows(values_only=True)]
    assert ["Of those, windows whose period of limitation has run by nexus's data (1)", 6250] in summary
    memo = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", (files / "ran.html").read_text(encoding="utf-8"))).split())
    assert ("Of which past windows USD 6,250.00 under rules no longer in force; USD 6,250.00 of it in 1 whose period "
            "of limitation has run, by nexus's data (no longer assessable unless a longer period applies)") in memo
    past, = report["past_windows"]
    assert (past["limitation_status"], past["limitation_ends"]) == ("run", "2027-12-31")
    assert past["limitation"].startswith("run on 2028-03-01: the last day to assess the window's tax was 2027-12-31")
    assert "Period of limitation: run on 2028-03-01" in past["reasons"][0]


def test_a_south_dakota_2019_window_of_a_seller_that_never_filed_says_no_period_runs(tmp_path):
    # 200 sales into South Dakota on 2019-03-01 met its 200-transaction test (removed from 2023-07-01): a finding
    # with an ended window, not a past window. SDCL 10-59-16: no bar to assessment for a period with no return filed.
    rows = "".join(f"{i},2019-03-01,US,SD,10,USD,goods\n" for i in range(200))
    (tmp_path / "sd.csv").write_text("order_id,date,country,state,amount,currency,category\n" + rows,
                                     encoding="utf-8")
    args = ["check", "--sales", str(tmp_path / "sd.csv"), "--as-of", "2026-12-06", "--db", str(tmp_path / "s.db")]
    found = json.loads(CliRunner().invoke(cli, args + ["--format", "json"], catch_exceptions=False).stdout)
    sd, = [f for f in found["findings"] if f["jurisdiction"] == "US-SD"]
    assert found["past_windows"] == [] and sd["exposure"] is not None
    assert (sd["limitation_status"], sd["limitation_ends"]) == ("not running", None)
    assert sd["limitation"].startswith("not running: South Dakota has no bar to assessing tax of a period for which "
                                       "the seller neither registered nor filed a return (SDCL 10-59-16)")
    assert sd["limitation_sources"][0] == "https://sdlegislature.gov/Statutes/10-59"
    said = " ".join(CliRunner().invoke(cli, args + ["--verbose"], catch_exceptions=False).output.split())
    assert "Period of limitation: not running: South Dakota has no bar" in said
    # The CSV and the workbook said nothing of it for a finding: an empty cell where the JSON says no period runs.
    rows = csv.DictReader(io.StringIO(CliRunner().invoke(cli, args + ["--format", "csv"]).stdout))
    row, = [r for r in rows if r["jurisdiction"] == "US-SD"]
    assert (row["limitation"], row["limitation_ends"]) == ("not running", "")
    CliRunner().invoke(cli, args + ["--workbook", str(tmp_path / "sd.xlsx")], catch_exceptions=False)
    sheet = openpyxl.load_workbook(tmp_path / "sd.xlsx")["Findings"]
    head = [c.value for c in sheet[1]]
    line, = [dict(zip(head, r)) for r in sheet.iter_rows(min_row=2, values_only=True) if r[0] == "US-SD"]
    assert line["Period of limitation"] == sd["limitation"]
