"""Render each sheet of the sample report workbook to a PNG in docs/images/, through LibreOffice.

    python docs/make_screenshots.py     # needs soffice (LibreOffice) and pdftoppm (poppler-utils)

Each sheet is written to a workbook of its own with the library's own declarations, converted to PDF by
LibreOffice headless (as an accountant's spreadsheet program would lay it out), and the first page of
the PDF becomes the picture.
"""
import subprocess
import tempfile
from datetime import date
from pathlib import Path

from nexus import presence
from nexus.workbooks import report as report_workbook
from nexus.check import check
from nexus.fx import load_rates
from nexus.rules import load_rules
from nexus.sales import read_sales
from nexus.workbooks.sheet import write_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "spreadsheets"
IMAGES = ROOT / "docs" / "images"


def sample_result():
    ledger = read_sales([str(SAMPLES / "orders-2025.csv"), str(SAMPLES / "orders-2026.csv")])
    on = date(2026, 10, 31)
    items = presence.assess(presence.read_presence(str(SAMPLES / "presence.csv")), on)
    return check(ledger, load_rules(), on, load_rates(str(SAMPLES / "eurofxref-hist.csv")), presence=items)


def main() -> None:
    result = sample_result()
    IMAGES.mkdir(exist_ok=True)
    sheets = {"summary": report_workbook._summary(result), "findings": report_workbook._findings(result),
              "presence": report_workbook._presence(result), "monthly": report_workbook._monthly(result), "rules": report_workbook._rules(result),
              "rejected-rows": report_workbook._rejected(result)}
    with tempfile.TemporaryDirectory() as work:
        for name, sheet in sheets.items():
            book = Path(work) / f"{name}.xlsx"
            write_workbook(str(book), [sheet], title=name)
            subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", work, str(book)],
                           check=True, capture_output=True)
            subprocess.run(["pdftoppm", "-png", "-r", "110", "-f", "1", "-l", "1", "-singlefile",
                            str(Path(work) / f"{name}.pdf"), str(IMAGES / name)], check=True)


if __name__ == "__main__":
    main()
