"""`nexus check --home JP --registrations` where consumption tax was due from 2026-01-01 (the specified period of 2025
met) and the registration collects from 2026-04-01: the screen, the JSON, the workbook and the memo give the tax of
the 90 days between, in the total. Before, the home said '90 days (2026-01-01 to 2026-03-31) are not covered by
collection' and estimated nothing. Figures worked by hand (tests/test_home_late_registration.py has the library's
and every other home's)."""
from __future__ import annotations

import json
import re
from html import unescape

from openpyxl import load_workbook

from test_cli_home_late_permit import home_run

# JPY 10,000,001 in the specified period of 2025 (taxable from 2026-01-01); JPY 100,005 twice in the gap, JPY 50,000
# collected under the registration.
ORDERS = ("order_id,date,country,region,amount,currency,category,channel\n"
          "J1,2025-01-10,JP,,10000001,JPY,goods,direct\n"
          "J2,2026-02-10,JP,,100005,JPY,goods,direct\n"
          "J3,2026-03-10,JP,,100005,JPY,goods,direct\n"
          "J4,2026-05-10,JP,,50000,JPY,goods,direct\n")


def run(tmp_path, registrations: str, *more: str) -> str:
    return home_run(tmp_path, ORDERS, "JP", registrations, *more)


def json_of(tmp_path, registrations: str):
    """The JSON written to a file: the screen also warns of the months without orders (2025-01-10 to 2026-02-10)."""
    run(tmp_path, registrations, "--format", "json", "--output", str(tmp_path / "out.json"))
    return json.loads((tmp_path / "out.json").read_text())


def test_the_json_gives_the_gap_and_the_tax_of_its_sales(tmp_path):
    # JPY 200,010 x 10% = 20,001.0 -> JPY 20,001; in USD at the ECB's 2026-06-30 rates (USD 1.1394, JPY 185.08 to the
    # euro): 20,001 x 1.1394 / 185.08 = 123.1303... -> USD 123.13.
    found = json_of(tmp_path, "JP,2026-04-01,,T1234567890123,\n")
    [jp] = [f for f in found["findings"] if f["jurisdiction"] == "JP"]
    assert (jp["nexus"], jp["action"], jp["collect_from"]) == ("establishment", "registered", "2026-01-01")
    assert jp["gap"] == {"from": "2026-01-01", "to": "2026-03-31", "days": 90}
    e = jp["exposure"]
    assert (e["currency"], e["from"], e["to"], e["taxable_sales"]) == ("JPY", "2026-01-01", "2026-03-31", "200010")
    assert e["uncollected"] == {"low": "20001", "central": "20001", "high": "20001"}
    assert e["scenarios"]["vda"]["note"] == "no look-back of its own: every month of tax due is kept"
    assert found["summary"]["exposure_total"]["tax"] == {"low": "123.13", "central": "123.13", "high": "123.13"}
    # registered from the day the tax was due: nothing at stake, as before
    found = json_of(tmp_path, "JP,2026-01-01,,T1234567890123,\n")
    [jp] = [f for f in found["findings"] if f["jurisdiction"] == "JP"]
    assert (jp["gap"], jp["exposure"]) == (None, None)


def test_the_screen_gives_the_estimate_beside_the_gap(tmp_path):
    screen = " ".join(run(tmp_path, "JP,2026-04-01,,T1234567890123,\n").split())
    assert ("collecting from 2026-04-01; tax was due from 2026-01-01, so 90 days (2026-01-01 to 2026-03-31) are not "
            "covered by collection.") in screen
    assert ("Estimated tax not collected from 2026-01-01 to 2026-03-31: JPY 20,001 (an estimate to review).") in screen


def test_the_workbook_and_the_memo_carry_it_in_the_total(tmp_path):
    book, memo = tmp_path / "r.xlsx", tmp_path / "m.html"
    run(tmp_path, "JP,2026-04-01,,T1234567890123,\n", "--workbook", str(book), "--html", str(memo))
    summary = [[c for c in r if c is not None] for r in load_workbook(book)["Summary"].iter_rows(values_only=True)]
    assert ["JP", "Japan", "home: established", 10000001, 1, "gap 90 d", 123.13] in summary
    page = re.sub(r"<(script|style).*?</\1>", "", memo.read_text(), flags=re.S)
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", page)).split())
    assert "Estimated tax at stake USD 123.13 (USD 123.13 to USD 123.13" in text
    assert "Estimated tax not collected from 2026-01-01 to 2026-03-31: JPY 20,001 (in the total at stake)." in text
