"""The workbook layer and the report workbook, read back cell by cell with openpyxl.

openpyxl does not evaluate formulas: read with ``data_only=True`` it gives the value stored with each
formula, which is what a viewer that does not recalculate shows.
"""
import re
import tracemalloc
import zipfile
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import SAMPLES, sample_ledger
from nexus import presence, row_account
from nexus.check import check
from nexus.cli import cli
from nexus.fx import load_rates
from nexus.money import minor_units
from nexus.rules import load_rules
from nexus.read_options import ReadOptions
from nexus.orders import RowProblem
from nexus.ledger import Ledger
from nexus.sales import read_sales
from nexus.workbooks import sheet as layer
from nexus.timing import most_urgent_first
from nexus.workbooks.report import NOT_COVERED, SUMMARY_ROWS, needs_action, rejected_notes, write_check_workbook
from nexus.workbooks.sheet import (Column, Field, Formula, Heading, Link, Page, Sheet, Table, clean_text,
                                   money_format, row_height, text_width, unbroken, wrap_lines, write_workbook)

PRINTED = ["Summary", "Chart", "Findings", "Timeline", "Presence", "Rules", "Assumptions"]
APPENDICES = ["Exposure", "Monthly detail", "Rejected rows", "Chart data"]


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The README's sample check (with presence), its workbook, read twice: formulas, and their stored values."""
    ledger = sample_ledger()
    on = date(2026, 10, 31)
    items = presence.assess(presence.read_presence(str(SAMPLES / "presence.csv")), on)
    result = check(ledger, load_rules(), on, load_rates(str(SAMPLES / "eurofxref-hist.csv")), presence=items)
    path = tmp_path_factory.mktemp("book") / "report.xlsx"
    write_check_workbook(result, str(path))
    return result, load_workbook(path), load_workbook(path, data_only=True), path


def rows(ws):
    return list(ws.iter_rows(values_only=True))


def header(ws, row=1):
    return [c.value for c in ws[row]]


def test_money_formats_follow_the_currency_minor_unit():
    assert money_format("USD") == '#,##0.00 "USD";[Red](#,##0.00) "USD"'
    assert money_format("JPY") == '#,##0 "JPY";[Red](#,##0) "JPY"'
    assert money_format("BHD") == '#,##0.000 "BHD";[Red](#,##0.000) "BHD"'


def test_layer_keeps_hostile_text_as_text_and_formulas_only_on_purpose(tmp_path):
    records = [{"name": "=HYPERLINK(\"http://evil.invalid\",\"x\")", "amount": Decimal("1234.5"), "ccy": "JPY"},
               {"name": "+SUM(A1:A9)", "amount": Decimal("1.2345"), "ccy": "BHD"},
               {"name": "@cmd|' /C calc'!A0", "amount": Decimal("-3.5"), "ccy": "USD"},
               {"name": "山田 太郎 ｻﾄｳ 王伟 김민준", "amount": Decimal("0"), "ccy": "USD"},
               {"name": "bell\x07tab\tok _x0041_", "amount": None, "ccy": "USD"}]
    columns = [Column("Name", lambda r: r["name"]),
               Column("Amount", lambda r: r["amount"], "money", currency=lambda r: r["ccy"]),
               Column("Total", lambda r: Formula("=SUM(B2:B6)", Decimal("1231.2345")), "money",
                      currency=lambda r: "USD"),
               Column("Unknown", lambda r: Formula("=B2*2"), "money", currency=lambda r: "USD")]
    path = tmp_path / "layer.xlsx"
    write_workbook(str(path), [Sheet("Data", columns, records, table=True)], title="t")
    ws = load_workbook(path)["Data"]
    assert header(ws) == ["Name", "Amount", "Total", "Unknown"]
    names = [ws.cell(row=r, column=1) for r in range(2, 7)]
    assert [c.data_type for c in names] == ["s"] * 5
    assert names[0].value.startswith("=HYPERLINK") and names[1].value == "+SUM(A1:A9)"
    assert names[3].value == "山田 太郎 ｻﾄｳ 王伟 김민준"
    assert names[4].value.startswith("bell\\x07tab\tok _x")
    assert ws["B2"].value == 1234.5 and ws["B2"].number_format == money_format("JPY")
    assert ws["B3"].number_format == money_format("BHD")
    assert ws["B6"].value is None
    assert ws["C2"].value == "=SUM(B2:B6)" and ws["C2"].data_type == "f"
    assert ws.freeze_panes == "A2" and ws.print_title_rows == "$1:$1"
    assert ws.auto_filter.ref == "A1:D6"
    stored = load_workbook(path, data_only=True)["Data"]
    assert stored["C2"].value == pytest.approx(1231.2345) and stored["C2"].number_format == money_format("USD")
    assert stored["D2"].value in (None, "")  # no value known: blank until recalculated, never a false 0
    with zipfile.ZipFile(path) as archive:  # Excel reads _xHHHH_ as a character: the text's own is escaped
        assert "bell\\x07tab\tok _x005F_x0041_" in archive.read("xl/worksheets/sheet1.xml").decode()


def test_text_width_counts_double_width_characters():
    assert text_width("abc") == 3 and text_width("山田") == 4 and text_width("ｻﾄｳ") == 3
    assert clean_text("a\x00b") == "a\\x00b"


def test_a_wrapped_cell_holding_a_date_ends_each_line_itself_so_no_date_is_broken_at_its_hyphen():
    """LibreOffice printed 'orders start on 2025-01-' above '01' (it may end a line after a date's hyphen): a wrapped
    cell with a date in it ends each of the layer's lines with a break, words and dates unchanged, lines no wider than
    the layer reckons the row's height by; text without a date, or with a word longer than a line, is left alone."""
    text = "Tax was due from 2024-02-01, but the orders start on 2025-01-01: days before are not covered by the data."
    held = unbroken(text, 20)  # 21 characters a line at 1.15 a digit
    assert held.replace("\n", " ") == text
    assert held.split("\n") == wrap_lines(text, 21) and all(len(line) <= 21 for line in held.split("\n"))
    assert "2024-02-01," in held.split("\n")[0] + " " + held.split("\n")[1] and "2025-01-01:" in held
    assert unbroken("no date here, only words that wrap", 10) == "no date here, only words that wrap"
    assert unbroken("2026-10-31 see https://example.org/a/very/long/path", 10) == (
        "2026-10-31 see https://example.org/a/very/long/path")
    # a place's code likewise: 'Nevada (US-' above 'NV)' on the provider workbook's Accounts sheet
    coded = "Accrued sales tax exposure - Nevada (US-NV) and Ontario (CA-ON)"
    assert unbroken(coded, 20) == "\n".join(wrap_lines(coded, 21)) != coded
    assert {"(US-NV)", "(CA-ON)"} <= {word for line in unbroken(coded, 20).split("\n") for word in line.split()}


def test_wrapping_breaks_at_spaces_and_cuts_only_words_longer_than_a_line():
    assert wrap_lines("the quick brown fox", 9) == ["the quick", "brown fox"]
    assert wrap_lines("see https://example.org/a/very/long/path", 12) == [
        "see", "https://exam", "ple.org/a/ve", "ry/long/path"]
    assert wrap_lines("山田太郎山田", 4) == ["山田", "太郎", "山田"]
    assert row_height([("short", 20)]) is None
    assert row_height([("word " * 40, 20)]) == layer.LINE_POINTS * 10 + 3  # 4 words a line at 21 characters
    assert row_height([("x" * 100_000, 10)]) == layer.MAX_ROW_POINTS


def test_excel_limits_cut_long_text_and_count_rows_left_out(tmp_path, monkeypatch):
    monkeypatch.setattr(layer, "MAX_ROWS", 6)  # a sheet as small as Excel's, scaled down: header + 4 + note
    long = "x" * 40_000
    columns = [Column("Row", lambda r: r, "integer"), Column("Original row", lambda r: long if r == 0 else "ok")]
    path = tmp_path / "limits.xlsx"
    write_workbook(str(path), [Sheet("Rows", columns, range(9))], title="t")
    ws = load_workbook(path)["Rows"]
    assert [ws.cell(row=r, column=1).value for r in range(2, 6)] == [0, 1, 2, 3]
    assert ws["A6"].value == "5 more rows not listed: Excel holds 6 rows a sheet" and ws.max_row == 6
    cut = ws["B2"].value
    assert len(cut) == layer.MAX_CELL_TEXT and cut.startswith("xxx")
    assert cut.endswith("[cut: Excel holds 32,767 characters a cell; the original has 40,000]")


def test_a_page_lays_out_fields_tables_and_formulas_with_their_values(tmp_path):
    page = Page("Summary", [Heading("Title"), "A paragraph that is long enough to wrap " * 6, None,
                            Field("Rows read", 10, "integer", key="read"), Field("Rows used", 9, "integer", key="used"),
                            Table([Column("Status", lambda r: r[0]), Column("Count", lambda r: r[1], "integer")],
                                  [("exceeded", 2), ("below", 1)], status="Status"),
                            Field("Every row accounted for", Formula('=IF({read}>={used},"Yes","No")', "Yes")),
                            Field("Checked", True)])
    path = tmp_path / "page.xlsx"
    write_workbook(str(path), [page], title="t", as_of=date(2026, 10, 31), paper="A4")
    ws = load_workbook(path)["Summary"]
    values = [row for row in rows(ws) if any(v is not None for v in row)]
    labels = {row[0]: next(v for v in row[1:] if v is not None) for row in values if row[0] and
              any(v is not None for v in row[1:])}
    assert labels["Rows read"] == 10 and labels["Checked"] == "Yes"
    formula_cell = next(c for row in ws.iter_rows() for c in row if c.data_type == "f")
    read_cell = next(row[0].row for row in ws.iter_rows() if row[0].value == "Rows read")
    used_cell = read_cell + 1
    letter = formula_cell.column_letter
    assert formula_cell.value == f'=IF({letter}{read_cell}>={letter}{used_cell},"Yes","No")'
    stored = load_workbook(path, data_only=True)["Summary"]
    assert stored[formula_cell.coordinate].value == "Yes"
    assert ws.auto_filter.ref is None and int(ws.page_setup.paperSize) == 9
    assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToHeight in (1, None)  # 1: the default
    assert "as of 2026-10-31" in ws.oddFooter.right.text


def test_report_sheets_print_rules(sample):
    result, book, _, path = sample
    assert book.sheetnames == PRINTED + APPENDICES
    assert book.properties.creator.startswith("nexus ")
    assert book.properties.title == "Tax nexus report as of 2026-10-31"
    for name in PRINTED + APPENDICES:
        ws = book[name]
        assert ws.sheet_state == ("hidden" if name in APPENDICES else "visible")
        if name == "Chart":
            continue
        assert ws.oddFooter.left.text == "&A" and ws.oddFooter.center.text == "page &P of &N"
        assert ws.oddFooter.right.text == "as of 2026-10-31"
        assert ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (1, None)
        if name in APPENDICES:
            assert not ws.print_area  # a hidden sheet with a print area would print in LibreOffice
        elif name != "Summary":
            first = 2 if name in ("Timeline", "Assumptions") else 1  # a note sits above their header
            assert ws.page_setup.fitToHeight == 0 and ws.print_title_rows == f"${first}:${first}"
            assert ws.freeze_panes == f"A{first + 1}"
            # Assumptions prints portrait: words read down a page, which holds more lines than a landscape one
            assert ws.page_setup.orientation == ("portrait" if name == "Assumptions" else "landscape")


def test_formulas_carry_their_values(sample):
    _, book, stored, _ = sample
    formulas = [(ws.title, c.coordinate) for ws in book.worksheets for row in ws.iter_rows() for c in row
                if c.data_type == "f"]
    assert len(formulas) > 500
    empty = [(t, c) for t, c in formulas if stored[t][c].value in (None, "")]
    assert not empty, f"formulas without a stored value: {empty[:5]}"


def test_summary_is_an_executive_page(sample):
    result, book, stored, _ = sample
    ws = book["Summary"]
    assert ws.auto_filter.ref is None and ws.freeze_panes is None
    cells = {row[0]: [v for v in row[1:] if v is not None] for row in rows(stored["Summary"]) if row[0]}
    assert cells["As of"] == [datetime(2026, 10, 31)]
    assert cells["Rows read"] == [31677] and cells["Rows used"] == [29478]
    assert cells["Duplicate rows (counted once)"] == [2199]
    assert cells["Every row accounted for"] == ["Yes"]
    check_row = next(row for row in ws.iter_rows() if row[0].value == "Every row accounted for")
    formula = next(c.value for c in check_row if c.data_type == "f")
    refs = re.findall(r"[A-Z]+(\d+)", formula)  # the formula reads the four counts above it, in order
    assert [ws.cell(row=int(r), column=1).value for r in refs] == [
        "Rows read", "Rows used", "Rows skipped (unreadable)", "Duplicate rows (counted once)",
        "Rows left out (not sales)", "Rows superseded by a later copy"]
    act = most_urgent_first([f for f in result.findings if needs_action(f)])
    heading = next(r for r in range(1, ws.max_row + 1) if str(ws.cell(row=r, column=1).value).startswith("Act now"))
    assert ws.cell(row=heading, column=1).value == (
        f"Act now: potential exposure in {len(act)} jurisdictions, most urgent first")
    shown = SUMMARY_ROWS
    table = [ws.cell(row=heading + 1 + i, column=1).value for i in range(1, shown + 2)]
    # As on the screen and in the memo: the oldest deadline first (the office in Tokyo since 2019)
    assert table == [f.jurisdiction for f in act[:shown]] + [f"and {len(act) - shown} more, on Findings."]
    assert table[0] == "JP"
    tx = next(r for r in range(heading + 2, heading + shown + 2) if ws.cell(row=r, column=1).value == "US-TX")
    assert ws.cell(row=tx, column=4).value == 441035.11
    assert ws.cell(row=tx, column=4).number_format == money_format("USD")
    assert {"US-NJ", "US-TX", "US-NY", "NL"} <= {f.jurisdiction for f in act}  # presence that creates nexus
    assert cells["Not assessed (no rules yet)"] == ["BH, CN, TW"]
    counts = {row[1]: row[0] for row in rows(stored["Summary"]) if isinstance(row[0], int) and row[1]}
    assert counts == {"exceeded": 17, "approaching": 4, "below": 34, "presence only": 2, "no-sales-tax": 4}


def test_findings_sheet(sample):
    result, book, _, _ = sample
    ws = book["Findings"]
    head = header(ws)
    assert head[:11] == ["Code", "Jurisdiction", "Status", "Nexus", "Sales", "Threshold test",
                         "Share of threshold", "Period measured", "Act by", "Presence", "Why"]
    assert ws.print_area == f"'Findings'!$A$1:$K${ws.max_row}"  # the printed columns end with Why; the rest follow
    assert ws.max_row == len(result.findings) + 1
    florida = dict(zip(head, ws[2]))
    florida = next(dict(zip(head, row)) for row in ws.iter_rows(min_row=2) if row[0].value == "US-FL")
    assert florida["Code"].value == "US-FL" and florida["Status"].value == "exceeded"
    assert florida["Nexus"].value == "economic" and florida["Act by"].value == "overdue 303 d"
    assert florida["Register by"].value == datetime(2026, 1, 1) and florida["Days overdue"].value == 303
    assert florida["Sales"].value == 196172.66 and florida["Sales"].number_format == money_format("USD")
    assert florida["Transactions"].number_format == "#,##0" and florida["Share of threshold"].number_format == "0%"
    assert florida["Crossed on"].value == datetime(2025, 7, 29) and florida["Crossed on"].number_format == "yyyy-mm-dd"
    assert florida["Why"].value.startswith("Potential exposure: Florida's") and florida["Why"].alignment.wrap_text
    assert ws.row_dimensions[2].height >= 4 * layer.LINE_POINTS  # tall enough for the wrapped reason
    assert florida["Source"].hyperlink.target == "https://flsenate.gov/Session/Bill/2021/50/BillText/c2/HTML"
    more = [dict(zip(head, row)) for row in ws.iter_rows(min_row=2) if row[head.index("Source 2")].value]
    assert more and all(r["Source 2"].hyperlink.target == r["Source 2"].value for r in more)
    germany = next(dict(zip(head, row)) for row in ws.iter_rows(min_row=2) if row[0].value == "DE")
    assert germany["Sales"].number_format == money_format("EUR") and germany["Tax"].value == "VAT"
    assert germany["Rates used"].value is None  # sales in EUR need no conversion
    japan = next(dict(zip(head, row)) for row in ws.iter_rows(min_row=2) if row[0].value == "JP")
    assert japan["Sales"].number_format == money_format("JPY")
    ontario = next(dict(zip(head, row)) for row in ws.iter_rows(min_row=2) if row[0].value == "CA-ON")
    assert ontario["Status"].value == "presence only" and ontario["Sales"].value is None
    assert ontario["Threshold test"].value == "no sales here: presence only" and ontario["Presence"].value == "review"
    assert "Currency" not in head  # the number format names the currency
    rules = [r for cf in ws.conditional_formatting for r in cf.rules]
    assert {r.formula[0] for r in rules} >= {'$C2="exceeded"', '$C2="approaching"', '$C2="below"'}


def test_timeline_sheet_lists_every_date_in_order_and_marks_the_overdue(sample):
    result, book, _, _ = sample
    ws = book["Timeline"]
    head = header(ws, 2)
    assert head == ["Date", "Code", "Jurisdiction", "Event", "Flag", "Detail"]
    rows = [dict(zip(head, (c.value for c in row))) for row in ws.iter_rows(min_row=3)]
    assert [r["Date"] for r in rows] == sorted(r["Date"] for r in rows)
    florida = [(r["Event"], r["Date"].date(), r["Flag"] or "") for r in rows if r["Code"] == "US-FL"]
    assert florida == [("nexus since", date(2026, 1, 1), ""), ("collect from", date(2026, 1, 1), ""),
                       ("register by", date(2026, 1, 1), "overdue")]
    assert ws["A1"].value.startswith("18 registration deadlines passed with no registration")
    assert not any(r["Code"] in ("DE", "FR") for r in rows)  # EU members share the EU's dates


def test_monthly_totals_are_formulas_with_their_values(sample):
    result, book, stored, _ = sample
    ws, values = book["Monthly detail"], stored["Monthly detail"]
    assert header(ws, 2)[:7] == ["Code", "Jurisdiction", "Period measured", "From", "To", "Sales counted",
                                 "Transactions"]
    assert "Currency" not in header(ws, 2)
    florida = next(f for f in result.findings if f.jurisdiction == "US-FL")
    month_rows = [r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == "US-FL"
                  and not str(ws.cell(row=r, column=3).value).startswith("Total")]
    total_row = next(r for r in range(3, ws.max_row + 1) if ws.cell(row=r, column=1).value == "US-FL"
                     and str(ws.cell(row=r, column=3).value).startswith("Total"))
    assert len(month_rows) == 12
    assert ws.cell(row=total_row, column=6).value == f"=SUM(F{month_rows[0]}:F{month_rows[-1]})"
    assert ws.cell(row=total_row, column=7).value == f"=SUM(G{month_rows[0]}:G{month_rows[-1]})"
    assert ws.cell(row=total_row, column=6).font.b
    assert ws.cell(row=total_row, column=7).number_format == "#,##0"  # the total formats as its months do
    assert Decimal(str(values.cell(row=total_row, column=6).value)) == pytest.approx(florida.sales, abs=Decimal("0.01"))
    assert values.cell(row=total_row, column=7).value == florida.transactions
    summed = sum(Decimal(str(ws.cell(row=r, column=6).value)) for r in month_rows)
    assert abs(summed - florida.sales) < Decimal("0.01")
    assert ws.cell(row=month_rows[0], column=4).value == datetime(2025, 1, 1)


@pytest.fixture(scope="module")
def california(tmp_path_factory):
    """The workbook of one order, into California on 2026-02-03, checked as of 2026-06-30: written once for the
    tests of the months and the periods before it."""
    folder = tmp_path_factory.mktemp("california")
    orders = folder / "o.csv"
    orders.write_text("order_id,date,country,region,amount,currency\n1,2026-02-03,US,CA,50,USD\n", encoding="utf-8")
    out = folder / "r.xlsx"
    write_check_workbook(check(read_sales([str(orders)], ReadOptions(category="goods")), load_rules(),
                               date(2026, 6, 30)), str(out))
    return out


def test_months_before_the_first_order_are_not_covered(california):
    ws = load_workbook(california)["Monthly detail"]
    california = [row for row in rows(ws)[2:] if row[0] == "US-CA"]  # current or previous calendar year
    year_2025 = [row for row in california if row[3] and row[3].year == 2025 and not row[2].startswith("Total")]
    assert len(year_2025) == 12 and all(row[5] == NOT_COVERED and row[6] is None for row in year_2025)
    february = next(row for row in california if row[3] == datetime(2026, 2, 1))
    assert february[5] == 50 and february[6] == 1


def test_a_period_wholly_before_the_first_order_totals_not_covered(california):
    """California's 2025, before the only order (2026-02-03): its twelve months say 'not covered by the data'
    and its total said 0 (a SUM of nothing); the total of 2026 still adds up its months."""
    totals = {row[2]: row for row in rows(load_workbook(california, data_only=True)["Monthly detail"])
              if row[0] == "US-CA" and str(row[2]).startswith("Total")}
    assert totals["Total: calendar year 2025"][5] == NOT_COVERED
    assert totals["Total: calendar year 2025"][6] is None
    assert totals["Total: calendar year 2026 to 2026-06-30"][5] == 50


def test_a_place_with_presence_only_before_the_first_order_is_not_covered_not_without_sales(tmp_path, write):
    """As of 2024-12-31 with orders from 2025 only, Ontario's contractor was 'presence only', meaning 'no sales
    there', and its test 'no sales here: presence only', beside Sales 'not covered': the data cannot say."""
    orders = write("o.csv", "order_id,date,country,region,amount,currency\n1,2025-01-05,US,TX,50,USD\n")
    items = presence.read_presence(write("p.csv", "kind,location,since\ncontractor,CA-ON,2022-06-01\n"))
    out = tmp_path / "r.xlsx"
    write_check_workbook(check(read_sales([orders]), load_rules(), date(2024, 12, 31),
                               presence=presence.assess(items, date(2024, 12, 31))), str(out))
    ws = load_workbook(out)["Findings"]
    head = header(ws)
    ontario = next(dict(zip(head, row)) for row in ws.iter_rows(min_row=2, values_only=True) if row[0] == "CA-ON")
    assert (ontario["Status"], ontario["Sales"], ontario["Threshold test"]) == ("not-covered", "not covered",
                                                                                "presence only")


def test_estimates_are_stored_rounded_to_the_minor_unit_as_every_other_output_gives_them(sample):
    """The Findings sheet stored South Korea's estimate as KRW 410,197.4 (a tenth of a won, shown as 410,197) and,
    in the README's check, Florida's as 2574.505193..., and Summary's Act now Japan's as USD 5,703.646857...: an
    accountant copying the cell, or summing the column, got figures the JSON, the CSV, the screen and the memo
    never give (KRW 410197, USD 2,574.51, USD 5,703.65). The Exposure appendix keeps its unrounded months, as
    formulas."""
    result, book, _, _ = sample
    ws = book["Findings"]
    head = header(ws)
    found = {row[0]: dict(zip(head, row)) for row in ws.iter_rows(min_row=2, values_only=True) if row[0]}
    assert found["KR"]["Est. tax central"] == 410197
    for f in result.findings:  # every estimate in its currency's minor unit: cents, whole won and yen
        if f.exposure is not None:
            shown = [found[f.jurisdiction][f"Est. tax {k}"] for k in ("low", "central", "high")]
            assert all(Decimal(str(v)) == Decimal(str(v)).quantize(Decimal(1).scaleb(-minor_units(
                f.exposure.currency))) for v in shown), (f.jurisdiction, shown)
    summary = rows(book["Summary"])
    japan = next(r for r in summary if r[0] == "JP")
    assert japan[-1] == 6382.02  # 5,703.65 before Japan's marketplace services were its own (docs/exposure.md)


def test_rules_sheet_links_every_source(sample):
    result, book, _, _ = sample
    ws = book["Rules"]
    head = header(ws)
    assert ws.max_row - 1 == len({(f.rule.jurisdiction, f.rule.effective_from) for f in result.findings if f.rule})
    ny = dict(zip(head, next(row for row in ws.iter_rows(min_row=2) if row[0].value == "US-NY")))
    assert ny["Combine"].value == "and" and ny["In force from"].value == datetime(2018, 6, 21)
    assert ny["Jurisdiction"].value == "New York"
    assert ny["Source"].value == "tax.ny.gov" and ny["Source"].hyperlink.target.startswith("https://www.tax.ny.gov/")
    assert ny["Source 1"].value == ny["Source"].hyperlink.target
    assert ws.print_area == f"'Rules'!$A$1:${chr(ord('A') + head.index('Source'))}${ws.max_row}"


def test_chart_reads_from_the_most_severe_with_every_status_named(sample):
    result, _, stored, path = sample
    data = rows(stored["Chart data"])
    assert data[0] == ("Jurisdiction", "Exceeded", "Approaching", "Below")
    labels = [r[0] for r in data[1:]]
    assert labels[0] == "US-FL Florida" and len(labels) == 25
    assert "US-NY New York (presence creates nexus)" in labels
    ratios = [next(v for v in r[1:] if v is not None) for r in data[1:]]
    statuses = [next(i for i, v in enumerate(r[1:]) if v is not None) for r in data[1:]]
    assert statuses == sorted(statuses)  # exceeded, then approaching, then below
    for status in set(statuses):  # and within a status, the largest share first
        shares = [x for x, s in zip(ratios, statuses) if s == status]
        assert shares == sorted(shares, reverse=True)
    with zipfile.ZipFile(path) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "'Chart data'!$A$2:$A$26" in chart and '<c:orientation val="maxMin"/>' in chart
    assert chart.count("<a:pattFill") == 2 and "<c:showVal val=\"1\"/>" in chart  # patterns, and every label
    left = len([f for f in result.findings if f.ratio is not None]) - 25
    assert f"({left} more, all at or below" in chart


def test_the_chart_draws_at_most_25_bars_when_more_places_have_nexus(tmp_path, write):
    """USD 600,000 on 2025-09-05 into 27 states whose test is USD 100,000 (600% each), into Alabama (USD 250,000:
    240%) and into California and Texas (USD 500,000: 120%): 30 places with nexus on 2026-06-30. All 30 were drawn,
    and on a page LibreOffice names every other bar of 51 and their labels run together. The 25 largest shares are
    drawn; the title counts the 5 left off (two states at 600%, Alabama, California, Texas)."""
    hundred = ["FL", "GA", "IL", "IN", "MD", "MI", "MN", "NC", "NJ", "OH", "PA", "SC", "VA", "WA", "WI", "CO", "AZ",
               "AR", "IA", "ID", "KS", "KY", "ME", "NE", "NV", "NM", "UT"]
    orders = write("o.csv", "order_id,date,country,region,amount,currency\n" + "".join(
        f"{i},2025-09-05,US,{p},600000,USD\n" for i, p in enumerate(hundred + ["AL", "CA", "TX"], start=1)))
    out = tmp_path / "r.xlsx"
    write_check_workbook(check(read_sales([orders], ReadOptions(category="goods")), load_rules(), date(2026, 6, 30)),
                         str(out))
    data = rows(load_workbook(out, data_only=True)["Chart data"])[1:]
    assert len(data) == 25 and {Decimal(str(r[1])) for r in data} == {Decimal(6)}
    assert {r[0].split()[0][3:] for r in data} <= set(hundred)
    with zipfile.ZipFile(out) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode()
    assert "'Chart data'!$A$2:$A$26" in chart and "(5 more, all at or below 600%, on Findings)" in chart


def test_rejected_rows_keep_the_original_text(sample):
    result, book, _, _ = sample
    ws = book["Rejected rows"]
    assert ws["A1"].value == "Rows not counted: 0 skipped as unreadable, 2,199 duplicates of an order already " \
                             "read (counted once)."
    assert header(ws, 2)[:3] == ["File", "Line", "Problem"]
    assert ws.max_row - 2 == len(result.ledger.skipped) + len(result.ledger.duplicates) == 2199
    hostile = [c for row in ws.iter_rows(min_row=3, min_col=7, max_col=7) for c in row if "=HYPERLINK" in c.value]
    assert hostile and all(c.data_type == "s" for c in hostile)
    assert any("山田" in c.value or "王伟" in c.value for row in ws.iter_rows(min_row=3, min_col=7, max_col=7)
               for c in row)


def test_skipped_rows_appear_with_their_reason(tmp_path, write):
    path = write("o.csv", "order_id,date,country,region,amount,currency,name\n1,2026-01-02,US,CO,oops,USD,=1+2\n")
    ledger = read_sales([path], ReadOptions(skip_bad_rows=True))
    out = tmp_path / "r.xlsx"
    write_check_workbook(check(ledger, load_rules(), date(2026, 2, 1)), str(out))
    ws = load_workbook(out)["Rejected rows"]
    assert [c.value for c in ws[3]] == [path, 2, "skipped", "amount", "oops", "is not an amount",
                                        "1,2026-01-02,US,CO,oops,USD,=1+2"]
    assert ws["B3"].data_type == "n"


def test_rows_not_listed_are_counted_and_said(tmp_path, write, monkeypatch):
    monkeypatch.setattr(row_account, "LISTED_ROWS", 2)
    lines = "".join(f"A{i},2026-01-0{i},US,FL,10,USD\n" for i in range(1, 6))
    first = write("a.csv", "order_id,date,country,region,amount,currency\n" + lines)
    again = write("b.csv", "order_id,date,country,region,amount,currency\n" + lines)
    ledger = read_sales([first, again])
    assert len(ledger.duplicates) == 2 and ledger.unlisted_duplicates == 3
    out = tmp_path / "r.xlsx"
    write_check_workbook(check(ledger, load_rules(), date(2026, 2, 1)), str(out))
    ws = load_workbook(out)["Rejected rows"]
    assert ws["A2"].value == ("5 duplicate rows were counted; the first 2 are listed below and 3 are not (nexus "
                              "keeps the first 2). The counts on Summary are exact.")
    assert header(ws, 3)[0] == "File" and ws.max_row == 5


def test_the_fast_paths_rejected_rows_sheet_says_what_it_cannot_list():
    ledger = Ledger(rows_read=12, unlisted_duplicates=4)  # the DuckDB fast path counts repeats, lists none
    notes = rejected_notes(ledger)
    assert notes[0] == ("Rows not counted: 0 skipped as unreadable, 4 duplicates of an order already read "
                        "(counted once).")
    assert notes[1].startswith("4 duplicate rows were counted but are not listed: the DuckDB fast path counts them")
    assert "--engine python" in notes[1]
    assert rejected_notes(Ledger(rows_read=3)) == (
        "Rows not counted: 0 skipped as unreadable, 0 duplicates of an order already read (counted once).",
        "None: every row read was counted.")


def test_the_rejected_rows_notes_count_the_rows_left_out():
    """A Shopify export's cancelled and voided orders: the sheet listed them under 'None: every row read was
    counted.', and its count left them out (Summary: 193 rows left out)."""
    voided = RowProblem("shop.csv", 29, "voided (Financial Status)", None, None, "#1018,...", rows=2)
    cancelled = RowProblem("shop.csv", 103, "cancelled on 2026-04-06", None, None, "#1070,...")
    notes = rejected_notes(Ledger(rows_read=10, left_out=[voided, cancelled]))
    assert notes[0] == "Rows not counted: 0 skipped as unreadable, 0 duplicates of an order already read (counted once)."
    assert notes[1] == ("3 rows left out on purpose (2 orders: cancelled, voided, test or failed orders and rows "
                        "that are not sales), each order listed once below with its reason.")
    assert "None: every row read was counted." not in notes


@pytest.mark.slow
def test_large_sheets_stream_without_holding_rows(tmp_path):
    """Streamed, the sheet's rows cost about 0.45 MiB at any length; held (XlsxWriter without constant_memory),
    about 1.1 MiB a thousand rows of these: 3.6 MiB for the 3,000 written here, past the 2 MiB allowed (10,000 rows
    and 5 MiB proved the same, three times slower under tracemalloc)."""
    def many():
        for i in range(3_000):
            yield (f"file-{i}.csv", i, "duplicate", "order_id", f"SO-{i}", "already read", "x" * 60)

    columns = [Column(h, lambda r, i=i: r[i], "integer" if i == 1 else "text")
               for i, h in enumerate(["File", "Line", "Problem", "Column", "Value", "Reason", "Text"])]
    tracemalloc.start()
    write_workbook(str(tmp_path / "big.xlsx"), [Sheet("Rows", columns, many())], title="big")
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 2 * 2**20, f"peak {peak / 2**20:.1f} MiB: rows are being held"
    assert sum(1 for _ in load_workbook(tmp_path / "big.xlsx", read_only=True)["Rows"].iter_rows()) == 3_001


def test_links_past_excels_limits_stay_text(tmp_path):
    long = "https://example.org/" + "a" * 2100
    columns = [Column("Source", lambda r: r, "link"), Column("Short", lambda r: Link("https://example.org/x", "x"))]
    write_workbook(str(tmp_path / "l.xlsx"), [Sheet("L", columns, [long, "not a link"])], title="t")
    ws = load_workbook(tmp_path / "l.xlsx")["L"]
    assert ws["A2"].value == long and ws["A2"].hyperlink is None and ws["A3"].hyperlink is None
    assert ws["B2"].value == "x" and ws["B2"].hyperlink.target == "https://example.org/x"


def test_wide_sheets_print_in_page_wide_column_groups(tmp_path):
    columns = [Column(f"Column {i}", lambda r, i=i: f"value {i} " * 5, width=30) for i in range(8)]
    write_workbook(str(tmp_path / "w.xlsx"), [Sheet("Wide", columns, range(3))], title="t")
    ws = load_workbook(tmp_path / "w.xlsx")["Wide"]
    areas = re.findall(r"\$([A-Z]+)\$1:\$([A-Z]+)\$4", ws.print_area)
    assert areas == [("A", "E"), ("F", "H")]  # 5 columns of 30 fit a landscape page at 75%; column A repeats
    assert ws.print_title_cols == "$A:$A" and ws.page_setup.orientation == "landscape"
    narrow = [Column("A", lambda r: "a"), Column("B", lambda r: "b")]
    write_workbook(str(tmp_path / "n.xlsx"), [Sheet("Narrow", narrow, range(3))], title="t")
    assert load_workbook(tmp_path / "n.xlsx")["Narrow"].page_setup.orientation == "portrait"


def test_a_sheet_whose_rows_are_named_by_two_columns_prints_both_again_beside_its_later_columns(tmp_path):
    """The provider workbook's money sheets: the candidate and the place's code, again on the page of the figures
    (with the first column alone, the page of estimates said 'Hostwell' three times and no place)."""
    columns = [Column(f"Column {i}", lambda r, i=i: f"value {i} " * 5, width=30) for i in range(8)]
    write_workbook(str(tmp_path / "w.xlsx"), [Sheet("Wide", columns, range(3), keys=2)], title="t")
    ws = load_workbook(tmp_path / "w.xlsx")["Wide"]
    # A to E fill a landscape page at 75%; then A and B again, with F, G and H: five columns of 30 again
    assert re.findall(r"\$([A-Z]+)\$1:\$([A-Z]+)\$4", ws.print_area) == [("A", "E"), ("F", "H")]
    assert ws.print_title_cols == "$A:$B"


def test_a_report_without_orders_says_so(tmp_path, write):
    orders = write("o.csv", "order_id,date,country,region,amount,currency\n")
    out = tmp_path / "r.xlsx"
    write_check_workbook(check(read_sales([orders]), load_rules(), date(2026, 6, 30)), str(out))
    book = load_workbook(out, data_only=True)
    assert book.sheetnames == ["Summary", "Findings", "Rules", "Monthly detail", "Rejected rows"]  # no chart
    lines = [" ".join(str(v) for v in row if v is not None) for row in rows(book["Summary"])]
    assert "Orders checked 0 rows in 1 file, no orders" in lines
    assert "Act now: none" in lines
    assert "None: no jurisdiction was assessed." in lines
    assert "Every row accounted for Yes" in lines and not any(line.startswith("Chart:") for line in lines)
    assert book["Rejected rows"]["A2"].value == "None: every row read was counted."


def test_a_summary_where_every_place_with_nexus_is_collecting_does_not_deny_the_nexus(tmp_path, write):
    """Washington's test met and registered before it: the Summary said 'Act now: 0 jurisdictions with nexus'
    and 'None: no sales test met', beside 'Registered and collecting: US-WA' and 'exceeded' below; and
    '1 estimates'."""
    lines = ["order_id,date,country,region,amount,currency"]
    lines += [f"W-{i},{date(2025, 1, 1) + timedelta(days=i)},US,WA,500.00,USD" for i in range(240)]
    orders = write("o.csv", "\n".join(lines) + "\n")
    registrations = write("r.csv", "jurisdiction,registered_on,collecting_from\nUS-WA,2025-06-01,2025-06-01\n")
    out = tmp_path / "r.xlsx"
    ran = CliRunner().invoke(cli, ["check", "--sales", orders, "--as-of", "2026-03-31", "--registrations",
                                   registrations, "--workbook", str(out)], catch_exceptions=False)
    assert ran.exit_code == 0, ran.output
    lines = [" ".join(str(v) for v in row if v is not None) for row in rows(load_workbook(out, data_only=True)["Summary"])]
    assert "Act now: none" in lines
    assert "None: every jurisdiction with nexus is registered and collecting." in lines
    assert "Registered and collecting: US-WA." in lines
    assert not any("no sales test met" in line or "0 jurisdictions with nexus" in line for line in lines)
    assert any(line.startswith("1 estimate from the day tax had to be collected") for line in lines)


@pytest.fixture(scope="module")
def office_in_japan_before_the_orders(tmp_path_factory):
    """An office in Japan since 2019 and 300 uncategorised JPY orders from 2025, checked at the end of 2025: the
    workbook, written once for the two tests that read it."""
    folder = tmp_path_factory.mktemp("japan")
    lines = ["order_id,date,country,region,amount,currency"]
    lines += [f"J-{i},{date(2025, 1, 1) + timedelta(days=i)},JP,,12345,JPY" for i in range(300)]
    orders, office, out = folder / "o.csv", folder / "p.csv", folder / "r.xlsx"
    orders.write_text("\n".join(lines) + "\n", encoding="utf-8")
    office.write_text('kind,location,ownership,dedicated,function,since\noffice,"Tokyo, JP",leased,yes,core,'
                      '2019-04-01\n', encoding="utf-8")
    ran = CliRunner().invoke(cli, ["check", "--sales", str(orders), "--presence", str(office), "--as-of",
                                   "2025-12-31", "--workbook", str(out)], catch_exceptions=False)
    assert ran.exit_code == 0, ran.output
    return load_workbook(out, data_only=True)


def test_sales_the_data_cannot_cover_are_not_shown_as_zero(office_in_japan_before_the_orders):
    """Japan's test measures the first half of 2024, before the first order. JSON gives sales and transactions
    null and the memo 'not covered'; the Summary and Findings said JPY 0, 0% and 0 transactions."""
    book = office_in_japan_before_the_orders
    summary = [row for row in rows(book["Summary"]) if row[0] == "JP"]
    assert len(summary) == 1 and summary[0][3] == "not covered" and summary[0][4] is None
    findings = book["Findings"]
    found = dict(zip(header(findings), rows(findings)[1]))
    assert found["Status"] == "not-covered" and found["Sales"] == "not covered"
    assert found["Share of threshold"] is None and found["Transactions"] is None


def test_amounts_left_out_of_an_estimate_keep_their_currency_decimals(office_in_japan_before_the_orders):
    """Uncategorised yen sales left out of Japan's estimate: the Assumptions sheet said '3,703,500.00 JPY'."""
    texts = [row[2] for row in rows(office_in_japan_before_the_orders["Assumptions"])
             if row[0] == "Not estimated" and row[2] and "left out" in row[2]]
    assert texts and all(t.endswith("sales of 3,703,500 JPY left out") for t in texts)


def test_act_now_says_why_for_tax_owed_from_an_ended_window(tmp_path, write):
    """Texas's rolling test met from 2025-06-15 to 2026-06-14, tax still owed for it: the Summary's Act now row
    had an empty Why (the terminal says 'sales test (ended)')."""
    orders = write("o.csv", "order_id,date,country,region,amount,currency\n1,2025-06-15,US,TX,600000,USD\n"
                            "2,2025-12-15,US,TX,1000,USD\n")
    out = tmp_path / "r.xlsx"
    write_check_workbook(check(read_sales([orders], ReadOptions(category="goods")), load_rules(), date(2026, 10, 31)),
                         str(out))
    texas = [row for row in rows(load_workbook(out, data_only=True)["Summary"]) if row[0] == "US-TX"]
    assert len(texas) == 1 and texas[0][2] == "sales test met (ended)"


@pytest.mark.parametrize("places, charted", [(["TX"], False), (["TX", "CA"], True)])
def test_the_chart_is_there_when_it_compares(tmp_path, write, places, charted):
    """One jurisdiction with sales: its bar would stand among bars at 0%, so no Chart page (nor its data)."""
    orders = write("o.csv", "order_id,date,country,region,amount,currency\n" + "".join(
        f"{i},2026-01-05,US,{p},600000,USD\n" for i, p in enumerate(places, start=1)))
    out = tmp_path / "r.xlsx"
    ledger = read_sales([orders], ReadOptions(category="goods"))
    write_check_workbook(check(ledger, load_rules(), date(2026, 6, 30)), str(out))
    book = load_workbook(out, data_only=True)
    assert ("Chart" in book.sheetnames) is charted and ("Chart data" in book.sheetnames) is charted
    lines = [" ".join(str(v) for v in row if v is not None) for row in rows(book["Summary"])]
    assert any(line.startswith("Chart:") for line in lines) is charted


def test_the_page_header_names_one_column_left_out_as_one_column(tmp_path):
    """The accrual workbook leaves one column out of print; its header said "columns Q to Q"."""
    columns = [Column(h, lambda r, h=h: r[h]) for h in ("A", "B", "C")]
    sheets = [Sheet("One", columns, [{"A": 1, "B": 2, "C": 3}], print_columns=2),
              Sheet("Two", columns, [{"A": 1, "B": 2, "C": 3}], print_columns=1)]
    path = tmp_path / "w.xlsx"
    layer.write_workbook(str(path), sheets, title="T")
    book = load_workbook(path)
    assert book["One"].oddHeader.right.text == "Not printed: column C (C), in the workbook"
    assert book["Two"].oddHeader.right.text == "Not printed: columns B to C (B...), in the workbook"
