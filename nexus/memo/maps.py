"""The memo's maps: tile grids of the US states and of the countries nexus has rules for, and how a tile is
coloured and labelled.

A tile grid gives every place the same size, so that Rhode Island is as legible as Texas and a small EU member
as visible as France; the positions only suggest geography (neighbours stay near one another). The grids are
drawn below as they appear, one row of text per row of tiles, so a reviewer sees the layout in the source.
They are a way of drawing, not facts about places: no source is needed beyond the ISO 3166 codes, which the
tests check against ``data/iso3166-*.csv``.
"""
from __future__ import annotations

from dataclasses import dataclass

from nexus.findings import PRESENCE_ONLY, shown_status

#: The 50 states and DC (ISO 3166-2 without ``US-``), in the tile-grid layout common in US newsrooms.
US_GRID = """
AK .. .. .. .. .. .. .. .. .. ME
.. .. .. .. .. .. .. .. .. VT NH
WA ID MT ND MN IL WI MI NY RI MA
OR NV WY SD IA IN OH PA NJ CT ..
CA UT CO NE MO KY WV VA MD DE ..
.. AZ NM KS AR TN NC SC DC .. ..
.. .. .. OK LA MS AL GA .. .. ..
HI .. .. TX .. .. .. .. FL .. ..
"""

#: Countries (and Canadian provinces) with rules, placed roughly where they lie; ``EU`` stands beside its
#: members for the Union's own schemes (OSS, IOSS), whose findings are the Union's, not a member's.
WORLD_GRID = """
CA QC ON .. .. .. NO SE FI .. .. .. .. .. .. ..
.. .. .. IE GB .. DK .. .. EE .. .. .. .. KR JP
.. .. .. .. .. NL DE PL LT LV .. .. .. .. .. ..
.. .. .. .. FR BE LU CZ SK .. EU .. .. .. .. ..
MX .. .. PT ES CH AT HU RO .. .. .. .. .. .. ..
.. .. .. .. .. IT SI HR BG .. SA AE IN .. .. ..
.. .. .. .. .. MT .. .. GR CY .. .. .. MY SG ..
.. CL .. .. .. .. ZA .. .. .. .. .. .. .. AU NZ
"""
#: Canadian provinces in the world grid, by the two letters shown on their tile.
_PROVINCES = {"QC": "CA-QC", "ON": "CA-ON"}


def grid(text: str, prefix: str = "", aliases: dict[str, str] | None = None) -> dict[str, tuple[int, int]]:
    """``{code: (column, row)}`` from a drawn grid; ``..`` is an empty cell."""
    aliases = aliases or {}
    cells = {}
    for row, line in enumerate(text.strip("\n").splitlines()):
        for column, cell in enumerate(line.split()):
            if cell != "..":
                cells[aliases.get(cell, prefix + cell)] = (column, row)
    return cells


def us_tiles() -> dict[str, tuple[int, int]]:
    return grid(US_GRID, "US-")


def world_tiles() -> dict[str, tuple[int, int]]:
    return grid(WORLD_GRID, aliases=_PROVINCES)


@dataclass(frozen=True)
class Category:
    """How a place is shown: its CSS class, the word on its tile (so colour is never the only sign), the
    legend's words, and the tile's colours (text on fill; the tests hold each pair to WCAG AA)."""

    css: str
    word: str
    legend: str
    fill: str
    text: str


#: Most pressing first; the key is ``nexus`` where a finding has it, else the sales test's ``status``, else
#: ``none`` for a place without a finding. Fills and text colours have a contrast of at least 4.5:1.
CATEGORIES = {
    "economic": Category("nexus-economic", "sales", "Nexus from sales (the sales test is met)", "#9f1239", "#ffffff"),
    "presence": Category("nexus-presence", "presence", "Nexus from physical presence", "#6b21a8", "#ffffff"),
    "establishment": Category("nexus-establishment", "home", "Home: established there", "#1e40af", "#ffffff"),
    "approaching": Category("status-approaching", "watch", "Approaching the threshold", "#fbbf24", "#1f2937"),
    "below": Category("status-below", "below", "Below the threshold", "#e5e7eb", "#1f2937"),
    "presence-only": Category("status-presence-only", "presence only", "No sales there: listed for its presence",
                              "#f3f4f6", "#374151"),
    "not-covered": Category("status-not-covered", "no data", "Not covered by the data (periods before the first "
                            "order)", "#f3f4f6", "#374151"),
    "no-rule": Category("status-no-rule", "no rule", "No rule in the data for the as-of date", "#f3f4f6", "#374151"),
    "no-sales-tax": Category("status-no-sales-tax", "no tax", "No general sales tax", "#ffffff", "#4b5563"),
    "none": Category("no-finding", "", "No finding: no sales in the periods measured", "#f9fafb", "#4b5563"),
}

#: How the provider comparison's maps show a place under one candidate, most consequential first (the key is
#: :func:`nexus.memo.provider_view.delta_category`). Each has its word, as :data:`CATEGORIES` do.
DELTA_CATEGORIES = {
    "new-nexus": Category("delta-new-nexus", "new", "New nexus: none today, nexus under this provider", "#9f1239",
                          "#ffffff"),
    "nexus-removed": Category("delta-nexus-removed", "removed", "Nexus removed: nexus today, none under this "
                              "provider", "#166534", "#ffffff"),
    "nexus-changed": Category("delta-nexus-changed", "changed", "Nexus stays, on another ground (sales, presence)",
                              "#6b21a8", "#ffffff"),
    "review": Category("delta-review", "review", "Presence the provider adds that an adviser should review",
                       "#fbbf24", "#1f2937"),
    "shifted": Category("delta-shifted", "shift", "Nexus unchanged, but the provider's role or presence touches "
                        "it: the sales counted, who collects, the sales test or the presence", "#bfdbfe", "#1e3a8a"),
    "kept": Category("delta-kept", "same", "Nexus today and under this provider, unchanged", "#e5e7eb", "#1f2937"),
    "none": Category("delta-none", "", "No nexus today or under this provider, and nothing changes", "#f9fafb",
                     "#4b5563"),
}

#: A checklist answer as a badge: its word is the answer itself, so colour is never the only sign.
ANSWER_BADGES = {
    "yes": Category("answer-yes", "yes", "The export or integration carries it", "#15803d", "#ffffff"),
    "partial": Category("answer-partial", "partial", "In part", "#fbbf24", "#1f2937"),
    "no": Category("answer-no", "no", "It does not", "#9f1239", "#ffffff"),
    "unknown": Category("answer-unknown", "unknown", "Not answered: read as no", "#e5e7eb", "#1f2937"),
}

#: The page's other colour pairs (text on background), held to the same contrast as the tiles.
PAGE_COLOURS = {
    "body": ("#111827", "#ffffff"),
    "muted": ("#4b5563", "#ffffff"),
    "link": ("#1d4ed8", "#ffffff"),
    "overdue": ("#b91c1c", "#ffffff"),
    "header": ("#111827", "#f3f4f6"),
    "headline": ("#111827", "#fef3c7"),
}


def category_of(finding) -> str:  # type: ignore[no-untyped-def]
    """The key of :data:`CATEGORIES` for one finding."""
    if finding.nexus:
        return str(finding.nexus)
    if shown_status(finding) == PRESENCE_ONLY:  # as the screen and the workbook say it: no test was applied there
        return "presence-only"
    return finding.status if finding.status in CATEGORIES else "none"


def contrast(foreground: str, background: str) -> float:
    """The WCAG 2 contrast ratio of two ``#rrggbb`` colours (1 to 21)."""
    def luminance(colour: str) -> float:
        channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)
