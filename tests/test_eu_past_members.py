"""A window of the EU's nexus that the period measured on the as-of date does not reach: its member states' VAT in
every output, as a US state's ended window is. Before, only member states sold to in the period the union's test
measures today had a finding, so a seller past the EUR 10,000 of Art. 59c in 2021, checked as of 2024-06-30 (2023 and
2024 measured, nothing sold), had no 'act now' and no estimate at all.

Worked by hand. A seller established in Germany sells goods to consumers in France and Italy:

    2021-08-10  FR  6,000   EUR 6,000 into other member states in 2021: not past EUR 10,000, German VAT
    2021-10-05  IT  5,000   EUR 11,000: past EUR 10,000, destination VAT from this sale (Art. 59c)
    2021-12-01  FR  2,000
    2022-04-20  FR  3,000   2021 exceeded: destination VAT for the whole of 2022
    2022-09-12  IT  1,500   2022's EUR 4,500 does not exceed it: home VAT again from 2023-01-01

Window 2021-10-05 to 2022-12-31. France 20% of 5,000 = 1,000.00; Italy 22% of 6,500 = 1,430.00; EUR 2,430.00.
France's penalty: 10% of the duties for a late return (CGI art. 1728), 100.00; its interest 2.4% a year (0.20% a
month, CGI art. 1727), monthly returns due on the 20th of the next month, to 2024-06-30: 400 x 2.4% x 892/365 =
23.46 (from 2022-01-20) and 600 x 2.4% x 772/365 = 30.46 (from 2022-05-20), 53.92. Italy's penalties and interest are
not in the data: not estimated, said. Limitation: France 10 years from the end of each tax period's year for a seller
that filed no return (LPF art. L176): 2031-12-31 to 2032-12-31; Italy 7 years from the end of the year the annual
return was due (DPR 633/1972 art. 57): 2029-12-31 to 2030-12-31.
"""
import json
import re
import textwrap

import openpyxl
import pytest
from click.testing import CliRunner

from nexus.cli import cli

ORDERS = """\
    order_id,date,ship_to_country,amount,currency,category
    1,2021-08-10,FR,6000,EUR,goods
    2,2021-10-05,IT,5000,EUR,goods
    3,2021-12-01,FR,2000,EUR,goods
    4,2022-04-20,FR,3000,EUR,goods
    5,2022-09-12,IT,1500,EUR,goods
    """


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("eu-past")
    (folder / "orders.csv").write_text(textwrap.dedent(ORDERS), encoding="utf-8")
    return folder


def run(files, *more, home="DE", as_of="2024-06-30"):
    args = ["check", "--sales", str(files / "orders.csv"), "--home", home, "--as-of", as_of, "--report-currency",
            "EUR", "--db", str(files / "store.sqlite3"), *more]
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def members(report):
    return {f["jurisdiction"]: f for f in report["findings"] if f["part_of"] == "EU"}


def test_the_screen_puts_france_and_italy_in_act_now_with_their_vat(files):
    out = run(files).output
    assert re.search(r"^FR +France \(EU member\) +sales test \(ended\) +2021-10-05 +ended 2022-12-31 +EUR 1,000\.00 "
                     r"+EUR 0\.00$", out, re.M)
    assert re.search(r"^IT +Italy \(EU member\) +sales test \(ended\) +2021-10-05 +ended 2022-12-31 +EUR 1,430\.00 "
                     r"+EUR 0\.00$", out, re.M)
    said = " ".join(out.split())
    assert ("Estimated tax not collected: EUR 2,430.00 (range EUR 2,430.00 to EUR 2,430.00); EUR 2,583.92 with the "
            "penalties and interest that could be estimated; EUR 2,430.00 through voluntary disclosure (the tax alone "
            "in 2 places with no programme terms nexus can apply)") in said


def test_the_json_gives_each_member_its_window_estimate_penalties_interest_and_limitation(files):
    report = json.loads(run(files, "--format", "json").stdout)
    found = members(report)
    assert sorted(found) == ["FR", "IT"]
    fr, it = found["FR"], found["IT"]
    assert (fr["status"], fr["nexus"], fr["sales"]) == ("below", None, "0.00")
    window, = fr["nexus_windows"]
    assert (window["since"], window["collect_from"], window["until"]) == ("2021-10-05", "2021-10-05", "2022-12-31")
    assert fr["reasons"][0] == (
        "Potential exposure: VAT of France was due on sales into France while the EU (union-wide threshold) test "
        "(> EUR 10,000) gave nexus (see its own finding), from 2021-10-05 to 2022-12-31: sales into France of "
        "EUR 5,000.00 then; none in calendar year 2024 to 2024-06-30, the period it measures on the as-of date.")
    e = fr["exposure"]
    assert (e["from"], e["to"], e["taxable_sales"], e["uncollected"]["central"]) == (
        "2021-10-05", "2022-12-31", "5000.00", "1000.00")
    assert [(m["month"], m["tax"]["central"]) for m in e["months"]] == [("2021-12", "400.00"), ("2022-04", "600.00")]
    assert (e["penalty"], e["interest"]) == ("100.00", "53.92")
    assert e["scenarios"]["vda"]["note"] == "not estimated: no voluntary disclosure programme"
    assert (fr["limitation_status"], fr["limitation_first_ends"], fr["limitation_ends"]) == (
        "running", "2031-12-31", "2032-12-31")
    e = it["exposure"]
    assert (e["taxable_sales"], e["uncollected"]["central"]) == ("6500.00", "1430.00")
    assert [(m["month"], m["tax"]["central"]) for m in e["months"]] == [("2021-10", "1100.00"), ("2022-09", "330.00")]
    assert (e["penalty"], e["penalty_note"]) == (None, "not estimated: the data has no penalty figures for IT")
    assert e["interest"] is None and e["interest_note"].startswith("not estimated: interest rates for IT")
    assert (it["limitation_status"], it["limitation_first_ends"], it["limitation_ends"]) == (
        "running", "2029-12-31", "2030-12-31")
    total = report["summary"]["exposure_total"]
    assert (total["tax"]["central"], total["penalty"], total["interest"], total["base"]) == (
        "2430.00", "100.00", "53.92", "2583.92")
    assert report["past_windows"] == []  # Art. 59c is in force: a finding's window, not a lapsed rule's


def test_the_workbook_and_the_memo_show_both_members(files):
    run(files, "--workbook", str(files / "r.xlsx"), "--html", str(files / "m.html"))
    book = openpyxl.load_workbook(files / "r.xlsx")
    summary = [[c for c in row if c is not None] for row in book["Summary"].iter_rows(values_only=True)]
    assert ["Act now: potential exposure in 2 jurisdictions, most urgent first"] in summary
    fr = next(r for r in summary if r and r[0] == "FR")
    assert fr[1:3] + fr[4:] == ["France (union-wide threshold)", "sales test met (ended)", "ended 2022-12-31", 1000]
    exposure = [(r[0], r[2]) for r in book["Exposure"].iter_rows(values_only=True) if r[0] in ("FR", "IT")]
    assert exposure == [("FR", "2021-12"), ("FR", "2022-04"), ("FR", "Total"),
                        ("IT", "2021-10"), ("IT", "2022-09"), ("IT", "Total")]
    memo = " ".join(re.sub(r"<[^>]+>", " ", (files / "m.html").read_text(encoding="utf-8")).split())
    assert "Potential tax exposure in 2 jurisdictions as of 2024-06-30." in memo
    assert ("France (EU member, union-wide threshold) (FR) below nexus ended 2022-12-31 EUR 0.00 0 transactions see EU "
            "2024-01-01 to 2024-06-30 EUR 1,000.00") in memo


def test_checked_while_the_window_was_open_the_members_are_found_as_before(files):
    # As of 2022-06-30 the period measured (2021) holds both members' sales: the findings as they always were.
    found = members(json.loads(run(files, "--format", "json", as_of="2022-06-30").stdout))
    assert (found["FR"]["status"], found["FR"]["nexus"], found["FR"]["sales"]) == ("exceeded", "economic", "8000.00")
    assert found["FR"]["exposure"]["uncollected"]["central"] == "1000.00"
    assert found["IT"]["exposure"]["uncollected"]["central"] == "1100.00"


def test_a_seller_outside_the_eu_is_listed_member_by_member_from_its_first_sale(files):
    # The non-Union scheme has no threshold: each member's VAT from the first sale (2021-08-10), a registration
    # continuing until cancelled (data/registration-timing.json), so the window is still open on 2024-06-30. Before,
    # the EU's line said 'overdue 1024 d' with its estimate 'members' and no member listed: no money at stake at all.
    out = run(files, home="US").output
    assert re.search(r"^FR +France \(EU member\) +sales test +2021-08-10 +overdue 1024 d +EUR 2,200\.00 +EUR 0\.00$",
                     out, re.M)
    assert re.search(r"^IT +Italy \(EU member\) +sales test +2021-08-10 +overdue 1024 d +EUR 1,430\.00 +EUR 0\.00$",
                     out, re.M)
    found = members(json.loads(run(files, "--format", "json", home="US").stdout))
    fr = found["FR"]
    assert (fr["status"], fr["nexus"], fr["action"]) == ("below", "economic", "register-now")
    assert fr["reasons"][1].startswith(
        "VAT of France is due on sales into France while the EU (non-Union OSS / IOSS) test (no threshold: from the "
        "first sale) gives nexus (see its own finding), from 2021-08-10 (open on 2024-06-30): sales into France of "
        "EUR 11,000.00 since;")
    assert fr["exposure"]["uncollected"]["central"] == "2200.00"  # 20% of 6,000 + 2,000 + 3,000


def test_a_seller_outside_the_eu_is_told_what_its_goods_estimate_rests_on(files):
    # The non-Union OSS covers no goods; goods sent from stock in a member state are intra-EU distance sales (the
    # Union OSS, Arts. 369a(2) and 369b), imported ones the Import OSS's up to EUR 150 or taxed at import
    # (data/registration-coverage.json). The orders show neither, and every goods sale is counted: said, once for all
    # members. A seller established in the EU owes its members' VAT on every goods sale: nothing to say.
    said = ("EU (goods, seller established outside the EU): every goods sale into a member state is counted as VAT of "
            "that state owed by the seller, which holds if they were sent to customers from stock in a member state "
            "(intra-EU distance sales, which a seller established outside the EU declares in the Union OSS: Arts. "
            "369a(2) and 369b), which the orders do not show; goods imported from outside the EU are not intra-EU "
            "distance sales: those in consignments up to EUR 150 need the Import OSS (EU-IOSS in the registrations "
            "file), larger ones are taxed at import. For goods that were imported the tax counted here was not owed "
            "this way, and the estimate overstates it (registration-coverage.json).")
    outside = members(json.loads(run(files, "--format", "json", home="US").stdout))
    assert [said in f["exposure"]["assumptions"] for f in outside.values()] == [True, True]
    run(files, "--workbook", str(files / "us.xlsx"), home="US")
    book = openpyxl.load_workbook(files / "us.xlsx")
    rows = [r[:3] for r in book["Assumptions"].iter_rows(values_only=True)]
    assert ("Assumption", "all", said) in rows  # every estimate here: France's and Italy's
    # The Summary's Why, as the screen's 'sales test': nexus from the first sale lasts while the period measured today
    # (2023 to 2024-06-30) holds none (before, blank in the three rows)
    why = {r[0]: r[2] for r in book["Summary"].iter_rows(values_only=True) if r[0] in ("EU", "FR", "IT")}
    assert why == dict.fromkeys(("EU", "FR", "IT"), "sales test met before; nexus lasts")
    inside = members(json.loads(run(files, "--format", "json").stdout))
    assert not [a for f in inside.values() for a in f["exposure"]["assumptions"] if a.startswith("EU (goods")]


def test_a_member_with_presence_and_a_past_window_is_one_finding(files, tmp_path):
    # A warehouse in Lyon from 2023-03-01 made France a place of its own (presence only) before the union's window was
    # dated: one French line carries both, the window's EUR 1,000.00 with it.
    presence = tmp_path / "presence.csv"
    presence.write_text("kind,location,ownership,dedicated,function,since,until,note\n"
                        'warehouse,"Lyon, FR",third-party,yes,storage,2023-03-01,,\n', encoding="utf-8")
    report = json.loads(run(files, "--format", "json", "--presence", str(presence)).stdout)
    fr, = [f for f in report["findings"] if f["jurisdiction"] == "FR"]
    assert (fr["part_of"], fr["nexus"]) == ("EU", "presence")
    assert [(w["basis"], w["since"], w["until"]) for w in fr["nexus_windows"]] == [
        ("economic", "2021-10-05", "2022-12-31"), ("presence", "2023-03-01", None)]
    assert fr["exposure"]["uncollected"]["central"] == "1000.00"
