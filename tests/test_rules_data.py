"""The bundled rule tables: complete, sourced, dated, and right before and after each change."""
import json
from dataclasses import replace
from pathlib import Path
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from conftest import book, make_rule
from data_sources import unmarked
from nexus.check import check
from nexus.errors import Location, RulesError, UnknownCode
from nexus.measures import threshold_met, threshold_test
from nexus.rules import load_rules
from nexus.orders import Order
from nexus.ledger import Ledger

STATES = ("AL AK AZ AR CA CO CT DC DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC ND "
          "OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY").split()


def raw_rows():
    rows = []
    for name in ("us-economic-nexus.json", "international-vat-gst.json"):
        text = resources.files("nexus").joinpath("data").joinpath(name).read_text(encoding="utf-8")
        rows += json.loads(text)["rules"]
    return rows


@pytest.mark.parametrize("row", raw_rows(), ids=lambda r: f"{r['jurisdiction']}@{r['effective_from']}")
def test_every_rule_has_sources_and_dates(row):
    assert row["sources"] and all(s.startswith(("https://", "http://")) for s in row["sources"])
    assert date.fromisoformat(row["effective_from"])
    assert date.fromisoformat(row["last_verified"])
    assert row["notes"], "every rule explains itself"
    assert row["confidence"] in ("official", "secondary", "conflict")


def test_every_state_and_dc_has_a_rule_in_force_today():
    rules = load_rules()
    in_force = {r.jurisdiction for r in rules.select(date(2026, 11, 27)) if r.jurisdiction.startswith("US-")}
    assert in_force == {f"US-{s}" for s in STATES}


def test_states_without_a_general_sales_tax():
    rules = load_rules()
    no_tax = {r.jurisdiction for r in rules.select(date(2026, 11, 27)) if not r.sales_tax}
    assert no_tax == {"US-DE", "US-MT", "US-NH", "US-OR"}


@pytest.mark.parametrize("state, change", [
    ("SD", "2023-07-01"), ("LA", "2023-08-01"), ("IN", "2024-01-01"), ("WY", "2024-07-01"),
    ("NC", "2024-07-01"), ("UT", "2025-07-01"), ("AK", "2025-01-01"), ("IL", "2026-01-01"),
])
def test_transaction_tests_removed_on_their_dates(state, change):
    rules = load_rules()
    day = date.fromisoformat(change)
    before = rules.in_force(f"US-{state}", date.fromordinal(day.toordinal() - 1))
    after = rules.in_force(f"US-{state}", day)
    assert before.transactions_threshold == 200 and before.combine == "or"
    assert after.transactions_threshold is None
    assert after.sales_threshold == before.sales_threshold


@pytest.mark.parametrize("state, day, amount, transactions", [
    ("AZ", "2019-12-31", "200000", None), ("AZ", "2020-01-01", "150000", None), ("AZ", "2021-01-01", "100000", None),
    ("CA", "2019-04-01", "500000", None), ("CT", "2019-06-30", "250000", 200), ("CT", "2019-07-01", "100000", 200),
    ("GA", "2019-12-31", "250000", 200), ("GA", "2020-01-01", "100000", 200),
    ("MA", "2019-09-30", "500000", 100), ("MA", "2019-10-01", "100000", None),
    ("MN", "2019-09-30", "100000", 100), ("MN", "2019-10-01", "100000", 200),
    ("NY", "2018-06-21", "500000", 100), ("TN", "2020-09-30", "500000", None), ("TN", "2020-10-01", "100000", None),
])
def test_dollar_and_count_changes(state, day, amount, transactions):
    rule = load_rules().in_force(f"US-{state}", date.fromisoformat(day))
    assert rule.sales_threshold == Decimal(amount)
    assert rule.transactions_threshold == transactions


def test_and_tests_are_new_york_and_connecticut_and_old_massachusetts():
    and_rules = {(r.jurisdiction, r.effective_from.isoformat()) for r in load_rules().rules if r.combine == "and"}
    assert {j for j, _ in and_rules} == {"US-NY", "US-CT", "US-MA"}


def test_no_rule_before_a_state_adopted_one():
    assert load_rules().in_force("US-MO", date(2022, 12, 31)) is None
    assert load_rules().in_force("US-MO", date(2023, 1, 1)) is not None


@pytest.mark.parametrize("field", ["sources", "effective_from", "last_verified"])
def test_loader_refuses_a_rule_without(field):
    with pytest.raises(RulesError, match=field):
        book(make_rule(**{field: None}))


def test_loader_refuses_overlapping_versions():
    with pytest.raises(RulesError, match="overlap"):
        book(make_rule(effective_to="2020-12-31"), make_rule(effective_from="2020-06-01"))


@pytest.mark.parametrize("override", [{"period": "weekly"}, {"basis": "net"}, {"combine": "xor"},
                                      {"marketplace": "maybe"}, {"sales_comparison": "about"},
                                      {"categories": ["food"]}, {"sources": ["ftp://x"]}])
def test_loader_refuses_malformed_values(override):
    with pytest.raises(RulesError):
        book(make_rule(**override))


def test_jurisdiction_names_are_forgiving_but_exact():
    rules = load_rules()
    assert [r.jurisdiction for r in rules.select(date(2026, 1, 1), ["co", "US-NY"])] == ["US-CO", "US-NY"]
    with pytest.raises(UnknownCode, match="did you mean US-TX"):
        rules.select(date(2026, 1, 1), ["CX"])


def test_every_source_in_every_table_is_a_web_address():
    """A source is a page a reader can open: http(s), a real host name (not 'mailto:', not 'host.')."""
    import glob
    import json
    import re

    for path in glob.glob(str(Path(__file__).resolve().parent.parent / "data" / "*.json")):
        for row in json.load(open(path, encoding="utf-8")).get("rules", []):
            for source in row.get("sources", []):
                host = re.match(r"https?://([^/]+)", source)
                assert host and not host.group(1).endswith(".") and ":" not in host.group(1).split("@")[-1] \
                    and "@" not in host.group(1), (path, row.get("jurisdiction"), source)


def test_district_of_columbia_counts_200_separate_sales_as_the_code_says():
    """D.C. Code 47-2001(w): gross receipts that exceed $100,000 'or 200 or more separate retail sales' in the previous
    or current calendar year. OTR's FAQ says 'more than 200'; the Code is followed and the conflict kept in the row."""
    dc = load_rules().in_force("US-DC", date(2024, 6, 30))
    assert (dc.transactions_threshold, dc.transactions_comparison) == (200, "at_least")
    assert threshold_met(dc, Decimal("0"), 200) and not threshold_met(dc, Decimal("0"), 199)
    assert not threshold_met(dc, Decimal("100000"), 0) and threshold_met(dc, Decimal("100000.01"), 0)
    assert dc.confidence == "conflict" and "more than 200" in dc.notes and dc.last_verified == date(2026, 12, 6)
    assert "DCCouncil/law-xml-codified" in dc.sources[0] and dc.sources[0].endswith("/47-2001.xml")


ABROAD = {"categories": {"goods": "counted", "digital": "not_counted", "saas": "not_counted", "services": "unknown"},
          "counted": "exports are zero-rated", "not_counted": "supplied abroad", "unknown": "depends",
          "sources": ["https://example.org/abroad"]}


@pytest.mark.parametrize("row", [r for r in raw_rows() if r.get("establishment") == "established"
                                 and not r.get("members")], ids=lambda r: f"{r['jurisdiction']}@{r['effective_from']}")
def test_every_domestic_test_says_which_sales_abroad_it_counts(row):
    # A domestic registration test measures the seller's own turnover, which may include exports: each says, per
    # category, whether sales to customers abroad count, why, and from which sources.
    said = row["sales_abroad"]
    assert set(said["categories"]) == {"goods", "digital", "saas", "services"}
    assert all(said[v] for v in set(said["categories"].values()))
    assert said["sources"] and said["notes"]


@pytest.mark.parametrize("abroad", [{**ABROAD, "categories": {"goods": "counted"}},
                                    {**ABROAD, "categories": {**ABROAD["categories"], "goods": "maybe"}},
                                    {**ABROAD, "sources": []}, {**ABROAD, "unknown": ""}])
def test_loader_refuses_a_malformed_sales_abroad(abroad):
    with pytest.raises(RulesError, match="sales_abroad"):
        book(make_rule(establishment="established", sales_abroad=abroad))


def test_sales_abroad_is_for_domestic_tests_only():
    with pytest.raises(RulesError, match="sales_abroad"):
        book(make_rule(establishment="non_established", sales_abroad=ABROAD))
    rule = book(make_rule(establishment="established", sales_abroad=ABROAD)).rules[0]
    assert (rule.abroad("US-ZZ"), rule.abroad("JP"), rule.reaches("JP")) == (False, True, True)
    # a line of unknown category takes the verdict all categories share, else 'unknown'
    assert rule.sales_abroad.verdict("unknown") == "unknown"


def test_marketplace_deemed_names_counted_categories_of_a_rule_that_counts_marketplace_sales():
    # Categories a marketplace supplies itself (digital services through a platform) only mean something where the
    # rule counts the seller's other marketplace sales.
    with pytest.raises(RulesError, match="marketplace_deemed"):
        book(make_rule(marketplace="excluded", marketplace_deemed=["digital"]))
    with pytest.raises(RulesError, match="marketplace_deemed"):
        book(make_rule(marketplace="included", categories=["goods"], marketplace_deemed=["digital"]))
    rule = book(make_rule(marketplace="included", marketplace_deemed=["digital", "saas"])).rules[0]
    assert rule.marketplace_deemed == ("digital", "saas")


def test_kentucky_from_august_2026_keeps_its_transaction_test_and_says_the_change_is_unconfirmed():
    """A 2026 bill is reported (by one secondary source) to remove the 200-transaction test from 2026-08-01; its
    enacted text could not be read, so the figure stays and the row, and every finding it gives, says so."""
    rules = load_rules()
    before, after = rules.in_force("US-KY", date(2026, 7, 31)), rules.in_force("US-KY", date(2026, 8, 1))
    assert before.effective_to == date(2026, 7, 31) and after.effective_from == date(2026, 8, 1)
    assert (after.sales_threshold, after.transactions_threshold) == (before.sales_threshold, 200)
    assert after.confidence == "conflict" and after.notes.startswith("Unconfirmed from 2026-08-01")
    assert after.last_verified == date(2026, 12, 6)
    ledger = Ledger()
    for n in range(250):  # 250 sales of USD 40 in 2026: the transaction test alone
        ledger.add(Order("", date(2026, 9, 1), "US-KY", Decimal("40"), "USD", "direct", "sale", "no", "goods",
                         Location("o.csv", n + 2)))
    ky = next(f for f in check(ledger, rules, date(2026, 12, 6)).findings if f.jurisdiction == "US-KY")
    assert ky.status == "exceeded"
    assert any(r.startswith("Sources disagree: Unconfirmed from 2026-08-01") for r in ky.reasons)


def test_illinois_and_tennessee_thresholds_rest_on_the_departments_own_texts():
    """Illinois: IDOR Informational Bulletin FY 2026-12 removes the 200-transaction test from 2026-01-01. Tennessee:
    Rule 1320-05-01-.129(2) (sales that 'exceed $500,000') from 2019-10-01, USD 100,000 from 2020-10-01 (RS-1)."""
    rules = load_rules()
    illinois = rules.in_force("US-IL", date(2026, 1, 1))
    assert illinois.sources[0].endswith("/bulletins/fy-2026-12.html") and "FY 2026-12" in illinois.notes
    assert illinois.confidence == "official" and illinois.last_verified == date(2026, 12, 6)
    early, late = rules.in_force("US-TN", date(2020, 9, 30)), rules.in_force("US-TN", date(2020, 10, 1))
    assert (early.sales_threshold, early.sales_comparison) == (Decimal("500000"), "more_than")
    assert any("1320-05-01-129" in s for s in early.sources) and early.last_verified == date(2026, 12, 6)
    assert late.sales_threshold == Decimal("100000") and late.last_verified == date(2026, 12, 6)


@pytest.mark.parametrize("changes, figures, met", [
    # Sales or transactions, each as the rule words it: "more than" is not met at the threshold, "at least" is.
    ({"sales_threshold": Decimal(100), "sales_comparison": "more_than", "transactions_threshold": 10,
      "transactions_comparison": "at_least", "combine": "or"}, (Decimal(100), 9), False),
    ({"sales_threshold": Decimal(100), "sales_comparison": "more_than", "transactions_threshold": 10,
      "transactions_comparison": "at_least", "combine": "or"}, (Decimal("100.01"), 0), True),
    ({"sales_threshold": Decimal(100), "sales_comparison": "more_than", "transactions_threshold": 10,
      "transactions_comparison": "at_least", "combine": "or"}, (Decimal(0), 10), True),
    # Sales and transactions: both.
    ({"sales_threshold": Decimal(100), "sales_comparison": "at_least", "transactions_threshold": 10,
      "transactions_comparison": "at_least", "combine": "and"}, (Decimal(100), 9), False),
    ({"sales_threshold": Decimal(100), "sales_comparison": "at_least", "transactions_threshold": 10,
      "transactions_comparison": "at_least", "combine": "and"}, (Decimal(100), 10), True),
    # A transaction test alone; no threshold at all (met under "and", as all() of nothing, never under "or").
    ({"sales_threshold": None, "transactions_threshold": 200, "transactions_comparison": "more_than"},
     (Decimal(10 ** 9), 200), False),
    ({"sales_threshold": None, "transactions_threshold": None, "combine": "and"}, (Decimal(0), 0), True),
    ({"sales_threshold": None, "transactions_threshold": None, "combine": "or"}, (Decimal(10 ** 9), 10 ** 6), False),
    # A worldwide test must be met too.
    ({"sales_threshold": Decimal(0), "sales_comparison": "more_than", "transactions_threshold": None,
      "global_threshold": Decimal(1000), "global_comparison": "at_least"}, (Decimal(1), 1, Decimal(999)), False),
    ({"sales_threshold": Decimal(0), "sales_comparison": "more_than", "transactions_threshold": None,
      "global_threshold": Decimal(1000), "global_comparison": "at_least"}, (Decimal(1), 1, Decimal(1000)), True),
])
def test_a_rules_test_as_a_function_of_its_figures(changes, figures, met):
    """threshold_test reads a rule's thresholds once and gives the test the dating applies to every day: the same
    answers as threshold_met, worked out by hand from the comparisons."""
    rule = replace(load_rules().in_force("US-DC", date(2024, 6, 30)), **changes)
    assert threshold_test(rule)(*figures) is met
    assert threshold_met(rule, *figures) is met


def test_the_sums_a_check_shares_between_rule_versions_keep_apart_what_a_marketplace_supplies_itself():
    """A check sums a rule's daily sales once and shares them with the next rule version that counts the same way;
    the key left out the categories a marketplace is deemed to supply itself, so a version deeming digital sales the
    marketplace's was handed the sums of one that counts them (a marketplace's USD 500.00 of digital sales)."""
    from nexus.measures import summed

    counts, deems = (book(make_rule(), make_rule(jurisdiction="US-ZY", marketplace_deemed=["digital"])).rules)
    series = {date(2026, 1, 5): [Decimal("500.00"), 1]}
    rows = [(("US-ZZ", "USD", "marketplace", "sale", "no", "digital"), series)]
    sums: dict = {}
    assert summed(counts, rows, sums) == {("USD", None): {date(2026, 1, 5): [Decimal("500.00"), 1]}}
    assert summed(deems, rows, sums) == {("USD", "marketplace"): {date(2026, 1, 5): [Decimal("500.00"), 1]}}


def test_every_source_host_of_the_rules_abroad_is_classified():
    """tests/data_sources.py names each host as primary, a copy of a primary text, or secondary, so that a row's
    confidence can be judged from where it rests; a host no list names is a source nobody has classified."""
    rows = json.loads(resources.files("nexus").joinpath("data").joinpath("international-vat-gst.json")
                      .read_text(encoding="utf-8"))["rules"]
    assert [p for p in unmarked(rows, "international-vat-gst") if "is in no list" in p] == []


def _abroad(jurisdiction, scheme, start):
    return next(r for r in load_rules().rules if (r.jurisdiction, r.scheme, r.effective_from.isoformat())
                == (jurisdiction, scheme, start))


@pytest.mark.parametrize("scheme, start", [("union-wide threshold", "2019-01-01"),
                                           ("union-wide threshold", "2021-01-01"),
                                           ("non-Union OSS / IOSS", "2021-01-01")])
def test_eu_electronic_services_rules_before_july_2021_rest_on_the_directive_read(scheme, start):
    """Art. 58 VAT Directive as Directive 2017/2455 rewrote it from 2019-01-01 (legislation.gov.uk's copy): the
    customer's member state once B2C electronic services to other member states exceed EUR 10,000 in the current
    calendar year or did in the preceding one, for a seller established in one member state only; a seller outside
    the EU is never within that test, so it owes the tax from the first sale."""
    rule = _abroad("EU", scheme, start)
    assert rule.confidence == "official" and rule.last_verified == date(2026, 12, 6)
    assert rule.sources[0] == "https://www.legislation.gov.uk/eudr/2006/112/article/58/data.html"
    assert (rule.currency, rule.sales_comparison) == ("EUR", "more_than")
    assert rule.period == "current_or_previous_calendar_year"
    assert rule.categories == ("digital", "saas")
    expected = Decimal("10000") if scheme == "union-wide threshold" else Decimal("0")
    assert rule.sales_threshold == expected
    assert threshold_met(rule, expected + Decimal("0.01"), 0) and not threshold_met(rule, expected, 0)


def test_swiss_mail_order_threshold_is_at_least_chf_100000_as_the_estv_and_the_ordinance_say():
    """ESTV's mail-order page and MWSTV art. 166b both say 'mindestens 100 000 Franken': CHF 100,000 exactly makes
    the seller liable. Only secondary sources said 'more than', so the row is no longer a conflict and a finding
    no longer prints 'Sources disagree'."""
    rule = _abroad("CH", "mail order", "2019-01-01")
    assert rule.confidence == "official" and "estv.admin.ch" in rule.sources[0]
    assert (rule.currency, rule.sales_threshold, rule.sales_comparison) == ("CHF", Decimal("100000"), "at_least")
    assert threshold_met(rule, Decimal("100000"), 0) and not threshold_met(rule, Decimal("99999.99"), 0)


def test_irish_distance_selling_threshold_rests_on_the_act():
    """VAT Consolidation Act 2010 s. 30(2)(a)(i): distance sales into Ireland stay taxed where dispatched while they
    do not exceed EUR 35,000 in a calendar year, so EUR 35,000.00 stays below and one cent more crosses."""
    rule = _abroad("IE", "distance selling (goods, before 2021-07)", "2015-01-01")
    assert rule.confidence == "official" and "irishstatutebook.ie" in rule.sources[0]
    assert (rule.currency, rule.sales_threshold, rule.effective_to) == ("EUR", Decimal("35000"), date(2021, 6, 30))
    assert not threshold_met(rule, Decimal("35000"), 0) and threshold_met(rule, Decimal("35000.01"), 0)


def test_japans_platform_rule_makes_the_platform_the_supplier_of_electronic_services_only_from_april_2025():
    """Consumption Tax Act art. 15-2(1) (NTA Tax Answer 6568): from 2025-04-01 a specified platform operator is the
    supplier of the electronic services a foreign business sells to consumers through it. Before, no rule made a
    platform the supplier: those sales, and services outside the rule at any time, were the seller's own. The rules
    file said 'marketplace excluded' from 2015, so the sample's marketplace services in Japan (JPY 70,078 in the
    first quarter of 2025 and 114,489 in the second: 184,567) were left out of Japan's specified-period test: the
    README's JPY 1,823,240 is JPY 2,007,807 with them."""
    versions = sorted((r for r in load_rules().rules if r.jurisdiction == "JP" and r.establishment == "non_established"),
                      key=lambda r: r.effective_from)
    assert [(r.effective_from, r.effective_to, r.marketplace, r.marketplace_deemed) for r in versions] == [
        (date(2015, 10, 1), date(2025, 3, 31), "included", ()),
        (date(2025, 4, 1), None, "included", ("digital", "saas"))]
    assert versions[1].sources[0] == "https://www.nta.go.jp/taxes/shiraberu/taxanswer/shohi/6568.htm"
    assert "designated platform" in versions[1].notes and "do not name it" in versions[1].notes
