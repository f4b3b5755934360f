"""nexus provider compare through the CLI: screens, JSON, the workbook opened and read back, errors, exit codes."""
from __future__ import annotations

import json
import os
from decimal import Decimal
import re

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import SAMPLES, SAMPLES_AS_GIVEN
from nexus.cli import cli
from shared_runs import bundled_comparison

HEADER = "order_id,date,country,region,amount,currency,channel,exempt,category\n"
RATES = str(SAMPLES / "eurofxref-hist.csv")


def flat(text):
    """The screen as one line of words, to assert on sentences wherever the width cut them."""
    return re.sub(r"\s*\n\s*", " ", text)


def run(*args):
    return CliRunner().invoke(cli, ["provider", "compare", *args], catch_exceptions=False)


def _words(value):
    """A cell's text as its words: a wrapped cell holding a date ends each line with a break, so that LibreOffice
    never breaks a date at its hyphen (nexus.workbooks.sheet.unbroken)."""
    return value.replace("\n", " ") if isinstance(value, str) else value


def orders(write, *groups):
    """(count, place, amount, channel[, category]) groups, one order a day in 2025 (the year Florida measures)."""
    lines, n = [], 0
    for count, place, amount, channel, *category in groups:
        country, _, region = place.partition("-")
        for i in range(count):
            n += 1
            lines.append(f"B{n},2025-{1 + i // 28:02d}-{1 + i % 28:02d},{country},{region},{amount},USD,{channel},no,"
                         f"{category[0] if category else 'goods'}")
    return write("orders.csv", HEADER + "\n".join(lines) + "\n")


def test_the_bundled_profiles_side_by_side_with_the_workbook(tmp_path_factory):
    # run from the repository (the screen prints the paths it was given, as docs/provider.md's run does), once for
    # this test, test_screens_review.py and the printed memo (shared_runs.py); it asserts the exit code
    result, given = bundled_comparison(tmp_path_factory), SAMPLES_AS_GIVEN
    book = result.file("compare.xlsx")
    out = result.output
    heading = "Verdicts, new nexus first, then the larger net change a year:\n"
    verdicts = flat(out.split(heading)[1].split("\n\n")[0]).strip()
    # Hostwell's stock in Reno creates nexus in Nevada: it comes first though it was given second, and though
    # Shopkit's net change a year is the larger (new nexus is a registration to make whatever the money).
    assert verdicts == ("Hostwell: 1 new nexus (US-NV), est. potential exposure USD 3,382.42 a year, 2 nexus removed "
                        "(EU (non-Union OSS / IOSS), GB), est. USD 25,295.00 a year no longer yours to collect, net "
                        "est. USD 21,912.58 a year less to collect yourself, 6 new accounts, 5 open checklist items "
                        "(3 no, 2 partial) Shopkit: 0 new nexus, 4 nexus removed (US-IL, US-PA, US-FL, US-GA), est. "
                        "USD 53,838.12 a year no longer yours to collect, net est. USD 53,838.12 a year less to "
                        "collect yourself, 4 new accounts, 4 open checklist items (2 partial, 2 unknown)")
    # Shopkit's five places show 12,677.40 + 9,406.81 + 14,260.92 + 8,594.29 + 8,898.70 = 53,838.12, the total (it
    # read 53,838.13, the full figures' sum rounded); Hostwell's, in GBP and EUR, are added up in USD below them
    assert "In USD at the as-of date's rate, each place rounded once: GB 12,067.63 + DE 7,556.90 + FR 5,670.47 = " \
        "USD 25,295.00." in flat(out)
    side = out.split("\n\n")[2].splitlines()
    assert side[0].split() == ["Hostwell", "Shopkit"]
    assert side[2].split()[:4] == ["New", "nexus", "1:", "US-NV"]
    assert "  US-FL   removed   nexus: sales  below            facilitated: the test leaves them out" in out
    assert "  US-OH   same      nexus: sales  nexus: sales     facilitated: still counted; Shopkit collects" in out
    assert max(len(line) for line in out.splitlines()) <= 100
    # Hostwell's '2 removed' are the EU's registration and GB's: Germany's and France's rows go with the EU's and say
    # so (four rows read 'removed' under '2 removed', with no Jurisdiction column to name them members)
    assert [line.split()[:3] for line in out.splitlines() if line.startswith(("  DE  ", "  FR  "))][:2] == [
        ["DE", "removed", "(EU)"], ["FR", "removed", "(EU)"]]

    wb = load_workbook(book)
    assert wb.sheetnames == ["Summary", "Presence delta", "Nexus delta", "Potential exposure", "Tax no longer yours",
                             "Currencies", "Accounts", "Checklist", "Sources"]
    summary = [[c.value for c in row] for row in wb["Summary"].iter_rows()]
    assert summary[0] == ["As of 2026-10-31", "Hostwell", "Shopkit"]
    # Nevada's note is the estimate's assumptions, each a sentence ('... no row of the data gives it.; No tax charged
    # is in the orders' before)
    nevada = next(row for row in wb["Potential exposure"].iter_rows(values_only=True) if row[1] == "US-NV")
    assert "gives it. No tax charged is in the orders" in nevada[9] and ".;" not in nevada[9]
    # the Total row is the sum of the rows above it, low, central and high, as a controller foots the column
    gone = wb["Tax no longer yours"]
    header = [c.value for c in next(r for r in gone.iter_rows() if r[0].value == "Candidate")]
    shopkit = [dict(zip(header, r)) for r in gone.iter_rows(values_only=True) if r[0] == "Shopkit"]
    for level in ("low", "central", "high"):
        column = f"Est. a year, {level}"
        placed = sum(Decimal(str(r[column])) for r in shopkit if r["Code"].startswith("US-"))
        assert Decimal(str(next(r for r in shopkit if r["Code"] == "Total")[column])) == placed
    assert placed == Decimal("63881.61") and "GB 12,067.63 + DE 7,556.90 + FR 5,670.47 = USD 25,295.00" in next(
        r for r in gone.iter_rows(values_only=True) if r[:2] == ("Hostwell", "Total"))[header.index("Note")].replace(
        "\n", " ")  # a cell holding a date ends its lines with breaks (nexus.workbooks.sheet.unbroken)
    # every page's footer dates the comparison as the check's workbook does (it said 'written' and today's date)
    assert {wb[name].oddFooter.right.text for name in wb.sheetnames} == {"as of 2026-10-31"}
    assert summary[1][0] == "Verdict" and summary[1][1].startswith("Hostwell: 1 new nexus (US-NV)")
    assert ["New nexus", "1: US-NV", "0: none"] in summary
    nexus = wb["Nexus delta"]
    # its note first: the sales are each test's, in the period it measures, not the estimates' last 12 months
    assert nexus["A1"].value.startswith("Sales today and under the candidate: what each jurisdiction's test counts")
    header = [c.value for c in next(r for r in nexus.iter_rows() if r[0].value == "Candidate")]
    fl = next(r for r in nexus.iter_rows(min_row=2) if r[0].value == "Shopkit" and r[1].value == "US-FL")
    cells = dict(zip(header, fl))
    assert (cells["Change"].value, cells["Status today"].value, cells["Status under candidate"].value) == (
        "nexus-removed", "exceeded", "below")
    assert cells["Sales today"].number_format.startswith('#,##0.00 "USD"')
    assert str(cells["Sales today"].value) == "196172.66"
    # a wrapped cell holding a date ends its lines with breaks (nexus.workbooks.sheet.unbroken): read as words
    presence = [[_words(c.value) for c in row] for row in wb["Presence delta"].iter_rows(min_row=2)]
    assert ["Hostwell", "US-NV", "Nevada", "creates", "none", "creates", "below", "added", "third-party-inventory",
            "Reno, US-NV", "creates"] == presence[0][:11]
    # The CDN reason is written out once per candidate; Hostwell's cache in Phoenix comes first, the others point
    # to it and keep their own source; Iowa and Ohio have rules of their own (Massachusetts' ended in 2019), and
    # Leesburg (fastly:LEE), whose state the list does not know, says so first.
    cdn = [r for r in presence if r[8] == "cdn" and r[3] == "review" and r[0] == "Hostwell"]
    assert [r[11] for r in cdn].count("The same reason as for US-AZ (fastly:PHX) above.") == len(cdn) - 3
    assert [r[11][:16] for r in cdn if r[1] == "US"] == ["State not known:"]
    assert cdn[0][11].startswith("Review: No general rule: some states counted CDN contracts")
    assert all(r[12] for r in cdn)
    # Bhutan has no finding today and only a safe-harbour cache under Shopkit: no nexus, no sales either way. Such
    # places are one row per candidate, with their codes, and no row of their own.
    rows = [[_words(c.value) for c in row] for row in nexus.iter_rows(min_row=2)]
    assert not [r for r in rows if r[1] == "BT"]
    quiet = [r for r in rows if r[0] == "Shopkit" and r[1] and r[1].endswith(" places")]
    assert quiet[0][2:4] == ["no nexus, no sales", "unchanged"]
    [said] = [r[10] for r in quiet]  # one row, its sentence wrapped in its cell
    assert said.startswith("No nexus and no sales today or under Shopkit: ") and " BT, " in said
    assert "CH (services, worldwide turnover), CI" in said
    checklist = [[_words(c.value) for c in row] for row in wb["Checklist"].iter_rows(min_row=2)]
    assert ["Hostwell", "export", "refunds_as_rows", "no"] == checklist[[r[2] for r in checklist].index(
        "refunds_as_rows")][:4]
    accounts = [[_words(c.value) for c in row] for row in wb["Accounts"].iter_rows(min_row=2)]
    assert ["Hostwell", "2330", "Sales tax payable - Nevada (US-NV)", "Current liability", "USD"] in [
        r[:5] for r in accounts]
    # Every sheet prints in one column group, each reason wrapped in its cell beside its figures: printed in
    # page-wide groups, a place's figures and its reason were pages apart, and each line of the reason was a row
    # printed empty but for the candidate and code on the figures' pages (52 A4 pages). The links and the
    # profile's lines stay in the workbook, after the printed columns; the Sources sheet prints every address.
    areas = {ws.title: re.findall(r"\$([A-Z]+)\$\d+:\$([A-Z]+)\$", ws.print_area) for ws in wb.worksheets}
    assert areas == {"Summary": [("A", "C")], "Presence delta": [("A", "L")], "Nexus delta": [("A", "K")],
                     "Potential exposure": [("A", "J")], "Tax no longer yours": [("A", "J")],
                     "Currencies": [("A", "K")], "Accounts": [("A", "H")], "Checklist": [("A", "G")],
                     "Sources": [("A", "B")]}
    assert all(wb[name].print_title_cols is None for name in areas)
    assert [r[1] for r in nexus.iter_rows(min_row=2)].count(fl[1]) == 1  # Florida's Why is in its own row's cell
    assert _words(fl[10].value).startswith("Shopkit facilitates the direct sales into Florida")
    assert fl[10].alignment.wrap_text
    sources = [r[1].value for r in wb["Sources"].iter_rows(min_row=2)]
    assert str(given / "provider-hostwell.yaml") in sources and "data/provider-checklist.json" in sources


def test_a_facilitator_turns_exceeded_into_below_where_the_state_excludes_facilitated_sales(write):
    sales = orders(write, (110, "US-FL", "1000.00", "direct"), (110, "US-OH", "1000.00", "direct"),
                   (3, "US-WY", "10.00", "direct"))
    shopkit = write("shopkit.yaml", """
        name: Shopkit
        currencies: [USD]
        role:
          marketplace_facilitator: [US-FL, US-OH]
    """)
    result = run(shopkit, "--sales", sales, "--as-of", "2026-10-31", "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert set(document) == {"schema", "tool", "as_of", "home", "today", "warnings", "candidates"}
    candidate = document["candidates"][0]
    assert set(candidate) == {"name", "profile", "description", "verdict", "counts", "roles", "shifts", "channels",
                              "replaces", "replaced", "presence_delta", "nexus_delta", "potential_exposure",
                              "tax_no_longer_collected", "net_change_a_year", "stock_registrations", "currencies",
                              "accounts", "checklist", "warnings"}
    rows = {r["jurisdiction"]: r for r in candidate["nexus_delta"]}
    assert rows["US-FL"]["change"] == "nexus-removed"
    assert rows["US-FL"]["today"] == {"status": "exceeded", "nexus": "economic", "sales": "110000.00",
                                      "currency": "USD", "transactions": 110, "ratio": "1.1000",
                                      "presence_verdict": None}
    assert (rows["US-FL"]["under_provider"]["status"], rows["US-FL"]["under_provider"]["sales"]) == ("below", "0.00")
    assert (rows["US-OH"]["change"], rows["US-OH"]["under_provider"]["status"]) == ("unchanged", "exceeded")
    assert rows["US-WY"]["change"] == "unchanged" and rows["US-WY"]["why"] == []
    assert candidate["shifts"] == [
        {"jurisdiction": "US-FL", "role": "marketplace-facilitator", "currency": "USD", "amount": "110000.00",
         "transactions": 110},
        {"jurisdiction": "US-OH", "role": "marketplace-facilitator", "currency": "USD", "amount": "110000.00",
         "transactions": 110}]
    assert candidate["counts"]["nexus_removed"] == 1 and candidate["counts"]["new_accounts"] is None
    assert document["today"]["nexus"] == ["US-FL", "US-OH"]


def test_a_merchant_of_record_abroad_removes_the_uk_registration_it_made(write):
    sales = write("orders.csv", HEADER + "".join(f"G{i},2026-03-{i:02d},GB,,40.00,GBP,direct,no,goods\n"
                                                 for i in range(1, 11)))
    hostwell = write("hostwell.yaml", "name: Hostwell\ncurrencies: [USD, GBP]\nrole: {merchant_of_record: [GB]}\n")
    result = run(hostwell, "--sales", sales, "--as-of", "2026-10-31", "--home", "US-CA")
    assert result.exit_code == 0, result.output
    assert "Hostwell: 0 new nexus, 1 nexus removed (GB)," in result.output
    # No sales into the UK remain the seller's, so no finding is left there.
    gb = "  GB      removed   nexus: sales  no sales          merchant of record: Hostwell's sales now"
    assert gb in result.output


def test_a_currency_list_from_a_local_server_adds_krw_and_jpy(write, httpserver):
    listed = {"data": [{"code": "USD"}, {"code": "KRW"}, {"code": "JPY"}]}
    httpserver.expect_request("/v1/currencies").respond_with_json(listed)
    sales = orders(write, (5, "US-CA", "100.00", "direct"))
    seoulful = write("seoulful.yaml", f"name: Seoulful\ncurrencies: {httpserver.url_for('/v1/currencies')}\n"
                                      f"settlement_currency: USD\n")
    result = run(seoulful, "--sales", sales, "--as-of", "2026-10-31", "--rates", RATES)
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert ("+ KRW Won: 0 decimals, ECB rate; opens no country you sell to; check the chart has a KRW bank account and "
            "a KRW clearing account (give --coa); KRW has no minor unit.") in out
    assert ("KR: No sales into South Korea in the orders read: the currency alone opens nothing (South Korea VAT: "
            "registration from the first sale of digital goods and SaaS, not goods or services).") in out
    assert ("+ JPY Yen: 0 decimals, ECB rate; opens no country you sell to; check the chart has a JPY bank account and "
            "a JPY clearing account (give --coa); JPY has no minor unit.") in out
    json_out = json.loads(run(seoulful, "--sales", sales, "--as-of", "2026-10-31", "--rates", RATES, "--format",
                              "json").output)
    added = {a["code"]: a for a in json_out["candidates"][0]["currencies"]["added"]}
    assert added["JPY"]["minor_units"] == 0 and added["JPY"]["accountant_example"] == "1,235 JPY"
    korea = next(c for c in added["KRW"]["countries"] if c["code"] == "KR")
    assert korea["rule"]["categories"] == ["digital", "saas"] and korea["sells_there"] is False
    assert korea["opens"] is False


def test_a_checklist_with_unknown_answers_on_screen(write):
    vague = write("vague.yaml", """
        name: Vague
        currencies: [USD]
        export:
          order_id: unknown
          refunds_as_rows: {answer: no, note: only in payouts, reference: "Agreement, clause 9"}
    """)
    result = run(vague, "--as-of", "2026-10-31")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "Vague: 0 new nexus, 0 nexus removed, accounts not assessed (no --coa), 11 open checklist items (10" in out
    assert ("(line items and refunds included)? Unknown, so read as no until the provider answers: duplicates "
            "cannot be found:" in out)
    assert "with the original order id? No: Thresholds are measured on gross sales:" in out
    document = json.loads(run(vague, "--as-of", "2026-10-31", "--format", "json").output)
    lines = {c["key"]: c for c in document["candidates"][0]["checklist"]}
    assert (lines["refunds_as_rows"]["reference"], lines["refunds_as_rows"]["line"]) == ("Agreement, clause 9", 5)
    assert (lines["currency"]["given"], lines["currency"]["note"]) == (False, "not answered in the profile")


@pytest.mark.parametrize("name, text, message", [
    ("bad-region.yaml", "name: X\ncurrencies: [USD]\nhosting:\n  cloud: aws\n  regions: [us-west-2, us-west-9]\n",
     "bad-region.yaml:5: hosting.regions[2] 'us-west-9': is not a known aws region or point of presence; close "
     "matches: aws:us-west-2, aws:us-west-1, aws:us-east-2"),
    ("bad-cdn.json", '{"name": "X",\n "currencies": ["USD"],\n "cdn": ["edgecast"]}\n',
     "bad-cdn.json:3: cdn[1] 'edgecast': is not a CDN nexus knows (cloudflare, fastly, cloudfront, akamai); give "
     "its points of presence as places in the presence file instead"),
    ("bad-answer.yaml", "name: X\ncurrencies: [USD]\nexport:\n  tax_charged: sometimes\n",
     "bad-answer.yaml:4: export.tax_charged 'sometimes': is not an answer (yes, no, partial, unknown)"),
])
def test_a_bad_profile_stops_with_one_line_and_exit_code_2(write, name, text, message):
    path = write(name, text)
    result = CliRunner().invoke(cli, ["provider", "compare", path, "--as-of", "2026-10-31"])
    assert result.exit_code == 2
    assert result.output == f"Error: {path[:-len(name)]}{message}\n"


def test_an_order_export_given_as_the_profile_is_not_printed_whole(write):
    """'nexus provider compare orders.csv' (the export named where the profile goes) read the CSV as one YAML string
    and printed all of it on the error's line: a 5 MB export, 5 MB of terminal. The error quotes its start."""
    rows = "".join(f"SG-{n},2026-01-02,US,CO,100.00,USD\n" for n in range(2000))
    path = write("orders.csv", "order_id,date,country,region,amount,currency\n" + rows)
    result = CliRunner().invoke(cli, ["provider", "compare", path, "--as-of", "2026-10-31"])
    assert result.exit_code == 2
    assert result.output == (f"Error: {path}:1: the profile 'order_id,date,country,region,amount,currency SG-0,"
                             f"2026-01-02'... (70,934 characters): should hold keys (name, description, "
                             f"hosting, cdn, pops, stock, currencies, settlement_currency, role, channels, replaces, "
                             f"export, integration)\n")


def test_fail_on_new_nexus_is_a_go_no_go_gate(write):
    sales = orders(write, (3, "US-NV", "10.00", "direct"))
    stock = write("stock.yaml", "name: Stocky\ncurrencies: [USD]\nstock: ['Reno, US-NV']\n")
    plain = write("plain.yaml", "name: Plain\ncurrencies: [USD]\n")
    assert run(stock, "--sales", sales, "--as-of", "2026-10-31", "--fail-on", "new-nexus").exit_code == 1
    assert run(plain, "--sales", sales, "--as-of", "2026-10-31", "--fail-on", "new-nexus").exit_code == 0
    assert run(stock, "--sales", sales, "--as-of", "2026-10-31").exit_code == 0  # no gate asked for


def test_outputs_never_overwrite_inputs_and_a_workbook_never_goes_to_standard_output(write):
    plain = write("plain.yaml", "name: Plain\ncurrencies: [USD]\n")
    result = CliRunner().invoke(cli, ["provider", "compare", plain, "--workbook", plain])
    assert result.exit_code == 2 and "PROFILE" in result.output and "plain.yaml" in result.output
    result = CliRunner().invoke(cli, ["provider", "compare", plain, "--workbook", "-"])
    assert result.exit_code == 2 and "a workbook cannot be written to standard output" in result.output


def test_hostile_text_in_a_profile_stays_text(write, tmp_path):
    hostile = write("hostile.yaml", """
        name: "=HYPERLINK(\\"http://evil.example\\",\\"Shop\\")"
        description: 注文番号 ｶﾀｶﾅ 订单
        currencies: [USD]
        export:
          order_id: {answer: partial, note: "=1+2", reference: "@SUM(A1)"}
    """)
    book = tmp_path / "hostile.xlsx"
    result = run(hostile, "--as-of", "2026-10-31", "--workbook", str(book), "--format", "json")
    assert result.exit_code == 0, result.output
    candidate = json.loads(result.output)["candidates"][0]
    assert candidate["name"] == '=HYPERLINK("http://evil.example","Shop")'
    assert candidate["description"] == "注文番号 ｶﾀｶﾅ 订单"
    wb = load_workbook(book)
    header = wb["Summary"][1]
    assert header[1].value == '=HYPERLINK("http://evil.example","Shop")' and header[1].data_type == "s"
    note = next(r for r in wb["Checklist"].iter_rows(min_row=2) if r[2].value == "order_id")
    assert (note[5].value, note[5].data_type, note[7].value, note[7].data_type) == ("=1+2", "s", "@SUM(A1)", "s")


def test_registrations_held_are_read_and_a_registered_place_needs_no_accrual(write):
    sales = orders(write, (110, "US-OH", "1000.00", "direct"))
    held = write("registrations.csv", "jurisdiction,registered_on,collecting_from,id\nUS-OH,2024-01-01,2024-01-01,"
                                      "OH-123456789\n")
    plain = write("plain.yaml", "name: Plain\ncurrencies: [USD]\n")
    coa = str(SAMPLES / "chart-of-accounts.csv")
    document = json.loads(run(plain, "--sales", sales, "--registrations", held, "--coa", coa, "--as-of", "2026-10-31",
                              "--format", "json").output)
    assert document["today"]["registrations"][0]["jurisdiction"] == "US-OH"
    assert document["today"]["registrations"][0]["id"] == "...6789"  # masked, as everywhere
    names = [a["name"] for a in document["candidates"][0]["accounts"]]
    assert "Sales tax payable - Ohio (US-OH)" in names
    assert "Accrued sales tax exposure - Ohio (US-OH)" not in names  # registered and collecting: nothing to accrue
    unregistered = json.loads(run(plain, "--sales", sales, "--coa", coa, "--as-of", "2026-10-31", "--format",
                                  "json").output)
    assert "Accrued sales tax exposure - Ohio (US-OH)" in [a["name"] for a in unregistered["candidates"][0]["accounts"]]


def test_a_profiles_stock_in_a_us_city_with_its_state_abbreviation_is_not_placed_abroad(write):
    """stock: ["Los Angeles, CA"] was held in Canada (CA), the state's abbreviation read as a country's code."""
    profile = write("p.yaml", 'name: X\nhosting:\n  cloud: aws\n  regions: [us-east-1]\n'
                              'stock: ["Los Angeles, CA"]\ncurrencies: [USD]\n')
    result = CliRunner().invoke(cli, ["provider", "compare", profile, "--as-of", "2026-11-27"])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {profile}:5: stock[1] 'Los Angeles, CA': reads as Canada (CA)")
    assert "write 'Los Angeles, US-CA'" in result.stderr


def test_an_output_never_replaces_a_profiles_currency_list(tmp_path):
    """--workbook naming the file a profile reads its currencies from replaced it with the workbook (exit 0)."""
    import shutil

    for name in ("provider-shopkit.yaml", "provider-currencies-2026-q4.txt"):
        shutil.copy(SAMPLES / name, tmp_path / name)
    listed = tmp_path / "provider-currencies-2026-q4.txt"
    before = listed.read_bytes()
    result = CliRunner().invoke(cli, ["provider", "compare", str(tmp_path / "provider-shopkit.yaml"),
                                      "--as-of", "2026-10-31", "--workbook", str(listed),
                                      "--db", str(tmp_path / "store.sqlite3")])
    assert result.exit_code == 2 and "is the file read as" in result.stderr and "currencies" in result.stderr
    assert listed.read_bytes() == before


def test_a_home_test_counting_sales_abroad_still_counts_the_exports_a_merchant_of_record_buys(write):
    """Before: with --home JP, Hostwell's merchant-of-record role in GB took the exports out of Japan's registration
    test: 'JP  sales  home  home  sales abroad now Hostwell's', JPY 50,000 counted today and JPY 30,000 under
    Hostwell, 'they become its sales, not yours'. A merchant of record buys from the seller (the bundled profile:
    'sells to the customers itself ... and buys from the seller'): the seller's sale to it is still its own, an
    export Japan's taxable sales count (art. 9(2), exports included). Japan's test counts JPY 50,000 both ways
    (JPY 30,000 at home, GBP 100.00 of exports at 200 JPY to the pound), and the row says why."""
    rates = write("rates.csv", "Date,USD,JPY,GBP\n2025-03-03,1.0,200,1.0\n2026-03-02,1.0,200,1.0\n")
    sales = write("orders.csv", HEADER + "J1,2025-03-03,JP,,30000,JPY,direct,no,goods\n"
                  "G1,2025-03-03,GB,,100.00,GBP,direct,no,goods\n")
    hostwell = write("hostwell.yaml", "name: Hostwell\ncurrencies: [JPY, GBP]\nrole: {merchant_of_record: [GB]}\n")
    args = [hostwell, "--sales", sales, "--rates", rates, "--as-of", "2026-03-03", "--home", "JP"]
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    jp = next(r for r in json.loads(result.output)["candidates"][0]["nexus_delta"] if r["jurisdiction"] == "JP")
    assert (jp["change"], jp["today"]["sales"], jp["under_provider"]["sales"]) == ("unchanged", "50000", "50000")
    assert jp["why"] == ["Japan's test counts your sales abroad; Hostwell would be merchant of record for those "
                         "into GB, buying from you: they stay your sales, to it, and the test counts them as today "
                         "(at the orders' prices: the price Hostwell pays you is for the contract to say)."]
    screen = run(*args).output
    assert any(line.split()[:2] == ["JP", "same"] and line.endswith("exports sold to Hostwell: still counted")
               for line in screen.splitlines())


def test_a_merchant_of_record_at_home_leaves_the_homes_sales_and_tax_the_sellers(write):
    """Before: with --home GB and a candidate merchant of record in GB, the seller's GBP 100,000.00 sold at home on
    2026-01-10 left the UK's own test ('GB  sales  home  home  merchant of record: Plain's sales now', counted GBP
    100,000.00 today, GBP 0.00 under the candidate: 'they become its sales, not yours'), as if a UK business's VAT
    at home went with them. The merchant of record buys from the seller: a supply in the UK, VAT on it the seller's,
    counted in its taxable turnover. The test counts GBP 100,000.00 both ways (over GBP 90,000 in the 12 months to
    2026-01-31), the home's estimate stays, and the row says so."""
    rates = write("rates.csv", "Date,USD,GBP\n2026-01-09,1.0,1.0\n2026-06-29,1.0,1.0\n")
    sales = write("orders.csv", HEADER + "G1,2026-01-10,GB,,100000.00,GBP,direct,no,goods\n")
    plain = write("plain.yaml", "name: Plain\ncurrencies: [GBP]\nrole: {merchant_of_record: [GB]}\n")
    args = [plain, "--sales", sales, "--rates", rates, "--as-of", "2026-06-30", "--home", "GB"]
    result = run(*args, "--format", "json")
    assert result.exit_code == 0, result.output
    gb = next(r for r in json.loads(result.output)["candidates"][0]["nexus_delta"] if r["jurisdiction"] == "GB")
    assert (gb["change"], gb["today"]["sales"], gb["under_provider"]["sales"]) == ("unchanged", "100000.00",
                                                                                    "100000.00")
    assert gb["under_provider"]["nexus"] == "establishment"
    assert gb["why"] == ["Plain would be merchant of record for your direct sales to customers in the United "
                         "Kingdom, your home: it sells to them and buys from you, so your sales to it stay your own "
                         "supplies there, VAT on them is still yours to charge and account for, and the United "
                         "Kingdom's test counts them as today (at the orders' prices: the price Plain pays you is "
                         "for the contract to say)."]
    screen = run(*args).output
    assert any(line.split()[0:1] == ["GB"] and " same " in line and line.endswith("at home: sold to Plain, still yours")
               for line in screen.splitlines())


def _uk_home_row(write, name: str, role: str, *more: str) -> dict:
    """The GB row of a comparison for a seller established in the UK (--home GB) with GBP 100,000.00 of goods sold
    at home on 2026-01-10 and ``more`` order lines, under a candidate named ``name`` with ``role`` in GB."""
    rates = write("rates.csv", "Date,USD,GBP\n2026-01-09,1.0,1.0\n2026-06-29,1.0,1.0\n")
    sales = write("orders.csv", HEADER + "G1,2026-01-10,GB,,100000.00,GBP,direct,no,goods\n" + "".join(more))
    profile = write("candidate.yaml", f"name: {name}\ncurrencies: [GBP]\nrole: {{{role}: [GB]}}\n")
    result = run(profile, "--sales", sales, "--rates", rates, "--as-of", "2026-06-30", "--home", "GB", "--format",
                 "json")
    assert result.exit_code == 0, result.output
    return next(r for r in json.loads(result.output)["candidates"][0]["nexus_delta"] if r["jurisdiction"] == "GB")


def test_a_merchant_of_record_at_home_says_digital_sales_to_it_stay_home_only_if_it_is_established_there(write):
    """With digital products among the sales at home, 'your sales to it stay your own supplies there' held for the
    goods alone: an e-book sold to a merchant of record established abroad is a supply to a business abroad, made
    where it belongs (VAT Act 1994 s. 7A), outside the UK's test and tax; the profile does not say where it is. The
    reason now says so; with goods alone it does not (the test above)."""
    gb = _uk_home_row(write, "Plain", "merchant_of_record", "D1,2026-01-11,GB,,500.00,GBP,direct,no,digital\n")
    assert gb["why"][0].endswith(
        "Your digital products and services sold to it stay supplies in the United Kingdom only if Plain is "
        "established there: to a business established abroad they are supplied where it belongs, and would leave "
        "the test and the tax (the profile does not say where it is established).")


def test_a_marketplace_facilitator_at_home_leaves_the_homes_tax_on_goods_the_sellers(write):
    """With --home GB and a candidate facilitating sales in the UK, the row said it 'collects the tax on them', as a
    US facilitator does; in the UK a marketplace is the deemed supplier of goods only for overseas sellers (VAT Act
    1994 s. 5A; the UK rows' notes), so a UK seller's VAT on its goods stays its own; the platform supplies the
    digital products and SaaS sold through it (the rule's marketplace_deemed). GBP 100,000 of goods still count."""
    gb = _uk_home_row(write, "Mall", "marketplace_facilitator")
    assert gb["why"][0].startswith(
        "Mall facilitates your direct sales in the United Kingdom, your home: the tax on them stays yours to charge (a "
        "marketplace is the supplier of goods only for sellers established abroad), but for the digital and saas it "
        "sells, whose supplier it is taken to be; the United Kingdom's test counts them as today")
    assert "collects the tax" not in " ".join(gb["why"])


def test_three_candidates_side_by_side_fit_the_screen(write, tmp_path, monkeypatch):
    """Before: three candidates made the side-by-side table 107 columns wide on a 100-column screen (117 with the
    bundled two and a third), so the terminal wrapped every row and no column lined up. As many candidates as fit
    go in one table, the rest in the tables below it, each row still labelled. The files are named as a user in
    their folder names them: a path cannot be cut, and pytest's folders grow longer run after run."""
    monkeypatch.chdir(tmp_path)
    sales = os.path.basename(orders(write, (3, "US-FL", "10.00", "direct")))
    role = "role:\n  marketplace_facilitator: [US-FL, US-GA, US-IL, US-PA]\n"
    names = [os.path.basename(write(f"{name.split()[0]}.yaml", f"name: {name}\ncurrencies: [USD]\n{role}"))
             for name in ("Alpha Commerce", "Beta Commerce", "Gamma Commerce")]
    result = run(*names, "--sales", sales, "--as-of", "2026-10-31")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(len(line) for line in lines) <= 100
    heads = [line.split("  ") for line in lines if line.startswith(" " * 25) and "Commerce" in line]
    assert [[w.strip() for w in head if w.strip()] for head in heads] == [
        ["Alpha Commerce", "Beta Commerce"], ["Gamma Commerce"]]
    facilitator = [line for line in lines if line.startswith("Marketplace facilitator")]
    assert facilitator == ["Marketplace facilitator  US-FL, US-GA, US-IL, US-PA  US-FL, US-GA, US-IL, US-PA",
                           "Marketplace facilitator  US-FL, US-GA, US-IL, US-PA"]


def test_one_place_to_review_reads_one_place_side_by_side(write):
    """A cloud region in one state to review: the side-by-side table read 'Presence: review  1 places'."""
    iowa = write("iowa.yaml", "name: Iowa\nhosting: {cloud: gcp, regions: [us-central1]}\ncurrencies: [USD]\n")
    lines = run(iowa, "--as-of", "2026-10-31").output.splitlines()
    assert [line.split("  ")[-1].strip() for line in lines if line.startswith("Presence: review")] == ["1 place"]


def test_the_first_line_counts_rows_of_orders_not_orders(write):
    """Before: two orders and a refund of one of them read 'today: 3 orders' (the rows used, refunds and line items
    included; the bundled sample's 29,478 rows were '29,478 orders'), where the memo says '3 rows used'."""
    sales = write("orders.csv", "order_id,date,country,region,amount,currency,type\n"
                                "A1,2026-01-05,US,FL,100.00,USD,sale\nA2,2026-01-06,US,FL,50.00,USD,sale\n"
                                "A1,2026-01-07,US,FL,-100.00,USD,refund\n")
    shopkit = write("shopkit.yaml", "name: Shopkit\ncurrencies: [USD]\n")
    first = flat(run(shopkit, "--sales", sales, "--as-of", "2026-03-31").output.split("\n\n")[0])
    assert first == ("Provider compare as of 2026-03-31; no --home: a seller established elsewhere; today: 3 rows of "
                     "orders used (2026-01-05 to 2026-01-07)")


def test_points_of_presence_without_a_state_are_not_listed_as_a_state_called_us(write):
    """Before: Fastly's Gainesville and Leesburg caches, which the bundled list places in the US without a state
    (data/cdn-pops.csv), ended the list of states to review as '..., US-WA, US.', as if 'US' were a state."""
    fastly = write("fastly.yaml", "name: Edge\ncurrencies: [USD]\ncdn: [fastly]\n")
    out = flat(run(fastly, "--as-of", "2026-10-31").output)
    listed = out.split("Review with an adviser (no clear rule for the provider's items there): ")[1].split(".")[0]
    assert listed.endswith(", US (state not known)") and ", US," not in listed + ","


def test_a_comparison_as_of_a_day_after_today_says_so_as_the_check_does(write):
    """Before: 'nexus check --as-of 2099-01-01' warned that the day had not come; 'provider compare' with the same
    date said nothing."""
    shopkit = write("shopkit.yaml", "name: Shopkit\ncurrencies: [USD]\n")
    warnings = json.loads(run(shopkit, "--as-of", "2099-01-01", "--format", "json").stdout)["warnings"]
    assert warnings[0].startswith("the as-of date 2099-01-01 is after today (")


NEVADA = HEADER + "\n".join(
    ["W0,2025-01-10,US,NV,9999.00,USD,direct,no,goods"]  # the orders cover the whole year; this one is older
    + [f"W{m},{2025 + (m + 9) // 12}-{(m + 9) % 12 + 1:02d}-15,US,NV,1000.05,USD,direct,no,goods" for m in range(1, 13)]
    + ["D1,2026-03-01,US,NV,500.00,USD,direct,no,digital"]) + "\n"


def test_the_tax_a_year_a_warehouse_brings_on_screen_in_json_and_in_the_workbook(write, tmp_path, monkeypatch):
    """Before: a CFO saw 'Warehouse: 1 new nexus (US-NV)' and no money. Twelve monthly sales of USD 1,000.05 of
    goods into Nevada in the twelve months to 2026-10-31 (12,000.60 taxable; 500.00 of digital goods, untaxed
    there): 12,000.60 x (6.85% state + 1.39% average local) = 988.84944, shown 988.85; the range runs from the state
    rate alone (822.0411) to the highest combined 8.375% (1,005.05025)."""
    monkeypatch.chdir(tmp_path)  # the files named as in the user's folder: a path cannot be cut to the screen
    sales = os.path.basename(write("orders.csv", NEVADA))
    profile = 'name: Warehouse\nstock: ["Reno, US-NV"]\ncurrencies: [USD]\n'
    warehouse = os.path.basename(write("warehouse.yaml", profile))
    book = tmp_path / "compare.xlsx"
    result = run(warehouse, "--sales", sales, "--as-of", "2026-10-31", "--workbook", str(book))
    assert result.exit_code == 0, result.output
    out = result.output
    assert max(len(line) for line in out.splitlines()) <= 100
    assert "Warehouse: 1 new nexus (US-NV), est. potential exposure USD 988.85 a year, 0 nexus removed" in flat(out)
    assert [line for line in out.splitlines() if line.startswith("Potential exposure/yr")] == [
        "Potential exposure/yr    est. USD 988.85"]
    assert ("Potential exposure from new nexus: est. USD 988.85 a year (range USD 822.04 to USD 1,005.05), the tax "
            "due on your taxable sales there at the pace of your sales from 2025-11-01 to 2026-10-31, at each day's "
            "rates; owed if not collected. Estimates to review, not returns (docs/provider.md).") in flat(out)
    row = next(line for line in out.splitlines() if line.startswith("  US-NV   stock"))
    assert [cell.strip() for cell in row.split("  ") if cell.strip()][-3:] == [
        "USD 12,500.60", "USD 12,000.60", "USD 988.85"]

    document = json.loads(run(warehouse, "--sales", sales, "--as-of", "2026-10-31", "--format", "json").output)
    money = document["candidates"][0]["potential_exposure"]
    assert (money["estimated"], money["currency"], money["start"], money["end"]) == (
        True, "USD", "2025-11-01", "2026-10-31")
    assert money["total_a_year"] == {"low": "822.04", "central": "988.85", "high": "1005.05"}
    [nevada] = money["places"]
    assert (nevada["jurisdiction"], nevada["sales"], nevada["taxable_sales"], nevada["tax_a_year"]["central"]) == (
        "US-NV", "12500.60", "12000.60", "988.85")

    wb = load_workbook(book)
    assert ["Potential exposure a year", "est. USD 988.85"] in [[c.value for c in r] for r in wb["Summary"].iter_rows()]
    sheet = wb["Potential exposure"]
    header = [c.value for c in sheet[2]]
    rows = [dict(zip(header, [c.value for c in r])) for r in sheet.iter_rows(min_row=3)]
    nv = next(r for r in rows if r["Code"] == "US-NV")
    total = next(r for r in rows if r["Code"] == "Total")
    assert (nv["Sales in those days"], nv["Taxable sales in those days"], nv["Est. tax a year, central"]) == (
        12500.60, 12000.60, 988.85)
    assert (total["Est. tax a year, low"], total["Est. tax a year, central"], total["Est. tax a year, high"]) == (
        822.04, 988.85, 1005.05)


def test_the_potential_exposure_table_fits_an_80_column_terminal(write, monkeypatch):
    """Before: on an 80-column terminal the per-place table of the new nexus's potential exposure stayed 96 wide
    (its reason was cut no shorter than 40 and only the jurisdiction's name could go), while the tax-no-longer-yours
    table below it narrowed. At 80 the name goes, then the sales (the tax is on the taxable sales, still shown), then
    the reason is cut as far as the table needs: Code 6 + Why 36 + Taxable 13 + Est. tax a year 17, three gaps of 2,
    = 78, indented 2. At 100 columns it is as it was."""
    from nexus.cli import provider as command
    sales = write("orders.csv", NEVADA)
    warehouse = write("warehouse.yaml", 'name: Warehouse\nstock: ["Reno, US-NV"]\ncurrencies: [USD]\n')
    screens = {}
    for width in (100, 80):
        monkeypatch.setattr(command, "screen_width", lambda: width)
        screens[width] = run(warehouse, "--sales", sales, "--as-of", "2026-10-31").output
        # the profile's path (here the test's long temporary folder) is kept whole, to be copied
        assert max(len(line) for line in screens[width].splitlines() if warehouse not in line) <= width
    wide = [line for line in screens[100].splitlines() if line.startswith("  US-NV   stock")]
    assert wide == ["  US-NV   stock at Reno, US-NV creates presence  USD 12,500.60  USD 12,000.60         USD 988.85"]
    narrow = [line for line in screens[80].splitlines() if line.startswith("  US-NV   stock")]
    # cut after a whole word ('creates pres...' before)
    assert narrow == ["  US-NV   stock at Reno, US-NV creates...  USD 12,000.60         USD 988.85"]


def test_without_orders_the_money_cannot_be_estimated_and_says_so_never_zero(write):
    warehouse = write("warehouse.yaml", 'name: Warehouse\nstock: ["Reno, US-NV"]\ncurrencies: [USD]\n')
    result = run(warehouse, "--as-of", "2026-10-31")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "Warehouse: 1 new nexus (US-NV), potential exposure not estimated (no orders given), 0 nexus removed" in out
    assert ("Potential exposure from new nexus in US-NV: cannot be estimated without orders; give today's orders "
            "(--sales).") in out
    assert "USD 0.00" not in out
    money = json.loads(run(warehouse, "--as-of", "2026-10-31", "--format", "json").output)["candidates"][0][
        "potential_exposure"]
    assert (money["estimated"], money["total_a_year"]) == (False, None)
    assert money["reason"] == "not estimated: no orders given (--sales), so the sales there are not known"


def test_without_orders_the_tax_a_merchant_of_record_takes_off_you_is_unknown_not_none(write, tmp_path):
    """A candidate that would be merchant of record in GB, compared without orders: whether the company sells in GB,
    and so what tax would move to the candidate, is not known. The screen said "Tax no longer yours to collect:
    none (no nexus removed, and Seller would collect no tax on your sales where you have nexus)", the side-by-side
    "none" and the JSON an estimated USD 0.00: an unknown said as zero. A candidate with no role keeps "none"."""
    seller = write("seller.yaml", "name: Seller\nrole:\n  merchant_of_record: [GB]\ncurrencies: [USD, GBP]\n")
    plain = write("plain.yaml", "name: Plain\ncurrencies: [USD]\n")
    result = run(seller, plain, "--as-of", "2026-10-31", "--workbook", tmp_path / "compare.xlsx")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert ("Tax no longer yours to collect: not estimated: no orders given (--sales), so the sales Seller would take "
            "as merchant of record in GB are not known.") in out
    assert "Not yours to collect/yr  not estimated: no orders  none" in result.output
    assert "Tax no longer yours to collect: none (no nexus removed, and Plain would collect no tax" in out
    found = {c["name"]: c["tax_no_longer_collected"] for c in json.loads(
        run(seller, plain, "--as-of", "2026-10-31", "--format", "json").output)["candidates"]}
    assert (found["Seller"]["estimated"], found["Seller"]["total_a_year"]) == (False, None)
    assert found["Seller"]["reason"] == "not estimated: no orders given (--sales), so the sales there are not known"
    assert (found["Plain"]["estimated"], found["Plain"]["total_a_year"]["central"]) == (True, "0.00")


def test_without_orders_whether_a_new_currency_opens_a_country_is_unknown(write):
    """Without orders the currency section said "GB: No sales into the United Kingdom in the orders read: the
    currency alone opens nothing" and "opens no country you sell to", when no orders were read at all: whether the
    company sells there is not known, and the UK registers from the first sale. The JSON's sells_there was false."""
    pounds = write("pounds.yaml", "name: Pounds\ncurrencies: [USD, GBP]\n")
    out = flat(run(pounds, "--as-of", "2026-10-31").output)
    assert ("+ GBP Pound Sterling: 2 decimals, ECB rate; which countries it opens is not known (no orders given); "
            "check the chart has a GBP bank account") in out
    assert ("GB: Whether you sell into the United Kingdom is not known: no orders given (--sales); United Kingdom "
            "VAT: registration from the first sale.") in out
    assert "in the orders read" not in out
    added = json.loads(run(pounds, "--as-of", "2026-10-31", "--format", "json").output)["candidates"][0][
        "currencies"]["added"]
    gb = next(o for a in added if a["code"] == "GBP" for o in a["countries"] if o["code"] == "GB")
    assert (gb["sells_there"], gb["opens"]) == (None, False)


def test_a_new_currency_of_a_country_you_sell_to_without_a_rule_is_not_assessed_not_cleared(write):
    """Sales of goods into Bahrain and a candidate adding BHD: the screen read "opens no country you sell to" with no
    line for Bahrain, as though it had been looked at and cleared; nexus has no rule for Bahrain (the JSON and the
    memo said "not assessed"). Japan, with a rule that leaves goods out, is still cleared."""
    sales = orders(write, (3, "BH", "80.00", "direct"), (3, "JP", "90.00", "direct"))
    dinars = write("dinars.yaml", "name: Dinars\ncurrencies: [USD, BHD, JPY]\n")
    out = flat(run(dinars, "--sales", sales, "--rates", RATES, "--as-of", "2025-10-31").output)
    assert ("+ BHD Bahraini Dinar: 3 decimals, no ECB rate; BH not assessed (no rule); opens no other country you "
            "sell to; check the chart") in out
    assert "BH: You sell goods there; nexus has no registration rule for Bahrain: not assessed." in out
    assert "+ JPY Yen: 0 decimals, ECB rate; opens no country you sell to; check the chart" in out


def test_a_chart_that_tags_only_its_foreign_banks_is_booked_in_the_homes_currency_not_the_first_foreign_one(write):
    """A US seller's chart leaves its base-currency accounts blank and tags 'Bank - EUR' and 'Bank - GBP', as
    ledgers export them: the book currency was the commonest tag (EUR, first of a tie), and a candidate paying out
    in USD read "Payouts in USD are booked in EUR (the chart's book currency): every payout carries an exchange
    difference". A chart whose payables name their currency still decides."""
    sales = orders(write, (3, "US-NY", "80.00", "direct"))
    chart = write("coa.csv", "Number,Name,Type,Currency\n1010,Bank - operating,Bank,\n1020,Bank - EUR,Bank,EUR\n"
                             "1030,Bank - GBP,Bank,GBP\n1200,Provider clearing - EUR,Current asset,EUR\n"
                             "2000,Accounts payable,Payable,\n")
    dollars = write("dollars.yaml", "name: Dollars\ncurrencies: [USD, EUR, GBP]\nsettlement_currency: USD\n")
    args = [dollars, "--sales", sales, "--rates", RATES, "--coa", chart, "--as-of", "2025-10-31"]
    assert "Payouts in" not in run(*args, "--home", "US-NY").output
    delta = json.loads(run(*args, "--home", "US-NY", "--format", "json").output)["candidates"][0]["currencies"]
    assert delta["book_currency"] == "USD"
    assert "Payouts in" not in run(*args).output  # no home, and the chart says nothing: no book currency is claimed
    payables = write("payables.csv", "Number,Name,Type,Currency\n1020,Bank - EUR,Bank,EUR\n"
                                     "2000,Accounts payable,Payable,CAD\n")
    out = flat(run(dollars, "--sales", sales, "--rates", RATES, "--coa", payables, "--as-of", "2025-10-31",
                   "--home", "US-NY").output)
    assert "Payouts in USD are booked in CAD (the chart's book currency): every payout carries" in out


def test_a_home_without_a_rule_still_books_in_its_own_currency(write):
    """A seller established in China (no rule in nexus's data for it) with a chart tagging only its banks, CNY and
    USD: the home's currency came from its rule alone, so no book currency was known and a candidate paying out in
    USD was not said to carry an exchange difference on every payout."""
    chart = write("coa.csv", "Number,Name,Type,Currency\n100201,银行存款-人民币户,Bank,CNY\n"
                             "100202,银行存款-美元户,Bank,USD\n6001,主营业务收入,Income,\n")
    dollars = write("dollars.yaml", "name: Dollars\ncurrencies: [USD, CNY]\nsettlement_currency: USD\n")
    out = flat(run(dollars, "--coa", chart, "--home", "CN", "--as-of", "2025-10-31").output)
    assert ("Payouts in USD are booked in CNY (your home's currency: the chart's accounts other than banks and "
            "clearing name none): every payout carries an exchange difference.") in out


def test_a_candidate_without_the_currency_of_a_home_without_a_rule_says_it_is_the_homes(write):
    """A seller established in China and a candidate that does not price in CNY: where the home has a rule (JPY for
    Japan) the screen says the home's customers would pay in another currency too; for China, with no rule in the
    data, it said nothing of the home."""
    chart = write("coa.csv", "Number,Name,Type,Currency\n100201,银行存款-人民币户,Bank,CNY\n")
    dollars = write("dollars.yaml", "name: Dollars\ncurrencies: [USD]\nsettlement_currency: USD\n")
    out = flat(run(dollars, "--coa", chart, "--home", "CN", "--as-of", "2025-10-31").output)
    assert "CNY is your home's currency: your customers at home in China would pay in another currency too." in out


#: Nevada's orders above and Pennsylvania's: a sale of USD 100,000.00 in June 2025 and twelve monthly sales of USD
#: 5,000.05 from 2025-11-15, so 2025's sales (110,000.10) pass Pennsylvania's USD 100,000 and the company collects
#: there from 2026-04-01 (Pennsylvania's start rule for a previous-year test).
BOTH = NEVADA + "\n".join(["P0,2025-06-15,US,PA,100000.00,USD,direct,no,goods"] + [
    f"P{m},{2025 + (m + 9) // 12}-{(m + 9) % 12 + 1:02d}-15,US,PA,5000.05,USD,direct,no,goods"
    for m in range(1, 13)]) + "\n"


def test_the_tax_no_longer_yours_and_the_net_change_on_screen_in_json_and_in_the_workbook(write, tmp_path):
    """Before: a candidate adding Nevada (USD 988.85 a year, above) and facilitating Pennsylvania's sales, whose test
    leaves facilitated sales out, showed only the 988.85 added, as if it cost more. Pennsylvania's tax a year on the
    twelve months' 60,000.60: 6% + 0.34% = 6.34% -> 3,804.03804 (low 6%: 3,600.036, high 8%: 4,800.048). Net
    988.85 - 3,804.04: USD 2,815.19 less; low 822.04 - 3,600.04 = -2,778.00, the difference of the two figures shown
    (before: -2,777.99, the full figures' difference rounded, a cent from what a reader subtracting them gets); high
    1,005.05 - 4,800.05 = -3,795.00.
    Accrued in Pennsylvania to date (collecting from 2026-04-01): seven sales, 35,000.35 x 6.34% = 2,219.02."""
    sales = write("orders.csv", BOTH)
    both = write("both.yaml", 'name: Both\nstock: ["Reno, US-NV"]\ncurrencies: [USD]\nrole:\n  '
                              'marketplace_facilitator: [US-PA]\n')
    book = tmp_path / "compare.xlsx"
    result = run(both, "--sales", sales, "--as-of", "2026-10-31", "--workbook", str(book))
    assert result.exit_code == 0, result.output
    out = result.output
    assert max(len(line) for line in out.splitlines()) <= 100
    assert ("Both: 1 new nexus (US-NV), est. potential exposure USD 988.85 a year, 1 nexus removed (US-PA), est. USD "
            "3,804.04 a year no longer yours to collect, net est. USD 2,815.19 a year less to collect yourself, ") in \
        flat(out)
    assert "Not yours to collect/yr  est. USD 3,804.04" in out
    assert "Net: tax you collect/yr  est. USD 2,815.19 less" in out
    assert ("Tax no longer yours to collect: est. USD 3,804.04 a year (range USD 3,600.04 to USD 4,800.05), the tax on "
            "your own taxable sales in the places listed at the pace of your sales from 2025-11-01 to 2026-10-31, at "
            "each day's rates, that Both as marketplace facilitator would collect instead of you. It is not a saving "
            "for your customers, who still pay it: it moves who collects and remits it, and the returns and records "
            "there with it. Potential exposure already accrued there before the move stays yours (est. USD 2,219.02 "
            "in today's check).") in flat(out)
    row = next(line for line in out.splitlines() if line.startswith("  US-PA   removed  Both"))
    assert [cell.strip() for cell in row.split("  ") if cell.strip()] == [
        "US-PA", "removed", "Both (facilitator)", "USD 60,000.60", "USD 3,804.04", "USD 2,219.02"]
    assert ("Net change in the tax you would collect and remit yourself: est. USD 2,815.19 a year less (est. USD "
            "988.85 added by new nexus, less est. USD 3,804.04 no longer yours to collect, each the sum of its places as shown).") in \
        flat(out)

    candidate = json.loads(run(both, "--sales", sales, "--as-of", "2026-10-31", "--format", "json").output)[
        "candidates"][0]
    gone = candidate["tax_no_longer_collected"]
    assert (gone["estimated"], gone["start"], gone["end"], gone["total_a_year"]) == (
        True, "2025-11-01", "2026-10-31", {"low": "3600.04", "central": "3804.04", "high": "4800.05"})
    [pa] = gone["places"]
    assert (pa["jurisdiction"], pa["collector"], pa["nexus_kept"], pa["taxable_sales"], pa["registration"]) == (
        "US-PA", "marketplace-facilitator", False, "60000.60", None)
    assert (pa["tax_a_year_today"]["central"], pa["tax_a_year_under_provider"]["central"]) == ("3804.04", "0.00")
    assert pa["accrued_potential_exposure_reporting"] == "2219.02"
    assert candidate["net_change_a_year"] == {
        "estimated": True, "currency": "USD", "added": {"low": "822.04", "central": "988.85", "high": "1005.05"},
        "removed": {"low": "3600.04", "central": "3804.04", "high": "4800.05"},
        "net": {"low": "-2778.00", "central": "-2815.19", "high": "-3795.00"}, "in_part": False,
        "words": "est. USD 2,815.19 a year less to collect yourself"}

    wb = load_workbook(book)
    summary = [[c.value for c in r] for r in wb["Summary"].iter_rows()]
    assert ["Tax no longer yours to collect a year", "est. USD 3,804.04"] in summary
    assert ["Net change a year in the tax you collect", "est. USD 2,815.19 less"] in summary
    sheet = wb["Tax no longer yours"]
    header = [c.value for c in sheet[2]]
    rows = [dict(zip(header, [c.value for c in r])) for r in sheet.iter_rows(min_row=3)]
    pa = next(r for r in rows if r["Code"] == "US-PA")
    assert (pa["Nexus"], pa["Collected instead by"], pa["Taxable sales in those days"],
            pa["Est. tax a year you collect today"], pa["Est. tax a year you would still collect"],
            pa["Est. a year, central"], pa["Potential exposure accrued to date (stays)"]) == (
        "removed", "Both as marketplace facilitator", 60000.60, 3804.04, 0, 3804.04, 2219.02)
    net = next(r for r in rows if r["Code"] == "Net change")
    assert (net["Est. a year, low"], net["Est. a year, central"], net["Est. a year, high"]) == (
        -2778.00, -2815.19, -3795.00)
    total = next(r for r in rows if r["Code"] == "Total")
    assert net["Est. a year, low"] == round(822.04 - total["Est. a year, low"], 2)  # the Potential exposure sheet's


def test_a_registrations_file_beside_a_candidate_that_removes_nexus_is_read_not_a_crash(write):
    """Before: 'provider compare' with --registrations stopped with a Python traceback (Registration.covers() given a
    scheme it does not take) wherever a candidate removed nexus from a place the check found unregistered: the
    sample's two candidates with the sample's registrations file did. A Texas permit changes nothing in Pennsylvania
    (the figures of the test above); the tax a Pennsylvania licence collects is not at stake there, but what the
    candidate takes off the seller a year is the same, and the row names the licence."""
    sales = write("orders.csv", BOTH)
    both = write("both.yaml", 'name: Both\nstock: ["Reno, US-NV"]\ncurrencies: [USD]\nrole:\n  '
                              'marketplace_facilitator: [US-PA]\n')
    texas = write("texas.csv", "jurisdiction,registered_on,collecting_from,id\nUS-TX,2024-01-01,2024-01-01,TX1\n")
    result = CliRunner().invoke(cli, ["provider", "compare", both, "--sales", sales, "--registrations", texas,
                                      "--as-of", "2026-10-31", "--format", "json"])
    assert result.exit_code == 0, result.output
    [pa] = json.loads(result.output)["candidates"][0]["tax_no_longer_collected"]["places"]
    assert (pa["jurisdiction"], pa["registration"], pa["tax_a_year_today"]["central"]) == ("US-PA", None, "3804.04")
    pennsylvania = write("pa.csv", "jurisdiction,registered_on,collecting_from,id\nUS-PA,2025-01-01,2025-01-01,PA1\n")
    result = CliRunner().invoke(cli, ["provider", "compare", both, "--sales", sales, "--registrations", pennsylvania,
                                      "--as-of", "2026-10-31", "--format", "json"])
    assert result.exit_code == 0, result.output
    [pa] = json.loads(result.output)["candidates"][0]["tax_no_longer_collected"]["places"]
    assert (pa["jurisdiction"], pa["registration"]["jurisdiction"], pa["tax_a_year_today"]["central"]) == (
        "US-PA", "US-PA", "3804.04")
    # A licence closed before the as-of date is no longer held: nothing stays to deregister, as with none at all.
    closed = write("closed.csv", "jurisdiction,registered_on,collecting_from,id,closed_on\n"
                                 "US-PA,2025-01-01,2025-01-01,PA1,2025-06-30\n")
    result = CliRunner().invoke(cli, ["provider", "compare", both, "--sales", sales, "--registrations", closed,
                                      "--as-of", "2026-10-31", "--format", "json"])
    assert result.exit_code == 0, result.output
    [pa] = json.loads(result.output)["candidates"][0]["tax_no_longer_collected"]["places"]
    assert (pa["jurisdiction"], pa["registration"], pa["tax_a_year_today"]["central"]) == ("US-PA", None, "3804.04")


def test_a_long_address_among_the_sources_goes_on_in_the_rows_under_it_and_links_the_whole(write, tmp_path):
    """LibreOffice prints a link on one line, so a 150-character address printed cut at its column's edge."""
    encoded = "%e8%bc%b8" * 30  # 輸 thirty times, as a Japanese page's address reads
    long = "https://help.vague.example/" + encoded
    vague = write("vague.yaml", f"""
        name: Vague
        currencies: [USD]
        export:
          order_id: {{answer: partial, reference: "{long}"}}
    """)
    book = tmp_path / "vague.xlsx"
    assert run(vague, "--as-of", "2026-10-31", "--workbook", str(book)).exit_code == 0
    rows = [[c for c in r] for r in load_workbook(book)["Sources"].iter_rows(min_row=2)]
    first = next(i for i, r in enumerate(rows) if r[1].hyperlink and r[1].hyperlink.target == long)
    # 113 characters a line (column 100 wide, 1.15 a digit), a '%' counted twice: the address's host and
    # path, then 28 escapes ('%e8', 4 each: 112) a line, 90 in all: 28, 28, 28 and 6.
    escapes = ["%e8", "%bc", "%b8"] * 30
    assert [r[1].value for r in rows[first:first + 5]] == [
        "https://help.vague.example/", "".join(escapes[:28]), "".join(escapes[28:56]), "".join(escapes[56:84]),
        "".join(escapes[84:])]
    assert rows[first][0].value == "Vague: checklist answer: order_id (partial)" and rows[first + 1][0].value is None
    assert [r[1].hyperlink for r in rows[first + 1:first + 5]] == [None] * 4
    assert first + 5 == len(rows) or rows[first + 5][0].value


def test_a_candidate_that_does_not_offer_the_homes_currency_says_so(write, tmp_path):
    """Before: with --home JP and a candidate pricing in USD and GBP only, JPY sat in the list of currencies not
    offered like any other ('customers paying in them today would pay in another currency'), where it is the
    currency of the seller's customers at home. JPY 30,000 sold in Japan and USD 50.00 in Texas on 2026-03-02."""
    rates = write("rates.csv", "Date,USD,JPY,GBP\n2026-03-02,1.0,200,1.0\n")
    sales = write("orders.csv", HEADER + "J1,2026-03-02,JP,,30000,JPY,direct,no,goods\n"
                  "U1,2026-03-02,US,TX,50.00,USD,direct,no,goods\n")
    cand = write("cand.yaml", "name: Cand\ncurrencies: [USD, GBP]\n")
    book, memo = tmp_path / "c.xlsx", tmp_path / "c.html"
    args = [cand, "--sales", sales, "--rates", rates, "--as-of", "2026-03-03", "--home", "JP"]
    screen = " ".join(run(*args, "--workbook", str(book), "--html", str(memo)).output.split())
    assert ("- Not offered: JPY 30,000 (sales in the last 12 months): customers paying in it today would pay in "
            "another currency. JPY is your home's currency: your customers at home in Japan would pay in another "
            "currency too.") in screen
    said = ("Customers paying in JPY today would pay in another currency, your customers at home in Japan among "
            "them (JPY is your home's currency).")
    import openpyxl
    rows = [[c.value for c in row] for row in openpyxl.load_workbook(book)["Currencies"].iter_rows(min_row=2)]
    assert any(r[0] == "Cand" and "dropped" in r and "JPY" in r and "Not offered: c" + said[1:] in r for r in rows)
    import html
    assert said in " ".join(html.unescape(memo.read_text(encoding="utf-8")).split())
    elsewhere = " ".join(run(cand, "--sales", sales, "--rates", rates, "--as-of", "2026-03-03").output.split())
    assert "home's currency" not in elsewhere


def test_without_home_an_office_abroad_is_warned_of_as_the_check_does(write, tmp_path):
    """Before: 'nexus check' on the sample without --home warns 'presence.csv:2: an office in Japan: if the company
    is established there, pass --home JP'; 'nexus provider compare' on the same files said nothing on the screen or
    in the JSON, comparing Japan as a foreign seller's nexus by presence. Now both carry the check's warning, once
    (the memo listed it already)."""
    presence = write("presence.csv", "kind,location,ownership,dedicated,function,since,until,note\n"
                     "office,\"Tokyo, JP\",leased,yes,core,2019-04-01,,Head office\n")
    sales = write("orders.csv", HEADER + "U1,2026-03-02,US,TX,50.00,USD,direct,no,goods\n")
    cand = write("cand.yaml", "name: Cand\ncurrencies: [USD]\n")
    args = [cand, "--sales", sales, "--presence", presence, "--as-of", "2026-03-03"]
    warning = (f"{presence}:2: an office in Japan: if the company is established there, pass --home JP (without "
               f"--home every jurisdiction is assessed as for a seller established elsewhere)")
    screen = " ".join(run(*args).output.split())
    assert screen.count(f"Warning: {warning}") == 1
    assert json.loads(run(*args, "--format", "json").stdout)["warnings"].count(warning) == 1
    assert warning not in json.loads(run(*args, "--format", "json", "--home", "JP").stdout)["warnings"]


def test_the_workbook_summary_says_where_the_seller_is_established(write, tmp_path):
    """Before: the screen's first line ('seller established in JP') and the memo ('Seller established in: Japan (JP)')
    said which home the comparison measured; the workbook's Summary, handed to the controller on its own, did not,
    though its Nexus delta reads 'established' for Japan. Now its first row after the verdicts says it, in the
    memo's words; without --home, that every place is compared as for a seller established elsewhere."""
    sales = write("orders.csv", HEADER + "U1,2026-03-02,US,TX,50.00,USD,direct,no,goods\n")
    cand = write("cand.yaml", "name: Cand\ncurrencies: [USD]\n")
    import openpyxl

    def summary(*home):
        book = tmp_path / f"c{len(home)}.xlsx"
        assert run(cand, "--sales", sales, "--as-of", "2026-03-03", *home, "--workbook", str(book)).exit_code == 0
        return [[c.value for c in row] for row in openpyxl.load_workbook(book)["Summary"].iter_rows()]

    assert ["Seller established in", "Japan (JP)"] in [r[:2] for r in summary("--home", "JP")]
    assert ["Seller established in", "not given (--home): assessed as a seller established elsewhere"] in [
        r[:2] for r in summary()]


def test_a_merchant_of_record_in_the_eu_takes_the_vat_the_union_oss_collects_off_you(write):
    """Before: with the Union OSS registration in --registrations, a merchant of record in the EU showed 'est. USD 0.00
    a year: where nexus goes (DE), you would still collect there as today' (the registration's coverage cut the
    year's German sales out of today's figure); the sample's Hostwell left out all its EU sales the same way.
    Twelve sales of EUR 1,000.00 of goods into Germany, one a month from 2025-11-01: 12,000.00 x 19% = EUR 2,280.00 a
    year, which Abroad would charge instead; at the 2026-10-30 rate of 1.1172: USD 2,547.216, shown 2,547.22."""
    sales = write("orders.csv", HEADER + "".join(f"D{m},{m}-01,DE,,1000.00,EUR,direct,no,goods\n" for m in [
        "2025-11", "2025-12"] + [f"2026-{n:02d}" for n in range(1, 11)]))
    held = write("registrations.csv", "jurisdiction,registered_on,collecting_from,id\nEU,2025-11-01,2025-11-01,EU1\n")
    abroad = write("abroad.yaml", "name: Abroad\ncurrencies: [EUR]\nrole: {merchant_of_record: [EU]}\n")
    args = [abroad, "--sales", sales, "--registrations", held, "--rates", RATES, "--as-of", "2026-10-31"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert "est. USD 2,547.22 a year no longer yours to collect" in flat(result.output)
    row = next(line for line in result.output.splitlines() if line.startswith("  DE      removed  Abroad"))
    assert [cell.strip() for cell in row.split("  ") if cell.strip()] == [
        "DE", "removed", "Abroad (merchant)", "EUR 12,000.00", "EUR 2,280.00", "USD 0.00"]  # accrued: estimated, 0
    [de] = json.loads(run(*args, "--format", "json").output)["candidates"][0]["tax_no_longer_collected"]["places"]
    assert (de["jurisdiction"], de["taxable_sales"], de["tax_a_year"]["central"], de["tax_a_year_reporting"]["central"],
            de["registration"]["jurisdiction"]) == ("DE", "12000.00", "2280.00", "2547.22", "EU")


def test_orders_that_hold_none_of_the_year_are_not_called_no_orders(write):
    """Before: as of 2024-06-30, with orders given that all come later (2025), the net change read 'not estimated (no
    orders given)', though --sales was given and the line above said why: the orders hold none of the twelve months
    to the as-of date."""
    sales = orders(write, (20, "US-NV", "100.00", "direct"))
    reno = write("reno.yaml", 'name: Reno\nstock: ["Reno, US-NV"]\ncurrencies: [USD]\n')
    result = run(reno, "--sales", sales, "--as-of", "2024-06-30")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert "no orders given" not in out
    assert ("Net change in the tax you collect yourself: not estimated (the orders read hold none of the twelve months "
            "to the as-of date).") in out


def test_a_merchant_of_record_where_presence_keeps_nexus_says_so_not_that_it_facilitates(write):
    """Before: a merchant of record in Texas, where an employee keeps the seller's nexus, read 'nexus stays (the test
    counts the sales MorCo would facilitate) ... MorCo collects on the facilitated sales': MorCo facilitates nothing,
    and no test is met (ten sales of USD 100.00). And Colorado, where the seller holds a permit but has no nexus
    (ten sales of USD 100.00, far below USD 100,000), read 'removed' in the Nexus column: there was none to remove."""
    sales = orders(write, (10, "US-TX", "100.00", "direct"), (10, "US-CO", "100.00", "direct"))
    people = write("presence.csv", "kind,location,ownership,dedicated,function,since,until,note\n"
                                   "employee,US-TX,,,core,2024-02-01,,Works from home in Austin\n")
    held = write("registrations.csv", "jurisdiction,registered_on,collecting_from,id\n"
                                      "US-CO,2024-06-01,2024-06-01,CO1\n")
    morco = write("morco.yaml", "name: MorCo\ncurrencies: [USD]\nrole: {merchant_of_record: [US-TX, US-CO]}\n")
    result = run(morco, "--sales", sales, "--presence", people, "--registrations", held, "--as-of", "2025-12-31")
    assert result.exit_code == 0, result.output
    rows = {line.split()[0]: line.split()[1] for line in result.output.splitlines()
            if re.match(r"  US-(TX|CO) +\w+ +MorCo \(merchant\)", line)}
    assert rows == {"US-TX": "stays", "US-CO": "none"}
    out = flat(result.output)
    assert "MorCo would facilitate" not in out and "collects on the facilitated sales" not in out
    assert ("US-TX: nexus stays (your presence there keeps it): you keep collecting on your own sales there and filing "
            "returns; MorCo sells to those customers itself, as merchant of record, and charges the tax on its "
            "sales.") in out


def test_a_member_state_under_the_union_oss_is_covered_by_the_eu_registration_not_registered_there(write):
    """Before: Germany under the EU's OSS registration read 'DE: registered there from 2025-11-01', as if the seller
    held a German VAT registration of its own; it is the one EU registration that covers it."""
    sales = write("orders.csv", HEADER + "".join(f"D{m},{m}-01,DE,,1000.00,EUR,direct,no,goods\n" for m in [
        "2025-11", "2025-12"] + [f"2026-{n:02d}" for n in range(1, 11)]))
    held = write("registrations.csv", "jurisdiction,registered_on,collecting_from,id\nEU,2025-11-01,2025-11-01,EU1\n")
    abroad = write("abroad.yaml", "name: Abroad\ncurrencies: [EUR]\nrole: {merchant_of_record: [EU]}\n")
    out = flat(run(abroad, "--sales", sales, "--registrations", held, "--rates", RATES, "--as-of", "2026-10-31").output)
    assert "DE: registered there" not in out
    assert "DE: covered by your EU registration from 2025-11-01: you stay registered, with returns to file" in out


def test_a_currency_list_with_a_code_that_is_not_iso_4217_still_writes_the_workbook(write, tmp_path):
    """Before: a provider's list naming a code that is not ISO 4217 (XYZ) stopped --workbook with 'Error: is not an ISO
    4217 currency code' (no file, no code): the Currencies sheet formatted the empty sales cell of the code's row in
    XYZ. The row now says what the screen says, and the sales columns keep their own codes."""
    sales = orders(write, (3, "US-NY", "100.00", "direct"))
    odd = write("odd.yaml", "name: Odd\ncurrencies: [USD, XYZ]\n")
    book = tmp_path / "odd.xlsx"
    result = run(odd, "--sales", sales, "--as-of", "2025-12-31", "--workbook", str(book))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(book)["Currencies"]
    header = [c.value for c in sheet[1]]
    rows = [dict(zip(header, [c.value for c in r])) for r in sheet.iter_rows(min_row=2)]
    xyz = next(r for r in rows if r["Code"] == "XYZ")
    assert (xyz["Change"], xyz["Sales, last 12 months"], xyz["What it means"]) == (
        "unknown", None, "Not an ISO 4217 code: ask the provider.")


def test_a_currency_not_offered_says_none_sold_or_not_known_never_sales_it_does_not_show(write, tmp_path):
    """Before: a currency the candidate does not offer read '- Not offered: JPY (sales in the last 12 months)' with no
    figure both without orders (the chart's JPY: sales not known) and with orders that hold no JPY sale in the twelve
    months (JSON null, as for 'no orders given'). Now: without orders it says the sales are not known; with orders,
    none in the twelve months is none (JSON "0")."""
    coa = write("coa.csv", "number,name,type,currency\n1000,Bank USD,Bank,USD\n1010,Bank JPY,Bank,JPY\n")
    usd = write("usd.yaml", "name: UsdOnly\ncurrencies: [USD]\n")
    out = flat(run(usd, "--coa", coa, "--as-of", "2025-12-31").output)
    assert ("- Not offered: JPY (no orders given, so your sales in it are not known): customers paying in it today "
            "would pay in another currency.") in out
    sales = write("orders.csv", HEADER + "J1,2024-06-03,JP,,10000,JPY,direct,no,goods\n"
                                         "U1,2025-06-03,US,NY,100.00,USD,direct,no,goods\n")
    result = run(usd, "--sales", sales, "--rates", RATES, "--as-of", "2025-12-31")
    assert result.exit_code == 0, result.output
    assert ("- Not offered: JPY none (sales in the last 12 months): customers paying in it today would pay in another "
            "currency.") in flat(result.output)
    document = json.loads(run(usd, "--sales", sales, "--rates", RATES, "--as-of", "2025-12-31", "--format",
                              "json").output)
    assert document["candidates"][0]["currencies"]["dropped"] == [{"code": "JPY", "sales_last_12_months": "0"}]


def test_a_currency_the_candidate_does_not_offer_is_not_said_to_be_converted_from_on_payout(write):
    """Before: a candidate pricing in USD and EUR, paying out in EUR, read '- Not offered: JPY ...: customers paying in
    it today would pay in another currency' and then 'Sales in JPY and USD would be converted into EUR at the
    provider's rate on payout': no sale would be in JPY to convert. Now JPY's sales are said to be paid in a currency
    it offers, converted unless paid in EUR."""
    sales = write("orders.csv", HEADER + "J1,2025-06-03,JP,,10000,JPY,direct,no,goods\n"
                                         "U1,2025-06-03,US,NY,100.00,USD,direct,no,goods\n")
    eur = write("eur.yaml", "name: EuroPay\ncurrencies: [USD, EUR]\nsettlement_currency: EUR\n")
    result = run(eur, "--sales", sales, "--rates", RATES, "--as-of", "2025-12-31")
    assert result.exit_code == 0, result.output
    out = flat(result.output)
    assert ("Sales in USD would be converted into EUR at the provider's rate on payout: exchange differences between "
            "sale and payout are yours.") in out
    assert ("Sales now in JPY, which it does not offer, would be paid in a currency it offers: converted likewise "
            "unless paid in EUR.") in out


def test_two_profiles_of_one_name_stop_with_one_line_not_two_columns_no_one_can_tell_apart(write):
    """Before: the same profile given twice, or two files naming the same provider, ran: two 'Hostwell' columns and
    verdicts side by side, and workbook rows and accounts of both under one name, merged. It stops, exit code 2."""
    one = write("one.yaml", "name: Hostwell\ncurrencies: [USD]\n")
    other = write("other.yaml", "name: Hostwell\ncurrencies: [USD, EUR]\n")
    result = CliRunner().invoke(cli, ["provider", "compare", one, one, "--as-of", "2026-10-31"])
    assert (result.exit_code, result.output) == (2, f"Error: {one}: is given twice: the comparison tells candidates "
                                                    f"apart by name; give each profile once, with its own name\n")
    result = CliRunner().invoke(cli, ["provider", "compare", one, other, "--as-of", "2026-10-31"])
    assert (result.exit_code, result.output) == (2, f"Error: {other}: names the provider 'Hostwell', as {one} does: "
                                                    f"the comparison tells candidates apart by name; give each profile "
                                                    f"once, with its own name\n")


def test_the_workbook_says_no_sales_and_zero_where_a_candidate_leaves_no_finding(write, tmp_path):
    """Before: Germany under a merchant of record in the EU read 'no finding' in the workbook's Nexus delta with an
    empty 'Sales under candidate' cell, where the screen says 'no sales'. Twelve sales of EUR 1,000.00 into Germany,
    none of them the seller's under the candidate: 'no sales', 0."""
    sales = write("orders.csv", HEADER + "".join(f"D{m},{m}-01,DE,,1000.00,EUR,direct,no,goods\n" for m in [
        "2025-11", "2025-12"] + [f"2026-{n:02d}" for n in range(1, 11)]))
    abroad = write("abroad.yaml", "name: Abroad\ncurrencies: [EUR]\nrole: {merchant_of_record: [EU]}\n")
    book = tmp_path / "abroad.xlsx"
    result = run(abroad, "--sales", sales, "--rates", RATES, "--as-of", "2026-10-31", "--workbook", str(book))
    assert result.exit_code == 0, result.output
    sheet = load_workbook(book)["Nexus delta"]
    at = next(r[0].row for r in sheet.iter_rows() if r[0].value == "Candidate")  # under the sheet's note
    header = [c.value for c in sheet[at]]
    rows = [dict(zip(header, [c.value for c in r])) for r in sheet.iter_rows(min_row=at + 1)]
    de = next(r for r in rows if r["Code"].startswith("DE"))
    assert (de["Status today"], de["Status under candidate"], de["Sales under candidate"]) == (
        "exceeded", "no sales", 0)


def test_the_json_says_the_nexus_word_the_screen_shows_for_a_permit_with_no_nexus(write):
    """The screen's Nexus column reads 'none' for Colorado, where a permit is held and ten sales of USD 100.00 make no
    nexus; the JSON said only nexus_kept false, which reads as 'removed'. It carries the same word now."""
    sales = orders(write, (10, "US-CO", "100.00", "direct"))
    held = write("registrations.csv", "jurisdiction,registered_on,collecting_from,id\n"
                                      "US-CO,2024-06-01,2024-06-01,CO1\n")
    morco = write("morco.yaml", "name: MorCo\ncurrencies: [USD]\nrole: {merchant_of_record: [US-CO]}\n")
    document = json.loads(run(morco, "--sales", sales, "--registrations", held, "--as-of", "2025-12-31", "--format",
                              "json").output)
    [co] = document["candidates"][0]["tax_no_longer_collected"]["places"]
    assert (co["jurisdiction"], co["nexus_kept"], co["nexus"]) == ("US-CO", False, "none")


def test_the_comparison_warns_of_chart_rows_it_could_not_read_as_the_plan_does(tmp_path, write):
    """With --coa the comparison lists the accounts each candidate would add, but said nothing of the chart's rows
    whose type nexus did not read: a USD bank typed '口座' counted as no bank and 'Bank - USD' was proposed beside it
    with no word of why, where 'accounts plan' on the same chart warns. The screen and the JSON's warnings say it now."""
    coa = write("coa.csv", """
        勘定科目コード,勘定科目,区分,通貨
        110,普通預金 USD,口座,USD
        140,決済代行 USD clearing,流動資産,USD
    """)
    said = (f"{coa}: 1 account of a type nexus does not know, counted as no bank, clearing, receivable or payable "
            f"(one the chart has may be proposed again): line 2 (110 普通預金 USD: '口座')")
    args = [str(SAMPLES / "provider-hostwell.yaml"), "--coa", coa, "--as-of", "2026-10-31", "--rates", RATES,
            "--db", str(tmp_path / "store.sqlite3")]
    screen = run(*args)
    assert screen.exit_code == 0
    assert f"Warning: {said}" in flat(screen.stdout)
    document = run(*args, "--format", "json")
    assert said in json.loads(document.stdout)["warnings"]


def test_an_accrued_exposure_of_zero_is_written_in_the_workbook_as_the_json_gives_it(tmp_path):
    """Where today's check finds no potential exposure to date (GB, registered and collecting), the JSON's
    accrued_potential_exposure_reporting is '0.00', but the Tax no longer yours sheet left the cell empty, as it
    does where nothing is known. It holds 0 now; a place with none estimated would still be empty."""
    book = tmp_path / "providers.xlsx"
    args = [str(SAMPLES / "provider-hostwell.yaml"), "--sales", str(SAMPLES / "orders-2025.csv"), "--sales",
            str(SAMPLES / "orders-2026.csv"), "--registrations", str(SAMPLES / "registrations.csv"), "--as-of",
            "2026-10-31", "--rates", RATES, "--db", str(tmp_path / "store.sqlite3")]
    both = run(*args, "--format", "json", "--workbook", str(book))  # one comparison, its JSON and its workbook
    assert both.exit_code == 0, both.output
    candidate = json.loads(both.stdout)["candidates"][0]
    places = {p["jurisdiction"]: p for p in candidate["tax_no_longer_collected"]["places"]}
    assert places["GB"]["accrued_potential_exposure_reporting"] == "0.00"
    sheet = load_workbook(book)["Tax no longer yours"]
    header = [c.value for c in sheet[2]]
    column = header.index("Potential exposure accrued to date (stays)")
    gb = next(row for row in sheet.iter_rows(min_row=3, values_only=True) if row[1] == "GB")
    assert gb[column] == 0


def test_codes_of_the_list_that_are_not_currencies_are_named_with_their_line_and_not_counted(write, tmp_path):
    """A provider's list with HRK (withdrawn), ABC (never in ISO 4217) and XAU (gold) read 'Currencies: 6 offered',
    and '! ABC is not an ISO 4217 code' gave no line to look it up by, where the profile's other warnings name
    theirs. Now 3 are offered, the other 3 are said in words, and each warning names the list's file and line, for a
    list in a file and for one in the profile."""
    write("list.txt", "USD\nEUR\nHRK\nABC\nXAU\nJPY\n")
    in_file = write("filed.yaml", "name: Filed\ncurrencies: list.txt\nsettlement_currency: USD\n")
    inline = write("inline.yaml", "name: Inline\ncurrencies:\n  - USD\n  - ABC\n  - HRK\nsettlement_currency: USD\n")
    book = tmp_path / "compare.xlsx"
    result = run(in_file, inline, "--as-of", "2026-10-31", "--workbook", str(book), "--db", str(tmp_path / "s.db"))
    screen = flat(result.output)
    listed = os.path.join(os.path.dirname(in_file), "list.txt")
    assert ("Currencies: 3 offered (3 more codes listed are not currencies to sell in: HRK withdrawn, ABC not in "
            "ISO 4217, XAU not money);") in screen
    assert f"! ABC ({listed}:4) is not an ISO 4217 code: ask the provider" in screen
    assert f"! HRK ({listed}:3) is withdrawn (2023-01): the list should say EUR" in screen
    assert ("Currencies: 1 offered (2 more codes listed are not currencies to sell in: HRK withdrawn, ABC not in "
            "ISO 4217);") in screen
    assert f"! ABC ({inline}:4) is not an ISO 4217 code" in screen and f"! HRK ({inline}:5) is withdrawn" in screen
    summary = {r[0]: r[1:] for r in load_workbook(book).worksheets[0].iter_rows(values_only=True)}
    assert summary["Currencies offered"][:2] == (
        "3 (3 more codes listed are not currencies to sell in: HRK withdrawn, ABC not in ISO 4217, XAU not money)",
        "1 (2 more codes listed are not currencies to sell in: HRK withdrawn, ABC not in ISO 4217)")


def test_stock_in_frankfurt_shows_the_german_registration_everywhere_the_comparison_is_read(write, tmp_path):
    """Before: the screen, JSON, workbook and memo said only 'nexus on another ground in 1 (DE)'. Now each gives
    the German registration the stock needs, that the EU registration held does not cover it, and the VAT a year on
    the goods sold to customers in Germany: 12 x EUR 1,000.05 = 12,000.60 x 19% = EUR 2,280.11 (USD 2,547.34 at
    1.1172). The orders begin in January 2025, so the twelve months to the as-of date are covered whole."""
    lines = ["order_id,date,country,region,amount,currency,channel,exempt,category",
             "W0,2025-01-10,DE,,9999.00,EUR,direct,no,goods"] + [
        f"W{m},{2025 + (m + 9) // 12}-{(m + 9) % 12 + 1:02d}-15,DE,,1000.05,EUR,direct,no,goods" for m in range(1, 13)]
    sales = write("orders.csv", "\n".join(lines) + "\n")
    held = write("registrations.csv", "jurisdiction,registered_on,collecting_from,id\n"
                                      "EU,2025-02-05,2025-01-01,EU9114\n")
    lager = write("lager.yaml", 'name: Lager\nstock: ["Frankfurt, DE"]\ncurrencies: [USD, EUR]\n')
    args = [lager, "--sales", sales, "--rates", RATES, "--registrations", held, "--as-of", "2026-10-31", "--home",
            "US-CA"]
    book, memo = str(tmp_path / "lager.xlsx"), str(tmp_path / "lager.html")
    screen = run(*args, "--workbook", book, "--html", memo)
    assert screen.exit_code == 0
    said = flat(screen.output)
    assert "a VAT registration for stock in 1 (DE), est. USD 2,547.34 a year of VAT to declare there" in said
    assert "Registration in DE: needed: the EU registration (" in said
    assert "does not cover these supplies." in said
    assert "VAT a year on your goods sold to customers in Germany: est. EUR 2,280.11 (USD 2,547.34)" in said
    [row] = json.loads(run(*args, "--format", "json").output)["candidates"][0]["stock_registrations"]
    assert (row["jurisdiction"], row["threshold"], row["taxable_sales"], row["tax_a_year"]["central"],
            row["tax_a_year_reporting"]["central"]) == ("DE", "none", "12000.60", "2280.11", "2547.34")
    assert row["eu_registration_not_covering"]["jurisdiction"] == "EU" and row["registration_held"] is None
    sheet = load_workbook(book)["Stock in the EU"]
    cells = [c for r in sheet.iter_rows(values_only=True) for c in r]
    assert "DE" in cells and 2280.11 in cells and 2547.34 in cells
    [note] = [c.replace("\n", " ") for c in cells if isinstance(c, str) and c.startswith("Threshold: ")]
    assert "(UStG § 19, as rewritten from 2025)" in note and "Not covered by the EU's one-stop shop" in note
    page = open(memo, encoding="utf-8").read()
    assert "A VAT registration for stock in the EU" in page and "est. EUR 2,280.11 (USD 2,547.34)" in page
    assert '<th scope="row">VAT registration for stock in the EU</th><td>1: DE</td>' in page  # side by side
    section = page.split("A VAT registration for stock in the EU</h3>")[1].split("<h3")[0]
    assert '<p class="note">Sources: <a class="cite" href="#source-' in section  # the articles, numbered


def test_the_bundled_comparison_has_no_stock_sheet(tmp_path_factory):
    """The bundled candidates hold no stock in the EU: the workbook keeps its nine sheets."""
    result = bundled_comparison(tmp_path_factory)
    assert "Stock in the EU" not in load_workbook(result.file("compare.xlsx")).sheetnames


def test_a_places_notes_in_the_workbook_read_as_sentences(write, tmp_path):
    """Before: the Tax no longer yours sheet's note ran 'nexus from your sales before the move lasts ... from the move
    on. covered by your EU registration from 2025-02-05: ...', each sentence in lower case as the screen's 'DE: '
    prefix needs it."""
    lines = ["order_id,date,country,region,amount,currency,channel,exempt,category"] + [
        f"D{m},{2025 + (m + 9) // 12}-{(m + 9) % 12 + 1:02d}-15,DE,,100.05,EUR,direct,no,goods" for m in range(1, 13)]
    sales = write("orders.csv", "\n".join(lines) + "\n")
    held = write("registrations.csv", "jurisdiction,registered_on,collecting_from\nEU,2025-02-05,2025-01-01\n")
    beta = write("beta.yaml", "name: Beta\ncurrencies: [USD, EUR]\nrole:\n  merchant_of_record: [EU]\n")
    book = str(tmp_path / "beta.xlsx")
    assert run(beta, "--sales", sales, "--rates", RATES, "--registrations", held, "--as-of", "2026-10-31", "--home",
               "US-CA", "--workbook", book).exit_code == 0
    sheet = load_workbook(book)["Tax no longer yours"]
    heads = [c.value for c in next(r for r in sheet.iter_rows() if r[0].value == "Candidate")]
    [note] = [r[heads.index("Note")].replace("\n", " ") for r in sheet.iter_rows(values_only=True) if r[1] == "DE"]
    assert note.startswith("Nexus from your sales before the move lasts until the registration is cancelled;")
    assert "from the move on. Covered by your EU registration from 2025-02-05: you stay registered" in note


def test_without_an_exchange_rate_the_stocks_vat_stays_in_euros_and_says_why(write, tmp_path):
    """Before: with no rate for the as-of date, the German VAT a year read only 'no exchange rate converts EUR on
    2026-10-31: left out of the total', though its figure in euros was known (12 x EUR 1,000.05 x 19% = 2,280.11)."""
    lines = ["order_id,date,country,region,amount,currency,channel,exempt,category",
             "W0,2025-01-10,DE,,9999.00,EUR,direct,no,goods"] + [
        f"W{m},{2025 + (m + 9) // 12}-{(m + 9) % 12 + 1:02d}-15,DE,,1000.05,EUR,direct,no,goods" for m in range(1, 13)]
    sales = write("orders.csv", "\n".join(lines) + "\n")
    lager = write("lager.yaml", 'name: Lager\nstock: ["Frankfurt, DE"]\ncurrencies: [USD, EUR]\n')
    args = [lager, "--sales", sales, "--as-of", "2026-10-31", "--home", "US-CA", "--db", str(tmp_path / "empty.db")]
    said = flat(run(*args).output)
    assert ("VAT a year on your goods sold to customers in Germany: est. EUR 2,280.11 (no USD figure: no exchange "
            "rate converts EUR on the as-of date)") in said
    [row] = json.loads(run(*args, "--format", "json").output)["candidates"][0]["stock_registrations"]
    assert row["estimated"] and row["tax_a_year"]["central"] == "2280.11" and row["tax_a_year_reporting"] is None


def test_the_presence_delta_table_fits_an_80_column_terminal(write, monkeypatch):
    """Before: a candidate's stock in Frankfurt in place of today's cloud region there (safe harbor today, creates under
    the candidate, the sales test exceeded) printed its presence row 85 columns wide on an 80-column terminal: the
    Items column was cut no shorter than 30. Now it is cut as far as the table needs (Code 6, Effect 8, Today 11,
    Under 7, Sales test 12 and five gaps of 2 leave the Items the rest of 78, indented 2: "stock Frankfurt, DE;...")."""
    from nexus.cli import provider as command
    sales = write("orders.csv", HEADER + "".join(
        f"D{m},2026-{m:02d}-15,DE,,2000.00,EUR,direct,no,goods\n" for m in range(1, 11)))
    today = write("presence.csv", "kind,location,ownership,dedicated,function,since,until,note\n"
                                  "cloud-region,gcp:europe-west3,third-party,no,core,2024-01-01,,\n")
    stock = write("stock.yaml", 'name: Eurostock\nstock: ["Frankfurt, DE"]\ncurrencies: [EUR]\n')  # the region goes
    monkeypatch.setattr(command, "screen_width", lambda: 80)
    out = run(stock, "--sales", sales, "--presence", today, "--rates", RATES, "--as-of", "2026-10-31").output
    row = next(line for line in out.splitlines() if line.startswith("  DE      creates"))
    assert row.split()[:5] == ["DE", "creates", "safe-harbor", "creates", "exceeded"]
    assert row.endswith("stock Frankfurt, DE...") and len(row) <= 80
    assert max(len(line) for line in out.splitlines() if stock not in line and today not in line) <= 80


def test_every_side_by_side_table_asks_about_stock_in_the_eu_when_one_candidate_holds_some(write, monkeypatch):
    """Before: at 80 columns three candidates took two tables, and only the second, with the candidate holding stock
    in Frankfurt, had the row 'Stock in the EU: VAT reg.': the first read as though the question did not arise for
    its candidates (the workbook's and the memo's side by side say 'none' for them). Now each table has it."""
    from nexus.cli import provider as command
    sales = write("orders.csv", BOTH + "".join(
        f"E{m},{2025 + (m + 9) // 12}-{(m + 9) % 12 + 1:02d}-15,DE,,1000.05,EUR,direct,no,goods\n"
        for m in range(1, 13)))
    warehouse = write("warehouse.yaml", 'name: Warehouse\nstock: ["Reno, US-NV"]\ncurrencies: [USD]\nrole:\n  '
                                        'marketplace_facilitator: [US-PA]\n')
    merchant = write("merchant.yaml", "name: Merchant\ncurrencies: [USD, EUR]\nrole:\n  merchant_of_record: [EU]\n")
    eurostock = write("eurostock.yaml", 'name: Eurostock\nstock: ["Frankfurt, DE"]\ncurrencies: [USD, EUR]\n')
    monkeypatch.setattr(command, "screen_width", lambda: 80)
    result = run(warehouse, merchant, eurostock, "--sales", sales, "--rates", RATES, "--as-of", "2026-10-31",
                 "--home", "GB")
    assert result.exit_code == 0, result.output
    out = result.output
    heads = [line.split() for line in out.splitlines() if line.startswith(" " * 20) and line.strip()
             and line.split()[0] in ("Warehouse", "Merchant", "Eurostock")]
    assert heads == [["Warehouse", "Merchant"], ["Eurostock"]]  # two tables
    rows = [line.split("  ") for line in out.splitlines() if line.startswith("Stock in the EU: VAT reg.")]
    assert [[cell.strip() for cell in row if cell.strip()][1:] for row in rows] == [["0", "0"], ["1: DE"]]


def test_sales_of_a_million_in_a_place_leave_every_reason_beside_its_figures_on_paper(write, tmp_path):
    """Before: the Nexus delta's columns just fitted the printed page on the sample (1,280 of 1,280 pixels at the
    75% floor); sales of a million or more in a place (USD 1,200,000.60 in Texas here, GBP 3,388,595.12 at home for
    the sample with --home GB) widened its two sales columns, and the Why column went to pages of its own, away from
    the figures it explains, with rows printed empty but for a candidate and a code; the Tax no longer yours sheet
    did the same with its notes. Now the sentences wrap narrower, so each sheet prints in one column group."""
    sales = write("orders.csv", HEADER + "".join(
        f"T{m},{2025 + (m + 9) // 12}-{(m + 9) % 12 + 1:02d}-15,US,TX,100000.05,USD,direct,no,goods\n"
        for m in range(1, 13)))
    facilitator = write("facilitator.yaml", "name: Facilitator\ncurrencies: [USD]\nrole:\n  "
                                            "marketplace_facilitator: [US-TX]\n")
    book = tmp_path / "compare.xlsx"
    result = run(facilitator, "--sales", sales, "--as-of", "2026-10-31", "--workbook", str(book))
    assert result.exit_code == 0, result.output
    wb = load_workbook(book)
    assert "1,200,000.60" in result.output
    areas = {ws.title: re.findall(r"\$([A-Z]+)\$\d+:\$([A-Z]+)\$", ws.print_area) for ws in wb.worksheets}
    assert areas["Nexus delta"] == [("A", "K")] and areas["Tax no longer yours"] == [("A", "J")]
    assert all(ws.print_title_cols is None for ws in wb.worksheets)
    header = [c.value for c in next(r for r in wb["Nexus delta"].iter_rows() if r[0].value == "Candidate")]
    assert header[10] == "Why" and wb["Nexus delta"].column_dimensions["K"].width < 42


def test_without_orders_the_verdict_says_the_tax_a_role_takes_off_you_is_not_estimated(write):
    """Before: compared without orders, a merchant of record in GB (and a facilitator in Pennsylvania beside a
    warehouse in Reno) had verdicts silent on the tax they would take off the company ("Seller: 0 new nexus, 0 nexus
    removed, accounts not assessed..."), where the side-by-side table says "not estimated: no orders": read alone,
    the verdict a controller quotes said nothing moves. Now it says the figure is not estimated, and why; a
    candidate with no role still says nothing of it."""
    seller = write("seller.yaml", "name: Seller\nrole:\n  merchant_of_record: [GB]\ncurrencies: [USD, GBP]\n")
    warehouse = write("warehouse.yaml", 'name: Warehouse\nstock: ["Reno, US-NV"]\ncurrencies: [USD]\nrole:\n  '
                                        'marketplace_facilitator: [US-PA]\n')
    plain = write("plain.yaml", "name: Plain\ncurrencies: [USD]\n")
    result = run(seller, warehouse, plain, "--as-of", "2026-10-31", "--home", "GB")
    assert result.exit_code == 0, result.output
    verdicts = {c["name"]: c["verdict"] for c in json.loads(
        run(seller, warehouse, plain, "--as-of", "2026-10-31", "--home", "GB", "--format", "json").output)[
        "candidates"]}
    assert verdicts["Seller"].startswith("Seller: 0 new nexus, 0 nexus removed, tax no longer yours to collect not "
                                         "estimated (no orders given), ")
    assert ("Warehouse: 1 new nexus (US-NV), potential exposure not estimated (no orders given), 0 nexus removed, "
            "tax no longer yours to collect not estimated (no orders given), ") in verdicts["Warehouse"]
    assert "not estimated" not in verdicts["Plain"]
    assert verdicts["Seller"] in flat(result.output)


def test_an_accrued_exposure_of_zero_reads_as_zero_on_screen_in_the_memo_and_in_the_workbook(tmp_path_factory):
    """Before: Hostwell takes GB, DE and FR, registered and collecting, where today's check estimates USD 0.00 accrued
    to date: the screen said '-', the memo 'none' and the workbook 0.00 USD. A figure estimated at zero reads as zero
    in all three, its total too (the memo's foot said 'none'); the JSON keeps "0.00" with no note."""
    result = bundled_comparison(tmp_path_factory)
    hostwell = result.output.split("Hostwell:")[-1]
    for code in ("GB", "DE", "FR"):
        row = next(line for line in hostwell.splitlines() if line.split()[:2] == [code, "removed"])
        assert row.rstrip().endswith("USD 0.00")
    memo = result.file("providers.html").read_text(encoding="utf-8")
    table = memo.split('id="removed-table-')[1:]
    hostwell_table = next(t for t in table if 'data-code="GB"' in t).split("</table>")[0]
    cells = re.findall(r'<td class="num">([^<]*)</td>', hostwell_table)
    assert "none" not in cells and cells.count("USD 0.00") == 4  # GB, DE, FR and the foot
    sheet = load_workbook(result.file("compare.xlsx"))["Tax no longer yours"]
    rows = list(sheet.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "Candidate")  # under the sheet's note
    column = rows[head].index("Potential exposure accrued to date (stays)")
    found = {r[1]: r[column] for r in rows[head + 1:] if r[0] == "Hostwell"}
    assert [found[code] for code in ("GB", "DE", "FR", "Total")] == [0, 0, 0, 0]


def test_an_accrued_exposure_not_estimated_says_so_with_its_reason_never_zero_or_blank():
    """A place today's check has no estimate for (the EU's own row, estimated member state by member state) reads
    'not estimated' in the cell, the reason among its notes, and null with a note in the JSON (docs/json.md); a total
    over places some of which have none is 'in part'."""
    from nexus.provider_exposure import Removed
    from nexus.provider_report import _removed_place, accrued_cell, accrued_total_cell

    zero = Removed("GB", "United Kingdom", "", "merchant-of-record", False, "GBP", None, None, None, None,
                   accrued=Decimal("0"))
    unknown = Removed("EU", "European Union", "", "merchant-of-record", False, "EUR", None, None, None, None,
                      accrued_note="estimated member state by member state")
    assert accrued_cell(zero, "USD") == "USD 0.00" and accrued_cell(unknown, "USD") == "not estimated"
    assert accrued_total_cell([zero], "USD") == "USD 0.00"
    assert accrued_total_cell([zero, unknown], "USD") == "USD 0.00 (in part)"
    assert accrued_total_cell([unknown], "USD") == "not estimated"
    said = _removed_place(unknown, "USD")
    assert said["accrued_potential_exposure_reporting"] is None
    assert said["accrued_potential_exposure_note"] == "estimated member state by member state"
    assert _removed_place(zero, "USD")["accrued_potential_exposure_note"] is None


def test_the_workbooks_summary_gives_the_dates_the_memo_gives_under_each_verdict(tmp_path_factory):
    """Before: the memo's first page said under each verdict when new nexus starts, how long nexus the move removes
    keeps you liable and where you stay registered; the workbook, which holds the same figures (the Tax no longer
    yours sheet's notes), had no such line, and a controller handed the workbook alone never saw the dates together.
    Now the Summary's row under the verdicts says them, in the memo's words."""
    from html import unescape

    result = bundled_comparison(tmp_path_factory)
    rows = [[c.value for c in row] for row in load_workbook(result.file("compare.xlsx"))["Summary"].iter_rows()]
    verdict = next(i for i, r in enumerate(rows) if r[0] == "Verdict")
    assert rows[verdict + 1][0] == "Dates"
    memo = result.file("providers.html").read_text(encoding="utf-8")
    said = [unescape(re.sub(r"<[^>]+>", "", s)).removeprefix("Dates: ")  # each date in a span that keeps it whole
            for s in re.findall(r'<span class="dates">((?:[^<]|<span class="whole">[^<]*</span>)*)</span>', memo)]
    cells = [c.replace("\n", " ") for c in rows[verdict + 1][1:3]]  # its lines end with breaks: it holds dates
    assert len(said) == 2 and cells == [s[:1].upper() + s[1:] for s in said]
    assert "US-GA to 2026-12-31" in cells[1] and "US-PA to 2028-03-31" in cells[1]
