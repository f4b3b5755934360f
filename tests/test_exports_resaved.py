"""Platform exports as finance teams hand them over: opened in a spreadsheet and saved again, beside a copy that
was not. Each fixture is small and written here; each expected total is worked out by hand in the comments."""
from __future__ import annotations

import csv
from datetime import datetime
from decimal import Decimal as D
from pathlib import Path

import pytest
from openpyxl import Workbook

from nexus.errors import InputError
from nexus.read_options import ReadOptions
from nexus.sales import read_sales

# Every file a test opens is closed where it is opened: an unclosed one is an error (see tests/test_exports.py).
pytestmark = pytest.mark.filterwarnings("error::ResourceWarning", "error::pytest.PytestUnraisableExceptionWarning")

ADOBE_HEADER = ('"ID","Purchase Point","Purchase Date","Bill-to Name","Ship-to Name","Grand Total (Base)",'
                '"Grand Total (Purchased)","Status","Billing Address","Shipping Address","Shipping Information",'
                '"Customer Email","Customer Group","Subtotal","Shipping and Handling","Customer Name",'
                '"Payment Method","Total Refunded"\n')


def _adobe(tmp_path, name: str, order_id: str) -> str:
    """One Adobe Commerce grid order to Texas: Subtotal 100.00 + Shipping and Handling 10.00 = 110.00 of sales."""
    row = (f'"{order_id}","Main Website","Jun 5, 2025 10:04:00 AM","Liam Johnson","Liam Johnson","$118.25","$118.25",'
           f'"Complete","100 Main St, Austin, Texas, 78701","100 Main St, Austin, Texas, 78701","Flat Rate",'
           f'"liam@example.com","General","$100.00","$10.00","Liam Johnson","Check / Money order","$0.00"\n')
    path = tmp_path / name
    path.write_text(ADOBE_HEADER + row, encoding="utf-8")
    return str(path)


def _sales(ledger) -> dict[str, tuple[D, int]]:
    found: dict[str, list] = {}
    for (place, _code, *_rest), days in ledger.series.items():
        for amount, count in days.values():
            total = found.setdefault(place, [D(0), 0])
            total[0] += amount
            total[1] += count
    return {place: (amount, count) for place, (amount, count) in found.items()}


def test_an_adobe_order_id_that_lost_its_leading_zeros_in_a_spreadsheet_is_the_same_order(tmp_path):
    # Adobe Commerce writes order 1 as 000000001 (nine digits, its default pattern); Excel opens the grid's CSV
    # and saves it as 1. Read beside a fresh export holding 000000001, it is the same order: Texas 110.00 from one
    # transaction, the other copy a duplicate, not 220.00 from two.
    resaved = _adobe(tmp_path, "grid-saved-in-excel.csv", "1")
    fresh = _adobe(tmp_path, "grid-fresh.csv", "000000001")
    options = ReadOptions(currency="USD", category="goods")
    for files in ([resaved, fresh], [fresh, resaved]):
        ledger = read_sales(files, options)
        assert _sales(ledger) == {"US-TX": (D("110.00"), 1)}
        assert ledger.summary()["duplicates"] == 1
        assert [d.reason.split(" already")[0] for d in ledger.duplicates] == ["sale '000000001'"]


BALANCE_HEADER = ("balance_transaction_id,created_utc,created,currency,gross,fee,net,reporting_category,source_id,"
                  "shipping_address_state,shipping_address_country,charge_id\n")


def _balance(tmp_path, name: str, charge: str, refund: str) -> str:
    """A Stripe itemized balance report: a charge of ``charge`` to California on 2025-03-04 and a refund of it of
    ``refund`` on 2025-03-20 (each written as the file writes it)."""
    path = tmp_path / name
    path.write_text(BALANCE_HEADER
                    + f"txn_1,2025-03-04 18:00:00,2025-03-04 10:00:00,usd,{charge},0,{charge},charge,ch_1,CA,US,ch_1\n"
                    + f"txn_2,2025-03-20 18:00:00,2025-03-20 10:00:00,usd,{refund},0,{refund},refund,re_1,,,ch_1\n",
                    encoding="utf-8")
    return str(path)


def test_a_dated_refund_saved_without_its_trailing_zeros_is_the_same_refund_as_in_a_fresh_export(tmp_path):
    # Excel saves -25.00 as -25 and 100.00 as 100. The refund, an event of its own on its own date, is the same
    # refund in both copies: California 100.00 - 25.00 = 75.00 from one sale, the second copy's two rows
    # duplicates; not 100.00 - 25.00 - 25.00 = 50.00.
    resaved = _balance(tmp_path, "balance-saved-in-excel.csv", "100", "-25")
    fresh = _balance(tmp_path, "balance-fresh.csv", "100.00", "-25.00")
    for files in ([resaved, fresh], [fresh, resaved]):
        ledger = read_sales(files, ReadOptions(category="goods"))
        assert _sales(ledger) == {"US-CA": (D("75.00"), 1)}
        assert ledger.summary()["duplicates"] == 2


def test_a_woocommerce_export_saved_by_a_european_excel_reads_its_refund_items_as_the_plugin_wrote_them(tmp_path):
    # A German Excel opens the plugin's export and saves it with semicolons and decimal commas in the amount
    # columns (110,00), but leaves refund_items as the plugin wrote it (amount:55.00): a cell of text, not a number.
    # Read with --decimal-comma: California 110.00 - 10.00 tax = 100.00 of sales; the refund of 55.00 is half the
    # order, so -50.00 of sales and -5.00 of tax on 2025-05-25: 50.00 from one transaction.
    path = tmp_path / "bestellungen.csv"
    path.write_text("order_id;order_date;status;shipping_total;tax_total;discount_total;order_total;order_currency;"
                    "shipping_country;shipping_state;billing_country;billing_state;refund_items\r\n"
                    "5001;20.05.2025 10:00;completed;0,00;10,00;0,00;110,00;USD;US;CA;US;CA;"
                    "amount:55.00|reason:zu groß|date:2025-05-25 12:00:00\r\n", encoding="utf-8-sig")
    ledger = read_sales([str(path)], ReadOptions(category="goods", decimal_comma=True))
    assert _sales(ledger) == {"US-CA": (D("50.00"), 1)}
    assert sum(tax for days in ledger.charges.values() for _shipping, tax in days.values()) == D("5.00")


def test_an_amazon_report_saved_from_excel_as_csv_reads_its_quoted_product_names(tmp_path):
    # Amazon writes its All Orders report tab-separated and never quotes; opened in Excel and saved as CSV, it is
    # comma-separated and a product name holding a comma or a quote is quoted ("Kyusu teapot, 8"" wide"). Read as
    # CSV: California 25.00 item + 4.99 shipping - 5.00 promotion = 24.99 of sales, 2.06 of tax, one order.
    path = tmp_path / "all-orders-saved-in-excel.csv"
    path.write_text('amazon-order-id,purchase-date,order-status,sales-channel,product-name,sku,item-status,quantity,'
                    'currency,item-price,item-tax,shipping-price,shipping-tax,item-promotion-discount,'
                    'ship-promotion-discount,ship-city,ship-state,ship-country\r\n'
                    '111-0000001-0000001,2025-04-01T18:20:11+00:00,Shipped,Amazon.com,"Kyusu teapot 急須, 8"" wide",'
                    'KYUSU-1,Shipped,1,USD,25.00,2.06,4.99,0.00,-5.00,0.00,SAN JOSE,CA,US\r\n', encoding="utf-8-sig")
    ledger = read_sales([str(path)])
    assert _sales(ledger) == {"US-CA": (D("24.99"), 1)}
    assert sum(tax for days in ledger.charges.values() for _shipping, tax in days.values()) == D("2.06")


WOO_HEADER = ("order_id,order_number,order_date,status,shipping_total,tax_total,discount_total,order_total,"
              "order_currency,billing_state,billing_country,shipping_state,shipping_country\n")


def test_two_woocommerce_orders_whose_long_numbers_a_spreadsheet_cut_short_stop_the_run_naming_both_rows(tmp_path):
    # Orders 1000123456789012 (Texas, 110.00 less 8.00 tax) and 1000123456789013 (California, 50.00) went through
    # Excel's General format: both ids now read 1.00012E+15, on consecutive rows. WooCommerce's rows of one id in a
    # row are one order's items, so the second order was lost inside the first (Texas 102.00 alone, California
    # nothing). Now nexus stops, naming both rows, whatever --repeated-orders says, or skips and lists both.
    path = tmp_path / "orders-saved-in-excel.csv"
    path.write_text(WOO_HEADER
                    + "1.00012E+15,1.00012E+15,2025-05-01 10:00:00,completed,0.00,8.00,0.00,110.00,USD,TX,US,TX,US\n"
                    + "1.00012E+15,1.00012E+15,2025-05-02 11:00:00,completed,0.00,0.00,0.00,50.00,USD,CA,US,CA,US\n",
                    encoding="utf-8")
    for mode in ("error", "lines", "latest"):
        with pytest.raises(InputError) as caught:
            read_sales([str(path)], ReadOptions(category="goods", repeated_orders=mode))
        assert str(caught.value) == (
            f"{path}:3: column 'order_number' value '1.00012E+15': order id '1.00012E+15' is also the id of the "
            f"row before (line 2); it is a long number as a spreadsheet shows it, its last digits gone, so the two "
            f"rows may be different orders: export the order id column as text (or straight from the platform, not "
            f"through a spreadsheet) and read again")
    ledger = read_sales([str(path)], ReadOptions(category="goods", skip_bad_rows=True))
    assert _sales(ledger) == {}
    assert ledger.summary()["rows_skipped"] == 2


def test_a_bigcommerce_workbook_whose_spreadsheet_read_some_dates_month_first_stops_at_the_date_cell(tmp_path):
    # The store writes day-first dates (05/06/2025 is 5 June: 15/06/2025 in the same file shows the order). A
    # spreadsheet set to month-first opened the CSV and saved it as a workbook: 05/06/2025 became a date cell of
    # 6 May, the dates it could not read (15/06/2025...) stayed text. Before, nexus counted California's sale of
    # 102.00 on 6 May, a month early, and the others on their days. Now it stops at the date cell, naming it.
    source = Path(__file__).parent / "exports" / "bigcommerce-orders.csv"
    with open(source, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    dated = rows[0].index("Order Date")
    book = Workbook()
    for number, row in enumerate(rows):
        if number:
            first, second, year = (int(part) for part in row[dated].split("/"))
            if first <= 12:  # what a month-first spreadsheet reads as a date: month 05, day 06
                row[dated] = datetime(year, first, second)
        book.active.append(row)
    path = tmp_path / "bigcommerce-saved.xlsx"
    book.save(path)
    with pytest.raises(InputError) as caught:
        read_sales([str(path)], ReadOptions(category="goods"))
    assert str(caught.value) == (
        f"{path}:2: column 'Order Date' value '2025-05-06': is a spreadsheet's date cell, in a column whose dates are "
        f"also written as text (line 3: '15/06/2025'): the spreadsheet that opened the export turned into dates those "
        f"it could read in its own order of day and month and left the others as text, so the day and month of this "
        f"one may be swapped; take the export from the platform again, or open it importing this column as text")


def test_a_stripe_payment_saved_as_never_captured_in_a_german_spreadsheet_is_left_out(tmp_path):
    # Stripe writes Captured false for an authorisation never captured; a German Excel saves it as FALSCH. Before,
    # a payment whose Status did not say so too (Paid, as the payment's row read) was counted as a sale of 120.00.
    rows = _stripe_rows()
    captured = rows[0].index("Captured")
    rows = rows[:2]  # one payment: ch_3QA000000000001, Paid, 120.00 to California
    rows[1][captured] = "FALSCH"
    ledger = read_sales([_saved(tmp_path, rows)], ReadOptions(category="goods"))
    assert _sales(ledger) == {}
    assert [item.reason for item in ledger.left_out] == ["authorised but never captured (Captured false)"]


def _stripe_payments(tmp_path, created: str, later: str) -> str:
    """Two of Stripe's payments: ch_3QA000000000002 (JPY 15,000 to Tokyo), made 2025-07-02 01:00 UTC (the evening
    of 1 July in New York), its ``Created (UTC)`` written as ``created``, and ch_3QA000000000008 (USD 45.50 to New
    York), made 2025-07-14 22:30 UTC (18:30 in New York), written as ``later``: the 14 settles the day's place."""
    rows = _stripe_rows()
    column = rows[0].index("Created (UTC)")
    rows = [rows[0], rows[2], rows[-1]]
    assert [row[column] for row in rows[1:]] == ["2025-07-02 01:00:00", "2025-07-14 22:30:00"]
    rows[1][column], rows[2][column] = created, later
    return _saved(tmp_path, rows)


def _stripe_rows() -> list[list[str]]:
    """The rows of the Stripe payments fixture, its header first, to be changed as a spreadsheet saves them."""
    with open(Path(__file__).parent / "exports" / "stripe-payments.csv", newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _saved(tmp_path, rows: list[list[str]]) -> str:
    """``rows`` written as a CSV file again (a spreadsheet's save), its path."""
    path = tmp_path / "stripe-saved.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return str(path)


def _days(ledger) -> set[str]:
    return {day.isoformat() for days in ledger.series.values() for day in days}


def test_a_stripe_time_in_utc_a_spreadsheet_rewrote_falls_on_the_sellers_day_under_time_zone(tmp_path):
    # With --time-zone America/New_York the yen payment counts on 1 July, the day it was made in New York. A US
    # Excel saves 2025-07-02 01:00:00 as 7/2/2025 1:00, a German one as 02.07.2025 01:00: before, both were counted
    # on 2 July, the day in UTC (on 31 December, a sale of the wrong year); now on 1 July, as in Stripe's export.
    options = ReadOptions(category="goods", time_zone="America/New_York")
    for created, later in (("2025-07-02 01:00:00", "2025-07-14 22:30:00"), ("7/2/2025 1:00", "7/14/2025 22:30"),
                           ("02.07.2025 01:00", "14.07.2025 22:30")):
        assert _days(read_sales([_stripe_payments(tmp_path, created, later)], options)) == {
            "2025-07-01", "2025-07-14"}, created
    # Without --time-zone every date is the day as written, its time dropped or not.
    assert _days(read_sales([_stripe_payments(tmp_path, "7/2/2025", "7/14/2025")], ReadOptions(category="goods"))) \
        == {"2025-07-02", "2025-07-14"}


def test_a_stripe_time_in_utc_whose_time_a_spreadsheet_dropped_stops_the_run_under_time_zone(tmp_path):
    # A spreadsheet's short date format saves 2025-07-02 01:00:00 as 7/2/2025: the day in New York cannot be told.
    path = _stripe_payments(tmp_path, "7/2/2025", "7/14/2025")
    with pytest.raises(InputError) as caught:
        read_sales([path], ReadOptions(category="goods", time_zone="America/New_York"))
    assert str(caught.value) == (
        f"{path}:2: column 'Created (UTC)' value '7/2/2025': has no time of day, in a column of times in UTC: the day "
        f"in America/New_York (--time-zone) cannot be told (a spreadsheet's date format drops the time when it saves "
        f"the file); take the export from the platform again, or leave out --time-zone")


def test_a_shopify_export_a_japanese_excel_saved_reads_its_yen_written_with_the_shift_jis_yen_sign(tmp_path):
    # A Japanese Excel shows yen amounts as ¥14,300 and saves the CSV in Shift-JIS (CP932), where the yen sign is
    # byte 0x5C, a backslash to every other reader: order #1002's Total is \14,300. Before, nexus stopped ('has '\\'
    # around the amount, which is not a currency symbol or code'); now the file reads as Shopify's own: the same
    # totals (Japan's 11,700 yen among them) and the same row account.
    source = Path(__file__).parent / "exports" / "shopify-orders.csv"
    with open(source, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    for row in rows[1:]:
        if row[header.index("Currency")] == "JPY":
            for column in ("Subtotal", "Shipping", "Taxes", "Total", "Lineitem price", "Refunded Amount"):
                amount = row[header.index(column)]
                if amount:
                    row[header.index(column)] = f"\\{int(amount):,}"
    saved = tmp_path / "orders_export_saved.csv"
    with open(saved, "w", newline="", encoding="cp932", errors="replace") as handle:
        csv.writer(handle).writerows(rows)
    assert b"\\14,300" in saved.read_bytes()
    options = ReadOptions(category="goods")
    ledger, original = read_sales([str(saved)], options), read_sales([str(source)], options)
    assert ledger.totals == original.totals and ledger.charge_totals == original.charge_totals
    assert ledger.summary() == original.summary()


def test_an_etsy_export_a_japanese_excel_saved_stops_at_the_date_it_read_year_first(tmp_path):
    # Etsy writes month-first dates with two-digit years (04/02/25 is 2 April 2025). A Japanese Excel reads dates
    # year first: 04/02/25 became 2004/2/25, and the dates it could not read (03/15/25...) stayed as Etsy wrote them.
    # Before, California's 25.00 was counted on 2004-02-25, 21 years early; now nexus stops at that date.
    source = Path(__file__).parent / "exports" / "etsy-sold-orders.csv"
    with open(source, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    dated = rows[0].index("Sale Date")
    assert [row[dated] for row in rows[1:]] == ["03/15/25", "03/16/25", "03/20/25", "03/21/25", "04/02/25"]
    rows[5][dated] = "2004/2/25"
    path = tmp_path / "etsy-saved.csv"
    with open(path, "w", newline="", encoding="cp932", errors="replace") as handle:
        csv.writer(handle).writerows(rows)
    with pytest.raises(InputError) as caught:
        read_sales([str(path)], ReadOptions(category="goods"))
    assert str(caught.value) == (
        f"{path}:6: column 'Sale Date' value '2004/2/25': is written year first, in a column whose other dates are "
        f"written with the year last (line 2: '03/15/25'): a spreadsheet that opened the export (a Japanese or Chinese "
        f"one writes 2026/3/4) turned into its own dates those it could read and left the others as text, so the day, "
        f"month and year of this one may be read wrongly; take the export from the platform again, or open it "
        f"importing this column as text")


def _accounting(amount: str, symbol: str) -> str:
    """An amount as Excel's Accounting format shows it, and saves it to CSV: ' $ 1,234.50 ', zero ' $ -   ',
    negatives in parentheses."""
    value = D(amount)
    if value == 0:
        return f" {symbol} -   "
    shown = f"{abs(value):,.2f}"
    return f" {symbol} ({shown})" if value < 0 else f" {symbol} {shown} "


def test_a_shopify_export_with_its_amounts_in_the_accounting_format_reads_as_shopifys_own(tmp_path):
    # A finance team formats the amount columns as Accounting before saving: 107.25 becomes ' $ 107.25 ', a zero
    # discount or refund ' $ -   '. Before, nexus stopped at the first dash ('is not an amount'); now the file
    # reads as Shopify wrote it: the same totals, tax and row account.
    source = Path(__file__).parent / "exports" / "shopify-orders.csv"
    with open(source, newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    amounts = ("Subtotal", "Shipping", "Taxes", "Total", "Discount Amount", "Lineitem price", "Refunded Amount",
               "Lineitem discount")
    for row in rows[1:]:
        if row[header.index("Currency")] in ("USD", ""):
            for column in amounts:
                if row[header.index(column)]:
                    row[header.index(column)] = _accounting(row[header.index(column)], "$")
    saved = tmp_path / "orders_export_saved.csv"
    with open(saved, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    assert " $ -   " in saved.read_text(encoding="utf-8")
    options = ReadOptions(category="goods")
    ledger, original = read_sales([str(saved)], options), read_sales([str(source)], options)
    assert ledger.totals == original.totals and ledger.charge_totals == original.charge_totals
    assert ledger.summary() == original.summary()


AMAZON_REPORT = Path(__file__).parent / "exports" / "amazon-all-orders.txt"


def test_an_amazon_report_excel_saved_as_unicode_text_reads_its_product_names_as_amazon_wrote_them(tmp_path):
    # Amazon writes its All Orders report tab-separated and never quotes: 'Kyusu teapot 急須, 8" wide' and
    # '"Furoshiki" L' as they are. Excel's "Unicode Text" (tabs, UTF-16 with a byte-order mark) quotes a cell
    # holding a quote and doubles the quotes in it: '"Kyusu teapot 急須, 8"" wide"', '"""Furoshiki"" L"'. Before,
    # nexus read those quotes as text, so the names in products check and the SKU lines were Excel's, not
    # Amazon's; now they are Amazon's. The sales are the same as the report's as Amazon wrote it (none of its
    # amounts is quoted).
    rows = [line.split("\t") for line in AMAZON_REPORT.read_text(encoding="utf-8").splitlines()]
    at = rows[0].index("product-name")
    rows[1][at], rows[5][at] = 'Kyusu teapot 急須, 8" wide', '"Furoshiki" L'
    amazon = tmp_path / "All Orders.txt"
    amazon.write_text("".join("\t".join(row) + "\n" for row in rows), encoding="utf-8")
    saved = tmp_path / "All Orders (Unicode Text).txt"
    with open(saved, "w", encoding="utf-16", newline="") as handle:  # the byte-order mark, then UTF-16 LE
        csv.writer(handle, delimiter="\t", lineterminator="\r\n").writerows(rows)  # Excel's quoting
    assert '"Kyusu teapot 急須, 8"" wide"' in saved.read_text(encoding="utf-16")
    options = ReadOptions(collect_skus=True)
    for read in (read_sales, read_sales_fast_or_handed_over):
        ledger = read([str(saved)], options)
        assert {sku.sku: sku.name for sku in ledger.skus.values()} == {
            sku.sku: sku.name for sku in read_sales([str(amazon)], options).skus.values()}
        assert {"Kyusu teapot 急須, 8\" wide", "\"Furoshiki\" L"} <= {sku.name for sku in ledger.skus.values()}
        assert _sales(ledger) == _sales(read_sales([str(amazon)]))


def read_sales_fast_or_handed_over(paths, options):
    """The DuckDB fast path's reading, or, where it hands the files over, the reference reader's (as the CLI)."""
    from nexus.own_layout_fast import read_sales_fast
    from nexus.plain_input import NotPlain

    try:
        return read_sales_fast(paths, options)
    except NotPlain:
        return read_sales(paths, options)


@pytest.mark.parametrize("name, column, left_out, counted", [
    ("shopify-orders.csv", "Shipping Address1", [8, 9, 12], 10), ("woocommerce-orders.csv", "shipping_address_1",
                                                                  [5, 6, 7], 8)])
@pytest.mark.parametrize("line_break", ["\r\n", "\r", "\n"])
def test_a_line_break_in_a_quoted_address_moves_no_later_row_off_its_line_on_either_engine(tmp_path, name, column,
                                                                                          left_out, counted,
                                                                                          line_break):
    # An address typed over two lines, as Shopify and WooCommerce write it (a carriage return and line feed from a
    # browser's form, a line feed, or a carriage return alone): the first order's row now spans lines 2 and 3, and
    # every later row is one line further down, as a text editor shows it (Notepad and VS Code end a line at a
    # carriage return alone too). The orders left out are listed at those lines, and an error in a later order's row
    # (line ``counted`` as exported) names its line, on both engines (the fast path hands such a file over: its
    # lines are not its rows one for one). A weak spot reported on 2026-12-07; it held on the code of that day.
    with open(Path(__file__).parent / "exports" / name, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    at = rows[0].index(column)
    rows[1][at] += line_break + "Suite 5"
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n", quoting=csv.QUOTE_NONNUMERIC if line_break == "\r" else
                   csv.QUOTE_MINIMAL).writerows(rows)
    options = ReadOptions(category="goods")
    for read in (read_sales, read_sales_fast_or_handed_over):
        assert [problem.line for problem in read([str(path)], options).left_out] == [n + 1 for n in left_out]
    total = rows[0].index("Total" if name.startswith("shopify") else "order_total")
    rows[counted - 1][total] = "abc"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    for read in (read_sales, read_sales_fast_or_handed_over):
        with pytest.raises(InputError, match=rf"{name}:{counted + 1}: column '{rows[0][total]}' value 'abc'"):
            read([str(path)], options)
