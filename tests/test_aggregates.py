"""Daily aggregates (nexus check --aggregates) are summed by DuckDB where every value is plain, and read row by row
otherwise: both give the same ledger, and a bad value is still named by file, line and column."""
import csv
from datetime import date
from decimal import Decimal
from unittest import mock

import pytest
from hypothesis import HealthCheck, event, example, given, settings, strategies as st

from nexus import aggregates
from nexus.aggregates import read_aggregates, read_rows_of
from nexus.errors import InputError
from nexus.sql import AGGREGATE_COLUMNS

VALUES = {
    "date": ["2026-01-02", "2026-01-03", "2026-01-03T00:00:00", "2026-02-30", " 2026-01-04", "0000-01-01", ""],
    "jurisdiction": ["US-CA", "us-ny", "JP", "DE", " CA-QC ", "US", "XX", ""],
    "currency": ["USD", "jpy", "EUR", "CAD", "XYZ", ""],
    "channel": ["direct", "marketplace", "Reseller", "affiliate", "teleport"],
    "category": ["goods", "digital", "saas", "services", "food"],
    "kind": ["sale", "refund", "chargeback", "Sale", "gift"],
    "exempt": ["no", "exempt", "resale", "maybe"],
    "amount": ["10.00", "-3.5", "0", "12.345678901", "1,000.00", "(5.00)", "1e3", "", "999999999999999.999999999"],
    "rows": ["1", "0", "12", "-1", "2.5", " 3 ", ""],
    "shipping": ["", "1.50", "0", "-2.00", " 3.00 ", "1,000.00", "x"],
    "tax": ["", "0.83", "0.00", "-1.10", "  ", "$2.00"],
}


def plain(column):
    """The values of a column both readers read alike (the first few of each list): the common case."""
    return VALUES[column][:{"date": 2, "jurisdiction": 5, "currency": 4, "amount": 4, "rows": 3}.get(column, 4)]


@st.composite
def aggregate_files(draw):
    """A header and rows: the aggregate columns, and sometimes shipping and tax charged."""
    odd = draw(st.sampled_from([0, 0, 20, 3]))  # one cell in ``odd`` may be unusual (read row by row, or refused)
    columns = list(AGGREGATE_COLUMNS) + draw(st.sampled_from([[], [], ["shipping", "tax"], ["tax"]]))
    return [columns] + [[draw(st.sampled_from(VALUES[c] if odd and draw(st.integers(0, odd)) == 0 else plain(c)))
                         for c in columns] for _ in range(draw(st.integers(1, 12)))]


def ledger_of(reader, paths):
    try:
        ledger = reader(paths)
    except InputError as exc:
        return "error", str(exc)
    return (ledger.totals, ledger.charge_totals, ledger.category_sources, ledger.summary(), ledger.rows_by_day,
            ledger.files, ledger.layouts)


#: Aggregates each outcome below is for, given explicitly: plain ones DuckDB sums (as CSV, as Parquet with counts
#: typed either way, with shipping and tax), a count only the row-by-row reader reads, an amount both refuse.
PLAIN = [list(AGGREGATE_COLUMNS), ["2026-01-02", "US-CA", "USD", "direct", "goods", "sale", "no", "10.00", "1"],
         ["2026-01-03", "us-ny", "jpy", "marketplace", "digital", "refund", "exempt", "0", "12"]]
CHARGED = [PLAIN[0] + ["shipping", "tax"], PLAIN[1] + ["1.50", "0.83"], PLAIN[2] + ["", "  "]]
SPACED_COUNT = PLAIN[:2] + [PLAIN[2][:8] + [" 3 "]]
TOO_MANY_PLACES = PLAIN[:2] + [PLAIN[2][:7] + ["12.345678901", "1"]]


@given(aggregate_files(), st.booleans(), st.sampled_from(["BIGINT", "DOUBLE"]))
@example(PLAIN, False, "BIGINT")  # summed by DuckDB
@example(PLAIN, True, "DOUBLE")  # Parquet as DuckDB's COPY of the query writes it: summed by DuckDB
@example(CHARGED, True, "BIGINT")  # shipping and tax charged
@example(SPACED_COUNT, False, "BIGINT")  # read row by row
@example(TOO_MANY_PLACES, True, "DOUBLE")  # refused by both, named row by row
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_duckdb_and_row_by_row_read_any_aggregates_alike(tmp_path_factory, rows, parquet, count):
    """Whatever the aggregates, DuckDB's ledger is the row-by-row reader's, or DuckDB hands them over and the
    row-by-row reader reads them or names the bad value. Each outcome has an explicit example; 30 drawn files
    (60 before, each up to five DuckDB databases opened) add the variety."""
    folder = tmp_path_factory.mktemp("aggregates")
    path = folder / "agg.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    paths = [str(path)]
    if parquet:  # the same rows as a warehouse writes them: typed dates, decimals and counts where they are plain
        import duckdb

        target = folder / "agg.parquet"
        try:  # counts as integers, or as DuckDB's COPY writes the query's sums (a DOUBLE)
            duckdb.sql(f"COPY (SELECT * REPLACE (CAST(date AS DATE) AS date, CAST(amount AS DECIMAL(18, 2)) AS amount, "
                       f"CAST(rows AS {count}) AS rows) FROM read_csv('{path}', all_varchar = true)) TO '{target}' "
                       f"(FORMAT parquet)")
        except duckdb.Error:
            event("not typed")
            return
        paths = [str(target), str(path)]
    reference = ledger_of(read_rows_of, paths)
    # DuckDB's ledger as read_aggregates gets it, kept by a spy: one DuckDB read an example, where the test read the
    # files with DuckDB once itself and again through read_aggregates.
    summed = []

    def spy(*args):
        summed.append(real(*args))
        return summed[-1]

    real = aggregates._read_with_duckdb
    with mock.patch.object(aggregates, "_read_with_duckdb", spy):
        public = ledger_of(read_aggregates, paths)
    assert len(summed) == 1  # read_aggregates asks DuckDB first, whatever the values
    by_duckdb = summed[0]
    if by_duckdb is None:
        event("read row by row" + (" (an error)" if reference[0] == "error" else ""))
    else:
        event("summed by DuckDB")
        assert ledger_of(lambda p: by_duckdb, paths) == reference
    assert public == reference


def test_a_bad_value_among_a_million_plain_ones_is_named_by_line(tmp_path):
    path = tmp_path / "agg.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(AGGREGATE_COLUMNS)
        out.writerows([("2026-01-02", "US-CA", "USD", "direct", "goods", "sale", "no", "10.00", 1)] * 3000)
        out.writerow(("2026-01-03", "US-CA", "USD", "direct", "goods", "sale", "no", "10.00", "2.5"))
    with pytest.raises(InputError, match=r"agg.csv:3002: column 'rows' value '2.5': is not a count of rows"):
        read_aggregates([str(path)])
    assert aggregates._read_with_duckdb([str(path)]) is None  # DuckDB stops at it and hands the file over


@pytest.mark.parametrize("amount, code, refused", [
    ("1500.5", "JPY", True), ("1500.000000000", "JPY", False), ("12.340000000", "USD", False),
    ("12.345", "USD", True), ("0.125", "BHD", False), ("0.1255", "BHD", True), ("0.0001", "CLF", False),
    ("1500.50", "JPY", True), ("1500.00", "JPY", False), ("1500.500000000", "JPY", True), ("12.345000000", "USD", True),
    ("12.300000000", "USD", False), ("-0.000000001", "USD", True), ("12.30", "USD", False)])
def test_an_aggregate_with_more_places_than_its_currency_is_refused_by_both_readers(tmp_path, amount, code, refused):
    """nexus sql summed 1500.5 JPY and --aggregates read it, where every orders reader refuses such an amount:
    amounts that fit add up to one that fits, so an aggregate that does not sums one that does not. Trailing zeros,
    as a warehouse's DECIMAL(38, 9) writes them, are no places. DuckDB hands such a file to the row-by-row reader,
    which names the row."""
    path = tmp_path / "agg.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(AGGREGATE_COLUMNS)
        out.writerows([("2026-01-02", "JP", code, "direct", "goods", "sale", "no", "10", 1)] * 100)
        out.writerow(("2026-01-03", "JP", code, "direct", "goods", "sale", "no", amount, 1))
    if refused:
        assert aggregates._read_with_duckdb([str(path)]) is None
        with pytest.raises(InputError, match=rf"agg.csv:102: column 'amount' value '{amount}': has \d decimal "
                                             rf"places? but {code} has"):
            read_aggregates([str(path)])
    else:
        assert aggregates._read_with_duckdb([str(path)]) is not None
        assert read_aggregates([str(path)]).summary()["rows_read"] == 101


def test_values_only_the_row_by_row_reader_reads_are_read_by_it(tmp_path):
    path = tmp_path / "agg.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(AGGREGATE_COLUMNS)
        out.writerow(("2026-01-02", " us-ca ", "usd", "Direct", "goods", "sale", "no", "1,000.00", " 3 "))
        out.writerow(("2026-01-02", "US-CA", "USD", "direct", "goods", "Refund", "no", "(5.00)", "1"))
    assert aggregates._read_with_duckdb([str(path)]) is None
    ledger = read_aggregates([str(path)])
    assert ledger.summary()["rows_read"] == 4
    assert sorted(t[0] for t in ledger.totals.values()) == [-5, 1000]


@pytest.mark.parametrize("option", [["--unknown-category", "goods"], ["--category", "goods"]])
@pytest.mark.parametrize("reader", ["duckdb", "rows"])
def test_category_options_read_unknown_aggregates_as_they_read_unknown_order_rows(tmp_path, monkeypatch, option,
                                                                                    reader):
    """``--unknown-category goods`` (or ``--category goods``) counts the query's ``unknown`` aggregates as goods, as
    it counts the orders' empty categories: with --aggregates both were silently ignored, California's 100.00 of
    sales without a category stayed unknown and uncounted, where --sales on the same orders counted it."""
    import json

    from click.testing import CliRunner

    from nexus.cli import cli

    if reader == "rows":
        monkeypatch.setattr(aggregates, "_read_with_duckdb", lambda *args: None)
    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,date,country,region,amount,currency,category\n"
                      "A1,2026-01-02,US,CA,100.00,USD,\nA2,2026-01-03,US,CA,40.00,USD,digital\n"
                      "A3,2026-01-04,US,CA,7.00,USD,goods\n", encoding="utf-8")
    path = tmp_path / "agg.csv"
    path.write_text(",".join(AGGREGATE_COLUMNS) + "\n2026-01-02,US-CA,USD,direct,unknown,sale,no,100.00,1\n"
                    "2026-01-03,US-CA,USD,direct,digital,sale,no,40.00,1\n"
                    "2026-01-04,US-CA,USD,direct,goods,sale,no,7.00,1\n", encoding="utf-8")

    def ca(flag, file):
        result = CliRunner().invoke(cli, ["check", flag, str(file), "--as-of", "2026-06-30", "--format", "json",
                                          *option], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "US-CA")

    from_aggregates, from_orders = ca("--aggregates", path), ca("--sales", orders)
    assert from_aggregates["sales"] == from_orders["sales"] == "107.00"
    assert from_aggregates["categories"] == from_orders["categories"]


@pytest.mark.parametrize("reader", [read_aggregates, read_rows_of])
def test_a_us_aggregate_without_its_state_is_refused_as_a_us_order_row_without_one(tmp_path, reader):
    """The query writes ``US`` for orders whose region is empty, which the orders readers refuse (a US row needs
    its state); read as the place US, USD 900,000.00 of sales were listed under 'no rules (not assessed)' and
    counted in no state's threshold."""
    path = tmp_path / "agg.csv"
    path.write_text(",".join(AGGREGATE_COLUMNS) + "\n2026-01-02,US-CA,USD,direct,goods,sale,no,10.00,1\n"
                    "2026-01-02,US,USD,direct,goods,sale,no,900000.00,300\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        reader([str(path)])
    assert str(caught.value) == (f"{path}:3: column 'jurisdiction' value 'US': is a country whose sales are placed "
                                 f"by state: an aggregate needs its state (US-XX; the orders' region was empty)")


@pytest.mark.parametrize("reader", [read_aggregates, read_rows_of])
def test_puerto_rico_as_the_query_writes_it_is_us_pr_as_the_orders_readers_read_it(tmp_path, reader):
    """nexus sql writes an order to country PR as jurisdiction PR; the orders readers place it in US-PR (one code
    for Puerto Rico, places.one_code), so the aggregates are read there too, beside the rows written US-PR."""
    path = tmp_path / "agg.csv"
    path.write_text(",".join(AGGREGATE_COLUMNS) + "\n2026-01-02,PR,USD,direct,goods,sale,no,10.00,1\n"
                    "2026-01-02,US-PR,USD,direct,goods,sale,no,5.00,1\n", encoding="utf-8")
    totals = reader([str(path)]).totals
    assert {key[0] for key in totals} == {"US-PR"} and sum(v[0] for v in totals.values()) == 15


@pytest.mark.parametrize("reader", [read_aggregates, read_rows_of])
def test_the_same_aggregate_in_two_files_is_summed_and_said(tmp_path, reader):
    """Two aggregates files holding the same day and group (the query run twice over overlapping days) are summed,
    as files of different groups are, but said: the same file given twice doubled every sale with '0 duplicates'
    and no word, where the same orders given twice with --sales are counted once."""
    rows = (",".join(AGGREGATE_COLUMNS) + "\n2026-01-02,US-CA,USD,direct,goods,sale,no,10.00,1\n"
            "2026-01-03,US-CA,USD,direct,goods,refund,no,-4.00,1\n")
    first, second, other = tmp_path / "a.csv", tmp_path / "b.csv", tmp_path / "c.csv"
    first.write_text(rows, encoding="utf-8")
    second.write_text(rows, encoding="utf-8")
    other.write_text(",".join(AGGREGATE_COLUMNS) + "\n2026-01-02,US-NY,USD,direct,goods,sale,no,10.00,1\n",
                     encoding="utf-8")
    assert reader([str(first), str(other)]).notes.warnings == []
    assert reader([str(first), str(second)]).notes.warnings == [
        f"{first} and {second} both hold the aggregate of 2026-01-02 for US-CA USD direct goods sale no (and 1 more "
        f"the same way): the files are summed, so if they overlap (the query run twice over those days) those "
        f"sales are counted twice"]


def test_shipping_and_tax_are_summed_by_duckdb_as_row_by_row(tmp_path):
    path = tmp_path / "agg.csv"
    path.write_text(",".join(AGGREGATE_COLUMNS + ("shipping", "tax")) + "\n"
                    "2026-01-02,US-CA,USD,direct,goods,sale,no,110.00,3,10.00,8.25\n"
                    "2026-01-02,US-CA,USD,direct,goods,refund,no,20.00,1,-2.00,1.65\n"
                    "2026-01-02,US-CA,USD,direct,goods,refund,no,-5.00,1,1.00,\n"
                    "2026-01-03,US-CA,USD,direct,goods,sale,no,20.00,1, ,\n"
                    "2026-01-03,US-TX,USD,marketplace,goods,sale,no,-8.00,1,0.50,0.66\n", encoding="utf-8")
    by_duckdb = aggregates._read_with_duckdb([str(path)])
    assert by_duckdb is not None  # summed by DuckDB, not handed to the row-by-row reader
    assert ledger_of(lambda p: by_duckdb, [str(path)]) == ledger_of(read_rows_of, [str(path)])
    assert len(by_duckdb.charge_totals) == 3  # 2026-01-03's sale charged nothing


@pytest.mark.parametrize("scale, amount, refused", [(2, "1500.00", False), (2, "1500.50", True), (0, "1500", False)])
def test_a_typed_parquet_amount_in_yen_is_judged_by_its_value_not_its_type(tmp_path, scale, amount, refused):
    """A warehouse's DECIMAL(18, 2) writes 1,500 yen as 1500.00: its places are the type's, not the amount's."""
    import duckdb

    path = tmp_path / "agg.parquet"
    with duckdb.connect() as connection:
        connection.execute(f"COPY (SELECT DATE '2026-01-02' AS date, 'JP' AS jurisdiction, 'JPY' AS currency, "
                           f"'direct' AS channel, 'goods' AS category, 'sale' AS kind, 'no' AS exempt, "
                           f"CAST('{amount}' AS DECIMAL(18, {scale})) AS amount, 1 AS rows) TO '{path}' (FORMAT parquet)")
    by_duckdb = aggregates._read_with_duckdb([str(path)])
    if refused:
        assert by_duckdb is None
        with pytest.raises(InputError, match="has 1 decimal place but JPY has 0"):
            read_aggregates([str(path)])
    else:
        assert by_duckdb is not None and ledger_of(lambda p: by_duckdb, [str(path)]) == ledger_of(read_rows_of,
                                                                                                   [str(path)])


HEADER = "date,jurisdiction,currency,channel,category,kind,exempt,amount,rows"


def test_an_aggregate_row_with_a_field_too_many_is_an_error_not_a_count_of_rows(tmp_path):
    """An unquoted '1,234' moved 234 into the rows column and set the real count aside: 1.00 of sales and 236
    transactions (a 200-transaction test met), without a word, on either reader (DuckDB hands over)."""
    path = tmp_path / "aggregates.csv"
    path.write_text(f"{HEADER}\n2025-01-02,US-TX,USD,direct,goods,sale,no,1,234,5\n"
                    "2025-01-03,US-TX,USD,direct,goods,sale,no,100.00,2\n")
    with pytest.raises(InputError, match=r"aggregates.csv:2: has 10 fields where the header has 9"):
        read_aggregates([str(path)])


def test_an_aggregates_header_naming_a_column_twice_is_an_error(tmp_path):
    path = tmp_path / "aggregates.csv"
    path.write_text(f"{HEADER},amount\n2025-01-02,US-TX,USD,direct,goods,sale,no,1234.00,5,1000.00\n")
    with pytest.raises(InputError, match=r"aggregates.csv:1: names the column\(s\) amount twice"):
        read_aggregates([str(path)])


def test_options_that_say_how_to_read_orders_are_refused_with_aggregates(tmp_path):
    """--time-zone, --date-format, --column... given with --aggregates were passed over without a word."""
    from click.testing import CliRunner

    from nexus.cli import cli

    path = tmp_path / "aggregates.csv"
    path.write_text(f"{HEADER}\n2025-01-02,US-TX,USD,direct,goods,sale,no,100.00,2\n")
    result = CliRunner().invoke(cli, ["check", "--aggregates", str(path), "--time-zone", "UTC", "--as-of",
                                      "2025-02-01", "--db", str(tmp_path / "store.sqlite3")])
    assert result.exit_code == 2 and "--time-zone says how to read orders (--sales)" in result.stderr


SNOWFLAKE_HEADER = "date,JURISDICTION,CURRENCY,CHANNEL,CATEGORY,KIND,EXEMPT,AMOUNT,rows"


@pytest.mark.parametrize("reader", [read_aggregates, read_rows_of])
def test_column_names_as_snowflake_writes_them_are_read(tmp_path, reader):
    """Snowflake upper-cases every name the query leaves unquoted, so its export of the query's result is headed
    date,JURISDICTION,...,AMOUNT,rows: '--aggregates' refused it ('missing column(s) jurisdiction, currency, ...',
    exit 2), on CSV and Parquet alike. The same figures are read whatever the names' case."""
    import duckdb

    body = ("2026-01-02,US-CA,USD,direct,goods,sale,no,110.000000000,3\n"
            "2026-01-03,US-CA,USD,marketplace,goods,refund,no,-20.000000000,1\n"
            "2026-01-03,JP,JPY,direct,digital,sale,exempt,1500.000000000,2\n")
    upper, lower = tmp_path / "snowflake.csv", tmp_path / "lower.csv"
    upper.write_text(f"{SNOWFLAKE_HEADER}\n{body}", encoding="utf-8")
    lower.write_text(f"{HEADER}\n{body}", encoding="utf-8")
    parquet = tmp_path / "snowflake.parquet"
    duckdb.sql(f"COPY (SELECT * REPLACE (CAST(date AS DATE) AS date, CAST(AMOUNT AS DECIMAL(38, 9)) AS AMOUNT, "
               f"CAST(rows AS DECIMAL(38, 0)) AS rows) FROM read_csv('{upper}', all_varchar = true)) "
               f"TO '{parquet}' (FORMAT parquet)")
    expected = ledger_of(reader, [str(lower)])
    assert expected[0] != "error"
    assert sorted(t[0] for t in reader([str(lower)]).totals.values()) == [-20, 110, 1500]
    assert ledger_of(reader, [str(upper)])[:5] == expected[:5]
    assert ledger_of(reader, [str(parquet)])[:5] == expected[:5]


def test_a_bad_value_in_an_upper_case_column_is_named_as_written(tmp_path):
    path = tmp_path / "snowflake.csv"
    path.write_text(f"{SNOWFLAKE_HEADER}\n2026-01-02,US-CA,USD,direct,goods,sale,no,12.5x,3\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"snowflake.csv:2: column 'AMOUNT' value '12.5x'"):
        read_aggregates([str(path)])


def test_a_column_named_twice_in_two_cases_is_an_error(tmp_path):
    path = tmp_path / "aggregates.csv"
    path.write_text(f"{HEADER},AMOUNT\n2025-01-02,US-TX,USD,direct,goods,sale,no,1234.00,5,1000.00\n")
    with pytest.raises(InputError, match=r"aggregates.csv:1: names the column\(s\) amount twice"):
        read_aggregates([str(path)])


@pytest.mark.parametrize("kind", ["TIMESTAMP", "TIMESTAMP_MS", "TIMESTAMP_NS", "TIMESTAMPTZ"])
def test_a_parquet_date_written_as_a_timestamp_is_read_as_its_day(tmp_path, kind):
    """A warehouse may write the query's date as a TIMESTAMP (2026-01-02 00:00:00): 'check --aggregates' stopped
    with a traceback ('TypeError: can't compare datetime.datetime to datetime.date', exit 1). It is read as its
    day, as the orders readers read 2026-01-02T10:00:00, by both readers; one with a time zone (an instant) is
    refused, naming the file, line and column, exit 2."""
    import json

    import duckdb
    from click.testing import CliRunner

    from nexus.cli import cli

    path = tmp_path / "agg.parquet"
    with duckdb.connect() as connection:
        connection.execute("SET TimeZone = 'UTC'")
        connection.execute(f"COPY (SELECT CAST(d AS {kind}) AS date, 'US-CA' AS jurisdiction, 'USD' AS currency, "
                           f"'direct' AS channel, 'goods' AS category, 'sale' AS kind, 'no' AS exempt, "
                           f"CAST(a AS DECIMAL(38, 9)) AS amount, CAST(1 AS BIGINT) AS rows FROM (VALUES "
                           f"(TIMESTAMP '2026-01-02 00:00:00', '10.00'), (TIMESTAMP '2026-01-03 10:30:00', '5.25')) "
                           f"t(d, a)) TO '{path}' (FORMAT parquet)")
    result = CliRunner().invoke(cli, ["check", "--aggregates", str(path), "--as-of", "2026-06-30", "--format",
                                      "json", "--db", str(tmp_path / "store.sqlite3")])
    if kind == "TIMESTAMPTZ":
        assert result.exit_code == 2, result.output
        assert (f"{path}:1: column 'date' value '2026-01-02 00:00:00+00:00': is a timestamp with a time zone"
                in result.stderr)
        return
    assert result.exit_code == 0, result.output
    ca = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "US-CA")
    assert (ca["sales"], ca["transactions"]) == ("15.25", 2)
    by_duckdb = aggregates._read_with_duckdb([str(path)])
    assert by_duckdb is not None and sorted(by_duckdb.rows_by_day) == [date(2026, 1, 2), date(2026, 1, 3)]
    assert ledger_of(lambda p: by_duckdb, [str(path)]) == ledger_of(read_rows_of, [str(path)])


def test_snowflake_counts_as_decimals_of_no_places_are_summed_by_duckdb(tmp_path):
    """Snowflake writes the query's counts as NUMBER(38, 0), a Parquet DECIMAL(38, 0): DuckDB handed every such file
    to the row-by-row reader (a million aggregates read one at a time); it now sums them, with the same ledger."""
    import duckdb

    path = tmp_path / "agg.parquet"
    with duckdb.connect() as connection:
        connection.execute(f"COPY (SELECT DATE '2026-01-02' AS DATE, 'US-CA' AS JURISDICTION, 'USD' AS CURRENCY, "
                           f"'direct' AS CHANNEL, 'goods' AS CATEGORY, 'sale' AS KIND, 'no' AS EXEMPT, "
                           f"CAST('110.000000000' AS DECIMAL(38, 9)) AS AMOUNT, CAST(3 AS DECIMAL(38, 0)) AS \"rows\") "
                           f"TO '{path}' (FORMAT parquet)")
    by_duckdb = aggregates._read_with_duckdb([str(path)])
    assert by_duckdb is not None
    assert ledger_of(lambda p: by_duckdb, [str(path)]) == ledger_of(read_rows_of, [str(path)])
    assert by_duckdb.summary()["rows_read"] == 3


@pytest.mark.parametrize("kind", ["DOUBLE", "FLOAT"])
def test_counts_as_duckdb_writes_the_querys_sums_to_parquet_are_summed_by_duckdb(tmp_path, kind):
    """DuckDB sums the query's counts as a HUGEINT, which its COPY ... (FORMAT parquet) writes as a DOUBLE: the file
    docs/scale.md's DuckDB example writes had every aggregate read one at a time by the row-by-row reader (the sample's
    25,718: 1.09 CPU-seconds, against 0.30 by DuckDB). Whole counts are now summed by DuckDB, with the same ledger;
    a count that is not whole or is negative is still named by the row-by-row reader."""
    import duckdb

    path = tmp_path / "agg.parquet"

    def write(rows):
        with duckdb.connect() as connection:
            connection.execute(f"COPY (SELECT DATE '2026-01-02' + CAST(n AS INTEGER) AS date, 'US-CA' AS jurisdiction, "
                               f"'USD' AS currency, 'direct' AS channel, 'goods' AS category, 'sale' AS kind, "
                               f"'no' AS exempt, CAST('110.000000000' AS DECIMAL(38, 9)) AS amount, "
                               f"CAST(r AS {kind}) AS rows FROM (VALUES {rows}) t(n, r)) TO '{path}' (FORMAT parquet)")

    write("(0, '3'), (1, '0'), (2, '12')")
    by_duckdb = aggregates._read_with_duckdb([str(path)])
    assert by_duckdb is not None
    assert ledger_of(lambda p: by_duckdb, [str(path)]) == ledger_of(read_rows_of, [str(path)])
    assert by_duckdb.summary()["rows_read"] == 15
    for count, said in (("2.5", "is not a count of rows"), ("-1", "is negative"), ("nan", "is not a count")):
        write(f"(0, '3'), (1, '{count}')")
        assert aggregates._read_with_duckdb([str(path)]) is None
        with pytest.raises(InputError, match=rf"agg.parquet:2: column 'rows' value '.*': {said}"):
            read_aggregates([str(path)])


def test_daily_totals_are_written_for_python_as_duckdb_casts_them():
    """The totals DuckDB hands to Python are written by way of DECIMAL(18, 9) where they fit (quicker): the text,
    and so each Decimal's exponent, must be the one CAST gives a DECIMAL(38, 9), on both sides of 10^9."""
    import random

    import duckdb

    from nexus.duckdb_totals import decimal_text

    rng = random.Random(15)
    edge = Decimal(10**9)
    values = [edge, -edge, edge - Decimal("0.000000001"), Decimal("0.000000001") - edge, Decimal(0),
              Decimal("-0.000000001"), Decimal("29" * 14 + ".5")] + [
        Decimal(rng.randrange(-10**digits, 10**digits)).scaleb(-rng.randrange(10)) for digits in range(1, 30)
        for _ in range(40)]
    texts = [f"{value:f}" for value in values]
    rows = duckdb.execute(f"SELECT text, {decimal_text('x')}, CAST(x AS VARCHAR) FROM (SELECT text, CAST(text AS "
                          f"DECIMAL(38, 9)) AS x FROM (SELECT UNNEST(?::VARCHAR[]) AS text))", [texts]).fetchall()
    assert len(rows) == len(values)
    assert [(text, written) for text, written, _cast in rows] == [(text, cast) for text, _written, cast in rows]


def test_the_places_of_an_amount_are_told_as_the_row_by_row_reader_tells_them():
    """DuckDB tells most amounts' decimal places by their last characters (two places written, or nine as nexus
    sql writes them), the rest by trimming zeros: every way must give the places the amount has, trailing zeros
    aside, as the row-by-row reader's check counts them."""
    import random

    import duckdb

    rng = random.Random(15)
    texts = ["0", "-5", "1500.00", "1500.50", "1500.05", "7.0", "7.5", "0.000000000", "12.340000000",
             "12.300000000", "12.345000000", "-0.000000001", "1.100000000", "3.1000", "3.1400", "10.100"]
    texts += [f"{rng.randrange(-10**6, 10**6) / 100:.{written}f}" for written in range(10) for _ in range(30)]
    rows = duckdb.execute(f"SELECT text, {aggregates._written_places('text')} FROM (SELECT UNNEST(?::VARCHAR[]) "
                          f"AS text)", [texts]).fetchall()
    assert rows == [(text, max(0, -Decimal(text).normalize().as_tuple().exponent) if Decimal(text) else 0)
                    for text in texts]


def test_the_same_aggregates_give_their_totals_in_the_same_order_every_run(tmp_path):
    """The order of the ledger's series (the order of, say, the report's notes on taxability per category) followed
    the order in which DuckDB happened to hand over the spellings of the words, so two runs on one file could write
    two JSON reports in different orders. The spellings are now numbered in their own order (as written)."""
    path = tmp_path / "agg.csv"
    places = ["US-CA", "US-TX", "US-NY", "DE", "FR", "JP", "GB", "AU"]
    spellings = [(place, {"JP": "JPY", "GB": "GBP", "AU": "AUD", "DE": "EUR", "FR": "EUR"}.get(place, "USD"), channel,
                  category) for place in places for channel in ("direct", "marketplace")
                 for category in ("goods", "digital", "saas")]
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(AGGREGATE_COLUMNS)
        for place, code, channel, category in reversed(spellings):
            out.writerow(("2026-01-02", place, code, channel, category, "sale", "no", "10", 1))
    ledger = aggregates._read_with_duckdb([str(path)])
    assert [(key[0], key[1], key[2], key[5]) for key in ledger.series] == sorted(spellings)
