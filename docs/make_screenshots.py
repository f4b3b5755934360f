"""Render the sample report workbook as it prints, one picture per sheet, into docs/images/, through LibreOffice.

    python docs/make_screenshots.py     # needs soffice (LibreOffice) and pdftoppm, pdftotext (poppler-utils)

The sample report (the README's check, with the presence and registrations files) is written on A4 as nexus writes it and
converted to PDF by LibreOffice headless, as an accountant's spreadsheet program prints it; the first
page of each printed sheet becomes its picture. The appendices are hidden so they do not print: for
their pictures each is written again, shown, to a workbook of its own converted in the same call.
"""
import dataclasses
import html
import os
import re
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from nexus import presence
from nexus.check import check
from nexus.findings import Context
from nexus.fx import load_rates
from nexus.registrations import read_registrations
from nexus.rules import load_rules
from nexus.sales import read_sales
from nexus.workbooks.report import report_sheets
from nexus.workbooks.sheet import Sheet, write_workbook

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
PICTURES = {"Summary": "summary", "Chart": "chart", "Findings": "findings", "Timeline": "timeline",
            "Presence": "presence", "Rules": "rules", "Assumptions": "assumptions", "Monthly detail": "monthly",
            "Rejected rows": "rejected-rows"}


def sample_result():
    """The README's check, its files named as the README's command names them (spreadsheets/orders-2025.csv, not
    this machine's path to it): the pictures show what a reader who runs that command sees."""
    here = os.getcwd()
    os.chdir(ROOT)
    try:
        ledger = read_sales(["spreadsheets/orders-2025.csv", "spreadsheets/orders-2026.csv"])
        on = date(2026, 10, 31)
        items = presence.assess(presence.read_presence("spreadsheets/presence.csv"), on)
        held = read_registrations("spreadsheets/registrations.csv", load_rules().countries())
        return check(ledger, load_rules(), on, load_rates("spreadsheets/eurofxref-hist.csv"), presence=items,
                     timed=Context(held))
    finally:
        os.chdir(here)


def first_pages(pdf: Path) -> dict[str, int]:
    """The first page of each sheet, by the sheet name in each page's footer (left of "page x of y")."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    first: dict[str, int] = {}
    for number, page in enumerate(boxes.split("<page ")[1:], start=1):
        height = float(re.search(r'height="([\d.]+)"', page).group(1))
        words = [(float(x), float(y), html.unescape(w)) for x, y, w in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="[\d.]+">([^<]*)</word>', page)]
        footer = [w for x, y, w in sorted(words) if y > height - 35]
        if "page" in footer:
            first.setdefault(" ".join(footer[:footer.index("page")]), number)
    return first


def main() -> None:
    result = sample_result()
    sheets = report_sheets(result)
    appendices = [dataclasses.replace(s, appendix=False) for s in report_sheets(result)  # rows read once each
                  if isinstance(s, Sheet) and s.appendix and s.title in PICTURES]
    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        books = {"printed": sheets, **{f"appendix-{i}": [sheet] for i, sheet in enumerate(appendices)}}
        for name, declared in books.items():
            write_workbook(str(Path(work) / f"{name}.xlsx"), declared, title=f"Tax nexus report as of {result.as_of}",
                           as_of=result.as_of, paper="A4")
        subprocess.run(["soffice", f"-env:UserInstallation={(Path(work) / 'profile').as_uri()}", "--headless",
                        "--convert-to", "pdf", "--outdir", work] + [str(Path(work) / f"{b}.xlsx") for b in books],
                       check=True, capture_output=True)
        for name in books:
            pdf = Path(work) / f"{name}.pdf"
            for sheet, page in first_pages(pdf).items():
                if sheet in PICTURES:
                    subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(page), "-l", str(page), "-singlefile",
                                    str(pdf), str(IMAGES / PICTURES[sheet])], check=True)


if __name__ == "__main__":
    main()
