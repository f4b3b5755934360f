"""A home whose domestic registration test made its tax due before the registration the registrations file holds
(Japan's from 2026-01-01, registered from 2026-04-01): the sales of the days between carry tax not collected,
estimated as any registration that came late. Before, the gap was said ('90 days ... are not covered by
collection') and nothing estimated. The orders are small and the figures worked by hand: the gap's sales times the
home's rate (data/taxability.json, a seller established there), rounded once at the end.

Each home's own law on the days between, as nexus's data and docs/rules.md give it: Japan, a taxable business owes
the tax of the taxable period from its first day (Consumption Tax Act art. 9(1)); Germany, the small-business
exemption ends on 1 January after a year over EUR 25,000 (§ 19(1) UStG); the UK, registration from the first day
of the second month after the month-end test is met (VAT Act 1994 Sch. 1); Australia, GST from the day the
business was required to be registered (GST Act s. 25-10); Canada, tax on the supply that passes CAD 30,000 in a
quarter (Excise Tax Act s. 148); Switzerland, VAT from 1 January after a year of CHF 100,000 (MWSTV art. 9(3))."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from nexus import penalties
from nexus.check import check
from nexus.findings import Context
from nexus.errors import Location, RulesError
from nexus.money import quantize
from nexus.registrations import Registration
from nexus.rules import load_rules
from nexus.orders import Order
from nexus.ledger import Ledger

AS_OF = date(2026, 6, 30)

# home: currency, orders (day, amount; the first meets the domestic test, the next two fall in the gap, the last is
# collected under the registration), the registration's day, the gap (first day, last day, days), the tax on the
# gap's sales rounded once, and the voluntary-disclosure scenario's note.
HOMES = {
    # JPY 10,000,001 in the specified period 2025-01-01 to 2025-06-30 -> taxable from 2026-01-01. Gap 2026-01-01 to
    # 2026-03-31 (31 + 28 + 31 = 90 days): JPY 100,005 x 2 = 200,010 x 10% = 20,001.0 -> JPY 20,001 (each sale
    # rounded alone, 10,000.5 -> 10,001, would give 20,002). Japan's late-return reduction (国税通則法 art. 66) is
    # general law: the scenario is estimated, with no look-back of its own.
    "JP": ("JPY", [("2025-01-10", "10000001"), ("2026-02-10", "100005"), ("2026-03-10", "100005"),
                   ("2026-05-10", "50000")], "2026-04-01", ("2026-01-01", "2026-03-31", 90), "20001",
           "no look-back of its own: every month of tax due is kept"),
    # EUR 25,001 in 2025 -> VAT from 2026-01-01. Gap 90 days: EUR 100.50 x 2 = 201.00 x 19% = 38.19 (alone: 19.095
    # -> 19.10, twice 38.20). No programme in Germany (the Selbstanzeige is no agreement on the tax).
    "DE": ("EUR", [("2025-03-01", "25001.00"), ("2026-02-10", "100.50"), ("2026-03-10", "100.50"),
                   ("2026-05-10", "50.00")], "2026-04-01", ("2026-01-01", "2026-03-31", 90), "38.19",
           "not estimated: no voluntary disclosure programme"),
    # GBP 90,001 in the 12 months to 2025-06-30 -> registered from 2025-08-01. Gap 2025-08-01 to 2025-09-30 (31 + 30 =
    # 61 days): GBP 100.03 x 2 = 200.06 x 20% = 40.012 -> 40.01 (alone: 20.006 -> 20.01, twice 40.02). HMRC's
    # failure-to-notify terms reach back 240 months.
    "GB": ("GBP", [("2025-06-10", "90001.00"), ("2025-08-10", "100.03"), ("2025-09-10", "100.03"),
                   ("2025-11-10", "50.00")], "2025-10-01", ("2025-08-01", "2025-09-30", 61), "40.01",
           "look-back of 240 months: months from 2006-06-01; penalties kept in full: the programme reduces them in "
           "part, by terms not estimated"),
    # AUD 75,001 in June 2025 -> GST from that day, 2025-06-10 (the crossing sale is in the gap). Gap 2025-06-10 to
    # 2025-09-30 (21 + 31 + 31 + 30 = 113 days): AUD 75,001.00 + 100.03 + 100.03 = 75,201.06 x 10% = 7,520.106 ->
    # 7,520.11 (alone: 7,500.10 + 10.00 + 10.00 = 7,520.10).
    "AU": ("AUD", [("2025-06-10", "75001.00"), ("2025-07-10", "100.03"), ("2025-08-10", "100.03"),
                   ("2025-11-10", "50.00")], "2025-10-01", ("2025-06-10", "2025-09-30", 113), "7520.11",
           "the programme's look-back is not known: every month is kept; penalties kept in full: the programme "
           "reduces them in part, by terms not estimated; interest due, not estimated"),
    # CAD 30,001 in the quarter -> GST on that supply, 2025-06-10. Gap 113 days: CAD 30,201.06 x 5% = 1,510.053 ->
    # 1,510.05.
    "CA": ("CAD", [("2025-06-10", "30001.00"), ("2025-07-10", "100.03"), ("2025-08-10", "100.03"),
                   ("2025-11-10", "50.00")], "2025-10-01", ("2025-06-10", "2025-09-30", 113), "1510.05",
           "the programme's look-back is not known: every month is kept; penalties waived; interest due, not "
           "estimated"),
    # CHF 100,001 in 2025 -> VAT from 2026-01-01. Gap 90 days: CHF 200.06 x 8.1% = 16.20486 -> 16.20.
    "CH": ("CHF", [("2025-06-10", "100001.00"), ("2026-02-10", "100.03"), ("2026-03-10", "100.03"),
                   ("2026-05-10", "50.00")], "2026-04-01", ("2026-01-01", "2026-03-31", 90), "16.20",
           "not estimated: nexus has no voluntary disclosure terms for this jurisdiction"),
}


def home_finding(home: str, registered: str | None = None, collecting: str | None = None):
    currency, orders, day, _, _, _ = HOMES[home]
    ledger = Ledger()
    for when, amount in orders:
        ledger.add(Order("", date.fromisoformat(when), home, Decimal(amount), currency, "direct", "sale", "no", "goods",
                         Location("orders.csv")))
        ledger.rows_read += 1
    registered = registered or day
    held = Registration(home, date.fromisoformat(registered), date.fromisoformat(collecting or registered), "", "",
                        Location("regs.csv", 2))
    result = check(ledger, load_rules(), AS_OF, home=home, timed=Context(registrations=(held,)))
    return next(f for f in result.findings if f.jurisdiction == home), result


@pytest.mark.parametrize("home", sorted(HOMES))
def test_a_home_registered_after_its_tax_was_due_has_the_gap_s_tax_estimated(home):
    currency, _, _, (first, last, days), tax, vda = HOMES[home]
    f, _ = home_finding(home)
    assert (f.status, f.timing.action) == ("established", "registered")
    gap = f.timing.gap
    assert (gap.start, gap.end, gap.days) == (date.fromisoformat(first), date.fromisoformat(last), days)
    e = f.exposure
    assert e is not None and (e.start, e.end) == (date.fromisoformat(first), date.fromisoformat(last))
    assert quantize(e.uncollected.central, currency) == Decimal(tax)
    assert quantize(e.uncollected.low, currency) == quantize(e.uncollected.high, currency) == Decimal(tax)
    assert e.scenarios["vda"].note == vda


def test_a_registration_from_the_day_tax_was_due_leaves_nothing_at_stake():
    # Japan registered from 2026-01-01, the first day consumption tax was due: no gap, no estimate, as before.
    f, _ = home_finding("JP", "2026-01-01")
    assert (f.timing.action, f.timing.gap, f.exposure) == ("registered", None, None)


def test_a_registration_made_in_time_that_collects_later_leaves_the_days_before_collection_at_stake():
    # Registered on 2025-12-15, collecting only from 2026-03-01: 2026-01-01 to 2026-02-28 (59 days), the sale of
    # 2026-02-10 alone: JPY 100,005 x 10% = 10,000.5 -> 10,001.
    f, _ = home_finding("JP", "2025-12-15", "2026-03-01")
    assert (f.timing.gap.start, f.timing.gap.end, f.timing.gap.days) == (date(2026, 1, 1), date(2026, 2, 28), 59)
    assert quantize(f.exposure.uncollected.central, "JPY") == Decimal("10001")


def test_a_home_s_disclosure_uses_only_terms_the_data_says_apply_to_its_own_sellers(monkeypatch):
    # Japan's row says its terms are general law ('established': 'yes'); a row without it is not applied to the
    # home, and the scenario says why, its tax being the base's.
    row = penalties.disclosure("JP", AS_OF)
    assert row is not None and row.established == "yes"
    real = penalties.disclosure
    monkeypatch.setattr(penalties, "disclosure", lambda place, on: replace(real(place, on), established="unknown")
                        if place == "JP" else real(place, on))
    e = home_finding("JP")[0].exposure
    assert e.scenarios["vda"].note == ("not estimated: whether the voluntary disclosure terms in nexus's data apply "
                                       "to a seller established there was not read")
    assert quantize(e.scenarios["vda"].tax.central, "JPY") == Decimal("20001")


def test_a_disclosure_row_with_an_unknown_word_for_established_stops_the_check(monkeypatch):
    # 'true' is not 'yes': read quietly as 'unknown', it would leave a home's disclosure unestimated for a typo.
    doc = {"rules": [{"jurisdiction": "JP", "effective_from": "2024-06-14", "programme": "state", "lookback": "none",
                      "lookback_months": None, "established": "true", "sources": ["x"]}]}
    monkeypatch.setattr(penalties.datafiles, "document", lambda name: doc)
    penalties.disclosure_rows.cache_clear()
    try:
        with pytest.raises(RulesError, match=r"voluntary-disclosure.json row 1: established 'true' \(one of yes, "
                                             r"unknown\)"):
            penalties.disclosure_rows()
    finally:
        penalties.disclosure_rows.cache_clear()
