"""How long tax not charged stays assessable: the period of limitation, from ``data/limitation-periods.json``.

A past window (:mod:`nexus.lapsed`) is tax of the past: whether it can still be assessed on the check's as-of date
depends on the jurisdiction's period of limitation, what starts it, and what the statute says of a seller that filed
no return (often that no period runs at all). This module reads the table and says, for a window of days, whether
the period has run for every tax period of the window, for some, or for none, and until when, with the statute and
the sources. Tax periods are months (nexus assumes monthly returns, DECISIONS.md, unless a registration row gives
quarterly or annual ones: a period counted from a monthly due date assumed then counts from that return's,
:func:`return_due`). A period counted from a return's or a payment's due date is worked out only where the row's
period says that due date (``due``: which return, and how many months and days after its period's end), each with
its statute; the answer then says which due date it assumed. Where the table has no row, or the row says
``unknown``, the answer is ``unknown`` and says so: no typical period or due date is assumed.

More information: docs/exposure.md ("Rules no longer in force"), docs/rules.md ("Periods of limitation").
"""
from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import Any, Iterator, Sequence

from nexus import datafiles
from nexus.errors import RulesError
from nexus.holidays import Holidays, holidays_of

#: What starts a period, in the words the outputs use (the table's ``kinds.starts``).
STARTS = {"end_of_tax_period": "the end of its tax period",
          "end_of_calendar_year": "the end of the calendar year of its tax period",
          "return_filed": "the filing of its return",
          "return_due": "the due date of its return",
          "later_of_filing_and_due_date": "the filing of its return or its due date, whichever is later",
          "later_of_filing_and_15th_of_next_month":
              "the filing of its return or the 15th day of the month after its tax period, whichever is later",
          "end_of_year_of_filing": "the end of the calendar year in which its return was filed",
          "end_of_half_year_of_filing":
              "the end of the half-year (June 30 or December 31) in which its return was filed",
          "end_of_year_return_due": "the end of the calendar year in which its return was due",
          "end_of_year_payment_due": "the end of the calendar year in which its tax fell due for payment",
          "july_1_following_year": "July 1 of the year after the year of its tax period",
          "registration_due": "the day its registration was due"}
#: The starts a date can be worked out from with the tax period alone; the others need a filing, a due date or the day
#: registration was due (``registration_due``: a period the statute counts for an unregistered seller from the day it
#: should have registered, which nexus does not know, so the period is said in words).
DATED = ("end_of_tax_period", "end_of_calendar_year", "july_1_following_year")
#: The starts a date can be worked out from where the period says the due date (its ``due``); a filing never can.
DUE_STARTS = ("return_due", "end_of_year_return_due", "end_of_year_payment_due")
#: Which return a due date is of (the table's ``kinds.due.return``): a month's own return, the annual return of the
#: calendar year the month falls in, the return of the calendar quarter it falls in (where the law counts the period
#: from the quarterly period whatever the filing frequency: California), or the final return of the half-year it falls
#: in (where the law's taxable periods are January to June and July to December: Korea's VAT).
RETURNS = ("monthly", "annual", "quarterly", "half_yearly")
#: The returns a registration row's filing frequency names, whose due dates ``data/penalties-interest.json``'s
#: ``returns`` may hold (a half-yearly return's is only ever a period of limitation's).
FILED = ("monthly", "quarterly", "annual")
#: How many months the periods of a quarterly or half-yearly return span (they start in January).
_MONTHS_IN = {"quarterly": 3, "half_yearly": 6}
#: The words a period may be instead of a number of years or months (the table's ``kinds.terms``).
WORDS = ("same", "unlimited", "unknown")
#: What each answer means, for a reader of the JSON and CSV (docs/json.md).
STATUSES = ("run", "partly run", "running", "not running", "unknown")


def _day_in(year: int, month: int, day: int | None) -> date:
    """The ``day`` of the month ``month`` months after January of ``year`` (0 is that January, 12 the next): its last
    day where ``day`` is None or the month is shorter."""
    year, index = divmod(year * 12 + month, 12)
    last = calendar.monthrange(year, index + 1)[1]
    return date(year, index + 1, last if day is None else min(day, last))


@dataclass(frozen=True)
class Due:
    """When a tax period's return (or, for a period counted from the payment deadline, its payment) was due.

    ``period`` is which return (:data:`RETURNS`): a month's tax goes on that month's return, on the annual return
    of its calendar year, on the return of its calendar quarter, or on the final return of its half-year. The return
    is due ``months`` after the end of that period, on ``day`` (None: the month's last
    day), or on the day ``exceptions`` gives for a tax month (Denmark's June). ``assumed`` says the monthly period is
    nexus's assumption (DECISIONS.md: monthly filing) where the law also allows other periods. ``effective_from`` is
    the first tax period the rule is used for: earlier periods are ``unknown``, never given a later period's date.
    ``next_working_day`` moves a due date on a Saturday or Sunday to the Monday, where a source says the deadline
    moves, and past the jurisdiction's public holidays too where ``holidays`` holds them for that year
    (:mod:`nexus.holidays`: Korea's); elsewhere the answer says the holidays are not modelled or not known.
    """

    period: str
    months: int
    day: int | None
    cite: str
    effective_from: date
    sources: tuple[str, ...]
    assumed: bool = False
    exceptions: tuple[tuple[int, int, int | None], ...] = ()
    next_working_day: bool = False
    holidays: Holidays | None = None

    def of(self, month: date) -> date:
        """The due date for the tax of the monthly period ``month``, moved where the law moves it."""
        return self._moved(self._unmoved(month))

    def _unmoved(self, month: date) -> date:
        """The due date for the tax of the monthly period ``month`` as the statute words it, before any move."""
        if self.period == "annual":
            day = _day_in(month.year, 11 + self.months, self.day)
        elif self.period in _MONTHS_IN:
            size = _MONTHS_IN[self.period]
            day = _day_in(month.year, (month.month - 1) // size * size + size - 1 + self.months, self.day)
        else:
            months, on = next(((m, d) for tax_month, m, d in self.exceptions if tax_month == month.month),
                              (self.months, self.day))
            day = _day_in(month.year, month.month - 1 + months, on)
        return day

    def _moved(self, day: date) -> date:
        """``day`` moved off a weekend (to the Monday) and, in the years the holidays are known, off public holidays."""
        if not self.next_working_day:
            return day
        if self.holidays is not None and self.holidays.covers(day):
            return self.holidays.next_working_day(day)
        return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day

    def moves(self, months: Sequence[date]) -> str:
        """How the due dates of ``months`` were moved, in words: off weekends and public holidays, off weekends only
        (the holidays not modelled for the place, or not known for a year), or not at all."""
        if not self.next_working_day:
            return "not moved off weekends or public holidays"
        if self.holidays is None:
            return "moved off weekends, not off public holidays"
        unknown = sorted({self._unmoved(m).year for m in months if not self.holidays.covers(self._unmoved(m))})
        if unknown:
            return (f"moved off weekends and public holidays, those of {', '.join(map(str, unknown))} not known: "
                    f"off weekends only there")
        return "moved off weekends and public holidays"

    def label(self, month: date) -> str:
        """The return's period in words: ``2021-06``, ``2019`` for an annual return, ``2021-Q2`` for a quarterly one,
        ``2021-H1`` for a half-year's."""
        if self.period in _MONTHS_IN:
            size = _MONTHS_IN[self.period]
            return f"{month.year}-{'Q' if size == 3 else 'H'}{(month.month - 1) // size + 1}"
        return str(month.year) if self.period == "annual" else f"{month:%Y-%m}"


@dataclass(frozen=True)
class Term:
    """A period of limitation: ``years`` and ``months`` from ``starts``, or one of :data:`WORDS` in ``word``;
    ``when`` says in which cases a longer (extended) period applies; ``due`` the due date a period counted from one
    needs."""

    years: int = 0
    months: int = 0
    starts: str = ""
    word: str = ""
    when: str = ""
    due: Due | None = None

    @property
    def dated(self) -> bool:
        """Whether an end date can be worked out from a tax period alone, or with the due date the row says (never for
        one counted from a filing)."""
        return not self.word and (self.starts in DATED or (self.starts in DUE_STARTS and self.due is not None))

    def ends(self, month: date) -> date:
        """The last day tax of the monthly period ``month`` can be assessed: the start, plus the period (a period that
        starts on July 1 of the next year ends on the same day so many years later, the day it is fulfilled; one
        counted from a due date ends on that day of the month so many years later)."""
        if self.starts == "july_1_following_year":
            return date(month.year + 1 + self.years + (6 + self.months) // 12, (6 + self.months) % 12 + 1, 1)
        if self.due is not None and self.starts in DUE_STARTS:
            due = self.due.of(month)
            if self.starts == "return_due":
                return _day_in(due.year, due.month - 1 + self.years * 12 + self.months, due.day)
            start_year, start_month = due.year, 12
        elif self.starts == "end_of_calendar_year":
            start_year, start_month = month.year, 12
        else:
            start_year, start_month = month.year, month.month
        return _day_in(start_year, start_month - 1 + self.years * 12 + self.months, None)

    def due_words(self, first: date, last: date) -> str:
        """Which due dates the answer assumed: ``the return for 2019-05 was due 2019-06-25 and the one for 2021-06 on
        2021-08-17 (assumed monthly filing; ML § 57(2))``, or "" where the period needs none."""
        due = self.due
        if due is None or self.starts not in DUE_STARTS:
            return ""
        what = "tax" if self.starts == "end_of_year_payment_due" else (
            "annual return" if due.period == "annual" else "return")
        verb = "fell due for payment on" if what == "tax" else "was due"
        said = f"the {what} for {due.label(first)} {verb} {due.of(first)}"
        if due.label(last) != due.label(first):
            said += f" and the one for {due.label(last)} on {due.of(last)}"
        how = ["assumed monthly filing"] if due.assumed else []
        if self.starts == "return_due":
            how.append(due.moves((first, last)))
        return said + f" ({'; '.join(how + [due.cite])})"

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


def _day(value: Any, where: str) -> int | None:
    if value == "last":
        return None
    if not isinstance(value, int) or not 1 <= value <= 31:
        raise RulesError(f"{where}: day {value!r} is not a day of the month (1 to 31) nor 'last'")
    return value


def _months_after(value: Any, where: str) -> int:
    if not isinstance(value, int) or value < 0:
        raise RulesError(f"{where}: months {value!r} is not a number of months after the period's end")
    return value


def _due(value: Any, starts: str, where: str) -> Due:
    """The period's ``due`` object, checked: which return, months and day after its period's end, the statute."""
    where = f"{where}, due"
    if starts not in DUE_STARTS:
        raise RulesError(f"{where}: a due date is said only for a period that starts at one "
                         f"({', '.join(DUE_STARTS)}), not {starts!r}")
    return parse_due(value, where)


def parse_due(value: Any, where: str) -> Due:
    """A return's due date as the tables write it (``return``, ``months``, ``day``, ``except``, ``cite``,
    ``effective_from``, ``sources``, ``next_working_day``), checked: one reading for the periods of limitation and for
    the due dates of monthly, quarterly and annual returns in ``data/penalties-interest.json``
    (:mod:`nexus.penalties`)."""
    if not isinstance(value, dict) or value.get("return") not in RETURNS:
        raise RulesError(f"{where}: 'return' must be one of {', '.join(RETURNS)}")
    if not value.get("cite") or not value.get("sources"):
        raise RulesError(f"{where}: a due date needs 'cite' and 'sources'")
    exceptions = tuple((int(month), _months_after(rule.get("months"), where), _day(rule.get("day"), where))
                       for month, rule in value.get("except", {}).items())
    if any(not 1 <= month <= 12 for month, _, _ in exceptions) or (exceptions and value["return"] != "monthly"):
        raise RulesError(f"{where}: 'except' names tax months 1 to 12 of a monthly return")
    return Due(value["return"], _months_after(value.get("months"), where), _day(value.get("day"), where),
               value["cite"], _date(value.get("effective_from"), where), tuple(value["sources"]),
               value.get("assumed") is True, exceptions, value.get("next_working_day") is True)


@lru_cache(maxsize=1)
def return_dues() -> tuple[tuple[str, Due], ...]:
    """``data/penalties-interest.json``'s ``returns``: each place's monthly, quarterly and annual returns' due dates
    that are not a period of limitation's, with their statutes, checked as the periods of limitation's due dates are
    (:func:`parse_due`) and moved past the place's public holidays where its row moves them off weekends
    (:func:`_due_with_holidays`). The estimate's penalties and interest run from a monthly row's day
    (:func:`monthly_due`) and from a quarterly or annual row's where a registration row gives that filing frequency,
    and so do the periods counted from a return's due date."""
    found = []
    for i, r in enumerate(datafiles.document("penalties-interest.json").get("returns", []), start=1):
        where = f"penalties-interest.json returns row {i} ({r.get('jurisdiction')})"
        due = parse_due(r, where)
        if due.period not in FILED or not r.get("last_verified"):
            raise RulesError(f"{where}: a row gives a monthly, quarterly or annual return's due date, with "
                             f"last_verified")
        found.append((r["jurisdiction"], _due_with_holidays(due, r["jurisdiction"])))
    return tuple(found)


def return_due(place: str, frequency: str) -> Due | None:
    """When ``place``'s ``frequency`` (quarterly, annual) return is due, or None where the table does not say: a due
    date is never assumed for a return other than the monthly one (:func:`nexus.penalties.due_date`)."""
    return next((due for where, due in return_dues() if where == place and due.period == frequency), None)


def _monthly_sources() -> Iterator[tuple[str, str, Due]]:
    """Every monthly return's due date in the data, as (place, table, due): the periods of limitation's (any of a
    row's periods), then the ``returns`` table's. Only a ``monthly`` return's: a quarterly, half-yearly or annual
    return's due date is never a month's."""
    for rule in limitation_rows():
        for term in (rule.period, rule.no_return, rule.extended):
            if term.due is not None and term.due.period == "monthly":
                yield rule.jurisdiction, "limitation-periods.json", term.due
    for place, due in return_dues():
        if due.period == "monthly":
            yield place, "penalties-interest.json returns", due


def _same_day(one: Due, other: Due) -> bool:
    return (one.months, one.day, one.exceptions, one.next_working_day) == (
        other.months, other.day, other.exceptions, other.next_working_day)


@lru_cache(maxsize=1)
def _monthly_dues() -> dict[str, tuple[Due, ...]]:
    """Each place's monthly returns' due dates in the data (:func:`_monthly_sources`), one per first tax period they
    are used for, latest first. Two due dates giving one place different days for the same tax periods are an error
    naming the place and both sources, since either would silently decide the estimate's penalties and interest: two
    of one table held from the same tax period, or two of different tables at all (each is held open-ended, so
    they overlap from the later one's first period)."""
    found: dict[str, dict[date, tuple[str, Due]]] = {}
    for place, table, due in _monthly_sources():
        held = found.setdefault(place, {})
        for other_table, other in held.values():
            if not _same_day(other, due) and (other.effective_from == due.effective_from or other_table != table):
                tables = table if other_table == table else f"{other_table} and {table}"
                start = max(other.effective_from, due.effective_from)
                raise RulesError(f"{tables} ({place}): two monthly due dates for tax periods from {start:%Y-%m} "
                                 f"({other.cite}; {due.cite})")
        held.setdefault(due.effective_from, (table, due))
    return {place: tuple(d for _, (_, d) in sorted(by_start.items(), reverse=True))
            for place, by_start in found.items()}


def monthly_due(place: str, month: date) -> Due | None:
    """When ``place``'s return for the tax month ``month`` is due, as the data give it (the monthly due dates of the
    periods of limitation's rows, ``data/limitation-periods.json``, and of ``data/penalties-interest.json``'s
    ``returns``), or None where no row gives it for that month: the estimate then assumes the 20th of the next month,
    and says so (:func:`nexus.penalties.due_date`)."""
    return next((d for d in _monthly_dues().get(place, ()) if d.effective_from <= month), None)


def _due_with_holidays(due: Due, jurisdiction: str) -> Due:
    """``due``, moved past ``jurisdiction``'s public holidays too where it moves off weekends and nexus holds those
    holidays (:mod:`nexus.holidays`): one reading for every row that says next_working_day, in either table."""
    return replace(due, holidays=holidays_of(jurisdiction)) if due.next_working_day else due


def _with_holidays(term: Term, jurisdiction: str) -> Term:
    """``term``, its due date moved past ``jurisdiction``'s public holidays where it moves off weekends
    (:func:`_due_with_holidays`)."""
    if term.due is None:
        return term
    return replace(term, due=_due_with_holidays(term.due, jurisdiction))


def _term(value: Any, where: str) -> Term:
    if isinstance(value, str):
        if value not in WORDS:
            raise RulesError(f"{where}: {value!r} is not a period nor one of {', '.join(WORDS)}")
        return Term(word=value)
    dated = isinstance(value, dict) and (value.get("years") or value.get("months"))
    if not dated or value.get("starts") not in STARTS:
        raise RulesError(f"{where}: a period needs years or months and 'starts', one of {', '.join(STARTS)}")
    due = _due(value["due"], value["starts"], where) if "due" in value else None
    return Term(int(value.get("years") or 0), int(value.get("months") or 0), value["starts"],
                when=value.get("when", ""), due=due)


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
        place = r["jurisdiction"]
        rows.append(LimitationRule(
            place, r["name"], _date(r["effective_from"], where),
            _date(r["effective_to"], where) if r.get("effective_to") else None, r.get("cite", ""),
            _with_holidays(period, place), _with_holidays(_term(r.get("no_return", "unknown"), f"{where}, no_return"),
                                                          place),
            _with_holidays(_term(r.get("extended", "unknown"), f"{where}, extended"), place), tuple(r["sources"]),
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


def _refiled(rule: LimitationRule, held: Due | None) -> LimitationRule:
    """``rule`` with its extended period counted from the return the registration files (``held``), where that period's
    due date is the monthly one nexus assumes."""
    e = rule.extended
    if held is None or e.due is None or not e.due.assumed:
        return rule
    return replace(rule, extended=replace(e, due=held))


def assess(place: str, start: date, end: date, as_of: date,
           rows: Sequence[LimitationRule] | None = None, filing: str = "") -> Limitation:
    """Whether the tax of the days ``start`` to ``end`` in ``place``, declared on no return, can still be assessed
    on ``as_of``: the statute's period for a seller that filed no return (the period itself where the sources give
    no separate rule), each monthly tax period's last day, and the statute and sources. ``filing`` is the frequency a
    registration row gives (quarterly, annual; "" where none does): a period counted from a return's due date that the
    row's ``due`` gives for monthly filing assumed is counted from that frequency's return instead (:func:`return_due`),
    and is ``unknown`` where nexus's data hold no due date for it."""
    rule = limitation_rule(place, as_of, rows)
    if rule is None:
        return Limitation("unknown", f"unknown: nexus's data hold no period of limitation for {place}; the window "
                          f"is listed however old it is.")
    cite = f", {rule.cite}" if rule.cite else ""
    held = return_due(place, filing) if filing in ("quarterly", "annual") else None
    extra = _extended(_refiled(rule, held), end) + (f" {rule.also}" if rule.also else "")
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
    if filing in ("quarterly", "annual") and found.due is not None and found.due.assumed:
        if held is None:
            return Limitation("unknown", f"unknown: {basis}; the registration row gives {filing} returns, and nexus's "
                              f"data hold no due date for {place}'s {filing} return, so no date can be worked out."
                              + extra, sources=rule.sources, confidence=rule.confidence)
        found = replace(found, due=held)
        extra = f" Counted from the {filing} returns the registration row gives ({held.cite})." + extra
    months = _months(start, end)
    sources = rule.sources + tuple(s for s in (found.due.sources if found.due else ()) if s not in rule.sources)
    if found.due is not None and months[0] < found.due.effective_from:
        return Limitation("unknown", f"unknown: {basis}; nexus's data hold that due date ({found.due.cite}) for tax "
                          f"periods from {found.due.effective_from:%Y-%m} only, and the window starts in "
                          f"{months[0]:%Y-%m}, so no date can be worked out." + extra,
                          sources=sources, confidence=rule.confidence)
    dues = found.due_words(months[0], months[-1])
    extra = (f" {dues[0].upper()}{dues[1:]}." if dues else "") + extra
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
    return Limitation(status, said + extra, ends[0], ends[-1], sources, rule.confidence)
