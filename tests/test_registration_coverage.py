"""What the EU's scheme registrations cover (data/registration-coverage.json): the Import OSS covers goods imported in
consignments up to EUR 150 and nothing else, the non-Union OSS a non-EU seller's services and not its goods, the
Union OSS an EU seller's distance sales of goods and services. Figures worked by hand: DE VAT 19 %, FR VAT 20 %."""
from datetime import date
from decimal import Decimal

import pytest

from nexus.check import check
from nexus.findings import Context
from nexus.errors import Location, RulesError
from nexus.registrations import read_registrations, scopes
from nexus.report import coverage_assumptions, registered_and_collecting
from nexus.rules import load_rules
from nexus.orders import Order
from nexus.ledger import Ledger

AS_OF = date(2026, 6, 30)
ASSUMED = "imported from outside the EU in consignments of an intrinsic value up to EUR 150"


def ledger_of(*rows):
    """rows: (day, place, amount in EUR, category)."""
    ledger = Ledger()
    for day, place, amount, category in rows:
        ledger.add(Order("", day, place, Decimal(amount), "EUR", "direct", "sale", "no", category, Location("t.csv")))
        ledger.rows_read += 1
    return ledger


def run(write, registrations, *rows, home=None):
    held = read_registrations(write("regs.csv", "jurisdiction,registered_on\n" + registrations),
                              load_rules().countries())
    return check(ledger_of(*rows), load_rules(), AS_OF, home=home, timed=Context(held))


def finding(result, code):
    return next(f for f in result.findings if f.jurisdiction == code)


def test_the_import_oss_alone_leaves_saas_sales_exposed_and_estimated(write):
    """SaaS of EUR 5,000 and EUR 6,000 into Germany from a seller established outside the EU (no threshold: VAT from
    the first sale, 2026-02-01), holding the Import OSS only: not registered, VAT 19 % of 11,000 = 2,090.00."""
    result = run(write, "EU-IOSS,2025-01-01\n", (date(2026, 2, 1), "DE", "5000", "saas"),
                 (date(2026, 3, 1), "DE", "6000", "saas"))
    de, eu = finding(result, "DE"), finding(result, "EU")
    assert (de.nexus, de.timing.action, eu.timing.action) == ("economic", "register-now", "register-now")
    assert de.timing.registration is None and de.timing.register_by == date(2026, 3, 10)
    assert de.exposure.currency == "EUR" and de.exposure.uncollected.central == Decimal("2090.00")
    said = " ".join(de.reasons)
    assert "covers none of these sales; SaaS is not covered. Digital products, SaaS and other services need the " \
           "non-Union OSS" in said
    assert result.fails("overdue")
    # nothing in the data needs the Import OSS: it is listed as such, not counted as covering Germany
    assert [r.jurisdiction for r in result.unneeded_registrations] == ["EU-IOSS"]


def test_goods_alone_with_the_import_oss_are_covered_only_on_an_assumption_said(write):
    result = run(write, "EU-IOSS,2025-01-01\n", (date(2026, 4, 1), "FR", "800", "goods"))
    fr = finding(result, "FR")
    assert fr.timing.action == "registered" and fr.exposure.uncollected.central == 0
    assert fr.timing.coverage.assumptions and ASSUMED in fr.timing.coverage.assumptions[0]
    assert any(ASSUMED in r and "which the orders do not show" in r for r in fr.reasons)
    assert registered_and_collecting([fr]) == "Registered and collecting: the EU-IOSS registration covers FR."
    said = coverage_assumptions(result.findings)
    assert said == ["EU-IOSS is counted as covering goods only on the assumption that they were " + ASSUMED
                    + " and are not excise goods, which the orders do not show (EU, FR)."]


def test_stock_in_a_member_state_is_said_beside_the_import_oss_assumption(write):
    """Goods sent from a warehouse in the Netherlands are not imports: the presence file that says so is quoted
    beside the assumption, which nexus still cannot check order by order."""
    from nexus import presence

    held = read_registrations(write("regs.csv", "jurisdiction,registered_on\nEU-IOSS,2025-01-01\n"),
                              load_rules().countries())
    venlo = presence.Item("warehouse", "Venlo, NL", "third-party", False, "storage", date(2026, 2, 1), None, "",
                          Location("p.csv", 2))
    result = check(ledger_of((date(2026, 4, 1), "FR", "800", "goods")), load_rules(), AS_OF,
                   presence=presence.assess([venlo], AS_OF), timed=Context(held))
    assert coverage_assumptions(result.findings)[-1].endswith(
        "which the orders do not show; but the presence file puts stock in the EU (warehouse at Venlo, NL): goods "
        "sent from it are not imports, so not the Import OSS's (EU, FR).")


def frankfurt_check(write, registrations, home=None):
    """Goods of EUR 1,000 into Germany on 2026-02-01 and 2026-04-01, a warehouse in Frankfurt from 2026-03-01."""
    from nexus import presence

    held = read_registrations(write("regs.csv", "jurisdiction,registered_on\n" + registrations),
                              load_rules().countries())
    stock = presence.Item("warehouse", "Frankfurt, DE", "third-party", False, "storage", date(2026, 3, 1), None, "",
                          Location("p.csv", 2))
    rows = ledger_of((date(2026, 2, 1), "DE", "1000", "goods"), (date(2026, 4, 1), "DE", "1000", "goods"))
    return finding(check(rows, load_rules(), AS_OF, home=home, presence=presence.assess([stock], AS_OF),
                         timed=Context(held)), "DE")


def test_stock_in_the_member_state_itself_needs_its_own_registration_beside_the_eu_one(write):
    """A seller established outside the EU holds EU (the Union OSS) from 2025, and from 2026-03-01 stock in
    Frankfurt: its sales from that stock to customers in Germany are domestic supplies, which the OSS does not take
    (data/stock-registration.json). Germany is not 'registered': it must register there, by the stock's arrival
    (2026-03-01); the VAT on the sales stays counted as collected under the EU registration (nothing at stake),
    said. Before, Germany read 'registered and collecting' under the EU registration."""
    de = frankfurt_check(write, "EU,2025-01-01\n")
    assert de.timing.action == "register-now" and de.timing.registration is None
    assert de.timing.register_by == date(2026, 3, 1) and de.exposure.uncollected.central == 0
    cover = de.timing.coverage
    assert not cover.complete and cover.uncovered == () and len(cover.stock) == 2
    assert cover.stock[0].startswith("the stock in Germany (warehouse at Frankfurt, DE) needs Germany's own VAT "
                                     "registration from its arrival")
    assert "not intra-Community distance sales" in cover.stock[0]
    assert any("stock-registration" in r for r in de.reasons) or "stock-registration" in cover.words()
    assert "https://datenbank.nwb.de/Dokument/452295_369b" in cover.as_dict()["sources"]  # the rule's own texts
    # Germany's own registration covers all of it; a seller established in Germany is at home there
    assert frankfurt_check(write, "EU,2025-01-01\nDE,2025-01-01\n").timing.action == "registered"
    home = frankfurt_check(write, "EU,2025-01-01\n", home="DE")
    assert home.status == "established" and not (home.timing and home.timing.coverage and home.timing.coverage.stock)


def test_stock_beside_an_eu_registration_taken_late_keeps_the_days_before_it_at_stake(write):
    """The EU registration taken on 2026-03-15, after the first sale into Germany (2026-02-01, no threshold for a
    seller established outside the EU): the sale of 2026-02-01 was not collected on, 19 % of 1,000 = 190.00 at stake,
    dated from the sale, whatever the stock in Frankfurt adds."""
    de = frankfurt_check(write, "EU,2026-03-15\n")
    assert de.timing.action == "register-now" and de.exposure.uncollected.central == Decimal("190.00")
    assert de.timing.windows[0].since == date(2026, 2, 1)


def test_goods_and_saas_with_the_import_oss_leave_the_saas_estimated(write):
    """Goods EUR 1,000 (the Import OSS's, on the assumption) and SaaS EUR 2,000 into Germany: 19 % of 2,000 = 380.00."""
    result = run(write, "EU-IOSS,2025-01-01\n", (date(2026, 2, 1), "DE", "1000", "goods"),
                 (date(2026, 2, 1), "DE", "2000", "saas"))
    de = finding(result, "DE")
    assert de.timing.action == "register-now" and de.exposure.uncollected.central == Decimal("380.00")
    assert [c for c, _r in de.timing.coverage.covered] == ["goods"] and de.timing.coverage.uncovered == ("saas",)
    assert result.unneeded_registrations == ()


def test_the_eu_registration_covers_a_non_eu_sellers_services_and_its_goods_from_eu_stock_on_an_assumption(write):
    """Goods EUR 1,000 and digital EUR 500 into France (FR VAT 20 %), a seller established outside the EU holding EU:
    EU is the Union OSS and, for such a seller, stands for the non-Union OSS too. The digital sales
    are covered outright; the goods only on the assumption that they were sent from stock in a member state (the
    Union OSS's intra-EU distance sales, Arts. 369a(2) and 369b), said: registered, nothing at stake. (Read as the
    non-Union OSS alone, the goods were left at stake, 200.00, while the seller's own EU registration covered them.)"""
    rows = ((date(2026, 2, 1), "FR", "1000", "goods"), (date(2026, 2, 1), "FR", "500", "digital"))
    fr = finding(run(write, "EU,2025-01-01\n", *rows), "FR")
    assert fr.timing.action == "registered" and fr.exposure.uncollected.central == 0
    assert {c: r.jurisdiction for c, r in fr.timing.coverage.covered} == {"goods": "EU", "digital": "EU"}
    assert fr.timing.coverage.assumptions == (
        "EU is counted as covering goods only on the assumption that they were sent to customers from stock in a "
        "member state (intra-EU distance sales, which a seller established outside the EU declares in the Union "
        "OSS: Arts. 369a(2) and 369b), which the orders do not show",)
    # the Import OSS held as well: the EU registration's assumption is said, one line, not two that disagree
    both = finding(run(write, "EU,2025-01-01\nEU-IOSS,2025-01-01\n", *rows), "FR")
    assert both.timing.action == "registered" and both.exposure.uncollected.central == 0
    assert len(both.timing.coverage.assumptions) == 1


def test_the_union_oss_covers_an_eu_sellers_goods_with_no_assumption(write):
    """A seller established in Germany, goods of EUR 12,000 into France (past the EUR 10,000 union-wide threshold):
    the Union OSS covers intra-EU distance sales of goods outright (Arts. 369a-369k)."""
    result = run(write, "EU,2025-01-01\n", (date(2026, 2, 1), "FR", "12000", "goods"), home="DE")
    fr = finding(result, "FR")
    assert fr.nexus == "economic" and fr.timing.action == "registered" and fr.timing.coverage.assumptions == ()
    # the Import OSS covers none of an EU seller's intra-EU distance sales
    fr = finding(run(write, "EU-IOSS,2025-01-01\n", (date(2026, 2, 1), "FR", "12000", "goods"), home="DE"), "FR")
    assert fr.timing.action == "register-now" and fr.exposure.uncollected.central == Decimal("2400.00")


def test_a_member_states_own_registration_covers_all_of_its_sales(write):
    result = run(write, "DE,2025-01-01\nEU-IOSS,2025-01-01\n", (date(2026, 2, 1), "DE", "2000", "saas"))
    de = finding(result, "DE")
    assert de.timing.action == "registered" and de.timing.registration.jurisdiction == "DE"
    assert de.timing.coverage.assumptions == () and de.exposure.uncollected.central == 0


def test_the_import_oss_covers_nothing_before_it_began_on_2021_07_01(write):
    """Digital sales into Germany in 2020 by a seller established outside the EU (MOSS, from the first sale): an
    EU-IOSS row covers nothing then, and says why rather than that nexus has no data."""
    held = read_registrations(write("regs.csv", "jurisdiction,registered_on\nEU-IOSS,2019-01-01\n"),
                              load_rules().countries())
    result = check(ledger_of((date(2020, 3, 1), "DE", "1000", "digital")), load_rules(), date(2020, 6, 30),
                   timed=Context(held))
    de = finding(result, "DE")
    assert de.timing.action == "register-now" and de.timing.coverage.uncovered == ("digital",)
    assert "The Import OSS applies from 2021-07-01 only" in " ".join(de.reasons)


def test_every_coverage_row_is_sourced_and_dated():
    rows = scopes()
    assert {(s.registration, s.scheme) for s in rows} >= {
        ("EU-IOSS", "non-Union OSS / IOSS"), ("EU", "non-Union OSS / IOSS"), ("EU", "union-wide threshold")}
    for s in rows:
        assert s.sources and s.legal_basis and s.last_verified == date(2026, 12, 6)
    ioss = next(s for s in rows if s.registration == "EU-IOSS" and s.scheme == "non-Union OSS / IOSS"
                and s.in_force(date(2021, 7, 1)))
    assert ioss.covers == () and dict(ioss.assumed).keys() == {"goods"} and "369l" in ioss.legal_basis


def test_the_cli_lists_the_saas_in_act_now_and_says_the_coverage_in_json(write):
    import json

    from click.testing import CliRunner

    from nexus.cli import cli

    orders = write("o.csv", "date,country,amount,currency,category\n2026-02-01,DE,5000,EUR,saas\n"
                            "2026-03-01,DE,6000,EUR,saas\n2026-04-01,FR,800,EUR,goods\n")
    regs = write("r.csv", "jurisdiction,registered_on\nEU-IOSS,2025-01-01\n")
    args = ["check", "--sales", orders, "--as-of", "2026-06-30", "--registrations", regs, "--report-currency", "EUR"]
    screen = CliRunner().invoke(cli, args, catch_exceptions=False).stdout
    act = screen.split("Act now:")[1].split("Estimated tax")[0]
    assert "DE " in act and "EUR 2,090.00" in act and "FR " not in act
    assert "Registered and collecting: the EU-IOSS registration covers FR. EU-IOSS is counted as covering goods " \
           "only on the assumption that they were " + ASSUMED in " ".join(screen.split())
    data = json.loads(CliRunner().invoke(cli, args + ["--format", "json"], catch_exceptions=False).stdout)
    by = {f["jurisdiction"]: f for f in data["findings"]}
    assert (by["DE"]["action"], by["FR"]["action"]) == ("register-now", "registered")
    assert by["DE"]["coverage"]["uncovered"] == ["saas"] and by["DE"]["registration"] is None
    assert by["FR"]["coverage"]["covered"] == {"goods": "EU-IOSS"} and ASSUMED in by["FR"]["coverage"]["assumptions"][0]
    assert data["summary"]["coverage_assumptions"] == coverage_assumptions_of(screen)


def coverage_assumptions_of(screen):
    """The assumption sentence as the screen prints it, unwrapped."""
    text = " ".join(screen.split())
    start = text.index("EU-IOSS is counted")
    return [text[start:text.index("(EU, FR).") + len("(EU, FR).")]]


def test_a_coverage_row_for_a_code_that_is_not_a_scheme_is_refused(monkeypatch):
    from nexus import datafiles, registrations

    bad = {"rules": [{"registration": "DE", "scheme": "x", "effective_from": "2021-07-01", "covers": ["goods"],
                      "legal_basis": "x", "sources": ["https://example.org"], "last_verified": "2026-12-06"}]}
    monkeypatch.setattr(datafiles, "document", lambda _name: bad)
    registrations.scopes.cache_clear()
    try:
        with pytest.raises(RulesError, match="registration 'DE' is not one of EU, EU-IOSS"):
            registrations.scopes()
    finally:
        monkeypatch.undo()
        registrations.scopes.cache_clear()


def test_a_closed_eu_registration_covers_the_days_it_was_held_no_more_no_less(write):
    """Digital sales into Germany of EUR 1,000 each on 2021-08-02, 2022-03-01 and 2022-09-01 by a seller established
    outside the EU (no threshold: VAT from the first sale), holding EU (the OSS) from 2021-07-01 to its closing on
    2022-06-30; as of 2022-12-31. The first two sales were declared in the OSS while it was held; the third was not:
    register again, DE VAT 19 % of 1,000 = 190.00 at stake. Before, the closed registration covered nothing at all:
    all three sales were at stake, 570.00, while the finding itself said 'tax from 2022-07-01 is not covered by it'."""
    held = read_registrations(write("regs.csv", "jurisdiction,registered_on,collecting_from,id,note,closed_on\n"
                                                "EU,2021-07-01,,,,2022-06-30\n"), load_rules().countries())
    rows = ledger_of((date(2021, 8, 2), "DE", "1000", "digital"), (date(2022, 3, 1), "DE", "1000", "digital"),
                     (date(2022, 9, 1), "DE", "1000", "digital"))
    de = finding(check(rows, load_rules(), date(2022, 12, 31), timed=Context(held)), "DE")
    assert (de.timing.action, de.timing.registration) == ("register-now", None)
    assert [m.start for m in de.exposure.months] == [date(2022, 9, 1)]
    assert de.exposure.uncollected.central == Decimal("190.00")
