"""Generate the bundled sample order exports (deterministic: same seed, same files).

A fictional seller, Sakura Goods, ships from Japan and the US and sells
through its own store, marketplaces, resellers and affiliates. Its exports
look like real ones: timestamps with offsets, Japanese and Chinese customer
names, several currencies, refunds and chargebacks on later dates, tax-exempt
and resale orders, and a second export that repeats December 2025 (a late,
overlapping export whose repeated rows nexus must count once).

    python spreadsheets/generate_sample.py   # rewrites spreadsheets/orders-*.csv
"""
from __future__ import annotations

import csv
import random
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).parent
START, END = date(2025, 1, 1), date(2026, 10, 30)

# Share of US orders by state: roughly population, so mid-sized states cross
# 200-transaction tests before dollar tests, as they do for real sellers.
US_WEIGHTS = {
    "CA": 118, "TX": 90, "FL": 66, "NY": 59, "PA": 39, "IL": 38, "OH": 35, "GA": 33, "NC": 32, "MI": 30,
    "NJ": 28, "VA": 26, "WA": 24, "AZ": 22, "TN": 21, "MA": 21, "IN": 20, "MD": 18, "MO": 18, "WI": 18,
    "CO": 18, "MN": 17, "SC": 16, "AL": 15, "LA": 14, "KY": 14, "OR": 13, "OK": 12, "CT": 11, "UT": 10,
    "IA": 10, "NV": 10, "AR": 9, "MS": 9, "KS": 9, "NM": 6, "NE": 6, "ID": 6, "WV": 5, "HI": 4, "NH": 4,
    "ME": 4, "MT": 3, "RI": 3, "DE": 3, "SD": 3, "ND": 2, "AK": 2, "DC": 2, "VT": 2, "WY": 2,
}
ABROAD = [  # country, currency, weight, typical order value in that currency
    ("JP", "JPY", 30, 18000), ("CA", "CAD", 12, 160), ("GB", "GBP", 8, 95), ("DE", "EUR", 6, 110),
    ("FR", "EUR", 4, 105), ("AU", "AUD", 5, 170), ("CN", "CNY", 4, 780), ("KR", "KRW", 3, 150000),
    ("TW", "TWD", 1, 3500), ("BH", "BHD", 1, 42),
]
WESTERN = ["Olivia Smith", "Liam Johnson", "Emma Brown", "Noah Garcia", "Ava Miller", "Mateo Rodriguez",
           "Sophia Davis", "Lucas Martinez", "Mia Wilson", "Ethan Anderson", "Chloé Dubois", "Jürgen Weiß"]
JAPANESE = ["山田 太郎", "佐藤 花子", "鈴木 一郎", "高橋 美咲", "田中 健", "ｻﾄｳ ﾊﾅｺ"]
CHINESE = ["王伟", "李娜", "张敏", "刘洋", "陈静"]
KOREAN = ["김민준", "이서연", "박지훈"]
SKUS = [("TEA-SENCHA-100G", "goods", 24), ("KYUSU-TEAPOT", "goods", 89), ("FUROSHIKI-L", "goods", 35),
        ("KNIFE-GYUTO-210", "goods", 240), ("EBOOK-TEA-GUIDE", "digital", 15), ("CLASS-ONLINE-TEA", "services", 60),
        ("APP-TEA-TIMER-Y", "saas", 30), ("MATCHA-SET-DELUXE", "goods", 180)]


def _name(rng: random.Random, country: str) -> str:
    pool = {"JP": JAPANESE, "CN": CHINESE, "TW": CHINESE, "KR": KOREAN}.get(country, WESTERN)
    name = rng.choice(pool)
    if rng.random() < 0.002:
        name = "=HYPERLINK(\"http://example.invalid\",\"click\")"  # hostile text must stay text
    return name


def _amount(rng: random.Random, typical: float, minor: int) -> Decimal:
    value = Decimal(str(round(rng.lognormvariate(0, 0.6) * typical, minor)))
    return value.quantize(Decimal(1).scaleb(-minor))


def generate(seed: int = 20261127) -> list[list[str]]:
    rng = random.Random(seed)
    rows: list[list[str]] = []
    states, weights = zip(*US_WEIGHTS.items())
    day, number = START, 100000
    while day <= END:
        # Busier in November and December; growing 20% a year.
        season = 1.6 if day.month in (11, 12) else 1.0
        growth = 1 + 0.2 * ((day - START).days / 365)
        for _ in range(int(rng.gauss(34, 5) * season * growth)):
            number += 1
            stamp = datetime.combine(day, datetime.min.time(), timezone(timedelta(hours=-5)))
            stamp += timedelta(seconds=rng.randrange(86400))
            sku, category, price = rng.choice(SKUS)
            channel = rng.choices(["direct", "marketplace", "reseller", "affiliate"], [70, 17, 5, 8])[0]
            exempt = "resale" if channel == "reseller" else ("yes" if rng.random() < 0.01 else "no")
            if rng.random() < 0.78:
                country, region, currency = "US", rng.choices(states, weights)[0], "USD"
                amount = _amount(rng, price * 4, 2)
                if rng.random() < 0.03:  # US customers of the Japanese storefront pay in yen
                    currency, amount = "JPY", _amount(rng, price * 4 * 150, 0)
            else:
                country, currency, _, typical = rng.choices(ABROAD, [a[2] for a in ABROAD])[0]
                region = ""
                minor = {"JPY": 0, "KRW": 0, "BHD": 3}.get(currency, 2)
                amount = _amount(rng, typical * price / 60, minor)
            order_id = f"SG-{number}"
            name = _name(rng, country)
            rows.append([order_id, stamp.isoformat(sep=" "), name, country, region, sku, category, channel,
                         "sale", exempt, currency, str(amount)])
            roll = rng.random()
            if roll < 0.05:  # refunds and chargebacks come later, under the same order id
                kind = "chargeback" if roll < 0.006 else "refund"
                later = stamp + timedelta(days=rng.randint(2, 40))
                part = amount if rng.random() < 0.7 else (amount / 2).quantize(amount)
                rows.append([order_id, later.isoformat(sep=" "), name, country, region, sku, category, channel,
                             kind, exempt, currency, str(-part if rng.random() < 0.5 else part)])
        day += timedelta(days=1)
    rows.sort(key=lambda r: r[1])
    return rows


HEADER = ["Order ID", "Created At", "Customer Name", "Ship Country", "Ship State", "SKU", "Category", "Channel",
          "Type", "Tax Exempt", "Currency", "Amount"]


def main() -> None:
    rows = generate()
    first = [r for r in rows if r[1] < "2026-01-01"]
    second = [r for r in rows if r[1] >= "2025-12-01"]  # the late export repeats December 2025
    for name, part in (("orders-2025.csv", first), ("orders-2026.csv", second)):
        with open(HERE / name, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(HEADER)
            writer.writerows(r for r in part if r[1] <= "2026-10-31")


if __name__ == "__main__":
    main()
