"""data/tax-rates.json: sourced, dated, without overlaps, and covering every place nexus has rules for."""
import json
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from importlib import resources

import pytest

from data_sources import unmarked
from nexus.rules import eu_vat_members

CHECKED = date(2026, 12, 4)  # the day the rows were last verified
REVIEWED = date(2026, 12, 5)  # the rows read again against revenue departments' pages
PRIMARY = date(2026, 12, 6)  # rows settled by a primary text the earlier reviews could not read
STATES = ("AL AK AZ AR CA CO CT DC DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
          "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY").split()
NO_SALES_TAX = {"US-DE", "US-MT", "US-NH", "US-OR", "US-AK"}


def text(name):
    return resources.files("nexus").joinpath("data").joinpath(name).read_text(encoding="utf-8")


DOC = json.loads(text("tax-rates.json"))
ROWS = DOC["rules"]


def day(value):
    return date.fromisoformat(value) if value else None


def in_force(jurisdiction, on, category=None):
    found = [r for r in ROWS if r["jurisdiction"] == jurisdiction and r["category"] == category
             and day(r["effective_from"]) <= on and (r["effective_to"] is None or on <= day(r["effective_to"]))]
    assert len(found) <= 1, found
    return found[0] if found else None


def test_file_is_written_as_the_project_writes_data():
    assert text("tax-rates.json") == json.dumps(DOC, indent=1, ensure_ascii=False) + "\n"
    assert DOC["published"] == "2026-12-04" and DOC["about"] and DOC["title"]
    keys = [(r["jurisdiction"], r["category"] or "", r["effective_from"]) for r in ROWS]
    assert keys == sorted(keys)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"{r['jurisdiction']}:{r['category']}@{r['effective_from']}")
def test_every_row_is_sourced_dated_and_in_range(row):
    assert set(row) == {"jurisdiction", "category", "effective_from", "effective_to", "rate", "average_local",
                        "highest_combined", "sources", "last_verified", "confidence", "notes"}
    assert row["sources"] and all(s.startswith(("https://", "http://")) for s in row["sources"])
    assert day(row["effective_from"]) and day(row["last_verified"]) in (CHECKED, REVIEWED, PRIMARY) and row["notes"]
    if row["effective_to"]:
        assert day(row["effective_to"]) >= day(row["effective_from"])
    kinds = DOC["kinds"]
    assert row["confidence"] in kinds["confidence"]
    assert (row["category"] or "null") in kinds["category"]
    for field in ("rate", "average_local", "highest_combined"):
        assert row[field] is None or isinstance(row[field], str), f"{field} must be a string, never a float"
    if row["confidence"] == "unknown":
        assert row["rate"] is None
        return
    rate = Decimal(row["rate"])
    assert Decimal(0) <= rate <= Decimal("0.3")
    if row["average_local"] is not None:  # New Jersey's is negative: Salem County collects less than the state rate
        assert Decimal("-0.001") <= Decimal(row["average_local"]) <= Decimal("0.1")
    if row["highest_combined"] is not None:
        assert rate <= Decimal(row["highest_combined"]) <= Decimal("0.3")
    if not row["jurisdiction"].startswith("US-"):
        assert row["average_local"] is None and row["highest_combined"] is None


def test_versions_never_overlap():
    by_key = defaultdict(list)
    for row in ROWS:
        by_key[(row["jurisdiction"], row["category"])].append(row)
    for key, versions in by_key.items():
        versions.sort(key=lambda r: r["effective_from"])
        for before, after in zip(versions, versions[1:]):
            assert before["effective_to"] and day(before["effective_to"]) < day(after["effective_from"]), key
        assert all(v["effective_to"] for v in versions[:-1]), key


def days_covered(jurisdiction, start, end, category=None):
    """The days between start and end (inclusive) on which no row gives a rate."""
    missing, on = [], start
    while on <= end:
        row = in_force(jurisdiction, on, category)
        if row is None or row["rate"] is None:
            missing.append(on)
            on += timedelta(days=1)
            continue
        on = day(row["effective_to"]) + timedelta(days=1) if row["effective_to"] else end + timedelta(days=1)
    return missing


@pytest.mark.parametrize("state", STATES)
def test_every_state_and_dc_has_a_state_rate_every_day_since_2018(state):
    assert days_covered(f"US-{state}", date(2018, 1, 1), CHECKED) == []


def rule_rows():
    rows = []
    for name in ("international-vat-gst.json",):
        rows += json.loads(text(name))["rules"]
    return rows


def test_every_country_rule_has_a_standard_rate_whenever_it_is_in_force_from_2018():
    for rule in rule_rows():
        start = max(day(rule["effective_from"]), date(2018, 1, 1))
        end = min(day(rule["effective_to"]) or CHECKED, CHECKED)
        if start > end:
            continue
        places = rule.get("members") or [rule["jurisdiction"]]
        for place in places:
            assert days_covered(place, start, end) == [], (rule["jurisdiction"], rule.get("scheme"), place)


def test_eu_member_states_the_uk_norway_and_switzerland_from_2015():
    for place in [*[c for c, (_, left) in eu_vat_members().items() if left is None], "GB", "NO", "CH"]:
        assert days_covered(place, date(2015, 1, 1), CHECKED) == [], place


@pytest.mark.parametrize("place, on, rate", [
    ("FI", date(2024, 8, 31), "0.24"), ("FI", date(2024, 9, 1), "0.255"),
    ("EE", date(2023, 12, 31), "0.2"), ("EE", date(2024, 1, 1), "0.22"), ("EE", date(2025, 7, 1), "0.24"),
    ("SK", date(2024, 12, 31), "0.2"), ("SK", date(2025, 1, 1), "0.23"),
    ("RO", date(2015, 12, 31), "0.24"), ("RO", date(2016, 1, 1), "0.2"), ("RO", date(2017, 1, 1), "0.19"),
    ("RO", date(2025, 8, 1), "0.21"),
    ("DE", date(2020, 6, 30), "0.19"), ("DE", date(2020, 7, 1), "0.16"), ("DE", date(2020, 12, 31), "0.16"),
    ("DE", date(2021, 1, 1), "0.19"), ("IT", date(2015, 12, 31), "0.22"), ("IT", date(2016, 1, 1), "0.22"),
    ("SE", date(2023, 12, 31), "0.25"), ("SE", date(2024, 1, 1), "0.25"),
    ("IE", date(2020, 9, 1), "0.21"), ("IE", date(2021, 2, 28), "0.21"), ("IE", date(2021, 3, 1), "0.23"),
    ("LU", date(2023, 6, 1), "0.16"), ("LU", date(2024, 1, 1), "0.17"), ("GR", date(2016, 6, 1), "0.24"),
    ("CH", date(2017, 12, 31), "0.08"), ("CH", date(2018, 1, 1), "0.077"), ("CH", date(2024, 1, 1), "0.081"),
    ("SG", date(2022, 12, 31), "0.07"), ("SG", date(2023, 1, 1), "0.08"), ("SG", date(2024, 1, 1), "0.09"),
    ("JP", date(2019, 9, 30), "0.08"), ("JP", date(2019, 10, 1), "0.1"),
    ("SA", date(2020, 6, 30), "0.05"), ("SA", date(2020, 7, 1), "0.15"),
    ("ZA", date(2018, 3, 31), "0.14"), ("ZA", date(2018, 4, 1), "0.15"),
    ("GB", date(2020, 1, 1), "0.2"), ("CA", date(2022, 1, 1), "0.05"), ("CA-QC", date(2022, 1, 1), "0.09975"),
    ("CA-NS", date(2025, 3, 31), "0.15"), ("CA-NS", date(2025, 4, 1), "0.14"), ("CA-NB", date(2016, 7, 1), "0.15"),
    ("MY", date(2018, 7, 1), "0"), ("MY", date(2020, 1, 1), "0.1"),
    ("US-LA", date(2018, 6, 30), "0.05"), ("US-LA", date(2018, 7, 1), "0.0445"), ("US-LA", date(2025, 1, 1), "0.05"),
    ("US-NM", date(2022, 7, 1), "0.05"), ("US-NM", date(2023, 7, 1), "0.04875"),
    ("US-SD", date(2023, 6, 30), "0.045"), ("US-SD", date(2023, 7, 1), "0.042"),
    ("US-UT", date(2019, 3, 31), "0.0595"), ("US-UT", date(2019, 4, 1), "0.061"),
    ("US-DC", date(2018, 9, 30), "0.0575"), ("US-DC", date(2018, 10, 1), "0.06"), ("US-DC", date(2026, 10, 1), "0.07"),
    ("US-CA", date(2024, 2, 1), "0.0725"), ("US-AK", date(2024, 2, 1), "0"),
])
def test_rate_changes_on_their_dates(place, on, rate):
    assert in_force(place, on)["rate"] == rate


def test_category_rows_only_where_a_whole_category_has_another_rate():
    categories = {(r["jurisdiction"], r["category"]) for r in ROWS if r["category"]}
    assert categories == {("US-CT", "saas"), ("US-CT", "digital"),
                          ("MY", "digital"), ("MY", "saas"), ("MY", "services")}
    assert in_force("US-CT", date(2024, 1, 1), "saas")["rate"] == "0.01"
    assert in_force("US-CT", date(2019, 10, 1), "digital") is None  # the standard 6.35% from then on
    assert in_force("MY", date(2024, 3, 1), "digital")["rate"] == "0.08"


def test_local_rates_come_from_a_tax_foundation_edition_and_are_never_copied_into_a_missing_one():
    with_local = [r for r in ROWS if r["average_local"] is not None and r["jurisdiction"].startswith("US-")]
    assert with_local and all(any("taxfoundation.org" in s for s in r["sources"]) for r in with_local)
    # January editions 2019-2025, July 2025 and 2026 were read; the other July editions were not
    assert in_force("US-TX", date(2024, 3, 1))["average_local"] == "0.0195"
    assert in_force("US-TX", date(2024, 8, 1))["average_local"] is None
    assert in_force("US-TX", date(2018, 8, 1))["average_local"] is None
    assert in_force("US-TX", date(2025, 8, 1))["highest_combined"] == "0.0825"
    assert in_force("US-TX", date(2025, 3, 1))["highest_combined"] is None  # that edition gives no max local rate


@pytest.mark.parametrize("state, highest", [("US-CA", "0.1125"), ("US-VA", "0.07"), ("US-NJ", "0.06625"),
                                            ("US-CO", "0.12"), ("US-AK", "0.0785"), ("US-NY", "0.08875")])
def test_highest_combined_rate_as_the_table_gives_it(state, highest):
    """State + max local; less the statewide add-on the table counts in both (CA, UT, VA); NJ's max local replaces."""
    assert in_force(state, date(2026, 2, 1))["highest_combined"] == highest


def test_every_state_without_a_sales_tax_has_a_zero_rate():
    for state in NO_SALES_TAX:
        assert {r["rate"] for r in ROWS if r["jurisdiction"] == state} == {"0"}


# Rates confirmed on the revenue department's own page (review of 2026-12-05): the department's page is the
# first source and the secondary sources read before stay after it.
OFFICIAL_ON_2026_10_31 = [
    ("US-LA", "revenue.louisiana.gov"),
    ("US-CA", "cdtfa.ca.gov"), ("US-TX", "comptroller.texas.gov"), ("US-NY", "tax.ny.gov"),
    ("US-IL", "tax.illinois.gov"), ("US-PA", "pa.gov/agencies/revenue"),
    ("US-OH", "tax.ohio.gov"), ("US-NC", "ncdor.gov"), ("US-NJ", "nj.us/treasury/taxation"),
    ("US-MA", "mass.gov/dor"), ("US-TN", "revenue.support.tn.gov"), ("US-IN", "in.us/dor"),
    ("US-MD", "marylandtaxes.com"), ("US-WI", "revenue.wi.gov"), ("US-CO", "colorado.gov/cms/forms/dor-tax"),
]


@pytest.mark.parametrize("state, host", OFFICIAL_ON_2026_10_31)
def test_state_rate_in_force_on_the_sample_date_rests_on_the_revenue_department(state, host):
    row = in_force(state, date(2026, 10, 31))
    assert row["confidence"] == "official" and row["last_verified"] == REVIEWED.isoformat()
    assert host in row["sources"][0] and len(row["sources"]) > 1


def test_louisiana_five_percent_from_2025_rests_on_the_department_of_revenue():
    """LDR: 4.45% as of 2024-12-31, 5% as of 2025-01-01 (until 2029-12-31), Act 11 of the 2024 3rd E.S."""
    assert in_force("US-LA", date(2024, 12, 31))["rate"] == "0.0445"
    for on in (date(2025, 1, 1), date(2025, 7, 1), date(2026, 10, 31)):
        row = in_force("US-LA", on)
        assert row["rate"] == "0.05" and row["confidence"] == "official"
        assert row["sources"][0].startswith("https://revenue.louisiana.gov/")


def test_district_of_columbia_six_percent_to_7_percent_on_1_october_2026_rests_on_the_code():
    """D.C. Code 47-2002(a) as amended by the FY 2026 Budget Support Act (D.C. Law 26-55): '6.0% before October 1,
    2026, and 7.0% beginning on October 1, 2026'; the 6.5% once scheduled for 2025-10-01 never applied."""
    assert [in_force("US-DC", on)["rate"] for on in (date(2025, 10, 1), date(2026, 9, 30), date(2026, 10, 1))] == [
        "0.06", "0.06", "0.07"]
    for on in (date(2025, 10, 1), date(2026, 1, 1), date(2026, 10, 1)):
        row = in_force("US-DC", on)
        assert row["confidence"] == "official" and day(row["last_verified"]) == PRIMARY
        assert "DCCouncil/law-xml-codified" in row["sources"][0] and row["sources"][0].endswith("/47-2002.xml")


@pytest.mark.parametrize("state, host, rate", [
    ("US-MI", "michigan.gov/taxes", "0.06"), ("US-WA", "dor.wa.gov", "0.065"),
])
def test_state_rates_read_on_the_revenue_department_on_2026_12_06(state, host, rate):
    row = in_force(state, date(2026, 10, 31))
    assert (row["rate"], row["confidence"], day(row["last_verified"])) == (rate, "official", PRIMARY)
    assert host in row["sources"][0] and len(row["sources"]) > 1


def test_a_rate_resting_on_a_secondary_source_says_it_is_not_verified():
    """The rate's first source is the revenue department or the statute, or the row says 'secondary': a think
    tank's table, a course's CSV, an open dataset or a vendor's page never make a rate 'official'."""
    assert unmarked(ROWS, "tax-rates") == []


@pytest.mark.parametrize("sources, expected", [
    (["https://github.com/sta199-s26/sta199-s26.github.io/blob/x/slides/data/sales-taxes-25.csv"], "secondary source"),
    (["https://taxfoundation.org/data/all/state/sales-tax-rates/", "https://tax.nv.gov/"], "secondary source"),
    (["https://example.com/rates"], "in no list"),
])
def test_the_source_check_catches_an_unmarked_row(sources, expected):
    row = dict(in_force("US-NV", date(2026, 1, 1)), sources=sources, confidence="official")
    assert any(expected in problem for problem in unmarked([row], "tax-rates"))


def test_nevada_rests_on_the_department_of_taxation_not_on_a_think_tank_or_a_course():
    """The Department's 6.85% rate sheet, for the counties without a local option, effective 2009-07-01: every row
    since 2018 cites it first; the Tax Foundation's tables (and a course's copy of them) stay after it, for the
    average local and highest combined rates."""
    rows = [r for r in ROWS if r["jurisdiction"] == "US-NV"]
    assert len(rows) == 16 and {r["rate"] for r in rows} == {"0.0685"}
    for row in rows:
        assert row["sources"][0] == "https://tax.nv.gov/Publications/Sales_and_Use_Tax_Publications/"
        assert (row["confidence"], day(row["last_verified"])) == ("official", PRIMARY)
        assert "effective 7/1/2009" in row["notes"]


@pytest.mark.parametrize("state, host, since", [
    ("US-OH", "tax.ohio.gov", "2013-09-01"), ("US-NJ", "state.nj.us/treasury", "January 1, 2018"),
    ("US-IN", "state.in.us/dor", "April 1, 2008"), ("US-MD", "marylandtaxes.com", "January 3, 2008"),
    ("US-NC", "ncdor.gov", "april-1-2017"),
])
def test_a_notice_of_a_rate_in_force_before_2018_confirms_every_row_since(state, host, since):
    """The revenue department's notice gives the day the rate began, before 2018: it is the first source of every
    row of the state since 2018, not of the current row only."""
    for row in (r for r in ROWS if r["jurisdiction"] == state):
        assert row["confidence"] == "official" and host in row["sources"][0], row["effective_from"]
        assert since in row["notes"] + row["sources"][0]


@pytest.mark.parametrize("state, host, words", [
    ("US-TX", "casetext.com", "6-1/4 percent"), ("US-NY", "nysenate.gov", "four percent"),
    ("US-WI", "casetext.com", "5 percent"), ("US-MI", "casetext.com", "6% of the gross proceeds"),
    ("US-CO", "getpocketlaw.com", "two and ninety one-hundredths percent"), ("US-PA", "pacode.com", "rate of 6%"),
    ("US-TN", "statutes.laws.com", "seven percent (7%)"), ("US-MA", "law.onecle.com", "6.25 per cent"),
    ("US-DE", "revenue.delaware.gov", "does not impose a state or local sales tax"),
    ("US-MN", "revisor.mn.gov", "expires July 1, 2034"),
    ("US-IL", "ilga.gov", "at the rate of 6.25% of gross receipts"),
])
def test_rows_before_2026_rest_on_the_statute_or_the_department(state, host, words):
    """Each row before 2026 cites first the statute (or the department's page) that sets the rate, in its words;
    the 2026 row keeps the department's page read on 2026-12-05 first (Delaware's every row)."""
    for row in (r for r in ROWS if r["jurisdiction"] == state and (r["effective_from"] < "2026" or state == "US-DE")):
        assert row["confidence"] == "official" and host in row["sources"][0], row["effective_from"]
        assert words in row["notes"] and day(row["last_verified"]) == PRIMARY


def test_florida_rests_on_its_statutes_up_to_the_2023_edition_and_says_nothing_beyond():
    """s. 212.06 (2011) and s. 212.05 (2023 edition): 6%; no primary text read covers the rows from 2024-07-01, so
    they stay 'secondary' and the estimate says the rate is not verified."""
    for row in (r for r in ROWS if r["jurisdiction"] == "US-FL"):
        confirmed = row["effective_from"] <= "2024-01-01"
        assert row["rate"] == "0.06" and (row["confidence"] == "official") is confirmed, row["effective_from"]
        assert ("flsenate.gov" in row["sources"][0]) is confirmed


ABROAD_ON_THE_AUTHORITY_OR_STATUTE = [
    ("AU", date(2015, 1, 1), "ato.gov.au", "is 10%"),
    ("AU", date(2026, 10, 31), "ato.gov.au", "no change to the GST rate"),
    ("GB", date(2015, 1, 1), "legislation.gov.uk", "on or after 4 January 2011"),
    ("GB", date(2026, 10, 31), "legislation.gov.uk", "at the rate of 20 per cent"),
    ("NO", date(2015, 1, 1), "skatteetaten.no", "Siden 1. januar 2005 har den alminnelige satsen vært 25 %"),
    ("CH", date(2018, 1, 1), "estv.admin.ch", "From 1 January 2018 until 31 December 2023"),
    ("CH", date(2024, 1, 1), "estv.admin.ch", "Normal rate: 8,1 %"),
    ("CA", date(2015, 1, 1), "justice.gc.ca", "calculated at the rate of 5%"),
    ("CA-ON", date(2015, 1, 1), "cra-arc.gc.ca", "April 1, 2013 and subsequent"),
    ("CA-NB", date(2016, 6, 30), "canada.ca", "13% from April 1, 2013 to June 30, 2016"),
    ("CA-NB", date(2016, 7, 1), "canada.ca", "15% from July 1, 2016"),
    ("CA-NL", date(2016, 6, 30), "canada.ca", "13% from April 1, 2013 to June 30, 2016"),
    ("CA-NL", date(2016, 7, 1), "canada.ca", "15% from July 1, 2016"),
    ("CA-PE", date(2016, 9, 30), "canada.ca", "14% from April 1, 2013 to September 30, 2016"),
    ("CA-PE", date(2016, 10, 1), "revenuquebec.ca", "Prince Edward Island 15%"),
    ("CA-NS", date(2025, 3, 31), "canada.ca", "Nova Scotia 15%"),
    ("CA-NS", date(2025, 4, 1), "gazette.gc.ca", "the prescribed rate for Nova Scotia is 9%"),
    ("CA-QC", date(2015, 1, 1), "revenuquebec.ca", "the QST rate has been increased to 9.975%"),
    ("NZ", date(2015, 1, 1), "ird.govt.nz", "From 1 October 2010 the rate of GST was increased from 12.5% to 15%"),
    ("JP", date(2019, 10, 1), "mof.go.jp", "Standard tax rate: 10%"),
    ("CH", date(2015, 1, 1), "ezv.admin.ch", "'Normalsatz 8,0 %' until 31.12.2017"),
    ("ZA", date(2015, 1, 1), "docslib.org", "calculated at the rate of 14 per cent"),
    ("FR", date(2015, 1, 1), "doctrine.fr", "Le taux normal de la taxe sur la valeur ajoutée est fixé à 20 %"),
    ("IE", date(2020, 9, 1), "revisedacts.lawreform.ie", "substituted '21 per cent' for '23 per cent'"),
    ("IE", date(2021, 3, 1), "revisedacts.lawreform.ie", "from 1 September 2020 to 28 February 2021"),
    ("IT", date(2016, 1, 1), "normattiva.it", "nella misura del ventidue per cento"),
    ("PT", date(2015, 1, 1), "portaldasfinancas.gov.pt", "a taxa de 23%.(Redação da Lei n.º 55-A/2010"),
    ("DE", date(2020, 7, 1), "deubner-steuern.de", "'mit dem Umsatzsteuersatz von 16 Prozent bzw. 5 Prozent'"),
    ("DE", date(2021, 1, 1), "deubner-steuern.de", "'der dann gültige Steuersatz von 19 Prozent bzw. 7 Prozent'"),
    ("SE", date(2024, 1, 1), "skatteverket.se", "'Normalskattesatsen är 25 procent av beskattningsunderlaget"),
    ("AE", date(2018, 1, 1), "mof.gov.ae", "'that was introduced in January 2018 (at a rate of 5%)'"),
    ("AE", date(2026, 10, 31), "mof.gov.ae", "No later change in the texts read"),
    ("FI", date(2015, 1, 1), "finlex.fi", "'84 § Suoritettava vero on 24 prosenttia veron perusteesta'"),
    ("FI", date(2024, 8, 31), "finlex.fi", "'The general VAT rate has increased from 24% to 25.5%"),
    ("RO", date(2016, 1, 1), "consultantavocat.ro", "'a) 20% începând cu data de 1 ianuarie 2016 și până la"),
    ("SK", date(2025, 1, 1), "financnasprava.sk", "a to základná vo výške 23 %"),
    ("DK", date(2015, 1, 1), "info.skat.dk", "Afgiften udgør 25 pct. af afgiftsgrundlaget"),
    ("DK", date(2026, 10, 31), "info.skat.dk", "'01.01.92 - 25 pct.' with no end"),
]


@pytest.mark.parametrize("place, on, host, words", ABROAD_ON_THE_AUTHORITY_OR_STATUTE)
def test_rates_abroad_rest_on_the_tax_authority_or_the_statute(place, on, host, words):
    """The standard rate in force on the day cites first the national tax authority's page or the statute that sets
    it, read on 2026-12-06, in its words; open datasets and vendors' pages stay after it."""
    row = in_force(place, on)
    assert (row["confidence"], day(row["last_verified"])) == ("official", PRIMARY)
    assert host in row["sources"][0] and words in row["notes"], row["sources"][0]


@pytest.mark.parametrize("state, host, words", [
    ("US-HI", "capitol.hawaii.gov", "four per cent of the gross proceeds"),
    ("US-KS", "kdor.ks.gov", "from 6.15% to 6.5% on July 1, 2015"),
    ("US-ID", "tax.idaho.gov", "October 2006 to current 6%"),
    ("US-IA", "iowa.gov/tax", "increased from 5 to 6 percent"),
    ("US-MS", "dor.ms.gov", "7% of the gross proceeds"),
    ("US-RI", "legalfix.com", "the tax rate is seven percent (7%)"),
    ("US-AK", "commerce.alaska.gov", "'At present, the State of Alaska does not levy a sales tax."),
    ("US-OR", "sos.oregon.gov", "'Oregon is one of the few states without a sales tax'"),
])
def test_every_row_since_2018_rests_on_the_statute_or_the_department(state, host, words):
    """The statute that sets the rate, or the revenue department's page or notice dating it from before 2018, read on
    2026-12-06 in its words, is the first source of every row of the state since 2018; the Tax Foundation stays after
    it for the average local and highest combined rates."""
    rows = [r for r in ROWS if r["jurisdiction"] == state and r["category"] is None]
    assert len(rows) == 16
    for row in rows:
        assert (row["confidence"], day(row["last_verified"])) == ("official", PRIMARY), row["effective_from"]
        assert host in row["sources"][0] and words in row["notes"], row["effective_from"]
        assert any("taxfoundation" in s.lower() for s in row["sources"][1:])


def test_california_since_2018_rests_on_the_cdtfa_notice_of_the_7_25_percent_rate_from_2017():
    """CDTFA's notice: 7.50% -> 7.25% statewide from 2017-01-01 when Proposition 30's quarter percent expired; it
    dates the rate of every row since 2018, and the 2026 row keeps the rate page read on 2026-12-05 first."""
    rows = [r for r in ROWS if r["jurisdiction"] == "US-CA" and r["category"] is None]
    assert len(rows) == 16 and {r["rate"] for r in rows} == {"0.0725"}
    for row in rows:
        assert row["confidence"] == "official" and "cdtfa.ca.gov" in row["sources"][0], row["effective_from"]
    assert all("new rate of 7.25 percent" in r["notes"] for r in rows if r["effective_from"] < "2026")


@pytest.mark.parametrize("state, since, until, host, words", [
    ("US-CT", "2019-07-01", "2024-07-01", "ct.egov.com/drs", "meals currently taxed at 6.35%"),
    ("US-ND", "2022-07-01", "2022-07-01", "tax.nd.gov", "'The North Dakota sales tax rate is 5%"),
    ("US-AZ", "2020-07-01", "2020-07-01", "info.5y1.org", "the state's transaction privilege tax rate of 5.6%"),
    ("US-NE", "2018-01-01", "2024-07-01", "casetext.com", "'five and one-half percent'"),
    ("US-SC", "2018-01-01", "2019-07-01", "partnertax.ai", "casual excise tax equal to one percent"),
    ("US-WA", "2025-07-01", "2026-01-01", "dor.wa.gov", "every location's state rate .0650"),
    ("IE", "2020-09-01", "2023-05-15", "lawreform.ie", "'21 per cent' for '23 per cent'"),
    ("IT", "2016-01-01", "2023-02-24", "normattiva.it", "nella misura del ventidue per cento"),
    ("DE", "2020-07-01", "2021-01-01", "deubner-steuern.de", "'nach dem 30. Juni 2020 und vor dem 1. Januar 2021'"),
    ("SE", "2024-01-01", "2024-12-31", "skatteverket.se", "'Normalskattesatsen är 25 procent"),
    ("US-AR", "2018-01-01", "2019-01-01", "dfa.arkansas.gov", "'State Sales and Use Tax 07/01/2013 6.500%'"),
    ("RO", "2016-01-01", "2016-01-01", "consultantavocat.ro", "b) 19% începând cu data de 1 ianuarie 2017'"),
    ("SK", "2025-01-01", "2025-01-01", "financnasprava.sk", "'zmeny v sadzbách dane účinné od 1.1.2025'"),
])
def test_only_rows_within_the_dates_of_the_primary_texts_read_rest_on_them(state, since, until, host, words):
    """A department's page or a statute's copy read on 2026-12-06 confirms the rate for the dates it speaks of (the
    DRS's 2019 and 2020 pages and the Code current through 2024; the North Dakota page written for the end of 2022;
    Arizona's rate tables effective 2020-07-01; Nebraska's statute current through 2024; South Carolina's Code of
    2019; Ireland's Revised Act of s. 46 updated to 2023-05-15, which dates 23% only around the 21% of 2020-09-01 to
    2021-02-28; Italy's art. 16 in the version in force from 2016-01-01; Germany's Finance Ministry letters of 2020 on
    the 16% and the return to 19% on 2021-01-01; Skatteverket's guidance of edition 2024.2; Arkansas's undated table of
    statewide rates, whose latest entry is effective 2019-01-01; Romania's Fiscal Code art. 291(1) in a copy of 2019,
    which gives 20% for 2016 alone, the 19% row's end resting on news; Slovakia's Financial Administration on 23% from
    2025-01-01); rows outside them keep
    the Tax Foundation or the datasets first and stay 'secondary', so an estimate over those months says the rate is
    not verified."""
    rows = [r for r in ROWS if r["jurisdiction"] == state and r["category"] is None]
    for row in rows:
        confirmed = since <= row["effective_from"] <= until
        assert (row["confidence"] == "official") is confirmed, row["effective_from"]
        assert (host in row["sources"][0] and words in row["notes"]) is confirmed, row["effective_from"]


def test_louisiana_4_45_percent_rests_on_the_department_only_for_the_end_of_2024():
    """The LDR's FAQ gives 4.45% 'as of 2024-12-31': the row of the second half of 2024 rests on it; the 4.45% rows
    from 2018-07-01 to 2024-06-30 keep a news report first and stay 'secondary'."""
    rows = [r for r in ROWS if r["jurisdiction"] == "US-LA" and r["rate"] == "0.0445"]
    assert [r["effective_from"] for r in rows if r["confidence"] == "official"] == ["2024-07-01"]
    assert in_force("US-LA", date(2024, 12, 31))["sources"][0].startswith("https://revenue.louisiana.gov/")
