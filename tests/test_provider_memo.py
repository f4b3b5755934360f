"""The provider comparison's memo (nexus provider compare --html) without a browser: the same kind of page as the
check's memo (one file, the policy first, nothing remote), every text from a profile escaped, the verdicts,
maps, tables and sources a signer reads. The browser render is in test_provider_memo_browser.py (slow)."""
from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES, sample_ledger
from nexus import presence, provider
from nexus.chart import read_chart
from nexus.cli import cli
from nexus.fx import load_rates
from nexus.memo import maps, provider_view
from nexus.memo.provider import render_comparison
from nexus.provider_profile import read_profile
from nexus.rules import load_rules
from test_memo import Page, self_contained

AS_OF = date(2026, 10, 31)
PROFILES = [str(SAMPLES / "provider-shopkit.yaml"), str(SAMPLES / "provider-hostwell.yaml")]
SAMPLE = [*PROFILES, "--sales", str(SAMPLES / "orders-2025.csv"), "--sales", str(SAMPLES / "orders-2026.csv"),
          "--rates", str(SAMPLES / "eurofxref-hist.csv"), "--presence", str(SAMPLES / "presence.csv"),
          "--coa", str(SAMPLES / "chart-of-accounts.csv"), "--as-of", "2026-10-31", "--home", "JP"]
HOSTILE_SCRIPT = "<script>window.__pwned=1;alert(1)</script>"
HOSTILE_IMG = '"><img src=x onerror="window.__pwned=2;alert(2)">'


def run(*args):
    return CliRunner().invoke(cli, ["provider", "compare", *args], catch_exceptions=False)


@pytest.fixture(scope="module")
def comparison():
    """The bundled two-profile comparison of docs/provider.md, through the library."""
    setup = provider.Setup(
        ledger=sample_ledger(),
        presence=presence.read_presence(str(SAMPLES / "presence.csv")),
        chart=read_chart(str(SAMPLES / "chart-of-accounts.csv")),
        chart_source=str(SAMPLES / "chart-of-accounts.csv"), home="JP",
        rates=load_rates(str(SAMPLES / "eurofxref-hist.csv")), presence_source=str(SAMPLES / "presence.csv"))
    return provider.compare([read_profile(p) for p in PROFILES], setup, load_rules(), AS_OF)


@pytest.fixture(scope="module")
def sample(comparison):
    return Page(render_comparison(comparison))


def _text(page: Page) -> str:
    return " ".join(" ".join(page.text).split())


def _tiles(page: Page, svg: str) -> dict[str, dict[str, str]]:
    """The tiles of one map (by its id), as {code: attributes}."""
    found, inside = {}, False
    for tag, attrs in page.elements:
        if tag == "svg":
            inside = attrs.get("id") == svg
        elif inside and tag == "g" and "tile" in attrs.get("class", ""):
            found[attrs["data-code"]] = attrs
    return found


def test_the_memo_is_one_file_that_loads_nothing_and_runs_only_its_own_script(sample):
    self_contained(sample)
    assert not re.search(r"url\(|@import|https?:", sample.raw["style"][0])
    assert sample.all("html")[0]["lang"] == "en"
    # The check memo's style sheet comes first, whole: the two memos share it, with a few rules added here.
    assert "/* The provider comparison's memo" in sample.raw["style"][0]
    assert sample.raw["style"][0].index("/* Tiles, legend and badges") < sample.raw["style"][0].index(
        "/* The provider comparison's memo")
    widths = {a["class"] for a in sample.all("col") if a.get("class")}
    assert widths and all(f"col.{w} {{ width: {w[1:]}%; }}" in sample.raw["style"][0] for w in widths)


def test_headings_go_in_order_and_every_table_has_a_caption_and_headers(sample):
    levels = [int(t[1]) for t, _ in sample.elements if re.fullmatch(r"h[1-6]", t)]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:]))
    tables = sum(1 for t, _ in sample.elements if t == "table")
    assert tables >= 14 and len([t for t, _ in sample.elements if t == "caption"]) == tables
    assert all(a.get("scope") in ("col", "row") for t, a in sample.elements if t == "th")
    maps_drawn = sample.all("svg", role="img")
    assert len(maps_drawn) == 4 and all(svg.get("aria-labelledby") for svg in maps_drawn)
    h2 = [a["id"] for t, a in sample.elements if t == "h2"]
    assert h2 == ["side-h", "candidate-1-h", "candidate-2-h", "sources-h", "assumptions-h", "account-h"]


def test_the_table_headers_say_what_each_column_holds(sample):
    text = _text(sample)
    for header in ("As of 2026-10-31 Hostwell Shopkit",
                   "Jurisdiction Change Today Under Hostwell Sales counted today Under Hostwell Why Nevada (US-NV)",
                   "Place Effect Today Under Hostwell Sales test today Items Why Nevada (US-NV)",
                   "Item Verdict Places (locations) Rule CDN cache",
                   "Currency Minor units Shown as ECB rate Countries that use it: does it open them? To do",
                   "Number Name Type Currency Why",
                   "Item Answer The provider's note Reference What it means"):
        assert header in text, header


def test_the_verdicts_lead_most_consequential_first_and_side_by_side(sample, comparison):
    verdicts = [c.verdict() for c in comparison.candidates]
    # Nevada: USD 41,048.81 of taxable sales in the 12 months to 2026-10-31 at 6.85% + 1.39% average local = 3,382.42
    assert verdicts[0].startswith("Hostwell: 1 new nexus (US-NV), est. potential exposure USD 3,382.42 a year, 2 nexus "
                                  "removed")
    text = _text(sample)
    lead = "2 candidates, most consequential first: new nexus first, then the larger net change a year"
    assert f"{lead} {verdicts[0]} Dates: " in text and f". {verdicts[1]} Dates: " in text  # each with its dates
    assert ("New nexus 1: US-NV 0 Potential exposure a year est. USD 3,382.42 none: no new nexus Nexus removed 2: EU "
            "(non-Union OSS / IOSS), GB 4: US-IL, US-PA, US-FL, US-GA") in text
    assert "Open checklist items 5 of 11 (3 no, 2 partial) 4 of 11 (2 partial, 2 unknown)" in text
    assert "Seller established in Japan (JP)" in text and "Orders 29,478 rows used, 2025-01-01 to 2026-10-30" in text


def test_each_candidate_says_the_potential_exposure_a_year_its_new_nexus_brings(sample):
    """Before: the memo showed Hostwell's new nexus in Nevada and no money. Nevada: USD 41,048.81 of taxable sales in
    the twelve months to 2026-10-31 at 6.85% + 1.39% = 3,382.42. Worked from the orders: goods sold direct 36,901.73
    and through affiliates 4,444.05, less refunds 170.90 and 149.68 and a chargeback 53.76, plus JPY 12,165 sold on
    2025-12-19 (at 184.15 JPY and 1.1712 USD to the euro: 77.37) = 41,048.81. SaaS sold direct (1,831.36) is no
    longer in it: Nevada taxes software only in a tangible medium (NAC 372.880), so until 2026-12-06 the figure was
    42,880.17 x 8.24% = 3,533.33. Low 41,048.81 x 6.85% = 2,811.84, high x 8.375% = 3,437.84."""
    text = _text(sample)
    assert ("Potential exposure from new nexus Potential exposure from new nexus: est. USD 3,382.42 a year (range "
            "USD 2,811.84 to USD 3,437.84)") in text
    assert ("Nevada (US-NV) stock at Reno, US-NV creates presence USD 55,555.70 USD 41,048.81 USD 3,382.42 USD "
            "2,811.84 to USD 3,437.84") in text
    assert "Potential exposure: no new nexus, so none added. 29 places to review with an adviser are not in any " \
           "figure." in text


def test_each_candidate_says_the_tax_no_longer_yours_to_collect_and_the_net_change(write, tmp_path):
    """Before: the memo gave the money new nexus adds and nothing for nexus removed. A warehouse in Reno adds Nevada
    (12,000.60 x 8.24% = 988.85 a year) and facilitating the Pennsylvania sales takes its nexus away (60,000.60 a
    year x 6.34% = 3,804.04; 6%: 3,600.04; 8%: 4,800.05); net 988.84944 - 3,804.03804 = USD 2,815.19 a year less.
    Accrued there before the move (collecting from 2026-04-01): 35,000.35 x 6.34% = 2,219.02."""
    from test_cli_provider import BOTH

    sales = write("orders.csv", BOTH)
    both = write("both.yaml", 'name: Both\nstock: ["Reno, US-NV"]\ncurrencies: [USD]\nrole:\n  '
                              'marketplace_facilitator: [US-PA]\n')
    memo = tmp_path / "memo.html"
    assert run(both, "--sales", sales, "--as-of", "2026-10-31", "--html", str(memo)).exit_code == 0
    page = Page(memo.read_text(encoding="utf-8"))
    text = _text(page)
    assert ("Tax no longer yours to collect a year est. USD 3,804.04 Net change a year in the tax you collect est. USD "
            "2,815.19 less") in text
    assert ("Tax no longer yours to collect, and the net change Tax no longer yours to collect: est. USD 3,804.04 a "
            "year (range USD 3,600.04 to USD 4,800.05)") in text
    assert "It is not a saving for your customers, who still pay it: it moves who collects and remits it" in text
    assert ("Pennsylvania (US-PA) removed Both as marketplace facilitator USD 60,000.60 USD 3,804.04 USD 3,600.04 to "
            "USD 4,800.05 USD 2,219.02") in text
    assert ("Net change in the tax you would collect and remit yourself: est. USD 2,815.19 a year less (est. USD "
            "988.85 added by new nexus, less est. USD 3,804.04 no longer yours to collect, each the sum of its places as shown).") in text
    table = [a for t, a in page.elements if t == "table" and a.get("id") == "removed-table-1"]
    assert len(table) == 1


def test_the_maps_show_where_each_candidate_adds_or_removes_nexus_in_words_too(sample, comparison):
    hostwell, shopkit = (_tiles(sample, f"us-map-{n}") for n in (1, 2))
    # Shopkit's Cloudflare points of presence in San Juan and Guam are US outlying areas (US-PR, US-GU), under the
    # US-wide CDN rule as Anchorage's is, placed beyond the 50 states and DC
    assert len(hostwell) == 51 and set(shopkit) - set(hostwell) == {"US-GU", "US-PR"}
    assert shopkit["US-PR"]["data-category"] == shopkit["US-AK"]["data-category"] == "review"
    assert hostwell["US-NV"]["data-category"] == "new-nexus" and "delta-new-nexus" in hostwell["US-NV"]["class"]
    assert hostwell["US-NV"]["data-nexus"] == "presence"  # under Hostwell: nexus from its stock in Reno
    for state in ("US-FL", "US-GA", "US-IL", "US-PA"):
        assert shopkit[state]["data-category"] == "nexus-removed", state
    assert shopkit["US-TX"]["data-category"] == "kept" and shopkit["US-ND"]["data-category"] == "none"
    world = _tiles(sample, "world-map-1")
    assert {world[c]["data-category"] for c in ("EU", "GB", "DE", "FR")} == {"nexus-removed"}
    # the home, established there whoever hosts the store; its domestic test counts the exports, and the sales
    # Hostwell takes as merchant of record leave them (JPY 263,701,632 today, 252,405,765 under it): nexus
    # unchanged, the sales counted changed
    assert world["JP"]["data-category"] == "shifted"
    # Each category's tiles carry its word, and the same places are listed as text under its legend.
    first = provider_view.candidate(1, comparison.candidates[0], provider_view.LabelledSources())
    tiles = first.us.tiles + first.world.tiles
    assert all(t.word == maps.DELTA_CATEGORIES[t.category].word for t in tiles)
    listed = {key: names for key, _, names in first.lists}
    assert listed["new-nexus"] == ("Nevada (US-NV)",)
    assert set(listed["nexus-removed"]) == {"European Union (EU)", "France (FR)", "Germany (DE)",
                                            "United Kingdom (GB)"}
    # Every listed place has its tile, but the United States as a whole: a site placed in the US without its state
    # (a CDN PoP its provider publishes no state for) is listed for review and has no tile of its own.
    assert "United States (US)" in listed["review"]
    assert sum(len(names) for names in listed.values()) - 1 == sum(1 for t in tiles if t.category != "none")
    text = _text(sample)
    assert "New nexus: none today, nexus under this provider (1) Nevada (US-NV)" in text
    nv = next(t for t in first.us.tiles if t.code == "US-NV")
    assert nv.title.startswith("Nevada (US-NV); New nexus: none today, nexus under this provider; US-NV: today "
                               "below the threshold, under Hostwell nexus from presence")


def test_each_candidates_tables_hold_its_changes_currencies_accounts_and_gaps(sample, comparison):
    hostwell, shopkit = comparison.candidates
    rows = {a["data-code"]: a["data-change"] for t, a in sample.elements if t == "tr" and "data-change" in a}
    assert rows["US-NV"] == "new-nexus" and rows["US-IL"] == "nexus-removed" and rows["US-OH"] == "unchanged"
    text = _text(sample)
    assert ("Shopkit facilitates the direct sales into Ohio and collects the tax on them, but Ohio's test still "
            "counts facilitated sales toward your threshold") in text
    assert "Nevada (US-NV) new creates presence none creates presence below the threshold adds stock at Reno, US-NV" \
        in text
    # Massachusetts' cache (BOS) joins them: its own regulation ended on 30 September 2019
    assert re.search(r"CDN cache adds review with an adviser 29: US-AK \(ANC\); US-AZ \(PHX\); .* US-GU \(GUM\); "
                     r".* US-MA \(BOS\); .* US-PR \(SJU\); ", text)
    # A currency added, with the rule of each country it could open; those dropped, with last year's sales.
    assert ("Singapore (SG): opens nothing. No sales into Singapore in the orders read: the currency alone opens "
            "nothing (Singapore GST (OVR): registration test > SGD 100,000") in text
    # --home JP: JPY is the home's currency, and the row says so
    assert ("JPY JPY 69,081,946 Customers paying in JPY today would pay in another currency, your customers at home "
            "in Japan among them (JPY is your home's currency).") in text
    assert "BHD BHD 3,171.342 Customers paying in BHD today would pay in another currency." in text
    assert "HRK (Kuna) was withdrawn 2023-01: the list should say EUR." in text
    accounts_shown = [a for t, a in sample.elements if t == "table" and a.get("id", "").startswith("accounts-table")]
    assert len(accounts_shown) == 2
    assert "1070 Bank - CHF Bank CHF Payouts in CHF need a bank account in CHF." in text
    assert f"Accounts the plan would add because of Hostwell ({len(hostwell.new_accounts)})" in text
    gaps = [a["data-key"] for t, a in sample.elements if t == "tr" and "data-key" in a]
    assert gaps == [line.question.key for c in (hostwell, shopkit) for line in c.open_items]
    assert ("refunds_as_rows Are refunds their own dated rows (or lines), with the original order id? no Refunds "
            "appear only as deductions in the payout statement, without the order number") in text
    assert "Unknown, so read as no until the provider answers: replayed orders may appear twice" in text


def test_every_citation_has_its_source_and_the_sources_say_what_rests_on_them(sample):
    cited = {a["href"][1:] for a in sample.all("a") if a.get("class") == "cite"}
    listed = [a["id"] for t, a in sample.elements if t == "li" and a.get("id", "").startswith("source-")]
    assert cited and cited <= set(listed)
    text = _text(sample)
    assert str(SAMPLES / "provider-hostwell.yaml") + " Hostwell: provider profile" in text
    assert "Hostwell Merchant Agreement, clause 9.3 (fictional) Hostwell: checklist answer: refunds_as_rows (no)" \
        in text
    links = [a["href"] for a in sample.all("a") if not a.get("class")]
    assert "https://docs.hostwell.example/status/replay" in links


def test_each_table_cites_its_sources_once_in_a_note_under_it_not_a_column_of_stacked_numbers(comparison):
    """Before: each table's last column, 7% wide, stacked a row's citations one pair a line: Shopkit's Illinois row
    in the Tax no longer yours table held 18, and the row stood as tall as them (the memo printed on 30 A4 pages).
    Now a note under each table cites the sources every row rests on once, then each row's others by its code; every
    number a row rests on is still cited and linked there."""
    html = render_comparison(comparison)
    assert '<th scope="col">Sources</th>' not in html
    view = provider_view.context(comparison)
    for c in view["candidates"]:
        for table, rows in (("nexus", c.nexus), ("money", c.money), ("removed", c.removed),
                            ("presence", c.presence), ("items", c.groups)):
            wanted = {n for r in rows for n in r.sources}
            if not rows:
                continue
            after = html.split(f'id="{table}-table-{c.number}"')[1].split("</table>", 1)[1]
            note = re.match(r'\s*<p class="note table-sources">(.*?)</p>', after, re.S)
            assert note or not wanted, (table, c.name)
            cited = {int(n) for n in re.findall(r'href="#source-(\d+)"', note.group(1))} if note else set()
            assert cited == wanted, (table, c.name)
    shopkit = next(c for c in view["candidates"] if c.name == "Shopkit")
    said = dict(shopkit.removed_sources)
    illinois = next(r for r in shopkit.removed if r.code == "US-IL")
    assert len(illinois.sources) >= 12 and set(said["every row"]) | set(said["US-IL also"]) == set(illinois.sources)


def test_a_tables_sources_say_the_common_ones_once_then_each_rows_others():
    assert provider_view.table_sources([("US-IL", (1, 2, 5)), ("US-PA", (2, 1, 6)), ("US-FL", (1, 2))]) == (
        ("every row", (1, 2)), ("US-IL also", (5,)), ("US-PA also", (6,)))
    assert provider_view.table_sources([("US-NV", (3, 1))]) == (("US-NV", (1, 3)),)
    assert provider_view.table_sources([("DE", (1,)), ("DE", (2,)), ("FR", ())]) == (("DE", (1, 2)),)
    assert provider_view.table_sources([("GB", ()), ("FR", ())]) == ()


def test_each_source_says_once_what_rests_on_it(comparison):
    """A source cited for a nexus rule, a presence rule or the tax no longer yours to collect said so twice in two
    wordings ('Nexus rule: DE (non-Union OSS / IOSS)' beside 'Nexus rule: EU (...), DE (...), FR (...)'; 'Rates and
    taxability behind the estimate: US-IL', the new nexus's, on a source of the tax no longer yours to collect),
    and a presence rule by its data's word ('third-party-inventory'): each now has one line per kind of use."""
    html = render_comparison(comparison)
    items = re.findall(r'<li id="source-\d+">(.*?)</li>', html[html.index('id="sources"'):], re.S)
    assert len(items) > 100
    for item in items:
        note = re.search(r'<span class="note">(.*?)</span>', item, re.S)
        assert note, item
        labels = re.sub(r"<[^>]+>", "", note.group(1)).split("; ")
        heads = [label.split(":")[0] for label in labels if label.startswith(("Nexus rule", "Presence rule"))]
        assert len(heads) == len(set(heads)), labels
        assert not any(label.startswith(("Rates and taxability behind the estimate", "Presence rule:"))
                       for label in labels), labels
        assert "third-party-inventory" not in note.group(1) and "cloud-region" not in note.group(1)


def test_a_currency_that_opens_a_country_says_so_with_the_rule_there(write, tmp_path):
    orders = write("orders.csv", """\
        order_id,date,country,region,amount,currency,channel,exempt,category
        A1,2026-03-01,KR,,50.00,USD,direct,no,digital
        A2,2026-03-02,KR,,50.00,USD,direct,no,digital
        """)
    candidate = write("seoulful.yaml", "name: Seoulful\ncurrencies: [USD, KRW]\n")
    memo = tmp_path / "memo.html"
    result = run(candidate, "--sales", orders, "--rates", str(SAMPLES / "eurofxref-hist.csv"),
                 "--as-of", "2026-10-31", "--html", str(memo))
    assert result.exit_code == 0, result.output
    page = Page(memo.read_text(encoding="utf-8"))
    assert ("South Korea (KR): opens. You sell digital goods there: South Korea VAT: registration from the first "
            "sale of digital goods and SaaS, not goods or services.") in _text(page)
    assert [a["data-code"] for t, a in page.elements if t == "p" and a.get("class") == "country"] == ["KR"]


def test_text_from_a_profile_stays_text(write, tmp_path):
    quoted = HOSTILE_IMG.replace('"', '\\"')
    candidate = write("evil.yaml", f"""\
        name: "<b>Evil</b> & co {quoted}"
        description: "{HOSTILE_SCRIPT}"
        currencies: [USD]
        export:
          refunds_as_rows:
            answer: no
            note: "{HOSTILE_SCRIPT} {quoted}"
            reference: "{quoted}"
          chargebacks_as_rows:
            answer: unknown
            reference: "javascript:alert(3)"
        """)
    memo = tmp_path / "memo.html"
    result = run(candidate, "--as-of", "2026-10-31", "--html", str(memo))
    assert result.exit_code == 0, result.output
    html = memo.read_text(encoding="utf-8")
    page = Page(html)
    assert "<img" not in html and "<b>" not in html and "window.__pwned=1;alert(1)</script>" not in html
    assert len(page.raw["script"]) == 1 and "__pwned" not in page.raw["script"][0]
    assert not any(k.startswith("on") for _, a in page.elements for k in a)
    assert not [a for a in page.all("a") if a.get("href", "").startswith("javascript")]
    text = "".join(page.text)
    assert f"<b>Evil</b> & co {HOSTILE_IMG}" in text  # the name, in the headline, the table and the section
    assert HOSTILE_SCRIPT in text and f"{HOSTILE_SCRIPT} {HOSTILE_IMG}" in text  # the description and the note
    assert HOSTILE_IMG in [cell.strip() for cell in page.text]  # the reference, alone in its cell
    assert "javascript:alert(3)" in text
    ids = [a["id"] for _, a in page.elements if "id" in a]
    assert all(re.fullmatch(r"[a-z0-9-]+", i) for i in ids)  # no id made from input text


def test_without_orders_or_a_chart_the_memo_says_what_was_not_assessed(write, tmp_path):
    memo = tmp_path / "memo.html"
    assert run(PROFILES[0], "--as-of", "2026-10-31", "--html", str(memo)).exit_code == 0
    text = _text(Page(memo.read_text(encoding="utf-8")))
    assert "No chart of accounts was given (--coa): the accounts are not assessed." in text
    assert "No orders were given (--sales): the nexus delta comes from presence alone" in text
    assert "No finding changes under Shopkit." in text


def test_html_option_writes_the_memo_beside_the_other_outputs_and_refuses_standard_output_and_inputs(
        tmp_path, tmp_path_factory):
    from shared_runs import bundled_comparison_json  # the same comparison (SAMPLE), run once for test_docs.py too

    result = bundled_comparison_json(tmp_path_factory)  # --html, --workbook and --format json; asserted to succeed
    memo, book = result.file("providers.html"), result.file("compare.xlsx")
    assert memo.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") and book.is_file()
    assert result.stdout.startswith("{")  # the JSON on standard output, unchanged by the memo
    refused = run(*SAMPLE, "--html", "-")
    assert refused.exit_code == 2 and "--html -: the memo is a file to open in a browser" in refused.stderr
    profile = Path(PROFILES[1])
    before = profile.read_bytes()
    clash = run(*SAMPLE, "--html", str(profile))
    assert clash.exit_code == 2 and "--html" in clash.stderr and "PROFILE" in clash.stderr
    assert profile.read_bytes() == before
    same = run(*SAMPLE, "--html", str(book), "--workbook", str(book))
    assert same.exit_code == 2 and "--html" in same.stderr


def test_the_new_colours_pass_wcag_aa_and_are_the_ones_the_page_uses(sample):
    css = sample.raw["style"][0]
    for key, c in maps.DELTA_CATEGORIES.items():
        assert maps.contrast(c.text, c.fill) >= 4.5, key
        assert f"svg .{c.css} rect {{ fill: {c.fill}; }}" in css and f".badge.{c.css} {{ background: {c.fill}" in css
    for key, c in maps.ANSWER_BADGES.items():
        assert maps.contrast(c.text, c.fill) >= 4.5, key
        assert f".badge.{c.css} {{ background: {c.fill}; color: {c.text}; }}" in css
    words = [c.word for c in maps.DELTA_CATEGORIES.values()]
    assert len(set(words)) == len(words)  # no two categories share a word: colour is never the only sign


def test_the_set_up_compared_with_names_the_registrations_file_on_the_first_page_and_on_screen(write, tmp_path):
    """Before: with --registrations the memo's 'Compared with' block named the orders, the presence file and the chart
    but not the registrations, and the screen's first line neither: a reader could not tell the figures counted
    registrations held (the file was named only among the inputs at the end). Without the file it says none is
    counted as held."""
    held = write("registrations.csv", "jurisdiction,registered_on,collecting_from,id\nUS-OH,2024-01-01,2024-01-01,OH1\n"
                                      "GB,2025-01-20,2025-01-02,GB1\n")
    memo = tmp_path / "memo.html"
    result = run(PROFILES[0], "--registrations", held, "--as-of", "2026-10-31", "--html", str(memo))
    assert result.exit_code == 0, result.output
    assert f"today: {held}" in " ".join(result.output.split())
    assert f"Registrations {held} (for US-OH, GB)" in _text(Page(memo.read_text(encoding="utf-8")))
    assert run(PROFILES[0], "--as-of", "2026-10-31", "--html", str(memo)).exit_code == 0
    assert "Registrations none given: no registration is counted as held" in _text(Page(memo.read_text(
        encoding="utf-8")))


def test_a_place_with_no_finding_under_a_candidate_reads_no_sales_and_none_not_an_empty_cell(sample):
    """Before: Germany under Hostwell (merchant of record in the EU: no sale into Germany is the seller's) read 'no
    finding' with an empty 'Sales counted' cell, where the screen says 'no sales'. It reads 'no sales' and 'none'."""
    text = _text(sample)
    assert ("Germany (EU member, counted with EU) (DE) removed nexus removed nexus from sales no sales EUR 33,842.22 "
            "2025-01-01 to 2025-12-31 none Hostwell is merchant of record for the direct sales into Germany") in text
    assert "no finding" not in text


def test_the_tax_no_longer_yours_at_one_rate_says_so_in_the_range_cell(write, tmp_path):
    """Before: the United Kingdom's row (one standard rate, 20%: low = high) left the memo's Range cell empty beside
    GBP 9,006.43, where the US rows give a range: an empty cell where a reader looks for a figure."""
    memo = tmp_path / "memo.html"
    result = run(PROFILES[1], "--sales", str(SAMPLES / "orders-2025.csv"), "--sales", str(SAMPLES / "orders-2026.csv"),
                 "--rates", str(SAMPLES / "eurofxref-hist.csv"), "--as-of", "2026-10-31", "--html", str(memo))
    assert result.exit_code == 0, result.output
    text = _text(Page(memo.read_text(encoding="utf-8")))
    assert ("United Kingdom (GB) removed Hostwell as merchant of record GBP 45,032.16 GBP 9,006.43 one rate, no range "
            "USD 20,607.28") in text


def test_a_new_currencys_country_not_assessed_or_not_known_does_not_read_opens_nothing(write, tmp_path):
    """The memo led each country of a currency the candidate adds with 'opens' or 'opens nothing': Bahrain, where the
    company sells goods and nexus has no rule, read 'opens nothing', and without orders every country did, though
    whether the company sells there is not known (the screen says so)."""
    header = "order_id,date,country,region,amount,currency,channel,exempt,category\n"
    sales = write("orders.csv", header + "".join(f"B{i},2026-0{i}-10,BH,,80.00,USD,direct,no,goods\n"
                                                  f"J{i},2026-0{i}-11,JP,,90.00,USD,direct,no,goods\n"
                                                  for i in range(1, 4)))
    dinars = write("dinars.yaml", "name: Dinars\ncurrencies: [USD, BHD, JPY]\n")
    rates = str(SAMPLES / "eurofxref-hist.csv")
    for args, bahrain, japan in (([sales, "--rates", rates], "not assessed", "opens nothing"),
                                 ([], "not known: no orders given", "not known: no orders given")):
        page = tmp_path / "memo.html"
        run(dinars, *(["--sales"] + args if args else []), "--as-of", "2026-10-31", "--html", str(page))
        text = page.read_text(encoding="utf-8")
        assert f"<strong>Bahrain (BH): {bahrain}.</strong>" in text
        assert f"<strong>Japan (JP): {japan}.</strong>" in text
        page.unlink()
    from openpyxl import load_workbook

    run(dinars, "--sales", sales, "--rates", rates, "--as-of", "2026-10-31", "--workbook", str(tmp_path / "c.xlsx"))
    sheet = load_workbook(tmp_path / "c.xlsx")["Currencies"]
    header = [c.value for c in sheet[1]]
    opens = {r[header.index("Country")]: r[header.index("Opens")] for r in sheet.iter_rows(min_row=2, values_only=True)
             if r[header.index("Change")] == "country"}
    assert (opens["BH Bahrain"], opens["JP Japan"]) == ("not assessed", "no")  # it read 'no' for Bahrain too


def test_a_question_the_profile_leaves_unanswered_says_so_once(write, tmp_path):
    """Before: each of the eleven questions a profile did not answer read "not answered in the profile" twice in the
    memo's checklist, as its note and again below it where an answer's profile line goes (there is none)."""
    quiet = write("quiet.yaml", "name: Quiet\ncurrencies: [USD]\n")
    memo = tmp_path / "memo.html"
    assert run(quiet, "--as-of", "2026-10-31", "--html", str(memo)).exit_code == 0
    text = _text(Page(memo.read_text(encoding="utf-8")))
    assert "11 of 11 answers are not yes" in text
    assert text.count("not answered in the profile") == 11
    assert "order_id Does the order export carry the order id on every row (line items and refunds included)? " \
           "unknown not answered in the profile Unknown, so read as no" in text


def test_the_first_page_gives_each_candidates_dates_beside_its_money(sample):
    """Before: the first page gave each candidate's money and counts, and no date: that Shopkit leaves the company
    liable in Pennsylvania to 2028-03-31 for nexus its sales made before the move was four pages in, under a table.
    Now each verdict is followed by the dates a signer weighs: when new nexus starts, and how long the nexus a move
    removes keeps the company liable, earliest first."""
    verdicts = _text(sample).split("most consequential first")[1].split("Compared with")[0]  # the first page's list
    assert ("Dates: new nexus in US-NV from the day the move puts Hostwell's presence there.") in verdicts
    assert ("Dates: nexus removed lasts after the move, and you stay liable there, in US-GA to 2026-12-31, US-FL to "
            "2027-12-31, US-IL to 2027-12-31, US-PA to 2028-03-31.") in verdicts


def test_the_nexus_tables_sales_say_the_period_their_test_counted(sample, comparison):
    """Before: Nevada's row read 'USD 40,443.12' of sales counted, and the next page 'USD 55,555.70' sold there, with
    no period beside the first: two figures for one state's sales that a controller cannot reconcile. The first is
    what Nevada's test counts (its period), the second the twelve months the estimate runs over. Now each sales cell
    of the nexus table says the period its test measured."""
    hostwell = next(c for c in comparison.candidates if c.name == "Hostwell")
    nevada = next(r.under for r in hostwell.nexus if r.jurisdiction == "US-NV")
    period = f"{nevada.period.start} to {nevada.period.end}"
    assert period != "2025-11-01 to 2026-10-31"  # not the estimate's twelve months
    assert f"USD 40,443.12 {period} USD 40,443.12 {period}" in _text(sample)


def test_each_money_table_ends_with_its_total_the_sum_of_its_rows(sample, comparison):
    """Before: the memo's money tables had no foot; the total was in the sentence above, and Shopkit's read USD
    53,838.13 over rows adding to 53,838.12. Now each table ends with a Total row, the sum of its rows as shown:
    Shopkit's 12,677.40 + 9,406.81 + 14,260.92 + 8,594.29 + 8,898.70 = USD 53,838.12, its range 41,613.25 to
    63,881.61, and the potential exposure accrued, the sum of that column; Hostwell's new nexus USD 3,382.42."""
    from nexus.money import quantize

    shopkit = next(c for c in comparison.candidates if c.name == "Shopkit")
    accrued = sum(quantize(p.accrued, "USD") for p in shopkit.removed.places)
    text = _text(sample)
    assert f"Total USD 53,838.12 USD 41,613.25 to USD 63,881.61 USD {accrued:,}" in text
    assert "Total USD 3,382.42 USD 2,811.84 to USD 3,437.84" in text


def test_the_money_sentences_keep_each_date_on_one_line(comparison):
    """Before: Chromium ended a line of Hostwell's 'Tax no longer yours' lead after '2025-' ('at the pace of your sales
    from 2025-' above '11-01'): the leads, notes, net change and each verdict's dates hold every date in a span that
    keeps it whole, as the check's memo keeps its home's dates."""
    html = render_comparison(comparison)
    for key in ("money-lead-1", "removed-lead-1", "removed-lead-2"):
        paragraph = html.split(f'id="{key}">')[1].split("</p>")[0]
        dates = re.findall(r"\d{4}-\d{2}-\d{2}", paragraph)
        whole = re.findall(r'<span class="whole">\d{4}-\d{2}-\d{2}\S*</span>', paragraph)
        assert dates and len(whole) == len(dates), key
    verdicts = html.split('id="verdicts"')[1].split("</ol>")[0]
    assert '<span class="whole">US-PA</span> to <span class="whole">2028-03-31' in verdicts
