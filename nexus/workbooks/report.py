"""The nexus report workbook: what an accountant opens in Excel, or prints, after ``nexus check``.

Declared through :mod:`nexus.workbooks.sheet`, which gives every sheet the print rules. Printed:

* **Summary**: one page: as of when, who and what was checked, the
  jurisdictions to act on first with their figures, those to watch, counts by
  status, the row account ("Yes" when every row is accounted for) and where
  to look next.
* **Chart**: each jurisdiction that matters as a share of its threshold, most
  severe at the top; the rest summed up in the title.
* **Findings**: one row per jurisdiction. The printed columns end with *Why*;
  the reasons in full, the rates used and every source (as links) follow.
* **Presence** (with ``--presence``): each item and its verdict.
* **Rules**: the rule applied per jurisdiction, its dates and first source;
  every other field follows, not printed.
* **Assumptions** (with an estimate of the money at stake): what it assumes,
  leaves out and rests on (:mod:`nexus.workbooks.exposure`).

Appendices, hidden and so not printed: **Exposure** (the estimates month by month, as formulas),
**Monthly detail** (each period's
months, with ``SUM`` totals an auditor can follow, stored with their values),
**Rejected rows** (every row not counted, with a note of those not listed),
**Chart data**, **Categories** (each finding's lines and sales by category and by
where the category came from: the order rows, the products file, a tax code,
the platform's signal, or unknown).
"""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Callable, Iterator, Sequence

from nexus import __version__, row_account
from nexus.assumed import estimated
from nexus.categories import SOURCE_WORDS, SOURCES
from nexus.findings import (PRESENCE_ONLY, STATUSES, CheckResult, Finding, also_approaching, ended_basis, owed_before,
                            presence_only, shown_status)
from nexus.lapsed import PAST_ONLY
from nexus.measures import shown_share
from nexus.money import quantize
from nexus.report import (before_the_orders, coverage_assumptions, home_paragraph, no_exposure_found,
                          register_again_words, registered_and_collecting, registered_needlessly, threshold_share)
from nexus.timeline import timeline
from nexus.timing import act_by, most_urgent_first
from nexus.rules import BASES, COMPARISONS, Rule
from nexus.orders import RowProblem
from nexus.ledger import Ledger, file_account, file_rows
from nexus.workbooks import exposure as money
from nexus.workbooks.sheet import (ChartSheet, Column, Field, Formula, Heading, Link, Page, Part, Sheet, Table,
                                   status_chart, write_workbook)

#: Rows of the Summary's Act now and Watch tables; the rest are counted, and are on Findings.
SUMMARY_ROWS = 10
#: Bars on the chart: every jurisdiction to act on or watch first, then the nearest below, up to this many.
CHART_ROWS = 25
NOT_COVERED = "not covered by the data"
_ASIDE = (("marketplace", "Marketplace excluded"), ("resale", "Resale excluded"), ("exempt", "Exempt excluded"),
          ("category", "Other categories excluded"), ("unknown", "Unknown category excluded"),
          ("refunds", "Refunds netted"))
_MEANING = {
    "exceeded": "sales test met: potential exposure unless registered and collecting",
    "established": "the seller's home jurisdiction: nexus by establishment",
    "approaching": "not met, but at or above the approaching level",
    "below": "below the approaching level",
    "presence only": "no sales there: listed for its physical presence (Presence sheet)",
    "not-covered": "every period measured lies before the first order: the data cannot say",
    "no-rule": "no rule in the data for the as-of date (sales not assessed)",
    "no-sales-tax": "no general sales tax",
}
MONTHLY = "Monthly detail"
CATEGORIES_SHEET = "Categories"
REJECTED = "Rejected rows"
CHART_DATA = "Chart data"


def needs_action(f: Finding) -> bool:
    """Act now: nexus exists, by the sales test, by establishment, or by a presence that creates it.

    Findings will carry ``nexus`` (economic, presence, establishment or None); where they do, it decides.
    """
    if hasattr(f, "nexus"):
        return getattr(f, "nexus") is not None or owed_before(f)
    return f.status in ("exceeded", "established") or f.presence_verdict == "creates"


def _approaching(f: Finding) -> str:
    """Why a place is watched: approaching, by its transactions where their count gives the Share (Virginia's 89%
    is 179 of 200 transactions, its USD 81,664.32 only 81% of USD 100,000), as the screen's "89% txns" says."""
    if threshold_share(f)[1]:
        return f"approaching: {f.transactions:,} transactions"
    return "approaching"


def _why_now(f: Finding) -> str:
    reasons = {"exceeded": "sales test met", "established": "home: established"}
    parts = [reasons[f.status]] if f.status in reasons else []
    if f.presence_verdict == "creates":
        parts.append("presence creates nexus")
    if not parts and owed_before(f):  # listed for the tax owed while a test was met, as the screen says
        parts.append({"presence": "presence created nexus (ended)", "sales test, presence":
                      "sales test met, presence (ended)"}.get(ended_basis(f), "sales test met (ended)"))
    if not parts and f.nexus == "economic":  # a test met before the period measured today, its nexus lasting
        parts.append("sales test met before; nexus lasts")
    return "; ".join(parts)


#: What the Sales column says where every period measured lies before the first order (as the memo and the
#: screen say it; JSON gives null): the sales are unknown, not zero.
UNKNOWN_SALES = "not covered"


def _sales(f: Finding) -> Any:
    if f.uncovered:
        return UNKNOWN_SALES
    return f.sales if f.rule and f.rule.sales_tax else None


def _transactions(f: Finding) -> Any:
    return f.transactions if f.rule and f.rule.sales_tax and not f.uncovered else None


def _ratio(f: Finding) -> Any:
    """The share of the threshold, none where the data cannot cover the period (0% would claim no sales)."""
    return None if f.uncovered or f.ratio is None else shown_share(f.ratio)


def _test(f: Finding) -> str:
    if presence_only(f):
        return "no sales here: presence only" if f.status != "not-covered" else "presence only"
    return f.rule.describe_threshold() if f.rule else ""


def _name(f: Finding) -> str:
    return f"{f.name} ({f.scheme})" if f.scheme else f.name


def _money(header: str, get: Any, **options: Any) -> Column:
    return Column(header, get, "money", currency=lambda r: r.currency if isinstance(r, Finding) else r["currency"],
                  **options)


# -- Summary ---------------------------------------------------------------------------------------------------

def _brief_columns() -> list[Column]:
    """The Summary's columns: the figures a reader acts on. The threshold test itself is on Findings; here
    it would double the Summary's width and halve the size it prints at. Why holds "sales test met; presence
    creates nexus" on one line: the one-page Summary is fitted to the page's height before its width, so a row
    wrapped to two lines shrinks it more than a wider column does."""
    return [Column("Code", lambda f: f.jurisdiction, width=8), Column("Jurisdiction", _name, width=24),
            Column("Why", _why_now, width=36), _money("Sales", _sales, width=16),
            Column("Share", _ratio, "ratio", width=7),
            Column("Act by", lambda f: act_by(f.timing), width=15)]


def _collecting(f: Finding) -> bool:
    """Registered, and collecting since tax was due: nothing to act on (DECISIONS: one line, not a row)."""
    return f.timing is not None and f.timing.action == "registered" and f.timing.gap is None


def _checked(result: CheckResult) -> list[Part]:
    ledger, s = result.ledger, result.ledger.summary()
    files = len(ledger.files)
    covered = (f", orders from {ledger.first_day} to {ledger.last_day}" if ledger.first_day else ", no orders")
    parts: list[Part] = [
        Field("As of", result.as_of, "date"),
        Field("Seller established in",
              result.home or "not given (--home): the rules for sellers established elsewhere apply"),
        Field("Orders checked", f"{s['rows_read']:,} rows in {files} file{'s' * (files != 1)}{covered}")]
    parts += [Field("Input file", f"{f['file']} ({file_rows(f)})") for f in file_account(ledger)]
    items = [v for f in result.findings for v in f.presence]
    if items:
        sources = sorted({v.item.source.file for v in items})
        parts.append(Field("Presence", f"{len(items)} item{'s' * (len(items) != 1)} from {', '.join(sources)}"))
    if result.rates is not None:
        newest = result.rates.latest(result.as_of) or "none on or before the as-of date"
        parts.append(Field("Exchange rates", f"{result.rates.source}, latest {newest} ({result.fx_policy} rates)"))
    else:
        parts.append(Field("Exchange rates", "none given (all sales counted were in the threshold's currency)"))
    parts.append(Field("Approaching at", f"{result.warn_at:.0%} of a threshold"))
    parts += _category_fields(result)
    if result.outside_rules:
        parts.append(Field("Not assessed (no rules yet)", ", ".join(result.outside_rules)))
    parts += [Field("Warning", w) for w in result.warnings]
    parts.append(Field("Tool", f"nexus {__version__}"))
    return parts


def _category_fields(result: CheckResult) -> list[Part]:
    """Where the lines' categories came from, when not all from the order rows, and the findings whose figure
    leaves out lines of unknown category."""
    by_source: dict[str, int] = {}
    for (_place, _code, _category, source), days in result.ledger.category_sources.items():
        by_source[source] = by_source.get(source, 0) + sum(n for _amount, n in days.values())
    if not any(n for source, n in by_source.items() if source != "column"):
        return []
    parts: list[Part] = [Field("Line categories", "; ".join(
        f"{by_source[s]:,} sale lines from {SOURCE_WORDS[s]}" for s in SOURCES if by_source.get(s)))]
    left = [f for f in result.findings if f.unknown is not None and f.unknown.lines and not f.unknown.counted]
    if left:
        parts.append(Field("Category unknown, not counted", "; ".join(
            f"{f.label} {f.currency} {f.unknown.sales:,} ({_lines(f.unknown.lines)})" for f in left  # type: ignore
        ) + ": give a products file (--products) or decide with --unknown-category (Categories appendix)."))
    return parts


def _lines(n: int) -> str:
    return f"{n:,} line{'s' * (n != 1)}"


def _row_account(result: CheckResult) -> list[Part]:
    s = result.ledger.summary()
    whole = s["rows_read"] == (s["rows_used"] + s["rows_skipped"] + s["duplicates"] + s["rows_left_out"]
                               + s["rows_superseded"])
    return [Heading("Row account: every row read is used, skipped, a duplicate, left out or superseded"),
            Field("Rows read", s["rows_read"], "integer", key="read"),
            Field("Rows used", s["rows_used"], "integer", key="used"),
            *([Field("Rows used dated after the as-of date (not counted)", result.rows_after_as_of, "integer")]
              if result.rows_after_as_of else []),
            Field("Rows skipped (unreadable)", s["rows_skipped"], "integer", key="skipped"),
            Field("Duplicate rows (counted once)", s["duplicates"], "integer", key="duplicates"),
            *([Field("Orders exported by two platforms (migration overlaps), counted once", s["migration_overlaps"],
                     "integer")] if s["migration_overlaps"] else []),
            Field("Rows left out (not sales)", s["rows_left_out"], "integer", key="left"),
            Field("Rows superseded by a later copy", s["rows_superseded"], "integer", key="superseded"),
            Field("Every row accounted for",
                  Formula('=IF({read}={used}+{skipped}+{duplicates}+{left}+{superseded},"Yes","No")',
                          "Yes" if whole else "No"), "text"),
            "Left out: cancelled, voided, test and failed orders and rows that are not sales, each with its reason "
            "on the Rejected rows appendix."]


def _act_columns(result: CheckResult) -> list[Column]:
    """Act now's columns: with an estimate, its central figure (Est. tax) last, so that the Watch table below,
    which has no estimate, shares every column with it and the Summary stays narrow enough to print large."""
    columns = _brief_columns()
    if result.exposure_total is None:
        return columns
    return columns + [money.estimate_column(result)]


def _act_now(result: CheckResult, act: list[Finding], collecting: list[Finding]) -> list[Part]:
    """The Summary's Act now block. Where every place with nexus is registered and collecting, it says so: "0
    jurisdictions with nexus" and "no sales test met" would deny the nexus the Findings sheet shows."""
    if not act and collecting:
        return [None, Heading("Act now: none"), "None: every jurisdiction with nexus is registered and collecting."]
    if not act:  # "potential exposure in 0 jurisdictions, most urgent first" heads nothing; the home is said apart
        return [None, Heading("Act now: none"),
                no_exposure_found(result) or "None: no sales test met, no presence that creates nexus."]
    # the screen's and the memo's count and words: "16 jurisdictions with nexus" read as every place with nexus,
    # beside 21 on Findings (the five registered and collecting are on the line below)
    parts: list[Part] = [None, Heading(f"Act now: potential exposure in {len(act)} "
                                       f"jurisdiction{'s' * (len(act) != 1)}, most urgent first"),
                         Table(_act_columns(result), act[:SUMMARY_ROWS])]
    if len(act) > SUMMARY_ROWS:
        parts.append(f"and {len(act) - SUMMARY_ROWS} more, on Findings.")
    return parts


def _home(result: CheckResult, homes: list[Finding]) -> list[Part]:
    """The home's block: the screen's paragraph, then its figures in Act now's columns (what its domestic test
    measured, by when to register, the tax estimated there)."""
    parts: list[Part] = []
    for f in homes:
        total = "in the money at stake below" if result.exposure_total is not None else ""
        parts += [None, Heading("Home"), home_paragraph(f, total, "the Findings sheet's Details say why"),
                  Table(_act_columns(result), [f])]
    return parts


def _past_windows(result: CheckResult) -> list[Part]:
    """The Summary's past windows under rules no longer in force: apart from Act now (past tax only), with
    the sales in each window and its estimate, which the money at stake below includes."""
    past = result.past_windows
    if not past:
        return []
    code = result.exposure_total.currency if result.exposure_total else "USD"
    columns = [Column("Code", lambda p: p.jurisdiction, width=8),
               Column("Jurisdiction", lambda p: p.rule.name, width=18),
               Column("Rule", lambda p: f"{p.rule.scheme or p.rule.tax}: {p.rule.describe_threshold()}", width=24),
               Column("Window", lambda p: f"{p.start} to {p.end}", width=24),
               Column("Not in force from", lambda p: p.ended + timedelta(days=1), "date", width=12),
               Column("Sales", lambda p: p.sales, "money", currency=lambda p: p.rule.currency, width=16),
               Column("Est. tax", lambda p: quantize(p.exposure.reporting.central, code) if p.exposure is not None
                      and p.exposure.reporting is not None else None, "money", currency=lambda p: code, width=14),
               Column("Limitation", lambda p: p.limits.short, width=16)]
    notes = [f"{p.label}: {p.exposure_note or 'no exchange rate converts its estimate'}" for p in past
             if p.exposure is None or p.exposure.reporting is None]
    notes += [f"{p.label}, period of limitation: {p.limitation}" for p in past]
    lines: list[Part] = [
            None, Heading(f"Past windows: {len(past)} under rules no longer in force ({PAST_ONLY})"),
            Table(columns, list(past)),
            "Potential exposure for windows that have ended under rules no longer in force: the tax not charged then "
            "may still be owed while it can be assessed, and settling it may mean registering there for those "
            "periods. Limitation: whether the period for assessing it had run on the as-of date (ran, or until "
            "when; not running where the statute sets no bar for a seller that filed no return; unknown where "
            "nexus's data have no period). Their estimates, including those of windows whose period has run, are "
            "in the money at stake below; why and the sources: nexus check --verbose or --format json."]
    return lines + notes


def _summary(result: CheckResult, presence: bool, exposure_row: int | None = None) -> Page:
    # The home is said apart, as on the screen and in the memo: it is not potential exposure, and counting it in
    # Act now (or among the places registered and collecting) made the Summary's count differ from theirs.
    homes = [f for f in result.findings if f.nexus == "establishment"]
    abroad = [f for f in result.findings if f.nexus != "establishment"]
    collecting = [f for f in abroad if needs_action(f) and _collecting(f)]
    act = most_urgent_first([f for f in abroad if needs_action(f) and not _collecting(f)])
    watch = [f for f in result.findings if f.status == "approaching" and not needs_action(f)]
    parts: list[Part] = [Heading(f"Tax nexus report as of {result.as_of}"),
                         "Where sales and presence create sales-tax or VAT/GST obligations, jurisdiction by "
                         "jurisdiction, under the rules in force on the as-of date.", None]
    parts += _checked(result)
    parts += _act_now(result, act, collecting)
    parts += _past_windows(result)
    before = before_the_orders(result.findings)
    if before:  # unknown, not nothing: said as on the screen and the memo's first page
        parts.append(before)
    if collecting:
        parts.append(registered_and_collecting(collecting))
    parts += coverage_assumptions(result.findings)
    again = register_again_words(result)
    parts += [again] if again else []
    parts += registered_needlessly(result)
    parts += _home(result, homes)  # after what Act now holds and before Watch, as on the screen
    if watch:
        also = also_approaching(result)
        parts += [None, Heading(f"Watch: {len(watch)} approaching a threshold" + (f" ({also})" if also else ""))]
        parts.append(Table(_brief_columns()[:2] + [Column("Why", _approaching)] + _brief_columns()[3:],
                           watch[:SUMMARY_ROWS]))
        if len(watch) > SUMMARY_ROWS:
            parts.append(f"and {len(watch) - SUMMARY_ROWS} more, on Findings.")
    parts += money.summary_parts(result, exposure_row)
    # counted as the Findings sheet's Status column shows them: a place with presence only there, not 'below'
    shown = [shown_status(f) for f in result.findings]
    order = STATUSES[:STATUSES.index("below") + 1] + (PRESENCE_ONLY,) + STATUSES[STATUSES.index("below") + 1:]
    counts = [(s, shown.count(s)) for s in order if shown.count(s)]
    parts += [None, Heading("Jurisdictions by status")]
    parts.append(Table([Column("Count", lambda r: r[1], "integer"), Column("Status", lambda r: r[0]),
                        Column("Meaning", lambda r: _MEANING.get(r[0], ""), width=24)], counts, status="Status")
                 if counts else "None: no jurisdiction was assessed.")
    parts += [None] + _row_account(result)
    parts += [None, Heading("Where to look next"),
              "Findings: every jurisdiction, its figures, test, period and why. The reasons in full, the exchange "
              "rates used and every source follow the printed columns."]
    if _compares(result):
        parts.append("Chart: each jurisdiction that matters as a share of its threshold, most severe first.")
    if presence:
        parts.append("Presence: each server, cloud region, warehouse, person or event, and what it creates.")
    chart_data = f", {CHART_DATA}" if _compares(result) else ""
    estimates = (f"{money.EXPOSURE} (the estimates month by month, as formulas), " if result.exposure_total
                 else "")
    categories = (f", {CATEGORIES_SHEET} (each finding's lines by category and where it came from)"
                  if _sourced(result) else "")
    parts += ["Rules: the rule applied in each jurisdiction, in force from when, last verified, and its source."]
    if result.exposure_total is not None:
        parts.append(f"{money.ASSUMPTIONS}: what the money at stake assumes, what it could not estimate, and "
                     f"every data source it used.")
    parts += [f"Appendices, hidden so they do not print (right-click a sheet tab, Unhide): {estimates}{MONTHLY} "
              f"(how each figure adds up, month by month), {REJECTED} (every row not counted){chart_data}"
              f"{categories}.",
              "The same figures as CSV or JSON: nexus check --format csv or --format json."]
    return Page("Summary", parts)


# -- Chart -------------------------------------------------------------------------------------------------------

def _charted(result: CheckResult) -> tuple[list[Finding], list[Finding]]:
    """The findings on the chart, most severe first, and those left off.

    The jurisdictions to act on or watch come first, and the nearest below fill the chart, up to
    :data:`CHART_ROWS` bars: a check across 52 jurisdictions drew 51 bars on the page, LibreOffice named every
    other one and their labels ran into each other; the title counts those left off. The chart is the sales
    test's: bars go by its status, then share of threshold (a place where presence creates nexus says so in its
    label, wherever its bar falls).
    """
    with_ratio = sorted((f for f in result.findings if _on_chart(f)),
                        key=lambda f: (STATUSES.index(f.status), -(f.ratio or 0)))
    first = [f for f in with_ratio if needs_action(f) or f.status == "approaching"]
    chosen = {id(f) for f in (first + [f for f in with_ratio if f not in first])[:CHART_ROWS]}
    return [f for f in with_ratio if id(f) in chosen], [f for f in with_ratio if id(f) not in chosen]


def _compares(result: CheckResult) -> bool:
    """Whether the chart compares anything: two jurisdictions or more with sales. With one, its bar stands
    among bars at 0% and the Summary already gives its share; the page it would print is left out."""
    return sum(1 for f in result.findings if _on_chart(f) and f.ratio) >= 2


def _on_chart(f: Finding) -> bool:
    """A share of a threshold that means something: not for periods the data do not cover."""
    return f.ratio is not None and f.status in CHARTED


#: The sales test's statuses a bar can have.
CHARTED = ("exceeded", "established", "approaching", "below")


def _chart_statuses(shown: Sequence[Finding]) -> list[str]:
    return [s for s in CHARTED if any(f.status == s for f in shown)]


def _bar_label(f: Finding) -> str:
    """``US-TX Texas``, saying so where a presence, not the sales test, creates nexus."""
    presence = f.presence_verdict == "creates" and f.status not in ("exceeded", "established")
    return f"{f.label} {f.name}" + (" (presence creates nexus)" if presence else "")


def _share_if(status: str) -> Callable[[Finding], Decimal | None]:
    return lambda f: shown_share(f.ratio) if f.status == status and f.ratio is not None else None


def _chart_data(result: CheckResult) -> Sheet:
    shown, _ = _charted(result)
    statuses = _chart_statuses(shown)
    columns = [Column("Jurisdiction", _bar_label)]
    columns += [Column(s.capitalize(), _share_if(s), "ratio") for s in statuses]
    return Sheet(CHART_DATA, columns, shown, appendix=True, autofilter=False)


def _chart(result: CheckResult) -> ChartSheet:
    shown, left = _charted(result)
    title = "Share of threshold, most severe first"
    if left:
        highest = max(f.ratio for f in left if f.ratio is not None)
        title += f" ({len(left)} more, all at or below {highest:.0%}, on Findings)"
    series = [(i + 2, s) for i, s in enumerate(_chart_statuses(shown))]
    return ChartSheet("Chart", status_chart(title, (1, 2, len(shown) + 1), series, sheet=CHART_DATA))


# -- Findings, Presence, Rules -------------------------------------------------------------------------------------

def _max_sources(rules: Sequence[Rule | None]) -> int:
    return max([len(r.sources) for r in rules if r is not None] + [1])


def _findings(result: CheckResult) -> Sheet:
    def source(i: int) -> Any:
        return lambda f: f.sources[i] if len(f.sources) > i else None

    presence = any(f.presence for f in result.findings)
    printed = [
        Column("Code", lambda f: f.jurisdiction), Column("Jurisdiction", _name, width=13),
        Column("Status", shown_status, width=12), Column("Nexus", lambda f: f.nexus or "", width=11),
        _money("Sales", _sales),
        Column("Threshold test", _test, width=22), Column("Share of threshold", _ratio, "ratio", width=9),
        Column("Period measured", lambda f: f.period.label if f.period else "", width=16),
        Column("Act by", lambda f: act_by(f.timing), width=12)]
    if presence:
        printed.append(Column("Presence", lambda f: f.presence_verdict or "", width=10))
    printed.append(Column("Why", lambda f: f.reasons[0] if f.reasons else "", width=40, wrap=True))
    more = [
        Column("Details", lambda f: " ".join(f.reasons[1:]), width=60),
        Column("Transactions", _transactions, "integer", width=8),
        Column("Crossed on", lambda f: f.crossed_on, "date"),
        Column("Nexus since", lambda f: f.timing.nexus_since if f.timing else None, "date"),
        Column("Collect from", lambda f: f.timing.collect_from if f.timing else None, "date"),
        Column("Register by", lambda f: f.timing.register_by if f.timing else None, "date"),
        Column("Action", lambda f: f.timing.action if f.timing and f.timing.action else ""),
        Column("Days overdue", lambda f: f.timing.overdue_days if f.timing else None, "integer"),
        Column("Registered on", lambda f: f.timing.registration.registered_on
               if f.timing and f.timing.registration else None, "date"),
        Column("Days not collected", lambda f: f.timing.gap.days if f.timing and f.timing.gap else None, "integer"),
        Column("Projected crossing", lambda f: f.timing.projected_crossing if f.timing else None, "date"),
        Column("Projection", lambda f: f.timing.projection if f.timing else "", width=40),
        Column("Scheme", lambda f: f.scheme), Column("Tax", lambda f: f.rule.tax if f.rule else ""),
        _money("Sales threshold", lambda f: f.rule.sales_threshold if f.rule else None),
        Column("Transactions threshold", lambda f: f.rule.transactions_threshold if f.rule else None, "integer"),
        Column("Period start", lambda f: f.period.start if f.period else None, "date"),
        Column("Period end", lambda f: f.period.end if f.period else None, "date"),
        Column("Rule's period", lambda f: f.rule.period_label if f.rule else ""),
        Column("Rates used", lambda f: "; ".join(f"{c.currency}: {c.source}, {c.first_rate} to {c.last_rate}"
                                                 for c in f.conversions), width=50),
        Column("Lines of unknown category", lambda f: f.unknown.lines if f.unknown else None, "integer"),
        _money("Sales of unknown category", lambda f: f.unknown.sales if f.unknown else None),
        Column("Unknown category counted", lambda f: ("yes" if f.unknown.counted else "no") if f.unknown else ""),
        Column("Categories by source", _category_words, width=60)]
    if result.exposure_total is not None or any(f.exposure_note for f in result.findings):
        more += money.finding_columns()
    more += [Column("Source" if i == 0 else f"Source {i + 1}", source(i), "link", width=50)
             for i in range(_max_sources([f.rule for f in result.findings]))]
    return Sheet("Findings", printed + more, result.findings, status="Status", print_columns=len(printed))


def _sourced(result: CheckResult) -> bool:
    """Whether any line's category came from elsewhere than the order rows (then the Categories appendix says)."""
    return any(c.source != "column" for f in result.findings for c in f.categories)


def _category_words(f: Finding) -> str:
    """``goods 812 lines (USD 40,000.00) from the products file; ...``: what the Categories appendix lists."""
    return "; ".join(f"{c.category} {c.lines:,} lines ({f.currency} {c.sales:,}) from {SOURCE_WORDS[c.source]}"
                     for c in f.categories)


def _categories(result: CheckResult) -> Sheet:
    """Every finding's lines and sales by category and where the category came from (nexus.categories)."""
    rows = [(f, c) for f in result.findings for c in f.categories]
    columns = [Column("Code", lambda r: r[0].jurisdiction), Column("Jurisdiction", lambda r: _name(r[0]), width=18),
               Column("Period measured", lambda r: r[0].period.label if r[0].period else "", width=16),
               Column("Category", lambda r: r[1].category), Column("Source", lambda r: SOURCE_WORDS[r[1].source],
                                                                   width=26),
               Column("Lines", lambda r: r[1].lines, "integer"),
               Column("Sales", lambda r: r[1].sales, "money", currency=lambda r: r[0].currency),
               Column("Counted by the test", lambda r: "yes" if r[1].counted else "no")]
    notes = ("Lines (sales) and sales net of refunds in each finding's period, in its currency, by category and by "
             "where the category came from: the order rows, --category, the products file, a product tax code, "
             "the platform's signal, or no signal (unknown).",)
    return Sheet(CATEGORIES_SHEET, columns, rows, notes=notes, appendix=True)


def _timeline(result: CheckResult) -> Sheet:
    """Every dated event, sorted: the calendar to work from; a deadline passed without registration is marked."""
    events = timeline(result.findings, result.registrations)
    overdue = {(e["jurisdiction"], e["scheme"]) for e in events if e["event"] == "register by"
               and e["detail"].startswith("overdue")}

    def flag(e: dict[str, Any]) -> str:
        if e["event"] == "register by" and (e["jurisdiction"], e["scheme"]) in overdue:
            return "overdue"
        if e["event"] == "register by" and e["detail"].endswith("not covered by collection"):
            return "gap"
        return {"projected crossing": "ahead", "registered": "registered", "permit closed": "closed"}.get(
            e["event"], "")

    columns = [Column("Date", lambda e: date.fromisoformat(e["date"]), "date"),
               Column("Code", lambda e: e["jurisdiction"]),
               # as wide as a union's scheme needs to wrap once ("European Union (non-Union OSS / IOSS)"), not twice
               Column("Jurisdiction", lambda e: f"{e['name']} ({e['scheme']})" if e["scheme"] else e["name"],
                      width=22),
               Column("Event", lambda e: e["event"], width=16), Column("Flag", flag, width=10),
               Column("Detail", lambda e: e["detail"], width=80, wrap=True)]
    notes = (f"{len(overdue)} registration deadline{'s' * (len(overdue) != 1)} passed with no registration "
             f"(Flag: overdue)." if overdue else "No registration deadline has passed without a registration.",)
    return Sheet("Timeline", columns, events, status="Flag", notes=notes)


def _presence(result: CheckResult) -> Sheet:
    rows = [(f, v) for f in result.findings for v in f.presence]
    printed = [Column("Code", lambda r: r[1].jurisdiction), Column("Jurisdiction", lambda r: r[0].name, width=16),
               Column("Verdict", lambda r: r[1].shown, width=13),
               Column("Sales test", lambda r: shown_status(r[0]), width=12),
               Column("Kind", lambda r: r[1].item.kind, width=14),
               Column("Location", lambda r: r[1].item.location, width=18), Column("City", lambda r: r[1].city),
               Column("Since", lambda r: r[1].item.since, "date"), Column("Until", lambda r: r[1].item.until, "date"),
               Column("Why", lambda r: " ".join(r[1].reasons), width=50, wrap=True)]

    def source(i: int) -> Any:
        return lambda r: r[1].sources[i] if len(r[1].sources) > i else None

    # every source of the rule, as the JSON and the Findings sheet give them: the first is not always the primary one
    sources = max([len(v.sources) for _, v in rows] + [1])
    more = [Column("Ownership", lambda r: r[1].item.ownership),
            Column("Dedicated", lambda r: {True: "yes", False: "no", None: ""}[r[1].item.dedicated]),
            Column("Function", lambda r: r[1].item.function)]
    more += [Column("Source" if i == 0 else f"Source {i + 1}", source(i), "link", width=50) for i in range(sources)]
    more += [Column("Note", lambda r: r[1].item.note), Column("File", lambda r: r[1].item.source.file),
             Column("Line", lambda r: r[1].item.source.line, "integer")]
    return Sheet("Presence", printed + more, rows, status="Verdict", print_columns=len(printed))


def _site(url: str) -> str:
    """The site of a source, to print: ``tax.ny.gov`` for https://www.tax.ny.gov/pubs_and_bulls/... ."""
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return host[4:] if host.startswith("www.") else host


def _counts(rule: Rule) -> str:
    """The basis in three words: 'all sales', 'retail sales', 'taxable sales only'."""
    return BASES.get(rule.basis or "", "").split(":")[0].split(",")[0]


def _rules(result: CheckResult) -> Sheet:
    applied: dict[tuple[Any, ...], Rule] = {}
    for f in result.findings:
        if f.rule is not None:
            applied[f.rule.key + (f.rule.effective_from,)] = f.rule
    rules = [applied[k] for k in sorted(applied)]

    def source(i: int) -> Any:
        return lambda r: r.sources[i] if len(r.sources) > i else None

    printed = [
        Column("Code", lambda r: r.jurisdiction),
        Column("Jurisdiction", lambda r: f"{r.name} ({r.scheme})" if r.scheme else r.name, width=16),
        Column("Threshold test", lambda r: r.describe_threshold(), width=22),
        Column("Period", lambda r: r.period_label, width=20), Column("What counts", _counts, width=14),
        Column("Marketplace sales", lambda r: r.marketplace or "", width=11),
        Column("In force from", lambda r: r.effective_from, "date"),
        Column("Last verified", lambda r: r.last_verified, "date"),
        Column("Source", lambda r: Link(r.sources[0], _site(r.sources[0])) if r.sources else None, "link",
               width=24)]
    more = [
        Column("Scheme", lambda r: r.scheme), Column("Applies to", lambda r: r.establishment.replace("_", "-")),
        Column("Authority", lambda r: r.authority, width=30), Column("Tax", lambda r: r.tax if r.sales_tax else "none"),
        Column("Sales threshold", lambda r: r.sales_threshold, "money", currency=lambda r: r.currency),
        Column("Sales comparison", lambda r: COMPARISONS.get(r.sales_comparison or "", "")),
        Column("Transactions threshold", lambda r: r.transactions_threshold, "integer"),
        Column("Transactions comparison", lambda r: COMPARISONS.get(r.transactions_comparison or "", "")),
        Column("Combine", lambda r: r.combine or ""),
        Column("What counts in full", lambda r: BASES.get(r.basis or "", ""), width=40),
        Column("Categories", lambda r: ", ".join(r.categories) if r.sales_tax else ""),
        Column("In force to", lambda r: r.effective_to, "date"),
        Column("Confidence", lambda r: r.confidence),
        Column("Notes", lambda r: r.notes, width=60)]
    more += [Column(f"Source {i + 1}", source(i), "link", width=50) for i in range(_max_sources(rules))]
    return Sheet("Rules", printed + more, rules, print_columns=len(printed))


# -- Appendices ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Line:
    """One row of Monthly detail: a month of a period, or the period's total (``total``)."""

    code: str
    name: str
    period: str
    start: Any
    end: Any
    currency: str
    values: dict[str, Any]
    total: bool = False


def _monthly_rows(result: CheckResult, first_row: int) -> Iterator[_Line]:
    first_day = result.ledger.first_day
    row = first_row
    keys = ["sales", "transactions"] + [k for k, _ in _ASIDE]
    letters = dict(zip(keys, "FGHIJKLMNOP"))
    for f in result.findings:
        for m in f.measures:
            first, covered = row, False
            sums: dict[str, Any] = {k: 0 for k in keys}
            for month in m.months:
                values: dict[str, Any] = {"sales": month.sales, "transactions": month.transactions,
                                          **{k: month.set_aside.get(k, Decimal(0)) for k, _ in _ASIDE}}
                if first_day is None or month.end < first_day:
                    values = {k: NOT_COVERED if k == "sales" else None for k in keys}
                else:
                    covered = True
                for k in keys:
                    if not isinstance(values[k], str) and values[k] is not None:
                        sums[k] += values[k]
                yield _Line(f.jurisdiction, _name(f), m.period.label, month.start, month.end, f.currency, values)
                row += 1
            last = row - 1
            totals = {k: Formula(f"=SUM({letters[k]}{first}:{letters[k]}{last})", sums[k]) if last >= first else 0
                      for k in keys}
            if m.months and not covered:  # a SUM of months the data cannot say would claim 0 sales
                totals = {k: NOT_COVERED if k == "sales" else None for k in keys}
            yield _Line(f.jurisdiction, _name(f), f"Total: {m.period.label}", m.period.start, m.period.end,
                        f.currency, totals, total=True)
            row += 1


def _value(key: str) -> Callable[[_Line], Any]:
    return lambda r: r.values[key]


def _monthly(result: CheckResult) -> Sheet:
    notes = (f"Months before the first order ({result.ledger.first_day}) say '{NOT_COVERED}'." if
             result.ledger.first_day else "No orders were read.",)
    columns = [Column("Code", lambda r: r.code), Column("Jurisdiction", lambda r: r.name),
               Column("Period measured", lambda r: r.period), Column("From", lambda r: r.start, "date"),
               Column("To", lambda r: r.end, "date"),
               Column("Sales counted", lambda r: r.values["sales"], "money", currency=lambda r: r.currency),
               Column("Transactions", lambda r: r.values["transactions"], "integer")]
    columns += [Column(header, _value(key), "money", currency=lambda r: r.currency) for key, header in _ASIDE]
    first_row = len(notes) + 2  # the sheet row under the header: the notes, then the header
    return Sheet(MONTHLY, columns, _monthly_rows(result, first_row), notes=notes, bold=lambda r: r.total,
                 appendix=True)


def _not_listed(what: str, listed: int, unlisted: int) -> str | None:
    if not unlisted:
        return None
    kept = row_account.LISTED_ROWS
    if not listed:
        return (f"{unlisted:,} {what} rows were counted but are not listed: the DuckDB fast path counts them "
                f"without keeping their lines. To list them (the first {kept:,}) with file and line, run "
                f"the check again with --engine python; --format json then lists the same rows.")
    return (f"{listed + unlisted:,} {what} rows were counted; the first {listed:,} are listed below and "
            f"{unlisted:,} are not (nexus keeps the first {kept:,}). The counts on Summary are exact.")


def rejected_notes(ledger: Ledger) -> tuple[str, ...]:
    """What the Rejected rows sheet holds, and how many rows it leaves out and why."""
    s = ledger.summary()
    notes = [f"Rows not counted: {s['rows_skipped']:,} skipped as unreadable, {s['duplicates']:,} duplicates of "
             f"an order already read (counted once)."]
    notes += [n for n in (_not_listed("skipped", len(ledger.skipped), ledger.unlisted_skipped),
                          _not_listed("duplicate", len(ledger.duplicates), ledger.unlisted_duplicates)) if n]
    notes += _set_aside_notes(ledger)
    if not any(s[k] for k in ("rows_skipped", "duplicates", "rows_left_out", "rows_superseded")):
        notes.append("None: every row read was counted.")
    return tuple(notes)


def _set_aside_notes(ledger: Ledger) -> list[str]:
    """The rows left out on purpose and those superseded: also not counted, so the notes count them too (the
    sheet lists the left-out orders, one line an order, though an order may span several rows)."""
    s, notes = ledger.summary(), []
    if s["rows_left_out"]:
        orders, rows = len(ledger.left_out), s["rows_left_out"]
        listed = ("each order listed once below with its reason" if not ledger.unlisted_left_out else
                  f"the first {orders:,} orders listed below; {ledger.unlisted_left_out:,} more rows are counted, "
                  f"not listed")
        notes.append(f"{rows:,} row{'s' * (rows != 1)} left out on purpose ({orders:,} order{'s' * (orders != 1)}"
                     f"{' listed' if ledger.unlisted_left_out else ''}: cancelled, voided, test or failed orders and "
                     f"rows that are not sales), {listed}.")
    if s["rows_superseded"]:
        notes.append(f"{s['rows_superseded']:,} row{'s' * (s['rows_superseded'] != 1)} superseded by a later copy "
                     f"of their order (--repeated-orders latest).")
    return notes


def _rejected(result: CheckResult) -> Sheet:
    ledger = result.ledger
    rows = itertools.chain((("skipped", p) for p in ledger.skipped), (("duplicate", p) for p in ledger.duplicates),
                           (("left out", p) for p in ledger.left_out),
                           ((f"repeated order id ({c.treated})",
                             RowProblem(c.later.file, c.later.line or 0, c.describe(), "order_id", c.order_id, ""))
                            for c in ledger.conflicts))
    columns = [Column("File", lambda r: r[1].file, width=40), Column("Line", lambda r: r[1].line, "integer"),
               Column("Problem", lambda r: r[0]), Column("Column", lambda r: r[1].column or ""),
               Column("Value", lambda r: r[1].value or ""), Column("Reason", lambda r: r[1].reason, width=50),
               Column("Original row", lambda r: r[1].text, width=60)]
    return Sheet(REJECTED, columns, rows, notes=rejected_notes(ledger), appendix=True)


def report_sheets(result: CheckResult) -> list[Sheet | Page | ChartSheet]:
    """The report's sheets in order: printed first, then the hidden appendices."""
    presence = any(f.presence for f in result.findings)
    exposure, exposure_row = money.exposure_sheet(result) if estimated(result) else (None, None)
    sheets: list[Sheet | Page | ChartSheet] = [_summary(result, presence, exposure_row)]
    charted = _compares(result)
    if charted:
        sheets.append(_chart(result))
    sheets.append(_findings(result))
    # no sheet of headers alone: a check with no date to show has none
    if timeline(result.findings, result.registrations):
        sheets.append(_timeline(result))
    if presence:
        sheets.append(_presence(result))
    sheets.append(_rules(result))
    if exposure is not None:
        sheets += [money.assumptions_sheet(result), exposure]
    sheets += [_monthly(result), _rejected(result)]
    if charted:
        sheets.append(_chart_data(result))
    if _sourced(result):
        sheets.append(_categories(result))
    return sheets


def write_check_workbook(result: CheckResult, path: str, paper: str | None = None) -> None:
    """Write the report workbook for ``result`` to ``path``; ``paper`` A4 or Letter (None: the printer's)."""
    write_workbook(path, report_sheets(result), title=f"Tax nexus report as of {result.as_of.isoformat()}",
                   subject="Potential sales-tax and VAT/GST exposure by jurisdiction", as_of=result.as_of,
                   paper=paper)
