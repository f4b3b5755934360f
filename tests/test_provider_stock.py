"""nexus.provider_stock: stock a candidate would hold in an EU member state, and the domestic VAT registration it
requires of a seller established elsewhere (docs/provider.md, Stock in an EU member state)."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

from conftest import SAMPLES
from nexus import provider
from nexus.fx import Rates, load_rates
from nexus.money import quantize
from nexus.provider_profile import read_profile
from nexus.stock_rules import load_stock_rules, stock_rule
from nexus.registrations import read_registrations
from nexus.rules import load_rules
from nexus.sales import read_sales

AS_OF = date(2026, 10, 31)
RATES = Rates([load_rates(str(SAMPLES / "eurofxref-hist.csv"))])
HEADER = "order_id,date,country,region,amount,currency,channel,exempt,category\n"
#: A seller established outside the EU selling into Germany: twelve monthly sales of EUR 1,000.05 of goods in the
#: twelve months to 2026-10-31, an older sale, a marketplace sale (the marketplace's supply: Art. 14a(2)), SaaS (not
#: sent from a warehouse) and goods to France (an intra-Community distance sale, which the Union OSS covers).
GERMAN_ORDERS = HEADER + "\n".join(
    ["W0,2025-01-10,DE,,9999.00,EUR,direct,no,goods"]
    + [f"W{m},{2025 + (m + 9) // 12}-{(m + 9) % 12 + 1:02d}-15,DE,,1000.05,EUR,direct,no,goods" for m in range(1, 13)]
    + ["M1,2026-03-01,DE,,500.00,EUR,marketplace,no,goods", "S1,2026-03-02,DE,,200.00,EUR,direct,no,saas",
       "F1,2026-03-03,FR,,300.00,EUR,direct,no,goods"]) + "\n"
FRANKFURT = 'name: Lager\nstock: ["Frankfurt, DE"]\ncurrencies: [USD, EUR]\n'


def _compare(write, text=FRANKFURT, registrations="", home="US-CA", orders=True):
    ledger = read_sales([write("orders.csv", GERMAN_ORDERS)]) if orders else None
    held = read_registrations(write("registrations.csv", "jurisdiction,registered_on,collecting_from,id\n"
                                    + registrations), load_rules().countries()) if registrations else ()
    setup = provider.Setup(ledger=ledger, registrations=held, home=home, rates=RATES)
    return provider.compare([read_profile(write("candidate.yaml", text))], setup, load_rules(), AS_OF).candidates[0]


def test_stock_in_germany_needs_a_german_registration_the_oss_does_not_cover_with_its_vat_a_year(write):
    """Before: a warehouse in Frankfurt read 'nexus on another ground in 1 (DE)', and nothing said that the EU
    registration held does not cover the German sales sent from it, nor what they come to. By hand: the twelve
    monthly sales, 12,000.60 x 19% = EUR 2,280.114, shown 2,280.11; at the 2026-10-30 rate (1.1172 USD) USD
    2,547.3434, shown 2,547.34. Sales of goods there 12,500.60 (the marketplace's 500.00 among them, not taxable for
    the seller); the older sale, the SaaS and the French goods are not in it."""
    candidate = _compare(write, registrations="EU,2025-02-05,2025-01-01,EU372019114\n")
    [germany] = candidate.stock
    assert (germany.jurisdiction, germany.stock, germany.establishment) == ("DE", ("Frankfurt, DE",), "outside_eu")
    assert germany.threshold_words == "none: registration from the first supply"
    assert germany.rule.jurisdiction == "DE" and germany.rule.confidence == "secondary"
    assert germany.registration_words.endswith("registrations.csv:2, number ...9114) does not cover these supplies")
    place = germany.estimate
    assert (place.currency, place.sales, place.taxable_sales) == ("EUR", Decimal("12500.60"), Decimal("12000.60"))
    assert quantize(place.tax.central, "EUR") == Decimal("2280.11")
    assert quantize(place.reporting.central, "USD") == Decimal("2547.34")
    assert (germany.start, germany.end) == (date(2025, 11, 1), AS_OF)
    assert ("a VAT registration for stock in 1 (DE), est. USD 2,547.34 a year of VAT to declare there"
            in candidate.verdict())
    # not the net change: the customers pay the same VAT under the EU scheme today, declared elsewhere
    assert candidate.net.change.central == 0


def test_a_german_registration_held_leaves_nothing_at_stake_and_nothing_in_the_verdict(write):
    candidate = _compare(write, registrations="DE,2025-01-01,2025-01-01,DE811907980\n")
    [germany] = candidate.stock
    words = germany.registration_words
    assert words.startswith("held (") and words.endswith("registrations.csv:2, number ...7980)")
    assert germany.estimate.reporting.central == 0
    assert germany.estimate.note == ("registered and collecting there from 2025-01-01: the tax on these sales, est. "
                                     "EUR 2,280.11 a year, is collected already, none at stake")
    assert "VAT registration for stock" not in candidate.verdict()


def test_without_orders_the_registration_is_said_and_the_vat_not_estimated(write):
    [germany] = _compare(write, orders=False).stock
    assert germany.estimate is None and germany.note.startswith("not estimated: no orders given")
    assert germany.threshold_words == "none: registration from the first supply"


def test_a_merchant_of_record_in_the_eu_sells_there_itself_and_the_vat_is_not_estimated(write):
    [germany] = _compare(write, FRANKFURT + "role:\n  merchant_of_record: [EU]\n").stock
    assert germany.role == "merchant-of-record" and germany.estimate is None
    assert "its sales to your customers are its own" in germany.note


def test_stock_at_home_in_the_eu_is_no_registration_abroad(write):
    assert _compare(write, home="DE").stock == ()


def test_a_seller_established_in_another_member_state_reads_unknown_not_a_guess(write):
    [germany] = _compare(write, home="FR").stock
    assert germany.establishment == "other_member_state" and germany.threshold_words == "unknown"


def test_the_member_states_own_row_comes_first_then_the_eus_and_no_row_is_unknown():
    assert stock_rule("FR", "outside_eu", AS_OF).jurisdiction == "FR"
    assert stock_rule("IT", "outside_eu", AS_OF).jurisdiction == "EU"
    assert stock_rule("IT", "outside_eu", date(2023, 5, 1)).threshold == "none"  # Art. 283(1)(c) then
    assert stock_rule("DE", "outside_eu", date(2028, 7, 1)) is None  # the OSS widens then: not read, unknown


def test_every_stock_row_is_sourced_dated_and_says_what_the_oss_leaves_out():
    for rule in load_stock_rules():
        assert rule.sources and rule.legal_basis and rule.effective_from and rule.not_covered
        assert rule.confidence in ("official", "secondary")


def test_a_members_new_nexus_from_stock_counts_where_the_unions_does_not_and_is_not_counted_twice(write):
    """A seller established in France, its sales into Germany (12 x EUR 100.05 = 1,200.60 of goods in the twelve
    months) far below the union-wide EUR 10,000: stock in Frankfurt gives Germany nexus the union's finding does
    not have. Before: the verdict read '0 new nexus' and --fail-on new-nexus let it through, while the net change
    counted its tax, 1,200.60 x 19% = EUR 228.114, USD 254.85 at 1.1172, 'more to collect yourself'."""
    lines = [line for line in GERMAN_ORDERS.splitlines()[1:] if line.startswith("W")]
    orders = HEADER + "\n".join(line.replace("1000.05", "100.05").replace("9999.00", "100.05") for line in lines) + "\n"
    ledger = read_sales([write("orders.csv", orders)])
    setup = provider.Setup(ledger=ledger, home="FR", rates=RATES)
    result = provider.compare([read_profile(write("candidate.yaml", FRANKFURT))], setup, load_rules(), AS_OF)
    [candidate] = result.candidates
    assert [r.counted_label for r in candidate.new_nexus] == ["DE"] and result.fails("new-nexus")
    assert candidate.verdict().startswith("Lager: 1 new nexus (DE), est. potential exposure USD 254.85 a year")
    assert quantize(candidate.net.change.central, "USD") == Decimal("254.85")
    [germany] = candidate.stock
    assert germany.estimate is None and "in the potential exposure a year of the new nexus there" in germany.note
