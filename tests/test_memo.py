"""The memo (nexus check --html) without a browser: one self-contained file, every input text escaped, the
content a CFO reads first, and what the maps, colours and headings promise. The browser renders are in
test_memo_browser.py (slow)."""
from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import SAMPLES, sample_ledger
from nexus import places
from nexus.check import check
from nexus.cli import cli
from nexus.fx import load_rates
from nexus.memo import (assumptions, at_stake, jurisdictions, link, map_places, maps, presence_rules, render,
                        timeline_chart)
from nexus.presence import assess, read_presence
from nexus.rules import load_rules
import shared_runs

SAMPLE = ["--sales", str(SAMPLES / "orders-2025.csv"), "--sales", str(SAMPLES / "orders-2026.csv"),
          "--rates", str(SAMPLES / "eurofxref-hist.csv"), "--as-of", "2026-10-31",
          "--presence", str(SAMPLES / "presence.csv")]
HOSTILE_SCRIPT = "<script>window.__pwned=1;alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror="window.__pwned=2;alert(2)">'


class Page(HTMLParser):
    """Every element of a page with its attributes, the text of its style and script elements, and its text."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.raw: dict[str, list[str]] = {"style": [], "script": []}
        self.text: list[str] = []
        self._in: str | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, {k: v or "" for k, v in attrs}))
        if tag in self.raw:
            self._in = tag
            self.raw[tag].append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.raw[self._in][-1] += data
        else:
            self.text.append(data)

    def all(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [a for t, a in self.elements
                if t == tag and all(a.get(k.replace("_", "-")) == v for k, v in wanted.items())]


def run(*args):
    return CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def sample_result():
    ledger = sample_ledger()
    on = date(2026, 10, 31)
    return check(ledger, load_rules(), on, load_rates(str(SAMPLES / "eurofxref-hist.csv")),
                 presence=assess(read_presence(str(SAMPLES / "presence.csv")), on))


@pytest.fixture(scope="module")
def sample_html(sample_result):
    return render(sample_result)


@pytest.fixture(scope="module")
def registered_memo(tmp_path_factory):
    """The README's first command with its registrations file, through the CLI, with --html: (what it printed,
    the memo), for the tests that read that memo (one run where each ran the same command; the run
    test_memo_browser.py prints too, shared_runs.py)."""
    ran = shared_runs.readme_memo(tmp_path_factory)
    return ran.output, ran.file("memo.html").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sample(sample_html):
    return Page(sample_html)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


def self_contained(page: Page) -> None:
    """A memo's page loads nothing: one policy that forbids every remote load, its only style and script by
    hash (the hashes those of the text in the file), the policy before anything it governs, no link, frame,
    image or src; shared by the check's memo and the provider comparison's."""
    policy = page.all("meta", http_equiv="Content-Security-Policy")
    assert len(policy) == 1
    rules = dict(part.strip().split(" ", 1) for part in policy[0]["content"].split(";"))
    assert rules["default-src"] == "'none'" and rules["base-uri"] == "'none'" and rules["img-src"] == "data:"
    assert rules["style-src"] == _sha256(page.raw["style"][0])
    assert rules["script-src"] == _sha256(page.raw["script"][0])
    assert len(page.raw["style"]) == 1 and len(page.raw["script"]) == 1
    assert [t for t, _ in page.elements][:4] == ["html", "head", "meta", "meta"]
    assert not page.all("link") and not page.all("iframe") and not page.all("img")
    assert all("src" not in a for t, a in page.elements)


def test_the_memo_is_one_file_that_loads_nothing_and_runs_only_its_own_script(sample, sample_html):
    self_contained(sample)
    assert not re.search(r"url\(|@import|https?:", sample.raw["style"][0] + sample.raw["script"][0])
    assert not re.search(r"fetch\(|XMLHttpRequest|\.src\s*=|import\(", sample.raw["script"][0])
    assert sample.all("html")[0]["lang"] == "en"
    widths = {a["class"] for a in sample.all("col")}
    assert widths and all(f"col.{w} {{ width: {w[1:]}%; }}" in sample.raw["style"][0] for w in widths)


def test_headings_go_in_order_and_tables_have_headers(sample):
    levels = [int(t[1]) for t, _ in sample.elements if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))  # never skip a level
    tables = sum(1 for t, _ in sample.elements if t == "table")
    assert tables >= 6 and len([t for t, _ in sample.elements if t == "caption"]) == tables
    assert all(a.get("scope") in ("col", "row") for t, a in sample.elements if t == "th")
    for svg in sample.all("svg", role="img"):
        assert svg.get("aria-labelledby")


def test_the_headline_says_where_by_when_and_how_much(sample):
    text = " ".join(" ".join(sample.text).split())
    assert "Potential tax exposure in 21 jurisdictions as of 2026-10-31; 20 registrations are overdue." in text
    assert "17 · Nexus from sales (the sales test is met)" in text and "4 · Nexus from physical presence" in text
    # 2019-04-01 to 2026-10-31: seven years and six months (the screen's 2770 d)
    assert "Most urgent Japan (JP): register now, overdue since 2019-04-01 (over 7 years)" in text
    assert "Next deadline Tennessee (US-TN): register by 2026-12-01" in text
    assert re.search(r"Estimated tax at stake USD [\d,]+\.\d\d \(USD [\d,]+\.\d\d to USD [\d,]+\.\d\d; in USD at "
                     r"the as-of date's rates\)", text)


def test_the_headline_counts_the_places_to_act_on_as_the_terminal_and_workbook_do(registered_memo):
    """With the sample's registrations, Washington, the EU, Germany, France and the UK are registered and
    collecting: the terminal and the Summary list 16 places with potential exposure; the memo said 21."""
    output, html = registered_memo
    assert "Act now: potential exposure in 16 jurisdictions" in output
    text = " ".join(" ".join(Page(html).text).split())
    assert ("Potential tax exposure in 16 jurisdictions as of 2026-10-31 (5 more registered and collecting); "
            "14 registrations are overdue.") in text


def test_the_row_account_adds_up_with_the_rows_left_out(tmp_path):
    """The sample's Shopify export: 127 cancelled and voided orders (193 rows) are left out. The memo said
    '5,417 rows read = 5,224 used + 0 skipped + 0 duplicates (counted once).', which does not add up."""
    memo = tmp_path / "m.html"
    run("--sales", str(SAMPLES / "shopify-orders-2026.csv"), "--rates", str(SAMPLES / "eurofxref-hist.csv"),
        "--as-of", "2026-10-31", "--html", str(memo))
    text = " ".join(" ".join(Page(memo.read_text()).text).split())
    assert ("5,417 rows read = 5,224 used + 0 skipped + 0 duplicates (counted once) + 193 left out (cancelled, "
            "voided, test, failed or not sales).") in text


def test_the_headline_counts_a_place_where_tax_is_owed_from_an_ended_window(tmp_path, write):
    """Texas's rolling test met from 2025-06-15 to 2026-06-14: no nexus on 2026-10-31, but USD 82.00 of tax is
    estimated and the terminal lists it in Act now. The memo said 'No nexus outside the home'."""
    orders = write("o.csv", "order_id,date,country,region,amount,currency\n1,2025-06-15,US,TX,600000,USD\n"
                            "2,2025-12-15,US,TX,1000,USD\n")
    memo = tmp_path / "m.html"
    run("--sales", orders, "--as-of", "2026-10-31", "--category", "goods", "--html", str(memo))
    text = " ".join(" ".join(Page(memo.read_text()).text).split())
    assert "Potential tax exposure in 1 jurisdiction as of 2026-10-31." in text
    assert "No nexus outside the home" not in text


def test_every_place_with_nexus_is_on_a_map_with_its_class_and_in_the_table(sample, sample_result):
    tiles = {a["data-code"]: a["class"].split() for t, a in sample.elements if t == "g" and "data-code" in a
             and "tile" in a.get("class", "")}
    rows = [a["data-code"] for a in sample.all("tr") if a.get("data-category")]
    nexus = [f for f in sample_result.findings if f.nexus]
    assert len(nexus) == 21
    for f in nexus:
        assert f"nexus-{f.nexus}" in tiles[f.jurisdiction], f.jurisdiction
        assert f.jurisdiction in rows
    assert tiles["US-CA"] == ["tile", "status-approaching"] and tiles["US-OR"] == ["tile", "status-no-sales-tax"]
    assert tiles["US-ND"] == ["tile", "status-below"] and tiles["SE"] == ["tile", "no-finding"]
    assert sorted(rows) == sorted(f.jurisdiction for f in sample_result.findings)  # every finding, once
    # Without script, urgency order: the oldest overdue deadline (the office in Tokyo since 2019) first.
    assert rows[:3] == ["JP", "US-TX", "GB"] and rows.index("US-TN") < rows.index("US-CA")


def test_the_maps_say_in_words_what_the_colours_say(sample_result):
    us = map_places.us_map(sample_result)
    assert {t.word for t in us.tiles if t.category == "economic"} == {"sales"}
    listed = dict((key, names) for key, _, names in us.lists)
    assert "Texas (US-TX)" in listed["presence"] and "Florida (US-FL)" in listed["economic"]
    assert sum(len(names) for names in listed.values()) == sum(1 for t in us.tiles if t.category != "none")
    fl = next(t for t in us.tiles if t.code == "US-FL")
    florida = next(f for f in sample_result.findings if f.jurisdiction == "US-FL").exposure
    stake = (f"USD {florida.reporting.central:,.2f} (USD {florida.reporting.low:,.2f} to "
             f"USD {florida.reporting.high:,.2f})")
    assert fl.title == ("Florida (US-FL); Nexus from sales (the sales test is met); sales USD 196,172.66, 196% of "
                        f"> USD 100,000; act by: overdue since 2026-01-01 (9\u00a0months); estimated tax at stake: "
                        f"{stake}")
    world = map_places.world_map(sample_result)
    assert [t.code for t in world.others] == []  # every place with a finding abroad has a tile
    assert {t.code: t.category for t in world.tiles}["EU"] == "economic"


def test_the_grids_place_every_state_dc_and_every_country_with_rules_once():
    us = maps.us_tiles()
    territories = {"US-AS", "US-GU", "US-MP", "US-PR", "US-UM", "US-VI"}  # under "Elsewhere" when they have findings
    assert set(us) == set(places.us_regions()) - territories and len(us) == 51
    assert len(set(us.values())) == 51  # no two on one cell
    world = maps.world_tiles()
    ruled = {r.jurisdiction for r in load_rules().rules if not r.jurisdiction.startswith("US-")}
    assert ruled <= set(world)
    assert all(code == "EU" or code in places.countries() or code in places.subdivisions("CA") for code in world)
    assert len(set(world.values())) == len(world)


def test_colours_pass_wcag_aa_and_are_the_ones_the_page_uses(sample):
    css = sample.raw["style"][0]
    for key, c in maps.CATEGORIES.items():
        assert maps.contrast(c.text, c.fill) >= 4.5, key
        assert f"svg .{c.css} rect {{ fill: {c.fill}; }}" in css and f".{c.css} text {{ fill: {c.text}; }}" in css
    for name, (text, background) in maps.PAGE_COLOURS.items():
        assert maps.contrast(text, background) >= 4.5, name
    assert round(maps.contrast("#777777", "#ffffff"), 2) == 4.48  # the formula, checked on a known pair


def test_input_text_stays_text(write, tmp_path):
    orders = write('orders"><img src=x onerror=alert(3)>.csv', f"""\
        Order ID,Created At,Customer Name,Ship Country,Ship State,Category,Channel,Type,Tax Exempt,Currency,Amount
        A-1,2026-01-05,{HOSTILE_SCRIPT},US,FL,goods,direct,sale,no,USD,150000.00
        A-1,2026-01-05,{HOSTILE_SCRIPT},US,FL,goods,direct,sale,no,USD,150000.00
        A-2,2026-01-06,"{HOSTILE_IMG.replace('"', '""')}",US,TX,goods,direct,sale,no,USD,abc
        """)
    presence = write("presence.csv", f"""\
        kind,location,ownership,dedicated,function,since,until,note
        warehouse,US-NJ,third-party,no,storage,2025-03-01,,"{HOSTILE_IMG.replace('"', '""')} {HOSTILE_SCRIPT}"
        """)
    memo = tmp_path / "memo.html"
    result = run("--sales", orders, "--presence", presence, "--as-of", "2026-10-31", "--skip-bad-rows",
                 "--html", str(memo))
    assert result.exit_code == 0, result.output
    html = memo.read_text(encoding="utf-8")
    page = Page(html)
    assert "<img" not in html and "window.__pwned=1;alert(1)</script>" not in html
    assert len(page.raw["script"]) == 1 and "__pwned" not in page.raw["script"][0]
    assert not any(k.startswith("on") for _, a in page.elements for k in a)
    text = "".join(page.text)
    assert HOSTILE_SCRIPT in text  # the customer's name as it was, in the duplicate row
    assert HOSTILE_IMG in text  # in the skipped row and the presence note
    assert 'orders"><img src=x onerror=alert(3)>.csv' in text  # the file's own name


def test_links_only_for_web_addresses():
    address = "https://example.org/a?b=1&amp;c=2"
    assert link("https://example.org/a?b=1&c=2") == f'<a href="{address}" rel="noreferrer">{address}</a>'
    assert link("javascript:alert(1)") == "javascript:alert(1)"
    assert link('http://x"><script>') == "http://x&#34;&gt;&lt;script&gt;"  # not a link to a host "x"><script>"


def test_estimates_are_shown_where_findings_carry_them(sample_result):
    fl = next(f for f in sample_result.findings if f.jurisdiction == "US-FL")
    eu = next(f for f in sample_result.findings if f.jurisdiction == "EU")
    kr = next(f for f in sample_result.findings if f.jurisdiction == "KR")
    r = fl.exposure.reporting
    expected = at_stake.AtStake(f"USD {r.central:,.2f}", f"USD {r.low:,.2f} to USD {r.high:,.2f}",
                            f"USD {r.central:020.2f}", True)
    assert at_stake.exposure_of(fl) == expected
    assert at_stake.exposure_of(eu).words == "estimated member state by member state (see each member state)"
    assert at_stake.exposure_of(kr).words.startswith("USD ")  # won converted to the reporting currency
    text = " ".join(" ".join(Page(render(sample_result)).text).split())
    t = sample_result.exposure_total
    assert f"Estimated tax at stake USD {t.tax.central:,.2f} (USD {t.tax.low:,.2f} to USD {t.tax.high:,.2f}" in text
    assert f"USD {r.central:,.2f} USD {r.low:,.2f} to USD {r.high:,.2f}" in text


def test_the_home_is_shown_as_home(write, tmp_path):
    orders = write("orders.csv", """\
        order_id,date,country,region,amount,currency
        1,2026-03-01,JP,,1000,JPY
        2,2026-03-01,US,CA,100,USD
        """)
    memo = tmp_path / "memo.html"
    assert run("--sales", orders, "--as-of", "2026-10-31", "--home", "JP", "--rates",
               str(SAMPLES / "eurofxref-hist.csv"), "--html", str(memo)).exit_code == 0
    page = Page(memo.read_text(encoding="utf-8"))
    jp = [a for t, a in page.elements if t == "g" and a.get("data-code") == "JP"][0]
    assert jp["class"] == "tile nexus-establishment" and jp["data-nexus"] == "establishment"
    assert "No nexus outside the home as of 2026-10-31." in " ".join(page.text)


def test_html_option_writes_the_memo_and_refuses_standard_output_and_inputs(tmp_path_factory):
    memo = shared_runs.sample_memo(tmp_path_factory).file("memo.html")  # the run asserts its exit code, 0
    assert memo.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    refused = run(*SAMPLE, "--html", "-")
    assert refused.exit_code == 2 and "--html -: the memo is a file to open in a browser" in refused.stderr
    presence = SAMPLES / "presence.csv"
    before = presence.read_bytes()
    clash = run(*SAMPLE, "--html", str(presence))
    assert clash.exit_code == 2 and "--html" in clash.stderr and presence.read_bytes() == before


def test_every_part_is_there_in_order(sample):
    ids = [a["id"] for t, a in sample.elements if t == "section"]
    assert ids == ["us", "world", "timeline-section", "jurisdictions", "presence", "rules", "sources",
                   "assumptions", "estimates-assume", "account"]
    text = " ".join(" ".join(sample.text).split())
    assert "31,677 rows read = 29,478 used + 0 skipped + 2,199 duplicates (counted once)." in text
    assert "Duplicate rows, counted once: the first 10, and 2,189 more in the workbook's Rejected rows sheet" in text
    assert "orders-2025.csv 15,702" in text and "presence.csv" in text
    assert "No home given (--home): every jurisdiction is assessed as for a seller established elsewhere." in text
    assert "Warnings" in text and "pass --home JP" in text
    cited = [a["href"] for a in sample.all("a") if a.get("class") == "cite"]
    listed = [a["id"] for t, a in sample.elements if t == "li" and a.get("id", "").startswith("source-")]
    assert cited and {c[1:] for c in cited} == set(listed)  # every citation has its source, and each is cited
    assert "https://flsenate.gov/Session/Bill/2021/50/BillText/c2/HTML" in [a["href"] for a in sample.all("a")]


def test_the_timeline_marks_overdue_and_coming_deadlines(sample_result):
    tl = timeline_chart.timeline_view(sample_result)
    lanes = {lane.code: lane for lane in tl.lanes}
    assert list(lanes)[:2] == ["JP", "US-TX"] and lanes["JP"].clipped == "2019-04-01"  # before the axis: said
    assert {m.kind for m in lanes["US-FL"].marks} == {"collect", "overdue"}
    assert {m.kind for m in lanes["US-TN"].marks} == {"collect", "register-by"}
    assert tl.axis_start == date(2024, 1, 1) and tl.left <= min(m.x for lane in tl.lanes for m in lane.marks)
    assert max(m.x for lane in tl.lanes for m in lane.marks) <= tl.width
    tn = [e for e in tl.events if e["code"] == "US-TN"]
    assert tn == [{"date": "2026-12-01", "code": "US-TN", "name": "Tennessee", "event": "register by",
                   "members": "", "detail": "deadline ahead"}]


def test_the_package_ships_its_templates():
    here = Path(__file__).resolve().parent.parent
    setup = (here / "setup.py").read_text(encoding="utf-8")
    assert '"nexus.memo"' in setup and '"templates/*"' in setup and '"Jinja2>=3.1"' in setup
    assert {p.name for p in (here / "nexus" / "memo" / "templates").iterdir()} == {
        "base.html", "macros.html", "memo.html", "memo.css", "memo.js", "provider.html", "provider.css"}


# --- From the review of the memos as the CFO reads them (2026-12-06) ------------------------------------------

def _text(html: str) -> str:
    return " ".join(" ".join(Page(html).text).split())


def test_the_headline_gives_the_money_at_stake_the_screen_and_workbook_give(sample_result):
    """The screen and the workbook's Summary give the tax with penalties and interest, the voluntary-disclosure
    scenario and what each month adds; the memo's headline gave only the tax and its range."""
    t = sample_result.exposure_total
    text = _text(render(sample_result))
    assert (f"Also estimated USD {t.tax.central + t.penalty + t.interest:,.2f} with the penalties and interest "
            f"that could be estimated; USD {t.vda:,.2f} through voluntary disclosure (the tax alone in 5 places with "
            f"no programme terms nexus can apply; interest or penalties due under the programme not estimated in 8 "
            f"places); USD {t.registered_now:,.2f} more each month until registered") in text
    # And where the programme leaves interest or penalties due that the data cannot estimate: not in the figure.
    # (South Korea and Japan not among them: from 2026-12-06 their statutes' partial reductions for a late return filed
    # unprompted are in the data, the reduced penalties kept in full, and their penalties and interest are estimated.)
    assert t.vda_not_estimated == ("US-FL", "US-OH", "US-NJ", "US-IL", "US-NC", "US-WA", "US-MI", "GB")
    # Pennsylvania, Maryland and Minnesota: no voluntary disclosure terms in nexus's data; Germany and France (not
    # registered in this run): no programme (from 2026-12-06 said as data); so the scenario carries their tax alone.
    assert t.vda_tax_alone == ("US-PA", "US-MD", "US-MN", "DE (non-Union OSS / IOSS)", "FR (non-Union OSS / IOSS)")
    # the screen of this run (no --registrations): 215,990.83 before Pennsylvania's penalty (72 P.S. 7266(a)),
    # USD 704.514 unrounded, which the total adds before it is rounded once: 216,695.35; then France's (not registered
    # in this run): CGI art. 1728's 10% of each month's VAT, EUR 730.549, and 2.4% a year from each 20th to the as-of
    # date, EUR 144.177 (January 2025's 614.62 over 618 days: 24.98), together EUR 874.726 x 1.1172 = USD 977.24:
    # 217,672.59; then Maryland's tax from its crossing day, 2025-12-05, not 2026-01-01 (COMAR 03.06.01.33), USD 263.68
    # more, with its interest and penalty USD 290.05 more: 217,962.64; then Japan's 5% 無申告加算税 and 延滞税 (JPY
    # 42,437 and 18,503, January 2025's 32,746 of tax: 1,637 and 32,746 x (2.4% x 314 + 2.8% x 304) / 365 = 1,440) at
    # USD 0.0063593 the yen, USD 387.54, and South Korea's 20% and 0.022% a day (KRW 76,420 and 25,540; January 2025's
    # 5,533: 1,107 and 5,533 x 0.00022 x 618 = 752) at USD 0.00074891 the won, USD 76.36, added unrounded and the total
    # rounded once: 218,426.54; then Japan's marketplace sales that were its own supplies (services, and e-books and
    # SaaS before 2025-04-01: JPY 1,066,742 at 10%, JPY 106,674 of tax, with their penalty and interest): 219,152.32;
    # then New Jersey's central rate for 2026, its 6.625% plus its average local -0.02%, 6.605%, not the state rate:
    # USD 66,328.85 of 2026 sales x 0.02% = 13.2658 less tax and 2.3898 less penalty (5% a month up to 25%, plus 5%,
    # on each month's tax), 15.6556 less, rounded once with the rest: 219,136.66; then the refunds in each period of
    # sales made before tax was due, linked to them by order id, left out rather than netted: 219,415.59
    assert "USD 219,415.59 with the penalties and interest" in text
    assert text.index("Most urgent") < text.index("Estimated tax at stake")  # the most urgent item leads


def test_places_registered_and_collecting_follow_the_gaps_and_deadlines_ahead(registered_memo):
    """With the sample's registrations the table listed the United Kingdom, the EU, Germany, France and
    Washington (registered and collecting, nothing to do) before Florida's gap in collection and Tennessee's
    deadline ahead, which the screen's Act now lists right after the overdue places."""
    codes = [a["data-code"] for a in Page(registered_memo[1]).all("tr") if a.get("data-code")]
    table = codes[:codes.index("US-CA")]
    assert table[13:] == ["US-PA", "US-FL", "US-TN", "GB", "EU", "DE", "FR", "US-WA"], table


def test_a_place_with_nexus_from_sales_and_presence_says_both(sample_result):
    """New Jersey: the screen says 'sales, presence' and the workbook 'sales test met; presence creates nexus';
    the memo's Nexus column said 'sales' beside a Since date (2025-03-01) that is the stock's, not the sales
    test's (met 2025-09-18)."""
    nj = next(r for r in jurisdictions.rows(sample_result) if r.code == "US-NJ")
    assert nj.word == "sales" and nj.since == "2025-03-01"
    assert nj.nexus == "and physical presence, from the Since date"
    tx = next(r for r in jurisdictions.rows(sample_result) if r.code == "US-TX")
    assert tx.nexus == "sales test approaching"  # presence alone: unchanged


def test_the_timeline_draws_no_year_label_the_edge_cuts(sample_result):
    """The sample's axis ends on 2027-01-01: its '2027' was drawn at x 993 of 1000 and printed as '2'."""
    tl = timeline_chart.timeline_view(sample_result)
    assert tl.years and all(x + timeline_chart.YEAR_LABEL <= tl.width for x, _ in tl.years)
    assert [y for _, y in tl.years] == ["2024", "2025", "2026"]


def test_the_headline_counts_the_places_the_data_cannot_assess(tmp_path):
    """As of 2025-06-30 the screen says '8 not covered by the data'; the memo's counts left them out (40 below,
    and nothing for the 8 tiles marked 'no data')."""
    memo = tmp_path / "m.html"
    run(*SAMPLE[:-4], "--as-of", "2025-06-30", "--presence", str(SAMPLES / "presence.csv"), "--html", str(memo))
    text = _text(memo.read_text())
    assert "8 · Not covered by the data (periods before the first order)" in text


def test_the_rules_table_says_what_its_second_date_is(sample_result):
    """'2015-10-01 to today 2026-11-27 (official)' read as one span; the second date is when the rule was last
    verified, and the confidence words say what 'official' or 'conflict' mean."""
    rules = {r.code: r for r in presence_rules.rule_rows(sample_result, presence_rules.Sources())}
    assert rules["JP"].verified == "verified 2026-12-06 (official source)"  # the row of 2025-04-01, read that day
    assert rules["US-TX"].verified == "verified 2026-12-07 (sources disagree)"


def test_a_check_with_nothing_found_says_so(write, tmp_path):
    """Two small US orders and no --home: the memo said 'No nexus outside the home', 'Estimated tax at stake:
    not estimated', and printed an empty rules table and an empty sources section."""
    orders = write("orders.csv", """\
        order_id,date,country,region,amount,currency
        1,2026-03-01,US,CA,100,USD
        2,2026-04-01,US,TX,50,USD
        """)
    memo = tmp_path / "memo.html"
    assert run("--sales", orders, "--as-of", "2026-10-31", "--html", str(memo)).exit_code == 0
    html = memo.read_text(encoding="utf-8")
    text = _text(html)
    assert "outside the home" not in text
    assert ("No potential tax exposure found as of 2026-10-31: no sales test is met and no presence creates "
            "nexus.") in text
    assert "Estimated tax at stake none: no jurisdiction has potential exposure" in text
    assert "not estimated Most" not in text and 'id="rules-table"' not in html
    assert "no rule is shown here" in text and "No source is cited" in text


def test_an_estimate_of_one_figure_gives_no_range(sample_result):
    """The Netherlands (a warehouse, no sales there) read 'USD 0.00' over 'USD 0.00 to USD 0.00': a range whose
    ends are one figure says nothing, and is left out; a real range stays."""
    from nexus.memo.at_stake import exposure_of

    shown = {f.jurisdiction: exposure_of(f) for f in sample_result.findings if f.exposure is not None}
    assert shown["NL"].words == "USD 0.00" and shown["NL"].range == ""
    assert shown["US-TX"].range.startswith("USD ") and " to USD " in shown["US-TX"].range


def test_a_place_without_nexus_has_no_tax_at_stake_and_the_union_points_to_its_members(sample_result):
    """The jurisdictions table said 'not estimated' beside 40 places without nexus (California at 92%, Delaware
    with no sales tax) and beside the EU's own finding, whose tax is estimated on Germany's and France's rows: a
    CFO read figures nexus had failed to make. A place with nexus and no estimate still says 'not estimated'."""
    from dataclasses import replace

    from nexus.memo.at_stake import exposure_of

    shown = {f.jurisdiction: exposure_of(f) for f in sample_result.findings}
    assert {shown[c].words for c in ("US-CA", "US-SC", "US-DE", "CA-ON")} == {"none: no nexus"}
    assert shown["EU"].words == "estimated member state by member state (see each member state)"
    assert not shown["US-CA"].estimated and shown["DE"].words == "USD 12,858.69"  # no registrations given
    ohio = next(f for f in sample_result.findings if f.jurisdiction == "US-OH")
    unpriced = replace(ohio, exposure=None, exposure_note="not estimated: no rate for USD on 2026-10-31")
    assert exposure_of(unpriced).words == "not estimated"
    # where the orders do not cover the periods measured, whether there is nexus is unknown: never 'none'
    unknown = replace(next(f for f in sample_result.findings if f.jurisdiction == "US-SC"), status="not-covered")
    assert exposure_of(unknown).words == "not covered by the data"


def test_a_place_listed_for_its_presence_alone_says_why_it_has_no_test(sample_result):
    """The Netherlands (a warehouse, no sales there) and Ontario (a contractor) had empty Sales, Ratio and Test
    cells in the jurisdictions table, where the workbook's Findings says 'no sales here: presence only'."""
    shown = {r.code: r for r in jurisdictions.rows(sample_result)}
    assert {(shown[c].sales, shown[c].test) for c in ("NL", "CA-ON")} == {("", "no sales here: presence only")}
    assert shown["US-FL"].test == "> USD 100,000" and shown["DE"].test == "see EU"


def test_the_input_files_table_gives_the_rows_of_the_presence_and_registrations_files(registered_memo):
    """The memo's Input files listed spreadsheets/presence.csv and registrations.csv with an empty Rows cell, which
    read as files with nothing in them; the workbook says '13 items from spreadsheets/presence.csv'. They have 13
    and 5 rows under their headers."""
    html = registered_memo[1]
    table = html[html.index('<table id="files-table">'):]
    rows = re.findall(r"<tr><td>([^<]+)</td><td[^>]*>[^<]*?([\w.-]+)</td><td[^>]*>([^<]*)</td></tr>",
                      table[:table.index("</table>")])
    assert [(what, rows) for what, _file, rows in rows] == [
        ("Orders", "15,702"), ("Orders", "15,975"), ("Presence", "13"), ("Registrations", "5"), ("Exchange rates", "")]


# --- The act-by words as a CFO reads them (review of 2026-12-06) ---------------------------------------------

def test_how_long_is_said_in_days_months_or_years():
    assert jurisdictions.elapsed(date(2026, 10, 30), date(2026, 10, 31)) == "1 day"
    assert jurisdictions.elapsed(date(2026, 9, 1), date(2026, 10, 31)) == "60 days"  # under two whole months
    assert jurisdictions.elapsed(date(2025, 2, 16), date(2026, 10, 31)) == "20 months"
    assert jurisdictions.elapsed(date(2024, 10, 31), date(2026, 10, 31)) == "2 years"
    assert jurisdictions.elapsed(date(2019, 4, 1), date(2026, 10, 31)) == "over 7 years"


def test_the_memo_says_by_when_in_words_not_the_screens_abbreviations(registered_memo):
    """'overdue 2770 d', 'gap 59 d' and 'monitor' are the screen's and the workbook's short words; the memo's
    table, tooltips and timeline said them to the CFO. With the sample's registrations: Japan's deadline
    2019-04-01 (7 years 6 months before 2026-10-31), Korea's 2025-02-16 (20 months), Florida registered with 59
    days (2026-01-01 to 2026-02-28) not covered, California approaching with no deadline, Tennessee ahead."""
    html = registered_memo[1]
    page = Page(html)
    cells = {}
    for code in ("JP", "KR", "US-FL", "US-CA", "US-TN"):
        row = html[html.index(f'<tr data-code="{code}" data-category'):]
        row = row[:row.index("</tr>")]
        cells[code] = " ".join(" ".join(Page(row).text).split())
    assert "overdue since 2019-04-01 (over 7 years)" in cells["JP"]
    assert "overdue since 2025-02-16 (20 months)" in cells["KR"]
    assert "registered late: 59 days not covered" in cells["US-FL"]
    assert "no deadline yet" in cells["US-CA"] and "register by 2026-12-01" in cells["US-TN"]
    text = " ".join(" ".join(page.text).split())
    for short in ("2770 d", "gap 59 d", "monitor", "overdue by", "days ago"):
        assert short not in text, short
    assert "2019-04-01 Japan (JP) register by overdue for over 7 years" in text


def test_the_timeline_says_a_registration_no_test_requires_and_the_member_states_the_eu_covers(registered_memo):
    """Colorado (registered 2024-06-01, sales 60% of its test, no presence) read only 'registered'; the EU rows
    did not say that Germany and France are where the VAT under the EU registration is due."""
    text = " ".join(" ".join(Page(registered_memo[1]).text).split())
    assert ("2024-06-01 Colorado (US-CO) registered collecting from 2024-06-01, though no test requires it (sales "
            "test below; no presence creating nexus)") in text
    co = next(r for r in re.findall(r'<tr data-code="US-CO" data-category.*?</tr>', registered_memo[1], re.S))
    assert "registered, though no test requires it" in co  # the table's Act by, where it was blank
    assert ("2025-02-05 European Union (non-Union OSS / IOSS) (EU): for sales into Germany (DE), France (FR) "
            "registered collecting from 2025-01-01") in text.replace(" :", ":")  # the code is an element of its own


def test_a_us_home_line_says_the_permit_it_needs(tmp_path, tmp_path_factory):
    """With --home US-CA the screen's Home line says a seller with a place of business in California must hold a
    sales tax permit; the memo said it nowhere (only the check's reasons held it)."""
    memo = tmp_path / "m.html"
    run(*SAMPLE, "--home", "US-CA", "--html", str(memo))
    text = " ".join(" ".join(Page(memo.read_text()).text).split())
    assert ("Home California (US-CA), nexus by establishment. A seller with a place of business in California "
            "must hold a sales tax permit and collect there") in text
    memo = shared_runs.sample_memo(tmp_path_factory).file("memo.html")  # the same command without --home
    assert 'id="home"' not in memo.read_text()  # no --home, no Home line


def test_a_places_code_is_kept_whole_and_the_text_around_it_escaped():
    """A browser breaks a line after a hyphen: 'Tennessee (US-' above 'TN)' read as two places on the printed
    memo. Each subdivision code is kept on one line; the rest of the text is escaped as everywhere."""
    from nexus.memo import whole_codes

    assert str(whole_codes("Tennessee (US-TN), Texas (US-TX) & <b>CA-QC</b>")) == (
        'Tennessee <span class="whole">(US-TN),</span> Texas <span class="whole">(US-TX)</span> &amp; '
        '<span class="whole">&lt;b&gt;CA-QC&lt;/b&gt;</span>')


def test_dates_in_the_tables_are_kept_whole(registered_memo):
    """Chromium broke 'register by 2026-12-01' (Tennessee's Act by) after '2026-', and the rules table's 'in force
    since 2018-10-01' likewise: a date is kept on one line in the jurisdictions and rules tables too."""
    html = registered_memo[1]
    tennessee = re.search(r'<tr data-code="US-TN" data-category.*?</tr>', html, re.S).group(0)
    assert 'register by <span class="whole">2026-12-01</span>' in tennessee
    rules = html[html.index('id="rules-table"'):]
    rules = rules[:rules.index("</table>")]
    cut = [d for d in re.findall(r"\d{4}-\d{2}-\d{2}", re.sub(r'<span class="whole">[^<]*</span>', "", rules))]
    assert cut == [] and '<span class="whole">' in rules


def test_the_memo_names_the_places_whose_estimate_rests_on_an_unverified_rate(sample_result):
    """The sample's estimates use rates that only secondary sources give (Georgia, Minnesota, Florida, Japan...),
    and some confirmed by the revenue department or the statute: the memo names exactly the former."""
    from nexus.memo import assumptions
    unverified = [f.jurisdiction for f in sample_result.findings
                  if f.exposure is not None and any(r.confidence != "official" for r in f.exposure.rates)]
    said = [a for a in assumptions.assumptions(sample_result) if a.startswith("Tax rates not verified")]
    assert "US-GA" in unverified and "US-TX" not in unverified
    assert said == [f"Tax rates not verified from a primary source (revenue department or statute), secondary "
                    f"sources only, are used for some or all of the period in: {', '.join(unverified)}; confirm "
                    f"them before relying on those estimates (the workbook's Assumptions sheet, docs/rules.md)."]


def test_the_shift_tiles_legend_covers_a_place_whose_collector_alone_changes():
    """Before: the memo's 'shift' legend read 'Nexus unchanged, but the sales counted, the sales test or the presence
    there change', under which Shopkit's memo put Ohio (its test still counts the facilitated sales: only who
    collects them changes) and --home JP's put Japan (its test counts the exports Hostwell buys as today): neither
    changes what the legend named."""
    from nexus.memo.maps import DELTA_CATEGORIES
    legend = DELTA_CATEGORIES["shifted"].legend
    assert legend == ("Nexus unchanged, but the provider's role or presence touches it: the sales counted, who "
                      "collects, the sales test or the presence")


def _sales_cell(html: str, code: str) -> str:
    """The text of the Sales cell (the seventh) of ``code``'s row in the jurisdictions table, spaces collapsed."""
    row = re.search(rf'<tr data-code="{code}" data-category="[^"]*">(.*?)</tr>', html, re.S).group(1)
    cells = re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", cells[6]).split())


def test_the_jurisdictions_table_gives_the_transactions_and_the_tax_charged_under_the_sales(write, tmp_path):
    """Before, the Sales column gave the sales alone: a CFO could not read how many orders there were, or whether
    tax was charged there, where the JSON and the workbook give both. Now under the sales: the transactions and
    the tax charged on them in the period measured, "no tax charged" where the orders charged none."""
    orders = write("orders.csv", """\
        order_id,date,country,region,category,amount,currency,tax
        1,2025-03-01,US,FL,goods,60000.00,USD,3600.00
        2,2025-04-01,US,FL,goods,50000.00,USD,0
        3,2025-05-01,US,FL,goods,1000.00,USD,60.00
        4,2025-05-01,US,GA,goods,120000.00,USD,
        """)
    memo = tmp_path / "memo.html"
    assert run("--sales", orders, "--as-of", "2026-10-31", "--html", str(memo)).exit_code == 0
    html = memo.read_text(encoding="utf-8")
    assert _sales_cell(html, "US-FL") == "USD 111,000.00 3 transactions tax USD 3,660.00"
    assert _sales_cell(html, "US-GA") == "USD 120,000.00 1 transaction no tax charged"
    assert ("with their transactions and the tax the orders charged on them (\"tax\" and its amount; \"no tax "
            "charged\" where none).") in _text(html)


def test_the_sample_memo_says_once_that_no_tax_was_charged_where_the_orders_charged_none(sample_html, sample_result):
    """The sample's orders charge no tax anywhere: said once above the table, not in each of its 61 rows (a line
    more in each took the memo to a page more)."""
    tx = next(f for f in sample_result.findings if f.jurisdiction == "US-TX")
    assert _sales_cell(sample_html, "US-TX") == f"USD {tx.sales:,.2f} {tx.transactions:,} transactions"
    assert ("Sales are those counted in the period measured (under the test), with their transactions; the orders "
            "show no tax charged on the sales counted in any of these places.") in _text(sample_html)


def _stake_cell(html: str, code: str) -> str:
    """The Estimated tax at stake cell (the last) of ``code``'s row in the jurisdictions table, as HTML."""
    row = re.search(rf'<tr data-code="{code}" data-category="[^"]*">(.*?)</tr>', html, re.S).group(1)
    return re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)[-1]


def test_the_table_marks_the_estimates_that_start_after_the_tax_was_due(sample_html):
    """Before, the jurisdictions table gave Japan's and Texas's estimates with nothing saying that they cover the
    days from the first order (2025-01-01) only, though tax was due there from 2019-04-01 and 2024-02-01: only the
    headline's line said it, two pages away. Now each such figure carries a mark, said under the table in the
    headline's words, and the map's tooltip says it too."""
    for code, due in (("JP", "2019-04-01"), ("US-TX", "2024-02-01")):
        assert f'<sup class="mark" title="tax due from {due}, estimated from 2025-01-01 only">*</sup>' in \
            _stake_cell(sample_html, code)
    assert "<sup" not in _stake_cell(sample_html, "US-FL")  # due from 2026-01-01: the estimate covers it all
    table_end = sample_html.index("</table>", sample_html.index('id="jurisdiction-table"'))
    note = re.search(r'<p class="note" id="from-first-order">(.*?)</p>', sample_html[table_end:], re.S).group(1)
    assert " ".join(re.sub(r"<[^>]+>", "", note).split()) == \
        "* Tax was due from 2024-02-01 in US-TX, from 2019-04-01 in JP: estimated from 2025-01-01 only."
    tx = [a for t, a in Page(sample_html).elements if t == "g" and a.get("data-code") == "US-TX"]
    assert tx and "tax due from 2024-02-01, estimated from 2025-01-01 only" in sample_html.split(
        'data-code="US-TX"', 1)[1].split("</g>", 1)[0]


def test_no_mark_and_no_note_where_every_estimate_covers_its_days(write, tmp_path):
    orders = write("orders.csv", """\
        order_id,date,country,region,category,amount,currency
        1,2025-03-01,US,FL,goods,160000.00,USD
        """)
    memo = tmp_path / "memo.html"
    assert run("--sales", orders, "--as-of", "2026-10-31", "--html", str(memo)).exit_code == 0
    html = memo.read_text(encoding="utf-8")
    assert 'class="mark"' not in html and 'id="from-first-order"' not in html


# --- What the estimates assume ------------------------------------------------------------------------------------
#
# A seller established in the US (--home US) sells goods into Poland and France, EU member states, from 2026-02-10,
# with no tax charged. Its own Polish registration files quarterly and collects from 2026-05-01, so Poland's tax to
# then is at stake, by quarterly returns (the registrations file's row says so); France's by the monthly returns
# assumed. Every goods sale is counted as the member state's VAT owed by the seller, which holds for goods sent from
# EU stock only. The JSON and the workbook's Assumptions sheet listed these; the memo, whose total a CFO quotes,
# did not.

def _assumed_rows(html: str) -> list[tuple[str, str, str]]:
    """The rows of the memo's 'What the estimates assume' table, as text: (applies to, assumption, tax at stake)."""
    table = html[html.index('<table id="assumed-table">'):]
    table = table[:table.index("</table>")]
    cells = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td class=\"num\">(.*?)</td></tr>", table)
    return [tuple(unescape(re.sub(r"<[^>]+>", "", c)) for c in row) for row in cells]


def test_the_memo_lists_what_the_estimates_assume_the_most_material_first(write, tmp_path):
    orders = write("orders.csv", """\
        order_id,date,country,region,amount,currency,category,channel
        W1,2026-02-10,PL,,20000.00,PLN,goods,direct
        F1,2026-03-05,FR,,4000.00,EUR,goods,direct
        W2,2026-03-12,PL,,30000.00,PLN,goods,direct
        W3,2026-04-30,PL,,10000.00,PLN,goods,direct
        """)
    hostile = 'regs"><img src=x onerror=alert(1)>.csv'  # its name is in the filing frequency's sentence
    regs = write(hostile, """\
        jurisdiction,registered_on,collecting_from,id,note,filing
        PL,2026-04-20,2026-05-01,PL123,,quarterly
        """)
    memo, book = tmp_path / "memo.html", tmp_path / "report.xlsx"
    result = run("--sales", orders, "--rates", str(SAMPLES / "eurofxref-hist.csv"), "--as-of", "2026-06-30",
                 "--home", "US", "--registrations", regs, "--db", str(tmp_path / "db"), "--html", str(memo),
                 "--workbook", str(book))
    assert result.exit_code == 0, result.output
    html = memo.read_text(encoding="utf-8")
    rows = _assumed_rows(html)
    # Five assumptions, three listed: the two both estimates make (USD 3,704.44 + 911.52, the total at stake), then
    # Poland's filing frequency, first found of Poland's own but above none of the others by its money
    assert [(places, text[:60], at_stake) for places, text, at_stake in rows] == [
        ("all", "No tax charged is in the orders: the estimate assumes none w", "USD 4,615.96"),
        ("all", "EU (goods, seller established outside the EU): every goods s", "USD 4,615.96"),
        ("PL", "Returns quarterly, as the registrations file's row " + regs[:9], "USD 3,704.44")]
    goods, filing = rows[1][1], rows[2][1]
    assert "which holds if they were sent to customers from stock in a member state" in goods
    assert f"Returns quarterly, as the registrations file's row {regs}:2 says" in filing
    assert "Estimated tax at stake USD 4,615.96" in _text(html)
    assert ("the most material first (by the tax at stake there): the first 3, and 2 more in the workbook's "
            "Assumptions sheet") in _text(html)
    assert "<img" not in html  # the file's name stays text
    # the same sentences, grouped the same way, as the workbook's Assumptions sheet gives them
    sheet = {r[:3] for r in load_workbook(book)["Assumptions"].iter_rows(values_only=True)}
    assert {("Assumption", places, text) for places, text, _ in rows} <= sheet
    assert len([r for r in sheet if r[0] == "Assumption"]) == 5


def test_a_memo_without_estimates_has_nothing_to_say_they_assume(write, tmp_path):
    orders = write("orders.csv", """\
        order_id,date,country,region,amount,currency
        1,2026-03-01,US,CA,100,USD
        """)
    memo = tmp_path / "memo.html"
    assert run("--sales", orders, "--as-of", "2026-10-31", "--html", str(memo)).exit_code == 0
    html = memo.read_text(encoding="utf-8")
    assert 'id="estimates-assume"' not in html and 'href="#estimates-assume"' not in html


def test_an_estimate_no_rate_converts_is_named_beside_the_figure_not_added_as_nothing(sample_result):
    # Texas's estimate without a figure in the reporting currency: the rows it shares give the others' sum and name
    # it; its own rows give no figure (before, 'USD 0.00', and the shared rows' sum read as the whole)
    texas = next(f for f in sample_result.findings if f.jurisdiction == "US-TX")
    unconverted = replace(texas, exposure=replace(texas.exposure, reporting=None))
    result = replace(sample_result, findings=tuple(unconverted if f is texas else f for f in sample_result.findings))
    rows = {r.text.split(":")[0]: r.at_stake for r in assumptions.estimates_assume(result, listed=100).listed}
    assert rows["No tax charged is in the orders"] == "USD 145,702.96; US-TX not converted"  # 185,959.60 - 40,256.64
    assert rows["Tax was due from 2024-02-01, but the orders start on 2025-01-01"] == "US-TX not converted"
