"""Shipping and tax charged, kept apart from the sale: in nexus's own layout, in aggregates, in findings."""
from __future__ import annotations

import csv
import json
import random
from datetime import date, timedelta
from decimal import Decimal

import pytest
from click.testing import CliRunner

from conftest import book, make_rule
from nexus.aggregates import read_aggregates
from nexus.check import check
from nexus.cli import cli
from nexus.own_layout_fast import read_sales_fast
from nexus.plain_input import NotPlain
from nexus.errors import InputError
from nexus.read_options import ReadOptions
from nexus.sales import read_sales
from nexus.sql import AGGREGATE_COLUMNS


def test_shipping_counts_with_the_sale_and_tax_charged_does_not(write):
    path = write("o.csv", """\
        order_id,date,country,region,amount,shipping,tax,currency,kind,channel
        A1,2026-01-02,US,CA,100.00,10.00,8.25,USD,sale,direct
        A1,2026-01-09,US,CA,50.00,,4.13,USD,refund,direct
        A2,2026-01-03,US,CA,40.00,5.00,0,USD,sale,marketplace
        A3,2026-01-04,US,CA,20.00,,,USD,sale,direct
        """)
    ledger = read_sales([path], ReadOptions(category="goods"))  # a file of goods throughout (--category goods)
    day = lambda d: date(2026, 1, d)  # noqa: E731
    assert ledger.totals == {
        ("US-CA", day(2), "USD", "direct", "sale", "no", "goods"): [Decimal("110.00"), 1],   # 100 + 10 shipping
        ("US-CA", day(9), "USD", "direct", "refund", "no", "goods"): [Decimal("-50.00"), 0],
        ("US-CA", day(3), "USD", "marketplace", "sale", "no", "goods"): [Decimal("45.00"), 1],
        ("US-CA", day(4), "USD", "direct", "sale", "no", "goods"): [Decimal("20.00"), 1]}
    assert ledger.charge_totals == {
        ("US-CA", day(2), "USD", "direct", "sale", "no", "goods"): [Decimal("10.00"), Decimal("8.25")],
        ("US-CA", day(9), "USD", "direct", "refund", "no", "goods"): [Decimal("0"), Decimal("-4.13")],
        ("US-CA", day(3), "USD", "marketplace", "sale", "no", "goods"): [Decimal("5.00"), Decimal("0")]}


def test_findings_carry_the_shipping_and_tax_charged_on_the_sales_they_count(write):
    path = write("o.csv", """\
        order_id,date,country,region,amount,shipping,tax,currency,channel
        A1,2026-01-02,US,CA,100.00,10.00,8.25,USD,direct
        A2,2026-01-03,US,CA,40.00,5.00,3.00,USD,marketplace
        A3,2025-06-03,US,CA,40.00,5.00,3.00,USD,direct
        """)
    ledger = read_sales([path])
    rules = book(make_rule(jurisdiction="US-CA", name="California", marketplace="excluded",
                           period="current_or_previous_calendar_year"))
    finding = check(ledger, rules, date(2026, 6, 30)).findings[0]
    # 2026 is the period nearer its threshold; the marketplace sale is not counted, so neither is its shipping or tax
    assert (finding.sales, finding.shipping, finding.tax_charged) == (Decimal("110.00"), Decimal("10.00"),
                                                                      Decimal("8.25"))


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_findings_reasons_say_the_shipping_counted_and_the_tax_charged_left_out(write, engine):
    # Colorado, 2026 to the as-of date: 59,000 + 1,000 shipping, taxed 500; a marketplace sale (left out with its
    # shipping and tax). The reasons said what the marketplace exclusion left out, but not that USD 1,000.00 of the
    # USD 60,000.00 counted was shipping, nor that the USD 500.00 of tax charged was not counted.
    path = write("o.csv", """\
        order_id,date,country,region,amount,shipping,tax,currency,channel,category
        C1,2026-01-10,US,CO,59000.00,1000.00,500.00,USD,direct,goods
        C2,2026-02-10,US,CO,30000.00,700.00,90.00,USD,marketplace,goods
        """)
    result = CliRunner().invoke(cli, ["check", "--sales", path, "--as-of", "2026-06-30", "--format", "json",
                                      "--engine", engine])
    co = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "US-CO")
    assert (co["sales"], co["shipping"], co["tax_charged"]) == ("60000.00", "1000.00", "500.00")
    assert ("Shipping and handling of USD 1,000.00 charged on the sales counted is part of them; tax charged of "
            "USD 500.00 is not counted.") in co["reasons"]
    plain = write("p.csv", "order_id,date,country,region,amount,currency,category\n"
                           "P1,2026-01-10,US,CO,5.00,USD,goods\n")
    result = CliRunner().invoke(cli, ["check", "--sales", plain, "--as-of", "2026-06-30", "--format", "json"])
    co = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "US-CO")
    assert not any("harged" in r for r in co["reasons"])  # exports without those columns: nothing to say


def test_the_fast_path_carries_shipping_and_tax_as_the_reference_reader_does(write):
    path = write("o.csv", "order_id,date,country,region,amount,tax,currency\nA1,2026-01-02,US,CA,10.00,0.83,USD\n")
    fast, ref = read_sales_fast([path], ReadOptions()), read_sales([path])
    assert fast.charge_totals == ref.charge_totals and fast.totals == ref.totals
    result = CliRunner().invoke(cli, ["check", "--sales", path, "--engine", "duckdb", "--as-of", "2026-06-30",
                                      "--category", "goods", "--format", "json"], catch_exceptions=False)
    assert result.exit_code == 0 and "not with DuckDB" not in result.stderr
    ca = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "US-CA")
    assert (ca["sales"], ca["shipping"], ca["tax_charged"]) == ("10.00", "0.00", "0.83")


def test_plain_files_carry_no_charges_on_either_path(write):
    path = write("o.csv", "order_id,date,country,region,amount,currency\nA1,2026-01-02,US,CA,10.00,USD\n")
    assert read_sales([path]).charges == {} and read_sales_fast([path], ReadOptions()).charges == {}


def test_aggregates_may_carry_shipping_and_tax_else_zero(tmp_path):
    path = tmp_path / "agg.csv"
    path.write_text(",".join(AGGREGATE_COLUMNS + ("shipping", "tax")) + "\n"
                    "2026-01-02,US-CA,USD,direct,goods,sale,no,110.00,1,10.00,8.25\n"
                    "2026-01-03,US-CA,USD,direct,goods,sale,no,20.00,1,,\n", encoding="utf-8")
    ledger = read_aggregates([str(path)])
    assert ledger.charge_totals == {("US-CA", date(2026, 1, 2), "USD", "direct", "sale", "no", "goods"):
                                    [Decimal("10.00"), Decimal("8.25")]}
    plain = tmp_path / "plain.csv"
    plain.write_text(",".join(AGGREGATE_COLUMNS) + "\n2026-01-02,US-CA,USD,direct,goods,sale,no,110.00,1\n",
                     encoding="utf-8")
    assert read_aggregates([str(plain)]).charges == {}


def test_aggregates_refund_shipping_and_tax_are_taken_off_whatever_their_sign(tmp_path, write):
    """A refund's shipping and tax reduce the charged figures, as its amount reduces sales and as the orders reader
    signs them: a refund row with shipping 5.00 and tax 2.00 written positive added them (finding shipping 15.00,
    tax charged 10.00, where the same orders give 5.00 and 6.00)."""
    path = tmp_path / "agg.csv"
    path.write_text(",".join(AGGREGATE_COLUMNS + ("shipping", "tax")) + "\n"
                    "2026-01-02,US-CA,USD,direct,goods,sale,no,100.00,1,10.00,8.00\n"
                    "2026-01-03,US-CA,USD,direct,goods,refund,no,30.00,1,5.00,2.00\n"
                    "2026-01-04,US-CA,USD,direct,goods,sale,no,-1.00,1,1.00,0.50\n", encoding="utf-8")
    orders = write("o.csv", """\
        order_id,date,country,region,amount,shipping,tax,currency,channel,category,kind
        A1,2026-01-02,US,CA,90.00,10.00,8.00,USD,direct,goods,sale
        A1,2026-01-03,US,CA,25.00,5.00,2.00,USD,direct,goods,refund
        """)
    from_orders = read_sales([orders])
    ledger = read_aggregates([str(path)])
    assert ledger.charge_totals == {
        ("US-CA", date(2026, 1, 2), "USD", "direct", "sale", "no", "goods"): [Decimal("10.00"), Decimal("8.00")],
        ("US-CA", date(2026, 1, 3), "USD", "direct", "refund", "no", "goods"): [Decimal("-5.00"), Decimal("-2.00")],
        ("US-CA", date(2026, 1, 4), "USD", "direct", "refund", "no", "goods"): [Decimal("-1.00"), Decimal("-0.50")]}
    assert {k: v for k, v in ledger.charge_totals.items() if k[1] < date(2026, 1, 4)} == from_orders.charge_totals


def charged_orders(path, rows=1500, seed=11):
    """Orders in nexus's layout with shipping and tax: sales and their refunds under one id, a negative sale,
    chargebacks, copies of earlier rows (a late export), empty charges, thousands separators, trailing zeros
    written two ways, yen without decimals."""
    rng = random.Random(seed)
    written, sold = [], []
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["order_id", "date", "country", "region", "amount", "shipping", "tax", "currency", "kind"])
        for n in range(rows):
            if written and rng.random() < 0.04:
                out.writerow(rng.choice(written))  # the same row exported again
                continue
            kind = rng.choices(["sale", "refund", "chargeback"], [85, 12, 3])[0]
            country, region, code = rng.choice([("US", "CA", "USD"), ("US", "TX", "USD"), ("JP", "", "JPY"),
                                                ("DE", "", "EUR")])
            # A refund or chargeback of an order sold before, in its place and currency; a sale under its own id.
            if kind != "sale" and sold:
                order_id, country, region, code = rng.choice(sold)
            else:
                order_id = f"O{n}"
                sold.append((order_id, country, region, code))
            yen = code == "JPY"
            day = date(2025, 1, 1) + timedelta(days=rng.randrange(500))
            amount = Decimal(rng.randrange(100, 500000)) / (1 if yen else 100)
            shipping = rng.choice(["", "0", "9.95", "9.9", "1,200.00", "-2.50"]) if not yen else \
                rng.choice(["", "0", "800", "1,200"])
            rate = (amount * Decimal("0.0725")).quantize(Decimal(1) if yen else Decimal("0.01"))
            tax = rng.choice(["", "0.00", str(rate)])
            shown = str(-amount) if kind == "sale" and rng.random() < 0.02 else str(amount)  # a negative sale
            row = [order_id, day.isoformat(), country, region, shown, shipping, tax, code, kind]
            written.append(row)
            out.writerow(row)


def test_shipping_and_tax_read_alike_on_the_fast_path(tmp_path):
    path = tmp_path / "orders.csv"
    charged_orders(path)
    options = ReadOptions(category="goods")
    fast, ref = read_sales_fast([str(path)], options), read_sales([str(path)], options)
    assert fast.summary() == ref.summary() and fast.summary()["duplicates"] > 20
    assert fast.totals == ref.totals and fast.charge_totals == ref.charge_totals
    assert fast.category_sources == ref.category_sources and len(ref.charge_totals) > 500


def test_copies_with_other_charges_are_repeats_with_different_values(write):
    path = write("o.csv", """\
        order_id,date,country,region,amount,shipping,tax,currency,kind
        A1,2026-01-02,US,CA,100.00,10.00,8.25,USD,sale
        A2,2026-01-03,US,CA,40.00,5.00,0,USD,sale
        A2,2026-01-03,US,CA,40.00,5.00,0,USD,sale
        A3,2026-01-04,US,CA,20.00,,1.65,USD,sale
        A3,2026-01-05,US,CA,20.00,,1.65,USD,refund
        A3,2026-01-05,US,CA,20.0,0.00,1.65,USD,refund
        """)
    options = ReadOptions(category="goods")
    fast, ref = read_sales_fast([path], options), read_sales([path], options)
    assert fast.summary() == ref.summary() and fast.summary()["duplicates"] == 2  # A2's copy; A3's refund again
    assert fast.totals == ref.totals and fast.charge_totals == ref.charge_totals
    other = write("p.csv", """\
        order_id,date,country,region,amount,shipping,tax,currency,kind
        A1,2026-01-02,US,CA,100.00,10.00,8.25,USD,sale
        A1,2026-01-02,US,CA,100.00,12.00,8.25,USD,sale
        """)
    with pytest.raises(NotPlain, match="repeated with different values"):
        read_sales_fast([other], options)


def test_charges_with_more_decimals_than_the_currency_are_handed_over(write):
    path = write("o.csv", "order_id,date,country,region,amount,shipping,currency\nA1,2026-01-02,JP,,1000,80.5,JPY\n")
    with pytest.raises(NotPlain, match="more decimal places"):
        read_sales_fast([path], ReadOptions(category="goods"))


def test_charge_columns_are_read_by_position_not_by_duckdbs_names_for_them(write):
    """DuckDB names an empty header cell ``column5`` (and a later ``column5`` ``column5_1``): a shipping column
    mapped by that name was read from the empty column's cells (sales 11.00 where the reference reads 12.00)."""
    path = write("o.csv", """\
        order_id,date,country,region,amount,,currency,column5
        A1,2026-01-02,US,CA,10.00,1.00,USD,2.00
        """)
    options = ReadOptions(category="goods", columns={"shipping": "column5"})
    fast, ref = read_sales_fast([path], options), read_sales([path], options)
    assert fast.totals == ref.totals and fast.charge_totals == ref.charge_totals
    assert fast.by_day_and_currency() == {(date(2026, 1, 2), "USD"): Decimal("12.00")}


def test_unknown_category_is_said_on_the_fast_path_as_by_the_reference(write):
    """--unknown-category is an assumption the reference reader states (Categorizer.notes); the fast path for
    nexus's layout stated nothing, so a check on DuckDB left it out of the report."""
    path = write("o.csv", "order_id,date,country,region,amount,shipping,tax,currency\nA1,2026-01-02,US,CA,10.00,1.00,"
                          "0.83,USD\n")
    options = ReadOptions(unknown_category="goods")
    fast, ref = read_sales_fast([path], options), read_sales([path], options)
    assert fast.assumptions == ref.assumptions and any("--unknown-category" in a for a in fast.assumptions)
    assert fast.totals == ref.totals and fast.charge_totals == ref.charge_totals


def test_repeated_orders_the_reference_does_not_know_is_never_read_on_the_fast_path(write):
    """The reference reader refuses ``repeated_orders='newest'`` before reading; the fast path read the file
    and gave a ledger."""
    path = write("o.csv", "order_id,date,country,region,amount,shipping,currency\nA1,2026-01-02,US,CA,10.00,1.00,USD\n")
    options = ReadOptions(category="goods", repeated_orders="newest")
    with pytest.raises(InputError, match="--repeated-orders"):
        read_sales([path], options)
    with pytest.raises(NotPlain, match="--repeated-orders"):
        read_sales_fast([path], options)


def test_empty_or_blank_charge_cells_charge_nothing_in_csv_and_parquet(tmp_path):
    """A Parquet text column holds '' where a CSV cell is empty: it stopped the read (Parquet has no other
    reader); a CSV cell of spaces handed over. Both charge nothing, as nexus's own reader reads them."""
    import duckdb

    path = tmp_path / "o.csv"
    path.write_text("order_id,date,country,region,amount,shipping,tax,currency\n"
                    "A1,2026-01-02,US,CA,10.00,  ,0.83,USD\nA2,2026-01-03,US,CA,20.00, 2.50 ,,USD\n", encoding="utf-8")
    options = ReadOptions(category="goods")
    fast, ref = read_sales_fast([str(path)], options), read_sales([str(path)], options)
    assert fast.totals == ref.totals and fast.charge_totals == ref.charge_totals
    target = tmp_path / "o.parquet"
    duckdb.sql(f"COPY (SELECT * REPLACE (COALESCE(shipping, '') AS shipping, COALESCE(tax, '') AS tax) "
               f"FROM read_csv('{path}', all_varchar = true)) TO '{target}' (FORMAT parquet)")
    assert read_sales_fast([str(target)], options).charge_totals == ref.charge_totals
