"""From a review of `nexus check --home` (JP, US-CA, DE, GB) on the sample, read as each home's controller and CFO
read it, screen, JSON, workbook and memo side by side: each test here failed on the code it was written against.
The orders are small and worked by hand."""
from __future__ import annotations

import json

from click.testing import CliRunner

from conftest import SAMPLES
from nexus.cli import cli

RATES = str(SAMPLES / "eurofxref-hist.csv")
HEADER = "order_id,date,country,region,amount,currency,category,channel\n"

# Japan's specified period 2025-01-01 to 2025-06-30 (the first half of the year before 2026): JPY 6,000,000 +
# 5,000,000 = 11,000,000 > 10,000,000 on 2025-03-10, so the business is taxable from 2026-01-01. The periods that
# decide 2025 itself (base period 2023, specified period 2024-01-01 to 2024-06-30) lie before the first order.
JP_2025 = ("A,2025-01-10,JP,,6000000,JPY,goods,direct\n"
           "B,2025-03-10,JP,,5000000,JPY,goods,direct\n")


def run(tmp_path, orders, as_of, home, *more):
    sales = tmp_path / "orders.csv"
    sales.write_text(HEADER + orders)
    out = CliRunner().invoke(cli, ["check", "--sales", str(sales), "--rates", RATES, "--as-of", as_of, "--home", home,
                                   "--db", str(tmp_path / "db.sqlite3"), *more], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    return out.output


def home_json(tmp_path, orders, as_of, home):
    text = run(tmp_path, orders, as_of, home, "--format", "json")
    found = json.loads(text[:text.rindex("}") + 1])["findings"]
    return next(f for f in found if f["jurisdiction"] == home and not f["part_of"])


def test_a_home_whose_measured_periods_lie_before_the_orders_shows_no_sales_not_zero(tmp_path):
    # As of 2025-06-30 the home's figure is that of the periods deciding 2025, which no order reaches: the JSON said
    # sales "0", transactions 0 and ratio "0.0000", the workbook '0 JPY 0%', the memo 'JPY 0 0%' (DECISIONS: days
    # before the first order are 'not covered by the data', never 0).
    jp = home_json(tmp_path, JP_2025, "2025-06-30", "JP")
    assert jp["status"] == "established"
    assert [p["covered"] for p in jp["periods"]] == ["none", "none"]
    assert (jp["sales"], jp["transactions"], jp["ratio"]) == (None, None, None)
    # the duty the next year's specified period gives is still dated
    assert (jp["nexus_since"], jp["collect_from"]) == ("2025-03-10", "2026-01-01")


def test_the_workbook_and_memo_of_an_uncovered_home_say_not_covered(tmp_path):
    from openpyxl import load_workbook
    book, memo = tmp_path / "r.xlsx", tmp_path / "m.html"
    run(tmp_path, JP_2025, "2025-06-30", "JP", "--workbook", str(book), "--html", str(memo))
    findings = load_workbook(book)["Findings"]
    header = [c.value for c in next(findings.iter_rows(max_row=1))]
    row = next(r for r in findings.iter_rows(min_row=2, values_only=True) if r[0] == "JP")
    assert row[header.index("Sales")] == "not covered"
    assert row[header.index("Share of threshold")] is None
    html = memo.read_text()
    assert ">JPY 0<" not in html and "sales JPY 0," not in html
