"""Time reading a Shopify-layout export against the same orders in nexus's own layout (issue 16: within 2x).

    python benchmarks/platforms.py --rows 1000000 [--runs 3] [--folder /tmp] [--late 100000]

Writes, once, into --folder: ``nexus-shopify-ROWS.csv``, a Shopify orders export of ROWS rows (one row per
line item, 1 to 3 items per order, the order's columns on its first row only, every column Shopify writes;
cancelled orders, refunds, several states and currencies), and the same orders in nexus's own layout, one
row per order (and one per refund): ``nexus-shopify-ROWS-nexus.csv`` with the counted amount only, and
``nexus-shopify-ROWS-nexus-charges.csv`` with shipping and tax columns too. Then times ``nexus check`` on each,
on its default engine (``--engine auto``: DuckDB from about 20,000 rows, for files in nexus's layout and for
Shopify exports, nexus.fast_exports) and, for comparison, each nexus-layout file
with ``--engine python`` and ``--engine duckdb``; then the Shopify export with a late export of its first
--late rows beside it (the orders in both read by Shopify's reader), on the default engine and on Shopify's
reader alone. Each command runs in its own process; the figures are the median wall time of --runs runs and
the peak resident memory.
"""
from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from run import RATES, measure

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "spreadsheets"))
from generate_sample import SHOPIFY_HEADER, US_WEIGHTS  # noqa: E402  (the sample's Shopify columns)

PRODUCTS = [("Sencha 100 g", "TEA-SENCHA", Decimal("24.00")), ("Kyusu teapot", "KYUSU-1", Decimal("89.00")),
            ("Furoshiki L", "FUROSHIKI-L", Decimal("35.00")), ("Gyuto 210", "KNIFE-GYUTO", Decimal("240.00")),
            ("Matcha set", "MATCHA-SET", Decimal("180.00"))]


def generate(rows: int, folder: str, seed: int = 16) -> tuple[str, str, str]:
    """Write the Shopify export of ``rows`` rows and the same orders in nexus's layout (plain and with charges)."""
    base = os.path.join(folder, f"nexus-shopify-{rows}")
    paths = (f"{base}.csv", f"{base}-nexus.csv", f"{base}-nexus-charges.csv")
    if all(os.path.exists(p) for p in paths):
        return paths
    rng = random.Random(seed)
    states, weights = zip(*US_WEIGHTS.items())
    index = {name: i for i, name in enumerate(SHOPIFY_HEADER)}
    width = len(SHOPIFY_HEADER)
    days = [f"2025-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)] + \
        [f"2026-{m:02d}-{d:02d}" for m in range(1, 11) for d in range(1, 29)]
    started, written, number = time.time(), 0, 1000
    with open(paths[0], "w", newline="", encoding="utf-8") as shop, \
            open(paths[1], "w", newline="", encoding="utf-8") as plain, \
            open(paths[2], "w", newline="", encoding="utf-8") as charged:
        out, flat, full = csv.writer(shop), csv.writer(plain), csv.writer(charged)
        out.writerow(SHOPIFY_HEADER)
        flat.writerow(["order_id", "date", "country", "region", "amount", "currency", "kind"])
        full.writerow(["order_id", "date", "country", "region", "amount", "shipping", "tax", "currency", "kind"])
        while written < rows:
            number += 1
            items = [rng.choice(PRODUCTS) for _ in range(min(rng.choice([1, 1, 2, 3]), rows - written))]
            day = rng.choice(days)
            canada = rng.random() < 0.1
            country, province = ("CA", rng.choice(["ON", "QC", "BC"])) if canada else \
                ("US", rng.choices(states, weights)[0])
            currency = "CAD" if canada else "USD"
            subtotal = sum(price for _n, _s, price in items)
            shipping = Decimal("0.00") if subtotal >= 150 else Decimal("9.95")
            taxes = ((subtotal + shipping) * Decimal("0.0725")).quantize(Decimal("0.01")) if province == "CA" \
                else Decimal("0.00")
            total = subtotal + shipping + taxes
            cancelled = rng.random() < 0.02
            refunded = total if rng.random() < 0.03 else Decimal("0.00")
            name = f"#{number}"
            for i, (product, sku, price) in enumerate(items):
                row = [""] * width
                row[index["Name"]], row[index["Email"]] = name, f"c{number}@example.com"
                if i == 0:
                    for key, value in (("Financial Status", "refunded" if refunded else "paid"),
                                       ("Paid at", f"{day} 10:00:00 -0700"), ("Fulfillment Status", "fulfilled"),
                                       ("Accepts Marketing", "no"), ("Currency", currency),
                                       ("Subtotal", str(subtotal)), ("Shipping", str(shipping)),
                                       ("Taxes", str(taxes)), ("Total", str(total)), ("Discount Amount", "0.00"),
                                       ("Shipping Method", "Standard"), ("Created at", f"{day} 10:00:00 -0700"),
                                       ("Billing Name", "山田 太郎"), ("Billing City", "Springfield"),
                                       ("Billing Province", province), ("Billing Country", country),
                                       ("Shipping Name", "山田 太郎"), ("Shipping City", "Springfield"),
                                       ("Shipping Province", province), ("Shipping Country", country),
                                       ("Cancelled at", f"{day} 12:00:00 -0700" if cancelled else ""),
                                       ("Payment Method", "Shopify Payments"), ("Refunded Amount", str(refunded)),
                                       ("Id", str(number)), ("Risk Level", "Low"), ("Source", "web")):
                        row[index[key]] = value
                row[index["Lineitem quantity"]], row[index["Lineitem name"]] = "1", product
                row[index["Lineitem price"]], row[index["Lineitem sku"]] = str(price), sku
                row[index["Vendor"]] = "Sakura Goods"
                out.writerow(row)
            written += len(items)
            if cancelled:
                continue
            net = total - taxes
            flat.writerow([name, day, country, province, str(net), currency, "sale"])
            full.writerow([name, day, country, province, str(net - shipping), str(shipping), str(taxes), currency,
                           "sale"])
            if refunded:
                flat.writerow([name, day, country, province, str(net), currency, "refund"])
                full.writerow([name, day, country, province, str(net - shipping), str(shipping), str(taxes),
                               currency, "refund"])
    print(f"wrote {rows:,} Shopify rows ({number - 1000:,} orders) and the same orders in nexus's layout in "
          f"{time.time() - started:.1f} s")
    return paths


def nexus(path: str, engine: str, *more: str) -> list[str]:
    return [sys.executable, "-m", "nexus", "check", "--sales", path, *(a for m in more for a in ("--sales", m)),
            "--engine", engine, "--as-of", "2026-10-31", "--rates", str(RATES), "--format", "json", "--output",
            os.devnull, "--db", "/tmp/nexus-bench.sqlite3"]


def late_export(shopify: str, rows: int) -> str:
    """A late export of the store: the export's first ``rows`` rows again (ended at an order's end), as a second
    download over the same days gives them: ``nexus-shopify-...-late-ROWS.csv`` beside it, written once."""
    path = shopify.replace(".csv", f"-late-{rows}.csv")
    if os.path.exists(path):
        return path
    with open(shopify, newline="", encoding="utf-8") as source, \
            open(path, "w", newline="", encoding="utf-8") as late:
        reader, out = csv.reader(source), csv.writer(late)
        header = next(reader)
        out.writerow(header)
        paid = header.index("Financial Status")
        for number, row in enumerate(reader, 1):
            if number > rows and row[paid]:  # the next order's own row: the late export ends before it
                break
            out.writerow(row)
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000, help="rows of the Shopify export")
    parser.add_argument("--folder", default=tempfile.gettempdir())
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--late", type=int, default=100_000, help="rows of a late export read beside the export "
                        "(its orders repeated: read by Shopify's reader on the fast path too); 0: none")
    args = parser.parse_args()
    shopify, plain, charged = generate(args.rows, args.folder)
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'file':<44} {'engine':<8} {'median s':>9} {'peak MiB':>9} {'vs nexus layout':>16}")
    reference = None
    for path, engines in ((plain, ("auto", "python", "duckdb")), (charged, ("auto",)), (shopify, ("auto",))):
        size = os.path.getsize(path) / 2**20
        for engine in engines:
            took, peak = measure(nexus(path, engine), args.runs)
            if reference is None:
                reference = took
            label = f"{Path(path).name} ({size:,.0f} MiB)"
            print(f"{label:<44} {engine:<8} {took:>9.2f} {peak:>9.0f} {took / reference:>16.2f}")
            sys.stdout.flush()
    if args.late:  # the export and a late export beside it: the fast path, and Shopify's reader alone
        late = late_export(shopify, args.late)
        for engine in ("auto", "python"):
            took, peak = measure(nexus(shopify, engine, late), args.runs)
            label = f"{Path(shopify).name} + {Path(late).name}"
            print(f"{label:<44} {engine:<8} {took:>9.2f} {peak:>9.0f} {took / reference:>16.2f}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
