"""The registration-timing and marketplace-facilitator tables: complete, sourced, dated, and consistent.

Besides the shape of every row, this file holds an executable reading of each start ``kind`` (``start``
below) and checks it against the worked examples the sources themselves give (Colorado's 15 June to
1 October, Iowa's 15 September to 1 November, Tennessee's 15 January to 1 April...). If a kind's
definition in the data drifts from what the sources say, or a row is given the wrong kind, these fail.
"""
import json
from datetime import date, timedelta
from importlib import resources

import pytest
from data_sources import kind as source_kind, unmarked

from nexus.periods import PARTS
from nexus.rules import ESTABLISHMENTS, PERIOD_LABELS
from nexus.timing_rules import Start

OPEN_END = date(9999, 12, 31)
CONFIDENCES = {"official", "secondary", "conflict", "unknown"}
DAYS_KINDS = {"after_days", "first_of_month_after_days", "first_of_month_after_days_or_next_year",
              "first_of_month_at_least_days", "month_start_within_days", "day_of_next_month",
              "days_after_month_end", "after_days_or_next_year", "first_of_month_after_months_plus_days",
              "first_of_next_year_plus_days"}
MONTHS_KINDS = {"first_of_month_after_months", "quarter_end_plus_months", "first_of_month_after_months_plus_days"}
DATE_REQUIRED = {"next_date", "next_transaction_not_before"}
DATE_ALLOWED = {"next_date", "first_of_next_quarter", "next_transaction_not_before"}
REGISTER_ONLY = {"same_as_collect", "before_first_sale", "promptly_after_period_end"}


def load(name):
    text = resources.files("nexus").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return json.loads(text)


TIMING = load("registration-timing.json")
MARKETPLACE = load("marketplace-facilitator-laws.json")
RULES = load("us-economic-nexus.json")["rules"] + load("international-vat-gst.json")["rules"]


def day(text):
    return OPEN_END if text is None else date.fromisoformat(text)


def rule_key(rule):
    return rule["jurisdiction"], rule.get("scheme", ""), rule.get("establishment", "any")


def rows_for(key):
    jurisdiction, scheme, establishment = key
    return [row for row in TIMING["rules"] if row["jurisdiction"] == jurisdiction and row["scheme"] == scheme
            and row["establishment"] in (establishment, "any")]


def row_on(jurisdiction, when, scheme="", establishment="any"):
    matches = [row for row in rows_for((jurisdiction, scheme, establishment))
               if day(row["effective_from"]) <= when <= day(row["effective_to"])]
    assert len(matches) == 1, (jurisdiction, when, matches)
    return matches[0]


# --- the kinds, read by nexus.timing_rules (one implementation, checked here against the sources' examples) ----

def start(spec, crossing, window_end=None):
    """The day a collect/register spec gives for a crossing day (window_end: see the next_date kind)."""
    if spec["kind"] not in TIMING["kinds"] or spec["kind"] in ("same_as_collect", "unknown"):
        raise AssertionError(f"no date for kind {spec['kind']}")
    return Start(spec["kind"], spec["days"], spec["months"], spec["date"]).when(
        crossing, window_end or date(crossing.year, 12, 31))


# --- shape of every row --------------------------------------------------------------------------

@pytest.mark.parametrize("row", TIMING["rules"],
                         ids=lambda r: f"{r['jurisdiction']}/{r['scheme']}/{r['establishment']}@{r['effective_from']}")
def test_every_timing_row_is_sourced_dated_and_well_formed(row):
    assert row["sources"] and all(s.startswith(("https://", "http://")) for s in row["sources"])
    assert day(row["effective_from"]) <= day(row["effective_to"])
    assert date.fromisoformat(row["last_verified"])
    assert row["confidence"] in CONFIDENCES
    assert row["notes"], "every row explains itself"
    assert len(row["wording"]) < 300
    assert row["wording"] or row["confidence"] == "unknown", "a row without a quotation is an unknown one"
    assert row["establishment"] in ESTABLISHMENTS
    assert row.get("period") in (None, *PERIOD_LABELS)
    for role in ("collect", "register"):
        spec = row[role]
        assert set(spec) == {"kind", "days", "months", "date"}, spec
        kind = spec["kind"]
        assert kind in TIMING["kinds"], kind
        assert role == "register" or kind not in REGISTER_ONLY, f"{kind} is for registration only"
        assert (spec["days"] is not None) == (kind in DAYS_KINDS), spec
        assert (spec["months"] is not None) == (kind in MONTHS_KINDS), spec
        assert spec["date"] is not None or kind not in DATE_REQUIRED, spec
        assert spec["date"] is None or (kind in DATE_ALLOWED and len(spec["date"]) == (
            10 if kind == "next_transaction_not_before" else 5)), spec
    assert row["remains"]["kind"] in TIMING["remains_kinds"] and row["remains"]["note"]


def test_every_kind_used_is_defined_and_every_defined_kind_is_computable():
    for kind in TIMING["kinds"]:
        if kind in REGISTER_ONLY or kind == "unknown":
            continue
        spec = {"kind": kind, "days": 30 if kind in DAYS_KINDS else None,
                "months": 2 if kind in MONTHS_KINDS else None,
                "date": {"next_date": "10-01", "next_transaction_not_before": "2024-06-01"}.get(kind)}
        assert start(spec, date(2024, 5, 17), date(2024, 9, 30)) >= date(2024, 5, 17)


def test_timing_rows_are_sorted_and_versions_never_overlap():
    rows = TIMING["rules"]
    keys = [(r["jurisdiction"], r["scheme"], r["establishment"], r["effective_from"]) for r in rows]
    assert keys == sorted(keys)
    by_key = {}
    for row in rows:  # the rows of one test of a rule of several (its period) are versions of their own
        by_key.setdefault((row["jurisdiction"], row["scheme"], row["establishment"], row.get("period")), []).append(row)
    for versions in by_key.values():
        for earlier, later in zip(versions, versions[1:]):
            assert day(earlier["effective_to"]) < day(later["effective_from"]), (earlier, later)


RULES_WITH_A_TAX = [rule for rule in RULES if rule.get("sales_tax", True)]


@pytest.mark.parametrize("rule", RULES_WITH_A_TAX,
                         ids=lambda r: f"{r['jurisdiction']}/{r.get('scheme', '')}@{r['effective_from']}")
def test_every_rule_has_timing_for_every_day_it_is_in_force(rule):
    """Every day from the rule's effective_from to its effective_to (or for ever) has exactly one row."""
    intervals = sorted((day(r["effective_from"]), day(r["effective_to"])) for r in rows_for(rule_key(rule)))
    first, last = day(rule["effective_from"]), day(rule.get("effective_to"))
    covered_to = first - timedelta(days=1)
    for begins, ends in intervals:
        if ends < first:
            continue
        assert begins <= covered_to + timedelta(days=1), f"{rule_key(rule)}: no timing from {covered_to + timedelta(days=1)}"
        covered_to = max(covered_to, ends)
        if covered_to >= last:
            break
    assert covered_to >= last, f"{rule_key(rule)}: no timing after {covered_to}"


@pytest.mark.parametrize("rule", [r for r in RULES_WITH_A_TAX if r.get("period") in PARTS],
                         ids=lambda r: f"{r['jurisdiction']}/{r.get('scheme', '')}@{r['effective_from']}")
def test_a_rule_of_several_tests_has_a_timing_row_for_each_test(rule):
    """Canada's small-supplier rule measures one quarter and the four before it: each test has its own start row
    for the rule's days, and no row for the rule as a whole (which would date either test the same way)."""
    rows = rows_for(rule_key(rule))
    assert sorted({row.get("period") for row in rows}) == sorted(PARTS[rule["period"]])
    for part in PARTS[rule["period"]]:
        mine = [row for row in rows if row.get("period") == part]
        assert min(day(row["effective_from"]) for row in mine) <= day(rule["effective_from"])


def test_canada_small_supplier_start_rules_reproduce_the_sources_examples():
    # allabouttax.ca's examples (2012), on the same days of 2022: (1) a quarter over CAD 30,000 with an order of
    # 20 November: taxable from that supply, registered by 19 December; (2) four quarters over at 31 December: a small
    # supplier until 31 January, taxable from the first supply in February, registered within 29 days of it.
    rows = {row["period"]: row for row in rows_for(("CA", "", "established"))}
    quarter, four = rows["current_calendar_quarter"], rows["preceding_12_months_at_quarter_end"]
    assert start(quarter["collect"], date(2022, 11, 20)) == date(2022, 11, 20)
    assert start(quarter["register"], date(2022, 11, 20)) == date(2022, 12, 19)
    assert start(four["collect"], date(2022, 12, 31)) == date(2023, 2, 1)
    assert start(four["register"], date(2022, 12, 31)) == date(2023, 3, 2)


def test_states_without_a_sales_tax_have_no_timing_rows():
    no_tax = {rule["jurisdiction"] for rule in RULES if rule.get("sales_tax") is False}
    assert no_tax == {"US-DE", "US-MT", "US-NH", "US-OR"}
    assert not no_tax & {row["jurisdiction"] for row in TIMING["rules"]}


def test_every_timing_row_belongs_to_a_rule():
    keys = {rule_key(rule) for rule in RULES_WITH_A_TAX}
    for row in TIMING["rules"]:
        key = (row["jurisdiction"], row["scheme"], row["establishment"])
        assert key in keys or (row["establishment"] == "any" and any(k[:2] == key[:2] for k in keys)), key


# --- the sources' own worked examples ------------------------------------------------------------

@pytest.mark.parametrize("jurisdiction, crossing, window_end, collect_from, register_by", [
    # Colorado (andersonjahde.com): over $100,000 on 15 June 2021, 90th day 13 September, nexus from 1 October.
    ("US-CO", "2021-06-15", None, "2021-10-01", "2021-10-01"),
    # Colorado: a crossing late in the year is capped by the previous-year rule at 1 January.
    ("US-CO", "2021-11-20", None, "2022-01-01", "2022-01-01"),
    # Iowa (IDR): first over the threshold on 15 September 2023, collect from 1 November 2023.
    ("US-IA", "2023-09-15", None, "2023-11-01", "2023-11-01"),
    # Tennessee (RS-6): threshold met on 15 January 2020, register and collect from 1 April 2020.
    ("US-TN", "2020-01-15", None, "2020-04-01", "2020-04-01"),
    # Ohio (Department of Taxation, example 2): over $100,000 on 15 October 2019, nexus from 16 October.
    ("US-OH", "2019-10-15", None, "2019-10-16", "2019-10-16"),
    # Texas (Rule 3.286 as reported): over the safe harbour in June 2019, permit and collection by 1 October 2019.
    ("US-TX", "2019-06-20", None, "2019-10-01", "2019-10-01"),
    # Nebraska (DOR): over a threshold by the end of February 2019, collect from 1 April 2019.
    ("US-NE", "2019-02-27", None, "2019-04-01", "2019-04-01"),
    # Nevada (R189-18 as reported): threshold met on 1 October 2018, register and collect by 1 November 2018.
    ("US-NV", "2018-10-01", None, "2018-11-01", "2018-11-01"),
    # North Dakota (statute): 60 days, or the next 1 January if earlier.
    ("US-ND", "2019-03-01", None, "2019-04-30", "2019-04-30"),
    ("US-ND", "2019-11-15", None, "2020-01-01", "2020-01-01"),
    # Connecticut: over the thresholds in the 12 months ending 30 September 2024, collect from 1 October 2024.
    ("US-CT", "2024-05-01", "2024-09-30", "2024-10-01", "2024-10-01"),
    # Pennsylvania: 2019 sales decide the collection period from 1 April 2020.
    ("US-PA", "2019-05-01", "2019-12-31", "2020-04-01", "2020-04-01"),
    # Illinois (131.115): over in the lookback ending 31 March 2021, collect from 1 April 2021.
    ("US-IL", "2021-02-10", None, "2021-04-01", "2021-04-01"),
    # Illinois before 2021 (150.803, Example 1): the lookback to 31 December 2018 gives the year to 31 December 2019,
    # so a crossing in that quarter collects from 1 January 2019.
    ("US-IL", "2018-12-10", None, "2019-01-01", "2019-01-01"),
    # Missouri: over in the first quarter of 2023, collect no more than three months after 31 March.
    ("US-MO", "2023-02-10", None, "2023-06-30", "2023-06-30"),
    # Alabama, Michigan: the previous calendar year decides.
    ("US-AL", "2022-08-01", None, "2023-01-01", "2023-01-01"),
    ("US-MI", "2022-08-01", None, "2023-01-01", "2023-01-01"),
    # Kentucky from 2021-07-01: the first of the month at most 60 days after.
    ("US-KY", "2022-06-10", None, "2022-08-01", "2022-08-01"),
    # Louisiana: register within 30 days, collect within 60.
    ("US-LA", "2021-03-01", None, "2021-04-30", "2021-03-31"),
])
def test_us_start_rules_reproduce_the_sources_examples(jurisdiction, crossing, window_end, collect_from, register_by):
    crossed = date.fromisoformat(crossing)
    # The row in force when collection starts (Texas and Pennsylvania enforced from later than the crossing).
    row = row_on(jurisdiction, date.fromisoformat(collect_from))
    window = date.fromisoformat(window_end) if window_end else None
    collect = start(row["collect"], crossed, window)
    register_spec = row["collect"] if row["register"]["kind"] == "same_as_collect" else row["register"]
    assert collect == date.fromisoformat(collect_from)
    assert start(register_spec, crossed, window) == date.fromisoformat(register_by)


@pytest.mark.parametrize("jurisdiction, scheme, establishment, crossing, window_end, collect_from, register_by", [
    # UK (gov.uk via Matthews Hanton): over in the 12 months to 11 May 2022: register by 30 June, effective 1 July.
    ("GB", "", "established", "2022-05-11", None, "2022-07-01", "2022-06-30"),
    # UK non-established: from the first supply, register within 30 days (VATREG37050).
    ("GB", "", "non_established", "2022-05-11", None, "2022-05-11", "2022-06-10"),
    # EU OSS: from the first supply, inform the member state by the 10th of the next month (Art. 57d).
    ("EU", "union-wide threshold", "established", "2021-07-15", None, "2021-07-15", "2021-08-10"),
    # Singapore (IRAS): over at the end of the calendar year, register by 30 January, registered on 1 March.
    ("SG", "", "non_established", "2023-08-01", "2023-12-31", "2024-03-01", "2024-01-30"),
    # Quebec: the threshold is recalculated on the first of each month.
    ("CA-QC", "", "non_established", "2019-03-20", None, "2019-04-01", "2019-04-01"),
    # Switzerland, mail order: domestic from the month after the month CHF 100,000 is reached (ESTV).
    ("CH", "mail order", "non_established", "2019-06-12", None, "2019-07-01", "2019-07-01"),
    # Switzerland, established: CHF 100,000 reached on 15 October 2025; liable from 1 January 2026 (MWSTV Art.
    # 9(3)), register within 30 days of it (MWSTG Art. 66(1)): by 31 January 2026.
    ("CH", "", "established", "2025-10-15", None, "2026-01-01", "2026-01-31"),
    # Mexico (LIVA 18-D): register within 30 calendar days of the first supply.
    ("MX", "", "non_established", "2020-06-05", None, "2020-06-05", "2020-07-05"),
])
def test_international_start_rules_reproduce_the_sources_examples(jurisdiction, scheme, establishment, crossing,
                                                                   window_end, collect_from, register_by):
    crossed = date.fromisoformat(crossing)
    row = row_on(jurisdiction, crossed, scheme, establishment)
    window = date.fromisoformat(window_end) if window_end else None
    register_spec = row["collect"] if row["register"]["kind"] == "same_as_collect" else row["register"]
    assert start(row["collect"], crossed, window) == date.fromisoformat(collect_from)
    assert start(register_spec, crossed, window) == date.fromisoformat(register_by)


def test_japan_counts_the_specified_period_before_the_base_period():
    row = row_on("JP", date(2024, 1, 1))
    assert start(row["collect"], date(2024, 3, 1)) == date(2025, 1, 1)
    assert start(row["collect"], date(2024, 9, 1)) == date(2026, 1, 1)
    # The Act says 'promptly' (art. 57(1)), no day count: counted from the end of the period measured (nexus.windows).
    assert row["register"]["kind"] == "promptly_after_period_end"
    assert "速やかに" in row["wording"] and row["sources"][0].endswith("/363AC0000000108/57")


def test_new_york_quarters_start_in_march():
    row = row_on("US-NY", date(2019, 4, 10))
    assert start(row["collect"], date(2019, 4, 10)) == date(2019, 6, 1)
    assert start(row["collect"], date(2019, 12, 5)) == date(2020, 3, 1)


def test_no_us_timing_row_says_official_on_a_secondary_source():
    """Every host a US row cites is classified (tests/data_sources.py), and an 'official' row's first source is the
    department's or the legislature's own text (or a copy of it). Florida said 'official' on zip2tax's quotation of
    the Department's TIP; it now says 'secondary', the enrolled bill read showing its title only."""
    assert unmarked([row for row in TIMING["rules"] if row["jurisdiction"].startswith("US-")],
                    "registration-timing") == []


# The rows whose start the department's or the legislature's own words (or a copy of them) confirmed on 2026-12-06:
# they rested on practitioners' charts ('secondary'), or said 'unknown' or 'conflict' where the text settles it.
READ_IN_PRIMARY_TEXT = {
    ("US-GA", "2019-01-01"): ("next_transaction", "instalawyer.io/laws/georgia-code/48-8-2"),  # O.C.G.A. 48-8-2(8)
    ("US-IL", "2018-10-01"): ("first_of_next_quarter", "casetext.com/regulation/illinois"),  # 150.803, Example 1
    ("US-VA", "2019-07-01"): ("next_transaction", "tax.virginia.gov/remote-sellers"),  # Virginia Tax's page
    ("US-CO", "2019-06-01"): ("first_of_month_after_days_or_next_year", "casetext.com/regulation/colorado"),
    ("US-MO", "2023-01-01"): ("quarter_end_plus_months", "streamlinedsalestax.org/state-details/missouri"),
    ("US-ME", "2018-07-01"): ("next_transaction", "maine.gov/revenue"),  # MRS: assessed from the threshold
    ("US-VT", "2018-07-01"): ("first_of_next_month", "tax.vermont.gov"),  # 32 V.S.A. 9701(9)(F), monthly
    ("US-UT", "2019-01-01"): ("next_transaction", "tax.utah.gov/sales/remote-sellers"),  # the Tax Commission's page
}


@pytest.mark.parametrize("key", sorted(READ_IN_PRIMARY_TEXT), ids="@".join)
def test_starts_read_in_the_departments_or_the_legislatures_own_words_are_official(key):
    kind, first_source = READ_IN_PRIMARY_TEXT[key]
    row = next(r for r in TIMING["rules"] if (r["jurisdiction"], r["effective_from"]) == key)
    assert row["collect"]["kind"] == kind
    assert row["confidence"] == "official" and row["last_verified"] == "2026-12-06"
    assert first_source in row["sources"][0] and source_kind(row["sources"][0]) in ("primary", "copy")


def test_maryland_collects_from_the_sale_that_meets_the_test_the_regulation_giving_no_grace_month():
    """COMAR 03.06.01.33: a person over $100,000 (or 200 sales) 'during the previous calendar year or the current
    calendar year' engages in business as an out-of-State vendor and 'shall collect and remit' the tax; no grace
    period. The charts' 'first day of the following month' rests on no Maryland text read: a conflict, the earlier
    date used. The README's sample crosses Maryland's test on 2025-12-05: collect and register from 2025-12-05, not
    from 2026-01-01 (the first of the next month, as the row said before)."""
    row = row_on("US-MD", date(2025, 12, 5))
    assert row["confidence"] == "conflict" and row["sources"][0].startswith("https://dsd.maryland.gov/")
    assert start(row["collect"], date(2025, 12, 5)) == date(2025, 12, 5)
    assert row["register"]["kind"] == "same_as_collect"


def test_a_change_of_start_rule_by_date():
    """Kentucky's 2021 change: 30 days before 1 July 2021, 60 days from it."""
    before, after = row_on("US-KY", date(2021, 6, 30)), row_on("US-KY", date(2021, 7, 1))
    assert (before["collect"]["kind"], before["collect"]["days"]) == ("month_start_within_days", 30)
    assert (after["collect"]["kind"], after["collect"]["days"]) == ("month_start_within_days", 60)


# --- marketplace-facilitator laws ----------------------------------------------------------------

def test_marketplace_file_covers_every_state_with_a_sales_tax_once():
    jurisdictions = [row["jurisdiction"] for row in MARKETPLACE["rules"]]
    with_tax = {rule["jurisdiction"] for rule in RULES if rule["jurisdiction"].startswith("US-")
                and rule.get("sales_tax", True)}
    assert len(with_tax) == 47
    assert sorted(jurisdictions) == jurisdictions
    assert set(jurisdictions) == with_tax and len(jurisdictions) == len(set(jurisdictions))


@pytest.mark.parametrize("row", MARKETPLACE["rules"], ids=lambda r: r["jurisdiction"])
def test_every_marketplace_row_is_sourced_and_dated(row):
    assert row["sources"] and all(s.startswith(("https://", "http://")) for s in row["sources"])
    assert date(2017, 1, 1) <= date.fromisoformat(row["effective_from"]) <= date(2026, 12, 4)
    assert row["effective_to"] is None
    assert date.fromisoformat(row["last_verified"])
    assert row["confidence"] in CONFIDENCES and row["notes"]
    assert row["collection"] in MARKETPLACE["kinds"]


def test_only_alabama_and_oklahoma_let_facilitators_choose_not_to_collect():
    """Those two rows are 'election': docs/rules.md says the seller stays liable unless its facilitator collected."""
    elections = {row["jurisdiction"] for row in MARKETPLACE["rules"] if row["collection"] == "election"}
    assert elections == {"US-AL", "US-OK"}


def test_district_of_columbia_facilitator_date_rests_on_otr_and_the_code():
    """OTR's release of 2019-04-01: facilitators must collect 'Effective April 1, 2019'; D.C. Law 22-258 section 3
    applies the change making facilitators 'retailers' (47-2001(l)) as of April 1, 2019."""
    dc = next(row for row in MARKETPLACE["rules"] if row["jurisdiction"] == "US-DC")
    assert dc["effective_from"] == "2019-04-01" and dc["confidence"] == "official"
    assert dc["sources"][0].startswith("https://otr.cfo.dc.gov/release/effective-april-1-marketplace-facilitators")
    assert "April 1, 2019" in dc["notes"] and "January 1, 2019" in dc["notes"] and dc["last_verified"] == "2026-12-06"


def test_iowa_facilitators_collect_from_1_january_2019_as_the_idr_says():
    """The IDR's marketplace-facilitators page: facilitators 'must begin collecting Iowa sales tax ... on January 1,
    2019' (SF 2417). The row said 2019-07-01, the date of HF 779's revenue-only threshold on the remote-sellers page,
    so a seller's Iowa marketplace sales of January to June 2019, which its facilitator collected on, were its own."""
    iowa = next(row for row in MARKETPLACE["rules"] if row["jurisdiction"] == "US-IA")
    assert iowa["effective_from"] == "2019-01-01" and iowa["confidence"] == "official"
    assert iowa["sources"][0] == "https://tax.iowa.gov/marketplace-facilitators"
    assert iowa["last_verified"] == "2026-12-06"


def test_no_marketplace_row_says_official_on_a_secondary_source():
    """Every host cited is classified (tests/data_sources.py), and an 'official' row's first source is the
    department's or the legislature's own text (or a copy of it), never a vendor's or a firm's note."""
    assert unmarked(MARKETPLACE["rules"], "marketplace-facilitator-laws") == []


def first_of_month_after(day_):
    return date(day_.year + day_.month // 12, day_.month % 12 + 1, 1)


# The day each department's or legislature's own text gives, as quoted in the row's notes (read 2026-12-06).
PRIMARY_MARKETPLACE_DAYS = {
    "US-CA": date(2019, 10, 1),  # CDTFA tax guide: "beginning October 1, 2019, a marketplace facilitator is ..."
    "US-CT": date(2018, 12, 1),  # OLR summary of P.A. 18-152: "EFFECTIVE DATE: December 1, 2018"
    "US-IL": date(2020, 1, 1),  # 86 Ill. Adm. Code 150.804: "Provisions Controlling from January 1, 2020 ..."
    "US-IN": date(2019, 7, 1),  # DOR: "Beginning on July 1, 2019, 'marketplace facilitators' must register ..."
    "US-MA": date(2019, 10, 1),  # DOR FAQ: "Starting October 1, 2019, ..."; "Marketplaces must collect tax ..."
    "US-MO": date(2023, 1, 1),  # RSMo 144.752: "Effective - 01 Jan 2023"
    "US-NC": date(2020, 2, 1),  # NCDOR FAQ: "apply to sales occurring on or after February 1, 2020"
    "US-OH": date(2019, 9, 1),  # Department of Taxation: "beginning September 1, 2019 (at the earliest)"
    # ARSSTC: "the beginning of the month following 30 days after adoption"; Juneau, the first member, adopted the
    # Code on 2020-02-03: 30 days on is 2020-03-04, so 2020-04-01.
    "US-AK": first_of_month_after(date(2020, 2, 3) + timedelta(days=30)),
}


@pytest.mark.parametrize("jurisdiction, collect_from", sorted(PRIMARY_MARKETPLACE_DAYS.items()))
def test_marketplace_days_rest_on_the_departments_or_the_legislatures_own_text(jurisdiction, collect_from):
    """These rows rested on vendors' and firms' notes ('secondary'); each now cites the primary text first."""
    row = next(row for row in MARKETPLACE["rules"] if row["jurisdiction"] == jurisdiction)
    assert date.fromisoformat(row["effective_from"]) == collect_from
    assert row["confidence"] == "official" and row["last_verified"] == "2026-12-06"
    assert source_kind(row["sources"][0]) in ("primary", "copy"), row["sources"][0]


def test_minnesota_facilitator_date_is_a_conflict_kept_at_the_later_day():
    """STI and Avalara date Minnesota's marketplace-provider collection 2018-10-01, stateandlocaltax.com 2019-10-01;
    no Department text was read: the later day (the higher exposure) is kept and the row says 'conflict'."""
    minnesota = next(row for row in MARKETPLACE["rules"] if row["jurisdiction"] == "US-MN")
    assert (minnesota["effective_from"], minnesota["confidence"]) == ("2019-10-01", "conflict")
    assert "October 1, 2018" in minnesota["notes"]


def test_wisconsin_facilitator_date_is_a_conflict_between_the_departments_two_days():
    """The DOR: remote marketplace providers had to collect from 2018-10-01, and Act 10, from which only the provider
    is liable, took effect 2020-01-01. The later day is kept (the seller may owe on its 2018-2019 marketplace sales)."""
    wisconsin = next(row for row in MARKETPLACE["rules"] if row["jurisdiction"] == "US-WI")
    assert (wisconsin["effective_from"], wisconsin["confidence"]) == ("2020-01-01", "conflict")
    assert wisconsin["sources"][0].startswith("https://revenue.wi.gov/")
    assert "October 1, 2018" in wisconsin["notes"] and "January 1, 2020" in wisconsin["notes"]
