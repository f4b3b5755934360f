"""The sample platform exports (spreadsheets/shopify-orders-2026.csv and amazon-all-orders-2025-2026.txt, as the
README's second example reads them) checked against hand sums of a few orders picked from the files: each
finding's sales, tax charged, shipping and transactions are worked out below from the rows as written, by the
rules docs/input-formats.md gives, and both engines must give them."""
import functools
import json

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nexus.cli import cli

SHOPIFY = SAMPLES / "shopify-orders-2026.csv"
AMAZON = SAMPLES / "amazon-all-orders-2025-2026.txt"


@functools.lru_cache(maxsize=None)
def findings(path, engine):
    """The check's findings of one file on one engine, run once in the module: the tests of North Dakota and of
    D.C. read the same run (and never change it)."""
    result = CliRunner().invoke(cli, ["check", "--sales", str(path), "--rates", str(SAMPLES / "eurofxref-hist.csv"),
                                      "--as-of", "2026-10-31", "--engine", engine, "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return {f["jurisdiction"]: f for f in json.loads(result.stdout)["findings"] if not f["scheme"]}


def figures(finding):
    return finding["sales"], finding["tax_charged"], finding["shipping"], finding["transactions"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_shopify_north_dakota_counts_the_goods_of_its_five_orders(engine):
    # North Dakota's test counts goods only (data/: categories goods). Its five orders, all paid, none refunded,
    # Taxes 0.00 (sale = Total - Taxes; shipping goes with the lines that require shipping):
    #   #1362 line 537:  2 x KYUSU-TEAPOT 89.00 (requires shipping), 10% off: Total 160.20      -> goods 160.20
    #   #1581 line 865:  KYUSU-TEAPOT 89.00, 10% off = 80.10, Shipping 9.95: Total 90.05        -> goods  90.05
    #   #2318 lines 1959-1960: CLASS-ONLINE-TEA 60.00 (no shipping) + TEA-SENCHA-100G 24.00,
    #                    Shipping 9.95: Total 93.95                    -> goods 24.00 + 9.95 = 33.95, other 60.00
    #   #4087 line 4601: KYUSU-TEAPOT 89.00, Shipping 9.95: Total 98.95                         -> goods  98.95
    #   #4219 line 4790: CLASS-ONLINE-TEA 60.00, billing address only: Total 60.00              -> other  60.00
    # goods: 160.20 + 90.05 + 33.95 + 98.95 = 383.15 in 4 transactions; shipping 9.95 x 3 = 29.85; tax 0.00
    nd = findings(SHOPIFY, engine)["US-ND"]
    assert nd["period"]["label"] == "calendar year 2026 to 2026-10-31"
    assert figures(nd) == ("383.15", "0.00", "29.85", 4)
    assert nd["unknown_category"] is None or nd["unknown_category"]["lines"] == 0


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_shopify_district_of_columbia_counts_every_category(engine):
    # D.C. counts every category. Its six orders: #1346 24.00 + 9.95 shipping = 33.95; #1418 MATCHA-SET-DELUXE
    # 180.00 + APP-TEA-TIMER-Y 30.00 + 2 x EBOOK-TEA-GUIDE 15.00 = 240.00; #1834 180.00; #3256 89.00 + 9.95 =
    # 98.95; #4015 60.00 and #4075 2 x 30.00 + 30.00 = 90.00 (billing address only, shipping nothing).
    # 33.95 + 240.00 + 180.00 + 98.95 + 60.00 + 90.00 = 702.90; shipping 9.95 x 2 = 19.90; tax 0.00
    dc = findings(SHOPIFY, engine)["US-DC"]
    assert figures(dc) == ("702.90", "0.00", "19.90", 6)


def test_amazon_west_virginia_and_dc_in_2025_from_the_rows():
    # sale = item-price - item-promotion-discount + shipping-price - ship-promotion-discount + gift-wrap-price;
    # tax = item-tax + shipping-tax + gift-wrap-tax; every row Amazon.com (a marketplace sale, which both
    # states count). West Virginia, 2025 (its ship-state written WV, or WEST VIRGINIA on line 888):
    #   line   13: 480.00 - 48.00          = 432.00  tax 30.24
    #   line  440: 480.00                  = 480.00  tax 33.60
    #   line  551: 24.00 + 5.99            =  29.99  tax  1.68
    #   line  888: 240.00                  = 240.00  tax 16.80
    #   line 1344: 24.00 - 2.40 + 5.99     =  27.59  tax  1.51
    #   line 1825: 180.00                  = 180.00  tax 12.60
    #   line 1907: Cancelled: left out
    #   line 2418: 24.00 + 5.99            =  29.99  tax  1.68
    #   7 orders: 1,419.57, tax 98.11, shipping 5.99 x 3 = 17.97
    # D.C., 2025 (DC, or District of Columbia on line 98): 180.00 (tax 12.60) + 178.00 (12.46) + 24.00 + 5.99
    # (1.68) = 387.99, tax 26.74, shipping 5.99, 3 orders.
    found = findings(AMAZON, "python")
    for code, expected in (("US-WV", ("1419.57", "98.11", "17.97", 7)), ("US-DC", ("387.99", "26.74", "5.99", 3))):
        assert found[code]["period"]["label"] == "calendar year 2025"
        assert figures(found[code]) == expected
        assert found[code]["rule"]["marketplace"] == "included"
