"""Two pairs of a store's export and its payment provider's, written from the platforms' documented columns (the
headers of tests/exports/: WooCommerce's order export with ``transaction_id``, Stripe's payments export, Shopify's
orders export with ``Payment References``, PayPal's activity download), for tests/test_payment_matches.py and
tests/test_cli_payment_matches.py. Every figure the tests assert is worked out by hand from the rows below.

**WooCommerce beside Stripe** (2025-07):

* 3001, Seattle WA, 108.00 with 8.00 tax and 10.00 shipping, paid by ``ch_3PA0001``: one sale of 100.00 in WA.
* 3002, 東京都 (JP-13), JPY 16,500 with 1,500 tax and 1,000 shipping, its ``transaction_id`` the PaymentIntent
  ``pi_3PA0002`` of Stripe's ``ch_3PA0002``; refunded JPY 5,500 on 10 Jul in WooCommerce, and Stripe's
  ``Amount Refunded`` 5,500 is that refund: JPY 15,000 - 5,000 = 10,000 in JP-13.
* 3003, Seattle WA, 54.00 with 4.00 tax, paid by ``ch_3PA0003`` with a card billed in Oregon; Stripe says a
  dispute of 54.00 was lost on 5 Aug, which WooCommerce does not hold: a chargeback of 50.00 (54.00 less its
  4.00 of tax, in the order's proportions) in WA on 2025-08-05, not in Oregon.
* 3004, Seattle WA, cancelled in WooCommerce; Stripe's ``ch_3PA0004`` of 32.40 was refunded in full: neither
  counted.
* 3005, Seattle WA, 21.60 with 1.60 tax, paid by bank transfer (no ``transaction_id``): 20.00 in WA.
* Stripe's ``ch_3PA0006``, 75.00 from a card in Portland OR, an invoice (no order): 75.00 in OR.

Washington: 100.00 + 50.00 + 20.00 - 50.00 = 120.00 in 3 transactions; JP-13: JPY 10,000 in 1; Oregon: 75.00 in
1. Rows: WooCommerce 5 = 4 used + 1 left out; Stripe 5 = 1 used + 4 duplicates (ch_3PA0001 to ch_3PA0004).

**Shopify beside PayPal** (2025-08):

* #1001, San Francisco CA, 54.00 (45.00 of goods, 5.00 shipping, 4.00 tax), two line items, ``Payment
  References`` the PayPal ``Transaction ID`` 1AA11111AA1111111; PayPal refunded 27.00 on 25 Aug (no tax written
  on its row), which Shopify does not hold (``Refunded Amount`` 0.00): 50.00 - 25.00 = 25.00 in CA, the refund
  split as the order is (27.00 of 54.00: 25.00 of sales, 2.50 of it shipping, 2.00 tax).
* #1002, 大阪府 (JP-27), JPY 11,000 with 1,000 tax, ``Payment References`` c29000000002.1, which PayPal's payment
  2BB22222BB2222222 carries as its ``Invoice Number``; refunded JPY 5,500 (500 tax) in both: JPY 10,000 - 5,000 =
  5,000 in JP-27.
* #1003, Seattle WA, 32.40 with 2.40 tax, paid through Shopify Payments: 30.00 in WA.
* PayPal's 4DD44444DD4444444, a General Payment of 40.00 from Brooklyn NY with no order (an invoice): 40.00 in NY.

Rows: Shopify 4 (#1001 two) = 4 used; PayPal 5 = 2 used (the refund of #1001, the invoice) + 3 duplicates.
"""
from __future__ import annotations

import csv
from pathlib import Path

EXPORTS = Path(__file__).resolve().parent / "exports"


def _header(name: str) -> list[str]:
    with open(EXPORTS / name, encoding="utf-8-sig", newline="") as handle:
        return next(csv.reader(handle))


def _write(path: Path, header: list[str], rows: list[dict[str, str]], quote_all: bool = False) -> str:
    """``rows`` under the documented ``header``, every column not given left empty."""
    for row in rows:
        unknown = set(row) - set(header)
        assert not unknown, unknown
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
        writer.writerow(header)
        writer.writerows([row.get(column, "") for column in header] for row in rows)
    return str(path)


def _woo(number: str, day: str, status: str, currency: str, total: str, tax: str, shipping: str, names: str,
         city: str, state: str, country: str, transaction: str, method: str = "stripe", **more: str) -> dict:
    first, last = names.split(" ")
    return {"order_id": f"9{number}", "order_number": number, "order_date": day, "paid_date": day, "status": status,
            "shipping_total": shipping, "shipping_tax_total": "0.00", "fee_total": "0.00", "fee_tax_total": "0.00",
            "tax_total": tax, "cart_discount": "0.00", "order_discount": "0.00", "discount_total": "0.00",
            "order_total": total, "order_currency": currency, "payment_method": method,
            "payment_method_title": {"stripe": "クレジットカード (Stripe)", "ppcp-gateway": "PayPal"}.get(method, "銀行振込"),
            "transaction_id": transaction, "shipping_method": "flat_rate", "customer_email": f"c{number}@example.jp",
            "billing_first_name": first, "billing_last_name": last, "billing_city": city, "billing_state": state,
            "billing_country": country, "shipping_first_name": first, "shipping_last_name": last,
            "shipping_city": city, "shipping_state": state, "shipping_country": country, **more}


def woo_export(folder: Path, orders: list[tuple], name: str = "woo-orders.csv") -> str:
    """A WooCommerce order export of ``orders``, each the first arguments of :func:`_woo`."""
    return _write(folder / name, _header("woocommerce-orders.csv"), [_woo(*order) for order in orders])


def woocommerce_orders(folder: Path) -> str:
    rows = [
        _woo("3001", "2025-07-01 10:00:00", "processing", "USD", "108.00", "8.00", "10.00", "太郎 山田", "Seattle",
             "WA", "US", "ch_3PA0001",
             line_item_1="name:急須 (Kyusu teapot)|sku:KYUSU-1|quantity:1|total:90.00|tax:8.00"),
        _woo("3002", "2025-07-02 09:00:00", "completed", "JPY", "16500", "1500", "1000", "花子 佐藤", "渋谷区", "JP13",
             "JP", "pi_3PA0002", refund_items="amount:5500|reason:破損 (箱が潰れていた)|date:2025-07-10 12:00:00",
             line_item_1="name:抹茶セット|sku:MATCHA-SET|quantity:1|total:14000|tax:1500"),
        _woo("3003", "2025-07-03 15:00:00", "completed", "USD", "54.00", "4.00", "0.00", "健 鈴木", "Seattle", "WA",
             "US", "ch_3PA0003", line_item_1="name:煎茶 100 g|sku:TEA-SENCHA|quantity:3|total:50.00|tax:4.00"),
        _woo("3004", "2025-07-04 11:00:00", "cancelled", "USD", "32.40", "2.40", "0.00", "美咲 高橋", "Seattle", "WA",
             "US", "ch_3PA0004"),
        _woo("3005", "2025-07-05 16:00:00", "processing", "USD", "21.60", "1.60", "0.00", "翔 伊藤", "Seattle", "WA",
             "US", "", method="bacs"),
    ]
    return _write(folder / "woocommerce-orders.csv", _header("woocommerce-orders.csv"), rows)


def _charge(charge: str, day: str, amount: str, refunded: str, currency: str, name: str, city: str, state: str,
            country: str, intent: str, description: str, **more: str) -> dict:
    return {"id": charge, "Description": description, "Seller Message": "Payment complete.", "Created (UTC)": day,
            "Amount": amount, "Amount Refunded": refunded, "Currency": currency, "Fee": "0.00", "Tax": "0.00",
            "Mode": "Live", "Status": "Refunded" if refunded == amount else "Paid", "Captured": "true",
            "Card Name": name, "Card Address City": city, "Card Address State": state,
            "Card Address Country": country, "Card Issue Country": country, "Payment Source Type": "card",
            "PaymentIntent ID": intent, **more}


def stripe_payments(folder: Path) -> str:
    rows = [
        _charge("ch_3PA0001", "2025-07-01 17:00:00", "108.00", "0.00", "usd", "山田 太郎", "Seattle", "WA", "US",
                "pi_3PA0001", "Sakura Goods 注文 3001"),
        _charge("ch_3PA0002", "2025-07-02 00:00:00", "16500", "5500", "jpy", "佐藤 花子", "渋谷区", "東京都", "JP",
                "pi_3PA0002", "Sakura Goods 注文 3002"),
        _charge("ch_3PA0003", "2025-07-03 22:00:00", "54.00", "0.00", "usd", "鈴木 健", "Portland", "OR", "US",
                "pi_3PA0003", "Sakura Goods 注文 3003",
                **{"Disputed Amount": "54.00", "Dispute Status": "lost", "Dispute Reason": "fraudulent",
                   "Dispute Date (UTC)": "2025-08-05 09:00:00"}),
        _charge("ch_3PA0004", "2025-07-04 18:00:00", "32.40", "32.40", "usd", "高橋 美咲", "Seattle", "WA", "US",
                "pi_3PA0004", "Sakura Goods 注文 3004"),
        _charge("ch_3PA0006", "2025-07-06 20:00:00", "75.00", "0.00", "usd", "中村 陽子", "Portland", "OR", "US",
                "pi_3PA0006", "請求書 INV-0006 (茶会のケータリング)"),
    ]
    return _write(folder / "stripe-payments.csv", _header("stripe-payments.csv"), rows)


def _shopify(name: str, line: dict, **order: str) -> dict:
    return {"Name": name, **order, **line}


def _item(quantity: str, title: str, price: str, sku: str) -> dict:
    return {"Lineitem quantity": quantity, "Lineitem name": title, "Lineitem price": price, "Lineitem sku": sku,
            "Lineitem requires shipping": "true", "Lineitem taxable": "true", "Lineitem discount": "0.00"}


def _ship_to(person: str, city: str, zip_code: str, province: str, country: str, province_name: str) -> dict:
    where = {"Name": person, "City": city, "Zip": zip_code, "Province": province, "Country": country,
             "Province Name": province_name}
    return {f"{side} {part}": value for side in ("Billing", "Shipping") for part, value in where.items()}


def shopify_orders(folder: Path) -> str:
    rows = [
        _shopify("#1001", _item("1", "急須 (Kyusu teapot)", "30.00", "KYUSU-1"), Email="taro@example.jp",
                 **{"Financial Status": "paid", "Currency": "USD", "Subtotal": "45.00", "Shipping": "5.00",
                    "Taxes": "4.00", "Total": "54.00", "Created at": "2025-08-14 10:00:00 -0700",
                    "Payment Method": "PayPal Express Checkout", "Payment Reference": "1AA11111AA1111111",
                    "Refunded Amount": "0.00", "Payment ID": "1AA11111AA1111111",
                    "Payment References": "1AA11111AA1111111"},
                 **_ship_to("山田 太郎", "San Francisco", "94105", "CA", "US", "California")),
        _shopify("#1001", _item("1", "風呂敷 S (Furoshiki)", "15.00", "FUROSHIKI-S")),
        _shopify("#1002", _item("1", "抹茶セット", "10000", "MATCHA-SET"), Email="misaki@example.jp",
                 **{"Financial Status": "partially_refunded", "Currency": "JPY", "Subtotal": "10000",
                    "Shipping": "0", "Taxes": "1000", "Total": "11000", "Created at": "2025-08-15 09:00:00 +0900",
                    "Payment Method": "PayPal Express Checkout", "Payment Reference": "c29000000002.1",
                    "Refunded Amount": "5500", "Payment ID": "c29000000002.1",
                    "Payment References": "c29000000002.1"},
                 **_ship_to("高橋 美咲", "大阪市北区", "530-0001", "27", "JP", "大阪府")),
        _shopify("#1003", _item("1", "煎茶 100 g", "30.00", "TEA-SENCHA"), Email="ken@example.com",
                 **{"Financial Status": "paid", "Currency": "USD", "Subtotal": "30.00", "Shipping": "0.00",
                    "Taxes": "2.40", "Total": "32.40", "Created at": "2025-08-16 12:00:00 -0700",
                    "Payment Method": "Shopify Payments", "Payment Reference": "rAbCdEfGh1234567",
                    "Refunded Amount": "0.00", "Payment ID": "rAbCdEfGh1234567",
                    "Payment References": "rAbCdEfGh1234567"},
                 **_ship_to("鈴木 健", "Seattle", "98101", "WA", "US", "Washington")),
    ]
    return _write(folder / "orders_export.csv", _header("shopify-orders.csv"), rows)


def _paypal(day: str, name: str, kind: str, currency: str, gross: str, tax: str, shipping: str, transaction: str,
            reference: str = "", invoice: str = "", place: tuple[str, str, str] = ("", "", "")) -> dict:
    city, state, country = place
    return {"Date": day, "Time": "10:00:00", "TimeZone": "PDT", "Name": name, "Type": kind, "Status": "Completed",
            "Currency": currency, "Gross": gross, "Fee": "0.00", "Net": gross, "Transaction ID": transaction,
            "Shipping and Handling Amount": shipping, "Sales Tax": tax, "Reference Txn ID": reference,
            "Invoice Number": invoice, "Town/City": city,
            "State/Province/Region/County/Territory/Prefecture/Republic": state,
            "Country": {"US": "United States", "JP": "Japan"}.get(country, ""), "Country Code": country}


def paypal_activity(folder: Path) -> str:
    rows = [  # newest first, as PayPal writes the download
        _paypal("08/25/2025", "山田 太郎", "Payment Refund", "USD", "-27.00", "0.00", "0.00", "5RR55555RR5555555",
                reference="1AA11111AA1111111"),
        _paypal("08/20/2025", "高橋 美咲", "Payment Refund", "JPY", "-5500", "-500", "0", "3RR33333RR3333333",
                reference="2BB22222BB2222222", invoice="c29000000002.1"),
        _paypal("08/18/2025", "中村 陽子", "General Payment", "USD", "40.00", "0.00", "0.00", "4DD44444DD4444444",
                invoice="INV2-TEA-0040", place=("Brooklyn", "NY", "US")),
        _paypal("08/15/2025", "高橋 美咲", "Express Checkout Payment", "JPY", "11000", "1000", "0",
                "2BB22222BB2222222", invoice="c29000000002.1", place=("大阪市北区", "大阪府", "JP")),
        _paypal("08/14/2025", "山田 太郎", "Express Checkout Payment", "USD", "54.00", "4.00", "5.00",
                "1AA11111AA1111111", place=("San Francisco", "CA", "US")),
    ]
    return _write(folder / "Download.CSV", _header("paypal-activity.csv"), rows, quote_all=True)
