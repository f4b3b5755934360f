"""The EU and the UK before 2021 (issue 14, item 8): per-member distance-selling thresholds for goods, and the
Union MOSS from the first sale, applied through nexus.check.check to sellers established in another member state."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from conftest import book, make_rule
from nexus.check import check
from nexus.errors import Location
from nexus.fx import parse_rates
from nexus.rules import ESTABLISHMENTS, load_rules
from nexus.orders import Order
from nexus.ledger import Ledger

AS_OF = date(2020, 6, 30)
SCHEME = "distance selling (goods, before 2021-07)"
#: Sales into the UK before 2021 are also sales into an EU member state (the union's tests are in euros).
GBP_RATES = parse_rates(b"Date,GBP,\n2019-03-01,0.86,\n2020-02-28,0.86,\n2021-03-01,0.87,\n", "rates.csv")
MEMBERS_2020 = ("AT BE BG CY CZ DE DK EE ES FI FR GB GR HR HU IE IT LT LU LV MT NL PL PT RO SE SI SK").split()


def ledger_of(*rows):
    """rows: (day, place, amount, currency, category)."""
    ledger = Ledger()
    for day, place, amount, code, category in rows:
        ledger.add(Order("", day, place, Decimal(amount), code, "direct", "sale", "no", category, Location("t.csv")))
        ledger.rows_read += 1
    return ledger


def finding(result, jurisdiction, scheme=SCHEME):
    found = [f for f in result.findings if f.jurisdiction == jurisdiction and f.scheme == scheme]
    assert len(found) <= 1, [f.label for f in result.findings]
    return found[0] if found else None


def test_every_member_state_has_a_row_until_the_2021_reform():
    rules = [r for r in load_rules().rules if r.establishment == "eu_other_member"]
    assert {r.jurisdiction for r in rules} == set(MEMBERS_2020)
    for rule in rules:
        assert rule.scheme == SCHEME and rule.categories == ("goods",) and rule.marketplace == "included"
        assert rule.period == "current_or_previous_calendar_year" and rule.basis == "taxable"
        starts = (date(2015, 1, 1),) if rule.jurisdiction != "FR" else (date(2015, 1, 1), date(2016, 1, 1))
        assert rule.effective_from in starts
    ends = {r.jurisdiction: r.effective_to for r in rules if r.effective_to}
    assert ends["GB"] == date(2020, 12, 31) and all(ends[c] == date(2021, 6, 30) for c in ends if c != "GB")


@pytest.mark.parametrize("code, on, currency, amount", [
    ("FR", date(2015, 12, 31), "EUR", "100000"), ("FR", date(2016, 1, 1), "EUR", "35000"),
    ("DE", AS_OF, "EUR", "100000"), ("NL", AS_OF, "EUR", "100000"), ("LU", AS_OF, "EUR", "100000"),
    ("IT", AS_OF, "EUR", "35000"), ("PL", AS_OF, "PLN", "160000"), ("SE", AS_OF, "SEK", "320000"),
    ("DK", AS_OF, "DKK", "280000"), ("CZ", AS_OF, "CZK", "1140000"), ("HU", AS_OF, "HUF", "8800000"),
    ("BG", AS_OF, "BGN", "70000"), ("RO", AS_OF, "RON", "118000"), ("HR", AS_OF, "HRK", "270000"),
    ("GB", AS_OF, "GBP", "70000"),
])
def test_each_member_states_own_threshold_in_its_own_currency(code, on, currency, amount):
    rule = next(r for r in load_rules().applicable(on, home="DE" if code != "DE" else "FR")
                if r.jurisdiction == code and r.scheme == SCHEME)
    assert (rule.currency, rule.sales_threshold) == (currency, Decimal(amount))


def test_german_seller_above_frances_threshold_owes_french_vat():
    ledger = ledger_of((date(2020, 2, 3), "FR", "20000", "EUR", "goods"),
                       (date(2020, 5, 4), "FR", "16000", "EUR", "goods"))
    fr = finding(check(ledger, load_rules(), AS_OF, home="DE"), "FR")
    assert fr.status == "exceeded" and fr.currency == "EUR" and fr.sales == Decimal("36000.00")
    assert fr.crossed_on == date(2020, 5, 4)
    assert fr.rule.sales_threshold == Decimal(35000) and fr.reasons[0].startswith("Potential exposure:")


def test_german_seller_below_frances_threshold_stays_with_german_vat():
    ledger = ledger_of((date(2020, 2, 3), "FR", "20000", "EUR", "goods"),
                       (date(2020, 3, 3), "FR", "900", "EUR", "digital"))
    fr = finding(check(ledger, load_rules(), AS_OF, home="DE"), "FR")
    assert fr.status == "below" and fr.sales == Decimal("20000.00")
    assert fr.excluded == {"category": Decimal("900.00")}  # e-services are the union-wide rule's business


def test_the_previous_calendar_year_counts_too():
    ledger = ledger_of((date(2019, 11, 5), "FR", "40000", "EUR", "goods"),
                       (date(2020, 1, 6), "FR", "100", "EUR", "goods"))
    fr = finding(check(ledger, load_rules(), AS_OF, home="DE"), "FR")
    assert fr.status == "exceeded" and fr.period.start == date(2019, 1, 1)


def test_marketplace_sales_were_the_sellers_own_before_the_deemed_supplier_rule():
    ledger = Ledger()
    ledger.add(Order("", date(2020, 3, 2), "FR", Decimal("36000"), "EUR", "marketplace", "sale", "no", "goods",
                     Location("t.csv")))
    assert finding(check(ledger, load_rules(), AS_OF, home="DE"), "FR").status == "exceeded"


def test_no_distance_selling_row_for_the_home_country_nor_after_june_2021():
    ledger = ledger_of((date(2020, 3, 2), "DE", "500000", "EUR", "goods"))
    assert finding(check(ledger, load_rules(), AS_OF, home="DE"), "DE") is None
    later = ledger_of((date(2021, 7, 2), "FR", "50000", "EUR", "goods"))
    assert finding(check(later, load_rules(), date(2021, 7, 30), home="DE"), "FR") is None


def test_only_sellers_established_in_another_member_state():
    ledger = ledger_of((date(2020, 3, 2), "FR", "50000", "EUR", "goods"))
    for home in (None, "US-CA", "CH", "FR"):
        assert finding(check(ledger, load_rules(), AS_OF, home=home), "FR") is None, home


def test_a_uk_seller_was_a_member_state_seller_until_the_end_of_2020():
    ledger = ledger_of((date(2020, 3, 2), "FR", "50000", "EUR", "goods"))
    assert finding(check(ledger, load_rules(), AS_OF, home="GB"), "FR").status == "exceeded"
    after = ledger_of((date(2021, 2, 1), "FR", "50000", "EUR", "goods"))
    assert finding(check(after, load_rules(), date(2021, 3, 31), home="GB"), "FR") is None


def test_an_eu_seller_into_the_uk_before_2021_measures_against_gbp_70000():
    ledger = ledger_of((date(2020, 3, 2), "GB", "60000", "GBP", "goods"))
    gb = finding(check(ledger, load_rules(), AS_OF, GBP_RATES, home="DE"), "GB")
    assert gb.status == "approaching" and gb.rule.currency == "GBP" and gb.rule.effective_to == date(2020, 12, 31)


def test_a_threshold_in_zloty_converts_euro_sales_at_the_days_rate():
    rates = parse_rates(b"Date,PLN,\n2020-03-02,4.30,\n", "rates.csv")
    ledger = ledger_of((date(2020, 3, 2), "PL", "38000", "EUR", "goods"))  # 163,400 PLN > 160,000
    pl = finding(check(ledger, load_rules(), AS_OF, rates, home="DE"), "PL")
    assert pl.status == "exceeded" and pl.currency == "PLN" and pl.sales == Decimal("163400.00")


def test_union_moss_taxed_e_services_from_the_first_sale_before_2019():
    ledger = ledger_of((date(2017, 5, 2), "IT", "12", "EUR", "digital"),
                       (date(2017, 5, 3), "DE", "900", "EUR", "digital"))
    result = check(ledger, load_rules(), date(2017, 6, 30), home="DE")
    eu = finding(result, "EU", "union-wide threshold")
    assert eu.status == "exceeded" and eu.rule.sales_threshold == 0 and eu.rule.effective_to == date(2018, 12, 31)
    assert eu.sales == Decimal("12.00")  # sales at home do not count
    it = finding(result, "IT", "union-wide threshold")
    assert it.status == "exceeded" and it.crossed_on == date(2017, 5, 2)
    assert load_rules().in_force("EU", date(2019, 1, 1), home="DE").sales_threshold == Decimal(10000)


def test_eu_other_member_is_a_known_establishment_and_judged_on_the_day():
    assert "eu_other_member" in ESTABLISHMENTS
    rules = book(make_rule(jurisdiction="FR", establishment="eu_other_member", effective_to="2021-06-30",
                           transactions_threshold=None, combine=None))
    rule = rules.rules[0]
    assert rule.applies_to("DE", date(2020, 1, 1)) and not rule.applies_to("FR", date(2020, 1, 1))
    assert rule.applies_to("GB", date(2020, 12, 31)) and not rule.applies_to("GB", date(2021, 1, 1))
    assert not rule.applies_to("HR", date(2013, 6, 30)) and rule.applies_to("HR", date(2013, 7, 1))
    assert not rule.applies_to(None) and not rule.applies_to("US-NY", date(2020, 1, 1))
    assert rule.applies_to("DE")  # without a date: membership on the day the version took effect


# The UK's own rows before 2021: an EU seller of goods came under its distance-selling threshold, not the rule
# for sellers established outside the EU; a UK seller was established in the EU.

def test_an_eu_seller_of_goods_into_the_uk_in_2020_is_measured_against_gbp_70000_only():
    ledger = ledger_of((date(2020, 3, 1), "GB", "5000", "GBP", "goods"))
    result = check(ledger, load_rules(), AS_OF, GBP_RATES, home="DE")
    gb = [f for f in result.findings if f.jurisdiction == "GB"]
    assert [(f.scheme, f.status) for f in gb] == [(SCHEME, "below")]  # not "from the first sale"


def test_a_seller_outside_the_eu_selling_goods_into_the_uk_in_2020_registers_from_the_first_sale():
    ledger = ledger_of((date(2020, 3, 1), "GB", "5000", "GBP", "goods"))
    gb = [f for f in check(ledger, load_rules(), AS_OF, GBP_RATES).findings
          if f.jurisdiction == "GB" and not f.part_of]
    assert [(f.rule.establishment, f.status) for f in gb] == [("outside_eu", "exceeded")]
    later = [f for f in check(ledger_of((date(2021, 3, 1), "GB", "5000", "GBP", "goods")), load_rules(),
                              date(2021, 6, 30), GBP_RATES, home="DE").findings if f.jurisdiction == "GB"]
    assert [(f.rule.establishment, f.status) for f in later] == [("non_established", "exceeded")]


def test_a_uk_seller_of_e_services_in_2019_is_under_the_union_wide_threshold():
    ledger = ledger_of((date(2019, 3, 1), "FR", "6000", "EUR", "digital"))
    result = check(ledger, load_rules(), date(2019, 6, 30), home="GB")
    eu = [f for f in result.findings if f.jurisdiction == "EU"]
    assert [(f.scheme, f.status) for f in eu] == [("union-wide threshold", "below")]


def test_a_member_state_under_the_2021_union_wide_test_is_owed_vat_from_2021_07_01_not_from_2020():
    """A German seller sold EUR 37,500 of goods into Poland in 2020: PLN 150,000 at 4.0, under Poland's own
    PLN 160,000, so German VAT applied in 2020. From 2021-07-01 the union-wide EUR 10,000 counts 2020 as the
    previous year (Art. 59c): Polish VAT on sales into Poland from 2021-07-01. The member's finding dated it from
    2020-03-04, the day the 2020 sales passed EUR 10,000 (EUR 7,500 on 2020-02-03, 15,000 with the next sale), under
    a rule not yet in force."""
    weeks = [date(2020, 1, 1) + timedelta(days=7 * i) for i in range(80)]  # a rate every week: PLN 4.0000
    rates = parse_rates(("Date,PLN,\n" + "".join(f"{d},4.0000,\n" for d in weeks)).encode(), "rates.csv")
    ledger = ledger_of(*[(date(2020, 2, 3) + timedelta(days=30 * i), "PL", "7500", "EUR", "goods") for i in range(5)])
    before = check(ledger, load_rules(), date(2021, 6, 30), rates, home="DE")
    assert (finding(before, "PL").status, finding(before, "PL").sales) == ("approaching", Decimal("150000.00"))
    pl = finding(check(ledger, load_rules(), date(2021, 7, 1), rates, home="DE"), "PL", "union-wide threshold")
    assert (pl.status, pl.sales, pl.crossed_on) == ("exceeded", Decimal("37500.00"), date(2021, 7, 1))
    assert pl.reasons[0].startswith("Potential exposure: VAT of Poland is due on sales into Poland from 2021-07-01, "
                                    "when the EU (union-wide threshold) test (> EUR 10,000) in force from that day "
                                    "took effect (see its own finding; its sales had passed it on 2020-03-04)")


def sek_rates():
    """SEK 10 and USD 1.25 to the euro every third day from 2020 to 2026 (the ECB publishes no weekend rates)."""
    rows = "".join(f"{date(2020, 1, 1) + timedelta(days=i)},10.0,1.25,\n" for i in range(0, 2600, 3))
    return parse_rates(("Date,SEK,USD,\n" + rows).encode(), "rates.csv")


#: A German seller's goods into Sweden in 2020: SEK 350,000 by 2020-09-01 passes SEK 320,000 that day.
SWEDEN_2020 = ((date(2020, 3, 2), "SE", "200000", "SEK", "goods"), (date(2020, 9, 1), "SE", "150000", "SEK", "goods"),
               (date(2020, 11, 2), "SE", "50000", "SEK", "goods"))


def test_a_distance_sellers_goods_are_taxed_where_its_threshold_is_passed():
    # VAT of Sweden (25%) on the goods from the crossing sale on: SEK 150,000 + 50,000 = 200,000, tax SEK 50,000.
    # Before, the taxability row for every seller (the regime for sellers outside the EU) said goods were not
    # taxable there, and the estimate was SEK 0.
    result = check(ledger_of(*SWEDEN_2020), load_rules(), date(2020, 12, 31), sek_rates(), home="DE")
    se = finding(result, "SE")
    assert se.nexus == "economic" and se.crossed_on == date(2020, 9, 1)
    assert se.exposure.taxable_sales == Decimal("200000") and se.exposure.tax.central == Decimal("50000")
    assert result.exposure_total.tax.central == Decimal("6250")  # SEK 50,000 / 10 * 1.25


def test_a_seller_outside_the_eu_reads_the_row_for_every_seller():
    from nexus.tax_rates import load_tax_book
    day = date(2020, 9, 1)
    assert load_tax_book().for_seller("US").taxable("SE", "goods", day).taxable == "no"
    assert load_tax_book().for_seller(None).taxable("SE", "goods", day).taxable == "no"
    assert load_tax_book().for_seller("DE").taxable("SE", "goods", day).taxable == "yes"
    assert load_tax_book().for_seller("GB").taxable("SE", "goods", day).taxable == "yes"  # a member until 2020
    assert load_tax_book().for_seller("SE").taxable("SE", "goods", day).taxable == "no"  # home: not a distance sale
    assert load_tax_book().for_seller("DE").taxable("SE", "goods", date(2021, 7, 1)).taxable == "yes"
