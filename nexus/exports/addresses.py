"""Places as platforms write them: country and state names as well as codes.

nexus's own layout asks for ISO codes (``US``, ``CA`` or ``US-CA``). Platform
exports write whatever the platform keeps: Shopify writes codes, Etsy and
BigCommerce write names (``United States``, ``California``), Amazon and PayPal
write what the buyer typed (``TX``, ``Texas``, ``NEW YORK``), and Adobe Commerce
writes the region's name inside one address text. This module turns any of
those into the ISO codes :func:`nexus.cells.jurisdiction_of` reads: a code as it
is, an ISO 3166 name (``data/iso3166-1.csv``, ``data/iso3166-2-*.csv``) or one
of the common spellings below, compared without case, accents or punctuation.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from nexus import datafiles
from nexus import places

#: Country names written by platforms and buyers that are not the ISO 3166 short name. Each is an English
#: spelling in common use for the same country (the ISO names themselves are read from data/iso3166-1.csv).
COUNTRY_SPELLINGS = {
    "US": ("United States of America", "USA", "U.S.A.", "U.S.", "America"),
    "GB": ("UK", "U.K.", "Great Britain", "Britain", "England", "Scotland", "Wales", "Northern Ireland",
           "United Kingdom of Great Britain and Northern Ireland"),
    "KR": ("Korea", "Republic of Korea", "Korea, Republic of", "Korea (South)"),
    "KP": ("Korea, Democratic People's Republic of",),
    "TW": ("Taiwan, Province of China", "Republic of China"),
    "CN": ("People's Republic of China", "PRC", "Mainland China"),
    "HK": ("Hong Kong SAR", "Hong Kong SAR China"),
    "MO": ("Macau", "Macao SAR"),
    "RU": ("Russia",),
    "TR": ("Turkey", "Turkiye"),
    "CZ": ("Czech Republic",),
    "VN": ("Viet Nam",),
    "IR": ("Iran, Islamic Republic of",),
    "SY": ("Syrian Arab Republic",),
    "LA": ("Lao People's Democratic Republic",),
    "MD": ("Moldova, Republic of",),
    "TZ": ("Tanzania, United Republic of",),
    "BO": ("Bolivia, Plurinational State of",),
    "VE": ("Venezuela, Bolivarian Republic of",),
    "MK": ("Macedonia",),
    "SZ": ("Swaziland",),
    "CV": ("Cape Verde",),
    "CI": ("Ivory Coast",),
    "BN": ("Brunei",),
    "VA": ("Vatican", "Vatican City"),
    "PS": ("Palestine",),
    "FM": ("Micronesia",),
    "NL": ("Holland", "The Netherlands"),
    "AE": ("UAE",),
}

#: State and province spellings that are not the ISO 3166-2 name (the codes and ISO names are read from
#: data/iso3166-2-us.csv and -ca.csv).
REGION_SPELLINGS = {
    "US-DC": ("Washington DC", "Washington D.C.", "D.C."),
    "US-VI": ("US Virgin Islands", "U.S. Virgin Islands", "Virgin Islands"),
    "US-UM": ("U.S. Minor Outlying Islands",),
    "CA-QC": ("Québec", "Province of Quebec"),
    "CA-NL": ("Newfoundland",),
    "CA-YT": ("Yukon Territory",),
}


def _folded(text: str) -> str:
    """``Québec`` -> ``quebec``, ``U.S.A.`` -> ``usa``, ``New  York`` -> ``new york``: names compared loosely."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = re.sub(r"[.'’]", "", text)
    return re.sub(r"[\s,\-_()]+", " ", text).strip()


@lru_cache(maxsize=None)
def _names(table: str) -> dict[str, str]:
    return {_folded(row["name"]): row["code"] for row in datafiles.rows(table)}


@lru_cache(maxsize=None)
def _countries() -> dict[str, str]:
    found = dict(_names("iso3166-1.csv"))
    for code, spellings in COUNTRY_SPELLINGS.items():
        for spelling in spellings:
            found[_folded(spelling)] = code
    return found


@lru_cache(maxsize=None)
def _regions(country: str) -> dict[str, str]:
    found = dict(_names(f"iso3166-2-{country.lower()}.csv"))
    for code, spellings in REGION_SPELLINGS.items():
        if code.startswith(f"{country}-"):
            for spelling in spellings:
                found[_folded(spelling)] = code
    return found


def country_code(text: str) -> str | None:
    """The ISO 3166-1 code of a country written as a code or a name; None if neither."""
    text = text.strip()
    if len(text) == 2 and text.upper() in places.countries():
        return text.upper()
    return _countries().get(_folded(text)) if text else None


def region_code(country: str, text: str) -> str | None:
    """The ISO 3166-2 code (``US-TX``) of a US state or Canadian province written as a code (``TX``,
    ``US-TX``) or a name (``Texas``, ``TEXAS``); None if it is neither (or ``country`` has no subdivisions
    nexus tells apart)."""
    text = text.strip()
    if country not in places.SUBDIVIDED or not text:
        return None
    upper = text.upper()
    code = upper if upper.startswith(f"{country}-") else f"{country}-{upper}"
    if code in places.subdivisions(country):
        return code
    return _regions(country).get(_folded(text))


def subdivision_anywhere(text: str) -> str | None:
    """The ISO 3166-2 code of a US state or Canadian province named (or coded) without its country, as an
    address text gives it; None if it names none, or names one in each (none does today)."""
    found = {code for country in places.SUBDIVIDED if (code := region_code(country, text))}
    return found.pop() if len(found) == 1 else None


@lru_cache(maxsize=None)
def _postal_areas() -> dict[str, list[tuple[str, str]]]:
    found: dict[str, list[tuple[str, str]]] = {}
    for row in datafiles.rows("postal-areas.csv"):
        found.setdefault(row["subdivision"], []).append((row["first"], row["last"]))
    return found


def postcode_fits(region: str, postcode: str) -> bool:
    """Whether ``postcode`` (a ZIP Code or a Canadian postal code, already of that country's form) is one of
    ``region``'s (data/postal-areas.csv: a US state's three-digit prefixes, a province's first letter). A region
    the table does not hold (none today) is not refused."""
    areas = _postal_areas().get(region)
    if not areas:
        return True
    key = postcode.strip().upper()[:3 if region.startswith("US-") else 1]
    return any(first <= key <= last for first, last in areas)
