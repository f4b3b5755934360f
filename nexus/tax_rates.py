"""What tax applies to a sale on a day: rates, taxability by category, and who collects on a marketplace.

Three dated tables in ``data/``, each row with its sources and the day it was last verified:

* ``tax-rates.json``: in the US each state's rate, the Tax Foundation's average local rate and the highest
  combined state and local rate (by edition, January and July); abroad each country's standard VAT/GST rate
  by date (and a category's own rate where a whole category has one);
* ``taxability.json``: whether goods, digital products, SaaS and other services are taxable, on the whole
  price or a share of it (Texas taxes SaaS on 80%), or ``unknown``; where a country taxes its own sellers
  otherwise than foreign ones (Japan, Australia, the UK), a row for each (:meth:`TaxBook.for_seller`);
* ``marketplace-facilitator-laws.json``: the day each state's marketplace-facilitator law made marketplaces
  collect (before it, marketplace sales were the seller's to collect).

A rate or a taxability the sources do not give is ``None``: the estimate says "not estimated" for those
sales rather than guessing. More information: docs/exposure.md and docs/rules.md.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any, Iterable, Sequence

from nexus import datafiles
from nexus.errors import InputError, RulesError
from nexus.rules import eu_vat_member

TAXABLE = ("yes", "no", "partial", "unknown")
#: Whom a taxability row is for: sellers established in its country (``--home`` there), or the others. A row
#: without it is for both. What a country taxes differs between them: Japan's regime for non-resident sellers
#: covers only electronic services, while a Japanese seller's goods sold in Japan are taxable supplies.
ESTABLISHMENT = ("established", "non_established", "eu_other_member")


def _day(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RulesError(f"{where}: expected a date (YYYY-MM-DD), found {value!r}") from None


def _fraction(value: Any, where: str) -> Decimal | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise RulesError(f"{where}: a rate or share is a decimal string such as \"0.0625\", found {value!r}")
    return Decimal(value)


@dataclass(frozen=True)
class Dated:
    """What every row of these tables has: the days it applies, its sources, and how sure they are."""

    jurisdiction: str
    effective_from: date
    effective_to: date | None
    sources: tuple[str, ...]
    last_verified: date
    confidence: str
    notes: str

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


def _dated(row: dict[str, Any], where: str) -> dict[str, Any]:
    for name in ("jurisdiction", "effective_from", "sources", "last_verified"):
        if not row.get(name):
            raise RulesError(f"{where}: {name} is missing")
    return {"jurisdiction": row["jurisdiction"], "effective_from": _day(row["effective_from"], where),
            "effective_to": _day(row["effective_to"], where) if row.get("effective_to") else None,
            "sources": tuple(row["sources"]), "last_verified": _day(row["last_verified"], where),
            "confidence": row.get("confidence", ""), "notes": row.get("notes", "")}


@dataclass(frozen=True)
class TaxRate(Dated):
    """A rate in force: ``rate`` (the state or standard rate), ``average_local`` and ``highest_combined``
    (US only, from the Tax Foundation's editions; None where no edition covers the day), for ``category``
    (None: every category without a row of its own)."""

    category: str | None = None
    rate: Decimal | None = None
    average_local: Decimal | None = None
    highest_combined: Decimal | None = None
    source_kind: str = "bundled"  # bundled (data/tax-rates.json) or the user's own --tax-rates file

    @property
    def low(self) -> Decimal | None:
        return self.rate

    @property
    def central(self) -> Decimal | None:
        """State and average local rate where the average is known, else the state rate alone."""
        if self.rate is None:
            return None
        return self.rate + self.average_local if self.average_local is not None else self.rate

    @property
    def high(self) -> Decimal | None:
        return self.highest_combined if self.highest_combined is not None else self.central


@dataclass(frozen=True)
class Taxability(Dated):
    """Whether ``category`` is taxable: ``yes``, ``no``, ``partial`` (on ``share`` of the price) or ``unknown``;
    for sellers ``establishment`` there (None: every seller); ``caveat``: what the estimate must say when it uses
    the row (a reduced rate the category's products may carry, which the orders do not tell apart)."""

    category: str = ""
    taxable: str = "unknown"
    share: Decimal | None = None
    establishment: str | None = None
    caveat: str = ""

    def for_seller(self, home: str | None) -> bool:
        """Whether the row applies to a seller established in ``home`` (None: established nowhere we know)."""
        if self.establishment is None:
            return True
        at_home = bool(home) and (home == self.jurisdiction
                                  or home.startswith(self.jurisdiction + "-"))  # type: ignore[union-attr]
        if self.establishment == "eu_other_member":
            # A distance seller: established in another member state when the row began (the UK's sellers until 2020).
            return not at_home and eu_vat_member((home or "").split("-")[0], self.effective_from)
        return (self.establishment == "established") == at_home

    @property
    def fraction(self) -> Decimal | None:
        """The share of the price taxed (1, 0, the partial share), or None when unknown."""
        return {"yes": Decimal(1), "no": Decimal(0), "partial": self.share}.get(self.taxable)


@dataclass(frozen=True)
class TaxBook:
    """The three tables, with lookups by place, category and day."""

    rates: tuple[TaxRate, ...]
    taxability: tuple[Taxability, ...]
    marketplace_laws: tuple[Dated, ...]

    def __post_init__(self) -> None:
        # Rows grouped by place once: the estimate looks up every day of every place.
        object.__setattr__(self, "_rates_by", _by_place(self.rates))
        object.__setattr__(self, "_taxes_by", _by_place(self.taxability))
        object.__setattr__(self, "_bounds", {})

    def rate(self, place: str, category: str, on: date) -> TaxRate | None:
        """The rate row for ``category`` in ``place`` on ``on``: the category's own row, else the standard one;
        the user's own rates (``--tax-rates``) before the bundled ones."""
        found = [r for r in self._rates(place) if r.in_force(on) and r.category in (category, None)]
        found.sort(key=lambda r: (r.source_kind != "user", r.category is None))
        return found[0] if found else None

    def has_rates(self, place: str) -> bool:
        return bool(self._rates(place))

    def has_local(self, place: str) -> bool:
        """Whether the bundled rates of ``place`` give an average local rate on some day (the US states')."""
        return any(r.average_local is not None for r in self._rates(place) if r.source_kind == "bundled")

    def _rates(self, place: str) -> tuple[TaxRate, ...]:
        return self._rates_by.get(place, ())  # type: ignore[attr-defined]

    def taxable(self, place: str, category: str, on: date) -> Taxability | None:
        return next((t for t in self._taxes(place) if t.category == category and t.in_force(on)), None)

    def _taxes(self, place: str) -> tuple[Taxability, ...]:
        """The taxability rows of ``place``; a province without rows of its own (Ontario, whose HST rate is its own
        but whose taxable sales are Canada's) reads its country's."""
        found = self._taxes_by.get(place)  # type: ignore[attr-defined]
        if found is None and "-" in place:
            found = self._taxes_by.get(place.split("-")[0])  # type: ignore[attr-defined]
        return found or ()

    def segment(self, place: str, on: date) -> tuple[date, date]:
        """The days around ``on`` over which no rate or taxability row of ``place`` starts or ends: whatever
        :meth:`rate` and :meth:`taxable` answer for ``on`` they answer for every day of it."""
        bounds = self._bounds.get(place)  # type: ignore[attr-defined]
        if bounds is None:
            found = {d for r in self._rates(place) + self._taxes(place)
                     for d in (r.effective_from, r.effective_to + timedelta(days=1) if r.effective_to else None)
                     if d is not None}
            bounds = self._bounds[place] = sorted(found)  # type: ignore[attr-defined]
        i = bisect_right(bounds, on)
        start = bounds[i - 1] if i > 0 else date.min
        end = bounds[i] - timedelta(days=1) if i < len(bounds) else date.max
        return start, end

    def marketplace_law(self, place: str) -> Dated | None:
        """The marketplace-facilitator law of a US state (None: none in the data, or not a US state)."""
        return next((m for m in self.marketplace_laws if m.jurisdiction == place), None)

    def with_rates(self, rates: Sequence[TaxRate]) -> TaxBook:
        """This book with the user's own rates (``--tax-rates``) ahead of the bundled ones."""
        return TaxBook(tuple(rates) + self.rates, self.taxability, self.marketplace_laws)

    def for_seller(self, home: str | None) -> TaxBook:
        """This book as it reads for a seller established in ``home`` (``--home``; None: not given): the
        taxability rows for established sellers in the home country, those for non-established sellers
        elsewhere, and the rows for both everywhere."""
        # A row for this kind of seller before a row for every seller of the same days: an EU seller's distance sales
        # of goods before 2021-07 were taxable where the row for every seller (the regime for sellers outside the EU)
        # says they were not.
        mine = sorted((t for t in self.taxability if t.for_seller(home)), key=lambda t: t.establishment is None)
        return TaxBook(self.rates, tuple(mine), self.marketplace_laws)


def _by_place(rows: tuple[Any, ...]) -> dict[str, tuple[Any, ...]]:
    grouped: dict[str, list[Any]] = {}
    for row in rows:
        grouped.setdefault(row.jurisdiction, []).append(row)
    return {k: tuple(v) for k, v in grouped.items()}


def parse_rates(document: dict[str, Any], source_kind: str = "bundled") -> tuple[TaxRate, ...]:
    rows = []
    for i, row in enumerate(document.get("rules", []), start=1):
        where = f"tax-rates.json row {i} ({row.get('jurisdiction', '?')})"
        rows.append(TaxRate(**_dated(row, where), category=row.get("category"),
                            rate=_fraction(row.get("rate"), where),
                            average_local=_fraction(row.get("average_local"), where),
                            highest_combined=_fraction(row.get("highest_combined"), where), source_kind=source_kind))
    return tuple(rows)


def parse_taxability(document: dict[str, Any]) -> tuple[Taxability, ...]:
    rows = []
    for i, row in enumerate(document.get("rules", []), start=1):
        where = f"taxability.json row {i} ({row.get('jurisdiction', '?')})"
        if row.get("taxable") not in TAXABLE:
            raise RulesError(f"{where}: taxable must be one of {TAXABLE}")
        establishment = row.get("establishment")
        if establishment is not None and establishment not in ESTABLISHMENT:
            raise RulesError(f"{where}: establishment must be one of {ESTABLISHMENT}, or left out for every seller; "
                             f"found {establishment!r}")
        rows.append(Taxability(**_dated(row, where), category=row.get("category", ""), taxable=row["taxable"],
                               share=_fraction(row.get("share"), where), establishment=establishment,
                               caveat=row.get("caveat") or ""))
    return tuple(rows)


@lru_cache(maxsize=1)
def load_tax_book() -> TaxBook:
    """The bundled tables (read once per process)."""
    laws = tuple(Dated(**_dated(row, f"marketplace-facilitator-laws.json row {i}"))
                 for i, row in enumerate(datafiles.document("marketplace-facilitator-laws.json")["rules"], start=1))
    return TaxBook(parse_rates(datafiles.document("tax-rates.json")),
                   parse_taxability(datafiles.document("taxability.json")), laws)


def with_user_rates(bundled: TaxBook, path: str, rules: Any = None) -> TaxBook:
    """``bundled`` with the user's own rates from ``path`` (``--tax-rates``) ahead of its own.

    A jurisdiction is one the bundled rates or the rules (``rules``, a :class:`nexus.rules.RuleBook`) know.
    """
    known = {r.jurisdiction for r in bundled.rates} | {t.jurisdiction for t in bundled.taxability}
    if rules is not None:
        known |= set(rules.jurisdictions())
    return bundled.with_rates(read_user_rates(path, known))


def read_user_rates(path: str, places: Iterable[str]) -> list[TaxRate]:
    """A user's own rates (``--tax-rates FILE``, CSV or XLSX): ``jurisdiction, from, to, rate`` and optional
    ``category``; the rate as a fraction (``0.0625``) or a percentage (``6.25%``). An override sets low, central
    and high alike. Postal-code rates are refused: nexus's orders carry no postal code to apply them to. Two
    rows for the same jurisdiction and category whose days overlap are refused too: nexus would have to pick one.
    """
    from nexus.rules import CATEGORIES
    from nexus.cells import parse_date
    from nexus.tables import read_table

    known = set(places)
    found: list[TaxRate] = []
    lines: list[int] = []
    for row in read_table(path, ("jurisdiction", "from", "rate")):
        at, line = row.where, row.line
        place = row.get("jurisdiction").upper()
        if place not in known:
            raise InputError("is not a jurisdiction nexus has rules or rates for (US-TX, DE, GB...)",
                             at("jurisdiction"))
        if row.get("postal_code_prefix"):
            raise InputError("postal-code rates need the orders' postal codes, which nexus does not read: give one "
                             "rate for the jurisdiction", at("postal_code_prefix"))
        text = row.get("rate").replace(" ", "")
        try:
            rate = Decimal(text[:-1]) / 100 if text.endswith("%") else Decimal(text)
        except ArithmeticError:
            raise InputError("is not a rate (0.0625 or 6.25%)", at("rate")) from None
        if not rate.is_finite() or not Decimal(0) <= rate < 1:
            raise InputError("is not a rate between 0 and 1 (0.0625 or 6.25%)", at("rate"))
        category = row.get("category").lower() or None
        if category is not None and category not in CATEGORIES:
            raise InputError(f"is not a category nexus knows ({', '.join(CATEGORIES)}); leave it empty for every "
                             f"category", at("category"))
        start = parse_date(row.get("from"), None, at("from"))
        end = parse_date(row.get("to"), None, at("to")) if row.get("to") else None
        if end is not None and end < start:
            raise InputError(f"is before its from date {start}", at("to"))
        new = TaxRate(place, start, end, (f"{path}:{line}",), start, "user", "the user's own rate",
                      category=category, rate=rate, average_local=Decimal(0), highest_combined=rate,
                      source_kind="user")
        for other, other_line in zip(found, lines):
            if other.jurisdiction == place and other.category == category and _overlap(other, new):
                raise InputError(f"overlaps line {other_line} ({place}, {category or 'every category'}, from "
                                 f"{other.effective_from}): give each day one rate", at("from"))
        found.append(new)
        lines.append(line)
    return found


def _overlap(a: Dated, b: Dated) -> bool:
    return (a.effective_to is None or b.effective_from <= a.effective_to) and \
        (b.effective_to is None or a.effective_from <= b.effective_to)
