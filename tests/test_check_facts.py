"""Facts an accountant reads: member states' own figures, nexus from presence, presence over periods, the
seller's home, and periods the data do not cover (issue 14, items 3 to 7)."""
import json
from datetime import date
from decimal import Decimal

from click.testing import CliRunner

from nexus import presence
from nexus.check import check
from nexus.cli import cli
from nexus.errors import Location
from nexus.rules import load_rules
from nexus.orders import Order
from nexus.ledger import Ledger

AS_OF = date(2026, 10, 31)


def ledger_of(*rows):
    """rows: (day, place, amount, currency[, channel[, category]])."""
    ledger = Ledger()
    for day, place, amount, code, *rest in rows:
        channel = rest[0] if rest else "direct"
        category = rest[1] if len(rest) > 1 else "goods"
        ledger.add(Order("", day, place, Decimal(amount), code, channel, "sale", "no", category, Location("t.csv")))
        ledger.rows_read += 1
    return ledger


def by_code(result):
    return {f.jurisdiction: f for f in result.findings}


def item(kind, location, since=None, until=None, line=2):
    return presence.Item(kind, location, "third-party", False, "storage", since, until, "", Location("p.csv", line))


# Item 3: member states under a union-wide test show their own figures.

def test_member_states_print_their_own_exclusions_not_the_unions():
    ledger = ledger_of((date(2026, 2, 1), "FR", "1000", "EUR"), (date(2026, 2, 2), "FR", "100", "EUR", "marketplace"),
                       (date(2026, 2, 3), "DE", "500", "EUR"), (date(2026, 2, 4), "DE", "300", "EUR", "marketplace"))
    found = by_code(check(ledger, load_rules(), AS_OF))
    assert "Marketplace-facilitated sales of EUR 400.00" in " ".join(found["EU"].reasons)
    assert any("Marketplace-facilitated sales of EUR 100.00" in r for r in found["FR"].reasons)
    assert any("Marketplace-facilitated sales of EUR 300.00" in r for r in found["DE"].reasons)
    assert not any("400.00" in r for r in found["FR"].reasons + found["DE"].reasons)


def test_members_inherit_the_union_crossing_day_not_its_ratio():
    ledger = ledger_of((date(2026, 1, 2), "DE", "50000", "EUR"), (date(2026, 2, 1), "FR", "6000", "EUR"),
                       (date(2026, 3, 1), "PL", "958.90", "EUR"), (date(2026, 4, 1), "FR", "5000", "EUR"))
    result = check(ledger, load_rules(), AS_OF, home="DE")
    found = by_code(result)
    eu = found["EU"]
    assert eu.crossed_on == date(2026, 4, 1) and eu.ratio == Decimal("1.1958")  # 1.19589, rounded down
    pl, fr = found["PL"], found["FR"]
    assert pl.sales == Decimal("958.90") and pl.ratio is None and pl.part_of == "EU"
    assert pl.crossed_on == date(2026, 4, 1) and fr.crossed_on == date(2026, 4, 1)  # not PL's first sale, 2026-03-01
    assert "from 2026-04-01" in pl.reasons[0] and "EUR 0.00 of them from that day" in pl.reasons[0]
    assert "EUR 5,000.00 of them from that day" in fr.reasons[0]
    order = [f.jurisdiction for f in result.findings]
    assert order.index("FR") == order.index("EU") + 1 and order.index("PL") == order.index("EU") + 2
    home = found["DE"]
    assert home.status == "established" and home.nexus == "establishment" and home.tax == "VAT" and home.sources
    data = json.loads(_json(result))
    pl_json = next(f for f in data["findings"] if f["jurisdiction"] == "PL")
    assert pl_json["ratio"] is None and pl_json["part_of"] == "EU"


def _json(result):
    from nexus.report_json import to_json

    return to_json(result)


# Item 4: presence that creates nexus is nexus.

def test_presence_that_creates_nexus_ranks_with_exceeded_and_fails_on_nexus():
    ledger = ledger_of((date(2026, 3, 1), "US-NJ", "1000", "USD"), (date(2026, 3, 1), "US-CA", "450000", "USD"),
                       (date(2026, 3, 1), "US-FL", "10", "USD"))
    verdicts = presence.assess([item("third-party-inventory", "US-NJ")], AS_OF)
    result = check(ledger, load_rules(), AS_OF, presence=verdicts)
    nj = by_code(result)["US-NJ"]
    assert nj.status == "below" and nj.nexus == "presence"
    assert nj.reasons[0].startswith("Potential exposure: physical presence creates nexus in New Jersey whatever the "
                                    "sales: third-party-inventory at US-NJ (p.csv:2); the sales test is below")
    order = [f.jurisdiction for f in result.findings]
    assert order.index("US-NJ") < order.index("US-CA")  # approaching, 90%, comes after nexus from presence
    assert result.fails("nexus") and result.fails("creates") and not result.fails("exceeded")
    assert json.loads(_json(result))["summary"]["nexus"] == {"establishment": 0, "economic": 0, "presence": 1}


def test_the_home_is_not_a_failure_and_an_office_abroad_asks_about_home():
    ledger = ledger_of((date(2026, 3, 1), "DE", "100", "EUR"))
    assert not check(ledger, load_rules(), AS_OF, home="DE").fails("nexus")
    office = presence.assess([item("office", "Tokyo, JP")], AS_OF)
    warnings = check(ledger, load_rules(), AS_OF, presence=office).warnings
    assert any("an office in Japan: if the company is established there, pass --home JP" in w for w in warnings)
    staff = presence.assess([item("employee", "GB")], AS_OF)  # named as prose names it: 'in United Kingdom' before
    assert any("an employee in the United Kingdom: if the company is established there, pass --home GB" in w
               for w in check(ledger, load_rules(), AS_OF, presence=staff).warnings)
    assert not any("--home JP" in w for w in check(ledger, load_rules(), AS_OF, home="JP", presence=office).warnings)


def test_cli_fail_on_nexus(write):
    orders = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,NJ,10,USD\n")
    places = write("p.csv", "kind,location,ownership,dedicated,function,since\n"
                            "third-party-inventory,US-NJ,third-party,no,storage,2025-03-01\n")
    args = ["check", "--sales", orders, "--presence", places, "--as-of", "2026-10-31"]
    assert CliRunner().invoke(cli, args + ["--fail-on", "nexus"]).exit_code == 1
    assert CliRunner().invoke(cli, args + ["--fail-on", "exceeded"]).exit_code == 0


# Item 5: presence with dates counts in every period it overlaps.

def test_a_trade_show_in_a_measured_year_counts_and_says_when():
    show = item("event", "US-NV", date(2025, 1, 7), date(2025, 1, 10))
    ledger = ledger_of((date(2025, 1, 2), "US-NV", "100", "USD"))
    verdicts = presence.assess([show], AS_OF)
    assert verdicts[0].verdict is None  # not in place on the as-of date
    nv = by_code(check(ledger, load_rules(), AS_OF, presence=verdicts))["US-NV"]
    counted = nv.presence[0]
    assert counted.verdict == "review" and counted.during == (date(2025, 1, 7), date(2025, 1, 10))
    assert "Counted for the periods measured (calendar year 2025, calendar year 2026 to 2026-10-31)" \
           in " ".join(counted.reasons)
    later = by_code(check(ledger_of((date(2025, 1, 2), "US-NV", "100", "USD")), load_rules(), date(2027, 6, 30),
                          presence=verdicts))["US-NV"]
    assert later.presence[0].verdict is None  # 2026 and 2027 are measured then: the show is outside them


# Item 6: the seller's home is judged by the home's own test, or said to be outside what nexus checks.

def test_a_japanese_seller_is_measured_by_the_domestic_test_with_goods():
    ledger = ledger_of((date(2024, 1, 5), "JP", "12000000", "JPY", "direct", "goods"))
    jp = by_code(check(ledger, load_rules(), AS_OF, home="JP"))["JP"]
    assert jp.status == "established" and jp.rule.establishment == "established"
    assert jp.sales == Decimal("12000000") and "goods" in jp.rule.categories
    assert "Registration at home follows the test for businesses established in Japan" in jp.reasons[1]
    foreign = by_code(check(ledger, load_rules(), AS_OF))["JP"]
    assert foreign.rule.establishment == "non_established" and "goods" not in foreign.rule.categories


def test_a_home_without_a_domestic_rule_says_nexus_does_not_check_it():
    # Australia and Switzerland have a domestic test since 2026-12-06; South Africa has none in the data
    ledger = ledger_of((date(2026, 3, 1), "ZA", "100", "ZAR"))
    za = by_code(check(ledger, load_rules(), AS_OF, home="ZA"))["ZA"]
    assert za.status == "established" and za.tax == "VAT" and za.sources
    assert "which nexus does not check" in za.reasons[1]


# Item 7: periods before the first order are not covered, never zero.

def test_a_period_before_the_first_order_is_not_covered():
    ledger = ledger_of((date(2026, 3, 1), "US-FL", "150000", "USD"), (date(2026, 3, 1), "US-CO", "50", "USD"))
    result = check(ledger, load_rules(), AS_OF)
    fl = by_code(result)["US-FL"]  # Florida measures the previous calendar year only
    assert fl.status == "not-covered" and fl.nexus is None
    assert "No orders before 2026-03-01: calendar year 2025 is not covered by the data" in " ".join(fl.reasons)
    assert all(not m.covered for m in fl.measures[0].months)
    co = by_code(result)["US-CO"]  # current or previous year: 2026 is partly covered, 2025 not at all
    assert co.status == "below" and [m.covered for m in co.measures] == ["none", "part"]
    data = json.loads(_json(result))
    fl_json = next(f for f in data["findings"] if f["jurisdiction"] == "US-FL")
    assert fl_json["sales"] is None and fl_json["periods"][0]["sales"] is None
    assert fl_json["periods"][0]["covered"] == "none"


def test_a_test_met_then_taken_back_below_by_a_refund_never_says_met_by_the_lower_figure(write):
    """Georgia (> USD 100,000 in the current or previous year) met on 2 March 2025 by 110,000.00, then a refund of
    50,000.00 on 1 April: the finding said the test 'is met by sales of USD 60,000.00' beside a nexus that ended on
    31 March. It now says when it was met and that refunds since bring the sales below it."""
    from nexus.sales import read_sales

    path = write("o.csv", "date,order_id,country,region,amount,currency,channel,kind,category\n"
                          "2025-01-10,R1,US,GA,50000,USD,direct,sale,goods\n"
                          "2025-03-02,R2,US,GA,60000,USD,direct,sale,goods\n"
                          "2025-04-01,R1,US,GA,-50000,USD,direct,refund,goods\n")
    georgia = next(f for f in check(read_sales([path]), load_rules(), date(2025, 7, 31)).findings
                   if f.jurisdiction == "US-GA")
    assert georgia.status == "exceeded" and georgia.crossed_on == date(2025, 3, 2)
    assert georgia.reasons[0].startswith(
        "Potential exposure: Georgia's economic-nexus test (> USD 100,000 or >= 200 transactions) was met on "
        "2025-03-02 in calendar year 2025 to 2025-07-31; refunds and chargebacks since bring its sales to USD "
        "60,000.00 and 2 transactions, below the threshold")
    assert not any("is met by" in reason for reason in georgia.reasons)
    assert [(w.since, w.until) for w in georgia.timing.windows if w.basis == "economic"] == [
        (date(2025, 3, 2), date(2025, 3, 31))]


def test_a_home_measured_by_its_domestic_test_is_dated_by_that_test_not_by_its_office(write):
    """A seller established in Japan (--home JP) with its own office in Tokyo: the fields said collect from and
    register by 2019-04-01 (the office's first day) and no crossing day, while its reasons said the domestic
    test was met on 2025-04-19 and collection starts 2026-01-01. Registration at home follows the domestic test."""
    from nexus.sales import read_sales

    path = write("o.csv", "date,order_id,country,region,amount,currency,category\n"
                          "2025-04-19,A1,JP,,11000000,JPY,goods\n")
    office = presence.Item("office", "Tokyo, JP", "leased", None, "", date(2019, 4, 1), None, "",
                           Location("p.csv", 2))
    result = check(read_sales([path]), load_rules(), date(2026, 10, 31), home="JP",
                   presence=presence.assess([office], date(2026, 10, 31)))
    japan = next(f for f in result.findings if f.jurisdiction == "JP")
    assert japan.status == "established" and japan.crossed_on == date(2025, 4, 19)
    assert (japan.timing.nexus_since, japan.timing.collect_from) == (date(2025, 4, 19), date(2026, 1, 1))
