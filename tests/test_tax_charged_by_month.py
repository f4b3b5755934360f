"""Tax charged in one month does not pay another month's tax: each month (a filing period, returns being assumed
monthly) is its own tax less its own tax charged, never below nothing, and tax charged above a month's estimate is
said apart, owed as collected.

The fixture, worked by hand with Georgia's bundled data as of 2025-07-31 (the rates of docs/exposure.md's worked
example: to June, state 4% and central 7.42%, no highest combined rate, so high = central):

* March: USD 150,000 on 2025-03-02 (the sale that meets the USD 100,000 test; tax due from that day), USD 12,000
  of tax charged. Tax 6,000.00 low, 11,130.00 central and high. Left uncollected: none at any level; charged above
  the central estimate: 12,000 - 11,130 = 870.00.
* April: USD 1,000 on 2025-04-10, no tax charged. Tax 40.00 low, 74.20 central and high, all uncollected. Its
  return was due 2025-05-20, 72 days late on 2025-07-31: Georgia's 5% a month or part of one, three months, 15% of
  74.20 = 11.13; interest 10.5% a year by the month, three months: 74.20 x 0.105 / 12 x 3 = 1.94775.

Tax not collected: 40.00 low, 74.20 central, 74.20 high. Base: 74.20 + 11.13 + 1.94775 = 87.27775 (87.28). Voluntary
disclosure (look-back 36 months, penalties waived, interest not): 74.20 + 1.94775 = 76.14775 (76.15). The accrual
books 74.20 of tax and 13.07775 (13.08) of penalty and interest.

Before, the tax charged was set against the whole estimate: 11,204.20 - 12,000 left nothing at every level (USD 0.00
uncollected, a base of 13.08 of penalty and interest alone, a VDA of 1.95), March's 870.00 over-charge paying
April's 74.20.
"""
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
from nexus.cli import cli
from nexus.check import check
from nexus.exposure_records import Range
from nexus.rules import load_rules
from nexus.sales import read_sales

D = Decimal
AS_OF = "2025-07-31"
ORDERS = ("order_id,date,country,region,amount,currency,category,tax\n"
          "A-1,2025-03-02,US,GA,150000.00,USD,goods,12000.00\n"
          "A-2,2025-04-10,US,GA,1000.00,USD,goods,\n")


@pytest.fixture
def orders(write):
    return write("orders.csv", ORDERS)


def test_a_months_tax_charged_above_its_estimate_pays_no_other_months_tax(orders):
    result = check(read_sales([orders]), load_rules(), date(2025, 7, 31))
    e = next(f for f in result.findings if f.jurisdiction == "US-GA").exposure
    march, april = e.months
    assert (march.charged, march.uncollected, march.charged_above) == (D("12000"), _range("0", "0", "0"), D("870"))
    assert (april.charged, april.uncollected, april.charged_above) == (D("0"), _range("40", "74.20", "74.20"), D("0"))
    assert e.tax_collected == D("12000") and e.charged_above == D("870")
    # how the tax charged is read, said with the estimate
    assert any(a.startswith("Tax charged in the orders is set against its own month's tax only") for a in e.assumptions)
    assert e.uncollected == _range("40", "74.20", "74.20")
    assert (march.penalty, march.interest) == (0, 0)
    assert april.penalty == D("11.13") and april.interest == D("74.20") * D("0.105") / 12 * 3
    base, vda = e.scenarios["base"], e.scenarios["vda"]
    assert base.tax == e.uncollected and round(base.total, 2) == D("87.28")
    assert vda.tax == _range("40", "74.20", "74.20") and vda.penalty == 0 and round(vda.total, 2) == D("76.15")
    t = result.exposure_total
    assert t.tax == _range("40", "74.20", "74.20") and t.charged_above == D("870")
    assert t.charged_above_words() == "tax charged above the estimate: USD 870.00, owed as collected"


def test_without_a_tax_column_nothing_is_measured_above_the_estimate(write):
    plain = write("plain.csv", "date,country,region,amount,currency,category\n2025-03-02,US,GA,150000,USD,goods\n")
    result = check(read_sales([plain]), load_rules(), date(2025, 7, 31))
    e = next(f for f in result.findings if f.jurisdiction == "US-GA").exposure
    assert e.charged_above is None and e.months[0].charged_above is None and e.uncollected.central == D("11130")
    assert result.exposure_total.charged_above is None and result.exposure_total.charged_above_words() == ""


def _range(low, central, high):
    return Range(D(low), D(central), D(high))


def _json(orders, *more):
    run = CliRunner().invoke(cli, ["check", "--sales", orders, "--as-of", AS_OF, "--format", "json", *more],
                             catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)


def test_the_json_floors_each_month_and_says_the_tax_charged_above_apart(orders):
    data = _json(orders)
    e = next(f for f in data["findings"] if f["jurisdiction"] == "US-GA")["exposure"]
    assert e["tax_collected"] == "12000.00" and e["charged_above_estimate"] == "870.00"
    assert e["uncollected"] == {"low": "40.00", "central": "74.20", "high": "74.20"}
    assert [(m["month"], m["uncollected"]["central"], m["charged_above_estimate"]) for m in e["months"]] == [
        ("2025-03", "0.00", "870.00"), ("2025-04", "74.20", "0.00")]
    assert e["scenarios"]["base"]["total"] == "87.28" and e["scenarios"]["vda"]["total"] == "76.15"
    total = data["summary"]["exposure_total"]
    assert total["tax"] == {"low": "40.00", "central": "74.20", "high": "74.20"}
    assert total["base"] == "87.28" and total["vda"] == "76.15" and total["charged_above_estimate"] == "870.00"


def test_the_screen_says_the_tax_charged_above_the_estimate(orders):
    run = CliRunner().invoke(cli, ["check", "--sales", orders, "--as-of", AS_OF], catch_exceptions=False)
    said = " ".join(run.output.split())
    assert "Estimated tax not collected: USD 74.20 (range USD 40.00 to USD 74.20); USD 87.28 with" in said
    assert "tax charged above the estimate: USD 870.00, owed as collected." in said


def test_the_accrual_books_the_months_tax_left_uncollected(orders):
    found = accrual.accrue(_json(orders), read_chart(str(SAMPLES / "chart-of-accounts.csv")), "base")
    debits = {line.account.name: line.debit for line in found.entry.lines if line.debit}
    assert debits == {"Tax exposure expense": D("74.20"), "Tax interest and penalties": D("13.08")}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    """The check's workbook, written once for the tests that read its formulas and LibreOffice's values of them."""
    folder = tmp_path_factory.mktemp("workbook")
    (folder / "orders.csv").write_text(ORDERS, encoding="utf-8")
    run = CliRunner().invoke(cli, ["check", "--sales", str(folder / "orders.csv"), "--as-of", AS_OF, "--workbook",
                                   str(folder / "report.xlsx")], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return folder / "report.xlsx"


def test_the_workbook_floors_each_month_by_formula_and_adds_the_floored_months(workbook):
    path = workbook
    formulas, values = openpyxl.load_workbook(path)["Exposure"], openpyxl.load_workbook(path, data_only=True)
    header = [c.value for c in formulas[3]]
    col = {name: header.index(name) for name in ("Month", "Tax central", "Tax charged in the orders",
                                                 "Uncollected low", "Uncollected central", "Uncollected high",
                                                 "Charged above the estimate, owed as collected", "VDA")}
    letter = {name: get_column_letter(i + 1) for name, i in col.items()}
    lines = {r[0].row: r for r in formulas.iter_rows(min_row=4) if r[0].value == "US-GA"}
    march, april, total = sorted(lines)
    stored = values["Exposure"]

    def cell(row, name):
        return formulas.cell(row, col[name] + 1).value, D(str(stored.cell(row, col[name] + 1).value))

    tax, charged = letter["Tax central"], letter["Tax charged in the orders"]
    # the month's tax less its own tax charged, the charge taking it no lower than zero
    assert cell(march, "Uncollected central") == (f"=MAX(MIN(0,{tax}{march}),{tax}{march}-{charged}{march})", D("0"))
    assert cell(april, "Uncollected central") == (f"=MAX(MIN(0,{tax}{april}),{tax}{april}-{charged}{april})",
                                                  D("74.2"))
    assert cell(march, "Uncollected low")[1] == 0 and cell(april, "Uncollected low")[1] == D("40")
    above = letter["Charged above the estimate, owed as collected"]
    assert cell(march, "Charged above the estimate, owed as collected") == (
        f"=MAX(0,{charged}{march}-MAX(0,{tax}{march}))", D("870"))
    left = letter["Uncollected central"]
    assert cell(total, "Uncollected central") == (f"=MAX(0,SUM({left}{march}:{left}{april}))", D("74.2"))
    assert cell(total, "Uncollected high")[1] == D("74.2") and cell(total, "Uncollected low")[1] == D("40")
    summed = f"=SUM({above}{march}:{above}{april})"
    assert cell(total, "Charged above the estimate, owed as collected") == (summed, D("870"))
    assert round(cell(total, "VDA")[1], 2) == D("76.15")
    summary = {r[0]: [v for v in r[1:] if v is not None][0] for r in values["Summary"].iter_rows(values_only=True)
               if r[0] and any(v is not None for v in r[1:])}
    assert round(D(str(summary["Tax not collected (central)"])), 2) == D("74.20")
    assert round(D(str(summary["Tax charged above the estimate, owed as collected"])), 2) == D("870.00")


@pytest.mark.slow
def test_libreoffice_recomputes_the_floored_months_and_their_totals(workbook, tmp_path):
    """The workbook's formulas, their stored values taken out, recomputed by LibreOffice: every one to nexus's figure,
    the Summary's tax not collected 74.20 and its tax charged above the estimate 870.00."""
    from test_workbook_exposure import assert_recomputed, recomputed_by_libreoffice, summary_figures

    path = workbook
    [computed] = recomputed_by_libreoffice([path], tmp_path)
    checked = assert_recomputed(openpyxl.load_workbook(path, data_only=True), openpyxl.load_workbook(path), computed,
                                ("Exposure", "Summary"))
    summary = summary_figures(computed)
    assert round(D(str(summary["Tax not collected (central)"])), 2) == D("74.20")
    assert round(D(str(summary["Tax charged above the estimate, owed as collected"])), 2) == D("870.00")
    assert checked > 40
