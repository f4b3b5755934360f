"""nexus's own layout as finance teams hand it over: opened in a spreadsheet and saved again. Each fixture is a few
rows written here, as the spreadsheet writes them; each expected figure is worked out in the comments."""
from __future__ import annotations

import textwrap

import pytest
from click.testing import CliRunner

from nexus.cli import cli
from nexus.engine import NotPlain, read_sales_fast
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


def test_a_date_a_spreadsheet_wrote_is_refused_without_date_format_saying_which_forms_to_give(tmp_path):
    path = _write(tmp_path, US_EXCEL)
    result = CliRunner().invoke(cli, ["check", "--sales", path, "--as-of", "2026-11-30", "--category", "goods"])
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {path}:2: column 'date' value '3/4/2026 10:00': is a date as a spreadsheet writes it, its day and "
        f"month in an order nexus does not guess: pass --date-format %m/%d/%Y or %d/%m/%Y (%d.%m.%Y for dots, %y for "
        f"a two-digit year) as the file's dates run; a time after the date is read aside\n")


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
