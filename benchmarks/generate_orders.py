"""Generate a large, realistic order file for benchmarks (deterministic for a seed).

    python benchmarks/generate_orders.py --rows 10000000 --out /tmp/orders-10m.csv [--parquet] [--narrow]

Skewed states (population weights), many currencies, refunds and chargebacks,
marketplace, reseller and affiliate rows, about 2% repeated rows (a late
export), from 2025-01-01 to 2026-10-30. Columns use nexus's field names, and
carry what a store's export also holds and nexus does not read (customer,
email, SKU, product, city, postcode; Japanese, Chinese and Korean text for
those orders), so that ten million rows are about 1 GB, as exports are.

With --narrow, the eight columns a lean export has (date, order_id, country, region, currency, amount,
channel, kind: about 50 bytes a row), the same orders otherwise: the shape where nexus's fixed costs per
row show most, because each row is cheap to parse.
"""
from __future__ import annotations

import argparse
import random
import time
from datetime import date, timedelta

STATES = ("CA TX FL NY PA IL OH GA NC MI NJ VA WA AZ TN MA IN MD MO WI CO MN SC AL LA KY OR OK CT UT IA NV AR MS "
          "KS NM NE ID WV HI NH ME MT RI DE SD ND AK DC VT WY").split()
ABROAD = [("JP", "JPY", 9000), ("CA", "CAD", 120), ("GB", "GBP", 70), ("DE", "EUR", 80), ("FR", "EUR", 80),
          ("AU", "AUD", 130), ("KR", "KRW", 90000), ("MX", "MXN", 1500), ("SG", "SGD", 110), ("CH", "CHF", 80)]


NAMES = {"JP": ["山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲"], "KR": ["김민준", "이서연", "박지훈"],
         "SG": ["陈伟", "Tan Wei Ming", "李娜"], "": ["Maria Garcia", "James Smith", "Anna Müller", "Chloé Martin",
                                                 "O'Brien, Sean", "Priya Patel", "Ngozi Okafor"]}
PRODUCTS = ["Merino wool socks, 3-pack", "Ceramic pour-over set", "急須 (Japanese teapot)", "Trail running shoes",
            "Linen shirt \"classic\"", "USB-C cable 2 m", "保温杯 500ml", "Notebook A5 dotted", "Gift card"]
CITIES = {"JP": [("東京都渋谷区", "150-0002"), ("大阪市北区", "530-0001")], "KR": [("서울", "04524")],
          "SG": [("Singapore", "018956")], "": [("Springfield", "62701"), ("Austin", "73301"), ("Berlin", "10115"),
                                                ("Paris", "75002"), ("Toronto", "M5V 2T6"), ("London", "SW1A 1AA")]}


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--parquet", action="store_true", help="also write OUT.parquet (needs duckdb)")
    parser.add_argument("--narrow", action="store_true", help="eight columns only (about 50 bytes a row)")
    args = parser.parse_args()
    generate(args.rows, args.out, args.seed, args.parquet, args.narrow)


def generate(rows: int, out_path: str, seed: int = 1, parquet: bool = False, narrow: bool = False) -> None:
    """Write ``rows`` orders to ``out_path`` (CSV), and with ``parquet`` a typed Parquet copy beside it;
    ``narrow``: the eight columns of a lean export."""
    rng = random.Random(seed)
    weights = [1 / (i + 1) ** 0.8 for i in range(len(STATES))]
    start, started = date(2025, 1, 1), time.time()
    days = [(start + timedelta(days=i)).isoformat() for i in range(668)]  # to 2026-10-30, the last ECB rate bundled
    channels = ["direct"] * 70 + ["marketplace"] * 17 + ["reseller"] * 5 + ["affiliate"] * 8
    kinds = ["sale"] * 95 + ["refund"] * 4 + ["chargeback"]
    categories = ["goods"] * 75 + ["digital"] * 15 + ["saas"] * 6 + ["services"] * 4
    recent: list[str] = []
    with open(out_path, "w", encoding="utf-8") as out:
        out.write("date,order_id,country,region,currency,amount,channel,kind\n" if narrow else
                  "order_id,date,country,region,amount,currency,channel,kind,exempt,category,customer,email,sku,"
                  "product,city,postcode\n")
        states = rng.choices(STATES, weights, k=rows)
        for i in range(rows):
            if recent and rng.random() < 0.02:
                out.write(rng.choice(recent))
                continue
            channel = rng.choice(channels)
            if rng.random() < 0.8:
                country, region, currency, amount = "US", states[i], "USD", f"{rng.randrange(500, 90000) / 100:.2f}"
            else:
                country, currency, typical = rng.choice(ABROAD)
                region = ""
                minor = 0 if currency in ("JPY", "KRW") else 2
                amount = f"{rng.uniform(0.2, 3) * typical:.{minor}f}"
            if narrow:
                line = f"{rng.choice(days)},O{i},{country},{region},{currency},{amount},{channel},{rng.choice(kinds)}\n"
                out.write(line)
                if len(recent) < 1000:
                    recent.append(line)
                elif rng.random() < 0.01:
                    recent[rng.randrange(1000)] = line
                continue
            customer = rng.choice(NAMES.get(country, NAMES[""]))
            city, postcode = rng.choice(CITIES.get(country, CITIES[""]))
            line = (f"O{i},{rng.choice(days)},{country},{region},{amount},{currency},{channel},{rng.choice(kinds)},"
                    f"{'resale' if channel == 'reseller' else 'no'},{rng.choice(categories)},{_quoted(customer)},"
                    f"c{rng.randrange(10**7)}@example.com,SKU-{rng.randrange(10**5):05d},"
                    f"{_quoted(rng.choice(PRODUCTS))},{city},{postcode}\n")
            out.write(line)
            if len(recent) < 1000:
                recent.append(line)
            elif rng.random() < 0.01:
                recent[rng.randrange(1000)] = line
    print(f"wrote {rows:,} rows to {out_path} in {time.time() - started:.1f} s")
    if parquet:
        import duckdb

        target = out_path.rsplit(".", 1)[0] + ".parquet"
        # Typed, as a warehouse or Spark writes Parquet: dates as DATE, amounts as DECIMAL.
        duckdb.sql(f"COPY (SELECT * REPLACE (CAST(date AS DATE) AS date, CAST(amount AS DECIMAL(18, 2)) AS amount) "
                   f"FROM read_csv('{out_path}', all_varchar = true)) TO '{target}' (FORMAT parquet)")
        print(f"wrote {target}")


if __name__ == "__main__":
    main()
