"""A controller's reading of `nexus check` on small hand-made inputs whose right answers are worked out by hand."""
import json

import openpyxl
from click.testing import CliRunner

from conftest import SAMPLES
from nexus.cli import cli

HEADER = ("Order ID,Created At,Customer Name,Ship Country,Ship State,SKU,Category,Channel,Type,Tax Exempt,Currency,"
          "Amount")
RATES = str(SAMPLES / "eurofxref-hist.csv")


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def below_everywhere(write):
    """A seller under every threshold: USD 1,200 + 450 to Texas, USD 800.50 to California, USD 310.25 to New York."""
    return write("orders.csv", f"""\
        {HEADER}
        A-1,2025-02-03,Ann,US,TX,TEA,goods,direct,sale,no,USD,1200.00
        A-2,2025-03-04,Bob,US,CA,TEA,goods,direct,sale,no,USD,800.50
        A-3,2025-05-06,Cy,US,NY,TEA,goods,direct,sale,no,USD,310.25
        A-5,2026-01-09,Ed,US,TX,TEA,goods,direct,sale,no,USD,450.00
        """)


def test_a_seller_with_no_nexus_anywhere_is_told_so_on_screen(write):
    """Before, the screen of a seller under every threshold had no Act now and no word on it: only 'Other
    jurisdictions: 3 below 80%', leaving the reader to infer that nothing is at stake. The memo says it in a
    sentence; the screen now says the same."""
    out = run("check", "--sales", below_everywhere(write), "--as-of", "2026-06-30")
    assert out.exit_code == 0
    said = " ".join(out.stdout.split())
    assert ("No potential tax exposure found as of 2026-06-30: no sales test is met and no presence creates nexus."
            in said)
    assert "Act now" not in said


def test_a_seller_with_no_nexus_gets_no_act_now_count_of_zero_nor_an_empty_timeline(write, tmp_path):
    """Before, the workbook's Summary headed 'Act now: potential exposure in 0 jurisdictions, most urgent first', and
    a Timeline sheet printed its header row alone under 'No registration deadline has passed without a registration.'
    Now Act now says 'none' and the sheet is left out where no date is to be shown."""
    book = tmp_path / "r.xlsx"
    out = run("check", "--sales", below_everywhere(write), "--as-of", "2026-06-30", "--workbook", str(book))
    assert out.exit_code == 0
    wb = openpyxl.load_workbook(book)
    summary = [c for row in wb["Summary"].iter_rows(values_only=True) for c in row if isinstance(c, str)]
    assert "Act now: none" in summary
    assert not any("in 0 jurisdictions" in c for c in summary)
    assert "Timeline" not in wb.sheetnames


def test_each_currency_converted_counts_the_days_of_its_own_rates_once(write):
    """23 days of yen sales to Florida read 'days: 46' in the JSON: each day counted once for the yen's rate and again
    for the dollar's, both under JPY. By hand: JPY on 2 days (2026-02-03, 2026-03-04), CNY on 1 (2026-02-16, a
    Monday), each rate from the ECB file, counted once."""
    orders = write("orders.csv", f"""\
        {HEADER}
        S-1,2026-01-15,Al,US,SD,TEA,goods,direct,sale,no,USD,100000.01
        S-2,2026-02-03,Al,US,SD,TEA,goods,direct,sale,no,JPY,1000001
        S-3,2026-03-04,Al,US,SD,TEA,goods,direct,sale,no,JPY,2000
        S-4,2026-02-16,Al,US,SD,TEA,goods,direct,sale,no,CNY,12345.67
        """)
    out = run("check", "--sales", orders, "--rates", RATES, "--as-of", "2026-06-30", "--format", "json")
    finding = next(f for f in json.loads(out.stdout)["findings"] if f["jurisdiction"] == "US-SD")
    assert [(c["currency"], c["to"], c["first_rate"], c["last_rate"], c["days"]) for c in finding["conversions"]] == [
        ("CNY", "USD", "2026-02-16", "2026-02-16", 1), ("JPY", "USD", "2026-02-03", "2026-03-04", 2)]


def test_a_penalty_not_estimated_says_why_beside_its_empty_cell_on_findings(write, tmp_path):
    """Ohio (the data has no penalty figures for it): the Findings sheet's Est. penalty and Est. interest cells were
    empty and its Estimate note too, so an empty cell read as nothing due. The JSON's penalty_note and interest_note
    now stand in the Estimate note beside them."""
    orders = write("orders.csv", f"""\
        {HEADER}
        O-1,2025-03-03,Al,US,OH,TEA,goods,direct,sale,no,USD,100000.01
        O-2,2025-04-10,Al,US,OH,TEA,goods,direct,sale,no,USD,5000.00
        """)
    book = tmp_path / "r.xlsx"
    run("check", "--sales", orders, "--as-of", "2025-12-31", "--workbook", str(book))
    data = json.loads(run("check", "--sales", orders, "--as-of", "2025-12-31", "--format", "json").stdout)
    exposure = next(f for f in data["findings"] if f["jurisdiction"] == "US-OH")["exposure"]
    assert exposure["penalty"] is None and exposure["penalty_note"]
    findings = openpyxl.load_workbook(book)["Findings"]
    rows = list(findings.iter_rows(values_only=True))
    names = next(r for r in rows if r[0] == "Code")
    row = dict(zip(names, next(r for r in rows if r[0] == "US-OH")))
    assert row["Est. penalty"] is None
    assert exposure["penalty_note"] in row["Estimate note"]
    if exposure["interest"] is None:
        assert exposure["interest_note"] in row["Estimate note"]


def test_nexus_from_a_test_met_earlier_leads_with_potential_exposure(write):
    """Texas, USD 50,000 of marketplace sales a month through 2025: its test (>= USD 500,000 in the 12 whole months
    to a month end) is met at the end of October 2025, and nexus still holds on 2026-03-31, when the 12 months to
    March hold nine months (USD 450,000, 90%). The place was in Act now, overdue, but its first reason read 'Potential
    exposure approaching: ...'. Now it leads with the window that gives nexus."""
    rows = "\n".join(f"M-{m},2025-{m:02d}-10,A,US,TX,TEA,goods,marketplace,sale,no,USD,50000.00" for m in range(1, 13))
    orders = write("orders.csv", f"{HEADER}\n{rows}\n")
    data = json.loads(run("check", "--sales", orders, "--as-of", "2026-03-31", "--format", "json").stdout)
    texas = next(f for f in data["findings"] if f["jurisdiction"] == "US-TX")
    assert (texas["status"], texas["nexus"], texas["sales"]) == ("approaching", "economic", "450000.00")
    assert texas["reasons"][0] == (
        "Potential exposure: the sales test was met in 12 whole months 2024-11-01 to 2025-10-31 (nexus since "
        "2025-10-31), and nexus continues on 2026-03-31; the sales test measured today is approaching, and is not "
        "what gives it.")


def test_tax_that_may_be_owed_before_the_first_order_is_on_the_memos_first_page_and_the_summary(write, tmp_path):
    """A server in Ashburn from 2021-05-01 to 2024-06-30 and orders from 2026: Virginia's presence nexus lies before
    the first order, its tax unknown. The screen said 'Potential exposure before the first order, not estimated:
    US-VA (presence 2021-05-01 to 2024-06-30).'; the memo's first page and the workbook's Summary did not (the memo
    read 'Estimated tax at stake USD 0.00' and nothing else). Now both say it in the screen's words."""
    orders = write("orders.csv", f"""\
        {HEADER}
        V-1,2026-03-03,Al,US,VA,TEA,goods,direct,sale,no,USD,1000.00
        """)
    presence = write("presence.csv", """\
        kind,location,ownership,dedicated,function,since,until,note
        owned-server,"Ashburn, US-VA",owned,yes,core,2021-05-01,2024-06-30,Own rack (decommissioned)
        """)
    memo, book = tmp_path / "m.html", tmp_path / "r.xlsx"
    out = run("check", "--sales", orders, "--presence", presence, "--as-of", "2026-10-31", "--html", str(memo),
              "--workbook", str(book))
    said = "Potential exposure before the first order, not estimated: US-VA (presence 2021-05-01 to 2024-06-30)."
    assert said in " ".join(out.stdout.split())
    first_page = memo.read_text(encoding="utf-8").split("United States: nexus by state")[0]
    assert f"<dt>Before the first order</dt><dd>{said}</dd>" in first_page
    summary = " ".join(c for row in openpyxl.load_workbook(book)["Summary"].iter_rows(values_only=True) for c in row
                       if isinstance(c, str))  # a long line is wrapped over rows
    assert said in summary


def test_a_deadline_on_the_as_of_date_is_due_today_in_the_memo_not_overdue(write, tmp_path):
    """South Dakota's test (> USD 100,000 in the current or previous calendar year) met on the as-of day itself by
    USD 90,000.00 + 10,000.01: the screen said 'due today' and the JSON 'overdue_days: 0', but the memo's headline
    said '1 registration is overdue' (and so left out 'Overdue registrations: none'). The day after the as-of date,
    nothing shows: the sale made that day is not counted."""
    orders = write("orders.csv", f"""\
        {HEADER}
        S-1,2026-01-10,A,US,SD,TEA,goods,direct,sale,no,USD,90000.00
        S-2,2026-03-15 23:59:00-05:00,B,US,SD,TEA,goods,direct,sale,no,USD,10000.01
        """)
    memo = tmp_path / "m.html"
    out = run("check", "--sales", orders, "--as-of", "2026-03-15", "--html", str(memo))
    assert "due today" in out.stdout
    text = memo.read_text(encoding="utf-8")
    headline = text.split('<div class="headline" id="headline">')[1].split("</div>")[0]
    assert "Potential tax exposure in 1 jurisdiction as of 2026-03-15.</p>" in headline
    assert "<dt>Overdue registrations</dt><dd>none</dd>" in headline
    assert "overdue" not in headline.replace("Overdue registrations", "").replace('class="overdue"', "")
    assert "register now, the deadline is today" in headline
    # The workbook's Timeline says it in words, as the screen does, where it showed the action's code 'register-now'.
    book = tmp_path / "r.xlsx"
    run("check", "--sales", orders, "--as-of", "2026-03-15", "--workbook", str(book))
    timeline = [[c.value for c in row] for row in openpyxl.load_workbook(book)["Timeline"].iter_rows()]
    deadline = next(row for row in timeline if "register by" in row)
    assert "due today: register now" in deadline and "register-now" not in deadline
    before = json.loads(run("check", "--sales", orders, "--as-of", "2026-03-14", "--format", "json").stdout)
    sd = next(f for f in before["findings"] if f["jurisdiction"] == "US-SD")
    assert (sd["status"], sd["nexus"], sd["sales"]) == ("approaching", None, "90000.00")


def test_tax_not_estimated_before_the_orders_is_said_on_the_summary(write, tmp_path):
    """An employee in Texas from 2024-02-01, orders from 2025, as of 2024-06-30: every day tax was due lies before the
    first order. The screen said 'Estimated tax not collected: not estimated: ...' and the memo the same; the
    workbook's Summary had no money line at all, as if nothing were at stake. Now it says it in the same words."""
    orders = write("orders.csv", f"""\
        {HEADER}
        T-1,2025-03-03,Al,US,TX,TEA,goods,direct,sale,no,USD,1000.00
        """)
    presence = write("presence.csv", """\
        kind,location,ownership,dedicated,function,since,until,note
        employee,US-TX,,,core,2024-02-01,,Works from home in Austin
        """)
    book = tmp_path / "r.xlsx"
    out = run("check", "--sales", orders, "--presence", presence, "--as-of", "2024-06-30", "--workbook", str(book))
    said = ("Estimated tax not collected: not estimated: every day tax was due lies before the first order read, not "
            "covered by the data (supply the earlier orders).")
    assert said in " ".join(out.stdout.split())
    summary = " ".join(c for row in openpyxl.load_workbook(book)["Summary"].iter_rows(values_only=True) for c in row
                       if isinstance(c, str))
    assert said in summary


def test_an_estimate_of_zero_because_the_marketplace_collects_says_why(write):
    """Texas, marketplace sales only: USD 50,000 a month through 2025 meet its test (which counts them) at the end of
    October, collection is due from 2026-02-01, and February's and March's USD 100,000 are the marketplace's to
    collect under Texas's facilitator law (2019-10-01). The estimate, rightly USD 0.00 beside USD 600,000 of sales,
    gave no reason but 'No tax charged is in the orders'. Now its assumptions say which sales the marketplace
    collects on, and under which law."""
    rows = [f"M-{m},2025-{m:02d}-10,A,US,TX,TEA,goods,marketplace,sale,no,USD,50000.00" for m in range(1, 13)]
    rows += [f"X-{m},2026-{m:02d}-10,A,US,TX,TEA,goods,marketplace,sale,no,USD,50000.00" for m in range(1, 4)]
    orders = write("orders.csv", HEADER + "\n" + "\n".join(rows) + "\n")
    data = json.loads(run("check", "--sales", orders, "--as-of", "2026-03-31", "--format", "json").stdout)
    texas = next(f for f in data["findings"] if f["jurisdiction"] == "US-TX")
    assert (texas["nexus"], texas["collect_from"]) == ("economic", "2026-02-01")
    assert texas["exposure"]["uncollected"]["central"] == "0.00"
    assert ("Marketplace sales of USD 100,000.00 in the days estimated are left out: the marketplace collects the tax "
            "on them under US-TX's marketplace-facilitator law (from 2019-10-01).") in texas["exposure"]["assumptions"]
