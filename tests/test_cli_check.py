"""`nexus check` through the command line: output formats, exit codes, one-line errors."""
import csv
import io
import json

import pytest
from click.testing import CliRunner

from conftest import SAMPLES, SAMPLES_AS_GIVEN, at_repository
from nexus.cli import cli

SAMPLE_ARGS = ["check", "--sales", str(SAMPLES / "orders-2025.csv"), "--sales", str(SAMPLES / "orders-2026.csv"),
               "--rates", str(SAMPLES / "eurofxref-hist.csv"), "--as-of", "2026-10-31"]


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


# Each run of the sample's 31,677 rows takes a second or more: the tests that assert on the same run share it, and
# runs that differ only by --fail-on (which changes the exit code alone: the screen is the same byte for byte) are
# one run with it, each test asserting on its part.

@pytest.fixture(scope="module")
def sample_run(tmp_path_factory):
    """The sample as JSON, with the workbook written beside it (the JSON is the same with --workbook or without)."""
    path = tmp_path_factory.mktemp("report") / "nexus-report.xlsx"
    result = run(*SAMPLE_ARGS, "--workbook", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    return result, path


@pytest.fixture(scope="module")
def sample_json(sample_run):
    return json.loads(sample_run[0].stdout)


@pytest.fixture(scope="module")
def verbose_run():
    return run(*SAMPLE_ARGS, "--verbose", "--fail-on", "exceeded")


@pytest.fixture(scope="module")
def all_run():
    return run(*SAMPLE_ARGS, "--all", "--fail-on", "approaching")


def test_sample_screen_leads_with_act_now_and_fits_one_screen():
    given = SAMPLES_AS_GIVEN
    with at_repository():  # the screen prints the paths it was given, as the README's run does
        result = run("check", "--sales", str(given / "orders-2025.csv"), "--sales", str(given / "orders-2026.csv"),
                     "--rates", str(given / "eurofxref-hist.csv"), "--as-of", "2026-10-31", "--presence",
                     str(given / "presence.csv"))
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert len(lines) <= 50 and max(len(line) for line in lines) <= 100  # issue 17: one screen, 100 columns
    assert lines[0].startswith("Tax nexus as of 2026-10-31; no --home: assessed as a seller established elsewhere")
    act = lines.index("Act now: potential exposure in 21 jurisdictions, most urgent first")
    assert lines[act + 1].split()[:7] == ["Code", "Jurisdiction", "Nexus", "from", "Since", "Act", "by"]
    first_row = lines[act + 3].split()  # the oldest overdue deadline: the office in Tokyo since 2019
    assert first_row[:6] == ["JP", "Japan", "presence", "2019-04-01", "overdue", "2770"]
    fl = next(line.split() for line in lines if line.startswith("US-FL"))
    assert fl[:7] == ["US-FL", "Florida", "sales", "test", "2026-01-01", "overdue", "303"]  # 2025 decides 2026
    assert any(line.startswith("NL ") and "presence" in line for line in lines)  # nexus from presence is Act now
    # Texas is approaching too, but in Act now for its presence: said, so that the status counts (4) reconcile
    watch = lines.index("Watch: 3 approaching (at least 80% of a threshold); also approaching, in Act now: US-TX")
    assert watch > act and lines[watch + 3].startswith("US-CA")
    # Ontario (a contractor there, no sales) is 'presence only', as the workbook and the memo say
    assert any(line.startswith("Other jurisdictions: 32 below 80%, 1 presence only, 4 with no sales tax")
               for line in lines)
    assert "Sources:" not in result.stdout and "Reasons, sources and source conflicts: --verbose" in result.stdout
    assert "Rows: 31,677 read = 29,478 used + 0 skipped + 2,199 duplicates (counted once)." in result.stdout


def test_verbose_screen_gives_reasons_and_sources(verbose_run):
    result = verbose_run
    assert "Why:" in result.stdout and "Sources: https://flsenate.gov/Session/Bill/2021/50/BillText/c2/HTML" \
        in " ".join(result.stdout.split())
    assert "Potential exposure: Florida's economic-nexus test (> USD 100,000) is met" in \
        " ".join(result.stdout.split())


def test_all_lists_the_jurisdictions_below_too(all_run):
    lines = all_run.stdout.splitlines()
    assert any(line.startswith("US-ND") for line in lines) and any(line.startswith("US-OR") for line in lines)


def test_other_jurisdictions_counts_the_same_places_below_with_all_or_without(tmp_path_factory):
    """--all once added the places with a rule but no sales in the data to "below 80%" (33 became 47): the count
    meant another thing once they were listed. They are counted apart, and their Status says so: the sample sells
    nothing to the UAE, Quebec, Switzerland (two rules), Chile, India, Mexico, Malaysia (two rules), Norway, New
    Zealand, Saudi Arabia, Singapore or South Africa (14 findings). Without --all: the README's first check's screen
    (its memo's run, made once for the files that read it: shared_runs.py)."""
    from shared_runs import readme_memo
    args = [*SAMPLE_ARGS, "--presence", str(SAMPLES / "presence.csv"), "--registrations",
            str(SAMPLES / "registrations.csv")]
    short = [line for line in readme_memo(tmp_path_factory).stdout.splitlines()
             if line.startswith("Other jurisdictions")]
    assert short == ["Other jurisdictions: 32 below 80%, 1 presence only, 4 with no sales tax: see --all or the "
                     "workbook."]
    lines = run(*args, "--all").stdout.splitlines()
    assert ("Other jurisdictions: 32 below 80%, 1 presence only, 4 with no sales tax, 14 not sold to (listed by "
            "--all)") in " ".join(" ".join(lines).split())
    assert max(len(line) for line in lines) <= 100
    unsold = [line.split()[0] for line in lines if " not sold to " in line and not line.startswith("Other")]
    assert sorted(unsold) == ["AE", "CA-QC", "CH", "CH", "CL", "IN", "MX", "MY", "MY", "NO", "NZ", "SA", "SG", "ZA"]
    below = [line.split()[0] for line in lines if "below" in line.split() and not line.startswith("Other")]
    # Ontario: no sales, but a contractor there: no test was applied, so not 'below' one (as in the workbook)
    assert len(below) == 32 and "CA-ON" not in below
    ontario = [line.split()[:4] for line in lines if line.startswith("CA-ON")]
    assert ontario == [["CA-ON", "Ontario", "presence", "only"]]


def test_sample_json_shape(sample_json):
    assert sample_json["as_of"] == "2026-10-31"
    assert set(sample_json["summary"]) >= {"rows_read", "rows_used", "rows_skipped", "duplicates", "skipped_rows",
                                           "duplicate_rows", "files", "rates"}
    s = sample_json["summary"]
    assert s["rows_read"] == s["rows_used"] + s["rows_skipped"] + s["duplicates"]
    first = sample_json["findings"][0]
    for key in ("jurisdiction", "status", "sales", "currency", "transactions", "threshold", "period", "crossed_on",
                "reasons", "sources"):
        assert key in first
    fl = next(f for f in sample_json["findings"] if f["jurisdiction"] == "US-FL")
    assert fl["status"] == "exceeded" and fl["currency"] == "USD"
    assert fl["sales"] == "196172.66" and isinstance(fl["sales"], str)
    assert fl["threshold"] == {"sales": "100000", "sales_comparison": "more_than", "transactions": None,
                               "transactions_comparison": None, "combine": None, "text": "> USD 100,000"}
    assert fl["period"]["start"] == "2025-01-01" and fl["period"]["kind"] == "previous_calendar_year"
    assert fl["crossed_on"] == "2025-07-29"
    statuses = [f["status"] for f in sample_json["findings"] if not f["part_of"]]
    assert statuses == sorted(statuses, key=["exceeded", "approaching", "below", "no-rule", "no-sales-tax"].index)


def test_csv_output_is_one_row_per_finding(sample_json):
    result = run(*SAMPLE_ARGS, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == len(sample_json["findings"])
    assert rows[0]["jurisdiction"] == "US-FL" and rows[0]["sales"] == "196172.66"


def test_a_finding_the_orders_do_not_cover_has_no_figures_in_the_json_or_the_csv(write):
    """Colorado as of 2025-12-31 measures 2024 and 2025, and the only order is of 2026-01-05: the JSON said sales
    null, transactions null but ratio '0.0000', and the CSV sales '0.00', transactions 0 and ratio 0.0000: 0% of
    the threshold and no sales where the data cannot say (the screen and the workbook leave them blank)."""
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-05,US,CO,10,USD\n")
    args = ["check", "--sales", path, "--as-of", "2025-12-31"]
    colorado, = [f for f in json.loads(run(*args, "--format", "json").stdout)["findings"]
                 if f["jurisdiction"] == "US-CO"]
    assert colorado["status"] == "not-covered"
    assert (colorado["sales"], colorado["transactions"], colorado["ratio"]) == (None, None, None)
    table = csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout))
    row, = [r for r in table if r["jurisdiction"] == "US-CO"]
    assert (row["status"], row["sales"], row["currency"], row["transactions"], row["ratio"]) == (
        "not-covered", "", "USD", "", "")


@pytest.mark.parametrize("fail_on, code", [("exceeded", 1), ("approaching", 1)])
def test_fail_on_sets_exit_code_1(fail_on, code, verbose_run, all_run):
    result = {"exceeded": verbose_run, "approaching": all_run}[fail_on]  # the sample run with --fail-on FAIL_ON
    assert result.exit_code == code


def test_fail_on_is_0_when_nothing_found(write):
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,10,USD\n")
    assert run("check", "--sales", path, "--as-of", "2026-06-30", "--fail-on", "approaching").exit_code == 0
    big = write("b.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,85000,USD\n")
    assert run("check", "--sales", big, "--as-of", "2026-06-30", "--fail-on", "exceeded").exit_code == 0
    assert run("check", "--sales", big, "--as-of", "2026-06-30", "--fail-on", "approaching").exit_code == 1


def test_bad_row_is_a_one_line_error_with_exit_2(write):
    path = write("o.csv", "order_id,date,country,region,amount,currency\nA1,2026-01-02,US,CO,12.3.4,USD\n")
    result = run("check", "--sales", path)
    assert result.exit_code == 2
    assert result.stderr == f"Error: {path}:2: column 'amount' value '12.3.4': is not an amount\n"
    assert result.stdout == ""


def test_skip_bad_rows_lists_each_on_stderr_and_in_json(write):
    path = write("o.csv", "order_id,date,country,region,amount,currency\nA1,2026-01-02,US,CO,x,USD\n"
                          "A2,2026-01-02,US,CO,5,USD\n")
    result = run("check", "--sales", path, "--skip-bad-rows", "--as-of", "2026-02-01")
    assert result.exit_code == 0
    assert f"skipped {path}:2: column 'amount' value 'x': is not an amount" in result.stderr
    assert "Rows: 2 read = 1 used + 1 skipped + 0 duplicates" in result.stdout
    data = json.loads(run("check", "--sales", path, "--skip-bad-rows", "--format", "json").stdout)
    assert data["summary"]["skipped_rows"] == [{"file": path, "line": 2, "column": "amount", "value": "x",
                                           "reason": "is not an amount", "text": "A1,2026-01-02,US,CO,x,USD",
                                            "rows": 1}]


def test_foreign_currency_without_rates_is_exit_2(write):
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,1000,JPY\n")
    result = run("check", "--sales", path, "--as-of", "2026-02-01")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: sales in JPY (first on 2026-01-02) need exchange rates to USD")


def test_rates_from_a_url(write, httpserver):
    httpserver.expect_request("/eurofxref-hist.csv").respond_with_data(
        "Date,USD,JPY,\n2026-01-02,1.10,160,\n", content_type="text/csv")
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,16000000,JPY\n")
    result = run("check", "--sales", path, "--as-of", "2026-02-01", "--format", "json",
                 "--rates", httpserver.url_for("/eurofxref-hist.csv"))
    finding = json.loads(result.stdout)["findings"][0]
    assert finding["sales"] == "110000.00" and finding["status"] == "exceeded"


@pytest.mark.parametrize("args, message", [
    (["--as-of", "31/12/2026"], "'31/12/2026' is not a date in the form YYYY-MM-DD"),
    (["--warn-at", "eighty"], "'eighty' is not a number such as 0.8"),
    (["--warn-at", "1.5"], "must be more than 0 and at most 1"),
    (["--warn-at", "nan"], "'nan' is not a number such as 0.8"),  # was a traceback and exit 1, as if found
    (["--warn-at", "sNaN"], "'sNaN' is not a number such as 0.8"),
    (["--column", "amount"], "is not FIELD=HEADER"),
    (["--column", "price=Total"], "'price' is not a nexus field"),
    (["--format", "xml"], "'xml' is not one of"),
])
def test_usage_errors_exit_2(write, args, message):
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,1,USD\n")
    result = run("check", "--sales", path, *args)
    assert result.exit_code == 2 and message in result.stderr


def test_column_mapping_and_output_file(write, tmp_path):
    path = write("erp.csv", "Belegdatum,Land,Region,Umsatz\n2026-01-02,US,WA,150000\n")
    out = tmp_path / "findings.json"
    result = run("check", "--sales", path, "--column", "date=Belegdatum", "--column", "country=Land",
                 "--column", "amount=Umsatz", "--currency", "USD", "--as-of", "2026-06-30",
                 "--format", "json", "--output", str(out))
    assert result.exit_code == 0 and result.stdout == ""
    assert json.loads(out.read_text())["findings"][0]["status"] == "exceeded"


def test_all_lists_every_jurisdiction(write):
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,1,USD\n")
    data = json.loads(run("check", "--sales", path, "--all", "--format", "json", "--as-of", "2026-11-27").stdout)
    assert len([f for f in data["findings"] if f["jurisdiction"].startswith("US-")]) == 51
    assert {"EU", "GB", "JP", "AU", "CA", "CA-QC", "SG"} <= {f["jurisdiction"] for f in data["findings"]}


def test_csv_output_neutralises_formulas(write):
    from nexus.text_safety import safe_text

    assert safe_text("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_text("-5") == "'-5" and safe_text("ok") == "ok"
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,1,USD\n")
    rows = list(csv.reader(io.StringIO(run("check", "--sales", path, "--format", "csv").stdout)))
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)


def test_debug_shows_the_traceback(write):
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,x,USD\n")
    result = CliRunner().invoke(cli, ["check", "--sales", path, "--debug"])
    assert result.exit_code == 1 and result.exception is not None


def test_workbook_option_writes_the_report(sample_run):
    from openpyxl import load_workbook

    result, path = sample_run
    assert result.exit_code == 0
    book = load_workbook(path, read_only=True)  # two cells' worth: the whole report is not parsed for them
    assert book.sheetnames == ["Summary", "Chart", "Findings", "Timeline", "Rules", "Assumptions", "Exposure",
                               "Monthly detail", "Rejected rows", "Chart data"]
    assert book["Findings"]["A2"].value == json.loads(result.stdout)["findings"][0]["jurisdiction"]
    book.close()


def test_workbook_into_a_missing_folder_is_exit_2(tmp_path):
    result = run(*SAMPLE_ARGS, "--workbook", str(tmp_path / "no" / "such" / "r.xlsx"))
    assert result.exit_code == 2 and result.stderr.startswith("Error: cannot write")


def test_unwritable_output_is_one_line_exit_2(write, tmp_path):
    path = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,1,USD\n")
    result = run("check", "--sales", path, "--output", str(tmp_path / "missing" / "out.json"), "--format", "json")
    assert result.exit_code == 2
    assert result.stderr == (f"Error: cannot write --output {tmp_path / 'missing' / 'out.json'}: the folder "
                             f"{tmp_path / 'missing'} does not exist\n")
    assert "Traceback" not in result.stderr


def test_skipped_rows_beyond_the_listed_ones_are_said_in_one_line(write, monkeypatch):
    from nexus import row_account

    path = write("o.csv", "date,country,region,amount,currency\n" + "2026-01-02,US,CA,abc,USD\n" * 4)
    monkeypatch.setattr(row_account, "LISTED_ROWS", 1)
    result = CliRunner().invoke(cli, ["check", "--sales", path, "--as-of", "2026-06-30", "--skip-bad-rows"])
    assert result.exit_code == 0
    assert result.stderr.count("skipped ") == 2 and "skipped 3 more rows, counted but not listed" in result.stderr


def test_a_command_loads_its_own_module_only():
    """``nexus check`` imports neither the ledger targets nor the provider comparison: each costs every run."""
    import subprocess
    import sys
    code = ("import sys; from click.testing import CliRunner; from nexus.cli import cli; "
            "assert CliRunner().invoke(cli, ['check', '--help']).exit_code == 0; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('nexus.cli.'))))")
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert "nexus.cli.check" in loaded
    assert not {"nexus.cli.books", "nexus.cli.provider", "nexus.cli.products", "nexus.cli.reference"} & set(loaded)
    everything = CliRunner().invoke(cli, ["--help"])  # the list of commands still names every one
    names = ("accounts", "check", "currencies", "history", "presence", "products", "provider", "rates", "rules", "sql")
    assert all(f"  {name} " in everything.output for name in names)


def test_a_json_report_loads_neither_the_screen_nor_the_readers_it_was_not_given(tmp_path):
    """A ``--format json`` check of orders draws no screen and reads neither aggregates nor a products file: their
    modules are not imported (each import costs every run)."""
    import subprocess
    import sys
    orders = tmp_path / "o.csv"
    orders.write_text("date,order_id,country,region,amount,currency\n2026-01-02,1,US,CA,10.00,USD\n", encoding="utf-8")
    code = ("import sys; from click.testing import CliRunner; from nexus.cli import cli; "
            f"r = CliRunner().invoke(cli, ['check', '--sales', {str(orders)!r}, '--as-of', '2026-06-30', '--format', "
            f"'json', '--db', {str(tmp_path / 'store.sqlite3')!r}]); assert r.exit_code == 0, r.output; "
            "print(' '.join(sorted(m for m in sys.modules if m.startswith('nexus.'))))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = set(run.stdout.split())
    assert "nexus.report_json" in loaded and "nexus.check" in loaded
    assert not {"nexus.terminal", "nexus.aggregates", "nexus.products"} & loaded


def test_a_share_just_under_a_level_never_prints_as_reaching_it(tmp_path):
    """79.62% of South Carolina's USD 100,000 is below the 80% approaching level: it prints 79%, never 80%, on
    the screen, in the workbook and in the JSON's exact ratio beside it."""
    from decimal import Decimal

    from openpyxl import load_workbook

    from nexus.measures import shown_share

    assert shown_share(Decimal("0.7962")) == Decimal("0.79") and shown_share(Decimal("1.9999")) == Decimal("1.99")
    orders = tmp_path / "o.csv"
    orders.write_text("order_id,date,country,region,amount,currency,category\n1,2026-02-03,US,SC,79620,USD,goods\n",
                      encoding="utf-8")
    book = tmp_path / "r.xlsx"
    screen = run("check", "--sales", str(orders), "--as-of", "2026-06-30", "--all", "--workbook", str(book))
    line = next(line for line in screen.output.splitlines() if line.startswith("US-SC"))
    assert "below" in line and "79%" in line and "80%" not in line
    findings = load_workbook(book, data_only=True)["Findings"]
    header = [c.value for c in findings[1]]
    row = next(r for r in findings.iter_rows(min_row=2, values_only=True) if r[0] == "US-SC")
    assert row[header.index("Share of threshold")] == 0.79
    document = json.loads(run("check", "--sales", str(orders), "--as-of", "2026-06-30", "--format", "json").output)
    assert next(f for f in document["findings"] if f["jurisdiction"] == "US-SC")["ratio"] == "0.7962"


def test_rows_dated_after_the_as_of_date_are_said_wherever_rows_used_is(write, tmp_path):
    """A check of a day before some orders: the rows dated later are read and used by the reader, but the check
    counts none of them. The headline, the row account, the JSON, the workbook and the memo say how many, and a
    place sold to only later is not listed as sold to without rules."""
    from openpyxl import load_workbook

    path = write("o.csv", """\
        date,order_id,country,region,amount,currency
        2026-01-05,A1,US,CA,100.00,USD
        2026-01-06,A2,US,CA,100.00,USD
        2026-03-01,A3,US,CA,100.00,USD
        2026-03-02,A4,BH,,50.000,BHD
        2026-03-03,A5,US,TX,1200.00,USD
        """)
    book = tmp_path / "r.xlsx"
    args = ["check", "--sales", path, "--as-of", "2026-02-01", "--db", str(tmp_path / "s.sqlite3")]
    screen = run(*args)
    assert screen.exit_code == 0, screen.output
    assert "5 of 5 rows used, 3 of them dated after the as-of date (not counted)" in " ".join(screen.stdout.split())
    assert "Warning: 3 rows are dated after the as-of date 2026-02-01 and were not counted" in screen.stdout
    assert "BH" not in screen.stdout
    report = json.loads(run(*args, "--format", "json", "--workbook", str(book)).stdout)
    assert report["summary"]["rows_used"] == 5
    assert report["summary"]["rows_after_as_of"] == 3
    assert report["summary"]["jurisdictions_without_rules"] == []
    fields = {row[0]: [v for v in row[1:] if v is not None][-1]
              for row in load_workbook(book)["Summary"].iter_rows(values_only=True) if row and row[0] and any(row[1:])}
    assert fields["Rows used dated after the as-of date (not counted)"] == 3
    memo = tmp_path / "m.html"
    assert run(*args, "--html", str(memo)).exit_code == 0
    assert "3 of the rows used are dated after the as-of date 2026-02-01 and not counted" in memo.read_text()


def test_json_money_is_rounded_to_the_minor_unit_and_absent_values_are_null(sample_json):
    """Before: Delaware (no sales tax) read "sales": "0" beside "currency": "USD", and the Netherlands (presence, no
    rule, no sales) "sales": "0", "currency": "", where docs/json.md promises money rounded to the currency's minor
    unit and null for absent values (as provider compare's JSON already wrote them for the same findings)."""
    found = {f["jurisdiction"]: f for f in sample_json["findings"] if not f["scheme"]}
    # then "0.00" and 0 transactions, though the sample ships 79 orders to Delaware: no test counts them there, so
    # null, as the screen, the workbook and the memo leave the cells empty
    assert (found["US-DE"]["sales"], found["US-DE"]["transactions"], found["US-DE"]["currency"]) == (None, None, "USD")
    assert all(f["currency"] != "" for f in sample_json["findings"])


def test_a_place_with_presence_and_no_rule_has_no_sales_figure_in_json(presence_check_json):
    # the sample's check with --presence, --format json (written with --output, as a module of ledgers reads it)
    document = json.loads(presence_check_json.read_text(encoding="utf-8"))
    nl = next(f for f in document["findings"] if f["jurisdiction"] == "NL")
    assert (nl["nexus"], nl["sales"], nl["currency"], nl["transactions"]) == ("presence", None, None, 0)


def test_check_step_sees_the_ledger_frozen_and_the_command_hands_it_back(monkeypatch, write):
    """The ledger lives to the end of a run: the check and the report run with it outside the cycle collector
    (whose passes over it freed nothing and cost 0.2-0.3 CPU-seconds on 2M rows), and a process running more than
    one command gets it back when the command ends. Two orders show it as the sample's 31,677 rows would."""
    import gc
    import nexus.cli.check as command

    frozen = []

    def check(ledger, *args, **kwargs):
        frozen.append(gc.get_freeze_count())
        return real(ledger, *args, **kwargs)

    real = command.check
    monkeypatch.setattr(command, "check", check)
    orders = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CA,10,USD\n2026-01-03,DE,,12,EUR\n")
    before = gc.get_freeze_count()
    assert run("check", "--sales", orders, "--as-of", "2026-10-31", "--rates", str(SAMPLES / "eurofxref-hist.csv"),
               "--format", "json").exit_code == 0
    assert frozen[0] > before
    assert gc.get_freeze_count() == before


def test_verbose_with_no_finding_listed_says_where_the_reasons_are_rather_than_an_empty_why():
    # the two migration exports sell only to Washington, USD 130.00 of its USD 100,000 test: nothing is listed
    # above the row account, and --verbose printed a bare "Why:" heading over nothing
    exports = SAMPLES.parent / "tests" / "exports"
    result = run("check", "--sales", str(exports / "migration-shopify.csv"), "--sales",
                 str(exports / "migration-woocommerce.csv"), "--as-of", "2026-10-31", "--verbose")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    why = lines.index("Why:")
    assert lines[why + 1].strip().startswith("No jurisdiction is in Act now, Watch or Home above")
    assert "and here with --all." in " ".join(result.stdout.split())
    listed = run("check", "--sales", str(exports / "migration-shopify.csv"), "--sales",
                 str(exports / "migration-woocommerce.csv"), "--as-of", "2026-10-31", "--verbose", "--all").stdout
    assert "US-WA Washington" in listed and "Below Washington's test (> USD 100,000)" in " ".join(listed.split())


def test_a_share_the_transaction_count_gives_is_marked_txns(tmp_path):
    """Virginia's test is > USD 100,000 or >= 200 transactions: 150 orders of USD 100 are 75% of it by their count
    and 15% by their sales. The screen printed '75%' beside USD 15,000.00, which read as 75% of USD 100,000."""
    from datetime import date

    from decimal import Decimal

    from nexus.measures import decided_by_transactions
    from nexus.rules import load_rules

    book = load_rules()
    virginia = book.in_force("US-VA", date(2026, 6, 30))
    new_york = book.in_force("US-NY", date(2026, 6, 30))  # > USD 500,000 and > 100 transactions
    assert decided_by_transactions(virginia, Decimal("15000"), 150)
    assert not decided_by_transactions(virginia, Decimal("90000"), 150)
    assert decided_by_transactions(new_york, Decimal("450000"), 50)  # AND: the smaller part, the count's
    assert not decided_by_transactions(new_york, Decimal("150000"), 150)
    orders = tmp_path / "o.csv"
    orders.write_text("order_id,date,country,region,amount,currency,category\n"
                      + "".join(f"{n},2026-02-03,US,VA,100,USD,goods\n" for n in range(150)), encoding="utf-8")
    screen = CliRunner().invoke(cli, ["check", "--sales", str(orders), "--as-of", "2026-06-30", "--all"])
    line = next(line for line in screen.output.splitlines() if line.startswith("US-VA"))
    assert "USD 15,000.00" in line and "75% txns" in line
