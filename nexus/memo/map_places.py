"""The places on the memo's maps: each a tile on the grids of :mod:`nexus.memo.maps`, shown by its strongest
finding (its category, and a tooltip of its sales, act by and tax at stake), with the same facts as text.

Both memos draw their maps through :func:`tile_map`: the check's by finding (:func:`us_map`, :func:`world_map`),
the provider comparison's by change (:mod:`nexus.memo.provider_view`).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Iterable, Sequence

from nexus import places
from nexus.findings import CheckResult, Finding
from nexus.memo.at_stake import exposure_of, money, past_tax
from nexus.memo.maps import CATEGORIES, Category, category_of, us_tiles, world_tiles
from nexus.memo.jurisdictions import act_words, label
from nexus.report import threshold_share


@dataclass(frozen=True)
class Tile:
    """One place on a map: where, how it is shown, and the words of its tooltip and text list."""

    code: str
    short: str
    name: str
    column: int
    row: int
    category: str
    css: str
    word: str
    title: str
    nexus: str = ""
    status: str = ""


def _tooltip(f: Finding, as_of: date) -> str:
    parts = [f"{label(f)} ({f.jurisdiction})", CATEGORIES[category_of(f)].legend]
    if f.rule is not None and f.rule.sales_tax and not f.uncovered:
        share, by_count = threshold_share(f)
        counted = f" and {f.transactions:,} transactions" if by_count else ""
        ratio = f", {share} of {f.rule.describe_threshold()}" if share else ""
        parts.append(f"sales {money(f.sales, f.currency)}{counted}{ratio}")
    if f.timing is not None and f.timing.action:
        parts.append(f"act by: {act_words(f.timing, as_of)}")
    stake = exposure_of(f)
    parts.append(f"estimated tax at stake: {stake.words}" + (f" ({stake.range})" if stake.range else ""))
    return "; ".join(parts + ([stake.partial] if stake.partial else []))


def _strongest(findings: Iterable[Finding]) -> dict[str, Finding]:
    """Each place's most pressing finding (a place may have several, one per scheme)."""
    chosen: dict[str, Finding] = {}
    for f in findings:
        if f.jurisdiction not in chosen or f.severity() < chosen[f.jurisdiction].severity():
            chosen[f.jurisdiction] = f
    return chosen


def _describe(by_place: dict[str, Finding], as_of: date,
              unfound: dict[str, str] | None = None) -> Callable[[str], tuple[str, str, str, str]]:
    """How the check's memo shows a place: its category, tooltip, nexus and status, from its strongest finding; a
    place without one by what ``unfound`` says of it (sales, a past window), else as having no sales."""
    def describe(code: str) -> tuple[str, str, str, str]:
        f = by_place.get(code)
        if f is None:
            return "none", f"{places.name(code)} ({code}): {(unfound or {}).get(code, 'no sales in the data')}", "", ""
        return category_of(f), _tooltip(f, as_of), f.nexus or "", f.status

    return describe


def _unfound(result: CheckResult) -> dict[str, str]:
    """What to say of a place with no finding that is not a place without sales: its past windows under rules no
    longer in force (a German seller's Sweden in 2020, checked in 2026), or sales outside every period measured."""
    said: dict[str, list[str]] = {}
    for p in result.past_windows:
        said.setdefault(p.jurisdiction, []).append(
            f"past window under a rule no longer in force, {p.start} to {p.end}, estimated tax at stake "
            f"{past_tax(p)} (past tax only)")
    sold = {key[0] for key in result.ledger.series}
    return {code: f"no finding under the rules in force on {result.as_of}; "
            + ("; ".join(said[code]) if code in said else "sales in the data, none in the periods those rules measure")
            for code in sold | set(said)}


@dataclass(frozen=True)
class MapView:
    """A tile map and the same information as text: each category with the places in it."""

    tiles: tuple[Tile, ...]
    columns: int
    rows: int
    lists: tuple[tuple[str, str, tuple[str, ...]], ...]  # (category key, legend, "Name (CODE)"...)
    others: tuple[Tile, ...] = ()  # places with findings that the grid does not place


def _tiles(layout: dict[str, tuple[int, int]], describe: Callable[[str], tuple[str, str, str, str]], short: Any,
           categories: dict[str, Category]) -> list[Tile]:
    tiles = []
    for code, (column, row) in layout.items():
        key, title, nexus, status = describe(code)
        c = categories[key]
        tiles.append(Tile(code, short(code), places.name(code), column, row, key, c.css, c.word, title, nexus,
                          status))
    return tiles


def tile_map(layout: dict[str, tuple[int, int]], describe: Callable[[str], tuple[str, str, str, str]], short: Any,
             extra: Sequence[str] = (), categories: dict[str, Category] = CATEGORIES) -> MapView:
    """A grid of tiles, each shown as ``describe(code)`` says (category key, tooltip, nexus, status), with the
    places the grid does not place (``extra``) under "Elsewhere", and every category's places as text.

    Both memos draw their maps through this: the check's by finding, the provider comparison's by change."""
    tiles = _tiles(layout, describe, short, categories)
    rows = max(r for _, r in layout.values()) + 1
    columns = max(c for c, _ in layout.values()) + 1
    others = tuple(_tiles({code: (i % columns, rows + 1 + i // columns) for i, code in enumerate(extra)},
                          describe, lambda code: code, categories))
    everything = tiles + list(others)
    lists = []
    for key, c in categories.items():
        named = tuple(f"{t.name} ({t.code})" for t in sorted(everything, key=lambda t: t.name) if t.category == key)
        if named and key != "none":
            lists.append((key, c.legend, named))
    return MapView(tuple(tiles), columns, rows + (1 + (len(extra) + columns - 1) // columns if extra else 0),
                   tuple(lists), others)


def _map(layout: dict[str, tuple[int, int]], by_place: dict[str, Finding], short: Any, result: CheckResult,
         extra: Sequence[str] = ()) -> MapView:
    return tile_map(layout, _describe(by_place, result.as_of, _unfound(result)), short, extra)


def us_map(result: CheckResult) -> MapView:
    """The 50 states and DC; a territory with a finding (Puerto Rico...) is placed under "Elsewhere"."""
    layout = us_tiles()
    by_place = _strongest(f for f in result.findings if f.jurisdiction.startswith("US-"))
    return _map(layout, by_place, lambda code: code[3:], result,
                sorted(code for code in by_place if code not in layout))


def world_map(result: CheckResult) -> MapView:
    layout = world_tiles()
    by_place = _strongest(f for f in result.findings if not f.jurisdiction.startswith("US-"))
    extra = sorted(code for code in by_place if code not in layout)
    return _map(layout, by_place, lambda code: code.split("-")[-1], result, extra)
