"""An output path that is also an input is refused before anything is read or written: exit 2, both named,
the input untouched. An export from the old provider may not be downloadable again."""
import os

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nexus.cli import cli

ORDERS = "date,country,region,amount,currency\n2026-01-02,US,CO,150000,USD\n"
CHART = "number,name,type,currency\n1000,Bank - USD,bank,USD\n4000,Sales,revenue,\n"


@pytest.fixture
def files(tmp_path, write):
    """Every kind of input, as files; the chart and orders also as XLSX, as a user may pass them."""
    from openpyxl import Workbook

    def xlsx(name, text):
        book = Workbook()
        for line in text.splitlines():
            book.active.append(line.split(","))
        book.save(tmp_path / name)
        return str(tmp_path / name)

    return {
        "orders": write("orders.csv", ORDERS),
        "orders_xlsx": xlsx("orders.xlsx", ORDERS),
        "aggregates": write("aggregates.csv", "day,place,currency,channel,category,kind,exempt,amount,rows\n"),
        "rates": write("rates.csv", (SAMPLES / "eurofxref-hist.csv").read_text()),
        "presence": write("presence.csv", "kind,location\nserver,US-CO\n"),
        "chart": write("chart.csv", CHART),
        "chart_xlsx": xlsx("chart.xlsx", CHART),
        "provider": write("provider.txt", "USD\nJPY\n"),
        "previous": write("previous.txt", "USD\n"),
        "check_json": write("check.json", '{"findings": []}'),
        "db": str(tmp_path / "store.sqlite3"),
    }


CASES = [
    # (command, the input option and file, the output option)
    (["check", "--sales", "{orders}"], "--sales", "{orders}", "--output"),
    (["check", "--sales", "{orders_xlsx}"], "--sales", "{orders_xlsx}", "--workbook"),
    (["check", "--aggregates", "{aggregates}"], "--aggregates", "{aggregates}", "--output"),
    (["check", "--sales", "{orders}", "--rates", "{rates}"], "--rates", "{rates}", "--output"),
    (["check", "--sales", "{orders}", "--presence", "{presence}"], "--presence", "{presence}", "--workbook"),
    (["check", "--sales", "{orders}", "--db", "{db}"], "--db", "{db}", "--workbook"),
    (["accounts", "plan", "--coa", "{chart}", "--currencies", "{provider}", "--workbook", "{tmp}/plan.xlsx"],
     "--coa", "{chart}", "--csv"),
    (["accounts", "plan", "--coa", "{chart_xlsx}", "--currencies", "{provider}"], "--coa", "{chart_xlsx}",
     "--workbook"),
    (["accounts", "plan", "--coa", "{chart}", "--currencies", "{provider}", "--workbook", "{tmp}/plan.xlsx"],
     "--currencies", "{provider}", "--csv"),
    (["accounts", "plan", "--coa", "{chart}", "--currencies", "{provider}", "--nexus", "{check_json}",
      "--workbook", "{tmp}/plan.xlsx"], "--nexus", "{check_json}", "--csv"),
    (["currencies", "review", "--provider", "{provider}"], "--provider", "{provider}", "--workbook"),
    (["currencies", "review", "--provider", "{provider}", "--previous", "{previous}"], "--previous", "{previous}",
     "--workbook"),
    (["currencies", "review", "--provider", "{provider}", "--coa", "{chart_xlsx}"], "--coa", "{chart_xlsx}",
     "--workbook"),
]


@pytest.mark.parametrize("command, source, path, output", CASES,
                         ids=[f"{c[0]}-{c[1] if c[0] != 'check' else ''}{o}={s}" for c, s, _, o in CASES])
def test_an_output_that_is_an_input_is_refused_and_the_input_kept(files, tmp_path, command, source, path, output):
    names = {**files, "tmp": str(tmp_path)}
    args = [a.format(**names) for a in command]
    target = path.format(**names)
    if source == "--db":
        from nexus import store

        store.connect(target).close()  # a store with its tables
    before = open(target, "rb").read()
    result = CliRunner().invoke(cli, args + [output, target])
    assert result.exit_code == 2, result.output
    shown = {"--csv": "--import-file"}.get(output, output)  # --csv is the older name of --import-file
    assert result.stderr == (f"Error: {shown} {target} is the file read as {source}: nexus does not write over its "
                             f"inputs; write the output to another file\n")
    assert open(target, "rb").read() == before


@pytest.mark.parametrize("spelling", ["hard link", "symbolic link", "another path"])
def test_the_same_file_under_another_name_is_refused(files, tmp_path, spelling):
    orders = files["orders"]
    other = tmp_path / "other.csv"
    if spelling == "hard link":
        os.link(orders, other)
    elif spelling == "symbolic link":
        other.symlink_to(orders)
    else:
        (tmp_path / "sub").mkdir()
        other = tmp_path / "sub" / ".." / "orders.csv"
    result = CliRunner().invoke(cli, ["check", "--sales", orders, "-o", str(other)])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --output {other} is the file read as --sales ({orders}): nexus does not write "
                             f"over its inputs; write the output to another file\n")
    assert open(orders).read() == ORDERS


def test_the_store_by_default_is_an_input_too(files, monkeypatch):
    import nexus.store

    result = CliRunner().invoke(cli, ["check", "--sales", files["orders"], "--workbook",
                                      str(nexus.store.default_path())])
    assert result.exit_code == 2
    assert "is the file read as the local store" in result.stderr


def test_two_outputs_in_one_file_are_refused(files, tmp_path):
    report = str(tmp_path / "report.xlsx")
    result = CliRunner().invoke(cli, ["check", "--sales", files["orders"], "-o", report, "--workbook", report])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: --output {report} and --workbook {report} are the same file: give each output "
                             f"its own file\n")
    assert not os.path.exists(report)


def test_urls_and_standard_output_are_not_files(files, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where a file named '-' would appear
    result = CliRunner().invoke(cli, ["check", "--sales", files["orders"], "--as-of", "2026-06-30", "-o", "-",
                                      "--workbook", str(tmp_path / "r.xlsx"), "--format", "json"])
    assert result.exit_code == 0 and result.stdout.startswith("{")
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("command", [
    ["currencies", "review", "--provider", str(SAMPLES / "provider-currencies-2026-q4.txt")],
    ["accounts", "plan", "--coa", str(SAMPLES / "chart-of-accounts.csv"), "--currencies",
     str(SAMPLES / "provider-currencies-2026-q4.txt")],
])
def test_a_workbook_is_not_written_over_a_file_that_is_no_workbook(tmp_path, write, command):
    """'--workbook orders-2026.csv' (the name of another file, mistyped) replaced that CSV with a workbook, exit 0:
    an export of the old provider that may not be downloadable again. A file there that is no workbook is refused
    now, naming the option; a workbook there (last quarter's review) is still replaced."""
    kept = write("orders-2026.csv", "order_id,date,country,amount,currency\nA1,2026-01-02,US,10.00,USD\n")
    before = open(kept, "rb").read()
    result = CliRunner().invoke(cli, [*command, "--workbook", kept, "--db", str(tmp_path / "store.sqlite3")])
    assert result.exit_code == 2 and open(kept, "rb").read() == before
    assert result.stderr == (f"Error: cannot write --workbook {kept}: the file there is not a workbook; it would be "
                             f"replaced: give the workbook another name, such as review.xlsx\n")
    book = tmp_path / "review.xlsx"
    for _ in range(2):  # made, then replaced
        again = CliRunner().invoke(cli, [*command, "--workbook", str(book), "--db", str(tmp_path / "store.sqlite3")])
        assert again.exit_code == 0


STORE_AS_INPUT = [
    (["currencies", "review", "--provider", "{provider}", "--coa", "{empty}"], "--coa"),
    (["currencies", "review", "--provider", "{provider}", "--previous", "{empty}"], "--previous"),
    (["accounts", "plan", "--coa", "{chart}", "--currencies", "{provider}", "--nexus", "{empty}",
      "--workbook", "{tmp}/plan.xlsx"], "--nexus"),
    (["check", "--sales", "{orders}", "--registrations", "{empty}"], "--registrations"),
    (["rates", "import", "{empty}"], "FILE"),
]


@pytest.mark.parametrize("command, source", STORE_AS_INPUT, ids=[f"{c[0]}-{s}" for c, s in STORE_AS_INPUT])
def test_the_store_is_never_an_input(files, tmp_path, command, source):
    """'--coa notes.csv --db notes.csv' on an empty chart made the chart an SQLite store (24 KB) before the chart
    was read, and then read SQLite's header as the chart's columns: an input written over. The store named by
    --db is written, so it is refused when it is one of the command's input files, before anything is opened."""
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    names = {**files, "tmp": str(tmp_path), "empty": str(empty)}
    result = CliRunner().invoke(cli, [a.format(**names) for a in command] + ["--db", str(empty)])
    assert result.exit_code == 2, result.output
    assert result.stderr == (f"Error: --db {empty} is the file read as {source}: the local store would be written "
                             f"into it; give the store a file of its own\n")
    assert empty.read_bytes() == b""


@pytest.mark.parametrize("command", [
    # a Shopify export of three orders: what is refused or replaced is the memo's file, whatever the orders hold
    ["check", "--sales", str(SAMPLES.parent / "tests" / "exports" / "migration-shopify.csv"), "--rates",
     str(SAMPLES / "eurofxref-hist.csv"), "--as-of", "2026-10-31"],
    ["provider", "compare", str(SAMPLES / "provider-shopkit.yaml"), "--rates", str(SAMPLES / "eurofxref-hist.csv"),
     "--as-of", "2026-10-31"],
])
def test_a_memo_is_not_written_over_a_file_that_is_no_html_page(tmp_path, write, command):
    """'--html orders-2025.csv' (last year's export named by mistake for the memo) replaced that CSV with the HTML
    memo, exit 0, as '--workbook orders-2025.csv' did before workbooks were checked. A memo there is replaced."""
    kept = write("orders-2025.csv", (SAMPLES / "orders-2025.csv").read_text(encoding="utf-8"))
    before = open(kept, "rb").read()
    db = ["--db", str(tmp_path / "store.sqlite3")]
    result = CliRunner().invoke(cli, [*command, "--html", kept, *db])
    assert result.exit_code == 2 and open(kept, "rb").read() == before
    assert result.stderr == (f"Error: cannot write --html {kept}: the file there is not an HTML page; it would be "
                             f"replaced: give the memo another name, such as memo.html\n")
    memo = tmp_path / "memo.html"
    for _ in range(2):  # made, then replaced
        assert CliRunner().invoke(cli, [*command, "--html", str(memo), *db]).exit_code == 0
