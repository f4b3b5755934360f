"""What the estimates assume, each sentence once with the places it applies to, for every output that lists them.

Each place's estimate (:class:`nexus.exposure_records.Exposure`) carries its own assumption sentences, and many are
the same sentence for many places ("No tax charged is in the orders..."). The workbook's Assumptions sheet and the
memo's 'What the estimates assume' both list them grouped, so that neither repeats a sentence per place and the two
cannot disagree: the grouping lives here, each output only lays it out.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Hashable, Iterable, Sequence, TypeVar

from nexus.findings import CheckResult, Finding
from nexus.lapsed import PastWindow

#: Places an output names before the rest follow the text (the workbook) or are counted (the memo): the Assumptions
#: sheet's narrow Applies to column wrapped a list of 52 jurisdictions to 22 lines a row.
NAMED_PLACES = 8

_Key = TypeVar("_Key", bound=Hashable)  # what by_place groups by: a text, or a topic and a text


@dataclass(frozen=True)
class Assumed:
    """One assumption the estimates make, said once, with the places (jurisdiction codes) whose estimate makes it."""

    text: str
    places: tuple[str, ...]


def estimated(result: CheckResult) -> list[Finding | PastWindow]:
    """The findings with an estimate, in the report's order, then the past windows under rules no longer in force
    that have one: the total includes them (docs/exposure.md), so the outputs' rows do too."""
    return [f for f in result.findings if f.exposure is not None] + [p for p in result.past_windows
                                                                     if p.exposure is not None]


def estimate_assumptions(result: CheckResult) -> list[Assumed]:
    """Every assumption of the estimates (each finding's and past window's, and what a scheme registration's
    coverage assumes), each sentence once with its places, in the order first found."""
    items: list[tuple[str, str]] = []
    for f in estimated(result):
        assert f.exposure is not None
        items += [(text, f.jurisdiction) for text in f.exposure.assumptions]
    for f in result.findings:
        # sales a scheme registration is counted as covering only on an assumption (the Import OSS's goods)
        items += [(f"{text[0].upper()}{text[1:]}.", f.jurisdiction)
                  for text in (f.timing.coverage.assumptions if f.timing is not None and f.timing.coverage else ())]
    return [Assumed(text, tuple(places)) for text, places in by_place(items).items()]


def by_place(items: Iterable[tuple[_Key, str]]) -> dict[_Key, list[str]]:
    """Each key (a text, or a topic and a text) once, in the order first found, with every place it came with."""
    found: dict[_Key, list[str]] = {}
    for key, place in items:
        places = found.setdefault(key, [])
        if place not in places:
            places.append(place)
    return found


def places_words(places: Sequence[str], everyone: Sequence[str]) -> str:
    """The places a row applies to: "all", "all but NL" where few are missing, else each."""
    missing = [p for p in everyone if p not in places]
    if len(places) > 1 and not missing:
        return "all"
    if len(places) > 6 and len(missing) <= 3:
        return "all but " + ", ".join(missing)
    return ", ".join(places)
