"""The memo's presence and rules tables, each row citing its sources by number (:class:`Sources`, numbered once
in the order first cited, for the list of sources cited at the end of the rules section).
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Iterable

from nexus.findings import CheckResult
from nexus.memo.jurisdictions import label, ordered

CONFIDENCE_WORDS = {"official": "official source", "secondary": "secondary sources only",
                    "conflict": "sources disagree", "unknown": "confidence unknown"}
VERDICT_WORDS = {"creates": "creates nexus", "review": "review with an adviser", "safe-harbor": "safe harbor",
                 None: "not in force"}
#: An item that ended before the days judged, by its verdict while it was in place (a past window if it made nexus).
ENDED_WORDS = {"creates": "ended; it created nexus while in place", "review": "ended; review with an adviser",
               "safe-harbor": "ended; safe harbor"}


class Sources:
    """The sources cited in the memo, each numbered once in the order first cited: tables cite ``[3]`` and the
    list at the end of the rules section gives each address in full, one line each, on screen and on paper."""

    def __init__(self) -> None:
        self.urls: list[str] = []

    def cite(self, urls: Iterable[str]) -> tuple[int, ...]:
        numbers = []
        for url in urls:
            if url not in self.urls:
                self.urls.append(url)
            number = self.urls.index(url) + 1
            if number not in numbers:
                numbers.append(number)
        return tuple(numbers)


@dataclass(frozen=True)
class PresenceRow:
    code: str
    name: str
    kind: str
    location: str
    verdict: str
    verdict_key: str
    dates: str
    note: str
    where: str
    why: str
    sources: tuple[int, ...]


def presence_rows(result: CheckResult, cited: Sources) -> list[PresenceRow]:
    order = {"creates": 0, "review": 1, "safe-harbor": 2, None: 3}
    found: list[PresenceRow] = []
    texts: dict[int, tuple[str, ...]] = {}  # each row's source addresses, numbered once the rows are in order
    for f in result.findings:
        for v in f.presence:
            item = v.item
            dates = f"{item.since or 'undated'} to {item.until or 'today'}"
            said = (VERDICT_WORDS.get(v.verdict, str(v.verdict)) if v.verdict or not v.earlier
                    else ENDED_WORDS.get(v.earlier, f"ended; {v.earlier}"))
            row = PresenceRow(f.jurisdiction, f.name, item.kind, item.location, said, v.verdict or "none", dates,
                              item.note, f"{item.source.file}:{item.source.line}", " ".join(v.reasons), ())
            texts[id(row)] = tuple(v.sources)
            found.append(row)
    unique = {(r.code, r.where, r.kind): r for r in found}  # a place with two findings (schemes) lists it once
    listed = sorted(unique.values(), key=lambda r: (order.get(None if r.verdict_key == "none" else r.verdict_key, 3),
                                                    r.code, r.where))
    return [replace(r, sources=cited.cite(urls)) for r, urls in zip(listed, (texts[id(r)] for r in listed))]


@dataclass(frozen=True)
class RuleRow:
    code: str
    name: str
    tax: str
    test: str
    period: str
    in_force: str
    verified: str
    starts: tuple[str, ...]
    why: str
    sources: tuple[int, ...]


def rule_rows(result: CheckResult, cited: Sources) -> list[RuleRow]:
    """The rules behind every place with nexus, the home and places approaching: the test, its dates and
    confidence, how the duty to collect begins, the leading reason, and the sources (rule and timing)."""
    out, seen = [], set()
    for f in ordered(result):
        rule = f.rule or f.home_basis
        if rule is None or f.part_of or not (f.nexus or f.status == "approaching"):
            continue
        key = (rule.jurisdiction, rule.scheme, rule.effective_from, f.jurisdiction)
        if key in seen:
            continue
        seen.add(key)
        starts = []
        if f.timing is not None:
            for w in f.timing.windows:
                if w.start is not None:
                    words = f"collect {w.start.collect.words()}"
                    if w.start.register.kind != "same_as_collect":
                        words += f"; register {w.start.register.words()}"
                    if words not in starts:
                        starts.append(words)
        if not starts and f.nexus == "presence":
            starts.append("from the day the presence began (the presence file's since date)")
        sources = list(f.sources) + [s for s in (f.timing.sources if f.timing else ()) if s not in f.sources]
        verified = f"verified {rule.last_verified}" + (f" ({CONFIDENCE_WORDS.get(rule.confidence, rule.confidence)})"
                                                       if rule.confidence else "")
        out.append(RuleRow(f.jurisdiction, label(f), rule.tax, rule.describe_threshold() if rule.sales_tax else "",
                           rule.period_label if rule.sales_tax else "",
                           f"{rule.effective_from} to {rule.effective_to or 'today'}", verified, tuple(starts),
                           f.reasons[0] if f.reasons else "", cited.cite(sources)))
    return out
