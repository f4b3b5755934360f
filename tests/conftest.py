"""Shared fixtures: small inputs written next to the assertion that uses them; slow tests and system programs.

Tests marked ``slow`` (Spark, LibreOffice and Chromium renders, large files) are left out of the everyday
``pytest``; ``pytest --slow`` runs them too, and is what the README's test command and CI run (on every core,
with pytest-xdist: ``-n auto --dist loadfile`` keeps each file's tests, and their costly fixtures, together).
``needs_program("soffice")`` gives a system program's path, skipping the test where the program is missing
on a developer's machine and failing it where ``CI=true``, so CI never passes by skipping.
"""
from __future__ import annotations

import contextlib
import csv
import functools
import itertools
import os
import pickle
import re
import shutil
import tempfile
import textwrap
from pathlib import Path
from typing import Any, Iterator

import pytest

from nexus.rules import RuleBook, parse_rulebook

SAMPLES = Path(__file__).resolve().parent.parent / "spreadsheets"
#: The sample files as the README names them, relative to the repository: for a test whose screen or pages print
#: the paths it was given (how many lines a path wraps to, how small a page prints), run in :func:`at_repository`,
#: so that its outcome does not depend on the folder the clone is in (a 55-character folder failed five tests).
SAMPLES_AS_GIVEN = Path("spreadsheets")


#: The README's two order files of the sample seller.
SAMPLE_ORDERS = ("orders-2025.csv", "orders-2026.csv")


def sample_ledger(*names: str, folder: Path = SAMPLES) -> Any:
    """The sample's orders (the README's two files unless ``names`` are given), read in ``folder`` once per test
    process: reading them is most of an in-process sample check, which many test files make. Each call gets its own
    copy, so that no test sees another's changes: unpickled from the bytes kept, a third quicker than a deep copy of
    the ledger's 280,000 objects (0.6 s against 0.95 s for the README's two files)."""
    return pickle.loads(_read_sample(folder, names or SAMPLE_ORDERS))


@functools.lru_cache(maxsize=None)
def _read_sample(folder: Path, names: tuple[str, ...]) -> bytes:
    from nexus.sales import read_sales
    return pickle.dumps(read_sales([str(folder / name) for name in names]), protocol=pickle.HIGHEST_PROTOCOL)


@contextlib.contextmanager
def at_repository() -> Iterator[None]:
    """Run the block in the repository's folder (where :data:`SAMPLES_AS_GIVEN` names the samples), and return."""
    before = os.getcwd()
    os.chdir(SAMPLES.parent)
    try:
        yield
    finally:
        os.chdir(before)


# piecash runs on SQLAlchemy 1.4, which says once that its API will change in 2.0: not nexus's to act on (shown or
# not depending on which test imports piecash first, so on how pytest-xdist shares the tests out).
os.environ.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
pytest_plugins = ["pytester"]  # tests/test_ci.py runs small suites under this conftest


@pytest.fixture
def write(tmp_path: Path):
    """write("name.csv", text) -> absolute path, with the text dedented."""

    def _write(name: str, text: str, encoding: str = "utf-8") -> str:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding=encoding)
        return str(path)

    return _write


def check_with_permits(write, orders: str, permits: str, as_of: str, *more: str, home: str = "US-OR") -> str:
    """``nexus check``'s standard output on ``orders`` with the registrations file ``permits`` (both written as
    orders.csv and regs.csv by :func:`write`), as of ``as_of``, established in ``home``; the run must succeed."""
    from click.testing import CliRunner

    from nexus.cli import cli

    args = ["check", "--sales", write("orders.csv", orders), "--registrations", write("regs.csv", permits),
            "--as-of", as_of, "--home", home, *more]
    run = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert run.exit_code == 0, run.output
    return run.stdout


def flat(text: str, regs: str) -> str:
    """``text`` with its whitespace runs made one space and the registrations file's path shown as regs.csv."""
    return " ".join(text.split()).replace(regs, "regs.csv")


def csv_files(folder: Path, header: list[str], parts: list[list[list[str]]]) -> list[str]:
    """Each part written as its own CSV file under ``folder`` (``orders-0.csv``...), the same header on each:
    the exports of one seller, as the readers' parity tests draw them."""
    paths = []
    for n, rows in enumerate(parts):
        path = folder / f"orders-{n}.csv"
        with open(path, "w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows([header] + rows)
        paths.append(str(path))
    return paths


def readme_check_args(folder: Path, registrations: bool = True) -> list[str]:
    """The README's first check (orders, presence, registrations), its JSON written as check.json into ``folder``:
    what the ledger tests accrue and plan from; without ``registrations``, the sample's check with its presence file
    alone."""
    held = ["--registrations", str(SAMPLES / "registrations.csv")] if registrations else []
    return ["check", "--sales", str(SAMPLES / "orders-2025.csv"), "--sales", str(SAMPLES / "orders-2026.csv"),
            "--rates", str(SAMPLES / "eurofxref-hist.csv"), "--as-of", "2026-10-31", "--presence",
            str(SAMPLES / "presence.csv"), *held, "--format", "json", "--output", str(folder / "check.json")]


@pytest.fixture(scope="session")
def readme_check_json(tmp_path_factory) -> Path:
    """:func:`readme_check_args`'s JSON made once per test run (shared_runs.py: the first pytest-xdist worker to
    need it makes it, the other reads it), for the modules that only read it (their outputs go to folders of their
    own)."""
    from shared_runs import shared_run
    return shared_run(tmp_path_factory, "readme-check", readme_check_args).file("check.json")


@pytest.fixture(scope="session")
def presence_check_json(tmp_path_factory) -> Path:
    """The sample's check with its presence file (no registrations) as JSON, made once per test run for the modules
    that only read it, as :func:`readme_check_json`."""
    from shared_runs import shared_run
    return shared_run(tmp_path_factory, "presence-check",
                      lambda folder: readme_check_args(folder, registrations=False)).file("check.json")


def make_rule(**overrides: Any) -> dict[str, Any]:
    """A valid rule row (a $100,000 OR 200 test over the current or previous year) to vary in tests."""
    row = {
        "jurisdiction": "US-ZZ", "name": "Testland", "authority": "Testland DOR",
        "effective_from": "2018-01-01", "sales_threshold": "100000", "sales_comparison": "more_than",
        "transactions_threshold": 200, "transactions_comparison": "at_least", "combine": "or",
        "period": "current_or_previous_calendar_year", "basis": "gross", "marketplace": "included",
        "categories": ["goods", "digital", "saas", "services"],
        "sources": ["https://example.org/testland"], "last_verified": "2026-11-27",
    }
    row.update(overrides)
    return row


def book(*rows: dict[str, Any]) -> RuleBook:
    return parse_rulebook({"published": "2026-11-27", "rules": list(rows)})


#: The folder of the test run's own store (:func:`pytest_configure`).
RUN_STORE = pytest.StashKey[Path]()


def pytest_configure(config: pytest.Config) -> None:
    """Fixtures of a module or of the session run nexus before any test's own store is set (:func:`private_store`):
    they share one store of the test run, never the user's real one, whose history kept the suite's hostile orders."""
    config.stash[RUN_STORE] = Path(tempfile.mkdtemp(prefix="nexus-tests-"))
    os.environ["NEXUS_DB"] = str(config.stash[RUN_STORE] / "nexus-store.sqlite3")
    if hasattr(config.option, "loadscopereorder"):
        # pytest-xdist hands out files in the order of pytest_collection_modifyitems (the long ones first), not by
        # their number of tests, which put the few long renders last, one core working while the other waited.
        config.option.loadscopereorder = False


def pytest_unconfigure(config: pytest.Config) -> None:
    folder = config.stash.get(RUN_STORE, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def tmp_path(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """pytest's ``tmp_path``, a new folder for each test under the run's base folder, named after the test, and
    made in one step. pytest's own numbers the folders: it lists the base folder to find the next number and
    points a symlink at the newest, which with three thousand tests' folders in it took 3 ms a test (0.2 ms so).
    The folders are kept as pytest keeps its own, with the base folder of the last three runs."""
    name = re.sub(r"\W", "_", request.node.name)[:21]  # and 8 random characters: no longer than pytest's names
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=tmp_path_factory.getbasetemp()))


#: Numbers each test's own store in the test run's folder.
_STORES = itertools.count()


@pytest.fixture(autouse=True)
def private_store(request, monkeypatch):
    """Never read or write the user's real store: each test gets an empty one of its own, a new name in the test
    run's folder. (Not under ``tmp_path``: making a folder for each of five thousand tests, most of which never ask
    for one, cost 4 ms a test.)"""
    store = request.config.stash[RUN_STORE] / f"nexus-store-{next(_STORES)}.sqlite3"
    monkeypatch.setenv("NEXUS_DB", str(store))


@pytest.fixture(autouse=True)
def unsynced(monkeypatch):
    """In this process, the store and the output files are not flushed to the disk (fsync) as they are written.

    nexus flushes each output before renaming it into place and SQLite each transaction, so that a crash cannot
    leave an empty report or a torn store: nothing a test can observe, as no test crashes the machine. Each flush
    waits for the disk, 10 to 40 ms (more while other programs write), and the CLI tests alone open a store 521
    times (2026-12-07), besides the outputs they write. Everything is still written, read back and renamed as
    before; a test that replaces ``store._open`` (a read-only or full store) replaces this too. Commands run as
    subprocesses flush as usual."""
    from nexus import outputs, store

    opened = store._open

    def _open(target):
        connection = opened(target)
        connection.execute("PRAGMA synchronous = OFF")
        return connection

    monkeypatch.setattr(store, "_open", _open)
    monkeypatch.setattr(outputs, "_sync", lambda path: None)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", default=False,
                     help="also run the tests marked slow (Spark, renders, large files): what CI runs")


#: The files that take longest, longest first (seconds of CPU alone, with LibreOffice's, Chromium's or Spark's JVM's
#: where a file runs them, on 2026-12-07): the print of every workbook about 40, Spark about 25, the docs' commands
#: 20, the memo's browser renders 15, then 10 to 13 each down to test_ci.py, and 6 to 9 for the last five, which
#: hold no slow test. pytest-xdist hands each worker the next file as it finishes one (loadfile): a long file handed
#: out late keeps one worker busy while the other has nothing left, so these go first (test_screens_review.py and
#: test_tieout.py, 9 and 6 s, went among the last files by name). The other files take 5 s or less.
LONG_FILES = ("test_workbook_print.py", "test_scale.py", "test_docs.py", "test_memo_browser.py",
              "test_workbook_exposure.py", "test_aggregates.py", "test_cli_check.py", "test_fast_exports.py",
              "test_workbook.py", "test_fuzz.py", "test_provider_memo_browser.py", "test_ci.py",
              "test_screens_review.py", "test_cli_provider.py", "test_provider_memo.py", "test_tieout.py",
              "test_memo.py")


def _first(item: pytest.Item, slow_files: set[Path]) -> int:
    """Where ``item``'s file goes: the long files (:data:`LONG_FILES`) in their order, then the other files that
    hold slow tests, then the rest."""
    name = item.path.name
    if name in LONG_FILES and item.path.parent == Path(__file__).parent:
        return LONG_FILES.index(name)
    return len(LONG_FILES) + (item.path not in slow_files)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the tests marked slow, unless --slow (or a -m expression choosing by marks) is given; the long
    files (:data:`LONG_FILES`), then the other files that hold slow tests, run first, each file's tests in their
    order (see :func:`pytest_configure`)."""
    if config.getoption("--slow") or config.getoption("markexpr"):
        slow_files = {item.path for item in items if item.get_closest_marker("slow")}
        items.sort(key=lambda item: _first(item, slow_files))  # stable: a file's tests stay together, in order
        return
    slow = [item for item in items if item.get_closest_marker("slow")]
    if slow:
        config.hook.pytest_deselected(items=slow)
        items[:] = [item for item in items if not item.get_closest_marker("slow")]


def pytest_report_header(config: pytest.Config) -> str:
    if config.getoption("--slow") or config.getoption("markexpr"):
        return "slow tests: included"
    return "slow tests: left out (pytest --slow runs everything CI runs)"


def in_ci() -> bool:
    """Whether this run is CI's (``CI=true``, as CI services set it): there nothing may be skipped for lack of
    a program."""
    return os.environ.get("CI", "").strip().lower() in ("true", "1", "yes")


def needs_program(name: str) -> str:
    """The path of the system program ``name`` (``soffice``, ``chromium``, ``java``).

    Missing on a developer's machine, the test is skipped, saying what to install; missing where
    ``CI=true``, the test fails: CI installs these programs (``.ci/run``), so a skip there would hide a test
    that never ran. Call it in a test or in a (session-scoped) fixture.
    """
    path = shutil.which(name)
    if path is None:
        message = f"{name} is not installed (or not on PATH)"
        if in_ci():
            pytest.fail(f"{message}, and CI=true: CI must run every test", pytrace=False)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def browser(tmp_path_factory):
    """One headless Chromium for the whole run, shared by every module that renders a memo
    (tests/chromium.py drives it); each test opens its own tab with ``page`` or ``browser.page()``."""
    from chromium import Chromium  # needs websockets, from the test extra

    program = needs_program("chromium")
    running = Chromium(program, tmp_path_factory.mktemp("chromium") / "profile")
    yield running
    running.close()


@pytest.fixture
def page(browser):
    """A fresh tab of the run's Chromium, closed after the test."""
    tab = browser.page()
    yield tab
    tab.close()


def account(read: int, used: int, skipped: int = 0, duplicates: int = 0, left_out: int = 0, superseded: int = 0,
            conflicts: int = 0, overlaps: int = 0) -> dict[str, int]:
    """A ledger's whole row account (``Ledger.summary()``), zero where not given."""
    return {"rows_read": read, "rows_used": used, "rows_skipped": skipped, "duplicates": duplicates,
            "rows_left_out": left_out, "rows_superseded": superseded, "conflicts": conflicts,
            "migration_overlaps": overlaps}
