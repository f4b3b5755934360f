"""Reading order exports: columns, values, errors that point at the cell, and the row account."""
import os
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from conftest import account, SAMPLES, sample_ledger
from nexus.errors import BadAmount, InputError, MissingColumns, UnknownCode
from nexus.read_options import ReadOptions
from nexus.sales import read_sales

EXPORTS = Path(__file__).resolve().parent / "exports"


def balanced(ledger):
    s = ledger.summary()
    return s["rows_read"] == s["rows_used"] + s["rows_skipped"] + s["duplicates"]


def test_reads_aliases_case_insensitively_and_both_state_forms(write):
    path = write("orders.csv", """
        Order ID,Created At,Ship Country,Ship State,Amount,Currency
        A1,2026-01-05 10:00:00-05:00,US,CA,100.00,USD
        A2,2026-01-05,us,US-ny,"1,200.50",usd
        A3,2026/01/06,JP,,"(5,000)",JPY
    """)
    ledger = read_sales([path])
    assert ledger.totals[("US-CA", date(2026, 1, 5), "USD", "direct", "sale", "no", "unknown")] == [Decimal("100.00"), 1]
    assert ledger.totals[("US-NY", date(2026, 1, 5), "USD", "direct", "sale", "no", "unknown")] == [Decimal("1200.50"), 1]
    assert ledger.totals[("JP", date(2026, 1, 6), "JPY", "direct", "refund", "no", "unknown")] == [Decimal("-5000"), 0]
    assert balanced(ledger) and ledger.summary()["rows_used"] == 3


def test_ledger_keeps_a_series_of_days_per_profile(write):
    """A rule asks of a sale its place, currency, channel, kind, exemption and category: the ledger files
    each day's total under that profile (reseller and affiliate sales as direct, chargebacks as refunds; a file
    with no category signal as unknown)."""
    path = write("orders.csv", """
        order_id,date,country,region,amount,currency,channel,kind
        A1,2026-01-05,US,CA,100.00,USD,reseller,sale
        A2,2026-01-06,US,CA,50.00,USD,direct,sale
        A3,2026-01-06,US,CA,20.00,USD,affiliate,sale
        A1,2026-01-07,US,CA,10.00,USD,direct,chargeback
        A2,2026-01-07,US,CA,5.00,USD,direct,refund
    """)
    ledger = read_sales([path])
    assert ledger.series == {
        ("US-CA", "USD", "direct", "sale", "no", "unknown"): {date(2026, 1, 5): [Decimal("100.00"), 1],
                                                             date(2026, 1, 6): [Decimal("70.00"), 2]},
        ("US-CA", "USD", "direct", "refund", "no", "unknown"): {date(2026, 1, 7): [Decimal("-15.00"), 0]},
    }
    assert ledger.totals[("US-CA", date(2026, 1, 6), "USD", "direct", "sale", "no", "unknown")] == [Decimal("70.00"), 2]
    assert len(ledger.totals) == 3
    assert ledger.by_day_and_currency()[(date(2026, 1, 7), "USD")] == Decimal("-15.00")
    ledger.total(("US-CA", "USD", "direct", "refund", "no", "unknown"), date(2026, 1, 7))[0] += Decimal("-1")
    assert ledger.by_day_and_currency()[(date(2026, 1, 7), "USD")] == Decimal("-16.00")  # summed afresh


def test_tsv_and_column_mapping_and_defaults(write):
    path = write("erp.tsv", "Beleg\tDatum\tLand\tBundesland\tNetto\n1\t2026-02-01\tUS\tTX\t10.5\n")
    options = ReadOptions(columns={"order_id": "Beleg", "date": "Datum", "country": "Land", "region": "Bundesland",
                                   "amount": "Netto"}, currency="USD", category="saas")
    ledger = read_sales([path], options)
    assert list(ledger.totals) == [("US-TX", date(2026, 2, 1), "USD", "direct", "sale", "no", "saas")]


def test_channels_kinds_exemptions_and_negative_sales(write):
    path = write("o.csv", """
        order_id,date,country,region,amount,currency,channel,kind,exempt,category
        1,2026-01-01,US,CO,100,USD,marketplace,sale,no,goods
        2,2026-01-01,US,CO,50,USD,reseller,sale,resale,goods
        3,2026-01-01,US,CO,-20,USD,direct,sale,,digital
        1,2026-01-09,US,CO,30,USD,marketplace,chargeback,no,goods
        4,2026-01-01,US,CO,5,USD,affiliate,return,yes,services
    """)
    ledger = read_sales([path])
    kinds = {(k[3], k[4], k[5], k[6]): v for k, v in ledger.totals.items()}
    # Only the distinctions rules make are kept: marketplace or not, sale or not.
    assert kinds[("marketplace", "sale", "no", "goods")] == [Decimal(100), 1]
    assert kinds[("direct", "sale", "resale", "goods")] == [Decimal(50), 1]  # a reseller sale
    assert kinds[("direct", "refund", "no", "digital")] == [Decimal(-20), 0]  # a negative sale
    assert kinds[("marketplace", "refund", "no", "goods")] == [Decimal(-30), 0]  # a chargeback
    assert kinds[("direct", "refund", "exempt", "services")] == [Decimal(-5), 0]  # an affiliate return


def test_duplicates_across_files_are_counted_once_and_reported(write):
    header = "order_id,date,country,region,amount,currency,kind\n"
    first = write("a.csv", header + "X1,2026-01-01,US,WA,10,USD,sale\nX1,2026-01-20,US,WA,4,USD,refund\n")
    second = write("b.csv", header + "X1,2026-01-01,US,WA,10,USD,sale\nX1,2026-01-20,US,WA,4,USD,refund\n"
                   "X1,2026-01-25,US,WA,4,USD,refund\n")
    ledger = read_sales([first, second])
    assert ledger.summary() == account(5, 3, 0, 2)
    assert [(d.file, d.line) for d in ledger.duplicates] == [(second, 2), (second, 3)]
    assert f"already read at {first}:2" in ledger.duplicates[0].reason
    assert sum(v[0] for v in ledger.totals.values()) == Decimal(2)  # 10 - 4 - 4


def test_bad_amount_stops_with_file_line_column_and_value(write):
    path = write("o.csv", "order_id,date,country,region,amount,currency\n1,2026-01-01,US,CA,12.00,USD\n"
                          "2,2026-01-02,US,CA,12,50,USD\n")
    with pytest.raises(InputError) as caught:
        read_sales([path])
    assert str(caught.value) == f"{path}:3: has 7 fields where the header has 6 (a stray delimiter or an unquoted comma?)"

    path = write("p.csv", "order_id,date,country,region,amount,currency\n1,2026-01-01,US,CA,abc,USD\n")
    with pytest.raises(BadAmount) as caught:
        read_sales([path])
    assert str(caught.value) == f"{path}:2: column 'amount' value 'abc': is not an amount"


def test_skip_bad_rows_reports_every_skipped_row_with_its_text(write):
    path = write("o.csv", """
        order_id,date,country,region,amount,currency,customer
        1,2026-01-01,US,CA,10,USD,山田 太郎
        2,2026-13-01,US,CA,10,USD,佐藤 花子
        3,2026-01-01,US,XX,10,USD,王伟
        4,2026-01-01,ZZ,,10,USD,김민준
        5,2026-01-01,US,CA,10,EURO,=1+1
    """)
    ledger = read_sales([path], ReadOptions(skip_bad_rows=True))
    assert ledger.summary() == account(5, 1, 4, 0)
    assert [(p.line, p.column) for p in ledger.skipped] == [(3, "date"), (4, "region"), (5, "country"),
                                                            (6, "currency")]
    assert ledger.skipped[0].text == "2,2026-13-01,US,CA,10,USD,佐藤 花子"
    assert ledger.skipped[3].text.endswith(",=1+1")


def test_unknown_codes_suggest_close_matches(write):
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-01,US,CAL,1,USD\n")
    with pytest.raises(UnknownCode, match="close matches: US-CA"):
        read_sales([path])


def test_missing_columns_are_named_with_the_columns_found(write):
    path = write("o.csv", "when,where,how much\n2026-01-01,US,1\n")
    with pytest.raises(MissingColumns) as caught:
        read_sales([path])
    message = str(caught.value)
    assert "missing required column(s) date, country, amount, currency" in message
    assert "columns found: when, where, how much" in message


@pytest.mark.parametrize("header, problem", [
    ("date,date,country,amount,currency", "appears twice"),
])
def test_broken_headers(write, header, problem):
    path = write("o.csv", header + "\n")
    with pytest.raises(InputError, match=problem):
        read_sales([path])


def test_a_column_mapped_to_two_fields_is_refused(write):
    path = write("o.csv", "date,country,amount,currency\n2026-01-01,JP,1,JPY\n")
    with pytest.raises(InputError, match="several fields"):
        read_sales([path], ReadOptions(columns={"region": "country", "country": "Country"}))


def test_us_rows_need_a_state_and_rows_need_a_currency(write):
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-01,US,,1,USD\n")
    with pytest.raises(InputError, match="US row needs its state"):
        read_sales([path])
    path = write("p.csv", "date,country,region,amount,currency\n2026-01-01,US,CA,1,\n")
    with pytest.raises(InputError, match="no --currency"):
        read_sales([path])


def test_empty_file_and_header_only(write):
    with pytest.raises(InputError, match="is empty"):
        read_sales([write("empty.csv", "")])
    ledger = read_sales([write("header.csv", "date,country,region,amount,currency\n")])
    assert ledger.summary()["rows_read"] == 0 and ledger.files[0][1] == 0


def test_undecodable_file_names_the_encoding_to_try(write, tmp_path):
    path = tmp_path / "sjis.csv"
    path.write_bytes("date,country,region,amount,currency,name\n2026-01-01,JP,,1,JPY,山田\n".encode("cp932"))
    with pytest.raises(InputError, match=r"cannot be read as utf-8: line 2, byte 22 \(8e 52 93 63\) is not valid; "
                                         r"it looks like cp932: try --encoding cp932"):
        read_sales([str(path)], ReadOptions(encoding="utf-8"))
    ledger = read_sales([str(path)], ReadOptions(skip_bad_rows=True))  # detected: cp932
    assert ledger.rows_used == 1


def test_date_format_option(write):
    path = write("o.csv", "date,country,region,amount,currency\n31/12/2025,US,CA,1,USD\n")
    ledger = read_sales([path], ReadOptions(date_format="%d/%m/%Y"))
    assert ledger.first_day == date(2025, 12, 31)


def test_xlsx_numbers_go_through_text_and_dates_stay_dates(tmp_path: Path):
    book = Workbook()
    sheet = book.active
    sheet.append(["Order", "Date", "Country", "State", "Total", "Currency", "Customer"])
    sheet.append(["S1", date(2026, 3, 1), "US", "CO", 0.1, "USD", "=HYPERLINK(\"x\")"])
    sheet.append(["S2", 46083, "US", "CO", 0.2, "USD", "ｻﾄｳ"])
    sheet.append([None, None, None, None, None, None, None])
    path = tmp_path / "orders.xlsx"
    book.save(path)
    ledger = read_sales([str(path)])
    assert ledger.summary()["rows_used"] == 2
    totals = {k[1]: v for k, v in ledger.totals.items()}
    assert totals[date(2026, 3, 1)][0] == Decimal("0.1")
    assert totals[date(2026, 3, 2)][0] == Decimal("0.2")


@pytest.mark.parametrize("value, number_format, shown", [
    (100, "0000", "0100"), (-100, "0000", "-0100"), (4000.1, "0.00", "4000.10"), (0.1 + 0.2, "0.00", "0.30"),
    (-0.4, "0000", "-0000"), (1e30, "0", "1" + "0" * 30), (5, "0." + "0" * 30, "5." + "0" * 30),
    (123, "@", 123), (1234, "#,##0", 1234), (True, "0", True), (0.05, "0%", 0.05)])
def test_an_xlsx_number_is_read_as_excel_shows_it_at_any_size(value, number_format, shown):
    """shown_number() stopped with decimal.InvalidOperation on a number of 29 digits or more in a "0" column
    (Decimal's 28 digits), and wrote -0.4 in "0000" as -000 (Excel: -0000)."""
    from nexus.spreadsheets import shown_number

    assert shown_number(value, number_format) == shown


def test_xlsx_sheet_option_and_bad_workbooks(tmp_path: Path):
    book = Workbook()
    book.active.title = "Notes"
    other = book.create_sheet("Orders")
    other.append(["date", "country", "amount", "currency"])
    other.append([date(2026, 1, 1), "JP", 1000, "JPY"])
    path = tmp_path / "two.xlsx"
    book.save(path)
    assert read_sales([str(path)], ReadOptions(sheet="Orders")).rows_used == 1
    with pytest.raises(InputError, match="has no sheet 'Sales'; sheets: Notes, Orders"):
        read_sales([str(path)], ReadOptions(sheet="Sales"))
    fake = tmp_path / "fake.xlsx"
    fake.write_text("date,country\n")
    with pytest.raises(InputError, match="is not an XLSX workbook"):
        read_sales([str(fake)])


def test_missing_file():
    with pytest.raises(InputError, match="no such file"):
        read_sales(["/nonexistent/orders.csv"])


def test_every_bundled_sample_balances():
    ledger = sample_ledger()  # the README's two files, read once in this process for the three tests of them
    assert balanced(ledger)
    assert ledger.duplicates and not ledger.skipped


def test_progress_reports_bytes(write):
    path = write("o.csv", "date,country,amount,currency\n2026-01-01,JP,1,JPY\n")
    seen = []
    read_sales([path], progress=seen.append)
    assert sum(seen) == Path(path).stat().st_size


def test_gaps_late_exports_and_future_rows_are_warned_about(write):
    from datetime import timedelta

    from nexus.input_warnings import input_warnings

    rows = ["date,country,region,amount,currency"]
    day = date(2026, 1, 1)
    while day <= date(2026, 6, 30):
        if not date(2026, 3, 1) <= day <= date(2026, 3, 20):  # an outage: twenty days without an export
            rows.append(f"{day},US,CA,10,USD")
        day += timedelta(days=1)
    rows.append("2026-12-24,US,CA,10,USD")
    ledger = read_sales([write("o.csv", "\n".join(rows) + "\n")])
    warnings = input_warnings(ledger, date(2026, 8, 31))
    assert warnings[0] == "1 row is dated after the as-of date 2026-08-31 and was not counted"
    assert "no orders at all between 2026-02-28 and 2026-03-21 (20 days)" in warnings[1]
    assert warnings[2].startswith("the orders end on 2026-06-30, 62 days before the as-of date")
    assert input_warnings(ledger, date(2026, 7, 1))[1:] == [warnings[1]]  # one day after the end is normal


def test_a_silence_in_one_busy_place_is_warned_about_while_others_sell(write):
    """Orders into New York every day from January to June; into California too, but for 1 to 30 April (the days
    around it have orders: a 31-day step, 30 days without); Oregon sells on 20 days only, with a long silence, and
    is not watched (fewer than 100 days with orders). No overall gap: New York sells throughout."""
    from datetime import timedelta

    from nexus.input_warnings import input_warnings

    rows = ["date,country,region,amount,currency"]
    day = date(2026, 1, 1)
    while day <= date(2026, 6, 30):
        rows.append(f"{day},US,NY,10,USD")
        if not date(2026, 4, 1) <= day <= date(2026, 4, 30):
            rows.append(f"{day},US,CA,10,USD")
        if day.day == 1 or day.month == 6:
            rows.append(f"{day},US,OR,10,USD")
        day += timedelta(days=1)
    ledger = read_sales([write("o.csv", "\n".join(rows) + "\n")])
    assert input_warnings(ledger, date(2026, 6, 30)) == [
        "no orders into US-CA between 2026-03-31 and 2026-05-01 (30 days) although they usually come every 1 day(s)"]


def test_encodings_are_detected_and_text_kept(tmp_path):
    texts = {"cp932": "山田 太郎 ｻﾄｳ", "gb18030": "王伟 北京市朝阳区", "big5": "陳大文 台北市信義區",
             "euc_kr": "김민준 서울특별시", "utf-16": "山田 花子", "utf-8-sig": "佐藤 花子", "cp1252": "Jürgen Weiß"}
    for encoding, name in texts.items():
        path = tmp_path / f"{encoding}.csv"
        path.write_bytes(f"date,country,amount,currency,customer\n2026-01-02,JP,100,JPY,{name}\n"
                         f"2026-01-03,JP,x,JPY,{name}\n".encode(encoding))
        ledger = read_sales([str(path)], ReadOptions(skip_bad_rows=True))
        assert ledger.skipped[0].text.endswith(name), encoding


@pytest.mark.parametrize("cell, currency, amount", [
    ("$1,234.56", "USD", "1234.56"), ("1,234.56 USD", "USD", "1234.56"), ("¥1,235", "JPY", "1235"),
    ("EUR 12.50", "EUR", "12.50"), ("-€12.50", "EUR", "-12.50"), ("(1,234.56)", "USD", "-1234.56"),
])
def test_amounts_with_currency_marks(write, cell, currency, amount):
    path = write("o.csv", f'date,country,amount,currency\n2026-01-02,JP,"{cell}",{currency}\n')
    ledger = read_sales([path])
    assert sum(v[0] for v in ledger.totals.values()) == Decimal(amount)


def test_a_mark_that_disagrees_with_the_currency_is_an_error(write):
    path = write("o.csv", 'date,country,amount,currency\n2026-01-02,JP,"€12",USD\n')
    with pytest.raises(InputError, match="says € but the row's currency is USD"):
        read_sales([path])


def test_decimal_comma_and_excel_serial_dates(write):
    path = write("o.csv", 'date,country,amount,currency\n46024,DE,"1.234,56",EUR\n20260103,DE,"7,5",EUR\n')
    ledger = read_sales([path], ReadOptions(decimal_comma=True))
    assert {k[1]: v[0] for k, v in ledger.totals.items()} == {date(2026, 1, 2): Decimal("1234.56"),
                                                            date(2026, 1, 3): Decimal("7.5")}


def test_password_protected_and_zip_bomb_workbooks_are_refused(tmp_path):
    import zipfile

    locked = tmp_path / "locked.xlsx"
    locked.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    with pytest.raises(InputError, match="password-protected"):
        read_sales([str(locked)])
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<a>" + b" " * 20_000_000 + b"</a>")
    with pytest.raises(InputError, match="possible zip bomb"):
        read_sales([str(bomb)])


@pytest.fixture(scope="module")
def seam(tmp_path_factory):
    """Where the README's two exports meet, and their reading with nothing patched: 2025's last 2,199 rows (its
    December, which the 2026 export repeats) and 2026's first 300, 300 of them duplicates of 2025's, and refunds
    linked to their sales. The tests of limits that they patch small (5 rows listed, 50 orders in memory) read
    these 2,499 rows rather than the 31,677 of both files: what they compare is the same with the limit and
    without, whatever the size beyond it."""
    folder = tmp_path_factory.mktemp("seam")
    files = []
    for name, keep in (("orders-2025.csv", slice(-2199, None)), ("orders-2026.csv", slice(0, 300))):
        header, *rows = (SAMPLES / name).read_text(encoding="utf-8").splitlines(keepends=True)
        path = folder / name
        path.write_text(header + "".join(rows[keep]), encoding="utf-8")
        files.append(str(path))
    return files, read_sales(files)


def test_orders_seen_move_to_disk_past_a_limit_and_read_the_same(monkeypatch, tmp_path, seam):
    """Past SEEN_IN_MEMORY orders the first-read places go to a temporary SQLite file: same duplicates,
    same first lines named, same totals; and the file is gone afterwards.

    The temporary folder is this test's own (not the machine's /tmp, where other runs come and go), so that
    "nothing left behind" is about this read alone.
    """
    import tempfile

    from nexus import seen_orders

    files, in_memory = seam  # read_sales(files) with nothing patched
    assert in_memory.duplicates  # the samples repeat orders across the two exports
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setattr(seen_orders, "SEEN_IN_MEMORY", 50)
    spilled = []
    spill = seen_orders.SeenOrders._spill

    def watched(self):
        spill(self)
        spilled.append(os.listdir(self.folder.name))

    monkeypatch.setattr(seen_orders.SeenOrders, "_spill", watched)
    on_disk = read_sales(files)
    assert spilled == [["seen.sqlite3"]]  # the orders did move to disk, once, into the scratch folder
    assert [(d.file, d.line, d.reason) for d in on_disk.duplicates] == \
        [(d.file, d.line, d.reason) for d in in_memory.duplicates]
    assert on_disk.totals == in_memory.totals and on_disk.summary() == in_memory.summary()
    # the refunds linked to their sale's day from the orders on disk (the samples refund sales of both years)
    assert on_disk.refund_links == in_memory.refund_links and in_memory.refund_links
    assert os.listdir(scratch) == []


@pytest.mark.parametrize("mode", ["error", "lines", "latest"])
def test_orders_on_disk_are_written_in_batches_and_read_the_same(monkeypatch, mode):
    """Once on disk, orders read for the first time are written to the file in batches, not one statement each,
    and only a key the filter has seen is looked up: the same duplicates, conflicts and totals, whether the
    filter is large or so small that most keys must be looked up."""
    from nexus import seen_orders

    files = [str(EXPORTS / name) for name in ("shopify-orders.csv", "shopify-orders-late.csv",
                                              "shopify-orders-amended.csv")]
    options = ReadOptions(repeated_orders=mode)
    try:
        in_memory = read_sales(files, options)
    except InputError as exc:  # error: the amended export conflicts, named the same way from disk
        monkeypatch.setattr(seen_orders, "SEEN_IN_MEMORY", 2)
        with pytest.raises(InputError, match=re.escape(str(exc))):
            read_sales(files, options)
        return
    statements: list[str] = []
    spill = seen_orders.SeenOrders._spill

    def traced(self):
        spill(self)
        self.db.set_trace_callback(statements.append)

    monkeypatch.setattr(seen_orders.SeenOrders, "_spill", traced)
    monkeypatch.setattr(seen_orders, "SEEN_IN_MEMORY", 2)
    for batch, bits in ((3, 1 << 20), (1000, 1 << 20), (3, 8)):
        monkeypatch.setattr(seen_orders, "SEEN_BATCH", batch)
        monkeypatch.setattr(seen_orders, "SEEN_FILTER_BITS", bits)
        statements.clear()
        on_disk = read_sales(files, options)
        assert on_disk.totals == in_memory.totals and on_disk.summary() == in_memory.summary()
        assert on_disk.duplicates == in_memory.duplicates and on_disk.conflicts == in_memory.conflicts
        if batch == 1000:  # every order after the spill waits in the one batch: nothing asked of the file
            assert statements == []


def test_duplicates_beyond_the_listed_ones_are_counted(monkeypatch, seam):
    from nexus import row_account

    files, every = seam  # read_sales(files) with nothing patched
    monkeypatch.setattr(row_account, "LISTED_ROWS", 5)
    capped = read_sales(files)
    assert len(capped.duplicates) == 5 and capped.duplicates == every.duplicates[:5]
    assert capped.unlisted_duplicates == len(every.duplicates) - 5
    assert capped.summary() == every.summary() and capped.totals == every.totals


def test_skipped_rows_beyond_the_listed_ones_are_counted(write, monkeypatch):
    from nexus import row_account

    path = write("o.csv", "date,country,region,amount,currency\n" + "2026-01-02,US,CA,abc,USD\n" * 8
                 + "2026-01-02,US,CA,10,USD\n")
    monkeypatch.setattr(row_account, "LISTED_ROWS", 3)
    ledger = read_sales([path], ReadOptions(skip_bad_rows=True))
    assert len(ledger.skipped) == 3 and ledger.unlisted_skipped == 5
    assert ledger.summary() == account(9, 1, 8, 0)


def test_a_row_whose_quoted_cell_holds_line_breaks_is_named_by_the_line_it_starts_on(write):
    """A note typed with Alt+Enter spans lines: the row is where it starts, in a text editor and in the error."""
    path = write("o.csv", 'sep=,\ndate,order_id,country,region,amount,currency,note\n'
                          '2026-01-05,A1,US,CA,100.00,USD,"gift\nwrap\nplease"\n'
                          '2026-01-06,A2,US,CA,abc,USD,"two\nlines"\n')
    with pytest.raises(BadAmount, match=r"o.csv:6: column 'amount' value 'abc'"):
        read_sales([path])
    skipped = read_sales([path], ReadOptions(skip_bad_rows=True)).skipped
    assert [(p.line, p.column) for p in skipped] == [(6, "amount")]
