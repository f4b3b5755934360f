"""An order id read twice: a duplicate when the copies agree, a conflict when they differ (--repeated-orders)."""
from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from conftest import account
from nexus.cli import cli
from nexus.own_layout_fast import read_sales_fast
from nexus.plain_input import NotPlain
from nexus.errors import InputError
from nexus.read_options import ReadOptions
from nexus.orders import RepeatedOrder
from nexus.sales import read_sales

HEADER = "order_id,date,country,region,amount,currency,category\n"


def totals(ledger):
    return {(k[0], k[1].isoformat(), k[4]): v for k, v in ledger.totals.items()}


def test_identical_repeats_are_duplicates_in_every_mode(write):
    first = write("a.csv", HEADER + "A1,2026-01-02,US,CA,10.00,USD,goods\n")
    late = write("b.csv", HEADER + "A1,2026-01-02,US,CA,10.0,USD,goods\n")  # the same amount, written shorter
    for mode in ("error", "lines", "latest"):
        ledger = read_sales([first, late], ReadOptions(repeated_orders=mode))
        assert ledger.summary() == account(read=2, used=1, duplicates=1)
        assert totals(ledger) == {("US-CA", "2026-01-02", "sale"): [Decimal("10.00"), 1]}


def test_error_stops_naming_both_lines_and_what_differs(write):
    first = write("a.csv", HEADER + "A1,2026-01-02,US,CA,10.00,USD,goods\n")
    later = write("b.csv", HEADER + "B7,2026-01-03,US,NY,5,USD,goods\nA1,2026-01-02,US,NV,12.00,USD,goods\n")
    with pytest.raises(RepeatedOrder) as raised:
        read_sales([first, later])
    assert str(raised.value) == (
        f"{later}:3: column 'order_id' value 'A1': order 'A1' read at {first}:2 and again at {later}:3 with place "
        f"'US-CA' then 'US-NV'; amount '10' then '12': an order id repeated with different content is a line item or "
        f"an amendment; say which with --repeated-orders lines (line items of one order) or latest (keep the later "
        f"copy)")


def test_lines_sums_the_rows_as_one_order_with_one_transaction_per_place(write):
    path = write("o.csv", HEADER + """\
        A1,2026-01-02,US,CA,10.00,USD,goods
        A1,2026-01-02,US,CA,15.00,USD,goods
        A1,2026-01-02,US,NV,7.00,USD,goods
        A1,2026-01-02,US,CA,15.00,USD,goods
        """)
    ledger = read_sales([path], ReadOptions(repeated_orders="lines"))
    # 10 + 15 in California are one transaction; the item shipped to Nevada is the order's second place; the last
    # row repeats the 15.00 line exactly: a duplicate.
    assert totals(ledger) == {("US-CA", "2026-01-02", "sale"): [Decimal("25.00"), 1],
                              ("US-NV", "2026-01-02", "sale"): [Decimal("7.00"), 1]}
    assert ledger.summary() == account(read=4, used=3, duplicates=1, conflicts=2)
    assert [(c.later.line, c.treated) for c in ledger.conflicts] == [(3, "line items"), (4, "line items")]


def test_lines_count_the_order_with_its_goods_line_whatever_line_comes_first(write):
    # An order of an e-book (first) and a teapot is one transaction, as the platform readers count a split order:
    # with its goods part, so that a test counting goods only (New York, California) finds it.
    path = write("o.csv", HEADER + """\
        A1,2026-01-02,US,NY,1.00,USD,digital
        A1,2026-01-02,US,NY,50.00,USD,goods
        A1,2026-01-02,US,NY,2.00,USD,saas
        B2,2026-01-02,US,NY,3.00,USD,saas
        B2,2026-01-02,US,NY,4.00,USD,digital
        """)
    ledger = read_sales([path], ReadOptions(repeated_orders="lines"))
    assert {k: v for k, v in ledger.series.items()} == {
        ("US-NY", "USD", "direct", "sale", "no", "digital"): {date(2026, 1, 2): [Decimal("5.00"), 1]},
        ("US-NY", "USD", "direct", "sale", "no", "goods"): {date(2026, 1, 2): [Decimal("50.00"), 1]},
        ("US-NY", "USD", "direct", "sale", "no", "saas"): {date(2026, 1, 2): [Decimal("5.00"), 0]}}


def test_lines_count_the_order_with_its_exempt_retail_line_before_its_resale_line(write):
    # An order of goods for resale (first) and exempt goods: a retail-sales test (Tennessee, Georgia) counts the
    # exempt line and not the resale one, so the order's transaction goes with the exempt line (as nexus sql does).
    path = write("o.csv", "order_id,date,country,region,amount,currency,category,exempt\n"
                          "A1,2026-01-02,US,GA,10.00,USD,goods,resale\n"
                          "A1,2026-01-02,US,GA,20.00,USD,goods,exempt\n")
    ledger = read_sales([path], ReadOptions(repeated_orders="lines"))
    assert ledger.series == {
        ("US-GA", "USD", "direct", "sale", "resale", "goods"): {date(2026, 1, 2): [Decimal("10.00"), 0]},
        ("US-GA", "USD", "direct", "sale", "exempt", "goods"): {date(2026, 1, 2): [Decimal("20.00"), 1]}}


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_new_york_counts_orders_whose_first_line_is_digital(write, engine):
    # 101 orders of a download (first line) and USD 5,000 of goods into New York in its four quarters to
    # 2026-05-31: USD 505,000 and 101 sales of tangible goods, over both parts of its AND test.
    rows = "".join(f"N{i},2025-{6 + i % 6:02d}-10,US,NY,{amount},USD,{category}\n"
                   for i in range(101) for amount, category in (("1.00", "digital"), ("5000.00", "goods")))
    path = write("o.csv", HEADER + rows)
    result = CliRunner().invoke(cli, ["check", "--sales", path, "--engine", engine, "--repeated-orders", "lines",
                                      "--as-of", "2026-06-30", "--format", "json"])
    assert result.exit_code == 0, result.output
    ny = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "US-NY")
    assert (ny["status"], ny["sales"], ny["transactions"], ny["crossed_on"]) == ("exceeded", "505000.00", 101,
                                                                                  "2025-11-10")


def test_a_late_export_of_a_multi_line_order_is_counted_once_in_lines_mode(write):
    rows = "A1,2026-01-02,US,CA,10.00,USD,goods\nA1,2026-01-02,US,CA,15.00,USD,goods\n"
    first, late = write("a.csv", HEADER + rows), write("b.csv", HEADER + rows)
    ledger = read_sales([first, late], ReadOptions(repeated_orders="lines"))
    assert totals(ledger) == {("US-CA", "2026-01-02", "sale"): [Decimal("25.00"), 1]}
    assert ledger.summary() == account(read=4, used=2, duplicates=2, conflicts=1)


def test_latest_keeps_the_later_file_then_the_later_line(write):
    first = write("a.csv", HEADER + "A1,2026-01-02,US,CA,10.00,USD,goods\nA1,2026-01-02,US,CA,11.00,USD,goods\n")
    later = write("b.csv", HEADER + "A1,2026-01-05,US,TX,12.00,USD,goods\n")
    ledger = read_sales([first, later], ReadOptions(repeated_orders="latest"))
    assert totals(ledger) == {("US-TX", "2026-01-05", "sale"): [Decimal("12.00"), 1]}
    assert ledger.rows_by_day == {date(2026, 1, 5): 1}
    assert ledger.summary() == account(read=3, used=1, superseded=2, conflicts=2)
    # Given the other way round, the first file is the later one.
    ledger = read_sales([later, first], ReadOptions(repeated_orders="latest"))
    assert totals(ledger) == {("US-CA", "2026-01-02", "sale"): [Decimal("11.00"), 1]}


def test_refund_events_are_not_conflicts_but_a_refund_repeated_with_another_category_is(write):
    path = write("o.csv", "order_id,date,country,region,amount,currency,kind,category\n"
                          "A1,2026-01-02,US,CA,10.00,USD,sale,goods\n"
                          "A1,2026-01-05,US,CA,4.00,USD,refund,goods\n"
                          "A1,2026-01-09,US,CA,4.00,USD,refund,goods\n")  # a second partial refund
    assert read_sales([path]).summary() == account(read=3, used=3)
    path = write("p.csv", "order_id,date,country,region,amount,currency,kind,category\n"
                          "A1,2026-01-05,US,CA,4.00,USD,refund,goods\nA1,2026-01-05,US,CA,4.00,USD,refund,saas\n")
    with pytest.raises(RepeatedOrder, match="refund of order 'A1' .* with category 'goods' then 'saas'"):
        read_sales([path])


@pytest.mark.parametrize("mode", ["error", "lines", "latest"])
def test_the_fast_path_hands_a_conflict_over_in_every_mode(write, mode):
    path = write("o.csv", HEADER + "A1,2026-01-02,US,CA,10.00,USD,goods\nA1,2026-01-02,US,CA,12.00,USD,goods\n")
    with pytest.raises(NotPlain, match="'A1' is repeated with different values"):
        read_sales_fast([path], ReadOptions(repeated_orders=mode))
    result = CliRunner().invoke(cli, ["check", "--sales", path, "--engine", "duckdb", "--repeated-orders", mode,
                                      "--as-of", "2026-06-30", "--format", "csv"])
    assert "not with DuckDB: order 'A1' is repeated with different values" in result.stderr
    if mode == "error":
        assert result.exit_code == 2 and "order 'A1' read at" in result.stderr
    else:  # read by the reference reader as the mode says: 22.00 as lines, 12.00 as latest
        assert result.exit_code == 0
        assert {"lines": "22.00", "latest": "12.00"}[mode] in result.stdout.split("US-CA", 1)[1].split("\n")[0]


def test_orders_without_an_id_are_never_repeats(write):
    path = write("o.csv", HEADER + ",2026-01-02,US,CA,10.00,USD,goods\n,2026-01-02,US,CA,12.00,USD,goods\n")
    assert read_sales([path]).summary() == account(read=2, used=2)


# An order id that went through a spreadsheet as a number: two rows sharing it may be two orders.

LONG_IDS = ("2.00001E+15,2026-01-02,US,CA,10.00,USD,goods\n"
            "7,2026-01-03,US,NY,4.00,USD,goods\n"
            "2.00001E+15,2026-01-05,US,TX,12.00,USD,goods\n")


@pytest.mark.parametrize("mode", ["error", "lines", "latest"])
def test_a_repeated_id_a_spreadsheet_shortened_stops_the_check_in_every_mode(write, mode):
    path = write("o.csv", HEADER + LONG_IDS)
    with pytest.raises(InputError) as raised:
        read_sales([path], ReadOptions(repeated_orders=mode))
    assert str(raised.value) == (
        f"{path}:4: column 'order_id' value '2.00001E+15': order id '2.00001E+15' was read at {path}:2 too; it is a "
        f"long number as a spreadsheet shows it, its last digits gone, so the two rows may be different orders: "
        f"export the order id column as text (or straight from the platform, not through a spreadsheet) and read "
        f"again")


def test_identical_rows_under_a_shortened_id_are_not_taken_for_a_late_export(write):
    # One product at one price, to one state, on one day: two customers' orders look alike but for the id.
    row = "1.23457E+017,2026-01-02,US,CA,19.99,USD,goods\n"  # an exponent of three digits
    path = write("o.csv", HEADER + row + row)
    with pytest.raises(InputError, match="may be different orders"):
        read_sales([path])


@pytest.mark.parametrize("engine", ["duckdb", "python"])
def test_the_cli_names_the_rows_on_either_engine(write, engine):
    path = write("o.csv", HEADER + LONG_IDS)
    result = CliRunner().invoke(cli, ["check", "--sales", path, "--engine", engine, "--as-of", "2026-06-30"])
    assert result.exit_code == 2
    assert f"{path}:4: column 'order_id' value '2.00001E+15'" in result.stderr
    assert "export the order id column as text" in result.stderr
    if engine == "duckdb":  # the fast path hands the file over, saying why
        assert "an order id is a long number as a spreadsheet shows it" in result.stderr


def test_shortened_ids_read_once_are_counted(write):
    # DuckDB hands a cut id over, read once or not: nexus's own reader matches it against whole ids (nexus.cut_ids).
    rows = "2.00001E+15,2026-01-02,US,CA,10.00,USD,goods\n2.00002E+15,2026-01-03,US,CA,5.00,USD,goods\n"
    path = write("o.csv", HEADER + rows)
    with pytest.raises(NotPlain, match="an order id is a long number as a spreadsheet shows it"):
        read_sales_fast([path], ReadOptions())
    for ledger in (read_sales([path]),):
        assert ledger.summary() == account(read=2, used=2)
        assert totals(ledger) == {("US-CA", "2026-01-02", "sale"): [Decimal("10.00"), 1],
                                  ("US-CA", "2026-01-03", "sale"): [Decimal("5.00"), 1]}


def test_a_workbook_number_of_sixteen_digits_repeated_stops_but_fifteen_is_a_duplicate(tmp_path):
    from openpyxl import Workbook

    def workbook(order_id):
        book = Workbook()
        book.active.append(["order_id", "date", "country", "region", "amount", "currency"])
        for day in (2, 2):  # the same row twice: a late export, or two orders Excel's 15 digits made one
            book.active.append([order_id, date(2026, 1, day), "US", "CA", 10, "USD"])
        path = tmp_path / f"{order_id}.xlsx"
        book.save(path)
        return str(path)

    # Excel keeps 15 significant digits: Mercado Libre's 16-digit 2000001234567891 is stored 2000001234567890.
    with pytest.raises(InputError) as raised:
        read_sales([workbook(2000001234567890)])
    assert "a number of more than 15 digits in a workbook, which keeps only 15 significant digits" in str(raised.value)
    assert str(raised.value).startswith(f"{tmp_path / '2000001234567890.xlsx'}:3: column 'order_id'")
    assert read_sales([workbook(200000123456789)]).summary() == account(read=2, used=1, duplicates=1)


#: A Stripe payments export's columns nexus reads (docs/input-formats.md), and payment ch_1 of USD 100.00 made on
#: 2025-07-01 in California: refunded 10.00 by 2025-07-05 in a first export, 25.00 by 2025-07-20 in a later one.
STRIPE = ("id,Created date (UTC),Amount,Amount Refunded,Refunded date (UTC),Currency,Captured,Status,"
          "Card Address State,Card Address Country\n")
STRIPE_FIRST = STRIPE + "ch_1,2025-07-01 10:00:00,100.00,10.00,2025-07-05 09:00:00,usd,true,Paid,CA,US\n"
STRIPE_LATER = STRIPE + "ch_1,2025-07-01 10:00:00,100.00,25.00,2025-07-20 09:00:00,usd,true,Paid,CA,US\n"


def stripe_exports(write, later_first):
    first, later = write("unified_payments.csv", STRIPE_FIRST), write("unified_payments_late.csv", STRIPE_LATER)
    return (later, first) if later_first else (first, later)


@pytest.mark.parametrize("later_first", [False, True])
def test_a_later_stripe_export_of_a_dated_running_total_is_an_error_naming_both_rows(write, later_first):
    """Stripe's Amount Refunded is the payment's running total, dated by Refunded date (UTC): a later export's
    25.00 on 2025-07-20 is the state of the 10.00 on 2025-07-05, amended, and by default an order repeated with other
    content names both rows. Before, the two were taken for two refunds, 35.00, silently, in every mode."""
    paths = stripe_exports(write, later_first)
    with pytest.raises(RepeatedOrder) as raised:
        read_sales(list(paths))
    said = str(raised.value)
    assert said.startswith(f"{paths[1]}:2: column 'id' value 'ch_1': refund of order 'ch_1' read at {paths[0]}:2 "
                           f"and again at {paths[1]}:2 with ")
    assert "'2025-07-05'" in said and "'2025-07-20'" in said and "--repeated-orders" in said


@pytest.mark.parametrize("mode", ["latest", "lines"])
@pytest.mark.parametrize("later_first", [False, True])
def test_a_later_stripe_export_replaces_the_running_total_each_part_on_its_date(write, mode, later_first):
    """By hand: 10.00 refunded by 2025-07-05, 25.00 by 2025-07-20: 10.00 on 2025-07-05 and 15.00 more on 2025-07-20,
    25.00 in all, whichever export is given first (the later Refunded date is the later state); with lines too, as a
    running total is the payment's state, not a line item. Before: 35.00 (10.00 and 25.00)."""
    ledger = read_sales(list(stripe_exports(write, later_first)), ReadOptions(repeated_orders=mode))
    assert totals(ledger) == {("US-CA", "2025-07-01", "sale"): [Decimal("100.00"), 1],
                              ("US-CA", "2025-07-05", "refund"): [Decimal("-10.00"), 0],
                              ("US-CA", "2025-07-20", "refund"): [Decimal("-15.00"), 0]}
    assert ledger.summary() == account(read=2, used=1, duplicates=1, conflicts=1)
    assert [(c.order_id, c.kind, c.treated) for c in ledger.conflicts] == [("ch_1", "refund", "the later kept")]


def test_a_stripe_export_read_twice_counts_its_refund_once(write):
    path = write("unified_payments.csv", STRIPE_LATER)
    for mode in ("error", "lines", "latest"):
        ledger = read_sales([path, path], ReadOptions(repeated_orders=mode))
        assert totals(ledger) == {("US-CA", "2025-07-01", "sale"): [Decimal("100.00"), 1],
                                  ("US-CA", "2025-07-20", "refund"): [Decimal("-25.00"), 0]}


@pytest.mark.parametrize("mode", ["latest", "lines"])
@pytest.mark.parametrize("dated_first", [False, True])
def test_an_older_stripe_export_without_refund_dates_beside_a_later_one_with_them(write, mode, dated_first):
    """Stripe's older payments CSV has no Refunded date (UTC): its 10.00 refunded counts on the payment's date, said
    as undated. Beside the unified export's 25.00 by 2025-07-20, by hand: 10.00 on 2025-07-01 (undated) and 15.00
    more on 2025-07-20, whichever file is given first. Before, with the dated export first, the undated copy read
    later replaced it: 10.00 on 2025-07-01 alone."""
    older = write("payments.csv", STRIPE.replace("Refunded date (UTC),", "") +
                  "ch_1,2025-07-01 10:00:00,100.00,10.00,usd,true,Paid,CA,US\n")
    later = write("unified_payments.csv", STRIPE_LATER)
    ledger = read_sales([later, older] if dated_first else [older, later], ReadOptions(repeated_orders=mode))
    assert totals(ledger) == {("US-CA", "2025-07-01", "sale"): [Decimal("100.00"), 1],
                              ("US-CA", "2025-07-01", "refund"): [Decimal("-10.00"), 0],
                              ("US-CA", "2025-07-20", "refund"): [Decimal("-15.00"), 0]}
    assert ledger.undated_refunds == {"US-CA": {"stripe"}}


#: The same payment ch_1 exported again after its customer filled in a shipping address in Nevada (the card still
#: billed in California): the unified export's Shipping Address columns, which place the sale where present.
STRIPE_PLACED = ("id,Created date (UTC),Amount,Amount Refunded,Refunded date (UTC),Currency,Captured,Status,"
                 "Card Address State,Card Address Country,Shipping Address State,Shipping Address Country\n")
STRIPE_IN_CA = STRIPE_PLACED + "ch_1,2025-07-01 10:00:00,100.00,10.00,2025-07-05 09:00:00,usd,true,Paid,CA,US,,\n"
STRIPE_IN_NV = STRIPE_PLACED + "ch_1,2025-07-01 10:00:00,100.00,25.00,2025-07-20 09:00:00,usd,true,Paid,CA,US,NV,US\n"


def by_place(ledger):
    """Per place: net sales, and the refunds counted per day."""
    out: dict = {}
    for (place, day, kind), (amount, _count) in totals(ledger).items():
        held = out.setdefault(place, [Decimal(0), {}])
        held[0] += amount
        if kind == "refund":
            held[1][day] = held[1].get(day, Decimal(0)) + amount
    return {place: (net, refunds) for place, (net, refunds) in out.items()}


@pytest.mark.parametrize("mode", ["latest", "lines"])
@pytest.mark.parametrize("nevada_last", [True, False])
def test_a_stripe_payment_placed_anew_in_a_later_export_takes_its_refunds_with_it(write, mode, nevada_last):
    """A charge is one sale in one place: the copy counted (the later file given, as latest reads any order; lines
    reads a payment so) places the sale, and every increase of its refunded total follows it, each on its own date.
    By hand: Nevada's copy last, NV 100.00 - 10.00 (2025-07-05) - 15.00 (2025-07-20) = 75.00, nothing in CA;
    California's last, the same in CA. Before: 10.00 refunded in CA and 15.00 in NV of a sale counted in NV alone
    (CA -10.00, NV 85.00), or 10.00 in CA and 15.00 in NV of a sale in CA; and lines counted the sale in both places
    (200.00)."""
    in_ca, in_nv = write("unified_payments.csv", STRIPE_IN_CA), write("unified_payments_late.csv", STRIPE_IN_NV)
    ledger = read_sales([in_ca, in_nv] if nevada_last else [in_nv, in_ca], ReadOptions(repeated_orders=mode))
    place = "US-NV" if nevada_last else "US-CA"
    assert by_place(ledger) == {place: (Decimal("75.00"), {"2025-07-05": Decimal("-10.00"),
                                                           "2025-07-20": Decimal("-15.00")})}
    assert ledger.summary() == account(read=2, used=1, superseded=1, conflicts=2)


@pytest.mark.parametrize("mode", ["latest", "lines"])
def test_a_stripe_payment_s_refund_follows_a_copy_read_later_that_has_none_yet(write, mode):
    """An export taken before the refund (California, nothing refunded) given after the one that holds it (Nevada,
    25.00 by 2025-07-20): the later file's copy counts, and the refund with it. By hand: CA 100.00 - 25.00 = 75.00.
    Before: CA 100.00 and NV -25.00."""
    early = write("unified_payments.csv", STRIPE_PLACED +
                  "ch_1,2025-07-01 10:00:00,100.00,0.00,,usd,true,Paid,CA,US,,\n")
    late = write("unified_payments_late.csv", STRIPE_IN_NV)
    ledger = read_sales([late, early], ReadOptions(repeated_orders=mode))
    assert by_place(ledger) == {"US-CA": (Decimal("75.00"), {"2025-07-20": Decimal("-25.00")})}


def test_a_stripe_payment_placed_anew_is_an_error_by_default_naming_both_rows(write):
    in_ca, in_nv = write("unified_payments.csv", STRIPE_IN_CA), write("unified_payments_late.csv", STRIPE_IN_NV)
    with pytest.raises(RepeatedOrder) as raised:
        read_sales([in_ca, in_nv])
    assert str(raised.value).startswith(f"{in_nv}:2: column 'id' value 'ch_1': order 'ch_1' read at {in_ca}:2 and "
                                        f"again at {in_nv}:2 with place 'US-CA' then 'US-NV'")


#: A dispute of payment ch_1 (USD 100.00, 2025-07-01, California) the seller lost, in the unified export's dispute
#: columns: ``lost`` with ``amount`` disputed on ``day`` (no Dispute Date (UTC) column where ``day`` is None).
def stripe_dispute(write, name, amount, day):
    columns = ("id,Created date (UTC),Amount,Amount Refunded,Currency,Captured,Status,Card Address State,"
               "Card Address Country,Disputed Amount,Dispute Status")
    row = f"ch_1,2025-07-01 10:00:00,100.00,0.00,usd,true,Paid,CA,US,{amount},lost"
    if day is not None:
        columns, row = f"{columns},Dispute Date (UTC)", f"{row},{day} 09:00:00"
    return write(name, f"{columns}\n{row}\n")


def chargebacks(ledger):
    """The refunds and chargebacks counted per day (a chargeback is keyed as a refund: both reduce sales)."""
    return {day: amount for (_place, day, kind), (amount, _count) in totals(ledger).items() if kind == "refund"}


@pytest.mark.parametrize("mode", ["latest", "lines"])
@pytest.mark.parametrize("later_last", [True, False])
def test_a_later_stripe_export_s_dispute_replaces_the_earlier_copy_s(write, mode, later_last):
    """Stripe allows one dispute per charge: a later copy's Disputed Amount is the dispute's latest state, whole. By
    hand: 40.00 lost by 2025-08-05 in one export, 54.00 by 2025-08-20 in a later one; the later export given last,
    54.00 off California on 2025-08-20 (46.00 left); given first, the copy read last is the earlier one's, 40.00 on
    2025-08-05 (60.00 left), as --repeated-orders latest reads any order. Before: 40.00 on 2025-08-05 and 14.00 on
    2025-08-20 either way, the dispute read as a running total of increases."""
    first = stripe_dispute(write, "unified_payments.csv", "40.00", "2025-08-05")
    later = stripe_dispute(write, "unified_payments_late.csv", "54.00", "2025-08-20")
    ledger = read_sales([first, later] if later_last else [later, first], ReadOptions(repeated_orders=mode))
    assert chargebacks(ledger) == ({"2025-08-20": Decimal("-54.00")} if later_last else
                                   {"2025-08-05": Decimal("-40.00")})
    assert ledger.summary() == account(read=2, used=1, duplicates=1, conflicts=1)


@pytest.mark.parametrize("mode", ["latest", "lines"])
def test_a_later_stripe_export_s_smaller_dispute_is_not_left_at_the_larger(write, mode):
    """54.00 lost on 2025-08-05, a later export's copy of the dispute 30.00 on the same date: 30.00 (70.00 left).
    Before: 54.00, the larger taken for the later state."""
    first = stripe_dispute(write, "unified_payments.csv", "54.00", "2025-08-05")
    later = stripe_dispute(write, "unified_payments_late.csv", "30.00", "2025-08-05")
    ledger = read_sales([first, later], ReadOptions(repeated_orders=mode))
    assert chargebacks(ledger) == {"2025-08-05": Decimal("-30.00")}
    assert ledger.undated_refunds == {}


@pytest.mark.parametrize("mode", ["latest", "lines"])
def test_a_dispute_copy_without_its_date_keeps_the_date_another_copy_gives(write, mode):
    """An export without the Dispute Date (UTC) column given last: its 54.00 is the dispute's amount, on the date the
    earlier copy gives it, 2025-08-05 (one dispute per charge, one date). Before: 54.00 on the payment's date,
    2025-07-01, said as undated."""
    dated = stripe_dispute(write, "unified_payments.csv", "54.00", "2025-08-05")
    undated = stripe_dispute(write, "unified_payments_late.csv", "54.00", None)
    ledger = read_sales([dated, undated], ReadOptions(repeated_orders=mode))
    assert chargebacks(ledger) == {"2025-08-05": Decimal("-54.00")}
    assert ledger.undated_refunds == {}


def test_a_later_stripe_export_s_dispute_that_differs_is_an_error_by_default(write):
    first = stripe_dispute(write, "unified_payments.csv", "40.00", "2025-08-05")
    later = stripe_dispute(write, "unified_payments_late.csv", "54.00", "2025-08-20")
    with pytest.raises(RepeatedOrder, match=rf"^{later}:2: column 'id' value 'ch_1': chargeback of order 'ch_1' read "
                                            rf"at {first}:2 and again at {later}:2 with day '2025-08-05' then "
                                            rf"'2025-08-20'"):
        read_sales([first, later])


def test_two_rows_of_one_stripe_payment_in_one_file_are_two_copies_never_merged(write):
    """Two downloads joined into one file: ch_1 placed in California with 10.00 refunded by 2025-07-05, then again,
    on the next line, in Nevada with 25.00 by 2025-07-20. A payments export has one row per payment, so the second row
    is a copy, judged as any repeated order: by default an error naming both lines; under latest the later line, by
    hand NV 100.00 - 10.00 - 15.00 = 75.00; a row repeated exactly is a duplicate, counted once. Before, the second
    row was merged into the first without a word (CA 90.00, both rows 'used')."""
    path = write("unified_payments.csv", STRIPE_IN_CA + STRIPE_IN_NV.split("\n", 1)[1])
    with pytest.raises(RepeatedOrder, match=rf"^{path}:3: column 'id' value 'ch_1': order 'ch_1' read at {path}:2 and "
                                            rf"again at {path}:3 with place 'US-CA' then 'US-NV'"):
        read_sales([path])
    ledger = read_sales([path], ReadOptions(repeated_orders="latest"))
    assert by_place(ledger) == {"US-NV": (Decimal("75.00"), {"2025-07-05": Decimal("-10.00"),
                                                             "2025-07-20": Decimal("-15.00")})}
    assert ledger.summary() == account(read=2, used=1, superseded=1, conflicts=2)
    twice = write("twice.csv", STRIPE_IN_CA + STRIPE_IN_CA.split("\n", 1)[1])
    ledger = read_sales([twice])
    assert by_place(ledger) == {"US-CA": (Decimal("90.00"), {"2025-07-05": Decimal("-10.00")})}
    assert ledger.summary() == account(read=2, used=1, duplicates=1)
