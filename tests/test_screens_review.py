"""From a review of every command's normal output as a controller and a CFO read it (screens, JSON, workbook,
memo): each test here failed on the code it was written against."""
from __future__ import annotations

from decimal import Decimal

import pytest

from nexus.timing_rules import Start


def test_a_start_rule_of_one_day_and_a_fixed_date_read_as_words():
    # Ohio's rule (1 day after the test is met) read '1 days' in the reasons, the Timeline and the memo;
    # Pennsylvania's 'from the next 04-01 after the measuring period closes'.
    assert Start("after_days", days=1).words() == "1 day after the test is met"
    assert Start("after_days", days=60).words() == "60 days after the test is met"
    assert Start("quarter_end_plus_months", months=1).words() == (
        "by the end of the month 1 month after the quarter in which the test is met")
    assert Start("next_date", on="04-01").words() == "from the next April 1 after the measuring period closes"
    assert Start("next_date", on="10-01").words() == "from the next October 1 after the measuring period closes"


def _sample(home=None, on="2026-10-31", registrations=True):
    from datetime import date

    from conftest import SAMPLES, sample_ledger
    from nexus import presence
    from nexus.check import check
    from nexus.fx import load_rates
    from nexus.registrations import read_registrations
    from nexus.rules import load_rules
    from nexus.findings import Context
    day = date.fromisoformat(on)
    if "sample" not in _LEDGER:
        _LEDGER["sample"] = sample_ledger()
    ledger = _LEDGER["sample"]
    items = presence.assess(presence.read_presence(str(SAMPLES / "presence.csv")), day)
    rules = load_rules()
    held = read_registrations(str(SAMPLES / "registrations.csv"), rules.countries()) if registrations else ()
    return check(ledger, rules, day, load_rates(str(SAMPLES / "eurofxref-hist.csv")), presence=items,
                 home=home, timed=Context(held))


_RESULTS: dict = {}
#: The sample's orders, one copy for this module's six checks (a copy took 0.3 s, most of a check's 0.45 s): a check
#: reads its ledger and never changes it, so the checks read one another's no differently than their own copies.
_LEDGER: dict = {}


def sample(**options):
    key = tuple(sorted(options.items()))
    if key not in _RESULTS:
        _RESULTS[key] = _sample(**options)
    return _RESULTS[key]


@pytest.fixture(scope="module")
def sample_book(tmp_path_factory):
    """The sample check's workbook, written and read back once for the tests that read its sheets (writing it
    and reading it back are most of their time). Read-only: each sheet is parsed as a test reads its rows, not the
    whole report with its month-by-month appendices (2.05 to 1.6 CPU-seconds for the fixture and its three tests)."""
    from openpyxl import load_workbook

    from nexus.workbooks.report import write_check_workbook
    path = tmp_path_factory.mktemp("report") / "report.xlsx"
    write_check_workbook(sample(), str(path))
    book = load_workbook(path, read_only=True)
    yield book
    book.close()


def test_a_deadline_met_late_is_not_just_registered_on_the_timeline():
    # Florida: tax due from 2026-01-01, registered 2026-02-16 collecting from 2026-03-01 (59 days uncovered):
    # the Timeline (workbook, memo, JSON) said 'register by 2026-01-01: registered', as for a deadline met.
    from nexus.timeline import timeline
    events = timeline(sample().findings)
    florida = next(e for e in events if e["jurisdiction"] == "US-FL" and e["event"] == "register by")
    assert florida["detail"] == ("registered 2026-02-16, collecting from 2026-03-01: 59 days (2026-01-01 to "
                                 "2026-02-28) not covered by collection")
    washington = next(e for e in events if e["jurisdiction"] == "US-WA" and e["event"] == "register by")
    assert washington["detail"] == "registered"
    # presence: its collect-from date says where it comes from instead of an empty cell
    texas = next(e for e in events if e["jurisdiction"] == "US-TX" and e["event"] == "collect from")
    assert texas["detail"] == "from the day the presence began"


def test_the_summary_counts_statuses_as_the_findings_sheet_shows_them(sample_book):
    # The Summary's 'Jurisdictions by status' said 36 below while the Findings sheet showed 34 below and 2
    # 'presence only' (the Netherlands' warehouse, Ontario's contractor): the two sheets did not tie.
    book = sample_book
    findings = book["Findings"]
    header = [c.value for c in next(findings.iter_rows(max_row=1))]
    column = header.index("Status")
    shown: dict = {}
    for row in findings.iter_rows(min_row=2, values_only=True):
        if row[0] and row[column]:
            shown[row[column]] = shown.get(row[column], 0) + 1
    summary = [[c for c in row if c is not None] for row in book["Summary"].iter_rows(values_only=True)]
    start = next(i for i, row in enumerate(summary) if row == ["Jurisdictions by status"])
    counted = {}
    for row in summary[start + 2:]:
        if len(row) < 2 or not isinstance(row[0], int):
            break
        counted[row[1]] = row[0]
    assert counted == shown and counted["presence only"] == 2


def test_the_watch_heading_names_the_approaching_places_in_act_now(sample_book):
    # The Summary counted 4 approaching under 'Jurisdictions by status' while Watch listed 3: Texas's sales test is
    # approaching (88%) but its presence puts it in Act now. The heading now names it, so the two reconcile.
    summary = [[c for c in row if c is not None] for row in sample_book["Summary"].iter_rows(values_only=True)]
    watch = [row[0] for row in summary if row and str(row[0]).startswith("Watch:")]
    assert watch == ["Watch: 3 approaching a threshold (also approaching, in Act now: US-TX)"]
    start = next(i for i, row in enumerate(summary) if row == ["Jurisdictions by status"])
    approaching = next(row[0] for row in summary[start + 2:] if len(row) > 1 and row[1] == "approaching")
    assert approaching == 3 + 1


def test_the_home_line_shows_the_test_it_says_is_below():
    # --home JP said 'follows the test for businesses established in Japan, measured below' and --home US-CA
    # 'the remote-seller test below is shown for information only', with nothing below: the home is in no table.
    from nexus.terminal import check_screen
    japan = " ".join(check_screen(sample(home="JP")).split())
    # the figure counts the goods exported (export-exempt sales count in Japan's taxable sales): JPY 263,701,632,
    # JPY 246,131,219 of it abroad, where the sales shipped to Japan alone were JPY 17,570,413
    assert ("measured below: register and account for consumption tax (JCT) there when it is met. Potential "
            "exposure: Japan consumption tax (JCT)'s registration test (> JPY 10,000,000) is met by sales of JPY "
            "263,701,632") in japan
    assert "Sales abroad: JPY 246,131,219 counted;" in japan
    # Japan's domestic test was met in the specified period: registering at home was due once it ended, and is said
    assert ("Register now: the deadline was 2025-07-01, 487 days before the as-of date, and no registration in "
            "the registrations file covers it.") in japan
    home = next(f for f in sample(home="JP").findings if f.jurisdiction == "JP")
    assert (home.timing.action, home.timing.register_by.isoformat(), home.timing.collect_from.isoformat()) == (
        "register-now", "2025-07-01", "2026-01-01")
    # ... and the consumption tax not collected since is at stake, as it would be anywhere else, on what a Japanese
    # seller's sales are taxed on (taxability.json's rows for established sellers). The sales shipped to Japan from
    # 2026-01-01 to 2026-10-31, direct and affiliate, not exempt or for resale, net of refunds and chargebacks, from
    # the sample's orders (repeated rows once): goods JPY 22,175,248, digital products 669,215, SaaS 1,141,044 (all
    # taxable at the standard 10%), services 2,484,051 (supplied where performed, which the orders do not say:
    # not estimated). 10% of 22,175,248 + 669,215 + 1,141,044 = 23,985,507 is JPY 2,398,550.7.
    # Before, goods read the non-resident's row ('no') and services its 'yes': 10% of 4,294,310 = JPY 429,431.
    # Its marketplace sales are its own supplies too (Japan's rule for established sellers counts them; no deemed
    # supplier for a Japanese seller): goods 5,343,020, digital 103,228, SaaS 193,109 at 10% more, services
    # 475,782 not estimated. 23,985,507 + 5,343,020 + 103,228 + 193,109 = 29,624,864: JPY 2,962,486.4.
    # The refunds in 2026 of sales made in 2025, linked to them by order id, are no credit and left out (since
    # 2026-12-07; before, netted): direct goods 59,785, digital 788, SaaS 17,032, services 23,734; marketplace goods
    # 35,903, SaaS 16,540, services 45,381. 29,624,864 + 59,785 + 788 + 17,032 + 35,903 + 16,540 = 29,754,912:
    # JPY 2,975,491.2; services not estimated 2,484,051 + 475,782 + 23,734 + 45,381 = 3,028,948.
    assert (home.exposure.start.isoformat(), home.exposure.taxable_sales, round(home.exposure.uncollected.central),
            home.exposure.currency) == ("2026-01-01", 29754912, 2975491, "JPY")
    assert home.exposure.not_estimated == {"services: taxability unknown": 2484051 + 475782 + 23734 + 45381}
    assert ("Estimated tax not collected from 2026-01-01 to 2026-10-31: JPY 2,975,491 (an estimate to review, in "
            "the total above). Not estimated: JPY 3,028,948 of sales (services: taxability unknown). Japan (goods): "
            "taxed here at the standard 10%; food and drink") in japan
    # A US state as home: its tax is the business's own, estimated only where the registrations file holds no permit
    # for it, as the sample's does not (California, the sample's largest US market: USD 58,806.12 from the first
    # order, tests/test_home_audit.py has the figures worked by hand); without a registrations file nothing is.
    estimated = next(f for f in sample(home="US-CA").findings if f.jurisdiction == "US-CA").exposure
    assert (estimated.start.isoformat(), str(round(estimated.uncollected.central, 2))) == ("2025-01-01", "58806.12")
    assert next(f for f in sample(home="US-CA", registrations=False).findings
                if f.jurisdiction == "US-CA").exposure is None
    california = " ".join(check_screen(sample(home="US-CA")).split())
    # the home's remote-seller test is information, not exposure: establishment is what gives it nexus
    assert ("shown for information only. Remote-seller test, for information: sales of USD 462,685.32 and 865 "
            "transactions") in california
    assert "Potential exposure approaching" not in california.split("Home: ")[1].split("Watch:")[0]
    texas = " ".join(check_screen(sample(home="US-TX")).split())
    assert "for information: sales of USD 441,035.11 and 1,196 transactions" in texas
    germany = " ".join(check_screen(sample(home="DE")).split())
    # Germany's § 19 UStG test from 2025 is measured: the home line says so and gives the figure
    assert ("Registration at home follows the test for businesses established in Germany, measured below"
            in germany)
    assert "Germany VAT's registration test (> EUR 25,000) is met by sales of EUR 3,596,624.62" in germany


def test_the_currency_review_fits_the_screen(monkeypatch):
    # At 100 columns (a pipe, a file) and on an 80-column terminal the review's table was 144 wide and its first
    # line 133: the Action column was 70 wide whatever the screen.
    from click.testing import CliRunner

    from conftest import SAMPLES as SAMPLES_FOLDER, SAMPLES_AS_GIVEN as SAMPLES
    from nexus.cli import books, cli
    args = ["currencies", "review", "--provider", str(SAMPLES / "provider-currencies-2026-q4.txt"), "--previous",
            str(SAMPLES / "provider-currencies-2026-q3.json"), "--coa", str(SAMPLES / "chart-of-accounts.csv")]
    monkeypatch.chdir(SAMPLES_FOLDER.parent)  # the paths as the README gives them: a path is never cut to fit
    for width in (100, 80):
        monkeypatch.setattr(books, "screen_width", lambda: width)
        out = CliRunner().invoke(cli, args, catch_exceptions=False).stdout
        assert max(len(line) for line in out.splitlines()) <= width, out
        assert "supply BHD rates (a treasury CSV to nexus check --rates)" in " ".join(out.split())


def test_history_names_the_exceeded_places_beside_their_count_and_fits_the_screen(write):
    # '17 exceeded, 4 approaching (US-FL, US-OH, ...)' read as if Florida and Ohio were approaching; at 80
    # columns the table was 94 wide.
    from nexus.store import Event
    from nexus.terminal import _event_summary, history_screen
    said = _event_summary("check", {"statuses": {"exceeded": 2, "approaching": 1, "below": 3},
                                    "exceeded": ["US-FL", "US-OH"], "rows_read": 10})
    assert said == "2 exceeded (US-FL, US-OH), 1 approaching, 3 below; 10 rows read"
    events = [Event(id=i, at="2026-12-05T23:42:00+00:00", kind="check",
                    subject="as of 2026-10-31: spreadsheets/orders-2025.csv, spreadsheets/orders-2026.csv",
                    summary={"statuses": {"exceeded": 17, "approaching": 4}, "rows_read": 31677,
                             "exceeded": ["US-FL", "US-OH", "US-NJ", "US-IL", "US-NC", "US-PA"]})
              for i in (9, 10)]
    for width in (80, 100, 120):
        assert max(len(line) for line in history_screen(events, width).splitlines()) <= width


def test_a_wide_screen_shows_the_rules_whole():
    # At 200 columns 'nexus rules' still cut 'current or previous cal...' and 'Switzerland (services...':
    # text was shortened before the table was measured against the screen.
    from datetime import date

    from nexus.rules import load_rules
    from nexus.terminal import rules_screen
    rules = load_rules().select(date(2026, 10, 31))
    wide = rules_screen(rules, 200)
    assert "current or previous calendar year " in wide and "Switzerland (services, worldwide" in wide
    assert max(len(line) for line in wide.splitlines()) <= 200
    narrow = rules_screen(rules, 100)
    # at 100 the commonest period still reads whole: the columns left out make room for it
    assert "current or previous calendar year" in narrow and max(len(line) for line in narrow.splitlines()) <= 100


def test_provider_compare_does_not_call_a_count_that_differs_by_candidate_the_same_whatever_the_provider(
        tmp_path_factory):
    # 'Accounts: 6 new because of Hostwell (and 43 the chart lacks today whatever the provider)' beside
    # Shopkit's '(and 48 ... whatever the provider)': Hostwell takes JPY, KRW and the EU's nexus away.
    from shared_runs import bundled_comparison  # the comparison of docs/provider.md, run once for three files
    out = bundled_comparison(tmp_path_factory).stdout
    said = " ".join(out.split())
    assert "whatever the provider" not in said
    # 43 and 44 with Japan's accrued liability (the home's consumption tax the check estimates not collected), and
    # with the registrations held (44 and 49 without them: accrued exposures in the EU's members and GB, which the
    # company registered in and collects, and Washington's)
    assert "Accounts: 6 new because of Hostwell (and 43 more the chart lacks that today's set-up needs as well)" in said
    assert "Accounts: 4 new because of Shopkit (and 44 more the chart lacks that today's set-up needs as well)" in said


def test_provider_compare_asks_its_checklist_in_words():
    # The screen listed 'refunds_as_rows = no: ...', 'double_byte_text = no: ...': keys, not questions.
    from click.testing import CliRunner

    from conftest import SAMPLES
    from nexus.cli import cli
    out = CliRunner().invoke(cli, [
        "provider", "compare", str(SAMPLES / "provider-hostwell.yaml"), "--sales", str(SAMPLES / "orders-2025.csv"),
        "--rates", str(SAMPLES / "eurofxref-hist.csv"), "--as-of", "2026-10-31"], catch_exceptions=False).stdout
    said = " ".join(out.split())
    assert "refunds_as_rows" not in said and " = no" not in said
    assert ("Are refunds their own dated rows (or lines), with the original order id? No: Thresholds are measured on "
            "gross sales") in said
    assert "Does it carry the tax charged on each order, per jurisdiction? In part: tax collected" in said


def test_the_accrual_says_where_its_total_differs_from_the_checks():
    # The check said 'USD 148,473.18 with the penalties and interest'; the entry booked 148,473.17 without a word
    # (and a cent either side again and again as the estimates grew: 149,615.15 and .14, 150,319.67 and .66,
    # 151,073.61 and .60, 151,799.40 and .39...): each jurisdiction rounded once, the check's total once. Then the
    # screen said so; now the entry adds to the check's total, the cent on the line nearest it, and says which. A
    # difference rounding cannot explain is still said, and not spread over the lines.
    import json

    from conftest import SAMPLES
    from nexus.accrual import accrue
    from nexus.chart import read_chart
    from nexus.books_report import journal_table
    from nexus.report_json import to_json
    document = json.loads(to_json(sample()))
    chart = read_chart(str(SAMPLES / "chart-of-accounts.csv"))
    base = accrue(document, chart, "base")
    assert base.check_total == base.entry.debits == Decimal("152054.32")
    assert "The check's total is" not in journal_table(base)
    total = document["summary"]["exposure_total"]
    document["summary"]["exposure_total"] = {**total, "base": "152054.33", "vda": "134428.07"}
    base, vda = accrue(document, chart, "base"), accrue(document, chart, "vda")
    assert (base.entry.debits, vda.entry.debits) == (Decimal("152054.33"), Decimal("134428.07"))
    said = " ".join(journal_table(base).split())
    assert "The check's total is" not in said and "take the difference: credit JP -0.01 (" in said
    document["summary"]["exposure_total"] = {**total, "base": "152070.60"}
    base = accrue(document, chart, "base")
    assert base.entry.debits == Decimal("152054.34")  # each line rounded once, none moved to meet the total
    assert ("The check's total is USD 152,070.60, USD 16.26 more than this entry's: more than rounding explains (a "
            "place the check could not convert, or left out; docs/exposure.md).") in " ".join(
                journal_table(base).split())


def test_the_accounts_plan_fits_the_screen(tmp_path, monkeypatch):
    # 'accounts plan --nexus' printed its table 112 wide and 'Opened a new block ...' on one line of 240,
    # whatever the screen.
    import json

    from click.testing import CliRunner

    from conftest import SAMPLES
    from nexus.cli import books, cli
    from nexus.report_json import to_json
    check = tmp_path / "check.json"
    check.write_text(to_json(sample()), encoding="utf-8")
    args = ["accounts", "plan", "--coa", str(SAMPLES / "chart-of-accounts.csv"), "--currencies",
            str(SAMPLES / "provider-currencies-2026-q4.txt"), "--nexus", str(check), "--target", "quickbooks",
            "--workbook", str(tmp_path / "plan.xlsx")]
    for width in (100, 80):
        monkeypatch.setattr(books, "screen_width", lambda: width)
        out = CliRunner().invoke(cli, args, catch_exceptions=False).stdout
        # a file's path longer than the screen is one word, not cut: the other lines fit
        assert max(len(line) for line in out.splitlines() if " " in line.strip()) <= width, out
        assert "2510      Accrued sales tax exposure - North Carolina (US-NC)" in out
        assert "Opened a new block (the siblings' block was full): 1510 Bank - SGD" in " ".join(out.split())
    assert json.loads(check.read_text())["findings"]


def test_a_presence_only_finding_reads_as_a_sentence():
    # The Netherlands' warehouse: '...; no sales test applied, and is not what creates it.'
    netherlands = next(f for f in sample().findings if f.jurisdiction == "NL")
    assert netherlands.reasons[0].endswith("presence.csv:6); with no sales there, no sales test "
                                           "applied.")
    texas = next(f for f in sample().findings if f.jurisdiction == "US-TX")
    assert texas.reasons[0].endswith("; the sales test is approaching, and is not what creates it.")


def test_a_place_with_presence_and_no_sales_says_no_sales_on_the_screen():
    # The Netherlands' warehouse in Act now (and Ontario's contractor under --all) left the Sales column blank
    # beside an estimate of USD 0.00: blank reads as not known. The memo says 'no sales here: presence only'.
    from nexus.terminal import _sales
    netherlands = next(f for f in sample().findings if f.jurisdiction == "NL")
    assert _sales(netherlands) == "no sales"
    texas = next(f for f in sample().findings if f.jurisdiction == "US-TX")
    assert _sales(texas) == "USD 441,035.11"


def test_the_workbook_watch_says_when_transactions_give_the_share(sample_book):
    # Virginia under Watch: the screen's '89% txns' beside USD 81,664.32; the Summary said 'approaching', 89%, and
    # left the reader to divide 81,664.32 by 100,000 (81%). Its Why now gives the count that makes the 89%.
    rows = list(sample_book["Summary"].iter_rows(values_only=True))
    virginia = next(row for row in rows if row and row[0] == "US-VA")
    assert "approaching: 179 transactions" in virginia
    california = next(row for row in rows if row and row[0] == "US-CA")
    assert "approaching" in california


def test_the_workbook_names_who_is_registered_as_the_screen_does(sample_book):
    # The Summary said 'Registered and collecting: US-WA, EU, DE, FR, GB' where the screen says the EU's
    # registration covers Germany and France: one registration read as three.
    from nexus.terminal import check_screen
    said = "Registered and collecting: US-WA, EU, GB (the EU registration covers DE, FR)."
    # the EU registration covers the sample's goods only on an assumption, which both say beside it
    assumed = ("EU is counted as covering goods only on the assumption that they were sent to customers from stock in "
               "a member state (intra-EU distance sales, which a seller established outside the EU declares in the "
               "Union OSS: Arts. 369a(2) and 369b), which the orders do not show (EU, DE, FR).")
    screen = " ".join(check_screen(sample()).split())
    assert said + " " + assumed in screen
    cells = [c for row in sample_book["Summary"].iter_rows(values_only=True) for c in row if c]
    assert said in cells and assumed in " ".join(str(c) for c in cells)  # a long sentence is wrapped over rows
    notes = [row for row in sample_book["Assumptions"].iter_rows(values_only=True) if row and assumed[:40] in
             str(row)]
    assert notes and "EU, DE, FR" in str(notes[0])


def test_an_estimate_that_could_not_be_made_is_said_in_words_on_the_screen():
    """A finding with nexus whose estimate could not be made (no rate for a day it needs) showed 'n/e' in the Est.
    tax column, an abbreviation the screen explains nowhere; a past window likewise."""
    from dataclasses import replace

    from nexus.terminal import _past_tax, est_tax

    ohio = next(f for f in sample().findings if f.jurisdiction == "US-OH")
    assert est_tax(replace(ohio, exposure=None, exposure_note="not estimated: no rate for KRW on 2025-03-01")) == (
        "not estimated")

    class Window:
        exposure, overlap, exposure_note = None, False, "not estimated: no rate for SEK on 2020-09-01"

    assert _past_tax(Window()) == "not estimated"  # type: ignore[arg-type]


def test_history_keeps_its_columns_when_a_file_name_holds_a_control_character():
    """A sales file named with an escape ('o\x1b[31m=HY.csv') is shown as its escape, but the subject was wrapped and
    the table measured before the escape was written out: its three extra characters pushed the summary's next line
    out of its column ('o\\x1b[31m=HY.csv           US-TX, ...'). The cells are made printable first now."""
    from nexus.store import Event
    from nexus.terminal import history_screen
    events = [Event(id=1, at="2026-12-05T23:42:00+00:00", kind="check", subject="as of 2026-10-31: /tmp/o\x1b[31m=HY.csv",
                    summary={"statuses": {"below": 1, "approaching": 3}, "rows_read": 1,
                             "exceeded": ["US-CA", "US-TX", "US-NY", "US-WA"]},
                    inputs=("/tmp/o\x1b[31m=HY.csv",))]
    lines = history_screen(events, 80).splitlines()
    assert "\x1b" not in "".join(lines) and lines[3].lstrip().startswith("o\\x1b[31m=HY.csv")
    summary_at = lines[0].index("Summary")
    assert [line[summary_at:].split()[0] for line in lines[2:]] == ["4", "US-TX,", "below,", "row"]
    assert max(len(line) for line in lines) <= 80


def test_provider_compare_wraps_a_candidate_s_heading_with_a_long_path(tmp_path, monkeypatch):
    """Each candidate's heading is its name and its profile's path: printed as one line, a profile kept a few folders
    down ran past the screen's 80 columns, alone among the comparison's lines. It is wrapped as the rest now."""
    import shutil

    from click.testing import CliRunner

    from conftest import SAMPLES
    from nexus.cli import cli, provider
    folder = tmp_path / "Finance team" / "Provider selection 2027" / "Candidates under review"
    folder.mkdir(parents=True)
    profile = shutil.copy(SAMPLES / "provider-hostwell.yaml", folder / "provider-hostwell.yaml")
    monkeypatch.setattr(provider, "screen_width", lambda: 80)
    result = CliRunner().invoke(cli, ["provider", "compare", str(profile), "--as-of", "2026-10-31",
                                      "--db", str(tmp_path / "store.sqlite3")], catch_exceptions=False)
    assert result.exit_code == 0
    too_wide = [line for line in result.stdout.splitlines() if len(line) > 80 and " " in line.strip()]
    assert too_wide == []
    assert f"Hostwell ({profile})" in " ".join(line.strip() for line in result.stdout.splitlines())
