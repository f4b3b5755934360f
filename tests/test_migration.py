"""A move from one platform to another, as finance lives it: the old platform's export, the new one's (which
imported the last orders, some written in another time zone), a late re-export, refunds made after the move.

Built from tests/exports/migration-shopify.csv (Shopify #1001 40.00 on 1 Sep; #2001 70.36 - tax 5.36 = 65.00,
shipping 5.00, on 28 Sep, Seattle) and migration-woocommerce.csv (2001, the same order imported; 1001, another
order, 25.00 on 2 Oct, Seattle). Every figure below is worked out from those rows by hand."""
from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import account
from nexus.read_options import ReadOptions
from nexus.ledger import file_account, file_rows
from nexus.sales import read_sales

# Every file a test opens is closed where it is opened: an unclosed one is an error (see tests/test_exports.py).
pytestmark = pytest.mark.filterwarnings("error::ResourceWarning", "error::pytest.PytestUnraisableExceptionWarning")

HERE = Path(__file__).resolve().parent / "exports"
SHOPIFY, WOO = HERE / "migration-shopify.csv", HERE / "migration-woocommerce.csv"
D = Decimal


def changed(source: Path, target: Path, line: int, **cells: str) -> str:
    """``source`` written to ``target`` with cells of its row on ``line`` (the header is line 1) changed."""
    with open(source, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    for column, value in cells.items():
        rows[line - 1][rows[0].index(column.replace("_", " ") if column[0].isupper() else column)] = value
    with open(target, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)
    return str(target)


def woo_with(tmp_path: Path, **cells: str) -> str:
    """migration-woocommerce.csv with cells of its order 2001 (line 2) changed."""
    return changed(WOO, tmp_path / "woocommerce-orders.csv", 2, **cells)


def shopify_with(tmp_path: Path, **cells: str) -> str:
    """migration-shopify.csv with cells of the first row of its order #2001 (line 3) changed (``Created_at`` for
    the column 'Created at')."""
    return changed(SHOPIFY, tmp_path / "orders_export.csv", 3, **cells)


def washington(ledger) -> tuple[Decimal, int, dict[str, Decimal]]:
    """Net sales and transactions in Washington, and the refunds per day."""
    sales, count, refunds = D(0), 0, {}
    for (place, day, _currency, _channel, kind, *_rest), (amount, transactions) in ledger.totals.items():
        assert place == "US-WA"
        sales, count = sales + amount, count + transactions
        if kind == "refund":
            refunds[day.isoformat()] = refunds.get(day.isoformat(), D(0)) + amount
    return sales, count, refunds


def test_the_same_order_written_a_day_apart_by_two_platforms_is_one_order(tmp_path):
    """Shopify writes #2001 at 20:00 in Seattle (-0700) on 28 Sep; WooCommerce, set to UTC, writes the same order at
    03:00 on 29 Sep. It is one order: 40.00 + 65.00 + 25.00 = 130.00 in 3 transactions, not 195.00 in 4."""
    shopify = shopify_with(tmp_path, Created_at="2025-09-28 20:00:00 -0700")
    woo = woo_with(tmp_path, order_date="2025-09-29 03:00:00", paid_date="2025-09-29 03:00:00")
    ledger = read_sales([shopify, woo])
    assert washington(ledger)[:2] == (D("130.00"), 3)
    assert ledger.summary() == account(read=5, used=4, duplicates=1, overlaps=1)
    assert "a day apart (2025-09-28 there, 2025-09-29 here" in ledger.overlaps[0].reason


def by_category(ledger) -> dict[str, tuple[Decimal, int]]:
    """Net sales and transactions per category."""
    out: dict[str, tuple[Decimal, int]] = {}
    for (_place, _day, _currency, _channel, _kind, _exempt, category), (amount, count) in ledger.totals.items():
        sales, transactions = out.get(category, (D(0), 0))
        out[category] = (sales + amount, transactions + count)
    return out


def woo_pays_way_to(shopify: str, categories: dict[str, tuple[Decimal, int]], where: str) -> None:
    """Read Shopify's export and WooCommerce's in both orders: the same ``categories`` either way, WooCommerce's 2001
    the one overlap, its reason naming Shopify's copy ``where``, and each file's row account adding up."""
    woo_row = WOO.read_text(encoding="utf-8").splitlines()[1]
    for files in ([shopify, str(WOO)], [str(WOO), shopify]):
        ledger = read_sales(files)
        assert by_category(ledger) == categories, files
        assert ledger.summary() == account(read=5, used=4, duplicates=1, overlaps=1)
        assert [(p.file, p.line, p.column, p.value, p.rows, p.text) for p in ledger.overlaps] == \
            [(str(WOO), 2, "order_number", "2001", 1, woo_row)]
        assert ledger.overlaps[0].reason == f"sale '2001' was also exported in a Shopify orders export {where}"
        assert [(f["rows"], f["used"], f["duplicates"]) for f in file_account(ledger)] == \
            ([(3, 3, 0), (2, 1, 1)] if files[0] == shopify else [(2, 1, 1), (3, 3, 0)])


def test_the_copy_that_gives_the_category_counts_whatever_the_order_of_the_files():
    """Shopify's #2001 gives its lines' category (Lineitem requires shipping true: goods); WooCommerce's 2001 gives
    none. Whichever file comes first: goods 40.00 (#1001) + 65.00 (#2001) = 105.00 in 2 transactions, unknown 25.00
    (WooCommerce's 1001) in 1, not 40.00 goods and 90.00 unknown (New York's goods-only test would miss the sale).
    WooCommerce's row is the overlap either way, saying which copy counts and why; 5 read = 4 used + 1 duplicate."""
    woo_pays_way_to(str(SHOPIFY), {"goods": (D("105.00"), 2), "unknown": (D("25.00"), 1)},
                    f"at {SHOPIFY}:3 with the same amount, currency and place, the same day: a migration overlap, "
                    f"counted once, as that copy (which gives its category (goods) where this one gives none)")


def test_the_copy_that_counts_keeps_its_own_day_whatever_the_order_of_the_files(tmp_path):
    """#2001 on 28 Sep in Shopify (20:00 -0700), 2001 on 29 Sep in WooCommerce (03:00 UTC): WooCommerce read first,
    Shopify's copy still counts, on 28 Sep, in goods; the overlap line gives both days."""
    shopify = shopify_with(tmp_path, Created_at="2025-09-28 20:00:00 -0700")
    woo = woo_with(tmp_path, order_date="2025-09-29 03:00:00", paid_date="2025-09-29 03:00:00")
    ledger = read_sales([woo, shopify])
    assert {(day.isoformat(), category): total for (_p, day, _c, _ch, _k, _e, category), total
            in ledger.totals.items()} == {("2025-09-01", "goods"): [D("40.00"), 1],
                                          ("2025-09-28", "goods"): [D("65.00"), 1],
                                          ("2025-10-02", "unknown"): [D("25.00"), 1]}
    assert "a day apart (2025-09-28 there, 2025-09-29 here" in ledger.overlaps[0].reason
    assert ledger.overlaps[0].file == woo


def test_the_same_number_two_days_apart_is_two_orders(tmp_path):
    """Two days apart no time zone explains: WooCommerce's 2001 on 30 Sep is another order, 65.00 more."""
    ledger = read_sales([str(SHOPIFY), woo_with(tmp_path, order_date="2025-09-30 17:00:00")])
    assert washington(ledger)[:2] == (D("195.00"), 4)
    assert ledger.summary()["migration_overlaps"] == 0


def test_the_same_number_day_and_place_with_another_amount_is_counted_twice_and_said(tmp_path):
    """WooCommerce's 2001 at 70.86 (65.50 before tax) where Shopify's #2001 is 70.36 (65.00), as when the new
    platform's import changes a rounding or a shipping line: the same id, day and place but not the same amount, so
    not a migration overlap. Both are counted (40.00 + 65.00 + 65.50 + 25.00 = 195.50 in 4 transactions) and nothing
    said so; now one warning names both copies, in either order of the files, and nexus still does not merge them."""
    woo = woo_with(tmp_path, order_total="70.86")
    shopify = f"'#2001' at {SHOPIFY}:3 (a Shopify orders export, USD 65.00 before tax on 2025-09-28 in US-WA)"
    woocommerce = f"'2001' at {woo}:2 (a WooCommerce order export, USD 65.50 before tax on 2025-09-28 in US-WA)"
    orders = (([str(SHOPIFY), woo], shopify, woocommerce), ([woo, str(SHOPIFY)], woocommerce, shopify))
    for files, first, later in orders:
        ledger = read_sales(files)
        assert washington(ledger)[:2] == (D("195.50"), 4)
        assert ledger.summary()["migration_overlaps"] == 0
        assert ledger.notes.warnings == [
            f"order {first} and {later}: the same id and place, the same day, in two platforms' exports but not the "
            f"same amount, so not a migration overlap (where id, amount, currency and place agree, a day apart at "
            f"most): counted twice: if they are one sale, correct one export"]


def test_the_same_number_day_and_place_in_another_currency_is_said_as_another_currency(tmp_path):
    """WooCommerce's 2001 in CAD where Shopify's #2001 is in USD, the same figures: not a migration overlap (the
    currency must agree), both counted, and the warning says it is the currency that differs, where it said 'not the
    same amount' of two amounts it never compared."""
    woo = woo_with(tmp_path, order_currency="CAD")
    warnings = read_sales([str(SHOPIFY), woo]).notes.warnings
    assert len(warnings) == 1 and "CAD 65.00 before tax on 2025-09-28 in US-WA" in warnings[0]
    assert "in two platforms' exports but not the same currency, so not a migration overlap" in warnings[0]


def test_a_day_apart_with_another_amount_is_said_with_both_days(tmp_path):
    """Shopify writes #2001 on 28 Sep (-0700), WooCommerce on 29 Sep (UTC) at 70.86: a day a time zone explains, but
    not the same amount: counted twice, and said with both days; two days apart is two orders, not said."""
    shopify = shopify_with(tmp_path, Created_at="2025-09-28 20:00:00 -0700")
    woo = woo_with(tmp_path, order_date="2025-09-29 03:00:00", order_total="70.86")
    warnings = read_sales([shopify, woo]).notes.warnings
    assert len(warnings) == 1 and ("USD 65.00 before tax on 2025-09-28 in US-WA) and '2001' at " in warnings[0]
                                   and "USD 65.50 before tax on 2025-09-29 in US-WA): the same id and place, a day "
                                       "apart, in two platforms' exports" in warnings[0])
    assert read_sales([shopify, woo_with(tmp_path, order_date="2025-09-30 03:00:00",
                                         order_total="70.86")]).notes.warnings == []


def test_many_orders_of_one_number_with_other_amounts_are_said_in_a_few_lines(tmp_path):
    """Seven orders the new platform imported with 0.50 more each: five named in full, the other two in one line
    with how many, how much and which, not a warning per order of a month's import."""
    old = tmp_path / "old-store.csv"
    old.write_text("order_id,date,country,region,amount,currency\n" + "".join(
        f"{n},2025-09-28,US,WA,65.00,USD\n" for n in range(2001, 2008)), encoding="utf-8")
    header, row = WOO.read_text(encoding="utf-8").splitlines()[:2]
    new = tmp_path / "woocommerce-orders.csv"
    new.write_text("\n".join([header] + [row.replace("6001,2001,", f"{n + 4000},{n},", 1).replace(
        ",70.36,60.00,", ",70.86,60.00,") for n in range(2001, 2008)]) + "\n", encoding="utf-8")
    warnings = read_sales([str(old), str(new)]).notes.warnings
    assert len(warnings) == 6 and all(w.startswith("order '20") and "counted twice" in w for w in warnings[:5])
    assert warnings[5] == (f"and 2 more orders of the same id and place in two platforms' exports but other amounts "
                           f"(USD 130.00 before tax in all, as first read), counted twice as above: '2006' ({old}:7 "
                           f"and {new}:7); '2007' ({old}:8 and {new}:8)")


def test_a_refund_made_on_the_new_platform_of_an_order_from_the_old_one_is_counted_on_its_day(tmp_path):
    """WooCommerce refunded 2001 in full on 5 Oct, after the move; Shopify's export, taken before, has no refund of
    it. The sale counts once (Shopify's copy) and the refund counts on 5 Oct: 70.36 with tax is 65.00 of sales
    (shipping in) and 5.36 of tax, so 130.00 - 65.00 = 65.00, still 3 transactions."""
    woo = woo_with(tmp_path, status="refunded", refund_items="amount:70.36|reason:破損|date:2025-10-05 10:00:00")
    for files in ([str(SHOPIFY), woo], [woo, str(SHOPIFY)]):
        ledger = read_sales(files)
        assert washington(ledger) == (D("65.00"), 3, {"2025-10-05": D("-65.00")}), files
    for files in ([str(SHOPIFY), woo], [woo, str(SHOPIFY)]):  # read first, WooCommerce's copy gives way
        assert any("a WooCommerce order export of orders counted from a Shopify orders export" in note
                   for note in read_sales(files).assumptions), files


def test_a_late_re_export_showing_the_refund_the_new_platform_recorded_counts_it_once(tmp_path):
    """The refund of 2001 was made through Shopify's payments after the move and recorded in WooCommerce too (5 Oct);
    a late Shopify export now shows Refunded Amount 70.36. One refund, on WooCommerce's date: 130.00 - 65.00."""
    woo = woo_with(tmp_path, status="refunded", refund_items="amount:70.36|reason:|date:2025-10-05 10:00:00")
    late = changed(SHOPIFY, tmp_path / "orders_export_late.csv", 3, Financial_Status="refunded",
                   Refunded_Amount="70.36")
    for files in ([str(SHOPIFY), woo, late], [woo, str(SHOPIFY), late]):  # Shopify's copy of the sale counts
        ledger = read_sales(files)
        assert washington(ledger) == (D("65.00"), 3, {"2025-10-05": D("-65.00")}), files
        assert [(d.file, d.reason.split(", an order")[0]) for d in ledger.duplicates if d.rows == 0] == \
            [(late, "refund of '#2001'")]


def test_a_refund_both_platforms_recorded_is_counted_once(tmp_path):
    """Refunded on Shopify before the move (Refunded Amount 70.36, given on the order's day, 28 Sep) and imported
    into WooCommerce with its refund, dated 29 Sep: one refund, 130.00 - 65.00, on the day WooCommerce dates it
    whichever export is read first (it was on 28 Sep with Shopify's export read first)."""
    shopify = shopify_with(tmp_path, Financial_Status="refunded", Refunded_Amount="70.36")
    woo = woo_with(tmp_path, status="refunded", refund_items="amount:70.36|reason:|date:2025-09-29 10:00:00")
    sales, count, refunds = washington(read_sales([shopify, woo]))
    assert (sales, count, refunds) == (D("65.00"), 3, {"2025-09-29": D("-65.00")})
    sales, count, refunds = washington(read_sales([woo, shopify]))
    assert (sales, count, refunds) == (D("65.00"), 3, {"2025-09-29": D("-65.00")})


def test_a_late_re_export_of_an_overlapped_order_is_a_duplicate_not_another_overlap(tmp_path):
    """WooCommerce read first counts 2001 and 1001; Shopify's #2001 (2 rows), which gives the category, takes over
    from WooCommerce's 2001, which becomes the overlap (1 row); #1001 counts; the same WooCommerce export downloaded
    again repeats its 2 rows: 7 read = 4 used + 3 duplicates, and one order exported by two platforms, not two."""
    again = tmp_path / "woocommerce-orders (1).csv"
    again.write_bytes(WOO.read_bytes())
    ledger = read_sales([str(WOO), str(SHOPIFY), str(again)])
    assert washington(ledger)[:2] == (D("130.00"), 3)
    assert ledger.summary() == account(read=7, used=4, duplicates=3, overlaps=1)
    assert [d.reason for d in ledger.duplicates if d.file == str(again) and d.value == "2001"] == \
        [f"sale '2001' already read at {WOO}:2, a migration overlap counted once; counted once"]


def test_each_file_s_rows_are_accounted_for_where_they_are(tmp_path):
    """WooCommerce read first: 1001 used (1 row); 2001 counted until Shopify's #2001, which gives the category,
    takes over: the overlap, a duplicate in WooCommerce's account (1 row). Shopify's: its 3 rows used. The same
    Shopify export again: 3 duplicates. 8 = (1 + 1) + 3 + 3."""
    again = tmp_path / "orders_export (1).csv"
    again.write_bytes(SHOPIFY.read_bytes())
    ledger = read_sales([str(WOO), str(SHOPIFY), str(again)])
    assert [(f["file"], f["layout"], f["rows"], f["used"], f["duplicates"], f["left_out"]) for f in
            file_account(ledger)] == [(str(WOO), "woocommerce", 2, 1, 1, 0), (str(SHOPIFY), "shopify", 3, 3, 0, 0),
                                      (str(again), "shopify", 3, 0, 3, 0)]
    assert file_rows(file_account(ledger)[0]) == "2 rows: 1 used + 1 duplicate"


def test_rows_superseded_are_counted_in_the_file_of_the_copy_taken_out(tmp_path):
    """With --repeated-orders latest, a later WooCommerce export that changes 2001 (80.36) replaces the copy read in
    the first WooCommerce file: that file's row is superseded, the later file's is used."""
    later = woo_with(tmp_path, order_total="80.36")
    ledger = read_sales([str(WOO), later], ReadOptions(repeated_orders="latest"))
    assert [(f["rows"], f["used"], f["duplicates"], f["superseded"]) for f in file_account(ledger)] == \
        [(2, 1, 0, 1), (2, 1, 1, 0)]  # 1001 again, identical: a duplicate


def test_a_payment_provider_s_export_beside_a_store_s_is_said_to_count_its_orders_twice():
    """A WooCommerce store paid through Stripe: each order is in both files, under 2001 and ch_..., and nothing
    ties them (the export's transaction_id is empty throughout; where it is filled, the two are matched:
    tests/test_payment_matches.py); a marketplace's report (Amazon takes its own payments) or Stripe's two exports
    together say nothing."""
    warned = read_sales([str(WOO), str(HERE / "stripe-payments.csv")]).warnings
    assert [w for w in warned if "counted twice" in w] == [
        f"{HERE / 'stripe-payments.csv'} (a Stripe payments export) is read beside {WOO} (a WooCommerce order "
        f"export), which names no payment the two could be matched by: if the store took its payments through "
        f"Stripe, each order is in both under two numbers and counted twice: give the store's exports, and the "
        f"disputes lost as chargeback rows in nexus's own layout (docs/input-formats.md)"]
    for files in (["shopify-orders.csv", "amazon-all-orders.txt"],
                  ["stripe-payments.csv", "stripe-balance-itemized.csv"]):
        assert not [w for w in read_sales([str(HERE / f) for f in files]).warnings if "counted twice" in w]


def test_a_copy_that_says_more_than_a_copy_not_counted_is_an_overlap_of_the_one_counted(tmp_path):
    """Shopify's #2001 (65.00) counts; WooCommerce's 2001 is its overlap; a later WooCommerce export changes 2001 to
    80.36 (75.00 without tax), not counted (--repeated-orders latest: it differs from a copy not counted); then the
    ERP's row for 2001 at 75.00, goods, matches that changed copy only. It says more than that copy, but that copy
    is not counted and has nothing to give up: the ERP's row is not counted either. 130.00 in 3 transactions; 8 rows
    read = 4 used (Shopify's 3, WooCommerce's 1001) + 4 duplicates; 2 overlaps."""
    later = woo_with(tmp_path, order_total="80.36")
    erp = tmp_path / "erp.csv"
    erp.write_text("order_id,date,country,region,amount,currency,category\n"
                   "2001,2025-09-28,US,WA,75.00,USD,goods\n", encoding="utf-8")
    ledger = read_sales([str(SHOPIFY), str(WOO), later, str(erp)], ReadOptions(repeated_orders="latest"))
    assert washington(ledger)[:2] == (D("130.00"), 3)
    assert ledger.summary() == account(read=8, used=4, duplicates=4, overlaps=2)


def split_shopify(tmp_path: Path) -> str:
    """migration-shopify.csv with #2001's second line (line 4) an e-book that requires no shipping: the order is
    split between goods and digital by its lines' value (30.00 each): goods 30.00 + 5.00 shipping = 35.00 (line 3),
    digital 30.00 (line 4), 65.00 in all, as WooCommerce's one record of 2001."""
    return changed(SHOPIFY, tmp_path / "orders_export.csv", 4, Lineitem_requires_shipping="false",
                   Lineitem_name="Tea e-book")


def test_an_order_split_between_categories_is_counted_once_beside_its_single_copy(tmp_path):
    """Neither of Shopify's parts (35.00, 30.00) has WooCommerce's amount (65.00): both parts and WooCommerce's copy
    were counted, 195.00 in 4 transactions. Whichever file comes first, Shopify's split counts: goods 40.00 + 35.00
    = 75.00 in 2 transactions, digital 30.00 (the order's transaction is its goods part's), unknown 25.00
    (WooCommerce's 1001): 130.00 in 3. WooCommerce's row is the overlap, naming both of Shopify's lines; 5 rows read
    = 4 used + 1 duplicate."""
    shopify = split_shopify(tmp_path)
    woo_pays_way_to(shopify, {"goods": (D("75.00"), 2), "digital": (D("30.00"), 0), "unknown": (D("25.00"), 1)},
                    f"at {shopify}:3 and 4, split between goods and digital, with the same amount in all, currency "
                    f"and place, the same day: a migration overlap, counted once, as that copy (which gives its "
                    f"categories (goods and digital) where this one gives none)")


def test_an_order_split_between_categories_given_way_is_one_overlap_of_both_its_parts(tmp_path):
    """The ERP's 2001 (65.00, goods), read first, says as much as Shopify's split (goods and digital), so it counts;
    both of Shopify's parts give way: 2 rows, duplicates, one overlap. Goods 65.00 + 40.00 (#1001) = 105.00 in 2
    transactions; 4 rows read = 2 used + 2 duplicates."""
    erp = tmp_path / "erp.csv"
    erp.write_text("order_id,date,country,region,amount,currency,category\n"
                   "2001,2025-09-28,US,WA,65.00,USD,goods\n", encoding="utf-8")
    ledger = read_sales([str(erp), split_shopify(tmp_path)])
    assert by_category(ledger) == {"goods": (D("105.00"), 2)}
    assert ledger.summary() == account(read=4, used=2, duplicates=2, overlaps=1)
    assert [(p.line, p.rows, p.reason) for p in ledger.duplicates] == [
        (3, 1, f"sale '#2001', split between goods and digital (lines 3 and 4), was also exported in a file in "
               f"nexus's own layout at {erp}:2 with the same amount in all, currency and place, the same day: a "
               f"migration overlap, counted once, as that copy (read first)"),
        (4, 1, f"sale '#2001', its digital part: the rest of the migration overlap listed at line 3, counted once, "
               f"as the copy in a file in nexus's own layout at {erp}:2")]
    assert ledger.overlaps == ledger.duplicates[:1]


def by_day_and_category(ledger) -> dict[tuple[str, str, str], Decimal]:
    """Net sales per day, kind and category."""
    return {(day.isoformat(), kind, category): amount for (_p, day, _c, _ch, kind, _e, category), (amount, _n)
            in ledger.totals.items()}


def test_a_refund_from_the_copy_given_way_takes_the_category_of_the_sale_it_reduces(tmp_path):
    """WooCommerce refunded half of 2001 (35.18 of 70.36) on 5 Oct, after the move: 32.50 of sales (2.50 of it
    shipping) and 2.68 of tax. The sale counts from Shopify's copy, goods; its refund was counted as unknown, so a
    goods-only test counted the sale and not the refund. Now it is goods, whichever file comes first (WooCommerce
    first: its refund, counted before Shopify's copy took over, moves), and the overlap's line says so."""
    woo = woo_with(tmp_path, refund_items="amount:35.18|reason:|date:2025-10-05 10:00:00")
    for files in ([str(SHOPIFY), woo], [woo, str(SHOPIFY)]):
        ledger = read_sales(files)
        assert by_day_and_category(ledger) == {("2025-09-01", "sale", "goods"): D("40.00"),
                                               ("2025-09-28", "sale", "goods"): D("65.00"),
                                               ("2025-10-02", "sale", "unknown"): D("25.00"),
                                               ("2025-10-05", "refund", "goods"): D("-32.50")}, files
        assert ledger.overlaps[0].reason.endswith(
            "as that copy (which gives its category (goods) where this one gives none); its refund counted from "
            "this copy counts as goods, as the sale it reduces"), files


def test_a_refund_from_the_copy_given_way_is_split_as_the_sale_it_reduces(tmp_path):
    """The same half refund of 2001, whose sale counts from Shopify's split: as Shopify splits a refund, its 30.00
    of goods and e-book go by the lines' value (15.00 each), the 2.50 of shipping with the goods, the 2.68 of tax by
    the parts' amounts: goods 17.50 (tax 2.68 x 17.50 / 32.50 = 1.443076923077, to a trillionth), digital 15.00
    (tax 1.236923076923), on 5 Oct."""
    shopify = split_shopify(tmp_path)
    woo = woo_with(tmp_path, refund_items="amount:35.18|reason:|date:2025-10-05 10:00:00")
    for files in ([shopify, woo], [woo, shopify]):
        ledger = read_sales(files)
        assert by_day_and_category(ledger) == {("2025-09-01", "sale", "goods"): D("40.00"),
                                               ("2025-09-28", "sale", "goods"): D("35.00"),
                                               ("2025-09-28", "sale", "digital"): D("30.00"),
                                               ("2025-10-02", "sale", "unknown"): D("25.00"),
                                               ("2025-10-05", "refund", "goods"): D("-17.50"),
                                               ("2025-10-05", "refund", "digital"): D("-15.00")}, files
        refunds = {category: charged for (_p, _d, _c, _ch, kind, _e, category), charged
                   in ledger.charge_totals.items() if kind == "refund" and any(charged)}  # a refund moved leaves 0
        assert refunds == {"goods": [D("-2.50"), D("-1.443076923077")],
                           "digital": [D("0"), D("-1.236923076923")]}, files
        assert ledger.overlaps[0].reason.endswith(
            "where this one gives none); its refund counted from this copy counts as goods and digital, split as "
            "the sale it reduces"), files


def test_a_refund_both_platforms_recorded_of_an_order_split_between_categories_is_counted_once(tmp_path):
    """Shopify's split #2001 refunded in full (Refunded Amount 70.36: goods 35.00 and digital 30.00 back, on the
    order's day, 28 Sep), and WooCommerce's 2001 with the same refund dated 29 Sep: one refund of 65.00, matched on
    the whole of Shopify's two parts, WooCommerce's, on 29 Sep, in the categories of Shopify's copy that took over
    (goods 30.00 + 5.00 shipping, digital 30.00), whichever export is read first. Before 2026-12-07, with Shopify's
    export first, it was Shopify's, on 28 Sep: a running total split between categories was never replaced."""
    shopify = changed(Path(split_shopify(tmp_path)), tmp_path / "orders_export_refunded.csv", 3,
                      Financial_Status="refunded", Refunded_Amount="70.36")
    woo = woo_with(tmp_path, status="refunded", refund_items="amount:70.36|reason:|date:2025-09-29 10:00:00")
    for files, day in (([shopify, woo], "2025-09-29"), ([woo, shopify], "2025-09-29")):
        ledger = read_sales(files)
        assert {k: v for k, v in by_day_and_category(ledger).items() if k[1] == "refund"} == \
            {(day, "refund", "goods"): D("-35.00"), (day, "refund", "digital"): D("-30.00")}, files
        assert washington(ledger)[:2] == (D("65.00"), 3), files


def test_overlaps_read_the_same_once_the_orders_seen_are_on_disk(monkeypatch, tmp_path):
    """Past nexus.seen_orders.SEEN_IN_MEMORY orders, what each platform's copy of a sale was (its platform, its
    parts and their amounts, its id) is kept in a scratch SQLite file as text and read back from it: the overlaps
    found, the copy that takes over, the refund moved to the categories of the sale it reduces and the totals are
    those of a read held in memory, in either order of the files (a split order, its refund made on the old
    platform after the move)."""
    from nexus import overlaps, seen_orders

    shopify = split_shopify(tmp_path)
    woo = woo_with(tmp_path, refund_items="amount:35.18|reason:|date:2025-10-05 10:00:00")
    for files in ([shopify, woo], [woo, shopify]):
        monkeypatch.setattr(seen_orders, "SEEN_IN_MEMORY", 10_000)
        in_memory = read_sales(files)
        monkeypatch.setattr(seen_orders, "SEEN_IN_MEMORY", 1)
        monkeypatch.setattr(seen_orders, "SEEN_BATCH", 1)  # each key written at once, and read back from the file
        written: list[object] = []
        write = seen_orders.SeenOrders._write

        def watched(self, write=write):
            written.extend(content for _file, _line, content in self.pending.values())
            write(self)

        monkeypatch.setattr(seen_orders.SeenOrders, "_write", watched)
        on_disk = read_sales(files)
        assert any(isinstance(c, overlaps.CopyNote) for c in written), files  # notes went to the file as text
        assert on_disk.totals == in_memory.totals and on_disk.charge_totals == in_memory.charge_totals, files
        assert on_disk.summary() == in_memory.summary() == account(read=5, used=4, duplicates=1, overlaps=1)
        assert [(p.file, p.line, p.reason) for p in on_disk.overlaps] == \
            [(p.file, p.line, p.reason) for p in in_memory.overlaps], files
        assert on_disk.overlaps[0].reason.endswith("counts as goods and digital, split as the sale it reduces")
        monkeypatch.undo()


@pytest.mark.parametrize("refund", ["refund_items", "refunded_total"])
def test_a_refund_moved_to_the_categories_of_the_copy_counted_is_linked_to_its_sale_there(tmp_path, refund):
    """WooCommerce's refund of 2001 (35.18, dated 5 Oct in refund_items; on the order's date as refunded_total), which
    Shopify's copy, counted as goods, does not hold: counted as goods, and its link to the sale's day (which the
    estimate reads to leave out a refund of a sale made before tax was due) kept under goods too, whichever export is
    read first. Before, with WooCommerce's export first (its copy counted as unknown until Shopify's took over), the
    link stayed under 'unknown', a profile with no refund left in it, and the goods refund counted as one without a
    link: a refund of a sale before the period was then netted, and said to risk understating the estimate."""
    if refund == "refund_items":
        woo = woo_with(tmp_path, refund_items="amount:35.18|reason:|date:2025-10-05 10:00:00")
    else:
        woo = woo_with(tmp_path, refund_items="35.18")
        Path(woo).write_text(Path(woo).read_text(encoding="utf-8").replace("refund_items", "refunded_total", 1),
                             encoding="utf-8")
    found = []
    for files in ([str(SHOPIFY), woo], [woo, str(SHOPIFY)]):
        ledger = read_sales(files)
        assert set(ledger.refund_links) == {("US-WA", "USD", "direct", "refund", "no", "goods")}, files
        assert set(ledger.refund_links) <= set(ledger.series), files  # linked where the refund is counted
        found.append({key: {day: {sale: [round(v, 2) for v in sums] for sale, sums in by_sale.items()}
                            for day, by_sale in days.items()} for key, days in ledger.refund_links.items()})
    assert found[0] == found[1]


@pytest.mark.parametrize("order", ["shopify, late, woo", "woo, shopify, late", "shopify, woo, late"])
def test_with_repeated_orders_lines_a_later_running_total_replaces_the_earlier(tmp_path, order):
    """Shopify's export says 35.18 refunded of #2001 (half of 70.36), a later Shopify export 70.36 (all of it);
    WooCommerce's copy dates the two halves, 1 and 5 Oct. With --repeated-orders lines the running total is the
    order's state, not a line item: the later one replaces the earlier and the dated refunds count, each half
    35.18 x 65.00 / 70.36 = 32.50 on its day: 130.00 - 65.00 = 65.00, 3 transactions, whatever the order of the
    files. Before, the later total was added to the earlier (105.54 refunded of a 70.36 order)."""
    shopify = shopify_with(tmp_path, Financial_Status="partially_refunded", Refunded_Amount="35.18")
    late = changed(SHOPIFY, tmp_path / "orders_export_late.csv", 3, Financial_Status="refunded",
                   Refunded_Amount="70.36")
    woo = woo_with(tmp_path, status="refunded", refund_items="amount:35.18|reason:|date:2025-10-01 10:00:00;"
                                                           "amount:35.18|reason:|date:2025-10-05 10:00:00")
    named = {"shopify": shopify, "late": late, "woo": woo}
    ledger = read_sales([named[n] for n in order.split(", ")], ReadOptions(repeated_orders="lines"))
    assert washington(ledger) == (D("65.00"), 3, {"2025-10-01": D("-32.50"), "2025-10-05": D("-32.50")})


def test_with_repeated_orders_lines_a_later_running_total_alone_replaces_the_earlier(tmp_path):
    """The two Shopify exports alone: the later 70.36 counts, on the order's day (28 Sep), 65.00 off: 105.00 - 65.00
    = 40.00, 2 transactions; the earlier copy is superseded and said as a conflict kept the later. Before: 35.18 +
    70.36 off, 40.00 - 32.50 = 7.50."""
    shopify = shopify_with(tmp_path, Financial_Status="partially_refunded", Refunded_Amount="35.18")
    late = changed(SHOPIFY, tmp_path / "orders_export_late.csv", 3, Financial_Status="refunded",
                   Refunded_Amount="70.36")
    ledger = read_sales([shopify, late], ReadOptions(repeated_orders="lines"))
    assert washington(ledger) == (D("40.00"), 2, {"2025-09-28": D("-65.00")})
    assert [(c.order_id, c.kind, c.treated) for c in ledger.conflicts] == [("#2001", "refund", "the later kept")]
