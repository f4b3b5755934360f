"""A refund in the period of a sale made before it: left out where the orders link it to its sale, and otherwise
netted, every output saying how much the refunds netted without a link took off the tax.

No tax was due on a sale made before tax had to be collected, so its refund is no credit. Where a refund row carries
its sale's order id and the sale is among the orders read (nexus's own layout), both readers keep the sale's day beside
the refund (``Ledger.refund_links``) and the estimate leaves the refund out; a refund of a sale made in the period is
netted. A refund without that link (an id of its own, a platform's export) is netted on its own day, and each estimate
gives the refunds it so netted and the tax they took off: the most it may be understated by.

Worked by hand with the bundled data, nexus's own layout, as of 2025-06-30. South Dakota's test (more than USD 100,000
in the current or previous calendar year) is met on 2025-03-02 by SD-3 (90,000 + 5,000 + 10,000 = 105,000), and tax
is due from that day. SD-2, sold on 2025-02-10, before nexus, is refunded on 2025-04-15, inside the period. Rates
(January 2025 edition): state 4.2% (low), 4.2% + 1.91% average local = 6.11% (central), no highest combined (high =
central).

* Refunded under SD-2, its sale's order id: the refund is left out. SD-3's 10,000 and SD-4's 44,000, 54,000 x 6.11% =
  USD 3,299.40 (low 44,000 x 4.2% = 1,848.00: South Dakota's duty starts with the sale after the one that met the
  test, so the low end leaves out the crossing day, 2025-03-02, whose only sale is SD-3). Before 2026-12-07 the estimate netted it: 49,000 x 6.11% = USD 2,993.90.
* Refunded under CN-7, a credit note's number of its own: nothing says the sale's day, the refund is netted: USD
  2,993.90 (low 39,000 x 4.2% = 1,638.00), and the refunds netted, USD 5,000.00, took 5,000 x 6.11% = USD 305.50 off the tax (low
  5,000 x 4.2% = 210.00): the JSON's ``refunds_netted`` and ``refunds_tax``, the estimate's assumptions, the CSV's
  ``est_note``, the workbook's Findings and Exposure notes and the memo's assumptions say so.
* SD-4 refunded USD 5,000 under its own id on 2025-04-20: a sale of the period, netted: (10,000 + 39,000) x 6.11% =
  USD 2,993.90, and nothing said of it (the estimate is right).
"""
import csv
import io
import json
import re
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

from nexus.cli import cli
from nexus.own_layout_fast import read_sales_fast
from nexus.exposure import REFUNDS_LINKED, REFUNDS_NETTED
from nexus.read_options import ReadOptions
from nexus.sales import read_sales

AS_OF = "2025-06-30"
ORDERS = ("order_id,date,country,region,amount,currency,category,kind\n"
          "SD-1,2025-01-10,US,SD,90000.00,USD,goods,sale\n"
          "SD-2,2025-02-10,US,SD,5000.00,USD,goods,sale\n"
          "SD-3,2025-03-02,US,SD,10000.00,USD,goods,sale\n"
          "SD-4,2025-04-10,US,SD,44000.00,USD,goods,sale\n"
          "SD-2,2025-04-15,US,SD,-5000.00,USD,goods,refund\n")
#: The same refund under a credit note's own number: not linked to its sale.
UNLINKED = ORDERS.replace("SD-2,2025-04-15", "CN-7,2025-04-15")
NOTE = ("refunds of USD 5,000.00 netted in the period without a link to their sale took USD 305.50 (range 210.00 to "
        "305.50) off the tax: understated by up to that where they refund sales made before the period")
ENGINES = ["python", "duckdb"]


@pytest.fixture
def orders(write):
    return write("orders.csv", UNLINKED)


def _run(*args):
    run = CliRunner().invoke(cli, ["check", *args, "--as-of", AS_OF], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return run


def _south_dakota(data):
    return next(f for f in data["findings"] if f["jurisdiction"] == "US-SD")["exposure"]


def _exposure(path, engine):
    return _south_dakota(json.loads(_run("--sales", path, "--engine", engine, "--format", "json").stdout))


@pytest.mark.parametrize("engine", ENGINES)
def test_a_refund_linked_to_a_sale_made_before_tax_was_due_is_left_out(write, engine):
    e = _exposure(write("orders.csv", ORDERS), engine)
    assert e["from"] == "2025-03-02" and e["taxable_sales"] == "54000.00"
    assert e["uncollected"] == {"low": "1848.00", "central": "3299.40", "high": "3299.40"}  # was 2,993.90
    assert (e["refunds_netted"], e["refunds_tax"]["high"]) == ("0.00", "0.00")
    assert REFUNDS_LINKED in e["assumptions"] and REFUNDS_NETTED not in e["assumptions"]


@pytest.mark.parametrize("engine", ENGINES)
def test_the_link_holds_whatever_the_order_of_the_rows_and_files(write, engine):
    """The refund read first, its sale in the next file: linked all the same."""
    lines = ORDERS.splitlines()
    first = write("refunds.csv", "\n".join([lines[0], lines[5]]) + "\n")
    second = write("orders.csv", "\n".join(lines[:5]) + "\n")
    run = _run("--sales", first, "--sales", second, "--engine", engine, "--format", "json")
    assert _south_dakota(json.loads(run.stdout))["uncollected"]["central"] == "3299.40"


def test_both_readers_keep_the_sale_day_beside_the_refund(write):
    path = write("orders.csv", ORDERS + "SD-4,2025-04-20,US,SD,-1000.00,USD,goods,chargeback\n"
                                        "CN-7,2025-04-20,US,SD,-50.00,USD,goods,refund\n")
    ref, fast = read_sales([path]), read_sales_fast([path], ReadOptions())
    assert fast.refund_links == ref.refund_links == {("US-SD", "USD", "direct", "refund", "no", "goods"): {
        date(2025, 4, 15): {date(2025, 2, 10): [Decimal("-5000.00"), Decimal(0)]},
        date(2025, 4, 20): {date(2025, 4, 10): [Decimal("-1000.00"), Decimal(0)]}}}  # CN-7 has no sale


@pytest.mark.parametrize("engine", ENGINES)
def test_a_linked_refund_of_a_sale_in_the_period_is_netted_and_not_counted_as_a_risk(write, engine):
    path = write("orders.csv", "\n".join(ORDERS.splitlines()[:5]) + "\nSD-4,2025-04-20,US,SD,-5000.00,USD,goods,refund\n")
    e = _exposure(path, engine)
    assert e["taxable_sales"] == "49000.00" and e["uncollected"]["central"] == "2993.90"
    assert (e["refunds_netted"], e["refunds_tax"]["high"]) == ("0.00", "0.00")
    assert REFUNDS_LINKED not in e["assumptions"] and REFUNDS_NETTED not in e["assumptions"]


@pytest.mark.parametrize("engine", ENGINES)
def test_an_unlinked_refund_is_netted_and_the_json_gives_the_tax_it_took_off(orders, engine):
    e = _exposure(orders, engine)
    assert e["from"] == "2025-03-02" and e["taxable_sales"] == "49000.00"
    assert e["uncollected"] == {"low": "1638.00", "central": "2993.90", "high": "2993.90"}
    assert e["refunds_netted"] == "5000.00"
    assert e["refunds_tax"] == {"low": "210.00", "central": "305.50", "high": "305.50"}
    # the estimate with the refund left out is the figure worked by hand for the sales in the period
    assert sum(Decimal(e[k]["central"]) for k in ("uncollected", "refunds_tax")) == Decimal("3299.40")
    assert REFUNDS_NETTED in e["assumptions"] and REFUNDS_LINKED not in e["assumptions"]


@pytest.mark.parametrize("engine", ENGINES)
def test_a_chargeback_of_a_sale_made_before_the_period_counts_as_a_refund_does(write, engine):
    """A chargeback is no more a credit where its sale was made before tax was due: linked, it is left out;
    under an id of its own, it took the same USD 305.50 off."""
    linked = write("orders.csv", ORDERS.replace("-5000.00,USD,goods,refund", "5000.00,USD,goods,chargeback"))
    assert _exposure(linked, engine)["uncollected"]["central"] == "3299.40"
    alone = write("alone.csv", UNLINKED.replace("-5000.00,USD,goods,refund", "5000.00,USD,goods,chargeback"))
    e = _exposure(alone, engine)
    assert e["uncollected"]["central"] == "2993.90"
    assert (e["refunds_netted"], e["refunds_tax"]["central"]) == ("5000.00", "305.50")


def test_an_estimate_without_refunds_in_its_period_says_nothing_of_them(write):
    path = write("orders.csv", "\n".join(ORDERS.splitlines()[:5]) + "\n")  # the refund left out
    e = _south_dakota(json.loads(_run("--sales", path, "--format", "json").stdout))
    assert e["uncollected"]["central"] == "3299.40"
    assert (e["refunds_netted"], e["refunds_tax"]["high"]) == ("0.00", "0.00")
    assert REFUNDS_NETTED not in e["assumptions"] and REFUNDS_LINKED not in e["assumptions"]


def test_the_csv_says_it_beside_the_estimate(orders):
    rows = list(csv.DictReader(io.StringIO(_run("--sales", orders, "--format", "csv").stdout)))
    south_dakota = next(r for r in rows if r["jurisdiction"] == "US-SD")
    assert south_dakota["est_tax_central"] == "2993.90" and NOTE in south_dakota["est_note"]


def test_the_workbook_says_it_in_the_findings_the_exposure_appendix_and_the_assumptions(orders, tmp_path):
    path = tmp_path / "report.xlsx"
    _run("--sales", orders, "--workbook", str(path))
    book = openpyxl.load_workbook(path)
    texts = {sheet: [str(v) for row in book[sheet].iter_rows(values_only=True) for v in row if v is not None]
             for sheet in ("Findings", "Exposure", "Assumptions")}
    assert any(NOTE in t for t in texts["Findings"])
    assert any(NOTE in t for t in texts["Exposure"])
    assert any(REFUNDS_NETTED in t for t in texts["Assumptions"])


def test_the_memo_names_the_place_and_the_tax(orders, tmp_path):
    path = tmp_path / "memo.html"
    _run("--sales", orders, "--html", str(path))
    # as the reader sees it: a code is kept whole on a line by a span around it (US-SD)
    said = " ".join(re.sub(r"<[^>]+>", "", path.read_text(encoding="utf-8")).split())
    assert ("Refunds netted in the period without a link to their sale, on their own day, took tax off the estimate "
            "in US-SD (USD 305.50 on refunds of USD 5,000.00). A refund of a sale made before tax was due is no "
            "credit") in said
