"""Trailing nexus: how long nexus from physical presence lasts after the presence ends, per US state.

A server switched off or a warehouse emptied does not always end a seller's duty that day: Washington keeps nexus
for the rest of that calendar year and the next (RCW 82.08.052, WAC 458-20-193), California generally for the rest of
that quarter and the next (Annotation 220.0275), and Texas ends it with the presence (34 TAC § 3.286(b)(2)). Most
states say nothing. This module reads ``data/presence-trailing.json`` (one row per state and version, with its
sources) and says, for presence whose last day is known, until when the state keeps nexus, or that its period is
unknown: then no date is computed, and nexus keeps its own reading (presence counts while a period the state's sales
rule measures holds it), saying so.

More information: docs/presence.md ("After the presence ends").
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

from nexus import datafiles, places
from nexus.errors import RulesError
from nexus.presence import Verdict

#: The kinds of period the table uses (its ``kinds``), and each one's words for a finding.
KINDS = {"none": "nexus ends with the presence",
         "rest_of_quarter_plus_quarters": "the rest of that calendar quarter and {count} more quarter{s}",
         "rest_of_year_plus_years": "the rest of that calendar year and {count} more calendar year{s}",
         "unknown": ""}
CONFIDENCES = ("official", "secondary", "conflict", "unknown")


@dataclass(frozen=True)
class Trailing:
    """One version of a state's rule on nexus after presence ends: for presence whose last day falls between
    ``effective_from`` and ``effective_to``, nexus lasts ``kind`` (with ``count`` quarters or years)."""

    jurisdiction: str
    name: str
    kind: str
    count: int
    effective_from: date
    effective_to: date | None
    cite: str
    wording: str
    sources: tuple[str, ...]
    last_verified: date
    confidence: str
    notes: str

    def applies(self, last_day: date) -> bool:
        return self.effective_from <= last_day and (self.effective_to is None or last_day <= self.effective_to)

    def ends(self, last_day: date) -> date | None:
        """The last day of nexus for presence whose last day is ``last_day``; None where the period is unknown."""
        if self.kind == "none":
            return last_day
        if self.kind == "rest_of_year_plus_years":
            return date(last_day.year + self.count, 12, 31)
        if self.kind == "rest_of_quarter_plus_quarters":
            months = last_day.year * 12 + (last_day.month - 1) // 3 * 3 + 3 * self.count + 2
            year, month = divmod(months, 12)
            return date(year, month + 1, calendar.monthrange(year, month + 1)[1])
        return None


@dataclass(frozen=True)
class Trail:
    """What one state's rule makes of one item's end: the presence's last day, the rule (None where the table has
    no row for the place), and the last day of nexus it gives (None where unknown)."""

    place: str
    ended: date
    rule: Trailing | None
    until: date | None

    @property
    def known(self) -> bool:
        return self.until is not None

    def short(self) -> str:
        """The screen's few words: 'Washington keeps nexus to 2025-12-31', or that the state's period is unknown."""
        state = places.in_prose(places.name(self.place))
        if self.rule is None or self.until is None:
            return f"how long {state} keeps nexus after it is unknown"
        if self.rule.kind == "none":
            return f"{state} keeps no nexus after it"
        return f"{state} keeps nexus to {self.until}"

    def why(self) -> str:
        """What the period rests on: its kind and citation, or that no source read says."""
        if self.rule is None or self.until is None:
            return "no source read says"
        how = KINDS[self.rule.kind].format(count=self.rule.count, s="s" * (self.rule.count != 1))
        return f"{how}: {self.rule.cite}"

    def words(self) -> str:
        """In a finance reader's words: 'presence ended 2024-06-30; Washington keeps nexus to 2025-12-31 (the rest
        of that calendar year and 1 more calendar year: ...)', or that no source read says how long the state keeps
        it, and what nexus does then."""
        state = places.in_prose(places.name(self.place))
        kept = "" if self.known else (f"; nexus counts the presence while a period {state}'s sales rule measures "
                                      f"holds it")
        return f"presence ended {self.ended}; {self.short()} ({self.why()}{kept})"

    def as_dict(self) -> dict[str, Any]:
        return {"presence_ended": self.ended.isoformat(), "until": self.until.isoformat() if self.until else None,
                "kind": self.rule.kind if self.rule else "unknown", "cite": self.rule.cite if self.rule else "",
                "confidence": self.rule.confidence if self.rule else "unknown", "words": self.words(),
                "sources": list(self.rule.sources) if self.rule else []}


def _day(text: str | None) -> date | None:
    return date.fromisoformat(text) if text else None


def parse_rows(document: dict[str, Any]) -> tuple[Trailing, ...]:
    """The table's rows as records, each checked: a known kind with its count, dates in order, a source for every
    period that is not unknown."""
    found = []
    for i, row in enumerate(document["rules"], start=1):
        where = f"presence-trailing.json rule {i} ({row.get('jurisdiction')})"
        trailing = row.get("trailing") or {}
        kind, count = trailing.get("kind"), trailing.get("count")
        if kind not in KINDS:
            raise RulesError(f"{where}: trailing kind {kind!r} is not one of {', '.join(KINDS)}")
        if ("{count}" in KINDS[kind]) != isinstance(count, int) or (isinstance(count, int) and count < 0):
            raise RulesError(f"{where}: trailing kind {kind} {'needs' if '{count}' in KINDS[kind] else 'takes no'} "
                             f"count")
        if row.get("confidence") not in CONFIDENCES:
            raise RulesError(f"{where}: confidence must be one of {', '.join(CONFIDENCES)}")
        if kind != "unknown" and not (row.get("sources") and row.get("cite")):
            raise RulesError(f"{where}: a known period needs its cite and sources")
        rule = Trailing(row["jurisdiction"], row["name"], kind, count or 0, date.fromisoformat(row["effective_from"]),
                        _day(row.get("effective_to")), row.get("cite", ""), row.get("wording", ""),
                        tuple(row.get("sources", ())), date.fromisoformat(row["last_verified"]), row["confidence"],
                        row.get("notes", ""))
        if rule.effective_to is not None and rule.effective_to < rule.effective_from:
            raise RulesError(f"{where}: effective_to is before effective_from")
        found.append(rule)
    return tuple(found)


@lru_cache(maxsize=None)
def trailing_rows() -> tuple[Trailing, ...]:
    return parse_rows(datafiles.document("presence-trailing.json"))


def trail(place: str, ended: date) -> Trail | None:
    """Until when ``place`` keeps nexus after presence that ended on ``ended``: None for a place the table does not
    cover (outside the US, where a VAT registration lasts until it is cancelled, and the states with no sales tax)."""
    rows = [r for r in trailing_rows() if r.jurisdiction == place]
    if not rows:
        return None
    rule = next((r for r in rows if r.applies(ended)), None)
    return Trail(place, ended, rule, rule.ends(ended) if rule is not None else None)


def after(verdict: Verdict, as_of: date) -> Verdict:
    """An item's verdict for a finding, read with its state's trailing period where the item has ended before
    ``as_of`` and creates nexus (now, or in a past window of its own days).

    A known period decides: presence whose period ended before ``as_of`` is a past window (California's quarter and
    the next, over by then, though the state's sales rule measures the whole year), and presence whose period
    reaches ``as_of`` still makes nexus. An unknown one leaves the verdict as it is and says the period is unknown.
    """
    item = verdict.item
    if item.until is None or item.until >= as_of or "creates" not in (verdict.verdict, verdict.earlier):
        return verdict
    found = trail(verdict.jurisdiction, item.until)
    if found is None:
        return verdict
    said = found.words()
    sources = verdict.sources + tuple(s for s in (found.rule.sources if found.rule else ()) if s not in
                                      verdict.sources)
    if found.until is None:
        return replace(verdict, reasons=verdict.reasons + (f"After it: {said}.",), sources=sources)
    if verdict.verdict == "creates" and found.until < as_of:
        past = f"After it: {said}, before {as_of}: a past window of nexus, whose tax may still be owed."
        return replace(verdict, verdict=None, during=None, earlier="creates", sources=sources,
                       reasons=verdict.reasons + (past,))
    if verdict.verdict is None and found.until >= as_of:
        return replace(verdict, verdict="creates", during=(item.since or item.until, item.until), earlier=None,
                       sources=sources, reasons=verdict.reasons + (f"After it: {said}: nexus continues on {as_of}.",))
    return replace(verdict, reasons=verdict.reasons + (f"After it: {said}.",), sources=sources)


def of(verdict: Verdict, as_of: date) -> Trail | None:
    """The trailing period of an item that ended before ``as_of``, for its window of nexus; None where the item has
    not ended or the table does not cover its place."""
    until = verdict.item.until
    return trail(verdict.jurisdiction, until) if until is not None and until < as_of else None
