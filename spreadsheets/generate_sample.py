"""Generate the bundled sample order exports (deterministic: same seed, same files).

A fictional seller, Sakura Goods, ships from Japan and the US and sells
through its own store, marketplaces, resellers and affiliates. Its exports
look like real ones: timestamps with offsets, Japanese and Chinese customer
names, several currencies, refunds and chargebacks on later dates, tax-exempt
and resale orders, and a second export that repeats December 2025 (a late,
overlapping export whose repeated rows nexus must count once).

It also writes two exports as the platforms write them (docs/input-formats.md):
the Shopify orders export of the US storefront the seller opened in April 2026
(one row per line item, the order's columns on its first row only, discounts,
tax charged in the states where the seller collects, shipping, partial and
full refunds, cancelled and test orders, Canadian orders in CAD), and the
Amazon "All Orders" report of its Amazon US sales (tab-separated, one row per
item, promotions, cancelled items, Multi-Channel Fulfillment rows for orders
sold elsewhere, states written as buyers write them). Neither repeats an order
of the ERP exports: the ERP's direct sales are the old storefront's, and its
marketplace rows are other marketplaces'.

    python spreadsheets/generate_sample.py   # rewrites the files above
"""
from __future__ import annotations

import csv
import random
import zlib
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


#: Every this many order numbers, an order to Japan carries its SKU in full-width characters, as Japanese input
#: methods type them: the same product as the ERP's half-width SKU (nexus products check matches and says so).
FULL_WIDTH_EVERY = 151


def full_width(text: str) -> str:
    """ASCII letters, digits and signs as their full-width forms (U+FF01 to U+FF5E)."""
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


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
            if country == "JP" and number % FULL_WIDTH_EVERY == 0:
                sku = full_width(sku)  # the Japanese storefront's export types some SKUs full-width: ＫＹＵＳＵ－ＴＥＡＰＯＴ
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


SHOPIFY_HEADER = ("Name,Email,Financial Status,Paid at,Fulfillment Status,Fulfilled at,Accepts Marketing,Currency,"
                  "Subtotal,Shipping,Taxes,Total,Discount Code,Discount Amount,Shipping Method,Created at,"
                  "Lineitem quantity,Lineitem name,Lineitem price,Lineitem compare at price,Lineitem sku,"
                  "Lineitem requires shipping,Lineitem taxable,Lineitem fulfillment status,Billing Name,Billing Street,"
                  "Billing Address1,Billing Address2,Billing Company,Billing City,Billing Zip,Billing Province,"
                  "Billing Country,Billing Phone,Shipping Name,Shipping Street,Shipping Address1,Shipping Address2,"
                  "Shipping Company,Shipping City,Shipping Zip,Shipping Province,Shipping Country,Shipping Phone,Notes,"
                  "Note Attributes,Cancelled at,Payment Method,Payment Reference,Refunded Amount,Vendor,"
                  "Outstanding Balance,Employee,Location,Device ID,Id,Tags,Risk Level,Source,Lineitem discount,"
                  "Tax 1 Name,Tax 1 Value,Tax 2 Name,Tax 2 Value,Tax 3 Name,Tax 3 Value,Tax 4 Name,Tax 4 Value,"
                  "Tax 5 Name,Tax 5 Value,Phone,Receipt Number,Duties,Billing Province Name,Shipping Province Name,"
                  "Payment ID,Payment Terms Name,Next Payment Due At,Payment References").split(",")
#: The tax the fictional seller charges on its Shopify store, in the states where it says it collects (the
#: state's own rate, or a city's combined rate for the city it ships most to); elsewhere it charges none.
SHOPIFY_TAX = {"CA": ("CA State Tax", Decimal("0.0725")), "NY": ("NY State Tax", Decimal("0.08875")),
               "WA": ("WA State Tax", Decimal("0.065"))}
CANADA = [("ON", "Toronto", "M5V 2T6"), ("QC", "Montréal", "H2X 1Y1"), ("BC", "Vancouver", "V6B 1A1")]


def _money(value: Decimal, places: int = 2) -> str:
    return str(value.quantize(Decimal(1).scaleb(-places)))


def shopify_export(seed: int = 20260401) -> list[list[str]]:
    """The Shopify store's orders export, 2026-04-01 to 2026-10-30, as Shopify writes it."""
    rng = random.Random(seed)
    states, weights = zip(*US_WEIGHTS.items())
    rows: list[list[str]] = []
    day, number = date(2026, 4, 1), 1000
    index = {name: i for i, name in enumerate(SHOPIFY_HEADER)}
    while day <= END:
        for _ in range(max(0, int(rng.gauss(14, 3) * (1 + (day - date(2026, 4, 1)).days / 400)))):
            number += 1
            stamp = datetime.combine(day, datetime.min.time(), timezone(timedelta(hours=-7)))
            stamp += timedelta(seconds=rng.randrange(86400))
            canada = rng.random() < 0.08
            if canada:
                province, city, zip_code = rng.choice(CANADA)
                country, currency, tax_name, rate = "CA", "CAD", "GST", Decimal("0.05")
            else:
                province = rng.choices(states, weights)[0]
                city, zip_code = "", f"{rng.randrange(10000, 99999)}"
                country, currency = "US", "USD"
                tax_name, rate = SHOPIFY_TAX.get(province, ("", Decimal(0)))
            items = [rng.choice(SKUS) for _ in range(rng.choices([1, 2, 3], [60, 30, 10])[0])]
            lines = [(rng.choice([1, 1, 1, 2]), sku, Decimal(price)) for sku, _category, price in items]
            categories = {sku: category for sku, category, _price in items}
            subtotal = sum((q * p for q, _s, p in lines), Decimal(0))
            code, discount = ("WELCOME10", (subtotal / 10).quantize(Decimal("0.01"))) if rng.random() < 0.15 \
                else ("", Decimal(0))
            subtotal -= discount
            digital = all(category != "goods" for _s, category, _p in items)
            shipping = Decimal(0) if digital or subtotal >= 150 else Decimal("9.95")
            taxes = ((subtotal + shipping) * rate).quantize(Decimal("0.01"))
            total = subtotal + shipping + taxes
            name = _name(rng, "JP" if rng.random() < 0.1 else "CN" if rng.random() < 0.06 else "US")
            status, cancelled, refunded, method = "paid", "", Decimal(0), "Shopify Payments"
            roll = rng.random()
            if roll < 0.02:
                cancelled = (stamp + timedelta(hours=rng.randrange(1, 48))).strftime("%Y-%m-%d %H:%M:%S %z")
                status, refunded = "refunded", total
            elif roll < 0.03:
                status = "voided"
            elif roll < 0.07:
                status, refunded = "refunded", total
            elif roll < 0.10:
                status, refunded = "partially_refunded", (total * Decimal("0.3")).quantize(Decimal("0.01"))
            if rng.random() < 0.003:
                method = "bogus"  # a test order placed through Shopify's Bogus Gateway
            created = stamp.strftime("%Y-%m-%d %H:%M:%S %z")
            address = {"Name": name, "Street": f"{rng.randrange(1, 999)} Main St", "Address1": "", "City": city or
                       "Springfield", "Zip": zip_code, "Province": province, "Country": country}
            address["Address1"] = address["Street"]
            for i, (quantity, sku, price) in enumerate(lines):
                row = [""] * len(SHOPIFY_HEADER)
                row[index["Name"]], row[index["Email"]] = f"#{number}", f"c{number}@example.com"
                if i == 0:
                    first = {"Financial Status": status, "Paid at": created, "Fulfillment Status":
                             "fulfilled" if status == "paid" else "unfulfilled", "Accepts Marketing": "no",
                             "Currency": currency, "Subtotal": _money(subtotal), "Shipping": _money(shipping),
                             "Taxes": _money(taxes), "Total": _money(total), "Discount Code": code,
                             "Discount Amount": _money(discount), "Shipping Method": "" if digital else "Standard",
                             "Created at": created, "Cancelled at": cancelled, "Payment Method": method,
                             "Refunded Amount": _money(refunded), "Outstanding Balance": "0.00",
                             "Id": str(5_000_000 + number), "Risk Level": "Low", "Source": "web"}
                    if rate:
                        first.update({"Tax 1 Name": f"{tax_name} {(rate * 100).normalize():f}%",
                                      "Tax 1 Value": _money(taxes)})
                    for side in ("Billing",) + (() if digital else ("Shipping",)):
                        first.update({f"{side} {k}": v for k, v in address.items()})
                    for key, value in first.items():
                        row[index[key]] = value
                row[index["Lineitem quantity"]], row[index["Lineitem name"]] = str(quantity), sku.title()
                row[index["Lineitem price"]], row[index["Lineitem sku"]] = _money(price), sku
                row[index["Lineitem requires shipping"]] = "true" if categories[sku] == "goods" else "false"
                row[index["Lineitem taxable"]], row[index["Vendor"]] = "true", "Sakura Goods"
                row[index["Lineitem discount"]] = "0.00"
                rows.append(row)
        day += timedelta(days=1)
    return rows


AMAZON_HEADER = ["amazon-order-id", "merchant-order-id", "purchase-date", "last-updated-date", "order-status",
                 "fulfillment-channel", "sales-channel", "order-channel", "url", "ship-service-level", "product-name",
                 "sku", "asin", "item-status", "quantity", "currency", "item-price", "item-tax", "shipping-price",
                 "shipping-tax", "gift-wrap-price", "gift-wrap-tax", "item-promotion-discount",
                 "ship-promotion-discount", "ship-city", "ship-state", "ship-postal-code", "ship-country",
                 "promotion-ids", "is-business-order", "purchase-order-number", "price-designation"]


def _as_buyers_write(rng: random.Random, state: str) -> str:
    """A state as Amazon buyers type it: the code, the name, or the name in capitals."""
    from nexus.places import name

    full = name(f"US-{state}")
    return rng.choices([state, full, full.upper()], [70, 20, 10])[0]


def amazon_report(seed: int = 20250101) -> list[list[str]]:
    """The Amazon US All Orders report, 2025-01-01 to 2026-10-30, as Amazon writes it."""
    rng = random.Random(seed)
    states, weights = zip(*US_WEIGHTS.items())
    rows: list[list[str]] = []
    day, number = START, 0
    while day <= END:
        for _ in range(max(0, int(rng.gauss(6, 2)))):
            number += 1
            order_id = f"11{rng.randrange(1, 9)}-{number:07d}-{rng.randrange(10**7):07d}"
            stamp = datetime.combine(day, datetime.min.time(), timezone.utc) + timedelta(seconds=rng.randrange(86400))
            state = rng.choices(states, weights)[0]
            non_amazon = rng.random() < 0.02  # Multi-Channel Fulfillment of an order sold elsewhere
            cancelled = rng.random() < 0.02
            for _item in range(rng.choices([1, 2], [80, 20])[0]):
                sku, category, price = rng.choice([s for s in SKUS if s[1] == "goods"])
                quantity = rng.choice([1, 1, 2])
                item_price = Decimal(price) * quantity
                promotion = -(item_price * Decimal("0.1")).quantize(Decimal("0.01")) if rng.random() < 0.1 \
                    else Decimal(0)
                shipping = Decimal(0) if item_price >= 35 else Decimal("5.99")
                tax = ((item_price + promotion) * Decimal("0.07")).quantize(Decimal("0.01"))
                status = "Cancelled" if cancelled else "Shipped"
                rows.append([order_id, "", stamp.isoformat(), (stamp + timedelta(days=2)).isoformat(), status,
                             "Amazon", "Non-Amazon" if non_amazon else "Amazon.com", "", "", "Standard",
                             f"Sakura Goods {sku.title()}", sku, f"B0{zlib.crc32(sku.encode()) % 10**8:08d}", status,
                             str(quantity), "USD", "" if cancelled else _money(item_price),
                             "" if cancelled else _money(tax), "" if cancelled else _money(shipping),
                             "" if cancelled else "0.00", "", "", "" if cancelled else _money(promotion),
                             "" if cancelled else "0.00", "SPRINGFIELD", _as_buyers_write(rng, state),
                             f"{rng.randrange(10000, 99999)}", "US", "", "false", "", ""])
        day += timedelta(days=1)
    return rows


def main() -> None:
    with open(HERE / "shopify-orders-2026.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(SHOPIFY_HEADER)
        writer.writerows(shopify_export())
    with open(HERE / "amazon-all-orders-2025-2026.txt", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(AMAZON_HEADER)
        writer.writerows(amazon_report())
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
