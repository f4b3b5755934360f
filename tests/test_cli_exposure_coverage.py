"""The estimate where every day tax was due lies before the first order read: "not covered by the data", never 0."""
import json

from click.testing import CliRunner

from nexus.cli import cli

ORDERS = """\
    order_id,date,country,region,category,currency,amount
    A-1,2026-01-05,US,TX,goods,USD,1000.00
    A-2,2026-01-06,US,TX,goods,USD,500.00
    """
PRESENCE = """\
    kind,location,ownership,dedicated,function,since,until,note
    employee,US-TX,,,core,2025-03-01,,Works from home in Austin
    """


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def _no_rate_for_gbp(write):
    """Texas in USD and the UK in GBP, with rates that stop at 2026-01-05: as of 2026-03-31 (more than a week
    later) no rate converts the UK's GBP estimate to the USD total. Returns the check's arguments but --as-of."""
    orders = write("orders.csv", """\
        order_id,date,country,region,category,currency,amount
        T-1,2026-01-05,US,TX,goods,USD,2400.00
        G-1,2026-01-05,GB,,goods,GBP,1000.00
        """)
    presence = write("presence.csv", """\
        kind,location,ownership,dedicated,function,since,until,note
        employee,US-TX,,,core,2025-03-01,,Austin
        employee,GB,,,core,2025-03-01,,London
        """)
    rates = write("rates.csv", "Date,USD,GBP\n2026-01-05,1.10,0.85\n")
    return ["check", "--sales", orders, "--presence", presence, "--rates", rates]


def test_nexus_from_presence_before_the_first_order_is_not_covered_not_zero(write, tmp_path):
    """Before: as of 2025-12-31 (the orders start on 2026-01-05) the Act now row read 'USD 0.00' under Est. tax
    and the total 'Estimated tax not collected: USD 0.00 (range USD 0.00 to USD 0.00)': nothing at stake, where
    the orders simply do not reach the ten months of presence in Texas."""
    args = ["check", "--sales", write("orders.csv", ORDERS), "--presence", write("presence.csv", PRESENCE),
            "--as-of", "2025-12-31"]
    screen = run(*args)
    assert screen.exit_code == 0
    texas = next(line for line in screen.stdout.splitlines() if line.startswith("US-TX"))
    assert texas.split()[-4:] == ["not", "covered", "not", "covered"]  # Est. tax, then Sales
    assert "USD 0.00" not in screen.stdout
    assert ("Estimated tax not collected: not estimated: every day tax was due lies before the first order read, "
            "not covered by the data (supply the earlier orders).") in " ".join(screen.stdout.split())
    found = json.loads(run(*args, "--format", "json").stdout)
    tx = next(f for f in found["findings"] if f["jurisdiction"] == "US-TX")
    assert tx["nexus"] == "presence" and tx["exposure"] is None
    assert tx["exposure_note"] == ("not covered by the data: tax was due from 2025-03-01, before the first order "
                                   "on 2026-01-05 (supply the earlier orders)")
    assert found["summary"]["exposure_total"] is None
    memo = tmp_path / "memo.html"
    assert run(*args, "--html", str(memo)).exit_code == 0
    page = memo.read_text(encoding="utf-8")
    assert "USD 0.00" not in page and "every day tax was due lies before the first order read" in page


def test_days_after_the_first_order_are_still_estimated(write):
    """The same presence as of 2026-01-31: the orders cover January, so the estimate is made (and says which days
    it could not cover)."""
    args = ["check", "--sales", write("orders.csv", ORDERS), "--presence", write("presence.csv", PRESENCE),
            "--as-of", "2026-01-31", "--format", "json"]
    tx = next(f for f in json.loads(run(*args).stdout)["findings"] if f["jurisdiction"] == "US-TX")
    assert tx["exposure"] is not None and tx["exposure_note"] is None
    assert tx["exposure"]["from"] == "2026-01-05" and tx["exposure"]["taxable_sales"] == "1500.00"
    assert any("2025-03-01 to 2026-01-04 is not covered by the data" in a for a in tx["exposure"]["assumptions"])


def test_a_total_that_leaves_out_estimates_no_rate_converts_says_so_beside_the_figure(write, tmp_path):
    """Before: as of a day more than a week after the newest rate, the UK's estimate (in GBP) was left out of the
    USD total, and only a warning at the foot of the screen said so; the total line and the memo's headline showed
    'USD 196.80' as if it were everything at stake. Texas: USD 2,400 of goods at 6.25% (state), 8.20% (with the
    average local rate) and 8.25% (highest combined): USD 150.00, 196.80, 198.00; the UK (its test met from the
    first sale by a seller established elsewhere): 20% on GBP 1,000, GBP 200.00, not converted."""
    base = _no_rate_for_gbp(write)
    memo = tmp_path / "memo.html"
    args = base + ["--as-of", "2026-03-31"]
    screen = " ".join(run(*args, "--html", str(memo)).stdout.split())
    assert ("Estimated tax not collected: USD 196.80 (range USD 150.00 to USD 198.00; leaves out the estimate for GB, "
            "which no exchange rate converts to USD on 2026-03-31)") in screen
    found = json.loads(run(*args, "--format", "json").stdout)
    assert found["summary"]["exposure_total"]["left_out"] == ["GB"]
    page = " ".join(memo.read_text(encoding="utf-8").split())
    assert "leaves out the estimate for GB, which no exchange rate converts to USD on 2026-03-31" in page


def test_a_check_as_of_a_day_after_today_says_so_first(write):
    """Before: --as-of 2099-01-01 (a what-if, or a mistyped year) printed days overdue, penalties and interest
    reckoned to that day with nothing saying the day had not come."""
    args = ["check", "--sales", write("orders.csv", ORDERS), "--as-of", "2099-01-01", "--format", "json"]
    warnings = json.loads(run(*args).stdout)["warnings"]
    assert warnings[0].startswith("the as-of date 2099-01-01 is after today (")
    assert warnings[0].endswith("): days overdue, penalties and interest are reckoned to a day that has not come, "
                                "and the orders cannot hold the sales until then")


def test_a_check_as_of_today_or_before_says_nothing_of_it(write):
    args = ["check", "--sales", write("orders.csv", ORDERS), "--as-of", "2026-01-31", "--format", "json"]
    assert not any("after today" in w for w in json.loads(run(*args).stdout)["warnings"])


def test_the_workbook_says_what_its_total_leaves_out_for_want_of_a_rate(write, tmp_path):
    """Before: the screen, the JSON and the memo said the USD total left out the UK's estimate (GBP, no rate to USD
    on the as-of date), the workbook's Summary gave the same total with nothing beside it."""
    from openpyxl import load_workbook

    base = _no_rate_for_gbp(write)
    book = tmp_path / "report.xlsx"
    run(*base, "--as-of", "2026-03-31", "--workbook", str(book))
    sheets = load_workbook(book)
    summary = " ".join(str(c) for row in sheets["Summary"].iter_rows(values_only=True) for c in row if c is not None)
    assert ("The total leaves out the estimate for GB, which no exchange rate converts to USD on 2026-03-31: its "
            "estimate is on Findings in its own currency.") in " ".join(summary.split())
    cells = [str(c) for sheet in sheets.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
    assert any(c.endswith("not in the total, no rate to USD: GB") for c in cells)
