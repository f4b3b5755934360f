"""Run ``nexus`` with the estimate of money at stake left out, to time what the estimate costs (issue 20).

    python benchmarks/without_estimate.py check --sales orders.parquet --as-of 2026-10-31 ...

The same command as ``nexus``, in the same process setup, except that each finding keeps no exposure and there
is no total (as benchmarks/exposure_bench.py switches it off): the check, its timing and everything else are done
as usual. benchmarks/run.py compares it with ``nexus check``.
"""
import sys

from nexus import check, estimates
from nexus.cli import cli

check.estimated = lambda findings, *args, **kwargs: findings  # each finding as the timing left it
estimates._total = lambda *args, **kwargs: None

if __name__ == "__main__":
    sys.exit(cli.main(args=sys.argv[1:], prog_name="nexus"))
