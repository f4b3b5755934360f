"""docs/exposure.md stays true: its worked example is run here, and every figure it works out by hand checked."""
import csv
import json
import re
from decimal import Decimal
from pathlib import Path

from click.testing import CliRunner

from conftest import SAMPLES
from nexus.cli import cli
import shared_runs

PAGE = (Path(__file__).resolve().parent.parent / "docs" / "exposure.md").read_text(encoding="utf-8")


def blocks(language):
    return re.findall(rf"```{language}\n(.*?)```", PAGE, re.S)


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_the_worked_example_gives_the_figures_the_page_works_out(tmp_path):
    orders = tmp_path / "orders.csv"
    orders.write_text(next(b for b in blocks("csv") if b.startswith("order_id")), encoding="utf-8")
    result = run("check", "--sales", str(orders), "--as-of", "2025-07-31", "--format", "json")
    e = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "US-GA")["exposure"]
    assert (e["from"], e["to"]) == ("2025-03-02", "2025-07-31")
    months = [(m["month"], m["taxable_sales"], m["tax"]["low"], m["tax"]["central"], m["tax"]["high"], m["due"],
               m["penalty"], m["interest"]) for m in e["months"]]
    assert months == [("2025-03", "150000.00", "0.00", "11130.00", "11130.00", "2025-04-21", "2226.00", "389.55"),
                      ("2025-04", "800.00", "32.00", "59.36", "59.36", "2025-05-20", "8.90", "1.56"),
                      ("2025-07", "2000.00", "80.00", "148.80", "180.00", "2025-08-20", "0.00", "0.00")]
    assert e["tax"] == {"low": "112.00", "central": "11338.16", "high": "11369.36"}
    assert (e["penalty"], e["interest"]) == ("2234.90", "391.11")
    scenarios = e["scenarios"]
    assert scenarios["base"]["total"] == "13964.17" and scenarios["vda"]["total"] == "11729.27"
    assert scenarios["registered_now"]["tax"] == {"low": "26.67", "central": "49.60", "high": "60.00"}
    table = next(b for b in blocks("text") if "Act now" in b)
    screen = run("check", "--sales", str(orders), "--as-of", "2025-07-31").stdout
    assert table in screen


def test_the_example_accrual_books_the_figures_the_page_gives(tmp_path):
    orders = tmp_path / "orders.csv"
    orders.write_text(next(b for b in blocks("csv") if b.startswith("order_id")), encoding="utf-8")
    check = tmp_path / "check.json"
    run("check", "--sales", str(orders), "--as-of", "2025-07-31", "--format", "json", "-o", str(check))
    journal = tmp_path / "journal.csv"
    result = run("accounts", "journal", "--check", str(check), "--coa", str(SAMPLES / "chart-of-accounts.csv"),
                 "--import-file", str(journal))
    assert result.exit_code == 0
    lines = [line.split(",") for line in journal.read_text(encoding="utf-8").splitlines()[1:]]
    assert [(line[3], line[4], line[5]) for line in lines] == [
        ("Tax exposure expense", "11338.16", ""), ("Tax interest and penalties", "2626.01", ""),
        ("Accrued sales tax exposure - Georgia (US-GA)", "", "13964.17")]


def test_the_rates_file_on_the_page_is_read_as_the_page_says(tmp_path):
    rates = tmp_path / "rates.csv"
    rates.write_text(next(b for b in blocks("csv") if b.startswith("jurisdiction")), encoding="utf-8")
    orders = tmp_path / "orders.csv"
    orders.write_text("date,country,region,amount,currency,category\n2025-03-02,US,GA,150000,USD,goods\n",
                      encoding="utf-8")
    result = run("check", "--sales", str(orders), "--as-of", "2025-07-31", "--tax-rates", str(rates), "--format",
                 "json")
    e = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "US-GA")["exposure"]
    assert e["tax"]["central"] == "10500.00" and e["rates"][0]["sources"] == [f"{rates}:2"]


def _money(text):
    return f"{Decimal(text):,.2f}"


def test_the_sample_figures_the_prose_quotes_are_the_readme_check_s(tmp_path, readme_check_json):
    """The rounding example and the accrual's cent are quoted from the README's first check: a figure that moves
    with the data leaves a page that no longer ties out to what a user sees."""
    check = readme_check_json  # the README's first check as JSON, made once per test process
    document = json.loads(check.read_text(encoding="utf-8"))
    total = document["summary"]["exposure_total"]
    lines = [f["exposure"]["reporting"]["low"] for f in document["findings"] if f.get("exposure")]
    added = sum(Decimal(low) for low in lines)
    page = " ".join(PAGE.split())
    assert added != Decimal(total["tax"]["low"]), "the example shows a total and its lines a cent apart"
    assert (f"the low end of the range is USD {_money(total['tax']['low'])} where the sixteen rounded lines add "
            f"to {_money(added)}.") in page
    journal = run("accounts", "journal", "--check", str(check), "--coa", str(SAMPLES / "chart-of-accounts.csv"),
                  "--target", "quickbooks", "--import-file", str(tmp_path / "accrual.csv"))
    entry = re.search(r"Total +([\d,.]+) +([\d,.]+)", journal.stdout).group(1)
    tax = re.search(r"Tax exposure expense +([\d,.]+)", journal.stdout).group(1)
    extra = _money(Decimal(total["penalty"]) + Decimal(total["interest"]))
    assert (entry, tax) == (_money(total["base"]), _money(total["tax"]["central"]))  # the entry ties to the check
    assert (f"On the sample the check's tax is USD {tax} where the lines' taxes add to") in page
    assert (f"so the expense is {tax}, the penalties and interest {extra} ({_money(total['penalty'])} + "
            f"{_money(total['interest'])}) and the total {entry}, each the check's.") in page
    # the lines each rounded once, and the cents the largest remainders give up to tie to the check's total
    given_up = re.search(r"take the difference: credit (.+?) \(docs/exposure\.md\)", " ".join(journal.stdout.split()))
    moved = sum(Decimal(cent) for cent in re.findall(r"-?\d+\.\d\d", given_up.group(1)))
    assert (f"add to {_money(Decimal(total['base']) - moved)} against its total of {_money(total['base'])}: "
            in page) and f"(`credit {given_up.group(1)}`)" in page


def test_the_home_estimate_quoted_for_japan_is_what_the_sample_gives(tmp_path_factory):
    """The sample with its presence file and --home JP, as JSON (the run made once for this file and
    test_from_first_order.py, shared_runs.py)."""
    checked = json.loads(shared_runs.sample_home_jp(tmp_path_factory).file("check.json").read_text(encoding="utf-8"))
    japan = next(f for f in checked["findings"] if f["jurisdiction"] == "JP")
    tax = f"{int(japan['exposure']['tax']['central']):,}"
    page = " ".join(PAGE.split())
    assert f"estimates JPY {tax} of consumption tax" in page and f"the JPY {tax} is 10% of JPY" in page
    # the taxable sales by category and channel add up to the figure taxed; the services left out of it (the page
    # read JPY 2,959,833 after f5e4750 made them JPY 3,028,948) are what nexus lists as not estimated
    taxable = japan["exposure"]["taxable_sales"]
    parts = page.split(f"10% of JPY {int(taxable):,}: ", 1)[1].split(" Two things the rows", 1)[0]
    parts = re.sub(r"\(before,[^)]*\)", "", parts)
    assert sum(int(n.replace(",", "")) for n in re.findall(r"\d{1,3}(?:,\d{3})+", parts)) == int(taxable)
    services = f"{int(japan['exposure']['not_estimated']['services: taxability unknown']):,}"
    assert f"listed as not estimated (JPY {services} on the sample)" in page


def test_the_coverage_table_counts_what_the_data_holds():
    data = Path(__file__).resolve().parent.parent / "data"

    def rows(name):
        return json.loads((data / name).read_text(encoding="utf-8"))["rules"]

    unknown = sum(1 for r in rows("taxability.json") if r["taxable"] == "unknown")
    assert f"{unknown} rows `unknown`" in PAGE
    laws = {r["jurisdiction"] for r in rows("marketplace-facilitator-laws.json")}
    assert "US-DC" in laws
    assert f"per US state | {len(laws) - 1} states and DC |" in PAGE


def _in_force(row, day):
    return row["effective_from"] <= day and (row.get("effective_to") is None or row["effective_to"] >= day)


def test_the_sample_figures_quoted_for_tennessee_pennsylvania_and_a_california_home_are_the_checks(
        readme_check_json):
    """The page works three of the README's figures through by hand: Tennessee's tax a month from the day its
    collection starts (its 90 days' taxable sales at its rate), Pennsylvania's tax, penalty and total a unit apart,
    and the tax at home with --home US-CA and no permit in the registrations file."""
    document = json.loads(readme_check_json.read_text(encoding="utf-8"))
    findings = {f["jurisdiction"]: f for f in document["findings"]}
    total = document["summary"]["exposure_total"]
    page = " ".join(PAGE.split())
    rates = json.loads((Path(__file__).resolve().parent.parent / "data" / "tax-rates.json").read_text(
        encoding="utf-8"))["rules"]
    tennessee = next(r for r in rates if r["jurisdiction"] == "US-TN" and r["category"] is None
                     and _in_force(r, document["as_of"]))
    state, local = Decimal(tennessee["rate"]), Decimal(tennessee["average_local"])
    taxable = re.search(r"its 90 days to 2026-10-31 hold USD ([\d,.]+) of taxable sales", page).group(1)
    once_due = (Decimal(taxable.replace(",", "")) * (state + local) / 3).quantize(Decimal("0.01"))
    assert once_due == Decimal(total["once_due_per_month"])

    def percent(rate):
        return f"{(rate * 100).normalize()}%"
    assert (f"times its {percent(state + local)} ({percent(state)} and {percent(local)} local) times 30/90 is "
            f"USD {_money(total['once_due_per_month'])} a month from 2026-12-01, outside the USD "
            f"{_money(total['registered_now_per_month'])} that grows each month now") in page
    pa = findings["US-PA"]["exposure"]
    assert (f"(Pennsylvania's USD {_money(pa['uncollected']['central'])} and {_money(pa['penalty'])} against "
            f"{_money(pa['scenarios']['base']['total'])})") in page
    result = run("check", "--sales", str(SAMPLES / "orders-2025.csv"), "--sales", str(SAMPLES / "orders-2026.csv"),
                 "--rates", str(SAMPLES / "eurofxref-hist.csv"), "--as-of", "2026-10-31", "--presence",
                 str(SAMPLES / "presence.csv"), "--registrations", str(SAMPLES / "registrations.csv"), "--home",
                 "US-CA", "--format", "json")
    california = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "US-CA")["exposure"]
    assert (f"estimates USD {_money(california['uncollected']['central'])} of sales tax on the sales shipped to "
            f"California from the first order ({california['from']})") in page


def test_the_limitation_coverage_names_every_place_the_table_holds():
    """The page says which places data/limitation-periods.json holds a row for: the past distance-selling places
    (the EU's members and the UK), the US, and those outside both by name. South Korea's row (1792b79) was not
    among those named, so a reader took its tax at stake for one with no period of limitation known."""
    data = Path(__file__).resolve().parent.parent / "data"
    rows = json.loads((data / "limitation-periods.json").read_text(encoding="utf-8"))["rules"]
    names = {row["jurisdiction"]: row["name"] for row in rows}
    lines = (data / "eu-vat-members.csv").read_text(encoding="utf-8").splitlines()
    members = {row["code"] for row in csv.DictReader(line for line in lines if not line.startswith("#"))}
    us = [code for code in names if code.startswith("US-")]
    lapsed = [code for code in names if code in members]
    others = [code for code in names if code not in members and not code.startswith("US-")]
    page = " ".join(PAGE.split())
    sentence = page.split("**Unknown** where the table has no row for the place (it holds ", 1)[1].split(";", 1)[0]
    assert sentence.startswith(f"{len(lapsed)} of the {len(members)} places whose distance-selling thresholds lapsed, "
                               f"{len(us) - 1} US states and the District of Columbia, and {len(others)} places "
                               f"outside both: ")
    listed = sentence.split("outside both: ", 1)[1].replace(" and ", ", ").split(", ")
    assert sorted(name.removeprefix("the ") for name in listed) == sorted(names[code] for code in others)
