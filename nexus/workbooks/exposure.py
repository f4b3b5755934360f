"""Money at stake in the report workbook: the Exposure and Assumptions sheets, and the Summary's figures.

* **Exposure** (an appendix: month-level, hidden so it does not print): per jurisdiction and month the
  taxable sales, the rates (effective rates of the month: tax over taxable sales), the tax as formulas
  ``=sales*rate``, penalty and interest, the base and VDA scenarios; a total row per jurisdiction with
  ``=SUM()`` and the tax charged, what is left uncollected, the monthly run-rate registering now stops, and
  the figures in the reporting currency at the as-of rate; a last row with the totals in that currency.
  Every formula is stored with nexus's own figure (:class:`nexus.workbooks.sheet.Formula`), so a viewer
  that does not recalculate shows the same number, and one that does must arrive at it to the cent
  (a test recomputes the sheet in LibreOffice).
* **Assumptions** (printed): the method's assumptions (monthly returns due on the place's own monthly due
  date where the data give it, else on the 20th, simple interest, the as-of rate), each estimate's own
  assumptions, what was not estimated and why, how the files were read, and every data source the estimates used.

The Summary's money lines refer to the Exposure sheet's last row, so the page and the sheet cannot disagree.
Nothing here estimates anything: the figures are the findings' (:mod:`nexus.exposure`).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Iterator, Sequence

from xlsxwriter.utility import xl_col_to_name

from nexus import penalties
from nexus.findings import CheckResult, Finding
from nexus.days_due import NOT_COVERED, NOT_COVERED_TOTAL
from nexus.exposure import crossing_day_words, refunds_words
from nexus.exposure_records import Exposure, Range
from nexus.assumed import NAMED_PLACES, by_place, estimate_assumptions, estimated, places_words
from nexus.money import format_amount, minor_units, quantize
from nexus.report import after_orders_words, from_first_order_words, refunds_exceed_words
from nexus.report_csv import estimate_note
from nexus.workbooks.sheet import Column, Field, Formula, Heading, Link, Part, Sheet

#: Sites named on paper for a data table; every address is in the columns after the printed ones.
SITES = 4
EXPOSURE = "Exposure"
ASSUMPTIONS = "Assumptions"
TOTAL = "Total"
ALL = "All, in"
#: The Exposure sheet's columns: (key, header, kind). Letters follow from the order.
_COLUMNS = (
    ("code", "Code", "text"), ("name", "Jurisdiction", "text"), ("month", "Month", "text"),
    ("start", "From", "date"), ("end", "To", "date"), ("sales", "Taxable sales", "money"),
    ("rate_low", "Rate low", "rate"), ("rate_central", "Rate central", "rate"), ("rate_high", "Rate high", "rate"),
    ("tax_low", "Tax low", "money"), ("tax_central", "Tax central", "money"), ("tax_high", "Tax high", "money"),
    ("due", "Return due", "date"), ("penalty", "Penalty", "money"), ("interest", "Interest", "money"),
    ("vda_month", "In VDA look-back", "text"), ("base", "Base: tax, penalty, interest", "money"),
    ("vda", "VDA", "money"), ("now", "Registered now (a month)", "money"),
    ("charged", "Tax charged in the orders", "money"), ("left_low", "Uncollected low", "money"),
    ("left_central", "Uncollected central", "money"), ("left_high", "Uncollected high", "money"),
    ("above", "Charged above the estimate, owed as collected", "money"),
    ("fx", "Rate to reporting currency", "exchange"), ("rep_low", "Reporting low", "reporting"),
    ("rep_central", "Reporting central", "reporting"), ("rep_high", "Reporting high", "reporting"),
    ("rep_extra", "Reporting penalty and interest", "reporting"), ("rep_penalty", "Reporting penalty", "reporting"),
    ("rep_interest", "Reporting interest", "reporting"), ("rep_vda", "Reporting VDA", "reporting"),
    ("rep_now", "Reporting registered now", "reporting"),
    ("rep_above", "Reporting charged above the estimate", "reporting"), ("note", "Notes", "text"))
_LETTER = {key: xl_col_to_name(i) for i, (key, _, _) in enumerate(_COLUMNS)}


@dataclass
class _Row:
    """One row of the Exposure sheet: a month, a jurisdiction's total, or the last row (all, in the reporting
    currency). ``currency`` formats its money cells; ``values`` maps a column key to a value or Formula."""

    kind: str
    currency: str
    values: dict[str, Any] = field(default_factory=dict)


def _rows(result: CheckResult, first: int, where: dict[str, int]) -> Iterator[_Row]:
    """The sheet's rows from sheet row ``first`` (1-based); ``where`` receives the last row's number."""
    row = first
    L = _LETTER
    totals: list[int] = []
    reporting = result.exposure_total.currency if result.exposure_total else ""
    for f in estimated(result):
        e = f.exposure
        assert e is not None
        vda = e.scenarios["vda"]
        no_programme = vda.note.startswith("not estimated")
        # The note's "penalties and interest waived" part (others say what is kept, and why).
        waived = next((part for part in vda.note.split(";")[1:] if part.strip().endswith("waived")), "")
        keep_penalty = vda.penalty is not None and "penalties" not in waived
        keep_interest = vda.interest is not None and "interest" not in waived
        start = row
        for m in e.months:
            rate = m.rate
            r = str(row)
            kept = no_programme or (vda.start is not None and m.start >= vda.start)
            values: dict[str, Any] = {
                "code": f.jurisdiction, "name": f.name, "month": m.label, "start": m.start,
                "end": m.end, "sales": m.taxable_sales, "rate_low": rate.low, "rate_central": rate.central,
                "rate_high": rate.high,
                "tax_low": Formula(f"={L['sales']}{r}*{L['rate_low']}{r}", m.tax.low),
                "tax_central": Formula(f"={L['sales']}{r}*{L['rate_central']}{r}", m.tax.central),
                "tax_high": Formula(f"={L['sales']}{r}*{L['rate_high']}{r}", m.tax.high),
                "due": m.due, "penalty": m.penalty, "interest": m.interest, "vda_month": "yes" if kept else "no",
                # The month's tax charged: its penalty and interest fall on the tax less it
                "charged": m.charged, **_left(m.uncollected, r),
                "base": Formula(f"=SUM({L['left_central']}{r},{L['penalty']}{r},{L['interest']}{r})",
                                m.uncollected.central + (m.penalty or 0) + (m.interest or 0))}
            crossed = [d for d in e.crossing_days if m.start <= d <= m.end and e.crossing_tax.low]
            if crossed:  # its low rate is below the state rate: the day's sales are left out of the low end
                values["note"] = (f"low leaves out the sales of {' and '.join(map(str, crossed))}, the day the "
                                  f"threshold was crossed (tax is due from the sale after the one that crossed it)")
            if m.charged_above is not None:  # blank where the orders carry no tax: not measured
                values["above"] = Formula(f"=MAX(0,{L['charged']}{r}-MAX(0,{L['tax_central']}{r}))", m.charged_above)
            if kept:
                parts = [f"{L['left_central']}{r}"] + ([f"{L['penalty']}{r}"] if keep_penalty else []) + (
                    [f"{L['interest']}{r}"] if keep_interest else [])
                values["vda"] = Formula(f"=SUM({','.join(parts)})", m.uncollected.central
                                        + (m.penalty or 0 if keep_penalty else 0)
                                        + (m.interest or 0 if keep_interest else 0))
            else:
                values["vda"] = Decimal(0)
            yield _Row("month", e.currency, values)
            row += 1
        totals.append(row)
        yield _Row("total", e.currency, _total(f, e, start, row - 1, row, keep_penalty, keep_interest, reporting))
        row += 1
    where["last"] = row
    if result.exposure_total is not None:
        t = result.exposure_total
        values = {"code": "", "name": f"{len(totals)} estimates", "month": f"{ALL} {reporting}"}
        sums = {"rep_low": t.tax.low, "rep_central": t.tax.central, "rep_high": t.tax.high,
                "rep_extra": t.penalty + t.interest, "rep_penalty": t.penalty, "rep_interest": t.interest,
                "rep_vda": t.vda, "rep_now": t.registered_now}
        if t.charged_above is not None:
            sums["rep_above"] = t.charged_above
        month = f"{L['month']}{first}:{L['month']}{row - 1}"
        for key, value in sums.items():
            values[key] = Formula(f'=SUMIF({month},"{TOTAL}",{L[key]}{first}:{L[key]}{row - 1})', value)
        notes = [f"{len(t.not_estimated)} figures not estimated: see {ASSUMPTIONS}"] if t.not_estimated else []
        if t.left_out:
            notes.append(f"not in the total, no rate to {reporting}: {', '.join(t.left_out)}")
        if notes:
            values["note"] = "; ".join(notes)
        yield _Row("all", reporting, values)


def _left(uncollected: Range, r: str) -> dict[str, Formula]:
    """A month's tax left uncollected at each level: its own tax less its own tax charged, taken no lower than zero
    by the charge (a month's returns are its own: tax charged above one month's tax pays no other month's), or than
    the month's own tax where its refunds exceed its sales (netted, as without a tax column; a blank charge is 0)."""
    L = _LETTER

    def formula(level: str) -> str:
        tax, charged = f"{L['tax_' + level]}{r}", f"{L['charged']}{r}"
        return f"=MAX(MIN(0,{tax}),{tax}-{charged})"

    return {f"left_{level}": Formula(formula(level), getattr(uncollected, level))
            for level in ("low", "central", "high")}


def _total(f: Finding, e: Exposure, first: int, last: int, row: int, keep_penalty: bool, keep_interest: bool,
           reporting: str) -> dict[str, Any]:
    """A jurisdiction's total row: sums of its months, what was charged and is left, and the reporting figures."""
    L = _LETTER
    r = str(row)

    def total(key: str, value: Decimal | None, floor: bool = False) -> Any:
        """The months' sum; ``floor``: no lower than zero (a place's tax, whose refunds may exceed its sales)."""
        if value is None:
            return "not estimated"
        if last < first:
            return value
        summed = f"SUM({L[key]}{first}:{L[key]}{last})"
        return Formula(f"=MAX(0,{summed})" if floor else f"={summed}", value)

    vda = e.scenarios["vda"]
    values: dict[str, Any] = {
        "code": f.jurisdiction, "name": f.name, "month": TOTAL, "start": e.start, "end": e.end,
        "sales": total("sales", e.taxable_sales), "tax_low": total("tax_low", e.tax.low, True),
        "tax_central": total("tax_central", e.tax.central, True), "tax_high": total("tax_high", e.tax.high, True),
        "penalty": total("penalty", e.penalty), "interest": total("interest", e.interest),
        "vda_month": vda.note, "charged": total("charged", e.tax_collected) if e.tax_collected is not None else None,
        "now": e.scenarios["registered_now"].tax.central,
        # The months' own figures added up: a month's tax charged above its tax is set against no other month's; the
        # months' refunds net against the place's sales, its tax at stake no lower than zero (no credit).
        **{f"left_{level}": total(f"left_{level}", getattr(e.uncollected, level), True)
           for level in ("low", "central", "high")},
        "above": total("above", e.charged_above) if e.charged_above is not None else None}
    values["base"] = Formula(f"=SUM({L['left_central']}{r},{L['penalty']}{r},{L['interest']}{r})",
                             e.scenarios["base"].total)
    values["vda"] = _vda_total(vda.total, first, last, keep_penalty, keep_interest)
    noted = "; ".join(n for n in (e.uncollected_note, crossing_day_words(e), refunds_words(e)) if n)
    if noted:
        values["note"] = noted
    if e.reporting is not None and e.reporting_rate is not None:
        fx = f"{L['fx']}{r}"
        values["fx"] = e.reporting_rate
        factor = e.reporting_rate
        values["rep_low"] = Formula(f"={L['left_low']}{r}*{fx}", e.uncollected.low * factor)
        values["rep_central"] = Formula(f"={L['left_central']}{r}*{fx}", e.uncollected.central * factor)
        values["rep_high"] = Formula(f"={L['left_high']}{r}*{fx}", e.uncollected.high * factor)
        values["rep_extra"] = Formula(f"=SUM({L['penalty']}{r},{L['interest']}{r})*{fx}",
                                      ((e.penalty or 0) + (e.interest or 0)) * factor)
        # apart too, as the JSON's total gives them (each rounded once): the Summary adds them rounded
        values["rep_penalty"] = Formula(f"=SUM({L['penalty']}{r})*{fx}", (e.penalty or 0) * factor)
        values["rep_interest"] = Formula(f"=SUM({L['interest']}{r})*{fx}", (e.interest or 0) * factor)
        values["rep_vda"] = Formula(f"={L['vda']}{r}*{fx}", vda.total * factor)
        values["rep_now"] = Formula(f"={L['now']}{r}*{fx}", e.scenarios["registered_now"].tax.central * factor)
        if e.charged_above is not None:
            values["rep_above"] = Formula(f"={L['above']}{r}*{fx}", e.charged_above * factor)
        if e.currency != reporting:
            values["note"] = "; ".join(n for n in (values.get("note"), f"{e.currency} to {reporting} at "
                                                   f"{e.reporting_rate_date} ({e.reporting_currency})") if n)
    else:
        values["note"] = "; ".join(n for n in (values.get("note"), f"no exchange rate converts {e.currency} to "
                                               f"{reporting}: not in the total") if n)
    grows = e.scenarios["registered_now"]
    if grows.once_due is not None and grows.once_due.central:  # nothing grows yet: said, not in the column
        later = (f"registered now 0: nothing grows before {grows.start}, when tax is to be collected; from then "
                 f"{format_amount(grows.once_due.central, e.currency)} {e.currency} a month unless registered")
        values["note"] = "; ".join(n for n in (values.get("note"), later) if n)
    return values


def _vda_total(value: Decimal, first: int, last: int, keep_penalty: bool, keep_interest: bool) -> Any:
    """A place's voluntary-disclosure total: the tax left uncollected in the months the programme keeps (its month
    rows say "yes"), no lower than zero, with their penalty and interest where the programme keeps them. The sum of
    the months' VDA cells would let their refunds take the tax below zero."""
    L = _LETTER
    if last < first:
        return value

    def kept(key: str) -> str:
        return f'SUMIF({L["vda_month"]}{first}:{L["vda_month"]}{last},"yes",{L[key]}{first}:{L[key]}{last})'

    parts = [f"MAX(0,{kept('left_central')})"] + ([kept("penalty")] if keep_penalty else []) + (
        [kept("interest")] if keep_interest else [])
    return Formula(f"={'+'.join(parts)}", value)


def exposure_sheet(result: CheckResult) -> tuple[Sheet, int | None]:
    """The Exposure sheet and the 1-based row of its last line (the totals in the reporting currency)."""
    reporting = result.exposure_total.currency if result.exposure_total else "USD"
    notes = (
        "Estimates to review, not returns (docs/exposure.md). Rates are each month's effective rates (tax over "
        "taxable sales): a rate that changed inside a month, or a category with a rate of its own, blends them.",
        "Penalty and interest assume monthly returns due with payment on the place's own monthly due date where the "
        "data give it, else on the 20th of the following month (Return due gives each), unless a registration row "
        "gives quarterly or annual returns (Month then names the quarter or year, 2025-Q1, and Return due its "
        f"return's due date); blank where the data has no figures (see {ASSUMPTIONS}). Each month "
        "(or return) is its own tax less its own tax charged, the charge taking it no lower than zero: tax charged "
        "above a month's estimate is owed as collected and pays no other month's. "
        f"The total rows add up the months, a place's tax no lower than zero where its refunds exceed its sales (no "
        f"credit); the last row, the totals in {reporting} at the as-of date's rate.")
    where: dict[str, int] = {}
    first = len(notes) + 2

    def cell(key: str, kind: str) -> Column:
        header = dict((k, h) for k, h, _ in _COLUMNS)[key]
        if kind == "money":
            return Column(header, lambda r: r.values.get(key), "money", currency=lambda r: r.currency)
        if kind == "reporting":
            return Column(header, lambda r: r.values.get(key), "money", currency=lambda r: reporting)
        width = {"note": 40, "vda_month": 12, "name": 16}.get(key)
        return Column(header, lambda r: r.values.get(key), kind, width=width, wrap=False if width else None)

    columns = [cell(key, kind) for key, _, kind in _COLUMNS]
    rows = list(_rows(result, first, where))
    sheet = Sheet(EXPOSURE, columns, rows, notes=notes, bold=lambda r: r.kind != "month", appendix=True)
    return sheet, (where["last"] if result.exposure_total is not None else None)


def summary_parts(result: CheckResult, last_row: int | None) -> list[Part]:
    """The Summary's money lines: each refers to the Exposure sheet's last row (stored with its value)."""
    t = result.exposure_total
    if t is None:
        # every day tax was due lies before the orders: unknown, said as the screen and the memo say it, not left out
        if any(f.exposure_note.startswith(NOT_COVERED) for f in result.findings if f.nexus is not None):
            return [None, Heading("Money at stake"), f"Estimated tax not collected: {NOT_COVERED_TOTAL}."]
        return []
    code = t.currency

    def ref(key: str, value: Decimal) -> Any:
        if last_row is None:
            return value
        return Formula(f"='{EXPOSURE}'!{_LETTER[key]}{last_row}", value)

    def rounded_sum(keys: tuple[str, ...], values: tuple[Decimal, ...]) -> Any:
        """Figures each rounded to the currency's minor unit, then added: as the JSON gives them (each rounded
        once), so that the Summary's sum is theirs to the cent, where the sum rounded once can be a unit off."""
        total = sum((quantize(v, code) for v in values), Decimal(0))
        if last_row is None:
            return total
        places = minor_units(code)
        return Formula("=" + "+".join(f"ROUND('{EXPOSURE}'!{_LETTER[k]}{last_row},{places})" for k in keys), total)

    count = len(estimated(result))
    parts: list[Part] = [None, Heading(f"Money at stake: an estimate in {code} for a qualified person to review, "
                                       f"not a return")]
    parts += [Field("Tax not collected (central)", ref("rep_central", t.tax.central), "money", code),
              Field("Range: state rate only", ref("rep_low", t.tax.low), "money", code),
              Field("Range: highest combined rate", ref("rep_high", t.tax.high), "money", code),
              Field("Penalties and interest estimated",
                    rounded_sum(("rep_penalty", "rep_interest"), (t.penalty, t.interest)), "money", code),
              Field("Through voluntary disclosure", ref("rep_vda", t.vda), "money", code),
              Field("More each month until registered", ref("rep_now", t.registered_now), "money", code)]
    later = t.later_words()
    if later:  # tax due only after the as-of date grows nothing yet: apart, as the screen and the memo say it
        parts.append(Field(f"More each month from {later[1]} ({later[0]})", quantize(t.registered_later, code),
                           "money", code))
    if t.charged_above:  # not in the tax not collected, nor set against it: apart, as the screen and the memo say it
        parts.append(Field("Tax charged above the estimate, owed as collected", ref("rep_above", t.charged_above),
                           "money", code))
    rates = "; ".join(f"{c} at {r:.6g} ({d})" for c, r, d in t.rates)
    missing = len(t.not_estimated)
    if t.past_windows:
        parts.insert(3, Field(f"Of which past windows under rules no longer in force ({t.past_windows})",
                              t.past.central, "money", code))
        if t.past_run_windows:
            parts.insert(4, Field(f"Of those, windows whose period of limitation has run by nexus's data "
                                  f"({t.past_run_windows})", t.past_run.central, "money", code))
    converted = f"; converted at the as-of rates: {rates}" if rates else ""
    parts.append(f"{count} estimate{'s' * (count != 1)} from the day tax had to be collected to the as-of date, the "
                 f"end of a window that has ended, or a registration{converted}. "
                 f"{missing} penalty or interest figure{'s' * (missing != 1)} could not be estimated; "
                 f"{ASSUMPTIONS} says which and why. Month by month: the {EXPOSURE} appendix.")
    first = from_first_order_words(result)
    if first:  # the figure starts after the duty did in these places: said where it is read, as the memo says it
        parts.append(first)
    parts += after_orders_words(result)  # and stops, for want of later orders, before a permit collected
    # As the screen and the memo say it: read bare, the figure takes these places for full waivers.
    if t.vda_tax_alone or t.vda_not_estimated:  # the places are named on the Assumptions sheet's rows
        parts.append(f"Through voluntary disclosure: {t.vda_caveat()} ({ASSUMPTIONS} names them).")
    refunds = refunds_exceed_words(result)
    if refunds:  # a place's 0.00 is not a place with nothing sold, and lowers the total by nothing: said, as on screen
        parts.append(refunds)
    if t.left_out:  # beside the figures, as the screen and the memo say it: the total is not everything at stake
        which = "its estimate is" if len(t.left_out) == 1 else "their estimates are"
        parts.append(f"The total {t.left_out_words(result.as_of)}: {which} on Findings in its own currency.")
    return parts


def estimate_column(result: CheckResult) -> Column:
    """The Act now table's "Est. tax": the central figure in the reporting currency."""
    code = result.exposure_total.currency if result.exposure_total else "USD"

    def value(f: Finding) -> Any:
        e = f.exposure
        return quantize(e.reporting.central, code) if e is not None and e.reporting is not None else None

    return Column("Est. tax", value, "money", currency=lambda f: code, width=14)


def finding_columns() -> list[Column]:
    """The Findings sheet's estimate, after its printed columns, in the finding's own currency."""
    def get(pick: Any) -> Any:
        """The figure in the estimate's currency, rounded to its minor unit as the JSON and the CSV give it (the
        Exposure appendix keeps the unrounded months its formulas add up)."""
        def cell(f: Finding) -> Any:
            amount = pick(f.exposure) if f.exposure is not None else None
            return quantize(amount, f.exposure.currency) if amount is not None else None
        return cell

    own = (lambda f: f.exposure.currency if f.exposure is not None else f.currency)
    return [Column("Est. tax low", get(lambda e: e.uncollected.low), "money", currency=own),
            Column("Est. tax central", get(lambda e: e.uncollected.central), "money", currency=own),
            Column("Est. tax high", get(lambda e: e.uncollected.high), "money", currency=own),
            Column("Est. penalty", get(lambda e: e.penalty), "money", currency=own),
            Column("Est. interest", get(lambda e: e.interest), "money", currency=own),
            Column("Est. VDA", get(lambda e: e.scenarios["vda"].total), "money", currency=own),
            Column("Estimate note", lambda f: estimate_note(f.exposure, f.exposure_note), width=40),
            # whether the tax estimated can still be assessed, as the JSON, the CSV and --verbose say it
            Column("Period of limitation", lambda f: f.limits.words if f.limits else "", width=40)]


# -- Assumptions -----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Note:
    topic: str
    places: str
    text: str
    sources: tuple[str, ...] = ()


def _note(topic: str, places: Sequence[str], everyone: Sequence[str], text: str,
          sources: tuple[str, ...] = ()) -> _Note:
    """A row naming the places it applies to. A list of more than :data:`NAMED_PLACES` follows the text: in the
    Applies to column, 16 characters wide, a check across 52 jurisdictions wrapped its lists to 22 lines a row,
    and five data sources filled three printed pages."""
    named = places_words(places, everyone)
    if named.count(",") < NAMED_PLACES:
        return _Note(topic, named, text, sources)
    return _Note(topic, f"{len(places)} places, listed after the text", f"{text.rstrip('.')}. Applies to: {named}.",
                 sources)


def _grouped(items: Sequence[tuple[str, str, str]], everyone: Sequence[str]) -> list[_Note]:
    """(topic, place, text) items with the same text on one row naming every place it applies to ("all" when it
    applies to every estimate)."""
    found = by_place(((topic, text), place) for topic, place, text in items)
    return [_note(topic, places, everyone, text) for (topic, text), places in found.items()]


def _site(url: str) -> str:
    host = url.split("://", 1)[-1].split("/", 1)[0]
    return host[4:] if host.startswith("www.") else host


#: What each kind of data row is, and the table it comes from.
_TABLES = {"tax rates": "Tax rates: the state or standard rate, the average local and the highest combined rate "
                        "(data/tax-rates.json)",
           "your --tax-rates file": "Your own rates (--tax-rates), ahead of the bundled ones",
           "taxability": "Taxability by category (data/taxability.json)",
           "marketplace law": "Marketplace-facilitator laws: the day marketplaces began to collect "
                              "(data/marketplace-facilitator-laws.json)",
           "penalties and interest": "Penalties and interest (data/penalties-interest.json)",
           "voluntary disclosure": "Voluntary disclosure programmes: look-back and waivers "
                                   "(data/voluntary-disclosure.json)"}


def assumption_notes(result: CheckResult) -> list[_Note]:
    """Every assumption, what was not estimated, how the files were read, and every data source used."""
    found = estimated(result)
    everyone = [f.jurisdiction for f in found]
    t = result.exposure_total
    notes = [
        _Note("Method", "all", "An estimate for a qualified person to review, not a return: the tax not collected "
              "from the day it had to be (Timeline) to the as-of date or a registration; in the US a range from "
              "the state rate through state and average local (central) to the highest combined rate."),
        _Note("Method", "all", "Taxable sales: those taxed in their category (a share where a share is taxed); "
              "exempt, resale and marketplace sales where the marketplace collects left out; refunds netted on "
              "their day. Days before the first order are not covered by the data, and not estimated."),
        _Note("Method", "all", f"Returns assumed monthly unless a registration row says otherwise, each due with "
              f"payment on the place's own monthly due date where the data give it, else on the "
              f"{penalties.DUE_DAY}th of the next month, assumed (each place's assumptions say which); simple "
              f"interest from then to the as-of date unless the data names another method.")]
    if t is not None:
        rates = "; ".join(f"1 {c} = {r:.6g} {t.currency} ({d})" for c, r, d in t.rates)
        notes.append(_Note("Method", "all", f"Totals in {t.currency} at the as-of date's rate"
                                            f"{': ' + rates if rates else ''}."))
    notes += [_note("Assumption", a.places, everyone, a.text) for a in estimate_assumptions(result)]
    items: list[tuple[str, str, str]] = []
    for f in found:
        e = f.exposure
        assert e is not None
        for why, amount in e.not_estimated.items():
            left_out = f"{format_amount(amount, e.currency)} {e.currency}"
            items.append(("Not estimated", f.jurisdiction, f"{why}: sales of {left_out} left out"))
        if e.penalty is None:
            items.append(("Not estimated", f.jurisdiction,
                          f"Penalty {e.penalty_note}".replace(f" for {f.jurisdiction}", "")))
        if e.interest is None:
            items.append(("Not estimated", f.jurisdiction,
                          f"Interest {e.interest_note}".replace(f" for {f.jurisdiction}", "")))
        vda = e.scenarios["vda"]
        if vda.note and vda.total:  # as in the total's words, a place with nothing to disclose adds nothing to say
            items.append(("Voluntary disclosure", f.jurisdiction, vda.note))
    items += [("Not estimated", f.jurisdiction, f.exposure_note) for f in result.findings
              if f.exposure is None and f.exposure_note]
    notes += sorted(_grouped(items, everyone), key=lambda n: ("Not estimated", "Voluntary disclosure").index(n.topic))
    notes += [_Note("Reading the orders", "all", text) for text in result.ledger.assumptions]
    by_kind: dict[str, tuple[list[str], list[str]]] = {}
    for f in found:
        e = f.exposure
        assert e is not None
        uses = [("your --tax-rates file" if r.source_kind == "user" else "tax rates", r.place, r.sources)
                for r in e.rates] + [(d.kind, d.place, d.sources) for d in e.data_used]
        for kind, place, sources in uses:
            places, urls = by_kind.setdefault(kind, ([], []))
            if place not in places:
                places.append(place)
            urls += [u for u in sources if u not in urls]
    for kind, (places, urls) in sorted(by_kind.items(), key=lambda k: list(_TABLES).index(k[0])):
        sites = list(dict.fromkeys(_site(u) for u in urls))
        shown = ", ".join(sites[:SITES]) + (f" and {len(sites) - SITES} more sites" if len(sites) > SITES else "")
        notes.append(_note("Data source", places, everyone,
                           f"{_TABLES[kind]}: {len(urls)} source{'s' * (len(urls) != 1)} ({shown}; every address "
                           f"in the columns that follow)", tuple(urls)))
    return notes


def assumptions_sheet(result: CheckResult) -> Sheet:
    """What the estimates assume, leave out and rest on: printed, one row per point, grouped by topic."""
    rows = assumption_notes(result)

    def source(note: _Note) -> Any:
        if not note.sources:
            return None
        url = note.sources[0]
        return Link(url, _site(url)) if url.startswith(("https://", "http://")) else url

    def address(i: int) -> Any:
        return lambda n: n.sources[i] if len(n.sources) > i else None

    # Widths that print portrait on A4 and Letter: a portrait page holds more lines of text than a landscape one.
    columns = [Column("Topic", lambda n: n.topic, width=12, wrap=True),
               Column("Applies to", lambda n: n.places, width=16, wrap=True),
               Column("What", lambda n: n.text, width=52, wrap=True),
               Column("Source", source, "link", width=16)]
    columns += [Column(f"Source {i + 1}", address(i), "link", width=60)
                for i in range(max((len(n.sources) for n in rows), default=0))]
    notes = ("What the money at stake rests on: the method, each estimate's assumptions, what could not be "
             "estimated and why, how the orders were read, and every data source used (docs/exposure.md).",)
    return Sheet(ASSUMPTIONS, columns, rows, notes=notes, print_columns=4)
