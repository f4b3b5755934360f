"""The memo's jurisdictions table, most urgent first, and the words of a finding the other sections share (its
label, what to do by when, how long ago); the templates only lay it out.

Every figure is one a finding already carries (sales, ratios, dates, actions): this module picks, orders and
formats them. It computes no tax figure of its own, so the memo and the workbook cannot disagree. Money, and the
tax at stake, are worded by :mod:`nexus.memo.at_stake`, the only module that reads the estimates.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nexus.findings import CheckResult, Finding, owed_before, presence_only, status_words
from nexus.memo.at_stake import AtStake, exposure_of, money
from nexus.memo.maps import CATEGORIES, category_of
from nexus.report import threshold_share
from nexus.timing import Timing, act_by, ended_span, most_urgent_first

#: The Act by of a permit held where no test is met, in a state that keeps its holder liable until it is closed.
KEPT_PERMIT = "registered, though no test requires it: it may be closed; tax is due while it is held"


def label(f: Finding) -> str:
    if f.part_of:
        return f"{f.name} ({f.part_of} member, {f.scheme})" if f.scheme else f"{f.name} ({f.part_of} member)"
    return f"{f.name} ({f.scheme})" if f.scheme else f.name


def _test_words(f: Finding) -> str:
    """The test applied, in words; for a place listed for its presence alone, why there is none (as the workbook's
    Findings says it), never an empty cell."""
    if f.part_of:
        return f"see {f.part_of}"
    if presence_only(f):
        return "no sales here: presence only" if f.status != "not-covered" else "presence only"
    return f.rule.describe_threshold() if f.rule and f.rule.sales_tax else ""


def _nexus_words(f: Finding) -> str:
    """Whether nexus exists and why, with the sales test's status where it is not what creates nexus."""
    other = f.timing is not None and f.timing.since_from not in (None, f.nexus)  # Since is the other basis's
    if f.nexus == "economic":  # the badge says "sales": the test is met
        said = "" if f.status == "exceeded" else f"test met earlier, still in force (now {f.status})"
        return "; ".join(w for w in (said, "and physical presence, from the Since date" if other else "") if w)
    if f.nexus == "presence":
        said = f"sales test {status_words(f.status)}" if f.rule else ""
        return said + (" (met earlier: the Since date is the sales test's)" if other else "")
    if f.nexus == "establishment":
        return "established there"
    return ""  # the badge says it: watch, below, no data, no rule, no tax


@dataclass(frozen=True)
class Row:
    """One line of the jurisdictions table, with the keys its columns sort by when script is on."""

    order: int
    code: str
    name: str
    category: str
    css: str
    word: str
    nexus: str
    status: str
    since: str
    collect_from: str
    act_by: str
    act_sort: str
    overdue: bool
    sales: str
    sales_sort: str
    #: Under the sales, each on its line: the transactions and the tax charged on those sales in the same period (a
    #: CFO's "how many orders, and did we charge tax there?"), as the JSON's and the Findings sheet's figures.
    sales_notes: tuple[str, ...]
    ratio: str
    ratio_note: str  # "txns" where the transaction count gives the share: under it, as the period is under the test
    ratio_sort: str
    test: str
    period: str
    stake: AtStake


def is_collecting(f: Finding) -> bool:
    """Nexus, registered and collecting since tax was due: no exposure there (the terminal and the workbook's
    Summary leave it out of Act now too)."""
    return f.timing is not None and f.timing.action == "registered" and f.timing.gap is None


def ordered(result: CheckResult) -> list[Finding]:
    """Most urgent first, as the terminal's Act now: nexus from sales or presence (overdue first, then gaps,
    then deadlines ahead), then the places registered and collecting, then the home, then places approaching a
    threshold (closest first), then the rest."""
    nexus = [f for f in result.findings if f.nexus in ("economic", "presence") or owed_before(f)]
    # places registered and collecting since tax was due follow the places to act on, as on the screen, where they
    # are not in Act now: a gap in collection and a deadline ahead are not listed below them
    act = most_urgent_first([f for f in nexus if not is_collecting(f)])
    act += most_urgent_first([f for f in nexus if is_collecting(f)])
    homes = [f for f in result.findings if f.nexus == "establishment"]
    seen = {id(f) for f in act + homes}
    rest = [f for f in result.findings if id(f) not in seen]
    watch = sorted((f for f in rest if f.status == "approaching"), key=lambda f: -(f.ratio or 0))
    seen |= {id(f) for f in watch}
    return act + homes + watch + [f for f in rest if id(f) not in seen]


def elapsed(start: date, end: date) -> str:
    """How long from ``start`` to ``end``, as a person says it: days under two months, whole months under two
    years, then years ("over 7 years" for 2019-04-01 to 2026-10-31, where the screen says 2770 d: the date beside it
    is exact, and a column of "7 years 6 months" broke inside its words)."""
    months = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
    if months >= 24:
        return ("over " if months % 12 else "") + f"{months // 12} years"
    if months >= 2:
        return f"{months} months"
    days = (end - start).days
    return f"{days} day{'s' * (days != 1)}"


def act_words(t: Timing | None, as_of: date) -> str:
    """What to do by when, in the CFO's words: the memo's reading of the short words the screen and the workbook
    share (:func:`nexus.timing.act_by`: ``overdue 2770 d``, ``gap 59 d``, ``monitor``), from the same dates."""
    if t is None:
        return ""
    if t.action == "register-now":
        if t.register_by is None:
            return ("register now (the registrations file holds no permit)" if t.home_permit else
                    "register now (no start date in the presence file)")
        how_long = elapsed(t.register_by, as_of).replace(" ", "\u00a0")  # wraps as a whole, never "(7 / years)"
        return f"overdue since {t.register_by} ({how_long})" if t.overdue_days else "due today"
    if t.action == "register-by":
        return f"register by {t.register_by}"
    if t.action == "registered" and t.gap is not None:
        return f"registered late: {t.gap.days} days not covered"
    if t.action == "monitor":
        ended = [w for w in t.windows if w.since is not None and w.until is not None]
        if ended:  # a window that has ended left its deadline behind: "no deadline yet" denied it
            spans = "; ".join(ended_span(w) for w in ended)
            return f"no deadline now; nexus ended ({spans}): tax for it may still be owed"
        return "no deadline yet"
    return act_by(t).replace("ended", "nexus ended")  # registered, or a window of nexus that has ended


def _act_sort(f: Finding) -> str:
    t = f.timing
    if t is None or t.action is None:
        return "9"
    rank = {"register-now": "0", "registered": "1", "register-by": "2"}.get(t.action, "3")
    return f"{rank} {t.register_by or '9999-12-31'}"


def rows(result: CheckResult) -> list[Row]:
    out = []
    unneeded = {id(r) for r in result.unneeded_registrations}
    kept = {id(r) for r, _ in result.kept_permits}
    charged = charged_anywhere(result)
    for i, f in enumerate(ordered(result)):
        key = category_of(f)
        c = CATEGORIES[key]
        t = f.timing
        has_sales = f.rule is not None and f.rule.sales_tax and bool(f.currency) and not f.uncovered
        out.append(Row(
            i, f.jurisdiction, label(f), key, c.css, c.word, _nexus_words(f), f.status,
            str(t.nexus_since or "") if t else "", str(t.collect_from or "") if t else "",
            (KEPT_PERMIT if id(t.registration) in kept else "registered, though no test requires it")
            if t is not None and t.registration is not None and id(t.registration) in unneeded
            else act_words(t, result.as_of),
            _act_sort(f),
            bool(t and t.action == "register-now"),
            money(f.sales, f.currency) if has_sales else ("not covered" if f.uncovered else ""),
            f"{f.currency} {f.sales:020.2f}" if has_sales else "",
            _sales_notes(f, charged) if has_sales else (),
            *_share_and_note(f),
            f"{f.ratio:09.4f}" if f.ratio is not None and not f.uncovered else "",
            _test_words(f),
            f"{f.period.start} to {f.period.end}" if f.period else "",
            exposure_of(f)))
    return out


def charged_anywhere(result: CheckResult) -> bool:
    """Whether the orders charged tax on the sales counted in any place: where none did, the table's note says so
    once, and its rows do not repeat "no tax charged" (a line more in every row gave the sample memo a page more)."""
    return any(f.tax_charged for f in result.findings)


def sales_words(result: CheckResult) -> str:
    """What the Sales column holds, said above the table: the period of its figures, and how the tax charged reads."""
    said = "Sales are those counted in the period measured (under the test), with their transactions"
    if charged_anywhere(result):
        return said + " and the tax the orders charged on them (\"tax\" and its amount; \"no tax charged\" where none)."
    # "show": a layout without a tax column (Adobe Commerce's) charges none that the orders can tell
    return said + "; the orders show no tax charged on the sales counted in any of these places."


def _sales_notes(f: Finding, charged: bool) -> tuple[str, ...]:
    """The transactions and, where the orders charged tax in some place (``charged``), the tax charged in the period
    measured, in the finding's currency: "no tax charged" where they charged none there, never a blank to guess."""
    notes: tuple[str, ...] = ((f"{f.transactions:,} transaction{'s' * (f.transactions != 1)}",)
                              if f.transactions is not None else ())
    if charged and f.tax_charged is not None:
        # "tax USD 1,081.62": "tax charged USD" broke the column's one line in two in every such row
        notes += (f"tax {money(f.tax_charged, f.currency)}" if f.tax_charged else "no tax charged",)
    return notes


def _share_and_note(f: Finding) -> tuple[str, str]:
    """The share of the threshold and, under it, "txns" where the transaction count gives it (the column is too
    narrow for "159% txns" on one line: it broke inside the word)."""
    share, by_count = threshold_share(f)
    return share, "txns" if by_count else ""
