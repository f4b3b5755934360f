"""A refund row of a platform export that names the payment it refunds is linked to that payment's day, as nexus's
own layout's refunds are (tests/test_refunds_before_period.py): the estimate leaves out a refund of a sale made before
tax was due, and nets one of a sale made in the period.

Worked by hand with the bundled data as of 2025-06-30, the same sales as that file's: South Dakota's test (more than
USD 100,000 in the current or previous calendar year) is met on 2025-03-02 by the third payment (90,000 + 5,000 +
10,000 = 105,000), and tax is due from that day. Rates (January 2025 edition): 4.2% + 1.91% average local = 6.11%
(central), 4.2% (low). No tax was charged on any payment; every payment is of goods (``--category goods``).

* The second payment (2025-02-10, before nexus) refunded 5,000 on 2025-04-15: the refund names it (PayPal's
  ``Reference Txn ID``, the balance report's ``charge_id``; WooCommerce's ``refund_items`` and Stripe's payments
  export's ``Refunded date (UTC)`` are on its own row), so it is left out: (10,000 + 44,000) x 6.11% = USD 3,299.40
  (low 44,000 x 4.2% = 1,848.00, the crossing day's payment left out), nothing netted. Before, it was netted: 49,000 x 6.11% = USD 2,993.90, USD 305.50
  said as the most the estimate may be understated by.
* The fourth payment (2025-04-10, in the period) refunded 5,000 on 2025-04-20: netted, USD 2,993.90, and nothing said.
* The same payments beside the store's export that holds the sales (a WooCommerce order export whose
  ``transaction_id`` is the PayPal payment's; a Shopify export whose ``Payment References`` is the Stripe charge),
  the refund in the provider's file alone: counted once, at the store's order, and linked to that order's day:
  order 2's refund left out, USD 3,299.40; order 4's netted, USD 2,993.90. Before, netted either way (USD 2,993.90,
  USD 305.50 said).
* A Stripe payments export whose second payment's dispute was lost (``Dispute Status`` ``lost``, ``Disputed Amount``
  5,000.00) on its ``Dispute Date (UTC)`` 2025-04-15: a chargeback on that day, of the payment on whose row it is,
  left out, USD 3,299.40; the fourth payment's lost on 2025-04-20, netted, USD 2,993.90.
* A PayPal chargeback of the second payment won back (its ``Chargeback Reversal`` names the chargeback, not the
  payment): both are of the sale before nexus and left out, USD 3,299.40; were the reversal not traced to the payment,
  it would put USD 5,000 back into the period, (54,000 + 5,000) x 6.11% = USD 3,604.90.
"""
import csv
import io
import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from nexus.cli import cli
from nexus.engine import Choice, read_orders
from nexus.exposure import REFUNDS_LINKED, REFUNDS_NETTED
from nexus.read_options import ReadOptions
from payment_pairs import _charge, _header, _item, _ship_to, _shopify, _woo, _write

AS_OF = "2025-06-30"
ENGINES = ["python", "duckdb"]
#: The four sales every layout below writes, (number, day, amount): South Dakota, tax due from 2025-03-02.
SALES = (("1", "2025-01-10", "90000.00"), ("2", "2025-02-10", "5000.00"), ("3", "2025-03-02", "10000.00"),
         ("4", "2025-04-10", "44000.00"))

PAYPAL_HEADER = ('"Date","Type","Status","Currency","Gross","Transaction ID","Reference Txn ID",'
                 '"Shipping and Handling Amount","Sales Tax","State/Province/Region/County/Territory/Prefecture/'
                 'Republic","Country Code"\n')
#: The four payments, as PayPal writes them: 90,000 on 2025-01-10, 5,000 on 02-10, 10,000 on 03-02, 44,000 on 04-10.
PAYMENTS = "".join(
    f'"{day}","Express Checkout Payment","Completed","USD","{gross}","{txn}","","0.00","0.00","SD","US"\n'
    for day, gross, txn in (("01/10/2025", "90000.00", "1SD00001"), ("02/10/2025", "5000.00", "1SD00002"),
                            ("03/02/2025", "10000.00", "1SD00003"), ("04/10/2025", "44000.00", "1SD00004")))


def _paypal(refunded: str, day: str, kind: str = "Payment Refund", txn: str = "9RF00001", gross: str = "-5000.00",
            state: str = "", country: str = "") -> str:
    """A refund (or chargeback) row of ``refunded``, without an address unless given, as PayPal writes one."""
    return f'"{day}","{kind}","Completed","USD","{gross}","{txn}","{refunded}","0.00","0.00","{state}","{country}"\n'


STRIPE_HEADER = ("balance_transaction_id,created,currency,gross,reporting_category,source_id,charge_id,"
                 "shipping_address_state,shipping_address_country\n")
CHARGES = ("txn_1,2025-01-10 12:00:00,usd,90000.00,charge,ch_1,ch_1,SD,US\n"
           "txn_2,2025-02-10 12:00:00,usd,5000.00,charge,ch_2,ch_2,SD,US\n"
           "txn_3,2025-03-02 12:00:00,usd,10000.00,charge,ch_3,ch_3,SD,US\n"
           "txn_4,2025-04-10 12:00:00,usd,44000.00,charge,ch_4,ch_4,SD,US\n")


def _exposure(engine, *paths):
    args = ["check", "--as-of", AS_OF, "--engine", engine, "--category", "goods", "--format", "json"]
    for path in paths:
        args += ["--sales", path]
    run = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return next(f for f in json.loads(run.stdout)["findings"] if f["jurisdiction"] == "US-SD")["exposure"]


def _left_out(e):
    assert e["from"] == "2025-03-02" and e["taxable_sales"] == "54000.00"
    assert e["uncollected"] == {"low": "1848.00", "central": "3299.40", "high": "3299.40"}  # was 2,993.90
    assert (e["refunds_netted"], e["refunds_tax"]["high"]) == ("0.00", "0.00")
    assert REFUNDS_LINKED in e["assumptions"] and REFUNDS_NETTED not in e["assumptions"]


def _netted_in_period(e):
    assert e["taxable_sales"] == "49000.00" and e["uncollected"]["central"] == "2993.90"
    assert (e["refunds_netted"], e["refunds_tax"]["high"]) == ("0.00", "0.00")
    assert REFUNDS_LINKED not in e["assumptions"] and REFUNDS_NETTED not in e["assumptions"]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("newest_first", [False, True])
def test_a_paypal_refund_of_a_payment_made_before_tax_was_due_is_left_out(write, engine, newest_first):
    rows = PAYMENTS + _paypal("1SD00002", "04/15/2025")
    body = "".join(reversed(rows.splitlines(keepends=True))) if newest_first else rows  # downloads: newest first
    _left_out(_exposure(engine, write("Download.CSV", PAYPAL_HEADER + body)))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_paypal_refund_of_a_payment_in_the_period_is_netted(write, engine):
    _netted_in_period(_exposure(engine, write("Download.CSV", PAYPAL_HEADER + PAYMENTS + _paypal("1SD00004",
                                                                                                 "04/20/2025"))))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_paypal_refund_naming_no_payment_stays_netted_and_said(write, engine):
    """A refund row with an address and no ``Reference Txn ID``: nothing says which sale it was, so it is netted
    and the estimate says how much that took off, as before."""
    e = _exposure(engine, write("Download.CSV", PAYPAL_HEADER + PAYMENTS + _paypal("", "04/15/2025", state="SD",
                                                                                       country="US")))
    assert e["uncollected"]["central"] == "2993.90"
    assert (e["refunds_netted"], e["refunds_tax"]["central"]) == ("5000.00", "305.50")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_paypal_chargeback_won_back_of_a_payment_before_tax_was_due_is_left_out_both_ways(write, engine):
    rows = (PAYMENTS + _paypal("1SD00002", "04/15/2025", "Chargeback", "9CB00001")
            + _paypal("9CB00001", "04/20/2025", "Chargeback Reversal", "9CR00001", "5000.00"))
    e = _exposure(engine, write("Download.CSV", PAYPAL_HEADER + rows))
    assert e["taxable_sales"] == "54000.00" and e["uncollected"]["central"] == "3299.40"  # not 3,604.90
    assert e["refunds_netted"] == "0.00"


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stripe_balance_refund_of_a_charge_made_before_tax_was_due_is_left_out(write, engine):
    refund = "txn_5,2025-04-15 12:00:00,usd,-5000.00,refund,re_5,ch_2,,\n"
    _left_out(_exposure(engine, write("balance.csv", STRIPE_HEADER + CHARGES + refund)))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stripe_balance_refund_of_a_charge_in_the_period_is_netted(write, engine):
    refund = "txn_5,2025-04-20 12:00:00,usd,-5000.00,refund,re_5,ch_4,,\n"
    _netted_in_period(_exposure(engine, write("balance.csv", STRIPE_HEADER + CHARGES + refund)))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stripe_dispute_won_back_of_a_charge_before_tax_was_due_is_left_out_both_ways(write, engine):
    rows = ("txn_5,2025-04-15 12:00:00,usd,-5000.00,dispute,dp_5,ch_2,,\n"
            "txn_6,2025-04-20 12:00:00,usd,5000.00,dispute_reversal,dp_5,ch_2,,\n")
    e = _exposure(engine, write("balance.csv", STRIPE_HEADER + CHARGES + rows))
    assert e["taxable_sales"] == "54000.00" and e["uncollected"]["central"] == "3299.40"
    assert e["refunds_netted"] == "0.00"


def _woo_orders(folder, refunded: str, on: str) -> str:
    """The four sales as a WooCommerce order export, order ``refunded`` refunded 5,000.00 on ``on`` (its
    ``refund_items``, on the order's own row)."""
    rows = [_woo(number, f"{day} 10:00:00", "completed", "USD", amount, "0.00", "0.00", "A B", "Sioux Falls", "SD",
                 "US", "", **({"refund_items": f"amount:5000.00|reason:returned|date:{on} 10:00:00"}
                              if number == refunded else {}))
            for number, day, amount in SALES]
    return _write(folder / "woo.csv", _header("woocommerce-orders.csv"), rows)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_woocommerce_refund_item_of_an_order_made_before_tax_was_due_is_left_out(tmp_path, engine):
    _left_out(_exposure(engine, _woo_orders(tmp_path, "2", "2025-04-15")))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_woocommerce_refund_item_of_an_order_in_the_period_is_netted(tmp_path, engine):
    _netted_in_period(_exposure(engine, _woo_orders(tmp_path, "4", "2025-04-20")))


def _stripe_payments(folder, refunded: str, on: str) -> str:
    """The four sales as a Stripe payments export, ``refunded`` refunded 5,000.00 on ``on`` (``Refunded date
    (UTC)``, a column of the export where chosen)."""
    rows = [_charge(charge, f"{day} 17:00:00", amount, "5000.00" if charge == refunded else "0.00", "usd", "A B",
                    "Sioux Falls", "SD", "US", "", "order",
                    **{"Refunded date (UTC)": f"{on} 17:00:00" if charge == refunded else ""})
            for charge, day, amount in ((f"ch_{n}", d, a) for n, d, a in SALES)]
    return _write(folder / "payments.csv", _header("stripe-payments.csv") + ["Refunded date (UTC)"], rows)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stripe_payments_refund_of_a_payment_made_before_tax_was_due_is_left_out(tmp_path, engine):
    _left_out(_exposure(engine, _stripe_payments(tmp_path, "ch_2", "2025-04-15")))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stripe_payments_refund_of_a_payment_in_the_period_is_netted(tmp_path, engine):
    _netted_in_period(_exposure(engine, _stripe_payments(tmp_path, "ch_4", "2025-04-20")))


def _stripe_disputed(folder, disputed: str, on: str) -> str:
    """The four sales as a Stripe payments export, a dispute of 5,000.00 on ``disputed`` lost, its ``Dispute Date
    (UTC)`` ``on``."""
    rows = [_charge(charge, f"{day} 17:00:00", amount, "0.00", "usd", "A B", "Sioux Falls", "SD", "US", "", "order",
                    **({"Disputed Amount": "5000.00", "Dispute Status": "lost", "Dispute Reason": "fraudulent",
                        "Dispute Date (UTC)": f"{on} 17:00:00"} if charge == disputed else {}))
            for charge, day, amount in ((f"ch_{n}", d, a) for n, d, a in SALES)]
    return _write(folder / "payments.csv", _header("stripe-payments.csv"), rows)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stripe_lost_dispute_of_a_payment_made_before_tax_was_due_is_left_out(tmp_path, engine):
    """ch_2 (2025-02-10, before nexus) disputed and lost, Stripe's Dispute Date (UTC) 2025-04-15: a chargeback on
    that day, of the payment on whose row it is, so linked to 2025-02-10 and left out: USD 3,299.40 (low 2,268.00).
    Netted on its own day it would read 49,000 x 6.11% = USD 2,993.90, with USD 305.50 said."""
    _left_out(_exposure(engine, _stripe_disputed(tmp_path, "ch_2", "2025-04-15")))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stripe_lost_dispute_of_a_payment_in_the_period_is_netted(tmp_path, engine):
    """ch_4 (2025-04-10, in the period) disputed and lost on 2025-04-20: netted on that day, (10,000 + 39,000) x
    6.11% = USD 2,993.90, and nothing said."""
    _netted_in_period(_exposure(engine, _stripe_disputed(tmp_path, "ch_4", "2025-04-20")))


def _woo_paid_through_paypal(folder) -> str:
    """The four sales as a WooCommerce order export, each paid through PayPal: its ``transaction_id`` is the PayPal
    payment's ``Transaction ID`` (1SD00001 to 1SD00004), so that the PayPal download beside it is matched to it."""
    rows = [_woo(number, f"{day} 10:00:00", "completed", "USD", amount, "0.00", "0.00", "A B", "Sioux Falls", "SD",
                 "US", f"1SD0000{number}", "ppcp-gateway")
            for number, day, amount in SALES]
    return _write(folder / "woo.csv", _header("woocommerce-orders.csv"), rows)


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("paypal_first", [False, True])
def test_a_paypal_refund_of_a_woocommerce_order_made_before_tax_was_due_is_left_out(
        write, tmp_path, engine, paypal_first):
    """WooCommerce holds the sales, PayPal their payments (matched by transaction_id, counted once, from the store)
    and a refund of order 2's payment on 2025-04-15 that WooCommerce does not hold: counted at the order's place, and
    linked to the order's day, 2025-02-10, before tax was due: left out, USD 3,299.40. Before, it was netted on its
    own day: USD 2,993.90, with USD 305.50 said as the most it may be understated by."""
    woo = _woo_paid_through_paypal(tmp_path)
    paypal = write("Download.CSV", PAYPAL_HEADER + PAYMENTS + _paypal("1SD00002", "04/15/2025"))
    _left_out(_exposure(engine, *([paypal, woo] if paypal_first else [woo, paypal])))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_paypal_refund_of_a_woocommerce_order_in_the_period_is_netted(write, tmp_path, engine):
    """Order 4 (2025-04-10, in the period) refunded in PayPal on 2025-04-20: netted on its day, USD 2,993.90, and
    nothing said, where before the same USD 305.50 was said."""
    woo = _woo_paid_through_paypal(tmp_path)
    paypal = write("Download.CSV", PAYPAL_HEADER + PAYMENTS + _paypal("1SD00004", "04/20/2025"))
    _netted_in_period(_exposure(engine, woo, paypal))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_paypal_chargeback_of_a_woocommerce_order_won_back_is_left_out_both_ways(write, tmp_path, engine):
    """Order 2's PayPal payment charged back on 2025-04-15 and won back on 2025-04-20 (its ``Chargeback Reversal``
    names the chargeback): both linked to the order's day and left out, USD 3,299.40. Were only the chargeback
    linked, the reversal would put USD 5,000 into the period: (54,000 + 5,000) x 6.11% = USD 3,604.90."""
    rows = (PAYMENTS + _paypal("1SD00002", "04/15/2025", "Chargeback", "9CB00001")
            + _paypal("9CB00001", "04/20/2025", "Chargeback Reversal", "9CR00001", "5000.00"))
    e = _exposure(engine, _woo_paid_through_paypal(tmp_path), write("Download.CSV", PAYPAL_HEADER + rows))
    assert e["taxable_sales"] == "54000.00" and e["uncollected"]["central"] == "3299.40"
    assert e["refunds_netted"] == "0.00"


def _shopify_paid_through_stripe(folder) -> str:
    """The four sales as a Shopify orders export, each paid through Stripe: its ``Payment References`` the charge
    (ch_1 to ch_4) that Stripe's balance report names in ``charge_id``."""
    rows = [_shopify(f"#{n}", _item("1", "Teapot", amount, "POT"), Email="a@example.com",
                     **{"Financial Status": "paid", "Currency": "USD", "Subtotal": amount, "Shipping": "0.00",
                        "Taxes": "0.00", "Total": amount, "Created at": f"{day} 10:00:00 -0700",
                        "Refunded Amount": "0.00", "Payment References": f"ch_{n}"},
                     **_ship_to("A B", "Sioux Falls", "57104", "SD", "US", "South Dakota"))
            for n, day, amount in SALES]
    return _write(folder / "orders_export.csv", _header("shopify-orders.csv"), rows)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stripe_balance_refund_of_a_shopify_order_made_before_tax_was_due_is_left_out(write, tmp_path, engine):
    """Shopify holds the sales; Stripe's balance report their charges (matched by charge_id, counted once, from the
    store) and a refund of ch_2 on 2025-04-15 that Shopify does not hold: linked to order #2's day, 2025-02-10, and
    left out, USD 3,299.40; a refund of ch_4 on 2025-04-20 is netted, USD 2,993.90."""
    shopify = _shopify_paid_through_stripe(tmp_path)
    refund = "txn_5,2025-04-15 12:00:00,usd,-5000.00,refund,re_5,ch_2,,\n"
    _left_out(_exposure(engine, shopify, write("balance.csv", STRIPE_HEADER + CHARGES + refund)))
    refund = "txn_5,2025-04-20 12:00:00,usd,-5000.00,refund,re_5,ch_4,,\n"
    _netted_in_period(_exposure(engine, write("balance.csv", STRIPE_HEADER + CHARGES + refund), shopify))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_shopify_running_total_refunded_is_linked_to_its_own_order_s_day(tmp_path, engine):
    """Shopify's Refunded Amount gives no date: order #4's 5,000 is counted on the order's own day, 2025-04-10, so its
    sale is in the period whenever the refund is: netted, (10,000 + 44,000 - 5,000) x 6.11% = USD 2,993.90, and
    nothing said. Before, it counted as a refund without a link to its sale, and the estimate said it might be
    understated by up to 5,000 x 6.11% = USD 305.50 (refunds_netted 5,000.00), when no refund counted on its own
    sale's day can refund a sale made before the period. Both engines (DuckDB rolls Shopify's export up itself)."""
    path = _shopify_paid_through_stripe(tmp_path)
    lines = Path(path).read_text(encoding="utf-8").splitlines(keepends=True)
    header = next(csv.reader([lines[0]]))
    last = next(csv.reader([lines[-1]]))
    last[header.index("Refunded Amount")] = "5000.00"
    last[header.index("Financial Status")] = "partially_refunded"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerow(last)
    Path(path).write_text("".join(lines[:-1]) + out.getvalue(), encoding="utf-8")
    _netted_in_period(_exposure(engine, path))


def _stripe_tax(folder, credited: str) -> str:
    """The four sales as Stripe Tax's itemized export (invoices in_1 to in_4, no tax: not registered), and a credit
    note of 5,000.00 on 2025-04-15 crediting ``credited``'s line: a transaction of its own, ``cn_7``, whose row does
    not say which invoice it credits (no column of Stripe's list does)."""
    rows = [{"id": f"in_{n}", "type": "invoice", "currency": "usd", "transaction_date": f"{day} 10:00:00",
             "line_item_id": f"il_{n}", "subtotal": amount, "tax_amount": "0.00", "tax_code": "txcd_99999999",
             "destination_resolved_address_country": "US", "destination_resolved_address_state": "SD"}
            for n, day, amount in SALES]
    rows.append({"id": "cn_7", "type": "credit_note", "currency": "usd", "transaction_date": "2025-04-15 10:00:00",
                 "line_item_id": f"cnli_{credited}", "subtotal": "-5000.00", "tax_amount": "0.00",
                 "tax_code": "txcd_99999999", "destination_resolved_address_country": "US",
                 "destination_resolved_address_state": "SD"})
    return _write(folder / "itemized.csv", _header("stripe-tax-itemized.csv"), rows)


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stripe_tax_credit_note_names_no_sale_and_stays_netted_and_said(tmp_path, engine):
    """Stripe Tax's credit note of invoice 2 (sold 2025-02-10, before nexus) on 2025-04-15: the export gives it its own
    id and no column naming the invoice, so nothing links it to the sale's day. It is netted on its own day, USD
    2,993.90, and the estimate says the USD 5,000.00 netted without a link took USD 305.50 off (3,299.40 less
    2,993.90): the most it may be understated by, as docs/exposure.md and input-formats.md say."""
    e = _exposure(engine, _stripe_tax(tmp_path, "2"))
    assert e["taxable_sales"] == "49000.00" and e["uncollected"]["central"] == "2993.90"
    assert (e["refunds_netted"], e["refunds_tax"]["central"]) == ("5000.00", "305.50")
    assert REFUNDS_NETTED in e["assumptions"] and REFUNDS_LINKED not in e["assumptions"]


def _links(*paths, category: str | None = "goods"):
    """The links both engines keep (the DuckDB engine hands these layouts to nexus's own reader), the same."""
    options = ReadOptions(category=category)
    fast, ref = (read_orders(list(paths), options, Choice(engine, None, "test")).refund_links
                 for engine in ("duckdb", "python"))
    assert fast == ref
    return ref


def test_both_engines_link_a_provider_s_refund_to_the_store_s_order_s_day(write, tmp_path):
    """PayPal's refund of 2025-04-15 of WooCommerce's order 2, sold on 2025-02-10: kept beside the refund's day under
    the sale's."""
    linked = {("US-SD", "USD", "direct", "refund", "no", "goods"): {
        date(2025, 4, 15): {date(2025, 2, 10): [Decimal("-5000.00"), Decimal(0)]}}}
    woo = _woo_paid_through_paypal(tmp_path)
    assert _links(woo, write("Download.CSV", PAYPAL_HEADER + PAYMENTS + _paypal("1SD00002", "04/15/2025"))) == linked


def test_both_engines_link_a_stripe_lost_dispute_to_its_payment_s_day(tmp_path):
    """ch_2's dispute lost on its Dispute Date (UTC), 2025-04-15: a chargeback of USD 5,000 (a refund's profile),
    kept beside that day under the payment's, 2025-02-10; no tax (the payments export has none)."""
    assert _links(_stripe_disputed(tmp_path, "ch_2", "2025-04-15")) == {
        ("US-SD", "USD", "direct", "refund", "no", "goods"): {
            date(2025, 4, 15): {date(2025, 2, 10): [Decimal("-5000.00"), Decimal(0)]}}}


#: Where Shopify's orders below ship: Seattle, Washington.
SEATTLE = ("Seattle", "98101", "WA", "Washington")


def _shopify_order(name: str, day: str, lines: list, total: str, payment: str, shipping: str = "0.00",
                   tax: str = "0.00", refunded: str = "0.00", to: tuple = SEATTLE) -> list:
    """The rows of a Shopify order of ``lines`` (line items), paid by Stripe's ``payment`` (its ``Payment
    References``), shipped ``to`` (city, zip, province and its name, in the US)."""
    city, zip_code, province, province_name = to
    subtotal = str(Decimal(total) - Decimal(shipping) - Decimal(tax))
    head = _shopify(name, lines[0], Email="a@example.com",
                    **{"Financial Status": "paid", "Currency": "USD", "Subtotal": subtotal, "Shipping": shipping,
                       "Taxes": tax, "Total": total, "Created at": f"{day} 10:00:00 -0700",
                       "Refunded Amount": refunded, "Payment References": payment},
                    **_ship_to("A B", city, zip_code, province, "US", province_name))
    return [head] + [_shopify(name, line) for line in lines[1:]]


def _shopify_goods_and_download(folder, shipping: str = "0.00", tax: str = "0.00", refunded: str = "0.00",
                                to: tuple = SEATTLE, before: tuple = ()) -> str:
    """Shopify's order #1 of 2025-03-10, paid by Stripe's ch_1: a teapot of 100.00 (shipped, the platform's signal:
    goods) and an e-book of 50.00 (no shipping: digital), with ``shipping`` (charged for the teapot alone) and
    ``tax``; ``refunded`` of it in Shopify's own ``Refunded Amount``; after the rows of the orders ``before``."""
    total = str(Decimal("150.00") + Decimal(shipping) + Decimal(tax))
    ebook = dict(_item("1", "E-book", "50.00", "EBOOK"), **{"Lineitem requires shipping": "false"})
    rows = [row for order in before for row in order] + _shopify_order(
        "#1", "2025-03-10", [_item("1", "Teapot", "100.00", "POT"), ebook], total, "ch_1", shipping, tax, refunded, to)
    return _write(folder / "orders_export.csv", _header("shopify-orders.csv"), rows)


def _stripe_refunded(folder, amount: str, refunded: str) -> str:
    """Stripe's payments export of ch_1, the payment of ``amount``, ``refunded`` of it on 2025-04-15 in Stripe's
    dashboard (its ``Refunded date (UTC)``), a refund Shopify's export does not hold."""
    row = _charge("ch_1", "2025-03-10 17:00:00", amount, refunded, "usd", "A B", "Seattle", "WA", "US", "", "order",
                  **{"Refunded date (UTC)": "2025-04-15 17:00:00"})
    return _write(folder / "payments.csv", _header("stripe-payments.csv") + ["Refunded date (UTC)"], [row])


def _categories(engine, *paths):
    """Washington's sales per category in 2025 (no --category: each line's own), as `nexus check` gives them."""
    args = ["check", "--as-of", AS_OF, "--engine", engine, "--format", "json"]
    for path in paths:
        args += ["--sales", path]
    run = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert run.exit_code == 0, run.output
    finding = next(f for f in json.loads(run.stdout)["findings"] if f["jurisdiction"] == "US-WA")
    return finding["sales"], {c["category"]: c["sales"] for c in finding["categories"]}


@pytest.mark.parametrize("engine", ENGINES)
def test_a_stripe_refund_of_an_order_of_goods_and_a_download_is_split_between_its_categories(tmp_path, engine):
    """Worked by hand: Shopify's order #1 is 100.00 of goods and 50.00 of a download, 150.00 (no tax, no shipping);
    Stripe refunded 30.00 of it, which Shopify does not hold. The refund is a fifth of the order: goods take 20.00
    back (100/150 of 30.00) and digital 10.00 (50/150), as Shopify's own refund of 30.00 would: goods 80.00, digital
    40.00, Washington 120.00. Before, the 30.00 was counted under 'unknown' (goods 100.00, digital 50.00, unknown
    -30.00): a test or an estimate that counts goods alone overstated them by 20.00."""
    shopify = _shopify_goods_and_download(tmp_path)
    expected = ("120.00", {"goods": "80.00", "digital": "40.00"})
    assert _categories(engine, shopify, _stripe_refunded(tmp_path, "150.00", "30.00")) == expected
    assert _categories(engine, _shopify_goods_and_download(tmp_path, refunded="30.00")) == expected  # Shopify's own


def test_a_stripe_refund_of_an_order_of_two_categories_is_linked_per_category_with_its_shipping_and_tax(tmp_path):
    """Worked by hand: order #1 is a teapot of 100.00 with 10.00 of shipping (goods, 110.00) and an e-book of 50.00
    (digital), 16.00 of tax split by those amounts (goods 11.00, digital 5.00): 176.00. Stripe refunds 44.00, a
    quarter, naming no tax: goods take back 27.50 (2.50 of it shipping) and 2.75 of tax, digital 12.50 and 1.25,
    each linked to the order's day, 2025-03-10; the same as Shopify's own refund of 44.00. Before, one record of
    -40.00 and -4.00 of tax under 'unknown'."""
    shopify = _shopify_goods_and_download(tmp_path, "10.00", "16.00")
    profile = ("US-WA", "USD", "direct", "refund", "no")
    linked = {profile + ("goods",): {date(2025, 4, 15): {date(2025, 3, 10): [Decimal("-27.50"), Decimal("-2.75")]}},
              profile + ("digital",): {date(2025, 4, 15): {date(2025, 3, 10): [Decimal("-12.50"), Decimal("-1.25")]}}}
    assert _links(shopify, _stripe_refunded(tmp_path, "176.00", "44.00"), category=None) == linked


@pytest.mark.parametrize("engine", ENGINES)
def test_california_s_tax_at_stake_takes_the_goods_part_of_a_stripe_refund_off(tmp_path, engine):
    """California counts goods and taxes them; digital downloads are neither (bundled rules and taxability). A kiln
    of 600,000.00 on 2025-01-05 crossed its USD 500,000 test; order #1 (2025-03-10, goods 100.00 and a download
    50.00) was refunded 30.00 in Stripe on 2025-04-15. Worked by hand, the refund is goods 20.00 and digital 10.00:
    taxable sales 600,000 + 100 - 20 = 600,080.00, central tax at 8.80% (7.25% state and the average local rate) USD
    52,807.04. Before, the 30.00 was 'unknown', which California's goods-only figures left out: 600,100.00 and USD
    52,808.80, tax on 20.00 of a teapot refunded."""
    los_angeles = ("Los Angeles", "90001", "CA", "California")
    kiln = _shopify_order("#0", "2025-01-05", [_item("1", "Kiln", "600000.00", "KILN")], "600000.00", "ch_0",
                          to=los_angeles)
    shopify = _shopify_goods_and_download(tmp_path, to=los_angeles, before=(kiln,))
    args = ["check", "--as-of", AS_OF, "--engine", engine, "--format", "json", "--sales", shopify, "--sales",
            _stripe_refunded(tmp_path, "150.00", "30.00")]
    run = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert run.exit_code == 0, run.output
    finding = next(f for f in json.loads(run.stdout)["findings"] if f["jurisdiction"] == "US-CA")
    assert {c["category"]: (c["sales"], c["counted"]) for c in finding["categories"]} == {
        "goods": ("600080.00", True), "digital": ("40.00", False)}
    e = finding["exposure"]
    assert (e["taxable_sales"], e["uncollected"]["central"]) == ("600080.00", "52807.04")
