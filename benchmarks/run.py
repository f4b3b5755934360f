"""Every figure of issue 15 in one table: nexus against a plain DuckDB GROUP BY of the same file, and the rest.

    python benchmarks/run.py                 # the full run: 1M to 10M rows, three runs each (about 25 minutes)
    python benchmarks/run.py --quick         # the smallest sizes, one run each: under 5 minutes
    python benchmarks/run.py --only narrow-csv --only parquet [--runs 3] [--folder /tmp]
    python benchmarks/run.py --files orders.csv orders.parquet   # your own files, against the same baseline

Cases (``--only`` picks some; each row says its target, from issue 15 and issue 20):

* ``narrow-csv``: the eight columns of a lean export (date, order_id, country, region, currency, amount, channel,
  kind: about 50 bytes a row) at 1M, 2M and 10M rows; whole ``nexus check`` (start to JSON report, default engine)
  within 2x of the baseline;
* ``wide-csv``: the sixteen columns ``generate_orders.py`` writes (a store's export, CJK text; 1.3 GB for 10M) at
  1M and 10M rows: within 1.5x;
* ``parquet``: both shapes, typed (DATE, DECIMAL) as a warehouse writes them, at 2M and 10M rows: within 2x;
* ``reference``: nexus's own reader (``--engine python``) on the narrow 1M-row file: 100,000 rows a second;
* ``aggregates``: ``check --aggregates`` on a million daily aggregates, against DuckDB reading the file into
  Python: within 2x;
* ``estimate``: on the wide 10M-row Parquet file, the check with the estimate of money at stake against the same
  check with the estimate left out (``benchmarks/without_estimate.py``): within 10% (issue 20);
* ``accounts``: ``accounts plan`` and ``currencies review --coa`` on a 5,000-account chart and 200 currencies
  (``accounts_bench.py``): under 2 s each.

The baseline is DuckDB reading the same file and grouping it to the daily aggregates by the columns the file has
(day, jurisdiction, currency, channel, kind, and category and exempt where present), exact decimal sums, results
fetched into Python, and nothing else: no de-duplication, no checks, no rules. Every command runs in its own
process; the figures are the median wall time of --runs runs and the peak resident memory of the process, and
every process must stay under 400 MB (MiB here). Files are generated once into --folder and kept for the next
run. The machine's load average is printed before and after: other work on the machine moves the figures.
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from generate_orders import generate

HERE = Path(__file__).resolve().parent
RATES = HERE.parent / "spreadsheets" / "eurofxref-hist.csv"
AS_OF = "2026-10-31"
MEASURE = """
import resource, subprocess, sys, time
started = time.perf_counter()
code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE).returncode
elapsed = time.perf_counter() - started
print(elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)
"""
CASES = ("narrow-csv", "wide-csv", "parquet", "reference", "aggregates", "estimate", "accounts")
MEMORY_MIB = 400
FULL = {"narrow-csv": (1_000_000, 2_000_000, 10_000_000), "wide-csv": (1_000_000, 10_000_000),
        "parquet": (2_000_000, 10_000_000), "reference": 1_000_000, "aggregates": 1_000_000,
        "estimate": 10_000_000}
#: --quick: the smallest size of each case in the issue, one run each (about two minutes with the files made).
QUICK = {"narrow-csv": (1_000_000,), "wide-csv": (1_000_000,), "parquet": (2_000_000,), "reference": 1_000_000,
         "aggregates": 1_000_000, "estimate": 2_000_000}
#: The environment of every timed process: modules compiled once and kept, as after 'pip install', which
#: byte-compiles them (an environment that sets PYTHONDONTWRITEBYTECODE recompiles nexus at every start: 0.1 s).
ENVIRONMENT = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def baseline(path: str) -> list[str]:
    """DuckDB grouping the file to the daily aggregates by the columns it has: Parquet's typed date as stored,
    a CSV's as text."""
    if path.endswith(".parquet"):
        reader, day = f"read_parquet('{path}')", "CAST(date AS DATE)"
    else:
        reader, day = f"read_csv('{path}', all_varchar = true)", "CAST(SUBSTR(date, 1, 10) AS DATE)"
    columns = _header(path)
    keys = [k for k in ("currency", "channel", "category", "kind", "exempt") if k in columns]
    query = (f"SELECT {day} AS day, CASE WHEN region <> '' THEN country || '-' || region ELSE country END AS "
             f"jurisdiction, {', '.join(keys)}, SUM(CAST(amount AS DECIMAL(38, 9))) AS amount, COUNT(*) AS rows "
             f"FROM {reader} GROUP BY ALL")
    return [sys.executable, "-c", f"import duckdb; duckdb.sql({query!r}).fetchall()"]


def _header(path: str) -> list[str]:
    if path.endswith(".parquet"):
        import duckdb

        return duckdb.sql(f"SELECT * FROM read_parquet('{path}') LIMIT 0").columns
    with open(path, encoding="utf-8") as handle:
        return handle.readline().strip().split(",")


def nexus(*args: str, db: str) -> list[str]:
    return [sys.executable, "-m", "nexus", "check", *args, "--as-of", AS_OF, "--rates", str(RATES), "--format",
            "json", "--output", os.devnull, "--db", db]


def measure(command: list[str], runs: int) -> tuple[float, float]:
    """The median wall time of ``runs`` runs of ``command`` (each in its own process) and the peak memory (MiB)."""
    times, peaks = [], []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", MEASURE, *command], capture_output=True, text=True, check=True,
                             cwd=HERE.parent, env=ENVIRONMENT)
        elapsed, peak_kib, code = out.stdout.split()
        if code != "0":
            raise SystemExit(f"{' '.join(command)} exited {code}: {out.stderr.strip()[-500:]}")
        times.append(float(elapsed))
        peaks.append(int(peak_kib) / 1024)
    return statistics.median(times), max(peaks)


class Table:
    """One table of results, printed a row at a time as they come and kept for the summary."""

    HEAD = f"{'case':<30} {'what':<34} {'median s':>9} {'peak MiB':>9} {'vs base':>8}  {'target':<22} {'met':<3}"

    def __init__(self) -> None:
        self.rows: list[str] = []
        self.missed: list[str] = []
        print(self.HEAD)
        print("-" * len(self.HEAD))

    def add(self, case: str, what: str, took: float, peak: float | None, ratio: float | None = None,
            target: str = "", met: bool | None = None) -> None:
        if peak is not None and peak >= MEMORY_MIB and what.startswith(("nexus", "accounts", "currencies")):
            met, target = False, (target + f"; < {MEMORY_MIB} MiB").lstrip("; ")
        row = (f"{case:<30} {what:<34} {took:>9.2f} {'' if peak is None else f'{peak:,.0f}':>9} "
               f"{'' if ratio is None else f'{ratio:.2f}':>8}  {target:<22} "
               f"{'' if met is None else ('yes' if met else 'NO'):<3}")
        self.rows.append(row)
        if met is False:
            self.missed.append(f"{case}: {what}")
        print(row, flush=True)


def files(folder: str, shape: str, rows: int) -> tuple[str, str]:
    """The CSV and typed Parquet orders of ``shape`` (narrow or wide) and ``rows``, generated once."""
    name = "nexus-narrow" if shape == "narrow" else "nexus-orders"
    csv_path = os.path.join(folder, f"{name}-{rows}.csv")
    parquet = csv_path[:-4] + ".parquet"
    if not os.path.exists(parquet):
        generate(rows, csv_path, parquet=True, narrow=shape == "narrow")
    return csv_path, parquet


def label(path: str, rows: int) -> str:
    kind = "Parquet" if path.endswith(".parquet") else "CSV"
    shape = "narrow" if "narrow" in os.path.basename(path) else "wide"
    return f"{rows / 1e6:g}M {shape} {kind} ({os.path.getsize(path) / 2**20:,.0f} MiB)"


def against_baseline(table: Table, case: str, path: str, rows: int, runs: int, limit: float, db: str) -> None:
    base, base_peak = measure(baseline(path), runs)
    name = label(path, rows)
    table.add(name, "DuckDB GROUP BY (baseline)", base, base_peak, 1.0)
    took, peak = measure(nexus("--sales", path, db=db), runs)
    table.add(name, "nexus check (default engine)", took, peak, took / base, f"within {limit:g}x",
              took / base <= limit)


def aggregates_file(folder: str, rows: int) -> str:
    """``rows`` daily aggregates in the shape 'nexus sql' writes: every day, place and kind of sale."""
    path = os.path.join(folder, f"nexus-aggregates-{rows}.csv")
    if os.path.exists(path):
        return path
    rng = random.Random(15)
    states = ["US-CA", "US-TX", "US-NY", "US-FL", "US-WA", "US-IL", "US-PA", "US-OH", "US-GA", "US-NC", "US-MI",
              "US-NJ", "US-VA", "US-AZ", "US-MA", "US-TN", "US-IN", "US-MO", "US-MD", "US-WI", "US-CO", "US-MN"]
    abroad = [("JP", "JPY"), ("DE", "EUR"), ("FR", "EUR"), ("GB", "GBP"), ("CA-ON", "CAD"), ("AU", "AUD")]
    places = [(s, "USD") for s in states] + abroad
    kinds = [(c, k, e) for c in ("goods", "digital", "saas", "services") for k in ("sale", "refund")
             for e in ("no", "resale")] + [("goods", "chargeback", "no")]
    written = 0
    with open(path, "w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["date", "jurisdiction", "currency", "channel", "category", "kind", "exempt", "amount", "rows"])
        day = date(2025, 1, 1)
        while written < rows:
            for place, code in places:
                for channel in ("direct", "marketplace"):
                    for category, kind, exempt in kinds:
                        if written == rows:
                            break
                        n = rng.randrange(1, 40)
                        amount = f"{n * rng.uniform(5, 400):.2f}" if code not in ("JPY",) else str(n * 4000)
                        out.writerow([day.isoformat(), place, code, channel, category, kind, exempt,
                                      amount if kind == "sale" else f"-{amount}", n])
                        written += 1
            day += timedelta(days=1)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the smallest size of each case, one run each")
    parser.add_argument("--only", action="append", choices=CASES, help="only these cases (repeatable)")
    parser.add_argument("--runs", type=int, help="runs per figure (default 3; --quick: 1)")
    parser.add_argument("--folder", default=tempfile.gettempdir(), help="where files are generated and kept")
    parser.add_argument("--files", nargs="*", default=[], help="your own order files (CSV or Parquet) instead")
    args = parser.parse_args()
    sizes = QUICK if args.quick else FULL
    runs = args.runs or (1 if args.quick else 3)
    cases = args.only or ([] if args.files else list(CASES))
    os.makedirs(args.folder, exist_ok=True)
    db = os.path.join(args.folder, "nexus-bench-store.sqlite3")
    started = time.time()
    # Every file first (generated once, kept), so that the table prints in one piece.
    for case, shapes in (("narrow-csv", ("narrow",)), ("wide-csv", ("wide",)), ("parquet", ("narrow", "wide"))):
        for rows in sizes[case] if case in cases else ():
            for shape in shapes:
                files(args.folder, shape, rows)
    if "reference" in cases:
        files(args.folder, "narrow", sizes["reference"])
    if "estimate" in cases:
        files(args.folder, "wide", sizes["estimate"])
    if "aggregates" in cases:
        aggregates_file(args.folder, sizes["aggregates"])
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.2f} (1 min); {runs} run(s) per figure, medians; "
          f"{time.strftime('%Y-%m-%d')}")
    table = Table()
    for path in args.files:
        against_baseline(table, "files", path, 0, runs, 2.0, db)
    if "narrow-csv" in cases:
        for rows in sizes["narrow-csv"]:
            against_baseline(table, "narrow-csv", files(args.folder, "narrow", rows)[0], rows, runs, 2.0, db)
    if "wide-csv" in cases:
        for rows in sizes["wide-csv"]:
            against_baseline(table, "wide-csv", files(args.folder, "wide", rows)[0], rows, runs, 1.5, db)
    if "parquet" in cases:
        for rows in sizes["parquet"]:
            for shape in ("narrow", "wide"):
                against_baseline(table, "parquet", files(args.folder, shape, rows)[1], rows, runs, 2.0, db)
    if "reference" in cases:
        rows = sizes["reference"]
        path = files(args.folder, "narrow", rows)[0]
        took, peak = measure(nexus("--sales", path, "--engine", "python", db=db), runs)
        table.add(label(path, rows), "nexus check --engine python", took, peak, None,
                  ">= 100,000 rows/s", rows / took >= 100_000)
        table.add(label(path, rows), f"  = {rows / took:,.0f} rows a second", took, None)
    if "aggregates" in cases:
        rows = sizes["aggregates"]
        path = aggregates_file(args.folder, rows)
        name = f"{rows / 1e6:g}M aggregates CSV ({os.path.getsize(path) / 2**20:,.0f} MiB)"
        base, base_peak = measure([sys.executable, "-c", f"import duckdb; duckdb.sql(\"SELECT * FROM "
                                                         f"read_csv('{path}')\").fetchall()"], runs)
        table.add(name, "DuckDB reading it (baseline)", base, base_peak, 1.0)
        took, peak = measure(nexus("--aggregates", path, db=db), runs)
        table.add(name, "nexus check --aggregates", took, peak, took / base, "within 2x", took / base <= 2)
    if "estimate" in cases:
        rows = sizes["estimate"]
        path = files(args.folder, "wide", rows)[1]
        without, peak_without = measure([sys.executable, str(HERE / "without_estimate.py")]
                                        + nexus("--sales", path, db=db)[3:], runs)
        table.add(label(path, rows), "nexus check, estimate left out", without, peak_without, 1.0)
        took, peak = measure(nexus("--sales", path, db=db), runs)
        table.add(label(path, rows), "nexus check, with the estimate", took, peak, took / without, "within 1.10x",
                  took / without <= 1.10)
    if "accounts" in cases:
        from accounts_bench import commands, generate as chart

        folder = Path(args.folder) / "nexus-accounts-bench"
        folder.mkdir(exist_ok=True)
        for what, command in commands(folder, *chart(folder, 5000)).items():
            took, peak = measure(command, runs)
            table.add("5,000 accounts, 200 currencies", what, took, peak, None, "under 2 s", took < 2)
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) at the end; total {time.time() - started:.0f} s")
    if table.missed:
        print("not met: " + "; ".join(table.missed))


if __name__ == "__main__":
    main()
