"""Physical presence: placing items, verdicts from cited rules, CDN comparison, and the merge into check."""
import json
import re
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import SAMPLES
from data_sources import unmarked
from nexus import datafiles
from nexus import presence
from nexus.check import check
from nexus.cli import cli
from nexus.errors import InputError, Location, UnknownCode
from nexus.rules import load_rules
from nexus.ledger import Ledger

ON = date(2026, 11, 27)


def item(kind, location, ownership="third-party", dedicated=False, function="core", since=None, until=None):
    return presence.Item(kind, location, ownership, dedicated, function, since, until, "", Location("p.csv", 2))


@pytest.mark.parametrize("location, place", [
    ("aws:us-east-1", "US-VA"), ("aws:eu-west-1", "IE"), ("aws:ca-central-1", "CA-QC"),
    ("gcp:us-central1", "US-IA"), ("gcp:europe-west3", "DE"), ("gcp:northamerica-northeast2", "CA-ON"),
    ("azure:eastus", "US-VA"), ("azure:westus2", "US-WA"), ("azure:japaneast", "JP"),
    ("oracle:us-ashburn-1", "US-VA"), ("oracle:uk-london-1", "GB"),
    ("cloudflare:NRT", "JP"), ("cloudflare:SEA", "US-WA"), ("fastly:IAD", "US-VA"), ("cloudfront:IAD89", "US-VA"),
    ("cloudfront:IAD89-C1", "US-VA"), ("cloudfront:FRA56-P5", "DE"), ("cloudfront:nrt57-p3", "JP"),
    ("Montréal, Québec", "CA-QC"), ("Abidjan, Cote d'Ivoire", "CI"), ("Istanbul, Turkiye", "TR"),
    ("Willemstad, Curacao", "CW"), ("Québec", "CA-QC"),
    ("Tokyo, JP", "JP"), ("US-TX", "US-TX"), ("Dallas, US-TX", "US-TX"), ("CA-QC", "CA-QC"), ("DE", "DE"),
])
def test_each_provider_and_location_form_is_placed(location, place):
    assert presence.place_of(location, Location("p.csv", 2))[0] == place


@pytest.mark.parametrize("location, problem", [
    ("aws:us-west-9", "is not a known aws region or point of presence; close matches: aws:us-west-2, aws:us-west-1"),
    # written as the table writes them (and the file must): 'cloudflare:yyz' was offered for Toronto
    ("cloudflare:YYX", r"is not a known cloudflare region or point of presence; close matches: cloudflare:YYZ"),
    ("hetzner:fsn1", r"is not a provider nexus knows \(aws, gcp, azure, oracle, cloudflare, fastly, cloudfront\)$"),
    ("akamai:NRT", "Akamai publishes no list of its locations: give this item a country or US-XX location"),
    ("Seattle, US", "a US location needs its state"),
    # a code was written, but no state has it: 'needs its state' read as if none had been given
    ("US-QQ", r"^p.csv:2: is not a US state's code \(ISO 3166-2, e.g. US-TX\)$"),
    ("Dallas, US-TZ", r"^p.csv:2: is not a US state's code \(ISO 3166-2, e.g. US-TX\); close matches: .*US-TX"),
    ("Atlantis, ZZ", "is not a country"),
    ("London, UK", r"is not a country \(ISO 3166-1\): write 'London, GB' \(UK is reserved by ISO 3166 for the United "
                   r"Kingdom, whose code is GB\)$"),
    ("EL", r"is not a country \(ISO 3166-1\): write 'GR' \(EL is the European Union's code for Greece"),
])
def test_unknown_locations_are_clear_errors_with_close_matches(location, problem):
    with pytest.raises((UnknownCode, InputError), match=problem):
        presence.place_of(location, Location("p.csv", 2))


@pytest.mark.parametrize("the_item, verdict, cited", [
    (item("third-party-inventory", "US-NJ"), "creates", "warehouse"),
    (item("employee", "US-TX", ownership=""), "creates", "Quill"),
    (item("cloud-region", "aws:us-east-1"), "review", ""),
    # Tax Law 12(c) covers the seller's advertising stored on another's server: a CDN's cached pages, not an order
    # database in a cloud region or a store of data files, which the row cannot show to be advertising only
    (item("cdn", "US-NY"), "safe-harbor", "12(c)"),
    (item("cloud-region", "US-NY"), "review", "12(c)"),
    (item("data-files", "US-NY", function="storage"), "review", "12(c)"),
    (item("cloud-region", "US-TX"), "safe-harbor", "151.108"),
    (item("data-files", "US-WA"), "safe-harbor", "82.32.532"),
    (item("cloud-region", "gcp:europe-west3"), "safe-harbor", "282/2011"),
    (item("warehouse", "Venlo, NL"), "creates", "2006/112"),
    (item("owned-server", "DE", ownership="owned", dedicated=True), "creates", "282/2011"),
    (item("office", "Tokyo, JP"), "creates", "Art. 5"),
    (item("cdn", "cloudflare:LHR"), "safe-harbor", "INTM"),
    (item("event", "US-WA", ownership=""), "review", "82.32.531"),
])
def test_each_verdict_cites_its_rule(the_item, verdict, cited):
    found = presence.judge(the_item, ON)
    assert found.verdict == verdict, found.reasons
    assert cited in found.reasons[0]
    if verdict != "review":
        assert found.sources
    prefix = {"creates": "Potential exposure: ", "review": "Review: ", "safe-harbor": "Safe harbor: "}[verdict]
    assert found.reasons[0].startswith(prefix)


def test_review_is_the_default_never_no_nexus():
    found = presence.judge(item("agent", "Reykjavik, IS"), ON)
    assert found.verdict == "review"


def test_rules_follow_their_dates():
    ohio_cdn = item("cdn", "US-OH")
    assert presence.judge(ohio_cdn, date(2019, 7, 31)).verdict == "review"   # limits not checkable
    assert "H.B. 49" in presence.judge(ohio_cdn, date(2019, 7, 31)).reasons[0]
    assert "H.B. 166" in presence.judge(ohio_cdn, date(2019, 8, 1)).reasons[0]


def test_items_outside_their_dates_are_not_counted():
    old = item("owned-server", "Ashburn, US-VA", ownership="owned", until=date(2024, 6, 30))
    assert presence.judge(old, ON).verdict is None
    assert presence.judge(old, date(2024, 6, 30)).verdict == "creates"
    future = item("office", "Paris, FR", since=date(2027, 1, 1))
    assert presence.judge(future, ON).verdict is None


def test_an_item_gone_before_the_days_judged_says_what_it_was_while_there():
    # An owned server in Virginia from 2021-05-01 to 2024-06-30, judged over 2025 and 2026: not counted there, but
    # while it stood it was physical presence (the US-* owned-server rule): a past window, said with its rule.
    old = item("owned-server", "Ashburn, US-VA", ownership="owned", since=date(2021, 5, 1), until=date(2024, 6, 30))
    judged = presence.judge(old, ON, (date(2025, 1, 1), ON, "the periods measured"))
    assert judged.verdict is None and judged.earlier == "creates" and judged.shown == "past: creates"
    assert judged.reasons[0] == ("Not counted in the periods measured, but a past window of nexus (2021-05-01 to "
                                 "2024-06-30): the tax on sales then may still be owed.")
    assert judged.reasons[1].startswith("Before them, from 2021-05-01 to 2024-06-30: Potential exposure: Owning")
    assert "Quill" in judged.reasons[1] and judged.sources
    assert judged.as_dict()["earlier"] == "creates" and judged.as_dict()["active"] is False
    # Undated (the file does not say since when), or still to come: nothing is said of days before.
    undated = item("owned-server", "Ashburn, US-VA", ownership="owned", until=date(2024, 6, 30))
    assert presence.judge(undated, ON, (date(2025, 1, 1), ON, "x")).earlier is None
    future = item("office", "Paris, FR", since=date(2027, 1, 1))
    assert presence.judge(future, ON).earlier is None and presence.judge(future, ON).shown == "not in force"


def test_strongest_verdict():
    assert presence.strongest(["safe-harbor", "review", None]) == "review"
    assert presence.strongest(["safe-harbor", "creates"]) == "creates"
    assert presence.strongest([None]) is None


def test_reading_the_sample_presence_file():
    items = presence.read_presence(str(SAMPLES / "presence.csv"))
    assert len(items) == 13 and items[0].kind == "office" and items[0].dedicated is True
    assert items[7].until == date(2025, 12, 31)


@pytest.mark.parametrize("text, problem", [
    ("kind,location\nserver,US-TX\n", "line 2 column 'kind'|:2: column 'kind' value 'server': is not a kind"),
    ("kind,location,ownership\ncdn,US-TX,rented\n", "is not one of owned, leased, third-party"),
    ("kind,location,dedicated\ncdn,US-TX,maybe\n", "is not yes or no"),
    ("kind,location,since\ncdn,US-TX,last year\n", "is not a date"),
    ("kind,place\ncdn,US-TX\n", "missing column\\(s\\) location"),
    ("", "is empty"),
])
def test_bad_presence_files(write, text, problem):
    with pytest.raises(InputError, match=problem):
        presence.read_presence(write("p.csv", text))


def test_presence_rules_are_all_sourced_and_dated():
    rules = presence.presence_rules()
    assert rules and all(r.sources and r.effective_from and r.last_verified for r in rules)
    assert {r.verdict for r in rules} == {"creates", "review", "safe-harbor"}


def test_a_presence_verdict_resting_on_a_secondary_source_says_it_is_not_verified():
    """A verdict is printed beside its sources: its first source is the statute, the regulation, the revenue
    department or the treaty body's own text, or the rule says 'secondary'; every host cited is classified."""
    rows = datafiles.document("presence-rules.json")["rules"]
    assert {r["confidence"] for r in rows} <= {"official", "secondary", "conflict", "unknown"}
    assert unmarked(rows, "presence-rules") == []


@pytest.mark.parametrize("sources, expected", [
    (["https://www.salestaxinstitute.com/resources/iowa-enacts-remote-seller-nexus-provisions"], "secondary source"),
    (["https://www.bna.com/state-tax-snapshot-b17179872849/", "https://dor.wa.gov/"], "secondary source"),
    (["https://example.com/nexus"], "in no list"),
])
def test_the_source_check_catches_an_unmarked_presence_rule(sources, expected):
    row = dict(datafiles.document("presence-rules.json")["rules"][0], sources=sources, confidence="official")
    assert any(expected in problem for problem in unmarked([row], "presence-rules"))


def presence_rule(jurisdiction, kind, since, condition=None):
    wanted = (jurisdiction, kind, since, condition)
    found = [r for r in datafiles.document("presence-rules.json")["rules"]
             if (r["jurisdiction"], r["kind"], r["effective_from"], r.get("condition")) == wanted]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("jurisdiction, kind, since, condition, source, confidence", [
    ("*", "office", "1963-07-30", None, "gov.uk/hmrc-internal-manuals/international-manual/intm266050", "official"),
    ("*", "warehouse", "2017-11-21", {"function": ["core"]}, "international-manual/intm264350", "official"),
    ("*", "warehouse", "2017-11-21", None, "international-manual/intm264350", "official"),
    ("*", "third-party-inventory", "2017-11-21", None, "international-manual/intm264420", "secondary"),
    ("*", "employee", "2017-11-21", None, "international-manual/intm264420", "secondary"),
    ("*", "agent", "2017-11-21", None, "hmrc.gov.uk/manuals/intmanual/intm266140", "secondary"),
    ("*", "event", "2017-11-21", None, "international-manual/intm266070", "official"),
    ("US-*", "owned-server", "1992-05-26", None, "dor.wa.gov/education", "official"),
    ("US-*", "leased-server", "1992-05-26", None, "dor.wa.gov/education", "secondary"),
    ("US-*", "colocation", "1992-05-26", None, "dor.wa.gov/education", "official"),
    ("US-*", "cdn", "1992-05-26", None, "mass.gov/regulations/830-CMR-64h17", "official"),
    ("US-*", "data-files", "1992-05-26", None, "mass.gov/regulations/830-CMR-64h17", "official"),
    ("US-*", "third-party-inventory", "1992-05-26", None, "dor.wa.gov/education", "secondary"),
    ("US-*", "office", "1992-05-26", None, "boe.ca.gov/sutax/6203", "official"),
    ("US-*", "employee", "1992-05-26", None, "dor.wa.gov/education", "official"),
    ("US-*", "contractor", "1960-03-21", None, "boe.ca.gov/sutax/6203", "official"),
    ("US-*", "agent", "1960-03-21", None, "boe.ca.gov/sutax/6203", "official"),
    ("US-OH", "cdn", "2019-08-01", None, "tax.ohio.gov/sales_and_use/faqs", "secondary"),
    ("US-OH", "data-files", "2019-08-01", None, "tax.ohio.gov/sales_and_use/faqs", "secondary"),
    ("US-IA", "cdn", "2019-01-01", None, "tax.iowa.gov/remote-sellers", "secondary"),
    ("US-IA", "data-files", "2019-01-01", None, "tax.iowa.gov/remote-sellers", "secondary"),
    ("EU", "contractor", "2014-10-16", None, "legislation.gov.uk/eur/2011/282/article/11", "secondary"),
    ("EU", "agent", "2014-10-16", None, "legislation.gov.uk/eur/2011/282/article/11", "secondary"),
    ("US-TN", "warehouse", "2011-10-03", None, "revenue.support.tn.gov/hc/en-us/articles/360058138852", "official"),
    ("*", "contractor", "2017-11-21", None, "international-manual/intm266140", "secondary"),
    ("EU", "warehouse", "1993-01-01", None, "gov.uk/hmrc-internal-manuals/vat-single-market/vatsm4100", "official"),
    ("EU", "third-party-inventory", "1993-01-01", None, "vat-single-market/vatsm4100", "secondary"),
    ("DE", "warehouse", "1993-01-01", None, "paragraphen.online/gesetze/bund/ustg-1980/1a", "official"),
    ("DE", "third-party-inventory", "1993-01-01", None, "paragraphen.online/gesetze/bund/ustg-1980/1a", "official"),
])
def test_rules_read_against_the_primary_text_on_2026_12_06(jurisdiction, kind, since, condition, source, confidence):
    """The text the rule's citation names (or the department's or HMRC's page on it), read, comes first; the rule
    says 'official' only where that text says what the rule says, and its notes say what was read."""
    rule = presence_rule(jurisdiction, kind, since, condition)
    assert source in rule["sources"][0] and len(rule["sources"]) > 1
    assert (rule["confidence"], rule["last_verified"]) == (confidence, "2026-12-06") and "read" in rule["notes"].lower()


def test_stock_in_a_member_states_warehouse_cites_the_directives_identification_duty(write):
    """The VAT Directive's Art. 214(1), read on 2026-12-06 in legislation.gov.uk's copy of the adopted text, makes
    member states identify every taxable person who supplies goods in their territory with VAT deductible (a) or
    makes intra-Community acquisitions there (b): the registration duty the EU warehouse rule states, so the rule is
    'official' and a warehouse in Lyon (France has no rule of its own) shows that text among its sources."""
    path = write("p.csv", "kind,location,since\nwarehouse,\"Lyon, FR\",2024-01-01\n")
    data = json.loads(CliRunner().invoke(cli, ["presence", path, "--format", "json", "--as-of", "2026-10-31"],
                                         catch_exceptions=False).stdout)
    assert [(d["jurisdiction"], d["verdict"]) for d in data] == [("FR", "creates")]
    assert "https://legislation.gov.uk/eudr/2006/112/article/214/adopted/data.html" in data[0]["sources"]
    assert presence.rule_for(item("warehouse", "FR"), "FR", ON).confidence == "official"


def test_stock_in_a_german_fulfilment_centre_says_what_the_act_says_of_call_off_stock(write):
    """Stock in Leipzig held by a fulfilment provider, in place since 2024: UStG § 1a Abs. 2 makes the move into
    Germany an intra-Community acquisition, the Baden-Württemberg tax administration's page says an acquirer needs a
    VAT number and registration, and the only exception (call-off stock, § 6b; the Directive's Art. 17a(2)(a)) needs
    a known business customer. So: creates, 'official', and the reason no longer rests on a vendor's 'Germany has no
    simplification for this'."""
    path = write("p.csv", "kind,location,since\nthird-party-inventory,\"Leipzig, DE\",2024-01-01\n")
    data = json.loads(CliRunner().invoke(cli, ["presence", path, "--format", "json", "--as-of", "2026-10-31"],
                                         catch_exceptions=False).stdout)
    assert [(d["jurisdiction"], d["verdict"]) for d in data] == [("DE", "creates")]
    assert data[0]["sources"][:2] == ["https://paragraphen.online/gesetze/bund/ustg-1980/1a",
                                      "https://finanzamt-bw.fv-bwl.de/,Len/5264638"]
    assert "call-off stock exception (§ 6b)" in data[0]["reasons"][0]
    assert "no simplification" not in data[0]["reasons"][0]
    assert presence.rule_for(item("third-party-inventory", "DE"), "DE", ON).confidence == "official"


def test_a_presence_rule_left_secondary_says_what_could_not_be_read():
    """A rule that stays 'secondary' says why in its notes: what was read, and the primary text it needs and could
    not read, or the part resting on secondary sources only (on 2026-12-06: the OECD's 2017 Art. 5 wording, Ohio's
    and Iowa's Acts, the VAT Directive's Union-scheme articles, Japan's 2018 reform, an Indian judgment's reasoning,
    the US-wide summaries nexus makes from several states)."""
    rows = [r for r in datafiles.document("presence-rules.json")["rules"] if r["confidence"] != "official"]
    assert rows
    silent = [(r["jurisdiction"], r["kind"], r["effective_from"]) for r in rows
              if not re.search(r"\bstays? 'secondary'", r.get("notes", "")) or "read" not in r["notes"]]
    assert silent == []


def test_a_warehouse_in_tennessee_cites_the_department_of_revenue_first(write):
    """SUT-5, the Tennessee Department of Revenue's list of activities that give an out-of-state dealer nexus,
    names 'maintaining a store, office, warehouse, showroom, or other place of business in Tennessee': read on
    2026-12-06, it comes first, before the summaries of Attorney General's Opinion 11-71 (which the JSON showed
    first until then, a newsletter of a sales-tax institute)."""
    path = write("p.csv", "kind,location,since\nwarehouse,\"Memphis, US-TN\",2024-01-01\n")
    data = json.loads(CliRunner().invoke(cli, ["presence", path, "--format", "json", "--as-of", "2026-10-31"],
                                         catch_exceptions=False).stdout)
    assert [(d["jurisdiction"], d["verdict"]) for d in data] == [("US-TN", "creates")]
    assert data[0]["sources"][0] == ("https://revenue.support.tn.gov/hc/en-us/articles/"
                                     "360058138852-SUT-5-Activities-that-Give-Out-of-State-Dealers-Nexus-in-Tennessee")
    assert presence.rule_for(item("warehouse", "US-TN"), "US-TN", ON).confidence == "official"


@pytest.mark.parametrize("kind", ["cdn", "data-files"])
def test_massachusetts_cookie_and_cdn_regulation_ends_on_30_september_2019(kind):
    """830 CMR 64H.1.7 (apps, cookies and CDN contracts as physical presence for large internet vendors) took effect
    on 1 October 2017; the Department's page marks it repealed: it 'no longer apply as of October 1, 2019'. Since
    then a cache or data files in Massachusetts fall under the general US rule, still review."""
    cache = item(kind, "US-MA")
    during = presence.rule_for(cache, "US-MA", date(2018, 6, 1))
    assert (during.jurisdiction, during.verdict, during.effective_to) == ("US-MA", "review", date(2019, 9, 30))
    assert during.sources[0].startswith("https://www.mass.gov/regulations/830-CMR-64h17")
    assert during.confidence == "official"
    assert presence.rule_for(cache, "US-MA", date(2019, 9, 30)).jurisdiction == "US-MA"
    after = presence.rule_for(cache, "US-MA", date(2019, 10, 1))
    assert (after.jurisdiction, after.verdict) == ("US-*", "review")
    assert presence.rule_for(cache, "US-MA", ON).jurisdiction == "US-*"


def test_the_table_says_a_past_window_of_nexus_may_still_owe_tax_not_only_not_counted():
    """Before: the sample's server owned in Virginia to 2024-06-30 read 'past: creates' and, as its one reason,
    'Not counted: not in place on 2026-10-31': read in a hurry, done with. That tax on the sales of that window may
    still be owed was said only with --verbose."""
    screen = " ".join(CliRunner().invoke(cli, ["presence", str(SAMPLES / "presence.csv"), "--as-of", "2026-10-31"],
                                         catch_exceptions=False).output.split())
    assert ("US-VA owned-server Ashburn, US-VA past: creates Not counted on 2026-10-31, but a past window of nexus "
            "(2021-05-01 to 2024-06-30): the tax on sales then may still be owed.") in screen
    assert "past: safe-harbor Not counted: not in place on 2026-10-31 (in place 2022-01-01 to 2025-12-31)." in screen


def test_a_head_office_is_said_to_be_the_home_a_check_reads_with_home():
    """Before: 'nexus presence' on the sample listed Sakura Goods' head office in Tokyo as 'creates / Potential
    exposure' with nothing more, where 'nexus check' warns that an office may be the home (--home JP). presence
    has no --home: it now says the same, and which command reads it so; stdout (and the JSON) is unchanged."""
    result = CliRunner().invoke(cli, ["presence", str(SAMPLES / "presence.csv"), "--as-of", "2026-10-31"],
                                catch_exceptions=False)
    assert " ".join(result.stderr.split()) == (
        f"Warning: {SAMPLES / 'presence.csv'}:2: an office in Japan: if the company is established there, that is its "
        f"home, not an exposure abroad: 'nexus check --home JP' reads it so")
    # wrapped at spaces to the width of the screen, as every other command's warnings: it ran on as one line of 170
    # columns, which an 80-column terminal cut mid-word
    assert max(len(line) for line in result.stderr.splitlines()) <= 100 and "\n  " in result.stderr
    assert result.stdout.startswith(f"Presence as of 2026-10-31: {SAMPLES / 'presence.csv'}\n13 items: 5 creates")


def test_fastly_gainesville_is_placed_in_florida_by_nexus_presence(tmp_path):
    """Before: Fastly's GNV (Gainesville) had no state in data/cdn-pops.csv, so a cache there was placed in 'US'
    and its presence finding could be put in no state. Fastly's own edge check of every POP names it gnv-fl-us."""
    path = tmp_path / "presence.csv"
    path.write_text("kind,location,ownership,dedicated,function,since,until,note\n"
                    "cdn,fastly:GNV,third-party,no,cache,2026-01-01,,\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["presence", str(path), "--as-of", "2026-11-27", "--format", "json"],
                                catch_exceptions=False)
    found = json.loads(result.output)[0]
    assert (found["jurisdiction"], found["city"], found["verdict"]) == ("US-FL", "Gainesville", "review")


def _site_rows(table):
    """The rows of a region or point-of-presence table, and its ``#`` header lines joined."""
    text = datafiles.text(table)
    header = " ".join(line for line in text.splitlines() if line.startswith("#"))
    return datafiles.rows(table), header


FASTLY_OWN = re.compile(r"^https://github\.com/fastly/go-fastly/blob/[0-9a-f]{40}/fastly/fixtures/"
                        r"(datacenters/list|content/check)\.yaml$")


def test_every_fastly_row_is_verified_from_fastlys_own_lists_or_the_header_says_why_not():
    """Before: 30 Fastly rows (Detroit, Portland, Phoenix, Honolulu, Dubai...) rested on a third-party list, unverified,
    though Fastly's own edge check of every POP (2025) names 23 of them in the same state or country. Each Fastly row
    now cites one of Fastly's own lists at a commit with the day it was verified, or is named in the header as in
    neither list."""
    rows, header = _site_rows("cdn-pops.csv")
    fastly = [row for row in rows if row["provider"] == "fastly"]
    unverified = {row["code"] for row in fastly if not row["verified"]}
    assert unverified == {"ATL", "CGH", "LEE", "LGW", "LIN", "ORY", "PMO"}
    assert "ATL, CGH, LGW, LIN, ORY, PMO and LEE are in neither of Fastly's lists" in header
    for row in fastly:
        if row["verified"]:
            assert FASTLY_OWN.match(row["source"]) and date.fromisoformat(row["verified"]), row["code"]
    assert presence.place_of("fastly:DTW", Location("p.csv", 2)) == ("US-MI", "Detroit")


def test_fastlys_pops_the_public_lists_lacked_are_placed_from_its_edge_check():
    """Fastly's edge check names eight POPs no list in the file had: a presence file giving fastly:BFI stopped at
    'unknown code'. They are placed as the edge check labels them; NYC, labelled New York but served by caches named
    after Teterboro (New Jersey), is placed in the US with its state unknown, as LEE is."""
    placed = {code: presence.place_of(f"fastly:{code}", Location("p.csv", 2))
              for code in ("BFI", "HHR", "WVI", "PAR", "RTM", "TOJ", "WSI", "NYC")}
    assert placed == {"BFI": ("US-WA", "Seattle"), "HHR": ("US-CA", "Hawthorne"), "WVI": ("US-CA", "Watsonville"),
                      "PAR": ("FR", "Paris"), "RTM": ("NL", "Rotterdam"), "TOJ": ("ES", "Madrid"),
                      "WSI": ("AU", "Sydney"), "NYC": ("US", "New York")}


@pytest.mark.parametrize("table", ["cdn-pops.csv", "cloud-regions.csv"])
def test_every_us_and_canadian_site_names_its_state_or_says_why_not(table):
    """Before: Fastly's GNV and LEE and AWS's two GovCloud regions had an empty state, read as the whole country
    without a word. Each US or Canadian row now has its state or province, or 'unknown' with the reason in the
    table's header."""
    rows, header = _site_rows(table)
    for row in rows:
        if row["country"] in ("US", "CA"):
            known = presence.places.subdivisions(row["country"])
            assert row["subdivision"] in known | {"unknown"}, (row["provider"], row["code"])
            if row["subdivision"] == "unknown":
                assert row["code"] in header, f"{row['code']}: 'unknown' without its reason in the header"


def test_a_site_with_no_state_is_refused_and_unknown_is_placed_in_the_country():
    """A blank state is a data error naming the table, the row and the column; 'unknown' places the site in the
    country (LEE: a Leesburg is in Florida and in Virginia, and Fastly's own lists do not name it)."""
    blank = presence.Site("fastly", "XYZ", "Somewhere", "US", "", "https://example.org")
    with pytest.raises(presence.RulesError, match=r"^data/cdn-pops.csv, row fastly:XYZ, column subdivision: '' "):
        presence._check_subdivision(blank, "data/cdn-pops.csv, row fastly:XYZ, column subdivision")
    assert presence.place_of("fastly:LEE", Location("p.csv", 2)) == ("US", "Leesburg")


def test_a_site_whose_state_is_not_known_says_so_on_the_table_and_in_the_cdn_comparison(tmp_path):
    """Before: Fastly's LEE read 'US cdn fastly:LEE review / Review: No general rule...', and the CDN comparison
    'US United States 1 (review)', as if the state did not matter or the US were one more country. Now each says
    the state is not known (the table's own word, 'unknown', data/cdn-pops.csv) and what to do."""
    path = tmp_path / "presence.csv"
    path.write_text("kind,location,ownership,dedicated,function,since,until,note\n"
                    "cdn,fastly:LEE,third-party,no,cache,2026-01-01,,\n"
                    "cloud-region,aws:us-gov-west-1,third-party,no,core,2026-01-01,,\n", encoding="utf-8")
    found = json.loads(CliRunner().invoke(cli, ["presence", str(path), "--as-of", "2026-11-27", "--format", "json"],
                                          catch_exceptions=False).output)
    assert [(v["jurisdiction"], v["reasons"][0].split(" Review: ")[0]) for v in found] == [
        ("US", "State not known: the provider's list places fastly:LEE in the United States without its state; ask "
               "the provider which."),
        ("US", "State not known: the provider's list places aws:us-gov-west-1 in the United States without its "
               "state; ask the provider which.")]
    assert found[0]["reasons"][0].endswith("Tex. Tax Code 151.108))")  # the US-wide rule still given after it
    row = next(r for r in presence.compare_cdns(["fastly"], ON) if r["jurisdiction"] == "US")
    assert (row["name"], row["fastly"]["pops"]) == ("US, state not known", ["LEE", "NYC"])
    assert presence.judge(item("cdn", "US-VA"), ON).reasons[0].startswith("Review: ")  # a state given: as before


def test_cdn_comparison_side_by_side():
    rows = presence.compare_cdns(["cloudflare", "fastly"], ON)
    by = {r["jurisdiction"]: r for r in rows}
    assert "NRT" in by["JP"]["cloudflare"]["pops"] and by["JP"]["cloudflare"]["verdict"] == "safe-harbor"
    assert by["US-VA"]["fastly"]["pops"] and by["US-VA"]["fastly"]["verdict"] == "review"
    assert rows[0]["jurisdiction"].startswith("US-")
    with pytest.raises(UnknownCode, match="not a CDN"):
        presence.compare_cdns(["cloudflair"], ON)


def test_merge_into_check_adds_presence_and_presence_only_places():
    verdicts = presence.assess([item("third-party-inventory", "US-NJ"), item("warehouse", "Venlo, NL"),
                                item("cdn", "US-NY")], ON)
    result = check(Ledger(), load_rules(), ON, presence=verdicts)
    by = {f.jurisdiction: f for f in result.findings}
    # No orders at all: the sales test cannot be judged, but presence creates nexus whatever the sales.
    assert by["US-NJ"].presence_verdict == "creates" and by["US-NJ"].status == "not-covered"
    assert by["US-NJ"].nexus == "presence"
    assert by["US-NY"].presence_verdict == "safe-harbor"
    assert by["NL"].presence_verdict == "creates" and by["NL"].rule is None


def test_cli_presence_table_json_and_cdn(tmp_path):
    runner = CliRunner()
    sample = str(SAMPLES / "presence.csv")
    table = runner.invoke(cli, ["presence", sample, "--as-of", "2026-10-31"], catch_exceptions=False)
    assert table.exit_code == 0 and "past: creates" in table.stdout and "Potential exposure" in table.stdout
    data = json.loads(runner.invoke(cli, ["presence", sample, "--format", "json", "--as-of", "2026-10-31"],
                                    catch_exceptions=False).stdout)
    first = data[0]
    assert set(first) >= {"item", "jurisdiction", "verdict", "reasons", "sources"}
    assert first["verdict"] == "creates" and first["item"]["line"] > 1
    cdn = runner.invoke(cli, ["presence", "--cdn", "cloudflare", "--cdn", "fastly"], catch_exceptions=False)
    assert cdn.exit_code == 0 and "Cloudflare" in cdn.stdout and "Fastly" in cdn.stdout
    assert runner.invoke(cli, ["presence"]).exit_code == 2


def test_cli_check_with_presence_json_workbook_and_fail_on(tmp_path, write):
    orders = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,10,USD\n")
    args = ["check", "--sales", orders, "--presence", str(SAMPLES / "presence.csv"), "--as-of", "2026-10-31"]
    book = tmp_path / "r.xlsx"
    out = CliRunner().invoke(cli, args + ["--format", "json", "--workbook", str(book)], catch_exceptions=False)
    data = json.loads(out.stdout)
    nj = next(f for f in data["findings"] if f["jurisdiction"] == "US-NJ")
    assert nj["presence_verdict"] == "creates" and nj["presence"][0]["item"]["kind"] == "third-party-inventory"
    co = next(f for f in data["findings"] if f["jurisdiction"] == "US-CO")
    assert co["presence"] == [] and co["presence_verdict"] is None
    sheet = load_workbook(book)["Presence"]
    header = [c.value for c in sheet[1]]
    assert header[:4] == ["Code", "Jurisdiction", "Verdict", "Sales test"]
    # The Virginia server (2021-05-01 to 2024-06-30) is judged over its own days: physical presence then.
    assert {row[2] for row in sheet.iter_rows(min_row=2, values_only=True)} == {"creates", "review", "safe-harbor",
                                                                               "past: creates"}
    assert CliRunner().invoke(cli, args + ["--fail-on", "creates"]).exit_code == 1
    assert CliRunner().invoke(cli, args + ["--fail-on", "exceeded"]).exit_code == 0


@pytest.mark.parametrize("location, place", [
    ("Ashburn, VA", "Ashburn, US-VA"), ("Los Angeles, CA", "Los Angeles, US-CA"), ("Denver, co", "Denver, US-CO"),
])
def test_a_us_city_with_its_state_abbreviation_is_not_read_as_a_country(write, location, place):
    """'Ashburn, VA' was placed in the Holy See (VA), 'Los Angeles, CA' in Canada, 'Denver, CO' in Colombia:
    the state's postal abbreviation is another country's ISO code."""
    path = write("presence.csv", f'kind,location,ownership\ncolocation,"{location}",leased\n')
    result = CliRunner().invoke(cli, ["presence", path, "--as-of", "2026-11-27"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:2: column 'location' value '{location}': ")
    assert f"write '{place}'" in result.stderr


@pytest.mark.parametrize("location, advice", [
    ("Portland, ME", "reads as Montenegro (ME), but Portland is in Maine: write 'Portland, US-ME'"),
    ("Dover, DE", "but Dover is in Delaware: write 'Dover, US-DE'"),
    ("St. John's, NL", "reads as Netherlands (NL), but St. John's is in Newfoundland and Labrador: "
                       "write 'St. John's, CA-NL'"),
    ("Saint Louis, MO", "reads as Macao (MO), but Saint Louis is in Missouri: write 'Saint Louis, US-MO'"),
    ("Regina, SK", "reads as Slovakia (SK), but Regina is in Saskatchewan"),
    ("Salem, IN", "is ambiguous: IN is India and Indiana, and both have a Salem: write 'Salem, US-IN' for Indiana, "
                  "or 'Salem, India' for India"),
    ("Tbilisi, Georgia", "names Georgia (GE) and Georgia (US-GA): write the code of the one meant"),
    ("Portland, OR", "is not a country (ISO 3166-1): for Oregon write 'Portland, US-OR'"),
])
def test_a_city_of_a_state_whose_abbreviation_is_a_country_code_is_asked_about(location, advice):
    """'Portland, ME' was placed in Montenegro: only cities of the cloud tables were known in the states. Now
    GeoNames' cities of 500 people or more are (data/state-cities.csv), and a name both places have is asked
    about; a state's abbreviation that is no country's code is told how to write."""
    with pytest.raises(InputError) as error:
        presence.place_of(location, Location("p.csv", 2))
    assert advice in str(error.value)


@pytest.mark.parametrize("location, state", [
    ("East St. Louis, IL", "Illinois"), ("South St. Paul, MN", "Minnesota"), ("Lake St. Louis, MO", "Missouri"),
    ("Ste. Genevieve, MO", "Missouri"), ("Ft. Collins, CO", "Colorado"), ("Mt. Pleasant, SC", "South Carolina"),
    ("Mount Edward, PE", "Prince Edward Island"), ("Canon City, CO", "Colorado"),
    ("La Canada Flintridge, CA", "California"), ("Winston Salem, NC", "North Carolina"),
])
def test_a_state_city_spelled_as_people_write_it_is_asked_about(location, state):
    """'East St. Louis, IL' was placed in Israel, 'Ft. Collins, CO' and 'Canon City, CO' in Colombia: only a
    leading Saint was read as St, and GeoNames writes Fort, Mount, Sainte, accents and hyphens (Cañon City,
    Winston-Salem) where an address often has Ft., Mt., Ste., none and a space."""
    with pytest.raises(InputError, match=f"is in {state}: write"):
        presence.place_of(location, Location("p.csv", 2))


@pytest.mark.parametrize("location, place", [("Frankfurt, DE", "DE"), ("Wilmington, US-DE", "US-DE"),
                                             ("Chicago, US-IL", "US-IL"), ("Berlin, DE", "DE"),
                                             ("Podgorica, ME", "ME"), ("Amsterdam, NL", "NL"), ("Mumbai, IN", "IN"),
                                             ("Toronto, CA", "CA"), ("Portland, US-ME", "US-ME"),
                                             ("Salem, India", "IN"), ("Portland, Maine", "US-ME"),
                                             ("Regina, saskatchewan", "CA-SK"), ("Seoul, South Korea", "KR")])
def test_a_city_in_the_country_its_code_names_is_still_placed_there(location, place):
    assert presence.place_of(location, Location("p.csv", 2))[0] == place


def test_an_item_that_ends_before_it_starts_is_an_error_not_left_out(write):
    """A warehouse with until 2026-01-31 before since 2026-06-01 (a mistyped year) was 'Not counted' on every
    date, its stock silently left out of presence and of nexus check."""
    path = write("presence.csv", "kind,location,since,until\nwarehouse,US-NJ,2026-06-01,2026-01-31\n")
    result = CliRunner().invoke(cli, ["presence", path, "--as-of", "2026-11-27"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:2: column 'until' value '2026-01-31': is before since "
                                    f"(2026-06-01)")


# From the adversarial review of presence and provider compare.

def _checked(write, presence_rows, orders_rows, as_of=date(2026, 10, 31), **options):
    from nexus.sales import read_sales

    items = presence.read_presence(write("p.csv", "kind,location,ownership,dedicated,function,since,until,note\n"
                                         + presence_rows))
    orders = write("o.csv", "date,order_id,country,region,amount,currency\n" + orders_rows)
    return check(read_sales([orders]), load_rules(), as_of, presence=presence.assess(items, as_of), **options)


def test_a_warehouse_in_a_state_without_sales_tax_asks_for_no_registration(write):
    """Oregon has no sales tax: its finding said no nexus, yet 'register now, overdue 1,034 days', counted in the
    actions and in --fail-on overdue (exit 1)."""
    result = _checked(write, 'warehouse,"Portland, US-OR",leased,,storage,2024-01-01,,\n',
                      "2026-01-05,A1,US,OR,100,USD\n")
    oregon = next(f for f in result.findings if f.jurisdiction == "US-OR")
    assert oregon.status == "no-sales-tax" and oregon.nexus is None
    assert oregon.timing is None or oregon.timing.action is None
    assert not result.fails(("overdue",))


def test_presence_is_nexus_from_the_day_a_rule_made_it_so_not_before(write):
    """A Japanese warehouse in place since 2015-04-01: the rules that make it nexus (the general warehouse rules)
    took effect on 2017-11-21, before which there was none; nexus was dated 2015-04-01."""
    result = _checked(write, 'warehouse,"Osaka, JP",leased,,core,2015-04-01,,\n', "2026-01-05,A1,JP,,100000,JPY\n")
    japan = next(f for f in result.findings if f.jurisdiction == "JP")
    first_rule = min(r.effective_from for r in presence.presence_rules()
                     if r.kind == "warehouse" and r.verdict == "creates" and r.jurisdiction in ("*", "JP"))
    assert first_rule > date(2015, 4, 1)
    assert japan.timing.nexus_since == first_rule


def test_a_presence_counted_in_the_measured_periods_is_dated_and_acted_on_though_it_has_left(write):
    """A Georgia warehouse closed on 2025-03-31: Georgia measures the current or previous year, so the finding says
    nexus from presence in 2026; its dates and action were empty (and its reason said 'nexus from sales existed').
    The window stays open on the as-of date, as the finding reads it."""
    result = _checked(write, 'warehouse,"Atlanta, US-GA",leased,,storage,2023-01-01,2025-03-31,closed\n',
                      "2026-01-05,A1,US,GA,100,USD\n")
    georgia = next(f for f in result.findings if f.jurisdiction == "US-GA")
    assert georgia.nexus == "presence"
    assert georgia.timing.nexus_since == date(2023, 1, 1) and georgia.timing.action == "register-now"


def test_an_ended_presence_window_is_said_to_be_presence_not_sales():
    from nexus.timing import decide
    from nexus.windows import Window

    window = Window("presence", date(2023, 1, 1), date(2023, 1, 1), date(2023, 1, 1), date(2025, 3, 31),
                    "warehouse at Atlanta, US-GA (p.csv:2)")
    said = " ".join(decide([window], date(2026, 10, 31), None, False).reasons)
    assert said.startswith("Nexus from physical presence (warehouse at Atlanta, US-GA (p.csv:2)) existed from "
                           "2023-01-01 to 2025-03-31; it has ended")


def test_a_site_placed_in_the_us_without_its_state_takes_the_us_rules_not_the_oecds():
    """AWS GovCloud (US-West) is published without its state: it got the OECD permanent-establishment safe
    harbour; presence.md says such a site is placed in the US and gets review (the US cloud rules)."""
    verdict = presence.judge(item("cloud-region", "aws:us-gov-west-1", function="core", since=date(2024, 1, 1)),
                             date(2026, 10, 31))
    assert verdict.jurisdiction == "US" and verdict.verdict == "review"


@pytest.mark.parametrize("location", ["PR", "San Juan, PR", "Puerto Rico", "US-PR", "San Juan, US-PR",
                                      "cloudflare:SJU"])
def test_puerto_rico_is_one_place_under_the_us_rules_however_it_is_written(location):
    """ISO codes Puerto Rico twice, PR (3166-1) and US-PR (3166-2:US): written PR (or Cloudflare's San Juan, which
    its table places in country PR) it took the rules for everywhere (an owned server: the OECD's core-function
    test, review), written US-PR the US-wide ones (property in the place: creates), and 'Puerto Rico' was refused as
    naming two places. nexus uses US-PR, as a registrations file already reads a bare PR."""
    verdict = presence.judge(item("owned-server", location, ownership="owned", function="support"), ON)
    assert verdict.jurisdiction == "US-PR" and verdict.verdict == "creates" and "Quill" in verdict.reasons[0]


def test_the_uk_takes_the_eu_rules_only_while_eu_vat_law_applied_there():
    rule = presence.rule_for(item("office", "London, GB", ownership="leased"), "GB", date(2026, 10, 31))
    assert rule is not None and rule.jurisdiction != "EU"
    before = presence.rule_for(item("office", "London, GB", ownership="leased"), "GB", date(2019, 6, 30))
    assert before is not None and before.jurisdiction == "EU"


@pytest.mark.parametrize("cell", ["2024-03-01 to 2024-03-04", "2024-12-310"])
def test_a_presence_date_is_read_whole_never_its_first_ten_characters(write, cell):
    """'2024-03-01 to 2024-03-04' (a trade show) was read as since 2024-03-01, open-ended, and nexus in Texas two
    years on; '2024-12-310' as 2024-12-31."""
    path = write("p.csv", f"kind,location,since\nevent,US-TX,{cell}\n")
    with pytest.raises(InputError, match=r"p.csv:2: column 'since' value '" + cell + "': is not a date"):
        presence.read_presence(path)


def test_a_presence_row_with_a_field_too_many_is_an_error(write):
    path = write("p.csv", "kind,location\noffice,Washington, DC\n")
    with pytest.raises(InputError, match=r"p.csv:2: has 3 fields where the header has 2"):
        presence.read_presence(path)


def test_a_finding_from_presence_only_cites_what_makes_the_presence_nexus(write):
    """A Dutch warehouse, no sales test applying: the finding said 'potential exposure' with no source at all
    (JSON sources [], an empty CSV cell and Source columns), though its presence rule has its sources."""
    result = _checked(write, 'warehouse,"Venlo, NL",leased,,storage,2024-01-01,,\n', "2026-01-05,A1,US,TX,10,USD\n")
    netherlands = next(f for f in result.findings if f.jurisdiction == "NL")
    creating = [v for v in netherlands.presence if v.verdict == "creates"]
    assert creating and netherlands.sources and set(creating[0].sources) <= set(netherlands.sources)


def test_the_screen_names_what_the_since_date_beside_it_comes_from(write):
    """New Jersey: stock there from 2025-03-01, the sales test met on 2025-09-18. The screen said 'sales test'
    beside 'Since 2025-03-01', a date that is the presence's."""
    from nexus import terminal

    result = _checked(write, 'third-party-inventory,US-NJ,third-party,,storage,2025-03-01,,\n',
                      "2025-09-18,A1,US,NJ,100001,USD\n", as_of=date(2026, 10, 31))
    jersey = next(f for f in result.findings if f.jurisdiction == "US-NJ")
    assert jersey.nexus == "economic" and jersey.timing.nexus_since == date(2025, 3, 1)
    assert jersey.timing.since_from == "presence" and terminal._why(jersey) == "sales, presence"


def test_a_country_said_with_the_reads_so_in_a_sentence():
    from nexus import places

    assert [places.in_prose(n) for n in ("Netherlands", "United Kingdom", "Cayman Islands", "Dominican Republic",
                                         "Japan", "Texas", "Czechia")] == [
        "the Netherlands", "the United Kingdom", "the Cayman Islands", "the Dominican Republic", "Japan", "Texas",
        "Czechia"]
    result = CliRunner().invoke(cli, ["check", "--sales", str(SAMPLES / "orders-2025.csv"), "--presence",
                                      str(SAMPLES / "presence.csv"), "--rates", str(SAMPLES / "eurofxref-hist.csv"),
                                      "--as-of", "2026-10-31", "--format", "json"])
    nl = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "NL")
    assert nl["reasons"][0].startswith("Potential exposure: physical presence creates nexus in the Netherlands ")
    # it said 'no sales into Netherlands', where every other sentence says 'the Netherlands'
    assert nl["reasons"][1].startswith("Presence only: no sales into the Netherlands in the periods measured")


@pytest.mark.parametrize("width", [80, 100, 140])
def test_the_presence_screen_fits_the_terminal_and_keeps_every_reason(width):
    """At 100 columns the sample's screen was 102 wide (the reason's column was given what 62 columns left, and
    the others take 64 with 'third-party-inventory'), and at 80 it was 94 wide with the reason in a 30-column
    strip. It now fits, the reason under its row where beside it would be too narrow to read."""
    from nexus.terminal import presence_screen

    verdicts = presence.assess(presence.read_presence(str(SAMPLES / "presence.csv")), date(2026, 10, 31))
    screen = presence_screen(verdicts, width)
    assert max(len(line) for line in screen.splitlines()) <= width
    flat = " ".join(screen.split())
    for v in verdicts:
        assert " ".join(v.reasons[0].split()) in flat
    office = " ".join(next(v.reasons[0] for v in verdicts if v.item.kind == "office").split())
    assert office.startswith("Potential exposure: An office through which")


def test_presence_verbose_shows_every_reason_and_source_the_json_gives():
    """`nexus presence FILE` showed each verdict's first reason and no source, where the JSON and the workbook give
    the rule's sources: a controller checking a verdict against its statute had nothing to open on the screen."""
    args = ["presence", str(SAMPLES / "presence.csv"), "--as-of", "2026-10-31"]
    items = json.loads(CliRunner().invoke(cli, args + ["--format", "json"]).stdout)
    plain = CliRunner().invoke(cli, args, env={"COLUMNS": "100"})
    verbose = CliRunner().invoke(cli, args + ["--verbose"], env={"COLUMNS": "100"})
    assert verbose.exit_code == 0, verbose.output
    assert "Sources:" not in plain.stdout and "Sources:" in verbose.stdout
    # only an address longer than the screen runs past it, whole, on a line of its own (as check --verbose does)
    assert all(len(line) <= 100 or line.split()[-1].startswith("http") and len(line.split()[-1]) > 80
               for line in verbose.stdout.splitlines())
    flat = " ".join(verbose.stdout.split())
    for found in items:
        for text in found["reasons"] + found["sources"]:
            assert " ".join(text.split()) in flat
    assert "https://eur-lex.europa.eu/" in flat  # the cloud region in Frankfurt: Implementing Reg. 282/2011


def test_the_presence_sheet_links_every_source_the_json_gives(tmp_path, write):
    """The Presence sheet's one Source column held the rule's first source only: New Jersey's stock cites four
    (Avalara's survey, the Washington and California revenue departments' pages, Cal. Rev. & Tax. Code 6203) and
    the sheet showed Avalara's alone, the one a controller would least rely on. Every source now has a column
    (Source, Source 2, ...), as on the Findings sheet."""
    orders = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,10,USD\n")
    book = tmp_path / "r.xlsx"
    out = CliRunner().invoke(cli, ["check", "--sales", orders, "--presence", str(SAMPLES / "presence.csv"),
                                   "--as-of", "2026-10-31", "--format", "json", "--workbook", str(book)])
    wanted = {(v["item"]["line"], tuple(v["sources"])) for f in json.loads(out.stdout)["findings"]
              for v in f["presence"]}
    sheet = load_workbook(book)["Presence"]
    header = [c.value for c in sheet[1]]
    sources = [i for i, h in enumerate(header) if h == "Source" or (h or "").startswith("Source ")]
    line = header.index("Line")
    got = {(row[line], tuple(row[i] for i in sources if row[i]))
           for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert got == wanted
    assert ("https://cdtfa.ca.gov/lawguides/vol1/sutl/6203.html" in {s for _, srcs in got for s in srcs})


def test_check_verbose_gives_every_presence_items_reasons_and_sources_as_the_json_does(write):
    """check --verbose named only the items that create nexus or need review: the backups in Frankfurt
    (gcp:europe-west3, safe harbor under Implementing Reg. 282/2011 Art. 11), the Tokyo CDN cache and the old
    provider's exports were on no line of the screen, and a reviewed item's sources (a cloud region in Virginia:
    the BNA survey) were not given, where the JSON and the workbook give both. The presence file is the sample's;
    a few orders stand for its 16,000 (every jurisdiction is listed with --all, sold to or not)."""
    orders = write("orders.csv", "order_id,date,country,region,amount,currency\n1,2026-02-03,US,VA,250.00,USD\n"
                                 "2,2026-05-06,DE,,120.00,EUR\n3,2026-08-09,JP,,15000,JPY\n")
    args = ["check", "--sales", orders, "--presence", str(SAMPLES / "presence.csv"),
            "--rates", str(SAMPLES / "eurofxref-hist.csv"), "--as-of", "2026-10-31", "--home", "JP", "--all"]
    data = json.loads(CliRunner().invoke(cli, args + ["--format", "json"]).stdout)
    screen = CliRunner().invoke(cli, args + ["--verbose"], env={"COLUMNS": "100"}).stdout
    flat = " ".join(screen.split())
    items = [v for f in data["findings"] for v in f["presence"]]
    assert {v["verdict"] for v in items} == {"creates", "review", "safe-harbor", None}
    for v in items:
        for text in v["reasons"] + v["sources"]:
            assert " ".join(text.split()) in flat, (v["item"]["location"], text)


def test_a_presence_file_of_one_item_says_one_item(write):
    path = write("one.csv", "kind,location\noffice,DE\n")
    out = CliRunner().invoke(cli, ["presence", path, "--as-of", "2026-10-31"]).stdout
    lines = out.splitlines()  # it said '1 items'; now under the date and the file (which wraps if its path is long)
    assert lines[0].startswith("Presence as of 2026-10-31:") and path in out.replace("\n  ", " ")
    assert "1 item: 1 creates" in lines[1:3]


def test_a_place_with_presence_only_before_the_first_order_has_its_sales_unknown_not_none(write):
    """As of 2024-12-31, orders from 2025-01-05 on: an Ontario contractor's finding said 'below' and 'Presence only:
    no sales into Ontario in the periods measured', and the screen counted it with the places 'below 80%', though
    no order read covers 2023-01-01 to 2024-12-31: its sales are unknown, not none. A place whose window the orders
    cover from its start (the first order on 2023-01-01) still says no sales."""
    contractor = 'contractor,CA-ON,third-party,,core,2022-06-01,,\n'
    early = _checked(write, contractor, "2025-01-05,A1,US,TX,10,USD\n", as_of=date(2024, 12, 31))
    ontario = next(f for f in early.findings if f.jurisdiction == "CA-ON")
    assert ontario.status == "not-covered"
    assert ontario.reasons[0] == (
        "Presence only: the orders read start on 2025-01-05, after the as-of date: sales into Ontario in the "
        "current and previous calendar years (2023-01-01 to 2024-12-31) are not covered by the data (unknown, not "
        "zero), and no registration rule applied; the presence test is shown beside it.")
    covered = _checked(write, contractor, "2023-01-01,A1,US,TX,10,USD\n", as_of=date(2024, 12, 31))
    ontario = next(f for f in covered.findings if f.jurisdiction == "CA-ON")
    assert ontario.status == "below" and ontario.reasons[0].startswith("Presence only: no sales into Ontario in ")


def test_presence_creating_nexus_before_the_first_order_does_not_claim_no_sales_there(write):
    """A Dutch warehouse since 2024-01-01, as of 2024-12-31, orders from 2025: the finding said 'with no sales
    there, no sales test applied', where the orders say nothing of the sales there before 2025."""
    result = _checked(write, 'warehouse,"Venlo, NL",leased,,storage,2024-01-01,,\n', "2025-01-05,A1,US,TX,10,USD\n",
                      as_of=date(2024, 12, 31))
    netherlands = next(f for f in result.findings if f.jurisdiction == "NL")
    assert netherlands.nexus == "presence" and netherlands.status == "not-covered"
    assert netherlands.reasons[0].endswith("p.csv:2); its sales there are not covered by the data, and no "
                                           "sales test applied.")


def _virginia_after_the_server(write, orders):
    """The check's arguments with an owned server in Virginia from 2021-05-01 to 2024-06-30, and its US-VA finding
    as JSON."""
    items = write("p.csv", """
        kind,location,ownership,dedicated,function,since,until,note
        owned-server,"Ashburn, US-VA",owned,yes,core,2021-05-01,2024-06-30,Own rack
        """)
    args = ["check", "--sales", orders, "--presence", items, "--as-of", "2026-10-31"]
    data = json.loads(CliRunner().invoke(cli, args + ["--format", "json"], catch_exceptions=False).stdout)
    return args, next(f for f in data["findings"] if f["jurisdiction"] == "US-VA")


def test_presence_gone_before_the_first_order_is_a_past_window_not_covered_by_the_data(write):
    # Orders from 2025-01-02; an owned server stood in Virginia from 2021-05-01 to 2024-06-30. Virginia's sales
    # test is not met (USD 10), so no nexus today, but the server was physical presence then: the finding carries
    # that window, its tax cannot be estimated from these orders (not covered, never 0), and the screen says so.
    orders = write("o.csv", "date,country,region,amount,currency\n2025-01-02,US,VA,10,USD\n")
    args, va = _virginia_after_the_server(write, orders)
    assert va["nexus"] is None and va["presence"][0]["verdict"] is None and va["presence"][0]["earlier"] == "creates"
    assert [(w["basis"], w["since"], w["until"]) for w in va["nexus_windows"]] == [
        ("presence", "2021-05-01", "2024-06-30")]
    assert va["exposure"] is None
    assert va["exposure_note"] == ("not covered by the data: tax was due from 2021-05-01, before the first order on "
                                   "2025-01-02 (supply the earlier orders)")
    assert any("existed from 2021-05-01 to 2024-06-30; it has ended" in r for r in va["reasons"])
    screen = CliRunner().invoke(cli, args, catch_exceptions=False).stdout
    assert ("Potential exposure before the first order, not estimated: US-VA (presence 2021-05-01 to "
            "2024-06-30).") in " ".join(screen.split())
    assert CliRunner().invoke(cli, args + ["--fail-on", "nexus"]).exit_code == 0  # no nexus today


def test_presence_gone_before_the_periods_measured_is_estimated_from_the_orders_of_its_days(write):
    # The same server, with orders from 2023-06-01: the window's days from then to 2024-06-30 are in the data. Goods of
    # USD 1,000 on 2023-06-01 and USD 500 on 2024-06-30 are taxable in it (USD 700 on 2024-07-01 is after the server
    # left; USD 10 in 2026 is below the sales test). Virginia's rows: state rate 5.3%, average local 0.45% in the
    # first half of 2023 and 0.47% in the first half of 2024, no highest combined rate then. By hand: low
    # 1,500 x 5.3% = 79.50; central 1,000 x 5.75% + 500 x 5.77% = 57.50 + 28.85 = 86.35; high as central.
    orders = write("o.csv", """
        date,country,region,amount,currency,category
        2023-06-01,US,VA,1000,USD,goods
        2024-06-30,US,VA,500,USD,goods
        2024-07-01,US,VA,700,USD,goods
        2026-01-02,US,VA,10,USD,goods
        """)
    args, va = _virginia_after_the_server(write, orders)
    assert (va["exposure"]["from"], va["exposure"]["to"]) == ("2023-06-01", "2024-06-30")
    assert va["exposure"]["uncollected"] == {"low": "79.50", "central": "86.35", "high": "86.35"}
    assert any("2021-05-01 to 2023-05-31 is not covered by the data" in a for a in va["exposure"]["assumptions"])
    # Listed with the places to act on, as what it is: presence that has ended, and when.
    row = next(line for line in CliRunner().invoke(cli, args, catch_exceptions=False).stdout.splitlines()
               if line.startswith("US-VA"))
    assert row.split()[2:6] == ["presence", "(ended)", "2021-05-01", "ended"] and "USD 86.35" in row
    book = write("x.txt", "")
    CliRunner().invoke(cli, args + ["--workbook", book + ".xlsx"], catch_exceptions=False)
    summary = [r for r in load_workbook(book + ".xlsx")["Summary"].iter_rows(values_only=True) if "US-VA" in r]
    assert "presence created nexus (ended)" in summary[0] and "ended 2024-06-30" in summary[0]
