"""VAT/GST rules outside the US: each rule below, approaching and exceeded in its own currency; --home."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from nexus.check import check
from nexus.fx import parse_rates
from nexus.periods import periods_for
from nexus.rules import load_rules
from nexus.orders import Order
from nexus.ledger import Ledger
from nexus.errors import Location

AS_OF = date(2026, 11, 27)


def ledger_of(*rows):
    """rows: (day, place, amount, currency[, category])."""
    ledger = Ledger()
    for day, place, amount, code, *rest in rows:
        ledger.add(Order("", day, place, Decimal(amount), code, "direct", "sale", "no",
                         rest[0] if rest else "digital", Location("t.csv")))
        ledger.rows_read += 1
    return ledger


def international():
    rules = [r for r in load_rules().select(AS_OF) + load_rules().select(AS_OF, home="DE")
             + load_rules().select(AS_OF, home="GB") if not r.jurisdiction.startswith("US-")]
    unique = {(r.key, r.effective_from): r for r in rules}
    return sorted(unique.values(), key=lambda r: (r.jurisdiction, r.scheme, r.establishment))


def case(rule, share):
    """A ledger whose sales reach ``share`` of ``rule``'s threshold, and the home to check it with."""
    home = None
    place = rule.members[0] if rule.members else rule.jurisdiction
    if rule.establishment == "established":
        home = "DE" if rule.members else rule.jurisdiction
        place = "FR" if rule.members else rule.jurisdiction
    window = periods_for(rule.period, AS_OF)[0]
    day = window.start + timedelta(days=3)
    category = rule.categories[0]
    # A first-sale rule is met by a sale it reaches: Chile's reaches goods from 2025-10-25, not in January 2025.
    day = max(day, rule.reached_on(category) or day)
    threshold = rule.sales_threshold or Decimal(0)
    amount = (threshold * Decimal(share)).quantize(Decimal(1)) if threshold else Decimal(share > 1)
    rows = [(day, place, amount, rule.currency, category)] if amount else []
    if rule.global_threshold is not None:  # worldwide sales, elsewhere, in the same currency
        rows.append((day, "CN", rule.global_threshold * Decimal(share), rule.currency, "goods"))
        if not threshold:
            rows.append((day, place, Decimal(10), rule.currency, category))
    return ledger_of(*rows), home


def cases():
    """Every rule at 50%, 90% and 110% of its threshold; a rule with no threshold only exceeded (any sale)."""
    for rule in international():
        for share, status in (("0.5", "below"), ("0.9", "approaching"), ("1.1", "exceeded")):
            if rule.sales_threshold == 0 and rule.global_threshold is None and status != "exceeded":
                continue
            yield pytest.param(rule, share, status, id=f"{rule.label}-{rule.establishment}-{status}")


@pytest.mark.parametrize("rule, share, status", list(cases()))
def test_each_rule_below_approaching_and_exceeded_in_its_own_currency(rule, share, status):
    ledger, home = case(rule, Decimal(share))
    result = check(ledger, load_rules(), AS_OF, home=home)
    found = [f for f in result.findings if f.jurisdiction == rule.jurisdiction and f.scheme == rule.scheme]
    assert len(found) == 1, [f.label for f in result.findings]
    finding = found[0]
    if home and not rule.members:  # the seller's own country: established, whatever the figures
        assert finding.status == "established" and abs(finding.ratio - Decimal(share)) < Decimal("0.001")
        return
    assert finding.status == status, finding.reasons[0]
    assert finding.currency == rule.currency
    if status == "exceeded":
        assert finding.reasons[0].startswith("Potential exposure:")


def test_no_threshold_rules_count_only_their_categories():
    ledger = ledger_of((date(2026, 3, 2), "KR", "50000", "KRW", "goods"))  # Korea taxes e-services here
    result = check(ledger, load_rules(), AS_OF)
    kr = next(f for f in result.findings if f.jurisdiction == "KR")
    assert kr.status == "below" and kr.excluded == {"category": Decimal("50000")}


def test_eu_established_seller_union_wide_threshold_and_member_findings():
    ledger = ledger_of((date(2026, 2, 1), "FR", "6000", "EUR", "goods"), (date(2026, 3, 1), "IT", "4500", "EUR"),
                       (date(2026, 3, 2), "DE", "90000", "EUR", "goods"))
    result = check(ledger, load_rules(), AS_OF, home="DE")
    by = {f.jurisdiction: f for f in result.findings if f.jurisdiction in ("EU", "FR", "IT", "DE")}
    assert by["EU"].status == "exceeded" and by["EU"].sales == Decimal("10500.00")  # home sales do not count
    assert by["EU"].crossed_on == date(2026, 3, 1)
    assert (by["FR"].status, by["FR"].sales) == ("exceeded", Decimal("6000.00"))
    assert by["IT"].status == "exceeded" and "VAT of Italy is due" in by["IT"].reasons[0]
    assert by["DE"].status == "established"


def test_eu_established_below_threshold_keeps_home_vat():
    ledger = ledger_of((date(2026, 2, 1), "FR", "6000", "EUR", "goods"))
    result = check(ledger, load_rules(), AS_OF, home="ES")
    fr = next(f for f in result.findings if f.jurisdiction == "FR")
    assert fr.status == "below" and "stay taxed where the seller is established" in fr.reasons[0]


def test_non_eu_seller_owes_vat_in_each_member_state_from_the_first_sale():
    ledger = ledger_of((date(2026, 5, 5), "NL", "12.50", "EUR"), (date(2026, 6, 1), "PL", "30", "EUR"))
    result = check(ledger, load_rules(), AS_OF, home="US-CA")
    by = {f.jurisdiction: f for f in result.findings}
    assert by["EU"].status == "exceeded" and by["EU"].scheme == "non-Union OSS / IOSS"
    assert (by["NL"].status, by["NL"].crossed_on) == ("exceeded", date(2026, 5, 5))
    assert by["PL"].sales == Decimal("30.00")


def test_home_marks_the_home_jurisdiction_established():
    ledger = ledger_of((date(2026, 2, 1), "US-CA", "10", "USD", "goods"), (date(2026, 2, 1), "JP", "1000", "JPY"))
    result = check(ledger, load_rules(), AS_OF, home="US-CA")
    assert next(f for f in result.findings if f.jurisdiction == "US-CA").status == "established"
    result = check(ledger, load_rules(), AS_OF, home="JP")
    jp = next(f for f in result.findings if f.jurisdiction == "JP")
    assert jp.status == "established" and jp.reasons[0].startswith("Established in Japan, the seller's home")


def test_uk_rule_depends_on_establishment():
    ledger = ledger_of((date(2026, 6, 1), "GB", "50000", "GBP", "goods"))
    abroad = next(f for f in check(ledger, load_rules(), AS_OF).findings if f.jurisdiction == "GB")
    assert abroad.status == "exceeded" and abroad.rule.sales_threshold == 0
    home = next(f for f in check(ledger, load_rules(), AS_OF, home="GB").findings if f.jurisdiction == "GB")
    assert home.status == "established" and home.rule.sales_threshold == Decimal(90000)


def test_uk_threshold_history():
    assert load_rules().in_force("GB", date(2024, 3, 31), home="GB").sales_threshold == Decimal(85000)
    assert load_rules().in_force("GB", date(2024, 4, 1), home="GB").sales_threshold == Decimal(90000)


def test_quebec_and_canada_are_measured_separately():
    ledger = ledger_of((date(2026, 3, 1), "CA-QC", "31000", "CAD"), (date(2026, 3, 1), "CA-ON", "5000", "CAD"))
    by = {f.jurisdiction: f for f in check(ledger, load_rules(), AS_OF).findings}
    assert (by["CA-QC"].status, by["CA-QC"].sales) == ("exceeded", Decimal("31000.00"))
    assert (by["CA"].status, by["CA"].sales) == ("exceeded", Decimal("36000.00"))


def test_japan_base_and_specified_periods():
    rule = load_rules().in_force("JP", AS_OF)
    assert [(p.start, p.end) for p in periods_for(rule.period, AS_OF)] == [
        (date(2024, 1, 1), date(2024, 12, 31)), (date(2025, 1, 1), date(2025, 6, 30))]
    # Orders since 2024 (an early sale elsewhere): the big sale after the specified period does not count.
    late_2025 = ledger_of((date(2024, 1, 2), "US-CA", "10", "USD"), (date(2025, 9, 1), "JP", "20000000", "JPY"))
    assert next(f for f in check(late_2025, load_rules(), AS_OF).findings if f.jurisdiction == "JP").status == "below"
    # Orders only from 2025-09: neither period is covered by the data, so the test cannot be judged.
    only_late = ledger_of((date(2025, 9, 1), "JP", "20000000", "JPY"))
    jp = next(f for f in check(only_late, load_rules(), AS_OF).findings if f.jurisdiction == "JP")
    assert jp.status == "not-covered"
    # But 2025 is the base period of 2027: JPY 20,000,000 there makes the seller taxable from 2027-01-01, and the
    # notification is due now (nexus from 2025-09-01, as a state crossed with collection ahead).
    assert jp.nexus == "economic" and jp.timing.nexus_since == date(2025, 9, 1)
    assert jp.timing.collect_from == date(2027, 1, 1)
    assert any("No orders before 2025-09-01: base period (calendar year 2024) is not covered" in r for r in jp.reasons)
    early_2025 = ledger_of((date(2025, 3, 1), "JP", "20000000", "JPY"))
    jp = next(f for f in check(early_2025, load_rules(), AS_OF).findings if f.jurisdiction == "JP")
    assert jp.status == "exceeded" and jp.period.label.startswith("specified period")


def test_singapore_needs_both_global_and_local_turnover():
    local_only = ledger_of((date(2026, 3, 1), "SG", "150000", "SGD"))
    sg = next(f for f in check(local_only, load_rules(), AS_OF).findings if f.jurisdiction == "SG")
    assert sg.status == "below" and "worldwide sales of SGD 150,000.00" in sg.reasons[0]
    both = ledger_of((date(2026, 3, 1), "SG", "150000", "SGD"), (date(2026, 4, 1), "CN", "900000", "SGD"))
    assert next(f for f in check(both, load_rules(), AS_OF).findings if f.jurisdiction == "SG").status == "exceeded"


def test_swiss_services_worldwide_turnover_converts_every_currency():
    rates = parse_rates(b"Date,USD,CHF,JPY,\n2026-03-02,1.10,0.95,160,\n", "rates.csv")
    ledger = ledger_of((date(2026, 3, 2), "CH", "100", "CHF", "services"),
                       (date(2026, 3, 2), "US-WA", "60000", "USD", "goods"),
                       (date(2026, 3, 2), "JP", "8000000", "JPY", "digital"))
    result = check(ledger, load_rules(), AS_OF, rates)
    ch = next(f for f in result.findings if f.jurisdiction == "CH" and f.scheme.startswith("services"))
    # 100 CHF + 60,000 USD (51,818.18 CHF) + 8,000,000 JPY (47,500 CHF) = 99,418.18 CHF: below CHF 100,000
    assert ch.status == "approaching" and ch.period.start == date(2026, 1, 1)
    assert ch.measures[-1].worldwide.quantize(Decimal("0.01")) == Decimal("99418.18")


def test_worldwide_sales_in_a_currency_no_rate_converts_are_left_out_and_said():
    """Sales in Taiwan dollars, which the ECB does not publish, stopped the whole check ('no exchange rate for TWD')
    because Switzerland's test counts worldwide sales: they are left out of its worldwide figure, which says so."""
    rates = parse_rates(b"Date,USD,CHF,JPY,\n2026-03-02,1.10,0.95,160,\n", "rates.csv")
    ledger = ledger_of((date(2026, 3, 2), "CH", "100", "CHF", "services"),
                       (date(2026, 3, 2), "US-WA", "60000", "USD", "goods"),
                       (date(2026, 3, 2), "JP", "8000000", "JPY", "digital"),
                       (date(2026, 3, 3), "TW", "250000", "TWD", "goods"),
                       (date(2025, 3, 3), "TW", "1000", "TWD", "goods"))
    result = check(ledger, load_rules(), AS_OF, rates)
    ch = next(f for f in result.findings if f.jurisdiction == "CH" and f.scheme.startswith("services"))
    # the CHF, USD and JPY sales as before: 99,418.18 CHF; TWD 250,000 of 2026 left out (2025's is another period)
    assert ch.status == "approaching" and ch.measures[-1].worldwide.quantize(Decimal("0.01")) == Decimal("99418.18")
    assert ch.unconverted == (("TWD", Decimal("250000")),)
    assert any(r.startswith("Worldwide sales of TWD 250,000.00 in ") and "may be too low" in r
               and "--rates" in r for r in ch.reasons)
    wa = next(f for f in result.findings if f.jurisdiction == "US-WA")
    assert wa.sales == Decimal("60000.00") and not wa.unconverted


def test_all_lists_international_rules_for_the_seller():
    result = check(Ledger(), load_rules(), AS_OF, all_jurisdictions=True, home="DE")
    codes = {f.label for f in result.findings}
    assert "EU (union-wide threshold)" in codes and "EU (non-Union OSS / IOSS)" not in codes
    assert "GB" in codes and "SG" in codes


def test_home_country_with_rules_only_for_outsiders_is_still_established(tmp_path):
    from nexus.workbooks.report import write_check_workbook

    ledger = ledger_of((date(2026, 2, 1), "NO", "900000", "NOK", "goods"), (date(2026, 2, 1), "SE", "10", "EUR"))
    result = check(ledger, load_rules(), AS_OF, home="NO")
    no = next(f for f in result.findings if f.jurisdiction == "NO")
    assert no.status == "established" and no.reasons[0].startswith("Established in Norway")
    assert "NO" not in result.outside_rules
    write_check_workbook(result, str(tmp_path / "r.xlsx"))  # a finding without a rule still renders
