"""What the registrations file says, or leaves unsaid, of a finding's permit, in words: a US state as home whose
permit the file lacks (:func:`permit_missing`), holds late (:func:`late_permit`), or holds for a state with no sales
tax to collect (:func:`not_needed`); and a registration made after the as-of date, which is not counted
(:func:`made_later`).

:func:`nexus.check.check` asks these of each finding as it dates it; the screen, the report and the memo find the
sentences by how they begin (:data:`NOT_NEEDED`, :data:`NO_PERMIT`, :data:`LATE_PERMIT`).
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Sequence

from nexus import places
from nexus.findings import Finding
from nexus.registrations import Registration, held_by
from nexus.rules import Rule
from nexus.timing import Gap, Timing
from nexus.windows import Window


def _sales_tax_home(f: Finding) -> Rule | None:
    """The rule of ``f`` where it is the home and a US state, whose rule is a sales tax (levied or not: Oregon's rule
    says it is not), else None: a permit there is held, lacking, late or not needed."""
    return f.rule if f.status == "established" and f.rule is not None and f.rule.tax == "sales tax" else None


def permit_missing(f: Finding, registrations: Sequence[Registration], as_of: date) -> bool:
    """Whether ``f`` is a US state as home with a registrations file that holds no permit for it on ``as_of``: a
    seller with a place of business there holds one whatever its sales (the home's reasons say so), and the file is
    where it would be. Without a registrations file: False, as nexus cannot tell a permit held from one not given."""
    rule = _sales_tax_home(f)
    if rule is None or not rule.sales_tax or not registrations:
        return False
    # A permit closed before the as-of date is no longer held: the home lacks one from the day after.
    return not any(r.covers(f.jurisdiction) and r.held_on(as_of)
                   for r in held_by(registrations, as_of))


#: How the reason begins that says a registrations file's row for a home state with no sales tax is not needed
#: (:func:`not_needed`), which the screen and the memo find.
NOT_NEEDED = "Row not needed:"


def not_needed(f: Finding, registrations: Sequence[Registration]) -> tuple[str, ...]:
    """A home state with no sales tax (Oregon) whose registrations file holds a row for it: a seller there has no
    permit to hold, so the row is said to be not needed rather than read as a permit held ('Registered on ...')."""
    rule = _sales_tax_home(f)
    if rule is None or rule.sales_tax:
        return ()
    name = places.in_prose(f.name)
    return tuple(f"{NOT_NEEDED} the registrations file holds a row for {name} ({r.reference}), but a seller there "
                 f"has no {rule.tax} permit to hold." for r in registrations if r.jurisdiction == f.jurisdiction)


#: How the reason begins that says a US state as home lacks its permit (:func:`permit_words`), which the memo finds.
NO_PERMIT = "Register now: the registrations file"


def permit_words(f: Finding, registrations: Sequence[Registration], timing: Timing, as_of: date) -> str:
    """The permit a US state as home lacks (:func:`permit_missing`), in words, and from when its tax is at stake."""
    assert f.rule is not None
    name = places.in_prose(f.name)
    files = ", ".join(dict.fromkeys(r.source.file for r in registrations))
    days = (as_of - timing.nexus_since).days if timing.nexus_since else 0
    since = (f"from {timing.nexus_since}, the day the presence file gives for the seller's presence there, "
             f"{days} day{'s' * (days != 1)} before the as-of date" if timing.nexus_since else
             "from the day the business began there, which nexus is not given (list the office in the presence "
             "file with its since date): the estimate counts from the first order")
    return (f"{NO_PERMIT} ({files}) holds no {f.rule.tax} permit for {name}, which a seller with a place of business "
            f"there must hold. The {f.rule.tax} on its sales there is at stake {since}.")


def home_windows(f: Finding, windows: Sequence[Window]) -> list[Window]:
    """The windows of a US state as home whose permit is missing or late: its tax runs from the day the business
    began there, its own presence where the presence file dates one, else a day nexus is not given (an undated
    window, which the estimate counts from the first order). The remote-seller test, for information at home, dates
    nothing."""
    return [w for w in windows if w.basis == "presence" and w.since is not None] or [
        Window("establishment", None, None, None, None, f"the seller's home, {places.in_prose(f.name)}")]


def late_permit(f: Finding, held: Sequence[Registration], windows: Sequence[Window], data_from: date,
                as_of: date) -> Registration | None:
    """The permit a US state as home holds whose collection began after the business began there (``windows``,
    :func:`home_windows`; undated, the first order), or None. A seller established there holds one before it sells
    there, so the tax on the sales of the days between was not collected and is at stake."""
    rule = _sales_tax_home(f)
    if rule is None or not rule.sales_tax:
        return None
    permit = next((r for r in held if r.jurisdiction == f.jurisdiction), None)
    began = _began(windows, data_from)
    return permit if permit is not None and began <= as_of and permit.collecting_from > began else None


def _began(windows: Sequence[Window], data_from: date) -> date:
    """The day the business began at home as nexus knows it: its dated presence, else the first order."""
    return min((w.collect_from for w in windows if w.collect_from is not None), default=data_from)


#: How the reason begins that says a US state as home took its permit, or began collecting under it, after its business
#: began there (:func:`_late_words`), which the screen, the workbook and the memo find.
LATE_PERMIT = ("Permit taken late:", "Collection began late:")


def late_timing(f: Finding, permit: Registration, timing: Timing, windows: Sequence[Window], data_from: date,
                as_of: date) -> Timing:
    """The timing of a US state as home with a late permit (:func:`late_permit`): the days not collected are its gap
    (from the first order where the day the business began is not given), said once in words that name the permit
    and both days, in place of the registration's generic words."""
    gap = Gap(_began(windows, data_from), min(permit.collecting_from - timedelta(days=1), as_of))
    dated = any(w.collect_from is not None for w in windows)
    reasons = tuple(r for r in timing.reasons if not r.startswith("Registered on"))
    return replace(timing, gap=gap, reasons=reasons + (_late_words(f, permit, gap, dated),))


def _late_words(f: Finding, permit: Registration, gap: Gap, dated: bool) -> str:
    """The late permit of a US state as home in words: which permit, from when, the day the business began there (or
    that it is not given), and the days whose tax is at stake."""
    assert f.rule is not None
    tax, name = f.rule.tax, places.in_prose(f.name)
    taken_late = permit.registered_on > gap.start  # else registered in time, collecting only later
    collecting = f", collecting from {permit.collecting_from}" if permit.collecting_from != permit.registered_on else ""
    when = (f"registered on {permit.registered_on}{collecting}" if taken_late else
            f"registered on {permit.registered_on} but collects only from {permit.collecting_from}")
    began = (f"after the business began there on {gap.start}, the day the presence file gives for the seller's "
             f"presence there" if dated else f"after the first order on {gap.start}")
    to = f"{gap.end}{', the as-of date' if gap.end < permit.collecting_from - timedelta(days=1) else ''}"
    days = f"{gap.days} day{'s' * (gap.days != 1)}"
    at_stake = (f"The {tax} on its sales there from {gap.start} to {to} ({days}) is at stake." if dated else
                f"The {tax} on its sales there from the first order to {to} ({days}) is at stake; the day the business "
                f"began there is not given to nexus (list the office in the presence file with its since date), so "
                f"any earlier days are not estimated.")
    return (f"{LATE_PERMIT[0] if taken_late else LATE_PERMIT[1]} the registrations file's {tax} permit for {name} "
            f"({permit.reference}) was {when}, {began}; a seller with a place of business there must hold one and "
            f"collect from the start. {at_stake}")


def made_later(registrations: Sequence[Registration], f: Finding, timing: Timing, as_of: date) -> tuple[str, ...]:
    """Why a registration the file holds for a place still to register is not counted: it was made after the as-of
    date (a past day checked with today's file, or a year mistyped), so 'no registration covers it' is explained."""
    if timing.action not in ("register-now", "register-by"):
        return ()
    return tuple(f"The registrations file's registration for {r.jurisdiction} ({r.source.file}:{r.source.line}) was "
                 f"made on {r.registered_on}, after the as-of date: it was not held on {as_of} and is not counted."
                 for r in registrations if r.registered_on > as_of and r.covers(f.jurisdiction, f.part_of))
