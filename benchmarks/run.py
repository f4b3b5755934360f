"""Time nexus against a plain DuckDB GROUP BY of the same file, and measure peak memory.

    python benchmarks/run.py --generate 1000000 --generate 10000000 [--runs 3] [--python] [--dedupe]
    python benchmarks/run.py /tmp/orders-1m.csv [/tmp/orders-1m.parquet ...]

With --generate, the orders are first made by generate_orders.py (CSV and typed Parquet, kept in the temp
folder for the next run).

For each file: nexus check (fast path, and with --python the pure-Python reference reader) and the
baseline, DuckDB reading the same file and grouping it to the same daily aggregates (date,
jurisdiction, currency, channel, category, kind, exempt) with exact decimal sums. Each command runs in
its own process; the figures are the median wall time of --runs runs and the peak resident memory.
"""
from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from generate_orders import generate

HERE = Path(__file__).resolve().parent
RATES = HERE.parent / "spreadsheets" / "eurofxref-hist.csv"
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode
elapsed = time.perf_counter() - started
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""


def baseline(path: str, dedupe: bool = False) -> list[str]:
    """DuckDB grouping the file to the daily aggregates: Parquet's typed date as stored, a CSV's as text.

    With ``dedupe``, first keeping one row per order id (per refund event for refunds), as a data team
    would write it with a window function: the same job as nexus's, done by DuckDB alone.
    """
    if path.endswith(".parquet"):
        reader, day = f"read_parquet('{path}')", "CAST(date AS DATE)"
    else:
        reader, day = f"read_csv('{path}', all_varchar = true)", "CAST(SUBSTR(date, 1, 10) AS DATE)"
    if dedupe:
        reader = (f"(SELECT * FROM {reader} QUALIFY row_number() OVER (PARTITION BY order_id, kind, "
                  f"CASE WHEN kind <> 'sale' THEN CAST(date AS VARCHAR) || CAST(amount AS VARCHAR) || currency END) = 1)")
    query = (f"SELECT {day} AS day, "
             f"CASE WHEN region <> '' THEN country || '-' || region ELSE country END AS jurisdiction, currency, "
             f"channel, category, kind, exempt, SUM(CAST(amount AS DECIMAL(38, 9))) AS amount, COUNT(*) AS rows "
             f"FROM {reader} GROUP BY ALL")
    return [sys.executable, "-c", f"import duckdb; duckdb.sql({query!r}).fetchall()"]


def nexus(path: str, engine: str) -> list[str]:
    return [sys.executable, "-m", "nexus", "check", "--sales", path, "--engine", engine, "--as-of", "2026-10-31",
            "--rates", str(RATES), "--format", "json", "--output", os.devnull, "--db", "/tmp/nexus-bench.sqlite3"]


def measure(command: list[str], runs: int) -> tuple[float, float]:
    times, peaks = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True)
        elapsed, peak_kib, code = out.stdout.split()
        if code != "0":
            raise SystemExit(f"{' '.join(command)} exited {code}")
        times.append(float(elapsed))
        peaks.append(int(peak_kib) / 1024)
    return statistics.median(times), max(peaks)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("files", nargs="*", help="order files (CSV or Parquet) to time")
    parser.add_argument("--generate", metavar="ROWS", type=int, action="append", default=[],
                        help="first generate ROWS orders (CSV and Parquet) in --folder and time them; repeatable")
    parser.add_argument("--folder", default=tempfile.gettempdir(), help="where --generate writes (default: temp)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--python", action="store_true", help="also time the pure-Python reference reader")
    parser.add_argument("--dedupe", action="store_true",
                        help="also time DuckDB de-duplicating order ids (a window function) before grouping")
    args = parser.parse_args()
    for rows in args.generate:
        csv_path = os.path.join(args.folder, f"nexus-orders-{rows}.csv")
        if not os.path.exists(csv_path):
            generate(rows, csv_path, parquet=True)
        args.files += [csv_path, csv_path[:-4] + ".parquet"]
    if not args.files:
        parser.error("give order files, or --generate ROWS")
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'file':<32} {'what':<18} {'median s':>9} {'peak MiB':>9} {'vs DuckDB':>9}")
    for path in args.files:
        size = os.path.getsize(path) / 2**20
        label = f"{Path(path).name} ({size:,.0f} MiB)"
        base_time, base_peak = measure(baseline(path), args.runs)
        print(f"{label:<32} {'DuckDB GROUP BY':<18} {base_time:>9.2f} {base_peak:>9.0f} {'1.00':>9}")
        if args.dedupe:
            took, peak = measure(baseline(path, dedupe=True), args.runs)
            print(f"{label:<32} {'DuckDB dedupe+GROUP':<18} {took:>9.2f} {peak:>9.0f} {took / base_time:>9.2f}")
        engines = ["duckdb"] + (["python"] if args.python and not path.endswith(".parquet") else [])
        for engine in engines:
            took, peak = measure(nexus(path, engine), args.runs)
            print(f"{label:<32} {'nexus ' + engine:<18} {took:>9.2f} {peak:>9.0f} {took / base_time:>9.2f}")
        sys.stdout.flush()


if __name__ == "__main__":
    started = time.time()
    main()
    print(f"total {time.time() - started:.0f} s")
