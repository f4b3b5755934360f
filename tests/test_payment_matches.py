"""A payment provider's export read beside the store's: the store's orders paid through the provider are matched by
the payment's id and counted once (nexus.payment_matches). The files and every figure: tests/payment_pairs.py."""
from __future__ import annotations

import csv
import itertools
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import account
from test_migration import changed
from nexus.read_options import ReadOptions
from nexus.orders import RepeatedOrder
from nexus.ledger import file_account
from nexus.sales import read_sales
from payment_pairs import (EXPORTS, _charge, _header, _woo, _write, paypal_activity, shopify_orders, stripe_payments,
                           woo_export, woocommerce_orders)

D = Decimal


def by_place(ledger) -> dict[str, tuple[str, Decimal, int]]:
    """Per jurisdiction: the currency, net sales and transactions."""
    out: dict[str, tuple[str, Decimal, int]] = {}
    for (place, _day, currency, *_rest), (amount, count) in ledger.totals.items():
        _code, total, n = out.get(place, (currency, D(0), 0))
        out[place] = (currency, total + amount, n + count)
    return out


def refunds(ledger) -> dict[tuple[str, str], Decimal]:
    """The refunds and chargebacks counted, per (jurisdiction, day)."""
    out: dict[tuple[str, str], Decimal] = {}
    for (place, day, _currency, _channel, kind, *_rest), (amount, _count) in ledger.totals.items():
        if kind == "refund":
            out[(place, day.isoformat())] = out.get((place, day.isoformat()), D(0)) + amount
    return out


@pytest.fixture
def woo_stripe(tmp_path):
    return woocommerce_orders(tmp_path), stripe_payments(tmp_path)


@pytest.fixture
def shopify_paypal(tmp_path):
    return shopify_orders(tmp_path), paypal_activity(tmp_path)


@pytest.mark.parametrize("reverse", [False, True])
def test_a_woocommerce_store_s_orders_paid_through_stripe_are_counted_once(woo_stripe, reverse):
    """Before, Stripe's copies counted again: Washington 278.00 in 5 transactions, JP JPY 21,000 in 2, Oregon 75.00
    in 2 (3003's sale where its card is billed, its chargeback there too). Now Washington 120.00 in 3, JP JPY 10,000
    in 1, Oregon 75.00 (the invoice) in 1, whichever file comes first."""
    files = list(woo_stripe)[::-1] if reverse else list(woo_stripe)
    ledger = read_sales(files)
    assert by_place(ledger) == {"US-WA": ("USD", D("120.00"), 3), "JP": ("JPY", D("10000"), 1),
                                "US-OR": ("USD", D("75.00"), 1)}
    # The dispute Stripe lost on 3003: its 54.00 less the order's 4.00 of tax, where the order shipped (not where
    # the card is billed); WooCommerce's own refund of 3002, which Stripe's Amount Refunded repeats, once.
    assert refunds(ledger) == {("US-WA", "2025-08-05"): D("-50.00"), ("JP", "2025-07-10"): D("-5000")}
    assert ledger.summary() == account(10, 5, duplicates=4, left_out=1)
    woo, stripe = woo_stripe
    assert {f["file"]: (f["rows"], f["used"], f["duplicates"], f["left_out"]) for f in file_account(ledger)} == \
        {woo: (5, 4, 0, 1), stripe: (5, 1, 4, 0)}


def test_each_matched_payment_is_listed_naming_both_files_and_lines(woo_stripe):
    woo, stripe = woo_stripe
    listed = [(d.file, d.line, d.column, d.value, d.reason) for d in read_sales([woo, stripe]).duplicates]
    assert listed[0] == (stripe, 2, "id", "ch_3PA0001",
                         f"payment 'ch_3PA0001' is the payment of order '3001' at {woo}:2 (a WooCommerce order export, "
                         f"its transaction_id): one sale in two exports, counted once, from the store's export")
    assert listed[1][:4] == (stripe, 3, "id", "ch_3PA0002")  # by its PaymentIntent ID, pi_3PA0002
    assert listed[2][4] == (f"refund of payment 'ch_3PA0002', the payment of order '3002' at {woo}:3, whose refunds "
                            f"there hold it: counted once, from the store's export")
    assert listed[4][4] == (f"payment 'ch_3PA0004' is the payment of the order at {woo}:5 (a WooCommerce order "
                            f"export), which the store's export leaves out (cancelled (status cancelled)): not "
                            f"counted, as the store's export says")
    assert [d[:2] for d in listed] == [(stripe, 2), (stripe, 3), (stripe, 3), (stripe, 4), (stripe, 5), (stripe, 5)]


def test_the_run_says_how_many_payments_match_no_order_and_how_much(woo_stripe):
    woo, stripe = woo_stripe
    ledger = read_sales([woo, stripe])
    assert [a for a in ledger.assumptions if a.startswith(stripe)] == [
        f"{stripe} (a Stripe payments export) is matched to {woo} by the payment's id: 4 payments are of orders "
        f"there, counted from the store's export alone (listed among the duplicates); 1 payment (USD 75.00 of sales) "
        f"matches no order and is counted as a sale of its own (made outside the store: an invoice, a payment link); "
        f"1 refund or chargeback of those orders that the store's export does not hold is counted on its own date, "
        f"at the order's place, as a refund of the sale on the order's date"]
    assert not [w for w in ledger.warnings if "counted twice" in w]


@pytest.mark.parametrize("reverse", [False, True])
def test_a_shopify_store_s_orders_paid_through_paypal_are_counted_once(shopify_paypal, reverse):
    """#1001 by its Transaction ID, #1002 by the Invoice Number PayPal carries: California 50.00 - 25.00 (PayPal's
    refund, which Shopify does not hold) = 25.00 in 1, JP JPY 5,000 in 1, Washington 30.00, New York 40.00 (the
    invoice). Before: California 50.00 + 50.00 - 27.00 = 73.00 in 2, JP JPY 10,000 in 2 (each copy 5,000).

    #1002's refund of JPY 5,500 is in both: Shopify's Refunded Amount, a running total on the order's date
    (2025-08-15), and PayPal's refund row, dated 2025-08-20. The dated one counts, on its own day, and the running
    total gives way to it (PayPal's row is used, not a duplicate); before 2026-12-07 it was the other way round, the
    refund on 2025-08-15 and PayPal's row a duplicate."""
    files = list(shopify_paypal)[::-1] if reverse else list(shopify_paypal)
    ledger = read_sales(files)
    assert by_place(ledger) == {"US-CA": ("USD", D("25.00"), 1), "JP": ("JPY", D("5000"), 1),
                                "US-WA": ("USD", D("30.00"), 1), "US-NY": ("USD", D("40.00"), 1)}
    assert refunds(ledger) == {("US-CA", "2025-08-25"): D("-25.00"), ("JP", "2025-08-20"): D("-5000")}
    shopify, paypal = shopify_paypal
    assert {f["file"]: (f["rows"], f["used"], f["duplicates"]) for f in file_account(ledger)} == \
        {shopify: (4, 4, 0), paypal: (5, 3, 2)}


#: #1002 (JPY 11,000 with 1,000 of tax) refunded through PayPal in two refunds, JPY 3,300 on 2025-08-20 and 2,200 on
#: 2025-08-28, each a row of PayPal's download. What Shopify's Refunded Amount says of them (a running total on the
#: order's date, 2025-08-15), and the refunds counted in Japan by day (net of tax: 10,000 / 11,000 of each).
RUNNING_TOTALS = [
    # The sum of the two: each on its own day. Before 2026-12-07: 5,000 on 2025-08-15, PayPal's rows duplicates.
    ("5500", {("JP", "2025-08-20"): D("-3000"), ("JP", "2025-08-28"): D("-2000")}),
    # 1,100 more than they add up to: that rest on the order's date, and said. Before: 6,000 on 2025-08-15.
    ("6600", {("JP", "2025-08-15"): D("-1000"), ("JP", "2025-08-20"): D("-3000"), ("JP", "2025-08-28"): D("-2000")}),
    # Less than they add up to: both count. Before: 3,000 on 2025-08-15 and 2,000 on 2025-08-20 (the 2,200 of
    # 2025-08-28, read first, taken for part of Shopify's 3,300, and the rest of it for part of the 3,300 of 08-20).
    ("3300", {("JP", "2025-08-20"): D("-3000"), ("JP", "2025-08-28"): D("-2000")}),
]


@pytest.mark.parametrize("refunded, expected", RUNNING_TOTALS)
@pytest.mark.parametrize("reverse", [False, True])
def test_a_store_s_running_total_gives_way_to_the_provider_s_dated_refunds_whichever_file_comes_first(
        tmp_path, refunded, expected, reverse):
    from payment_pairs import _header, _paypal, _write

    shopify = changed(Path(shopify_orders(tmp_path)), tmp_path / "orders_export_refunded.csv", 4,
                      Refunded_Amount=refunded)
    rows = [
        _paypal("08/28/2025", "高橋 美咲", "Payment Refund", "JPY", "-2200", "-200", "0", "3RR33333RR3333334",
                reference="2BB22222BB2222222", invoice="c29000000002.1"),
        _paypal("08/20/2025", "高橋 美咲", "Payment Refund", "JPY", "-3300", "-300", "0", "3RR33333RR3333333",
                reference="2BB22222BB2222222", invoice="c29000000002.1"),
        _paypal("08/15/2025", "高橋 美咲", "Express Checkout Payment", "JPY", "11000", "1000", "0",
                "2BB22222BB2222222", invoice="c29000000002.1", place=("大阪市北区", "大阪府", "JP")),
    ]
    paypal = _write(tmp_path / "Download.CSV", _header("paypal-activity.csv"), rows, quote_all=True)
    ledger = read_sales([paypal, shopify] if reverse else [shopify, paypal])
    assert {k: v for k, v in refunds(ledger).items() if k[0] == "JP"} == expected
    assert by_place(ledger)["JP"] == ("JPY", D(10000) + sum(expected.values()), 1)
    assert [a.split(": ", 1)[1].split("; ")[-1] for a in ledger.assumptions if a.startswith(paypal)] == [
        "2 refunds of orders whose store's export gives their refunds only as a running total on the order's date are "
        "counted on their own dates instead, at the order's place, the running total only for what it says beyond "
        "them"]
    said = [a for a in ledger.assumptions if a.startswith("1 running total")]
    assert said == (["1 running total(s) refunded in a Shopify orders export say more than the dated refunds of the "
                     "same orders in a PayPal activity download ('#1002': JPY 1,100 more than its 2 dated refund(s)): "
                     "the rest is counted on the order's date, as a refund a PayPal activity download did not "
                     "record"] if refunded == "6600" else [])


def test_a_provider_s_refund_the_store_does_not_hold_takes_the_order_s_category_and_tax(shopify_paypal):
    """PayPal's 27.00 refund of #1001, no tax written on its row: split as the order is (54.00 = 45.00 + 5.00
    shipping + 4.00 tax): 25.00 of sales of goods (Shopify's lines require shipping), 2.50 of them shipping, 2.00
    tax, so a state counting goods only counts it with its sale."""
    ledger = read_sales(list(shopify_paypal))
    california = {key[4:]: total for key, total in ledger.totals.items() if key[0] == "US-CA"}
    assert california == {("refund", "no", "goods"): [D("-25.00"), 0], ("sale", "no", "goods"): [D("50.00"), 1]}
    assert {key[4:]: charged for key, charged in ledger.charge_totals.items() if key[0] == "US-CA"} == \
        {("refund", "no", "goods"): [D("-2.50"), D("-2.00")], ("sale", "no", "goods"): [D("5.00"), D("4.00")]}


def test_a_store_export_that_names_no_payment_keeps_the_warning(tmp_path):
    """WooCommerce's export without transaction_id (the extension's Default formats): nothing to match by."""
    woo = woocommerce_orders(tmp_path)
    with open(woo, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    at = rows[0].index("transaction_id")
    with open(woo, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([cell for i, cell in enumerate(row) if i != at] for row in rows)
    stripe = stripe_payments(tmp_path)
    ledger = read_sales([woo, stripe])
    assert [w for w in ledger.warnings if "counted twice" in w] == [
        f"{stripe} (a Stripe payments export) is read beside {woo} (a WooCommerce order export), which names no "
        f"payment the two could be matched by: if the store took its payments through Stripe, each order is in both "
        f"under two numbers and counted twice: give the store's exports, and the disputes lost as chargeback rows in "
        f"nexus's own layout (docs/input-formats.md)"]
    assert ledger.summary()["duplicates"] == 0  # as before: each read as written


def test_a_provider_s_refund_larger_than_the_store_s_counts_only_what_the_store_does_not_hold(woo_stripe, tmp_path):
    """3001 (108.00: 100.00 + 8.00 tax, 10.00 of it shipping): WooCommerce refunded 10.80 on 8 Jul, Stripe's
    Amount Refunded is 21.60 (that refund and another made in Stripe's dashboard). WooCommerce's counts on its
    day, -10.00; the other 10.80 is a tenth of the order: -10.00 of sales (1.00 shipping, 0.80 tax) on the
    payment's day (the export has no Refunded date). Washington 120.00 - 20.00 = 100.00."""
    woo, stripe = woo_stripe
    woo = changed(Path(woo), tmp_path / "woo-refunded.csv", 2, refund_items="amount:10.80|reason:欠品|date:"
                                                                            "2025-07-08 10:00:00")
    stripe = changed(Path(stripe), tmp_path / "stripe-refunded.csv", 2, Amount_Refunded="21.60")
    ledger = read_sales([stripe, woo])
    assert by_place(ledger)["US-WA"] == ("USD", D("100.00"), 3)
    assert {k: v for k, v in refunds(ledger).items() if k[0] == "US-WA"} == {
        ("US-WA", "2025-07-01"): D("-10.00"), ("US-WA", "2025-07-08"): D("-10.00"),
        ("US-WA", "2025-08-05"): D("-50.00")}
    assert {key[1].isoformat(): charged for key, charged in ledger.charge_totals.items()
            if key[0] == "US-WA" and key[4] == "refund" and key[1].isoformat() == "2025-07-01"} == \
        {"2025-07-01": [D("-1.00"), D("-0.80")]}


def test_stripe_s_itemized_balance_report_is_matched_by_its_charge_id(tmp_path):
    """tests/exports/stripe-balance-itemized.csv beside a WooCommerce export of one order, 4011 (Seattle, 45.50 with
    3.50 tax), paid by its ch_3QB0011: the charge is the order (a duplicate); the dispute of 45.50 on 20 May and its
    reversal on 10 Jun, which WooCommerce does not hold, count at the order's place, split as the order is (42.00
    of sales, 3.50 tax): Washington 42.00 - 42.00 + 42.00 = 42.00 in 1 transaction. Before, the charge counted again
    where its card was billed. The other six charges match no order: counted as ever (USD 120.00 + 80.00 + 150.00 +
    60.00 + 100.00 = 510.00, EUR 200.00)."""
    woo = woo_export(tmp_path, [("4011", "2025-05-10 11:00:00", "completed", "USD", "45.50", "3.50", "0.00",
                                 "翔 伊藤", "Seattle", "WA", "US", "ch_3QB0011")])
    balance = str(EXPORTS / "stripe-balance-itemized.csv")
    ledger = read_sales([balance, woo])
    washington = {(key[1].isoformat(), key[4]): total for key, total in ledger.totals.items() if key[0] == "US-WA"}
    assert washington == {("2025-05-10", "sale"): [D("42.00"), 1], ("2025-05-20", "refund"): [D("-42.00"), 0],
                          ("2025-06-10", "refund"): [D("42.00"), 0]}
    assert {f["file"]: (f["rows"], f["used"], f["duplicates"], f["left_out"]) for f in file_account(ledger)} == \
        {balance: (15, 12, 1, 2), woo: (1, 1, 0, 0)}
    said = next(a for a in ledger.assumptions if a.startswith(balance))
    assert "1 payment is of orders there" in said and "6 payments (EUR 200.00, USD 510.00 of sales)" in said


def test_a_refund_a_late_store_export_holds_is_not_counted_again_from_the_provider(woo_stripe, tmp_path):
    """A late WooCommerce export shows 3001 refunded 10.80 on 8 Jul, which Stripe's Amount Refunded (10.80)
    repeats: counted once, from the late export (-10.00 of sales, the order's tenth). Washington 110.00."""
    woo, stripe = woo_stripe
    late = changed(Path(woo), tmp_path / "woo-late.csv", 2,
                   refund_items="amount:10.80|reason:欠品|date:2025-07-08 10:00:00")
    stripe = changed(Path(stripe), tmp_path / "stripe-refunded.csv", 2, Amount_Refunded="10.80")
    ledger = read_sales([woo, stripe, late])
    assert by_place(ledger)["US-WA"] == ("USD", D("110.00"), 3)
    assert {f["file"]: (f["rows"], f["used"], f["duplicates"], f["left_out"]) for f in file_account(ledger)} == \
        {woo: (5, 4, 0, 1), stripe: (5, 1, 4, 0), late: (5, 0, 4, 1)}


def test_a_woocommerce_store_paid_through_paypal_is_matched_by_the_transaction_id(tmp_path):
    """WooCommerce's 5001 (San Francisco, 54.00: 50.00 + 4.00 tax, 5.00 shipping), its transaction_id PayPal's
    1AA11111AA1111111: counted once, 50.00; PayPal's refund of 27.00 split as the order is, -25.00: California
    25.00 in 1. PayPal's other two payments match no order: JP JPY 11,000 - 1,000 tax - 5,000 refunded = 5,000, New
    York 40.00, said as JPY 10,000 and USD 40.00 of sales."""
    woo = woo_export(tmp_path, [("5001", "2025-08-14 10:00:00", "completed", "USD", "54.00", "4.00", "5.00",
                                 "太郎 山田", "San Francisco", "CA", "US", "1AA11111AA1111111", "ppcp-gateway")])
    paypal = paypal_activity(tmp_path)
    ledger = read_sales([paypal, woo])
    assert by_place(ledger) == {"US-CA": ("USD", D("25.00"), 1), "JP": ("JPY", D("5000"), 1),
                                "US-NY": ("USD", D("40.00"), 1)}
    said = next(a for a in ledger.assumptions if a.startswith(paypal))
    assert "1 payment is of orders there" in said and "2 payments (JPY 10,000, USD 40.00 of sales)" in said


def test_a_provider_s_refund_in_another_currency_than_the_store_s_is_counted_and_said(tmp_path):
    """Shopify's #2001, sold in euros to Berlin (the buyer's currency: EUR 100.00 + 19.00 VAT = 119.00), refunded
    half (Refunded Amount EUR 59.50, a running total on the order's date, 2025-09-01); Stripe's itemized balance
    report holds its charge and its refund in the account's settlement currency (USD 129.00, then USD 64.50 on
    2025-09-12). The charge is the order, counted once (EUR 100.00, 1 transaction). The two refunds cannot be set
    against each other: nexus holds no rate Stripe converted at. Both count, EUR 59.50 x 100 / 119 = 50.00 on
    2025-09-01 and USD 64.50 on 2025-09-12, and a warning names both files and rows, whichever file comes first.
    Before, both counted without a word."""
    from payment_pairs import _header, _item, _shopify, _ship_to, _write

    shopify = _write(tmp_path / "orders_export.csv", _header("shopify-orders.csv"), [
        _shopify("#2001", _item("1", "Kyusu teapot", "100.00", "KYUSU-1"), Email="anna@example.de",
                 **{"Financial Status": "partially_refunded", "Currency": "EUR", "Subtotal": "100.00",
                    "Shipping": "0.00", "Taxes": "19.00", "Total": "119.00",
                    "Created at": "2025-09-01 10:00:00 +0200", "Payment Method": "Stripe",
                    "Payment Reference": "ch_3QE0001", "Refunded Amount": "59.50", "Payment ID": "ch_3QE0001",
                    "Payment References": "ch_3QE0001"},
                 **_ship_to("Anna Schmidt", "Berlin", "10115", "", "DE", ""))])
    where = {"shipping_address_city": "Berlin", "shipping_address_postal_code": "10115",
             "shipping_address_country": "DE", "shipping_address_state": ""}
    balance = _write(tmp_path / "balance.csv", _header("stripe-balance-itemized.csv"), [
        {"balance_transaction_id": "txn_3QE0001", "created": "2025-09-01 10:00:00", "currency": "usd",
         "gross": "129.00", "reporting_category": "charge", "source_id": "ch_3QE0001", "charge_id": "ch_3QE0001",
         **where},
        {"balance_transaction_id": "txn_3QE0002", "created": "2025-09-12 10:00:00", "currency": "usd",
         "gross": "-64.50", "reporting_category": "refund", "source_id": "re_3QE0002", "charge_id": "ch_3QE0001"}])
    said = (f"refund of payment 'ch_3QE0001' at {balance}:3 (USD 64.50 on 2025-09-12) and the refunds of order "
            f"'#2001' at {shopify}:2 (a Shopify orders export: EUR 59.50 (a running total)) are in different "
            f"currencies: both are counted, as nexus has no rate to set one against the other at; if they are one "
            f"refund, it is counted twice: leave it out of one of the two exports")
    for files in ([shopify, balance], [balance, shopify]):
        ledger = read_sales(files)
        germany = {(key[1].isoformat(), key[2], key[4]): total for key, total in ledger.totals.items()
                   if key[0] == "DE"}
        assert germany == {("2025-09-01", "EUR", "sale"): [D("100.00"), 1],
                           ("2025-09-01", "EUR", "refund"): [D("-50.00"), 0],
                           ("2025-09-12", "USD", "refund"): [D("-64.50"), 0]}, files
        assert [w for w in ledger.warnings if "different currencies" in w] == [said], files
        assert not any("does not hold" in a for a in ledger.assumptions if a.startswith(balance)), files


def _stripe_refunded(folder: Path, name: str, refunded: str, on: str) -> str:
    """A Stripe payments export of 3001's payment alone, ``refunded`` (Amount Refunded, the running total) by ``on``
    (Refunded date (UTC), a column the export may carry)."""
    header = _header("stripe-payments.csv") + ["Refunded date (UTC)"]
    return _write(folder / name, header, [
        _charge("ch_3PA0001", "2025-07-01 17:00:00", "108.00", refunded, "usd", "山田 太郎", "Seattle", "WA", "US",
                "pi_3PA0001", "Sakura Goods 注文 3001", **{"Refunded date (UTC)": on})])


@pytest.mark.parametrize("mode", ["latest", "lines"])
@pytest.mark.parametrize("later_first", [False, True])
def test_two_stripe_exports_of_a_matched_payment_count_its_running_total_once(tmp_path, mode, later_first):
    """3001 (108.00 with 8.00 tax: 100.00 of sales in WA) paid by ch_3PA0001, which the store's export says nothing
    refunded of: Stripe's first export says 10.80 refunded by 2025-07-05, a later one 27.00 by 2025-07-20. By hand,
    in the order's proportions (100.00 of 108.00): 10.00 of sales on 2025-07-05 and 15.00 more on 2025-07-20, 75.00
    of 3001 left in WA, whichever Stripe export is given first. Before: 10.00 and 25.00 taken off, 65.00 left."""
    woo = woocommerce_orders(tmp_path)
    first = _stripe_refunded(tmp_path, "stripe-payments-0705.csv", "10.80", "2025-07-05 09:00:00")
    later = _stripe_refunded(tmp_path, "stripe-payments-0720.csv", "27.00", "2025-07-20 09:00:00")
    ledger = read_sales([woo] + ([later, first] if later_first else [first, later]),
                        ReadOptions(repeated_orders=mode))
    assert refunds(ledger) == {("US-WA", "2025-07-05"): D("-10.00"), ("US-WA", "2025-07-20"): D("-15.00"),
                               ("JP", "2025-07-10"): D("-5000")}
    assert by_place(ledger)["US-WA"] == ("USD", D("145.00"), 3)  # 3001, 3003 and 3005: 170.00 - 25.00
    # Each Stripe copy of the payment is 3001's, a duplicate of the store's sale.
    assert [(d.file, d.value) for d in ledger.duplicates if d.file != woo] == \
        [(path, "ch_3PA0001") for path in ([later, first] if later_first else [first, later])]


def test_two_stripe_exports_of_a_matched_payment_that_differ_stop_by_default(tmp_path):
    woo = woocommerce_orders(tmp_path)
    first = _stripe_refunded(tmp_path, "stripe-payments-0705.csv", "10.80", "2025-07-05 09:00:00")
    later = _stripe_refunded(tmp_path, "stripe-payments-0720.csv", "27.00", "2025-07-20 09:00:00")
    with pytest.raises(RepeatedOrder, match=rf"^{later}:2: column 'id' value 'ch_3PA0001': refund of order "
                                            rf"'ch_3PA0001' read at {first}:2 and again at {later}:2 with day "
                                            rf"'2025-07-05' then '2025-07-20'"):
        read_sales([woo, first, later])


def _shopify_1003_through_stripe(folder: Path, refunded: str) -> str:
    """Shopify's export (payment_pairs) with #1003 (32.40 with 2.40 tax: 30.00 in WA, 2025-08-16) paid through Stripe's
    ch_9 and ``refunded`` by then (Refunded Amount, a running total on the order's date)."""
    path = shopify_orders(folder)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:
        if row[0] == "#1003":
            changed_to = {"Payment References": "ch_9", "Payment Reference": "ch_9", "Payment ID": "ch_9",
                          "Refunded Amount": refunded, "Financial Status": "partially_refunded"}
            for column, value in changed_to.items():
                row[rows[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _stripe_ch_9(folder: Path, name: str, refunded: str, on: str) -> str:
    header = _header("stripe-payments.csv") + ["Refunded date (UTC)"]
    return _write(folder / name, header, [
        _charge("ch_9", "2025-08-16 19:00:00", "32.40", refunded, "usd", "鈴木 健", "Seattle", "WA", "US", "pi_9",
                "Sakura Goods #1003", **{"Refunded date (UTC)": on})])


@pytest.mark.parametrize("mode", ["latest", "lines"])
@pytest.mark.parametrize("order", ["shopify first", "stripe first", "between"])
def test_two_stripe_exports_set_against_shopify_s_running_total_count_each_increase_once(tmp_path, mode, order):
    """Shopify says 21.60 refunded of #1003 (20.00 of sales, 1.60 tax, on the order's date); Stripe's first export
    10.80 by 2025-08-20, its later one 16.20 by 2025-09-01. By hand: 10.00 of sales on 2025-08-20, 5.00 more on
    2025-09-01 (16.20 - 10.80 = 5.40 with 0.40 tax), and the 5.40 that Shopify says beyond Stripe's latest, 5.00,
    on 2025-08-16: 20.00 in all, 10.00 left in WA, whichever order the files come in. Before: Stripe's two copies
    counted 10.00 and 15.00, and Shopify's total gave way to the first copy alone (read before it) or to both."""
    shopify = _shopify_1003_through_stripe(tmp_path, "21.60")
    first = _stripe_ch_9(tmp_path, "stripe-0820.csv", "10.80", "2025-08-20 09:00:00")
    later = _stripe_ch_9(tmp_path, "stripe-0901.csv", "16.20", "2025-09-01 09:00:00")
    files = {"shopify first": [shopify, first, later], "stripe first": [later, first, shopify],
             "between": [first, shopify, later]}[order]
    ledger = read_sales(files, ReadOptions(repeated_orders=mode))
    assert {key: money for key, money in refunds(ledger).items() if key[0] == "US-WA"} == {
        ("US-WA", "2025-08-16"): D("-5.00"), ("US-WA", "2025-08-20"): D("-10.00"), ("US-WA", "2025-09-01"): D("-5.00")}
    assert by_place(ledger)["US-WA"] == ("USD", D("10.00"), 1)
    # and without --repeated-orders, the two copies of Stripe's running total that differ stop the run, as any order
    with pytest.raises(RepeatedOrder, match="refund of order 'ch_9' read at "):
        read_sales(files)


def _stripe_ch_9_undated(folder: Path, refunded: str) -> str:
    """Stripe's older payments export (no Refunded date (UTC) column) of ch_9, ``refunded`` by the time it was taken:
    its Amount Refunded counts on the payment's date, as Shopify's Refunded Amount counts on the order's."""
    return _write(folder / "payments.csv", _header("stripe-payments.csv"), [
        _charge("ch_9", "2025-08-16 19:00:00", "32.40", refunded, "usd", "鈴木 健", "Seattle", "WA", "US", "pi_9",
                "Sakura Goods #1003")])


#: What Shopify's Refunded Amount says of #1003 (32.40 with 2.40 tax: 30.00 of sales in WA on 2025-08-16), and the
#: refunds counted in WA by day, by hand, beside Stripe's older export (10.80 refunded, no date) and its unified one
#: (21.60 by 2025-09-01): Stripe's reading is 10.80 by the older export (on the order's date, as Shopify's total) and
#: 10.80 more on 2025-09-01; Shopify's total counts for what it says beyond Stripe's 21.60. Net of tax: 30.00 / 32.40.
UNDATED_AND_DATED = [
    # Shopify's 21.60 is Stripe's two refunds: 10.00 on the order's date, 10.00 on 2025-09-01. Before: the same with
    # the older export read before the unified one, 20.00 on 2025-09-01 with it after.
    ("21.60", {"2025-08-16": D("-10.00"), "2025-09-01": D("-10.00")}),
    # Shopify exported before the second refund (10.80): the same. Before: 20.00 on 2025-09-01 in every file order.
    ("10.80", {"2025-08-16": D("-10.00"), "2025-09-01": D("-10.00")}),
    # Shopify says 10.80 more than Stripe's 21.60 (a refund made outside Stripe): 10.00 more on the order's date.
    # Before: 30.00 on 2025-08-16 (Stripe's dated refund lost in Shopify's total), or 10.00 on 2025-08-16 and 20.00
    # on 2025-09-01, by the file order.
    ("32.40", {"2025-08-16": D("-20.00"), "2025-09-01": D("-10.00")}),
]


@pytest.mark.parametrize("refunded, expected", UNDATED_AND_DATED)
@pytest.mark.parametrize("mode", ["latest", "lines"])
@pytest.mark.parametrize("order", list(itertools.permutations(("shopify", "older", "unified"))))
def test_a_dated_and_an_undated_stripe_copy_are_one_reading_with_shopify_s_running_total(
        tmp_path, refunded, expected, mode, order):
    """A refund both Shopify and Stripe hold counts once, on its own date where Stripe dates it, whatever the file
    order: Stripe's copies of its running total (dated or not) are one reading, and Shopify's running total gives way
    to it as it gives way to a provider's dated refunds (docs/input-formats.md: the running total only for what it
    says beyond them, on the order's date)."""
    files = {"shopify": _shopify_1003_through_stripe(tmp_path, refunded),
             "older": _stripe_ch_9_undated(tmp_path, "10.80"),
             "unified": _stripe_ch_9(tmp_path, "unified_payments.csv", "21.60", "2025-09-01 09:00:00")}
    ledger = read_sales([files[name] for name in order], ReadOptions(repeated_orders=mode))
    assert {day: money for (place, day), money in refunds(ledger).items() if place == "US-WA"} == expected
    assert by_place(ledger)["US-WA"] == ("USD", D("30.00") + sum(expected.values()), 1)


def test_an_undated_stripe_copy_alone_is_read_with_shopify_s_running_total_and_said(tmp_path):
    """Stripe's older export alone (16.20 refunded, no date) beside Shopify's 21.60: one reading on the order's date,
    20.00 (21.60 of 32.40), as before; the run says how it was read."""
    shopify, older = _shopify_1003_through_stripe(tmp_path, "21.60"), _stripe_ch_9_undated(tmp_path, "16.20")
    for files in ([shopify, older], [older, shopify]):
        ledger = read_sales(files)
        assert {day: money for (place, day), money in refunds(ledger).items() if place == "US-WA"} == \
            {"2025-08-16": D("-20.00")}
        assert [a.split("; ")[-1] for a in ledger.assumptions if a.startswith(older)] == [
            "1 refunded total without a date of orders whose store's export gives their refunds only as a running "
            "total on the order's date is counted on the order's date with it, the running total only for what it "
            "says beyond the payment's refunds"]


@pytest.mark.parametrize("mode", ["latest", "lines"])
@pytest.mark.parametrize("order", list(itertools.permutations(("woocommerce", "first", "later"))))
def test_two_stripe_exports_beside_a_store_s_dated_refund_count_it_once(tmp_path, mode, order):
    """3001 (108.00 with 8.00 tax: 100.00 of sales in WA) refunded 10.80 on 2025-07-05 in WooCommerce (refund_items);
    Stripe's first export says 10.80 refunded by 2025-07-05 (that refund), a later one 27.00 by 2025-07-20. Each
    Stripe copy is the payment's whole state, set against WooCommerce's 10.80: by hand, 10.00 of sales on 2025-07-05
    (WooCommerce's) and 15.00 more on 2025-07-20, 75.00 left, in any file order. Before: the first copy was a
    duplicate of WooCommerce's refund and the later one then counted whole (10.00 and 25.00, 65.00 left), or, the
    later read first, counted for the 16.20 beyond WooCommerce's and the first then counted again (20.00 on
    2025-07-05 and 5.00 on 2025-07-20)."""
    refunded = "amount:10.80|reason:破損|date:2025-07-05 12:00:00"
    files = {"woocommerce": _write(tmp_path / "woo-orders.csv", _header("woocommerce-orders.csv"), [
                 _woo("3001", "2025-07-01 10:00:00", "processing", "USD", "108.00", "8.00", "10.00", "太郎 山田",
                      "Seattle", "WA", "US", "ch_3PA0001", refund_items=refunded)]),
             "first": _stripe_refunded(tmp_path, "stripe-payments-0705.csv", "10.80", "2025-07-05 09:00:00"),
             "later": _stripe_refunded(tmp_path, "stripe-payments-0720.csv", "27.00", "2025-07-20 09:00:00")}
    ledger = read_sales([files[name] for name in order], ReadOptions(repeated_orders=mode))
    assert refunds(ledger) == {("US-WA", "2025-07-05"): D("-10.00"), ("US-WA", "2025-07-20"): D("-15.00")}
    assert by_place(ledger) == {"US-WA": ("USD", D("75.00"), 1)}


def _woo_3001_refunded(folder: Path) -> str:
    """WooCommerce's export of 3001 alone (108.00 with 8.00 tax and 10.00 shipping: WA, 2025-07-01, paid by
    ch_3PA0001), refunded 10.80 on 2025-07-05 (refund_items, dated)."""
    return _write(folder / "woo-orders.csv", _header("woocommerce-orders.csv"), [
        _woo("3001", "2025-07-01 10:00:00", "processing", "USD", "108.00", "8.00", "10.00", "太郎 山田", "Seattle",
             "WA", "US", "ch_3PA0001", refund_items="amount:10.80|reason:破損|date:2025-07-05 12:00:00")])


@pytest.mark.parametrize("order", list(itertools.permutations(("woocommerce", "first", "later"))))
def test_two_stripe_exports_that_differ_beside_a_store_s_dated_refund_stop_by_default(tmp_path, order):
    """Stripe's 10.80 by 2025-07-05 (WooCommerce's own refund of 3001, so a duplicate of it) and a later export's
    27.00 by 2025-07-20: two copies of ch_3PA0001 that differ stop the default run, naming both rows, as they do
    where the store holds no refund of it (above) or the order is Shopify's. The copies are compared as the row
    account compares them, at the order's place in the order's proportions (108.00: 100.00 of sales, 10.00 of it
    shipping, and 8.00 of tax): 10.80 is 10.00 of sales (1.00 shipping) and 0.80 of tax, 27.00 is 25.00 (2.50) and 2.00.
    Before: no error in any file order, the first copy being a duplicate of WooCommerce's refund before the row
    account could see it; the later copy's 15.00 counted as the only one."""
    files = {"woocommerce": _woo_3001_refunded(tmp_path),
             "first": _stripe_refunded(tmp_path, "stripe-payments-0705.csv", "10.80", "2025-07-05 09:00:00"),
             "later": _stripe_refunded(tmp_path, "stripe-payments-0720.csv", "27.00", "2025-07-20 09:00:00")}
    given = [files[name] for name in order]
    one, other = [path for path in given if path != files["woocommerce"]]
    said = {files["first"]: ("2025-07-05", "-10", "-1", "-0.8"), files["later"]: ("2025-07-20", "-25", "-2.5", "-2")}
    (day, amount, shipping, tax), (day2, amount2, shipping2, tax2) = said[one], said[other]
    with pytest.raises(RepeatedOrder) as raised:
        read_sales(given)
    assert str(raised.value) == (
        f"{other}:2: column 'id' value 'ch_3PA0001': refund of order 'ch_3PA0001' read at {one}:2 and again at "
        f"{other}:2 with day '{day}' then '{day2}'; amount '{amount}' then '{amount2}'; shipping '{shipping}' then "
        f"'{shipping2}'; tax '{tax}' then '{tax2}': an order id repeated with different content is a line item or an "
        f"amendment; say which with --repeated-orders lines (line items of one order) or latest (keep the later "
        f"copy)")


def test_two_identical_stripe_exports_beside_a_store_s_dated_refund_are_duplicates(tmp_path):
    """The same export given twice (10.80 by 2025-07-05, WooCommerce's refund): no error; 3001's 100.00 less
    WooCommerce's 10.00 on 2025-07-05, 90.00 left; each Stripe row a duplicate (its payment and its refund)."""
    woo = _woo_3001_refunded(tmp_path)
    first = _stripe_refunded(tmp_path, "stripe-payments-0705.csv", "10.80", "2025-07-05 09:00:00")
    again = _stripe_refunded(tmp_path, "stripe-payments-0705-again.csv", "10.80", "2025-07-05 09:00:00")
    for files in ([woo, first, again], [again, first, woo]):
        ledger = read_sales(files)
        assert refunds(ledger) == {("US-WA", "2025-07-05"): D("-10.00")}
        assert by_place(ledger) == {"US-WA": ("USD", D("90.00"), 1)}
        assert {f["file"]: (f["rows"], f["used"], f["duplicates"]) for f in file_account(ledger)} == \
            {woo: (1, 1, 0), first: (1, 0, 1), again: (1, 0, 1)}


#: Shopify's Refunded Amount of #1003 is 32.40 (all of it) beside two Stripe exports of ch_9: the note on the rest
#: Shopify says beyond Stripe's reading, per pair of Stripe exports. Stripe's reading, by hand: 10.80 by 2025-08-20
#: and 16.20 by 2025-09-01 are two dated refunds (10.80, then 5.40), 16.20 left to Shopify's total; the older export's
#: 10.80 (no date) and 21.60 by 2025-09-01 are a total without a date and one dated refund (10.80 more), 10.80 left.
#: The refunds in WA by day, net of tax (30.00 of 32.40): the rest of Shopify's total and the undated copy on the
#: order's date, 2025-08-16.
BEYOND_STRIPE = [
    (("stripe-0820.csv", "10.80", "2025-08-20 09:00:00"), ("stripe-0901.csv", "16.20", "2025-09-01 09:00:00"),
     "USD 16.20 more than its 2 dated refund(s)",
     {"2025-08-16": D("-15.00"), "2025-08-20": D("-10.00"), "2025-09-01": D("-5.00")}),
    (("payments.csv", "10.80", ""), ("unified_payments.csv", "21.60", "2025-09-01 09:00:00"),
     "USD 10.80 more than its 1 dated refund(s) and 1 total(s) without a date",
     {"2025-08-16": D("-20.00"), "2025-09-01": D("-10.00")}),
]


@pytest.mark.parametrize("one, other, beyond, expected", BEYOND_STRIPE)
@pytest.mark.parametrize("mode", ["latest", "lines"])
@pytest.mark.parametrize("order", list(itertools.permutations(("shopify", "one", "other"))))
def test_the_note_on_shopify_s_total_beyond_stripe_s_counts_stripe_s_refunds_whatever_the_file_order(
        tmp_path, one, other, beyond, expected, mode, order):
    """The same inputs in any file order give the same note. Before: with the later export read before the earlier
    one, '1 dated refund(s)' (the earlier copy moved no money, so was not counted), and of the older export read
    after the unified one, no 'total without a date'; with the earlier first, '2 dated refund(s)'."""
    def stripe(name: str, refunded: str, on: str) -> str:
        return _stripe_ch_9(tmp_path, name, refunded, on) if on else _stripe_ch_9_undated(tmp_path, refunded)

    files = {"shopify": _shopify_1003_through_stripe(tmp_path, "32.40"), "one": stripe(*one), "other": stripe(*other)}
    ledger = read_sales([files[name] for name in order], ReadOptions(repeated_orders=mode))
    assert {day: money for (place, day), money in refunds(ledger).items() if place == "US-WA"} == expected
    assert [a for a in ledger.assumptions if a.startswith("1 running total(s)")] == [
        f"1 running total(s) refunded in a Shopify orders export say more than the dated refunds of the same orders in "
        f"a Stripe payments export ('#1003': {beyond}): the rest is counted on the order's date, as a refund a Stripe "
        f"payments export did not record"]


def _said_of(ledger, path: str) -> list[str]:
    """What the run says of a provider's export after its payments matched: each count of its refunds."""
    said = [a for a in ledger.assumptions if a.startswith(f"{path} (")]
    assert len(said) == 1
    return said[0].split("; ")[1:]


def _adds_up(ledger) -> dict[str, tuple[int, int, int]]:
    """Each file's row account, checked to add up: rows read, used, duplicates."""
    accounts = file_account(ledger)
    for f in accounts:
        assert f["rows"] == f["used"] + f["skipped"] + f["duplicates"] + f["left_out"] + f["superseded"], f
    return {f["file"]: (f["rows"], f["used"], f["duplicates"]) for f in accounts}


KEPT = ("1 refund or chargeback of those orders that the store's export does not hold is counted on its own date, at "
        "the order's place, as a refund of the sale on the order's date")


@pytest.mark.parametrize("reverse", [False, True])
def test_a_stripe_export_given_twice_says_its_refunds_once(tmp_path, reverse):
    """payment_pairs' Stripe export downloaded twice beside WooCommerce's: its one refund or chargeback the store does
    not hold (3003's dispute lost, 54.00: 50.00 off Washington on 2025-08-05) is one, said of the copy read first;
    the other copy says none. The figures as with one copy (Washington 120.00 in 3, of which the dispute's -50.00;
    Japan JPY 10,000, the refund of 3002 WooCommerce holds, once). Before: each copy said '1 refund or chargeback ...
    is counted', two for the one counted."""
    woo, stripe = woocommerce_orders(tmp_path), stripe_payments(tmp_path)
    again = str(tmp_path / "stripe-payments-again.csv")
    Path(again).write_bytes(Path(stripe).read_bytes())
    first, second = (again, stripe) if reverse else (stripe, again)
    ledger = read_sales([woo, first, second])
    assert by_place(ledger) == {"US-WA": ("USD", D("120.00"), 3), "JP": ("JPY", D("10000"), 1),
                                "US-OR": ("USD", D("75.00"), 1)}
    assert refunds(ledger) == {("US-WA", "2025-08-05"): D("-50.00"), ("JP", "2025-07-10"): D("-5000")}
    assert [s for s in _said_of(ledger, first) if "refund" in s] == [KEPT]
    assert [s for s in _said_of(ledger, second) if "refund" in s] == []
    # and the invoice paid outside the store (ch_3PA0006, 75.00) is one sale, said of the copy counted
    assert [s for s in _said_of(ledger, first) if "matches no order" in s] == [
        "1 payment (USD 75.00 of sales) matches no order and is counted as a sale of its own (made outside the store: "
        "an invoice, a payment link)"]
    assert [s for s in _said_of(ledger, second) if "matches no order" in s] == []
    # nothing merged silently: the second copy's rows are duplicates, its dispute listed as one of the first's
    assert _adds_up(ledger) == {woo: (5, 4, 0), first: (5, 1, 4), second: (5, 0, 5)}
    assert any(d.file == second and d.value == "ch_3PA0003" and d.reason.startswith(
        f"chargeback 'ch_3PA0003' already read at {first}:4") for d in ledger.duplicates)


#: Three Stripe exports of 3001's ch_3PA0001 beside WooCommerce's export, which holds no refund of it: two alike
#: (10.80 by 2025-07-05) and a later one (27.00 by 2025-07-20). Two refunds by hand: 10.80 (10.00 of sales) on
#: 2025-07-05, said of the first of the two alike read, and 16.20 (15.00) on 2025-07-20, of the later export.
@pytest.mark.parametrize("mode", ["latest", "lines"])
@pytest.mark.parametrize("order", [("a", "b", "later"), ("later", "b", "a"), ("b", "later", "a")])
def test_two_stripe_copies_of_a_refund_say_it_once(tmp_path, mode, order):
    woo = woocommerce_orders(tmp_path)
    files = {"a": _stripe_refunded(tmp_path, "stripe-a.csv", "10.80", "2025-07-05 09:00:00"),
             "b": _stripe_refunded(tmp_path, "stripe-b.csv", "10.80", "2025-07-05 09:00:00"),
             "later": _stripe_refunded(tmp_path, "stripe-0720.csv", "27.00", "2025-07-20 09:00:00")}
    given = [files[name] for name in order]
    ledger = read_sales([woo] + given, ReadOptions(repeated_orders=mode))
    assert {k: v for k, v in refunds(ledger).items() if k[0] == "US-WA"} == {
        ("US-WA", "2025-07-05"): D("-10.00"), ("US-WA", "2025-07-20"): D("-15.00")}
    said_first = next(path for path in given if path != files["later"])
    assert {path: [s for s in _said_of(ledger, path) if "refund" in s] for path in given} == {
        files["later"]: [KEPT], said_first: [KEPT],
        next(p for p in given if p not in (files["later"], said_first)): []}
    accounts = _adds_up(ledger)
    assert [accounts[path] for path in given] == [(1, 0, 1)] * 3


def test_two_stripe_copies_of_a_refund_beside_shopify_s_total_say_it_once(tmp_path):
    """Shopify's 32.40 refunded of #1003 and the same Stripe export twice (10.80 by 2025-08-20): one refund counted
    on its own date in place of a part of Shopify's total (10.00 on 2025-08-20, the rest 20.00 on 2025-08-16), said
    of the copy read first. Before: of both."""
    shopify = _shopify_1003_through_stripe(tmp_path, "32.40")
    one = _stripe_ch_9(tmp_path, "stripe-0820.csv", "10.80", "2025-08-20 09:00:00")
    two = _stripe_ch_9(tmp_path, "stripe-0820-again.csv", "10.80", "2025-08-20 09:00:00")
    for files in ([shopify, one, two], [two, one, shopify]):
        ledger = read_sales(files)
        assert {day: money for (place, day), money in refunds(ledger).items() if place == "US-WA"} == {
            "2025-08-16": D("-20.00"), "2025-08-20": D("-10.00")}
        first, second = [path for path in files if path != shopify]
        assert [s for s in _said_of(ledger, first) if "refund" in s] == [
            "1 refund of orders whose store's export gives their refunds only as a running total on the order's date "
            "is counted on its own date instead, at the order's place, the running total only for what it says "
            "beyond it"]
        assert [s for s in _said_of(ledger, second) if "refund" in s] == []
        _adds_up(ledger)


def _shopify_1001_split_through_stripe(folder: Path) -> str:
    """Shopify's export (payment_pairs) with #1001 (54.00: a 30.00 teapot, goods, with the 5.00 shipping; a 15.00
    furoshiki that requires no shipping, digital; 4.00 tax; CA, 2025-08-14) paid through Stripe's ch_1 and refunded
    whole by then (Refunded Amount 54.00, a running total on the order's date)."""
    path = shopify_orders(folder)
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for row in rows[1:]:
        if row[0] == "#1001" and row[header.index("Lineitem name")].startswith("風呂敷"):
            row[header.index("Lineitem requires shipping")] = "false"
        if row[0] == "#1001" and row[header.index("Total")]:
            changed_to = {"Payment References": "ch_1", "Payment Reference": "ch_1", "Payment ID": "ch_1",
                          "Refunded Amount": "54.00", "Financial Status": "refunded"}
            for column, value in changed_to.items():
                row[header.index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return path


def _stripe_ch_1(folder: Path, name: str, refunded: str, on: str) -> str:
    header = _header("stripe-payments.csv") + ["Refunded date (UTC)"]
    return _write(folder / name, header, [
        _charge("ch_1", "2025-08-14 17:00:00", "54.00", refunded, "usd", "山田 太郎", "San Francisco", "CA", "US",
                "pi_1", "#1001", **{"Refunded date (UTC)": on})])


@pytest.mark.parametrize("order", list(itertools.permutations(("shopify", "first", "later"))))
def test_a_stripe_refund_of_an_order_split_between_categories_is_one_refund_in_the_note(tmp_path, order):
    """Stripe's 10.80 by 2025-08-20 and 27.00 by 2025-09-01 of #1001 (goods 35.00 with the shipping, digital 15.00, of
    50.00 net; 54.00 with tax), which Shopify says refunded whole. By hand, net of tax (50/54) and split as the order
    is (the shipping with the goods): 10.00 on 2025-08-20 (goods 7.00, digital 3.00), 15.00 on 2025-09-01 (10.50,
    4.50), and Shopify's 27.00 beyond Stripe's 25.00 on the order's date (17.50, 7.50). Stripe's reading is two
    refunds; before, each category's record counted, '4 dated refund(s)' (or '2', by the file order)."""
    files = {"shopify": _shopify_1001_split_through_stripe(tmp_path),
             "first": _stripe_ch_1(tmp_path, "stripe-0820.csv", "10.80", "2025-08-20 09:00:00"),
             "later": _stripe_ch_1(tmp_path, "stripe-0901.csv", "27.00", "2025-09-01 09:00:00")}
    ledger = read_sales([files[name] for name in order], ReadOptions(repeated_orders="latest"))
    california = {(key[1].isoformat(), key[6]): amount.normalize() for key, (amount, _count) in ledger.totals.items()
                  if key[0] == "US-CA" and key[4] == "refund"}
    assert california == {("2025-08-14", "goods"): D("-17.5"), ("2025-08-14", "digital"): D("-7.5"),
                          ("2025-08-20", "goods"): D("-7"), ("2025-08-20", "digital"): D("-3"),
                          ("2025-09-01", "goods"): D("-10.5"), ("2025-09-01", "digital"): D("-4.5")}
    assert [a for a in ledger.assumptions if a.startswith("1 running total(s)")] == [
        "1 running total(s) refunded in a Shopify orders export say more than the dated refunds of the same orders in "
        "a Stripe payments export ('#1001': USD 27.00 more than its 2 dated refund(s)): the rest is counted on the "
        "order's date, as a refund a Stripe payments export did not record"]


def test_a_paypal_refund_row_of_an_order_split_between_categories_is_one_refund_in_the_note(tmp_path):
    """PayPal's one refund row of #1001 (27.00 on 2025-08-25) beside Shopify's 54.00 refunded of it (#1001 split
    between goods and digital): one dated refund, 27.00 beyond it. Before: '2 dated refund(s)', one per category."""
    shopify = _shopify_1001_split_through_stripe(tmp_path)
    with open(shopify, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for row in rows[1:]:  # paid through PayPal, as payment_pairs has it
        if row[0] == "#1001" and row[rows[0].index("Total")]:
            for column in ("Payment References", "Payment Reference", "Payment ID"):
                row[rows[0].index(column)] = "1AA11111AA1111111"
    with open(shopify, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    paypal = paypal_activity(tmp_path)
    for files in ([shopify, paypal], [paypal, shopify]):
        said = [a for a in read_sales(files).assumptions if a.startswith("1 running total(s)")]
        assert len(said) == 1 and "('#1001': USD 27.00 more than its 1 dated refund(s))" in said[0]


@pytest.mark.parametrize("later_first", [False, True])
def test_a_payment_that_matches_no_order_in_two_exports_is_said_of_the_copy_counted(tmp_path, later_first):
    """The invoice ch_3PA0006 (75.00, matching no WooCommerce order) in two Stripe exports, one placing it in Oregon,
    the other in Washington (its card address changed): under latest the copy of the export given last counts (75.00
    there, none in the other place), and is the one said as a sale of its own; before, both exports said it, 150.00
    for the 75.00 counted."""
    woo = woocommerce_orders(tmp_path)
    header = _header("stripe-payments.csv")
    early = _write(tmp_path / "stripe-0701.csv", header, [
        _charge("ch_3PA0006", "2025-07-06 20:00:00", "75.00", "0.00", "usd", "中村 陽子", "Portland", "OR", "US",
                "pi_3PA0006", "請求書 INV-0006")])
    later = _write(tmp_path / "stripe-0801.csv", header, [
        _charge("ch_3PA0006", "2025-07-06 20:00:00", "75.00", "0.00", "usd", "中村 陽子", "Seattle", "WA", "US",
                "pi_3PA0006", "請求書 INV-0006")])
    ledger = read_sales([woo] + ([later, early] if later_first else [early, later]),
                        ReadOptions(repeated_orders="latest"))
    counted = early if later_first else later
    assert ("US-OR" in by_place(ledger)) == later_first
    said = {path: [s for s in _said_of(ledger, path) if "matches no order" in s] for path in (early, later)}
    assert said == {counted: ["1 payment (USD 75.00 of sales) matches no order and is counted as a sale of its own "
                              "(made outside the store: an invoice, a payment link)"],
                    (later if counted == early else early): []}
