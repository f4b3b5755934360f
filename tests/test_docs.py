"""The docs keep up with the code: every command and option is in the CLI reference, every page exists, every
link reaches its page and heading, every option and choice a page names is nexus's, every screen shown is printed."""
import json
import re
import runpy
import shlex
import textwrap
from decimal import Decimal
from pathlib import Path

import click
from click.testing import CliRunner
import pytest

from conftest import at_repository
from nexus.cli import cli

DOCS = Path(__file__).resolve().parent.parent / "docs"
README = (DOCS.parent / "README.md").read_text(encoding="utf-8")
REFERENCE = (DOCS / "cli.md").read_text(encoding="utf-8")
_TOP = click.Context(cli)
COMMANDS = [(name, cli.get_command(_TOP, name)) for name in cli.list_commands(_TOP)]


@pytest.mark.parametrize("name, command", COMMANDS, ids=[name for name, _ in COMMANDS])
def test_every_command_is_documented_with_all_its_options(name, command):
    assert command.help, f"{name} has no help text"
    assert f"## `nexus {name}`" in REFERENCE, "run: python docs/make_cli_reference.py"
    section = REFERENCE.split(f"## `nexus {name}`", 1)[1].split("\n## ", 1)[0]
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.opts[-1] in section, f"{param.opts[-1]} missing: run python docs/make_cli_reference.py"
            assert param.help or param.type.name == "choice" or param.is_flag, f"{param.opts[-1]} has no help"


def test_the_cli_reference_is_what_its_script_generates_today():
    """docs/cli.md is generated: an option's help edited in the code but not regenerated (or the page edited by hand)
    shows a new user a --help that nexus no longer prints."""
    generated = runpy.run_path(str(DOCS / "make_cli_reference.py"))["reference"]()
    assert REFERENCE == generated, "run: python docs/make_cli_reference.py"


def test_every_page_is_linked_from_the_readme():
    """A page the README does not link is one a new user never finds."""
    for page in sorted(DOCS.glob("*.md")):
        assert f"](docs/{page.name})" in README, f"README.md does not link docs/{page.name}"


def test_readme_quick_start_has_the_two_commands_ci_runs():
    assert "pip install . && nexus check --sales spreadsheets/orders-2025.csv" in README
    ci = (DOCS.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "pip install '.[test]' && pytest" in README
    assert "pytest" in ci


# ---- what the pages show, checked against nexus itself -----------------------------------------------------------

ROOT = DOCS.parent
PAGES = [ROOT / "README.md"] + sorted(DOCS.glob("*.md"))
FENCE = re.compile(r"^```(\w*)\n(.*?)^```", re.S | re.M)


def _prose(text):
    """A page without its fenced blocks, whose contents are code, not links or headings."""
    return FENCE.sub("", text)


def _anchors(page):
    """The anchors GitHub gives a page's headings: lower case, punctuation dropped, spaces as hyphens, repeats
    numbered."""
    seen, anchors = {}, set()
    for heading in re.findall(r"^#{1,6} (.+)$", _prose(page.read_text(encoding="utf-8")), re.M):
        slug = re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")
        anchors.add(slug if slug not in seen else f"{slug}-{seen[slug]}")
        seen[slug] = seen.get(slug, 0) + 1
    return anchors


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_relative_link_reaches_a_file_and_its_heading(page):
    for link in re.findall(r"\]\(([^)\s]+)\)", _prose(page.read_text(encoding="utf-8"))):
        if re.match(r"[a-z]+:", link):
            continue
        path, _, anchor = link.partition("#")
        target = (page.parent / path).resolve() if path else page
        assert target.exists(), f"{page.name}: link {link} names no file"
        if anchor and target.suffix == ".md":
            assert anchor in _anchors(target), f"{page.name}: link {link}: {target.name} has no such heading"


def _options():
    """Every option of every command, with the choices it takes in each (empty: no fixed words)."""
    found = {"--help": [set()]}

    def walk(command):
        for param in command.params:
            if isinstance(param, click.Option):
                choices = set(param.type.choices) if isinstance(param.type, click.Choice) else set()
                for name in param.opts + param.secondary_opts:
                    found.setdefault(name, []).append(choices)
        if isinstance(command, click.Group):
            for name in command.list_commands(_TOP):
                walk(command.get_command(_TOP, name))

    walk(cli)
    return found


#: Lines about pytest, whose options are its own; and the benchmark scripts' options, read from the scripts.
PYTEST = re.compile(r"pytest")
BENCHMARK_OPTIONS = {name for script in (ROOT / "benchmarks").glob("*.py")
                     for name in re.findall(r"add_argument\(\"(--[a-z-]+)\"", script.read_text(encoding="utf-8"))}


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_option_a_page_names_exists_with_the_choices_it_lists(page):
    """An option a page names is one nexus has; where the page lists its words (`--fail-on a|b|c`), it lists
    every choice the option takes and no other (a list with one missing reads as the whole list)."""
    options = _options()
    for line in page.read_text(encoding="utf-8").splitlines():
        if PYTEST.search(line):
            continue
        for name, words in re.findall(r"(?<![\w-])(--[a-z][a-z0-9-]*)(?:[ =]([a-z][a-z0-9-]*(?:\|[a-z][a-z0-9-]*)+))?",
                                      line):
            if name in BENCHMARK_OPTIONS and name not in options:
                continue
            assert name in options, f"{page.name}: {name} is no option of any nexus command: {line.strip()}"
            if words and any(options[name]):
                assert set(words.split("|")) in options[name], (
                    f"{page.name}: {name} {words}: its choices are "
                    + " or ".join("|".join(sorted(c)) for c in options[name] if c))


def _shown_screens():
    """(page, command, screen) for each screen a page shows under its command: a text block starting with
    `$ nexus ...`, or a sh block holding one nexus command with a text block right after it."""
    found = []
    for page in PAGES:
        blocks = [(m.group(1), m.group(2), m.end()) for m in FENCE.finditer(page.read_text(encoding="utf-8"))]
        text = page.read_text(encoding="utf-8")
        for (kind, body, end), following in zip(blocks, blocks[1:] + [None]):
            if kind == "text" and body.startswith("$ nexus "):
                lines = body.splitlines(keepends=True)
                n = next(i for i, line in enumerate(lines) if not line.rstrip("\n").endswith("\\"))
                command, screen = "".join(lines[:n + 1]), "".join(lines[n + 1:])
            elif kind == "sh" and body.startswith("nexus ") and following and following[0] == "text" \
                    and text[end:].lstrip("\n").startswith("```text") and body.count("\nnexus ") == 0:
                command, screen = body, following[1]
            else:
                continue
            words = command.lstrip("$ ").replace("\\\n", " ").split()[1:]
            found.append(pytest.param(page.name, words, screen, id=f"{page.name}:{' '.join(words[:2])}"))
    return found


@pytest.mark.parametrize("page, words, screen", _shown_screens())
def test_every_screen_shown_is_what_nexus_prints(page, words, screen, monkeypatch):
    """The screen a page shows under a command is what that command prints on the sample today: whole, or,
    where the page leaves lines out with `...`, each shown run of lines in the order printed. Run from the
    project's folder, as the page says, since the paths it prints decide where lines wrap."""
    monkeypatch.chdir(ROOT)
    printed = CliRunner().invoke(cli, words, catch_exceptions=False).stdout
    if "\n...\n" not in f"\n{screen}" and not screen.lstrip().startswith("..."):
        assert screen == printed, f"{page}: the screen shown under nexus {' '.join(words)} is not what it prints"
        return
    at = 0
    for run in re.split(r"^ *\.\.\.\n", screen, flags=re.M):
        if run:
            found = printed.find(run, at)
            assert found >= 0, f"{page}: nexus {' '.join(words)} does not print, in this order:\n{run}"
            at = found + len(run)


# ---- counts the pages quote, checked against the data -------------------------------------------------------------

def _penalty_rows():
    import json
    return json.loads((ROOT / "data" / "penalties-interest.json").read_text(encoding="utf-8"))["rules"]


def _in_force(row, day):
    return row["effective_from"] <= day and (row.get("effective_to") is None or row["effective_to"] >= day)


def test_rules_md_penalty_coverage_counts_what_the_table_holds():
    """docs/rules.md says how many states the penalties table can charge interest for, and which rows are
    official: a row read again since (Texas, Georgia's 2026 rate) leaves a reader trusting the wrong ones."""
    page = " ".join((DOCS / "rules.md").read_text(encoding="utf-8").split())
    rows = _penalty_rows()
    official = sum(1 for row in rows if row["confidence"] == "official")
    assert f"or revenue page for penalties (official in {official} rows)" in page
    taxing = [row for row in rows if row["jurisdiction"].startswith("US-")
              and row["jurisdiction"] not in ("US-DE", "US-MT", "US-NH", "US-OR")]
    counts = []
    for year in (2019, 2021, 2023, 2024, 2025, 2026):
        day = f"{year}-06-01"
        counts.append(len({row["jurisdiction"] for row in taxing if _in_force(row, day) and row["interest"]
                           and any(_in_force(period, day) for period in row["interest"])}))
    assert ("on 1 June of 2019 / 2021 / 2023 / 2024 / 2025 / 2026 for " + " / ".join(map(str, counts))) in page
    places = {row["jurisdiction"] for row in rows}
    filing, paying, interest = ({row["jurisdiction"] for row in taxing if row[key]}
                                for key in ("late_filing", "late_payment", "interest"))
    assert f"{len(rows)} rows for {len(places)} jurisdictions" in page
    assert (f"Of the {len({row['jurisdiction'] for row in taxing})} US jurisdictions that tax (45 states, DC and "
            f"Alaska): a late-filing penalty for {len(filing)}, a late-payment penalty for {len(paying)} (either for "
            f"{len(filing | paying)}); interest for some period for {len(interest)}") in page
    listed = page.split("Not official: secondary ", 1)[1].split(", the no-sales-tax states", 1)[0].split(", ")
    secondary = sorted(row["jurisdiction"][3:] for row in taxing if row["confidence"] == "secondary")
    assert listed == secondary


def test_rules_md_names_every_country_with_rows_for_sellers_established_there():
    """The taxability coverage names the countries whose own sellers have rows: one left out reads as taxed like a
    foreign seller, and a reader of --home there is told the wrong rows apply."""
    import json
    rows = json.loads((ROOT / "data" / "taxability.json").read_text(encoding="utf-8"))["rules"]
    established = sorted({row["jurisdiction"] for row in rows if row.get("establishment") == "established"})
    page = " ".join((DOCS / "rules.md").read_text(encoding="utf-8").split())
    assert f"| abroad, for sellers established there ({', '.join(established)}) yes / unknown |" in page
    exposure = " ".join((DOCS / "exposure.md").read_text(encoding="utf-8").split())
    names = {"AU": "Australia", "CA": "Canada", "CH": "Switzerland", "DE": "Germany", "GB": "the UK", "JP": "Japan"}
    sentence = exposure.split(" have such rows;", 1)[0].rsplit(". ", 1)[1]
    assert sorted(code for code, name in names.items() if name in sentence) == established


def _csv_rows(name):
    """The rows of a data table in CSV, below its `#` lines of provenance."""
    import csv
    lines = (ROOT / "data" / name).read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader(line for line in lines if not line.startswith("#")))


def test_presence_md_reference_tables_count_what_the_data_holds():
    """docs/presence.md's table of the reference data tells a reader how far a CDN comparison or a presence verdict
    can be trusted: its counts (regions, points of presence by provider, the verified rows, cities, rules by
    confidence, trailing-nexus rows) are what the tables hold."""
    from collections import Counter
    page = " ".join((DOCS / "presence.md").read_text(encoding="utf-8").split())
    regions, pops = _csv_rows("cloud-regions.csv"), _csv_rows("cdn-pops.csv")
    by = Counter(row["provider"] for row in regions)
    assert (f"| {len(regions)} regions: AWS {by['aws']}, Google Cloud {by['gcp']}, Azure {by['azure']}, Oracle "
            f"{by['oracle']} |") in page
    assert f"{sum(1 for row in regions if row['verified'])} rows checked against a stored copy" in page
    by = Counter(row["provider"] for row in pops)
    assert (f"| {len(pops)} points of presence: Cloudflare {by['cloudflare']}, Fastly {by['fastly']}, CloudFront "
            f"{by['cloudfront']} |") in page
    fastly = Counter(row["verified"] for row in pops if row["provider"] == "fastly")
    row = page.split("| `data/cdn-pops.csv` |", 1)[1].split("| `data/state-cities.csv` |", 1)[0]
    shown = re.findall(r"\((\d+) rows, 20\d\d", row) + re.findall(r"; (\d+) Fastly rows", row)
    assert sorted(int(n) for n in shown) == sorted(fastly.values())  # by source: 2021's, the edge check's, lists'
    cities = _csv_rows("state-cities.csv")
    also = sum(1 for row in cities if row["also_in_country"] == "yes")
    states = len({row["subdivision"] for row in cities})
    assert (f"| {len(cities):,} cities of the {states} US states and Canadian provinces whose postal abbreviation is "
            f"also a country's code ({also} also a city of that country)") in page
    rules = json.loads((ROOT / "data" / "presence-rules.json").read_text(encoding="utf-8"))["rules"]
    official = sum(1 for rule in rules if rule["confidence"] == "official")
    assert f"| {len(rules)} rules |" in page
    assert f"({official} of the {len(rules)} rules on" in page and f"secondary sources only ({len(rules) - official})" \
        in page
    trailing = json.loads((ROOT / "data" / "presence-trailing.json").read_text(encoding="utf-8"))["rules"]
    unknown = sum(1 for row in trailing if row["trailing"]["kind"] == "unknown")
    assert (f"| {len(trailing)} rows for {len({row['jurisdiction'] for row in trailing})} places: "
            f"{len(trailing) - unknown} with a known period") in page and f", {unknown} unknown |" in page


def _rule_rows(name):
    return json.loads((ROOT / "data" / name).read_text(encoding="utf-8"))["rules"]


def test_rules_md_counts_of_the_abroad_marketplace_and_disclosure_tables_are_what_they_hold():
    """docs/rules.md says how far each table rests on primary texts and what it covers: the rows abroad by
    confidence, the marketplace-facilitator laws' official rows and the others by name, the voluntary-disclosure
    programmes known and the US rows unknown."""
    from collections import Counter
    page = " ".join((DOCS / "rules.md").read_text(encoding="utf-8").split())
    abroad = Counter(row["confidence"] for row in _rule_rows("international-vat-gst.json"))
    assert (f"So the file holds {sum(abroad.values())} rows: {abroad['official']} `official`, {abroad['secondary']} "
            f"`secondary`, {abroad['conflict']} `conflict`.") in page
    laws = _rule_rows("marketplace-facilitator-laws.json")

    def named(confidence):
        return ", ".join(sorted(row["jurisdiction"][3:] for row in laws if row["confidence"] == confidence))
    official = sum(1 for row in laws if row["confidence"] == "official")
    assert (f"{official} of {len(laws)} rows are `official`. Rows whose confidence is not `official`: `secondary`: "
            f"US-{named('secondary')}; `conflict`: US-{named('conflict')}.") in page
    assert official + len(named("secondary").split(", ")) + len(named("conflict").split(", ")) == len(laws)
    programmes = _rule_rows("voluntary-disclosure.json")
    us = [row for row in programmes if row["jurisdiction"].startswith("US-")]
    known = [row for row in us if row["programme"] != "unknown"]
    unknown = sorted(row["jurisdiction"][3:] for row in us if row["programme"] == "unknown")
    assert (f"**Coverage**: {len(us)} US rows (45 states with a sales tax, DC, Alaska) and {len(programmes) - len(us)} "
            f"abroad. Programme known for {len(known) - 1} states and DC (look-back for "
            f"{sum(1 for row in known if row['lookback_months'] is not None)}, penalty terms for "
            f"{sum(1 for row in known if row['penalties_waived'] != 'unknown')}, interest terms for "
            f"{sum(1 for row in known if row['interest_waived'] != 'unknown')}); {len(unknown)} US rows are `unknown` "
            f"({', '.join(unknown)}:") in page
    assert "US-DC" in {row["jurisdiction"] for row in known}


def test_rules_md_whole_list_on_a_day_counts_what_nexus_rules_lists():
    """docs/rules.md: `nexus rules --as-of 2019-01-01` lists 45 places and names the 24 it leaves out. The page said
    "lists 45" of a table of 46 rows (Switzerland has two schemes): it now says both."""
    page = " ".join((DOCS / "rules.md").read_text(encoding="utf-8").split())
    found = re.search(r"`nexus rules --as-of (\S+)` lists (\d+) places \((\d+) rows: [^)]+\) and says \"Not in this "
                      r"list: no rule in the data in force on \S+ for [^\"]+ \((\d+) places\)\"", page)
    day, listed, rows, left = found.groups()
    shown = _run_json("rules", "--as-of", day, "--format", "json")
    assert len({rule["jurisdiction"] for rule in shown["rules"]}) == int(listed) and len(shown["rules"]) == int(rows)
    assert f"({left} places)" in shown["not_in_force"][0]


def _taxability_cell(answers, places):
    """A cell of rules.md's coverage table: the counts of `answers` among the places' answers, `a / b`, each with
    the places in brackets where it is one of the few `unknown` or `partial` ones (`1 (MX)`)."""
    cells = []
    for answer in answers:
        named = sorted(code.removeprefix("US-") for code, given in places.items() if given == answer)
        cells.append(f"{len(named)} ({', '.join(named)})" if named and answer in ("unknown", "partial")
                     else str(len(named)))
    return " / ".join(cells)


def test_rules_md_taxability_coverage_and_counts_are_what_the_table_holds():
    """docs/rules.md's coverage of data/taxability.json, by category on the day it names, and its row counts, by
    confidence and by answer: the four rows for sellers established in Germany were counted in the rows (651) and
    not in the answers (yes read 404 for 408)."""
    rows = json.loads((ROOT / "data" / "taxability.json").read_text(encoding="utf-8"))["rules"]
    page = " ".join((DOCS / "rules.md").read_text(encoding="utf-8").split())
    day = re.search(r"\*\*Coverage on (\d{4}-\d\d-\d\d)\*\* \(the rows in force that day", page).group(1)
    table = page.split(f"**Coverage on {day}**", 1)[1].split("Rows: ", 1)[0]
    rows_in_force = [row for row in rows if _in_force(row, day)]
    categories = ("goods", "digital", "saas", "services")

    def answers(region, establishment):
        found = {category: {} for category in categories}
        for row in rows_in_force:
            if region(row["jurisdiction"]) and row.get("establishment") in establishment:
                found[row["category"]][row["jurisdiction"]] = row["taxable"]
        return found
    us = answers(lambda code: code.startswith("US-"), (None, "non_established"))
    abroad = answers(lambda code: not code.startswith("US-"), (None, "non_established"))
    home = answers(lambda code: True, ("established",))
    homes = sorted({code for found in home.values() for code in found})
    for label, found, kinds in (("US yes / partial", us, ("yes", "partial")), ("US no", us, ("no",)),
                                ("US unknown", us, ("unknown",)),
                                ("abroad yes / no / unknown", abroad, ("yes", "no", "unknown")),
                                (f"abroad, for sellers established there ({', '.join(homes)}) yes / unknown", home,
                                 ("yes", "unknown"))):
        cells = " | ".join(_taxability_cell(kinds, found[category]) for category in categories)
        assert f"| {label} | {cells} |" in table, label
    confidence = {c: sum(1 for row in rows if row["confidence"] == c) for c in ("official", "secondary", "conflict",
                                                                                "unknown")}
    assert ("Rows: {} (official {official}, secondary {secondary}, conflict {conflict}, unknown {unknown};"
            .format(len(rows), **confidence)) in page
    given = {a: sum(1 for row in rows if row["taxable"] == a) for a in ("yes", "no", "unknown", "partial")}
    assert "By answer: yes {yes}, no {no}, unknown {unknown}, partial {partial}".format(**given) in page


def _run_json(*words):
    """What a nexus command prints as JSON, run from the project's folder as the pages run it."""
    import json
    with at_repository():
        result = CliRunner().invoke(cli, list(words), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def provider_json(tmp_path_factory):
    """The README's provider comparison as JSON (run from the project's folder, once for this file and
    test_provider_memo.py; its workbook and memo, written too, do not change the JSON)."""
    import json

    from shared_runs import bundled_comparison_json
    return json.loads(bundled_comparison_json(tmp_path_factory).stdout)


def test_json_md_provider_excerpt_shows_the_first_source_the_sample_gives(provider_json):
    """The provider comparison's JSON excerpt shows a presence item's sources as the sample prints them, first one
    first: the revenue department's page leads where one was read, and the excerpt should not say otherwise."""
    hostwell = provider_json["candidates"][0]
    page = (DOCS / "json.md").read_text(encoding="utf-8").split("## `nexus provider compare --format json`", 1)[1]
    firsts = [hostwell["presence_delta"][0]["added"][0]["sources"][0],
              hostwell["potential_exposure"]["places"][0]["sources"][0],
              hostwell["tax_no_longer_collected"]["places"][0]["sources"][0]]
    shown = re.findall(r'"sources": \["([^"]+)\.\.\.", "\.\.\."\]', page)[:3]
    assert len(shown) == 3 and all(first.startswith(prefix) for first, prefix in zip(firsts, shown)), (shown, firsts)


def _usd(text):
    return f"USD {Decimal(text):,.2f}"


def test_provider_md_sample_figures_are_the_comparison_s(provider_json):
    """docs/provider.md works the README's comparison through: Nevada's sales, taxable sales and tax a year under
    Hostwell, the table of each candidate's net change, the potential exposure accrued in the places Shopkit takes,
    and the day each state's nexus from sales before the move lasts to; and rules.md's reading of Nevada's SaaS row,
    which quoted Hostwell's net change of that day (USD 21,819.45 of 25,201.88) as though it were today's."""
    page = " ".join((DOCS / "provider.md").read_text(encoding="utf-8").split())
    hostwell, shopkit = (next(c for c in provider_json["candidates"] if c["name"] == name)
                         for name in ("Hostwell", "Shopkit"))
    nevada = hostwell["potential_exposure"]["places"][0]
    tax = nevada["tax_a_year_reporting"]
    assert (f"makes Nevada new nexus: {_usd(nevada['sales'])} sold there from "
            f"{hostwell['potential_exposure']['start']} to {hostwell['potential_exposure']['end']}, of which "
            f"{_usd(nevada['taxable_sales'])} is taxable") in page
    assert (f"**{_usd(tax['central'])} a year** (range {_usd(tax['low'])} at the state rate to {_usd(tax['high'])} "
            f"at the highest combined") in page

    def places(candidate, nexus):
        taken = candidate["tax_no_longer_collected"]["places"]
        return ", ".join(place["jurisdiction"] for place in taken if place["nexus"] == nexus)

    def total(candidate, part):
        return _usd(candidate[part]["total_a_year"]["central"])
    assert not shopkit["counts"]["new_nexus"] and not places(hostwell, "stays")
    assert (f"| Potential exposure a year of new nexus | {total(hostwell, 'potential_exposure')} (US-NV) | none |"
            f" | Tax no longer yours to collect a year | {total(hostwell, 'tax_no_longer_collected')} "
            f"({places(hostwell, 'removed')}: Hostwell as merchant of record) | "
            f"{total(shopkit, 'tax_no_longer_collected')} ({places(shopkit, 'removed')}; {places(shopkit, 'stays')}, "
            f"nexus kept) | | Net change a year in the tax you collect yourself | "
            f"{_usd(hostwell['net_change_a_year']['net']['central'].lstrip('-'))} less | "
            f"{_usd(shopkit['net_change_a_year']['net']['central'].lstrip('-'))} less |") in page
    accrued = sum(Decimal(p["accrued_potential_exposure_reporting"])
                  for p in shopkit["tax_no_longer_collected"]["places"])
    assert f"(est. {_usd(accrued)} in the four states and Ohio under Shopkit)" in page
    rules = " ".join((DOCS / "rules.md").read_text(encoding="utf-8").split())  # its reading of Nevada's SaaS row
    assert (f"the tax no longer Hostwell's to collect is {total(hostwell, 'tax_no_longer_collected')} and the net "
            f"change {_usd(hostwell['net_change_a_year']['net']['central'].lstrip('-'))} a year less") in rules
    names = {"US-IL": "Illinois", "US-PA": "Pennsylvania", "US-FL": "Florida", "US-GA": "Georgia"}
    for place in shopkit["tax_no_longer_collected"]["places"]:
        if place["jurisdiction"] in names:
            assert f"{names[place['jurisdiction']]} **{place['nexus_lasts_until']}**" in page, place["jurisdiction"]


def _keys(value):
    """Every key of every object in a JSON document, but those that are data (a place's code, a category's reason
    for being left out of an estimate: `"saas: taxability unknown"`), not names a program reads by."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if not re.fullmatch(r"[A-Z]{2}(-[A-Z0-9]+)?|EU-IOSS|.*[ :].*", key):
                yield key
            yield from _keys(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _keys(inner)


def _unnamed(document, page):
    """The keys of a document that the page does not name, in backticks or quotes, alone or in a dotted path."""
    return sorted(key for key in set(_keys(document)) if not re.search(rf"[`\".]{re.escape(key)}[`\",.:\[]", page))


@pytest.fixture(scope="module")
def readme_check_run(tmp_path_factory):
    """The README's first check run once, with the reference reader (which lists the duplicate rows), as JSON and
    with its workbook, then the currency review, both kept in a store of the test's own: (the check's JSON, the
    workbook's path, the store's path, the review's JSON)."""
    folder = tmp_path_factory.mktemp("readme")
    s, db, workbook = "spreadsheets/", str(folder / "store.sqlite3"), folder / "nexus-report.xlsx"
    checked = _run_json("check", "--sales", s + "orders-2025.csv", "--sales", s + "orders-2026.csv", "--rates",
                        s + "eurofxref-hist.csv", "--as-of", "2026-10-31", "--presence", s + "presence.csv",
                        "--registrations", s + "registrations.csv", "--engine", "python", "--format", "json",
                        "--workbook", str(workbook), "--db", db)
    review = _run_json("currencies", "review", "--provider", s + "provider-currencies-2026-q4.txt", "--format",
                       "json", "--db", db)
    return checked, workbook, db, review


def test_json_md_names_every_key_the_sample_json_has(readme_check_run, provider_json):
    """docs/json.md is the contract programs read by: a key nexus prints that it does not name (a registration's
    `collecting_from`, a presence item's `dedicated`, `nexus history --format json` as a whole) is one a program
    cannot know it may rely on. The README's check, its provider comparison and the history of a review and a
    check."""
    page = (DOCS / "json.md").read_text(encoding="utf-8")
    checked, _, db, _ = readme_check_run
    history = _run_json("history", "--format", "json", "--db", db)
    assert {event["kind"] for event in history} == {"check", "review"}
    for name, document in (("check", checked), ("provider compare", provider_json), ("history", history)):
        assert not _unnamed(document, page), f"docs/json.md does not name these keys of nexus {name}'s JSON"


def test_rules_md_readings_quote_today_s_estimates_or_say_what_moved_them(readme_check_run):
    """docs/rules.md's readings of the data quote the README's sample ("New York's estimate is unchanged (USD
    21,581.61)") and say that the figures quoted are today's but for those it names as moved since: left behind when
    refunds of sales made before tax was due were left out, five read as today's and were not."""
    page = " ".join((DOCS / "rules.md").read_text(encoding="utf-8").split())
    today = {f["name"]: f"{Decimal(f['exposure']['reporting']['central']):,.2f}"
             for f in readme_check_run[0]["findings"] if f.get("exposure") and f["exposure"]["reporting"]}
    moved = page.split("The readings below quote the README's sample", 1)[1].split("the states' other figures", 1)[0]
    moved = dict(re.findall(r"([A-Z][a-z]+(?: [A-Z][a-z]+)?)'s \((?:today USD )?([\d,]+\.\d\d)\)", moved))
    assert all(today[name] == figure for name, figure in moved.items()), moved
    quoted = re.findall(r"The README's sample: ([A-Z][a-z]+(?: [A-Z][a-z]+)?)'s? estimate (?:is unchanged \(USD "
                        r"([\d,]+\.\d\d)\)|rises from USD [\d,.]+ to USD ([\d,]+\.\d\d))", page)
    assert len(quoted) > 5
    for name, unchanged, risen in quoted:
        assert name in moved or today[name] == (unchanged or risen), f"{name} {unchanged or risen}: {today[name]} today"


def test_check_md_sample_dates_and_figures_are_what_nexus_finds(readme_check_run):
    """docs/check.md dates the sample's windows by hand: the days Tennessee's test was missed and met again, the day
    it falls below with no orders after 2026-10-30, and the sales that renew Illinois's and Pennsylvania's cycles."""
    from datetime import date

    from conftest import SAMPLES, sample_ledger
    from nexus.check import check
    from nexus.fx import load_rates
    from nexus.rules import load_rules
    page = " ".join((DOCS / "check.md").read_text(encoding="utf-8").split())
    tennessee = next(f for f in readme_check_run[0]["findings"] if f["jurisdiction"] == "US-TN")
    window = tennessee["nexus_windows"][-1]
    missed = [first if first == last else f"{first} to {last[-2:]}" for first, last in window["missed"]]
    assert (f"Tennessee's rolling twelve months met the test on {window['since']}, missed it on "
            f"{', '.join(missed[:-1])} and {missed[-1]}, and met it again each time") in page
    rules, rates = load_rules(), load_rates(str(SAMPLES / "eurofxref-hist.csv"))

    def findings(day):
        return {f.jurisdiction: f for f in check(sample_ledger(), rules, day, rates).findings}
    below = re.search(r"The sample's Tennessee, its orders ending on 2026-10-30, falls below on (\d{4})-(\d\d)-(\d\d)",
                      page)
    fell = date(*map(int, below.groups()))
    assert findings(date.fromordinal(fell.toordinal() - 1))["US-TN"].status == "exceeded"
    assert findings(fell)["US-TN"].status != "exceeded"
    renewed = findings(date(2027, 1, 1))
    assert (f"(the 12 months to 2026-12-31, USD {renewed['US-IL'].sales:,}, open 2027) and Pennsylvania to "
            f"2028-03-31 (calendar 2026, USD {renewed['US-PA'].sales:,}, decides") in page


def test_rules_md_japan_s_specified_period_is_the_readme_check_s(readme_check_run):
    """docs/rules.md follows Japan's specified period on the README's sample through two readings of the platform
    rule: where it ends is the README's Japan sales, and the marketplace sales left out, today."""
    page = " ".join((DOCS / "rules.md").read_text(encoding="utf-8").split())
    japan = next(f for f in readme_check_run[0]["findings"] if f["jurisdiction"] == "JP")
    sales, left_out = int(japan["sales"]), int(japan["excluded"]["marketplace"])
    moved = re.search(r"the specified period moves from JPY ([\d,]+) to ([\d,]+) \(JPY ([\d,]+) of digital and SaaS "
                      r"sold through a marketplace in the first quarter of 2025\), and the marketplace sales left out "
                      r"from JPY ([\d,]+) to ([\d,]+)\.", page)
    before, after, shifted, before_out, after_out = (int(n.replace(",", "")) for n in moved.groups())
    assert (after, after_out) == (sales, left_out)
    assert after - before == shifted == before_out - after_out
    assert f"and to {sales:,} since the days before 2025-04-01 are counted" in page


def test_workbook_md_names_every_sheet_of_the_sample_report_and_which_are_hidden(readme_check_run):
    """docs/workbook.md goes sheet by sheet: a sheet the report has that the page does not name (or names as
    printed while it is hidden, or the reverse) leaves an accountant without its description or looking for a
    tab that is not shown. Each sheet is named as a heading or in bold, or, for the chart's data, in words; the
    hidden ones are exactly those the page's *Appendices are hidden* lists."""
    import openpyxl
    page = (DOCS / "workbook.md").read_text(encoding="utf-8")
    book = openpyxl.load_workbook(readme_check_run[1], read_only=True)
    hidden = {sheet.title for sheet in book.worksheets if sheet.sheet_state == "hidden"}
    for name in book.sheetnames:
        assert re.search(rf"^## {re.escape(name)}\b|\*\*{re.escape(name)}\*\*|hidden {re.escape(name)} sheet", page,
                         re.M), f"docs/workbook.md does not describe the sheet {name}"
    listed = " ".join(page.split("**Appendices are hidden**", 1)[1].split("To see or", 1)[0].split())
    for name in book.sheetnames:
        assert (f" {name}," in listed or f" {name} and" in listed) == (name in hidden), (
            f"docs/workbook.md says the sheet {name} is {'not ' if name in hidden else ''}hidden")


def test_workbook_md_and_the_readme_quote_the_readme_report_s_cells(readme_check_run):
    """docs/workbook.md points an auditor at the Summary's formula (`='Exposure'!AA209`) and quotes its Watch
    ("approaching: 179 transactions"), as the README quotes Virginia's transactions: each is the README's report's."""
    import openpyxl
    page = " ".join((DOCS / "workbook.md").read_text(encoding="utf-8").split())
    summary = openpyxl.load_workbook(readme_check_run[1])["Summary"]
    cells = [cell.value for row in summary.iter_rows() for cell in row if isinstance(cell.value, str)]
    tax = next(cell for cell in cells if re.fullmatch(r"='Exposure'!AA\d+", cell))
    assert f"(`{tax}` in the README's first report)" in page
    watched = next(cell for cell in cells if re.fullmatch(r"approaching: \d+ transactions", cell))
    assert f'"{watched}"' in page
    virginia = next(f for f in readme_check_run[0]["findings"] if f["jurisdiction"] == "US-VA")
    assert watched == f"approaching: {virginia['transactions']} transactions"
    assert f"as for Virginia's {virginia['transactions']} transactions" in " ".join(README.split())


def _memo_text(tmp_path, *more):
    """The text of the README's memo (its first check with --html), with ``more`` options, as a reader sees it."""
    memo = tmp_path / "memo.html"
    s = "spreadsheets/"
    with at_repository():
        result = CliRunner().invoke(cli, ["check", "--sales", s + "orders-2025.csv", "--sales", s + "orders-2026.csv",
                                          "--rates", s + "eurofxref-hist.csv", "--as-of", "2026-10-31", "--presence",
                                          s + "presence.csv", "--registrations", s + "registrations.csv", *more,
                                          "--html", str(memo), "--db", str(tmp_path / "store.sqlite3")])
    assert result.exit_code == 0, result.output
    return _read_memo(memo)


def _read_memo(memo):
    from html import unescape
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", memo.read_text(encoding="utf-8"))).split())


def test_memo_md_quotes_the_readme_s_memo(readme_check_run, tmp_path, tmp_path_factory):
    """docs/memo.md quotes the README's memo (the month's tax from Tennessee's collection day, the count beside
    the places registered and collecting, the estimates' assumptions listed and left to the workbook, the home's
    line with --home JP, the words for each deadline): each quote is in the memo nexus writes today. (The README's
    memo is the run test_memo.py and test_memo_browser.py read, made once: shared_runs.py.)"""
    from shared_runs import readme_memo
    page = " ".join((DOCS / "memo.md").read_text(encoding="utf-8").split())
    memo = _read_memo(readme_memo(tmp_path_factory).file("memo.html"))
    quoted = [re.search(r'"(and from \S+ USD [\d,.]+ a month more \([A-Z-]+\))" on the sample', page).group(1),
              re.search(r'"(the first \d+, and \d+ more in the workbook\'s Assumptions sheet)" on the README', page)
              .group(1)]
    count, more = re.search(r'\("(\d+) jurisdictions \.\.\. (\(\d+ more registered and collecting\))"\)', page).groups()
    quoted += [f"in {count} jurisdictions", more]
    table = page.split("| Screen and workbook | Memo |", 1)[1].split("How long is said", 1)[0]
    quoted += [words.split("; on the timeline")[0] for words in re.findall(r"\| ([a-z][^|]+?) \|", table)
               if not re.search(r"due today|no deadline yet|2026-06-14", words)]
    quoted += re.findall(r"\*((?:Potential exposure before the first order|Tax was due from)[^*]+)\*", page)
    for quote in quoted:
        assert quote in memo, quote
    listed, left = map(int, re.search(r"the first (\d+), and (\d+) more", quoted[1]).groups())
    total = readme_check_run[0]["summary"]["exposure_total"]["tax"]["central"]
    assert f"All {listed + left} listed would print it past 20 pages" in page and f"hold for its whole USD {Decimal(total):,.2f}" in page
    home = re.search(r'\("(Japan \(JP\), nexus by establishment; [^"]+)"\)', page).group(1)
    assert home in _memo_text(tmp_path, "--home", "JP")


def _shown_commands():
    """(page, words) for each nexus command a page shows in a sh block, whole (no `...` standing for options)."""
    found = []
    for page in PAGES:
        for kind, body in FENCE.findall(page.read_text(encoding="utf-8")):
            if kind != "sh":
                continue
            for line in body.replace("\\\n", " ").splitlines():
                command = re.search(r"(?:^|&& )(nexus .*)", line)
                if not command or "..." in command.group(1) or "$(" in command.group(1):
                    continue
                words = shlex.split(re.split(r" [>|] ", command.group(1))[0])[1:]
                found.append(pytest.param(page.name, words, id=f"{page.name}:{' '.join(words[:2])}"))
    return found


@pytest.mark.parametrize("page, words", _shown_commands())
def test_every_command_a_page_shows_is_one_nexus_takes(page, words):
    """A new user copies the command a page shows: nexus takes it as written (its options, their values and the ones
    it requires), and each sample file it names is in spreadsheets/. Parsed, not run: what it prints is checked
    where the page shows the screen."""
    command, at = cli, 0
    while isinstance(command, click.Group):
        command, at = command.get_command(_TOP, words[at]), at + 1
        assert command is not None, f"{page}: nexus {' '.join(words[:at])} is no command"
    try:
        command.make_context(" ".join(["nexus", *words[:at]]), list(words[at:]))
    except click.UsageError as error:
        pytest.fail(f"{page}: nexus {' '.join(words)}: {error.format_message()}")
    for word in words:
        if word.startswith("spreadsheets/"):
            assert (ROOT / word).is_file(), f"{page}: {word} is no sample file"


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_python_name_a_page_gives_is_nexus_s(page):
    """"In Python: `nexus.review.review(...)`": a function renamed or moved leaves a reader with an ImportError.
    Each dotted name under `nexus.` a page gives is imported (file names such as `nexus.sqlite3` aside)."""
    import importlib
    for name in sorted(set(re.findall(r"\bnexus(?:\.[A-Za-z_]\w*)+", page.read_text(encoding="utf-8")))):
        if name in ("nexus.sqlite3", "nexus.json"):
            continue
        parts, found = name.split("."), 1
        while found < len(parts) and _is_module(".".join(parts[:found + 1])):
            found += 1
        value = importlib.import_module(".".join(parts[:found]))
        for at, part in enumerate(parts[found:], start=found + 1):
            assert hasattr(value, part), f"{page.name}: {'.'.join(parts[:at])} does not exist"
            value = getattr(value, part)


def _is_module(name):
    import importlib
    try:
        importlib.import_module(name)
    except ImportError:
        return False
    return True


@pytest.mark.parametrize("page", PAGES, ids=[p.name for p in PAGES])
def test_every_file_of_the_project_a_page_names_exists(page):
    """`tests/test_workbook_exposure.py removes the stored values ...`: a file renamed or removed leaves a reader
    looking for the proof a page points to. A path under one of the project's folders is checked where its folder
    is the project's (`tests/fixtures/activity_en.csv` is another project's file, quoted as its source)."""
    folders = r"(?:tests|nexus|data|docs|benchmarks|spreadsheets|\.ci)"
    for name in sorted(set(re.findall(rf"(?<![\w/.-])({folders}/[\w./-]*\w)", page.read_text(encoding="utf-8")))):
        path = ROOT / name
        if path.parent.is_dir():
            assert path.exists(), f"{page.name}: {name} is no file of the project"


def test_json_md_lists_the_csv_columns_and_the_rules_and_review_keys_in_order(readme_check_run):
    """The CSV's columns keep their places (json.md promises it), and the key lists json.md gives for `nexus rules`
    and `nexus currencies review` are what they print, in order: a column added in the code and not on the page, or
    listed out of order, misleads a program reading columns by position."""
    from nexus.report_csv import CSV_COLUMNS
    page = " ".join((DOCS / "json.md").read_text(encoding="utf-8").split())
    listed = page.split("with a header: `", 1)[1].split("`", 1)[0]
    assert [c.strip() for c in listed.split(",")] == list(CSV_COLUMNS)
    rules = _run_json("rules", "US-TX", "--format", "json")
    shown = page.split('"rules": [{', 1)[1].split("}]", 1)[0]
    assert [k.strip().strip('"') for k in shown.split(",")] == list(rules["rules"][0])
    review = readme_check_run[3]
    shown = page.split("## `nexus currencies review --format json` `{", 1)[1].split("}`", 1)[0]
    assert [k.strip().strip('"') for k in shown.split(",")] == list(review)


def _excerpt_differences(shown, printed, path="$"):
    """Where an excerpt a page shows differs from what nexus printed. Each key shown has the value shown; a list's
    items shown are the first ones printed, in order, and `"..."` stands for items left out (the next shown item is
    then found further on); a string with `...` is the printed one with parts left out; `"..."` (or `{...}`) stands
    for any value."""
    if shown == "...":
        return []
    if isinstance(shown, dict):
        if not isinstance(printed, dict):
            return [f"{path}: shown an object, printed {printed!r:.80}"]
        return [difference for key, value in shown.items() if key != "..."
                for difference in ([f"{path}.{key}: shown, not printed"] if key not in printed
                                   else _excerpt_differences(value, printed[key], f"{path}.{key}"))]
    if isinstance(shown, list):
        return _excerpt_list_differences(shown, printed, path)
    if isinstance(shown, str) and "..." in shown:
        pattern = ".*?".join(re.escape(part) for part in shown.split("..."))
        matches = isinstance(printed, str) and re.fullmatch(pattern + ".*", printed, re.S)
        return [] if matches else [f"{path}: shown {shown!r:.100}, printed {printed!r:.100}"]
    return [] if shown == printed else [f"{path}: shown {shown!r}, printed {printed!r}"]


def _excerpt_list_differences(shown, printed, path):
    if not isinstance(printed, list):
        return [f"{path}: shown a list, printed {printed!r:.80}"]
    found, at, skipping = [], 0, False
    for item in shown:
        if item == "...":
            skipping = True
            continue
        while skipping and at < len(printed) and _excerpt_differences(item, printed[at]):
            at += 1
        if at >= len(printed):
            return found + [f"{path}: shown {item!r:.80}, not printed there"]
        found += _excerpt_differences(item, printed[at], f"{path}[{at}]")
        at, skipping = at + 1, False
    return found


def _json_md_excerpts():
    """docs/json.md's JSON blocks: the check, a finding's exposure, the products check and the provider comparison."""
    blocks = [body for kind, body in FENCE.findall((DOCS / "json.md").read_text(encoding="utf-8")) if kind == "json"]
    return [json.loads(body if body.lstrip().startswith("{") else "{" + body + "}")
            for body in (block.replace("{...}", '"..."') for block in blocks)]


def test_json_md_excerpts_are_what_nexus_prints(readme_check_run, provider_json, tmp_path, monkeypatch):
    """docs/json.md's excerpts show a program what to expect, figures and order included: each is what nexus prints
    today. The README's first check (one finding shown, Florida's); docs/exposure.md's worked example's exposure (its
    reporting `low` read 6112.00 after the low end left the crossing day out, 112.00); the products check of
    tests/test_products.py's files, named as the excerpt names them; the README's provider comparison. Before, the
    estimates' assumptions were shown without the first one printed ('Returns assumed monthly ...')."""
    from test_products import ERPNEXT, PRODUCTS, SHOPIFY
    check, exposure, products, provider = _json_md_excerpts()
    printed = readme_check_run[0]
    shown = check.pop("findings")
    assert not _excerpt_differences(check, printed)
    for finding in shown:
        match = next(f for f in printed["findings"] if f["jurisdiction"] == finding["jurisdiction"])
        assert not _excerpt_differences(finding, match, finding["jurisdiction"])
    example = re.search(r"```csv\n(order_id,.*?)```", (DOCS / "exposure.md").read_text(encoding="utf-8"), re.S)
    (tmp_path / "orders.csv").write_text(example.group(1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    worked = CliRunner().invoke(cli, ["check", "--sales", "orders.csv", "--as-of", "2025-07-31", "--format", "json"])
    georgia = next(f for f in json.loads(worked.stdout)["findings"] if f["jurisdiction"] == "US-GA")
    assert not _excerpt_differences(exposure["exposure"], georgia["exposure"], "exposure")
    for name, text in (("shopify.csv", SHOPIFY), ("products.csv", PRODUCTS), ("erpnext.csv", ERPNEXT)):
        (tmp_path / name).write_text(textwrap.dedent(text), encoding="utf-8")
    listed = CliRunner().invoke(cli, ["products", "check", "--sales", "shopify.csv", "--products", "products.csv",
                                      "--erp-items", "erpnext.csv", "--as-of", "2026-06-30", "--format", "json"])
    assert not _excerpt_differences(products, json.loads(listed.stdout))
    assert not _excerpt_differences(provider, provider_json)


def test_every_data_table_is_described_in_a_page():
    """Every rule is data with its source: a table in data/ that no page names is one a reviewer cannot find the
    fields, coverage or sources of."""
    pages = " ".join(page.read_text(encoding="utf-8") for page in PAGES)
    for table in sorted((ROOT / "data").glob("*.*")):
        assert table.name in pages, f"data/{table.name} is described in no page"


def test_the_readme_s_command_table_has_every_command():
    """The README's Commands table is where a new user finds what nexus does: each command has its row."""
    table = README.split("## Commands", 1)[1].split("\n\n", 2)[1]
    reference = runpy.run_path(str(DOCS / "make_cli_reference.py"))
    for path in reference["commands"](cli):
        command = cli
        for name in path:
            command = command.get_command(_TOP, name)
        if path and not isinstance(command, click.Group):
            assert re.search(rf"^\| `nexus {' '.join(path)}[ `]", table, re.M), f"no row for nexus {' '.join(path)}"


def test_the_readme_s_command_table_names_every_option_each_command_requires():
    """A new user types the usage the README's Commands table gives: `nexus accounts plan --coa FILE --currencies
    FILE|URL` stopped with "Missing option '--workbook'". Every option a command requires is in its row."""
    table = README.split("## Commands", 1)[1].split("\n\n", 2)[1]
    for usage in re.findall(r"^\| `nexus ([^`]+)`", table, re.M):
        for shown in usage.split("` / `nexus "):
            command, words = cli, shown.split()
            while isinstance(command, click.Group):
                command, words = command.get_command(_TOP, words[0]), words[1:]
            required = [p.opts[-1] for p in command.params if isinstance(p, click.Option) and p.required]
            assert all(option in words for option in required), f"nexus {shown}: requires {', '.join(required)}"


def test_every_page_and_heading_nexus_points_to_exists():
    """Screens, workbooks and data rows send the reader to a page ("Estimates to review, not returns
    (docs/exposure.md)", a checklist item's `see`): each page, and each heading named after `#`, exists."""
    for source in sorted([*(ROOT / "nexus").rglob("*.py"), *(ROOT / "nexus").rglob("*.html"),
                          *(ROOT / "data").glob("*.json")]):
        for page, anchor in re.findall(r"docs/([a-z-]+\.md)(?:#([a-z0-9-]+))?", source.read_text(encoding="utf-8")):
            where = source.relative_to(ROOT)
            assert (DOCS / page).is_file(), f"{where} points to docs/{page}, which does not exist"
            assert not anchor or anchor in _anchors(DOCS / page), f"{where}: docs/{page} has no heading #{anchor}"


def test_the_readme_names_the_commands_without_the_local_store():
    """'--db FILE on any command that uses it (all but ...)': the README names exactly the commands that take no
    --db, so a user does not pass --db where nexus refuses it, nor miss one that keeps checks or reviews."""
    named = README.split("on any command that uses it (all but ", 1)[1].split(", which", 1)[0]
    without = set(re.findall(r"`nexus ([a-z ]+)`", named))
    reference = runpy.run_path(str(DOCS / "make_cli_reference.py"))
    leaves = []
    for path in reference["commands"](cli):
        command = cli
        for name in path:
            command = command.get_command(_TOP, name)
        if path and not isinstance(command, click.Group):
            leaves.append((" ".join(path), {o for p in command.params for o in getattr(p, "opts", ())}))
    assert without == {name for name, opts in leaves if "--db" not in opts}


def _sh_block_after(page, words):
    """The first sh block of a page that follows the line starting with ``words``."""
    text = (DOCS / page).read_text(encoding="utf-8")
    after = text.split(f"\n{words}", 1)[1]
    return next(body for kind, body in FENCE.findall(after) if kind == "sh")


def test_scale_md_duckdb_example_and_its_aggregates_check_run_as_written_on_the_sample(tmp_path, monkeypatch):
    """docs/scale.md's DuckDB example, run from the project's folder on an empty local store, writes the aggregates
    its `nexus check --aggregates` reads, and that check, as written, finds what `--sales` finds on the same two
    sample files (only the row count differs: the sample's overlapping December is counted once by the query).
    Before: the view read the sample's own headers (`Order ID`, ...) and DuckDB stopped ("Column order_id referenced
    ... cannot be referenced before it is defined"), and the check stopped for want of exchange rates. Where the
    duckdb program is not installed (pip installs only its module), a stand-in runs the same script on the module.
    The page's two commands run as a shell runs them; the two JSON readings compared after them run in this process
    (the same command line, with --format json and without its workbook), which spares two starts of Python."""
    import os
    import shutil
    import subprocess
    import sys
    (tmp_path / "spreadsheets").symlink_to(ROOT / "spreadsheets")
    programs = tmp_path / "bin"
    programs.mkdir()
    if shutil.which("duckdb") is None:
        (programs / "duckdb").write_text(
            f"#!{sys.executable}\nimport sys, duckdb\n"
            "duckdb.connect().execute(sys.argv[sys.argv.index('-c') + 1] if '-c' in sys.argv else sys.stdin.read())\n")
        (programs / "duckdb").chmod(0o755)
    env = {**os.environ, "PATH": os.pathsep.join([str(programs), str(Path(sys.executable).parent),
                                                  os.environ.get("PATH", "")])}
    example = _sh_block_after("scale.md", "DuckDB, on the sample orders")
    check = _sh_block_after("scale.md", "Export the result as CSV or Parquet and check it")
    assert check.startswith("nexus check --aggregates nexus-aggregates.parquet ")

    def run(script):
        done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, f"{script}\n{done.stderr}"
        return done.stdout

    run(example)
    assert "Act now: potential exposure" in run(check)
    check = check.strip()

    def run_json(command):
        """The command's JSON, its --workbook left out: the page's command ran above as written, workbook and all,
        and the JSON is the same byte for byte without it (two workbooks less to write, 1.1 of the test's 6 s)."""
        words = shlex.split(command)[1:]
        if "--workbook" in words:
            del words[words.index("--workbook"):words.index("--workbook") + 2]
        result = CliRunner().invoke(cli, words + ["--format", "json"], catch_exceptions=False)
        assert result.exit_code == 0, f"{command}\n{result.stderr}"
        return json.loads(result.stdout)
    monkeypatch.chdir(tmp_path)
    aggregated = run_json(check)
    sales = run_json(check.replace("--aggregates nexus-aggregates.parquet",
                                   "--sales spreadsheets/orders-2025.csv --sales spreadsheets/orders-2026.csv"))

    def findings(document):
        return {f["jurisdiction"]: f for f in document["findings"]}
    aggregated, sales = findings(aggregated), findings(sales)
    assert aggregated.keys() == sales.keys()
    for code, f in sales.items():
        a = aggregated[code]
        assert [a[k] for k in ("status", "nexus", "nexus_since", "collect_from", "register_by", "sales")] == [
            f[k] for k in ("status", "nexus", "nexus_since", "collect_from", "register_by", "sales")], code
        # Aggregates carry no order ids: a refund of a sale made before tax was due is netted on its day, as
        # refunds_netted says, where the orders link it to its sale and leave it out (docs/scale.md says so).
        if f["exposure"] is not None:
            low = Decimal(a["exposure"]["uncollected"]["central"])
            high = Decimal(f["exposure"]["uncollected"]["central"])
            assert low <= high and (low == high or Decimal(a["exposure"]["refunds_netted"]) > 0), code
    # and by as much as the page says: New Jersey's apart, the other states' from the least to the most
    higher = {code: Decimal(f["exposure"]["uncollected"]["central"])
              - Decimal(aggregated[code]["exposure"]["uncollected"]["central"])
              for code, f in sales.items() if f["exposure"] is not None}
    others = sorted(more for code, more in higher.items() if more and code != "US-NJ")
    count = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")[len(others) - 1]
    page = " ".join((DOCS / "scale.md").read_text(encoding="utf-8").split())
    assert (f"New Jersey's estimate is USD {higher['US-NJ']:,} higher from the orders, and {count} other states' "
            f"USD {others[0]:,} to {others[-1]:,} higher.") in page
