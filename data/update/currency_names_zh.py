"""Write data/currency-names-zh.csv: the Chinese names of the currencies nexus names bank and clearing accounts for.

    python data/update/currency_names_zh.py

Each current ISO 4217 currency of data/iso4217.csv (not its funds, metals, SDR or test codes) takes CLDR's name (through babel, as the place names do): 美元,
欧元 and 歐元, 日元 and 日圓, in simplified and traditional characters. A currency CLDR does not name is left out, and
nexus writes the English name. Writes a sorted, deterministic CSV so that a refresh is a plain diff to review.
More information: https://cldr.unicode.org
"""
from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from babel import Locale
from babel import __version__ as babel_version

DATA = Path(__file__).resolve().parent.parent


def main() -> None:
    lines = (DATA / "iso4217.csv").read_text(encoding="utf-8").splitlines()
    # currencies money is paid in: not funds (USN, CHE), metals (XAG 银, which is inside 银行存款), SDR or test codes
    codes = [r["code"] for r in csv.DictReader(line for line in lines if not line.startswith("#"))
             if not r["fund"] and r["minor_units"].isdigit()]
    hans, hant = Locale.parse("zh_Hans").currencies, Locale.parse("zh_Hant").currencies
    rows = [(code, hans.get(code, ""), hant.get(code, "")) for code in codes]
    with open(DATA / "currency-names-zh.csv", "w", encoding="utf-8", newline="") as out:
        out.write(f"# Chinese names of the current ISO 4217 currencies money is paid in (CLDR, through babel {babel_version}).\n"
                  "# source: https://cldr.unicode.org (currency display names, zh_Hans and zh_Hant)\n"
                  f"# read: {date.today().isoformat()}, by data/update/currency_names_zh.py; a currency not "
                  f"named there is left out, the English name is used\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("code", "hans", "hant"))
        writer.writerows(sorted(r for r in rows if r[1] and r[2] and r[1] != r[0]))


if __name__ == "__main__":
    main()
