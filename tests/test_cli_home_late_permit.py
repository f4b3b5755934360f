"""`nexus check --home US-CA --registrations` where the California permit was registered after the first order: the
screen, the JSON, the workbook and the memo give the tax of the days before it as the home without a permit gets
its own. Before, the permit held was 'Registered on 2026-04-15' and nothing more: no gap, no estimate, nothing in
the total. Figures worked by hand (tests/test_home_late_permit.py has the library's)."""
from __future__ import annotations

import json
import re
from html import unescape

from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import SAMPLES
from nexus.cli import cli

RATES = str(SAMPLES / "eurofxref-hist.csv")
# USD 333.33 twice in the 44 days from the first order to the day before the permit, USD 500.00 after it.
ORDERS = ("order_id,date,country,region,amount,currency,category,channel\n"
          "A1,2026-03-02,US,CA,333.33,USD,goods,direct\n"
          "A2,2026-03-20,US,CA,333.33,USD,goods,direct\n"
          "A3,2026-05-10,US,CA,500.00,USD,goods,direct\n")


def home_run(tmp_path, orders: str, home: str, registrations: str, *more: str) -> str:
    """The screen (or what ``more`` asks for) of ``nexus check --home HOME`` as of 2026-06-30 on ``orders`` and a
    registrations file holding the ``registrations`` rows."""
    sales, regs = tmp_path / "orders.csv", tmp_path / "regs.csv"
    sales.write_text(orders)
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note\n" + registrations)
    out = CliRunner().invoke(cli, ["check", "--sales", str(sales), "--rates", RATES, "--as-of", "2026-06-30", "--home",
                                   home, "--registrations", str(regs), "--db", str(tmp_path / "db.sqlite3"), *more],
                             catch_exceptions=False)
    assert out.exit_code == 0, out.output
    return out.output


def run(tmp_path, registrations: str, *more: str) -> str:
    return home_run(tmp_path, ORDERS, "US-CA", registrations, *more)


def test_the_json_gives_the_gap_and_the_tax_of_its_sales(tmp_path):
    # 666.66 x 7.25% = 48.33285 -> 48.33; x 8.99% = 59.932734 -> 59.93; x 11.25% = 74.99925 -> 75.00, rounded once.
    found = json.loads(run(tmp_path, "US-CA,2026-04-15,,CA1234,\n", "--format", "json"))
    [ca] = [f for f in found["findings"] if f["jurisdiction"] == "US-CA"]
    assert (ca["nexus"], ca["action"]) == ("establishment", "registered")
    assert ca["gap"] == {"from": "2026-03-02", "to": "2026-04-14", "days": 44}
    e = ca["exposure"]
    assert (e["from"], e["to"], e["taxable_sales"]) == ("2026-03-02", "2026-04-14", "666.66")
    assert e["uncollected"] == {"low": "48.33", "central": "59.93", "high": "75.00"}
    assert e["scenarios"]["vda"]["note"].startswith("not estimated: the state's voluntary disclosure terms in nexus's "
                                                    "data were read for sellers outside the state")
    assert ("Tax at home was due from the day the business began there, which nexus is not given: estimated from "
            "the first order on 2026-03-02; earlier sales are not covered by the data (list the office in the "
            "presence file with its since date).") in e["assumptions"]
    assert found["summary"]["exposure_total"]["tax"] == {"low": "48.33", "central": "59.93", "high": "75.00"}
    assert found["summary"]["exposure_total"]["vda_tax_alone"] == ["US-CA"]
    # a permit from the first order's day: no gap, no estimate, as before
    found = json.loads(run(tmp_path, "US-CA,2026-03-02,,CA1234,\n", "--format", "json"))
    [ca] = [f for f in found["findings"] if f["jurisdiction"] == "US-CA"]
    assert (ca["action"], ca["gap"], ca["exposure"]) == (None, None, None)


def test_the_screen_says_the_permit_was_taken_late_and_the_estimate(tmp_path):
    screen = " ".join(run(tmp_path, "US-CA,2026-04-15,,CA1234,\n").split())
    tmp = str(tmp_path / "regs.csv")
    assert (f"Permit taken late: the registrations file's sales tax permit for California ({tmp}:2, number ...1234) "
            "was registered on 2026-04-15, after the first order on 2026-03-02; a seller with a place of business "
            "there must hold one and collect from the start. The sales tax on its sales there from the first order "
            "to 2026-04-14 (44 days) is at stake; the day the business began there is not given to nexus (list the "
            "office in the presence file with its since date), so any earlier days are not estimated. Estimated tax "
            "not collected from 2026-03-02 to 2026-04-14: USD 59.93 (an estimate to review).") in screen
    assert "Registered on 2026-04-15" not in screen  # said once, as the late permit


def test_the_workbook_and_the_memo_carry_it_as_the_home_without_a_permit(tmp_path):
    book, memo = tmp_path / "r.xlsx", tmp_path / "m.html"
    run(tmp_path, "US-CA,2026-04-15,,CA1234,\n", "--workbook", str(book), "--html", str(memo))
    summary = [[c for c in r if c is not None] for r in load_workbook(book)["Summary"].iter_rows(values_only=True)]
    assert ["US-CA", "California", "home: established", 1166.66, 0, "gap 44 d", 59.93] in summary
    findings = load_workbook(book)["Findings"]
    header = [c.value for c in next(findings.iter_rows(max_row=1))]
    row = next(r for r in findings.iter_rows(min_row=2, values_only=True) if r[0] == "US-CA")
    assert (row[header.index("Act by")], row[header.index("Days not collected")]) == ("gap 44 d", 44)
    page = re.sub(r"<(script|style).*?</\1>", "", memo.read_text(), flags=re.S)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Estimated tax at stake USD 59.93 (USD 48.33 to USD 75.00)" in text
    assert ("Permit taken late: the registrations file's sales tax permit for California" in text
            and "Estimated tax not collected from 2026-03-02 to 2026-04-14: USD 59.93 (in the total at stake)."
            in text)


def test_a_permit_row_without_its_registration_date_stops_and_says_so(tmp_path):
    # The day the permit was registered is what dates the days at stake: a row without it is not read as held from
    # some day, nor estimated around; the run stops naming the file, line and column (exit 2).
    sales, regs = tmp_path / "orders.csv", tmp_path / "regs.csv"
    sales.write_text(ORDERS)
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note\nUS-CA,,2026-04-15,CA1234,\n")
    out = CliRunner().invoke(cli, ["check", "--sales", str(sales), "--rates", RATES, "--as-of", "2026-06-30", "--home",
                                   "US-CA", "--registrations", str(regs), "--db", str(tmp_path / "db.sqlite3")])
    assert out.exit_code == 2
    assert out.output.strip().splitlines()[-1] == f"Error: {regs}:2: column 'registered_on' value '': is empty"


def test_a_permit_row_for_oregon_as_home_is_said_to_be_not_needed(tmp_path):
    # Oregon has no sales tax: 'Registered on 2026-04-15 (regs.csv:2, number ...1234), collecting from 2026-04-15.'
    # was a permit that does not exist; now the Home line says the row is not needed.
    sales, regs = tmp_path / "orders.csv", tmp_path / "regs.csv"
    sales.write_text(ORDERS.replace(",CA,", ",OR,"))
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note\nUS-OR,2026-04-15,,OR1234,\n")
    out = CliRunner().invoke(cli, ["check", "--sales", str(sales), "--as-of", "2026-06-30", "--home", "US-OR",
                                   "--registrations", str(regs), "--db", str(tmp_path / "db.sqlite3"), "--html",
                                   str(tmp_path / "m.html")], catch_exceptions=False)
    assert out.exit_code == 0, out.output
    screen = " ".join(out.output.split())
    assert (f"Row not needed: the registrations file holds a row for Oregon ({regs}:2, number ...1234), but a seller "
            "there has no sales tax permit to hold.") in screen
    assert "Registered on" not in screen
    page = re.sub(r"<(script|style).*?</\1>", "", (tmp_path / "m.html").read_text(), flags=re.S)
    memo = " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Row not needed: the registrations file holds a row for Oregon" in memo
    assert "registered 2026-04-15" not in memo  # no permit on the memo's timeline either
