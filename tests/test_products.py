"""Products and SKUs (issue 24), through the library: where a line's category comes from, the products file,
the ERP item lists, and the reconciliation, each with answers worked out by hand beside the inputs."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from importlib import resources

import pytest

from conftest import SAMPLES, account
from nexus import categories, erp_items, skus
from nexus.check import check
from nexus.errors import InputError, MissingColumns
from nexus.exports.base import Item, allocate, split
from nexus.fx import Rates, load_rates
from nexus.money import quantize
from nexus.products import read_products, require_no_conflicts
from nexus.products_check import check_products
from nexus.products_report import products_dict, products_table
from nexus.rules import load_rules
from nexus.read_options import ReadOptions
from nexus.sales import read_sales

AS_OF = date(2026, 6, 30)
D = Decimal

# A Shopify export of six orders (hand-worked below), a products file and ERPNext's Item export.
#  #1001 CA: 2 x TEA-1 at 30 (ships) + EBOOK-1 at 20 (no shipping); shipping 10, tax 5.80: net 90.00 = goods
#        60 + 10 shipping = 70.00, digital 20.00; tax 5.80 x 70/90 = 4.51 on the goods.
#  #1002 NY: 'tea-1' (the same SKU in lower case) at 30, shipping 5: 35.00 goods.
#  #1003 CA: GIFT-9 at 50, 'requires shipping' empty, in neither the products file nor the ERP: unknown.
#  #1004 TX: APP-1 at 100 (no shipping), refunded 40 (running total): 60.00 net, saas by the products file.
#  #1005 CA: a gift-wrap line without a SKU at 5 (ships): goods by the platform's signal.
#  #1006 NY: MUG-2 at 25: goods by its tax code (txcd_99999999) in the products file.
SHOPIFY_COLUMNS = ("Name,Financial Status,Created at,Currency,Subtotal,Shipping,Taxes,Total,Lineitem quantity,"
                   "Lineitem name,Lineitem price,Lineitem sku,Lineitem requires shipping,Lineitem discount,"
                   "Shipping Country,Shipping Province,Billing Country,Billing Province,Cancelled at,Payment Method,"
                   "Refunded Amount")
#: name, status, created, currency, subtotal, shipping, taxes, total | quantity, line name, price, SKU, requires
#: shipping, discount | ship country, province, bill country, province, cancelled, payment, refunded.
SHOPIFY_ROWS = [
    ("#1001,paid,2026-01-05 10:00:00 -0500,USD,80.00,10.00,5.80,95.80",
     "2,Sencha tea,30.00,TEA-1,true,0.00", "US,CA,US,CA,,Shopify Payments,0.00"),
    ("#1001,,,,,,,", "1,Tea e-book,20.00,EBOOK-1,false,0.00", ",,,,,,"),
    ("#1002,paid,2026-01-06 10:00:00 -0500,USD,30.00,5.00,0.00,35.00",
     "1,Sencha tea,30.00,tea-1,true,0.00", "US,NY,US,NY,,Shopify Payments,0.00"),
    ("#1003,paid,2026-01-07 10:00:00 -0500,USD,50.00,0.00,0.00,50.00",
     "1,Gift box,50.00,GIFT-9,,0.00", "US,CA,US,CA,,Shopify Payments,0.00"),
    ("#1004,partially_refunded,2026-01-08 10:00:00 -0500,USD,100.00,0.00,0.00,100.00",
     "1,Tea timer app,100.00,APP-1,false,0.00", ",,US,TX,,Shopify Payments,40.00"),
    ("#1005,paid,2026-01-09 10:00:00 -0500,USD,5.00,0.00,0.00,5.00",
     "1,Gift wrap,5.00,,true,0.00", "US,CA,US,CA,,Shopify Payments,0.00"),
    ("#1006,paid,2026-01-10 10:00:00 -0500,USD,25.00,0.00,0.00,25.00",
     "1,Tea mug,25.00,MUG-2,true,0.00", "US,NY,US,NY,,Shopify Payments,0.00"),
]
SHOPIFY = "\n".join([SHOPIFY_COLUMNS] + [",".join(parts) for parts in SHOPIFY_ROWS]) + "\n"
PRODUCTS = """\
    sku,category,tax_code,erp_item,name
    TEA-1,goods,,TEA-001,Sencha tea
    EBOOK-1,digital,txcd_10302000,EBOOK-1,Tea e-book
    APP-1,saas,,,Tea timer app
    MUG-2,,txcd_99999999,MUG-2,Tea mug
    OLD-7,,ZZ-999,,A product without a category
    """
ERPNEXT = """\
    ID,Item Code,Item Name,Item Group,Default Unit of Measure,Maintain Stock,Disabled,Barcode (Barcodes)
    TEA-1,TEA-1,Sencha tea,Products,Nos,1,0,4900000000011
    ,,,,,,,4900000000012
    EBOOK-1,EBOOK-1,Tea e-book,Services,Nos,0,0,
    MUG-2,MUG-2,Tea mug,Products,Nos,1,0,
    OLD-9,OLD-9,Old teapot,Products,Nos,1,1,
    """


@pytest.fixture
def store(write):
    return write("shopify.csv", SHOPIFY), write("products.csv", PRODUCTS), write("erpnext.csv", ERPNEXT)


def finding(result, code):
    return next(f for f in result.findings if f.jurisdiction == code)


def counts(f):
    return {(c.category, c.source): (c.lines, c.sales, c.counted) for c in f.categories}


# -- where a line's category comes from --------------------------------------------------------------------

def test_each_line_takes_the_first_source_that_says_and_findings_count_them_by_source(store):
    shopify, products, _erp = store
    ledger = read_sales([shopify], ReadOptions(products=read_products(products)))
    result = check(ledger, load_rules(), AS_OF)
    ca = finding(result, "US-CA")  # California counts goods only
    assert counts(ca) == {("goods", "products"): (1, D("70.00"), True), ("digital", "products"): (1, D("20.00"), False),
                          ("goods", "platform"): (1, D("5.00"), True), ("unknown", "unknown"): (1, D("50.00"), False)}
    assert (ca.sales, ca.shipping, ca.tax_charged, ca.transactions) == (D("75.00"), D("10.00"), D("4.51"), 2)
    assert ca.excluded == {"category": D("20.00"), "unknown": D("50.00")}
    assert ca.unknown is not None and (ca.unknown.lines, ca.unknown.sales, ca.unknown.counted) == (1, D("50.00"), False)
    assert any("Sales of USD 50.00 with no known category" in r and "--unknown-category" in r for r in ca.reasons)
    assert any(r.startswith("Categories in ") and "2 line(s) from the products file (by SKU) (goods USD 70.00, "
               "digital USD 20.00); 1 line(s) from the platform's signal (goods USD 5.00); 1 line(s) with no category "
               "signal (USD 50.00), not counted" in r for r in ca.reasons)
    ny = finding(result, "US-NY")  # 'tea-1' matched TEA-1 ignoring case; MUG-2 by its tax code
    assert counts(ny) == {("goods", "products"): (1, D("35.00"), True), ("goods", "tax_code"): (1, D("25.00"), True)}
    tx = finding(result, "US-TX")  # Texas counts every category: SaaS, net of the 40.00 refund
    assert counts(tx) == {("saas", "products"): (1, D("60.00"), True)} and tx.sales == D("60.00")
    assert "1 SKU(s) matched the products file only when case, spaces or full-width characters are ignored: " \
           "'tea-1' as 'TEA-1'" in " ".join(ledger.assumptions)


def test_without_a_products_file_the_platform_signal_decides_and_says_so(store):
    shopify, _products, _erp = store
    ledger = read_sales([shopify])
    ca = finding(check(ledger, load_rules(), AS_OF), "US-CA")
    assert counts(ca) == {("goods", "platform"): (2, D("75.00"), True), ("digital", "platform"): (1, D("20.00"), False),
                          ("unknown", "unknown"): (1, D("50.00"), False)}
    said = " ".join(ledger.assumptions)
    assert "4 Shopify lines that require shipping as goods" in said
    assert "2 Shopify lines that require no shipping (not goods: a products file says which are services or SaaS) " \
           "as digital" in said


def test_unknown_category_decides_what_the_rules_count_and_stays_unknown_by_source(store):
    shopify, products, _erp = store
    ledger = read_sales([shopify], ReadOptions(products=read_products(products), unknown_category="goods"))
    ca = finding(check(ledger, load_rules(), AS_OF), "US-CA")
    assert counts(ca)[("goods", "unknown")] == (1, D("50.00"), True) and ca.sales == D("125.00")
    assert ca.unknown is not None and ca.unknown.counted
    assert any("1 line(s) with no category signal (USD 50.00), counted as goods (--unknown-category)" in r
               for r in ca.reasons)
    assert "lines with no category signal are counted as goods (--unknown-category)" in ledger.assumptions


def test_option_category_fills_rows_without_one_and_the_row_wins_where_it_has_one(write):
    path = write("o.csv", """\
        order_id,date,country,region,amount,currency,category
        A1,2026-01-02,US,CA,10.00,USD,digital
        A2,2026-01-03,US,CA,20.00,USD,
        A3,2026-01-04,US,CA,40.00,USD,unknown
        """)
    ledger = read_sales([path], ReadOptions(category="goods"))
    ca = finding(check(ledger, load_rules(), AS_OF), "US-CA")
    assert counts(ca) == {("digital", "column"): (1, D("10.00"), False), ("goods", "option"): (2, D("60.00"), True)}


# A digital line sold to Japan: without any category signal it is unknown in Japan's finding (Japan registers
# foreign sellers of digital services, not of goods); with the products file it counts under Japan's rule. The
# SKU is written full-width, as the Japanese storefront exports it: it matches EBOOK-1 and says so.
JAPAN = """\
    order_id,date,country,region,amount,currency,sku
    J1,2025-03-01,JP,,5000,JPY,ＥＢＯＯＫ－１
    J2,2025-03-02,JP,,7000,JPY,TEA-1
    """


def test_a_digital_line_to_japan_is_unknown_without_a_signal_and_counts_with_the_products_file(write, store):
    _shopify, products, _erp = store
    orders = write("jp.csv", JAPAN)
    jp = finding(check(read_sales([orders]), load_rules(), AS_OF), "JP")
    assert jp.period is not None and jp.period.start == date(2025, 1, 1)  # the specified period, Jan-Jun 2025
    assert counts(jp) == {("unknown", "unknown"): (2, D("12000"), False)} and jp.sales == D("0")
    assert jp.excluded == {"unknown": D("12000")}
    assert any("Sales of JPY 12,000 with no known category" in r and "digital, saas, services only" in r
               for r in jp.reasons)
    ledger = read_sales([orders], ReadOptions(products=read_products(products)))
    jp = finding(check(ledger, load_rules(), AS_OF), "JP")
    assert counts(jp) == {("goods", "products"): (1, D("7000"), False), ("digital", "products"): (1, D("5000"), True)}
    assert jp.sales == D("5000") and jp.excluded == {"category": D("7000")}
    assert "'ＥＢＯＯＫ－１' as 'EBOOK-1'" in " ".join(ledger.assumptions)


def test_tax_codes_on_the_order_row_map_through_the_table_and_unmapped_codes_are_said(write):
    path = write("o.csv", """\
        order_id,date,country,region,amount,currency,tax_code
        A1,2026-01-02,US,TX,10.00,USD,txcd_10103001
        A2,2026-01-03,US,TX,20.00,USD,30070
        A3,2026-01-04,US,TX,40.00,USD,txcd_00000000
        A4,2026-01-05,US,TX,80.00,USD,NOPE-1
        """)
    ledger = read_sales([path])
    tx = finding(check(ledger, load_rules(), AS_OF), "US-TX")
    assert counts(tx) == {("saas", "tax_code"): (2, D("30.00"), True), ("unknown", "unknown"): (2, D("120.00"), True)}
    assert "product tax code(s) not in nexus's table ('txcd_00000000', 'NOPE-1')" in " ".join(ledger.assumptions)


def test_the_fast_path_counts_category_sources_as_the_reference_reader(write):
    from nexus.own_layout_fast import read_sales_fast

    path = write("o.csv", """\
        order_id,date,country,region,amount,currency,category
        A1,2026-01-02,US,CA,10.00,USD,digital
        A2,2026-01-03,US,CA,20.00,USD,
        A3,2026-01-03,US,CA,-5.00,USD,
        A4,2026-01-04,JP,,400,JPY,goods
        """)
    for options in (ReadOptions(), ReadOptions(category="saas"), ReadOptions(unknown_category="goods")):
        fast, reference = read_sales_fast([path], options), read_sales([path], options)
        assert fast.category_sources == reference.category_sources and fast.series == reference.series
    assert read_sales([path]).category_sources[("US-CA", "USD", "unknown", "unknown")] == {
        date(2026, 1, 3): [D("15.00"), 1]}


def test_the_fast_path_reads_duckdbs_lines_by_category_source_into_the_ledger():
    """The lines DuckDB writes (place, currency, category, source, day number, amount, lines), grouped by their
    first four fields: a group met again later adds its days, a line may end in a carriage return."""
    from nexus.duckdb_totals import add_sourced
    from nexus.ledger import Ledger

    ledger = Ledger()
    add_sourced(ledger, ["US-CA,USD,goods,column,20454,10.500000000,2\n",
                          "US-CA,USD,goods,column,20455,-1.000000000,0\n",
                          "US-CA,USD,saas,option,20454,3.000000000,1\r\n",
                          "US-CA,USD,goods,column,20456,7.000000000,1\n"])
    assert ledger.category_sources == {
        ("US-CA", "USD", "goods", "column"): {date(2026, 1, 1): [D("10.500000000"), 2],
                                             date(2026, 1, 2): [D("-1.000000000"), 0],
                                             date(2026, 1, 3): [D("7.000000000"), 1]},
        ("US-CA", "USD", "saas", "option"): {date(2026, 1, 1): [D("3.000000000"), 1]}}


# -- splitting an order between its lines' categories --------------------------------------------------------

def test_an_order_of_goods_and_a_download_is_split_by_value_shipping_with_the_goods():
    goods = Item(2, "TEA-1", "", D("60"), "goods", "products", True)
    book = Item(3, "EBOOK-1", "", D("20"), "digital", "products", False)
    parts = split([book, goods], D("90.00"), D("10.00"), D("5.80"))
    assert [(k, a, s) for k, _items, a, s, _t in parts] == [
        (("goods", "products"), D("70.00"), D("10.00")), (("digital", "products"), D("20.00"), D("0"))]
    assert sum(t for *_rest, t in parts) == D("5.80") and round(parts[0][4], 2) == D("4.51")
    # Shares to a trillionth, the last taking what is left: exact sums, whatever the order of addition.
    assert allocate(D("10"), [D(1), D(1), D(1)]) == [D("3.333333333333"), D("3.333333333333"), D("3.333333333334")]
    assert sum(allocate(D("0.01"), [D(0), D(0)])) == D("0.01")


def test_one_order_of_two_categories_is_one_transaction_and_its_rows_are_all_accounted_for(store):
    shopify, products, _erp = store
    ledger = read_sales([shopify], ReadOptions(products=read_products(products)))
    assert ledger.summary() == account(7, 7)
    ca = ledger.series[("US-CA", "USD", "direct", "sale", "no", "goods")]
    digital = ledger.series[("US-CA", "USD", "direct", "sale", "no", "digital")]
    assert ca[date(2026, 1, 5)] == [D("70.00"), 1] and digital[date(2026, 1, 5)] == [D("20.00"), 0]


def test_a_re_export_of_a_split_order_is_a_duplicate_not_a_second_sale(write, store):
    shopify, products, _erp = store
    again = write("again.csv", SHOPIFY)
    ledger = read_sales([shopify, again], ReadOptions(products=read_products(products)))
    assert ledger.summary()["duplicates"] == 7
    assert ledger.series[("US-CA", "USD", "direct", "sale", "no", "goods")][date(2026, 1, 5)] == [D("70.00"), 1]


# -- the products file ---------------------------------------------------------------------------------------

def test_a_products_file_needs_a_sku_column_and_names_what_it_found(write):
    path = write("p.csv", "item,category\nTEA-1,goods\n")
    with pytest.raises(MissingColumns) as caught:
        read_products(path)
    assert str(caught.value) == (f"{path}:1: a products file needs the column(s) sku (and may have tax_code, erp_item, "
                                 f"name); columns found: item, category")


def test_an_unknown_category_is_an_error_naming_file_line_and_value(write):
    path = write("p.csv", "sku,category\nTEA-1,goods\nTEA-2,tangibles\n")
    with pytest.raises(InputError) as caught:
        read_products(path)
    assert str(caught.value) == (f"{path}:3: column 'category' value 'tangibles': is not a category nexus's rules use "
                                 f"(goods, digital, saas, services)")


def test_a_sku_with_two_categories_is_listed_and_check_refuses_to_choose(write):
    path = write("p.csv", "sku,category,erp_item\nMUG-2,goods,M2\nmug-2,digital,M2\nCUP-1,goods,C1\nCUP-1,goods,C9\n")
    catalogue = read_products(path)
    assert [(c.sku, c.field, [(v, w.line) for v, w in c.values]) for c in catalogue.conflicts] == [
        ("MUG-2", "category", [("goods", 2), ("digital", 3)]), ("CUP-1", "erp_item", [("C1", 4), ("C9", 5)])]
    with pytest.raises(InputError) as caught:
        require_no_conflicts(catalogue)
    assert str(caught.value) == (f"{path}:3: column 'category' value 'digital': SKU 'MUG-2' is given two categories: "
                                 f"'goods' at {path}:2; 'digital' at {path}:3: nexus will not choose; correct the file "
                                 f"(nexus products check lists every conflict)")


def test_a_sku_whose_first_row_gives_no_category_takes_the_later_row_that_gives_one(write):
    """A SKU listed first without a category (and no tax code) and again as goods is goods, with the ERP item the
    first row gave: the first row alone was used, the line counted unknown (nothing in California's goods) and
    products check said 'in the products file without a category or a tax code'."""
    path = write("p.csv", "sku,category,erp_item\nTEA-1,,T1\nTEA-1,goods,\nMUG-2,,M2\nmug-2,digital,\n")
    catalogue = read_products(path)
    assert catalogue.conflicts == []
    assert [(p.category, p.erp_item, p.location.line) for p in (catalogue.find(s)[0] for s in ("TEA-1", "tea-1"))] \
        == [("goods", "T1", 3), ("goods", "T1", 3)]
    assert catalogue.find("MUG-2")[0].category == "digital"  # only another spelling gives it: a loose match
    orders = write("o.csv", "order_id,date,country,region,amount,currency,sku\nA1,2026-01-02,US,CA,10.00,USD,TEA-1\n")
    ledger = read_sales([orders], ReadOptions(products=catalogue, collect_skus=True))
    assert ledger.series[("US-CA", "USD", "direct", "sale", "no", "goods")] == {date(2026, 1, 2): [D("10.00"), 1]}
    result = check_products(ledger, catalogue, None, load_rules(), AS_OF)
    assert result.without_category == ()  # MUG-2 not sold, but a category is given it: not 'no category'


def test_a_products_workbook_reads_like_its_csv(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (["SKU", "Category", "Tax code", "ERP item"], [1001, "Physical", None, 1001.0],
                ["=HYPERLINK(\"x\")", "download", None, None]):
        sheet.append(row)
    sheet["A3"].data_type = "s"  # text that looks like a formula, as hostile input can be: it stays text
    path = tmp_path / "p.xlsx"
    book.save(path)
    catalogue = read_products(str(path))
    assert [(p.sku, p.category, p.erp_item) for p in catalogue.products] == [
        ("1001", "goods", "1001"), ("=HYPERLINK(\"x\")", "digital", "")]


def test_a_numeric_sku_padded_by_its_cell_format_keeps_its_zeros(tmp_path):
    """SKU 00123, typed in Excel as a number formatted "00000", was read as 123 and matched no order's SKU."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["SKU", "Category"])
    book.active.append([123, "goods"])
    book.active["A2"].number_format = "00000"
    path = tmp_path / "p.xlsx"
    book.save(path)
    assert [p.sku for p in read_products(str(path)).products] == ["00123"]


# -- SKUs written differently ------------------------------------------------------------------------------

@pytest.mark.parametrize("written, other, differ", [
    ("ＳＫＵ－１", "SKU-1", ("full-width",)), ("sku 1", "SKU1", ("spaces", "case")),
    ("ｔｅａ－１", "TEA-1", ("full-width", "case")),
    ("TEA‐1", "TEA-1", ("full-width",)), ("SKU-1", "SKU-1", ()),
    # The hyphen key in kana mode types the prolonged sound mark (ー, half-width ｰ): 'ＡＢＣー００１' was not the
    # ERP's ABC-001, and sold it was 'not in the ERP'.
    ("ＡＢＣー００１", "ABC-001", ("full-width",)), ("abcｰ001", "ABC-001", ("full-width", "case"))])
def test_skus_that_differ_only_by_width_case_or_spaces_share_a_key_and_say_how(written, other, differ):
    assert skus.key(written) == skus.key(other) and skus.differences(written, other) == differ


def test_skus_that_differ_otherwise_do_not_match():
    assert skus.key("SKU-1") != skus.key("SKU-11") and skus.key("ティー") != skus.key("テイー")
    # Within katakana the prolonged sound mark is a letter, not a dash.
    assert skus.key("コーヒー") != skus.key("コ-ヒ-") and skus.key("ABー") != skus.key("AB-")


# -- ERP item lists, as each ERP exports them ---------------------------------------------------------------

ERP_EXPORTS = {
    "erpnext": ("ID,Item Code,Item Name,Item Group,Default Unit of Measure,Maintain Stock,Disabled\n"
                "TEA-1,TEA-1,Sencha,Products,Nos,1,0\nSVC-1,SVC-1,Class,Services,Nos,0,1\n",
                [("TEA-1", "TEA-1", "Sencha", "stock item", True),
                 ("SVC-1", "SVC-1", "Class", "non-stock item", False)]),
    "odoo": ("ID,Name,Internal Reference,Product Type,Active\n__export__.product_1,Sencha,TEA-1,Storable Product,True\n"
             "__export__.product_2,Class,SVC-1,Service,False\n",
             [("TEA-1", "__export__.product_1", "Sencha", "Storable Product", True),
              ("SVC-1", "__export__.product_2", "Class", "Service", False)]),
    "odoo-compatible": ("id,name,default_code,detailed_type\nproduct_1,Sencha,TEA-1,product\n",
                        [("TEA-1", "product_1", "Sencha", "product", True)]),
    "netsuite": ("Internal ID,Name,Display Name,Type,Inactive\n812,Teas : TEA-1,Sencha,Inventory Item,No\n"
                 "901,SVC-1,Class,Service,Yes\n",
                 [("TEA-1", "812", "Sencha", "Inventory Item", True), ("SVC-1", "901", "Class", "Service", False)]),
    "quickbooks": ("Product/Service Name,Sales Description,SKU,Type,Sales Price / Rate\nSencha,Green tea,TEA-1,"
                   "Inventory,30\nClass,,,Service,60\n",
                   [("TEA-1", "Sencha", "Green tea", "Inventory", True), ("", "Class", "Class", "Service", True)]),
    "xero": ("*ItemCode,ItemName,Quantity,PurchasesDescription,PurchasesUnitPrice,PurchasesAccount,PurchasesTaxRate,"
             "SalesDescription,SalesUnitPrice,SalesAccount,SalesTaxRate,InventoryAssetAccount,CostOfGoodsSoldAccount\n"
             "TEA-1,Sencha,40,,,,,Green tea,30,200,GST on Income,630,310\nSVC-1,Class,,,,,,,60,200,,,\n",
             [("TEA-1", "TEA-1", "Sencha", "tracked inventory", True),
              ("SVC-1", "SVC-1", "Class", "untracked item", True)]),
    "generic": ("sku,erp_item,name\nTEA-1,10001,Sencha\n", [("TEA-1", "10001", "Sencha", "", True)]),
    # An active column written as a state: Disabled was read as active.
    "generic-states": ("sku,erp_item,name,active\nTEA-1,10001,Sencha,Enabled\nOLD-9,10002,Old,Disabled\n",
                       [("TEA-1", "10001", "Sencha", "", True), ("OLD-9", "10002", "Old", "", False)]),
}


@pytest.mark.parametrize("name", sorted(ERP_EXPORTS))
def test_each_erp_item_export_is_recognised_from_its_header_and_read(write, name):
    text, expected = ERP_EXPORTS[name]
    items = erp_items.read_items(write(f"{name}.csv", text))
    assert items.erp == name.split("-")[0]
    assert [(it.sku, it.item, it.name, it.kind, it.active) for it in items.items] == expected


@pytest.mark.parametrize("header, row, column", [
    (["sku", "erp_item", "name"], [123, "10001", "Padded"], 1),
    (["ID", "Item Code", "Item Name", "Item Group", "Maintain Stock", "Disabled"],
     ["00123", 123, "Padded", "Products", 1, 0], 2),
    (["*ItemCode", "ItemName"], [123, "Padded"], 1)])
def test_an_erp_sku_padded_by_its_cell_format_keeps_its_zeros(tmp_path, header, row, column):
    """Item Code 00123 in an XLSX item list, a number formatted "00000", was read as 123: SKU 00123 sold (and
    in the products file, read as shown) was 'not in the ERP', and item 123 'never sold'."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(header)
    book.active.append(row)
    book.active.cell(2, column).number_format = "00000"
    path = tmp_path / "items.xlsx"
    book.save(path)
    assert [it.sku for it in erp_items.read_items(str(path)).items] == ["00123"]


def test_an_item_list_nexus_does_not_know_is_one_line_naming_the_columns(write):
    path = write("items.csv", "Artikel,Bezeichnung\nTEA-1,Sencha\n")
    with pytest.raises(InputError) as caught:
        erp_items.read_items(path)
    assert str(caught.value) == (f"{path}:1: is not an item list nexus recognises (ERPNext, Odoo, NetSuite, QuickBooks "
                                 f"Online, Xero, or nexus's own: sku, erp_item, name); columns found: Artikel, "
                                 f"Bezeichnung")


# -- the reconciliation ------------------------------------------------------------------------------------

def test_reconciliation_lists_the_gap_conflicts_spellings_and_sales_by_category(store):
    shopify, products, erp = store
    catalogue = read_products(products)
    ledger = read_sales([shopify], ReadOptions(products=catalogue, collect_skus=True))
    result = check_products(ledger, catalogue, erp_items.read_items(erp), load_rules(), AS_OF)
    # Not in the ERP: APP-1 (100.00 less the 40.00 refund) and GIFT-9, largest first.
    assert [(s.sku, s.orders, s.lines, s.first, s.last, s.sales, [c for c, _s, _n in s.categories])
            for s in result.not_in_erp] == [
        ("APP-1", 1, 1, date(2026, 1, 8), date(2026, 1, 8), D("60.00"), ["saas"]),
        ("GIFT-9", 1, 1, date(2026, 1, 7), date(2026, 1, 7), D("50.00"), ["unknown"])]
    assert result.not_in_erp_sales == D("110.00") and result.fails("not-in-erp")
    tea = next(s for s in result.sold if s.sku == "TEA-1")  # 70.00 in #1001 (with its shipping) + 35.00 in #1002
    assert (tea.spellings, tea.orders, tea.sales, tea.erp_match, tea.erp_item) == (
        ("TEA-1", "tea-1"), 2, D("105.00"), "sku", "TEA-1")
    assert [c.describe() for c in result.conflicts] == [
        f"'TEA-1' has two ERP items: 'TEA-001' (products {products}:2); 'TEA-1' (ERP {erp}:2)"]
    assert [(s.sku, s.spellings, s.differences) for s in result.spellings] == [
        ("TEA-1", (("TEA-1", "sold, products, ERP"), ("tea-1", "sold")), ("case",))]
    assert [(w.sku, w.lines, w.sales, w.why) for w in result.without_category] == [
        ("GIFT-9", 1, D("50.00"), "not in the products file"),
        ("OLD-7", 0, D("0"), "tax code 'ZZ-999' is not in nexus's table (not sold in the period)")]
    assert result.no_sku is not None and (result.no_sku.lines, result.no_sku.orders, result.no_sku.sales) == \
        (1, 1, D("5.00"))
    assert [(it.sku, it.active) for it in result.never_sold] == [("OLD-9", False)]
    by = {(c.jurisdiction, c.category, c.source): (c.lines, c.sales, c.counted) for c in result.by_category}
    assert by == {("US-CA", "goods", "products"): (1, D("70.00"), True),
                  ("US-CA", "digital", "products"): (1, D("20.00"), False),
                  ("US-CA", "goods", "platform"): (1, D("5.00"), True),
                  ("US-CA", "unknown", "unknown"): (1, D("50.00"), False),
                  ("US-NY", "goods", "products"): (1, D("35.00"), True),
                  ("US-NY", "goods", "tax_code"): (1, D("25.00"), True),
                  ("US-TX", "saas", "products"): (1, D("60.00"), True)}
    assert [c.jurisdiction for c in result.by_category][:1] == ["US-CA"]  # largest sales first

def test_a_sku_whose_only_erp_item_is_disabled_is_in_the_gap_and_says_so(store, write):
    """A sold SKU matched a disabled ERP item and was taken as mapped: an integration cannot post to it. It is
    now in the gap, with the disabled item to enable (screen, workbook column and JSON)."""
    shopify, products, _erp = store
    erp = write("erp.csv", ERPNEXT.replace("MUG-2,MUG-2,Tea mug,Products,Nos,1,0,",
                                           "MUG-2,MUG-2,Tea mug,Products,Nos,1,0,\n    APP-1,APP-1,Tea timer app,"
                                           "Services,Nos,0,1,"))
    catalogue = read_products(products)
    ledger = read_sales([shopify], ReadOptions(products=catalogue, collect_skus=True))
    result = check_products(ledger, catalogue, erp_items.read_items(erp), load_rules(), AS_OF)
    assert [(s.sku, s.erp_match, s.erp_disabled) for s in result.not_in_erp] == [("APP-1", "", "APP-1"),
                                                                                 ("GIFT-9", "", "")]
    assert "1 of them match an item disabled in the ERP: enable it rather than create one: APP-1 (item APP-1)" \
        in " ".join(products_table(result).split())
    assert [s["erp_disabled_item"] for s in products_dict(result)["not_in_erp"]] == ["APP-1", None]



def test_a_sku_the_erp_holds_without_its_leading_zeros_is_in_the_gap_and_said(write):
    """SKU 00123 sold, 123 in the ERP (its zeros lost when the list went through a spreadsheet): listed not in the
    ERP with nothing to say the ERP holds it as a number; now said beside it (screen, JSON), never matched, as
    0123 and 123 can be two products. 0077 sold against ERP 77 likewise; 0A1 is no number: nothing said."""
    orders = write("o.csv", "order_id,date,country,region,amount,currency,sku\n"
                            "A1,2026-01-02,US,CA,10.00,USD,00123\nA2,2026-01-03,US,CA,7.00,USD,0077\n"
                            "A3,2026-01-04,US,CA,5.00,USD,0A1\nA4,2026-01-05,US,CA,3.00,USD,123\n")
    items = write("items.csv", "sku,erp_item,name\n123,I-1,Teapot\n77,I-2,Cup\nA1,I-3,Lid\n")
    ledger = read_sales([orders], ReadOptions(collect_skus=True))
    result = check_products(ledger, None, erp_items.read_items(items), load_rules(), AS_OF)
    assert [(s.sku, s.erp_match, s.erp_zeros) for s in result.not_in_erp] == [
        ("00123", "", "123"), ("0077", "", "77"), ("0A1", "", "")]
    assert [s.erp_match for s in result.sold if s.sku == "123"] == ["sku"]
    assert ("2 of them differ from an ERP item's SKU only by leading zeros, which a spreadsheet drops from a "
            "number: check whether they are the same product: 00123 (ERP 123), 0077 (ERP 77)") \
        in " ".join(products_table(result).split())
    assert [s["erp_sku_leading_zeros"] for s in products_dict(result)["not_in_erp"]] == ["123", "77", None]


def test_a_category_its_own_tax_code_contradicts_is_a_conflict_and_the_category_is_taken(write):
    """A products-file row 'goods' with Stripe's txcd_10302000 (Digital Books) was read as goods with nothing said:
    a mistake in one of the two moves which rules count the SKU (California counts goods only). It is now listed
    with both values; the category column is still the one taken, so nexus check runs as before."""
    orders = write("o.csv", "order_id,date,country,region,amount,currency,sku\nA1,2026-01-02,US,CA,10.00,USD,BOOK-1\n"
                            "A2,2026-01-03,US,CA,4.00,USD,MUG-1\n")
    products = write("p.csv", "sku,category,tax_code\nBOOK-1,goods,txcd_10302000\nMUG-1,goods,txcd_99999999\n"
                              "APP-1,saas,txcd_00000000\n")
    catalogue = read_products(products)
    require_no_conflicts(catalogue)
    ledger = read_sales([orders], ReadOptions(products=catalogue, collect_skus=True))
    result = check_products(ledger, catalogue, None, load_rules(), AS_OF)
    assert [(c.sku, c.what, c.values, c.sales) for c in result.conflicts] == [
        ("BOOK-1", "tax_code", (("goods", f"products {products}:2 category"),
                                ("digital", f"products {products}:2 tax code txcd_10302000")), D("10.00"))]
    assert [s.categories for s in result.sold if s.sku == "BOOK-1"] == [(("goods", "products", 1),)]
    assert (f"'BOOK-1' has a category its tax code contradicts: 'goods' (products {products}:2 category); 'digital' "
            f"(products {products}:2 tax code txcd_10302000): the category is taken; sold USD 10.00") \
        in " ".join(products_table(result).split())
    assert products_dict(result)["conflicts"][0]["field"] == "tax_code"


def test_a_disabled_item_beside_an_active_one_is_no_choice_and_a_routed_one_not_never_sold(store, write):
    """Sold SKUs match active items only: an old item disabled beside the active one holding the same SKU
    (APP-OLD, APP-NEW) was still a conflict of two ERP items making the mapping ambiguous, while a products file
    routing the SKU to the disabled one (erp_item APP-OLD) was no conflict, though the active item was taken.
    And a disabled item a products file routes a sold SKU to (TIMER-9) was also listed as never sold."""
    shopify, products, _erp = store
    old_and_new = ERPNEXT + ("    APP-OLD,APP-1,Tea timer (old),Services,Nos,0,1,\n"
                             "    APP-NEW,app-1,Tea timer,Services,Nos,0,0,\n")
    for route, conflicts in (("", []), ("APP-OLD", [("APP-1", "erp_item", ("APP-OLD", "APP-NEW"))])):
        catalogue = read_products(write("p.csv", PRODUCTS.replace("APP-1,saas,,,", f"APP-1,saas,,{route},")))
        ledger = read_sales([shopify], ReadOptions(products=catalogue, collect_skus=True))
        result = check_products(ledger, catalogue, erp_items.read_items(write("erp.csv", old_and_new)), load_rules(),
                                AS_OF)
        assert [(s.erp_item, s.erp_disabled) for s in result.sold if s.sku == "APP-1"] == [("APP-NEW", "")]
        assert [(c.sku, c.what, tuple(v for v, _w in c.values)) for c in result.conflicts
                if c.sku == "APP-1"] == conflicts
    catalogue = read_products(write("p.csv", PRODUCTS.replace("APP-1,saas,,,", "APP-1,saas,,TIMER-9,")))
    ledger = read_sales([shopify], ReadOptions(products=catalogue, collect_skus=True))
    erp = write("erp.csv", ERPNEXT + "    TIMER-9,TIMER-X,Tea timer,Services,Nos,0,1,\n")
    result = check_products(ledger, catalogue, erp_items.read_items(erp), load_rules(), AS_OF)
    assert [(s.sku, s.erp_disabled) for s in result.not_in_erp] == [("APP-1", "TIMER-9"), ("GIFT-9", "")]
    assert [it.item for it in result.never_sold] == ["OLD-9"]


def test_full_width_skus_from_japan_match_the_erps_half_width_ones_and_say_so(write, store):
    _shopify, products, erp = store
    orders = write("jp.csv", JAPAN)
    catalogue = read_products(products)
    ledger = read_sales([orders], ReadOptions(products=catalogue, collect_skus=True))
    rates = load_rates(str(SAMPLES / "eurofxref-hist.csv"))
    result = check_products(ledger, catalogue, erp_items.read_items(erp), load_rules(), AS_OF, rates)
    assert result.not_in_erp == ()
    book = next(s for s in result.sold if skus.key(s.sku) == "ebook-1")
    assert (book.sku, book.erp_match, book.erp_item) == ("ＥＢＯＯＫ－１", "sku (case, spaces or width ignored)",
                                                         "EBOOK-1")
    assert [(s.spellings, s.differences) for s in result.spellings if s.sku == "ＥＢＯＯＫ－１"] == [
        ((("ＥＢＯＯＫ－１", "sold"), ("EBOOK-1", "products, ERP")), ("full-width",))]
    # Each day's sales at that day's rate (2025-03-01 is a Saturday: the ECB's rate of Friday 2025-02-28).
    jp = {(c.category, c.source): c.sales for c in result.by_category if c.jurisdiction == "JP"}
    factor = Rates([rates]).factor("JPY", "USD", date(2025, 3, 1))[0]
    assert factor == Rates([rates]).factor("JPY", "USD", date(2025, 2, 28))[0]
    assert jp == {("digital", "products"): quantize(5000 * factor, "USD"),
                  ("goods", "products"): quantize(7000 * Rates([rates]).factor("JPY", "USD", date(2025, 3, 2))[0],
                                                  "USD")}


def test_the_same_sku_sold_under_two_categories_in_the_orders_is_a_conflict(write):
    path = write("o.csv", """\
        order_id,date,country,region,amount,currency,category,sku
        A1,2026-01-02,US,CA,10.00,USD,goods,BOX-1
        A2,2026-01-03,US,CA,20.00,USD,digital,box-1
        """)
    ledger = read_sales([path], ReadOptions(collect_skus=True))
    result = check_products(ledger, None, None, load_rules(), AS_OF)
    assert [c.describe() for c in result.conflicts] == [
        "'BOX-1' has two categories: 'digital' (orders' category column); 'goods' (orders' category column)"]
    assert result.not_in_erp is None and result.never_sold is None


def test_sales_in_a_currency_no_rate_converts_are_left_out_and_said(write):
    path = write("o.csv", "order_id,date,country,amount,currency,category,sku\nT1,2026-01-02,TW,3500,TWD,goods,TEA-1\n")
    ledger = read_sales([path], ReadOptions(collect_skus=True))
    result = check_products(ledger, None, None, load_rules(), AS_OF, load_rates(str(SAMPLES / "eurofxref-hist.csv")))
    assert result.sold[0].sales == D("0") and result.sold[0].lines == 1
    assert result.warnings[0].startswith("sales in TWD are left out of the USD figures: no exchange rate for TWD")


# -- the tax-code table ------------------------------------------------------------------------------------

def table_problems(document: dict) -> list[str]:
    """Every row of the tax-code table: a described system, a code with its system's prefix, a nexus category or
    null, a source URL, a verification kind and date; no code twice."""
    problems = []
    seen = set()
    for i, row in enumerate(document["codes"], start=1):
        system = document["systems"].get(row.get("system"))
        if system is None:
            problems.append(f"code {i}: system {row.get('system')!r} is not described")
            continue
        if not str(row.get("code", "")).startswith(system["prefix"]):
            problems.append(f"code {i}: {row.get('code')!r} lacks the prefix {system['prefix']!r}")
        if row.get("category") not in categories.CATEGORIES + (None,):
            problems.append(f"code {i}: category {row.get('category')!r}")
        if not str(row.get("source", "")).startswith("https://") or row.get("verified") not in ("publisher",
                                                                                                "integrations"):
            problems.append(f"code {i}: source or verified missing")
        try:
            date.fromisoformat(row.get("last_verified", ""))
        except ValueError:
            problems.append(f"code {i}: last_verified {row.get('last_verified')!r}")
        if row.get("code") in seen:
            problems.append(f"code {i}: {row.get('code')!r} twice")
        seen.add(row.get("code"))
    for name, system in document["systems"].items():
        if not system.get("licence") or not system.get("reference", "").startswith("https://"):
            problems.append(f"system {name}: licence or reference missing")
    return problems


def test_the_tax_code_table_is_sourced_and_its_checker_catches_a_bad_row():
    text = resources.files("nexus").joinpath("data").joinpath("product-tax-codes.json").read_text(encoding="utf-8")
    document = json.loads(text)
    assert table_problems(document) == []
    document["codes"].append({"system": "stripe", "code": "99", "category": "hardware", "last_verified": "soon"})
    assert table_problems(document) == ["code 20: '99' lacks the prefix 'txcd_'", "code 20: category 'hardware'",
                                        "code 20: source or verified missing", "code 20: last_verified 'soon'"]
    assert categories.tax_code(" TXCD_99999999 ").category == "goods"
    assert categories.tax_code("３１０００").category == "digital"  # full-width digits as typed in Japan
    assert categories.tax_code("txcd_00000000").category is None


def test_a_currency_opening_a_country_sold_to_with_unknown_lines_says_it_depends_on_them():
    from nexus.provider_currencies import Opening

    rules = load_rules().applicable(AS_OF)
    korea = next(r for r in rules if r.jurisdiction == "KR")  # first-sale registration for digital goods and SaaS
    texas = next(r for r in rules if r.jurisdiction == "US-TX")  # every category
    unknown = Opening("KR", "South Korea", ("unknown",), korea, "below", None)
    assert unknown.sells_there and not unknown.opens
    assert unknown.note.startswith("You sell products of unknown category there (South Korea VAT: registration from "
                                   "the first sale of digital goods and SaaS")
    assert unknown.note.endswith("whether it opens depends on what the lines of unknown category are; give a "
                                 "products file (--products).")
    assert Opening("KR", "South Korea", ("digital",), korea, "below", None).opens
    assert Opening("US-TX", "Texas", ("unknown",), texas, "below", None).covered == ("unknown",)


def test_a_later_copy_kept_with_repeated_orders_latest_takes_the_earlier_out_by_its_own_source_and_skus(write):
    first = write("a.csv", "order_id,date,country,region,amount,currency,sku\nA1,2026-01-02,US,TX,10.00,USD,BOX-1\n")
    later = write("b.csv", "order_id,date,country,region,amount,currency,sku,category\n"
                           "A1,2026-01-02,US,TX,12.00,USD,BOX-2,goods\n")
    ledger = read_sales([first, later], ReadOptions(repeated_orders="latest", collect_skus=True))
    assert {k: v for k, v in ledger.category_sources.items() if any(t != [D(0), 0] for t in v.values())} == {
        ("US-TX", "USD", "goods", "column"): {date(2026, 1, 2): [D("12.00"), 1]}}
    assert ledger.category_sources[("US-TX", "USD", "unknown", "unknown")] == {date(2026, 1, 2): [D("0.00"), 0]}
    assert (ledger.skus["BOX-1"].lines, ledger.skus["BOX-1"].amounts) == (0, {("USD", date(2026, 1, 2)): D("0.00")})
    assert (ledger.skus["BOX-2"].lines, ledger.skus["BOX-2"].orders) == (1, 1)
    assert [s.sku for s in check_products(ledger, None, None, load_rules(), AS_OF).sold] == ["BOX-2"]


def test_products_check_takes_neither_category_of_a_sku_given_two(write):
    orders = write("o.csv", "order_id,date,country,region,amount,currency,sku\nA1,2026-01-02,US,CA,10.00,USD,MUG-2\n")
    catalogue = read_products(write("p.csv", "sku,category\nMUG-2,goods\nMUG-2,digital\n"))
    ledger = read_sales([orders], ReadOptions(products=catalogue, collect_skus=True))
    result = check_products(ledger, catalogue, None, load_rules(), AS_OF)
    assert [(c.category, c.source, c.sales) for c in result.by_category] == [("unknown", "unknown", D("10.00"))]
    assert [c.what for c in result.conflicts] == ["category"]
    assert [w.why for w in result.without_category] == [
        "given two categories in the products file: neither is taken (see Conflicts)"]


def test_an_order_holding_two_spellings_of_a_sku_is_one_order_of_it(write):
    """One Shopify order with a line of KYUSU-TEAPOT and a line of ＫＹＵＳＵ－ＴＥＡＰＯＴ (full width): the SKU was
    said to be in 2 orders (each spelling counted its own), though there is one."""
    path = write("orders_export.csv", (
        "Name,Financial Status,Created at,Currency,Subtotal,Shipping,Taxes,Total,Lineitem quantity,Lineitem name,"
        "Lineitem price,Lineitem sku,Lineitem requires shipping,Shipping Country,Shipping Province,Billing Country,"
        "Billing Province,Cancelled at,Refunded Amount\n"
        "#1001,paid,2025-03-09 10:00:00 -0800,USD,100.00,0.00,0.00,100.00,1,Teapot,50.00,KYUSU-TEAPOT,true,US,CA,"
        "US,CA,,0.00\n"
        "#1001,,,,,,,,1,Teapot,50.00,ＫＹＵＳＵ－ＴＥＡＰＯＴ,true,,,,,,\n"))
    result = check_products(read_sales([path], ReadOptions(collect_skus=True)), None, None, load_rules(), AS_OF)
    teapot = next(s for s in result.sold if skus.key(s.sku) == skus.key("KYUSU-TEAPOT"))
    assert (teapot.orders, teapot.lines, teapot.sales) == (1, 2, D("100.00"))
