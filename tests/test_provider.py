"""nexus.provider and nexus.provider_profile: each candidate against today's set-up, on real rules and files."""
from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest
import yaml
from hypothesis import HealthCheck, given, settings, strategies as st

from conftest import SAMPLES, book, make_rule
from nexus import presence, provider, provider_changes, provider_roles
from nexus.chart import read_chart
from nexus.errors import InputError, NexusError
from nexus.fx import Rates, load_rates
from nexus.money import quantize
from nexus.provider_profile import HOSTING_KEYS, ROLES, TOP_KEYS, Profile, questions, read_profile
from nexus.registrations import read_registrations
from nexus.rules import load_rules
from nexus.sales import read_sales

AS_OF = date(2026, 10, 31)
SAMPLE_RATES = Rates([load_rates(str(SAMPLES / "eurofxref-hist.csv"))])
HEADER = "order_id,date,country,region,amount,currency,channel,exempt,category\n"


def orders(write, *groups, name="orders.csv"):
    """An order file: each group is (count, place, amount, channel[, exempt[, category[, currency]]]), one order
    a day from 2026-01-01 (the year the rules below measure)."""
    lines, n = [], 0
    for group in groups:
        count, place, amount, channel, *rest = group
        exempt, category, currency = (list(rest) + ["no", "goods", "USD"][len(rest):])[:3]
        country, _, region = place.partition("-")
        for i in range(count):
            n += 1
            lines.append(f"A{n},2026-{1 + i // 28:02d}-{1 + i % 28:02d},{country},{region},{amount},{currency},"
                         f"{channel},{exempt},{category}")
    return write(name, HEADER + "\n".join(lines) + "\n")


def profile(write, text, name="candidate.yaml"):
    return read_profile(write(name, text))


def compare(profiles, ledger=None, rules=None, items=(), chart=None, home=None, rates=None):
    setup = provider.Setup(ledger=ledger, presence=items, chart=chart, home=home, rates=rates)
    return provider.compare(profiles, setup, rules or load_rules(), AS_OF)


# ---------------------------------------------------------------- the role on the ledger

def test_roles_move_direct_sales_and_leave_resale_and_marketplace_rows_alone(write):
    ledger = read_sales([orders(write, (3, "US-FL", "100.00", "direct"), (2, "US-FL", "50.00", "reseller", "resale"),
                                (1, "US-FL", "70.00", "marketplace"), (4, "US-TX", "10.00", "affiliate"),
                                (2, "US-CA", "30.00", "direct"))])
    before = {k: {d: list(v) for d, v in days.items()} for k, days in ledger.series.items()}
    shifted, shifts = provider_roles.apply_roles(ledger, ["US-FL"], ["US-TX"], AS_OF)

    def total(led, place, channel, exempt="no"):
        return sum((v[0] for k, days in led.series.items() for v in days.values()
                    if k[0] == place and k[2] == channel and k[4] == exempt), Decimal(0))

    assert total(shifted, "US-FL", "marketplace") == Decimal("370.00")  # 300 facilitated + 70 marketplace already
    assert total(shifted, "US-FL", "direct") == 0
    assert total(shifted, "US-FL", "direct", "resale") == Decimal("100.00")  # sold to a reseller: still the seller's
    assert total(shifted, "US-TX", "direct") == 0 and total(shifted, "US-TX", "marketplace") == 0  # merchant of record
    assert total(shifted, "US-CA", "direct") == Decimal("60.00")  # a place the profile does not list
    assert {(s.jurisdiction, s.role, s.amount, s.transactions) for s in shifts} == {
        ("US-FL", "marketplace-facilitator", Decimal("300.00"), 3),
        ("US-TX", "merchant-of-record", Decimal("40.00"), 4)}
    assert shifted.rows_by_day == ledger.rows_by_day  # the days the data cover do not change
    assert {k: {d: list(v) for d, v in days.items()} for k, days in ledger.series.items()} == before  # untouched


def test_the_role_named_for_the_place_itself_wins_over_one_for_its_country(write):
    """Facilitator in US-CA and merchant of record in the rest of the US: California's sales were taken as the
    provider's own (merchant of record, the broader listing checked first), California's own role ignored."""
    ledger = read_sales([orders(write, (3, "US-CA", "100.00", "direct"), (2, "US-TX", "10.00", "direct"),
                                (1, "DE", "40.00", "direct"))])
    _, shifts = provider_roles.apply_roles(ledger, ["US-CA", "DE"], ["US", "EU"], AS_OF)
    assert {(s.jurisdiction, s.role) for s in shifts} == {("US-CA", "marketplace-facilitator"),
                                                          ("US-TX", "merchant-of-record"),
                                                          ("DE", "marketplace-facilitator")}
    assert provider_roles.role_in("US-CA", ["US"], ["US-CA"], AS_OF) == "merchant-of-record"
    assert provider_roles.role_in("FR", ["DE"], ["EU"], AS_OF) == "merchant-of-record"
    assert provider_roles.role_in("JP", ["DE"], ["EU"], AS_OF) is None


def test_a_role_for_a_country_or_the_eu_covers_its_states_or_members():
    assert provider_roles.in_places("US-CA", ["US"], AS_OF) and provider_roles.in_places("CA-QC", ["CA"], AS_OF)
    assert provider_roles.in_places("DE", ["EU"], AS_OF) and not provider_roles.in_places("GB", ["EU"], AS_OF)
    assert provider_roles.in_places("GB", ["EU"], date(2019, 6, 1))  # a member state until 2020-12-31
    assert not provider_roles.in_places("US-CA", ["US-TX", "CA"], AS_OF)


# ---------------------------------------------------------------- nexus delta

FL_OH = book(make_rule(jurisdiction="US-FL", name="Florida", marketplace="excluded", transactions_threshold=None),
             make_rule(jurisdiction="US-OH", name="Ohio", marketplace="included", transactions_threshold=None))


def test_a_marketplace_facilitator_removes_nexus_where_the_state_excludes_facilitated_sales_only(write):
    ledger = read_sales([orders(write, (120, "US-FL", "1000.00", "direct"), (120, "US-OH", "1000.00", "direct"))])
    shopkit = profile(write, """
        name: Shopkit
        currencies: [USD]
        role:
          marketplace_facilitator: [US-FL, US-OH]
    """)
    result = compare([shopkit], ledger, FL_OH)
    rows = {r.jurisdiction: r for r in result.candidates[0].nexus}
    fl, oh = rows["US-FL"], rows["US-OH"]
    assert (fl.today.status, fl.today.nexus, fl.under.status, fl.under.nexus) == ("exceeded", "economic", "below", None)
    assert fl.change == "nexus-removed" and fl.under.sales == 0
    assert fl.why == ("Shopkit facilitates the direct sales into Florida as marketplace facilitator, and Florida's "
                      "test leaves facilitated sales out (sales counted USD 120,000.00 today, USD 0.00 under "
                      "Shopkit).",)
    assert (oh.today.status, oh.under.status, oh.under.nexus, oh.change) == ("exceeded", "exceeded", "economic",
                                                                             "unchanged")
    assert oh.under.sales == Decimal("120000.00") and oh.shown
    assert "Ohio's test still counts facilitated sales toward your threshold" in oh.why[0]
    assert [r.label for r in result.candidates[0].nexus_removed] == ["US-FL"]
    assert result.candidates[0].verdict().startswith("Shopkit: 0 new nexus, 1 nexus removed (US-FL), ")


def test_a_merchant_of_record_takes_the_sales_and_the_nexus_they_made(write):
    rules = book(make_rule(jurisdiction="US-TX", name="Texas", transactions_threshold=None))
    ledger = read_sales([orders(write, (110, "US-TX", "1000.00", "direct"),
                                (5, "US-TX", "1000.00", "reseller", "resale"))])
    hostwell = profile(write, """
        name: Hostwell
        currencies: [USD]
        role:
          merchant_of_record: [US]
    """)
    row = next(r for r in compare([hostwell], ledger, rules).candidates[0].nexus if r.jurisdiction == "US-TX")
    assert (row.today.status, row.under.status, row.change) == ("exceeded", "below", "nexus-removed")
    assert row.today.sales == Decimal("115000.00") and row.under.sales == Decimal("5000.00")  # resale stays yours
    assert row.why[0].startswith("Hostwell is merchant of record for the direct sales into Texas: they become its "
                                 "sales, not yours")


# ---------------------------------------------------------------- presence delta

def test_a_cdn_and_stock_add_presence_in_a_state_where_sales_are_below_the_threshold(write):
    ledger = read_sales([orders(write, (10, "US-CO", "100.00", "direct"), (10, "US-NV", "100.00", "direct"))])
    cdn = profile(write, """
        name: Edgy
        pops: [cloudflare:DEN]      # Denver: a cache in Colorado
        stock: ["Reno, US-NV"]
        currencies: [USD]
    """)
    candidate = compare([cdn], ledger).candidates[0]
    by_place = {p.jurisdiction: p for p in candidate.presence}
    co, nv = by_place["US-CO"], by_place["US-NV"]
    assert (co.effect, co.today, co.under, co.status) == ("review", None, "review", "below")
    assert co.added[0].item.location == "cloudflare:DEN" and co.added[0].item.source.line == 2
    assert co.added[0].sources  # the rule behind the verdict
    assert (nv.effect, nv.status, nv.nexus_today, nv.nexus_under) == ("creates", "below", None, "presence")
    nexus_nv = next(r for r in candidate.nexus if r.jurisdiction == "US-NV")
    assert nexus_nv.change == "new-nexus" and nexus_nv.under.status == "below"
    assert nexus_nv.gist == "stock at Reno, US-NV creates presence"
    assert [p.jurisdiction for p in candidate.presence][:2] == ["US-NV", "US-CO"]  # creates first, then review
    assert [r.label for r in candidate.new_nexus] == ["US-NV"]


def test_stock_abroad_where_the_sales_test_already_gives_nexus_is_nexus_on_another_ground_not_unchanged(write):
    """A seller in California already over the EU scheme's test (non-Union OSS / IOSS, from the first sale) in
    Germany: a candidate's warehouse in Frankfurt is a German VAT registration of its own (UStG § 1a). The row read
    'unchanged' ('same' on screen) and the verdict '0 new nexus', as though the move changed nothing there."""
    ledger = read_sales([orders(write, (6, "DE", "100.00", "direct", "no", "goods", "EUR"))])
    frankfurt = profile(write, 'name: Lager\nstock: ["Frankfurt, DE"]\ncurrencies: [USD, EUR]\n')
    result = compare([frankfurt], ledger, home="US-CA", rates=SAMPLE_RATES)
    candidate = result.candidates[0]
    germany = next(r for r in candidate.nexus if r.jurisdiction == "DE")
    assert (germany.today.nexus, germany.under.nexus) == ("economic", "economic")
    assert (provider_changes.grounds(germany.today), provider_changes.grounds(germany.under)) == (
        {"economic"}, {"economic", "presence"})
    assert germany.change == "nexus-changed" and germany.shown
    assert [r.jurisdiction for r in candidate.nexus_changed] == ["DE"] and not candidate.new_nexus
    assert "0 new nexus, 0 nexus removed, nexus on another ground in 1 (DE), " in candidate.verdict()
    assert not result.fails("new-nexus")  # nexus was there today: --fail-on new-nexus still names new nexus only


def test_three_candidates_print_side_by_side_on_the_summarys_one_page(write, tmp_path):
    """docs/provider.md: the Summary first, on one page. With three candidates each column was 60 wide, and the
    third printed on a page of its own, away from the two it is compared with (print areas A:C, then D)."""
    from openpyxl import load_workbook

    from nexus.workbooks.provider import write_comparison_workbook

    names = ["Alpha", "Beta", "Gamma"]
    result = compare([profile(write, f"name: {n}\ncurrencies: [USD]\n", f"{n}.yaml") for n in names])
    write_comparison_workbook(result, str(tmp_path / "three.xlsx"))
    summary = load_workbook(tmp_path / "three.xlsx")["Summary"]
    assert summary.print_area.count("!") == 1 and "$A$1:$D$" in summary.print_area  # one page wide, all four
    assert [summary.cell(1, c).value for c in range(2, 5)] == names


# ---------------------------------------------------------------- potential exposure a year

#: Nevada in nexus's data on every day from 2025-07-01: state rate 6.85% (low), average local 1.39% (central
#: 6.85% + 1.39% = 8.24%), highest combined 8.375% (high); goods taxable, digital goods not.
NEVADA_ORDERS = HEADER + "\n".join(
    ["W0,2025-01-10,US,NV,9999.00,USD,direct,no,goods"]  # before the twelve months to the as-of date: left out
    + [f"W{m},{2025 + (m + 9) // 12}-{(m + 9) % 12 + 1:02d}-15,US,NV,1000.05,USD,direct,no,goods"
       for m in range(1, 13)]  # one a month, 2025-11-15 to 2026-10-15
    + ["D1,2026-03-01,US,NV,500.00,USD,direct,no,digital"]) + "\n"
WAREHOUSE = 'name: Warehouse\nstock: ["Reno, US-NV"]\ncurrencies: [USD]\n'


def test_a_warehouse_where_the_company_sells_taxable_goods_brings_their_tax_a_year_rounded_once(write):
    """Before: the comparison said a warehouse in Reno creates nexus in Nevada, and nothing of the money. Twelve
    monthly sales of USD 1,000.05 of goods in the twelve months to 2026-10-31 (12,000.60; the January 2025 sale is
    older, the digital goods untaxed in Nevada): 12,000.60 x 8.24% = 988.84944, shown 988.85 (rounded once: each
    month's 82.40412 rounded to 82.40 would make 988.80); low 12,000.60 x 6.85% = 822.0411, high x 8.375% =
    1,005.05025. A facilitator in Nevada makes the same sales marketplace sales, which Nevada's marketplace law
    (2019-10-01) has the marketplace collect: nothing for the company, a zero that is a figure."""
    ledger = read_sales([write("orders.csv", NEVADA_ORDERS)])
    facilitated = profile(write, WAREHOUSE.replace("Warehouse", "Facilitated") + "role:\n  marketplace_facilitator: "
                          "[US-NV]\n", "facilitated.yaml")
    result = compare([profile(write, WAREHOUSE), facilitated], ledger)
    warehouse, through = result.candidates
    found = warehouse.exposure
    assert (found.orders, found.start, found.end, found.factor) == (True, date(2025, 11, 1), AS_OF, 1)
    [nevada] = found.places
    assert (nevada.jurisdiction, nevada.why) == ("US-NV", "stock at Reno, US-NV creates presence")
    assert nevada.sales == Decimal("12500.60") and nevada.taxable_sales == Decimal("12000.60")
    assert [quantize(x, "USD") for x in (found.total.low, found.total.central, found.total.high)] == [
        Decimal("822.04"), Decimal("988.85"), Decimal("1005.05")]
    assert warehouse.verdict().startswith("Warehouse: 1 new nexus (US-NV), est. potential exposure USD 988.85 a "
                                          "year, 0 nexus removed")
    [nevada] = through.exposure.places
    assert nevada.sales == Decimal("12500.60") and nevada.taxable_sales == 0 and through.exposure.total.central == 0
    assert "est. potential exposure USD 0.00 a year" in through.verdict()


def test_a_registration_that_collects_there_already_leaves_nothing_at_stake_and_says_what_it_collects(write):
    """A Nevada registration collecting from 2025-01-01: the USD 988.85 a year of the warehouse's test above is
    collected, not at stake (before this, the estimate stopped at the registration and showed taxable sales of 0)."""
    ledger = read_sales([write("orders.csv", NEVADA_ORDERS)])
    held = read_registrations(write("registrations.csv", "jurisdiction,registered_on,collecting_from\n"
                                                         "US-NV,2024-12-01,2025-01-01\n"), load_rules().countries())
    setup = provider.Setup(ledger=ledger, registrations=held)
    found = provider.compare([profile(write, WAREHOUSE)], setup, load_rules(), AS_OF).candidates[0].exposure
    [nevada] = found.places
    assert nevada.taxable_sales == Decimal("12000.60") and found.total.central == 0
    assert nevada.note == ("registered and collecting there from 2025-01-01: the tax on these sales, est. USD "
                           "988.85 a year, is collected already, none at stake")


def test_orders_covering_part_of_the_year_are_scaled_to_a_year_and_said(write):
    """73 days of orders (2026-08-20 to 2026-10-31) with USD 2,000.00 of goods into Nevada: 2,000 x 365 / 73 =
    10,000 a year, x 8.24% = 824.00 (low 6.85%: 685.00; high 8.375%: 837.50)."""
    ledger = read_sales([write("orders.csv", HEADER + "W1,2026-08-20,US,NV,2000.00,USD,direct,no,goods\n")])
    found = compare([profile(write, WAREHOUSE)], ledger).candidates[0].exposure
    assert (found.start, found.factor) == (date(2026, 8, 20), 5)
    assert found.period_words == "2026-08-20 to 2026-10-31, 73 days scaled to a year"
    assert (found.total.low, found.total.central, found.total.high) == (
        Decimal("685.00"), Decimal("824.00"), Decimal("837.50"))


def test_without_orders_the_money_is_not_estimated_never_zero(write):
    candidate = compare([profile(write, WAREHOUSE)]).candidates[0]
    assert [r.label for r in candidate.new_nexus] == ["US-NV"]
    assert not candidate.exposure.orders and candidate.exposure.total is None
    assert candidate.exposure.places[0].tax is None
    assert candidate.verdict().startswith("Warehouse: 1 new nexus (US-NV), potential exposure not estimated (no "
                                          "orders given), 0 nexus removed")


def test_orders_that_end_before_the_year_leave_the_money_not_estimated(write):
    ledger = read_sales([write("orders.csv", HEADER + "W1,2024-03-02,US,NV,2000.00,USD,direct,no,goods\n")])
    candidate = compare([profile(write, WAREHOUSE)], ledger).candidates[0]
    assert candidate.exposure.total is None
    assert candidate.exposure.places[0].note == ("not estimated: the orders read (2024-03-02 to 2024-03-02) hold "
                                                 "none of the twelve months to 2026-10-31; supply recent orders")
    assert "potential exposure not estimated (US-NV)" in candidate.verdict()


def test_the_move_takes_away_the_old_providers_hosting_unless_the_profile_keeps_it(write):
    today = presence.read_presence(write("presence.csv", """
        kind,location,ownership,dedicated,function,since,until,note
        cloud-region,aws:us-west-2,third-party,no,core,2024-01-01,,old provider (Oregon)
        owned-server,"Portland, US-OR",owned,yes,core,2024-01-01,,own rack stays
        cdn,fastly:PDX,third-party,no,cache,2024-01-01,,old CDN
    """))
    moving = profile(write, """
        name: Moving
        hosting: {cloud: gcp, regions: [us-central1]}
        currencies: [USD]
    """)
    keeping = profile(write, """
        name: Keeping
        hosting: {cloud: gcp, regions: [us-central1]}
        currencies: [USD]
        replaces: [cdn]
    """, name="keeping.yaml")
    result = compare([moving, keeping], items=today)
    moved = {c.name: c for c in result.candidates}
    assert [i.location for i in moved["Moving"].replaced] == ["aws:us-west-2", "fastly:PDX"]
    assert [i.location for i in moved["Keeping"].replaced] == ["fastly:PDX"]
    oregon = next(p for p in moved["Moving"].presence if p.jurisdiction == "US-OR")
    assert [v.item.location for v in oregon.removed] == ["aws:us-west-2", "fastly:PDX"]
    assert oregon.today == "creates" and oregon.under == "creates"  # the owned rack still creates it
    assert oregon.effect == "unchanged"


# ---------------------------------------------------------------- the tax no longer the company's to collect

#: Twelve monthly sales of USD 12,500.05 of goods into Nevada, 2025-11-15 to 2026-10-15: ten in 2026 make USD
#: 125,000.50, over Nevada's USD 100,000, so the company has nexus there today. A year's tax on the 150,000.60 at
#: 8.24% is 12,360.04944; low 6.85%: 10,275.0411; high 8.375%: 12,562.55025. (A sale in January 2025, before the
#: twelve months, makes the orders cover them all: nothing is scaled.)
NEVADA_BIG = HEADER + "N0,2025-01-10,US,NV,9999.00,USD,direct,no,goods\n" + "\n".join(
    f"N{m},{2025 + (m + 9) // 12}-{(m + 9) % 12 + 1:02d}-15,US,NV,12500.05,USD,direct,no,goods"
    for m in range(1, 13)) + "\n"


def test_a_merchant_of_record_takes_a_years_tax_off_the_company_and_a_facilitator_where_nexus_stays_too(write):
    """Before: a candidate that removes nexus showed no money, so one adding a little looked worse than one
    removing a lot. As merchant of record in Nevada the candidate sells the company's USD 150,000.60 a year itself:
    nexus goes, and the USD 12,360.05 a year of tax on them (rounded once; low 10,275.04, high 12,562.55) is its to
    charge, not the company's. As facilitator, Nevada's test still counts the facilitated sales, so nexus stays;
    Nevada's marketplace law has the facilitator collect, so the same tax moves, nexus kept."""
    ledger = read_sales([write("orders.csv", NEVADA_BIG)])
    seller = profile(write, "name: Seller\ncurrencies: [USD]\nrole:\n  merchant_of_record: [US-NV]\n")
    market = profile(write, "name: Market\ncurrencies: [USD]\nrole:\n  marketplace_facilitator: [US-NV]\n",
                     "market.yaml")
    by_name = {c.name: c for c in compare([seller, market], ledger).candidates}
    sells, facilitates = by_name["Seller"], by_name["Market"]
    assert [r.label for r in sells.nexus_removed] == ["US-NV"] and not facilitates.nexus_removed
    [nevada] = sells.removed.places
    assert (nevada.jurisdiction, nevada.collector, nevada.nexus_kept) == ("US-NV", "merchant-of-record", False)
    assert nevada.taxable_sales == Decimal("150000.60")
    assert [quantize(x, "USD") for x in (nevada.shift.low, nevada.shift.central, nevada.shift.high)] == [
        Decimal("10275.04"), Decimal("12360.05"), Decimal("12562.55")]
    assert nevada.under.central == 0 and nevada.registration is None
    assert "1 nexus removed (US-NV), est. USD 12,360.05 a year no longer yours to collect, net est. USD 12,360.05 a " \
           "year less to collect yourself" in sells.verdict()
    assert quantize(sells.net.change.central, "USD") == Decimal("-12360.05")
    [kept] = facilitates.removed.places
    assert (kept.collector, kept.nexus_kept, quantize(kept.shift.central, "USD")) == (
        "marketplace-facilitator", True, Decimal("12360.05"))


#: Pennsylvania in nexus's data from 2025-07-01: state rate 6% (low), average local 0.34% (central 6.34%), highest
#: combined 8% (high); its test (previous calendar year, over USD 100,000) leaves facilitated sales out.
PENNSYLVANIA = ["P0,2025-06-15,US,PA,100000.00,USD,direct,no,goods"] + [
    f"P{m},{2025 + (m + 9) // 12}-{(m + 9) % 12 + 1:02d}-15,US,PA,5000.05,USD,direct,no,goods" for m in range(1, 13)]


def test_the_net_change_is_the_difference_of_the_two_figures_shown(write):
    """A warehouse in Reno adds Nevada (12,000.60 x 8.24% = 988.84944 a year, the test above) and facilitating the
    Pennsylvania sales removes its nexus there (2025's sales, 110,000.10, met the test; the direct sales become
    facilitated ones, which it leaves out). Pennsylvania's tax a year: 12 x 5,000.05 = 60,000.60 sold in the twelve
    months (June 2025's sale is older) x 6.34% = 3,804.03804, low x 6% = 3,600.036, high x 8% = 4,800.048. Net: the
    figures shown, each rounded once, 988.85 - 3,804.04 = USD 2,815.19 less; low 822.04 - 3,600.04 = -2,778.00, as a
    reader subtracts them. Before, the full figures' difference was rounded: 822.0411 - 3,600.036 = -2,777.9949,
    shown -2,777.99, a cent away from the difference of the two figures beside it."""
    rows = NEVADA_ORDERS.strip().splitlines() + PENNSYLVANIA
    ledger = read_sales([write("orders.csv", "\n".join(rows) + "\n")])
    both = profile(write, WAREHOUSE.replace("Warehouse", "Both") + "role:\n  marketplace_facilitator: [US-PA]\n")
    candidate = compare([both], ledger).candidates[0]
    [pa] = candidate.removed.places
    assert (pa.jurisdiction, pa.collector, pa.taxable_sales) == ("US-PA", "marketplace-facilitator",
                                                                 Decimal("60000.60"))
    assert [quantize(x, "USD") for x in (pa.shift.low, pa.shift.central, pa.shift.high)] == [
        Decimal("3600.04"), Decimal("3804.04"), Decimal("4800.05")]
    change = candidate.net.change
    assert [quantize(x, "USD") for x in (change.low, change.central, change.high)] == [
        Decimal("-2778.00"), Decimal("-2815.19"), Decimal("-3795.00")]
    added, removed = candidate.exposure.total, candidate.removed.total
    for level in ("low", "central", "high"):
        assert getattr(change, level) == (quantize(getattr(added, level), "USD")
                                          - quantize(getattr(removed, level), "USD"))
    assert candidate.verdict().startswith(
        "Both: 1 new nexus (US-NV), est. potential exposure USD 988.85 a year, 1 nexus removed (US-PA), est. USD "
        "3,804.04 a year no longer yours to collect, net est. USD 2,815.19 a year less to collect yourself, ")


STOCK_TODAY = """
    kind,location,ownership,dedicated,function,since,until,note
    third-party-inventory,"Reno, US-NV",third-party,no,storage,2024-01-01,,old provider's warehouse
"""
LEAVING = "name: Leaving\ncurrencies: [USD]\nreplaces: [\"Reno, US-NV\"]\n"


def test_nexus_that_goes_with_presence_takes_no_tax_off_a_company_registered_there(write):
    """The old provider's warehouse in Reno makes Nevada nexus today (sales of 12,000.60 a year are below the test);
    the move takes it away. Unregistered, no one would collect the USD 988.85 a year any more (12,000.60 x 8.24%).
    Registered, the company stays registered and collects as today until it deregisters: nothing moves, and the
    place is listed saying so, never counted as a saving."""
    ledger = read_sales([write("orders.csv", NEVADA_ORDERS)])
    items = presence.read_presence(write("presence.csv", STOCK_TODAY))
    leaving = profile(write, LEAVING)
    free = compare([leaving], ledger, items=items).candidates[0]
    assert [r.label for r in free.nexus_removed] == ["US-NV"]
    [nevada] = free.removed.places
    assert (nevada.collector, quantize(nevada.shift.central, "USD")) == ("no-one", Decimal("988.85"))
    held = read_registrations(write("registrations.csv", "jurisdiction,registered_on,collecting_from\n"
                                                         "US-NV,2024-12-01,2025-01-01\n"), load_rules().countries())
    setup = provider.Setup(ledger=ledger, presence=items, registrations=held)
    registered = provider.compare([leaving], setup, load_rules(), AS_OF).candidates[0]
    [nevada] = registered.removed.places
    assert nevada.registration is not None and nevada.registration.jurisdiction == "US-NV"
    assert nevada.shift.central == 0 and registered.removed.total.central == 0
    assert registered.net.change.central == 0
    assert "net no change in the tax you collect yourself" in registered.verdict()


def test_nexus_that_goes_with_presence_says_the_data_do_not_say_how_long_it_lasts(write):
    """Nexus from sales that goes says how long it lasts (the rule's 'remains'); nexus from the old provider's stock
    said only 'no one would collect this tax at the sale', the USD 988.85 a year counted off from the move on,
    though nexus's data hold nothing on how long nexus from presence lasts once it ends. Registered, nothing moves
    and nothing is said of it."""
    from nexus.provider_report import place_notes

    ledger = read_sales([write("orders.csv", NEVADA_ORDERS)])
    items = presence.read_presence(write("presence.csv", STOCK_TODAY))
    free = compare([profile(write, LEAVING)], ledger, items=items).candidates[0]
    [nevada] = free.removed.places
    assert nevada.from_presence and not nevada.lasts
    from nexus.provider_report import comparison_dict

    [said] = comparison_dict(compare([profile(write, LEAVING)], ledger, items=items))["candidates"][0][
        "tax_no_longer_collected"]["places"]
    assert (said["nexus_from_presence"], said["nexus_lasts"]) == (True, None)
    # Nevada's row in data/presence-trailing.json: no source read says (the words changed with Washington's below)
    assert ("nexus from your presence there, ending with the move: how long Nevada keeps nexus after it is unknown (no "
            "source read says): the figure takes it as ending with the move; ask an adviser before taking it off your "
            "returns.") in place_notes(free, nevada)
    assert (said["nexus_from_presence_until"], said["nexus_from_presence_note"]) == (None, place_notes(free, nevada)[1])
    held = read_registrations(write("registrations.csv", "jurisdiction,registered_on,collecting_from\n"
                                                         "US-NV,2024-12-01,2025-01-01\n"), load_rules().countries())
    setup = provider.Setup(ledger=ledger, presence=items, registrations=held)
    registered = provider.compare([profile(write, LEAVING)], setup, load_rules(), AS_OF).candidates[0]
    [nevada] = registered.removed.places
    assert not any("how long nexus from presence" in n for n in place_notes(registered, nevada))


def test_without_orders_the_tax_no_longer_collected_is_not_estimated(write):
    items = presence.read_presence(write("presence.csv", STOCK_TODAY))
    candidate = compare([profile(write, LEAVING)], None, items=items).candidates[0]
    assert candidate.removed.orders is False and candidate.net.change is None
    [nevada] = candidate.removed.places
    assert nevada.shift is None and nevada.note.startswith("not estimated: no orders given")
    assert "tax no longer yours to collect not estimated (no orders given)" in candidate.verdict()


# ---------------------------------------------------------------- currencies

KRW_JPY = {"presentment_currencies": ["USD", "KRW", "JPY"]}


@pytest.fixture
def currency_list(httpserver):
    answer = json.dumps(KRW_JPY)
    httpserver.expect_request("/currencies.json").respond_with_data(answer, content_type="application/json")
    return httpserver.url_for("/currencies.json")


def test_a_currency_list_from_a_url_adds_krw_and_jpy_with_koreas_rule_and_jpys_zero_minor_unit(write, currency_list):
    ledger = read_sales([orders(write, (5, "US-CA", "100.00", "direct"), (3, "KR", "50.00", "direct", "no", "goods"))])
    candidate = profile(write, f"""
        name: Seoulful
        currencies: {currency_list}
        settlement_currency: USD
    """)
    delta = compare([candidate], ledger, rates=SAMPLE_RATES).candidates[0].currencies
    assert delta.offered == ("USD", "KRW", "JPY") and delta.offered_from == currency_list
    added = {a.detail.code: a for a in delta.added}
    assert set(added) == {"KRW", "JPY"}
    jpy = added["JPY"].detail
    assert jpy.minor_units == 0 and "JPY has no minor unit" in jpy.action and jpy.accountant_example == "1,235 JPY"
    korea = next(o for o in added["KRW"].countries if o.code == "KR")
    assert korea.sells_there and not korea.opens  # goods only: Korea's first-sale rule is for electronic services
    assert korea.rule is not None and set(korea.rule.categories) == {"digital", "saas"}
    assert korea.note == ("You sell goods there, which its rule does not count (South Korea VAT: registration from "
                          "the first sale of digital goods and SaaS, not goods or services): nothing opens there.")
    japan = next(o for o in added["JPY"].countries if o.code == "JP")
    assert not japan.sells_there and japan.note.startswith("No sales into Japan in the orders read: the currency "
                                                           "alone opens nothing")


def test_a_currency_opens_korea_where_the_company_sells_electronic_services_there(write):
    ledger = read_sales([orders(write, (3, "KR", "50.00", "direct", "no", "digital"))])
    candidate = profile(write, "name: Seoulful\ncurrencies: [USD, KRW]\n")
    krw = compare([candidate], ledger, rates=SAMPLE_RATES).candidates[0].currencies.added[0]
    korea = next(o for o in krw.countries if o.code == "KR")
    assert korea.opens and korea.covered == ("digital",)
    assert korea.note.startswith("You sell digital goods there: South Korea VAT: registration from the first sale")
    assert korea.status == "exceeded" and korea.nexus == "economic"  # the check today says so too


def test_a_currency_opens_nothing_where_the_candidate_is_merchant_of_record(write):
    ledger = read_sales([orders(write, (3, "KR", "50.00", "direct", "no", "digital"))])
    candidate = profile(write, "name: Seller\ncurrencies: [USD, KRW]\nrole: {merchant_of_record: [KR]}\n")
    krw = compare([candidate], ledger, rates=SAMPLE_RATES).candidates[0].currencies.added[0]
    korea = next(o for o in krw.countries if o.code == "KR")
    assert korea.covered == ("digital",) and not korea.opens and korea.role == "merchant-of-record"
    assert korea.note.endswith("Seller would be merchant of record there: the sales there would be its own, not "
                               "yours.")


def test_dropped_currencies_and_the_settlement_currencys_exposure_are_last_years_sales(write):
    ledger = read_sales([orders(write, (4, "US-CA", "100.00", "direct"), (2, "GB", "30.00", "direct", "no", "goods",
                                                                          "GBP"), (2, "JP", "1000", "direct", "no",
                                                                                   "goods", "JPY"))])
    chart = read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    candidate = profile(write, "name: Euro\ncurrencies: [USD, EUR, GBP]\nsettlement_currency: EUR\n")
    delta = compare([candidate], ledger, chart=chart).candidates[0].currencies
    assert delta.today == ("GBP", "JPY", "USD") and delta.dropped == (("JPY", Decimal("2000")),)
    assert dict(delta.exposure) == {"GBP": Decimal("60.00"), "JPY": Decimal("2000"), "USD": Decimal("400.00")}
    assert delta.book_currency == "USD"
    assert delta.notes[0] == ("Payouts in EUR are booked in USD (the chart's book currency): every payout carries an "
                              "exchange difference.")


# ---------------------------------------------------------------- accounts and checklist

def test_accounts_the_plan_would_add_because_of_the_candidate(write):
    ledger = read_sales([orders(write, (5, "US-CO", "100.00", "direct"))])
    chart = read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    candidate = profile(write, """
        name: Stocky
        stock: ["Reno, US-NV"]
        currencies: [USD, CHF]
    """)
    found = compare([candidate], ledger, chart=chart).candidates[0]
    new = {a.proposal.name for a in found.new_accounts}
    assert new == {"Bank - CHF", "Provider clearing - CHF", "Sales tax payable - Nevada (US-NV)",
                   "Accrued sales tax exposure - Nevada (US-NV)", "Tax exposure expense", "Tax interest and penalties"}
    assert all(not a.needed_today for a in found.new_accounts)
    assert compare([candidate], ledger).candidates[0].new_accounts is None  # no chart, nothing said about accounts


def test_the_accrued_liability_is_listed_in_the_book_currency_the_accrual_is_booked_in(write):
    """Before: the Accounts sheet and the memo's table gave 'Accrued sales tax exposure - Nevada (US-NV)' no
    currency, beside 'Sales tax payable - Nevada (US-NV)' in USD, as if it could be kept in any. The accrual
    journal books it in the book currency (docs/accounts.md), the sample chart's USD."""
    ledger = read_sales([orders(write, (5, "US-CO", "100.00", "direct"))])
    chart = read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    candidate = profile(write, "name: Stocky\nstock: [\"Reno, US-NV\"]\ncurrencies: [USD, CHF]\n")
    found = compare([candidate], ledger, chart=chart)
    assert found.candidates[0].currencies.book_currency == "USD"
    currency = {a.proposal.name: a.proposal.currency for a in found.candidates[0].accounts}
    assert currency["Accrued sales tax exposure - Nevada (US-NV)"] == "USD"
    assert currency["Sales tax payable - Nevada (US-NV)"] == "USD"
    assert currency["Tax exposure expense"] == ""  # an expense carries none in the plan, nor in the ledgers


def test_a_checklist_with_unknown_answers_counts_them_open_and_says_what_each_means(write):
    candidate = profile(write, """
        name: Vague
        currencies: [USD]
        export:
          order_id: yes
          refunds_as_rows: unknown
          tax_charged:
            answer: partial
            note: only where it collects
            reference: https://docs.example/tax
    """)
    found = compare([candidate]).candidates[0]
    lines = {line.question.key: line for line in found.checklist}
    assert len(lines) == 11 and not lines["order_id"].open and lines["order_id"].meaning == ""
    refunds = lines["refunds_as_rows"]
    assert refunds.open and refunds.answer.given and refunds.answer.source.line == 5
    assert refunds.meaning.startswith("Unknown, so read as no until the provider answers: thresholds are measured "
                                      "on gross sales")
    assert lines["tax_charged"].meaning.startswith("In part: tax collected cannot be reconciled")
    assert lines["tax_charged"].answer.reference == "https://docs.example/tax"
    silent = lines["double_byte_text"]
    assert (silent.answer.answer, silent.answer.given, silent.answer.note) == ("unknown", False,
                                                                               "not answered in the profile")
    assert len(found.open_items) == 10
    assert found.verdict().endswith("10 open checklist items (9 unknown, 1 partial)")


def test_candidates_come_most_consequential_first(write):
    ledger = read_sales([orders(write, (3, "US-CO", "100.00", "direct"))])
    quiet = profile(write, "name: Quiet\ncurrencies: [USD]\nexport: {order_id: yes}\n", name="quiet.yaml")
    risky = profile(write, "name: Risky\ncurrencies: [USD]\nstock: [US-CO]\n", name="risky.yaml")
    result = compare([quiet, risky], ledger)
    assert [c.name for c in result.candidates] == ["Risky", "Quiet"]
    assert result.fails("new-nexus")
    assert not compare([quiet], ledger).fails("new-nexus")


# ---------------------------------------------------------------- the profile file

@pytest.mark.parametrize("text, message", [
    ("name: X\ncurrencies: [USD]\nhosting:\n  cloud: gcp\n  regions: [us-central1, us-central9]\n",
     "x.yaml:5: hosting.regions[2] 'us-central9': is not a known gcp region or point of presence; close matches: "
     "gcp:us-central1, gcp:me-central2, gcp:me-central1"),
    ("name: X\ncurrencies: [USD]\ncdn:\n  - cloudflare\n  - limelight\n",
     "x.yaml:5: cdn[2] 'limelight': is not a CDN nexus knows (cloudflare, fastly, cloudfront, akamai); give its "
     "points of presence as places in the presence file instead"),
    ("name: X\ncurrencies: [USD]\nintegration:\n  double_byte_text: maybe\n",
     "x.yaml:4: integration.double_byte_text 'maybe': is not an answer (yes, no, partial, unknown)"),
    ("name: X\ncurrencies: [USD]\nrole:\n  marketplace_facilitator: [CA]\n  merchant_of_record: [TX]\n",
     "x.yaml:5: role.merchant_of_record[1] 'TX': is not a place a role can name (a country such as GB or US, a state "
     "such as US-CA, a province such as CA-QC, or EU); a US state is written US-TX"),
    ("name: X\ncurrencies: [USD]\nstok: [US-NV]\n",
     "x.yaml:3: 'stok' is not a key nexus reads here; did you mean stock?"),
    ("name: X\nname: Y\ncurrencies: [USD]\n", "x.yaml:2: name: given twice (first on line 1)"),
    ("name: X\ncurrencies: [USD, US Dollar]\n", "x.yaml:2: currencies[2] 'US Dollar': is not a three-letter currency "
                                                "code"),
    ("name: X\ncurrencies: [USD]\nhosting: {regions: [us-east-1]}\n",
     "x.yaml:3: hosting.regions[1] 'us-east-1': is a region code without a cloud: give hosting.cloud (aws, gcp, "
     "azure, oracle) or write it as aws:us-east-1"),
    ("currencies: [USD]\n", "x.yaml:1: name: is required (the provider's name, as the comparison shows it)"),
    ("name: X\ncurrencies: [USD, ÄUD]\n", "x.yaml:2: currencies[2] 'ÄUD': is not a three-letter currency code"),
    ("name: X\ncurrencies: [USD]\nsettlement_currency: XYZ\n", "x.yaml:3: settlement_currency 'XYZ': is not an "
     "ISO 4217 currency code: give the currency payouts are made in (USD, EUR, JPY)"),
    ("name: X\ncurrencies: [USD, EUR]\nsettlement_currency: hrk\n",
     "x.yaml:3: settlement_currency 'hrk': is withdrawn (2023-01): payouts are made in EUR"),
    ("name: X\ncurrencies: [USD]\nsettlement_currency: XAU\n", "x.yaml:3: settlement_currency 'XAU': is not money "
     "a payout is made in (ISO 4217 gives no minor unit)"),
    ("name: X\ncurrencies: [USD\n", "x.yaml:3: is not valid YAML: expected ',' or ']', but got '<stream end>'"),
])
def test_a_bad_profile_is_one_line_naming_file_line_and_key(write, text, message):
    path = write("x.yaml", text)
    with pytest.raises(InputError) as caught:
        read_profile(path)
    assert str(caught.value) == f"{path[:-len('x.yaml')]}{message}"


def test_a_profiles_full_width_codes_are_the_codes_they_spell(write):
    """ＪＰＹ typed by a Japanese input method was taken as a code of its own, which ISO never had: JPY was not
    among the currencies added and the screen asked the provider about 'ＪＰＹ'."""
    found = profile(write, "name: X\ncurrencies: [USD, ＪＰＹ]\nsettlement_currency: ｕｓｄ\n")
    assert found.currencies == ("USD", "JPY") and found.settlement == "USD"


def test_a_json_profile_names_the_key_path_and_line(write):
    path = write("p.json", """
        {
          "name": "Jsonic",
          "hosting": {"cloud": "aws", "regions": ["us-east-1"]},
          "cdn": ["fastly", "cloudflair"],
          "currencies": ["USD"]
        }
    """)
    with pytest.raises(InputError, match=r"p\.json:4: cdn\[2\] 'cloudflair': is not a CDN nexus knows .*did you "
                                         r"mean cloudflare or cloudfront\?$"):
        read_profile(path)
    broken = write("q.json", '{"name": "Jsonic",\n "currencies": ["USD"],,\n}\n')
    with pytest.raises(InputError, match=r"q\.json:2: is not valid JSON: Expecting property name enclosed in double "
                                         r"quotes \(column 24\)"):
        read_profile(broken)


def test_profile_values_are_read_as_written(write):
    found = profile(write, """
        name: Nordic
        currencies: [NOK, SEK]           # read from the profile, not from YAML's booleans
        role:
          merchant_of_record: [NO]       # Norway, not false
        integration:
          double_byte_text: yes
        channels: [resellers, affiliates]
        hosting:
          cloud: azure
          regions: [norwayeast]
          dedicated: yes
    """)
    assert found.merchant == ("NO",) and found.channels == ("reseller", "affiliate")
    assert next(a for a in found.answers if a.key == "double_byte_text").answer == "yes"
    assert found.items[0].location == "azure:norwayeast" and found.items[0].dedicated is True


def test_the_bundled_profiles_read(tmp_path):
    shopkit = read_profile(str(SAMPLES / "provider-shopkit.yaml"))
    hostwell = read_profile(str(SAMPLES / "provider-hostwell.yaml"))
    assert (shopkit.name, shopkit.cloud, shopkit.cdns, shopkit.settlement) == ("Shopkit", "gcp", ("cloudflare",), "USD")
    assert "KRW" in shopkit.currencies and shopkit.facilitator == ("US-FL", "US-GA", "US-IL", "US-PA", "US-OH")
    assert hostwell.merchant == ("EU", "GB", "CA", "AU", "NO", "CH") and hostwell.channels == ("reseller",)
    assert [i.location for i in hostwell.items if i.kind == "third-party-inventory"] == ["Reno, US-NV"]
    assert all(a.given for a in shopkit.answers + hostwell.answers)  # every question answered in the samples


def test_an_alias_that_contains_itself_or_multiplies_the_profile_is_refused(write):
    with pytest.raises(InputError, match=r"r\.yaml:2: currencies\[2\]: an alias refers to a value that contains it"):
        read_profile(write("r.yaml", "name: X\ncurrencies: &x [USD, *x]\n"))
    laughs = ["name: X", "currencies: [USD]", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    laughs += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 8)]
    with pytest.raises(InputError, match="holds more than 100,000 values"):
        read_profile(write("laughs.yaml", "\n".join(laughs) + "\n"))


KEYS = TOP_KEYS + HOSTING_KEYS + ROLES + ("answer", "note", "reference", "junk") + tuple(q.key for q in questions())
WORDS = st.sampled_from(["", "yes", "no", "NO", "maybe", "unknown", "partial", "USD", "KRW", "US-CA", "TX", "EU",
                         "cloudflare", "akamai", "aws", "gcp", "us-east-1", "aws:us-east-1", "Reno, US-NV", "=1+1",
                         "山田 太郎", "x" * 300, "1", "0.5", "cdn", "cloud-region"]) | st.none() | \
    st.text(max_size=8).filter(lambda t: not t.startswith("http"))
VALUES = st.recursive(
    WORDS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS), inner, max_size=4),
    max_leaves=16)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(document=st.dictionaries(st.sampled_from(KEYS), VALUES, max_size=8), form=st.sampled_from(["yaml", "json"]))
def test_junk_profiles_are_read_or_refused_in_one_line_never_a_crash(tmp_path, document, form):
    path = tmp_path / f"junk.{form}"
    path.write_text(json.dumps(document, ensure_ascii=False) if form == "json"
                    else yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
    try:
        found = read_profile(str(path))
    except NexusError as exc:
        assert "\n" not in str(exc) and str(exc).startswith(str(path))
    else:
        assert isinstance(found, Profile) and found.name and found.currencies


def test_a_region_code_in_capitals_under_its_cloud_is_that_clouds_region(write):
    """hosting: {cloud: aws, regions: [US-EAST-1]} was refused, 'a US location needs its state' (read as a
    place); the presence file reads aws:US-EAST-1 in any case, and so does a profile now."""
    found = profile(write, "name: C\nhosting: {cloud: aws, regions: [US-EAST-1]}\ncurrencies: [USD]\n")
    assert [item.location for item in found.items] == ["aws:US-EAST-1"]
    assert presence.judge(found.items[0], date(2026, 10, 31)).jurisdiction == "US-VA"


def test_a_registration_date_in_another_form_is_refused_without_suggesting_date_format(write):
    from nexus.registrations import read_registrations

    path = write("r.csv", "jurisdiction,registered_on,id\nUS-NY,03/01/2024,123\n")
    with pytest.raises(InputError) as raised:
        read_registrations(path, load_rules().countries())
    assert "r.csv:2: column 'registered_on' value '03/01/2024': is not a date in YYYY-MM-DD" in str(raised.value)
    assert "pass --date-format" not in str(raised.value)


def test_among_candidates_without_new_nexus_the_larger_net_change_a_year_comes_first(write):
    """Before: with no new nexus on either side, the candidate with more open checklist items came first, whatever
    the money: 'Facilitator' (given first, nothing answered: 11 open items) led 'Seller' (every answer yes), though
    Seller takes USD 12,360.05 a year off the company to collect (merchant of record in Nevada: 150,000.60 x 8.24%)
    and Facilitator USD 3,804.04 (Pennsylvania's facilitated 60,000.60 x 6.34%, the test above). The larger net
    change comes first. A candidate with new nexus (stock in Colorado, where the company sells USD 300.00 of goods a
    year: a registration to make, 300.00 x (2.9% state + 4.99% average local) = USD 23.67 a year more) still leads
    both, though its money is the smallest."""
    rows = NEVADA_BIG.strip().splitlines() + PENNSYLVANIA + [
        f"C{n},2026-0{n}-10,US,CO,100.00,USD,direct,no,goods" for n in range(1, 4)]
    ledger = read_sales([write("orders.csv", "\n".join(rows) + "\n")])
    answers = "".join(f"  {key}: yes\n" for key in ("order_id", "ship_to_region", "currency", "refunds_as_rows",
                                                     "chargebacks_as_rows", "tax_charged"))
    answers = "export:\n" + answers + "integration:\n" + "".join(
        f"  {key}: yes\n" for key in ("refund_chargeback_data", "late_or_replayed_orders", "double_byte_text",
                                      "new_currencies_settlement", "analytics_data_location"))
    facilitator = profile(write, "name: Facilitator\ncurrencies: [USD]\nrole:\n  marketplace_facilitator: [US-PA]\n",
                          "facilitator.yaml")
    seller = profile(write, "name: Seller\ncurrencies: [USD]\nrole:\n  merchant_of_record: [US-NV]\n" + answers,
                     "seller.yaml")
    stock = profile(write, "name: Stock\ncurrencies: [USD]\nstock: [US-CO]\n" + answers, "stock.yaml")
    found = compare([facilitator, seller], ledger).candidates
    assert [c.name for c in found] == ["Seller", "Facilitator"]
    assert [quantize(c.net.change.central, "USD") for c in found] == [Decimal("-12360.05"), Decimal("-3804.04")]
    assert (len(found[0].open_items), len(found[1].open_items)) == (0, 11)
    three = compare([facilitator, seller, stock], ledger).candidates
    assert [c.name for c in three] == ["Stock", "Seller", "Facilitator"]
    assert quantize(three[0].net.change.central, "USD") == Decimal("23.67")


def test_a_home_past_due_at_home_gets_its_accrued_liability_as_the_journal_books_it(write):
    """Before: with --home JP on the sample the comparison's accounts listed 'Consumption tax (JCT) payable - Japan
    (JP)' and no accrued liability for Japan, while today's check estimates JPY 2,962,486 of consumption tax not
    collected at home and 'nexus accounts journal' credits it to 'Accrued consumption tax (JCT) exposure - Japan
    (JP)'. Here a seller established in the UK sold GBP 100,000.00 of goods at home on 2026-01-10: the 12 months to
    2026-01-31 exceed GBP 90,000, VAT is due and not registered, so the check estimates the VAT not collected and
    the plan needs the accrued liability beside the payable, today and under the candidate alike."""
    sales = write("orders.csv", HEADER + "G1,2026-01-10,GB,,100000.00,GBP,direct,no,goods\n")
    ledger = read_sales([sales])
    chart = read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    candidate = profile(write, "name: Plain\ncurrencies: [USD, GBP]\n")
    found = compare([candidate], ledger, chart=chart, home="GB", rates=SAMPLE_RATES)
    gb = next(f for f in found.today.findings if f.jurisdiction == "GB")
    assert gb.nexus == "establishment" and gb.exposure is not None
    lines = {a.proposal.name: a.needed_today for a in found.candidates[0].accounts}
    assert lines["VAT payable - United Kingdom (GB)"] is True
    assert lines["Accrued VAT exposure - United Kingdom (GB)"] is True
    assert lines["Tax exposure expense"] is True


def test_a_home_with_nothing_estimated_gets_its_payable_and_no_accrued_liability(write):
    """A seller established in California: a place of business there means a permit, and the check estimates
    nothing at home (no registration test of its own to date a liability by): a payable, no accrual."""
    ledger = read_sales([orders(write, (3, "US-CA", "100.00", "direct"))])
    chart = read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    found = compare([profile(write, "name: Plain\ncurrencies: [USD]\n")], ledger, chart=chart, home="US-CA")
    names = {a.proposal.name for a in found.candidates[0].accounts}
    assert not [n for n in names if "California" in n]  # the chart's 2100 is the payable; nothing to accrue


def test_presence_the_provider_adds_at_home_is_nothing_to_review(write):
    """Before: with --home US-CA both bundled candidates listed California among the places to review with an
    adviser ('Review with an adviser ...: US-AZ, US-CA, ...', 'Presence: review 15 places'), for caches in the
    state where the seller is established and has nexus whatever a provider puts there. A Cloudflare cache in Los
    Angeles: at home nothing changes; for a seller established elsewhere it is a place to review."""
    ledger = read_sales([orders(write, (3, "US-CA", "100.00", "direct"))])
    candidate = profile(write, "name: Cachy\ncurrencies: [USD]\npops: [cloudflare:LAX]\n")
    at_home = compare([candidate], ledger, home="US-CA").candidates[0]
    [california] = [p for p in at_home.presence if p.jurisdiction == "US-CA"]
    assert (california.nexus_today, california.nexus_under, california.effect) == ("establishment", "establishment",
                                                                                    "unchanged")
    assert at_home.presence_effects("review") == ()
    elsewhere = compare([candidate], ledger).candidates[0]
    assert [p.jurisdiction for p in elsewhere.presence_effects("review")] == ["US-CA"]


@pytest.mark.parametrize("state, said, until", [
    ("WA", "Washington keeps nexus to 2027-12-31 (the rest of that calendar year and 1 more calendar year: RCW "
           "82.08.052(1)(a)(iii); WAC 458-20-193 (trailing nexus)): until then you stay liable there, as today; the "
           "figure counts the tax a year from the move on.", "2027-12-31"),
    ("TX", "Texas keeps no nexus after it (nexus ends with the presence: 34 TAC \u00a7 3.286(b)(2)).", "2026-10-31")])
def test_nexus_that_goes_with_presence_lasts_as_the_states_trailing_row_says(write, state, said, until):
    """Before, every place whose nexus went with the old provider's stock read 'nexus's data do not say how long nexus
    from presence lasts once the presence ends', though data/presence-trailing.json says it for the US states:
    Washington keeps nexus for the rest of the year and the next (to 2027-12-31 for stock gone on 2026-10-31), Texas
    none. Now the place says the state's period, its day and its citation."""
    from nexus.provider_report import comparison_dict, place_notes

    city = {"WA": "Seattle", "TX": "Austin"}[state]
    sales = HEADER + "\n".join(f"S{m},2026-{m:02d}-15,US,{state},1000.05,USD,direct,no,goods" for m in range(1, 11))
    ledger = read_sales([write("orders.csv", sales + "\n")])
    items = presence.read_presence(write("presence.csv", f"""
        kind,location,ownership,dedicated,function,since,until,note
        third-party-inventory,"{city}, US-{state}",third-party,no,storage,2024-01-01,,old provider's warehouse
        """))
    leaving = profile(write, f'name: Leaving\ncurrencies: [USD]\nreplaces: ["{city}, US-{state}"]\n')
    comparison = compare([leaving], ledger, items=items)
    [place] = comparison.candidates[0].removed.places
    assert f"nexus from your presence there, ending with the move: {said}" in place_notes(comparison.candidates[0],
                                                                                          place)
    [row] = comparison_dict(comparison)["candidates"][0]["tax_no_longer_collected"]["places"]
    assert row["nexus_from_presence_until"] == until


def test_a_total_is_the_sum_of_its_places_as_shown_so_the_rows_add_up_to_it(write):
    """Three places of USD 0.005 a year each show USD 0.01 apiece: the total under them is USD 0.03, the sum a
    controller gets by adding the rows, in the lead, the verdict, the workbook's Total row and the net change. Before,
    the total was the full figures' sum rounded once, 0.015 shown as USD 0.02: a table whose rows do not add to its
    total by a cent (the sample's Shopkit showed 53,838.13 under rows adding to 53,838.12)."""
    from nexus.exposure_records import Range
    from nexus.provider_exposure import NewExposure, Place, Removals, Removed
    from nexus.provider_report import net_sentence, removed_sentence
    from nexus.workbooks.provider import _removed_rows

    half = Range(Decimal("0.005"), Decimal("0.005"), Decimal("0.005"))
    codes = ("US-IL", "US-PA", "US-GA")
    added = NewExposure(True, "USD", date(2025, 11, 1), AS_OF, Decimal(1), tuple(
        Place(code, code, "why", "USD", Decimal(1), Decimal(1), half, half) for code in codes))
    gone = Removals(True, "USD", date(2025, 11, 1), AS_OF, Decimal(1), tuple(
        Removed(code, code, "why", "marketplace-facilitator", False, "USD", Decimal(1), half,
                Range(Decimal(0), Decimal(0), Decimal(0)), half) for code in codes))
    assert added.total == gone.total == Range(Decimal("0.03"), Decimal("0.03"), Decimal("0.03"))
    candidate = compare([profile(write, "name: Rounded\ncurrencies: [USD]\n")]).candidates[0]
    candidate = replace(candidate, removed=gone, exposure=replace(added, places=()))
    assert removed_sentence(candidate).startswith("Tax no longer yours to collect: est. USD 0.03 a year, ")
    assert candidate.removed_words().startswith("est. USD 0.03 a year no longer yours to collect")
    rows = _removed_rows(candidate)
    assert [r["central"] for r in rows if r["code"] in codes] == [Decimal("0.01")] * 3
    [total] = [r for r in rows if r["code"] == "Total"]
    assert total["central"] == sum(r["central"] for r in rows if r["code"] in codes) == Decimal("0.03")
    assert "less est. USD 0.03 no longer yours to collect" in net_sentence(candidate)


def test_one_door_foots_ranges_and_single_figures_alike():
    """nexus.provider_exposure.footed foots a table's rows as a reader adds them (each rounded once, then summed):
    three places of 0.005 show 0.01 apiece and foot to 0.03, where their full sum, 0.015, rounds to 0.02; a range is
    footed level by level, as its single figures are; no figures foot to 0 (an accrued column with none)."""
    from nexus.exposure_records import Range
    from nexus.provider_exposure import footed

    half_cents = [Decimal("0.005")] * 3
    assert footed(half_cents, "USD") == Decimal("0.03")
    ranges = [Range(Decimal("0.004"), Decimal("0.005"), Decimal("1.2345"))] * 3
    assert footed(ranges, "USD") == Range(Decimal("0.00"), Decimal("0.03"), Decimal("3.69"))
    assert footed([Decimal("1.0005")], "BHD") == Decimal("1.001") and footed([], "USD") == Decimal(0)
