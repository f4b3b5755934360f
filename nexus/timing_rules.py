"""The start rules, as data: how the duty to collect (and to register) begins once a rule's test is met, and how long
nexus lasts.

They are the sourced, dated rows of ``data/registration-timing.json``: for each rule, how the duty begins once its test
is met (from the next sale, the first day of the next month, the first of the month after 90 days, January 1 of the
next year, within 30 days, Connecticut's 1 October...), how long nexus lasts once created, where a state keeps a permit
holder liable until the permit is cancelled, and how it dates a crossing after a permit was closed. Each row is read
with its sources and refused without them. :mod:`nexus.windows` dates each window of nexus by these rows.

More information: docs/rules.md ("When the duty begins"), docs/check.md ("When to act").
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from nexus import datafiles
from nexus.errors import RulesError
from nexus.periods import add_months
from nexus.rules import PERIOD_LABELS, Rule

DATA_FILE = "registration-timing.json"

#: How the duty to collect (or register) begins, counted from the day the test is met (the crossing day). The
#: full definitions, with the sources' examples, are the ``kinds`` of ``data/registration-timing.json``.
START_KINDS = {
    "crossing_day": "from the day the test is met",
    "next_transaction": "from the next sale after the one that meets the test (the crossing day itself is used: "
                        "daily totals cannot order the sales of one day)",
    "next_transaction_not_before": "from the next sale after the one that meets the test, but not before the day "
                                   "(YYYY-MM-DD), after a grace period set by law",
    "after_days": "N days after the test is met",
    "first_of_next_month": "from the first day of the month after the test is met",
    "first_of_month_after_days": "from the first day of the month after the day N days after the test is met",
    "first_of_month_after_days_or_next_year": "from the first day of the month after the day N days after the test "
                                              "is met, or January 1 of the next year if earlier",
    "first_of_month_at_least_days": "from the first day of the first month that begins at least N days after the "
                                    "test is met",
    "month_start_within_days": "from the first day of the month in which the day N days after the test is met falls",
    "first_of_month_after_months": "from the first day of the Mth month after the month the test is met",
    "first_of_month_after_months_plus_days": "N days after the first day of the Mth month after the month the test "
                                             "is met",
    "day_of_next_month": "by day N of the month after the test is met",
    "days_after_month_end": "N days after the end of the month in which the test is met",
    "first_of_next_quarter": "from the first day of the quarter after the test is met",
    "quarter_end_plus_months": "by the end of the month M months after the quarter in which the test is met",
    "first_of_next_year": "from January 1 of the year after the test is met",
    "first_of_year_after_next": "from January 1 two years after the year the test is met",
    "first_of_next_year_plus_days": "N days after January 1 of the year after the test is met",
    "jp_specified_or_base_period": "from January 1 of the next year (a crossing in January to June, the specified "
                                   "period) or of the year after (the base period)",
    "after_days_or_next_year": "N days after the test is met, or January 1 of the next year if earlier",
    "next_date": "from the next given date (MM-DD) after the measuring period closes",
    "same_as_collect": "by the day collection must begin",
    "promptly_after_period_end": "promptly, with no day count, once the period measured has ended: the day after it "
                                 "ends is used, the earliest day it can be due",
    "before_first_sale": "before the first taxable sale (the crossing day of a rule with no threshold)",
    "unknown": "the sources say nothing usable: the crossing day is used, the earliest possible date",
}
#: How long nexus lasts once the test is met (``remains_kinds`` in the data file).
REMAINS_KINDS = {
    "while_met": "while a period the rule measures meets the test",
    "rest_of_year_and_next": "for the rest of the calendar year in which the test is met and the whole next year",
    "current_and_next_year": "for the calendar year in which the test is met and the next",
    "next_12_months": "in 12-month cycles from the collection start, renewed while the test is met at each end",
    "at_least_12_months": "for at least the 12 months from the collection start, and after them while a period the "
                          "rule measures meets the test",
    "until_deregistered": "until the registration is cancelled",
    "unknown": "the sources say nothing: while the test is met",
}


@dataclass(frozen=True)
class Start:
    """One way a duty begins: a kind from :data:`START_KINDS` and its figures."""

    kind: str
    days: int | None = None
    months: int | None = None
    on: str | None = None  # MM-DD, for next_date; YYYY-MM-DD for next_transaction_not_before

    def when(self, crossed: date, window_end: date) -> date:
        """The day the duty begins for a test met on ``crossed``, in a measuring window ending ``window_end``
        (used by ``next_date``: Connecticut's 30 September, else December 31 of the crossing year)."""
        k, days, months = self.kind, self.days or 0, self.months or 0
        next_year = date(crossed.year + 1, 1, 1)
        # promptly_after_period_end is counted from the period's end before it gets here
        # (nexus.windows._register_counted_from).
        if k in ("crossing_day", "next_transaction", "before_first_sale", "unknown", "same_as_collect",
                 "promptly_after_period_end"):
            return crossed
        if k == "next_transaction_not_before":  # a grace period: Colorado's sales before 2019-06-01
            return max(crossed, date.fromisoformat(self.on or ""))
        if k == "after_days":
            return crossed + timedelta(days=days)
        if k == "first_of_next_month":
            return add_months(crossed.replace(day=1), 1)
        if k == "first_of_month_after_days":
            return add_months((crossed + timedelta(days=days)).replace(day=1), 1)
        if k == "first_of_month_after_days_or_next_year":
            return min(add_months((crossed + timedelta(days=days)).replace(day=1), 1), next_year)
        if k == "first_of_month_at_least_days":
            later = crossed + timedelta(days=days)
            return later if later.day == 1 else add_months(later.replace(day=1), 1)
        if k == "month_start_within_days":
            return (crossed + timedelta(days=days)).replace(day=1)
        if k == "first_of_month_after_months":
            return add_months(crossed.replace(day=1), months)
        if k == "first_of_month_after_months_plus_days":
            return add_months(crossed.replace(day=1), months) + timedelta(days=days)
        if k == "day_of_next_month":
            return add_months(crossed.replace(day=1), 1).replace(day=days)
        if k == "days_after_month_end":
            return add_months(crossed.replace(day=1), 1) - timedelta(days=1) + timedelta(days=days)
        if k == "first_of_next_quarter":
            anchor = int((self.on or "01-01")[:2])
            return add_months(crossed.replace(day=1), 3 - (crossed.month - anchor) % 3)
        if k == "quarter_end_plus_months":
            quarter_last = add_months(crossed.replace(day=1), 2 - (crossed.month - 1) % 3)
            return add_months(add_months(quarter_last, months), 1) - timedelta(days=1)
        if k == "first_of_next_year":
            return next_year
        if k == "first_of_next_year_plus_days":  # Switzerland: registration within 30 days of a 1 January start
            return next_year + timedelta(days=days)
        if k == "first_of_year_after_next":
            return date(crossed.year + 2, 1, 1)
        if k == "jp_specified_or_base_period":
            return next_year if crossed.month <= 6 else date(crossed.year + 2, 1, 1)
        if k == "after_days_or_next_year":
            return min(crossed + timedelta(days=days), next_year)
        if k == "next_date":
            month, day = (int(x) for x in (self.on or "01-01").split("-"))
            candidate = date(window_end.year, month, day)
            return candidate if candidate > window_end else date(window_end.year + 1, month, day)
        raise RulesError(f"{DATA_FILE}: unknown start kind {k!r}")

    def words(self) -> str:
        text = START_KINDS.get(self.kind, self.kind)
        return (text.replace("N days", count_words(self.days, "day"))
                .replace("Mth month", f"{_ordinal(self.months)} month")
                .replace("M months", count_words(self.months, "month")).replace("day N", f"day {self.days}")
                .replace("given date (MM-DD)", _month_day(self.on)).replace("the day (YYYY-MM-DD)", str(self.on)))


def count_words(number: int | None, unit: str) -> str:
    """``1 day``, ``60 days``."""
    return f"{number} {unit}{'s' * (number != 1)}"


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _month_day(on: str | None) -> str:
    """A rule's fixed date (MM-DD) as words, whatever the locale: ``04-01`` is April 1."""
    try:
        month, day = (int(x) for x in (on or "").split("-"))
        return f"{_MONTHS[month - 1]} {day}"
    except (ValueError, IndexError):
        return on or ""


def _ordinal(number: int | None) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    if number is None:
        return "Mth"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def window_end(rule: Rule, crossed: date) -> date:
    """The end of the measuring window that holds the crossing day, for ``next_date`` starts: Connecticut's
    first 30 September on or after it; otherwise December 31 of the crossing year."""
    if rule.period == "ct_12_months_ending_september_30":
        september = date(crossed.year, 9, 30)
        return september if crossed <= september else date(crossed.year + 1, 9, 30)
    return date(crossed.year, 12, 31)


@dataclass(frozen=True)
class PermitRule:
    """A state's word that a seller holding its permit stays liable to collect until the permit is cancelled, whether
    or not the sales test is still met (Texas's 34 TAC 3.286 and its termination form; North Carolina's Directive
    SD-24-1): the ``while_permit_held`` object of a row of ``data/registration-timing.json``, with its sources."""

    wording: str
    sources: tuple[str, ...]
    confidence: str
    notes: str
    #: The state's words on closing the permit where no test requires it any more (its ``may_close``: how, and that
    #: the duty runs until then), with their sources; "" and () where the row does not give them.
    closing: str = ""
    closing_sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResumeRule:
    """A state's word on when a seller that closed its permit (terminated its duty) must collect again once its test
    is met anew, where that differs from a first crossing (Texas's termination form: 'on the first day of the second
    month following any 12 calendar months in which total Texas revenue exceeds $500,000'): the
    ``after_permit_closed`` object of a row of ``data/registration-timing.json``, with its sources."""

    collect: Start
    register: Start
    wording: str
    sources: tuple[str, ...]
    confidence: str
    notes: str


@dataclass(frozen=True)
class StartRule:
    """How the duty begins under one rule, for the days this version was in force, with its sources."""

    jurisdiction: str
    scheme: str
    establishment: str
    effective_from: date
    effective_to: date | None
    collect: Start
    register: Start
    remains: str
    remains_note: str
    wording: str
    sources: tuple[str, ...]
    last_verified: date
    confidence: str
    notes: str
    #: The test this row dates, where the rule's period is made of several (``nexus.periods.PARTS``): the part's
    #: period kind (Canada's single quarter and four quarters start the duty on different days); "" for any.
    period: str = ""
    #: Where the state's text keeps a permit holder liable until the permit is cancelled; None where it is silent.
    permit: PermitRule | None = None
    #: Where sources disagree on whether a duty decided under a version of the test outlasts that version's removal
    #: (the ``conflict`` of the row's ``remains``): said beside every window that runs past its version's last day.
    remains_conflict: str = ""
    #: Where the state dates a crossing after a permit was closed otherwise than a first one; None where it is silent.
    resume: ResumeRule | None = None

    def in_force(self, on: date) -> bool:
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def resumed(self) -> StartRule:
        """This row as it dates a crossing after the seller closed its permit: the resume rule's start, words and
        sources in place of the first crossing's (the row's own sources kept after them)."""
        if self.resume is None:
            return self
        r = self.resume
        return replace(self, collect=r.collect, register=r.register, wording=r.wording,
                       sources=r.sources + tuple(s for s in self.sources if s not in r.sources),
                       confidence=r.confidence, notes=r.notes)

    def matches(self, rule: Rule) -> bool:
        return (self.jurisdiction == rule.jurisdiction and self.scheme == rule.scheme
                and self.establishment in ("any", rule.establishment) and self.period in ("", rule.period))


@dataclass(frozen=True)
class TimingBook:
    """Every start rule, with the table's provenance."""

    rules: tuple[StartRule, ...] = ()

    def for_rule(self, rule: Rule, on: date) -> StartRule | None:
        """The start rule for ``rule`` in force on ``on`` (the crossing day); an exact establishment first."""
        found = [s for s in self.rules if s.matches(rule) and s.in_force(on)]
        found.sort(key=lambda s: s.establishment == "any")
        return found[0] if found else None

    def permit_kept(self, jurisdiction: str, on: date) -> PermitRule | None:
        """The state's word, in force on ``on``, that a permit holder stays liable until the permit is cancelled
        (None where its rows are silent): a permit held there is never merely 'not required'."""
        return next((s.permit for s in self.rules if s.jurisdiction == jurisdiction and s.in_force(on)
                     and s.permit is not None), None)


_NEEDS_DAYS = {"after_days", "first_of_month_after_days", "first_of_month_after_days_or_next_year",
               "first_of_month_at_least_days", "month_start_within_days", "day_of_next_month",
               "days_after_month_end", "after_days_or_next_year", "first_of_month_after_months_plus_days",
               "first_of_next_year_plus_days"}
_NEEDS_MONTHS = {"first_of_month_after_months", "quarter_end_plus_months", "first_of_month_after_months_plus_days"}


def _start(value: Any, where: str) -> Start:
    if not isinstance(value, dict) or value.get("kind") not in START_KINDS:
        raise RulesError(f"{where}: kind must be one of {sorted(START_KINDS)}, found {value!r}")
    kind = value["kind"]
    if kind in _NEEDS_DAYS and not isinstance(value.get("days"), int):
        raise RulesError(f"{where}: {kind} needs a whole number of days")
    if kind in _NEEDS_MONTHS and not isinstance(value.get("months"), int):
        raise RulesError(f"{where}: {kind} needs a whole number of months")
    if kind == "next_date" and not value.get("date"):
        raise RulesError(f"{where}: next_date needs a date (MM-DD)")
    if kind == "next_transaction_not_before":
        try:
            date.fromisoformat(value.get("date") or "")
        except (TypeError, ValueError):
            raise RulesError(f"{where}: next_transaction_not_before needs a date (YYYY-MM-DD)") from None
    return Start(kind, value.get("days"), value.get("months"), value.get("date"))


def _permit(value: Any, where: str) -> PermitRule | None:
    """A row's ``while_permit_held`` (None where the row has none), refused without its wording and sources: the fact
    changes how long a duty lasts, so it is said with the state's own words wherever it is applied."""
    if value is None:
        return None
    if not isinstance(value, dict) or value.get("kind") != "until_cancelled":
        raise RulesError(f"{where}: kind must be 'until_cancelled', found {value!r}")
    if not value.get("wording") or not value.get("sources"):
        raise RulesError(f"{where}: wording and sources are required")
    closing = value.get("may_close") or {}
    if closing and (not closing.get("wording") or not closing.get("sources")):
        raise RulesError(f"{where} may_close: wording and sources are required")
    return PermitRule(value["wording"], tuple(value["sources"]), value.get("confidence", ""), value.get("notes", ""),
                      closing.get("wording", ""), tuple(closing.get("sources", ())))


def _resume(value: Any, where: str) -> ResumeRule | None:
    """A row's ``after_permit_closed`` (None where the row has none), refused without its start, wording and
    sources: it moves a deadline, so it is said in the state's own words wherever it is applied."""
    if value is None:
        return None
    if not isinstance(value, dict) or not value.get("wording") or not value.get("sources"):
        raise RulesError(f"{where}: collect, wording and sources are required, found {value!r}")
    return ResumeRule(_start(value.get("collect"), where + " collect"),
                      _start(value.get("register") or {"kind": "same_as_collect"}, where + " register"),
                      value["wording"], tuple(value["sources"]), value.get("confidence", ""), value.get("notes", ""))


def _day(value: Any, where: str) -> date:
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise RulesError(f"{where}: expected a date (YYYY-MM-DD), found {value!r}") from None


def parse_timing(*documents: dict[str, Any]) -> TimingBook:
    """Build a :class:`TimingBook` from JSON documents, refusing rows without sources or dates."""
    rules = []
    for document in documents:
        for index, row in enumerate(document.get("rules", []), start=1):
            where = f"{DATA_FILE} row {index} ({row.get('jurisdiction', '?')})"
            for name in ("jurisdiction", "effective_from", "last_verified", "sources", "collect"):
                if not row.get(name):
                    raise RulesError(f"{where}: {name} is missing")
            remains = (row.get("remains") or {}).get("kind", "unknown")
            if remains not in REMAINS_KINDS:
                raise RulesError(f"{where}: remains must be one of {sorted(REMAINS_KINDS)}")
            period = row.get("period") or ""
            if period and period not in PERIOD_LABELS:
                raise RulesError(f"{where}: period must be one of {sorted(PERIOD_LABELS)}")
            collect = _start(row["collect"], where + " collect")
            register = _start(row.get("register") or {"kind": "same_as_collect"}, where + " register")
            rules.append(StartRule(
                row["jurisdiction"], row.get("scheme", ""), row.get("establishment", "any"),
                _day(row["effective_from"], where), _day(row["effective_to"], where) if row.get("effective_to")
                else None, collect, register, remains, (row.get("remains") or {}).get("note", ""),
                row.get("wording", ""), tuple(row["sources"]), _day(row["last_verified"], where),
                row.get("confidence", ""), row.get("notes", ""), period,
                _permit(row.get("while_permit_held"), where + " while_permit_held"),
                (row.get("remains") or {}).get("conflict", ""),
                _resume(row.get("after_permit_closed"), where + " after_permit_closed")))
    return TimingBook(tuple(rules))


@lru_cache(maxsize=1)
def load_timing() -> TimingBook:
    """The bundled start rules (read once per process)."""
    return parse_timing(datafiles.document(DATA_FILE))
