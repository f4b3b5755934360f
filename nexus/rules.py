"""Economic-nexus rules, read from dated data tables.

Each row of ``data/us-economic-nexus.json`` is one *version* of one
jurisdiction's rule: its thresholds, how they combine, the period they are
measured over, which sales count, and the dates it was in force. A check as of
a past date applies the version in force on that date, so a change (a
transaction test removed, a dollar amount raised) is a new row, never an edit.

Every row names its sources, the date it takes effect and the date it was last
verified; :func:`load_rules` refuses a table where any of these is missing.

More information:

* https://www.supremecourt.gov/opinions/17pdf/17-494_j4el.pdf (South Dakota v. Wayfair, 2018)
* docs/rules.md for the fields and the choices made where sources conflict
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from datetime import date
from decimal import Decimal
from typing import Any, Iterable, Sequence

from nexus import datafiles, places
from nexus.errors import RulesError, UnknownCode
from nexus.periods import PARTS

Jurisdiction = str  # ISO 3166-2 code such as "US-CO"

#: How each period kind is described to people.
PERIOD_LABELS = {
    "previous_calendar_year": "previous calendar year",
    "current_or_previous_calendar_year": "current or previous calendar year",
    "preceding_12_months": "preceding 12 months",
    "preceding_12_months_at_quarter_end": "12 months ending at the last completed calendar quarter",
    "preceding_12_months_at_month_end": "12 months ending at the last completed month",
    "current_calendar_quarter": "the current calendar quarter",
    "calendar_quarter_or_preceding_four_quarters": "the current calendar quarter, or the four calendar quarters "
                                                   "ending at the last completed one",
    "current_calendar_year": "the current calendar year",
    "current_or_previous_calendar_year_or_current_calendar_year": "the current or previous calendar year (the "
                                                                  "lower threshold), or the current calendar year "
                                                                  "(the higher one)",
    "current_month_and_previous_11_months": "the current month and the previous 11 months",
    "ny_preceding_four_quarters": "preceding four New York sales-tax quarters (Mar-May, Jun-Aug, Sep-Nov, Dec-Feb)",
    "ct_12_months_ending_september_30": "12 months ending on the preceding 30 September",
    "jp_base_or_specified_period": "base period (the calendar year before last) or specified period "
                                   "(January to June of the previous year)",
}
ESTABLISHMENTS = ("any", "established", "non_established", "eu_other_member", "outside_eu")
#: Whom a rule applies to, in a table's few words (``nexus rules``); :attr:`Rule.applies_to_words` says it whole.
ESTABLISHMENT_WORDS = {"any": "any seller", "established": "established", "non_established": "not established",
                       "eu_other_member": "other EU member", "outside_eu": "outside the EU"}
#: What each ``confidence`` means, as docs/rules.md defines it, for a reader who has not read that page.
CONFIDENCE_WORDS = {"official": "a primary text (statute, regulation or the authority's own page) confirms it",
                    "secondary": "only secondary sources could be read",
                    "conflict": "the sources disagree: the notes say how, and which reading is applied"}
BASES = {
    "gross": "all sales, including exempt sales and sales for resale",
    "retail": "retail sales: exempt retail sales count, sales for resale do not",
    "taxable": "taxable sales only: exempt sales and sales for resale do not count",
}
COMPARISONS = {"more_than": ">", "at_least": ">="}
CATEGORIES = ("goods", "digital", "saas", "services")
#: Whether a domestic registration test counts sales of one category to customers outside the country
#: (``sales_abroad`` of an established rule): ``counted`` (exports, zero-rated or export-exempt, are taxable
#: supplies made at home), ``not_counted`` (supplied abroad: outside the home's scope) or ``unknown`` (the sources
#: read do not settle it, or it turns on facts the orders do not carry): the figure leaves those out and says so.
ABROAD_VERDICTS = ("counted", "not_counted", "unknown")
DATA_FILES = ("us-economic-nexus.json", "international-vat-gst.json")
DATA_FILE = DATA_FILES[0]


@dataclass(frozen=True)
class SalesAbroad:
    """How a domestic registration test (a rule for sellers established there) treats sales to customers outside
    the country, category by category, with the words that say why and the sources read."""

    verdicts: tuple[tuple[str, str], ...]
    #: Why each verdict holds, in words that follow "counted:", "not counted:" and "unknown:" in a finding.
    counted: str
    not_counted: str
    unknown: str
    sources: tuple[str, ...]
    notes: str

    def verdict(self, category: str) -> str:
        """The verdict for ``category``; a line of unknown category takes the verdict every category shares, or is
        ``unknown``."""
        found = dict(self.verdicts)
        if category in found:
            return found[category]
        shared = set(found.values())
        return shared.pop() if len(shared) == 1 else "unknown"


@dataclass(frozen=True)
class Rule:
    """One version of one jurisdiction's economic-nexus rule.

    ``sales_threshold`` is in ``currency``; ``None`` means no dollar test.
    ``combine`` says how a transaction test joins the sales test: ``"or"``
    (either alone creates nexus) or ``"and"`` (both are needed, as in New York
    and Connecticut). ``sales_tax`` is False for states with no general sales
    tax (Delaware, Montana, New Hampshire, Oregon), which have no threshold.
    """

    jurisdiction: Jurisdiction
    name: str
    authority: str
    sales_tax: bool
    effective_from: date
    effective_to: date | None
    currency: str
    sales_threshold: Decimal | None
    sales_comparison: str | None
    transactions_threshold: int | None
    transactions_comparison: str | None
    combine: str | None
    period: str | None
    basis: str | None
    marketplace: str | None
    categories: tuple[str, ...]
    sources: tuple[str, ...]
    last_verified: date
    confidence: str
    notes: str
    tax: str = "sales tax"
    scheme: str = ""
    establishment: str = "any"
    members: tuple[str, ...] = ()
    exclude_home: bool = False
    member_findings: bool = False
    global_threshold: Decimal | None = None
    global_comparison: str | None = None
    #: For a domestic test (``establishment`` "established"): which sales to customers abroad it counts.
    sales_abroad: SalesAbroad | None = None
    #: Categories whose marketplace sales are the marketplace's own supplies (it is the deemed supplier) under a
    #: rule that otherwise counts marketplace sales as the seller's: a seller established in the UK or the EU sells
    #: its goods through a marketplace itself, but a platform supplies the electronic services sold through it.
    marketplace_deemed: tuple[str, ...] = ()
    #: Thresholds of their own for some tests of a period made of several (:data:`nexus.periods.PARTS`), as
    #: (period kind, amount) pairs; a test not listed takes ``sales_threshold``.
    part_thresholds: tuple[tuple[str, Decimal], ...] = ()
    #: For a rule that registers from the first sale (no threshold): per category it counts, the first day of the
    #: unbroken run of its versions that counted that category (:func:`_first_sale_reach`). A sale made before that
    #: day was under another regime, or none, and is no first sale under this one.
    reaches_from: tuple[tuple[str, date], ...] = ()
    #: Whether a period this version measures counts each day before it took effect as the version then in force
    #: counted it (``earlier_days_as_then`` in the data, where the law says so: Japan's base period holds the sales
    #: the business made, and until 2025-03-31 those made through a platform were its own), rather than by this
    #: version's own terms (the default: most tests apply the law in force on the day they are made).
    earlier_days_as_then: bool = False
    #: What a domestic test also holds that orders cannot show, each in a sentence the home's finding says (the UK's
    #: 'next 30 days' test turns on what was expected; Japan's qualified invoice issuers are taxable whatever their
    #: sales): not checked, and said, so that the dates given are not read as the whole test.
    not_checked: tuple["NotChecked", ...] = ()
    #: With ``earlier_days_as_then``: the earlier versions of the same rule, oldest first (:func:`_earlier_versions`).
    earlier: tuple["Rule", ...] = ()

    def counting_on(self, day: date) -> "Rule":
        """The version whose terms count a sale made on ``day`` toward this version's test: this one, or, where it
        counts earlier days as then, the earlier version in force that day (the nearest before a day in a gap, the
        first before the first)."""
        if not self.earlier or day >= self.effective_from:
            return self
        then = self.earlier[0]
        for version in self.earlier:
            if version.effective_from <= day:
                then = version
        return then

    def part(self, kind: str) -> "Rule":
        """This rule as the one test ``kind`` of its period (Canada's single quarter, Germany's EUR 100,000 in the
        current year): measured over that part's windows, against that part's threshold."""
        threshold = dict(self.part_thresholds).get(kind, self.sales_threshold)
        return replace(self, period=kind, sales_threshold=threshold, part_thresholds=())

    @property
    def first_sale(self) -> bool:
        """Whether the rule registers from the first sale it reaches (a sales threshold of 0, no transaction test)."""
        return self.sales_tax and self.sales_threshold == 0 and self.transactions_threshold is None

    def reached_on(self, category: str) -> date | None:
        """The first day this first-sale rule reached sales of ``category`` (None: not a first-sale rule). A line of
        unknown category is reached once every category is."""
        if not self.reaches_from:
            return None
        found = dict(self.reaches_from)
        return found.get(category, max(found.values()))

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity of the rule across its versions: jurisdiction, scheme and whom it applies to."""
        return self.jurisdiction, self.scheme, self.establishment

    @property
    def label(self) -> str:
        """``EU (union-wide)``: the jurisdiction, with the scheme when one jurisdiction has several."""
        return f"{self.jurisdiction} ({self.scheme})" if self.scheme else self.jurisdiction

    def covers(self, place: str, home: str | None = None) -> bool:
        """Whether sales into ``place`` count toward this rule's test."""
        if self.exclude_home and home and (place == home or home.startswith(place + "-")):
            return False
        if self.members:
            return place in self.members
        return place == self.jurisdiction or place.startswith(self.jurisdiction + "-")

    def reaches(self, place: str, home: str | None = None) -> bool:
        """Whether sales into ``place`` are measured by this rule's test: the places it covers, and, for a domestic
        test with ``sales_abroad``, every other place (each sale then counted, or not, by its category)."""
        return self.covers(place, home) or self.sales_abroad is not None

    def abroad(self, place: str, home: str | None = None) -> bool:
        """Whether ``place`` is outside the country of a domestic test that measures sales abroad."""
        return self.sales_abroad is not None and not self.covers(place, home)

    def established(self, home: str | None) -> bool:
        """Whether a seller established in ``home`` is established where this rule applies."""
        if not home:
            return False
        country = home.split("-")[0]
        return (home == self.jurisdiction or home.startswith(self.jurisdiction + "-")
                or (bool(self.members) and (home in self.members or country in self.members)))

    def applies_to(self, home: str | None, on: date | None = None) -> bool:
        """Whether this rule is for a seller established in ``home`` (as of ``on``).

        ``eu_other_member`` rows (the goods distance-selling thresholds before
        2021-07-01) are for a seller established in an EU member state other
        than this jurisdiction: the seller dispatched goods from another member
        state, so its home country's own rules do not apply here, and a seller
        from outside the EU imported instead. Membership is judged on ``on``
        (the as-of date), so a UK seller stops being one after 2020-12-31; without
        a date, on the day this version took effect. ``outside_eu`` rows are for
        a seller established in no EU member state (the UK's rule before 2021).
        """
        if self.establishment == "any":
            return True
        country = home.split("-")[0] if home else ""
        if self.establishment == "eu_other_member":
            return country != self.jurisdiction and eu_vat_member(country, on or self.effective_from)
        if self.establishment == "outside_eu":  # the UK's rule for sellers outside the EU, before 2021
            return not eu_vat_member(country, on or self.effective_from)
        return self.established(home) == (self.establishment == "established")

    @property
    def applies_to_words(self) -> str:
        """Whom the rule is for, in words (``sellers established in an EU member state other than Germany``), not
        the data's ``eu_other_member``."""
        name = places.in_prose(self.name)  # 'not established in the European Union', not '... in European Union'
        return {"any": "any seller, wherever established",
                "established": f"sellers established in {name}",
                "non_established": f"sellers not established in {name}",
                "eu_other_member": f"sellers established in an EU member state other than {name}",
                "outside_eu": "sellers established outside the EU"}[self.establishment]

    def in_force(self, on: date) -> bool:
        """True if this version applied on ``on``."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    @property
    def period_label(self) -> str:
        return PERIOD_LABELS.get(self.period or "", "")

    def describe_threshold(self) -> str:
        """``> $100,000 or >= 200 transactions`` in words a finance user reads."""
        if not self.sales_tax:
            return "no general sales tax"
        parts = []
        if self.sales_threshold == 0:
            parts.append("no threshold: from the first sale")
        elif self.sales_threshold is not None:
            comparison = COMPARISONS[self.sales_comparison or "more_than"]
            parts.append(f"{comparison} {self.currency} {self.sales_threshold:,}")
        if self.transactions_threshold is not None:
            comparison = COMPARISONS[self.transactions_comparison or "at_least"]
            parts.append(f"{comparison} {self.transactions_threshold} transactions")
        text = f" {self.combine or 'or'} ".join(parts)
        # a test of its own figure ('> EUR 25,000' alone hid § 19 UStG's EUR 100,000 in the current year)
        for kind, figure in self.part_thresholds:
            text += (f", or {COMPARISONS[self.sales_comparison or 'more_than']} {self.currency} {figure:,} in "
                     f"{PERIOD_LABELS.get(kind, kind)}")
        if self.global_threshold is not None:
            text += (f", if worldwide sales {COMPARISONS[self.global_comparison or 'more_than']} "
                     f"{self.currency} {self.global_threshold:,}")
        return text


def _date(value: Any, field: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RulesError(f"{where}: {field} must be a date (YYYY-MM-DD), found {value!r}") from None


def _rule(row: dict[str, Any], default_currency: str, index: int) -> Rule:
    where = f"{DATA_FILE} rule {index} ({row.get('jurisdiction', '?')})"
    for field in ("jurisdiction", "name", "effective_from", "last_verified", "sources"):
        if not row.get(field):
            raise RulesError(f"{where}: {field} is missing")
    sources = tuple(row["sources"])
    if not all(isinstance(s, str) and s.startswith(("https://", "http://")) for s in sources):
        raise RulesError(f"{where}: every source must be a URL")
    sales_tax = bool(row.get("sales_tax", True))
    rule = Rule(
        jurisdiction=row["jurisdiction"],
        name=row["name"],
        authority=row.get("authority", ""),
        sales_tax=sales_tax,
        effective_from=_date(row["effective_from"], "effective_from", where),
        effective_to=_date(row["effective_to"], "effective_to", where) if row.get("effective_to") else None,
        currency=row.get("currency", default_currency),
        sales_threshold=Decimal(row["sales_threshold"]) if row.get("sales_threshold") is not None else None,
        sales_comparison=row.get("sales_comparison"),
        transactions_threshold=row.get("transactions_threshold"),
        transactions_comparison=row.get("transactions_comparison"),
        combine=row.get("combine"),
        period=row.get("period"),
        basis=row.get("basis"),
        marketplace=row.get("marketplace"),
        categories=tuple(row.get("categories", CATEGORIES)),
        sources=sources,
        last_verified=_date(row["last_verified"], "last_verified", where),
        confidence=row.get("confidence", ""),
        notes=row.get("notes", ""),
        tax=row.get("tax", "sales tax"),
        scheme=row.get("scheme", ""),
        establishment=row.get("establishment", "any"),
        members=tuple(row.get("members", ())),
        exclude_home=bool(row.get("exclude_home", False)),
        member_findings=bool(row.get("member_findings", False)),
        global_threshold=Decimal(row["global_threshold"]) if row.get("global_threshold") is not None else None,
        global_comparison=row.get("global_comparison"),
        sales_abroad=_sales_abroad(row.get("sales_abroad"), where),
        marketplace_deemed=tuple(row.get("marketplace_deemed", ())),
        part_thresholds=tuple((k, Decimal(v)) for k, v in sorted((row.get("part_thresholds") or {}).items())),
        earlier_days_as_then=bool(row.get("earlier_days_as_then", False)),
        not_checked=_not_checked(row.get("not_checked", []), where),
    )
    if rule.part_thresholds and not {k for k, _ in rule.part_thresholds} <= set(PARTS.get(rule.period or "", ())):
        raise RulesError(f"{where}: part_thresholds names a test that period {rule.period!r} is not made of")
    if sales_tax:
        _check_economic(rule, where)
    return rule


@dataclass(frozen=True)
class NotChecked:
    """A part of a domestic test that orders cannot show: ``what`` names it in a few words (the screen's Home line
    lists them), ``why`` says what it holds and what that means for the figures (the reasons)."""

    what: str
    why: str


def _not_checked(value: Any, where: str) -> tuple[NotChecked, ...]:
    """The ``not_checked`` field of a rule row: each part of the test nexus does not check, named and explained."""
    def named(v: Any) -> bool:
        return isinstance(v, dict) and set(v) == {"what", "why"} and all(
            isinstance(t, str) and t.strip() for t in v.values())

    if not isinstance(value, list) or not all(named(v) for v in value):
        raise RulesError(f"{where}: not_checked must be a list of {{\"what\": ..., \"why\": ...}} with words in both")
    return tuple(NotChecked(v["what"], v["why"]) for v in value)


def _sales_abroad(value: Any, where: str) -> SalesAbroad | None:
    """The ``sales_abroad`` field of a rule row: a verdict for every category, the words for each, and sources."""
    if value is None:
        return None
    verdicts = value.get("categories", {}) if isinstance(value, dict) else {}
    if set(verdicts) != set(CATEGORIES) or not set(verdicts.values()) <= set(ABROAD_VERDICTS):
        raise RulesError(f"{where}: sales_abroad.categories must give each of {CATEGORIES} one of {ABROAD_VERDICTS}")
    sources = tuple(value.get("sources", ()))
    if not sources or not all(isinstance(s, str) and s.startswith(("https://", "http://")) for s in sources):
        raise RulesError(f"{where}: sales_abroad.sources must list the URLs read")
    for verdict in set(verdicts.values()):
        if not value.get(verdict):
            raise RulesError(f"{where}: sales_abroad.{verdict} must say why")
    return SalesAbroad(tuple((c, verdicts[c]) for c in CATEGORIES), value.get("counted", ""),
                       value.get("not_counted", ""), value.get("unknown", ""), sources, value.get("notes", ""))


def _check_economic(rule: Rule, where: str) -> None:
    """Refuse a rule the checker could not apply, at load time rather than mid-run."""
    if rule.sales_threshold is None and rule.transactions_threshold is None:
        raise RulesError(f"{where}: a sales-tax rule needs a sales or transaction threshold")
    if rule.sales_threshold is not None and rule.sales_comparison not in COMPARISONS:
        raise RulesError(f"{where}: sales_comparison must be one of {sorted(COMPARISONS)}")
    if rule.transactions_threshold is not None:
        if rule.transactions_comparison not in COMPARISONS:
            raise RulesError(f"{where}: transactions_comparison must be one of {sorted(COMPARISONS)}")
        if rule.sales_threshold is not None and rule.combine not in ("or", "and"):
            raise RulesError(f"{where}: combine must be 'or' or 'and'")
    if rule.period not in PERIOD_LABELS:
        raise RulesError(f"{where}: period must be one of {sorted(PERIOD_LABELS)}")
    if rule.basis not in BASES:
        raise RulesError(f"{where}: basis must be one of {sorted(BASES)}")
    if rule.marketplace not in ("included", "excluded"):
        raise RulesError(f"{where}: marketplace must be 'included' or 'excluded'")
    if rule.marketplace_deemed and (rule.marketplace != "included"
                                    or not set(rule.marketplace_deemed) <= set(rule.categories)):
        raise RulesError(f"{where}: marketplace_deemed names categories the rule counts, with marketplace 'included'")
    if not set(rule.categories) <= set(CATEGORIES):
        raise RulesError(f"{where}: categories must be among {CATEGORIES}")
    if rule.effective_to is not None and rule.effective_to < rule.effective_from:
        raise RulesError(f"{where}: effective_to is before effective_from")
    if rule.establishment not in ESTABLISHMENTS:
        raise RulesError(f"{where}: establishment must be one of {ESTABLISHMENTS}")
    if rule.sales_abroad is not None and (rule.establishment != "established" or rule.members):
        raise RulesError(f"{where}: sales_abroad is for a domestic test (establishment 'established', no members)")
    if rule.global_threshold is not None and rule.global_comparison not in COMPARISONS:
        raise RulesError(f"{where}: global_comparison must be one of {sorted(COMPARISONS)}")


@dataclass(frozen=True)
class RuleBook:
    """All versions of all rules, with the table's own provenance."""

    rules: tuple[Rule, ...]
    title: str
    published: date

    def jurisdictions(self) -> list[Jurisdiction]:
        return sorted({r.jurisdiction for r in self.rules})

    def countries(self) -> set[str]:
        """The countries with a rule of their own (``CA``, ``DE``, ``IN``): a bare code that is also a US state's
        is ambiguous only for these."""
        return {r.jurisdiction for r in self.rules if "-" not in r.jurisdiction and r.jurisdiction != "EU"}

    def history(self, jurisdiction: Jurisdiction) -> list[Rule]:
        return sorted((r for r in self.rules if r.jurisdiction == jurisdiction), key=lambda r: r.effective_from)

    def in_force(self, jurisdiction: Jurisdiction, on: date, home: str | None = None) -> Rule | None:
        """The version of ``jurisdiction``'s rule that applied on ``on`` to a seller established in ``home``.

        Where a jurisdiction has several schemes, this is the first; :meth:`applicable` lists all.
        """
        found = [r for r in self.applicable(on, home) if r.jurisdiction == jurisdiction]
        return found[0] if found else None

    def applicable(self, on: date, home: str | None = None) -> list[Rule]:
        """Every rule in force on ``on`` that applies to a seller established in ``home``."""
        return sorted((r for r in self.rules if r.in_force(on) and r.applies_to(home, on)),
                      key=lambda r: (r.jurisdiction, r.scheme))

    def select(self, on: date, jurisdictions: Iterable[str] = (), home: str | None = None) -> list[Rule]:
        """Rules in force on ``on``, for the named jurisdictions (all if none named)."""
        known = self.jurisdictions()
        wanted = {code for j in jurisdictions for code in normalise_jurisdiction(j, known)}
        return [r for r in self.applicable(on, home) if not wanted or r.jurisdiction in wanted]

    def not_in_force(self, on: date, jurisdictions: Iterable[str], home: str | None = None) -> list[str]:
        """For each named jurisdiction with no rule in force on ``on``, why, in words (none yet, or none since):
        a lookup that shows nothing must say so, not print an empty screen. With none named, the places the whole
        list leaves out."""
        known = self.jurisdictions()
        shown = {r.jurisdiction for r in self.applicable(on, home)}
        if not jurisdictions and not shown:  # every jurisdiction asked for, and none in force: a day before the data
            return [self._none_in_force(on, home)]
        if not jurisdictions:  # the whole list: a place it leaves out must not read as a place with no rule
            return self._left_out_of_list(on, known, home)
        said = []
        for code in dict.fromkeys(c for j in jurisdictions for c in normalise_jurisdiction(j, known)):
            if code in shown:
                continue
            history = self.history(code)
            others = [r for r in history if r.in_force(on)]
            if others:  # in force, but for sellers established elsewhere than ``home``: never 'no rule in force'
                whom = f"a seller established in {home}" if home else "a seller established elsewhere (no --home)"
                said.append(f"{code}: no rule in force on {on} for {whom}; in force for other sellers: "
                            + "; ".join(f"{' '.join(filter(None, (r.jurisdiction, r.scheme)))}, for "
                                        f"{r.applies_to_words} (see it with --home {_home_example(r, on)})"
                                        for r in others))
                continue
            later = [r.effective_from for r in history if r.effective_from > on]
            ended = [r.effective_to for r in history if r.effective_to is not None and r.effective_to < on]
            # the data's first row is where its sourcing starts, not always the law's first day: never 'no rule'
            when = _first_in_data(later) if later else f": the last ended {max(ended)}" if ended else ""
            said.append(f"{code}: no rule in the data in force on {on}{when}")
        return said

    def _left_out_of_list(self, on: date, known: Sequence[Jurisdiction], home: str | None) -> list[str]:
        """The places with no rule in force on ``on`` for any seller (Texas before 2019-10-01): the list leaves
        them out, and a reader would take that for 'no rule' where the data simply start later (or ended)."""
        absent = [code for code in known if not any(r.in_force(on) for r in self.history(code))]
        unions = {m: r.jurisdiction for r in self.applicable(on, home) for m in r.members}  # rows the list shows
        covered = [code for code in absent if code in unions]
        alone = [code for code in absent if code not in unions]
        said = []
        if alone:
            said.append(f"Not in this list: no rule in the data in force on {on} for {', '.join(alone)} "
                        f"({len(alone)} place{'s' * (len(alone) != 1)}); name one to see from when its data start, "
                        f"or when its last rule ended: nexus rules CODE --as-of {on}")
        if covered:
            said.append(f"Not in this list: {', '.join(covered)}, which have no rule of their own in force on {on}; "
                        f"the {' and '.join(sorted({unions[c] for c in covered}))} row covers them")
        return said

    def _none_in_force(self, on: date, home: str | None) -> str:
        """Why no rule at all applies on ``on``: the tables' rows for this seller start later (or ended). The first
        row is where the data's sourcing starts, so an earlier rule is unknown, never 'no rule'."""
        whom = f"a seller established in {home}" if home else "a seller established elsewhere (no --home)"
        later = [r.effective_from for r in self.rules if r.effective_from > on and r.applies_to(home, r.effective_from)]
        return f"No rule in the data in force on {on} for {whom}{_first_in_data(later) if later else ''}"


def _first_in_data(later: Sequence[date]) -> str:
    """When the data's first rule takes effect, said as where the data start, never as the law's first day."""
    return f": the first in the data from {min(later)} (an earlier rule, if any, is not in the data)"


def _home_example(rule: Rule, on: date) -> str:
    """A ``--home`` that ``rule`` applies to on ``on``: the code to give to see it."""
    if rule.establishment == "established":
        return rule.members[0] if rule.members else rule.jurisdiction
    if rule.establishment == "eu_other_member":
        return next(c for c in ("FR", "DE", "IT") if c != rule.jurisdiction and eu_vat_member(c, on))
    if rule.establishment == "outside_eu":
        return "US"
    return "US" if rule.jurisdiction != "US" and "US" not in rule.members else "JP"


@lru_cache(maxsize=1)
def eu_vat_members() -> dict[str, tuple[date, date | None]]:
    """Member states to which EU VAT law applied, with the first and last day (``data/eu-vat-members.csv``)."""
    return {r["code"]: (date.fromisoformat(r["from"]), date.fromisoformat(r["to"]) if r["to"] else None)
            for r in datafiles.rows("eu-vat-members.csv")}


def eu_vat_member(country: str, on: date) -> bool:
    """Whether EU VAT law applied to ``country`` (ISO 3166-1 alpha-2) on ``on`` (the UK until 2020-12-31)."""
    span = eu_vat_members().get(country)
    return span is not None and span[0] <= on and (span[1] is None or on <= span[1])


def normalise_jurisdiction(code: str, known: Sequence[str]) -> list[Jurisdiction]:
    """The jurisdictions ``code`` names: ``co``, ``CO`` and ``US-CO`` name Colorado; ``JP``, ``EU``, ``CA-QC``
    name themselves.

    A two-letter code that is both a US state and a country with rules (``CA``: California and Canada;
    ``DE``: Delaware and Germany; ``IN``: Indiana and India) names both, each shown with its own code
    (``US-CA``, ``CA``): choosing one would leave the other's rule out of reach by its own code.
    """
    import difflib

    text = code.strip().upper()
    found = [c for c in ((f"US-{text}" if "-" not in text else ""), text) if c in known]
    if found:
        return found
    candidate = text if "-" in text else f"US-{text}"
    close = difflib.get_close_matches(candidate, known, n=3, cutoff=0.6)
    hint = f" (did you mean {', '.join(close)}?)" if close else ""
    raise UnknownCode(f"{code!r} is not a jurisdiction with rules{hint}")


def _validate_history(rules: Sequence[Rule]) -> None:
    """Two versions of one rule must never both be in force on the same day."""
    by_code: dict[tuple[str, str, str], list[Rule]] = {}
    for rule in rules:
        by_code.setdefault(rule.key, []).append(rule)
    for code, versions in by_code.items():
        versions.sort(key=lambda r: r.effective_from)
        for before, after in zip(versions, versions[1:]):
            if before.effective_to is None or before.effective_to >= after.effective_from:
                raise RulesError(f"{DATA_FILE}: {code} versions from {before.effective_from} and "
                                 f"{after.effective_from} overlap")


def _first_sale_reach(rules: list[Rule]) -> list[Rule]:
    """Each first-sale rule with the day it first reached each category it counts: the start of the unbroken run of
    versions of the same rule (jurisdiction, scheme, whom it applies to) that all counted it. The EU's non-Union
    scheme counted e-services from 2015 but goods only from 2021-07-01: goods sold into the EU in March 2021 are no
    first sale under it, though its period (the current calendar year) reaches back to them."""
    by_key: dict[tuple[str, str, str], list[Rule]] = {}
    for rule in rules:
        by_key.setdefault(rule.key, []).append(rule)
    reach: dict[int, tuple[tuple[str, date], ...]] = {}
    for versions in by_key.values():
        versions.sort(key=lambda r: r.effective_from)
        since: dict[str, date] = {}
        earlier: list[Rule | None] = [None, *versions[:-1]]
        for before, rule in zip(earlier, versions):
            joined = (before is not None and before.effective_to is not None
                      and (rule.effective_from - before.effective_to).days == 1)
            since = {c: since[c] if joined and c in since else rule.effective_from for c in rule.categories}
            if rule.first_sale:
                reach[id(rule)] = tuple(sorted(since.items()))
    return [replace(r, reaches_from=reach[id(r)]) if id(r) in reach else r for r in rules]


def _earlier_versions(rules: list[Rule]) -> list[Rule]:
    """Each version that counts earlier days as then (``earlier_days_as_then``) with the earlier versions of the same
    rule (jurisdiction, scheme, whom it applies to), whose terms count the sales of their own days."""
    found = []
    for rule in rules:
        if rule.earlier_days_as_then:
            earlier = sorted((r for r in rules if r.key == rule.key and r.effective_from < rule.effective_from),
                             key=lambda r: r.effective_from)
            if not earlier:
                raise RulesError(f"{DATA_FILE}: {rule.key} version from {rule.effective_from}: earlier_days_as_then "
                                 f"needs an earlier version of the rule")
            rule = replace(rule, earlier=tuple(earlier))
        found.append(rule)
    return found


def parse_rulebook(*documents: dict[str, Any]) -> RuleBook:
    """Build a :class:`RuleBook` from one or more JSON documents, validating every row."""
    rules: list[Rule] = []
    for document in documents:
        default_currency = document.get("currency", "USD")
        rules += [_rule(row, default_currency, i) for i, row in enumerate(document["rules"], start=1)]
    _validate_history(rules)
    rules = _earlier_versions(_first_sale_reach(rules))
    first = documents[0]
    return RuleBook(rules=tuple(rules), title=first.get("title", ""),
                    published=max(_date(d.get("published"), "published", DATA_FILE) for d in documents))


_BOOK: RuleBook | None = None


def load_rules() -> RuleBook:
    """The bundled rules: US states, and VAT/GST outside the US (read once per process)."""
    global _BOOK
    if _BOOK is None:
        _BOOK = parse_rulebook(*(datafiles.document(name) for name in DATA_FILES))
    return _BOOK
