"""Money at stake (issue 20): each case worked out by hand in the test, not by running nexus."""
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from conftest import book, make_rule
from nexus import penalties
from nexus.check import check
from nexus.findings import Context
from nexus.errors import Location
from nexus.exposure_records import DataUsed, Range
from nexus.fx import parse_rates
from nexus.registrations import Registration
from nexus.rules import RuleBook, load_rules
from nexus.orders import Order
from nexus.ledger import Ledger
from nexus.tax_rates import Dated, TaxBook, Taxability, TaxRate
from nexus.timing_rules import parse_timing

D = Decimal
AS_OF = date(2026, 6, 30)
RULE = make_rule(transactions_threshold=None, transactions_comparison=None, combine=None)


def ledger_of(*rows):
    """rows: (day, place, amount[, currency[, category[, channel[, kind]]]])."""
    ledger = Ledger()
    for day, place, amount, *rest in rows:
        code, category, channel, kind = (list(rest) + ["USD", "goods", "direct", "sale"][len(rest):])[:4]
        ledger.add(Order("", day, place, D(amount), code, channel, kind, "no", category, Location("t.csv")))
        ledger.rows_read += 1
    return ledger


def dated(place, start="2018-01-01", end=None):
    return dict(jurisdiction=place, effective_from=date.fromisoformat(start),
                effective_to=date.fromisoformat(end) if end else None, sources=("https://example.org/t",),
                last_verified=date(2026, 12, 4), confidence="official", notes="")


def rate(place, value, start="2018-01-01", end=None, category=None, local=None, highest=None, confidence="official"):
    return TaxRate(**{**dated(place, start, end), "confidence": confidence}, category=category, rate=D(value),
                   average_local=D(local) if local else None, highest_combined=D(highest) if highest else None)


def taxable(place, category, word="yes", share=None):
    return Taxability(**dated(place), category=category, taxable=word, share=D(share) if share else None)


def tax_book(rates, taxes=(), laws=()):
    every = tuple(taxes) + tuple(taxable(p, c) for p in ("US-ZZ", "US-YY") for c in ("goods", "digital", "saas")
                                 if not any(t.jurisdiction == p and t.category == c for t in taxes))
    return TaxBook(tuple(rates), every, tuple(laws))


STARTS = parse_timing({"rules": [{"jurisdiction": code, "effective_from": "2018-01-01",
                                  "collect": {"kind": "crossing_day"}, "register": {"kind": "same_as_collect"},
                                  "remains": {"kind": "until_deregistered", "note": ""},
                                  "sources": ["https://example.org/t"], "last_verified": "2026-12-04"}
                                 for code in ("US-ZZ", "US-YY")]})


def run(ledger, taxes, rules=(RULE,), as_of=AS_OF, **context):
    result = check(ledger, book(*rules), as_of, timed=Context(book=STARTS, tax_book=taxes, **context))
    return {f.jurisdiction: f for f in result.findings}, result


CROSS = (date(2026, 1, 5), "US-ZZ", "150000")  # meets the test on 2026-01-05: tax due from that day


def test_a_rate_change_inside_the_period_taxes_each_day_at_its_rate():
    taxes = tax_book([rate("US-ZZ", "0.05", end="2026-03-31"), rate("US-ZZ", "0.06", start="2026-04-01")])
    found, _ = run(ledger_of(CROSS, (date(2026, 3, 15), "US-ZZ", "1000"), (date(2026, 4, 15), "US-ZZ", "1000")),
                   taxes)
    e = found["US-ZZ"].exposure
    assert e.start == date(2026, 1, 5) and e.end == AS_OF
    assert e.taxable_sales == D("152000")
    assert e.tax.central == D("150000") * D("0.05") + D("1000") * D("0.05") + D("1000") * D("0.06")  # 7,610
    assert e.tax.low == e.tax.central == e.tax.high  # no local rates: one rate
    assert [m.month for m in e.months] == [date(2026, 1, 1), date(2026, 3, 1), date(2026, 4, 1)]


def test_the_range_runs_from_the_state_rate_to_the_highest_combined():
    taxes = tax_book([rate("US-ZZ", "0.04", local="0.03", highest="0.09")])
    e = run(ledger_of(CROSS), taxes)[0]["US-ZZ"].exposure
    assert (e.tax.low, e.tax.central, e.tax.high) == (D("6000.00"), D("10500.00"), D("13500.00"))


def test_a_negative_average_local_rate_stays_the_central_figure_when_the_highest_is_the_state_rate():
    """New Jersey's rows for 2026 (data/tax-rates.json): state 6.625%, average local -0.02% (its urban enterprise
    zones charge half the state rate), highest combined 6.625% (the state rate). Worked by hand, USD 150,000 of
    goods on 2026-01-05 and USD 10,000 on 2026-03-10 (a row for 2026-03-01 on with no highest combined, as the
    Tax Foundation's January editions give none):
    * central, the state rate plus the average local, 6.605% on every day: 160,000 x 6.605% = 10,568.00;
    * low, the lowest of the three, 6.605% too: 10,568.00;
    * high, the highest, 6.625%: 160,000 x 6.625% = 10,600.00.
    Before the fix the three rates were sorted as a whole, so where the highest combined is the state rate the
    middle one, the central figure, was the state rate: January's central was 150,000 x 6.625% = 9,937.50 and
    the total 10,598.00 (March's, without a highest, 6.605%), while the rates listed beside it said 6.605%."""
    taxes = tax_book([rate("US-ZZ", "0.06625", local="-0.0002", highest="0.06625", end="2026-02-28"),
                      rate("US-ZZ", "0.06625", local="-0.0002", start="2026-03-01")])
    e = run(ledger_of(CROSS, (date(2026, 3, 10), "US-ZZ", "10000")), taxes)[0]["US-ZZ"].exposure
    assert (e.tax.low, e.tax.central, e.tax.high) == (D("10568.00000"), D("10568.00000"), D("10600.00000"))
    assert [(m.tax.low, m.tax.central, m.tax.high) for m in e.months] == [
        (D("9907.50000"), D("9907.50000"), D("9937.50000")), (D("660.50000"), D("660.50000"), D("662.50000"))]


def test_an_estimate_on_a_rate_no_primary_source_confirmed_says_so():
    """A rate row resting on a think tank's table (confidence 'secondary') for March: the estimate that uses it
    says the rate is not verified from a primary source, and each rate used carries its confidence."""
    taxes = tax_book([rate("US-ZZ", "0.05", end="2026-02-28"),
                      rate("US-ZZ", "0.05", start="2026-03-01", confidence="secondary")])
    e = run(ledger_of(CROSS, (date(2026, 3, 15), "US-ZZ", "1000")), taxes)[0]["US-ZZ"].exposure
    assert [(r.start, r.confidence, r.unverified) for r in e.rates] == [
        (date(2018, 1, 1), "official", False), (date(2026, 3, 1), "secondary", True)]
    assert e.assumptions[-1].startswith("Tax rate not verified from a primary source (revenue department or statute)")
    assert e.tax.central == D("151000") * D("0.05")  # the figure is kept, and said to be unverified


def test_an_estimate_on_primary_rates_only_says_nothing_of_the_kind():
    e = run(ledger_of(CROSS), tax_book([rate("US-ZZ", "0.05")]))[0]["US-ZZ"].exposure
    assert not any("not verified" in a for a in e.assumptions)


def test_a_category_taxed_in_one_state_and_not_in_another():
    rules = (RULE, {**RULE, "jurisdiction": "US-YY"})
    taxes = tax_book([rate("US-ZZ", "0.05"), rate("US-YY", "0.05")], [taxable("US-YY", "saas", "no")])
    ledger = ledger_of(CROSS, (date(2026, 1, 5), "US-YY", "150000"),
                       (date(2026, 2, 1), "US-ZZ", "2000", "USD", "saas"),
                       (date(2026, 2, 1), "US-YY", "2000", "USD", "saas"))
    found, _ = run(ledger, taxes, rules)
    assert found["US-ZZ"].exposure.tax.central == D("152000") * D("0.05")
    assert found["US-YY"].exposure.tax.central == D("150000") * D("0.05")  # its SaaS is not taxable


def test_texas_taxes_saas_on_80_percent_of_the_price():
    # Texas from the bundled data: SaaS partial 0.8, state rate 6.25%. Sales cross its USD 500,000 test.
    ledger = ledger_of((date(2026, 1, 5), "US-TX", "600000"), (date(2026, 2, 10), "US-TX", "1000", "USD", "saas"))
    result = check(ledger, load_rules(), AS_OF)
    tx = next(f for f in result.findings if f.jurisdiction == "US-TX")
    e = tx.exposure
    collect = tx.timing.collect_from  # Texas: the first day of the fourth month after the crossing month
    assert collect == date(2026, 5, 1) and e.start == collect
    assert e.taxable_sales == 0  # both sales were made before tax had to be collected
    later = ledger_of((date(2026, 1, 5), "US-TX", "600000"), (date(2026, 5, 10), "US-TX", "1000", "USD", "saas"))
    e = next(f for f in check(later, load_rules(), AS_OF).findings if f.jurisdiction == "US-TX").exposure
    assert e.taxable_sales == D("800") and e.tax.low == D("800") * D("0.0625")


def test_marketplace_sales_count_until_the_marketplace_law_and_not_after():
    law = Dated(**dated("US-ZZ", "2026-04-01"))
    taxes = tax_book([rate("US-ZZ", "0.05")], laws=[law])
    ledger = ledger_of(CROSS, (date(2026, 3, 10), "US-ZZ", "1000", "USD", "goods", "marketplace"),
                       (date(2026, 5, 10), "US-ZZ", "1000", "USD", "goods", "marketplace"))
    e = run(ledger, taxes)[0]["US-ZZ"].exposure
    assert e.taxable_sales == D("151000")  # the sale before the law, not the one after
    assert any("before US-ZZ's marketplace-facilitator law (2026-04-01) are counted" in a for a in e.assumptions)


@pytest.mark.parametrize("days, named", [
    ((date(2026, 3, 10), date(2026, 5, 10)), True),   # marketplace sales on days taxed: the law is why they are not
    ((date(2025, 12, 10),), False),                    # before the test was met: nothing of it is estimated
])
def test_a_marketplace_law_older_than_the_orders_leaves_out_every_marketplace_sale(days, named):
    """US-ZZ's facilitators collect from 2020, before any order: the estimate taxes the USD 150,000 sold direct (5%)
    and none of the marketplace sales; it names the law among the data used only where a marketplace sale fell on
    a day it taxes."""
    taxes = tax_book([rate("US-ZZ", "0.05")], laws=[Dated(**dated("US-ZZ", "2020-01-01"))])
    ledger = ledger_of(CROSS, *((day, "US-ZZ", "1000", "USD", "goods", "marketplace") for day in days))
    e = run(ledger, taxes)[0]["US-ZZ"].exposure
    assert e.taxable_sales == D("150000") and e.tax.central == D("7500")
    laws = [d for d in e.data_used if d.kind == "marketplace law"]
    assert laws == ([DataUsed("marketplace law", "US-ZZ", "marketplaces collect from 2020-01-01: marketplace sales "
                                                          "left out from that day", laws[0].sources)] if named else [])


def test_iowa_marketplace_sales_from_january_2019_are_the_facilitators_to_collect():
    """Iowa from the bundled data: facilitators collected from 2019-01-01 (the IDR). Past USD 100,000 on 2019-01-02,
    the seller collects from 2019-02-01; a marketplace sale of USD 1,000 in March 2019 was its facilitator's, so only
    the direct sale of August is the seller's (the row said 2019-07-01 and counted both: USD 2,000)."""
    ledger = ledger_of((date(2019, 1, 2), "US-IA", "150000"),
                       (date(2019, 3, 10), "US-IA", "1000", "USD", "goods", "marketplace"),
                       (date(2019, 8, 10), "US-IA", "1000"))
    iowa = next(f for f in check(ledger, load_rules(), date(2019, 12, 31)).findings if f.jurisdiction == "US-IA")
    assert iowa.timing.collect_from == date(2019, 2, 1)
    assert iowa.exposure.taxable_sales == D("1000")


def test_a_registration_stops_the_exposure_and_refunds_after_it_are_not_netted():
    taxes = tax_book([rate("US-ZZ", "0.05")])
    held = [Registration("US-ZZ", date(2026, 3, 1), date(2026, 3, 1), "", "", Location("r.csv", 2))]
    ledger = ledger_of(CROSS, (date(2026, 2, 1), "US-ZZ", "1000"),
                       (date(2026, 4, 1), "US-ZZ", "-1000", "USD", "goods", "direct", "refund"))
    e = run(ledger, taxes, registrations=held)[0]["US-ZZ"].exposure
    assert e.end == date(2026, 2, 28)
    assert e.tax.central == D("151000") * D("0.05")  # the April refund falls after the exposure ends


def test_a_place_registered_and_collecting_adds_nothing_a_month_until_registered():
    """registered_now is the tax a month that registering now stops from growing: where a registration already
    collects on the as-of date, nothing grows (before the fix, the 90 days' pace was counted all the same)."""
    taxes = tax_book([rate("US-ZZ", "0.05")])
    held = [Registration("US-ZZ", date(2026, 3, 1), date(2026, 3, 1), "", "", Location("r.csv", 2))]
    ledger = ledger_of(CROSS, (date(2026, 5, 10), "US-ZZ", "3000"))
    found, result = run(ledger, taxes, registrations=held)
    e = found["US-ZZ"].exposure
    assert e.tax.central == D("150000") * D("0.05")  # January to February, before collection began
    assert e.scenarios["registered_now"].tax == Range(D(0), D(0), D(0))
    assert result.exposure_total.registered_now == 0
    # a registration that starts collecting after the as-of date stops nothing yet: the pace still counts
    later = [Registration("US-ZZ", date(2026, 6, 1), date(2026, 7, 1), "", "", Location("r.csv", 2))]
    e = run(ledger, taxes, registrations=later)[0]["US-ZZ"].exposure
    assert e.scenarios["registered_now"].tax.central == D("3000") * D("0.05") * 30 / 90


def test_refunds_alone_in_the_recent_days_grow_nothing_a_month():
    """registered_now is what registering stops from growing: 90 recent days holding only a refund make no tax a
    month, not a negative one that lowers every other place's in the total (it was -0.07 a month here)."""
    taxes = tax_book([rate("US-ZZ", "0.05")])
    ledger = ledger_of(CROSS, (date(2026, 6, 1), "US-ZZ", "-1000", "USD", "goods", "direct", "refund"))
    found, result = run(ledger, taxes)
    e = found["US-ZZ"].exposure
    assert e.tax.central == D("149000") * D("0.05")  # the refund is netted in the base scenario
    assert e.scenarios["registered_now"].tax == Range(D(0), D(0), D(0))
    assert result.exposure_total.registered_now == 0


def test_tax_owed_in_a_window_of_nexus_that_has_ended_is_estimated():
    """Texas's way: USD 500,000 or more in the preceding 12 months, collection from the first day of the fourth
    month after the crossing month, nexus while the test is met. Crossed on 2025-06-15 (300,000 + 200,000), tax
    due from 2025-10-01, the test no longer met from 2026-01-15 (the January 2025 sale leaves the window). The
    December sale of 50,000 was made while tax was due: 2,500 at 5%. Before the fix nothing was estimated, and
    the reasons said only that tax 'may still be owed'. Nothing grows a month: nexus has ended."""
    rule = make_rule(period="preceding_12_months", sales_threshold="500000", sales_comparison="at_least",
                     transactions_threshold=None, transactions_comparison=None, combine=None)
    starts = parse_timing({"rules": [{"jurisdiction": "US-ZZ", "effective_from": "2018-01-01",
                                      "collect": {"kind": "first_of_month_after_months", "months": 4},
                                      "remains": {"kind": "while_met", "note": ""},
                                      "sources": ["https://example.org/t"], "last_verified": "2026-12-04"}]})
    ledger = ledger_of((date(2025, 1, 15), "US-ZZ", "300000"), (date(2025, 6, 15), "US-ZZ", "200000"),
                       (date(2025, 12, 15), "US-ZZ", "50000"), (date(2026, 1, 20), "US-ZZ", "1000"))
    result = check(ledger, book(rule), date(2026, 3, 31),
                   timed=Context(book=starts, tax_book=tax_book([rate("US-ZZ", "0.05")])))
    f = next(f for f in result.findings if f.jurisdiction == "US-ZZ")
    assert f.status == "below" and f.nexus is None
    assert (f.timing.windows[0].collect_from, f.timing.windows[0].until) == (date(2025, 10, 1), date(2026, 1, 14))
    e = f.exposure
    assert (e.start, e.end, e.taxable_sales, e.tax.central) == (date(2025, 10, 1), date(2026, 1, 14), D("50000"),
                                                                D("2500"))
    assert e.scenarios["registered_now"].tax == Range(D(0), D(0), D(0))
    assert result.exposure_total.tax.central == D("2500")


def test_a_refund_inside_the_period_is_netted_on_its_day():
    taxes = tax_book([rate("US-ZZ", "0.05")])
    ledger = ledger_of(CROSS, (date(2026, 4, 1), "US-ZZ", "-1000", "USD", "goods", "direct", "refund"))
    assert run(ledger, taxes)[0]["US-ZZ"].exposure.tax.central == D("149000") * D("0.05")


def test_unknown_taxability_is_not_estimated_and_says_so():
    taxes = tax_book([rate("US-ZZ", "0.05")], [taxable("US-ZZ", "services", "unknown")])
    e = run(ledger_of(CROSS, (date(2026, 2, 1), "US-ZZ", "700", "USD", "services")), taxes)[0]["US-ZZ"].exposure
    assert e.tax.central == D("7500") and e.not_estimated == {"services: taxability unknown": D("700")}


def zz_terms(monkeypatch) -> None:
    """US-ZZ's terms: 5% once if late, 10% a year simple interest; a programme looking back 3 months that waives
    penalties but not interest."""
    late = penalties.Lateness("US-ZZ", date(2018, 1, 1), None, None,
                              (penalties.Penalty(D("0.05"), None, "once", None, None, 0, "item", "5%"),), None,
                              (penalties.InterestPeriod(date(2018, 1, 1), None, D("0.10")),), "simple", (), "", "")
    programme = penalties.Disclosure("US-ZZ", date(2018, 1, 1), None, "state", 3, "yes", "no", (), "", "")
    monkeypatch.setattr(penalties, "lateness", lambda place, on: late if place == "US-ZZ" else None)
    monkeypatch.setattr(penalties, "disclosure", lambda place, on: programme if place == "US-ZZ" else None)


def test_penalties_interest_and_a_vda_look_back_shorter_than_the_exposure(monkeypatch):
    """Monthly returns due on the 20th of the next month; :func:`zz_terms`."""
    zz_terms(monkeypatch)
    taxes = tax_book([rate("US-ZZ", "0.05")])
    ledger = ledger_of(CROSS, (date(2026, 5, 10), "US-ZZ", "2000"))
    e = run(ledger, taxes)[0]["US-ZZ"].exposure
    january, may = D("7500"), D("100")  # 5% of 150,000 and of 2,000
    assert e.penalty == (january + may) * D("0.05")
    # January's return was due 2026-02-20: 130 days to 30 June; May's, 2026-06-20: 10 days
    assert e.interest == january * D("0.10") * 130 / 365 + may * D("0.10") * 10 / 365
    vda = e.scenarios["vda"]  # look-back of 3 months from June: April onwards, so May only
    assert vda.tax.central == may and vda.penalty == 0 and vda.interest == may * D("0.10") * 10 / 365
    assert vda.note == "look-back of 3 months: months from 2026-03-01; penalties waived"
    now = e.scenarios["registered_now"]  # the 90 days to 30 June: 2,000 of sales, a month's worth of tax
    assert now.tax.central == D("2000") * D("0.05") * 30 / 90


def test_a_month_before_the_penalties_tables_first_row_is_not_estimated_not_charged_at_a_later_rate(monkeypatch):
    """The penalties table's only row for US-ZZ starts on 2026-03-01 (5% once if late, 10% a year simple interest).
    Tax due from 2026-01-05: January's month (7,500.00 at 5% of 150,000) has no row in force for its period; it was
    charged at the as-of date's row (a penalty of 375.00 and interest). Now its penalty and interest are not
    estimated, the finding's penalty and interest are null with the months named, and May's month (2,000 at 5% =
    100.00, due 2026-06-20, 10 days late on 30 June) still has its own: 5.00 and 100 x 10% x 10/365 = 0.27."""
    late = penalties.Lateness("US-ZZ", date(2026, 3, 1), None, None,
                              (penalties.Penalty(D("0.05"), None, "once", None, None, 0, "item", "5%"),), None,
                              (penalties.InterestPeriod(date(2026, 3, 1), None, D("0.10")),), "simple", (), "", "")
    monkeypatch.setattr(penalties, "lateness", lambda place, on: late if place == "US-ZZ" and late.in_force(on)
                        else None)
    monkeypatch.setattr(penalties, "lateness_rows", lambda: (late,))
    e = run(ledger_of(CROSS, (date(2026, 5, 10), "US-ZZ", "2000")), tax_book([rate("US-ZZ", "0.05")]))[0][
        "US-ZZ"].exposure
    january, may = e.months
    assert (january.month, january.tax.central, january.penalty, january.interest) == (
        date(2026, 1, 1), D("7500"), None, None)
    assert (may.penalty, may.interest) == (D("5.00"), D("100") * D("0.10") * 10 / 365)
    assert (e.penalty, e.interest) == (None, None)
    words = ("not estimated: the penalties table has no row for US-ZZ in force for 2026-01 (a month is charged only "
             "at the rates of its own period)")
    assert (e.penalty_note, e.interest_note) == (words, words)


def test_tax_due_only_after_the_as_of_date_grows_nothing_yet_and_is_said_apart():
    """Tennessee in the sample crossed on 2026-09-23 with tax from 2026-12-01, after the as-of date 2026-10-31, yet its
    run rate was in "more each month until registered", which is what grows from now. By hand, at 5%: US-ZZ crosses
    on 2026-06-20 (150,000) with tax from 2026-07-01 (the first of the next month), checked on 2026-06-30: nothing
    grows yet, and from 2026-07-01 150,000 x 5% x 30/90 = 2,500.00 a month unless registered by then. US-YY, due
    since 2026-01-05 (crossing day), sold 2,000 on 2026-05-10 in the 90 days: 2,000 x 5% x 30/90 = 33.33 a month,
    the only figure that grows now. The screen, the memo, the JSON and the workbook say it the same way."""
    from nexus.memo.at_stake import total_of
    from nexus.report_json import result_dict
    from nexus.workbooks.exposure import summary_parts

    starts = parse_timing({"rules": [
        {"jurisdiction": code, "effective_from": "2018-01-01", "collect": {"kind": kind},
         "register": {"kind": "same_as_collect"}, "remains": {"kind": "until_deregistered", "note": ""},
         "sources": ["https://example.org/t"], "last_verified": "2026-12-04"}
        for code, kind in (("US-ZZ", "first_of_next_month"), ("US-YY", "crossing_day"))]})
    ledger = ledger_of((date(2026, 6, 20), "US-ZZ", "150000"), (date(2026, 1, 5), "US-YY", "150000"),
                       (date(2026, 5, 10), "US-YY", "2000"))
    rules = (RULE, make_rule(jurisdiction="US-YY", transactions_threshold=None, transactions_comparison=None,
                             combine=None))
    result = check(ledger, book(*rules), AS_OF, timed=Context(book=starts, tax_book=tax_book(
        [rate("US-ZZ", "0.05"), rate("US-YY", "0.05")])))
    zz = next(f for f in result.findings if f.jurisdiction == "US-ZZ").exposure.scenarios["registered_now"]
    assert (zz.start, zz.tax.central, zz.once_due.central) == (date(2026, 7, 1), D(0), D("2500.00"))
    t = result.exposure_total
    assert (round(t.registered_now, 2), t.registered_later, t.later_places) == (
        D("33.33"), D("2500.00"), (("US-ZZ", date(2026, 7, 1)),))
    words = "USD 33.33 more each month until registered (US-ZZ from 2026-07-01)"
    assert t.month_words() == words  # the screen's
    # the memo's headline gives the 2,500.00 too, as the workbook's Summary and the JSON do
    assert ("USD 33.33 more each month until registered, and from 2026-07-01 USD 2,500.00 a month more (US-ZZ)"
            in total_of(result).more[0][1])
    document = result_dict(result)
    total = document["summary"]["exposure_total"]
    assert (total["registered_now_per_month"], total["once_due_per_month"], total["once_due"]) == (
        "33.33", "2500.00", [{"jurisdiction": "US-ZZ", "from": "2026-07-01"}])
    scenario = next(f for f in document["findings"] if f["jurisdiction"] == "US-ZZ")["exposure"]["scenarios"][
        "registered_now"]
    assert (scenario["from"], scenario["tax"]["central"], scenario["once_due"]["central"]) == (
        "2026-07-01", "0.00", "2500.00")
    fields = {p.label: p.value for p in summary_parts(result, None) if hasattr(p, "label")}
    assert round(fields["More each month until registered"], 2) == D("33.33")
    assert fields["More each month from 2026-07-01 (US-ZZ)"] == D("2500.00")


@pytest.mark.parametrize("lookback, start", [(3, date(2026, 3, 1)), (None, date(2026, 1, 5))])
def test_the_vda_period_runs_from_the_look_back_to_the_as_of_date_not_between_sales(monkeypatch, lookback, start):
    """Tax due from 2026-01-05 to 2026-06-30; sales on 2026-04-10 and 2026-05-10 besides the crossing order. A
    3-month look-back from June reaches back to 2026-03-01: the disclosure covers 2026-03-01 to 2026-06-30 (March and
    June without sales still have their returns); with no look-back limit, the whole base period, 2026-01-05 to
    2026-06-30. Before the fix the period ran between the first and last days with a sale (2026-04-10 or 2026-01-05
    to 2026-05-10), so the VDA accrual dated the same liability to 2026-05-10 where the base ran to 2026-06-30."""
    programme = penalties.Disclosure("US-ZZ", date(2018, 1, 1), None, "state", lookback, "yes", "yes", (), "", "")
    monkeypatch.setattr(penalties, "disclosure", lambda place, on: programme if place == "US-ZZ" else None)
    ledger = ledger_of(CROSS, (date(2026, 4, 10), "US-ZZ", "1000"), (date(2026, 5, 10), "US-ZZ", "2000"))
    e = run(ledger, tax_book([rate("US-ZZ", "0.05")]))[0]["US-ZZ"].exposure
    base, vda = e.scenarios["base"], e.scenarios["vda"]
    assert (base.start, base.end) == (date(2026, 1, 5), AS_OF)
    assert (vda.start, vda.end) == (start, AS_OF)
    kept = D("3000") if lookback else D("153000")
    assert vda.tax.central == kept * D("0.05")


def test_the_uk_200_pound_penalty_waits_for_the_fifth_late_monthly_return():
    """The UK's points regime (the bundled GB row): one point per late return, GBP 200 only once a monthly filer
    reaches 5 points, and for each later late return; late payment 3% of the tax on day 15 and 3% more on day 30,
    then 10% a year (from April 2025). Before the fix every late return was charged GBP 200, from the first; the
    first late-payment penalty was missing from the data."""
    ledger = ledger_of(*((date(2026, m, 2), "GB", "1000", "GBP", "digital") for m in range(1, 7)))
    gb = next(f for f in check(ledger, load_rules(), AS_OF).findings if f.jurisdiction == "GB")
    e = gb.exposure
    assert [m.tax.central for m in e.months] == [D("200")] * 6  # 20% of GBP 1,000 a month
    # Returns due on the 20th of the next month: January's 130 days late on 30 June, then 102, 71, 41, 10; June's
    # not yet due. Five late returns: the fifth (May's) reaches 5 points and is charged GBP 200.
    # Over 30 days late: 6% of the tax once (GBP 12), and 10% a year for the days past the first 30.
    late_payment = [D("0.06") * D("200") + D("0.10") * D("200") * (D(d) / 365) for d in (100, 72, 41, 11)]
    assert [m.penalty for m in e.months] == late_payment + [D("200"), D(0)]  # May's 10 days: no payment penalty
    assert round(e.penalty, 2) == D("260.27")  # 200 + 4 x 12 + 12.27, not 1,012.27


def test_the_uk_first_late_payment_penalty_before_april_2025_is_two_and_two_percent():
    """For an as-of date before April 2025 the 2023 rates apply: 2% of the tax on day 15, 2% more on day 30, then 4%
    a year (HMRC's Compliance Handbook CH193140)."""
    from nexus import penalties

    row = penalties.lateness("GB", date(2024, 12, 31))
    assert [penalties.penalty(row, D("1000"), days) for days in (15, 16, 30, 31, 395)] == [
        D(0), D("20"), D("20"), D("40") + D("40") / 365, D("40") + D("40")]
    assert penalties.penalty(penalties.lateness("GB", date(2025, 4, 1)), D("1000"), 16) == D("30")


def test_uk_interest_runs_through_the_rates_of_the_row_before_april_2025():
    """Interest runs from each month's due date, at the rates of the days it covers: February 2025's return, due on
    20 March 2025, bore interest at 7% from 21 March. Once the GB row was split at 1 April 2025 the rates before it
    were in the earlier row only, and an as-of date after it found no rate for 21 to 31 March: that month's
    interest, and with it the whole interest figure, became "not estimated"."""
    from nexus import penalties

    row = penalties.lateness("GB", date(2026, 6, 30))
    assert row.effective_from == date(2025, 4, 1)
    march = D("200") * D("0.07") * 11 / 365  # 21 to 31 March 2025
    assert penalties.interest(row, D("200"), date(2025, 3, 20), date(2025, 3, 31)) == march
    assert penalties.interest(row, D("200"), date(2025, 3, 20), date(2025, 4, 5)) == D("200") * D("0.07") * 16 / 365
    assert penalties.interest(row, D("200"), date(2025, 2, 20), date(2025, 4, 5)) is None  # before 25 Feb: no rate


def test_a_euro_estimate_in_the_reporting_currency_at_the_as_of_rate():
    rates = parse_rates(b"Date,USD,\n2026-03-02,1.05,\n2026-06-30,1.10,\n", "rates.csv")
    ledger = ledger_of((date(2026, 3, 2), "FR", "1000", "EUR", "digital"))
    result = check(ledger, load_rules(), AS_OF, rates)  # no --home: the non-Union scheme, VAT from the first sale
    fr = next(f for f in result.findings if f.jurisdiction == "FR")
    e = fr.exposure
    assert e.currency == "EUR" and e.tax.central == D("200")  # France's 20%
    assert e.reporting_currency == "USD" and e.reporting.central == D("220") and e.reporting_rate == D("1.10")
    assert result.exposure_total.tax.central == D("220")
    assert next(f for f in result.findings if f.jurisdiction == "EU").exposure_note.startswith("estimated member")


def test_cli_json_carries_the_estimate_and_its_total(write):
    import json

    from click.testing import CliRunner

    from nexus.cli import cli

    orders = write("o.csv", "date,country,region,amount,currency\n2025-03-02,US,GA,150000,USD\n")
    data = json.loads(CliRunner().invoke(cli, ["check", "--sales", orders, "--as-of", "2026-06-30", "--format",
                                               "json", "--category", "goods"], catch_exceptions=False).stdout)
    ga = next(f for f in data["findings"] if f["jurisdiction"] == "US-GA")
    # Georgia's duty starts with the sale after the one that met the test: the low end leaves out the crossing day,
    # whose only sale met it (its 4% state rate, 6,000.00, was the low end before 2026-12-07); the high keeps it.
    assert ga["exposure"]["tax"]["low"] == "0.00" and ga["exposure"]["tax"]["high"] == "11130.00"
    assert ga["exposure"]["crossing_day"]["tax"]["low"] == "6000.00"
    assert ga["exposure"]["currency"] == "USD" and ga["exposure"]["scenarios"]["base"]["from"] == "2025-03-02"
    assert data["summary"]["exposure_total"]["tax"]["low"] == "0.00"


def test_tax_charged_in_the_orders_reduces_what_is_uncollected(write):
    from nexus.sales import read_sales

    orders = write("o.csv", "date,country,region,amount,currency,tax,category\n"
                            "2025-03-02,US,GA,150000,USD,0,goods\n2025-04-02,US,GA,1000,USD,40,goods\n")
    e = next(f for f in check(read_sales([orders]), load_rules(), AS_OF).findings
             if f.jurisdiction == "US-GA").exposure
    # Georgia's state rate of 4% on 151,000 is 6,040 (central and high keep the crossing day's sale); the low end
    # leaves that day's 150,000 out, 1,000 x 4% = 40.00; 40 was charged on the April sale.
    assert e.tax.low == D("40.00") and e.tax_collected == D("40")
    assert e.uncollected.low == D("0.00") and e.uncollected.central == D("11164.20")
    assert not any("assumes none was collected" in a for a in e.assumptions)


def test_each_months_uk_penalty_is_the_one_in_force_for_its_period():
    """HMRC's higher late-payment penalties (3% and 3%, then 10% a year) apply to VAT periods from April 2025; the
    estimate gave every month the rates in force on the as-of date, doubling January 2025's penalty. Each month is
    now judged by the row in force for it (2% and 2%, then 4% a year before), both rows named in the data used."""
    ledger = ledger_of((date(2025, 1, 10), "GB", "1000", "GBP", "digital"),
                       (date(2025, 5, 10), "GB", "1000", "GBP", "digital"))
    gb = next(f for f in check(ledger, load_rules(), AS_OF).findings if f.jurisdiction == "GB")
    january, may = [m for m in gb.exposure.months if m.start.month in (1, 5)]
    late = [(AS_OF - m.due).days for m in (january, may)]  # due the 20th of the next month
    assert january.penalty == D("0.04") * D("200") + D("0.04") * D("200") * (D(late[0] - 30) / 365)
    # May's is the fifth late return since January's (a month without sales still has its return): GBP 200 too.
    assert may.penalty == D("200") + D("0.06") * D("200") + D("0.10") * D("200") * (D(late[1] - 30) / 365)
    used = [d for d in gb.exposure.data_used if d.kind == "penalties and interest"]
    assert len(used) == 2


def _sales(write, rows):
    from nexus.sales import read_sales

    path = write("o.csv", "date,order_id,country,region,amount,currency,channel,kind,category\n" + rows)
    return read_sales([path])


def test_an_eu_member_state_estimate_counts_only_what_the_union_scheme_covers(write):
    """A German seller over the EU's EUR 10,000 from 12 May 2025: French VAT was estimated on its general services
    too (3,000.00 at 20%), though the union scheme covers goods and e-services only (the rule row's categories;
    other services are taxed where the supplier is, Art. 45 of the VAT Directive). By hand: June's goods, 1,000.00,
    at France's 20%: 200.00."""
    ledger = _sales(write, "2025-03-01,E1,FR,,6000.00,EUR,direct,sale,goods\n"
                           "2025-03-02,E2,DE,,50000.00,EUR,direct,sale,goods\n"
                           "2025-04-01,E3,FR,,3000.00,EUR,direct,sale,services\n"
                           "2025-05-10,E4,IT,,4000.00,EUR,direct,sale,goods\n"
                           "2025-05-12,E5,IT,,0.01,EUR,direct,sale,goods\n"
                           "2025-06-15,E6,FR,,1000.00,EUR,direct,sale,goods\n"
                           "2025-06-20,E7,FR,,2000.00,EUR,direct,sale,services\n")
    result = check(ledger, load_rules(), date(2025, 7, 31), home="DE")
    france = next(f for f in result.findings if f.jurisdiction == "FR" and f.exposure)
    assert [(m.month, m.taxable_sales) for m in france.exposure.months if m.taxable_sales] == [
        (date(2025, 6, 1), Decimal("1000.00"))]
    assert france.exposure.tax.central == Decimal("200.00")


def test_two_swiss_registrations_each_estimate_their_own_sales_never_both(write):
    """Switzerland's mail-order (goods) and services registrations are two findings; each estimated Swiss VAT on
    every Swiss sale, so the services sale of CHF 150,000 was counted twice (CHF 12,150.00 in each). By hand: the
    services finding 150,000.00 at 8.1% = 12,150.00; the mail-order one nothing after its goods sale."""
    ledger = _sales(write, "2025-02-01,C1,CH,,150000,CHF,direct,sale,goods\n"
                           "2025-03-01,C2,CH,,150000,CHF,direct,sale,services\n")
    result = check(ledger, load_rules(), date(2025, 12, 31))
    swiss = {f.scheme: f.exposure.tax.central for f in result.findings if f.jurisdiction == "CH" and f.exposure}
    assert swiss == {"mail order": Decimal("0.00"), "services, worldwide turnover": Decimal("12150.00")}


def test_kentucky_saas_is_taxed_from_2023_and_not_before():
    """Kentucky from the bundled data: H.B. 8 of 2022 taxes SaaS (prewritten computer software access services)
    from 2023-01-01 at the state's 6%; before, SaaS was not taxable (review of 2026-12-05)."""
    ledger = ledger_of((date(2022, 6, 5), "US-KY", "150000"), (date(2022, 12, 10), "US-KY", "1000", "USD", "saas"),
                       (date(2023, 1, 10), "US-KY", "1000", "USD", "saas"))
    ky = next(f for f in check(ledger, load_rules(), date(2023, 3, 31)).findings if f.jurisdiction == "US-KY")
    e = ky.exposure
    assert ky.timing.collect_from == e.start == date(2022, 8, 1)  # both SaaS sales fall in the exposure
    assert e.taxable_sales == D("1000") and e.tax.central == D("1000") * D("0.06") and not e.not_estimated


def _us_exposure(place, as_of, *rows):
    found = check(ledger_of(*rows), load_rules(), as_of).findings
    return next(f for f in found if f.jurisdiction == place).exposure


def test_georgia_digital_products_are_taxed_from_2024_and_not_before():
    """Georgia from the bundled data: S.B. 56 of 2023 taxes digital products sold for permanent use from 2024-01-01;
    the row said 'no' on every day (review of 2026-12-06). 150,000 of digital products in June 2023 pass the 100,000
    test (Georgia counts them; nexus from that sale on) untaxed, as is 1,000 in December 2023; 1,000 on 2024-01-10 is
    taxed: 4% state = 40.00, with the average local 3.38% of the first half of 2024 = 73.80. Subscriptions are not
    taxed: the estimate says it taxes every digital sale."""
    e = _us_exposure("US-GA", date(2024, 3, 31), (date(2023, 6, 5), "US-GA", "150000", "USD", "digital"),
                     (date(2023, 12, 10), "US-GA", "1000", "USD", "digital"),
                     (date(2024, 1, 10), "US-GA", "1000", "USD", "digital"))
    assert e.start <= date(2023, 12, 10)  # both digital sales fall in the exposure
    assert e.taxable_sales == D("1000") and (e.tax.low, e.tax.central) == (D("40.00"), D("73.80"))
    assert any(a.startswith("Georgia taxes digital products sold for permanent use only") for a in e.assumptions)


def test_illinois_canned_software_downloads_are_taxed():
    """Illinois from the bundled data: canned software is tangible personal property 'regardless of the form in which
    it is transferred or transmitted, including ... electronic means' (86 Ill. Adm. Code 130.1935(a)); the digital row
    said 'no' on a chart of digital media (review of 2026-12-06). Goods of 150,000 in March 2025 pass the 100,000
    test; 1,000 of digital sales in September: 6.25% = 62.50, with the average local 2.67% = 89.20."""
    e = _us_exposure("US-IL", date(2025, 12, 31), (date(2025, 3, 2), "US-IL", "150000"),
                     (date(2025, 9, 10), "US-IL", "1000", "USD", "digital"))
    assert e.taxable_sales == D("1000") and (e.tax.low, e.tax.central) == (D("62.50"), D("89.20"))
    assert any(a.startswith("Illinois taxes canned software downloads") for a in e.assumptions)


def test_new_york_prewritten_software_downloads_are_taxed():
    """New York from the bundled data: prewritten software is taxable 'regardless of how the software is conveyed to
    the purchaser', by electronic transmission too (Tax Bulletin ST-128); the digital row said 'no' on a chart of
    digital media (review of 2026-12-06). 101 sales of 5,000 of goods in January 2025 pass both tests (more than
    500,000 and more than 100 sales); 1,000 of digital sales in September: 4% = 40.00, with the average local 4.54%
    of the second half of 2025 = 85.40."""
    goods = [(date(2025, 1, 2 + n % 28), "US-NY", "5000") for n in range(101)]
    e = _us_exposure("US-NY", date(2025, 12, 31), *goods, (date(2025, 9, 10), "US-NY", "1000", "USD", "digital"))
    assert e.taxable_sales == D("1000") and (e.tax.low, e.tax.central) == (D("40.00"), D("85.40"))
    assert any(a.startswith("New York taxes prewritten software downloads") for a in e.assumptions)


def test_michigan_prewritten_software_downloads_are_taxed():
    """Michigan from the bundled data: prewritten computer software is tangible personal property (Public Acts 172 and
    173 of 2004, RAB 2023-10; downloaded apps and games taxed, e-books, music and video not); the digital row said
    'no' on a chart of digital media (review of 2026-12-06). Goods of 150,000 in March 2025 pass the 100,000 test
    of the previous calendar year (nexus from 2026-01-01); 1,000 of digital sales in March 2026: 6%, no local sales
    tax = 60.00."""
    e = _us_exposure("US-MI", date(2026, 6, 30), (date(2025, 3, 2), "US-MI", "150000"),
                     (date(2026, 3, 10), "US-MI", "1000", "USD", "digital"))
    assert e.taxable_sales == D("1000") and (e.tax.low, e.tax.central) == (D("60.00"), D("60.00"))
    assert any(a.startswith("Michigan taxes prewritten software downloads") for a in e.assumptions)


def test_ohio_saas_is_estimated_as_if_bought_for_business_and_says_so():
    """Ohio taxes automatic data processing and electronic information services 'for use in business' only (R.C.
    5739.01(B)(3)(e)); the orders do not say who bought for business, so SaaS is estimated in full (5.75% of 1,000 =
    57.50; with the average local 1.55% = 73.00) and the estimate says personal-use sales would come off it."""
    e = _us_exposure("US-OH", date(2025, 12, 31), (date(2025, 3, 2), "US-OH", "150000"),
                     (date(2025, 9, 10), "US-OH", "1000", "USD", "saas"))
    assert e.taxable_sales == D("1000") and (e.tax.low, e.tax.central) == (D("57.50"), D("73.00"))
    assert any(a.startswith("Ohio taxes SaaS bought for use in business only") for a in e.assumptions)


def test_maryland_services_are_not_estimated_from_its_3_percent_tax_on_it_and_data_services():
    """Maryland from the bundled data: from 2025-07-01 data and IT services (NAICS 518, 519, 5415) and software
    publishing are taxed at 3% and other services are not; the category holds both, so its sales are listed as
    not estimated, never taxed at 6% nor dropped (review of 2026-12-05). Before, services were not taxable."""
    ledger = ledger_of((date(2025, 1, 6), "US-MD", "150000"), (date(2025, 6, 10), "US-MD", "1000", "USD", "services"),
                       (date(2025, 7, 10), "US-MD", "700", "USD", "services"))
    md = next(f for f in check(ledger, load_rules(), date(2025, 9, 30)).findings if f.jurisdiction == "US-MD")
    e = md.exposure
    # From the crossing sale itself (COMAR 03.06.01.33 gives no grace month): both services sales fall in the
    # exposure, and so does the crossing sale of goods, 150,000 x 6% = 9,000.00.
    assert md.timing.collect_from == e.start == date(2025, 1, 6)
    assert e.taxable_sales == D("150000") and e.tax.central == D("9000.00")  # June's services sale not taxable
    assert e.not_estimated == {"services: taxability unknown": D("700")}  # July's not estimated


def test_maryland_collects_from_the_sale_that_meets_its_test_not_from_the_next_month():
    """COMAR 03.06.01.33: over $100,000 'during the previous calendar year or the current calendar year', a seller
    'shall collect and remit' the tax, with no grace month (the timing row said the first of the next month, from
    practitioners' charts, until 2026-12-06). 60,000 on 2025-11-20 and 45,000 on 2025-12-05 pass the test on
    2025-12-05; 10,000 more on 2025-12-20. Tax from 2025-12-05: (45,000 + 10,000) x 6% = 3,300.00, as Maryland has no
    local sales tax; the low end leaves out the crossing day, whose only sale met the test (the duty starts with the
    next): 10,000 x 6% = 600.00. Before, collection began on 2026-01-01 and nothing to 2025-12-31 was at stake."""
    ledger = ledger_of((date(2025, 11, 20), "US-MD", "60000"), (date(2025, 12, 5), "US-MD", "45000"),
                       (date(2025, 12, 20), "US-MD", "10000"))
    md = next(f for f in check(ledger, load_rules(), date(2025, 12, 31)).findings if f.jurisdiction == "US-MD")
    assert md.crossed_on == md.timing.collect_from == md.timing.register_by == date(2025, 12, 5)
    e = md.exposure
    assert e.start == date(2025, 12, 5) and e.taxable_sales == D("55000")
    assert (e.tax.low, e.tax.central, e.tax.high) == (D("600.00"), D("3300.00"), D("3300.00"))


def test_the_data_an_estimate_rests_on_is_listed_in_the_same_order_whatever_the_order_of_the_rows(write):
    """DuckDB groups the orders in no fixed order, so the daily totals reach the estimate in any order; the data
    rows it used were listed in the order first met, and the report's Assumptions sheet named the taxability
    sources in another order from one run of the same files to the next. The same three sales into Georgia,
    written in two orders, rest on the same rows listed the same way."""
    from nexus.sales import read_sales

    lines = ["1,2025-03-02,US,GA,150000,USD,goods\n", "2,2025-04-10,US,GA,5000,USD,saas\n",
             "3,2025-04-11,US,GA,5000,USD,digital\n"]
    header = "order_id,date,country,region,amount,currency,category\n"
    found = []
    for name, order in (("a.csv", lines), ("b.csv", lines[::-1])):
        result = check(read_sales([write(name, header + "".join(order))]), load_rules(), date(2026, 6, 30))
        found.append(next(f for f in result.findings if f.jurisdiction == "US-GA").exposure)
    first, second = found
    assert [d.what.split(":")[0] for d in first.data_used if d.kind == "taxability"] == ["digital", "goods", "saas"]
    assert first.data_used == second.data_used and first.rates == second.rates and first.sources == second.sources


def test_georgia_interest_accrues_by_the_month_a_part_month_counting_whole():
    """O.C.G.A. 48-2-40: prime + 3 'to accrue monthly', 'any period of less than one month shall be considered to be
    one month'; 10.50% for 2025 and 9.75% for 2026 (Policy Bulletin ADMIN-2026-01). Worked by hand:

    * March 2025's return, due 2025-04-20, unpaid on 2025-07-31: three whole months to 2025-07-20 and eleven days of
      a fourth, four months: 11,130.00 x 10.5% / 12 x 4 = 389.55 (simple by the day it was 326.58, 102/365).
    * A return due 2026-01-20, unpaid on 2026-03-05: one month and a part, two months at 2026's 9.75%:
      1,000 x 9.75% / 12 x 2 = 16.25 (before, 2026 had no rate: not estimated); on 2026-02-20, one month: 8.125.
    """
    georgia = penalties.lateness("US-GA", date(2026, 3, 5))
    assert georgia.interest_method == "monthly"
    assert penalties.interest(georgia, D("11130.00"), date(2025, 4, 20), date(2025, 7, 31)) == D("389.55")
    assert penalties.interest(georgia, D("1000"), date(2026, 1, 20), date(2026, 3, 5)) == D("16.25")
    assert penalties.interest(georgia, D("1000"), date(2026, 1, 20), date(2026, 2, 20)) == D("8.125")
    assert penalties.interest(georgia, D("1000"), date(2026, 1, 20), date(2026, 1, 20)) == D(0)


def test_georgia_s_penalty_rests_on_its_sales_tax_statute():
    """O.C.G.A. 48-8-66: 5% or $5.00 for the first 30 days, a further 5% or $5.00 for each 30 days or fraction, not
    more than 25% or $25.00. Before, the figures rested on a law firm's summary alone and the row said 'secondary'.
    The figures stand (by hand, USD 1,000 of tax 61 days late, three periods: 150.00; 200 days: capped at 250.00), and
    the row now leads with the statute and quotes its floors."""
    georgia = penalties.lateness("US-GA", date(2026, 3, 5))
    assert georgia.confidence == "official" and georgia.sources[0].endswith("/48-8-66")
    assert "$25.00 in the aggregate" in georgia.late_filing[0].wording
    assert penalties.penalty(georgia, D("1000"), 61) == D("150.00")
    assert penalties.penalty(georgia, D("1000"), 200) == D("250.00")


def test_france_adds_ten_percent_for_a_late_return_and_interest_at_a_fifth_of_a_percent_a_month():
    """CGI art. 1728(1)(a): a 10% majoration on a return filed late before any formal notice; art. 1727 III: interest
    of 0.20% a month, 2.4% a year, from 2018. Before, France had no figures: 'not estimated'. By hand, EUR 1,000 of
    VAT due 2025-02-20 and unpaid on 2025-06-30: 10% = 100.00, whatever the delay; interest for the 130 days from
    2025-02-21, 1,000 x 2.4% x 130 / 365 = 8.55 (the law's whole months, March to June, give 8.00: the notes say so)."""
    france = penalties.lateness("FR", date(2025, 6, 30))
    assert france.late_payment is None
    assert penalties.penalty(france, D("1000"), 130) == D("100.00")
    assert penalties.penalty(france, D("1000"), 900) == D("100.00")
    assert round(penalties.interest(france, D("1000"), date(2025, 2, 20), date(2025, 6, 30)), 2) == D("8.55")


def test_a_vda_whose_waiver_is_not_known_keeps_the_penalties_and_says_so(monkeypatch):
    """North Carolina's row: a programme, look-back and penalty waiver not in the text read, interest not waived.
    The VDA keeps every month and the penalty in full, as before, but the note now says why: before, it equalled
    the base with only 'look-back is not known', as if disclosing saved nothing. By hand: 5% once on January's
    7,500 of tax = 375.00 in both scenarios."""
    late = penalties.Lateness("US-ZZ", date(2018, 1, 1), None, None,
                              (penalties.Penalty(D("0.05"), None, "once", None, None, 0, "item", "5%"),), None,
                              None, "simple", (), "", "")
    programme = penalties.Disclosure("US-ZZ", date(2018, 1, 1), None, "both", None, "unknown", "no", (), "", "")
    monkeypatch.setattr(penalties, "lateness", lambda place, on: late if place == "US-ZZ" else None)
    monkeypatch.setattr(penalties, "disclosure", lambda place, on: programme if place == "US-ZZ" else None)
    e = run(ledger_of(CROSS), tax_book([rate("US-ZZ", "0.05")]))[0]["US-ZZ"].exposure
    vda = e.scenarios["vda"]
    assert e.penalty == vda.penalty == D("375.00")
    assert vda.note == ("the programme's look-back is not known: every month is kept; penalties kept in full: "
                        "whether the programme waives them is not known; interest due, not estimated")


def test_a_vda_says_the_interest_it_leaves_due_is_not_estimated_not_waived(monkeypatch):
    """Ohio's case on the sample: the programme waives penalties, not interest, and the data has no interest rate
    for the months concerned. By hand: January's 7,500 of tax (5% of 150,000), penalties 0.00 (waived), interest
    unknown, so the VDA total, 7,500.00, is the tax alone. Before the fix its note said only 'look-back of 36
    months: months from 2023-06-01; penalties waived', so the total read as everything the programme would charge;
    now the note says the interest it leaves due is not estimated."""
    late = penalties.Lateness("US-ZZ", date(2018, 1, 1), None, None,
                              (penalties.Penalty(D("0.05"), None, "once", None, None, 0, "item", "5%"),), None,
                              None, "simple", (), "", "")
    programme = penalties.Disclosure("US-ZZ", date(2018, 1, 1), None, "state", 36, "yes", "no", (), "", "")
    monkeypatch.setattr(penalties, "lateness", lambda place, on: late if place == "US-ZZ" else None)
    monkeypatch.setattr(penalties, "disclosure", lambda place, on: programme if place == "US-ZZ" else None)
    found, result = run(ledger_of(CROSS), tax_book([rate("US-ZZ", "0.05")]))
    vda = found["US-ZZ"].exposure.scenarios["vda"]
    assert (vda.tax.central, vda.penalty, vda.interest, vda.total) == (D("7500.00"), 0, None, D("7500.00"))
    assert vda.note == "look-back of 36 months: months from 2023-06-01; penalties waived; interest due, not estimated"
    # The total's words, on the screen, the memo and the Summary, say it too: before, 'USD 7,500.00 through
    # voluntary disclosure' alone.
    total = result.exposure_total
    assert (total.vda, total.vda_tax_alone, total.vda_not_estimated) == (D("7500.00"), (), ("US-ZZ",))
    assert total.vda_words() == ("USD 7,500.00 through voluntary disclosure (interest or penalties due under the "
                                 "programme not estimated in 1 place)")
    assert total.vda_caveat(named=True) == "interest or penalties due under the programme not estimated in 1 place " \
                                           "(US-ZZ)"


def test_florida_interest_runs_through_the_july_half_years_the_department_publishes():
    """Florida's rate is set each 1 January and 1 July (its Tax Information Publications): 12% for 2024-07-01 to
    2024-12-31 (TIP 24ADM-01), 2025-01-01 to 2025-06-30 (TIP 24ADM-04) and 2025-07-01 to 2025-12-31 (TIP 25ADM-01).
    By hand, USD 1,000 due 2024-07-20 and unpaid on 2025-12-31: 164 days in 2024 and 365 in 2025, 529 days at
    12%: 1,000 x 12% x 529/365 = 173.92 (before, the July half-years were missing: not estimated). The
    Department's own example, 80 days at 7% (daily factor .000191781): 15.34."""
    florida = penalties.lateness("US-FL", date(2025, 12, 31))
    assert round(penalties.interest(florida, D("1000"), date(2024, 7, 20), date(2025, 12, 31)), 2) == D("173.92")
    assert round(penalties.interest(florida, D("1000"), date(2021, 7, 20), date(2021, 10, 8)), 2) == D("15.34")


def test_texas_interest_begins_on_the_61st_day_after_the_due_date():
    """The Comptroller: 'Statutory interest begins accruing on the 61st day after the due date' (Tax Code 111.060(c)).
    By hand, USD 1,000 due 2025-01-20 at 2025's 8.5%: unpaid on 2025-03-21, the 60th day, no interest; on
    2025-07-31, from 2025-03-22: 10 + 30 + 31 + 30 + 31 = 132 days, 1,000 x 8.5% x 132/365 = 30.74 (before, from
    the day after the due date, 192 days: 44.71)."""
    texas = penalties.lateness("US-TX", date(2025, 7, 31))
    assert penalties.interest(texas, D("1000"), date(2025, 1, 20), date(2025, 3, 21)) == 0
    assert round(penalties.interest(texas, D("1000"), date(2025, 1, 20), date(2025, 7, 31)), 2) == D("30.74")


def test_texas_interest_counts_a_leap_years_366_days_as_the_comptroller_does():
    """The Comptroller's own example: USD 1,000 owed in 2024 at 9.50% for 150 days of interest is 1,000 x 9.5% x
    150 / 366 = 38.93 (divided by 365 it read 39.04). A return due 2024-01-01 draws interest from 2024-03-02, its
    61st day; 150 days of it end on 2024-07-29."""
    texas = penalties.lateness("US-TX", date(2024, 7, 29))
    assert round(penalties.interest(texas, D("1000"), date(2024, 1, 1), date(2024, 7, 29)), 2) == D("38.93")


def test_pennsylvania_adds_five_percent_a_month_up_to_a_quarter_for_a_return_not_filed():
    """72 P.S. 7266(a), the sales tax's additions: 5% of the tax if the failure to file is for not more than one
    month, a further 5% for each additional month or fraction, 'not exceeding twenty-five per cent in the aggregate',
    and 'at least two dollars ($2)'. Before, the row had no penalty: 'not estimated'. By hand, on USD 1,000 of tax:
    10 days late, one month: 50.00; 31 days, two: 100.00; 200 days, seven, capped at 25%: 250.00; on USD 20 of tax
    10 days late, 5% is 1.00, raised to the minimum: 2.00. No separate late-payment addition: the filing list alone."""
    pennsylvania = penalties.lateness("US-PA", date(2026, 10, 31))
    assert pennsylvania.late_payment is None
    assert penalties.penalty(pennsylvania, D("1000"), 10) == D("50.00")
    assert penalties.penalty(pennsylvania, D("1000"), 31) == D("100.00")
    assert penalties.penalty(pennsylvania, D("1000"), 200) == D("250.00")
    assert penalties.penalty(pennsylvania, D("20"), 10) == D("2")


def test_ohio_interest_takes_the_rates_the_tax_commissioner_certified():
    """The Department's Annual Certified Interest Rates: 4% for 2018, 5% for 2019 (its table), 7% for 2026 (its
    certification of 2025-10-15, in Bloomberg Tax's note). Before, the table began in 2020 and had no 2026. By hand,
    USD 1,000 due 2018-12-20 and unpaid on 2019-01-31: 11 days of 2018 at 4% and 31 of 2019 at 5%:
    1,000 x (0.04 x 11 + 0.05 x 31) / 365 = 1,990 / 365 = 5.45; due 2026-01-20 and unpaid on 2026-03-01, 40 days at
    7%: 1,000 x 0.07 x 40 / 365 = 7.67. 2024 and 2025 were read nowhere: a return due then is not estimated."""
    ohio = penalties.lateness("US-OH", date(2026, 3, 1))
    assert round(penalties.interest(ohio, D("1000"), date(2018, 12, 20), date(2019, 1, 31)), 2) == D("5.45")
    assert round(penalties.interest(ohio, D("1000"), date(2026, 1, 20), date(2026, 3, 1)), 2) == D("7.67")
    assert penalties.interest(ohio, D("1000"), date(2025, 1, 20), date(2025, 3, 1)) is None


def test_michigan_interest_takes_every_half_year_of_the_treasury_s_bulletin():
    """Revenue Administrative Bulletin 2024-16 lists each half-year's rate: 4.25% for 2022 H1, 4.27% for 2022 H2.
    Before, 2022 was missing: not estimated. By hand, USD 1,000 due 2022-06-20 and unpaid on 2022-12-31: 10 days at
    4.25% and 184 at 4.27%: 1,000 x (0.0425 x 10 + 0.0427 x 184) / 365 = 22.69; due 2026-01-20 and unpaid on
    2026-03-01, 40 days at 2026 H1's 8.48%: 9.29."""
    michigan = penalties.lateness("US-MI", date(2026, 3, 1))
    assert round(penalties.interest(michigan, D("1000"), date(2022, 6, 20), date(2022, 12, 31)), 2) == D("22.69")
    assert round(penalties.interest(michigan, D("1000"), date(2026, 1, 20), date(2026, 3, 1)), 2) == D("9.29")


def test_older_interest_periods_come_from_the_departments_own_tables():
    """Years the calculator's notes did not bound, read in the departments' own tables: Minnesota 2019 5% (its
    Interest Rates page), North Carolina 6% for 2019 H1 and 5% from 2019-07-01 (its Interest Rate page), Texas 2019
    6.50% (the Comptroller's prime + 1 table). Before, each was missing: not estimated. By hand, USD 1,000:
    Minnesota, due 2019-03-20, unpaid 2019-12-31, 286 days at 5%: 39.18; North Carolina, due 2019-05-20, unpaid
    2019-08-31, 41 days at 6% and 62 at 5%: 15.23; Texas, due 2019-01-20, unpaid 2019-12-31, from the 61st day
    (2019-03-22), 285 days at 6.5% over 365: 50.75."""
    minnesota = penalties.lateness("US-MN", date(2019, 12, 31))
    assert round(penalties.interest(minnesota, D("1000"), date(2019, 3, 20), date(2019, 12, 31)), 2) == D("39.18")
    carolina = penalties.lateness("US-NC", date(2019, 8, 31))
    assert round(penalties.interest(carolina, D("1000"), date(2019, 5, 20), date(2019, 8, 31)), 2) == D("15.23")
    texas = penalties.lateness("US-TX", date(2019, 12, 31))
    assert round(penalties.interest(texas, D("1000"), date(2019, 1, 20), date(2019, 12, 31)), 2) == D("50.75")


def test_maryland_interest_accrues_by_the_month_or_fraction_of_a_month():
    """Tax-General 13-604(a): 'The rate of interest for each month or fraction of a month is ... one-twelfth of the
    annual interest rate that the Comptroller sets for the calendar year'; (b) sets 9.5% as 2022's floor, the rate the
    calculator gives. Before, interest ran by the day and 2022 was missing. By hand, USD 1,000 due 2025-01-20 and
    unpaid on 2025-03-05: a month and a fraction, two twelfths of 11.4825%: 19.14 (by the day, 44 days: 13.84); due
    2022-11-20 and unpaid on 2023-01-10, two months begun in 2022: 2 x 9.5% / 12 x 1,000 = 15.83."""
    maryland = penalties.lateness("US-MD", date(2025, 3, 5))
    assert maryland.interest_method == "monthly"
    assert round(penalties.interest(maryland, D("1000"), date(2025, 1, 20), date(2025, 3, 5)), 2) == D("19.14")
    assert round(penalties.interest(maryland, D("1000"), date(2022, 11, 20), date(2023, 1, 10)), 2) == D("15.83")


def test_pennsylvania_interest_takes_each_year_s_rate_from_the_pennsylvania_code():
    """61 Pa. Code 4.2(b): the rate certified for each calendar year, the federal rate on 1 January kept all year:
    2018 4%, 2019 6%. Before, the table began in 2020: a return due in 2018 or 2019 was not estimated. By hand, USD
    1,000 due 2018-12-20 and unpaid on 2019-01-31: 11 days of 2018 at 4% and 31 of 2019 at 6%:
    1,000 x (0.04 x 11 + 0.06 x 31) / 365 = 1,000 x 2.30 / 365 = 6.30."""
    pennsylvania = penalties.lateness("US-PA", date(2019, 1, 31))
    assert round(penalties.interest(pennsylvania, D("1000"), date(2018, 12, 20), date(2019, 1, 31)), 2) == D("6.30")


def _charged(*rows):
    """rows: (day, place, amount, currency, category, channel, tax charged)."""
    ledger = Ledger()
    for day, place, amount, code, category, channel, tax in rows:
        ledger.add(Order("", day, place, D(amount), code, channel, "sale", "no", category, Location("t.csv"),
                         tax=D(tax)))
        ledger.rows_read += 1
    return ledger


def _euro_rates(*codes):
    """10 of each of ``codes`` and USD 1.25 to the euro every third day from 2020 to 2026."""
    days = "".join(f"{date(2020, 1, 1) + timedelta(days=i)},{'10.0,' * len(codes)}1.25,\n" for i in range(0, 2600, 3))
    return parse_rates((f"Date,{''.join(c + ',' for c in codes)}USD,\n" + days).encode(), "rates.csv")


def test_each_day_takes_the_marketplace_setting_of_the_rule_version_then_in_force():
    """Norway's rule cut into two versions on 2023-01-01, the earlier counting marketplace sales as the seller's own,
    the later making the marketplace the deemed supplier. By hand, as of 2023-06-30: NOK 60,000 sold direct on
    2022-03-01 pass NOK 50,000 (tax from that sale); NOK 40,000 sold on a marketplace on 2022-06-01 are the seller's
    under the version then in force; NOK 20,000 on 2023-03-01 are the marketplace's to collect. NOK 100,000 at 25%:
    NOK 25,000. Before, the version in force on the as-of date decided every day: NOK 15,000."""
    rules = []
    for rule in load_rules().rules:
        if rule.jurisdiction == "NO":
            rules += [replace(rule, effective_to=date(2022, 12, 31), marketplace="included"),
                      replace(rule, effective_from=date(2023, 1, 1))]
        else:
            rules.append(rule)
    ledger = _charged((date(2022, 3, 1), "NO", "60000", "NOK", "goods", "direct", "0"),
                      (date(2022, 6, 1), "NO", "40000", "NOK", "goods", "marketplace", "0"),
                      (date(2023, 3, 1), "NO", "20000", "NOK", "goods", "marketplace", "0"))
    result = check(ledger, RuleBook(tuple(rules), "", date(2026, 12, 6)), date(2023, 6, 30), _euro_rates("NOK"))
    e = next(f for f in result.findings if f.jurisdiction == "NO").exposure
    assert e.taxable_sales == D("100000") and e.uncollected.central == D("25000")
    assert "Marketplace sales of goods are estimated from 2022-03-01 to 2022-12-31: under the version of the rule " \
        "then in force they were the seller's own supplies" in " ".join(e.assumptions)


def test_marketplace_sales_left_out_by_the_places_own_rule_say_so_by_that_rule():
    """Norway's rule makes a marketplace the supplier of what it sells (marketplace sales excluded): the estimate
    leaves the NOK 20,000 sold there out (NOK 60,000 taxable) and says Norway's rule is why, where it said before
    that the marketplace was assumed to collect "as it does in the EU and the UK", a reason from other places."""
    ledger = _charged((date(2026, 3, 2), "NO", "60000", "NOK", "goods", "direct", "0"),
                      (date(2026, 4, 1), "NO", "20000", "NOK", "goods", "marketplace", "0"))
    result = check(ledger, load_rules(), AS_OF, _euro_rates("NOK"))
    e = next(f for f in result.findings if f.jurisdiction == "NO").exposure
    assert e.taxable_sales == D("60000")
    said = " ".join(e.assumptions)
    assert ("Marketplace sales are left out where this place's rule makes them the marketplace's supplies, not the "
            "seller's: the marketplace collects the tax on them.") in said
    assert "EU and the UK" not in said


def test_tax_charged_on_sales_outside_the_union_schemes_scope_does_not_reduce_the_estimate():
    """A German seller's e-books into Sweden pass the EU's EUR 10,000 on 2020-02-03 (SEK 120,000: EUR 12,000); that
    version of the threshold reached e-services alone, so its goods sold on 2020-03-02 (SEK 100,000, below Sweden's
    own SEK 320,000) were taxed in Germany, and the orders charged German VAT on them (SEK 19,000). By hand, as of
    2026-06-30: Sweden's VAT on the e-books, EUR 3,000, and on 2026's goods (EUR 15,000), EUR 3,750: EUR 6,750, none
    charged. Before, the German VAT on the 2020 goods (EUR 1,900) was set against it: EUR 4,850."""
    ledger = _charged((date(2020, 2, 3), "SE", "120000", "SEK", "digital", "direct", "0"),
                      (date(2020, 3, 2), "SE", "100000", "SEK", "goods", "direct", "19000"),
                      (date(2026, 2, 2), "SE", "150000", "SEK", "goods", "direct", "0"))
    result = check(ledger, load_rules(), AS_OF, _euro_rates("SEK"), home="DE")
    e = next(f for f in result.findings if f.jurisdiction == "SE").exposure
    assert e.taxable_sales == D("27000") and e.tax.central == D("6750")
    assert e.tax_collected == 0 and e.uncollected.central == D("6750")


def test_tax_charged_on_a_category_the_state_does_not_tax_does_not_reduce_the_estimate():
    """Services are not taxable in US-ZZ, yet the orders charged USD 80 on USD 1,000 of them on 2026-02-02. By hand:
    5% on the USD 150,000 of goods is USD 7,500, of which USD 100 was charged on the goods; the 80 charged on the
    services is not tax on anything the estimate counts: USD 7,400 uncollected (before, 7,320)."""
    taxes = tax_book([rate("US-ZZ", "0.05")], [taxable("US-ZZ", "services", "no")])
    ledger = _charged((date(2026, 1, 5), "US-ZZ", "150000", "USD", "goods", "direct", "100"),
                      (date(2026, 2, 2), "US-ZZ", "1000", "USD", "services", "direct", "80"))
    found, _ = run(ledger, taxes)
    e = found["US-ZZ"].exposure
    assert e.tax.central == D("7500") and e.tax_collected == D("100") and e.uncollected.central == D("7400")


def test_penalties_and_interest_fall_on_the_tax_left_uncollected_not_on_the_tax_charged(monkeypatch):
    """The orders charged USD 3,000 of tax on January's USD 150,000 and USD 100 on May's USD 2,000 (5%: all of it).
    5% once if late, 10% a year simple. By hand, as of 2026-06-30: January's 7,500 of tax, 4,500 left uncollected,
    due 2026-02-20, 130 days late: penalty 5% of 4,500 = 225.00, interest 4,500 x 10% x 130/365; May's tax was
    charged in full: nothing late. Before, both fell on the whole tax (penalty 5% of 7,600 = 380.00), though the
    estimate's own uncollected tax, 4,500, leaves the tax charged out."""
    late = penalties.Lateness("US-ZZ", date(2018, 1, 1), None, None,
                              (penalties.Penalty(D("0.05"), None, "once", None, None, 0, "item", "5%"),), None,
                              (penalties.InterestPeriod(date(2018, 1, 1), None, D("0.10")),), "simple", (), "", "")
    monkeypatch.setattr(penalties, "lateness", lambda place, on: late if place == "US-ZZ" else None)
    ledger = _charged((date(2026, 1, 5), "US-ZZ", "150000", "USD", "goods", "direct", "3000"),
                      (date(2026, 5, 10), "US-ZZ", "2000", "USD", "goods", "direct", "100"))
    e = run(ledger, tax_book([rate("US-ZZ", "0.05")]))[0]["US-ZZ"].exposure
    assert (e.tax.central, e.tax_collected, e.uncollected.central) == (D("7600"), D("3100"), D("4500"))
    assert e.penalty == D("225.00")
    assert e.interest == D("4500") * D("0.10") * 130 / 365
    assert [(m.charged, m.penalty, m.interest) for m in e.months][1] == (D("100"), 0, 0)
    assert e.scenarios["base"].total == D("4500") + D("225.00") + D("4500") * D("0.10") * 130 / 365


def test_tax_charged_above_a_months_tax_is_not_carried_and_refunds_stay_netted():
    """5% in US-ZZ. January: USD 150,000 (the crossing sale) charged USD 8,000 of tax on 7,500: nothing left, 500
    charged above. February: a refund of USD 2,000, none charged or refunded: -100 of tax, netted as without a tax
    column (refunds net on their day). March: USD 4,000, none charged: 200. By hand: 0 - 100 + 200 = 100 not
    collected, 500 charged above the estimate. Before, January's 500 over-charge paid March's 200 (7,600 less 8,000:
    nothing); floored month by month, refunds and all, February's refund would be lost (200)."""
    ledger = _charged((date(2026, 1, 5), "US-ZZ", "150000", "USD", "goods", "direct", "8000"),
                      (date(2026, 2, 2), "US-ZZ", "-2000", "USD", "goods", "direct", "0"),
                      (date(2026, 3, 3), "US-ZZ", "4000", "USD", "goods", "direct", "0"))
    e = run(ledger, tax_book([rate("US-ZZ", "0.05")]))[0]["US-ZZ"].exposure
    by_month = [(m.uncollected.central, m.charged_above) for m in e.months]
    assert by_month == [(0, D("500")), (D("-100"), 0), (D("200"), 0)]
    assert e.uncollected == Range(D("100"), D("100"), D("100")) and e.charged_above == D("500")


@pytest.mark.parametrize("place", ["US-OK", "US-HI"])
def test_a_bundled_programme_whose_terms_were_not_read_keeps_every_month_and_both_charges(monkeypatch, place):
    """Oklahoma (68 O.S. s. 220(C), its voluntary disclosure agreements; the terms cut off in the text read) and Hawaii
    (a practitioner's outline of the Department's voluntary disclosure guidelines, secondary) have a programme whose
    look-back and waivers are unknown. Before 2026-12-06 both rows were 'unknown' and the VDA was 'not estimated'
    (no penalty, no interest). By hand, with a 5% once penalty and 10% a year: January's 7,500 of tax (5% of
    150,000), due 2026-02-20, 130 days to 30 June; May's 100 (5% of 2,000), due 2026-06-20, 10 days. Every month is
    kept from the first day tax was due, 2026-01-05, and no charge is waived: penalty 5% of 7,600 = 380.00."""
    late = penalties.Lateness("US-ZZ", date(2018, 1, 1), None, None,
                              (penalties.Penalty(D("0.05"), None, "once", None, None, 0, "item", "5%"),), None,
                              (penalties.InterestPeriod(date(2018, 1, 1), None, D("0.10")),), "simple", (), "", "")
    programme = penalties.disclosure(place, AS_OF)
    monkeypatch.setattr(penalties, "lateness", lambda where, on: late if where == "US-ZZ" else None)
    monkeypatch.setattr(penalties, "disclosure", lambda where, on: programme if where == "US-ZZ" else None)
    e = run(ledger_of(CROSS, (date(2026, 5, 10), "US-ZZ", "2000")), tax_book([rate("US-ZZ", "0.05")]))[0]["US-ZZ"]
    e = e.exposure
    january, may = D("7500"), D("100")
    interest = january * D("0.10") * 130 / 365 + may * D("0.10") * 10 / 365
    vda = e.scenarios["vda"]
    assert (vda.start, vda.tax.central, vda.penalty) == (date(2026, 1, 5), january + may, D("380.00"))
    assert vda.interest == interest
    assert vda.note == ("the programme's look-back is not known: every month is kept; penalties kept in full: whether "
                        "the programme waives them is not known; interest kept in full: whether the programme waives "
                        "them is not known")


def test_nevadas_bundled_programme_waives_penalty_and_interest_and_keeps_every_month(monkeypatch):
    """Nevada's row (NAC 360.446(1): 'shall not assess the penalty and interest set forth in NRS 360.300 on the
    entire amount of the tax liability'; no look-back limit read). Before 2026-12-06 the row was unknown and the
    VDA was 'not estimated'. By hand, with a 5% once penalty and 10% a year: base penalty 5% of January's 7,500 of
    tax = 375.00 and interest 7,500 x 10% x 130/365 (due 2026-02-20, 130 days to 30 June); the VDA keeps the
    7,500 of tax and neither charge."""
    late = penalties.Lateness("US-ZZ", date(2018, 1, 1), None, None,
                              (penalties.Penalty(D("0.05"), None, "once", None, None, 0, "item", "5%"),), None,
                              (penalties.InterestPeriod(date(2018, 1, 1), None, D("0.10")),), "simple", (), "", "")
    nevada = penalties.disclosure("US-NV", AS_OF)
    monkeypatch.setattr(penalties, "lateness", lambda place, on: late if place == "US-ZZ" else None)
    monkeypatch.setattr(penalties, "disclosure", lambda place, on: nevada if place == "US-ZZ" else None)
    e = run(ledger_of(CROSS), tax_book([rate("US-ZZ", "0.05")]))[0]["US-ZZ"].exposure
    assert e.penalty == D("375.00") and e.interest == D("7500") * D("0.10") * 130 / 365
    vda = e.scenarios["vda"]
    assert (vda.tax.central, vda.penalty, vda.interest) == (D("7500"), 0, 0)
    assert vda.note == "the programme's look-back is not known: every month is kept; penalties and interest waived"


def test_new_yorks_three_year_look_back_keeps_only_the_months_since_june_2023(monkeypatch):
    """New York's bundled row: the Department's limited look-back for 'Mistake, confusion, ignorance of the law' is
    three years (tax.ny.gov, Voluntary Disclosure and Compliance Program - Limited Look-Back), penalties waived (Tax
    Law 1700), interest reduced in part (kept in full). Before 2026-12-06 the look-back was not known and every month
    was kept. Orders: USD 150,000 on 2023-01-05 (meets the test), 1,000 on 2023-03-10, 2,000 on 2024-05-10; 5% tax,
    5% once if late, 10% a year. By hand, as of 2026-06-30: 36 months back from June 2026 is 2023-06-01, so January
    (7,500) and March 2023 (50) fall outside and May 2024 (100) alone is kept: tax 100.00, no penalty, interest on
    100 due 2024-06-20 for the 740 days to 2026-06-30 at 10% = 20.27; the disclosure runs from 2023-06-01."""
    late = penalties.Lateness("US-ZZ", date(2018, 1, 1), None, None,
                              (penalties.Penalty(D("0.05"), None, "once", None, None, 0, "item", "5%"),), None,
                              (penalties.InterestPeriod(date(2018, 1, 1), None, D("0.10")),), "simple", (), "", "")
    new_york = penalties.disclosure("US-NY", AS_OF)
    monkeypatch.setattr(penalties, "lateness", lambda place, on: late if place == "US-ZZ" else None)
    monkeypatch.setattr(penalties, "disclosure", lambda place, on: new_york if place == "US-ZZ" else None)
    ledger = ledger_of((date(2023, 1, 5), "US-ZZ", "150000"), (date(2023, 3, 10), "US-ZZ", "1000"),
                       (date(2024, 5, 10), "US-ZZ", "2000"))
    e = run(ledger, tax_book([rate("US-ZZ", "0.05")]))[0]["US-ZZ"].exposure
    assert e.tax.central == D("7650") and e.penalty == D("382.50")  # the base keeps all three months: 5% of 7,650
    vda = e.scenarios["vda"]
    assert (vda.start, vda.end) == (date(2023, 6, 1), AS_OF)
    assert (round(vda.tax.central, 2), vda.penalty) == (D("100.00"), 0)  # 7,650 scaled to May's share, 100/7,650
    assert vda.interest == D("100") * D("0.10") * 740 / 365 and round(vda.total, 2) == D("120.27")
    assert vda.note == ("look-back of 36 months: months from 2023-06-01; penalties waived; interest kept in full: "
                        "the programme reduces them in part, by terms not estimated")


def test_a_charge_the_data_cannot_estimate_is_not_said_to_be_kept_in_full(monkeypatch):
    """South Korea's bundled row: art. 48(2)(ii)'s reduction of a late return's penalty is 'partial' and the late-payment
    charge is not reduced; here the data holds neither figure (no penalties row). Before, the note said 'penalties
    kept in full: the programme reduces them in part, by terms not estimated; penalties and interest due, not
    estimated': the penalty was both 'kept in full' and left out of the total (as Japan's and Korea's notes read on
    the sample before their penalties rows). By hand: January's 7,500 of tax (5% of 150,000) is the scenario's total,
    tax alone; penalty and interest None."""
    korea = penalties.disclosure("KR", AS_OF)
    monkeypatch.setattr(penalties, "lateness", lambda place, on: None)
    monkeypatch.setattr(penalties, "disclosure", lambda place, on: korea if place == "US-ZZ" else None)
    vda = run(ledger_of(CROSS), tax_book([rate("US-ZZ", "0.05")]))[0]["US-ZZ"].exposure.scenarios["vda"]
    assert (korea.penalties_waived, korea.interest_waived) == ("partial", "no")
    assert (vda.tax.central, vda.penalty, vda.interest, vda.total) == (D("7500"), None, None, D("7500"))
    assert vda.note == ("no look-back of its own: every month of tax due is kept; penalties and interest due, "
                        "not estimated")


def test_an_estimate_says_where_the_average_local_rate_is_not_in_the_data(write):
    """South Dakota's test (from 2018-11-01) is met by USD 100,000.01 sold on 2018-03-01; USD 1,000 more on
    2018-12-03 is taxed. data/tax-rates.json gives South Dakota's state rate for 2018 (4.5%) but no average local
    rate (the Tax Foundation edition of January 2019 is the first read), though it gives one for 2019-01-01 to
    2019-06-30 (1.9%). So the central estimate on the December sale is USD 45.00 (1,000 x 4.5%), the state rate alone,
    as low and high: the estimate must say so, not present USD 45.00 as state plus local."""
    import json

    from click.testing import CliRunner

    from nexus.cli import cli

    orders = write("o.csv", "date,country,region,amount,currency,category\n2018-03-01,US,SD,100000.01,USD,goods\n"
                            "2018-12-03,US,SD,1000.00,USD,goods\n")
    data = json.loads(CliRunner().invoke(cli, ["check", "--sales", orders, "--as-of", "2019-01-14", "--format",
                                               "json"], catch_exceptions=False).stdout)
    sd = next(f for f in data["findings"] if f["jurisdiction"] == "US-SD")["exposure"]
    assert sd["tax"] == {"low": "45.00", "central": "45.00", "high": "45.00"}
    assert ("The average local rate of US-SD is not in the data from 2018-01-01 to 2018-12-31: the central and high "
            "figures for those days are the state rate alone, without local taxes.") in sd["assumptions"]


def test_japan_adds_five_percent_for_a_late_return_and_delinquency_tax_at_each_year_s_lower_rate():
    """Japan's row had no figures: 'not estimated'. Now the 無申告加算税 for a return filed of the seller's own accord
    before any notice of an examination, 5% (Act on General Rules for National Taxes art. 66), and the 延滞税 at the
    lower rate of each year, since a late return's due date of payment is the day it is filed (art. 60(2)): 2.4% for
    2022-2025, 2.8% for 2026. By hand, JPY 100,000 of consumption tax for August 2025, due (as nexus assumes) on
    2025-09-20, filed and paid on 2026-10-31: penalty 5% = 5,000; interest for the 102 days 2025-09-21 to 2025-12-31 at
    2.4% and the 304 days of 2026 to 2026-10-31 at 2.8%: 100,000 x (0.024 x 102 + 0.028 x 304) / 365 = 100,000 x
    10.96 / 365 = 3,002.74 (the NTA rounds the 延滞税 down to JPY 100: 3,000; not modelled, the notes say so). Neither
    過少申告加算税 nor 不納付加算税 applies to a seller that filed no return: no late-payment penalty."""
    japan = penalties.lateness("JP", date(2026, 10, 31))
    assert japan.late_payment is None and japan.interest_method == "simple"
    # The 5% rests on the Act's own text (art. 66(5) as of 2012, in a copy of the e-Gov text), read first.
    assert japan.confidence == "official" and japan.sources[0].endswith("/S37HO066.rst")
    assert penalties.penalty(japan, D("100000"), 406) == D("5000.00")
    assert round(penalties.interest(japan, D("100000"), date(2025, 9, 20), date(2026, 10, 31)), 2) == D("3002.74")
    # 2018 to 2020 at 2.6% and 2021 at 2.5%: JPY 100,000 due 2020-12-20, paid 2021-01-10: 11 days at 2.6% and 10 at
    # 2.5%, 100,000 x (0.286 + 0.25) / 365 = 146.85.
    assert round(penalties.interest(japan, D("100000"), date(2020, 12, 20), date(2021, 1, 10)), 2) == D("146.85")


def test_korea_adds_twenty_percent_for_a_return_not_filed_and_the_daily_late_payment_charge():
    """South Korea's row had no figures: 'not estimated'. Now the 무신고가산세 of the Framework Act on National Taxes
    art. 47-2(1), 20% of the tax the return should have paid, and the daily 납부지연가산세 of art. 47-4(1)1, 0.022% a
    day from 2022-02-16 (entered as 8.03% a year over 365 days). By hand, KRW 1,000,000 of VAT for August 2025, due (as
    nexus assumes) 2025-09-20, paid 2026-10-31: penalty 20% = 200,000; late payment for the 406 days from 2025-09-21:
    1,000,000 x 0.00022 x 406 = 89,320. A return due before 2022-02-16, when the rate was 0.025% from a day not read,
    is not estimated."""
    korea = penalties.lateness("KR", date(2026, 10, 31))
    assert korea.late_payment is None
    assert penalties.penalty(korea, D("1000000"), 406) == D("200000.00")
    assert penalties.interest(korea, D("1000000"), date(2025, 9, 20), date(2026, 10, 31)) == D("89320")
    assert penalties.interest(korea, D("1000000"), date(2021, 9, 20), date(2022, 3, 31)) is None


def test_refunds_beyond_the_sales_left_uncharged_take_the_estimate_to_nothing_not_below():
    """5% in US-ZZ. January: USD 150,000 (the crossing sale) charged its USD 7,500 in full: nothing left. February: a
    refund of USD 2,000, none refunded of the tax: -100, netted against January's nothing. By hand: tax 7,400 (7,500 -
    100), of which nothing left uncollected: the place's -100 is no credit (before, -100 not collected, in the total
    too)."""
    ledger = _charged((date(2026, 1, 5), "US-ZZ", "150000", "USD", "goods", "direct", "7500"),
                      (date(2026, 2, 2), "US-ZZ", "-2000", "USD", "goods", "direct", "0"))
    found, result = run(ledger, tax_book([rate("US-ZZ", "0.05")]))
    e = found["US-ZZ"].exposure
    assert [m.uncollected.central for m in e.months] == [0, D("-100")]
    assert e.tax == Range(D("7400"), D("7400"), D("7400")) and e.uncollected == Range(D(0), D(0), D(0))
    assert e.uncollected_note.startswith("refunds in the period exceed its sales: no tax at stake")
    assert e.scenarios["base"].total == 0 and result.exposure_total.tax.central == 0


def test_a_voluntary_disclosure_whose_months_kept_hold_more_refunds_than_sales_discloses_no_tax(monkeypatch):
    """5% in US-ZZ; a programme looking back 3 months from June (months from 2026-03-01), waiving both charges.
    January: USD 150,000 (7,500); May: a refund of USD 4,000 (-200). Base: 7,300. The disclosure keeps May alone:
    -200, so no tax to disclose, 0 and said (before, -200); the base, whose months add up above zero, says nothing."""
    programme = penalties.Disclosure("US-ZZ", date(2018, 1, 1), None, "state", 3, "yes", "yes", (), "", "")
    monkeypatch.setattr(penalties, "disclosure", lambda place, on: programme if place == "US-ZZ" else None)
    ledger = ledger_of(CROSS, (date(2026, 5, 10), "US-ZZ", "-4000", "USD", "goods", "direct", "refund"))
    e = run(ledger, tax_book([rate("US-ZZ", "0.05")]))[0]["US-ZZ"].exposure
    assert e.uncollected.central == D("7300") and e.uncollected_note == ""
    vda = e.scenarios["vda"]
    assert vda.tax == Range(D(0), D(0), D(0)) and vda.total == 0
    assert vda.note == ("look-back of 3 months: months from 2026-03-01; penalties and interest waived; refunds in the "
                        "months kept exceed their sales: no tax to disclose; the refunds of sales made before them are "
                        "not a credit")
