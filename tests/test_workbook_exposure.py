"""Money at stake in the report workbook: the Exposure appendix as formulas, the Assumptions sheet, the Summary.

The slow test recomputes the sample report and the accrual workbook in LibreOffice, after taking out every
value stored with a formula, and compares what LibreOffice computes with nexus's own figures to the cent.
"""
import re
import subprocess
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from conftest import SAMPLES, needs_program, sample_ledger
from nexus import presence, report_json
from nexus.check import check
from nexus.findings import Context
from nexus.cli import cli
from nexus.fx import load_rates, parse_rates
from nexus.registrations import read_registrations
from nexus.rules import load_rules
from nexus.sales import read_sales
from nexus.workbooks.report import write_check_workbook

D = Decimal


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Georgia over its test from the first sale, and a sale into France in euros: one estimate converted."""
    folder = tmp_path_factory.mktemp("small")
    orders = folder / "orders.csv"
    orders.write_text("order_id,date,country,region,amount,currency,category\n"
                      "1,2025-03-02,US,GA,150000,USD,goods\n2,2025-04-10,US,GA,1000,USD,goods\n"
                      "3,2025-04-11,US,GA,-200,USD,goods\n4,2026-03-02,FR,,1000,EUR,digital\n", encoding="utf-8")
    rates = parse_rates(b"Date,USD,\n2026-03-02,1.05,\n2026-06-30,1.25,\n", "rates.csv")
    result = check(read_sales([str(orders)]), load_rules(), date(2026, 6, 30), rates)
    path = folder / "report.xlsx"
    write_check_workbook(result, str(path))
    return result, openpyxl.load_workbook(path), openpyxl.load_workbook(path, data_only=True)


def rows(sheet):
    """The sheet's values, a wrapped cell's line breaks read as the spaces they stand for (a cell holding a date or a
    place's code ends its printed lines itself: nexus.workbooks.sheet.unbroken)."""
    return [tuple(v.replace("\n", " ") if isinstance(v, str) else v for v in row)
            for row in sheet.iter_rows(values_only=True)]


def test_the_exposure_appendix_is_hidden_and_holds_each_month_as_formulas(small):
    result, book, values = small
    sheet = book["Exposure"]
    assert sheet.sheet_state == "hidden" and book["Assumptions"].sheet_state == "visible"
    header = rows(sheet)[2]
    assert header[:12] == ("Code", "Jurisdiction", "Month", "From", "To", "Taxable sales", "Rate low", "Rate central",
                           "Rate high", "Tax low", "Tax central", "Tax high")
    georgia = [(i, r) for i, r in enumerate(rows(sheet), start=1) if r[0] == "US-GA"]
    march, april, total = georgia[0], georgia[1], georgia[-1]
    assert march[1][2] == "2025-03" and april[1][2] == "2025-04" and total[1][2] == "Total"
    n = march[0]
    assert march[1][9:12] == (f"=F{n}*G{n}", f"=F{n}*H{n}", f"=F{n}*I{n}")
    assert total[1][5] == f"=SUM(F{n}:F{total[0] - 1})"
    stored = rows(values["Exposure"])
    e = next(f for f in result.findings if f.jurisdiction == "US-GA").exposure
    assert D(str(stored[april[0] - 1][5])) == D("800")  # a refund netted on its day in its month
    assert D(str(stored[april[0] - 1][6])) == D("0.04")  # Georgia's state rate
    assert D(str(stored[march[0] - 1][6])) == D("0")  # the low end leaves out the crossing day, March's only sale
    assert round(D(str(stored[total[0] - 1][10])), 2) == round(e.tax.central, 2)
    last = rows(sheet)[-1]
    assert last[2] == "All, in USD" and last[26].startswith('=SUMIF(C4:C')


def test_the_euro_estimate_is_converted_on_its_total_row(small):
    result, book, values = small
    france = next(i for i, r in enumerate(rows(book["Exposure"]), start=1) if r[0] == "FR" and r[2] == "Total")
    row = rows(values["Exposure"])[france - 1]
    assert D(str(row[10])) == D("200")  # France's 20% on EUR 1,000
    assert D(str(row[24])) == D("1.25") and D(str(row[26])) == D("250")  # at the as-of rate, in USD
    assert rows(book["Exposure"])[france - 1][26] == f"=V{france}*Y{france}"
    assert row[34] == "EUR to USD at 2026-06-30 (USD)"  # Notes, after the reporting penalty and interest apart


def test_the_summary_refers_to_the_exposure_sheet(small):
    result, book, values = small
    fields = {r[0]: r for r in rows(book["Summary"]) if r[0]}
    found = [v for v in fields["Tax not collected (central)"] if v][1]
    assert re.fullmatch(r"='Exposure'!AA\d+", found)
    stored = [v for v in {r[0]: r for r in rows(values["Summary"]) if r[0]}["Tax not collected (central)"] if v][1]
    assert round(D(str(stored)), 2) == round(result.exposure_total.tax.central, 2)
    act = next(i for i, r in enumerate(rows(book["Summary"])) if r[0] and str(r[0]).startswith("Act now"))
    assert "Est. tax" in rows(book["Summary"])[act + 1]


def test_the_assumptions_sheet_says_what_the_estimate_rests_on(small):
    result, book, _ = small
    notes = rows(book["Assumptions"])
    texts = " ".join(str(r[2]).replace("\n", " ") for r in notes)  # lines end with breaks where dates are
    assert notes[1][:4] == ("Topic", "Applies to", "What", "Source")
    assert ("Returns assumed monthly unless a registration row says otherwise, each due with payment on the place's "
            "own monthly due date where the data give it, else on the 20th of the next month, assumed") in texts
    assert "Totals in USD at the as-of date's rate: 1 EUR = 1.25 USD (2026-06-30)." in texts
    assert any(r[0] == "Assumption" and r[1] == "all" and "none was collected" in r[2] for r in notes[2:])
    sources = [r for r in notes if r[0] == "Data source"]
    kinds = [r[2].split(":")[0] for r in sources]
    assert kinds[0].startswith("Tax rates") and any(k.startswith("Taxability") for k in kinds)
    every = {u for r in sources for u in r[4:] if u}
    used = {s for f in result.findings if f.exposure for r in f.exposure.rates for s in r.sources}
    assert used <= every  # every rate row's sources, as addresses beyond the printed columns


def test_the_voluntary_disclosure_notes_name_only_places_with_something_to_disclose(tmp_path):
    """Georgia over its test on 2025-03-02 and not registered: its VDA note is listed. Texas over its test on the
    same day, registered and collecting from 2025-01-01: nothing to disclose (its VDA total is 0), so no note, as the
    total's words already leave such places out. Before, every place's note was listed: on the README's sample
    check the notes of Washington, Tennessee, the UK, Germany, France and the Netherlands, all with nothing to
    disclose, took the printed report to 20 pages."""
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,date,country,region,amount,currency,category\n"
                      "1,2025-03-02,US,GA,150000,USD,goods\n2,2025-03-02,US,TX,600000,USD,goods\n", encoding="utf-8")
    held = tmp_path / "registrations.csv"
    held.write_text("jurisdiction,registered_on,collecting_from,id,note\nUS-TX,2025-01-01,2025-01-01,TX-1,\n",
                    encoding="utf-8")
    result = check(read_sales([str(orders)]), load_rules(), date(2026, 6, 30),
                   timed=Context(read_registrations(str(held), load_rules().countries())))
    found = {f.jurisdiction: f for f in result.findings}
    assert found["US-TX"].exposure.scenarios["vda"].total == 0 and found["US-GA"].exposure.scenarios["vda"].total
    path = tmp_path / "report.xlsx"
    write_check_workbook(result, str(path))
    disclosed = [r[1] for r in rows(openpyxl.load_workbook(path)["Assumptions"]) if r[0] == "Voluntary disclosure"]
    assert disclosed == ["US-GA"]


def test_a_long_list_of_places_follows_the_text_where_the_column_is_wide(tmp_path):
    """A sale of USD 600,000 into each state with a rule, and another a month later: most estimates share their
    assumptions. The Applies to column is 16 characters wide; a check across 52 jurisdictions listed up to 52 codes
    there, each row 22 printed lines tall. More than eight places now follow the text, after 'Applies to:'."""
    states = sorted({r.jurisdiction for r in load_rules().rules if r.jurisdiction.startswith("US-")})
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,date,country,region,amount,currency,category\n" + "".join(
        f"{n}-{i},{day},US,{s[3:]},600000,USD,goods\n" for i, s in enumerate(states)
        for n, day in (("a", "2025-02-03"), ("b", "2025-03-03"))), encoding="utf-8")
    path = tmp_path / "report.xlsx"
    write_check_workbook(check(read_sales([str(orders)]), load_rules(), date(2026, 6, 30)), str(path))
    notes = rows(openpyxl.load_workbook(path)["Assumptions"])[2:]
    listed = [(r[1], r[2]) for r in notes if r[1].endswith("listed after the text")]
    assert len(listed) >= 3
    for places, text in listed:
        named = text.rsplit(". Applies to: ", 1)[1].rstrip(".").split(", ")
        assert places == f"{len(named)} places, listed after the text" and len(named) > 8
        assert set(named) <= set(states)
    assert all(len(r[1].split(", ")) <= 8 for r in notes if not r[1].endswith("listed after the text"))


def test_a_check_without_an_estimate_has_no_money_sheets(tmp_path):
    orders = tmp_path / "o.csv"
    orders.write_text("date,country,region,amount,currency\n2026-01-05,US,GA,10,USD\n", encoding="utf-8")
    result = check(read_sales([str(orders)]), load_rules(), date(2026, 6, 30))
    write_check_workbook(result, str(tmp_path / "r.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    assert "Exposure" not in book.sheetnames and "Assumptions" not in book.sheetnames
    assert not any(r[0] == "Tax not collected (central)" for r in rows(book["Summary"]))


# -- recomputed in LibreOffice ------------------------------------------------------------------------------------

RECALCULATE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">
<value>0</value></prop></item>
</oor:items>
"""


def without_values(source: Path, target: Path) -> int:
    """A copy of the workbook whose formulas have no stored value: a spreadsheet must compute each one."""
    count = 0
    with zipfile.ZipFile(source) as z, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in z.infolist():
            data = z.read(item.filename)
            if item.filename.startswith("xl/worksheets/"):
                text, n = re.subn(r"(<f>[^<]*</f>)<v>[^<]*</v>", r"\1", data.decode("utf-8"))
                data, count = text.encode("utf-8"), count + n
            out.writestr(item, data)
    return count


@pytest.fixture(scope="module")
def recomputed(tmp_path_factory):
    """The sample report and its accrual workbook, recomputed by LibreOffice in one call from copies that hold
    no formula values: {name: (workbook as nexus wrote it, formulas, values LibreOffice computed)}."""
    needs_program("soffice")
    work = tmp_path_factory.mktemp("recomputed")
    on = date(2026, 10, 31)
    book = load_rules()
    result = check(sample_ledger(), book, on,
                   load_rates(str(SAMPLES / "eurofxref-hist.csv")),
                   presence=presence.assess(presence.read_presence(str(SAMPLES / "presence.csv")), on),
                   timed=Context(read_registrations(str(SAMPLES / "registrations.csv"), book.countries())))
    write_check_workbook(result, str(work / "report.xlsx"))
    # The check's JSON, as `nexus check --format json` writes it for the same files (the journal accrued from it is
    # the same, cell for cell, as from the command's file, which took a second more to read and check again)
    (work / "check.json").write_text(report_json.to_json(result), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(cli, ["accounts", "journal", "--check", str(work / "check.json"), "--coa",
                               str(SAMPLES / "chart-of-accounts.csv"), "--workbook",
                               str(work / "accrual.xlsx")]).exit_code == 0
    paths = [work / "report.xlsx", work / "accrual.xlsx"]
    found = {}
    # Read only: the sheets compared are parsed as they are read, not the whole report (its month-by-month appendix
    # and chart data) three times over, which took 2.6 of the fixture's 5.7 CPU-seconds.
    for path, computed in zip(paths, recomputed_by_libreoffice(paths, work, read_only=True)):
        found[path.stem] = (openpyxl.load_workbook(path, data_only=True, read_only=True),
                            openpyxl.load_workbook(path, read_only=True), computed)
    yield result, found
    for books in found.values():
        for opened in books:
            opened.close()


def recomputed_by_libreoffice(paths: list[Path], work: Path, read_only: bool = False) -> list:
    """Each workbook of ``paths`` as LibreOffice computes it (its values, as openpyxl reads them), from copies whose
    formulas hold no stored value, in one soffice call: LibreOffice would otherwise show the values nexus stored.
    ``read_only``: opened as openpyxl's read-only workbooks (close them when done)."""
    needs_program("soffice")
    profile, bare, out = work / "profile", work / "bare", work / "out"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(RECALCULATE, encoding="utf-8")
    bare.mkdir()
    out.mkdir()
    for path in paths:
        assert without_values(path, bare / path.name) > 0
    subprocess.run(["soffice", f"-env:UserInstallation={profile.as_uri()}", "--headless", "--convert-to", "xlsx",
                    "--outdir", str(out), *(str(bare / path.name) for path in paths)],
                   check=True, capture_output=True, timeout=600)
    return [openpyxl.load_workbook(out / path.name, data_only=True, read_only=read_only) for path in paths]


def assert_recomputed(stored, formulas, computed, sheets) -> int:
    """Every formula of ``sheets`` computes in ``computed`` to the value nexus stored beside it (numbers to the half
    cent, anything else as written); the number of formulas compared."""
    checked = 0
    for sheet in sheets:
        for where, formula, mine, theirs in _cells(stored, formulas, computed, sheet):
            assert theirs is not None, f"{sheet}!{where} {formula}: LibreOffice computed nothing"
            if isinstance(mine, (int, float)) and not isinstance(mine, bool):
                assert abs(D(str(theirs)) - D(str(mine))) < D("0.005"), f"{sheet}!{where} {formula}"
            else:
                assert theirs == mine, f"{sheet}!{where} {formula}"
            checked += 1
    return checked


def summary_figures(workbook) -> dict:
    """The Summary sheet's figures by their label (the first filled cell after it)."""
    return {r[0]: [v for v in r[1:] if v is not None][0] for r in workbook["Summary"].iter_rows(values_only=True)
            if r[0] and any(v is not None for v in r[1:])}


def _cells(stored, formulas, computed, sheet):
    for row_s, row_f, row_c in zip(stored[sheet].iter_rows(), formulas[sheet].iter_rows(),
                                   computed[sheet].iter_rows()):
        for s, f, c in zip(row_s, row_f, row_c):
            if isinstance(f.value, str) and f.value.startswith("="):
                yield f.coordinate, f.value, s.value, c.value


@pytest.mark.slow
@pytest.mark.parametrize("name, sheets", [("report", ["Exposure", "Summary"]),
                                          ("accrual", ["Journal entry", "Accrual"])])
def test_libreoffice_recomputes_every_formula_to_nexuss_figure(recomputed, name, sheets):
    _, found = recomputed
    assert assert_recomputed(*found[name], sheets) > (500 if name == "report" else 20)


@pytest.mark.slow
def test_the_recomputed_totals_are_the_checks_to_the_cent(recomputed):
    result, found = recomputed
    computed = found["report"][2]
    t = result.exposure_total
    summary = summary_figures(computed)
    for label, value in (("Tax not collected (central)", t.tax.central), ("Range: state rate only", t.tax.low),
                         ("Range: highest combined rate", t.tax.high),
                         ("Penalties and interest estimated", t.penalty + t.interest),
                         ("Through voluntary disclosure", t.vda),
                         ("More each month until registered", t.registered_now)):
        assert round(D(str(summary[label])), 2) == round(value, 2), label
    # Pennsylvania, Maryland and Minnesota have tax and no voluntary disclosure terms in nexus's data: the figure
    # holds their tax alone, and the Summary says so as the screen does.
    said = " ".join(c for r in found["report"][0]["Summary"].iter_rows(values_only=True) for c in r
                    if isinstance(c, str))  # a paragraph is written a line a row
    # Florida, Ohio, New Jersey, Illinois, North Carolina and Michigan: the programme leaves interest (or, in North
    # Carolina, penalties too) due that the data cannot estimate: not in the figure, and said as well. South Korea
    # and Japan (their statutes reduce a late return's penalty in part, from 2026-12-06) are neither: their reduced
    # penalties are kept in full and their interest is in the data.
    # the places themselves on the Assumptions sheet's voluntary disclosure rows (the Summary printed them over three
    # lines of a page fitted to one)
    assert ("Through voluntary disclosure: the tax alone in 3 places with no programme terms nexus can apply; "
            "interest or penalties due under the programme not estimated in 6 places (Assumptions names them).") in said
    notes = {r[0]: r[1] for r in rows(found["report"][0]["Assumptions"])
             if r[0] == "Voluntary disclosure" and "no voluntary disclosure terms" in str(r[2])}
    assert notes == {"Voluntary disclosure": "US-PA, US-MD, US-MN"}
    totals = {r[0]: r for r in computed["Exposure"].iter_rows(values_only=True) if r[2] == "Total"}
    for f in result.findings:
        if f.exposure is None:
            continue
        e, row = f.exposure, totals[f.jurisdiction]
        places = 0 if e.currency in ("JPY", "KRW") else 2
        assert round(D(str(row[21])), places) == round(e.uncollected.central, places), f.jurisdiction
        assert round(D(str(row[17])), places) == round(e.scenarios["vda"].total, places), f.jurisdiction
        assert round(D(str(row[16])), places) == round(e.scenarios["base"].total, places), f.jurisdiction


def test_the_summarys_penalties_and_interest_are_the_jsons_two_figures_added(tmp_path):
    """Georgia, USD 100,001 on 2025-03-02 (the test met, tax from that day), as of 2025-07-31: tax 100,001 x 7.42% =
    7,420.0742; March's return, due 2025-04-20, is 102 days late: penalty 5% a month or part, four, 20% = 1,484.01484;
    interest 10.5% a year by the month, four months, 3.5% = 259.702597. The JSON rounds each once: 1,484.01 and
    259.70, together 1,743.71. The Summary's 'Penalties and interest estimated' rounded their sum once, 1,743.717437:
    1,743.72, a cent off the JSON's two figures; it now adds them rounded, by formula."""
    import json

    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,date,country,region,amount,currency,category\n"
                      "G-1,2025-03-02,US,GA,100001.00,USD,goods\n", encoding="utf-8")
    book = tmp_path / "report.xlsx"
    run = CliRunner().invoke(cli, ["check", "--sales", str(orders), "--as-of", "2025-07-31", "--format", "json",
                                   "--workbook", str(book)], catch_exceptions=False)
    total = json.loads(run.stdout)["summary"]["exposure_total"]
    assert (total["penalty"], total["interest"]) == ("1484.01", "259.70")

    def field(data_only):
        sheet = openpyxl.load_workbook(book, data_only=data_only)["Summary"]
        return next(r[2] for r in sheet.iter_rows(values_only=True) if r[0] == "Penalties and interest estimated")

    assert D(str(field(True))) == D("1743.71")  # was 1,743.717437, shown 1,743.72
    assert re.fullmatch(r"=ROUND\('Exposure'!([A-Z]+)(\d+),2\)\+ROUND\('Exposure'!([A-Z]+)\2,2\)", field(False))
    exposure = openpyxl.load_workbook(book, data_only=True)["Exposure"]
    header = next(r for r in exposure.iter_rows(values_only=True) if r[0] == "Code")
    last = list(exposure.iter_rows(values_only=True))[-1]
    parts = {name: last[header.index(name)] for name in ("Reporting penalty", "Reporting interest")}
    assert {k: round(D(str(v)), 2) for k, v in parts.items()} == {"Reporting penalty": D("1484.01"),
                                                                 "Reporting interest": D("259.70")}
