"""Every file read as Excel shows it, or refused with its place: the command line (issue 25; issue 14 items 9
and 17). The library tests of the same cases are in test_input.py."""
import csv
import io
import json
import os
import re
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from conftest import SAMPLES
from nexus.cli import cli
from test_input import orders_book, rewrite_xlsx, stale_dimension


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def check_json(*args):
    result = run("check", *args, "--format", "json", "--as-of", "2026-03-31")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def findings(data):
    return {f["jurisdiction"]: f for f in data["findings"]}


def one_line_error(result, expected):
    """Exit 2 with one line on stderr, ``Error: `` and then ``expected`` (a regex), and no traceback."""
    assert result.exit_code == 2, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and re.fullmatch("Error: " + expected, lines[0]), result.stderr


# 25.1: a stale <dimension> tag

def test_an_xlsx_with_a_stale_used_range_is_read_to_its_last_row(tmp_path):
    path = stale_dimension(orders_book(tmp_path), tmp_path / "stale.xlsx")
    data, _ = check_json("--sales", path)
    assert data["summary"]["rows_read"] == data["summary"]["rows_used"] == 10


def test_a_presence_workbook_with_a_stale_used_range_lists_every_item(tmp_path):
    book = Workbook()
    book.active.append(["kind", "location"])
    for place in ("US-TX", "US-CA", "DE", "US-WA"):
        book.active.append(["warehouse", place])
    book.save(tmp_path / "p.xlsx")
    result = run("presence", stale_dimension(tmp_path / "p.xlsx", tmp_path / "presence.xlsx"), "--format", "json")
    assert result.exit_code == 0
    assert sorted(v["item"]["location"] for v in json.loads(result.stdout)) == ["DE", "US-CA", "US-TX", "US-WA"]


# 25.2 and 25.3: decimal comma, minor units

def test_decimal_comma_refuses_a_comma_before_a_point(write):
    path = write("o.csv", 'date,country,amount,currency\n2026-01-02,DE,"1,234.56",EUR\n')
    one_line_error(run("check", "--sales", path, "--decimal-comma"),
                   re.escape(f"{path}:2: column 'amount' value '1,234.56': is not an amount under --decimal-comma: "
                             f"a comma comes before a point (1,234.56 is written with a decimal point: leave out "
                             f"--decimal-comma)"))


@pytest.mark.parametrize("cell", ["1234.567", "0.123"])
def test_decimal_comma_refuses_points_that_are_not_groups_of_three(write, cell):
    path = write("o.csv", f"date,country,amount,currency\n2026-01-02,DE,{cell},EUR\n")
    one_line_error(run("check", "--sales", path, "--decimal-comma"),
                   re.escape(f"{path}:2: column 'amount' value '{cell}': is not an amount under --decimal-comma: ")
                   + ".*groups thousands, in threes.*")


def test_yen_with_a_grouping_point_is_refused_and_read_under_decimal_comma(write):
    path = write("o.csv", "date,country,amount,currency\n2026-01-02,JP,1.200,JPY\n")
    one_line_error(run("check", "--sales", path),
                   re.escape(f"{path}:2: column 'amount' value '1.200': has 3 decimal places but JPY has 0: refused "
                             f"rather than rounded; if the point separates thousands, pass --decimal-comma"))
    result = run("check", "--sales", path, "--decimal-comma", "--category", "digital", "--as-of", "2027-07-31",
                 "--format", "json")  # Japan measures digital sales of the first half-year, one year back
    assert findings(json.loads(result.stdout))["JP"]["sales"] == "1200"


# 25.4: ship-to columns win over billing columns

def test_a_sale_shipped_to_texas_is_counted_in_texas(write):
    path = write("o.csv", """
        order_id,date,country,state,ship_country,ship_state,amount,currency
        A1,2026-01-02,US,NY,US,TX,100,USD
        A2,2026-01-03,US,NY,,,40,USD
    """)
    data, _ = check_json("--sales", path, "--category", "goods")  # New York counts goods only
    assert findings(data)["US-TX"]["sales"] == "100.00" and findings(data)["US-NY"]["sales"] == "40.00"
    assert data["summary"]["billing_fallbacks"] == 1
    assert data["summary"]["assumptions"][0] == (f"{path}: places from the ship-to column(s) 'ship_country'/"
                                                 f"'ship_state'; rows where 'ship_country' is empty are placed by "
                                                 f"'country'/'state'")
    table = run("check", "--sales", path, "--as-of", "2026-03-31").stdout
    assert "Read: 1 row(s) had an empty ship-to country and were placed by their billing address" in table


# 25.5: aggregates

def test_aggregates_refunds_written_positive_reduce_sales(write):
    path = write("agg.csv", "date,jurisdiction,currency,channel,category,kind,exempt,amount,rows\n"
                            "2026-01-02,US-TX,USD,direct,goods,sale,no,100,2\n"
                            "2026-01-03,US-TX,USD,direct,goods,refund,no,30,1\n")
    data, _ = check_json("--aggregates", path)
    assert findings(data)["US-TX"]["sales"] == "70.00" and findings(data)["US-TX"]["transactions"] == 2


def test_aggregates_with_a_negative_count_stop_with_its_place(write):
    path = write("agg.csv", "date,jurisdiction,currency,channel,category,kind,exempt,amount,rows\n"
                            "2026-01-02,US-TX,USD,direct,goods,sale,no,100,-2\n")
    one_line_error(run("check", "--aggregates", path),
                   re.escape(f"{path}:2: column 'rows' value '-2': is negative: a count of rows is 0 or more"))


# 25.6: the CSV report

def test_csv_report_writes_a_net_refund_as_a_negative_number(write):
    path = write("o.csv", "date,country,region,amount,currency,kind\n"
                          "2026-01-02,US,TX,50,USD,sale\n2026-01-03,US,TX,100,USD,refund\n")
    result = run("check", "--sales", path, "--format", "csv", "--as-of", "2026-03-01")
    row = next(r for r in csv.DictReader(io.StringIO(result.stdout)) if r["jurisdiction"] == "US-TX")
    assert (row["sales"], row["ratio"], row["transactions"]) == ("-50.00", "-0.0001", "1")


# 25.7: the fast path and dates out of range

def test_fast_path_hands_a_year_zero_to_the_reference_reader_which_names_the_line(write):
    pytest.importorskip("duckdb")
    path = write("o.csv", "order_id,date,country,region,amount,currency\nA1,2026-01-02,US,CA,1,USD\n"
                          "A2,0000-01-01,US,CA,1,USD\n")
    result = run("check", "--sales", path, "--engine", "duckdb")
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert result.stderr.splitlines()[-1] == (f"Error: {path}:3: column 'date' value '0000-01-01': is not a calendar "
                                              f"date: year 0 is outside 1 to 9999")


def test_a_parquet_date_past_year_9999_names_its_file(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    path = tmp_path / "far.parquet"
    with duckdb.connect() as connection:
        connection.execute(f"COPY (SELECT 'A1' AS order_id, DATE '10000-01-01' AS date, 'JP' AS country, 1000 AS "
                           f"amount, 'JPY' AS currency) TO '{path}' (FORMAT parquet)")
    one_line_error(run("check", "--sales", path),
                   re.escape(f"{path}: row 1 (date '10000-01-01', amount '1000') is the first whose date, amount, "
                             f"shipping or tax is empty or not plain") + r".*; Parquet is read only by "
                   r"the fast path, so fix the values or export CSV, which nexus reads row by row and names each bad "
                   r"cell")


# 25.9: delimiters

def test_semicolons_with_decimal_commas_as_excel_writes_them(write):
    path = write("o.csv", 'sep=;\nDatum;Land;Betrag;Währung\n2026-01-02;DE;"1.234,56";EUR\n')
    result = run("check", "--sales", path, "--decimal-comma", "--column", "date=Datum", "--column", "country=Land",
                 "--column", "amount=Betrag", "--column", "currency=Währung", "--as-of", "2026-03-31")
    assert result.exit_code == 0, result.stderr
    assert re.search(r"^DE .* EUR 1,234\.56", result.stdout, re.M)
    assert f"Read: {path}: fields separated by semicolons (from its first line 'sep=;')" in " ".join(
        result.stdout.split())
    plain = write("p.csv", 'date;country;amount;currency\n2026-01-02;DE;"1.234,56";EUR\n')
    data, _ = check_json("--sales", plain, "--decimal-comma")
    assert findings(data)["DE"]["sales"] == "1234.56"
    assert data["summary"]["assumptions"] == [f"{plain}: fields separated by semicolons (from the header)"]


def test_delimiter_option_forces_one_and_refuses_what_it_does_not_know(write):
    path = write("o.txt", "date|country|amount|currency\n2026-01-02|DE|5|EUR\n")
    data, _ = check_json("--sales", path, "--delimiter", "pipe")
    assert findings(data)["DE"]["sales"] == "5.00"
    assert data["summary"]["assumptions"] == [f"{path}: fields separated by pipes (|) (from --delimiter)"]
    result = run("check", "--sales", path, "--delimiter", "colon")
    assert result.exit_code == 2 and "'colon' is not a delimiter nexus reads" in result.stderr


# Messages

@pytest.mark.parametrize("code, iso", [("UK", "GB"), ("EL", "GR")])
def test_uk_and_el_suggest_gb_and_gr(write, code, iso):
    path = write("o.csv", f"date,country,amount,currency\n2026-01-02,{code},1,EUR\n")
    one_line_error(run("check", "--sales", path),
                   re.escape(f"{path}:2: column 'country' value '{code}': is not an ISO 3166-1 alpha-2 country code: "
                             f"use {iso} (") + ".*")


def test_full_width_state_codes_are_read(write):
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,ＴＸ,10,USD\n")
    data, _ = check_json("--sales", path)
    assert findings(data)["US-TX"]["sales"] == "10.00"


def test_parentheses_around_a_currency_mark_are_a_negative(write):
    path = write("o.csv", 'date,country,amount,currency,kind\n2026-01-02,GB,£20.00,GBP,sale\n'
                          '2026-01-03,GB,(£12.00),GBP,refund\n')
    data, _ = check_json("--sales", path)
    assert findings(data)["GB"]["sales"] == "8.00"


def test_a_formula_without_its_value_says_so(tmp_path):
    book = Workbook()
    book.active.append(["date", "country", "amount", "currency"])
    book.active.append([date(2026, 1, 2), "JP", "=1000*2", "JPY"])
    book.save(tmp_path / "o.xlsx")
    one_line_error(run("check", "--sales", tmp_path / "o.xlsx"),
                   re.escape(f"{tmp_path / 'o.xlsx'}:2: column 'amount' value '=1000*2': holds a formula without a "
                             f"saved value: open the file in Excel and save it (Excel saves the values), or export "
                             f"values only"))


def test_kuna_after_the_euro_converts_at_the_fixed_rate_and_says_so(write):
    path = write("o.csv", "date,country,amount,currency\n2026-01-05,HR,753.45,HRK\n")
    data, _ = check_json("--sales", path, "--rates", SAMPLES / "eurofxref-hist.csv")
    hr = findings(data)["HR"]
    assert hr["sales"] == "100.00" and hr["currency"] == "EUR"
    assert hr["conversions"][0]["source"] == ("fixed conversion rate 7.53450 HRK = 1 EUR from 2023-01-01 "
                                              "(data/iso4217-successors.csv)")


def test_a_header_only_file_among_several_is_named(write):
    full = write("a.csv", "date,country,amount,currency\n2026-01-02,JP,1,JPY\n")
    empty = write("b.csv", "date,country,amount,currency\n")
    data, _ = check_json("--sales", full, "--sales", empty)
    assert f"{empty}: has a header but no orders" in data["warnings"]


def test_a_strict_open_xml_workbook_is_one_line_without_a_library_warning(tmp_path):
    def change(name, data):
        return data.replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                            b"http://purl.oclc.org/ooxml/officeDocument/relationships")

    path = rewrite_xlsx(orders_book(tmp_path), tmp_path / "strict.xlsx", change)
    one_line_error(run("check", "--sales", path),
                   re.escape(f"{path}: is a Strict Open XML workbook (ISO/IEC 29500 Strict), which nexus cannot "
                             f"read: open it in Excel and save it as 'Excel Workbook (*.xlsx)', not 'Strict Open XML "
                             f"Spreadsheet'"))


@pytest.mark.parametrize("cell", ["2026-03-01 BC", "2026-03-01T25:00"])
def test_impossible_dates_are_refused(write, cell):
    path = write("o.csv", f"date,country,amount,currency\n{cell},JP,1,JPY\n")
    one_line_error(run("check", "--sales", path),
                   re.escape(f"{path}:2: column 'date' value '{cell}': is not a date in YYYY-MM-DD (or pass "
                             f"--date-format)"))


# Issue 14, item 9: the sheet Excel shows

def test_a_hidden_first_sheet_is_not_read_and_the_check_says_so(tmp_path):
    book = Workbook()
    old = book.active
    old.title = "Old export"
    old.append(["date", "country", "amount", "currency"])
    old.append([date(2025, 1, 2), "JP", 99999999, "JPY"])
    old.sheet_state = "hidden"
    new = book.create_sheet("Orders")
    new.append(["date", "country", "amount", "currency"])
    new.append([date(2026, 1, 2), "JP", 1000, "JPY"])
    book.active = 1
    book.save(tmp_path / "o.xlsx")
    result = run("check", "--sales", tmp_path / "o.xlsx", "--as-of", "2027-07-31", "--category", "digital", "--all")
    assert result.exit_code == 0
    assert re.search(r"^JP .* JPY 1,000 ", result.stdout, re.M)
    assert (f"Warning: {tmp_path / 'o.xlsx'}: hidden sheet 'Old export' not read; sheet 'Orders' read (the one Excel "
            f"shows; pass --sheet NAME to read another)") in " ".join(result.stdout.split())


# Issue 14, item 17: messages that lose their place

def test_a_thirty_digit_amount_names_its_place_and_keeps_its_value(write):
    big = "123456789012345678901234567890"
    path = write("o.csv", f"date,country,amount,currency\n2026-01-02,JP,{big},JPY\n")
    one_line_error(run("check", "--sales", path),
                   re.escape(f"{path}:2: column 'amount' value '{big}': has more than 15 digits before the decimal "
                             f"point: nexus reads amounts below 10^15 (a quadrillion) in any currency"))


def test_a_field_past_the_csv_limit_names_its_line_even_when_skipping_bad_rows(write, monkeypatch):
    from nexus import spreadsheets

    monkeypatch.setattr(spreadsheets, "MAX_CSV_FIELD", 500)
    path = write("o.csv", 'date,country,amount,currency,note\n2026-01-02,JP,1,JPY,"' + "x" * 600 + '"\n')
    one_line_error(run("check", "--sales", path, "--skip-bad-rows"),
                   re.escape(f"{path}:2: has a field longer than 500 characters, nexus's limit, in the row that starts "
                             f"here: a quote left open swallows the lines after it; close it, or export again"))


def test_a_long_field_nexus_does_not_use_is_read(write):
    path = write("o.csv", 'date,country,amount,currency,note\n2026-01-02,JP,1,JPY,"' + "x" * 300_000 + '"\n')
    data, _ = check_json("--sales", path)
    assert data["summary"]["rows_used"] == 1


def test_standard_input_and_pipes_are_named_for_what_they_are(tmp_path):
    one_line_error(run("check", "--sales", "-"),
                   re.escape("-: stands for standard input, which nexus does not read: save the data to a file and "
                             "give its path"))
    fifo = tmp_path / "orders.csv"
    os.mkfifo(fifo)
    one_line_error(run("check", "--sales", fifo),
                   re.escape(f"{fifo}: is not a regular file (a pipe, standard input or a device, read only once): "
                             f"save the data to a file and give its path"))


def test_five_digits_with_a_leading_zero_are_not_a_1900_date(write):
    path = write("o.csv", "date,country,amount,currency\n00001,JP,1,JPY\n")
    one_line_error(run("check", "--sales", path),
                   re.escape(f"{path}:2: column 'date' value '00001': is not a date: a five-digit number starting "
                             f"with 0 would be an Excel serial day in 1900 (pass --date-format if it is a date in "
                             f"another form)"))


@pytest.mark.parametrize("cell, why", [("2026-02-30", "February 2026 has 28 days"),
                                       ("2024-02-30", "February 2024 has 29 days"),
                                       ("2026-13-03", "there is no month 13"), ("2026-04-31", "April 2026 has 30 days")])
def test_a_day_that_does_not_exist_is_named_as_such_not_as_a_bad_form(write, cell, why):
    path = write("o.csv", f"date,country,amount,currency\n{cell},JP,1,JPY\n")
    one_line_error(run("check", "--sales", path),
                   re.escape(f"{path}:2: column 'date' value '{cell}': is not a calendar date: {why}"))


def test_utf16_asked_of_a_file_without_a_byte_order_mark_is_one_line(write):
    # Python's UTF-16 codec raises a bare UnicodeError there, not a UnicodeDecodeError: it was a traceback, exit 1.
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,1,USD\n")
    result = run("check", "--sales", path, "--encoding", "utf-16", "--as-of", "2026-06-30")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}: cannot be read as utf-16: ")
    assert result.stderr.endswith("it looks like utf-8: try --encoding utf-8\n") and result.stderr.count("\n") == 1


def test_an_encoding_whose_errors_carry_no_position_is_one_line(write):
    # punycode, like UTF-16 without a mark, raises a bare UnicodeError: finding the bad bytes raised it again.
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,1,USD\n")
    result = run("check", "--sales", path, "--encoding", "punycode", "--as-of", "2026-06-30")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {path}: cannot be read as punycode: line 1, byte 1 (64 61 74 65) is not valid; "
                             f"it looks like utf-8: try --encoding utf-8\n")


@pytest.mark.parametrize("day", ["9999-12-31", "9999-01-01", "1899-12-31"])
def test_an_as_of_date_outside_the_calendar_nexus_works_with_is_a_usage_error(tmp_path, day):
    """--as-of 9999-12-31 ran out of calendar (OverflowError, a traceback, exit 1); 9990 ran for minutes."""
    orders = tmp_path / "o.csv"
    orders.write_text("date,order_id,country,region,amount,currency\n2025-01-02,A1,US,TX,10,USD\n")
    result = CliRunner().invoke(cli, ["check", "--sales", str(orders), "--as-of", day])
    assert result.exit_code == 2 and "is outside the dates nexus works with" in result.stderr


def test_a_currency_option_iso_does_not_know_is_a_usage_error_not_the_files(tmp_path):
    """--currency XYZ was blamed on the file: "nocur.csv:2: column 'currency' value '': is not an ISO 4217
    currency code"; a withdrawn code (HRK, for old orders) is still taken."""
    orders = tmp_path / "nocur.csv"
    orders.write_text("date,order_id,country,region,amount\n2025-01-02,A1,US,TX,10\n")
    result = CliRunner().invoke(cli, ["check", "--sales", str(orders), "--currency", "XYZ", "--as-of", "2025-03-01"])
    assert result.exit_code == 2 and "Invalid value for '--currency': 'XYZ' is not an ISO 4217" in result.stderr
    kept = CliRunner().invoke(cli, ["check", "--sales", str(orders), "--currency", "hrk", "--as-of", "2025-03-01",
                                    "--rates", str(SAMPLES / "eurofxref-hist.csv"),
                                    "--db", str(tmp_path / "store.sqlite3")])
    assert kept.exit_code == 0, kept.output
