"""Where a state's duty starts with the sale after the one that met its test, the range says that the crossing day's
sales may or may not be taxed: the low end leaves them out, the central and high figures keep them.

data/registration-timing.json, kind ``next_transaction``: South Dakota (SDCL 10-64-2: a seller meeting the criteria
"shall remit the sales tax ... as if the seller had a physical presence"), read with the Streamlined table's "Next
transaction". nexus works from daily totals and cannot tell the sale that met the test from the later ones that day.

Worked by hand, nexus's own layout (the header of spreadsheets/orders-2025.csv), as of 2025-06-30. South Dakota's
test is more than USD 100,000 in the current or previous calendar year; rates (January 2025 edition): state 4.2%
(low), 4.2% + 1.91% average local = 6.11% (central), no highest combined (high = central).

* SD-1 95,000 on 2025-01-10; on 2025-03-02 SD-2 8,000 (103,000: the test is met by it) and SD-3 2,000; SD-4 40,000 on
  2025-04-10.
* By the rule, tax is due on SD-3 and SD-4: 42,000 x 4.2% = 1,764.00 (state), 42,000 x 6.11% = 2,566.20.
* nexus: low 40,000 x 4.2% = 1,680.00 (the crossing day's 10,000 left out), central and high 50,000 x 6.11% =
  3,055.00. Before 2026-12-07 the low end kept the crossing day: 50,000 x 4.2% = 2,100.00, above the rule's 1,764.00.
"""
import csv
import io
import json
import re

import openpyxl
from click.testing import CliRunner

from nexus.cli import cli

AS_OF = "2025-06-30"
ORDERS = """\
    Order ID,Created At,Customer Name,Ship Country,Ship State,SKU,Category,Channel,Type,Tax Exempt,Currency,Amount
    SD-1,2025-01-10 10:00:00-06:00,A Buyer,US,SD,TEA,goods,direct,sale,no,USD,95000.00
    SD-2,2025-03-02 09:00:00-06:00,B Buyer,US,SD,TEA,goods,direct,sale,no,USD,8000.00
    SD-3,2025-03-02 15:00:00-06:00,C Buyer,US,SD,TEA,goods,direct,sale,no,USD,2000.00
    SD-4,2025-04-10 10:00:00-06:00,D Buyer,US,SD,TEA,goods,direct,sale,no,USD,40000.00
    """
NOTE = ("low end leaves out the USD 10,000.00 of sales on 2025-03-02, the day the threshold was crossed (USD 420.00 "
        "of tax at the low rate): tax is due from the sale after the one that crossed it, and that day's orders are "
        "not told apart; the central and high figures include the whole day")


def _check(*args, as_of=AS_OF):
    run = CliRunner().invoke(cli, ["check", *args, "--as-of", as_of], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return run.stdout


def test_the_low_end_leaves_out_the_crossing_day_in_a_next_transaction_state(write):
    data = json.loads(_check("--sales", write("orders.csv", ORDERS), "--format", "json"))
    e = next(f for f in data["findings"] if f["jurisdiction"] == "US-SD")["exposure"]
    assert e["from"] == "2025-03-02" and e["taxable_sales"] == "50000.00"
    assert e["uncollected"] == {"low": "1680.00", "central": "3055.00", "high": "3055.00"}  # low was 2,100.00
    assert e["crossing_day"] == {"days": ["2025-03-02"], "taxable_sales": "10000.00",
                                 "tax": {"low": "420.00", "central": "611.00", "high": "611.00"}, "note": NOTE}
    # The penalties and interest stay on the central figure. March's return is due on the 20th (SDCL 10-45-27.3),
    # Sunday 2025-04-20 moved to Monday the 21st (10-59-32): one day less of 12% on March's USD 611.00 than from
    # the 20th assumed before, 611 x 12% / 365 = 0.20 (47.21 then)
    assert (e["penalty"], e["interest"]) == ("305.50", "47.01")
    assert data["summary"]["exposure_total"]["tax"]["low"] == "1680.00"


def test_the_csv_workbook_and_memo_say_it_and_agree_to_the_cent(write, tmp_path):
    orders = write("orders.csv", ORDERS)
    workbook, memo = tmp_path / "r.xlsx", tmp_path / "m.html"
    rows = list(csv.DictReader(io.StringIO(_check("--sales", orders, "--format", "csv", "--workbook", str(workbook),
                                                  "--html", str(memo)))))
    sd = next(r for r in rows if r["jurisdiction"] == "US-SD")
    assert sd["est_note"].startswith(NOTE)
    book = openpyxl.load_workbook(workbook, data_only=True)
    findings = book["Findings"]
    header = [c.value for c in findings[1]]
    row = next(r for r in findings.iter_rows(values_only=True) if r[0] == "US-SD")
    cells = dict(zip(header, row))
    assert (cells["Est. tax low"], cells["Est. tax central"], cells["Est. tax high"]) == (1680, 3055, 3055)
    assert cells["Estimate note"].startswith(NOTE)
    exposure = [r for r in book["Exposure"].iter_rows(values_only=True) if r[0] == "US-SD"]
    march, april, total = exposure
    assert (march[5], march[9], march[10]) == (10000, 0, 611)  # the crossing month's low: its day left out
    assert march[-1].startswith("low leaves out the sales of 2025-03-02, the day the threshold was crossed")
    assert (april[9], total[9], total[10], total[11]) == (1680, 1680, 3055, 3055)
    assert NOTE in total[-1]
    text = " ".join(re.sub(r"<[^>]+>", " ", memo.read_text(encoding="utf-8")).split())
    assert "USD 1,680.00 to USD 3,055.00" in text
    assert ("The low end of the range leaves out the sales of the day the threshold was crossed in US-SD (USD "
            "10,000.00 on 2025-03-02)") in text


def test_a_duty_from_the_first_of_a_later_month_keeps_the_day_it_starts_whole(write):
    """Texas's duty starts on the first day of the fourth month after the month the test is found met (March 2025,
    measured at its end): 2025-07-01. No sale of that day met the test, so every sale of it is taxed at each level,
    and nothing is said."""
    orders = ORDERS.replace(",SD,", ",TX,").replace("95000.00", "495000.00").replace("2025-04-10", "2025-07-01")
    data = json.loads(_check("--sales", write("orders.csv", orders), "--format", "json", as_of="2025-07-31"))
    e = next(f for f in data["findings"] if f["jurisdiction"] == "US-TX")["exposure"]
    assert e["crossing_day"] is None and e["from"] == "2025-07-01"
    assert e["uncollected"]["low"] == "2500.00"  # 40,000 x 6.25%
