"""`nexus check` over a store's export and its payment provider's: each order paid through the provider counted
once, on either engine, the same figures. The files and every figure: tests/payment_pairs.py."""
import json

import pytest
from click.testing import CliRunner

from nexus.cli import cli
from payment_pairs import paypal_activity, shopify_orders, stripe_payments, woocommerce_orders


def check(files, *options):
    args = ["check", "--as-of", "2025-12-31", "--home", "US-WA"] + [a for f in files for a in ("--sales", f)]
    result = CliRunner().invoke(cli, args + list(options), catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result


def found(report: dict, *places: str) -> dict:
    return {f["jurisdiction"]: (f["sales"], f["transactions"]) for f in report["findings"]
            if f["jurisdiction"] in places}


@pytest.mark.parametrize("engine", ["auto", "python", "duckdb"])
def test_woocommerce_beside_stripe_counts_each_order_once_on_either_engine(tmp_path, engine):
    """Washington 120.00 in 3 transactions (before: 278.00 in 5, Stripe's copies of 3001 and 3004 counted again);
    Stripe's 5 rows: 1 used (the invoice) + 4 duplicates."""
    files = [woocommerce_orders(tmp_path), stripe_payments(tmp_path)]
    result = check(files, "--format", "json", "--engine", engine)
    report = json.loads(result.stdout)
    assert found(report, "US-WA") == {"US-WA": ("120.00", 3)}
    assert [(f["file"], f["rows"], f["used"], f["duplicates"], f["left_out"]) for f in report["summary"]["files"]] \
        == [(files[0], 5, 4, 0, 1), (files[1], 5, 1, 4, 0)]
    assert [r["line"] for r in report["summary"]["duplicate_rows"]] == [2, 3, 3, 4, 5, 5]
    if engine == "duckdb":  # handed to nexus's own reader, which says why once
        handed_over = [line for line in result.stderr.splitlines() if "not with DuckDB" in line]
        assert len(handed_over) == 1 and handed_over[0].endswith(
            "the files are in 2 layouts (a Stripe payments export, a WooCommerce order export): nexus's own reader "
            "reads them together, matching a payment provider's payments to the store's orders")


@pytest.mark.parametrize("engine", ["auto", "python", "duckdb"])
def test_shopify_beside_paypal_counts_each_order_once_on_either_engine(tmp_path, engine):
    """California 25.00 in 1 (Shopify's 50.00, PayPal's refund of 25.00 net that Shopify does not hold); before,
    73.00 in 2. Washington 30.00 (#1003, through Shopify Payments). PayPal's rows: its two payments of Shopify's
    orders are duplicates; its dated refund of #1002 counts in place of Shopify's running total (a duplicate before
    2026-12-07)."""
    files = [paypal_activity(tmp_path), shopify_orders(tmp_path)]
    report = json.loads(check(files, "--format", "json", "--engine", engine).stdout)
    assert found(report, "US-CA", "US-WA") == {"US-CA": ("25.00", 1), "US-WA": ("30.00", 1)}
    assert [(f["rows"], f["used"], f["duplicates"]) for f in report["summary"]["files"]] == [(5, 3, 2), (4, 4, 0)]


def test_the_screen_says_what_the_match_found(tmp_path):
    woo, stripe = woocommerce_orders(tmp_path), stripe_payments(tmp_path)
    said = " ".join(line.strip() for line in check([woo, stripe]).stdout.splitlines())
    assert "Rows: 10 read = 5 used + 0 skipped + 4 duplicates (counted once) + 1 left out" in said
    assert (f"Read: {stripe} (a Stripe payments export) is matched to {woo} by the payment's id: 4 payments are of "
            f"orders there, counted from the store's export alone (listed among the duplicates); 1 payment (USD "
            f"75.00 of sales) matches no order and is counted as a sale of its own") in said
    assert "counted twice" not in said


@pytest.mark.parametrize("later_first", [False, True])
def test_two_stripe_exports_that_differ_beside_a_store_s_dated_refund_stop_the_check(tmp_path, later_first):
    """The default --repeated-orders error: one line naming both Stripe rows, exit 2 (before: exit 0, the copy
    WooCommerce's refund holds unseen by the repeat check)."""
    from test_payment_matches import _stripe_refunded, _woo_3001_refunded

    first = _stripe_refunded(tmp_path, "stripe-payments-0705.csv", "10.80", "2025-07-05 09:00:00")
    later = _stripe_refunded(tmp_path, "stripe-payments-0720.csv", "27.00", "2025-07-20 09:00:00")
    one, other = (later, first) if later_first else (first, later)
    args = ["check", "--as-of", "2025-12-31", "--home", "US-WA", "--sales", _woo_3001_refunded(tmp_path),
            "--sales", one, "--sales", other]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {other}:2: column 'id' value 'ch_3PA0001': refund of order 'ch_3PA0001' "
                                    f"read at {one}:2 and again at {other}:2 with day ")
    assert len(result.stderr.splitlines()) == 1
