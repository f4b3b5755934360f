"""A rule that registers from the first sale (no threshold) is met by a sale it reaches, not by one made before it
took over that kind of sale: an auditor checking a past date applies the rules then in force to each sale.

Worked by hand from data/international-vat-gst.json: for a seller established outside the EU, the EU's non-Union
scheme counted digital products and SaaS from 2015 (non-Union MOSS) and reaches goods only from 2021-07-01 (the
Import OSS and the distance-sales rules of the 2021 e-commerce package); the UK's rule for sellers not established
there (from the first sale) applies to a seller outside the EU from 2021-01-01, the UK's rule for sellers outside the
EU having ended on 2020-12-31.
"""
import json

from click.testing import CliRunner

from nexus.cli import cli

RATES = "Date,USD,GBP,\n2021-07-01,1.1884,0.85950,\n2021-06-30,1.1884,0.85805,\n2020-12-31,1.2271,0.89903,\n"


def _check(write, orders: str, as_of: str) -> dict:
    sales = write("o.csv", "date,country,region,amount,currency,category\n" + orders)
    rates = write("rates.csv", RATES)
    run = CliRunner().invoke(cli, ["check", "--sales", sales, "--rates", rates, "--as-of", as_of, "--format", "json"],
                             catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return json.loads(run.stdout)


def _eu(data: dict) -> dict:
    return next(f for f in data["findings"] if f["jurisdiction"] == "EU")


def test_goods_sold_into_the_eu_before_2021_07_make_no_first_sale_under_the_import_scheme(write):
    """EUR 100 of goods into Germany on 2021-03-01, nothing after. As of 2021-07-01 the scheme reached goods for one
    day, with no sale of goods in it: nothing to register for. It said 'exceeded', crossed on 2021-03-01, register
    now."""
    eu = _eu(_check(write, "2021-03-01,DE,,100.00,EUR,goods\n", "2021-07-01"))
    assert (eu["status"], eu["nexus"], eu["sales"], eu["action"]) == ("below", None, "0.00", None)
    assert eu["excluded"] == {"before_rule": "100.00"}
    assert any("before the rule reached them" in r and "goods, services from 2021-07-01" in r for r in eu["reasons"])
    # The first sale of goods after that day is the first sale: EUR 50 on 2021-07-02.
    eu = _eu(_check(write, "2021-03-01,DE,,100.00,EUR,goods\n2021-07-02,DE,,50.00,EUR,goods\n", "2021-07-02"))
    assert (eu["status"], eu["sales"], eu["crossed_on"], eu["nexus_since"]) == (
        "exceeded", "50.00", "2021-07-02", "2021-07-02")


def test_a_kind_of_sale_the_scheme_already_reached_still_counts_from_its_day(write):
    """A download sold into France on 2021-03-01 was already under the non-Union MOSS: nexus since that day."""
    eu = _eu(_check(write, "2021-03-01,FR,,100.00,EUR,digital\n", "2021-07-01"))
    assert (eu["status"], eu["sales"], eu["crossed_on"], eu["nexus_since"]) == (
        "exceeded", "100.00", "2021-03-01", "2021-03-01")
    assert "before_rule" not in eu["excluded"]


def test_goods_sold_into_the_uk_in_2020_are_a_past_window_not_a_first_sale_under_the_2021_rule(write):
    """GBP 100 of goods into the UK on 2020-09-01 from a seller outside the EU: under the UK's rule for sellers outside
    the EU (to 2020-12-31) a past window from that day; under the rule for sellers not established in the UK (from
    2021-01-01) no sale yet on 2021-01-01. It said 'exceeded', nexus since 2021-01-01, register now."""
    data = _check(write, "2020-09-01,GB,,100.00,GBP,goods\n", "2021-01-01")
    gb = next(f for f in data["findings"] if f["jurisdiction"] == "GB")
    assert (gb["status"], gb["nexus"], gb["sales"], gb["action"]) == ("below", None, "0.00", None)
    assert [(p["jurisdiction"], p["from"], p["to"]) for p in data["past_windows"]] == [
        ("GB", "2020-09-01", "2020-12-31")]
