"""Registrations the company already holds, read from a file finance keeps.

A registration changes what a finding asks for: a jurisdiction where the company is registered and collecting
needs no action, one where collection started later than the duty did leaves a gap to account for, and a
registration with no exposure behind it is worth knowing about too.

The file (CSV or XLSX) has one row per registration: ``jurisdiction``, ``registered_on``, optional
``collecting_from`` (defaults to ``registered_on``), ``id`` (kept, shown only by its last four characters)
and ``note``. Codes are read as DECISIONS.md settles them: a two-letter code alone is a country (``DE``
Germany); a US state is ``US-CA``; a bare state code (``CO``) is accepted only where no country rule uses the
same two letters, otherwise it is an error naming both readings; ``EU`` is a Union OSS registration and covers
the member states for distance sales to consumers; ``EU-IOSS`` covers imports in consignments up to EUR 150.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable

from nexus import places
from nexus.errors import InputError, Location, UnknownCode

FIELDS = ("jurisdiction", "registered_on", "collecting_from", "id", "note")
#: Registrations that are not a place: the EU's one-stop shops.
SCHEMES = {"EU": "Union or non-Union OSS (VAT of every member state, one return)",
           "EU-IOSS": "Import OSS (goods imported in consignments up to EUR 150)"}


@dataclass(frozen=True)
class Registration:
    """One registration held: where, since when, and from when tax has been collected under it."""

    jurisdiction: str
    registered_on: date
    collecting_from: date
    id: str
    note: str
    source: Location

    @property
    def masked_id(self) -> str:
        """The registration number as nexus shows it: its last four characters only."""
        return f"...{self.id[-4:]}" if len(self.id) > 4 else ("..." if self.id else "")

    def covers(self, jurisdiction: str, part_of: str = "", scheme: str = "") -> bool:
        """Whether this registration covers a finding for ``jurisdiction`` (a member state ``part_of`` a union).

        ``EU`` covers the union's findings and its member states' under a union scheme; a member state's own
        registration covers that member alone; ``EU-IOSS`` covers the non-Union scheme's goods only, which
        :func:`coverage_note` says.
        """
        if self.jurisdiction == jurisdiction:
            return True
        if self.jurisdiction in SCHEMES:
            return jurisdiction == "EU" or part_of == "EU"
        return False

    def as_dict(self) -> dict[str, Any]:
        return {"jurisdiction": self.jurisdiction, "registered_on": self.registered_on.isoformat(),
                "collecting_from": self.collecting_from.isoformat(), "id": self.masked_id, "note": self.note,
                "file": self.source.file, "line": self.source.line}


def coverage_note(registration: Registration) -> str:
    """What a scheme registration covers, for the finding's reasons."""
    if registration.jurisdiction == "EU-IOSS":
        return ("the Import OSS covers goods imported in consignments up to EUR 150 only: services and larger "
                "consignments need the non-Union OSS or the customer's import")
    return ""


def parse_code(text: str, country_rules: Iterable[str], where: Location, states_written_bare: bool = False) -> str:
    """A registration's jurisdiction as findings name it, from the way finance writes it.

    A two-letter code is a country (``CA`` Canada, ``DE`` Germany); a US state is ``US-CA``. A bare state code
    is read as the state where no country rule uses those letters (``CO``, ``TX``). Where one does (``CA``,
    ``IN``, ``DE``) and the file writes other states bare (``states_written_bare``), the code is ambiguous:
    an error names both readings rather than guessing.
    """
    code = text.strip().upper().replace("_", "-")
    if code in SCHEMES:
        return code
    if code.startswith("US-") and code in places.us_regions():
        return code
    if code.startswith("CA-") and code in places.subdivisions("CA"):
        return code
    state = code in _states()
    if state and code in set(country_rules):
        if states_written_bare:
            raise InputError(f"is ambiguous: {places.name(code)} ({code}) or {places.name('US-' + code)} "
                             f"(US-{code}), since other rows write US states without US-: write US-{code} for "
                             f"the state; a country needs a file whose states are all written US-XX", where)
        return code
    if state:
        return f"US-{code}"
    if code in places.countries():
        return code
    raise UnknownCode("is not a jurisdiction (a country such as DE, a US state as US-CA, EU or EU-IOSS)", where)


def _states() -> set[str]:
    return {code[3:] for code in places.us_regions()}


def _day(value: object, where: Location) -> date:
    """A registration date: YYYY-MM-DD (or a workbook date). --date-format is the orders' and does not reach
    this file, so an error never suggests it."""
    from nexus.sales import parse_date

    return parse_date(value, None, where, formats=False)


def read_registrations(path: str, country_rules: Iterable[str]) -> list[Registration]:
    """Read a registrations file, naming file, line, column and value for anything it cannot use.

    ``country_rules`` are the countries nexus has rules for: they decide whether a bare two-letter code that is
    also a US state's (``CA``, ``IN``, ``DE``) is ambiguous.
    """
    from nexus.tables import read_table

    rules = set(country_rules)
    rows = list(read_table(path, ("jurisdiction", "registered_on")))
    # Does the file write US states bare (TX, FL)? Then a bare CA or IN cannot be told from the country.
    states_written_bare = any(r.get("jurisdiction").upper() in _states() and r.get("jurisdiction").upper() not in rules
                              for r in rows)
    found: list[Registration] = []
    seen: dict[str, int] = {}
    for row in rows:
        at = row.where
        raw = row.get("jurisdiction")
        if not raw:
            raise InputError("is empty", at("jurisdiction"))
        code = parse_code(raw, rules, at("jurisdiction"), states_written_bare)
        if code in seen:
            raise InputError(f"{code} is registered twice (lines {seen[code]} and {row.line}): keep one row per "
                             f"registration", at("jurisdiction"))
        seen[code] = row.line
        if not row.get("registered_on"):
            raise InputError("is empty", at("registered_on"))
        registered = _day(row.get("registered_on"), at("registered_on"))
        collecting = row.get("collecting_from")
        collecting_from = _day(collecting, at("collecting_from")) if collecting else registered
        found.append(Registration(code, registered, collecting_from, row.get("id"), row.get("note"),
                                  Location(path, row.line)))
    return found
