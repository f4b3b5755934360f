"""Platform exports through `nexus check`: the same hand-worked figures with every engine, and the options."""
from __future__ import annotations

import csv
import json
import re

import pytest
from click.testing import CliRunner

from conftest import SAMPLES, account
from nexus.cli import cli
from test_exports import CASES, HERE

# Every file a test opens is closed where it is opened: an unclosed one is an error (see tests/test_exports.py).
pytestmark = pytest.mark.filterwarnings("error::ResourceWarning", "error::pytest.PytestUnraisableExceptionWarning")

RATES = str(SAMPLES / "eurofxref-hist.csv")
#: Per platform, the findings of the US states its fixture sells into, as of 2025-12-31 (each rule measures
#: 2025, or the twelve months or four quarters before): sales counted, transactions, shipping and tax charged,
#: from the hand-worked totals of test_exports.CASES (every one of these rules counts marketplace sales).
US_FINDINGS = {
    "shopify": {"US-CA": ("155.00", 2, "15.00", "11.25")},
    "amazon": {"US-CA": ("39.99", 1, "4.99", "3.30"), "US-TX": ("60.00", 1, "0.00", "4.95"),
               "US-NY": ("30.00", 1, "0.00", "2.48")},
    "etsy": {"US-WA": ("78.00", 1, "6.00", "7.02"), "US-CA": ("25.00", 1, "0.00", "2.06")},
    "woocommerce": {"US-CA": ("116.00", 1, "8.00", "9.57"), "US-NY": ("20.00", 1, "0.00", "1.78")},
    "bigcommerce": {"US-CA": ("102.00", 1, "12.00", "7.84"), "US-TX": ("40.00", 1, "0.00", "3.30")},
    "adobe": {"US-TX": ("110.00", 1, "10.00", "0.00"), "US-NY": ("32.00", 1, "0.00", "0.00")},
    "stripe": {"US-CA": ("120.00", 1, "0.00", "0.00"), "US-NY": ("45.50", 1, "0.00", "0.00")},
    "paypal": {"US-CA": ("54.00", 1, "5.00", "4.25"), "US-TX": ("30.00", 1, "0.00", "0.00")},
    "stripe-balance": {"US-CA": ("250.00", 3, "0.00", "0.00"), "US-NY": ("80.00", 1, "0.00", "0.00"),
                       "US-TX": ("45.50", 1, "0.00", "0.00")},
    "stripe-tax": {"US-CA": ("80.00", 2, "0.00", "5.43"), "US-NY": ("60.00", 1, "0.00", "0.00"),
                   "US-TX": ("40.00", 1, "0.00", "2.90")},
}
#: Layouts without line items carry no category signal: their fixtures sell goods throughout (--category goods).
OPTIONS = {"adobe": ["--currency", "USD", "--skip-bad-rows", "--category", "goods"],
           **{name: ["--category", "goods"] for name in ("bigcommerce", "etsy", "paypal", "stripe", "stripe-balance",
                                                          "woocommerce")}}


def check(name: str, *extra: str):
    files = [arg for f in CASES[name][0] for arg in ("--sales", str(HERE / f))]
    return CliRunner().invoke(cli, ["check", *files, "--as-of", "2025-12-31", "--rates", RATES, "--format", "json",
                                    *OPTIONS.get(name, []), *extra], catch_exceptions=False)


@pytest.mark.parametrize("engine", [None, "python", "duckdb"])
@pytest.mark.parametrize("name", sorted(US_FINDINGS))
def test_each_platform_through_the_cli_with_every_engine(name, engine):
    result = check(name, *(["--engine", engine] if engine else []))
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    summary = data["summary"]
    assert {k: summary[k] for k in account(0, 0)} == CASES[name][3]
    assert {f["file"].rsplit("/", 1)[1]: f["layout"] for f in summary["files"]} == \
        {f: name for f in CASES[name][0]}
    found = {f["jurisdiction"]: (f["sales"], f["transactions"], f["shipping"], f["tax_charged"])
             for f in data["findings"] if f["jurisdiction"] in US_FINDINGS[name]}
    assert found == US_FINDINGS[name]
    handed_over = [line for line in result.stderr.splitlines() if "not with DuckDB" in line]
    if engine == "duckdb" and name != "shopify":  # the fast path gives platform exports to nexus's own reader,
        # and says why once; Shopify's it reads itself (nexus.fast_exports), its late export's repeats included
        assert len(handed_over) == 1 and "nexus's own reader groups its line items into orders" in handed_over[0]
    else:
        assert handed_over == []


def test_undated_refunds_and_left_out_rows_reach_the_json():
    data = json.loads(check("shopify").stdout)
    summary = data["summary"]
    assert [(r["line"], r["reason"]) for r in summary["left_out_rows"]] == [
        (8, "cancelled on 2025-03-10 09:00:00 -0600"), (9, "a test order (paid through Shopify's Bogus Gateway)"),
        (12, "voided (Financial Status)")]
    ca = next(f for f in data["findings"] if f["jurisdiction"] == "US-CA")
    assert ca["undated_refunds"] == []  # #1001 and #1009 were not refunded
    woo = json.loads(check("woocommerce").stdout)
    assert all(f["undated_refunds"] == [] for f in woo["findings"])


def test_table_row_account_names_left_out_rows():
    files = [arg for f in CASES["shopify"][0] for arg in ("--sales", str(HERE / f))]
    result = CliRunner().invoke(cli, ["check", *files, "--as-of", "2025-12-31", "--rates", RATES],
                                catch_exceptions=False)
    # the screen gives the count; where each row and its reason are listed is said, as for conflicts
    assert ("Rows: 15 read = 9 used + 0 skipped + 3 duplicates (counted once) + 3 left out (cancelled, voided, "
            "test, failed or not sales; each listed with its reason in the JSON and the workbook).") \
        in " ".join(result.stdout.split())


def test_one_duplicate_is_said_in_the_singular_on_the_screen_and_in_the_memo(tmp_path):
    """One order exported by both platforms in a migration: the row account said '1 duplicates (counted once)'."""
    files = ["--sales", str(HERE / "migration-shopify.csv"), "--sales", str(HERE / "migration-woocommerce.csv")]
    memo = tmp_path / "memo.html"
    result = CliRunner().invoke(cli, ["check", *files, "--as-of", "2025-12-31", "--html", str(memo)],
                                catch_exceptions=False)
    assert "Rows: 5 read = 4 used + 0 skipped + 1 duplicate (counted once)." in result.stdout
    assert "5 rows read = 4 used + 0 skipped + 1 duplicate (counted once)." in memo.read_text(encoding="utf-8")


def test_a_missing_platform_column_is_exit_2_naming_platform_file_and_column(tmp_path):
    lines = (HERE / "amazon-all-orders.txt").read_text(encoding="utf-8").splitlines()
    header = lines[0].split("\t")
    cut = header.index("ship-state")
    path = tmp_path / "All Orders.txt"
    path.write_text("\n".join("\t".join(v for i, v in enumerate(line.split("\t")) if i != cut) for line in lines),
                    encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--sales", str(path), "--as-of", "2025-12-31"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:1: looks like an Amazon All Orders report but has no "
                                    f"'ship-state' column; columns found: amazon-order-id, ")


def test_repeated_orders_option_through_the_cli():
    files = ["--sales", str(HERE / "shopify-orders.csv"), "--sales", str(HERE / "shopify-orders-amended.csv")]
    args = ["check", *files, "--as-of", "2025-12-31", "--rates", RATES, "--format", "json"]
    stopped = CliRunner().invoke(cli, args)
    assert stopped.exit_code == 2 and "refund of order '#1002' read at" in stopped.stderr
    assert "--repeated-orders lines" in stopped.stderr
    kept = CliRunner().invoke(cli, args + ["--repeated-orders", "latest"], catch_exceptions=False)
    assert kept.exit_code == 0
    conflicts = json.loads(kept.stdout)["summary"]["conflict_orders"]
    assert conflicts == [{"order_id": "#1002", "kind": "refund", "source": "shopify",
                          "first": {"file": str(HERE / "shopify-orders.csv"), "line": 4},
                          "later": {"file": str(HERE / "shopify-orders-amended.csv"), "line": 2},
                          "differences": {"amount": ["-1300", "-2600"], "shipping": ["-100", "-200"],
                                          "tax": ["-130", "-260"]},
                          "treated_as": "the later kept"}]
    bad = CliRunner().invoke(cli, args + ["--repeated-orders", "first"])
    assert bad.exit_code == 2 and "Invalid value for '--repeated-orders'" in bad.stderr


def test_source_format_option_through_the_cli():
    sample = str(SAMPLES / "orders-2025.csv")
    result = CliRunner().invoke(cli, ["check", "--sales", sample, "--source-format", "etsy", "--as-of", "2025-12-31"])
    assert result.exit_code == 2
    assert "is read as an Etsy Sold Orders CSV (--source-format etsy) but has no 'Sale Date' column" in result.stderr


def test_the_readme_example_with_platform_exports_runs():
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    command = next(line for line in readme.splitlines() if "shopify-orders-2026.csv" in line)
    args = command.split()[1:]
    assert args[0] == "check"
    result = CliRunner().invoke(cli, [a.replace("spreadsheets/", str(SAMPLES) + "/") for a in args],
                                catch_exceptions=False)
    assert result.exit_code == 0
    ca = next(line for line in result.stdout.splitlines() if line.startswith("US-CA "))
    crossed = re.search(r"California now crosses its USD 500,000 test, on (\d{4}-\d\d-\d\d)", " ".join(readme.split()))
    assert "sales test" in ca and crossed.group(1) in ca  # nexus from sales since the day the README says
    assert "left out (cancelled, voided, test, failed or not sales; each listed with its reason" in \
        " ".join(result.stdout.split())


def test_a_one_row_per_order_export_with_an_empty_order_id_is_exit_2_naming_file_line_and_column(tmp_path):
    lines = (HERE / "etsy-sold-orders.csv").read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace(",3002,", ",,", 1)  # the second order's Order ID left empty
    path = tmp_path / "EtsySoldOrders2025.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--sales", str(path), "--as-of", "2025-12-31", "--rates", RATES])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:3: column 'Order ID' value '': is empty: each row of an Etsy "
                                    f"Sold Orders CSV is an order of its own")


def test_files_of_several_layouts_are_handed_over_saying_so(write):
    # A move between platforms: the fast path reads one layout at a time, so the files go to nexus's own reader,
    # which matches orders across them; the warning said the Shopify export was the reason, which it is not alone.
    # (The layouts are the reason, not how many orders the files hold: a few of each, not the sample's 21,000.)
    own = write("orders.csv", "order_id,date,country,region,amount,currency\nA-1,2026-03-02,US,CA,120.00,USD\n"
                              "A-2,2026-04-03,DE,,80.00,EUR\n")
    result = CliRunner().invoke(cli, ["check", "--sales", own, "--sales", str(HERE / "shopify-orders.csv"),
                                      "--as-of", "2026-10-31", "--rates", RATES, "--engine", "duckdb", "--format",
                                      "json"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    handed_over = [line for line in result.stderr.splitlines() if "not with DuckDB" in line]
    assert len(handed_over) == 1 and handed_over[0].endswith(
        "the files are in 2 layouts (a Shopify orders export, nexus's own): nexus's own reader reads them together, "
        "matching orders exported by more than one platform")


def test_order_status_through_the_cli(tmp_path):
    """A WooCommerce export whose #1001 (California: 125.57 less tax 9.57 = 116.00) a plugin marked 'shipped': counted
    and said in the JSON's warnings and on the screen; --order-status shipped=unpaid leaves it out (listed with the
    reason); a reading other than paid or unpaid is a usage error."""
    with open(HERE / "woocommerce-orders.csv", encoding="utf-8", newline="") as handle:
        data = list(csv.reader(handle))
    data[1][data[0].index("status")] = "shipped"
    path = tmp_path / "orders.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(data)
    args = ["check", "--sales", str(path), "--as-of", "2025-12-31", "--rates", RATES, "--category", "goods"]
    said = f"{path}: status 'shipped' is not one of WooCommerce's statuses (a plugin's or the shop's own): 1 order " \
           f"(USD 116.00) counted as a sale"
    counted = CliRunner().invoke(cli, args + ["--format", "json"], catch_exceptions=False)
    data = json.loads(counted.stdout)
    assert [w for w in data["warnings"] if w.startswith(said)] != []
    ca = next(f for f in data["findings"] if f["jurisdiction"] == "US-CA")
    assert (ca["sales"], ca["transactions"]) == ("116.00", 1)
    screen = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert f"Warning: {said}" in " ".join(screen.stdout.split())
    unpaid = CliRunner().invoke(cli, args + ["--format", "json", "--order-status", "Shipped=unpaid"],
                                catch_exceptions=False)
    summary = json.loads(unpaid.stdout)["summary"]
    assert [(r["line"], r["reason"]) for r in summary["left_out_rows"] if r["line"] == 2] == [
        (2, "status 'shipped' read as not paid (--order-status shipped=unpaid)")]
    assert all(f["jurisdiction"] != "US-CA" or f["sales"] == "0.00" for f in json.loads(unpaid.stdout)["findings"])
    bad = CliRunner().invoke(cli, args + ["--order-status", "shipped=maybe"])
    assert bad.exit_code == 2
    assert "'shipped=maybe' is not STATUS=paid or STATUS=unpaid, e.g. --order-status shipped=paid" in bad.stderr


def test_a_refund_counted_on_the_orders_date_names_the_platforms_export_in_finance_words():
    # Adobe Commerce order 000000005 (New York: Grand Total 43.55, Subtotal 40.00, Total Refunded 8.71, a fifth)
    # counts 40.00 - 8.00 = 32.00; its reason said "Refunds in adobe exports ...", the --source-format slug
    result = CliRunner().invoke(cli, ["check", "--sales", str(HERE / "adobe-commerce-orders.csv"), "--currency", "USD",
                                      "--category", "goods", "--skip-bad-rows", "--as-of", "2025-12-31", "--rates",
                                      str(SAMPLES / "eurofxref-hist.csv"), "--format", "json"], catch_exceptions=False)
    ny = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "US-NY")
    assert ny["sales"] == "32.00" and ny["undated_refunds"] == ["adobe"]  # the JSON keeps the layout's name
    assert "Refunds in an Adobe Commerce order grid export come as a running total on the order, without their " \
           "own date: they are counted on the order's date." in ny["reasons"]


@pytest.mark.parametrize("engine", [None, "python"])
@pytest.mark.parametrize("language, header", [
    ("German", "Datum,Uhrzeit,Zeitzone,Name,Typ,Status,Währung,Brutto,Gebühr,Netto,Transaktionscode,Umsatzsteuer"),
    ("Spanish", "Fecha,Hora,Zona horaria,Nombre,Tipo,Estado,Divisa,Bruto,Tarifa,Neto,Id. de transacción"),
])
def test_a_paypal_download_in_another_language_stops_by_name_not_read_as_nexus_layout(
        tmp_path, engine, language, header):
    """Before: a German account's PayPal download (Datum, Typ, Brutto, Transaktionscode...) was not recognised and
    stopped asking for '--column' mappings, which would have read it as nexus's own layout: every fee, transfer and
    payment sent counted as a sale. nexus reads PayPal's English words only (its Type and Status decide what is a
    sale), so the file stops, named as the PayPal download it is, exit 2."""
    path = tmp_path / "paypal.csv"
    path.write_text(header + "\n" + ",".join("x" for _ in header.split(",")) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--sales", str(path), "--as-of", "2025-12-31", "--rates", RATES,
                                      *(["--engine", engine] if engine else [])])
    assert result.exit_code == 2
    assert (f"{path}: looks like a PayPal activity download in {language} (") in result.stderr
    assert "nexus reads its English column names and words only, which decide what is a sale" in result.stderr
    assert "--column" not in result.stderr
