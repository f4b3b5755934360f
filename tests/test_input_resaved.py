"""nexus's own layout as finance teams hand it over: opened in a spreadsheet and saved again. Each fixture is a few
rows written here, as the spreadsheet writes them; each expected figure is worked out in the comments."""
from __future__ import annotations

import textwrap
from decimal import Decimal

import pytest
from click.testing import CliRunner

from nexus.cli import cli
from nexus.own_layout_fast import read_sales_fast
from nexus.plain_input import NotPlain
from nexus.errors import BadDate, InputError
from nexus.read_options import ReadOptions
from nexus.sales import read_sales


def _write(tmp_path, text: str, name: str = "orders.csv") -> str:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return str(path)


def _days(ledger) -> list[str]:
    return sorted(day.isoformat() for days in ledger.series.values() for day in days)


US_EXCEL = """\
    order_id,date,country,region,amount,currency
    A-1,3/4/2026 10:00,US,TX,100,USD
    A-2,10/31/2026,US,CA,20,USD
    """


def test_dates_a_us_excel_wrote_read_with_date_format_whether_or_not_a_time_follows(tmp_path):
    # A US Excel saves 2026-03-04 10:00:00 as 3/4/2026 10:00 and 2026-10-31 as 10/31/2026, in one column. Before,
    # --date-format %m/%d/%Y refused the first ('is not a date in the form %m/%d/%Y') and %m/%d/%Y %H:%M the
    # second: no form read the file. Now the time after a date is read aside, as the platform readers do.
    path = _write(tmp_path, US_EXCEL)
    ledger = read_sales([path], ReadOptions(category="goods", date_format="%m/%d/%Y"))
    assert _days(ledger) == ["2026-03-04", "2026-10-31"]
    # A form that gives the time still reads it; a time that is no time is still refused.
    timed = _write(tmp_path, "order_id,date,country,region,amount,currency\nA-1,3/4/2026 10:00,US,TX,100,USD\n",
                   "timed.csv")
    assert _days(read_sales([timed], ReadOptions(category="goods", date_format="%m/%d/%Y %H:%M"))) == ["2026-03-04"]
    bad = _write(tmp_path, "order_id,date,country,region,amount,currency\nA-1,3/4/2026 25:00,US,TX,100,USD\n",
                 "bad.csv")
    with pytest.raises(BadDate, match="is not a date in the form %m/%d/%Y"):
        read_sales([bad], ReadOptions(category="goods", date_format="%m/%d/%Y"))


def test_dates_a_spreadsheet_wrote_read_in_the_order_the_column_shows_on_both_engines(tmp_path):
    # 10/31/2026 settles the column month-first: 3/4/2026 10:00 is 4 March. Before, nexus's own layout refused
    # every such date ('is not a date in YYYY-MM-DD'), where a platform's export was read; now it reads them as the
    # platform readers do, a date the spreadsheet left in ISO (with its offset, which it does not read) beside them.
    path = _write(tmp_path, US_EXCEL + "    A-3,2026-05-01 10:00:00-05:00,US,CA,5,USD\n")
    for read in (read_sales, read_sales_fast_or_handed_over):
        assert _days(read([path], ReadOptions(category="goods"))) == ["2026-03-04", "2026-05-01", "2026-10-31"]
    german = _write(tmp_path, """\
        order_id;date;country;region;amount;currency
        A-1;04.03.2026 10:00;US;TX;100;USD
        A-2;31.10.2026;US;CA;20;USD
        """, "german.csv")
    assert _days(read_sales([german], ReadOptions(category="goods"))) == ["2026-03-04", "2026-10-31"]


def test_a_column_of_dates_that_all_read_both_ways_is_refused_saying_nothing_settles_it(tmp_path):
    path = _write(tmp_path, US_EXCEL.replace("10/31/2026", "10/11/2026"))
    result = CliRunner().invoke(cli, ["check", "--sales", path, "--as-of", "2026-11-30", "--category", "goods"])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {path}:2: column 'date' value '3/4/2026 10:00': reads both day-first and month-first, as every date "
        f"of the column does (none has a day above 12 to settle which is the day): pass --date-format %d/%m/%Y or "
        f"%m/%d/%Y (%y for a two-digit year: %m/%d/%y)\n")


def read_sales_fast_or_handed_over(paths, options):
    """The DuckDB fast path's reading, or, where it hands the files over, the reference reader's (as the CLI)."""
    try:
        return read_sales_fast(paths, options)
    except NotPlain:
        return read_sales(paths, options)


GERMAN_EXCEL = """\
    order_id;date;country;region;amount;currency
    1,00012E+15;04.03.2026 10:00;US;TX;100,5;USD
    1,00012E+15;05.03.2026 11:00;US;TX;50;USD
    """


@pytest.mark.parametrize("mode", ["error", "lines", "latest"])
def test_long_ids_a_german_excel_cut_short_with_a_decimal_comma_stop_the_run(tmp_path, mode):
    # Orders 1000123456789012 and 1000123456789013 through a German Excel's General format: both read
    # 1,00012E+15. Before, with --repeated-orders lines they were one order's lines (Texas 150.50 from one
    # transaction, where there were two), and with latest the first was lost; now both rows are named, as
    # 1.00012E+15 already was.
    path = _write(tmp_path, GERMAN_EXCEL)
    with pytest.raises(InputError, match=r"orders.csv:3: column 'order_id' value '1,00012E\+15': order id "
                                         r"'1,00012E\+15' was read at .*orders.csv:2 too; it is a long number as a "
                                         r"spreadsheet shows it, its last digits gone"):
        read_sales([path], ReadOptions(category="goods", decimal_comma=True, date_format="%d.%m.%Y",
                                       repeated_orders=mode))


def test_long_ids_cut_short_with_a_decimal_comma_hand_over_from_duckdb(tmp_path):
    # The same ids with dates kept as text (ISO) and whole amounts: a file DuckDB would read; it hands the rows to
    # nexus's own reader, which names them.
    path = _write(tmp_path, """\
        order_id;date;country;region;amount;currency
        1,00012E+15;2026-03-04;US;TX;100;USD
        1,00012E+15;2026-03-05;US;TX;50;USD
        """)
    with pytest.raises(NotPlain, match="is a long number as a spreadsheet shows it"):
        read_sales_fast([path], ReadOptions(category="goods", repeated_orders="lines"))


BAHRAIN = """\
    order_id;date;country;region;amount;currency
    B-1;2026-03-04;BH;;1,500;BHD
    B-2;2026-03-05;BH;;12,250;BHD
    """


def test_one_comma_before_three_digits_in_a_three_decimal_currency_is_refused_without_decimal_comma(tmp_path):
    # A German Excel saves 1.500 and 12.250 Bahraini dinars, formatted to their three decimals, as 1,500 and
    # 12,250, fields separated by semicolons. Without --decimal-comma nexus read 1500 and 12250 (a thousand times
    # the sales, 13,750 dinars for 13.750): no other amount in the file stopped the run. Now each such amount
    # is refused, naming both readings, on both engines; --decimal-comma reads it.
    path = _write(tmp_path, BAHRAIN)
    with pytest.raises(InputError) as caught:
        read_sales([path], ReadOptions(category="goods"))
    assert str(caught.value) == (
        f"{path}:2: column 'amount' value '1,500': may be 1500 or 1.500: BHD has 3 decimal places, and a spreadsheet "
        f"where the comma is the decimal separator writes 1.500 so; pass --decimal-comma if commas are decimals in "
        f"this file, or write the amount without a comma")
    with pytest.raises(NotPlain, match="a comma that may be a decimal comma"):
        read_sales_fast([path], ReadOptions(category="goods"))
    ledger = read_sales([path], ReadOptions(category="goods", decimal_comma=True))
    assert sum(amount for days in ledger.series.values() for amount, _count in days.values()) == Decimal("13.750")
    # In a currency of two decimals one comma before three digits can only group thousands: 1,500 dollars.
    dollars = _write(tmp_path, BAHRAIN.replace("BHD", "USD").replace(";BH;", ";US;TX"), "dollars.csv")
    for read in (read_sales, read_sales_fast):
        ledger = read([dollars], ReadOptions(category="goods"))
        assert sum(amount for days in ledger.series.values() for amount, _count in days.values()) == Decimal("13750")


WHOLE_IDS = """\
    order_id,date,country,region,amount,currency
    1000123456789012,2026-03-04,US,TX,100,USD
    1000123456789013,2026-03-05,US,TX,50,USD
    2000000000000001,2026-03-05,US,CA,40,USD
    """
CUT_IDS = """\
    order_id;date;country;region;amount;currency
    1,00012E+15;2026-03-04;US;TX;100;USD
    2,00000E+15;2026-03-05;US;CA;40;USD
    3.00000E+15;2026-03-06;US;CA;7;USD
    """


def test_a_late_export_whose_ids_a_spreadsheet_cut_short_is_said_naming_the_whole_ids_it_may_be(tmp_path):
    # The ERP's export holds its ids whole; the late export went through a German Excel, which saved
    # 1000123456789012 as 1,00012E+15 and 2000000000000001 as 2,00000E+15. Before, no id matched, and the late
    # export's orders were counted a second time without a word: Texas 250 (100 + 50 + 100), California 87
    # (40 + 40 + 7). They still are (nexus does not merge orders on a guess), but each cut id is now named with the
    # whole ids it may be, on both engines: 1,00012E+15 may be either of two; 3.00000E+15 none (no warning).
    whole, late = _write(tmp_path, WHOLE_IDS, "erp.csv"), _write(tmp_path, CUT_IDS, "late.csv")
    for read in (read_sales, read_sales_fast_or_handed_over):
        ledger = read([whole, late], ReadOptions(category="goods"))
        assert {place: total for (place, *_rest), days in ledger.series.items()
                for total in [sum(amount for amount, _count in days.values())]} == {
            "US-TX": Decimal("250"), "US-CA": Decimal("87")}
        assert [w for w in ledger.warnings if "cut" in w or "spreadsheet" in w] == [
            f"{late}:2: order id '1,00012E+15' is a long number as a spreadsheet shows it, its last digits gone, and "
            f"{whole} holds 2 whole ids it may be (1000123456789012 at {whole}:2, 1000123456789013 at {whole}:3): "
            f"counted apart from them, twice if it is one of them (nexus does not guess which); export the order id "
            f"column as text, or take the export from the platform again",
            f"{late}:3: order id '2,00000E+15' is a long number as a spreadsheet shows it, its last digits gone, and "
            f"{whole} holds 1 whole id it may be (2000000000000001 at {whole}:4): counted apart from them, twice if "
            f"it is one of them (nexus does not guess which); export the order id column as text, or take the "
            f"export from the platform again"]
    # Saved as a workbook instead, the ids are numbers of 15 significant digits: 1000123456789010 may be either too.
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["order_id", "date", "country", "region", "amount", "currency"])
    book.active.append([1000123456789010, "2026-03-04", "US", "TX", 100, "USD"])
    book.save(tmp_path / "late.xlsx")
    ledger = read_sales([whole, str(tmp_path / "late.xlsx")], ReadOptions(category="goods"))
    assert [w.split(": counted")[0] for w in ledger.warnings if "digits" in w] == [
        f"{tmp_path / 'late.xlsx'}:2: order id '1000123456789010' is a number of more than 15 digits in a workbook, "
        f"which keeps only 15 significant digits, and {whole} holds 2 whole ids it may be (1000123456789012 at "
        f"{whole}:2, 1000123456789013 at {whole}:3)"]
    result = CliRunner().invoke(cli, ["check", "--sales", whole, "--sales", late, "--as-of", "2026-10-31",
                                      "--category", "goods", "--format", "json"])
    assert result.exit_code == 0
    assert "1000123456789013 at" in result.stderr


SWISS_EXCEL = """\
    order_id;date;country;region;amount;currency;shipping
    S-1;2026-03-04;CH;;Fr. 1'234.50;CHF;Fr. 10.00
    S-2;2026-03-05;CH;;CHF 12.00;CHF;CHF -
    S-3;2026-03-06;CH;;1\u2019000.25;CHF;0
    S-4;2026-03-06;CH;;(Fr. 20.00);CHF;0
    """


def test_amounts_a_swiss_excel_wrote_are_read_and_a_franc_in_another_currency_stops(tmp_path):
    # A Swiss Excel groups thousands with an apostrophe (1'234.50; Windows' de-CH setting the right single quotation
    # mark, 1’000.25) and marks francs Fr. or CHF. Before, every such cell but 'CHF 12.00' was refused ('is not an
    # amount'; "has 'Fr' around the amount"). Now: Switzerland 1,234.50 + 10.00 shipping + 12.00 + 1,000.25 - 20.00
    # (a refund) = 2,236.75, on both engines.
    path = _write(tmp_path, SWISS_EXCEL)
    for read in (read_sales, read_sales_fast_or_handed_over):
        ledger = read([path], ReadOptions(category="goods"))
        assert sum(amount for days in ledger.series.values() for amount, _count in days.values()) == \
            Decimal("2236.75")
    # A franc sign in a row of another currency is never dropped: file, line, column and value, exit 2.
    euros = _write(tmp_path, SWISS_EXCEL.replace("CH;;CHF 12.00;CHF", "DE;;Fr. 12.00;EUR"), "euros.csv")
    for engine in ("python", "duckdb"):
        result = CliRunner().invoke(cli, ["check", "--sales", euros, "--as-of", "2026-11-30", "--category", "goods",
                                          "--engine", engine])
        assert result.exit_code == 2
        assert result.output.splitlines()[-1] == (
            f"Error: {euros}:3: column 'amount' value 'Fr. 12.00': says Fr. but the row's currency is EUR")
    # What could mean something else stays refused: groups not of three, a first group starting with 0.
    for written in ("12'34.50", "0'123.00", "1'23"):
        bad = _write(tmp_path, SWISS_EXCEL.replace("1\u2019000.25", written), "bad.csv")
        with pytest.raises(InputError, match="is not an amount"):
            read_sales([bad], ReadOptions(category="goods"))


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_byte_the_encoding_cannot_read_is_named_at_its_line_after_a_carriage_return_alone(tmp_path, engine):
    # A product name holding a carriage return alone (line 2, "Kyusu" CR "teapot", quoted) ends a line for the
    # reader and for a text editor, so A-3 is on line 5: an amount error there says line 5. A byte the encoding
    # cannot read on that row (München in Windows-1252 read as UTF-8) was named at line 4 (lines were counted at line
    # feeds only): every such error after a carriage return alone was a line early. A file saved as Excel's "CSV
    # (Macintosh)", its lines ended by carriage returns alone, was all "line 1" (byte 139 where it is byte 29 of line
    # 4). Both now name the line and the byte in it, on either engine (DuckDB hands the file over).
    header = b"order_id,date,country,region,amount,currency,name"
    quoted = tmp_path / "orders.csv"
    quoted.write_bytes(header + b'\nA-1,2026-03-04,US,TX,100,USD,"Kyusu\rteapot"\nA-2,2026-03-04,US,TX,5,USD,x\n'
                                b"A-3,2026-03-04,US,TX,5,USD,M\xfcnchen\n")
    mac = tmp_path / "mac.csv"
    mac.write_bytes(header + b"\rA-1,2026-03-04,US,TX,100,USD,x\rA-2,2026-03-04,US,TX,5,USD,x\r"
                             b"A-3,2026-03-04,US,TX,5,USD,M\xfcnchen\r")
    for path, line in ((quoted, 5), (mac, 4)):
        result = CliRunner().invoke(cli, ["check", "--sales", str(path), "--as-of", "2026-11-30", "--category", "goods",
                                          "--encoding", "utf-8", "--engine", engine])
        assert result.exit_code == 2
        assert result.output.splitlines()[-1] == (
            f"Error: {path}: cannot be read as utf-8: line {line}, byte 29 (fc 6e 63 68) is not valid; it looks like "
            f"cp1252: try --encoding cp1252")
    amount = tmp_path / "amount.csv"
    amount.write_bytes(quoted.read_bytes().replace(b"5,USD,M\xfcnchen", b"zz,USD,Munich"))
    with pytest.raises(InputError, match=r"amount.csv:5: column 'amount' value 'zz'"):
        read_sales([str(amount)], ReadOptions(category="goods"))
