"""Physical presence: where servers, cloud regions, CDN points of presence, data, stock and people sit.

A move to a new ecommerce provider decides who hosts the data files and which
CDN serves them, and that can change where a company has a physical presence
(US sales tax) or a fixed or permanent establishment (VAT, corporate tax).
This module reads a presence file (one row per item), places each item in a
jurisdiction (a provider code such as ``aws:us-west-2`` or ``cloudflare:NRT``
is looked up in the bundled region and point-of-presence tables), and gives
each a verdict from the presence rules in ``data/presence-rules.json``:

* ``creates``: the item creates a physical presence or establishment there;
* ``safe-harbor``: a rule says it does not (the rule is cited);
* ``review``: no clear rule. This is the default, never "no nexus".

More information: docs/presence.md.
"""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Iterable, Sequence

from nexus import datafiles
from nexus import places
from nexus.errors import InputError, Location, RulesError, UnknownCode
from nexus.rules import eu_vat_member

KINDS = ("owned-server", "leased-server", "colocation", "cloud-region", "cdn", "data-files", "warehouse",
         "third-party-inventory", "office", "employee", "contractor", "agent", "event")
OWNERSHIP = ("owned", "leased", "third-party")
FUNCTIONS = ("core", "cache", "backup", "storage")
VERDICTS = ("creates", "review", "safe-harbor")  # strongest first
CLOUDS = ("aws", "gcp", "azure", "oracle")
CDNS = ("cloudflare", "fastly", "cloudfront", "akamai")
#: CDNs whose points of presence cannot be placed: the provider publishes no list of them (only totals).
UNLISTED = {"akamai": "Akamai"}
#: Countries whose subdivisions a location may name (``US-VA``, ``CA-QC``).
SUBDIVIDED_COUNTRIES = ("US", "CA")
#: A region or point of presence in one of those countries whose state or province its sources do not give (the
#: table's header says why, row by row): placed in the country, where an empty cell would read as forgotten.
UNKNOWN_SUBDIVISION = "unknown"
FIELDS = ("kind", "location", "ownership", "dedicated", "function", "since", "until", "note")


@dataclass(frozen=True)
class Site:
    """Where a provider's region or point of presence is."""

    provider: str
    code: str
    city: str
    country: str
    subdivision: str
    source: str

    @property
    def jurisdiction(self) -> str:
        """The subdivision where the table gives one, else the country; Cloudflare's San Juan (PR) is US-PR."""
        if self.subdivision and self.subdivision != UNKNOWN_SUBDIVISION:
            return self.subdivision
        return places.one_code(self.country)


@dataclass(frozen=True)
class Item:
    """One row of a presence file."""

    kind: str
    location: str
    ownership: str
    dedicated: bool | None
    function: str
    since: date | None
    until: date | None
    note: str
    source: Location

    def active(self, on: date) -> bool:
        return (self.since is None or self.since <= on) and (self.until is None or on <= self.until)

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "location": self.location, "ownership": self.ownership,
                "dedicated": self.dedicated, "function": self.function,
                "since": self.since.isoformat() if self.since else None,
                "until": self.until.isoformat() if self.until else None, "note": self.note,
                "file": self.source.file, "line": self.source.line}


@dataclass(frozen=True)
class PresenceRule:
    """A rule for one kind of item in one jurisdiction (or group: ``US-*``, ``EU``, ``*``)."""

    jurisdiction: str
    kind: str
    verdict: str
    reason: str
    citation: str
    sources: tuple[str, ...]
    effective_from: date
    last_verified: date
    confidence: str
    condition: dict[str, Any] = field(default_factory=dict)
    effective_to: date | None = None

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def matches(self, item: Item) -> bool:
        for key, allowed in self.condition.items():
            value = getattr(item, key)
            if value not in allowed:
                return False
        return True


@dataclass(frozen=True)
class Verdict:
    """What one item means in one jurisdiction, on the as-of date or over a window of dates.

    ``during`` is the part of the window (or the as-of day) in which the item was in place, the days it
    counts for; ``verdict`` is None when it was in place on none of them. ``earlier`` is, for an item in place only
    before the window (a server removed two years ago), its verdict over its own days: ``creates`` is a past window
    of nexus, whose tax may still be owed, though it makes no nexus in the window.
    """

    item: Item
    jurisdiction: str
    city: str
    verdict: str | None
    reasons: tuple[str, ...]
    sources: tuple[str, ...]
    during: tuple[date, date] | None = None
    earlier: str | None = None

    @property
    def shown(self) -> str:
        """The verdict as the tables give it: ``not in force`` for an item in place on none of the days judged,
        ``past: creates`` (or ``past: review``...) for one judged over its own earlier days."""
        if self.verdict is not None:
            return self.verdict
        return f"past: {self.earlier}" if self.earlier else "not in force"

    def as_dict(self) -> dict[str, Any]:
        return {"item": self.item.as_dict(), "jurisdiction": self.jurisdiction, "city": self.city,
                "verdict": self.verdict, "active": self.verdict is not None,
                "during": ({"from": self.during[0].isoformat(), "to": self.during[1].isoformat()}
                           if self.during else None), "earlier": self.earlier,
                "reasons": list(self.reasons), "sources": list(self.sources)}


def strongest(verdicts: Iterable[str | None]) -> str | None:
    """``creates`` over ``review`` over ``safe-harbor``; None if there are none."""
    found = [v for v in verdicts if v]
    return min(found, key=VERDICTS.index) if found else None


@lru_cache(maxsize=None)
def sites() -> dict[str, Site]:
    """Every cloud region and CDN point of presence, keyed ``provider:code`` (lower-case provider)."""
    found: dict[str, Site] = {}
    for table in ("cloud-regions.csv", "cdn-pops.csv"):
        for row in datafiles.rows(table):
            site = Site(row["provider"], row["code"], row["city"], row["country"], row.get("subdivision", ""),
                        row["source"])
            _check_subdivision(site, f"data/{table}, row {site.provider}:{site.code}, column subdivision")
            found[f"{site.provider}:{site.code}".lower()] = site
    return found


def _check_subdivision(site: Site, where: str) -> None:
    """A site in the US or Canada names its state or province, or says ``unknown``: a blank one was placed in the
    whole country without a word, and a presence finding from it could not be put in any state."""
    if site.country not in SUBDIVIDED_COUNTRIES or places.one_code(site.country) != site.country:
        return
    if site.subdivision != UNKNOWN_SUBDIVISION and site.subdivision not in places.subdivisions(site.country):
        raise RulesError(f"{where}: {site.subdivision!r} is not a {site.country} state or province "
                         f"code; write one, or '{UNKNOWN_SUBDIVISION}' with the reason in the table's header")


@lru_cache(maxsize=None)
def presence_rules() -> tuple[PresenceRule, ...]:
    rules = []
    for i, row in enumerate(datafiles.document("presence-rules.json")["rules"], start=1):
        where = f"presence-rules.json rule {i}"
        for key in ("jurisdiction", "kind", "verdict", "reason", "sources", "effective_from", "last_verified"):
            if not row.get(key):
                raise RulesError(f"{where}: {key} is missing")
        if row["verdict"] not in VERDICTS or (row["kind"] != "*" and row["kind"] not in KINDS):
            raise RulesError(f"{where}: bad verdict or kind")
        if not set(row.get("condition", {})) <= {"ownership", "dedicated", "function"}:
            raise RulesError(f"{where}: a condition may test ownership, dedicated and function only")
        rules.append(PresenceRule(row["jurisdiction"], row["kind"], row["verdict"], row["reason"],
                                  row.get("citation", ""), tuple(row["sources"]),
                                  date.fromisoformat(row["effective_from"]), date.fromisoformat(row["last_verified"]),
                                  row.get("confidence", ""), row.get("condition", {}),
                                  date.fromisoformat(row["effective_to"]) if row.get("effective_to") else None))
    return tuple(rules)


def _specificity(rule: PresenceRule, place: str, on: date) -> int:
    """3 for the place itself, 2 for its country, 1 for a group (US-*, EU), 0 for everywhere, -1 if not.

    A site a provider places in the US without its state (AWS GovCloud) takes the US rules (``US-*``), not the
    OECD's for everywhere; the EU's rules apply to a country while EU VAT law applied there (the UK to 2020)."""
    if rule.jurisdiction == place:
        return 3
    if rule.jurisdiction == place.split("-")[0] and "-" in place:
        return 2
    if rule.jurisdiction == "US-*" and (place.startswith("US-") or place == "US"):
        return 1
    if rule.jurisdiction == "EU" and eu_vat_member(place.split("-")[0], on):
        return 1
    return 0 if rule.jurisdiction == "*" else -1


def rule_for(item: Item, place: str, on: date, rules: Sequence[PresenceRule] | None = None) -> PresenceRule | None:
    """The most specific rule in force on ``on`` for this item's kind and place whose condition it meets."""
    candidates = [r for r in (rules if rules is not None else presence_rules())
                  if r.kind in (item.kind, "*") and r.in_force(on) and r.matches(item)]
    ranked = [(_specificity(r, place, on), r.kind == item.kind, len(r.condition), r) for r in candidates]
    ranked = [x for x in ranked if x[0] >= 0]
    if not ranked:
        return None
    return max(ranked, key=lambda x: x[:3])[3]


def creates_since(item: Item, place: str, until: date) -> date | None:
    """The first day from which ``item`` created nexus in ``place`` on every day up to ``until``: its own first
    day, or the day the rule that makes it nexus took effect, where the rules before said review or nothing (a
    rule of 2019 for a warehouse in place since 2015). None for an undated item: the file does not say since when."""
    if item.since is None:
        return None
    first = item.since
    edges = {first}
    for rule in presence_rules():
        if rule.kind in (item.kind, "*"):
            for edge in (rule.effective_from, rule.effective_to and rule.effective_to + timedelta(days=1)):
                if edge and first < edge <= until:
                    edges.add(edge)
    since: date | None = None
    for edge in sorted(edges):
        version = rule_for(item, place, edge)
        if version is not None and version.verdict == "creates":
            since = edge if since is None else since
        else:
            since = None
    return since


def place_of(location: str, where: Location) -> tuple[str, str]:
    """``(jurisdiction, city)`` for a location: a provider code, an ISO code, or ``City, CODE``."""
    text = location.strip()
    if ":" in text:
        provider, _, code = text.partition(":")
        key = f"{provider.strip().lower()}:{code.strip()}"
        if provider.strip().lower() == "cloudfront":
            # IAD89 is an edge location at IAD; IAD89-C1, as CloudFront's x-amz-cf-pop header writes it, too
            key = re.sub(r"\d+(-[a-z]\d+)?$", "", key, flags=re.IGNORECASE)
        site = sites().get(key.lower())
        if site is None:
            known = sorted(k for k in sites() if k.startswith(provider.strip().lower() + ":"))
            if provider.strip().lower() in UNLISTED:
                raise UnknownCode(f"{UNLISTED[provider.strip().lower()]} publishes no list of its locations: give "
                                  f"this item a country or US-XX location", where)
            if not known:
                placed = [p for p in CLOUDS + CDNS if p not in UNLISTED]
                raise UnknownCode(f"is not a provider nexus knows ({', '.join(placed)})", where)
            close = difflib.get_close_matches(key.lower(), known, n=3, cutoff=0.6)
            shown = [f"{sites()[k].provider}:{sites()[k].code}" for k in close]  # as the table writes them: NRT
            hint = f"; close matches: {', '.join(shown)}" if close else ""
            raise UnknownCode(f"is not a known {provider.strip()} region or point of presence{hint}", where)
        return site.jurisdiction, site.city
    city, _, code = text.rpartition(",") if "," in text else ("", "", text)
    # a country, state or province by its name: "Salem, India", "Portland, Maine"; Puerto Rico, which ISO names as a
    # country and as a US outlying area, is one place (places.one_code)
    written = tuple(dict.fromkeys(places.one_code(c) for c in places.named(code)))
    if len(written) > 1:
        raise InputError(f"names {' and '.join(places.name(c) + f' ({c})' for c in written)}: write the code of the "
                         f"one meant", where)
    code = places.one_code(written[0] if written else code.strip().upper())
    if code == "US":
        raise InputError("a US location needs its state, e.g. 'Dallas, US-TX' or 'US-TX'", where)
    if code.startswith("US-") and code not in places.us_regions():  # a state was written, but no state has the code
        close = difflib.get_close_matches(code[3:], sorted(r[3:] for r in places.us_regions()), n=3, cutoff=0.5)
        hint = f"; close matches: {', '.join('US-' + c for c in close)}" if close else ""
        raise InputError(f"is not a US state's code (ISO 3166-2, e.g. US-TX){hint}", where)
    if "-" in code:
        country = code.split("-")[0]
        if country in places.SUBDIVIDED and code in places.subdivisions(country):
            return code, city.strip()
        raise UnknownCode("is not an ISO 3166-2 code nexus knows (US states, Canadian provinces)", where)
    if code in places.countries():
        if not written:  # a country's name says which is meant; its code may be a state's abbreviation too
            _not_a_state_abbreviation(city.strip(), code, where)
        return code, city.strip()
    states = [f"{country}-{code}" for country in SUBDIVIDED_COUNTRIES
              if f"{country}-{code}" in places.subdivisions(country)]
    if states:  # "Portland, OR": a state's postal abbreviation alone
        advice = " or ".join(f"'{city.strip()}, {state}'" if city.strip() else f"'{state}'" for state in states)
        raise UnknownCode(f"is not a country (ISO 3166-1): for {places.name(states[0])} write {advice}", where)
    common = places.COMMON_CODES.get(code)
    if common is not None:  # "London, UK": the code people write, not ISO's, said as the order readers say it
        meant = f"{city.strip()}, {common[0]}" if city.strip() else common[0]
        raise UnknownCode(f"is not a country (ISO 3166-1): write '{meant}' ({common[1]})", where)
    close = difflib.get_close_matches(code, sorted(places.countries()), n=3, cutoff=0.5)
    hint = f"; close matches: {', '.join(close)}" if close else ""
    raise UnknownCode(f"is not a country (ISO 3166-1), a US-XX state or a provider code{hint}", where)


@lru_cache(maxsize=None)
def _cities() -> dict[str, frozenset[str]]:
    """Per jurisdiction, the cities (as :func:`city_key` writes them) the region and point-of-presence tables
    place there."""
    found: dict[str, set[str]] = {}
    for site in sites().values():
        if site.city:
            found.setdefault(site.jurisdiction, set()).add(city_key(site.city))
    return {place: frozenset(cities) for place, cities in found.items()}


@lru_cache(maxsize=None)
def _state_cities() -> dict[str, dict[str, bool]]:
    """Per US state or Canadian province whose postal abbreviation is also a country's code, its cities and
    whether that country has a city of the same name (data/state-cities.csv, from GeoNames)."""
    found: dict[str, dict[str, bool]] = {}
    for row in datafiles.rows("state-cities.csv"):
        found.setdefault(row["subdivision"], {})[row["city"]] = row["also_in_country"] == "yes"
    return found


#: Words of a city's name written in short or in full alike: GeoNames writes East Saint Louis, Sainte Genevieve,
#: Fort Collins and Mount Pleasant, addresses often East St. Louis, Ste. Genevieve, Ft. Collins and Mt. Pleasant.
CITY_WORDS = {"saint": "st", "sainte": "ste", "fort": "ft", "mount": "mt"}


def city_key(name: str) -> str:
    """A city's name as compared: lower-case, without accents, full stops or hyphens, single spaces, and the
    words of :data:`CITY_WORDS` short wherever they stand (GeoNames writes Cañon City and Winston-Salem, an
    address often Canon City and Winston Salem)."""
    text = unicodedata.normalize("NFKD", name.lower().replace("\u2019", "'"))
    text = "".join(c for c in text if not unicodedata.combining(c)).replace(".", " ").replace("-", " ")
    return " ".join(CITY_WORDS.get(word, word) for word in text.split())


def _not_a_state_abbreviation(city: str, code: str, where: Location) -> None:
    """Refuse ``Portland, ME``: a US state's or Canadian province's postal abbreviation is often another country's
    ISO code (ME Montenegro, VA the Holy See, CA Canada, NL the Netherlands), so a city in that state would
    silently land abroad. The state's cities are those the region and point-of-presence tables place there and
    GeoNames' cities of 500 people or more (data/state-cities.csv). A city the tables know in the country itself
    (``Frankfurt, DE``), or that neither knows in the state (``Berlin, DE``), is read as written; one GeoNames
    knows in both (``Salem, IN``) is asked about."""
    key = city_key(city)
    if not key or key in _cities().get(code, frozenset()):
        return
    for country in SUBDIVIDED_COUNTRIES:
        state = f"{country}-{code}"
        if state not in places.subdivisions(country):
            continue
        listed = _state_cities().get(state, {})
        if key in _cities().get(state, frozenset()) or key in listed:
            if listed.get(key):
                raise InputError(f"is ambiguous: {code} is {places.name(code)} and {places.name(state)}, and both "
                                 f"have a {city}: write '{city}, {state}' for {places.name(state)}, or "
                                 f"'{city}, {places.name(code)}' for {places.name(code)}", where)
            raise InputError(f"reads as {places.name(code)} ({code}), but {city} is in {places.name(state)}: "
                             f"write '{city}, {state}' (or '{code}' alone if the country is meant)", where)


def judge(item: Item, on: date, window: tuple[date, date, str] | None = None) -> Verdict:
    """Place an item and give its verdict on ``on``, or over ``window`` (first day, last day, label).

    With a window, an item counts if it was in place on any day of it, not only on the as-of date: a
    trade show in January of a year a rule measures is presence in that year. It is judged by the rules
    in force on the last day it was in place within the window, and the reasons say which days count.
    """
    place, city = place_of(item.location, Location(item.source.file, item.source.line, "location", item.location))
    start, end, label = window if window else (on, on, f"on {on}")
    first = max(start, item.since) if item.since else start
    last = min(end, item.until) if item.until else end
    span = f"{item.since or '...'} to {item.until or '...'}"
    if first > last:
        where = f"in {label}" if window else label
        said = f"Not counted: not in place {where} (in place {span})."
        if item.since is None or item.until is None or item.until >= start:
            return Verdict(item, place, city, None, (said,), ())
        # In place only before the days judged: what it was while it was there (a past window, if it made nexus).
        then = judge(item, item.until, (item.since, item.until, f"{item.since} to {item.until}"))
        if then.verdict is None:
            return Verdict(item, place, city, None, (said,), ())
        before = f"Before them, from {item.since} to {item.until}: " + then.reasons[0]
        if then.verdict == "creates":  # said first, as the table shows one reason: 'Not counted' alone read as done
            said = (f"Not counted {where}, but a past window of nexus ({span}): the tax on sales then may still be "
                    f"owed.")
        return Verdict(item, place, city, None, (said, before), then.sources, earlier=then.verdict)
    rule = rule_for(item, place, last)
    when: tuple[str, ...] = ()
    if window and (item.since or item.until) and not item.active(on):
        when = (f"Counted for {label}: in place {first} to {last}, though not on {on}.",)
    if rule is None:
        return Verdict(item, place, city, "review",
                       (f"No rule for a {item.kind} in {places.name(place)}: review it with an adviser.",) + when, (),
                       (first, last))
    prefix = {"creates": "Potential exposure: ", "review": "Review: ", "safe-harbor": "Safe harbor: "}[rule.verdict]
    cite = f" ({rule.citation})" if rule.citation else ""
    return Verdict(item, place, city, rule.verdict, (f"{_no_state(item, place)}{prefix}{rule.reason}{cite}",) + when,
                   rule.sources, (first, last))


def _no_state(item: Item, place: str) -> str:
    """Said first of a provider's site placed in the US or Canada as a whole (Fastly's LEE, AWS GovCloud): the table
    showed 'US' and the US-wide rule, as if the state did not matter, where it decides the rule."""
    if ":" not in item.location or place not in SUBDIVIDED_COUNTRIES:
        return ""
    where = places.in_prose(places.name(place))
    return (f"State not known: the provider's list places {item.location.strip()} in {where} without its "
            f"{'state' if place == 'US' else 'province'}; ask the provider which. ")


def _flag(text: str, where: Location) -> bool | None:
    word = text.strip().lower()
    if word in ("", "unknown"):
        return None
    if word in ("yes", "y", "true", "1"):
        return True
    if word in ("no", "n", "false", "0"):
        return False
    raise InputError("is not yes or no", where)


def _day(text: str, where: Location) -> date | None:
    """A presence date: the whole cell read as a date (a time after it ignored), never its first ten characters
    ('2024-03-01 to 2024-03-04', a range, is not the day it starts: it is an error)."""
    if not text.strip():
        return None
    from nexus.cells import parse_date

    return parse_date(text.strip(), None, where)


def read_presence(path: str) -> list[Item]:
    """Read a presence file (CSV or XLSX), naming file, line and column for any bad value."""
    from nexus.tables import read_table

    items: list[Item] = []
    for row in read_table(path, ("kind", "location")):
        at = row.where
        kind = row.get("kind").lower()
        if kind not in KINDS:
            close = difflib.get_close_matches(kind, KINDS, n=2)
            raise InputError(f"is not a kind ({', '.join(close) or ', '.join(KINDS)})", at("kind"))
        if not row.get("location"):
            raise InputError("is empty", at("location"))
        ownership = row.get("ownership").lower()
        if ownership and ownership not in OWNERSHIP:
            raise InputError(f"is not one of {', '.join(OWNERSHIP)}", at("ownership"))
        function = row.get("function").lower()
        if function and function not in FUNCTIONS:
            raise InputError(f"is not one of {', '.join(FUNCTIONS)}", at("function"))
        since, until = _day(row.get("since"), at("since")), _day(row.get("until"), at("until"))
        if since and until and until < since:
            # read as given, the item would be in place on no day at all and silently never counted
            raise InputError(f"is before since ({since})", at("until"))
        items.append(Item(kind, row.get("location"), ownership, _flag(row.get("dedicated"), at("dedicated")),
                          function, since, until, row.get("note"), Location(path, row.line)))
    return items


def assess(items: Sequence[Item], on: date) -> list[Verdict]:
    """Every item's place and verdict on ``on``, the strongest first."""
    verdicts = [judge(item, on) for item in items]
    return sorted(verdicts, key=lambda v: (VERDICTS.index(v.verdict) if v.verdict else len(VERDICTS),
                                           v.jurisdiction, v.item.source.line or 0))


def compare_cdns(providers: Sequence[str], on: date) -> list[dict[str, Any]]:
    """Per jurisdiction, each CDN's points of presence there and the verdict a cache there would get."""
    wanted = [p.lower() for p in providers]
    for provider in wanted:
        if provider not in CDNS:
            raise UnknownCode(f"{provider!r} is not a CDN nexus has points of presence for ({', '.join(CDNS)})")
    table: dict[str, dict[str, list[Site]]] = {}
    for site in sites().values():
        if site.provider.lower() in wanted:
            table.setdefault(site.jurisdiction, {}).setdefault(site.provider.lower(), []).append(site)
    rows = []
    for place in sorted(table, key=lambda p: (not p.startswith("US-"), not p.startswith("CA-"), p)):
        # 'US United States' read as one more country: its sites are those whose state the table does not know
        name = (f"{place}, {'state' if place == 'US' else 'province'} not known" if place in SUBDIVIDED_COUNTRIES
                else places.name(place))
        row: dict[str, Any] = {"jurisdiction": place, "name": name}
        for provider in wanted:
            found = table[place].get(provider, [])
            probe = Item("cdn", f"{place}", "third-party", False, "cache", None, None, "", Location("compare"))
            rule = rule_for(probe, place, on)
            row[provider] = {"pops": sorted(s.code for s in found), "cities": sorted({s.city for s in found}),
                             "verdict": (rule.verdict if rule else "review") if found else None}
        rows.append(row)
    return rows
