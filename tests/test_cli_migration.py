"""`nexus check` over a move between platforms: where each file's rows went, on the screen and in the JSON."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nexus.cli import cli
from test_migration import changed, split_shopify

HERE = Path(__file__).resolve().parent / "exports"
SHOPIFY, WOO = HERE / "migration-shopify.csv", HERE / "migration-woocommerce.csv"


@pytest.fixture
def files(tmp_path):
    """WooCommerce (2 orders, 2 rows), Shopify (#1001; #2001, 2 rows, also in WooCommerce, which gives no category:
    Shopify's copy counts), Shopify again."""
    again = tmp_path / "orders_export (1).csv"
    again.write_bytes(SHOPIFY.read_bytes())
    return [str(WOO), str(SHOPIFY), str(again)]


def check(files, *options):
    args = ["check", "--as-of", "2025-12-31", "--home", "US-WA"] + [a for f in files for a in ("--sales", f)]
    result = CliRunner().invoke(cli, args + list(options), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("engine", ["auto", "python"])
def test_the_json_gives_each_file_s_row_account(files, engine):
    summary = json.loads(check(files, "--format", "json", "--engine", engine))["summary"]
    assert [(f["rows"], f["used"], f["skipped"], f["duplicates"], f["left_out"], f["superseded"])
            for f in summary["files"]] == [(2, 1, 0, 1, 0, 0), (3, 3, 0, 0, 0, 0), (3, 0, 0, 3, 0, 0)]
    assert (summary["rows_read"], summary["rows_used"], summary["duplicates"], summary["migration_overlaps"]) == \
        (8, 4, 4, 1)


def test_the_verbose_screen_names_each_file_where_its_rows_are_counted(files):
    lines = check(files, "--verbose").splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("Rows: 8 read = 4 used"))
    said = " ".join(line.strip() for line in lines[at + 1:])  # a long path wraps
    assert "(WooCommerce order export): 2 rows: 1 used + 1 duplicate" in said
    assert "(Shopify orders export): 3 rows: 3 used" in said
    assert "(Shopify orders export): 3 rows: 0 used + 3 duplicates" in said
    assert "Orders exported by two platforms (migration overlap), counted once: 1." in said


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_late_export_in_nexus_s_layout_is_accounted_for_in_its_own_file_on_either_engine(tmp_path, engine):
    """a.csv holds A1, A2, A3; the late b.csv repeats A2 and A3 as they were and adds B1: a.csv 3 rows, 3 used;
    b.csv 3 rows, 1 used + 2 duplicates."""
    header = "order_id,date,country,region,amount,currency\n"
    (tmp_path / "a.csv").write_text(header + "A1,2025-09-01,US,WA,10.00,USD\nA2,2025-09-02,US,WA,20.00,USD\n"
                                             "A3,2025-09-03,US,WA,30.00,USD\n", encoding="utf-8")
    (tmp_path / "b.csv").write_text(header + "A2,2025-09-02,US,WA,20.00,USD\nA3,2025-09-03,US,WA,30.00,USD\n"
                                             "B1,2025-10-01,US,WA,40.00,USD\n", encoding="utf-8")
    summary = json.loads(check([str(tmp_path / "a.csv"), str(tmp_path / "b.csv")], "--format", "json",
                               "--engine", engine))["summary"]
    assert [(f["rows"], f["used"], f["duplicates"]) for f in summary["files"]] == [(3, 3, 0), (3, 1, 2)]


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_a_shopify_export_downloaded_twice_is_accounted_for_in_the_second_file_on_either_engine(tmp_path, engine):
    """migration-shopify.csv holds 3 rows (#1001; #2001 of 2 line items); the same download again: 3 duplicates."""
    again = tmp_path / "orders_export (1).csv"
    again.write_bytes(SHOPIFY.read_bytes())
    summary = json.loads(check([str(SHOPIFY), str(again)], "--format", "json", "--engine", engine))["summary"]
    assert [(f["rows"], f["used"], f["duplicates"]) for f in summary["files"]] == [(3, 3, 0), (3, 0, 3)]


@pytest.mark.parametrize("engine", ["auto", "python"])
def test_new_york_counts_the_sale_whichever_platform_s_export_comes_first(tmp_path, engine):
    """#2001 ships to New York, whose test counts goods only: Shopify's copy says goods (it requires shipping),
    WooCommerce's says nothing. Either order of --sales, New York counts 65.00 (70.36 less 5.36 tax) in 1
    transaction, from Shopify's copy, and WooCommerce's row is the overlap; before, WooCommerce first left it out."""
    shopify = changed(SHOPIFY, tmp_path / "orders_export.csv", 3, Shipping_City="New York", Shipping_Zip="10001",
                      Shipping_Province="NY")
    woo = changed(WOO, tmp_path / "woocommerce.csv", 2, shipping_city="New York", shipping_postcode="10001",
                  shipping_state="NY")
    for files in ([shopify, woo], [woo, shopify]):
        out = json.loads(check(files, "--format", "json", "--engine", engine))
        new_york = next(f for f in out["findings"] if f["jurisdiction"] == "US-NY")
        assert (new_york["sales"], new_york["transactions"], new_york["unknown_category"]) == ("65.00", 1, None)
        assert [(o["file"], o["line"], o["value"]) for o in out["summary"]["overlap_rows"]] == [(woo, 2, "2001")]
        assert out["summary"]["overlap_rows"][0]["reason"].endswith(
            "counted once, as that copy (which gives its category (goods) where this one gives none)")


@pytest.mark.parametrize("engine", ["auto", "python"])
def test_an_order_split_between_categories_is_counted_once_on_either_engine(tmp_path, engine):
    """Shopify's #2001 split between goods (Sencha 30.00 + 5.00 shipping = 35.00, line 3) and digital (an e-book,
    30.00, line 4); WooCommerce's 2001 is one record of 65.00. Washington counts 40.00 + 65.00 + 25.00 = 130.00 in 3
    transactions (it was 195.00 in 4: neither part matched WooCommerce's whole), WooCommerce's row the overlap."""
    shopify = split_shopify(tmp_path)
    for files in ([shopify, str(WOO)], [str(WOO), shopify]):
        out = json.loads(check(files, "--format", "json", "--engine", engine))
        washington = next(f for f in out["findings"] if f["jurisdiction"] == "US-WA")
        assert (washington["sales"], washington["transactions"]) == ("130.00", 3)
        assert [(c["category"], c["lines"], c["sales"]) for c in washington["categories"]] == \
            [("goods", 2, "75.00"), ("digital", 1, "30.00"), ("unknown", 1, "25.00")]
        assert [(o["file"], o["line"], o["value"]) for o in out["summary"]["overlap_rows"]] == [(str(WOO), 2, "2001")]
        assert f"{shopify}:3 and 4, split between goods and digital, with the same amount in all" in \
            out["summary"]["overlap_rows"][0]["reason"]


@pytest.mark.parametrize("engine", ["auto", "python"])
def test_new_york_counts_the_refund_of_the_copy_given_way_as_goods_on_either_engine(tmp_path, engine):
    """#2001 ships to New York (goods only); WooCommerce refunded half of it (35.18 of 70.36) on 5 Oct, after the
    move: 32.50 of sales. The sale counts from Shopify's copy, goods; its refund, from WooCommerce's, was of unknown
    category and New York left it out (65.00). Now it is goods: 65.00 - 32.50 = 32.50, whichever file comes first."""
    shopify = changed(SHOPIFY, tmp_path / "orders_export.csv", 3, Shipping_City="New York", Shipping_Zip="10001",
                      Shipping_Province="NY")
    woo = changed(WOO, tmp_path / "woocommerce.csv", 2, shipping_city="New York", shipping_postcode="10001",
                  shipping_state="NY", refund_items="amount:35.18|reason:|date:2025-10-05 10:00:00")
    for files in ([shopify, woo], [woo, shopify]):
        out = json.loads(check(files, "--format", "json", "--engine", engine))
        new_york = next(f for f in out["findings"] if f["jurisdiction"] == "US-NY")
        assert (new_york["sales"], new_york["transactions"], new_york["unknown_category"]) == ("32.50", 1, None)
        assert out["summary"]["overlap_rows"][0]["reason"].endswith(
            "(which gives its category (goods) where this one gives none); its refund counted from this copy counts "
            "as goods, as the sale it reduces")
