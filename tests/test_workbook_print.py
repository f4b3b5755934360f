"""Every workbook nexus writes, printed: rendered through LibreOffice to PDF and read back page by page.

One LibreOffice conversion for all of them (a session fixture, every file in one ``soffice`` call).
Pages are read with poppler's ``pdftotext``: each page's words with their boxes, and its text in reading
order. The footer names the sheet a page belongs to ("&A"), so each page is known by its sheet.
"""
from __future__ import annotations

import itertools
import re
import shutil
import statistics
import subprocess
from dataclasses import dataclass
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import SAMPLE_ORDERS, SAMPLES_AS_GIVEN as SAMPLES, at_repository, needs_program
from shared_runs import bundled_comparison, readme_products
from nexus import presence, report_json
from nexus.check import check
from nexus.findings import Context
from nexus.cli import cli
from nexus.fx import load_rates
from nexus.measures import shown_share
from nexus.registrations import read_registrations
from nexus.rules import load_rules
from nexus.sales import read_sales
from nexus.timing import most_urgent_first
from nexus.workbooks.report import needs_action, write_check_workbook
from nexus.workbooks.sheet import Column, Sheet, write_workbook

pytestmark = pytest.mark.slow

#: Bands at the top and bottom of a page holding its header and footer (8 points whatever the scale).
BAND = 35
TABLES = {"Findings": ["Code", "Jurisdiction", "Status", "Nexus", "Sales", "Threshold test",
                       "Share of threshold", "Period measured", "Act by", "Presence", "Why"],
          "Timeline": ["Date", "Code", "Jurisdiction", "Event", "Flag", "Detail"],
          "Presence": ["Code", "Jurisdiction", "Verdict", "Sales test", "Kind", "Location", "City", "Since",
                       "Until", "Why"],
          "Rules": ["Code", "Jurisdiction", "Threshold test", "Period", "What counts", "Marketplace sales",
                    "In force from", "Last verified", "Source"],
          "Assumptions": ["Topic", "Applies to", "What", "Source"]}


@dataclass
class Page:
    """One printed page: the sheet it belongs to, its words with their boxes, and its text."""

    sheet: str
    words: list[tuple[float, float, float, float, str]]
    height: float
    text: str

    def body(self) -> list[tuple[float, float, float, float, str]]:
        return [w for w in self.words if BAND < w[1] and w[3] < self.height - BAND]


def _pages(pdf: Path) -> list[Page]:
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                           text=True).stdout
    texts = subprocess.run(["pdftotext", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    pages = []
    for chunk, text in zip(boxes.split("<page ")[1:], texts.split("\f")):
        height = float(re.search(r'height="([\d.]+)"', chunk).group(1))
        words = [(float(a), float(b), float(c), float(d), unescape(w)) for a, b, c, d, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', chunk)]
        footer = sorted((w for w in words if w[1] > height - BAND), key=lambda w: w[0])
        left = [w[4] for w in footer if w[0] < footer[0][0] + 150] if footer else []
        sheet = " ".join(left[:left.index("page")] if "page" in left else left)
        pages.append(Page(sheet, words, height, text))
    return pages


#: The README's second check: the sample seller's Shopify export and Amazon report beside its ERP exports.
EXPORTS = ["shopify-orders-2026.csv", "amazon-all-orders-2025-2026.txt"]


def _sample_result(ledger, registrations: bool = False, home: str | None = None):
    """The sample check of ``ledger`` (:func:`_sample_ledger`); with the README's first command's registrations
    file; for a seller established at ``home``. The check reads the ledger and never changes it, so that one
    ledger serves several checks."""
    on = date(2026, 10, 31)
    items = presence.assess(presence.read_presence(str(SAMPLES / "presence.csv")), on)
    held = Context(read_registrations(str(SAMPLES / "registrations.csv"), load_rules().countries())
                   if registrations else ())
    return check(ledger, load_rules(), on, load_rates(str(SAMPLES / "eurofxref-hist.csv")), presence=items,
                 timed=held, home=home)


def _sample_ledger(exports: tuple[str, ...] = ()):
    """The sample's orders; with the README's second command's platform exports. Read here, not kept for other
    files as conftest.sample_ledger keeps them: no other file reads the samples by the paths the README gives, and
    keeping a copy to hand out took 0.7 of 4.3 CPU-seconds for the two ledgers."""
    return read_sales([str(SAMPLES / name) for name in (*SAMPLE_ORDERS, *exports)])


@pytest.fixture(scope="session")
def written(tmp_path_factory):
    """Every workbook nexus writes, as the README's commands write them: {name: (check result, the comparison's
    workbook for reading its cells, or None; the workbook's path)}."""
    work = tmp_path_factory.mktemp("printed")
    with at_repository():  # the samples named as the README names them: the pages print their paths
        return _write_every_workbook(work, tmp_path_factory)


@pytest.fixture(scope="session")
def printed(written):
    """Every workbook of :func:`written`, rendered in one LibreOffice call: {name: (as in written; pages)}."""
    needs_program("soffice")
    needs_program("pdftotext")
    paths = [path for _, path in written.values()]
    work = paths[0].parent
    subprocess.run(["soffice", f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work)] + [str(p) for p in paths],
                   check=True, capture_output=True, timeout=600)
    return {name: (kept, _pages(path.with_suffix(".pdf"))) for name, (kept, path) in written.items()}


def _write_every_workbook(work: Path, factory: pytest.TempPathFactory) -> dict:
    ledger = _sample_ledger()
    result = _sample_result(ledger)
    write_check_workbook(result, str(work / "sample-a4.xlsx"), paper="A4")
    write_check_workbook(result, str(work / "sample-letter.xlsx"), paper="Letter")
    write_check_workbook(_sample_result(_sample_ledger(tuple(EXPORTS))), str(work / "exports-letter.xlsx"),
                         paper="Letter")
    registered = _sample_result(ledger, registrations=True)
    write_check_workbook(registered, str(work / "registered-a4.xlsx"), paper="A4")
    write_check_workbook(_sample_result(ledger, registrations=True, home="JP"), str(work / "home-jp-letter.xlsx"),
                         paper="Letter")
    orders = work / "texas.csv"
    orders.write_text("order_id,date,country,region,amount,currency\n1,2026-01-05,US,TX,600000,USD\n"
                      "2,2026-02-05,US,TX,20,USD\n", encoding="utf-8")
    one = check(read_sales([str(orders)]), load_rules(), date(2026, 6, 30))
    write_check_workbook(one, str(work / "one.xlsx"))
    db, runner = str(work / "store.sqlite3"), CliRunner()
    for args in (["currencies", "review", "--provider", str(SAMPLES / "provider-currencies-2026-q3.json")],
                 ["currencies", "review", "--provider", str(SAMPLES / "provider-currencies-2026-q4.txt"),
                  "--coa", str(SAMPLES / "chart-of-accounts.csv"), "--workbook", str(work / "review.xlsx")],
                 ["accounts", "plan", "--coa", str(SAMPLES / "chart-of-accounts.csv"), "--currencies",
                  str(SAMPLES / "provider-currencies-2026-q4.txt"), "--target", "netsuite",
                  "--workbook", str(work / "plan.xlsx")]):
        assert runner.invoke(cli, args + ["--db", db], catch_exceptions=False).exit_code == 0
    # The README's products check, as written for test_cli_products.py's reading of its JSON (one run for both)
    shutil.copyfile(readme_products(factory).file("products.xlsx"), work / "products.xlsx")
    # The README's check with its registrations file, as JSON: the registered check's own (the journal it accrues
    # is the same, cell for cell, as from `nexus check --format json`'s file, which took a second more to read the
    # orders again and check them)
    (work / "check.json").write_text(report_json.to_json(registered), encoding="utf-8")
    journal = ["accounts", "journal", "--check", str(work / "check.json"), "--coa",
               str(SAMPLES / "chart-of-accounts.csv"), "--target", "quickbooks", "--workbook",
               str(work / "journal.xlsx")]
    assert runner.invoke(cli, journal, catch_exceptions=False).exit_code == 0
    # docs/provider.md's comparison as the CLI writes its workbook, and on A4 and on Letter as a reader prints it: one
    # run for this file and the three that read its screen, workbook and memo (shared_runs.py)
    compared = bundled_comparison(factory)
    for name, written in (("providers", "compare"), ("providers-a4", "compare-a4"),
                          ("providers-letter", "compare-letter")):
        shutil.copyfile(compared.file(f"{written}.xlsx"), work / f"{name}.xlsx")
    # Text printed at full size, to measure the others by: the font LibreOffice has for Calibri decides
    # how tall a word prints (Carlito where installed, else a wider one such as DejaVu Sans).
    write_workbook(str(work / "full-size.xlsx"), [Sheet("Full size", [Column("Text", lambda r: r)],
                                                        ["Some words of text at full size"] * 5, fit_width=False)],
                   title="full size")
    books = ["sample-a4", "sample-letter", "exports-letter", "registered-a4", "home-jp-letter", "one", "review",
             "plan", "products", "journal", "providers", "providers-a4", "providers-letter", "full-size"]
    results = {"sample-a4": result, "sample-letter": result, "one": one, "providers": work / "providers.xlsx"}
    return {b: (results.get(b), work / f"{b}.xlsx") for b in books}


def test_a_summary_too_tall_for_one_legible_page_goes_on_to_a_second(printed):
    """With --home JP the Summary's home paragraph made it 1,532 points tall, fitted to one Letter page at 46%; it
    now prints on two pages, and the report stays under 20; the sample's Summary (1,260 points) keeps its one page
    (test_the_sample_report_prints_in_under_20_pages)."""
    _, pages = printed["home-jp-letter"]
    sheets = [p.sheet for p in pages]
    assert sheets[:3] == ["Summary", "Summary", "Chart"] and len(pages) < 20
    assert "Home: Japan (JP)" in " ".join(p.text for p in pages[:2])


@pytest.mark.parametrize("book", ["sample-a4", "sample-letter", "registered-a4"])
def test_the_sample_report_prints_in_under_20_pages(printed, book):
    """The README's first command, with its registrations file, printed on 20 A4 pages: its Timeline ran on to a
    fourth page of seven lines, each event's detail wrapped in a column narrower than a landscape page holds."""
    _, pages = printed[book]
    assert len(pages) < 20
    sheets = [p.sheet for p in pages]
    assert sheets[0] == "Summary" and sheets.count("Summary") == 1 and sheets.count("Chart") == 1
    # no appendices (the Exposure sheet month by month among them); the Assumptions of the estimate print
    assert set(sheets) == {"Summary", "Chart", "Findings", "Timeline", "Presence", "Rules", "Assumptions"}


@pytest.mark.parametrize("book", ["sample-a4", "sample-letter", "registered-a4", "home-jp-letter", "providers-a4",
                                  "providers-letter"])
def test_no_date_is_broken_at_its_hyphen_on_paper(printed, book):
    """Before: LibreOffice ended wrapped lines after a date's hyphen, '2026-' above '10-31', in 17 places of the
    README's report (the Findings' Period measured and Why, the Presence sheet's Why, the Assumptions: 'the orders
    start on 2025-01-' above '01') and 5 of the provider comparison's (the Summary's dates, the Tax no longer yours'
    notes). A printed word never ends in the middle of a date now, and the report still prints under 20 pages."""
    _, pages = printed[book]
    cut = [(number, page.sheet, w[4]) for number, page in enumerate(pages, start=1) for w in page.words
           if re.search(r"(?<![\d-])\d{4}-(\d{2}-)?$", w[4])]
    assert cut == []
    # nor a place's code: 'US-' above 'NV)' in the provider workbook's Accounts, the report's Applies to
    coded = [(number, page.sheet, w[4]) for number, page in enumerate(pages, start=1) for w in page.words
             if re.search(r"(?<![A-Za-z])[A-Z]{2}-$", w[4])]
    assert coded == []
    assert len(pages) < (20 if not book.startswith("providers") else 30)


def test_a_one_jurisdiction_report_prints_in_under_6_pages(printed):
    _, pages = printed["one"]
    assert len(pages) < 6
    # no Chart: one bar among bars at 0% compares nothing, and the Summary gives its share
    assert [p.sheet for p in pages] == ["Summary", "Findings", "Timeline", "Rules", "Assumptions"]


@pytest.mark.parametrize("book", ["sample-a4", "sample-letter", "one"])
def test_every_page_of_a_table_holds_every_printed_column(printed, book):
    result, pages = printed[book]
    with_presence = any(f.presence for f in result.findings)
    for page in pages:
        if page.sheet in TABLES:
            words = {w[4] for w in page.words}
            headers = [h for h in TABLES[page.sheet] if with_presence or h != "Presence"]
            missing = {h for h in headers for part in h.split() if part not in words}
            assert not missing, f"a {page.sheet} page without {missing}: a fragment of the sheet"


def _notes(path: Path, sheet: str) -> list[str]:
    """The words of the lines a sheet writes above its header (the plan's New accounts: what the ledger's import
    leaves to the ledger), which its first printed page starts with, in reading order."""
    rows = load_workbook(path)[sheet].iter_rows(values_only=True)
    return [word for row in itertools.takewhile(lambda r: r[0] != "Number", rows) for word in str(row[0]).split()]


@pytest.mark.parametrize("book", ["review", "plan"])
def test_every_page_of_the_currency_workbooks_starts_with_its_first_column(printed, written, book):
    _, pages = printed[book]
    first = {"Review": "Change", "Currencies": "Code", "Sources": "What", "New accounts": "Number",
             "Numbering": "Number"}
    assert {p.sheet for p in pages} == ({"Review", "Currencies", "Sources"} |
                                        ({"New accounts", "Numbering"} if book == "plan" else set()))
    notes = _notes(written[book][1], "New accounts") if book == "plan" else []
    for page in pages:
        body = page.body()
        if notes and [w[4] for w in body[:len(notes)]] == notes:  # the sheet's first page: its notes, then its header
            body = body[len(notes):]
        # the leftmost word of the header row: a header on two lines (ISO / number) sets its neighbours on one line
        # lower, vertically centred, so the topmost word is not the first column's
        top = min(w[1] for w in body)
        header = min((w for w in body if w[1] < top + 25), key=lambda w: (round(w[0]), w[1]))
        assert header[4] == first[page.sheet], f"a {page.sheet} page starts with {header[4]!r}"


#: The currency review's sheets, in the review's workbook and the plan's, and the columns each page must hold.
CURRENCY_TABLES = {"Review": ["Change", "Code", "What", "Action"],
                   "Currencies": ["Code", "Status", "Name", "ISO number", "Minor units", "Number format",
                                  "Customer sees", "Accountant books", "ECB rate", "Withdrawn", "Successor",
                                  "Countries"],
                   "Sources": ["What", "Source"]}


@pytest.mark.parametrize("book", ["review", "plan"])
def test_every_page_of_the_currency_review_holds_every_column(printed, book):
    """The Currencies sheet printed Successor and Countries on a page of their own (its columns came to about 1,800
    pixels against the page's 1,280 at the smallest scale): a page of country lists beside bare codes. Every page
    now holds every column, legible (the floor of test_nothing_prints_at_half_its_size_or_less), the country lists
    wrapped: the USD row's 'and 16 more' prints on the page of its code."""
    _, pages = printed[book]
    for page in pages:
        if page.sheet in CURRENCY_TABLES:
            words = {w[4] for w in page.words}
            missing = {h for h in CURRENCY_TABLES[page.sheet] for part in h.split() if part not in words}
            assert not missing, f"a {page.sheet} page without {missing}"
    currencies = [p for p in pages if p.sheet == "Currencies"]
    # the words joined: the USD row's list, its own country first, wraps 'and 16' and 'more' onto two lines
    assert len(currencies) == 1 and "and 16 more" in " ".join(currencies[0].text.split())


#: The products workbook's printed sheets and the columns each of their pages must hold.
PRODUCT_TABLES = {"Not in ERP": ["SKU", "Name", "Orders", "Lines", "First sold", "Last sold", "Sales", "Category"],
                  "Conflicts": ["SKU", "Conflict", "Value", "Where"],
                  "Spellings": ["SKU", "Written", "Where", "Differ by"],
                  "By category": ["Code", "Jurisdiction", "goods", "digital", "saas", "services", "Total",
                                  "Rule counts", "Not counted by the rule"]}


def test_the_products_workbook_prints_its_lists_whole_and_no_appendix(printed):
    _, pages = printed["products"]
    sheets = [p.sheet for p in pages]
    assert sheets[0] == "Summary" and sheets.count("Summary") == 1 and len(pages) < 15
    assert set(sheets) == {"Summary", "Not in ERP", "Without category", "Conflicts", "Spellings", "By category"}
    for page in pages:
        if page.sheet in PRODUCT_TABLES:
            words = {w[4] for w in page.words}
            missing = {h for h in PRODUCT_TABLES[page.sheet] for part in h.split() if part not in words}
            assert not missing, f"a {page.sheet} page without {missing}"
    gap = " ".join(p.text for p in pages if p.sheet == "Not in ERP")
    assert "CLASS-ONLINE-TEA" in gap and "APP-TEA-TIMER-Y" in gap and "878,534.93" in gap
    assert "ＫＹＵＳＵ－ＴＥＡＰＯＴ" in " ".join(p.text for p in pages if p.sheet == "Spellings")


@pytest.mark.parametrize("book", ["sample-a4", "sample-letter", "exports-letter", "home-jp-letter", "one", "review",
                                  "plan", "products", "providers-a4", "providers-letter"])
def test_nothing_prints_at_half_its_size_or_less(printed, book):
    """The Countries cell of 449 characters once shrank the currency review to 25%. Fitted to the page
    width, every sheet prints at no less than 75% where the spreadsheet has Calibri or Carlito; LibreOffice
    without them lays text out in a font a third wider (DejaVu Sans here), so the floor asserted is 50%.
    The one-page Summary is fitted to the page's height too: the README's check with the platform exports (four
    input files, six places to watch) printed it at 47% on Letter, each status's meaning wrapped in a narrow
    column three lines tall and the reasons and scheme names of Act now on two lines each. With --home JP the
    home's paragraph printed it at 46%: a Summary that would print below about half size goes on to a second page."""
    _, pages = printed[book]
    full = statistics.median(w[3] - w[1] for w in printed["full-size"][1][0].body())
    for number, page in enumerate(pages, start=1):
        if page.sheet == "Chart":
            continue
        scale = statistics.median(w[3] - w[1] for w in page.body()) / full
        assert scale > 0.5, f"page {number} ({page.sheet}) prints at {scale:.0%}"


def _flat(text: str) -> str:
    """Text with its line breaks undone: every space and hyphen dropped. pdftotext joins a word that LibreOffice
    broke after its hyphen, "economic-" and "nexus", as "economicnexus", and puts a space inside a word it broke
    elsewhere: a file's path wider than its column, which the check names (so whether it is broken depends on
    the folder the tests run in: a clone in /tmp/readme-clone2 broke Texas's reason inside its path)."""
    return "".join(text.replace("-", "").split())


@pytest.mark.parametrize("book", ["sample-a4", "sample-letter"])
def test_wrapped_text_prints_whole(printed, book):
    """Every finding's Why and every presence item's reason is on paper word for word: no row too short."""
    result, pages = printed[book]
    findings = _flat(" ".join(p.text for p in pages if p.sheet == "Findings"))
    for f in result.findings:
        assert _flat(f.reasons[0]) in findings, f"{f.label}: its reason is cut"
    places = _flat(" ".join(p.text for p in pages if p.sheet == "Presence"))
    for f in result.findings:
        for v in f.presence:
            assert _flat(" ".join(v.reasons)) in places, f"{v.item.location}: its reason is cut"


def _line(page: Page, word: str) -> list[str]:
    """The words printed on the same line as the leftmost ``word``, left to right."""
    top = min((w for w in page.words if w[4] == word), key=lambda w: w[0])[1]
    return [w[4] for w in sorted(page.words, key=lambda w: w[0]) if abs(w[1] - top) < 2]


def test_the_summary_leads_with_what_to_do(printed):
    result, pages = printed["sample-a4"]
    summary = pages[0]
    assert _line(summary, "Act") == ["Act", "now:", "potential", "exposure", "in", "21", "jurisdictions,", "most",
                                     "urgent", "first"]
    # most urgent first, as on the screen and in the memo: the oldest overdue deadline leads
    first, second = most_urgent_first([f for f in result.findings if needs_action(f)])[:2]
    share = f"{shown_share(first.ratio):.0%}"  # whole percent rounded down, as every report prints a share
    assert _line(summary, first.jurisdiction)[:2] == [first.jurisdiction, first.name.split()[0]]
    assert share in _line(summary, first.jurisdiction) and "overdue" in _line(summary, first.jurisdiction)
    assert _line(summary, "Watch:")[:3] == ["Watch:", "3", "approaching"]
    assert _line(summary, "accounted") == ["Every", "row", "accounted", "for", "Yes"]
    top = {w[4]: w[1] for w in reversed(summary.words)}  # where each word is first printed
    rows = {code: min((w for w in summary.words if w[4] == code), key=lambda w: w[0])[1]  # in the Code column
            for code in (first.jurisdiction, second.jurisdiction)}
    assert top["Act"] < rows[first.jurisdiction] < rows[second.jurisdiction] < top["Watch:"] < top["accounted"]


def test_a_note_above_a_table_printed_in_column_groups_prints_whole_and_once(printed):
    """The accrual workbook's Accrual sheet prints in two column groups: its note ran across the whole sheet,
    cut at the first page's edge ('rounded once to the USD min'), and the second group's page printed the rest
    of it over its first column, the two texts on top of each other."""
    _, pages = printed["journal"]
    accrual = [p for p in pages if p.sheet == "Accrual"]
    assert len(accrual) >= 2
    note = ("Each estimate in its own currency (base scenario): its total (tax, and the penalty and interest "
            "estimated) and its tax converted to USD at the as-of date's rate and rounded once to the USD minor "
            "unit; penalty and interest are the difference. The debits are the sums of these.")
    assert _flat(note) in _flat(accrual[0].text)
    for page in accrual[1:]:
        assert "difference" not in page.text and "estimate in its own" not in _flat(page.text)
        body = sorted(page.body(), key=lambda w: (round(w[1]), w[0]))
        assert body[0][4] == "Code", f"an Accrual page starts with {body[0][4]!r}"


def _lines(page: Page) -> list[list[str]]:
    """The page's body as printed lines, each its words left to right."""
    rows: dict[int, list[tuple[float, str]]] = {}
    for x0, y0, _, _, word in page.body():
        rows.setdefault(round(y0), []).append((x0, word))
    return [[w for _, w in sorted(words)] for _, words in sorted(rows.items())]


def test_the_accrual_totals_each_currency_on_the_page_of_the_estimates(printed):
    """The sample's estimates are in USD, JPY and KRW. Their page printed a Total row with nothing in it (the
    sums were in USD, on the next page): amounts in three currencies do not add up. Each currency has its total
    in its own figures, then the total in USD, the entry's, on both pages. Figures summed by hand from the
    sample's lines: Korea's KRW 410,197 and Japan's JPY 896,900 alone in theirs; the USD lines' tax 123,227.55
    (129,916.77 less KR's 307.20 and JP's 6,382.02), penalties 18,794.15 + Pennsylvania's 704.51 = 19,498.66 (72 P.S.
    7266(a): 5% a month or part of a month late, up to 25%, each return due on the 20th: April's 972.83 and May's
    647.30 at 25%, June's 477.69 at 20%, July's 648.80 at 15%, August's 612.86 at 10%, September's 906.75 at 5%,
    October's not yet due; 704.514) and New York's and Georgia's interest 1,604.13 + 268.52 = 1,872.65.
    Pennsylvania's line totals 5,772.00, not 5,067.48 + 704.51: its tax and penalty are rounded once together, so the
    totals grow by 704.52. (Maryland's tax runs from its crossing day, 2025-12-05, not 2026-01-01, COMAR
    03.06.01.33: its tax 3,529.86, was 3,266.18, and its penalty 325.85, was 299.48.) Japan's and South Korea's
    penalties and interest (2026-12-06): JPY 42,437 and 18,503, KRW 76,420 and 25,540, each summed from the months'
    unrounded figures; converted, Japan's line is JPY 957,840 at 0.0063593 = 6,091.18 (5,703.65 of tax, 387.53 more)
    and Korea's KRW 512,158 at 0.00074891 = 383.56 (307.20 of tax, 76.36 more): the totals grow by 463.89, to
    21,835.20 and 151,073.60. Japan's marketplace sales that were its own supplies (its services, and its e-books and
    SaaS before 2025-04-01: JPY 1,066,742, the ledger's, at 10%): JPY 1,003,574 of tax (896,900 + 106,674), 47,688 of
    penalty and 20,708 of interest, 1,071,970 in all = USD 6,382.02 + 434.95 = 6,816.97: the totals 129,916.77,
    21,882.62 and 151,799.39. New Jersey's central rate for 2026 is its 6.625% plus its average local -0.02%, 6.605%,
    not the state rate (tax-rates.json): its tax 9,925.52, was 9,938.79 (13.27 less), its penalty 4,352.57, was
    4,354.96 (2.39 less), its line 14,278.10, was 14,293.75 (15.65 less): the USD lines' tax 123,214.28, penalties
    19,496.27, totals 144,583.21; the totals in USD 129,903.50, 21,880.24 (New Jersey's booked penalty 14,278.10 less
    9,925.52, 4,352.58, 2.38 less) and 151,783.74. The check's tax, rounded once, is 129,903.51: Korea's tax, the line
    nearest the next cent (USD 307.2022), takes it (307.21), and the totals in USD are 129,903.51, 21,880.23 and
    151,783.74, the check's. The refunds in the period linked by order id to sales made before tax was due are left
    out, no longer netted (seven states' lines grew: New York's tax by 164.21): the USD lines' tax 123,416.41,
    penalties 19,538.27, interest 1,899.10, totals 144,853.81; the totals in USD 130,105.63, 21,948.69 and
    152,054.32, the check's."""
    _, pages = printed["journal"]
    estimates, booked = [p for p in pages if p.sheet == "Accrual"][:2]
    lines = {tuple(line[:2]): line[2:] for line in _lines(estimates)}
    assert ("Total",) not in {tuple(line) for line in _lines(estimates) + _lines(booked)}
    assert lines[("USD", "total")] == ["12", "estimates", "USD", "123,416.41", "USD", "19,538.27", "USD",
                                       "1,899.10", "USD", "144,853.81", "USD"]
    assert lines[("JPY", "total")] == ["1", "estimate", "JPY", "1,003,574", "JPY", "47,688", "JPY", "20,708", "JPY",
                                       "1,071,970", "JPY"]
    assert lines[("KRW", "total")] == ["1", "estimate", "KRW", "410,197", "KRW", "76,420", "KRW", "25,540", "KRW",
                                       "512,158", "KRW"]
    assert lines[("Total", "in")] == ["USD", "all,", "converted", "USD", "130,105.63", "USD", "152,054.32", "USD"]
    converted = {tuple(line[:2]): line[2:] for line in _lines(booked)}
    assert converted[("JPY", "total")] == ["6,382.02", "USD", "434.94", "USD", "6,816.96", "USD"]
    assert converted[("Total", "in")] == ["USD", "130,105.63", "USD", "21,948.69", "USD", "152,054.32", "USD"]


def test_every_source_of_the_provider_comparison_prints_whole(printed):
    """LibreOffice prints a link on one line whatever the cell's wrapping: 22 of the sample comparison's 200
    source addresses printed cut at the column's edge (a Japanese page's address, percent-encoded, the most)."""
    workbook, pages = printed["providers"]
    text = re.sub(r"\s+", "", "".join(p.text for p in pages if p.sheet == "Sources"))
    cells = [r[1] for r in load_workbook(workbook)["Sources"].iter_rows(min_row=2) if r[1].value]
    assert sum(1 for c in cells if c.hyperlink) >= 150
    assert [c.value for c in cells if re.sub(r"\s+", "", c.value) not in text] == []


def test_the_page_counts_docs_workbook_md_states_are_the_sample_s(printed):
    """docs/workbook.md tells a reader how many pages the sample prints on: a count left behind when a sheet grows
    has them wonder what is missing from their printout."""
    page = " ".join((Path(__file__).resolve().parent.parent / "docs" / "workbook.md").read_text(encoding="utf-8")
                    .split())
    a4, letter = len(printed["sample-a4"][1]), len(printed["sample-letter"][1])
    assert f"prints through LibreOffice on {a4} A4 pages or {letter} Letter pages" in page
    # and the README's first command's, with the registrations file (its Timeline, Detail 66 wide, ran onto a third
    # page for six rows until the column was widened to 80)
    assert f"with the registrations file, on {len(printed['registered-a4'][1])} A4 pages" in page


#: The comparison's printed tables and the headers each of their pages must hold: each sheet prints in one column
#: group, its header on every page.
PROVIDER_TABLES = {
    "Presence delta": ["Candidate", "Code", "Jurisdiction", "Effect", "Today", "Under candidate", "Sales test today",
                       "Item", "Kind", "Location", "Verdict", "Why"],
    "Nexus delta": ["Candidate", "Code", "Jurisdiction", "Change", "Status today", "Nexus today", "Sales today",
                    "Status under candidate", "Nexus under candidate", "Sales under candidate", "Why"],
    "Potential exposure": ["Candidate", "Code", "Jurisdiction", "Why nexus", "Sales in those days",
                           "Taxable sales in those days", "Est. tax a year, low", "Est. tax a year, central",
                           "Est. tax a year, high", "Note"],
    "Tax no longer yours": ["Candidate", "Code", "Nexus", "Collected instead by", "Taxable sales in those days",
                            "Est. a year, low", "Est. a year, central", "Est. a year, high",
                            "Potential exposure accrued to date (stays)", "Note"],
    "Currencies": ["Candidate", "Change", "Code", "Name", "Minor units", "ECB rate", "Country", "You sell there",
                   "Opens", "Sales, last 12 months", "What it means"],
    "Accounts": ["Candidate", "Number", "Name", "Type", "Currency", "Under", "Because of", "Reason"],
    "Checklist": ["Candidate", "Group", "Item", "Answer", "Question", "Note", "What it means for tax and books"],
    "Sources": ["What", "Source"]}


@pytest.mark.parametrize("book", ["providers-a4", "providers-letter"])
def test_the_provider_comparison_prints_in_under_30_pages(printed, book):
    """The README's comparison of two providers printed on 52 A4 or 48 Letter pages: its notes were cut into rows of
    their own, and its wide sheets printed in page-wide column groups, so the pages of one group printed those rows
    empty but for the candidate and the code (the Tax no longer yours sheet's figures were on one row in four or
    five). Each record is now one row, its sentences wrapped beside its figures, each sheet one column group: 27 A4
    and 25 Letter pages, of which the 217 sources, every address whole, take 6 and 5: about three pages a sheet.
    With the registrations file, which the README's comparison now reads as its check does (without it, GB, the
    EU's members and Florida showed potential exposure accrued where the company is registered and collecting), the
    places' notes say each registration stays until cancelled: 28 A4 pages. Under 30 leaves a page or two that
    another machine's fonts may add (this one lays Calibri out in DejaVu Sans, the wide case; with Carlito the text
    is narrower and the rows fewer), and fails on the 48 of before."""
    _, pages = printed[book]
    assert len(pages) < 30
    sheets = [p.sheet for p in pages]
    assert sheets[0] == "Summary" and sheets.count("Summary") == 1
    assert list(dict.fromkeys(sheets)) == ["Summary", "Presence delta", "Nexus delta", "Potential exposure",
                                           "Tax no longer yours", "Currencies", "Accounts", "Checklist", "Sources"]
    for page in pages:
        if page.sheet in PROVIDER_TABLES:
            words = {w[4] for w in page.words}
            missing = {h for h in PROVIDER_TABLES[page.sheet] for part in h.split() if part not in words}
            assert not missing, f"a {page.sheet} page without {missing}: a column group of its own, or no header"


def _first_column_lines(page: Page) -> list[list[str]]:
    """The page's printed lines that begin in its first column (a row's first line), each its words left to right
    (words within 3 points of the line's top are on it: a figure and a word of one row sit a fraction apart); the
    lines a wrapped cell goes on in begin further right."""
    left = min(w[0] for w in page.body())
    lines: list[tuple[float, list[tuple[float, str]]]] = []
    for x0, y0, _, _, word in sorted(page.body(), key=lambda w: w[1]):
        if lines and y0 - lines[-1][0] < 3:
            lines[-1][1].append((x0, word))
        else:
            lines.append((y0, [(x0, word)]))
    return [[w for _, w in sorted(words)] for _, words in lines if min(words)[0] - left < 2]


@pytest.mark.parametrize("book", ["providers-a4", "providers-letter"])
def test_every_place_s_line_in_the_tax_no_longer_yours_carries_its_figures(printed, book):
    """Each place is one row: its first printed line names the candidate and the place and holds the taxable sales
    and the three estimates beside them; the note's further lines carry no candidate. Shopkit's Illinois, worked out
    in tests/test_cli_provider.py's sample run: USD 141,685.80 taxable, USD 8,855.36 to 15,585.44 a year."""
    _, pages = printed[book]
    places = [line for page in pages if page.sheet == "Tax no longer yours" for line in _first_column_lines(page)
              if line[0] in ("Hostwell", "Shopkit")]
    assert [line[1] for line in places] == ["GB", "DE", "FR", "Total", "Net", "US-IL", "US-PA", "US-FL", "US-GA",
                                            "US-OH", "Total", "Net"]
    for line in places:
        assert len([w for w in line if re.fullmatch(r"\(?[\d,]+\.\d\d\)?", w)]) >= 3, line
    illinois = next(line for line in places if line[1] == "US-IL")
    assert illinois[:9] == ["Shopkit", "US-IL", "removed", "Shopkit", "as", "141,685.80", "USD", "8,855.36", "USD"]
    assert "15,585.44" in illinois


def test_the_page_counts_docs_provider_md_states_are_the_comparison_s(printed):
    """docs/provider.md tells a reader how many pages the README's comparison prints on."""
    page = " ".join((Path(__file__).resolve().parent.parent / "docs" / "provider.md").read_text(encoding="utf-8")
                    .split())
    a4, letter = len(printed["providers-a4"][1]), len(printed["providers-letter"][1])
    assert f"prints through LibreOffice on {a4} A4 pages or {letter} Letter pages" in page


def _last_column_text(page: Page, header: str) -> str:
    """The words printed in a page's last column, the one headed ``header``, top to bottom: a wrapped cell's
    lines in order, without the cells beside them."""
    left = min(w[0] for w in page.body() if w[4] == header) - 2
    words = sorted((w for w in page.body() if w[0] >= left), key=lambda w: (round(w[1]), w[0]))
    return " ".join(w[4] for w in words)


@pytest.mark.parametrize("book", ["providers-a4", "providers-letter"])
def test_the_comparison_s_wrapped_sentences_print_whole(printed, book):
    """Each reason and note, wrapped in its cell, is on paper word for word: no row too short for its text (the
    total's note is bold, and wider)."""
    workbook = load_workbook(printed["providers"][0])
    _, pages = printed[book]
    for sheet, header in (("Nexus delta", "Why"), ("Presence delta", "Why"), ("Tax no longer yours", "Note"),
                          ("Potential exposure", "Note")):
        text = _flat(" ".join(_last_column_text(p, header) for p in pages if p.sheet == sheet))
        ws = workbook[sheet]
        top = next(r for r in range(1, 5) if ws.cell(r, 1).value == "Candidate")
        column = [c.value for c in ws[top]].index(header) + 1
        sentences = [ws.cell(r, column).value for r in range(top + 1, ws.max_row + 1) if ws.cell(r, column).value]
        assert sentences and [s for s in sentences if _flat(s) not in text] == [], sheet


def test_the_exports_summary_has_room_to_print_above_half_size(written):
    """The README's check with the platform exports printed its one-page Summary at 51% on Letter, a line from the
    50% floor: each status's meaning was three lines tall in its column (the longest ran past the columns it could
    run on into), and the voluntary-disclosure caveat named its 15 places over three lines, which the Assumptions
    sheet names row by row. Read here without rendering (the workbook the printed pages are rendered from): the
    Summary's rows, in points, at 15 a line. 1,388 before; now 1,307 (54% on Letter with LibreOffice's DejaVu
    Sans)."""
    summary = load_workbook(written["exports-letter"][1])["Summary"]
    rows = {r: summary.row_dimensions[r].height or 15 for r in range(1, summary.max_row + 1)}
    assert sum(rows.values()) <= 1320
    meanings = [r[0].row for r in summary.iter_rows() if r[1].value == "exceeded" and isinstance(r[0].value, int)]
    assert meanings and all(rows[r] == 15 for r in meanings)  # on one line
    said = " ".join(c for r in summary.iter_rows(values_only=True) for c in r if isinstance(c, str))
    assert ("Through voluntary disclosure: the tax alone in 6 places with no programme terms nexus can apply; interest "
            "or penalties due under the programme not estimated in 9 places (Assumptions names them).") in said
