"""Screenshots of the sample memo for docs/memo.md, as a browser shows it and as it prints.

    python docs/make_memo_screenshots.py   # needs chromium, pdftoppm (poppler-utils) and the test extra

The memo of the README's sample check is rendered by the library, opened in headless Chromium with the
network off (the driver the render tests use, tests/chromium.py), photographed at a desktop width, and
printed on A4 landscape; two printed pages become pictures with pdftoppm.
"""
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "docs"), str(ROOT / "tests")]

from chromium import Chromium  # noqa: E402
from make_screenshots import IMAGES, sample_result  # noqa: E402

from nexus.memo import write_memo  # noqa: E402

#: Printed pages shown: the first (headline and US map) and the page the jurisdictions table starts on.
PRINTED = {"memo-printed-first-page": "Tax nexus memo as of", "memo-printed-jurisdictions": "Jurisdictions, most"}


def main() -> None:
    IMAGES.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        memo = Path(work) / "memo.html"
        write_memo(sample_result(), memo)
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
