"""Which reader reads the orders is a library decision (nexus.engine.choose): by the rows the files hold and their
format, not their size in bytes; both readers agree on either side of the line; and a machine where DuckDB cannot
be imported still reads CSV orders, saying once why it reads them row by row."""
import csv
import random
import sys
from datetime import date, timedelta

import pytest
from click.testing import CliRunner

from nexus import engine
from nexus.cli import cli
from nexus.errors import NexusError
from nexus.read_options import ReadOptions
from nexus.sales import read_sales

NARROW = ["date", "order_id", "country", "region", "currency", "amount", "channel", "kind"]
WIDE = ["order_id", "date", "country", "region", "amount", "currency", "channel", "kind", "exempt", "category",
        "customer", "email", "sku", "product", "city", "postcode"]


def orders(path, rows, wide=False, seed=3):
    """``rows`` orders (a header besides): sales, refunds, chargebacks and marketplace rows in US states and
    abroad, some exact copies of earlier rows (a late export), and in wide files the columns a store's export
    carries and nexus does not read, with Japanese and Korean text and commas in quoted cells."""
    rng = random.Random(seed)
    places = [("US", "CA", "USD", "10.00"), ("US", "TX", "USD", "250.50"), ("US", "NY", "USD", "99.99"),
              ("JP", "", "JPY", "12000"), ("DE", "", "EUR", "80.00"), ("CA", "QC", "CAD", "45.10")]
    written = []
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(WIDE if wide else NARROW)
        for i in range(rows):
            if written and rng.random() < 0.03:
                out.writerow(rng.choice(written))
                continue
            country, region, currency, amount = rng.choice(places)
            day = (date(2025, 1, 1) + timedelta(days=rng.randrange(600))).isoformat()
            channel, kind = rng.choice(["direct", "marketplace"]), rng.choice(["sale"] * 8 + ["refund", "chargeback"])
            if wide:
                row = [f"O{i}", day, country, region, amount, currency, channel, kind, rng.choice(["no", "resale"]),
                       rng.choice(["goods", "digital"]), rng.choice(["山田 太郎", "김민준", "O'Brien, Sean"]),
                       f"c{i}@example.com", f"SKU-{i % 97:05d}", "Linen shirt \"classic\"", "東京都渋谷区", "150-0002"]
            else:
                row = [day, f"O{i}", country, region, currency, amount, channel, kind]
            out.writerow(row)
            written.append(row)
    return str(path)


def test_the_rule_follows_rows_and_format_not_bytes(tmp_path, monkeypatch):
    monkeypatch.setattr(engine, "FAST_FROM_ROWS", 500)
    below, at = orders(tmp_path / "below.csv", 499), orders(tmp_path / "at.csv", 500)
    wide = orders(tmp_path / "wide.csv", 499, wide=True)
    assert engine.estimated_rows([below]) == 499 and engine.estimated_rows([at]) == 500
    assert engine.choose([below], ReadOptions()).engine == "python"
    assert engine.choose([at], ReadOptions()).engine == "duckdb"
    # Bytes do not decide: the wide file is three times the size of the narrow one at the line, and below it.
    assert engine.choose([wide], ReadOptions()).engine == "python"
    assert engine.choose([below, wide], ReadOptions()).engine == "duckdb"  # 998 rows in all
    assert engine.choose([at], ReadOptions(), "python").engine == "python"
    assert engine.choose([below], ReadOptions(), "duckdb").engine == "duckdb"
    chosen = engine.choose([at], ReadOptions(decimal_comma=True))
    assert (chosen.engine, chosen.slow) == ("python", True) and "--decimal-comma" in chosen.reason
    assert engine.choose([at], ReadOptions(encoding="cp932")).engine == "python"
    assert not engine.choose([below], ReadOptions()).slow  # small: no one waits, nothing to say


def test_parquet_is_read_by_duckdb_and_workbooks_by_nexus_whatever_their_rows(tmp_path, monkeypatch):
    import duckdb

    small = orders(tmp_path / "small.csv", 20)
    parquet = tmp_path / "small.parquet"
    duckdb.sql(f"COPY (SELECT * FROM read_csv('{small}', all_varchar = true)) TO '{parquet}' (FORMAT parquet)")
    assert engine.choose([str(parquet)], ReadOptions(), "python").engine == "duckdb"
    monkeypatch.setattr(engine, "FAST_FROM_ROWS", 5)
    assert engine.choose([str(tmp_path / "orders.xlsx")], ReadOptions()).engine == "python"
    with pytest.raises(NexusError, match="unknown"):
        engine.choose([small], ReadOptions(), "unknown")


@pytest.mark.parametrize("wide", [False, True], ids=["narrow", "wide"])
def test_both_readers_agree_on_either_side_of_the_line(tmp_path, monkeypatch, wide):
    """At the line and one row below it, ``--engine auto`` takes the reader the rule says, and gives what the
    other reader gives: the same report, the same row account."""
    monkeypatch.setattr(engine, "FAST_FROM_ROWS", 1200)
    taken = []
    real = engine.read_sales_fast
    monkeypatch.setattr(engine, "read_sales_fast", lambda *a, **k: taken.append("duckdb") or real(*a, **k))
    for rows, expected in ((1199, []), (1200, ["duckdb"])):
        path = orders(tmp_path / f"orders-{rows}.csv", rows, wide)
        if wide:  # the estimate is the size over the first lines' length: near the line either way
            monkeypatch.setattr(engine, "estimated_rows", lambda paths, rows=rows: rows)
        args = ["check", "--sales", path, "--as-of", "2026-06-30", "--format", "csv"]
        taken.clear()
        auto = CliRunner().invoke(cli, args, catch_exceptions=False)
        assert auto.exit_code == 0 and taken == expected and "row by row" not in auto.stderr
        other = CliRunner().invoke(cli, args + ["--engine", "python" if expected else "duckdb"],
                                   catch_exceptions=False)
        assert other.exit_code == 0 and other.stdout == auto.stdout and "US-CA" in auto.stdout
        fast, ref = real([path], ReadOptions()), read_sales([path], ReadOptions())
        assert fast.totals == ref.totals and fast.summary() == ref.summary() and ref.summary()["duplicates"] > 0


@pytest.fixture
def no_duckdb(monkeypatch):
    """A machine where ``import duckdb`` fails (no wheel for it)."""
    monkeypatch.setitem(sys.modules, "duckdb", None)  # import duckdb now raises ImportError
    monkeypatch.setattr(engine, "_UNAVAILABLE", None)
    yield
    engine._UNAVAILABLE = None


def test_without_duckdb_orders_are_read_row_by_row_saying_so_once(tmp_path, monkeypatch, no_duckdb):
    monkeypatch.setattr(engine, "FAST_FROM_ROWS", 300)
    path = orders(tmp_path / "orders.csv", 400)
    assert engine.unavailable().startswith("DuckDB cannot be imported here (ModuleNotFoundError")
    args = ["check", "--sales", path, "--as-of", "2026-06-30", "--format", "csv"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 0 and "US-CA" in result.stdout
    said = [line for line in result.stderr.splitlines() if "row by row" in line]
    assert len(said) == 1 and said[0].startswith("Warning: reading 0.0 MB of orders row by row, not with DuckDB: "
                                                 "DuckDB cannot be imported here (ModuleNotFoundError")
    small = orders(tmp_path / "small.csv", 100)  # below the line: nexus's own reader anyway, nothing to say
    assert "row by row" not in CliRunner().invoke(cli, ["check", "--sales", small, "--as-of", "2026-06-30"]).stderr
    engine._UNAVAILABLE = None
    monkeypatch.delitem(sys.modules, "duckdb")
    with_duckdb = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert with_duckdb.stdout == result.stdout and "row by row" not in with_duckdb.stderr


def test_without_duckdb_parquet_and_engine_duckdb_stop_in_one_line(tmp_path, no_duckdb):
    path = orders(tmp_path / "orders.csv", 10)
    (tmp_path / "orders.parquet").write_bytes(b"PAR1")
    for args in (["--sales", str(tmp_path / "orders.parquet")], ["--sales", path, "--engine", "duckdb"]):
        result = CliRunner().invoke(cli, ["check", *args, "--as-of", "2026-06-30"])
        assert result.exit_code == 2, result.output
        assert "DuckDB cannot be imported here (ModuleNotFoundError" in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1


def test_without_duckdb_aggregates_are_read_row_by_row(tmp_path, no_duckdb):
    from nexus.aggregates import read_aggregates

    path = tmp_path / "agg.csv"
    path.write_text("date,jurisdiction,currency,channel,category,kind,exempt,amount,rows\n"
                    "2026-01-02,US-CA,USD,direct,goods,sale,no,10.00,1\n", encoding="utf-8")
    assert read_aggregates([str(path)]).summary()["rows_read"] == 1
    (tmp_path / "agg.parquet").write_bytes(b"PAR1")
    with pytest.raises(NexusError, match=r"agg.parquet: is Parquet, which nexus reads with DuckDB, and DuckDB "
                                         r"cannot be imported here \(ModuleNotFoundError"):
        read_aggregates([str(tmp_path / "agg.parquet")])
