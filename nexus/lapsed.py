"""Past windows of potential exposure under rules no longer in force.

A check as of a date applies the rules in force that day. A rule that has lapsed since (the EU's per-member
distance-selling thresholds, Sweden's SEK 320,000 until 2021-06-30; the UK's rule for sellers outside the EU until
2020-12-31) is in force for nobody on the as-of date, so no finding measures it, yet the tax not charged while its
test was met may still be owed until the authority can no longer assess it. This module finds those rules and holds what
each window of nexus under them was: the rule, since when it is no longer in force, the window, the sales in it and
the estimate of the tax not charged on them.

A rule whose later version is still in force (a US state's transaction test removed, a threshold raised) is not
here: the finding of that rule already dates every window under each of its versions (:func:`nexus.check._timed`).
Days a current finding already estimates for the same place (a successor rule's window) are left out of the past
window, and said, so no day is counted twice.

How far back: the orders given. Every window in the orders is listed, however old, and each says whether the period
of limitation for assessing its tax has run on the as-of date (:mod:`nexus.limitation`, ``limitation-periods.json``;
``unknown`` where the data have no row): a window whose period has run stays listed and counted, and says so. More
information: docs/exposure.md ("Rules no longer in force").
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Iterable, Sequence

from nexus.limitation import Limitation, assess
from nexus.rules import Rule, RuleBook, eu_vat_members
from nexus.windows import Window

#: What a past window is, in the words every output puts beside it: tax of the past, not a duty that runs on.
PAST_ONLY = "past tax only"


@dataclass(frozen=True)
class PastWindow:
    """One window of nexus under a rule no longer in force on the as-of date, and the money at stake in it.

    ``sales`` are the sales the rule counts from ``window.since`` to the window's end, in the rule's currency;
    ``exposure`` is a :class:`nexus.exposure_records.Exposure` (None with ``exposure_note`` where nothing could be
    estimated);
    ``overlap`` the days a current finding already estimates, left out here, with that finding's label;
    ``limits`` what the period of limitation says of the window's tax on the as-of date (:func:`limited`).
    """

    rule: Rule
    ended: date
    window: Window
    sales: Decimal
    successor: str = ""
    exposure: Any = None
    exposure_note: str = ""
    overlap: tuple[tuple[date, date, str], ...] = ()
    limits: Limitation = Limitation("unknown", "unknown: not assessed")

    @property
    def jurisdiction(self) -> str:
        return self.rule.jurisdiction

    @property
    def label(self) -> str:
        return self.rule.label

    @property
    def name(self) -> str:
        """``Sweden, past window (rule not in force from 2021-07-01)``: where tables name a finding's place."""
        return f"{self.rule.name}, past window (rule not in force from {self.ended + timedelta(days=1)})"

    @property
    def start(self) -> date:
        return self.window.since or self.window.collect_from or self.ended

    @property
    def end(self) -> date:
        return min(self.window.until or self.ended, self.ended)

    @property
    def limitation(self) -> str:
        """Whether the tax of the window can still be assessed, in a sentence with the statute."""
        return self.limits.words

    def describe(self) -> str:
        """One sentence for a finance reader: the rule, when it lapsed, the window and the sales."""
        rule = self.rule
        scheme = f" {rule.scheme}" if rule.scheme else ""
        said = (f"Potential exposure for a past window: {rule.name}'s {rule.tax}{scheme} rule "
                f"({rule.describe_threshold()}, for {rule.applies_to_words}) was met from {self.start} to {self.end}; "
                f"it is no longer in force from {self.ended + timedelta(days=1)}")
        said += f", when {self.successor} took over" if self.successor else ""
        said += (". Past tax only: no new tax accrues under the rule and nothing is to be done by a date, but the tax "
                 "not charged in the window may still be owed while it can be assessed; settling it may mean "
                 "registering there for those periods, for an adviser to judge. Period of limitation: "
                 + self.limitation)
        for a, b, label in self.overlap:
            said += f" From {a} to {b} its tax is in the estimate of the current finding {label}, not counted again."
        return said


def limited(past: PastWindow, as_of: date) -> PastWindow:
    """The past window with what the period of limitation says of its tax on ``as_of``: the window stays listed and
    counted whatever it says (whether to leave a window whose period has run out of the total is not nexus's call)."""
    return replace(past, limits=assess(past.jurisdiction, past.start, past.end, as_of))


def last_day(rule: Rule, home: str | None) -> date | None:
    """The last day ``rule`` applied to a seller established in ``home``: its end, or the day the seller's country
    left the EU's VAT area for a rule for sellers in another member state (the UK's on 2020-12-31)."""
    end = rule.effective_to
    if end is not None and rule.establishment == "eu_other_member" and home:
        left = eu_vat_members().get(home.split("-")[0], (None, None))[1]
        end = min(end, left) if left is not None else end
    return end


def lapsed_versions(book: RuleBook, home: str | None, start: date, as_of: date) -> list[list[Rule]]:
    """The versions, one list per rule, of every rule that applied to the seller on some day from ``start`` to the
    as-of date and does not on the as-of date: no version of it is in force for this seller then (a rule with a
    version that applies is dated by its own finding; Sweden's distance-selling rule, in force to 2021-06-30, stopped
    applying to a UK seller after 2020-12-31)."""
    in_force = {r.key for r in book.applicable(as_of, home)}
    found: dict[tuple[str, str, str], list[Rule]] = {}
    for rule in book.rules:
        end = last_day(rule, home)
        if (rule.key in in_force or end is None or end < start or rule.effective_from > as_of or not rule.sales_tax
                or not rule.applies_to(home, min(end, max(start, rule.effective_from)))):
            continue
        found.setdefault(rule.key, []).append(rule)
    return [sorted(v, key=lambda r: r.effective_from) for _k, v in sorted(found.items())]


def clipped(windows: Iterable[Window], ended: date) -> list[Window]:
    """The windows as they stood under the lapsed rule: none past its last day (the successor decides from the day
    after, and a duty "until deregistered" under it ends with it)."""
    out = []
    for w in windows:
        if w.since is not None and w.since > ended:
            continue
        until = ended if w.until is None else min(w.until, ended)
        out.append(replace(w, until=until))
    return out


def sales_in(days: dict[date, list], start: date, end: date) -> Decimal:
    """The sales a rule counts from ``start`` to ``end`` (its daily sums, in its currency)."""
    return sum((v[0] for d, v in days.items() if start <= d <= end), Decimal(0))


def uncovered(window: Window, covered: Sequence[tuple[date, date, str]]) -> tuple[list[Window], list[tuple]]:
    """The parts of ``window``'s days of tax due that no current finding estimates already (``covered``: its spans,
    with its label), and the days left out: a window that continues under the successor rule is counted once."""
    start, end = window.collect_from, window.until
    if start is None or end is None:
        return [window], []
    parts, left = [(start, end)], []
    for a, b, label in sorted(covered):
        kept = []
        for s, e in parts:
            if b < s or a > e:
                kept.append((s, e))
                continue
            left.append((max(a, s), min(b, e), label))
            if s < a:
                kept.append((s, a - timedelta(days=1)))
            if e > b:
                kept.append((b + timedelta(days=1), e))
        parts = kept
    return [replace(window, collect_from=s, until=e) for s, e in parts], left
