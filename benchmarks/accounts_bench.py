"""Time `nexus accounts plan` and `nexus currencies review --coa` on a 5,000-account chart and 200 currencies.

    python benchmarks/accounts_bench.py [--runs 3] [--accounts 5000] [--keep DIR]

Generates a six-digit chart (headers per block, currency banks, clearing and receivable accounts, tax
payables for every US state, and thousands of income and expense accounts in their blocks), a provider list
of 200 codes (every current ISO 4217 currency, then withdrawn ones, which the review reports), and a check
JSON with nexus in 51 US places and 19 countries. Each command runs in its own process (the time includes
starting Python and importing nexus); the figure is the median wall time of --runs runs and the peak
resident memory. A plan that cannot number an account stops with the block that is full: the run reports it.
"""
from __future__ import annotations

import argparse
import csv
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from nexus import currencies, places

COUNTRIES = ["AU", "CA", "CH", "DE", "FR", "GB", "IT", "ES", "NL", "JP", "KR", "NO", "NZ", "SG", "SE", "PL", "AT",
             "BE", "IE"]


def generate(folder: Path, size: int) -> tuple[Path, Path, Path]:
    current = sorted(c for c, f in currencies.iso_current().items() if f.minor_units is not None)
    withdrawn = sorted(currencies.iso_withdrawn())
    codes = (current + [c for c in withdrawn if c not in current])[:200]
    states = sorted(places.us_regions())
    rows = [("100000", "Assets", "Header", "", ""), ("110000", "Cash and bank", "Bank", "", "100000"),
            ("120000", "Receivables", "Header", "", "100000"), ("130000", "Clearing accounts", "Header", "", "100000"),
            ("200000", "Liabilities", "Header", "", ""), ("210000", "Sales tax payable", "Header", "", "200000"),
            ("400000", "Income", "Header", "", ""), ("600000", "Expenses", "Header", "", "")]
    for i, code in enumerate(codes[:90]):  # 90 currency banks: 110100-119000 fill nine blocks
        rows.append((f"{110100 + (i // 9) * 1000 + (i % 9) * 100}", f"Bank - {code}", "Bank", code, "110000"))
    for i, code in enumerate(codes[:40]):
        rows.append((f"{130100 + (i // 9) * 1000 + (i % 9) * 100}", f"Stripe clearing - {code}", "Current asset",
                     code, "130000"))
    for i, code in enumerate(codes[:30]):
        rows.append((f"{120100 + (i // 9) * 1000 + (i % 9) * 100}", f"Accounts receivable - {code}", "Receivable",
                     code, "120000"))
    for i, state in enumerate(states[:40]):
        rows.append((f"{210100 + (i // 9) * 1000 + (i % 9) * 100}", f"Sales tax payable - {places.name(state)} "
                     f"({state})", "Current liability", "USD", "210000"))
    n = 0
    while len(rows) < size:  # income 400100-499900 and expenses 600100-699900, nine to a block of 1,000
        block, slot = divmod(n, 9)
        kind, base = ("Income", 400100) if n % 2 == 0 else ("Expense", 600100)
        rows.append((f"{base + (block // 2) * 1000 + slot * 100 + (n % 2)}", f"{kind} line {n}", kind, "", ""))
        n += 1
    chart = folder / "chart-5000.csv"
    with chart.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Number", "Name", "Type", "Currency", "Parent"])
        writer.writerows(rows[:size])
    provider = folder / "provider-200.txt"
    provider.write_text("\n".join(codes) + "\n", encoding="utf-8")
    findings = [{"jurisdiction": s, "name": places.name(s), "tax": "sales tax", "currency": "USD",
                 "status": "exceeded"} for s in states] + [
        {"jurisdiction": c, "name": places.name(c), "tax": "VAT", "currency": "", "status": "exceeded"}
        for c in COUNTRIES]
    check = folder / "check.json"
    check.write_text(json.dumps({"findings": findings}), encoding="utf-8")
    return chart, provider, check


def timed(command: list[str]) -> tuple[float, int, int, str]:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return elapsed, peak, done.returncode, (done.stdout.splitlines() or [""])[0] + done.stderr.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--accounts", type=int, default=5000)
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    folder = args.keep or Path(tempfile.mkdtemp(prefix="nexus-accounts-bench-"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"{args.accounts} accounts, 200 currencies; {args.runs} runs each, fresh process; files in {folder}")
    for label, command in commands(folder, *generate(folder, args.accounts)).items():
        results = [timed(command) for _ in range(args.runs)]
        median = statistics.median(r[0] for r in results)
        print(f"{label:26} median {median:6.2f} s  (runs: {', '.join(f'{r[0]:.2f}' for r in results)})  "
              f"peak {max(r[1] for r in results) / 1024:.0f} MB  exit {results[-1][2]}  {results[-1][3][:90]}")


def commands(folder: Path, chart: Path, provider: Path, check: Path) -> dict[str, list[str]]:
    """The two commands timed, on the files :func:`generate` wrote (benchmarks/run.py times them too)."""
    nexus = [sys.executable, "-m", "nexus"]
    return {
        "accounts plan": nexus + ["accounts", "plan", "--coa", str(chart), "--currencies", str(provider), "--nexus",
                                  str(check), "--workbook", str(folder / "plan.xlsx"), "--import-file",
                                  str(folder / "import.csv"), "--db", str(folder / "store.sqlite3")],
        "currencies review --coa": nexus + ["currencies", "review", "--provider", str(provider), "--coa", str(chart),
                                            "--db", str(folder / "store.sqlite3")],
    }


if __name__ == "__main__":
    main()
