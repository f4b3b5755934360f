"""The estimate sums a series' days a stretch at a time (issue 15: the estimate within 10% of the check): every figure
is the one a day at a time gives. A series whose days were added out of order is summed a day at a time, so the same
orders added in order and in reverse order must give the same estimate, whatever changes between their days."""
from datetime import date, timedelta
from decimal import Decimal

from conftest import book, make_rule
from nexus.check import check
from nexus.errors import Location
from nexus.findings import Context
from nexus.ledger import Ledger
from nexus.orders import Order
from nexus.tax_rates import Dated, TaxBook, Taxability, TaxRate
from nexus.timing_rules import parse_timing

D = Decimal
AS_OF = date(2026, 6, 30)
RULE = make_rule(transactions_threshold=None, transactions_comparison=None, combine=None)
STARTS = parse_timing({"rules": [{"jurisdiction": "US-ZZ", "effective_from": "2018-01-01",
                                  "collect": {"kind": "next_transaction"}, "register": {"kind": "same_as_collect"},
                                  "remains": {"kind": "until_deregistered", "note": ""},
                                  "sources": ["https://example.org/t"], "last_verified": "2026-12-04"}]})


def dated(start, end=None):
    return dict(jurisdiction="US-ZZ", effective_from=date.fromisoformat(start),
                effective_to=date.fromisoformat(end) if end else None, sources=("https://example.org/t",),
                last_verified=date(2026, 12, 4), confidence="official", notes="")


# A rate that changes in the middle of March, SaaS taxed on 80% of the price, and a marketplace law from mid-May.
TAXES = TaxBook((TaxRate(**dated("2018-01-01", "2026-03-15"), category=None, rate=D("0.05"), average_local=D("0.01"),
                         highest_combined=D("0.08")),
                 TaxRate(**dated("2026-03-16"), category=None, rate=D("0.06"), average_local=D("0.01"),
                         highest_combined=D("0.09"))),
                (Taxability(**dated("2018-01-01"), category="goods", taxable="yes", share=None),
                 Taxability(**dated("2018-01-01"), category="saas", taxable="partial", share=D("0.8"))),
                (Dated(**dated("2026-05-15")),))


def orders():
    """Daily sales from the day the test is met (2026-01-10) to after the as-of date, direct and marketplace, goods
    and SaaS, with refunds and tax charged, on days that cross every month's end, the rate's change, the law's first
    day and the recent days' first."""
    found = [Order("o0", date(2026, 1, 10), "US-ZZ", D("150000.00"), "USD", "direct", "sale", "no", "goods",
                   Location("t.csv"))]
    day, n = date(2026, 1, 3), 0
    while day <= date(2026, 7, 5):
        n += 1
        for channel, kind, category, amount in (("direct", "sale", "goods", "101.37"), ("direct", "refund", "goods",
                                                "-12.05"), ("marketplace", "sale", "goods", "55.10"),
                                                ("direct", "sale", "saas", "40.01")):
            if (n + len(channel)) % 3 or kind == "sale":
                found.append(Order(f"o{n}{channel}{kind}{category}", day, "US-ZZ", D(amount) + n, "USD", channel,
                                   kind, "no", category, Location("t.csv"), tax=D("1.13") if n % 4 else D(0)))
        day += timedelta(days=1)
    return found


def estimate_of(order_list):
    ledger = Ledger()
    for order in order_list:
        ledger.add(order)
        ledger.rows_read += 1
    result = check(ledger, book(RULE), AS_OF, timed=Context(book=STARTS, tax_book=TAXES))
    return next(f for f in result.findings if f.jurisdiction == "US-ZZ").exposure


def test_days_summed_a_stretch_at_a_time_give_the_figures_of_days_summed_one_by_one():
    in_order, reversed_ = estimate_of(orders()), estimate_of(list(reversed(orders())))
    assert in_order == reversed_
    assert [m.month for m in in_order.months] == [date(2026, m, 1) for m in range(1, 7)]
    assert in_order.taxable_sales > D("150000") and in_order.tax_collected
    assert in_order.crossing_days == (date(2026, 1, 10),) and in_order.crossing_tax.low
    assert in_order.scenarios["registered_now"].tax.central
