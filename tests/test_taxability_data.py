"""Issue 20's reference data: taxability by category, voluntary disclosure, penalties and interest.

Each checker below returns the problems it finds as 'file: row: message' strings, so that a test can show
both that the bundled tables are clean and that the checker catches a bad row (a check that cannot fail
proves nothing).
"""
from __future__ import annotations

import copy
import json
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from importlib import resources

import pytest

from data_sources import kind, unmarked
from nexus import datafiles, penalties
from nexus.errors import RulesError
from nexus.voluntary_disclosure import vda_scenario
from nexus.exposure_records import Range
from nexus.rules import CATEGORIES, load_rules
from nexus.tax_rates import load_tax_book

TODAY = date(2026, 12, 4)
START = date(2018, 1, 1)
EU_MEMBERS = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT",
              "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"}
CONFIDENCE = {"official", "secondary", "conflict", "unknown"}


def load(name: str) -> dict:
    return json.loads(resources.files("nexus").joinpath("data").joinpath(name).read_text(encoding="utf-8"))


def day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def fraction(text, where: str, problems: list[str], field: str) -> None:
    """A rate or share: a decimal string between 0 and 1 (never a float)."""
    if not isinstance(text, str):
        problems.append(f"{where}: {field} {text!r} is not a decimal string")
        return
    try:
        value = Decimal(text)
    except InvalidOperation:
        problems.append(f"{where}: {field} {text!r} is not a decimal")
        return
    if not Decimal(0) <= value <= Decimal(1):
        problems.append(f"{where}: {field} {text} is outside [0, 1]")


def provenance(rows: list[dict], name: str) -> list[str]:
    problems = []
    for i, row in enumerate(rows):
        where = f"{name}: row {i} ({row.get('jurisdiction')})"
        sources = row.get("sources") or []
        if not sources or not all(isinstance(s, str) and s.startswith(("https://", "http://")) for s in sources):
            problems.append(f"{where}: sources must be a non-empty list of URLs")
        for field in ("effective_from", "last_verified"):
            try:
                date.fromisoformat(row.get(field) or "")
            except ValueError:
                problems.append(f"{where}: {field} {row.get(field)!r} is not a date")
        if row.get("effective_to") is not None:
            try:
                if date.fromisoformat(row["effective_to"]) < date.fromisoformat(row["effective_from"]):
                    problems.append(f"{where}: effective_to is before effective_from")
            except (ValueError, TypeError):
                problems.append(f"{where}: effective_to {row.get('effective_to')!r} is not a date")
        if row.get("confidence") not in CONFIDENCE:
            problems.append(f"{where}: confidence {row.get('confidence')!r}")
        if not row.get("notes"):
            problems.append(f"{where}: no notes")
    return problems


def overlaps(rows: list[dict], key, name: str) -> list[str]:
    """Two versions of one row never overlap in dates."""
    problems = []
    groups: dict = {}
    for row in rows:
        groups.setdefault(key(row), []).append(row)
    for k, group in groups.items():
        group = sorted(group, key=lambda r: r["effective_from"])
        for a, b in zip(group, group[1:]):
            if a["effective_to"] is None or a["effective_to"] >= b["effective_from"]:
                problems.append(f"{name}: {k}: {a['effective_from']}..{a['effective_to']} overlaps {b['effective_from']}")
    return problems


def gaps_from_start(rows: list[dict], key, wanted, name: str) -> list[str]:
    """Every wanted key has rows covering every day from 2018-01-01 on, with no gap."""
    problems = []
    for k in wanted:
        group = sorted((r for r in rows if key(r) == k), key=lambda r: r["effective_from"])
        if not group:
            problems.append(f"{name}: no row for {k}")
            continue
        if day(group[0]["effective_from"]) > START:
            problems.append(f"{name}: {k} starts {group[0]['effective_from']}, after 2018-01-01")
        for a, b in zip(group, group[1:]):
            if a["effective_to"] is None or day(a["effective_to"]) + timedelta(days=1) != day(b["effective_from"]):
                problems.append(f"{name}: {k}: gap or overlap between {a['effective_to']} and {b['effective_from']}")
        if group[-1]["effective_to"] is not None:
            problems.append(f"{name}: {k} ends {group[-1]['effective_to']}: nothing in force after it")
    return problems


def taxability_problems(doc: dict) -> list[str]:
    rows = doc["rules"]
    kinds = doc["kinds"]
    problems = provenance(rows, "taxability")
    for i, row in enumerate(rows):
        where = f"taxability: row {i} ({row['jurisdiction']} {row.get('category')})"
        if row.get("category") not in CATEGORIES or row.get("category") not in kinds["category"]:
            problems.append(f"{where}: category {row.get('category')!r}")
        if row.get("taxable") not in kinds["taxable"]:
            problems.append(f"{where}: taxable {row.get('taxable')!r}")
        if row.get("taxable") == "partial":
            fraction(row.get("share"), where, problems, "share")
        elif row.get("share") is not None:
            problems.append(f"{where}: a share only goes with taxable 'partial'")
        if row.get("taxable") == "unknown" and "not" not in row["notes"].lower():
            problems.append(f"{where}: an unknown row says why")
        if row.get("establishment") is not None and row["establishment"] not in kinds["establishment"]:
            problems.append(f"{where}: establishment {row['establishment']!r}")
    # Rows for established and non-established sellers are two readings of one country: each without overlaps,
    # and a row for both overlaps neither.
    for reading in ("established", "non_established"):
        mine = [r for r in rows if r.get("establishment") in (None, reading)]
        problems += overlaps(mine, lambda r: (r["jurisdiction"], r["category"]), "taxability")
    return sorted(set(problems), key=problems.index)


def disclosure_problems(doc: dict) -> list[str]:
    rows = doc["rules"]
    kinds = doc["kinds"]
    problems = provenance(rows, "voluntary-disclosure")
    for i, row in enumerate(rows):
        where = f"voluntary-disclosure: row {i} ({row['jurisdiction']})"
        if row.get("programme") not in kinds["programme"]:
            problems.append(f"{where}: programme {row.get('programme')!r}")
        for field in ("penalties_waived", "interest_waived"):
            if row.get(field) not in kinds["waived"]:
                problems.append(f"{where}: {field} {row.get(field)!r}")
        months = row.get("lookback_months")
        if months is not None and (not isinstance(months, int) or isinstance(months, bool) or not 1 <= months <= 240):
            problems.append(f"{where}: lookback_months {months!r}")
        lookback = row.get("lookback", "months" if months is not None else "unknown")
        if lookback not in kinds["lookback"] or (lookback == "months") != (months is not None):
            problems.append(f"{where}: lookback {lookback!r} with lookback_months {months!r}")
        if row.get("established", "unknown") not in kinds["established"]:
            problems.append(f"{where}: established {row.get('established')!r}")
    problems += overlaps(rows, lambda r: r["jurisdiction"], "voluntary-disclosure")
    return problems


def penalty_problems(doc: dict) -> list[str]:
    rows = doc["rules"]
    kinds = doc["kinds"]
    problems = provenance(rows, "penalties-interest")
    for i, row in enumerate(rows):
        where = f"penalties-interest: row {i} ({row['jurisdiction']} from {row['effective_from']})"
        for field in ("late_filing", "late_payment"):
            items = row.get(field)
            if items is None:
                continue
            if not isinstance(items, list) or not items:
                problems.append(f"{where}: {field} must be null or a non-empty list")
                continue
            for item in items:
                if item.get("per") not in kinds["per"]:
                    problems.append(f"{where}: {field} per {item.get('per')!r}")
                if (item.get("rate") is None) == (item.get("amount") is None):
                    problems.append(f"{where}: {field} item needs exactly one of rate and amount")
                if item.get("rate") is not None:
                    fraction(item["rate"], where, problems, f"{field} rate")
                if item.get("cap") is not None:
                    fraction(item["cap"], where, problems, f"{field} cap")
                for money in ("amount", "minimum"):
                    if item.get(money) is not None and not (isinstance(item[money], str) and Decimal(item[money]) > 0):
                        problems.append(f"{where}: {field} {money} {item[money]!r} is not a positive decimal string")
                if item.get("cap_scope", "item") not in kinds["cap_scope"]:
                    problems.append(f"{where}: cap_scope {item.get('cap_scope')!r}")
                if not isinstance(item.get("after_days", 0), int) or item.get("after_days", 0) < 0:
                    problems.append(f"{where}: after_days {item.get('after_days')!r}")
                if not (isinstance(item.get("currency"), str) and len(item["currency"]) == 3):
                    problems.append(f"{where}: {field} currency {item.get('currency')!r}")
                if not item.get("wording"):
                    problems.append(f"{where}: {field} item without the source's wording")
        if row.get("penalties_combine") is not None and row["penalties_combine"] not in kinds["penalties_combine"]:
            problems.append(f"{where}: penalties_combine {row['penalties_combine']!r}")
        periods = row.get("interest")
        if periods is not None:
            if row.get("interest_method") not in kinds["interest_method"]:
                problems.append(f"{where}: interest_method {row.get('interest_method')!r}")
            for period in periods:
                fraction(period.get("annual_rate"), where, problems, "annual_rate")
                start, end = day(period["effective_from"]), day(period["effective_to"])
                if start < day(row["effective_from"]) or (row["effective_to"] is not None
                                                         and (end is None or end > day(row["effective_to"]))):
                    problems.append(f"{where}: interest period {start}..{end} outside the row's dates")
            problems += overlaps([dict(p, jurisdiction=row["jurisdiction"]) for p in periods],
                                 lambda r: r["jurisdiction"], f"{where}: interest")
        if not (row.get("late_filing") or row.get("late_payment") or row.get("interest")) and "not" not in row["notes"]:
            problems.append(f"{where}: a row without figures says they were not found or do not apply")
    problems += overlaps(rows, lambda r: r["jurisdiction"], "penalties-interest")
    return problems


TAXABILITY = load("taxability.json")
DISCLOSURE = load("voluntary-disclosure.json")
PENALTIES = load("penalties-interest.json")


def sales_tax_states() -> set[str]:
    """US states with a general sales tax on some day since 2018, DC, and Alaska (the ARSSTC's local taxes)."""
    book = load_rules()
    taxing = {r.jurisdiction for r in book.rules if r.jurisdiction.startswith("US-") and r.sales_tax}
    return taxing | {"US-AK", "US-DC"}


def countries() -> set[str]:
    """Every jurisdiction outside the US with a rule, and the EU's member states."""
    return {r.jurisdiction for r in load_rules().rules if not r.jurisdiction.startswith("US-")} | EU_MEMBERS


def all_states() -> set[str]:
    return {r.jurisdiction for r in load_rules().rules if r.jurisdiction.startswith("US-")}


PUBLISHED = {"taxability": "2026-12-04", "voluntary-disclosure": "2026-12-04", "penalties-interest": "2026-12-08"}


@pytest.mark.parametrize("name, doc, checker", [
    ("taxability", TAXABILITY, taxability_problems),
    ("voluntary-disclosure", DISCLOSURE, disclosure_problems),
    ("penalties-interest", PENALTIES, penalty_problems),
])
def test_bundled_tables_are_clean(name, doc, checker):
    assert checker(doc) == []
    # The edition's date: penalties-interest.json's of 2026-12-08, when six monthly due dates were read into it
    assert doc["published"] == PUBLISHED[name] and doc["about"] and doc["title"]
    rows = doc["rules"]
    assert rows == sorted(rows, key=lambda r: (r["jurisdiction"], r.get("category", ""), r.get("establishment") or "",
                                               r["effective_from"]))


@pytest.mark.parametrize("checker, doc, change, expected", [
    (taxability_problems, TAXABILITY, {"sources": []}, "sources"),
    (taxability_problems, TAXABILITY, {"last_verified": None}, "last_verified"),
    (taxability_problems, TAXABILITY, {"effective_from": "2018-13-01"}, "effective_from"),
    (taxability_problems, TAXABILITY, {"taxable": "maybe"}, "taxable"),
    (taxability_problems, TAXABILITY, {"category": "food"}, "category"),
    (taxability_problems, TAXABILITY, {"share": "0.8"}, "share only goes with"),
    (taxability_problems, TAXABILITY, {"taxable": "partial", "share": 0.8}, "decimal string"),
    (taxability_problems, TAXABILITY, {"taxable": "partial", "share": "1.2"}, "outside [0, 1]"),
    (taxability_problems, TAXABILITY, {"confidence": "sure"}, "confidence"),
    (taxability_problems, TAXABILITY, {"establishment": "domestic"}, "establishment"),
    (disclosure_problems, DISCLOSURE, {"programme": "federal"}, "programme"),
    (disclosure_problems, DISCLOSURE, {"penalties_waived": "mostly"}, "penalties_waived"),
    (disclosure_problems, DISCLOSURE, {"lookback_months": "36"}, "lookback_months"),
    (disclosure_problems, DISCLOSURE, {"lookback": "none", "lookback_months": 36}, "lookback 'none'"),
    (disclosure_problems, DISCLOSURE, {"lookback": "forever", "lookback_months": None}, "lookback 'forever'"),
    (disclosure_problems, DISCLOSURE, {"established": "true"}, "established 'true'"),
    (penalty_problems, PENALTIES, {"penalties_combine": "both"}, "penalties_combine"),
    (penalty_problems, PENALTIES, {"late_filing": [{"rate": "5", "per": "month", "currency": "USD", "wording": "x"}]},
     "outside [0, 1]"),
    (penalty_problems, PENALTIES, {"late_filing": [{"rate": "0.05", "per": "fortnight", "currency": "USD", "wording": "x"}]},
     "per"),
    (penalty_problems, PENALTIES, {"late_filing": [{"rate": "0.05", "amount": "50", "per": "once", "currency": "USD",
                                                    "wording": "x"}]}, "exactly one of rate and amount"),
    (penalty_problems, PENALTIES, {"interest": [{"effective_from": "2017-01-01", "effective_to": None, "annual_rate": "0.1"}],
                                   "interest_method": "simple"}, "outside the row's dates"),
    (penalty_problems, PENALTIES, {"interest": [{"effective_from": "2019-01-01", "effective_to": None, "annual_rate": "0.1"},
                                                {"effective_from": "2020-01-01", "effective_to": None, "annual_rate": "0.1"}],
                                   "interest_method": "simple"}, "overlaps"),
])
def test_checkers_catch_a_bad_row(checker, doc, change, expected):
    bad = copy.deepcopy(doc)
    target = next(r for r in bad["rules"] if r["effective_to"] is None and r["effective_from"] == "2018-01-01")
    target.update(change)
    assert any(expected in problem for problem in checker(bad))


def test_checkers_catch_overlapping_versions():
    bad = copy.deepcopy(TAXABILITY)
    bad["rules"].append(dict(next(r for r in bad["rules"] if r["jurisdiction"] == "US-TX" and r["category"] == "saas"),
                             effective_from="2020-01-01"))
    assert any("overlaps" in p for p in taxability_problems(bad))


def test_every_sales_tax_state_dc_and_country_has_all_four_categories_every_day_since_2018():
    wanted = [(j, c) for j in sorted(sales_tax_states() | countries() | all_states()) for c in CATEGORIES]
    for reading in ("established", "non_established"):  # for sellers established there, and for the others
        rows = [r for r in TAXABILITY["rules"] if r.get("establishment") in (None, reading)]
        assert gaps_from_start(rows, lambda r: (r["jurisdiction"], r["category"]), wanted, "taxability") == []


def test_the_coverage_checker_finds_a_gap():
    rows = [r for r in TAXABILITY["rules"] if not (r["jurisdiction"] == "US-IA" and r["effective_from"] == "2019-01-01")]
    problems = gaps_from_start(rows, lambda r: (r["jurisdiction"], r["category"]), [("US-IA", "saas")], "t")
    assert problems == ["t: ('US-IA', 'saas') ends 2018-12-31: nothing in force after it"]


@pytest.mark.parametrize("state", ["US-DE", "US-MT", "US-NH", "US-OR"])
def test_states_without_a_sales_tax_tax_nothing(state):
    assert {r["taxable"] for r in TAXABILITY["rules"] if r["jurisdiction"] == state} == {"no"}


def in_force(rows, jurisdiction, on, category=None, establishment="non_established"):
    """The row in force; a non-established seller's where a country has rows for each."""
    found = [r for r in rows if r["jurisdiction"] == jurisdiction and (category is None or r["category"] == category)
             and r.get("establishment") in (None, establishment)
             and day(r["effective_from"]) <= on and (r["effective_to"] is None or day(r["effective_to"]) >= on)]
    assert len(found) == 1, (jurisdiction, category, on, found)
    return found[0]


@pytest.mark.parametrize("place, category, verdict, caveat", [
    ("US-TX", "saas", "partial", None), ("US-TX", "digital", "yes", None),
    ("US-NJ", "digital", "yes", "New Jersey: digital products are taxed here"),
    ("US-OH", "digital", "yes", None), ("US-OH", "saas", "yes", "Ohio taxes SaaS bought for use in business only"),
    ("US-TN", "saas", "yes", None), ("US-TN", "digital", "yes", None),
    ("US-WA", "digital", "yes", "Washington: digital goods bought solely for business purposes"),
    ("US-WA", "saas", "yes", None), ("US-PA", "digital", "yes", None),
    ("US-VA", "digital", "no", None), ("US-VA", "saas", "no", None),
    ("US-CA", "digital", "no", None), ("US-CA", "saas", "no", None),
    ("US-IN", "digital", "yes", "Indiana taxes digital books, music and video sold for permanent use only"),
    ("US-NY", "digital", "yes", "New York taxes prewritten software downloads"),
    ("US-NY", "saas", "yes", "New York taxes remote access to prewritten software where its users are"),
    ("US-NC", "digital", "yes", None),
    ("US-TX", "services", "unknown", "Texas taxes only the services its Tax Code 151.0101 lists"),
    ("US-NY", "services", "unknown", "New York taxes only the services its Tax Law 1105(c) lists"),
    ("US-NJ", "services", "unknown", "New Jersey taxes only the services its N.J.S.A. 54:32B-3(b) lists"),
    ("US-OH", "services", "unknown", "Ohio taxes only the services its R.C. 5739.01(B)(3) lists"),
    ("US-PA", "services", "unknown", "Pennsylvania taxes only the services its 72 P.S. 7201(k) lists"),
    ("US-IL", "services", "no", "Illinois taxes no service as such"),
    ("US-NC", "services", "unknown", "North Carolina taxes only the services its G.S. 105-164.4 lists"),
    ("US-ND", "digital", "yes", "North Dakota taxes prewritten software downloads"),
    ("US-ID", "digital", "yes", "Idaho taxes digital music, books, videos and games sold for permanent use only"),
    ("US-ID", "saas", "no", None), ("US-MN", "saas", "no", None), ("US-MN", "digital", "yes", None),
    ("US-LA", "saas", "yes", "Louisiana exempts digital products, software access and information services"),
    ("US-CT", "services", "unknown", "Connecticut taxes only the services its statute lists"),
    ("US-PA", "saas", "yes", None), ("US-IL", "saas", "no", None), ("US-FL", "saas", "no", None),
    ("US-UT", "digital", "yes", None), ("US-OK", "digital", "no", None),
    ("US-MA", "saas", "yes", None), ("US-MA", "digital", "yes", "Massachusetts taxes prewritten software downloads"),
    ("US-SD", "digital", "yes", None), ("US-WI", "digital", "yes", None), ("US-SD", "saas", "yes", None),
    ("US-AL", "digital", "yes", None), ("US-KS", "digital", "yes", "Kansas taxes prewritten software downloads"),
    ("US-TN", "services", "unknown", "Tennessee taxes only the services its statute lists"),
    ("US-MO", "services", "no", None),
    ("US-NV", "saas", "no", None),
    ("US-AZ", "digital", "yes", "Arizona taxes prewritten software however it is transferred"),
    ("US-CA", "services", "no", None), ("US-MA", "services", "no", None), ("US-CO", "saas", "no", None),
    ("US-KS", "saas", "no", None), ("US-OK", "saas", "no", None), ("US-IN", "saas", "no", None),
])
def test_rows_read_against_the_states_own_text(place, category, verdict, caveat):
    """The review of 2026-12-06 read these rows against the revenue department's guidance or the statute: each rests
    on that text first (official, verified that day); where the rule has a condition the orders cannot show, the
    row's caveat puts it in the estimate."""
    row = in_force(TAXABILITY["rules"], place, TODAY, category)
    assert (row["taxable"], row["confidence"], row["last_verified"]) == (verdict, "official", "2026-12-06")
    assert kind(row["sources"][0]) in ("primary", "copy")
    assert (row.get("caveat") or "").startswith(caveat or "")
    assert bool(row.get("caveat")) == bool(caveat)


def test_texas_taxes_saas_on_eighty_percent_of_the_price():
    row = in_force(TAXABILITY["rules"], "US-TX", TODAY, "saas")
    assert (row["taxable"], row["share"]) == ("partial", "0.8")
    assert [r["jurisdiction"] for r in TAXABILITY["rules"] if r["taxable"] == "partial"] == ["US-TX"]


@pytest.mark.parametrize("state", ["US-HI", "US-NM", "US-SD", "US-WV"])
def test_states_that_tax_services_by_default(state):
    assert in_force(TAXABILITY["rules"], state, TODAY, "services")["taxable"] == "yes"


# Services partly taxable from a date, hence unknown (not estimated): no share of a seller's services can be given.
PARTLY_TAXED_SERVICES = {"US-MD": "2025-07-01", "US-LA": "2025-01-01", "US-IA": "2019-01-01",
                         "US-KY": "2023-01-01"}
# Services of which the statute, read on 2026-12-06, taxes a list that takes in services sold online (data
# processing, information services, editing, software maintenance): unknown on every day, for the same reason.
LISTED_SERVICES_TAXED = {"US-TX", "US-NY", "US-NJ", "US-OH", "US-PA", "US-NC", "US-CT", "US-DC", "US-TN"}


def test_other_states_tax_only_enumerated_services():
    others = sales_tax_states() - {"US-HI", "US-NM", "US-SD", "US-WV", "US-AK"} - set(PARTLY_TAXED_SERVICES)
    others -= LISTED_SERVICES_TAXED | {"US-WA"}
    for state in others:
        row = in_force(TAXABILITY["rules"], state, TODAY, "services")
        assert row["taxable"] == "no" and row["notes"].startswith("Only enumerated services are taxable"), state


@pytest.mark.parametrize("state, category, change", [
    ("US-IA", "saas", "2019-01-01"), ("US-IA", "digital", "2019-01-01"), ("US-RI", "saas", "2018-10-01"),
    ("US-MD", "saas", "2021-03-14"), ("US-MD", "digital", "2021-03-14"), ("US-VT", "saas", "2024-07-01"),
    ("US-KY", "saas", "2023-01-01"), ("US-LA", "saas", "2025-01-01"),
])
def test_states_that_began_taxing_saas_or_digital_products(state, category, change):
    when = date.fromisoformat(change)
    assert in_force(TAXABILITY["rules"], state, when - timedelta(days=1), category)["taxable"] == "no"
    assert in_force(TAXABILITY["rules"], state, when, category)["taxable"] == "yes"


def test_a_regime_for_digital_services_only_leaves_goods_out():
    for country in ("IN", "KR", "MX", "ZA", "JP"):
        row = in_force(TAXABILITY["rules"], country, TODAY, "goods")
        assert row["taxable"] == "no" and "Outside the" in row["notes"], country
        assert in_force(TAXABILITY["rules"], country, TODAY, "digital")["taxable"] == "yes"


def test_eu_goods_enter_the_union_scheme_on_1_july_2021():
    for country in ("EU", "DE", "FR"):
        assert in_force(TAXABILITY["rules"], country, date(2021, 6, 30), "goods")["taxable"] == "no"
        assert in_force(TAXABILITY["rules"], country, date(2021, 7, 1), "goods")["taxable"] == "yes"


def test_every_sales_tax_state_and_dc_has_a_disclosure_row_today():
    have = {r["jurisdiction"] for r in DISCLOSURE["rules"] if r["effective_to"] is None}
    assert sales_tax_states() <= have


def test_disclosure_terms_read_from_state_pages():
    texas = in_force(DISCLOSURE["rules"], "US-TX", TODAY)
    assert (texas["programme"], texas["lookback_months"], texas["penalties_waived"]) == ("state", 48, "yes")
    florida = in_force(DISCLOSURE["rules"], "US-FL", TODAY)
    assert (florida["lookback_months"], florida["interest_waived"]) == (36, "no")
    # Ohio's own FAQ: 'generally the lookback period ... is the 36 months leading up to the submission'; a
    # practitioner's 48 is noted, not used: the revenue department's page wins where no statute says otherwise.
    ohio = in_force(DISCLOSURE["rules"], "US-OH", TODAY)
    assert ohio["lookback_months"] == 36 and "48" in ohio["notes"]
    unknown = [r for r in DISCLOSURE["rules"] if r["programme"] == "unknown"]
    assert all(r["lookback_months"] is None and r["confidence"] == "unknown" for r in unknown)


def test_new_yorks_programme_waives_the_additional_rate_of_interest_so_interest_is_partly_waived():
    """Tax Law 1700: the programme waives penalties 'including the additional rate of interest prescribed under
    section eleven hundred forty-five'; 1145(a)(1)(ii) charges 14.5% a year or the underpayment rate, whichever is
    greater (the penalties-interest row uses 14.5%). Disclosed, interest falls to the underpayment rate, which the data
    does not hold: 'partial', kept in full and said. Before, 'no': the VDA kept 14.5% interest as if nothing were
    waived (USD 1,604.13 of New York's USD 23,185.74 on the sample), and its note did not say it was reduced."""
    new_york = in_force(DISCLOSURE["rules"], "US-NY", TODAY)
    assert (new_york["penalties_waived"], new_york["interest_waived"]) == ("yes", "partial")
    assert "1145(a)(1)(ii)" in new_york["notes"] and "https://lexace.ai/us/statute/new-york/tax-1145" in \
        new_york["sources"]


# Each row as read on 2026-12-06 in the authority's own text (the words are quoted in the row's notes):
# (programme, look-back in months, penalties waived, interest waived, the page or rule it rests on).
READ_2026_12_06 = {
    # "Three full calendar years plus the current period" (the longest case: 36 + 12); "Reduction of all penalties"
    "US-IN": ("state", 48, "partial", "unknown", "https://in.gov/dor/legal-resources/voluntary-disclosure-program"),
    # "pays the tax due plus accrued interest"; the MTC's terms for its participants: "partially or completely waives
    # penalties"
    "US-KY": ("both", None, "partial", "no", "https://revenue.ky.gov/Collections/Pages/Voluntary-Disclosure.aspx"),
    # "12% regular interest will be charged on the tax due instead of the delinquent interest rate" (18%)
    "US-WI": ("state", None, "unknown", "partial", "https://www.revenue.wi.gov/Pages/HTML/sumcamp3.aspx"),
    # "the three immediately preceding tax years"; "Apply interest"; "Waive all penalties"
    "US-SC": ("state", 36, "yes", "no",
              "http://www.sctax.org/Tax+Information/Voluntary+Disclosure+Program/voldisc.htm"),
    # "without having to pay penalties"; "delinquent taxes and related interest"; "generally three years"
    "US-ME": ("state", 36, "yes", "no",
              "https://www1.maine.gov/revenue/taxes/audit-units/voluntary-disclosure-program"),
    # "a reduced or no penalty"; "disclose and pay the tax and interest due"; MTC applications accepted
    "US-LA": ("both", None, "partial", "no", "https://revenue.louisiana.gov/Businesses/VoluntaryDisclosureAgreement"),
    # "may receive reduced penalties or other special considerations"
    "US-IA": ("state", None, "partial", "unknown",
              "https://revenue.iowa.gov/taxes/tax-guidance/sales-use-excise-tax/voluntary-disclosure-program"),
    # "up to 3 calendar years", the current year's returns already due added (36 + 12)
    "US-ND": ("state", 48, "unknown", "unknown", "https://www.tax.nd.gov/news/resources/voluntary-disclosure"),
    # NAC 360.446(1): "shall not assess the penalty and interest set forth in NRS 360.300 on the entire amount"
    "US-NV": ("state", None, "yes", "yes", "https://regulations.justia.com/states/nevada/chapter-360/"
              "voluntary-disclosure-of-failure-to-file-return/section-360-446"),
    # Publication 4: "avoiding penalties"; "usually three years"; "You will have to pay interest"
    "US-UT": ("state", 36, "yes", "no", "https://tax.utah.gov/forms/form-pubs/pub-04"),
    # "limit prior period exposure to (3) three years"; "may agree to waive all penalties, provided that the tax and
    # interest due are paid"
    "US-VT": ("state", 36, "yes", "no", "http://www.state.vt.us/tax/disclosure.shtml"),
    # "will not assess any penalties or late fees"; "the lesser of three years or the date ... nexus"
    "US-DC": ("state", 36, "yes", "unknown", "https://otr.cfo.dc.gov/page/voluntary-disclosure-program-about"),
    # a programme exists (guidelines); its terms were not in the text read
    "US-AL": ("state", None, "unknown", "unknown", "https://revenue.alabama.gov/tax-policy/voluntary-disclosure-program/"
              "voluntary-disclosure-program-guidelines/"),
    # 68 O.S. s. 220(C): "voluntary disclosure agreement" and who may enter one; what it waives was cut off
    "US-OK": ("state", None, "unknown", "unknown", "http://print.casetext.com/statute/oklahoma-statutes/title-68-"
              "revenue-and-taxation/chapter-1-tax-codes/article-2-uniform-tax-procedure/section-220-waiver-or-"
              "remission-of-interest-or-penalties-voluntary-disclosure-agreements"),
}


@pytest.mark.parametrize("place", sorted(READ_2026_12_06))
def test_disclosure_terms_read_on_2026_12_06(place):
    programme, months, penalty, interest, source = READ_2026_12_06[place]
    row = in_force(DISCLOSURE["rules"], place, TODAY)
    assert (row["programme"], row["lookback_months"], row["penalties_waived"], row["interest_waived"]) == (
        programme, months, penalty, interest)
    assert row["sources"][0] == source and row["confidence"] == "official" and row["last_verified"] == "2026-12-06"


def test_rows_still_unknown_say_they_were_searched_again():
    """Where no terms were found the row stays unknown (no figure invented) and says when it was searched."""
    for place in ("US-MD", "US-MN", "US-PA", "US-VA", "US-MA", "US-CT"):
        row = in_force(DISCLOSURE["rules"], place, TODAY)
        assert row["programme"] == "unknown" and row["lookback_months"] is None, place
        assert "2026-12-06" in row["notes"] and row["last_verified"] == "2026-12-06", place


#: Rows still unknown after the further search of 2026-12-06, each saying what it read.
SEARCHED_FURTHER = ("US-CT", "US-ID", "US-KS", "US-MA", "US-MD", "US-MN", "US-MO", "US-MS", "US-NE", "US-NM", "US-PA",
                    "US-RI", "US-SD", "US-VA", "US-WV", "US-WY")


@pytest.mark.parametrize("place", SEARCHED_FURTHER)
def test_rows_searched_further_stay_unknown_and_name_what_was_read(place):
    row = in_force(DISCLOSURE["rules"], place, TODAY)
    assert (row["programme"], row["lookback_months"], row["penalties_waived"], row["interest_waived"]) == (
        "unknown", None, "unknown", "unknown")
    assert "A further search on 2026-12-06 read only " in row["notes"] and row["confidence"] == "unknown"


# Terms the README's sample still lacked, read on 2026-12-06 in the authority's own text or the statute (each row's
# notes quote it): (programme, look-back in months, penalties waived, interest waived, first source, confidence).
READ_FOR_THE_SAMPLE = {
    # the limited look-back for "Mistake, confusion, ignorance of the law": "Three-year look-back period"
    "US-NY": ("state", 36, "yes", "partial", "https://www.tax.ny.gov/enforcement/vold/program-info.htm", "official"),
    # "abates or reduces the penalty applied"; 67-1-803(a)(2)(B): no waiver of "Any interest payable"
    "US-TN": ("state", 48, "partial", "no", "https://revenue.support.tn.gov/hc/en-us/articles/204848005-What-is-the-"
              "look-back-period-for-voluntary-disclosures-", "official"),
    # VAEC1140: up to 20 years where "the person failed to comply with a notification obligation"
    "GB": ("state", 240, "partial", "no", "https://www.gov.uk/hmrc-internal-manuals/compliance-handbook/ch73180",
           "official"),
    # 国税通則法 66(1): 15%, 10% for a late return not filed in anticipation (the penalties row already charges the
    # 5% of one filed before any notice, 66(5)): nothing further waived; 60(1)(ii): delinquency tax
    "JP": ("state", None, "no", "no", "https://iuris.jp/国税通則法-第六十六条-無申告加算税/jpn/a/31842", "official"),
    # 국세기본법 48(2)(ii): 50/30/20% off the art. 47-2 penalty alone, within 1/3/6 months
    "KR": ("state", None, "partial", "no", "https://alert.tistory.com/m/747", "official"),
    # BOFiP BOI-DAE-20: the halved interest only for returns first filed on time; CGI 1728: 10% without notice
    "FR": ("none", None, "no", "no", "https://bofip.impots.gouv.fr/node/12843", "official"),
    # AO 371(1): exemption from punishment only; the rest from a commentary
    "DE": ("none", None, "no", "no", "https://www.buzer.de/371_AO.htm?setmobile=1", "secondary"),
    # only the income tax's inkeer page and a 2007 amendment's opening were read
    "NL": ("unknown", None, "unknown", "unknown", "https://www.belastingdienst.nl/wps/wcm/connect/bldcontentnl/"
           "standaard_functies/prive/contact/rechten_en_plichten_bij_de_belastingdienst/inkeerregeling/"
           "voor_particulieren_inkeerregeling", "unknown"),
}


@pytest.mark.parametrize("place", sorted(READ_FOR_THE_SAMPLE))
def test_disclosure_terms_the_sample_lacked_are_read_or_said_to_be_absent(place):
    """Before 2026-12-06 the sample's VDA said 'nexus has no voluntary disclosure terms' for JP, KR, DE, FR and NL
    (no row), 'the programme's look-back is not known' for New York and the UK, and Tennessee's waivers were
    unknown. Where the law gives no programme the row says 'none' rather than leaving it unknown."""
    programme, months, penalty, interest, source, confidence = READ_FOR_THE_SAMPLE[place]
    row = in_force(DISCLOSURE["rules"], place, TODAY)
    assert (row["programme"], row["lookback_months"], row["penalties_waived"], row["interest_waived"]) == (
        programme, months, penalty, interest)
    assert (row["sources"][0], row["confidence"], row["last_verified"]) == (source, confidence, "2026-12-06")


def test_hawaii_rests_on_a_practitioners_outline_and_says_so():
    """A programme exists by a tax lawyer's outline of the Department's guidelines (TIR 2016-02 and 2020-03, not
    found): 'state', secondary, terms unknown."""
    row = in_force(DISCLOSURE["rules"], "US-HI", TODAY)
    assert (row["programme"], row["lookback_months"], row["penalties_waived"], row["interest_waived"],
            row["confidence"]) == ("state", None, "unknown", "unknown", "secondary")
    assert row["notes"].startswith("Not verified from a primary source") and kind(row["sources"][0]) == "secondary"


def test_a_disclosure_row_resting_on_a_secondary_source_says_it_is_not_verified():
    """Every host a voluntary-disclosure row cites is classified in tests/data_sources.py, and no row whose first
    source is a firm's summary or a vendor's page says 'official' (before 2026-12-06 the table was not checked)."""
    assert unmarked(DISCLOSURE["rules"], "voluntary-disclosure") == []


def test_the_source_check_catches_an_unmarked_disclosure_row():
    row = dict(in_force(DISCLOSURE["rules"], "US-NJ", TODAY), confidence="official")
    assert any("kulzerdipadova.com, a secondary source" in p for p in unmarked([row], "voluntary-disclosure"))


def test_colorado_rests_on_a_vendors_summary_and_says_so():
    """No Colorado Department of Revenue text was found: a compliance vendor's 'Typical Look-Back: 3 years for most
    taxes' and 'Penalty Relief: 100%' are recorded as secondary, with notes that open by saying so."""
    row = in_force(DISCLOSURE["rules"], "US-CO", TODAY)
    assert (row["lookback_months"], row["penalties_waived"], row["interest_waived"], row["confidence"]) == (
        36, "yes", "unknown", "secondary")
    assert row["notes"].startswith("Not verified from a primary source")


def test_canadas_rows_cite_the_cra_circulars_and_keep_the_higher_penalty_reading():
    """IC00-1R6 (from 2018-03-01) refers GST/HST to Memorandum 16.5, not read; secondary readings of its general
    program disagree ('will not be charged penalties' against '50 per cent interest and penalty relief'): the
    higher exposure, partial. IC00-1R7 (from 2025-10-01) covers the GST/HST; its figures come from firm summaries."""
    before, general, now = (in_force(DISCLOSURE["rules"], "CA", day)
                            for day in (date(2018, 2, 28), date(2018, 3, 1), TODAY))
    assert before["confidence"] == "unknown" and "IC00-1R5" in before["notes"]
    assert (general["penalties_waived"], general["interest_waived"], general["confidence"]) == (
        "partial", "partial", "conflict")
    assert "ic00-1r6" in general["sources"][0]
    assert (now["penalties_waived"], now["interest_waived"], now["confidence"]) == ("yes", "partial", "secondary")
    assert "ic00-1r7" in now["sources"][0] and "75%" in now["notes"]


def test_every_state_dc_and_country_has_a_penalty_row_today():
    have = {r["jurisdiction"] for r in PENALTIES["rules"] if r["effective_to"] is None}
    assert (all_states() | countries()) <= have


def test_a_jurisdiction_without_figures_is_not_estimated_rather_than_given_a_typical_rate():
    for row in PENALTIES["rules"]:
        if row["confidence"] == "unknown":
            assert row["late_filing"] is None and row["late_payment"] is None and row["interest"] is None


def test_penalty_and_interest_figures_read_from_the_sources():
    tennessee = in_force(PENALTIES["rules"], "US-TN", TODAY)
    assert [(p["effective_from"], p["annual_rate"]) for p in tennessee["interest"]][:3] == [
        ("2022-07-01", "0.08"), ("2023-07-01", "0.1225"), ("2024-07-01", "0.125")]
    new_york = in_force(PENALTIES["rules"], "US-NY", TODAY)
    assert new_york["interest"] == [{"effective_from": "2018-01-01", "effective_to": None, "annual_rate": "0.145"}]
    alabama = in_force(PENALTIES["rules"], "US-AL", TODAY)
    assert alabama["late_filing"][0]["minimum"] == "50"
    rates = {p["effective_from"]: p["annual_rate"] for p in alabama["interest"]}
    assert (rates["2019-01-01"], rates["2020-07-01"], rates["2023-10-01"]) == ("0.06", "0.03", "0.08")
    # Indiana's 2024 rate rests on the Department's Departmental Notice #3 in the Indiana Register, not only on a
    # commercial calculator's release notes.
    indiana = in_force(PENALTIES["rules"], "US-IN", TODAY)
    assert {p["effective_from"]: p["annual_rate"] for p in indiana["interest"]}["2024-01-01"] == "0.04"
    assert "http://www.in.gov/legislative/iac/20231108-IR-045230728NRA.xml.html" in indiana["sources"][:2]


def test_texas_and_florida_2026_interest_is_left_unestimated_until_a_primary_figure_is_read():
    """Texas sets a rate each 1 January (prime + 1, Tax Code 111.060(b)), Florida each 1 January and 1 July (TIPs):
    no primary text giving 2026's was read (Florida's 11% for January to June 2026 only in a law firm's note), so
    neither is entered and the notes say why; the estimate says 'not estimated'."""
    for state in ("US-TX", "US-FL"):
        row = in_force(PENALTIES["rules"], state, TODAY)
        assert all(p["effective_to"] is not None and p["effective_to"] < "2026-01-01" for p in row["interest"])
        assert " 2026" in row["notes"] and "not estimated" in row["notes"].split(" 2026", 1)[1]


@pytest.mark.parametrize("state, change", sorted(PARTLY_TAXED_SERVICES.items()))
def test_services_partly_taxed_from_a_date_are_unknown_from_it(state, change):
    when = date.fromisoformat(change)
    before, after = (in_force(TAXABILITY["rules"], state, d, "services") for d in (when - timedelta(days=1), when))
    assert before["taxable"] == "no" and before["notes"].startswith("Only enumerated services are taxable")
    assert after["taxable"] == "unknown" and after["share"] is None and after["confidence"] == "official"
    assert after["notes"].startswith("Not estimated") and after["last_verified"] >= "2026-12-05"


@pytest.mark.parametrize("state", sorted(LISTED_SERVICES_TAXED))
def test_services_the_statute_lists_in_part_are_not_estimated_and_the_estimate_says_why(state):
    """Texas Tax Code 151.0101(a) taxes data processing and information services, New York's Tax Law 1105(c)(1) and
    New Jersey's N.J.S.A. 54:32B-3(b)(12) information services, Ohio's R.C. 5739.01(B)(3)(e) data processing and
    electronic information services for use in business, Pennsylvania's (61 Pa. Code 9.3) editing and secretarial
    services, North Carolina's maintenance of digital property, Tennessee's software maintenance contracts,
    Connecticut's (12-408(1)(C)) computer and data processing services, but none of them, say, an online class:
    the orders do not say which service was sold, so the estimate can give no share (fraction None: not
    estimated) and its caveat says so; read as 'no' (fraction 0), a data processing service went untaxed."""
    book = load_tax_book()
    for day_ in (date(2018, 1, 1), TODAY):
        row = book.taxable(state, "services", day_)
        assert row.fraction is None and "the orders do not say which service was sold" in row.caveat


def test_maryland_taxes_data_and_it_services_at_3_percent_from_july_2025_as_the_comptroller_says():
    """Chapter 604 of the Acts of 2025 (Technical Bulletin No. 56): NAICS 518, 519, 5415 and 5132 at 3%."""
    services = in_force(TAXABILITY["rules"], "US-MD", date(2025, 7, 1), "services")
    assert services["sources"][0].startswith("https://www.marylandcomptroller.gov/")
    assert "3%" in services["notes"] and all(code in services["notes"] for code in ("518", "519", "5415", "5132"))
    saas = in_force(TAXABILITY["rules"], "US-MD", date(2025, 7, 1), "saas")
    assert (saas["effective_from"], saas["taxable"], saas["confidence"]) == ("2025-07-01", "yes", "official")
    assert saas["sources"][0].startswith("https://www.marylandcomptroller.gov/") and "3%" in saas["notes"]
    assert in_force(TAXABILITY["rules"], "US-MD", date(2025, 6, 30), "saas")["effective_from"] == "2021-03-14"


def test_washington_services_from_essb_5814_rest_on_the_department_of_revenue():
    """ESSB 5814: IT services, custom software and websites, advertising, live presentations... from 2025-10-01;
    SaaS and digital products stay taxable (digital automated services and digital goods)."""
    row = in_force(TAXABILITY["rules"], "US-WA", date(2025, 10, 1), "services")
    assert row["sources"][0].startswith("https://dor.wa.gov/") and "ESSB 5814" in row["notes"]
    for category in ("saas", "digital"):
        assert in_force(TAXABILITY["rules"], "US-WA", date(2025, 10, 1), category)["taxable"] == "yes"


def test_a_taxability_resting_on_a_secondary_source_says_it_is_not_verified():
    assert unmarked(TAXABILITY["rules"], "taxability") == []


def test_the_source_check_catches_an_unmarked_taxability_row():
    row = dict(in_force(TAXABILITY["rules"], "US-TX", TODAY, "saas"), confidence="official",
               sources=["https://www.avalara.com/blog/en/north-america/texas-saas.html"])
    assert any("secondary source" in p for p in unmarked([row], "taxability"))


@pytest.mark.parametrize("state", ["US-NY", "US-PA", "US-TN", "US-MA", "US-IL", "US-WI", "US-MI", "US-NJ", "US-OH",
                                   "US-AR", "US-MO", "US-MS", "US-OK", "US-UT"])
def test_goods_rest_on_the_statute_that_taxes_the_retail_sale_of_tangible_personal_property(state):
    """The statute read for the rate imposes the tax on retail sales of tangible personal property: it, not a
    vendor's whitepaper or a blog, is the first source of the goods row, in its words."""
    row = in_force(TAXABILITY["rules"], state, TODAY, "goods")
    assert (row["taxable"], row["confidence"], row["last_verified"]) == ("yes", "official", "2026-12-06")
    assert "tangible personal property" in row["notes"].split(" The tax rows")[0]
    assert not any(host in row["sources"][0] for host in ("legalclarity.org", "avalara.com"))


# Each EU row as read on 2026-12-06 in the VAT Directive's own text (legislation.gov.uk's official copy as it stood
# in 2020, or NWB's copy of the current articles): category, a day, the answer, the article the notes must name.
EU_READ_2026_12_06 = [
    ("digital", date(2020, 6, 30), "yes", "Art. 58(1)(c)"),
    ("saas", date(2020, 6, 30), "yes", "Art. 58(1)(c)"),
    ("goods", date(2020, 6, 30), "no", "Art. 32"),
]


@pytest.mark.parametrize("place", ["EU"] + sorted(EU_MEMBERS))
@pytest.mark.parametrize("category, on, taxable, article", EU_READ_2026_12_06)
def test_eu_rows_rest_on_the_vat_directive(place, category, on, taxable, article):
    row = in_force(TAXABILITY["rules"], place, on, category)
    assert (row["taxable"], row["confidence"], row["last_verified"]) == (taxable, "official", "2026-12-06")
    assert kind(row["sources"][0]) in ("primary", "copy") and article in row["notes"]


def test_eu_goods_before_july_2021_say_the_estimate_is_low_for_goods_sent_from_stock_in_the_eu():
    """A seller outside the EU is read as shipping from outside it (Art. 32: its customers import); goods it sent from
    a warehouse in a member state were distance sales (Art. 33), which the orders do not show."""
    for place in ["EU"] + sorted(EU_MEMBERS):
        row = in_force(TAXABILITY["rules"], place, date(2020, 6, 30), "goods")
        assert "Art. 33" in row["caveat"] and "low" in row["caveat"], place


@pytest.mark.parametrize("place", sorted(EU_MEMBERS))
def test_distance_sales_before_july_2021_rest_on_arts_33_and_34(place):
    """A seller established in another member state: its goods sent to consumers there were distance sales, taxed
    there above the member state's threshold (Art. 34: EUR 100,000, or EUR 35,000 where the member state chose)."""
    row, = (r for r in TAXABILITY["rules"]
            if r["jurisdiction"] == place and r.get("establishment") == "eu_other_member")
    assert (row["category"], row["effective_from"], row["effective_to"]) == ("goods", "2018-01-01", "2021-06-30")
    assert (row["taxable"], row["confidence"]) == ("yes", "official")
    assert kind(row["sources"][0]) == "primary" and "Art. 34" in row["notes"] and "EUR 35,000" in row["notes"]


@pytest.mark.parametrize("place", ["EU"] + sorted(EU_MEMBERS))
@pytest.mark.parametrize("on", [date(2020, 6, 30), date(2024, 12, 31)])
def test_eu_services_of_a_seller_outside_the_eu_are_not_estimated_before_2025_and_the_estimate_says_why(place, on):
    """Art. 45 of the VAT Directive places a consumer service where the supplier is established (outside the EU), but
    Art. 58 places an automated, electronically supplied one (a recorded course) where the consumer lives: part of
    the category is taxable and the orders do not say which. Read as 'no' (before July 2021) the recorded course went
    untaxed; read as 'yes' (from July 2021) every service was taxed, a live class held abroad too."""
    row = in_force(TAXABILITY["rules"], place, on, "services")
    assert (row["taxable"], row["share"], row["confidence"]) == ("unknown", None, "official")
    assert all(words in row["notes"] for words in ("Not estimated: part of the category", "Art. 45", "Art. 58"))
    assert "the orders do not say which service was sold" in row["caveat"].lower()


@pytest.mark.parametrize("place", ["EU"] + sorted(EU_MEMBERS))
def test_eu_services_from_2025_are_taxable_on_the_higher_reading_and_the_estimate_says_it_is_high_for_advice(place):
    """From 2025-01-01 (Directive 2022/542) Art. 54(1) places streamed classes and events where the consumer lives, as
    Art. 58 places recorded courses: the services sold online are mostly taxed there; advice (Art. 45) is not."""
    row = in_force(TAXABILITY["rules"], place, date(2025, 1, 1), "services")
    assert (row["effective_from"], row["taxable"], row["confidence"]) == ("2025-01-01", "yes", "official")
    assert "Art. 54(1)" in row["scope"] and "Art. 45" in row["caveat"] and "high" in row["caveat"]


# Norway as Skatteetaten's handbook and pages and Tolletaten's pages said on 2026-12-06: (category, day, answer).
NORWAY_READ_2026_12_06 = [
    ("digital", date(2019, 6, 1), "yes"), ("saas", date(2019, 6, 1), "yes"),  # § 11-3(2): electronic services
    ("goods", date(2019, 6, 1), "no"),  # imported by the customer before the VOEC scheme took in low-value goods
    ("services", date(2019, 6, 1), "unknown"), ("services", date(2022, 12, 31), "unknown"),  # electronic ones only
    ("services", date(2023, 1, 1), "yes"),  # every remotely deliverable service from 2023-01-01
    ("goods", TODAY, "yes"), ("digital", TODAY, "yes"), ("saas", TODAY, "yes"),
]


@pytest.mark.parametrize("category, on, taxable", NORWAY_READ_2026_12_06)
def test_norway_rows_rest_on_skatteetaten_and_tolletaten(category, on, taxable):
    row = in_force(TAXABILITY["rules"], "NO", on, category)
    assert (row["taxable"], row["confidence"], row["last_verified"]) == (taxable, "official", "2026-12-06")
    assert kind(row["sources"][0]) == "primary"
    if taxable == "unknown":
        assert row["notes"].startswith("Not estimated") and "2023-01-01" in row["caveat"]


@pytest.mark.parametrize("establishment", ["established", "non_established"])
@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_switzerland_rests_on_the_estv_and_the_mwstg(establishment, category):
    """Read on 2026-12-06: the ESTV's MWST-Info (Art. 8(1) MWSTG: services where the recipient lives; Art. 10(2)(b):
    a foreign seller of electronic services to private persons is liable, one of other such services alone is not),
    its mail-order pages (goods from abroad the seller's supplies from 2019) and the Act's Art. 7 in a law library's
    copy (goods where transport begins)."""
    row = in_force(TAXABILITY["rules"], "CH", TODAY, category, establishment)
    assert (row["taxable"], row["confidence"], row["last_verified"]) == ("yes", "official", "2026-12-06")
    assert kind(row["sources"][0]) in ("primary", "copy")
    if (establishment, category) == ("non_established", "services"):
        assert "Art. 10(2)(b)" in row["caveat"] and "high" in row["caveat"]
    assert in_force(TAXABILITY["rules"], "CH", date(2018, 6, 30), "goods")["confidence"] == "official"


def test_a_uk_sellers_goods_rest_on_section_7_of_the_vat_act():
    """VAT Act 1994 s. 7(2) (legislation.gov.uk, read 2026-12-06): goods not removed from or to the UK are supplied
    there if they are there."""
    row = in_force(TAXABILITY["rules"], "GB", TODAY, "goods", "established")
    assert (row["taxable"], row["confidence"]) == ("yes", "official") and "s. 7(2)" in row["notes"]
    assert row["sources"][0] == "https://legislation.gov.uk/ukpga/1994/23/section/7/data.html"


@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_new_zealand_from_december_2019_rests_on_inland_revenue(category):
    """Inland Revenue's pages (read 2026-12-06): remote services taxed since 2016 (s 8(3)(c)), low-value goods of
    NZ$1,000 or less from 2019-12-01; the 'exceeded' or 'or more' of the threshold is the registration rule's."""
    row = in_force(TAXABILITY["rules"], "NZ", TODAY, category)
    assert (row["taxable"], row["confidence"]) == ("yes", "official") and kind(row["sources"][0]) == "primary"
    assert "not this row's" in row["notes"]


@pytest.mark.parametrize("place", ["EU"] + sorted(EU_MEMBERS))
def test_eu_digital_rows_say_e_books_may_carry_a_reduced_rate(place):
    """Directive 2018/1713 lets member states tax electronically supplied books at their reduced rates; the data has
    each member state's standard rate only, so the estimate says it may be high for e-books."""
    for on in (date(2020, 6, 30), TODAY):
        row = in_force(TAXABILITY["rules"], place, on, "digital")
        assert "2018/1713" in row["caveat"] and "high" in row["caveat"]


@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_canada_before_july_2021_is_not_estimated_and_says_why(category):
    """Excise Tax Act s. 143(1) (Justice Laws, text current to 2017-06-05, read 2026-12-06): a non-resident's supply
    made in Canada was deemed made outside Canada unless made in a business carried on in Canada or while
    registered, which the orders do not show."""
    row = in_force(TAXABILITY["rules"], "CA", date(2020, 6, 30), category)
    assert (row["taxable"], row["confidence"]) == ("unknown", "official") and "s. 143(1)" in row["caveat"]
    assert row["sources"][0] == "http://laws.justice.gc.ca/eng/acts/E-15/page-52.html"


@pytest.mark.parametrize("category", sorted(CATEGORIES))
def test_quebec_before_2019_is_not_estimated_and_says_why(category):
    """QST Act s. 23(1)-(3) (LégisQuébec, read 2026-12-06): a supply made in Québec by a person not resident there was
    deemed made outside Québec unless made in a business carried on in Québec, while registered, or an admission,
    which the orders do not show; the specified registration system began on 2019-01-01."""
    row = in_force(TAXABILITY["rules"], "CA-QC", date(2018, 6, 30), category)
    assert (row["taxable"], row["share"], row["confidence"]) == ("unknown", None, "official")
    assert "s. 23" in row["caveat"] and kind(row["sources"][0]) == "primary"
    assert in_force(TAXABILITY["rules"], "CA-QC", date(2019, 1, 1), category)["effective_from"] == "2019-01-01"


def test_south_africa_services_before_april_2019_are_only_those_the_2014_regulations_list():
    """GN R 221 of 2014, reg 2(3) (Acts Online's copy, read 2026-12-06): until 2019-03-31 a foreign supplier's
    electronic services were only those regs 3 to 7 list (online courses and webinars, games, auctions, e-books,
    video, images, music, subscriptions to web sites and applications). The row said 'yes' for every service; the
    orders do not say which service was sold, so it is not estimated, and says why. From 2019-04-01 every service
    supplied over the internet is in (the next row, unchanged)."""
    before = in_force(TAXABILITY["rules"], "ZA", date(2018, 6, 30), "services")
    assert (before["taxable"], before["share"], before["confidence"]) == ("unknown", None, "official")
    assert before["sources"][0].startswith("https://www.acts.co.za/value-added-tax-act-1991/r_221")
    assert "the orders do not say which service was sold" in before["caveat"]
    assert "Corrected from 'yes'" in before["notes"]
    row = load_tax_book().taxable("ZA", "services", date(2018, 6, 30))
    assert row.fraction is None and "2019-03-31" in row.caveat
    assert in_force(TAXABILITY["rules"], "ZA", date(2019, 4, 1), "services")["taxable"] == "yes"


@pytest.mark.parametrize("category", ["digital", "saas"])
def test_south_africa_digital_and_saas_before_april_2019_rest_on_the_2014_regulations(category):
    """Reg 6 (e-books, audio-visual content, still images, music), reg 4 (games) and reg 7(m) (subscriptions to web
    applications); software downloads are not listed, so the digital row's caveat says the estimate is high for them."""
    row = in_force(TAXABILITY["rules"], "ZA", date(2018, 6, 30), category)
    assert (row["taxable"], row["confidence"], row["last_verified"]) == ("yes", "official", "2026-12-06")
    assert kind(row["sources"][0]) == "copy" and "GN R 221" in row["notes"]
    if category == "digital":
        assert "software" in row["caveat"] and "high" in row["caveat"]


def test_mississippi_saas_rests_on_the_departments_rule_and_its_2021_amendment_is_accounted_for():
    """35 Miss. Code R. 4-05-06-300 (a copy current through 2024-06-25): software on a server outside the state,
    reached only over the internet, is not taxable. The 2021 proposal to delete that sentence is not in the text read;
    S.B. 2449 (2023) codified it. The estimate says it assumes hosting outside Mississippi."""
    for on in (date(2018, 1, 1), date(2022, 6, 30), TODAY):
        row = in_force(TAXABILITY["rules"], "US-MS", on, "saas")
        assert (row["taxable"], row["confidence"], row["last_verified"]) == ("no", "official", "2026-12-06")
    assert "4-05-06-300" in row["sources"][0] and kind(row["sources"][0]) == "copy"
    assert "2021" in row["notes"] and "S.B. 2449" in row["notes"] and "outside" in row["caveat"]


@pytest.mark.parametrize("place, category, start", [
    ("US-GA", "saas", "2018-01-01"), ("US-GA", "digital", "2018-01-01"), ("US-MI", "saas", "2018-01-01"),
    ("US-NC", "saas", "2018-01-01"), ("US-WV", "digital", "2018-01-01"), ("US-SC", "digital", "2018-01-01"),
    ("US-RI", "saas", "2018-10-01"), ("US-RI", "digital", "2019-10-01"), ("US-MD", "digital", "2021-03-14"),
    ("US-MD", "saas", "2021-03-14"), ("US-NV", "digital", "2018-01-01"),
    ("KR", "digital", "2018-01-01"), ("KR", "saas", "2018-01-01"), ("KR", "goods", "2018-01-01"),
    ("KR", "services", "2018-01-01"), ("US-IN", "saas", "2018-01-01"),
])
def test_rows_read_again_and_left_say_what_was_read_and_what_was_not(place, category, start):
    """The fourth pass (2026-12-06) read these rows again: no primary text settled them, so each keeps its answer
    and confidence and its notes say what was read, and what was not, that day."""
    row = next(r for r in TAXABILITY["rules"]
               if (r["jurisdiction"], r["category"], r["effective_from"]) == (place, category, start))
    assert row["confidence"] in ("secondary", "unknown") and row["last_verified"] == "2026-12-06"
    assert row["notes"].startswith(("Read again on 2026-12-06", "Searched again on 2026-12-06"))
    assert "not" in row["notes"] and kind(row["sources"][0]) in ("primary", "copy")


def test_nevada_saas_is_not_taxed_software_being_taxable_only_in_a_tangible_medium():
    """Before: Nevada SaaS said 'yes' (conflict: a chart said no, a vendor 'business use'), so the README's Hostwell
    comparison taxed USD 1,831.36 of SaaS sold there. NAC 372.880(1): prewritten software is tangible personal
    property 'Unless it is delivered electronically or by load and leave'; NRS 372.105 taxes only tangible personal
    property. Software reached on the seller's server is not taxed, on every day since 2018."""
    for on in (date(2018, 1, 1), date(2025, 11, 1), TODAY):
        row = in_force(TAXABILITY["rules"], "US-NV", on, "saas")
        assert (row["taxable"], row["confidence"]) == ("no", "official")
    assert "372.880" in row["sources"][0] and "scope" not in row
    assert row["notes"].startswith("Corrected from 'yes' (conflict) to 'no'") and "NRS 372.105" in row["notes"]


def test_arizona_digital_rests_on_the_software_rule_and_says_media_are_unsettled():
    """A.A.C. R15-5-154(B): software is taxable 'regardless of the method ... to transfer the programs'. The row keeps
    'yes' (no longer conflict), a mixed category's higher exposure, and says e-books, music and video are unsettled."""
    row = in_force(TAXABILITY["rules"], "US-AZ", TODAY, "digital")
    assert "r15-5-154" in row["sources"][0].lower() and kind(row["sources"][0]) == "copy"
    assert "e-books, music and video" in row["scope"] and "every digital sale" in row["caveat"]


def test_rows_left_in_conflict_say_what_the_primary_text_left_open():
    """After the fifth pass (2026-12-06) North Dakota SaaS and Saudi Arabia's four rows are the only conflicts: the
    statute read taxes prewritten software sold, leased or delivered electronically but does not say whether remote
    access is such a lease; Saudi Arabia's conflict is the threshold's wording, and its services row notes the
    Agreement's place-of-supply articles that would put many services outside the Kingdom."""
    conflicts = sorted((r["jurisdiction"], r["category"]) for r in TAXABILITY["rules"] if r["confidence"] == "conflict")
    assert conflicts == [("SA", "digital"), ("SA", "goods"), ("SA", "saas"), ("SA", "services"), ("US-ND", "saas")]
    nd = in_force(TAXABILITY["rules"], "US-ND", TODAY, "saas")
    assert nd["taxable"] == "yes" and nd["last_verified"] == "2026-12-06"
    assert kind(nd["sources"][0]) == "copy" and "whether remote access" in nd["notes"]
    sa = in_force(TAXABILITY["rules"], "SA", TODAY, "services")
    assert "Art. 15" in sa["notes"] and "not read" in sa["notes"]


def test_washington_services_before_essb_5814_are_not_estimated_digital_automated_services_being_taxed():
    """Before: Washington services said 'no' until 2025-09-30 ('only enumerated services are taxable', vendors), so a
    digital automated service sold there (taxed since ESHB 2075 of 2009, RCW 82.04.192) was estimated at nothing. The
    definition left out services primarily involving human effort until ESSB 5814 (2025-10-01), so part of the
    category was taxed: not estimated from 2018 on, and the estimate says why; from 2025-10-01 the row of ESSB 5814."""
    book = load_tax_book()
    for day_ in (date(2018, 1, 1), date(2025, 9, 30)):
        row = in_force(TAXABILITY["rules"], "US-WA", day_, "services")
        assert (row["taxable"], row["confidence"], row["effective_to"]) == ("unknown", "official", "2025-09-30")
        assert kind(row["sources"][0]) == "primary" and "digital automated services" in row["scope"]
        taxed = book.taxable("US-WA", "services", day_)
        assert taxed.fraction is None and "the orders do not say which service was sold" in taxed.caveat
    assert in_force(TAXABILITY["rules"], "US-WA", date(2025, 10, 1), "services")["effective_from"] == "2025-10-01"


def test_kentucky_taxes_listed_services_and_saas_from_2023_on_the_departments_answers():
    """Before: Kentucky services said 'no' on every day (vendors), so a web site hosting or design service sold there
    from 2023-01-01 (H.B. 8 of 2022, KRS 139.200(2)) was estimated at nothing, and the SaaS row rested on firms'
    summaries. The Department's Tax Answers: the HB 8 services are taxable from 2023-01-01, web hosting among them,
    and prewritten computer software access services bear the tax."""
    saas = in_force(TAXABILITY["rules"], "US-KY", date(2023, 1, 1), "saas")
    assert (saas["taxable"], saas["confidence"]) == ("yes", "official") and "taxanswers.ky.gov" in saas["sources"][0]
    services = in_force(TAXABILITY["rules"], "US-KY", TODAY, "services")
    assert "web site hosting" in services["scope"] and kind(services["sources"][0]) == "primary"
    assert "the orders do not say which service was sold" in services["caveat"]


def test_indiana_saas_rests_on_the_statute_from_july_2018_and_the_half_year_before_is_left():
    """IC 6-2.5-4-16.7(b): remote access to prewritten software over the Internet 'does not constitute a retail
    transaction'; Commissioner's Directive #41 dates SEA 257's change on SaaS 'effective July 1, 2018'. The row said
    'no' from 2018-01-01 on a chart alone: from 2018-07-01 it rests on the statute; before, the Department's earlier
    position (taxed, in a summary of Bulletin #8 of 2011) was not read in its own text, so it stays secondary."""
    row = in_force(TAXABILITY["rules"], "US-IN", date(2018, 7, 1), "saas")
    assert (row["taxable"], row["confidence"], row["effective_from"]) == ("no", "official", "2018-07-01")
    assert "6-2.5-4-16.7" in row["sources"][0] and "does not constitute a retail transaction" in row["notes"]
    before = in_force(TAXABILITY["rules"], "US-IN", date(2018, 6, 30), "saas")
    assert (before["taxable"], before["confidence"], before["effective_to"]) == ("no", "secondary", "2018-06-30")
    assert "Directive #41" in before["notes"] and "not changed" in before["notes"]


def test_mexico_taxes_only_the_digital_services_liva_article_18b_lists():
    """LIVA Art. 18-B (in force 2020-06-01) counts 'únicamente' downloads of or access to multimedia content (not
    e-books, newspapers or magazines), intermediation, online clubs and dating sites, and distance teaching. Before,
    SaaS said 'yes' for every sale (remotely accessed software is not listed) and services 'no' (distance teaching and
    online clubs are): both are now not estimated (fraction None), the caveat saying why; digital keeps 'yes' on the
    higher exposure, its caveat naming e-books; goods stay 'no' (Art. 10: shipped from abroad, imported)."""
    book = load_tax_book()
    on = date(2020, 6, 1)
    for category in ("goods", "digital", "saas", "services"):
        row = in_force(TAXABILITY["rules"], "MX", on, category)
        assert row["confidence"] == "official" and "lex-mx" in row["sources"][0], category
        assert kind(row["sources"][0]) == "copy" and "Art. 18-B" in row["notes"], category
    assert book.taxable("MX", "goods", on).fraction == 0
    assert book.taxable("MX", "digital", on).fraction == 1
    assert "e-books" in book.taxable("MX", "digital", on).caveat
    for category in ("saas", "services"):
        row = book.taxable("MX", category, TODAY)
        assert row.fraction is None and "orders do not say which" in row.caveat, category


def test_a_late_return_with_no_look_back_of_its_own_is_said_so_not_unknown():
    """Japan's and Korea's voluntary route is a late return filed unprompted: it reaches every period still open to
    assessment, which is no look-back of its own, not a look-back nobody found. The VDA note said "the programme's
    look-back is not known" for both, as for a state whose programme's terms were not read."""
    nothing = Range(Decimal(0), Decimal(0), Decimal(0))
    for code in ("JP", "KR"):
        row = penalties.disclosure(code, TODAY)
        assert (row.lookback, row.lookback_months) == ("none", None), code
        note = vda_scenario(code, [], TODAY, nothing).note
        assert note.startswith("no look-back of its own: every month of tax due is kept"), (code, note)
    row = penalties.disclosure("US-NC", TODAY)  # NCDOR's page read stops before its terms: unknown, and said so
    assert (row.lookback, vda_scenario("US-NC", [], TODAY, nothing).note.split(";")[0]) == (
        "unknown", "the programme's look-back is not known: every month is kept")


def test_a_lookback_that_contradicts_its_months_stops_the_loader(monkeypatch):
    """A row saying 'none' beside 36 months is a data error naming the row, not a silent choice of one of them."""
    doc = {**DISCLOSURE, "rules": [{**DISCLOSURE["rules"][0], "lookback": "none", "lookback_months": 36}]}
    monkeypatch.setattr(datafiles, "document", lambda name: doc)
    penalties.disclosure_rows.cache_clear()
    try:
        with pytest.raises(RulesError, match="disclosure.json row 1: lookback 'none' with lookback_months 36"):
            penalties.disclosure_rows()
    finally:
        penalties.disclosure_rows.cache_clear()
