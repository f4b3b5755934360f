"""Commands on the bundled samples that several test files read, run once per test run.

Several files ran the same command on the same samples, each for its own assertions (each function below names
them), 2 to 3 s a run. Here the first file to need a run makes it, through the CLI as before, and the others read
what it printed and wrote.

The runs are kept in a folder of the test run's own base temporary folder, which every pytest-xdist worker of the
run shares (each worker's base is a folder of it) and no other run does: a run is never read from an earlier test
run, so never from other code. A run is made in a folder of its own and renamed into place whole, so a reader sees
all of it or nothing; a worker that needs a run another is making waits for it.
"""
from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, ContextManager, Iterator
from unittest import mock

import pytest
from click.testing import CliRunner

from conftest import SAMPLES, SAMPLES_AS_GIVEN, at_repository
from nexus.cli import cli

#: Seconds to wait for another worker making a run before making it too (it takes 2 to 3 s; more on a busy machine).
WAIT = 300.0


@dataclass(frozen=True)
class Ran:
    """One command's run: what it printed (``output``, standard output and error as a terminal shows them;
    ``stdout`` alone) and the folder its output files are in, by the names the command was given."""

    output: str
    stdout: str
    folder: Path

    def file(self, name: str) -> Path:
        return self.folder / name


def _runs_folder(factory: pytest.TempPathFactory) -> Path:
    """The run's shared folder: under pytest-xdist each worker's base temporary folder is one of the run's."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent
    folder = base / "shared-runs"
    folder.mkdir(exist_ok=True)
    return folder


def shared_run(factory: pytest.TempPathFactory, name: str, args: Callable[[Path], list[str]],
               at_repository_folder: bool = False,
               also: Callable[[Path], ContextManager[object]] = lambda folder: contextlib.nullcontext()) -> Ran:
    """The run of ``nexus`` with ``args(folder)`` (``folder``: where its outputs go), made once per test run and
    asserted to succeed; ``at_repository_folder``: run from the repository, for paths given as the README gives
    them; ``also(folder)``: a context the command runs in (a library function patched to write more outputs
    into ``folder`` than the command has options for; the run's ``name`` says so)."""
    key = f"{name}-{hashlib.sha256(repr(args(Path('OUT'))).encode()).hexdigest()[:12]}"
    done = _runs_folder(factory) / key
    while not done.is_dir():
        if _claimed(done.with_suffix(".making")):
            try:
                _make(done, args, at_repository_folder, also)
            finally:
                shutil.rmtree(done.with_suffix(".making"), ignore_errors=True)
    return Ran((done / "output.txt").read_text(encoding="utf-8"), (done / "stdout.txt").read_text(encoding="utf-8"),
               done)


def _claimed(claim: Path) -> bool:
    """Whether this process is to make the run: it made ``claim`` (a folder: making one is atomic), or the process
    that made it did not finish within WAIT seconds. Else it waits for that process to finish or to fail (and
    then makes the run itself); a worker waiting uses no CPU the other needs to make the run."""
    try:
        claim.mkdir()
        return True
    except FileExistsError:
        waited = time.monotonic() + WAIT
        while claim.is_dir() and time.monotonic() < waited:
            time.sleep(0.05)
        return claim.is_dir()


def _make(done: Path, args: Callable[[Path], list[str]], at_repository_folder: bool,
          also: Callable[[Path], ContextManager[object]]) -> None:
    """Run the command into a folder of its own, then rename that folder to ``done``: whole or not at all."""
    work = Path(tempfile.mkdtemp(prefix=f"{done.name}.", dir=done.parent))
    runner = CliRunner()
    with at_repository() if at_repository_folder else contextlib.nullcontext(), also(work):
        result = runner.invoke(cli, args(work), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (work / "output.txt").write_text(result.output, encoding="utf-8")
    (work / "stdout.txt").write_text(result.stdout, encoding="utf-8")
    try:
        os.rename(work, done)
    except OSError:
        if not done.is_dir():
            raise
        shutil.rmtree(work)  # made meanwhile by a worker waited for too long: the same run


def _bundled_comparison_args(given: Path) -> list[str]:
    """docs/provider.md's comparison of the two bundled profiles, with the samples in ``given``."""
    return ["provider", "compare", str(given / "provider-shopkit.yaml"), str(given / "provider-hostwell.yaml"),
            "--sales", str(given / "orders-2025.csv"), "--sales", str(given / "orders-2026.csv"),
            "--rates", str(given / "eurofxref-hist.csv"), "--presence", str(given / "presence.csv"),
            "--coa", str(given / "chart-of-accounts.csv"), "--registrations", str(given / "registrations.csv"),
            "--as-of", "2026-10-31", "--home", "JP"]


def bundled_comparison(factory: pytest.TempPathFactory) -> Ran:
    """``nexus provider compare`` of the two bundled profiles as docs/provider.md runs it, from the repository with
    the paths as given, with its workbook (``compare.xlsx``) and its memo (``providers.html``): its screen and
    workbook read in test_cli_provider.py, its screen in test_screens_review.py, its memo printed in
    test_provider_memo_browser.py, its workbook printed in test_workbook_print.py. The same comparison's workbook is
    written on A4 and on Letter too, as a reader prints it (``compare-a4.xlsx``, ``compare-letter.xlsx``: the
    workbook nexus writes with ``paper``, which no option of the command gives), printed in test_workbook_print.py."""
    return shared_run(factory, "bundled-comparison-on-each-paper", lambda out: _bundled_comparison_args(
        SAMPLES_AS_GIVEN) + ["--workbook", str(out / "compare.xlsx"), "--html", str(out / "providers.html")],
        at_repository_folder=True, also=_on_each_paper)


@contextlib.contextmanager
def _on_each_paper(folder: Path) -> Iterator[None]:
    """The comparison's workbook written as the command writes it, and on A4 and on Letter into ``folder``."""
    from nexus.workbooks import provider as provider_book
    real = provider_book.write_comparison_workbook

    def on_each_paper(comparison, path, paper=None):
        real(comparison, path, paper=paper)
        for each in ("A4", "Letter"):
            real(comparison, str(folder / f"compare-{each.lower()}.xlsx"), paper=each)

    with mock.patch.object(provider_book, "write_comparison_workbook", on_each_paper):
        yield


def bundled_comparison_json(factory: pytest.TempPathFactory) -> Ran:
    """The same comparison as :func:`bundled_comparison` with ``--format json`` (the JSON on standard output), its
    workbook (``compare.xlsx``) and its memo (``providers.html``): the JSON read in test_docs.py, the three outputs
    of one command in test_provider_memo.py."""
    return shared_run(factory, "bundled-comparison-json", lambda out: _bundled_comparison_args(SAMPLES_AS_GIVEN) + [
        "--format", "json", "--workbook", str(out / "compare.xlsx"), "--html", str(out / "providers.html")],
        at_repository_folder=True)


def readme_memo(factory: pytest.TempPathFactory) -> Ran:
    """The README's first check (orders, presence, registrations) from the repository with the paths as the README
    gives them, with its memo (``memo.html``): its screen and memo read in test_memo.py, its memo printed in
    test_memo_browser.py."""
    given = SAMPLES_AS_GIVEN
    return shared_run(factory, "readme-memo", lambda out: [
        "check", "--sales", str(given / "orders-2025.csv"), "--sales", str(given / "orders-2026.csv"), "--rates",
        str(given / "eurofxref-hist.csv"), "--as-of", "2026-10-31", "--presence", str(given / "presence.csv"),
        "--registrations", str(given / "registrations.csv"), "--html", str(out / "memo.html")],
        at_repository_folder=True)


def sample_memo(factory: pytest.TempPathFactory) -> Ran:
    """The sample check without the registrations file (orders, rates, presence; absolute paths), with its memo
    (``memo.html``) and its findings as JSON (``check.json``): its memo rendered and printed in
    test_memo_browser.py, read in test_memo.py."""
    return shared_run(factory, "sample-memo", lambda out: [
        "check", "--sales", str(SAMPLES / "orders-2025.csv"), "--sales", str(SAMPLES / "orders-2026.csv"),
        "--rates", str(SAMPLES / "eurofxref-hist.csv"), "--as-of", "2026-10-31",
        "--presence", str(SAMPLES / "presence.csv"), "--html", str(out / "memo.html"), "--format", "json",
        "-o", str(out / "check.json")])


def readme_products(factory: pytest.TempPathFactory) -> Ran:
    """The README's ``nexus products check`` (the two ERP exports and the Shopify export, the products file, the ERP's
    items) from the repository with the paths as the README gives them, its findings as JSON (``products.json``)
    and its workbook (``products.xlsx``): the JSON read in test_cli_products.py, the workbook printed in
    test_workbook_print.py."""
    given = SAMPLES_AS_GIVEN
    return shared_run(factory, "readme-products", lambda out: [
        "products", "check", "--sales", str(given / "orders-2025.csv"), "--sales", str(given / "orders-2026.csv"),
        "--sales", str(given / "shopify-orders-2026.csv"), "--products", str(given / "products.csv"), "--erp-items",
        str(given / "erpnext-items.csv"), "--rates", str(given / "eurofxref-hist.csv"), "--as-of", "2026-10-31",
        "--format", "json", "-o", str(out / "products.json"), "--workbook", str(out / "products.xlsx")],
        at_repository_folder=True)


def sample_home_jp(factory: pytest.TempPathFactory) -> Ran:
    """The sample check with its presence file for a seller established in Japan (``--home JP``; absolute paths), its
    findings as JSON (``check.json``, the JSON ``--format json`` prints), its memo (``memo.html``) and its workbook
    (``report.xlsx``): its memo and workbook read in test_from_first_order.py, its JSON in test_docs_exposure.py."""
    return shared_run(factory, "sample-home-jp", lambda out: [
        "check", "--sales", str(SAMPLES / "orders-2025.csv"), "--sales", str(SAMPLES / "orders-2026.csv"),
        "--rates", str(SAMPLES / "eurofxref-hist.csv"), "--presence", str(SAMPLES / "presence.csv"), "--home", "JP",
        "--as-of", "2026-10-31", "--html", str(out / "memo.html"), "--workbook", str(out / "report.xlsx"),
        "--format", "json", "-o", str(out / "check.json")])
