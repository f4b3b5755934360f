"""Files as real users send them (hand-edited in Excel, saved in another encoding): each is read as it means where
that is certain, or stopped with one line naming file, line and column, never read in part without a word."""
from datetime import date
from decimal import Decimal

import pytest

from nexus.aggregates import read_aggregates
from nexus.chart import read_chart
from nexus.engine import choose, read_orders
from nexus.errors import InputError, Location, NexusError
from nexus.presence import read_presence
from nexus.read_options import ReadOptions
from nexus.registrations import read_registrations
from nexus.review import parse_list
from nexus.cells import parse_date
from nexus.sales import read_sales
from nexus.spreadsheets import detect_encoding
from nexus.tax_rates import read_user_rates


@pytest.mark.parametrize("name, text, read", [
    ("registrations.csv", "jurisdiction,registered_on,collecting_from,id,note,Jurisdiction\n"
                          "US-WA,2025-12-01,2025-12-09,WA-1,,US-TX\n",
     lambda path: read_registrations(path, ())),
    ("presence.csv", "kind,location,ownership,dedicated,function,since,until,note,Location\n"
                     "employee,US-TX,,,core,2024-02-01,,,US-NY\n", read_presence),
    ("rates.csv", "jurisdiction,from,rate,Rate\nUS-TX,2024-01-01,0.0625,0.0825\n",
     lambda path: read_user_rates(path, ("US-TX",))),
])
def test_a_column_named_twice_in_a_small_table_is_refused_naming_both(write, name, text, read):
    """A registrations file with Jurisdiction twice (US-WA, then US-TX in a column pasted at the end) was read as a
    registration in Texas and none in Washington; a presence file's second Location placed the employee in New
    York. Each of the two cells holds a value the other lost: nexus cannot tell which the user meant."""
    path = write(name, text)
    with pytest.raises(InputError) as caught:
        read(path)
    second = text.split("\n")[0].split(",")
    assert str(caught.value) == (f"{path}:1: column {second[-1]!r} appears twice in the header "
                                 f"(columns {second.index(second[-1].lower()) + 1} and {len(second)})")


def test_a_column_named_twice_in_a_chart_of_accounts_is_refused_naming_both(write):
    """The chart's first Name column was read and the second passed over without a word."""
    path = write("coa.csv", "Number,Name,Type,Currency,Parent,name\n1000,Cash,Bank,,,Cash and bank\n")
    with pytest.raises(InputError) as caught:
        read_chart(path)
    assert str(caught.value) == f"{path}:1: column 'name' appears twice in the header (columns 2 and 6)"


PRESENCE_JA = ("kind,location,ownership,dedicated,function,since,until,note\n"
               "office,\"東京都千代田区, JP\",leased,yes,core,2019-04-01,,本社 (一号館)\n"
               "employee,US-TX,,,core,2024-02-01,,Austin\n")


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read_as_utf16(tmp_path, encoding):
    """Some export tools write UTF-16 without a byte-order mark: every ASCII character then has a zero byte beside
    it, and the file was read as UTF-8, its header a run of letters and NULs ('missing column(s) kind, location;
    columns found: k\\x00i\\x00n\\x00d\\x00...'). 一 (U+4E00) has a zero byte on the other side."""
    path = tmp_path / "presence.csv"
    path.write_bytes(PRESENCE_JA.encode(encoding))
    items = read_presence(str(path))
    assert [(i.location, i.note) for i in items] == [("東京都千代田区, JP", "本社 (一号館)"), ("US-TX", "Austin")]


def test_a_stray_nul_in_utf8_text_does_not_make_it_utf16(tmp_path):
    path = tmp_path / "orders.csv"
    path.write_bytes("order_id,date,country,amount,currency\nA\x001,2026-01-05,JP,1200,JPY\n".encode())
    assert detect_encoding(str(path)) == "utf-8"


@pytest.mark.parametrize("data", [
    "\ufeffCode\tName\r\nUSD\tUS dollar\r\nJPY\t日本円\r\n".encode("utf-16-le"),  # Excel's Unicode text
    "Code\tName\nUSD\tUS dollar\nJPY\t日本円\n".encode("utf-16-le"),
    "\ufeffcode,name\nUSD,US dollar\nJPY,日本円\n".encode("utf-8"),
    "# listed 2026-10-01, tabs below\nUSD\tUS dollar\nJPY\t日本円\n".encode("utf-8"),
])
def test_a_provider_currency_list_saved_as_unicode_text_is_read(data):
    """A provider's currency list opened in Excel and saved as Unicode text (UTF-16, tab-separated) stopped with
    'is not UTF-8 text'; in UTF-8 with tabs its lines were read whole ('USD\\tUS dollar' is not a code)."""
    assert parse_list(data, "list.txt") == ["USD", "JPY"]


def test_a_provider_currency_list_in_another_encoding_is_named_as_such():
    with pytest.raises(InputError) as caught:
        parse_list("code,name\nJPY,日本円\n".encode("cp932"), "list.txt")
    assert str(caught.value) == "list.txt: is not UTF-8 or UTF-16 text"


SHOPIFY_HEADER = ("Name,Financial Status,Created at,Currency,Subtotal,Shipping,Taxes,Total,Lineitem quantity,"
                  "Lineitem name,Lineitem price,Lineitem requires shipping,Billing Province,Billing Country,"
                  "Shipping Province,Shipping Country,Cancelled at,Refunded Amount")
SHOPIFY_ROW = "#1001,paid,2025-03-02 10:15:00 -0800,USD,90.00,10.00,7.25,107.25,1,Teapot,90.00,true,CA,US,CA,US,,0.00"


def test_a_platform_export_naming_a_column_it_reads_twice_is_refused(write):
    """A Shopify export with a second Total pasted at its end (1107.25) was read by its first Total without a word;
    which of the two the user meant, nexus cannot know."""
    path = write("orders.csv", f"{SHOPIFY_HEADER},Total\n{SHOPIFY_ROW},1107.25\n")
    with pytest.raises(InputError) as caught:
        read_sales([path])
    assert str(caught.value) == f"{path}:1: column 'Total' appears twice in the header (columns 8 and 19)"


def test_a_platform_export_naming_a_column_it_does_not_read_twice_is_read(write):
    """Columns nexus does not read (tags written twice by an app) are no reason to stop: the order is 107.25 less
    7.25 of tax."""
    path = write("orders.csv", f"{SHOPIFY_HEADER},Tags,Tags\n{SHOPIFY_ROW},a,b\n")
    ledger = read_sales([path])
    sales = ledger.series[("US-CA", "USD", "direct", "sale", "no", "goods")]
    assert sales == {date(2025, 3, 2): [Decimal("100.00"), 1]}


def _parquet(path, rows: str, date_type: str = "DATE", amount_type: str = "DOUBLE") -> str:
    import duckdb

    duckdb.sql(f"COPY (SELECT order_id, CAST(date AS {date_type}) AS date, country, region, "
               f"CAST(amount AS {amount_type}) AS amount, currency FROM (VALUES {rows}) "
               f"AS t(order_id, date, country, region, amount, currency)) TO '{path}' (FORMAT parquet)")
    return str(path)


@pytest.mark.parametrize("third, shown", [
    ("0.1::DOUBLE + 0.2::DOUBLE", "'0.30000000000000004'"),  # what pandas writes for 0.1 + 0.2
    ("'NaN'::DOUBLE", "'nan'"),
    ("NULL", "None"),
])
def test_a_parquet_amount_that_is_not_plain_is_named_by_its_row(tmp_path, third, shown):
    """A Parquet file with a float amount column (pandas' default) holding 0.1 + 0.2 stopped with 'some dates or
    amounts are empty or not plain', naming no row, and a NaN with DuckDB's own words ('Conversion Error: Could
    not convert string "nan" to DECIMAL(38,9)'): in millions of rows, the user could not find the cell."""
    path = _parquet(tmp_path / "orders.parquet", "('A1', '2026-01-02', 'US', 'CA', 10.25, 'USD'), "
                                                 "('A2', '2026-01-03', 'US', 'CA', 12.5, 'USD'), "
                                                 f"('A3', '2026-01-04', 'US', 'TX', {third}, 'USD')")
    with pytest.raises(NexusError) as caught:
        read_orders([path], ReadOptions(), choose([path], ReadOptions()))
    assert str(caught.value).startswith(f"{path}: row 3 (date '2026-01-04', amount {shown}) is the first whose date, "
                                        f"amount, shipping or tax is empty or not plain")


def test_a_parquet_date_column_with_a_time_zone_names_its_file_once(tmp_path):
    path = _parquet(tmp_path / "zoned.parquet", "('A1', '2026-01-02 23:30:00+09', 'US', 'CA', 10.25, 'USD')",
                    date_type="TIMESTAMPTZ", amount_type="DECIMAL(18, 2)")
    with pytest.raises(NexusError) as caught:
        read_orders([path], ReadOptions(), choose([path], ReadOptions()))
    assert str(caught.value).startswith(f"{path}: the date column is TIMESTAMP WITH TIME ZONE; nexus reads")


AGGREGATES = ("date,jurisdiction,currency,channel,category,kind,exempt,amount,rows\n"
              "2026-01-05,US-CA,USD,direct,goods,sale,no,100.00,1\n"
              "2026-01-06,US-TX,USD,direct,goods,sale,no,200.00,2\n")


def test_an_aggregates_header_with_spaces_after_its_commas_is_read(write):
    """'date, jurisdiction, currency, ...' (a space after each comma, as some tools and hands write a header) was
    'not a nexus aggregates file: missing column(s) jurisdiction, currency, ...'."""
    path = write("agg.csv", AGGREGATES.replace(",", ", ", 8))
    ledger = read_aggregates([path])
    assert ledger.summary()["rows_read"] == 3
    assert sorted(t[0] for t in ledger.totals.values()) == [Decimal("100.00"), Decimal("200.00")]


def test_a_short_aggregates_row_is_named_as_short(write):
    """A row missing a field said "column 'rows' value 'None': is not a count of rows": None is no value in the
    file; the row has one field too few."""
    path = write("agg.csv", AGGREGATES + "2026-01-07,US-TX,USD,direct,goods,sale,no,1.00\n")
    with pytest.raises(InputError) as caught:
        read_aggregates([path])
    assert str(caught.value) == f"{path}:4: has 8 fields where the header has 9 (a field left out)"


def test_an_unreadable_short_order_row_says_it_is_short(write):
    """A row with its address left out moves every cell after it one column left; the error named the empty amount
    at the end ("column 'amount' value '': is empty") as if the amount had been forgotten."""
    path = write("orders.csv", "order_id,date,customer,address,country,region,currency,amount\n"
                               "A1,2026-01-05,Alice,1 Main St,US,CA,USD,100.00\n"
                               "A2,2026-01-06,Bob,US,TX,USD,200.00\n")
    with pytest.raises(InputError) as caught:
        read_sales([path])
    assert str(caught.value) == (f"{path}:3: column 'amount' value '': is empty (the row has 7 fields where the "
                                 f"header has 8: a field left out?)")


@pytest.mark.parametrize("written, day", [("46031", date(2026, 1, 9)), ("46031.5", date(2026, 1, 9)),
                                          ("46031.999988426", date(2026, 1, 9)), ("45658.25", date(2025, 1, 1))])
def test_an_excel_serial_date_with_its_time_is_read_as_its_day(written, day):
    """A date-and-time cell saved from Excel in the General format is written as its serial number with the time
    as a fraction (46031.5 is 2026-01-09 at noon); the whole number was read, the fraction refused as 'not a date in
    YYYY-MM-DD'."""
    assert parse_date(written, None, Location("orders.csv", 2, "date", written)) == day


@pytest.mark.parametrize("written", ["046031.5", "46031.", "4603.5"])
def test_other_numbers_with_a_point_are_still_not_dates(written):
    with pytest.raises(InputError, match="is not a date in YYYY-MM-DD"):
        parse_date(written, None, Location("orders.csv", 2, "date", written))


def test_invisible_marks_in_a_header_and_in_codes_are_left_out(write):
    """A header copied from a web page ('\\u200bAmount': a zero-width space before it) stopped with 'missing required
    column(s) amount; columns found: ..., Amount', the column shown but not found; a code typed in a right-to-left
    Excel ('\\u200eUS', 'USD\\ufeff') was 'not an ISO code'. Invisible marks are no part of a name or a code."""
    path = write("orders.csv", "order_id,date,country,\u200bregion,currency,\u200bAmount\n"
                               "A1,2026-01-05,\u200eUS,CA\u200b,USD\ufeff,100.00\n")
    ledger = read_sales([path])
    assert ledger.series == {("US-CA", "USD", "direct", "sale", "no", "unknown"): {date(2026, 1, 5):
                                                                                   [Decimal("100.00"), 1]}}


def test_invisible_marks_in_a_platform_or_small_table_header_are_left_out(write):
    path = write("orders.csv", SHOPIFY_HEADER.replace("Total", "Total\u200b") + f"\n{SHOPIFY_ROW}\n")
    sales = read_sales([path]).series[("US-CA", "USD", "direct", "sale", "no", "goods")]
    assert sales == {date(2025, 3, 2): [Decimal("100.00"), 1]}
    presence = write("presence.csv", "kind,\u200elocation\u200f,since\nemployee,US-TX,2024-02-01\n")
    assert [i.location for i in read_presence(presence)] == ["US-TX"]


def test_an_error_on_a_cell_of_100000_characters_stays_one_short_line(write):
    """A cell of 100,000 characters (two cells run together, a pasted document) made an error line of 100,000
    characters, the reason lost at its end; the value is now shown by its start, its end and its length."""
    path = write("orders.csv", "order_id,date,country,region,currency,amount\n"
                               f"A1,2026-01-05,{'U' * 100_000},CA,USD,100.00\n")
    with pytest.raises(InputError) as caught:
        read_sales([path])
    assert str(caught.value) == (f"{path}:2: column 'country' value '{'U' * 80}'...'{'U' * 20}' (100,000 characters): "
                                 f"is not an ISO 3166-1 alpha-2 country code")
    assert caught.value.location.value == "U" * 100_000  # kept whole for the rejected-rows listings


def test_an_unreadable_short_row_of_a_platform_export_says_it_is_short(write):
    """In a Shopify export, a row with its Created at left out moved every cell after it one column left: the error
    named the Subtotal, 90.00, as no currency code, without a word that the row was a field short."""
    header = ("Name,Financial Status,Cancelled at,Refunded Amount,Created at,Currency,Subtotal,Shipping,Taxes,Total,"
              "Lineitem quantity,Lineitem name,Lineitem price,Lineitem requires shipping,Billing Province,"
              "Billing Country,Shipping Province,Shipping Country")
    row = "#1001,paid,,0.00,USD,90.00,10.00,7.25,107.25,1,Teapot,90.00,true,CA,US,CA,US"  # no Created at
    path = write("orders.csv", f"{header}\n{row}\n")
    with pytest.raises(InputError) as caught:
        read_sales([path])
    assert str(caught.value) == (f"{path}:2: column 'Currency' value '90.00': is not an ISO 4217 currency code (the "
                                 f"row has 17 fields where the header has 18: a field left out?)")


@pytest.mark.parametrize("country, region, column, said", [
    ("United States", "TX", "country", "is a country's name, not its ISO 3166-1 alpha-2 code: write US"),
    ("Japan", "", "country", "is a country's name, not its ISO 3166-1 alpha-2 code: write JP"),
    ("US", "Texas", "region", "is a name, not a US subdivision code: write TX or US-TX"),
])
def test_a_place_written_as_a_name_is_refused_with_its_code(write, country, region, column, said):
    """'United States' in the country column had no suggestion ('is not an ISO 3166-1 alpha-2 country code'),
    'Japan' three wrong ones ('close matches: PN, PA, JP'), 'Texas' 'close matches: US-TX, US-AS, US-WA'. The
    orders layout takes codes; the error now names the code the name stands for."""
    path = write("orders.csv", "order_id,date,country,region,currency,amount\n"
                               f"A1,2026-01-05,{country},{region},USD,1\n")
    with pytest.raises(InputError) as caught:
        read_sales([path])
    written = country if column == "country" else region
    assert str(caught.value) == f"{path}:2: column {column!r} value {written!r}: {said}"
