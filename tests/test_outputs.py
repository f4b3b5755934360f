"""Writing outputs: whole or not at all, beside the output under a name that is obviously nexus's, with the
umask's permissions, never over a user's file, and with one line when the disk or a limit says no."""
import errno
import json
import os
import signal
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nexus import outputs
from nexus.cli import cli
from nexus.outputs import PARTIAL_MARK, OutputError, atomic_write, write_text
from nexus.workbooks.sheet import Column, Sheet, write_workbook

ORDERS = "date,country,region,amount,currency\n2026-01-02,US,CO,150000,USD\n"


def run(*args):
    return CliRunner().invoke(cli, list(args))


def leftovers(folder):
    return sorted(p.name for p in Path(folder).iterdir() if PARTIAL_MARK in p.name)


@pytest.fixture
def umask():
    """Set the process's umask for one test (it is process-wide: restored afterwards)."""
    before = os.umask(0o022)
    os.umask(before)

    def set_to(mask):
        os.umask(mask)

    yield set_to
    os.umask(before)


def test_a_users_own_tmp_file_beside_the_output_survives(write, tmp_path):
    orders = write("o.csv", ORDERS)
    mine = tmp_path / "out.json.tmp"
    mine.write_text("my notes, not nexus's")
    result = run("check", "--sales", orders, "--as-of", "2026-06-30", "--format", "json", "-o",
                 str(tmp_path / "out.json"))
    assert result.exit_code == 0, result.output
    assert mine.read_text() == "my notes, not nexus's"
    assert (tmp_path / "out.json").read_text().startswith("{")
    assert leftovers(tmp_path) == []


def test_two_writers_of_one_output_never_mix(tmp_path):
    """A second run writes the same output while the first is half-way through: each output is whole."""
    path = tmp_path / "report.csv"
    first_half_written, second_done = threading.Event(), threading.Event()
    errors = []

    def slow(temporary):
        with open(temporary, "w") as handle:
            handle.write("first run, part 1;")
            handle.flush()
            first_half_written.set()
            second_done.wait(10)
            handle.write("first run, part 2")

    def first():
        try:
            atomic_write(path, slow)
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    thread = threading.Thread(target=first)
    thread.start()
    first_half_written.wait(10)
    write_text(path, "second run, whole")
    assert path.read_text() == "second run, whole"  # not a mix with the first run's half
    second_done.set()
    thread.join()
    assert errors == []
    assert path.read_text() == "first run, part 1;first run, part 2"
    assert leftovers(tmp_path) == []


def test_a_full_disk_leaves_the_old_output_and_no_temporary_file(tmp_path):
    path = tmp_path / "report.json"
    path.write_text("yesterday's report")

    def full(temporary):
        with open(temporary, "w") as handle:
            handle.write("half")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    with pytest.raises(OutputError, match=f"^cannot write {path}: no space left on the disk$"):
        atomic_write(path, full)
    assert path.read_text() == "yesterday's report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="/dev/full is a Linux device")
@pytest.mark.parametrize("option", ["-o", "--workbook"])
def test_an_output_on_a_full_device_is_one_line_and_the_device_stays(write, option):
    # XlsxWriter wraps the full disk's OSError in its FileCreateError: a workbook was a traceback and exit 1.
    orders = write("o.csv", ORDERS)
    result = run("check", "--sales", orders, "--as-of", "2026-06-30", option, "/dev/full")
    assert result.exit_code == 2
    assert result.stderr == "Error: cannot write /dev/full: no space left on the disk\n"
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)  # written into, not renamed over


def test_an_interrupted_write_leaves_nothing(tmp_path):
    path = tmp_path / "report.json"

    def interrupted(temporary):
        Path(temporary).write_text("half")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        atomic_write(path, interrupted)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("mask, mode", [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_workbooks_and_text_outputs_take_their_permissions_from_the_umask(tmp_path, umask, mask, mode):
    umask(mask)
    write_workbook(str(tmp_path / "r.xlsx"), [Sheet("S", [Column("A", lambda r: r)], ["x"])], title="t")
    write_text(tmp_path / "r.csv", "a\n")
    assert stat.S_IMODE(os.stat(tmp_path / "r.xlsx").st_mode) == mode
    assert stat.S_IMODE(os.stat(tmp_path / "r.csv").st_mode) == mode


def test_the_check_workbook_is_readable_by_colleagues(tmp_path, umask, write):
    umask(0o022)
    path = tmp_path / "nexus-report.xlsx"
    orders = write("o.csv", ORDERS.replace("2026-01-02", "2025-03-02"))  # the file's mode, whatever it holds
    result = run("check", "--sales", orders, "--rates", str(SAMPLES / "eurofxref-hist.csv"),
                 "--as-of", "2025-12-31", "--workbook", str(path), "--format", "json")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o644


def test_writing_through_a_symbolic_link_replaces_the_file_and_keeps_the_link(tmp_path):
    real = tmp_path / "real.csv"
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    write_text(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


KILLED_WRITER = """
import sys, time
from nexus.outputs import atomic_write

def stall(temporary):
    open(temporary, "w").write("part of a report")
    print("writing", flush=True)
    time.sleep(60)

atomic_write(sys.argv[1], stall)
"""


def start_writer(path):
    writer = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(path)], stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline() == "writing\n"
    return writer


def test_a_killed_runs_temporary_file_is_obviously_nexus_and_the_next_run_removes_it(tmp_path):
    path = tmp_path / "report.xlsx"
    writer = start_writer(path)
    writer.send_signal(signal.SIGKILL)
    writer.wait()
    left = leftovers(tmp_path)
    assert len(left) == 1 and left[0].startswith(".report.xlsx.nexus-partial-")
    assert left[0].split("-")[-2] == str(writer.pid)  # names the process that wrote it
    write_text(path, "the next run's report")
    assert path.read_text() == "the next run's report" and leftovers(tmp_path) == []


def test_a_running_writers_temporary_file_is_left_alone(tmp_path):
    path = tmp_path / "report.xlsx"
    writer = start_writer(path)
    try:
        write_text(path, "another run's report")
        assert len(leftovers(tmp_path)) == 1  # still being written by the other run
    finally:
        writer.kill()
        writer.wait()


def test_temporary_files_from_another_machine_go_only_once_they_are_old(tmp_path):
    path = tmp_path / "report.csv"
    other = tmp_path / f".report.csv{PARTIAL_MARK}laptop.example-4242-0a1b2c3d"
    other.write_text("")
    unrelated = tmp_path / ".report.csv.nexus-partial-notes"
    unrelated.write_text("not a name nexus makes")
    assert outputs.remove_abandoned(str(path)) == []
    later = os.stat(other).st_mtime + outputs.STALE_AFTER + 1
    assert outputs.remove_abandoned(str(path), now=later) == [str(other)]
    assert unrelated.exists()


TOO_LARGE = """
import resource, sys
from nexus.cli import cli
resource.setrlimit(resource.RLIMIT_FSIZE, (40_000, 40_000))  # as a quota or a FAT32 disk would refuse
sys.argv = ["nexus"] + sys.argv[1:]
cli()
"""


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE is POSIX")
def test_a_workbook_too_large_to_write_is_one_line_without_a_traceback(tmp_path, tmp_path_factory):
    # A year of monthly orders to 45 states: a workbook of about 110 kB, well past the 40 kB allowed, read in half
    # the time of the sample's 15,702 rows of 2025 (a 205 kB workbook); how much larger is not what is tested.
    states = ("AL AZ AR CA CO CT FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO NE NV NJ NM NY NC ND OH OK PA RI "
              "SC SD TN TX UT VT VA WA WV WI WY").split()
    orders = tmp_path_factory.mktemp("orders") / "orders.csv"  # not in tmp_path, which must stay empty
    orders.write_text("order_id,date,country,region,amount,currency\n" + "".join(
        f"{month}-{state},2025-{month:02d}-15,US,{state},{100 + n}.00,USD\n"
        for month in range(1, 13) for n, state in enumerate(states)), encoding="utf-8")
    path = tmp_path / "report.xlsx"
    done = subprocess.run([sys.executable, "-c", TOO_LARGE, "check", "--sales", str(orders), "--as-of", "2025-12-31",
                           "--format", "json", "--workbook", str(path)], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr == f"Error: cannot write {path}: File too large\n"
    assert list(tmp_path.iterdir()) == []


def test_dash_means_standard_output(write, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # where a file named '-' would appear
    orders = write("o.csv", ORDERS)
    result = run("check", "--sales", orders, "--as-of", "2026-06-30", "--format", "json", "-o", "-")
    assert result.exit_code == 0 and result.stdout.startswith("{")
    assert not (tmp_path / "-").exists()


def test_a_workbook_cannot_go_to_standard_output(write, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    orders = write("o.csv", ORDERS)
    result = run("check", "--sales", orders, "--workbook", "-")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --workbook -: a workbook cannot be written to standard output")
    assert not (tmp_path / "-").exists()
    with pytest.raises(OutputError, match="'-' stands for standard output"):
        write_text("-", "x")


def test_the_accounts_import_csv_on_standard_output_keeps_the_table_off_it(write, tmp_path):
    chart = write("chart.csv", "number,name,type,currency\n1000,Bank - USD,bank,USD\n4000,Sales,revenue,\n")
    provider = write("provider.txt", "USD\nJPY\n")
    result = run("accounts", "plan", "--coa", chart, "--currencies", provider, "--workbook",
                 str(tmp_path / "plan.xlsx"), "--csv", "-", "--target", "xero")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0].startswith("*Code,")  # the import CSV alone
    assert "JPY" in result.stdout and "JPY" in result.stderr  # the table, on stderr


def test_a_workbook_on_a_full_disk_leaves_the_old_one_and_says_so(write, tmp_path, monkeypatch):
    from xlsxwriter.exceptions import FileCreateError
    from xlsxwriter.workbook import Workbook

    def full(self):
        raise FileCreateError(OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))

    monkeypatch.setattr(Workbook, "close", full)
    book = tmp_path / "report.xlsx"
    book.write_bytes(b"PK\x03\x04 yesterday's report")  # a workbook (a ZIP archive), as a file there is refused
    result = run("check", "--sales", write("o.csv", ORDERS), "--as-of", "2026-06-30", "--workbook", str(book))
    assert result.exit_code == 2
    assert result.stderr == f"Error: cannot write {book}: no space left on the disk\n"
    assert book.read_bytes() == b"PK\x03\x04 yesterday's report"


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout on this system")
def test_dev_stdout_on_a_pipe_gets_the_report_and_the_import_file(tmp_path):
    """docs/input-formats.md: /dev/stdout is written directly. Piped to another program, '-o /dev/stdout' said
    'cannot write /dev/stdout: No such file or directory' (exit 2): its link resolves to /proc/<pid>/fd/pipe:[...],
    which is no file, and the output went the rename's way. The report and a ledger's import file now reach the
    pipe whole."""
    orders = tmp_path / "orders.csv"
    orders.write_text(ORDERS, encoding="utf-8")
    check = subprocess.run([sys.executable, "-m", "nexus", "check", "--sales", str(orders), "--rates",
                            str(SAMPLES / "eurofxref-hist.csv"), "--as-of", "2026-03-31", "--format", "json",
                            "-o", "/dev/stdout", "--db", str(tmp_path / "store.sqlite3")],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    assert check.returncode == 0, check.stderr
    assert [f["jurisdiction"] for f in json.loads(check.stdout)["findings"]][:1] == ["US-CO"]
    plan = subprocess.run([sys.executable, "-m", "nexus", "accounts", "plan", "--coa",
                           str(SAMPLES / "chart-of-accounts.csv"), "--currencies",
                           str(SAMPLES / "provider-currencies-2026-q4.txt"), "--workbook", str(tmp_path / "plan.xlsx"),
                           "--target", "xero", "--import-file", "/dev/stdout", "--db", str(tmp_path / "store.sqlite3")],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, timeout=120)
    assert plan.returncode == 0, plan.stderr
    assert plan.stdout.startswith("*Code,*Name,*Type,*Tax Code,")
