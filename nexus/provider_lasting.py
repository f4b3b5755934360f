"""How long the nexus that the sales made before a move to a candidate provider lasts, to the day.

Where a candidate takes a place's sales off the company's test (a marketplace facilitator whose sales the state's
test leaves out, a merchant of record), the nexus those earlier sales made does not end with the move: each state's
``remains`` row in ``data/registration-timing.json`` says how long it lasts (the rest of the year and the next, the
12 months from the collection start, while a period the rule measures meets the test...). Those words alone leave the
controller to work out the day. Here it is worked out by nexus's own timing (:mod:`nexus.windows`), with the orders
read and none after the move: the check is run again on the same orders as of a day :data:`LASTING_YEARS` later, by
which every duty in the data has ended, and the last window of nexus from sales there gives its last day.

Where the data give no day, it says why: a registration that lasts until it is cancelled (a decision, not a date), a
permit the state keeps liable until it is closed, or a row whose sources say nothing (``unknown``).
More information: docs/provider.md ("Nexus from sales before the move lasts").
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Mapping

from nexus.check import check
from nexus.findings import Context, Finding
from nexus.errors import RateMissing
from nexus.fx import Rates, RateTable
from nexus.rules import RuleBook
from nexus.ledger import Ledger
from nexus.windows import Window
from nexus.timing_rules import REMAINS_KINDS

#: Years past the as-of date's year to which the orders read are measured: the longest duty in the data (a test met
#: in the as-of year keeping the whole next year, or opening a 12-month cycle the April after it) ends within them.
LASTING_YEARS = 3
#: The ``remains`` kinds whose last day depends on the sales and the rule's dates, and so is worked out.
DATED = ("while_met", "rest_of_year_and_next", "current_and_next_year", "next_12_months", "at_least_12_months")
#: Why a ``remains`` kind gives no day (the screen, JSON, workbook and memo say it so).
UNDATED = {
    "until_deregistered": "no date: the registration lasts until you cancel it, a decision the move does not make",
    "unknown": "unknown: the sources read say nothing on how long the duty lasts (data/registration-timing.json)",
}


@dataclass(frozen=True)
class Lasting:
    """How long nexus from the sales before the move lasts in one place: the rule's words (``REMAINS_KINDS``), its
    last day where the data date it, else ``note`` saying why not."""

    kind: str
    until: date | None = None
    note: str = ""

    @property
    def words(self) -> str:
        return REMAINS_KINDS.get(self.kind, "")


def remains_kind(f: Finding) -> str:
    """The ``remains`` kind of a finding's nexus from sales today ("" where its last window is not from sales)."""
    windows = f.timing.windows if f.timing is not None else ()
    start = windows[-1].start if windows and windows[-1].basis == "economic" else None
    return start.remains if start is not None else ""


def lasting(kinds: Mapping[str, str], ledger: Ledger, book: RuleBook, as_of: date,
            rates: Rates | RateTable | None = None, home: str | None = None, fx_policy: str = "daily",
            timed: Context = Context()) -> dict[str, Lasting]:
    """Each place's :class:`Lasting`, from its ``remains`` kind (``kinds``: place -> kind) and the orders read."""
    said = {place: Lasting(kind, note=UNDATED.get(kind, UNDATED["unknown"]))
            for place, kind in kinds.items() if kind not in DATED}
    dated = [place for place, kind in kinds.items() if kind in DATED]
    if not dated:
        return said
    later = date(as_of.year + LASTING_YEARS, 12, 31)
    # Only the rules that reach those places: no other finding of this check is read.
    rules = replace(book, rules=tuple(r for r in book.rules if any(
        r.jurisdiction == place or r.covers(place, home) for place in dated)))
    try:
        result = check(ledger, rules, later, rates, home=home, fx_policy=fx_policy, timed=timed)
    except RateMissing as missing:  # a policy that converts at a period's end after the rates end: no day, said why
        said.update({place: Lasting(kinds[place], note=f"unknown: the sales cannot be measured past the as-of date "
                                                       f"({missing})") for place in dated})
        return said
    for place in dated:
        said[place] = _last_day(kinds[place], _windows(result.findings, place), later)
    return said


def _windows(findings: tuple[Finding, ...] | list[Finding], place: str) -> list[Window]:
    """The place's windows of nexus from sales, in order, from the first of its findings that has any."""
    for f in findings:
        windows = [w for w in (f.timing.windows if f.timing is not None else ()) if w.basis == "economic"]
        if f.jurisdiction == place and windows:
            return windows
    return []


def _last_day(kind: str, windows: list[Window], later: date) -> Lasting:
    if not windows:  # the orders read meet no test there by nexus's reading: nothing to date
        return Lasting(kind, note="unknown: no window of nexus from sales there is found in the orders read")
    last = windows[-1]
    if last.until is None:
        return Lasting(kind, note="no date: the state keeps the holder of its permit liable until the permit is "
                                  "closed" if last.permit is not None else
                       f"unknown: the orders read still meet the test on {later}")
    # nexus.windows runs a 12-month cycle a determination opened to its own end (Pennsylvania's April to March,
    # decided by the calendar year before): every window's last day is the duty's.
    return Lasting(kind, last.until)
