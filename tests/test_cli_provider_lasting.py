"""How long nexus from the sales before a move lasts, to the day, in the comparison's screen, JSON, workbook and memo
(nexus.provider_lasting)."""
from __future__ import annotations

import json
import re

from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import SAMPLES
from nexus.cli import cli
from shared_runs import bundled_comparison

RATES = str(SAMPLES / "eurofxref-hist.csv")
HEADER = "order_id,date,country,region,amount,currency,channel,exempt,category"
FACILITATOR = "name: Beta\ncurrencies: [USD]\nrole:\n  marketplace_facilitator: [US-FL]\n"


def flat(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text)


def run(*args):
    return CliRunner().invoke(cli, ["provider", "compare", *args], catch_exceptions=False)


def florida(write, a_month_in_2026: str) -> str:
    """USD 120,000 of Florida sales in 2025 (its test: over USD 100,000 in the previous calendar year), and ten months
    of 2026 at ``a_month_in_2026`` each, before a move on 2026-10-31."""
    rows = [f"F{m},2025-{m:02d}-10,US,FL,10000.00,USD,direct,no,goods" for m in range(1, 13)]
    rows += [f"G{m},2026-{m:02d}-10,US,FL,{a_month_in_2026},USD,direct,no,goods" for m in range(1, 11)]
    return write("orders.csv", "\n".join([HEADER, *rows]) + "\n")


def removed(output: str) -> dict:
    [candidate] = json.loads(output)["candidates"]
    [place] = candidate["tax_no_longer_collected"]["places"]
    return place


def test_florida_nexus_from_2025_lasts_to_the_end_of_2026_and_2026s_sales_keep_it_through_2027(write):
    """Before, the JSON's nexus_lasts gave the rule's words alone ('while a period the rule measures meets the test')
    and no day. Now nexus_lasts_until: 2025's sales make nexus for 2026 (2026-12-31); 2026's sales before the move,
    USD 120,000, meet the test again, which keeps it for 2027 (2027-12-31); USD 40,000 do not."""
    profile = write("beta.yaml", FACILITATOR)
    low = removed(run(profile, "--sales", florida(write, "4000.00"), "--rates", RATES, "--as-of", "2026-10-31",
                      "--format", "json").output)
    assert (low["jurisdiction"], low["nexus_lasts"], low["nexus_lasts_until"], low["nexus_lasts_until_note"]) == (
        "US-FL", "while a period the rule measures meets the test", "2026-12-31", None)
    high = removed(run(profile, "--sales", florida(write, "12000.00"), "--rates", RATES, "--as-of", "2026-10-31",
                       "--format", "json").output)
    assert high["nexus_lasts_until"] == "2027-12-31"
    screen = flat(run(profile, "--sales", florida(write, "12000.00"), "--rates", RATES, "--as-of",
                      "2026-10-31").output)
    assert ("US-FL: nexus from your sales before the move lasts until 2027-12-31: while a period the rule measures "
            "meets the test, counting your sales before the move and none after; until then you stay liable there"
            ) in screen


def test_the_bundled_comparison_gives_each_states_last_day_on_screen_in_the_workbook_and_the_memo(tmp_path_factory):
    """Before: 'US-IL, US-PA: nexus from your sales before the move lasts for the 12 months from the collection start
    (the cycle the determination opens)', 'US-FL, US-GA: ... while a period the rule measures meets the test', and no
    day. Now each its day: Illinois's year of collection from 2026-01-01, then a second year (2027) that the 12 months
    to 2026-12-31, met by the sales before the move, open; Pennsylvania's April-to-March cycle that 2026's sales
    decide (2027-04-01 to 2028-03-31); Florida's 2027, which 2026's sales decide; Georgia's 2026 (its 2026 sales to
    the move, USD 98,359.90, do not meet the test). A registration lasting until cancelled keeps its words: no day."""
    ran = bundled_comparison(tmp_path_factory)
    screen = flat(ran.output)
    twelve = "in 12-month cycles from the collection start, renewed while the test is met at each end"
    met = "while a period the rule measures meets the test"
    expected = {"US-IL": f"2027-12-31: {twelve}", "US-PA": f"2028-03-31: {twelve}", "US-FL": f"2027-12-31: {met}",
                "US-GA": f"2026-12-31: {met}"}
    memo = " ".join(re.sub(r"<[^>]+>", " ", ran.file("providers.html").read_text(encoding="utf-8")).split())
    sheet = load_workbook(ran.file("compare.xlsx"))["Tax no longer yours"]
    heads = [c.value for c in next(r for r in sheet.iter_rows() if r[0].value == "Candidate")]
    notes = {r[heads.index("Code")]: r[heads.index("Note")].replace("\n", " ")  # lines end with breaks: dates
             for r in sheet.iter_rows(values_only=True) if r[0] == "Shopkit"}
    for code, until in expected.items():
        said = (f"nexus from your sales before the move lasts until {until}, counting your sales before the move and "
                f"none after; until then you stay liable there")
        assert f"{code}: {said}" in screen and f"{code}: {said}" in memo.replace("&#39;", "'")
        assert notes[code].startswith(said[0].upper() + said[1:])
    assert ("GB, DE, FR: nexus from your sales before the move lasts until the registration is cancelled; until then "
            "you stay liable there") in screen
