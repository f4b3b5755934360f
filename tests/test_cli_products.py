"""Products and SKUs through the CLI: nexus products check (table, JSON, workbook, --fail-on not-in-erp), and
--products / --unknown-category on nexus check and nexus provider compare. The inputs are test_products's."""
from __future__ import annotations

import json
import textwrap

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nexus.cli import cli
from test_products import ERPNEXT, JAPAN, PRODUCTS, SHOPIFY


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def store(write):
    return write("shopify.csv", SHOPIFY), write("products.csv", PRODUCTS), write("erpnext.csv", ERPNEXT)


def test_products_check_table_leads_with_the_go_live_gap_and_fails_on_it(store):
    shopify, products, erp = store
    args = ["products", "check", "--sales", shopify, "--products", products, "--erp-items", erp, "--as-of",
            "2026-06-30"]
    result = run(*args)
    assert result.exit_code == 0, result.stderr
    text = result.stdout
    assert "Not in the ERP: 2 SKUs sold, USD 110.00: map them before go-live" in text
    lines = text.splitlines()
    gap = lines.index(next(line for line in lines if line.startswith("Not in the ERP")))
    assert lines[gap + 3].split()[:2] == ["APP-1", "Tea"] and "USD 60.00" in lines[gap + 3]
    assert lines[gap + 4].split()[:2] == ["GIFT-9", "Gift"] and "USD 50.00" in lines[gap + 4]
    flat = " ".join(text.split())
    assert f"'TEA-1' has two ERP items: 'TEA-001' (products {products}:2); 'TEA-1' (ERP {erp}:2); sold " \
           f"USD 105.00" in flat
    assert "Lines without a SKU: 1 in 1 orders, USD 5.00, 2026-01-09 to 2026-01-09" in flat
    assert "TEA-1 (sold, products, ERP), tea-1 (sold): case" in flat
    assert "ERP items never sold in the period (for information): 1: OLD-9." in flat
    assert run(*args, "--fail-on", "not-in-erp").exit_code == 1


def test_products_check_json_is_the_documented_shape(store):
    shopify, products, erp = store
    result = run("products", "check", "--sales", shopify, "--products", products, "--erp-items", erp, "--as-of",
                 "2026-06-30", "--format", "json")
    data = json.loads(result.stdout)
    assert data["summary"] == {"skus_sold": 5, "not_in_erp": 2, "not_in_erp_sales": "110.00", "lines_without_sku": 1,
                               "without_category": 2, "conflicts": 1, "spellings": 1, "never_sold": 1,
                               "unknown_category_lines": 1, "unknown_category_sales": "50.00"}
    assert [(s["sku"], s["sales"], s["first"], s["orders"], s["categories"]) for s in data["not_in_erp"]] == [
        ("APP-1", "60.00", "2026-01-08", 1, [{"category": "saas", "source": "products", "lines": 1}]),
        ("GIFT-9", "50.00", "2026-01-07", 1, [{"category": "unknown", "source": "unknown", "lines": 1}])]
    assert data["conflicts"] == [{"sku": "TEA-1", "field": "erp_item", "sales": "105.00", "values": [
        {"value": "TEA-001", "where": f"products {products}:2"}, {"value": "TEA-1", "where": f"ERP {erp}:2"}]}]
    assert data["erp_items"] == {"file": erp, "layout": "an ERPNext Item export"}
    ca = [r for r in data["by_category"] if r["jurisdiction"] == "US-CA"]
    assert [(r["category"], r["source"], r["sales"], r["rule_counts"], r["counted"]) for r in ca] == [
        ("goods", "products", "70.00", ["goods"], True), ("goods", "platform", "5.00", ["goods"], True),
        ("digital", "products", "20.00", ["goods"], False), ("unknown", "unknown", "50.00", ["goods"], False)]


def test_products_check_workbook_opened_and_checked(store, tmp_path):
    from openpyxl import load_workbook

    shopify, products, erp = store
    path = tmp_path / "products.xlsx"
    result = run("products", "check", "--sales", shopify, "--products", products, "--erp-items", erp, "--as-of",
                 "2026-06-30", "--workbook", str(path))
    assert result.exit_code == 0, result.stderr
    book = load_workbook(path)
    assert book.sheetnames == ["Summary", "Not in ERP", "Without category", "Conflicts", "Spellings", "By category",
                               "SKUs sold", "By category and source", "Never sold"]
    assert [book[name].sheet_state for name in book.sheetnames] == ["visible"] * 6 + ["hidden"] * 3

    def table(name):
        ws = book[name]
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        start = next(i for i, row in enumerate(rows) if row[0] == "SKU" or row[0] == "Code")
        return rows[start], rows[start + 1:]

    head, rows = table("Not in ERP")
    assert head[:7] == ["SKU", "Name", "Orders", "Lines", "First sold", "Last sold", "Sales"]
    assert [(r[0], r[2], r[6]) for r in rows] == [("APP-1", 1, 60), ("GIFT-9", 1, 50)]
    assert book["Not in ERP"].cell(row=3, column=7).number_format.startswith("#,##0.00")
    head, rows = table("Conflicts")
    assert [(r[0], r[1], r[2]) for r in rows] == [("TEA-1", "two ERP items", "TEA-001"),
                                                  ("TEA-1", "two ERP items", "TEA-1")]
    head, rows = table("Without category")
    assert [(r[0], r[1], r[2]) for r in rows] == [("GIFT-9", 1, 50), ("OLD-7", 0, 0)]
    head, rows = table("By category")
    assert head == ["Code", "Jurisdiction", "goods", "digital", "saas", "unknown", "Total", "Rule counts",
                    "Not counted by the rule"]
    # California counts goods: its digital 20.00 and unknown 50.00 are what the category choice moves.
    assert rows[0] == ["US-CA", "California", 75, 20, None, 50, 145, "goods", 70]
    assert ["US-TX", "Texas", None, None, 60, None, 60, "every category", 0] in rows
    head, rows = table("By category and source")
    assert ("US-TX", "Texas", "saas", "the products file (by SKU)", 1, 60) in [tuple(r[:6]) for r in rows]
    summary = fields(book["Summary"])
    assert summary["SKUs sold that the ERP lacks"] == 2 and summary["Sale lines of unknown category"] == 1
    assert summary["Sales of SKUs the ERP lacks"] == 110 and summary["Sales of unknown category"] == 50
    assert summary["ERP items never sold (for information)"] == 1
    head, rows = table("Spellings")
    assert [tuple(r) for r in rows] == [("TEA-1", "TEA-1", "sold, products, ERP", "case"),
                                        ("TEA-1", "tea-1", "sold", "case")]


def fields(ws) -> dict:
    """A Page's labelled values: the label in the first column, the value in the first filled cell after it."""
    found = {}
    for row in ws.iter_rows():
        values = [c.value for c in row]
        if values and values[0] and any(v is not None for v in values[1:]):
            found.setdefault(values[0], next(v for v in values[1:] if v is not None))
    return found


def test_hostile_skus_stay_text_in_the_workbook(write, tmp_path):
    from openpyxl import load_workbook

    orders = write("o.csv", "order_id,date,country,region,amount,currency,sku\nA1,2026-01-02,US,CA,10.00,USD,"
                            "\"=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\"\n")
    items = write("items.csv", "sku,erp_item,name\nTEA-1,1,Sencha\n")
    path = tmp_path / "p.xlsx"
    result = run("products", "check", "--sales", orders, "--erp-items", items, "--as-of", "2026-06-30",
                 "--workbook", str(path), "--format", "json")
    assert json.loads(result.stdout)["not_in_erp"][0]["sku"] == '=HYPERLINK("http://example.invalid","x")'
    cell = load_workbook(path)["Not in ERP"]
    value = next(row[0] for row in cell.iter_rows() if row[0].value and str(row[0].value).startswith("=HYPER"))
    assert value.data_type == "s"


def test_a_sku_holding_a_line_break_stays_on_its_row_of_the_screen(write):
    """A SKU cell typed with Alt+Enter ('LINE1' break 'LINE2') was printed over two lines of the table, 'LINE2' on
    a line of its own read as a second SKU not in the ERP; an ERP item's likewise in the never-sold line."""
    orders = write("o.csv", 'order_id,date,country,region,amount,currency,sku\nA1,2026-01-02,US,CA,10.00,USD,'
                            '"LINE1\nLINE2"\n')
    items = write("items.csv", 'sku,erp_item,name\nTEA-1,1,Sencha\n"OLD\nTWO",2,Old\n')
    result = run("products", "check", "--sales", orders, "--erp-items", items, "--as-of", "2026-06-30")
    lines = result.stdout.splitlines()
    gap = lines.index("Not in the ERP: 1 SKU sold, USD 10.00: map it before go-live")
    assert lines[gap + 3].split()[:2] == ["LINE1\\nLINE2", "1"]
    assert lines[gap + 4] == ""
    assert not any(line.startswith(("LINE2", "TWO")) for line in lines)
    assert "ERP items never sold in the period (for information): 2: TEA-1, OLD\\nTWO." in result.stdout


def test_products_check_refuses_fail_on_without_an_item_list_and_bad_files_in_one_line(store, write):
    shopify, _products, _erp = store
    result = run("products", "check", "--sales", shopify, "--fail-on", "not-in-erp")
    assert result.exit_code == 2
    assert "--fail-on not-in-erp needs the ERP's item list (--erp-items FILE)" in result.stderr
    bad = write("bad.csv", "sku,category\nTEA-1,tangibles\n")
    result = run("products", "check", "--sales", shopify, "--products", bad)
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {bad}:2: column 'category' value 'tangibles': is not a category nexus's rules "
                             f"use (goods, digital, saas, services)\n")
    unknown = write("items.csv", "Artikel,Bezeichnung\nTEA-1,Sencha\n")
    result = run("products", "check", "--sales", shopify, "--erp-items", unknown)
    assert result.exit_code == 2 and result.stderr.count("\n") == 1 and "columns found: Artikel" in result.stderr


def test_check_with_products_counts_japans_digital_line_and_without_shows_it_unknown(write, store):
    _shopify, products, _erp = store
    orders = write("jp.csv", JAPAN)
    base = ["check", "--sales", orders, "--as-of", "2026-06-30", "--all"]
    without = json.loads(run(*base, "--format", "json").stdout)
    jp = next(f for f in without["findings"] if f["jurisdiction"] == "JP")
    assert jp["unknown_category"] == {"lines": 2, "sales": "12000", "counted": False}
    assert jp["excluded"] == {"unknown": "12000"} and jp["sales"] == "0"
    assert without["summary"]["category_sources"] == {"unknown": {"unknown": 2}}
    screen = " ".join(run(*base).stdout.split())
    assert "Categories of the sale lines: 2 from no category signal" in screen
    assert "Category unknown, not counted by tests that count only some categories: JP JPY 12,000. Give " \
           "--products, or decide with --unknown-category." in screen
    with_products = json.loads(run(*base, "--products", products, "--format", "json").stdout)
    jp = next(f for f in with_products["findings"] if f["jurisdiction"] == "JP")
    assert jp["sales"] == "5000" and jp["unknown_category"] is None
    assert [(c["category"], c["source"], c["sales"], c["counted"]) for c in jp["categories"]] == [
        ("goods", "products", "7000", False), ("digital", "products", "5000", True)]
    decided = json.loads(run(*base, "--unknown-category", "digital", "--format", "json").stdout)
    jp = next(f for f in decided["findings"] if f["jurisdiction"] == "JP")
    assert jp["sales"] == "12000" and jp["unknown_category"] == {"lines": 2, "sales": "12000", "counted": True}


def test_check_refuses_a_products_file_that_gives_a_sku_two_categories(write, store):
    shopify, _products, _erp = store
    products = write("p.csv", "sku,category\nMUG-2,goods\nmug-2,digital\n")
    result = run("check", "--sales", shopify, "--products", products, "--as-of", "2026-06-30")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {products}:3: column 'category' value 'digital': SKU 'MUG-2' is given two "
                             f"categories: 'goods' at {products}:2; 'digital' at {products}:3: nexus will not choose; "
                             f"correct the file (nexus products check lists every conflict)\n")
    listed = json.loads(run("products", "check", "--sales", shopify, "--products", products, "--format",
                            "json").stdout)
    assert [(c["sku"], c["field"]) for c in listed["conflicts"]] == [("MUG-2", "category")]


def test_check_workbook_carries_unknown_categories_and_the_categories_appendix(write, store, tmp_path):
    from openpyxl import load_workbook

    shopify, products, _erp = store
    path = tmp_path / "r.xlsx"
    result = run("check", "--sales", shopify, "--products", products, "--as-of", "2026-06-30", "--workbook",
                 str(path))
    assert result.exit_code == 0, result.stderr
    book = load_workbook(path)
    assert book.sheetnames[-1] == "Categories" and book["Categories"].sheet_state == "hidden"
    rows = [[c.value for c in row] for row in book["Categories"].iter_rows()]
    head = next(r for r in rows if r[0] == "Code")
    body = [dict(zip(head, r)) for r in rows[rows.index(head) + 1:]]
    ca = [(r["Category"], r["Source"], r["Lines"], r["Sales"], r["Counted by the test"]) for r in body
          if r["Code"] == "US-CA"]
    assert ca == [("goods", "the products file (by SKU)", 1, 70, "yes"), ("digital", "the products file (by SKU)",
                                                                          1, 20, "no"),
                  ("goods", "the platform's signal", 1, 5, "yes"), ("unknown", "no category signal", 1, 50, "no")]
    findings = [[c.value for c in row] for row in book["Findings"].iter_rows()]
    head = findings[0]
    ca_row = dict(zip(head, next(r for r in findings if r[0] == "US-CA")))
    assert (ca_row["Lines of unknown category"], ca_row["Sales of unknown category"],
            ca_row["Unknown category counted"]) == (1, 50, "no")
    summary = fields(book["Summary"])
    assert summary["Category unknown, not counted"].startswith("US-CA USD 50.00 (1 line)")


def test_provider_compare_reads_the_products_file_and_refuses_it_without_orders(write, store):
    _shopify, products, _erp = store
    profile = write("p.yaml", textwrap.dedent("""\
        name: Kitshop
        hosting: {cloud: gcp, regions: [us-central1]}
        currencies: [USD]
        """))
    result = run("provider", "compare", profile, "--products", products, "--as-of", "2026-06-30")
    assert result.exit_code == 2 and "--products categorises the lines of --sales: give the orders too" in result.stderr


def test_the_readme_command_on_the_sample_lists_the_gap_the_full_width_skus_and_the_conflict(tmp_path_factory):
    from shared_runs import readme_products  # the README's command, run once for this file and the printed workbook
    ran = readme_products(tmp_path_factory)
    data = json.loads(ran.file("products.json").read_text(encoding="utf-8"))
    assert [s["sku"] for s in data["not_in_erp"]] == ["CLASS-ONLINE-TEA", "APP-TEA-TIMER-Y"]
    assert [(c["sku"], c["field"]) for c in data["conflicts"]] == [("MATCHA-SET-DELUXE", "erp_item")]
    teapot = next(s for s in data["spellings"] if s["sku"] == "KYUSU-TEAPOT")
    assert teapot["spellings"] == [{"sku": "KYUSU-TEAPOT", "where": "sold, products, ERP"},
                                   {"sku": "ＫＹＵＳＵ－ＴＥＡＰＯＴ", "where": "sold"}]
    assert teapot["differences"] == ["full-width"]
    furoshiki = next(s for s in data["spellings"] if s["sku"] == "FUROSHIKI-L")
    assert furoshiki["differences"] == ["full-width", "case"]
    assert [i["sku"] for i in data["never_sold"]] == ["TEA-GYOKURO-50G", "KNIFE-SANTOKU-165"]
    # The ERP orders carry their own category (it wins over the products file); KNIFE-GYUTO-210 has a tax code only.
    assert data["summary"]["without_category"] == 0 and data["summary"]["unknown_category_lines"] == 0
    assert {w.split(":")[0] for w in data["warnings"]} == {f"sales in {code} are left out of the USD figures"
                                                           for code in ("TWD", "BHD")}


def test_check_stops_on_a_products_file_without_a_sku_column_naming_file_line_and_columns(write, store):
    shopify, _products, _erp = store
    products = write("p.csv", "item,category\nTEA-1,goods\n")
    result = run("check", "--sales", shopify, "--products", products, "--as-of", "2026-06-30")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {products}:1: a products file needs the column(s) sku (and may have tax_code, "
                             f"erp_item, name); columns found: item, category\n")
    result = run("check", "--aggregates", products, "--products", products)
    assert result.exit_code == 2 and "daily aggregates carry no SKUs" in result.stderr


def test_a_forced_erp_format_on_another_erps_list_is_an_error_not_every_sku_missing(tmp_path):
    """--erp-format odoo on ERPNext's item list read no SKU at all, so every sold SKU was 'not in the ERP' and
    --fail-on not-in-erp failed the gate (exit 1) on a correct list."""
    result = CliRunner().invoke(cli, ["products", "check", "--sales", str(SAMPLES / "orders-2025.csv"),
                                      "--erp-items", str(SAMPLES / "erpnext-items.csv"), "--erp-format", "odoo",
                                      "--fail-on", "not-in-erp", "--as-of", "2026-10-31",
                                      "--db", str(tmp_path / "store.sqlite3")])
    assert result.exit_code == 2 and "is not an Odoo product export (--erp-format odoo)" in result.stderr


def test_a_timeout_that_is_not_a_number_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["rates", "fetch", "--timeout", "nan", "--url", "http://127.0.0.1:9/x",
                                      "--db", str(tmp_path / "store.sqlite3")])
    assert result.exit_code == 2 and "is not a number of seconds" in result.stderr


def test_sales_by_category_tie_to_the_check_to_the_cent(write, tmp_path):
    """A place's category cell was the sum of its sources' figures, each rounded first: JPY 1 of goods by the
    orders' own column and JPY 1 by the products file, at 3 JPY per EUR and 1 USD per EUR, showed USD 0.66 (0.33
    twice) where the check says USD 0.67 (2/3); on the sample's Shopify export Washington came out a cent off.
    The unrounded amounts are summed now and rounded once, on screen and in the workbook's By category sheet."""
    from openpyxl import load_workbook

    rates = write("rates.csv", "date,currency,per_eur\n2026-01-02,USD,1\n2026-01-02,JPY,3\n")
    orders = write("orders.csv", "order_id,date,country,region,sku,category,amount,currency\n"
                                 "T1,2026-01-05,US,WA,TEA-1,goods,1,JPY\nT2,2026-01-05,US,WA,TEA-2,,1,JPY\n")
    products = write("products.csv", "sku,category,tax_code,erp_item,name\nTEA-2,goods,,,Tea two\n")
    book = str(tmp_path / "p.xlsx")
    out = run("products", "check", "--sales", orders, "--products", products, "--rates", rates,
              "--as-of", "2026-01-31", "--workbook", book)
    row = next(line for line in out.stdout.splitlines() if line.startswith("US-WA"))
    assert row.split()[:3] == ["US-WA", "Washington", "0.67"]
    check = json.loads(run("check", "--sales", orders, "--products", products, "--rates", rates,
                           "--as-of", "2026-01-31", "--format", "json").stdout)
    assert [f["sales"] for f in check["findings"] if f["jurisdiction"] == "US-WA"] == ["0.67"]
    sheet = load_workbook(book)["By category"]
    values = [[c.value for c in r] for r in sheet.iter_rows()]
    header = next(i for i, r in enumerate(values) if r[0] == "Code")
    wa = next(r for r in values[header:] if r[0] == "US-WA")
    names = values[header]
    assert wa[names.index("goods")] == pytest.approx(0.67) and wa[names.index("Total")] == pytest.approx(0.67)


def test_a_sku_sold_without_a_name_takes_the_products_files_name(write):
    """The sample's ERP exports carry no product name: 'nexus products check' on them listed CLASS-ONLINE-TEA and
    APP-TEA-TIMER-Y under 'Not in the ERP' with an empty Name column (and "name": "" in the JSON), though the
    products file names them ('Online tea class (live)'). The person mapping them to ERP items needs the name."""
    orders = write("o.csv", "order_id,date,country,region,amount,currency,sku\n"
                            "A1,2026-01-02,US,CO,150.00,USD,CLASS-1\n")
    products = write("p.csv", "sku,category,tax_code,erp_item,name\nCLASS-1,services,,,Online tea class (live)\n")
    erp = write("erp.csv", "sku,erp_item,name\nTEA-1,TEA-1,Sencha\n")
    result = run("products", "check", "--sales", orders, "--products", products, "--erp-items", erp, "--as-of",
                 "2026-06-30", "--format", "json")
    gap = json.loads(result.stdout)["not_in_erp"]
    assert [(s["sku"], s["name"], s["sales"]) for s in gap] == [("CLASS-1", "Online tea class (live)", "150.00")]
    screen = run("products", "check", "--sales", orders, "--products", products, "--erp-items", erp, "--as-of",
                 "2026-06-30").stdout
    flat = " ".join(screen.split())
    assert "CLASS-1 Online tea class (live) 1 1 2026-01-02 2026-01-02 USD 150.00 services" in flat
    # one SKU: said in the singular ('1 SKUs sold', 'map them' before)
    assert flat.startswith("SKU reconciliation: 1 SKU sold, orders 2026-01-02 to 2026-01-02 (1 file)")
    assert "Not in the ERP: 1 SKU sold, USD 150.00: map it before go-live" in flat


def test_a_place_without_a_rule_says_whether_it_has_no_sales_tax_or_no_rule_in_the_data(write):
    """'Rule counts' read 'no rule' alike for Oregon, which has no general sales tax (known), and for California
    on 2019-01-01, whose first row in the data is from 2019-04-01 (unknown before: an earlier rule, if any, is
    not in the data), and for China, which the data do not cover."""
    orders = write("o.csv", "order_id,date,country,region,amount,currency,sku,category\n"
                            "A1,2026-01-02,US,OR,300.00,USD,TEA-1,goods\n"
                            "A2,2026-01-02,US,CA,200.00,USD,TEA-1,goods\n"
                            "A3,2026-01-02,CN,,100.00,USD,TEA-1,goods\n")
    out = run("products", "check", "--sales", orders, "--as-of", "2019-01-01")
    rows = {line.split()[0]: " ".join(line.split()) for line in out.stdout.splitlines()
            if line.startswith(("US-OR", "US-CA", "CN "))}
    assert rows["US-OR"].endswith("300.00 no sales tax")
    assert rows["US-CA"].endswith("200.00 no rule in the data")
    assert rows["CN"].endswith("100.00 no rule in the data")
    doc = json.loads(run("products", "check", "--sales", orders, "--as-of", "2019-01-01", "--format", "json").stdout)
    said = {r["jurisdiction"]: (r["rule_counts"], r["no_sales_tax"], r["counted"]) for r in doc["by_category"]}
    assert said == {"US-OR": ([], True, None), "US-CA": ([], False, None), "CN": ([], False, None)}


def test_products_check_fits_an_80_column_terminal(store, monkeypatch):
    """Before: its headings 'Spelled differently, matched as one SKU: 1 (case, spaces or full-width characters)' (82
    columns) and 'Sales by category per jurisdiction (USD, net of refunds), beside the categories each rule counts'
    (96), and the Without a category table (its reasons cut no shorter than 60: 85 columns), ran past an 80-column
    terminal, which broke them mid-word; the headings wrap at spaces now, as its paragraphs do, and each reason
    wraps in its column."""
    from nexus.cli import products as command
    from nexus.text_safety import display_width
    monkeypatch.setattr(command, "screen_width", lambda: 80)
    shopify, products, erp = store
    text = run("products", "check", "--sales", shopify, "--products", products, "--erp-items", erp, "--as-of",
               "2026-06-30").stdout
    # a path is kept whole, to be copied (the test's temporary folder is long)
    assert max(display_width(line) for line in text.splitlines() if "/" not in line) <= 80
    flat = " ".join(text.split())
    assert "tax code 'ZZ-999' is not in nexus's table (not sold in the period)" in flat  # wrapped, not cut
    assert "Spelled differently, matched as one SKU: 1 (case, spaces or full-width characters)" in flat
    assert "Sales by category per jurisdiction (USD, net of refunds), beside the categories each rule counts" in flat
