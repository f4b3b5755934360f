"""Past windows of potential exposure under rules no longer in force (nexus.lapsed), through nexus.check.check.

The figures are worked by hand: SEK 10 and USD 1.25 to the euro every day (so SEK 1 = USD 0.125), Sweden's VAT 25%.
"""
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from nexus import presence
from nexus.check import check
from nexus.errors import Location
from nexus.fx import parse_rates
from nexus.rules import RuleBook, load_rules
from nexus.orders import Order
from nexus.ledger import Ledger

D = Decimal
AS_OF = date(2026, 6, 30)
SCHEME = "distance selling (goods, before 2021-07)"
#: A German seller's goods into Sweden in 2020: SEK 350,000 by 2020-09-01 passes SEK 320,000 that day, so VAT of
#: Sweden is due from the crossing sale: SEK 150,000 + 50,000 = 200,000 of sales, SEK 50,000 of tax.
SWEDEN_2020 = ((date(2020, 3, 2), "SE", "200000", "SEK", "goods"), (date(2020, 9, 1), "SE", "150000", "SEK", "goods"),
               (date(2020, 11, 2), "SE", "50000", "SEK", "goods"))


def ledger_of(*rows):
    """rows: (day, place, amount, currency, category[, channel[, tax charged]])."""
    ledger = Ledger()
    for i, (day, place, amount, code, category, *rest) in enumerate(rows):
        channel, tax = (list(rest) + ["direct", "0"][len(rest):])[:2]
        ledger.add(Order(f"o{i}", day, place, D(amount), code, channel, "sale", "no", category, Location("t.csv"),
                         tax=D(tax)))
        ledger.rows_read += 1
    return ledger


def rates():
    """SEK 10, GBP 0.9 and USD 1.25 to the euro every third day from 2020 to 2026."""
    rows = "".join(f"{date(2020, 1, 1) + timedelta(days=i)},10.0,0.9,1.25,\n" for i in range(0, 2600, 3))
    return parse_rates(("Date,SEK,GBP,USD,\n" + rows).encode(), "rates.csv")


def run(*rows, as_of=AS_OF, home="DE", rules=None):
    return check(ledger_of(*rows), rules or load_rules(), as_of, rates(), home=home)


def test_sweden_crossed_in_2020_checked_in_2026_lists_the_past_window_with_its_figures():
    result = run(*SWEDEN_2020)
    assert not [f for f in result.findings if f.jurisdiction == "SE"]  # no rule of Sweden's is in force in 2026
    past, = result.past_windows
    assert (past.jurisdiction, past.rule.scheme, past.rule.sales_threshold) == ("SE", SCHEME, D(320000))
    assert past.ended == date(2021, 6, 30)  # no longer in force from 2021-07-01
    assert (past.start, past.end) == (date(2020, 9, 1), date(2021, 6, 30))
    assert past.sales == D("200000.00")
    e = past.exposure
    assert (e.currency, e.start, e.end) == ("SEK", date(2020, 9, 1), date(2021, 6, 30))
    assert e.taxable_sales == D("200000") and e.uncollected.central == D("50000")
    assert e.reporting.central == D("6250")  # SEK 50,000 at USD 0.125
    assert e.scenarios["registered_now"].tax.central == 0  # nothing grows: the window has ended
    assert past.successor == "EU (union-wide threshold) (> EUR 10,000)"
    said = past.describe()
    assert "no longer in force from 2021-07-01" in said and "Past tax only: no new tax accrues" in said
    assert "may still be owed while it can be assessed" in said
    # Sweden's six years from the end of the tax year (SFL 66 kap. 27 §): 2020's VAT to 2026-12-31, 2021's to 2027.
    assert (past.limits.status, past.limits.first_ends, past.limits.last_ends) == (
        "running", date(2026, 12, 31), date(2027, 12, 31))
    assert said.endswith("Period of limitation: " + past.limitation)
    # The total includes it, and says how much of it is past.
    t = result.exposure_total
    assert t.tax.central == D("6250") and t.past.central == D("6250") and t.past_windows == 1
    assert t.past_words() == "of which USD 6,250.00 in 1 past window under rules no longer in force"


def test_checked_on_the_last_day_of_2020_the_rule_in_force_gives_a_finding_not_a_past_window():
    result = run(*SWEDEN_2020, as_of=date(2020, 12, 31))
    assert result.past_windows == ()
    se, = [f for f in result.findings if f.jurisdiction == "SE"]
    assert se.scheme == SCHEME and se.nexus == "economic" and se.exposure.uncollected.central == D("50000")
    assert result.exposure_total.tax.central == D("6250") and result.exposure_total.past_windows == 0


def test_a_window_that_continues_under_the_union_wide_test_is_counted_once():
    # Sales into Sweden again in 2026 (SEK 150,000 = EUR 15,000) pass the EU's EUR 10,000: Sweden's VAT from
    # 2026-02-02 on EUR 15,000, EUR 3,750 (USD 4,687.50); the 2020 sales also met the EU's test from its first day,
    # 2021-07-01, to 2021-12-31 (no sales then). The past window stops on 2021-06-30: nothing counted twice.
    result = run(*SWEDEN_2020, (date(2026, 2, 2), "SE", "150000", "SEK", "goods"))
    se, = [f for f in result.findings if f.jurisdiction == "SE"]
    assert se.part_of == "EU" and se.exposure.uncollected.central == D("3750")
    assert min(w.since for w in se.timing.windows) == date(2021, 7, 1)
    past, = result.past_windows
    assert past.end == date(2021, 6, 30) and past.exposure.uncollected.central == D("50000") and not past.overlap
    assert result.exposure_total.tax.central == D("10937.50")  # USD 4,687.50 + 6,250.00
    assert result.exposure_total.past.central == D("6250")


def test_goods_in_2020_are_the_distance_selling_windows_and_e_books_the_unions():
    # E-books into Sweden in 2020 (SEK 120,000 = EUR 12,000) pass the EU's EUR 10,000 for e-services on 2020-02-03:
    # Sweden's current finding (the 2026 sales) estimates them, EUR 3,000, with the 2026 goods, EUR 3,750. That
    # threshold reached no goods before 2021-07-01 (before, the finding taxed 2020's goods too, from 2020-02-03): the
    # goods are the past window's, SEK 50,000 (USD 6,250), from the day Sweden's SEK 320,000 was passed.
    result = run((date(2020, 2, 3), "SE", "120000", "SEK", "digital"), *SWEDEN_2020,
                 (date(2026, 2, 2), "SE", "150000", "SEK", "goods"))
    se, = [f for f in result.findings if f.jurisdiction == "SE"]
    assert se.exposure.taxable_sales == D("27000") and se.exposure.uncollected.central == D("6750")
    past, = result.past_windows
    assert past.exposure.uncollected.central == D("50000") and not past.overlap
    assert result.exposure_total.tax.central == D("14687.5")  # USD 8,437.50 + 6,250.00


def test_days_a_current_finding_already_estimates_are_left_out_of_the_past_window():
    # A warehouse in Sweden from 2020-10-01 makes the business local there: Sweden's current finding estimates every
    # sale from that day (SEK 50,000 on 2020-11-02, EUR 5,000 at 25%, EUR 1,250, with 2026's EUR 3,750). The past
    # window keeps 2020-09-01 to 2020-09-30 (SEK 150,000: SEK 37,500), and names the days left out.
    stock = presence.Item("warehouse", "SE", "leased", True, "storage", date(2020, 10, 1), None, "",
                          Location("p.csv", 2))
    result = check(ledger_of(*SWEDEN_2020, (date(2026, 2, 2), "SE", "150000", "SEK", "goods")), load_rules(), AS_OF,
                   rates(), home="DE", presence=presence.assess([stock], AS_OF))
    se, = [f for f in result.findings if f.jurisdiction == "SE"]
    assert se.exposure.uncollected.central == D("5000")
    past, = result.past_windows
    assert past.overlap == ((date(2020, 10, 1), date(2021, 6, 30), se.label),)
    assert (past.exposure.start, past.exposure.end) == (date(2020, 9, 1), date(2020, 9, 30))
    assert past.exposure.uncollected.central == D("37500") and past.sales == D("200000.00")
    assert "not counted again" in past.describe()
    assert result.exposure_total.tax.central == D("10937.5")  # EUR 5,000 x 1.25 + SEK 37,500 x 0.125


def test_a_uk_sellers_distance_sales_ended_when_the_uk_left_the_eus_vat_area():
    result = run(*SWEDEN_2020, home="GB")
    past, = result.past_windows
    assert past.ended == date(2020, 12, 31) and (past.start, past.end) == (date(2020, 9, 1), date(2020, 12, 31))
    assert past.exposure.uncollected.central == D("50000")


def test_a_uk_seller_checked_in_2021_before_the_rule_ended_for_others_still_sees_its_2020_window():
    # Sweden's threshold was in force to 2021-06-30, but for sellers in another member state: not the UK's in 2021.
    past, = run(*SWEDEN_2020, as_of=date(2021, 3, 31), home="GB").past_windows
    assert (past.start, past.end) == (date(2020, 9, 1), date(2020, 12, 31))
    assert past.exposure.uncollected.central == D("50000")


def test_a_seller_outside_the_eu_is_not_under_the_distance_selling_thresholds():
    assert run(*SWEDEN_2020, home="US").past_windows == ()
    assert run(*SWEDEN_2020, home=None).past_windows == ()


def test_a_past_window_before_the_first_order_is_not_listed():
    # Orders from 2022 on only: the data cannot show a 2020 crossing.
    assert run((date(2022, 1, 3), "SE", "500000", "SEK", "goods")).past_windows == ()


def split_sweden(on, before=None, after=None):
    """The bundled rules with Sweden's distance-selling threshold cut into two versions at ``on``, each changed as
    ``before`` and ``after`` say: a rule whose test stayed the same while who collects on a marketplace's sales, or
    what it reaches, changed."""
    rules = []
    for rule in load_rules().rules:
        if rule.jurisdiction == "SE" and rule.scheme == SCHEME:
            rules += [replace(rule, effective_to=on - timedelta(days=1), **(before or {})),
                      replace(rule, effective_from=on, **(after or {}))]
        else:
            rules.append(rule)
    book = load_rules()
    return RuleBook(tuple(rules), book.title, book.published)


def test_a_past_window_takes_each_days_marketplace_setting_from_the_version_then_in_force():
    # SEK 350,000 of direct sales by 2020-03-02 pass SEK 320,000 that day: Swedish VAT from that sale, SEK 150,000.
    # Until 2020-06-30 the version in force counts marketplace sales as the seller's own: the SEK 100,000 sold on a
    # marketplace on 2020-05-04 is taxed. From 2020-07-01 the marketplace is the deemed supplier and collects: the
    # SEK 40,000 of 2020-09-01 is not the seller's. SEK 250,000 at 25%: SEK 62,500 (USD 7,812.50). Before, one
    # version's setting was applied to every day of the window.
    rows = ((date(2020, 1, 6), "SE", "200000", "SEK", "goods"), (date(2020, 3, 2), "SE", "150000", "SEK", "goods"),
            (date(2020, 5, 4), "SE", "100000", "SEK", "goods", "marketplace"),
            (date(2020, 9, 1), "SE", "40000", "SEK", "goods", "marketplace"))
    past, = run(*rows, rules=split_sweden(date(2020, 7, 1), after={"marketplace": "excluded"})).past_windows
    assert (past.start, past.end) == (date(2020, 3, 2), date(2021, 6, 30))
    e = past.exposure
    assert e.taxable_sales == D("250000") and e.uncollected.central == D("62500")
    assert e.reporting.central == D("7812.5")


def test_a_past_window_taxes_each_days_sales_in_the_categories_of_the_version_then_in_force():
    # A version to 2020-09-30 that also reached e-books, and one from 2020-10-01 that reaches goods alone. The goods
    # pass SEK 320,000 on 2020-09-01 (SEK 50,000 of VAT, as above); the e-books of 2020-09-15 (SEK 20,000) are in the
    # scope of the version then in force, SEK 5,000, those of 2020-10-15 (SEK 20,000) are not. SEK 55,000 (before,
    # the version met decided every day: SEK 60,000).
    rules = split_sweden(date(2020, 10, 1), before={"categories": ("goods", "digital")})
    past, = run(*SWEDEN_2020, (date(2020, 9, 15), "SE", "20000", "SEK", "digital"),
                (date(2020, 10, 15), "SE", "20000", "SEK", "digital"), rules=rules).past_windows
    assert (past.start, past.end) == (date(2020, 9, 1), date(2021, 6, 30))
    e = past.exposure
    assert e.taxable_sales == D("220000") and e.uncollected.central == D("55000")


def test_tax_charged_on_sales_the_past_window_does_not_estimate_does_not_reduce_it():
    # SEK 40,000 sold on 2020-10-01 with no category, German VAT of SEK 6,400 charged on it: its taxability is
    # unknown, so it is listed as not estimated, and the tax charged on it is not set against the SEK 50,000 of
    # VAT on the goods (before, SEK 43,600 was left).
    past, = run(*SWEDEN_2020, (date(2020, 10, 1), "SE", "40000", "SEK", "unknown", "direct", "6400")).past_windows
    e = past.exposure
    assert e.tax.central == D("50000") and e.tax_collected == 0 and e.uncollected.central == D("50000")
    assert list(e.not_estimated.values()) == [D("40000")]


def test_a_past_window_whose_refunds_exceed_its_sales_has_no_tax_at_stake():
    # Sweden's SEK 320,000 passed on 2020-09-01 (SEK 350,000 by then): the window's sales are SEK 150,000 that day and
    # 50,000 on 2020-11-02; on 2021-01-05 SEK 250,000 of 2020's sales are refunded (2020's SEK 400,000 keep the window
    # open to 2021-06-30): -50,000, at 25% SEK -12,500. Nothing at stake, not a credit (before: SEK -12,500, USD
    # -1,562.50, in the total).
    result = run(*SWEDEN_2020, (date(2021, 1, 5), "SE", "-250000", "SEK", "goods"))
    past, = result.past_windows
    e = past.exposure
    assert (e.start, e.end) == (date(2020, 9, 1), date(2021, 6, 30))
    assert e.taxable_sales == D("-50000") and e.months[-1].tax.central == D("-250000") * D("0.25")
    assert e.uncollected.central == 0 and e.tax.central == 0 and e.reporting.central == 0
    assert e.scenarios["base"].total == 0 and e.scenarios["vda"].total == 0
    assert e.uncollected_note.startswith("refunds in the period exceed its sales: no tax at stake")
    assert result.exposure_total.tax.central == 0
