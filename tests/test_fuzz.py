"""Junk in, and never a crash: every reader either balances its row account or stops with one line, exit 2."""
import io
import json
import sys
from datetime import date, datetime

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings, strategies as st
from openpyxl import Workbook

from conftest import SAMPLES
from nexus.cli import cli
from nexus.workbooks.sheet import clean_text

CELLS = st.sampled_from([
    "", " ", "0", "12.50", "-3", "(1,234.56)", "1,234.56", "1.234,56", "1e5", "NaN", "inf", "€", "$12", "12 USD",
    "2026-01-02", "2026-02-30", "46024", "20260102", "yesterday", "US", "CA", "US-CA", "ZZ", "JP", "DE", "USD", "JPY",
    "EUR", "XCG", "HRK", "ABC", "sale", "refund", "chargeback", "marketplace", "resale", "yes", "digital", "saas",
    "=1+1", "+SUM(A1)", "@cmd", "山田 太郎", "ｻﾄｳ", "王伟", "김민준", "\t", "a,b", 'say "hi"', "x" * 300,
]) | st.text(max_size=12)
HEADERS = ["order_id", "date", "country", "region", "amount", "currency", "channel", "kind", "exempt", "category",
           "note"]
SETTINGS = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def run(*args):
    return CliRunner().invoke(cli, list(args))


def assert_clean(result, json_out=True):
    """Either it ran and every row is accounted for, or it said why in one line and exited 2."""
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    if result.exit_code == 2:
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
        assert "Traceback" not in result.stderr
        return None
    assert result.exit_code == 0, (result.exit_code, result.stderr)
    if json_out:
        data = json.loads(result.stdout)
        s = data["summary"]
        assert s["rows_read"] == s["rows_used"] + s["rows_skipped"] + s["duplicates"]
        return data
    return None


def csv_text(header, rows):
    out = io.StringIO()
    import csv

    if sys.version_info < (3, 11):  # Python 3.10's csv writer cannot write NUL (test_nul_in_a_csv covers it)
        rows = [[cell.replace("\x00", "") for cell in row] for row in rows]
    csv.writer(out).writerows([header] + rows)
    return out.getvalue()


def test_nul_in_a_csv_is_read_or_named_in_one_line(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes(b"order_id,date,country,region,amount,currency\nA\x001,2026-01-02,US,CA,10,USD\n")
    data = assert_clean(run("check", "--sales", str(path), "--as-of", "2026-06-30", "--format", "json",
                            "--engine", "python"), json_out=True)
    assert data is None or data["summary"]["rows_read"] == 1


@SETTINGS
@given(header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=11, unique=True),
       rows=st.lists(st.lists(CELLS, min_size=0, max_size=12), max_size=8), skip=st.booleans())
def test_random_sales_csv(tmp_path, header, rows, skip):
    path = tmp_path / "orders.csv"
    path.write_text(csv_text(header, rows), encoding="utf-8")
    args = ["check", "--sales", str(path), "--as-of", "2026-06-30", "--format", "json",
            "--rates", str(SAMPLES / "eurofxref-hist.csv")] + (["--skip-bad-rows"] if skip else [])
    assert_clean(run(*args))


SAMPLE_BYTES = (SAMPLES / "orders-2026.csv").read_bytes()[:3000]


@SETTINGS
@given(cut=st.integers(0, len(SAMPLE_BYTES)), flips=st.lists(st.tuples(st.integers(0, 2999), st.integers(0, 255)),
                                                              max_size=6))
def test_mutated_sales_csv(tmp_path, cut, flips):
    data = bytearray(SAMPLE_BYTES[:cut])
    for position, value in flips:
        if position < len(data):
            data[position] = value
    path = tmp_path / "orders.csv"
    path.write_bytes(bytes(data))
    assert_clean(run("check", "--sales", str(path), "--as-of", "2026-06-30", "--format", "json", "--skip-bad-rows",
                     "--rates", str(SAMPLES / "eurofxref-hist.csv")))


XLSX_VALUES = CELLS | st.integers(-10**6, 10**6) | st.floats(allow_nan=False, allow_infinity=False, width=32) \
    | st.dates(min_value=date(1990, 1, 1), max_value=date(2030, 1, 1)) | st.none() | st.booleans()


@SETTINGS
@given(header=st.lists(st.sampled_from(HEADERS), min_size=1, max_size=11, unique=True),
       rows=st.lists(st.lists(XLSX_VALUES, max_size=12), max_size=8))
def test_random_sales_xlsx(tmp_path, header, rows):
    book = Workbook()
    book.active.append(header)
    for row in rows:  # a workbook cannot hold control characters: write them as nexus would
        book.active.append([datetime.combine(v, datetime.min.time()) if isinstance(v, date)
                            else clean_text(v) if isinstance(v, str) else v for v in row])
    path = tmp_path / "orders.xlsx"
    book.save(path)
    assert_clean(run("check", "--sales", str(path), "--as-of", "2026-06-30", "--format", "json", "--skip-bad-rows",
                     "--rates", str(SAMPLES / "eurofxref-hist.csv")))


def _valid_xlsx():
    book = Workbook()
    book.active.append(["date", "country", "region", "amount", "currency"])
    book.active.append([datetime(2026, 1, 2), "US", "CO", 10.5, "USD"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


VALID_XLSX = _valid_xlsx()  # made once: each save stamps a new time, and Hypothesis needs the same bytes


@SETTINGS
@given(data=st.data())
def test_mutated_xlsx(tmp_path, data):
    raw = bytearray(VALID_XLSX)
    cut = data.draw(st.integers(0, len(raw)))
    raw = raw[:cut]
    for position, value in data.draw(st.lists(st.tuples(st.integers(0, max(len(raw) - 1, 0)), st.integers(0, 255)),
                                              max_size=8)):
        if raw:
            raw[position] = value
    path = tmp_path / "orders.xlsx"
    path.write_bytes(bytes(raw))
    assert_clean(run("check", "--sales", str(path), "--as-of", "2026-06-30", "--format", "json", "--skip-bad-rows"))


@SETTINGS
@given(rows=st.lists(st.lists(CELLS, max_size=9), max_size=6))
def test_random_presence_files(tmp_path, rows):
    path = tmp_path / "presence.csv"
    path.write_text(csv_text(["kind", "location", "ownership", "dedicated", "function", "since", "until", "note"],
                             rows), encoding="utf-8")
    assert_clean(run("presence", str(path), "--format", "json", "--as-of", "2026-06-30"), json_out=False)


@SETTINGS
@given(rows=st.lists(st.lists(CELLS, max_size=6), max_size=6), listing=st.lists(CELLS, max_size=5))
def test_random_charts_and_provider_lists(tmp_path, rows, listing):
    chart = tmp_path / "coa.csv"
    chart.write_text(csv_text(["Number", "Name", "Type", "Currency", "Parent"], rows), encoding="utf-8")
    provider = tmp_path / "list.txt"
    provider.write_text("\n".join(listing), encoding="utf-8")
    assert_clean(run("accounts", "plan", "--coa", str(chart), "--currencies", str(provider), "--workbook",
                     str(tmp_path / "plan.xlsx"), "--db", str(tmp_path / "s.sqlite3")), json_out=False)


@SETTINGS
@given(body=st.binary(max_size=300) | st.sampled_from([b"Date,USD,\n2026-01-02,1.1,\n", b"<x/>", b"PK\x03\x04junk",
                                                         b"date,currency,per_eur\n2026-01-02,TWD,35\n"]))
def test_random_rates_files(tmp_path, body):
    rates = tmp_path / "rates.csv"
    rates.write_bytes(body)
    orders = tmp_path / "o.csv"
    orders.write_text("date,country,region,amount,currency\n2026-01-02,US,CO,10,JPY\n")
    assert_clean(run("check", "--sales", str(orders), "--rates", str(rates), "--as-of", "2026-06-30",
                     "--format", "json"))


ITEM_HEADERS = st.sampled_from([["sku", "category", "tax_code", "erp_item", "name"], ["sku", "erp_item", "name"],
                                ["ID", "Item Code", "Item Name", "Item Group", "Maintain Stock", "Disabled"],
                                ["Internal Reference", "Name", "Product Type"], ["Internal ID", "Name", "Type"],
                                ["Product/Service Name", "SKU", "Type"], ["*ItemCode", "ItemName"], ["sku"]])


@SETTINGS
@given(products=st.lists(st.lists(CELLS, max_size=6), max_size=6),
       items=st.lists(st.lists(CELLS, max_size=6), max_size=6), header=ITEM_HEADERS,
       skus=st.lists(CELLS, min_size=1, max_size=4))
def test_random_products_and_item_lists(tmp_path, products, items, header, skus):
    """Products files and ERP item lists of junk: products check and check with --products run, or stop in one
    line (a row without a SKU, an unknown category, an item list nexus does not know)."""
    orders = tmp_path / "o.csv"
    orders.write_text(csv_text(["date", "country", "region", "amount", "currency", "sku"],
                               [["2026-01-02", "US", "TX", "10", "USD", sku] for sku in skus]), encoding="utf-8")
    catalogue = tmp_path / "p.csv"
    catalogue.write_text(csv_text(["sku", "category", "tax_code", "erp_item", "name"], products), encoding="utf-8")
    listing = tmp_path / "items.csv"
    listing.write_text(csv_text(header, items), encoding="utf-8")
    assert_clean(run("products", "check", "--sales", str(orders), "--products", str(catalogue), "--erp-items",
                     str(listing), "--as-of", "2026-06-30", "--format", "json"), json_out=False)
    assert_clean(run("check", "--sales", str(orders), "--products", str(catalogue), "--as-of", "2026-06-30",
                     "--format", "json"))
