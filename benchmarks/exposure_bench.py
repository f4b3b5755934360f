"""Time nexus check with and without the estimate of the tax at stake (issue 20: within 10%).

    python benchmarks/exposure_bench.py --generate 1000000 [--generate 10000000] [--runs 3]
    python benchmarks/exposure_bench.py /tmp/nexus-orders-1000000.csv

For each file: the whole ``nexus check`` (its own process, JSON report, fast path) as shipped, and the same
with the estimate switched off (``nexus.estimates.estimated``, as the check calls it, and ``_total`` replaced, in
that process only); then, in this process, the check step alone (the orders read once) with and without it. Figures
are the median wall time of --runs runs.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from generate_orders import generate

HERE = Path(__file__).resolve().parent
RATES = HERE.parent / "spreadsheets" / "eurofxref-hist.csv"
AS_OF = "2026-10-31"
OFF = ("import nexus.check as c, nexus.estimates as e; c.estimated = lambda findings, *a: findings; "
       "e._total = lambda *a: None; ")


def command(path: str, estimate: bool) -> list[str]:
    args = ["check", "--sales", path, "--as-of", AS_OF, "--rates", str(RATES), "--format", "json", "-o",
            "/dev/null", "--db", str(Path(tempfile.gettempdir()) / "nexus-bench-store.sqlite3")]
    return [sys.executable, "-c", ("" if estimate else OFF) + f"from nexus.cli import cli; cli({args!r})"]


def whole(path: str, runs: int) -> tuple[float, float]:
    """Median seconds of the whole check without and with the estimate, runs interleaved so that a busy
    machine slows both alike."""
    times: dict[bool, list[float]] = {False: [], True: []}
    for _ in range(runs):
        for estimate in (False, True):
            started = time.perf_counter()
            subprocess.run(command(path, estimate), check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times[estimate].append(time.perf_counter() - started)
    return statistics.median(times[False]), statistics.median(times[True])


def step(path: str, runs: int) -> tuple[float, float, int]:
    """The check step alone, with and without the estimate, on the orders read once; and the estimates made."""
    import nexus.check as checking
    import nexus.estimates as estimating
    from nexus import own_layout_fast
    from nexus.fx import Rates, load_rates
    from nexus.rules import load_rules
    from nexus.read_options import ReadOptions

    ledger = own_layout_fast.read_sales_fast([path], ReadOptions())
    rates, book, on = Rates([load_rates(str(RATES))]), load_rules(), date.fromisoformat(AS_OF)
    shipped, total = checking.estimated, estimating._total
    found: dict[bool, list[float]] = {True: [], False: []}
    made = 0
    for _ in range(runs):
        for estimate in (False, True):
            checking.estimated = shipped if estimate else (lambda findings, *a: findings)
            estimating._total = total if estimate else (lambda *a: None)
            started = time.perf_counter()
            result = checking.check(ledger, book, on, rates)
            found[estimate].append(time.perf_counter() - started)
            if estimate:
                made = sum(1 for f in result.findings if f.exposure is not None)
    checking.estimated, estimating._total = shipped, total
    return statistics.median(found[False]), statistics.median(found[True]), made


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*")
    parser.add_argument("--generate", metavar="ROWS", type=int, action="append", default=[])
    parser.add_argument("--folder", default=tempfile.gettempdir())
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    files = list(options.files)
    for rows in options.generate:
        path = Path(options.folder) / f"nexus-orders-{rows}.csv"
        if not path.exists():
            generate(rows, str(path), seed=1)
        files.append(str(path))
    print("| File | Whole check without estimate, s | with, s | ratio | Check step without, s | with, s | "
          "estimates |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for path in files:
        off, on = whole(path, options.runs)
        step_off, step_on, made = step(path, options.runs)
        print(f"| {Path(path).name} | {off:.2f} | {on:.2f} | {on / off:.3f} | {step_off:.2f} | {step_on:.2f} | "
              f"{made} |", flush=True)


if __name__ == "__main__":
    main()
