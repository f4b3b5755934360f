"""Platform exports read as the platforms write them: each fixture in tests/exports/ was written from the
platform's documented column list, and its totals below were worked out by hand from the fixture's rows."""
from __future__ import annotations

import csv
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import SAMPLES, account
from nexus import exports
from nexus.errors import BadDate, InputError, MissingColumns
from nexus.read_options import ReadOptions
from nexus.orders import RepeatedOrder
from nexus.sales import read_sales

HERE = Path(__file__).resolve().parent / "exports"
D = Decimal
# A fixture read and not closed is a ResourceWarning in the test that read it (pytest reports it as unraisable):
# an error here, so that every file a test opens is closed where it is opened.
pytestmark = pytest.mark.filterwarnings("error::ResourceWarning", "error::pytest.PytestUnraisableExceptionWarning")


def _csv_rows(path: Path, encoding: str = "utf-8", delimiter: str = ",") -> list[list[str]]:
    """A fixture's rows, to be written again with a cell changed: read once, the file closed."""
    with open(path, encoding=encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


#: For each platform: its files (the export, then a late export repeating some orders), the options it needs,
#: and per (jurisdiction, currency): net sales counted (shipping in, tax out, refunds off), transactions,
#: shipping and tax charged (refunds off both); then the row account.
CASES = {
    "shopify": (["shopify-orders.csv", "shopify-orders-late.csv"], {}, {
        # #1001 107.25 - tax 7.25 = 100.00 (2 line items, SAVE10 already off the Subtotal), ship 10;
        # #1009 (late export) 59.00 - 4.00 = 55.00, ship 5
        ("US-CA", "USD"): (D("155.00"), 2, D("15.00"), D("11.25")),
        # #1002 14300 - 1300 = 13000, ship 1000; Refunded Amount 1430 is 10% of the total: -1300, -100, -130
        ("JP", "JPY"): (D("11700"), 1, D("900"), D("1170")),
        # #1003 220.00 (3 line items), refunded in full: 0
        ("CN", "USD"): (D("0"), 1, D("0"), D("0")),
        # #1006 ships nothing: billing address Québec; 57.49 - GST 2.50 - QST 4.99 = 50.00
        ("CA-QC", "CAD"): (D("50.00"), 1, D("0"), D("7.49")),
    }, account(read=15, used=9, duplicates=3, left_out=3)),  # #1004 cancelled, #1005 test, #1007 voided
    "amazon": (["amazon-all-orders.txt", "amazon-all-orders-late.txt"], {}, {
        # 2 items: (25.00 - 5.00 promotion + 4.99 shipping) + 15.00; tax 2.06 + 1.24
        ("US-CA", "USD"): (D("39.99"), 1, D("4.99"), D("3.30")),
        ("US-TX", "USD"): (D("60.00"), 1, D("0"), D("4.95")),    # ship-state written "Texas"
        ("US-NY", "USD"): (D("30.00"), 1, D("0"), D("2.48")),    # "NEW YORK"; its second item cancelled
        ("JP", "JPY"): (D("3500"), 1, D("500"), D("350")),       # 3000 + 500 shipping; tax 300 + 50
        ("CN", "USD"): (D("92.00"), 1, D("12.00"), D("0")),
    }, account(read=13, used=6, duplicates=3, left_out=4)),  # cancelled order, cancelled item, Non-Amazon, pending
    "etsy": (["etsy-sold-orders.csv", "etsy-sold-orders-late.csv"], {}, {
        ("US-WA", "USD"): (D("78.00"), 1, D("6.00"), D("7.02")),  # 80.00 - 8.00 coupon + 6.00 shipping
        # 45.00 + 15.00 shipping, tax 6.00; Adjusted Order Total 33.00 of 66.00: half refunded
        ("JP", "USD"): (D("30.00"), 1, D("7.50"), D("3.00")),
        # 120.00 + 20.00 - 5.00 shipping discount, Adjusted Order Total 0.00: refunded in full
        ("CN", "USD"): (D("0"), 1, D("0"), D("0")),
        ("US-CA", "USD"): (D("25.00"), 1, D("0"), D("2.06")),
    }, account(read=7, used=4, duplicates=2, left_out=1)),  # 3004 canceled
    "woocommerce": (["woocommerce-orders.csv", "woocommerce-orders-late.csv"], {}, {
        ("US-CA", "USD"): (D("116.00"), 1, D("8.00"), D("9.57")),  # 125.57 - tax 9.57 (coupon 12.00 already off)
        # 5500 - 500 = 5000, shipping 800; refund 1100 (20%) on 2025-05-20: -1000, -160, -100
        ("JP", "JPY"): (D("4000"), 1, D("640"), D("400")),
        ("CN", "USD"): (D("0"), 1, D("0"), D("0")),               # 66.00 refunded on 2025-05-25
        ("US-NY", "USD"): (D("20.00"), 1, D("0"), D("1.78")),     # no shipping address: billing New York
    }, account(read=9, used=4, duplicates=2, left_out=3)),  # cancelled, failed, pending
    "bigcommerce": (["bigcommerce-orders.csv", "bigcommerce-orders-late.csv"], {}, {
        # Order Total (ex tax) 102.00 = 100.00 - 10.00 coupon + 10.00 shipping + 2.00 handling; tax 7.84
        ("US-CA", "USD"): (D("102.00"), 1, D("12.00"), D("7.84")),
        # 8000 (ex tax), 1000 shipping, 800 tax; Refund Amount 880 of 8800: -800, -100, -80
        ("JP", "JPY"): (D("7200"), 1, D("900"), D("720")),
        ("CN", "USD"): (D("0"), 1, D("0"), D("0")),               # Refund Amount 50.00 of 50.00
        ("US-TX", "USD"): (D("40.00"), 1, D("0"), D("3.30")),
    }, account(read=9, used=4, duplicates=2, left_out=3)),  # Cancelled, Declined, Incomplete
    "adobe": (["adobe-commerce-orders.csv", "adobe-commerce-orders-late.csv"],
              {"currency": "USD", "skip_bad_rows": True}, {
        ("US-TX", "USD"): (D("110.00"), 1, D("10.00"), D("0")),   # Subtotal 100.00 + Shipping and Handling 10.00
        ("CA-QC", "USD"): (D("0"), 1, D("0"), D("0")),            # 50.00 + 5.00, Total Refunded 63.24 of 63.24
        ("US-NY", "USD"): (D("32.00"), 1, D("0"), D("0")),        # 40.00, Total Refunded 8.71 of 43.55: -8.00
    }, account(read=7, used=3, skipped=1, duplicates=1, left_out=2)),  # the Tokyo address; Canceled, Pending Payment
    "stripe": (["stripe-payments.csv", "stripe-payments-late.csv"], {}, {
        ("US-CA", "USD"): (D("120.00"), 1, D("0"), D("0")),
        ("JP", "JPY"): (D("10000"), 1, D("0"), D("0")),           # 15000, Amount Refunded 5000
        ("CN", "USD"): (D("0"), 1, D("0"), D("0")),               # 80.00, refunded in full
        ("US-NY", "USD"): (D("45.50"), 1, D("0"), D("0")),        # Card Address State "New York"
    }, account(read=9, used=4, duplicates=2, left_out=3)),  # Failed, Mode Test, never captured
    "stripe-tax": (["stripe-tax-itemized.csv", "stripe-tax-itemized-late.csv"], {}, {
        # in_..01: line 11 100.00 and line 12 50.00, each taxed on 3 rows (state, county, district): 150.00 once,
        # tax 6.00 + 0.25 + 1.00 + 3.00 + 0.13 + 0.50 = 10.88; credit note cn_..04 on 2025-07-15 takes line 11 off:
        # -100.00, tax -7.25; in_..07 (late export) 30.00, tax 1.80
        ("US-CA", "USD"): (D("80.00"), 2, D("0"), D("5.43")),
        # 10000, tax 1000; refund re_..02 on 2025-05-20: -2000, tax -200
        ("JP", "JPY"): (D("8000"), 1, D("0"), D("800")),
        ("US-NY", "USD"): (D("60.00"), 1, D("0"), D("0")),        # not registered: 80.00 less a -20.00 proration
        ("DE", "EUR"): (D("200.00"), 1, D("0"), D("0")),          # reverse-charged to a business
        ("US-TX", "USD"): (D("40.00"), 1, D("0"), D("2.90")),     # state 2.50 + city 0.40 on one line
    }, account(read=19, used=17, duplicates=2)),  # the late export repeats cs_..06's two rows
    "stripe-balance": (["stripe-balance-itemized.csv", "stripe-balance-itemized-late.csv"], {}, {
        # gross in the account's settlement currency, each row on its own date: ch_..01 120.00 (shipping address);
        # ch_..14 100.00 less its partial_capture_reversal -25.00 (the customer's shipping address); ch_..17 (late
        # export) 55.00, "California", "United States"
        ("US-CA", "USD"): (D("250.00"), 3, D("0"), D("0")),
        ("US-NY", "USD"): (D("80.00"), 1, D("0"), D("0")),        # no shipping address: the card's, "New York"
        ("JP", "USD"): (D("120.00"), 1, D("0"), D("0")),          # a yen charge settled as 150.00; refund -30.00
        ("CN", "USD"): (D("0"), 1, D("0"), D("0")),               # 60.00, then a dispute -60.00 (placed by its charge)
        ("DE", "EUR"): (D("0"), 1, D("0"), D("0")),               # 200.00 in a euro balance, refunded in full
        # the customer's address: 45.50, a dispute -45.50, its dispute_reversal +45.50 (won)
        ("US-TX", "USD"): (D("45.50"), 1, D("0"), D("0")),
    }, account(read=20, used=14, duplicates=3, left_out=3)),  # a fee, two payouts; the late export repeats 3 rows
    "paypal": (["paypal-activity.csv", "paypal-activity-late.csv"], {}, {
        ("US-CA", "USD"): (D("54.00"), 1, D("5.00"), D("4.25")),  # Gross 58.25 - Sales Tax 4.25; 2 cart item rows
        # 11000 - 1000 tax; Payment Refund -5500 (tax -500) on 08/20, placed by its Reference Txn ID
        ("JP", "JPY"): (D("5000"), 1, D("0"), D("500")),
        ("CN", "USD"): (D("0"), 1, D("0"), D("0")),               # 99.00, then a Payment Reversal of -99.00
        ("US-TX", "USD"): (D("30.00"), 1, D("0"), D("0")),
    }, account(read=15, used=8, duplicates=4, left_out=3)),  # a conversion, a withdrawal, a denied payment
}


def per_place(ledger) -> dict[tuple[str, str], tuple]:
    """The ledger's series and charges added up per (jurisdiction, currency)."""
    found: dict[tuple[str, str], list] = {}
    for (place, code, *_rest), days in ledger.series.items():
        for amount, count in days.values():
            total = found.setdefault((place, code), [D(0), 0, D(0), D(0)])
            total[0] += amount
            total[1] += count
    for (place, code, *_rest), days in ledger.charges.items():
        for shipping, tax in days.values():
            found[(place, code)][2] += shipping
            found[(place, code)][3] += tax
    return {key: tuple(v.quantize(D("0.01")) if isinstance(v, Decimal) else v for v in values)
            for key, values in found.items()}


def read(name: str, **options):
    files, given, _, _ = CASES[name]
    return read_sales([str(HERE / f) for f in files], ReadOptions(**{**given, **options}))


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_platform_gives_the_hand_worked_totals_and_row_account(name):
    _, _, expected, rows = CASES[name]
    ledger = read(name)
    assert per_place(ledger) == {k: tuple(v.quantize(D("0.01")) if isinstance(v, Decimal) else v for v in values)
                                 for k, values in expected.items()}
    assert ledger.summary() == rows
    s = ledger.summary()
    assert s["rows_read"] == s["rows_used"] + s["rows_skipped"] + s["duplicates"] + s["rows_left_out"]
    assert set(ledger.layouts.values()) == {name}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_fixture_is_recognised_from_its_header_alone(name):
    for file in CASES[name][0]:
        with open(HERE / file, encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle, delimiter="\t" if file.endswith(".txt") else ","))
        assert exports.detect(header).NAME == name


def test_nexus_own_layout_and_the_samples_are_no_platform_s():
    for sample in ("orders-2025.csv", "orders-2026.csv"):
        with open(SAMPLES / sample, encoding="utf-8") as handle:
            assert exports.detect(next(csv.reader(handle))) is None
    assert exports.detect(["order_id", "date", "country", "region", "amount", "currency", "shipping", "tax"]) is None
    assert exports.detect(["Order ID", "Sale Date", "Ship Country", "Ship State", "Amount", "Currency"]) is None


def test_marketplaces_set_channel_marketplace_on_every_order():
    for name, expected in (("amazon", {"marketplace"}), ("etsy", {"marketplace"}), ("shopify", {"direct"})):
        assert {key[2] for key in read(name).series} == expected


def test_refunds_without_a_date_are_counted_on_the_order_date_and_flagged():
    ledger = read("shopify")
    refunds = {k: v for k, v in ledger.totals.items() if k[4] == "refund"}
    assert {(k[0], k[1].isoformat()) for k in refunds} == {("JP", "2025-03-05"), ("CN", "2025-03-08")}  # order dates
    assert ledger.undated_refunds == {"JP": {"shopify"}, "CN": {"shopify"}}
    dated = read("woocommerce")  # refund_items carry their own dates
    refund_days = {(k[0], k[1].isoformat()) for k in dated.totals if k[4] == "refund"}
    assert refund_days == {("JP", "2025-05-20"), ("CN", "2025-05-25")}
    assert dated.undated_refunds == {}


def test_left_out_rows_are_listed_with_their_reason():
    reasons = [(p.line, p.reason) for p in read("shopify").left_out]
    assert reasons == [(8, "cancelled on 2025-03-10 09:00:00 -0600"),
                       (9, "a test order (paid through Shopify's Bogus Gateway)"), (12, "voided (Financial Status)")]
    assert [p.reason for p in read("paypal").left_out] == ["not a sale (General Currency Conversion)",
                                                           "not a sale (General Withdrawal)",
                                                           "a payment not received (Status Denied)"]


def test_rows_left_out_beyond_the_listed_ones_are_counted_without_writing_their_text(tmp_path, monkeypatch):
    """A payments export whose failed payments run to hundreds of thousands lists the first LISTED_ROWS of them;
    the rest are counted, and their rows are not written out as text for a list they are not in."""
    from nexus import orders, row_account
    from nexus.exports import base

    lines = (HERE / "stripe-payments.csv").read_text(encoding="utf-8").splitlines()
    failed = next(line for line in lines if ",Failed," in line)  # ch_3QA000000000004, Status Failed
    path = tmp_path / "unified_payments.csv"
    path.write_text("\n".join([lines[0]] + [failed.replace("0004,", f"000{n},", 1) for n in (4, 5, 6)]) + "\n",
                    encoding="utf-8")
    written = []

    def row_text(values):
        written.append(values[0])
        return original(values)

    original = orders._row_text
    monkeypatch.setattr(orders, "_row_text", row_text)
    monkeypatch.setattr(base, "_row_text", row_text)
    monkeypatch.setattr(row_account, "LISTED_ROWS", 1)
    ledger = read_sales([str(path)])
    assert [(p.line, p.reason, p.text[:20]) for p in ledger.left_out] == [(2, "failed (Status Failed)",
                                                                           "ch_3QA000000000004,S")]
    assert ledger.unlisted_left_out == 2 and ledger.summary()["rows_left_out"] == 3
    assert written == ["ch_3QA000000000004"]


@pytest.mark.parametrize("written, message", [
    ("2025-02-30T18:20:11+00:00", "is not a calendar date: February 2025 has 28 days"),
    ("2025-04-01T25:20:11+00:00", r"is not a date in YYYY-MM-DD \(or pass --date-format\)"),
    ("2025-04-01 18:20", None),  # a time without seconds: the day as written
])
def test_a_platform_s_iso_dates_are_read_and_refused_as_nexus_reads_them(tmp_path, written, message):
    lines = (HERE / "amazon-all-orders.txt").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("\t2025-04-01T18:20:11+00:00\t", f"\t{written}\t", 1)
    path = tmp_path / "all-orders.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if message is None:
        assert min(key[1] for key in read_sales([str(path)]).totals) == date(2025, 4, 1)
        return
    shown = re.escape(written)
    with pytest.raises(BadDate, match=rf"all-orders.txt:2: column 'purchase-date' value '{shown}': {message}$"):
        read_sales([str(path)])


def test_a_file_that_looks_like_a_platform_s_but_lacks_a_column_names_platform_file_and_column(tmp_path):
    source = (HERE / "shopify-orders.csv").read_text(encoding="utf-8").splitlines()
    header = source[0].split(",")
    cut = header.index("Shipping Country")
    path = tmp_path / "orders_export.csv"
    path.write_text("\n".join([",".join(header[:cut] + header[cut + 1:])] + source[1:2]) + "\n", encoding="utf-8")
    with pytest.raises(MissingColumns, match=r"orders_export.csv:1: looks like a Shopify orders export but has no "
                                             r"'Shipping Country' column; columns found: Name, Email"):
        read_sales([str(path)])


def test_source_format_forces_a_layout(tmp_path):
    sample = str(SAMPLES / "orders-2025.csv")
    # Asked for, not seen in the header: said so ('looks like' read as if the header had shown it), and where the
    # header is another platform's, which one.
    with pytest.raises(MissingColumns, match=r"is read as a Shopify orders export \(--source-format shopify\) but "
                                             r"has no 'Name' column; columns found: Order ID, .*, Amount\Z"):
        read_sales([sample], ReadOptions(source_format="shopify"))
    amazon = str(SAMPLES / "amazon-all-orders-2025-2026.txt")
    with pytest.raises(MissingColumns, match=r"is read as a Shopify orders export \(--source-format shopify\) but "
                                             r"has no 'Name' column; columns found: amazon-order-id, .*; its header is "
                                             r"an Amazon All Orders report's, which nexus reads without "
                                             r"--source-format\Z"):
        read_sales([amazon], ReadOptions(source_format="shopify"))
    shopify = str(HERE / "shopify-orders.csv")
    # Read as nexus's own layout, a Shopify export fails as the issue found it: a line item's row has no date.
    with pytest.raises(InputError, match="shopify-orders.csv:3: column 'date' value '': is empty"):
        read_sales([shopify], ReadOptions(source_format="nexus"))
    with pytest.raises(InputError, match="--source-format 'magento1' is not one of auto, nexus, shopify"):
        read_sales([shopify], ReadOptions(source_format="magento1"))


def test_woocommerce_analytics_download_is_recognised_and_refused_for_want_of_an_address():
    with pytest.raises(InputError, match="looks like a WooCommerce Analytics orders download, which has no "
                                         "address: nexus cannot tell where its sales were made"):
        read_sales([str(HERE / "woocommerce-analytics-orders.csv")])


def test_adobe_grid_addresses_that_cannot_be_placed_are_named(tmp_path):
    path = str(HERE / "adobe-commerce-orders.csv")
    with pytest.raises(InputError, match=r"adobe-commerce-orders.csv:8: column 'Shipping Address' value "
                                         r"'神南1-2-3, 渋谷区, 東京都, 150-0041': could not be placed"):
        read_sales([path], ReadOptions(currency="USD"))
    with pytest.raises(InputError, match="does not name its currency: give the store's base currency with --currency"):
        read_sales([path])
    skipped = read_sales([path], ReadOptions(currency="USD", skip_bad_rows=True)).skipped
    assert [(p.line, p.column, p.value) for p in skipped] == \
        [(8, "Shipping Address", "神南1-2-3, 渋谷区, 東京都, 150-0041")]


BIGCOMMERCE = HERE / "bigcommerce-orders.csv"


def _bigcommerce_with_dates(tmp_path, *dates: str) -> str:
    rows = _csv_rows(BIGCOMMERCE)
    at = rows[0].index("Order Date")
    out = [rows[0]] + [row[:at] + [day] + row[at + 1:] for row, day in zip(rows[1:], dates)]
    path = tmp_path / "bc.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(out)
    return str(path)


def test_slash_dates_are_read_day_first_or_month_first_as_the_whole_file_shows(tmp_path):
    ledger = read("bigcommerce")  # 15/06/2025 shows day-first: 05/06/2025 is 5 June
    assert min(ledger.rows_by_day).isoformat() == "2025-06-05"
    month_first = _bigcommerce_with_dates(tmp_path, "06/05/2025", "06/15/2025")
    assert min(read_sales([month_first]).rows_by_day).isoformat() == "2025-06-05"
    both = _bigcommerce_with_dates(tmp_path, "05/06/2025", "06/07/2025")
    with pytest.raises(BadDate, match=r"bc.csv:2: column 'Order Date' value '05/06/2025': reads both day-first and "
                                      r"month-first, as every date of the column does \(none has a day above 12 to "
                                      r"settle which is the day\): pass --date-format"):
        read_sales([both])
    assert min(read_sales([both], ReadOptions(date_format="%d/%m/%Y")).rows_by_day).isoformat() == "2025-06-05"
    mixed = _bigcommerce_with_dates(tmp_path, "13/06/2025", "06/14/2025")
    with pytest.raises(BadDate, match=r"mixes day-first dates \(line 2\) and month-first dates \(line 3\)"):
        read_sales([mixed])


def test_an_order_whose_cell_is_bad_is_skipped_whole_with_skip_bad_rows(tmp_path):
    text = (HERE / "shopify-orders.csv").read_text(encoding="utf-8").replace(",107.25,", ",10725 USD?,", 1)
    path = tmp_path / "orders_export.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=r"orders_export.csv:2: column 'Total' value '10725 USD\?'"):
        read_sales([str(path)])
    ledger = read_sales([str(path)], ReadOptions(skip_bad_rows=True))
    assert [(p.line, p.rows, p.column) for p in ledger.skipped] == [(2, 2, "Total")]  # both line items of #1001
    assert ledger.summary() == account(read=11, used=6, skipped=2, left_out=3)


def test_paypal_refunds_find_their_payment_later_in_the_file_or_say_it_is_missing(tmp_path):
    rows = _csv_rows(HERE / "paypal-activity.csv", "utf-8-sig")
    newest_first = tmp_path / "Download.CSV"
    with open(newest_first, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows([rows[0]] + rows[:0:-1])
    assert per_place(read_sales([str(newest_first)])) == per_place(read_sales([str(HERE / "paypal-activity.csv")]))
    orphan = tmp_path / "refund-only.csv"
    with open(orphan, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows([rows[0], rows[5]])
    with pytest.raises(InputError, match=r"refund-only.csv:2: column 'Country' value '': has no address, and its "
                                         r"payment '2BB22222BB2222222' is not in this file"):
        read_sales([str(orphan)])


def test_two_platforms_in_one_run_keep_ids_apart_and_count_a_migration_overlap_once():
    ledger = read_sales([str(HERE / "migration-shopify.csv"), str(HERE / "migration-woocommerce.csv")])
    # Shopify #1001 (40.00, 1 Sep) and WooCommerce 1001 (25.00, 2 Oct) are two orders; #2001 and 2001 are one
    # order exported by both (same day, amount 70.36 - 5.36 = 65.00, currency and place): counted once.
    assert per_place(ledger) == {("US-WA", "USD"): (D("130.00"), 3, D("5.00"), D("5.36"))}
    assert ledger.summary() == account(read=5, used=4, duplicates=1, overlaps=1)
    assert [(p.file.rsplit("/", 1)[1], p.line, p.value) for p in ledger.overlaps] == \
        [("migration-woocommerce.csv", 2, "2001")]
    # named as a controller finds them: the WooCommerce column the id is in, and the Shopify export it repeats
    assert [(p.column, p.reason.split(" at ")[0]) for p in ledger.overlaps] == \
        [("order_number", "sale '2001' was also exported in a Shopify orders export")]


def test_a_late_export_with_an_amended_refund_is_a_conflict_error_or_latest():
    first, amended = str(HERE / "shopify-orders.csv"), str(HERE / "shopify-orders-amended.csv")
    with pytest.raises(RepeatedOrder, match=r"shopify-orders-amended.csv:2: column 'Name' value '#1002': refund "
                                            r"of order '#1002' read at .*shopify-orders.csv:4 and again at "
                                            r".*shopify-orders-amended.csv:2 with amount '-1300' then '-2600'"):
        read_sales([first, amended])
    ledger = read_sales([first, amended], ReadOptions(repeated_orders="latest"))
    # Refunded Amount 2860 is 20% of 14300: -2600 net, -200 shipping, -260 tax replace the earlier 10%
    assert per_place(ledger)[("JP", "JPY")] == (D("10400.00"), 1, D("800.00"), D("1040.00"))
    assert [(c.order_id, c.treated) for c in ledger.conflicts] == [("#1002", "the later kept")]


def test_a_repeated_platform_order_is_listed_under_the_platforms_own_id_column():
    # Etsy's id is 'Order ID' and Amazon's 'amazon-order-id': the same export read twice lists each repeated
    # order under that column (the JSON's and the workbook's Column), not nexus's own field name 'order_id'
    for name, column in (("etsy-sold-orders.csv", "Order ID"), ("amazon-all-orders.txt", "amazon-order-id")):
        ledger = read_sales([str(HERE / name), str(HERE / name)])
        assert ledger.duplicates and {d.column for d in ledger.duplicates} == {column}


def test_every_platform_is_documented_with_its_page_and_the_columns_it_needs():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "input-formats.md").read_text(encoding="utf-8")
    section = doc.split("## Platform exports", 1)[1].split("## Errors and how to fix them", 1)[0]
    for platform in exports.PLATFORMS:
        assert f"`NAME`: `{platform.NAME}`" in section
        assert platform.DOCS in section, platform.DOCS
        for column in (c for required in platform.REQUIRED for c in required.split("|")):
            assert column in section, f"{platform.NAME}: {column}"


def test_the_bundled_shopify_and_amazon_samples_read_beside_the_erp_exports():
    files = [str(SAMPLES / f) for f in ("orders-2025.csv", "orders-2026.csv", "shopify-orders-2026.csv",
                                        "amazon-all-orders-2025-2026.txt")]
    ledger = read_sales(files)
    assert list(ledger.layouts.values()) == ["nexus", "nexus", "shopify", "amazon"]
    s = ledger.summary()
    assert s["rows_read"] == s["rows_used"] + s["duplicates"] + s["rows_left_out"] and not ledger.skipped
    assert s["conflicts"] == 0 and s["migration_overlaps"] == 0
    reasons = {p.reason.split(" (")[0].split(" on ")[0] for p in ledger.left_out}
    assert reasons == {"cancelled", "voided", "a test order",
                       "not an Amazon sale: a Multi-Channel Fulfillment shipment of an order sold elsewhere"}
    assert ledger.charges and ledger.undated_refunds  # tax charged, shipping and running-total refunds


def test_a_later_copy_of_an_overlapped_order_is_never_taken_out_of_the_other_platform_s_count(tmp_path):
    """Shopify #2001 counts; WooCommerce 2001 is the same order (an overlap). A later WooCommerce export
    that changes 2001 must not take anything back out of the ledger: it stops (error) or is listed."""
    rows = _csv_rows(HERE / "migration-woocommerce.csv")
    at = rows[0].index("order_total")
    changed = tmp_path / "woo-later.csv"
    with open(changed, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([rows[0], rows[1][:at] + ["80.36"] + rows[1][at + 1:]])
    files = [str(HERE / "migration-shopify.csv"), str(HERE / "migration-woocommerce.csv"), str(changed)]
    with pytest.raises(RepeatedOrder, match="a migration overlap, counted once as the other platform's copy"):
        read_sales(files)
    for mode in ("lines", "latest"):
        ledger = read_sales(files, ReadOptions(repeated_orders=mode))
        assert per_place(ledger) == {("US-WA", "USD"): (D("130.00"), 3, D("5.00"), D("5.36"))}
        assert ledger.summary() == account(read=6, used=4, duplicates=2, overlaps=1)
        assert "this later copy differs and is not counted" in ledger.duplicates[-1].reason


@pytest.mark.parametrize("fixture, old, new, column", [
    ("shopify-orders.csv", ",JPY,12000,1000,1300,14300,", ",JPY,12000,1000,1300,14.300,", "Total"),
    ("shopify-orders.csv", ",JPY,12000,1000,1300,14300,", ",JPY,12000,1.000,1300,14300,", "Shipping"),
    ("woocommerce-orders.csv", "amount:1100|", "amount:1.100|", "refund_items"),
])
def test_a_yen_amount_with_a_point_grouping_thousands_is_refused(tmp_path, fixture, old, new, column):
    """``14.300`` yen is fourteen thousand three hundred written with a point, not 14.3 yen: a platform export's
    amounts are held to the currency's minor unit as nexus's own layout is."""
    text = (HERE / fixture).read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / fixture
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(InputError, match=rf"{fixture}:\d+: column '{column}' value '[^']*': has 3 decimal places but "
                                         r"JPY has 0: refused rather than rounded; if the point separates thousands"):
        read_sales([str(path)])
    two_zeros = tmp_path / f"zeros-{fixture}"  # 14300.00 yen cannot be a thousands group: read as written
    two_zeros.write_text(text.replace(old, old.replace("14300", "14300.00").replace("1100", "1100.00"), 1),
                         encoding="utf-8")
    assert per_place(read_sales([str(two_zeros)])) == per_place(read_sales([str(HERE / fixture)]))


def _with_cell(tmp_path, fixture: str, columns: str | tuple[str, ...], change, rows: tuple[int, ...] = ()) -> str:
    """``fixture`` rewritten with ``change(cell)`` under each of ``columns`` on the given data rows (1 = the first
    after the header; all where none are given), delimiter and quoting kept as csv writes them."""
    delimiter = "\t" if fixture.endswith(".txt") else ","
    data = _csv_rows(HERE / fixture, "utf-8-sig", delimiter=delimiter)
    for at in [data[0].index(c) for c in ((columns,) if isinstance(columns, str) else columns)]:
        for number, row in enumerate(data[1:], start=1):
            if (not rows or number in rows) and at < len(row):
                row[at] = change(row[at])
    path = tmp_path / fixture
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=delimiter).writerows(data)
    return str(path)


@pytest.mark.parametrize("fixture, column, options", [
    ("shopify-orders.csv", "Refunded Amount", {}),
    ("bigcommerce-orders.csv", "Refund Amount", {}),
    ("stripe-payments.csv", "Amount Refunded", {}),
    ("adobe-commerce-orders.csv", "Total Refunded", {"currency": "USD", "skip_bad_rows": True}),
])
@pytest.mark.parametrize("negative", ["-{}", "({})"])
def test_a_running_total_refunded_written_negative_is_still_money_back(tmp_path, fixture, column, options, negative):
    """A refunded total written ``-1430`` or ``(1430)`` is the same refund as ``1430``: it never adds to sales
    (before, Shopify's #1003, refunded in full, counted twice its total)."""
    def signed(cell: str) -> str:
        return negative.format(cell) if cell and D(cell.lstrip("$")) != 0 else cell

    path = _with_cell(tmp_path, fixture, column, signed)
    assert per_place(read_sales([path], ReadOptions(**options))) == \
        per_place(read_sales([str(HERE / fixture)], ReadOptions(**options)))


def test_a_woocommerce_refunded_total_written_negative_is_still_money_back(tmp_path):
    """WooCommerce keeps a refund as a negative amount: an export's ``refunded_total`` of ``-1100.00`` is 1100
    back, as ``1100.00`` is, never 1100 more sales."""
    def totals(sign: str) -> dict:
        data = _csv_rows(HERE / "woocommerce-orders.csv")
        at = data[0].index("refund_items")
        data[0][at] = "refunded_total"
        for row in data[1:]:
            amount = re.search(r"amount:([0-9.]+)", row[at])
            row[at] = sign + amount.group(1) if amount else ""
        path = tmp_path / f"woo{sign}.csv"
        with open(path, "w", encoding="utf-8", newline="") as handle:
            csv.writer(handle).writerows(data)
        return per_place(read_sales([str(path)]))

    # The same refunds as the fixture's dated refund_items (1100 yen of order 1002, 66.00 of 1003), undated.
    assert totals("-") == totals("") == per_place(read_sales([str(HERE / "woocommerce-orders.csv")]))


@pytest.mark.parametrize("fixture, column, options", [
    ("bigcommerce-orders.csv", "Order ID", {}),
    ("etsy-sold-orders.csv", "Order ID", {}),
    ("stripe-payments.csv", "id", {}),
    ("adobe-commerce-orders.csv", "ID", {"currency": "USD"}),
])
def test_a_row_without_its_order_id_in_a_one_row_per_order_layout_is_an_error_not_merged(
        tmp_path, fixture, column, options):
    """Each row of these layouts is an order of its own: one whose id is empty was taken as more rows of the order
    above it and its amounts dropped without a word (the second order of each fixture vanished)."""
    path = _with_cell(tmp_path, fixture, column, lambda _cell: "", rows=(2,))
    with pytest.raises(InputError, match=rf"{fixture}:\d+: column '{column}' value '': is empty: each row of "):
        read_sales([path], ReadOptions(**options))
    ledger = read_sales([path], ReadOptions(**{**options, "skip_bad_rows": True}))
    assert (column, "") in [(p.column, p.value) for p in ledger.skipped]
    assert ledger.summary()["rows_skipped"] == len(ledger.skipped)


@pytest.mark.parametrize("fixture, columns, shown", [
    ("shopify-orders.csv", ("Name",), "Name"),
    ("woocommerce-orders.csv", ("order_id", "order_number"), "order_number"),
])
def test_an_order_s_own_row_without_its_id_is_an_error_not_merged_into_the_order_above(
        tmp_path, fixture, columns, shown):
    """In the layouts of line items an empty id continues the order above; a row that has the order's own
    figures (Shopify's Total, WooCommerce's order_total) is another order whose id is missing, and was dropped
    without a word (#1002 / 1002, the yen order, vanished)."""
    row = 3 if fixture.startswith("shopify") else 2  # the yen order's own row
    path = _with_cell(tmp_path, fixture, columns, lambda _cell: "", rows=(row,))
    with pytest.raises(InputError, match=rf"{fixture}:\d+: column '{shown}' value '': is empty"):
        read_sales([path])


def _without_column(tmp_path: Path, fixture: str, column: str, name: str) -> Path:
    """The fixture written again without ``column``, as an export whose optional column was not chosen."""
    data = _csv_rows(HERE / fixture)
    at = data[0].index(column)
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([row[:at] + row[at + 1:] for row in data])
    return path


def test_an_adobe_closed_order_without_the_total_refunded_column_is_an_error_not_a_sale(tmp_path):
    """Adobe Commerce closes an order when a credit memo refunds it; a grid exported without its (optional)
    Total Refunded column counted Closed order 000000002 as a sale of 55.00."""
    path = _without_column(tmp_path, "adobe-commerce-orders.csv", "Total Refunded", "export.csv")
    with pytest.raises(InputError, match=r"export.csv:\d+: column 'Status' value 'Closed': is Closed \(refunded by a "
                                         r"credit memo\) but the export has no 'Total Refunded' column"):
        read_sales([str(path)], ReadOptions(currency="USD", skip_bad_rows=False))
    ledger = read_sales([str(path)], ReadOptions(currency="USD", skip_bad_rows=True))
    assert ("CA-QC", "USD") not in per_place(ledger)
    assert [(p.column, p.value) for p in ledger.skipped][0] == ("Status", "Closed")


@pytest.mark.parametrize("address, expected", [
    ("1 Hay St, Perth, WA, 6000", None),                 # Western Australia, not Washington: 6000 is no ZIP code
    ("1 Smith St, Darwin, NT, 0800", None),              # Northern Territory (Australia), not Canada's NT
    ("1 Av Revolución, Tijuana, BC, 22000", None),      # Baja California, not British Columbia
    ("100 Main St, Austin, Texas, 78701", "US-TX"),
    ("100 Main St, Austin, TX, 78701-1234", "US-TX"),
    ("1 Rue Sainte-Catherine, Montréal, Québec, H2X 1Y1", "CA-QC"),
    ("1 Rue Sainte-Catherine, Montréal, QC, h2x1y1", "CA-QC"),
    ("1600 Pennsylvania Ave, Washington, DC", "US-DC"),  # no postcode: the address ends with its region
    ("1 Main St, Portland, OR", "US-OR"),
    # Italian provinces share US states' codes, and Italy's postcodes have five digits: the ZIP Code prefix of
    # the state decides (Michigan's begin 480-499, California's 900-961, Virginia's 201 and 220-246).
    ("Via Roma 1, Milano, MI, 20121", None),
    ("Via Po 2, Cagliari, CA, 09124", None),
    ("Corso Matteotti 3, Varese, VA, 21100", None),
    ("1 Front St, Toronto, QC, M5V 1Y1", None),          # an Ontario postcode under Québec
    ("1 Mesa St, El Paso, TX, 88510", "US-TX"),          # El Paso's 885, outside Texas's 750-799
    ("1 Main St, Fishers Island, NY, 06390", "US-NY"),   # New York's 063, among Connecticut's
    ("1 Ski Hill Rd, Alta, WY, 83414", "US-WY"),         # Wyoming's 834, among Idaho's
])
def test_an_adobe_grid_region_is_placed_only_where_the_postcode_agrees(address, expected):
    """The grid gives no country: a region code another country also uses (Australia's WA and NT, Mexico's BC)
    was placed in the US or Canada; the postcode after it says whose it is, and one of neither is not placed."""
    from nexus.exports.adobe import place_of
    assert place_of(address) == expected


def test_an_adobe_grid_address_in_western_australia_is_an_error_not_washington(tmp_path):
    path = _with_cell(tmp_path, "adobe-commerce-orders.csv", ("Billing Address", "Shipping Address"),
                      lambda _cell: "1 Hay St, Perth, WA, 6000", rows=(1,))
    with pytest.raises(InputError, match=r"adobe-commerce-orders.csv:\d+: column 'Shipping Address' value '1 Hay St, "
                                         r"Perth, WA, 6000': could not be placed"):
        read_sales([path], ReadOptions(currency="USD"))


def test_a_refunded_woocommerce_order_in_an_export_without_refund_columns_is_an_error_not_a_sale(tmp_path):
    """An export with neither refund_items nor refunded_total (both optional columns) counted order 1003, status
    refunded, as a sale of 66.00."""
    path = _without_column(tmp_path, "woocommerce-orders.csv", "refund_items", "orders.csv")
    with pytest.raises(InputError, match=r"orders.csv:\d+: column 'status' value 'refunded': is refunded but the "
                                         r"export has no 'refund_items', 'refunds' or 'refunded_total' column"):
        read_sales([str(path)])


def test_a_paypal_payment_review_release_is_not_a_second_sale(tmp_path):
    """PayPal holds a payment under review and releases it (``Payment Review Hold``, then ``Payment Review
    Release`` with a positive gross, referring to the payment): the release is the same money freed, and was
    counted as a second sale of 54.00 in California."""
    rows = _csv_rows(HERE / "paypal-activity.csv", "utf-8-sig")
    header, payment = rows[0], rows[1]
    at = {name: header.index(name) for name in ("Type", "Gross", "Transaction ID", "Reference Txn ID")}

    def moved(kind: str, gross: str, txn: str) -> list[str]:
        row = list(payment)
        row[at["Type"]], row[at["Gross"]], row[at["Transaction ID"]] = kind, gross, txn
        row[at["Reference Txn ID"]] = payment[at["Transaction ID"]]
        return row

    path = tmp_path / "Download.CSV"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows(
            rows + [moved("Payment Review Hold", "-58.25", "9HH99999HH9999999"),
                    moved("Payment Review Release", "58.25", "9RR99999RR9999999")])
    ledger = read_sales([str(path)])
    assert per_place(ledger) == per_place(read_sales([str(HERE / "paypal-activity.csv")]))
    assert [p.reason for p in ledger.left_out][-2:] == ["not a sale (Payment Review Hold)",
                                                        "not a sale (Payment Review Release)"]


@pytest.mark.parametrize("newest_first", [False, True])
def test_a_paypal_chargeback_won_back_puts_the_sale_back_on_its_own_date(tmp_path, newest_first):
    """A chargeback the seller wins comes back as a ``Chargeback Reversal`` with a positive gross: it was left out
    as "not a sale", so the chargeback stayed taken off the sales for good. PayPal's downloads are often newest
    first: the reversal then comes before its chargeback, which comes before its payment (both waiting on what
    they refer to for their place), and was an error that its payment was not in the file."""
    rows = _csv_rows(HERE / "paypal-activity.csv", "utf-8-sig")
    header, payment = rows[0], rows[1]
    at = {name: header.index(name) for name in ("Date", "Type", "Gross", "Sales Tax", "Shipping and Handling Amount",
                                                 "Transaction ID", "Reference Txn ID", "Country Code", "Country")}

    def moved(kind: str, sign: str, txn: str, day: str, reference: str) -> list[str]:
        row = list(payment)
        row[at["Type"]], row[at["Transaction ID"]], row[at["Date"]] = kind, txn, day
        for name in ("Gross", "Sales Tax", "Shipping and Handling Amount"):
            row[at[name]] = sign + row[at[name]] if row[at[name]] not in ("", "0.00") else row[at[name]]
        row[at["Reference Txn ID"]] = reference
        row[at["Country Code"]] = row[at["Country"]] = ""  # no address: placed by what they refer to
        return row

    path = tmp_path / "Download.CSV"
    paid = payment[at["Transaction ID"]]
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        body = rows[1:] + [moved("Chargeback", "-", "9CB99999CB9999999", "03/02/2026", paid),
                           # PayPal's fee for the chargeback, and its refund when won: not sales either way
                           moved("Chargeback Fee", "-", "9CF99999CF9999999", "03/02/2026", paid),
                           moved("Chargeback Reversal", "", "9CR99999CR9999999", "04/20/2026", "9CB99999CB9999999"),
                           moved("Chargeback Fee Reversal", "", "9CG99999CG9999999", "04/20/2026", paid)]
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows([header] + (body[::-1] if newest_first else body))
    ledger = read_sales([str(path)])
    before = per_place(read_sales([str(HERE / "paypal-activity.csv")]))
    assert per_place(ledger) == before  # taken off in March, put back in April: the sales as they were
    taken = {day: total[0] for key, days in ledger.series.items() for day, total in days.items()
             if key[3] == "refund" and day.year == 2026}  # a chargeback reduces sales as a refund does
    net = D(payment[at["Gross"]]) - D(payment[at["Sales Tax"]] or 0)
    assert taken == {date(2026, 3, 2): -net, date(2026, 4, 20): net}


def test_a_bigcommerce_order_awaiting_payment_is_left_out_as_not_paid(tmp_path):
    """BigCommerce's Awaiting Payment is checkout completed but payment not yet confirmed (an authorisation not
    captured, an offline payment not received): not paid, as WooCommerce's pending and Adobe Commerce's Pending
    Payment are, and was counted as a sale of 40.00 in Texas."""
    path = _with_cell(tmp_path, "bigcommerce-orders.csv", "Order Status", lambda _cell: "Awaiting Payment", rows=(7,))
    ledger = read_sales([path])
    assert ("US-TX", "USD") not in per_place(ledger)
    assert ledger.left_out[-1].reason == "awaiting payment (not paid) (Order Status Awaiting Payment)"


def test_an_adobe_grid_without_shipping_and_handling_counts_the_grand_total_not_the_subtotal_alone(tmp_path):
    """Subtotal is before shipping: a grid exported with Subtotal shown but not Shipping and Handling counted
    order 000000001 as 100.00, without its 10.00 shipping. As documented, the Subtotal is read only with the
    shipping beside it; else the Grand Total (Base), tax included, is counted."""
    data = _csv_rows(HERE / "adobe-commerce-orders.csv")
    at = data[0].index("Shipping and Handling")
    path = tmp_path / "export.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([row[:at] + row[at + 1:] for row in data])
    ledger = read_sales([str(path)], ReadOptions(currency="USD", skip_bad_rows=True))
    assert per_place(ledger)[("US-TX", "USD")] == (D("118.25"), 1, D("0.00"), D("0.00"))


@pytest.mark.parametrize("status, counted", [("expired", False), ("voided", False), ("pending", True),
                                             ("authorized", True)])
def test_a_shopify_order_never_paid_is_left_out_and_one_awaiting_its_money_is_counted(tmp_path, status, counted):
    """Shopify documents ``expired`` as an authorisation not captured before the provider's deadline: no sale."""
    text = (HERE / "shopify-orders.csv").read_text(encoding="utf-8")
    old = "#1001,taro@example.com,paid,"
    assert old in text
    path = tmp_path / "orders_export.csv"
    path.write_text(text.replace(old, f"#1001,taro@example.com,{status},", 1), encoding="utf-8")
    ledger = read_sales([str(path)])
    lines = {p.line for p in ledger.left_out}
    assert (2 not in lines) is counted
    before = read_sales([str(HERE / "shopify-orders.csv")]).summary()
    assert ledger.summary()["rows_left_out"] == before["rows_left_out"] + (0 if counted else 2)  # its two rows


@pytest.mark.parametrize("cell, decimal_comma, quantity", [
    ("1,5", True, Decimal("1.5")), ("1.000", True, Decimal(1000)), ("1,000", False, Decimal(1000)),
    ("2", True, Decimal(2)), (1.5, True, Decimal("1.5"))])
def test_a_quantity_is_read_as_the_file_writes_its_amounts(cell, decimal_comma, quantity):
    """Under --decimal-comma, 1,5 is one and a half (it was read as 15); a number stored as a number is as stored."""
    from nexus.exports import shopify
    from nexus.exports.base import Source

    rows = iter([(1, ["Name", "Lineitem quantity"]), (2, ["#1", cell])])
    source = Source(shopify, "orders_export.csv", rows, ReadOptions(decimal_comma=decimal_comma))
    assert source.quantity(["#1", cell], 2, "Lineitem quantity") == quantity


def _stripe_disputed(tmp_path, status: str, disputed: str = "120.00", dispute_date: str = "2025-08-10 15:00:00",
                     drop: str = "") -> str:
    """The Stripe fixture with a dispute on payment 001 (120.00 USD from California on 2025-07-01)."""
    data = _csv_rows(HERE / "stripe-payments.csv")
    at = {name: data[0].index(name) for name in ("Disputed Amount", "Dispute Status", "Dispute Date (UTC)")}
    row = data[1]
    row[at["Disputed Amount"]], row[at["Dispute Status"]], row[at["Dispute Date (UTC)"]] = disputed, status, \
        dispute_date
    if drop:
        gone = data[0].index(drop)
        data = [r[:gone] + r[gone + 1:] for r in data]
    path = tmp_path / "unified_payments.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(data)
    return str(path)


def california(ledger) -> dict[date, Decimal]:
    """California's sales net of refunds and chargebacks, per day."""
    net: dict[date, Decimal] = {}
    for key, days in ledger.series.items():
        for day, total in days.items():
            if key[0] == "US-CA":
                net[day] = net.get(day, D("0")) + total[0]
    return net


def test_a_stripe_dispute_lost_takes_the_disputed_amount_off_on_the_dispute_date(tmp_path):
    """Stripe's payments export says a dispute was lost only in Dispute Status; Amount Refunded does not include
    it, so the 120.00 the cardholder's bank took back counted as a sale for good."""
    ledger = read_sales([_stripe_disputed(tmp_path, "lost")])
    assert california(ledger) == {date(2025, 7, 1): D("120.00"), date(2025, 8, 10): D("-120.00")}
    assert per_place(ledger)[("US-CA", "USD")] == (D("0.00"), 1, D("0"), D("0"))
    assert ledger.summary() == account(read=7, used=4, left_out=3)  # the chargeback is of the payment's row
    partly = read_sales([_stripe_disputed(tmp_path, "Lost", disputed="20.00", dispute_date="")])
    # Without a dispute date it is counted on the payment's date, and said, as a running refund is.
    assert california(partly) == {date(2025, 7, 1): D("100.00")}
    assert "US-CA" in partly.undated_refunds and "US-CA" not in ledger.undated_refunds


@pytest.mark.parametrize("status", ["won", "needs_response", "under_review", "warning_needs_response",
                                    "warning_closed", "charge_refunded", ""])
def test_a_stripe_dispute_not_lost_leaves_the_sale(tmp_path, status):
    ledger = read_sales([_stripe_disputed(tmp_path, status)])
    assert california(ledger) == {date(2025, 7, 1): D("120.00")}


def test_a_stripe_dispute_lost_that_cannot_be_sized_is_an_error_naming_the_row(tmp_path):
    with pytest.raises(InputError, match=r"unified_payments.csv:2: column 'Dispute Status' value 'lost': is 'lost' "
                                         r"but the export has no 'Disputed Amount' column"):
        read_sales([_stripe_disputed(tmp_path, "lost", drop="Disputed Amount")])
    with pytest.raises(InputError, match=r":2: column 'Disputed Amount' value '130.00': is more than the payment "
                                         r"less its refunds \(120.00 USD\)"):
        read_sales([_stripe_disputed(tmp_path, "lost", disputed="130.00")])
    with pytest.raises(InputError, match=r":2: column 'Disputed Amount' value '': is empty or zero"):
        read_sales([_stripe_disputed(tmp_path, "lost", disputed="")])


def test_an_amazon_product_name_with_a_quote_is_text_not_a_quoted_field(tmp_path):
    """Amazon's reports are tab-separated and never quote. A product name that opens a quote it never closes
    ('"Kyusu teapot') was read as a quoted field running on through the tabs and lines after it: the rows up to
    the next quote ('Gyuto 8" knife') became one, and those orders were gone without a word (rows read 1 of 3)."""
    lines = (HERE / "amazon-all-orders.txt").read_text(encoding="utf-8").splitlines()
    at = lines[0].split("\t").index("product-name")
    rows = [line.split("\t") for line in lines]
    rows[1][at] = '"' + rows[1][at]          # opens a quote it never closes
    rows[4][at] = 'Gyuto 8" knife'           # inches
    path = tmp_path / "All Orders.txt"
    path.write_text("\n".join("\t".join(row) for row in rows) + "\n", encoding="utf-8")
    ledger = read_sales([str(path)])
    assert per_place(ledger) == per_place(read_sales([str(HERE / "amazon-all-orders.txt")]))
    assert ledger.rows_read == len(lines) - 1
    names = {sku.name for sku in read_sales([str(path)], ReadOptions(collect_skus=True)).skus.values()}
    assert '"Kyusu teapot 急須' in names  # kept as written


WOO = ("order_id,order_date,status,shipping_total,tax_total,discount_total,order_total,order_currency,"
       "shipping_country,shipping_state,billing_country,billing_state,refund_items\n")


def test_two_woocommerce_refunds_of_one_amount_on_one_day_are_both_counted(tmp_path):
    """WooCommerce allows any number of partial refunds; two of 20.00 on one day were taken for one refund
    exported twice and the second listed as a duplicate. Worked by hand: 40.00 of 119.00 refunded, so
    net 110.00 x 40/119 = 36.97, shipping 10.00 x 40/119 = 3.36, tax 9.00 x 40/119 = 3.03 taken back."""
    path = tmp_path / "orders.csv"
    refunds = "amount:20.00|reason:item 1|date:2025-05-10 10:00:00;amount:20.00|reason:item 2|date:2025-05-10 15:00:00"
    path.write_text(WOO + f"1001,2025-05-01 10:00:00,completed,10.00,9.00,0.00,119.00,USD,US,CA,US,CA,{refunds}\n")
    ledger = read_sales([str(path)])
    assert per_place(ledger)[("US-CA", "USD")] == (D("73.03"), 1, D("6.64"), D("5.97"))
    assert ledger.summary() == account(read=1, used=1)
    # The same export again (a late download): every refund is a duplicate of its own, counted once.
    assert per_place(read_sales([str(path), str(path)]))[("US-CA", "USD")] == (D("73.03"), 1, D("6.64"), D("5.97"))


@pytest.mark.parametrize("status", ["Pending payment", "On hold", "on-hold", "wc-on-hold", "Draft"])
def test_woocommerce_statuses_of_unpaid_orders_are_left_out_as_slugs_or_labels(tmp_path, status):
    path = tmp_path / "orders.csv"
    path.write_text(WOO + "1001,2025-05-01,completed,0.00,0.00,0.00,40.00,USD,US,CA,US,CA,\n"
                          f"1002,2025-05-02,{status},0.00,0.00,0.00,50.00,USD,US,CA,US,CA,\n")
    ledger = read_sales([str(path)])
    assert per_place(ledger)[("US-CA", "USD")] == (D("40.00"), 1, D("0"), D("0"))
    assert ledger.summary() == account(read=2, used=1, left_out=1)


def test_a_woocommerce_order_refunded_with_empty_refund_cells_is_an_error_not_a_sale(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text(WOO.replace("refund_items", "refund_items,refunded_total")
                    + "1004,2025-05-01,refunded,0.00,0.00,0.00,40.00,USD,US,CA,US,CA,,\n")
    with pytest.raises(InputError, match=r"orders.csv:2: column 'status' value 'refunded': is refunded but its "
                                         r"refund_items and refunded_total are empty"):
        read_sales([str(path)])


def test_woocommerce_refund_dates_are_read_as_the_order_dates_are(tmp_path):
    """Refund dates in the file's slash form were an error even with --date-format, which they ignored."""
    path = tmp_path / "orders.csv"
    path.write_text(WOO + "1001,05/13/2025 10:00,completed,0.00,0.00,0.00,100.00,USD,US,CA,US,CA,"
                          "amount:20.00|reason:x|date:05/20/2025 10:00\n")
    for options in (ReadOptions(), ReadOptions(date_format="%m/%d/%Y")):
        assert california(read_sales([str(path)], options)) == {date(2025, 5, 13): D("100.00"),
                                                                date(2025, 5, 20): D("-20.00")}


ETSY = ("Sale Date,Order ID,Buyer User ID,Ship State,Ship Country,Currency,Order Value,Discount Amount,"
        "Shipping Discount,Shipping,Sales Tax,Order Total,Status,Order Net,Adjusted Order Total\n")


def test_an_etsy_refund_is_the_order_total_less_the_adjusted_total(tmp_path):
    """As documented: the refund is Order Total - Adjusted Order Total. It was taken from a total rebuilt from
    the other columns, which leaves out what only Order Total holds (gift wrap: 124.00 = 100.00 + 10.00
    shipping + 9.00 tax + 5.00), so a 50.00 refund was read as 45.00 and a 4.00 one not at all. By hand:
    50 x 110/124 = 44.35 off the sales (shipping 4.03, tax 3.63); 4 x 110/124 = 3.55 (0.32, 0.29)."""
    path = tmp_path / "EtsySoldOrders2025.csv"
    rows = ("03/15/25,3001,1,WA,United States,USD,100.00,0.00,0.00,10.00,9.00,124.00,Completed,0,74.00\n"
            "03/16/25,3002,2,CA,United States,USD,100.00,0.00,0.00,10.00,9.00,124.00,Completed,0,120.00\n")
    path.write_text(ETSY + rows)
    ledger = read_sales([str(path)])
    assert per_place(ledger)[("US-WA", "USD")] == (D("65.65"), 1, D("5.97"), D("5.37"))
    assert per_place(ledger)[("US-CA", "USD")] == (D("106.45"), 1, D("9.68"), D("8.71"))


def test_etsy_dates_that_all_fall_on_the_first_twelve_days_read_month_first(tmp_path):
    """Etsy writes Sale Date month-first with a two-digit year; a file whose days are all 1 to 12 was an error
    asking for --date-format %d/%m/%Y or %m/%d/%Y, neither of which reads a two-digit year."""
    path = tmp_path / "EtsySoldOrders2025.csv"
    path.write_text(ETSY + "03/01/25,3001,1,WA,United States,USD,10.00,0.00,0.00,0.00,0.00,10.00,Completed,0,\n"
                           "03/07/25,3002,2,WA,United States,USD,20.00,0.00,0.00,0.00,0.00,20.00,Completed,0,\n")
    ledger = read_sales([str(path)])
    assert sorted(day for days in ledger.series.values() for day in days) == [date(2025, 3, 1), date(2025, 3, 7)]


def test_an_adobe_grid_address_in_italy_is_an_error_naming_why_not_michigan(tmp_path):
    """Adobe Commerce's grid writes an Italian address as 'Via Roma 1, Milano, MI, 20121': province MI, a five-digit
    postcode. It was placed in Michigan (MI) without a word; 20121 is no Michigan ZIP Code."""
    path = _with_cell(tmp_path, "adobe-commerce-orders.csv", ("Billing Address", "Shipping Address"),
                      lambda _cell: "Via Roma 1, Milano, MI, 20121", rows=(1,))
    with pytest.raises(InputError, match=r"adobe-commerce-orders.csv:\d+: column 'Shipping Address' value 'Via "
                                         r"Roma 1, Milano, MI, 20121': could not be placed: .*; 'MI' would be "
                                         r"Michigan, but 20121 is not one of its postcodes"):
        read_sales([path], ReadOptions(currency="USD"))


def test_an_adobe_closed_order_with_an_empty_total_refunded_is_an_error_not_a_sale(tmp_path):
    """Closed is Adobe Commerce's status for an order refunded by a credit memo: with Total Refunded empty it was
    counted as a full sale (the column's absence was refused, its empty cell not)."""
    data = _csv_rows(HERE / "adobe-commerce-orders.csv")
    data[1][data[0].index("Status")], data[1][data[0].index("Total Refunded")] = "Closed", ""
    path = tmp_path / "export.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(data)
    with pytest.raises(InputError, match=r"export.csv:\d+: column 'Status' value 'Closed': is Closed \(refunded by a "
                                         r"credit memo\) but its Total Refunded is empty"):
        read_sales([str(path)], ReadOptions(currency="USD"))


def test_an_adobe_refund_in_the_purchase_currency_is_turned_to_the_base_currency_at_the_orders_rate(tmp_path):
    """A store whose base currency is USD and whose buyer paid in euros: the grid writes Grand Total (Purchased) and
    Total Refunded with the euro's mark, which was refused as 'says € but the row's currency is USD'. By hand:
    EUR 20.00 of EUR 100.00 refunded is a fifth of USD 110.00: USD 22.00 back, split as the order (100 + 10)."""
    header = ("ID,Purchase Point,Purchase Date,Grand Total (Base),Grand Total (Purchased),Status,Shipping Address,"
              "Subtotal,Shipping and Handling,Total Refunded\n")
    path = tmp_path / "export.csv"
    path.write_text(header + '000000001,Main Website,"Jun 5, 2025 10:04:00 AM",$110.00,€100.00,Complete,'
                             '"100 Main St, Austin, Texas, 78701",$100.00,$10.00,€20.00\n', encoding="utf-8")
    ledger = read_sales([str(path)], ReadOptions(currency="USD"))
    assert per_place(ledger)[("US-TX", "USD")] == (D("88.00"), 1, D("8.00"), D("0.00"))


SHOPIFY_DUP = ("Name,Financial Status,Created at,Currency,Subtotal,Shipping,Taxes,Total,Lineitem quantity,Lineitem name,"
               "Lineitem price,Lineitem requires shipping,Shipping Country,Shipping Province,Billing Country,"
               "Billing Province,Cancelled at,Refunded Amount\n")


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_two_copies_of_a_shopify_order_next_to_each_other_are_judged_as_repeats(tmp_path, engine):
    """Two downloads joined where they overlap put an order's two copies on consecutive rows: they were read as
    one order (one name, one group) and the second copy was dropped without a word (80.00 counted, no duplicate,
    no conflict). Each copy is now an order of its own: identical, a duplicate listed; different, a conflict."""
    from nexus.own_layout_fast import read_sales_fast

    def read(path):
        return read_sales([str(path)]) if engine == "python" else read_sales_fast([str(path)], ReadOptions())

    row = "#1001,{status},2025-03-09 10:00:00 -0800,USD,100.00,0.00,0.00,100.00,1,Tea,100.00,true,US,CA,US,CA,,{ref}\n"
    same = tmp_path / "same.csv"
    same.write_text(SHOPIFY_DUP + row.format(status="paid", ref="") + row.format(status="paid", ref=""))
    ledger = read(same)
    assert ledger.summary() == account(read=2, used=1, duplicates=1)
    assert per_place(ledger)[("US-CA", "USD")][:2] == (D("100.00"), 1)
    changed = tmp_path / "changed.csv"
    changed.write_text(SHOPIFY_DUP + row.format(status="partially_refunded", ref="20.00")
                       + row.format(status="refunded", ref="100.00"))
    with pytest.raises(RepeatedOrder, match=r"changed.csv:3: .*refund of order '#1001' read at .*changed.csv:2 and "
                                            r"again at .*changed.csv:3"):
        read_sales([str(changed)])


@pytest.mark.parametrize("address", [True, False])
def test_a_paypal_refund_of_a_payment_never_received_is_left_out_with_it(tmp_path, address):
    """A Denied payment is left out (never received); its refund was still taken off the sales (100.00 counted
    as 50.00), or, without an address of its own, refused as 'its payment is not in this file' though it was."""
    rows = _csv_rows(HERE / "paypal-activity.csv", "utf-8-sig")
    header, payment = rows[0], rows[1]
    at = {name: header.index(name) for name in ("Date", "Type", "Status", "Gross", "Sales Tax", "Transaction ID",
                                                 "Reference Txn ID", "Country Code", "Country")}
    denied = list(payment)
    denied[at["Status"]], denied[at["Transaction ID"]] = "Denied", "4DN44444DN4444444"
    refund = list(denied)
    refund[at["Type"]], refund[at["Status"]], refund[at["Transaction ID"]] = "Payment Refund", "Completed", \
        "4RF44444RF4444444"
    refund[at["Reference Txn ID"]] = "4DN44444DN4444444"
    refund[at["Gross"]] = "-" + refund[at["Gross"]]
    refund[at["Sales Tax"]] = "-" + refund[at["Sales Tax"]] if refund[at["Sales Tax"]] not in ("", "0.00") else \
        refund[at["Sales Tax"]]
    if not address:
        refund[at["Country Code"]] = refund[at["Country"]] = ""
    path = tmp_path / "Download.CSV"
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_ALL).writerows([header, refund] + rows[1:] + [denied])  # newest first
    ledger = read_sales([str(path)])
    assert per_place(ledger) == per_place(read_sales([str(HERE / "paypal-activity.csv")]))
    assert [p.reason for p in ledger.left_out][-2:] == [
        "a payment not received (Status Denied)",
        "a refund of payment 4DN44444DN4444444, which was not received and is left out"]


def _stripe_tax(tmp_path, change=None, drop: str = "") -> str:
    """The Stripe Tax itemized fixture, with ``change(rows)`` applied to its rows (the header first)."""
    data = _csv_rows(HERE / "stripe-tax-itemized.csv")
    if change is not None:
        change(data)
    if drop:
        gone = data[0].index(drop)
        data = [r[:gone] + r[gone + 1:] for r in data]
    path = tmp_path / "itemized_tax_transactions.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(data)
    return str(path)


def test_stripe_tax_refunds_and_credit_notes_count_on_their_own_dates():
    """Stripe Tax's itemized export writes a refund and a credit note as transactions of their own, each dated the
    day it was issued: they come off the sales on that day, not on the sale's, and no refund is 'undated'."""
    ledger = read_sales([str(HERE / "stripe-tax-itemized.csv")])
    assert california(ledger) == {date(2025, 3, 4): D("150.00"), date(2025, 7, 15): D("-100.00")}
    japan: dict[date, Decimal] = {}
    for key, days in ledger.series.items():
        for day, total in days.items():
            if key[0] == "JP":
                japan[day] = japan.get(day, D(0)) + total[0]
    assert japan == {date(2025, 4, 10): D("10000"), date(2025, 5, 20): D("-2000")}
    assert ledger.undated_refunds == {}


def test_stripe_tax_reverse_charge_is_exempt_and_tax_codes_give_the_category():
    """A reverse-charged sale (taxability_reason reverse_charge) is a business's: marked exempt, so a rule counting
    taxable sales leaves it out. Each line's category comes from its Stripe tax code (txcd_99999999: goods)."""
    ledger = read_sales([str(HERE / "stripe-tax-itemized.csv")])
    keys = {(key[0], key[4], key[5]) for key in ledger.series}
    assert ("DE", "exempt", "goods") in keys
    assert {exempt for place, exempt, _ in keys if place != "DE"} == {"no"}


def test_stripe_tax_rows_of_one_line_with_different_subtotals_stop_naming_the_row(tmp_path):
    """The rows of one line item (one per jurisdiction) each carry the line's subtotal: read once. Two that differ
    cannot both be the line's amount, and nexus will not choose one."""
    def change(data):
        data[3][data[0].index("subtotal")] = "99.00"
    with pytest.raises(InputError, match=r"itemized_tax_transactions.csv:4: column 'subtotal' value '99.00': differs "
                                         r"from the subtotal of the same line item on line 2 \(100.00\)"):
        read_sales([_stripe_tax(tmp_path, change)])


def test_stripe_tax_a_type_stripe_does_not_list_is_an_error_not_a_guess(tmp_path):
    def change(data):
        for row in data[1:]:
            if row[data[0].index("id")] == "in_1QC0000000000003":
                row[data[0].index("type")] = "adjustment"
    with pytest.raises(InputError, match=r":10: column 'type' value 'adjustment': is not a transaction type Stripe's "
                                         r"itemized export lists"):
        read_sales([_stripe_tax(tmp_path, change)])


def test_stripe_tax_without_the_customer_s_place_names_platform_and_column(tmp_path):
    with pytest.raises(MissingColumns, match=r"looks like a Stripe Tax itemized export but has no "
                                             r"'destination_resolved_address_state' column"):
        read_sales([_stripe_tax(tmp_path, drop="destination_resolved_address_state")])


def test_stripe_tax_transaction_date_utc_counts_on_its_day_in_the_time_zone_given(tmp_path):
    """A column whose name ends in ``_utc`` holds UTC times, as one that says ``(UTC)`` does: with --time-zone, the
    New York sale at 2025-06-01 00:00 UTC is a sale of 31 May there."""
    def change(data):
        data[0][data[0].index("transaction_date")] = "transaction_date_utc"
    path = _stripe_tax(tmp_path, change)
    days = {day for key, series in read_sales([path], ReadOptions(time_zone="America/New_York")).series.items()
            if key[0] == "US-NY" for day in series}
    assert days == {date(2025, 5, 31)}
    assert {day for key, series in read_sales([path]).series.items() if key[0] == "US-NY"
            for day in series} == {date(2025, 6, 1)}


def test_stripe_tax_exempt_on_some_rows_only_is_an_error(tmp_path):
    def change(data):
        data[2][data[0].index("taxability_reason")] = "customer_exempt"
    with pytest.raises(InputError, match=r":3: column 'taxability_reason' value 'customer_exempt': differs from the "
                                         r"transaction's first row on whether the buyer is exempt"):
        read_sales([_stripe_tax(tmp_path, change)])


def _with_statuses(tmp_path, fixture: str, column: str, statuses: dict[int, str]) -> str:
    """``fixture`` with the status of some rows (by line) changed."""
    data = _csv_rows(HERE / fixture)
    for line, status in statuses.items():
        data[line - 1][data[0].index(column)] = status
    path = tmp_path / fixture
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(data)
    return str(path)


def _woo_plugin_statuses(tmp_path) -> str:
    """WooCommerce's fixture with #1001 (California, 125.57 less 9.57 tax) 'shipped' and #1007 (New York, 21.78
    less 1.78) 'wc-delivered': statuses that shipment-tracking plugins add."""
    return _with_statuses(tmp_path, "woocommerce-orders.csv", "status", {2: "shipped", 8: "wc-delivered"})


def test_a_woocommerce_status_a_plugin_adds_is_counted_and_said_with_its_orders_and_amount(tmp_path):
    """A status WooCommerce does not define counted as a sale without a word; it still counts (a plugin marking
    paid orders shipped is the common case), and each is named with its orders and what they count for."""
    path = _woo_plugin_statuses(tmp_path)
    ledger = read_sales([path])
    found = per_place(ledger)
    assert found[("US-CA", "USD")][:2] == (D("116.00"), 1) and found[("US-NY", "USD")][:2] == (D("20.00"), 1)
    assert ledger.notes.warnings == [
        f"{path}: status 'shipped' is not one of WooCommerce's statuses (a plugin's or the shop's own): 1 order "
        f"(USD 116.00) counted as a sale, as paid orders moved on (shipped, delivered) are; if they were not paid, "
        f"--order-status shipped=unpaid leaves them out (shipped=paid says they were)",
        f"{path}: status 'wc-delivered' is not one of WooCommerce's statuses (a plugin's or the shop's own): 1 order "
        f"(USD 20.00) counted as a sale, as paid orders moved on (shipped, delivered) are; if they were not paid, "
        f"--order-status delivered=unpaid leaves them out (delivered=paid says they were)"]


def test_order_status_says_how_to_read_a_status(tmp_path):
    """--order-status shipped=unpaid leaves those orders out (listed, in the row account); delivered=paid counts
    them, said among the assumptions; and a status of WooCommerce's own may be read otherwise (pending=paid counts
    #1006, 25.00 to Massachusetts)."""
    path = _woo_plugin_statuses(tmp_path)
    ledger = read_sales([path], ReadOptions(order_statuses={"shipped": "unpaid", "delivered": "paid",
                                                            "pending": "paid"}))
    found = per_place(ledger)
    assert ("US-CA", "USD") not in found
    assert found[("US-NY", "USD")][:2] == (D("20.00"), 1) and found[("US-MA", "USD")][:2] == (D("25.00"), 1)
    assert [(p.line, p.reason) for p in ledger.left_out if p.line == 2] == [
        (2, "status 'shipped' read as not paid (--order-status shipped=unpaid)")]
    # 7 orders of a row each: #1001 (shipped), #1004 (cancelled), #1005 (failed) left out; #1006 now counted
    assert ledger.summary() == account(read=7, used=4, left_out=3)
    assert ledger.notes.warnings == []
    assert ledger.notes.assumptions[-2:] == [  # in the file's order: #1006, then #1007
        f"{path}: status 'pending' read as paid (--order-status pending=paid): 1 order (USD 25.00) counted as a sale",
        f"{path}: status 'wc-delivered' read as paid (--order-status delivered=paid): 1 order (USD 20.00) counted "
        f"as a sale"]


def test_bigcommerce_and_adobe_commerce_statuses_a_store_made_are_counted_and_said(tmp_path):
    """BigCommerce lets a store rename its status labels, and Adobe Commerce stores add their own statuses: such a
    status is counted and said, as WooCommerce's plugins' are. BigCommerce #106 (Texas, Order Total (ex tax)
    40.00); Adobe Commerce 000000005 (New York, Subtotal 40.00 + Shipping and Handling 0.00)."""
    big = _with_statuses(tmp_path, "bigcommerce-orders.csv", "Order Status", {8: "Ready for Collection"})
    ledger = read_sales([big])
    assert per_place(ledger)[("US-TX", "USD")][:2] == (D("40.00"), 1)
    assert ledger.notes.warnings == [
        f"{big}: Order Status 'Ready for Collection' is not one of BigCommerce's statuses (a plugin's or the shop's "
        f"own): 1 order (USD 40.00) counted as a sale, as paid orders moved on (shipped, delivered) are; if they were "
        f"not paid, --order-status ready-for-collection=unpaid leaves them out (ready-for-collection=paid says they "
        f"were)"]
    adobe = _with_statuses(tmp_path, "adobe-commerce-orders.csv", "Status", {6: "Preparing Shipment"})
    ledger = read_sales([adobe], ReadOptions(currency="USD", skip_bad_rows=True))
    assert per_place(ledger)[("US-NY", "USD")][:2] == (D("32.00"), 1)  # 40.00 less its refund of 8.00, as in CASES
    assert ledger.notes.warnings == [
        f"{adobe}: Status 'Preparing Shipment' is not one of Adobe Commerce's statuses (a plugin's or the shop's own): "
        f"1 order (USD 40.00) counted as a sale, as paid orders moved on (shipped, delivered) are; if they were not "
        f"paid, --order-status preparing-shipment=unpaid leaves them out (preparing-shipment=paid says they were)"]
    left = read_sales([adobe], ReadOptions(currency="USD", skip_bad_rows=True,
                                           order_statuses={"preparing-shipment": "unpaid"}))
    assert ("US-NY", "USD") not in per_place(left) and left.notes.warnings == []
