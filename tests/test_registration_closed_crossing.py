"""A permit closed before a later crossing covers none of it: the company must register again from the new crossing,
and every output reads so, never 'registered'.

Georgia (current or previous calendar year, more than USD 100,000; collection from the next sale after the one that
met the test): the permit was held from 2021-03-01 and closed on 2023-06-30. USD 150,000 sold on 2025-03-10 meets the
test again, USD 1,000 follows on 2025-09-10; as of 2025-12-31.

Worked by hand: tax due from 2025-03-10 (the crossing day itself: daily totals cannot order a day's sales), no permit
held then, so register now, 296 days overdue (21 days of March, 275 from April to December). At stake: 150,000 at
7.42% (the January 2025 rates, to June) = 11,130.00 and 1,000 at 7.44% = 74.40, central 11,204.40; low, at the 4%
state rate without the crossing day's sales, 40.00; high 11,130.00 + 1,000 at 9% = 11,220.00.
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
    GA-1,2025-03-10 12:00:00-05:00,A Buyer,US,GA,TEA,goods,direct,sale,no,USD,150000.00
    GA-2,2025-09-10 12:00:00-05:00,B Buyer,US,GA,TEA,goods,direct,sale,no,USD,1000.00
    """
PERMITS = """\
    jurisdiction,registered_on,collecting_from,id,note,closed_on
    US-GA,2021-03-01,,GA-7001,,2023-06-30
    """
AGAIN = ("Register again in US-GA (permit regs.csv:2, number ...7001, closed on 2023-06-30): a permit closed before a "
         "later duty does not cover it.")


def test_a_crossing_after_a_closed_permit_reads_register_again_on_screen_json_and_workbook(write, tmp_path):
    regs = str(tmp_path / "regs.csv")
    data = json.loads(check_with_permits(write, ORDERS, PERMITS, "2025-12-31", "--format", "json"))
    ga = next(f for f in data["findings"] if f["jurisdiction"] == "US-GA")
    assert (ga["nexus"], ga["action"], ga["collect_from"], ga["register_by"], ga["overdue_days"], ga["registration"],
            ga["gap"]) == ("economic", "register-now", "2025-03-10", "2025-03-10", 296, None, None)
    e = ga["exposure"]
    assert (e["from"], e["to"], e["taxable_sales"]) == ("2025-03-10", "2025-12-31", "151000.00")
    assert (e["uncollected"]["low"], e["uncollected"]["central"], e["uncollected"]["high"]) == (
        "40.00", "11204.40", "11220.00")
    assert (f"The permit held earlier ({regs}:2, number ...7001, registered on 2021-03-01) was closed on 2023-06-30, "
            f"before this duty began (tax due from 2025-03-10): it does not cover it; the crossing after it is a new "
            f"obligation, dated as for a seller never registered there.") in ga["reasons"]
    assert data["summary"]["registrations_without_exposure"] == []
    again = data["summary"]["register_again"]
    assert [(a["jurisdiction"], a["action"], a["closed_permit"]["closed_on"], a["closed_permit"]["line"])
            for a in again] == [("US-GA", "register-now", "2023-06-30", 2)]
    screen = flat(check_with_permits(write, ORDERS, PERMITS, "2025-12-31"), regs)
    assert "US-GA Georgia sales test 2025-03-10 overdue 296 d USD 11,204.40" in screen
    assert AGAIN in screen and "Registered and collecting" not in screen
    book = tmp_path / "report.xlsx"
    check_with_permits(write, ORDERS, PERMITS, "2025-12-31", "--workbook", str(book))
    workbook = openpyxl.load_workbook(book)
    rows = list(workbook["Findings"].iter_rows(values_only=True))
    names = next(r for r in rows if r[0] == "Code")
    row = dict(zip(names, next(r for r in rows if r[0] == "US-GA")))
    assert (row["Action"], row["Registered on"], row["Act by"]) == ("register-now", None, "overdue 296 d")
    summary = flat(" ".join(str(c) for r in workbook["Summary"].iter_rows(values_only=True) for c in r if c), regs)
    assert AGAIN in summary and "Registered and collecting" not in summary
    # the memo's table of deadlines says it beside the overdue deadline
    memo = tmp_path / "memo.html"
    check_with_permits(write, ORDERS, PERMITS, "2025-12-31", "--html", str(memo))
    page = flat(unescape(re.sub(r"<[^>]+>", " ", memo.read_text(encoding="utf-8"))), regs)
    assert ("2025-03-10 Georgia (US-GA) register by overdue for 9 months; register again: the permit (regs.csv:2, "
            "number ...7001) was closed on 2023-06-30") in page


def test_a_permit_still_held_is_not_said_to_need_registering_again(write, tmp_path):
    """The same permit with no closing date collects on 2025-03-10: registered, nothing to register again."""
    orders = write("orders.csv", ORDERS)
    regs = write("regs.csv", PERMITS.replace("2023-06-30", ""))
    screen = CliRunner().invoke(cli, ["check", "--sales", orders, "--registrations", regs, "--as-of", "2025-12-31",
                                      "--home", "US-OR"], catch_exceptions=False).stdout
    assert "Register again" not in screen and "Registered and collecting: US-GA." in " ".join(screen.split())
    data = json.loads(CliRunner().invoke(cli, ["check", "--sales", orders, "--registrations", regs, "--as-of",
                                               "2025-12-31", "--home", "US-OR", "--format", "json"],
                                         catch_exceptions=False).stdout)
    assert data["summary"]["register_again"] == []


EARLIER = """\
    Order ID,Created At,Customer Name,Ship Country,Ship State,SKU,Category,Channel,Type,Tax Exempt,Currency,Amount
    GA-1,2021-02-01 12:00:00-05:00,A Buyer,US,GA,TEA,goods,direct,sale,no,USD,150000.00
    GA-2,2022-03-01 12:00:00-05:00,B Buyer,US,GA,TEA,goods,direct,sale,no,USD,1000.00
    GA-3,2022-09-01 12:00:00-05:00,C Buyer,US,GA,TEA,goods,direct,sale,no,USD,1000.00
    GA-4,2025-03-10 12:00:00-05:00,D Buyer,US,GA,TEA,goods,direct,sale,no,USD,150000.00
    """


def test_a_permit_closed_while_an_earlier_window_went_on_says_the_days_after_it_are_at_stake(write, tmp_path):
    """Georgia: USD 150,000 on 2021-02-01 gives nexus to 2022-12-31 (2021's sales, current or previous year); the
    permit collected from 2021-03-01 and was closed on 2022-06-30, while that nexus went on; 2025-03-10's USD 150,000
    is a new crossing. The USD 1,000 of 2022-03-01 was collected under the permit; the USD 1,000 of 2022-09-01 was
    not, and is in the estimate (the 2022-09 month), beside February 2021 (before the permit collected) and 2025. The
    finding said only that the permit was closed 'before this duty began', which leaves 2022-09's tax unexplained;
    it now says the days after the closing, to the end of that nexus, were not collected under it."""
    orders = write("orders.csv", EARLIER)
    regs = write("regs.csv", PERMITS.replace("2023-06-30", "2022-06-30"))
    run = CliRunner().invoke(cli, ["check", "--sales", orders, "--registrations", regs, "--as-of", "2025-12-31",
                                   "--home", "US-OR", "--format", "json"], catch_exceptions=False)
    ga = next(f for f in json.loads(run.stdout)["findings"] if f["jurisdiction"] == "US-GA")
    assert ga["action"] == "register-now" and ga["registration"] is None
    assert [m["month"] for m in ga["exposure"]["months"]] == ["2021-02", "2022-09", "2025-03"]
    said = next(r for r in ga["reasons"] if r.startswith("The permit held earlier"))
    assert said.endswith(" It was closed while the nexus of 2021-02-01 to 2022-12-31 went on: 2022-07-01 to "
                         "2022-12-31 was not collected under it and is at stake.")


def test_a_permit_closed_before_its_window_ended_leaves_the_days_after_it_at_stake(write, tmp_path):
    """The same Georgia orders as of 2024-06-30, before the 2025 crossing: every window has ended, and the permit
    (collecting from 2021-03-01, closed on 2022-06-30) is the registration of 2021's window, which ran to 2022-12-31.
    A permit covers the days it was held, no later ones: 2022-07-01 to 2022-12-31 was owed and not collected, so the
    USD 1,000 of 2022-09-01 is at stake at 4% (the state rate; the table has no average local rate for that half-year):
    40.00, beside February 2021's 150,000 at 7.32% (4% + 3.32%) = 10,980.00, whose low end leaves out the crossing day.
    Before, the estimate stopped on 2021-02-28, the day before the permit began collecting, as if it were never
    closed: USD 10,980.00, the sale of 2022-09-01 left out and nothing said."""
    orders = write("orders.csv", "".join(EARLIER.splitlines(keepends=True)[:4]))
    regs = write("regs.csv", PERMITS.replace("2023-06-30", "2022-06-30"))
    run = CliRunner().invoke(cli, ["check", "--sales", orders, "--registrations", regs, "--as-of", "2024-06-30",
                                   "--home", "US-OR", "--format", "json"], catch_exceptions=False)
    ga = next(f for f in json.loads(run.stdout)["findings"] if f["jurisdiction"] == "US-GA")
    assert (ga["nexus"], ga["registration"]["closed_on"]) == (None, "2022-06-30")
    e = ga["exposure"]
    assert (e["from"], e["to"], [m["month"] for m in e["months"]]) == (
        "2021-02-01", "2022-12-31", ["2021-02", "2022-09"])
    assert (e["uncollected"]["low"], e["uncollected"]["central"], e["uncollected"]["high"]) == (
        "40.00", "11020.00", "11020.00")
    said = next(r for r in ga["reasons"] if r.startswith("Registered on 2021-03-01"))
    assert said.endswith("It was closed while the nexus of 2021-02-01 to 2022-12-31 went on: 2022-07-01 to "
                         "2022-12-31 was not collected under it and is at stake.")
