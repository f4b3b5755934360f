"""ISO 4217 facts: current and withdrawn currencies, minor units, successors.

Read from ``data/iso4217.csv`` (SIX list one), ``data/iso4217-historic.csv``
(list three) and ``data/iso4217-successors.csv``. py-moneyed is nexus's Money
vocabulary, but its currency list dates from 2022: :func:`correct_moneyed`
registers the codes it lacks (XCG, ZWG, XAD...) from this data, and nexus
reads minor units and withdrawal from ISO, not from py-moneyed.

More information:

* https://www.six-group.com/en/products-services/financial-information/data-standards.html
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import moneyed

from nexus import datafiles


@dataclass(frozen=True)
class CurrencyFacts:
    """What ISO 4217 says of one code.

    ``minor_units`` is None for metals, SDR and test codes ("N.A.").
    ``withdrawn`` is SIX's withdrawal text (``2023-01``) for withdrawn codes,
    and ``successor`` the code that replaced it, where one did.
    """

    code: str
    number: str
    name: str
    minor_units: int | None
    fund: bool
    countries: tuple[str, ...]
    withdrawn: str | None = None
    successor: str | None = None
    changeover: str | None = None

    @property
    def current(self) -> bool:
        return self.withdrawn is None


def _countries(text: str) -> tuple[str, ...]:
    """The countries of a list-one row. ISO names the metals, bond-market units and the testing code after no country
    but an entity of its own (ZZ08_Gold, ZZ06_Testing_Code), which the review's Currencies sheet printed as their
    countries ('Zz08_Gold'): those are not countries, and are left out."""
    return tuple(c for c in text.split("; ") if c and not c.upper().startswith("ZZ"))


@lru_cache(maxsize=None)
def iso_current() -> dict[str, CurrencyFacts]:
    """Current ISO 4217 codes (list one)."""
    return {r["code"]: CurrencyFacts(r["code"], r["number"], r["name"],
                                     int(r["minor_units"]) if r["minor_units"].isdigit() else None,
                                     r["fund"] == "yes", _countries(r["countries"]))
            for r in datafiles.rows("iso4217.csv")}


@lru_cache(maxsize=None)
def successors() -> dict[str, dict[str, str]]:
    return {r["code"]: r for r in datafiles.rows("iso4217-successors.csv")}


@lru_cache(maxsize=None)
def iso_withdrawn() -> dict[str, CurrencyFacts]:
    """Codes that are withdrawn and not current again (list three), with the latest withdrawal."""
    found: dict[str, CurrencyFacts] = {}
    current = iso_current()
    for r in sorted(datafiles.rows("iso4217-historic.csv"), key=lambda r: r["withdrawn"]):
        if r["code"] in current:
            continue  # a code withdrawn in one country and still current elsewhere (EUR, USD)
        after = successors().get(r["code"], {})
        countries = found[r["code"]].countries if r["code"] in found else ()
        found[r["code"]] = CurrencyFacts(r["code"], r["number"], r["name"], None, False,
                                         tuple(sorted(set(countries) | {r["country"]})), r["withdrawn"],
                                         after.get("successor") or None, after.get("changeover") or None)
    return found


def facts(code: str) -> CurrencyFacts | None:
    """ISO facts for ``code`` (current or withdrawn), or None if ISO 4217 has never had it."""
    code = code.strip().upper()
    return iso_current().get(code) or iso_withdrawn().get(code)


@lru_cache(maxsize=None)
def ecb_published() -> frozenset[str]:
    """Currencies with an ECB euro reference rate (and EUR itself)."""
    return frozenset(r["code"] for r in datafiles.rows("ecb-currencies.csv")) | {"EUR"}


def correct_moneyed() -> list[str]:
    """Register with py-moneyed every current ISO code it lacks; returns the codes added."""
    added = []
    for code, fact in iso_current().items():
        try:
            moneyed.get_currency(code)
        except moneyed.CurrencyDoesNotExist:
            sub_unit = 10 ** fact.minor_units if fact.minor_units else 1
            moneyed.add_currency(code, fact.number, sub_unit=sub_unit, name=fact.name, countries=list(fact.countries))
            added.append(code)
    return added
