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


def _summary_lines(path):
    from openpyxl import load_workbook
    sheet = load_workbook(path)["Summary"]
    return [" ".join(str(v) for v in row if v is not None) for row in sheet.iter_rows(values_only=True)]


def test_the_workbook_counts_act_now_as_the_screen_does_and_says_the_home_apart(tmp_path):
    # --home US-CA with USD 600,000 shipped to Texas on 2026-03-01 (over Texas's USD 500,000: potential exposure in
    # 1 jurisdiction) and USD 1,000 to California, the home. The screen and the memo counted 1; the workbook's
    # Summary counted the home in Act now: 'potential exposure in 2 jurisdictions', a home with nothing to act on.
    orders = ("T1,2026-03-01,US,TX,600000.00,USD,goods,direct\n"
              "C1,2026-03-02,US,CA,1000.00,USD,goods,direct\n")
    book = tmp_path / "r.xlsx"
    screen = run(tmp_path, orders, "2026-06-30", "US-CA", "--workbook", str(book))
    assert "Act now: potential exposure in 1 jurisdiction, most urgent first" in screen
    lines = _summary_lines(book)
    assert [line for line in lines if line.startswith("Act now")] == [
        "Act now: potential exposure in 1 jurisdiction, most urgent first"]
    # the home has its own block, in the screen's words
    text = " ".join(" ".join(lines).split())
    start = text.index("Home: California (US-CA)")
    home = text[start:text.index(" Code ", start)]
    assert home in " ".join(screen.split())


def test_the_workbook_does_not_list_the_home_as_registered_and_collecting(tmp_path):
    # --home GB, GBP 100,000 sold in the UK on 2026-01-10: the 12 months to 2026-01-31 exceed GBP 90,000; the
    # registration held since 2026-01-05 covers it. The screen says it in the Home paragraph; the workbook's Summary
    # said 'Registered and collecting: GB.' as if the home were a place abroad.
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note\nGB,2026-01-05,2026-01-05,GB123456789,\n")
    book = tmp_path / "r.xlsx"
    screen = run(tmp_path, "G1,2026-01-10,GB,,100000.00,GBP,goods,direct\n", "2026-06-30", "GB",
                 "--registrations", str(regs), "--workbook", str(book))
    assert "Registered and collecting" not in screen
    lines = _summary_lines(book)
    assert not [line for line in lines if line.startswith("Registered and collecting")]
    text = " ".join(" ".join(lines).split())
    assert "Home: United Kingdom (GB), nexus by establishment." in text
    assert "Registered on 2026-01-05" in text
    assert "None: no sales test met, no presence that creates nexus." in text  # not 'no home jurisdiction'
    assert "no home jurisdiction" not in text


def test_the_home_line_says_from_when_its_tax_is_due_and_which_period_decides(tmp_path):
    # As of 2025-06-30 the screen's Home line read 'Not assessed: ... specified period 2024-01-01 to 2024-06-30,
    # before the first order' and then 'Register now: the deadline was 2025-03-10', never saying what was met: the
    # specified period of 2025 (JPY 11,000,000 by 2025-03-10), which makes the business taxable from 2026-01-01.
    # The notification is due promptly once that period's total is known: by 2025-07-01, the day after it ends (it
    # read 'Register now: the deadline was 2025-03-10', the crossing day, before the period's total was made).
    memo = tmp_path / "m.html"
    screen = " ".join(run(tmp_path, JP_2025, "2025-06-30", "JP", "--html", str(memo)).split())
    said = ("Consumption tax (JCT) is due from 2026-01-01, by the test met in specified period 2025-01-01 to "
            "2025-06-30.")
    assert f"{said} Register by 2025-07-01" in screen
    import re
    assert said in " ".join(re.sub(r"<[^>]+>", " ", memo.read_text()).split())


def test_a_uk_home_says_the_next_30_days_test_is_not_checked(tmp_path):
    # GBP 100,000 sold on 2026-01-10: over GBP 90,000 in a single day, so the 'next 30 days' test (Sch. 1 para.
    # 1(1)(b)) may have applied from before the month-end dates nexus gives (liable 2026-01-31, VAT from
    # 2026-03-01); it turns on what was expected, which orders do not show. Nothing in any output said so.
    orders = "G1,2026-01-10,GB,,100000.00,GBP,goods,direct\n"
    gb = home_json(tmp_path, orders, "2026-06-30", "GB")
    assert (gb["nexus_since"], gb["collect_from"]) == ("2026-01-31", "2026-03-01")
    said = [r for r in gb["reasons"] if r.startswith("Not checked: ")]
    assert len(said) == 1 and said[0].startswith(
        "Not checked: the 'next 30 days' test (VAT Act 1994 Sch. 1 para. 1(1)(b)): a business is also liable at any "
        "time there are reasonable grounds to believe that its taxable supplies in the next 30 days alone will exceed "
        "the threshold")
    assert "https://gov.uk/hmrc-internal-manuals/vat-registration-manual/vatreg26250" in gb["sources"]
    # the screen's Home line names it; --verbose (the reasons) says it in full
    screen = " ".join(run(tmp_path, orders, "2026-06-30", "GB").split())
    assert "Not checked: the 'next 30 days' test (VAT Act 1994 Sch. 1 para. 1(1)(b)) (--verbose for why)." in screen
    assert said[0] in " ".join(run(tmp_path, orders, "2026-06-30", "GB", "--verbose").split())


def test_a_japanese_home_says_invoice_issuers_and_salaries_are_not_checked(tmp_path):
    # Consumption Tax Act art. 9(1) since 2023-10-01: a business under JPY 10 million is exempt
    # '(適格請求書発行事業者を除く。)': a qualified invoice issuer is taxable whatever its sales; art. 9-2(3): the
    # specified period may be measured by salaries instead of sales. Neither was said in any output.
    jp = home_json(tmp_path, JP_2025, "2025-09-30", "JP")
    said = [r for r in jp["reasons"] if r.startswith("Not checked: ")]
    assert len(said) == 3
    assert said[0].startswith("Not checked: the invoice system: a qualified invoice issuer (registered from "
                              "2023-10-01) is taxable whatever its sales (Consumption Tax Act art. 9(1))")
    assert said[1].startswith("Not checked: salaries in the specified period: a business may take the salaries paid")
    # the periods are calendar years: a business year from April to March (common in Japan) is not the company's own
    assert said[2].startswith("Not checked: the business year: a corporation's base period is its business year two "
                              "years before")
    import re
    memo = tmp_path / "m.html"
    run(tmp_path, JP_2025, "2025-09-30", "JP", "--html", str(memo))
    assert ("Not checked: the invoice system; salaries in the specified period; the business year (the "
            "workbook&#39;s Findings say why).") in " ".join(re.sub(r"<[^>]+>", " ", memo.read_text()).split())
    assert "https://laws.e-gov.go.jp/law/363AC0000000108" in jp["sources"]


def test_only_a_domestic_test_says_what_it_does_not_check(tmp_path):
    # The not-checked sentences belong to the home's test: a seller established elsewhere selling into the UK
    # (no --home: the zero-threshold rule for sellers not established there) is not told about the UK's
    # 'next 30 days' test.
    sales = tmp_path / "orders.csv"
    sales.write_text(HEADER + "G1,2026-01-10,GB,,100000.00,GBP,goods,direct\n")
    out = CliRunner().invoke(cli, ["check", "--sales", str(sales), "--rates", RATES, "--as-of", "2026-06-30",
                                   "--format", "json", "--db", str(tmp_path / "db.sqlite3")], catch_exceptions=False)
    found = json.loads(out.output[:out.output.rindex("}") + 1])["findings"]
    gb = next(f for f in found if f["jurisdiction"] == "GB")
    assert not [r for r in gb["reasons"] if r.startswith("Not checked: ")]


def test_a_german_homes_estimate_reads_as_a_german_sellers(tmp_path):
    # --home DE, EUR 120,000 of goods to a customer in Germany on 2025-02-01 (over § 19 UStG's EUR 100,000 in the
    # current year: VAT from that supply), EUR 1,000 of services and EUR 500 of digital products there in March.
    # VAT at 19% on all three: 121,500.00 x 0.19 = EUR 23,085.00. The estimate read the rows written for a seller
    # established outside the EU: 'advice and other services of a seller outside the EU are not (Art. 45): the
    # estimate is high for them', though a German seller's services to Germans are taxed in Germany (§ 3a(1)).
    orders = ("D1,2025-02-01,DE,,120000.00,EUR,goods,direct\n"
              "S1,2025-03-01,DE,,1000.00,EUR,services,direct\n"
              "X1,2025-03-02,DE,,500.00,EUR,digital,direct\n")
    de = home_json(tmp_path, orders, "2025-06-30", "DE")
    assert de["collect_from"] == "2025-02-01"
    assert (de["exposure"]["currency"], de["exposure"]["uncollected"]["central"]) == ("EUR", "23085.00")
    said = " ".join(run(tmp_path, orders, "2025-06-30", "DE").split())
    assert "seller outside the EU" not in said and "EU (services" not in said
    assert "Germany (digital): taxed at the standard rate" in said


def test_the_memo_home_line_gives_the_test_it_calls_below(tmp_path):
    # The memo's Home line said 'Registration at home follows the test ..., measured below' (Japan) and 'the
    # remote-seller test below is shown for information only' (California), and nothing followed on the page.
    import re
    memo = tmp_path / "m.html"
    run(tmp_path, JP_2025, "2025-09-30", "JP", "--html", str(memo))
    text = " ".join(re.sub(r"<[^>]+>", " ", memo.read_text()).split())
    line = text[text.index("Japan (JP), nexus by establishment."):]
    # as of 2025-09-30 the test measured is the one deciding 2025, whose periods lie before the first order
    assert line.index("measured below") < line.index(
        "test (&gt; JPY 10,000,000) measures specified period 2024-01-01 to 2024-06-30, before the first order") \
        < line.index("Consumption tax (JCT) is due from 2026-01-01")
    memo = tmp_path / "ca.html"
    run(tmp_path, "C1,2026-03-02,US,CA,1000.00,USD,goods,direct\n", "2026-06-30", "US-CA", "--html", str(memo))
    text = " ".join(re.sub(r"<[^>]+>", " ", memo.read_text()).split())
    text = text.replace("&#39;", "'")
    assert ("the remote-seller test below is shown for information only. Below California's test (&gt; USD 500,000): "
            "sales of USD 1,000.00") in text


def test_a_home_says_which_days_before_its_duty_the_orders_cannot_decide(tmp_path):
    # JPY 11,000,000 in the specified period 2025-01-01 to 2025-06-30: taxable from 2026-01-01, and the estimate
    # starts then (JPY 2,000,000 sold in Japan on 2026-02-01 at 10%: JPY 200,000). Whether 2025 itself was taxable
    # is decided by 2023 (base period) and 2024-01-01 to 2024-06-30 (specified period), which no order reaches; the
    # outputs said nothing of 2025, as if no tax were due then.
    orders = JP_2025 + "C,2026-02-01,JP,,2000000,JPY,goods,direct\n"
    jp = home_json(tmp_path, orders, "2026-03-31", "JP")
    assert (jp["exposure"]["from"], jp["exposure"]["uncollected"]["central"]) == ("2026-01-01", "200000")
    said = ("Not known from the orders: whether consumption tax (JCT) was due from 2025-01-10 to 2025-12-31 is "
            "decided by base period (calendar year 2023) and specified period 2024-01-01 to 2024-06-30, before the "
            "first order (not covered by the data): those days are not estimated.")
    assert said in jp["reasons"]
    memo = tmp_path / "m.html"
    screen = " ".join(run(tmp_path, orders, "2026-03-31", "JP", "--html", str(memo)).split())
    assert said in screen
    # its dates are kept whole on the page (each in a span of its own: '2025-01-' above '10' read as two dates)
    import re
    assert said in " ".join(re.sub(r"</?span[^>]*>", "", memo.read_text()).split())


def test_a_german_home_says_the_first_days_of_the_year_are_decided_by_the_year_before(tmp_path):
    # Germany: EUR 30,000 on 2025-01-02 and EUR 80,000 on 2025-01-20 to customers in Germany: over EUR 100,000 in
    # the current year on 2025-01-20 (VAT from that supply); from 2025-01-02 to 2025-01-19, whether VAT was due is
    # decided by 2024 (over EUR 25,000 then: VAT from 2025-01-01), which no order reaches: said. With a registration
    # collecting since the first order, nothing before the duty is at stake: not said.
    orders = ("D1,2025-01-02,DE,,30000.00,EUR,goods,direct\n"
              "D2,2025-01-20,DE,,80000.00,EUR,goods,direct\n")
    de = home_json(tmp_path, orders, "2025-06-30", "DE")
    assert de["collect_from"] == "2025-01-20"
    assert ("Not known from the orders: whether VAT was due from 2025-01-02 to 2025-01-19 is decided by calendar "
            "year 2024, before the first order (not covered by the data): those days are not estimated.") \
        in de["reasons"]
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note\nDE,2024-03-01,2024-03-01,DE123456789,\n")
    text = run(tmp_path, orders, "2025-06-30", "DE", "--registrations", str(regs), "--format", "json")
    found = json.loads(text[:text.rindex("}") + 1])["findings"]
    de = next(f for f in found if f["jurisdiction"] == "DE" and not f["part_of"])
    assert de["action"] == "registered"
    assert not [r for r in de["reasons"] if r.startswith("Not known from the orders")]


def test_a_rule_of_two_tests_on_one_period_says_its_coverage_once(tmp_path):
    # § 19 UStG measures the current calendar year twice (EUR 25,000 for next year, EUR 100,000 for this one): on
    # orders from 2025-01-02 the reasons said 'calendar year 2025 to 2025-06-30 is covered by the data only from
    # that day' twice over.
    orders = ("D1,2025-01-02,DE,,30000.00,EUR,goods,direct\n"
              "D2,2025-01-20,DE,,80000.00,EUR,goods,direct\n")
    de = home_json(tmp_path, orders, "2025-06-30", "DE")
    said = [r for r in de["reasons"] if r.startswith("No orders before 2025-01-02: calendar year 2025")]
    assert said == ["No orders before 2025-01-02: calendar year 2025 to 2025-06-30 is covered by the data only from "
                    "that day; its earlier days are unknown, not zero."]


def test_a_us_state_home_without_a_permit_in_the_registrations_file_is_told_so_and_estimated(tmp_path):
    # --home US-CA: 'A seller with a place of business in California must hold a sales tax permit', and the
    # registrations file (a Texas permit only) holds none for California. The finding said 'Register now' and 'The
    # sales tax at stake there is not estimated', with no action in the JSON and nothing in the total: a finance
    # team read no figure for the one state it sells most in. Now the tax of the sales the orders show is estimated
    # (USD 1,000.00 on 2026-03-02 at California's 2026 rates: 7.25% base, 8.99% average, 11.25% highest), from the
    # first order, saying the day the business began there is not given. With a California permit held, it is
    # named; with no registrations file, nexus cannot tell a permit held from one not given, and says nothing.
    orders = "C1,2026-03-02,US,CA,1000.00,USD,goods,direct\n"
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note\nUS-TX,2024-01-01,2024-01-01,TX1234,\n")
    memo = tmp_path / "m.html"
    screen = " ".join(run(tmp_path, orders, "2026-06-30", "US-CA", "--registrations", str(regs),
                          "--html", str(memo)).split())
    said = (f"Register now: the registrations file ({regs}) holds no sales tax permit for California, which a seller "
            "with a place of business there must hold. The sales tax on its sales there is at stake from the day the "
            "business began there, which nexus is not given (list the office in the presence file with its since "
            "date): the estimate counts from the first order.")
    assert said in screen
    assert said in " ".join(memo.read_text().split())
    assert "Estimated tax not collected from 2026-03-02 to 2026-06-30: USD 89.90 (an estimate to review)." in screen
    found = json.loads(run(tmp_path, orders, "2026-06-30", "US-CA", "--registrations", str(regs), "--format",
                           "json"))
    [ca] = [f for f in found["findings"] if f["jurisdiction"] == "US-CA"]
    assert (ca["nexus"], ca["action"], ca["nexus_since"]) == ("establishment", "register-now", None)
    exposure = ca["exposure"]
    assert exposure["uncollected"] == {"low": "72.50", "central": "89.90", "high": "112.50"}
    assert ("Tax at home was due from the day the business began there, which nexus is not given: estimated from "
            "the first order on 2026-03-02; earlier sales are not covered by the data (list the office in the "
            "presence file with its since date).") in exposure["assumptions"]
    # California's programme in the data is its Out-of-State Voluntary Disclosure Program: not applied at home.
    assert exposure["scenarios"]["vda"]["note"].startswith("not estimated: the state's voluntary disclosure terms")
    assert found["summary"]["exposure_total"]["tax"]["central"] == "89.90"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note\nUS-CA,2020-01-01,2020-01-01,CA1234,\n")
    screen = " ".join(run(tmp_path, orders, "2026-06-30", "US-CA", "--registrations", str(regs)).split())
    assert "holds no sales tax permit" not in screen and "Registered on 2020-01-01" in screen
    assert "Estimated tax" not in screen
    assert "Register now" not in run(tmp_path, orders, "2026-06-30", "US-CA")


def test_a_us_state_home_with_its_office_in_the_presence_file_still_needs_its_permit(tmp_path):
    # --home US-CA with the head office in the presence file and a registrations file holding a Texas permit alone:
    # the office gave California a window of presence, and 'Register now: ... holds no sales tax permit for
    # California' was said only when there was none; a seller's own office is where the permit is needed most.
    # The office's since date dates the nexus; the days before the first order are said, not estimated.
    orders = "C1,2026-03-02,US,CA,1000.00,USD,goods,direct\n"
    regs = tmp_path / "regs.csv"
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note\nUS-TX,2024-01-01,2024-01-01,TX1234,\n")
    where = tmp_path / "presence.csv"
    where.write_text('kind,location,ownership,dedicated,function,since,until,note\n'
                     'office,"Los Angeles, US-CA",owned,yes,core,2020-05-01,,head office\n')
    screen = " ".join(run(tmp_path, orders, "2026-06-30", "US-CA", "--registrations", str(regs), "--presence",
                          str(where)).split())
    assert (f"Register now: the registrations file ({regs}) holds no sales tax permit for California, which a "
            "seller with a place of business there must hold. The sales tax on its sales there is at stake from "
            "2020-05-01, the day the presence file gives for the seller's presence there, 2251 days before the as-of "
            "date.") in screen
    assert "Estimated tax not collected from 2026-03-02 to 2026-06-30: USD 89.90" in screen
    found = json.loads(run(tmp_path, orders, "2026-06-30", "US-CA", "--registrations", str(regs), "--presence",
                           str(where), "--format", "json"))
    [ca] = [f for f in found["findings"] if f["jurisdiction"] == "US-CA"]
    assert (ca["action"], ca["nexus_since"], ca["register_by"]) == ("register-now", "2020-05-01", "2020-05-01")
    assert ("Tax was due from 2020-05-01, but the orders start on 2026-03-02: 2020-05-01 to 2026-03-01 is not covered "
            "by the data and not estimated (supply the earlier orders).") in ca["exposure"]["assumptions"]


def test_a_german_home_says_distance_sales_below_the_union_threshold_carry_german_vat(tmp_path):
    # EUR 120,000 sold in Germany on 2025-02-01 (VAT from that supply) and EUR 4,000 of goods to a consumer in France
    # on 2025-03-01: the union-wide EUR 10,000 is not passed, so that sale is supplied in Germany (§ 3c(4) UStG) and
    # carries German VAT (EUR 760.00), which the estimate at home (EUR 120,000 x 19% = EUR 22,800.00) leaves out as
    # a sale abroad. The reasons called every sale of goods abroad 'export-exempt or an intra-Community supply'
    # (§ 4 no. 1(b) is for a business buyer) and did not say the estimate may be low by it.
    orders = ("D1,2025-02-01,DE,,120000.00,EUR,goods,direct\n"
              "F1,2025-03-01,FR,,4000.00,EUR,goods,direct\n")
    de = home_json(tmp_path, orders, "2025-06-30", "DE")
    assert de["exposure"]["uncollected"]["central"] == "22800.00"
    said = " ".join(de["reasons"])
    assert "taxed in Germany when sold to a consumer in another member state while the EU's EUR 10,000 is not " \
           "passed (§ 3c(4))" in said
    assert ("Not checked: German VAT on distance sales below the EU's EUR 10,000: sales to consumers in other member "
            "states made while the EU's EUR 10,000 (last year and this) is not passed are supplied in Germany") in said


def test_a_rule_says_what_it_does_not_check_in_named_parts():
    # The data names each part (the Home line lists the names) and says why (the reasons): a bare sentence, or a
    # part without words, is an error naming the row, not a Home line that prints nothing.
    import pytest
    from conftest import book, make_rule
    from nexus.errors import RulesError
    rule = book(make_rule(not_checked=[{"what": "the business year", "why": "calendar years are measured"}])).rules[0]
    assert [(n.what, n.why) for n in rule.not_checked] == [("the business year", "calendar years are measured")]
    for bad in (["a sentence"], [{"what": "x"}], [{"what": "", "why": "y"}], "a sentence"):
        with pytest.raises(RulesError, match="not_checked"):
            book(make_rule(not_checked=bad))


def test_the_homes_reasons_speak_of_the_home_not_of_the_option(tmp_path):
    # The memo's rules section and the workbook's Findings printed 'Established in Japan (--home JP): nexus by
    # establishment', a command-line option in a sentence for the CFO.
    jp = home_json(tmp_path, JP_2025, "2025-09-30", "JP")
    assert jp["reasons"][0] == "Established in Japan, the seller's home: nexus by establishment, whatever the sales."
    assert not [r for r in jp["reasons"] if "--home" in r]
