"""A permit the registrations file gives a closing date (``closed_on``, docs/check.md section 7) is an event of its
place's timeline, dated that day and naming the permit, beside the day it was registered: the JSON's
``summary.timeline``, the workbook's Timeline sheet and the memo's table of dates. Before, only 'registered' was there,
and nothing said the collection under it had stopped.

Texas: USD 600,000 sold on 2025-01-15 (nexus by the test, kept while the permit is held: 34 TAC 3.286), the permit
registered and collecting from 2025-03-01 and closed on 2026-04-30, as of 2026-06-30.
"""
import json
import re
from datetime import datetime
from html import unescape

import openpyxl
from click.testing import CliRunner

from nexus.cli import cli

ORDERS = """\
    Order ID,Created At,Customer Name,Ship Country,Ship State,SKU,Category,Channel,Type,Tax Exempt,Currency,Amount
    TX-1,2025-01-15 10:00:00-06:00,A Buyer,US,TX,TEA,goods,direct,sale,no,USD,600000.00
    """
PERMITS = """\
    jurisdiction,registered_on,collecting_from,id,note,closed_on
    US-TX,2025-03-01,2025-03-01,TX-32000000001,Texas permit,{closed}
    """
DETAIL = ("permit number ...0001 (regs.csv:2) closed: held from 2025-03-01 to 2026-04-30, its last day, collecting "
          "from 2025-03-01")


def _check(write, tmp_path, closed):
    regs = write("regs.csv", PERMITS.format(closed=closed))
    memo, book = tmp_path / "memo.html", tmp_path / "report.xlsx"
    run = CliRunner().invoke(cli, ["check", "--sales", write("orders.csv", ORDERS), "--registrations", regs,
                                   "--as-of", "2026-06-30", "--format", "json", "--html", str(memo), "--workbook",
                                   str(book)], catch_exceptions=False)
    assert run.exit_code == 0, run.output
    # the timeline names the file as given: its file name here
    events = [(e["date"], e["event"], e["detail"].replace(regs, "regs.csv"))
              for e in json.loads(run.stdout)["summary"]["timeline"] if e["jurisdiction"] == "US-TX"]
    # a wrapped cell holding a date ends its lines with breaks (nexus.workbooks.sheet.unbroken): read as words
    sheet = [(r[0], r[3], r[4], r[5].replace("\n", " ").replace(regs, "regs.csv")) for r in
             openpyxl.load_workbook(book)["Timeline"].iter_rows(values_only=True) if r[1] == "US-TX"]
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", memo.read_text(encoding="utf-8"))).split()).replace(
        regs, "regs.csv")
    return events, sheet, text


def test_a_closed_permit_is_dated_and_named_beside_its_registration(write, tmp_path):
    events, sheet, memo = _check(write, tmp_path, "2026-04-30")
    assert ("2025-03-01", "registered", "collecting from 2025-03-01") in events
    assert ("2026-04-30", "permit closed", DETAIL) in events
    assert events[-1][1] == "permit closed"  # in date order, after its registration
    assert (datetime(2026, 4, 30), "permit closed", "closed", DETAIL) in sheet
    assert (f"2025-03-01 Texas (US-TX) registered collecting from 2025-03-01 2026-04-30 Texas (US-TX) permit closed "
            f"{DETAIL}") in memo


def test_a_permit_still_held_has_no_closing_event(write, tmp_path):
    events, sheet, memo = _check(write, tmp_path, "")
    assert not [e for e in events if e[1] == "permit closed"] and not [r for r in sheet if r[1] == "permit closed"]
    assert "permit closed" not in memo


def test_the_memo_chart_marks_the_closed_permit_as_it_marks_the_registration(write, tmp_path):
    """Before: the timeline chart drew Texas's registration (a triangle) but nothing on 2026-04-30, so the chart read
    as a permit still held; the table under it had the event. The chart now marks the day the permit closed, in the
    lane, right of the registration, with its legend entry."""
    _check(write, tmp_path, "2026-04-30")
    html = (tmp_path / "memo.html").read_text(encoding="utf-8")
    chart = html[html.index('<svg class="timeline"'):html.index("</svg>", html.index('<svg class="timeline"'))]
    lane = chart[chart.index('data-code="US-TX"'):]
    marks = dict((title, float(x)) for x, title in re.findall(
        r'<path class="mark-(?:registered|closed)" d="M([\d.]+) [^"]*"><title>US-TX: ([^<]+)</title>', lane))
    assert set(marks) == {"registered 2025-03-01", "permit closed 2026-04-30"}
    assert marks["permit closed 2026-04-30"] > marks["registered 2025-03-01"]
    assert 'class="mark-closed"' in html[html.index('aria-label="Timeline legend"'):]  # the legend names it


def test_no_mark_of_the_chart_sits_under_the_lanes_label(write, tmp_path):
    """The registration on 2025-03-01 was the chart's first date, drawn on the axis's left edge (x 210), its
    triangle (6 units each side) half under the lane's label, which ends 8 units left of the axis. The axis now
    starts a month before its first date."""
    _check(write, tmp_path, "2026-04-30")
    html = (tmp_path / "memo.html").read_text(encoding="utf-8")
    chart = html[html.index('<svg class="timeline"'):html.index("</svg>", html.index('<svg class="timeline"'))]
    left = int(re.search(r'class="lane-label" x="(\d+)"', chart).group(1)) + 8
    starts = [float(x) for x in re.findall(r'<path class="mark-[a-z-]+" d="M([\d.]+) ', chart)]
    assert starts and min(starts) >= left  # each mark's leftmost point clear of the label, as on the axis
