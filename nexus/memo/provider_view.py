"""What the provider comparison's memo shows, chosen and worded from a :class:`nexus.provider.Comparison`.

The memo is for the person who signs the contract: the candidates side by side with their verdicts, then for
each one where nexus would change (on the same tile maps as the check's memo, :mod:`nexus.memo.maps`, with a
legend that does not rely on colour and the same facts as text), the presence it adds or takes away, the
currencies it adds and drops, the accounts it needs and its checklist gaps; then the sources. Every figure
and sentence is one the comparison already carries (:mod:`nexus.provider`): this module picks, orders and
words them, as the check memo's modules do for a check (:mod:`nexus.memo`), and computes nothing a candidate
should carry.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Iterable, Sequence

from nexus import __version__, places
from nexus.findings import Finding
from nexus.memo import assumptions, at_stake, map_places, presence_rules, row_account
from nexus.memo.maps import ANSWER_BADGES, DELTA_CATEGORIES, us_tiles, world_tiles
from nexus.money import format_amount, quantize
from nexus.provider import ORDER_WORDS, Candidate, Comparison, Setup, home_words, sources
from nexus.provider_changes import NexusChange, grounds
from nexus.provider_presence import KIND_WORDS, PresenceChange
from nexus.provider_profile import channel_meanings
from nexus.provider_report import (COLLECTOR_WORDS, _exposure_cell, accrued_cell, accrued_total_cell, dates_words,
                                   exposure_notes, exposure_sentence, net_cell, net_sentence, removed_cell,
                                   removed_notes, removed_sentence, stock_sentences)

#: What a finding is, in the memo's words: nexus and why, else the sales test's status.
STATE_WORDS = {"economic": "nexus from sales", "presence": "nexus from presence", "establishment": "home"}
STATUS_WORDS = {"exceeded": "sales test met", "approaching": "approaching the threshold",
                "below": "below the threshold", "not-covered": "not covered by the data",
                "no-rule": "no rule in the data", "no-sales-tax": "no general sales tax", "established": "home"}
CHANGE_WORDS = {"new-nexus": "new nexus", "nexus-removed": "nexus removed", "nexus-changed": "nexus changes ground",
                "status-changed": "sales test changes", "sales-changed": "sales counted change",
                "unchanged": "nexus unchanged"}
#: The presence delta's effects in the memo's words, and the map category whose colours each borrows.
EFFECT_WORDS = {"creates": ("creates presence", "new-nexus"), "review": ("to review", "review"),
                "removes": ("presence removed", "nexus-removed"), "unchanged": ("unchanged", "kept"),
                "safe-harbor": ("safe harbor only", "none")}
#: The presence delta counted, place by place, in the words of one sentence.
PRESENCE_COUNT_WORDS = (("creates", "creates presence"), ("review", "adds presence to review"),
                        ("removes", "takes presence away"), ("safe-harbor", "adds nothing but safe harbors"))
VERDICT_WORDS = {"creates": "creates presence", "review": "review with an adviser", "safe-harbor": "safe harbor",
                 None: "not in force"}
FUNCTION_WORDS = {"core": "Runs in", "storage": "Stores order data and customer files in", "backup": "Backups in"}


def _real(nexus: str | None) -> bool:
    return nexus in ("economic", "presence", "establishment")


def state(f: Finding | None) -> str:
    """``nexus from sales``, ``home``, ``below the threshold``...; ``no sales`` where there is no finding, as the
    screen says it (a place has a finding where it has sales or presence, or is the home)."""
    if f is None:
        return "no sales"
    if grounds(f) == {"economic", "presence"}:
        return "nexus from sales and presence"
    if f.nexus:
        return STATE_WORDS.get(f.nexus, f.nexus)
    return STATUS_WORDS.get(f.status, f.status)


def sales(f: Finding | None) -> str:
    """The sales a finding's test counted, in its currency; ``none`` where there is no finding (no sales there);
    empty where its test measures none."""
    if f is None:
        return "none"
    if f.rule is None or not f.rule.sales_tax or not f.currency or f.status == "not-covered":
        return ""
    return at_stake.money(f.sales, f.currency)


def sales_period(f: Finding | None) -> str:
    """The period the finding's test counted the sales :func:`sales` gives in, ``2025-01-01 to 2025-12-31``; empty
    where it gives none."""
    if not sales(f) or f is None or f.period is None:
        return ""
    return f"{f.period.start} to {f.period.end}"


def _words(items: Sequence[str], joiner: str = "and") -> str:
    items = list(items)
    if len(items) < 2:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {joiner} " + items[-1]


class LabelledSources(presence_rules.Sources):
    """The memo's sources, numbered once in the order first cited, each with what rests on it."""

    def __init__(self) -> None:
        super().__init__()
        self.labels: dict[str, list[str]] = {}

    def cite(self, urls: Iterable[str], what: str = "") -> tuple[int, ...]:
        urls = [u for u in urls if u]
        for url in urls:
            said = self.labels.setdefault(url, [])
            if what and what not in said:
                said.append(what)
        return super().cite(urls)


# --- The maps ------------------------------------------------------------------------------------------------

def delta_category(rows: Sequence[NexusChange], effect: str | None) -> str:
    """A place's key of :data:`DELTA_CATEGORIES` under one candidate, from its nexus rows (one per scheme) and
    its presence effect: new nexus first, then nexus removed, nexus changing ground, presence to review, a
    change that leaves nexus as it is, nexus kept, and nothing."""
    changes = {r.change for r in rows}
    for change in ("new-nexus", "nexus-removed", "nexus-changed"):
        if change in changes:
            return change
    if effect == "review":
        return "review"
    if any(r.shown for r in rows) or effect in ("creates", "removes"):
        return "shifted"
    if any(r.today is not None and _real(r.today.nexus) for r in rows):
        return "kept"
    return "none"


def _tooltip(code: str, key: str, rows: Sequence[NexusChange], p: PresenceChange | None, name: str) -> str:
    parts = [f"{places.name(code)} ({code})", DELTA_CATEGORIES[key].legend]
    for r in rows:
        if r.today is None and r.under is None:
            continue
        scheme = f" ({r.part_of} member)" if r.part_of else (f" ({r.scheme})" if r.scheme else "")
        parts.append(f"{r.jurisdiction}{scheme}: today {state(r.today)}, under {name} {state(r.under)}"
                     + (f" ({r.gist})" if r.gist else ""))
    if p is not None and p.effect != "unchanged":
        parts.append(f"presence: {EFFECT_WORDS[p.effect][0]} ("
                     + ", ".join(f"{KIND_WORDS.get(v.item.kind, v.item.kind)} at {v.item.location}"
                                 for v in (p.added + p.removed)[:4])
                     + (", ..." if len(p.added + p.removed) > 4 else "") + ")")
    return "; ".join(parts)


def _maps(c: Candidate) -> tuple[map_places.MapView, map_places.MapView]:
    """The US and world tile maps of one candidate's changes."""
    rows: dict[str, list[NexusChange]] = {}
    for r in c.nexus:
        rows.setdefault(r.jurisdiction, []).append(r)
    effects = {p.jurisdiction: p for p in c.presence}

    def describe(code: str) -> tuple[str, str, str, str]:
        here, p = rows.get(code, []), effects.get(code)
        key = delta_category(here, p.effect if p else None)
        under = next((r.under for r in here if r.under is not None), None)  # data-nexus, data-status: under it
        return key, _tooltip(code, key, here, p, c.name), (under.nexus or "") if under else "", \
            under.status if under else ""

    touched = sorted(code for code in set(rows) | set(effects) if describe(code)[0] != "none")
    us, world = us_tiles(), world_tiles()
    return (map_places.tile_map(us, describe, lambda code: code[3:],
                                [code for code in touched if code.startswith("US-") and code not in us],
                                DELTA_CATEGORIES),
            map_places.tile_map(world, describe, lambda code: code.split("-")[-1],
                                [code for code in touched if not code.startswith("US-") and code not in world],
                                DELTA_CATEGORIES))


# --- One candidate -------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class NexusRow:
    """One finding that changes (or that the candidate's role touches), today and under the candidate."""

    code: str
    name: str
    change: str
    words: str
    css: str
    word: str
    today: str
    under: str
    sales_today: str
    sales_under: str
    why: tuple[str, ...]
    sources: tuple[int, ...]
    #: The period each side's test counted its sales in ("2025-01-01 to 2025-12-31"): not the twelve months the
    #: estimates run over, which the money tables give.
    period_today: str = ""
    period_under: str = ""


def _change_key(r: NexusChange) -> str:
    if r.change in ("new-nexus", "nexus-removed", "nexus-changed"):
        return r.change
    return "shifted"


def nexus_rows(c: Candidate, cited: LabelledSources) -> list[NexusRow]:
    out = []
    for r in c.nexus:
        if not r.shown:
            continue
        f = r.under or r.today
        key = _change_key(r)
        name = f"{r.name} ({r.part_of} member, counted with {r.part_of})" if r.part_of else (
            f"{r.name} ({r.scheme})" if r.scheme else r.name)
        out.append(NexusRow(r.jurisdiction, name, r.change, CHANGE_WORDS[r.change], DELTA_CATEGORIES[key].css,
                            DELTA_CATEGORIES[key].word, state(r.today), state(r.under), sales(r.today),
                            sales(r.under), r.why,
                            cited.cite(f.sources if f else ()), sales_period(r.today), sales_period(r.under)))
    return out


@dataclass(frozen=True)
class MoneyRow:
    """A place where the candidate creates nexus, with the estimated tax a year it puts at stake."""

    code: str
    name: str
    why: str
    sales: str
    taxable: str
    tax: str
    range: str
    sources: tuple[int, ...]


def money_rows(c: Candidate, cited: LabelledSources) -> list[MoneyRow]:
    """The places the estimate has a figure for (:mod:`nexus.provider_exposure`), with the rates and taxability
    rows it rests on among the memo's sources."""
    found = c.exposure
    out = []
    for p in (found.places if found is not None else ()):
        if p.tax is None:
            continue
        out.append(MoneyRow(p.jurisdiction, p.name, p.why, at_stake.money(p.sales, p.currency),
                            at_stake.money(p.taxable_sales or Decimal(0), p.currency),
                            at_stake.money(p.tax.central, p.currency),
                            f"{at_stake.money(p.tax.low, p.currency)} to {at_stake.money(p.tax.high, p.currency)}",
                            cited.cite(p.sources)))
    return out


@dataclass(frozen=True)
class RemovedRow:
    """A place where the candidate takes tax collection off the company, with the tax a year and who collects it."""

    code: str
    name: str
    nexus: str
    collector: str
    taxable: str
    tax: str
    range: str
    accrued: str
    sources: tuple[int, ...]


def removed_rows(c: Candidate, cited: LabelledSources) -> list[RemovedRow]:
    """The places with a figure for the tax no longer the company's to collect (:mod:`nexus.provider_exposure`), with
    the rates and taxability rows it rests on among the memo's sources."""
    gone = c.removed
    out = []
    for p in (gone.places if gone is not None and gone.orders else ()):
        shift = p.shift
        if shift is None:
            continue
        # Abroad one standard rate gives one figure: the cell says so rather than stay empty.
        spread = (f"{at_stake.money(shift.low, p.currency)} to {at_stake.money(shift.high, p.currency)}"
                  if shift.low != shift.high else "one rate, no range")
        out.append(RemovedRow(p.jurisdiction, p.name, p.nexus_word,
                              COLLECTOR_WORDS[p.collector].format(name=c.name),
                              at_stake.money(p.taxable_sales or Decimal(0), p.currency),
                              at_stake.money(shift.central, p.currency), spread,
                              accrued_cell(p, gone.currency),  # type: ignore[union-attr]
                              cited.cite(p.sources)))
    return out


@dataclass(frozen=True)
class PresenceRow:
    """A place where the candidate creates presence or takes it away."""

    code: str
    name: str
    effect: str
    css: str
    word: str
    today: str
    under: str
    status: str
    items: tuple[str, ...]
    why: tuple[str, ...]
    sources: tuple[int, ...]


@dataclass(frozen=True)
class ItemGroup:
    """The candidate's other items, grouped by what happens, kind, verdict and rule, with their places: a CDN's
    caches under one rule in thirty states are one line, not thirty."""

    change: str  # adds | takes away
    kind: str
    verdict: str
    verdict_key: str
    reason: str
    places: tuple[str, ...]  # "US-CA (LAX, SJC)", with "same verdict today" where nothing changes there
    sources: tuple[int, ...]


def _item(v: Any, added: bool) -> str:
    city = f" ({v.city})" if v.city and v.city not in v.item.location else ""
    return (f"{'adds' if added else 'takes away'} {KIND_WORDS.get(v.item.kind, v.item.kind)} at "
            f"{v.item.location}{city}: {VERDICT_WORDS.get(v.verdict, str(v.verdict))} "
            f"({v.item.source.file}:{v.item.source.line})")


def _where(v: Any) -> str:
    """A location as short as it stays clear: a CDN's airport code without the CDN's name."""
    return v.item.location.split(":")[-1] if v.item.kind == "cdn" else v.item.location


def presence_rows(c: Candidate, cited: LabelledSources) -> tuple[list[PresenceRow], list[ItemGroup]]:
    """Places where the candidate creates presence or takes it away, in full, item by item; every other item it
    adds or takes away grouped by kind, verdict and rule (items to review first, then safe harbors), with
    the places and locations."""
    listed: list[PresenceRow] = []
    groups: dict[tuple[str, str, str | None, str], tuple[dict[str, list[str]], list[str], set[str]]] = {}
    for p in c.presence:
        verdicts = [(v, True) for v in p.added] + [(v, False) for v in p.removed]
        if p.effect in ("creates", "removes"):
            words, key = EFFECT_WORDS[p.effect]
            reasons: list[str] = []
            urls: list[str] = []
            for v, _ in verdicts:
                if v.reasons and v.reasons[0] not in reasons:
                    reasons.append(v.reasons[0])
                urls += [u for u in v.sources if u not in urls]
            listed.append(PresenceRow(
                p.jurisdiction, p.name, words, DELTA_CATEGORIES[key].css, DELTA_CATEGORIES[key].word,
                VERDICT_WORDS.get(p.today, "none") if p.today else "none",
                VERDICT_WORDS.get(p.under, "none") if p.under else "none",
                STATUS_WORDS.get(p.status or "", p.status or "no sales"),
                tuple(_item(v, added) for v, added in verdicts), tuple(reasons),
                cited.cite(urls)))
            continue
        for v, added in verdicts:
            key4 = ("adds" if added else "takes away", v.item.kind, v.verdict, v.reasons[0] if v.reasons else "")
            where, urls, same = groups.setdefault(key4, ({}, [], set()))
            where.setdefault(p.jurisdiction, [])
            if _where(v) not in where[p.jurisdiction]:
                where[p.jurisdiction].append(_where(v))
            urls.extend(u for u in v.sources if u not in urls)
            if p.effect == "unchanged" and v.verdict == p.today:
                same.add(p.jurisdiction)
    order = {"creates": 0, "review": 1, "safe-harbor": 2, None: 3}
    found = []
    for (change, kind, verdict, reason), (where, urls, same) in groups.items():
        shown = tuple(f"{code} ({', '.join(where[code])})" + (": the same verdict today" if code in same else "")
                      for code in sorted(where))
        found.append(ItemGroup(change, KIND_WORDS.get(kind, kind), VERDICT_WORDS.get(verdict, str(verdict)),
                               verdict or "none", reason, shown, cited.cite(urls)))
    found.sort(key=lambda g: (order.get(None if g.verdict_key == "none" else g.verdict_key, 3), g.change,
                              -len(g.places), g.kind, g.reason))
    return listed, found


@dataclass(frozen=True)
class Country:
    """A country that uses a currency the candidate adds: whether it opens, and the rule there."""

    code: str
    name: str
    opens: bool
    sells: bool
    note: str
    sources: tuple[int, ...]
    #: What it comes to, in the words the country's line leads with: ``opens``, ``opens nothing``, ``not assessed``
    #: where the company sells there and nexus has no rule, or not known without orders (both read 'opens nothing',
    #: as though looked at).
    verdict: str = ""


@dataclass(frozen=True)
class AddedCurrency:
    code: str
    name: str
    minor_units: str
    example: str
    ecb: str
    action: str
    countries: tuple[Country, ...]
    elsewhere: tuple[str, ...]  # other countries using it, where the company does not sell


def added_currencies(c: Candidate, cited: LabelledSources) -> list[AddedCurrency]:
    out = []
    for a in c.currencies.added:
        d = a.detail
        shown, rest = [], []
        for o in a.countries:
            if o.opens or o.sells_there or o.code == d.code[:2]:
                urls = o.rule.sources if o.rule is not None else ()
                verdict = "not known: no orders given" if o.assessment == "not known" else o.assessment
                shown.append(Country(o.code, o.name, o.opens, o.sells_there, o.note,
                                     cited.cite(urls, f"Registration rule where {d.code} is used: {o.code}"), verdict))
            else:
                rest.append(f"{o.name} ({o.code})")
        out.append(AddedCurrency(
            d.code, d.name, "unknown" if d.minor_units is None else str(d.minor_units),
            f"{d.customer_example} to a customer, {d.accountant_example} in the books" if d.customer_example else "",
            "yes" if d.ecb_rate else "no: rates must be supplied", d.action, tuple(shown), tuple(rest)))
    return out


@dataclass(frozen=True)
class Gap:
    """An open checklist item: the question, the answer and note, the reference, and what it means."""

    key: str
    asks: str
    answer: str
    css: str
    note: str
    reference: str
    where: str
    meaning: str


def gaps(c: Candidate) -> list[Gap]:
    out = []
    for line in c.open_items:
        a = line.answer
        # Where the profile gives the answer; nothing for a question it leaves out (the note says it is not answered)
        where = (f"{a.source.file}:{a.source.line}" if a.source.line else a.source.file) if a.given else ""
        out.append(Gap(line.question.key, line.question.asks, a.answer, ANSWER_BADGES[a.answer].css, a.note,
                       a.reference, where, line.meaning))
    return out


def facts(c: Candidate) -> list[tuple[str, str]]:
    """What the profile says the provider brings, in the order a reader checks it."""
    p = c.profile
    said = [("Profile", p.path)]
    if p.description:
        said.append(("Description", p.description))
    hosted: dict[str, list[str]] = {}
    for item in p.items:
        if item.kind in ("cloud-region", "data-files"):
            label = FUNCTION_WORDS.get(item.function, "Hosting in")
            if item.location not in hosted.setdefault(label, []):
                hosted[label].append(item.location)
    for label in FUNCTION_WORDS.values():
        if label in hosted:
            said.append((label, ", ".join(hosted.pop(label))))
    said += [(label, ", ".join(where)) for label, where in hosted.items()]
    caches = [i for i in p.items if i.kind == "cdn"]
    if p.cdns or caches:
        said.append(("CDN", ", ".join(p.cdns or sorted({i.location.split(":")[0] for i in caches}))
                     + (f" ({len(caches)} cache items placed)" if caches else "")))
    stock = [i.location for i in p.items if i.kind == "third-party-inventory"]
    said += [("Holds your stock in", ", ".join(stock) or "nowhere"),
             ("Marketplace facilitator in", ", ".join(p.facilitator) or "nowhere"),
             ("Merchant of record in", ", ".join(p.merchant) or "nowhere"),
             ("Currencies it prices in", f"{', '.join(p.currencies)} (from {p.currency_source})"),
             ("Settlement currency", p.settlement or "not given: ask in which currency payouts are made"),
             ("Takes away from today's presence", (", ".join(p.replaces) or "nothing")
              + f" ({len(c.replaced)} item{'s' * (len(c.replaced) != 1)} in place today)")]
    return said


@dataclass(frozen=True)
class CandidateView:
    """Everything the memo shows for one candidate."""

    number: int
    id: str
    name: str
    verdict: str
    facts: tuple[tuple[str, str], ...]
    channels: tuple[tuple[str, str], ...]
    us: map_places.MapView
    world: map_places.MapView
    lists: tuple[tuple[str, str, tuple[str, ...]], ...]  # both maps' places by category, as text
    nexus: tuple[NexusRow, ...]
    money_lead: str
    money: tuple[MoneyRow, ...]
    money_notes: tuple[str, ...]
    removed_lead: str
    removed: tuple[RemovedRow, ...]
    removed_notes: tuple[str, ...]
    net: str
    presence: tuple[PresenceRow, ...]
    groups: tuple[ItemGroup, ...]
    presence_counts: tuple[tuple[str, int], ...]
    added: tuple[AddedCurrency, ...]
    dropped: tuple[tuple[str, str, str], ...]  # code, last year's sales, what it means
    withdrawn: tuple[str, ...]
    unknown: tuple[str, ...]
    exposure: tuple[tuple[str, str], ...]
    period: str
    currency_notes: tuple[str, ...]
    currencies_today: str
    accounts: tuple[Any, ...] | None
    accounts_today: int
    gaps: tuple[Gap, ...]
    answered_yes: tuple[str, ...]
    checklist_size: int
    #: Member states where it would hold stock: each place's name, the sentences the screen says of it, and the
    #: numbers of the sources they rest on.
    stock: tuple[tuple[str, tuple[str, ...], tuple[int, ...]], ...] = ()
    #: The foot of the money tables: the total a year and its range (and, for the tax no longer yours, the potential
    #: exposure accrued), the sum of the rows above as shown; None where the table has no rows or no total.
    money_total: tuple[str, ...] | None = None
    removed_total: tuple[str, ...] | None = None

    # Each table's sources, said once under it (:func:`table_sources`).
    @property
    def nexus_sources(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        return table_sources((r.code, r.sources) for r in self.nexus)

    @property
    def money_sources(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        return table_sources((r.code, r.sources) for r in self.money)

    @property
    def removed_sources(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        return table_sources((r.code, r.sources) for r in self.removed)

    @property
    def presence_sources(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        return table_sources((r.code, r.sources) for r in self.presence)

    @property
    def groups_sources(self) -> tuple[tuple[str, tuple[int, ...]], ...]:
        return table_sources((f"{g.kind} ({g.verdict})", g.sources) for g in self.groups)


def table_sources(rows: Iterable[tuple[str, Sequence[int]]]) -> tuple[tuple[str, tuple[int, ...]], ...]:
    """A table's citations said once, in a note under it, rather than in a column of its own: the sources every row
    rests on first (``every row``), then each row's others by its label (``US-IL also``), rows of one label merged.

    In a column 7% wide the sample's Tax no longer yours stacked 12 to 18 numbers a row, one pair a line, and each
    row stood as tall as its citations: the memo printed on 30 pages. A label with nothing beyond the common sources
    is not named; () where no row cites anything."""
    merged: dict[str, list[int]] = {}
    for label, numbers in rows:
        said = merged.setdefault(label, [])
        said.extend(n for n in numbers if n not in said)
    cited = [set(numbers) for numbers in merged.values() if numbers]
    common = set.intersection(*cited) if len(cited) > 1 else set()
    own = [(label, tuple(sorted(set(numbers) - common))) for label, numbers in merged.items()]
    also = " also" if common else ""
    return ((("every row", tuple(sorted(common))),) if common else ()) + tuple(
        (f"{label}{also}", numbers) for label, numbers in own if numbers)


def _spread(total: Any, code: str) -> str:
    """A range in words, as the rows say it (``USD 41,613.25 to USD 63,881.61``; ``one rate, no range``)."""
    low, high = quantize(total.low, code), quantize(total.high, code)
    return f"{at_stake.money(low, code)} to {at_stake.money(high, code)}" if low != high else "one rate, no range"


def money_total(c: Candidate) -> tuple[str, ...] | None:
    """The potential exposure table's foot: its total, which its rows add up to (nexus.provider_exposure.footed)."""
    found = c.exposure
    total = found.total if found is not None and any(p.tax is not None for p in found.places) else None
    if found is None or total is None:
        return None
    return at_stake.money(total.central, found.currency), _spread(total, found.currency)


def removed_total(c: Candidate) -> tuple[str, ...] | None:
    """The tax-no-longer-yours table's foot: its total and range, and the potential exposure accrued, each the sum of
    the rows above as shown."""
    gone = c.removed
    shown = [p for p in gone.places if p.shift is not None] if gone is not None and gone.orders else []
    total = gone.total if gone is not None and shown else None
    if gone is None or total is None:
        return None
    return (at_stake.money(total.central, gone.currency), _spread(total, gone.currency),
            accrued_total_cell(shown, gone.currency))


def _lists(*maps: map_places.MapView) -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The maps' text lists in one: each category once, with the US places first."""
    found: dict[str, list[str]] = {}
    for m in maps:
        for key, _legend, names in m.lists:
            found.setdefault(key, []).extend(names)
    return tuple((key, c.legend, tuple(found[key])) for key, c in DELTA_CATEGORIES.items() if key in found)


def candidate(number: int, c: Candidate, cited: LabelledSources) -> CandidateView:
    us, world = _maps(c)
    listed, groups = presence_rows(c, cited)
    d = c.currencies
    meanings = channel_meanings()
    new = c.new_accounts
    return CandidateView(
        number, f"candidate-{number}", c.name, c.verdict(), tuple(facts(c)),
        tuple((ch, meanings.get(ch, "")) for ch in c.profile.channels), us, world, _lists(us, world),
        tuple(nexus_rows(c, cited)), exposure_sentence(c), tuple(money_rows(c, cited)), tuple(exposure_notes(c)),
        removed_sentence(c), tuple(removed_rows(c, cited)), tuple(removed_notes(c)), net_sentence(c),
        tuple(listed), tuple(groups),
        tuple((words, len(c.presence_effects(e))) for e, words in PRESENCE_COUNT_WORDS),
        tuple(added_currencies(c, cited)),
        tuple((code, at_stake.money(amount, code) if amount else ("none" if amount is not None else "no orders given"),
               d.dropped_meaning(code)) for code, amount in d.dropped),
        tuple(f"{w.code} ({w.name}) was withdrawn {w.withdrawn}"
              + (f": the list should say {w.successor}" if w.successor else "") for w in d.review.withdrawn),
        tuple(d.review.unknown),
        tuple((code, f"{code} {format_amount(amount, code)}") for code, amount in d.exposure),
        f"{d.period[0]} to {d.period[1]}" if d.period else "", d.notes,
        f"{', '.join(d.today) or 'none'} ({d.today_from})",
        new, len(c.accounts or ()) - len(new or ()), tuple(gaps(c)),
        tuple(line.question.key for line in c.checklist if not line.open), len(c.checklist),
        tuple((f"{s.name} ({s.jurisdiction})", tuple(stock_sentences(c, s)),
               cited.cite((s.rule.sources if s.rule is not None else ())
                          + (s.estimate.sources if s.estimate is not None else ()))) for s in c.stock),
        money_total(c), removed_total(c))


# --- The comparison ------------------------------------------------------------------------------------------

def side_by_side(comparison: Comparison) -> list[tuple[str, tuple[str, ...]]]:
    """What a controller weighs, one row each, one column per candidate (most consequential first)."""
    def codes(items: Iterable[str]) -> str:
        items = list(items)
        return ", ".join(items) if items else "none"

    def counted(rows: Sequence[Any], label: Any) -> str:
        return f"{len(rows)}: {codes(label(r) for r in rows)}" if rows else "0"

    def open_words(c: Candidate) -> str:
        kinds: dict[str, int] = {}
        for line in c.open_items:
            kinds[line.answer.answer] = kinds.get(line.answer.answer, 0) + 1
        said = ", ".join(f"{n} {k}" for k, n in kinds.items())
        return f"{len(c.open_items)} of {len(c.checklist)}" + (f" ({said})" if said else "")

    cs = comparison.candidates
    table = [
        ("New nexus", lambda c: counted(c.new_nexus, lambda r: r.counted_label)),
        ("Potential exposure a year", _exposure_cell),
        ("Nexus removed", lambda c: counted(c.nexus_removed, lambda r: r.counted_label)),
        ("Tax no longer yours to collect a year", removed_cell),
        ("Net change a year in the tax you collect", net_cell),
    ] + ([("VAT registration for stock in the EU", lambda c: counted(
        [s for s in c.stock if s.held is None], lambda s: s.jurisdiction))] if any(c.stock for c in cs) else []) + [
        ("Presence it creates", lambda c: counted(c.presence_effects("creates"), lambda p: p.jurisdiction)),
        ("Presence to review", lambda c: counted(c.presence_effects("review"), lambda p: p.label)),
        ("Presence removed", lambda c: counted(c.presence_effects("removes"), lambda p: p.jurisdiction)),
        ("Marketplace facilitator in", lambda c: codes(c.profile.facilitator)),
        ("Merchant of record in", lambda c: codes(c.profile.merchant)),
        ("Currencies added", lambda c: codes(a.detail.code for a in c.currencies.added)),
        ("Currencies dropped", lambda c: codes(code for code, _ in c.currencies.dropped)),
        ("Settlement currency", lambda c: c.currencies.settlement or "not given"),
        ("New accounts", lambda c: "not assessed (no chart of accounts given)" if c.new_accounts is None
         else str(len(c.new_accounts))),
        ("Open checklist items", open_words),
    ]
    return [(label, tuple(value(c) for c in cs)) for label, value in table]


def today_words(comparison: Comparison) -> list[tuple[str, str]]:
    """Today's set-up that every candidate is compared with."""
    setup, ledger = comparison.setup, comparison.setup.ledger
    said = [("Compared with", "today's set-up, as of " + str(comparison.as_of)),
            ("Seller established in", home_words(setup.home))]
    said.append(("Orders", f"{ledger.rows_used:,} rows used, {ledger.first_day} to {ledger.last_day}"
                 if ledger is not None and ledger.first_day else "none given: the nexus delta comes from presence "
                                                                 "alone"))
    said.append(("Presence file", setup.presence_source or "none given: nothing is taken away"))
    said.append(("Registrations", setup.registrations_source + f" ({_held_words(setup)})" if setup.registrations_source
                 else "none given: no registration is counted as held"))
    said.append(("Chart of accounts", setup.chart_source or "none given: accounts are not assessed"))
    nexus = [f.label for f in comparison.today.findings if f.nexus in ("economic", "presence") and not f.part_of]
    said.append(("Nexus today", f"{len(nexus)}: {', '.join(nexus)}" if nexus else "none outside the home"))
    return said


def _held_words(setup: Setup) -> str:
    """The places the file's registrations are for: ``for US-WA, GB, EU, US-FL, US-CO``."""
    codes = list(dict.fromkeys(r.jurisdiction for r in setup.registrations))
    return f"for {', '.join(codes)}" if codes else "no registration in it"


PROVIDER_ASSUMPTIONS = (
    "A candidate's marketplace-facilitator or merchant-of-record role applies to the direct sales shipped to the "
    "places its profile lists, on every day of the orders read: as facilitator they become marketplace sales, "
    "which each rule counts or leaves out; as merchant of record they are the provider's sales and leave yours "
    "(your home's own test still counts your sales to it, and at home its tax stays yours). "
    "Sales for resale stay yours; marketplace rows are unchanged.",
    "A move takes away today's presence items of the kinds the profile's replaces lists (by default the old "
    "provider's third-party cloud regions, CDN caches and data files) and adds the candidate's hosting, data "
    "storage, backups, CDN caches and stock; every item is judged by the presence rules.",
    "A currency a candidate adds opens a country only if you sell there, and only for what its rule counts "
    "(South Korea's first-sale registration counts electronic services, not goods).",
    "The potential exposure a year of a candidate's new nexus is the tax due on your taxable sales there over the "
    "twelve months to the as-of date (scaled to a year where the orders cover fewer days), at each day's rates, "
    "after its role is applied, each place's figure rounded once and the total their sum: a run-rate estimate, "
    "not a forecast or a return. Places to review with an adviser are not in it; without orders it is not "
    "estimated.",
    "The tax no longer yours to collect is the tax due on your own taxable sales, over the same twelve months and "
    "rates, in each place where nexus goes or where the candidate would collect on sales it facilitates or sells "
    "itself, less what you would still collect there (nothing where you keep neither nexus nor a registration). It "
    "moves who collects: customers still pay it, and potential exposure accrued before the move stays. The net "
    "change is the first less the second, as both are shown.",
    "A checklist answer other than yes is an open item; unknown is read as no until the provider answers.",
    "The roles are applied as each profile states them: whether a provider really acts as marketplace "
    "facilitator or merchant of record in a place is for its contract to say. Nothing here is tax advice.",
)


def context(comparison: Comparison) -> dict[str, Any]:
    """Everything the provider memo's template shows."""
    cited = LabelledSources()
    candidates = [candidate(i, c, cited) for i, c in enumerate(comparison.candidates, start=1)]
    for what, where in sources(comparison):
        cited.cite([where], what)
    account = row_account.account(comparison.today)
    inputs = [(f"Provider profile: {c.name}", c.profile.path) for c in comparison.candidates]
    inputs += [(f"Currency list: {c.name}", c.currencies.offered_from) for c in comparison.candidates
               if c.currencies.offered_from not in ("the profile", c.profile.path)]
    if comparison.setup.chart_source:
        inputs.append(("Chart of accounts", comparison.setup.chart_source))
    if comparison.setup.presence_source and not any(w == "Presence" for w, _ in account.other_inputs):
        inputs.append(("Presence", comparison.setup.presence_source))
    account = replace(account, other_inputs=tuple(inputs) + account.other_inputs)
    return {"as_of": comparison.as_of, "version": __version__, "today": today_words(comparison),
            "verdicts": [c.verdict for c in candidates], "names": [c.name for c in candidates],
            "dates": [dates_words(c) for c in comparison.candidates],
            "order": ORDER_WORDS, "side": side_by_side(comparison), "candidates": candidates, "sources": cited.urls,
            "labels": cited.labels, "assumptions": assumptions.assumptions(comparison.today, at_stake=False)
            + list(PROVIDER_ASSUMPTIONS),
            "warnings": list(dict.fromkeys(list(comparison.warnings) + list(comparison.today.warnings))),
            "account": account, "orders_given": comparison.setup.ledger is not None,
            "delta": DELTA_CATEGORIES, "answers": ANSWER_BADGES}
