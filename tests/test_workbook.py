"""The workbook layer and the report workbook, read back cell by cell with openpyxl."""
import tracemalloc
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from conftest import SAMPLES
from nexus.check import check
from nexus.fx import load_rates
from nexus.report_workbook import write_check_workbook
from nexus.rules import load_rules
from nexus.sales import ReadOptions, read_sales
from nexus.workbook import Column, Formula, Sheet, clean_text, money_format, text_width, write_workbook


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    ledger = read_sales([str(SAMPLES / "orders-2025.csv"), str(SAMPLES / "orders-2026.csv")])
    result = check(ledger, load_rules(), date(2026, 10, 31), load_rates(str(SAMPLES / "eurofxref-hist.csv")))
    path = tmp_path_factory.mktemp("book") / "report.xlsx"
    write_check_workbook(result, str(path))
    return result, load_workbook(path)


def rows(ws):
    return list(ws.iter_rows(values_only=True))


def test_money_formats_follow_the_currency_minor_unit():
    assert money_format("USD") == '#,##0.00 "USD";[Red](#,##0.00) "USD"'
    assert money_format("JPY") == '#,##0 "JPY";[Red](#,##0) "JPY"'
    assert money_format("BHD") == '#,##0.000 "BHD";[Red](#,##0.000) "BHD"'


def test_layer_keeps_hostile_text_as_text_and_formulas_only_on_purpose(tmp_path):
    records = [{"name": "=HYPERLINK(\"http://evil.invalid\",\"x\")", "amount": Decimal("1234.5"), "ccy": "JPY"},
               {"name": "+SUM(A1:A9)", "amount": Decimal("1.2345"), "ccy": "BHD"},
               {"name": "@cmd|' /C calc'!A0", "amount": Decimal("-3.5"), "ccy": "USD"},
               {"name": "山田 太郎 ｻﾄｳ 王伟 김민준", "amount": Decimal("0"), "ccy": "USD"},
               {"name": "bell\x07tab\tok", "amount": None, "ccy": "USD"}]
    columns = [Column("Name", lambda r: r["name"]),
               Column("Amount", lambda r: r["amount"], "money", currency=lambda r: r["ccy"]),
               Column("Total", lambda r: Formula("=SUM(B2:B6)"), "money", currency=lambda r: "USD")]
    path = tmp_path / "layer.xlsx"
    write_workbook(str(path), [Sheet("Data", columns, records, table=True)], title="t")
    ws = load_workbook(path)["Data"]
    assert [c.value for c in ws[1]] == ["Name", "Amount", "Total"]
    names = [ws.cell(row=r, column=1) for r in range(2, 7)]
    assert [c.data_type for c in names] == ["s"] * 5
    assert names[0].value.startswith("=HYPERLINK") and names[1].value == "+SUM(A1:A9)"
    assert names[3].value == "山田 太郎 ｻﾄｳ 王伟 김민준"
    assert names[4].value == "bell\\x07tab\tok"
    assert ws["B2"].value == 1234.5 and ws["B2"].number_format == money_format("JPY")
    assert ws["B3"].number_format == money_format("BHD")
    assert ws["B6"].value is None
    assert ws["C2"].value == "=SUM(B2:B6)" and ws["C2"].data_type == "f"
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
    assert list(ws.tables) == ["Data"] and ws.tables["Data"].ref == "A1:C6"


def test_text_width_counts_double_width_characters():
    assert text_width("abc") == 3 and text_width("山田") == 4 and text_width("ｻﾄｳ") == 3
    assert clean_text("a\x00b") == "a\\x00b"


def test_report_sheets_and_properties(sample_book):
    result, book = sample_book
    assert book.sheetnames == ["Summary", "Findings", "Monthly", "Rules", "Rejected rows"]
    assert book.properties.creator.startswith("nexus ")
    assert book.properties.title == "Economic nexus report as of 2026-10-31"
    for ws in book:
        assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"


def test_summary_accounts_for_every_row_with_a_formula(sample_book):
    result, book = sample_book
    ws = book["Summary"]
    values = {row[0]: row[1] for row in rows(ws) if row[0]}
    assert values["As of"] == datetime(2026, 10, 31)
    assert values["Rows read"] == 31677 and values["Rows used"] == 29478 and values["Duplicate rows (counted once)"] == 2199
    formula_row = next(r for r in range(1, ws.max_row + 1) if ws.cell(row=r, column=1).value == "Every row accounted for")
    assert ws.cell(row=formula_row, column=2).value == (f"=B{formula_row - 6}=B{formula_row - 5}+B{formula_row - 4}"
                                                        f"+B{formula_row - 3}+B{formula_row - 2}+B{formula_row - 1}")
    assert ws.cell(row=formula_row - 6, column=1).value == "Rows read"
    assert values["Latest rate"] == datetime(2026, 10, 30)
    assert values["Seller established in"] == "not given (--home)" and values["FX policy"] == "daily"
    assert values["Jurisdictions exceeded"] == result.count("exceeded")
    chart = ws._charts[0]
    assert [s.tx.strRef.f for s in chart.series] == ["'Summary'!D1", "'Summary'!E1", "'Summary'!F1"]


def test_findings_sheet(sample_book):
    result, book = sample_book
    ws = book["Findings"]
    header = [c.value for c in ws[1]]
    assert header[:11] == ["Code", "Jurisdiction", "Status", "Tax", "Scheme", "Sales", "Transactions",
                           "Sales threshold", "Transactions threshold", "Test", "Ratio"]
    assert "Reasons" in header and "Source" in header and "Crossed on" in header and "Rates used" in header
    assert ws.max_row == len(result.findings) + 1
    florida = dict(zip(header, [c for c in ws[2]]))
    assert florida["Code"].value == "US-FL" and florida["Status"].value == "exceeded"
    assert florida["Sales"].value == 196172.66 and florida["Sales"].number_format == money_format("USD")
    assert florida["Crossed on"].value == datetime(2025, 7, 29) and florida["Crossed on"].number_format == "yyyy-mm-dd"
    assert florida["Ratio"].number_format == "0%"
    germany = next(dict(zip(header, row)) for row in ws.iter_rows(min_row=2) if row[0].value == "DE")
    assert germany["Sales"].number_format == money_format("EUR") and germany["Tax"].value == "VAT"
    assert germany["Rates used"].value is None  # sales in EUR need no conversion
    japan = next(dict(zip(header, row)) for row in ws.iter_rows(min_row=2) if row[0].value == "JP")
    assert japan["Sales"].number_format == money_format("JPY")
    assert florida["Source"].hyperlink.target == "https://flsenate.gov/Session/Bill/2021/50/BillText/c2/HTML"
    assert list(ws.tables) == ["Findings"]
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert {r.formula[0] for r in rules} >= {'$C2="exceeded"', '$C2="approaching"', '$C2="below"'}


def test_monthly_totals_are_formulas_that_add_up_to_the_finding(sample_book):
    result, book = sample_book
    ws = book["Monthly"]
    header = [c.value for c in ws[1]]
    assert header[:7] == ["Code", "Jurisdiction", "Period measured", "From", "To", "Sales counted", "Transactions"]
    florida = next(f for f in result.findings if f.jurisdiction == "US-FL")
    month_rows = [r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "US-FL"
                  and not str(ws.cell(row=r, column=3).value).startswith("Total")]
    total_row = next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == "US-FL"
                     and str(ws.cell(row=r, column=3).value).startswith("Total"))
    assert len(month_rows) == 12
    assert ws.cell(row=total_row, column=6).value == f"=SUM(F{month_rows[0]}:F{month_rows[-1]})"
    assert ws.cell(row=total_row, column=7).value == f"=SUM(G{month_rows[0]}:G{month_rows[-1]})"
    assert ws.cell(row=total_row, column=6).font.b
    summed = sum(Decimal(str(ws.cell(row=r, column=6).value)) for r in month_rows)
    assert abs(summed - florida.sales) < Decimal("0.01")
    assert sum(ws.cell(row=r, column=7).value for r in month_rows) == florida.transactions
    assert ws.cell(row=month_rows[0], column=4).value == datetime(2025, 1, 1)


def test_rules_sheet_links_every_source(sample_book):
    result, book = sample_book
    ws = book["Rules"]
    header = [c.value for c in ws[1]]
    assert ws.max_row - 1 == len({(f.rule.jurisdiction, f.rule.effective_from) for f in result.findings if f.rule})
    ny = next(row for row in ws.iter_rows(min_row=2) if row[0].value == "US-NY")
    cells = dict(zip(header, ny))
    assert cells["Combine"].value == "and" and cells["Effective from"].value == datetime(2018, 6, 21)
    assert cells["Source 1"].hyperlink.target.startswith("https://www.tax.ny.gov/")


def test_rejected_rows_keep_the_original_text(sample_book):
    result, book = sample_book
    ws = book["Rejected rows"]
    assert ws.max_row - 1 == len(result.ledger.skipped) + len(result.ledger.duplicates)
    hostile = [c for row in ws.iter_rows(min_row=2, min_col=7, max_col=7) for c in row if "=HYPERLINK" in c.value]
    assert hostile and all(c.data_type == "s" for c in hostile)
    assert any("山田" in c.value or "王伟" in c.value for row in ws.iter_rows(min_row=2, min_col=7, max_col=7)
               for c in row)


def test_skipped_rows_appear_with_their_reason(tmp_path, write):
    path = write("o.csv", "order_id,date,country,region,amount,currency,name\n1,2026-01-02,US,CO,oops,USD,=1+2\n")
    ledger = read_sales([path], ReadOptions(skip_bad_rows=True))
    out = tmp_path / "r.xlsx"
    write_check_workbook(check(ledger, load_rules(), date(2026, 2, 1)), str(out))
    ws = load_workbook(out)["Rejected rows"]
    assert [c.value for c in ws[2]] == [path, 2, "skipped", "amount", "oops", "is not an amount",
                                        "1,2026-01-02,US,CO,oops,USD,=1+2"]
    assert ws["B2"].data_type == "n"


def test_large_sheets_stream_without_holding_rows(tmp_path):
    def many():
        for i in range(10_000):
            yield (f"file-{i}.csv", i, "duplicate", "order_id", f"SO-{i}", "already read", "x" * 60)

    columns = [Column(h, lambda r, i=i: r[i], "integer" if i == 1 else "text")
               for i, h in enumerate(["File", "Line", "Problem", "Column", "Value", "Reason", "Text"])]
    tracemalloc.start()
    write_workbook(str(tmp_path / "big.xlsx"), [Sheet("Rows", columns, many())], title="big")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5 * 2**20, f"peak {peak / 2**20:.1f} MiB: rows are being held"
    assert sum(1 for _ in load_workbook(tmp_path / "big.xlsx", read_only=True)["Rows"].iter_rows()) == 10_001
