"""Write data/place-names-zh.csv: the Chinese names of the places nexus names tax accounts for.

    python data/update/place_names_zh.py                      # iso-codes' translations in /usr/share/locale
    python data/update/place_names_zh.py /path/to/locale      # or another locale directory

Countries take CLDR's names (through babel, as nexus reads CLDR's territory currencies): 德国, 韩国, in simplified
and traditional characters. US states and Canadian provinces take the iso-codes project's translations of
ISO 3166-2 (zh_CN, zh_TW), the source of data/iso3166-2-us.csv; where iso-codes has no simplified name (Maryland,
Yukon), CLDR's subdivision name (common/subdivisions/zh.xml) fills it (CLDR_SUBDIVISIONS). A name found in neither is
left empty, and nexus writes the English one. Writes a sorted, deterministic CSV so that a refresh is a plain diff to review.
More information: https://salsa.debian.org/iso-codes-team/iso-codes, https://cldr.unicode.org
"""
from __future__ import annotations

import csv
import gettext
import sys
from datetime import date
from pathlib import Path

from babel import Locale
from babel import __version__ as babel_version

DATA = Path(__file__).resolve().parent.parent
#: CLDR's Chinese subdivision names (common/subdivisions/zh.xml: usmd, cayt, caon, caqc) for the states and provinces
#: iso-codes leaves untranslated; babel ships no subdivision names, so they are kept here, read from CLDR 2026-12-07.
#: 育空, 安大略 and 魁北克 are written alike in both scripts, so they fill the traditional cell too (CLDR's zh_Hant
#: names no US or Canadian subdivision); a name whose characters differ (马里兰州) fills the simplified one only.
CLDR_SUBDIVISIONS = {"US-MD": ("马里兰州", ""), "CA-YT": ("育空", "育空"), "CA-ON": ("安大略", "安大略"),
                     "CA-QC": ("魁北克", "魁北克")}


def table(name: str) -> list[dict[str, str]]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return list(csv.DictReader(line for line in lines if not line.startswith("#")))


def main(locale_dir: str = "/usr/share/locale") -> None:
    hans, hant = Locale.parse("zh_Hans").territories, Locale.parse("zh_Hant").territories
    # the countries, and the European Union, whose VAT (the Union OSS) nexus names a payable for
    codes = [r["code"] for r in table("iso3166-1.csv")] + ["EU"]
    rows = [(code, hans.get(code, ""), hant.get(code, "")) for code in codes]
    translations = {loc: gettext.translation("iso_3166-2", locale_dir, languages=[loc]) for loc in ("zh_CN", "zh_TW")}

    def named(loc: str, english: str) -> str:
        found = translations[loc].gettext(english)
        return "" if found == english else found

    for name in ("iso3166-2-us.csv", "iso3166-2-ca.csv"):
        rows += [(r["code"], named("zh_CN", r["name"]) or CLDR_SUBDIVISIONS.get(r["code"], ("", ""))[0],
                  named("zh_TW", r["name"]) or CLDR_SUBDIVISIONS.get(r["code"], ("", ""))[1]) for r in table(name)]
    with open(DATA / "place-names-zh.csv", "w", encoding="utf-8", newline="") as out:
        out.write(f"# Chinese names of countries and the EU (CLDR, through babel {babel_version}) and of US states and "
                  f"Canadian provinces (iso-codes' ISO 3166-2 translations, zh_CN and zh_TW; CLDR's subdivision names where "
                  f"iso-codes has none: US-MD, CA-YT, CA-ON, CA-QC).\n"
                  "# source: https://cldr.unicode.org (territory names, zh_Hans and zh_Hant); "
                  "https://salsa.debian.org/iso-codes-team/iso-codes (po/iso_3166-2, as shipped in Debian's "
                  "iso-codes); https://github.com/unicode-org/cldr/blob/main/common/subdivisions/zh.xml (usmd, cayt, caon, caqc)\n"
                  f"# read: {date.today().isoformat()}, by data/update/place_names_zh.py; an empty cell: no "
                  f"translation, the English name is used\n")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(("code", "hans", "hant"))
        writer.writerows(sorted(r for r in rows if r[1] or r[2]))


if __name__ == "__main__":
    main(*sys.argv[1:])
