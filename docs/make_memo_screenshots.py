"""Screenshots of the sample memo for docs/memo.md, as a browser shows it and as it prints, and of the provider
comparison's memo for docs/provider.md.

    python docs/make_memo_screenshots.py   # needs chromium, pdftoppm (poppler-utils) and the test extra

The memo of the README's sample check is rendered by the library, opened in headless Chromium with the
network off (the driver the render tests use, tests/chromium.py), photographed at a desktop width, and
printed on A4 landscape; two printed pages become pictures with pdftoppm. The comparison of the two bundled
provider profiles (docs/provider.md's command, with --html) is photographed at the first candidate: its
verdict, what it brings and the maps of where nexus would change.
"""
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "docs"), str(ROOT / "tests")]

from chromium import Chromium  # noqa: E402
from make_screenshots import IMAGES, sample_result  # noqa: E402

from nexus import presence, provider  # noqa: E402
from nexus.chart import read_chart  # noqa: E402
from nexus.fx import load_rates  # noqa: E402
from nexus.memo import write_memo  # noqa: E402
from nexus.memo.provider import write_comparison_memo  # noqa: E402
from nexus.provider_profile import read_profile  # noqa: E402
from nexus.rules import load_rules  # noqa: E402
from nexus.sales import read_sales  # noqa: E402

#: Printed pages shown: the first (headline and US map) and the page the jurisdictions table starts on.
PRINTED = {"memo-printed-first-page": "Tax nexus memo as of", "memo-printed-jurisdictions": "Jurisdictions, most"}


def sample_comparison() -> provider.Comparison:
    """The comparison of docs/provider.md: the two bundled profiles against the sample set-up, seller in Japan,
    with the files named as that command names them (relative to the repository)."""
    os.chdir(ROOT)
    setup = provider.Setup(
        ledger=read_sales(["spreadsheets/orders-2025.csv", "spreadsheets/orders-2026.csv"]),
        presence=presence.read_presence("spreadsheets/presence.csv"),
        chart=read_chart("spreadsheets/chart-of-accounts.csv"),
        chart_source="spreadsheets/chart-of-accounts.csv", presence_source="spreadsheets/presence.csv", home="JP",
        rates=load_rates("spreadsheets/eurofxref-hist.csv"))
    profiles = [read_profile(f"spreadsheets/provider-{name}.yaml") for name in ("shopkit", "hostwell")]
    return provider.compare(profiles, setup, load_rules(), date(2026, 10, 31))


def main() -> None:
    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        memo = Path(work) / "memo.html"
        write_memo(sample_result(), memo)
        comparison = Path(work) / "providers.html"
        write_comparison_memo(sample_comparison(), comparison)
        browser = Chromium(shutil.which("chromium") or "chromium", Path(work) / "profile")
        try:
            page = browser.page()
            page.offline()
            page.open(memo, width=1280, height=1000)
            (IMAGES / "memo-desktop.png").write_bytes(page.screenshot(full=False))
            page.evaluate("document.getElementById('jurisdictions').scrollIntoView()")
            (IMAGES / "memo-desktop-jurisdictions.png").write_bytes(page.screenshot(full=False))
            pdf = Path(work) / "memo.pdf"
            page.evaluate("window.scrollTo(0, 0)")
            pdf.write_bytes(page.pdf("A4"))
            page.open(comparison, width=1280, height=1000)
            page.evaluate("document.getElementById('candidate-1').scrollIntoView()")
            (IMAGES / "memo-provider-desktop.png").write_bytes(page.screenshot(full=False))
        finally:
            browser.close()
        pages = int(subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
                    .stdout.split("Pages:")[1].split()[0])
        for name, starts in PRINTED.items():
            number = next(n for n in range(1, pages + 1) if " ".join(subprocess.run(
                ["pdftotext", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True, text=True,
                check=True).stdout.split()).startswith(starts))
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(number), "-l", str(number), "-singlefile",
                            str(pdf), str(IMAGES / name)], check=True)
        print(f"{pages} printed pages (A4 landscape)")


if __name__ == "__main__":
    main()
