"""A PayPal ``Chargeback Reversal`` names the chargeback it reverses (its ``Reference Txn ID``), not the payment: it is
read as of that payment, as its chargeback is, so that a reversal of a payment matched to a store's order is put back
where the chargeback was taken off (nexus.payment_matches), and both are linked to the payment's day alike."""
from decimal import Decimal

from nexus.sales import read_sales
from payment_pairs import _header, _paypal as row, _write, woo_export


def test_a_paypal_chargeback_reversal_of_a_payment_matched_to_a_store_order_is_put_back_at_the_order(tmp_path):
    """WooCommerce's 5001 ships to San Francisco (54.00, of it 4.00 tax: 50.00 of sales, shipping included), paid by
    PayPal's 1AA11111AA1111111, whose buyer's PayPal address is in Brooklyn, NY. PayPal takes the 54.00 back as a
    chargeback on 08/25 and returns it on 09/10 (a ``Chargeback Reversal`` naming the chargeback): the chargeback
    counts at the order's place, California, and so does its reversal, traced through it to the matched payment:
    California 50.00 - 50.00 + 50.00 = 50.00, New York nothing. Before, the reversal (named by the chargeback, which
    matches no order) was counted where PayPal placed it: California 0.00, New York 50.00."""
    woo = woo_export(tmp_path, [("5001", "2025-08-14 10:00:00", "completed", "USD", "54.00", "4.00", "5.00",
                                 "太郎 山田", "San Francisco", "CA", "US", "1AA11111AA1111111", "ppcp-gateway")])
    rows = [row("09/10/2025", "山田 太郎", "Chargeback Reversal", "USD", "54.00", "4.00", "5.00", "9CR00000CR0000000",
                reference="9CB00000CB0000000"),
            row("08/25/2025", "山田 太郎", "Chargeback", "USD", "-54.00", "-4.00", "-5.00", "9CB00000CB0000000",
                reference="1AA11111AA1111111"),
            row("08/14/2025", "山田 太郎", "Express Checkout Payment", "USD", "54.00", "4.00", "5.00",
                "1AA11111AA1111111", place=("Brooklyn", "NY", "US"))]
    paypal = _write(tmp_path / "Download.CSV", _header("paypal-activity.csv"), rows, quote_all=True)
    ledger = read_sales([paypal, woo])
    places: dict[str, Decimal] = {}
    for key, (amount, _transactions) in ledger.totals.items():
        places[key[0]] = places.get(key[0], Decimal(0)) + amount
    assert places == {"US-CA": Decimal("50.00")}
