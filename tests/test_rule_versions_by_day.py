"""A test measured over a period that spans a change in what its rule counts: where the law measures the period's
sales as it then stood (``earlier_days_as_then``: Japan's base and specified periods), each day is counted by the
version in force that day; elsewhere by the version in force on the as-of date. Figures worked out by hand."""
from datetime import date
from decimal import Decimal

from nexus.check import check
from nexus.errors import Location
from nexus.rules import load_rules
from nexus.orders import Order
from nexus.ledger import Ledger

JPY = Decimal


def ledger_of(*rows):
    """rows: (day, place, amount, currency, channel, category): sales, none exempt."""
    ledger = Ledger()
    for day, place, amount, code, channel, category in rows:
        ledger.add(Order("", date.fromisoformat(day), place, Decimal(amount), code, channel, "sale", "no", category,
                         Location("t.csv")))
        ledger.rows_read += 1
    return ledger


#: A seller established outside Japan. Its specified period for 2026 is January to June 2025:
#: * 2025-01-02, goods JPY 1,000: outside the rule for sellers established elsewhere (goods are taxed at import);
#: * 2025-02-10, digital through a marketplace, JPY 7,000,000: its own supply then (no platform rule before
#:   2025-04-01), so counted;
#: * 2025-05-12, digital through a marketplace, JPY 3,000,000: the platform's supply from 2025-04-01, not counted;
#: * 2025-06-10, SaaS sold direct, JPY 3,500,000: counted.
#: Counted: 7,000,000 + 3,500,000 = JPY 10,500,000, more than JPY 10,000,000, met on 2025-06-10 by 2 transactions.
#: Counted by the version of the as-of date alone it was 3,500,000 (the marketplace JPY 10,000,000 left out).
SPECIFIED = (("2025-01-02", "JP", "1000", "JPY", "direct", "goods"),
             ("2025-02-10", "JP", "7000000", "JPY", "marketplace", "digital"),
             ("2025-05-12", "JP", "3000000", "JPY", "marketplace", "digital"),
             ("2025-06-10", "JP", "3500000", "JPY", "direct", "saas"))


def japan(result):
    return next(f for f in result.findings if f.jurisdiction == "JP")


def test_japans_specified_period_counts_platform_sales_before_april_2025_as_the_sellers_own():
    f = japan(check(ledger_of(*SPECIFIED), load_rules(), date(2026, 3, 31)))
    assert f.rule.effective_from == date(2025, 4, 1)
    assert (f.status, f.sales, f.transactions) == ("exceeded", JPY("10500000"), 2)
    assert (f.period.start, f.period.end, f.crossed_on) == (date(2025, 1, 1), date(2025, 6, 30), date(2025, 6, 10))
    assert f.excluded == {"marketplace": JPY("3000000"), "category": JPY("1000")}
    assert any("made before 2025-04-01 are counted as the rule then in force counted them (from 2015-10-01: "
               "marketplace-facilitated sales included)" in r for r in f.reasons)
    assert "Marketplace-facilitated sales of JPY 3,000,000 are not counted" in " ".join(f.reasons)


def test_the_months_of_the_period_count_each_day_as_the_rule_then_counted_it():
    """The Monthly detail sheet's figures: February's marketplace sale in the figure, May's set aside."""
    f = japan(check(ledger_of(*SPECIFIED), load_rules(), date(2026, 3, 31)))
    months = {m.start.month: m for m in next(m for m in f.measures if m.period == f.period).months}
    assert (months[2].sales, months[2].transactions, months[2].set_aside) == (JPY("7000000"), 1, {})
    assert (months[5].sales, months[5].set_aside) == (JPY("0"), {"marketplace": JPY("3000000")})
    assert (months[6].sales, months[6].transactions) == (JPY("3500000"), 1)
    assert months[1].set_aside == {"category": JPY("1000")}


def test_japans_nexus_is_dated_from_the_day_the_specified_period_was_met_as_then_counted():
    """Met on 2025-06-10 (the specified period of 2026, whose sales were counted as then): the dates of nexus come
    from that day's crossing, not from no crossing at all."""
    f = japan(check(ledger_of(*SPECIFIED), load_rules(), date(2026, 3, 31)))
    crossed = [w.crossed for w in f.timing.windows if w.basis == "economic"]
    assert crossed == [date(2025, 6, 10)]


def test_days_after_the_change_are_counted_by_the_version_then_in_force():
    """A specified period wholly after 2025-04-01 (January to June 2026, for 2027) counts no platform sale of digital
    services: JPY 9,000,000 through a marketplace and JPY 2,000,000 direct are JPY 2,000,000 counted."""
    ledger = ledger_of(("2026-02-10", "JP", "9000000", "JPY", "marketplace", "digital"),
                       ("2026-03-10", "JP", "2000000", "JPY", "direct", "digital"))
    f = japan(check(ledger, load_rules(), date(2027, 3, 31)))
    assert (f.period.start, f.period.end) == (date(2026, 1, 1), date(2026, 6, 30))
    assert (f.status, f.sales, f.excluded) == ("below", JPY("2000000"), {"marketplace": JPY("9000000")})
    assert not any("rule then in force" in r for r in f.reasons)


def test_only_rules_whose_law_says_so_count_earlier_days_as_then():
    """docs/rules.md lists the other rules whose versions count differently, and why each keeps the as-of version."""
    flagged = [(r.jurisdiction, r.establishment, r.effective_from)
               for r in load_rules().rules if r.earlier_days_as_then]
    assert flagged == [("JP", "non_established", date(2025, 4, 1))]
    rule = next(r for r in load_rules().rules if r.earlier_days_as_then)
    assert [v.effective_from for v in rule.earlier] == [date(2015, 10, 1)]
    assert rule.counting_on(date(2025, 3, 31)) is rule.earlier[0] and rule.counting_on(date(2025, 4, 1)) is rule
    assert "art. 9(2)" in rule.notes and "Tax Answer 6568" in rule.notes


def test_the_eus_threshold_of_2021_counts_the_goods_sold_before_july_2021_as_the_version_of_the_as_of_date():
    """The EUR 10,000 union-wide threshold reached goods distance sales on 2021-07-01, and applies to the whole of
    2020 and the first half of 2021 (docs/rules.md): a German seller's goods sold into France, EUR 6,000 on 2021-03-10
    and EUR 5,000 on 2021-08-10, make EUR 11,000 in 2021, more than EUR 10,000, met on 2021-08-10. Counted as then,
    the March goods (outside the union-wide test before July) would leave EUR 5,000."""
    ledger = ledger_of(("2021-03-10", "FR", "6000", "EUR", "direct", "goods"),
                       ("2021-08-10", "FR", "5000", "EUR", "direct", "goods"))
    f = next(f for f in check(ledger, load_rules(), date(2021, 9, 30), home="DE").findings
             if f.jurisdiction == "EU")
    assert not f.rule.earlier_days_as_then
    assert (f.status, f.sales, f.crossed_on) == ("exceeded", Decimal("11000"), date(2021, 8, 10))
    assert (f.period.start, f.period.end) == (date(2021, 1, 1), date(2021, 9, 30))
