"""The memo's headline: where the company has potential exposure and how much, the oldest overdue registration
and the next deadline, counted as the terminal's Act now and the workbook's Summary count them; and the home's
line on the first page, with its paragraph under Jurisdictions.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from nexus.check import UNKNOWN_BEFORE_DUTY
from nexus.findings import CheckResult, Finding, owed_before
from nexus.memo.at_stake import AtStake, money, total_of
from nexus.memo.maps import CATEGORIES, category_of
from nexus.memo.jurisdictions import act_words, elapsed, is_collecting, label
from nexus.permits import LATE_PERMIT, NO_PERMIT, NOT_NEEDED
from nexus.report import home_not_checked, home_tax_from, no_exposure_found
from nexus.timing import Timing


@dataclass(frozen=True)
class Headline:
    as_of: date
    counts: tuple[tuple[str, int, str], ...]  # (category key, count, words)
    overdue: int
    oldest: str
    next_deadline: str
    total: AtStake
    sentence: str
    home: str = ""  # the home's line (:func:`home_words`), empty without --home


def headline(result: CheckResult) -> Headline:
    counts = []
    for key in ("economic", "presence", "establishment", "approaching", "below", "presence-only", "not-covered",
                "no-rule", "no-sales-tax"):
        n = sum(1 for f in result.findings if category_of(f) == key)
        if n:
            counts.append((key, n, CATEGORIES[key].legend))
    late: list[tuple[date, Finding, Timing]] = []
    ahead: list[tuple[date, Finding, Timing]] = []
    for f in result.findings:
        t = f.timing
        if t is not None and t.action == "register-now":
            late.append((t.register_by or date.min, f, t))  # undated presence: no date to wait for
        elif t is not None and t.action == "register-by" and t.register_by:
            ahead.append((t.register_by, f, t))
    oldest_words = next_words = ""
    if late:
        _, f, t = min(late, key=lambda e: (e[0], e[1].jurisdiction))
        oldest_words = f"{label(f)} ({f.jurisdiction}): register now, " + (
            f"overdue since {t.register_by} ({elapsed(t.register_by, result.as_of)})" if t.overdue_days else
            "the deadline is today" if t.register_by else
            "no permit held at home" if t.home_permit else "undated presence")
    if ahead:
        _, f, t = min(ahead, key=lambda e: (e[0], e[1].jurisdiction))
        next_words = f"{label(f)} ({f.jurisdiction}): register by {t.register_by}"
    total = total_of(result)
    if not total.estimated and not result.past_windows and not any(f.nexus in ("economic", "presence") or
                                                                   owed_before(f) for f in result.findings):
        # "not estimated" would say one is missing; tax that may be owed before the orders stays said beside it
        total = AtStake("none in the days the orders cover" if total.more else
                        "none: no jurisdiction has potential exposure", more=total.more)
    # a deadline that falls on the as-of date is due today, not overdue (the screen's "due today", the Timeline's flag)
    overdue = sum(1 for _, _, t in late if t.overdue_days or not t.register_by)
    return Headline(result.as_of, tuple(counts), overdue, oldest_words, next_words, total,
                    _sentence(result, overdue), home_line(result))


def _home(result: CheckResult) -> Finding | None:
    return next((f for f in result.findings if f.nexus == "establishment"), None)


def home_line(result: CheckResult) -> str:
    """The home on the first page, in one short sentence: nexus by establishment, what registration asks now, and
    the tax estimated as not collected there. The home's paragraph (:func:`home_words`: the test measured, from when
    tax is due, what is not known or not checked) is under Jurisdictions: in the headline its nine lines sent the US
    map to page 2 with --home JP or US-CA (22 and 20 pages where the sample prints 19)."""
    f = _home(result)
    if f is None:
        return ""
    said = [f"{f.name} ({f.jurisdiction}), nexus by establishment"]
    if f.timing is not None and f.timing.action in ("register-now", "register-by", "registered"):
        act = act_words(f.timing, result.as_of)  # "register now (...)", or a date: "registration overdue since ..."
        said.append(act if act.startswith("register") else f"registration {act}")
    e = f.exposure
    if e is not None and e.start:
        said.append(f"tax not collected {e.start} to {e.end}: {money(e.uncollected.central, e.currency)}, in the "
                    f"total at stake")
    return "; ".join(said) + " (more: Home, under Jurisdictions)."


def home_words(result: CheckResult) -> str:
    """The home's line, as the screen's: nexus by establishment and what that asks of the seller there (a US
    home: "A seller with a place of business in California must hold a sales tax permit and collect there"; until
    now the memo did not say it, only the check's reasons), the registration a domestic test calls for (Japan's), in the
    memo's words, and the tax estimated as not collected."""
    for f in (h for h in (_home(result),) if h is not None):
        said = [f"{f.name} ({f.jurisdiction}), nexus by establishment."] + list(f.reasons[1:2])
        # the test measured, which that sentence calls 'below' (the screen's Home line gives it too): without it the
        # memo's 'measured below' and 'the remote-seller test below' pointed at nothing
        said += list(f.reasons[2:3]) if f.rule is not None else []
        said += [due for due in (home_tax_from(f),) if due]
        # a US home's permit the registrations file lacks, or holds from after the business began there, or a row
        # for a home state with no sales tax, which is not needed
        permit = [r for r in f.reasons if r.startswith((NO_PERMIT, NOT_NEEDED) + LATE_PERMIT)]
        if permit:
            said += permit
        elif f.timing is not None and f.timing.action in ("register-now", "register-by", "registered"):
            said.append(f"Registration: {act_words(f.timing, result.as_of)}.")
        e = f.exposure
        if e is not None and e.start:
            said.append(f"Estimated tax not collected from {e.start} to {e.end}: "
                        f"{money(e.uncollected.central, e.currency)} (in the total at stake).")
        said += [r for r in f.reasons if r.startswith(UNKNOWN_BEFORE_DUTY)]  # days before the duty, not known
        said += [n for n in (home_not_checked(f, "the workbook's Findings say why"),) if n]
        return " ".join(said)
    return ""


def _sentence(result: CheckResult, late: int) -> str:
    """The headline's sentence: the places with potential exposure, counted as the terminal's and the Summary's
    Act now count them, so that the memo and the workbook of one run say the same number."""
    if result.past_windows:  # tax that may still be owed for windows under rules no longer in force
        n = len(result.past_windows)
        past = f" Potential exposure also in {n} past window{'s' * (n != 1)} under rules no longer in force."
        return _sentence(replace(result, past_windows=()), late) + past
    nexus = [f for f in result.findings if f.nexus in ("economic", "presence")]
    collecting = sum(1 for f in nexus if is_collecting(f))
    exposed = sum(1 for f in result.findings
                  if (f.nexus in ("economic", "presence") or owed_before(f)) and not is_collecting(f))
    if not exposed:
        if collecting:
            every = "all registered" if collecting != 1 else "registered"
            return (f"Nexus in {collecting} jurisdiction{'s' * (collecting != 1)} as of {result.as_of}, "
                    f"{every} and collecting.")
        if result.home:
            return f"No nexus outside the home as of {result.as_of}."
        return no_exposure_found(result) or (f"No nexus as of {result.as_of}: no sales test is met and no presence "
                                             f"creates nexus; tax may be owed for days before the first order.")
    also = f" ({collecting} more registered and collecting)" if collecting else ""
    overdue = f"; {late} registration{'s are' if late != 1 else ' is'} overdue" if late else ""
    places_word = "jurisdiction" if exposed == 1 else "jurisdictions"
    return f"Potential tax exposure in {exposed} {places_word} as of {result.as_of}{also}{overdue}."
