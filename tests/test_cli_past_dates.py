"""`nexus check --as-of` a date before a place's first rule in the data (audit and voluntary-disclosure runs for past
quarters): what the screen and the JSON say there. Orders are written next to each test; figures worked by hand."""
import json

from click.testing import CliRunner

from nexus.cli import cli

HEADER = ("Order ID,Created At,Customer Name,Ship Country,Ship State,SKU,Category,Channel,Type,Tax Exempt,Currency,"
          "Amount\n")


def orders(tmp_path, rows):
    """``rows`` of (day, country, state, currency, amount), one goods sale sold direct each."""
    path = tmp_path / "orders.csv"
    path.write_text(HEADER + "".join(f"O{i},{day} 12:00:00+00:00,N,{country},{state},SKU,goods,direct,sale,no,"
                                     f"{currency},{amount}\n"
                                     for i, (day, country, state, currency, amount) in enumerate(rows)),
                    encoding="utf-8")
    return path


def run(*args):
    result = CliRunner().invoke(cli, ["check", *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result


def south_dakota_2018(tmp_path):
    """250 orders of USD 100 shipped to South Dakota, 2018-01-01 to 2018-09-27 (USD 25,000): South Dakota's rule
    in the data starts on 2018-11-01 (SDCL 10-64-2 as enforced after Wayfair)."""
    return orders(tmp_path, [(f"2018-{i % 9 + 1:02d}-{i % 28 + 1:02d}", "US", "SD", "USD", "100")
                             for i in range(250)])


def test_a_place_sold_to_before_its_first_rule_has_no_sales_figure(tmp_path):
    """As of 2018-10-31 South Dakota has no rule in the data, so no test counts its 250 orders (USD 25,000): the
    JSON said sales "0.00" and 0 transactions, and the screen 'no sales', of a place the seller had sold USD 25,000
    to. Expected: sales and transactions null (no test counted them, as for a place with no sales tax), and the
    screen's Sales cell empty, never 'no sales'."""
    path = south_dakota_2018(tmp_path)
    found = json.loads(run("--sales", str(path), "--as-of", "2018-10-31", "--format", "json").stdout)["findings"]
    sd = next(f for f in found if f["jurisdiction"] == "US-SD")
    assert (sd["status"], sd["sales"], sd["transactions"]) == ("no-rule", None, None)
    screen = run("--sales", str(path), "--as-of", "2018-10-31", "--all").stdout
    row = next(line for line in screen.splitlines() if line.startswith("US-SD"))
    assert row.split() == ["US-SD", "South", "Dakota", "no-rule"]


def test_a_date_before_the_datas_first_rows_is_not_called_a_date_without_rules(tmp_path):
    """A French seller's EUR 50,000 of goods to Germany in 2014, checked as of 2014-12-31: the distance-selling rows
    begin on 2015-01-01 because that is as far back as they were sourced (docs/rules.md), not because Germany had no
    threshold (it had EUR 100,000 under arts. 33-34 of the VAT Directive). nexus said 'Germany had no registration
    rule in force on 2014-12-31', and the screen '1 with no rule in force'. Expected: it says the data hold no rule
    for the day, that the sales are not assessed, and that an earlier rule, if any, is not in the data."""
    path = orders(tmp_path, [(f"2014-{i % 12 + 1:02d}-10", "DE", "", "EUR", "1000") for i in range(50)])
    found = json.loads(run("--sales", str(path), "--home", "FR", "--as-of", "2014-12-31",
                           "--format", "json").stdout)["findings"]
    germany = next(f for f in found if f["jurisdiction"] == "DE")
    assert germany["status"] == "no-rule"
    assert germany["reasons"] == [
        "No rule for Germany in nexus's data was in force on 2014-12-31; the first in the data takes effect "
        "2015-01-01. Sales there are not assessed: a rule in force before that day, if there was one, is not in "
        "the data (unknown, not 'no rule')."]
    screen = run("--sales", str(path), "--home", "FR", "--as-of", "2014-12-31").stdout
    assert "Other jurisdictions: 1 with no rule in the data for the date: see --all or the workbook." in screen


def test_a_start_date_held_back_to_the_day_a_lower_threshold_took_effect_says_so(tmp_path):
    """Tennessee lowered its threshold from more than USD 500,000 to USD 100,000 or more on 2020-10-01 (RS-1, RS-3).
    USD 20,000 of goods on the 10th of each month from 2019-10 to 2020-09, checked as of 2020-10-31. Under the old
    rule the 12 months never pass USD 500,000 (USD 240,000 at most). The new rule first measures on 2020-10-01, the
    12 months 2019-10-02 to 2020-10-01: the fifth order, on 2020-02-10, makes USD 100,000. Tennessee's start rule
    (first day of the third month after the month the threshold is met) counts 2020-05-01 from it, a day the USD
    100,000 test was not yet law, so collection is dated 2020-10-01, when it took effect. (The as-of window,
    2019-11-01 to 2020-10-31, holds 11 orders, USD 220,000, passing USD 100,000 on 2020-03-10: the finding's
    crossed_on.) The reason said only 'Collect from 2020-10-01: from the first day of the 3rd month after the month
    the test is met', which a reader counting from either crossing cannot square with 2020-10-01. Expected: it says
    the count from 2020-02-10 gives 2020-05-01, held back to 2020-10-01, and that this is the documented assumption."""
    path = orders(tmp_path, [(f"{2019 + (m + 9) // 12}-{(m + 9) % 12 + 1:02d}-10", "US", "TN", "USD", "20000")
                             for m in range(12)])
    found = json.loads(run("--sales", str(path), "--as-of", "2020-10-31", "--format", "json").stdout)["findings"]
    tn = next(f for f in found if f["jurisdiction"] == "US-TN")
    assert (tn["status"], tn["sales"], tn["crossed_on"]) == ("exceeded", "220000.00", "2020-03-10")
    assert (tn["nexus_since"], tn["collect_from"]) == ("2020-10-01", "2020-10-01")
    assert tn["nexus_since_basis"] == ("the sales test was met on 2020-02-10 (12 months 2019-10-02 to 2020-10-01), "
                                       "and the rule took effect on 2020-10-01")
    collect = next(r for r in tn["reasons"] if r.startswith("Collect from 2020-10-01"))
    assert collect.endswith(
        "; counted from the test met on 2020-02-10 that gives 2020-05-01, before the rule took effect on 2020-10-01, "
        "so from that day (an assumption: no source read says whether the count starts again on that day instead, "
        "which would give a later date; docs/rules.md).")


def test_a_duty_from_the_crossing_day_held_back_to_the_rules_first_day_adds_no_count(tmp_path):
    """The EU's union-wide EUR 10,000 of 2021-07-01 counts goods, and the previous calendar year: a French seller's
    EUR 1,000 of goods to Germany on the 10th of each month of 2020 passes EUR 10,000 on 2020-11-10 (the 11th order),
    so as of 2021-07-01 nexus and collection start that day (the scheme applies from the first supply: no grace
    period to count). The reason says so, with no words about a count held back, which has nothing to restart."""
    path = orders(tmp_path, [(f"2020-{m:02d}-10", "DE", "", "EUR", "1000") for m in range(1, 13)])
    found = json.loads(run("--sales", str(path), "--home", "FR", "--as-of", "2021-07-01",
                           "--format", "json").stdout)["findings"]
    eu = next(f for f in found if f["jurisdiction"] == "EU")
    assert (eu["status"], eu["sales"], eu["crossed_on"]) == ("exceeded", "12000.00", "2020-11-10")
    assert (eu["nexus_since"], eu["collect_from"]) == ("2021-07-01", "2021-07-01")
    collect = next(r for r in eu["reasons"] if r.startswith("Collect from 2021-07-01: from the day the test is met"))
    assert "counted from" not in collect and "assumption" not in collect


def test_a_place_sold_to_only_after_the_as_of_date_is_not_listed_as_without_a_rule(tmp_path):
    """Ten orders of USD 100 to South Dakota in March 2019 only, checked as of 2018-10-31 (before South Dakota's rule
    in the data, from 2018-11-01): by that day nothing had been sold there, so there is nothing to assess and nothing
    to list; the orders are counted as dated after the as-of date. nexus listed South Dakota all the same, 'no-rule',
    and the screen said '1 with no rule in force'. Places with no rule that were sold to only later are left out, as
    the line of places with no rules at all ('Sales where nexus has no rules') already leaves them out."""
    path = orders(tmp_path, [(f"2019-03-{day:02d}", "US", "SD", "USD", "100") for day in range(1, 11)])
    data = json.loads(run("--sales", str(path), "--as-of", "2018-10-31", "--format", "json").stdout)
    assert [f["jurisdiction"] for f in data["findings"] if f["status"] == "no-rule"] == []
    screen = run("--sales", str(path), "--as-of", "2018-10-31").stdout
    assert "no rule" not in screen
