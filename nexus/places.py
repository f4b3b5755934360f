"""Places: the ISO 3166 codes nexus accepts for countries and subdivisions, and their names.

Read from ``data/iso3166-1.csv`` (countries) and ``data/iso3166-2-*.csv``
(the subdivisions nexus tells apart: US states, where sales tax is per
state, and Canadian provinces, where Quebec has its own sales tax).
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache

from nexus import datafiles

#: Countries whose rows carry a subdivision code, and whether it is required.
SUBDIVIDED = {"US": True, "CA": False}

#: Two-letter codes that are common in exports but are not ISO 3166-1 assignments, with the code to use and
#: why: suggested in the error, never read silently (a code nexus accepts must be ISO's).
#: UK is "exceptionally reserved" by the ISO 3166 Maintenance Agency at the United Kingdom's request;
#: EL is the code the European Union uses for Greece (VAT numbers, Eurostat: Interinstitutional Style Guide 7.1).
COMMON_CODES = {
    "UK": ("GB", "UK is reserved by ISO 3166 for the United Kingdom, whose code is GB"),
    "EL": ("GR", "EL is the European Union's code for Greece, whose ISO 3166 code is GR"),
}


@lru_cache(maxsize=None)
def _table(name: str) -> dict[str, str]:
    return {row["code"]: row["name"] for row in datafiles.rows(name)}


def countries() -> frozenset[str]:
    """ISO 3166-1 alpha-2 codes."""
    return frozenset(_table("iso3166-1.csv"))


def subdivisions(country: str) -> frozenset[str]:
    """ISO 3166-2 codes of ``country`` (``US-CA``, ``CA-QC``), for the countries in :data:`SUBDIVIDED`."""
    return frozenset(_table(f"iso3166-2-{country.lower()}.csv"))


def us_regions() -> frozenset[str]:
    return subdivisions("US")


@lru_cache(maxsize=None)
def _us_outlying_areas() -> frozenset[str]:
    """The ISO 3166-1 codes that ISO 3166-2:US also lists as its outlying areas (PR, GU, VI, AS, MP, UM)."""
    return frozenset(row["code"][3:] for row in datafiles.rows("iso3166-2-us.csv")
                     if row["type"] == "Outlying area") & countries()


def one_code(code: str) -> str:
    """The one code nexus gives a place ISO codes twice: ``US-PR`` for Puerto Rico, whether written ``PR`` (its
    ISO 3166-1 code, as Shopify and Cloudflare write it) or ``US-PR`` (ISO 3166-2:US, as a US address writes it),
    and likewise Guam, the U.S. Virgin Islands, American Samoa, the Northern Mariana Islands and the U.S. Minor
    Outlying Islands; every other code as it is. One place must be one finding, and take the US-wide presence rules
    (``US-*``) whichever way it was written; a registrations file already reads a bare ``PR`` as ``US-PR``."""
    return f"US-{code}" if code in _us_outlying_areas() else code


def name(code: str) -> str:
    """``Japan`` for ``JP``, ``Quebec`` for ``CA-QC``; the code itself when unknown (``EU``)."""
    if "-" in code:
        return _table(f"iso3166-2-{code[:2].lower()}.csv").get(code, code)
    return {"EU": "European Union"}.get(code) or _table("iso3166-1.csv").get(code, code)


#: Names said with 'the' in a sentence ("sales into the Netherlands"); with those of islands, kingdoms and states
#: united and republics named so (see :func:`in_prose`).
_WITH_THE = frozenset({"Netherlands", "Philippines", "Bahamas", "Maldives", "Seychelles", "Comoros", "Gambia",
                       "European Union", "Isle of Man", "Holy See", "Vatican City", "Czech Republic"})


def in_prose(place: str) -> str:
    """A place's name as a sentence says it: ``the Netherlands``, ``the United Kingdom``, ``the Cayman Islands``;
    ``Japan`` and ``Texas`` as they are."""
    if place in _WITH_THE or place.startswith("United ") or place.endswith((" Islands", " Republic")):
        return f"the {place}"
    return place


def named(text: str) -> tuple[str, ...]:
    """The codes of the countries and of the US states and Canadian provinces named ``text`` (any case, with or
    without accents: Québec or Quebec, Côte d'Ivoire or Cote d'Ivoire, Türkiye or Turkiye):
    ``("IN",)`` for India, ``("US-ME",)`` for Maine; two for Georgia (the country, the state); none for others."""
    return _names().get(_name_key(text), ())


def _name_key(text: str) -> str:
    """A place's name as compared: lower-case, without accents, single spaces. Addresses and ledgers write names
    with or without their accents, and the ISO tables keep one of the two (Quebec, Türkiye)."""
    folded = unicodedata.normalize("NFKD", text.lower())
    return " ".join("".join(c for c in folded if not unicodedata.combining(c)).split())


@lru_cache(maxsize=None)
def _names() -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    tables = [_table("iso3166-1.csv")] + [_table(f"iso3166-2-{c.lower()}.csv") for c in SUBDIVIDED]
    for table in tables:
        for code, written in table.items():
            key = _name_key(written)
            found[key] = found.get(key, ()) + (code,)
    return found
