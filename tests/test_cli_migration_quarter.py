"""A move from WooCommerce to Shopify in the middle of a quarter, with Stripe's and PayPal's exports of both stores'
payments, a late WooCommerce export and two new currencies (JPY, KWD): `nexus check` against totals worked by hand
(tests/exports/migration-q3/README.md)."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from nexus.cli import cli

# Every file a reader opens is closed where it is opened: an unclosed one is an error (see tests/test_exports.py).
pytestmark = pytest.mark.filterwarnings("error::ResourceWarning", "error::pytest.PytestUnraisableExceptionWarning")

HERE = Path(__file__).resolve().parent / "exports" / "migration-q3"
SALES = ["woocommerce-2026-q3.csv", "woocommerce-2026-08-late.csv", "shopify-orders-2026.csv",
         "stripe-payments-2026.csv", "paypal-activity-2026.csv"]
RATES = Path(__file__).resolve().parent.parent / "spreadsheets" / "eurofxref-hist.csv"


def check(tmp_path, *options, as_of="2026-10-31", code=0):
    args = ["check", "--as-of", as_of, "--home", "US-WA", "--db", str(tmp_path / "store.db"),
            "--rates", str(RATES), "--rates", str(HERE / "kwd-rates.csv")]
    args += [a for name in SALES for a in ("--sales", str(HERE / name))]
    result = CliRunner().invoke(cli, args + list(options), catch_exceptions=False)
    assert result.exit_code == code, result.output
    return result


def figures(tmp_path, *options, as_of="2026-10-31"):
    found = json.loads(check(tmp_path, "--format", "json", *options, as_of=as_of).stdout)
    return found, {f["jurisdiction"]: f for f in found["findings"]}


@pytest.mark.parametrize("engine", ["auto", "python"])
def test_every_row_is_accounted_for_file_by_file(tmp_path, engine):
    summary = figures(tmp_path, "--engine", engine)[0]["summary"]
    assert [(f["rows"], f["used"], f["duplicates"], f["left_out"]) for f in summary["files"]] == [
        (13, 9, 3, 1), (6, 0, 6, 0), (17, 16, 0, 1), (20, 1, 18, 1), (8, 1, 5, 2)]
    assert (summary["rows_read"], summary["rows_used"], summary["rows_skipped"], summary["duplicates"],
            summary["rows_left_out"], summary["migration_overlaps"]) == (64, 27, 0, 32, 5, 3)
    assert sorted(r["value"] for r in summary["overlap_rows"]) == ["3010", "3011", "3012"]


def test_each_state_s_sales_transactions_and_tax_charged_are_the_hand_totals(tmp_path):
    found = figures(tmp_path)[1]
    assert {code: (f["sales"], f["transactions"], f["tax_charged"]) for code, f in found.items()
            if code in ("US-WA", "US-TX", "US-CA", "US-NY")} == {
        "US-WA": ("313.00", 5, "31.93"), "US-TX": ("385.00", 4, "0.00"), "US-CA": ("285.00", 3, "20.66"),
        "US-NY": ("45.00", 1, "0.00")}
    assert found["US-NY"]["unknown_category"]["sales"] == "200.00"


def test_inside_the_overlap_and_after_it(tmp_path):
    """As of 2026-08-15 the overlap's copies of that day count (3012 on Shopify's day, 2026-08-15); Shopify's own
    orders after it do not."""
    found = figures(tmp_path, as_of="2026-08-15")[1]
    assert (found["US-WA"]["sales"], found["US-WA"]["transactions"], found["US-WA"]["tax_charged"]) == \
        ("180.00", 3, "18.36")
    after = figures(tmp_path, as_of="2026-09-30")[1]
    assert (after["US-WA"]["sales"], after["US-WA"]["transactions"]) == ("268.00", 4)
    assert (after["US-CA"]["sales"], after["US-CA"]["transactions"]) == ("225.00", 2)


def test_an_order_the_new_platform_took_in_under_another_number_is_named(tmp_path):
    """WooCommerce's 3013 is Shopify's #9013 (its migration app used WooCommerce's post id): both name the payment
    ch_3PW0000000003013. Order ids differ, so nexus cannot take them for one order, and counts both; it says so."""
    said = " ".join(check(tmp_path).output.replace(f"{HERE}/", "").split())
    assert ("payment 'ch_3PW0000000003013' is named by 2 orders: '3013' at woocommerce-2026-q3.csv:14 (a "
            "WooCommerce order export, USD 26.81 on 2026-08-15 in US-CA) and '#9013' at shopify-orders-2026.csv:5 (a "
            "Shopify orders export, USD 26.81 on 2026-08-15 in US-CA): if they are one sale") in said
    assert said.count("is named by") == 1  # the other orders imported kept their number: migration overlaps


def test_the_workbook_and_the_memo_say_how_many_duplicates_are_migration_overlaps(tmp_path):
    """The screen and the JSON say 3 orders were exported by both platforms; the workbook's Summary and the memo said
    only '32 duplicates', and the memo listed the late export's repeats first, its overlaps (to check by hand, one of
    them a day apart) after them or not at all."""
    import openpyxl

    book, memo = tmp_path / "report.xlsx", tmp_path / "memo.html"
    check(tmp_path, "--workbook", str(book), "--html", str(memo))
    summary = openpyxl.load_workbook(book)["Summary"]
    cells = {row[0]: [v for v in row[1:] if v is not None] for row in summary.iter_rows(values_only=True) if row[0]}
    assert cells["Duplicate rows (counted once)"] == [32]
    assert cells["Orders exported by two platforms (migration overlaps), counted once"] == [3]
    page = memo.read_text(encoding="utf-8")
    assert ("3 orders were exported by two platforms (migration overlaps), each counted once: the other platform's "
            "copies are among the duplicates, listed first below.") in page
    listed = page[page.index('id="duplicates-table"'):]
    assert listed.index("a migration overlap") < listed.index("already read at")


def test_fail_on_for_ci_says_why_it_exits_1(tmp_path):
    """A CI job writes the JSON to a file and reads the exit code: 0 (nothing asked about: the home is not a failure),
    1 (found), 2 (could not run). Exit 1 printed nothing, so the job's log said nothing of why it failed."""
    out = str(tmp_path / "check.json")
    quiet = check(tmp_path, "--fail-on", "nexus", "--format", "json", "-o", out)
    assert "--fail-on" not in quiet.stderr  # only the warning of the order taken in under another number
    failed = check(tmp_path, "--fail-on", "approaching", "--warn-at", "0.0005", "--format", "json", "-o", out,
                   code=1)
    assert failed.stderr.splitlines()[-1] == ("--fail-on approaching: 2 jurisdictions approaching or exceeding a "
                                              "threshold (US-TX, US-CA): exit 1")
    broken = tmp_path / "broken.csv"
    broken.write_text((HERE / "woocommerce-2026-q3.csv").read_text(encoding="utf-8").replace(",121.22,", ",12x.22,"),
                      encoding="utf-8")
    result = CliRunner().invoke(cli, ["check", "--sales", str(broken), "--home", "US-WA", "--fail-on", "nexus",
                                      "--db", str(tmp_path / "store.db")])
    assert result.exit_code == 2 and result.stderr.startswith("Error: ") and ":2: column 'order_total'" in \
        result.stderr


def test_a_test_whose_periods_the_orders_do_not_reach_gives_no_charges_either(tmp_path):
    """Japan's test measures 2025's first half as of 2026-10-31, before the first order (2026-07-02): its sales are
    null ('not covered'), and so are the shipping and tax charged in that period, which read "0" beside them."""
    japan = figures(tmp_path)[1]["JP"]
    assert (japan["status"], japan["sales"], japan["shipping"], japan["tax_charged"]) == (
        "not-covered", None, None, None)


def test_one_line_of_unknown_category_is_one_line(tmp_path):
    """New York's WooCommerce order of unknown category is one sale line: the workbook's Summary said '(1 lines)'."""
    import openpyxl

    book = tmp_path / "report.xlsx"
    check(tmp_path, "--workbook", str(book))
    cells = openpyxl.load_workbook(book)["Summary"].iter_rows(values_only=True)
    said = " ".join(str(v) for row in cells for v in row if v)  # a long value wraps over the rows below it
    assert "US-CA USD 205.00 (3 lines); US-NY USD 200.00 (1 line): give" in said


def edited(tmp_path, name, edit):
    """The quarter's files copied to ``tmp_path``, ``name`` changed by ``edit`` (its text to its new text)."""
    import shutil

    for each in SALES + ["kwd-rates.csv"]:
        shutil.copy(HERE / each, tmp_path / each)
    path = tmp_path / name
    path.write_text(edit(path.read_text(encoding="utf-8-sig")), encoding="utf-8-sig" if "paypal" in name else "utf-8")
    args = ["check", "--db", str(tmp_path / "store.db"), "--home", "US-WA", "--rates", str(RATES), "--rates",
            str(tmp_path / "kwd-rates.csv")]
    return args + [a for each in SALES for a in ("--sales", str(tmp_path / each))]


def test_an_order_imported_with_another_amount_is_named(tmp_path):
    """Shopify's import of 3011 wrote its total as 45.50 where WooCommerce wrote 45.00: the same id, day and place, but
    not the same amount, so not a migration overlap, and both copies are counted (New York's sales of unknown
    category 245.00, not 200.00, beside its goods' 45.50). Both name PayPal's payment 5PP30110000000001: said."""
    def dearer(text):
        line = next(row for row in text.splitlines() if row.startswith("3011,"))
        return text.replace(line, line.replace(",45.00,0.00,0.00,45.00,", ",45.50,0.00,0.00,45.50,"))

    args = edited(tmp_path, "shopify-orders-2026.csv", dearer) + ["--as-of", "2026-10-31"]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    said = " ".join(result.output.replace(f"{tmp_path}/", "").split())
    assert ("payment '5PP30110000000001' is named by 2 orders: '3011' at woocommerce-2026-q3.csv:12 (a WooCommerce "
            "order export, USD 45.00 on 2026-08-12 in US-NY) and '3011' at shopify-orders-2026.csv:3 (a Shopify "
            "orders export, USD 45.50 on 2026-08-12 in US-NY): if they are one sale") in said
    # Named once, by the payment both copies name; the warning of an id, place and day with other amounts counts it.
    assert said.count("'3011' at shopify-orders-2026.csv:3") == 1
    assert ("1 order of the same id and place in two platforms' exports but other amounts, counted twice, is named "
            "above by the payment its two copies name") in said


def test_an_order_imported_with_another_amount_is_named_without_a_payment_export(tmp_path):
    """The two stores' exports alone, Shopify's import of 3011 at 45.50 where WooCommerce wrote 45.00: not a migration
    overlap, both counted (New York 45.00 of unknown category beside 45.50 of goods, where by hand 45.00 once), and
    without Stripe's or PayPal's export no payment named the two: nothing was said. Now the screen says it, once."""
    def dearer(text):
        line = next(row for row in text.splitlines() if row.startswith("3011,"))
        return text.replace(line, line.replace(",45.00,0.00,0.00,45.00,", ",45.50,0.00,0.00,45.50,"))

    args = edited(tmp_path, "shopify-orders-2026.csv", dearer)
    stores = [a for a in args if a.endswith(("woocommerce-2026-q3.csv", "shopify-orders-2026.csv"))]
    result = CliRunner().invoke(cli, ["check", "--db", str(tmp_path / "store.db"), "--home", "US-WA", "--as-of",
                                      "2026-10-31", "--sales", stores[0], "--sales", stores[1]],
                                catch_exceptions=False)
    said = " ".join(result.output.replace(f"{tmp_path}/", "").split())
    assert ("order '3011' at woocommerce-2026-q3.csv:12 (a WooCommerce order export, USD 45.00 before tax on "
            "2026-08-12 in US-NY) and '3011' at shopify-orders-2026.csv:3 (a Shopify orders export, USD 45.50 before "
            "tax on 2026-08-12 in US-NY): the same id and place, the same day, in two platforms' exports but not the "
            "same amount, so not a migration overlap (where id, amount, currency and place agree, a day apart at "
            "most): counted twice: if they are one sale, correct one export") in said
    assert said.count("counted twice: if they are one sale") == 1


def test_a_payment_provider_s_refund_of_an_overlap_takes_the_category_of_the_copy_counted(tmp_path):
    """PayPal refunds USD 15.00 of 3011 on 2026-09-01, an order counted once as goods from Shopify's copy (a
    migration overlap; WooCommerce's copy, which names the payment first, gives no category). The refund was counted
    in WooCommerce's copy's category, unknown, so New York's goods-only test (four quarters to 2026-11-30) counted the
    sale and left its refund out: goods 140.00 where by hand 45.00 + 95.00 - 15.00 = 125.00."""
    refund = ('"09/01/2026","10:00:00","PDT","Mia Anderson","Payment Refund","Completed","USD","-15.00","0.50",'
              '"-14.50","buyer@example.com","shop@sakura.example","8RF30110000000001","","","","","0.00","","0.00","",'
              '"","","","5PP30110000000001","3011","","","","","","","","","","","","","","","Debit"\n')
    args = edited(tmp_path, "paypal-activity-2026.csv", lambda text: text + refund)
    result = CliRunner().invoke(cli, args + ["--as-of", "2026-12-01", "--format", "json"], catch_exceptions=False)
    new_york = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "US-NY")
    assert (new_york["sales"], new_york["transactions"], new_york["unknown_category"]["sales"]) == (
        "125.00", 2, "200.00")


def test_many_payments_named_by_orders_counted_apart_are_said_in_a_few_lines(tmp_path):
    """A late WooCommerce export taken without its order_number column names each order by its post id (9008 for
    3008): its six orders are counted again, and each payment names two orders (nothing else says so: the file holds
    no order number to tie 9008 to 3008). Five are named in full, the rest in one line with how many and how much,
    not a warning per order of a month's export (hundreds of lines on the screen)."""
    def no_order_number(text):
        import csv
        import io

        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(row[:1] + row[2:] for row in csv.reader(io.StringIO(text)))
        return out.getvalue()

    args = edited(tmp_path, "woocommerce-2026-08-late.csv", no_order_number) + ["--as-of", "2026-10-31", "--format",
                                                                                "json"]
    warnings = json.loads(CliRunner().invoke(cli, args, catch_exceptions=False).stdout)["warnings"]
    named = [w for w in warnings if " is named by 2 orders: " in w]
    assert len(named) == 5 and "'3008' at " in named[0] and "'9008' at " in named[0]
    assert ("and 1 more payment named by orders counted apart (USD 26.81 in all), as above: '3013' and '9013'"
            in warnings)


def test_orders_the_post_id_warning_names_are_not_named_again_by_their_payments(tmp_path):
    """The late export taken after the sequential-numbers plugin was switched off (order_number empty: 9008 for 3008)
    beside Stripe's and PayPal's exports: the post-id warning named the six orders, then the payments' warnings named
    them all again (five in full, the sixth in a line), seven warnings for six orders. The post-id warning, which says
    why and what to do, names them; the payments' warnings count them."""
    def post_ids(text):
        lines = text.splitlines(keepends=True)
        return lines[0] + "".join(line.replace(f",{line[5:9]},", ",,", 1) for line in lines[1:])

    args = edited(tmp_path, "woocommerce-2026-08-late.csv", post_ids) + ["--as-of", "2026-10-31", "--format", "json"]
    warnings = [w.replace(f"{tmp_path}/", "") for w in json.loads(CliRunner().invoke(
        cli, args, catch_exceptions=False).stdout)["warnings"]]
    assert warnings[0].startswith("woocommerce-2026-08-late.csv names 6 orders by their post id (order_id; its "
                                  "order_number is empty) that woocommerce-2026-q3.csv names by their order number: "
                                  "9008 is 3008 (woocommerce-2026-q3.csv:9),")
    assert [w for w in warnings[1:] if "9008" in w or " is named by 2 orders: " in w or "more payment" in w] == []
    assert warnings[1] == ("6 payments are named by two orders counted apart that a warning above names as one "
                           "order: each is counted twice, as said there")


def refunded_3010(tmp_path, refund_items, refunded_amount):
    """The quarter's files with 3010's refunds written in both exports: WooCommerce's ``refund_items`` (each dated)
    and Shopify's ``Refunded Amount`` (a running total, on the order's date). The --sales options, WooCommerce's
    export first, then Shopify's first; the other options of the check."""
    def woo(text):
        line = next(row for row in text.splitlines() if row.startswith("9010,3010,"))
        return text.replace(line, line.replace(",US,,3010,,,,,,,", f",US,,3010,,,,,{refund_items},,"))

    args = edited(tmp_path, "woocommerce-2026-q3.csv", woo)
    imported = tmp_path / "shopify-orders-2026.csv"
    text = imported.read_text(encoding="utf-8")
    line = next(row for row in text.splitlines() if row.startswith("#3010,"))
    imported.write_text(text.replace(line, line.replace(",ch_3PW0000000003010,0.00,",
                                                        f",ch_3PW0000000003010,{refunded_amount},")), encoding="utf-8")
    sales_files = [a for a in args if a.endswith(tuple(SALES))]
    options = [a for a in args if a not in sales_files and a != "--sales"]
    orders = [sales_files, sales_files[2:3] + sales_files[:2] + sales_files[3:]]
    return [[a for f in files for a in ("--sales", f)] for files in orders], options


def washington_both_ways(tmp_path, refund_items, refunded_amount, as_of):
    """Washington's sales, tax charged and platforms whose refunds came undated, and the run's assumptions about
    running totals, with 3010's refunds so written (:func:`refunded_3010`), read in either order of the files."""
    orders, options = refunded_3010(tmp_path, refund_items, refunded_amount)
    found = []
    for sales in orders:
        result = CliRunner().invoke(cli, options + sales + ["--as-of", as_of, "--format", "json"],
                                    catch_exceptions=False)
        report = json.loads(result.stdout)
        washington = next(f for f in report["findings"] if f["jurisdiction"] == "US-WA")
        found.append((washington["sales"], washington["tax_charged"], washington["undated_refunds"],
                      [a for a in report["summary"]["assumptions"]
                       if "running total" in a and " is matched to " not in a]))  # not the payments' (files in order)
    return found


@pytest.mark.parametrize("as_of, sales, tax", [("2026-08-31", "268.00", "27.34"), ("2026-10-31", "294.85", "30.08")])
def test_a_refund_both_platforms_hold_is_counted_on_its_own_date_whichever_export_is_read_first(tmp_path, as_of,
                                                                                                sales, tax):
    """3010 was refunded USD 20.00 on 2026-09-05: WooCommerce's export dates it (refund_items), Shopify's import gives
    it only as the order's Refunded Amount, counted on the order's date (2026-08-10). The refund counted was the one
    of the export read first: as of 2026-08-31 Washington's sales were 268.00 with WooCommerce's export first and
    249.85 with Shopify's (the refund on 2026-08-10). The dated copy now counts either way. By hand: 110.00 + 60.00 -
    60.00 + 70.00 + 88.00 (as of 2026-08-31, with 3006's chargeback of 2026-08-05), + 45.00 - 20.00 x 70.00 / 77.14
    as of 2026-10-31; tax 11.22 + 6.12 - 6.12 + 7.14 + 8.98, + 4.59 - 20.00 x 7.14 / 77.14."""
    found = washington_both_ways(tmp_path, "amount:20.00|reason:late|date:2026-09-05 10:00:00", "20.00", as_of)
    assert [f[:3] for f in found] == [(sales, tax, []), (sales, tax, [])]  # no refund on an order's date is left
    from nexus.sales import read_sales

    imported, woo = tmp_path / "shopify-orders-2026.csv", tmp_path / SALES[0]
    links = [{k: v for k, v in read_sales(files).refund_links.items() if k[0] == "US-WA"}
             for files in ([str(woo), str(imported)], [str(imported), str(woo)])]
    assert links[0] == links[1] and len(links[0]) == 1  # linked to 3010's sale on 2026-08-10 either way


#: 3010 refunded USD 30.00 on 2026-08-20 and USD 20.00 on 2026-09-05, as WooCommerce's export dates them.
TWO_REFUNDS = "amount:30.00|reason:first|date:2026-08-20 10:00:00;amount:20.00|reason:second|date:2026-09-05 10:00:00"
#: What Shopify's import says of them (its running total on the order's date, 2026-08-10), and Washington's sales and
#: tax charged by hand as of three days. The dated refunds count on their days; the running total counts for what it
#: says beyond them only (60.00: 10.00 more, on 2026-08-10; 20.00: nothing, the dated ones say more). Washington
#: without 3010's refunds: 268.00 and 27.34 as of 2026-08-31 and 2026-09-30, 313.00 and 31.93 as of 2026-10-31 (the
#: test above); a refund of R takes off R x 70.00 / 77.14 of sales and R x 7.14 / 77.14 of tax.
RUNNING_TOTALS = [
    # 50.00, the sum of the two: 268.00 - 30.00 x 70.00 / 77.14 = 240.78 (tax 27.34 - 2.78 = 24.56); then 50.00 off:
    # 268.00 - 45.37 = 222.63 (27.34 - 4.63 = 22.71), 313.00 - 45.37 = 267.63 (31.93 - 4.63 = 27.30). Before: with
    # WooCommerce's export first both were counted (195.40, 177.26, 222.26: 100.00 refunded); with Shopify's first
    # the 50.00 fell on 2026-08-10 (222.63 as of 2026-08-31).
    ("50.00", "2026-08-31", "240.78", "24.56", []), ("50.00", "2026-09-30", "222.63", "22.71", []),
    ("50.00", "2026-10-31", "267.63", "27.30", []),
    # 60.00: 10.00 on 2026-08-10 besides: 268.00 - 40.00 x 70.00 / 77.14 = 231.70 (27.34 - 3.70 = 23.64); 313.00 -
    # 60.00 x 70.00 / 77.14 = 258.55 (31.93 - 5.55 = 26.38).
    ("60.00", "2026-08-31", "231.70", "23.64", ["shopify"]), ("60.00", "2026-10-31", "258.55", "26.38", ["shopify"]),
    # 20.00: the dated ones win, 50.00 off. Before, with Shopify's export first, its 20.00 gave way to the dated
    # 20.00 and the 30.00 was taken for a duplicate of it: 20.00 off (268.00 and 294.85).
    ("20.00", "2026-08-31", "240.78", "24.56", []), ("20.00", "2026-10-31", "267.63", "27.30", []),
]


@pytest.mark.parametrize("refunded, as_of, sales, tax, undated", RUNNING_TOTALS)
def test_a_running_total_that_sums_dated_refunds_gives_way_to_them_whichever_export_is_read_first(
        tmp_path, refunded, as_of, sales, tax, undated):
    found = washington_both_ways(tmp_path, TWO_REFUNDS, refunded, as_of)
    assert [f[:3] for f in found] == [(sales, tax, undated)] * 2
    assert found[0][3] == found[1][3]


def test_what_a_running_total_says_beyond_the_dated_refunds_is_said(tmp_path):
    """Shopify's 60.00 is 10.00 more than WooCommerce's two dated refunds: counted, on the order's date, and said, in
    the same words whichever export is read first."""
    found = washington_both_ways(tmp_path, TWO_REFUNDS, "60.00", "2026-10-31")
    assert found[0][3] == found[1][3] == [
        "2 refund(s) in a WooCommerce order export of orders also in a Shopify orders export (a migration overlap) are "
        "counted on their own dates, where that export gives them only as a running total on the order's date",
        "1 running total(s) refunded in a Shopify orders export say more than the dated refunds of the same orders in "
        "a WooCommerce order export ('#3010': USD 10.00 more than its 2 dated refund(s)): the rest is counted on the "
        "order's date, as a refund a WooCommerce order export did not record"]


def test_the_screen_the_workbook_and_the_memo_give_the_json_s_figures(tmp_path):
    """No figure differs between the outputs: each state's sales and transactions on the verbose screen, the
    workbook's Findings and the memo's table are the JSON's (the hand totals)."""
    import openpyxl

    book, memo = tmp_path / "report.xlsx", tmp_path / "memo.html"
    screen = " ".join(check(tmp_path, "--verbose", "--all", "--workbook", str(book), "--html",
                            str(memo)).stdout.split())
    sheet = list(openpyxl.load_workbook(book)["Findings"].iter_rows(values_only=True))
    header = next(row for row in sheet if row[0] == "Code")
    findings = {row[0]: dict(zip(header, row)) for row in sheet if row[0] in ("US-WA", "US-TX", "US-CA", "US-NY")}
    page = memo.read_text(encoding="utf-8")
    for code, sales, count in (("US-WA", "313.00", 5), ("US-TX", "385.00", 4), ("US-CA", "285.00", 3),
                               ("US-NY", "45.00", 1)):
        assert f"sales of USD {sales} and {count} transaction{'s' * (count != 1)}" in screen
        assert (findings[code]["Sales"], findings[code]["Transactions"]) == (float(sales), count)
        assert f"USD {sales}" in page
    assert "tax charged of USD 31.93 is not counted" in screen and "Tax charged of USD 20.66 is not counted" in screen


def test_the_new_currencies_sales_where_nexus_has_no_rules_are_given_with_their_figures(tmp_path):
    """Kuwait (KWD, three decimals) and China have no rule in nexus's data: the outputs named them ('CN, KW') and no
    output gave a figure for them, so the new store's KWD sales showed nowhere. By hand: KW 27.750 + 13.625 - 13.625
    (#1008's dispute lost) = KWD 27.750, 2 transactions; CN 105.00 + 130.00 = USD 235.00, 2 transactions. The JSON,
    the memo and the verbose screen give them; the screen without --verbose and the workbook's Summary, which keep to
    50 lines and one printed page, name the places."""
    import openpyxl

    book, memo = tmp_path / "report.xlsx", tmp_path / "memo.html"
    found = figures(tmp_path, "--workbook", str(book), "--html", str(memo))[0]
    assert found["summary"]["sales_without_rules"] == [
        {"jurisdiction": "CN", "sales": {"USD": "235.00"}, "transactions": 2},
        {"jurisdiction": "KW", "sales": {"KWD": "27.750"}, "transactions": 2}]
    said = "CN (USD 235.00, 2 transactions), KW (KWD 27.750, 2 transactions)"
    screen = " ".join(check(tmp_path, "--verbose").stdout.split())
    assert f"Sales where nexus has no rules (not assessed): {said}, in the orders to 2026-10-31." in screen
    assert said in memo.read_text(encoding="utf-8")
    cells = {row[0]: [v for v in row[1:] if v] for row in openpyxl.load_workbook(book)["Summary"].iter_rows(
        values_only=True) if row[0]}
    assert cells["Not assessed (no rules yet)"] == ["CN, KW"]  # the Summary prints on one page: codes alone


def _woocommerce_alone(tmp_path, late) -> str:
    """The screen of a check of the quarter's WooCommerce export beside its late export as ``late`` rewrites it,
    without the other platforms' exports, its paths cut to the files' names and its lines joined."""
    args = edited(tmp_path, "woocommerce-2026-08-late.csv", late)
    woo = [a for a in args if a.endswith(("woocommerce-2026-q3.csv", "woocommerce-2026-08-late.csv"))]
    result = CliRunner().invoke(cli, ["check", "--db", str(tmp_path / "store.db"), "--home", "US-WA", "--as-of",
                                      "2026-10-31", "--sales", woo[0], "--sales", woo[1]], catch_exceptions=False)
    return " ".join(result.output.replace(f"{tmp_path}/", "").split())


def test_a_late_woocommerce_export_that_names_orders_by_post_id_is_said_without_a_payment_export(tmp_path):
    """The late export taken after the sequential-numbers plugin was switched off names each order by its post id
    (order_number empty: 9008 for 3008), so its six orders are counted again under those ids. Without a payment
    provider's export nothing said so (18 rows used of 19, Washington's sales 383.00 where 313.00...); the two files
    hold both ids of each order, which say it."""
    def post_ids(text):
        lines = text.splitlines(keepends=True)
        return lines[0] + "".join(line.replace(f",{line[5:9]},", ",,", 1) for line in lines[1:])

    said = _woocommerce_alone(tmp_path, post_ids)
    assert ("woocommerce-2026-08-late.csv names 6 orders by their post id (order_id; its order_number is empty) that "
            "woocommerce-2026-q3.csv names by their order number: 9008 is 3008 (woocommerce-2026-q3.csv:9), 9009 is "
            "3009 (woocommerce-2026-q3.csv:10), 9010 is 3010 (woocommerce-2026-q3.csv:11) and 3 more: each is counted "
            "twice, once under each") in said


def test_an_order_on_two_rows_of_a_late_export_by_post_id_is_one_order(tmp_path):
    """An export of a row per line item gives the order's ids on each of its rows: the post-id warning counted rows,
    '7 orders' for six, and named 9008 twice ('9008 is 3008 (...:9), 9008 is 3008 (...:9), 9009 is 3009')."""
    def post_ids_two_rows(text):
        lines = text.splitlines(keepends=True)
        rows = [line.replace(f",{line[5:9]},", ",,", 1) for line in lines[1:]]
        return lines[0] + rows[0] + "".join(rows)

    said = _woocommerce_alone(tmp_path, post_ids_two_rows)
    assert ("woocommerce-2026-08-late.csv names 6 orders by their post id (order_id; its order_number is empty) that "
            "woocommerce-2026-q3.csv names by their order number: 9008 is 3008 (woocommerce-2026-q3.csv:9), 9009 is "
            "3009 (woocommerce-2026-q3.csv:10), 9010 is 3010 (woocommerce-2026-q3.csv:11) and 3 more") in said


def with_late_3010(tmp_path, amended):
    """Shopify's export saying 30.00 refunded of 3010 beside WooCommerce's two dated refunds (30.00 on 2026-08-20,
    20.00 on 2026-09-05), and a later Shopify export of 3010 alone saying ``amended``: the check's options, its
    --sales options in both orders (WooCommerce's export first, then Shopify's, the late one after Shopify's), and
    the late export's path."""
    orders, options = refunded_3010(tmp_path, TWO_REFUNDS, "30.00")
    shopify = tmp_path / "shopify-orders-2026.csv"
    lines = shopify.read_text(encoding="utf-8").splitlines()
    row = next(line for line in lines if line.startswith("#3010,"))
    late = tmp_path / "shopify-orders-2026-late.csv"
    late.write_text(f"{lines[0]}\n{row.replace(',ch_3PW0000000003010,30.00,', f',ch_3PW0000000003010,{amended},')}\n",
                    encoding="utf-8")
    woo_first, shopify_first = orders
    at = shopify_first.index(str(shopify)) + 1
    return options, (woo_first + ["--sales", str(late)],
                     shopify_first[:at] + ["--sales", str(late)] + shopify_first[at:]), late


def amended_3010(tmp_path, amended, mode, as_of):
    """Washington's sales, tax charged and platforms whose refunds came undated, with Shopify's export saying 30.00
    refunded of 3010 and a later Shopify export saying ``amended`` (WooCommerce's export dating 30.00 on 2026-08-20
    and 20.00 on 2026-09-05), read with ``--repeated-orders mode``: WooCommerce's export first, then Shopify's."""
    options, both_orders, _late = with_late_3010(tmp_path, amended)
    found = []
    for sales_options in both_orders:
        result = CliRunner().invoke(cli, options + sales_options + ["--as-of", as_of, "--format", "json",
                                                                    "--repeated-orders", mode],
                                    catch_exceptions=False)
        washington = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "US-WA")
        found.append((washington["sales"], washington["tax_charged"], washington["undated_refunds"]))
    return found


@pytest.mark.parametrize("as_of, sales, tax", [("2026-08-31", "240.78", "24.56"), ("2026-10-31", "267.63", "27.30")])
def test_a_later_export_amending_the_running_total_keeps_the_dated_refunds_whichever_file_comes_first(
        tmp_path, as_of, sales, tax):
    """Shopify's export says 30.00 refunded of 3010 (the first of WooCommerce's two dated refunds); a later Shopify
    export, read with --repeated-orders latest, says 50.00 (both). The dated refunds count, 30.00 on 2026-08-20 and
    20.00 on 2026-09-05, whichever file comes first (Washington as in RUNNING_TOTALS' 50.00). Before, with Shopify's
    two exports read before WooCommerce's, the later copy took back the whole of the earlier running total, which the
    dated refunds had already replaced, and counted its own 50.00 on the order's date: 222.63 (22.71) as of
    2026-08-31 and 249.48 (25.45) as of 2026-10-31."""
    assert amended_3010(tmp_path, "50.00", "latest", as_of) == [(sales, tax, [])] * 2


@pytest.mark.parametrize("amended, as_of, sales, tax, undated", [
    ("50.00", "2026-08-31", "240.78", "24.56", []), ("50.00", "2026-10-31", "267.63", "27.30", []),
    ("60.00", "2026-08-31", "231.70", "23.64", ["shopify"]), ("60.00", "2026-10-31", "258.55", "26.38", ["shopify"])])
def test_with_repeated_orders_lines_a_later_running_total_replaces_the_earlier_whichever_file_comes_first(
        tmp_path, amended, as_of, sales, tax, undated):
    """The same two Shopify exports read with --repeated-orders lines: a running total is the order's state, not a
    line item, so the later one (50.00, 60.00) replaces the earlier 30.00, and the dated refunds are set against it,
    as with latest (RUNNING_TOTALS). By hand: 50.00 as the test above; 60.00 is 10.00 beyond the dated 30.00 and
    20.00, on 3010's date (2026-08-10): 268.00 - 40.00 x 70.00 / 77.14 = 231.70 (27.34 - 40.00 x 7.14 / 77.14 =
    23.64) as of 2026-08-31, 313.00 - 60.00 x 70.00 / 77.14 = 258.55 (31.93 - 5.55 = 26.38) as of 2026-10-31.
    Before, with Shopify's exports first the later total was added to the earlier (30.00 + 60.00 = 90.00 on
    2026-08-10: 186.33 as of 2026-08-31), and with WooCommerce's first the later one was left out as a duplicate
    (240.78 with 60.00)."""
    assert amended_3010(tmp_path, amended, "lines", as_of) == [(sales, tax, undated)] * 2


def test_a_later_export_amending_the_running_total_is_an_error_by_default_whichever_file_comes_first(tmp_path):
    """The same two Shopify exports without --repeated-orders: a running total that changed is an error naming both
    rows, as any order repeated with other content. Before, with WooCommerce's export first (Shopify's running total
    then set against its dated refunds), the later copy was taken silently."""
    options, both_orders, late = with_late_3010(tmp_path, "60.00")
    shopify = tmp_path / "shopify-orders-2026.csv"
    for sales_options in both_orders:
        result = CliRunner().invoke(cli, options + sales_options + ["--as-of", "2026-10-31"], catch_exceptions=False)
        assert result.exit_code == 2, result.output
        assert result.output.startswith(f"Error: {late}:2: column 'Name' value '#3010': ")
        assert f"read at {shopify}:2" in result.output
