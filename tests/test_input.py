"""Every file read as Excel shows it, or refused with its place (issue 25; issue 14 items 9 and 17).

Library tests: each builds the file it reads next to the assertion. The same cases through the command
line are in test_cli_input.py.
"""
import os
import re
import zipfile
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from nexus.errors import BadAmount, BadDate, InputError, UnknownCode
from nexus.read_options import ReadOptions
from nexus.sales import read_sales
from nexus.spreadsheets import read_rows


def totals_by_place(ledger):
    found = {}
    for key, (amount, _count) in ledger.totals.items():
        found[key[0]] = found.get(key[0], Decimal(0)) + amount
    return found


def rewrite_xlsx(path: Path, target: Path, change) -> Path:
    """A copy of the workbook with change(name, bytes) applied to each part, as another writer would make it."""
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            out.writestr(item.filename, change(item.filename, source.read(item.filename)))
    return target


def orders_book(tmp_path: Path, rows: int = 10, name: str = "orders.xlsx") -> Path:
    book = Workbook()
    sheet = book.active
    sheet.title = "Orders"
    sheet.append(["date", "country", "amount", "currency"])
    for i in range(rows):
        sheet.append([date(2026, 1, 1 + i), "JP", 1000, "JPY"])
    book.save(tmp_path / name)
    return tmp_path / name


def stale_dimension(path: Path, target: Path) -> Path:
    """The workbook with its sheet's stored used range (<dimension>) cut to two rows."""
    def change(name, data):
        if name.startswith("xl/worksheets/sheet"):
            data, count = re.subn(rb'<dimension ref="[A-Z]+\d+:[A-Z]+\d+"\s*/>', b'<dimension ref="A1:D2"/>', data)
            assert count == 1
        return data
    return rewrite_xlsx(path, target, change)


# 25.1: a stale <dimension> tag

def test_every_row_of_an_xlsx_is_read_whatever_its_stored_used_range_says(tmp_path):
    path = stale_dimension(orders_book(tmp_path), tmp_path / "stale.xlsx")
    ledger = read_sales([str(path)])
    assert ledger.rows_read == 10 and totals_by_place(ledger) == {"JP": Decimal(10000)}


def test_presence_and_chart_workbooks_are_read_to_their_last_row_too(tmp_path):
    from nexus.chart import read_chart
    from nexus.presence import read_presence

    book = Workbook()
    book.active.append(["kind", "location", "since"])
    for place in ("US-TX", "US-CA", "DE", "JP"):
        book.active.append(["warehouse", place, "2024-01-01"])
    book.save(tmp_path / "p.xlsx")
    presence = read_presence(str(stale_dimension(tmp_path / "p.xlsx", tmp_path / "presence.xlsx")))
    assert [item.location for item in presence] == ["US-TX", "US-CA", "DE", "JP"]
    book = Workbook()
    book.active.append(["Number", "Name", "Type", "Currency"])
    for number in ("1000", "1010", "2000", "2100"):
        book.active.append([number, f"Account {number}", "Bank", "USD"])
    book.save(tmp_path / "c.xlsx")
    chart = read_chart(str(stale_dimension(tmp_path / "c.xlsx", tmp_path / "chart.xlsx")))
    assert [a.number for a in chart] == ["1000", "1010", "2000", "2100"]


# 25.2 and 25.3: decimal comma, minor units

@pytest.mark.parametrize("cell, expected", [
    ("1.234,56", Decimal("1234.56")), ("1.234", Decimal("1234")), ("1.234.567,8", Decimal("1234567.8")),
    ("7,5", Decimal("7.5")), ("0,99", Decimal("0.99")), ("1 234,56", Decimal("1234.56")), ("-1.000", Decimal(-1000)),
])
def test_decimal_comma_reads_points_only_as_groups_of_three(write, cell, expected):
    path = write("o.csv", f'date,country,amount,currency\n2026-01-02,DE,"{cell}",EUR\n')
    assert sum(totals_by_place(read_sales([path], ReadOptions(decimal_comma=True))).values()) == expected


@pytest.mark.parametrize("cell, problem", [
    ("1,234.56", "a comma comes before a point"),
    ("1234.567", "a point only groups thousands, in threes"),
    ("0.123", "a point only groups thousands, in threes"),
    ("1.23.456", "a point only groups thousands, in threes"),
    ("12.50", "has a decimal point but --decimal-comma was given"),
])
def test_decimal_comma_refuses_what_it_would_misread_with_its_place(write, cell, problem):
    path = write("o.csv", f'date,country,amount,currency\n2026-01-02,DE,1,EUR\n2026-01-03,DE,"{cell}",EUR\n')
    with pytest.raises(BadAmount) as caught:
        read_sales([path], ReadOptions(decimal_comma=True))
    assert str(caught.value).startswith(f"{path}:3: column 'amount' value '{cell}': ")
    assert problem in str(caught.value)


@pytest.mark.parametrize("cell, currency", [("1.200", "JPY"), ("15.000", "KRW"), ("1.2", "JPY"), ("12.340", "USD"),
                                            ("12.345", "EUR"), ("1.000", "JPY")])
def test_more_decimals_than_the_currency_has_are_refused_not_rounded(write, cell, currency):
    path = write("o.csv", f"date,country,amount,currency\n2026-01-02,JP,{cell},{currency}\n")
    with pytest.raises(BadAmount, match=rf":2: column 'amount' value '{re.escape(cell)}': has \d decimal places but "
                                        rf"{currency} has \d: refused rather than rounded"):
        read_sales([path])


@pytest.mark.parametrize("column", ["shipping", "tax"])
def test_shipping_and_tax_are_held_to_the_minor_unit_as_the_amount_is(write, column):
    path = write("o.csv", f"date,country,amount,currency,{column}\n2026-01-02,JP,12000,JPY,1.500\n")
    with pytest.raises(BadAmount, match=rf":2: column '{column}' value '1.500': has 3 decimal places but JPY has 0"):
        read_sales([path])
    assert read_sales([write("p.csv", f"date,country,amount,currency,{column}\n2026-01-02,JP,12000,JPY,1500.00\n")])


@pytest.mark.parametrize("cell, currency, expected", [
    ("1200.00", "JPY", Decimal(1200)), ("12.3400", "USD", Decimal("12.34")), ("1.250", "BHD", Decimal("1.25")),
])
def test_trailing_zeros_that_cannot_be_a_thousands_group_are_read(write, cell, currency, expected):
    path = write("o.csv", f"date,country,amount,currency\n2026-01-02,JP,{cell},{currency}\n")
    assert sum(totals_by_place(read_sales([path])).values()) == expected


def test_a_point_grouping_yen_is_read_as_grouping_under_decimal_comma(write):
    path = write("o.csv", "date,country,amount,currency\n2026-01-02,JP,1.200,JPY\n2026-01-02,KR,15.000,KRW\n")
    ledger = read_sales([path], ReadOptions(decimal_comma=True))
    assert totals_by_place(ledger) == {"JP": Decimal(1200), "KR": Decimal(15000)}


def test_xlsx_numbers_are_not_held_to_the_minor_unit(tmp_path):
    """A number stored as a number has no separator to misread: 1234.5 yen computed in a sheet is read."""
    book = Workbook()
    book.active.append(["date", "country", "amount", "currency"])
    book.active.append([date(2026, 1, 2), "JP", 1234.5, "JPY"])
    book.save(tmp_path / "o.xlsx")
    assert totals_by_place(read_sales([str(tmp_path / "o.xlsx")])) == {"JP": Decimal("1234.5")}


# 25.4: ship-to columns win over billing columns

def test_ship_to_columns_win_and_billing_fills_only_empty_ship_to_places(write):
    path = write("o.csv", """
        order_id,date,country,state,ship_country,ship_state,amount,currency
        A1,2026-01-02,US,NY,US,TX,100,USD
        A2,2026-01-03,US,NY,,,40,USD
        A3,2026-01-04,US,CA,US,WA,7,USD
    """)
    ledger = read_sales([path])
    assert totals_by_place(ledger) == {"US-TX": Decimal(100), "US-NY": Decimal(40), "US-WA": Decimal(7)}
    assert ledger.billing_fallbacks == 1
    assert f"{path}: places from the ship-to column(s) 'ship_country'/'ship_state'; rows where 'ship_country' is " \
           f"empty are placed by 'country'/'state'" in ledger.assumptions
    assert "1 row(s) had an empty ship-to country and were placed by their billing address" in ledger.assumptions


def test_a_bad_billing_place_is_named_under_its_own_column(write):
    path = write("o.csv", "date,billing_country,billing_state,shipping_country,shipping_state,amount,currency\n"
                          "2026-01-02,US,ZZ,,,10,USD\n")
    with pytest.raises(UnknownCode, match=r":2: column 'billing_region' value 'ZZ': is not a US subdivision code"):
        read_sales([path])


def test_two_candidate_columns_for_one_field_are_both_named(write):
    path = write("o.csv", "date,country,total,net,currency\n2026-01-02,JP,1100,1000,JPY\n")
    ledger = read_sales([path])
    assert totals_by_place(ledger) == {"JP": Decimal(1100)}
    assert ledger.assumptions == [f"{path}: amount read from column 'total'; 'net' also matches and was not read "
                                  f"(choose with --column amount=HEADER)"]


def test_billing_only_files_are_read_and_said_to_be_billing(write):
    path = write("o.csv", "date,billing_country,amount,currency\n2026-01-02,JP,1000,JPY\n")
    ledger = read_sales([path])
    assert totals_by_place(ledger) == {"JP": Decimal(1000)}
    assert "the file has no ship-to column" in ledger.assumptions[0]


# 25.5: aggregates

def aggregates(write, *rows):
    return write("agg.csv", "date,jurisdiction,currency,channel,category,kind,exempt,amount,rows\n" + "".join(
        f"{r}\n" for r in rows))


def test_aggregates_refunds_reduce_sales_whatever_their_sign(write):
    from nexus.aggregates import read_aggregates

    ledger = read_aggregates([aggregates(write, "2026-01-02,US-TX,USD,direct,goods,sale,no,100,2",
                                         "2026-01-02,US-TX,USD,direct,goods,refund,no,30,1",
                                         "2026-01-03,US-TX,USD,direct,goods,chargeback,no,-5,1",
                                         "2026-01-03,US-TX,USD,direct,goods,sale,no,-10,1")])
    assert totals_by_place(ledger) == {"US-TX": Decimal(55)}
    assert sum(count for _amount, count in ledger.totals.values()) == 2  # the negative sale is a refund


@pytest.mark.parametrize("rows, problem", [("-1", "is negative: a count of rows is 0 or more"),
                                           ("2.5", "is not a count of rows"), ("", "is not a count of rows")])
def test_aggregates_counts_are_whole_numbers_from_zero(write, rows, problem):
    from nexus.aggregates import read_aggregates

    path = aggregates(write, "2026-01-02,US-TX,USD,direct,goods,sale,no,100,2",
                      f"2026-01-02,US-CA,USD,direct,goods,sale,no,100,{rows}")
    with pytest.raises(InputError, match=rf"agg.csv:3: column 'rows' value '{re.escape(rows)}': {problem}"):
        read_aggregates([path])


# 25.6: the CSV report

def test_csv_report_keeps_computed_negative_figures_as_numbers(write):
    import csv
    import io

    from nexus.check import check
    from nexus.report_csv import to_csv
    from nexus.rules import load_rules

    path = write("o.csv", "date,country,region,amount,currency,kind\n"
                          "2026-01-02,US,TX,50,USD,sale\n2026-01-03,US,TX,100,USD,refund\n")
    result = check(read_sales([path]), load_rules(), date(2026, 3, 1))
    row = next(r for r in csv.DictReader(io.StringIO(to_csv(result))) if r["jurisdiction"] == "US-TX")
    assert row["sales"] == "-50.00" and row["ratio"] == "-0.0001"


# 25.7: the fast path and dates out of range

def test_fast_path_hands_a_csv_with_year_zero_to_the_reference_which_names_the_line(write):
    from nexus.own_layout_fast import read_sales_fast
    from nexus.plain_input import NotPlain

    path = write("o.csv", "order_id,date,country,region,amount,currency\nA1,2026-01-02,US,CA,1,USD\n"
                          "A2,0000-01-01,US,CA,1,USD\n")
    with pytest.raises(NotPlain, match=rf"^{re.escape(path)}: some dates or amounts"):
        read_sales_fast([path], ReadOptions())
    with pytest.raises(BadDate, match=r"o.csv:3: column 'date' value '0000-01-01'"):
        read_sales([path])


def test_fast_path_names_the_parquet_file_with_a_date_past_year_9999(tmp_path):
    duckdb = pytest.importorskip("duckdb")
    from nexus.own_layout_fast import read_sales_fast
    from nexus.plain_input import NotPlain

    good, bad = tmp_path / "good.parquet", tmp_path / "far.parquet"
    with duckdb.connect() as connection:
        for path, day in ((good, "2026-01-02"), (bad, "10000-01-01")):
            connection.execute(f"COPY (SELECT 'A' || '{path.stem}' AS order_id, DATE '{day}' AS date, 'JP' AS country, "
                               f"1000 AS amount, 'JPY' AS currency) TO '{path}' (FORMAT parquet)")
    with pytest.raises(NotPlain) as caught:
        read_sales_fast([str(good), str(bad)], ReadOptions())
    assert caught.value.path == str(bad) and str(caught.value).startswith(f"{bad}: some dates")


# 25.9: delimiters

@pytest.mark.parametrize("text, options, note", [
    ("date;country;amount;currency\n2026-01-02;DE;1.234,56;EUR\n", {"decimal_comma": True},
     "fields separated by semicolons (from the header)"),
    ('sep=;\ndate;country;amount;currency\n2026-01-02;DE;"1.234,56";EUR\n', {"decimal_comma": True},
     "fields separated by semicolons (from its first line 'sep=;')"),
    ("date|country|amount|currency\n2026-01-02|DE|1234.56|EUR\n", {}, "fields separated by pipes (|)"),
    ("date\tcountry\tamount\tcurrency\n2026-01-02\tDE\t1234.56\tEUR\n", {}, "fields separated by tabs"),
    ("date;country;amount;currency\n2026-01-02;DE;1234.56;EUR\n", {"delimiter": ";"},
     "fields separated by semicolons (from --delimiter)"),
])
def test_the_delimiter_is_found_and_said(write, text, options, note):
    path = write("o.csv", text)
    ledger = read_sales([path], ReadOptions(**options))
    assert totals_by_place(ledger) == {"DE": Decimal("1234.56")}
    assert any(a.startswith(f"{path}: {note}") for a in ledger.assumptions), ledger.assumptions


def test_line_numbers_count_the_sep_line(write):
    path = write("o.csv", "sep=;\ndate;country;amount;currency\n2026-01-02;DE;1;EUR\n2026-01-03;DE;x;EUR\n")
    with pytest.raises(BadAmount, match=r"o.csv:4: column 'amount' value 'x'"):
        read_sales([path])


def test_a_comma_file_says_nothing_about_its_delimiter(write):
    path = write("o.csv", "date,country,amount,currency\n2026-01-02,DE,1,EUR\n")
    assert read_sales([path]).assumptions == []


def test_the_fast_path_reads_semicolons_and_sep_lines_as_the_reference(write):
    from nexus.own_layout_fast import read_sales_fast

    for name, text in (("semi.csv", "order_id;date;country;region;amount;currency\nA1;2026-01-02;US;CA;10.50;USD\n"
                                    "A2;2026-01-03;DE;;5;EUR\n"),
                       ("sep.csv", "sep=;\norder_id;date;country;region;amount;currency\n"
                                   "B1;2026-01-02;JP;;1500;JPY\n")):
        path = write(name, text)
        fast, ref = read_sales_fast([path], ReadOptions()), read_sales([path])
        assert fast.totals == ref.totals and fast.summary() == ref.summary()
        assert fast.assumptions == ref.assumptions and fast.assumptions


def test_puerto_rico_written_as_a_country_or_as_a_us_region_is_one_place(write):
    """Shopify writes a Puerto Rico address with country PR, a US address form with US and region PR: they were two
    places (PR, US-PR), each measured apart; both are US-PR, the code the registrations file and the presence
    rules use, by the reference reader and the fast path alike."""
    from nexus.own_layout_fast import read_sales_fast

    path = write("o.csv", """
        order_id,date,country,region,amount,currency
        A1,2026-01-02,PR,,100,USD
        A2,2026-01-03,US,PR,40,USD
        A3,2026-01-03,pr,,2,USD
    """)
    fast, ref = read_sales_fast([path], ReadOptions()), read_sales([path])
    assert totals_by_place(ref) == {"US-PR": Decimal(142)}
    assert fast.totals == ref.totals


def test_the_fast_path_places_by_ship_to_and_counts_billing_fallbacks_as_the_reference(write):
    from nexus.own_layout_fast import read_sales_fast

    path = write("o.csv", """
        order_id,date,billing_country,billing_state,ship_country,ship_state,amount,currency
        A1,2026-01-02,US,NY,US,TX,100,USD
        A2,2026-01-03,US,NY,,,40,USD
        A3,2026-01-03,US,CA,,,2,USD
        A4,2026-01-04,US,CA,US,WA,7,USD
    """)
    fast, ref = read_sales_fast([path], ReadOptions()), read_sales([path])
    assert fast.totals == ref.totals and totals_by_place(ref)["US-TX"] == Decimal(100)
    assert fast.billing_fallbacks == ref.billing_fallbacks == 2
    assert fast.assumptions == ref.assumptions


@pytest.mark.parametrize("cell", ["1.2", "1.000", "12.5"])
def test_the_fast_path_hands_over_amounts_with_more_decimals_than_their_currency(write, cell):
    from nexus.own_layout_fast import read_sales_fast
    from nexus.plain_input import NotPlain

    path = write("o.csv", f"order_id,date,country,region,amount,currency\nA1,2026-01-02,US,CA,1.25,USD\n"
                          f"A2,2026-01-02,JP,,{cell},JPY\n")
    with pytest.raises(NotPlain, match="an amount in JPY has more decimal places than JPY has"):
        read_sales_fast([path], ReadOptions())
    with pytest.raises(BadAmount, match=":3: column 'amount'"):
        read_sales([path])


#: Amounts as written, with every count of places up to ten, trailing zeros or not, signs and thousands separators.
WRITTEN = ["7", "-7", "1,234", "0.5", "0.50", "1.20", "1.25", "-1.00", "1.000", "1.500", "1.250", "1.255", "1,234.567",
           "0.0000", "0.1230", "0.12345", "12.340000", "1.2345670", "0.000000001", "9.1234567890", "100.00", "100.0"]


def test_the_fast_path_refuses_the_decimals_the_reference_reader_refuses_alone_and_together():
    """The fast path tells each spelling's decimals from a bit mask summed over its rows (BIT_OR): for each
    amount, and each pair of amounts in one currency, it refuses exactly where the reference reader refuses one."""
    import duckdb

    from nexus.own_layout_fast import _amount, _refuses_decimals
    from nexus.money import parse_amount

    def refused(text: str, code: str) -> bool:
        try:
            parse_amount(text, None, False, code)  # the reference reader's own judgement
        except BadAmount:
            return True
        return False

    mask = _amount('"a"', "VARCHAR", "o.csv")[3]
    values = ", ".join(f"('{t}')" for t in WRITTEN)
    masks = dict(duckdb.sql(f"SELECT a, {mask} FROM (VALUES {values}) v(a)").fetchall())
    for code in ("JPY", "USD", "BHD", "CLF"):  # no minor unit, two, three, four
        for one in WRITTEN:
            for other in WRITTEN:
                assert _refuses_decimals(masks[one] | masks[other], code) == (refused(one, code)
                                                                              or refused(other, code)), (one, other)


# Messages: codes, parentheses, formulas, Strict Open XML, dates

@pytest.mark.parametrize("code, hint", [("UK", "use GB (UK is reserved by ISO 3166 for the United Kingdom"),
                                        ("EL", "use GR (EL is the European Union's code for Greece")])
def test_common_non_iso_country_codes_suggest_the_iso_code(write, code, hint):
    path = write("o.csv", f"date,country,amount,currency\n2026-01-02,{code},1,EUR\n")
    with pytest.raises(UnknownCode, match=re.escape(f"value '{code}': is not an ISO 3166-1 alpha-2 country code: "
                                                    f"{hint}")):
        read_sales([path])


def test_full_width_codes_read_as_their_letters(write):
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-02,ＵＳ,ＴＸ,1,ＵＳＤ\n")
    assert totals_by_place(read_sales([path])) == {"US-TX": Decimal(1)}


def test_a_currency_mark_inside_parentheses_is_read(write):
    path = write("o.csv", 'date,country,amount,currency\n2026-01-02,GB,"($12.00)",USD\n'
                          '2026-01-02,JP,(¥1200),JPY\n')
    assert totals_by_place(read_sales([path])) == {"GB": Decimal("-12.00"), "JP": Decimal(-1200)}


def test_a_formula_without_a_saved_value_is_named_as_such(tmp_path):
    book = Workbook()
    book.active.append(["date", "country", "amount", "currency", "note"])
    book.active.append([date(2026, 1, 2), "JP", 1000, "JPY", "=A1&B1"])  # a formula nexus does not read
    book.active.append([date(2026, 1, 3), "JP", "=C2*2", "JPY", ""])
    book.save(tmp_path / "o.xlsx")  # openpyxl saves formulas without values, as many programs do
    with pytest.raises(InputError) as caught:
        read_sales([str(tmp_path / "o.xlsx")])
    assert str(caught.value) == (f"{tmp_path / 'o.xlsx'}:3: column 'amount' value '=C2*2': holds a formula without "
                                 f"a saved value: open the file in Excel and save it (Excel saves the values), or "
                                 f"export values only")


def test_a_strict_open_xml_workbook_is_refused_saying_what_it_is(tmp_path):
    strict = {b"http://schemas.openxmlformats.org/spreadsheetml/2006/main":
              b"http://purl.oclc.org/ooxml/spreadsheetml/main",
              b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
              b"http://purl.oclc.org/ooxml/officeDocument/relationships"}

    def change(name, data):
        for old, new in strict.items():
            data = data.replace(old, new)
        return data

    path = rewrite_xlsx(orders_book(tmp_path), tmp_path / "strict.xlsx", change)
    with pytest.raises(InputError, match=r"strict.xlsx: is a Strict Open XML workbook .* save it as 'Excel Workbook "
                                         r"\(\*.xlsx\)', not 'Strict Open XML Spreadsheet'"):
        read_sales([str(path)])


@pytest.mark.parametrize("cell", ["2026-03-01 BC", "2026-03-01T25:00", "2026-03-01 10:61", "2026-03-01junk",
                                  "00001", "01234"])
def test_dates_with_impossible_tails_or_leading_zeros_are_refused(write, cell):
    path = write("o.csv", f"date,country,amount,currency\n{cell},JP,1,JPY\n")
    with pytest.raises(BadDate, match=rf"o.csv:2: column 'date' value '{cell}': is not a date"):
        read_sales([path])


@pytest.mark.parametrize("cell, day", [("2026-03-01T23:59:59.123+09:00", date(2026, 3, 1)),
                                       ("2026-03-01 10:00:00 -0500", date(2026, 3, 1)),
                                       ("2026-03-01 10:00 UTC", date(2026, 3, 1)), ("2026-03-01Z", None),
                                       ("46024", date(2026, 1, 2))])
def test_dates_with_real_times_still_read(write, cell, day):
    path = write("o.csv", f"date,country,amount,currency\n{cell},JP,1,JPY\n")
    if day is None:
        with pytest.raises(BadDate):
            read_sales([path])
    else:
        assert read_sales([path]).first_day == day


# Issue 14, item 9: the sheet Excel shows

def test_a_hidden_first_sheet_is_passed_over_and_named(tmp_path):
    book = Workbook()
    old = book.active
    old.title = "Old export"
    old.append(["date", "country", "amount", "currency"])
    old.append([date(2025, 1, 2), "JP", 999999, "JPY"])
    old.sheet_state = "hidden"
    orders = book.create_sheet("Orders")
    orders.append(["date", "country", "amount", "currency"])
    orders.append([date(2026, 1, 2), "JP", 1000, "JPY"])
    book.active = 1
    book.save(tmp_path / "o.xlsx")
    ledger = read_sales([str(tmp_path / "o.xlsx")])
    assert totals_by_place(ledger) == {"JP": Decimal(1000)}
    assert ledger.warnings == [f"{tmp_path / 'o.xlsx'}: hidden sheet 'Old export' not read; sheet 'Orders' read (the "
                               f"one Excel shows; pass --sheet NAME to read another)"]
    assert totals_by_place(read_sales([str(tmp_path / "o.xlsx")], ReadOptions(sheet="Old export"))) == \
        {"JP": Decimal(999999)}


def test_the_active_sheet_is_read_and_the_others_named(tmp_path):
    book = Workbook()
    book.active.title = "Notes"
    book.active.append(["read me"])
    orders = book.create_sheet("Orders")
    orders.append(["date", "country", "amount", "currency"])
    orders.append([date(2026, 1, 2), "JP", 1000, "JPY"])
    book.active = 1
    book.save(tmp_path / "o.xlsx")
    ledger = read_sales([str(tmp_path / "o.xlsx")])
    assert ledger.rows_used == 1 and ledger.warnings == []
    assert ledger.assumptions == [f"{tmp_path / 'o.xlsx'}: sheet 'Orders' read (the active sheet); not read: 'Notes' "
                                  f"(pass --sheet NAME to read another)"]


def test_a_hidden_active_sheet_falls_back_to_the_first_visible_one(tmp_path):
    book = Workbook()
    book.active.title = "Old"
    book.active.append(["date", "country", "amount", "currency"])
    book.active.append([date(2025, 1, 2), "JP", 5, "JPY"])
    book.active.sheet_state = "hidden"
    orders = book.create_sheet("Orders")
    orders.append(["date", "country", "amount", "currency"])
    orders.append([date(2026, 1, 2), "JP", 1000, "JPY"])
    book.save(tmp_path / "o.xlsx")
    # openpyxl moves the active tab off a hidden sheet when it saves; another writer may not
    path = rewrite_xlsx(tmp_path / "o.xlsx", tmp_path / "active-hidden.xlsx", lambda name, data: re.sub(
        rb'activeTab="\d+"', b'activeTab="0"', data) if name == "xl/workbook.xml" else data)
    assert b'activeTab="0"' in zipfile.ZipFile(path).read("xl/workbook.xml")
    assert totals_by_place(read_sales([str(path)])) == {"JP": Decimal(1000)}


# Issue 14, item 17: messages that lose their place

def test_a_thirty_digit_amount_is_refused_with_its_place_and_value_as_written(write):
    big = "1" * 30
    path = write("o.csv", f"date,country,amount,currency\n2026-01-02,JP,1,JPY\n2026-01-02,JP,{big},JPY\n")
    with pytest.raises(BadAmount) as caught:
        read_sales([path])
    assert str(caught.value) == (f"{path}:3: column 'amount' value '{big}': has more than 15 digits before the "
                                 f"decimal point: nexus reads amounts below 10^15 (a quadrillion) in any currency")


def test_a_long_field_in_an_unused_column_is_read(write):
    note = "x" * 200_000  # past Python's csv limit of 131,072
    path = write("o.csv", f'date,country,amount,currency,note\n2026-01-02,JP,1,JPY,"{note}"\n')
    assert read_sales([path], ReadOptions(skip_bad_rows=True)).rows_used == 1


def test_a_field_past_the_limit_names_the_line_where_it_starts(write, monkeypatch):
    from nexus import spreadsheets

    monkeypatch.setattr(spreadsheets, "MAX_CSV_FIELD", 1000)
    path = write("o.csv", 'date,country,amount,currency,note\n2026-01-02,JP,1,JPY,ok\n'
                          '2026-01-03,JP,1,JPY,"an open quote\n' + "more text\n" * 200)
    with pytest.raises(InputError, match=r"o.csv:3: has a field longer than 1,000 characters, nexus's limit, in the "
                                         r"row that starts here: a quote left open"):
        read_sales([path], ReadOptions(skip_bad_rows=True))


def test_standard_input_pipes_and_folders_are_named_for_what_they_are(tmp_path):
    fifo = tmp_path / "orders.csv"
    os.mkfifo(fifo)
    with pytest.raises(InputError, match=rf"^{re.escape(str(fifo))}: is not a regular file \(a pipe, standard input "
                                         r"or a device, read only once\): save the data to a file"):
        read_sales([str(fifo)])
    with pytest.raises(InputError, match=r"^-: stands for standard input, which nexus does not read"):
        read_sales(["-"])
    with pytest.raises(InputError, match=r"is a folder, not a file"):
        read_rows(str(tmp_path))
    with pytest.raises(InputError, match=r"no such file"):
        read_sales([str(tmp_path / "missing.csv")])


def test_a_header_only_file_among_several_is_said_to_have_no_orders(write):
    full = write("a.csv", "date,country,amount,currency\n2026-01-02,JP,1,JPY\n")
    empty = write("b.csv", "date,country,amount,currency\n")
    assert read_sales([full, empty]).warnings == [f"{empty}: has a header but no orders"]


# HRK and BGN after the euro

def test_currencies_replaced_by_the_euro_convert_at_their_fixed_rates():
    from nexus.fx import Rates, RateTable

    table = RateTable("ecb")
    table.add(date(2026, 3, 2), "USD", Decimal("1.1"))
    rates = Rates([table])
    assert rates.convert(Decimal("753.45"), "HRK", "EUR", date(2026, 3, 2)) == Decimal(100)
    assert rates.convert(Decimal("195.583"), "BGN", "USD", date(2026, 3, 2)) == Decimal(110)
    assert rates.rate("BGN", date(2026, 3, 2))[2] == ("fixed conversion rate 1.95583 BGN = 1 EUR from 2026-01-01 "
                                                      "(data/iso4217-successors.csv)")


OPEN_QUOTE = ("date,order_id,country,region,amount,currency,note\n"
              '2025-01-02,A1,US,TX,10.00,USD,"Gift wrap\n'
              "2025-01-02,A2,US,TX,5.00,USD,\n"
              "2025-01-03,A3,US,TX,7.00,USD,\n")


@pytest.mark.parametrize("tail, closed", [("2025-01-04,A4,US,TX,3.00,USD,\"rush\"\n", True), ("", False)])
def test_a_quote_left_open_is_an_error_naming_its_row_not_rows_swallowed(tmp_path, tail, closed):
    """A note that opens a quote it never closes ran on through the rows after it, up to the next quote (or the
    end of the file): orders A2 and A3 (and A4) were neither counted nor listed, and the check ran (rows read 2
    of 5). A quote closed in the middle of a field, or never, is now an error naming the row it starts in."""
    path = tmp_path / "orders.csv"
    path.write_text(OPEN_QUOTE + tail + "2025-01-05,A5,US,TX,1.00,USD,\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"orders.csv:2: has a quote that opens a field in the row that starts here "
                                         r"and is not closed where the field ends"):
        read_sales([str(path)])
    from nexus.own_layout_fast import read_sales_fast
    from nexus.plain_input import NotPlain
    with pytest.raises((InputError, NotPlain)):  # DuckDB hands the file over, or refuses it itself
        read_sales_fast([str(path)], ReadOptions())


def test_a_quoted_note_over_two_lines_and_an_inch_mark_are_read(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_text("date,order_id,country,region,amount,currency,note\n"
                    '2025-01-02,A1,US,TX,10.00,USD,"Gift\nwrap"\n'
                    '2025-01-02,A2,US,TX,5.00,USD,5" box\n', encoding="utf-8")
    ledger = read_sales([str(path)])
    assert ledger.rows_read == 2 and sum(t[0] for days in ledger.series.values() for t in days.values()) == 15


def test_a_column_name_over_two_lines_is_read_whole_on_either_engine(tmp_path):
    """A header cell with a line break ('Amount' Alt+Enter '(incl. tax)'): the DuckDB path read the header from its
    first line only, where the cell ends 'Amount', and counted the tax-inclusive column (162.38) where nexus's own
    reader, reading the whole header, counts 'net' (150.00)."""
    from nexus.own_layout_fast import read_sales_fast
    from nexus.plain_input import NotPlain

    path = tmp_path / "orders.csv"
    path.write_text('date,order_id,country,region,currency,net,"Amount\n(incl. tax)"\n'
                    "2025-01-02,A1,US,TX,USD,100.00,108.25\n2025-01-03,A2,US,TX,USD,50.00,54.13\n", encoding="utf-8")
    assert sum(t[0] for days in read_sales([str(path)]).series.values() for t in days.values()) == Decimal("150.00")
    with pytest.raises(NotPlain, match="a column name in its header runs over two lines"):
        read_sales_fast([str(path)], ReadOptions())


@pytest.mark.parametrize("serial", [0, 0.5, -1])
def test_a_workbook_date_of_zero_or_below_is_an_error_naming_the_cell(tmp_path, serial):
    """A date cell holding 0 (a lookup that found nothing) became a time of day and stopped the check with a
    traceback (exit 1); -1 was read as a sale on 1899-12-29."""
    book = Workbook()
    book.active.append(["date", "order_id", "country", "region", "amount", "currency"])
    book.active.append([serial, "A1", "US", "TX", 10, "USD"])
    book.save(tmp_path / "orders.xlsx")
    with pytest.raises(BadDate, match=r"orders.xlsx:2: column 'date' value '-?0?\.?[0-9]*': is not a date"):
        read_sales([str(tmp_path / "orders.xlsx")])


def test_a_workbook_row_of_formulas_without_saved_values_is_named_not_passed_over(tmp_path):
    """Rows whose cells are all formulas without saved values (a workbook written by a program) read as blank
    rows and were passed over: 'has a header but no orders', or among other rows one fewer row read."""
    book = Workbook()
    sheet, raw = book.active, book.create_sheet("Raw")
    for each in (sheet, raw):
        each.append(["date", "order_id", "country", "region", "amount", "currency"])
    raw.append(["2026-01-02", "A1", "US", "TX", 10, "USD"])
    sheet.append(["2026-01-01", "A0", "US", "TX", 5, "USD"])
    sheet.append([f"=Raw!{column}2" for column in "ABCDEF"])
    book.save(tmp_path / "orders.xlsx")
    with pytest.raises(InputError, match=r"orders.xlsx:3: column 'date' value '=Raw!A2': holds a formula without a "
                                         r"saved value"):
        read_sales([str(tmp_path / "orders.xlsx")])


def test_full_width_zeros_after_the_point_are_zeros_as_ascii_ones_are(tmp_path):
    """'1200.00' JPY is 1,200 yen (trailing zeros are no places); written full width, '１２００.００', it was refused
    as two decimal places."""
    path = tmp_path / "orders.csv"
    path.write_text("date,order_id,country,region,amount,currency\n2025-01-02,A1,JP,,１２００.００,JPY\n"
                    "2025-01-03,A2,JP,,1200.00,JPY\n", encoding="utf-8")
    assert [t[0] for days in read_sales([str(path)]).series.values() for t in days.values()] == [Decimal("1200.00")] * 2


@pytest.mark.parametrize("start, said", [(b"PK\x03\x04rest", "is a ZIP archive (an XLSX workbook under another name?"),
                                         (b"%PDF-1.4 x", "is a PDF document, not a table"),
                                         (b"\xd0\xcf\x11\xe0\xa1\xb1", "is an old Excel (.xls) workbook")])
def test_a_file_that_is_not_text_is_named_for_what_it_is(tmp_path, start, said):
    """An XLSX, PDF or .xls saved as orders.csv printed escaped binary and asked for --column."""
    path = tmp_path / "orders.csv"
    path.write_bytes(start + b"\x00" * 64)
    with pytest.raises(InputError, match=re.escape(said)):
        read_sales([str(path)])
