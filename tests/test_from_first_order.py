"""Where tax was due before the first order read, the estimate covers only the days from that order: the JSON's
assumptions and the reasons said so, the memo's headline and the workbook's Summary, where the figure is read, did
not. They now say it in one short line beside the total.

Worked by hand, nexus's own layout, as of 2025-03-31: Texas, USD 1,000 on 2025-01-02 (the first order) and 3,000 on
2025-02-10; Texas rates (January 2025 edition) 6.25% state, 8.2% with the average local rate: low 4,000 x 6.25% =
250.00, central and high 4,000 x 8.2% = 328.00, from 2025-01-02.

* An employee in Texas since 2024-02-01 (presence file): tax was due from 2024-02-01; 2024-02-01 to 2025-01-01 is
  not covered by the data, and the figure of USD 328.00 is for the days from 2025-01-02 only.
* Texas as home (--home US-TX), the registrations file holding no Texas permit and the presence file no office: tax
  at home was due from the day the business began, which nexus is not given: from 2025-01-02 only, likewise.
"""
import json
import re
from html import unescape

import openpyxl
from click.testing import CliRunner

from nexus.cli import cli
import shared_runs

ORDERS = """\
    Order ID,Created At,Customer Name,Ship Country,Ship State,SKU,Category,Channel,Type,Tax Exempt,Currency,Amount
    TX-1,2025-01-02 10:00:00-06:00,A Buyer,US,TX,TEA,goods,direct,sale,no,USD,1000.00
    TX-2,2025-02-10 10:00:00-06:00,B Buyer,US,TX,TEA,goods,direct,sale,no,USD,3000.00
    """
PRESENCE = """\
    kind,location,ownership,dedicated,function,since,until,note
    employee,US-TX,,,,2024-02-01,,works from home in Austin
    """
#: A permit held elsewhere: Texas as home is then assessed for its own permit, which the file does not hold.
PERMITS = """\
    jurisdiction,registered_on,collecting_from,id,note
    US-CA,2024-01-01,2024-01-01,CA1,
    """


def _check(tmp_path, *args):
    memo, workbook = tmp_path / "memo.html", tmp_path / "report.xlsx"
    run = CliRunner().invoke(cli, ["check", *args, "--html", str(memo), "--workbook", str(workbook), "--format",
                                   "json"], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return (json.loads(run.stdout), *_said(memo, workbook))


def _said(memo, workbook):
    """(the memo's headline, the workbook's Summary), each as one line of text."""
    headline = re.search(r'<div class="headline" id="headline">(.*?)</div>\s*</div>|<div class="headline".*?</dl>',
                         memo.read_text(encoding="utf-8"), re.S).group(0)
    said = " ".join(unescape(re.sub(r"<[^>]+>", " ", headline)).split())
    # a long line is written over as many rows as it takes to print
    summary = " ".join(r[0] for r in openpyxl.load_workbook(workbook)["Summary"].iter_rows(values_only=True)
                       if isinstance(r[0], str))
    return said, summary


def test_a_presence_before_the_first_order_is_said_beside_the_total(write, tmp_path):
    data, memo, summary = _check(tmp_path, "--sales", write("orders.csv", ORDERS), "--presence",
                                 write("presence.csv", PRESENCE), "--as-of", "2025-03-31")
    e = next(f for f in data["findings"] if f["jurisdiction"] == "US-TX")["exposure"]
    assert (e["from"], e["uncollected"]["central"]) == ("2025-01-02", "328.00")
    assert e["assumptions"][0].startswith("Tax was due from 2024-02-01, but the orders start on 2025-01-02")
    line = "Tax was due from 2024-02-01 in US-TX: estimated from 2025-01-02 only."
    assert "Estimated tax at stake USD 328.00 (USD 250.00 to USD 328.00)" in memo
    assert f"registered From the first order {line}" in memo  # the row after the 'Also estimated' one
    assert line in summary


def test_a_home_whose_business_began_on_a_day_not_given_is_said_beside_the_total(write, tmp_path):
    data, memo, summary = _check(tmp_path, "--sales", write("orders.csv", ORDERS), "--home", "US-TX",
                                 "--registrations", write("regs.csv", PERMITS), "--as-of", "2025-03-31")
    e = next(f for f in data["findings"] if f["jurisdiction"] == "US-TX")["exposure"]
    assert (e["from"], e["uncollected"]["central"]) == ("2025-01-02", "328.00")
    line = "Tax was due from the day the business began there in US-TX: estimated from 2025-01-02 only."
    assert f"From the first order {line}" in memo
    assert line in summary


def test_a_japanese_home_whose_first_days_periods_before_the_orders_decide_is_said_beside_the_total(
        tmp_path_factory):
    """The README's sample with --home JP: whether consumption tax was due in 2025 is decided by 2023 and the first
    half of 2024, before the first order (2025-01-01); the estimate at home starts on 2026-01-01. (The run, with its
    memo and workbook, made once for this file and test_docs_exposure.py: shared_runs.py.)"""
    ran = shared_runs.sample_home_jp(tmp_path_factory)
    memo, summary = _said(ran.file("memo.html"), ran.file("report.xlsx"))
    line = ("Tax was due from 2024-02-01 in US-TX: estimated from 2025-01-01 only; whether tax was due in JP from "
            "2025-01-01 to 2025-12-31 is not known from the orders: not estimated.")
    assert f"From the first order {line}" in memo
    assert line in summary


def test_no_line_where_every_duty_starts_inside_the_orders(write, tmp_path):
    _, memo, summary = _check(tmp_path, "--sales", write("orders.csv", ORDERS), "--as-of", "2025-03-31")
    assert "From the first order" not in memo and "estimated from 2025-01-02 only" not in summary
