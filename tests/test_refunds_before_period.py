"""A refund in the period of a sale made before it: every output says how much the refunds netted took off the tax.

The daily totals net a refund on its own day and do not say which day its sale was made, so the refund of a sale made
before tax was due (no tax was due on it: its refund is no credit) lowers the estimate all the same. Each estimate
therefore gives the refunds it netted in its period and the tax they took off: the most it may be understated by,
computed from the daily totals, so that nexus's own reader and DuckDB give the same figure.

Worked by hand with the bundled data, nexus's own layout, as of 2025-06-30. South Dakota's test (more than USD 100,000
in the current or previous calendar year) is met on 2025-03-02 by SD-3 (90,000 + 5,000 + 10,000 = 105,000), and tax
is due from that day. SD-2, sold on 2025-02-10, before nexus, is refunded on 2025-04-15, inside the period, under its
own order id. Rates (January 2025 edition): state 4.2% (low), 4.2% + 1.91% average local = 6.11% (central), no highest
combined (high = central).

* The right figure: SD-3's 10,000 and SD-4's 44,000, 54,000 x 6.11% = USD 3,299.40 (low 54,000 x 4.2% = 2,268.00).
* The estimate nets the refund: 49,000 x 6.11% = USD 2,993.90 (low 2,058.00): USD 305.50 too low.
* The refunds netted, USD 5,000.00, took 5,000 x 6.11% = USD 305.50 off the tax (low 5,000 x 4.2% = 210.00): before,
  no output said so; now the JSON's ``refunds_netted`` and ``refunds_tax``, the estimate's assumptions, the CSV's
  ``est_note``, the workbook's Findings and Exposure notes and the memo's assumptions do.
"""
import csv
import io
import json
import re
from decimal import Decimal

import openpyxl
import pytest
from click.testing import CliRunner

from nexus.cli import cli
from nexus.exposure import REFUNDS_NETTED

AS_OF = "2025-06-30"
ORDERS = ("order_id,date,country,region,amount,currency,category,kind\n"
          "SD-1,2025-01-10,US,SD,90000.00,USD,goods,sale\n"
          "SD-2,2025-02-10,US,SD,5000.00,USD,goods,sale\n"
          "SD-3,2025-03-02,US,SD,10000.00,USD,goods,sale\n"
          "SD-4,2025-04-10,US,SD,44000.00,USD,goods,sale\n"
          "SD-2,2025-04-15,US,SD,-5000.00,USD,goods,refund\n")
NOTE = ("refunds of USD 5,000.00 netted in the period took USD 305.50 (range 210.00 to 305.50) off the tax: "
        "understated by up to that where they refund sales made before the period")


@pytest.fixture
def orders(write):
    return write("orders.csv", ORDERS)


def _run(*args):
    run = CliRunner().invoke(cli, ["check", *args, "--as-of", AS_OF], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return run


def _south_dakota(data):
    return next(f for f in data["findings"] if f["jurisdiction"] == "US-SD")["exposure"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_the_json_gives_the_refunds_netted_and_the_tax_they_took_off(orders, engine):
    e = _south_dakota(json.loads(_run("--sales", orders, "--engine", engine, "--format", "json").stdout))
    assert e["from"] == "2025-03-02" and e["taxable_sales"] == "49000.00"
    assert e["uncollected"] == {"low": "2058.00", "central": "2993.90", "high": "2993.90"}
    assert e["refunds_netted"] == "5000.00"
    assert e["refunds_tax"] == {"low": "210.00", "central": "305.50", "high": "305.50"}
    # the estimate with the refund left out is the figure worked by hand for the sales in the period
    assert sum(Decimal(e[k]["central"]) for k in ("uncollected", "refunds_tax")) == Decimal("3299.40")
    assert REFUNDS_NETTED in e["assumptions"]


@pytest.mark.parametrize("engine", ["python", "duckdb"])
def test_a_chargeback_of_a_sale_made_before_the_period_counts_as_a_refund_does(write, engine):
    """A chargeback nets as a refund does, and is no more a credit where its sale was made before tax was due:
    SD-2's USD 5,000 charged back on 2025-04-15 took the same USD 305.50 off (it was left out of the figure)."""
    path = write("orders.csv", ORDERS.replace("-5000.00,USD,goods,refund", "5000.00,USD,goods,chargeback"))
    e = _south_dakota(json.loads(_run("--sales", path, "--engine", engine, "--format", "json").stdout))
    assert e["uncollected"]["central"] == "2993.90"
    assert (e["refunds_netted"], e["refunds_tax"]["central"]) == ("5000.00", "305.50")


def test_an_estimate_without_refunds_in_its_period_says_nothing_of_them(write):
    path = write("orders.csv", "\n".join(ORDERS.splitlines()[:5]) + "\n")  # the refund left out
    e = _south_dakota(json.loads(_run("--sales", path, "--format", "json").stdout))
    assert e["uncollected"]["central"] == "3299.40"
    assert (e["refunds_netted"], e["refunds_tax"]["high"]) == ("0.00", "0.00")
    assert REFUNDS_NETTED not in e["assumptions"]


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
    assert ("Refunds netted in the period, on their own day, took tax off the estimate in US-SD (USD 305.50 on refunds "
            "of USD 5,000.00). A refund of a sale made before tax was due is no credit") in said
