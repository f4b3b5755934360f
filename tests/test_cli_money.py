"""`nexus check --tax-rates FILE --report-currency CODE`: the user's own rates and the estimate's currency."""
import json
from decimal import Decimal

import pytest
from click.testing import CliRunner

from nexus.cli import cli

D = Decimal
# Georgia's test (> USD 100,000) is met by the first sale; tax is due from that day (bundled timing rules).
ORDERS = """\
    date,country,region,amount,currency,category
    2025-03-02,US,GA,150000,USD,goods
    2026-02-10,US,GA,10000,USD,goods
    """


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def check_json(orders, *more):
    result = run("check", "--sales", orders, "--as-of", "2026-06-30", "--format", "json", *more)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def georgia(data):
    return next(f for f in data["findings"] if f["jurisdiction"] == "US-GA")["exposure"]


def test_own_rates_replace_the_bundled_range_and_are_named_as_the_source(write):
    orders = write("o.csv", ORDERS)
    rates = write("rates.csv", """\
        jurisdiction,from,to,rate
        US-GA,2025-01-01,2025-12-31,7%
        US-GA,2026-01-01,,0.075
        """)
    bundled = georgia(check_json(orders))
    # 4% state rate on 2026's 10,000: the low end leaves out the crossing day, 2025-03-02, whose only sale met the test
    assert bundled["tax"]["low"] == "400.00" and bundled["tax"]["low"] != bundled["tax"]["high"]
    mine = georgia(check_json(orders, "--tax-rates", rates))
    # 150,000 at 7% in 2025 and 10,000 at 7.5% in 2026, the rate low, central and high alike; the low end leaves out
    # the crossing day's sale (Georgia's duty starts with the next sale): 10,000 x 7.5% = 750.00
    assert mine["tax"] == {"low": "750.00", "central": "11250.00", "high": "11250.00"}
    assert [(r["from"], r["central"], r["source"], r["sources"]) for r in mine["rates"]] == [
        ("2025-01-01", "0.07", "user", [f"{rates}:2"]), ("2026-01-01", "0.075", "user", [f"{rates}:3"])]


def test_a_category_rate_goes_before_the_general_one_and_taxability_stays_the_datas(write):
    orders = write("o.csv", """\
        date,country,region,amount,currency,category
        2025-03-02,US,GA,150000,USD,goods
        2026-02-10,US,GA,10000,USD,saas
        """)
    rates = write("rates.csv", """\
        jurisdiction,from,rate,category
        US-GA,2025-01-01,5%,
        US-GA,2025-01-01,4.5%,goods
        US-GA,2025-01-01,1%,saas
        """)
    e = georgia(check_json(orders, "--tax-rates", rates))
    # Goods at their own 4.5%; Georgia does not tax SaaS (data/taxability.json), whatever the rate
    assert e["tax"]["central"] == "6750.00"
    assert [r["category"] for r in e["rates"]] == ["goods"]


def test_the_report_currency_converts_the_total_at_the_as_of_rate(write):
    orders = write("o.csv", ORDERS)
    own = write("rates.csv", "jurisdiction,from,rate\nUS-GA,2025-01-01,8%\n")
    ecb = write("eurofxref.csv", "Date,USD,\n2026-06-30,1.25,\n2026-06-01,1.10,\n")
    data = check_json(orders, "--tax-rates", own, "--report-currency", "eur", "--rates", ecb)
    total = data["summary"]["exposure_total"]
    assert total["currency"] == "EUR"
    assert total["tax"]["central"] == "10240.00"  # 160,000 x 8% = USD 12,800 at 1.25 USD a euro on 30 June
    assert total["rates"] == [{"currency": "USD", "rate": "0.8", "date": "2026-06-30"}]
    assert georgia(data)["reporting"]["central"] == "10240.00"
    screen = run("check", "--sales", orders, "--as-of", "2026-06-30", "--tax-rates", own, "--report-currency", "EUR",
                 "--rates", ecb).stdout
    assert "Estimated tax not collected: EUR 10,240.00" in " ".join(screen.split())


@pytest.mark.parametrize("text, message", [
    ("jurisdiction,from,rate\nUS-GA,2025-01-01,6.25 percent\n",
     "rates.csv:2: column 'rate' value '6.25 percent': is not a rate (0.0625 or 6.25%)"),
    ("jurisdiction,from,rate\nUS-GA,2025-01-01,62.5\n",
     "rates.csv:2: column 'rate' value '62.5': is not a rate between 0 and 1 (0.0625 or 6.25%)"),
    ("jurisdiction,from,rate\nGA,2025-01-01,4%\n",
     "rates.csv:2: column 'jurisdiction' value 'GA': is not a jurisdiction nexus has rules or rates for"),
    ("jurisdiction,from,rate,category\nUS-GA,2025-01-01,4%,food\n",
     "rates.csv:2: column 'category' value 'food': is not a category nexus knows (goods, digital, saas, "
     "services)"),
    ("jurisdiction,from,to,rate\nUS-GA,2025-06-01,2025-01-31,4%\n",
     "rates.csv:2: column 'to' value '2025-01-31': is before its from date 2025-06-01"),
    ("jurisdiction,from,to,rate\nUS-GA,2025-01-01,,4%\nUS-GA,2025-06-01,,5%\n",
     "rates.csv:3: column 'from' value '2025-06-01': overlaps line 2 (US-GA, every category, from 2025-01-01)"),
    ("jurisdiction,from,rate,postal_code_prefix\nUS-GA,2025-01-01,4%,303\n",
     "rates.csv:2: column 'postal_code_prefix' value '303': postal-code rates need the orders' postal codes"),
    ("state,from,rate\nUS-GA,2025-01-01,4%\n", "rates.csv:1: missing column(s) jurisdiction"),
])
def test_a_bad_rates_file_stops_with_one_line_naming_file_line_column_and_value(write, text, message):
    orders = write("o.csv", ORDERS)
    rates = write("rates.csv", text)
    result = run("check", "--sales", orders, "--as-of", "2026-06-30", "--tax-rates", rates)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {rates.rsplit('/', 1)[0]}/{message}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_report_currency_that_is_not_one_is_a_usage_error(write):
    result = run("check", "--sales", write("o.csv", ORDERS), "--report-currency", "XAU")
    assert result.exit_code == 2 and "'XAU' is not a current ISO 4217 currency code" in result.stderr


def test_no_output_may_overwrite_the_rates_file(write):
    orders = write("o.csv", ORDERS)
    rates = write("rates.csv", "jurisdiction,from,rate\nUS-GA,2025-01-01,4%\n")
    result = run("check", "--sales", orders, "--tax-rates", rates, "--output", rates)
    assert result.exit_code == 2 and "--tax-rates" in result.stderr
    assert open(rates, encoding="utf-8").read() == "jurisdiction,from,rate\nUS-GA,2025-01-01,4%\n"


def test_tax_charged_in_the_orders_is_set_against_the_tax_due(write):
    orders = write("o.csv", """\
        date,country,region,amount,currency,tax,channel,category
        2025-03-02,US,GA,150000,USD,6000,direct,goods
        2025-04-10,US,GA,1000,USD,40,direct,goods
        2025-04-12,US,GA,500,USD,35,marketplace,goods
        """)
    rates = write("rates.csv", "jurisdiction,from,rate\nUS-GA,2025-01-01,7%\n")
    e = georgia(check_json(orders, "--tax-rates", rates))
    # Due: 7% of 151,000 (the marketplace's sale is the marketplace's: Georgia's law from 2020); charged by the
    # seller 6,040 (the 35 on the marketplace sale was the marketplace's to remit)
    assert e["tax"]["central"] == "10570.00" and e["tax_collected"] == "6040.00"
    assert e["uncollected"]["central"] == "4530.00" and e["tax_collected_note"] is None
    assert e["scenarios"]["base"]["tax"]["central"] == "4530.00"
    assert not any("none was collected" in a for a in e["assumptions"])


def test_without_tax_in_the_orders_none_is_assumed_collected(write):
    e = georgia(check_json(write("o.csv", ORDERS)))
    assert e["tax_collected"] is None and e["uncollected"] == e["tax"]
    assert "No tax charged is in the orders: the estimate assumes none was collected." in e["assumptions"]


def test_each_rate_used_says_whether_a_primary_source_confirmed_it(write):
    """The JSON gives each bundled rate row's confidence, as data/tax-rates.json has it, and ``verified`` (confirmed
    by a revenue department or statute); an estimate on any unverified row says so among its assumptions. The
    user's own rates are neither (``user``, null): nexus cannot know what they rest on."""
    from importlib import resources
    table = json.loads(resources.files("nexus").joinpath("data", "tax-rates.json").read_text(encoding="utf-8"))
    confidence = {(r["jurisdiction"], r["effective_from"]): r["confidence"] for r in table["rules"]
                  if r["category"] is None}
    orders = write("o.csv", ORDERS)
    bundled = georgia(check_json(orders))
    assert bundled["rates"] and all(r["confidence"] == confidence[("US-GA", r["from"])] for r in bundled["rates"])
    assert all(r["verified"] is (r["confidence"] == "official") for r in bundled["rates"])
    said = any(a.startswith("Tax rate not verified from a primary source") for a in bundled["assumptions"])
    assert said is (not all(r["verified"] for r in bundled["rates"]))
    own = georgia(check_json(orders, "--tax-rates", write("rates.csv", "jurisdiction,from,rate\nUS-GA,2025-01-01,7%\n")))
    assert [(r["confidence"], r["verified"]) for r in own["rates"]] == [("user", None)]
    assert not any("not verified" in a for a in own["assumptions"])
