"""Platform exports as the platforms really write them: each test's header row is copied from a real export found
in a public repository (cited beside it), its values invented and its totals worked out by hand."""
from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from nexus import exports
from nexus.errors import InputError
from nexus.read_options import ReadOptions
from nexus.sales import read_sales
from test_exports import per_place

# Every file a reader opens is closed where it is opened: an unclosed one is an error (see tests/test_exports.py).
pytestmark = pytest.mark.filterwarnings("error::ResourceWarning", "error::pytest.PytestUnraisableExceptionWarning")

D = Decimal

#: A UK account's PayPal activity download: johannesgerer/buchhaltung, src/Buchhaltung/Importers.hs (its English
#: PayPal importer's header, version 2018). Postage and Packaging Amount, VAT, County, Postcode, Time zone.
PAYPAL_UK = ["Date", "Time", "Time zone", "Name", "Type", "Status", "Currency", "Gross", "Fee", "Net",
             "From Email Address", "To Email Address", "Transaction ID", "Shipping Address", "Address Status",
             "Item Title", "Item ID", "Postage and Packaging Amount", "Insurance Amount", "VAT", "Option 1 Name",
             "Option 1 Value", "Option 2 Name", "Option 2 Value", "Reference Txn ID", "Invoice Number",
             "Custom Number", "Quantity", "Receipt ID", "Balance", "Address Line 1",
             "Address Line 2/District/Neighbourhood", "Town/City", "County", "Postcode", "Country",
             "Contact Phone Number", "Subject", "Note", "Country Code", "Balance Impact"]

#: PayPal's statement CSV (Statements > Custom): OCA/bank-statement-import,
#: account_statement_import_paypal/tests/fixtures/statement_en.csv.
PAYPAL_STATEMENT = ["Date", "Time", "Time Zone", "Description", "Currency", "Gross", "Fee", "Net", "Balance",
                    "Transaction ID", "From Email Address", "Name", "Bank Name", "Bank Account",
                    "Shipping and Handling Amount", "Sales Tax", "Invoice ID", "Reference Txn ID"]


def write(path: Path, header: list[str], rows: list[dict[str, str]]) -> str:
    """A CSV as PayPal writes it (UTF-8 with a byte-order mark, every field quoted), the cells not given empty."""
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        out = csv.writer(handle, quoting=csv.QUOTE_ALL)
        out.writerow(header)
        for row in rows:
            assert set(row) <= set(header), set(row) - set(header)
            out.writerow([row.get(name, "") for name in header])
    return str(path)


def uk(type_: str, gross: str, txn: str, **cells: str) -> dict[str, str]:
    """A row of the UK download: completed, in GBP, on 14/08/2025, from a buyer in the United Kingdom."""
    return {"Date": "14/08/2025", "Time": "10:00:00", "Time zone": "Europe/London", "Type": type_,
            "Status": "Completed", "Currency": "GBP", "Gross": gross, "Transaction ID": txn,
            "Postage and Packaging Amount": "0.00", "VAT": "0.00", "Country": "United Kingdom",
            "Country Code": "GB", **cells}


def test_a_uk_paypal_download_names_shipping_tax_and_region_its_own_way(tmp_path):
    """A UK account's download writes Postage and Packaging Amount, VAT and County for the US download's Shipping
    and Handling Amount, Sales Tax and State/Province/...: it was refused as 'has no Shipping and Handling Amount
    column'. A payment of 60.00 with 5.00 postage and 10.00 VAT is a sale of 50.00 (postage in, VAT out); a US
    buyer's state is in County."""
    path = write(tmp_path / "Download.CSV", PAYPAL_UK, [
        uk("Express Checkout Payment", "60.00", "1UK11111UK1111111", VAT="10.00",
           **{"Postage and Packaging Amount": "5.00"}),
        uk("Website Payment", "30.00", "2UK22222UK2222222", Currency="USD", County="TX",
           Country="United States", **{"Country Code": "US"})])
    assert exports.detect(PAYPAL_UK).NAME == "paypal"
    assert per_place(read_sales([path])) == {("GB", "GBP"): (D("50.00"), 1, D("5.00"), D("10.00")),
                                             ("US-TX", "USD"): (D("30.00"), 1, D("0.00"), D("0.00"))}


@pytest.mark.parametrize("type_, gross", [
    # Types found in real downloads (docs/input-formats.md cites where), none of them a sale:
    ("Cancellation of Hold for Dispute Resolution", "60.00"),   # a dispute's hold given back
    ("Hold on Balance for Dispute Investigation", "-60.00"),
    ("Reversal of General Account Hold", "60.00"),
    ("Account Hold for Open Authorization", "-60.00"),
    ("Payment Hold", "-60.00"), ("Payment Release", "60.00"),   # OCA/bank-statement-import's activity_en.csv
    ("User Initiated Currency Conversion", "60.00"),
    ("Bank Deposit to PP Account ", "60.00"),                   # trailing space as PayPal writes it
    ("Update to eCheck Received", "60.00"),                     # an update of the payment's own row
    ("Canceled Payment", "60.00"),                              # older downloads: a payment sent, cancelled
    ("Fee Reversal", "2.00"), ("Dispute Fee", "-20.00"),
    ("Tax collected by partner", "-10.00"),
    ("General Withdrawal - Bank Account", "-60.00")])
def test_paypal_types_that_move_money_but_are_not_sales_are_left_out_and_listed(tmp_path, type_, gross):
    """Each is left out, listed with its Type; the payment of 60.00 (VAT 10.00) stays the one sale. 'Canceled
    Payment' (money back of a payment the seller sent) has 'payment' in it and a positive gross: it was counted as
    a second sale of 60.00."""
    path = write(tmp_path / "Download.CSV", PAYPAL_UK, [
        uk("Express Checkout Payment", "60.00", "1UK11111UK1111111", VAT="10.00"),
        uk(type_, gross, "9XX99999XX9999999", **{"Reference Txn ID": "1UK11111UK1111111"})])
    ledger = read_sales([path])
    assert per_place(ledger) == {("GB", "GBP"): (D("50.00"), 1, D("0.00"), D("10.00"))}
    assert [(p.line, p.reason) for p in ledger.left_out] == [(3, f"not a sale ({type_.strip()})")]


def test_a_paypal_type_nexus_does_not_know_is_never_counted_as_a_sale(tmp_path):
    """'Mass Pay Payment' with money in (a payout received) has 'payment' in it: it was counted as a sale of 60.00
    in the United Kingdom. A Type nexus does not know stops the read naming file, line and column; with
    --skip-bad-rows the row is skipped and listed, the sales being the known payment's alone."""
    path = write(tmp_path / "Download.CSV", PAYPAL_UK, [
        uk("Express Checkout Payment", "60.00", "1UK11111UK1111111", VAT="10.00"),
        uk("Mass Pay Payment", "60.00", "3MP33333MP3333333")])
    with pytest.raises(InputError, match=r"Download.CSV:3: column 'Type' value 'Mass Pay Payment': is not a PayPal "
                                         r"transaction type nexus knows"):
        read_sales([path])
    ledger = read_sales([path], ReadOptions(skip_bad_rows=True))
    assert per_place(ledger) == {("GB", "GBP"): (D("50.00"), 1, D("0.00"), D("10.00"))}
    assert [(p.line, p.column, p.value) for p in ledger.skipped] == [(3, "Type", "Mass Pay Payment")]


def test_a_paypal_payment_status_decides_whether_it_was_received(tmp_path):
    """PayPal documents 'Returned' (unclaimed for 30 days and sent back) and 'Uncleared' (an eCheck not cleared):
    neither reached the seller, and each was counted as a sale of 60.00. 'Refunded' and 'Held' payments were
    received (their refund and hold are rows of their own); a Status PayPal does not document is an error naming
    it, never counted by guess."""
    rows = [uk("Express Checkout Payment", "60.00", "1UK11111UK1111111", Status="Refunded", VAT="10.00"),
            uk("Express Checkout Payment", "30.00", "2UK22222UK2222222", Status="Held"),
            uk("Express Checkout Payment", "60.00", "3UK33333UK3333333", Status="Returned"),
            uk("Website Payment", "60.00", "4UK44444UK4444444", Status="Uncleared")]
    ledger = read_sales([write(tmp_path / "Download.CSV", PAYPAL_UK, rows)])
    assert per_place(ledger) == {("GB", "GBP"): (D("80.00"), 2, D("0.00"), D("10.00"))}  # 50.00 + 30.00
    assert [p.reason for p in ledger.left_out] == ["a payment not received (Status Returned)",
                                                   "a payment not received (Status Uncleared)"]
    odd = write(tmp_path / "odd.CSV", PAYPAL_UK, [uk("Website Payment", "60.00", "5UK55555UK5555555",
                                                     Status="Awaiting")])
    with pytest.raises(InputError, match=r"odd.CSV:2: column 'Status' value 'Awaiting': is not a payment status "
                                         r"nexus knows"):
        read_sales([odd])


def test_a_paypal_statement_csv_is_refused_with_what_it_lacks(tmp_path):
    """PayPal's statement CSV has a Description for the Type, no Status and no address: it was read as nexus's own
    layout and stopped on 'missing required column(s)'. It is recognised and refused with the reason and the
    download to use."""
    path = write(tmp_path / "statement.csv", PAYPAL_STATEMENT, [
        {"Date": "9/4/2018", "Time": "20:44:10", "Time Zone": "America/Los_Angeles",
         "Description": "Express Checkout Payment", "Currency": "USD", "Gross": "1,309.80", "Fee": "-48.76",
         "Net": "1,261.04", "Balance": "1,261.93", "Transaction ID": "7ST77777ST7777777",
         "Shipping and Handling Amount": "0.00", "Sales Tax": "0.00"}])
    assert exports.detect(PAYPAL_STATEMENT).NAME == "paypal"
    with pytest.raises(InputError, match=r"statement.csv:1: looks like a PayPal statement CSV \(Statements\), which "
                                         r"has no buyer's address and no Status"):
        read_sales([path])


#: An Etsy Sold Orders CSV of a shop whose file says Delivery for Ship: YitongM/Etsy2ParcelMonkeyCSV,
#: Etsy2ParcelMonkeyCSV/Mapping/EtsyMapping.cs (its column map, by index). 'Date Posted', 'Sales tax' and
#: 'Order total' are written so, in lower case.
ETSY_DELIVERY = ["Sale Date", "Order ID", "Buyer User ID", "Full Name", "First Name", "Last Name", "Number of Items",
                 "Payment Method", "Date Posted", "Street 1", "Street 2", "Delivery City", "Delivery State",
                 "Delivery Zipcode", "Delivery Country", "Currency", "Order Value", "Coupon Code", "Coupon Details",
                 "Discount Amount", "Delivery Discount", "Delivery", "Sales tax", "Order total", "Status",
                 "Card Processing Fees", "Order Net", "Adjusted Order Total", "Adjusted Card Processing Fees",
                 "Adjusted Net Order Amount", "Buyer", "Order Type", "Payment Type", "InPerson Discount",
                 "InPerson Location", "SKU"]


def test_an_etsy_file_that_says_delivery_and_writes_sales_tax_in_lower_case_is_read(tmp_path):
    """The Delivery columns, 'Sales tax' and 'Order total' as the real header writes them: a sale of 40.00 less a
    4.00 coupon plus 6.00 delivery less 1.00 delivery discount is 41.00 (delivery 5.00); the 2.00 refund
    (Order total 45.00, Adjusted Order Total 43.00) takes 41.00 x 2/45 off, 1.82 (delivery 0.22, tax 0.18)."""
    path = tmp_path / "EtsySoldOrders2025.csv"
    row = {"Sale Date": "03/15/25", "Order ID": "3001", "Buyer User ID": "903001", "Delivery City": "Leeds",
           "Delivery Country": "United Kingdom", "Currency": "GBP", "Order Value": "40.00", "Discount Amount": "4.00",
           "Delivery Discount": "1.00", "Delivery": "6.00", "Sales tax": "4.00", "Order total": "45.00",
           "Status": "Completed", "Adjusted Order Total": "43.00"}
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(ETSY_DELIVERY)
        out.writerow([row.get(name, "") for name in ETSY_DELIVERY])
    assert exports.detect(ETSY_DELIVERY).NAME == "etsy"
    assert per_place(read_sales([str(path)])) == {("GB", "GBP"): (D("39.18"), 1, D("4.78"), D("3.82"))}


AMAZON = (Path(__file__).parent / "exports" / "amazon-all-orders.txt").read_text(encoding="utf-8").splitlines()[0]


def amazon_row(order: str, status: str, price: str, item_status: str = "") -> str:
    """An All Orders row (tab-separated, no quotes): one item to San Jose, California, in USD, no tax."""
    cells = dict.fromkeys(AMAZON.split("\t"), "")
    cells.update({"amazon-order-id": order, "purchase-date": "2025-04-01T18:20:11+00:00", "order-status": status,
                  "sales-channel": "Amazon.com", "item-status": item_status or status, "quantity": "1",
                  "currency": "USD", "item-price": price, "item-tax": "0.00", "shipping-price": "0.00",
                  "shipping-tax": "0.00", "item-promotion-discount": "0.00", "ship-promotion-discount": "0.00",
                  "ship-state": "CA", "ship-country": "US", "sku": "KYUSU-1", "product-name": "Kyusu teapot"})
    return "\t".join(cells.values())


def test_an_amazon_status_decides_the_sale_and_an_unknown_one_is_never_counted(tmp_path):
    """Amazon's reports write delivery stages beside Shipped ('Shipped - Delivered to Buyer': a sale) and parcels
    that came back undelivered ('Shipped - Returned to Seller', 'Shipped - Rejected by Buyer': no sale was made),
    which were counted as sales: 25 + 15 = 40.00 counted, 30.00 and 20.00 left out and listed. A status nexus does
    not know stops the read naming file, line and column; --skip-bad-rows leaves it out and lists it."""
    path = tmp_path / "orders.txt"
    rows = [amazon_row("111-1", "Shipped - Delivered to Buyer", "25.00"), amazon_row("111-2", "Shipped", "15.00"),
            amazon_row("111-3", "Shipped - Returned to Seller", "30.00"),
            amazon_row("111-4", "Shipped - Rejected by Buyer", "20.00")]
    path.write_text("\n".join([AMAZON] + rows) + "\n", encoding="utf-8")
    ledger = read_sales([str(path)])
    assert per_place(ledger)[("US-CA", "USD")][:2] == (D("40.00"), 2)
    assert [(p.line, p.reason) for p in ledger.left_out] == [
        (4, "returned to the seller undelivered (order-status or item-status)"),
        (5, "rejected by the buyer on delivery (order-status or item-status)")]
    path.write_text("\n".join([AMAZON] + rows + [amazon_row("111-5", "On Hold Somewhere", "50.00")]) + "\n",
                    encoding="utf-8")
    with pytest.raises(InputError, match=r"orders.txt:6: column 'order-status' value 'On Hold Somewhere': is not an "
                                         r"Amazon order or item status nexus knows"):
        read_sales([str(path)])
    ledger = read_sales([str(path)], ReadOptions(skip_bad_rows=True))
    assert per_place(ledger)[("US-CA", "USD")][:2] == (D("40.00"), 2)
    assert [(p.line, p.column) for p in ledger.skipped] == [(6, "order-status")]


ETSY = (Path(__file__).parent / "exports" / "etsy-sold-orders.csv").read_text(encoding="utf-8-sig").splitlines()[0]


def test_an_etsy_file_writing_zero_adjustments_for_orders_never_refunded_counts_them(tmp_path):
    """Public copies of Etsy's Sold Orders file write 0.00 in Adjusted Order Total, Adjusted Card Processing Fees
    and Adjusted Net Order Amount for orders never refunded: nexus read each as refunded in full, and the shop's
    sales vanished. Where most of a file's orders read 0.00, the file means 'no adjustment': three orders of
    50.00 + 5.00 shipping to Massachusetts count whole, 165.00 and 3 transactions, and the report says how it read
    them. A file where one order in four reads 0.00 (the others empty) still reads that one as refunded in full."""
    header = next(csv.reader([ETSY]))

    def order(number: str, adjusted: str) -> list[str]:
        row = {"Sale Date": "09/25/26", "Order ID": number, "Ship City": "Boston", "Ship State": "MA",
               "Ship Country": "United States", "Currency": "USD", "Order Value": "50.00", "Discount Amount": "0.00",
               "Shipping Discount": "0.00", "Shipping": "5.00", "Sales Tax": "0.00", "Order Total": "55.00",
               "Status": "Completed", "Adjusted Order Total": adjusted,
               "Adjusted Card Processing Fees": adjusted and "0.00", "Adjusted Net Order Amount": adjusted and "0.00"}
        return [row.get(name, "") for name in header]

    path = tmp_path / "EtsySoldOrders2026-9.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header] + [order(n, "0.00") for n in ("101", "102", "103")])
    ledger = read_sales([str(path)])
    assert per_place(ledger)[("US-MA", "USD")][:2] == (D("165.00"), 3)
    assert any("3 of 3 orders have Adjusted Order Total 0.00, which this file writes for orders never refunded"
               in w for w in ledger.warnings)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, order("101", "0.00")] + [order(n, "") for n in ("102", "103", "104")])
    ledger = read_sales([str(path)])
    assert per_place(ledger)[("US-MA", "USD")][:2] == (D("165.00"), 4)  # 220.00 sold, 55.00 refunded
    assert not any("Adjusted Order Total" in w for w in ledger.warnings)


#: The "Advanced Order Export For WooCommerce" plugin's default columns, in its default order: the labels and the
#: columns checked by default in its WC_Order_Export_Data_Extractor_UI (woo-order-export-lite, read in
#: developermauricio/naturalconexion, wp-content/plugins/woo-order-export-lite/classes/core/
#: class-wc-order-export-data-extractor-ui.php). One row per product, the order's columns repeated on each (its
#: default 'populate other columns'); no Currency column unless chosen; Order Status as the screens label it.
WOO_ADVANCED = ["Order Number", "Order Status", "Order Date", "Customer Note", "First Name (Billing)",
                "Last Name (Billing)", "Company (Billing)", "Address 1&2 (Billing)", "City (Billing)",
                "State Code (Billing)", "Postcode (Billing)", "Country Code (Billing)", "Email (Billing)",
                "Phone (Billing)", "First Name (Shipping)", "Last Name (Shipping)", "Address 1&2 (Shipping)",
                "City (Shipping)", "State Code (Shipping)", "Postcode (Shipping)", "Country Code (Shipping)", "SKU",
                "Item #", "Item Name", "Quantity (- Refund)", "Item Cost", "Coupon Code", "Discount Amount",
                "Discount Amount Tax", "Payment Method Title", "Cart Discount Amount", "Order Subtotal Amount",
                "Shipping Method Title", "Order Shipping Amount", "Order Refund Amount", "Order Total Amount",
                "Order Total Tax Amount"]


def woo_advanced(path: Path, rows: list[dict[str, str]]) -> str:
    """An Advanced Order Export CSV as the plugin writes it by default: comma, CRLF, no byte-order mark."""
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle, lineterminator="\r\n")
        out.writerow(WOO_ADVANCED)
        for row in rows:
            assert set(row) <= set(WOO_ADVANCED), set(row) - set(WOO_ADVANCED)
            out.writerow([row.get(name, "") for name in WOO_ADVANCED])
    return str(path)


def woo_order(number: str, status: str, total: str, tax: str, shipping: str = "0", refund: str = "0",
              state: str = "TX", **cells: str) -> dict[str, str]:
    """One product row of an order shipped within the United States, on 2025-03-04 10:00."""
    return {"Order Number": number, "Order Status": status, "Order Date": "2025-03-04 10:00",
            "State Code (Billing)": state, "Country Code (Billing)": "US", "State Code (Shipping)": state,
            "Country Code (Shipping)": "US", "Item Name": "Teapot", "Quantity (- Refund)": "1",
            "Order Shipping Amount": shipping, "Order Refund Amount": refund, "Order Total Amount": total,
            "Order Total Tax Amount": tax, **cells}


def test_a_woocommerce_advanced_order_export_is_read_with_its_statuses_tax_and_refunds(tmp_path):
    """The plugin's default file was not recognised ('missing required column(s) country, amount'), and mapping its
    columns with --column counted cancelled and unpaid orders as sales and the tax as sales. Now: order 5001 (two
    product rows) is 118.80 paid with 10.00 shipping and 8.80 tax: a sale of 110.00; 5002 in California, 214.50 with
    14.50 tax, refunded 21.45 (a tenth): 200.00 - 20.00 = 180.00, tax 14.50 - 1.45 = 13.05; 5003 Cancelled and 5004
    Pending payment are left out; 5005 Refunded in full (54.00, tax 4.00) nets to nothing; 5006 has no shipping
    address and is placed by its billing one, New York: 20.00."""
    path = woo_advanced(tmp_path / "orders-2025-03-06.csv", [
        woo_order("5001", "Completed", "118.8", "8.8", shipping="10", SKU="TEA-1", **{"Item Cost": "60"}),
        woo_order("5001", "Completed", "118.8", "8.8", shipping="10", SKU="TEA-2", **{"Item Cost": "40"}),
        woo_order("5002", "Processing", "214.5", "14.5", refund="21.45", state="CA"),
        woo_order("5003", "Cancelled", "54", "4"),
        woo_order("5004", "Pending payment", "54", "4"),
        woo_order("5005", "Refunded", "54", "4", refund="54"),
        woo_order("5006", "Completed", "20", "0", state="NY",
                  **{"State Code (Shipping)": "", "Country Code (Shipping)": ""})])
    assert exports.detect(WOO_ADVANCED).NAME == "woocommerce"
    ledger = read_sales([path], ReadOptions(currency="USD"))
    totals = per_place(ledger)
    assert totals[("US-TX", "USD")][0::2] == (D("110.00"), D("10.00"))      # 110.00 + 50.00 - 50.00; shipping
    assert totals[("US-TX", "USD")][3] == D("8.80")                          # 8.80 + 4.00 - 4.00
    assert totals[("US-CA", "USD")][0::2] == (D("180.00"), D("0.00"))
    assert totals[("US-CA", "USD")][3] == D("13.05")
    assert totals[("US-NY", "USD")][0] == D("20.00")
    assert [(p.line, p.reason) for p in ledger.left_out] == [
        (5, "cancelled (Order Status Cancelled)"), (6, "pending payment (not paid) (Order Status Pending payment)")]


def test_a_woocommerce_advanced_order_export_needs_its_currency_and_refuses_a_refund_row(tmp_path):
    """The plugin writes no currency unless asked: without --currency the file is refused at its header, naming what
    to do. With 'export refunds' on, a refund is a row of its own with a negative total, and its amount is also in
    its order's Order Refund Amount: counting both would take it off twice, so the row is an error naming it. An order
    Refunded with no Order Refund Amount cannot be read either."""
    path = woo_advanced(tmp_path / "orders.csv", [woo_order("5001", "Completed", "118.8", "8.8")])
    with pytest.raises(InputError, match=r"orders.csv:1: is a WooCommerce Advanced Order Export without a 'Currency' "
                                         r"column .*--currency"):
        read_sales([path])
    refund_row = woo_advanced(tmp_path / "refunds.csv", [
        woo_order("5001", "Completed", "118.8", "8.8", refund="11.88"),
        woo_order("5001", "Refunded", "-11.88", "-0.88")])
    with pytest.raises(InputError, match=r"refunds.csv:3: column 'Order Total Amount' value '-11.88': is negative or "
                                         r"not the order's total: a refund exported as a row of its own"):
        read_sales([refund_row], ReadOptions(currency="USD"))
    apart = woo_advanced(tmp_path / "apart.csv", [  # the plugin sorts by id, newest first: the refund comes first
        woo_order("5001", "Refunded", "-11.88", "-0.88"), woo_order("5000", "Completed", "20", "0"),
        woo_order("5001", "Completed", "118.8", "8.8", refund="11.88")])
    with pytest.raises(InputError, match=r"apart.csv:2: column 'Order Total Amount' value '-11.88'"):
        read_sales([apart], ReadOptions(currency="USD"))
    empty = woo_advanced(tmp_path / "empty.csv", [woo_order("5005", "Refunded", "54", "4", refund="0")])
    with pytest.raises(InputError, match=r"empty.csv:2: column 'Order Status' value 'Refunded': is Refunded but its "
                                         r"Order Refund Amount is empty"):
        read_sales([empty], ReadOptions(currency="USD"))


@pytest.mark.parametrize("header", [
    # WooCommerce's orders report export columns (src/Admin/API/Reports/Orders/Controller.php, get_export_columns),
    # before and after 'N. Revenue' became 'Net Sales' and 'Attribution' was added.
    "Date,Order #,N. Revenue (formatted),Status,Customer,Customer type,Product(s),Items sold,Coupon(s),N. Revenue",
    "Date,Order #,N. Revenue (formatted),Status,Customer,Customer type,Product(s),Items sold,Coupon(s),Net Sales,"
    "Attribution"])
def test_a_woocommerce_analytics_download_is_refused_whatever_its_revenue_column(tmp_path, header):
    """The download WooCommerce e-mails for a large Analytics > Orders report names its revenue 'N. Revenue' in older
    versions: it was not recognised and stopped on 'missing required column(s) country, amount', which asks for a
    column the file does not have. It is now recognised and refused with the reason: it has no address."""
    path = tmp_path / "wc-orders-report-export.csv"
    path.write_text(header + "\n2023-03-04 10:00:00,1001,$118.80,Completed,Ann Lee,new,1× Teapot,1,,118.80" +
                    (",Direct" if "Attribution" in header else "") + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"wc-orders-report-export.csv:1: looks like a WooCommerce Analytics orders "
                                         r"download, which has no address"):
        read_sales([str(path)], ReadOptions(currency="USD"))


BIGCOMMERCE = (Path(__file__).parent / "exports" / "bigcommerce-orders.csv").read_text(encoding="utf-8").splitlines()[0]


def bigcommerce(path: Path, rows: list[dict[str, str]]) -> str:
    """A BigCommerce default-template export: an order to San Francisco, California, of 100.00 + 10.00 shipping +
    2.00 handling ex tax (102.00 after a 10.00 coupon), 7.84 tax, 109.84 with it; the cells given replace these."""
    header = next(csv.reader([BIGCOMMERCE]))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        for row in rows:
            cells = {"Order Status": "Shipped", "Order Total (inc tax)": "109.84", "Order Total (ex tax)": "102.00",
                     "Tax Total": "7.84", "Shipping Cost (ex tax)": "10.00", "Handling Cost (ex tax)": "2.00",
                     "Order Currency Code": "USD", "Billing State": "California", "Billing Country": "United States",
                     "Shipping State": "California", "Shipping Country": "United States", "Refund Amount": "0.00",
                     **row}
            out.writerow([cells.get(name, "") for name in header])
    return str(path)


def test_a_bigcommerce_date_written_with_an_ordinal_after_the_month_is_read(tmp_path):
    """BigCommerce writes its Order Date in the store's date format, month-first with an ordinal in some ('Mar 13th
    2026', as a public importer of its exports reads it): nexus read '13th Mar 2026' but stopped on 'Mar 13th 2026'
    ('is not a date'). Both orders now count on their days: 102.00 each, shipping 12.00, tax 7.84."""
    path = bigcommerce(tmp_path / "orders-2026-03-14.csv", [
        {"Order ID": "201", "Order Date": "Mar 13th 2026"}, {"Order ID": "202", "Order Date": "Mar 2nd 2026"}])
    ledger = read_sales([path], ReadOptions(category="goods"))
    assert per_place(ledger) == {("US-CA", "USD"): (D("204.00"), 2, D("24.00"), D("15.68"))}
    days = {day for (place, *_rest), series in ledger.series.items() if place == "US-CA" for day in series}
    assert days == {date(2026, 3, 13), date(2026, 3, 2)}


def test_a_bigcommerce_order_refunded_without_a_refund_amount_is_an_error_not_a_sale(tmp_path):
    """An Order Status 'Refunded' whose Refund Amount is 0.00 (a status set by hand, or an export of the column
    before the refund) was counted as a whole sale of 102.00: the refund cannot be read, so the row is an error naming
    it, as WooCommerce's and Adobe Commerce's are; with --skip-bad-rows it is skipped and listed. A Refunded order
    with its Refund Amount nets to nothing."""
    path = bigcommerce(tmp_path / "orders.csv", [
        {"Order ID": "201", "Order Date": "03/13/2026"},
        {"Order ID": "202", "Order Date": "03/14/2026", "Order Status": "Refunded"}])
    with pytest.raises(InputError, match=r"orders.csv:3: column 'Order Status' value 'Refunded': is Refunded but its "
                                         r"Refund Amount is empty or zero"):
        read_sales([path], ReadOptions(category="goods"))
    ledger = read_sales([path], ReadOptions(category="goods", skip_bad_rows=True))
    assert per_place(ledger)[("US-CA", "USD")][0] == D("102.00")
    assert [(p.line, p.column) for p in ledger.skipped] == [(3, "Order Status")]
    partly = bigcommerce(tmp_path / "partly.csv", [
        {"Order ID": "203", "Order Date": "03/14/2026", "Order Status": "Partially Refunded", "Refund Amount": ""}])
    with pytest.raises(InputError, match=r"partly.csv:2: column 'Order Status' value 'Partially Refunded': is "
                                         r"Partially Refunded but its Refund Amount is empty or zero"):
        read_sales([partly], ReadOptions(category="goods"))
    refunded = bigcommerce(tmp_path / "refunded.csv", [
        {"Order ID": "201", "Order Date": "03/13/2026"},
        {"Order ID": "202", "Order Date": "03/14/2026", "Order Status": "Refunded", "Refund Amount": "109.84"}])
    assert per_place(read_sales([refunded], ReadOptions(category="goods")))[("US-CA", "USD")][0::2] == (
        D("102.00"), D("12.00"))


ADOBE = (Path(__file__).parent / "exports" / "adobe-commerce-orders.csv").read_text(encoding="utf-8").splitlines()[0]


def test_an_adobe_grid_export_writing_status_codes_and_raw_amounts_is_read_as_the_grid_labels_them(tmp_path):
    """Magento's order grid export writes the Status as stored in some versions ('pending_payment' where the grid
    shows 'Pending Payment': magento/magento2 issue #28448, 2.3.4), and the amounts as stored, to four places
    ('118.2500'). An unpaid 'pending_payment' order was counted as a sale of 118.25; it is now left out and listed
    as 'Pending Payment' is. The complete order counts 100.00 + 10.00 shipping; the closed one, refunded its whole
    118.25, nets to nothing; the canceled one is left out."""
    header = next(csv.reader([ADOBE]))

    def order(number: str, status: str, refunded: str = "") -> list[str]:
        row = {"ID": number, "Purchase Point": "Main Website", "Purchase Date": "Jun 5, 2025 10:04:00 AM",
               "Grand Total (Base)": "118.2500", "Grand Total (Purchased)": "118.2500", "Status": status,
               "Billing Address": "100 Main St, Austin, Texas, 78701",
               "Shipping Address": "100 Main St, Austin, Texas, 78701", "Subtotal": "100.0000",
               "Shipping and Handling": "10.0000", "Total Refunded": refunded}
        return [row.get(name, "") for name in header]

    path = tmp_path / "export.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, order("000000011", "complete"), order("000000012", "pending_payment"),
                                      order("000000013", "closed", "118.2500"), order("000000014", "canceled")])
    ledger = read_sales([str(path)], ReadOptions(currency="USD", category="goods"))
    assert per_place(ledger)[("US-TX", "USD")][0::2] == (D("110.00"), D("10.00"))
    assert [(p.line, p.reason) for p in ledger.left_out] == [
        (3, "pending payment (not paid) (Status pending_payment)"), (5, "canceled (Status canceled)")]


STRIPE = (Path(__file__).parent / "exports" / "stripe-payments.csv").read_text(encoding="utf-8").splitlines()[0]


def test_stripe_payments_the_customer_never_completed_are_left_out(tmp_path):
    """Stripe's Dashboard shows a payment still needing a payment method, a confirmation or the customer's action as
    'Incomplete' (its page on payment statuses), and an authorisation not yet captured as 'Uncaptured'; neither took
    any money, but without 'Captured' false they were counted as sales of 80.00 and 50.00. They are left out and
    listed. 'Paid' (120.00, and 1,000.00 written with a thousands separator, as public copies of the export write
    it) counts; 'Refunded' with its Amount Refunded nets to nothing."""
    header = next(csv.reader([STRIPE]))

    def payment(number: str, status: str, amount: str, refunded: str = "0.00", captured: str = "true",
                state: str = "CA") -> list[str]:
        row = {"id": f"ch_{number}", "Created (UTC)": "2025-07-01 17:00:00", "Amount": amount,
               "Amount Refunded": refunded, "Currency": "usd", "Mode": "Live", "Status": status,
               "Captured": captured, "Card Address State": state, "Card Address Country": "US"}
        return [row.get(name, "") for name in header]

    path = tmp_path / "unified_payments.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([header, payment("1", "Paid", "120.00"),
                                      payment("2", "Incomplete", "80.00", captured=""),
                                      payment("3", "Uncaptured", "50.00", captured=""),
                                      payment("4", "Refunded", "60.00", refunded="60.00"),
                                      payment("5", "Paid", "1,000.00", state="NY")])
    ledger = read_sales([str(path)], ReadOptions(category="digital"))
    totals = per_place(ledger)
    assert totals[("US-CA", "USD")][0] == D("120.00")
    assert totals[("US-NY", "USD")][0] == D("1000.00")
    assert [(p.line, p.reason) for p in ledger.left_out] == [
        (3, "incomplete (never completed by the customer) (Status Incomplete)"),
        (4, "authorised but never captured (Status Uncaptured)")]


def test_a_woocommerce_refund_reason_with_a_semicolon_is_read_whole(tmp_path):
    """The order export (WebToffee's Order Export & Import: refund_items built as amount:|reason:|date: per refund,
    joined with ';', the reason as the shop typed it) writes a reason such as 'wrong size; exchanged' with its ';':
    the refund was split there and the run stopped on 'has a refund without its amount or its date'. It is now read
    whole: 20.00 of 119.00 back on 2025-05-10 (net 110.00 x 20/119 = 18.49, shipping 10.00 x 20/119 = 1.68, tax 9.00
    x 20/119 = 1.51), and the second refund after it is read too: 11.90 (a tenth: 11.00, 1.00 and 0.90 back)."""
    from test_exports import WOO
    refunds = ("amount:20.00|reason:wrong size; exchanged|date:2025-05-10 10:00:00;"
               "amount:11.90|reason:late; sorry|date:2025-05-12 09:00:00")
    path = tmp_path / "orders.csv"
    path.write_text(WOO + f'1001,2025-05-01 10:00:00,completed,10.00,9.00,0.00,119.00,USD,US,CA,US,CA,"{refunds}"\n',
                    encoding="utf-8")
    ledger = read_sales([str(path)])
    # 110.00 - 18.49 - 11.00 = 80.51; shipping 10.00 - 1.68 - 1.00 = 7.32; tax 9.00 - 1.51 - 0.90 = 6.59
    assert per_place(ledger)[("US-CA", "USD")] == (D("80.51"), 1, D("7.32"), D("6.59"))
    days = {day for (place, *_rest), series in ledger.series.items() if place == "US-CA" for day in series}
    assert days == {date(2025, 5, 1), date(2025, 5, 10), date(2025, 5, 12)}


#: The Customer / Order / Coupon Export extension's 'Default' order format, its columns in order (the format
#: definitions in lafranceinsoumise/woocommerce-customer-order-csv-export, includes/class-wc-customer-order-csv-
#: export-formats.php, v5.5.0): the order date under 'date'; billing_state and shipping_state are the states' names
#: (the generator's get_localized_state_for_order); refunds in 'refunds', the running total in 'refunded_total'.
WOO_DEFAULT = ["order_id", "order_number", "order_number_formatted", "date", "status", "shipping_total",
               "shipping_tax_total", "fee_total", "fee_tax_total", "tax_total", "discount_total", "order_total",
               "refunded_total", "order_currency", "payment_method", "shipping_method", "customer_id",
               "billing_first_name", "billing_last_name", "billing_company", "billing_email", "billing_phone",
               "billing_address_1", "billing_address_2", "billing_postcode", "billing_city", "billing_state",
               "billing_country", "shipping_first_name", "shipping_last_name", "shipping_address_1",
               "shipping_address_2", "shipping_postcode", "shipping_city", "shipping_state", "shipping_country",
               "shipping_company", "customer_note", "line_items", "shipping_items", "fee_items", "tax_items",
               "coupon_items", "refunds", "order_notes", "download_permissions_granted"]


def woo_default(number: str, status: str, total: str, tax: str, shipping: str = "0.00", refunded: str = "0.00",
                state: str = "Texas", **cells: str) -> list[str]:
    """A row of the Default format: an order to the United States on 2025-03-04 10:00:00 in USD."""
    row = {"order_id": number, "order_number": number, "date": "2025-03-04 10:00:00", "status": status,
           "shipping_total": shipping, "tax_total": tax, "discount_total": "0.00", "order_total": total,
           "refunded_total": refunded, "order_currency": "USD", "billing_state": state, "billing_country": "US",
           "shipping_state": state, "shipping_country": "US", **cells}
    return [row.get(name, "") for name in WOO_DEFAULT]


def test_the_woocommerce_extensions_default_format_is_read_as_woocommerce(tmp_path):
    """The official extension names the order date 'date', not 'order_date': its Default export was not recognised
    and was read as nexus's own layout, order_total (tax included) as the sale, cancelled orders and refunds
    ignored: 118.80 + 54.00 + 54.00 = 226.80 in Texas. It is read as WooCommerce: 1001 is a sale of 110.00 (118.80
    less 8.80 tax, 10.00 shipping); 1002 cancelled is left out; 1003, refunded 54.00 of 54.00, nets to nothing; the
    states written as names."""
    path = tmp_path / "orders-export-2025-03-07.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([WOO_DEFAULT, woo_default("1001", "completed", "118.80", "8.80", "10.00"),
                                      woo_default("1002", "cancelled", "54.00", "4.00"),
                                      woo_default("1003", "refunded", "54.00", "4.00", refunded="54.00")])
    assert exports.detect(WOO_DEFAULT).NAME == "woocommerce"
    ledger = read_sales([str(path)])
    assert per_place(ledger) == {("US-TX", "USD"): (D("110.00"), 2, D("10.00"), D("8.80"))}
    assert [(p.line, p.reason) for p in ledger.left_out] == [(3, "cancelled (status cancelled)")]


def test_a_woocommerce_default_export_without_order_numbers_is_read_by_order_id(tmp_path):
    """The extension writes order_number only where a sequential-numbers plugin sets one (the generator reads the
    _order_number meta): in most stores it is empty on every row, and each row after the first was taken for more
    of the order above, then refused as 'an order of its own whose id is missing'. The order is named by order_id
    then: 1001 (110.00) and 1004 (20.00) are two orders, and 1004's second item row (One Row per Item) stays part of
    it."""
    path = tmp_path / "orders.csv"
    rows = [woo_default("1001", "completed", "118.80", "8.80", "10.00", order_number=""),
            woo_default("1004", "processing", "20.00", "0.00", order_number=""),
            woo_default("1004", "processing", "20.00", "0.00", order_number="")]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([WOO_DEFAULT] + rows)
    ledger = read_sales([str(path)])
    assert per_place(ledger) == {("US-TX", "USD"): (D("130.00"), 2, D("10.00"), D("8.80"))}
    assert ledger.summary()["rows_read"] == 3


def test_the_woocommerce_extensions_refunds_are_counted_on_their_own_dates(tmp_path):
    """The Default format lists each refund in 'refunds' as id:|date:|amount:|reason:, joined with ';', and escapes
    ':', '|' and ';' in the values with a backslash (the generator's escape_reserved_item_chars): '2025-03-07
    09\\:30\\:00', 'damaged\\; replaced'. nexus read only refunded_total, on the order's date. Each refund is now
    counted on its own date: 1003's 54.00 (all of it) on 2025-03-07, and 1005's 11.88 of 118.80 (a tenth: 11.00
    net, 1.00 shipping, 0.88 tax) on 2025-03-08, in California."""
    path = tmp_path / "orders.csv"
    rows = [woo_default("1003", "refunded", "54.00", "4.00", refunded="54.00",
                        refunds="id:2001|date:2025-03-07 09\\:30\\:00|amount:54.00|reason:damaged\\; replaced"),
            woo_default("1005", "completed", "118.80", "8.80", "10.00", refunded="11.88", state="California",
                        refunds="id:2002|date:2025-03-08 10\\:00\\:00|amount:11.88|reason:")]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([WOO_DEFAULT] + rows)
    ledger = read_sales([str(path)])
    assert per_place(ledger)[("US-CA", "USD")] == (D("99.00"), 1, D("9.00"), D("7.92"))  # 110 - 11, 10 - 1, 8.8 - .88
    assert per_place(ledger)[("US-TX", "USD")][0::2] == (D("0.00"), D("0.00"))
    days = {(place, day) for (place, *_rest), series in ledger.series.items() for day in series}
    assert days == {("US-TX", date(2025, 3, 4)), ("US-TX", date(2025, 3, 7)), ("US-CA", date(2025, 3, 4)),
                    ("US-CA", date(2025, 3, 8))}


#: The extension's 'Legacy - One Row per Item' order format, its labels in order (the same formats file).
WOO_LEGACY = ["Order ID", "Date", "Order Status", "Shipping", "Shipping Tax", "Fees", "Fee Tax", "Tax",
              "Discount Total", "Order Total", "Payment Method", "Shipping Method", "Billing First Name",
              "Billing Last Name", "Billing Email", "Billing Phone", "Billing Address 1", "Billing Address 2",
              "Billing Post code", "Billing City", "Billing State", "Billing Country", "Billing Company",
              "Shipping First Name", "Shipping Last Name", "Shipping Address 1", "Shipping Address 2",
              "Shipping Post code", "Shipping City", "Shipping State", "Shipping Country", "Shipping Company",
              "Customer Note", "Item SKU", "Item Name", "Item Variation", "Item Amount", "Row Price",
              "Download Permissions Granted", "Order Notes", "Coupons"]


def test_the_woocommerce_extensions_legacy_format_is_read_as_woocommerce(tmp_path):
    """The Legacy formats name the columns by labels (Order ID, Date, Order Status, Shipping, Tax, Order Total) and
    have no currency: with --currency a UK shop's file was read as nexus's own layout, Order Total (tax and shipping
    in) as the amount, Shipping added to it again and the Order Status not read: 118.80 + 10.00 + 54.00 cancelled =
    182.80 (and a US order's state, written as a name, stopped the run). It is read as WooCommerce: order 1001's two
    item rows are one sale of 110.00 (shipping 10.00, tax 8.80), the cancelled one is left out, the Texas order of
    20.00 is placed by its state's name; without --currency the file stops at its header, asking for it."""
    def row(number: str, status: str, total: str, tax: str, shipping: str, country: str = "GB",
            state: str = "") -> list[str]:
        cells = {"Order ID": number, "Date": "2025-03-04 10:00:00", "Order Status": status, "Shipping": shipping,
                 "Tax": tax, "Order Total": total, "Billing State": state, "Billing Country": country,
                 "Shipping State": state, "Shipping Country": country, "Item SKU": "TEA-1", "Item Amount": "1"}
        return [cells.get(name, "") for name in WOO_LEGACY]

    path = tmp_path / "orders.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([WOO_LEGACY, row("1001", "completed", "118.80", "8.80", "10.00"),
                                      row("1001", "completed", "118.80", "8.80", "10.00"),
                                      row("1002", "cancelled", "54.00", "4.00", "0.00"),
                                      row("1003", "completed", "20.00", "0.00", "0.00", "US", "Texas")])
    assert exports.detect(WOO_LEGACY).NAME == "woocommerce"
    ledger = read_sales([str(path)], ReadOptions(currency="GBP"))
    assert per_place(ledger) == {("GB", "GBP"): (D("110.00"), 1, D("10.00"), D("8.80")),
                                 ("US-TX", "GBP"): (D("20.00"), 1, D("0.00"), D("0.00"))}
    assert [(p.line, p.reason) for p in ledger.left_out] == [(4, "cancelled (Order Status cancelled)")]
    with pytest.raises(InputError, match=r"orders.csv:1: is a WooCommerce order export in the extension's Legacy "
                                         r"format, which has no currency column: give the store's currency"):
        read_sales([str(path)])


#: Stripe's unified payments export with every column (the schema one public project checks its real exports
#: against): Created date (UTC), Refunded date (UTC), the card's and the shipping address, the dispute's columns.
STRIPE_UNIFIED = ["id", "Created date (UTC)", "Amount", "Amount Refunded", "Currency", "Captured", "Converted Amount",
                  "Converted Amount Refunded", "Converted Currency", "Decline Reason", "Description", "Fee", "Is Link",
                  "Link Funding", "Mode", "PaymentIntent ID", "Payment Source Type", "Refunded date (UTC)",
                  "Statement Descriptor", "Status", "Seller Message", "Taxes On Fee", "Interchange Costs",
                  "Merchant Service Charge", "Card ID", "Card Name", "Card Address Line1", "Card Address Line2",
                  "Card Address City", "Card Address State", "Card Address Country", "Card Address Zip",
                  "Card AVS Line1 Status", "Card AVS Zip Status", "Card Brand", "Card CVC Status", "Card Exp Month",
                  "Card Exp Year", "Card Fingerprint", "Card Funding", "Card Issue Country", "Card Last4",
                  "Card Tokenization Method", "Customer ID", "Customer Description", "Customer Email",
                  "Customer Phone", "Shipping Name", "Shipping Address Line1", "Shipping Address Line2",
                  "Shipping Address City", "Shipping Address State", "Shipping Address Country",
                  "Shipping Address Postal Code", "Disputed Amount", "Dispute Date (UTC)", "Dispute Evidence Due (UTC)",
                  "Dispute Reason", "Dispute Status", "Invoice ID", "Invoice Number", "Checkout Session ID",
                  "Checkout Line Item Summary", "Client Reference ID", "Payment Link ID", "Application Fee",
                  "Application ID", "Destination", "Transfer", "Transfer Group"]


def test_stripe_s_unified_payments_export_is_read_by_its_shipping_address_and_dated_refunds(tmp_path):
    """The unified export as it is written in full: a payment of 80.00 whose card is billed in California but which
    ships to New York counts in New York; its 30.00 refund counts on its own Refunded date (UTC), 2025-07-09; a
    second payment of 50.00 to New York lost a dispute of 50.00 on 2025-07-20. New York: 80.00 - 30.00 + 50.00 -
    50.00 = 50.00, two payments."""
    def payment(number: str, amount: str, **cells: str) -> list[str]:
        row = {"id": f"py_{number}", "Created date (UTC)": "2025-07-01 17:00:00", "Amount": amount,
               "Amount Refunded": "0.00", "Currency": "usd", "Captured": "true", "Mode": "Live", "Status": "Paid",
               "Card Address State": "CA", "Card Address Country": "US", "Shipping Address State": "NY",
               "Shipping Address Country": "US", **cells}
        return [row.get(name, "") for name in STRIPE_UNIFIED]

    path = tmp_path / "unified_payments.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([
            STRIPE_UNIFIED,
            payment("1", "80.00", **{"Amount Refunded": "30.00", "Refunded date (UTC)": "2025-07-09 08:00:00"}),
            payment("2", "50.00", **{"Disputed Amount": "50.00", "Dispute Status": "lost",
                                     "Dispute Date (UTC)": "2025-07-20 12:00:00"})])
    assert exports.detect(STRIPE_UNIFIED).NAME == "stripe"
    ledger = read_sales([str(path)], ReadOptions(category="digital"))
    assert per_place(ledger) == {("US-NY", "USD"): (D("50.00"), 2, D("0.00"), D("0.00"))}
    days = {day for (place, *_rest), series in ledger.series.items() for day in series}
    assert days == {date(2025, 7, 1), date(2025, 7, 9), date(2025, 7, 20)}


SHOPIFY = (Path(__file__).parent / "exports" / "shopify-orders.csv").read_text(encoding="utf-8").splitlines()[0]


def test_a_multi_currency_shopify_export_is_read_in_each_order_s_currency(tmp_path):
    """A real multi-currency shop's export (solkaun/selmanarts_kargo_takip) writes each order's amounts in its own
    Currency, line prices included: a TRY order to Istanbul (1,305.05 with 199.83 VAT: 1,105.22, shipping 106.05)
    and a USD order of two lines (35.00 + 36.00) to France with 19.72 shipping and 18.14 tax (90.72 - 18.14 =
    72.58) are counted each in its currency; the second line's row repeats only the Name."""
    header = next(csv.reader([SHOPIFY]))

    def row(**cells: str) -> list[str]:
        return [cells.get(name, "") for name in header]

    order = {"Financial Status": "paid", "Lineitem quantity": "1", "Lineitem requires shipping": "true",
             "Refunded Amount": "0.00"}
    path = tmp_path / "orders_export.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([
            header,
            row(Name="#1191", Currency="TRY", Subtotal="1199.00", Shipping="106.05", Taxes="199.83", Total="1305.05",
                **{"Created at": "2025-01-01 21:11:17 +0300", "Lineitem price": "1199.00", "Shipping Country": "TR",
                   "Billing Country": "TR", **order}),
            row(Name="#1304", Currency="USD", Subtotal="71.00", Shipping="19.72", Taxes="18.14", Total="90.72",
                **{"Created at": "2025-05-02 11:42:46 +0300", "Lineitem price": "35.00", "Shipping Country": "FR",
                   "Billing Country": "FR", **order}),
            row(Name="#1304", **{"Created at": "2025-05-02 11:42:46 +0300", "Lineitem quantity": "1",
                                 "Lineitem price": "36.00", "Lineitem requires shipping": "true"})])
    ledger = read_sales([str(path)])
    assert per_place(ledger) == {("TR", "TRY"): (D("1105.22"), 1, D("106.05"), D("199.83")),
                                 ("FR", "USD"): (D("72.58"), 1, D("19.72"), D("18.14"))}
    assert ledger.summary()["rows_read"] == 3
