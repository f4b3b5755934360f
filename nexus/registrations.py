"""Registrations the company already holds, read from a file finance keeps.

A registration changes what a finding asks for: a jurisdiction where the company is registered and collecting
needs no action, one where collection started later than the duty did leaves a gap to account for, and a
registration with no exposure behind it is worth knowing about too.

The file (CSV or XLSX) has one row per registration (a place registered again after closing a permit has one per
permit, on days that do not overlap): ``jurisdiction``, ``registered_on``, optional
``collecting_from`` (defaults to ``registered_on``), ``id`` (kept, shown only by its last four characters),
``note``, optional ``closed_on`` (the last day the permit was held, where it has been cancelled: in a state
whose text keeps a permit holder liable until the permit is cancelled, the duty runs to that day) and optional
``filing`` (how often the authority has the registration file returns: ``monthly``, ``quarterly`` or ``annual``; the
estimate of penalties and interest works by that period's returns, and assumes monthly ones where it is empty).
Codes are read as DECISIONS.md settles them: a two-letter code alone is a country (``DE`` Germany); a US state is
``US-CA``; a bare state code (``CO``) is accepted only where no country rule uses the same two letters, otherwise it
is an error naming both readings; ``EU`` is a Union OSS registration and covers the member states for distance sales
to consumers; ``EU-IOSS`` covers imports in consignments up to EUR 150.

What a scheme registration (``EU``, ``EU-IOSS``) covers depends on what was sold: the Import OSS covers goods
imported in consignments up to EUR 150 and nothing else, the non-Union OSS services and not goods. Those scopes
are data, ``data/registration-coverage.json``, with their articles of the VAT Directive; :func:`covered_by` applies
them to a finding's categories, and says what it had to assume (that goods were imported, in consignments up to
EUR 150, which orders do not show).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Iterable, Sequence

from nexus import datafiles
from nexus import places
from nexus.categories import listed
from nexus.errors import InputError, Location, RulesError, UnknownCode
from nexus.rules import CATEGORIES

FIELDS = ("jurisdiction", "registered_on", "collecting_from", "id", "note", "closed_on", "filing")
#: The filing frequencies a registration row may give (its ``filing`` column): how often returns are due under it.
FREQUENCIES = ("monthly", "quarterly", "annual")
COVERAGE_FILE = "registration-coverage.json"
UNKNOWN = "unknown"  # a sale line of no known category (nexus.categories.UNKNOWN)
#: Days a registration collected on: each from its ``collecting_from`` to its ``closed_on`` (None: still held).
Collected = tuple[tuple[date, "date | None"], ...]
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
    #: The last day the permit was held (the closing date given on its cancellation); None: still held, or not said.
    closed_on: date | None = None
    #: How often returns are filed under the registration (:data:`FREQUENCIES`); "" where the row does not say.
    filing: str = ""

    @property
    def masked_id(self) -> str:
        """The registration number as nexus shows it: its last four characters only."""
        return f"...{self.id[-4:]}" if len(self.id) > 4 else ("..." if self.id else "")

    @property
    def reference(self) -> str:
        """Where the row is, and its masked number where it has one: ``regs.csv:2, number ...1234``."""
        return f"{self.source.file}:{self.source.line}" + (f", number {self.masked_id}" if self.id else "")

    def held_on(self, day: date) -> bool:
        """Whether the permit is still held on ``day``: not closed before it (``closed_on`` is its last day held)."""
        return self.closed_on is None or self.closed_on >= day

    def covers(self, jurisdiction: str, part_of: str = "") -> bool:
        """Whether this registration is one for a finding for ``jurisdiction`` (a member state ``part_of`` a union).

        ``EU`` and ``EU-IOSS`` are for the union's findings and its member states' under a union scheme, a member
        state's own registration for that member alone. Which of the finding's sales a scheme registration covers
        depends on what was sold: :func:`covered_by`.
        """
        if self.jurisdiction == jurisdiction:
            return True
        if self.jurisdiction in SCHEMES:
            return jurisdiction == "EU" or part_of == "EU"
        return False

    def as_dict(self) -> dict[str, Any]:
        return {"jurisdiction": self.jurisdiction, "registered_on": self.registered_on.isoformat(),
                "collecting_from": self.collecting_from.isoformat(), "id": self.masked_id, "note": self.note,
                "closed_on": self.closed_on.isoformat() if self.closed_on else None, "filing": self.filing or None,
                "file": self.source.file, "line": self.source.line}


@dataclass(frozen=True)
class Scope:
    """One row of ``data/registration-coverage.json``: what a scheme registration covers of the sales of the
    findings of one scheme, in one version in time."""

    registration: str
    scheme: str
    effective_from: date
    effective_to: date | None
    covers: tuple[str, ...]
    #: Categories covered only under a condition the orders cannot show: category -> the assumption, in words.
    assumed: tuple[tuple[str, str], ...]
    others: str
    legal_basis: str
    sources: tuple[str, ...]
    last_verified: date
    confidence: str
    notes: str
    #: Said beside an assumption where the presence file puts stock in a member state, which contradicts it.
    stock_caution: str = ""

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@lru_cache(maxsize=None)
def scopes() -> tuple[Scope, ...]:
    """The bundled table, checked: every row names a known scheme registration and categories, sources and the
    day they were last verified."""
    found = []
    for i, row in enumerate(datafiles.document(COVERAGE_FILE)["rules"], start=1):
        where = f"{COVERAGE_FILE}: row {i}"
        if row.get("registration") not in SCHEMES:
            raise RulesError(f"{where}: registration {row.get('registration')!r} is not one of {', '.join(SCHEMES)}")
        named = list(row.get("covers", [])) + list(row.get("assumed", {}))
        if any(c not in CATEGORIES for c in named):
            raise RulesError(f"{where}: categories must be among {', '.join(CATEGORIES)}: {named}")
        if not row.get("sources") or not row.get("last_verified") or not row.get("legal_basis"):
            raise RulesError(f"{where}: every row needs a legal_basis, sources and last_verified")
        found.append(Scope(row["registration"], row["scheme"], date.fromisoformat(row["effective_from"]),
                           date.fromisoformat(row["effective_to"]) if row.get("effective_to") else None,
                           tuple(row.get("covers", [])), tuple(row.get("assumed", {}).items()), row.get("others", ""),
                           row["legal_basis"], tuple(row["sources"]), date.fromisoformat(row["last_verified"]),
                           row.get("confidence", ""), row.get("notes", ""), row.get("stock_caution", "")))
    return tuple(found)


def scope(registration: str, scheme: str, on: date) -> Scope | None:
    """The row for a scheme registration and a finding's scheme in force on ``on`` (None: the table has none)."""
    return next((s for s in scopes() if s.registration == registration and s.scheme == scheme and s.in_force(on)),
                None)


@dataclass(frozen=True)
class Coverage:
    """What the registrations held cover of one finding's sales, category by category.

    ``covered`` pairs each category sold with the registration that covers it; ``uncovered`` are the categories
    sold that none covers (they stay potential exposure); ``assumptions`` what covering some of them assumes
    ("EU-IOSS covers goods assuming ..."), said wherever the finding is said to be registered.
    """

    covered: tuple[tuple[str, Registration], ...]
    uncovered: tuple[str, ...]
    assumptions: tuple[str, ...] = ()
    #: What the categories not covered need, from the data rows of the registrations held (one sentence each).
    needs: tuple[str, ...] = ()
    scopes: tuple[Scope, ...] = ()
    #: The place's own registration (a member state's), which covers every sale there.
    own: Registration | None = None
    #: Every registration held for the finding, covering or not.
    held: tuple[Registration, ...] = ()
    #: Stock the company holds in the finding's own member state, which needs that state's own registration
    #: whatever the scheme registrations held cover of the sales (one sentence each: nexus.check._own_stock).
    stock: tuple[str, ...] = ()
    #: The sources of the rule behind :attr:`stock` (data/stock-registration.json).
    stock_sources: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """Every category sold is covered (some perhaps under an assumption), and no stock held there needs the
        place's own registration."""
        return not self.uncovered and not self.stock

    @property
    def registrations(self) -> tuple[Registration, ...]:
        """The registrations that cover some of the sales, each once, in the file's order."""
        out: list[Registration] = [self.own] if self.own is not None else []
        for _category, r in self.covered:
            if not any(r is o for o in out):
                out.append(r)
        return tuple(sorted(out, key=lambda r: r.source.line or 0))

    @property
    def primary(self) -> Registration | None:
        """The registration whose collection started last: from its day every sale is covered."""
        return max(self.registrations, key=lambda r: r.collecting_from, default=None)

    def collecting_from(self, category: str) -> date | None:
        """From when sales of ``category`` are collected under a registration held (None: they are not)."""
        return next((r.collecting_from for c, r in self.covered if c == category), None)

    def scheme_days(self, category: str) -> Collected:
        """The days a scheme registration collected on sales of ``category``: from its ``collecting_from`` to its
        ``closed_on`` (None: still held). A place's own permit is left out: its days are the finding's own
        (``Timing.collecting``), whatever was sold."""
        return tuple((r.collecting_from, r.closed_on) for c, r in self.covered if c == category
                     and r.jurisdiction in SCHEMES)

    def words(self) -> str:
        """The coverage in one sentence for the finding's reasons (empty where one registration covers all)."""
        regs = self.registrations
        if self.own is not None or (len(regs) == 1 and self.complete and not self.assumptions
                                    and regs[0].jurisdiction not in SCHEMES):
            return ""
        parts = [f"{r.jurisdiction} ({r.source.file}:{r.source.line}) covers "
                 f"{_listed([c for c, o in self.covered if o is r])}" for r in regs]
        if not parts:
            held = ", ".join(f"{r.jurisdiction} ({r.source.file}:{r.source.line})" for r in self.held)
            parts = [f"the registration held, {held}, covers none of these sales"]
        said = "; ".join(parts)
        if self.uncovered:
            plural = len(self.uncovered) > 1 or self.uncovered[0] in ("goods", "services", UNKNOWN)
            said += f"; {_listed(list(self.uncovered))} {'are' if plural else 'is'} not covered"
        return " ".join(f"{s[0].upper()}{s[1:]}." for s in (said,) + self.needs + self.stock + self.assumptions)

    def as_dict(self) -> dict[str, Any]:
        return {"covered": {c: r.jurisdiction for c, r in self.covered}, "uncovered": list(self.uncovered),
                "complete": self.complete, "assumptions": list(self.assumptions), "stock": list(self.stock),
                "legal_basis": [s.legal_basis for s in self.scopes],
                "sources": list(dict.fromkeys([src for s in self.scopes for src in s.sources]
                                              + list(self.stock_sources)))}


def _listed(categories: Sequence[str]) -> str:
    words = {"goods": "goods", "digital": "digital products", "saas": "SaaS", "services": "services",
             UNKNOWN: "sales of unknown category"}
    return listed([words.get(c, c) for c in categories])


def held_by(registrations: Sequence[Registration], as_of: date) -> list[Registration]:
    """The registrations held on the as-of date: a check of a past day, run with today's file, must not count a
    registration made after it (its deadline was then overdue, not covered)."""
    return [r for r in registrations if r.registered_on <= as_of]


def covered_by(held: Sequence[Registration], jurisdiction: str, part_of: str, scheme: str, sold: Sequence[str],
               on: date, stock: Sequence[str] = ()) -> Coverage | None:
    """What the registrations ``held`` cover of a finding's sales of the categories ``sold`` (None: no registration
    held is one for that finding).

    A registration for the place itself covers every category. A scheme registration covers what its row in
    ``data/registration-coverage.json`` says for the finding's ``scheme`` on ``on``: a category outright, or under
    an assumption the finding then says; nothing where the table has no row (never coverage by default). A
    category covered outright by one registration needs no assumption from another. ``stock`` describes the stock
    the presence file puts in the union's member states: where a row has a ``stock_caution``, it is said beside
    the assumption it puts in doubt (goods sent from a warehouse in the Netherlands are not imports).
    """
    mine = [r for r in held if r.covers(jurisdiction, part_of)]
    if not mine:
        return None
    # The place's own permit taken out last: an earlier one, closed before it, covered only its own days.
    own = max((r for r in mine if r.jurisdiction not in SCHEMES), key=lambda r: r.registered_on, default=None)
    if own is not None:  # the place's own registration covers all of its sales, whatever they are
        return Coverage(tuple((c, own) for c in sold), (), own=own, held=tuple(mine))
    covered: list[tuple[str, Registration]] = []
    assumed: list[str] = []
    used: list[Scope] = []
    left = []
    for category in sold:
        outright = next((r for r in mine if r.jurisdiction not in SCHEMES or _outright(r, scheme, on, category)), None)
        if outright is not None:
            covered.append((category, outright))
            continue
        found = next(((r, s, dict(s.assumed)[category]) for r in mine for s in [scope(r.jurisdiction, scheme, on)]
                      if s is not None and category in dict(s.assumed)), None)
        if found is None:
            left.append(category)
            continue
        covered.append((category, found[0]))
        caution = (f"; but the presence file puts stock in the EU ({'; '.join(stock)}): {found[1].stock_caution}"
                   if stock and found[1].stock_caution else "")
        assumed.append(f"{found[0].jurisdiction} is counted as covering {_listed([category])} only on the assumption "
                       f"that {found[2]}{caution}")
    for r in mine:
        row = scope(r.jurisdiction, scheme, on) if r.jurisdiction in SCHEMES else None
        if row is not None and not any(row is u for u in used):
            used.append(row)
    needs = tuple(dict.fromkeys(s.others for s in used if s.others)) if left else ()
    if left and any(r.jurisdiction in SCHEMES and scope(r.jurisdiction, scheme, on) is None for r in mine):
        needs += (f"nexus has no data on what {', '.join(r.jurisdiction for r in mine)} covers of sales under the "
                  f"{scheme or 'this'} scheme on {on}: none is counted as covered",)
    return Coverage(tuple(covered), tuple(left), tuple(dict.fromkeys(assumed)), needs, tuple(used), held=tuple(mine))


def closed_schemes(registrations: Sequence[Registration], current: Coverage | None, jurisdiction: str, part_of: str,
                   scheme: str, sold: Sequence[str], as_of: date) -> Coverage | None:
    """What the scheme registrations closed before ``as_of`` and not among those ``current`` holds covered of a
    finding's sales of the categories ``sold`` while they were held (None: there are none). An OSS closed in 2022
    declared the sales of its own days: they are not at stake because a duty that went on after it needs a
    registration again (:func:`covered_by`, applied as of the last closing)."""
    held = current.held if current is not None else ()
    closed = [r for r in registrations if r.jurisdiction in SCHEMES and r.closed_on is not None
              and r.closed_on < as_of and r.covers(jurisdiction, part_of) and not any(r is h for h in held)]
    if not closed:
        return None
    last = max(r.closed_on or as_of for r in closed)
    return covered_by(closed, jurisdiction, part_of, scheme, sold, last)


def _outright(registration: Registration, scheme: str, on: date, category: str) -> bool:
    row = scope(registration.jurisdiction, scheme, on)
    if row is None:
        return False
    return category in row.covers or (category == UNKNOWN and all(c in row.covers for c in CATEGORIES))


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
    from nexus.cells import parse_date

    return parse_date(value, None, where, formats=False)


def _closed_on(value: str, registered: date, where: Location) -> date | None:
    """The optional closing date: none where the column is absent or empty (files written before it keep working),
    and never before the day the permit was taken out (a year mistyped would end a duty before it began)."""
    if not value:
        return None
    closed = _day(value, where)
    if closed < registered:
        raise InputError(f"is before registered_on {registered}: a permit cannot be closed before it was taken out",
                         where)
    return closed


def _filing(value: str, where: Location) -> str:
    """The optional filing frequency, in lower case: "" where the column is absent or empty (monthly returns are then
    assumed, as before the column); any other word stops the run, since a misspelt 'quartely' would quietly leave the
    estimate monthly."""
    frequency = value.strip().lower()
    if frequency and frequency not in FREQUENCIES:
        raise InputError(f"is not a filing frequency: write {', '.join(FREQUENCIES[:-1])} or {FREQUENCIES[-1]}, or "
                         f"leave it empty for monthly returns assumed", where)
    return frequency


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
    written: dict[int, str] = {}  # each row's jurisdiction as the file writes it, for the errors
    for row in rows:
        at = row.where
        raw = row.get("jurisdiction")
        if not raw:
            raise InputError("is empty", at("jurisdiction"))
        written[row.line] = raw
        code = parse_code(raw, rules, at("jurisdiction"), states_written_bare)
        if not row.get("registered_on"):
            raise InputError("is empty", at("registered_on"))
        registered = _day(row.get("registered_on"), at("registered_on"))
        collecting = row.get("collecting_from")
        collecting_from = _day(collecting, at("collecting_from")) if collecting else registered
        closed = _closed_on(row.get("closed_on"), registered, at("closed_on"))
        if closed is not None and collecting_from > closed:
            # Collection that began after the closing never happened: the estimate would count it as collected.
            raise InputError(f"is after closed_on {closed}: a permit collects only while it is held; correct one of "
                             f"the two dates", at("collecting_from"))
        found.append(Registration(code, registered, collecting_from, row.get("id"), row.get("note"),
                                  Location(path, row.line), closed, _filing(row.get("filing"), at("filing"))))
    _one_at_a_time(found, written)
    return found


def _one_at_a_time(found: Sequence[Registration], written: dict[int, str]) -> None:
    """Refuse two rows for one place that are held on the same days: a place is registered again only after the
    earlier permit was closed (its ``closed_on`` before the later one's ``registered_on``), and those consecutive
    permits each cover their own days. Overlapping rows would leave which one collected on a day to a guess."""
    by_place: dict[str, list[Registration]] = {}
    for r in found:
        by_place.setdefault(r.jurisdiction, []).append(r)
    for rows in by_place.values():
        rows = sorted(rows, key=lambda r: (r.registered_on, r.source.line or 0))
        for first, then in zip(rows, rows[1:]):
            if first.closed_on is not None and first.closed_on < then.registered_on:
                continue
            held = ("has no closed_on" if first.closed_on is None
                    else f"is closed on {first.closed_on}, not before {then.registered_on}")
            lines = sorted((first.source.line or 0, then.source.line or 0))
            raise InputError(f"{then.jurisdiction} is registered twice (lines {lines[0]} and {lines[1]}) for the same "
                             f"days: line {first.source.line}'s registration {held}. Where line {then.source.line} is "
                             f"a new registration after the first was closed, give line {first.source.line} its "
                             f"closed_on (the last day it was held); otherwise keep one row",
                             Location(then.source.file, then.source.line, "jurisdiction",
                                      written.get(then.source.line or 0, then.jurisdiction)))
