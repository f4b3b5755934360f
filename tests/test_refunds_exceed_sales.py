"""A place whose refunds in the period exceed its sales has no tax at stake: its estimate, range and scenarios are
nothing, not a negative figure, and it lowers no other place's tax in the total.

The fixture, worked by hand with the bundled data as of 2025-07-31:

* Oklahoma: USD 150,000 on 2025-01-10 meets its USD 100,000 test (current or previous calendar year); tax is due from
  the first day of the next month, 2025-02-01, so that sale is before the period. A refund of USD 1,000 on 2025-03-05
  (of a January sale) is inside it: March's taxable sales are -1,000.00, at the state's 4.5% (low) and 4.5% + 4.5%
  average local (central; the January 2025 edition gives no highest combined rate, so high = central): tax -45.00,
  -90.00, -90.00. Its return shows nothing unpaid: no penalty or interest. The place: no tax at stake, 0.00 at every
  level, base 0.00, voluntary disclosure 0.00 (every month kept, the look-back not known), and it says why.
* Georgia: USD 150,000 on 2025-03-02 (the crossing sale; tax due from that day), 7.42% central (4% state): tax 0.00
  low (the duty starts with the sale after the one that met the test, so the low end leaves out the crossing day,
  whose only sale met it; 6,000.00 before 2026-12-07), 11,130.00 central and high; penalty 20% (four months or parts of a month late, 5% each) = 2,226.00; interest
  10.5% a year by the month, four months: 389.55. Base 13,745.55; voluntary disclosure (penalties waived) 11,519.55.

Total: USD 11,130.00 (range 0.00 to 11,130.00), base 13,745.55, voluntary disclosure 11,519.55: Georgia's alone.
Before, Oklahoma's -90.00 (range -45.00 to -90.00) was its estimate on the screen, in the JSON and the workbook, and
the total was 11,040.00 (range 5,955.00 to 11,040.00), base 13,655.55, voluntary disclosure 11,429.55: one place's
refunds of sales made before its period lowered another place's tax.
"""
import csv
import io
import json
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner
from openpyxl.utils import get_column_letter

from conftest import SAMPLES
from nexus import accrual
from nexus.chart import read_chart
from nexus.check import check
from nexus.cli import cli
from nexus.exposure_records import Range
from nexus.memo import assumptions, at_stake
from nexus.rules import load_rules
from nexus.sales import read_sales

D = Decimal
AS_OF = "2025-07-31"
ORDERS = ("order_id,date,country,region,amount,currency,category\n"
          "A-1,2025-01-10,US,OK,150000.00,USD,goods\n"
          "B-1,2025-03-02,US,GA,150000.00,USD,goods\n"
          "R-1,2025-03-05,US,OK,-1000.00,USD,goods\n")
NOTE = ("refunds in the period exceed its sales: no tax at stake; the refunds of sales made before the period are not "
        "a credit")
NOTHING = Range(D(0), D(0), D(0))


@pytest.fixture
def orders(write):
    return write("orders.csv", ORDERS)


def _result(path):
    return check(read_sales([path]), load_rules(), date(2025, 7, 31))


def _estimate(result, place):
    return next(f for f in result.findings if f.jurisdiction == place).exposure


def test_a_place_whose_refunds_exceed_its_sales_has_no_tax_at_stake(orders):
    result = _result(orders)
    e = _estimate(result, "US-OK")
    march, = e.months  # the month keeps its own figures: its refunds net against the place's other months
    assert (march.taxable_sales, march.tax) == (D("-1000"), Range(D("-45"), D("-90"), D("-90")))
    assert (march.penalty, march.interest) == (0, 0)  # nothing unpaid on its return: already never below zero
    assert e.tax == NOTHING and e.uncollected == NOTHING
    assert e.uncollected_note == NOTE
    assert any(a.startswith("Refunds in the period exceed its sales: no tax at stake, the estimate taken as zero, not "
                            "negative") for a in e.assumptions)
    base, vda = e.scenarios["base"], e.scenarios["vda"]
    assert (base.tax, base.total) == (NOTHING, 0) and (vda.tax, vda.total) == (NOTHING, 0)
    assert vda.note.endswith("; refunds in the months kept exceed their sales: no tax to disclose; the refunds of "
                             "sales made before them are not a credit")
    assert e.reporting == NOTHING
    georgia = _estimate(result, "US-GA")
    assert georgia.uncollected == Range(D("0"), D("11130"), D("11130")) and georgia.uncollected_note == ""


def test_one_places_refunds_lower_no_other_places_tax_in_the_total(orders):
    t = _result(orders).exposure_total
    assert t.tax == Range(D("0"), D("11130"), D("11130"))
    assert round(t.tax.central + t.penalty + t.interest, 2) == D("13745.55") and round(t.vda, 2) == D("11519.55")


def test_refunds_still_net_against_the_places_other_months_and_its_late_returns_keep_their_charges(write):
    """Oklahoma again, with USD 10,000 sold on 2025-02-10 (inside the period) and USD 20,000 refunded on 2025-03-05:
    February 450.00 low, 900.00 central and high; March -900.00, -1,800.00. Netted, -450.00 and -900.00: nothing at
    stake. February's return, due 2025-03-20 and 133 days late, keeps its charges (Oklahoma: 10% once after 15 days,
    90.00; 15% a year simple, 900 x 0.15 x 133 / 365 = 49.19): its tax was due and late, whatever March's refunds.
    Base and voluntary disclosure (every month kept, penalties and interest kept in full) 139.19. Before: -900.00
    of tax and a base of -760.81."""
    path = write("orders.csv", "order_id,date,country,region,amount,currency,category\n"
                               "A-1,2025-01-10,US,OK,150000.00,USD,goods\n"
                               "A-2,2025-02-10,US,OK,10000.00,USD,goods\n"
                               "R-1,2025-03-05,US,OK,-20000.00,USD,goods\n")
    e = _estimate(_result(path), "US-OK")
    february, march = e.months
    assert february.tax == Range(D("450"), D("900"), D("900"))
    assert march.tax == Range(D("-900"), D("-1800"), D("-1800"))
    assert e.uncollected == NOTHING and e.uncollected_note == NOTE
    assert (february.penalty, march.penalty, march.interest) == (D("90"), 0, 0)
    assert february.interest == D(900) * D("0.15") * 133 / 365
    assert round(e.scenarios["base"].total, 2) == D("139.19") and round(e.scenarios["vda"].total, 2) == D("139.19")


def _run(*args):
    run = CliRunner().invoke(cli, ["check", *args, "--as-of", AS_OF], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return run


def test_the_json_gives_nothing_at_stake_with_the_reason_and_keeps_the_month(orders):
    data = json.loads(_run("--sales", orders, "--format", "json").stdout)
    e = next(f for f in data["findings"] if f["jurisdiction"] == "US-OK")["exposure"]
    zero = {"low": "0.00", "central": "0.00", "high": "0.00"}
    assert (e["tax"], e["uncollected"], e["uncollected_note"]) == (zero, zero, NOTE)
    assert e["taxable_sales"] == "-1000.00"  # the sales are what they are: only the tax is taken no lower than zero
    assert [(s["tax"], s["total"]) for s in (e["scenarios"]["base"], e["scenarios"]["vda"])] == [(zero, "0.00")] * 2
    assert e["months"][0]["uncollected"] == {"low": "-45.00", "central": "-90.00", "high": "-90.00"}
    assert e["reporting"]["central"] == "0.00"
    georgia = next(f for f in data["findings"] if f["jurisdiction"] == "US-GA")["exposure"]
    assert georgia["uncollected_note"] is None
    total = data["summary"]["exposure_total"]
    assert total["tax"] == {"low": "0.00", "central": "11130.00", "high": "11130.00"}
    assert (total["base"], total["vda"]) == ("13745.55", "11519.55")


def test_the_csv_says_why_the_estimate_is_nothing(orders):
    rows = list(csv.DictReader(io.StringIO(_run("--sales", orders, "--format", "csv").stdout)))
    oklahoma = next(r for r in rows if r["jurisdiction"] == "US-OK")
    assert oklahoma["est_tax_central"] == "0.00" and NOTE in oklahoma["est_note"]


def test_the_accrual_books_nothing_for_the_place_and_says_why(orders):
    document = json.loads(_run("--sales", orders, "--format", "json").stdout)
    chart = read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    kept = ("refunds in the months kept exceed their sales: no tax to disclose; the refunds of sales made before them "
            "are not a credit")
    for scenario, why in (("base", NOTE), ("vda", kept)):
        found = accrual.accrue(document, chart, scenario)
        assert ("US-OK", f"nothing to accrue: {why}") in found.left_out
        assert {line.account.name for line in found.entry.lines if line.credit} == {
            "Accrued sales tax exposure - Georgia (US-GA)"}
    debits = {line.account.name: line.debit for line in accrual.accrue(document, chart, "base").entry.lines
              if line.debit}
    assert debits == {"Tax exposure expense": D("11130.00"), "Tax interest and penalties": D("2615.55")}


def test_the_screen_shows_nothing_at_stake_and_a_total_of_the_other_place(orders):
    said = _run("--sales", orders).output
    oklahoma = next(line for line in said.splitlines() if line.startswith("US-OK"))
    assert "USD 0.00" in oklahoma and "-" not in oklahoma.split("overdue")[1]
    said = " ".join(said.split())
    assert ("Estimated tax not collected: USD 11,130.00 (range USD 0.00 to USD 11,130.00); USD 13,745.55 "
            "with") in said
    assert "USD 11,519.55 through voluntary disclosure" in said
    assert ("No tax at stake in US-OK: refunds in the period exceed the sales there, so its estimate is zero, not "
            "negative, and lowers no other place's tax; the refunds of sales made before the period are not a "
            "credit.") in said


def test_the_memo_says_why_the_place_has_nothing_at_stake(orders):
    result = _result(orders)
    oklahoma = next(f for f in result.findings if f.jurisdiction == "US-OK")
    assert (at_stake.exposure_of(oklahoma).words, at_stake.exposure_of(oklahoma).range) == ("USD 0.00", NOTE)
    assert any(a.startswith("No tax at stake in US-OK: refunds in the period exceed") for a in assumptions.assumptions(result))
    assert at_stake.total_of(result).words == "USD 11,130.00"


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    """The check's workbook, written once for the tests that read its formulas and LibreOffice's values of them."""
    folder = tmp_path_factory.mktemp("workbook")
    (folder / "orders.csv").write_text(ORDERS, encoding="utf-8")
    _run("--sales", str(folder / "orders.csv"), "--workbook", str(folder / "report.xlsx"))
    return folder / "report.xlsx"


def test_the_workbook_floors_the_places_sums_by_formula(workbook):
    path = workbook
    formulas, values = openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)
    sheet, stored = formulas["Exposure"], values["Exposure"]
    header = [c.value for c in sheet[3]]
    col = {name: header.index(name) + 1 for name in header if name}
    letter = {name: get_column_letter(i) for name, i in col.items()}
    month, total = sorted(r[0].row for r in sheet.iter_rows(min_row=4) if r[0].value == "US-OK")

    def cell(row, name):
        return sheet.cell(row, col[name]).value, D(str(stored.cell(row, col[name]).value))

    assert cell(month, "Uncollected central")[1] == D("-90")  # the month keeps its refunds
    for name in ("Tax low", "Tax central", "Tax high", "Uncollected low", "Uncollected central", "Uncollected high"):
        assert cell(total, name) == (f"=MAX(0,SUM({letter[name]}{month}:{letter[name]}{month}))", 0), name
    flag, left, penalty, interest = (letter[n] for n in ("In VDA look-back", "Uncollected central", "Penalty",
                                                         "Interest"))
    kept = [f'SUMIF({flag}{month}:{flag}{month},"yes",{c}{month}:{c}{month})' for c in (left, penalty, interest)]
    assert cell(total, "VDA") == (f"=MAX(0,{kept[0]})+{kept[1]}+{kept[2]}", 0)
    assert cell(total, "Base: tax, penalty, interest")[1] == 0 and cell(total, "Reporting central")[1] == 0
    assert sheet.cell(total, col["Notes"]).value == NOTE
    summary = {r[0]: [v for v in r[1:] if v is not None][0] for r in values["Summary"].iter_rows(values_only=True)
               if r[0] and any(v is not None for v in r[1:])}
    assert round(D(str(summary["Tax not collected (central)"])), 2) == D("11130.00")
    assert round(D(str(summary["Range: state rate only"])), 2) == D("0.00")
    assert round(D(str(summary["Through voluntary disclosure"])), 2) == D("11519.55")
    lines = [r[0] for r in values["Summary"].iter_rows(values_only=True) if isinstance(r[0], str)]
    assert any(line.startswith("No tax at stake in US-OK: refunds in the period exceed") for line in lines)
    findings = values["Findings"]
    names = [c.value for c in findings[next(r[0].row for r in findings.iter_rows() if r[0].value == "Code")]]
    row = next(r for r in findings.iter_rows(values_only=True) if r[0] == "US-OK")
    assert row[names.index("Est. tax central")] == 0 and row[names.index("Estimate note")] == NOTE


@pytest.mark.slow
def test_libreoffice_recomputes_the_floored_sums(workbook, tmp_path):
    """The workbook's formulas, their stored values taken out, recomputed by LibreOffice: every one to nexus's figure,
    Oklahoma's total row 0 and the Summary's tax not collected 11,130.00."""
    from test_workbook_exposure import assert_recomputed, recomputed_by_libreoffice, summary_figures

    path = workbook
    [computed] = recomputed_by_libreoffice([path], tmp_path)
    checked = assert_recomputed(openpyxl.load_workbook(path, data_only=True), openpyxl.load_workbook(path), computed,
                                ("Exposure", "Summary"))
    summary = summary_figures(computed)
    assert round(D(str(summary["Tax not collected (central)"])), 2) == D("11130.00")
    assert round(D(str(summary["Through voluntary disclosure"])), 2) == D("11519.55")
    assert checked > 40


def test_a_later_months_refund_of_an_earlier_sale_lowers_its_own_months_tax_not_the_earlier_returns(write):
    """Penalties and interest fall on each return's own tax due. Oklahoma's (data/penalties-interest.json: 68 O.S.
    217, "10% of the total tax due if not paid within 15 days after it is due", interest 1.25% a month on the tax not
    paid when due) are a period's: a refund made in March is deducted on March's return, and February's return, due
    2025-03-20, was due and late on February's sales whatever March's refunds.

    Oklahoma as above (tax due from 2025-02-01, 9% central): A-2 sells USD 10,000 on 2025-02-10 and is refunded USD
    4,000 on 2025-03-05 under its own order id (linked to its sale, a sale taxed here: netted on its own day); A-3
    sells USD 5,000 on 2025-03-12. By hand as of 2025-07-31: February 10,000 x 9% = 900.00, due 2025-03-20, 133 days
    late: penalty 90.00, interest 900 x 0.15 x 133 / 365 = 49.19; March (5,000 - 4,000) x 9% = 90.00, due
    2025-04-20, 102 days late: penalty 9.00, interest 90 x 0.15 x 102 / 365 = 3.77. Tax 990.00, penalties 99.00,
    interest 52.96. Netting the refund against February's tax instead (the sale's month) would give February 540.00
    (penalty 54.00, interest 29.52) and March 450.00 (45.00, 18.86): the same tax, penalties 99.00 and interest 48.38.
    """
    path = write("orders.csv", "order_id,date,country,region,amount,currency,category,kind\n"
                               "A-1,2025-01-10,US,OK,150000.00,USD,goods,sale\n"
                               "A-2,2025-02-10,US,OK,10000.00,USD,goods,sale\n"
                               "A-2,2025-03-05,US,OK,-4000.00,USD,goods,refund\n"
                               "A-3,2025-03-12,US,OK,5000.00,USD,goods,sale\n")
    ledger = read_sales([path])
    assert any(day == date(2025, 3, 5) for links in ledger.refund_links.values() for day in links)  # linked
    e = _estimate(check(ledger, load_rules(), date(2025, 7, 31)), "US-OK")
    february, march = e.months
    assert (february.tax.central, march.tax.central) == (D("900"), D("90"))
    assert (february.penalty, march.penalty) == (D("90"), D("9"))
    assert (round(february.interest, 2), round(march.interest, 2)) == (D("49.19"), D("3.77"))
    assert february.interest == D(900) * D("0.15") * 133 / 365 and march.interest == D(90) * D("0.15") * 102 / 365
    assert (e.uncollected.central, round(e.penalty, 2), round(e.interest, 2)) == (D("990"), D("99"), D("52.96"))
    assert e.refunds_tax.central == 0  # linked to a sale taxed here: netted, and nothing said to be understated
