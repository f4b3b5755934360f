"""The memo in a real browser: headless Chromium renders the sample memo offline, runs (or does not run) its
script, prints it on A4 and Letter, and a hostile memo shows that input text never runs. One Chromium for
the whole run (the session fixture ``browser`` in conftest.py, shared with test_provider_memo_browser.py);
each test opens its own tab.

Each probe is also shown to catch what it looks for (a script that runs, a request that leaves, a row cut in
two), on a small page made to fail, so that a passing test means the memo passed, not that the probe was
blind.
"""
from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES_AS_GIVEN, at_repository, needs_program
from nexus.cli import cli
from nexus.memo import maps
import shared_runs

pytestmark = pytest.mark.slow

HOSTILE_SCRIPT = "<script>window.__pwned=1;alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror="window.__pwned=2;alert(2)">'
ORDER = "[...document.querySelectorAll('#jurisdiction-table tbody tr')].map(r => r.dataset.code)"
#: The sample memo prints on about 20 landscape pages; fewer than 14 means parts are missing or run together,
#: more than 24 that rows or sources no longer fit the page.
PAGES = range(14, 25)
SECTIONS = ["Countries and the European Union", "Timeline: deadlines and crossings ahead",
            "Jurisdictions, most urgent first", "Physical presence", "Rules and sources applied", "Sources cited",
            "Assumptions", "Rows and input files"]


def _check(*args: str) -> None:
    result = CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample memo, and the same check's findings as JSON: the run test_memo.py reads too (shared_runs.py)."""
    ran = shared_runs.sample_memo(tmp_path_factory)
    return ran.file("memo.html"), json.loads(ran.file("check.json").read_text(encoding="utf-8"))["findings"]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    """A memo from orders whose customer names and file name, and a presence note, are markup and script."""
    folder = tmp_path_factory.mktemp("hostile")
    orders = folder / 'orders"><img src=x onerror="window.__pwned=3;alert(3)">.csv'
    quoted = HOSTILE_IMG.replace('"', '""')
    orders.write_text(
        "Order ID,Created At,Customer Name,Ship Country,Ship State,Category,Channel,Type,Tax Exempt,Currency,Amount\n"
        f"A-1,2026-01-05,{HOSTILE_SCRIPT},US,FL,goods,direct,sale,no,USD,150000.00\n"
        f"A-1,2026-01-05,{HOSTILE_SCRIPT},US,FL,goods,direct,sale,no,USD,150000.00\n"
        f'A-2,2026-01-06,"{quoted}",US,TX,goods,direct,sale,no,USD,abc\n', encoding="utf-8")
    presence = folder / "presence.csv"
    presence.write_text("kind,location,ownership,dedicated,function,since,until,note\n"
                        f'warehouse,US-NJ,third-party,no,storage,2025-03-01,,"{quoted} {HOSTILE_SCRIPT}"\n',
                        encoding="utf-8")
    _check("--sales", str(orders), "--presence", str(presence), "--as-of", "2026-10-31", "--skip-bad-rows",
           "--html", str(folder / "memo.html"))
    return folder / "memo.html"


def _problems(tab) -> list[str]:
    """Errors the page reported: console errors, exceptions, policy violations."""
    found = [e["params"]["entry"]["text"] for e in tab.events("Log.entryAdded")
             if e["params"]["entry"]["level"] == "error"]
    found += [str(e["params"]["exceptionDetails"].get("text")) for e in tab.events("Runtime.exceptionThrown")]
    found += [str(e["params"].get("args")) for e in tab.events("Runtime.consoleAPICalled")
              if e["params"]["type"] == "error"]
    return found


def test_the_sample_renders_offline_with_every_nexus_place_on_its_map_and_in_the_table(page, sample):
    memo, findings = sample
    page.offline()
    page.open(memo)
    tiles = page.evaluate("""Object.fromEntries([...document.querySelectorAll('g.tile')].map(g => [g.dataset.code,
        [g.getAttribute('class'), g.getBBox().width, getComputedStyle(g.querySelector('rect')).fill,
         g.closest('svg').id]]))""")
    rows = page.evaluate("""[...document.querySelectorAll('#jurisdiction-table tbody tr')].map(tr =>
        [tr.dataset.code, tr.getBoundingClientRect().height > 0])""")
    nexus = [f for f in findings if f["nexus"]]
    assert len(nexus) == 21 and len(tiles) == 51 + len(maps.world_tiles())  # the states and DC, and the world
    for f in nexus:
        css, width, fill, svg = tiles[f["jurisdiction"]]
        assert f"nexus-{f['nexus']}" in css.split() and width == 56, f["jurisdiction"]
        assert svg == ("us-map" if f["jurisdiction"].startswith("US-") else "world-map")
        assert [f["jurisdiction"], True] in rows
    assert tiles["US-FL"][2] == "rgb(159, 18, 57)" and tiles["US-TX"][2] == "rgb(107, 33, 168)"  # drawn in colour
    assert tiles["US-CA"][2] == "rgb(251, 191, 36)"
    assert len(rows) == len(findings)
    headings = page.evaluate("[...document.querySelectorAll('h2')].filter(h => h.offsetHeight > 0)"
                             ".map(h => h.textContent)")
    # the estimates' assumptions follow the Assumptions on their page (a heading, but no page of its own)
    assert headings == ["United States: nexus by state"] + SECTIONS[:-1] + ["What the estimates assume", SECTIONS[-1]]
    assert page.evaluate("document.querySelectorAll('#timeline .lane').length") == 21
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1280  # nothing wider than the window
    # Nothing left the page: the only request is the file itself, and nothing complained.
    requests = [e["params"]["request"]["url"] for e in page.events("Network.requestWillBeSent")]
    assert requests == [memo.resolve().as_uri()]
    assert page.evaluate("performance.getEntriesByType('resource').length") == 0
    assert _problems(page) == []
    png = page.screenshot()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 1280


def test_hostile_input_is_inert(page, hostile):
    page.open(hostile)
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.events("Page.javascriptDialogOpening") == []
    assert page.evaluate("document.images.length") == 0 and page.evaluate("document.scripts.length") == 1
    assert page.evaluate("[...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => "
                         "a.name.startsWith('on'))).length") == 0
    text = page.evaluate("document.body.textContent")
    assert HOSTILE_SCRIPT in text and HOSTILE_IMG in text and 'onerror="window.__pwned=3;alert(3)">.csv' in text
    assert _problems(page) == []  # not even blocked by the policy: nothing tried to run


def test_the_probe_sees_a_script_that_runs(page, tmp_path):
    unsafe = tmp_path / "unsafe.html"
    unsafe.write_text(f"<!DOCTYPE html><html lang='en'><title>t</title><p>{HOSTILE_SCRIPT}</p><p{HOSTILE_IMG}</p>",
                      encoding="utf-8")
    page.open(unsafe)
    page.evaluate("new Promise(r => setTimeout(r, 50))")  # let the broken image's error handler run
    assert page.evaluate("window.__pwned") in (1, 2) and page.evaluate("document.images.length") == 1
    assert [e["params"]["message"] for e in page.events("Page.javascriptDialogOpening")][:1] == ["1"]


_LOAD = """new Promise(done => {
    const image = new Image();
    image.onload = image.onerror = () => done('settled');
    image.src = %s;
    document.body.append(image);
    fetch(%s).catch(() => null);
})"""


def test_the_policy_stops_remote_loads_that_a_page_without_it_makes(browser, sample, httpserver, tmp_path):
    httpserver.expect_request("/pixel.png").respond_with_data(b"", content_type="image/png")
    httpserver.expect_request("/data").respond_with_data(b"{}", content_type="application/json")
    pixel, data = json.dumps(httpserver.url_for("/pixel.png")), json.dumps(httpserver.url_for("/data"))
    memo = browser.page()
    try:
        memo.open(sample[0])
        assert memo.evaluate(_LOAD % (pixel, data)) == "settled"
        memo.evaluate("new Promise(r => setTimeout(r, 200))")  # the fetch is refused at once; give it time anyway
        assert httpserver.log == []
        blocked = " ".join(e["params"]["entry"]["text"] for e in memo.events("Log.entryAdded"))
        assert "Content Security Policy" in blocked
    finally:
        memo.close()
    plain = tmp_path / "plain.html"
    plain.write_text("<!DOCTYPE html><html lang='en'><title>t</title><body></body></html>", encoding="utf-8")
    control = browser.page()
    try:
        control.open(plain)
        control.evaluate(_LOAD % (pixel, data))
        assert any(request.path == "/pixel.png" for request, _ in httpserver.log)  # the probe sees a load
    finally:
        control.close()


def test_without_script_the_table_is_in_urgency_order_and_with_it_sorts(browser, sample):
    memo, _ = sample
    still = browser.page()
    try:
        still.scripts(False)
        still.open(memo)
        codes = still.evaluate(ORDER)
        assert codes[:3] == ["JP", "US-TX", "GB"]
        assert still.evaluate("document.querySelectorAll('th button').length") == 0
        assert still.evaluate("document.querySelector('#jurisdiction-table th[data-label=\"Ratio\"]').textContent") \
            == "Ratio"
    finally:
        still.close()
    live = browser.page()
    try:
        live.open(memo)
        order = ORDER
        click = "document.querySelector('#jurisdiction-table th[data-label=\"%s\"] button').click()"
        live.evaluate(click % "Ratio")
        assert live.evaluate("document.querySelector('th[data-label=\"Ratio\"]').getAttribute('aria-sort')") \
            == "ascending"
        assert live.evaluate(order)[0] == "US-ND"  # 7.5%, the smallest ratio; places without one go last
        live.evaluate(click % "Ratio")
        assert live.evaluate(order)[:2] == ["US-FL", "US-OH"]  # 196%, 171%
        live.evaluate(click % "#")
        assert live.evaluate(order)[:3] == ["JP", "US-TX", "GB"]  # back to urgency
        assert _problems(live) == []
    finally:
        live.close()


#: Marks the start and end of every table cell with a tiny token, so that the printed PDF says on which page
#: each cell begins and ends; a row is cut when its tokens are on more than one page.
_MARK = """(() => {
  const rows = [];
  document.querySelectorAll('tbody tr').forEach((tr, r) => {
    rows.push(tr.cells.length);
    [...tr.cells].forEach((cell, c) => {
      for (const end of ['s', 'e']) {
        const span = document.createElement('span');
        span.textContent = ` QZ${r}X${c}${end}QZ `;
        span.style.fontSize = '1px';
        span.style.color = '#fefefe';
        if (end === 's') { cell.prepend(span); } else { cell.append(span); }
      }
    });
  });
  return rows;
})()"""


def printed(browser, page: Path, pdf: Path, paper: str, pages: str = "") -> tuple[list[str], tuple[int, int]]:
    """``page`` printed to ``pdf`` by Chromium on ``paper`` in a clean tab (every page, or those of ``pages``:
    "1"): each page's text and the page size in points."""
    tab = browser.page()
    try:
        tab.open(page)
        return printed_tab(tab, pdf, paper, pages)
    finally:
        tab.close()


def printed_tab(tab, pdf: Path, paper: str, pages: str = "") -> tuple[list[str], tuple[int, int]]:
    """The open tab printed to ``pdf``, as :func:`printed` prints a page in a clean tab."""
    pdf.write_bytes(tab.pdf(paper, pages))
    return _pages(pdf)


def _pages(pdf: Path) -> tuple[list[str], tuple[int, int]]:
    """Each page's text in drawing order (pdftotext -raw), as pdftotext gives a page alone: the whole document read
    in one call (a call a page read the file again for each of its 20 pages), cut after each page's form feed; and
    the page size in points (one pdfinfo gives both the count and the size)."""
    info = subprocess.run([needs_program("pdfinfo"), str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    width, height = (float(v) for v in re.search(r"Page size:\s+([\d.]+) x ([\d.]+)", info).groups())  # type: ignore
    text = subprocess.run([needs_program("pdftotext"), "-raw", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    pages = [page + "\f" for page in text.split("\f")[:-1]]
    assert len(pages) == count and text.endswith("\f"), f"{pdf}: {len(pages)} pages read of {count}"
    return pages, (round(width), round(height))


def cut_rows(tab, folder: Path, paper: str) -> tuple[int, list[int]]:
    """Print the open page with every cell marked; the rows whose cells start and end on different pages."""
    cells = tab.evaluate(_MARK)
    pdf = folder / f"marked-{paper}.pdf"
    pdf.write_bytes(tab.pdf(paper))
    seen: dict[int, list[int]] = {}
    for number, text in enumerate(_pages(pdf)[0], start=1):
        for token in re.finditer(r"QZ(\d+)X(\d+)[se]QZ", text):
            seen.setdefault(int(token.group(1)), []).append(number)
    assert all(len(seen.get(r, [])) == 2 * n for r, n in enumerate(cells)), "a marked cell is missing from the PDF"
    return len(cells), [r for r, found in seen.items() if len(set(found)) > 1]


def printed_and_marked(
        browser, page: Path, pdf: Path, paper: str) -> tuple[list[str], tuple[int, int], tuple[int, list[int]]]:
    """:func:`printed`, then :func:`cut_rows` of the same page: one tab, opened once, printed as it is and then
    with every cell marked."""
    tab = browser.page()
    try:
        tab.open(page)
        return (*printed_tab(tab, pdf, paper), cut_rows(tab, pdf.parent, paper))
    finally:
        tab.close()


def test_the_probe_sees_a_row_cut_in_two(page, tmp_path):
    rows = "".join(f"<tr><td>row {i}</td><td>{'<br>'.join(['line'] * (80 if i == 3 else 1))}</td></tr>"
                   for i in range(8))
    long = tmp_path / "long.html"
    long.write_text(f"<!DOCTYPE html><html lang='en'><title>t</title><style>tr {{ break-inside: auto }}</style>"
                    f"<table><tbody>{rows}</tbody></table></html>", encoding="utf-8")
    page.open(long)
    assert cut_rows(page, tmp_path, "A4") == (8, [3])


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_memo_fits_the_page_starts_each_section_on_a_page_and_cuts_no_row(
        browser, sample, tmp_path, paper):
    memo, _ = sample
    pages, size, (rows, cut) = printed_and_marked(browser, memo, tmp_path / f"memo-{paper}.pdf", paper)
    assert len(pages) in PAGES
    assert size == {"A4": (842, 596), "Letter": (792, 612)}[paper]  # landscape, in points
    starts = [" ".join(text.split())[:80] for text in pages]
    assert starts[0].startswith("Tax nexus memo as of 2026-10-31")
    for heading in SECTIONS:
        assert any(s.startswith(heading) for s in starts), heading
    assert "United States: nexus by state" in pages[0]  # the map shares the first page with the headline
    # a place's code is never cut at its hyphen: 'Tennessee (US-' above 'TN)' read as two places
    assert not [line for text in pages for line in text.splitlines() if re.search(r"\b(US|CA)-$", line.strip())]
    # paper cannot be hovered: it says where the figures are instead
    assert "Hover" not in " ".join(pages) and "The jurisdictions table gives each state's sales" in " ".join(
        " ".join(pages[0].split()).split())
    assert rows > 100 and cut == []


@pytest.fixture(scope="module")
def readme_memo(tmp_path_factory):
    """The memo of the README's first command (with the registrations file), its files named as the README names
    them: the run test_memo.py reads too (shared_runs.py)."""
    return shared_runs.readme_memo(tmp_path_factory).file("memo.html")


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_readme_memo_prints_its_map_on_the_first_page_with_the_headline(browser, readme_memo, tmp_path, paper):
    """With the registrations file the headline is two lines taller ('5 more registered and collecting', the next
    deadline): on A4, a landscape page 6 mm shorter than Letter's, the US map no longer fitted under it, and the
    first page printed the headline alone over half a page of white. Only that page is printed, laid out as in the
    whole memo."""
    pages, _ = printed(browser, readme_memo, tmp_path / f"memo-{paper}.pdf", paper, pages="1")
    first = " ".join(pages[0].split())
    assert "(5 more registered and collecting)" in first
    assert "United States: nexus by state" in first and "Nexus from sales (the sales test is met)" in first


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_readme_memo_says_what_its_estimates_assume_in_under_20_pages(browser, readme_memo, tmp_path, paper):
    """The README's memo printed 19 pages (A4 and Letter) and named none of its estimates' 26 assumptions (the
    Assumptions sheet's): a CFO quoting its total did not see that every estimate assumes monthly returns and no tax
    charged. Now the 3 most material follow the Assumptions on their page, with how many more the sheet gives: still
    19 pages, the first unchanged (on a page of their own, 20; all 26, 21). 27 since the monthly due dates were read
    from data (the places whose day the data give share one)."""
    pages, _ = printed(browser, readme_memo, tmp_path / f"memo-{paper}.pdf", paper)
    assert len(pages) < 20
    flat = [" ".join(text.split()) for text in pages]
    page = next(text for text in flat if "What the estimates assume" in text)
    assert page.startswith("Assumptions ")  # on the Assumptions page, which it follows
    assert ("the most material first (by the tax at stake there): the first 3, and 24 more in the workbook's "
            "Assumptions sheet") in page
    assert ("and 6 more Returns assumed monthly (no registration row of the place gives a filing frequency, the "
            "registrations file's column filing): each month's tax due with its payment on the place's own day in "
            "nexus's data") in page  # the places whose due day the data give; those assumed the 20th come after
    assert "all No tax charged is in the orders: the estimate assumes none was collected. USD 130,105.63" in page
    assert flat[0].startswith("Tax nexus memo as of 2026-10-31") and "United States: nexus by state" in flat[0]


def test_the_printed_memo_reads_as_a_cfo_reads(browser, tmp_path):
    """The README's check with --home US-CA, printed: the headline says the home's permit, the table says how
    long a deadline has passed in words kept whole on paper (not 'overdue 2770 d'), the timeline says Colorado
    is registered though no test requires it and which member states the EU registration is for; 19 pages
    before these words, at most one more after."""
    memo = tmp_path / "memo.html"
    given = SAMPLES_AS_GIVEN
    with at_repository():  # the memo lists the paths it was given, as the README's run does
        _check("--sales", str(given / "orders-2025.csv"), "--sales", str(given / "orders-2026.csv"), "--rates",
               str(given / "eurofxref-hist.csv"), "--as-of", "2026-10-31", "--presence", str(given / "presence.csv"),
               "--registrations", str(given / "registrations.csv"), "--home", "US-CA", "--html", str(memo))
    pages, _ = printed(browser, memo, tmp_path / "memo.pdf", "A4")
    assert len(pages) < 20
    flat = [" ".join(text.split()) for text in pages]
    # the home in one line on the first page, its paragraph under Jurisdictions (in the headline it sent the map to
    # page 2)
    assert ("Home California (US-CA), nexus by establishment; register now (the registrations file holds no permit); "
            "tax not collected 2025-01-01 to 2026-10-31: USD 58,806.12, in the total at stake") in flat[0]
    assert "United States: nexus by state" in flat[0]
    jurisdictions = " ".join(text for text in flat if "Every jurisdiction with sales or presence" in text)
    assert ("Home California (US-CA), nexus by establishment. A seller with a place of business in California must "
            "hold a sales tax permit and collect there") in jurisdictions
    # the most urgent: the home's own permit, which the registrations file does not hold (undated, so first)
    assert "California (US-CA): register now, no permit held at home" in flat[0]
    table = " ".join(text for text, page in zip(flat, pages) if "Every jurisdiction with sales or presence" in page)
    assert "2770 d" not in table and "monitor" not in table and "gap 59 d" not in table
    lines = [line.strip() for page in pages for line in page.splitlines()]
    assert "(over 7 years)" in [line.replace("\xa0", " ") for line in lines]  # kept whole in its column
    timeline = " ".join(text for text in flat if "Date Jurisdiction Event Detail" in text)
    assert "though no test requires it (sales test below; no presence creating nexus)" in timeline
    assert "(EU): for sales into Germany (DE), France (FR)" in timeline


@pytest.fixture(scope="module")
def japan_memo(tmp_path_factory):
    """The memo of the README's first command with --home JP."""
    memo = tmp_path_factory.mktemp("japan") / "memo.html"
    given = SAMPLES_AS_GIVEN
    with at_repository():
        _check("--sales", str(given / "orders-2025.csv"), "--sales", str(given / "orders-2026.csv"), "--rates",
               str(given / "eurofxref-hist.csv"), "--as-of", "2026-10-31", "--presence", str(given / "presence.csv"),
               "--registrations", str(given / "registrations.csv"), "--home", "JP", "--html", str(memo))
    return memo


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_a_home_memo_keeps_the_map_and_what_is_at_stake_on_page_1_in_under_20_pages(
        browser, japan_memo, tmp_path, paper):
    """With --home JP the memo printed 22 pages on A4 (23 on Letter), the US map on page 2: the home's paragraph
    (nine lines) and a third line of counts filled the first page; the world's places as text ran two lines onto a
    page of their own; Japan's 14 sources ran the list onto a third page; Japan's rule (its duty's start in ten
    lines of a narrow column) a fourth page of rules on Letter. Now 19: the home's line on page 1, its paragraph
    under Jurisdictions, nothing left out."""
    pages, _ = printed(browser, japan_memo, tmp_path / f"memo-{paper}.pdf", paper)
    assert len(pages) < 20
    flat = [" ".join(text.split()) for text in pages]
    first = flat[0]
    assert "United States: nexus by state" in first and "Estimated tax at stake USD 142,645.63" in first
    assert ("Home Japan (JP), nexus by establishment; registration overdue since 2025-07-01 (15 months); tax not "
            "collected 2026-01-01 to 2026-10-31: JPY 2,975,491, in the total at stake") in first
    # every figure of the home's paragraph is still printed, under Jurisdictions
    jurisdictions = " ".join(text for text in flat if "Every jurisdiction with sales or presence" in text)
    for said in ("(> JPY 10,000,000) is met by sales of JPY 263,701,632 and 3,912 transactions",
                 "Consumption tax (JCT) is due from 2026-01-01", "Registration: overdue since 2025-07-01",
                 "JPY 2,975,491 (in the total at stake)", "Not checked: the invoice system"):
        assert said in jurisdictions, said
    for heading in SECTIONS:  # each section still starts its own page
        assert any(text.startswith(heading) for text in flat), heading
