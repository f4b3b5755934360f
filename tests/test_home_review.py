"""--home for sellers established outside the US, end to end through `nexus check --format json`, with fixtures
worked out by hand."""
import json
from datetime import date, timedelta

from click.testing import CliRunner

from conftest import SAMPLES
from nexus.cli import cli

RATES = str(SAMPLES / "eurofxref-hist.csv")
HEADER = "order_id,date,country,region,amount,currency,category,channel\n"


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def findings(tmp_path, orders, as_of, home, registrations=None, fmt="json"):
    sales = tmp_path / "orders.csv"
    sales.write_text(HEADER + orders)
    args = ["check", "--sales", str(sales), "--rates", RATES, "--as-of", as_of, "--home", home, "--format", fmt]
    if registrations:
        regs = tmp_path / "registrations.csv"
        regs.write_text("jurisdiction,registered_on,collecting_from,id,note\n" + registrations)
        args += ["--registrations", str(regs)]
    out = run(*args)
    assert out.exit_code == 0, out.output
    if fmt != "json":
        return out.output
    text = out.stdout if hasattr(out, "stdout") else out.output
    return {(f["jurisdiction"], f["part_of"]): f for f in json.loads(text[:text.rindex("}") + 1])["findings"]}


JP_ORDERS = ("J1,2024-03-01,JP,,6000000,JPY,goods,direct\n"
             "J2,2024-08-01,JP,,6000000,JPY,goods,direct\n"
             "J3,2025-02-01,JP,,3000000,JPY,goods,direct\n")


def test_japan_home_is_told_to_notify_once_next_years_base_period_is_met(tmp_path):
    # 2024's sales reach JPY 12,000,000 on 2024-08-01: 2024 is the base period of 2026, so the business is taxable
    # from 2026-01-01 and must notify promptly once the period's total is known, from 2025-01-01. On 2025-06-30 the
    # periods deciding 2025 (base 2023, not covered; specified 2024-H1, JPY 6,000,000) are not met, but 2026's
    # already is: register now, tax from 2026-01-01.
    jp = findings(tmp_path, JP_ORDERS, "2025-06-30", "JP")[("JP", None)]
    assert jp["status"] == "established" and jp["nexus"] == "establishment"
    assert (jp["nexus_since"], jp["collect_from"], jp["register_by"], jp["action"]) == \
        ("2024-08-01", "2026-01-01", "2025-01-01", "register-now")
    # Once 2026 begins the base period is measured itself: the same dates.
    jp = findings(tmp_path, JP_ORDERS, "2026-03-31", "JP")[("JP", None)]
    assert (jp["sales"], jp["crossed_on"], jp["nexus_since"], jp["collect_from"], jp["action"]) == \
        ("12000000", "2024-08-01", "2024-08-01", "2026-01-01", "register-now")


def test_japan_home_specified_period_met_this_year(tmp_path):
    # JPY 11,000,000 in January-June 2025 (the specified period of 2026), crossed on 2025-05-10: on 2025-09-30
    # taxable from 2026-01-01, notification due; nothing in 2023 or 2024-H1 decides 2025.
    orders = ("A,2025-02-01,JP,,5000000,JPY,goods,direct\n"
              "B,2025-05-10,JP,,6000000,JPY,goods,direct\n")
    jp = findings(tmp_path, orders, "2025-09-30", "JP")[("JP", None)]
    assert (jp["nexus_since"], jp["collect_from"], jp["action"]) == ("2025-05-10", "2026-01-01", "register-now")
    # Before the crossing, nothing to do.
    jp = findings(tmp_path, orders, "2025-04-30", "JP")[("JP", None)]
    assert jp["action"] is None and jp["nexus_since"] is None


EU_ORDERS = ("D1,2026-01-10,DE,,50000.00,EUR,goods,direct\n"
             "F1,2026-03-01,FR,,6000.00,EUR,goods,direct\n"
             "N1,2026-05-01,NL,,5000.00,EUR,digital,direct\n"
             "I1,2026-06-01,IE,,1000.00,EUR,goods,direct\n")


def test_member_states_own_registration_is_named_as_its_own_not_the_unions(tmp_path):
    # --home DE: the union total leaves out DE (EUR 50,000): FR 6,000 + NL 5,000 = 11,000 > 10,000 on 2026-05-01.
    found = findings(tmp_path, EU_ORDERS, "2026-06-30", "DE", "FR,2026-05-01,2026-05-01,FR12345678901,own VAT\n")
    assert found[("EU", None)]["sales"] == "12000.00" and found[("EU", None)]["crossed_on"] == "2026-05-01"
    assert found[("FR", "EU")]["action"] == "registered" and found[("NL", "EU")]["action"] == "register-now"
    screen = findings(tmp_path, EU_ORDERS, "2026-06-30", "DE", "FR,2026-05-01,2026-05-01,FR12345678901,own VAT\n",
                      fmt="table")
    assert "Registered and collecting: FR." in screen
    assert "EU registration covers" not in screen


def test_verbose_screen_of_a_home_lists_the_reasons_of_what_to_act_on(tmp_path):
    # The Home line's action sentence was held in the name of the Act now list, so --verbose with --home failed
    # (a str added to a list). JPY 12,000,000 in 2024 (> 10,000,000): the home's reasons are printed.
    sales = tmp_path / "orders.csv"
    sales.write_text(HEADER + JP_ORDERS)
    out = run("check", "--sales", str(sales), "--rates", RATES, "--as-of", "2026-03-31", "--home", "JP", "--verbose")
    assert out.exit_code == 0, out.output
    assert "Home: Japan (JP), nexus by establishment." in out.output
    assert "Established in Japan, the seller's home" in out.output


def test_japan_home_counts_goods_exported_in_its_taxable_sales(tmp_path):
    # Base-period and specified-period taxable sales are the taxable supplies made in Japan, export-exempt ones
    # included (Consumption Tax Act arts. 7(1), 9(2), 9-2(2)); electronic services to customers abroad are supplied
    # abroad (not counted); other services abroad may be either (unknown: left out, and said).
    orders = ("J1,2024-03-01,JP,,6000000,JPY,goods,direct\n"
              "D1,2024-04-01,US,CA,5000000,JPY,digital,direct\n"
              "S1,2024-04-15,BH,,1000000,JPY,services,direct\n"
              "U1,2024-05-01,US,CA,8000000,JPY,goods,direct\n"
              "J2,2025-02-01,JP,,1000000,JPY,digital,direct\n"
              "U2,2025-03-01,US,CA,5000000,JPY,goods,direct\n"
              "D2,2025-03-02,US,CA,2000000,JPY,digital,direct\n")
    # On 2025-06-30 the specified period 2024-01-01 to 2024-06-30 decides 2025: JPY 6,000,000 in Japan + JPY
    # 8,000,000 of goods to the US = JPY 14,000,000 > 10,000,000, crossed on 2024-05-01 (JPY 6,000,000 alone was
    # below: no duty at all before). Taxable from 2025-01-01; notification due promptly, so now.
    jp = findings(tmp_path, orders, "2025-06-30", "JP")[("JP", None)]
    assert (jp["sales"], jp["period"]["start"], jp["crossed_on"]) == ("14000000", "2024-01-01", "2024-05-01")
    assert (jp["nexus_since"], jp["collect_from"], jp["action"]) == ("2024-05-01", "2025-01-01", "register-now")
    assert {k: v for k, v in jp["excluded"].items() if k.startswith("abroad")} == {
        "abroad": "8000000", "abroad_out_of_scope": "5000000", "abroad_unknown": "1000000"}
    said = " ".join(jp["reasons"])
    assert "Of the figure, JPY 8,000,000 are sales to customers outside Japan, counted: goods shipped abroad" in said
    # ... on an assumption the orders cannot check: that the goods left from Japan, not from stock held abroad
    assert ("each sale of goods to a customer outside Japan is counted as sent from Japan; goods sent from stock "
            "held abroad are not supplies made in Japan") in said
    assert "Sales of JPY 5,000,000 to customers outside Japan are not counted: electronic services" in said
    assert "Sales of JPY 1,000,000 to customers outside Japan are left out of the figure, which may be too low" in said
    # Tax at stake is on the domestic sales since 2025-01-01 only: JPY 1,000,000 at 10% = JPY 100,000; the JPY
    # 5,000,000 exported on 2025-03-01 is export-exempt and carries none, the JPY 2,000,000 of digital products to
    # the US are supplied abroad.
    assert jp["exposure"]["currency"] == "JPY"
    assert jp["exposure"]["uncollected"]["central"] == "100000"


def test_uk_home_test_is_met_at_a_month_end_only(tmp_path):
    # VAT Act 1994 Sch. 1 para. 1(1)(a): liable 'at the end of any month' if the 12 months then ending exceed
    # GBP 90,000. GBP 50,000 on 2025-04-25 and 45,000 on 2026-04-22: the 12 months to 2026-04-22 hold GBP 95,000,
    # but the 12 months to 2026-04-30 (from 2025-05-01) hold GBP 45,000: never liable (a rolling count said
    # 'register by 2026-05-30').
    orders = ("A,2025-04-25,GB,,50000.00,GBP,goods,direct\n"
              "B,2026-04-22,GB,,45000.00,GBP,goods,direct\n")
    gb = findings(tmp_path, orders, "2026-06-30", "GB")[("GB", None)]
    assert (gb["nexus_since"], gb["register_by"], gb["action"]) == (None, None, None)
    # The same sale on 2025-05-20 is within the 12 months to 2026-04-30: GBP 95,000, liable on 30 April; notify
    # within 30 days of that month end (2026-05-30), registered from the first day of the second month after
    # (2026-06-01), as HMRC's VATREG18300 works it (exceeded 22 April, liable 30 April, notify by 30 May, EDR 1 June).
    orders = ("A,2025-05-20,GB,,50000.00,GBP,goods,direct\n"
              "B,2026-04-22,GB,,45000.00,GBP,goods,direct\n")
    gb = findings(tmp_path, orders, "2026-06-30", "GB")[("GB", None)]
    assert (gb["nexus_since"], gb["register_by"], gb["collect_from"], gb["action"]) == (
        "2026-04-30", "2026-05-30", "2026-06-01", "register-now")


def test_uk_home_counts_zero_rated_exports_but_not_digital_services_abroad(tmp_path):
    # Taxable turnover includes zero-rated supplies (VATREG02300), exports among them; e-services to consumers
    # abroad are supplied where they belong (outside the scope). GBP 40,000 at home + GBP 60,000 of goods to the US =
    # GBP 100,000 > 90,000 in the 12 months to 2025-10-31; the GBP 20,000 of digital products to the US do not count.
    orders = ("G1,2025-09-10,GB,,40000.00,GBP,goods,direct\n"
              "D1,2025-09-20,US,CA,20000.00,GBP,digital,direct\n"
              "U1,2025-10-05,US,CA,60000.00,GBP,goods,direct\n")
    gb = findings(tmp_path, orders, "2026-06-30", "GB")[("GB", None)]
    assert gb["sales"] == "100000.00"
    assert (gb["excluded"]["abroad"], gb["excluded"]["abroad_out_of_scope"]) == ("60000.00", "20000.00")
    # over on 2025-10-05, liable at the end of October: notify by 2025-11-30, registered from 2025-12-01
    assert (gb["nexus_since"], gb["register_by"], gb["collect_from"]) == ("2025-10-31", "2025-11-30", "2025-12-01")


def test_australia_home_is_measured_by_its_gst_turnover_exports_included(tmp_path):
    # GST turnover (current month and previous 11) leaves out only input-taxed supplies and those not connected
    # with Australia; goods removed from Australia, and other supplies made through an enterprise carried on there,
    # are connected (GST Act s. 9-25(2), (5)(b)). AUD 30,000 at home + 35,000 of goods to New Zealand + 10,000 of
    # digital products to the US = AUD 75,000, at the threshold ('at or above') on 2026-03-01: register within 21
    # days (2026-03-22); GST from the day required, the earliest the Commissioner may set.
    orders = ("A1,2026-01-10,AU,NSW,30000.00,AUD,goods,direct\n"
              "N1,2026-02-15,NZ,,35000.00,AUD,goods,direct\n"
              "U1,2026-03-01,US,CA,10000.00,AUD,digital,direct\n")
    au = findings(tmp_path, orders, "2026-03-31", "AU")[("AU", None)]
    assert (au["status"], au["sales"], au["period"]["start"], au["excluded"]["abroad"]) == (
        "established", "75000.00", "2025-04-01", "45000.00")
    assert (au["nexus_since"], au["collect_from"], au["register_by"], au["action"]) == (
        "2026-03-01", "2026-03-01", "2026-03-22", "register-now")
    # One dollar short of the threshold: below, nothing to do.
    au = findings(tmp_path, orders.replace("10000.00", "9999.99"), "2026-03-31", "AU")[("AU", None)]
    assert (au["sales"], au["action"]) == ("74999.99", None)


def test_uk_home_counts_its_own_marketplace_sales_of_goods_but_not_of_digital_services(tmp_path):
    # A marketplace is liable for the VAT on goods in the UK only where the seller is an overseas seller: a UK seller
    # selling goods through one registers on its own turnover (HMRC, businesses selling goods in the UK using online
    # marketplaces). Digital services to consumers through a platform are the platform's to account for (HMRC, VAT
    # rules for supplies of digital services). GBP 50,000 direct + 45,000 of goods through a marketplace = GBP 95,000
    # > 90,000 in the 12 months to 2025-10-31; the GBP 30,000 of e-books through an app store do not count.
    orders = ("G1,2025-09-10,GB,,50000.00,GBP,goods,direct\n"
              "M1,2025-10-05,GB,,45000.00,GBP,goods,marketplace\n"
              "E1,2025-10-06,GB,,30000.00,GBP,digital,marketplace\n")
    gb = findings(tmp_path, orders, "2026-06-30", "GB")[("GB", None)]
    assert (gb["sales"], gb["excluded"]["marketplace"]) == ("95000.00", "30000.00")
    assert (gb["nexus_since"], gb["register_by"], gb["collect_from"]) == ("2025-10-31", "2025-11-30", "2025-12-01")
    said = " ".join(gb["reasons"])
    assert "marketplace-facilitated sales included but for digital, saas." in said
    assert ("Marketplace-facilitated sales of GBP 30,000.00 are not counted: the marketplace is the supplier of the "
            "digital, saas sold through it.") in said
    # A seller established abroad: the UK's rule for it counts no marketplace sales of any kind (the marketplace is
    # the deemed supplier of an overseas seller's goods in the UK).
    gb = findings(tmp_path, orders, "2026-06-30", "US-CA")[("GB", None)]
    assert gb["excluded"]["marketplace"] == "75000.00"


def test_eu_home_counts_its_own_marketplace_distance_sales_of_goods(tmp_path):
    # Art. 14a(2) VAT Directive makes the marketplace the supplier of goods within the EU only for a seller not
    # established in the EU: a German seller's goods sold through a marketplace to French consumers are its own
    # intra-EU distance sales, counted toward the EUR 10,000 of Art. 59c (EUR 6,000 direct + 5,000 through a
    # marketplace = 11,000 > 10,000); e-books through an app store are the platform's (Art. 9a Implementing
    # Regulation 282/2011).
    orders = ("F1,2026-02-10,FR,,6000.00,EUR,goods,direct\n"
              "F2,2026-03-05,FR,,5000.00,EUR,goods,marketplace\n"
              "F3,2026-03-06,FR,,3000.00,EUR,digital,marketplace\n")
    eu = findings(tmp_path, orders, "2026-06-30", "DE")[("EU", None)]
    assert (eu["status"], eu["sales"], eu["excluded"]["marketplace"]) == ("exceeded", "11000.00", "3000.00")


def test_uk_home_estimate_counts_its_own_marketplace_goods_not_digital_services(tmp_path):
    # Met as above (GBP 95,000 at the end of October 2025), registered from 2025-12-01. Tax at stake from then:
    # a UK seller's goods sold through a marketplace are its own supplies, the VAT its own (20%); e-books through a
    # platform are the platform's. GBP 1,200 of goods through a marketplace on 2026-01-10 at 20% = GBP 240;
    # GBP 600 of e-books through the platform: none.
    orders = ("G1,2025-09-10,GB,,50000.00,GBP,goods,direct\n"
              "M1,2025-10-05,GB,,45000.00,GBP,goods,marketplace\n"
              "M2,2026-01-10,GB,,1200.00,GBP,goods,marketplace\n"
              "E2,2026-01-11,GB,,600.00,GBP,digital,marketplace\n")
    gb = findings(tmp_path, orders, "2026-01-31", "GB")[("GB", None)]
    assert gb["exposure"]["from"] == "2025-12-01"
    assert gb["exposure"]["uncollected"]["central"] == "240.00"
    assert any("Marketplace sales of goods are estimated" in a for a in gb["exposure"]["assumptions"])


# Canada: a small supplier stops being one (Excise Tax Act s. 148) either (1) on the supply that takes one calendar
# quarter's worldwide taxable supplies over CAD 30,000 (tax on that supply, register within 29 days), or (2) when the
# four calendar quarters ending at a quarter end together exceed CAD 30,000: still a small supplier through the month
# after that quarter, tax from the first supply after, register within 29 days of it (the CRA's "When to register").
def test_canada_home_single_quarter_over_30000_is_taxed_from_the_supply_that_passes_it(tmp_path):
    # CAD 20,000 on 2026-01-10, then 11,000 on 2026-02-17: the quarter reaches CAD 31,000 > 30,000 with the supply of
    # 17 February (20,000 alone is not over). Tax on that supply; register within 29 days: 2026-02-17 + 29 = 2026-03-18.
    orders = ("A,2026-01-10,CA,ON,20000.00,CAD,goods,direct\n"
              "B,2026-02-17,CA,ON,11000.00,CAD,goods,direct\n")
    ca = findings(tmp_path, orders, "2026-02-28", "CA-ON")[("CA", None)]
    assert (ca["status"], ca["nexus"], ca["sales"], ca["crossed_on"]) == ("established", "establishment", "31000.00",
                                                                         "2026-02-17")
    assert (ca["period"]["start"], ca["period"]["end"]) == ("2026-01-01", "2026-02-28")
    assert (ca["nexus_since"], ca["collect_from"], ca["register_by"], ca["action"]) == (
        "2026-02-17", "2026-02-17", "2026-03-18", "register-by")
    assert "met by sales of CAD 31,000.00 and 2 transactions in calendar quarter 2026-Q1 to 2026-02-28; crossed on " \
        "2026-02-17" in ca["reasons"][2]
    # On 2026-03-31 the four quarters to that day hold the same CAD 31,000, which alone would start tax on 2026-05-01;
    # the quarter's test was met first and its dates stand (the deadline has passed).
    ca = findings(tmp_path, orders, "2026-03-31", "CA")[("CA", None)]
    assert (ca["collect_from"], ca["register_by"], ca["action"]) == ("2026-02-17", "2026-03-18", "register-now")
    # The day before the crossing: nothing to do yet.
    ca = findings(tmp_path, orders, "2026-02-16", "CA")[("CA", None)]
    assert (ca["sales"], ca["nexus_since"], ca["action"]) == ("20000.00", None, None)


def test_canada_home_four_quarters_over_30000_is_taxed_after_the_month_following_the_quarter(tmp_path):
    # CAD 8,000 in each quarter of 2025: no quarter over CAD 30,000, the four together CAD 32,000 at 2025-12-31 (the
    # running total passes 30,000 with the sale of 2025-11-15). A small supplier through January 2026 (the month
    # after the quarter): tax from the first supply on or after 2026-02-01; register within 29 days of it, at the
    # earliest 2026-02-01 + 29 = 2026-03-02.
    orders = ("Q1,2025-02-15,CA,BC,8000.00,CAD,goods,direct\n"
              "Q2,2025-05-15,CA,BC,8000.00,CAD,goods,direct\n"
              "Q3,2025-08-15,CA,BC,8000.00,CAD,goods,direct\n"
              "Q4,2025-11-15,CA,BC,8000.00,CAD,goods,direct\n")
    ca = findings(tmp_path, orders, "2026-01-15", "CA")[("CA", None)]
    assert (ca["status"], ca["sales"], ca["period"]["start"], ca["period"]["end"]) == (
        "established", "32000.00", "2025-01-01", "2025-12-31")
    assert (ca["nexus_since"], ca["collect_from"], ca["register_by"], ca["action"]) == (
        "2025-12-31", "2026-02-01", "2026-03-02", "register-by")
    # A rolling test names no 'crossed on' day beside the period (its running total's day says nothing of the duty).
    assert "in 12 months to quarter end 2025-01-01 to 2025-12-31 (rule in force" in ca["reasons"][2]
    # Before the quarter ends, the four quarters to 2025-09-30 hold CAD 24,000 and the quarter to date 8,000: below.
    ca = findings(tmp_path, orders, "2025-12-30", "CA")[("CA", None)]
    assert (ca["nexus_since"], ca["collect_from"], ca["action"]) == (None, None, None)


def test_canada_home_counts_exports_in_its_worldwide_taxable_supplies(tmp_path):
    # s. 148(1)(a) counts taxable supplies made inside or outside Canada, zero-rated exports included: CAD 20,000 at
    # home + 15,000 of goods shipped to the US in 2026-Q2 = CAD 35,000 > 30,000 on 2026-05-20 (20,000 alone is not).
    # Tax from that supply, register by 2026-05-20 + 29 = 2026-06-18, overdue on 2026-06-30.
    orders = ("C1,2026-04-10,CA,QC,20000.00,CAD,goods,direct\n"
              "U1,2026-05-20,US,NY,15000.00,CAD,goods,direct\n")
    ca = findings(tmp_path, orders, "2026-06-30", "CA-QC")[("CA", None)]
    assert (ca["sales"], ca["excluded"]["abroad"], ca["crossed_on"]) == ("35000.00", "15000.00", "2026-05-20")
    assert (ca["collect_from"], ca["register_by"], ca["action"]) == ("2026-05-20", "2026-06-18", "register-now")
    assert "Of the figure, CAD 15,000.00 are sales to customers outside Canada, counted" in " ".join(ca["reasons"])


def test_canada_home_just_under_30000_over_four_quarters_is_not_met(tmp_path):
    # CAD 7,500 + 7,500 + 7,500 + 7,499.99 = 29,999.99 in the four quarters of 2025: not over CAD 30,000.
    orders = ("Q1,2025-02-15,CA,ON,7500.00,CAD,goods,direct\n"
              "Q2,2025-05-15,CA,ON,7500.00,CAD,goods,direct\n"
              "Q3,2025-08-15,CA,ON,7500.00,CAD,goods,direct\n"
              "Q4,2025-11-15,CA,ON,7499.99,CAD,goods,direct\n")
    ca = findings(tmp_path, orders, "2026-01-15", "CA")[("CA", None)]
    assert (ca["status"], ca["sales"], ca["nexus_since"], ca["collect_from"], ca["action"]) == (
        "established", "29999.99", None, None, None)


def test_canada_home_goods_through_a_marketplace_in_canada_are_the_platforms(tmp_path):
    # A distribution platform operator charges the GST/HST on goods in Canada sold through it by vendors not
    # registered, resident or not (CRA, supply of qualifying goods in Canada): an unregistered Canadian seller's
    # marketplace sales of goods to Canadians are not its supplies. Its goods sold through a marketplace to the US are
    # its own exports, and its e-books through an app store its own (the platform is the supplier only for a
    # non-resident vendor). 2026-Q2: CAD 20,000 direct + 5,000 e-books through a marketplace + 6,000 of goods to the
    # US through a marketplace = 31,000 > 30,000 on 2026-05-20; the CAD 9,000 of goods to Canadians through a
    # marketplace are left out.
    orders = ("C1,2026-04-10,CA,ON,20000.00,CAD,goods,direct\n"
              "M1,2026-04-20,CA,ON,9000.00,CAD,goods,marketplace\n"
              "E1,2026-05-02,CA,AB,5000.00,CAD,digital,marketplace\n"
              "U1,2026-05-20,US,NY,6000.00,CAD,goods,marketplace\n")
    ca = findings(tmp_path, orders, "2026-06-30", "CA")[("CA", None)]
    assert (ca["sales"], ca["excluded"]["marketplace"], ca["excluded"]["abroad"], ca["crossed_on"]) == (
        "31000.00", "9000.00", "6000.00", "2026-05-20")


def test_canada_home_takes_the_earlier_duty_of_its_two_tests(tmp_path):
    # CAD 8,000 in each quarter from 2025-Q2 to 2026-Q1: the four quarters to 2026-03-31 hold CAD 32,000 (the running
    # total passes 30,000 on 2026-02-15): a small supplier through April, tax from 2026-05-01, register by 2026-05-30.
    # Then 2026-Q2 reaches CAD 31,000 with the sale of 2026-04-10 (15,000 + 16,000): not a small supplier from that
    # supply, register by 2026-04-10 + 29 = 2026-05-09. The earlier duty stands: tax from 2026-04-10.
    orders = ("A,2025-06-15,CA,NS,8000.00,CAD,goods,direct\n"
              "B,2025-09-15,CA,NS,8000.00,CAD,goods,direct\n"
              "C,2025-12-15,CA,NS,8000.00,CAD,goods,direct\n"
              "D,2026-02-15,CA,NS,8000.00,CAD,goods,direct\n")
    ca = findings(tmp_path, orders, "2026-04-05", "CA")[("CA", None)]
    assert (ca["nexus_since"], ca["collect_from"], ca["register_by"]) == ("2026-03-31", "2026-05-01", "2026-05-30")
    orders += ("E,2026-04-02,CA,NS,15000.00,CAD,goods,direct\n"
               "F,2026-04-10,CA,NS,16000.00,CAD,goods,direct\n")
    ca = findings(tmp_path, orders, "2026-04-30", "CA")[("CA", None)]
    assert (ca["sales"], ca["crossed_on"], ca["period"]["start"]) == ("31000.00", "2026-04-10", "2026-04-01")
    assert (ca["nexus_since"], ca["collect_from"], ca["register_by"], ca["action"]) == (
        "2026-03-31", "2026-04-10", "2026-05-09", "register-by")


def test_canada_home_tax_at_stake_is_the_provinces_hst_on_what_it_sold_since_the_crossing(tmp_path):
    # CAD 20,000 on 2026-01-10 and 11,000 on 2026-02-17 take 2026-Q1 over CAD 30,000 on the second sale: tax from
    # that supply (ETA s. 148(1)... a registrant from it), register within 29 days (2026-03-18). A seller
    # established in Canada pays GST/HST on its taxable supplies made in Canada (s. 165(1), (2)): Ontario's HST is
    # 13%, so 13% of 11,000 + 5,000 (2026-03-01) = CAD 2,080. The screen named Ontario's test; the test is Canada's.
    orders = ("A1,2026-01-10,CA,ON,20000.00,CAD,goods,direct\n"
              "A2,2026-02-17,CA,ON,11000.00,CAD,goods,direct\n"
              "A3,2026-03-01,CA,ON,5000.00,CAD,goods,direct\n")
    ca = findings(tmp_path, orders, "2026-03-31", "CA-ON")[("CA", None)]
    assert (ca["collect_from"], ca["register_by"]) == ("2026-02-17", "2026-03-18")
    assert (ca["exposure"]["from"], ca["exposure"]["uncollected"]["central"]) == ("2026-02-17", "2080.00")
    assert "test for businesses established in Canada, measured below" in ca["reasons"][1]


def test_a_non_residents_digital_sales_into_an_hst_province_are_estimated_at_its_rate(tmp_path):
    # Canada's simplified regime (from 2021-07-01): digital products to Canadian consumers over CAD 30,000 in 12
    # months. Sales into Ontario are taxed at its 13% HST, but Ontario has no taxability rows of its own: they were
    # 'taxability unknown' and not estimated; Canada's rows now answer for its provinces. CAD 31,000 of e-books on
    # 2025-09-01 (met), then CAD 1,000 on 2026-01-15: the registration is due from the crossing (the data's own
    # dates), and every sale since is at 13%.
    orders = ("D1,2025-09-01,CA,ON,31000.00,CAD,digital,direct\n"
              "D2,2026-01-15,CA,ON,1000.00,CAD,digital,direct\n")
    ca = findings(tmp_path, orders, "2026-03-31", "US-CA")[("CA", None)]
    assert ca["status"] == "exceeded" and ca["exposure"]["not_estimated"] == {}
    rates = {r["jurisdiction"]: r["central"] for r in ca["exposure"]["rates"]}
    assert rates == {"CA-ON": "0.13"}


def test_canada_home_test_met_before_the_rule_took_effect_is_dated_by_its_start_rule(tmp_path):
    # The data's small-supplier row (and its two timing rows) start on 2021-07-01. The four quarters to 2021-06-30
    # hold CAD 20,000 + 15,000 exported = 35,000 > 30,000 (passed on 2021-05-20, before that day): a small supplier
    # through July (the month after the quarter), tax from 2021-08-01, register within 29 days of it: 2021-08-30.
    # Then 2021-Q3 reaches CAD 31,000 with the supply of 2021-07-05: tax from that supply, register by 2021-07-05 +
    # 29 = 2021-08-03. The earlier duty stands; on 2021-07-31 it is not yet due. The start rule was looked up on the
    # day the sales passed the threshold (2021-05-20), when no timing row was in force, so the check fell back to
    # 'no sourced start rule' and said register now, deadline 2021-07-01; and the four quarters' duty counted from
    # July (the first day the rule measured them), not from the quarter to 2021-06-30: tax from 2021-09-01.
    rates = tmp_path / "rates.csv"
    day, lines = date(2021, 1, 1), ["date,currency,per_eur"]
    while day <= date(2021, 8, 31):
        lines += [f"{day},CAD,1.5", f"{day},USD,1.2"]
        day += timedelta(days=1)
    rates.write_text("\n".join(lines) + "\n")
    sales = tmp_path / "orders.csv"
    sales.write_text(HEADER + "C1,2021-04-10,CA,ON,20000.00,CAD,goods,direct\n"
                              "U1,2021-05-20,US,NY,15000.00,CAD,goods,direct\n"
                              "C2,2021-07-05,CA,ON,31000.00,CAD,goods,direct\n")
    out = run("check", "--sales", str(sales), "--rates", str(rates), "--as-of", "2021-07-31", "--home", "CA-ON",
              "--format", "json")
    ca = next(f for f in json.loads(out.stdout)["findings"] if f["jurisdiction"] == "CA")
    assert (ca["nexus_since"], ca["collect_from"], ca["register_by"], ca["action"]) == (
        "2021-07-01", "2021-07-05", "2021-08-03", "register-by")
    reasons = " ".join(ca["reasons"])
    assert "no sourced start rule" not in reasons
    # the two tests' windows are one duty (timing.one_duty), dated by the earlier: the single quarter's
    assert "Collect from 2021-07-05" in reasons and "register by 2021-08-03" in reasons


def test_a_month_end_test_passed_mid_month_and_refunded_below_by_the_month_end_is_not_met(tmp_path):
    # VAT Act 1994 Sch. 1 para. 1(1)(a): liable at the end of a month whose 12 months then ending exceed GBP 90,000.
    # GBP 50,000 at home on 2026-01-15, 50,000 of goods exported on 2026-03-10 (GBP 100,000 that day), 20,000 of them
    # refunded on 2026-03-20: the 12 months to 2026-03-31 hold GBP 80,000, never over at a month end. The timing said
    # so (no dates), but the finding read the running total inside the window: 'was met on 2026-03-10; refunds since
    # bring its sales to GBP 80,000', crossed_on 2026-03-10. It is approaching: 80,000 / 90,000 = 88%.
    orders = ("G1,2026-01-15,GB,,50000.00,GBP,goods,direct,sale\n"
              "U1,2026-03-10,US,NY,50000.00,GBP,goods,direct,sale\n"
              "R1,2026-03-20,US,NY,20000.00,GBP,goods,direct,refund\n")
    sales = tmp_path / "orders.csv"
    sales.write_text(HEADER.replace("channel", "channel,type") + orders)
    out = run("check", "--sales", str(sales), "--rates", RATES, "--as-of", "2026-04-15", "--home", "GB",
              "--format", "json")
    gb = next(f for f in json.loads(out.stdout)["findings"] if f["jurisdiction"] == "GB")
    assert (gb["sales"], gb["crossed_on"], gb["nexus_since"], gb["action"]) == ("80000.00", None, None, None)
    assert gb["excluded"]["abroad"] == "30000.00"
    assert "Potential exposure approaching: sales of GBP 80,000.00 and 2 transactions in 12 whole months " \
        "2025-04-01 to 2026-03-31 reach 88%" in gb["reasons"][2]
    # Vermont's test is made at each month end too (32 V.S.A. 9701(9)(F)): USD 110,000 on 2026-03-10, 20,000 refunded
    # on 2026-03-20 is USD 90,000 at the month end: not 'exceeded' (which put it under Act now with no dates).
    orders = ("V1,2026-03-10,US,VT,110000.00,USD,goods,direct,sale\n"
              "R1,2026-03-20,US,VT,20000.00,USD,goods,direct,refund\n")
    sales.write_text(HEADER.replace("channel", "channel,type") + orders)
    out = run("check", "--sales", str(sales), "--rates", RATES, "--as-of", "2026-04-15", "--format", "json")
    vt = next(f for f in json.loads(out.stdout)["findings"] if f["jurisdiction"] == "US-VT")
    assert (vt["status"], vt["nexus"], vt["sales"], vt["crossed_on"]) == ("approaching", None, "90000.00", None)
    # Connecticut's test is the 12 months ending on the 30 September before the period (Conn. Gen. Stat.
    # 12-407(a)(12)): USD 110,000 and 210 sales (both passed in October 2024), 20,000 refunded on 2025-09-15, is
    # USD 90,000 and 210 sales at 2025-09-30: not met (both are needed). It read 'exceeded' ('was met on ...;
    # refunds since bring its sales to USD 90,000'), with nothing to do.
    orders = "".join(f"C{i},2024-10-{1 + i % 28:02d},US,CT,523.81,USD,goods,direct,sale\n" for i in range(209))
    orders += ("C209,2025-04-18,US,CT,523.71,USD,goods,direct,sale\n"
               "R1,2025-09-15,US,CT,20000.00,USD,goods,direct,refund\n")
    sales.write_text(HEADER.replace("channel", "channel,type") + orders)
    out = run("check", "--sales", str(sales), "--rates", RATES, "--as-of", "2025-12-31", "--format", "json")
    ct = next(f for f in json.loads(out.stdout)["findings"] if f["jurisdiction"] == "US-CT")
    assert (ct["status"], ct["nexus"], ct["sales"], ct["transactions"], ct["crossed_on"]) == (
        "approaching", None, "90000.00", 210, None)


def test_the_home_line_says_sales_abroad_left_out_for_want_of_an_exchange_rate(tmp_path):
    # GBP 85,000 at home and TWD 400,000 of goods exported to Taiwan (about GBP 9,500: over GBP 90,000 together); the
    # ECB publishes no TWD, so the figure holds GBP 85,000 (94%). The JSON's reasons said the TWD was left out, but the
    # screen's Home line said only 'approaching 94%', which reads as settled.
    out = findings(tmp_path, "G1,2026-01-15,GB,,85000.00,GBP,goods,direct\n"
                             "T1,2026-02-10,TW,,400000,TWD,goods,direct\n", "2026-03-31", "GB", fmt="table")
    home = " ".join(out[out.index("Home:"):out.index("Reasons, sources")].split())
    assert "reach 94% of United Kingdom VAT's test" in home
    assert "Sales abroad: TWD 400,000.00 left out for want of an exchange rate to GBP, so the figure may be too " \
        "low (--verbose for why)." in home


def test_a_deadline_one_day_past_is_one_day(tmp_path):
    # AUD 75,000 in March 2026 (current month and previous 11): met on 2026-03-01, register within 21 days, by
    # 2026-03-22; checked on 2026-03-23, the deadline was one day before.
    orders = "A1,2026-03-01,AU,NSW,75000.00,AUD,goods,direct\n"
    au = findings(tmp_path, orders, "2026-03-23", "AU")[("AU", None)]
    assert au["register_by"] == "2026-03-22"
    assert "the deadline was 2026-03-22, 1 day before the as-of date" in " ".join(au["reasons"])


def test_germany_home_over_25000_in_a_year_charges_vat_from_the_next_1_january(tmp_path):
    # § 19(1) UStG from 2025: exempt while the previous year's Gesamtumsatz did not exceed EUR 25,000. EUR 15,000 on
    # 2025-03-10 and 11,000 on 2025-09-20 make EUR 26,000 > 25,000 in 2025 with the sale of 20 September (15,000
    # alone is not): VAT from 2026-01-01. A German business has its Finanzamt: 'register' is that same day.
    orders = ("D1,2025-03-10,DE,,15000.00,EUR,goods,direct\n"
              "D2,2025-09-20,DE,,11000.00,EUR,goods,direct\n")
    de = findings(tmp_path, orders, "2025-12-31", "DE")[("DE", None)]
    assert (de["status"], de["nexus"], de["sales"], de["crossed_on"]) == ("established", "establishment", "26000.00",
                                                                         "2025-09-20")
    assert (de["collect_from"], de["register_by"], de["action"]) == ("2026-01-01", "2026-01-01", "register-by")
    # In 2026 the previous year (2025, EUR 26,000) decides: still taxed, though 2026 has no sales yet.
    de = findings(tmp_path, orders, "2026-03-31", "DE")[("DE", None)]
    assert (de["sales"], de["period"]["start"], de["collect_from"]) == ("26000.00", "2025-01-01", "2026-01-01")


def test_germany_home_24999_in_a_year_is_no_duty(tmp_path):
    # EUR 24,999.00 in 2025: not over EUR 25,000, and far from EUR 100,000: still a small business in 2026.
    orders = "D1,2025-06-01,DE,,24999.00,EUR,goods,direct\n"
    de = findings(tmp_path, orders, "2026-01-15", "DE")[("DE", None)]
    assert (de["status"], de["sales"], de["nexus_since"], de["collect_from"], de["action"]) == (
        "established", "24999.00", None, None, None)


def test_germany_home_over_100000_in_the_current_year_charges_vat_from_that_supply(tmp_path):
    # 2025: EUR 20,000 (not over 25,000, so 2026 starts exempt). 2026: EUR 60,000 on 2026-02-01 and 41,000 on
    # 2026-05-14 make EUR 101,000 > 100,000 with the supply of 14 May (60,000 alone is not): VAT from that supply,
    # 2026-05-14, not from 2027-01-01 as the EUR 25,000 test alone (passed on 2026-02-01) would say.
    orders = ("D0,2025-06-01,DE,,20000.00,EUR,goods,direct\n"
              "D1,2026-02-01,DE,,60000.00,EUR,goods,direct\n"
              "D2,2026-05-14,DE,,41000.00,EUR,goods,direct\n")
    de = findings(tmp_path, orders, "2026-05-31", "DE")[("DE", None)]
    # The finding names the first test met (EUR 25,000, passed on 2026-02-01); the dates are the earlier duty's.
    assert (de["sales"], de["crossed_on"]) == ("101000.00", "2026-02-01")
    assert (de["nexus_since"], de["collect_from"], de["register_by"]) == ("2026-02-01", "2026-05-14", "2026-05-14")
    # The day before: EUR 60,000 in 2026 is over 25,000 (VAT from 2027-01-01) but not over 100,000.
    de = findings(tmp_path, orders, "2026-05-13", "DE")[("DE", None)]
    assert (de["collect_from"], de["action"]) == ("2027-01-01", "register-by")


def test_germany_home_past_eur_100000_then_past_25000_for_next_year_is_one_duty(tmp_path):
    # § 19 UStG from 2025: EUR 60,000 on 2025-02-01 and 50,000 on 2025-03-10 pass EUR 100,000 in the current year:
    # VAT from that supply; the year's EUR 110,000 also passes EUR 25,000, so 2026 is taxed from 1 January. One duty
    # since 2025-03-10: the deadline was 2025-03-10. The two tests' windows were dated apart: 'the deadline was
    # 2026-01-01' beside tax owed since 2025-03-10.
    orders = ("D1,2025-02-01,DE,,60000.00,EUR,goods,direct\n"
              "D2,2025-03-10,DE,,50000.00,EUR,goods,direct\n"
              "D3,2026-02-01,DE,,1000.00,EUR,goods,direct\n")
    de = findings(tmp_path, orders, "2026-06-30", "DE")[("DE", None)]
    assert (de["collect_from"], de["register_by"], de["action"]) == ("2025-03-10", "2025-03-10", "register-now")
    assert de["exposure"]["from"] == "2025-03-10"


def test_one_duty_of_two_tests_says_nexus_began_with_the_test_that_began_it(tmp_path):
    # § 19 UStG from 2025: EUR 20,000 in 2025 (exempt in 2026). 2026: EUR 70,000 on 2026-03-01 passes EUR 25,000
    # (VAT from 2027-01-01); 31,000 more on 2026-07-15 make EUR 101,000 > 100,000 (VAT from that supply). One duty:
    # nexus since 2026-03-01, VAT from 2026-07-15. The reasons said 'Nexus since 2026-03-01: the sales test was met
    # on 2026-07-15', a day after the day nexus began; the day the duty began is the collect-from line's.
    orders = ("D0,2025-06-01,DE,,20000.00,EUR,goods,direct\n"
              "D1,2026-03-01,DE,,70000.00,EUR,goods,direct\n"
              "D2,2026-07-15,DE,,31000.00,EUR,goods,direct\n")
    de = findings(tmp_path, orders, "2026-10-31", "DE")[("DE", None)]
    assert (de["nexus_since"], de["collect_from"], de["register_by"]) == ("2026-03-01", "2026-07-15", "2026-07-15")
    since = next(r for r in de["reasons"] if r.startswith("Nexus since"))
    assert since == "Nexus since 2026-03-01: the sales test was met on 2026-03-01 (calendar year 2026)."
    # Canada: the four quarters to 2025-09-30 hold CAD 31,000 (passed on 2025-07-10, met at that quarter end: tax
    # from 2025-11-01); 2025-Q4 reaches CAD 31,000 on 2025-10-05 (tax from that supply, register by 2025-11-03). One
    # duty since 2025-09-30, the quarter end on which the four quarters' test is met.
    orders = ("K1,2025-02-01,CA,ON,10000.00,CAD,goods,direct\n"
              "K2,2025-05-01,CA,ON,12000.00,CAD,goods,direct\n"
              "K3,2025-07-10,CA,ON,9000.00,CAD,goods,direct\n"
              "K4,2025-10-05,CA,ON,31000.00,CAD,goods,direct\n")
    ca = findings(tmp_path, orders, "2026-03-31", "CA-ON")[("CA", None)]
    assert (ca["nexus_since"], ca["collect_from"], ca["register_by"]) == ("2025-09-30", "2025-10-05", "2025-11-03")
    since = next(r for r in ca["reasons"] if r.startswith("Nexus since"))
    assert since.startswith("Nexus since 2025-09-30: the sales passed the threshold on 2025-07-10 (12 months to "
                            "quarter end")
    assert since.endswith("and the rule, measured at each quarter end, finds the test met on 2025-09-30.")


def test_switzerland_home_reaching_chf_100000_worldwide_is_liable_from_the_next_1_january(tmp_path):
    # MWSTG Art. 10(2)(a): exempt who makes less than CHF 100,000 'im In- und Ausland' in a year. CHF 60,000 sold in
    # Switzerland on 2025-04-01 and CHF 45,000 exported to Germany on 2025-10-15 make CHF 105,000 >= 100,000 with the
    # export (60,000 alone is not). MWSTV Art. 9(3): the exemption ends after the business year (here the calendar
    # year) in which the limit is reached: VAT from 2026-01-01; MWSTG Art. 66(1): register within 30 days of the
    # start of liability, by 2026-01-31 (1 January + 30 days).
    orders = ("C1,2025-04-01,CH,,60000.00,CHF,goods,direct\n"
              "C2,2025-10-15,DE,,45000.00,CHF,goods,direct\n")
    ch = findings(tmp_path, orders, "2025-12-31", "CH")[("CH", None)]
    assert (ch["status"], ch["nexus"], ch["sales"], ch["crossed_on"]) == ("established", "establishment", "105000.00",
                                                                         "2025-10-15")
    assert (ch["collect_from"], ch["register_by"], ch["action"]) == ("2026-01-01", "2026-01-31", "register-by")
    # In 2026 the previous year (2025, CHF 105,000) decides. CHF 10,000 of goods sold in Switzerland on 2026-02-01
    # carry VAT at the standard 8.1% (tax-rates.json from 2024): CHF 810 not collected; the reduced rate is said.
    orders += "C3,2026-02-01,CH,,10000.00,CHF,goods,direct\n"
    ch = findings(tmp_path, orders, "2026-03-31", "CH")[("CH", None)]
    assert (ch["period"]["start"], ch["collect_from"], ch["register_by"]) == ("2025-01-01", "2026-01-01", "2026-01-31")
    e = ch["exposure"]
    assert (e["from"], e["taxable_sales"], e["uncollected"]["central"]) == ("2026-01-01", "10000.00", "810.00")
    assert any(a.startswith("Switzerland (goods): taxed here at the standard rate") for a in e["assumptions"])


def test_switzerland_home_just_under_chf_100000_worldwide_is_no_duty(tmp_path):
    # CHF 60,000 at home + 39,999.99 of SaaS sold to a customer in Germany = CHF 99,999.99 in 2025: less than
    # CHF 100,000, still exempt (every category sold abroad counts, so the figure is the whole 99,999.99).
    orders = ("C1,2025-04-01,CH,,60000.00,CHF,goods,direct\n"
              "C2,2025-10-15,DE,,39999.99,CHF,saas,direct\n")
    ch = findings(tmp_path, orders, "2026-01-15", "CH")[("CH", None)]
    assert (ch["status"], ch["sales"], ch["nexus_since"], ch["collect_from"], ch["action"]) == (
        "established", "99999.99", None, None, None)


def test_a_home_duty_that_has_ended_unregistered_still_has_its_tax_estimated(tmp_path):
    # § 19 UStG from 2025: EUR 30,000 in 2025 passes EUR 25,000, so 2026 is taxed from 1 January; 2026's EUR 10,000
    # does not, so 2027 is not. Checked on 2027-06-30 the duty has ended, but the VAT on 2026's sales was owed and
    # never charged: 19% of 10,000 = EUR 1,900 (nothing was estimated: a home's tax was only estimated while its
    # duty was open, where a US state's ended window is estimated).
    orders = ("D1,2025-06-01,DE,,30000.00,EUR,goods,direct\n"
              "D2,2026-03-01,DE,,10000.00,EUR,goods,direct\n")
    de = findings(tmp_path, orders, "2027-06-30", "DE")[("DE", None)]
    assert de["action"] is None and de["nexus_windows"][0]["until"] == "2026-12-31"
    assert (de["exposure"]["from"], de["exposure"]["uncollected"]["central"]) == ("2026-01-01", "1900.00")


def test_the_home_line_does_not_point_at_a_total_that_is_not_there(tmp_path):
    # Checked on 2027-06-30 with rates to 2026-10-30, no rate converts the EUR estimate to USD on the as-of date:
    # there is no total, and the Home line said 'in the total above' all the same.
    orders = ("D1,2025-06-01,DE,,30000.00,EUR,goods,direct\n"
              "D2,2026-03-01,DE,,10000.00,EUR,goods,direct\n")
    out = " ".join(findings(tmp_path, orders, "2027-06-30", "DE", fmt="table").split())
    assert ("EUR 1,900.00 (an estimate to review; no exchange rate converts it to the report currency on the as-of "
            "date, so it is in no total).") in out and "in the total above" not in out
