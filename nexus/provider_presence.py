"""What a candidate provider changes in the company's presence, per jurisdiction.

The move takes away today's presence items the profile says it replaces (:func:`replaced`: the old provider's
third-party hosting, by default) and puts the provider's hosting, data storage, backups, CDN caches and stock in
their place; each is judged by the presence rules. :func:`presence_changes` gives, per jurisdiction where items come
or go, the strongest verdict today and under the candidate, and what the sales test and nexus say there today and
under it (:class:`PresenceChange`). The comparison (:mod:`nexus.provider`) reads them.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

from nexus import places, presence
from nexus.findings import CheckResult, Finding

#: What a candidate does to a jurisdiction's presence (its strongest verdict), most consequential first.
EFFECTS = ("creates", "review", "removes", "safe-harbor", "unchanged")
_RANK = {"creates": 0, "review": 1, "safe-harbor": 2, None: 3}
KIND_WORDS = {"third-party-inventory": "stock", "cloud-region": "cloud region", "data-files": "data files",
              "cdn": "CDN cache"}


@dataclass(frozen=True)
class PresenceChange:
    """One jurisdiction where the move adds or takes away presence items.

    ``today`` and ``under`` are the strongest verdicts there (None: no item);
    ``status`` is today's sales test there, None where the check has no finding.
    """

    jurisdiction: str
    name: str
    today: str | None
    under: str | None
    added: tuple[presence.Verdict, ...]
    removed: tuple[presence.Verdict, ...]
    status: str | None
    nexus_today: str | None
    nexus_under: str | None

    @property
    def label(self) -> str:
        """The place as a list names it: a point of presence the data place in the US without its state is not a
        state to review, and says so."""
        return "US (state not known)" if self.jurisdiction == "US" else self.jurisdiction

    @property
    def effect(self) -> str:
        """``creates`` or ``review`` (the provider adds it), ``safe-harbor`` (only items a rule protects),
        ``removes`` (the strongest verdict falls) or ``unchanged`` (as at the seller's home, established there)."""
        if self.nexus_today == "establishment" and self.nexus_under == "establishment":
            # The seller's home: established there, it has nexus whatever the provider puts there; nothing to review.
            return "unchanged"
        if _RANK[self.under] < _RANK[self.today]:
            return self.under  # type: ignore[return-value]
        if _RANK[self.under] > _RANK[self.today]:
            return "removes"
        return "unchanged"


def replaced(item: presence.Item, replaces: Sequence[str], on: date) -> bool:
    """Whether the move takes ``item`` away: it is in place on ``on`` and its kind is listed (and it is not owned
    or leased by the company), or its location is listed as written."""
    if not item.active(on):
        return False
    if item.location.strip().lower() in {r.lower() for r in replaces if r not in presence.KINDS}:
        return True
    return item.kind in replaces and item.ownership not in ("owned", "leased")


def presence_changes(today: Sequence[presence.Verdict], under: Sequence[presence.Verdict],
                     added: Sequence[presence.Verdict], removed: Sequence[presence.Verdict],
                     before: CheckResult, after: CheckResult) -> list[PresenceChange]:
    def strongest(verdicts: Sequence[presence.Verdict], place: str) -> str | None:
        return presence.strongest(v.verdict for v in verdicts if v.jurisdiction == place)

    def finding(result: CheckResult, place: str) -> Finding | None:
        return next((f for f in result.findings if f.jurisdiction == place and f.rule is not None), None) or \
            next((f for f in result.findings if f.jurisdiction == place), None)

    rows = []
    for place in sorted({v.jurisdiction for v in list(added) + list(removed)}):
        was, now = finding(before, place), finding(after, place)
        rows.append(PresenceChange(place, places.name(place), strongest(today, place), strongest(under, place),
                                   tuple(v for v in added if v.jurisdiction == place),
                                   tuple(v for v in removed if v.jurisdiction == place),
                                   was.status if was and was.rule else None, was.nexus if was else None,
                                   now.nexus if now else None))
    return sorted(rows, key=lambda r: (EFFECTS.index(r.effect), not r.jurisdiction.startswith("US-"),
                                       r.jurisdiction))
