"""How long tax not charged stays assessable: the period of limitation, from ``data/limitation-periods.json``.

A past window (:mod:`nexus.lapsed`) is tax of the past: whether it can still be assessed on the check's as-of date
depends on the jurisdiction's period of limitation, what starts it, and what the statute says of a seller that
filed no return (often that no period runs at all). This module reads the table and says, for a window of days,
whether the period has run for every tax period of the window, for some, or for none, and until when, with the
statute and the sources. Tax periods are months (nexus assumes monthly returns, DECISIONS.md). Where the table
has no row, or the row says ``unknown``, the answer is ``unknown`` and says so: no typical period is assumed.

More information: docs/exposure.md ("Rules no longer in force"), docs/rules.md ("Periods of limitation").
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, Sequence

from nexus import datafiles
from nexus.errors import RulesError

#: What starts a period, in the words the outputs use (the table's ``kinds.starts``).
STARTS = {"end_of_tax_period": "the end of its tax period",
          "end_of_calendar_year": "the end of the calendar year of its tax period",
          "return_filed": "the filing of its return",
          "return_due": "the due date of its return",
          "later_of_filing_and_due_date": "the filing of its return or its due date, whichever is later",
          "end_of_year_of_filing": "the end of the calendar year in which its return was filed",
          "end_of_half_year_of_filing":
              "the end of the half-year (June 30 or December 31) in which its return was filed",
          "end_of_year_return_due": "the end of the calendar year in which its return was due",
          "end_of_year_payment_due": "the end of the calendar year in which its tax fell due for payment",
          "july_1_following_year": "July 1 of the year after the year of its tax period"}
#: The starts a date can be worked out from with the tax period alone; the others need a filing or a due date that
#: nexus's data do not hold.
DATED = ("end_of_tax_period", "end_of_calendar_year", "july_1_following_year")
#: The words a period may be instead of a number of years or months (the table's ``kinds.terms``).
WORDS = ("same", "unlimited", "unknown")
#: What each answer means, for a reader of the JSON and CSV (docs/json.md).
STATUSES = ("run", "partly run", "running", "not running", "unknown")


@dataclass(frozen=True)
class Term:
    """A period of limitation: ``years`` and ``months`` from ``starts``, or one of :data:`WORDS` in ``word``;
    ``when`` says in which cases a longer (extended) period applies."""

    years: int = 0
    months: int = 0
    starts: str = ""
    word: str = ""
    when: str = ""

    @property
    def dated(self) -> bool:
        """Whether an end date can be worked out from a tax period alone (not for one counted from a filing)."""
        return not self.word and self.starts in DATED

    def ends(self, month: date) -> date:
        """The last day tax of the monthly period ``month`` can be assessed: the start, plus the period (a period that
        starts on July 1 of the next year ends on the same day so many years later, the day it is fulfilled)."""
        if self.starts == "july_1_following_year":
            return date(month.year + 1 + self.years + (6 + self.months) // 12, (6 + self.months) % 12 + 1, 1)
        if self.starts == "end_of_calendar_year":
            start_year, start_month = month.year, 12
        else:
            start_year, start_month = month.year, month.month
        total = start_year * 12 + start_month - 1 + self.years * 12 + self.months
        year, index = divmod(total, 12)
        return date(year, index + 1, calendar.monthrange(year, index + 1)[1])

    def length(self) -> str:
        parts = [f"{n} {unit}{'s' * (n != 1)}" for n, unit in ((self.years, "year"), (self.months, "month")) if n]
        return " and ".join(parts)

    def words(self) -> str:
        """``6 years from the end of the calendar year of its tax period``."""
        return f"{self.length()} from {STARTS[self.starts]}"


@dataclass(frozen=True)
class LimitationRule:
    """One row of the table: a jurisdiction's periods of limitation for the days the row applies."""

    jurisdiction: str
    name: str
    effective_from: date
    effective_to: date | None
    cite: str
    period: Term
    no_return: Term
    extended: Term
    sources: tuple[str, ...]
    last_verified: date
    confidence: str
    notes: str
    #: What else the statute or the authority says beside the period (Washington's practice of seven years plus the
    #: current year for an unregistered seller; Illinois' six years where the seller shows reasonable cause), said
    #: with the answer; never used as the period.
    also: str = ""

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


@dataclass(frozen=True)
class Limitation:
    """What the period of limitation says of a window's tax on the as-of date.

    ``status`` is one of :data:`STATUSES`; ``first_ends`` and ``last_ends`` the last day the window's first and
    last tax periods can be assessed (None where no date can be worked out); ``words`` the answer in a sentence.
    """

    status: str
    words: str
    first_ends: date | None = None
    last_ends: date | None = None
    sources: tuple[str, ...] = ()
    confidence: str = "unknown"

    @property
    def short(self) -> str:
        """A few words for a table cell: ``ran 2026-12-31``, ``open to 2027-12-31``, ``part ran, to 2027-12-31``,
        ``open, no bar`` (no period runs), ``unknown``."""
        if self.status == "run":
            return f"ran {self.last_ends}"
        if self.status in ("partly run", "running") and self.last_ends is not None:
            return f"{'part ran, to' if self.status == 'partly run' else 'open to'} {self.last_ends}"
        return "open, no bar" if self.status == "not running" else self.status


def _term(value: Any, where: str) -> Term:
    if isinstance(value, str):
        if value not in WORDS:
            raise RulesError(f"{where}: {value!r} is not a period nor one of {', '.join(WORDS)}")
        return Term(word=value)
    dated = isinstance(value, dict) and (value.get("years") or value.get("months"))
    if not dated or value.get("starts") not in STARTS:
        raise RulesError(f"{where}: a period needs years or months and 'starts', one of {', '.join(STARTS)}")
    return Term(int(value.get("years") or 0), int(value.get("months") or 0), value["starts"],
                when=value.get("when", ""))


def _date(value: str, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RulesError(f"{where}: {value!r} is not a date (YYYY-MM-DD)") from None


def parse_rows(document: dict[str, Any], name: str = "limitation-periods.json") -> tuple[LimitationRule, ...]:
    """The table's rows, each checked: a bad row is an error naming it, never skipped."""
    rows = []
    for i, r in enumerate(document["rules"], start=1):
        where = f"{name} row {i} ({r.get('jurisdiction')})"
        period = _term(r.get("period"), f"{where}, period")
        if period.word in ("same", "unlimited"):
            raise RulesError(f"{where}, period: say the period, or 'unknown'")
        if not r.get("sources"):
            raise RulesError(f"{where}: no sources")
        rows.append(LimitationRule(
            r["jurisdiction"], r["name"], _date(r["effective_from"], where),
            _date(r["effective_to"], where) if r.get("effective_to") else None, r.get("cite", ""), period,
            _term(r.get("no_return", "unknown"), f"{where}, no_return"),
            _term(r.get("extended", "unknown"), f"{where}, extended"), tuple(r["sources"]),
            _date(r["last_verified"], where), r.get("confidence", "unknown"), r.get("notes", ""),
            r.get("also", "")))
    return tuple(rows)


@lru_cache(maxsize=1)
def limitation_rows() -> tuple[LimitationRule, ...]:
    return parse_rows(datafiles.document("limitation-periods.json"))


def limitation_rule(place: str, on: date, rows: Sequence[LimitationRule] | None = None) -> LimitationRule | None:
    """The row for ``place`` in force on ``on`` (the check's as-of date), or None."""
    return next((r for r in (limitation_rows() if rows is None else rows)
                 if r.jurisdiction == place and r.in_force(on)), None)


def _months(start: date, end: date) -> list[date]:
    """The first day of each monthly tax period from ``start``'s to ``end``'s."""
    out, m = [], date(start.year, start.month, 1)
    while m <= end:
        out.append(m)
        m = date(m.year + m.month // 12, m.month % 12 + 1, 1)
    return out


def _extended(rule: LimitationRule, last: date) -> str:
    """The longer period in the cases the statute names (evasion, fraud), in words, or ""."""
    e = rule.extended
    if e.word == "unlimited":
        return " No period runs where the return was fraudulent or the tax evaded."
    if e.word:
        return ""
    return f" Longer {e.when}: {e.words()}" + (f", to {e.ends(last)} for its last tax period." if e.dated else ".")


def assess(place: str, start: date, end: date, as_of: date,
           rows: Sequence[LimitationRule] | None = None) -> Limitation:
    """Whether the tax of the days ``start`` to ``end`` in ``place``, declared on no return, can still be assessed
    on ``as_of``: the statute's period for a seller that filed no return (the period itself where the sources give
    no separate rule), each monthly tax period's last day, and the statute and sources."""
    rule = limitation_rule(place, as_of, rows)
    if rule is None:
        return Limitation("unknown", f"unknown: nexus's data hold no period of limitation for {place}; the window "
                          f"is listed however old it is.")
    cite = f", {rule.cite}" if rule.cite else ""
    extra = _extended(rule, end) + (f" {rule.also}" if rule.also else "")
    found = rule.period if rule.no_return.word == "same" else rule.no_return
    if found.word == "unknown":
        said = ("the statute read gives no period for a seller that filed no return"
                if rule.no_return.word == "unknown" else "the period was not read in a source")
        regular = "" if rule.period.word else f" Where returns were filed: {rule.period.words()}{cite}" + (
            f", to {rule.period.ends(end)} for its last tax period." if rule.period.dated else ".")
        return Limitation("unknown", f"unknown: {said} ({rule.name}); the window is listed however old it is."
                          + regular + extra, sources=rule.sources, confidence=rule.confidence)
    if found.word == "unlimited":
        after = f"; once a return is filed, {rule.period.words()}" if not rule.period.word else ""
        return Limitation("not running", f"not running: {rule.name} has no bar to assessing tax of a period for "
                          f"which the seller neither registered nor filed a return ({rule.cite or 'the statute'})"
                          f"{after}." + extra,
                          sources=rule.sources, confidence=rule.confidence)
    basis = found.words() + cite + ("; the sources read give no separate rule for a seller that filed no return"
                                    if rule.no_return.word == "same" else ", for a seller that filed no return")
    if not found.dated:
        return Limitation("unknown", f"unknown: {basis}; nexus's data do not hold that day, so no date can be worked "
                          f"out." + extra, sources=rule.sources, confidence=rule.confidence)
    months = _months(start, end)
    ends = [found.ends(m) for m in months]
    ran = [e for e in ends if e < as_of]
    if len(ran) == len(ends):
        status, said = "run", (f"run on {as_of}: the last day to assess the window's tax was {ends[-1]} ({basis}); "
                               f"unless an exception extends it, it can no longer be assessed.")
    elif ran:
        status, said = "partly run", (
            f"partly run on {as_of}: tax of the periods to {months[len(ran) - 1]:%Y-%m} could be assessed until "
            f"{ran[-1]} at the latest, that of later periods until {ends[-1]} ({basis}).")
    else:
        status, said = "running", (f"running on {as_of}: the window's tax can be assessed until {ends[0]} for its "
                                   f"first tax period and {ends[-1]} for its last ({basis}).")
    return Limitation(status, said + extra, ends[0], ends[-1], rule.sources, rule.confidence)
