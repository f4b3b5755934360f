"""The local store when it cannot be used: locked by another run, read-only, on a full disk, or damaged.

The check still prints its report and exits as its findings say (keeping it for 'nexus history' is a
convenience); commands whose job is to write the store stop with one line and exit 2; a damaged row is
named, table and row. Never a traceback.
"""
import sqlite3
from datetime import date
from decimal import Decimal

import pytest
from click.testing import CliRunner

from conftest import SAMPLES
from nexus import store
from nexus.cli import cli
from nexus.fx import RateTable

ORDERS = "date,country,region,amount,currency\n2026-01-02,US,CO,150000,USD\n"  # Colorado: exceeded
HISTORY = (SAMPLES / "eurofxref-hist.csv").read_bytes()


def run(*args):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def db(tmp_path, monkeypatch):
    """A store holding a day of rates, a review and a check; locks give up after 0.1 s, not 5."""
    path = tmp_path / "store.sqlite3"
    monkeypatch.setattr(store, "BUSY_TIMEOUT", 0.1)
    table = RateTable("test")
    table.add(date(2026, 1, 2), "JPY", Decimal("160.00"))
    table.add(date(2026, 1, 2), "USD", Decimal("1.05"))
    with store.opened(path) as connection:
        store.save_rates(connection, table, "ecb", "https://example.org/rates.xml")
        store.save_review(connection, "shop", ["USD", "JPY"], {"added": ["JPY"], "removed": []})
        store.save_check(connection, date(2026, 1, 31), ["o.csv"], {"rows_read": 1})
    return path


@pytest.fixture
def locked(db):
    """Another program is writing the store (as 'nexus rates fetch' does) and holds its write lock."""
    other = sqlite3.connect(db)
    other.execute("BEGIN IMMEDIATE")
    yield db
    other.rollback()
    other.close()


@pytest.fixture
def read_only(db, monkeypatch):
    """The store opened as on a read-only mount (root can write any file, so the mount is simulated)."""
    monkeypatch.setattr(store, "_open", lambda target: sqlite3.connect(f"file:{target}?mode=ro", uri=True))
    return db


@pytest.fixture
def full(db, monkeypatch):
    """The store on a disk with no room left: SQLite may not grow the file by one page."""
    real = store._open

    def no_room(target):
        connection = real(target)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages}")
        return connection

    monkeypatch.setattr(store, "_open", no_room)
    return db


@pytest.mark.parametrize("state, reason", [
    ("locked", "it is locked by another program (another nexus run?) and stayed locked for 0.1 s"),
    ("read_only", "it is read-only (a read-only file, folder or mount)"),
])
def test_the_check_prints_its_report_and_exits_as_it_says_when_the_store_cannot_keep_it(
        request, write, state, reason):
    path = request.getfixturevalue(state)
    orders = write("o.csv", ORDERS)
    result = run("check", "--sales", orders, "--db", str(path), "--as-of", "2026-06-30", "--fail-on", "exceeded")
    assert result.exit_code == 1  # what --fail-on exceeded asks for: Colorado is exceeded
    assert "US-CO" in result.stdout and "Act now: potential exposure in 1 jurisdiction" in result.stdout
    assert result.stderr.startswith(f"Warning: this check was not kept for 'nexus history': cannot keep this check "
                                    f"in the nexus store {path}: {reason}")
    assert result.stderr.splitlines()[1:] == ["--fail-on exceeded: 1 jurisdiction exceeding a sales test (US-CO): "
                                              "exit 1"]  # the warning on one line, then why the exit code is 1


def test_a_first_check_on_a_full_disk_still_reports(tmp_path, write, monkeypatch):
    real = store._open

    def no_room(target):
        connection = real(target)
        connection.execute("PRAGMA max_page_count = 1")  # the new store's first table does not fit
        return connection

    monkeypatch.setattr(store, "_open", no_room)
    path = tmp_path / "new-store.sqlite3"
    result = run("check", "--sales", write("o.csv", ORDERS), "--db", str(path), "--as-of", "2026-06-30")
    assert result.exit_code == 0 and "US-CO" in result.stdout
    assert result.stderr.splitlines()[-1] == (f"Warning: this check was not kept for 'nexus history': cannot open "
                                              f"the nexus store {path}: the disk is full")


def test_the_check_goes_on_without_stored_rates_when_the_store_cannot_be_opened(db, write):
    other = sqlite3.connect(db)
    other.execute("BEGIN EXCLUSIVE")  # not even readable
    try:
        result = run("check", "--sales", write("o.csv", ORDERS), "--db", str(db), "--as-of", "2026-06-30")
    finally:
        other.rollback()
        other.close()
    assert result.exit_code == 0 and "US-CO" in result.stdout
    assert f"Warning: cannot open the nexus store {db}: it is locked by another program" in result.stderr
    assert "its rates are not used" in result.stderr


@pytest.mark.parametrize("state, reason", [
    ("locked", "it is locked by another program"),
    ("read_only", "it is read-only"),
    ("full", "the disk is full"),
])
def test_fetching_rates_into_a_store_that_cannot_keep_them_is_one_line_exit_2(request, httpserver, state, reason):
    path = request.getfixturevalue(state)
    # The history: thousands of rates, more than the pages the store has room for.
    httpserver.expect_request("/eurofxref-hist.csv").respond_with_data(HISTORY, content_type="text/csv")
    url = httpserver.url_for("/eurofxref-hist.csv")
    result = run("rates", "fetch", "--db", str(path), "--url", url)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot keep the rates fetched from {url} in the nexus store {path}: "
                                    f"{reason}")
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("state, reason", [("locked", "it is locked"), ("read_only", "it is read-only")])
def test_a_review_that_cannot_be_kept_is_one_line_exit_2(request, write, state, reason):
    path = request.getfixturevalue(state)
    result = run("currencies", "review", "--provider", write("q4.txt", "USD\nJPY\nKRW\n"), "--provider-name", "shop",
                 "--db", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot keep the review of shop in the nexus store {path}: {reason}")
    assert result.stderr.count("\n") == 1


def test_history_reads_a_store_another_run_is_writing(locked):
    result = run("history", "--db", str(locked), "--format", "json")
    assert result.exit_code == 0 and '"shop"' in result.stdout


def damage(path, sql):
    with sqlite3.connect(path) as connection:
        connection.execute(sql)


def test_a_stored_rate_that_is_not_a_number_names_the_store_and_the_row(db, write):
    damage(db, "UPDATE rates SET per_eur = 'abc' WHERE currency = 'JPY'")
    with store.opened(db) as connection, pytest.raises(store.StoreDamaged, match=r"table rates, row \d+ \(ecb "
                                                                                 r"2026-01-02 JPY\): per_eur 'abc'"):
        store.load_rates(connection)
    orders = write("o.csv", "date,country,region,amount,currency\n2026-01-02,US,CO,100,JPY\n")
    result = run("check", "--sales", orders, "--db", str(db), "--as-of", "2026-06-30")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: the nexus store {db} is damaged: table rates, row ")
    assert "(ecb 2026-01-02 JPY): per_eur 'abc' is not a positive decimal number" in result.stderr
    assert result.stderr.count("\n") == 1


@pytest.mark.parametrize("sql, command, problem", [
    ("UPDATE reviews SET codes = 'USD,JPY'", ["currencies", "review", "--provider-name", "shop"],
     "table reviews, row id 1: codes 'USD,JPY' is not a JSON list of currency codes"),
    ("UPDATE checks SET summary = '{oops'", ["history"],
     "table checks, row id 1: summary '{oops' is not a JSON object"),
    ("UPDATE fetches SET last_day = 'yesterday'", ["rates", "status"],
     "table fetches, row 1: last_day 'yesterday' is not a date (YYYY-MM-DD)"),
    ("UPDATE rates SET day = '2026-13-01' WHERE currency = 'USD'", ["rates", "status"],
     "(ecb 2026-13-01 USD): day '2026-13-01' is not a date (YYYY-MM-DD)"),
])
def test_a_damaged_row_is_named_not_a_traceback(db, write, sql, command, problem):
    damage(db, sql)
    if command[0] == "currencies":
        command = command + ["--provider", write("q4.txt", "USD\n")]
    result = run(*command, "--db", str(db))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: the nexus store {db} is damaged: ")
    assert problem in result.stderr and result.stderr.count("\n") == 1


def test_a_file_that_is_not_a_store_is_one_line(tmp_path, write):
    path = tmp_path / "notes.sqlite3"
    path.write_text("these are my notes, not a database" * 100)
    result = run("history", "--db", str(path))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: cannot open the nexus store {path}: it is not an SQLite file (file is not a "
                             f"database); give another with --db or NEXUS_DB\n")


def test_importing_rates_since_after_the_files_last_day_is_an_error_not_zero_stored(tmp_path):
    """rates import --since after the file's last day said 'Stored 0 rates from None to None' and exited 0."""
    result = CliRunner().invoke(cli, ["rates", "import", str(SAMPLES / "eurofxref-hist.csv"), "--since", "2027-01-01",
                                      "--db", str(tmp_path / "store.sqlite3")])
    assert result.exit_code == 2
    assert "has no rates on or after 2027-01-01 (--since): its last day is 2026-10-30" in result.stderr


def test_importing_an_ecb_file_with_only_its_header_is_an_error_not_zero_stored(tmp_path, write):
    """An ECB history CSV cut to its header row ('Date,USD,JPY,') said 'Stored 0 rates from None to None', exited 0
    and kept an empty fetch that 'rates status' listed as 'None None'. It is an error now, and nothing is kept."""
    db = tmp_path / "store.sqlite3"
    result = run("rates", "import", write("eurofxref-hist.csv", "Date,USD,JPY,\n"), "--db", str(db))
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {tmp_path / 'eurofxref-hist.csv'}: holds no rates, only a header row: download "
                             f"the file again\n")
    assert not db.exists() or "None" not in run("rates", "status", "--db", str(db)).output


@pytest.mark.parametrize("command", [["history"], ["rates", "status"]])
def test_a_read_only_command_does_not_make_a_store_of_an_empty_file(tmp_path, command):
    """'nexus history --db notes.txt' on an empty file listed 'Nothing kept yet' and left a 24 KB SQLite store in
    its place: a command that only reads wrote over the file named. An empty file is no store, said as a missing
    one is, and left as it was."""
    empty = tmp_path / "notes.txt"
    empty.write_bytes(b"")
    result = run(*command, "--db", str(empty))
    assert result.exit_code == 2 and empty.read_bytes() == b""
    assert result.stderr.startswith(f"Error: there is no nexus store {empty} (the file there is empty): nothing was ")
    assert result.stderr.count("\n") == 1


def test_a_store_given_in_a_folder_that_does_not_exist_is_not_made(tmp_path, write, monkeypatch):
    """--db (or NEXUS_DB) naming a folder that is not there is most likely a typo: nexus says so rather than make
    the folders and keep the store where nobody will look. Only the default place is made on first use."""
    missing = tmp_path / "no" / "such" / "store.sqlite3"
    result = run("rates", "import", str(SAMPLES / "eurofxref-hist.csv"), "--db", str(missing))
    assert result.exit_code == 2
    assert f"cannot open the nexus store {missing}: its folder {missing.parent} does not exist" in result.stderr
    assert not (tmp_path / "no").exists()
    monkeypatch.setenv("NEXUS_DB", str(missing))
    checked = run("check", "--sales", write("o.csv", ORDERS), "--as-of", "2026-01-31")
    assert checked.exit_code == 0  # the check still reports; only keeping it for 'nexus history' is refused
    assert f"its folder {missing.parent} does not exist" in checked.stderr
    assert not (tmp_path / "no").exists()
    monkeypatch.delenv("NEXUS_DB")
    home = tmp_path / "data"
    monkeypatch.setattr(store, "default_path", lambda: home / "nexus" / "nexus.sqlite3")
    with store.opened() as connection:  # the default place is made on first use
        assert store.load_rates(connection) is None
    assert (home / "nexus" / "nexus.sqlite3").exists()


@pytest.mark.parametrize("given", ["empty file", "no file"])
def test_reading_rates_from_the_store_does_not_make_one(tmp_path, write, given):
    """'nexus products check --db notes.txt' on an empty file (or a name mistyped) left a 24 KB SQLite store there:
    looking for the store's rates made one, though the command keeps nothing in it. A store that is not there (or an
    empty file) has no rates, and the file is left as it was."""
    orders = write("orders.csv", "date,country,region,amount,currency,sku\n2026-01-02,US,CO,100,USD,A\n")
    db = tmp_path / "notes.txt"
    if given == "empty file":
        db.write_bytes(b"")
    result = run("products", "check", "--sales", orders, "--as-of", "2026-06-30", "--db", str(db))
    assert result.exit_code == 0, result.output
    assert db.read_bytes() == b"" if given == "empty file" else not db.exists()


@pytest.mark.parametrize("given", ["empty file", "no file"])
def test_a_currency_review_that_fails_leaves_no_store(tmp_path, write, given):
    """'nexus currencies review --coa chart.csv --db reviews.sqlite3' with a chart it could not read stopped (exit 2)
    but left a 24 KB store behind, made in an empty file or under a new name while looking for last quarter's
    review. The store is made when the review is kept, not before."""
    chart = write("chart.csv", "Account,Label\n1000,Bank\n")
    db = tmp_path / "reviews.sqlite3"
    if given == "empty file":
        db.write_bytes(b"")
    result = run("currencies", "review", "--provider", str(SAMPLES / "provider-currencies-2026-q4.txt"),
                 "--coa", chart, "--db", str(db))
    assert result.exit_code == 2 and result.stderr.startswith(f"Error: {chart}:1: missing column(s) number, name")
    assert db.read_bytes() == b"" if given == "empty file" else not db.exists()
    kept = run("currencies", "review", "--provider", str(SAMPLES / "provider-currencies-2026-q4.txt"), "--db", str(db))
    assert kept.exit_code == 0 and db.stat().st_size > 0  # a review that runs is kept, in the file named


@pytest.mark.parametrize("given", ["empty file", "no file"])
def test_a_rates_file_that_cannot_be_imported_leaves_no_store(tmp_path, write, given):
    """'nexus rates import notes.txt --db rates.sqlite3' on a file that is no ECB file stopped (exit 2) but left a
    24 KB store behind, opened before the file was read. The file is read first."""
    db = tmp_path / "rates.sqlite3"
    if given == "empty file":
        db.write_bytes(b"")
    result = run("rates", "import", write("notes.txt", "Date,USD,JPY,\n"), "--db", str(db))
    assert result.exit_code == 2 and "holds no rates, only a header row" in result.stderr
    assert db.read_bytes() == b"" if given == "empty file" else not db.exists()


@pytest.mark.parametrize("given", ["empty file", "no file"])
def test_an_accounts_plan_does_not_make_a_store(tmp_path, given):
    """'nexus accounts plan ... --db notes.txt' only looks in the store for the last currency review, yet it left a
    24 KB SQLite store in an empty notes.txt (or under a mistyped name), exit 0. Nothing kept, nothing made."""
    db = tmp_path / "notes.txt"
    if given == "empty file":
        db.write_bytes(b"")
    result = run("accounts", "plan", "--coa", str(SAMPLES / "chart-of-accounts.csv"), "--currencies",
                 str(SAMPLES / "provider-currencies-2026-q4.txt"), "--workbook", str(tmp_path / "plan.xlsx"),
                 "--db", str(db))
    assert result.exit_code == 0, result.output
    assert db.read_bytes() == b"" if given == "empty file" else not db.exists()
