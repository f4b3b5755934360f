"""nexus's own reader reads common CSV rows quickly (words mapped once, plain amounts straight into a Decimal, an
order whose id is read once counted at once): it must give exactly what reading every row with parse_row and
remembering every order id gives, including every error message, on any file."""
import csv
import io
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, example, given, settings, strategies as st

from conftest import csv_files
from nexus import own_layout, seen_orders, spreadsheets
from nexus.errors import InputError
from nexus.read_options import ReadOptions
from nexus.own_layout import possibly_repeated
from nexus.sales import read_sales
from nexus.spreadsheets import read_rows

HEADERS = [["order_id", "date", "country", "region", "amount", "currency", "channel", "kind", "exempt", "category"],
           ["Order", "Date", "Ship Country", "Ship State", "Total", "Currency", "Kind", "Country", "State"],
           ["order_id", "date", "country", "region", "amount", "currency", "shipping", "tax", "kind"],
           ["date", "country", "amount", "kind"],
           ["order_id", "date", "country", "region", "amount", "currency", "sku", "tax_code", "category"],
           ["order_id", "date", "country", "region", "amount", "currency", "kind", "sku", "product_name"]]
CELLS = {
    "order_id": ["A1", "A2", " A1", "B7 ", "", "#A1", "注文1"],
    "date": ["2026-01-02", "2026-01-02T10:00:00", " 2026-01-03", "2026/1/4", "46024", "02/01/2026", "", "2026-02-30",
             "20260105"],
    "country": ["US", "us", "ＵＳ", "JP", "DE", "", "XX", " CA "],
    "region": ["CA", "US-TX", "", "XX", "qc", "ＮＹ"],
    "amount": ["10", "10.00", "-5", "+7.5", "1,000", "1,000.50", "1.234", "12.3", "0.125", "$12.00", "(3.00)", "1e3",
               ".5", "", " 4.00 ", "12,5", "1000000000000000", "999999999999999.99", "-0"],
    "currency": ["USD", "usd", "JPY", "EUR", "", "XYZ", "CAD"],
    "channel": ["", "direct", "Marketplace", "teleport"],
    "kind": ["sale", "", "refund", "Chargeback", "order", "gift"],
    "exempt": ["", "no", "yes", "resale", "maybe"],
    "category": ["", "goods", "SaaS", "digital", "food"],
    "shipping": ["", "5.00", "x"],
    "tax": ["", "0.80", "1,2"],
    "sku": ["", "MUG-1", "mug-1", "EBOOK", "GIFT", " MUG-1 "],
    "tax_code": ["", "txcd_10000000", "TXCD_10302000", "txcd_99999999", "bogus"],
    "product_name": ["", "Mug", " 湯のみ ", "=1+1"],
}
#: The products file the drawn reads may use (--products): a SKU by category, one by tax code, one without.
PRODUCTS = "sku,category,tax_code\nMUG-1,goods,\nEBOOK,,txcd_10302000\nGIFT,,\n"
WORDS = {"Order": "order_id", "Date": "date", "Ship Country": "country", "Ship State": "region", "Total": "amount",
         "Currency": "currency", "Kind": "kind", "Country": "country", "State": "region"}


@st.composite
def files(draw):
    """One or two CSV files sharing a header, rows drawn from plain and unusual cells (short rows, blank lines,
    exact copies of earlier rows), so that some rows take the quick way and others parse_row's."""
    header = draw(st.sampled_from(HEADERS))
    fields = [WORDS.get(h, h) for h in header]

    def row():
        cells = [draw(st.sampled_from(CELLS[f])) for f in fields]
        if draw(st.integers(0, 9)) == 0:
            cells = cells[:draw(st.integers(0, len(cells)))]  # a short row, or a blank line
        return cells

    rows = [row() for _ in range(draw(st.integers(1, 14)))]
    for copied in draw(st.lists(st.integers(0, len(rows) - 1), max_size=4)):
        rows.append(list(rows[copied]))
    cut = draw(st.integers(0, len(rows)))
    return header, ([rows] if draw(st.booleans()) else [rows[:cut], rows[cut:]])


def outcome(paths, options):
    """Everything a read gives, or the error it stops with."""
    try:
        ledger = read_sales(paths, options)
    except InputError as exc:
        return "error", type(exc).__name__, str(exc)
    return (ledger.totals, ledger.charge_totals, ledger.category_sources, ledger.summary(), ledger.rows_by_day,
            ledger.files, ledger.refund_links,
            ledger.warnings, ledger.assumptions, ledger.billing_fallbacks,
            [(p.file, p.line, p.reason, p.column, p.value, p.text) for p in ledger.skipped + ledger.duplicates],
            [c.describe() for c in ledger.conflicts], ledger.rows_superseded, ledger.skus)


#: Files each kind of reading below is for, given explicitly: plain rows read the quick way, with a copy in the next
#: file and an order read again with another amount; an unknown place; a short row; SKUs; shipping and tax.
SALE = ["A1", "2026-01-02", "US", "CA", "10.00", "USD", "direct", "sale", "no", "goods"]
YEN = ["A2", "2026-01-02T10:00:00", "JP", "", "1,000", "JPY", "", "", "", ""]
PLAIN = (HEADERS[0], [[SALE, YEN, ["", "2026-01-03", "us", "ＮＹ", "+7.5", "usd", "Marketplace", "refund", "", ""]],
                      [SALE, YEN[:4] + ["1200"] + YEN[5:]]])
UNKNOWN_PLACE = (HEADERS[0], [[SALE, ["B7 ", "2026-01-03", "XX", "CA", "12.3", "USD", "", "", "", ""], SALE[:5]]])
WITH_SKUS = (HEADERS[4], [[["A1", "2026-01-02", "US", "TX", "10", "USD", "MUG-1", "", ""],
                           ["A2", "2026-01-02", "US", "TX", "12", "USD", "EBOOK", "", ""],
                           ["A3", "2026-01-02", "US", "TX", "5", "USD", "GIFT", "txcd_99999999", ""]]])
NAMED = (HEADERS[5], [[["A1", "2026-01-02", "US", "TX", "10", "USD", "sale", "MUG-1", " 湯のみ "],
                       ["A1", "2026-01-02", "US", "TX", "10", "USD", "sale", "MUG-1", " 湯のみ "],
                       ["A2", "2026-01-03", "US", "TX", "-4", "USD", "", "EBOOK", "=1+1"]]])
CHARGED = (HEADERS[2], [[["A1", "2026-01-02", "US", "CA", "10.00", "USD", "5.00", "0.80", "sale"],
                         ["A1", "2026-01-05", "US", "CA", "-5", "USD", "", "x", "refund"]]])


@given(files(), st.sampled_from(["error", "lines", "latest"]), st.booleans(), st.sampled_from([None, "EUR"]),
       st.sampled_from([(None, None, False), ("goods", None, False), (None, "digital", False), (None, None, True)]),
       st.booleans())
@example(PLAIN, "latest", False, None, (None, None, False), False)  # read; a copy, and the later amount kept
@example(PLAIN, "error", False, None, ("goods", None, False), False)  # stopped: an order read twice, two amounts
@example(UNKNOWN_PLACE, "error", False, "EUR", (None, "digital", False), False)  # stopped at XX
@example(UNKNOWN_PLACE, "lines", True, None, (None, None, False), False)  # XX and the short row skipped
@example(WITH_SKUS, "error", False, None, (None, None, True), False)  # categories from the products file
@example(WITH_SKUS, "error", False, None, (None, None, True), True)  # ... and each line's SKU kept
@example(NAMED, "lines", False, None, (None, None, False), True)  # SKU lines with their products' names
@example(CHARGED, "lines", True, None, (None, None, False), False)  # shipping and tax, a bad tax skipped
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_the_quick_way_reads_any_file_as_parse_row_does(tmp_path_factory, drawn, mode, skip, currency, categories,
                                                        skus):
    """... and with --category, --unknown-category or a products file deciding the rows without a category; and
    with each line's SKU kept, as nexus products check reads (the SKU lines the same too).

    Each kind of reading has an explicit example; 150 drawn files (300 before, about half of them stopped by an
    error) add the variety."""
    from nexus.products import read_products

    header, parts = drawn
    folder = tmp_path_factory.mktemp("quick")
    category, unknown, products = categories
    if products:
        (folder / "products.csv").write_text(PRODUCTS, encoding="utf-8")
        products = read_products(str(folder / "products.csv"))
    paths = csv_files(folder, header, parts)
    options = ReadOptions(repeated_orders=mode, skip_bad_rows=skip, currency=currency, category=category,
                          unknown_category=unknown, products=products or None, collect_skus=skus)
    own_layout.QUICK = False
    try:
        reference = outcome(paths, options)
    finally:
        own_layout.QUICK = True
    assert outcome(paths, options) == reference
    event("stopped" if reference[0] == "error" else "read")


def test_orders_read_once_are_counted_at_once_and_repeats_judged(write, monkeypatch):
    """The second copy of A1 is a duplicate and B2's second amount a conflict, whichever way rows are read; the
    orders whose id is read once (C3, and the row without an id) never reach the memory of orders seen."""
    path = write("o.csv", """\
        order_id,date,country,region,amount,currency
        A1,2026-01-02,US,CA,10.00,USD
        C3,2026-01-02,US,CA,5.00,USD
        A1,2026-01-02,US,CA,10.00,USD
        ,2026-01-03,US,CA,1.00,USD
        B2,2026-01-04,US,NY,7.00,USD
        B2,2026-01-04,US,NY,8.00,USD
        """)
    remembered = []
    real = seen_orders.SeenOrders.first

    def first(self, key, path, line, content=""):
        remembered.append(line)
        return real(self, key, path, line, content)

    monkeypatch.setattr(seen_orders.SeenOrders, "first", first)
    ledger = read_sales([path], ReadOptions(repeated_orders="latest"))
    assert sorted(set(remembered)) == [2, 4, 6, 7]  # A1 twice and B2 twice; not C3 (line 3), not line 5
    assert ledger.summary()["rows_read"] == 6 and ledger.summary()["duplicates"] == 1
    assert ledger.summary()["rows_superseded"] == 1 and len(ledger.conflicts) == 1
    assert ledger.totals[("US-NY", ledger.first_day.replace(day=4), "USD", "direct", "sale", "no", "unknown")][0] == 8
    with pytest.raises(InputError, match=r"order 'B2' read at .*o.csv:6 and again at .*o.csv:7 with amount "
                                         r"'7' then '8'"):
        read_sales([path])


def test_possibly_repeated_holds_every_id_read_twice_and_few_others(tmp_path):
    path = tmp_path / "o.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["date", "order_id", "country", "amount", "currency"])
        writer.writerows([["2026-01-02", f"O{i}", "JP", "100", "JPY"] for i in range(20000)])
        writer.writerows([["2026-01-02", f" O{i} ", "JP", "100", "JPY"] for i in range(0, 20000, 1000)])
    other = tmp_path / "p.csv"
    other.write_text("order_id,date,country,amount,currency\nO5,2026-01-03,JP,1,JPY\nZ,2026-01-03,JP,1,JPY\n",
                     encoding="utf-8")
    found = possibly_repeated([str(path), str(other)], ReadOptions())
    assert {f"O{i}" for i in range(0, 20000, 1000)} | {"O5"} <= found  # ids as the reader strips them
    assert len(found) < 21 + 2000  # a bitmap's false alarms: a few percent of the ids at most
    assert possibly_repeated([str(tmp_path / "missing.csv")], ReadOptions()) is None  # the reader names it


def test_a_total_emptied_by_a_later_copy_goes_as_when_each_row_is_added_at_once(write):
    """Rows counted at once are summed per spelling and day and added to the ledger later. The refund of 0.00
    without an id (line 3) shares its daily total with refund A1 (direct, 5.00), which a later copy sold through a
    marketplace replaces (--repeated-orders latest): read row by row, that total falls to nothing when A1 is taken
    out and is removed. The 0.00 refund must already be in it then, so that it goes too, not left behind as an
    empty total of its own."""
    path = write("o.csv", """\
        order_id,date,country,region,amount,currency,channel,kind
        A1,2026-01-02,US,CA,5.00,USD,direct,refund
        ,2026-01-02,US,CA,0.00,USD,direct,refund
        A1,2026-01-02,US,CA,5.00,USD,marketplace,refund
        """)
    ledger = read_sales([path], ReadOptions(repeated_orders="latest"))
    day = ledger.first_day
    assert str(day) == "2026-01-02"
    assert ledger.totals == {("US-CA", day, "USD", "marketplace", "refund", "no", "unknown"): [-5, 0]}
    assert ledger.rows_by_day == {day: 2} and ledger.rows_superseded == 1


def test_decimal_comma_amounts_are_never_read_as_plain(write):
    """With --decimal-comma a point groups thousands: 1.234 is 1234 and 12,50 is 12.50; 1.50 is a point where a
    comma is asked for, named as such however common its form is elsewhere."""
    path = write("o.csv", """\
        order_id,date,country,region,amount,currency
        A1,2026-01-02,DE,,1.234,EUR
        A2,2026-01-02,DE,,"12,50",EUR
        A3,2026-01-02,DE,,7,EUR
        """)
    ledger = read_sales([path], ReadOptions(decimal_comma=True))
    day = ledger.first_day
    assert ledger.totals == {("DE", day, "EUR", "direct", "sale", "no", "unknown"): [Decimal("1253.50"), 3]}
    with open(path, "a", encoding="utf-8") as handle:
        handle.write("A4,2026-01-02,DE,,1.50,EUR\n")
    with pytest.raises(InputError, match=r"o.csv:5: column 'amount' value '1.50': has a decimal point but "
                                         r"--decimal-comma was given"):
        read_sales([path], ReadOptions(decimal_comma=True))


def _as_the_csv_module_reads(text: str) -> list:
    """Each row of ``text`` with the line it starts on, as the csv module reads it (strict quotes), ending with
    ("error", line) where it stops."""
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, start = [], 1
    try:
        for row in reader:
            rows.append((start, row))
            start = reader.line_num + 1
    except csv.Error:
        rows.append(("error", start))
    return rows


@given(st.lists(st.sampled_from(["a", "b", "é", " ", ",", '"', "\n", "\r", "\r\n"]), max_size=60),
       st.integers(1, 9))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_csv_text_read_in_blocks_gives_the_rows_and_lines_of_the_csv_module(tmp_path_factory, tokens, block):
    """CSV text is read in blocks of whole lines split by line and delimiter until a block holds a quote or a lone
    carriage return, the csv module reading the rest: every row, its line and where a bad quote stops reading must
    be what the csv module gives, wherever blocks end (here after 1 to 9 characters)."""
    text = "h1,h2\n" + "".join(tokens)
    path = tmp_path_factory.mktemp("blocks") / "o.csv"
    path.write_bytes(text.encode("utf-8"))
    read = []
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(spreadsheets, "CSV_BLOCK", block)
        try:
            for line, row in read_rows(str(path), ReadOptions(encoding="utf-8", delimiter=",")):
                read.append((line, row))
        except InputError as exc:
            read.append(("error", exc.location.line))
    assert read == _as_the_csv_module_reads(text)
