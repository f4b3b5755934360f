"""The provider comparison's memo in a real browser: headless Chromium (the run's one browser, the ``browser``
fixture in conftest.py) renders the bundled two-profile comparison with the network off, and prints it on A4
and Letter with no table row cut; a hostile profile runs nothing. The probes (a script that runs, a row cut
in two) are shown to see what they look for in test_memo_browser.py, which this module borrows them from.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from nexus.cli import cli
from nexus.memo import maps
from shared_runs import bundled_comparison
from test_memo_browser import _problems, printed_and_marked

pytestmark = pytest.mark.slow

#: The sample comparison prints on 27 landscape pages (two candidates, each from a new page); fewer than 18 means
#: parts are missing or run together, more than 28 that rows or maps no longer fit the page, or that citations are
#: stacked in a column again (30 pages, each table's rows as tall as their 12 to 18 citations, before they were said
#: once under each table).
PAGES = range(18, 29)
SECTIONS = ["Candidates side by side", "1. Hostwell", "2. Shopkit", "Sources cited", "Assumptions",
            "Rows and input files"]
HOSTILE = '"><img src=x onerror="window.__pwned=2;alert(2)">'


def _compare(*args: str) -> None:
    result = CliRunner().invoke(cli, ["provider", "compare", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The bundled comparison's memo, from the run test_cli_provider.py and test_screens_review.py read too."""
    return bundled_comparison(tmp_path_factory).file("providers.html")


def test_the_comparison_renders_offline_with_every_map_and_table(page, sample):
    page.offline()
    page.open(sample)
    tiles = page.evaluate("""Object.fromEntries([...document.querySelectorAll('svg.map')].map(svg => [svg.id,
        Object.fromEntries([...svg.querySelectorAll('g.tile')].map(g => [g.dataset.code,
            [g.dataset.category, g.getBBox().width, getComputedStyle(g.querySelector('rect')).fill]]))]))""")
    assert sorted(tiles) == ["us-map-1", "us-map-2", "world-map-1", "world-map-2"]
    assert len(tiles["us-map-1"]) == 51 and set(tiles["us-map-2"]) - set(tiles["us-map-1"]) == {"US-GU", "US-PR"}
    assert len(tiles["world-map-1"]) >= len(maps.world_tiles())
    assert all(width == 56 for drawn in tiles.values() for _, width, _ in drawn.values())
    assert tiles["us-map-1"]["US-NV"][0] == "new-nexus" and tiles["us-map-1"]["US-NV"][2] == "rgb(159, 18, 57)"
    assert tiles["us-map-2"]["US-FL"][0] == "nexus-removed" and tiles["us-map-2"]["US-FL"][2] == "rgb(22, 101, 52)"
    assert tiles["world-map-1"]["GB"][0] == "nexus-removed"
    headings = page.evaluate("[...document.querySelectorAll('h2')].filter(h => h.offsetHeight > 0)"
                             ".map(h => h.textContent)")
    assert headings == SECTIONS
    hidden = page.evaluate("[...document.querySelectorAll('tbody tr')].filter(tr => "
                           "tr.getBoundingClientRect().height === 0).length")
    assert hidden == 0 and page.evaluate("document.querySelectorAll('tbody tr').length") > 50
    assert page.evaluate("document.scrollingElement.scrollWidth") <= 1280  # nothing wider than the window
    requests = [e["params"]["request"]["url"] for e in page.events("Network.requestWillBeSent")]
    assert requests == [sample.resolve().as_uri()]
    assert page.evaluate("performance.getEntriesByType('resource').length") == 0
    assert _problems(page) == []
    png = page.screenshot()
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and int.from_bytes(png[16:20], "big") == 1280


def test_a_hostile_profile_runs_nothing(page, write, tmp_path):
    candidate = write("evil.yaml", f"""\
        name: "<script>window.__pwned=1;alert(1)</script>"
        description: '{HOSTILE}'
        currencies: [USD]
        integration:
          double_byte_text:
            answer: no
            note: '{HOSTILE}'
            reference: '{HOSTILE}'
        """)
    memo = tmp_path / "evil.html"
    _compare(candidate, "--as-of", "2026-10-31", "--html", str(memo))
    page.open(memo)
    page.evaluate("new Promise(r => setTimeout(r, 50))")  # time for an error handler, were there an image
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert page.events("Page.javascriptDialogOpening") == []
    assert page.evaluate("document.images.length") == 0 and page.evaluate("document.scripts.length") == 1
    text = page.evaluate("document.body.textContent")
    assert "<script>window.__pwned=1;alert(1)</script>" in text and HOSTILE in text
    assert _problems(page) == []


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_comparison_is_landscape_each_candidate_from_a_new_page_and_no_row_cut(
        browser, sample, tmp_path, paper):
    pages, size, (rows, cut) = printed_and_marked(browser, sample, tmp_path / f"providers-{paper}.pdf", paper)
    assert len(pages) in PAGES
    assert size == {"A4": (842, 596), "Letter": (792, 612)}[paper]
    memo_page = (Path(__file__).resolve().parent.parent / "docs" / "memo.md").read_text(encoding="utf-8")
    assert f"The two bundled profiles print on {len(pages)} landscape pages" in " ".join(memo_page.split())
    starts = [" ".join(text.split())[:80] for text in pages]
    assert starts[0].startswith("Provider comparison as of 2026-10-31")
    for heading in SECTIONS[1:]:
        assert any(s.startswith(heading) for s in starts), heading
    hostwell = next(i for i, s in enumerate(starts) if s.startswith("1. Hostwell"))
    maps_page = next(i for i, text in enumerate(pages) if "Where nexus would change" in text)
    assert maps_page in (hostwell, hostwell + 1)  # the maps follow the candidate's facts, legend and all
    assert "Nexus removed: nexus today, none under this provider" in pages[maps_page]
    assert "Hover" not in " ".join(pages)  # paper cannot be hovered: it points at the nexus table instead
    # a place's code is never cut at its hyphen ('US-' above 'HI' in the side-by-side table)
    assert not [line for text in pages for line in text.splitlines() if re.search(r"\b(US|CA)-$", line.strip())]
    assert "The nexus table below gives today's finding and the one under Hostwell" in " ".join(
        " ".join(pages).split())
    assert rows > 50 and cut == []
    # Before: Shopkit's two 'unknown' answers printed as 'unknow' above 'n' in the checklist's Answer column
    assert not [line for text in pages for line in text.splitlines() if re.search(r"\bunknow\b", line)]
    assert len(re.findall(r"\bunknown\b", " ".join(pages))) >= 2
