"""`nexus check --registrations` with a ``filing`` column: a bad frequency stops the run (exit 2) naming file, line and
column; a registration filing quarterly has its estimate worked by quarterly returns, shown in the JSON and the
workbook."""
from __future__ import annotations

from click.testing import CliRunner

from conftest import SAMPLES
from nexus.cli import cli

RATES = str(SAMPLES / "eurofxref-hist.csv")
ORDERS = ("order_id,date,country,region,amount,currency,category,channel\n"
          "P1,2025-01-15,US,PA,10000.00,USD,goods,direct\n")


def test_a_filing_frequency_not_known_stops_the_run_with_exit_2(tmp_path):
    sales, regs = tmp_path / "orders.csv", tmp_path / "regs.csv"
    sales.write_text(ORDERS)
    regs.write_text("jurisdiction,registered_on,collecting_from,id,note,filing\n"
                    "US-PA,2025-01-02,2025-07-01,PA1234,,every 3 months\n")
    out = CliRunner().invoke(cli, ["check", "--sales", str(sales), "--rates", RATES, "--as-of", "2025-08-31",
                                   "--home", "US-PA", "--registrations", str(regs), "--db", str(tmp_path / "db")])
    assert out.exit_code == 2
    assert out.output.strip().splitlines()[-1] == (
        f"Error: {regs}:2: column 'filing' value 'every 3 months': is not a filing frequency: write monthly, "
        f"quarterly or annual, or leave it empty for monthly returns assumed")
