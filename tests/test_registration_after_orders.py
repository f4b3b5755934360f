"""A permit taken out after the orders end: tax was at stake from the day it had to be collected to the day before the
permit collected, and the orders hold the sales of only part of those days. The estimate counts the sales the file
holds; the days after the last order are not covered by the data (unknown, not zero), and every output says so.

Georgia (current or previous calendar year, more than USD 100,000; collection from the next sale after the one that
met the test): USD 100,000.01 on 2025-02-01 (the test met), USD 1,000 on 2025-06-01 and USD 1,000 on 2025-09-10, the
last order of the file. The permit is registered and collects from 2026-02-01; as of 2026-06-30.

Worked by hand: tax was due from 2025-02-01; the permit collects from 2026-02-01, so 2025-02-01 to 2026-01-31 (365
days) was not collected on. The file's sales in those days are 102,000.01: at the central rate (7.42% to June 2025,
7.44% from July, data/tax-rates.json) 7,420.00 + 74.20 + 74.40 = 7,568.60. 2025-09-11 to 2026-01-31 lies after the
last order: its sales are not in the file, and not estimated.
"""
import json
import re
from html import unescape

import openpyxl
from click.testing import CliRunner

from conftest import check_with_permits, flat
from nexus.cli import cli

ORDERS = """\
    Order ID,Created At,Customer Name,Ship Country,Ship State,SKU,Category,Channel,Type,Tax Exempt,Currency,Amount
    GA-1,2025-02-01 12:00:00-05:00,A Buyer,US,GA,TEA,goods,direct,sale,no,USD,100000.01
    GA-2,2025-06-01 12:00:00-05:00,B Buyer,US,GA,TEA,goods,direct,sale,no,USD,1000.00
    GA-3,2025-09-10 12:00:00-05:00,C Buyer,US,GA,TEA,goods,direct,sale,no,USD,1000.00
    """
PERMIT = """\
    jurisdiction,registered_on,collecting_from,id,note
    US-GA,2026-02-01,,GA-1234567,
    """
SAID = ("The orders end on 2025-09-10: the sales of 2025-09-11 to 2026-01-31, before the permit collected from "
        "2026-02-01, are not covered by the data and not estimated (supply the later orders); the tax at stake "
        "from 2025-02-01 is estimated on the sales to 2025-09-10 only.")
SHORT = "2025-09-11 to 2026-01-31, before the permit collected, is after the last order (2025-09-10): not estimated"


def test_a_permit_taken_after_the_last_order_leaves_the_days_after_it_said_not_covered(write, tmp_path):
    regs = str(tmp_path / "regs.csv")
    data = json.loads(check_with_permits(write, ORDERS, PERMIT, "2026-06-30", "--format", "json"))
    ga = next(f for f in data["findings"] if f["jurisdiction"] == "US-GA")
    assert (ga["action"], ga["gap"]) == ("registered", {"from": "2025-02-01", "to": "2026-01-31", "days": 365})
    e = ga["exposure"]
    assert (e["from"], e["to"], e["taxable_sales"], e["uncollected"]["central"]) == (
        "2025-02-01", "2026-01-31", "102000.01", "7568.60")
    assert SAID in [flat(a, regs) for a in e["assumptions"]]
    # the screen says it under the total, once
    screen = flat(check_with_permits(write, ORDERS, PERMIT, "2026-06-30"), regs)
    assert f"US-GA: {SAID}" in screen and screen.count("The orders end on 2025-09-10") == 1
    # the workbook: the Findings sheet's Estimate note and the Assumptions sheet
    book = tmp_path / "report.xlsx"
    check_with_permits(write, ORDERS, PERMIT, "2026-06-30", "--workbook", str(book))
    rows = list(openpyxl.load_workbook(book)["Findings"].iter_rows(values_only=True))
    names = next(r for r in rows if r[0] == "Code")
    row = dict(zip(names, next(r for r in rows if r[0] == "US-GA")))
    assert SHORT in row["Estimate note"]
    notes = [flat(" ".join(str(c) for c in r if c), regs)
             for r in openpyxl.load_workbook(book)["Assumptions"].iter_rows(values_only=True)]
    assert any(SAID in n for n in notes)
    # the memo, beside the figure
    memo = tmp_path / "memo.html"
    check_with_permits(write, ORDERS, PERMIT, "2026-06-30", "--html", str(memo))
    page = flat(unescape(re.sub(r"<[^>]+>", " ", memo.read_text(encoding="utf-8"))), regs)
    assert f"US-GA: {SAID}" in page


def test_orders_that_run_past_the_permit_leave_nothing_to_say(write, tmp_path):
    """A sale after the permit collected (2026-03-01): the orders cover the whole gap, and nothing is said."""
    orders = write("orders.csv", ORDERS + "    GA-4,2026-03-01 12:00:00-05:00,D Buyer,US,GA,TEA,goods,direct,sale,no,"
                                          "USD,1000.00\n")
    run = CliRunner().invoke(cli, ["check", "--sales", orders, "--registrations", write("regs.csv", PERMIT),
                                   "--as-of", "2026-06-30", "--home", "US-OR", "--format", "json"],
                             catch_exceptions=False)
    e = next(f for f in json.loads(run.stdout)["findings"] if f["jurisdiction"] == "US-GA")["exposure"]
    assert e["uncollected"]["central"] == "7568.60"
    assert not [a for a in e["assumptions"] if "The orders end on" in a]


def test_the_days_are_said_only_where_a_permit_ends_them_after_the_last_order():
    """nexus.days_due.after_orders on spans worked by hand: a span ending the day before a permit collected
    (2026-02-01) past the last order (2025-09-10) is said from 2025-09-11; one ending on the as-of date or a window's
    end is not a permit's; a span wholly after the last order is said whole, with nothing estimated before it."""
    from datetime import date

    from nexus.days_due import after_orders
    from nexus.exposure_records import Span

    gap = Span(date(2025, 2, 1), date(2026, 1, 31))
    [said] = after_orders([gap], date(2025, 9, 10), date(2026, 2, 1))
    assert (said.start, said.end, said.due_from) == (date(2025, 9, 11), date(2026, 1, 31), date(2025, 2, 1))
    assert after_orders([gap], date(2025, 9, 10), None) == ()  # the span ends on the as-of date or a window's end
    assert after_orders([gap], date(2026, 1, 31), date(2026, 2, 1)) == ()  # the orders run to the permit
    # a closed permit's successor, collecting from 2025-08-01: the span before it lies after the last order
    [late] = after_orders([Span(date(2025, 5, 1), date(2025, 7, 31))], date(2025, 3, 31), None,
                          [(date(2021, 1, 1), date(2023, 6, 30)), (date(2025, 8, 1), None)])
    assert late.words() == ("The orders end on 2025-03-31: the sales of 2025-05-01 to 2025-07-31, before the permit "
                            "collected from 2025-08-01, are not covered by the data and not estimated (supply the "
                            "later orders).")
