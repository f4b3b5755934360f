"""Refresh data/iso4217.csv and data/iso4217-historic.csv from SIX's ISO 4217 lists.

    python data/update/iso4217.py                      # fetch list-one.xml and list-three.xml from SIX
    python data/update/iso4217.py list-one.xml list-three.xml   # or read local copies

Writes sorted, deterministic CSVs so that a refresh is a plain diff to review.
More information: https://www.six-group.com/en/products-services/financial-information/data-standards.html
"""
from __future__ import annotations

import csv
import sys
from pathlib import Path
from xml.etree import ElementTree

import requests

LIST_ONE = "https://www.six-group.com/dam/download/financial-information/data-center/iso-currrency/lists/list-one.xml"
LIST_THREE = "https://www.six-group.com/dam/download/financial-information/data-center/iso-currrency/lists/list-three.xml"
DATA = Path(__file__).resolve().parent.parent


def read(source: str) -> bytes:
    if source.startswith("https://"):
        response = requests.get(source, timeout=(10, 60), headers={"User-Agent": "nexus data refresh"})
        response.raise_for_status()
        return response.content
    return Path(source).read_bytes()


def current(xml: bytes, origin: str) -> None:
    root = ElementTree.fromstring(xml)
    published = root.get("Pblshd")
    codes: dict[str, dict[str, object]] = {}
    for entry in root.iter("CcyNtry"):
        code = entry.findtext("Ccy")
        if not code:
            continue  # Antarctica and the like: a country with no universal currency
        name = entry.find("CcyNm")
        row = codes.setdefault(code, {"code": code, "number": entry.findtext("CcyNbr") or "",
                                      "name": (name.text or "").strip() if name is not None else "",
                                      "minor_units": entry.findtext("CcyMnrUnts") or "",
                                      "fund": "yes" if name is not None and name.get("IsFund") == "true" else "",
                                      "countries": []})
        row["countries"].append(entry.findtext("CtryNm").strip().title())  # type: ignore[union-attr]
    with open(DATA / "iso4217.csv", "w", newline="", encoding="utf-8") as handle:
        handle.write(f"# ISO 4217 list one: current currencies and funds. Published {published}.\n"
                     f"# source: {LIST_ONE} (read from {origin})\n"
                     f"# minor_units: digits after the decimal point; N.A. for metals, SDR and test codes.\n")
        writer = csv.DictWriter(handle, ["code", "number", "name", "minor_units", "fund", "countries"],
                                lineterminator="\n")
        writer.writeheader()
        for code in sorted(codes):
            row = dict(codes[code])
            row["countries"] = "; ".join(sorted(set(row["countries"])))  # type: ignore[arg-type]
            writer.writerow(row)


def historic(xml: bytes, origin: str) -> None:
    root = ElementTree.fromstring(xml)
    published = root.get("Pblshd")
    rows = set()
    for entry in root.iter("HstrcCcyNtry"):
        rows.add((entry.findtext("Ccy") or "", entry.findtext("CcyNbr") or "", (entry.findtext("CcyNm") or "").strip(),
                  (entry.findtext("WthdrwlDt") or "").strip(), (entry.findtext("CtryNm") or "").strip().title()))
    with open(DATA / "iso4217-historic.csv", "w", newline="", encoding="utf-8") as handle:
        handle.write(f"# ISO 4217 list three: historic (withdrawn) currencies and funds. Published {published}.\n"
                     f"# source: {LIST_THREE} (read from {origin})\n"
                     f"# withdrawn: as SIX writes it (2023-01, 1989 to 1990, 1990-07 to 1990-09); a code may repeat.\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["code", "number", "name", "withdrawn", "country"])
        writer.writerows(sorted(rows))


if __name__ == "__main__":
    one, three = (sys.argv[1:3] if len(sys.argv) >= 3 else (LIST_ONE, LIST_THREE))
    current(read(one), one)
    historic(read(three), three)
