"""What a seller's sales are taxed on depends on where it is established: at home (--home) the taxability rows for
sellers established there, elsewhere those for the others (data/taxability.json's `establishment`). Japan's
regime for non-resident sellers covers only electronic services, but a Japanese seller's goods sold in Japan are
taxable supplies (Consumption Tax Act arts. 4(1), 4(3)(i), 5(1))."""
import copy
import json
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nexus.cli import cli
from nexus.errors import RulesError
from nexus.tax_rates import load_tax_book, parse_taxability

RATES = str(SAMPLES / "eurofxref-hist.csv")
HEADER = "order_id,date,country,region,amount,currency,category,channel\n"


def japan(tmp_path, orders, home=None, as_of="2026-03-31"):
    sales = tmp_path / "orders.csv"
    sales.write_text(HEADER + orders)
    args = ["check", "--sales", str(sales), "--rates", RATES, "--as-of", as_of, "--format", "json"]
    out = CliRunner().invoke(cli, args + (["--home", home] if home else []), catch_exceptions=False)
    assert out.exit_code == 0, out.output
    text = out.stdout if hasattr(out, "stdout") else out.output
    found = json.loads(text[:text.rindex("}") + 1])["findings"]
    return next(f for f in found if f["jurisdiction"] == "JP")


def test_japanese_sellers_goods_sold_in_japan_are_estimated_at_ten_percent(tmp_path):
    # 2024's goods sold in Japan reach JPY 12,000,000 on 2024-08-01 (> 10,000,000): 2024 is the base period of
    # 2026 (the year before last), so the business is taxable from 2026-01-01. 2025 is not: its base period 2023 has
    # no sales and its specified period (2024-01-01 to 2024-06-30) JPY 6,000,000 only. JPY 6,000,000 of goods sold in
    # Japan on 2026-02-01, after tax became due: the standard rate since 2019-10-01 is 10% (tax-rates.json), so JPY
    # 600,000; before, goods read the non-resident's row ('no': outside its regime) and nothing was estimated.
    orders = ("J1,2024-03-01,JP,,6000000,JPY,goods,direct\n"
              "J2,2024-08-01,JP,,6000000,JPY,goods,direct\n"
              "J3,2026-02-01,JP,,6000000,JPY,goods,direct\n")
    jp = japan(tmp_path, orders, home="JP")
    assert (jp["collect_from"], jp["action"]) == ("2026-01-01", "register-now")
    e = jp["exposure"]
    assert (e["currency"], e["from"], e["to"], e["taxable_sales"]) == ("JPY", "2026-01-01", "2026-03-31", "6000000")
    assert e["uncollected"] == {"low": "600000", "central": "600000", "high": "600000"}
    assert e["not_estimated"] == {}
    # the goods row says what the category cannot tell apart: food and subscription newspapers at the reduced 8%
    assert any(a.startswith("Japan (goods): taxed here at the standard 10%; food and drink") for a in e["assumptions"])


def test_japanese_sellers_services_are_not_estimated_and_said(tmp_path):
    # JPY 12,000,000 of goods on 2024-03-01 meet the specified period of 2025 (2024-01-01 to 2024-06-30): taxable
    # from 2025-01-01. A service other than an electronic one is supplied where it is performed (art. 4(3)(ii)); the
    # orders give the customer's country only: JPY 2,000,000 of services in February 2026 are listed as not estimated, while JPY
    # 1,000,000 of SaaS to a customer in Japan (supplied where the customer lives, art. 4(3)(iii)) is: JPY 100,000.
    orders = ("J1,2024-03-01,JP,,12000000,JPY,goods,direct\n"
              "S1,2026-02-01,JP,,2000000,JPY,services,direct\n"
              "A1,2026-02-02,JP,,1000000,JPY,saas,direct\n")
    e = japan(tmp_path, orders, home="JP")["exposure"]
    assert e["uncollected"]["central"] == "100000"
    assert e["not_estimated"] == {"services: taxability unknown": "2000000"}
    sales = tmp_path / "orders.csv"
    screen = CliRunner().invoke(cli, ["check", "--sales", str(sales), "--rates", RATES, "--as-of", "2026-03-31",
                                      "--home", "JP"], catch_exceptions=False).output
    said = " ".join(screen.split())
    # nothing but the home to act on: no Act now list, so no total printed above to point at
    assert ("Estimated tax not collected from 2025-01-01 to 2026-03-31: JPY 100,000 (an estimate to review). Not "
            "estimated: JPY 2,000,000 of sales (services: taxability unknown).") in said


def test_a_seller_established_elsewhere_still_has_no_goods_estimated_in_japan(tmp_path):
    # Without --home, Japan's rule is the non-resident's: electronic services. JPY 12,000,000 of digital products in
    # 2024 make 2026 taxable; in 2026 JPY 1,000,000 of digital products are estimated (JPY 100,000) and the JPY
    # 6,000,000 of goods shipped into Japan are not the seller's JCT (taxed on import): neither estimated nor listed.
    orders = ("D1,2024-08-01,JP,,12000000,JPY,digital,direct\n"
              "G1,2026-02-01,JP,,6000000,JPY,goods,direct\n"
              "D2,2026-02-02,JP,,1000000,JPY,digital,direct\n")
    for home in (None, "DE"):
        e = japan(tmp_path, orders, home=home)["exposure"]
        assert (e["taxable_sales"], e["uncollected"]["central"], e["not_estimated"]) == ("1000000", "100000", {})


def test_the_book_reads_each_country_as_the_seller_is_established():
    book = load_tax_book()
    day = date(2026, 2, 1)
    assert book.for_seller("JP").taxable("JP", "goods", day).taxable == "yes"
    assert book.for_seller(None).taxable("JP", "goods", day).taxable == "no"
    assert book.for_seller("DE").taxable("JP", "goods", day).taxable == "no"
    assert book.for_seller("JP").taxable("JP", "services", day).taxable == "unknown"
    # A home reads the others' rows elsewhere: a Japanese seller's goods into Australia are the non-resident's
    assert book.for_seller("JP").taxable("AU", "goods", date(2018, 3, 1)).taxable == "no"
    assert book.for_seller("AU").taxable("AU", "goods", date(2018, 3, 1)).taxable == "yes"
    # A row without `establishment` is for every seller (the US states)
    assert book.for_seller("US-TX").taxable("US-TX", "saas", day).share == Decimal("0.8")
    assert book.for_seller(None).taxable("US-TX", "saas", day).share == Decimal("0.8")


ROW = {"jurisdiction": "JP", "category": "goods", "effective_from": "2018-01-01", "taxable": "yes",
       "sources": ["https://example.org/law"], "last_verified": "2026-12-06"}


def test_the_loader_reads_and_refuses_establishment():
    established, = parse_taxability({"rules": [dict(ROW, establishment="established", caveat="at 8% for food")]})
    assert (established.establishment, established.caveat) == ("established", "at 8% for food")
    assert parse_taxability({"rules": [ROW]})[0].establishment is None
    with pytest.raises(RulesError, match=r"row 1 \(JP\): establishment must be one of \('established', "
                                         r"'non_established', 'eu_other_member'\), or left out for every seller; "
                                         r"found 'domestic'"):
        parse_taxability({"rules": [dict(ROW, establishment="domestic")]})


def test_every_country_with_established_rows_covers_both_readings():
    # Where a country has rows for established sellers, each category is covered for them and for the others on
    # every day since 2018-01-01: no day falls back on nothing.
    rows = json.loads((SAMPLES.parent / "data" / "taxability.json").read_text(encoding="utf-8"))["rules"]
    countries = {r["jurisdiction"] for r in rows if r.get("establishment") in ("established", "non_established")}
    assert countries == {"JP", "AU", "GB", "CA", "CH", "DE"}
    book = parse_taxability({"rules": copy.deepcopy(rows)})
    for country in countries:
        for reading in ("established", "non_established"):
            mine = [t for t in book if t.jurisdiction == country and t.establishment in (None, reading)]
            for category in ("goods", "digital", "saas", "services"):
                spans = sorted((t.effective_from, t.effective_to) for t in mine if t.category == category)
                assert spans[0][0] == date(2018, 1, 1) and spans[-1][1] is None, (country, reading, category)
                for (_, end), (start, _) in zip(spans, spans[1:]):
                    assert (start - end).days == 1, (country, reading, category)
