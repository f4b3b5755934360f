"""nexus provider compare does each piece of work once per distinct input: the check runs today and once or twice
per candidate on mostly the same daily sales (outcomes only: what is worked out, never how long it takes)."""
from __future__ import annotations

import contextlib
import json
from datetime import date, timedelta

from conftest import SAMPLES
from nexus import check as provider_check, estimates, measures, provider, provider_roles, remembered, windows
from nexus.fx import Rates, load_rates
from nexus.provider_profile import read_profile
from nexus.provider_report import comparison_dict
from nexus.text_safety import json_dumps
from nexus.rules import load_rules
from nexus.sales import read_sales

AS_OF = date(2026, 10, 31)
HEADER = "order_id,date,country,region,amount,currency,channel,exempt,category\n"
ORDERS = HEADER + "".join(
    f"{place}{channel[0]}{i},2026-{1 + i // 28:02d}-{1 + i % 28:02d},US,{place},{amount},USD,{channel},no,goods\n"
    for place, amount, channel in (("FL", "900.00", "direct"), ("FL", "50.00", "marketplace"),
                                   ("TX", "1200.00", "direct"), ("PA", "700.00", "direct"), ("CA", "40.00", "direct"))
    for i in range(150))
PROFILES = ('name: Facilitator\ncurrencies: [USD]\nrole:\n  marketplace_facilitator: [US-FL, US-PA]\n',
            'name: Merchant\ncurrencies: [USD]\nstock: ["Reno, US-NV"]\nrole:\n  merchant_of_record: [US-TX]\n')


def _inputs(write):
    ledger = read_sales([write("orders.csv", ORDERS)])
    profiles = [read_profile(write(f"p{i}.yaml", text)) for i, text in enumerate(PROFILES)]
    return ledger, profiles


def test_the_comparison_scans_each_places_days_once(write, monkeypatch):
    """Before: every candidate's check scanned every place's days again, the places its role leaves alone too
    (Texas and California under the facilitator, Florida and Pennsylvania under the merchant of record)."""
    ledger, profiles = _inputs(write)
    seen: list[tuple] = []
    scan = windows._scan

    def counted(versions, start, end, met):
        seen.append((start, end, tuple((id(rule), windows.figures(days, world)) for rule, days, world in versions)))
        return scan(versions, start, end, met)

    monkeypatch.setattr(windows, "_scan", counted)
    provider.compare(profiles, provider.Setup(ledger=ledger), load_rules(), AS_OF)
    assert seen and len(seen) == len(set(seen))


def _comparison_json(write, home: str) -> str:
    """The JSON of the comparison of the test's candidates, with ``home`` and the sample's exchange rates."""
    ledger, profiles = _inputs(write)
    setup = provider.Setup(ledger=ledger, rates=Rates([load_rates(str(SAMPLES / "eurofxref-hist.csv"))]), home=home)
    return json_dumps(comparison_dict(provider.compare(profiles, setup, load_rules(), AS_OF)))


def test_remembering_changes_nothing_in_the_comparison(write, monkeypatch):
    """The JSON of a comparison is the same byte for byte with the scans remembered and without."""
    kept = _comparison_json(write, "US-CA")
    monkeypatch.setattr(provider, "remembered", contextlib.nullcontext)
    assert _comparison_json(write, "US-CA") == kept
    assert json.loads(kept)["candidates"]  # a comparison, not two empty documents


def test_outside_a_comparison_nothing_is_kept():
    assert not remembered.in_force()
    with remembered.remembered():
        assert remembered.in_force() and remembered._MEMO.get() == {}
    assert not remembered.in_force()


def test_the_series_a_role_leaves_alone_are_shared_and_the_input_stays_whole(write):
    """Before: apply_roles copied every day of every series for every candidate. Now a series no role touches is the
    ledger's own; one that takes more days (Florida's marketplace series, joined by its facilitated direct sales) is a
    copy, and the ledger read stays as it was."""
    ledger, _profiles = _inputs(write)
    before = {k: {d: list(v) for d, v in days.items()} for k, days in ledger.series.items()}
    shifted, _shifts = provider_roles.apply_roles(ledger, ["US-FL"], [], AS_OF)
    texas = next(k for k in ledger.series if k[0] == "US-TX")
    market = next(k for k in ledger.series if k[0] == "US-FL" and k[2] == "marketplace")
    assert shifted.series[texas] is ledger.series[texas]
    assert shifted.series[market] is not ledger.series[market]
    assert sum(v[0] for v in shifted.series[market].values()) == 150 * (900 + 50)
    assert {k: {d: list(v) for d, v in days.items()} for k, days in ledger.series.items()} == before


def test_the_homes_own_check_under_a_merchant_of_record_reads_only_the_rules_that_reach_the_home(write, monkeypatch):
    """Before: a merchant of record with a home given ran the whole check a third time, every rule of the book, to
    take the home's findings from it. Those come from the rules that reach the home alone; the comparison is the
    same (test_remembering_changes_nothing_in_the_comparison, and docs/provider.md's run byte for byte)."""
    ledger, profiles = _inputs(write)
    books: list[set[str]] = []
    check = provider.check

    def counted(ledger, book, *args, **kwargs):
        books.append({r.jurisdiction for r in book.rules})
        return check(ledger, book, *args, **kwargs)

    monkeypatch.setattr(provider, "check", counted)
    provider.compare(profiles[1:], provider.Setup(ledger=ledger, home="US-CA"), load_rules(), AS_OF)
    assert len(books) == 3 and books[2] == {"US-CA"}


def test_the_homes_findings_under_a_merchant_of_record_are_measured_once_for_the_candidate(write, monkeypatch):
    """Before: under a merchant of record the home (California) was measured, dated and, where its tax is at stake,
    estimated twice for the candidate: in the check under the candidate, over a ledger the merchant's sales had left,
    only to be replaced, and in the home's own check, whose findings the comparison shows. Now once, in the home's
    own check: with today's, twice in all (three times before). The comparison is the same byte for byte
    (docs/provider.md's run with --home JP, GB, DE, US-CA, US-NV and none: screen, JSON, memo, workbook cells)."""
    ledger, profiles = _inputs(write)
    measured: list[str] = []
    check_rule = provider_check.check_rule

    def counted(rule, *args, **kwargs):
        measured.append(rule.jurisdiction)
        return check_rule(rule, *args, **kwargs)

    monkeypatch.setattr(provider_check, "check_rule", counted)
    candidate = provider.compare(profiles[1:], provider.Setup(ledger=ledger, home="US-CA"), load_rules(),
                                 AS_OF).candidates[0]
    assert measured.count("US-CA") == 2
    assert [f.jurisdiction for f in candidate.result.findings if f.status == "established"] == ["US-CA"]


def test_the_homes_findings_are_the_same_from_the_rules_that_reach_it_as_from_the_whole_book(write, monkeypatch):
    """Japan's own test counts the sales abroad a merchant of record would buy (its exports): measured with the
    rules that reach Japan alone, the comparison is the one the whole book gave, byte for byte."""
    reduced = _comparison_json(write, "JP")
    monkeypatch.setattr(provider, "_reaching", lambda book, home: book)
    assert _comparison_json(write, "JP") == reduced


def test_the_comparison_estimates_each_places_tax_once_per_distinct_input(write, monkeypatch):
    """Before: every candidate's check estimated the tax at stake in every place with nexus again, where the
    candidate's role leaves the place's sales alone too (Texas under the facilitator, Florida and Pennsylvania under
    the merchant of record): the same sales, the same dates of nexus, the same figures. Now each is worked out once
    while the comparison runs (the JSON is unchanged: test_remembering_changes_nothing_in_the_comparison). A sale a
    day in each state from 2025-01-01 to 2026-10-31: nexus today in all three (USD 730,000 in Texas in 2025, USD
    182,500 in Florida and Pennsylvania)."""
    first = date(2025, 1, 1)
    days = [first + timedelta(days=i) for i in range((AS_OF - first).days + 1)]
    ledger = read_sales([write("orders.csv", HEADER + "".join(
        f"{place}{i},{day},US,{place},{amount},USD,direct,no,goods\n"
        for place, amount in (("TX", "2000.00"), ("FL", "500.00"), ("PA", "500.00")) for i, day in enumerate(days)))])
    _ledger, profiles = _inputs(write)
    seen: list[tuple] = []
    estimate = estimates.estimate

    def counted(place_of_rate, jurisdiction, currency, rows, windows, *args, **kwargs):
        days = tuple((key, tuple((d, tuple(v)) for d, v in series.items())) for key, series in rows)
        as_of, _convert, _taxes, collecting_from = args[:4]  # the converter and the tax book: the same ones each time
        seen.append((jurisdiction, tuple(windows), days, as_of, collecting_from))
        return estimate(place_of_rate, jurisdiction, currency, rows, windows, *args, **kwargs)

    monkeypatch.setattr(estimates, "estimate", counted)
    provider.compare(profiles, provider.Setup(ledger=ledger), load_rules(), AS_OF)
    assert {"US-TX", "US-FL", "US-PA"} <= {s[0] for s in seen}
    assert len(seen) == len(set(seen))


def test_the_comparison_sums_each_places_days_once_for_every_check(write, monkeypatch):
    """Before: each check of the comparison (today's, then each candidate's) summed every place's daily sales for each
    way a rule counts them, those of the places no candidate's role touches too. Now a series is summed once for a
    way of counting, whichever check asks first."""
    ledger, profiles = _inputs(write)
    seen: list[tuple] = []
    by_version = measures.by_version

    def counted(rule, series):
        seen.append(measures._counting(rule, [(None, series)]))
        return by_version(rule, series)

    monkeypatch.setattr(measures, "by_version", counted)
    provider.compare(profiles, provider.Setup(ledger=ledger), load_rules(), AS_OF)
    assert seen and len(seen) == len(set(seen))
