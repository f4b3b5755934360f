"""The check: thresholds, periods, what counts, conversion, and every dated change in the bundled rules."""
from datetime import date, timedelta
from decimal import Decimal

import pytest

from conftest import book, make_rule
from nexus.check import check
from nexus.errors import Location, RateMissing
from nexus.fx import parse_rates
from nexus.rules import load_rules
from nexus.orders import Order
from nexus.ledger import Ledger


def ledger_of(*rows):
    """rows: (day, jurisdiction, amount[, currency, channel, kind, exempt, category])."""
    ledger = Ledger()
    for row in rows:
        day, place, amount, *rest = row
        code, channel, kind, exempt, category = (rest + ["USD", "direct", "sale", "no", "goods"][len(rest):])
        value = Decimal(amount)
        ledger.add(Order("", date.fromisoformat(day), place, -abs(value) if kind != "sale" else value, code,
                         channel, kind, exempt, category, Location("t.csv")))
        ledger.rows_read += 1
    return ledger


def spread(place, start, count, amount, **kw):
    """``count`` sales of ``amount`` on consecutive days from ``start``."""
    first = date.fromisoformat(start)
    return [((first + timedelta(days=i)).isoformat(), place, amount) for i in range(count)]


def only(result):
    assert len(result.findings) == 1
    return result.findings[0]


ZZ = "US-ZZ"


def test_sales_alone_meet_an_or_test_and_the_crossing_day_is_found():
    rules = book(make_rule())
    ledger = ledger_of(("2025-03-01", ZZ, "60000"), ("2025-06-15", ZZ, "40000.01"), ("2025-09-01", ZZ, "5"))
    f = only(check(ledger, rules, date(2026, 2, 1)))
    assert (f.status, f.sales, f.transactions, f.crossed_on) == ("exceeded", Decimal("100005.01"), 3,
                                                                 date(2025, 6, 15))
    assert f.period.start == date(2025, 1, 1) and f.period.end == date(2025, 12, 31)
    assert f.reasons[0].startswith("Potential exposure: Testland's economic-nexus test")
    assert f.sources == ("https://example.org/testland",)


def test_transactions_alone_meet_an_or_test():
    f = only(check(ledger_of(*spread(ZZ, "2026-01-01", 200, "1")), book(make_rule()), date(2026, 12, 31)))
    assert f.status == "exceeded" and f.crossed_on == date(2026, 7, 19) and f.ratio == Decimal("1.0000")


def test_and_test_needs_both():
    rules = book(make_rule(combine="and"))
    rich_but_few = ledger_of(("2025-05-01", ZZ, "900000"))
    assert only(check(rich_but_few, rules, date(2025, 12, 31))).status == "below"
    both = ledger_of(*spread(ZZ, "2025-01-01", 200, "600"))
    f = only(check(both, rules, date(2025, 12, 31)))
    assert f.status == "exceeded" and f.crossed_on == date(2025, 7, 19)
    # ratio of an AND test is its weaker part: 120,000 of 100,000 and 200 of 200
    assert f.ratio == Decimal("1.0000")


@pytest.mark.parametrize("comparison, status", [("more_than", "approaching"), ("at_least", "exceeded")])
def test_exactly_at_the_threshold_depends_on_the_wording(comparison, status):
    rules = book(make_rule(sales_comparison=comparison, transactions_threshold=None, transactions_comparison=None,
                           combine=None))
    assert only(check(ledger_of(("2025-05-01", ZZ, "100000")), rules, date(2025, 6, 1))).status == status


def test_a_cent_short_of_an_at_least_threshold_is_not_shown_at_it(write):
    # USD 99,999.99 of Illinois's ">= USD 100,000" (its 12 months to the quarter end, 2025-07-01 to 2026-06-30)
    # is not met: its ratio is 0.9999 in the finding and the JSON and 99% on the screen, never 1.0000 and 100%
    # (at the threshold, which an "at least" test counts as met) as rounding half-even to four places gave.
    from click.testing import CliRunner
    import json

    from nexus.cli import cli

    path = write("o.csv", "order_id,date,country,region,amount,currency,category\n"
                          "L1,2026-06-30,US,IL,99999.99,USD,goods\n")
    f = only(check(ledger_of(("2026-06-30", "US-IL", "99999.99")), load_rules(), date(2026, 6, 30)))
    assert (f.status, f.ratio) == ("approaching", Decimal("0.9999"))
    document = json.loads(CliRunner().invoke(cli, ["check", "--sales", path, "--as-of", "2026-06-30", "--format",
                                                   "json"]).stdout)
    il = next(x for x in document["findings"] if x["jurisdiction"] == "US-IL")
    assert (il["status"], il["ratio"], il["periods"][0]["ratio"]) == ("approaching", "0.9999", "0.9999")
    screen = CliRunner().invoke(cli, ["check", "--sales", path, "--as-of", "2026-06-30"]).stdout
    assert "99%" in next(line for line in screen.splitlines() if line.startswith("US-IL"))


@pytest.mark.parametrize("amount, warn, status", [("79999", "0.8", "below"), ("80000", "0.8", "approaching"),
                                                  ("50000", "0.5", "approaching")])
def test_approaching_uses_warn_at(amount, warn, status):
    f = only(check(ledger_of(("2025-05-01", ZZ, amount)), book(make_rule()), date(2025, 6, 1), warn_at=Decimal(warn)))
    assert f.status == status and f.crossed_on is None


@pytest.mark.parametrize("period, as_of, expected", [
    ("previous_calendar_year", "2026-06-30", "below"),              # only 2025 counts: 60k
    ("current_or_previous_calendar_year", "2026-06-30", "exceeded"),  # 2026 to date: 120k
    ("preceding_12_months", "2026-06-30", "exceeded"),              # 2025-07-01..2026-06-30: 30k + 120k
    ("preceding_12_months_at_quarter_end", "2026-05-31", "approaching"),  # to 2026-03-31: 80k
    ("ny_preceding_four_quarters", "2026-06-15", "exceeded"),       # 2025-06-01..2026-05-31: 30k + 120k
    ("ct_12_months_ending_september_30", "2026-06-30", "below"),    # 2024-10-01..2025-09-30: 60k
])
def test_each_period_kind(period, as_of, expected):
    rules = book(make_rule(period=period, transactions_threshold=None, transactions_comparison=None, combine=None))
    ledger = ledger_of(("2025-02-01", ZZ, "30000"), ("2025-08-01", ZZ, "30000"),
                       ("2026-02-01", ZZ, "50000"), ("2026-04-15", ZZ, "70000"))
    assert only(check(ledger, rules, date.fromisoformat(as_of))).status == expected


def test_current_or_previous_year_reports_both_periods():
    f = only(check(ledger_of(("2025-02-01", ZZ, "30000"), ("2026-02-01", ZZ, "150000")), book(make_rule()),
                   date(2026, 6, 30)))
    assert [(m.period.start.year, m.met) for m in f.measures] == [(2025, False), (2026, True)]
    assert f.period.start == date(2026, 1, 1)


@pytest.mark.parametrize("basis, counted", [("gross", "160"), ("retail", "140"), ("taxable", "100")])
def test_basis_decides_whether_exempt_and_resale_sales_count(basis, counted):
    rules = book(make_rule(basis=basis))
    ledger = ledger_of(("2025-01-02", ZZ, "100"), ("2025-01-02", ZZ, "40", "USD", "direct", "sale", "exempt"),
                       ("2025-01-02", ZZ, "20", "USD", "reseller", "sale", "resale"))
    assert only(check(ledger, rules, date(2025, 2, 1))).sales == Decimal(counted)


def test_marketplace_sales_and_categories_can_be_excluded():
    rules = book(make_rule(marketplace="excluded", categories=["goods"]))
    ledger = ledger_of(("2025-01-02", ZZ, "100"), ("2025-01-02", ZZ, "70", "USD", "marketplace"),
                       ("2025-01-02", ZZ, "9", "USD", "direct", "sale", "no", "saas"))
    f = only(check(ledger, rules, date(2025, 2, 1)))
    assert (f.sales, f.transactions) == (Decimal(100), 1)
    assert f.excluded == {"marketplace": Decimal("70.00"), "category": Decimal("9.00")}
    assert any("Marketplace-facilitated sales of USD 70.00 are not counted" in r for r in f.reasons)


def test_refunds_and_chargebacks_reduce_sales_not_transactions():
    ledger = ledger_of(("2025-01-02", ZZ, "100"), ("2025-01-10", ZZ, "30", "USD", "direct", "refund"),
                       ("2025-01-11", ZZ, "20", "USD", "direct", "chargeback"))
    f = only(check(ledger, book(make_rule()), date(2025, 2, 1)))
    assert (f.sales, f.transactions, f.excluded["refunds"]) == (Decimal(50), 1, Decimal("-50.00"))


RATES = parse_rates(b"Date,USD,JPY,\n2025-03-03,1.05,160,\n2025-03-04,1.10,160,\n", "test-rates.csv")


def test_foreign_currency_sales_convert_at_each_days_rate():
    ledger = ledger_of(("2025-03-03", ZZ, "1600000", "JPY"), ("2025-03-04", ZZ, "1600000", "JPY"),
                       ("2025-03-05", ZZ, "100", "EUR"))
    f = only(check(ledger, book(make_rule()), date(2025, 3, 31), RATES))
    # 10,000 EUR at 1.05 + 10,000 EUR at 1.10 + 100 EUR at 1.10 (latest on or before 5 March)
    assert f.sales == Decimal("21610.00")


def test_foreign_currency_without_rates_stops_with_a_clear_message():
    ledger = ledger_of(("2025-03-03", ZZ, "1600", "JPY"))
    with pytest.raises(RateMissing, match=r"sales in JPY \(first on 2025-03-03\) need exchange rates .* --rates"):
        check(ledger, book(make_rule()), date(2025, 3, 31))
    with pytest.raises(RateMissing, match="no exchange rate for GBP"):
        check(ledger_of(("2025-03-03", ZZ, "1", "GBP")), book(make_rule()), date(2025, 3, 31), RATES)


def test_sales_outside_the_periods_measured_need_no_rates():
    ledger = ledger_of(("2019-03-03", ZZ, "1600", "JPY"), ("2025-03-03", ZZ, "5"))
    assert only(check(ledger, book(make_rule()), date(2025, 3, 31), RATES)).sales == Decimal(5)


def test_all_lists_jurisdictions_without_sales_and_severity_orders_them():
    rules = book(make_rule(), make_rule(jurisdiction="US-YY", name="Yland"),
                 make_rule(jurisdiction="US-XX", name="Xland", sales_tax=False))
    ledger = ledger_of(("2025-01-02", "US-YY", "150000"), ("2025-01-02", "JP", "5"))
    result = check(ledger, rules, date(2025, 2, 1))
    assert [f.jurisdiction for f in result.findings] == ["US-YY"]
    assert result.outside_rules == ("JP",)
    everything = check(ledger, rules, date(2025, 2, 1), all_jurisdictions=True)
    assert [(f.jurisdiction, f.status) for f in everything.findings] == [
        ("US-YY", "exceeded"), ("US-ZZ", "below"), ("US-XX", "no-sales-tax")]


def test_no_rule_in_force_yet():
    rules = book(make_rule(effective_from="2023-01-01"))
    f = only(check(ledger_of(("2022-05-01", ZZ, "500000")), rules, date(2022, 12, 31)))
    assert f.status == "no-rule" and "the first in the data takes effect 2023-01-01" in f.reasons[0]


# Each dated change in the bundled rules, checked before and after with the same sales.
def yearly(state, years, count, amount):
    rows = []
    for year in years:
        rows += spread(f"US-{state}", f"{year}-01-01", count, amount)
    return rows


@pytest.mark.parametrize("state, change", [
    ("SD", "2023-07-01"), ("LA", "2023-08-01"), ("IN", "2024-01-01"), ("WY", "2024-07-01"), ("NC", "2024-07-01"),
    ("UT", "2025-07-01"), ("AK", "2025-01-01"), ("IL", "2026-01-01"),
])
def test_removed_transaction_tests_before_and_after(state, change):
    day = date.fromisoformat(change)
    ledger = ledger_of(*yearly(state, (day.year - 2, day.year - 1), 210, "100"))  # 210 sales, $21,000 a year
    before = only(check(ledger, load_rules(), day - timedelta(days=1)))
    after = only(check(ledger, load_rules(), day))
    assert (before.status, after.status) == ("exceeded", "below")
    assert before.transactions == 210


@pytest.mark.parametrize("state, rows, before_day, before, after_day, after", [
    ("AZ", [("2019-11-01", "170000")], "2019-12-31", "approaching", "2020-01-01", "exceeded"),
    ("CA", [("2019-03-01", "150000")], "2019-03-31", "no-rule", "2019-04-01", "below"),
    ("GA", [("2019-06-01", "150000")], "2019-12-31", "below", "2020-01-01", "exceeded"),
    ("MA", [("2018-06-01", "300000")], "2019-09-30", "below", "2019-10-01", "exceeded"),
    ("TN", [("2020-03-01", "200000")], "2020-09-30", "below", "2020-10-01", "exceeded"),
])
def test_dollar_threshold_changes_before_and_after(state, rows, before_day, before, after_day, after):
    ledger = ledger_of(*[(day, f"US-{state}", amount) for day, amount in rows])
    assert only(check(ledger, load_rules(), date.fromisoformat(before_day))).status == before
    assert only(check(ledger, load_rules(), date.fromisoformat(after_day))).status == after


def test_connecticut_and_test_and_its_2019_change():
    ledger = ledger_of(*spread("US-CT", "2017-10-01", 250, "600"))  # $150,000 and 250 sales to 2018-06-07
    assert only(check(ledger, load_rules(), date(2019, 6, 30))).status == "below"     # $250k AND 200
    assert only(check(ledger, load_rules(), date(2019, 7, 1))).status == "exceeded"   # $100k AND 200
    few = ledger_of(("2018-01-05", "US-CT", "900000"))
    assert only(check(few, load_rules(), date(2019, 7, 1))).status == "below"         # 1 sale is not 200


def test_massachusetts_2017_internet_vendor_rule_measured_october_2016_to_september_2017():
    # 830 CMR 64H.1.7: the first window was 'the preceding 12 months, October 1, 2016 to September 30, 2017',
    # with collection from 2017-10-01; calendar 2016 (no sales here) was not the window.
    ledger = ledger_of(*spread("US-MA", "2017-01-02", 120, "5000"))  # $600,000 in 120 sales, Jan-May 2017
    f = only(check(ledger, load_rules(), date(2017, 11, 15)))
    assert f.status == "exceeded"
    assert (f.period.start, f.period.end) == (date(2016, 10, 1), date(2017, 9, 30))
    assert f.timing.collect_from == date(2017, 10, 1)


def test_massachusetts_internet_vendor_sales_through_a_marketplace_counted_before_2019_10():
    # An internet vendor's sales included those completed on a marketplace facilitator's website, and
    # Massachusetts had no marketplace-facilitator law before 2019-10-01.
    ledger = ledger_of(*[(d, p, a, "USD", "marketplace") for d, p, a in spread("US-MA", "2018-01-02", 120, "5000")])
    f = only(check(ledger, load_rules(), date(2019, 6, 30)))
    assert f.status == "exceeded" and f.sales == Decimal("600000.00")


def marketplace_sales(place, start, count, amount):
    return [(d, p, a, "USD", "marketplace") for d, p, a in spread(place, start, count, amount)]


# Before a state's marketplace-facilitator law took effect, a seller's sales through a marketplace were its own
# and counted toward its threshold; from that day the state's rule leaves them out. (state, first sale, count,
# amount, as of a day before the law, as of a day under the law with the same kind of sales made after it)
@pytest.mark.parametrize("place, start, count, amount, before, after_start, after", [
    ("US-AL", "2017-02-01", 60, "5000", "2018-12-31", "2019-02-01", "2020-06-30"),   # facilitators 2019-01-01
    ("US-CO", "2019-01-02", 25, "5000", "2019-03-31", "2019-10-02", "2019-12-31"),   # emergency rule, 2018-12-01
    ("US-CO", "2019-04-15", 25, "5000", "2019-09-30", "2019-10-02", "2019-12-31"),   # facilitators 2019-10-01
    ("US-GA", "2019-01-02", 60, "5000", "2019-12-31", "2020-04-02", "2020-12-31"),   # $250,000 in 2019
    ("US-GA", "2020-01-02", 25, "5000", "2020-03-31", "2020-04-02", "2020-12-31"),   # facilitators 2020-04-01
    ("US-IL", "2019-01-02", 25, "5000", "2019-12-31", "2020-01-02", "2020-12-31"),   # facilitators 2020-01-01
    ("US-IN", "2019-01-02", 25, "5000", "2019-06-30", "2019-07-02", "2019-12-31"),   # facilitators 2019-07-01
    ("US-MS", "2019-08-01", 60, "5000", "2020-06-30", "2020-07-02", "2021-06-30"),   # facilitators 2020-07-01
    ("US-UT", "2019-01-02", 25, "5000", "2019-09-30", "2019-10-02", "2019-12-31"),   # facilitators 2019-10-01
])
def test_marketplace_sales_counted_before_the_state_facilitator_law(place, start, count, amount, before,
                                                                      after_start, after):
    f = only(check(ledger_of(*marketplace_sales(place, start, count, amount)), load_rules(),
                   date.fromisoformat(before)))
    assert f.status == "exceeded" and f.sales == Decimal(amount) * count
    g = only(check(ledger_of(*marketplace_sales(place, after_start, count, amount)), load_rules(),
                   date.fromisoformat(after)))
    assert g.status == "below" and g.sales == 0


def test_vermont_measures_the_twelve_months_before_each_month_not_each_quarter():
    # 32 V.S.A. 9701(9)(F): 'during the 12-month period preceding the monthly period' whose liability is decided.
    # $150,000 in January 2020 meets the test for February (the 12 months to 31 January), not at 31 March.
    ledger = ledger_of(*spread("US-VT", "2020-01-02", 30, "5000"))
    f = only(check(ledger, load_rules(), date(2020, 2, 15)))
    assert f.status == "exceeded" and (f.period.start, f.period.end) == (date(2019, 2, 1), date(2020, 1, 31))
    assert f.timing.collect_from == date(2020, 2, 1)


def test_minnesota_transaction_count_rose_from_100_to_200():
    ledger = ledger_of(*spread("US-MN", "2019-01-01", 150, "100"))
    assert only(check(ledger, load_rules(), date(2019, 9, 30))).status == "exceeded"
    assert only(check(ledger, load_rules(), date(2019, 10, 1))).status == "below"  # 150 of 200


def test_new_york_uses_500000_even_for_2018():
    ledger = ledger_of(*spread("US-NY", "2017-12-01", 150, "2500"))  # $375,000 and 150 sales
    f = only(check(ledger, load_rules(), date(2018, 12, 1)))
    assert f.status == "below" and f.period.start == date(2017, 12, 1) and f.period.end == date(2018, 11, 30)


def test_states_without_sales_tax():
    f = only(check(ledger_of(("2025-01-02", "US-OR", "9000000")), load_rules(), date(2026, 1, 1)))
    assert f.status == "no-sales-tax" and f.sales == 0


@pytest.mark.parametrize("policy, expected", [
    ("daily", "120.00"),             # 100 EUR on 3 March at 1.20
    ("monthly-average", "110.00"),   # the mean of March's rates (1.20, 1.00, 1.10)
    ("period-end", "130.00"),        # the rate of the period's last day (31 December 2025)
])
def test_fx_policies(policy, expected):
    rules = book(make_rule(period="previous_calendar_year"))
    ledger = ledger_of(("2025-03-03", ZZ, "100", "EUR"))
    rates = parse_rates(b"Date,USD,\n2025-12-31,1.30,\n2025-03-31,1.10,\n2025-03-10,1.00,\n2025-03-03,1.20,\n",
                        "policy.csv")
    f = only(check(ledger, rules, date(2026, 1, 15), rates, fx_policy=policy))
    assert f.sales == Decimal(expected)
    assert f.conversions[0].source == "policy.csv" and f.conversions[0].currency == "EUR"


def test_conversions_say_which_source_gave_each_rate():
    company = parse_rates(b"date,currency,per_eur\n2025-03-03,TWD,35\n", "treasury.csv")
    from nexus.fx import Rates

    ledger = ledger_of(("2025-03-03", ZZ, "3500", "TWD"), ("2025-03-04", ZZ, "1600", "JPY"))
    f = only(check(ledger, book(make_rule()), date(2025, 3, 31), Rates([RATES, company])))
    assert {(c.currency, c.source) for c in f.conversions} == {("TWD", "treasury.csv"), ("TWD", "test-rates.csv"),
                                                               ("JPY", "test-rates.csv")}


def test_a_monthly_average_counts_only_days_both_rates_were_published_and_none_after_the_check():
    """GBP to USD under --fx-policy monthly-average: a day the ECB published GBP but not USD was counted with
    the last USD rate carried over, and rates published after the as-of date were averaged in (the same check
    gave another figure when run later). By hand, as of 2025-03-06: the days both were published up to then are
    3 and 4 March, so 1000 x mean(1.20/0.80, 1.10/0.88) = 1000 x (1.5 + 1.25) / 2 = 1,375.00."""
    rules = book(make_rule(period="current_or_previous_calendar_year"))
    ledger = ledger_of(("2025-03-03", ZZ, "1000", "GBP"))
    rates = parse_rates(b"Date,USD,GBP,\n2025-03-31,1.40,0.70,\n2025-03-05,N/A,0.90,\n2025-03-04,1.10,0.88,\n"
                        b"2025-03-03,1.20,0.80,\n", "gaps.csv")
    f = only(check(ledger, rules, date(2025, 3, 6), rates, fx_policy="monthly-average"))
    assert f.sales == Decimal("1375.00")


def test_a_reporting_currency_no_rate_reaches_gives_no_total_and_says_why(write):
    """--report-currency ARS (the ECB publishes no ARS): every estimate was left out of the total, which was
    reported as 'ARS 0.00 (range ARS 0.00 to ARS 0.00)', as if nothing were at stake."""
    from nexus.findings import Context
    from nexus.fx import load_rates
    from nexus.sales import read_sales
    from conftest import SAMPLES

    path = write("o.csv", "date,order_id,country,region,amount,currency,category\n"
                          "2026-01-05,A1,US,WA,200000,USD,goods\n2026-01-06,A2,US,WA,200000,USD,goods\n")
    rates = load_rates(str(SAMPLES / "eurofxref-hist.csv"))
    result = check(read_sales([path]), load_rules(), date(2026, 10, 31), rates, timed=Context(report_currency="ARS"))
    washington = next(f for f in result.findings if f.jurisdiction == "US-WA")
    assert washington.exposure is not None and washington.exposure.tax.central > 0
    assert result.exposure_total is None
    assert any("no estimate could be converted to ARS" in w and "US-WA" in w for w in result.warnings)


def test_a_rules_daily_sales_asked_for_again_are_the_same_and_name_the_same_rates():
    """The dating of a rule asks again for the days its check measured: the same sums, and the converter that asks
    again names the same rates (source, first and last rate dates, days converted) as the one that asked first and
    as one that asked alone. By hand: 100 EUR on Monday 3 March at 1.20, 70 USD on 4 March, 50 EUR on Saturday
    8 March at Friday's 1.10 and a 10 EUR refund that day; two EUR days converted, at rates of 3 and 7 March."""
    from nexus.fx import Rates
    from nexus.measures import Converter, collect
    from nexus.periods import Period

    rule = book(make_rule()).rules[0]
    rates = Rates([parse_rates(b"Date,USD,\n2025-03-07,1.10,\n2025-03-03,1.20,\n", "r.csv")])
    ledger = ledger_of(("2025-03-03", ZZ, "100", "EUR"), ("2025-03-04", ZZ, "70"), ("2025-03-08", ZZ, "50", "EUR"),
                       ("2025-03-08", ZZ, "10", "EUR", "direct", "refund"))
    rows, window, sums = list(ledger.series.items()), [Period(date(2025, 1, 1), date(2025, 3, 31), "")], {}
    first, again, alone = (Converter(rates, "USD", "daily", window) for _ in range(3))
    found = collect(rule, rows, first, window, sums)
    assert collect(rule, rows, again, window, sums) == found == collect(rule, rows, alone, window)
    days, aside = found
    assert days == {date(2025, 3, 3): [Decimal("120.00"), 1], date(2025, 3, 4): [Decimal(70), 1],
                    date(2025, 3, 8): [Decimal("44.00"), 1]}
    assert aside == {date(2025, 3, 8): {"refunds": Decimal("-11.00")}}
    named = [(c.currency, c.source, c.first_rate, c.last_rate, c.days) for c in first.conversions()]
    assert named == [("EUR", "r.csv", date(2025, 3, 3), date(2025, 3, 7), 2)]
    assert again.conversions() == alone.conversions() == first.conversions()
