"""`nexus check` counts each day of Japan's specified period by the rule then in force, whichever reader summed the
orders: nexus's own, DuckDB's, or daily aggregates (`--aggregates`). Figures as in tests/test_rule_versions_by_day.py:
JPY 7,000,000 of digital through a marketplace on 2025-02-10 (the seller's own then) and 3,500,000 of SaaS sold direct
on 2025-06-10 make JPY 10,500,000, more than JPY 10,000,000; May's JPY 3,000,000 through a marketplace is the
platform's (from 2025-04-01) and left out."""
import json

import pytest
from click.testing import CliRunner

from nexus.cli import cli

ORDERS = """\
Order ID,Created At,Customer Name,Ship Country,Ship State,SKU,Category,Channel,Type,Tax Exempt,Currency,Amount
JP-1,2025-02-10 10:00:00+09:00,A,JP,,APP,digital,marketplace,sale,no,JPY,7000000
JP-2,2025-05-12 10:00:00+09:00,B,JP,,APP,digital,marketplace,sale,no,JPY,3000000
JP-3,2025-06-10 10:00:00+09:00,C,JP,,SUB,saas,direct,sale,no,JPY,3500000
"""
AGGREGATES = """\
date,jurisdiction,currency,channel,category,kind,exempt,amount,rows
2025-02-10,JP,JPY,marketplace,digital,sale,no,7000000,1
2025-05-12,JP,JPY,marketplace,digital,sale,no,3000000,1
2025-06-10,JP,JPY,direct,saas,sale,no,3500000,1
"""


@pytest.mark.parametrize("how", [["--engine", "python"], ["--engine", "duckdb"], ["--aggregates"]])
def test_every_reader_counts_japans_platform_sales_before_april_2025_as_the_sellers_own(tmp_path, how):
    path = tmp_path / ("agg.csv" if how == ["--aggregates"] else "orders.csv")
    path.write_text(AGGREGATES if how == ["--aggregates"] else ORDERS, encoding="utf-8")
    given = ["--aggregates", str(path)] if how == ["--aggregates"] else ["--sales", str(path)] + how
    result = CliRunner().invoke(cli, ["check", *given, "--as-of", "2026-03-31", "--format", "json"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    japan = next(f for f in json.loads(result.stdout)["findings"] if f["jurisdiction"] == "JP")
    assert (japan["status"], japan["sales"], japan["transactions"]) == ("exceeded", "10500000", 2)
    assert japan["excluded"] == {"marketplace": "3000000"}
    assert japan["crossed_on"] == "2025-06-10"
