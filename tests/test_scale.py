"""The same daily aggregates three ways: nexus's own reader, the SQL on DuckDB, the SQL on Spark."""
import csv
import io
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, event, example, given, settings, strategies as st

from conftest import needs_program
from conftest import account, csv_files, sample_ledger
from nexus.aggregates import read_aggregates
from nexus.check import check
from nexus.cli import cli
from nexus.rules import load_rules
from nexus.sales import read_sales
from nexus.sql import AGGREGATE_COLUMNS, render

FIELDS = ["order_id", "date", "country", "region", "amount", "currency", "channel", "kind", "exempt", "category"]


def generate(path, rows=3000, seed=7):
    """Orders with nexus's field names: refunds, negative sales, marketplace, exempt, repeats of earlier rows."""
    rng = random.Random(seed)
    places = [("US", "CA"), ("US", "US-TX"), ("US", "NY"), ("US", "WA"), ("CA", "QC"), ("CA", ""), ("JP", ""),
              ("DE", ""), ("GB", "")]
    written = []
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(FIELDS)
        for i in range(rows):
            if written and rng.random() < 0.05:
                writer.writerow(rng.choice(written))  # a late export repeats a row
                continue
            country, region = rng.choice(places)
            day = date(2025, 1, 1) + timedelta(days=rng.randrange(540))
            kind = rng.choices(["sale", "", "refund", "Chargeback", "order"], [70, 10, 10, 3, 7])[0]
            amount = Decimal(rng.randrange(-500, 90000)) / 100
            if country == "JP":
                amount = amount.to_integral_value()  # yen have no decimals: 225.97 JPY would be refused
            row = [f"A{i}" if rng.random() > 0.02 else "", f"{day}T10:00:00", country, region, str(amount),
                   {"US": "USD", "CA": "CAD", "JP": "JPY", "DE": "EUR", "GB": "GBP"}[country],
                   rng.choice(["", "direct", "marketplace", "Reseller", "affiliate", "web"]), kind,
                   rng.choice(["", "no", "yes", "resale"]), rng.choice(["", "goods", "digital", "saas", "Services"])]
            writer.writerow(row)
            written.append(row)


def write_aggregates(path, records):
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(AGGREGATE_COLUMNS)
        writer.writerows(records)


@pytest.fixture(scope="module")
def orders(tmp_path_factory):
    path = tmp_path_factory.mktemp("scale") / "orders.csv"
    generate(path)
    return path


def reference(orders):
    """The reference reader's ledger of the module's orders: read once (0.11 s each of the nine times the tests
    compared with it), each caller getting its own copy (conftest.sample_ledger, which keeps any file it read)."""
    return sample_ledger(orders.name, folder=orders.parent)


def test_duckdb_dialect_on_duckdb_matches_nexus(orders, tmp_path):
    import duckdb

    connection = duckdb.connect()
    connection.execute(f"CREATE TABLE orders AS SELECT * FROM read_csv('{orders}', all_varchar = true, header = true)")
    records = connection.execute(render("duckdb")).fetchall()
    out = tmp_path / "aggregates.csv"
    write_aggregates(out, records)
    fast, ref = read_aggregates([str(out)]), reference(orders)
    assert fast.totals == ref.totals
    assert fast.rows_used == ref.rows_used
    as_of = date(2026, 6, 30)
    assert [(f.label, f.status, f.sales, f.transactions) for f in check(fast, load_rules(), as_of).findings] == \
           [(f.label, f.status, f.sales, f.transactions) for f in check(ref, load_rules(), as_of).findings]


@pytest.fixture(scope="module")
def spark():
    """One local Spark session for the tests that run nexus's SQL on Spark. Starting Spark (its JVM) and planning the
    first query is most of their time, not the few thousand rows: one session for both, and a JVM for short work
    (the client compiler only, the serial collector: 17 s against 29 s for the first query, measured 2026-12-07;
    and no verification of the bytecode of Spark's own jars as the JVM loads their 15,000 classes: 14.5 to 16.6
    CPU-seconds against 17.3 to 18.9 from start to the first query's result, the same day, load 3.2 to 4.5. A JVM
    without these options ignores them)."""
    needs_program("java")  # Spark runs on Java
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    java = ("-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:+IgnoreUnrecognizedVMOptions -XX:+UnlockDiagnosticVMOptions "
            "-XX:-BytecodeVerificationRemote")
    session = (SparkSession.builder.master("local[1]").appName("nexus-test").config("spark.ui.enabled", "false")
               .config("spark.sql.shuffle.partitions", "2").config("spark.driver.host", "127.0.0.1")
               .config("spark.driver.extraJavaOptions", java).getOrCreate())
    yield session
    session.stop()


@pytest.mark.slow
def test_spark_dialect_on_spark_matches_nexus(orders, spark):
    frame = spark.read.option("header", "true").csv(str(orders))
    frame.createOrReplaceTempView("orders")
    records = [tuple(r) for r in spark.sql(render("spark").rstrip().rstrip(";")).collect()]
    ledger = read_aggregates_from(records)
    assert ledger == reference(orders).totals


def read_aggregates_from(records):
    from nexus.ledger import Ledger, profile

    ledger = Ledger()
    for day, place, code, channel, category, kind, exempt, amount, rows in records:
        total = ledger.total(profile(place, code, channel, kind, exempt, category), day)
        total[0] += Decimal(amount)
        total[1] += rows if kind == "sale" else 0
    return ledger.totals


@pytest.mark.parametrize("dialect", ["duckdb", "spark", "snowflake", "bigquery", "postgres"])
def test_every_dialect_renders(dialect):
    text = render(dialect, "shop.orders")
    assert "shop.orders" in text and text.rstrip().endswith(";")
    assert "ROW_NUMBER()" in text.upper()


def test_cli_sql_and_check_with_aggregates(orders, tmp_path):
    import duckdb

    result = CliRunner().invoke(cli, ["sql", "--dialect", "duckdb", "--table", "orders"], catch_exceptions=False)
    connection = duckdb.connect()
    connection.execute(f"CREATE TABLE orders AS SELECT * FROM read_csv('{orders}', all_varchar = true, header = true)")
    parquet = tmp_path / "aggregates.parquet"
    connection.execute(f"COPY ({result.stdout.rstrip().rstrip(';')}) TO '{parquet}' (FORMAT parquet)")
    from_parquet = CliRunner().invoke(cli, ["check", "--aggregates", str(parquet), "--as-of", "2026-06-30",
                                            "--format", "csv"], catch_exceptions=False)
    from_orders = CliRunner().invoke(cli, ["check", "--sales", str(orders), "--as-of", "2026-06-30",
                                           "--format", "csv"], catch_exceptions=False)
    assert from_parquet.exit_code == 0 and from_parquet.stdout == from_orders.stdout
    both = CliRunner().invoke(cli, ["check", "--sales", str(orders), "--aggregates", str(parquet)])
    assert both.exit_code == 2


def test_bad_aggregates_name_the_cell(tmp_path):
    path = tmp_path / "agg.csv"
    write_aggregates(path, [("2026-01-02", "US-CA", "USD", "teleport", "goods", "sale", "no", "10.00", 1)])
    with pytest.raises(Exception, match=r"agg.csv:2: column 'channel' value 'teleport': is not one of"):
        read_aggregates([str(path)])


def test_fast_path_and_reference_give_identical_findings(orders):
    from nexus.own_layout_fast import read_sales_fast
    from nexus.read_options import ReadOptions

    fast = read_sales_fast([str(orders)], ReadOptions())
    ref = reference(orders)
    assert fast is not None and fast.summary() == ref.summary()
    assert fast.totals == ref.totals
    assert fast.day_currency_totals is not None  # summed by DuckDB, the same as summed from the totals
    assert fast.by_day_and_currency() == ref.by_day_and_currency() and ref.day_currency_totals is not None
    # converted in one order in every run: a rate missing on two days is said of the earlier, not of either
    assert list(fast.day_currency_totals) == sorted(fast.day_currency_totals)
    as_of = date(2026, 6, 30)
    assert [(f.label, f.status, f.sales, f.transactions, f.crossed_on) for f in check(fast, load_rules(), as_of).findings] \
        == [(f.label, f.status, f.sales, f.transactions, f.crossed_on) for f in check(ref, load_rules(), as_of).findings]


def test_rows_starting_with_a_hash_are_never_taken_for_comments(tmp_path):
    """DuckDB's sniffer took '#' for a comment character where every row starts with one and one row is short:
    the file read as no rows at all. The short row hands over; nexus's own reader reads every row."""
    from nexus.own_layout_fast import read_sales_fast
    from nexus.plain_input import NotPlain
    from nexus.read_options import ReadOptions

    rows = [f"#{1000 + i},2026-01-{1 + i % 28:02d},US,CA,{10 + i}.00,USD" for i in range(200)]
    rows.insert(50, "#1999,2026-01-02,US,CA,5.00")  # no currency: --currency gives it
    path = tmp_path / "o.csv"
    path.write_text("order_id,date,country,region,amount,currency\n" + "\n".join(rows) + "\n", encoding="utf-8")
    options = ReadOptions(category="goods", currency="USD")
    with pytest.raises(NotPlain, match="fewer or more fields than the header"):
        read_sales_fast([str(path)], options)
    assert read_sales([str(path)], options).summary()["rows_used"] == 201


def test_fast_path_hands_over_when_input_is_not_plain(tmp_path):
    from nexus.own_layout_fast import read_sales_fast
    from nexus.plain_input import NotPlain
    from nexus.read_options import ReadOptions

    path = tmp_path / "o.csv"
    path.write_text('date,country,region,amount,currency\n2026-01-02,US,CA,"$1,234.50",USD\n')
    with pytest.raises(NotPlain):  # a currency mark: the reference reads it
        read_sales_fast([str(path)], ReadOptions())
    path.write_text("date,country,region,amount,currency\n2026-01-02,US,XX,1,USD\n")
    with pytest.raises(NotPlain, match="'XX'"):  # unknown state: the reference names the cell
        read_sales_fast([str(path)], ReadOptions())


def test_cli_engine_duckdb_matches_python(orders):
    args = ["check", "--sales", str(orders), "--as-of", "2026-06-30", "--format", "csv"]
    fast = CliRunner().invoke(cli, args + ["--engine", "duckdb"], catch_exceptions=False)
    slow = CliRunner().invoke(cli, args + ["--engine", "python"], catch_exceptions=False)
    assert fast.exit_code == 0 and fast.stdout == slow.stdout
    assert "row by row" not in fast.stderr


def test_cli_says_when_duckdb_hands_over(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text('date,country,region,amount,currency\n2026-01-02,US,CA,"$1,234.50",USD\n', encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--sales", str(path), "--as-of", "2026-06-30", "--engine", "duckdb",
                                      "--format", "csv"])
    assert result.exit_code == 0
    assert ("Warning: reading 0.0 MB of orders row by row, not with DuckDB: a date or amount in a form only "
            "nexus's own reader reads") in result.stderr and "$1234.50" in result.stderr
    assert "US-CA" in result.stdout  # read all the same, by the reference reader


def test_fast_path_hands_over_on_a_conflicting_repeat(tmp_path):
    from nexus.own_layout_fast import read_sales_fast
    from nexus.plain_input import NotPlain
    from nexus.read_options import ReadOptions

    path = tmp_path / "o.csv"
    path.write_text("order_id,date,country,region,amount,currency\nA1,2026-01-02,US,CA,10.00,USD\n"
                    "A1,2026-01-02,US,CA,12.00,USD\n")  # the same sale twice, with two amounts
    with pytest.raises(NotPlain, match="'A1' is repeated with different values"):
        read_sales_fast([str(path)], ReadOptions())
    path.write_text("order_id,date,country,region,amount,currency,kind,category\nA1,2026-01-02,US,CA,10.00,USD,sale,\n"
                    "A1,2026-01-05,US,CA,4.00,USD,refund,goods\nA1,2026-01-05,US,CA,4.00,USD,refund,saas\n")
    with pytest.raises(NotPlain, match="'A1' is repeated"):  # one refund event, two categories
        read_sales_fast([str(path)], ReadOptions())
    path.write_text("order_id,date,country,region,amount,currency,kind\nA1,2026-01-02,US,CA,10.00,USD,sale\n"
                    "A1,2026-01-02,US,CA,10.00,USD,order\n,2026-01-02,US,CA,5,USD,\n,2026-01-02,US,CA,5,USD,\n")
    ledger = read_sales_fast([str(path)], ReadOptions())  # 'sale' and 'order' are one kind; no id, no repeat
    assert ledger.summary() == read_sales([str(path)]).summary() == account(4, 3, 0, 1)


@pytest.mark.parametrize("row", [
    "A1,2026-01-02,US,CA,1e3,USD",            # DuckDB reads scientific notation; the reference refuses it
    "A1,2026-01-02,US,CA,1.0000000005,USD",   # more places than DECIMAL(38, 9) keeps
    "A1,2026-01-02x,US,CA,10,USD",            # a date followed by text
    "A1,2026/01/02,US,CA,10,USD",             # a form only the reference reads
    "A1\u3000,2026-01-02,US,CA,10,USD",       # an id padded with an ideographic space, which strip() removes
    " A1,2026-01-02,US,CA,10,USD",
    "A1,2026-01-02,US,CA,.5,USD",
    # Ten characters, like a date alone (checked once per distinct text, after grouping):
    "A1,2026-02-30,US,CA,10,USD",             # no such day: the reference names it
    "A1,0000-01-02,US,CA,10,USD",             # year 0, which Python's dates do not hold
    "A1,02/01/2026,US,CA,10,USD",
    "A1,2026-1-2  ,US,CA,10,USD",             # padded to ten characters
    "A1,２０２６-01-02,US,CA,10,USD",           # full-width digits
    "A1,2026-01-02,US,CA,12.3450,JPY",        # more places than yen have: four written, three significant
])
def test_fast_path_hands_over_what_only_the_reference_reads_alike(tmp_path, row):
    from nexus.own_layout_fast import read_sales_fast
    from nexus.plain_input import NotPlain
    from nexus.read_options import ReadOptions

    path = tmp_path / "o.csv"
    path.write_text("order_id,date,country,region,amount,currency\n" + row + "\n", encoding="utf-8")
    with pytest.raises(NotPlain):
        read_sales_fast([str(path)], ReadOptions())


@pytest.mark.parametrize("row, reason", [
    (" A1,2026-01-02,US,CA,10,USD", "an order id has whitespace at either end"),
    ("A1,2026-01-02,US,CA,,USD", "some dates or amounts are empty or not plain"),
    ("A1,,US,CA,10,USD", "some dates or amounts are empty or not plain"),
    ("A1,2026-13-01,US,CA,10,USD", "o.csv: some dates or amounts are empty or not plain"),
])
def test_fast_path_says_why_it_hands_over(tmp_path, row, reason):
    from nexus.own_layout_fast import read_sales_fast
    from nexus.plain_input import NotPlain
    from nexus.read_options import ReadOptions

    path = tmp_path / "o.csv"
    path.write_text("order_id,date,country,region,amount,currency\nA0,2026-01-02,US,CA,1,USD\n" + row + "\n",
                    encoding="utf-8")
    with pytest.raises(NotPlain, match=reason):
        read_sales_fast([str(path)], ReadOptions())


def test_fast_path_hands_over_when_two_spellings_share_a_hash(tmp_path, monkeypatch):
    """The words of each row are grouped by their hash; were two spellings to share one, their sales would be
    added up as one place's: the fast path must notice and hand over. (A 64-bit collision cannot be made to
    order, so the hash is narrowed here to the country alone.)"""
    from nexus import own_layout_fast, plain_input

    narrowed = own_layout_fast.GROUPED.replace("hash(" + ", ".join(f"o.{w}" for w in own_layout_fast.WORDS) + ")",
                                               "hash(o.country)")
    assert narrowed != own_layout_fast.GROUPED
    monkeypatch.setattr(own_layout_fast, "GROUPED", narrowed)
    path = tmp_path / "o.csv"
    path.write_text("order_id,date,country,region,amount,currency\nA1,2026-01-02,US,CA,10,USD\n"
                    "A2,2026-01-02,US,NY,10,USD\n", encoding="utf-8")
    with pytest.raises(plain_input.NotPlain, match="share a hash"):
        own_layout_fast.read_sales_fast([str(path)], own_layout_fast.ReadOptions())
    path.write_text("order_id,date,country,region,amount,currency\nA1,2026-01-02,US,CA,10,USD\n", encoding="utf-8")
    assert own_layout_fast.read_sales_fast([str(path)], own_layout_fast.ReadOptions()).summary()["rows_used"] == 1


def test_fast_path_reads_thousands_separators_as_the_reference_does(tmp_path):
    from nexus.own_layout_fast import read_sales_fast
    from nexus.read_options import ReadOptions

    path = tmp_path / "o.csv"
    path.write_text('order_id,date,country,region,amount,currency,kind\n'
                    'A1,2026-01-02,US,CA,"1,234.50",USD,sale\n'
                    'A2,2026-01-02,US,CA,"-1,000,000.12",USD,sale\n'
                    'A2,2026-01-03,US,CA,"1,000",USD,refund\n'
                    'A2,2026-01-03,US,CA,1000,USD,refund\n', encoding="utf-8")  # one refund, exported twice
    fast, ref = read_sales_fast([str(path)], ReadOptions()), read_sales([str(path)])
    assert fast.summary() == ref.summary() == account(4, 3, 0, 1)
    assert sum(t[0] for t in fast.totals.values()) == sum(t[0] for t in ref.totals.values()) \
        == Decimal("1234.50") - Decimal("1000000.12") - 1000


def test_fast_path_keys_repeats_as_the_reference_does(tmp_path):
    """A refund and a chargeback of one order on one day are two events; so are refunds written 12.30 and
    12.3 (the reference keys the amount as written); an exact repeat is one."""
    from nexus.own_layout_fast import read_sales_fast
    from nexus.read_options import ReadOptions

    path = tmp_path / "o.csv"
    path.write_text("order_id,date,country,region,amount,currency,kind\n"
                    "A1,2026-01-02,US,CA,100.00,USD,sale\n"
                    "A1,2026-01-05,US,CA,12.30,USD,refund\n"
                    "A1,2026-01-05,US,CA,12.30,USD,chargeback\n"
                    "A1,2026-01-05,US,CA,12.3,USD,refund\n"
                    "A1,2026-01-05,US,CA,12.30,USD,refund\n"
                    "A1,2026-01-02,US,CA,100.00,USD,sale\n", encoding="utf-8")
    fast, ref = read_sales_fast([str(path)], ReadOptions()), read_sales([str(path)])
    assert fast.summary() == ref.summary() == account(6, 4, 0, 2)
    assert sum(t[0] for t in fast.totals.values()) == sum(t[0] for t in ref.totals.values()) == Decimal("63.10")


def test_typed_parquet_is_read_as_stored(tmp_path):
    import duckdb
    from nexus.own_layout_fast import read_sales_fast
    from nexus.read_options import ReadOptions

    path = tmp_path / "o.parquet"
    duckdb.sql(f"COPY (SELECT * FROM (VALUES ('A1', DATE '2026-01-02', 'US', 'CA', 10.25::DECIMAL(18, 2), 'USD'), "
               f"('A2', DATE '2026-01-03', 'JP', NULL, 1500::DECIMAL(18, 2), 'JPY'), "
               f"('A1', DATE '2026-01-02', 'US', 'CA', 10.25::DECIMAL(18, 2), 'USD')) "
               f"AS t(order_id, date, country, region, amount, currency)) TO '{path}' (FORMAT parquet)")
    ledger = read_sales_fast([str(path)], ReadOptions())
    assert ledger.summary() == account(3, 2, 0, 1)
    assert ledger.totals[("US-CA", date(2026, 1, 2), "USD", "direct", "sale", "no", "unknown")] == \
        [Decimal("10.25"), 1]
    assert ledger.totals[("JP", date(2026, 1, 3), "JPY", "direct", "sale", "no", "unknown")] == [Decimal("1500"), 1]


def test_parquet_that_is_not_plain_is_an_error_naming_the_file(tmp_path):
    import duckdb

    path = tmp_path / "zoned.parquet"
    duckdb.sql(f"COPY (SELECT TIMESTAMPTZ '2026-01-02 23:30:00+09' AS date, 'US' AS country, 'CA' AS region, "
               f"'10' AS amount, 'USD' AS currency) TO '{path}' (FORMAT parquet)")
    result = CliRunner().invoke(cli, ["check", "--sales", str(path), "--as-of", "2026-06-30"])
    assert result.exit_code == 2
    assert "zoned.parquet" in result.stderr and "time zone" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_fast_path_reports_progress_up_to_the_end(orders):
    from nexus.own_layout_fast import read_sales_fast
    from nexus.read_options import ReadOptions

    seen = []
    read_sales_fast([str(orders)], ReadOptions(), progress=seen.append)
    assert seen and seen[-1] == 1.0 and seen == sorted(seen) and all(0 <= s <= 1 for s in seen)


def test_progress_after_a_statement_stays_at_its_end_while_untracked_statements_run():
    """A poll after a tracked statement ended (while the statements that sum its result ran) took the statement's
    share again: a late export's bar stood at 100% before its repeated orders were read (seen once in six loaded
    runs of test_fast_exports). DuckDB's progress of the last query reads 100% until another starts."""
    import time

    from nexus.duckdb_session import Progress

    class Finished:  # a connection whose last query is done
        def execute(self, sql):
            return None

        def query_progress(self):
            return 100.0

    shares: list[float] = []
    with Progress(Finished(), shares.append) as tracked:
        tracked.run("CREATE TABLE orders AS SELECT 1", 0.4)
        time.sleep(0.6)  # two polls at least, as the sums of the orders run
    assert shares and max(shares) == 0.4


def test_estimated_rows_for_progress(orders, tmp_path):
    from nexus.engine import estimated_rows

    assert abs(estimated_rows([str(orders)]) - 3000) < 30  # the size over the first lines' length
    parquet = tmp_path / "o.parquet"
    import duckdb
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{orders}', all_varchar = true)) TO '{parquet}' (FORMAT parquet)")
    assert estimated_rows([str(parquet), str(orders)]) == 3000 + estimated_rows([str(orders)])
    assert estimated_rows([str(tmp_path / "orders.xlsx")]) is None


class _Terminal(io.StringIO):
    def isatty(self):
        return True


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_progress_on_a_terminal_shows_rows_and_megabytes_per_second(orders, monkeypatch, engine):
    from nexus.cli import check as check_cli
    from nexus.read_options import ReadOptions

    terminal = _Terminal()
    monkeypatch.setattr(check_cli.sys, "stderr", terminal)
    ledger = check_cli._read_orders([str(orders)], ReadOptions(), engine)
    assert ledger.rows_read == reference(orders).rows_read
    shown = terminal.getvalue()
    assert "100%" in shown and "rows/s" in shown and "MB/s" in shown
    assert ("Aggregating orders with DuckDB" in shown) == (engine == "duckdb")


def test_duckdb_out_of_memory_is_an_error_not_a_hand_over(orders, monkeypatch):
    """Running out of memory says so: it must not send ten million rows to the slow reader unannounced."""
    from nexus import own_layout_fast, plain_input
    from nexus.errors import NexusError
    from nexus.read_options import ReadOptions

    monkeypatch.setattr(own_layout_fast, "MEMORY_LIMIT", "1MB")
    with pytest.raises(NexusError, match="DuckDB could not aggregate the orders .*Out of Memory") as caught:
        own_layout_fast.read_sales_fast([str(orders)], ReadOptions())
    assert not isinstance(caught.value, plain_input.NotPlain)


def test_fast_path_reads_tab_separated_exports_as_the_reference_does(tmp_path):
    from nexus.own_layout_fast import read_sales_fast
    from nexus.plain_input import NotPlain
    from nexus.read_options import ReadOptions

    path = tmp_path / "orders.tsv"
    path.write_text("order_id\tdate\tcountry\tregion\tamount\tcurrency\tproduct\n"
                    "A1\t2026-01-02\tUS\tCA\t1,234.50\tUSD\t急須, cast iron\n"
                    "A1\t2026-01-02\tUS\tCA\t1,234.50\tUSD\t急須, cast iron\n"
                    "A2\t2026-01-03\tJP\t\t1500\tJPY\ta \"quoted\" name\n", encoding="utf-8")
    fast, ref = read_sales_fast([str(path)], ReadOptions()), read_sales([str(path)])
    assert fast.summary() == ref.summary() == account(3, 2, 0, 1)
    assert fast.totals == ref.totals
    with path.open("a", encoding="utf-8") as handle:  # a quote DuckDB reads strictly and Python leniently
        handle.write("A3\t2026-01-04\tJP\t\t1500\tJPY\t\"quoted\" name\n")
    with pytest.raises(NotPlain):
        read_sales_fast([str(path)], ReadOptions())


def test_ids_treated_as_repeats_by_a_hash_collision_are_still_counted_right(orders, monkeypatch):
    """Pass 1 finds repeated ids by hash; an id that merely shares a hash goes the repeats' way, judged by
    its real id. Sending every id that way (as if all collided) must change nothing."""
    from nexus import own_layout_fast
    from nexus.read_options import ReadOptions

    normal = own_layout_fast.read_sales_fast([str(orders)], ReadOptions())
    monkeypatch.setattr(own_layout_fast, "REPEATED",
                        own_layout_fast.REPEATED.replace("HAVING COUNT(*) > 1", "HAVING COUNT(*) >= 1"))
    all_collide = own_layout_fast.read_sales_fast([str(orders)], ReadOptions())
    assert all_collide.summary() == normal.summary() == reference(orders).summary()
    assert all_collide.totals == normal.totals and all_collide.rows_by_day == normal.rows_by_day
    assert all_collide.refund_links == normal.refund_links == reference(orders).refund_links


def test_a_damaged_parquet_file_is_named_in_one_line(tmp_path):
    path = tmp_path / "orders.parquet"
    path.write_bytes(b"PAR1 this is not really parquet")
    result = CliRunner().invoke(cli, ["check", "--sales", str(path), "--as-of", "2026-06-30"])
    assert result.exit_code == 2 and "Traceback" not in result.stderr
    assert "orders.parquet is not a Parquet file DuckDB can read" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_duckdb_never_prints_its_own_progress_bar(orders, capfd):
    """DuckDB prints a progress bar to stdout for queries over two seconds unless told not to; nexus's
    stdout may be a JSON report."""
    from nexus import duckdb_session, own_layout_fast

    with duckdb_session.connect() as connection:
        assert connection.execute("SELECT current_setting('enable_progress_bar_print')").fetchone()[0] is False
    own_layout_fast.read_sales_fast([str(orders)], own_layout_fast.ReadOptions())
    assert capfd.readouterr().out == ""


def test_out_of_memory_with_several_threads_retries_with_one(orders, monkeypatch):
    """Each DuckDB thread holds its own buffers and hash tables; one thread needs the least memory."""
    import duckdb
    from nexus import duckdb_session, own_layout_fast
    from nexus.read_options import ReadOptions

    tried = []
    real = own_layout_fast._aggregate

    def aggregate(*args):
        tried.append(args[4])
        if args[4] > 1:
            raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")
        return real(*args)

    monkeypatch.setattr(duckdb_session, "THREADS", 2)
    monkeypatch.setattr(own_layout_fast, "_aggregate", aggregate)
    ledger = own_layout_fast.read_sales_fast([str(orders)], ReadOptions())
    assert tried == [2, 1] and ledger.summary() == reference(orders).summary()


ORDER_WORDS = {"place": [("US", "CA"), ("US", "NY"), ("JP", ""), ("DE", "")], "currency": ["USD", "JPY", "EUR"],
               "channel": ["direct", "marketplace", "Reseller", ""], "kind": ["sale", "refund", "Chargeback", ""],
               "exempt": ["no", "resale", ""], "category": ["goods", "digital", ""],
               "amount": ["10", "10.00", "12.3", "12.30", "-5", "1,000", "1000", "0", "0.125", "12.0", "1.000", "5.50",
                          "7.1200", "-3.10"],
               "date": ["2026-01-02", "2026-01-03T09:30:00", "2026-01-05"]}


@st.composite
def order_files(draw):
    """One or two exports of a few orders, with ids shared between sales and their refunds, exact copies of
    earlier rows (a late export, in the same file or the next) and rows without an id."""
    def one(i):
        country, region = draw(st.sampled_from(ORDER_WORDS["place"]))
        order_id = draw(st.sampled_from(["", f"A{i}", "A1", "B2"]))
        return [order_id, draw(st.sampled_from(ORDER_WORDS["date"])), country, region,
                draw(st.sampled_from(ORDER_WORDS["amount"])), draw(st.sampled_from(ORDER_WORDS["currency"])),
                *(draw(st.sampled_from(ORDER_WORDS[f])) for f in ("channel", "kind", "exempt", "category"))]
    rows = [one(i) for i in range(draw(st.integers(1, 12)))]
    for copied in draw(st.lists(st.integers(0, len(rows) - 1), max_size=4)):
        rows.append(list(rows[copied]))
    files = draw(st.integers(1, 2))
    cut = draw(st.integers(0, len(rows))) if files == 2 else len(rows)
    return [rows[:cut], rows[cut:]] if files == 2 else [rows]


#: A sale, the same order id with another amount, and a refund of it: the cases each branch below is for, given
#: explicitly (drawn orders rarely hit some: in 100 draws, a conflict read by the mode never came).
SALE = ["A1", "2026-01-02", "US", "CA", "10", "USD", "direct", "sale", "no", "goods"]
OTHER_AMOUNT = SALE[:4] + ["12.30"] + SALE[5:]
REFUND = ["A1", "2026-01-05", "US", "CA", "-5", "USD", "direct", "refund", "no", "goods"]
YEN_WITH_DECIMALS = ["B2", "2026-01-03", "JP", "", "12.3", "JPY", "", "sale", "", ""]


@given(order_files(), st.sampled_from(["error", "lines", "latest"]))
@example([[SALE, OTHER_AMOUNT]], "error")  # conflict: both stop
@example([[SALE], [OTHER_AMOUNT]], "lines")  # a conflict across files, read as line items by the reference
@example([[SALE, OTHER_AMOUNT]], "latest")  # a conflict in one file, the later kept by the reference
@example([[SALE, REFUND, SALE], [SALE, REFUND]], "error")  # copies in one file and the next: compared
@example([[SALE, YEN_WITH_DECIMALS]], "lines")  # refused by the reference, handed over by the fast path
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_fast_path_and_reference_agree_on_any_plain_orders(tmp_path_factory, exports, mode):
    """Whatever the mix of sales, refunds, chargebacks, copies and files, the fast path gives the reference
    reader's ledger exactly, or hands over because an order id repeats with different values; then the
    reference reader stops naming both lines (--repeated-orders error) or reads them as the mode says.

    Each of those outcomes has an explicit example; 40 drawn mixes (100 before: three in four were refused by the
    reference for an amount with more decimals than its currency, each a DuckDB run) add the variety."""
    from nexus.own_layout_fast import read_sales_fast
    from nexus.plain_input import NotPlain
    from nexus.errors import InputError
    from nexus.read_options import ReadOptions
    from nexus.orders import RepeatedOrder

    folder = tmp_path_factory.mktemp("parity")
    paths = csv_files(folder, list(FIELDS), exports)
    options = ReadOptions(repeated_orders=mode)
    try:
        ref = read_sales(paths, options)
    except RepeatedOrder:
        assert mode == "error"
        with pytest.raises(NotPlain):  # on the repeat, or first on another value it does not read as plain
            read_sales_fast(paths, options)
        event("conflict: both stop")
        return
    except InputError:  # e.g. 12.3 JPY, 0.125 USD: more decimals than the currency has
        with pytest.raises(NotPlain):
            read_sales_fast(paths, options)
        event("refused by the reference, handed over by the fast path")
        return
    try:
        fast = read_sales_fast(paths, options)
    except NotPlain as exc:
        assert "is repeated with different values" in str(exc) and ref.conflicts and mode != "error"
        event(f"conflict read as {mode} by the reference reader")
        return
    assert not ref.conflicts
    event(f"compared; duplicates: {min(ref.summary()['duplicates'], 2)}")
    assert fast.totals == ref.totals
    assert fast.summary() == ref.summary()
    assert fast.rows_by_day == ref.rows_by_day and fast.files == ref.files
    assert (fast.first_day, fast.last_day) == (ref.first_day, ref.last_day)
    assert fast.by_day_and_currency() == ref.by_day_and_currency()
    assert fast.category_sources == ref.category_sources
    assert fast.refund_links == ref.refund_links  # each refund linked to its sale's day alike


def test_sql_counts_every_line_of_a_multi_line_order(tmp_path):
    """An orders table of line items (one order id on several rows with different amounts or categories) is read
    by the query as ``--repeated-orders lines`` reads it: every line's amount, exact copies once, one transaction
    per order and place. The query kept one line per order id, the lowest amount: A3's 8.00 and A1's digital
    line were dropped without a word."""
    import duckdb

    from nexus.read_options import ReadOptions

    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,date,country,region,amount,currency,channel,kind,exempt,category\n"
                      "A1,2026-01-02,US,CA,10.00,USD,,,,goods\n"
                      "A1,2026-01-02,US,CA,12.00,USD,,,,digital\n"
                      "A2,2026-01-03,US,CA,5.00,USD,,,,goods\n"
                      "A2,2026-01-03,US,CA,5.00,USD,,,,goods\n"
                      "A3,2026-01-03,US,CA,7.00,USD,,,,goods\n"
                      "A3,2026-01-03,US,CA,8.00,USD,,,,goods\n"
                      "A3,2026-01-03,US,NY,9.00,USD,,,,goods\n"
                      "A4,2026-01-05,US,NY,1.00,USD,,,,digital\n"
                      "A4,2026-01-05,US,NY,50.00,USD,,,,goods\n"
                      "R1,2026-01-04,US,CA,-3.00,USD,,refund,,goods\n", encoding="utf-8")
    connection = duckdb.connect()
    connection.execute(f"CREATE TABLE orders AS SELECT * FROM read_csv('{orders}', all_varchar = true, header = true)")
    out = tmp_path / "aggregates.csv"
    write_aggregates(out, connection.execute(render("duckdb")).fetchall())
    fast = read_aggregates([str(out)])
    ref = read_sales([str(orders)], ReadOptions(repeated_orders="lines"))
    assert fast.totals == ref.totals
    # A4's one transaction goes with its goods line, which New York's test counts, though its download came first.
    assert ref.totals[("US-NY", date(2026, 1, 5), "USD", "direct", "sale", "no", "goods")] == [Decimal("50.00"), 1]
    as_of = date(2026, 6, 30)
    assert [(f.label, f.status, f.sales, f.transactions) for f in check(fast, load_rules(), as_of).findings] == \
           [(f.label, f.status, f.sales, f.transactions) for f in check(ref, load_rules(), as_of).findings]


CHARGED_ORDERS = ("order_id,date,country,region,amount,currency,channel,kind,exempt,category,shipping,tax\n"
                  "A1,2026-01-02,US,CA,100.00,USD,,,,goods,10.00,8.25\n"
                  "A2,2026-01-02,US,CA,50.00,USD,,,,goods,,4.13\n"
                  "A2,2026-01-02,US,CA,50.00,USD,,,,goods,,4.13\n"
                  "R1,2026-01-03,US,CA,-30.00,USD,,refund,,goods,5.00,2.00\n"
                  "J1,2026-01-03,JP,,1500,JPY,,,,goods,500,150\n")


def test_sql_with_charges_counts_shipping_with_the_sale_as_nexus_does(tmp_path):
    """An orders table with shipping and tax columns: --sales counts shipping with the sale (California 125.00:
    100 + 10 + 50 - 30 - 5) and carries shipping and tax charged apart, where the query read neither, so
    --aggregates found 120.00 and no shipping or tax. 'nexus sql --charges' counts and writes them as --sales
    reads them (a refund's taken off; A2's exact copy once)."""
    import duckdb

    orders = tmp_path / "orders.csv"
    orders.write_text(CHARGED_ORDERS, encoding="utf-8")
    result = CliRunner().invoke(cli, ["sql", "--charges"], catch_exceptions=False)
    connection = duckdb.connect()
    connection.execute(f"CREATE VIEW orders AS SELECT * FROM read_csv('{orders}', all_varchar = true)")
    records = connection.execute(result.stdout.rstrip().rstrip(";")).fetchall()
    assert [(str(r[0]), *r[1:7], f"{r[7].normalize():f}", r[8], f"{r[9].normalize():f}", f"{r[10].normalize():f}")
            for r in records] == [
        ("2026-01-02", "US-CA", "USD", "direct", "goods", "sale", "no", "160", 2, "10", "12.38"),
        ("2026-01-03", "JP", "JPY", "direct", "goods", "sale", "no", "2000", 1, "500", "150"),
        ("2026-01-03", "US-CA", "USD", "direct", "goods", "refund", "no", "-35", 1, "-5", "-2")]
    out = tmp_path / "aggregates.parquet"
    connection.execute(f"COPY ({result.stdout.rstrip().rstrip(';')}) TO '{out}' (FORMAT parquet)")
    fast, ref = read_aggregates([str(out)]), read_sales([str(orders)])
    assert fast.totals == ref.totals and fast.charge_totals == ref.charge_totals
    assert ref.totals[("US-CA", date(2026, 1, 2), "USD", "direct", "sale", "no", "goods")] == [Decimal("160.00"), 2]


@pytest.mark.slow
def test_spark_sql_with_charges_matches_nexus_and_writes_decimal_38_9(tmp_path, spark):
    """The --charges rendering on Spark: the same figures as --sales, and the amount a DECIMAL(38, 9) (Spark gives
    the sum of two DECIMAL(38, 9) a scale of 8)."""
    from pyspark.sql.types import DecimalType

    orders = tmp_path / "orders.csv"
    orders.write_text(CHARGED_ORDERS, encoding="utf-8")
    spark.read.option("header", "true").csv(str(orders)).createOrReplaceTempView("charged_orders")
    frame = spark.sql(render("spark", table="charged_orders", charges=True).rstrip().rstrip(";"))
    assert frame.schema["amount"].dataType == DecimalType(38, 9)
    frame.coalesce(1).write.parquet(str(tmp_path / "aggregates"))
    fast = read_aggregates([str(next((tmp_path / "aggregates").glob("*.parquet")))])
    ref = read_sales([str(orders)])
    assert fast.totals == ref.totals and fast.charge_totals == ref.charge_totals


WIDE_ORDERS = ("order_id,date,country,region,amount,currency,channel,kind,exempt,category\n"
               "A1,2026-01-02,ＵＳ,ＣＡ,100.00,ＵＳＤ,ｍａｒｋｅｔｐｌａｃｅ,,ｎｏ,ｇｏｏｄｓ\n"
               "A2,2026-01-02,US,ｃａ,50.00,usd,Ｗｅｂ,Ｓａｌｅ,ｙｅｓ,Ｄｉｇｉｔａｌ　Ｇｏｏｄｓ\n"
               "R1,2026-01-03,ＵＳ,ＵＳ－ＴＸ,30.00,ＵＳＤ,,Ｒｅｆｕｎｄ,,ｎ／ａ\n"
               "J1,2026-01-03,ＪＰ,東京都,1500,ＪＰＹ,,,,\n")


def test_sql_reads_full_width_codes_and_words_as_nexus_does(tmp_path):
    """Orders typed in full-width forms (ＵＳ, ＣＡ, ＵＳＤ, Ｒｅｆｕｎｄ, as Japanese systems type them), which --sales
    reads as ASCII: the query wrote them as they were (jurisdiction 'ＵＳ', the region dropped; kind 'Ｓａｌｅ',
    taken off as a refund), and --aggregates stopped on 'ＵＳ' (exit 2), where --sales found California's 150.00.
    The query now maps them to ASCII (TRANSLATE, which every dialect has) and gives --sales' figures."""
    import duckdb

    orders = tmp_path / "orders.csv"
    orders.write_text(WIDE_ORDERS, encoding="utf-8")
    connection = duckdb.connect()
    connection.execute(f"CREATE VIEW orders AS SELECT * FROM read_csv('{orders}', all_varchar = true)")
    out = tmp_path / "aggregates.csv"
    write_aggregates(out, connection.execute(render("duckdb")).fetchall())
    fast, ref = read_aggregates([str(out)]), read_sales([str(orders)])
    assert fast.totals == ref.totals
    assert fast.totals == {
        ("US-CA", date(2026, 1, 2), "USD", "marketplace", "sale", "no", "goods"): [Decimal("100"), 1],
        ("US-CA", date(2026, 1, 2), "USD", "direct", "sale", "exempt", "digital"): [Decimal("50"), 1],
        ("US-TX", date(2026, 1, 3), "USD", "direct", "refund", "no", "unknown"): [Decimal("-30"), 0],
        ("JP", date(2026, 1, 3), "JPY", "direct", "sale", "no", "unknown"): [Decimal("1500"), 1]}


@pytest.mark.parametrize("suffix", ["csv", "parquet"])
def test_an_order_without_an_amount_is_not_summed_as_nothing(tmp_path, suffix):
    """An order row with an empty amount (NULL once the warehouse reads it) was counted as a transaction and left
    out of the sum without a word (SUM passes NULL over): California's day read 100.00 and 2 transactions, where
    --sales stops and names the row. The query now leaves that day's total empty, and --aggregates refuses it,
    naming file, line and column (exit 2)."""
    import duckdb

    orders = tmp_path / "orders.csv"
    orders.write_text("order_id,date,country,region,amount,currency,channel,kind,exempt,category\n"
                      "A1,2026-01-02,US,CA,100.00,USD,,,,goods\nA3,2026-01-02,US,CA,,USD,,,,goods\n"
                      "A4,2026-01-03,US,CA,7.00,USD,,,,goods\n", encoding="utf-8")
    connection = duckdb.connect()
    connection.execute(f"CREATE VIEW orders AS SELECT * FROM read_csv('{orders}', all_varchar = true)")
    out = tmp_path / f"aggregates.{suffix}"
    options = "HEADER" if suffix == "csv" else "FORMAT parquet"
    connection.execute(f"COPY ({render('duckdb').rstrip().rstrip(';')}) TO '{out}' ({options})")
    result = CliRunner().invoke(cli, ["check", "--aggregates", str(out), "--as-of", "2026-06-30",
                                      "--db", str(tmp_path / "store.sqlite3")])
    assert result.exit_code == 2, result.output
    line = 2 if suffix == "csv" else 1
    assert f"{out}:{line}: column 'amount' value " in result.stderr
    assert "is empty: an order row it sums has no amount" in result.stderr


def test_the_fast_path_gives_its_totals_in_the_same_order_every_run(tmp_path):
    """The order of the ledger's series (and so of, say, the report's notes on taxability per category) followed
    the order in which DuckDB happened to hand over the spellings of the words, so two runs on one file could write
    two JSON reports in different orders. The spellings are now numbered in their own order (as written)."""
    from nexus.own_layout_fast import read_sales_fast
    from nexus.read_options import ReadOptions

    places = [("US", "CA"), ("US", "TX"), ("US", "NY"), ("DE", ""), ("FR", ""), ("JP", ""), ("GB", ""), ("AU", "")]
    currency = {"JP": "JPY", "GB": "GBP", "AU": "AUD", "DE": "EUR", "FR": "EUR"}
    spellings = [(country, region, currency.get(country, "USD"), channel, category) for country, region in places
                 for channel in ("direct", "marketplace") for category in ("digital", "goods", "saas")]
    lines = [f"A{i},2026-01-02,{country},{region},10.00,{code},{channel},{category}"
             for i, (country, region, code, channel, category) in enumerate(reversed(spellings))]
    path = tmp_path / "orders.csv"
    path.write_text("order_id,date,country,region,amount,currency,channel,category\n" + "\n".join(lines) + "\n")
    ledger = read_sales_fast([str(path)], ReadOptions())
    written = [(country + (f"-{region}" if region else ""), code, channel, category)
               for country, region, code, channel, category in sorted(spellings)]
    assert [(key[0], key[1], key[2], key[5]) for key in ledger.series] == written
